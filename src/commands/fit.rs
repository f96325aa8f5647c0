//! `dugnad fit` (docs/fitting.md): plan the fit, run ABC-SMC generation by generation in its
//! folder, then write its tables, charts, report and manifest and print the estimates.

use super::progress;
use crate::cli::FitCmd;
use crate::experiment::fit::folder::Waiting;
use crate::experiment::fit::smc::{Outcome, Stop};
use crate::experiment::fit::tables::{self, estimate};
use crate::experiment::fit::Plan;
use crate::lang::{fill, Lang};
use crate::output::atomic::write_file_atomic;
use crate::output::formats::write_tables;
use crate::output::manifest::{to_json, Provenance};
use crate::output::number::num;
use crate::present;
use crate::scenario::Scenario;
use crate::sim::replicates::with_threads;
use anyhow::Result;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    identity: &'a str,
    scenario_file: String,
    data_file: &'a str,
    overrides: &'a [String],
    seed: u64,
    settings: &'a crate::experiment::fit::smc::Settings,
    parameters: Vec<ParameterEntry<'a>>,
    statistics: usize,
    generations: usize,
    stop: Stop,
    simulations_total: u64,
    /// Proposals this invocation simulated (the rest were committed by earlier runs or other shards).
    simulations_run: u64,
    simulations_per_second: f64,
    shard: Option<String>,
    threads: usize,
    wall_time_seconds: f64,
    files: Vec<String>,
    scenario: &'a Scenario,
}

#[derive(Serialize)]
struct ParameterEntry<'a> {
    path: &'a str,
    prior: String,
    integer: bool,
}

/// `dugnad fit`.
pub fn fit(cmd: &FitCmd) -> Result<()> {
    let started = Instant::now();
    let lang = cmd.report.lang().map_err(super::UsageError)?;
    let plan = Plan::from_args(cmd)?;
    if !cmd.run.quiet {
        print_start(&plan, lang);
    }
    let bar = progress::bar(
        0,
        cmd.run.quiet,
        "{spinner} fit [{elapsed_precise}] {pos} simulations, {per_sec}, {msg}",
    );
    let result = with_threads(cmd.run.threads, || {
        let run = plan.run(cmd.run.force, &|n| bar.inc(n), |t, n| {
            bar.set_message(format!("generation {t}: {n} proposals"))
        });
        (run, rayon::current_num_threads())
    })?;
    bar.finish_and_clear();
    let ((outcome, simulated), threads) = match result {
        (Ok(r), threads) => (r, threads),
        (Err(e), _) => match e.downcast_ref::<Waiting>() {
            Some(w) => {
                eprintln!("{}", w.words(lang));
                return Ok(());
            }
            None => return Err(e),
        },
    };
    let secs = started.elapsed().as_secs_f64();
    let charts = (!cmd.report.no_charts).then_some(lang);
    let files = write_fit(&plan, &outcome, charts)?;
    let def = plan.def();
    let manifest = Manifest {
        provenance: Provenance::now(),
        identity: &def.identity,
        scenario_file: plan.file.display().to_string(),
        data_file: &plan.observed.file,
        overrides: &plan.overrides,
        seed: plan.settings.seed,
        settings: &plan.settings,
        parameters: plan
            .priors
            .iter()
            .map(|p| ParameterEntry {
                path: &p.path,
                prior: crate::scenario::fit::prior_text(&p.dist),
                integer: p.integer,
            })
            .collect(),
        statistics: plan.observed.observations.len(),
        generations: outcome.generations.len(),
        stop: outcome.stop,
        simulations_total: outcome.simulations(),
        simulations_run: simulated,
        simulations_per_second: simulated as f64 / secs.max(1e-9),
        shard: (plan.shard.count > 1).then(|| plan.shard.to_string()),
        threads,
        wall_time_seconds: secs,
        files,
        scenario: &plan.scenario,
    };
    write_file_atomic(&plan.target.join("manifest.json"), &to_json(&manifest))?;
    if let Some(lang) = charts {
        present::fit::write_report(&plan.target, lang)?;
    }
    if !cmd.run.quiet {
        print_fit(&plan, &outcome, simulated, secs, lang);
    }
    Ok(())
}

/// Writes the fit's tables, and with charts (in the language given) its charts and report,
/// into its folder; returns the files written (manifest.json included).
fn write_fit(plan: &Plan, out: &Outcome, charts: Option<Lang>) -> Result<Vec<String>> {
    let dir = &plan.target;
    let all = [
        tables::posterior(out, &plan.priors),
        tables::generations(out),
        tables::parameters(out, &plan.priors),
        tables::predictive(out, &plan.observed),
    ];
    let mut files = vec!["fit.json".to_string(), "generations/".to_string()];
    files.extend(write_tables(&all, |f, b| {
        write_file_atomic(&dir.join(f), b)
    })?);
    if let Some(lang) = charts {
        files.extend(present::fit::charts(dir, lang)?);
        // Written after the manifest, which it reads.
        files.push("report.html".into());
    }
    files.push("manifest.json".into());
    Ok(files)
}

/// The start message, in `lang`: what is fitted to what, how, and where it goes.
fn print_start(plan: &Plan, lang: Lang) {
    let s = &plan.settings;
    let shard = if plan.shard.count > 1 {
        fill(lang, "summary.fit_shard", &[("shard", &plan.shard)])
    } else {
        String::new()
    };
    eprintln!(
        "{}",
        fill(
            lang,
            "summary.fit_head",
            &[
                ("name", &plan.scenario.name),
                ("parameters", &plan.priors.len()),
                ("statistics", &plan.observed.observations.len()),
                ("file", &plan.observed.file),
                ("particles", &s.particles),
                ("generations", &s.generations),
                ("shard", &shard),
                ("dir", &plan.target.display()),
            ],
        )
    );
}

/// The estimates, and how the fit went, in `lang` (parameter paths and priors as the scenario
/// writes them).
fn print_fit(plan: &Plan, out: &Outcome, simulated: u64, secs: f64, lang: Lang) {
    let last = out.posterior();
    let n = |x: f64| lang.number(&num(x));
    let why = match out.stop {
        Stop::Generations => lang.tr("summary.fit_stop_generations").to_string(),
        Stop::Acceptance { rate } => {
            fill(lang, "summary.fit_stop_acceptance", &[("rate", &n(rate))])
        }
        Stop::Simulations { used } => {
            fill(lang, "summary.fit_stop_simulations", &[("used", &used)])
        }
    };
    let rate = format!("{:.0}", simulated as f64 / secs.max(1e-9));
    eprintln!(
        "{}",
        fill(
            lang,
            "summary.fit_done",
            &[
                ("generations", &out.generations.len()),
                ("simulations", &out.simulations()),
                ("here", &simulated),
                ("rate", &rate),
                ("seconds", &super::seconds_in(lang, secs)),
                ("why", &why),
                ("tolerance", &n(last.epsilon)),
            ],
        )
    );
    eprintln!("{}", lang.tr("summary.fit_columns"));
    for (k, p) in plan.priors.iter().enumerate() {
        let e = estimate(last, p, k);
        eprintln!(
            "  {:<33} {:>9} [{}, {}]   {}",
            p.path,
            n(e.mean),
            n(e.q05),
            n(e.q95),
            crate::scenario::fit::prior_text(&p.dist)
        );
    }
    eprintln!("→ {}", plan.target.join("parameters.csv").display());
}

/// Whether `dir` is the folder of a finished fit (it has `posterior.csv` and `fit.json`).
pub fn is_fit_folder(dir: &Path) -> bool {
    dir.join("posterior.csv").is_file() && dir.join("fit.json").is_file()
}
