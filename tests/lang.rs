//! The language catalogues are complete: every key in every language, every key the code uses
//! declared, the same placeholders in each translation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dugnad::lang::{placeholders, Lang};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The string literals that follow each `marker` in `text` (the key of `tr("…")`,
/// `fill(lang, "…"`, `t("…")`), where the marker does not continue a longer name.
fn literal_keys(text: &str, marker: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + marker.len()..];
        if marker.starts_with(|c: char| c.is_alphanumeric())
            && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        // A marker that ends in the opening quote (`.tr("`, `t("`) is followed by the key itself;
        // otherwise the literal starts within the call's first 40 characters (after `lang, ` in
        // `fill`).
        let after = if marker.ends_with('"') {
            rest
        } else {
            let window = &rest[..rest.len().min(40)];
            let Some(open) = window.find('"') else {
                continue;
            };
            if window[..open].contains(')') {
                continue;
            }
            &rest[open + 1..]
        };
        if let Some(close) = after.find('"') {
            let key = &after[..close];
            if !key.is_empty() && !key.contains(['{', ' ', '/']) {
                out.push(key.to_string());
            }
        }
    }
    out
}

#[test]
fn every_key_is_in_every_language() {
    let en: BTreeSet<&String> = Lang::En.catalogue().keys().collect();
    for lang in Lang::ALL {
        let other: BTreeSet<&String> = lang.catalogue().keys().collect();
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(
            missing.is_empty(),
            "{lang} lacks {} keys: {missing:?}",
            missing.len()
        );
        assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
    }
}

#[test]
fn translations_keep_their_placeholders() {
    for (key, en) in Lang::En.catalogue() {
        let want: BTreeSet<&str> = placeholders(en).into_iter().collect();
        for lang in Lang::ALL {
            let s = lang.tr(key);
            let got: BTreeSet<&str> = placeholders(s).into_iter().collect();
            assert_eq!(got, want, "{lang} {key}: {s:?} against English {en:?}");
            assert!(!s.trim().is_empty(), "{lang} {key} is empty");
        }
    }
}

#[test]
fn every_key_the_code_uses_is_declared() {
    let mut sources = Vec::new();
    files(Path::new("src"), "rs", &mut sources);
    let mut scripts = Vec::new();
    files(Path::new("src"), "js", &mut scripts);
    let declared = Lang::En.catalogue();
    let mut used = BTreeSet::new();
    for path in &sources {
        if path.ends_with("lang/mod.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for marker in [".tr(\"", "fill("] {
            for key in literal_keys(&text, marker) {
                used.insert((path.display().to_string(), key));
            }
        }
    }
    // The classroom page looks its strings up as t("key") in the `page` section.
    for path in &scripts {
        let text = std::fs::read_to_string(path).unwrap();
        for key in literal_keys(&text, "t(\"") {
            used.insert((path.display().to_string(), format!("page.{key}")));
        }
    }
    let undeclared: Vec<_> = used
        .iter()
        .filter(|(_, k)| !declared.contains_key(k))
        .collect();
    assert!(
        undeclared.is_empty(),
        "keys used but declared in no catalogue: {undeclared:?}"
    );
}
