//! The one style of every chart and report: colours, fonts and sizes, number formats of axes,
//! text wrapping, and the reports' style sheets.
//!
//! Palette: Okabe & Ito (2008), safe for the common forms of colour blindness. Each lens
//! has one fixed colour in every chart: newcomers vermillion, local participants sky blue,
//! volunteers blue, staff bluish green; lens `all` and attribute lenses near-black.

use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle};
use std::sync::Once;

/// What is about newcomers (Okabe–Ito vermillion).
pub const NEWCOMERS: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// What is about local participants (Okabe–Ito sky blue).
pub const LOCAL_PARTICIPANTS: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// What is about volunteers (Okabe–Ito blue).
pub const VOLUNTEERS: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// What is about staff (Okabe–Ito bluish green).
pub const STAFF: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// Lines of indicators that are not about one role.
pub const NEUTRAL: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Replicate-level marks (histogram bars, scatter points): Okabe–Ito reddish purple.
pub const ACCENT: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
/// Titles, labels and notes.
pub const TEXT: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
/// Subtitles and tick labels.
pub const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
/// Reference lines (parity, no gap, σ = μ*) and differences whose CI includes zero.
pub const REFERENCE: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Scheduled changes: a vertical line with its label where the design changes.
pub const SCHEDULE: RGBColor = RGBColor(0x6A, 0x3D, 0x9A);
/// A difference whose CI lies above zero (Okabe–Ito blue; not a role colour here).
pub const DIFF_ABOVE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// A difference whose CI lies below zero (Okabe–Ito orange).
pub const DIFF_BELOW: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
/// A difference whose CI lies on the better side of zero, by the indicator's direction
/// (Okabe–Ito bluish green; not a role colour here).
pub const DIFF_BETTER: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// A difference whose CI lies on the worse side of zero (Okabe–Ito vermillion).
pub const DIFF_WORSE: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// The range an indicator's values are declared to lie in, by its kind: shares and levels in
/// [0, 1], signed differences in [−1, 1]; counts, rates and ratios have no upper bound (None).
pub fn declared_range(kind: crate::metrics::indicators::Kind) -> Option<(f64, f64)> {
    use crate::metrics::indicators::Kind;
    match kind {
        Kind::Share | Kind::Level => Some((0.0, 1.0)),
        Kind::Signed => Some((-1.0, 1.0)),
        Kind::Ratio | Kind::Count | Kind::Rate => None,
    }
}

/// A heatmap cell without a value.
pub const MISSING: RGBColor = RGBColor(230, 230, 230);

/// Opacity of the 90 % band of replicates (light).
pub const BAND90_ALPHA: f64 = 0.16;
/// Opacity of the 95 % CI of the mean (darker).
pub const CI95_ALPHA: f64 = 0.38;

/// The font family every text uses; registered from the bundled DejaVu Sans.
pub const FAMILY: &str = "sans-serif";

// Font sizes in plotters units. plotters draws the em at size / 1.24, so 19 ≈ 15.3 px:
// every text is at least 14 px tall at 100 % zoom, in PNG and SVG alike.
pub const TITLE_SIZE: f64 = 33.0;
pub const SUBTITLE_SIZE: f64 = 21.0;
pub const PANEL_TITLE_SIZE: f64 = 23.0;
pub const DESC_SIZE: f64 = 21.0;
pub const TICK_SIZE: f64 = 19.0;
pub const LEGEND_SIZE: f64 = 20.0;
pub const NOTE_SIZE: f64 = 24.0;

/// The style sheet of a run report.
pub const REPORT_CSS: &str = r#"
:root { --ink:#1a1a1a; --muted:#595959; --rule:#dddddd; --soft:#f6f6f4; --accent:#0072b2; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:#fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 64px; }
h1 { font-size: 2.1rem; line-height:1.2; margin: .2rem 0 .6rem; }
h2 { font-size: 1.45rem; margin: 2.6rem 0 .8rem; padding-top:.4rem; border-top: 2px solid var(--ink); }
h3 { font-size: 1.12rem; margin: 1.6rem 0 .4rem; }
p, li { max-width: 78ch; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: var(--muted); margin:0; }
.lead { font-size: 1.15rem; }
.facts { color: var(--muted); }
nav { font-size: .95rem; color: var(--muted); }
nav a { color: var(--accent); margin-right: 1rem; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 14px; }
.card { background: var(--soft); border-radius: 6px; padding: 12px 14px; border-left: 5px solid var(--bar, #222); }
.card .v { font-size: 1.7rem; font-weight: 700; }
.card .t { font-weight: 600; }
.card .s, .card .m { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .93rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 9px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.summary td.meaning { color: var(--muted); max-width: 34ch; }
.wide { overflow-x: auto; }
figure { margin: 1.2rem 0 2.2rem; }
figure svg { width: 100%; height: auto; display:block; border:1px solid var(--rule); }
figure.single { max-width: 1200px; }
figure.sheet { width: min(1800px, calc(100vw - 40px)); margin-left: calc(50% - min(900px, 50vw - 20px)); }
figure.sheet figcaption { margin-left: max(0px, calc(min(900px, 50vw - 20px) - 50%)); }
th[colspan] { text-align: center; }
figcaption { color: var(--muted); max-width: 90ch; margin-top: .5rem; }
.swatch { display:inline-block; width: .9em; height: .9em; border-radius: 2px; vertical-align: -0.1em; margin-right: .3em; }
.missing { color: var(--muted); font-style: italic; }
pre { background: var(--soft); padding: 12px; overflow-x: auto; font-size: .85rem; }
details { margin: .6rem 0; }
summary { cursor: pointer; color: var(--accent); }
dl { display:grid; grid-template-columns: max-content 1fr; gap: 4px 18px; }
dt { font-weight: 600; }
dd { margin: 0; }
@media print { figure { break-inside: avoid; } }
"#;

static FONTS: Once = Once::new();

/// Registers the bundled font as "sans-serif" (normal and bold) once per process, so no
/// system font or fontconfig is needed.
pub fn register_fonts() {
    FONTS.call_once(|| {
        let regular: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        let bold: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
        // The bytes are a valid TrueType font bundled with the crate; a failure here would
        // only make text fall back to "font unavailable" errors reported by the drawing.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, regular);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, bold);
    });
}

/// Text in the charts' text colour, regular or bold.
pub fn font(size: f64, bold: bool) -> TextStyle<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    (FAMILY, size, style).into_font().color(&TEXT)
}

/// Text in plain black, as the experiment charts (forest plot, sweep lines, heatmap) write
/// their labels.
pub fn black(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font())
}

/// The colour of a lens: its class's colour (`newcomers`, `local_participants`, `volunteers`,
/// `staff`), near-black for `all` and the attribute and origin lenses.
pub fn lens_colour(lens: &str) -> RGBColor {
    match lens {
        "newcomers" => NEWCOMERS,
        "local_participants" => LOCAL_PARTICIPANTS,
        "volunteers" => VOLUNTEERS,
        "staff" => STAFF,
        _ => NEUTRAL,
    }
}

/// A heatmap cell's colour: a sequential palette (light yellow → dark blue) for t in [0, 1].
pub fn heat_colour(t: f64) -> RGBColor {
    let stops = [
        (255.0, 255.0, 204.0),
        (161.0, 218.0, 180.0),
        (65.0, 182.0, 196.0),
        (44.0, 127.0, 184.0),
        (37.0, 52.0, 148.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    } * (stops.len() - 1) as f64;
    let i = (t.floor() as usize).min(stops.len() - 2);
    let f = t - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Number of decimals so that ticks about `span / 5` apart stay distinct.
pub fn decimals_for(span: f64) -> usize {
    let step = span.abs() / 5.0;
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(6)
    }
}

/// Formats a tick value with `decimals`, never printing "-0".
pub fn fmt_fixed(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// Formats a share (0..1) as a percentage with enough decimals for an axis spanning `span`.
pub fn fmt_percent(v: f64, span: f64) -> String {
    format!("{} %", fmt_fixed(v * 100.0, decimals_for(span * 100.0)))
}

/// Formats a week tick: integers only (fractional ticks are left blank).
pub fn fmt_week(v: f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

/// Greedy word wrap of `text` into lines no wider than `max` according to `width`.
pub fn wrap(text: &str, max: u32, width: impl Fn(&str) -> u32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && width(&candidate) > max {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_formats() {
        assert_eq!(decimals_for(1.0), 1);
        assert_eq!(decimals_for(10.0), 0);
        assert_eq!(decimals_for(0.05), 2);
        assert_eq!(fmt_fixed(-0.0001, 2), "0.00");
        assert_eq!(fmt_fixed(-0.5, 1), "-0.5");
        assert_eq!(fmt_percent(0.25, 1.0), "25 %");
        assert_eq!(fmt_percent(0.025, 0.02), "2.5 %");
        assert_eq!(fmt_percent(0.03, 0.05), "3 %");
        assert_eq!(fmt_week(3.0), "3");
        assert_eq!(fmt_week(2.5), "");
    }

    #[test]
    fn wrapping() {
        let w = |s: &str| s.len() as u32;
        assert_eq!(wrap("aa bb cc", 5, w), vec!["aa bb", "cc"]);
        assert_eq!(wrap("toolongword x", 3, w), vec!["toolongword", "x"]);
        assert!(wrap("", 10, w).is_empty());
    }

    #[test]
    fn lens_colours_are_distinct_and_consistent() {
        let classes = ["newcomers", "local_participants", "volunteers", "staff"];
        for (i, a) in classes.iter().enumerate() {
            assert_ne!(lens_colour(a), NEUTRAL, "{a}");
            for b in &classes[i + 1..] {
                assert_ne!(lens_colour(a), lens_colour(b), "{a} vs {b}");
            }
        }
        assert_eq!(lens_colour("all"), NEUTRAL);
        assert_eq!(lens_colour("newcomers|gender=woman"), NEUTRAL);
    }
}
