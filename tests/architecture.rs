//! Architecture rules, checked on the source text: a module imports only modules below it in the
//! layer order of `docs/architecture.md`, and no function outside tests is longer than 120 lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layer order, lowest first. A top-level module may import (`crate::X`) only modules of a
/// lower layer or its own. Modules on one line share a layer and must not import each other.
const LAYERS: &[&[&str]] = &[
    &["stats", "limits", "lang"],
    &["cli"],
    &["scenario"],
    &["model"],
    &["mechanisms"],
    &["metrics"],
    &["sim"],
    &["output"],
    &["experiment"],
    &["present"],
    &["calibration", "bench", "teach"],
    &["commands"],
];

/// Longest function body allowed outside tests (lines from `fn` to its closing brace).
const MAX_FN_LINES: usize = 120;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level module of a file under src/ (`src/a/b.rs` → `a`, `src/a.rs` → `a`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix("src").unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The source without `#[cfg(test)]` modules (from the attribute to the end of the file: they
/// stand last by convention) and without comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(k) => &text[..k],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(k) if !l[..k].contains('"') => &l[..k],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn modules_import_only_lower_layers() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut bad = Vec::new();
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let module = module_of(f);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer(&module) else {
            bad.push(format!(
                "{}: module `{module}` is not in LAYERS",
                f.display()
            ));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        for (k, _) in code.match_indices("crate::") {
            let rest = &code[k + 7..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || name == module {
                continue;
            }
            graph
                .entry(module.clone())
                .or_default()
                .insert(name.clone());
            match layer(&name) {
                Some(l) if l < own => {}
                Some(_) => bad.push(format!(
                    "{}: `{module}` imports `crate::{name}`, which is not below it",
                    f.display()
                )),
                None => bad.push(format!("{}: unknown module `crate::{name}`", f.display())),
            }
        }
    }
    for (m, deps) in &graph {
        eprintln!(
            "{m} -> {}",
            deps.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    assert!(bad.is_empty(), "layer violations:\n{}", bad.join("\n"));
}

/// Spans of `fn` items: (line of `fn`, line of its closing brace), found by brace matching on the
/// code with strings and chars blanked.
fn fn_spans(code: &str) -> Vec<(usize, usize, String)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut spans = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "const fn ",
            "pub const fn ",
            "async fn ",
            "unsafe fn ",
        ]
        .iter()
        .any(|p| t.starts_with(p));
        if !is_fn {
            continue;
        }
        let name: String = t[t.find("fn ").unwrap() + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // Find the opening brace of the body (or a `;` for a declaration without body).
        let mut depth = 0i32;
        let mut opened = false;
        'outer: for (j, line) in lines.iter().enumerate().skip(i) {
            let mut in_str = false;
            let mut prev = ' ';
            for c in line.chars() {
                if c == '"' && prev != '\\' {
                    in_str = !in_str;
                } else if !in_str {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => {
                            depth -= 1;
                            if opened && depth == 0 {
                                spans.push((i + 1, j + 1, name.clone()));
                                break 'outer;
                            }
                        }
                        ';' if !opened && depth == 0 => break 'outer,
                        _ => {}
                    }
                }
                prev = c;
            }
        }
    }
    spans
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut long = Vec::new();
    for f in &files {
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        for (start, end, name) in fn_spans(&code) {
            let n = end - start + 1;
            if n > MAX_FN_LINES {
                long.push(format!("{}:{start}: fn {name} is {n} lines", f.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions longer than {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}
