//! Bad scenario input through the real binary: `dugnad check` and `dugnad run` must exit with
//! code 2, name the file, the key and (where known) the line on stderr, never panic, and a
//! failed `run` must leave no output folder behind.

mod common;

use common::dugnad;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A small valid scenario; each test breaks one thing in it. Line numbers below refer to it.
const GOOD: &str = r#"[scenario]
name = "bad-input"
weeks = 2
replicates = 1
seed = 7

[activity]
groups = 1
service_frame = 0.8
co_design = 0.1
turns_per_meeting = 20

[population.volunteers]
role = "volunteer"
count = 2

[population.newcomers]
role = "participant"
count = 4
origin = "non-western"
language = { beta = [2.0, 4.0] }

[stereotypes]
non-western = 0.3
"#;

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write scenario");
    path
}

/// Runs `dugnad check FILE [--set ...]`, asserts exit code 2 and no panic, returns stderr.
fn check_fails(path: &Path, sets: &[&str]) -> String {
    let mut cmd = dugnad();
    cmd.arg("check").arg(path);
    for s in sets {
        cmd.arg("--set").arg(s);
    }
    let out = cmd.output().expect("run dugnad");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{stderr}");
    assert!(
        !stderr.contains("panicked"),
        "panic on bad input:\n{stderr}"
    );
    assert!(stderr.contains("error"), "stderr says error:\n{stderr}");
    stderr
}

fn assert_names(stderr: &str, needles: &[&str]) {
    for n in needles {
        assert!(stderr.contains(n), "stderr should contain {n:?}:\n{stderr}");
    }
}

#[test]
fn the_good_scenario_passes_check() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "good.toml", GOOD);
    dugnad().arg("check").arg(&path).assert().success();
}

#[test]
fn missing_file() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("no-such-scenario.toml");
    let stderr = check_fails(&path, &[]);
    assert_names(&stderr, &["no-such-scenario.toml", "cannot read"]);
}

#[test]
fn syntax_error() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "syntax.toml",
        &GOOD.replace("weeks = 2", "weeks = = 2"),
    );
    let stderr = check_fails(&path, &[]);
    assert_names(&stderr, &["syntax.toml:3:", "not valid TOML"]);
}

#[test]
fn unknown_key() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "unknown.toml",
        &GOOD.replace("co_design = 0.1", "co_desing = 0.1"),
    );
    let stderr = check_fails(&path, &[]);
    assert_names(
        &stderr,
        &[
            "unknown.toml:10:",
            "activity.co_desing",
            "did you mean 'co_design'?",
        ],
    );
}

#[test]
fn wrong_type() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "type.toml",
        &GOOD.replace("groups = 1", "groups = \"one\""),
    );
    let stderr = check_fails(&path, &[]);
    assert_names(
        &stderr,
        &["type.toml:8:", "activity.groups", "whole number"],
    );
}

#[test]
fn probability_above_one() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "prob.toml",
        &GOOD.replace("service_frame = 0.8", "service_frame = 1.3"),
    );
    let stderr = check_fails(&path, &[]);
    assert_names(
        &stderr,
        &["prob.toml:9:", "activity.service_frame", "[0, 1]", "1.3"],
    );
}

#[test]
fn negative_count() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "count.toml", &GOOD.replace("count = 2", "count = -2"));
    let stderr = check_fails(&path, &[]);
    assert_names(
        &stderr,
        &["count.toml:15:", "population.volunteers.count", "-2"],
    );
}

#[test]
fn beta_with_a_not_positive() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "beta.toml",
        &GOOD.replace("beta = [2.0, 4.0]", "beta = [0.0, 4.0]"),
    );
    let stderr = check_fails(&path, &[]);
    assert_names(
        &stderr,
        &[
            "beta.toml:21:",
            "population.newcomers.language",
            "beta parameters must be > 0",
        ],
    );
}

#[test]
fn empty_population() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "empty.toml", &GOOD.replace("count = 4", "count = 0"));
    let stderr = check_fails(&path, &[]);
    assert_names(
        &stderr,
        &[
            "empty.toml:19:",
            "population.newcomers.count",
            "participant",
        ],
    );
}

#[test]
fn bad_set_path() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "good.toml", GOOD);
    let stderr = check_fails(&path, &["activity.co_desing=0.5"]);
    assert_names(
        &stderr,
        &[
            "good.toml",
            "activity.co_desing",
            "did you mean 'co_design'?",
        ],
    );
    let stderr = check_fails(&path, &["population.refugees.count=3"]);
    assert_names(
        &stderr,
        &[
            "good.toml",
            "population.refugees.count",
            "populations: volunteers, newcomers",
        ],
    );
}

#[test]
fn malformed_set() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "good.toml", GOOD);
    let stderr = check_fails(&path, &["activity.co_design"]);
    assert_names(&stderr, &["good.toml", "KEY=VALUE"]);
    let stderr = check_fails(&path, &["population.newcomers.language={beta=[2,"]);
    assert_names(
        &stderr,
        &[
            "good.toml",
            "population.newcomers.language",
            "not a TOML value",
        ],
    );
}

#[test]
fn out_of_range_set_value() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "good.toml", GOOD);
    let stderr = check_fails(&path, &["activity.co_design=1.5"]);
    assert_names(&stderr, &["good.toml", "activity.co_design", "--set"]);
}

#[test]
fn run_of_a_bad_file_creates_no_output() {
    let dir = TempDir::new().unwrap();
    let input = TempDir::new().unwrap();
    let path = write(
        &input,
        "prob.toml",
        &GOOD.replace("service_frame = 0.8", "service_frame = 1.3"),
    );
    let out_dir = dir.path().join("out");
    let out = dugnad()
        .arg("run")
        .arg(&path)
        .arg("-o")
        .arg(&out_dir)
        .output()
        .expect("run dugnad");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_names(&stderr, &["prob.toml:9:", "activity.service_frame"]);
    assert!(
        !out_dir.exists(),
        "a failed run must not create {}",
        out_dir.display()
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "a failed run left files behind: {leftovers:?}"
    );
}

#[test]
fn run_with_a_bad_set_creates_no_output() {
    let dir = TempDir::new().unwrap();
    let input = TempDir::new().unwrap();
    let path = write(&input, "good.toml", GOOD);
    let out_dir = dir.path().join("out");
    let out = dugnad()
        .arg("run")
        .arg(&path)
        .arg("--set")
        .arg("parameters.no_such_parameter=1")
        .arg("-o")
        .arg(&out_dir)
        .output()
        .expect("run dugnad");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_names(&stderr, &["good.toml", "parameters.no_such_parameter"]);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "a failed run left files behind"
    );
}

#[test]
fn every_bundled_scenario_passes_check() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let out = dugnad().arg("check").arg(&path).output().unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
