//! The presentation of a sensitivity analysis: one chart per indicator (Morris: the μ*–σ
//! plane with the μ* CI; Sobol: S1 and ST bars with CIs) and the report page.

use super::chart::{tick, Area, Chart, Dr, Look, Plane, Render};
use super::layout::text_width;
use super::meta::series_title_in;
use super::run::draw::{header, LegendItem, Swatch};
use super::style::{font, DESC_SIZE, GRID, LEGEND_SIZE, MUTED, NEWCOMERS};
use super::style::{REFERENCE, TEXT, TICK_SIZE, VOLUNTEERS};
use crate::experiment::sensitivity::{
    analyze, read_outputs, Analysis, Design, Factor, Indices, Method, Target,
};
use crate::experiment::{Refusal, Scope};
use crate::lang::fill;
use crate::lang::Lang;
use crate::stats::{MorrisIndex, SobolResult};
use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;
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
        match self.indices {
            Indices::Morris(_) => (1100, 800),
            Indices::Sobol { .. } => {
                // Every factor's whole key fits under its pair of bars.
                let widest = self
                    .factors
                    .iter()
                    .map(|f| text_width(f, TICK_SIZE / 1.24, false))
                    .fold(0.0, f64::max);
                let n = self.factors.len().max(1) as f64;
                ((160.0 + n * (widest + 40.0)).max(1000.0) as u32, 760)
            }
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        let lang = self.look.lang;
        let indicator = series_title_in(lang, self.target.indicator, &self.target.lens);
        match self.indices {
            Indices::Morris(m) => {
                let legend = [
                    LegendItem::new(Swatch::Point(NEWCOMERS), self.look.tr("chart.morris_point")),
                    LegendItem::new(Swatch::Line(VOLUNTEERS), self.look.tr("chart.morris_ci")),
                    LegendItem::new(
                        Swatch::Dashed(REFERENCE),
                        self.look.tr("chart.morris_diagonal"),
                    ),
                ];
                let title = fill(lang, "chart.morris_title", &[("indicator", &indicator)]);
                let body = header(root, self.look, &title, "", &legend)?;
                morris_panel(&body, self.look, self.factors, m)
            }
            Indices::Sobol { primary, .. } => {
                let legend = [
                    LegendItem::new(Swatch::Fill(NEWCOMERS, 0.8), self.look.tr("chart.sobol_s1")),
                    LegendItem::new(
                        Swatch::Fill(VOLUNTEERS, 0.8),
                        self.look.tr("chart.sobol_st"),
                    ),
                    LegendItem::new(Swatch::Line(TEXT), self.look.tr("chart.sobol_ci")),
                ];
                let title = fill(lang, "chart.sobol_title", &[("indicator", &indicator)]);
                let body = header(root, self.look, &title, "", &legend)?;
                sobol_panel(&body, self.look, self.factors, primary)
            }
        }
    }
}

/// A box in pixels: (x0, y0, x1, y1).
type Rect = (f64, f64, f64, f64);

fn apart(a: &Rect, b: &Rect) -> bool {
    a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1
}

/// Where a factor's label goes: the first of the candidate spots around its point and CI bar
/// (right of the bar, left of it, above, below, then farther above and below) that stays
/// inside the plot and clear of every label placed before, every CI bar and every point.
/// `bars` are the CI bars and points as boxes, `inside` the plot. Returns the label's
/// top-left corner and whether it sits away from its point (then a leader line is drawn).
fn place_label(
    (px, py): (f64, f64),
    (lo, hi): (f64, f64),
    (w, h): (f64, f64),
    inside: &Rect,
    taken: &[Rect],
    bars: &[Rect],
) -> Option<((f64, f64), bool)> {
    let gap = 8.0;
    let mut spots = vec![
        ((hi + gap, py - h / 2.0), false),
        ((lo - gap - w, py - h / 2.0), false),
        ((px - w / 2.0, py - gap - h), false),
        ((px - w / 2.0, py + gap), false),
        ((px + gap, py - gap - h), false),
        ((px - gap - w, py - gap - h), false),
    ];
    for k in 1..=6 {
        let dy = k as f64 * (h + 4.0);
        for dx in [-w / 2.0, gap, -gap - w] {
            spots.push(((px + dx, py - gap - h - dy), true));
            spots.push(((px + dx, py + gap + dy), true));
        }
    }
    spots.into_iter().find(|((x, y), _)| {
        let r = (*x, *y, x + w, y + h);
        r.0 >= inside.0
            && r.1 >= inside.1
            && r.2 <= inside.2
            && r.3 <= inside.3
            && taken.iter().chain(bars).all(|t| apart(&r, t))
    })
}

/// The axes of an indices chart (the μ*–σ plane, the Sobol bars): the descriptions of the
/// catalogue keys `x_key` and `y_key` in the look's language, x ticks written by `xf`
/// (`x_labels` of them when given, else plotters' default), y ticks in the look's language, a
/// light grid.
fn indices_mesh<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    look: Look,
    (x_key, y_key): (&str, &str),
    xf: &dyn Fn(&f64) -> String,
    x_labels: Option<usize>,
) -> Result<()> {
    let yf = |v: &f64| tick(look.lang, *v);
    let mut mesh = chart.configure_mesh();
    if let Some(n) = x_labels {
        mesh.x_labels(n);
    }
    mesh.x_label_formatter(xf)
        .y_label_formatter(&yf)
        .x_desc(look.tr(x_key))
        .y_desc(look.tr(y_key))
        .label_style(font(TICK_SIZE, false))
        .axis_desc_style(font(DESC_SIZE, false))
        .light_line_style(GRID)
        .draw()
        .dr()
}

/// Morris: each factor at (μ*, σ) with the μ* CI, the σ = μ* line, and each factor's whole key
/// as its label where it finds room (largest μ* first); the ones without room are named under
/// the plot.
fn morris_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    look: Look,
    factors: &[String],
    m: &[MorrisIndex],
) -> Result<()> {
    let fin = |v: f64| if v.is_finite() { v } else { 0.0 };
    let xmax = m
        .iter()
        .map(|x| fin(x.mu_star_ci.1).max(fin(x.mu_star)))
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.15;
    let ymax = m.iter().map(|x| fin(x.sigma)).fold(0.0, f64::max).max(1e-9) * 1.25;
    let (w, h) = area.dim_in_pixel();
    let (plot_area, foot) = area.split_vertically(h.saturating_sub(70));
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(20)
        .margin_right(40)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..xmax, 0.0..ymax)
        .dr()?;
    let ticks = |v: &f64| tick(look.lang, *v);
    indices_mesh(
        &mut chart,
        look,
        ("chart.morris_x", "chart.morris_y"),
        &ticks,
        None,
    )?;
    // σ = μ* line: above it, effects are non-linear or interacting.
    for k in 0..20 {
        let dash = dash_of_diagonal(xmax.min(ymax), k);
        chart
            .draw_series(LineSeries::new(dash, REFERENCE.stroke_width(1)))
            .dr()?;
    }
    let shown: Vec<usize> = (0..m.len()).filter(|&f| m[f].mu_star.is_finite()).collect();
    for &f in &shown {
        let x = &m[f];
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
    }
    // Labels in pixels of `plot_area`, clear of each other, of the bars and of the points.
    let base = plot_area.get_base_pixel();
    let px = |x: f64, y: f64| {
        let (a, b) = chart.backend_coord(&(x, y));
        ((a - base.0) as f64, (b - base.1) as f64)
    };
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let inside: Rect = (
        (xr.start - base.0) as f64 + 2.0,
        (yr.start - base.1) as f64 + 2.0,
        (xr.end - base.0) as f64 - 2.0,
        (yr.end - base.1) as f64 - 2.0,
    );
    let mut bars: Vec<Rect> = Vec::new();
    for &f in &shown {
        let x = &m[f];
        let y = fin(x.sigma);
        let (lo, py) = px(fin(x.mu_star_ci.0).min(x.mu_star), y);
        let (hi, _) = px(fin(x.mu_star_ci.1).max(x.mu_star), y);
        let (cx, _) = px(x.mu_star, y);
        bars.push((lo - 2.0, py - 4.0, hi + 2.0, py + 4.0));
        bars.push((cx - 7.0, py - 7.0, cx + 7.0, py + 7.0));
    }
    let mut order = shown.clone();
    order.sort_by(|&a, &b| m[b].mu_star.total_cmp(&m[a].mu_star).then(a.cmp(&b)));
    let em = LEGEND_SIZE / 1.24;
    let style = font(LEGEND_SIZE, false).pos(Pos::new(HPos::Left, VPos::Top));
    let mut taken: Vec<Rect> = Vec::new();
    let mut unlabelled: Vec<&str> = Vec::new();
    for &f in &order {
        let x = &m[f];
        let y = fin(x.sigma);
        let label = factors[f].as_str();
        let (lw, lh) = (text_width(label, em, false) + 2.0, em + 4.0);
        let (cx, cy) = px(x.mu_star, y);
        let (lo, _) = px(fin(x.mu_star_ci.0).min(x.mu_star), y);
        let (hi, _) = px(fin(x.mu_star_ci.1).max(x.mu_star), y);
        match place_label((cx, cy), (lo, hi), (lw, lh), &inside, &taken, &bars) {
            Some(((lx, ly), far)) => {
                if far {
                    let ty = if ly > cy { ly } else { ly + lh };
                    plot_area
                        .draw(&PathElement::new(
                            vec![(cx as i32, cy as i32), ((lx + lw / 2.0) as i32, ty as i32)],
                            REFERENCE.stroke_width(1),
                        ))
                        .dr()?;
                }
                // The em box starts 0.76 em above the baseline; VPos::Top puts it at ly + 2.
                plot_area
                    .draw(&Text::new(
                        label.to_string(),
                        (lx as i32 + 1, ly as i32 + 2),
                        style.clone(),
                    ))
                    .dr()?;
                taken.push((lx, ly, lx + lw, ly + lh));
            }
            None => unlabelled.push(label),
        }
    }
    name_unlabelled(&foot, look, w, em, &unlabelled)
}

/// The `k`-th of 20 dashes of the diagonal σ = μ* up to `lim`.
fn dash_of_diagonal(lim: f64, k: usize) -> [(f64, f64); 2] {
    let (a, b) = (lim * k as f64 / 20.0, lim * (k as f64 + 0.5) / 20.0);
    [(a, a), (b, b)]
}

/// Names under the Morris plot the factors whose labels found no room in it (two lines at most).
fn name_unlabelled<DB: DrawingBackend>(
    foot: &Area<DB>,
    look: Look,
    width: u32,
    em: f64,
    unlabelled: &[&str],
) -> Result<()> {
    if unlabelled.is_empty() {
        return Ok(());
    }
    let note = fill(
        look.lang,
        "chart.morris_unlabelled",
        &[("names", &unlabelled.join(", "))],
    );
    let lines = super::style::wrap(&note, width.saturating_sub(60), |s| {
        text_width(s, em, false) as u32
    });
    for (k, line) in lines.iter().take(2).enumerate() {
        foot.draw(&Text::new(
            line.clone(),
            (30, 8 + k as i32 * (em as i32 + 8)),
            font(LEGEND_SIZE, false).color(&MUTED),
        ))
        .dr()?;
    }
    Ok(())
}

/// Sobol: per factor the S1 (orange) and ST (blue) bars with their 95 % CIs.
fn sobol_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    look: Look,
    factors: &[String],
    primary: &SobolResult,
) -> Result<()> {
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
    let mut chart = ChartBuilder::on(area)
        .margin(20)
        .margin_right(40)
        .x_label_area_size(80)
        .y_label_area_size(90)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), ymin..ymax)
        .dr()?;
    // Each bar pair's position is named by its factor; other ticks are left blank.
    let factor_at = |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < factors.len() {
            factors[i as usize].clone()
        } else {
            String::new()
        }
    };
    indices_mesh(
        &mut chart,
        look,
        ("chart.sobol_x", "chart.sobol_y"),
        &factor_at,
        Some(n.max(1)),
    )?;
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
    for chart in figures(a, Look::new(lang)) {
        files.extend(super::chart::write_rendered_into(dir, chart.as_ref())?);
    }
    Ok(files)
}

/// What a sensitivity report is about: the scenario's name, the design, its analysis, the
/// scope, seed and weeks of its runs.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub scenario: &'a str,
    pub design: &'a Design,
    pub analysis: &'a Analysis,
    pub scope: Scope,
    pub seed: u64,
    pub weeks: u32,
}

/// Draws an analysis' charts into `dir` and writes its `report.html` beside them, in `lang`:
/// what `dugnad sensitivity` writes after its points and what `dugnad plot` redraws in place.
/// Returns the files written (the charts, then report.html).
pub fn charts_and_report(dir: &Path, about: About<'_>, lang: Lang) -> Result<Vec<String>> {
    let mut files = charts(dir, about.analysis, lang)?;
    let ranking = crate::experiment::sensitivity::ranking_in(about.analysis, lang);
    let html = super::reports::sensitivity(
        dir,
        about.scenario,
        about.design,
        about.analysis,
        about.scope.name(),
        about.seed,
        about.weeks,
        &files,
        &ranking,
        lang,
    );
    crate::output::atomic::write_file_atomic(&dir.join("report.html"), html.as_bytes())?;
    files.push("report.html".into());
    Ok(files)
}

/// The charts of an analysis, as objects `dugnad plot` can draw at any size: one per analysed
/// indicator, in the analysis' order.
pub fn figures(a: &Analysis, look: Look) -> Vec<Box<dyn Render + '_>> {
    a.per_indicator
        .iter()
        .map(|(target, _, indices)| {
            Box::new(IndicesChart {
                target,
                factors: &a.factors,
                indices,
                look,
            }) as Box<dyn Render>
        })
        .collect()
}

/// A complete sensitivity folder read back from its written files: the design rebuilt from
/// `manifest.json` (method, design, factors, seed) and checked against the points of
/// `sweep.json`, and the analysis recomputed from the committed point files exactly as the
/// command computed it (same estimators, same bootstrap seeds, same bytes read), so its
/// charts and report redraw byte for byte.
pub struct Written {
    /// The scenario's name.
    pub scenario: String,
    pub design: Design,
    pub analysis: Analysis,
    pub scope: Scope,
    pub seed: u64,
    pub weeks: u32,
}

impl Written {
    /// What its report is about.
    pub fn about(&self) -> About<'_> {
        About {
            scenario: &self.scenario,
            design: &self.design,
            analysis: &self.analysis,
            scope: self.scope,
            seed: self.seed,
            weeks: self.weeks,
        }
    }

    /// Reads the sensitivity folder `dir`; refuses, naming the file and the field, a folder of
    /// another result format, whose manifest lacks what the analysis needs, that is not
    /// complete (a shard), or whose design does not rebuild to the points it ran.
    pub fn read(dir: &Path) -> Result<Written> {
        crate::present::run::data::check_format(dir)?;
        let path = dir.join("manifest.json");
        let refuse = |file: &Path, msg: String| {
            anyhow::Error::new(Refusal(format!("{}: {msg}", file.display())))
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| refuse(&path, format!("cannot read it ({e})")))?;
        let m: Value = serde_json::from_str(&text)
            .map_err(|e| refuse(&path, format!("not valid JSON ({e})")))?;
        let field = |name: &str| {
            m.get(name)
                .filter(|v| !v.is_null())
                .ok_or_else(|| refuse(&path, format!("no field `{name}`")))
        };
        let str_of = |name: &str| -> Result<&str> {
            field(name)?
                .as_str()
                .ok_or_else(|| refuse(&path, format!("field `{name}` is not a string")))
        };
        let u64_of = |name: &str| -> Result<u64> {
            field(name)?
                .as_u64()
                .ok_or_else(|| refuse(&path, format!("field `{name}` is not a whole number")))
        };
        if field("complete")?.as_bool() != Some(true) {
            return Err(refuse(
                &path,
                format!(
                    "`complete` is false: this folder holds {} of {} points (a shard or an \
                     interrupted run); join the shards with `dugnad merge DIR... -o OUT --no-charts` and \
                     rerun the sensitivity command with -o OUT, then plot that folder",
                    m.get("points_run").and_then(Value::as_u64).unwrap_or(0),
                    m.get("points").and_then(Value::as_u64).unwrap_or(0)
                ),
            ));
        }
        let design_name = str_of("design")?;
        let method = method_of(str_of("method")?, design_name).ok_or_else(|| {
            refuse(
                &path,
                format!("field `design`: cannot read '{design_name}'"),
            )
        })?;
        let factors = factors_of(field("factors")?).map_err(|e| refuse(&path, e))?;
        let targets = targets_of(field("indicators")?).map_err(|e| refuse(&path, e))?;
        let scope = Scope::parse(str_of("scope")?)
            .map_err(|e| refuse(&path, format!("field `scope`: {}", e.0)))?;
        let seed = u64_of("seed")?;
        let weeks = u64_of("weeks")? as u32;
        let design = Design::new(method, factors, seed).map_err(|e| refuse(&path, e.0))?;
        let def = crate::experiment::store::read_def(dir)?.ok_or_else(|| {
            refuse(
                &dir.join("sweep.json"),
                "missing; is this a sensitivity folder?".into(),
            )
        })?;
        if design.design_name() != design_name || design.cells().values != def.cells.values {
            return Err(refuse(
                &dir.join("sweep.json"),
                format!(
                    "its points are not those of the design in manifest.json ({design_name}); \
                     was the folder written by another dugnad? Rerun the sensitivity command"
                ),
            ));
        }
        all_points_present(dir, design.len())?;
        let outputs = read_outputs(dir, design.len(), &targets)?;
        let analysis = analyze(&design, &targets, &outputs);
        Ok(Written {
            scenario: def.scenario,
            design,
            analysis,
            scope,
            seed,
            weeks,
        })
    }
}

/// The factors a manifest's `factors` field lists (`key`, `lo`, `hi`, `integer` each).
fn factors_of(v: &Value) -> Result<Vec<Factor>, String> {
    let list = v.as_array().ok_or("field `factors` is not a list")?;
    list.iter()
        .enumerate()
        .map(|(k, f)| {
            let bad = || {
                format!(
                    "field `factors`, entry {}: needs key, lo, hi, integer",
                    k + 1
                )
            };
            Ok(Factor {
                key: f
                    .get("key")
                    .and_then(Value::as_str)
                    .ok_or_else(bad)?
                    .to_string(),
                lo: f.get("lo").and_then(Value::as_f64).ok_or_else(bad)?,
                hi: f.get("hi").and_then(Value::as_f64).ok_or_else(bad)?,
                integer: f.get("integer").and_then(Value::as_bool).ok_or_else(bad)?,
            })
        })
        .collect()
}

/// The analysed outputs a manifest's `indicators` field lists as `indicator (lens)`.
fn targets_of(v: &Value) -> Result<Vec<Target>, String> {
    let list = v.as_array().ok_or("field `indicators` is not a list")?;
    list.iter()
        .map(|v| {
            let label = v.as_str().unwrap_or_default();
            target_of(label).ok_or_else(|| {
                format!(
                    "field `indicators`: '{label}' is not `indicator (lens)` of a known indicator"
                )
            })
        })
        .collect()
}

/// Refuses a folder that lacks one of its `points` points' replicate files, naming it.
fn all_points_present(dir: &Path, points: usize) -> Result<()> {
    for c in 0..points {
        let file = dir
            .join("cells")
            .join(crate::experiment::store::replicates_file(c));
        if !file.is_file() {
            return Err(Refusal(format!(
                "{}: missing: the analysis reads every point's replicates ({points} points); rerun \
                 the sensitivity command with -o {} to recompute the missing ones",
                file.display(),
                dir.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// The method a manifest's `method` and `design` fields name: `morris` with
/// `sensitivity morris r=R p=P seed=S`, `sobol` with `sensitivity sobol saltelli N=N skip=0`.
fn method_of(method: &str, design: &str) -> Option<Method> {
    let value = |key: &str| -> Option<usize> {
        design
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse().ok())
    };
    match method {
        "morris" => Some(Method::Morris {
            trajectories: value("r=")?,
            levels: value("p=")?,
        }),
        "sobol" => Some(Method::Sobol {
            samples: value("N=")?,
        }),
        _ => None,
    }
}

/// The analysed output a manifest names as `indicator (lens)`.
fn target_of(label: &str) -> Option<Target> {
    let (name, lens) = label.strip_suffix(')')?.split_once(" (")?;
    let ind = crate::metrics::INDICATORS.iter().find(|i| i.name == name)?;
    Some(Target {
        indicator: ind.name,
        lens: lens.to_string(),
    })
}
