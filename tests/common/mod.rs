//! Helpers shared by the integration tests: the binary under test, the bundled scenarios,
//! scratch folders, and readers of the files a result folder holds.
//!
//! Each test file that needs them declares `mod common;`; a file uses only some of them.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `dugnad` binary built by cargo for this test run.
pub fn dugnad() -> Command {
    Command::cargo_bin("dugnad").expect("the dugnad binary is built")
}

/// The arguments of a small, fast run of the knitting café (2 replicates of 3 weeks, no charts),
/// ending in `-o`: add the output folder, then any further flags.
pub const SMALL_RUN: &[&str] = &[
    "run",
    "scenarios/knitting-cafe.toml",
    "--replicates",
    "2",
    "--weeks",
    "3",
    "--quiet",
    "--no-charts",
    "-o",
];

/// The `dugnad` binary as a plain process, for tests that spawn it and signal or wait on it.
pub fn process() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("dugnad"))
}

/// The stderr of a finished `dugnad` command, as text.
pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

/// Runs `dugnad ARGS`, asserts success and returns its stdout.
pub fn stdout(args: &[&str]) -> String {
    let out = dugnad()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("stdout is UTF-8")
}

/// The crate's root folder (where `scenarios/` and `docs/` are).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled scenarios: (name, file) of every `scenarios/*.toml`, sorted by name.
pub fn bundled() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            (name, p)
        })
        .collect();
    v.sort();
    v
}

/// A fresh scratch folder, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// A text file's content; the panic names the file.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The fields of every line of a CSV file, header first (fields split at commas; the files
/// these tests read quote nothing).
pub fn csv_rows(p: &Path) -> Vec<Vec<String>> {
    read(p)
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The paths in a folder, sorted.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    v.sort();
    v
}

/// Every file of a folder, sorted by name, with its bytes.
pub fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_in(dir)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, bytes)
        })
        .collect()
}

/// Decodes a PNG file and returns its size in pixels.
pub fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(file)
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (info.width, info.height)
}

/// A minimal well-formedness check of an SVG file: starts with `<svg`, ends with `</svg>`,
/// every tag closed in order, quotes balanced.
pub fn assert_well_formed_svg(path: &Path) {
    let text = read(path);
    assert!(
        text.trim_start().starts_with("<svg"),
        "{} does not start with <svg",
        path.display()
    );
    assert!(
        text.trim_end().ends_with("</svg>"),
        "{} does not end with </svg>",
        path.display()
    );
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').expect("unterminated tag");
        let tag = &after[..end];
        rest = &after[end + 1..];
        assert!(!tag.contains('<'), "'<' inside a tag in {}", path.display());
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "unbalanced </{name}>"
            );
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(
        stack.is_empty(),
        "unclosed tags {stack:?} in {}",
        path.display()
    );
    assert_eq!(text.matches('"').count() % 2, 0, "{}", path.display());
}

/// The (indicator, lens) series a scenario's result tables have one row each of (per week,
/// replicate or group), with `--set` overrides applied.
pub fn series(file: &Path, sets: &[&str]) -> usize {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = dugnad::scenario::load(file, &sets).unwrap_or_else(|e| panic!("{e}"));
    let designs = dugnad::model::group::Design::compile_all(&s);
    dugnad::metrics::Layout::of(&designs[0]).len()
}
