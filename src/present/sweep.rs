//! Charts of a sweep, drawn from its written `sweep.csv` (so a merge redraws them from the
//! merged files): the headline indicators against one parameter (line with 95 % CI band) or
//! two (heatmap).

use super::chart::{
    draw_band_and_line, finite_range, padded_range, tick, write_rendered_into, Area, Chart, Dr,
    Look, Render,
};
use super::meta;
use super::run::draw::{header, LegendItem, Swatch};
use super::style::{black, decimals_for, declared_range, fmt_fixed, heat_colour, lens_colour};
use super::style::{font, MUTED, TICK_SIZE};
use super::style::{CI95_ALPHA, DESC_SIZE, FAMILY, MISSING, NEUTRAL, PANEL_TITLE_SIZE, TEXT};
use crate::experiment::grid::display_value;
use crate::experiment::store::SweepDef;
use crate::lang::fill;
use crate::lang::Lang;
use crate::metrics::indicators::{key_series, View};
use crate::present::meta::series_title_in;
use anyhow::{anyhow, Context, Result};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// A sweep.csv read back: per cell, the parameter values (as shown) and each headline series'
/// mean, ci_low and ci_high.
struct SweepTable {
    /// The headline series shown: (indicator, lens).
    series: Vec<(&'static str, String)>,
    params: Vec<Vec<String>>,
    /// [headline series][cell] = (mean, lo, hi)
    stats: Vec<Vec<(f64, f64, f64)>>,
}

/// The columns of `sweep.csv` a chart reads the statistics from.
pub const STAT_COLUMNS: [&str; 6] = ["cell", "indicator", "lens", "mean", "ci_low", "ci_high"];

/// The rows of `<dir>/sweep.csv` and the positions of its columns `names`, in that order (an
/// error naming the file and the first column missing).
pub fn sweep_rows(dir: &Path, names: &[&str]) -> Result<(Vec<usize>, Vec<::csv::StringRecord>)> {
    let p = dir.join("sweep.csv");
    let mut r =
        ::csv::Reader::from_path(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let head: Vec<String> = r.headers()?.iter().map(str::to_string).collect();
    let cols = names
        .iter()
        .map(|name| {
            head.iter()
                .position(|h| h == name)
                .ok_or_else(|| anyhow!("{} has no column {name}", p.display()))
        })
        .collect::<Result<_>>()?;
    Ok((cols, r.records().collect::<Result<_, _>>()?))
}

/// Reads the long `sweep.csv` (`cell, keys..., indicator, lens, mean, sd, ci_low, ci_high, n`):
/// per cell (in file order) the headline indicators at `lens` where they have it, else at
/// their headline lens (newcomers, or all).
fn read_sweep(dir: &Path, keys: usize, lens: Option<&str>) -> Result<SweepTable> {
    let (cols, records) = sweep_rows(dir, &STAT_COLUMNS)?;
    let [cell, ind, lens_col, mean, lo, hi] = [0, 1, 2, 3, 4, 5].map(|i| cols[i]);
    let series = headline_series(&records, (ind, lens_col), lens);
    let mut t = SweepTable {
        stats: vec![Vec::new(); series.len()],
        series,
        params: Vec::new(),
    };
    let val = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    let mut cells: Vec<&str> = Vec::new();
    for rec in &records {
        if !cells.contains(&&rec[cell]) {
            cells.push(&rec[cell]);
            t.params.push(
                (1..=keys)
                    .map(|i| rec.get(i).unwrap_or("").to_string())
                    .collect(),
            );
            for s in t.stats.iter_mut() {
                s.push((f64::NAN, f64::NAN, f64::NAN));
            }
        }
        let c = cells.iter().position(|x| *x == &rec[cell]).unwrap_or(0);
        if let Some(k) = t
            .series
            .iter()
            .position(|(n, l)| *n == &rec[ind] && l == &rec[lens_col])
        {
            t.stats[k][c] = (val(&rec[mean]), val(&rec[lo]), val(&rec[hi]));
        }
    }
    Ok(t)
}

/// The headline series of a sweep's rows (`sweep.csv`, columns `ind` and `lens_col`): each key
/// indicator at `lens` where the rows have it, else at its headline lens.
pub(super) fn headline_series(
    records: &[::csv::StringRecord],
    (ind, lens_col): (usize, usize),
    lens: Option<&str>,
) -> Vec<(&'static str, String)> {
    let has = |name: &str, l: &str| {
        records
            .iter()
            .any(|rec| &rec[ind] == name && &rec[lens_col] == l)
    };
    key_series(View::Headline)
        .into_iter()
        .map(|(name, headline)| match lens {
            Some(l) if has(name, l) => (name, l.to_string()),
            _ => (name, headline.to_string()),
        })
        .collect()
}

fn line_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    look: Look,
    key: &str,
    (name, lens): (&str, &str),
    pts: &[(f64, f64, f64, f64)],
) -> Result<()> {
    let colour = lens_colour(lens);
    let kind = meta::kind(name);
    let range = declared_range(kind);
    // A CI never runs past what the indicator can be (a share's band stays below 1).
    let clamp = |v: f64| match range {
        Some((lo, hi)) if v.is_finite() => v.clamp(lo, hi),
        _ => v,
    };
    let pts: Vec<(f64, f64, f64, f64)> = pts
        .iter()
        .map(|p| (p.0, p.1, clamp(p.2), clamp(p.3)))
        .collect();
    let pts = &pts[..];
    let unit = meta::unit_in(look.lang, name);
    let name = &series_title_in(look.lang, name, lens);
    let (x0, x1) = padded_range(pts.iter().map(|p| p.0), 0.05);
    let (mut y0, mut y1) = padded_range(pts.iter().flat_map(|p| [p.2, p.3, p.1]), 0.05);
    if let Some((lo, hi)) = range {
        (y0, y1) = (y0.max(lo), y1.min(hi));
    }
    let mut chart = ChartBuilder::on(area)
        .caption(name, black(PANEL_TITLE_SIZE))
        .margin(12)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)
        .dr()?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v| tick(look.lang, *v))
        .y_label_formatter(&|v| tick(look.lang, *v))
        .x_desc(key)
        .y_desc(&unit)
        .label_style(black(TICK_SIZE))
        .axis_desc_style(black(DESC_SIZE))
        .x_labels(6)
        .y_labels(6)
        .draw()
        .dr()?;
    let ok: Vec<&(f64, f64, f64, f64)> = pts
        .iter()
        .filter(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
        .collect();
    let band: Vec<(f64, f64, f64)> = ok.iter().map(|p| (p.0, p.2, p.3)).collect();
    draw_band_and_line(&mut chart, &band, ok.iter().map(|p| (p.0, p.1)), colour, 3)?;
    chart
        .draw_series(
            ok.iter()
                .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
        )
        .dr()?;
    Ok(())
}

/// The colour scale of one indicator's heatmap: its declared range where it has one (so noise
/// within a narrow band is painted in nearly one colour), else the range of its cells; and
/// which of the two it is.
fn heat_scale(indicator: &str, cells: &[(usize, usize, f64)]) -> ((f64, f64), bool) {
    if let Some(r) = declared_range(meta::kind(indicator)) {
        return (r, true);
    }
    let (lo, hi) = finite_range(cells.iter().map(|c| c.2));
    if !lo.is_finite() {
        ((0.0, 1.0), false)
    } else if hi - lo < 1e-12 {
        ((lo - 0.5, hi + 0.5), false)
    } else {
        ((lo, hi), false)
    }
}

/// The colour bar of a heatmap panel, in `area`: the gradient from `lo` (light) to `hi` (dark),
/// its ends and middle labelled, and what the scale is from.
fn colour_bar<DB: DrawingBackend>(
    area: &Area<DB>,
    look: Look,
    (lo, hi): (f64, f64),
    declared: bool,
    (top, bottom): (i32, i32),
) -> Result<()> {
    let (x0, x1) = (14, 38);
    let steps = 60;
    let span = (bottom - top).max(1);
    for k in 0..steps {
        let t = 1.0 - (k as f64 + 0.5) / steps as f64;
        let (a, b) = (top + span * k / steps, top + span * (k + 1) / steps);
        area.draw(&Rectangle::new([(x0, a), (x1, b)], heat_colour(t).filled()))
            .dr()?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        MUTED.stroke_width(1),
    ))
    .dr()?;
    let decimals = decimals_for(hi - lo).max(1);
    let style = black(TICK_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for (v, y) in [
        (hi, top),
        ((lo + hi) / 2.0, (top + bottom) / 2),
        (lo, bottom),
    ] {
        area.draw(&Text::new(
            look.lang.number(&fmt_fixed(v, decimals)),
            (x1 + 6, y),
            style.clone(),
        ))
        .dr()?;
    }
    let key = if declared {
        "chart.colour_bar_declared"
    } else {
        "chart.colour_bar_pooled"
    };
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        look.tr(key).to_string(),
        (w as i32 - 8, (top + bottom) / 2),
        font(TICK_SIZE, false)
            .color(&MUTED)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Bottom)),
    ))
    .dr()
}

#[allow(clippy::too_many_arguments)]
fn heat_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    look: Look,
    (indicator, name): (&str, &str),
    keys: (&str, &str),
    xs: &[String],
    ys: &[String],
    cells: &[(usize, usize, f64)],
) -> Result<()> {
    let ((lo, hi), declared) = heat_scale(indicator, cells);
    let (nx, ny) = (xs.len(), ys.len());
    let annotate = nx * ny <= 64;
    let (w, _) = area.dim_in_pixel();
    let (area, bar) = area.split_horizontally(w.saturating_sub(130));
    let mut chart = ChartBuilder::on(&area)
        .caption(name, black(PANEL_TITLE_SIZE))
        .margin(12)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0..nx.max(1) - 1).into_segmented(),
            (0..ny.max(1) - 1).into_segmented(),
        )
        .dr()?;
    let label = |labels: &[String], v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i < labels.len() => look.lang.number(&labels[*i]),
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
        .label_style(black(TICK_SIZE))
        .axis_desc_style(black(DESC_SIZE))
        .draw()
        .dr()?;
    let t = |v: f64| {
        if hi > lo {
            ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    let (_, yr) = chart.plotting_area().get_pixel_range();
    let base = bar.get_base_pixel().1;
    colour_bar(
        &bar,
        look,
        (lo, hi),
        declared,
        (yr.start - base, yr.end - base),
    )?;
    chart
        .draw_series(cells.iter().map(|&(i, j, v)| {
            let colour = if v.is_finite() {
                heat_colour(t(v))
            } else {
                MISSING
            };
            Rectangle::new(
                [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ],
                colour.filled(),
            )
        }))
        .dr()?;
    if annotate {
        let (vlo, vhi) = finite_range(cells.iter().map(|c| c.2));
        let decimals = decimals_for(vhi - vlo).max(2);
        chart
            .draw_series(cells.iter().map(|&(i, j, v)| {
                let colour = if t(v) > 0.6 { WHITE } else { TEXT };
                Text::new(
                    if v.is_finite() {
                        look.lang.number(&fmt_fixed(v, decimals))
                    } else {
                        "NA".into()
                    },
                    (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                    (FAMILY, TICK_SIZE).into_font().color(&colour).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    ),
                )
            }))
            .dr()?;
    }
    Ok(())
}

/// The panels of a sweep sheet: one per headline series.
trait Panels {
    /// File stem of the sheet.
    const STEM: &'static str;
    /// The sheet's title, subtitle and legend.
    fn words(&self, look: Look) -> (String, String, Vec<LegendItem>);
    /// Draws panel `k`, of headline series (indicator, lens).
    fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        look: Look,
        series: (&str, &str),
        k: usize,
    ) -> Result<()>;
}

/// A sheet of the headline series, 2 rows of 5 panels.
struct Sheet<P> {
    panels: P,
    series: Vec<(&'static str, String)>,
    look: Look,
}

impl<P: Panels> Chart for Sheet<P> {
    fn stem(&self) -> String {
        P::STEM.into()
    }

    fn size(&self) -> (u32, u32) {
        (3000, 1300)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        let (title, subtitle, legend) = self.panels.words(self.look);
        let body = header(root, self.look, &title, &subtitle, &legend)?;
        let areas = body.split_evenly((2, 5));
        for (k, ((name, lens), area)) in self.series.iter().zip(&areas).enumerate() {
            self.panels.draw(area, self.look, (name, lens), k)?;
        }
        Ok(())
    }
}

/// The headline indicators' means (with 95 % CI bands) against the one swept parameter.
struct Lines<'a> {
    key: &'a str,
    /// Per headline indicator, (x, mean, ci_low, ci_high) sorted by x.
    panels: Vec<Vec<(f64, f64, f64, f64)>>,
}

impl Panels for Lines<'_> {
    const STEM: &'static str = "sweep";

    fn words(&self, look: Look) -> (String, String, Vec<LegendItem>) {
        (
            fill(look.lang, "chart.sweep_title", &[("param", &self.key)]),
            look.tr("chart.sweep_subtitle").to_string(),
            vec![
                LegendItem::new(Swatch::Line(NEUTRAL), look.tr("chart.mean_line")),
                LegendItem::new(Swatch::Fill(NEUTRAL, CI95_ALPHA), look.tr("chart.ci_band")),
            ],
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        look: Look,
        series: (&str, &str),
        k: usize,
    ) -> Result<()> {
        line_panel(area, look, self.key, series, &self.panels[k])
    }
}

/// The headline indicators' means per cell of a two-parameter grid.
struct Heatmap<'a> {
    keys: (&'a str, &'a str),
    xs: Vec<String>,
    ys: Vec<String>,
    /// Per headline indicator, (x index, y index, mean) per cell.
    panels: Vec<Vec<(usize, usize, f64)>>,
}

impl Panels for Heatmap<'_> {
    const STEM: &'static str = "heatmap";

    fn words(&self, look: Look) -> (String, String, Vec<LegendItem>) {
        (
            look.tr("chart.heat_title").to_string(),
            look.tr("chart.heat_subtitle").to_string(),
            Vec::new(),
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        look: Look,
        (name, lens): (&str, &str),
        k: usize,
    ) -> Result<()> {
        let title = series_title_in(look.lang, name, lens);
        heat_panel(
            area,
            look,
            (name, &title),
            self.keys,
            &self.xs,
            &self.ys,
            &self.panels[k],
        )
    }
}

fn lines<'a>(key: &'a str, t: &SweepTable) -> Option<Lines<'a>> {
    let xs: Vec<f64> = t
        .params
        .iter()
        .map(|p| p[0].parse::<f64>().ok())
        .collect::<Option<_>>()?;
    let panels = t
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
    Some(Lines { key, panels })
}

fn heatmap<'a>(def: &'a SweepDef, t: &SweepTable) -> Heatmap<'a> {
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
    let panels = t
        .stats
        .iter()
        .map(|s| {
            pos.iter()
                .zip(s)
                .map(|((i, j), (m, _, _))| (*i, *j, *m))
                .collect()
        })
        .collect();
    let keys = &def.cells.keys;
    Heatmap {
        keys: (&keys[0], &keys[1]),
        xs,
        ys,
        panels,
    }
}

/// A finished sweep folder's charts, drawn from its `sweep.csv` (see [`charts`]); none for a
/// sweep that is neither one numeric parameter nor a two-parameter grid.
pub fn figures<'a>(
    dir: &Path,
    def: &'a SweepDef,
    lens: Option<&str>,
    look: Look,
) -> Result<Vec<Box<dyn Render + 'a>>> {
    let keys = &def.cells.keys;
    let t = read_sweep(dir, keys.len(), lens)?;
    let series = t.series.clone();
    if keys.len() == 1 {
        return Ok(match lines(&keys[0], &t) {
            Some(panels) => vec![Box::new(Sheet {
                panels,
                series,
                look,
            })],
            None => Vec::new(),
        });
    }
    if keys.len() == 2 && def.cells.design.starts_with("grid") {
        let panels = heatmap(def, &t);
        return Ok(vec![Box::new(Sheet {
            panels,
            series,
            look,
        })]);
    }
    Ok(Vec::new())
}

/// Draws a finished sweep folder's charts from its `sweep.csv`: with one numeric parameter,
/// `charts/sweep.png/svg` (headline indicators' means against the parameter with 95 % CI
/// bands); with two grid parameters, `charts/heatmap.png/svg` (headline indicators' means per
/// cell, one colour scale per indicator). The indicators are shown at `lens` where they have it
/// (default: newcomers; volunteer indicators at all), their words in `lang`. Other sweeps get no
/// chart. Returns the files written.
pub fn charts(dir: &Path, def: &SweepDef, lens: Option<&str>, lang: Lang) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for f in figures(dir, def, lens, Look::new(lang))? {
        files.extend(write_rendered_into(dir, f.as_ref())?);
    }
    Ok(files)
}
