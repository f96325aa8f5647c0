//! `dugnad plot`: redraws the charts of a result folder from its written files, either in
//! place (charts and report, as the run drew them) or, with any figure flag, as figures for a
//! paper: chosen charts, PNG, SVG or PDF, at a chosen size and resolution, with or without the
//! title, in English or bokmål.
//!
//! PDF goes through a pure-Rust path: the chart's SVG is parsed by `usvg` with the bundled
//! DejaVu Sans as its only fonts and converted by `svg2pdf` (text as real text, vectors as
//! vectors); no system package or system font is read.

use super::UsageError;
use crate::cli::{FigureFormat, PlotCmd};
use crate::lang::Lang;
use crate::output::atomic::write_file_atomic;
use crate::present::chart::{write_rendered_into, Look, Render};
use crate::present::compare::Compared;
use crate::present::run::data::RunData;
use crate::present::run::{Figure, RunChart};
use crate::present::scatter;
use crate::present::sensitivity;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// What kind of result a folder holds, read back from its written files.
enum Folder {
    Run(Box<RunData>),
    Fit,
    Sweep(Box<Swept>),
    Compare(Box<Compared>),
    Sensitivity(Box<sensitivity::Written>),
}

fn usage(msg: String) -> anyhow::Error {
    UsageError(msg).into()
}

/// A finished sweep: its definition, and its cells against the parameters with the ranking
/// of the parameters per key series (the parameter charts' data).
struct Swept {
    def: crate::experiment::store::SweepDef,
    cells: scatter::Cells,
    rankings: Vec<Option<scatter::Ranking>>,
}

/// Which result `dir` is; a clear usage error when it is none `plot` can redraw.
fn folder(dir: &Path) -> Result<Folder> {
    if !dir.is_dir() {
        return Err(usage(format!(
            "{} is not a folder; pass a result folder written by `dugnad run`, `compare`, `sweep`, \
             `sensitivity` or `fit`",
            dir.display()
        )));
    }
    if dir.join("sweep.csv").exists() {
        return match crate::experiment::store::read_def(dir)? {
            Some(def) => {
                let cells = scatter::read_cells(dir, &def.cells.keys, None)?;
                let rankings = scatter::rankings(&cells);
                Ok(Folder::Sweep(Box::new(Swept {
                    def,
                    cells,
                    rankings,
                })))
            }
            None => Err(usage(format!(
                "{} has a sweep.csv but no sweep definition: is it a finished sweep folder?",
                dir.display()
            ))),
        };
    }
    if !dir.join("manifest.json").exists() {
        return Err(usage(format!(
            "{} is not a result folder (no manifest.json); pass a folder written by `dugnad run`, \
             `compare`, `sweep`, `sensitivity` or `fit`",
            dir.display()
        )));
    }
    match written_by(dir) {
        Some("compare") => return Ok(Folder::Compare(Box::new(Compared::load(dir)?))),
        Some("sensitivity") => {
            return Ok(Folder::Sensitivity(Box::new(sensitivity::Written::read(
                dir,
            )?)))
        }
        _ => {}
    }
    if super::fit::is_fit_folder(dir) {
        return Ok(Folder::Fit);
    }
    Ok(Folder::Run(Box::new(RunData::load(dir)?)))
}

/// Which command wrote a folder, as far as its files tell: `compare` (a `comparison.csv`, or
/// a manifest with `designs`) or `sensitivity` (a manifest with a `method` or `factors`); None
/// for any other folder, or a manifest that does not read.
fn written_by(dir: &Path) -> Option<&'static str> {
    if dir.join("comparison.csv").exists() {
        return Some("compare");
    }
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let m: serde_json::Value = serde_json::from_str(&text).ok()?;
    let has = |k: &str| m.get(k).is_some();
    if has("designs") {
        Some("compare")
    } else if has("method") || has("factors") {
        Some("sensitivity")
    } else {
        None
    }
}

/// Whether any flag asks for figures rather than a redraw in place.
fn wants_figures(cmd: &PlotCmd) -> bool {
    cmd.format.is_some()
        || !cmd.chart.is_empty()
        || cmd.width.is_some()
        || cmd.height.is_some()
        || cmd.dpi.is_some()
        || cmd.no_title
        || cmd.output.is_some()
}

/// `dugnad plot DIR [flags]`.
pub fn plot(cmd: &PlotCmd) -> Result<()> {
    let lang = cmd.lang.unwrap_or_default();
    let dir = &cmd.dir;
    let kind = folder(dir)?;
    if !wants_figures(cmd) {
        return redraw(dir, &kind, lang);
    }
    let look = Look {
        lang,
        title: !cmd.no_title,
    };
    let charts: Vec<Box<dyn Render + '_>> = match &kind {
        Folder::Run(data) => Figure::all()
            .into_iter()
            .map(|figure| Box::new(RunChart { figure, data, look }) as Box<dyn Render>)
            .collect(),
        Folder::Fit => crate::present::fit::figures(dir, look)?,
        Folder::Sweep(s) => {
            let mut charts = crate::present::sweep::figures(dir, &s.def, None, look)?;
            charts.extend(scatter::figures(
                &s.cells,
                &s.rankings,
                s.def.replicates,
                look,
            ));
            charts
        }
        Folder::Compare(c) => crate::present::compare::figures(c, look),
        Folder::Sensitivity(w) => sensitivity::figures(&w.analysis, look),
    };
    let names: Vec<String> = charts.iter().map(|c| c.name()).collect();
    for want in &cmd.chart {
        if !names.contains(want) {
            return Err(usage(format!(
                "{} has no chart '{want}'; its charts: {}",
                dir.display(),
                names.join(", ")
            )));
        }
    }
    let chosen: Vec<&Box<dyn Render + '_>> = charts
        .iter()
        .filter(|c| cmd.chart.is_empty() || cmd.chart.contains(&c.name()))
        .collect();
    if chosen.is_empty() {
        return Err(usage(format!("{} has no charts to draw", dir.display())));
    }
    let format = cmd.format.unwrap_or(FigureFormat::Png);
    let ext = format.extension();
    // One chart and an -o with the format's extension: that file; otherwise a folder.
    let target = |name: &str| -> PathBuf {
        match &cmd.output {
            Some(o) if chosen.len() == 1 && o.extension().is_some_and(|e| e == ext) => o.clone(),
            Some(o) => o.join(format!("{name}.{ext}")),
            None => dir.join("figures").join(format!("{name}.{ext}")),
        }
    };
    let files: Vec<PathBuf> = chosen.iter().map(|c| target(&c.name())).collect();
    if !cmd.force {
        if let Some(f) = files.iter().find(|f| f.exists()) {
            return Err(usage(format!(
                "{} exists; pass --force to replace it, or -o another place",
                f.display()
            )));
        }
    }
    let dpi = cmd.dpi.unwrap_or(96);
    for (chart, file) in chosen.iter().zip(&files) {
        let size = size_of(chart.default_size(), cmd.width, cmd.height);
        let bytes = match format {
            FigureFormat::Svg => chart.render_svg(size)?.into_bytes(),
            FigureFormat::Png => with_dpi(chart.render_png(size)?, dpi),
            FigureFormat::Pdf => pdf(&chart.render_svg(size)?, dpi)
                .with_context(|| format!("converting {} to PDF", chart.name()))?,
        };
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_file_atomic(file, &bytes)?;
        if !cmd.quiet {
            eprintln!("wrote {}", file.display());
        }
    }
    Ok(())
}

/// Redraws a folder's charts (and a run's, sweep's, sensitivity analysis' or fit's report) in
/// place, as it was written. A comparison's report is left as it is: it is written from the
/// designs' scenarios as they ran, which the folder holds only as the manifest's record.
fn redraw(dir: &Path, kind: &Folder, lang: Lang) -> Result<()> {
    match kind {
        Folder::Fit => {
            crate::present::fit::charts(dir, lang)?;
            crate::present::fit::write_report(dir, lang)?;
        }
        Folder::Run(_) => super::run::draw(dir, lang)?,
        Folder::Sweep(s) => {
            crate::present::sweep::charts(dir, &s.def, None, lang)?;
            crate::present::reports::sweep(dir, &s.def, None, lang)?;
        }
        Folder::Compare(c) => {
            for chart in crate::present::compare::figures(c, Look::new(lang)) {
                write_rendered_into(dir, chart.as_ref())?;
            }
        }
        Folder::Sensitivity(w) => {
            sensitivity::charts_and_report(dir, w.about(), lang)?;
        }
    }
    eprintln!("redrew the charts in {}", dir.display());
    Ok(())
}

/// The size to draw at: the chart's own, or the given width and/or height (the other side kept
/// in proportion when only one is given).
pub fn size_of((w, h): (u32, u32), width: Option<u32>, height: Option<u32>) -> (u32, u32) {
    let scale = |a: u32, num: u32, den: u32| {
        ((u64::from(a) * u64::from(num) + u64::from(den) / 2) / u64::from(den.max(1))).max(1) as u32
    };
    match (width, height) {
        (Some(x), Some(y)) => (x, y),
        (Some(x), None) => (x, scale(h, x, w)),
        (None, Some(y)) => (scale(w, y, h), y),
        (None, None) => (w, h),
    }
}

/// A PNG with its resolution recorded (a `pHYs` chunk after `IHDR`, in pixels per metre), so
/// that a word processor sizes it as `dpi` says.
pub fn with_dpi(png: Vec<u8>, dpi: u32) -> Vec<u8> {
    // Signature (8) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC).
    let at = 8 + 25;
    if png.len() < at || &png[12..16] != b"IHDR" {
        return png;
    }
    let ppm = (f64::from(dpi) / 0.0254).round() as u32;
    let mut data = Vec::with_capacity(13);
    data.extend_from_slice(b"pHYs");
    data.extend_from_slice(&ppm.to_be_bytes());
    data.extend_from_slice(&ppm.to_be_bytes());
    data.push(1); // unit: metre
    let mut chunk = Vec::with_capacity(21);
    chunk.extend_from_slice(&9u32.to_be_bytes());
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(&crc32(&data).to_be_bytes());
    let mut out = Vec::with_capacity(png.len() + chunk.len());
    out.extend_from_slice(&png[..at]);
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[at..]);
    out
}

/// CRC-32 (ISO 3309, as PNG chunks use).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// An SVG as a one-page PDF through `usvg` and `svg2pdf`, its text set in the bundled DejaVu
/// Sans; the page is the SVG's size at `dpi` pixels per inch.
pub fn pdf(svg: &str, dpi: u32) -> Result<Vec<u8>> {
    use svg2pdf::usvg;
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans.ttf").to_vec());
    db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf").to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    let options = usvg::Options {
        fontdb: std::sync::Arc::new(db),
        font_family: "DejaVu Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).context("reading the chart's SVG")?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: dpi as f32 },
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_given_side_keeps_the_proportion() {
        assert_eq!(size_of((1200, 800), None, None), (1200, 800));
        assert_eq!(size_of((1200, 800), Some(600), None), (600, 400));
        assert_eq!(size_of((1200, 800), None, Some(400)), (600, 400));
        assert_eq!(size_of((1200, 800), Some(100), Some(900)), (100, 900));
    }

    #[test]
    fn the_crc_is_png_s() {
        // The CRC of an IEND chunk's type, as every PNG ends with it.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn a_resolution_chunk_follows_the_header() {
        let png = crate::present::chart::to_png_sized(&Blank, (20, 10)).unwrap();
        let out = with_dpi(png.clone(), 300);
        assert_eq!(out.len(), png.len() + 21);
        assert_eq!(&out[37..41], b"pHYs");
        let ppm = u32::from_be_bytes(out[41..45].try_into().unwrap());
        assert_eq!(ppm, 11811, "300 dpi = 11811 px/m");
        let decoded = png::Decoder::new(&out[..]).read_info().unwrap();
        let dims = decoded.info().pixel_dims.unwrap();
        assert_eq!(dims.xppu, 11811);
    }

    struct Blank;

    impl crate::present::chart::Chart for Blank {
        fn stem(&self) -> String {
            "blank".into()
        }
        fn size(&self) -> (u32, u32) {
            (20, 10)
        }
        fn draw<DB: plotters::prelude::DrawingBackend>(
            &self,
            root: &crate::present::chart::Area<DB>,
        ) -> Result<()> {
            use crate::present::chart::Dr;
            root.fill(&plotters::prelude::WHITE).dr()
        }
    }
}
