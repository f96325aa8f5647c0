//! `dugnad compare`, `dugnad sweep` and `dugnad merge` (docs/experiments.md): each plans in
//! the library (`Plan::from_args`), runs, then writes its tables, charts, report and manifest.

use super::progress::{self, CellBar};
use crate::cli::{CompareCmd, MergeCmd, RunArgs, SweepCmd};
use crate::experiment::compare::{self, Comparison};
use crate::experiment::shard::Shard;
use crate::experiment::store::{self, Present, Store, SweepDef};
use crate::experiment::sweep::{self, Sweep};
use crate::experiment::Scope;
use crate::lang::{fill, Lang};
use crate::metrics::indicators::{key_indicators, View};
use crate::output::atomic::{write_file_atomic, ResultDir};
use crate::output::formats::write_tables;
use crate::output::manifest::{to_json, Provenance};
use crate::output::number::num;
use crate::present;
use crate::sim::replicates::with_threads;
use anyhow::Result;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

// ---------------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------------

/// `dugnad compare`.
pub fn compare(cmd: &CompareCmd) -> Result<()> {
    let started = Instant::now();
    let lang = cmd.report.lang().map_err(super::UsageError)?;
    let plan = compare::Plan::from_args(cmd)?;
    let out = ResultDir::create(&plan.target, cmd.run.force)?;
    let (comparison, threads) = run_comparison(&plan, &cmd.run)?;
    let provenance = Provenance::now();
    write_comparison(
        &out,
        &plan,
        &comparison,
        threads,
        provenance,
        started,
        (!cmd.report.no_charts).then_some(lang),
    )?;
    let dir = out.commit()?;
    if let Some(o) = &comparison.adaptive {
        println!("{}", o.sentence_in(lang));
    }
    if !cmd.run.quiet {
        print_comparison(&comparison, &dir, started, lang);
    }
    Ok(())
}

/// Runs the comparison on `--threads` threads with a progress bar; returns it and the thread
/// count used.
fn run_comparison(plan: &compare::Plan, run: &RunArgs) -> Result<(Comparison, usize)> {
    let designs = plan.contenders.len() as u64;
    let pb = progress::bar(
        plan.start * designs,
        run.quiet,
        "{spinner} compare [{bar:40}] {pos}/{len} replicates, {per_sec}, ETA {eta}",
    );
    let (result, threads) = with_threads(run.threads, || {
        let r = plan.run(|n| {
            pb.set_length(pb.length().unwrap_or(0).max(n * designs));
            pb.set_position(n * designs);
        });
        (r, rayon::current_num_threads())
    })?;
    pb.finish_and_clear();
    Ok((result?, threads))
}

/// Writes `c` (a comparison of `plan` on `threads` threads, started at `started`): its table,
/// charts and report (`charts`: in that language), and manifest into `out`.
pub fn write_comparison(
    out: &ResultDir,
    plan: &compare::Plan,
    c: &Comparison,
    threads: usize,
    provenance: Provenance,
    started: Instant,
    charts: Option<Lang>,
) -> Result<()> {
    let drawn = plan.contenders[0].drawn.as_ref();
    let mut tables = vec![compare::table(c)];
    if let Some(d) = drawn {
        tables.push(d.table());
    }
    let mut files = write_tables(&tables, |f, b| out.write(f, b))?;
    if let Some(lang) = charts {
        files.extend(present::compare::charts(out.path(), c, lang)?);
        files.push("report.html".into());
    }
    files.push("manifest.json".into());
    let wall = started.elapsed().as_secs_f64();
    let manifest = plan.manifest(c, provenance, threads, wall, files);
    if let Some(lang) = charts {
        let html = present::reports::compare(out.path(), plan, c, lang);
        out.write("report.html", html.as_bytes())?;
    }
    out.write("manifest.json", &to_json(&manifest))
}

/// The comparison's size and folder, and each design's headline differences to the baseline, in
/// `lang` (design, indicator and lens names as they are).
fn print_comparison(c: &Comparison, dir: &Path, started: Instant, lang: Lang) {
    let (names, baseline) = (&c.names, c.baseline);
    let seconds = super::seconds_in(lang, started.elapsed().as_secs_f64());
    eprintln!(
        "{}",
        fill(
            lang,
            "summary.compare_head",
            &[
                ("designs", &names.len()),
                ("replicates", &c.replicates),
                ("seconds", &seconds),
                ("dir", &dir.display()),
            ],
        )
    );
    eprintln!(
        "{}",
        fill(
            lang,
            "summary.compare_columns",
            &[
                (
                    "whom",
                    &present::compare::lens_phrase_in(lang, c.lens.as_deref()),
                ),
                ("baseline", &names[baseline]),
                ("scope", &c.scope.name()),
            ],
        )
    );
    let headline = key_indicators(View::Headline);
    let n = |x: f64| lang.number(&num(x));
    for l in c
        .shown()
        .into_iter()
        .filter(|l| l.design != baseline && headline.contains(&c.layout.series[l.series].name()))
    {
        let s = &c.layout.series[l.series];
        let label = if s.lens_name == "newcomers" {
            s.name().to_string()
        } else {
            format!("{} ({})", s.name(), s.lens_name)
        };
        eprintln!(
            "  {:<20} {:<32} {:>9} [{}, {}]  d_z {}{}",
            names[l.design],
            label,
            n(l.diff.mean_diff),
            n(l.diff.ci_low),
            n(l.diff.ci_high),
            n(l.diff.effect_size),
            if l.diff.n < c.replicates {
                fill(
                    lang,
                    "summary.compare_pairs",
                    &[("n", &l.diff.n), ("replicates", &c.replicates)],
                )
            } else {
                String::new()
            }
        );
    }
}

// ---------------------------------------------------------------------------------------------
// cells of a sweep or a sensitivity analysis
// ---------------------------------------------------------------------------------------------

/// What a command calls the cells of its sweep folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A sweep's cells.
    Cells,
    /// A sensitivity design's points.
    Points,
}

impl Unit {
    /// The word, in `lang`: `cells`, `points`.
    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            Unit::Cells => lang.tr("summary.cells"),
            Unit::Points => lang.tr("summary.points"),
        }
    }
}

/// How a command runs the cells of a sweep folder.
pub struct CellJob<'a> {
    /// The command, for the progress bar: `sweep`, `sensitivity`.
    pub what: &'a str,
    /// What a cell is called.
    pub unit: Unit,
    /// The language of the start message's shard and resume notes.
    pub lang: Lang,
    /// Whether each cell's per-replicate rows are kept.
    pub keep: bool,
    pub run: &'a RunArgs,
    /// Set by a host program to stop before the next cell (the CLI's interrupts end the
    /// process instead).
    pub stop: Option<&'a AtomicBool>,
}

/// A sweep folder after this invocation ran its pending cells.
pub struct Swept {
    pub store: Store,
    /// Cells run by this invocation (the rest were already done, or another shard's).
    pub cells_run: usize,
    /// The cells the folder now holds.
    pub present: Present,
    pub threads: usize,
}

impl Swept {
    /// Whether the folder holds every cell (and its per-replicate rows when kept).
    pub fn complete(&self, keep: bool) -> bool {
        let n = self.store.def.cells.len();
        self.present.rows.len() == n && (!keep || self.present.replicates.len() == n)
    }
}

/// The shard and resume parts of a start message, in `lang`: `, shard I/N: M cells, resuming:
/// K done`.
fn start_notes(
    shard: Option<Shard>,
    mine: usize,
    pending: usize,
    resumed: bool,
    unit: Unit,
    lang: Lang,
) -> String {
    let mut notes = shard
        .map(|s| {
            fill(
                lang,
                "summary.shard",
                &[("shard", &s), ("n", &mine), ("unit", &unit.words(lang))],
            )
        })
        .unwrap_or_default();
    if resumed {
        notes.push_str(&fill(
            lang,
            "summary.resuming",
            &[("done", &(mine - pending))],
        ));
    }
    notes
}

/// Opens (or resumes) the sweep's folder, announces the work with `announce(notes)` unless
/// quiet, and runs this shard's pending cells with a progress bar.
pub fn run_cells(sweep: &Sweep, job: &CellJob, announce: impl FnOnce(&str)) -> Result<Swept> {
    let (store, resumed) = Store::open(&sweep.target, sweep.def(), job.run.force)?;
    let shard = sweep.shard.unwrap_or(Shard::ALL);
    let pending = store.pending(shard, job.keep)?;
    let total = sweep.cells.len();
    if !job.run.quiet {
        let mine = shard.cells(total).count();
        announce(&start_notes(
            sweep.shard,
            mine,
            pending.len(),
            resumed,
            job.unit,
            job.lang,
        ));
    }
    // Progress bars stay English (docs/i18n.md): indicatif formats their rate and time left.
    let bar = CellBar::new(
        job.what,
        pending.len(),
        job.unit.words(Lang::En),
        job.run.quiet,
    );
    let threads = with_threads(job.run.threads, || {
        sweep
            .runner()
            .run_cells(&store, &pending, job.keep, |n| bar.cell_done(n), job.stop)
            .map(|()| rayon::current_num_threads())
    })??;
    bar.finish();
    let present = store::present(&sweep.target, total)?;
    Ok(Swept {
        store,
        cells_run: pending.len(),
        present,
        threads,
    })
}

// ---------------------------------------------------------------------------------------------
// sweep
// ---------------------------------------------------------------------------------------------

/// What the manifest of a sweep folder (`sweep`, `sensitivity`) says after its provenance: the
/// sweep's identity, the scenario file and the overrides it ran with.
#[derive(Serialize)]
pub(super) struct SweepOrigin<'a> {
    identity: &'a str,
    scenario_file: String,
    overrides: &'a [String],
}

impl<'a> SweepOrigin<'a> {
    pub(super) fn of(sweep: &'a Sweep, swept: &'a Swept) -> SweepOrigin<'a> {
        SweepOrigin {
            identity: &swept.store.def.identity,
            scenario_file: sweep.base.origin.clone(),
            overrides: &sweep.base.overrides,
        }
    }
}

#[derive(Serialize)]
struct SweepManifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    #[serde(flatten)]
    origin: SweepOrigin<'a>,
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

/// `dugnad sweep`.
pub fn sweep(cmd: &SweepCmd) -> Result<()> {
    let started = Instant::now();
    cmd.report.lang().map_err(super::UsageError)?;
    let plan = sweep::Plan::from_args(cmd)?;
    sweep_planned(&plan, cmd, Provenance::now(), started, None)
}

/// Runs a planned sweep with `cmd`'s run flags into its folder, started at `started`, and
/// writes its tables, charts (unless `cmd.no_charts`) and manifest (`cmd.scenario` is not read:
/// the plan holds the scenario). Setting `stop` ends it before the next cell.
pub fn sweep_planned(
    plan: &sweep::Plan,
    cmd: &SweepCmd,
    provenance: Provenance,
    started: Instant,
    stop: Option<&AtomicBool>,
) -> Result<()> {
    let lang = cmd.report.lang().map_err(super::UsageError)?;
    let sweep = &plan.sweep;
    let (base, cells) = (&sweep.base.scenario, &sweep.cells);
    let job = CellJob {
        what: "sweep",
        unit: Unit::Cells,
        lang,
        keep: plan.keep,
        run: &cmd.run,
        stop,
    };
    let swept = run_cells(sweep, &job, |notes| {
        eprintln!(
            "{}",
            fill(
                lang,
                "summary.sweep_head",
                &[
                    ("name", &base.name),
                    ("cells", &cells.len()),
                    ("design", &cells.design),
                    ("replicates", &base.replicates),
                    ("weeks", &base.weeks),
                    ("notes", &notes),
                    ("dir", &sweep.target.display()),
                ],
            )
        );
    })?;
    let complete = swept.complete(plan.keep);
    let mut files = vec!["sweep.json".to_string(), "cells/".to_string()];
    if complete {
        files.extend(finish(
            &sweep.target,
            &swept.store.def,
            plan.keep,
            (!cmd.report.no_charts).then_some(cmd.lens.as_deref()),
            lang,
        )?);
    }
    files.push("manifest.json".into());
    let manifest = SweepManifest {
        provenance,
        origin: SweepOrigin::of(sweep, &swept),
        seed: base.seed,
        replicates: base.replicates,
        weeks: base.weeks,
        scope: sweep.scope,
        design: &cells.design,
        sampler_seed: cells.sampler_seed,
        cells: cells.len(),
        shard: sweep.shard.map(|s| s.to_string()),
        cells_run: swept.cells_run,
        complete,
        threads: swept.threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        files,
    };
    write_file_atomic(&sweep.target.join("manifest.json"), &to_json(&manifest))?;
    if !cmd.run.quiet {
        let done = fill(
            lang,
            "summary.swept_all",
            &[
                ("cells", &cells.len()),
                ("path", &sweep.target.join("sweep.csv").display()),
            ],
        );
        print_swept(
            &swept,
            complete,
            started,
            Unit::Cells,
            &done,
            "`dugnad merge DIR... -o OUT`",
            lang,
        );
    }
    Ok(())
}

/// How many cells (`unit`) ran in how long, then `done` when the folder is complete, else
/// what it holds and `rest` (what to do with the other shards); in `lang`.
pub fn print_swept(
    swept: &Swept,
    complete: bool,
    started: Instant,
    unit: Unit,
    done: &str,
    rest: &str,
    lang: Lang,
) {
    let seconds = super::seconds_in(lang, started.elapsed().as_secs_f64());
    let head = fill(
        lang,
        "summary.swept",
        &[
            ("n", &swept.cells_run),
            ("unit", &unit.words(lang)),
            ("seconds", &seconds),
        ],
    );
    if complete {
        eprintln!("{head}{done}");
    } else {
        let part = fill(
            lang,
            "summary.swept_part",
            &[
                ("have", &swept.present.rows.len()),
                ("total", &swept.store.def.cells.len()),
                ("unit", &unit.words(lang)),
                ("rest", &rest),
            ],
        );
        eprintln!("{head}{part}");
    }
}

/// Assembles a complete sweep folder's `sweep` (and `sweep-replicates`) tables from its cell
/// files, and with `charts` (`Some(lens)`) draws its charts at that lens and writes its report
/// in `lang`. Returns the files written.
fn finish(
    dir: &Path,
    def: &SweepDef,
    replicates: bool,
    charts: Option<Option<&str>>,
    lang: Lang,
) -> Result<Vec<String>> {
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
    if let Some(lens) = charts {
        files.extend(present::sweep::charts(dir, def, lens, lang)?);
        files.extend(present::reports::sweep(dir, def, lens, lang)?);
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
    let started = Instant::now();
    let lang = cmd.report.lang().map_err(super::UsageError)?;
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
    files.extend(finish(
        out.path(),
        def,
        set.replicates,
        (!cmd.report.no_charts).then_some(None),
        lang,
    )?);
    files.push("manifest.json".into());
    let manifest = MergeManifest {
        provenance: Provenance::now(),
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
            "{}",
            fill(
                lang,
                "summary.merged",
                &[
                    ("folders", &cmd.dirs.len()),
                    ("cells", &def.cells.len()),
                    ("path", &dir.join("sweep.csv").display()),
                ],
            )
        );
    }
    Ok(())
}
