//! Running a sweep's cells: each cell is the base scenario with the cell's values applied as
//! `--set` overrides, run for the scenario's replicates on the scenario's seed (so cells differ
//! only by their parameters: common random numbers across cells), and summarized per indicator.

use super::grid::{display_value, Cells};
use super::store::Store;
use super::Scope;
use crate::metrics::{Row, INDICATORS, N_INDICATORS};
use crate::model::group::Design;
use crate::output::csv::num;
use crate::scenario::{load_str, Scenario};
use crate::sim::replicates::{for_each_replicate, RunPlan};
use crate::stats::{OnlineStats, Summary};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::fmt::Write;

/// Statistics written per indicator in `sweep.csv`.
pub const STATS: [&str; 5] = ["mean", "sd", "ci_low", "ci_high", "n"];

/// A sweep ready to run: the scenario text (without its `[sweep]` table), the run flags'
/// overrides, and the cells.
pub struct SweepRun<'a> {
    pub text: &'a str,
    /// The scenario file name, for messages.
    pub origin: &'a str,
    /// `--set`, `--replicates`, `--weeks`, `--seed` as overrides (applied before a cell's).
    pub overrides: &'a [String],
    pub cells: &'a Cells,
    pub scope: Scope,
}

/// What one cell produced.
pub struct CellResult {
    /// `sweep.csv` header and this cell's row.
    pub row: Vec<u8>,
    /// `sweep-replicates.csv` header and this cell's rows, when kept.
    pub replicates: Option<Vec<u8>>,
    /// Replicates run.
    pub n: u64,
}

/// Quotes a CSV field when it needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `sweep.csv` header: `cell,<keys...>,` then `<indicator>_<stat>` for each indicator and
/// stat of [`STATS`].
pub fn header(keys: &[String]) -> String {
    let mut h = String::from("cell");
    for k in keys {
        h.push(',');
        h.push_str(&field(k));
    }
    for name in INDICATORS {
        for s in STATS {
            let _ = write!(h, ",{name}_{s}");
        }
    }
    h
}

/// `sweep-replicates.csv` header: `cell,replicate,<keys...>,<indicators...>`.
pub fn replicates_header(keys: &[String]) -> String {
    let mut h = String::from("cell,replicate");
    for k in keys
        .iter()
        .map(|k| field(k))
        .chain(INDICATORS.iter().map(|s| s.to_string()))
    {
        h.push(',');
        h.push_str(&k);
    }
    h
}

fn params(cells: &Cells, c: usize) -> String {
    cells.values[c]
        .iter()
        .map(|v| format!(",{}", field(&display_value(v))))
        .collect()
}

/// One cell's `sweep.csv` row (without newline).
pub fn row(cells: &Cells, c: usize, stats: &[Summary]) -> String {
    let mut out = format!("{c}{}", params(cells, c));
    for s in stats {
        let _ = write!(
            out,
            ",{},{},{},{},{}",
            num(s.mean),
            num(s.sd),
            num(s.ci_low),
            num(s.ci_high),
            s.n
        );
    }
    out
}

impl SweepRun<'_> {
    /// The scenario of cell `c` (the base with the cell's overrides last).
    pub fn scenario(&self, c: usize) -> Result<Scenario> {
        let mut o = self.overrides.to_vec();
        o.extend(self.cells.overrides(c));
        load_str(self.text, self.origin, &o).with_context(|| {
            format!(
                "sweep cell {c} ({}) is not a valid scenario",
                self.cells.overrides(c).join(", ")
            )
        })
    }

    /// Checks every cell's scenario, so that a bad value stops the sweep before any work.
    pub fn check(&self) -> Result<()> {
        // The first bad cell in cell order, whatever the thread count.
        match (0..self.cells.len())
            .into_par_iter()
            .find_map_first(|c| self.scenario(c).err())
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Runs cell `c` on the current rayon pool.
    pub fn run_cell(&self, c: usize, keep: bool) -> Result<CellResult> {
        let s = self.scenario(c)?;
        let designs = Design::compile_all(&s);
        let plan = RunPlan {
            seed: s.seed,
            replicates: s.replicates as u64,
            first_replicate: 0,
            weeks: s.weeks,
            per_group: false,
            keep_replicates: false,
        };
        let mut stats = vec![OnlineStats::exact(); N_INDICATORS];
        let mut kept = keep.then(|| replicates_header(&self.cells.keys) + "\n");
        let p = params(self.cells, c);
        for_each_replicate(&designs, &plan, |r| {
            let values: Row = self.scope.row(&r);
            for (st, x) in stats.iter_mut().zip(values) {
                st.push(x);
            }
            if let Some(out) = kept.as_mut() {
                let _ = write!(out, "{c},{}{p}", r.replicate);
                for x in values {
                    out.push(',');
                    out.push_str(&num(x));
                }
                out.push('\n');
            }
        });
        let summaries: Vec<Summary> = stats.iter().map(OnlineStats::summary).collect();
        let row = format!(
            "{}\n{}\n",
            header(&self.cells.keys),
            row(self.cells, c, &summaries)
        );
        Ok(CellResult {
            row: row.into_bytes(),
            replicates: kept.map(String::into_bytes),
            n: plan.replicates,
        })
    }

    /// Runs `pending` cells in parallel on the current rayon pool, committing each to `store` as
    /// it finishes; `done(replicates)` is called after each commit.
    pub fn run_cells(
        &self,
        store: &Store,
        pending: &[usize],
        keep: bool,
        done: impl Fn(u64) + Sync,
    ) -> Result<()> {
        pending.par_iter().try_for_each(|&c| {
            let r = self.run_cell(c, keep)?;
            store.commit(c, &r.row, r.replicates.as_deref())?;
            done(r.n);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::grid::SweepSpec;

    #[test]
    fn a_cell_equals_a_run_of_the_scenario_with_its_values_set() {
        let text = std::fs::read_to_string("scenarios/knitting-cafe.toml").unwrap();
        let cells = SweepSpec::from_flags(&["activity.co_design=0.2,0.7".into()], None, &[])
            .unwrap()
            .cells(1, &|_| false)
            .unwrap();
        let overrides = vec![
            "scenario.replicates=4".to_string(),
            "scenario.weeks=6".to_string(),
        ];
        let run = SweepRun {
            text: &text,
            origin: "kc",
            overrides: &overrides,
            cells: &cells,
            scope: Scope::FinalWeek,
        };
        run.check().unwrap();
        let r = run.run_cell(1, true).unwrap();
        let mut o = overrides.clone();
        o.push("activity.co_design=0.7".into());
        let s = load_str(&text, "kc", &o).unwrap();
        let agg = crate::sim::replicates::run_scenario(&s);
        let row = String::from_utf8(r.row).unwrap();
        let (head, line) = row.trim_end().split_once('\n').unwrap();
        let cols: Vec<&str> = head.split(',').collect();
        let vals: Vec<&str> = line.split(',').collect();
        assert_eq!(cols.len(), vals.len());
        assert_eq!(vals[..2], ["1", "0.7"]);
        let k = crate::metrics::indicator_index("voice_parity").unwrap();
        let at = cols.iter().position(|c| *c == "voice_parity_mean").unwrap();
        assert_eq!(vals[at], num(agg.final_week[k].summary().mean));
        assert_eq!(vals[at + 4], agg.final_week[k].summary().n.to_string());
        let reps = String::from_utf8(r.replicates.unwrap()).unwrap();
        assert_eq!(reps.lines().count(), 1 + 4);
        assert!(reps.lines().nth(1).unwrap().starts_with("1,0,0.7,"));
    }

    #[test]
    fn an_invalid_cell_is_named_before_anything_runs() {
        let text = std::fs::read_to_string("scenarios/knitting-cafe.toml").unwrap();
        let cells = SweepSpec::from_flags(&["activity.co_design=0.5,1.5".into()], None, &[])
            .unwrap()
            .cells(1, &|_| false)
            .unwrap();
        let run = SweepRun {
            text: &text,
            origin: "kc",
            overrides: &[],
            cells: &cells,
            scope: Scope::FinalWeek,
        };
        let e = run.check().unwrap_err();
        assert!(format!("{e:#}").contains("cell 1"), "{e:#}");
        assert!(
            e.chain().any(|c| c.is::<crate::scenario::ScenarioError>()),
            "exit code 2"
        );
    }

    #[test]
    fn csv_fields_with_commas_are_quoted() {
        assert_eq!(field("{beta=[2,2]}"), "\"{beta=[2,2]}\"");
        assert_eq!(field("a\"b,"), "\"a\"\"b,\"");
        assert_eq!(field("0.5"), "0.5");
    }
}
