//! `dugnad serve`: a local web page for a classroom. Two designs (A and B) built from the bundled
//! scenarios plus dotted overrides (the `--set` syntax), run side by side on common random
//! numbers, charted client-side; a meeting of either design replayed as a transcript; the
//! current settings downloaded as a scenario file that `dugnad run` accepts.
//!
//! The HTTP layer is a thin shell around [`handle`], a pure function from (method, path, body)
//! to a [`Reply`], so tests and fuzz targets can call it directly. It is a small HTTP/1.1 server
//! on std's sockets that no client can stall: one request per connection, a bounded head
//! (431), an early 413 from the declared Content-Length, a deadline for the whole request and
//! timeouts on every read and write, a bounded number of connections in which idle ones are
//! dropped for new ones, at most `workers` requests answered at once, and the Host header
//! checked against the loopback names when the server listens on loopback ([`ServerLimits`],
//! [`allowed_hosts`]). Every request is validated with exactly the
//! validation of the command line (`scenario::load_str` with the overrides), its work is bounded
//! ([`LIMITS`]), and every failure is a JSON `{"error": ...}` with a 4xx status: a request can
//! never take the server down.

use super::trace::{self, GroupRef, TraceSpec};
use crate::lang::{fill, Lang};
use crate::metrics::indicators::{headline_lens, key_indicators, View};
use crate::metrics::{indicator, indicator_names, INDICATORS};
use crate::model::group::Design;
use crate::present::meta::Whom;
use crate::scenario::{self, Dist, Role, Scenario};
use crate::sim::replicates::{run_plan, RunPlan};
use crate::stats::paired_difference;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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
    (
        "community-centre",
        include_str!("../../scenarios/community-centre.toml"),
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
    (
        "pilot-cafe",
        include_str!("../../scenarios/pilot-cafe.toml"),
    ),
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

/// The classroom's (title, meaning) of an indicator, in English (the page translates them with
/// the same keys): its own shorter, plainer words where the catalogue has them
/// (`page.ind_<name>`, `page.ind_<name>_meaning`), else the indicator's title and meaning; an
/// unknown name is titled by its name. Which indicators are charted is [`View::Classroom`].
fn classroom_label(name: &str) -> (String, String) {
    let own = |key: String| Lang::En.catalogue().get(&key).cloned();
    match indicator(name) {
        Some(i) => match (
            own(format!("page.ind_{name}")),
            own(format!("page.ind_{name}_meaning")),
        ) {
            (Some(title), Some(meaning)) => (title, meaning),
            _ => (i.title().to_string(), i.meaning().to_string()),
        },
        None => (name.replace('_', " "), String::new()),
    }
}

/// Whose figures a chart shows, by key, for the page to word from its catalogue
/// (`page.whom_<key>`): `{"key": "newcomers"}`, `{"key": "newcomers_with", "cell": "gender =
/// woman"}` ([`Whom::key`], [`Whom::arg`]). Where neither design has staff the volunteers and
/// staff are the volunteers alone ([`Whom::without_staff`]), so that no chart names people who
/// are not there.
pub fn whom(name: &str, lens: &str, any_staff: bool) -> Value {
    let w = Whom::of(name, lens);
    let w = if any_staff { w } else { w.without_staff() };
    let mut out = json!({ "key": w.key() });
    if let Some((placeholder, value)) = w.arg() {
        out[placeholder] = json!(value);
    }
    out
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
    /// One activity design of a scenario that has several (municipality): the design runs alone,
    /// so that its curve is its own and not a pool of every design in the file.
    #[serde(default)]
    activity: Option<String>,
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
    /// Indicator names to return (default: the charted ones).
    indicators: Option<Vec<String>>,
    /// Whose figures: a lens (default: newcomers; volunteer indicators: all).
    lens: Option<String>,
    /// The language of the refusals (`en`, `nb`; default English).
    lang: Option<String>,
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
    /// The language of the refusals (`en`, `nb`; default English).
    lang: Option<String>,
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
    let mut designs = Design::compile_all(&s);
    if let Some(key) = &d.activity {
        if !designs.iter().any(|x| &x.activity.key == key) {
            let keys: Vec<&str> = designs.iter().map(|x| x.activity.key.as_str()).collect();
            return Err(bad(format!(
                "design {which}: scenario '{}' has no activity '{key}'; its activities are: {}",
                d.scenario,
                keys.join(", ")
            )));
        }
        designs.retain(|x| &x.activity.key == key);
    }
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

fn check_limits(which: &str, s: &Scenario, designs: &[Design], lang: Lang) -> Res<()> {
    if s.replicates > LIMITS.replicates {
        return Err(bad(fill(
            lang,
            "page.err_replicates",
            &[
                ("which", &which),
                ("n", &s.replicates),
                ("max", &LIMITS.replicates),
            ],
        )));
    }
    if s.weeks > LIMITS.weeks {
        return Err(bad(fill(
            lang,
            "page.err_weeks",
            &[("which", &which), ("n", &s.weeks), ("max", &LIMITS.weeks)],
        )));
    }
    for d in designs {
        if d.activity.groups > LIMITS.groups {
            return Err(bad(fill(
                lang,
                "page.err_groups",
                &[
                    ("which", &which),
                    ("activity", &d.activity.key),
                    ("n", &d.activity.groups),
                    ("max", &LIMITS.groups),
                ],
            )));
        }
    }
    Ok(())
}

fn over_budget(total: f64, lang: Lang) -> Fail {
    bad(fill(
        lang,
        "page.err_work",
        &[
            ("n", &format!("{:.0}", total / 1e6)),
            ("max", &format!("{:.0}", LIMITS.work / 1e6)),
        ],
    ))
}

/// The language a request asks its refusals in (`lang`; English when not given).
fn request_lang(lang: &Option<String>) -> Res<Lang> {
    match lang {
        None => Ok(Lang::En),
        Some(code) => code
            .parse()
            .map_err(|e: crate::lang::UnknownLang| bad(format!("lang: {e}"))),
    }
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
    let lang = request_lang(&req.lang)?;
    // Common random numbers: both designs run on one seed (A's unless given), and one length.
    let (probe, _) = load_design("A", &req.a, &RunReq::default())?;
    let run = RunReq {
        replicates: Some(req.replicates.unwrap_or(CLASSROOM_REPLICATES)),
        weeks: Some(req.weeks.unwrap_or(probe.weeks)),
        seed: Some(req.seed.unwrap_or(probe.seed)),
    };
    let (a_s, a_d) = load_design("A", &req.a, &run)?;
    let (b_s, b_d) = load_design("B", &req.b, &run)?;
    check_limits("A", &a_s, &a_d, lang)?;
    check_limits("B", &b_s, &b_d, lang)?;
    let total = work(&a_s, &a_d) + work(&b_s, &b_d);
    if total > LIMITS.work {
        return Err(over_budget(total, lang));
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
    let mut lenses = Vec::new();
    for n in &names {
        match indicator(n) {
            Some(i) => lenses.push(match &req.lens {
                Some(l)
                    if i.lenses.names().contains(&l.as_str())
                        || l.contains('|')
                        || l.contains('=') =>
                {
                    l.clone()
                }
                _ => headline_lens(i).to_string(),
            }),
            None => {
                return Err(bad(format!(
                    "unknown indicator '{n}'; known: {}",
                    indicator_names().join(", ")
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
    type Agg = crate::metrics::aggregate::RunAggregate;
    let series = |agg: &Agg, k: Option<usize>| {
        let (mut mean, mut p05, mut p95) = (Vec::new(), Vec::new(), Vec::new());
        for w in 1..=plan.weeks {
            let s = k.map(|k| agg.week_summary(w, k));
            mean.push(r4(s.map_or(f64::NAN, |s| s.mean)));
            p05.push(r4(s.map_or(f64::NAN, |s| s.p05)));
            p95.push(r4(s.map_or(f64::NAN, |s| s.p95)));
        }
        json!({ "mean": mean, "p05": p05, "p95": p95 })
    };
    let finals = |agg: &Agg, k: Option<usize>| -> Vec<f64> {
        agg.finals
            .iter()
            .map(|(_, row)| k.map_or(f64::NAN, |k| row[k]))
            .collect()
    };
    let final_mean =
        |agg: &Agg, k: Option<usize>| r4(k.map_or(f64::NAN, |k| agg.final_week[k].summary().mean));
    let staffed = |designs: &[Design]| {
        designs.iter().any(|d| {
            d.slots
                .iter()
                .any(|&p| d.populations[p as usize].role == Role::Staff)
        })
    };
    let any_staff = staffed(&a_d) || staffed(&b_d);
    let mut out = Vec::new();
    for (n, lens) in names.iter().zip(&lenses) {
        let (ka, kb) = (
            agg_a.layout.position(n, lens),
            agg_b.layout.position(n, lens),
        );
        let d = paired_difference(&finals(&agg_b, kb), &finals(&agg_a, ka));
        let (title, meaning) = classroom_label(n);
        out.push(json!({
            "key": n,
            "lens": lens,
            "whom": whom(n, lens, any_staff),
            "title": title,
            "meaning": meaning,
            "a": series(&agg_a, ka),
            "b": series(&agg_b, kb),
            "final": { "a": final_mean(&agg_a, ka), "b": final_mean(&agg_b, kb) },
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
        "subject": crate::present::meta::newcomers_words(Lang::En),
        "indicators": out,
    }))
}

fn trace_endpoint(body: &[u8]) -> Res<Value> {
    let req: TraceReq = parse(body)?;
    let lang = request_lang(&req.lang)?;
    let run = RunReq {
        replicates: Some(1),
        weeks: req.weeks,
        seed: req.seed,
    };
    let (s, designs) = load_design("", &req.design, &run)
        .map_err(|Fail(c, m)| Fail(c, m.replacen("design : ", "", 1)))?;
    if s.weeks > LIMITS.weeks {
        return Err(bad(fill(
            lang,
            "page.err_trace_weeks",
            &[("n", &s.weeks), ("max", &LIMITS.weeks)],
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
        * s.weeks.max(week) as f64;
    if one_group > LIMITS.work {
        return Err(over_budget(one_group, lang));
    }
    let spec = TraceSpec {
        replicate: req.replicate.unwrap_or(0),
        week,
        group,
    };
    let mut history = History::default();
    let mut network = Value::Null;
    let mut people = Value::Null;
    let mut people_before = json!([]);
    let t = trace::simulate_watching(&s, &designs, &spec, s.weeks, |w| {
        history.record(w);
        if w.week + 1 == week {
            people_before = people_json(w);
        }
        if w.week == week {
            network = network_json(w);
            people = people_json(w);
        }
    })
    .map_err(|m| bad(m.replace("--week", "week").replace("--group", "group")))?
    .in_lang(lang);
    let usurped: f64 = t.tally.classes.iter().map(|c| c.spoken_for).sum();
    Ok(json!({
        "scenario": t.scenario,
        "activity": t.activity,
        "week": t.week,
        "weeks": s.weeks,
        "replicate": t.replicate,
        "group": t.group,
        "groups_total": t.groups_total,
        "seed": t.seed,
        "meetings_per_week": t.meetings_per_week,
        "turns_per_meeting": t.turns_per_meeting,
        "usurped": usurped,
        "met": trace::met(&t.tally),
        "lines": trace::lines(&t),
        "text": trace::render_text(&t),
        "cast": t.cast,
        "events": trace::events_json(&t),
        "people": people,
        "people_before": people_before,
        "network": network,
        "history": history.json(),
    }))
}

/// The type of the tie between persons `x` and `y` as `ties.csv` and the GraphML networks write
/// it (`TieType::of`, Appendix D): bonding within an origin; bridging across the majority line,
/// whatever the roles; linking between a newcomer and a volunteer or staff member; a tie to a
/// local volunteer is `bridging+linking`; "other" between two different minority origins.
fn tie_kind(x: &crate::model::Person, y: &crate::model::Person) -> &'static str {
    crate::metrics::lens::TieType::of(x, y).name()
}

/// Which of the three kinds of social capital a tie between `x` and `y` is, as the tie
/// indicators count them (each on its own, so a tie can be bridging and linking at once):
/// (bonding: the same origin, bridging: across the majority line, linking: a newcomer and a
/// volunteer or staff member).
fn tie_capital(x: &crate::model::Person, y: &crate::model::Person) -> (bool, bool, bool) {
    use crate::metrics::lens::Class;
    let newcomer = |p: &crate::model::Person| Class::of(p) == Class::Newcomer;
    (
        x.origin == y.origin,
        x.majority != y.majority,
        (newcomer(x) && y.status.is_local()) || (newcomer(y) && x.status.is_local()),
    )
}

/// Ties weaker than this are not drawn (a tie starts at 0 and grows with shared meetings).
const TIE_DRAWN: f32 = 0.05;

/// The group's tie network at the end of a week: the active persons' ties, typed.
fn network_json(w: &trace::WeekState) -> Value {
    let g = w.group;
    let n = g.n();
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (x, y) = (&g.persons[a], &g.persons[b]);
            let tie = g.ties[a * n + b];
            if x.active && y.active && tie >= TIE_DRAWN {
                edges.push(json!({ "a": a, "b": b, "w": r4(tie as f64), "kind": tie_kind(x, y) }));
            }
        }
    }
    json!({ "week": w.week, "edges": edges, "threshold": r4(TIE_DRAWN as f64) })
}

/// The active volunteers and staff (the hosts whose beliefs count, M4).
fn hosts(g: &crate::model::group::Group) -> Vec<usize> {
    (0..g.n())
        .filter(|&v| g.persons[v].active && g.persons[v].status.is_local())
        .collect()
}

/// Each person at the end of a week: her agency, true and perceived competence (the mean of the
/// active hosts' views), whether she is in limbo, and which hosts count her as an exception
/// (subtyped, M4).
fn people_json(w: &trace::WeekState) -> Value {
    let g = w.group;
    let n = g.n();
    let hosts = hosts(g);
    let out: Vec<Value> = (0..n)
        .map(|j| {
            let x = &g.persons[j];
            let b = crate::metrics::observe::beliefs_about(g, w.design, j, &hosts);
            let exception_for: Vec<usize> = hosts
                .iter()
                .copied()
                .filter(|&v| v != j && g.flags[v * n + j] & crate::model::group::SUBTYPED != 0)
                .collect();
            let participant = x.status.is_participant();
            json!({
                "slot": j,
                "name": w.names.get(j),
                "role": x.status,
                "majority": x.majority,
                "active": x.active,
                "agency": r4(x.agency),
                "competence": r4(x.competence()),
                "perceived": if participant && b.pairs > 0.0 { r4(b.perceived / b.pairs) } else { Value::Null },
                "limbo": b.limbo,
                "exception_for": if participant { exception_for } else { Vec::new() },
            })
        })
        .collect();
    Value::Array(out)
}

/// Every slot of the group, week by week: who held it, her role, agency, true and perceived
/// competence, and the strength of her bonding, bridging and linking ties (the classroom page
/// follows one person with it).
#[derive(Default)]
struct History {
    weeks: u32,
    slots: Vec<SlotHistory>,
}

#[derive(Default)]
struct SlotHistory {
    /// (first week, name) each time the slot's holder changes.
    names: Vec<(u32, String)>,
    /// One letter a week: p participant, c co-organizer, v volunteer, s staff, - not active.
    roles: String,
    agency: Vec<Value>,
    competence: Vec<Value>,
    perceived: Vec<Value>,
    bonding: Vec<Value>,
    bridging: Vec<Value>,
    linking: Vec<Value>,
}

impl History {
    fn record(&mut self, w: &trace::WeekState) {
        use crate::model::Status;
        let g = w.group;
        let n = g.n();
        if self.slots.len() < n {
            self.slots.resize_with(n, SlotHistory::default);
        }
        self.weeks = w.week;
        let hosts = hosts(g);
        for (j, h) in self.slots.iter_mut().enumerate().take(n) {
            let x = &g.persons[j];
            let name = w.names.get(j).cloned().unwrap_or_default();
            if h.names.last().is_none_or(|(_, last)| *last != name) {
                h.names.push((w.week, name));
            }
            h.roles.push(if !x.active {
                '-'
            } else {
                match x.status {
                    Status::Participant => 'p',
                    Status::CoOrganizer => 'c',
                    Status::Volunteer => 'v',
                    Status::Staff => 's',
                }
            });
            let b = crate::metrics::observe::beliefs_about(g, w.design, j, &hosts);
            let on = x.active;
            let v = |y: f64| if on { r4(y) } else { Value::Null };
            h.agency.push(v(x.agency));
            h.competence.push(v(x.competence()));
            h.perceived
                .push(if on && x.status.is_participant() && b.pairs > 0.0 {
                    r4(b.perceived / b.pairs)
                } else {
                    Value::Null
                });
            let (mut bo, mut br, mut li) = (0.0, 0.0, 0.0);
            for k in (0..n).filter(|&k| k != j && g.persons[k].active) {
                let tie = g.ties[j * n + k] as f64;
                let (bonding, bridging, linking) = tie_capital(x, &g.persons[k]);
                bo += if bonding { tie } else { 0.0 };
                br += if bridging { tie } else { 0.0 };
                li += if linking { tie } else { 0.0 };
            }
            h.bonding.push(v(bo));
            h.bridging.push(v(br));
            h.linking.push(v(li));
        }
    }

    fn json(&self) -> Value {
        let slots: Vec<Value> = self
            .slots
            .iter()
            .map(|h| {
                json!({
                    "names": h.names, "roles": h.roles, "agency": h.agency,
                    "competence": h.competence, "perceived": h.perceived,
                    "bonding": h.bonding, "bridging": h.bridging, "linking": h.linking,
                })
            })
            .collect();
        json!({ "weeks": self.weeks, "slots": slots })
    }
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
            let lens = indicator(key).map(headline_lens).unwrap_or("all");
            json!({ "key": key, "lens": lens, "whom": whom(key, lens, true), "title": title, "meaning": meaning })
        }).collect::<Vec<_>>(),
        "subject": crate::present::meta::newcomers_words(Lang::En),
        "not_a_forecast": crate::present::meta::not_a_forecast(Lang::En),
    })
}

/// The page's strings in one language (the catalogue's `[page]` table), with the languages the
/// switch offers: `GET /api/strings?lang=nb`; without `lang`, the server's language.
fn strings_endpoint(url: &str, default: Lang) -> Res<Value> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or("");
    let mut lang = default;
    for pair in query.split('&') {
        if let Some(code) = pair.strip_prefix("lang=") {
            lang = code.parse::<Lang>().map_err(|e| bad(e.to_string()))?;
        }
    }
    let languages: Vec<Value> = Lang::ALL
        .iter()
        .map(|l| json!({ "code": l.code(), "name": l.tr("common.language") }))
        .collect();
    Ok(json!({
        "lang": lang.code(),
        "default": default.code(),
        "languages": languages,
        "strings": lang.section("page"),
    }))
}

/// The page itself, opening in the server's language (`<html lang>` and `data-lang`; app.js
/// fetches that language's strings before it draws anything).
fn index_html(lang: Lang) -> String {
    INDEX_HTML.replacen(
        "<html lang=\"en\">",
        &format!("<html lang=\"{0}\" data-lang=\"{0}\">", lang.code()),
        1,
    )
}

/// Answers one request for a server in English. Never panics on any input (the HTTP layer also
/// catches panics).
pub fn handle(method: &str, url: &str, body: &[u8]) -> Reply {
    handle_in(Lang::En, method, url, body)
}

/// Answers one request for a server whose page opens in `lang` (`serve --lang`).
pub fn handle_in(lang: Lang, method: &str, url: &str, body: &[u8]) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let api = |r: Res<Value>| match r {
        Ok(v) => Reply::json(200, &v),
        Err(Fail(status, m)) => Reply::error(status, m),
    };
    match (method, path) {
        ("GET", "/") | ("GET", "/index.html") => {
            Reply::asset("text/html; charset=utf-8", &index_html(lang))
        }
        ("GET", "/api/strings") => api(strings_endpoint(url, lang)),
        ("GET", "/app.js") => Reply::asset("text/javascript; charset=utf-8", APP_JS),
        ("GET", "/style.css") => Reply::asset("text/css; charset=utf-8", STYLE_CSS),
        ("GET", "/api/scenarios") => Reply::json(200, &scenarios_endpoint()),
        ("POST", "/api/compare") => api(compare(body)),
        ("POST", "/api/trace") => api(trace_endpoint(body)),
        ("POST", "/api/scenario.toml") => match toml_endpoint(body) {
            Ok(r) => r,
            Err(Fail(status, m)) => Reply::error(status, m),
        },
        (_, "/" | "/index.html" | "/app.js" | "/style.css" | "/api/scenarios" | "/api/strings") => {
            Reply::error(405, format!("{method} {path}: use GET"))
        }
        (_, "/api/compare" | "/api/trace" | "/api/scenario.toml") => {
            Reply::error(405, format!("{method} {path}: use POST with a JSON body"))
        }
        _ => Reply::error(404, format!("no page {path}; the page is at /, the API at /api/scenarios, /api/strings, /api/compare, /api/trace, /api/scenario.toml")),
    }
}

// ---------------------------------------------------------------------------------------------
// The HTTP/1.1 layer: a small std-only server that no client can stall.
// ---------------------------------------------------------------------------------------------

/// How the server treats connections: what bounds a slow, idle or oversized client.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    /// Connections open at once. When full, the oldest connection still sending its request
    /// (or still receiving its answer) is dropped for the new one; when every connection holds a
    /// complete request, the new one gets 503.
    pub connections: usize,
    /// Bytes of request line and headers (431 beyond).
    pub head: usize,
    /// Time a client has to send its whole request (408 after).
    pub request_time: Duration,
    /// Longest wait for one read or write on a connection.
    pub io_timeout: Duration,
}

/// The bounds `dugnad serve` uses.
pub const SERVER: ServerLimits = ServerLimits {
    connections: 64,
    head: 16 * 1024,
    request_time: Duration::from_secs(10),
    io_timeout: Duration::from_secs(5),
};

/// A parsed request line and the headers the server acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    pub target: String,
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub version: String,
    /// The Host header, if any.
    pub host: Option<String>,
    /// The declared body length (0 when absent).
    pub content_length: u64,
    /// `Expect: 100-continue` was sent.
    pub expect_continue: bool,
}

/// Parses a request head (request line and headers, without the blank line). A malformed head
/// is the error reply to send (400, 501, 505).
pub fn parse_head(bytes: &[u8]) -> Result<Head, Reply> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Reply::error(400, "the request head is not text"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().unwrap_or("");
    let mut parts = line.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) if !m.is_empty() && !t.is_empty() => (m, t, v),
        _ => return Err(Reply::error(400, "malformed request line")),
    };
    if !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Reply::error(400, "malformed request method"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(Reply::error(
            505,
            "only HTTP/1.0 and HTTP/1.1 are spoken here",
        ));
    }
    let mut head = Head {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        host: None,
        content_length: 0,
        expect_continue: false,
    };
    let mut length: Option<u64> = None;
    for l in lines {
        if l.is_empty() {
            continue;
        }
        let (name, value) = l
            .split_once(':')
            .ok_or_else(|| Reply::error(400, "malformed header line"))?;
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(Reply::error(400, "malformed header name"));
        }
        let value = value.trim_matches([' ', '\t']);
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                let n: u64 = value
                    .parse()
                    .ok()
                    .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| Reply::error(400, "Content-Length is not a number"))?;
                if length.is_some_and(|m| m != n) {
                    return Err(Reply::error(400, "two different Content-Length headers"));
                }
                length = Some(n);
            }
            "transfer-encoding" => {
                return Err(Reply::error(
                    501,
                    "bodies with Transfer-Encoding are not accepted; send Content-Length",
                ))
            }
            "host" => {
                if head.host.is_some() {
                    return Err(Reply::error(400, "two Host headers"));
                }
                head.host = Some(value.to_string());
            }
            "expect" => head.expect_continue = value.eq_ignore_ascii_case("100-continue"),
            _ => {}
        }
    }
    head.content_length = length.unwrap_or(0);
    Ok(head)
}

/// The host names a server bound to `addr` answers to: for a loopback address the loopback
/// names and the address itself (a page of another site that resolves its own name to this
/// computer — DNS rebinding — is refused); `None` (any name) when `--host` opened the server
/// to the network.
pub fn allowed_hosts(addr: SocketAddr) -> Option<Vec<String>> {
    if !addr.ip().is_loopback() {
        return None;
    }
    let own = match addr.ip() {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    Some(vec![
        "localhost".into(),
        "127.0.0.1".into(),
        "[::1]".into(),
        own,
    ])
}

/// Whether a Host header names this server (see [`allowed_hosts`]). The port is not checked.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, _)) => format!("[{ip}]"),
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((n, port)) if port.bytes().all(|b| b.is_ascii_digit()) => n.to_string(),
            Some(_) => return false,
            None => host.clone(),
        },
    };
    let name = name.strip_suffix('.').unwrap_or(&name);
    name.ends_with(".localhost") || allowed.iter().any(|a| a == name)
}

/// The reason phrase of a status code.
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// The bytes of a complete response (the connection is closed after it).
fn response_bytes(reply: &Reply) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    for (n, v) in &reply.headers {
        // Header values come from the handler; never let one break the framing.
        if !n.contains(['\r', '\n', ':']) && !v.contains(['\r', '\n']) {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&reply.body);
    bytes
}

/// What a connection is doing, for choosing which one to drop when full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Sending its request: droppable.
    Reading,
    /// Holding a complete request (waiting for a worker or being answered): kept.
    Working,
    /// Receiving its answer: droppable.
    Writing,
}

struct Conn {
    id: u64,
    since: Instant,
    phase: Phase,
    /// A handle to shut the socket down from the acceptor.
    stream: TcpStream,
}

/// A counting semaphore: at most `workers` requests are answered at once.
struct Permits {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Permits {
    fn acquire(&self) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
    }
    fn release(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.freed.notify_one();
    }
}

struct Shared {
    limits: ServerLimits,
    lang: Lang,
    allowed: Option<Vec<String>>,
    log: bool,
    stopping: AtomicBool,
    conns: Mutex<Vec<Conn>>,
    permits: Permits,
}

impl Shared {
    fn conns(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_phase(&self, id: u64, phase: Phase) {
        if let Some(c) = self.conns().iter_mut().find(|c| c.id == id) {
            c.phase = phase;
            c.since = Instant::now();
        }
    }

    /// Registers a new connection, dropping the oldest droppable one when full. False when
    /// every slot holds a complete request.
    fn admit(&self, id: u64, stream: &TcpStream) -> bool {
        let Ok(handle) = stream.try_clone() else {
            return false;
        };
        let mut conns = self.conns();
        if conns.len() >= self.limits.connections {
            let oldest = conns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.phase != Phase::Working)
                .min_by_key(|(_, c)| c.since)
                .map(|(i, _)| i);
            match oldest {
                Some(i) => {
                    let c = conns.swap_remove(i);
                    let _ = c.stream.shutdown(Shutdown::Both);
                }
                None => return false,
            }
        }
        conns.push(Conn {
            id,
            since: Instant::now(),
            phase: Phase::Reading,
            stream: handle,
        });
        true
    }
}

/// A running server: one thread accepting connections, one thread per open connection (at
/// most [`ServerLimits::connections`]), at most `workers` requests answered at once.
pub struct Running {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, drops the open connections, and waits for the acceptor.
    pub fn stop(self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        let _ = self.acceptor.join();
        for c in self.shared.conns().iter() {
            let _ = c.stream.shutdown(Shutdown::Both);
        }
    }

    /// Blocks until the server ends (it does not, unless stopped).
    pub fn wait(self) {
        let _ = self.acceptor.join();
    }
}

/// Why reading a request ended without one.
enum ReadFail {
    /// The client went away (or was dropped for a newer connection).
    Closed,
    /// The client took longer than allowed.
    Timeout,
    /// A reply to send instead of an answer (400, 413, 431, ...).
    Reply(Reply),
}

/// Reads up to `limit` more bytes into `buf` before `deadline`, one read call.
fn read_some(
    s: &mut TcpStream,
    buf: &mut Vec<u8>,
    limit: usize,
    deadline: Instant,
    io: Duration,
) -> Result<(), ReadFail> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(ReadFail::Timeout);
    }
    s.set_read_timeout(Some(left.min(io)))
        .map_err(|_| ReadFail::Closed)?;
    let mut chunk = [0u8; 8192];
    let want = limit.min(chunk.len()).max(1);
    match s.read(&mut chunk[..want]) {
        Ok(0) => Err(ReadFail::Closed),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Err(ReadFail::Timeout)
        }
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(()),
        Err(_) => Err(ReadFail::Closed),
    }
}

/// Reads one request within the limits: (head, body).
fn read_request(s: &mut TcpStream, shared: &Shared) -> Result<(Head, Vec<u8>), ReadFail> {
    let l = shared.limits;
    let deadline = Instant::now() + l.request_time;
    let mut buf = Vec::new();
    let mut searched = 0;
    let end = loop {
        if let Some(i) = buf[searched..].windows(4).position(|w| w == b"\r\n\r\n") {
            break searched + i;
        }
        searched = buf.len().saturating_sub(3);
        if buf.len() > l.head {
            return Err(ReadFail::Reply(Reply::error(
                431,
                format!("the request head is larger than {} bytes", l.head),
            )));
        }
        let room = l.head + 4 - buf.len();
        read_some(s, &mut buf, room, deadline, l.io_timeout)?;
    };
    let head = parse_head(&buf[..end]).map_err(ReadFail::Reply)?;
    match (&shared.allowed, &head.host) {
        (Some(allowed), Some(h)) if !host_allowed(h, allowed) => {
            return Err(ReadFail::Reply(Reply::error(
                403,
                format!(
                    "Host '{h}' is not this server: it answers to localhost and 127.0.0.1 only (protection \
                     against DNS rebinding); to open it to other computers, start it with --host 0.0.0.0"
                ),
            )))
        }
        (Some(_), None) if head.version == "HTTP/1.1" => {
            return Err(ReadFail::Reply(Reply::error(400, "an HTTP/1.1 request needs a Host header")))
        }
        _ => {}
    }
    if head.content_length > LIMITS.body as u64 {
        return Err(ReadFail::Reply(Reply::error(
            413,
            format!(
                "the request body ({} bytes) is larger than {} bytes",
                head.content_length, LIMITS.body
            ),
        )));
    }
    let want = head.content_length as usize;
    let mut body = buf.split_off(end + 4);
    if head.expect_continue && body.len() < want {
        let _ = s.set_write_timeout(Some(l.io_timeout));
        s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| ReadFail::Closed)?;
    }
    while body.len() < want {
        let room = want - body.len();
        read_some(s, &mut body, room, deadline, l.io_timeout)?;
    }
    body.truncate(want);
    Ok((head, body))
}

/// Sends a reply, then reads (and discards) what the client may still be sending for a short
/// while, so that closing does not reset the connection before the client reads the reply.
fn send(s: &mut TcpStream, reply: &Reply, io: Duration) {
    let _ = s.set_write_timeout(Some(io));
    if s.write_all(&response_bytes(reply)).is_err() {
        return;
    }
    let _ = s.flush();
    let _ = s.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 8192];
    let mut drained = 0usize;
    while drained < 1 << 20 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || s.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match s.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// Serves one connection: one request, one reply, then close.
fn connection(shared: &Shared, id: u64, mut s: TcpStream) {
    let started = Instant::now();
    let _ = s.set_nodelay(true);
    let io = shared.limits.io_timeout;
    let (head, body) = match read_request(&mut s, shared) {
        Ok(r) => r,
        Err(ReadFail::Closed) => return,
        Err(ReadFail::Timeout) => {
            shared.set_phase(id, Phase::Writing);
            let r = Reply::error(
                408,
                format!(
                    "the request did not arrive within {} s",
                    shared.limits.request_time.as_secs_f64()
                ),
            );
            send(&mut s, &r, io);
            return;
        }
        Err(ReadFail::Reply(r)) => {
            shared.set_phase(id, Phase::Writing);
            send(&mut s, &r, io);
            return;
        }
    };
    shared.set_phase(id, Phase::Working);
    shared.permits.acquire();
    let reply =
        std::panic::catch_unwind(|| handle_in(shared.lang, &head.method, &head.target, &body))
            .unwrap_or_else(|_| {
                Reply::error(
                    500,
                    "internal error while answering this request; the server keeps running",
                )
            });
    shared.permits.release();
    if shared.log && head.target.starts_with("/api/") {
        eprintln!(
            "{} {} → {} in {:.0} ms",
            head.method,
            head.target,
            reply.status,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    shared.set_phase(id, Phase::Writing);
    send(&mut s, &reply, io);
}

/// Starts a server on host:port (port 0: any free port) answering at most `workers` requests
/// at once, with the bounds of [`SERVER`].
pub fn start(host: &str, port: u16, workers: usize, log: bool) -> anyhow::Result<Running> {
    start_with(host, port, workers, log, SERVER)
}

/// [`start`] with the page opening in `lang` (`serve --lang nb`).
pub fn start_in(
    host: &str,
    port: u16,
    workers: usize,
    log: bool,
    lang: Lang,
) -> anyhow::Result<Running> {
    start_full(host, port, workers, log, SERVER, lang)
}

/// [`start`] with other connection bounds (tests use short timeouts).
pub fn start_with(
    host: &str,
    port: u16,
    workers: usize,
    log: bool,
    limits: ServerLimits,
) -> anyhow::Result<Running> {
    start_full(host, port, workers, log, limits, Lang::En)
}

fn start_full(
    host: &str,
    port: u16,
    workers: usize,
    log: bool,
    limits: ServerLimits,
    lang: Lang,
) -> anyhow::Result<Running> {
    let listener = TcpListener::bind((host, port))
        .map_err(|e| anyhow::anyhow!("cannot listen on {host}:{port}: {e}"))?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        limits: ServerLimits {
            connections: limits.connections.max(1),
            ..limits
        },
        lang,
        allowed: allowed_hosts(addr),
        log,
        stopping: AtomicBool::new(false),
        conns: Mutex::new(Vec::new()),
        permits: Permits {
            free: Mutex::new(workers.max(1)),
            freed: Condvar::new(),
        },
    });
    let acceptor = {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("dugnad-serve-accept".into())
            .spawn(move || accept(&listener, &shared))?
    };
    Ok(Running {
        addr,
        shared,
        acceptor,
    })
}

/// The accept loop: admits each connection (dropping the oldest idle one when full) and gives
/// it a thread.
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    let mut next_id = 0u64;
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let mut stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: let connections finish.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        next_id += 1;
        let id = next_id;
        if !shared.admit(id, &stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let r = Reply::error(
                503,
                "the server is busy answering other requests; try again",
            );
            let _ = stream.write_all(&response_bytes(&r));
            continue;
        }
        let sh = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("dugnad-serve-conn".into())
            .stack_size(4 << 20)
            .spawn(move || {
                connection(&sh, id, stream);
                sh.conns().retain(|c| c.id != id);
            });
        if spawned.is_err() {
            shared.conns().retain(|c| c.id != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_charted_indicator_has_classroom_words_from_the_catalogue() {
        for name in charted() {
            let own = Lang::En.catalogue().get(&format!("page.ind_{name}"));
            assert!(own.is_some(), "{name} has no classroom title");
            assert_eq!(&classroom_label(name).0, own.unwrap());
            assert_ne!(classroom_label(name).1, indicator(name).unwrap().meaning());
        }
        assert_eq!(classroom_label("new_thing").0, "new thing");
    }
}
