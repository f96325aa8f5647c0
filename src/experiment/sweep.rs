//! Running a sweep's cells: each cell is the base scenario with the cell's values applied as
//! `--set` overrides, run for the scenario's replicates on the scenario's seed (so cells differ
//! only by their parameters: common random numbers across cells), and summarized per indicator.

use super::grid::{display_value, take_sweep_table, Cells, SweepSpec};
use super::shard::Shard;
use super::store::{Store, SweepDef};
use super::{default_output, Scope, Stopped};
use crate::cli::{RunArgs, SweepCmd};
use crate::metrics::{Layout, Row};
use crate::model::group::Design;
use crate::output::csv;
use crate::output::run::{value_columns, value_rows};
use crate::output::table::{Cell, Column, Table};
use crate::scenario::{load_str, to_toml, Scenario, Source};
use crate::sim::replicates::{for_each_replicate, RunPlan};
use crate::stats::{OnlineStats, Summary};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Statistics written per (indicator, lens) in `sweep.csv`.
pub const STATS: [&str; 5] = ["mean", "sd", "ci_low", "ci_high", "n"];

/// The scenario a sweep or a sensitivity analysis varies: the file's text without its `[sweep]`
/// table, the run flags as overrides, and the base scenario they make.
pub struct Base {
    pub text: String,
    /// The scenario file name, for messages.
    pub origin: String,
    /// `--set`, `--replicates`, `--weeks`, `--seed` as overrides (applied before a cell's).
    pub overrides: Vec<String>,
    pub scenario: Scenario,
    /// The base scenario, fully resolved, as TOML.
    pub resolved: String,
    /// The sweep the file's `[sweep]` table declares, if it has one.
    pub declared: Option<SweepSpec>,
}

impl Base {
    /// Reads `file` and applies the run flags.
    pub fn load(file: &Path, run: &RunArgs) -> Result<Base> {
        Base::from_source(&Source::read(file)?, run)
    }

    /// A scenario given as a [`Source`], with its overrides and then the run flags applied.
    pub fn from_source(source: &Source, run: &RunArgs) -> Result<Base> {
        let origin = source.origin.clone();
        let (text, declared) = take_sweep_table(&source.text, &origin)?;
        let overrides = source.overrides_with(&run.overrides());
        let scenario = load_str(&text, &origin, &overrides)
            .map_err(|e| super::attribute_flags(e.into(), run))?;
        let resolved = to_toml(&scenario);
        Ok(Base {
            text,
            origin,
            overrides,
            scenario,
            resolved,
            declared,
        })
    }

    /// Whether the base holds an integer at a dotted key (such a key is varied in whole numbers).
    pub fn is_integer_at(&self, key: &str) -> bool {
        is_integer_at(&self.resolved, key)
    }

    /// `cells` of this base, summarized in `scope`, ready to run.
    pub fn runner<'a>(&'a self, cells: &'a Cells, scope: Scope) -> SweepRun<'a> {
        SweepRun {
            text: &self.text,
            origin: &self.origin,
            overrides: &self.overrides,
            cells,
            scope,
        }
    }
}

/// Whether a resolved scenario (TOML text) holds an integer at a dotted path
/// ([`crate::scenario::to_toml::is_integer_at`]).
pub fn is_integer_at(resolved_toml: &str, key: &str) -> bool {
    crate::scenario::to_toml::is_integer_at(resolved_toml, key)
}

/// Cells of a base scenario committed to a sweep folder: what a sweep and a sensitivity
/// analysis have in common.
pub struct Sweep {
    pub base: Base,
    pub cells: Cells,
    pub scope: Scope,
    /// Only this shard's cells run (`--shard I/N`).
    pub shard: Option<Shard>,
    /// The sweep folder.
    pub target: PathBuf,
}

impl Sweep {
    /// The sweep of `cells` over `base`, with every cell checked: a cell that is not a valid
    /// scenario stops it before any work.
    pub fn new(
        base: Base,
        cells: Cells,
        scope: Scope,
        shard: Option<Shard>,
        target: PathBuf,
    ) -> Result<Sweep> {
        let sweep = Sweep {
            base,
            cells,
            scope,
            shard,
            target,
        };
        sweep.runner().check()?;
        Ok(sweep)
    }

    /// The cells, ready to run.
    pub fn runner(&self) -> SweepRun<'_> {
        self.base.runner(&self.cells, self.scope)
    }

    /// The sweep's definition (`sweep.json`), whose identity a resumed folder must match.
    pub fn def(&self) -> SweepDef {
        SweepDef::new(&self.base.scenario, self.scope, self.cells.clone())
    }
}

/// A sweep, planned.
pub struct Plan {
    pub sweep: Sweep,
    /// Whether every cell's per-replicate rows are kept (`--keep-replicates`).
    pub keep: bool,
}

impl Plan {
    /// Plans `dugnad sweep`: the file's `[sweep]` table overridden by the flags, made into
    /// checked cells.
    pub fn from_args(cmd: &SweepCmd) -> Result<Plan> {
        Plan::from_source(&Source::read(&cmd.scenario)?, cmd)
    }

    /// Plans `dugnad sweep` of a scenario given as a [`Source`] (a program's scenario text)
    /// with `cmd`'s flags; `cmd.scenario` is not read.
    pub fn from_source(source: &Source, cmd: &SweepCmd) -> Result<Plan> {
        let scope = Scope::parse(&cmd.scope)?;
        let base = Base::from_source(source, &cmd.run)?;
        let flags = SweepSpec::from_flags(&cmd.vary, cmd.sample.as_deref(), &cmd.range)?;
        let spec = base
            .declared
            .clone()
            .unwrap_or_default()
            .overridden_by(flags);
        let cells = spec.cells(base.scenario.seed, &|key| base.is_integer_at(key))?;
        let shard = cmd.shard.as_deref().map(Shard::parse).transpose()?;
        let target = cmd
            .run
            .output
            .clone()
            .unwrap_or_else(|| default_output(&format!("sweep-{}", base.scenario.name)));
        Ok(Plan {
            sweep: Sweep::new(base, cells, scope, shard, target)?,
            keep: cmd.keep_replicates,
        })
    }
}

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
    /// The cell's `sweep` row, with the header, as CSV (the store's commit format).
    pub row: Vec<u8>,
    /// The cell's `sweep-replicates` rows, with the header, as CSV, when kept.
    pub replicates: Option<Vec<u8>>,
    /// Replicates run.
    pub n: u64,
}

/// Columns of the `sweep` table (long): `cell`, the swept keys, `indicator`, `lens`, then the
/// stats of [`STATS`]; one row per cell and (indicator, lens).
pub fn columns(keys: &[String]) -> Vec<Column> {
    let mut c = vec![Column::int("cell")];
    c.extend(keys.iter().map(Column::text));
    c.extend(["indicator", "lens"].map(Column::text));
    c.extend(STATS[..4].iter().map(|s| Column::num(*s)));
    c.push(Column::int(STATS[4]));
    c
}

/// Columns of the `sweep-replicates` table (long): `cell`, `replicate`, the swept keys,
/// `indicator`, `lens`, `value`.
pub fn replicate_columns(keys: &[String]) -> Vec<Column> {
    let mut leading = vec![Column::int("cell"), Column::int("replicate")];
    leading.extend(keys.iter().map(Column::text));
    value_columns(&leading)
}

/// Cell `c`'s leading cells: its index and its values of the swept keys (as shown).
fn leading<'a>(c: usize, values: &'a [String]) -> Vec<Cell<'a>> {
    let mut row = vec![Cell::Int(c as i64)];
    row.extend(values.iter().map(|v| Cell::Text(v)));
    row
}

/// Cell `c`'s rows of the `sweep` table, one per series of `layout` (the cell's commit file).
pub fn row_table<'a>(
    cells: &Cells,
    c: usize,
    layout: &'a Layout,
    stats: &'a [Summary],
) -> Table<'a> {
    let shown: Vec<String> = cells.values[c].iter().map(|v| display_value(v)).collect();
    Table::new("sweep", columns(&cells.keys), move |sink| {
        for (series, s) in layout.series.iter().zip(stats) {
            let mut row = leading(c, &shown);
            row.extend([Cell::Text(series.name()), Cell::Text(&series.lens_name)]);
            row.extend([s.mean, s.sd, s.ci_low, s.ci_high].map(Cell::Num));
            row.push(Cell::Int(s.n as i64));
            sink(&row)?;
        }
        Ok(())
    })
}

/// Cell `c`'s rows of the `sweep-replicates` table: per replicate (in order) and series, its value.
pub fn replicates_table<'a>(
    cells: &Cells,
    c: usize,
    layout: &'a Layout,
    kept: &'a [(u64, Row)],
) -> Table<'a> {
    let shown: Vec<String> = cells.values[c].iter().map(|v| display_value(v)).collect();
    Table::new(
        "sweep-replicates",
        replicate_columns(&cells.keys),
        move |sink| {
            for (r, values) in kept {
                let mut lead = leading(c, &shown);
                lead.insert(1, Cell::Int(*r as i64));
                value_rows(sink, layout, &lead, values)?;
            }
            Ok(())
        },
    )
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
        let layout = designs.first().map(Layout::of).unwrap_or_default();
        let plan = RunPlan::for_scenario(&s);
        let mut stats = vec![OnlineStats::exact(); layout.len()];
        let mut kept = Vec::new();
        for_each_replicate(&designs, &plan, |r| {
            let values: Row = self.scope.row(&r);
            for (st, x) in stats.iter_mut().zip(&values) {
                st.push(*x);
            }
            if keep {
                kept.push((r.replicate, values));
            }
        });
        let summaries: Vec<Summary> = stats.iter().map(OnlineStats::summary).collect();
        let row = csv::to_bytes(&row_table(self.cells, c, &layout, &summaries))?;
        let replicates = if keep {
            Some(csv::to_bytes(&replicates_table(
                self.cells, c, &layout, &kept,
            ))?)
        } else {
            None
        };
        Ok(CellResult {
            row,
            replicates,
            n: plan.replicates,
        })
    }

    /// Runs `pending` cells in parallel on the current rayon pool, committing each to `store` as
    /// it finishes; `done(replicates)` is called after each commit. Once `stop` is set, no
    /// further cell starts and the call ends with [`Stopped`] (the cells committed are kept).
    pub fn run_cells(
        &self,
        store: &Store,
        pending: &[usize],
        keep: bool,
        done: impl Fn(u64) + Sync,
        stop: Option<&AtomicBool>,
    ) -> Result<()> {
        pending.par_iter().try_for_each(|&c| {
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return Err(Stopped.into());
            }
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

    /// The knitting café's text and the cells of sweeping `activity.co_design` over `values`.
    fn knitting_cafe_over_co_design(values: &str) -> (String, Cells) {
        let text = std::fs::read_to_string("scenarios/knitting-cafe.toml").unwrap();
        let cells = SweepSpec::from_flags(&[format!("activity.co_design={values}")], None, &[])
            .unwrap()
            .cells(1, &|_| false)
            .unwrap();
        (text, cells)
    }

    /// A sweep of `text` (named "kc") over `cells` with `overrides`, kept at the final week.
    fn final_week_run<'a>(
        text: &'a str,
        overrides: &'a [String],
        cells: &'a Cells,
    ) -> SweepRun<'a> {
        SweepRun {
            text,
            origin: "kc",
            overrides,
            cells,
            scope: Scope::FinalWeek,
        }
    }

    #[test]
    fn a_cell_equals_a_run_of_the_scenario_with_its_values_set() {
        let (text, cells) = knitting_cafe_over_co_design("0.2,0.7");
        let overrides = vec![
            "scenario.replicates=4".to_string(),
            "scenario.weeks=6".to_string(),
        ];
        let run = final_week_run(&text, &overrides, &cells);
        run.check().unwrap();
        let r = run.run_cell(1, true).unwrap();
        let mut o = overrides.clone();
        o.push("activity.co_design=0.7".into());
        let s = load_str(&text, "kc", &o).unwrap();
        let agg = crate::sim::replicates::run_scenario(&s);
        let row = String::from_utf8(r.row).unwrap();
        let mut lines = row.lines();
        let cols: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(
            cols,
            [
                "cell",
                "activity.co_design",
                "indicator",
                "lens",
                "mean",
                "sd",
                "ci_low",
                "ci_high",
                "n"
            ]
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), agg.layout.len());
        let k = agg.layout.position("voice_parity", "newcomers").unwrap();
        let vals = &rows[k];
        assert_eq!(vals[..4], ["1", "0.7", "voice_parity", "newcomers"]);
        assert_eq!(vals[4], csv::num(agg.final_week[k].summary().mean));
        assert_eq!(vals[8], agg.final_week[k].summary().n.to_string());
        let reps = String::from_utf8(r.replicates.unwrap()).unwrap();
        assert_eq!(reps.lines().count(), 1 + 4 * agg.layout.len());
        assert!(reps
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("1,0,0.7,voice_share,newcomers,"));
    }

    #[test]
    fn a_stopped_sweep_starts_no_further_cell() {
        let (text, cells) = knitting_cafe_over_co_design("0.2,0.7");
        let overrides = vec!["scenario.replicates=2".into(), "scenario.weeks=3".into()];
        let run = final_week_run(&text, &overrides, &cells);
        let base = load_str(&text, "kc", &overrides).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let def = SweepDef::new(&base, Scope::FinalWeek, cells.clone());
        let (store, _) = Store::open(&dir.path().join("s"), def, false).unwrap();
        let stop = AtomicBool::new(true);
        let e = run
            .run_cells(&store, &[0, 1], false, |_| {}, Some(&stop))
            .unwrap_err();
        assert!(e.is::<Stopped>(), "{e:#}");
        assert_eq!(store.pending(Shard::ALL, false).unwrap(), [0, 1]);
        stop.store(false, Ordering::Relaxed);
        run.run_cells(&store, &[0, 1], false, |_| {}, Some(&stop))
            .unwrap();
        assert!(store.pending(Shard::ALL, false).unwrap().is_empty());
    }

    #[test]
    fn integer_detection_reads_the_resolved_scenario() {
        let t = "[scenario]\nweeks = 3\n[activity]\nco_design = 0.5\n";
        assert!(is_integer_at(t, "scenario.weeks"));
        assert!(!is_integer_at(t, "activity.co_design"));
        assert!(!is_integer_at(t, "stereotypes.western"));
        let t = "[scenario]\nweeks = 3\n[[schedule]]\nweek = 2\nset = { \"population.x.count\" = 4, \"activity.co_design\" = 0.5 }\n";
        assert!(is_integer_at(t, "schedule.0.week"));
        assert!(is_integer_at(t, "schedule.0.set.population.x.count"));
        assert!(!is_integer_at(t, "schedule.0.set.activity.co_design"));
        assert!(!is_integer_at(t, "schedule.1.week"));
    }

    #[test]
    fn an_invalid_cell_is_named_before_anything_runs() {
        let (text, cells) = knitting_cafe_over_co_design("0.5,1.5");
        let run = final_week_run(&text, &[], &cells);
        let e = run.check().unwrap_err();
        assert!(format!("{e:#}").contains("cell 1"), "{e:#}");
        assert!(
            e.chain().any(|c| c.is::<crate::scenario::ScenarioError>()),
            "exit code 2"
        );
    }
}
