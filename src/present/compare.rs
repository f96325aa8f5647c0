//! The presentation of a comparison: the forest plot of paired differences and the report page.

use super::chart::{tick, write_into, Area, Chart, Dr, Look, Render};
use super::layout::text_width;
use super::meta;
use super::run::draw::{header, LegendItem, Swatch};
use super::style::{
    black, font, DESC_SIZE, DIFF_ABOVE, DIFF_BELOW, DIFF_BETTER, DIFF_WORSE, NEUTRAL,
    PANEL_TITLE_SIZE, REFERENCE, TICK_SIZE,
};
use crate::experiment::compare::Comparison;
use crate::experiment::{Refusal, Scope};
use crate::lang::fill;
use crate::lang::Lang;
use crate::metrics::indicators::{Direction, Topic};
use crate::metrics::INDICATORS;
use crate::stats::t_quantile;
use anyhow::Result;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// One row of a forest panel: indicator (at its lens) in words, standardized difference and
/// its CI, which way is better, and the indicator's topic (the rows' group).
struct ForestRow {
    label: String,
    diff: f64,
    lo: f64,
    hi: f64,
    direction: Direction,
    topic: Topic,
}

/// A line of a forest panel, top to bottom: a group's heading or an indicator's row.
enum Entry {
    Group(&'static str),
    Row(ForestRow),
}

/// The catalogue key of a topic's short heading.
fn topic_key(t: Topic) -> &'static str {
    match t {
        Topic::Voice => "chart.topic_voice",
        Topic::Help => "chart.topic_help",
        Topic::Agenda => "chart.topic_agenda",
        Topic::Agency => "chart.topic_agency",
        Topic::Beliefs => "chart.topic_beliefs",
        Topic::Ties => "chart.topic_ties",
        Topic::Learning => "chart.topic_learning",
        Topic::Attendance => "chart.topic_attendance",
        Topic::Transitions => "chart.topic_transitions",
        Topic::Volunteers => "chart.topic_volunteers",
        Topic::Composite => "chart.topic_composite",
    }
}

/// A comparison as its forest plot draws it: the designs, the baseline, the scope and lens, and
/// the lines of `comparison.csv` **as written** (read back from the file, so that the command
/// and `dugnad plot` draw from the same bytes and `plot` redraws the forest byte for byte).
pub struct Compared {
    /// Design names, in order (the baseline among them).
    pub names: Vec<String>,
    pub baseline: usize,
    pub scope: Scope,
    /// The lens the forest shows (None: each indicator's headline lens).
    pub lens: Option<String>,
    lines: Vec<CsvLine>,
}

/// One line of `comparison.csv`, as the forest needs it.
struct CsvLine {
    design: usize,
    /// Index into [`INDICATORS`].
    indicator: usize,
    lens: String,
    ci_low: f64,
    ci_high: f64,
    diff: f64,
    diff_lo: f64,
    diff_hi: f64,
    n: u64,
}

impl CsvLine {
    /// The design's standard deviation, recovered from its 95 % CI (mean ± t·sd/√n) and the
    /// number of pairs n (the replicates where the indicator is defined); NaN below 2.
    fn sd(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        let n = self.n as f64;
        (self.ci_high - self.ci_low) / 2.0 * n.sqrt() / t_quantile(0.975, n - 1.0)
    }
}

impl Compared {
    /// Reads `dir/comparison.csv` of a comparison of `names` (against `names[baseline]`, in
    /// `scope`, shown at `lens`). Refuses, naming the file, line and column, a file that lacks
    /// a column, names a design or an indicator it does not know, or holds an unreadable number.
    pub fn read(
        dir: &Path,
        names: Vec<String>,
        baseline: usize,
        scope: Scope,
        lens: Option<String>,
    ) -> Result<Compared> {
        let path = dir.join("comparison.csv");
        let refuse =
            |msg: String| anyhow::Error::new(Refusal(format!("{}: {msg}", path.display())));
        let mut rdr = csv::Reader::from_path(&path)
            .map_err(|e| refuse(format!("cannot read it ({e}); rerun the comparison")))?;
        let headers = rdr.headers().map_err(|e| refuse(e.to_string()))?.clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| refuse(format!("no column `{name}`")))
        };
        let cols = [
            "design",
            "indicator",
            "lens",
            "ci_low",
            "ci_high",
            "diff",
            "diff_ci_low",
            "diff_ci_high",
            "n",
        ]
        .map(col);
        let mut at = [0usize; 9];
        for (k, c) in cols.into_iter().enumerate() {
            at[k] = c?;
        }
        let mut lines = Vec::new();
        for (k, rec) in rdr.records().enumerate() {
            let line = k + 2;
            let rec = rec.map_err(|e| refuse(format!("line {line}: {e}")))?;
            let field = |i: usize| rec.get(at[i]).unwrap_or("");
            let design = names.iter().position(|n| n == field(0)).ok_or_else(|| {
                refuse(format!(
                    "line {line}, column `design`: '{}' is none of the designs in manifest.json ({})",
                    field(0),
                    names.join(", ")
                ))
            })?;
            let indicator = INDICATORS
                .iter()
                .position(|i| i.name == field(1))
                .ok_or_else(|| {
                    refuse(format!(
                        "line {line}, column `indicator`: unknown indicator '{}'",
                        field(1)
                    ))
                })?;
            let num = |i: usize, name: &str| -> Result<f64> {
                match field(i) {
                    "NA" | "" => Ok(f64::NAN),
                    s => s.parse().map_err(|_| {
                        refuse(format!(
                            "line {line}, column `{name}`: '{s}' is not a number"
                        ))
                    }),
                }
            };
            lines.push(CsvLine {
                design,
                indicator,
                lens: field(2).to_string(),
                ci_low: num(3, "ci_low")?,
                ci_high: num(4, "ci_high")?,
                diff: num(5, "diff")?,
                diff_lo: num(6, "diff_ci_low")?,
                diff_hi: num(7, "diff_ci_high")?,
                n: num(8, "n")?.max(0.0) as u64,
            });
        }
        Ok(Compared {
            names,
            baseline,
            scope,
            lens,
            lines,
        })
    }

    /// Reads a comparison folder back: `manifest.json` (the designs, the baseline, the scope
    /// and the lens shown) and `comparison.csv`. Refuses, naming the file and the field, a
    /// folder of another result format or a manifest that lacks one of them.
    pub fn load(dir: &Path) -> Result<Compared> {
        crate::present::run::data::check_format(dir)?;
        let path = dir.join("manifest.json");
        let refuse =
            |msg: String| anyhow::Error::new(Refusal(format!("{}: {msg}", path.display())));
        let text =
            std::fs::read_to_string(&path).map_err(|e| refuse(format!("cannot read it ({e})")))?;
        let m: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| refuse(format!("not valid JSON ({e})")))?;
        let str_of = |v: &serde_json::Value, name: &str| -> Result<String> {
            v.get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| refuse(format!("no text field `{name}`")))
        };
        let names: Vec<String> = m
            .get("designs")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| refuse("no field `designs`".into()))?
            .iter()
            .map(|d| str_of(d, "name"))
            .collect::<Result<_>>()?;
        let base = str_of(&m, "baseline")?;
        let baseline = names.iter().position(|n| *n == base).ok_or_else(|| {
            refuse(format!(
                "field `baseline`: '{base}' is none of the designs ({})",
                names.join(", ")
            ))
        })?;
        let scope = Scope::parse(&str_of(&m, "scope")?)
            .map_err(|e| refuse(format!("field `scope`: {}", e.0)))?;
        // `lens` is written when --lens was given; a folder from before it was recorded has
        // the flag in its command line.
        let lens = match m.get("lens").and_then(serde_json::Value::as_str) {
            Some(l) => Some(l.to_string()),
            None => lens_in_command_line(m.get("command_line")),
        };
        Compared::read(dir, names, baseline, scope, lens)
    }

    /// The lens names an indicator has in the file, in order.
    fn lenses_of(&self, indicator: usize) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|l| l.design == self.baseline && l.indicator == indicator)
            .map(|l| l.lens.as_str())
            .collect()
    }

    /// The lines the forest shows, as [`Comparison::shown`] chooses them: each indicator once,
    /// at the lens asked for where it has that lens, else at its headline lens (`all` when a
    /// lens was asked for that the indicator lacks).
    fn shown(&self) -> Vec<&CsvLine> {
        self.lines
            .iter()
            .filter(|l| {
                let want = match &self.lens {
                    Some(lens) if !self.lenses_of(l.indicator).contains(&lens.as_str()) => {
                        crate::metrics::lens::ALL
                    }
                    Some(lens) => lens.as_str(),
                    None => crate::metrics::indicators::headline_lens(&INDICATORS[l.indicator]),
                };
                l.lens == want
            })
            .collect()
    }
}

/// The value of `--lens` in a manifest's `command_line` (`--lens X` or `--lens=X`), if any.
fn lens_in_command_line(line: Option<&serde_json::Value>) -> Option<String> {
    let args: Vec<&str> = line?
        .as_array()?
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    args.iter()
        .enumerate()
        .find_map(|(k, a)| match a.strip_prefix("--lens") {
            Some("") => args.get(k + 1).map(|s| s.to_string()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        })
}

/// Per non-baseline design, the differences to the baseline in pooled SDs of the two designs
/// (√((sd_base² + sd_design²)/2), Cohen's d scale, so an indicator that never varies under the
/// baseline still shows), of the lines the comparison shows (each indicator at its lens), in
/// indicator order; an indicator with no variance in either design is shown only when the
/// difference is 0.
fn forest_rows(c: &Compared, lang: Lang) -> Vec<(usize, Vec<ForestRow>)> {
    let (baseline, shown) = (c.baseline, c.shown());
    let base_sd = |indicator: usize, lens: &str| {
        shown
            .iter()
            .find(|l| l.design == baseline && l.indicator == indicator && l.lens == lens)
            .map_or(f64::NAN, |l| l.sd())
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
                    let sd =
                        ((base_sd(l.indicator, &l.lens).powi(2) + l.sd().powi(2)) / 2.0).sqrt();
                    let scale = |x: f64| {
                        if sd > 0.0 {
                            x / sd
                        } else if x == 0.0 {
                            0.0
                        } else {
                            f64::NAN
                        }
                    };
                    let ind = &INDICATORS[l.indicator];
                    let title = meta::title_in(lang, ind.name);
                    let label = if l.lens == crate::metrics::lens::ALL
                        || c.lens.as_deref() == Some(l.lens.as_str())
                        || (c.lens.is_none() && l.lens == "newcomers")
                    {
                        title
                    } else {
                        format!("{title} ({})", meta::lens_short_in(lang, ind.name, &l.lens))
                    };
                    ForestRow {
                        label,
                        diff: scale(l.diff),
                        lo: scale(l.diff_lo),
                        hi: scale(l.diff_hi),
                        direction: ind.direction,
                        topic: ind.topic,
                    }
                })
                .collect();
            (d, rows)
        })
        .collect()
}

/// The rows grouped by topic (in the topics' order), each group under its heading.
fn grouped(rows: Vec<ForestRow>) -> Vec<Entry> {
    let mut out = Vec::new();
    for topic in Topic::ALL {
        let mut group: Vec<ForestRow> = Vec::new();
        for r in rows.iter().filter(|r| r.topic == topic) {
            group.push(ForestRow {
                label: r.label.clone(),
                ..*r
            });
        }
        if !group.is_empty() {
            out.push(Entry::Group(topic_key(topic)));
            out.extend(group.into_iter().map(Entry::Row));
        }
    }
    out
}

/// How a difference is drawn: its colour, and whether it is within noise (hollow, grey).
fn verdict(r: &ForestRow) -> (RGBColor, bool) {
    match (r.lo > 0.0, r.hi < 0.0, r.direction) {
        (false, false, _) => (REFERENCE, true),
        (true, _, Direction::HigherIsBetter) | (_, true, Direction::HigherIsWorse) => {
            (DIFF_BETTER, false)
        }
        (true, _, Direction::HigherIsWorse) | (_, true, Direction::HigherIsBetter) => {
            (DIFF_WORSE, false)
        }
        (true, _, Direction::Neither) => (DIFF_ABOVE, false),
        (_, true, Direction::Neither) => (DIFF_BELOW, false),
    }
}

/// The width in pixels the row labels need.
fn label_width(entries: &[Entry], look: Look) -> u32 {
    entries
        .iter()
        .map(|e| match e {
            Entry::Group(k) => text_width(look.tr(k), TICK_SIZE / 1.24, true),
            Entry::Row(r) => text_width(&r.label, TICK_SIZE / 1.24, false),
        })
        .fold(0.0, f64::max) as u32
        + 30
}

fn forest_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    look: Look,
    title: &str,
    xlabel: &str,
    entries: &[Entry],
    limit: f64,
) -> Result<()> {
    let n = entries.len();
    let label_w = label_width(entries, look);
    let mut chart = ChartBuilder::on(area)
        .caption(title, black(PANEL_TITLE_SIZE))
        .margin(12)
        .margin_right(30)
        .x_label_area_size(70)
        .y_label_area_size(label_w)
        .build_cartesian_2d(-limit..limit, (0..n.max(1) - 1).into_segmented())
        .dr()?;
    chart
        .configure_mesh()
        // Row labels are drawn below (groups bold); plotters loops on zero labels of a
        // segmented axis, so it gets n empty ones.
        .y_labels(n.max(1))
        .y_label_formatter(&|_| String::new())
        .x_label_formatter(&|v| tick(look.lang, *v))
        .x_desc(xlabel)
        .label_style(black(TICK_SIZE))
        .axis_desc_style(black(DESC_SIZE))
        .disable_y_mesh()
        .draw()
        .dr()?;
    let y = |k: usize| SegmentValue::CenterOf(n - 1 - k);
    // Row labels, right-aligned against the axis; group headings bold, flush left.
    let base = area.get_base_pixel();
    let (xr, _) = chart.plotting_area().get_pixel_range();
    let axis_x = xr.start - base.0 - 10;
    for (k, e) in entries.iter().enumerate() {
        let (_, py) = chart.backend_coord(&(0.0, y(k)));
        let py = py - base.1;
        let (text, style) = match e {
            Entry::Group(key) => (
                look.tr(key).to_string(),
                font(TICK_SIZE, true).pos(Pos::new(HPos::Left, VPos::Center)),
            ),
            Entry::Row(r) => (
                r.label.clone(),
                black(TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center)),
            ),
        };
        let x = match e {
            Entry::Group(_) => 14,
            Entry::Row(_) => axis_x,
        };
        area.draw(&Text::new(text, (x, py), style)).dr()?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
            NEUTRAL.stroke_width(1),
        )))
        .dr()?;
    for (k, e) in entries.iter().enumerate() {
        let Entry::Row(r) = e else { continue };
        if !(r.diff.is_finite() && r.lo.is_finite() && r.hi.is_finite()) {
            continue;
        }
        let (colour, noise) = verdict(r);
        let clamp = |x: f64| x.clamp(-limit, limit);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(clamp(r.lo), y(k)), (clamp(r.hi), y(k))],
                colour.stroke_width(if noise { 1 } else { 2 }),
            )))
            .dr()?;
        let at = (clamp(r.diff), y(k));
        if noise {
            chart
                .draw_series(std::iter::once(Circle::new(at.clone(), 5, WHITE.filled())))
                .dr()?;
            chart
                .draw_series(std::iter::once(Circle::new(at, 5, colour.stroke_width(2))))
                .dr()?;
        } else {
            chart
                .draw_series(std::iter::once(Circle::new(at, 5, colour.filled())))
                .dr()?;
        }
    }
    Ok(())
}

/// `charts/forest.png` and `.svg`: per indicator (at the comparison's lens: newcomers unless
/// `--lens`; volunteer indicators at all), grouped by topic, each design's paired difference to
/// the baseline with its 95 % CI, in pooled standard deviations of the two designs (one panel
/// per design). Colour by the indicator's desired direction: green, CI on the better side of
/// 0; vermillion, on the worse side; blue/orange, above/below 0 where neither is better; a
/// hollow grey dot and thin line: the CI includes 0 (within noise). A legend says so.
struct Forest<'a> {
    c: &'a Compared,
    look: Look,
    panels: Vec<(usize, Vec<Entry>)>,
    /// The x axis runs from −limit to limit.
    limit: f64,
}

impl<'a> Forest<'a> {
    fn new(c: &'a Compared, look: Look) -> Forest<'a> {
        let rows = forest_rows(c, look.lang);
        let limit = rows
            .iter()
            .flat_map(|(_, rows)| rows.iter().flat_map(|r| [r.lo.abs(), r.hi.abs()]))
            .filter(|x| x.is_finite())
            .fold(0.25f64, f64::max)
            * 1.05;
        let panels = rows.into_iter().map(|(d, r)| (d, grouped(r))).collect();
        Forest {
            c,
            look,
            panels,
            limit,
        }
    }

    fn legend(&self) -> Vec<LegendItem> {
        let t = |k| self.look.tr(k).to_string();
        vec![
            LegendItem::new(Swatch::Point(DIFF_BETTER), t("chart.forest_better")),
            LegendItem::new(Swatch::Point(DIFF_WORSE), t("chart.forest_worse")),
            LegendItem::new(Swatch::Point(DIFF_ABOVE), t("chart.forest_higher")),
            LegendItem::new(Swatch::Point(DIFF_BELOW), t("chart.forest_lower")),
            LegendItem::new(Swatch::Hollow(REFERENCE), t("chart.forest_noise")),
        ]
    }
}

impl Chart for Forest<'_> {
    fn stem(&self) -> String {
        "forest".into()
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.panels.first().map_or(1, |(_, r)| r.len()) as u32;
        let label_w = self
            .panels
            .first()
            .map_or(300, |(_, e)| label_width(e, self.look));
        let height = 330 + 30 * rows;
        ((label_w + 560) * self.panels.len().max(1) as u32, height)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        let (names, baseline) = (&self.c.names, self.c.baseline);
        let lang = self.look.lang;
        let title = fill(
            lang,
            "chart.forest_title",
            &[("baseline", &names[baseline])],
        );
        let subtitle = fill(
            lang,
            "chart.forest_subtitle",
            &[
                ("whom", &lens_phrase_in(lang, self.c.lens.as_deref())),
                ("scope", &self.c.scope.name()),
            ],
        );
        let body = header(root, self.look, &title, &subtitle, &self.legend())?;
        let xlabel = fill(lang, "chart.forest_axis", &[("baseline", &names[baseline])]);
        let areas = body.split_evenly((1, self.panels.len().max(1)));
        for ((d, entries), area) in self.panels.iter().zip(&areas) {
            let title = format!("{} − {}", names[*d], names[baseline]);
            forest_panel(area, self.look, &title, &xlabel, entries, self.limit)?;
        }
        Ok(())
    }
}

/// Whom the lines shown at `lens` (None: each indicator's headline lens) are about, in words, in
/// `lang`.
pub fn lens_phrase_in(lang: Lang, lens: Option<&str>) -> String {
    match lens {
        None | Some("newcomers") => lang.tr("chart.forest_whom_default").to_string(),
        Some(lens) => fill(lang, "chart.forest_whom_lens", &[("lens", &lens)]),
    }
}

/// The charts of a comparison, read back from its folder (the forest plot), as objects
/// `dugnad plot` can draw at any size.
pub fn figures(c: &Compared, look: Look) -> Vec<Box<dyn Render + '_>> {
    vec![Box::new(Forest::new(c, look))]
}

/// Draws `charts/forest.png` and `.svg` into a comparison's folder, from its `comparison.csv`
/// as written there (see [`Compared`]), its words in `lang`; returns the files.
pub fn charts(dir: &Path, c: &Comparison, lang: Lang) -> Result<Vec<String>> {
    let written = Compared::read(dir, c.names.clone(), c.baseline, c.scope, c.lens.clone())?;
    write_into(dir, &Forest::new(&written, Look::new(lang)))
}
