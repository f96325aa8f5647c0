//! The HTML toolkit of every report page: escaping, inlining a chart's SVG (sanitized), and
//! the page shells. Pages are self-contained: no external CSS, scripts, fonts or images.

use super::style::REPORT_CSS;
use crate::lang::Lang;
use std::path::Path;

/// Escapes text for HTML content and attributes. A "://" is written with an encoded colon
/// (it displays the same) so that text from files never reads as a link to elsewhere.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.replace("://", "&#58;//")
}

/// Makes a plotters SVG fit for inlining: drops the XML namespace (HTML does not need it)
/// and refuses anything that is not a plain drawing: only known shape and text elements
/// with presentation attributes pass (no scripts, links, styles, foreign objects, handlers).
pub fn inline_svg(svg: &str) -> Option<String> {
    const TAGS: &[&str] = &[
        "svg", "rect", "line", "polyline", "polygon", "circle", "ellipse", "text", "path", "g",
        "tspan",
    ];
    const ATTRS: &[&str] = &[
        "x",
        "y",
        "dx",
        "dy",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "width",
        "height",
        "viewbox",
        "xmlns",
        "points",
        "d",
        "fill",
        "stroke",
        "stroke-width",
        "opacity",
        "fill-opacity",
        "stroke-opacity",
        "text-anchor",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "transform",
        "dominant-baseline",
    ];
    let start = svg.find("<svg")?;
    let body = svg[start..].trim_end();
    let mut rest = body;
    let mut depth: i64 = 0;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>')?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_start_matches('/').trim_end_matches('/');
        let name_len = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        if !TAGS.contains(&name.as_str()) {
            return None;
        }
        // Attributes: name="value" pairs, values free of links and script.
        let mut a = tag[name_len..].trim_start();
        while !a.is_empty() {
            let eq = a.find('=')?;
            let attr = a[..eq].trim().to_ascii_lowercase();
            if !ATTRS.contains(&attr.as_str()) {
                return None;
            }
            let v = a[eq + 1..].trim_start();
            let quote = v.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let close = v[1..].find(quote)?;
            let value = v[1..1 + close].to_ascii_lowercase();
            if value.contains("url(") || value.contains("javascript") {
                return None;
            }
            if attr == "xmlns" && value != "http://www.w3.org/2000/svg" {
                return None;
            }
            a = v[1 + close + 1..].trim_start();
        }
        if closing {
            depth -= 1;
        } else if !self_closing {
            depth += 1;
        }
        if depth < 0 {
            return None;
        }
    }
    if depth != 0 {
        return None;
    }
    Some(body.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1) + "\n")
}

/// A chart file's SVG, inlined ([`inline_svg`]); None when the file is missing or not a plain
/// drawing.
pub fn inline_svg_file(path: &Path) -> Option<String> {
    inline_svg(&std::fs::read_to_string(path).ok()?)
}

/// The opening of a report in `lang` (run, comparison, sweep, sensitivity, fit), up to its
/// `<main>`; [`REPORT_END`] closes it.
pub fn report_start_in(lang: Lang, title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n<main>\n",
        lang.code(),
        escape(title)
    )
}

/// The closing of a run report.
pub const REPORT_END: &str = "</main>\n</body>\n</html>\n";

/// A report's navigation bar, closing its header: one link per `(anchor id, catalogue key of
/// the section's title)`, in `lang`.
pub fn nav_bar(h: &mut String, lang: Lang, sections: &[(&str, &str)]) {
    h.push_str("<nav>");
    for (id, key) in sections {
        h.push_str(&format!("<a href=\"#{id}\">{}</a>", escape(lang.tr(key))));
    }
    h.push_str("</nav>\n</header>\n");
}

/// A finished page with the numbers of its text in `lang`'s decimal mark ([`Lang::number`]):
/// the text between tags, inline charts included, but not tags and their attributes, nor what
/// is meant to be copied or read by a program (`<code>`, `<pre>`, `<script>`, `<style>`).
pub fn localize_numbers(lang: Lang, page: &str) -> String {
    if lang == Lang::En {
        return page.to_string();
    }
    const VERBATIM: [&str; 4] = ["code", "pre", "script", "style"];
    let mut out = String::with_capacity(page.len());
    let mut verbatim: Option<&str> = None;
    let mut rest = page;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            out.push_str(&if verbatim.is_some() {
                rest.to_string()
            } else {
                lang.number(rest)
            });
            break;
        };
        let text = &rest[..open];
        out.push_str(&if verbatim.is_some() {
            text.to_string()
        } else {
            lang.number(text)
        });
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match verbatim {
            Some(v) if tag.starts_with("</") && name == v => verbatim = None,
            None if !tag.starts_with("</") && !tag.ends_with("/>") => {
                verbatim = VERBATIM.iter().find(|v| **v == name).copied();
            }
            _ => {}
        }
        out.push_str(tag);
        rest = &rest[close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(escape("see https://x.org"), "see https&#58;//x.org");
    }

    #[test]
    fn svg_inlining_is_restricted_to_plain_drawings() {
        let ok = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"0\"/>\n<text>a &lt; b</text>\n</svg>\n";
        let inl = inline_svg(ok).unwrap();
        assert!(inl.starts_with("<svg width"));
        assert!(!inl.contains("http"));
        assert!(inline_svg("<svg><script>alert(1)</script></svg>").is_none());
        assert!(inline_svg("<svg><rect onload=\"x()\"/></svg>").is_none());
        assert!(inline_svg("<svg><rect style=\"fill:url(#a)\"/></svg>").is_none());
        assert!(inline_svg("<svg><rect x=\"1\"></svg>").is_none());
        assert!(inline_svg("<svg><image href=\"a.png\"/></svg>").is_none());
        assert!(inline_svg("not svg").is_none());
    }

    #[test]
    fn numbers_get_the_decimal_mark_of_the_language_outside_code() {
        let page = "<p class=\"x0.5\">0.25 <code>--set a=0.6</code> [1.5, 2.0]</p><pre>0.3</pre><text>0.7</text>";
        assert_eq!(localize_numbers(Lang::En, page), page);
        assert_eq!(
            localize_numbers(Lang::Nb, page),
            "<p class=\"x0.5\">0,25 <code>--set a=0.6</code> [1,5, 2,0]</p><pre>0.3</pre><text>0,7</text>"
        );
    }

    #[test]
    fn pages_escape_their_titles() {
        assert!(report_start_in(Lang::En, "<x>").contains("<title>&lt;x&gt;</title>"));
    }
}
