//! Drawing from a finished fit (`dugnad run --posterior DIR`, `dugnad compare --posterior DIR`):
//! replicate r runs with the values of one particle of the fit's last generation, drawn by
//! weight from a stream of its own (seed, replicate), so every design of a comparison runs
//! replicate r with the same draw and the paired differences carry the fitted uncertainty.

use crate::experiment::Refusal;
use crate::model::group::Design;
use crate::output::csv::read_rows;
use crate::output::table::{Cell, Column, Table};
use crate::scenario::load_str;
use crate::sim::replicates::Designs;
use crate::sim::rng::{stream_seed, Rng as Xoshiro};
use anyhow::{Context, Result};
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A finished fit's posterior: the paths it estimated and the particles of its last generation.
#[derive(Debug, Clone, Serialize)]
pub struct Posterior {
    pub dir: PathBuf,
    pub generation: u32,
    pub paths: Vec<String>,
    #[serde(skip)]
    pub particles: Vec<Vec<f64>>,
    #[serde(skip)]
    pub weights: Vec<f64>,
}

impl Posterior {
    /// Reads the last generation of `dir/posterior.csv`.
    pub fn read(dir: &Path) -> Result<Posterior> {
        let p = dir.join("posterior.csv");
        let text = std::fs::read_to_string(&p).map_err(|e| {
            Refusal(format!(
                "{} has no posterior.csv ({e}); pass the folder of a finished `dugnad fit`",
                dir.display()
            ))
        })?;
        let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
        let names: Vec<&str> = head.split(',').collect();
        if names.len() < 5 || names[..4] != ["generation", "particle", "weight", "distance"] {
            return Err(Refusal(format!("{} is not a fit's posterior.csv", p.display())).into());
        }
        let mut columns = vec![Column::int("generation"), Column::int("particle")];
        columns.extend(names[2..].iter().map(|n| Column::num(*n)));
        let mut rows: Vec<(u32, f64, Vec<f64>)> = Vec::new();
        read_rows(body, &columns, &mut |cells| {
            let g = match cells[0] {
                Cell::Int(g) => g as u32,
                _ => 0,
            };
            let nums: Vec<f64> = cells[2..]
                .iter()
                .map(|c| match c {
                    Cell::Num(x) => *x,
                    _ => f64::NAN,
                })
                .collect();
            rows.push((g, nums[0], nums[2..].to_vec()));
            Ok(())
        })
        .with_context(|| format!("reading {}", p.display()))?;
        let last = rows
            .iter()
            .map(|r| r.0)
            .max()
            .ok_or_else(|| Refusal(format!("{} holds no particles", p.display())))?;
        let kept: Vec<&(u32, f64, Vec<f64>)> = rows.iter().filter(|r| r.0 == last).collect();
        Ok(Posterior {
            dir: dir.to_path_buf(),
            generation: last,
            paths: names[4..].iter().map(|s| s.to_string()).collect(),
            particles: kept.iter().map(|r| r.2.clone()).collect(),
            weights: kept.iter().map(|r| r.1).collect(),
        })
    }

    /// The particle replicate `replicate` of a run seeded `seed` draws, by weight.
    pub fn draw(&self, seed: u64, replicate: u64) -> usize {
        let mut rng = Xoshiro::seed_from_u64(stream_seed(seed, replicate, "posterior", 0, "draw"));
        let u: f64 = rng.gen::<f64>() * self.weights.iter().sum::<f64>();
        let mut acc = 0.0;
        for (i, w) in self.weights.iter().enumerate() {
            acc += w;
            if u < acc {
                return i;
            }
        }
        self.weights.len() - 1
    }

    /// The `--set` overrides that give a scenario particle `j`'s values (a whole value written
    /// as a whole number, which every numeric key takes).
    pub fn overrides(&self, j: usize) -> Vec<String> {
        self.paths
            .iter()
            .zip(&self.particles[j])
            .map(|(path, x)| {
                if *x == x.round() && x.abs() < 1e15 {
                    format!("{path}={}", *x as i64)
                } else {
                    format!("{path}={x:?}")
                }
            })
            .collect()
    }
}

/// The designs of replicates `0..replicates` of a scenario run under a posterior: per
/// replicate the particle it draws, per particle drawn its compiled designs.
pub struct Drawn {
    pub posterior: Posterior,
    pub draws: Vec<usize>,
    designs: BTreeMap<usize, Vec<Design>>,
}

impl Drawn {
    /// Draws the particles of replicates `0..replicates` (seeded `seed`) and compiles the
    /// scenario `text` (file `origin`) with `overrides`, then each particle's values.
    pub fn new(
        posterior: Posterior,
        text: &str,
        origin: &str,
        overrides: &[String],
        seed: u64,
        replicates: u64,
    ) -> Result<Drawn> {
        let draws: Vec<usize> = (0..replicates).map(|r| posterior.draw(seed, r)).collect();
        let mut designs = BTreeMap::new();
        for &j in &draws {
            if designs.contains_key(&j) {
                continue;
            }
            let mut o = overrides.to_vec();
            o.extend(posterior.overrides(j));
            let s = load_str(text, origin, &o).with_context(|| {
                format!(
                    "the values of particle {j} of the posterior in {} ({}) do not make a valid scenario",
                    posterior.dir.display(),
                    posterior.overrides(j).join(", ")
                )
            })?;
            designs.insert(j, Design::compile_all(&s));
        }
        let groups: Vec<usize> = designs
            .values()
            .map(|d| crate::sim::replicates::group_count(d))
            .collect();
        if groups.windows(2).any(|w| w[0] != w[1]) {
            return Err(Refusal(
                "the posterior changes the number of groups between particles, which a run cannot pool; fix \
                 activity.groups in the scenario"
                    .into(),
            )
            .into());
        }
        Ok(Drawn {
            posterior,
            draws,
            designs,
        })
    }

    /// `draws`: per replicate the particle it drew and that particle's values.
    pub fn table(&self) -> Table<'_> {
        let mut columns = vec![Column::int("replicate"), Column::int("particle")];
        columns.extend(self.posterior.paths.iter().map(|p| Column::num(p.clone())));
        Table::new("draws", columns, move |sink| {
            for (r, &j) in self.draws.iter().enumerate() {
                let mut row = vec![Cell::Int(r as i64), Cell::Int(j as i64)];
                row.extend(self.posterior.particles[j].iter().map(|x| Cell::Num(*x)));
                sink(&row)?;
            }
            Ok(())
        })
    }
}

impl Designs for Drawn {
    fn of(&self, replicate: u64) -> &[Design] {
        let j = self.draws[replicate as usize];
        &self.designs[&j]
    }
}
