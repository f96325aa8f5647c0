//! The documentation cannot drift from the code: every parameter is described in
//! docs/model.md, the generated parameter table there equals the code's, and the indicator
//! reference of docs/indicators.md is the one the indicator table generates.

use dugnad::commands::info::params_markdown;
use dugnad::metrics::INDICATORS;
use dugnad::model::params::PARAMS;
use std::path::Path;

const BEGIN: &str = "<!-- params:begin -->";
const END: &str = "<!-- params:end -->";

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Splits docs/model.md into (text before the table, the table, text after the table).
fn split_at_markers(doc: &str) -> (&str, &str, &str) {
    assert_eq!(
        doc.matches(BEGIN).count(),
        1,
        "docs/model.md needs exactly one {BEGIN}"
    );
    assert_eq!(
        doc.matches(END).count(),
        1,
        "docs/model.md needs exactly one {END}"
    );
    let b = doc.find(BEGIN).unwrap();
    let e = doc.find(END).unwrap();
    assert!(b < e, "{BEGIN} must come before {END}");
    let table_start = b + BEGIN.len();
    let table_start = table_start + doc[table_start..].find('\n').map_or(0, |i| i + 1);
    (&doc[..b], &doc[table_start..e], &doc[e + END.len()..])
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
    let (before, _table, after) = split_at_markers(&doc);
    let prose = format!("{before}{after}");
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
    let (_, table, _) = split_at_markers(&doc);
    let want = params_markdown();
    assert!(
        table == want,
        "the parameter table in docs/model.md is out of date: run docs/regen-params.sh\n\
         --- in docs/model.md ---\n{table}\n--- from the code ---\n{want}"
    );
}

/// The block of `doc` between `begin` and `end` (each on a line of its own).
fn block<'a>(doc: &'a str, begin: &str, end: &str, file: &str) -> &'a str {
    assert_eq!(
        doc.matches(begin).count(),
        1,
        "{file} needs exactly one {begin}"
    );
    assert_eq!(
        doc.matches(end).count(),
        1,
        "{file} needs exactly one {end}"
    );
    let b = doc.find(begin).unwrap() + begin.len();
    let b = b + doc[b..].find('\n').map_or(0, |i| i + 1);
    let e = doc.find(end).unwrap();
    assert!(b <= e, "{begin} must come before {end}");
    &doc[b..e]
}

#[test]
fn indicator_reference_matches_the_indicator_table() {
    let doc = read("docs/indicators.md");
    let table = block(
        &doc,
        "<!-- indicators:begin -->",
        "<!-- indicators:end -->",
        "docs/indicators.md",
    );
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
