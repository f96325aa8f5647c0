//! `dugnad sensitivity` (docs/sensitivity.md): a Morris or Sobol design run as a resumable,
//! shardable sweep, then analysed from the committed point files.

use crate::cli::SensitivityCmd;
use crate::commands::run::default_output;
use crate::commands::UsageError;
use crate::experiment::grid::{parse_range, take_sweep_table};
use crate::experiment::sensitivity::{self as sa, Design, Factor, Method};
use crate::experiment::shard::Shard;
use crate::experiment::store::{self, Store, SweepDef};
use crate::experiment::sweep::SweepRun;
use crate::experiment::{Refusal, Scope};
use crate::metrics::INDICATORS;
use crate::output::atomic::write_file_atomic;
use crate::output::export::write_tables;
use crate::output::manifest::git_commit;
use crate::present;
use crate::scenario::{load_str, to_toml};
use crate::sim::replicates::with_threads;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

fn usage(e: anyhow::Error) -> anyhow::Error {
    if e.chain().any(|c| c.is::<Refusal>()) {
        UsageError(format!("{e:#}")).into()
    } else {
        e
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    dugnad_version: String,
    git_commit: Option<String>,
    command_line: Vec<String>,
    identity: &'a str,
    scenario_file: String,
    overrides: &'a [String],
    method: &'static str,
    design: String,
    factors: Vec<FactorEntry<'a>>,
    indicators: Vec<&'static str>,
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
    inner(cmd).map_err(usage)
}

fn inner(cmd: &SensitivityCmd) -> Result<()> {
    let started = Instant::now();
    let scope = Scope::parse(&cmd.scope)?;
    let origin = cmd.scenario.display().to_string();
    let text = crate::commands::experiment::read_scenario_text(&cmd.scenario)?;
    // A [sweep] table is not part of the scenario proper; a sensitivity analysis ignores it.
    let (text, _) = take_sweep_table(&text, &origin)?;
    let overrides = cmd.run.overrides();
    let base = load_str(&text, &origin, &overrides)?;
    let resolved = to_toml(&base);
    let mut factors: Vec<Factor> = Vec::new();
    for r in &cmd.range {
        let r = parse_range(r)?;
        let integer = sa::is_integer_at(&resolved, &r.key);
        factors.push(Factor::from_range(&r, integer));
    }
    if cmd.all_params {
        for f in sa::all_params() {
            if !factors.iter().any(|g| g.key == f.key) {
                factors.push(f);
            }
        }
    }
    let method = match cmd.method.as_str() {
        "sobol" => Method::Sobol {
            samples: cmd.samples,
        },
        _ => Method::Morris {
            trajectories: cmd.trajectories,
            levels: cmd.levels,
        },
    };
    let indicators = sa::indicators(&cmd.indicator)?;
    let plan = Design::new(method, factors, base.seed)?;
    let cells = plan.cells();
    let shard = cmd.shard.as_deref().map(Shard::parse).transpose()?;
    let run = SweepRun {
        text: &text,
        origin: &origin,
        overrides: &overrides,
        cells: &cells,
        scope,
    };
    run.check()?;
    let def = SweepDef::new(&base, scope, cells.clone());
    let target =
        cmd.run.output.clone().unwrap_or_else(|| {
            default_output(&format!("sensitivity-{}-{}", base.name, method.name()))
        });
    let (store, resumed) = Store::open(&target, def, cmd.run.force)?;
    let shard_all = shard.unwrap_or(Shard::ALL);
    let pending = store.pending(shard_all, true)?;
    let mine = shard_all.cells(cells.len()).count();
    if !cmd.run.quiet {
        let (part, resume) =
            crate::commands::experiment::start_notes(shard, mine, pending.len(), resumed, "points");
        eprintln!(
            "sensitivity {} ({}): {} factors, {} points × {} replicates × {} weeks{part}{resume} → {}",
            base.name,
            method.name(),
            plan.factors.len(),
            plan.len(),
            base.replicates,
            base.weeks,
            target.display()
        );
        if base.replicates > 30 && cmd.run.replicates.is_none() {
            eprintln!(
                "  note: {} replicates per point (the scenario's); --replicates 10 is usually enough, the noise \
                 share in noise.csv tells whether more are needed",
                base.replicates
            );
        }
    }
    let pb = if cmd.run.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let pb = ProgressBar::new(pending.len() as u64);
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} sensitivity [{bar:40}] {pos}/{len} points, {msg}, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    };
    let done = AtomicU64::new(0);
    let t0 = Instant::now();
    let threads = with_threads(cmd.run.threads, || {
        run.run_cells(&store, &pending, true, |n| {
            let total = done.fetch_add(n, Ordering::Relaxed) + n;
            pb.set_message(format!(
                "{:.0} replicates/s",
                total as f64 / t0.elapsed().as_secs_f64().max(1e-9)
            ));
            pb.inc(1);
        })
        .map(|()| rayon::current_num_threads())
    })??;
    pb.finish_and_clear();

    let present = store::present(&target, cells.len())?;
    let complete = present.rows.len() == cells.len() && present.replicates.len() == cells.len();
    let mut files = vec!["sweep.json".to_string(), "cells/".to_string()];
    let mut warnings = Vec::new();
    let mut ranking = Vec::new();
    if complete {
        let outputs = sa::read_outputs(&target, cells.len(), &indicators)?;
        let a = sa::analyze(&plan, &indicators, &outputs);
        let tables = [
            sa::sensitivity_table(&a),
            sa::noise_table(&a),
            sa::points_table(&plan, &indicators, &outputs),
        ];
        files.extend(write_tables(&tables, |f, b| {
            write_file_atomic(&target.join(f), b)
        })?);
        ranking = sa::ranking(&a);
        if !cmd.no_charts {
            files.extend(present::sensitivity::charts(&target, &a)?);
            let html = present::sensitivity::report(
                &target,
                &base.name,
                &plan,
                &a,
                scope.name(),
                &ranking,
            );
            write_file_atomic(&target.join("report.html"), html.as_bytes())?;
            files.push("report.html".into());
        }
        warnings = a.warnings.clone();
    }
    files.push("manifest.json".into());
    let manifest = Manifest {
        dugnad_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(),
        command_line: std::env::args().collect(),
        identity: &store.def.identity,
        scenario_file: origin.clone(),
        overrides: &overrides,
        method: method.name(),
        design: plan.design_name(),
        factors: plan
            .factors
            .iter()
            .map(|f| FactorEntry {
                key: &f.key,
                lo: f.lo,
                hi: f.hi,
                integer: f.integer,
            })
            .collect(),
        indicators: indicators.iter().map(|&i| INDICATORS[i]).collect(),
        scope,
        seed: base.seed,
        replicates: base.replicates,
        weeks: base.weeks,
        points: plan.len(),
        shard: shard.map(|s| s.to_string()),
        points_run: pending.len(),
        complete,
        threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        warnings: &warnings,
        files,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    json.push(b'\n');
    write_file_atomic(&target.join("manifest.json"), &json)?;

    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if complete {
        for r in &ranking {
            println!("{r}");
        }
        if !cmd.run.quiet {
            eprintln!(
                "{} points run in {:.2} s → {}",
                pending.len(),
                started.elapsed().as_secs_f64(),
                target.join("sensitivity.csv").display()
            );
        }
    } else if !cmd.run.quiet {
        eprintln!(
            "{} points run in {:.2} s; this folder holds {} of {} points: run the other shards, then \
             `dugnad merge DIR... -o OUT --no-charts` and rerun this command with -o OUT to analyse",
            pending.len(),
            started.elapsed().as_secs_f64(),
            present.rows.len(),
            cells.len()
        );
    }
    Ok(())
}
