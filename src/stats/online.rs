//! Streaming and exact summaries (mean, sd, t-CI, 5th/95th percentiles) of one quantity
//! across replicates.

use super::ci::{mean_var, t_quantile};

/// Streaming summary of one quantity across replicates (Welford mean/variance + P² quantiles
/// for p05/p95, Jain & Chlamtac 1985). Pushing NaN is ignored (not counted). Deterministic
/// given the push order.
///
/// The first five values are kept and their quantiles are exact (type 7); from the sixth
/// value on, p05/p95 are P² estimates. ±∞ values propagate into the mean and quantiles.
#[derive(Clone, Debug)]
pub struct OnlineStats {
    n: u64,
    mean: f64,
    m2: f64,
    /// P² state for p = 0.05; its marker heights double as the buffer of the first 5 values.
    lo: P2,
    /// P² state for p = 0.95.
    hi: P2,
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
    /// An empty accumulator.
    pub fn new() -> Self {
        OnlineStats {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            lo: P2::new(0.05),
            hi: P2::new(0.95),
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
        if self.n <= 5 {
            self.lo.q[(self.n - 1) as usize] = x;
            if self.n == 5 {
                self.lo.q.sort_unstable_by(f64::total_cmp);
                self.hi.q = self.lo.q;
            }
        } else {
            self.lo.update(x);
            self.hi.update(x);
        }
    }

    /// Number of non-NaN values pushed.
    #[inline]
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The current summary (see [`Summary`] for the n = 0 and n = 1 conventions).
    pub fn summary(&self) -> Summary {
        match self.n {
            0 => Summary::empty(),
            1 => Summary::single(self.mean),
            n => {
                let sd = (self.m2.max(0.0) / (n - 1) as f64).sqrt();
                let (p05, p95) = if n <= 5 {
                    let mut buf = [0.0; 5];
                    let buf = &mut buf[..n as usize];
                    buf.copy_from_slice(&self.lo.q[..n as usize]);
                    buf.sort_unstable_by(f64::total_cmp);
                    (quantile_type7(buf, 0.05), quantile_type7(buf, 0.95))
                } else {
                    (self.lo.q[2], self.hi.q[2])
                };
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

/// State of one P² quantile estimator: five marker heights, actual and desired positions.
#[derive(Clone, Debug)]
struct P2 {
    p: f64,
    q: [f64; 5],
    pos: [f64; 5],
    want: [f64; 5],
}

impl P2 {
    fn new(p: f64) -> Self {
        P2 {
            p,
            q: [0.0; 5],
            pos: [1.0, 2.0, 3.0, 4.0, 5.0],
            want: [1.0, 1.0 + 2.0 * p, 1.0 + 4.0 * p, 3.0 + 2.0 * p, 5.0],
        }
    }

    /// One P² step for observation 6, 7, … (markers initialised from the sorted first five).
    // Jain & Chlamtac (1985), CACM 28(10):1076–1085, Box 1 (piecewise-parabolic update).
    #[inline]
    fn update(&mut self, x: f64) {
        let q = &mut self.q;
        let k = if x < q[0] {
            q[0] = x;
            0
        } else if x < q[1] {
            0
        } else if x < q[2] {
            1
        } else if x < q[3] {
            2
        } else if x <= q[4] {
            3
        } else {
            q[4] = x;
            3
        };
        for pos in &mut self.pos[k + 1..] {
            *pos += 1.0;
        }
        let p = self.p;
        self.want[1] += 0.5 * p;
        self.want[2] += p;
        self.want[3] += 0.5 * (1.0 + p);
        self.want[4] += 1.0;
        let n = &mut self.pos;
        for i in 1..4 {
            let d = self.want[i] - n[i];
            if (d >= 1.0 && n[i + 1] - n[i] > 1.0) || (d <= -1.0 && n[i - 1] - n[i] < -1.0) {
                let s = d.signum();
                let par = q[i]
                    + s / (n[i + 1] - n[i - 1])
                        * ((n[i] - n[i - 1] + s) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
                            + (n[i + 1] - n[i] - s) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
                q[i] = if q[i - 1] < par && par < q[i + 1] {
                    par
                } else {
                    let j = if s > 0.0 { i + 1 } else { i - 1 };
                    q[i] + s * (q[j] - q[i]) / (n[j] - n[i])
                };
                n[i] += s;
            }
        }
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

    #[test]
    fn p2_tracks_quantiles_on_a_large_stream() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut o = OnlineStats::new();
        let mut all = Vec::new();
        for _ in 0..20_000 {
            let x: f64 = rng.gen::<f64>() * 10.0;
            o.push(x);
            all.push(x);
        }
        let (a, b) = (o.summary(), summarize(&all));
        assert_eq!(a.n, 20_000);
        assert!(close(a.mean, b.mean, 1e-12) && close(a.sd, b.sd, 1e-10));
        assert!((a.p05 - b.p05).abs() < 0.05, "{} vs {}", a.p05, b.p05);
        assert!((a.p95 - b.p95).abs() < 0.05, "{} vs {}", a.p95, b.p95);
        assert!((a.p05 - 0.5).abs() < 0.1 && (a.p95 - 9.5).abs() < 0.1);
    }

    #[test]
    fn p2_is_reasonable_for_moderate_n_and_deterministic() {
        // 30 replicates of a skewed quantity: P² stays within the sample range and close to type 7.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let xs: Vec<f64> = (0..30).map(|_| (rng.gen::<f64>() * 3.0).exp()).collect();
        let mut o = OnlineStats::new();
        xs.iter().for_each(|&x| o.push(x));
        let mut o2 = OnlineStats::new();
        xs.iter().for_each(|&x| o2.push(x));
        assert_eq!(o.summary(), o2.summary());
        let (a, b) = (o.summary(), summarize(&xs));
        let (min, max) = xs
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
        assert!(a.p05 >= min && a.p95 <= max && a.p05 < a.p95);
        let range = max - min;
        assert!((a.p05 - b.p05).abs() < 0.1 * range && (a.p95 - b.p95).abs() < 0.15 * range);
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
