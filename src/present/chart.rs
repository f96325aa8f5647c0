//! Chart files: a [`Chart`] is drawn by one generic function on any plotters backend, so its
//! SVG and its PNG come from the same code, and both files are written to a temporary name and
//! renamed into place (`output::atomic::write_file_atomic`).

use super::style::{font, register_fonts, AXIS, DESC_SIZE, GRID, MUTED, TICK_SIZE};
use crate::lang::Lang;
use crate::output::atomic::write_file_atomic;
use anyhow::{anyhow, Context, Result};
use image::ImageEncoder;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// How a chart is drawn, beside its data: in which language its words are, and whether it
/// carries its title (a figure for a paper gets its title from the paper's caption).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub lang: Lang,
    pub title: bool,
}

impl Look {
    /// Titled, in `lang`: how results write their charts.
    pub fn new(lang: Lang) -> Look {
        Look { lang, title: true }
    }

    /// The string of a `chart.*` key in this look's language.
    pub fn tr<'k>(&self, key: &'k str) -> &'k str {
        self.lang.tr(key)
    }
}

impl From<Lang> for Look {
    fn from(lang: Lang) -> Look {
        Look::new(lang)
    }
}

/// The drawing area of a chart on a backend.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// A plotting area with numeric x and y axes.
pub type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The axes of a [`Plane`]: their descriptions and how many tick labels each gets.
pub struct MeshSpec<'s> {
    pub x_desc: &'s str,
    pub y_desc: &'s str,
    pub x_labels: usize,
    pub y_labels: usize,
}

/// Draws the house mesh of a [`Plane`]: muted tick labels formatted by `xf` and `yf`, light
/// grid lines at the labelled ticks only, grey axes.
pub fn mesh<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    spec: MeshSpec,
    xf: &dyn Fn(&f64) -> String,
    yf: &dyn Fn(&f64) -> String,
) -> Result<()> {
    chart
        .configure_mesh()
        .x_desc(spec.x_desc)
        .y_desc(spec.y_desc)
        .x_labels(spec.x_labels)
        .y_labels(spec.y_labels)
        .x_label_formatter(xf)
        .y_label_formatter(yf)
        .label_style(font(TICK_SIZE, false).color(&MUTED))
        .axis_desc_style(font(DESC_SIZE, false))
        .bold_line_style(GRID.stroke_width(1))
        .max_light_lines(0)
        .axis_style(AXIS.stroke_width(1))
        .draw()
        .dr()
}

/// A tick label as plotters writes a number by default (up to five decimals, no exponent), in
/// `lang`'s decimal mark: for axes that have no formatter of their own.
pub fn tick(lang: Lang, v: f64) -> String {
    use plotters::coord::ranged1d::ValueFormatter;
    lang.number(&RangedCoordf64::format(&v))
}

/// Converts plotters' drawing errors (generic over the backend) into `anyhow` errors.
pub trait Dr<T> {
    fn dr(self) -> Result<T>;
}

impl<T, E: std::fmt::Debug> Dr<T> for std::result::Result<T, E> {
    fn dr(self) -> Result<T> {
        self.map_err(|e| anyhow!("drawing a chart failed: {e:?}"))
    }
}

/// A chart: a file stem, a size in pixels, and how to draw it on any backend.
pub trait Chart {
    /// File name without extension.
    fn stem(&self) -> String;
    /// Width and height in pixels (of the PNG; the SVG's user units).
    fn size(&self) -> (u32, u32);
    /// Draws the chart on `root`, from its top-left corner (background included).
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()>;
}

/// The chart as an SVG document.
pub fn to_svg(chart: &impl Chart) -> Result<String> {
    to_svg_sized(chart, chart.size())
}

/// The chart as an SVG document of `size` user units (its layout follows the size).
pub fn to_svg_sized(chart: &impl Chart, size: (u32, u32)) -> Result<String> {
    register_fonts();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        chart.draw(&root)?;
        root.present().dr()?;
    }
    Ok(out)
}

/// The chart as a PNG file's bytes (RGB, encoded as plotters' bitmap backend would).
pub fn to_png(chart: &impl Chart) -> Result<Vec<u8>> {
    to_png_sized(chart, chart.size())
}

/// The chart as a PNG file's bytes, `size` pixels large (its layout follows the size).
pub fn to_png_sized(chart: &impl Chart, size: (u32, u32)) -> Result<Vec<u8>> {
    register_fonts();
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart.draw(&root)?;
        root.present().dr()?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png).write_image(
        &rgb,
        w,
        h,
        image::ColorType::Rgb8,
    )?;
    Ok(png)
}

/// Writes `dir/<stem>.svg` and `dir/<stem>.png` (creating `dir`); returns their paths.
pub fn write(dir: &Path, chart: &impl Chart) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stem = chart.stem();
    let svg = dir.join(format!("{stem}.svg"));
    let png = dir.join(format!("{stem}.png"));
    let drawing = |p: &Path| format!("drawing {}", p.display());
    write_file_atomic(
        &svg,
        to_svg(chart).with_context(|| drawing(&svg))?.as_bytes(),
    )?;
    write_file_atomic(&png, &to_png(chart).with_context(|| drawing(&png))?)?;
    Ok((svg, png))
}

/// Writes the chart into `<result>/charts/`; returns the two files as a result's manifest lists
/// them: relative to `result`, PNG first.
pub fn write_into(result: &Path, chart: &impl Chart) -> Result<Vec<String>> {
    write(&result.join("charts"), chart)?;
    let stem = chart.stem();
    Ok(vec![
        format!("charts/{stem}.png"),
        format!("charts/{stem}.svg"),
    ])
}

/// A chart as an object: what `dugnad plot` holds when it redraws charts of several kinds.
/// Every [`Chart`] is one.
pub trait Render {
    /// File name without extension.
    fn name(&self) -> String;
    /// The chart's own size in pixels.
    fn default_size(&self) -> (u32, u32);
    /// The chart as SVG at `size`.
    fn render_svg(&self, size: (u32, u32)) -> Result<String>;
    /// The chart as PNG at `size`.
    fn render_png(&self, size: (u32, u32)) -> Result<Vec<u8>>;
}

impl<T: Chart> Render for T {
    fn name(&self) -> String {
        self.stem()
    }

    fn default_size(&self) -> (u32, u32) {
        self.size()
    }

    fn render_svg(&self, size: (u32, u32)) -> Result<String> {
        to_svg_sized(self, size)
    }

    fn render_png(&self, size: (u32, u32)) -> Result<Vec<u8>> {
        to_png_sized(self, size)
    }
}

/// Writes a [`Render`] into `<result>/charts/` at its own size, as [`write_into`] does a
/// [`Chart`]; returns the two files, relative to `result`, PNG first.
pub fn write_rendered_into(result: &Path, chart: &dyn Render) -> Result<Vec<String>> {
    let dir = result.join("charts");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stem = chart.name();
    let size = chart.default_size();
    let (svg, png) = (
        dir.join(format!("{stem}.svg")),
        dir.join(format!("{stem}.png")),
    );
    let drawing = |p: &Path| format!("drawing {}", p.display());
    write_file_atomic(
        &svg,
        chart
            .render_svg(size)
            .with_context(|| drawing(&svg))?
            .as_bytes(),
    )?;
    write_file_atomic(
        &png,
        &chart.render_png(size).with_context(|| drawing(&png))?,
    )?;
    Ok(vec![
        format!("charts/{stem}.png"),
        format!("charts/{stem}.svg"),
    ])
}

/// The axis range of the finite `values`, widened by `pad` (a share of the span) on each side;
/// a single value gets ±0.5 around it, no finite value gives 0–1.
pub fn padded_range(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = finite_range(values);
    if !lo.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-12 {
        (lo - 0.5, hi + 0.5)
    } else {
        let pad = (hi - lo) * pad;
        (lo - pad, hi + pad)
    }
}

/// The finite minimum and maximum of `values` (infinite, low above high, when none is finite).
pub fn finite_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        })
}

/// A mean line through `line` over its 95 % CI band through `band`'s `(x, low, high)` points
/// (drawn when it has two points or more), in `colour`, the line `width` px wide.
pub fn draw_band_and_line<DB: DrawingBackend>(
    chart: &mut Plane<DB>,
    band: &[(f64, f64, f64)],
    line: impl IntoIterator<Item = (f64, f64)>,
    colour: RGBColor,
    width: u32,
) -> Result<()> {
    if band.len() >= 2 {
        chart
            .draw_series(std::iter::once(Polygon::new(
                band_outline(band),
                colour.mix(super::style::CI95_ALPHA).filled(),
            )))
            .dr()?;
    }
    chart
        .draw_series(LineSeries::new(line, colour.stroke_width(width)))
        .dr()?;
    Ok(())
}

/// The outline of a CI band through `(x, low, high)` points: along the lows, back along the
/// highs (a polygon to fill).
pub fn band_outline(points: &[(f64, f64, f64)]) -> Vec<(f64, f64)> {
    let lows = points.iter().map(|&(x, l, _)| (x, l));
    lows.chain(points.iter().rev().map(|&(x, _, h)| (x, h)))
        .collect()
}
