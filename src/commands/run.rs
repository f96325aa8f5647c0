//! `dugnad run`: the main pipeline — load, simulate, aggregate, write.

use crate::cli::{RunArgs, RunCmd};
use crate::metrics::aggregate::RunAggregate;
use crate::model::group::Design;
use crate::output::atomic::ResultDir;
use crate::output::export::write_tables;
use crate::output::manifest::{git_commit, Manifest};
use crate::output::number::num;
use crate::present;
use crate::scenario::{validate, Scenario};
use crate::sim::replicates::{run_plan, with_threads, RunPlan};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A scenario loaded with the run flags applied.
pub struct Loaded {
    pub file: PathBuf,
    pub scenario: Scenario,
    pub overrides: Vec<String>,
    pub designs: Vec<Design>,
}

/// Loads a scenario with `--set`, `--replicates`, `--weeks`, `--seed` applied.
pub fn load(file: &Path, args: &RunArgs) -> Result<Loaded> {
    let overrides = args.overrides();
    let scenario = validate::load(file, &overrides)?;
    let designs = Design::compile_all(&scenario);
    Ok(Loaded {
        file: file.to_path_buf(),
        scenario,
        overrides,
        designs,
    })
}

/// A progress bar on stderr when it is a terminal and not `--quiet`.
pub fn progress_bar(len: u64, quiet: bool, what: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:40}}] {{pos}}/{{len}} replicates, {{per_sec}}, ETA {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// Simulates a loaded scenario and aggregates it.
pub fn simulate(
    l: &Loaded,
    threads: Option<usize>,
    per_group: bool,
    keep: bool,
    quiet: bool,
) -> Result<(RunAggregate, usize)> {
    let plan = RunPlan::for_scenario(&l.scenario)
        .with_per_group(per_group)
        .with_kept_replicates(keep);
    let pb = progress_bar(plan.replicates, quiet, &l.scenario.name);
    let (agg, n) = with_threads(threads, || {
        let agg = run_plan(&l.designs, &plan, |done| pb.set_position(done));
        (agg, rayon::current_num_threads())
    })?;
    pb.finish_and_clear();
    Ok((agg, n))
}

/// Labels (activity key, index) of every group, in simulation order.
pub fn group_labels(designs: &[Design]) -> Vec<(String, u32)> {
    designs
        .iter()
        .flat_map(|d| (0..d.activity.groups).map(move |g| (d.activity.key.clone(), g)))
        .collect()
}

/// Default output folder: output/<scenario name>/.
pub fn default_output(name: &str) -> PathBuf {
    PathBuf::from("output").join(name)
}

/// `dugnad run`.
pub fn run(cmd: &RunCmd) -> Result<()> {
    let started = Instant::now();
    let l = load(&cmd.scenario, &cmd.run)?;
    let target = cmd
        .run
        .output
        .clone()
        .unwrap_or_else(|| default_output(&l.scenario.name));
    if cmd.per_group {
        let cells =
            crate::sim::replicates::group_count(&l.designs) as u64 * l.scenario.weeks as u64;
        if cells > 2_000_000 {
            return Err(crate::commands::UsageError(format!(
                "--per-group with {} groups × {} weeks is too large to aggregate in memory; reduce groups or weeks",
                crate::sim::replicates::group_count(&l.designs),
                l.scenario.weeks
            ))
            .into());
        }
    }
    // Refuse early, before spending the simulation time.
    let out = ResultDir::create(&target, cmd.run.force)?;
    let (agg, threads) = simulate(
        &l,
        cmd.run.threads,
        cmd.per_group,
        cmd.keep_replicates,
        cmd.run.quiet,
    )?;
    let labels = group_labels(&l.designs);
    let files = write_tables(&crate::output::run::tables(&agg, &labels), |f, b| {
        out.write(f, b)
    })?;
    let manifest = Manifest {
        dugnad_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(),
        command_line: std::env::args().collect(),
        scenario_file: l.file.display().to_string(),
        overrides: l.overrides.clone(),
        seed: l.scenario.seed,
        replicates: l.scenario.replicates,
        weeks: l.scenario.weeks,
        threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        files,
        scenario: l.scenario.clone(),
    };
    out.write("manifest.json", &manifest.to_json())?;
    if !cmd.no_charts {
        draw(out.path())?;
    }
    let dir = out.commit()?;
    if !cmd.run.quiet {
        print_summary(&agg, &dir, started.elapsed().as_secs_f64());
    }
    Ok(())
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
        return Err(crate::commands::UsageError(format!(
            "{} is not a run folder (no manifest.json); pass a folder written by `dugnad run`",
            dir.display()
        ))
        .into());
    }
    draw(dir)?;
    eprintln!("redrew charts and report in {}", dir.display());
    Ok(())
}

fn print_summary(agg: &RunAggregate, dir: &Path, secs: f64) {
    use crate::metrics::indicator_index;
    use crate::metrics::indicators::{key_indicators, View};
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
