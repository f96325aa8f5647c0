//! The replicate runner: replicates in parallel (rayon), results folded in replicate order.
//! Groups within a replicate are independent, so each group runs through all its weeks at once
//! and hands back only its weekly sums; groups run in parallel blocks of bounded size (idle
//! threads steal them, so a chunk of replicates ends without threads waiting on one replicate)
//! and are pooled in group order, so the thread count never changes a byte. Memory holds one
//! block of groups' weekly sums per replicate in flight, whatever the number of groups.

use super::engine::GroupRun;
use crate::mechanisms::events::NoEvents;
use crate::metrics::aggregate::{ReplicateResult, RunAggregate};
use crate::metrics::snapshot::{snapshot, GroupSnapshot};
use crate::metrics::{Layout, Row, WeekTally};
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
    /// Weeks at whose end every group's persons and ties are kept (`--agents`, `--network`);
    /// empty: none (the default).
    pub snapshots: Vec<u32>,
}

impl RunPlan {
    /// A scenario's own seed, replicates and weeks, from replicate 0, keeping neither every
    /// replicate's series nor statistics per group.
    pub fn for_scenario(s: &crate::scenario::Scenario) -> RunPlan {
        RunPlan {
            seed: s.seed,
            replicates: s.replicates as u64,
            first_replicate: 0,
            weeks: s.weeks,
            per_group: false,
            keep_replicates: false,
            snapshots: Vec::new(),
        }
    }

    /// Also collects statistics per group (`--per-group`) when `yes`.
    pub fn with_per_group(self, yes: bool) -> RunPlan {
        RunPlan {
            per_group: yes,
            ..self
        }
    }

    /// Also keeps every group's persons and ties at the end of each of `weeks` (sorted,
    /// deduplicated; weeks beyond the run are never reached).
    pub fn with_snapshots(self, mut weeks: Vec<u32>) -> RunPlan {
        weeks.sort_unstable();
        weeks.dedup();
        RunPlan {
            snapshots: weeks,
            ..self
        }
    }

    /// Also keeps every replicate's weekly series (`--keep-replicates`) when `yes`.
    pub fn with_kept_replicates(self, yes: bool) -> RunPlan {
        RunPlan {
            keep_replicates: yes,
            ..self
        }
    }
}

/// Total groups of one replicate across designs.
pub fn group_count(designs: &[Design]) -> usize {
    designs.iter().map(|d| d.activity.groups as usize).sum()
}

/// Work done by a run, counted for benchmarks (`dugnad bench`): replicates, group-weeks,
/// meetings held and speaking turns (one turn of one meeting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Work {
    pub replicates: u64,
    pub group_weeks: u64,
    pub meetings: u64,
    pub turns: u64,
}

impl Work {
    pub fn add(&mut self, o: &Work) {
        self.replicates += o.replicates;
        self.group_weeks += o.group_weeks;
        self.meetings += o.meetings;
        self.turns += o.turns;
    }
}

/// One group run through all its weeks: its weekly sums (and rows with `per_group`, snapshots
/// at the weeks asked).
struct GroupOut {
    tallies: Vec<WeekTally>,
    rows: Option<Vec<Row>>,
    snapshots: Vec<GroupSnapshot>,
}

/// What to keep of each group besides its weekly sums.
#[derive(Clone, Copy)]
struct Keep<'a> {
    per_group: bool,
    snapshots: &'a [u32],
}

fn run_group(
    d: &Design,
    layout: &Layout,
    (seed, replicate, index, number): (u64, u64, u64, u32),
    weeks: u32,
    keep: Keep,
) -> GroupOut {
    let mut run = GroupRun::new(d, seed, replicate, index);
    let mut tallies = Vec::with_capacity(weeks as usize);
    let mut snapshots = Vec::new();
    for week in 1..=weeks {
        tallies.push(run.step(&mut NoEvents).clone());
        if keep.snapshots.binary_search(&week).is_ok() {
            snapshots.push(snapshot(&run.group, d, week, number));
        }
    }
    let rows = keep
        .per_group
        .then(|| tallies.iter().map(|t| layout.row(t)).collect());
    GroupOut {
        tallies,
        rows,
        snapshots,
    }
}

/// Bytes of weekly sums a replicate may hold at once: groups run in parallel blocks of at most
/// this size (so that threads idle at the end of a chunk of replicates steal groups), and are
/// pooled in group order (so the sums, and every byte of output, do not depend on threads).
const BLOCK_BYTES: usize = 1 << 20;

/// Bytes of one week's sums of a design's groups (the tally and its attribute and origin cells).
fn tally_bytes(d: &Design) -> usize {
    let cells = crate::metrics::lens::Cells::of(d).len();
    std::mem::size_of::<WeekTally>()
        + cells * std::mem::size_of::<crate::metrics::observe::LensTally>()
        + d.origins.len() * std::mem::size_of::<crate::metrics::observe::OriginTally>()
}

/// Runs one replicate: every group of every design through all weeks, pooled per week.
pub fn run_replicate(
    designs: &[Design],
    seed: u64,
    replicate: u64,
    weeks: u32,
    per_group: bool,
) -> ReplicateResult {
    run_replicate_counted(designs, seed, replicate, weeks, per_group).0
}

/// [`run_replicate`], also counting the work done.
pub fn run_replicate_counted(
    designs: &[Design],
    seed: u64,
    replicate: u64,
    weeks: u32,
    per_group: bool,
) -> (ReplicateResult, Work) {
    run_replicate_keeping(designs, seed, replicate, weeks, per_group, &[])
}

/// [`run_replicate_counted`], also keeping every group's snapshot at the end of each week of
/// `snapshots` (sorted).
pub fn run_replicate_keeping(
    designs: &[Design],
    seed: u64,
    replicate: u64,
    weeks: u32,
    per_group: bool,
    snapshots: &[u32],
) -> (ReplicateResult, Work) {
    let keep = Keep {
        per_group,
        snapshots,
    };
    let mut pooled = vec![WeekTally::default(); weeks as usize];
    let mut group_rows = per_group.then(Vec::new);
    let layout = designs.first().map(Layout::of).unwrap_or_default();
    let mut work = Work {
        replicates: 1,
        ..Work::default()
    };
    let units: Vec<(&Design, u64, u32)> = designs
        .iter()
        .flat_map(|d| (0..d.activity.groups as u64).map(move |g| (d, g)))
        .enumerate()
        .map(|(k, (d, g))| (d, g, k as u32))
        .collect();
    let mut snapshots = Vec::new();
    let week_bytes = designs.first().map_or(1, tally_bytes);
    let block = (BLOCK_BYTES / (weeks.max(1) as usize * week_bytes)).max(1);
    let parallel = rayon::current_num_threads() > 1;
    for chunk in units.chunks(block) {
        let run = |&(d, g, k): &(&Design, u64, u32)| {
            run_group(d, &layout, (seed, replicate, g, k), weeks, keep)
        };
        let outs: Vec<GroupOut> = if parallel && chunk.len() > 1 {
            chunk.par_iter().with_max_len(1).map(run).collect()
        } else {
            chunk.iter().map(run).collect()
        };
        for o in outs {
            for (pool, t) in pooled.iter_mut().zip(&o.tallies) {
                pool.add(t);
                work.group_weeks += 1;
                work.meetings += t.group.meetings as u64;
                work.turns += t.group.turns as u64;
            }
            if let (Some(all), Some(rows)) = (group_rows.as_mut(), o.rows) {
                all.push(rows);
            }
            snapshots.extend(o.snapshots);
        }
    }
    (
        ReplicateResult {
            replicate,
            rows: pooled.iter().map(|t| layout.row(t)).collect(),
            group_rows,
            snapshots,
        },
        work,
    )
}

/// Runs replicates `first..first+replicates` on the current rayon pool, calling `sink` with
/// each result in replicate order. Memory holds at most one chunk of results at a time.
pub fn for_each_replicate(
    designs: &[Design],
    plan: &RunPlan,
    mut sink: impl FnMut(ReplicateResult),
) {
    for_each_replicate_counted(designs, plan, |r, _| sink(r));
}

/// [`for_each_replicate`], also passing each replicate's work count.
pub fn for_each_replicate_counted(
    designs: &[Design],
    plan: &RunPlan,
    mut sink: impl FnMut(ReplicateResult, Work),
) {
    let chunk = (rayon::current_num_threads() * 4).max(1) as u64;
    let end = plan.first_replicate + plan.replicates;
    let mut start = plan.first_replicate;
    while start < end {
        let stop = (start + chunk).min(end);
        let results: Vec<(ReplicateResult, Work)> = (start..stop)
            .into_par_iter()
            .map(|r| {
                run_replicate_keeping(
                    designs,
                    plan.seed,
                    r,
                    plan.weeks,
                    plan.per_group,
                    &plan.snapshots,
                )
            })
            .collect();
        for (r, w) in results {
            sink(r, w);
        }
        start = stop;
    }
}

/// Runs a plan and aggregates it; `progress` is told how many replicates are done.
pub fn run_plan(designs: &[Design], plan: &RunPlan, progress: impl FnMut(u64)) -> RunAggregate {
    run_plan_counted(designs, plan, progress).0
}

/// [`run_plan`], also counting the work done.
pub fn run_plan_counted(
    designs: &[Design],
    plan: &RunPlan,
    mut progress: impl FnMut(u64),
) -> (RunAggregate, Work) {
    let groups = plan.per_group.then(|| group_count(designs));
    let layout = designs.first().map(Layout::of).unwrap_or_default();
    let mut agg = RunAggregate::new(plan.weeks, layout, plan.keep_replicates, groups);
    let mut work = Work::default();
    let mut done = 0;
    for_each_replicate_counted(designs, plan, |r, w| {
        agg.push(r);
        work.add(&w);
        done += 1;
        progress(done);
    });
    (agg, work)
}

/// Builds a rayon pool with `threads` threads (all cores when None) and runs `f` inside it.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> anyhow::Result<T> {
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
    run_plan(&designs, &RunPlan::for_scenario(s), |_| {})
}
