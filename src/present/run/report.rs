//! The run report: one self-contained `report.html` beside the CSVs.
//!
//! It opens with what was run, in words (scenario, activity designs, who takes part), shows
//! the charts (the SVGs from `charts/`, inlined), then every indicator with its meaning and
//! confidence intervals, and ends with how the run was made (seed, version, command line).
//! Nothing is loaded from outside the file: no external CSS, JS, fonts or images. All text
//! taken from the folder's files is HTML-escaped.

use super::data::{RunData, SummaryRow, WeekStat};
use super::{Figure, SHEETS};
use crate::metrics::indicators::{key_series, View};
use crate::output::atomic::write_file_atomic;
use crate::present::html::{escape as esc, inline_svg_file, report_start, REPORT_END};
use crate::present::meta::{self, Kind};
use crate::present::style::{
    fmt_fixed, lens_colour, LOCAL_PARTICIPANTS, NEWCOMERS, STAFF, VOLUNTEERS,
};
use plotters::style::RGBColor;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// Renders `<dir>/report.html` from the folder's CSVs, manifest and the SVGs in charts/ (inline), self-contained.
pub fn write_report(dir: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    write_report_with(dir, &[])
}

/// Hook so later features (comparison, sweep, sensitivity) can add sections: each (title, html) pair is appended after the summary table.
///
/// The titles are escaped; the html is inserted as given, so callers must escape any text
/// they take from files (see [`crate::present::html::escape`]).
pub fn write_report_with(
    dir: &std::path::Path,
    extra_sections: &[(String, String)],
) -> anyhow::Result<std::path::PathBuf> {
    let data = RunData::load(dir)?;
    let html = render(&data, dir, extra_sections);
    let path = dir.join("report.html");
    write_file_atomic(&path, html.as_bytes())?;
    Ok(path)
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn render(data: &RunData, dir: &Path, extra: &[(String, String)]) -> String {
    let m = data.manifest.as_ref().unwrap_or(&Value::Null);
    let scen = m.get("scenario").unwrap_or(&Value::Null);
    let name = str_at(scen, "name")
        .or_else(|| dir.file_name().map(|f| f.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "run".into());
    let mut h = report_start(&format!("dugnad report: {name}"));
    intro(&mut h, data, scen, &name);
    glance(&mut h, data);
    design(&mut h, scen);
    charts(&mut h, dir);
    summary_table(&mut h, data);
    for (title, body) in extra {
        let _ = write!(
            h,
            "<section>\n<h2>{}</h2>\n{}\n</section>\n",
            esc(title),
            body
        );
    }
    manifest(&mut h, m);
    h.push_str(REPORT_END);
    h
}

// ---------------------------------------------------------------- JSON helpers

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn num_at(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

fn bool_at(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

fn arr_at<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn strings_at(v: &Value, key: &str) -> Vec<String> {
    arr_at(v, key)
        .iter()
        .map(|x| match x {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// A trait distribution (serde form of `Dist`, e.g. `{"beta":[6.0,3.0]}`) as (mean, spec).
pub fn dist_summary(v: &Value) -> Option<(f64, String)> {
    if let Some(x) = v.as_f64() {
        return Some((x, fmt_num(x)));
    }
    let (kind, args) = v.as_object()?.iter().next()?;
    let nums: Vec<f64> = match args {
        Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
        other => other.as_f64().into_iter().collect(),
    };
    let list = nums
        .iter()
        .map(|x| fmt_num(*x))
        .collect::<Vec<_>>()
        .join(", ");
    let mean = match (kind.as_str(), nums.as_slice()) {
        ("const", [c]) => *c,
        ("uniform", [a, b]) => (a + b) / 2.0,
        ("beta", [a, b]) if a + b > 0.0 => a / (a + b),
        ("normal", [m, _]) => *m,
        ("triangular", [lo, mode, hi]) => (lo + mode + hi) / 3.0,
        _ => return None,
    };
    let spec = if kind == "const" {
        format!("constant {list}")
    } else {
        format!("{kind}({list})")
    };
    Some((mean, spec))
}

/// A label (serde form of `Label`: `{"fixed":"local"}` or `{"choice":{options,weights}}`) in words.
pub fn label_text(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    if let Some(s) = v.get("fixed").and_then(Value::as_str) {
        return s.to_string();
    }
    if let Some(c) = v.get("choice") {
        let opts = strings_at(c, "options");
        let w: Vec<f64> = arr_at(c, "weights")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        let total: f64 = w.iter().sum();
        return opts
            .iter()
            .enumerate()
            .map(|(i, o)| match w.get(i) {
                Some(x) if total > 0.0 => format!("{o} {} %", fmt_fixed(100.0 * x / total, 0)),
                _ => o.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
    }
    "\u{2014}".into()
}

fn fmt_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e9 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A value for tables: percentages for shares, otherwise up to 3 decimals.
pub fn fmt_value(kind: Kind, v: Option<f64>) -> String {
    let Some(v) = v else {
        return "NA".into();
    };
    match kind {
        Kind::Share => format!("{} %", fmt_fixed(v * 100.0, 1)),
        Kind::Count => fmt_fixed(v, if v.abs() >= 100.0 { 0 } else { 2 }),
        _ => fmt_fixed(v, if v.abs() >= 100.0 { 1 } else { 3 }),
    }
}

/// "n = 46 of 200 replicates" when a statistic rests on fewer replicates than ran, else "".
pub fn fewer_replicates(n: u32, replicates: u64) -> String {
    if (n as u64) < replicates {
        format!("n = {n} of {replicates} replicates")
    } else {
        String::new()
    }
}

fn level_word(v: f64) -> &'static str {
    match v {
        v if v < 0.15 => "very low",
        v if v < 0.35 => "low",
        v if v < 0.65 => "moderate",
        v if v < 0.85 => "high",
        _ => "very high",
    }
}

fn plural(n: f64, one: &str, many: &str) -> String {
    if (n - 1.0).abs() < 1e-9 {
        format!("1 {one}")
    } else {
        format!("{} {many}", fmt_num(n))
    }
}

fn fmt_duration(secs: f64) -> String {
    if secs < 60.0 {
        format!("{} s", fmt_fixed(secs, if secs < 10.0 { 2 } else { 1 }))
    } else if secs < 3600.0 {
        format!("{} min {} s", (secs / 60.0).floor(), (secs % 60.0).round())
    } else {
        format!(
            "{} h {} min",
            (secs / 3600.0).floor(),
            ((secs % 3600.0) / 60.0).round()
        )
    }
}

/// Joins a command line for display, quoting arguments that need it.
pub fn shell_join(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------- sections

fn intro(h: &mut String, data: &RunData, scen: &Value, name: &str) {
    let desc = str_at(scen, "description").unwrap_or_default();
    let reps = data.replicates();
    let weeks = data.final_week();
    let _ = write!(
        h,
        "<header>\n<p class=\"kicker\">dugnad run report</p>\n<h1>{}</h1>\n",
        esc(name)
    );
    if !desc.trim().is_empty() {
        let _ = writeln!(h, "<p class=\"lead\">{}</p>", esc(&desc));
    }
    let mut facts = vec![plural(reps as f64, "replicate", "replicates")];
    if let Some(w) = weeks {
        facts.push(format!("{} each", plural(w as f64, "week", "weeks")));
    }
    if let Some(seed) = data.manifest.as_ref().and_then(|m| m.get("seed")) {
        facts.push(format!("seed {}", esc(&seed.to_string())));
    }
    let _ = writeln!(h, "<p class=\"facts\">{}</p>", facts.join(" \u{b7} "));
    let _ = writeln!(
        h,
        "<p>This report shows one run of the <em>dugnad</em> simulator: a model of how \
         volunteers and immigrant participants interact in a voluntary integration activity \
         \u{2014} who gets to speak, who is spoken for, what kind of help is given, and whether \
         participants gain agency or are held in a dependent position. Each <em>replicate</em> \
         is the same activity run again with different chance events; the results below are \
         averages over the replicates, with uncertainty ranges.</p>"
    );
    let _ = writeln!(
        h,
        "<p>The headline figures are about the <b>{}</b>: the study's immigrant participants. \
         Local participants (participants of a majority origin, such as a dugnad's neighbours), \
         volunteers and staff have figures of their own (the <code>lens</code> column of every \
         CSV); <i>all</i> pools a figure's whole subject.</p>\n<p class=\"caveat\"><b>A model, not a \
         forecast.</b> {}</p>",
        meta::NEWCOMERS_WORDS,
        esc(meta::NOT_A_FORECAST)
    );
    h.push_str(
        "<nav><a href=\"#glance\">At a glance</a><a href=\"#design\">What was simulated</a>\
         <a href=\"#charts\">Charts</a><a href=\"#summary\">All indicators</a>\
         <a href=\"#manifest\">How this was run</a></nav>\n</header>\n",
    );
}

/// First and last defined weekly mean of an indicator.
fn first_last(stats: &[WeekStat]) -> Option<((u32, f64), (u32, f64))> {
    let mut it = stats.iter().filter_map(|s| Some((s.week, s.stats.mean?)));
    let first = it.next()?;
    let last = it.next_back().unwrap_or(first);
    Some((first, last))
}

fn glance(h: &mut String, data: &RunData) {
    h.push_str("<section id=\"glance\">\n<h2>At a glance</h2>\n");
    let week = data.final_week_words();
    let _ = writeln!(
        h,
        "<p>Values in {week} (the last week) for the {}, as the mean over replicates with its \
         95 % confidence interval, and how the weekly mean moved over the run; volunteer \
         indicators are of all volunteers and staff. Where fewer replicates than ran define a \
         value (a lens with nobody in it in some replicates), the card says on how many it rests.</p>",
        meta::NEWCOMERS_WORDS
    );
    h.push_str("<div class=\"cards\">\n");
    let mut any = false;
    let replicates = data.replicates();
    for (name, lens) in key_series(View::Glance) {
        let m = meta::meta(name);
        let row = data.summary_row("final_week", name, lens);
        let traj = first_last(data.timeseries.get(name, lens));
        if row.and_then(|r| r.stats.mean).is_none() && traj.is_none() {
            continue;
        }
        any = true;
        let colour = hex(lens_colour(lens));
        let value = row
            .map(|r| fmt_value(m.kind, r.stats.mean))
            .or_else(|| traj.map(|t| fmt_value(m.kind, Some(t.1 .1))))
            .unwrap_or_else(|| "NA".into());
        let ci = row
            .and_then(|r| Some((r.stats.ci_low?, r.stats.ci_high?)))
            .map(|(lo, hi)| {
                format!(
                    "95 % CI {} \u{2013} {}",
                    fmt_value(m.kind, Some(lo)),
                    fmt_value(m.kind, Some(hi))
                )
            })
            .unwrap_or_default();
        let moved = match traj {
            Some(((w0, v0), (w1, v1))) if w1 > w0 => format!(
                "week {w0}: {} \u{2192} week {w1}: {}",
                fmt_value(m.kind, Some(v0)),
                fmt_value(m.kind, Some(v1))
            ),
            _ => String::new(),
        };
        let n = row
            .map(|r| fewer_replicates(r.stats.n, replicates))
            .unwrap_or_default();
        let locals = data
            .summary_row("final_week", name, "local_participants")
            .filter(|_| lens == "newcomers")
            .and_then(|r| r.stats.mean)
            .map(|v| format!("local participants: {}", fmt_value(m.kind, Some(v))))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<div class=\"card\" style=\"--bar:{colour}\"><div class=\"t\">{}</div>\
             <div class=\"v\">{}</div><div class=\"s\">{}</div><div class=\"s\">{}</div>\
             <div class=\"s\">{}</div><div class=\"s\">{}</div><div class=\"m\">{}</div></div>",
            esc(&meta::series_title(name, lens)),
            esc(&value),
            esc(&ci),
            esc(&n),
            esc(&locals),
            esc(&moved),
            esc(m.meaning)
        );
    }
    h.push_str("</div>\n");
    if !any {
        h.push_str("<p class=\"missing\">No indicator values were found in this folder.</p>\n");
    }
    h.push_str("</section>\n");
}

fn design(h: &mut String, scen: &Value) {
    h.push_str("<section id=\"design\">\n<h2>What was simulated</h2>\n");
    if scen.is_null() {
        h.push_str(
            "<p class=\"missing\">The manifest holds no scenario, so the design cannot be \
             described.</p>\n</section>\n",
        );
        return;
    }
    let pops = arr_at(scen, "populations");
    for act in arr_at(scen, "activities") {
        activity(h, act, pops);
    }
    populations(h, pops);
    stereotypes(h, scen);
    if let Some(params) = scen.get("params").and_then(Value::as_object) {
        let _ = write!(
            h,
            "<details><summary>All {} model parameters</summary>\n<div class=\"wide\"><table>\
             <tr><th>parameter</th><th class=\"num\">value</th></tr>\n",
            params.len()
        );
        for (k, v) in params {
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td class=\"num\">{}</td></tr>",
                esc(k),
                esc(&v.as_f64().map(fmt_num).unwrap_or_else(|| v.to_string()))
            );
        }
        h.push_str("</table></div></details>\n");
    }
    h.push_str("</section>\n");
}

fn activity(h: &mut String, act: &Value, pops: &[Value]) {
    let key = str_at(act, "key").unwrap_or_else(|| "activity".into());
    let kind = str_at(act, "kind").unwrap_or_default();
    let _ = write!(h, "<h3>Activity \u{201c}{}\u{201d}", esc(&key));
    if !kind.is_empty() && kind != key {
        let _ = write!(h, " ({})", esc(&kind));
    }
    h.push_str("</h3>\n");
    let mut s = meetings(act);
    s.push_str(&composition(act, pops));
    let _ = writeln!(h, "<p>{}</p>", esc(s.trim()));
    let items = design_items(act);
    if !items.is_empty() {
        h.push_str("<ul>\n");
        for it in items {
            let _ = writeln!(h, "<li>{it}</li>");
        }
        h.push_str("</ul>\n");
    }
}

/// How many groups a replicate runs and how often, how long and how talkatively they meet.
fn meetings(act: &Value) -> String {
    let mut s = String::new();
    if let Some(g) = num_at(act, "groups") {
        let _ = write!(
            s,
            "Each replicate runs {} of this activity. ",
            plural(g, "group", "independent groups")
        );
    }
    let mpw = num_at(act, "meetings_per_week");
    let hours = num_at(act, "hours_per_meeting");
    let turns = num_at(act, "turns_per_meeting");
    if let Some(m) = mpw {
        let times = match m as i64 {
            1 => "once".to_string(),
            2 => "twice".to_string(),
            _ => format!("{} times", fmt_num(m)),
        };
        let _ = write!(s, "A group meets {times} a week");
        if let Some(hh) = hours {
            let _ = write!(s, " for {}", plural(hh, "hour", "hours"));
        }
        if let Some(t) = turns {
            let _ = write!(s, ", with about {} speaking turns per meeting", fmt_num(t));
        }
        s.push_str(". ");
    }
    s
}

/// Who a group starts with, by role, from the populations the activity draws on.
fn composition(act: &Value, pops: &[Value]) -> String {
    let mut s = String::new();
    let keys = strings_at(act, "populations");
    let mut by_role: Vec<(String, f64)> = Vec::new();
    for p in pops {
        let pk = str_at(p, "key").unwrap_or_default();
        if !keys.is_empty() && !keys.contains(&pk) {
            continue;
        }
        let role = str_at(p, "role").unwrap_or_else(|| "person".into());
        let n = num_at(p, "count").unwrap_or(0.0);
        match by_role.iter_mut().find(|r| r.0 == role) {
            Some(r) => r.1 += n,
            None => by_role.push((role, n)),
        }
    }
    if !by_role.is_empty() {
        let rank = |r: &str| match r {
            "participant" => 0,
            "volunteer" => 1,
            "staff" => 2,
            _ => 3,
        };
        by_role.sort_by_key(|r| rank(&r.0));
        let parts: Vec<String> = by_role
            .iter()
            .map(|(role, n)| match role.as_str() {
                "staff" => plural(*n, "staff member", "staff members"),
                r => plural(*n, r, &format!("{r}s")),
            })
            .collect();
        let _ = write!(s, "Each group starts with {}.", parts.join(", "));
    }
    s
}

/// The activity's design, one list item each: levels in words, switches, policies.
fn design_items(act: &Value) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let lvl = |key: &str, what: &str, high: &str, low: &str| -> Option<String> {
        let v = num_at(act, key)?;
        let gloss = if v >= 0.5 { high } else { low };
        Some(format!(
            "<b>{what}</b> {} ({}): {}",
            esc(&fmt_num(v)),
            level_word(v),
            esc(gloss)
        ))
    };
    items.extend(lvl(
        "service_frame",
        "Service frame",
        "volunteers mostly provide and participants mostly receive.",
        "little split between providers and receivers.",
    ));
    items.extend(lvl(
        "co_design",
        "Co-design",
        "participants share in setting the agenda.",
        "participants have little say in the agenda.",
    ));
    items.extend(lvl(
        "facilitation",
        "Facilitation",
        "a turn-taking norm mostly stops people from taking over others' turns.",
        "little stops people from taking over others' turns.",
    ));
    if let Some(p) = bool_at(act, "pathway") {
        items.push(if p {
            "<b>Pathway</b>: participants can move into co-organizer and volunteer roles.".into()
        } else {
            "<b>No pathway</b>: participants cannot move into organizing or volunteer roles.".into()
        });
    }
    if let Some(m) = bool_at(act, "mixed") {
        items.push(if m {
            "<b>Mixed</b>: locals also take part as peers, not only as helpers.".into()
        } else {
            "<b>Not mixed</b>: locals take part only as helpers.".into()
        });
    }
    if let Some(lp) = str_at(act, "language_policy") {
        items.push(match lp.as_str() {
            "local-only" => "<b>Language</b>: only the local language is used.".into(),
            "multilingual" => "<b>Language</b>: other languages are welcome (less hesitation, \
                               but less practice of the local language)."
                .into(),
            other => format!("<b>Language policy</b>: {}.", esc(other)),
        });
    }
    let targets = strings_at(act, "targets");
    if act.get("targets").is_some() {
        items.push(if targets.is_empty() {
            "<b>Targeting</b>: not aimed at any particular origin.".into()
        } else {
            format!(
                "<b>Targeting</b>: aimed at participants from {} (which makes origin salient \
                 when volunteers help).",
                esc(&targets.join(", "))
            )
        });
    }
    match act.get("capacity") {
        Some(Value::Null) => items.push("<b>Capacity</b>: no cap on participants.".into()),
        Some(c) if c.as_f64().is_some() => items.push(format!(
            "<b>Capacity</b>: at most {} participants per group; a waiting list refills places.",
            esc(&fmt_num(c.as_f64().unwrap_or(0.0)))
        )),
        _ => {}
    }
    if let Some(r) = num_at(act, "recruitment") {
        let every = if r > 0.0 {
            format!(
                " (about one new volunteer every {} weeks)",
                fmt_fixed(1.0 / r, 0)
            )
        } else {
            " (no new volunteers)".into()
        };
        items.push(format!(
            "<b>Recruitment</b>: a volunteer vacancy is filled with probability {} a week{}.",
            esc(&fmt_num(r)),
            every
        ));
    }
    if let (Some(sf), Some(cd), Some(mx)) = (
        num_at(act, "service_frame"),
        num_at(act, "co_design"),
        bool_at(act, "mixed"),
    ) {
        let es = ((1.0 - sf) + cd + if mx { 1.0 } else { 0.0 }) / 3.0;
        items.push(format!(
            "<b>Equal-status conditions</b> (Allport; mean of 1 \u{2212} service frame, \
             co-design and mixed): {} ({}).",
            fmt_fixed(es, 2),
            level_word(es)
        ));
    }
    items
}

const TRAITS: &[(&str, &str)] = &[
    ("need_to_help", "need to help"),
    ("protectiveness", "protectiveness"),
    ("withdrawal_propensity", "propensity to withdraw"),
    ("talkativeness", "talkativeness"),
    ("network", "network"),
    ("initiative", "initiative"),
    ("care_load", "care load (children at home)"),
    ("resources", "resources (education, support)"),
    ("language", "local language"),
];

fn populations(h: &mut String, pops: &[Value]) {
    if pops.is_empty() {
        return;
    }
    h.push_str(
        "<h3>Who takes part</h3>\n<p>Counts are per group. Trait values are on a 0\u{2013}1 \
         scale; each cell is the mean of the distribution the persons' traits are drawn from \
         (hover for the distribution).</p>\n<div class=\"wide\"><table>\n<tr><th></th>",
    );
    for p in pops {
        let _ = write!(
            h,
            "<th class=\"num\">{}</th>",
            esc(&str_at(p, "key").unwrap_or_default())
        );
    }
    h.push_str("</tr>\n");
    let row = |h: &mut String, label: &str, cell: &dyn Fn(&Value) -> (String, String)| {
        let _ = write!(h, "<tr><th>{}</th>", esc(label));
        for p in pops {
            let (text, title) = cell(p);
            if title.is_empty() {
                let _ = write!(h, "<td class=\"num\">{}</td>", esc(&text));
            } else {
                let _ = write!(
                    h,
                    "<td class=\"num\" title=\"{}\">{}</td>",
                    esc(&title),
                    esc(&text)
                );
            }
        }
        h.push_str("</tr>\n");
    };
    row(h, "role", &|p| {
        (
            str_at(p, "role").unwrap_or_else(|| "\u{2014}".into()),
            String::new(),
        )
    });
    row(h, "count per group", &|p| {
        (
            num_at(p, "count")
                .map(fmt_num)
                .unwrap_or_else(|| "\u{2014}".into()),
            String::new(),
        )
    });
    row(h, "origin", &|p| {
        (
            p.get("origin")
                .map(label_text)
                .unwrap_or_else(|| "\u{2014}".into()),
            String::new(),
        )
    });
    row(h, "life stage", &|p| {
        (
            p.get("life_stage")
                .map(label_text)
                .unwrap_or_else(|| "\u{2014}".into()),
            String::new(),
        )
    });
    for (key, label) in TRAITS {
        row(
            h,
            label,
            &|p| match p.pointer(&format!("/traits/{key}")).and_then(dist_summary) {
                Some((mean, spec)) => (fmt_fixed(mean, 2), spec),
                None => ("\u{2014}".into(), String::new()),
            },
        );
    }
    h.push_str("</table></div>\n");
}

fn stereotypes(h: &mut String, scen: &Value) {
    let Some(st) = scen.get("stereotypes") else {
        return;
    };
    let mut parts: Vec<String> = arr_at(st, "by_origin")
        .iter()
        .filter_map(|pair| {
            let a = pair.as_array()?;
            Some(format!(
                "{} {}",
                a.first()?.as_str()?,
                fmt_fixed(a.get(1)?.as_f64()?, 2)
            ))
        })
        .collect();
    if let Some(d) = num_at(st, "default") {
        parts.push(format!(
            "{} {}",
            if parts.is_empty() {
                "everyone"
            } else {
                "any other origin"
            },
            fmt_fixed(d, 2)
        ));
    }
    if parts.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<p><b>Stereotypes.</b> Before meeting anyone, volunteers believe participants' \
         competence (0\u{2013}1) is: {}. They then update these beliefs from what they see.</p>",
        esc(&parts.join("; "))
    );
    let majority = strings_at(scen, "majority_origins");
    if !majority.is_empty() {
        let _ = writeln!(
            h,
            "<p><b>Majority.</b> Origins counted as the majority (higher diffuse status): {}.</p>",
            esc(&majority.join(", "))
        );
    }
}

fn charts(h: &mut String, dir: &Path) {
    h.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    let _ = writeln!(
        h,
        "<p>Colours are the same in every chart: <span class=\"swatch\" style=\"background:{}\">\
         </span>newcomers (participants of a non-majority origin), <span class=\"swatch\" \
         style=\"background:{}\"></span>local participants (of a majority origin), \
         <span class=\"swatch\" style=\"background:{}\"></span>volunteers, \
         <span class=\"swatch\" style=\"background:{}\"></span>staff; black lines are \
         pooled figures (lens <i>all</i>).</p>",
        hex(NEWCOMERS),
        hex(LOCAL_PARTICIPANTS),
        hex(VOLUNTEERS),
        hex(STAFF)
    );
    for (fig, title, how) in SHEETS {
        figure(h, dir, fig, title, how);
    }
    let _ = writeln!(
        h,
        "<p>Each key indicator also has a chart of its own in <code>charts/indicator-&lt;name&gt;-&lt;lens&gt;.png</code> \
         and <code>.svg</code>; all charts are in the <code>charts/</code> folder beside this report.</p>"
    );
    h.push_str("</section>\n");
}

/// Wide sheets may use more than the text column, so they show near 100 % on a wide screen.
fn figure_class(fig: &Figure) -> &'static str {
    if fig.size().0 > 1300 {
        "sheet"
    } else {
        "single"
    }
}

fn figure(h: &mut String, dir: &Path, fig: &Figure, title: &str, how: &str) {
    let stem = fig.stem();
    let path = dir.join("charts").join(format!("{stem}.svg"));
    let _ = writeln!(
        h,
        "<figure id=\"fig-{stem}\" class=\"{}\">",
        figure_class(fig)
    );
    match inline_svg_file(&path) {
        Some(svg) => {
            let _ = writeln!(
                h,
                "<div role=\"img\" aria-label=\"{}\">\n{}</div>",
                esc(title),
                svg
            );
        }
        None => {
            let _ = writeln!(
                h,
                "<p class=\"missing\">Chart not available (<code>charts/{}.svg</code> is missing \
                 or not a plain chart); <code>dugnad plot</code> redraws the charts.</p>",
                esc(&stem)
            );
        }
    }
    let _ = writeln!(
        h,
        "<figcaption><b>{}.</b> {}</figcaption>\n</figure>",
        esc(title),
        esc(how)
    );
}

fn summary_table(h: &mut String, data: &RunData) {
    h.push_str("<section id=\"summary\">\n<h2>All indicators</h2>\n");
    let week = data.final_week_words();
    let _ = writeln!(
        h,
        "<p><b>Final week</b> is the value in {week}; <b>run mean</b> is each replicate's \
         average over all weeks, then averaged over replicates. <b>95 % CI</b> is the \
         confidence interval of the mean (where the true average most likely lies); \
         <b>90 % of replicates</b> is the range from the 5th to the 95th percentile of single \
         replicates. <b>n</b> is the number of replicates in which the value was defined; NA \
         means undefined (for example a ratio in a week without any meeting, or a lens with \
         nobody in it). Each indicator is shown for every <b>lens</b>: whom the figure is about. \
         Counts are per group.</p>"
    );
    // Series order: as in the time series (the fixed output order), then any others.
    let mut names: Vec<(String, String)> = data.timeseries.indicators.clone();
    for r in &data.summary {
        let key = (r.indicator.clone(), r.lens.clone());
        if !names.contains(&key) {
            names.push(key);
        }
    }
    let replicates = data.replicates();
    if names.is_empty() {
        h.push_str("<p class=\"missing\">No summary was found in this folder.</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<div class=\"wide\"><table class=\"summary\">\n<tr><th rowspan=\"2\">indicator</th>\
         <th rowspan=\"2\">lens</th><th rowspan=\"2\">what it means</th><th colspan=\"3\" class=\"num\">final week</th>\
         <th colspan=\"2\" class=\"num\">run mean</th><th rowspan=\"2\" class=\"num\">n</th></tr>\n\
         <tr><th class=\"num\">mean</th><th class=\"num\">95 % CI</th>\
         <th class=\"num\">90 % of replicates</th><th class=\"num\">mean</th>\
         <th class=\"num\">95 % CI</th></tr>\n",
    );
    let range = |kind: Kind, a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(_), Some(_)) => format!("{} \u{2013} {}", fmt_value(kind, a), fmt_value(kind, b)),
        _ => "NA".into(),
    };
    for (name, lens) in &names {
        let m = meta::meta(name);
        let fw: Option<&SummaryRow> = data.summary_row("final_week", name, lens);
        let rm: Option<&SummaryRow> = data.summary_row("run_mean", name, lens);
        // The meaning once per indicator, at its first lens.
        let first = names.iter().position(|k| &k.0 == name)
            == names
                .iter()
                .position(|k| k == &(name.clone(), lens.clone()));
        let meaning = if !first {
            ""
        } else if m.meaning.is_empty() {
            "\u{2014}"
        } else {
            m.meaning
        };
        let n = fw.map(|r| {
            if (r.stats.n as u64) < replicates {
                format!("{} of {replicates}", r.stats.n)
            } else {
                r.stats.n.to_string()
            }
        });
        let _ = writeln!(
            h,
            "<tr><td><b>{}</b><br><code>{}</code></td><td>{}</td><td class=\"meaning\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&meta::title(name)),
            esc(name),
            esc(&meta::lens_short(name, lens)),
            esc(meaning),
            esc(&fmt_value(m.kind, fw.and_then(|r| r.stats.mean))),
            esc(&range(
                m.kind,
                fw.and_then(|r| r.stats.ci_low),
                fw.and_then(|r| r.stats.ci_high)
            )),
            esc(&range(
                m.kind,
                fw.and_then(|r| r.stats.p05),
                fw.and_then(|r| r.stats.p95)
            )),
            esc(&fmt_value(m.kind, rm.and_then(|r| r.stats.mean))),
            esc(&range(
                m.kind,
                rm.and_then(|r| r.stats.ci_low),
                rm.and_then(|r| r.stats.ci_high)
            )),
            n.unwrap_or_else(|| "\u{2014}".into()),
        );
    }
    h.push_str("</table></div>\n</section>\n");
}

fn manifest(h: &mut String, m: &Value) {
    h.push_str("<section id=\"manifest\">\n<h2>How this was run</h2>\n");
    if m.is_null() {
        h.push_str(
            "<p class=\"missing\">No manifest.json was found in this folder.</p>\n</section>\n",
        );
        return;
    }
    h.push_str("<dl>\n");
    let mut item = |k: &str, v: String| {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), v);
    };
    let scalar = |key: &str| -> Option<String> {
        match m.get(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    if let Some(s) = scalar("seed") {
        item("seed", format!("<code>{}</code>", esc(&s)));
    }
    for (key, label) in [
        ("replicates", "replicates"),
        ("weeks", "weeks"),
        ("threads", "threads"),
    ] {
        if let Some(s) = scalar(key) {
            item(label, esc(&s));
        }
    }
    if let Some(s) = scalar("dugnad_version") {
        item("dugnad version", esc(&s));
    }
    item(
        "git commit",
        scalar("git_commit")
            .map(|c| format!("<code>{}</code>", esc(&c)))
            .unwrap_or_else(|| "unknown (not built from a git checkout)".into()),
    );
    let cmd = strings_at(m, "command_line");
    if !cmd.is_empty() {
        item(
            "command line",
            format!("<code>{}</code>", esc(&shell_join(&cmd))),
        );
    }
    if let Some(f) = scalar("scenario_file") {
        item("scenario file", format!("<code>{}</code>", esc(&f)));
    }
    let ov = strings_at(m, "overrides");
    item(
        "overrides",
        if ov.is_empty() {
            "none".into()
        } else {
            ov.iter()
                .map(|o| format!("<code>{}</code>", esc(o)))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    if let Some(t) = num_at(m, "wall_time_seconds") {
        item("wall time", esc(&fmt_duration(t)));
    }
    h.push_str("</dl>\n");
    let pretty = serde_json::to_string_pretty(m).unwrap_or_default();
    let _ = writeln!(
        h,
        "<details><summary>The full manifest.json (with the resolved scenario)</summary>\
         <pre>{}</pre></details>",
        esc(&pretty)
    );
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn distributions_and_labels() {
        let (m, s) = dist_summary(&json!({"beta": [6.0, 3.0]})).unwrap();
        assert!((m - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s, "beta(6, 3)");
        assert_eq!(dist_summary(&json!({"const": 0.2})).unwrap().0, 0.2);
        assert_eq!(
            dist_summary(&json!({"uniform": [0.2, 0.4]})).unwrap().0,
            0.30000000000000004
        );
        assert_eq!(dist_summary(&json!({"normal": [0.5, 0.1]})).unwrap().0, 0.5);
        let (t, _) = dist_summary(&json!({"triangular": [0.0, 0.3, 0.6]})).unwrap();
        assert!((t - 0.3).abs() < 1e-12);
        assert!(dist_summary(&json!({"weird": [1]})).is_none());
        assert!(dist_summary(&json!("x")).is_none());
        assert_eq!(label_text(&json!({"fixed": "local"})), "local");
        assert_eq!(
            label_text(&json!({"choice": {"options": ["a", "b"], "weights": [3.0, 1.0]}})),
            "a 75 %, b 25 %"
        );
        assert_eq!(label_text(&json!(null)), "\u{2014}");
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_value(Kind::Share, Some(0.1234)), "12.3 %");
        assert_eq!(fmt_value(Kind::Level, Some(0.1234)), "0.123");
        assert_eq!(fmt_value(Kind::Count, None), "NA");
        assert_eq!(fmt_duration(3.25), "3.25 s");
        assert_eq!(fmt_duration(125.0), "2 min 5 s");
        assert_eq!(
            shell_join(&["dugnad".into(), "run".into(), "a b".into(), "it's".into()]),
            "dugnad run 'a b' 'it'\\''s'"
        );
        assert_eq!(level_word(0.8), "high");
        assert_eq!(plural(1.0, "group", "groups"), "1 group");
        assert_eq!(plural(3.0, "group", "groups"), "3 groups");
    }
}
