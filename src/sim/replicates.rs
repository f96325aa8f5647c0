//! The replicate runner: replicates in parallel (rayon), results folded in replicate order.
//! Groups within a replicate are independent, so each group runs through all its weeks before
//! the next starts: memory holds one group at a time, whatever the number of groups.

use super::engine::GroupRun;
use super::events::NoEvents;
use crate::metrics::aggregate::{ReplicateResult, RunAggregate};
use crate::metrics::{indicator_row, WeekTally};
use crate::model::group::Design;
use rayon::prelude::*;

/// How to run replicates.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub seed: u64,
    pub replicates: u64,
    /// First replicate index (adaptive comparisons add replicates in batches).
    pub first_replicate: u64,
    pub weeks: u32,
    pub per_group: bool,
    pub keep_replicates: bool,
}

/// Total groups of one replicate across designs.
pub fn group_count(designs: &[Design]) -> usize {
    designs.iter().map(|d| d.activity.groups as usize).sum()
}

/// Runs one replicate: every group of every design through all weeks, pooled per week.
pub fn run_replicate(designs: &[Design], seed: u64, replicate: u64, weeks: u32, per_group: bool) -> ReplicateResult {
    let mut pooled = vec![WeekTally::default(); weeks as usize];
    let mut group_rows = per_group.then(Vec::new);
    for d in designs {
        for gi in 0..d.activity.groups as u64 {
            let mut run = GroupRun::new(d, seed, replicate, gi);
            let mut rows = group_rows.as_ref().map(|_| Vec::with_capacity(weeks as usize));
            for pool in pooled.iter_mut() {
                let t = run.step(&mut NoEvents);
                pool.add(&t);
                if let Some(rows) = rows.as_mut() {
                    rows.push(indicator_row(&t));
                }
            }
            if let (Some(all), Some(rows)) = (group_rows.as_mut(), rows) {
                all.push(rows);
            }
        }
    }
    ReplicateResult { replicate, rows: pooled.iter().map(indicator_row).collect(), group_rows }
}

/// Runs replicates `first..first+replicates` on the current rayon pool, calling `sink` with
/// each result in replicate order. Memory holds at most one chunk of results at a time.
pub fn for_each_replicate(designs: &[Design], plan: &RunPlan, mut sink: impl FnMut(ReplicateResult)) {
    let chunk = (rayon::current_num_threads() * 4).max(1) as u64;
    let end = plan.first_replicate + plan.replicates;
    let mut start = plan.first_replicate;
    while start < end {
        let stop = (start + chunk).min(end);
        let results: Vec<ReplicateResult> = (start..stop)
            .into_par_iter()
            .map(|r| run_replicate(designs, plan.seed, r, plan.weeks, plan.per_group))
            .collect();
        for r in results {
            sink(r);
        }
        start = stop;
    }
}

/// Runs a plan and aggregates it; `progress` is told how many replicates are done.
pub fn run_plan(designs: &[Design], plan: &RunPlan, mut progress: impl FnMut(u64)) -> RunAggregate {
    let groups = plan.per_group.then(|| group_count(designs));
    let mut agg = RunAggregate::new(plan.weeks, plan.keep_replicates, groups);
    let mut done = 0;
    for_each_replicate(designs, plan, |r| {
        agg.push(r);
        done += 1;
        progress(done);
    });
    agg
}

/// Builds a rayon pool with `threads` threads (all cores when None) and runs `f` inside it.
pub fn with_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> anyhow::Result<T> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        b = b.num_threads(t);
    }
    let pool = b.build()?;
    Ok(pool.install(f))
}

/// Runs a checked scenario on the current rayon pool with its own seed, replicates and weeks.
pub fn run_scenario(s: &crate::scenario::Scenario) -> RunAggregate {
    let designs = Design::compile_all(s);
    let plan = RunPlan {
        seed: s.seed,
        replicates: s.replicates as u64,
        first_replicate: 0,
        weeks: s.weeks,
        per_group: false,
        keep_replicates: false,
    };
    run_plan(&designs, &plan, |_| {})
}
