//! The ABC-SMC sampler (Beaumont, Cornuet, Marin & Robert 2009) with an adaptive tolerance
//! (Del Moral, Doucet & Jasra 2012; pyABC's default: the weighted median of the previous
//! generation's distances):
//!
//! 1. Generation 0 draws `particles` parameter vectors from the prior and keeps them all; their
//!    simulated statistics are the prior predictive, whose spreads scale every later distance.
//! 2. Generation t ≥ 1 has the tolerance ε_t = the weighted `quantile` of generation t−1's
//!    distances. A proposal picks a particle of generation t−1 by weight and perturbs it with the
//!    multivariate normal kernel of covariance 2·Cov_w (a proposal outside the prior's support, or
//!    that the scenario refuses, is drawn again); it is simulated and kept when its distance is at
//!    most ε_t, with weight π(θ)/Σ_j w_j·K(θ | θ_j).
//! 3. Proposals are simulated in rounds, each a fixed block of proposal numbers whose size
//!    follows from the acceptance so far, until `particles` are kept; the first `particles` in
//!    proposal order are the generation. Every random number comes from the proposal's number,
//!    so the result does not depend on how rounds are split over threads or machines.
//! 4. It stops after `generations`, when a generation's acceptance rate falls below
//!    `min_acceptance`, or when the next generation would exceed `max_simulations`.
//!
//! The sampler is generic: its runner simulates proposals ([`Evaluate`]: the fit folder's, or a
//! test's model) and keeps closed generations ([`Journal`]), so a run resumes generation by
//! generation.

use crate::sim::rng::{mix, name_hash, Rng as Xoshiro};
use crate::stats::abc::{
    distance, effective_sample_size, importance_weights, spreads, weighted_quantile, Kernel, Prior,
};
use anyhow::{bail, Result};
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How the sampler runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Particles per generation.
    pub particles: usize,
    /// Most generations (generation 0, the prior, included).
    pub generations: u32,
    /// The tolerance of a generation: this weighted quantile of the previous one's distances.
    pub quantile: f64,
    /// Stop after a generation whose acceptance rate is below this.
    pub min_acceptance: f64,
    /// Stop before a generation would take the simulations past this.
    pub max_simulations: u64,
    /// Seed of every proposal and simulation.
    pub seed: u64,
}

/// One generation: the kept particles with their weights, distances and simulated statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    pub index: u32,
    /// The tolerance its particles met (infinite for generation 0).
    pub epsilon: f64,
    pub particles: Vec<Vec<f64>>,
    /// Normalised importance weights.
    pub weights: Vec<f64>,
    pub distances: Vec<f64>,
    /// Each particle's simulated statistics.
    pub statistics: Vec<Vec<f64>>,
    /// Proposals simulated in this generation.
    pub simulations: u64,
    /// Of them, how many met the tolerance (at least `particles`: the last round may overshoot).
    pub within: u64,
}

impl Generation {
    /// Share of the simulated proposals that met the tolerance.
    pub fn acceptance_rate(&self) -> f64 {
        if self.simulations == 0 {
            0.0
        } else {
            self.within as f64 / self.simulations as f64
        }
    }

    /// Effective sample size of the weights.
    pub fn ess(&self) -> f64 {
        effective_sample_size(&self.weights)
    }
}

/// One simulated proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// Its number within the generation.
    pub index: u64,
    pub theta: Vec<f64>,
    pub statistics: Vec<f64>,
}

/// Why the sampler stopped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Stop {
    /// It ran the most generations asked for.
    Generations,
    /// The last generation's acceptance rate fell below `min_acceptance`.
    Acceptance { rate: f64 },
    /// Another generation would have exceeded `max_simulations`.
    Simulations { used: u64 },
}

/// The outcome: the closed generations (the last one is the posterior), the spreads that
/// scaled the distances, and why it stopped.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub generations: Vec<Generation>,
    pub spreads: Vec<f64>,
    pub stop: Stop,
}

impl Outcome {
    /// The posterior: the last generation.
    pub fn posterior(&self) -> &Generation {
        self.generations.last().expect("a fit has generation 0")
    }

    /// Proposals simulated over all generations.
    pub fn simulations(&self) -> u64 {
        self.generations.iter().map(|g| g.simulations).sum()
    }
}

/// Simulates proposals.
pub trait Evaluate<P: Prior> {
    /// Proposes (with `proposer`) and simulates proposals `range` of generation `t`; returns
    /// them in proposal order.
    fn evaluate(
        &mut self,
        t: u32,
        range: Range<u64>,
        proposer: &Proposer<'_, P>,
    ) -> Result<Vec<Evaluated>>;
}

/// Keeps closed generations.
pub trait Journal {
    /// Generation `t`, if it was closed before (a resumed run).
    fn closed(&mut self, t: u32) -> Result<Option<Generation>>;
    /// Records generation `g` as closed.
    fn close(&mut self, g: &Generation) -> Result<()>;
}

/// The seed of one purpose (`propose`, `simulate`, `measure`) of proposal `index` of
/// generation `t` of a fit seeded `seed`.
pub fn proposal_seed(seed: u64, t: u32, index: u64, purpose: &str) -> u64 {
    let mut s = mix(seed ^ name_hash("abc-smc"));
    s = mix(s ^ t as u64);
    s = mix(s ^ index);
    mix(s ^ name_hash(purpose))
}

/// How many times a proposal is drawn again before the sampler gives up on it.
pub const MAX_REDRAWS: u32 = 10_000;

/// Proposes the parameter vectors of one generation.
pub struct Proposer<'a, P: Prior> {
    prior: &'a P,
    previous: Option<(&'a Generation, Kernel)>,
    seed: u64,
    generation: u32,
}

impl<'a, P: Prior> Proposer<'a, P> {
    /// The proposer of generation `t`, after `previous` (None for generation 0).
    pub fn new(prior: &'a P, previous: Option<&'a Generation>, seed: u64, t: u32) -> Self {
        Proposer {
            prior,
            previous: previous.map(|g| (g, Kernel::of(&g.particles, &g.weights))),
            seed,
            generation: t,
        }
    }

    /// The kernel perturbing particles, if this is not generation 0.
    pub fn kernel(&self) -> Option<&Kernel> {
        self.previous.as_ref().map(|(_, k)| k)
    }

    /// Proposal `index`: a prior draw (generation 0) or a perturbed particle of the previous
    /// generation, drawn again until it is inside the prior's support and `valid` accepts it.
    pub fn propose(&self, index: u64, mut valid: impl FnMut(&[f64]) -> bool) -> Result<Vec<f64>> {
        let mut rng =
            Xoshiro::seed_from_u64(proposal_seed(self.seed, self.generation, index, "propose"));
        for _ in 0..MAX_REDRAWS {
            let theta = match &self.previous {
                None => self.prior.draw(&mut rng),
                Some((g, kernel)) => {
                    let u: f64 = rng.gen();
                    let j = pick(&g.weights, u);
                    kernel.perturb(&g.particles[j], &mut rng)
                }
            };
            if self.prior.density(&theta) > 0.0 && valid(&theta) {
                return Ok(theta);
            }
        }
        bail!(
            "generation {}: {MAX_REDRAWS} proposals in a row fell outside the priors or were refused by the \
             scenario; check that the priors lie within the values their paths take",
            self.generation
        )
    }
}

/// The index whose cumulative weight first exceeds `u` (weights normalised).
fn pick(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w / total;
        if u < acc {
            return i;
        }
    }
    weights.len() - 1
}

/// The size of the next round of generation t ≥ 1: enough proposals to reach `particles` at the
/// acceptance rate seen so far in this generation (or the last generation's), plus 15 %, at
/// least 1 and at most 20 × `particles`; 0 when the budget is spent.
fn round_size(s: &Settings, kept: usize, simulated: u64, last_rate: f64, budget_left: u64) -> u64 {
    let need = s.particles.saturating_sub(kept) as f64;
    let rate = if simulated > 0 && kept > 0 {
        kept as f64 / simulated as f64
    } else {
        last_rate
    };
    let size = (1.15 * need / rate.max(s.min_acceptance / 2.0).max(1e-4)).ceil() as u64;
    size.clamp(1, 20 * s.particles as u64).min(budget_left)
}

/// Runs ABC-SMC: `observed` are the observed statistics, `runner` simulates and keeps closed
/// generations (and gives back those closed by an earlier run), `progress(generation,
/// simulations so far in it)` is told as rounds finish.
pub fn sample<P: Prior, E: Evaluate<P> + Journal>(
    s: &Settings,
    prior: &P,
    observed: &[f64],
    runner: &mut E,
    mut progress: impl FnMut(u32, u64),
) -> Result<Outcome> {
    let mut gens: Vec<Generation> = Vec::new();
    let mut scales: Vec<f64> = Vec::new();
    for t in 0..s.generations {
        let g = match runner.closed(t)? {
            Some(g) => g,
            None => {
                let used: u64 = gens.iter().map(|g| g.simulations).sum();
                let Some(g) = generation(
                    s,
                    prior,
                    observed,
                    runner,
                    gens.last(),
                    &scales,
                    t,
                    used,
                    &mut progress,
                )?
                else {
                    return Ok(Outcome {
                        generations: gens,
                        spreads: scales,
                        stop: Stop::Simulations { used },
                    });
                };
                runner.close(&g)?;
                g
            }
        };
        if t == 0 {
            scales = spreads(&g.statistics, observed.len());
        }
        let rate = g.acceptance_rate();
        gens.push(g);
        if t > 0 && rate < s.min_acceptance {
            return Ok(Outcome {
                generations: gens,
                spreads: scales,
                stop: Stop::Acceptance { rate },
            });
        }
    }
    Ok(Outcome {
        generations: gens,
        spreads: scales,
        stop: Stop::Generations,
    })
}

/// Runs generation `t` round by round; None when the simulation budget runs out first.
#[allow(clippy::too_many_arguments)]
fn generation<P: Prior, E: Evaluate<P>>(
    s: &Settings,
    prior: &P,
    observed: &[f64],
    eval: &mut E,
    previous: Option<&Generation>,
    scales: &[f64],
    t: u32,
    used: u64,
    progress: &mut impl FnMut(u32, u64),
) -> Result<Option<Generation>> {
    let proposer = Proposer::new(prior, previous, s.seed, t);
    let epsilon = previous.map_or(f64::INFINITY, |p| {
        weighted_quantile(&p.distances, &p.weights, s.quantile)
    });
    let last_rate = previous.map_or(1.0, Generation::acceptance_rate);
    let mut kept: Vec<Evaluated> = Vec::new();
    let mut distances: Vec<f64> = Vec::new();
    let (mut simulated, mut within) = (0u64, 0u64);
    while kept.len() < s.particles {
        let left = s.max_simulations.saturating_sub(used + simulated);
        let size = if t == 0 {
            (s.particles as u64).min(left)
        } else {
            round_size(s, kept.len(), simulated, last_rate, left)
        };
        if size == 0 || (t == 0 && size < s.particles as u64) {
            return Ok(None);
        }
        let batch = eval.evaluate(t, simulated..simulated + size, &proposer)?;
        simulated += size;
        for e in batch {
            // Generation 0 keeps every prior draw; its distances are computed once its
            // statistics give the spreads.
            let d = if t == 0 {
                0.0
            } else {
                distance(&e.statistics, observed, scales)
            };
            if d <= epsilon {
                within += 1;
                if kept.len() < s.particles {
                    kept.push(e);
                    distances.push(d);
                }
            }
        }
        progress(t, simulated);
    }
    if t == 0 {
        let stats: Vec<Vec<f64>> = kept.iter().map(|e| e.statistics.clone()).collect();
        let own = spreads(&stats, observed.len());
        distances = stats.iter().map(|x| distance(x, observed, &own)).collect();
    }
    let particles: Vec<Vec<f64>> = kept.iter().map(|e| e.theta.clone()).collect();
    let weights = importance_weights(
        prior,
        &particles,
        previous.map(|p| {
            (
                p.particles.as_slice(),
                p.weights.as_slice(),
                proposer.kernel().expect("t > 0"),
            )
        }),
    );
    Ok(Some(Generation {
        index: t,
        epsilon,
        particles,
        weights,
        distances,
        statistics: kept.into_iter().map(|e| e.statistics).collect(),
        simulations: simulated,
        within,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::abc::weighted_mean_cov;
    use rand_distr::{Distribution, Normal};

    /// μ ~ Normal(0, τ²) with τ = 1.
    struct NormalPrior;

    impl Prior for NormalPrior {
        fn dims(&self) -> usize {
            1
        }
        fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
            vec![Normal::new(0.0, 1.0).unwrap().sample(rng)]
        }
        fn density(&self, theta: &[f64]) -> f64 {
            (-0.5 * theta[0] * theta[0]).exp()
        }
    }

    /// The mean of `n` draws of Normal(μ, 1): a sufficient statistic of μ.
    struct MeanOf {
        n: usize,
        seed: u64,
    }

    impl Journal for MeanOf {
        fn closed(&mut self, _t: u32) -> Result<Option<Generation>> {
            Ok(None)
        }
        fn close(&mut self, _g: &Generation) -> Result<()> {
            Ok(())
        }
    }

    impl Evaluate<NormalPrior> for MeanOf {
        fn evaluate(
            &mut self,
            t: u32,
            range: Range<u64>,
            proposer: &Proposer<'_, NormalPrior>,
        ) -> Result<Vec<Evaluated>> {
            range
                .map(|index| {
                    let theta = proposer.propose(index, |_| true)?;
                    let mut rng =
                        Xoshiro::seed_from_u64(proposal_seed(self.seed, t, index, "simulate"));
                    let d = Normal::new(theta[0], 1.0).unwrap();
                    let mean = (0..self.n).map(|_| d.sample(&mut rng)).sum::<f64>() / self.n as f64;
                    Ok(Evaluated {
                        index,
                        theta,
                        statistics: vec![mean],
                    })
                })
                .collect()
        }
    }

    fn settings(seed: u64) -> Settings {
        Settings {
            particles: 1000,
            generations: 10,
            quantile: 0.5,
            min_acceptance: 0.01,
            max_simulations: 200_000,
            seed,
        }
    }

    /// The conjugate case: with n = 10 observations of Normal(μ, 1) whose mean is ȳ = 0.8 and the
    /// prior μ ~ Normal(0, 1), the posterior is Normal(n·ȳ/(n + 1), 1/(n + 1)): mean 0.7273,
    /// sd 0.3015. ABC-SMC on the sufficient statistic must find the mean within 0.1 posterior sd
    /// and the sd within 15 % (the last tolerance inflates it a little).
    #[test]
    fn the_posterior_of_a_normal_mean_matches_the_conjugate_one() {
        let (n, ybar) = (10usize, 0.8);
        let (m_post, sd_post) = (
            n as f64 * ybar / (n as f64 + 1.0),
            (1.0 / (n as f64 + 1.0)).sqrt(),
        );
        for seed in [1u64, 2] {
            let s = settings(seed);
            let out = sample(
                &s,
                &NormalPrior,
                &[ybar],
                &mut MeanOf { n, seed },
                |_, _| {},
            )
            .unwrap();
            let g = out.posterior();
            let (m, c) = weighted_mean_cov(&g.particles, &g.weights);
            let sd = c[0][0].sqrt();
            eprintln!("seed {seed}: mean {:.4} (exact {m_post:.4}), sd {sd:.4} (exact {sd_post:.4}), generations {}, simulations {}", m[0], out.generations.len(), out.simulations());
            assert!(
                (m[0] - m_post).abs() < 0.1 * sd_post,
                "seed {seed}: mean {} vs {m_post}",
                m[0]
            );
            assert!(
                (sd / sd_post - 1.0).abs() < 0.15,
                "seed {seed}: sd {sd} vs {sd_post}"
            );
            assert!(out.generations.len() >= 5, "{:?}", out.stop);
            // Tolerances shrink, and every kept particle met its generation's tolerance.
            for w in out.generations.windows(2) {
                assert!(w[1].epsilon <= w[0].epsilon);
                assert!(w[1].distances.iter().all(|d| *d <= w[1].epsilon));
            }
        }
    }

    /// Same settings and seed, same generations; the journal hands back closed generations.
    #[test]
    fn a_run_is_deterministic_and_resumes_from_its_journal() {
        /// The model of [`MeanOf`] with a journal that holds `kept`, of which the first `known`
        /// count as closed by an earlier run.
        struct Kept {
            model: MeanOf,
            kept: Vec<Generation>,
            known: usize,
        }
        impl Journal for Kept {
            fn closed(&mut self, t: u32) -> Result<Option<Generation>> {
                Ok(self
                    .kept
                    .get(t as usize)
                    .filter(|_| (t as usize) < self.known)
                    .cloned())
            }
            fn close(&mut self, g: &Generation) -> Result<()> {
                if self.kept.len() == g.index as usize {
                    self.kept.push(g.clone());
                }
                Ok(())
            }
        }
        impl Evaluate<NormalPrior> for Kept {
            fn evaluate(
                &mut self,
                t: u32,
                range: Range<u64>,
                p: &Proposer<'_, NormalPrior>,
            ) -> Result<Vec<Evaluated>> {
                self.model.evaluate(t, range, p)
            }
        }
        let s = Settings {
            particles: 200,
            generations: 4,
            ..settings(9)
        };
        let mut first = Kept {
            model: MeanOf { n: 10, seed: 9 },
            kept: Vec::new(),
            known: 0,
        };
        let a = sample(&s, &NormalPrior, &[0.3], &mut first, |_, _| {}).unwrap();
        // A second run that finds generations 0 and 1 closed continues to the same result.
        let mut resumed = Kept {
            model: MeanOf { n: 10, seed: 9 },
            kept: first.kept[..2].to_vec(),
            known: 2,
        };
        let b = sample(&s, &NormalPrior, &[0.3], &mut resumed, |_, _| {}).unwrap();
        assert_eq!(a.generations, b.generations);
        assert_eq!(a.generations.len(), 4);
    }
}
