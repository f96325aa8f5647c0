//! `dugnad run` and `dugnad plot`: plan the run, simulate it, write its tables, manifest,
//! charts and report.

use super::progress;
use super::UsageError;
use crate::cli::RunCmd;
use crate::experiment::run::Plan;
use crate::lang::{fill, Lang};
use crate::metrics::aggregate::RunAggregate;
use crate::metrics::indicators::{key_series, View};
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
    let lang = cmd.report.lang().map_err(UsageError)?;
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
        (!cmd.report.no_charts).then_some(lang),
    )?;
    let dir = out.commit()?;
    if !cmd.run.quiet {
        print_summary(&agg, &dir, started.elapsed().as_secs_f64(), lang);
    }
    Ok(())
}

/// Writes the tables of `agg` (a run of `plan` on `threads` threads, started at `started`),
/// its manifest, and with `charts` (`Some(language)`) its charts and report, into `out`.
pub fn write_run(
    out: &ResultDir,
    plan: &Plan,
    agg: &RunAggregate,
    threads: usize,
    provenance: Provenance,
    started: Instant,
    charts: Option<Lang>,
) -> Result<()> {
    let mut files = plan.with_tables(agg, |t| write_tables(t, |f, b| out.write(f, b)))?;
    if plan.network {
        for (f, b) in crate::output::agents::graphml(agg, &plan.loaded.designs)? {
            out.write(&f, &b)?;
            files.push(f);
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let manifest = plan.manifest(provenance, threads, wall, files);
    // A run with --posterior records it beside the usual keys.
    #[derive(serde::Serialize)]
    struct WithPosterior<'a> {
        #[serde(flatten)]
        manifest: &'a crate::output::manifest::Manifest,
        posterior: &'a crate::experiment::fit::posterior::Posterior,
    }
    match &plan.drawn {
        Some(d) => out.write(
            "manifest.json",
            &crate::output::manifest::to_json(&WithPosterior {
                manifest: &manifest,
                posterior: &d.posterior,
            }),
        )?,
        None => out.write("manifest.json", &manifest.to_json())?,
    }
    if let Some(lang) = charts {
        draw(out.path(), lang)?;
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

/// Draws charts and report (in `lang`) into a run folder.
pub fn draw(dir: &Path, lang: Lang) -> Result<()> {
    present::run::draw_run_charts(dir, lang)?;
    present::run::report::write_report_in(dir, lang, &[])?;
    Ok(())
}

/// The run's size, time and folder, and the headline indicators' final-week means with CIs:
/// of the newcomers, beside the local participants' where the scenario has any, each with the
/// replicates it rests on when fewer than ran; in `lang`.
fn print_summary(agg: &RunAggregate, dir: &Path, secs: f64, lang: Lang) {
    eprintln!(
        "{}",
        fill(
            lang,
            "summary.head",
            &[
                ("replicates", &agg.replicates()),
                ("weeks", &agg.weeks),
                ("seconds", &super::seconds_in(lang, secs)),
                ("dir", &dir.display()),
            ]
        )
    );
    for line in summary_lines_in(agg, lang) {
        eprintln!("{line}");
    }
}

/// The lines of the terminal summary in English (see [`summary_lines_in`]).
pub fn summary_lines(agg: &RunAggregate) -> Vec<String> {
    summary_lines_in(agg, Lang::En)
}

/// The lines of the terminal summary (see [`print_summary`]) in `lang`; indicator and lens
/// keys stay as the CSVs write them.
pub fn summary_lines_in(agg: &RunAggregate, lang: Lang) -> Vec<String> {
    let runs = agg.replicates() as u64;
    let cell = |k: Option<usize>| -> String {
        let Some(s) = k.map(|k| agg.final_week[k].summary()) else {
            return String::new();
        };
        let mut c = lang.number(&format!(
            "{} [{}, {}]",
            num(s.mean),
            num(s.ci_low),
            num(s.ci_high)
        ));
        if s.n < runs {
            c.push_str(&format!(" n={}/{runs}", s.n));
        }
        c
    };
    let locals = |name: &str| agg.layout.position(name, "local_participants");
    let any_locals = key_series(View::Headline).iter().any(|(name, lens)| {
        *lens == "newcomers" && locals(name).is_some_and(|k| agg.final_week[k].summary().n > 0)
    });
    let then_locals = if any_locals {
        lang.tr("summary.then_locals")
    } else {
        ""
    };
    let mut out = vec![fill(
        lang,
        "summary.about",
        &[
            ("newcomers", &crate::present::meta::newcomers_words(lang)),
            ("locals", &then_locals),
        ],
    )];
    for (name, lens) in key_series(View::Headline) {
        let k = agg.layout.position(name, lens);
        let label = if lens == "newcomers" {
            name.to_string()
        } else {
            format!("{name} ({lens})")
        };
        let mut line = format!("  {label:<32} {:<34}", cell(k));
        if any_locals && lens == "newcomers" {
            line.push_str(&fill(
                lang,
                "summary.local",
                &[("value", &cell(locals(name)))],
            ));
        }
        out.push(line.trim_end().to_string());
    }
    out
}
