//! How numbers are written in result files and messages: the one number formatter.

/// A measured or computed number: up to 6 decimals, trailing zeros trimmed, `-0` as `0`;
/// NaN or infinite (an undefined value) as `NA`.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "NA".to_string();
    }
    let mut s = format!("{x:.6}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_na_is_explicit() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.0 / 3.0), "0.333333");
        assert_eq!(num(-0.0000001), "0");
        assert_eq!(num(f64::NAN), "NA");
        assert_eq!(num(12.0), "12");
    }

    #[test]
    fn a_written_number_reads_back_to_itself() {
        // Sweep results are assembled by reading committed cell files back: the bytes must
        // survive the round trip.
        let mut x = 0.123_456_789_f64;
        for i in 0..2000 {
            x = (x * 7919.0 + i as f64 * 0.37).sin() * 10f64.powi(i % 13 - 6);
            let s = num(x);
            assert_eq!(num(s.parse::<f64>().unwrap()), s, "{x}");
        }
    }
}
