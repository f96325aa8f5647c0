//! What each parameter of a sweep does, partial-dependence style: per parameter a sheet of the
//! key indicators against it (every cell a dot, the cells binned along the parameter with the
//! bins' mean and its 95 % CI), and a ranking of the parameters by effect, measured as the
//! standardized regression coefficient (SRC) with its 95 % CI. Drawn from the written
//! `sweep.csv`, so `merge` draws the same.
//!
//! The SRC of parameter j is the slope of the indicator on the parameter when both are in
//! standard deviations across the cells, with the other parameters held fixed (least squares on
//! all parameters at once): the change of the indicator, in its SDs, per SD of the parameter.
//! Its sign says the direction; |SRC| ranks the parameters; R² says how much of the spread of
//! the cell means a straight-line model explains (low R²: effects are nonlinear or noise, and
//! the binned means are the better guide). The spread of the binned means (largest − smallest,
//! in the indicator's unit) is given beside it.

use super::chart::{
    draw_band_and_line, mesh, padded_range, write_rendered_into, Area, Chart, Dr, Look,
};
use super::chart::{MeshSpec, Render};
use super::meta::{self, Kind};
use super::style::REFERENCE;
use super::style::{decimals_for, fmt_fixed, font, lens_colour, wrap, CI95_ALPHA, MUTED};
use super::style::{DESC_SIZE, LEGEND_SIZE, PANEL_TITLE_SIZE, SUBTITLE_SIZE, TITLE_SIZE};
use super::sweep::{headline_series, sweep_rows, STAT_COLUMNS};
use crate::lang::{fill, Lang};
use crate::stats::ci::t_quantile;
use anyhow::Result;
use plotters::prelude::*;
use std::path::Path;

/// A sweep's cells read back: the parameters' values and each key series' cell means.
#[derive(Debug, Clone)]
pub struct Cells {
    /// The swept parameters (dotted keys), in the sweep's order.
    pub keys: Vec<String>,
    /// `x[cell][parameter]`; NaN where a value is not a number.
    pub x: Vec<Vec<f64>>,
    /// `labels[cell][parameter]`: the values as sweep.csv writes them.
    pub labels: Vec<Vec<String>>,
    /// The key series shown: (indicator, lens).
    pub series: Vec<(&'static str, String)>,
    /// `y[series][cell]`: the cell's mean over its replicates; NaN where NA.
    pub y: Vec<Vec<f64>>,
    /// `ci[series][cell]`: the 95 % CI of that mean; NaN where NA.
    pub ci: Vec<Vec<(f64, f64)>>,
}

impl Cells {
    /// The parameters with numbers that vary across the cells (the ones a scatter can show).
    pub fn numeric_params(&self) -> Vec<usize> {
        (0..self.keys.len())
            .filter(|&j| {
                let xs: Vec<f64> = self.x.iter().map(|c| c[j]).collect();
                xs.iter().all(|v| v.is_finite()) && xs.iter().any(|v| (v - xs[0]).abs() > 1e-12)
            })
            .collect()
    }

    /// The values of parameter `j` across the cells.
    pub fn column(&self, j: usize) -> Vec<f64> {
        self.x.iter().map(|c| c[j]).collect()
    }
}

/// Reads `<dir>/sweep.csv` (`cell, keys..., indicator, lens, mean, ...`): per cell its values
/// and the headline series' means, at `lens` where an indicator has it, else at its headline
/// lens.
pub fn read_cells(dir: &Path, keys: &[String], lens: Option<&str>) -> Result<Cells> {
    let names: Vec<&str> = STAT_COLUMNS
        .iter()
        .copied()
        .chain(keys.iter().map(String::as_str))
        .collect();
    let (cols, records) = sweep_rows(dir, &names)?;
    let [cell, ind, lens_col, mean, ci_low, ci_high] = [0, 1, 2, 3, 4, 5].map(|i| cols[i]);
    let key_cols = &cols[STAT_COLUMNS.len()..];
    let series = headline_series(&records, (ind, lens_col), lens);
    let num = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
    let mut cells: Vec<String> = Vec::new();
    let mut out = Cells {
        keys: keys.to_vec(),
        x: Vec::new(),
        labels: Vec::new(),
        y: vec![Vec::new(); series.len()],
        ci: vec![Vec::new(); series.len()],
        series,
    };
    for rec in &records {
        let c = match cells.iter().position(|x| x == &rec[cell]) {
            Some(c) => c,
            None => {
                cells.push(rec[cell].to_string());
                out.x.push(key_cols.iter().map(|&k| num(&rec[k])).collect());
                out.labels
                    .push(key_cols.iter().map(|&k| rec[k].to_string()).collect());
                for y in out.y.iter_mut() {
                    y.push(f64::NAN);
                }
                for ci in out.ci.iter_mut() {
                    ci.push((f64::NAN, f64::NAN));
                }
                cells.len() - 1
            }
        };
        if let Some(s) = out
            .series
            .iter()
            .position(|(n, l)| *n == &rec[ind] && l == &rec[lens_col])
        {
            out.y[s][c] = num(&rec[mean]);
            out.ci[s][c] = (num(&rec[ci_low]), num(&rec[ci_high]));
        }
    }
    Ok(out)
}

/// One bin of cells along a parameter: the bin's range and mean parameter value, and the mean
/// of the cells' indicator means with its 95 % CI (None with a single cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub x_lo: f64,
    pub x_hi: f64,
    pub x_mean: f64,
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
    pub n: usize,
}

/// How many bins `n` cells get: about √n, at least 3 cells a bin, between 1 and 10.
pub fn bin_count(n: usize) -> usize {
    ((n as f64).sqrt().round() as usize).min(n / 3).clamp(1, 10)
}

/// The cells' (x, y) pairs with both defined, cut into `bins` bins of (nearly) equal counts
/// along x (ties kept together), each with its mean y and the 95 % Student-t CI of that mean.
pub fn binned(xs: &[f64], ys: &[f64], bins: usize) -> Vec<Bin> {
    let mut pts: Vec<(f64, f64)> = xs
        .iter()
        .zip(ys)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
        .collect();
    if pts.is_empty() || bins == 0 {
        return Vec::new();
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = pts.len();
    let mut out = Vec::new();
    let mut start = 0;
    for b in 0..bins {
        let mut end = ((b + 1) * n) / bins;
        // Keep equal x values in one bin.
        while end < n && end > start && pts[end].0 == pts[end - 1].0 {
            end += 1;
        }
        if end <= start {
            continue;
        }
        let chunk = &pts[start..end];
        let m = chunk.len() as f64;
        let mean = chunk.iter().map(|p| p.1).sum::<f64>() / m;
        let ci = (chunk.len() > 1).then(|| {
            let var = chunk.iter().map(|p| (p.1 - mean).powi(2)).sum::<f64>() / (m - 1.0);
            let half = t_quantile(0.975, m - 1.0) * (var / m).sqrt();
            (mean - half, mean + half)
        });
        out.push(Bin {
            x_lo: chunk[0].0,
            x_hi: chunk[chunk.len() - 1].0,
            x_mean: chunk.iter().map(|p| p.0).sum::<f64>() / m,
            mean,
            ci,
            n: chunk.len(),
        });
        start = end;
        if start >= n {
            break;
        }
    }
    out
}

/// One parameter's effect on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// Position among the sweep's parameters.
    pub param: usize,
    /// Standardized regression coefficient and its 95 % CI.
    pub src: f64,
    pub ci: (f64, f64),
    /// Largest − smallest binned mean, in the indicator's unit.
    pub spread: f64,
}

impl Effect {
    /// Whether the CI of the SRC holds 0: the effect is not told apart from the noise.
    pub fn within_noise(&self) -> bool {
        self.ci.0 <= 0.0 && self.ci.1 >= 0.0
    }
}

/// The parameters of one indicator, largest |SRC| first, and the linear model's R².
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub effects: Vec<Effect>,
    pub r2: f64,
    /// Cells the fit rests on.
    pub n: usize,
}

/// Ranks `params` by their effect on `ys`: the SRCs of a least-squares fit of the
/// standardized indicator on all standardized parameters at once, with 95 % CIs (Student t on
/// n − k − 1 degrees of freedom). None when there are too few cells (n ≤ k + 1) or nothing
/// varies.
pub fn rank(cells: &Cells, params: &[usize], ys: &[f64]) -> Option<Ranking> {
    let rows: Vec<usize> = (0..ys.len())
        .filter(|&c| ys[c].is_finite() && params.iter().all(|&j| cells.x[c][j].is_finite()))
        .collect();
    let (n, k) = (rows.len(), params.len());
    if k == 0 || n <= k + 1 {
        return None;
    }
    let z = |v: Vec<f64>| -> Option<Vec<f64>> {
        let m = v.iter().sum::<f64>() / n as f64;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n as f64 - 1.0)).sqrt();
        (sd > 1e-12).then(|| v.iter().map(|x| (x - m) / sd).collect())
    };
    let y = z(rows.iter().map(|&c| ys[c]).collect())?;
    let xs: Vec<Vec<f64>> = params
        .iter()
        .map(|&j| z(rows.iter().map(|&c| cells.x[c][j]).collect()))
        .collect::<Option<_>>()?;
    // Normal equations (X'X) b = X'y on the standardized columns (no intercept: all means 0).
    let xtx: Vec<Vec<f64>> = (0..k)
        .map(|a| (0..k).map(|b| dot(&xs[a], &xs[b])).collect())
        .collect();
    let inv = invert(&xtx)?;
    let xty: Vec<f64> = (0..k).map(|a| dot(&xs[a], &y)).collect();
    let beta: Vec<f64> = (0..k).map(|a| dot(&inv[a], &xty)).collect();
    let rss: f64 = (0..n)
        .map(|i| {
            let fit: f64 = (0..k).map(|a| beta[a] * xs[a][i]).sum();
            (y[i] - fit).powi(2)
        })
        .sum();
    let tss = dot(&y, &y);
    let df = (n - k - 1) as f64;
    let sigma2 = rss / df;
    let t = t_quantile(0.975, df);
    let mut effects: Vec<Effect> = (0..k)
        .map(|a| {
            let half = t * (sigma2 * inv[a][a]).max(0.0).sqrt();
            let xcol: Vec<f64> = rows.iter().map(|&c| cells.x[c][params[a]]).collect();
            let ycol: Vec<f64> = rows.iter().map(|&c| ys[c]).collect();
            let bins = binned(&xcol, &ycol, bin_count(n));
            let (lo, hi) = bins
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), b| {
                    (l.min(b.mean), h.max(b.mean))
                });
            Effect {
                param: params[a],
                src: beta[a],
                ci: (beta[a] - half, beta[a] + half),
                spread: if hi >= lo { hi - lo } else { 0.0 },
            }
        })
        .collect();
    effects.sort_by(|a, b| b.src.abs().total_cmp(&a.src.abs()));
    Some(Ranking {
        effects,
        r2: if tss > 0.0 { 1.0 - rss / tss } else { 0.0 },
        n,
    })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The inverse of a small square matrix (Gauss–Jordan with partial pivoting); None when
/// singular.
fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = m.len();
    let mut a: Vec<Vec<f64>> = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..k).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for col in 0..k {
        let pivot = (col..k).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-10 {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col][col];
        for v in a[col].iter_mut() {
            *v /= p;
        }
        for row in 0..k {
            if row != col {
                let f = a[row][col];
                if f != 0.0 {
                    let pivot_row = a[col].clone();
                    for (v, pv) in a[row].iter_mut().zip(pivot_row) {
                        *v -= f * pv;
                    }
                }
            }
        }
    }
    Some(a.into_iter().map(|r| r[k..].to_vec()).collect())
}

/// The file stem of parameter `key`'s sheet: `scatter-activity.co_design` → file-safe.
pub fn scatter_stem(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("scatter-{safe}")
}

/// Columns of a sheet of panels.
const COLUMNS: usize = 3;
/// Height of the sheet's heading (title and legend).
const HEAD: u32 = 130;

/// The sheet of one parameter: every key series against it.
pub struct ScatterSheet<'a> {
    pub cells: &'a Cells,
    pub param: usize,
    pub replicates: u32,
    pub look: Look,
}

impl Chart for ScatterSheet<'_> {
    fn stem(&self) -> String {
        scatter_stem(&self.cells.keys[self.param])
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.cells.series.len().div_ceil(COLUMNS).max(1) as u32;
        (1800, HEAD + rows * 520)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        root.fill(&WHITE).dr()?;
        let lang = self.look.lang;
        let key = &self.cells.keys[self.param];
        let (head, body) = root.split_vertically(HEAD);
        if self.look.title {
            head.draw(&Text::new(
                fill(lang, "report.scatter_title", &[("param", key)]),
                (24, 14),
                font(TITLE_SIZE, true),
            ))
            .dr()?;
        }
        // The legend: a dot, a line over a band, in words.
        let y = 80;
        head.draw(&Circle::new((34, y), 6, MUTED.mix(0.55).filled()))
            .dr()?;
        head.draw(&Text::new(
            fill(
                lang,
                "report.scatter_legend_dot",
                &[("replicates", &self.replicates)],
            ),
            (50, y - 12),
            font(LEGEND_SIZE, false).color(&MUTED),
        ))
        .dr()?;
        let x0 = 830;
        head.draw(&Rectangle::new(
            [(x0, y - 10), (x0 + 44, y + 10)],
            MUTED.mix(CI95_ALPHA).filled(),
        ))
        .dr()?;
        head.draw(&PathElement::new(
            vec![(x0, y), (x0 + 44, y)],
            MUTED.stroke_width(4),
        ))
        .dr()?;
        head.draw(&Text::new(
            lang.tr("report.scatter_legend_bins").to_string(),
            (x0 + 56, y - 12),
            font(LEGEND_SIZE, false).color(&MUTED),
        ))
        .dr()?;
        let rows = self.cells.series.len().div_ceil(COLUMNS).max(1);
        let areas = body.split_evenly((rows, COLUMNS));
        let xs = self.cells.column(self.param);
        for ((s, (name, lens)), area) in self.cells.series.iter().enumerate().zip(&areas) {
            scatter_panel(area, lang, key, (name, lens), &xs, &self.cells.y[s])?;
        }
        Ok(())
    }
}

fn scatter_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    lang: Lang,
    key: &str,
    (name, lens): (&str, &str),
    xs: &[f64],
    ys: &[f64],
) -> Result<()> {
    let colour = lens_colour(lens);
    let kind = meta::kind(name);
    let n = xs
        .iter()
        .zip(ys)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .count();
    let bins = binned(xs, ys, bin_count(n));
    // Shares and 0–1 levels cannot leave 0–1: the CI band is clamped to it.
    let clamp = |v: f64| {
        if matches!(kind, Kind::Share | Kind::Level) {
            v.clamp(0.0, 1.0)
        } else {
            v
        }
    };
    let (x0, x1) = padded_range(xs.iter().copied(), 0.06);
    let (y0, y1) = padded_range(
        ys.iter().copied().chain(
            bins.iter()
                .filter_map(|b| b.ci)
                .flat_map(|(l, h)| [clamp(l), clamp(h)]),
        ),
        0.06,
    );
    let title = meta::series_title_in(lang, name, lens);
    let mut chart = ChartBuilder::on(area)
        .caption(title, font(PANEL_TITLE_SIZE, true))
        .margin(14)
        .x_label_area_size(64)
        .y_label_area_size(96)
        .build_cartesian_2d(x0..x1, y0..y1)
        .dr()?;
    let (dx, dy) = (decimals_for(x1 - x0), decimals_for(y1 - y0));
    let unit = meta::unit_in(lang, name);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: key,
            y_desc: &unit,
            x_labels: 6,
            y_labels: 6,
        },
        &|v| lang.number(&fmt_fixed(*v, dx)),
        &|v| lang.number(&fmt_fixed(*v, dy)),
    )?;
    chart
        .draw_series(
            xs.iter()
                .zip(ys)
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(|(x, y)| Circle::new((*x, *y), 4, colour.mix(0.45).filled())),
        )
        .dr()?;
    let with_ci: Vec<(f64, f64, f64)> = bins
        .iter()
        .filter_map(|b| b.ci.map(|(l, h)| (b.x_mean, clamp(l), clamp(h))))
        .collect();
    draw_band_and_line(
        &mut chart,
        &with_ci,
        bins.iter().map(|b| (b.x_mean, b.mean)),
        colour,
        4,
    )?;
    if n == 0 {
        area.draw(&Text::new(
            lang.tr("report.no_data").to_string(),
            (40, 80),
            font(DESC_SIZE, false).color(&MUTED),
        ))
        .dr()?;
    }
    Ok(())
}

/// The ranking sheet: per key series, the parameters' SRCs with 95 % CIs, largest first; a CI
/// that holds 0 is drawn grey and hollow (not told apart from the noise).
pub struct RankingSheet<'a> {
    pub cells: &'a Cells,
    pub rankings: &'a [Option<Ranking>],
    pub look: Look,
}

impl Chart for RankingSheet<'_> {
    fn stem(&self) -> String {
        "ranking".into()
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.cells.series.len().div_ceil(COLUMNS).max(1) as u32;
        let per = 150 + 46 * self.cells.keys.len() as u32;
        (1800, HEAD + rows * per.max(330))
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        root.fill(&WHITE).dr()?;
        let lang = self.look.lang;
        let (head, body) = root.split_vertically(HEAD);
        if self.look.title {
            head.draw(&Text::new(
                lang.tr("report.ranking_title").to_string(),
                (24, 14),
                font(TITLE_SIZE, true),
            ))
            .dr()?;
        }
        head.draw(&Text::new(
            lang.tr("report.ranking_legend").to_string(),
            (24, 72),
            font(SUBTITLE_SIZE, false).color(&MUTED),
        ))
        .dr()?;
        let rows = self.cells.series.len().div_ceil(COLUMNS).max(1);
        let areas = body.split_evenly((rows, COLUMNS));
        for (((name, lens), ranking), area) in
            self.cells.series.iter().zip(self.rankings).zip(&areas)
        {
            ranking_panel(area, lang, &self.cells.keys, (name, lens), ranking.as_ref())?;
        }
        Ok(())
    }
}

fn ranking_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    lang: Lang,
    keys: &[String],
    (name, lens): (&str, &str),
    ranking: Option<&Ranking>,
) -> Result<()> {
    let title = meta::series_title_in(lang, name, lens);
    let Some(r) = ranking else {
        area.draw(&Text::new(title, (20, 10), font(PANEL_TITLE_SIZE, true)))
            .dr()?;
        let width = area.dim_in_pixel().0.saturating_sub(40);
        let style = font(DESC_SIZE, false).color(&MUTED);
        let lines = wrap(lang.tr("report.no_ranking"), width, |s| {
            area.estimate_text_size(s, &style).map(|d| d.0).unwrap_or(0)
        });
        for (i, line) in lines.into_iter().enumerate() {
            area.draw(&Text::new(line, (20, 60 + 30 * i as i32), style.clone()))
                .dr()?;
        }
        return Ok(());
    };
    let m = r.effects.len();
    let limit = r
        .effects
        .iter()
        .flat_map(|e| [e.ci.0.abs(), e.ci.1.abs()])
        .fold(0.1f64, f64::max)
        .min(1.5)
        * 1.1;
    let caption = format!("{title} (R\u{b2} {})", lang.number(&fmt_fixed(r.r2, 2)));
    let mut chart = ChartBuilder::on(area)
        .caption(caption, font(PANEL_TITLE_SIZE, true))
        .margin(14)
        .x_label_area_size(64)
        .y_label_area_size(16)
        .build_cartesian_2d(-limit..limit, -0.5..(m as f64 - 0.5))
        .dr()?;
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: lang.tr("report.src_axis"),
            y_desc: "",
            x_labels: 5,
            y_labels: 0,
        },
        &|v| lang.number(&fmt_fixed(*v, 1)),
        &|_| String::new(),
    )?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, m as f64 - 0.5)],
            REFERENCE.stroke_width(2),
        )))
        .dr()?;
    let colour = lens_colour(lens);
    for (row, e) in r.effects.iter().enumerate() {
        // Largest effect at the top.
        let y = (m - 1 - row) as f64;
        let (lo, hi) = (e.ci.0.clamp(-limit, limit), e.ci.1.clamp(-limit, limit));
        let c = if e.within_noise() { REFERENCE } else { colour };
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                c.stroke_width(4),
            )))
            .dr()?;
        let point = e.src.clamp(-limit, limit);
        let dot = if e.within_noise() {
            Circle::new((point, y), 8, c.stroke_width(3))
        } else {
            Circle::new((point, y), 8, c.filled())
        };
        chart.draw_series(std::iter::once(dot)).dr()?;
        // The parameter's name above its bar, on the side away from the estimate.
        let label_x = if e.src >= 0.0 {
            -limit * 0.97
        } else {
            limit * 0.03
        };
        chart
            .draw_series(std::iter::once(Text::new(
                keys[e.param].clone(),
                (label_x, y + 0.42),
                font(LEGEND_SIZE, false).color(&MUTED),
            )))
            .dr()?;
    }
    Ok(())
}

/// The ranking of the parameters for each key series of `cells` (None where there are too
/// few cells or nothing varies).
pub fn rankings(cells: &Cells) -> Vec<Option<Ranking>> {
    let params = cells.numeric_params();
    cells.y.iter().map(|ys| rank(cells, &params, ys)).collect()
}

/// A sweep's parameter sheets (one per numeric parameter) and its ranking (when any series
/// has one), as objects `dugnad plot` can draw at any size.
pub fn figures<'a>(
    cells: &'a Cells,
    rankings: &'a [Option<Ranking>],
    replicates: u32,
    look: Look,
) -> Vec<Box<dyn Render + 'a>> {
    let mut out: Vec<Box<dyn Render + 'a>> = cells
        .numeric_params()
        .into_iter()
        .map(|param| {
            Box::new(ScatterSheet {
                cells,
                param,
                replicates,
                look,
            }) as Box<dyn Render + 'a>
        })
        .collect();
    if rankings.iter().any(Option::is_some) {
        out.push(Box::new(RankingSheet {
            cells,
            rankings,
            look,
        }));
    }
    out
}

/// Draws a sweep's parameter sheets and its ranking into `<dir>/charts/` when the sweep has
/// numeric parameters (LHS and Sobol sweeps always; grids too). Returns the rankings per key
/// series and the files written, relative to `dir`.
pub fn charts(
    dir: &Path,
    cells: &Cells,
    replicates: u32,
    lang: Lang,
) -> Result<(Vec<Option<Ranking>>, Vec<String>)> {
    let rankings = rankings(cells);
    let mut files = Vec::new();
    for chart in figures(cells, &rankings, replicates, Look::new(lang)) {
        files.extend(write_rendered_into(dir, chart.as_ref())?);
    }
    Ok((rankings, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(x: Vec<Vec<f64>>, y: Vec<f64>) -> Cells {
        Cells {
            keys: vec!["a".into(), "b".into()],
            labels: x
                .iter()
                .map(|c| c.iter().map(|v| v.to_string()).collect())
                .collect(),
            x,
            series: vec![("mean_agency", "newcomers".into())],
            ci: vec![y.iter().map(|v| (*v, *v)).collect()],
            y: vec![y],
        }
    }

    #[test]
    fn bins_have_equal_counts_and_t_intervals() {
        let xs: Vec<f64> = (0..12).map(f64::from).collect();
        let ys: Vec<f64> = xs
            .iter()
            .map(|x| if *x < 6.0 { 1.0 } else { 3.0 })
            .collect();
        let b = binned(&xs, &ys, 3);
        assert_eq!(b.iter().map(|b| b.n).collect::<Vec<_>>(), vec![4, 4, 4]);
        assert_eq!(b[0].mean, 1.0);
        assert_eq!(b[0].ci, Some((1.0, 1.0)));
        assert_eq!(b[2].mean, 3.0);
        // The middle bin holds 4, 5 (y 1) and 6, 7 (y 3): mean 2, sd 1.1547, t(3) = 3.182.
        let (lo, hi) = b[1].ci.unwrap();
        assert!((b[1].mean - 2.0).abs() < 1e-12);
        assert!((hi - 2.0 - 3.182446 * 1.154701 / 2.0).abs() < 1e-4, "{hi}");
        assert!((2.0 - lo - (hi - 2.0)).abs() < 1e-12);
        assert_eq!(bin_count(12), 3);
        assert_eq!(bin_count(64), 8);
        assert_eq!(bin_count(2), 1);
        // Equal x values stay in one bin.
        let tied = binned(&[0.0, 0.0, 0.0, 1.0], &[1.0, 2.0, 3.0, 4.0], 2);
        assert_eq!(tied.iter().map(|b| b.n).collect::<Vec<_>>(), vec![3, 1]);
    }

    #[test]
    fn the_ranking_finds_the_parameter_that_matters() {
        // y = 3a + 0.1 b + small wobble: a ranks first with an SRC near 1, b's CI holds 0 or is small.
        let x: Vec<Vec<f64>> = (0..40)
            .map(|i| vec![(i % 8) as f64 / 7.0, (i / 8) as f64 / 4.0])
            .collect();
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, v)| 3.0 * v[0] + 0.1 * v[1] + 0.01 * ((i * 7919) % 13) as f64)
            .collect();
        let c = cells(x, y);
        let r = rank(&c, &[0, 1], &c.y[0]).unwrap();
        assert_eq!(r.effects[0].param, 0);
        assert!(r.effects[0].src > 0.95 && !r.effects[0].within_noise());
        assert!(r.effects[1].src.abs() < 0.2);
        assert!(r.r2 > 0.95 && r.n == 40);
        assert!(r.effects[0].spread > 2.0);
        // Too few cells for two parameters: no ranking.
        let small = cells(
            vec![vec![0.0, 1.0], vec![1.0, 0.0], vec![0.5, 0.5]],
            vec![1.0, 2.0, 3.0],
        );
        assert!(rank(&small, &[0, 1], &small.y[0]).is_none());
    }

    #[test]
    fn inversion_and_stems() {
        let inv = invert(&[vec![4.0, 7.0], vec![2.0, 6.0]]).unwrap();
        assert!((inv[0][0] - 0.6).abs() < 1e-12 && (inv[0][1] + 0.7).abs() < 1e-12);
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        assert_eq!(
            scatter_stem("activity.co_design"),
            "scatter-activity-co_design"
        );
    }
}
