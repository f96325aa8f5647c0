//! The sweep folder: results committed cell by cell so that no finished work is lost.
//!
//! ```text
//! sweep.json                      identity and definition (scenario hash, cells); written once
//! cells/cell-000123.csv           one cell's sweep.csv row, with the header (the commit marker)
//! cells/cell-000123-replicates.csv  that cell's per-replicate rows (with --keep-replicates)
//! sweep.csv, sweep-replicates.csv assembled from the cell files once every cell is done
//! ```
//! Every file is written to a temporary name and renamed into place, so a crash or `kill -9`
//! leaves either a whole cell or none. Which cells are done is read from the folder itself (the
//! cell files are the index), so there is no second record that could disagree with it.

use super::grid::Cells;
use super::shard::{ranges, Shard};
use super::{hash_hex, read_json, Refusal, Scope};
use crate::output::atomic::write_file_atomic;
use crate::output::csv;
use crate::output::table::{Cell, Column, Table};
use crate::scenario::{to_toml, Scenario};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Format tag of `sweep.json`.
pub const FORMAT: &str = "dugnad-sweep-1";

/// `sweep.json`: what a sweep is. Two runs with the same identity compute the same cells with
/// the same results, so their cell files can be mixed (resumed, merged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepDef {
    pub format: String,
    /// Hash of everything below (see [`SweepDef::new`]).
    pub identity: String,
    /// Name of the scenario swept.
    pub scenario: String,
    /// Hash of the fully resolved scenario (`dugnad check` output, with --set etc. applied),
    /// seed, replicates and weeks left out (they are listed below).
    pub scenario_hash: String,
    pub seed: u64,
    pub replicates: u32,
    pub weeks: u32,
    pub scope: Scope,
    pub cells: Cells,
}

impl SweepDef {
    /// The definition of sweeping `cells` over `base` (the scenario with every flag applied).
    /// identity = FNV-1a-128 of the format tag, the resolved scenario's hash, the scope,
    /// replicates, weeks, seed and the cell list (keys, design, every cell's values).
    pub fn new(base: &Scenario, scope: Scope, cells: Cells) -> SweepDef {
        let mut rest = base.clone();
        (rest.seed, rest.replicates, rest.weeks) = (0, 0, 0);
        let scenario_hash = hash_hex(&to_toml(&rest));
        let mut def = SweepDef {
            format: FORMAT.to_string(),
            identity: String::new(),
            scenario: base.name.clone(),
            scenario_hash,
            seed: base.seed,
            replicates: base.replicates,
            weeks: base.weeks,
            scope,
            cells,
        };
        def.identity = def.compute_identity();
        def
    }

    fn compute_identity(&self) -> String {
        hash_hex(&format!(
            "{}\nscenario {}\nscope {}\nreplicates {}\nweeks {}\nseed {}\n{}",
            self.format,
            self.scenario_hash,
            self.scope.name(),
            self.replicates,
            self.weeks,
            self.seed,
            self.cells.canonical()
        ))
    }

    /// `sweep.json`'s bytes: pretty JSON with a final newline, as every manifest.
    pub fn to_json(&self) -> Vec<u8> {
        crate::output::manifest::to_json(self)
    }

    /// What differs between this (the folder's) sweep and `other` (the one asked for), in words.
    pub fn differences(&self, other: &SweepDef) -> Vec<String> {
        let mut d = Vec::new();
        if self.scenario_hash != other.scenario_hash {
            let names = if self.scenario == other.scenario {
                format!("'{}'", self.scenario)
            } else {
                format!("'{}' vs '{}'", self.scenario, other.scenario)
            };
            d.push(format!(
                "the resolved scenario {names} differs (the scenario file or a --set changed; compare with `dugnad check`)"
            ));
        }
        for (what, a, b) in [
            ("seed", self.seed, other.seed),
            (
                "replicates",
                self.replicates as u64,
                other.replicates as u64,
            ),
            ("weeks", self.weeks as u64, other.weeks as u64),
        ] {
            if a != b {
                d.push(format!("{what} {a} vs {b}"));
            }
        }
        if self.scope != other.scope {
            d.push(format!(
                "scope {} vs {}",
                self.scope.name(),
                other.scope.name()
            ));
        }
        if self.cells != other.cells {
            let (a, b) = (&self.cells, &other.cells);
            if a.keys != b.keys {
                d.push(format!(
                    "swept keys [{}] vs [{}]",
                    a.keys.join(", "),
                    b.keys.join(", ")
                ));
            } else if a.values.len() != b.values.len() {
                d.push(format!(
                    "{} cells ({}) vs {} cells ({})",
                    a.len(),
                    a.design,
                    b.len(),
                    b.design
                ));
            } else {
                let first = (0..a.len())
                    .find(|c| a.values[*c] != b.values[*c])
                    .unwrap_or(0);
                d.push(format!(
                    "the cells' values differ from cell {first} on ({} vs {})",
                    a.design, b.design
                ));
            }
        }
        if d.is_empty() && self.identity != other.identity {
            d.push("the sweep definition format changed".into());
        }
        d
    }
}

/// File name of cell `c`'s row.
pub fn cell_file(c: usize) -> String {
    format!("cell-{c:06}.csv")
}

/// File name of cell `c`'s per-replicate rows.
pub fn replicates_file(c: usize) -> String {
    format!("cell-{c:06}-replicates.csv")
}

fn parse_cell_file(name: &str) -> Option<(usize, bool)> {
    let rest = name.strip_prefix("cell-")?;
    if let Some(n) = rest.strip_suffix("-replicates.csv") {
        return n.parse().ok().map(|c| (c, true));
    }
    rest.strip_suffix(".csv")?.parse().ok().map(|c| (c, false))
}

/// Reads a folder's `sweep.json`, if it has one.
pub fn read_def(dir: &Path) -> Result<Option<SweepDef>> {
    read_json(&dir.join("sweep.json"), |p, e| {
        format!(
            "{} is not a sweep definition dugnad can read ({e}); pass --force to start over or -o DIR to write elsewhere",
            p.display()
        )
    })
}

/// Cells present in a folder: those with a row file, and those that also have a replicates file.
#[derive(Debug, Default)]
pub struct Present {
    pub rows: BTreeSet<usize>,
    pub replicates: BTreeSet<usize>,
}

/// Lists the committed cells of a sweep folder (ignoring cells beyond `total`).
pub fn present(dir: &Path, total: usize) -> Result<Present> {
    let mut p = Present::default();
    let cells = dir.join("cells");
    if !cells.exists() {
        return Ok(p);
    }
    for e in
        std::fs::read_dir(&cells).with_context(|| format!("cannot list {}", cells.display()))?
    {
        let name = e?.file_name().to_string_lossy().to_string();
        if let Some((c, reps)) = parse_cell_file(&name) {
            if c < total {
                if reps {
                    p.replicates.insert(c);
                } else {
                    p.rows.insert(c);
                }
            }
        }
    }
    Ok(p)
}

/// A sweep folder being filled (its lock held while the store lives).
#[derive(Debug)]
pub struct Store {
    pub dir: PathBuf,
    pub def: SweepDef,
    _lock: crate::output::atomic::FolderLock,
}

impl Store {
    /// Opens `dir` for the sweep `def`: creates it (with `sweep.json`) when absent or empty,
    /// resumes it when it holds the same sweep, starts over with `force`, and refuses otherwise.
    /// Leftover temporary files of an interrupted write are removed.
    pub fn open(dir: &Path, def: SweepDef, force: bool) -> Result<(Store, bool)> {
        let lock = crate::output::atomic::lock(dir)?;
        let mut resumed = false;
        if dir.exists() {
            if !dir.is_dir() {
                return Err(Refusal(format!(
                    "{} is a file, not a folder; pass -o DIR",
                    dir.display()
                ))
                .into());
            }
            if force {
                crate::output::atomic::remove_result(dir)?;
            } else if let Some(old) = read_def(dir)? {
                if old.identity != def.identity {
                    return Err(Refusal(format!(
                        "{} holds a different sweep, so it cannot be resumed: {} (the folder's first, this \
                         command's second). Pass --force to start this sweep over in it (its results are \
                         deleted), or -o DIR to write elsewhere",
                        dir.display(),
                        old.differences(&def).join("; ")
                    ))
                    .into());
                }
                resumed = true;
            } else {
                crate::output::atomic::check_target(dir, false)?;
            }
        }
        let cells = dir.join("cells");
        std::fs::create_dir_all(&cells)
            .with_context(|| format!("cannot create {}", cells.display()))?;
        for e in std::fs::read_dir(&cells)? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "tmp") {
                std::fs::remove_file(&p)
                    .with_context(|| format!("cannot remove {}", p.display()))?;
            }
        }
        if !resumed {
            write_file_atomic(&dir.join("sweep.json"), &def.to_json())?;
        }
        Ok((
            Store {
                dir: dir.to_path_buf(),
                def,
                _lock: lock,
            },
            resumed,
        ))
    }

    /// The cells of `shard` still to run: without a row file, or (when replicates are kept)
    /// without a replicates file.
    pub fn pending(&self, shard: Shard, keep: bool) -> Result<Vec<usize>> {
        let p = present(&self.dir, self.def.cells.len())?;
        Ok(shard
            .cells(self.def.cells.len())
            .filter(|c| !p.rows.contains(c) || (keep && !p.replicates.contains(c)))
            .collect())
    }

    /// Commits one cell: its replicates file first, then its row file (the commit marker).
    pub fn commit(&self, c: usize, row: &[u8], replicates: Option<&[u8]>) -> Result<()> {
        let cells = self.dir.join("cells");
        if let Some(r) = replicates {
            write_file_atomic(&cells.join(replicates_file(c)), r)?;
        }
        write_file_atomic(&cells.join(cell_file(c)), row)
    }
}

/// The table (`name`, `columns`) whose rows are those of every cell's file `file(c)` in cell
/// order, read back from `dir/cells` (all cells must be present). A file whose header is not
/// that of `columns`, or whose rows do not fit them, is refused, naming the file.
pub fn assembled<'a>(
    dir: &'a Path,
    def: &'a SweepDef,
    name: &str,
    columns: Vec<Column>,
    file: fn(usize) -> String,
) -> Table<'a> {
    let unreadable = |p: &Path, why: String| {
        Refusal(format!(
            "{} does not have the columns this sweep writes ({why}; was it written by another dugnad \
             version?); delete it and run the sweep again to recompute that cell",
            p.display()
        ))
    };
    Table::new(name, columns.clone(), move |sink| {
        for c in 0..def.cells.len() {
            read_commit(dir, &file(c), &columns, sink, unreadable)?;
        }
        Ok(())
    })
}

/// Reads the commit file `name` of the store in `dir` back, handing each row to `sink`. A file
/// whose header is not that of `columns`, or whose rows do not fit them, is refused with
/// `refuse(its path, why)`.
pub fn read_commit(
    dir: &Path,
    name: &str,
    columns: &[Column],
    sink: &mut dyn FnMut(&[Cell]) -> Result<()>,
    refuse: impl Fn(&Path, String) -> Refusal,
) -> Result<()> {
    let p = dir.join("cells").join(name);
    let text =
        std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
    if head != csv::header(columns) {
        return Err(refuse(&p, "another header".into()).into());
    }
    csv::read_rows(body, columns, sink).map_err(|e| refuse(&p, e.to_string()))?;
    Ok(())
}

/// Shard folders of one sweep, checked to be complete.
pub struct ShardSet {
    pub def: SweepDef,
    /// Per cell, the folder holding it.
    pub source: Vec<PathBuf>,
    /// Whether every cell also has a replicates file.
    pub replicates: bool,
}

/// Checks that `dirs` hold shards of one sweep and together every cell; names what is wrong.
/// `shard_counts` are the shard counts the folders were run with, if known (for the hint).
pub fn collect_shards(dirs: &[PathBuf], shard_counts: &[usize]) -> Result<ShardSet> {
    let mut defs = Vec::new();
    for d in dirs {
        match read_def(d)? {
            Some(def) => defs.push(def),
            None => {
                return Err(Refusal(format!(
                    "{} is not a sweep folder (no sweep.json); pass the folders written by `dugnad sweep --shard I/N`",
                    d.display()
                ))
                .into())
            }
        }
    }
    let def = defs[0].clone();
    for (d, other) in dirs.iter().zip(&defs).skip(1) {
        if other.identity != def.identity {
            return Err(Refusal(format!(
                "{} and {} hold different sweeps ({} vs {}), which cannot be merged: {}",
                dirs[0].display(),
                d.display(),
                &def.identity[..12],
                &other.identity[..12],
                def.differences(other).join("; ")
            ))
            .into());
        }
    }
    let total = def.cells.len();
    let mut source: Vec<Option<PathBuf>> = vec![None; total];
    let mut with_reps = vec![false; total];
    for d in dirs {
        let p = present(d, total)?;
        for c in p.rows {
            let has_reps = p.replicates.contains(&c);
            match &source[c] {
                None => {
                    source[c] = Some(d.clone());
                    with_reps[c] = has_reps;
                }
                Some(first) => {
                    let a = std::fs::read(first.join("cells").join(cell_file(c)))?;
                    let b = std::fs::read(d.join("cells").join(cell_file(c)))?;
                    if a != b {
                        return Err(Refusal(format!(
                            "cell {c} differs between {} and {} although both hold the same sweep; \
                             delete it from one of them and rerun that shard",
                            first.display(),
                            d.display()
                        ))
                        .into());
                    }
                    if has_reps && !with_reps[c] {
                        source[c] = Some(d.clone());
                        with_reps[c] = true;
                    }
                }
            }
        }
    }
    let missing: Vec<usize> = (0..total).filter(|c| source[*c].is_none()).collect();
    if !missing.is_empty() {
        let mut counts: Vec<usize> = shard_counts.to_vec();
        counts.sort_unstable();
        counts.dedup();
        let hint = match counts[..] {
            [n] if n > 1 => {
                let mut shards: Vec<usize> = missing.iter().map(|c| c % n).collect();
                shards.dedup();
                shards.sort_unstable();
                shards.dedup();
                let list: Vec<String> = shards.iter().map(|i| format!("{i}/{n}")).collect();
                format!(
                    " They belong to shard {} (cell c is in shard c mod {n}); run `dugnad sweep ... --shard I/{n}` \
                     again for those shards (it resumes) and pass all shard folders",
                    list.join(", ")
                )
            }
            _ => " Run the missing shards (a rerun resumes where it stopped) and pass all shard folders".to_string(),
        };
        return Err(Refusal(format!(
            "the shard folders are incomplete: {} of {total} cells are missing: {}.{hint}",
            missing.len(),
            ranges(&missing)
        ))
        .into());
    }
    Ok(ShardSet {
        def,
        source: source.into_iter().map(|s| s.expect("checked")).collect(),
        replicates: with_reps.iter().all(|x| *x),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::grid::SweepSpec;

    fn scenario(overrides: &[&str]) -> Scenario {
        let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        crate::scenario::load(Path::new("scenarios/knitting-cafe.toml"), &o).unwrap()
    }

    fn cells(vary: &[&str]) -> Cells {
        let v: Vec<String> = vary.iter().map(|s| s.to_string()).collect();
        SweepSpec::from_flags(&v, None, &[])
            .unwrap()
            .cells(1, &|_| false)
            .unwrap()
    }

    #[test]
    fn identity_follows_scenario_cells_and_run_size_but_nothing_else() {
        let base = SweepDef::new(
            &scenario(&[]),
            Scope::FinalWeek,
            cells(&["activity.co_design=0,0.5"]),
        );
        let same = SweepDef::new(
            &scenario(&[]),
            Scope::FinalWeek,
            cells(&["activity.co_design=0,0.5"]),
        );
        assert_eq!(base.identity, same.identity);
        assert_eq!(base.to_json(), same.to_json(), "sweep.json is reproducible");
        let same_cells =
            |set: &[&str]| SweepDef::new(&scenario(set), Scope::FinalWeek, base.cells.clone());
        let other_cells =
            |vary: &[&str]| SweepDef::new(&scenario(&[]), Scope::FinalWeek, cells(vary));
        let changed = [
            same_cells(&["activity.facilitation=0.3"]),
            same_cells(&["scenario.replicates=7"]),
            same_cells(&["scenario.weeks=7"]),
            same_cells(&["scenario.seed=7"]),
            SweepDef::new(&scenario(&[]), Scope::RunMean, base.cells.clone()),
            other_cells(&["activity.co_design=0,0.6"]),
            other_cells(&["activity.co_design=0,0.5,1"]),
            other_cells(&["activity.facilitation=0,0.5"]),
        ];
        for (i, c) in changed.iter().enumerate() {
            assert_ne!(c.identity, base.identity, "change {i} changes the identity");
            assert!(!base.differences(c).is_empty(), "change {i} is explained");
        }
        assert!(base
            .differences(&changed[1])
            .iter()
            .any(|d| d.contains("replicates 100 vs 7")));
        let back: SweepDef = serde_json::from_slice(&base.to_json()).unwrap();
        assert_eq!(back, base);
    }

    #[test]
    fn a_store_resumes_its_own_sweep_and_refuses_another() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let def = SweepDef::new(
            &scenario(&[]),
            Scope::FinalWeek,
            cells(&["activity.co_design=0,0.5,1"]),
        );
        let (store, resumed) = Store::open(&dir, def.clone(), false).unwrap();
        assert!(!resumed);
        assert_eq!(store.pending(Shard::ALL, false).unwrap(), [0, 1, 2]);
        store.commit(1, b"h\n1\n", Some(b"r\n1\n")).unwrap();
        std::fs::write(dir.join("cells").join("cell-000002.csv.tmp"), b"half").unwrap();
        drop(store); // releases the folder's lock
        let (store, resumed) = Store::open(&dir, def.clone(), false).unwrap();
        assert!(resumed);
        assert_eq!(store.pending(Shard::ALL, false).unwrap(), [0, 2]);
        assert_eq!(
            store.pending(Shard { index: 1, count: 2 }, false).unwrap(),
            Vec::<usize>::new()
        );
        assert!(
            !dir.join("cells").join("cell-000002.csv.tmp").exists(),
            "temporary files are cleared"
        );
        let other = SweepDef::new(
            &scenario(&["scenario.weeks=3"]),
            Scope::FinalWeek,
            def.cells.clone(),
        );
        drop(store);
        let err = Store::open(&dir, other.clone(), false).unwrap_err();
        assert!(
            err.is::<Refusal>() && format!("{err}").contains("weeks"),
            "{err}"
        );
        let (store, resumed) = Store::open(&dir, other, true).unwrap();
        assert!(!resumed);
        assert_eq!(
            store.pending(Shard::ALL, false).unwrap(),
            [0, 1, 2],
            "--force starts over"
        );
    }

    #[test]
    fn assembled_tables_refuse_cell_files_of_another_shape() {
        let dir = tempfile::tempdir().unwrap();
        let def = SweepDef::new(
            &scenario(&[]),
            Scope::FinalWeek,
            cells(&["activity.co_design=0,0.5"]),
        );
        let cells_dir = dir.path().join("cells");
        std::fs::create_dir_all(&cells_dir).unwrap();
        let columns = vec![Column::int("cell"), Column::text("activity.co_design")];
        let assemble = || {
            let t = assembled(dir.path(), &def, "t", columns.clone(), cell_file);
            csv::to_bytes(&t)
        };
        std::fs::write(
            cells_dir.join(cell_file(0)),
            "cell,activity.co_design\n0,0\n",
        )
        .unwrap();
        std::fs::write(
            cells_dir.join(cell_file(1)),
            "cell,activity.co_design\n1,0.5\n",
        )
        .unwrap();
        assert_eq!(
            assemble().unwrap(),
            b"cell,activity.co_design\n0,0\n1,0.5\n"
        );
        for bad in ["cell,other\n1,0.5\n", "cell,activity.co_design\nx,0.5\n"] {
            std::fs::write(cells_dir.join(cell_file(1)), bad).unwrap();
            let e = assemble().unwrap_err();
            assert!(e.is::<Refusal>(), "{e:#}");
            assert!(format!("{e:#}").contains("cell-000001.csv"), "{e:#}");
        }
    }
}
