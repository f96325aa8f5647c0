//! A run: one scenario's replicates simulated and aggregated (`dugnad run`), the simplest
//! experiment and the base the others build on.

use super::{default_output, Refusal};
use crate::cli::{RunArgs, RunCmd};
use crate::metrics::aggregate::RunAggregate;
use crate::model::group::Design;
use crate::output::manifest::{Manifest, Provenance};
use crate::output::table::Table;
use crate::scenario::{Scenario, Source};
use crate::sim::replicates::{group_count, run_plan, RunPlan};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The most group-weeks `--per-group` aggregates in memory.
pub const MAX_PER_GROUP_CELLS: u64 = 2_000_000;

/// A scenario loaded with the run flags applied.
pub struct Loaded {
    /// The scenario file (a scenario given as text: the name its source goes by).
    pub file: PathBuf,
    pub scenario: Scenario,
    /// The source's overrides, then `--set`, `--replicates`, `--weeks`, `--seed` as overrides,
    /// in the order applied.
    pub overrides: Vec<String>,
    pub designs: Vec<Design>,
}

/// Loads a scenario with `--set`, `--replicates`, `--weeks`, `--seed` applied.
pub fn load(file: &Path, args: &RunArgs) -> Result<Loaded> {
    Loaded::from_source(&Source::read(file)?, args)
}

impl Loaded {
    /// Loads a scenario given as a [`Source`] with `--set`, `--replicates`, `--weeks`, `--seed`
    /// applied.
    pub fn from_source(source: &Source, args: &RunArgs) -> Result<Loaded> {
        let overrides = source.overrides_with(&args.overrides());
        let scenario = source
            .load(&args.overrides())
            .map_err(|e| super::attribute_flags(e.into(), args))?;
        let designs = Design::compile_all(&scenario);
        Ok(Loaded {
            file: PathBuf::from(&source.origin),
            scenario,
            overrides,
            designs,
        })
    }
}

/// Labels (activity key, index within the activity) of every group, in simulation order.
pub fn group_labels(designs: &[Design]) -> Vec<(String, u32)> {
    designs
        .iter()
        .flat_map(|d| (0..d.activity.groups).map(move |g| (d.activity.key.clone(), g)))
        .collect()
}

/// A run, planned: the loaded scenario, how its replicates run, where the result goes.
pub struct Plan {
    pub loaded: Loaded,
    pub replicates: RunPlan,
    /// The result folder.
    pub target: PathBuf,
    /// Write agents.csv and ties.csv (`--agents`).
    pub agents: bool,
    /// Write the GraphML networks (`--network graphml`).
    pub network: bool,
}

impl Plan {
    /// Plans `dugnad run`: loads the scenario and refuses a `--per-group` too large to hold.
    pub fn from_args(cmd: &RunCmd) -> Result<Plan> {
        Plan::from_source(&Source::read(&cmd.scenario)?, cmd)
    }

    /// Plans `dugnad run` of a scenario given as a [`Source`] (a program's scenario text) with
    /// `cmd`'s flags; `cmd.scenario` is not read.
    pub fn from_source(source: &Source, cmd: &RunCmd) -> Result<Plan> {
        let loaded = Loaded::from_source(source, &cmd.run)?;
        let s = &loaded.scenario;
        if cmd.per_group {
            let groups = group_count(&loaded.designs);
            if groups as u64 * s.weeks as u64 > MAX_PER_GROUP_CELLS {
                return Err(Refusal(format!(
                    "--per-group with {groups} groups × {} weeks is too large to aggregate in memory; reduce groups or weeks",
                    s.weeks
                ))
                .into());
            }
        }
        if let Some(w) = cmd
            .snapshot_weeks
            .iter()
            .find(|w| **w == 0 || **w > s.weeks)
        {
            return Err(Refusal(format!(
                "--snapshot-weeks: week {w} is not a week of the run (1 … {})",
                s.weeks
            ))
            .into());
        }
        if !cmd.snapshot_weeks.is_empty() && !cmd.agents && cmd.network.is_none() {
            return Err(Refusal(
                "--snapshot-weeks needs --agents or --network graphml".to_string(),
            )
            .into());
        }
        let snapshots = if cmd.agents || cmd.network.is_some() {
            let mut w = cmd.snapshot_weeks.clone();
            w.push(s.weeks);
            w
        } else {
            Vec::new()
        };
        let replicates = RunPlan::for_scenario(s)
            .with_per_group(cmd.per_group)
            .with_kept_replicates(cmd.keep_replicates)
            .with_snapshots(snapshots);
        let target = cmd
            .run
            .output
            .clone()
            .unwrap_or_else(|| default_output(&s.name));
        Ok(Plan {
            loaded,
            replicates,
            target,
            agents: cmd.agents,
            network: cmd.network.is_some(),
        })
    }

    /// Simulates the replicates on the current rayon pool and aggregates them; `progress` is
    /// told how many replicates are done.
    pub fn run(&self, progress: impl FnMut(u64)) -> RunAggregate {
        run_plan(&self.loaded.designs, &self.replicates, progress)
    }

    /// Hands `f` the tables a run of this plan writes: the run's tables, and with `--agents` the
    /// agents' and ties' tables.
    pub fn with_tables<T>(&self, agg: &RunAggregate, f: impl FnOnce(&[Table]) -> T) -> T {
        let designs = &self.loaded.designs;
        let labels = group_labels(designs);
        let mut tables = crate::output::run::tables(agg, &labels);
        if self.agents {
            tables.push(crate::output::agents::agents(agg, designs));
            tables.push(crate::output::agents::ties(agg, designs));
        }
        f(&tables)
    }

    /// The manifest of a run of this plan on `threads` threads that took `wall_time_seconds`
    /// and wrote `files`.
    pub fn manifest(
        &self,
        provenance: Provenance,
        threads: usize,
        wall_time_seconds: f64,
        files: Vec<String>,
    ) -> Manifest {
        let l = &self.loaded;
        Manifest {
            provenance,
            scenario_file: l.file.display().to_string(),
            overrides: l.overrides.clone(),
            seed: l.scenario.seed,
            replicates: l.scenario.replicates,
            weeks: l.scenario.weeks,
            threads,
            wall_time_seconds,
            files,
            scenario: l.scenario.clone(),
        }
    }
}
