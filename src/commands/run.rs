//! `dugnad run` and `dugnad plot`: plan the run, simulate it, write its tables, manifest,
//! charts and report.

use super::progress;
use super::UsageError;
use crate::cli::RunCmd;
use crate::experiment::run::{group_labels, Plan};
use crate::metrics::aggregate::RunAggregate;
use crate::metrics::indicator_index;
use crate::metrics::indicators::{key_indicators, View};
use crate::output::atomic::ResultDir;
use crate::output::formats::write_tables;
use crate::output::manifest::Provenance;
use crate::output::number::num;
use crate::present;
use crate::sim::replicates::with_threads;
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

/// Loading a scenario with the run flags (old path; `commands::info`, `teach` and `bench` call it).
pub use crate::experiment::run::{load, Loaded};

/// `dugnad run`.
pub fn run(cmd: &RunCmd) -> Result<()> {
    let started = Instant::now();
    let plan = Plan::from_args(cmd)?;
    // Refuse early, before spending the simulation time.
    let out = ResultDir::create(&plan.target, cmd.run.force)?;
    let (agg, threads) = simulate(&plan, cmd.run.threads, cmd.run.quiet)?;
    write_run(
        &out,
        &plan,
        &agg,
        threads,
        Provenance::now(),
        started,
        !cmd.no_charts,
    )?;
    let dir = out.commit()?;
    if !cmd.run.quiet {
        print_summary(&agg, &dir, started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// Writes the tables of `agg` (a run of `plan` on `threads` threads, started at `started`),
/// its manifest, and with `charts` its charts and report, into `out`.
pub fn write_run(
    out: &ResultDir,
    plan: &Plan,
    agg: &RunAggregate,
    threads: usize,
    provenance: Provenance,
    started: Instant,
    charts: bool,
) -> Result<()> {
    let labels = group_labels(&plan.loaded.designs);
    let files = write_tables(&crate::output::run::tables(agg, &labels), |f, b| {
        out.write(f, b)
    })?;
    let wall = started.elapsed().as_secs_f64();
    let manifest = plan.manifest(provenance, threads, wall, files);
    out.write("manifest.json", &manifest.to_json())?;
    if charts {
        draw(out.path())?;
    }
    Ok(())
}

/// Runs the plan's replicates on `threads` threads with a progress bar; returns the aggregate
/// and the thread count used.
fn simulate(plan: &Plan, threads: Option<usize>, quiet: bool) -> Result<(RunAggregate, usize)> {
    let template = format!(
        "{{spinner}} {} [{{bar:40}}] {{pos}}/{{len}} replicates, {{per_sec}}, ETA {{eta}}",
        plan.loaded.scenario.name
    );
    let pb = progress::bar(plan.replicates.replicates, quiet, &template);
    let result = with_threads(threads, || {
        let agg = plan.run(|done| pb.set_position(done));
        (agg, rayon::current_num_threads())
    })?;
    pb.finish_and_clear();
    Ok(result)
}

/// Draws charts and report into a run folder.
pub fn draw(dir: &Path) -> Result<()> {
    present::run::draw_run_charts(dir)?;
    present::run::report::write_report(dir)?;
    Ok(())
}

/// `dugnad plot DIR`.
pub fn plot(dir: &Path) -> Result<()> {
    if !dir.join("manifest.json").exists() {
        return Err(UsageError(format!(
            "{} is not a run folder (no manifest.json); pass a folder written by `dugnad run`",
            dir.display()
        ))
        .into());
    }
    draw(dir)?;
    eprintln!("redrew charts and report in {}", dir.display());
    Ok(())
}

/// The run's size, time and folder, and the headline indicators' final-week means with CIs.
fn print_summary(agg: &RunAggregate, dir: &Path, secs: f64) {
    eprintln!(
        "{} replicates × {} weeks in {:.2} s → {}",
        agg.replicates(),
        agg.weeks,
        secs,
        dir.display()
    );
    for name in key_indicators(View::Headline) {
        if let Some(k) = indicator_index(name) {
            let s = agg.final_week[k].summary();
            eprintln!(
                "  {name:<26} {:>9} [{}, {}]",
                num(s.mean),
                num(s.ci_low),
                num(s.ci_high)
            );
        }
    }
}
