//! The documentation cannot drift from the code: every parameter is described in
//! docs/model.md, the generated parameter table there equals the code's, and the indicator
//! reference of docs/indicators.md is the one the indicator table generates.

use dugnad::commands::info::{mechanisms_markdown, params_markdown};
use dugnad::metrics::INDICATORS;
use dugnad::model::params::PARAMS;
use dugnad::scenario::MECHANISMS;
use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Splits `doc` (the text of `file`) at the generated block `<!-- {marker}:begin -->` …
/// `<!-- {marker}:end -->` into (text before the block, the block, text after the block).
fn split_at_markers<'a>(doc: &'a str, marker: &str, file: &str) -> (&'a str, &'a str, &'a str) {
    let begin = format!("<!-- {marker}:begin -->");
    let end = format!("<!-- {marker}:end -->");
    assert_eq!(
        doc.matches(&begin).count(),
        1,
        "{file} needs exactly one {begin}"
    );
    assert_eq!(
        doc.matches(&end).count(),
        1,
        "{file} needs exactly one {end}"
    );
    let b = doc.find(&begin).unwrap();
    let e = doc.find(&end).unwrap();
    assert!(b < e, "{begin} must come before {end}");
    let table_start = b + begin.len();
    let table_start = table_start + doc[table_start..].find('\n').map_or(0, |i| i + 1);
    (&doc[..b], &doc[table_start..e], &doc[e + end.len()..])
}

/// docs/model.md without its generated blocks: the text written by hand.
fn prose(doc: &str) -> String {
    let (before, _, after) = split_at_markers(doc, "params", "docs/model.md");
    let rest = format!("{before}{after}");
    let (before, _, after) = split_at_markers(&rest, "mechanisms", "docs/model.md");
    format!("{before}{after}")
}

/// Whether `name` occurs in `text` as a whole word (not as part of a longer identifier).
fn has_word(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[test]
fn every_parameter_is_described_in_the_model_text() {
    let doc = read("docs/model.md");
    let prose = prose(&doc);
    // The generated table lists every parameter anyway; require each to be used in the text
    // (an equation or a rule of section 7), so that a new parameter gets documented.
    let missing: Vec<&str> = PARAMS
        .iter()
        .map(|p| p.name)
        .filter(|n| !has_word(&prose, n))
        .collect();
    assert!(
        missing.is_empty(),
        "parameters not described in docs/model.md outside the generated table: {missing:?}"
    );
    for p in PARAMS {
        assert!(
            has_word(&doc, p.name),
            "{} missing from docs/model.md",
            p.name
        );
    }
}

#[test]
fn parameter_table_matches_the_code() {
    let doc = read("docs/model.md");
    let (_, table, _) = split_at_markers(&doc, "params", "docs/model.md");
    let want = params_markdown();
    assert!(
        table == want,
        "the parameter table in docs/model.md is out of date: run docs/regen-params.sh\n\
         --- in docs/model.md ---\n{table}\n--- from the code ---\n{want}"
    );
}

#[test]
fn mechanism_table_matches_the_code_and_every_switch_is_described() {
    let doc = read("docs/model.md");
    let (_, table, _) = split_at_markers(&doc, "mechanisms", "docs/model.md");
    let want = mechanisms_markdown();
    assert!(
        table == want,
        "the mechanism table in docs/model.md is out of date: run docs/regen-params.sh\n\
         --- in docs/model.md ---\n{table}\n--- from the code ---\n{want}"
    );
    let prose = prose(&doc);
    let missing: Vec<&str> = MECHANISMS
        .iter()
        .map(|m| m.name)
        .filter(|n| !has_word(&prose, n))
        .collect();
    assert!(
        missing.is_empty(),
        "mechanism switches not described in docs/model.md outside the generated table: {missing:?}"
    );
}

#[test]
fn indicator_reference_matches_the_indicator_table() {
    let doc = read("docs/indicators.md");
    let (_, table, _) = split_at_markers(&doc, "indicators", "docs/indicators.md");
    let want = dugnad::metrics::indicators::markdown();
    assert!(
        table == want,
        "the indicator reference in docs/indicators.md is out of date: run docs/regen-params.sh\n\
         --- in docs/indicators.md ---\n{table}\n--- from the code ---\n{want}"
    );
    for i in INDICATORS {
        assert!(table.contains(&format!("| `{}` |", i.name)), "{}", i.name);
    }
}
