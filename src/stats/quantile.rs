//! Percentiles of a stream of values: exact while the values fit a level, and past that a
//! deterministic compactor sketch whose rank error is known exactly.
//!
//! The sketch (Manku, Rajagopalan & Lindsay 1998, SIGMOD, "approximate medians and other
//! quantiles in one pass and with limited memory"; the compactor form of Karnin, Lang & Liberty
//! 2016 without the randomness) keeps levels of values; a value at level h stands for 2^h of the
//! values pushed. Level 0 receives the values. When a level holds [`LEVEL_CAPACITY`] values it
//! is *compacted*: sorted, and every other value (odd positions, then even ones the next time,
//! alternating) moves up one level with twice the weight; the rest are dropped.
//!
//! **Exactness.** Until the first compaction, that is for up to [`LEVEL_CAPACITY`] values, the
//! sketch holds every value and its quantiles equal [`quantile_type7`] of the sorted values,
//! bit for bit.
//!
//! **Rank-error bound.** Let R(x) be the number of values ≤ x (or < x) and R̂(x) the sketch's
//! weighted count. A compaction at level h changes R̂(x) by 0 (an even number of the compacted
//! values is ≤ x) or by ±2^h (an odd number), for every x at once. So |R̂(x) − R(x)| ≤ B, where B
//! = Σ over the compactions so far of 2^h ([`QuantileSketch::rank_error_bound`], tracked
//! exactly). The value the sketch returns for rank r (0-based) therefore lies between the
//! exact order statistics x₍r−B₎ and x₍r+B₎; an interpolated quantile between ranks ⌊h⌋ and
//! ⌊h⌋+1 lies between x₍⌊h⌋−B₎ and x₍⌊h⌋+1+B₎. Each compaction at level h consumes
//! K·2^h of the n values' weight (K = [`LEVEL_CAPACITY`]), so level h compacts at most
//! n/(K·2^h) times and adds at most n/K, and only levels h ≤ log₂(n/K) compact:
//! B ≤ (n/K)·(⌊log₂(n/K)⌋ + 1) ([`rank_error_limit`]): 0.1 % of n at n = 2000, 0.4 % at 10⁴,
//! 0.7 % at 10⁵. Memory: at most K·(⌊log₂(n/K)⌋ + 2) values.
//!
//! Deterministic: the same values pushed in the same order give the same state and results.

use super::online::quantile_type7;

/// Values a level holds before it is compacted; the sketch is exact up to this many values.
pub const LEVEL_CAPACITY: usize = 1024;

/// Percentiles of a stream: exact up to [`LEVEL_CAPACITY`] values (or always, see
/// [`QuantileSketch::unbounded`]), a compactor sketch with a tracked rank-error bound beyond.
/// NaN is ignored.
#[derive(Clone, Debug)]
pub struct QuantileSketch {
    /// Level h: values of weight 2^h (level 0 unsorted, as pushed).
    levels: Vec<Vec<f64>>,
    /// Per level: whether its next compaction keeps the odd positions (else the even ones).
    odd: Vec<bool>,
    /// Values pushed.
    n: u64,
    /// Σ over compactions of 2^level.
    bound: u64,
    /// Values a level holds before compaction (`usize::MAX`: never compacted).
    capacity: usize,
}

impl Default for QuantileSketch {
    fn default() -> Self {
        Self::new()
    }
}

/// The worst-case rank error of a [`QuantileSketch`] after `n` values:
/// (n/K)·(⌊log₂(n/K)⌋ + 1) for n ≥ K = [`LEVEL_CAPACITY`], 0 below.
pub fn rank_error_limit(n: u64) -> f64 {
    let k = LEVEL_CAPACITY as f64;
    let r = n as f64 / k;
    if r < 1.0 {
        0.0
    } else {
        r * (r.log2().floor() + 1.0)
    }
}

impl QuantileSketch {
    /// An empty sketch: exact up to [`LEVEL_CAPACITY`] values, then bounded error.
    pub fn new() -> Self {
        Self::with_capacity(LEVEL_CAPACITY)
    }

    /// An empty summary that keeps every value: quantiles are always exact; memory grows with n.
    /// For quantities whose values are held anyway (final week, run mean, sweep cells).
    pub fn unbounded() -> Self {
        Self::with_capacity(usize::MAX)
    }

    fn with_capacity(capacity: usize) -> Self {
        QuantileSketch {
            levels: vec![Vec::new()],
            odd: vec![false],
            n: 0,
            bound: 0,
            capacity,
        }
    }

    /// Adds one value; NaN is ignored.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        self.levels[0].push(x);
        if self.levels[0].len() >= self.capacity {
            self.compact(0);
        }
    }

    /// Compacts level `h` (and the levels above as they fill).
    fn compact(&mut self, mut h: usize) {
        loop {
            if self.levels.len() == h + 1 {
                self.levels.push(Vec::new());
                self.odd.push(false);
            }
            let mut level = std::mem::take(&mut self.levels[h]);
            level.sort_unstable_by(f64::total_cmp);
            let start = usize::from(self.odd[h]);
            self.odd[h] = !self.odd[h];
            self.levels[h + 1].extend(level.iter().skip(start).step_by(2));
            level.clear();
            self.levels[h] = level;
            self.bound += 1u64 << h.min(63);
            if self.levels[h + 1].len() < self.capacity {
                return;
            }
            h += 1;
        }
    }

    /// Values pushed (NaN excluded).
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Whether every value pushed is still held (no compaction yet): quantiles are exact.
    pub fn is_exact(&self) -> bool {
        self.bound == 0
    }

    /// The largest possible difference between the rank the sketch gives a value and its true
    /// rank among the values pushed (0 while exact). See the module documentation.
    pub fn rank_error_bound(&self) -> u64 {
        self.bound
    }

    /// Values held (memory use, in values).
    pub fn held(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    /// Type-7 quantiles at each of `ps` (∈ [0, 1]): exact while [`is_exact`](Self::is_exact);
    /// else the type-7 rule applied to the weighted values (within the rank bound). NaN when
    /// empty.
    pub fn quantiles<const N: usize>(&self, ps: [f64; N]) -> [f64; N] {
        if self.n == 0 {
            return [f64::NAN; N];
        }
        if self.levels.len() == 1 {
            let mut v = self.levels[0].clone();
            v.sort_unstable_by(f64::total_cmp);
            return ps.map(|p| quantile_type7(&v, p));
        }
        let mut items: Vec<(f64, u64)> = self
            .levels
            .iter()
            .enumerate()
            .flat_map(|(h, l)| l.iter().map(move |&x| (x, 1u64 << h)))
            .collect();
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        // The value at 0-based weighted rank r.
        let at = |r: u64| {
            let mut seen = 0;
            for &(x, w) in &items {
                seen += w;
                if r < seen {
                    return x;
                }
            }
            items[items.len() - 1].0
        };
        ps.map(|p| {
            let h = (self.n - 1) as f64 * p;
            let i = h.floor() as u64;
            let frac = h - i as f64;
            let lo = at(i);
            if i + 1 >= self.n || frac == 0.0 {
                lo
            } else {
                lo + frac * (at(i + 1) - lo)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Exact order statistics x₍lo₎ ..= x₍hi₎ (0-based, clamped) of `sorted`.
    fn between(sorted: &[f64], lo: i64, hi: i64) -> (f64, f64) {
        let c = |r: i64| sorted[r.clamp(0, sorted.len() as i64 - 1) as usize];
        (c(lo), c(hi))
    }

    /// Skewed, tied and heavy-tailed samples, as indicators are.
    fn sample(kind: usize, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| match kind {
                0 => rng.gen::<f64>(),
                1 => (rng.gen::<f64>() * 4.0).exp(),
                2 => (rng.gen::<f64>() * 12.0).floor(),
                _ => {
                    if rng.gen::<f64>() < 0.6 {
                        0.0
                    } else {
                        rng.gen::<f64>()
                    }
                }
            })
            .collect()
    }

    #[test]
    fn exact_up_to_the_level_capacity_and_within_the_stated_rank_bound_beyond() {
        for n in [5usize, 30, 200, 1024, 2000, 20_000] {
            for kind in 0..4 {
                let xs = sample(kind, n, 7 + n as u64);
                let mut s = QuantileSketch::new();
                xs.iter().for_each(|&x| s.push(x));
                let mut sorted = xs.clone();
                sorted.sort_by(f64::total_cmp);
                let bound = s.rank_error_bound();
                assert!(
                    bound as f64 <= rank_error_limit(n as u64),
                    "n={n}: bound {bound} above the documented limit"
                );
                assert_eq!(s.is_exact(), n < LEVEL_CAPACITY, "n={n}");
                for p in [0.0, 0.01, 0.05, 0.25, 0.5, 0.95, 0.99, 1.0] {
                    let [q] = s.quantiles([p]);
                    let exact = quantile_type7(&sorted, p);
                    if n < LEVEL_CAPACITY {
                        assert_eq!(q.to_bits(), exact.to_bits(), "n={n} kind {kind} p={p}");
                    } else {
                        let i = ((n - 1) as f64 * p).floor() as i64;
                        let (lo, hi) = between(&sorted, i - bound as i64, i + 1 + bound as i64);
                        assert!(
                            lo <= q && q <= hi,
                            "n={n} kind {kind} p={p}: {q} outside [{lo}, {hi}] (bound {bound})"
                        );
                    }
                }
                assert!(
                    s.held() <= LEVEL_CAPACITY * ((n / LEVEL_CAPACITY).max(1).ilog2() as usize + 2)
                );
            }
        }
    }

    #[test]
    fn the_bound_is_what_the_error_can_reach_and_rank_error_stays_small() {
        // A worst-case-ish stream (sorted ascending) at 10⁵ values: the actual rank error of p05
        // and p95 within the tracked bound, the bound within 0.7 % of n.
        let n = 100_000u64;
        let mut s = QuantileSketch::new();
        (0..n).for_each(|i| s.push(i as f64));
        let bound = s.rank_error_bound();
        assert!((bound as f64) <= 0.007 * n as f64, "{bound}");
        let [p05, p95] = s.quantiles([0.05, 0.95]);
        // Values are their own ranks here.
        assert!((p05 - 0.05 * (n - 1) as f64).abs() <= bound as f64 + 1.0);
        assert!((p95 - 0.95 * (n - 1) as f64).abs() <= bound as f64 + 1.0);
        assert!(s.held() <= 9 * LEVEL_CAPACITY);
    }

    #[test]
    fn unbounded_is_always_exact_nan_is_ignored_and_state_is_deterministic() {
        let xs = sample(1, 5000, 3);
        let mut a = QuantileSketch::unbounded();
        let mut b = QuantileSketch::new();
        let mut c = QuantileSketch::new();
        for &x in &xs {
            a.push(x);
            a.push(f64::NAN);
            b.push(x);
            c.push(x);
        }
        assert_eq!(a.n(), 5000);
        assert!(a.is_exact());
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(
            a.quantiles([0.05, 0.95]),
            [quantile_type7(&sorted, 0.05), quantile_type7(&sorted, 0.95)]
        );
        assert_eq!(b.quantiles([0.05, 0.95]), c.quantiles([0.05, 0.95]));
        assert!(QuantileSketch::new().quantiles([0.5])[0].is_nan());
    }
}
