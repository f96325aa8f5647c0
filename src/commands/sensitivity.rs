//! `dugnad sensitivity` (docs/sensitivity.md): a Morris or Sobol design run as a resumable,
//! shardable sweep, then analysed from the committed point files.

use super::experiment::{print_swept, run_cells, CellJob, SweepOrigin, Swept, Unit};
use crate::cli::SensitivityCmd;
use crate::experiment::sensitivity::{self as sa, Analysis, Plan};
use crate::experiment::Scope;
use crate::lang::{fill, Lang};
use crate::output::atomic::write_file_atomic;
use crate::output::formats::write_tables;
use crate::output::manifest::{to_json, Provenance};
use crate::present;
use anyhow::Result;
use serde::Serialize;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    #[serde(flatten)]
    origin: SweepOrigin<'a>,
    method: &'static str,
    design: String,
    factors: Vec<FactorEntry<'a>>,
    /// The analysed outputs, `indicator (lens)`.
    indicators: Vec<String>,
    scope: Scope,
    seed: u64,
    replicates: u32,
    weeks: u32,
    points: usize,
    shard: Option<String>,
    points_run: usize,
    complete: bool,
    threads: usize,
    wall_time_seconds: f64,
    warnings: &'a [String],
    files: Vec<String>,
}

#[derive(Serialize)]
struct FactorEntry<'a> {
    key: &'a str,
    lo: f64,
    hi: f64,
    integer: bool,
}

/// `dugnad sensitivity`.
pub fn sensitivity(cmd: &SensitivityCmd) -> Result<()> {
    let started = Instant::now();
    let lang = cmd.report.lang().map_err(super::UsageError)?;
    let plan = Plan::from_args(cmd)?;
    let done = sensitivity_planned(&plan, cmd, Provenance::now(), started, None)?;
    if let Some(a) = &done.analysis {
        for w in &a.warnings {
            let w = w.words(lang);
            eprintln!("{}", fill(lang, "summary.warning", &[("warning", &w)]));
        }
        for r in sa::ranking_in(a, lang) {
            println!("{r}");
        }
    }
    if !cmd.run.quiet {
        let done_note = format!(" → {}", plan.sweep.target.join("sensitivity.csv").display());
        print_swept(
            &done.swept,
            done.complete,
            started,
            Unit::Points,
            &done_note,
            lang.tr("summary.sensitivity_merge"),
            lang,
        );
    }
    Ok(())
}

/// A sensitivity folder after a run: the points, whether the folder is complete (and so
/// analysed), and the analysis with its warnings and ranking in words, in English as the
/// manifest keeps them (empty when incomplete).
pub struct Done {
    pub swept: Swept,
    pub complete: bool,
    /// The analysis of a complete folder (for its words in another language).
    pub analysis: Option<Analysis>,
    pub warnings: Vec<String>,
    pub ranking: Vec<String>,
}

/// Runs a planned sensitivity analysis with `cmd`'s run flags into its folder, started at
/// `started`, analyses it when complete, and writes its tables, charts and report (unless
/// `cmd.no_charts`) and manifest (`cmd.scenario` is not read: the plan holds the scenario).
/// Prints only the start message (unless quiet). Setting `stop` ends it before the next point.
pub fn sensitivity_planned(
    plan: &Plan,
    cmd: &SensitivityCmd,
    provenance: Provenance,
    started: Instant,
    stop: Option<&AtomicBool>,
) -> Result<Done> {
    let sweep = &plan.sweep;
    let lang = cmd.report.lang().map_err(super::UsageError)?;
    let job = CellJob {
        what: "sensitivity",
        unit: Unit::Points,
        lang,
        keep: true,
        run: &cmd.run,
        stop,
    };
    let swept = run_cells(sweep, &job, |notes| announce(plan, cmd, notes, lang))?;
    let complete = swept.complete(true);
    let mut files = vec!["sweep.json".to_string(), "cells/".to_string()];
    let (analysis, warnings, ranking) = if complete {
        let done = analyse(plan, (!cmd.report.no_charts).then_some(lang))?;
        files.extend(done.files);
        let warnings = done.analysis.warnings.iter().map(ToString::to_string);
        let warnings = warnings.collect();
        (Some(done.analysis), warnings, done.ranking)
    } else {
        (None, Vec::new(), Vec::new())
    };
    files.push("manifest.json".into());
    let d = &plan.design;
    let base = &sweep.base.scenario;
    let manifest = Manifest {
        provenance,
        origin: SweepOrigin::of(sweep, &swept),
        method: d.method.name(),
        design: d.design_name(),
        factors: d
            .factors
            .iter()
            .map(|f| FactorEntry {
                key: &f.key,
                lo: f.lo,
                hi: f.hi,
                integer: f.integer,
            })
            .collect(),
        indicators: plan.indicators.iter().map(|t| t.label()).collect(),
        scope: sweep.scope,
        seed: base.seed,
        replicates: base.replicates,
        weeks: base.weeks,
        points: d.len(),
        shard: sweep.shard.map(|s| s.to_string()),
        points_run: swept.cells_run,
        complete,
        threads: swept.threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        warnings: &warnings,
        files,
    };
    write_file_atomic(&sweep.target.join("manifest.json"), &to_json(&manifest))?;
    Ok(Done {
        swept,
        complete,
        analysis,
        warnings,
        ranking,
    })
}

/// The start message, in `lang`: the design's size and where it goes, and a note when the
/// scenario's own replicate count is larger than a screening needs.
fn announce(plan: &Plan, cmd: &SensitivityCmd, notes: &str, lang: Lang) {
    let base = &plan.sweep.base.scenario;
    eprintln!(
        "{}",
        fill(
            lang,
            "summary.sensitivity_head",
            &[
                ("name", &base.name),
                ("method", &plan.design.method.name()),
                ("factors", &plan.design.factors.len()),
                ("points", &plan.design.len()),
                ("replicates", &base.replicates),
                ("weeks", &base.weeks),
                ("notes", &notes),
                ("dir", &plan.sweep.target.display()),
            ],
        )
    );
    if base.replicates > 30 && cmd.run.replicates.is_none() {
        eprintln!(
            "{}",
            fill(
                lang,
                "summary.sensitivity_replicates",
                &[("replicates", &base.replicates)],
            )
        );
    }
}

/// An analysed folder: the analysis, its ranking in words, and the files written.
struct Analysed {
    analysis: Analysis,
    ranking: Vec<String>,
    files: Vec<String>,
}

/// Analyses a complete folder: writes its tables, and with `charts` its charts and report.
fn analyse(plan: &Plan, charts: Option<Lang>) -> Result<Analysed> {
    let dir = &plan.sweep.target;
    let (a, outputs) = plan.analyze()?;
    let tables = [
        sa::sensitivity_table(&a),
        sa::noise_table(&a),
        sa::points_table(&plan.design, &plan.indicators, &outputs),
    ];
    let mut files = write_tables(&tables, |f, b| write_file_atomic(&dir.join(f), b))?;
    drop(tables);
    let ranking = sa::ranking(&a);
    if let Some(lang) = charts {
        let base = &plan.sweep.base.scenario;
        let about = present::sensitivity::About {
            scenario: &base.name,
            design: &plan.design,
            analysis: &a,
            scope: plan.sweep.scope,
            seed: base.seed,
            weeks: base.weeks,
        };
        files.extend(present::sensitivity::charts_and_report(dir, about, lang)?);
    }
    Ok(Analysed {
        analysis: a,
        ranking,
        files,
    })
}
