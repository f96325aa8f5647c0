//! The presentation of a sensitivity analysis: one chart per indicator (Morris: the μ*–σ
//! plane with the μ* CI; Sobol: S1 and ST bars with CIs) and the report page.

use super::chart::{write_into, Area, Chart, Dr, Look};
use crate::lang::Lang;
use super::html::{escape as esc, inline_svg_file, page};
use super::meta::series_title;
use super::style::{font, DESC_SIZE, GRID, LEGEND_SIZE, NEWCOMERS, PANEL_TITLE_SIZE};
use super::style::{REFERENCE, TEXT, TICK_SIZE, VOLUNTEERS};
use crate::experiment::sensitivity::{
    short_name as short, Analysis, Design, Indices, Method, Target,
};
use crate::output::number::num;
use crate::stats::{MorrisIndex, SobolResult};
use anyhow::Result;
use plotters::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// One output's indices as a chart, `charts/sensitivity-<indicator>-<lens>`.
struct IndicesChart<'a> {
    target: &'a Target,
    factors: &'a [String],
    indices: &'a Indices,
    look: Look,
}

/// The file stem of an output's chart.
fn stem(t: &Target) -> String {
    format!(
        "sensitivity-{}-{}",
        t.indicator,
        t.lens.replace(['|', '='], "-")
    )
}

impl Chart for IndicesChart<'_> {
    fn stem(&self) -> String {
        stem(self.target)
    }

    fn size(&self) -> (u32, u32) {
        (900, 640)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        root.fill(&WHITE).dr()?;
        let title = series_title(self.target.indicator, &self.target.lens);
        match self.indices {
            Indices::Morris(m) => morris_panel(root, &title, self.factors, m),
            Indices::Sobol { primary, .. } => sobol_panel(root, &title, self.factors, primary),
        }
    }
}

/// Morris: each factor at (μ*, σ) with the μ* CI, the σ = μ* line, the 10 largest labelled.
fn morris_panel<DB: DrawingBackend>(
    root: &Area<DB>,
    name: &str,
    factors: &[String],
    m: &[MorrisIndex],
) -> Result<()> {
    let title = name;
    let fin = |v: f64| if v.is_finite() { v } else { 0.0 };
    let xmax = m
        .iter()
        .map(|x| fin(x.mu_star_ci.1).max(fin(x.mu_star)))
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.15;
    let ymax = m.iter().map(|x| fin(x.sigma)).fold(0.0, f64::max).max(1e-9) * 1.15;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{title}: Morris μ* and σ"),
            font(PANEL_TITLE_SIZE, false),
        )
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..xmax, 0.0..ymax)
        .dr()?;
    chart
        .configure_mesh()
        .x_desc("μ* (mean |elementary effect|, per full range)")
        .y_desc("σ of the elementary effects")
        .label_style(font(TICK_SIZE, false))
        .axis_desc_style(font(DESC_SIZE, false))
        .light_line_style(GRID)
        .draw()
        .dr()?;
    // σ = μ* line: above it, effects are non-linear or interacting.
    let lim = xmax.min(ymax);
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (lim, lim)],
            REFERENCE.stroke_width(1),
        ))
        .dr()?;
    // Only the 10 largest μ* are labelled, so that a screening of many factors stays legible.
    let mut order: Vec<usize> = (0..m.len()).collect();
    order.sort_by(|&a, &b| m[b].mu_star.total_cmp(&m[a].mu_star).then(a.cmp(&b)));
    order.truncate(10);
    for (f, x) in m.iter().enumerate() {
        if !x.mu_star.is_finite() {
            continue;
        }
        let y = fin(x.sigma);
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(x.mu_star_ci.0, y), (x.mu_star_ci.1, y)],
                VOLUNTEERS.stroke_width(2),
            )))
            .dr()?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (x.mu_star, y),
                5,
                NEWCOMERS.filled(),
            )))
            .dr()?;
        if !order.contains(&f) || x.mu_star <= 0.0 {
            continue;
        }
        let label = short(&factors[f]).to_string();
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x.mu_star, y),
                font(LEGEND_SIZE, false),
            )))
            .dr()?;
    }
    Ok(())
}

/// Sobol: per factor the S1 (orange) and ST (blue) bars with their 95 % CIs.
fn sobol_panel<DB: DrawingBackend>(
    root: &Area<DB>,
    name: &str,
    factors: &[String],
    primary: &SobolResult,
) -> Result<()> {
    let title = name;
    let ix = &primary.indices;
    let fin = |v: f64| if v.is_finite() { v } else { 0.0 };
    let ymax = ix
        .iter()
        .flat_map(|x| [fin(x.st_ci.1), fin(x.s1_ci.1), fin(x.st)])
        .fold(1.0f64, f64::max)
        .min(2.0);
    let ymin = ix
        .iter()
        .flat_map(|x| [fin(x.s1_ci.0), fin(x.st_ci.0)])
        .fold(0.0f64, f64::min)
        .max(-1.0);
    let n = ix.len();
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{title}: Sobol S1 (orange) and ST (blue), 95 % CI"),
            font(PANEL_TITLE_SIZE, false),
        )
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), ymin..ymax)
        .dr()?;
    let labels: Vec<String> = factors.iter().map(|f| short(f).to_string()).collect();
    chart
        .configure_mesh()
        .x_labels(n.max(1))
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_desc("share of output variance")
        .label_style(font(TICK_SIZE, false))
        .axis_desc_style(font(DESC_SIZE, false))
        .light_line_style(GRID)
        .draw()
        .dr()?;
    for (f, x) in ix.iter().enumerate() {
        let c = f as f64;
        for (off, v, ci, colour) in [
            (-0.2, x.s1, x.s1_ci, NEWCOMERS),
            (0.2, x.st, x.st_ci, VOLUNTEERS),
        ] {
            if !v.is_finite() {
                continue;
            }
            let v = v.clamp(ymin, ymax);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(c + off - 0.17, 0.0), (c + off + 0.17, v)],
                    colour.mix(0.8).filled(),
                )))
                .dr()?;
            if ci.0.is_finite() && ci.1.is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [
                            (c + off, ci.0.clamp(ymin, ymax)),
                            (c + off, ci.1.clamp(ymin, ymax)),
                        ],
                        TEXT.stroke_width(2),
                    )))
                    .dr()?;
            }
        }
    }
    Ok(())
}

/// Draws `charts/sensitivity-<indicator>.png` and `.svg` per analysed indicator. Returns the
/// files written, relative to `dir`.
pub fn charts(dir: &Path, a: &Analysis, lang: Lang) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for (target, _, indices) in &a.per_indicator {
        let chart = IndicesChart {
            target,
            factors: &a.factors,
            indices,
            look: Look::new(lang),
        };
        files.extend(write_into(dir, &chart)?);
    }
    Ok(files)
}

/// How the design was analysed, in words.
fn method_note(design: &Design) -> String {
    match design.method {
        Method::Morris { trajectories, levels } => format!(
            "Morris elementary effects (Morris 1991; μ* of Campolongo et al. 2007): {trajectories} trajectories on a \
             {levels}-level grid, {} points. Effects are per full range of a factor, computed on the replicate means; \
             95 % CIs of μ* bootstrap the trajectories.",
            design.len()
        ),
        Method::Sobol { samples } => format!(
            "Sobol indices on a Saltelli (2010) design with N = {samples} ({} points): S1 by the Saltelli et al. (2010) \
             estimator, ST by Jansen (1999), 95 % CIs by bootstrapping the N rows, computed on the replicate means. \
             Because every point runs on the same seeds (common random numbers), most replicate noise is shared by all \
             points and cancels in the differences the estimators use; the alternative correction that subtracts the \
             noise variance σ²/R of a mean (Iooss &amp; Ribatet 2009; Marrel et al. 2012) assumes independent noise per \
             point and over-corrects here, so it is only reported alongside (sensitivity.csv, statistics \
             *_noise_corrected).",
            design.len()
        ),
    }
}

/// A bulleted list of escaped lines, each wrapped in `wrap` (e.g. `<b>{}</b>`).
fn list(items: &[String], bold: bool) -> String {
    let mut h = String::from("<ul>\n");
    for i in items {
        let _ = if bold {
            writeln!(h, "<li><b>{}</b></li>", esc(i))
        } else {
            writeln!(h, "<li>{}</li>", esc(i))
        };
    }
    h.push_str("</ul>\n");
    h
}

/// "What drives the outcomes": the ranking and how it was computed.
fn drivers_section(design: &Design, a: &Analysis, scope: &str, ranking: &[String]) -> String {
    let mut h = list(ranking, false);
    let _ = writeln!(
        h,
        "<p>{} Every point runs {} replicates on the same seed (common random numbers); outputs are each \
         replicate's {scope} value.</p>",
        method_note(design),
        a.replicates
    );
    h
}

/// "Indices": the charts (inlined) and a table of every estimate.
fn indices_section(dir: &Path, a: &Analysis) -> String {
    let mut h = String::new();
    for (target, _, _) in &a.per_indicator {
        let path = dir.join(format!("charts/{}.svg", stem(target)));
        if let Some(svg) = inline_svg_file(&path) {
            let _ = writeln!(h, "<figure>{svg}</figure>");
        }
    }
    h.push_str("<table><tr><th>factor</th><th>indicator</th><th>lens</th><th>statistic</th><th>value</th><th>95 % CI</th></tr>\n");
    for e in &a.estimates {
        let ci =
            e.ci.map(|(l, h)| format!("[{}, {}]", num(l), num(h)))
                .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{ci}</td></tr>",
            esc(&e.factor),
            e.indicator,
            esc(&e.lens),
            e.statistic,
            num(e.value)
        );
    }
    h.push_str("</table>\n");
    h
}

/// "Replicate noise": each indicator's noise share and how to read it.
fn noise_section(a: &Analysis) -> String {
    let mut h = String::from(
        "<p>Share of the variance of the per-point replicate means that is replicate noise (mean within-point variance / R \
         over the variance of the point means; Iooss &amp; Ribatet 2009). Near 0: the means are essentially deterministic; \
         near or above 1: the factors move the indicator little next to the replicate noise. Above 1 is possible under \
         common random numbers: the noise is shared by all points, so it spreads the point means less than \
         independent noise would, which is also why the estimates can still be precise — judge them by their CIs.</p>\n<table><tr><th>indicator</th><th>lens</th><th>noise share</th></tr>\n",
    );
    for (t, share, _) in &a.per_indicator {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.indicator,
            esc(&t.lens),
            num(*share)
        );
    }
    h.push_str("</table>\n");
    h
}

/// `report.html` of a sensitivity analysis of `scenario` (a complete folder `dir`, its charts
/// drawn): what drives the outcomes, warnings, the indices and the replicate noise.
pub fn report(
    dir: &Path,
    scenario: &str,
    design: &Design,
    a: &Analysis,
    scope: &str,
    ranking: &[String],
) -> String {
    let mut sections = vec![(
        "What drives the outcomes".to_string(),
        drivers_section(design, a, scope, ranking),
    )];
    if !a.warnings.is_empty() {
        sections.push(("Warnings".to_string(), list(&a.warnings, true)));
    }
    sections.push(("Indices".to_string(), indices_section(dir, a)));
    sections.push(("Replicate noise".to_string(), noise_section(a)));
    let title = format!("Sensitivity of {scenario} ({})", design.method.name());
    page(&title, &sections)
}
