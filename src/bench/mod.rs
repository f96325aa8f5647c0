//! Benchmark support for `dugnad bench`, `benches/hot_paths.rs` and docs/performance.md.
//!
//! The figures time the production path (`sim::replicates::run_plan`, aggregation included,
//! files excluded) on one thread and on all cores. A *turn* is one speaking turn of one meeting;
//! everything else a replicate does (attendance, help, perception, weekly life events,
//! observation, pooling, aggregation) is amortised over the turns:
//! ns per turn = wall time × threads ÷ turns simulated.

use crate::model::group::Design;
use crate::sim::replicates::{run_plan_counted, with_threads, RunPlan, Work};
use serde::Serialize;
use std::time::Instant;

/// Single-thread cost of a turn, every mechanism on (issue 18, docs/performance.md): checked by
/// `dugnad bench --check`, never by a timed test.
pub const TARGET_NS_PER_TURN: f64 = 25.0;
/// The earlier target (issue 6), kept as a ceiling: a run above it is a regression.
pub const CEILING_NS_PER_TURN: f64 = 50.0;
/// Parallel efficiency from 1 to 2 threads.
pub const TARGET_EFFICIENCY: f64 = 0.95;

/// One measured run of a plan.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sample {
    /// Wall time, seconds.
    pub wall: f64,
    /// CPU time of the pool's workers (/proc/thread-self/schedstat), seconds; NaN when
    /// unavailable. Unlike wall time it does not grow when other processes share the cores.
    pub cpu: f64,
    /// Mean time a worker was runnable but waited for a core taken by another process, seconds.
    pub steal: f64,
}

impl Sample {
    /// Wall time less the mean time other processes took from the workers: an estimate of the
    /// wall time on an otherwise idle machine.
    pub fn adjusted_wall(&self) -> f64 {
        if self.steal.is_nan() {
            self.wall
        } else {
            (self.wall - self.steal).max(0.0)
        }
    }
}

/// Repeated runs of one configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub threads: usize,
    /// Best (shortest) wall time over the repeats, in seconds.
    pub seconds: f64,
    /// Median wall time over the repeats.
    pub median_seconds: f64,
    /// CPU time of the best run, seconds.
    pub cpu_seconds: f64,
    /// Best wall time less the time other processes took from the workers (see
    /// [`Sample::adjusted_wall`]).
    pub adjusted_seconds: f64,
    /// Every repeat, in the order run.
    pub runs: Vec<Sample>,
}

impl Timing {
    fn from_runs(threads: usize, runs: Vec<Sample>) -> Timing {
        let mut sorted = runs.clone();
        sorted.sort_by(|a, b| a.wall.total_cmp(&b.wall));
        let median = sorted
            .get(sorted.len() / 2)
            .map(|s| s.wall)
            .unwrap_or(f64::NAN);
        let best = sorted.first().copied().unwrap_or(Sample {
            wall: f64::NAN,
            cpu: f64::NAN,
            steal: f64::NAN,
        });
        let adjusted = runs
            .iter()
            .map(Sample::adjusted_wall)
            .fold(f64::INFINITY, f64::min);
        Timing {
            threads,
            seconds: best.wall,
            median_seconds: median,
            cpu_seconds: best.cpu,
            adjusted_seconds: adjusted,
            runs,
        }
    }

    /// Nanoseconds of one core per turn: wall × threads ÷ turns.
    pub fn ns_per_turn(&self, w: &Work) -> f64 {
        self.seconds * self.threads as f64 * 1e9 / w.turns.max(1) as f64
    }
}

/// The machine a benchmark ran on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpu: String,
    pub logical_cpus: usize,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".to_string());
        let logical_cpus = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        Machine { cpu, logical_cpus }
    }
}

/// Time this thread has run on a CPU and has waited, runnable, for one (the first two fields
/// of /proc/thread-self/schedstat), in nanoseconds; None off Linux.
pub fn thread_schedstat() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut f = s.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some((f.next()??, f.next()??))
}

/// (run, wait) of every worker of the current rayon pool, by worker index.
fn pool_schedstat() -> Option<Vec<(u64, u64)>> {
    rayon::broadcast(|_| thread_schedstat())
        .into_iter()
        .collect()
}

/// The 1-minute load average (/proc/loadavg): above the number of cores, other processes were
/// competing for them and wall times are inflated.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Peak resident set size of this process so far (VmHWM of /proc/self/status), in bytes.
pub fn peak_rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// What `dugnad bench` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub machine: Machine,
    pub replicates: u64,
    pub weeks: u32,
    pub groups: usize,
    /// Work of one run of the plan.
    pub work: Work,
    pub single: Timing,
    pub parallel: Timing,
    /// Single thread: ns of one core per turn, per-meeting and per-week work amortised.
    pub ns_per_turn: f64,
    /// The same from the CPU time of the best single-thread run (robust to a busy machine).
    pub cpu_ns_per_turn: f64,
    /// The same from the wall time less the time other processes took (what targets judge).
    pub adjusted_ns_per_turn: f64,
    pub turns_per_second_per_core: f64,
    pub group_weeks_per_second: f64,
    pub replicates_per_second: f64,
    /// All cores: ns of one core per turn (wall × threads ÷ turns).
    pub parallel_ns_per_turn: f64,
    pub parallel_turns_per_second: f64,
    pub parallel_group_weeks_per_second: f64,
    pub parallel_replicates_per_second: f64,
    /// Single-thread time ÷ parallel time.
    pub speedup: f64,
    /// Speed-up ÷ threads.
    pub efficiency: f64,
    /// The same from wall times less the time other processes took from the workers: the
    /// figure to read on a busy machine.
    pub adjusted_speedup: f64,
    pub adjusted_efficiency: f64,
    /// Peak RSS of the process after all runs (VmHWM), bytes.
    pub peak_rss_bytes: Option<u64>,
    /// 1-minute load average after the runs; above the core count the wall times are inflated.
    pub load_average: Option<f64>,
    pub targets: Targets,
}

/// Whether the issue-6 targets are met (NaN-safe: a missing figure misses), judged on wall times
/// less the time other processes took from the workers (the wall times on an idle machine).
#[derive(Debug, Clone, Serialize)]
pub struct Targets {
    pub ns_per_turn_max: f64,
    pub ns_per_turn_met: bool,
    /// The ceiling of issue 6 ([`CEILING_NS_PER_TURN`]).
    pub ns_per_turn_ceiling: f64,
    pub ns_per_turn_ceiling_met: bool,
    pub efficiency_min: f64,
    /// Only judged when the parallel run used 2 or more threads.
    pub efficiency_met: Option<bool>,
}

/// Options of a benchmark.
#[derive(Debug, Clone)]
pub struct Options {
    /// Threads of the parallel run (None: all cores).
    pub threads: Option<usize>,
    /// Timed repeats of each configuration (the best is reported).
    pub repeats: usize,
}

/// Times `plan` once on `threads` threads (warm pool, aggregation included); returns the
/// sample, the work done and the number of threads.
pub fn time_plan(
    designs: &[Design],
    plan: &RunPlan,
    threads: Option<usize>,
) -> anyhow::Result<(Sample, Work, usize)> {
    with_threads(threads, || {
        let n = rayon::current_num_threads();
        // Wake the pool's threads before the clock starts.
        rayon::broadcast(|_| ());
        let s0 = pool_schedstat();
        let t0 = Instant::now();
        let (agg, work) = run_plan_counted(designs, plan, |_| {});
        let wall = t0.elapsed().as_secs_f64();
        let (cpu, steal) = match (s0, pool_schedstat()) {
            (Some(a), Some(b)) if a.len() == b.len() && !a.is_empty() => {
                let run: u64 = a.iter().zip(&b).map(|(x, y)| y.0.saturating_sub(x.0)).sum();
                let wait: u64 = a.iter().zip(&b).map(|(x, y)| y.1.saturating_sub(x.1)).sum();
                (run as f64 * 1e-9, wait as f64 * 1e-9 / a.len() as f64)
            }
            _ => (f64::NAN, f64::NAN),
        };
        std::hint::black_box(&agg);
        (Sample { wall, cpu, steal }, work, n)
    })
}

/// Runs the benchmark: `repeats` interleaved runs on one thread and on all cores (or
/// `opts.threads`), after one untimed warm-up run on each.
pub fn run(
    name: &str,
    designs: &[Design],
    plan: &RunPlan,
    opts: &Options,
    mut log: impl FnMut(&str),
) -> anyhow::Result<Report> {
    let warm = RunPlan {
        replicates: plan.replicates.min(2),
        weeks: plan.weeks.min(8),
        ..plan.clone()
    };
    time_plan(designs, &warm, Some(1))?;
    time_plan(designs, &warm, opts.threads)?;
    let (mut single, mut parallel) = (Vec::new(), Vec::new());
    let mut work = Work::default();
    let mut threads = 1;
    for rep in 0..opts.repeats.max(1) {
        let (s1, w1, _) = time_plan(designs, plan, Some(1))?;
        let (sn, wn, n) = time_plan(designs, plan, opts.threads)?;
        anyhow::ensure!(
            w1 == wn,
            "the parallel run did different work from the single-thread run"
        );
        log(&format!(
            "repeat {}: 1 thread {:.3} s (cpu {:.3} s, waited {:.3} s), {} threads {:.3} s (cpu {:.3} s, waited {:.3} s), load {:.2}",
            rep + 1,
            s1.wall,
            s1.cpu,
            s1.steal,
            n,
            sn.wall,
            sn.cpu,
            sn.steal,
            load_average().unwrap_or(f64::NAN)
        ));
        single.push(s1);
        parallel.push(sn);
        work = w1;
        threads = n;
    }
    let single = Timing::from_runs(1, single);
    let parallel = Timing::from_runs(threads, parallel);
    let ns_per_turn = single.ns_per_turn(&work);
    let adjusted_ns_per_turn = single.adjusted_seconds * 1e9 / work.turns.max(1) as f64;
    let cpu_ns_per_turn = single.cpu_seconds * 1e9 / work.turns.max(1) as f64;
    let speedup = single.seconds / parallel.seconds;
    let efficiency = speedup / threads as f64;
    let adjusted_speedup = single.adjusted_seconds / parallel.adjusted_seconds;
    let adjusted_efficiency = adjusted_speedup / threads as f64;
    let per = |x: u64, s: f64| x as f64 / s;
    Ok(Report {
        scenario: name.to_string(),
        machine: Machine::detect(),
        replicates: plan.replicates,
        weeks: plan.weeks,
        groups: crate::sim::replicates::group_count(designs),
        work,
        ns_per_turn,
        cpu_ns_per_turn,
        adjusted_ns_per_turn,
        turns_per_second_per_core: per(work.turns, single.seconds),
        group_weeks_per_second: per(work.group_weeks, single.seconds),
        replicates_per_second: per(work.replicates, single.seconds),
        parallel_ns_per_turn: parallel.ns_per_turn(&work),
        parallel_turns_per_second: per(work.turns, parallel.seconds),
        parallel_group_weeks_per_second: per(work.group_weeks, parallel.seconds),
        parallel_replicates_per_second: per(work.replicates, parallel.seconds),
        speedup,
        efficiency,
        adjusted_speedup,
        adjusted_efficiency,
        peak_rss_bytes: peak_rss_bytes(),
        load_average: load_average(),
        targets: Targets {
            ns_per_turn_max: TARGET_NS_PER_TURN,
            ns_per_turn_met: adjusted_ns_per_turn <= TARGET_NS_PER_TURN,
            ns_per_turn_ceiling: CEILING_NS_PER_TURN,
            ns_per_turn_ceiling_met: adjusted_ns_per_turn <= CEILING_NS_PER_TURN,
            efficiency_min: TARGET_EFFICIENCY,
            efficiency_met: (threads >= 2).then_some(adjusted_efficiency >= TARGET_EFFICIENCY),
        },
        single,
        parallel,
    })
}

/// Thousands separators for counts.
fn count(x: u64) -> String {
    let s = x.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mark(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// One row of the plain-text table: a label and its value (an empty label is a blank line).
type Row = (String, String);

/// The two throughput lines shown for one thread and for all of them.
fn throughput_rows(group_weeks_per_second: f64, replicates_per_second: f64) -> [Row; 2] {
    [
        row(
            "group-weeks per second",
            format!("{group_weeks_per_second:.0}"),
        ),
        row(
            "replicates per second",
            format!("{replicates_per_second:.3}"),
        ),
    ]
}

fn row(label: impl Into<String>, value: impl Into<String>) -> Row {
    (label.into(), value.into())
}

/// "1.234 s (best of 3; median 1.300 s; CPU 1.200 s)".
fn wall_time(t: &Timing) -> String {
    format!(
        "{:.3} s (best of {}; median {:.3} s; CPU {:.3} s)",
        t.seconds,
        t.runs.len(),
        t.median_seconds,
        t.cpu_seconds
    )
}

impl Report {
    /// The report as a plain-text table: workload, one thread, all threads, machine, targets.
    pub fn table(&self) -> String {
        let sections = [
            self.workload_rows(),
            self.single_rows(),
            self.parallel_rows(),
            self.machine_rows(),
            self.target_rows(),
        ];
        let rows: Vec<Row> = sections.join(&row("", ""));
        let width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for (k, v) in rows {
            if k.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("{k:<width$}  {v}\n"));
            }
        }
        out
    }

    fn workload_rows(&self) -> Vec<Row> {
        let w = &self.work;
        vec![
            row("scenario", self.scenario.clone()),
            row(
                "machine",
                format!(
                    "{} ({} logical CPUs)",
                    self.machine.cpu, self.machine.logical_cpus
                ),
            ),
            row(
                "workload",
                format!(
                    "{} replicates × {} groups × {} weeks",
                    self.replicates, self.groups, self.weeks
                ),
            ),
            row("group-weeks", count(w.group_weeks)),
            row("meetings held", count(w.meetings)),
            row("turns", count(w.turns)),
        ]
    }

    fn single_rows(&self) -> Vec<Row> {
        vec![
            row("1 thread: wall time", wall_time(&self.single)),
            row(
                "ns per turn",
                format!(
                    "{:.1} (less time taken by others: {:.1}; from CPU time: {:.1})",
                    self.ns_per_turn, self.adjusted_ns_per_turn, self.cpu_ns_per_turn
                ),
            ),
            row(
                "turns per second per core",
                format!("{:.3e}", self.turns_per_second_per_core),
            ),
        ]
        .into_iter()
        .chain(throughput_rows(
            self.group_weeks_per_second,
            self.replicates_per_second,
        ))
        .collect()
    }

    fn parallel_rows(&self) -> Vec<Row> {
        vec![
            row(
                format!("{} threads: wall time", self.parallel.threads),
                wall_time(&self.parallel),
            ),
            row(
                "ns per turn (× threads)",
                format!("{:.1}", self.parallel_ns_per_turn),
            ),
            row(
                "turns per second",
                format!("{:.3e}", self.parallel_turns_per_second),
            ),
        ]
        .into_iter()
        .chain(throughput_rows(
            self.parallel_group_weeks_per_second,
            self.parallel_replicates_per_second,
        ))
        .chain([
            row("speed-up", format!("{:.2}×", self.speedup)),
            row(
                "parallel efficiency",
                format!("{:.1} %", 100.0 * self.efficiency),
            ),
            row(
                "… less time taken by others",
                format!(
                    "speed-up {:.2}×, efficiency {:.1} %",
                    self.adjusted_speedup,
                    100.0 * self.adjusted_efficiency
                ),
            ),
        ])
        .collect()
    }

    fn machine_rows(&self) -> Vec<Row> {
        let load = self.load_average.map(|l| {
            let busy = l > self.machine.logical_cpus as f64 + 0.5;
            let note = if busy {
                " — machine busy: wall times inflated"
            } else {
                ""
            };
            format!("{l:.2}{note}")
        });
        vec![
            row(
                "peak memory (VmHWM)",
                self.peak_rss_bytes
                    .map(|b| format!("{:.1} MB", b as f64 / 1_048_576.0))
                    .unwrap_or_else(|| "unknown".into()),
            ),
            row(
                "load average (1 min)",
                load.unwrap_or_else(|| "unknown".into()),
            ),
        ]
    }

    fn target_rows(&self) -> Vec<Row> {
        let t = &self.targets;
        vec![
            row(
                format!("target ≤ {} ns/turn", t.ns_per_turn_max),
                mark(t.ns_per_turn_met),
            ),
            row(
                format!("ceiling ≤ {} ns/turn", t.ns_per_turn_ceiling),
                mark(t.ns_per_turn_ceiling_met),
            ),
            row(
                format!("target efficiency ≥ {:.0} %", 100.0 * t.efficiency_min),
                match t.efficiency_met {
                    Some(m) => mark(m),
                    None => "not judged (one thread)",
                },
            ),
        ]
    }

    /// The report as pretty JSON.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// True when every judged target is met (the ceiling is met whenever the target is).
    pub fn targets_met(&self) -> bool {
        self.missed_targets().is_empty()
    }

    /// The judged targets this report missed, in words (empty when all are met).
    pub fn missed_targets(&self) -> Vec<String> {
        let t = &self.targets;
        let mut missed = Vec::new();
        if !t.ns_per_turn_met {
            missed.push(format!(
                "{:.1} ns per turn > {} (less time taken by others)",
                self.adjusted_ns_per_turn, t.ns_per_turn_max
            ));
        }
        if t.efficiency_met == Some(false) {
            missed.push(format!(
                "parallel efficiency {:.1} % < {:.0} %",
                100.0 * self.adjusted_efficiency,
                100.0 * t.efficiency_min
            ));
        }
        missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(12_345_678), "12,345,678");
    }

    #[test]
    fn peak_rss_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_bytes().unwrap() > 0);
        }
    }
}
