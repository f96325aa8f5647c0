//! Pure data-to-series code: lines with gaps at NA, bands, stacked shares, histogram bins,
//! the survival curve and axis ranges. Everything here is plain numbers, unit-tested,
//! and knows nothing about drawing.

use super::data::WeekStat;
use crate::present::meta::Kind;

/// A contiguous run of defined points `(x, y)`; an NA breaks a line into several segments.
pub type Segment = Vec<(f64, f64)>;

/// A contiguous run of defined band points `(x, low, high)`.
pub type BandSegment = Vec<(f64, f64, f64)>;

/// Splits points into runs of defined values: `defined` gives a point's value, or None for a
/// gap (which ends a run); with `skip_repeats`, a value equal to the run's last is left out.
fn runs<P: Copy, T: PartialEq>(
    points: &[P],
    defined: impl Fn(P) -> Option<T>,
    skip_repeats: bool,
) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut cur: Vec<T> = Vec::new();
    for &p in points {
        match defined(p) {
            Some(v) if skip_repeats && cur.last() == Some(&v) => {}
            Some(v) => cur.push(v),
            None => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Splits `(x, y)` points into segments of defined values: NA values are gaps, not zeros.
/// Repeated points (a step that does not move) are left out: they would only make
/// zero-length pieces.
pub fn line_segments(points: &[(f64, Option<f64>)]) -> Vec<Segment> {
    runs(
        points,
        |(x, y)| y.filter(|y| y.is_finite()).map(|y| (x, y)),
        true,
    )
}

/// Splits `(x, low, high)` points into segments where both bounds are defined
/// (bounds given in the wrong order are swapped).
pub fn band_segments(points: &[(f64, Option<f64>, Option<f64>)]) -> Vec<BandSegment> {
    runs(
        points,
        |(x, lo, hi)| match (lo, hi) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Some((x, a.min(b), a.max(b))),
            _ => None,
        },
        false,
    )
}

/// The outline of a band segment as a closed polygon: upper edge forward, lower edge back.
pub fn band_polygon(seg: &[(f64, f64, f64)]) -> Vec<(f64, f64)> {
    let mut poly: Vec<(f64, f64)> = seg.iter().map(|&(x, _, hi)| (x, hi)).collect();
    poly.extend(seg.iter().rev().map(|&(x, lo, _)| (x, lo)));
    poly
}

/// An indicator's trajectory over weeks: the mean line, the 90 % band of replicates
/// (p05–p95) and the 95 % CI of the mean. Bands are empty where fewer than 2 replicates
/// contributed (a band of one value says nothing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trajectory {
    pub mean: Vec<Segment>,
    pub band90: Vec<BandSegment>,
    pub ci95: Vec<BandSegment>,
}

impl Trajectory {
    pub fn from_stats(stats: &[WeekStat]) -> Trajectory {
        let x = |s: &WeekStat| s.week as f64;
        let banded = |s: &WeekStat, lo: Option<f64>, hi: Option<f64>| {
            if s.stats.n >= 2 && s.stats.mean.is_some() {
                (x(s), lo, hi)
            } else {
                (x(s), None, None)
            }
        };
        let mean: Vec<_> = stats.iter().map(|s| (x(s), s.stats.mean)).collect();
        let b90: Vec<_> = stats
            .iter()
            .map(|s| banded(s, s.stats.p05, s.stats.p95))
            .collect();
        let ci: Vec<_> = stats
            .iter()
            .map(|s| banded(s, s.stats.ci_low, s.stats.ci_high))
            .collect();
        Trajectory {
            mean: line_segments(&mean),
            band90: band_segments(&b90),
            ci95: band_segments(&ci),
        }
    }

    /// Limits the bands to `[lo, hi]`: a t-interval or a percentile estimate may step past
    /// the range an indicator can take (a share above 100 %), which says nothing.
    pub fn clamp_bands(mut self, lo: f64, hi: f64) -> Trajectory {
        clamp_segments(&mut self.band90, lo, hi);
        clamp_segments(&mut self.ci95, lo, hi);
        self
    }

    /// True if there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.mean.is_empty() && self.band90.is_empty()
    }

    /// True if any band is present (at least 2 replicates somewhere).
    pub fn has_bands(&self) -> bool {
        !self.band90.is_empty() || !self.ci95.is_empty()
    }

    /// Smallest and largest y of the line and bands.
    pub fn y_extent(&self) -> Option<(f64, f64)> {
        let ys = self.mean.iter().flatten().map(|p| p.1).chain(
            self.band90
                .iter()
                .chain(&self.ci95)
                .flatten()
                .flat_map(|p| [p.1, p.2]),
        );
        extent(ys)
    }
}

/// Limits band segments to `[lo, hi]`.
pub fn clamp_segments(segs: &mut [BandSegment], lo: f64, hi: f64) {
    for p in segs.iter_mut().flatten() {
        p.1 = p.1.clamp(lo, hi);
        p.2 = p.2.clamp(lo, hi);
    }
}

/// Smallest and largest of finite values, if any.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// The y-axis range for an indicator of `kind` whose data span `ext`: shares and counts
/// start at 0, ratios include parity (1), signed values include 0; a little headroom is
/// added and a flat series still gets a visible range.
pub fn axis_range(kind: Kind, ext: Option<(f64, f64)>) -> (f64, f64) {
    let (lo, hi) = match ext {
        Some(e) => e,
        None => {
            return match kind {
                Kind::Count => (0.0, 1.0),
                Kind::Signed => (-0.5, 0.5),
                Kind::Ratio => (0.0, 2.0),
                _ => (0.0, 1.0),
            }
        }
    };
    match kind {
        Kind::Share | Kind::Level => {
            // Zoom in on small values, but keep 0 as the baseline and stop just above 1
            // (a little headroom so that values at 100 % do not run into the title).
            let top = if hi <= 0.0 {
                0.1
            } else {
                (hi * 1.15).max(0.05)
            };
            let bottom = if lo < 0.0 { lo * 1.15 } else { 0.0 };
            (bottom, if hi <= 1.0 { top.min(1.06) } else { top })
        }
        Kind::Count => {
            let top = if hi <= 0.0 { 1.0 } else { (hi * 1.15).max(1.0) };
            (lo.min(0.0), top)
        }
        Kind::Rate => {
            let top = if hi <= 0.0 { 1.0 } else { hi * 1.15 };
            (lo.min(0.0), top)
        }
        Kind::Ratio => {
            let top = (hi.max(1.0) * 1.15).max(1.2);
            (lo.min(0.0), top)
        }
        Kind::Signed => {
            let m = lo.abs().max(hi.abs()).max(0.01) * 1.15;
            (
                if lo < 0.0 { -m } else { -0.1 * m },
                if hi > 0.0 { m } else { 0.1 * m },
            )
        }
    }
}

/// The x-axis range for weeks `first..=last`; one week gets a unit-wide window around it.
pub fn week_range(first: u32, last: u32) -> (f64, f64) {
    if last > first {
        (first as f64, last as f64)
    } else {
        (first as f64 - 0.5, first as f64 + 0.5)
    }
}

/// Participants' share of the people present, recovered from the weekly means as
/// voice share ÷ voice parity (parity = voice share ÷ presence share). An approximation
/// (a ratio of means), used as the "fair share" reference in the who-talks chart.
pub fn presence_share(voice: &[WeekStat], parity: &[WeekStat]) -> Vec<(f64, Option<f64>)> {
    voice
        .iter()
        .map(|v| {
            let p = parity
                .iter()
                .find(|p| p.week == v.week)
                .and_then(|p| p.stats.mean);
            let share = match (v.stats.mean, p) {
                (Some(v), Some(p)) if p > 0.0 => Some((v / p).clamp(0.0, 1.0)),
                _ => None,
            };
            (v.week as f64, share)
        })
        .collect()
}

/// One layer of a stacked area: per week, `(x, Some((lower, upper)))`, or `None` where
/// any layer's share is NA in that week (a gap in every layer).
pub type StackLayer = Vec<(f64, Option<(f64, f64)>)>;

/// Stacks the weekly means of shares (bottom layer first). A week is a gap if any layer
/// is NA there or no layer has data at all. Weeks are taken from the union of layers.
pub fn stack_layers(layers: &[&[WeekStat]]) -> Vec<StackLayer> {
    let mut weeks: Vec<u32> = layers
        .iter()
        .flat_map(|l| l.iter().map(|s| s.week))
        .collect();
    weeks.sort_unstable();
    weeks.dedup();
    let mut out: Vec<StackLayer> = vec![Vec::with_capacity(weeks.len()); layers.len()];
    for &w in &weeks {
        let vals: Option<Vec<f64>> = layers
            .iter()
            .map(|l| l.iter().find(|s| s.week == w).and_then(|s| s.stats.mean))
            .collect();
        let mut acc = 0.0;
        for (k, layer) in out.iter_mut().enumerate() {
            match &vals {
                Some(v) => {
                    let lo = acc;
                    acc += v[k].max(0.0);
                    layer.push((w as f64, Some((lo, acc))));
                }
                None => layer.push((w as f64, None)),
            }
        }
    }
    out
}

/// Splits a stacked layer into contiguous band segments `(x, lower, upper)`.
pub fn stack_segments(layer: &StackLayer) -> Vec<BandSegment> {
    let pts: Vec<_> = layer
        .iter()
        .map(|&(x, b)| (x, b.map(|b| b.0), b.map(|b| b.1)))
        .collect();
    band_segments(&pts)
}

/// Equal-width histogram bins.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Left edge of the first bin.
    pub start: f64,
    pub width: f64,
    pub counts: Vec<u32>,
}

impl Histogram {
    /// Bins as `(left, right, count)`.
    pub fn bins(&self) -> Vec<(f64, f64, u32)> {
        self.counts
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let l = self.start + i as f64 * self.width;
                (l, l + self.width, c)
            })
            .collect()
    }

    pub fn max_count(&self) -> u32 {
        self.counts.iter().copied().max().unwrap_or(0)
    }
}

/// Bins finite values into equal-width bins: Sturges' rule (⌈log2 n⌉ + 1), at most
/// `max_bins`; the last bin includes its right edge. All-equal values give one bin
/// centred on the value. `None` if there is no finite value.
pub fn histogram(values: &[f64], max_bins: usize) -> Option<Histogram> {
    let vals: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) = extent(vals.iter().copied())?;
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        let width = (lo.abs() * 0.02).max(0.005);
        return Some(Histogram {
            start: lo - width / 2.0,
            width,
            counts: vec![vals.len() as u32],
        });
    }
    let n = vals.len() as f64;
    let bins = ((n.log2().ceil() as usize) + 1).clamp(1, max_bins.max(1));
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for v in vals {
        let i = (((v - lo) / width).floor() as usize).min(bins - 1);
        counts[i] += 1;
    }
    Some(Histogram {
        start: lo,
        width,
        counts,
    })
}

/// A survival (retention) curve drawn as steps: the share stays put during a week and
/// drops at its end. Starts at week 0 with everyone retained (1.0) when the data do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurvivalCurve {
    pub mean: Vec<Segment>,
    pub band90: Vec<BandSegment>,
    pub ci95: Vec<BandSegment>,
}

/// Builds the step curve of `founding_volunteers_retained`. Week 0 = 1.0 (all initial volunteers)
/// is prepended if the first week is 1; bands need at least 2 replicates. The last value
/// holds until `end` (the right edge of the axis) if that lies beyond the last week, so the
/// final step is visible.
pub fn survival_curve(stats: &[WeekStat], end: f64) -> SurvivalCurve {
    type Row = (u32, Option<f64>, Option<(f64, f64)>, Option<(f64, f64)>);
    let mut rows: Vec<Row> = stats
        .iter()
        .map(|s| {
            let ok = s.stats.n >= 2 && s.stats.mean.is_some();
            let b = |lo: Option<f64>, hi: Option<f64>| if ok { Some((lo?, hi?)) } else { None };
            (
                s.week,
                s.stats.mean,
                b(s.stats.p05, s.stats.p95),
                b(s.stats.ci_low, s.stats.ci_high),
            )
        })
        .collect();
    if stats.first().is_some_and(|s| s.week == 1) && stats.iter().any(|s| s.stats.mean.is_some()) {
        let first = rows[0];
        let one = |b: Option<(f64, f64)>| b.map(|_| (1.0, 1.0));
        rows.insert(0, (0, Some(1.0), one(first.2), one(first.3)));
    }
    // Step shape: each value holds until the next week, where the curve drops.
    let mut mean = Vec::new();
    let mut b90 = Vec::new();
    let mut ci = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let x = r.0 as f64;
        if i > 0 {
            let prev = &rows[i - 1];
            // Horizontal run from the previous week at the previous value, only if both defined.
            let both = |a: Option<f64>, b: Option<f64>| a.and(b);
            mean.push((x, both(prev.1, r.1).and(prev.1)));
            let carry = |p: Option<(f64, f64)>, c: Option<(f64, f64)>| c.and(p);
            let p90 = carry(prev.2, r.2);
            b90.push((x, p90.map(|v| v.0), p90.map(|v| v.1)));
            let pci = carry(prev.3, r.3);
            ci.push((x, pci.map(|v| v.0), pci.map(|v| v.1)));
        }
        mean.push((x, r.1));
        b90.push((x, r.2.map(|v| v.0), r.2.map(|v| v.1)));
        ci.push((x, r.3.map(|v| v.0), r.3.map(|v| v.1)));
    }
    if let Some(last) = rows.last().filter(|l| end > l.0 as f64) {
        mean.push((end, last.1));
        b90.push((end, last.2.map(|v| v.0), last.2.map(|v| v.1)));
        ci.push((end, last.3.map(|v| v.0), last.3.map(|v| v.1)));
    }
    SurvivalCurve {
        mean: line_segments(&mean),
        band90: band_segments(&b90),
        ci95: band_segments(&ci),
    }
}

/// Mean of finite values.
pub fn mean(values: &[f64]) -> Option<f64> {
    let v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Pearson correlation of pairs; `None` with fewer than 3 pairs or no variation.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// A padded axis range around values for a scatter or histogram axis; at least `min_span` wide.
pub fn padded_range(ext: Option<(f64, f64)>, min_span: f64) -> (f64, f64) {
    let (lo, hi) = ext.unwrap_or((0.0, 1.0));
    let span = (hi - lo).max(min_span);
    let mid = (lo + hi) / 2.0;
    (mid - span * 0.55, mid + span * 0.55)
}

#[cfg(test)]
mod tests {
    use super::super::data::Stats;
    use super::*;

    fn ws(week: u32, mean: Option<f64>, n: u32) -> WeekStat {
        WeekStat {
            week,
            stats: Stats {
                mean,
                sd: mean.map(|_| 0.1),
                ci_low: mean.map(|m| m - 0.05),
                ci_high: mean.map(|m| m + 0.05),
                p05: mean.map(|m| m - 0.1),
                p95: mean.map(|m| m + 0.1),
                n,
            },
        }
    }

    #[test]
    fn na_breaks_lines() {
        let pts = [
            (1.0, Some(1.0)),
            (2.0, None),
            (3.0, Some(3.0)),
            (4.0, Some(4.0)),
        ];
        assert_eq!(
            line_segments(&pts),
            vec![vec![(1.0, 1.0)], vec![(3.0, 3.0), (4.0, 4.0)]]
        );
        assert!(line_segments(&[(1.0, None)]).is_empty());
        assert_eq!(
            line_segments(&[(1.0, Some(1.0)), (1.0, Some(1.0)), (2.0, Some(1.0))]),
            vec![vec![(1.0, 1.0), (2.0, 1.0)]]
        );
        assert!(line_segments(&[(1.0, Some(f64::NAN))]).is_empty());
    }

    #[test]
    fn bands_need_both_bounds_and_are_ordered() {
        let pts = [
            (1.0, Some(2.0), Some(1.0)),
            (2.0, Some(0.0), None),
            (3.0, Some(0.0), Some(1.0)),
        ];
        let segs = band_segments(&pts);
        assert_eq!(segs, vec![vec![(1.0, 1.0, 2.0)], vec![(3.0, 0.0, 1.0)]]);
        let poly = band_polygon(&[(1.0, 0.0, 1.0), (2.0, 0.5, 2.0)]);
        assert_eq!(poly, vec![(1.0, 1.0), (2.0, 2.0), (2.0, 0.5), (1.0, 0.0)]);
    }

    #[test]
    fn trajectory_has_no_band_with_one_replicate() {
        let stats = vec![ws(1, Some(0.5), 1), ws(2, Some(0.6), 1)];
        let t = Trajectory::from_stats(&stats);
        assert_eq!(t.mean, vec![vec![(1.0, 0.5), (2.0, 0.6)]]);
        assert!(!t.has_bands());
        let stats = vec![ws(1, Some(0.5), 3), ws(2, None, 0), ws(3, Some(0.7), 3)];
        let t = Trajectory::from_stats(&stats);
        assert_eq!(t.mean.len(), 2);
        assert_eq!(t.band90.len(), 2);
        assert_eq!(t.band90[0], vec![(1.0, 0.4, 0.6)]);
        let (x, lo, hi) = t.band90[1][0];
        assert!(x == 3.0 && (lo - 0.6).abs() < 1e-12 && (hi - 0.8).abs() < 1e-12);
        let (x, lo, hi) = t.ci95[1][0];
        assert!(x == 3.0 && (lo - 0.65).abs() < 1e-12 && (hi - 0.75).abs() < 1e-12);
        let (lo, hi) = t.y_extent().unwrap();
        assert!((lo - 0.4).abs() < 1e-12 && (hi - 0.8).abs() < 1e-12);
    }

    #[test]
    fn bands_can_be_clamped_to_the_possible_range() {
        let t = Trajectory::from_stats(&[ws(1, Some(0.97), 3), ws(2, Some(0.02), 3)])
            .clamp_bands(0.0, 1.0);
        assert_eq!(t.band90[0][0].2, 1.0);
        assert_eq!(t.band90[0][1].1, 0.0);
        assert!((t.ci95[0][0].1 - 0.92).abs() < 1e-12);
        assert_eq!(t.mean[0][0], (1.0, 0.97));
    }

    #[test]
    fn all_na_trajectory_is_empty() {
        let t = Trajectory::from_stats(&[ws(1, None, 0), ws(2, None, 0)]);
        assert!(t.is_empty());
        assert_eq!(t.y_extent(), None);
    }

    #[test]
    fn axis_ranges() {
        assert_eq!(axis_range(Kind::Share, None), (0.0, 1.0));
        let (lo, hi) = axis_range(Kind::Share, Some((0.01, 0.04)));
        assert_eq!(lo, 0.0);
        assert!((hi - 0.05).abs() < 1e-12);
        assert_eq!(axis_range(Kind::Share, Some((0.2, 0.95))), (0.0, 1.06));
        assert_eq!(axis_range(Kind::Share, Some((0.2, 0.8))).1, 0.8 * 1.15);
        let (lo, hi) = axis_range(Kind::Count, Some((3.0, 3.0)));
        assert_eq!(lo, 0.0);
        assert!(hi > 3.0);
        let (lo, hi) = axis_range(Kind::Ratio, Some((0.4, 0.7)));
        assert!(lo == 0.0 && hi > 1.0);
        let (lo, hi) = axis_range(Kind::Signed, Some((0.1, 0.2)));
        assert!(lo < 0.0 && hi >= 0.2);
        assert_eq!(week_range(1, 1), (0.5, 1.5));
        assert_eq!(week_range(1, 52), (1.0, 52.0));
    }

    #[test]
    fn stacking_sums_and_gaps() {
        let a = vec![ws(1, Some(0.2), 2), ws(2, None, 0)];
        let b = vec![ws(1, Some(0.5), 2), ws(2, Some(0.5), 2)];
        let c = vec![ws(1, Some(0.3), 2), ws(2, Some(0.5), 2)];
        let layers = stack_layers(&[&a, &b, &c]);
        assert_eq!(layers.len(), 3);
        assert_eq!(layers[0][0], (1.0, Some((0.0, 0.2))));
        assert_eq!(layers[1][0], (1.0, Some((0.2, 0.7))));
        let top = layers[2][0].1.unwrap();
        assert!((top.1 - 1.0).abs() < 1e-12);
        assert_eq!(layers[0][1], (2.0, None));
        assert_eq!(layers[2][1], (2.0, None));
        assert_eq!(stack_segments(&layers[1]), vec![vec![(1.0, 0.2, 0.7)]]);
    }

    #[test]
    fn histogram_bins() {
        let h = histogram(&[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1.0], 30).unwrap();
        // Sturges: ceil(log2 8) + 1 = 4 bins of width 0.25.
        assert_eq!(h.counts.len(), 4);
        assert!((h.width - 0.25).abs() < 1e-12);
        assert_eq!(h.counts, vec![3, 2, 2, 1]);
        assert_eq!(h.counts.iter().sum::<u32>(), 8);
        assert_eq!(h.max_count(), 3);
        let b = h.bins();
        assert_eq!(b[3].1, 1.0);
        // Capped bin count.
        let many: Vec<f64> = (0..1000).map(|i| i as f64).collect();
        assert_eq!(histogram(&many, 8).unwrap().counts.len(), 8);
        assert_eq!(histogram(&many, 30).unwrap().counts.len(), 11);
        // All equal: one bin around the value; NA-only: none.
        let h = histogram(&[0.5, 0.5, f64::NAN], 10).unwrap();
        assert_eq!(h.counts, vec![2]);
        assert!(h.start < 0.5 && h.start + h.width > 0.5);
        assert!(histogram(&[f64::NAN], 10).is_none());
        assert!(histogram(&[], 10).is_none());
    }

    #[test]
    fn survival_curve_steps_from_one() {
        let stats = vec![ws(1, Some(0.9), 5), ws(2, Some(0.8), 5)];
        let c = survival_curve(&stats, 2.0);
        assert_eq!(
            c.mean,
            vec![vec![
                (0.0, 1.0),
                (1.0, 1.0),
                (1.0, 0.9),
                (2.0, 0.9),
                (2.0, 0.8)
            ]]
        );
        assert_eq!(c.band90.len(), 1);
        assert_eq!(c.band90[0][0], (0.0, 1.0, 1.0));
        assert_eq!(c.band90[0][1], (1.0, 1.0, 1.0));
        let last = *c.band90[0].last().unwrap();
        assert!((last.1 - 0.7).abs() < 1e-12 && (last.2 - 0.9).abs() < 1e-12);
    }

    #[test]
    fn survival_curve_gaps_and_single_replicate() {
        let stats = vec![ws(1, Some(0.9), 1), ws(2, None, 0), ws(3, Some(0.7), 1)];
        let c = survival_curve(&stats, 3.0);
        assert!(c.band90.is_empty() && c.ci95.is_empty());
        assert_eq!(c.mean.len(), 2);
        assert_eq!(c.mean[1], vec![(3.0, 0.7)]);
        assert!(survival_curve(&[ws(1, None, 0)], 1.0).mean.is_empty());
        assert!(survival_curve(&[], 1.0).mean.is_empty());
        // The last value holds to the right edge.
        let c = survival_curve(&[ws(1, Some(0.8), 3)], 1.5);
        assert_eq!(
            c.mean,
            vec![vec![(0.0, 1.0), (1.0, 1.0), (1.0, 0.8), (1.5, 0.8)]]
        );
        assert_eq!(c.band90[0].last(), Some(&(1.5, 0.7000000000000001, 0.9)));
    }

    #[test]
    fn presence_share_from_voice_and_parity() {
        let voice = vec![ws(1, Some(0.3), 2), ws(2, Some(0.3), 2), ws(3, None, 0)];
        let parity = vec![
            ws(1, Some(0.5), 2),
            ws(2, Some(0.0), 2),
            ws(3, Some(0.5), 2),
        ];
        let p = presence_share(&voice, &parity);
        assert_eq!(p.len(), 3);
        assert!((p[0].1.unwrap() - 0.6).abs() < 1e-12);
        assert_eq!(p[1], (2.0, None));
        assert_eq!(p[2], (3.0, None));
    }

    #[test]
    fn correlation_and_mean() {
        let p = [(0.0, 0.0), (1.0, 2.0), (2.0, 4.0)];
        assert!((pearson(&p).unwrap() - 1.0).abs() < 1e-12);
        let q = [(0.0, 4.0), (1.0, 2.0), (2.0, 0.0)];
        assert!((pearson(&q).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)]), None);
        assert_eq!(pearson(&p[..2]), None);
        assert_eq!(mean(&[1.0, 2.0, f64::NAN]), Some(1.5));
        assert_eq!(mean(&[]), None);
        let (lo, hi) = padded_range(Some((0.5, 0.5)), 0.1);
        assert!(lo < 0.5 && hi > 0.5);
    }
}
