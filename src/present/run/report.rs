//! The run report: one self-contained `report.html` beside the CSVs, in the language asked for
//! (`--lang`; every word from the catalogue, `src/lang/`).
//!
//! It opens with what was run, in words (scenario, activity designs, who takes part), shows
//! the charts (the SVGs from `charts/`, inlined), then every indicator with its meaning and
//! confidence intervals, and ends with how the run was made (seed, version, command line).
//! Nothing is loaded from outside the file: no external CSS, JS, fonts or images. All text
//! taken from the folder's files is HTML-escaped; catalogue keys ending in `_html` hold
//! markup of our own and are inserted as they are.

use super::data::{RunData, SummaryRow, WeekStat};
use super::{Figure, SHEETS};
use crate::lang::{fill, Lang};
use crate::metrics::indicators::{key_series, View};
use crate::output::atomic::write_file_atomic;
use crate::present::html::{
    escape as esc, inline_svg_file, localize_numbers, nav_bar, report_start_in, REPORT_END,
};
use crate::present::meta::{self, Kind};
use crate::present::style::{
    fmt_fixed, lens_colour, LOCAL_PARTICIPANTS, NEWCOMERS, STAFF, VOLUNTEERS,
};
use plotters::style::RGBColor;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// Renders `<dir>/report.html` in English from the folder's CSVs, manifest and the SVGs in
/// charts/ (inline), self-contained.
pub fn write_report(dir: &Path) -> anyhow::Result<std::path::PathBuf> {
    write_report_in(dir, Lang::En, &[])
}

/// Hook so later features can add sections: each (title, html) pair is appended after the
/// summary table (English report).
///
/// The titles are escaped; the html is inserted as given, so callers must escape any text
/// they take from files (see [`crate::present::html::escape`]).
pub fn write_report_with(
    dir: &Path,
    extra_sections: &[(String, String)],
) -> anyhow::Result<std::path::PathBuf> {
    write_report_in(dir, Lang::En, extra_sections)
}

/// Renders `<dir>/report.html` in `lang`, with `extra_sections` after the summary table (see
/// [`write_report_with`]).
pub fn write_report_in(
    dir: &Path,
    lang: Lang,
    extra_sections: &[(String, String)],
) -> anyhow::Result<std::path::PathBuf> {
    let data = RunData::load(dir)?;
    let html = render(&data, dir, lang, extra_sections);
    let path = dir.join("report.html");
    write_file_atomic(&path, html.as_bytes())?;
    Ok(path)
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn render(data: &RunData, dir: &Path, lang: Lang, extra: &[(String, String)]) -> String {
    let m = data.manifest.as_ref().unwrap_or(&Value::Null);
    let scen = m.get("scenario").unwrap_or(&Value::Null);
    let name = str_at(scen, "name")
        .or_else(|| dir.file_name().map(|f| f.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "run".into());
    let mut h = report_start_in(
        lang,
        &fill(lang, "report.run_page_title", &[("name", &name)]),
    );
    intro(&mut h, data, scen, &name, lang);
    glance(&mut h, data, lang);
    design(&mut h, scen, lang);
    charts(&mut h, dir, lang);
    summary_table(&mut h, data, lang);
    for (title, body) in extra {
        let _ = write!(
            h,
            "<section>\n<h2>{}</h2>\n{}\n</section>\n",
            esc(title),
            body
        );
    }
    manifest(&mut h, m, lang);
    h.push_str(REPORT_END);
    localize_numbers(lang, &h)
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
    fewer_replicates_in(Lang::En, n, replicates)
}

/// [`fewer_replicates`] in `lang`.
pub fn fewer_replicates_in(lang: Lang, n: u32, replicates: u64) -> String {
    if (n as u64) < replicates {
        fill(
            lang,
            "report.n_of_replicates",
            &[("n", &n), ("of", &replicates)],
        )
    } else {
        String::new()
    }
}

/// A 0–1 level in words: very low … very high.
pub fn level_word(lang: Lang, v: f64) -> &'static str {
    lang.tr(match v {
        v if v < 0.15 => "report.level_very_low",
        v if v < 0.35 => "report.level_low",
        v if v < 0.65 => "report.level_moderate",
        v if v < 0.85 => "report.level_high",
        _ => "report.level_very_high",
    })
}

/// `n` things: `1 group`, `3 groups`; `one` and `many` are catalogue keys of strings with
/// `{n}`.
fn plural(lang: Lang, n: f64, one: &str, many: &str) -> String {
    let key = if (n - 1.0).abs() < 1e-9 { one } else { many };
    lang.tr(key).replace("{n}", &fmt_num(n))
}

fn fmt_duration(lang: Lang, secs: f64) -> String {
    if secs < 60.0 {
        format!("{} s", fmt_fixed(secs, if secs < 10.0 { 2 } else { 1 }))
    } else if secs < 3600.0 {
        format!("{} min {} s", (secs / 60.0).floor(), (secs % 60.0).round())
    } else {
        format!(
            "{} {} {} min",
            (secs / 3600.0).floor(),
            lang.tr("report.hours_abbr"),
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

fn intro(h: &mut String, data: &RunData, scen: &Value, name: &str, lang: Lang) {
    let desc = str_at(scen, "description").unwrap_or_default();
    let reps = data.replicates();
    let weeks = data.final_week();
    let _ = write!(
        h,
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n",
        esc(lang.tr("report.run_kicker")),
        esc(name)
    );
    if !desc.trim().is_empty() {
        let _ = writeln!(h, "<p class=\"lead\">{}</p>", esc(&desc));
    }
    let mut facts = vec![plural(
        lang,
        reps as f64,
        "report.replicates_one",
        "report.replicates_many",
    )];
    if let Some(w) = weeks {
        facts.push(fill(
            lang,
            "report.weeks_each",
            &[(
                "weeks",
                &plural(lang, w as f64, "report.weeks_one", "report.weeks_many"),
            )],
        ));
    }
    if let Some(seed) = data.manifest.as_ref().and_then(|m| m.get("seed")) {
        facts.push(fill(
            lang,
            "report.seed_fact",
            &[("seed", &esc(&seed.to_string()))],
        ));
    }
    let _ = writeln!(h, "<p class=\"facts\">{}</p>", facts.join(" \u{b7} "));
    let _ = writeln!(h, "<p>{}</p>", lang.tr("report.run_intro_html"));
    let _ = writeln!(
        h,
        "<p>{}</p>\n<p class=\"caveat\"><b>{}</b> {}</p>",
        fill(
            lang,
            "report.run_headline_html",
            &[("newcomers", &meta::newcomers_words(lang))]
        ),
        esc(lang.tr("report.not_a_forecast_title")),
        esc(meta::not_a_forecast(lang))
    );
    nav_bar(h, lang, RUN_SECTIONS);
}

/// The run report's sections: the anchor id and the catalogue key of the title, which the
/// navigation bar and the section's heading share.
const RUN_SECTIONS: &[(&str, &str)] = &[
    ("glance", "report.glance_title"),
    ("design", "report.design_title"),
    ("charts", "report.charts_title"),
    ("summary", "report.summary_title"),
    ("manifest", "report.manifest_title"),
];

/// First and last defined weekly mean of an indicator.
fn first_last(stats: &[WeekStat]) -> Option<((u32, f64), (u32, f64))> {
    let mut it = stats.iter().filter_map(|s| Some((s.week, s.stats.mean?)));
    let first = it.next()?;
    let last = it.next_back().unwrap_or(first);
    Some((first, last))
}

fn glance(h: &mut String, data: &RunData, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"glance\">\n<h2>{}</h2>",
        esc(lang.tr("report.glance_title"))
    );
    let week = data.final_week_words(lang);
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&fill(
            lang,
            "report.glance_intro",
            &[("week", &week), ("newcomers", &meta::newcomers_words(lang))]
        ))
    );
    h.push_str("<div class=\"cards\">\n");
    let mut any = false;
    let replicates = data.replicates();
    for (name, lens) in key_series(View::Glance) {
        let kind = meta::kind(name);
        let row = data.summary_row("final_week", name, lens);
        let traj = first_last(data.timeseries.get(name, lens));
        if row.and_then(|r| r.stats.mean).is_none() && traj.is_none() {
            continue;
        }
        any = true;
        let colour = hex(lens_colour(lens));
        let value = row
            .map(|r| fmt_value(kind, r.stats.mean))
            .or_else(|| traj.map(|t| fmt_value(kind, Some(t.1 .1))))
            .unwrap_or_else(|| "NA".into());
        let ci = row
            .and_then(|r| Some((r.stats.ci_low?, r.stats.ci_high?)))
            .map(|(lo, hi)| {
                fill(
                    lang,
                    "report.ci_range",
                    &[
                        ("low", &fmt_value(kind, Some(lo))),
                        ("high", &fmt_value(kind, Some(hi))),
                    ],
                )
            })
            .unwrap_or_default();
        let moved = match traj {
            Some(((w0, v0), (w1, v1))) if w1 > w0 => fill(
                lang,
                "report.moved",
                &[
                    ("w0", &w0),
                    ("v0", &fmt_value(kind, Some(v0))),
                    ("w1", &w1),
                    ("v1", &fmt_value(kind, Some(v1))),
                ],
            ),
            _ => String::new(),
        };
        let n = row
            .map(|r| fewer_replicates_in(lang, r.stats.n, replicates))
            .unwrap_or_default();
        let locals = data
            .summary_row("final_week", name, "local_participants")
            .filter(|_| lens == "newcomers")
            .and_then(|r| r.stats.mean)
            .map(|v| {
                fill(
                    lang,
                    "report.locals_value",
                    &[("value", &fmt_value(kind, Some(v)))],
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<div class=\"card\" style=\"--bar:{colour}\"><div class=\"t\">{}</div>\
             <div class=\"v\">{}</div><div class=\"s\">{}</div><div class=\"s\">{}</div>\
             <div class=\"s\">{}</div><div class=\"s\">{}</div><div class=\"m\">{}</div></div>",
            esc(&meta::series_title_in(lang, name, lens)),
            esc(&value),
            esc(&ci),
            esc(&n),
            esc(&locals),
            esc(&moved),
            esc(&meta::meaning_in(lang, name))
        );
    }
    h.push_str("</div>\n");
    if !any {
        let _ = writeln!(
            h,
            "<p class=\"missing\">{}</p>",
            esc(lang.tr("report.no_values"))
        );
    }
    h.push_str("</section>\n");
}

fn design(h: &mut String, scen: &Value, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"design\">\n<h2>{}</h2>",
        esc(lang.tr("report.design_title"))
    );
    if scen.is_null() {
        let _ = writeln!(
            h,
            "<p class=\"missing\">{}</p>\n</section>",
            esc(lang.tr("report.no_scenario"))
        );
        return;
    }
    let pops = arr_at(scen, "populations");
    for act in arr_at(scen, "activities") {
        activity(h, act, pops, lang);
    }
    populations(h, pops, lang);
    stereotypes(h, scen, lang);
    schedule(h, scen, lang);
    if let Some(params) = scen.get("params").and_then(Value::as_object) {
        let _ = write!(
            h,
            "<details><summary>{}</summary>\n<div class=\"wide\"><table>\
             <tr><th>{}</th><th class=\"num\">{}</th></tr>\n",
            esc(&fill(lang, "report.all_params", &[("n", &params.len())])),
            esc(lang.tr("report.col_parameter")),
            esc(lang.tr("report.col_value")),
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

/// The schedule: what changes, week by week (the charts mark each change with a dashed line).
fn schedule(h: &mut String, scen: &Value, lang: Lang) {
    let entries = arr_at(scen, "schedule");
    if entries.is_empty() {
        return;
    }
    let mut rows: Vec<&Value> = entries.iter().collect();
    rows.sort_by_key(|e| num_at(e, "week").unwrap_or(0.0) as u64);
    let _ = write!(
        h,
        "<h3>{}</h3>\n<p>{}</p>\n<div class=\"wide\"><table>\
         <tr><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr>\n",
        esc(lang.tr("report.schedule_title")),
        esc(lang.tr("report.schedule_intro")),
        esc(lang.tr("report.col_week")),
        esc(lang.tr("report.col_label")),
        esc(lang.tr("report.col_what_changes")),
    );
    for e in rows {
        let mut what: Vec<String> = arr_at(e, "set")
            .iter()
            .map(|s| {
                format!(
                    "<code>{}</code> = {}",
                    esc(&str_at(s, "path").unwrap_or_default()),
                    esc(&str_at(s, "value").unwrap_or_default())
                )
            })
            .collect();
        for (key, verb) in [
            ("arrive", "report.schedule_arrive"),
            ("leave", "report.schedule_leave"),
        ] {
            for c in arr_at(e, key) {
                let whose = str_at(c, "activity")
                    .map(|a| fill(lang, "report.schedule_activity", &[("activity", &esc(&a))]))
                    .unwrap_or_default();
                what.push(
                    lang.tr(verb)
                        .replace("{count}", &fmt_num(num_at(c, "count").unwrap_or(0.0)))
                        .replace(
                            "{population}",
                            &esc(&str_at(c, "population").unwrap_or_default()),
                        )
                        + &whose,
                );
            }
        }
        match bool_at(e, "recruiting") {
            Some(false) => what.push(esc(lang.tr("report.schedule_recruiting_off"))),
            Some(true) => what.push(esc(lang.tr("report.schedule_recruiting_on"))),
            None => {}
        }
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            num_at(e, "week").unwrap_or(0.0),
            esc(&str_at(e, "label").unwrap_or_default()),
            what.join("; ")
        );
    }
    h.push_str("</table></div>\n");
}

fn activity(h: &mut String, act: &Value, pops: &[Value], lang: Lang) {
    let key = str_at(act, "key").unwrap_or_else(|| "activity".into());
    let kind = str_at(act, "kind").unwrap_or_default();
    let _ = write!(
        h,
        "<h3>{}",
        esc(&fill(lang, "report.activity_heading", &[("key", &key)]))
    );
    if !kind.is_empty() && kind != key {
        let _ = write!(h, " ({})", esc(&kind));
    }
    h.push_str("</h3>\n");
    let mut s = meetings(act, lang);
    s.push_str(&composition(act, pops, lang));
    let _ = writeln!(h, "<p>{}</p>", esc(s.trim()));
    let items = design_items(act, lang);
    if !items.is_empty() {
        h.push_str("<ul>\n");
        for it in items {
            let _ = writeln!(h, "<li>{it}</li>");
        }
        h.push_str("</ul>\n");
    }
}

/// How many groups a replicate runs and how often, how long and how talkatively they meet.
fn meetings(act: &Value, lang: Lang) -> String {
    let mut s = String::new();
    if let Some(g) = num_at(act, "groups") {
        let groups = plural(lang, g, "report.groups_one", "report.groups_many");
        s.push_str(&fill(
            lang,
            "report.groups_sentence",
            &[("groups", &groups)],
        ));
        s.push(' ');
    }
    let mpw = num_at(act, "meetings_per_week");
    let hours = num_at(act, "hours_per_meeting");
    let turns = num_at(act, "turns_per_meeting");
    if let Some(m) = mpw {
        let times = match m as i64 {
            1 => lang.tr("report.once").to_string(),
            2 => lang.tr("report.twice").to_string(),
            _ => fill(lang, "report.n_times", &[("n", &fmt_num(m))]),
        };
        s.push_str(&fill(lang, "report.meets", &[("times", &times)]));
        if let Some(hh) = hours {
            let hours = plural(lang, hh, "report.hours_one", "report.hours_many");
            s.push_str(&fill(lang, "report.meets_for", &[("hours", &hours)]));
        }
        if let Some(t) = turns {
            s.push_str(&fill(lang, "report.meets_turns", &[("n", &fmt_num(t))]));
        }
        s.push_str(". ");
    }
    s
}

/// Who a group starts with, by role, from the populations the activity draws on.
fn composition(act: &Value, pops: &[Value], lang: Lang) -> String {
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
    if by_role.is_empty() {
        return String::new();
    }
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
            "participant" => plural(
                lang,
                *n,
                "report.participant_one",
                "report.participant_many",
            ),
            "volunteer" => plural(lang, *n, "report.volunteer_one", "report.volunteer_many"),
            "staff" => plural(lang, *n, "report.staff_one", "report.staff_many"),
            r => format!("{} {r}", fmt_num(*n)),
        })
        .collect();
    fill(lang, "report.starts_with", &[("who", &parts.join(", "))])
}

/// One design level in words: "<b>Co-design</b> 0.6 (moderate): participants share …".
fn level_item(
    lang: Lang,
    act: &Value,
    key: &str,
    what: &str,
    high: &str,
    low: &str,
) -> Option<String> {
    let v = num_at(act, key)?;
    let gloss = if v >= 0.5 { high } else { low };
    Some(format!(
        "<b>{}</b> {} ({}): {}",
        esc(lang.tr(what)),
        esc(&fmt_num(v)),
        esc(level_word(lang, v)),
        esc(lang.tr(gloss))
    ))
}

/// The activity's design, one list item each: levels in words, switches, policies.
fn design_items(act: &Value, lang: Lang) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for (key, what, high, low) in [
        (
            "service_frame",
            "report.service_frame",
            "report.service_frame_high",
            "report.service_frame_low",
        ),
        (
            "co_design",
            "report.co_design",
            "report.co_design_high",
            "report.co_design_low",
        ),
        (
            "facilitation",
            "report.facilitation",
            "report.facilitation_high",
            "report.facilitation_low",
        ),
    ] {
        items.extend(level_item(lang, act, key, what, high, low));
    }
    if let Some(p) = bool_at(act, "pathway") {
        items.push(
            lang.tr(if p {
                "report.pathway_html"
            } else {
                "report.no_pathway_html"
            })
            .into(),
        );
    }
    if let Some(m) = bool_at(act, "mixed") {
        items.push(
            lang.tr(if m {
                "report.mixed_html"
            } else {
                "report.not_mixed_html"
            })
            .into(),
        );
    }
    if let Some(lp) = str_at(act, "language_policy") {
        items.push(match lp.as_str() {
            "local-only" => lang.tr("report.language_local_html").into(),
            "multilingual" => lang.tr("report.language_multi_html").into(),
            other => fill(
                lang,
                "report.language_other_html",
                &[("policy", &esc(other))],
            ),
        });
    }
    let targets = strings_at(act, "targets");
    if act.get("targets").is_some() {
        items.push(if targets.is_empty() {
            lang.tr("report.targeting_none_html").into()
        } else {
            fill(
                lang,
                "report.targeting_html",
                &[("origins", &esc(&targets.join(", ")))],
            )
        });
    }
    match act.get("capacity") {
        Some(Value::Null) => items.push(lang.tr("report.capacity_none_html").into()),
        Some(c) if c.as_f64().is_some() => items.push(fill(
            lang,
            "report.capacity_html",
            &[("n", &esc(&fmt_num(c.as_f64().unwrap_or(0.0))))],
        )),
        _ => {}
    }
    if let Some(r) = num_at(act, "recruitment") {
        let every = if r > 0.0 {
            fill(
                lang,
                "report.recruitment_every",
                &[("n", &fmt_fixed(1.0 / r, 0))],
            )
        } else {
            lang.tr("report.recruitment_none").to_string()
        };
        items.push(fill(
            lang,
            "report.recruitment_html",
            &[("p", &esc(&fmt_num(r))), ("every", &esc(&every))],
        ));
    }
    if let (Some(sf), Some(cd), Some(mx)) = (
        num_at(act, "service_frame"),
        num_at(act, "co_design"),
        bool_at(act, "mixed"),
    ) {
        let es = ((1.0 - sf) + cd + if mx { 1.0 } else { 0.0 }) / 3.0;
        items.push(fill(
            lang,
            "report.equal_status_html",
            &[
                ("value", &fmt_fixed(es, 2)),
                ("level", &level_word(lang, es)),
            ],
        ));
    }
    items
}

/// The traits shown per population: (scenario key, catalogue key of its name).
const TRAITS: &[(&str, &str)] = &[
    ("need_to_help", "report.trait_need_to_help"),
    ("protectiveness", "report.trait_protectiveness"),
    (
        "withdrawal_propensity",
        "report.trait_withdrawal_propensity",
    ),
    ("talkativeness", "report.trait_talkativeness"),
    ("network", "report.trait_network"),
    ("initiative", "report.trait_initiative"),
    ("care_load", "report.trait_care_load"),
    ("resources", "report.trait_resources"),
    ("language", "report.trait_language"),
];

fn populations(h: &mut String, pops: &[Value], lang: Lang) {
    if pops.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h3>{}</h3>\n<p>{}</p>\n<div class=\"wide\"><table>\n<tr><th></th>",
        esc(lang.tr("report.populations_title")),
        esc(lang.tr("report.populations_intro")),
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
    let dash = || "\u{2014}".to_string();
    row(h, lang.tr("report.row_role"), &|p| {
        (str_at(p, "role").unwrap_or_else(dash), String::new())
    });
    row(h, lang.tr("report.row_count"), &|p| {
        (
            num_at(p, "count").map(fmt_num).unwrap_or_else(dash),
            String::new(),
        )
    });
    row(h, lang.tr("report.row_origin"), &|p| {
        (
            p.get("origin").map(label_text).unwrap_or_else(dash),
            String::new(),
        )
    });
    row(h, lang.tr("report.row_life_stage"), &|p| {
        (
            p.get("life_stage").map(label_text).unwrap_or_else(dash),
            String::new(),
        )
    });
    for (key, label) in TRAITS {
        row(h, lang.tr(label), &|p| match p
            .pointer(&format!("/traits/{key}"))
            .and_then(dist_summary)
        {
            Some((mean, spec)) => (fmt_fixed(mean, 2), spec),
            None => (dash(), String::new()),
        });
    }
    h.push_str("</table></div>\n");
}

fn stereotypes(h: &mut String, scen: &Value, lang: Lang) {
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
        let who = if parts.is_empty() {
            lang.tr("report.stereotype_everyone")
        } else {
            lang.tr("report.stereotype_other")
        };
        parts.push(format!("{who} {}", fmt_fixed(d, 2)));
    }
    if parts.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<p>{}</p>",
        fill(
            lang,
            "report.stereotypes_html",
            &[("beliefs", &esc(&parts.join("; ")))]
        )
    );
    let majority = strings_at(scen, "majority_origins");
    if !majority.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            fill(
                lang,
                "report.majority_html",
                &[("origins", &esc(&majority.join(", ")))]
            )
        );
    }
}

/// A run figure's title and how-to-read caption in `lang`.
pub fn sheet_words(fig: &Figure, lang: Lang) -> (&'static str, &'static str) {
    match fig {
        Figure::Trajectories => (
            lang.tr("report.fig_trajectories"),
            lang.tr("report.fig_trajectories_how"),
        ),
        Figure::WhoTalks => (
            lang.tr("report.fig_who_talks"),
            lang.tr("report.fig_who_talks_how"),
        ),
        Figure::Retention => (
            lang.tr("report.fig_retention"),
            lang.tr("report.fig_retention_how"),
        ),
        Figure::Distributions => (
            lang.tr("report.fig_distributions"),
            lang.tr("report.fig_distributions_how"),
        ),
        Figure::AgencyVsMinoritization => (
            lang.tr("report.fig_agency_vs_minoritization"),
            lang.tr("report.fig_agency_vs_minoritization_how"),
        ),
        Figure::Indicator(..) => (lang.tr("report.fig_indicator"), ""),
    }
}

fn charts(h: &mut String, dir: &Path, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"charts\">\n<h2>{}</h2>",
        esc(lang.tr("report.charts_title"))
    );
    let sw = |c: RGBColor| {
        format!(
            "<span class=\"swatch\" style=\"background:{}\"></span>",
            hex(c)
        )
    };
    let _ = writeln!(
        h,
        "<p>{}</p>",
        lang.tr("report.colours_html")
            .replace("{newcomers}", &sw(NEWCOMERS))
            .replace("{locals}", &sw(LOCAL_PARTICIPANTS))
            .replace("{volunteers}", &sw(VOLUNTEERS))
            .replace("{staff}", &sw(STAFF))
    );
    for fig in SHEETS {
        let (title, how) = sheet_words(fig, lang);
        figure(h, dir, fig, title, how, lang);
    }
    let _ = writeln!(h, "<p>{}</p>", lang.tr("report.charts_files_html"));
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

fn figure(h: &mut String, dir: &Path, fig: &Figure, title: &str, how: &str, lang: Lang) {
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
                "<p class=\"missing\">{}</p>",
                fill(lang, "report.chart_missing_html", &[("stem", &esc(&stem))])
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

fn summary_table(h: &mut String, data: &RunData, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"summary\">\n<h2>{}</h2>",
        esc(lang.tr("report.summary_title"))
    );
    let week = data.final_week_words(lang);
    let _ = writeln!(
        h,
        "<p>{}</p>",
        fill(lang, "report.summary_intro_html", &[("week", &esc(&week))])
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
        let _ = writeln!(
            h,
            "<p class=\"missing\">{}</p>\n</section>",
            esc(lang.tr("report.no_summary"))
        );
        return;
    }
    let t = |k: &str| esc(lang.tr(k));
    let _ = writeln!(
        h,
        "<div class=\"wide\"><table class=\"summary\">\n<tr><th rowspan=\"2\">{}</th>\
         <th rowspan=\"2\">{}</th><th rowspan=\"2\">{}</th><th colspan=\"3\" class=\"num\">{}</th>\
         <th colspan=\"2\" class=\"num\">{}</th><th rowspan=\"2\" class=\"num\">n</th></tr>\n\
         <tr><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th></tr>",
        t("report.col_indicator"),
        t("report.col_lens"),
        t("report.col_meaning"),
        t("report.col_final_week"),
        t("report.col_run_mean"),
        t("report.col_mean"),
        t("report.col_ci95"),
        t("report.col_p90"),
        t("report.col_mean"),
        t("report.col_ci95"),
    );
    let range = |kind: Kind, a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(_), Some(_)) => format!("{} \u{2013} {}", fmt_value(kind, a), fmt_value(kind, b)),
        _ => "NA".into(),
    };
    for (name, lens) in &names {
        let kind = meta::kind(name);
        let fw: Option<&SummaryRow> = data.summary_row("final_week", name, lens);
        let rm: Option<&SummaryRow> = data.summary_row("run_mean", name, lens);
        // The meaning once per indicator, at its first lens.
        let first = names.iter().position(|k| &k.0 == name)
            == names
                .iter()
                .position(|k| k == &(name.clone(), lens.clone()));
        let meaning = if !first {
            String::new()
        } else {
            let m = meta::meaning_in(lang, name);
            if m.is_empty() {
                "\u{2014}".to_string()
            } else {
                m
            }
        };
        let n = fw.map(|r| {
            if (r.stats.n as u64) < replicates {
                fill(
                    lang,
                    "report.n_of",
                    &[("n", &r.stats.n), ("of", &replicates)],
                )
            } else {
                r.stats.n.to_string()
            }
        });
        let _ = writeln!(
            h,
            "<tr><td><b>{}</b><br><code>{}</code></td><td>{}</td><td class=\"meaning\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&meta::title_in(lang, name)),
            esc(name),
            esc(&meta::lens_short_in(lang, name, lens)),
            esc(&meaning),
            esc(&fmt_value(kind, fw.and_then(|r| r.stats.mean))),
            esc(&range(
                kind,
                fw.and_then(|r| r.stats.ci_low),
                fw.and_then(|r| r.stats.ci_high)
            )),
            esc(&range(
                kind,
                fw.and_then(|r| r.stats.p05),
                fw.and_then(|r| r.stats.p95)
            )),
            esc(&fmt_value(kind, rm.and_then(|r| r.stats.mean))),
            esc(&range(
                kind,
                rm.and_then(|r| r.stats.ci_low),
                rm.and_then(|r| r.stats.ci_high)
            )),
            n.unwrap_or_else(|| "\u{2014}".into()),
        );
    }
    h.push_str("</table></div>\n</section>\n");
}

fn manifest(h: &mut String, m: &Value, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"manifest\">\n<h2>{}</h2>",
        esc(lang.tr("report.manifest_title"))
    );
    if m.is_null() {
        let _ = writeln!(
            h,
            "<p class=\"missing\">{}</p>\n</section>",
            esc(lang.tr("report.no_manifest"))
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
        item(
            lang.tr("report.dt_seed"),
            format!("<code>{}</code>", esc(&s)),
        );
    }
    for (key, label) in [
        ("replicates", "report.dt_replicates"),
        ("weeks", "report.dt_weeks"),
        ("threads", "report.dt_threads"),
    ] {
        if let Some(s) = scalar(key) {
            item(lang.tr(label), esc(&s));
        }
    }
    if let Some(s) = scalar("dugnad_version") {
        item(lang.tr("report.dt_version"), esc(&s));
    }
    item(
        lang.tr("report.dt_git_commit"),
        scalar("git_commit")
            .map(|c| format!("<code>{}</code>", esc(&c)))
            .unwrap_or_else(|| esc(lang.tr("report.git_unknown"))),
    );
    let cmd = strings_at(m, "command_line");
    if !cmd.is_empty() {
        item(
            lang.tr("report.dt_command_line"),
            format!("<code>{}</code>", esc(&shell_join(&cmd))),
        );
    }
    if let Some(f) = scalar("scenario_file") {
        item(
            lang.tr("report.dt_scenario_file"),
            format!("<code>{}</code>", esc(&f)),
        );
    }
    let ov = strings_at(m, "overrides");
    item(
        lang.tr("report.dt_overrides"),
        if ov.is_empty() {
            esc(lang.tr("report.none"))
        } else {
            ov.iter()
                .map(|o| format!("<code>{}</code>", esc(o)))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    if let Some(t) = num_at(m, "wall_time_seconds") {
        item(lang.tr("report.dt_wall_time"), esc(&fmt_duration(lang, t)));
    }
    h.push_str("</dl>\n");
    let pretty = serde_json::to_string_pretty(m).unwrap_or_default();
    let _ = writeln!(
        h,
        "<details><summary>{}</summary><pre>{}</pre></details>",
        esc(lang.tr("report.full_manifest")),
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
        assert_eq!(fmt_duration(Lang::En, 3.25), "3.25 s");
        assert_eq!(fmt_duration(Lang::En, 125.0), "2 min 5 s");
        assert_eq!(
            shell_join(&["dugnad".into(), "run".into(), "a b".into(), "it's".into()]),
            "dugnad run 'a b' 'it'\\''s'"
        );
        assert_eq!(level_word(Lang::En, 0.8), "high");
        assert_eq!(level_word(Lang::Nb, 0.8), "høy");
        let groups = |l, n| plural(l, n, "report.groups_one", "report.groups_many");
        assert_eq!(groups(Lang::En, 1.0), "1 group");
        assert_eq!(groups(Lang::En, 3.0), "3 independent groups");
        assert_eq!(groups(Lang::Nb, 3.0), "3 uavhengige grupper");
        assert_eq!(fewer_replicates_in(Lang::Nb, 3, 4), "n = 3 av 4 replikater");
    }
}
