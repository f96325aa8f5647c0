//! Charts and report of experiments: the forest plot of a comparison, and a sweep's indicators
//! against one parameter (line with 95 % CI band) or two (heatmap). Sweep charts are drawn from
//! the written `sweep.csv`, so a merge redraws them from the merged files.

use super::compare::{AdaptiveOutcome, Line};
use super::grid::display_value;
use super::store::SweepDef;
use super::Scope;
use crate::metrics::indicators::{key_indicators, View};
use crate::metrics::INDICATORS;
use crate::output::charts::register_fonts;
use crate::output::charts::style::{
    self, decimals_for, fmt_fixed, DESC_SIZE, PANEL_TITLE_SIZE, TICK_SIZE,
};
use crate::output::csv::num;
use crate::output::report::{escape_html as esc, inline_svg};
use anyhow::{anyhow, Context, Result};
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const FONT: &str = style::FAMILY;
/// Okabe–Ito blue and orange (not the role colours): a difference above / below zero.
const ABOVE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const BELOW: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const GREY: RGBColor = style::REFERENCE;
const LINE: RGBColor = style::NEUTRAL;

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("cannot draw a chart: {e:?}")
}

/// Draws one chart as PNG and SVG into `dir/charts/` (each written to a temporary name and
/// renamed). Returns the two file names relative to `dir`.
fn draw_both(
    dir: &Path,
    stem: &str,
    size: (u32, u32),
    draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<()> + Copy,
    draw_png: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<()>,
) -> Result<Vec<String>> {
    register_fonts();
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts)
        .with_context(|| format!("cannot create {}", charts.display()))?;
    let (png, svg) = (
        charts.join(format!("{stem}.png")),
        charts.join(format!("{stem}.svg")),
    );
    let (png_tmp, svg_tmp) = (
        charts.join(format!("{stem}.tmp.png")),
        charts.join(format!("{stem}.tmp.svg")),
    );
    {
        let root = SVGBackend::new(&svg_tmp, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root)?;
        root.present().map_err(err)?;
    }
    {
        let root = BitMapBackend::new(&png_tmp, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw_png(&root)?;
        root.present().map_err(err)?;
    }
    std::fs::rename(&svg_tmp, &svg)?;
    std::fs::rename(&png_tmp, &png)?;
    Ok(vec![
        format!("charts/{stem}.png"),
        format!("charts/{stem}.svg"),
    ])
}

// ---------------------------------------------------------------------------------------------
// Forest plot
// ---------------------------------------------------------------------------------------------

/// One row of a forest panel: indicator, standardized difference and its CI.
struct ForestRow {
    label: &'static str,
    diff: f64,
    lo: f64,
    hi: f64,
}

/// Per non-baseline design, the differences to the baseline in pooled SDs of the two designs
/// (√((sd_base² + sd_design²)/2), Cohen's d scale, so an indicator that never varies under the
/// baseline still shows), indicators in `INDICATORS` order; an indicator with no variance in
/// either design is shown only when the difference is 0.
fn forest_rows(lines: &[Line], baseline: usize) -> Vec<(usize, Vec<ForestRow>)> {
    let base_sd: Vec<f64> = lines
        .iter()
        .filter(|l| l.design == baseline)
        .map(|l| l.summary.sd)
        .collect();
    let mut designs: Vec<usize> = lines
        .iter()
        .map(|l| l.design)
        .filter(|d| *d != baseline)
        .collect();
    designs.dedup();
    designs
        .into_iter()
        .map(|d| {
            let rows = lines
                .iter()
                .filter(|l| l.design == d)
                .map(|l| {
                    let sd = ((base_sd[l.indicator].powi(2) + l.summary.sd.powi(2)) / 2.0).sqrt();
                    let scale = |x: f64| {
                        if sd > 0.0 {
                            x / sd
                        } else if x == 0.0 {
                            0.0
                        } else {
                            f64::NAN
                        }
                    };
                    ForestRow {
                        label: INDICATORS[l.indicator],
                        diff: scale(l.diff.mean_diff),
                        lo: scale(l.diff.ci_low),
                        hi: scale(l.diff.ci_high),
                    }
                })
                .collect();
            (d, rows)
        })
        .collect()
}

fn forest_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    xlabel: &str,
    rows: &[ForestRow],
    limit: f64,
) -> Result<()> {
    let n = rows.len();
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, PANEL_TITLE_SIZE))
        .margin(12)
        .x_label_area_size(70)
        .y_label_area_size(300)
        .build_cartesian_2d(-limit..limit, (0..n.max(1) - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < n => rows[n - 1 - i].label.to_string(),
            _ => String::new(),
        })
        .x_desc(xlabel)
        .label_style((FONT, TICK_SIZE))
        .axis_desc_style((FONT, DESC_SIZE))
        .disable_y_mesh()
        .draw()
        .map_err(err)?;
    let y = |k: usize| SegmentValue::CenterOf(n - 1 - k);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
            LINE.stroke_width(1),
        )))
        .map_err(err)?;
    for (k, r) in rows.iter().enumerate() {
        if !(r.diff.is_finite() && r.lo.is_finite() && r.hi.is_finite()) {
            continue;
        }
        let colour = if r.lo > 0.0 {
            ABOVE
        } else if r.hi < 0.0 {
            BELOW
        } else {
            GREY
        };
        let clamp = |x: f64| x.clamp(-limit, limit);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(clamp(r.lo), y(k)), (clamp(r.hi), y(k))],
                colour.stroke_width(2),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (clamp(r.diff), y(k)),
                4,
                colour.filled(),
            )))
            .map_err(err)?;
    }
    Ok(())
}

/// `charts/forest.png` and `.svg`: per indicator, each design's paired difference to the
/// baseline with its 95 % CI, in standard deviations of the baseline (one panel per design;
/// blue: CI above 0, orange: below 0, grey: includes 0).
pub fn forest(
    dir: &Path,
    lines: &[Line],
    names: &[String],
    baseline: usize,
    scope: Scope,
) -> Result<Vec<String>> {
    let panels = forest_rows(lines, baseline);
    let limit = panels
        .iter()
        .flat_map(|(_, rows)| rows.iter().flat_map(|r| [r.lo.abs(), r.hi.abs()]))
        .filter(|x| x.is_finite())
        .fold(0.25f64, f64::max)
        * 1.05;
    let xlabel = format!(
        "difference to {} ({}), in pooled SDs",
        names[baseline],
        scope.name()
    );
    let height = 160 + 26 * INDICATORS.len() as u32;
    let width = 900 * panels.len().max(1) as u32;
    fn all<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        panels: &[(usize, Vec<ForestRow>)],
        names: &[String],
        baseline: usize,
        xlabel: &str,
        limit: f64,
    ) -> Result<()> {
        let areas = root.split_evenly((1, panels.len().max(1)));
        for ((d, rows), area) in panels.iter().zip(&areas) {
            forest_panel(
                area,
                &format!("{} − {}", names[*d], names[baseline]),
                xlabel,
                rows,
                limit,
            )?;
        }
        Ok(())
    }
    draw_both(
        dir,
        "forest",
        (width, height),
        |r| all(r, &panels, names, baseline, &xlabel, limit),
        |r| all(r, &panels, names, baseline, &xlabel, limit),
    )
}

/// The comparison section of `report.html`: the forest plot (inlined SVG, when drawn), the
/// adaptive-replication note and a table of every indicator.
pub fn compare_section(
    dir: &Path,
    lines: &[Line],
    names: &[String],
    baseline: usize,
    scope: Scope,
    replicates: u64,
    adaptive: Option<&str>,
) -> String {
    let mut h = String::new();
    h.push_str(&format!(
        "<p>{} designs compared on common random numbers: replicate r of every design uses the same seed streams, \
         {replicates} replicates each. Baseline: <b>{}</b>. Scope: {}. Differences are paired (design − baseline) \
         with a 95 % Student-t CI; d<sub>z</sub> = mean difference / SD of the differences (Cohen).</p>\n",
        names.len(),
        esc(&names[baseline]),
        scope.name()
    ));
    if let Some(a) = adaptive {
        h.push_str(&format!("<p><b>{}</b></p>\n", esc(a)));
    }
    if let Some(svg) = std::fs::read_to_string(dir.join("charts/forest.svg"))
        .ok()
        .and_then(|s| inline_svg(&s))
    {
        h.push_str("<figure>");
        h.push_str(&svg);
        h.push_str(&format!(
            "<figcaption>Paired differences to {} with 95 % CIs, in standard deviations of the baseline \
             (blue: above 0, orange: below 0, grey: the CI includes 0). Indicators whose baseline does not \
             vary are left out unless the difference is 0.</figcaption></figure>\n",
            esc(&names[baseline])
        ));
    }
    h.push_str(
        "<table><tr><th>design</th><th>indicator</th><th>mean</th><th>95 % CI</th><th>difference</th>\
         <th>95 % CI</th><th>d<sub>z</sub></th><th>n</th></tr>\n",
    );
    for l in lines {
        let (s, d) = (&l.summary, &l.diff);
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>{}</td></tr>\n",
            esc(&names[l.design]),
            INDICATORS[l.indicator],
            num(s.mean),
            num(s.ci_low),
            num(s.ci_high),
            num(d.mean_diff),
            num(d.ci_low),
            num(d.ci_high),
            num(d.effect_size),
            d.n
        ));
    }
    h.push_str("</table>\n");
    h
}

/// A small self-contained report page.
pub fn page(title: &str, sections: &[(String, String)]) -> String {
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\
         body{{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}}\
         table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}\
         td:first-child,td:nth-child(2){{text-align:left}}svg{{max-width:100%;height:auto}}\
         figcaption{{font-size:13px;color:#555}}</style></head><body>\n<h1>{}</h1>\n",
        esc(title),
        esc(title)
    );
    for (t, body) in sections {
        h.push_str(&format!("<h2>{}</h2>\n{body}", esc(t)));
    }
    h.push_str("</body></html>\n");
    h
}

/// `report.html` of a comparison.
pub fn compare_report(
    dir: &Path,
    lines: &[Line],
    names: &[String],
    baseline: usize,
    scope: Scope,
    replicates: u64,
    adaptive: Option<&AdaptiveOutcome>,
) -> String {
    let note = adaptive.map(AdaptiveOutcome::sentence);
    let section = compare_section(
        dir,
        lines,
        names,
        baseline,
        scope,
        replicates,
        note.as_deref(),
    );
    page(
        &format!("Comparison: {}", names.join(" vs ")),
        &[("Design comparison".into(), section)],
    )
}

// ---------------------------------------------------------------------------------------------
// Sweep charts
// ---------------------------------------------------------------------------------------------

/// A sweep.csv read back: per cell, the parameter values (as shown) and each key indicator's
/// mean, ci_low and ci_high.
struct SweepTable {
    params: Vec<Vec<String>>,
    /// [headline indicator][cell][cell] = (mean, lo, hi)
    stats: Vec<Vec<(f64, f64, f64)>>,
}

fn read_sweep(dir: &Path, keys: usize) -> Result<SweepTable> {
    let p = dir.join("sweep.csv");
    let mut r =
        ::csv::Reader::from_path(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let head: Vec<String> = r.headers()?.iter().map(str::to_string).collect();
    let col = |name: String| {
        head.iter()
            .position(|h| *h == name)
            .ok_or_else(|| anyhow!("{} has no column {name}", p.display()))
    };
    let cols: Vec<[usize; 3]> = key_indicators(View::Headline)
        .iter()
        .map(|k| {
            Ok([
                col(format!("{k}_mean"))?,
                col(format!("{k}_ci_low"))?,
                col(format!("{k}_ci_high"))?,
            ])
        })
        .collect::<Result<_>>()?;
    let mut t = SweepTable {
        params: Vec::new(),
        stats: vec![Vec::new(); key_indicators(View::Headline).len()],
    };
    let val = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    for rec in r.records() {
        let rec = rec?;
        t.params.push(
            (1..=keys)
                .map(|i| rec.get(i).unwrap_or("").to_string())
                .collect(),
        );
        for (k, c) in cols.iter().enumerate() {
            t.stats[k].push((val(&rec[c[0]]), val(&rec[c[1]]), val(&rec[c[2]])));
        }
    }
    Ok(t)
}

fn finite_range(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = xs
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    if !lo.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    }
}

fn line_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: &str,
    name: &str,
    pts: &[(f64, f64, f64, f64)],
) -> Result<()> {
    let colour = style::indicator_colour(name);
    let (x0, x1) = finite_range(pts.iter().map(|p| p.0));
    let (y0, y1) = finite_range(pts.iter().flat_map(|p| [p.2, p.3, p.1]));
    let mut chart = ChartBuilder::on(area)
        .caption(name, (FONT, PANEL_TITLE_SIZE))
        .margin(12)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(key)
        .label_style((FONT, TICK_SIZE))
        .axis_desc_style((FONT, DESC_SIZE))
        .x_labels(6)
        .y_labels(6)
        .draw()
        .map_err(err)?;
    let ok: Vec<&(f64, f64, f64, f64)> = pts
        .iter()
        .filter(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
        .collect();
    let mut band: Vec<(f64, f64)> = ok.iter().map(|p| (p.0, p.2)).collect();
    band.extend(ok.iter().rev().map(|p| (p.0, p.3)));
    if band.len() >= 3 {
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(style::CI95_ALPHA).filled(),
            )))
            .map_err(err)?;
    }
    chart
        .draw_series(LineSeries::new(
            ok.iter().map(|p| (p.0, p.1)),
            colour.stroke_width(3),
        ))
        .map_err(err)?;
    chart
        .draw_series(
            ok.iter()
                .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
        )
        .map_err(err)?;
    Ok(())
}

/// A colour from a sequential palette (light yellow → dark blue) for t in [0, 1].
fn palette(t: f64) -> RGBColor {
    let stops = [
        (255.0, 255.0, 204.0),
        (161.0, 218.0, 180.0),
        (65.0, 182.0, 196.0),
        (44.0, 127.0, 184.0),
        (37.0, 52.0, 148.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    } * (stops.len() - 1) as f64;
    let i = (t.floor() as usize).min(stops.len() - 2);
    let f = t - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[allow(clippy::too_many_arguments)]
fn heat_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    keys: (&str, &str),
    xs: &[String],
    ys: &[String],
    cells: &[(usize, usize, f64)],
) -> Result<()> {
    let (lo, hi) = cells
        .iter()
        .map(|c| c.2)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (nx, ny) = (xs.len(), ys.len());
    let annotate = nx * ny <= 64;
    // Without numbers in the cells, the caption gives the colour scale's ends.
    let caption = if annotate {
        name.to_string()
    } else {
        format!("{name}: light {} → dark {}", num(lo), num(hi))
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, PANEL_TITLE_SIZE))
        .margin(12)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0..nx.max(1) - 1).into_segmented(),
            (0..ny.max(1) - 1).into_segmented(),
        )
        .map_err(err)?;
    let label = |labels: &[String], v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i < labels.len() => labels[*i].clone(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(nx)
        .y_labels(ny)
        .x_label_formatter(&|v| label(xs, v))
        .y_label_formatter(&|v| label(ys, v))
        .x_desc(keys.0)
        .y_desc(keys.1)
        .label_style((FONT, TICK_SIZE))
        .axis_desc_style((FONT, DESC_SIZE))
        .draw()
        .map_err(err)?;
    let t = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    chart
        .draw_series(cells.iter().map(|&(i, j, v)| {
            let colour = if v.is_finite() {
                palette(t(v))
            } else {
                RGBColor(230, 230, 230)
            };
            Rectangle::new(
                [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ],
                colour.filled(),
            )
        }))
        .map_err(err)?;
    if annotate {
        let decimals = decimals_for(hi - lo).max(2);
        chart
            .draw_series(cells.iter().map(|&(i, j, v)| {
                let colour = if t(v) > 0.6 { WHITE } else { style::TEXT };
                Text::new(
                    if v.is_finite() {
                        fmt_fixed(v, decimals)
                    } else {
                        "NA".into()
                    },
                    (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                    (FONT, TICK_SIZE).into_font().color(&colour).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    ),
                )
            }))
            .map_err(err)?;
    }
    Ok(())
}

/// Draws a finished sweep folder's charts from its `sweep.csv`: with one numeric parameter,
/// `charts/sweep.png/svg` (key indicators' means against the parameter with 95 % CI bands);
/// with two grid parameters, `charts/heatmap.png/svg` (key indicators' means per cell).
/// Other sweeps get no chart. Returns the files written.
pub fn sweep_charts(dir: &Path, def: &SweepDef) -> Result<Vec<String>> {
    let keys = &def.cells.keys;
    let t = read_sweep(dir, keys.len())?;
    let grid = def.cells.design.starts_with("grid");
    if keys.len() == 1 {
        let xs: Option<Vec<f64>> = t.params.iter().map(|p| p[0].parse::<f64>().ok()).collect();
        let Some(xs) = xs else { return Ok(Vec::new()) };
        let panels: Vec<Vec<(f64, f64, f64, f64)>> = t
            .stats
            .iter()
            .map(|s| {
                let mut pts: Vec<(f64, f64, f64, f64)> = xs
                    .iter()
                    .zip(s)
                    .map(|(x, (m, lo, hi))| (*x, *m, *lo, *hi))
                    .collect();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                pts
            })
            .collect();
        fn all<DB: DrawingBackend>(
            root: &DrawingArea<DB, Shift>,
            key: &str,
            panels: &[Vec<(f64, f64, f64, f64)>],
        ) -> Result<()> {
            for ((name, pts), area) in key_indicators(View::Headline)
                .iter()
                .zip(panels)
                .zip(root.split_evenly((2, 4)).iter())
            {
                line_panel(area, key, name, pts)?;
            }
            Ok(())
        }
        return draw_both(
            dir,
            "sweep",
            (2400, 1100),
            |r| all(r, &keys[0], &panels),
            |r| all(r, &keys[0], &panels),
        );
    }
    if keys.len() == 2 && grid {
        let mut xs: Vec<String> = Vec::new();
        let mut ys: Vec<String> = Vec::new();
        for v in &def.cells.values {
            let (x, y) = (display_value(&v[0]), display_value(&v[1]));
            if !xs.contains(&x) {
                xs.push(x);
            }
            if !ys.contains(&y) {
                ys.push(y);
            }
        }
        let pos: Vec<(usize, usize)> = t
            .params
            .iter()
            .map(|p| {
                (
                    xs.iter().position(|x| *x == p[0]).unwrap_or(0),
                    ys.iter().position(|y| *y == p[1]).unwrap_or(0),
                )
            })
            .collect();
        let panels: Vec<Vec<(usize, usize, f64)>> = t
            .stats
            .iter()
            .map(|s| {
                pos.iter()
                    .zip(s)
                    .map(|((i, j), (m, _, _))| (*i, *j, *m))
                    .collect()
            })
            .collect();
        let keys = (keys[0].as_str(), keys[1].as_str());
        fn draw<DB: DrawingBackend>(
            root: &DrawingArea<DB, Shift>,
            keys: (&str, &str),
            xs: &[String],
            ys: &[String],
            panels: &[Vec<(usize, usize, f64)>],
        ) -> Result<()> {
            for ((name, cells), area) in key_indicators(View::Headline)
                .iter()
                .zip(panels)
                .zip(root.split_evenly((2, 4)).iter())
            {
                heat_panel(area, name, keys, xs, ys, cells)?;
            }
            Ok(())
        }
        return draw_both(
            dir,
            "heatmap",
            (2400, 1100),
            |r| draw(r, keys, &xs, &ys, &panels),
            |r| draw(r, keys, &xs, &ys, &panels),
        );
    }
    Ok(Vec::new())
}
