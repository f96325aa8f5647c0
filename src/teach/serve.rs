//! `dugnad serve`: a local web page for a classroom. Two designs (A and B) built from the bundled
//! scenarios plus dotted overrides (the `--set` syntax), run side by side on common random
//! numbers, charted client-side; a meeting of either design replayed as a transcript; the
//! current settings downloaded as a scenario file that `dugnad run` accepts.
//!
//! The HTTP layer is a thin shell around [`handle`], a pure function from (method, path, body)
//! to a [`Reply`], so tests can call it directly. Every request is validated with exactly the
//! validation of the command line (`scenario::load_str` with the overrides), its work is bounded
//! ([`LIMITS`]), and every failure is a JSON `{"error": ...}` with a 4xx status: a request can
//! never take the server down.

use super::trace::{self, GroupRef, TraceSpec};
use crate::metrics::indicators::{key_indicators, View};
use crate::metrics::{indicator_index, INDICATORS};
use crate::model::group::Design;
use crate::scenario::{self, Dist, Role, Scenario};
use crate::sim::replicates::{run_plan, RunPlan};
use crate::stats::paired_difference;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

/// The bundled scenarios, embedded at compile time (name, file text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "knitting-cafe",
        include_str!("../../scenarios/knitting-cafe.toml"),
    ),
    (
        "co-designed-cafe",
        include_str!("../../scenarios/co-designed-cafe.toml"),
    ),
    (
        "focus-group",
        include_str!("../../scenarios/focus-group.toml"),
    ),
    ("dugnad", include_str!("../../scenarios/dugnad.toml")),
    (
        "municipality",
        include_str!("../../scenarios/municipality.toml"),
    ),
    (
        "calibration",
        include_str!("../../scenarios/calibration.toml"),
    ),
    ("bench", include_str!("../../scenarios/bench.toml")),
];

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

/// Bounds on the work one request may ask for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub replicates: u32,
    pub weeks: u32,
    /// Groups per activity design.
    pub groups: u32,
    /// Person-turns one request may simulate: Σ over designs of replicates × weeks × groups ×
    /// persons per group × turns per meeting × meetings per week.
    pub work: f64,
    /// Request body size in bytes.
    pub body: usize,
    /// Overrides per design.
    pub overrides: usize,
}

pub const LIMITS: Limits = Limits {
    replicates: 200,
    weeks: 260,
    groups: 20,
    work: 2.0e8,
    body: 64 * 1024,
    overrides: 200,
};

/// Default replicates of the page (a few dozen: enough for a band, fast enough to feel live).
pub const CLASSROOM_REPLICATES: u32 = 40;
/// Work per design the page aims at when it proposes fewer groups for a large scenario.
const CLASSROOM_WORK: f64 = 2.5e7;

/// The classroom's own words for the indicators it charts: (name, title, meaning), shorter and
/// plainer than the report's. Which indicators are charted is [`View::Classroom`].
const CLASSROOM_LABELS: &[(&str, &str, &str)] = &[
    ("voice_parity", "Voice parity", "participants' share of the talk ÷ their share of those present (1 = heard as much as present)"),
    ("usurp_rate_participants", "Sentences finished by others", "share of participants' turns that someone else finished for them"),
    ("dependency_help_share", "Help that does it for them", "share of help episodes that were dependency-oriented"),
    ("mean_agency", "Participants' agency", "mean agency of the participants (0–1)"),
    ("volunteers_retained", "Volunteers still there", "share of the volunteers of week 0 still active"),
];

/// The classroom's (title, meaning) of an indicator; one without words of its own is titled
/// by its name.
fn classroom_label(name: &str) -> (String, String) {
    CLASSROOM_LABELS
        .iter()
        .find(|c| c.0 == name)
        .map(|c| (c.1.to_string(), c.2.to_string()))
        .unwrap_or_else(|| (name.replace('_', " "), String::new()))
}

/// The indicators the page charts by default: the key indicators of [`View::Classroom`].
pub fn charted() -> Vec<&'static str> {
    key_indicators(View::Classroom)
}

/// An HTTP reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (name, value).
    pub headers: Vec<(String, String)>,
}

impl Reply {
    fn json(status: u16, v: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(v)
                .unwrap_or_else(|_| b"{\"error\":\"cannot encode the reply\"}".to_vec()),
            headers: vec![("Cache-Control".into(), "no-store".into())],
        }
    }
    fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::json(status, &json!({ "error": message.into() }))
    }
    fn asset(content_type: &'static str, text: &str) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: text.as_bytes().to_vec(),
            headers: vec![("Cache-Control".into(), "no-cache".into())],
        }
    }
}

/// A request error: status and message.
struct Fail(u16, String);

fn bad(m: impl Into<String>) -> Fail {
    Fail(400, m.into())
}

type Res<T> = Result<T, Fail>;

/// One design as the page sends it: a bundled scenario and `--set` style overrides.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignReq {
    scenario: String,
    #[serde(default)]
    overrides: Vec<String>,
}

/// Settings shared by both designs (common random numbers: one seed).
#[derive(Debug, Default)]
struct RunReq {
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompareReq {
    a: DesignReq,
    b: DesignReq,
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
    /// Indicator names to return (default: the charted five).
    indicators: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TraceReq {
    design: DesignReq,
    weeks: Option<u32>,
    seed: Option<u64>,
    replicate: Option<u64>,
    week: Option<u32>,
    group: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlReq {
    design: DesignReq,
    weeks: Option<u32>,
    seed: Option<u64>,
    replicates: Option<u32>,
    /// "a" or "b": appended to the scenario name.
    label: Option<String>,
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Res<T> {
    if body.is_empty() {
        return Err(bad("the request has no body; send JSON, e.g. {\"a\": {\"scenario\": \"knitting-cafe\", \"overrides\": []}, ...}"));
    }
    serde_json::from_slice(body).map_err(|e| {
        bad(format!(
            "the request is not valid JSON for this endpoint: {e}"
        ))
    })
}

fn bundled(name: &str) -> Res<&'static str> {
    BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
            bad(format!(
                "unknown scenario '{name}'; the bundled scenarios are: {}",
                names.join(", ")
            ))
        })
}

/// Loads a design exactly as `dugnad run --set ...` would, with the shared run settings last.
fn load_design(which: &str, d: &DesignReq, run: &RunReq) -> Res<(Scenario, Vec<Design>)> {
    let text =
        bundled(&d.scenario).map_err(|Fail(s, m)| Fail(s, format!("design {which}: {m}")))?;
    if d.overrides.len() > LIMITS.overrides {
        return Err(bad(format!(
            "design {which}: {} overrides; at most {} are accepted",
            d.overrides.len(),
            LIMITS.overrides
        )));
    }
    let mut overrides = d.overrides.clone();
    if let Some(r) = run.replicates {
        overrides.push(format!("scenario.replicates={r}"));
    }
    if let Some(w) = run.weeks {
        overrides.push(format!("scenario.weeks={w}"));
    }
    if let Some(s) = run.seed {
        if s > i64::MAX as u64 {
            return Err(bad(format!(
                "seed {s} is too large; use a seed from 0 to {}",
                i64::MAX
            )));
        }
        overrides.push(format!("scenario.seed={s}"));
    }
    let origin = format!("scenarios/{}.toml", d.scenario);
    let s = scenario::load_str(text, &origin, &overrides)
        .map_err(|e| bad(format!("design {which}: {e}")))?;
    let designs = Design::compile_all(&s);
    Ok((s, designs))
}

/// Person-turns of one scenario run: replicates × weeks × Σ groups × persons × turns × meetings.
pub fn work(s: &Scenario, designs: &[Design]) -> f64 {
    per_replicate_week(designs) * s.weeks as f64 * s.replicates as f64
}

fn per_replicate_week(designs: &[Design]) -> f64 {
    designs
        .iter()
        .map(|d| {
            d.activity.groups as f64
                * d.slots.len() as f64
                * d.activity.turns_per_meeting as f64
                * d.activity.meetings_per_week as f64
        })
        .sum()
}

fn check_limits(which: &str, s: &Scenario, designs: &[Design]) -> Res<()> {
    if s.replicates > LIMITS.replicates {
        return Err(bad(format!(
            "design {which}: {} replicates; the classroom server runs at most {} (use `dugnad run` for more)",
            s.replicates, LIMITS.replicates
        )));
    }
    if s.weeks > LIMITS.weeks {
        return Err(bad(format!(
            "design {which}: {} weeks; the classroom server runs at most {} (use `dugnad run` for more)",
            s.weeks, LIMITS.weeks
        )));
    }
    for d in designs {
        if d.activity.groups > LIMITS.groups {
            return Err(bad(format!(
                "design {which}: activity '{}' has {} groups; the classroom server runs at most {} per activity: add the override activity.groups={}",
                d.activity.key, d.activity.groups, LIMITS.groups, LIMITS.groups
            )));
        }
    }
    Ok(())
}

fn over_budget(total: f64) -> Fail {
    bad(format!(
        "this request asks for {:.0} million person-turns (replicates × weeks × groups × persons × turns), more than the classroom limit of {:.0} million; use fewer replicates, weeks or groups, or run it with `dugnad run`",
        total / 1e6,
        LIMITS.work / 1e6
    ))
}

/// NaN-safe rounding for the JSON (NaN and ±∞ become null).
fn r4(x: f64) -> Value {
    if x.is_finite() {
        json!((x * 1e4).round() / 1e4)
    } else {
        Value::Null
    }
}

fn compare(body: &[u8]) -> Res<Value> {
    let req: CompareReq = parse(body)?;
    // Common random numbers: both designs run on one seed (A's unless given), and one length.
    let (probe, _) = load_design("A", &req.a, &RunReq::default())?;
    let run = RunReq {
        replicates: Some(req.replicates.unwrap_or(CLASSROOM_REPLICATES)),
        weeks: Some(req.weeks.unwrap_or(probe.weeks)),
        seed: Some(req.seed.unwrap_or(probe.seed)),
    };
    let (a_s, a_d) = load_design("A", &req.a, &run)?;
    let (b_s, b_d) = load_design("B", &req.b, &run)?;
    check_limits("A", &a_s, &a_d)?;
    check_limits("B", &b_s, &b_d)?;
    let total = work(&a_s, &a_d) + work(&b_s, &b_d);
    if total > LIMITS.work {
        return Err(over_budget(total));
    }
    let names: Vec<String> = match &req.indicators {
        Some(list) => list.clone(),
        None => charted().iter().map(|c| c.to_string()).collect(),
    };
    if names.is_empty() || names.len() > INDICATORS.len() {
        return Err(bad(format!(
            "indicators: give 1 to {} indicator names",
            INDICATORS.len()
        )));
    }
    let mut ks = Vec::new();
    for n in &names {
        match indicator_index(n) {
            Some(k) => ks.push(k),
            None => {
                return Err(bad(format!(
                    "unknown indicator '{n}'; known: {}",
                    INDICATORS.join(", ")
                )))
            }
        }
    }
    let plan = RunPlan::for_scenario(&a_s);
    let started = Instant::now();
    let (agg_a, agg_b) = rayon::join(
        || run_plan(&a_d, &plan, |_| {}),
        || run_plan(&b_d, &plan, |_| {}),
    );
    let sim_ms = started.elapsed().as_secs_f64() * 1e3;
    let series = |agg: &crate::metrics::aggregate::RunAggregate, k: usize| {
        let (mut mean, mut p05, mut p95) = (Vec::new(), Vec::new(), Vec::new());
        for w in 1..=plan.weeks {
            let s = agg.week_summary(w, k);
            mean.push(r4(s.mean));
            p05.push(r4(s.p05));
            p95.push(r4(s.p95));
        }
        json!({ "mean": mean, "p05": p05, "p95": p95 })
    };
    let mut out = Vec::new();
    for (n, &k) in names.iter().zip(&ks) {
        let fa: Vec<f64> = agg_a.finals.iter().map(|(_, row)| row[k]).collect();
        let fb: Vec<f64> = agg_b.finals.iter().map(|(_, row)| row[k]).collect();
        let d = paired_difference(&fb, &fa);
        let (title, meaning) = classroom_label(n);
        out.push(json!({
            "key": n,
            "title": title,
            "meaning": meaning,
            "a": series(&agg_a, k),
            "b": series(&agg_b, k),
            "final": { "a": r4(agg_a.final_week[k].summary().mean), "b": r4(agg_b.final_week[k].summary().mean) },
            "diff": { "mean": r4(d.mean_diff), "ci_low": r4(d.ci_low), "ci_high": r4(d.ci_high), "n": d.n },
        }));
    }
    Ok(json!({
        "weeks": plan.weeks,
        "replicates": plan.replicates,
        "seed": plan.seed,
        "names": { "a": a_s.name, "b": b_s.name },
        "work": total,
        "budget": LIMITS.work,
        "simulate_ms": (sim_ms * 10.0).round() / 10.0,
        "indicators": out,
    }))
}

fn trace_endpoint(body: &[u8]) -> Res<Value> {
    let req: TraceReq = parse(body)?;
    let run = RunReq {
        replicates: Some(1),
        weeks: req.weeks,
        seed: req.seed,
    };
    let (s, designs) = load_design("", &req.design, &run)
        .map_err(|Fail(c, m)| Fail(c, m.replacen("design : ", "", 1)))?;
    if s.weeks > LIMITS.weeks {
        return Err(bad(format!(
            "{} weeks; the classroom server runs at most {}",
            s.weeks, LIMITS.weeks
        )));
    }
    let group = match &req.group {
        None => GroupRef::Index(0),
        Some(Value::Number(n)) => GroupRef::Index(
            n.as_u64()
                .ok_or_else(|| bad("group: use a whole number from 0"))? as usize,
        ),
        Some(Value::String(g)) => trace::parse_group(g).map_err(bad)?,
        Some(_) => return Err(bad("group: use a number (0, 1, ...) or \"KEY:INDEX\"")),
    };
    let week = req.week.unwrap_or(1);
    let one_group = designs
        .iter()
        .map(|d| {
            d.slots.len() as f64
                * d.activity.turns_per_meeting as f64
                * d.activity.meetings_per_week as f64
        })
        .fold(0.0, f64::max)
        * week as f64;
    if one_group > LIMITS.work {
        return Err(over_budget(one_group));
    }
    let spec = TraceSpec {
        replicate: req.replicate.unwrap_or(0),
        week,
        group,
    };
    let t = trace::simulate(&s, &designs, &spec)
        .map_err(|m| bad(m.replace("--week", "week").replace("--group", "group")))?;
    let usurped = t.tally.usurped_on_p + t.tally.usurped_on_v + t.tally.usurped_on_s;
    Ok(json!({
        "scenario": t.scenario,
        "week": t.week,
        "weeks": s.weeks,
        "replicate": t.replicate,
        "group": t.group,
        "groups_total": t.groups_total,
        "seed": t.seed,
        "usurped": usurped,
        "lines": trace::lines(&t),
        "text": trace::render_text(&t),
    }))
}

fn toml_endpoint(body: &[u8]) -> Res<Reply> {
    let req: TomlReq = parse(body)?;
    let run = RunReq {
        replicates: req.replicates,
        weeks: req.weeks,
        seed: req.seed,
    };
    let (mut s, _) = load_design("", &req.design, &run)
        .map_err(|Fail(c, m)| Fail(c, m.replacen("design : ", "", 1)))?;
    let named = req
        .design
        .overrides
        .iter()
        .any(|o| o.trim_start().starts_with("scenario.name"));
    if !named {
        let label = match req.label.as_deref() {
            Some(l @ ("a" | "b")) => l,
            Some(other) => return Err(bad(format!("label '{other}': use \"a\" or \"b\""))),
            None => "classroom",
        };
        let base: String = req.design.scenario.chars().take(48).collect();
        s.name = format!("{base}-{label}");
        let listed = if req.design.overrides.is_empty() {
            "no changes".to_string()
        } else {
            req.design.overrides.join(", ")
        };
        s.description = format!(
            "From the dugnad classroom page (design {}): {} with {listed}.",
            label.to_uppercase(),
            req.design.scenario
        );
    }
    let text = scenario::to_toml(&s);
    // The file must load again with the CLI's validation: check before handing it out.
    scenario::load_str(&text, &format!("{}.toml", s.name), &[]).map_err(|e| {
        Fail(
            500,
            format!("the downloaded scenario would not load again: {e}"),
        )
    })?;
    Ok(Reply {
        status: 200,
        content_type: "application/toml; charset=utf-8",
        body: text.into_bytes(),
        headers: vec![
            (
                "Content-Disposition".into(),
                format!("attachment; filename=\"{}.toml\"", s.name),
            ),
            ("Cache-Control".into(), "no-store".into()),
        ],
    })
}

/// Mean and standard deviation of a trait distribution (before clamping).
fn dist_json(d: &Dist) -> Value {
    let sd = match *d {
        Dist::Const(_) => 0.0,
        Dist::Uniform(lo, hi) => (hi - lo) / 12f64.sqrt(),
        Dist::Beta(a, b) => (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt(),
        Dist::Normal(_, sd) => sd,
        Dist::Triangular(a, c, b) => {
            ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt()
        }
    };
    json!({ "mean": r4(d.mean()), "sd": r4(sd) })
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Volunteer => "volunteer",
        Role::Staff => "staff",
        Role::Participant => "participant",
    }
}

/// What the page needs to build its sliders for one bundled scenario.
fn scenario_info(name: &str, text: &str) -> Value {
    let s = match scenario::load_str(text, &format!("scenarios/{name}.toml"), &[]) {
        Ok(s) => s,
        Err(e) => return json!({ "name": name, "error": e.to_string() }),
    };
    let designs = Design::compile_all(&s);
    let weeks = s.weeks.min(LIMITS.weeks);
    // Fewer groups for large scenarios, so that the page stays live.
    let max_groups = s.activities.iter().map(|a| a.groups).max().unwrap_or(1);
    let per_group_week: f64 = per_replicate_week(&designs)
        / designs
            .iter()
            .map(|d| d.activity.groups as f64)
            .sum::<f64>()
            .max(1.0)
        * designs.len() as f64;
    let mut groups = max_groups.min(LIMITS.groups);
    while groups > 1
        && per_group_week * groups as f64 * weeks as f64 * CLASSROOM_REPLICATES as f64
            > CLASSROOM_WORK
    {
        groups -= 1;
    }
    let classroom_groups = (groups < max_groups).then_some(groups);
    let populations: Vec<Value> = s
        .populations
        .iter()
        .map(|p| {
            let origins: Vec<&str> = p.origin.options();
            let newcomer = p.role == Role::Participant
                && origins
                    .iter()
                    .any(|o| !s.majority_origins.iter().any(|m| m == o));
            let t = &p.traits;
            json!({
                "key": p.key,
                "role": role_name(p.role),
                "count": p.count,
                "origins": origins,
                "newcomer": newcomer,
                "traits": {
                    "need_to_help": dist_json(&t.need_to_help),
                    "protectiveness": dist_json(&t.protectiveness),
                    "initiative": dist_json(&t.initiative),
                    "language": dist_json(&t.language),
                    "care_load": dist_json(&t.care_load),
                },
            })
        })
        .collect();
    let mut origins: Vec<String> = s
        .populations
        .iter()
        .filter(|p| p.role == Role::Participant)
        .flat_map(|p| p.origin.options().into_iter().map(str::to_string))
        .filter(|o| !s.majority_origins.contains(o))
        .collect();
    origins.sort();
    origins.dedup();
    let stereotypes: Vec<Value> = origins
        .iter()
        .map(|o| json!({ "origin": o, "prior": r4(s.stereotypes.prior(o)) }))
        .collect();
    let activities: Vec<Value> = s
        .activities
        .iter()
        .map(|a| {
            json!({
                "key": a.key, "kind": a.kind, "groups": a.groups,
                "meetings_per_week": a.meetings_per_week, "turns_per_meeting": a.turns_per_meeting,
                "service_frame": a.service_frame, "co_design": a.co_design, "facilitation": a.facilitation,
                "pathway": a.pathway, "mixed": a.mixed, "populations": a.populations, "capacity": a.capacity,
            })
        })
        .collect();
    json!({
        "name": name,
        "description": s.description,
        "weeks": s.weeks,
        "replicates": s.replicates,
        "seed": s.seed,
        "activities": activities,
        "populations": populations,
        "stereotypes": stereotypes,
        "classroom": { "replicates": CLASSROOM_REPLICATES, "weeks": weeks, "groups": classroom_groups },
    })
}

fn scenarios_endpoint() -> Value {
    json!({
        "scenarios": BUNDLED.iter().map(|(n, t)| scenario_info(n, t)).collect::<Vec<_>>(),
        "limits": {
            "replicates": LIMITS.replicates, "weeks": LIMITS.weeks, "groups": LIMITS.groups,
            "work": LIMITS.work, "body": LIMITS.body, "overrides": LIMITS.overrides,
        },
        "charted": charted().into_iter().map(|key| {
            let (title, meaning) = classroom_label(key);
            json!({ "key": key, "title": title, "meaning": meaning })
        }).collect::<Vec<_>>(),
    })
}

/// Answers one request. Never panics on any input (the HTTP layer also catches panics).
pub fn handle(method: &str, url: &str, body: &[u8]) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let api = |r: Res<Value>| match r {
        Ok(v) => Reply::json(200, &v),
        Err(Fail(status, m)) => Reply::error(status, m),
    };
    match (method, path) {
        ("GET", "/") | ("GET", "/index.html") => Reply::asset("text/html; charset=utf-8", INDEX_HTML),
        ("GET", "/app.js") => Reply::asset("text/javascript; charset=utf-8", APP_JS),
        ("GET", "/style.css") => Reply::asset("text/css; charset=utf-8", STYLE_CSS),
        ("GET", "/api/scenarios") => Reply::json(200, &scenarios_endpoint()),
        ("POST", "/api/compare") => api(compare(body)),
        ("POST", "/api/trace") => api(trace_endpoint(body)),
        ("POST", "/api/scenario.toml") => match toml_endpoint(body) {
            Ok(r) => r,
            Err(Fail(status, m)) => Reply::error(status, m),
        },
        (_, "/" | "/index.html" | "/app.js" | "/style.css" | "/api/scenarios") => {
            Reply::error(405, format!("{method} {path}: use GET"))
        }
        (_, "/api/compare" | "/api/trace" | "/api/scenario.toml") => {
            Reply::error(405, format!("{method} {path}: use POST with a JSON body"))
        }
        _ => Reply::error(404, format!("no page {path}; the page is at /, the API at /api/scenarios, /api/compare, /api/trace, /api/scenario.toml")),
    }
}

/// A running server (worker threads pulling requests from one tiny_http server).
pub struct Running {
    pub addr: SocketAddr,
    server: Arc<tiny_http::Server>,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops the workers and waits for them.
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }

    /// Blocks until the workers end (they do not, unless stopped).
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(rq: tiny_http::Request, reply: Reply) {
    let mut resp = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    if let Some(h) = header("Content-Type", reply.content_type) {
        resp.add_header(h);
    }
    for (n, v) in &reply.headers {
        if let Some(h) = header(n, v) {
            resp.add_header(h);
        }
    }
    if let Some(h) = header("X-Content-Type-Options", "nosniff") {
        resp.add_header(h);
    }
    let _ = rq.respond(resp);
}

fn serve_one(mut rq: tiny_http::Request, log: bool) {
    let started = Instant::now();
    let method = rq.method().as_str().to_string();
    let url = rq.url().to_string();
    let mut body = Vec::new();
    let read = rq
        .as_reader()
        .take(LIMITS.body as u64 + 1)
        .read_to_end(&mut body);
    let reply = if read.is_err() {
        Reply::error(400, "could not read the request body")
    } else if body.len() > LIMITS.body {
        Reply::error(
            413,
            format!("the request body is larger than {} bytes", LIMITS.body),
        )
    } else {
        std::panic::catch_unwind(|| handle(&method, &url, &body)).unwrap_or_else(|_| {
            Reply::error(
                500,
                "internal error while answering this request; the server keeps running",
            )
        })
    };
    if log && url.starts_with("/api/") {
        eprintln!(
            "{method} {url} → {} in {:.0} ms",
            reply.status,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    respond(rq, reply);
}

/// Starts a server on host:port (port 0: any free port) with `workers` threads.
pub fn start(host: &str, port: u16, workers: usize, log: bool) -> anyhow::Result<Running> {
    let server = tiny_http::Server::http((host, port))
        .map_err(|e| anyhow::anyhow!("cannot listen on {host}:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow::anyhow!("the server has no IP address"))?;
    let server = Arc::new(server);
    let stopping = Arc::new(AtomicBool::new(false));
    let workers = (0..workers.max(1))
        .map(|_| {
            let server = Arc::clone(&server);
            let stopping = Arc::clone(&stopping);
            std::thread::spawn(move || loop {
                match server.recv() {
                    Ok(rq) => serve_one(rq, log),
                    Err(_) if stopping.load(Ordering::SeqCst) => break,
                    Err(_) => continue,
                }
            })
        })
        .collect();
    Ok(Running {
        addr,
        server,
        stopping,
        workers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_charted_indicator_has_classroom_words() {
        for name in charted() {
            assert!(
                CLASSROOM_LABELS.iter().any(|c| c.0 == name),
                "{name} has no classroom title"
            );
        }
        assert_eq!(classroom_label("new_thing").0, "new thing");
    }
}
