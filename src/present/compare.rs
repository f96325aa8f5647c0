//! The presentation of a comparison: the forest plot of paired differences and the report page.

use super::chart::{write_into, Area, Chart, Dr, Look};
use crate::lang::Lang;
use super::html::{escape as esc, inline_svg_file, page};
use super::style::TICK_SIZE;
use super::style::{
    black, DESC_SIZE, DIFF_ABOVE, DIFF_BELOW, DIFF_BETTER, DIFF_WORSE, NEUTRAL, PANEL_TITLE_SIZE,
    REFERENCE,
};
use crate::experiment::compare::Comparison;
use crate::metrics::indicators::Direction;
use crate::metrics::INDICATORS;
use crate::output::number::num;
use anyhow::Result;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use std::path::Path;

/// One row of a forest panel: indicator (at its lens), standardized difference and its CI, and
/// which way is better.
struct ForestRow {
    label: String,
    diff: f64,
    lo: f64,
    hi: f64,
    direction: Direction,
}

/// Per non-baseline design, the differences to the baseline in pooled SDs of the two designs
/// (√((sd_base² + sd_design²)/2), Cohen's d scale, so an indicator that never varies under the
/// baseline still shows), of the lines the comparison shows (each indicator at its lens), in
/// indicator order; an indicator with no variance in either design is shown only when the
/// difference is 0.
fn forest_rows(c: &Comparison) -> Vec<(usize, Vec<ForestRow>)> {
    let (baseline, shown) = (c.baseline, c.shown());
    let base_sd = |series: usize| {
        shown
            .iter()
            .find(|l| l.design == baseline && l.series == series)
            .map_or(f64::NAN, |l| l.summary.sd)
    };
    let lines = &shown;
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
                    let sd = ((base_sd(l.series).powi(2) + l.summary.sd.powi(2)) / 2.0).sqrt();
                    let scale = |x: f64| {
                        if sd > 0.0 {
                            x / sd
                        } else if x == 0.0 {
                            0.0
                        } else {
                            f64::NAN
                        }
                    };
                    let series = &c.layout.series[l.series];
                    let label = if series.lens_name == crate::metrics::lens::ALL
                        || c.lens.as_deref() == Some(series.lens_name.as_str())
                        || (c.lens.is_none() && series.lens_name == "newcomers")
                    {
                        series.name().to_string()
                    } else {
                        format!("{} ({})", series.name(), series.lens_name)
                    };
                    ForestRow {
                        label,
                        diff: scale(l.diff.mean_diff),
                        lo: scale(l.diff.ci_low),
                        hi: scale(l.diff.ci_high),
                        direction: INDICATORS[series.indicator].direction,
                    }
                })
                .collect();
            (d, rows)
        })
        .collect()
}

fn forest_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    title: &str,
    xlabel: &str,
    rows: &[ForestRow],
    limit: f64,
) -> Result<()> {
    let n = rows.len();
    let mut chart = ChartBuilder::on(area)
        .caption(title, black(PANEL_TITLE_SIZE))
        .margin(12)
        .x_label_area_size(70)
        .y_label_area_size(300)
        .build_cartesian_2d(-limit..limit, (0..n.max(1) - 1).into_segmented())
        .dr()?;
    chart
        .configure_mesh()
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < n => rows[n - 1 - i].label.clone(),
            _ => String::new(),
        })
        .x_desc(xlabel)
        .label_style(black(TICK_SIZE))
        .axis_desc_style(black(DESC_SIZE))
        .disable_y_mesh()
        .draw()
        .dr()?;
    let y = |k: usize| SegmentValue::CenterOf(n - 1 - k);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
            NEUTRAL.stroke_width(1),
        )))
        .dr()?;
    for (k, r) in rows.iter().enumerate() {
        if !(r.diff.is_finite() && r.lo.is_finite() && r.hi.is_finite()) {
            continue;
        }
        let colour = match (r.lo > 0.0, r.hi < 0.0, r.direction) {
            (false, false, _) => REFERENCE,
            (true, _, Direction::HigherIsBetter) | (_, true, Direction::HigherIsWorse) => {
                DIFF_BETTER
            }
            (true, _, Direction::HigherIsWorse) | (_, true, Direction::HigherIsBetter) => {
                DIFF_WORSE
            }
            (true, _, Direction::Neither) => DIFF_ABOVE,
            (_, true, Direction::Neither) => DIFF_BELOW,
        };
        let clamp = |x: f64| x.clamp(-limit, limit);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(clamp(r.lo), y(k)), (clamp(r.hi), y(k))],
                colour.stroke_width(2),
            )))
            .dr()?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (clamp(r.diff), y(k)),
                4,
                colour.filled(),
            )))
            .dr()?;
    }
    Ok(())
}

/// `charts/forest.png` and `.svg`: per indicator (at the comparison's lens: newcomers unless
/// `--lens`; volunteer indicators at all), each design's paired difference to the baseline with
/// its 95 % CI, in pooled standard deviations (one panel per design; green: CI on the better
/// side of 0 by the indicator's direction, vermillion: on the worse side, blue/orange: above/
/// below 0 where neither is better, grey: includes 0).
struct Forest<'a> {
    c: &'a Comparison,
    look: Look,
    panels: Vec<(usize, Vec<ForestRow>)>,
    /// The x axis runs from −limit to limit.
    limit: f64,
}

impl<'a> Forest<'a> {
    fn new(c: &'a Comparison, look: Look) -> Forest<'a> {
        let panels = forest_rows(c);
        let limit = panels
            .iter()
            .flat_map(|(_, rows)| rows.iter().flat_map(|r| [r.lo.abs(), r.hi.abs()]))
            .filter(|x| x.is_finite())
            .fold(0.25f64, f64::max)
            * 1.05;
        Forest {
            c,
            look,
            panels,
            limit,
        }
    }
}

impl Chart for Forest<'_> {
    fn stem(&self) -> String {
        "forest".into()
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.panels.first().map_or(1, |(_, r)| r.len()) as u32;
        let height = 160 + 26 * rows;
        (900 * self.panels.len().max(1) as u32, height)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        root.fill(&WHITE).dr()?;
        let (names, baseline) = (&self.c.names, self.c.baseline);
        let xlabel = format!(
            "{}: difference to {} ({}), in pooled SDs",
            lens_words(self.c),
            names[baseline],
            self.c.scope.name()
        );
        let areas = root.split_evenly((1, self.panels.len().max(1)));
        for ((d, rows), area) in self.panels.iter().zip(&areas) {
            let title = format!("{} − {}", names[*d], names[baseline]);
            forest_panel(area, &title, &xlabel, rows, self.limit)?;
        }
        Ok(())
    }
}

/// Whom the comparison's shown lines are about, in words.
pub fn lens_words(c: &Comparison) -> String {
    match c.lens.as_deref() {
        None | Some("newcomers") => {
            "newcomers (participants of a non-majority origin); volunteer indicators: all volunteers and staff"
                .to_string()
        }
        Some(lens) => format!("lens {lens}; indicators without it: all"),
    }
}

/// Draws `charts/forest.png` and `.svg` into a comparison's folder, its words in `lang`;
/// returns the files.
pub fn charts(dir: &Path, c: &Comparison, lang: Lang) -> Result<Vec<String>> {
    write_into(dir, &Forest::new(c, Look::new(lang)))
}

/// The comparison section of `report.html`: the forest plot (inlined SVG, when drawn), the
/// adaptive-replication note and a table of every indicator.
pub fn section(dir: &Path, c: &Comparison) -> String {
    let (names, baseline) = (&c.names, c.baseline);
    let mut h = String::new();
    h.push_str(&format!(
        "<p>{} designs compared on common random numbers: replicate r of every design uses the same seed streams, \
         {} replicates each. Baseline: <b>{}</b>. Scope: {}. Differences are paired (design − baseline) \
         with a 95 % Student-t CI; d<sub>z</sub> = mean difference / SD of the differences (Cohen). \
         Shown: <b>{}</b>; <code>comparison.csv</code> has every lens. <i>n</i> is the number of replicate \
         pairs in which both values are defined.</p>\n",
        names.len(),
        c.replicates,
        esc(&names[baseline]),
        c.scope.name(),
        esc(&lens_words(c))
    ));
    if let Some(a) = &c.adaptive {
        h.push_str(&format!("<p><b>{}</b></p>\n", esc(&a.sentence())));
    }
    if let Some(svg) = inline_svg_file(&dir.join("charts/forest.svg")) {
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
        "<table><tr><th>design</th><th>indicator</th><th>lens</th><th>mean</th><th>95 % CI</th><th>difference</th>\
         <th>95 % CI</th><th>d<sub>z</sub></th><th>n</th></tr>\n",
    );
    for l in c.shown() {
        let (s, d) = (&l.summary, &l.diff);
        let series = &c.layout.series[l.series];
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>{}</td></tr>\n",
            esc(&names[l.design]),
            series.name(),
            esc(&series.lens_name),
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

/// `report.html` of a comparison.
pub fn report(dir: &Path, c: &Comparison) -> String {
    page(
        &format!("Comparison: {}", c.names.join(" vs ")),
        &[("Design comparison".into(), section(dir, c))],
    )
}
