//! Where a drawn chart's words are: every `<text>` of a chart's SVG as a box on the canvas,
//! measured with the bundled DejaVu Sans (through `ab_glyph`, as plotters draws it), so a test
//! can tell that no two labels overlap, none runs off the canvas, and the title, axis labels
//! and legend are there.
//!
//! The SVG is the one `plotters`' SVG backend writes (`chart::to_svg`): one `<text>` element per
//! string, with `x`, `y`, `dy` (`0.76em` top, `0.5ex` centre, `-0.5ex` bottom), `text-anchor`,
//! `font-size` (the em, in user units), an optional `font-weight="bold"` and an optional
//! `transform="rotate(a, x, y)"`.

use ab_glyph::{Font, FontRef};
use std::sync::OnceLock;

/// The part of the em above the baseline that a line of text takes (DejaVu Sans' cap height
/// with its accents, rounded up), and the part below it (its descender).
const ASCENT: f64 = 0.76;
const DESCENT: f64 = 0.24;
/// DejaVu Sans' x-height, in em (what `ex` means to an SVG renderer).
const X_HEIGHT: f64 = 0.545;

/// One text of a chart: its string and the box it covers, in user units (pixels).
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// The em size.
    pub size: f64,
    pub bold: bool,
    /// Turned by a quarter (a y-axis description).
    pub rotated: bool,
}

impl TextBox {
    /// How far the two boxes overlap ([`overlap`]).
    pub fn overlap(&self, other: &TextBox) -> f64 {
        overlap(self.corners(), other.corners())
    }

    /// The box as (x0, y0, x1, y1).
    fn corners(&self) -> [f64; 4] {
        [self.x0, self.y0, self.x1, self.y1]
    }

    /// How far the box runs off a canvas of `w` × `h` (0 if inside).
    pub fn overflow(&self, w: f64, h: f64) -> f64 {
        [-self.x0, -self.y0, self.x1 - w, self.y1 - h]
            .into_iter()
            .fold(0.0, f64::max)
    }

    /// Whether the box holds the point.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
}

/// A drawn chart's canvas size and its texts.
#[derive(Clone, Debug)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub texts: Vec<TextBox>,
}

fn fonts() -> &'static (FontRef<'static>, FontRef<'static>) {
    static FONTS: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let regular = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        let bold = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
        // Bundled with the crate and parsed by plotters on every chart: valid fonts.
        (
            FontRef::try_from_slice(regular).expect("bundled DejaVu Sans"),
            FontRef::try_from_slice(bold).expect("bundled DejaVu Sans Bold"),
        )
    })
}

/// The advance width of `text` set in DejaVu Sans (bold or not) at em size `size`, kerned.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let (regular, heavy) = fonts();
    let font = if bold { heavy } else { regular };
    let upem = f64::from(font.units_per_em().unwrap_or(2048.0));
    let mut width = 0.0;
    let mut last = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = last {
            width += f64::from(font.kern_unscaled(prev, id));
        }
        width += f64::from(font.h_advance_unscaled(id));
        last = Some(id);
    }
    width / upem * size
}

/// The value of attribute `name` in a tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A length in ems (`0.76em`, `0.5ex`, `-0.5ex`, `3`) in user units at em `size`.
fn length(v: &str, size: f64) -> f64 {
    let v = v.trim();
    if let Some(em) = v.strip_suffix("em") {
        em.parse::<f64>().unwrap_or(0.0) * size
    } else if let Some(ex) = v.strip_suffix("ex") {
        ex.parse::<f64>().unwrap_or(0.0) * X_HEIGHT * size
    } else {
        v.parse::<f64>().unwrap_or(0.0)
    }
}

/// Every text of an SVG written by plotters, measured; `None` if it is not such an SVG (no
/// `width`/`height` on the root).
pub fn layout(svg: &str) -> Option<Layout> {
    let root = &svg[svg.find("<svg")?..];
    let root_tag = &root[..root.find('>')?];
    let width = attr(root_tag, "width")?.parse().ok()?;
    let height = attr(root_tag, "height")?.parse().ok()?;
    let mut texts = Vec::new();
    let mut rest = root;
    while let Some(at) = rest.find("<text") {
        rest = &rest[at..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        let Some(end) = rest.find("</text>") else {
            break;
        };
        let body = unescape(rest[close + 1..end].trim());
        rest = &rest[end..];
        let num = |n: &str| {
            attr(tag, n)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let (x, y, size) = (num("x"), num("y"), num("font-size"));
        let bold = attr(tag, "font-weight") == Some("bold");
        let baseline = y + length(attr(tag, "dy").unwrap_or("0"), size);
        let w = text_width(&body, size, bold);
        let (lx0, lx1) = match attr(tag, "text-anchor") {
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            Some("end") => (x - w, x),
            _ => (x, x + w),
        };
        let (ly0, ly1) = (baseline - ASCENT * size, baseline + DESCENT * size);
        let angle = attr(tag, "transform")
            .and_then(|t| t.strip_prefix("rotate("))
            .and_then(|t| t.split(',').next())
            .and_then(|a| a.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        // A quarter turn about (x, y): (dx, dy) → (−dy, dx) for 90°, (dy, −dx) for 270°.
        let turn = |px: f64, py: f64| -> (f64, f64) {
            let (dx, dy) = (px - x, py - y);
            match angle.rem_euclid(360.0) as i64 {
                90 => (x - dy, y + dx),
                180 => (x - dx, y - dy),
                270 => (x + dy, y - dx),
                _ => (px, py),
            }
        };
        let corners = [
            turn(lx0, ly0),
            turn(lx1, ly0),
            turn(lx0, ly1),
            turn(lx1, ly1),
        ];
        let xs = corners.map(|c| c.0);
        let ys = corners.map(|c| c.1);
        let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
        let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
        if body.trim().is_empty() {
            continue;
        }
        texts.push(TextBox {
            text: body,
            x0: min(xs),
            y0: min(ys),
            x1: max(xs),
            y1: max(ys),
            size,
            bold,
            rotated: angle.rem_euclid(180.0) != 0.0,
        });
    }
    Some(Layout {
        width,
        height,
        texts,
    })
}

impl Layout {
    /// Every pair of texts that overlap by more than `tolerance` user units, as
    /// "«a» overlaps «b» by n px" lines.
    pub fn overlaps(&self, tolerance: f64) -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in self.texts.iter().enumerate() {
            for b in &self.texts[i + 1..] {
                let o = a.overlap(b);
                if o > tolerance {
                    out.push(format!("«{}» overlaps «{}» by {o:.1} px", a.text, b.text));
                }
            }
        }
        out
    }

    /// Every text that runs off the canvas by more than `tolerance`, in words.
    pub fn overflows(&self, tolerance: f64) -> Vec<String> {
        self.texts
            .iter()
            .filter_map(|t| {
                let o = t.overflow(self.width, self.height);
                (o > tolerance).then(|| format!("«{}» runs {o:.1} px off the canvas", t.text))
            })
            .collect()
    }

    /// The first of the largest texts (bold before regular at the same size): the title's
    /// first line, when the chart has a title.
    pub fn largest(&self) -> Option<&TextBox> {
        self.texts
            .iter()
            .fold(None, |best: Option<&TextBox>, t| match best {
                Some(b) if (b.size, b.bold) >= (t.size, t.bold) => Some(b),
                _ => Some(t),
            })
    }

    /// Whether a text equal to `s` (or containing it) is drawn.
    pub fn has(&self, s: &str) -> bool {
        self.texts.iter().any(|t| t.text.contains(s))
    }

    /// Every rotated text (the y-axis descriptions).
    pub fn rotated(&self) -> impl Iterator<Item = &TextBox> {
        self.texts.iter().filter(|t| t.rotated)
    }
}

/// One drawn shape of a chart that is not text: a circle (a point marker) or a polyline (a
/// line, a CI bar, a dash), as the box it covers (a line's box widened by half its stroke).
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub circle: bool,
    /// Fill of a circle, stroke of a line (`#RRGGBB`).
    pub colour: String,
    /// A circle's radius; a line's stroke width.
    pub size: f64,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Mark {
    /// How far a text's box overlaps this mark's box ([`overlap`]).
    pub fn overlap(&self, t: &TextBox) -> f64 {
        overlap([self.x0, self.y0, self.x1, self.y1], t.corners())
    }
}

/// How far two boxes given as (x0, y0, x1, y1) overlap: the smaller of the overlaps along x and
/// y (0 if apart).
fn overlap(a: [f64; 4], b: [f64; 4]) -> f64 {
    let dx = a[2].min(b[2]) - a[0].max(b[0]);
    let dy = a[3].min(b[3]) - a[1].max(b[1]);
    dx.min(dy).max(0.0)
}

/// Every `<circle>` and `<polyline>` of an SVG written by plotters, as boxes.
pub fn marks(svg: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    for (open, circle) in [("<circle", true), ("<polyline", false)] {
        let mut rest = svg;
        while let Some(at) = rest.find(open) {
            rest = &rest[at..];
            let Some(close) = rest.find('>') else { break };
            let tag = &rest[..close];
            rest = &rest[close..];
            let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
            if circle {
                let (Some(x), Some(y), Some(r)) = (num("cx"), num("cy"), num("r")) else {
                    continue;
                };
                out.push(Mark {
                    circle,
                    colour: attr(tag, "fill").unwrap_or("").to_string(),
                    size: r,
                    x0: x - r,
                    y0: y - r,
                    x1: x + r,
                    y1: y + r,
                });
            } else {
                let width = num("stroke-width").unwrap_or(1.0);
                let points: Vec<(f64, f64)> = attr(tag, "points")
                    .unwrap_or("")
                    .split_whitespace()
                    .filter_map(|p| {
                        let (a, b) = p.split_once(',')?;
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                    .collect();
                if points.is_empty() {
                    continue;
                }
                let fold = |f: fn(f64, f64) -> f64, init: f64, pick: fn(&(f64, f64)) -> f64| {
                    points.iter().map(pick).fold(init, f)
                };
                let h = width / 2.0;
                out.push(Mark {
                    circle,
                    colour: attr(tag, "stroke").unwrap_or("").to_string(),
                    size: width,
                    x0: fold(f64::min, f64::INFINITY, |p| p.0) - h,
                    y0: fold(f64::min, f64::INFINITY, |p| p.1) - h,
                    x1: fold(f64::max, f64::NEG_INFINITY, |p| p.0) + h,
                    y1: fold(f64::max, f64::NEG_INFINITY, |p| p.1) + h,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size_and_weight() {
        let a = text_width("agency", 20.0, false);
        assert!(a > 40.0 && a < 90.0, "{a}");
        assert!(text_width("agency index", 20.0, false) > a);
        assert!((text_width("agency", 40.0, false) - 2.0 * a).abs() < 1e-6);
        assert!(text_width("agency", 20.0, true) > a);
    }

    #[test]
    fn boxes_follow_anchor_baseline_and_rotation() {
        let svg = r##"<svg width="400" height="300" viewBox="0 0 400 300" xmlns="http://www.w3.org/2000/svg">
<text x="100" y="50" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="20" opacity="1" fill="#000000">Title &amp; more</text>
<text x="10" y="150" dy="0.76em" text-anchor="end" font-family="sans-serif" font-size="10" opacity="1" fill="#000000" transform="rotate(270, 10, 150)">y axis</text>
<text x="390" y="290" dy="-0.5ex" text-anchor="start" font-family="sans-serif" font-size="10" opacity="1" fill="#000000">off the edge</text>
</svg>"##;
        let l = layout(svg).unwrap();
        assert_eq!((l.width, l.height), (400.0, 300.0));
        assert_eq!(l.texts.len(), 3);
        let t = &l.texts[0];
        assert_eq!(t.text, "Title & more");
        assert!((t.x0 + t.x1 - 200.0).abs() < 1e-6, "centred on x = 100");
        assert!((t.y0 - 50.0).abs() < 1e-6 && (t.y1 - 70.0).abs() < 1e-6);
        let y = &l.texts[1];
        assert!(
            y.rotated && y.y1 - y.y0 > y.x1 - y.x0,
            "a turned label is tall"
        );
        assert!(l.overlaps(0.5).is_empty());
        assert_eq!(l.overflows(0.5).len(), 1, "«off» runs off the right edge");
        assert!(l.texts[2].overflow(400.0, 300.0) > 30.0);
    }

    #[test]
    fn circles_and_lines_are_boxes() {
        let svg = r##"<svg width="400" height="300">
<circle cx="100" cy="50" r="5" opacity="1" fill="#D55E00" stroke="none" stroke-width="1"/>
<polyline fill="none" opacity="1" stroke="#0072B2" stroke-width="2" points="20,80 60,80 "/>
<text x="96" y="48" dy="0.76em" text-anchor="start" font-size="10">a</text>
</svg>"##;
        let m = marks(svg);
        assert_eq!(m.len(), 2);
        assert!(m[0].circle && m[0].colour == "#D55E00" && m[0].size == 5.0);
        assert_eq!(
            (m[0].x0, m[0].y0, m[0].x1, m[0].y1),
            (95.0, 45.0, 105.0, 55.0)
        );
        assert!(!m[1].circle && m[1].colour == "#0072B2");
        assert_eq!(
            (m[1].x0, m[1].y0, m[1].x1, m[1].y1),
            (19.0, 79.0, 61.0, 81.0)
        );
        let l = layout(svg).unwrap();
        assert!(
            m[0].overlap(&l.texts[0]) > 3.0,
            "the text sits on the point"
        );
        assert_eq!(m[1].overlap(&l.texts[0]), 0.0);
    }

    #[test]
    fn overlapping_labels_are_reported() {
        let svg = r##"<svg width="400" height="300">
<text x="100" y="100" dy="0.5ex" text-anchor="start" font-size="20">first label</text>
<text x="140" y="104" dy="0.5ex" text-anchor="start" font-size="20">second</text>
<text x="100" y="200" dy="0.5ex" text-anchor="start" font-size="20">apart</text>
</svg>"##;
        let l = layout(svg).unwrap();
        let o = l.overlaps(1.0);
        assert_eq!(o.len(), 1, "{o:?}");
        assert!(o[0].contains("first label") && o[0].contains("second"));
    }
}
