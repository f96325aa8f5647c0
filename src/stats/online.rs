//! Streaming and exact summaries (mean, sd, t-CI, 5th/95th percentiles) of one quantity
//! across replicates.

use super::ci::{mean_var, t_quantile};
use super::quantile::QuantileSketch;

/// Streaming summary of one quantity across replicates: Welford mean and variance, and the 5th
/// and 95th percentiles from a [`QuantileSketch`] — exact order statistics (type 7) up to
/// [`LEVEL_CAPACITY`](super::quantile::LEVEL_CAPACITY) values, within a tracked rank-error bound
/// beyond ([`OnlineStats::new`]), or always exact ([`OnlineStats::exact`]). Pushing NaN is
/// ignored (not counted). Deterministic given the push order. ±∞ values propagate into the
/// mean and quantiles.
#[derive(Clone, Debug)]
pub struct OnlineStats {
    n: u64,
    mean: f64,
    m2: f64,
    quantiles: QuantileSketch,
}

/// A summary of one quantity: mean, sample sd, 95 % t-CI of the mean, 5th and 95th
/// percentiles and the count of non-NaN values.
///
/// n = 0 → every float is NaN; n = 1 → sd = 0 and ci_low = ci_high = p05 = p95 = mean.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n−1 denominator).
    pub sd: f64,
    /// mean − t_{0.975, n−1}·sd/√n.
    pub ci_low: f64,
    /// mean + t_{0.975, n−1}·sd/√n.
    pub ci_high: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Number of (non-NaN) values summarized.
    pub n: u64,
}

impl Default for OnlineStats {
    fn default() -> Self {
        Self::new()
    }
}

impl OnlineStats {
    /// An empty accumulator whose percentiles are exact up to
    /// [`LEVEL_CAPACITY`](super::quantile::LEVEL_CAPACITY) values and within the sketch's rank
    /// bound beyond (memory: at most a few thousand values).
    pub fn new() -> Self {
        Self::with(QuantileSketch::new())
    }

    /// An empty accumulator that keeps every value, so its percentiles are always exact order
    /// statistics (memory grows with n): for quantities whose values are held anyway.
    pub fn exact() -> Self {
        Self::with(QuantileSketch::unbounded())
    }

    fn with(quantiles: QuantileSketch) -> Self {
        OnlineStats {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            quantiles,
        }
    }

    /// Adds one value; NaN is ignored.
    // Welford (1962), Technometrics 4(3):419–420.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.quantiles.push(x);
    }

    /// Number of non-NaN values pushed.
    #[inline]
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The percentiles' sketch (its exactness and rank-error bound).
    pub fn quantile_sketch(&self) -> &QuantileSketch {
        &self.quantiles
    }

    /// The current summary (see [`Summary`] for the n = 0 and n = 1 conventions).
    pub fn summary(&self) -> Summary {
        match self.n {
            0 => Summary::empty(),
            1 => Summary::single(self.mean),
            n => {
                let sd = (self.m2.max(0.0) / (n - 1) as f64).sqrt();
                let [p05, p95] = self.quantiles.quantiles([0.05, 0.95]);
                Summary::from_parts(self.mean, sd, n, p05, p95)
            }
        }
    }
}

impl Summary {
    fn empty() -> Self {
        let nan = f64::NAN;
        Summary {
            mean: nan,
            sd: nan,
            ci_low: nan,
            ci_high: nan,
            p05: nan,
            p95: nan,
            n: 0,
        }
    }

    fn single(x: f64) -> Self {
        Summary {
            mean: x,
            sd: 0.0,
            ci_low: x,
            ci_high: x,
            p05: x,
            p95: x,
            n: 1,
        }
    }

    /// n ≥ 2.
    // 95 % CI of the mean: Student (1908).
    fn from_parts(mean: f64, sd: f64, n: u64, p05: f64, p95: f64) -> Self {
        let h = t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt();
        Summary {
            mean,
            sd,
            ci_low: mean - h,
            ci_high: mean + h,
            p05,
            p95,
            n,
        }
    }
}

/// Exact summary of an in-memory sample (NaNs ignored): two-pass mean/variance and
/// type-7 (linear interpolation) quantiles. Allocates one sorted copy.
// Quantiles: Hyndman & Fan (1996), Am. Stat. 50(4):361–365, definition 7.
pub fn summarize(xs: &[f64]) -> Summary {
    let (n, mean, var) = mean_var(xs.iter().copied());
    match n {
        0 => Summary::empty(),
        1 => Summary::single(mean),
        _ => {
            let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
            v.sort_unstable_by(f64::total_cmp);
            let (p05, p95) = (quantile_type7(&v, 0.05), quantile_type7(&v, 0.95));
            Summary::from_parts(mean, var.sqrt(), n, p05, p95)
        }
    }
}

/// The type-7 quantile at `p` ∈ [0, 1] of an ascending slice: x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]),
/// h = (n−1)p (0-based).
///
/// # Panics
/// If `sorted` is empty.
// Hyndman & Fan (1996), definition 7 (R's default).
pub fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    assert!(!sorted.is_empty(), "quantile_type7: empty slice");
    let h = (sorted.len() - 1) as f64 * p;
    let i = h.floor() as usize;
    let frac = h - i as f64;
    if i + 1 >= sorted.len() || frac == 0.0 {
        sorted[i.min(sorted.len() - 1)]
    } else {
        sorted[i] + frac * (sorted[i + 1] - sorted[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn empty_and_single() {
        let s = OnlineStats::new().summary();
        assert_eq!(s.n, 0);
        assert!(s.mean.is_nan() && s.sd.is_nan() && s.p05.is_nan() && s.ci_low.is_nan());
        let mut o = OnlineStats::new();
        o.push(f64::NAN);
        o.push(4.0);
        o.push(f64::NAN);
        assert_eq!(o.n(), 1);
        let s = o.summary();
        assert_eq!(
            (s.mean, s.sd, s.ci_low, s.ci_high, s.p05, s.p95),
            (4.0, 0.0, 4.0, 4.0, 4.0, 4.0)
        );
        assert_eq!(s, summarize(&[f64::NAN, 4.0]));
    }

    #[test]
    fn small_n_is_exact_and_matches_summarize() {
        let xs = [3.0, -1.0, 7.5, 2.0, 10.0];
        for m in 2..=5 {
            let mut o = OnlineStats::new();
            xs[..m].iter().for_each(|&x| o.push(x));
            let (a, b) = (o.summary(), summarize(&xs[..m]));
            assert_eq!(a.n, b.n);
            for (u, v) in [
                (a.mean, b.mean),
                (a.sd, b.sd),
                (a.ci_low, b.ci_low),
                (a.ci_high, b.ci_high),
                (a.p05, b.p05),
                (a.p95, b.p95),
            ] {
                assert!(close(u, v, 1e-13), "m={m}: {u} vs {v}");
            }
        }
        // Hand check for n=5: sorted [-1,2,3,7.5,10]; h=0.2 → -1+0.2·3 = -0.4; h=3.8 → 7.5+0.8·2.5 = 9.5
        let s = summarize(&xs);
        assert!(close(s.p05, -0.4, 1e-15) && close(s.p95, 9.5, 1e-15));
        assert!(close(s.mean, 4.3, 1e-15));
        // var = Σ(x−4.3)² / 4 = (1.69+28.09+10.24+5.29+32.49)/4 = 19.45
        assert!(close(s.sd, 19.45f64.sqrt(), 1e-14));
        let h = 2.776_445_105_197_799 * s.sd / 5f64.sqrt();
        assert!(close(s.ci_low, 4.3 - h, 1e-12) && close(s.ci_high, 4.3 + h, 1e-12));
    }

    /// The cases: p05/p95 at n = 5, 30, 200 and 2000 replicates against exact type-7
    /// quantiles of the same values — equal up to the sketch's capacity, within its stated
    /// rank bound beyond; `exact()` always equal.
    #[test]
    fn percentiles_equal_exact_ones_up_to_the_capacity_and_keep_the_bound_beyond() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        for n in [5usize, 30, 200, 2000] {
            // Skewed with ties at zero, like limbo_count or usurp_ratio.
            let xs: Vec<f64> = (0..n)
                .map(|_| {
                    if rng.gen::<f64>() < 0.3 {
                        0.0
                    } else {
                        (rng.gen::<f64>() * 3.0).exp()
                    }
                })
                .collect();
            let (mut o, mut e) = (OnlineStats::new(), OnlineStats::exact());
            xs.iter().for_each(|&x| {
                o.push(x);
                e.push(x);
            });
            let want = summarize(&xs);
            let ex = e.summary();
            assert_eq!(
                (ex.p05, ex.p95),
                (want.p05, want.p95),
                "n={n}: exact() is exact"
            );
            let got = o.summary();
            assert!(close(got.mean, want.mean, 1e-12) && close(got.sd, want.sd, 1e-12));
            let sketch = o.quantile_sketch();
            if n < super::super::quantile::LEVEL_CAPACITY {
                assert_eq!((got.p05, got.p95), (want.p05, want.p95), "n={n}");
            } else {
                let mut sorted = xs.clone();
                sorted.sort_by(f64::total_cmp);
                let b = sketch.rank_error_bound() as usize;
                assert!(b > 0 && b as f64 <= 0.001 * n as f64, "n={n}: bound {b}");
                for (p, q) in [(0.05, got.p05), (0.95, got.p95)] {
                    let i = ((n - 1) as f64 * p).floor() as usize;
                    let (lo, hi) = (sorted[i.saturating_sub(b)], sorted[(i + 1 + b).min(n - 1)]);
                    assert!(lo <= q && q <= hi, "n={n} p={p}: {q} not in [{lo}, {hi}]");
                }
            }
            // The share of values below p05 is about 5 % (the issue saw 53 %).
            let below = xs.iter().filter(|&&x| x < got.p05).count() as f64 / n as f64;
            assert!(below <= 0.05 + 4.0 / n as f64, "n={n}: {below} below p05");
        }
    }

    #[test]
    fn constant_stream() {
        let mut o = OnlineStats::new();
        (0..100).for_each(|_| o.push(2.5));
        let s = o.summary();
        assert_eq!(
            (s.mean, s.sd, s.ci_low, s.ci_high, s.p05, s.p95),
            (2.5, 0.0, 2.5, 2.5, 2.5, 2.5)
        );
    }
}
