//! `dugnad compare`, `dugnad sweep` and `dugnad merge` (docs/experiments.md).

use crate::cli::{CompareCmd, MergeCmd, SweepCmd};
use crate::commands::run::default_output;
use crate::commands::UsageError;
use crate::experiment::compare::{self, Adaptive, AdaptiveOutcome, Contender};
use crate::experiment::grid::{take_sweep_table, SweepSpec};
use crate::experiment::sensitivity::is_integer_at;
use crate::experiment::shard::Shard;
use crate::experiment::store::{self, Store, SweepDef};
use crate::experiment::sweep::{self, SweepRun};
use crate::experiment::{Refusal, Scope};
use crate::metrics::indicators::{key_indicators, View};
use crate::metrics::{indicator_index, INDICATORS};
use crate::model::group::Design;
use crate::output::atomic::{write_file_atomic, ResultDir};
use crate::output::csv::num;
use crate::output::export::write_tables;
use crate::output::manifest::git_commit;
use crate::present;
use crate::scenario::{self, load_str, Scenario};
use crate::sim::replicates::with_threads;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Reports an experiment's refusal as a usage error (exit code 2).
fn usage(e: anyhow::Error) -> anyhow::Error {
    if e.chain().any(|c| c.is::<Refusal>()) {
        UsageError(format!("{e:#}")).into()
    } else {
        e
    }
}

fn bar(len: u64, quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// What a manifest says about the binary and the invocation.
#[derive(Serialize)]
struct Provenance {
    dugnad_version: String,
    git_commit: Option<String>,
    command_line: Vec<String>,
}

fn provenance() -> Provenance {
    Provenance {
        dugnad_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(),
        command_line: std::env::args().collect(),
    }
}

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).expect("manifest serializes");
    b.push(b'\n');
    b
}

// ---------------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct DesignEntry<'a> {
    name: &'a str,
    file: &'a str,
    overrides: &'a [String],
    scenario: &'a Scenario,
}

#[derive(Serialize)]
struct CompareManifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    baseline: &'a str,
    scope: Scope,
    seed: u64,
    /// Replicates per design (all designs run the same replicates).
    replicates: u64,
    weeks: u32,
    threads: usize,
    wall_time_seconds: f64,
    files: Vec<String>,
    adaptive: Option<&'a AdaptiveOutcome>,
    designs: Vec<DesignEntry<'a>>,
}

/// `dugnad compare`.
pub fn compare(cmd: &CompareCmd) -> Result<()> {
    compare_inner(cmd).map_err(usage)
}

fn contender(file: &Path, name: Option<&str>, overrides: Vec<String>) -> Result<Contender> {
    let scenario = scenario::load(file, &overrides)?;
    let designs = Design::compile_all(&scenario);
    Ok(Contender {
        name: name
            .map(str::to_string)
            .unwrap_or_else(|| scenario.name.clone()),
        file: file.display().to_string(),
        overrides,
        scenario,
        designs,
    })
}

fn compare_inner(cmd: &CompareCmd) -> Result<()> {
    let started = Instant::now();
    let scope = Scope::parse(&cmd.scope)?;
    if cmd.scenarios.len() + cmd.variant.len() < 2 {
        return Err(Refusal(
            "compare needs at least two designs: two or more scenario files, or one file and --variant 'NAME: KEY=VALUE, ...'"
                .into(),
        )
        .into());
    }
    // The first file fixes seed, replicates and weeks for every design (common random numbers).
    let flags = cmd.run.overrides();
    let first = contender(&cmd.scenarios[0], None, flags.clone())?;
    let shared = [
        format!("scenario.seed={}", first.scenario.seed),
        format!("scenario.replicates={}", first.scenario.replicates),
        format!("scenario.weeks={}", first.scenario.weeks),
    ];
    let with_shared = |extra: &[String]| -> Vec<String> {
        flags
            .iter()
            .chain(extra)
            .chain(shared.iter())
            .cloned()
            .collect()
    };
    let mut contenders = vec![first];
    for f in &cmd.scenarios[1..] {
        contenders.push(contender(f, None, with_shared(&[]))?);
    }
    for v in &cmd.variant {
        let (name, mut o) = compare::parse_variant(v)?;
        o.push(format!("scenario.name={name}"));
        contenders.push(contender(&cmd.scenarios[0], Some(&name), with_shared(&o))?);
    }
    let names = compare::unique_names(
        &contenders
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>(),
    );
    for (c, n) in contenders.iter_mut().zip(&names) {
        c.name = n.clone();
    }
    let baseline = match &cmd.baseline {
        None => 0,
        Some(b) => names.iter().position(|n| n == b).ok_or_else(|| {
            Refusal(format!(
                "--baseline '{b}' is not one of the designs: {}",
                names.join(", ")
            ))
        })?,
    };
    let adaptive = match cmd.target_ci {
        None => None,
        Some(w) => {
            let name = cmd.indicator.as_deref().unwrap_or_default();
            let indicator = indicator_index(name).ok_or_else(|| {
                Refusal(format!(
                    "--indicator '{name}' is not an indicator; choose one of: {}",
                    INDICATORS.join(", ")
                ))
            })?;
            if !(w > 0.0 && w.is_finite()) {
                return Err(Refusal(format!(
                    "--target-ci {w}: the half-width must be a number > 0"
                ))
                .into());
            }
            if cmd.max_replicates < 2 || cmd.batch == 0 {
                return Err(Refusal("--max-replicates must be ≥ 2 and --batch ≥ 1".into()).into());
            }
            Some(Adaptive {
                indicator,
                target: w,
                batch: cmd.batch,
                max: cmd.max_replicates,
            })
        }
    };
    let start = match &adaptive {
        // Adaptive: start with --replicates if given, else one batch.
        Some(a) => cmd
            .run
            .replicates
            .map(u64::from)
            .unwrap_or(a.batch)
            .clamp(2.min(a.max), a.max),
        None => contenders[0].scenario.replicates as u64,
    };
    let target = cmd
        .run
        .output
        .clone()
        .unwrap_or_else(|| default_output(&format!("compare-{}", names.join("-vs-"))));
    let out = ResultDir::create(&target, cmd.run.force)?;

    let pb = bar(
        start * contenders.len() as u64,
        cmd.run.quiet,
        "{spinner} compare [{bar:40}] {pos}/{len} replicates, {per_sec}, ETA {eta}",
    );
    let designs = contenders.len() as u64;
    let (result, threads) = with_threads(cmd.run.threads, || {
        let r = compare::run(
            &contenders,
            scope,
            baseline,
            start,
            adaptive.as_ref(),
            |n| {
                pb.set_length(pb.length().unwrap_or(0).max(n * designs));
                pb.set_position(n * designs);
            },
        );
        (r, rayon::current_num_threads())
    })?;
    pb.finish_and_clear();
    let (values, outcome) = result?;
    let replicates = values[0].len() as u64;
    let comparison = compare::Comparison {
        lines: compare::compare(&values, baseline),
        names: names.clone(),
        baseline,
        scope,
        replicates,
        adaptive: outcome,
    };
    let (lines, outcome) = (&comparison.lines, &comparison.adaptive);

    let mut files = write_tables(&[compare::table(&comparison)], |f, b| out.write(f, b))?;
    if !cmd.no_charts {
        files.extend(present::compare::charts(out.path(), &comparison)?);
        files.push("report.html".into());
    }
    files.push("manifest.json".into());
    let manifest = CompareManifest {
        provenance: provenance(),
        baseline: &names[baseline],
        scope,
        seed: contenders[0].scenario.seed,
        replicates,
        weeks: contenders[0].scenario.weeks,
        threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        files: files.clone(),
        adaptive: outcome.as_ref(),
        designs: contenders
            .iter()
            .map(|c| DesignEntry {
                name: &c.name,
                file: &c.file,
                overrides: &c.overrides,
                scenario: &c.scenario,
            })
            .collect(),
    };
    if !cmd.no_charts {
        let html = present::compare::report(out.path(), &comparison);
        out.write("report.html", html.as_bytes())?;
    }
    out.write("manifest.json", &to_json(&manifest))?;
    let dir = out.commit()?;

    if let Some(o) = &outcome {
        println!("{}", o.sentence());
    }
    if !cmd.run.quiet {
        eprintln!(
            "{} designs × {replicates} replicates on common random numbers in {:.2} s → {}",
            names.len(),
            started.elapsed().as_secs_f64(),
            dir.display()
        );
        eprintln!(
            "  design − {} ({}), 95 % CI, Cohen's d_z:",
            names[baseline],
            scope.name()
        );
        let headline = key_indicators(View::Headline);
        for l in lines
            .iter()
            .filter(|l| l.design != baseline && headline.contains(&INDICATORS[l.indicator]))
        {
            eprintln!(
                "  {:<20} {:<26} {:>9} [{}, {}]  d_z {}",
                names[l.design],
                INDICATORS[l.indicator],
                num(l.diff.mean_diff),
                num(l.diff.ci_low),
                num(l.diff.ci_high),
                num(l.diff.effect_size)
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// sweep
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct SweepManifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    identity: &'a str,
    scenario_file: String,
    overrides: &'a [String],
    seed: u64,
    replicates: u32,
    weeks: u32,
    scope: Scope,
    design: &'a str,
    sampler_seed: Option<u64>,
    cells: usize,
    shard: Option<String>,
    /// Cells run by this invocation (the rest were already done).
    cells_run: usize,
    complete: bool,
    threads: usize,
    wall_time_seconds: f64,
    files: Vec<String>,
}

/// Reads a scenario file's text; a missing or unreadable file gets the scenario loader's
/// wording (file named, fix suggested, exit code 2).
pub fn read_scenario_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        scenario::load(path, &[])
            .err()
            .map(Into::into)
            .unwrap_or_else(|| e.into())
    })
}

/// The shard and resume parts of a sweep's start message: (", shard I/N: M cells", ", resuming: K done").
pub fn start_notes(
    shard: Option<Shard>,
    mine: usize,
    pending: usize,
    resumed: bool,
    unit: &str,
) -> (String, String) {
    let part = shard
        .map(|s| format!(", shard {s}: {mine} {unit}"))
        .unwrap_or_default();
    let resume = if resumed {
        format!(", resuming: {} done", mine - pending)
    } else {
        String::new()
    };
    (part, resume)
}

/// `dugnad sweep`.
pub fn sweep(cmd: &SweepCmd) -> Result<()> {
    sweep_inner(cmd).map_err(usage)
}

fn sweep_inner(cmd: &SweepCmd) -> Result<()> {
    let started = Instant::now();
    let scope = Scope::parse(&cmd.scope)?;
    let origin = cmd.scenario.display().to_string();
    let text = read_scenario_text(&cmd.scenario)?;
    let (text, from_file) = take_sweep_table(&text, &origin)?;
    let flags = SweepSpec::from_flags(&cmd.vary, cmd.sample.as_deref(), &cmd.range)?;
    let spec = from_file.unwrap_or_default().overridden_by(flags);
    let overrides = cmd.run.overrides();
    let base = load_str(&text, &origin, &overrides)?;
    let resolved = scenario::to_toml(&base);
    let cells = spec.cells(base.seed, &|key| is_integer_at(&resolved, key))?;
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
    let target = cmd
        .run
        .output
        .clone()
        .unwrap_or_else(|| default_output(&format!("sweep-{}", base.name)));
    let (store, resumed) = Store::open(&target, def, cmd.run.force)?;
    let pending = store.pending(shard.unwrap_or(Shard::ALL), cmd.keep_replicates)?;
    let mine = shard.unwrap_or(Shard::ALL).cells(cells.len()).count();
    if !cmd.run.quiet {
        let (part, resume) = start_notes(shard, mine, pending.len(), resumed, "cells");
        eprintln!(
            "sweep {}: {} cells ({}) × {} replicates × {} weeks{part}{resume} → {}",
            base.name,
            cells.len(),
            cells.design,
            base.replicates,
            base.weeks,
            target.display()
        );
    }

    let pb = bar(
        pending.len() as u64,
        cmd.run.quiet,
        "{spinner} sweep [{bar:40}] {pos}/{len} cells, {msg}, ETA {eta}",
    );
    let replicates_done = AtomicU64::new(0);
    let t0 = Instant::now();
    let threads = with_threads(cmd.run.threads, || {
        run.run_cells(&store, &pending, cmd.keep_replicates, |n| {
            let total = replicates_done.fetch_add(n, Ordering::Relaxed) + n;
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
    let complete = present.rows.len() == cells.len()
        && (!cmd.keep_replicates || present.replicates.len() == cells.len());
    let mut files = vec!["sweep.json".to_string(), "cells/".to_string()];
    if complete {
        files.extend(finish(
            &target,
            &store.def,
            cmd.keep_replicates,
            cmd.no_charts,
        )?);
    }
    files.push("manifest.json".into());
    let manifest = SweepManifest {
        provenance: provenance(),
        identity: &store.def.identity,
        scenario_file: origin.clone(),
        overrides: &overrides,
        seed: base.seed,
        replicates: base.replicates,
        weeks: base.weeks,
        scope,
        design: &cells.design,
        sampler_seed: cells.sampler_seed,
        cells: cells.len(),
        shard: shard.map(|s| s.to_string()),
        cells_run: pending.len(),
        complete,
        threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        files,
    };
    write_file_atomic(&target.join("manifest.json"), &to_json(&manifest))?;
    if !cmd.run.quiet {
        let secs = started.elapsed().as_secs_f64();
        if complete {
            eprintln!(
                "{} cells run in {secs:.2} s; all {} cells done → {}",
                pending.len(),
                cells.len(),
                target.join("sweep.csv").display()
            );
        } else {
            eprintln!(
                "{} cells run in {secs:.2} s; this folder holds {} of {} cells: run the other shards, then \
                 `dugnad merge DIR... -o OUT`",
                pending.len(),
                present.rows.len(),
                cells.len()
            );
        }
    }
    Ok(())
}

/// Assembles a complete sweep folder's `sweep.csv` (and `sweep-replicates.csv`) from its cell
/// files, and draws its charts. Returns the files written.
fn finish(dir: &Path, def: &SweepDef, replicates: bool, no_charts: bool) -> Result<Vec<String>> {
    let keys = &def.cells.keys;
    let mut tables = vec![store::assembled(
        dir,
        def,
        "sweep",
        sweep::columns(keys),
        store::cell_file,
    )];
    if replicates {
        tables.push(store::assembled(
            dir,
            def,
            "sweep-replicates",
            sweep::replicate_columns(keys),
            store::replicates_file,
        ));
    }
    let mut files = write_tables(&tables, |f, b| write_file_atomic(&dir.join(f), b))?;
    if !no_charts {
        files.extend(present::sweep::charts(dir, def)?);
    }
    Ok(files)
}

// ---------------------------------------------------------------------------------------------
// merge
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct MergeManifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    identity: &'a str,
    merged_from: Vec<String>,
    seed: u64,
    replicates: u32,
    weeks: u32,
    scope: Scope,
    design: &'a str,
    cells: usize,
    wall_time_seconds: f64,
    files: Vec<String>,
}

/// The shard count a folder's manifest records, if any.
fn shard_count(dir: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    Shard::parse(v.get("shard")?.as_str()?)
        .ok()
        .map(|s| s.count)
}

/// `dugnad merge`.
pub fn merge(cmd: &MergeCmd) -> Result<()> {
    merge_inner(cmd).map_err(usage)
}

fn merge_inner(cmd: &MergeCmd) -> Result<()> {
    let started = Instant::now();
    let counts: Vec<usize> = cmd.dirs.iter().filter_map(|d| shard_count(d)).collect();
    let set = store::collect_shards(&cmd.dirs, &counts)?;
    let def = &set.def;
    let out = ResultDir::create(&cmd.output, cmd.force)?;
    let cells_dir = out.path().join("cells");
    std::fs::create_dir_all(&cells_dir)?;
    for (c, src) in set.source.iter().enumerate() {
        let mut names = vec![store::cell_file(c)];
        if set.replicates {
            names.push(store::replicates_file(c));
        }
        for name in names {
            let from = src.join("cells").join(&name);
            std::fs::copy(&from, cells_dir.join(&name))
                .map_err(|e| anyhow::anyhow!("cannot copy {}: {e}", from.display()))?;
        }
    }
    out.write("sweep.json", &def.to_json())?;
    let mut files = vec!["sweep.json".to_string(), "cells/".to_string()];
    files.extend(finish(out.path(), def, set.replicates, cmd.no_charts)?);
    files.push("manifest.json".into());
    let manifest = MergeManifest {
        provenance: provenance(),
        identity: &def.identity,
        merged_from: cmd.dirs.iter().map(|d| d.display().to_string()).collect(),
        seed: def.seed,
        replicates: def.replicates,
        weeks: def.weeks,
        scope: def.scope,
        design: &def.cells.design,
        cells: def.cells.len(),
        wall_time_seconds: started.elapsed().as_secs_f64(),
        files,
    };
    out.write("manifest.json", &to_json(&manifest))?;
    let dir: PathBuf = out.commit()?;
    if !cmd.quiet {
        eprintln!(
            "merged {} folders: {} cells → {}",
            cmd.dirs.len(),
            def.cells.len(),
            dir.join("sweep.csv").display()
        );
    }
    Ok(())
}
