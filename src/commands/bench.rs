//! `dugnad bench`: times the simulation core on the benchmark scenario (docs/performance.md).

use crate::bench::{self, Options};
use crate::cli::BenchCmd;
use crate::sim::replicates::RunPlan;
use anyhow::Result;

/// `dugnad bench [SCENARIO]`.
pub fn bench(cmd: &BenchCmd) -> Result<()> {
    crate::commands::refuse_folder_flags(&cmd.run, "bench")?;
    if cmd.repeats == 0 {
        return Err(crate::commands::UsageError("--repeats must be at least 1".into()).into());
    }
    let l = crate::commands::run::load(&cmd.scenario, &cmd.run)?;
    let plan = RunPlan::for_scenario(&l.scenario);
    let quiet = cmd.run.quiet || cmd.json;
    let opts = Options {
        threads: cmd.run.threads,
        repeats: cmd.repeats,
    };
    if !quiet {
        eprintln!(
            "benchmarking {}: {} replicates × {} weeks, {} repeats on 1 thread and on {} …",
            l.scenario.name,
            plan.replicates,
            plan.weeks,
            cmd.repeats,
            opts.threads
                .map(|t| format!("{t} threads"))
                .unwrap_or_else(|| "all cores".into())
        );
    }
    let report = bench::run(&l.scenario.name, &l.designs, &plan, &opts, |line| {
        if !quiet {
            eprintln!("  {line}");
        }
    })?;
    if cmd.json {
        print!("{}", report.json());
    } else {
        print!("{}", report.table());
    }
    if cmd.check && !report.targets_met() {
        anyhow::bail!(
            "performance targets missed: {} (see docs/performance.md)",
            report.missed_targets().join("; ")
        );
    }
    Ok(())
}
