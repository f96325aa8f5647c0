//! Fitting the model to a pilot's own data (`dugnad fit`, docs/fitting.md): the scenario's
//! `[fit]` table gives the priors of the values to estimate (any dotted path `--set` takes) and
//! how to sample; the observed data ([`observed`]) give the summary statistics, each an indicator
//! in a lens in a week; ABC-SMC ([`smc`]) finds the values whose simulations come close to the
//! data, generation by generation, in a resumable and shardable folder ([`folder`]); [`tables`]
//! are what the fit writes, [`posterior`] draws from a finished fit for `run` and `compare`.

pub mod folder;
pub mod observed;
pub mod posterior;
pub mod smc;
pub mod tables;

use super::shard::Shard;
use super::{default_output, Refusal};
use crate::cli::FitCmd;
use crate::scenario::{load_str, PriorOf, Scenario};
use crate::stats::abc::Prior;
use anyhow::Result;
use observed::Observed;
use rand::Rng;
use std::path::PathBuf;

/// The priors of a fit as one prior over parameter vectors: independent marginals, in `[fit]`
/// order.
pub struct Priors<'a> {
    pub of: &'a [PriorOf],
}

impl Prior for Priors<'_> {
    fn dims(&self) -> usize {
        self.of.len()
    }

    fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        self.of.iter().map(|p| p.dist.draw(rng)).collect()
    }

    fn density(&self, theta: &[f64]) -> f64 {
        self.of
            .iter()
            .zip(theta)
            .map(|(p, x)| p.dist.density(*x))
            .product()
    }
}

impl Priors<'_> {
    /// The `--set` overrides that give the parameters the values `theta` (whole-number paths
    /// rounded).
    pub fn overrides(&self, theta: &[f64]) -> Vec<String> {
        self.of
            .iter()
            .zip(theta)
            .map(|(p, x)| format!("{}={}", p.path, crate::scenario::fit::literal(p, *x)))
            .collect()
    }
}

/// A fit, planned: the scenario with its `[fit]`, the data, how to sample, where to write.
pub struct Plan {
    pub file: PathBuf,
    pub origin: String,
    /// The scenario text without its `[fit]` table (what each proposal loads).
    pub text: String,
    /// The run flags as overrides (`--set`, `--at`, `--weeks`, `--seed`), applied to every
    /// proposal's scenario.
    pub overrides: Vec<String>,
    /// The scenario with its `[fit]`, the fit flags applied.
    pub scenario: Scenario,
    pub priors: Vec<PriorOf>,
    pub settings: smc::Settings,
    pub observed: Observed,
    pub target: PathBuf,
    pub shard: Shard,
    pub wait: bool,
}

impl Plan {
    /// Plans `dugnad fit`: loads the scenario and its `[fit]` (the fit flags override its
    /// settings), reads the data, refuses what cannot be fitted.
    pub fn from_args(cmd: &FitCmd) -> Result<Plan> {
        if cmd.run.replicates.is_some() {
            return Err(Refusal(
                "a fit simulates one replicate of the scenario per proposal; drop --replicates (set --particles \
                 or [fit] particles for more simulations)"
                    .into(),
            )
            .into());
        }
        let origin = cmd.scenario.display().to_string();
        let full = crate::scenario::Source::read(&cmd.scenario)?.text;
        let overrides = cmd.run.overrides();
        let mut with_flags = overrides.clone();
        for (key, value) in [
            ("particles", cmd.particles.map(|x| x.to_string())),
            ("generations", cmd.generations.map(|x| x.to_string())),
            (
                "min_acceptance",
                cmd.min_acceptance.map(|x| format!("{x:?}")),
            ),
            (
                "max_simulations",
                cmd.max_simulations.map(|x| x.to_string()),
            ),
        ] {
            if let Some(v) = value {
                with_flags.push(format!("fit.{key}={v}"));
            }
        }
        let scenario = load_str(&full, &origin, &with_flags)?;
        let Some(fit) = scenario.fit.clone() else {
            return Err(Refusal(format!(
                "{origin} has no [fit] table: add the priors of the values to estimate, e.g. [fit] with \
                 \"parameters.alpha1\" = {{ uniform = [0.1, 0.8] }} (docs/fitting.md)"
            ))
            .into());
        };
        let layout = crate::model::Design::compile_all(&scenario)
            .first()
            .map(crate::metrics::Layout::of)
            .unwrap_or_default();
        let observed = Observed::read(&cmd.data, scenario.weeks, &layout)?;
        let f = &fit.settings;
        let settings = smc::Settings {
            particles: f.particles as usize,
            generations: f.generations,
            quantile: f.quantile,
            min_acceptance: f.min_acceptance,
            max_simulations: f.max_simulations,
            seed: scenario.seed,
        };
        let mut doc: toml_edit::DocumentMut = full.parse().map_err(anyhow::Error::msg)?;
        doc.remove("fit");
        let target = cmd
            .run
            .output
            .clone()
            .unwrap_or_else(|| default_output(&format!("fit-{}", scenario.name)));
        Ok(Plan {
            file: cmd.scenario.clone(),
            origin,
            text: doc.to_string(),
            overrides,
            priors: fit.priors,
            settings,
            observed,
            scenario,
            target,
            shard: cmd
                .shard
                .as_deref()
                .map(Shard::parse)
                .transpose()?
                .unwrap_or(Shard::ALL),
            wait: !cmd.no_wait,
        })
    }

    /// The fit's definition (`fit.json`).
    pub fn def(&self) -> folder::FitDef {
        folder::FitDef::new(&self.scenario, &self.observed, &self.settings)
    }

    /// Opens (or resumes) the fit folder and runs the sampler on the current rayon pool;
    /// `progress` is told of every chunk of proposals this process simulates. Returns the
    /// outcome and the proposals this process simulated.
    pub fn run(
        &self,
        force: bool,
        progress: &(dyn Fn(u64) + Sync),
        generation: impl FnMut(u32, u64),
    ) -> Result<(smc::Outcome, u64)> {
        let def = self.def();
        folder::open(&self.target, &def, force)?;
        let priors = Priors { of: &self.priors };
        let source = folder::Source {
            scenario: &self.scenario,
            text: &self.text,
            origin: &self.origin,
            overrides: &self.overrides,
            priors: &priors,
            observed: &self.observed,
        };
        let mut f = folder::Folder::new(&self.target, def, source, self.shard, self.wait, progress);
        let outcome = smc::sample(
            &self.settings,
            &priors,
            &self.observed.values(),
            &mut f,
            generation,
        )?;
        let simulated = f.simulated.load(std::sync::atomic::Ordering::Relaxed);
        Ok((outcome, simulated))
    }
}
