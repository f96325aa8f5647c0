//! The Gini coefficient of a set of non-negative values (e.g. influence or resources held
//! by the agents of one group in one week).

/// The Gini coefficient of `values`, sorting them ascending in place (no allocation).
///
/// G = Σᵢ (2i − n − 1)·x₍ᵢ₎ / (n·Σᵢ x₍ᵢ₎), i = 1..n over the ascending order statistics —
/// the population (uncorrected) Gini, 0 for perfect equality and (n−1)/n when one value holds
/// everything. Returns 0 for an empty slice, all-equal values or a zero sum. Values are
/// assumed non-negative and finite; a NaN makes the result NaN.
// Formula: Damgaard & Weiner (2000), Ecology 81(4):1139–1142, eq. 1 (equivalently the mean absolute difference / (2·mean), Gini 1912).
pub fn gini(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    gini_sorted(values)
}

/// [`gini`] of values already in ascending order (by `f64::total_cmp`), without the sort.
pub fn gini_sorted(values: &[f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    debug_assert!(values.windows(2).all(|w| w[0].total_cmp(&w[1]).is_le()));
    if values[0] == values[n - 1] {
        return 0.0;
    }
    let mut sum = 0.0;
    let mut weighted = 0.0;
    let mut w = 1.0 - n as f64; // 2i − n − 1 at i = 1, growing by 2.
    for &x in values.iter() {
        sum += x;
        weighted += w * x;
        w += 2.0;
    }
    if sum == 0.0 {
        return 0.0;
    }
    weighted / (n as f64 * sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_known_values() {
        assert_eq!(gini(&mut []), 0.0);
        assert_eq!(gini(&mut [3.0; 7]), 0.0);
        assert_eq!(gini(&mut [0.0, 0.0]), 0.0);
        // One holder of everything among 4: (n−1)/n.
        assert!((gini(&mut [0.0, 5.0, 0.0, 0.0]) - 0.75).abs() < 1e-15);
        // [1,2,3,4]: Σ|xi−xj| over ordered pairs = 20, mean 2.5 → 20 / (2·16·2.5) = 0.25.
        let mut v = [4.0, 1.0, 3.0, 2.0];
        assert!((gini(&mut v) - 0.25).abs() < 1e-15);
        assert_eq!(v, [1.0, 2.0, 3.0, 4.0]);
        assert!(gini(&mut [1.0, f64::NAN]).is_nan());
    }

    #[test]
    fn gini_matches_mean_absolute_difference() {
        let v: Vec<f64> = (0..60).map(|i| ((i * 37) % 23) as f64 + 0.5).collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let mad: f64 = v
            .iter()
            .flat_map(|a| v.iter().map(move |b| (a - b).abs()))
            .sum();
        let want = mad / (2.0 * n * n * mean);
        let mut w = v.clone();
        assert!((gini(&mut w) - want).abs() < 1e-13);
    }
}
