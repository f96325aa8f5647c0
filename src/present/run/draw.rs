//! Drawing: turns the prepared series (`series`) into plotters figures. Every function is
//! generic over the backend so that the PNG and the SVG of a chart come from the same code.

use super::data::{Mark, RunData, WeekStat};
use super::series::{
    axis_range, band_polygon, clamp_segments, extent, histogram, line_segments, mean, padded_range,
    pearson, presence_share, stack_layers, stack_segments, survival_curve, week_range, BandSegment,
    Segment, Trajectory,
};
use crate::lang::{fill, Lang};
use crate::metrics::indicators::{key_series, View};
use crate::present::chart::{mesh, Area, Dr, Look, MeshSpec, Plane};
use crate::present::meta::{self, Kind};
use crate::present::style::*;
use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

fn line_height(size: f64) -> i32 {
    (size * 1.08).ceil() as i32
}

fn text_width<DB: DrawingBackend>(area: &Area<DB>, text: &str, style: &TextStyle) -> u32 {
    area.estimate_text_size(text, style)
        .map(|(w, _)| w)
        .unwrap_or((text.chars().count() as f64 * style.font.get_size() * 0.5) as u32)
}

/// What a legend entry looks like.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    Line(RGBColor),
    Dashed(RGBColor),
    Fill(RGBColor, f64),
    Point(RGBColor),
    Cross(RGBColor),
    /// An open circle: a value whose CI includes 0 (within noise).
    Hollow(RGBColor),
}

#[derive(Debug, Clone)]
pub struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

impl LegendItem {
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        LegendItem {
            swatch,
            label: label.into(),
        }
    }
}

const SWATCH_W: i32 = 34;

fn draw_swatch<DB: DrawingBackend>(area: &Area<DB>, s: Swatch, x: i32, y: i32) -> Result<()> {
    match s {
        Swatch::Line(c) => area
            .draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_W, y)],
                c.stroke_width(4),
            ))
            .dr(),
        Swatch::Dashed(c) => {
            for k in 0..3 {
                let x0 = x + k * 13;
                area.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 8, y)],
                    c.stroke_width(2),
                ))
                .dr()?;
            }
            Ok(())
        }
        Swatch::Fill(c, a) => area
            .draw(&Rectangle::new(
                [(x, y - 9), (x + SWATCH_W, y + 9)],
                c.mix(a).filled(),
            ))
            .dr(),
        Swatch::Point(c) => area
            .draw(&Circle::new((x + SWATCH_W / 2, y), 7, c.mix(0.75).filled()))
            .dr(),
        Swatch::Cross(c) => area
            .draw(&Cross::new((x + SWATCH_W / 2, y), 8, c.stroke_width(3)))
            .dr(),
        Swatch::Hollow(c) => area
            .draw(&Circle::new((x + SWATCH_W / 2, y), 6, c.stroke_width(2)))
            .dr(),
    }
}

/// Draws legend entries in rows from `(x, y)`, wrapping at `x + max_w`; returns the y below.
pub fn legend_rows<DB: DrawingBackend>(
    area: &Area<DB>,
    items: &[LegendItem],
    x: i32,
    y: i32,
    max_w: i32,
) -> Result<i32> {
    let style = font(LEGEND_SIZE, false);
    let row_h = line_height(LEGEND_SIZE) + 8;
    let (mut cx, mut cy) = (x, y);
    for it in items {
        let w = SWATCH_W + 10 + text_width(area, &it.label, &style) as i32;
        if cx > x && cx + w > x + max_w {
            cx = x;
            cy += row_h;
        }
        draw_swatch(area, it.swatch, cx, cy + row_h / 2 - 3)?;
        area.draw(&Text::new(
            it.label.clone(),
            (cx + SWATCH_W + 10, cy + row_h / 2 - 3),
            style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .dr()?;
        cx += w + 30;
    }
    Ok(cy + row_h)
}

/// Draws wrapped text lines from `(x, y)`; returns the y below.
fn text_block<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    style: &TextStyle,
    x: i32,
    y: i32,
    max_w: u32,
) -> Result<i32> {
    let mut y = y;
    for line in wrap(text, max_w, |s| text_width(area, s, style)) {
        area.draw(&Text::new(line, (x, y), style.clone())).dr()?;
        y += line_height(style.font.get_size());
    }
    Ok(y)
}

/// Fills the figure white and draws its title and subtitle (unless the look has no title) and
/// an optional legend row on top; returns the area left for the plot.
pub fn header<DB: DrawingBackend>(
    root: &Area<DB>,
    look: Look,
    title: &str,
    subtitle: &str,
    legend: &[LegendItem],
) -> Result<Area<DB>> {
    root.fill(&WHITE).dr()?;
    let (w, _) = root.dim_in_pixel();
    let pad = 28;
    let max_w = w.saturating_sub(2 * pad as u32);
    let mut y = 18;
    if look.title {
        y = text_block(root, title, &font(TITLE_SIZE, true), pad, y, max_w)?;
        if !subtitle.is_empty() {
            y += 6;
            y = text_block(
                root,
                subtitle,
                &font(SUBTITLE_SIZE, false).color(&MUTED),
                pad,
                y,
                max_w,
            )?;
        }
    }
    if !legend.is_empty() {
        y += 6;
        y = legend_rows(root, legend, pad, y, max_w as i32)?;
    }
    y += 8;
    Ok(root.split_vertically(y).1)
}

/// Number of x labels for a week axis so ticks fall on whole, well-spaced weeks.
fn week_labels(x0: f64, x1: f64) -> usize {
    ((x1 - x0).round() as usize + 1).clamp(2, 12)
}

fn y_formatter(lang: Lang, kind: Kind, span: f64) -> impl Fn(&f64) -> String {
    move |v: &f64| {
        lang.number(&match kind {
            Kind::Share => fmt_percent(*v, span),
            Kind::Count if span >= 4.0 || (*v - v.round()).abs() < 1e-9 => fmt_fixed(*v, 0),
            Kind::Count => fmt_fixed(*v, 1),
            _ => fmt_fixed(*v, decimals_for(span)),
        })
    }
}

fn build_chart<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    caption: Option<&str>,
    x: (f64, f64),
    y: (f64, f64),
    y_label_area: u32,
) -> Result<Plane<'a, DB>> {
    let mut b = ChartBuilder::on(area);
    b.margin(14)
        .margin_right(30)
        .x_label_area_size(62)
        .y_label_area_size(y_label_area);
    if let Some(c) = caption {
        b.caption(c, font(PANEL_TITLE_SIZE, true));
    }
    // A little headroom, so the top tick label stays clear of the panel's caption.
    let top = y.1 + (y.1 - y.0).abs() * 0.04;
    b.build_cartesian_2d(x.0..x.1, y.0..top).dr()
}

/// Writes a centred grey note ("no data") in the plotting area.
fn note<DB: DrawingBackend>(chart: &mut Plane<DB>, text: &str) -> Result<()> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let at = ((xr.start + xr.end) / 2.0, (yr.start + yr.end) / 2.0);
    let style = font(NOTE_SIZE, false)
        .color(&MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .draw_series(std::iter::once(Text::new(text.to_string(), at, style)))
        .dr()?;
    Ok(())
}

fn draw_bands<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    segs: &[BandSegment],
    colour: RGBColor,
    alpha: f64,
    isolated_px: u32,
) -> Result<()> {
    for seg in segs {
        if seg.len() >= 2 {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band_polygon(seg),
                    colour.mix(alpha).filled(),
                )))
                .dr()?;
        } else if let Some(&(x, lo, hi)) = seg.first() {
            // An isolated week: a vertical bar instead of an invisible zero-width band.
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, hi)],
                    colour.mix(alpha).stroke_width(isolated_px),
                )))
                .dr()?;
        }
    }
    Ok(())
}

fn draw_lines<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    segs: &[Segment],
    colour: RGBColor,
    width: u32,
) -> Result<()> {
    for seg in segs {
        if seg.len() >= 2 {
            chart
                .draw_series(LineSeries::new(
                    seg.iter().copied(),
                    colour.stroke_width(width),
                ))
                .dr()?;
        } else if let Some(&p) = seg.first() {
            chart
                .draw_series(std::iter::once(Circle::new(p, 5, colour.filled())))
                .dr()?;
        }
    }
    Ok(())
}

fn reference_line<DB: DrawingBackend>(chart: &mut Plane<DB>, y: f64) -> Result<()> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    if y < yr.start || y > yr.end {
        return Ok(());
    }
    chart
        .draw_series(DashedLineSeries::new(
            vec![(xr.start, y), (xr.end, y)],
            10,
            7,
            REFERENCE.stroke_width(2),
        ))
        .dr()?;
    Ok(())
}

/// The schedule's changes on a week axis: a dashed vertical line at the start of each change's
/// week (x = week − 0.5, between the last week before and the first after), labelled at the top;
/// `short` labels (small panels) give the week only.
fn schedule_lines<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    marks: &[Mark],
    short: bool,
    lang: Lang,
) -> Result<()> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let size = if short { TICK_SIZE - 3.0 } else { TICK_SIZE };
    for (k, m) in marks.iter().enumerate() {
        let x = m.week as f64 - 0.5;
        if x < xr.start || x > xr.end {
            continue;
        }
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x, yr.start), (x, yr.end)],
                8,
                5,
                SCHEDULE.stroke_width(2),
            ))
            .dr()?;
        let wk = fill(lang, "chart.run_wk", &[("week", &m.week)]);
        let text = if short {
            wk
        } else {
            let label: String = m.label.chars().take(48).collect();
            let more = if m.label.chars().count() > 48 {
                "…"
            } else {
                ""
            };
            format!("{wk}: {label}{more}")
        };
        // Labels of nearby changes step down so they do not overlap.
        let y = yr.end - (yr.end - yr.start) * (0.02 + 0.07 * (k % 3) as f64);
        let right_half = x > (xr.start + xr.end) / 2.0;
        let anchor = if right_half { HPos::Right } else { HPos::Left };
        let dx = (xr.end - xr.start) * 0.006 * if right_half { -1.0 } else { 1.0 };
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (x + dx, y),
                font(size, false)
                    .color(&SCHEDULE)
                    .pos(Pos::new(anchor, VPos::Top)),
            )))
            .dr()?;
    }
    Ok(())
}

/// The lenses an indicator's trajectory shows, with their weekly statistics: its headline lens
/// (newcomers, or all), and next to newcomers the local participants where they have data.
pub fn trajectory_layers<'a>(
    data: &'a RunData,
    name: &str,
    lens: &'a str,
) -> Vec<(&'a str, &'a [WeekStat])> {
    let ts = &data.timeseries;
    let mut layers = vec![(lens, ts.get(name, lens))];
    if lens == "newcomers" && ts.has_data(name, "local_participants") {
        layers.push(("local_participants", ts.get(name, "local_participants")));
    }
    layers
}

/// One indicator's trajectory panel: per lens (in its colour) the mean line, 90 % band and
/// 95 % CI, gaps at NA, and the schedule's changes (`marks`; `short` labels in small panels).
fn trajectory_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    name: &str,
    layers: &[(&str, &[WeekStat])],
    weeks: Option<(u32, u32)>,
    caption: Option<&str>,
    marks: &[Mark],
    look: Look,
) -> Result<()> {
    let kind = meta::kind(name);
    let trajectories: Vec<(&str, Trajectory)> = layers
        .iter()
        .map(|(lens, stats)| {
            let t = match kind {
                Kind::Share | Kind::Level => Trajectory::from_stats(stats).clamp_bands(0.0, 1.0),
                Kind::Count | Kind::Ratio | Kind::Rate => {
                    Trajectory::from_stats(stats).clamp_bands(0.0, f64::MAX)
                }
                Kind::Signed => Trajectory::from_stats(stats),
            };
            (*lens, t)
        })
        .collect();
    let x = weeks.map(|(a, b)| week_range(a, b)).unwrap_or((0.0, 1.0));
    let y = axis_range(
        kind,
        trajectories
            .iter()
            .filter_map(|(_, t)| t.y_extent())
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))),
    );
    let mut chart = build_chart(area, caption, x, y, 100)?;
    let yf = y_formatter(look.lang, kind, y.1 - y.0);
    let unit = meta::unit_in(look.lang, name);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: look.tr("chart.week"),
            y_desc: &unit,
            x_labels: week_labels(x.0, x.1),
            y_labels: 6,
        },
        &|v| fmt_week(*v),
        &yf,
    )?;
    if trajectories.iter().all(|(_, t)| t.is_empty()) {
        return note(&mut chart, look.tr("chart.run_no_data_lens"));
    }
    match kind {
        Kind::Ratio => reference_line(&mut chart, 1.0)?,
        Kind::Signed => reference_line(&mut chart, 0.0)?,
        _ => {}
    }
    for (lens, traj) in &trajectories {
        let colour = lens_colour(lens);
        draw_bands(&mut chart, &traj.band90, colour, BAND90_ALPHA, 16)?;
        draw_bands(&mut chart, &traj.ci95, colour, CI95_ALPHA, 8)?;
        draw_lines(&mut chart, &traj.mean, colour, 3)?;
    }
    schedule_lines(&mut chart, marks, caption.is_some(), look.lang)
}

fn replicates_phrase(lang: Lang, n: u64) -> String {
    match n {
        1 => lang.tr("chart.run_replicate_one").to_string(),
        n => fill(lang, "chart.run_replicates", &[("n", &n)]),
    }
}

fn averaged_phrase(lang: Lang, n: u64) -> String {
    match n {
        1 => lang.tr("chart.run_averaged_one").to_string(),
        n => fill(lang, "chart.run_averaged", &[("n", &n)]),
    }
}

fn scenario_suffix(data: &RunData) -> String {
    data.scenario_name()
        .map(|s| format!(" \u{2014} {s}"))
        .unwrap_or_default()
}

fn band_legend(lang: Lang, colour: RGBColor, n: u64, bands: bool) -> Vec<LegendItem> {
    let mut items = vec![LegendItem::new(
        Swatch::Line(colour),
        if n == 1 {
            lang.tr("chart.run_value_one").to_string()
        } else {
            fill(
                lang,
                "chart.run_mean_over",
                &[("replicates", &replicates_phrase(lang, n))],
            )
        },
    )];
    if bands {
        items.push(LegendItem::new(
            Swatch::Fill(colour, CI95_ALPHA + BAND90_ALPHA),
            lang.tr("chart.run_ci95"),
        ));
        items.push(LegendItem::new(
            Swatch::Fill(colour, BAND90_ALPHA),
            lang.tr("chart.run_band90"),
        ));
    }
    items
}

/// The sheet of small multiples: one trajectory panel per key indicator plus a legend cell.
pub fn trajectories_sheet<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    look: Look,
) -> Result<()> {
    let n = data.replicates();
    let weeks = data.timeseries.week_range();
    let lang = look.lang;
    let span = match weeks {
        Some((a, b)) if a == b => fill(lang, "chart.run_span_week", &[("week", &a)]),
        Some((a, b)) => fill(lang, "chart.run_span_weeks", &[("first", &a), ("last", &b)]),
        None => lang.tr("chart.run_span_none").to_string(),
    };
    let body = header(
        root,
        look,
        &format!(
            "{}{}",
            look.tr("chart.run_trajectories_title"),
            scenario_suffix(data)
        ),
        &fill(
            lang,
            "chart.run_trajectories_subtitle",
            &[
                ("span", &span),
                ("averaged", &averaged_phrase(lang, n)),
                ("newcomers", &meta::newcomers_words(lang)),
            ],
        ),
        &[],
    )?;
    let keys = key_series(View::Trajectory);
    let marks = data.schedule_marks();
    let cols = 3;
    let cells = keys.len() + 1;
    let rows = cells.div_ceil(cols);
    let panels = body.split_evenly((rows, cols));
    for ((name, lens), area) in keys.iter().zip(&panels) {
        let layers = trajectory_layers(data, name, lens);
        let title = if *lens == "newcomers" {
            meta::title_in(lang, name)
        } else {
            meta::series_title_in(lang, name, lens)
        };
        trajectory_panel(area, name, &layers, weeks, Some(&title), &marks, look)?;
    }
    // The last cell explains how to read the panels.
    let cell = &panels[keys.len()];
    let (w, _) = cell.dim_in_pixel();
    let x = 40;
    let mut y = 40;
    cell.draw(&Text::new(
        lang.tr("chart.run_how_to_read"),
        (x, y),
        font(PANEL_TITLE_SIZE, true),
    ))
    .dr()?;
    y += line_height(PANEL_TITLE_SIZE) + 10;
    let has_bands = keys
        .iter()
        .any(|(k, lens)| Trajectory::from_stats(data.timeseries.get(k, lens)).has_bands());
    let mut items = band_legend(lang, NEUTRAL, n, has_bands);
    items.push(LegendItem::new(
        Swatch::Dashed(REFERENCE),
        lang.tr("chart.run_reference"),
    ));
    if !marks.is_empty() {
        items.push(LegendItem::new(
            Swatch::Dashed(SCHEDULE),
            lang.tr("chart.run_schedule_mark"),
        ));
    }
    for it in &items {
        y = legend_rows(cell, std::slice::from_ref(it), x, y, w as i32 - x - 10)?;
    }
    y += 10;
    text_block(
        cell,
        lang.tr("chart.run_breaks"),
        &font(LEGEND_SIZE, false).color(&MUTED),
        x,
        y,
        w.saturating_sub(x as u32 + 20),
    )?;
    Ok(())
}

/// One indicator's trajectory at a lens (and the local participants' next to the newcomers')
/// as its own figure.
pub fn indicator_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    name: &str,
    lens: &str,
    look: Look,
) -> Result<()> {
    let lang = look.lang;
    let meaning = meta::meaning_in(lang, name);
    let n = data.replicates();
    let layers = trajectory_layers(data, name, lens);
    let traj = Trajectory::from_stats(layers[0].1);
    let who: Vec<String> = layers
        .iter()
        .map(|(l, _)| meta::lens_words_in(lang, name, l))
        .collect();
    let subtitle = if meaning.is_empty() {
        let and = format!(" {} ", lang.tr("chart.run_and"));
        fill(
            lang,
            "chart.run_indicator_subtitle_plain",
            &[("name", &name), ("who", &who.join(&and))],
        )
    } else {
        fill(
            lang,
            "chart.run_indicator_subtitle",
            &[("meaning", &meaning), ("who", &who.join("; "))],
        )
    };
    let mut legend = Vec::new();
    if !traj.is_empty() {
        legend = band_legend(lang, lens_colour(lens), n, traj.has_bands());
        legend[0].label = format!(
            "{}: {}",
            meta::lens_short_in(lang, name, lens),
            legend[0].label
        );
        if let Some((other, _)) = layers.get(1) {
            legend.push(LegendItem::new(
                Swatch::Line(lens_colour(other)),
                meta::lens_short_in(lang, name, other),
            ));
        }
    }
    if !data.schedule_marks().is_empty() {
        legend.push(LegendItem::new(
            Swatch::Dashed(SCHEDULE),
            lang.tr("chart.run_schedule_short"),
        ));
    }
    let body = header(
        root,
        look,
        &fill(
            lang,
            "chart.run_indicator_title",
            &[
                ("series", &meta::series_title_in(lang, name, lens)),
                ("scenario", &scenario_suffix(data)),
            ],
        ),
        &subtitle,
        &legend,
    )?;
    trajectory_panel(
        &body,
        name,
        &layers,
        data.timeseries.week_range(),
        None,
        &data.schedule_marks(),
        look,
    )
}

/// A stacked-area panel of shares that sum to 1, one layer per class lens.
#[allow(clippy::too_many_arguments)]
fn stacked_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    caption: &str,
    y_desc: &str,
    layers: &[(&str, &[WeekStat])],
    weeks: Option<(u32, u32)>,
    empty_note: &str,
    reference: Option<&[(f64, Option<f64>)]>,
    look: Look,
) -> Result<()> {
    let stats: Vec<&[WeekStat]> = layers.iter().map(|l| l.1).collect();
    let stacked = stack_layers(&stats);
    let top = extent(stacked.iter().flatten().filter_map(|p| p.1.map(|b| b.1)));
    let y1 = top.map(|t| t.1.max(1.0)).unwrap_or(1.0);
    let x = weeks.map(|(a, b)| week_range(a, b)).unwrap_or((0.0, 1.0));
    let mut chart = build_chart(area, Some(caption), x, (0.0, y1), 100)?;
    let yf = y_formatter(look.lang, Kind::Share, y1);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: look.tr("chart.week"),
            y_desc,
            x_labels: week_labels(x.0, x.1),
            y_labels: 6,
        },
        &|v| fmt_week(*v),
        &yf,
    )?;
    if top.is_none() {
        return note(&mut chart, empty_note);
    }
    let half = ((x.1 - x.0) / 150.0).max(0.3);
    for ((lens, _), layer) in layers.iter().zip(&stacked) {
        let colour = lens_colour(lens);
        for seg in stack_segments(layer) {
            if seg.len() >= 2 {
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        band_polygon(&seg),
                        colour.mix(0.9).filled(),
                    )))
                    .dr()?;
            } else if let Some(&(x, lo, hi)) = seg.first() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - half, lo), (x + half, hi)],
                        colour.mix(0.9).filled(),
                    )))
                    .dr()?;
            }
        }
    }
    if let Some(points) = reference {
        for seg in line_segments(points) {
            if seg.len() >= 2 {
                chart
                    .draw_series(DashedLineSeries::new(seg, 12, 7, NEUTRAL.stroke_width(3)))
                    .dr()?;
            } else if let Some(&(x, y)) = seg.first() {
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(x - half * 1.5, y), (x + half * 1.5, y)],
                        12,
                        7,
                        NEUTRAL.stroke_width(3),
                    ))
                    .dr()?;
            }
        }
    }
    Ok(())
}

/// The four classes, in stacking order.
const CLASS_LENSES: [&str; 4] = ["newcomers", "local_participants", "volunteers", "staff"];

fn class_legend(lang: Lang) -> Vec<LegendItem> {
    CLASS_LENSES
        .iter()
        .map(|r| {
            LegendItem::new(
                Swatch::Fill(lens_colour(r), 0.9),
                lang.tr(&format!("common.lens_{r}")),
            )
        })
        .collect()
}

/// "Who talks": share of turns by class and share of turns taken over by class, side by side.
pub fn who_talks<DB: DrawingBackend>(root: &Area<DB>, data: &RunData, look: Look) -> Result<()> {
    let ts = &data.timeseries;
    let presence = presence_share(
        ts.get("voice_share", "newcomers"),
        ts.get("voice_parity", "newcomers"),
    );
    let has_presence = presence.iter().any(|p| p.1.is_some());
    let lang = look.lang;
    let mut legend = class_legend(lang);
    if has_presence {
        legend.push(LegendItem::new(
            Swatch::Dashed(NEUTRAL),
            lang.tr("chart.run_presence"),
        ));
    }
    let body = header(
        root,
        look,
        &format!(
            "{}{}",
            look.tr("chart.run_who_talks_title"),
            scenario_suffix(data)
        ),
        &fill(
            lang,
            "chart.run_who_talks_subtitle",
            &[(
                "over",
                &match data.replicates() {
                    1 => lang.tr("chart.run_means_one").to_string(),
                    n => fill(lang, "chart.run_means_over", &[("n", &n)]),
                },
            )],
        ),
        &legend,
    )?;
    let voice_defined = CLASS_LENSES.iter().any(|l| ts.has_data("voice_share", l));
    let voice: Vec<(&str, &[WeekStat])> = CLASS_LENSES
        .iter()
        .map(|l| (*l, ts.get("voice_share", l)))
        .collect();
    let takeover: Vec<(&str, &[WeekStat])> = CLASS_LENSES
        .iter()
        .map(|l| (*l, ts.get("takeover_share", l)))
        .collect();
    let (w, _) = body.dim_in_pixel();
    let (left, right) = body.split_horizontally(w / 2);
    let weeks = ts.week_range();
    stacked_panel(
        &left,
        lang.tr("chart.run_floor_title"),
        lang.tr("chart.run_floor_axis"),
        &voice,
        weeks,
        lang.tr("chart.run_no_data"),
        has_presence.then_some(presence.as_slice()),
        look,
    )?;
    stacked_panel(
        &right,
        lang.tr("chart.run_takeover_title"),
        lang.tr("chart.run_takeover_axis"),
        &takeover,
        weeks,
        if voice_defined {
            lang.tr("chart.run_no_takeover")
        } else {
            lang.tr("chart.run_no_data")
        },
        None,
        look,
    )
}

fn histogram_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    (name, lens): (&str, &str),
    values: &[f64],
    final_week: Option<u64>,
    lang: Lang,
) -> Result<()> {
    let kind = meta::kind(name);
    let unit = meta::unit_in(lang, name);
    let hist = histogram(values, 20);
    let x = match &hist {
        // A single bin (all replicates equal) is drawn narrow inside a wider window.
        Some(h) => padded_range(
            Some((h.start, h.start + h.width * h.counts.len() as f64)),
            (h.width * 6.0).max(0.05),
        ),
        None => (0.0, 1.0),
    };
    let max_count = hist.as_ref().map(|h| h.max_count()).unwrap_or(0);
    let y1 = (max_count as f64 * 1.18).max(1.0);
    let x_desc = match final_week {
        Some(w) => fill(lang, "chart.run_in_week", &[("unit", &unit), ("week", &w)]),
        None => unit,
    };
    let mut chart = build_chart(
        area,
        Some(&meta::series_title_in(lang, name, lens)),
        x,
        (0.0, y1),
        80,
    )?;
    let xf = y_formatter(lang, kind, x.1 - x.0);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: &x_desc,
            y_desc: lang.tr("chart.run_replicates_axis"),
            x_labels: 6,
            y_labels: (max_count as usize + 1).clamp(2, 8),
        },
        &xf,
        &|v| fmt_week(*v),
    )?;
    let Some(h) = hist else {
        return note(&mut chart, lang.tr("chart.run_no_data_lens"));
    };
    chart
        .draw_series(
            h.bins().into_iter().filter(|b| b.2 > 0).map(|(l, r, c)| {
                Rectangle::new([(l, 0.0), (r, c as f64)], ACCENT.mix(0.85).filled())
            }),
        )
        .dr()?;
    chart
        .draw_series(
            h.bins()
                .into_iter()
                .filter(|b| b.2 > 0)
                .map(|(l, r, c)| Rectangle::new([(l, 0.0), (r, c as f64)], WHITE.stroke_width(1))),
        )
        .dr()?;
    if let Some(mu) = mean(values) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(mu, 0.0), (mu, y1)],
                NEUTRAL.stroke_width(3),
            )))
            .dr()?;
        let right_half = mu > (x.0 + x.1) / 2.0;
        let label = fill(
            lang,
            "chart.run_mean_label",
            &[("value", &fmt_label(lang, kind, mu))],
        );
        let anchor = if right_half { HPos::Right } else { HPos::Left };
        let dx = (x.1 - x.0) * 0.015 * if right_half { -1.0 } else { 1.0 };
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (mu + dx, y1 * 0.97),
                font(LEGEND_SIZE, true).pos(Pos::new(anchor, VPos::Top)),
            )))
            .dr()?;
    }
    Ok(())
}

/// A value as text for labels, in `lang`'s decimal mark: percentages for shares, else 2–3
/// significant decimals.
pub fn fmt_label(lang: Lang, kind: Kind, v: f64) -> String {
    lang.number(&match kind {
        Kind::Share => format!("{} %", fmt_fixed(v * 100.0, 1)),
        Kind::Count => fmt_fixed(v, if v.abs() >= 10.0 { 0 } else { 2 }),
        _ => fmt_fixed(v, if v.abs() >= 10.0 { 1 } else { 2 }),
    })
}

/// Final-week distributions across replicates of the agency and minoritization measures (of
/// the newcomers).
pub fn distributions<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    look: Look,
) -> Result<()> {
    let names = key_series(View::Distribution);
    let fw = data.final_week();
    let lang = look.lang;
    let week = data.final_week_words(lang);
    let body = header(
        root,
        look,
        &format!(
            "{}{}",
            look.tr("chart.run_distributions_title"),
            scenario_suffix(data)
        ),
        &fill(
            lang,
            "chart.run_distributions_subtitle",
            &[
                ("week", &week),
                (
                    "replicates",
                    &replicates_phrase(lang, data.final_table.rows.len() as u64),
                ),
            ],
        ),
        &[],
    )?;
    let panels = body.split_evenly((1, names.len()));
    for ((name, lens), area) in names.iter().zip(&panels) {
        let values = data.final_table.values(name, lens);
        histogram_panel(area, (name, lens), &values, fw, lang)?;
    }
    Ok(())
}

/// The retention chart's subtitle: what the curve is, the annual attrition of all volunteers,
/// and the share retained after a year (when the run is longer) and at the end, in `lang`.
fn retention_subtitle(data: &RunData, stats: &[WeekStat], lang: Lang) -> String {
    let n = data.replicates();
    let mut subtitle = fill(
        lang,
        "chart.run_retention_subtitle",
        &[(
            "over",
            &match n {
                1 => lang.tr("chart.run_retention_one").to_string(),
                n => fill(lang, "chart.run_retention_mean", &[("n", &n)]),
            },
        )],
    );
    if let Some(a) = data
        .summary_row("final_week", "annual_attrition", "volunteers")
        .and_then(|r| r.stats.mean)
    {
        subtitle.push_str(&fill(
            lang,
            "chart.run_retention_attrition",
            &[("rate", &lang.number(&fmt_fixed(a, 2)))],
        ));
    }
    let describe = |s: &WeekStat| {
        let mut t = fill(
            lang,
            "chart.run_retention_after",
            &[
                ("week", &s.week),
                (
                    "share",
                    &fmt_label(lang, Kind::Share, s.stats.mean.unwrap_or(f64::NAN)),
                ),
            ],
        );
        if let (Some(lo), Some(hi), true) = (s.stats.p05, s.stats.p95, s.stats.n >= 2) {
            t.push_str(&fill(
                lang,
                "chart.run_retention_spread",
                &[
                    ("low", &fmt_label(lang, Kind::Share, lo)),
                    ("high", &fmt_label(lang, Kind::Share, hi)),
                ],
            ));
        }
        t.push('.');
        t
    };
    let defined: Vec<&WeekStat> = stats.iter().filter(|s| s.stats.mean.is_some()).collect();
    if let Some(year) = defined.iter().find(|s| s.week == 52) {
        if defined.last().is_some_and(|l| l.week > 52) {
            subtitle.push_str(&describe(year));
        }
    }
    if let Some(last) = defined.last() {
        subtitle.push_str(&describe(last));
    }
    subtitle
}

/// Volunteer retention: share of the founding volunteers (week 0) still active, as a step
/// curve, with the annual attrition of all volunteers in words.
pub fn retention<DB: DrawingBackend>(root: &Area<DB>, data: &RunData, look: Look) -> Result<()> {
    let stats = data
        .timeseries
        .get("founding_volunteers_retained", "volunteers");
    let x = match data.timeseries.week_range() {
        // The curve starts at week 0 (everyone retained) when the data start at week 1, and
        // the last step is held a little past the last week so that it shows.
        Some((a, b)) => {
            let first = if a == 1 { 0.0 } else { a as f64 };
            let last = b as f64;
            (first, last + ((last - first) * 0.015).max(0.5))
        }
        None => (0.0, 1.0),
    };
    let mut curve = survival_curve(stats, x.1);
    clamp_segments(&mut curve.band90, 0.0, 1.0);
    clamp_segments(&mut curve.ci95, 0.0, 1.0);
    let n = data.replicates();
    let lang = look.lang;
    let subtitle = retention_subtitle(data, stats, lang);
    let has_bands = !curve.band90.is_empty();
    let mut legend = band_legend(lang, VOLUNTEERS, n, has_bands);
    legend[0].label = if n == 1 {
        lang.tr("chart.run_retention_value_one").into()
    } else {
        fill(
            lang,
            "chart.run_retention_legend",
            &[("replicates", &replicates_phrase(lang, n))],
        )
    };
    if curve.mean.is_empty() {
        legend.clear();
    }
    let body = header(
        root,
        look,
        &format!(
            "{}{}",
            look.tr("chart.run_retention_title"),
            scenario_suffix(data)
        ),
        &subtitle,
        &legend,
    )?;
    let ext = extent(
        curve
            .mean
            .iter()
            .flatten()
            .map(|p| p.1)
            .chain(curve.band90.iter().flatten().map(|p| p.2)),
    );
    let y1 = ext.map(|e| e.1.max(1.0) * 1.03).unwrap_or(1.03);
    let mut chart = build_chart(&body, None, x, (0.0, y1), 100)?;
    let yf = y_formatter(lang, Kind::Share, 1.0);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: look.tr("chart.week"),
            y_desc: look.tr("chart.run_retention_axis"),
            x_labels: week_labels(x.0, x.1),
            y_labels: 6,
        },
        &|v| fmt_week(*v),
        &yf,
    )?;
    if curve.mean.is_empty() {
        return note(&mut chart, lang.tr("chart.run_no_data"));
    }
    draw_bands(&mut chart, &curve.band90, VOLUNTEERS, BAND90_ALPHA, 16)?;
    draw_bands(&mut chart, &curve.ci95, VOLUNTEERS, CI95_ALPHA, 8)?;
    draw_lines(&mut chart, &curve.mean, VOLUNTEERS, 3)
}

/// Scatter of replicates at the final week: the newcomers' agency index vs their
/// minoritization index.
pub fn agency_vs_minoritization<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    look: Look,
) -> Result<()> {
    let pairs = data
        .final_table
        .pairs("agency_index", "minoritization_index", "newcomers");
    let lang = look.lang;
    let week = data.final_week_words(lang);
    let total = data.final_table.rows.len();
    let counted = if pairs.len() == total {
        replicates_phrase(lang, total as u64)
    } else {
        fill(
            lang,
            "chart.run_both_values",
            &[("n", &pairs.len()), ("total", &total)],
        )
    };
    let mut subtitle = fill(
        lang,
        "chart.run_agency_subtitle",
        &[
            ("week", &week),
            ("counted", &counted),
            ("newcomers", &meta::newcomers_words(lang)),
        ],
    );
    if let Some(r) = pearson(&pairs) {
        subtitle.push_str(&fill(
            lang,
            "chart.run_correlation",
            &[("r", &lang.number(&fmt_fixed(r, 2)))],
        ));
    }
    let body = header(
        root,
        look,
        &format!(
            "{}{}",
            look.tr("chart.run_agency_title"),
            scenario_suffix(data)
        ),
        &subtitle,
        &if pairs.len() >= 2 {
            vec![
                LegendItem::new(Swatch::Point(ACCENT), lang.tr("chart.run_one_replicate")),
                LegendItem::new(
                    Swatch::Cross(NEUTRAL),
                    lang.tr("chart.run_mean_of_replicates"),
                ),
            ]
        } else {
            vec![LegendItem::new(
                Swatch::Point(ACCENT),
                lang.tr("chart.run_one_replicate"),
            )]
        },
    )?;
    let x = padded_range(extent(pairs.iter().map(|p| p.0)), 0.05);
    let y = padded_range(extent(pairs.iter().map(|p| p.1)), 0.05);
    let mut chart = build_chart(&body, None, x, y, 100)?;
    let xf = y_formatter(lang, Kind::Level, x.1 - x.0);
    let yf = y_formatter(lang, Kind::Level, y.1 - y.0);
    mesh(
        &mut chart,
        MeshSpec {
            x_desc: lang.tr("chart.run_agency_x"),
            y_desc: lang.tr("chart.run_agency_y"),
            x_labels: 8,
            y_labels: 8,
        },
        &xf,
        &yf,
    )?;
    if pairs.is_empty() {
        return note(&mut chart, lang.tr("chart.run_no_data_newcomers"));
    }
    chart
        .draw_series(
            pairs
                .iter()
                .map(|&p| Circle::new(p, 7, ACCENT.mix(0.7).filled())),
        )
        .dr()?;
    let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    if let (Some(mx), Some(my), true) = (mean(&xs), mean(&ys), pairs.len() >= 2) {
        chart
            .draw_series(std::iter::once(Cross::new(
                (mx, my),
                10,
                NEUTRAL.stroke_width(3),
            )))
            .dr()?;
    }
    Ok(())
}
