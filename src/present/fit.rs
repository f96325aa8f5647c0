//! The presentation of a fit, drawn from its written files (`posterior.csv`,
//! `parameters.csv`, `predictive.csv`, `fit.csv`, `manifest.json`): the pairs plot of the
//! posterior, the posterior-predictive chart (observed points over simulated bands) and the
//! report page.

use super::chart::{mesh, write_into, Area, Chart, Dr, Look, MeshSpec, Plane, Render};
use super::html::{escape as esc, inline_svg_file, localize_numbers, report_start_in, REPORT_END};
use super::run::draw::header;
use super::style::{
    black, decimals_for, fmt_fixed, fmt_week, font, ACCENT, AXIS, BAND90_ALPHA, DESC_SIZE, GRID,
    MUTED, NEUTRAL, PANEL_TITLE_SIZE, TICK_SIZE, VOLUNTEERS,
};
use crate::lang::{fill, Lang};
use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;
use std::path::Path;

/// A CSV file read back: its header and rows of fields.
struct Csv {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path) -> Result<Csv> {
        let mut r = ::csv::Reader::from_path(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let head = r.headers()?.iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|rec| rec.map(|x| x.iter().map(str::to_string).collect()))
            .collect::<std::result::Result<_, _>>()?;
        Ok(Csv { head, rows })
    }

    fn col(&self, name: &str) -> Result<usize> {
        self.head
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow!("no column {name}"))
    }

    fn num(row: &[String], i: usize) -> f64 {
        row[i].parse().unwrap_or(f64::NAN)
    }
}

/// The posterior's particles (last generation) as read from `posterior.csv`.
struct Particles {
    names: Vec<String>,
    weights: Vec<f64>,
    values: Vec<Vec<f64>>,
    /// Per parameter, the prior's central 90 % (from parameters.csv).
    prior: Vec<(f64, f64)>,
}

fn particles(dir: &Path) -> Result<Particles> {
    let post = Csv::read(&dir.join("posterior.csv"))?;
    let g = post.col("generation")?;
    let last = post
        .rows
        .iter()
        .map(|r| Csv::num(r, g) as u32)
        .max()
        .unwrap_or(0);
    let names: Vec<String> = post.head[4..].to_vec();
    let rows: Vec<&Vec<String>> = post
        .rows
        .iter()
        .filter(|r| Csv::num(r, g) as u32 == last)
        .collect();
    let params = Csv::read(&dir.join("parameters.csv"))?;
    let (lo, hi) = (params.col("prior_q05")?, params.col("prior_q95")?);
    Ok(Particles {
        weights: rows.iter().map(|r| Csv::num(r, 2)).collect(),
        values: (0..names.len())
            .map(|k| rows.iter().map(|r| Csv::num(r, 4 + k)).collect())
            .collect(),
        prior: params
            .rows
            .iter()
            .map(|r| (Csv::num(r, lo), Csv::num(r, hi)))
            .collect(),
        names,
    })
}

/// An axis range around `xs` and the prior's central 90 % `prior`, padded 5 %.
fn range_of(xs: &[f64], prior: (f64, f64)) -> (f64, f64) {
    let (mut lo, mut hi) = xs
        .iter()
        .chain([prior.0, prior.1].iter())
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(*x), b.max(*x))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// `charts/pairs`: the posterior of every pair of parameters (dots sized by weight, below the
/// diagonal) and each parameter's weighted histogram with its prior's central 90 % (shaded) on
/// the diagonal.
struct Pairs(Particles, Look);

impl Chart for Pairs {
    fn stem(&self) -> String {
        "pairs".into()
    }

    fn size(&self) -> (u32, u32) {
        let k = self.0.names.len().max(1) as u32;
        (140 + 420 * k, 210 + 400 * k)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        let p = &self.0;
        let look = self.1;
        let body = header(
            root,
            look,
            look.tr("chart.fit_pairs_title"),
            look.tr("chart.fit_pairs_subtitle"),
            &[],
        )?;
        let k = p.names.len();
        let cells = body.split_evenly((k, k));
        let ranges: Vec<(f64, f64)> = (0..k).map(|i| range_of(&p.values[i], p.prior[i])).collect();
        let wmax = p.weights.iter().cloned().fold(0.0f64, f64::max).max(1e-12);
        for i in 0..k {
            for j in 0..k {
                let area = &cells[i * k + j];
                if i == j {
                    histogram(
                        area,
                        (&p.names[i], look.tr("chart.fit_posterior_share")),
                        &p.values[i],
                        &p.weights,
                        ranges[i],
                        p.prior[i],
                    )?;
                } else if i > j {
                    let mut chart = ChartBuilder::on(area)
                        .margin(12)
                        .x_label_area_size(56)
                        .y_label_area_size(90)
                        .build_cartesian_2d(ranges[j].0..ranges[j].1, ranges[i].0..ranges[i].1)
                        .dr()?;
                    pair_mesh(&mut chart, &p.names[j], &p.names[i], ranges[j], ranges[i])?;
                    chart
                        .draw_series(p.values[j].iter().zip(&p.values[i]).zip(&p.weights).map(
                            |((x, y), w)| {
                                Circle::new(
                                    (*x, *y),
                                    (2.0 + 5.0 * (w / wmax).sqrt()) as i32,
                                    VOLUNTEERS.mix(0.35).filled(),
                                )
                            },
                        ))
                        .dr()?;
                }
            }
        }
        Ok(())
    }
}

/// The mesh of a pairs-plot panel: five ticks a side, in smaller type than a full chart's.
fn pair_mesh<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    x: &str,
    y: &str,
    xr: (f64, f64),
    yr: (f64, f64),
) -> Result<()> {
    let (dx, dy) = (decimals_for(xr.1 - xr.0), decimals_for(yr.1 - yr.0));
    chart
        .configure_mesh()
        .x_desc(x)
        .y_desc(y)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_fixed(*v, dx))
        .y_label_formatter(&|v| fmt_fixed(*v, dy))
        .label_style(font(TICK_SIZE - 2.0, false).color(&MUTED))
        .axis_desc_style(font(DESC_SIZE - 3.0, false))
        .bold_line_style(GRID.stroke_width(1))
        .max_light_lines(0)
        .axis_style(AXIS.stroke_width(1))
        .draw()
        .dr()
}

/// A weighted histogram of one parameter (20 bins) over its prior's central 90 % (shaded).
fn histogram<DB: DrawingBackend>(
    area: &Area<DB>,
    (name, share): (&str, &str),
    xs: &[f64],
    w: &[f64],
    r: (f64, f64),
    prior: (f64, f64),
) -> Result<()> {
    let bins = 20;
    let width = (r.1 - r.0) / bins as f64;
    let mut mass = vec![0.0; bins];
    let total: f64 = w.iter().sum();
    for (x, wt) in xs.iter().zip(w) {
        if x.is_finite() {
            let b = (((x - r.0) / width) as usize).min(bins - 1);
            mass[b] += wt / total;
        }
    }
    let top = mass.iter().cloned().fold(0.0f64, f64::max).max(1e-9) * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(56)
        .y_label_area_size(90)
        .build_cartesian_2d(r.0..r.1, 0.0..top)
        .dr()?;
    pair_mesh(&mut chart, name, share, r, (0.0, top))?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(prior.0, 0.0), (prior.1, top)],
            NEUTRAL.mix(0.08).filled(),
        )))
        .dr()?;
    chart
        .draw_series(mass.iter().enumerate().map(|(b, m)| {
            let x0 = r.0 + b as f64 * width;
            Rectangle::new([(x0, 0.0), (x0 + width, *m)], VOLUNTEERS.mix(0.75).filled())
        }))
        .dr()?;
    Ok(())
}

/// One statistic of `predictive.csv`.
struct Predicted {
    /// The week, or the middle of a range of weeks.
    week: f64,
    /// Half the width of a range of weeks (0 for one week).
    span: f64,
    observed: f64,
    /// Half-width of the observed value's 95 % interval (0 when exact).
    error: f64,
    prior: (f64, f64),
    post: (f64, f64, f64),
}

/// The statistics of one observed indicator at one lens, by week.
struct Panel {
    indicator: String,
    lens: String,
    points: Vec<Predicted>,
}

/// `predictive.csv` by (lens, indicator), in the data's order.
fn predictions(dir: &Path) -> Result<Vec<Panel>> {
    let t = Csv::read(&dir.join("predictive.csv"))?;
    let c = |n: &str| t.col(n);
    let (wk, lens, ind, obs, meas) = (
        c("week")?,
        c("lens")?,
        c("indicator")?,
        c("observed")?,
        c("measure")?,
    );
    let (p5, p95) = (c("prior_q05")?, c("prior_q95")?);
    let (q5, q50, q95) = (
        c("posterior_q05")?,
        c("posterior_q50")?,
        c("posterior_q95")?,
    );
    let mut out: Vec<Panel> = Vec::new();
    for r in &t.rows {
        let v = Csv::num(r, obs);
        let error = match r[meas].split_once('=') {
            Some(("sd", s)) => 1.96 * s.parse::<f64>().unwrap_or(0.0),
            Some(("n", n)) => {
                1.96 * (v.clamp(0.0, 1.0) * (1.0 - v.clamp(0.0, 1.0))
                    / n.parse::<f64>().unwrap_or(1.0))
                .sqrt()
            }
            _ => 0.0,
        };
        let (a, b) = r[wk].split_once('-').unwrap_or((&r[wk], &r[wk]));
        let (a, b) = (
            a.parse::<f64>().unwrap_or(f64::NAN),
            b.parse::<f64>().unwrap_or(f64::NAN),
        );
        let p = Predicted {
            week: (a + b) / 2.0,
            span: (b - a) / 2.0,
            observed: v,
            error,
            prior: (Csv::num(r, p5), Csv::num(r, p95)),
            post: (Csv::num(r, q5), Csv::num(r, q50), Csv::num(r, q95)),
        };
        match out
            .iter_mut()
            .find(|q| q.indicator == r[ind] && q.lens == r[lens])
        {
            Some(q) => q.points.push(p),
            None => out.push(Panel {
                indicator: r[ind].clone(),
                lens: r[lens].clone(),
                points: vec![p],
            }),
        }
    }
    for q in &mut out {
        q.points.sort_by(|a, b| a.week.total_cmp(&b.week));
    }
    Ok(out)
}

/// `charts/predictive`: per observed indicator, week by week, the prior predictive (grey band,
/// 5–95 %), the posterior predictive (coloured band, 5–95 %, and its median) and the observed
/// values (black dots, with their 95 % measurement interval).
struct Predictive(Vec<Panel>, Look);

impl Chart for Predictive {
    fn stem(&self) -> String {
        "predictive".into()
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.0.len().div_ceil(2).max(1) as u32;
        (1800, 190 + 520 * rows)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        let look = self.1;
        let body = header(
            root,
            look,
            look.tr("chart.fit_predictive_title"),
            look.tr("chart.fit_predictive_subtitle"),
            &[],
        )?;
        let cells = body.split_evenly((self.0.len().div_ceil(2).max(1), 2));
        for (panel, area) in self.0.iter().zip(&cells) {
            predictive_panel(area, panel, look)?;
        }
        Ok(())
    }
}

/// One panel of `charts/predictive`, titled by the indicator and whom it is about
/// ("Belonging — newcomers").
fn predictive_panel<DB: DrawingBackend>(area: &Area<DB>, panel: &Panel, look: Look) -> Result<()> {
    let (name, pts) = (
        &super::meta::series_title_in(look.lang, &panel.indicator, &panel.lens),
        &panel.points,
    );
    let ys = pts.iter().flat_map(|p| {
        [
            p.observed - p.error,
            p.observed + p.error,
            p.prior.0,
            p.prior.1,
            p.post.0,
            p.post.2,
        ]
    });
    let (ylo, yhi) = range_of(&ys.collect::<Vec<_>>(), (f64::NAN, f64::NAN));
    let wlo = pts
        .iter()
        .map(|p| p.week - p.span)
        .fold(f64::INFINITY, f64::min)
        - 1.0;
    let whi = pts
        .iter()
        .map(|p| p.week + p.span)
        .fold(f64::NEG_INFINITY, f64::max)
        + 1.0;
    let mut chart = ChartBuilder::on(area)
        .caption(name, black(PANEL_TITLE_SIZE))
        .margin(14)
        .x_label_area_size(60)
        .y_label_area_size(100)
        .build_cartesian_2d(wlo..whi, ylo..yhi)
        .dr()?;
    let dy = decimals_for(yhi - ylo);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: look.tr("chart.week"),
            y_desc: &panel.indicator,
            x_labels: 10,
            y_labels: 6,
        },
        &|v| fmt_week(*v),
        &|v| fmt_fixed(*v, dy),
    )?;
    let band =
        |lo: &dyn Fn(&Predicted) -> f64, hi: &dyn Fn(&Predicted) -> f64| -> Vec<(f64, f64)> {
            let mut v: Vec<(f64, f64)> = pts
                .iter()
                .filter(|p| lo(p).is_finite())
                .map(|p| (p.week, lo(p)))
                .collect();
            v.extend(
                pts.iter()
                    .rev()
                    .filter(|p| hi(p).is_finite())
                    .map(|p| (p.week, hi(p))),
            );
            v
        };
    // Weekly values make bands over the weeks; a value over a range of weeks (or a lone week)
    // gets a box as wide as its range.
    let joined = pts.len() > 1 && pts.iter().all(|p| p.span == 0.0);
    let prior_lo = |p: &Predicted| p.prior.0;
    let prior_hi = |p: &Predicted| p.prior.1;
    let post_lo = |p: &Predicted| p.post.0;
    let post_hi = |p: &Predicted| p.post.2;
    type Bound = dyn Fn(&Predicted) -> f64;
    let layers: [(&Bound, &Bound, RGBColor, f64); 2] = [
        (&prior_lo, &prior_hi, NEUTRAL, BAND90_ALPHA),
        (&post_lo, &post_hi, ACCENT, 0.45),
    ];
    for (lo, hi, colour, alpha) in layers {
        if joined {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band(lo, hi),
                    colour.mix(alpha).filled(),
                )))
                .dr()?;
        } else {
            chart
                .draw_series(pts.iter().filter(|p| lo(p).is_finite()).map(|p| {
                    let w = p.span.max(0.3);
                    Rectangle::new(
                        [(p.week - w, lo(p)), (p.week + w, hi(p))],
                        colour.mix(alpha).filled(),
                    )
                }))
                .dr()?;
        }
    }
    if joined {
        chart
            .draw_series(LineSeries::new(
                pts.iter()
                    .filter(|p| p.post.1.is_finite())
                    .map(|p| (p.week, p.post.1)),
                ACCENT.stroke_width(3),
            ))
            .dr()?;
    } else {
        for p in pts.iter().filter(|p| p.post.1.is_finite()) {
            let w = p.span.max(0.3);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(p.week - w, p.post.1), (p.week + w, p.post.1)],
                    ACCENT.stroke_width(3),
                )))
                .dr()?;
        }
    }
    observed_points(&mut chart, pts)
}

/// The observed values of a panel: black dots, a line across a range of weeks, a bar for the
/// 95 % measurement interval.
fn observed_points<DB: DrawingBackend>(chart: &mut Plane<DB>, pts: &[Predicted]) -> Result<()> {
    for p in pts {
        if p.span > 0.0 {
            // A range of weeks: the observed mean spans them.
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(p.week - p.span, p.observed), (p.week + p.span, p.observed)],
                    BLACK.stroke_width(3),
                )))
                .dr()?;
        }
        if p.error > 0.0 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (p.week, p.observed - p.error),
                        (p.week, p.observed + p.error),
                    ],
                    BLACK.stroke_width(2),
                )))
                .dr()?;
        }
    }
    chart
        .draw_series(
            pts.iter()
                .map(|p| Circle::new((p.week, p.observed), 6, BLACK.filled())),
        )
        .dr()?;
    Ok(())
}

/// The charts of a fit folder (`pairs`, `predictive`), drawn from its files.
pub fn figures(dir: &Path, look: Look) -> Result<Vec<Box<dyn Render>>> {
    Ok(vec![
        Box::new(Pairs(particles(dir)?, look)),
        Box::new(Predictive(predictions(dir)?, look)),
    ])
}

/// Draws `charts/pairs` and `charts/predictive` (SVG and PNG) from a fit folder's files;
/// returns the files, as the manifest lists them.
pub fn charts(dir: &Path, lang: Lang) -> Result<Vec<String>> {
    let look = Look::new(lang);
    let mut files = write_into(dir, &Pairs(particles(dir)?, look))?;
    files.extend(write_into(dir, &Predictive(predictions(dir)?, look))?);
    Ok(files)
}

/// A CSV file as an HTML table (numbers right-aligned).
fn table_html(path: &Path) -> Result<String> {
    let t = Csv::read(path)?;
    let mut h = String::from("<div class=\"wide\"><table><tr>");
    for c in &t.head {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr>\n");
    for r in &t.rows {
        h.push_str("<tr>");
        for v in r {
            let class = if v.parse::<f64>().is_ok() || v == "NA" {
                " class=\"num\""
            } else {
                ""
            };
            h.push_str(&format!("<td{class}>{}</td>", esc(v)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
    Ok(h)
}

/// `report.html` of a fit folder, in `lang`: what was fitted to what, the estimates, the
/// figures, the generations, and how to carry the posterior into `run` and `compare`.
pub fn write_report(dir: &Path, lang: Lang) -> Result<()> {
    let m: serde_json::Value = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null);
    let text = |key: &str| m.get(key).and_then(|v| v.as_str());
    let name = m
        .pointer("/scenario/name")
        .and_then(|v| v.as_str())
        .unwrap_or("fit");
    let data = text("data_file").unwrap_or(lang.tr("report.fit_data_default"));
    let mut h = report_start_in(
        lang,
        &fill(lang, "report.fit_title", &[("scenario", &name)]),
    );
    let heading = fill(
        lang,
        "report.fit_heading",
        &[("scenario", &esc(name)), ("data", &esc(data))],
    );
    h.push_str(&format!(
        "<h1>{heading}</h1>\n<p>{}</p>\n",
        lang.tr("report.fit_intro_html")
    ));
    let figure = |stem: &str| {
        inline_svg_file(&dir.join(format!("charts/{stem}.svg")))
            .map(|svg| format!("<figure>{svg}</figure>"))
    };
    let using = format!(
        "<pre>dugnad run SCENARIO --posterior {0}\ndugnad compare SCENARIO --variant 'NAME: KEY=VALUE' --posterior {0}</pre>\n",
        esc(&dir.display().to_string())
    );
    // (title, introduction, body): a section without its body (a chart not drawn) is left out.
    let sections = [
        (
            "report.fit_estimates",
            Some("report.fit_estimates_intro"),
            Some(table_html(&dir.join("parameters.csv"))?),
        ),
        ("report.fit_predictive", None, figure("predictive")),
        ("report.fit_posterior", None, figure("pairs")),
        (
            "report.fit_generations",
            Some("report.fit_generations_intro"),
            Some(table_html(&dir.join("fit.csv"))?),
        ),
        (
            "report.fit_using",
            Some("report.fit_using_intro"),
            Some(using),
        ),
    ];
    for (title, intro, body) in sections {
        let Some(body) = body else { continue };
        h.push_str(&format!("<section><h2>{}</h2>\n", esc(lang.tr(title))));
        if let Some(intro) = intro {
            h.push_str(&format!("<p>{}</p>\n", esc(lang.tr(intro))));
        }
        h.push_str(&body);
        h.push_str("</section>\n");
    }
    let command = m
        .get("command_line")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let figure = |key: &str, decimals: usize| match m.get(key).and_then(|v| v.as_f64()) {
        Some(x) => format!("{x:.decimals$}"),
        None => "NA".to_string(),
    };
    let figures = fill(
        lang,
        "report.fit_run_figures",
        &[
            ("simulations", &figure("simulations_total", 0)),
            ("rate", &figure("simulations_per_second", 0)),
            ("threads", &figure("threads", 0)),
            ("seconds", &figure("wall_time_seconds", 2)),
        ],
    );
    h.push_str(&format!(
        "<section><h2>{}</h2>\n<p><code>{}</code></p>\n<p>{}</p></section>\n",
        esc(lang.tr("report.fit_how_run")),
        esc(&command),
        esc(&figures)
    ));
    h.push_str(REPORT_END);
    let page = localize_numbers(lang, &h);
    crate::output::atomic::write_file_atomic(&dir.join("report.html"), page.as_bytes())
}
