//! The charts and report of a run folder, drawn from its CSVs and manifest only (so
//! `dugnad plot` can redraw them without re-running).
//!
//! - [`data`]: reading the folder's files into plain tables (tolerant of NA and missing files);
//! - [`series`]: pure data-to-series code (gaps, bands, stacks, histogram bins, survival curve);
//! - [`draw`]: the plotters figures, generic over the backend so PNG and SVG match;
//! - [`report`]: the self-contained `report.html`.

pub mod data;
pub mod draw;
pub mod report;
pub mod series;

use super::chart::{self, Area, Chart, Look};
use crate::lang::Lang;
use crate::metrics::indicators::{key_series, View};
use anyhow::{Context, Result};
use data::RunData;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// A figure of the run: what to draw, under which file stem, at which size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Small multiples of the key indicators' trajectories.
    Trajectories,
    /// One key indicator's trajectory at a lens.
    Indicator(&'static str, &'static str),
    /// Share of turns by class and share of turns taken over by class.
    WhoTalks,
    /// Final-week histograms across replicates.
    Distributions,
    /// Volunteer retention (survival) curve.
    Retention,
    /// Agency index vs minoritization index of replicates at the final week.
    AgencyVsMinoritization,
}

/// The run's charts in report order; each one's title and how-to-read caption are in the
/// catalogue (`report::sheet_words`).
pub const SHEETS: &[Figure] = &[
    Figure::Trajectories,
    Figure::WhoTalks,
    Figure::Retention,
    Figure::Distributions,
    Figure::AgencyVsMinoritization,
];

impl Figure {
    /// File name without extension.
    pub fn stem(&self) -> String {
        match self {
            Figure::Trajectories => "trajectories".into(),
            Figure::Indicator(name, lens) => {
                format!("indicator-{name}-{}", lens.replace(['|', '='], "-"))
            }
            Figure::WhoTalks => "who-talks".into(),
            Figure::Distributions => "distributions".into(),
            Figure::Retention => "retention".into(),
            Figure::AgencyVsMinoritization => "agency-vs-minoritization".into(),
        }
    }

    /// Size in pixels (single charts ~1200×800; sheets larger).
    pub fn size(&self) -> (u32, u32) {
        match self {
            Figure::Trajectories => {
                let rows = (key_series(View::Trajectory).len() + 1).div_ceil(3) as u32;
                (1800, 150 + rows * 430)
            }
            Figure::Indicator(..) | Figure::Retention => (1200, 800),
            Figure::WhoTalks => (1800, 860),
            Figure::Distributions => (1800, 720),
            Figure::AgencyVsMinoritization => (1200, 940),
        }
    }

    /// Every figure of a run, sheets first, then one per key indicator.
    pub fn all() -> Vec<Figure> {
        let mut v: Vec<Figure> = SHEETS.to_vec();
        v.extend(
            key_series(View::Trajectory)
                .into_iter()
                .map(|(name, lens)| Figure::Indicator(name, lens)),
        );
        v
    }

    /// Draws the figure on any backend.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        data: &RunData,
        look: Look,
    ) -> Result<()> {
        match self {
            Figure::Trajectories => draw::trajectories_sheet(root, data, look),
            Figure::Indicator(name, lens) => draw::indicator_chart(root, data, name, lens, look),
            Figure::WhoTalks => draw::who_talks(root, data, look),
            Figure::Distributions => draw::distributions(root, data, look),
            Figure::Retention => draw::retention(root, data, look),
            Figure::AgencyVsMinoritization => draw::agency_vs_minoritization(root, data, look),
        }
    }
}

/// A figure drawn from a run's data.
pub struct RunChart<'a> {
    pub figure: Figure,
    pub data: &'a RunData,
    pub look: Look,
}

impl Chart for RunChart<'_> {
    fn stem(&self) -> String {
        self.figure.stem()
    }

    fn size(&self) -> (u32, u32) {
        self.figure.size()
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<()> {
        self.figure.draw(root, self.data, self.look)
    }
}

/// Draws every chart of a run folder into `<dir>/charts/` (SVG and PNG) with its words in
/// `lang`, reading only the folder's files. Returns the written paths, sorted.
pub fn draw_run_charts(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>> {
    let data = RunData::load(dir)?;
    let out = dir.join("charts");
    let mut written = Vec::new();
    for figure in Figure::all() {
        let (svg, png) = chart::write(
            &out,
            &RunChart {
                figure,
                data: &data,
                look: Look::new(lang),
            },
        )
        .with_context(|| format!("drawing the charts of {}", dir.display()))?;
        written.extend([svg, png]);
    }
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_unique_and_file_safe() {
        let mut stems: Vec<String> = Figure::all().iter().map(Figure::stem).collect();
        assert!(stems.iter().all(|s| s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')));
        let n = stems.len();
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), n);
        assert!(stems.contains(&"indicator-voice_parity-newcomers".to_string()));
    }
}
