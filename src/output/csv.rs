//! CSV exporters: each returns the file's bytes (snapshot-testable), written by the caller.

use crate::metrics::aggregate::RunAggregate;
use crate::metrics::INDICATORS;
use crate::stats::Summary;
use std::fmt::Write;

/// Formats a number with up to 6 decimals, trailing zeros trimmed; NaN/inf as `NA`.
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

fn summary_fields(out: &mut String, s: &Summary) {
    let _ = write!(
        out,
        "{},{},{},{},{},{},{}",
        num(s.mean),
        num(s.sd),
        num(s.ci_low),
        num(s.ci_high),
        num(s.p05),
        num(s.p95),
        s.n
    );
}

/// Column header of the statistics shared by the long formats.
pub const STAT_COLUMNS: &str = "mean,sd,ci_low,ci_high,p05,p95,n";

/// `timeseries.csv`: week,indicator,mean,sd,ci_low,ci_high,p05,p95,n.
pub fn timeseries(agg: &RunAggregate) -> Vec<u8> {
    let mut out = format!("week,indicator,{STAT_COLUMNS}\n");
    for week in 1..=agg.weeks {
        for (k, name) in INDICATORS.iter().enumerate() {
            let _ = write!(out, "{week},{name},");
            summary_fields(&mut out, &agg.week_summary(week, k));
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// `summary.csv`: scope,indicator,... for the final week and the run mean.
pub fn summary(agg: &RunAggregate) -> Vec<u8> {
    let mut out = format!("scope,indicator,{STAT_COLUMNS}\n");
    for (scope, stats) in [("final_week", &agg.final_week), ("run_mean", &agg.run_mean)] {
        for (k, name) in INDICATORS.iter().enumerate() {
            let _ = write!(out, "{scope},{name},");
            summary_fields(&mut out, &stats[k].summary());
            out.push('\n');
        }
    }
    out.into_bytes()
}

fn wide_header(prefix: &str) -> String {
    let mut out = prefix.to_string();
    for name in INDICATORS {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
    out
}

/// `final.csv`: replicate,<indicators> at the final week.
pub fn finals(agg: &RunAggregate) -> Vec<u8> {
    let mut out = wide_header("replicate");
    for (r, row) in &agg.finals {
        let _ = write!(out, "{r}");
        for x in row {
            out.push(',');
            out.push_str(&num(*x));
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// `replicates.csv`: replicate,week,<indicators> (only when series were kept).
pub fn replicates(agg: &RunAggregate) -> Option<Vec<u8>> {
    let kept = agg.kept.as_ref()?;
    let mut out = wide_header("replicate,week");
    for (r, rows) in kept {
        for (w, row) in rows.iter().enumerate() {
            let _ = write!(out, "{r},{}", w + 1);
            for x in row {
                out.push(',');
                out.push_str(&num(*x));
            }
            out.push('\n');
        }
    }
    Some(out.into_bytes())
}

/// `groups.csv`: group,activity,week,indicator,... (only with `--per-group`). `labels` gives
/// (activity key, index within activity) of each group in order.
pub fn groups(agg: &RunAggregate, labels: &[(String, u32)]) -> Option<Vec<u8>> {
    let groups = agg.groups.as_ref()?;
    let mut out = format!("group,activity,week,indicator,{STAT_COLUMNS}\n");
    for ((key, gi), stats) in labels.iter().zip(groups) {
        for week in 1..=agg.weeks {
            for (k, name) in INDICATORS.iter().enumerate() {
                let _ = write!(out, "{gi},{key},{week},{name},");
                summary_fields(
                    &mut out,
                    &stats[(week as usize - 1) * INDICATORS.len() + k].summary(),
                );
                out.push('\n');
            }
        }
    }
    Some(out.into_bytes())
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
}
