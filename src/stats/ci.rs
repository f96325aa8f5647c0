//! Confidence intervals: Student t and normal quantile functions, the CI of a mean, and
//! paired differences with effect sizes.

use super::special::{inc_beta, ln_gamma};

/// The standard normal quantile function Φ⁻¹(p); −∞/+∞ at p = 0/1, NaN outside [0, 1].
// Wichura (1988), Algorithm AS 241 (PPND16), Applied Statistics 37(3):477–484; ~1e-16 relative.
#[allow(clippy::excessive_precision)] // published AS 241 coefficients, kept verbatim
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((2.509_080_928_730_122_7e3 * r + 3.343_057_558_358_812_8e4) * r
                + 6.726_577_092_700_870_1e4)
                * r
                + 4.592_195_393_154_987_1e4)
                * r
                + 1.373_169_376_550_946_1e4)
                * r
                + 1.971_590_950_306_551_4e3)
                * r
                + 1.331_416_678_917_843_8e2)
                * r
                + 3.387_132_872_796_366_6)
            / (((((((5.226_495_278_852_854_6e3 * r + 2.872_908_573_572_194_3e4) * r
                + 3.930_789_580_009_271_1e4)
                * r
                + 2.121_379_430_158_659_6e4)
                * r
                + 5.394_196_021_424_751_1e3)
                * r
                + 6.871_870_074_920_579e2)
                * r
                + 4.231_333_070_160_091_1e1)
                * r
                + 1.0);
    }
    let r0 = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-r0.ln()).sqrt();
    let val = if r <= 5.0 {
        r -= 1.6;
        (((((((7.745_450_142_783_414e-4 * r + 2.272_384_498_926_918_5e-2) * r
            + 2.417_807_251_774_506_1e-1)
            * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_6)
            * r
            + 5.769_497_221_460_691_4)
            * r
            + 4.630_337_846_156_545_3)
            * r
            + 1.423_437_110_749_683_6)
            / (((((((1.050_750_071_644_416_8e-9 * r + 5.475_938_084_995_345e-4) * r
                + 1.519_866_656_361_645_7e-2)
                * r
                + 1.481_039_764_274_800_7e-1)
                * r
                + 6.897_673_349_851e-1)
                * r
                + 1.676_384_830_183_803_8)
                * r
                + 2.053_191_626_637_758_8)
                * r
                + 1.0)
    } else {
        r -= 5.0;
        (((((((2.010_334_399_292_288_1e-7 * r + 2.711_555_568_743_487_6e-5) * r
            + 1.242_660_947_388_078_4e-3)
            * r
            + 2.653_218_952_657_612_3e-2)
            * r
            + 2.965_605_718_285_048_7e-1)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114_4)
            * r
            + 6.657_904_643_501_103_8)
            / (((((((2.044_263_103_389_939_7e-15 * r + 1.421_511_758_316_445_9e-7) * r
                + 1.846_318_317_510_054_7e-5)
                * r
                + 7.868_691_311_456_132_6e-4)
                * r
                + 1.487_536_129_085_061_5e-2)
                * r
                + 1.369_298_809_227_358e-1)
                * r
                + 5.998_322_065_558_879_4e-1)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

/// Upper tail P(T > t) of Student's t with `df` degrees of freedom, for `t ≥ 0`.
// S(t) = ½·I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.7.1 / 26.5.27).
fn t_upper_tail(t: f64, df: f64) -> f64 {
    let t2 = t * t;
    let x = df / (df + t2);
    let y = t2 / (df + t2);
    0.5 * inc_beta(0.5 * df, 0.5, x, y)
}

/// ln of the Student t density at `t`.
fn t_ln_pdf(t: f64, df: f64) -> f64 {
    ln_gamma(0.5 * (df + 1.0))
        - ln_gamma(0.5 * df)
        - 0.5 * (df * std::f64::consts::PI).ln()
        - 0.5 * (df + 1.0) * (t * t / df).ln_1p()
}

/// The quantile function of Student's t distribution with `df > 0` (real-valued) degrees of
/// freedom: the `t` with P(T ≤ t) = p. ±∞ at p = 0/1; NaN for p ∉ [0, 1] or df ≤ 0.
/// Accurate to ~1e-12 relative (well within 1e-6 absolute) for df ≥ 1.
// Exact closed forms for ν = 1, 2; Cornish–Fisher 4-term expansion (Abramowitz & Stegun 26.7.5) for ν > 1000, otherwise used as the start of Newton on ln S(e^u) = ln(1−p) using the incomplete-beta CDF (A&S 26.7.1).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || !(0.0..=1.0).contains(&p) || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    // Work with the upper tail probability `tail` < 0.5 and t > 0, then restore the sign.
    let (tail, sign) = if p < 0.5 { (p, -1.0) } else { (1.0 - p, 1.0) };
    let t = if df == 1.0 {
        1.0 / (std::f64::consts::PI * tail).tan()
    } else if df == 2.0 {
        (1.0 - 2.0 * tail) / (2.0 * tail * (1.0 - tail)).sqrt()
    } else {
        let z = -normal_quantile(tail);
        let cf = cornish_fisher(z, df);
        if df > 1e3 {
            cf
        } else {
            t_newton(tail, df, cf)
        }
    };
    sign * t
}

/// Cornish–Fisher expansion of the t quantile in terms of the normal quantile `z`.
fn cornish_fisher(z: f64, v: f64) -> f64 {
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
}

/// Newton iteration in u = ln t on g(u) = ln S(eᵘ) − ln(tail), which is concave and
/// decreasing, so iterates converge monotonically after the first step.
fn t_newton(tail: f64, df: f64, start: f64) -> f64 {
    let target = tail.ln();
    let mut u = if start.is_finite() && start > 0.0 {
        start.ln()
    } else {
        0.0
    };
    for _ in 0..100 {
        let t = u.exp();
        let s = t_upper_tail(t, df);
        let g = s.ln() - target;
        // g'(u) = −t·f(t)/S(t)
        let dg = -(t_ln_pdf(t, df) + u - s.ln()).exp();
        let mut step = -g / dg;
        if !step.is_finite() {
            break;
        }
        step = step.clamp(-2.0, 2.0);
        u += step;
        if step.abs() < 1e-14 {
            break;
        }
    }
    u.exp()
}

/// Student-t confidence interval `(low, high)` for the mean of `xs` at confidence `level`
/// (e.g. 0.95), ignoring NaNs: mean ± t_{(1+level)/2, n−1}·s/√n. With one value the interval
/// collapses to it; with none it is `(NaN, NaN)`.
// Student (1908); standard t interval for a mean.
pub fn mean_ci(xs: &[f64], level: f64) -> (f64, f64) {
    let (n, mean, var) = mean_var(xs.iter().copied());
    match n {
        0 => (f64::NAN, f64::NAN),
        1 => (mean, mean),
        _ => {
            let h = t_quantile(0.5 * (1.0 + level), (n - 1) as f64) * (var / n as f64).sqrt();
            (mean - h, mean + h)
        }
    }
}

/// Count, mean and sample variance (n−1 denominator; NaN when n < 2) of the non-NaN values,
/// by the two-pass algorithm.
pub(crate) fn mean_var(xs: impl Iterator<Item = f64> + Clone) -> (u64, f64, f64) {
    let mut n = 0u64;
    let mut sum = 0.0;
    for x in xs.clone().filter(|x| !x.is_nan()) {
        n += 1;
        sum += x;
    }
    if n == 0 {
        return (0, f64::NAN, f64::NAN);
    }
    let mean = sum / n as f64;
    if n == 1 {
        return (1, mean, f64::NAN);
    }
    let mut ss = 0.0;
    let mut comp = 0.0;
    for x in xs.filter(|x| !x.is_nan()) {
        let d = x - mean;
        ss += d * d;
        comp += d;
    }
    // Corrected two-pass (Chan, Golub & LeVeque 1983).
    let var = (ss - comp * comp / n as f64) / (n - 1) as f64;
    (n, mean, var.max(0.0))
}

/// The summary of paired differences `a[i] − b[i]` (e.g. the same seeds under two scenarios).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PairedDiff {
    /// Mean of the differences a − b.
    pub mean_diff: f64,
    /// Sample standard deviation (n−1) of the differences.
    pub sd_diff: f64,
    /// Lower bound of the 95 % Student-t CI of `mean_diff`.
    pub ci_low: f64,
    /// Upper bound of the 95 % Student-t CI of `mean_diff`.
    pub ci_high: f64,
    /// Number of complete pairs used.
    pub n: u64,
    /// Cohen's d_z = mean_diff / sd_diff.
    pub effect_size: f64,
    /// Cohen's d_av = mean_diff / ((sd_a + sd_b)/2).
    pub d_av: f64,
}

/// Paired-difference summary of `a` against `b` (element-wise `a[i] − b[i]`), with a 95 %
/// t-interval and effect sizes. Pairs with a NaN on either side are dropped.
///
/// Conventions: n = 0 → all NaN; n = 1 → sd_diff = 0, CI = mean_diff, effect sizes NaN.
/// For n ≥ 2 an effect size whose denominator is 0 is 0 when mean_diff is 0, else ±∞.
///
/// # Panics
/// If `a.len() != b.len()`.
// t interval: Student (1908); d_z and d_av: Lakens (2013), Front. Psychol. 4:863, eqs. 6 and 10 (Cumming 2012).
pub fn paired_difference(a: &[f64], b: &[f64]) -> PairedDiff {
    assert_eq!(a.len(), b.len(), "paired_difference: length mismatch");
    let ok = |i: &usize| !a[*i].is_nan() && !b[*i].is_nan();
    let idx = (0..a.len()).filter(ok);
    let (n, mean_diff, var_diff) = mean_var(idx.clone().map(|i| a[i] - b[i]));
    let nan = f64::NAN;
    match n {
        0 => PairedDiff {
            mean_diff: nan,
            sd_diff: nan,
            ci_low: nan,
            ci_high: nan,
            n: 0,
            effect_size: nan,
            d_av: nan,
        },
        1 => PairedDiff {
            mean_diff,
            sd_diff: 0.0,
            ci_low: mean_diff,
            ci_high: mean_diff,
            n: 1,
            effect_size: nan,
            d_av: nan,
        },
        _ => {
            let sd_diff = var_diff.sqrt();
            let (_, _, var_a) = mean_var(idx.clone().map(|i| a[i]));
            let (_, _, var_b) = mean_var(idx.map(|i| b[i]));
            let h = t_quantile(0.975, (n - 1) as f64) * sd_diff / (n as f64).sqrt();
            PairedDiff {
                mean_diff,
                sd_diff,
                ci_low: mean_diff - h,
                ci_high: mean_diff + h,
                n,
                effect_size: ratio(mean_diff, sd_diff),
                d_av: ratio(mean_diff, 0.5 * (var_a.sqrt() + var_b.sqrt())),
            }
        }
    }
}

/// num/den with 0/0 := 0.
fn ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 && num == 0.0 {
        0.0
    } else {
        num / den
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_known_values() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((normal_quantile(0.5)).abs() < 1e-16);
        assert!((normal_quantile(0.05) + 1.644_853_626_951_472_2).abs() < 1e-14);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-12);
        assert!(normal_quantile(1.5).is_nan());
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
    }

    #[test]
    fn t_quantile_known_values() {
        // Reference values from R's qt().
        let cases = [
            (0.975, 1.0, 12.706_204_736_174_7),
            (0.975, 2.0, 4.302_652_729_749_46),
            (0.975, 3.0, 3.182_446_305_283_71),
            (0.975, 4.0, 2.776_445_105_197_79),
            (0.975, 9.0, 2.262_157_162_798_2),
            (0.975, 29.0, 2.045_229_642_132_7),
            (0.975, 100.0, 1.983_971_518_523_55),
            (0.975, 1000.0, 1.962_339_080_826_41),
            (0.95, 10.0, 1.812_461_122_811_68),
            (0.995, 5.0, 4.032_142_983_557_54),
            (0.025, 7.0, -2.364_624_251_592_78),
        ];
        for (p, df, want) in cases {
            let got = t_quantile(p, df);
            assert!(
                (got - want).abs() < 1e-9,
                "qt({p},{df}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn t_quantile_round_trips_through_cdf() {
        for &df in &[0.5, 1.5, 3.0, 5.0, 7.5, 20.0, 300.0, 1000.0] {
            for &p in &[0.5001, 0.6, 0.9, 0.975, 0.999, 1e-6] {
                let t = t_quantile(p, df);
                let tail = if t >= 0.0 {
                    t_upper_tail(t, df)
                } else {
                    1.0 - t_upper_tail(-t, df)
                };
                let want = 1.0 - p;
                assert!(
                    (tail - want).abs() < 1e-12 * want.max(1e-3),
                    "df={df} p={p} tail={tail} want={want} t={t} cf={}",
                    cornish_fisher(-normal_quantile(1.0 - p), df)
                );
            }
        }
        // Huge df: the normal limit.
        assert!((t_quantile(0.975, 1e9) - 1.959_963_984_540_054).abs() < 1e-8);
    }

    #[test]
    fn mean_ci_edges_and_value() {
        assert!(mean_ci(&[], 0.95).0.is_nan());
        assert_eq!(mean_ci(&[3.0, f64::NAN], 0.95), (3.0, 3.0));
        // xs = 1..=5: mean 3, s = √2.5, t_{0.975,4} = 2.7764451051977987
        let (lo, hi) = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95);
        let h = 2.776_445_105_197_799 * (2.5f64 / 5.0).sqrt();
        assert!((lo - (3.0 - h)).abs() < 1e-12 && (hi - (3.0 + h)).abs() < 1e-12);
    }

    #[test]
    fn paired_difference_hand_computed() {
        // a − b = [1, 2, 3, 6] (the NaN pair is dropped): mean 3, var = (4+1+0+9)/3 = 14/3.
        let a = [11.0, 12.0, 13.0, 16.0, f64::NAN];
        let b = [10.0, 10.0, 10.0, 10.0, 1.0];
        let d = paired_difference(&a, &b);
        assert_eq!(d.n, 4);
        assert!((d.mean_diff - 3.0).abs() < 1e-15);
        let sd = (14.0f64 / 3.0).sqrt();
        assert!((d.sd_diff - sd).abs() < 1e-14);
        let h = 3.182_446_305_283_71 * sd / 2.0;
        assert!((d.ci_low - (3.0 - h)).abs() < 1e-9);
        assert!((d.ci_high - (3.0 + h)).abs() < 1e-9);
        assert!((d.effect_size - 3.0 / sd).abs() < 1e-14);
        // sd_a = sd of [11,12,13,16] = sqrt(14/3); sd_b = 0 → d_av = 3 / (sd/2)
        assert!((d.d_av - 6.0 / sd).abs() < 1e-13);
    }

    #[test]
    fn paired_difference_edges() {
        let d = paired_difference(&[f64::NAN], &[1.0]);
        assert_eq!(d.n, 0);
        assert!(d.mean_diff.is_nan());
        let d = paired_difference(&[2.0, 5.0], &[1.0, f64::NAN]);
        assert_eq!((d.n, d.mean_diff, d.sd_diff, d.ci_low), (1, 1.0, 0.0, 1.0));
        let d = paired_difference(&[1.0, 2.0], &[1.0, 2.0]);
        assert_eq!((d.mean_diff, d.effect_size, d.d_av), (0.0, 0.0, 0.0));
    }
}
