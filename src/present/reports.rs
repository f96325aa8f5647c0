//! The `report.html` of a comparison, a sweep (grid, LHS, Sobol; also a merged one) and a
//! sensitivity analysis, in the style of the run report and in the language asked for: what was
//! run, the headline findings in words for the newcomers (the headline lens) with their 95 %
//! CIs, the charts (inlined SVG), every number in a table, where the files are, and how it was
//! run. Self-contained: nothing is loaded from elsewhere; all text from files is escaped.

use super::html::{
    escape as esc, inline_svg_file, localize_numbers, nav_bar, report_start_in, REPORT_END,
};
use super::meta::{self, Kind};
use super::run::report::fmt_value;
use super::scatter::{self, Cells, Ranking};
use super::style::fmt_fixed;
use crate::experiment::compare::{Comparison, Plan as ComparePlan};
use crate::experiment::sensitivity::{Analysis, Design, Indices, Method};
use crate::experiment::store::SweepDef;
use crate::lang::{fill, Lang};
use crate::metrics::indicators::{key_indicators, Direction, View};
use crate::output::atomic::write_file_atomic;
use crate::output::number::num;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

// ---------------------------------------------------------------- shared pieces

/// The page's opening: kicker, title, facts, introduction (html) and the section links.
fn header(
    lang: Lang,
    kicker: &str,
    title: &str,
    facts: &[String],
    intro_html: &str,
    nav: &[&str],
) -> String {
    let mut h = report_start_in(lang, &format!("dugnad: {title}"));
    let _ = writeln!(
        h,
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<p class=\"facts\">{}</p>\n<p>{intro_html}</p>\n\
         <p class=\"caveat\"><b>{}</b> {}</p>",
        esc(kicker),
        esc(title),
        facts
            .iter()
            .map(|f| esc(f))
            .collect::<Vec<_>>()
            .join(" \u{b7} "),
        esc(lang.tr("report.not_a_forecast_title")),
        esc(meta::not_a_forecast(lang)),
    );
    let sections: Vec<(&str, &str)> = nav.iter().map(|id| (*id, section_key(id))).collect();
    nav_bar(&mut h, lang, &sections);
    h
}

/// The sections a report may hold: the anchor id and the catalogue key of the title, which the
/// navigation bar and the section's heading share.
const SECTIONS: &[(&str, &str)] = &[
    ("findings", "report.findings_title"),
    ("params", "report.params_title"),
    ("charts", "report.charts_title"),
    ("ranking", "report.ranking_section"),
    ("table", "report.table_title"),
    ("files", "report.files_title"),
    ("run", "report.manifest_title"),
];

/// The catalogue key of section `id`'s title.
fn section_key(id: &str) -> &'static str {
    SECTIONS
        .iter()
        .find(|(s, _)| *s == id)
        .map_or("report.findings_title", |(_, k)| *k)
}

/// The title of section `id` in `lang`.
fn section_title(lang: Lang, id: &str) -> &'static str {
    lang.tr(section_key(id))
}

/// The facts every report's header ends with: weeks, seed and the scope of the values.
fn how_run(lang: Lang, weeks: u32, seed: u64, scope: &str) -> [String; 3] {
    [
        fill(lang, "report.weeks_many", &[("n", &weeks)]),
        fill(lang, "report.seed_fact", &[("seed", &seed)]),
        meta::scope_words(lang, scope),
    ]
}

fn section_start(h: &mut String, lang: Lang, id: &str) {
    let _ = writeln!(
        h,
        "<section id=\"{id}\">\n<h2>{}</h2>",
        esc(section_title(lang, id))
    );
}

/// A chart of the folder, inlined, with its caption; a note when the file is missing.
fn figure(h: &mut String, dir: &Path, svg: &str, title: &str, how: &str, lang: Lang) {
    let _ = writeln!(h, "<figure class=\"sheet\">");
    match inline_svg_file(&dir.join(svg)) {
        Some(s) => {
            let _ = writeln!(
                h,
                "<div role=\"img\" aria-label=\"{}\">\n{s}</div>",
                esc(title)
            );
        }
        None => {
            let stem = svg.trim_start_matches("charts/").trim_end_matches(".svg");
            let _ = writeln!(
                h,
                "<p class=\"missing\">{}</p>",
                fill(lang, "report.chart_missing_html", &[("stem", &esc(stem))])
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

/// The files of the folder with what each holds (the ones this report knows), then charts/.
fn files_section(h: &mut String, dir: &Path, lang: Lang) {
    section_start(h, lang, "files");
    let _ = writeln!(h, "<p>{}</p>\n<dl>", lang.tr("report.files_intro_html"));
    let known: [(&str, &str); 13] = [
        ("comparison.csv", "report.file_comparison"),
        ("sweep.csv", "report.file_sweep"),
        ("sweep-replicates.csv", "report.file_sweep_replicates"),
        ("sweep.json", "report.file_sweep_json"),
        ("cells", "report.file_cells"),
        ("sensitivity.csv", "report.file_sensitivity"),
        ("noise.csv", "report.file_noise"),
        ("points.csv", "report.file_points"),
        ("posterior-draws.csv", "report.file_posterior_draws"),
        ("codebook.csv", "report.file_codebook"),
        ("manifest.json", "report.file_manifest"),
        ("charts", "report.file_charts"),
        ("report.html", "report.file_report"),
    ];
    for (name, key) in known {
        // The manifest is written last, after this report: listed whenever the folder gets one.
        if name == "manifest.json" || name == "report.html" || dir.join(name).exists() {
            let shown = if dir.join(name).is_dir() || name == "cells" || name == "charts" {
                format!("{name}/")
            } else {
                name.to_string()
            };
            let _ = writeln!(
                h,
                "<dt><code>{}</code></dt><dd>{}</dd>",
                esc(&shown),
                esc(lang.tr(key))
            );
        }
    }
    h.push_str("</dl>\n</section>\n");
}

/// "How this was run": (label, value) pairs; the values are escaped.
fn run_section(h: &mut String, lang: Lang, items: &[(&str, String)]) {
    section_start(h, lang, "run");
    h.push_str("<dl>\n");
    for (k, v) in items {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    let _ = writeln!(
        h,
        "<dt>{}</dt><dd>{}</dd>\n</dl>\n<p>{}</p>\n</section>",
        esc(lang.tr("report.dt_version")),
        esc(env!("CARGO_PKG_VERSION")),
        lang.tr("report.see_manifest_html")
    );
}

/// Whether an indicator's values lie in 0–1 (shares and levels): their intervals are clamped
/// to it, their differences to ±1.
fn bounded(kind: Kind) -> bool {
    matches!(kind, Kind::Share | Kind::Level)
}

/// A difference in the indicator's unit, signed: shares in percentage points.
fn fmt_diff(lang: Lang, kind: Kind, v: f64) -> String {
    if !v.is_finite() {
        return "NA".into();
    }
    let v = if bounded(kind) { v.clamp(-1.0, 1.0) } else { v };
    match kind {
        Kind::Share => format!("{:+.1} {}", v * 100.0, lang.tr("report.pp")),
        _ => {
            let s = fmt_fixed(v, if v.abs() >= 100.0 { 1 } else { 3 });
            if v > 0.0 {
                format!("+{s}")
            } else {
                s
            }
        }
    }
}

/// What a difference with CI (lo, hi) means for an indicator: better, worse, higher, lower, or
/// inside the noise (the CI holds 0).
fn verdict(lang: Lang, name: &str, lo: f64, hi: f64) -> &'static str {
    if !(lo.is_finite() && hi.is_finite()) {
        return lang.tr("report.verdict_na");
    }
    if lo <= 0.0 && hi >= 0.0 {
        return lang.tr("report.verdict_noise");
    }
    let up = lo > 0.0;
    let direction = crate::metrics::indicator(name).map(|i| i.direction);
    lang.tr(match (direction, up) {
        (Some(Direction::HigherIsBetter), true) | (Some(Direction::HigherIsWorse), false) => {
            "report.verdict_better"
        }
        (Some(Direction::HigherIsBetter), false) | (Some(Direction::HigherIsWorse), true) => {
            "report.verdict_worse"
        }
        (_, true) => "report.verdict_higher",
        (_, false) => "report.verdict_lower",
    })
}

/// "0.412 (95 % CI 0.380 – 0.444)" in the indicator's format, the CI clamped to 0–1 where
/// the values cannot leave it.
fn value_ci(lang: Lang, kind: Kind, v: f64, (lo, hi): (f64, f64)) -> String {
    let clamp = |x: f64| if bounded(kind) { x.clamp(0.0, 1.0) } else { x };
    let f = |x: f64| fmt_value(kind, x.is_finite().then_some(clamp(x)));
    if lo.is_finite() && hi.is_finite() {
        format!(
            "{} ({})",
            f(v),
            fill(
                lang,
                "report.ci_range",
                &[("low", &f(lo)), ("high", &f(hi))]
            )
        )
    } else {
        f(v)
    }
}

// ---------------------------------------------------------------- comparison

/// The `report.html` of a comparison (`plan`, result `c`, charts drawn in `dir`), in `lang`.
pub fn compare(dir: &Path, plan: &ComparePlan, c: &Comparison, lang: Lang) -> String {
    let (names, baseline) = (&c.names, c.baseline);
    let first = &plan.contenders[0].scenario;
    let title = names.join(" \u{2194} ");
    let mut facts = vec![
        fill(lang, "report.designs_fact", &[("n", &names.len())]),
        fill(lang, "report.replicates_each", &[("n", &c.replicates)]),
    ];
    facts.extend(how_run(lang, first.weeks, first.seed, c.scope.name()));
    let intro = fill(
        lang,
        "report.compare_intro_html",
        &[
            ("baseline", &esc(&names[baseline])),
            ("replicates", &c.replicates),
        ],
    );
    let nav = ["findings", "charts", "table", "files", "run"];
    let mut h = header(
        lang,
        lang.tr("report.compare_kicker"),
        &title,
        &facts,
        &intro,
        &nav,
    );
    compare_findings(&mut h, c, lang);
    section_start(&mut h, lang, "charts");
    figure(
        &mut h,
        dir,
        "charts/forest.svg",
        lang.tr("report.forest_title"),
        &fill(lang, "report.forest_how", &[("baseline", &names[baseline])]),
        lang,
    );
    h.push_str("</section>\n");
    compare_table(&mut h, c, lang);
    files_section(&mut h, dir, lang);
    let mut items = vec![
        (lang.tr("report.dt_seed"), first.seed.to_string()),
        (lang.tr("report.dt_replicates"), c.replicates.to_string()),
        (lang.tr("report.dt_weeks"), first.weeks.to_string()),
        (
            lang.tr("report.dt_scope"),
            meta::scope_words(lang, c.scope.name()),
        ),
    ];
    for ct in &plan.contenders {
        items.push((
            lang.tr("report.dt_design"),
            format!("{}: {} {}", ct.name, ct.file, ct.overrides.join(" ")),
        ));
    }
    run_section(&mut h, lang, &items);
    h.push_str(REPORT_END);
    localize_numbers(lang, &h)
}

/// The comparison's findings: each design's headline indicators against the baseline.
fn compare_findings(h: &mut String, c: &Comparison, lang: Lang) {
    let (names, baseline) = (&c.names, c.baseline);
    // Findings: the headline indicators of each design against the baseline.
    section_start(h, lang, "findings");
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&fill(
            lang,
            "report.compare_findings_intro",
            &[
                ("who", &meta::newcomers_words(lang)),
                ("baseline", &names[baseline])
            ]
        ))
    );
    if let Some(a) = &c.adaptive {
        let _ = writeln!(h, "<p><b>{}</b></p>", esc(&a.sentence_in(lang)));
    }
    let headline = key_indicators(View::Headline);
    for d in (0..names.len()).filter(|d| *d != baseline) {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<ul>",
            esc(&fill(
                lang,
                "report.design_vs",
                &[("design", &names[d]), ("baseline", &names[baseline])]
            ))
        );
        for l in c
            .shown()
            .into_iter()
            .filter(|l| l.design == d && headline.contains(&c.layout.series[l.series].name()))
        {
            let s = &c.layout.series[l.series];
            let kind = meta::kind(s.name());
            let dd = &l.diff;
            let _ = writeln!(
                h,
                "<li><b>{}</b>: {} ({}); <i>{}</i>{}</li>",
                esc(&meta::series_title_in(lang, s.name(), &s.lens_name)),
                esc(&fmt_diff(lang, kind, dd.mean_diff)),
                esc(&fill(
                    lang,
                    "report.ci_range",
                    &[
                        ("low", &fmt_diff(lang, kind, dd.ci_low)),
                        ("high", &fmt_diff(lang, kind, dd.ci_high))
                    ]
                )),
                esc(verdict(lang, s.name(), dd.ci_low, dd.ci_high)),
                if dd.n < c.replicates {
                    format!(
                        " ({})",
                        esc(&fill(
                            lang,
                            "report.n_of_replicates",
                            &[("n", &dd.n), ("of", &c.replicates)]
                        ))
                    )
                } else {
                    String::new()
                }
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// Every indicator the comparison shows, each design.
fn compare_table(h: &mut String, c: &Comparison, lang: Lang) {
    let names = &c.names;
    // Every indicator shown, each design.
    section_start(h, lang, "table");
    let _ = writeln!(
        h,
        "<p>{}</p>\n<div class=\"wide\"><table>\n<tr><th>{}</th><th>{}</th><th>{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">d<sub>z</sub></th><th class=\"num\">n</th></tr>",
        esc(lang.tr("report.compare_table_intro")),
        esc(lang.tr("report.col_design")),
        esc(lang.tr("report.col_indicator")),
        esc(lang.tr("report.col_lens")),
        esc(lang.tr("report.col_mean")),
        esc(lang.tr("report.col_ci95")),
        esc(lang.tr("report.col_difference")),
        esc(lang.tr("report.col_ci95")),
    );
    for l in c.shown() {
        let (s, d) = (&l.summary, &l.diff);
        let series = &c.layout.series[l.series];
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}<br><code>{}</code></td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">[{}, {}]</td><td class=\"num\">{}</td><td class=\"num\">[{}, {}]</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&names[l.design]),
            esc(&meta::title_in(lang, series.name())),
            esc(series.name()),
            esc(&meta::lens_short_in(lang, series.name(), &series.lens_name)),
            num(s.mean),
            num(s.ci_low),
            num(s.ci_high),
            num(d.mean_diff),
            num(d.ci_low),
            num(d.ci_high),
            num(d.effect_size),
            d.n
        );
    }
    h.push_str("</table></div>\n</section>\n");
}

// ---------------------------------------------------------------- sweep

/// A cell in words: "activity.co_design = 0.5, activity.facilitation = 0".
fn cell_words(cells: &Cells, c: usize) -> String {
    cells
        .keys
        .iter()
        .zip(&cells.labels[c])
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The findings of a sweep for one key series: where it is best and worst across the cells,
/// whether that difference is outside the noise, and which parameter moves it most.
fn sweep_finding(lang: Lang, cells: &Cells, s: usize, ranking: Option<&Ranking>) -> Option<String> {
    let (name, lens) = &cells.series[s];
    let ys = &cells.y[s];
    let defined: Vec<usize> = (0..ys.len()).filter(|&c| ys[c].is_finite()).collect();
    let lo = *defined.iter().min_by(|&&a, &&b| ys[a].total_cmp(&ys[b]))?;
    let hi = *defined.iter().max_by(|&&a, &&b| ys[a].total_cmp(&ys[b]))?;
    let kind = meta::kind(name);
    let direction = crate::metrics::indicator(name).map(|i| i.direction);
    let (best, worst) = match direction {
        Some(Direction::HigherIsWorse) => (lo, hi),
        _ => (hi, lo),
    };
    let (best_key, worst_key) = match direction {
        Some(Direction::Neither) | None => ("report.sweep_highest", "report.sweep_lowest"),
        _ => ("report.sweep_best", "report.sweep_worst"),
    };
    if ys[hi] - ys[lo] <= 1e-12 * ys[hi].abs().max(1.0) {
        return Some(format!(
            "<b>{}</b>: {}",
            esc(&meta::series_title_in(lang, name, lens)),
            esc(&fill(
                lang,
                "report.sweep_constant",
                &[("value", &fmt_value(kind, Some(ys[hi])))]
            ))
        ));
    }
    let mut out = format!(
        "<b>{}</b>: {} {} <i>({})</i>; {} {} <i>({})</i>. ",
        esc(&meta::series_title_in(lang, name, lens)),
        esc(lang.tr(best_key)),
        esc(&value_ci(lang, kind, ys[best], cells.ci[s][best])),
        esc(&cell_words(cells, best)),
        esc(lang.tr(worst_key)),
        esc(&value_ci(lang, kind, ys[worst], cells.ci[s][worst])),
        esc(&cell_words(cells, worst)),
    );
    // Apart when the two cells' CIs do not overlap.
    let (b, w) = (cells.ci[s][best], cells.ci[s][worst]);
    let apart = b.0.max(w.0) > b.1.min(w.1);
    out.push_str(&esc(lang.tr(if apart {
        "report.sweep_apart"
    } else {
        "report.sweep_within_noise"
    })));
    if let Some(r) = ranking {
        if let Some(top) = r.effects.first() {
            out.push(' ');
            let key = if top.within_noise() {
                "report.sweep_top_noise"
            } else {
                "report.sweep_top"
            };
            out.push_str(&esc(&fill(
                lang,
                key,
                &[
                    ("param", &cells.keys[top.param]),
                    ("src", &fmt_fixed(top.src, 2)),
                    ("low", &fmt_fixed(top.ci.0, 2)),
                    ("high", &fmt_fixed(top.ci.1, 2)),
                ],
            )));
        }
    }
    Some(out)
}

/// Draws a finished sweep folder's parameter charts (any sweep with numeric parameters: LHS,
/// Sobol, and grids) and writes its `report.html` in `lang`, with the key indicators at `lens`
/// (default: each one's headline lens). The sweep's own charts (`present::sweep::charts`) are
/// drawn before. Returns the files written, relative to `dir`.
pub fn sweep(dir: &Path, def: &SweepDef, lens: Option<&str>, lang: Lang) -> Result<Vec<String>> {
    let cells = scatter::read_cells(dir, &def.cells.keys, lens)?;
    let (rankings, mut files) = scatter::charts(dir, &cells, def.replicates, lang)?;
    let html = sweep_page(dir, def, &cells, &rankings, lang);
    write_file_atomic(&dir.join("report.html"), html.as_bytes())?;
    files.push("report.html".into());
    Ok(files)
}

fn sweep_page(
    dir: &Path,
    def: &SweepDef,
    cells: &Cells,
    rankings: &[Option<Ranking>],
    lang: Lang,
) -> String {
    let design = &def.cells.design;
    let mut facts = vec![
        fill(lang, "report.design_fact", &[("design", design)]),
        fill(lang, "report.cells_fact", &[("n", &def.cells.len())]),
        fill(
            lang,
            "report.replicates_each_cell",
            &[("n", &def.replicates)],
        ),
    ];
    facts.extend(how_run(lang, def.weeks, def.seed, def.scope.name()));
    let sampled = !design.starts_with("grid");
    let intro = fill(
        lang,
        if sampled {
            "report.sweep_intro_sampled_html"
        } else {
            "report.sweep_intro_grid_html"
        },
        &[
            ("scenario", &esc(&def.scenario)),
            ("cells", &def.cells.len()),
            ("replicates", &def.replicates),
        ],
    );
    let nav = ["findings", "params", "charts", "ranking", "files", "run"];
    let mut h = header(
        lang,
        lang.tr("report.sweep_kicker"),
        &def.scenario,
        &facts,
        &intro,
        &nav,
    );
    section_start(&mut h, lang, "findings");
    let _ = writeln!(
        h,
        "<p>{}</p>\n<ul>",
        esc(&fill(
            lang,
            "report.sweep_findings_intro",
            &[("who", &meta::newcomers_words(lang))]
        ))
    );
    for s in 0..cells.series.len() {
        if let Some(f) = sweep_finding(lang, cells, s, rankings.get(s).and_then(Option::as_ref)) {
            let _ = writeln!(h, "<li>{f}</li>");
        }
    }
    h.push_str("</ul>\n</section>\n");
    params_section(&mut h, cells, lang);
    sweep_charts(&mut h, dir, def, cells, lang);
    ranking_section(&mut h, dir, cells, rankings, lang);
    files_section(&mut h, dir, lang);
    let mut items = vec![
        (lang.tr("report.dt_seed"), def.seed.to_string()),
        (lang.tr("report.dt_replicates"), def.replicates.to_string()),
        (lang.tr("report.dt_weeks"), def.weeks.to_string()),
        (
            lang.tr("report.dt_scope"),
            meta::scope_words(lang, def.scope.name()),
        ),
        (lang.tr("report.dt_design"), design.clone()),
    ];
    if let Some(s) = def.cells.sampler_seed {
        items.push((lang.tr("report.dt_sampler_seed"), s.to_string()));
    }
    items.push((lang.tr("report.dt_identity"), def.identity.clone()));
    run_section(&mut h, lang, &items);
    h.push_str(REPORT_END);
    localize_numbers(lang, &h)
}

/// The parameters swept: each one's lowest and highest value and how many values it took.
fn params_section(h: &mut String, cells: &Cells, lang: Lang) {
    // The parameters swept.
    section_start(h, lang, "params");
    let _ = writeln!(
        h,
        "<table><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        esc(lang.tr("report.col_parameter")),
        esc(lang.tr("report.col_lowest")),
        esc(lang.tr("report.col_highest")),
        esc(lang.tr("report.col_distinct")),
    );
    for (j, key) in cells.keys.iter().enumerate() {
        let mut values: Vec<&String> = cells.labels.iter().map(|l| &l[j]).collect();
        values.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.cmp(b),
        });
        let first = values.first().map(|v| v.as_str()).unwrap_or("");
        let last = values.last().map(|v| v.as_str()).unwrap_or("");
        values.dedup();
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(key),
            esc(first),
            esc(last),
            values.len()
        );
    }
    h.push_str("</table>\n</section>\n");
}

/// The sweep's charts: its own (lines or heatmap), then one sheet per numeric parameter.
fn sweep_charts(h: &mut String, dir: &Path, def: &SweepDef, cells: &Cells, lang: Lang) {
    // Charts: the sweep's own (lines or heatmap), then one sheet per numeric parameter.
    section_start(h, lang, "charts");
    let mut any = false;
    for (svg, title, how) in [
        (
            "charts/sweep.svg",
            "report.sweep_lines_title",
            "report.sweep_lines_how",
        ),
        (
            "charts/heatmap.svg",
            "report.heatmap_title",
            "report.heatmap_how",
        ),
    ] {
        if dir.join(svg).exists() {
            any = true;
            figure(h, dir, svg, lang.tr(title), lang.tr(how), lang);
        }
    }
    for j in cells.numeric_params() {
        any = true;
        let svg = format!("charts/{}.svg", scatter::scatter_stem(&cells.keys[j]));
        figure(
            h,
            dir,
            &svg,
            &fill(lang, "report.scatter_title", &[("param", &cells.keys[j])]),
            &fill(
                lang,
                "report.scatter_how",
                &[("param", &cells.keys[j]), ("replicates", &def.replicates)],
            ),
            lang,
        );
    }
    if !any {
        let _ = writeln!(
            h,
            "<p class=\"missing\">{}</p>",
            esc(lang.tr("report.no_sweep_charts"))
        );
    }
    h.push_str("</section>\n");
}

/// The ranking of the parameters by effect: the chart and a table per key series.
fn ranking_section(
    h: &mut String,
    dir: &Path,
    cells: &Cells,
    rankings: &[Option<Ranking>],
    lang: Lang,
) {
    section_start(h, lang, "ranking");
    let _ = writeln!(h, "<p>{}</p>", lang.tr("report.ranking_intro_html"));
    if rankings.iter().all(Option::is_none) {
        let _ = writeln!(
            h,
            "<p class=\"missing\">{}</p>\n</section>",
            esc(lang.tr("report.no_ranking"))
        );
        return;
    }
    figure(
        h,
        dir,
        "charts/ranking.svg",
        lang.tr("report.ranking_title"),
        lang.tr("report.ranking_legend"),
        lang,
    );
    let _ = writeln!(
        h,
        "<div class=\"wide\"><table>\n<tr><th>{}</th><th class=\"num\">R\u{b2}</th><th>{}</th>\
         <th class=\"num\">SRC</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr>",
        esc(lang.tr("report.col_indicator")),
        esc(lang.tr("report.col_parameter")),
        esc(lang.tr("report.col_ci95")),
        esc(lang.tr("report.col_spread")),
        esc(lang.tr("report.col_reading")),
    );
    for ((name, lens), r) in cells.series.iter().zip(rankings) {
        let Some(r) = r else { continue };
        let kind = meta::kind(name);
        for (i, e) in r.effects.iter().enumerate() {
            let head = if i == 0 {
                format!(
                    "<td rowspan=\"{}\">{}</td><td class=\"num\" rowspan=\"{}\">{}</td>",
                    r.effects.len(),
                    esc(&meta::series_title_in(lang, name, lens)),
                    r.effects.len(),
                    fmt_fixed(r.r2, 2)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                h,
                "<tr>{head}<td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">[{}, {}]</td>\
                 <td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&cells.keys[e.param]),
                fmt_fixed(e.src, 2),
                fmt_fixed(e.ci.0, 2),
                fmt_fixed(e.ci.1, 2),
                esc(&fmt_value(
                    if kind == Kind::Share { Kind::Share } else { Kind::Level },
                    Some(e.spread)
                )),
                esc(lang.tr(if e.within_noise() {
                    "report.verdict_noise"
                } else if e.src > 0.0 {
                    "report.src_raises"
                } else {
                    "report.src_lowers"
                })),
            );
        }
    }
    h.push_str("</table></div>\n</section>\n");
}

// ---------------------------------------------------------------- sensitivity

/// How a sensitivity design was analysed: method, estimators and their sources, in `lang`.
fn method_words(design: &Design, lang: Lang) -> String {
    let points = design.len();
    match design.method {
        Method::Morris {
            trajectories,
            levels,
        } => fill(
            lang,
            "report.sensitivity_method_morris_html",
            &[
                ("trajectories", &trajectories),
                ("levels", &levels),
                ("points", &points),
            ],
        ),
        Method::Sobol { samples } => fill(
            lang,
            "report.sensitivity_method_sobol_html",
            &[("samples", &samples), ("points", &points)],
        ),
    }
}

/// The `report.html` of a sensitivity analysis of `scenario` (folder `dir`, `charts` the chart
/// files written, relative to `dir`), in `lang`.
#[allow(clippy::too_many_arguments)]
pub fn sensitivity(
    dir: &Path,
    scenario: &str,
    design: &Design,
    a: &Analysis,
    scope: &str,
    seed: u64,
    weeks: u32,
    charts: &[String],
    ranking: &[String],
    lang: Lang,
) -> String {
    let method = design.method.name();
    let mut facts = vec![
        fill(lang, "report.method_fact", &[("method", &method)]),
        fill(lang, "report.factors_fact", &[("n", &a.factors.len())]),
        fill(lang, "report.points_fact", &[("n", &design.len())]),
        fill(
            lang,
            "report.replicates_each_point",
            &[("n", &a.replicates)],
        ),
    ];
    facts.extend(how_run(lang, weeks, seed, scope));
    let morris = matches!(
        a.per_indicator.first().map(|p| &p.2),
        Some(Indices::Morris(_))
    );
    let intro = format!(
        "{} {}",
        lang.tr(if morris {
            "report.sensitivity_intro_morris_html"
        } else {
            "report.sensitivity_intro_sobol_html"
        }),
        method_words(design, lang)
    );
    let nav = ["findings", "charts", "table", "files", "run"];
    let mut h = header(
        lang,
        lang.tr("report.sensitivity_kicker"),
        scenario,
        &facts,
        &intro,
        &nav,
    );
    let statistic = if morris { "mu_star" } else { "ST" };
    sensitivity_findings(&mut h, a, statistic, ranking, lang);
    section_start(&mut h, lang, "charts");
    for svg in charts.iter().filter(|f| f.ends_with(".svg")) {
        let target = a.per_indicator.iter().find(|(t, _, _)| {
            svg.contains(&format!("-{}-", t.indicator))
                || svg.ends_with(&format!("-{}.svg", t.indicator))
        });
        let title = target
            .map(|(t, _, _)| meta::series_title_in(lang, t.indicator, &t.lens))
            .unwrap_or_else(|| svg.clone());
        let how = lang.tr(if morris {
            "report.morris_how"
        } else {
            "report.sobol_how"
        });
        figure(&mut h, dir, svg, &title, how, lang);
    }
    h.push_str("</section>\n");
    sensitivity_table(&mut h, a, lang);
    files_section(&mut h, dir, lang);
    let mut items = vec![
        (lang.tr("report.dt_seed"), seed.to_string()),
        (lang.tr("report.dt_replicates"), a.replicates.to_string()),
        (lang.tr("report.dt_weeks"), weeks.to_string()),
        (lang.tr("report.dt_scope"), meta::scope_words(lang, scope)),
        (lang.tr("report.dt_design"), design.design_name()),
    ];
    for f in &design.factors {
        items.push((
            lang.tr("report.dt_factor"),
            format!("{} = {} : {}", f.key, num(f.lo), num(f.hi)),
        ));
    }
    run_section(&mut h, lang, &items);
    h.push_str(REPORT_END);
    localize_numbers(lang, &h)
}

/// The analysis' findings: per indicator the factor that matters most, the next, and a note
/// where replicate noise dominates; then the analysis' own sentences (`ranking`, in `lang`);
/// then the warnings.
fn sensitivity_findings(
    h: &mut String,
    a: &Analysis,
    statistic: &str,
    ranking: &[String],
    lang: Lang,
) {
    section_start(h, lang, "findings");
    h.push_str("<ul>\n");
    for (t, share, _) in &a.per_indicator {
        let mut est: Vec<_> = a
            .estimates
            .iter()
            .filter(|e| e.indicator == t.indicator && e.lens == t.lens && e.statistic == statistic)
            .collect();
        est.sort_by(|x, y| y.value.total_cmp(&x.value));
        let title = meta::series_title_in(lang, t.indicator, &t.lens);
        let line = match est.first() {
            Some(top) if top.value > 0.0 => {
                let ci = top
                    .ci
                    .map(|(l, hi)| {
                        fill(
                            lang,
                            "report.ci_range",
                            &[("low", &num(l)), ("high", &num(hi))],
                        )
                    })
                    .unwrap_or_default();
                let mut s = fill(
                    lang,
                    "report.sensitivity_top",
                    &[
                        ("factor", &top.factor),
                        ("statistic", &statistic),
                        ("value", &num(top.value)),
                        ("ci", &ci),
                    ],
                );
                if let Some(next) = est.get(1) {
                    s.push(' ');
                    s.push_str(&fill(
                        lang,
                        "report.sensitivity_next",
                        &[("factor", &next.factor), ("value", &num(next.value))],
                    ));
                }
                s
            }
            _ => lang.tr("report.sensitivity_none").to_string(),
        };
        let noise = if share.is_finite() && *share > 0.5 {
            format!(
                " <i>{}</i>",
                esc(&fill(
                    lang,
                    "report.sensitivity_noisy",
                    &[("share", &num(*share))]
                ))
            )
        } else {
            String::new()
        };
        let _ = writeln!(h, "<li><b>{}</b>: {}{noise}</li>", esc(&title), esc(&line));
    }
    h.push_str("</ul>\n");
    if !ranking.is_empty() {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<ul>",
            esc(lang.tr("report.sensitivity_details"))
        );
        for r in ranking {
            let _ = writeln!(h, "<li>{}</li>", esc(r));
        }
        h.push_str("</ul>\n");
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<ul>",
            esc(lang.tr("report.warnings_title"))
        );
        for w in &a.warnings {
            let _ = writeln!(h, "<li>{}</li>", esc(&w.words(lang)));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// Every index of the analysis with its CI.
fn sensitivity_table(h: &mut String, a: &Analysis, lang: Lang) {
    section_start(h, lang, "table");
    let _ = writeln!(
        h,
        "<div class=\"wide\"><table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        esc(lang.tr("report.col_indicator")),
        esc(lang.tr("report.col_lens")),
        esc(lang.tr("report.col_factor")),
        esc(lang.tr("report.col_statistic")),
        esc(lang.tr("report.col_value")),
        esc(lang.tr("report.col_ci95")),
    );
    for e in &a.estimates {
        let ci =
            e.ci.map(|(l, hi)| format!("[{}, {}]", num(l), num(hi)))
                .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}<br><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&meta::title_in(lang, e.indicator)),
            esc(e.indicator),
            esc(&meta::lens_short_in(lang, e.indicator, &e.lens)),
            esc(&e.factor),
            esc(e.statistic),
            num(e.value),
            ci
        );
    }
    h.push_str("</table></div>\n</section>\n");
}
