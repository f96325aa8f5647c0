//! The arithmetic of ABC-SMC (approximate Bayesian computation by sequential Monte Carlo;
//! Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96(4)): weighted particle populations,
//! the multivariate normal perturbation kernel with twice the weighted covariance of the
//! previous population, importance weights, effective sample size, the adaptive tolerance (a
//! weighted quantile of the accepted distances, pyABC's default median; Del Moral, Doucet &
//! Jasra 2012), and the distance on summary statistics scaled by their spread under the prior
//! predictive. Pure and deterministic given the random numbers it is handed; the sampler that
//! drives it is `experiment::fit`.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// A prior over parameter vectors: independent or not, known up to a constant.
pub trait Prior {
    /// Number of parameters.
    fn dims(&self) -> usize;
    /// One draw.
    fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64>;
    /// The density at `theta`, up to a constant factor; 0 outside the support.
    fn density(&self, theta: &[f64]) -> f64;
}

/// Weighted mean and covariance (population form, weights normalised) of `points`.
pub fn weighted_mean_cov(points: &[Vec<f64>], weights: &[f64]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let d = points.first().map_or(0, Vec::len);
    let total: f64 = weights.iter().sum();
    let mut mean = vec![0.0; d];
    for (p, w) in points.iter().zip(weights) {
        for k in 0..d {
            mean[k] += w / total * p[k];
        }
    }
    let mut cov = vec![vec![0.0; d]; d];
    for (p, w) in points.iter().zip(weights) {
        for a in 0..d {
            for b in 0..d {
                cov[a][b] += w / total * (p[a] - mean[a]) * (p[b] - mean[b]);
            }
        }
    }
    (mean, cov)
}

/// The lower-triangular Cholesky factor L of a symmetric positive definite matrix (A = L·Lᵀ),
/// or None when it is not positive definite.
pub fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let d = a.len();
    let mut l = vec![vec![0.0; d]; d];
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let v = a[i][i] - s;
                if !(v > 0.0 && v.is_finite()) {
                    return None;
                }
                l[i][i] = v.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// The perturbation kernel: a multivariate normal with covariance Σ = 2·Cov_w of the previous
/// population (Beaumont et al. 2009), held as its Cholesky factor.
#[derive(Debug, Clone)]
pub struct Kernel {
    /// Lower-triangular L with Σ = L·Lᵀ.
    pub chol: Vec<Vec<f64>>,
}

impl Kernel {
    /// The kernel of a weighted population: Σ = 2·Cov_w. A direction in which the population
    /// does not vary gets a small variance (1e-12 of the largest, or 1e-12) so Σ stays positive
    /// definite.
    pub fn of(points: &[Vec<f64>], weights: &[f64]) -> Kernel {
        let (_, cov) = weighted_mean_cov(points, weights);
        let d = cov.len();
        let mut sigma: Vec<Vec<f64>> = cov
            .iter()
            .map(|row| row.iter().map(|x| 2.0 * x).collect())
            .collect();
        let largest = (0..d).map(|k| sigma[k][k]).fold(0.0f64, f64::max);
        let mut jitter = 1e-12 * largest.max(1e-12);
        loop {
            if let Some(chol) = cholesky(&sigma) {
                return Kernel { chol };
            }
            for (k, row) in sigma.iter_mut().enumerate() {
                row[k] += jitter;
            }
            jitter *= 10.0;
        }
    }

    /// A draw centred on `center`: center + L·z with z standard normal.
    pub fn perturb<R: Rng + ?Sized>(&self, center: &[f64], rng: &mut R) -> Vec<f64> {
        let d = center.len();
        let z: Vec<f64> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
        (0..d)
            .map(|i| center[i] + (0..=i).map(|k| self.chol[i][k] * z[k]).sum::<f64>())
            .collect()
    }

    /// The kernel density of `x` around `center`, up to the factor shared by every centre:
    /// exp(−½·|L⁻¹(x − center)|²).
    pub fn density(&self, x: &[f64], center: &[f64]) -> f64 {
        let d = x.len();
        let mut z = vec![0.0; d];
        for i in 0..d {
            let s: f64 = (0..i).map(|k| self.chol[i][k] * z[k]).sum();
            z[i] = (x[i] - center[i] - s) / self.chol[i][i];
        }
        (-0.5 * z.iter().map(|v| v * v).sum::<f64>()).exp()
    }
}

/// A weighted population and the kernel that perturbed it: (points, weights, kernel).
pub type Population<'a> = (&'a [Vec<f64>], &'a [f64], &'a Kernel);

/// Importance weights of accepted particles `new` (normalised to sum 1): π(θ) / Σ_j w_j·K(θ |
/// θ_j) over the previous population (`previous`, `previous_weights`); without a previous
/// population (drawn from the prior) all equal.
pub fn importance_weights<P: Prior>(
    prior: &P,
    new: &[Vec<f64>],
    previous: Option<Population<'_>>,
) -> Vec<f64> {
    let raw: Vec<f64> = match previous {
        None => vec![1.0; new.len()],
        Some((points, weights, kernel)) => new
            .iter()
            .map(|theta| {
                let mix: f64 = points
                    .iter()
                    .zip(weights)
                    .map(|(p, w)| w * kernel.density(theta, p))
                    .sum();
                if mix > 0.0 {
                    prior.density(theta) / mix
                } else {
                    0.0
                }
            })
            .collect(),
    };
    normalised(&raw)
}

/// `w` scaled to sum 1 (all equal when the sum is not positive).
pub fn normalised(w: &[f64]) -> Vec<f64> {
    let total: f64 = w.iter().sum();
    if total > 0.0 && total.is_finite() {
        w.iter().map(|x| x / total).collect()
    } else {
        vec![1.0 / w.len().max(1) as f64; w.len()]
    }
}

/// Effective sample size (Σw)² / Σw² (Kish).
pub fn effective_sample_size(w: &[f64]) -> f64 {
    let s: f64 = w.iter().sum();
    let s2: f64 = w.iter().map(|x| x * x).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// The weighted `q`-quantile of `x`: the smallest value whose cumulative normalised weight
/// reaches `q` (NaN for no values).
pub fn weighted_quantile(x: &[f64], w: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..x.len()).filter(|&i| !x[i].is_nan()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let total: f64 = order.iter().map(|&i| w[i]).sum();
    let mut acc = 0.0;
    for &i in &order {
        acc += w[i];
        if acc >= q * total - 1e-12 * total {
            return x[i];
        }
    }
    order.last().map_or(f64::NAN, |&i| x[i])
}

/// How far a statistic counts when the simulation leaves it undefined (NaN) while the data
/// define it: as far as a value this many spreads away.
pub const UNDEFINED_DEVIATION: f64 = 5.0;

/// The spread of each statistic over simulations (`samples[i][k]`: statistic k of simulation
/// i), each the scale of its term in the distance: the median absolute deviation × 1.4826 (a
/// consistent estimate of the sd under normality); where that is 0 (most values equal), the mean
/// absolute deviation from the median; where that is 0 too, 1. Undefined values are left out.
pub fn spreads(samples: &[Vec<f64>], statistics: usize) -> Vec<f64> {
    (0..statistics)
        .map(|k| {
            let mut v: Vec<f64> = samples
                .iter()
                .map(|s| s[k])
                .filter(|x| x.is_finite())
                .collect();
            if v.is_empty() {
                return 1.0;
            }
            v.sort_by(f64::total_cmp);
            let median = super::quantile_type7(&v, 0.5);
            let mut dev: Vec<f64> = v.iter().map(|x| (x - median).abs()).collect();
            dev.sort_by(f64::total_cmp);
            let mad = 1.4826 * super::quantile_type7(&dev, 0.5);
            if mad > 0.0 {
                return mad;
            }
            let mean_dev = dev.iter().sum::<f64>() / dev.len() as f64;
            if mean_dev > 0.0 {
                mean_dev
            } else {
                1.0
            }
        })
        .collect()
}

/// The distance between simulated and observed statistics: the Euclidean norm of the
/// differences, each divided by its spread; a statistic the simulation leaves undefined counts
/// [`UNDEFINED_DEVIATION`] spreads.
pub fn distance(simulated: &[f64], observed: &[f64], spreads: &[f64]) -> f64 {
    simulated
        .iter()
        .zip(observed)
        .zip(spreads)
        .map(|((s, o), sc)| {
            let z = if s.is_finite() {
                (s - o) / sc
            } else {
                UNDEFINED_DEVIATION
            };
            z * z
        })
        .sum::<f64>()
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn weighted_moments_and_cholesky() {
        let pts = vec![vec![0.0, 0.0], vec![2.0, 2.0], vec![4.0, 0.0]];
        let (m, c) = weighted_mean_cov(&pts, &[1.0, 2.0, 1.0]);
        assert_eq!(m, vec![2.0, 1.0]);
        assert!((c[0][0] - 2.0).abs() < 1e-12 && (c[1][1] - 1.0).abs() < 1e-12);
        assert!(c[0][1].abs() < 1e-12);
        let a = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let l = cholesky(&a).unwrap();
        for i in 0..2 {
            for j in 0..2 {
                let v: f64 = (0..2).map(|k| l[i][k] * l[j][k]).sum();
                assert!((v - a[i][j]).abs() < 1e-12);
            }
        }
        assert!(cholesky(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
    }

    #[test]
    fn kernel_draws_have_twice_the_population_covariance() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let pts: Vec<Vec<f64>> = (0..400)
            .map(|i| vec![(i % 20) as f64 / 10.0, ((i * 7) % 13) as f64 / 5.0])
            .collect();
        let w = vec![1.0; pts.len()];
        let (_, cov) = weighted_mean_cov(&pts, &w);
        let k = Kernel::of(&pts, &w);
        let draws: Vec<Vec<f64>> = (0..40_000)
            .map(|_| k.perturb(&[1.0, -1.0], &mut rng))
            .collect();
        let (m, c) = weighted_mean_cov(&draws, &vec![1.0; draws.len()]);
        assert!(
            (m[0] - 1.0).abs() < 0.03 && (m[1] + 1.0).abs() < 0.03,
            "{m:?}"
        );
        for a in 0..2 {
            for b in 0..2 {
                assert!(
                    (c[a][b] - 2.0 * cov[a][b]).abs() < 0.05 * (2.0 * cov[a][a]).max(0.1),
                    "{c:?} vs 2×{cov:?}"
                );
            }
        }
        // The density peaks at the centre and falls with the Mahalanobis distance.
        assert_eq!(k.density(&[1.0, -1.0], &[1.0, -1.0]), 1.0);
        assert!(k.density(&[1.5, -1.0], &[1.0, -1.0]) < 1.0);
    }

    #[test]
    fn degenerate_populations_still_give_a_kernel() {
        let pts = vec![vec![0.3, 1.0], vec![0.3, 2.0], vec![0.3, 3.0]];
        let k = Kernel::of(&pts, &[1.0, 1.0, 1.0]);
        assert!(k.chol[0][0] > 0.0);
    }

    #[test]
    fn quantiles_ess_spreads_and_distance() {
        assert_eq!(
            weighted_quantile(&[3.0, 1.0, 2.0], &[1.0, 1.0, 1.0], 0.5),
            2.0
        );
        assert_eq!(
            weighted_quantile(&[3.0, 1.0, 2.0], &[0.0, 0.0, 1.0], 0.5),
            2.0
        );
        assert_eq!(
            weighted_quantile(&[3.0, 1.0, 2.0], &[10.0, 1.0, 1.0], 0.5),
            3.0
        );
        assert_eq!(effective_sample_size(&[0.25; 4]), 4.0);
        assert!((effective_sample_size(&[1.0, 0.0, 0.0]) - 1.0).abs() < 1e-12);
        let s = spreads(
            &[
                vec![1.0, 5.0, f64::NAN],
                vec![2.0, 5.0, f64::NAN],
                vec![3.0, 5.0, f64::NAN],
                vec![4.0, 6.0, f64::NAN],
            ],
            3,
        );
        assert!((s[0] - 1.4826).abs() < 1e-9, "{s:?}");
        assert!((s[1] - 0.25).abs() < 1e-12, "{s:?}");
        assert_eq!(s[2], 1.0);
        assert_eq!(distance(&[1.0, 2.0], &[1.0, 0.0], &[1.0, 2.0]), 1.0);
        assert_eq!(distance(&[f64::NAN], &[0.0], &[1.0]), UNDEFINED_DEVIATION);
    }
}
