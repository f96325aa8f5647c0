//! Global sensitivity analysis on the unit hypercube: Morris elementary effects and
//! variance-based Sobol indices (Saltelli design), with bootstrap confidence intervals and a
//! correction for replicate noise in stochastic models.
//!
//! Every design lives in [0, 1]^k; map it to the factors' real ranges with
//! [`scale_points`] (or inside the model) before running the model. Everything is generic
//! either over a model `f: Fn(&[f64]) -> f64` (`*_analyze`) or over outputs computed
//! elsewhere, in the documented point order.

use super::online::quantile_type7;
use super::sampling::sobol;
use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Points mapped from the unit cube to `[lo[i], hi[i]]` per coordinate: lo + x·(hi − lo).
///
/// # Panics
/// If a point, `lo` and `hi` differ in length.
pub fn scale_points(points: &[Vec<f64>], lo: &[f64], hi: &[f64]) -> Vec<Vec<f64>> {
    assert_eq!(lo.len(), hi.len(), "scale_points: lo/hi length mismatch");
    points
        .iter()
        .map(|p| {
            assert_eq!(p.len(), lo.len(), "scale_points: point length mismatch");
            p.iter()
                .zip(lo.iter().zip(hi))
                .map(|(x, (l, h))| l + x * (h - l))
                .collect()
        })
        .collect()
}

fn bounded(rng: &mut Xoshiro256PlusPlus, bound: u64) -> usize {
    ((rng.next_u64() as u128 * bound as u128) >> 64) as usize
}

// ---------------------------------------------------------------------------------------
// Morris
// ---------------------------------------------------------------------------------------

/// The Morris summary of one factor's elementary effects (EE) over the trajectories.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct MorrisIndex {
    /// Mean of the EEs (signed).
    pub mu: f64,
    /// Mean of |EE| (Campolongo et al. 2007).
    pub mu_star: f64,
    /// Sample standard deviation (r−1) of the EEs; 0 when r = 1.
    pub sigma: f64,
    /// 95 % percentile-bootstrap CI of `mu_star`, resampling trajectories.
    pub mu_star_ci: (f64, f64),
}

/// The step Δ = p / (2(p−1)) of a Morris design with `p` levels.
pub fn morris_delta(p: usize) -> f64 {
    p as f64 / (2.0 * (p as f64 - 1.0))
}

/// A Morris one-at-a-time design: `r` trajectories of `k + 1` points each (rows
/// `t·(k+1) … t·(k+1)+k` form trajectory `t`) on the grid {0, 1/(p−1), …, 1}^k. Consecutive
/// points of a trajectory differ in exactly one factor, by ±Δ = ±p/(2(p−1)), and every factor
/// moves once per trajectory.
///
/// Each trajectory draws, from Xoshiro256PlusPlus seeded with `seed`: per factor a base level
/// in {0, …, p/2−1} and a direction (starting at base + p/2 when moving down), then a random
/// factor order (Fisher–Yates).
///
/// # Panics
/// If `p` is odd or < 2, or `k == 0`.
// Morris (1991), Technometrics 33(2):161–174, §3 (random orientation of B*); Δ = p/(2(p−1)) as recommended there.
pub fn morris_design(k: usize, r: usize, p: usize, seed: u64) -> Vec<Vec<f64>> {
    assert!(k > 0, "morris_design: k must be positive");
    assert!(
        p >= 2 && p.is_multiple_of(2),
        "morris_design: p must be even and ≥ 2"
    );
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let half = p / 2;
    let step = 1.0 / (p - 1) as f64;
    let mut design = Vec::with_capacity(r * (k + 1));
    let mut level = vec![0usize; k];
    let mut up = vec![true; k];
    let mut order: Vec<usize> = (0..k).collect();
    for _ in 0..r {
        for l in level.iter_mut() {
            *l = bounded(&mut rng, half as u64);
        }
        for (u, l) in up.iter_mut().zip(level.iter_mut()) {
            *u = rng.next_u64() >> 63 == 0;
            if !*u {
                *l += half;
            }
        }
        for (i, o) in order.iter_mut().enumerate() {
            *o = i;
        }
        for i in (1..k).rev() {
            let j = bounded(&mut rng, i as u64 + 1);
            order.swap(i, j);
        }
        let to_point = |lv: &[usize]| lv.iter().map(|&l| l as f64 * step).collect::<Vec<f64>>();
        design.push(to_point(&level));
        for &f in &order {
            if up[f] {
                level[f] += half;
            } else {
                level[f] -= half;
            }
            design.push(to_point(&level));
        }
    }
    design
}

/// Morris indices per factor from a design made by [`morris_design`] (on the unit scale) and
/// its outputs, with 1000 bootstrap resamples seeded with 0. See [`morris_indices_seeded`].
pub fn morris_indices(
    design: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    r: usize,
    p: usize,
) -> Vec<MorrisIndex> {
    morris_indices_seeded(design, outputs, k, r, p, 1000, 0)
}

/// Morris indices per factor: μ, μ* and σ of the elementary effects
/// EE_i = (f(x + Δeᵢ) − f(x)) / Δ, taken on the **unit** scale of the design; plus a
/// percentile-bootstrap 95 % CI for μ* over `resamples` resamplings of whole trajectories
/// (Xoshiro256PlusPlus seeded with `seed`).
///
/// Units: if the model maps unit coordinates to real ranges (x' = lo + x·range), the EE is
/// the change of f per full range of the factor, so for f = Σ bᵢ x'ᵢ, μ*ᵢ = |bᵢ|·rangeᵢ and
/// σᵢ = 0; divide by rangeᵢ for a per-unit effect. Which factor moved between consecutive
/// points is read from the design, so the factor order of trajectories is free.
///
/// # Panics
/// If `design`/`outputs` do not hold r·(k+1) rows, or two consecutive points of a trajectory
/// do not differ in exactly one coordinate by Δ(p) (within 1e-9).
// Morris (1991) elementary effects; μ* from Campolongo, Cariboni & Saltelli (2007), Environ. Model. Softw. 22:1509–1518; bootstrap CI as in SALib's morris.analyze (Herman & Usher 2017).
pub fn morris_indices_seeded(
    design: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    r: usize,
    p: usize,
    resamples: usize,
    seed: u64,
) -> Vec<MorrisIndex> {
    let rows = r * (k + 1);
    assert_eq!(design.len(), rows, "morris: design must have r·(k+1) rows");
    assert_eq!(
        outputs.len(),
        rows,
        "morris: outputs must have r·(k+1) rows"
    );
    let delta = morris_delta(p);
    // ee[i * r + t] = elementary effect of factor i in trajectory t.
    let mut ee = vec![f64::NAN; k * r];
    for t in 0..r {
        for s in 0..k {
            let (x0, x1) = (&design[t * (k + 1) + s], &design[t * (k + 1) + s + 1]);
            let mut moved = None;
            for i in 0..k {
                if x0[i] != x1[i] {
                    assert!(
                        moved.is_none(),
                        "morris: trajectory {t} step {s} moves two factors"
                    );
                    moved = Some(i);
                }
            }
            let i =
                moved.unwrap_or_else(|| panic!("morris: trajectory {t} step {s} moves nothing"));
            let dx = x1[i] - x0[i];
            assert!(
                (dx.abs() - delta).abs() < 1e-9,
                "morris: step of {dx} is not ±Δ = {delta}"
            );
            ee[i * r + t] = (outputs[t * (k + 1) + s + 1] - outputs[t * (k + 1) + s]) / dx;
        }
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut draws = vec![0usize; r];
    let mut boot = vec![vec![0.0; resamples]; k];
    for b in 0..resamples {
        for d in draws.iter_mut() {
            *d = bounded(&mut rng, r as u64);
        }
        for (i, bi) in boot.iter_mut().enumerate() {
            let e = &ee[i * r..(i + 1) * r];
            bi[b] = draws.iter().map(|&t| e[t].abs()).sum::<f64>() / r as f64;
        }
    }
    (0..k)
        .map(|i| {
            let e = &ee[i * r..(i + 1) * r];
            let rf = r as f64;
            let mu = e.iter().sum::<f64>() / rf;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / rf;
            let sigma = if r > 1 {
                (e.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (rf - 1.0)).sqrt()
            } else {
                0.0
            };
            let mu_star_ci = percentile_ci(&mut boot[i], 0.95).unwrap_or((mu_star, mu_star));
            MorrisIndex {
                mu,
                mu_star,
                sigma,
                mu_star_ci,
            }
        })
        .collect()
}

/// A Morris screening of `f` on the unit cube: builds the design, evaluates `f` at each
/// point in order and returns [`morris_indices`].
pub fn morris_analyze(
    f: impl Fn(&[f64]) -> f64,
    k: usize,
    r: usize,
    p: usize,
    seed: u64,
) -> Vec<MorrisIndex> {
    let design = morris_design(k, r, p, seed);
    let y: Vec<f64> = design.iter().map(|x| f(x)).collect();
    morris_indices(&design, &y, k, r, p)
}

/// Percentile CI of a bootstrap sample (sorted in place); None if empty.
fn percentile_ci(sample: &mut [f64], level: f64) -> Option<(f64, f64)> {
    if sample.is_empty() {
        return None;
    }
    sample.sort_unstable_by(f64::total_cmp);
    let a = 0.5 * (1.0 - level);
    Some((quantile_type7(sample, a), quantile_type7(sample, 1.0 - a)))
}

// ---------------------------------------------------------------------------------------
// Sobol / Saltelli
// ---------------------------------------------------------------------------------------

/// A Saltelli sampling design for `k` factors with base size `n`: matrices A and B (n × k)
/// and, for each factor i, A_B^(i) = A with column i taken from B.
#[derive(Clone, Debug, PartialEq)]
pub struct SaltelliDesign {
    /// Number of factors.
    pub k: usize,
    /// Base sample size N (rows of A).
    pub n: usize,
    /// Matrix A: the first k coordinates of Sobol points skip..skip+n.
    pub a: Vec<Vec<f64>>,
    /// Matrix B: the last k coordinates of the same points.
    pub b: Vec<Vec<f64>>,
    /// `ab[i]` = A_B^(i), the rows of A with column i from B.
    pub ab: Vec<Vec<Vec<f64>>>,
}

impl SaltelliDesign {
    /// All n·(k+2) points in the order the estimators expect their outputs: the n rows of A,
    /// then the n rows of B, then the n rows of A_B^(1), …, then those of A_B^(k).
    pub fn points(&self) -> Vec<Vec<f64>> {
        let mut out = Vec::with_capacity(self.len());
        out.extend(self.a.iter().cloned());
        out.extend(self.b.iter().cloned());
        for abi in &self.ab {
            out.extend(abi.iter().cloned());
        }
        out
    }

    /// Number of model runs n·(k+2).
    pub fn len(&self) -> usize {
        self.n * (self.k + 2)
    }

    /// True when the design has no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A Saltelli design built from points `skip..skip+n` of the 2k-dimensional Sobol sequence
/// (A = first k columns, B = last k). Use n a power of two and skip = 0 (or a multiple of n)
/// for the best balance. Requires 2k ≤ [`SOBOL_MAX_DIMS`](super::sampling::SOBOL_MAX_DIMS).
// Saltelli et al. (2010), Comput. Phys. Commun. 181:259–270, §2 (radial A, B, A_B^(i) scheme).
pub fn saltelli_design(k: usize, n: usize, skip: u64) -> SaltelliDesign {
    let pts = sobol(n, 2 * k, skip);
    let a: Vec<Vec<f64>> = pts.iter().map(|p| p[..k].to_vec()).collect();
    let b: Vec<Vec<f64>> = pts.iter().map(|p| p[k..].to_vec()).collect();
    let ab = (0..k)
        .map(|i| {
            a.iter()
                .zip(&b)
                .map(|(ra, rb)| {
                    let mut row = ra.clone();
                    row[i] = rb[i];
                    row
                })
                .collect()
        })
        .collect();
    SaltelliDesign { k, n, a, b, ab }
}

/// First-order and total Sobol indices of one factor, with bootstrap CIs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SobolIndex {
    /// First-order index S1 (Saltelli et al. 2010 estimator).
    pub s1: f64,
    /// Percentile-bootstrap CI of `s1`.
    pub s1_ci: (f64, f64),
    /// Total-effect index ST (Jansen 1999 estimator).
    pub st: f64,
    /// Percentile-bootstrap CI of `st`.
    pub st_ci: (f64, f64),
}

/// The result of a Sobol analysis: one [`SobolIndex`] per factor plus diagnostics.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SobolResult {
    /// Indices per factor, in factor order.
    pub indices: Vec<SobolIndex>,
    /// Σ S1 (≤ 1; 1 − Σ S1 is the share due to interactions).
    pub sum_s1: f64,
    /// Output variance used as denominator: Var over A and B outputs minus `noise_var`.
    pub variance: f64,
    /// Noise variance of a point's output that was corrected for (0 for deterministic models).
    pub noise_var: f64,
    /// Number of rows used (rows with a non-finite output are dropped).
    pub n_used: usize,
    /// Why the indices should not be trusted as they are (the caller words them).
    pub warnings: Vec<SobolWarning>,
}

/// Why the Sobol indices of a sample should not be trusted as they are.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum SobolWarning {
    /// `dropped` of the `rows` rows had a non-finite output and were left out.
    RowsDropped { dropped: usize, rows: usize },
    /// The output variance, after subtracting `noise_var`, is not positive: no indices.
    NoVariance { variance: f64, noise_var: f64 },
    /// The indices of factor `factor` are too imprecise for the base sample size `n` (try 4n).
    Imprecise {
        factor: usize,
        reasons: Vec<Imprecision>,
        n: usize,
    },
    /// Replicate noise is `share` of the variance of the point means.
    Noisy { share: f64 },
}

/// Why a factor's Sobol indices are imprecise: a 95 % CI half-width above
/// [`IMPRECISE_HALF_WIDTH`], or an index below [`IMPRECISE_NEGATIVE`] (the value given).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Imprecision {
    WideS1(f64),
    WideSt(f64),
    NegativeS1(f64),
    NegativeSt(f64),
}

/// A CI half-width of an index above this makes the index imprecise.
pub const IMPRECISE_HALF_WIDTH: f64 = 0.1;
/// An index below this is estimation error, not a (necessarily ≥ 0) variance share.
pub const IMPRECISE_NEGATIVE: f64 = -0.05;

/// Options of the Sobol estimators.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolOptions {
    /// Number of bootstrap resamples of the rows (default 1000).
    pub resamples: usize,
    /// Seed of the bootstrap's Xoshiro256PlusPlus stream (default 0).
    pub seed: u64,
    /// Confidence level of the percentile CIs (default 0.95).
    pub level: f64,
    /// Variance of the noise in each point's output, σ²_noise/R when the output is a mean of
    /// R replicates; subtracted from V and from the Jansen numerator (default 0).
    pub noise_var: f64,
}

impl Default for SobolOptions {
    fn default() -> Self {
        SobolOptions {
            resamples: 1000,
            seed: 0,
            level: 0.95,
            noise_var: 0.0,
        }
    }
}

/// Point estimates from the rows `rows` of the split outputs: (V, S1 per factor, ST per factor).
fn sobol_point(
    ya: &[f64],
    yb: &[f64],
    yab: &[&[f64]],
    rows: &[usize],
    noise_var: f64,
    s1: &mut [f64],
    st: &mut [f64],
) -> f64 {
    let m = rows.len() as f64;
    let (mut sa, mut sb) = (0.0, 0.0);
    for &j in rows {
        sa += ya[j];
        sb += yb[j];
    }
    let mean = (sa + sb) / (2.0 * m);
    let mut ss = 0.0;
    for &j in rows {
        ss += (ya[j] - mean).powi(2) + (yb[j] - mean).powi(2);
    }
    let v = ss / (2.0 * m) - noise_var;
    for (i, yabi) in yab.iter().enumerate() {
        let (mut num1, mut numt) = (0.0, 0.0);
        for &j in rows {
            let d = yabi[j] - ya[j];
            // Centre f(B) on the mean: same expectation, smaller variance.
            num1 += (yb[j] - mean) * d;
            numt += d * d;
        }
        s1[i] = num1 / m / v;
        st[i] = (numt / (2.0 * m) - noise_var) / v;
    }
    v
}

/// Sobol indices from model outputs in [`SaltelliDesign::points`] order (n·(k+2) values).
///
/// V is the (population) variance of the f(A) and f(B) outputs, less `opts.noise_var`;
/// S1ᵢ = mean[f(B)·(f(A_B^(i)) − f(A))] / V and STᵢ = (mean[(f(A) − f(A_B^(i)))²]/2 −
/// noise_var) / V. CIs are percentile bootstraps over rows. Rows with any non-finite output
/// are dropped (with a warning).
///
/// Warnings are issued, naming a larger N to try (4×), when a CI half-width exceeds 0.1 or
/// an index is below −0.05; and when V ≤ 0 (all indices are then NaN).
///
/// # Panics
/// If `outputs.len() != n·(k+2)`.
// S1: Saltelli et al. (2010), Table 2 (their recommended first-order estimator); ST: Jansen (1999), Comput. Phys. Commun. 117:35–43 (Saltelli et al. 2010, Table 2); f(B) centred as in SALib (Herman & Usher 2017).
pub fn sobol_indices(outputs: &[f64], k: usize, n: usize, opts: &SobolOptions) -> SobolResult {
    assert_eq!(
        outputs.len(),
        n * (k + 2),
        "sobol_indices: expected n·(k+2) outputs"
    );
    let ya = &outputs[..n];
    let yb = &outputs[n..2 * n];
    let yab: Vec<&[f64]> = (0..k).map(|i| &outputs[(2 + i) * n..(3 + i) * n]).collect();
    let rows: Vec<usize> = (0..n)
        .filter(|&j| ya[j].is_finite() && yb[j].is_finite() && yab.iter().all(|y| y[j].is_finite()))
        .collect();
    let mut warnings = Vec::new();
    if rows.len() < n {
        warnings.push(SobolWarning::RowsDropped {
            dropped: n - rows.len(),
            rows: n,
        });
    }
    let m = rows.len();
    let mut s1 = vec![f64::NAN; k];
    let mut st = vec![f64::NAN; k];
    let variance = if m > 0 {
        sobol_point(ya, yb, &yab, &rows, opts.noise_var, &mut s1, &mut st)
    } else {
        f64::NAN
    };
    if variance.is_nan() || variance <= 0.0 {
        warnings.push(SobolWarning::NoVariance {
            variance,
            noise_var: opts.noise_var,
        });
        let nan = (f64::NAN, f64::NAN);
        return SobolResult {
            indices: vec![
                SobolIndex {
                    s1: f64::NAN,
                    s1_ci: nan,
                    st: f64::NAN,
                    st_ci: nan,
                };
                k
            ],
            sum_s1: f64::NAN,
            variance,
            noise_var: opts.noise_var,
            n_used: m,
            warnings,
        };
    }
    // Bootstrap over rows.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(opts.seed);
    let mut boot_s1 = vec![vec![0.0; opts.resamples]; k];
    let mut boot_st = vec![vec![0.0; opts.resamples]; k];
    let mut draw = vec![0usize; m];
    let (mut b1, mut bt) = (vec![0.0; k], vec![0.0; k]);
    for b in 0..opts.resamples {
        for d in draw.iter_mut() {
            *d = rows[bounded(&mut rng, m as u64)];
        }
        sobol_point(ya, yb, &yab, &draw, opts.noise_var, &mut b1, &mut bt);
        for i in 0..k {
            boot_s1[i][b] = b1[i];
            boot_st[i][b] = bt[i];
        }
    }
    let indices: Vec<SobolIndex> = (0..k)
        .map(|i| SobolIndex {
            s1: s1[i],
            s1_ci: percentile_ci(&mut boot_s1[i], opts.level).unwrap_or((s1[i], s1[i])),
            st: st[i],
            st_ci: percentile_ci(&mut boot_st[i], opts.level).unwrap_or((st[i], st[i])),
        })
        .collect();
    for (i, ix) in indices.iter().enumerate() {
        let h1 = 0.5 * (ix.s1_ci.1 - ix.s1_ci.0);
        let ht = 0.5 * (ix.st_ci.1 - ix.st_ci.0);
        let mut why = Vec::new();
        if h1 > IMPRECISE_HALF_WIDTH {
            why.push(Imprecision::WideS1(h1));
        }
        if ht > IMPRECISE_HALF_WIDTH {
            why.push(Imprecision::WideSt(ht));
        }
        if ix.s1 < IMPRECISE_NEGATIVE {
            why.push(Imprecision::NegativeS1(ix.s1));
        }
        if ix.st < IMPRECISE_NEGATIVE {
            why.push(Imprecision::NegativeSt(ix.st));
        }
        if !why.is_empty() {
            warnings.push(SobolWarning::Imprecise {
                factor: i,
                reasons: why,
                n,
            });
        }
    }
    SobolResult {
        sum_s1: s1.iter().sum(),
        indices,
        variance,
        noise_var: opts.noise_var,
        n_used: m,
        warnings,
    }
}

/// A Sobol analysis of `f` on the unit cube: builds [`saltelli_design`]`(k, n, skip)`,
/// evaluates `f` at every point in [`SaltelliDesign::points`] order and returns
/// [`sobol_indices`].
pub fn sobol_analyze(
    f: impl Fn(&[f64]) -> f64,
    k: usize,
    n: usize,
    skip: u64,
    opts: &SobolOptions,
) -> SobolResult {
    let design = saltelli_design(k, n, skip);
    let y: Vec<f64> = design.points().iter().map(|x| f(x)).collect();
    sobol_indices(&y, k, n, opts)
}

/// Per-point replicate means (NaN-ignoring) and the noise variance of such a mean,
/// mean over points of s²ₚ/Rₚ (points with fewer than 2 finite replicates do not inform it;
/// NaN if none does).
// Within-point (replicate) variance as the noise term of a stochastic simulator: Iooss & Ribatet (2009), Reliab. Eng. Syst. Saf. 94:1079 §2; Marrel et al. (2012), Stoch. Environ. Res. Risk Assess. 26:233–254.
pub fn replicate_means(point_replicate_outputs: &[Vec<f64>]) -> (Vec<f64>, f64) {
    let mut means = Vec::with_capacity(point_replicate_outputs.len());
    let (mut noise, mut informed) = (0.0, 0usize);
    for reps in point_replicate_outputs {
        let (r, mean, var) = super::ci::mean_var(reps.iter().copied());
        means.push(mean);
        if r >= 2 {
            noise += var / r as f64;
            informed += 1;
        }
    }
    let noise_var = if informed > 0 {
        noise / informed as f64
    } else {
        f64::NAN
    };
    (means, noise_var)
}

/// The share of the variance of the per-point replicate means that is replicate noise:
/// (mean within-point variance / R) / Var(point means). Near 0 the means are essentially
/// deterministic; near 1 the parameters barely matter next to the noise (more replicates,
/// or a larger design, are needed). NaN when it cannot be estimated.
// Noise/total decomposition of a stochastic model's output: Iooss & Ribatet (2009); Marrel et al. (2012).
pub fn noise_share(point_replicate_outputs: &[Vec<f64>]) -> f64 {
    let (means, noise_var) = replicate_means(point_replicate_outputs);
    let (_, _, total) = super::ci::mean_var(means.iter().copied());
    noise_var / total
}

/// Sobol indices of the replicate-mean output of a stochastic model. `replicate_outputs`
/// holds, for every design point in [`SaltelliDesign::points`] order, the outputs of its R
/// replicates. The points' means feed [`sobol_indices`] with `noise_var` set to the
/// estimated noise variance of a mean (overriding `opts.noise_var`), so that
/// V_param = Var(means) − σ²_noise/R and the Jansen ST numerator is corrected likewise
/// (the S1 numerator is unbiased by independent noise).
///
/// Assumes the noise is independent between points (different random streams per point); with
/// common random numbers across points the correction over-subtracts.
// V_param = Var(Ȳ) − σ²/R: Iooss & Ribatet (2009) mean/dispersion decomposition; Marrel et al. (2012) §2.
pub fn sobol_indices_noisy(
    replicate_outputs: &[Vec<f64>],
    k: usize,
    n: usize,
    opts: &SobolOptions,
) -> SobolResult {
    let (means, noise_var) = replicate_means(replicate_outputs);
    let mut o = *opts;
    o.noise_var = if noise_var.is_nan() { 0.0 } else { noise_var };
    let mut res = sobol_indices(&means, k, n, &o);
    let share = noise_var / (res.variance + noise_var);
    if share > 0.5 {
        res.warnings.push(SobolWarning::Noisy { share });
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::{Distribution, StandardNormal};
    use std::f64::consts::PI;

    /// Ishigami (1990) on [−π, π]³ from unit coordinates; any extra coordinates are ignored.
    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        let t: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
        t[0].sin() + a * t[1].sin().powi(2) + b * t[2].powi(4) * t[0].sin()
    }

    /// Analytical Ishigami indices (a = 7, b = 0.1): V₁, V₂, V₃ = 0, V₁₃.
    fn ishigami_truth() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    fn assert_covered(name: &str, est: f64, ci: (f64, f64), truth: f64) {
        let ok = (ci.0 <= truth && truth <= ci.1) || (est - truth).abs() < 0.03;
        assert!(
            ok,
            "{name}: estimate {est:.4}, CI ({:.4}, {:.4}), truth {truth:.4}",
            ci.0, ci.1
        );
    }

    #[test]
    fn ishigami_sobol_indices() {
        let (s1_true, st_true) = ishigami_truth();
        assert!((s1_true[0] - 0.3139).abs() < 1e-4 && (st_true[2] - 0.2437).abs() < 1e-4);
        // 4 factors: the 4th does nothing.
        let res = sobol_analyze(ishigami, 4, 1 << 13, 0, &SobolOptions::default());
        assert_eq!(res.n_used, 1 << 13);
        for i in 0..3 {
            let ix = res.indices[i];
            assert_covered(&format!("S1[{i}]"), ix.s1, ix.s1_ci, s1_true[i]);
            assert_covered(&format!("ST[{i}]"), ix.st, ix.st_ci, st_true[i]);
        }
        let null = res.indices[3];
        assert!(null.s1_ci.0 <= 0.0 && 0.0 <= null.s1_ci.1, "{null:?}");
        assert!(
            null.st.abs() < 1e-12 && null.st_ci.1.abs() < 1e-12,
            "{null:?}"
        );
        assert!((res.sum_s1 - (s1_true[0] + s1_true[1])).abs() < 0.05);
        assert!(res.warnings.is_empty(), "{:?}", res.warnings);
        // Deterministic given the inputs.
        assert_eq!(
            res,
            sobol_analyze(ishigami, 4, 1 << 13, 0, &SobolOptions::default())
        );
    }

    #[test]
    fn small_n_warns() {
        let res = sobol_analyze(ishigami, 3, 16, 0, &SobolOptions::default());
        assert!(
            res.warnings
                .iter()
                .any(|w| matches!(w, SobolWarning::Imprecise { n: 16, .. })),
            "{:?}",
            res.warnings
        );
    }

    #[test]
    fn saltelli_design_layout() {
        let d = saltelli_design(3, 8, 0);
        let s = sobol(8, 6, 0);
        let pts = d.points();
        assert_eq!(pts.len(), d.len());
        assert_eq!(d.len(), 8 * 5);
        for j in 0..8 {
            assert_eq!(pts[j], s[j][..3].to_vec());
            assert_eq!(pts[8 + j], s[j][3..].to_vec());
            for i in 0..3 {
                let row = &pts[(2 + i) * 8 + j];
                for c in 0..3 {
                    let want = if c == i { s[j][3 + c] } else { s[j][c] };
                    assert_eq!(row[c], want);
                }
            }
        }
    }

    #[test]
    fn constant_model_yields_nan_and_a_warning() {
        let res = sobol_analyze(|_| 1.0, 2, 64, 0, &SobolOptions::default());
        assert!(res.indices[0].s1.is_nan() && !res.warnings.is_empty());
    }

    #[test]
    fn noise_correction_removes_replicate_noise() {
        // Ishigami + N(0, 2²) noise, R = 4 replicates: noise variance of a mean is 1.
        let (k, n, reps, sd) = (4, 1 << 12, 4, 2.0);
        let design = saltelli_design(k, n, 0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let outputs: Vec<Vec<f64>> = design
            .points()
            .iter()
            .map(|x| {
                (0..reps)
                    .map(|_| {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        ishigami(x) + sd * z
                    })
                    .collect()
            })
            .collect();
        let (s1_true, st_true) = ishigami_truth();
        let v_true = {
            let (a, b) = (7.0f64, 0.1f64);
            a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5
        };
        let share = noise_share(&outputs);
        let want = 1.0 / (v_true + 1.0);
        assert!((share - want).abs() < 0.01, "noise share {share} vs {want}");

        let opts = SobolOptions::default();
        let corrected = sobol_indices_noisy(&outputs, k, n, &opts);
        assert!((corrected.noise_var - 1.0).abs() < 0.05);
        assert!((corrected.variance - v_true).abs() < 0.5);
        let (means, _) = replicate_means(&outputs);
        let naive = sobol_indices(&means, k, n, &opts);
        // The null factor's naive ST is inflated by noise/V ≈ 0.067; the corrected one is ≈ 0.
        assert!(naive.indices[3].st > 0.04, "{:?}", naive.indices[3]);
        assert!(
            corrected.indices[3].st.abs() < 0.02,
            "{:?}",
            corrected.indices[3]
        );
        for i in 0..3 {
            let ix = corrected.indices[i];
            assert!((ix.s1 - s1_true[i]).abs() < 0.05, "S1[{i}] {ix:?}");
            assert!((ix.st - st_true[i]).abs() < 0.05, "ST[{i}] {ix:?}");
        }
    }

    #[test]
    fn morris_design_structure() {
        let (k, r, p) = (5, 20, 4);
        let d = morris_design(k, r, p, 9);
        assert_eq!(d.len(), r * (k + 1));
        assert_eq!(d, morris_design(k, r, p, 9));
        let delta = morris_delta(p);
        assert!((delta - 2.0 / 3.0).abs() < 1e-15);
        for t in 0..r {
            let mut moved = vec![false; k];
            for s in 0..k {
                let (a, b) = (&d[t * (k + 1) + s], &d[t * (k + 1) + s + 1]);
                let diff: Vec<usize> = (0..k).filter(|&i| a[i] != b[i]).collect();
                assert_eq!(diff.len(), 1);
                assert!(((b[diff[0]] - a[diff[0]]).abs() - delta).abs() < 1e-12);
                assert!(!moved[diff[0]]);
                moved[diff[0]] = true;
            }
            for x in &d[t * (k + 1)] {
                let lv = x * (p - 1) as f64;
                assert!((lv - lv.round()).abs() < 1e-12 && (0.0..=1.0).contains(x));
            }
        }
    }

    #[test]
    fn morris_linear_model_is_exact() {
        let coef = [2.0, -3.0, 0.5, 0.0];
        let lo = [0.0, 10.0, -1.0, 5.0];
        let hi = [1.0, 14.0, 7.0, 6.0];
        let (k, r, p) = (4, 10, 4);
        let design = morris_design(k, r, p, 3);
        let scaled = scale_points(&design, &lo, &hi);
        let y: Vec<f64> = scaled
            .iter()
            .map(|x| x.iter().zip(&coef).map(|(a, b)| a * b).sum())
            .collect();
        let idx = morris_indices(&design, &y, k, r, p);
        for i in 0..k {
            let want = coef[i].abs() * (hi[i] - lo[i]);
            let m = idx[i];
            assert!(
                (m.mu_star - want).abs() <= 1e-12 * want.max(1.0),
                "{i}: {m:?}"
            );
            assert!((m.mu - coef[i] * (hi[i] - lo[i])).abs() <= 1e-12 * want.max(1.0));
            assert!(m.sigma <= 1e-12 * want.max(1.0), "{i}: {m:?}");
            assert!((m.mu_star_ci.0 - want).abs() <= 1e-12 * want.max(1.0));
            assert!((m.mu_star_ci.1 - want).abs() <= 1e-12 * want.max(1.0));
        }
        assert_eq!(idx[3].mu_star, 0.0);
    }

    #[test]
    fn morris_nonlinear_model_has_spread() {
        // f = x0·x1 + x2: factors 0 and 1 interact (σ > 0), factor 2 is linear, 3 is null.
        let idx = morris_analyze(|x| x[0] * x[1] + x[2], 4, 50, 4, 1);
        assert!(idx[0].sigma > 0.1 && idx[1].sigma > 0.1);
        assert!((idx[2].mu_star - 1.0).abs() < 1e-12 && idx[2].sigma < 1e-12);
        assert_eq!(idx[3].mu_star, 0.0);
        for m in &idx[..2] {
            assert!(m.mu_star_ci.0 <= m.mu_star && m.mu_star <= m.mu_star_ci.1);
            assert!(m.mu_star_ci.0 < m.mu_star_ci.1);
        }
    }
}
