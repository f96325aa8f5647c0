//! The fit folder: where a fit's proposals are simulated and its generations kept, so that a
//! fit resumes where it stopped and can be spread over machines.
//!
//! ```text
//! fit.json                                   what the fit is (identity); written once
//! generations/gen-003/round-001/shard-0of4/  a sweep store (experiment::store): sweep.json and
//!                                            cells/cell-000012.csv, one chunk of proposals each
//! generations/gen-003.json                   generation 3, closed (the commit marker)
//! ```
//! A round of proposals is a sweep of chunks: each chunk (a cell) is committed atomically, shard
//! I of N runs the chunks c with c mod N = I into its own store, and a round is complete when the
//! stores of its shard folders hold every chunk together ([`store::collect_shards`]). Proposals
//! and simulations are seeded by their number, so the chunks do not depend on who ran them, and
//! every generation is computed from the chunks as read back from their files.

use super::observed::Observed;
use super::smc::{proposal_seed, Evaluate, Evaluated, Generation, Journal, Proposer, Settings};
use super::Priors;
use crate::experiment::grid::Cells;
use crate::experiment::shard::Shard;
use crate::experiment::store::{self, cell_file, Store, SweepDef};
use crate::experiment::{hash_hex, read_json, Refusal, Scope};
use crate::lang::{fill, Lang};
use crate::model::group::Design;
use crate::output::atomic::write_file_atomic;
use crate::output::csv;
use crate::output::table::{Cell, Column, Table};
use crate::scenario::{load_str, Scenario};
use crate::sim::replicates::run_replicate;
use crate::sim::rng::Rng as Xoshiro;
use anyhow::{Context, Result};
use rand::SeedableRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Format tag of `fit.json`.
pub const FORMAT: &str = "dugnad-fit-1";

/// Most chunks a round is cut into (a chunk is the unit committed, resumed and sharded).
pub const MAX_CHUNKS: u64 = 256;

/// `fit.json`: what a fit is. Two runs with the same identity simulate the same proposals, so
/// a folder holding one can be resumed by the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitDef {
    pub format: String,
    pub identity: String,
    pub scenario: String,
    /// Hash of the fully resolved scenario with its `[fit]` (the run flags applied).
    pub scenario_hash: String,
    pub data_file: String,
    /// Hash of the observations in canonical form.
    pub data_hash: String,
    pub parameters: Vec<String>,
    pub statistics: Vec<String>,
    /// How the sampler runs (written as keys of `fit.json` itself).
    #[serde(flatten)]
    pub settings: Settings,
}

impl FitDef {
    /// The definition of fitting `scenario` (with its `[fit]`) to `observed` with `settings`.
    pub fn new(scenario: &Scenario, observed: &Observed, settings: &Settings) -> FitDef {
        let scenario_hash = hash_hex(&crate::scenario::to_toml(scenario));
        let data_hash = hash_hex(&observed.canonical());
        let parameters = scenario
            .fit
            .as_ref()
            .map(|f| f.priors.iter().map(|p| p.path.clone()).collect())
            .unwrap_or_default();
        let mut def = FitDef {
            format: FORMAT.into(),
            identity: String::new(),
            scenario: scenario.name.clone(),
            scenario_hash,
            data_file: observed.file.clone(),
            data_hash,
            parameters,
            statistics: observed.names(),
            settings: settings.clone(),
        };
        def.identity = hash_hex(&serde_json::to_string(&def).expect("fit.json serializes"));
        def
    }

    /// What differs between this (the folder's) fit and `other`, in words.
    pub fn differences(&self, other: &FitDef) -> Vec<String> {
        let mut d = Vec::new();
        if self.scenario_hash != other.scenario_hash {
            d.push(
                "the resolved scenario or its [fit] differs (compare with `dugnad check`)".into(),
            );
        }
        if self.data_hash != other.data_hash {
            d.push(format!(
                "the observed data differ ({} vs {})",
                self.data_file, other.data_file
            ));
        }
        let (mine, theirs) = (&self.settings, &other.settings);
        for (what, a, b) in [
            ("particles", mine.particles as u64, theirs.particles as u64),
            (
                "generations",
                mine.generations as u64,
                theirs.generations as u64,
            ),
            (
                "max_simulations",
                mine.max_simulations,
                theirs.max_simulations,
            ),
            ("seed", mine.seed, theirs.seed),
        ] {
            if a != b {
                d.push(format!("{what} {a} vs {b}"));
            }
        }
        if mine.quantile != theirs.quantile || mine.min_acceptance != theirs.min_acceptance {
            d.push("quantile or min_acceptance differ".into());
        }
        if d.is_empty() {
            d.push("the fit definition format changed".into());
        }
        d
    }
}

/// What a fit simulates: the scenario, how each proposal's scenario is made, the data.
pub struct Source<'a> {
    pub scenario: &'a Scenario,
    /// The scenario text without its `[fit]`, which every proposal loads with its values set.
    pub text: &'a str,
    pub origin: &'a str,
    /// The run flags (`--set`, `--at`, ...) as overrides, applied before a proposal's values.
    pub overrides: &'a [String],
    pub priors: &'a Priors<'a>,
    pub observed: &'a Observed,
}

/// A fit folder opened for one fit: it simulates proposals into round stores and keeps closed
/// generations.
pub struct Folder<'a> {
    pub dir: PathBuf,
    pub def: FitDef,
    pub source: Source<'a>,
    pub shard: Shard,
    /// Wait for the other shards of a round (else stop with [`Waiting`]).
    pub wait: bool,
    /// Told how many proposals were simulated by this process, as chunks finish.
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// Proposals this process simulated.
    pub simulated: std::sync::atomic::AtomicU64,
    /// The generation and round last evaluated.
    round: (u32, u32),
}

/// The other shards of a round have not finished yet and this process was asked not to wait: of
/// generation `generation`'s round `round`, `done` of `total` chunks of proposals are done. Not a
/// failure (the command exits 0), so it is said in the language asked for ([`Waiting::words`]);
/// `Display` says it in English.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.words(Lang::En))]
pub struct Waiting {
    pub generation: u32,
    pub round: u32,
    pub done: usize,
    pub total: usize,
}

impl Waiting {
    /// What is still running and what to do, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        fill(
            lang,
            "summary.fit_waiting",
            &[
                ("generation", &self.generation),
                ("round", &self.round),
                ("done", &self.done),
                ("total", &self.total),
            ],
        )
    }
}

/// Opens `dir` for the fit `def`: creates it (with `fit.json`), resumes it when it holds the same
/// fit, starts over with `force`, and refuses a folder holding another fit.
pub fn open(dir: &Path, def: &FitDef, force: bool) -> Result<bool> {
    let path = dir.join("fit.json");
    if dir.exists() && force && path.exists() {
        crate::output::atomic::remove_result(dir)?;
    }
    let old: Option<FitDef> = read_json(&path, |p, e| {
        format!(
            "{} is not a fit definition dugnad can read ({e}); pass --force to start over or -o DIR",
            p.display()
        )
    })?;
    if let Some(old) = old {
        if old.identity != def.identity {
            return Err(Refusal(format!(
                "{} holds a different fit, so it cannot be resumed: {}. Pass --force to start this fit over in it \
                 (its results are deleted), or -o DIR to write elsewhere",
                dir.display(),
                old.differences(def).join("; ")
            ))
            .into());
        }
        return Ok(true);
    }
    if dir.exists() {
        crate::output::atomic::check_target(dir, force)?;
    }
    std::fs::create_dir_all(dir.join("generations"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    write_file_atomic(&path, &crate::output::manifest::to_json(def))?;
    Ok(false)
}

/// The file of closed generation `t`.
fn generation_file(dir: &Path, t: u32) -> PathBuf {
    dir.join("generations").join(format!("gen-{t:03}.json"))
}

/// A closed generation as written: numbers that are not finite as null.
#[derive(Serialize, Deserialize)]
struct GenerationFile {
    index: u32,
    epsilon: Option<f64>,
    simulations: u64,
    within: u64,
    particles: Vec<Vec<f64>>,
    weights: Vec<f64>,
    distances: Vec<f64>,
    statistics: Vec<Vec<Option<f64>>>,
}

impl From<&Generation> for GenerationFile {
    fn from(g: &Generation) -> Self {
        GenerationFile {
            index: g.index,
            epsilon: g.epsilon.is_finite().then_some(g.epsilon),
            simulations: g.simulations,
            within: g.within,
            particles: g.particles.clone(),
            weights: g.weights.clone(),
            distances: g.distances.clone(),
            statistics: g
                .statistics
                .iter()
                .map(|s| s.iter().map(|x| x.is_finite().then_some(*x)).collect())
                .collect(),
        }
    }
}

impl From<GenerationFile> for Generation {
    fn from(f: GenerationFile) -> Self {
        Generation {
            index: f.index,
            epsilon: f.epsilon.unwrap_or(f64::INFINITY),
            particles: f.particles,
            weights: f.weights,
            distances: f.distances,
            statistics: f
                .statistics
                .into_iter()
                .map(|s| s.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
                .collect(),
            simulations: f.simulations,
            within: f.within,
        }
    }
}

/// Closed generation `t` of a fit folder, if it has it.
pub fn read_generation(dir: &Path, t: u32) -> Result<Option<Generation>> {
    let g: Option<GenerationFile> = read_json(&generation_file(dir, t), |p, e| {
        format!(
            "{} is damaged ({e}); delete it to recompute that generation",
            p.display()
        )
    })?;
    Ok(g.map(Generation::from))
}

impl Journal for Folder<'_> {
    fn closed(&mut self, t: u32) -> Result<Option<Generation>> {
        read_generation(&self.dir, t)
    }

    fn close(&mut self, g: &Generation) -> Result<()> {
        let mut bytes = serde_json::to_vec(&GenerationFile::from(g))?;
        bytes.push(b'\n');
        write_file_atomic(&generation_file(&self.dir, g.index), &bytes)
    }
}

impl<'a> Folder<'a> {
    /// The folder `dir` of fit `def`, simulating `source`.
    pub fn new(
        dir: &Path,
        def: FitDef,
        source: Source<'a>,
        shard: Shard,
        wait: bool,
        progress: &'a (dyn Fn(u64) + Sync),
    ) -> Folder<'a> {
        Folder {
            dir: dir.to_path_buf(),
            def,
            source,
            shard,
            wait,
            progress,
            simulated: Default::default(),
            round: (u32::MAX, 0),
        }
    }

    /// The scenario of parameter values `theta`, if the scenario accepts them.
    fn scenario_of(&self, theta: &[f64]) -> Option<Scenario> {
        let src = &self.source;
        let mut o = src.overrides.to_vec();
        o.extend(src.priors.overrides(theta));
        load_str(src.text, src.origin, &o).ok()
    }

    /// The columns of a chunk's file: the proposal, its values (exact text), its statistics.
    fn columns(&self) -> Vec<Column> {
        let mut c = vec![Column::int("proposal")];
        c.extend(self.def.parameters.iter().map(Column::text));
        c.extend(self.def.statistics.iter().map(Column::num));
        c
    }

    /// Proposes and simulates proposals `range` of generation `t`: the chunk's file.
    fn run_chunk(
        &self,
        t: u32,
        range: Range<u64>,
        proposer: &Proposer<'_, Priors<'_>>,
    ) -> Result<Vec<u8>> {
        let mut rows: Vec<(u64, Vec<String>, Vec<f64>)> = Vec::new();
        for index in range {
            let mut scenario = None;
            let theta = proposer.propose(index, |theta| {
                scenario = self.scenario_of(theta);
                scenario.is_some()
            })?;
            let s = scenario.expect("a valid proposal has its scenario");
            let designs = Design::compile_all(&s);
            let seed = proposal_seed(self.def.settings.seed, t, index, "simulate");
            let result = run_replicate(&designs, seed, 0, s.weeks, false);
            let mut noise =
                Xoshiro::seed_from_u64(proposal_seed(self.def.settings.seed, t, index, "measure"));
            let stats = self
                .source
                .observed
                .observations
                .iter()
                .map(|o| o.measure(&result.rows, &mut noise))
                .collect();
            rows.push((
                index,
                theta.iter().map(|x| format!("{x:?}")).collect(),
                stats,
            ));
        }
        let table = Table::new("proposals", self.columns(), |sink| {
            for (index, theta, stats) in &rows {
                let mut cells = vec![Cell::Int(*index as i64)];
                cells.extend(theta.iter().map(|x| Cell::Text(x)));
                cells.extend(stats.iter().map(|x| Cell::Num(*x)));
                sink(&cells)?;
            }
            Ok(())
        });
        csv::to_bytes(&table)
    }

    /// The store definition of round `r` of generation `t` (proposals `range` cut into chunks).
    fn round_def(&self, scenario: &Scenario, t: u32, r: u32, range: &Range<u64>) -> SweepDef {
        let size = range.end - range.start;
        let chunk = size.div_ceil(MAX_CHUNKS).max(1);
        let values = (0..size.div_ceil(chunk))
            .map(|c| {
                let a = range.start + c * chunk;
                vec![format!("{a}..{}", (a + chunk).min(range.end))]
            })
            .collect();
        let cells = Cells {
            keys: vec!["proposals".into()],
            design: format!("abc-smc fit {} generation {t} round {r}", self.def.identity),
            sampler_seed: None,
            values,
        };
        SweepDef::new(scenario, Scope::FinalWeek, cells)
    }
}

/// The proposal range of a chunk (`a..b` as written in the round's cells).
fn chunk_range(value: &str) -> Range<u64> {
    let (a, b) = value.split_once("..").unwrap_or(("0", "0"));
    a.parse().unwrap_or(0)..b.parse().unwrap_or(0)
}

/// The shard folders of a round.
fn shard_dirs(round: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    if round.exists() {
        for e in std::fs::read_dir(round)? {
            let p = e?.path();
            if p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("shard-"))
            {
                dirs.push(p);
            }
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// The chunks of a round held by its shard folders (those of this round's definition).
fn chunks_present(dirs: &[PathBuf], def: &SweepDef) -> Result<BTreeSet<usize>> {
    let mut done = BTreeSet::new();
    for d in dirs {
        if store::read_def(d)?.is_some_and(|x| x.identity == def.identity) {
            done.extend(store::present(d, def.cells.len())?.rows);
        }
    }
    Ok(done)
}

impl Evaluate<Priors<'_>> for Folder<'_> {
    fn evaluate(
        &mut self,
        t: u32,
        range: Range<u64>,
        proposer: &Proposer<'_, Priors<'_>>,
    ) -> Result<Vec<Evaluated>> {
        self.round = if self.round.0 == t {
            (t, self.round.1 + 1)
        } else {
            (t, 0)
        };
        let r = self.round.1;
        let round = self
            .dir
            .join("generations")
            .join(format!("gen-{t:03}"))
            .join(format!("round-{r:03}"));
        let def = self.round_def(self.source.scenario, t, r, &range);
        let total = def.cells.len();
        let done = chunks_present(&shard_dirs(&round)?, &def)?;
        let pending: Vec<usize> = self
            .shard
            .cells(total)
            .filter(|c| !done.contains(c))
            .collect();
        if !pending.is_empty() {
            let mine = round.join(format!("shard-{}of{}", self.shard.index, self.shard.count));
            let (store, _) = Store::open(&mine, def.clone(), false)?;
            let this = &*self;
            pending.par_iter().try_for_each(|&c| -> Result<()> {
                let chunk = chunk_range(&def.cells.values[c][0]);
                let n = chunk.end - chunk.start;
                let bytes = this.run_chunk(t, chunk, proposer)?;
                store.commit(c, &bytes, None)?;
                this.simulated
                    .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                (this.progress)(n);
                Ok(())
            })?;
        }
        let dirs = loop {
            let dirs = shard_dirs(&round)?;
            let have = chunks_present(&dirs, &def)?.len();
            if have == total {
                break dirs;
            }
            if !self.wait {
                return Err(Waiting {
                    generation: t,
                    round: r,
                    done: have,
                    total,
                }
                .into());
            }
            std::thread::sleep(std::time::Duration::from_secs(2));
        };
        self.read_round(&dirs, &def)
    }
}

impl Folder<'_> {
    /// Every proposal of a complete round, read back from its chunks' files in proposal order.
    fn read_round(&self, dirs: &[PathBuf], def: &SweepDef) -> Result<Vec<Evaluated>> {
        let set = store::collect_shards(dirs, &[])?;
        let columns = self.columns();
        let k = self.def.parameters.len();
        let damaged = |p: &Path, why: String| {
            Refusal(format!(
                "{} is damaged ({why}); delete it to recompute it",
                p.display()
            ))
        };
        let mut out: Vec<Evaluated> = Vec::new();
        for (c, src) in set.source.iter().enumerate().take(def.cells.len()) {
            let mut row = |cells: &[Cell]| {
                let num = |cell: &Cell| match cell {
                    Cell::Num(x) => *x,
                    Cell::Text(s) => s.parse().unwrap_or(f64::NAN),
                    Cell::Int(i) => *i as f64,
                    Cell::Empty => f64::NAN,
                };
                let index = match cells[0] {
                    Cell::Int(i) => i as u64,
                    _ => 0,
                };
                out.push(Evaluated {
                    index,
                    theta: cells[1..=k].iter().map(num).collect(),
                    statistics: cells[k + 1..].iter().map(num).collect(),
                });
                Ok(())
            };
            store::read_commit(src, &cell_file(c), &columns, &mut row, damaged)?;
        }
        Ok(out)
    }
}
