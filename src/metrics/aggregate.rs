//! Aggregation across replicates, on the fly and in replicate order (so the thread count never
//! changes a byte): per week and indicator a streaming summary (percentiles exact up to
//! `stats::quantile::LEVEL_CAPACITY` replicates, within a stated rank bound beyond), per
//! replicate its final week and its run mean (held, so their percentiles are exact order
//! statistics); per-replicate series only when asked.

use super::series::{Layout, Row};
use crate::stats::{OnlineStats, Summary};

/// What one replicate produced.
#[derive(Debug, Clone)]
pub struct ReplicateResult {
    pub replicate: u64,
    /// Pooled indicator row per week (index 0 = week 1).
    pub rows: Vec<Row>,
    /// Per group (in design order, then group index), rows per week; only with `--per-group`.
    pub group_rows: Option<Vec<Vec<Row>>>,
    /// Snapshots of persons and ties (group order, then week) at the weeks the plan asked for.
    pub snapshots: Vec<super::snapshot::GroupSnapshot>,
}

impl ReplicateResult {
    /// Final-week row (empty when no week ran).
    pub fn final_row(&self) -> Row {
        self.rows.last().cloned().unwrap_or_default()
    }

    /// Each series' mean over the weeks where it is defined.
    pub fn run_mean(&self) -> Row {
        let width = self.rows.first().map_or(0, Vec::len);
        let mut out = vec![f64::NAN; width];
        for (k, o) in out.iter_mut().enumerate() {
            let (s, n) = self
                .rows
                .iter()
                .map(|r| r[k])
                .filter(|x| !x.is_nan())
                .fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
            if n > 0 {
                *o = s / n as f64;
            }
        }
        out
    }
}

/// Streaming statistics of a run.
#[derive(Debug, Clone)]
pub struct RunAggregate {
    pub weeks: u32,
    /// The series of the run's rows.
    pub layout: Layout,
    /// weeks × series, row-major by week.
    pub by_week: Vec<OnlineStats>,
    /// Per series, exact (every value kept, as in `finals`).
    pub final_week: Vec<OnlineStats>,
    /// Per series, exact (every value kept, as in `means`).
    pub run_mean: Vec<OnlineStats>,
    /// (replicate, final-week row), in replicate order.
    pub finals: Vec<(u64, Row)>,
    /// (replicate, run-mean row), in replicate order.
    pub means: Vec<(u64, Row)>,
    /// Every replicate's series, when kept.
    pub kept: Option<Vec<(u64, Vec<Row>)>>,
    /// Per group: weeks × series stats, when asked.
    pub groups: Option<Vec<Vec<OnlineStats>>>,
    /// (replicate, snapshot) of every group at the weeks the plan asked for, in replicate order.
    pub snapshots: Vec<(u64, super::snapshot::GroupSnapshot)>,
}

impl RunAggregate {
    pub fn new(
        weeks: u32,
        layout: Layout,
        keep_replicates: bool,
        groups: Option<usize>,
    ) -> RunAggregate {
        let width = layout.len();
        let cells = weeks as usize * width;
        RunAggregate {
            weeks,
            layout,
            by_week: vec![OnlineStats::new(); cells],
            final_week: vec![OnlineStats::exact(); width],
            run_mean: vec![OnlineStats::exact(); width],
            finals: Vec::new(),
            means: Vec::new(),
            kept: keep_replicates.then(Vec::new),
            groups: groups.map(|g| vec![vec![OnlineStats::new(); cells]; g]),
            snapshots: Vec::new(),
        }
    }

    /// Folds one replicate in. Call in replicate order.
    pub fn push(&mut self, r: ReplicateResult) {
        let width = self.layout.len();
        for (w, row) in r.rows.iter().enumerate() {
            for (k, x) in row.iter().enumerate() {
                self.by_week[w * width + k].push(*x);
            }
        }
        let fin = r.final_row();
        let mean = r.run_mean();
        for k in 0..width.min(fin.len()) {
            self.final_week[k].push(fin[k]);
            self.run_mean[k].push(mean[k]);
        }
        self.finals.push((r.replicate, fin));
        self.means.push((r.replicate, mean));
        if let (Some(groups), Some(group_rows)) = (self.groups.as_mut(), r.group_rows.as_ref()) {
            for (stats, rows) in groups.iter_mut().zip(group_rows) {
                for (w, row) in rows.iter().enumerate() {
                    for (k, x) in row.iter().enumerate() {
                        stats[w * width + k].push(*x);
                    }
                }
            }
        }
        let replicate = r.replicate;
        self.snapshots
            .extend(r.snapshots.into_iter().map(|s| (replicate, s)));
        if let Some(kept) = self.kept.as_mut() {
            kept.push((r.replicate, r.rows));
        }
    }

    /// Summary of series `k` at week `week` (1-based).
    pub fn week_summary(&self, week: u32, k: usize) -> Summary {
        self.by_week[(week as usize - 1) * self.layout.len() + k].summary()
    }

    pub fn replicates(&self) -> usize {
        self.finals.len()
    }
}
