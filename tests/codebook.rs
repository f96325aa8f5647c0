//! Every result folder explains itself: its `codebook.csv` lists every column of every CSV file
//! written there (with a meaning), every indicator named in them and every fixed lens.

mod common;

use common::{dugnad, scratch};
use std::collections::BTreeSet;
use std::path::Path;

/// Header and rows of a CSV file (quoted fields understood).
fn read_csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let head = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

/// Checks the codebook of `dir` against every CSV file in it; returns the files checked.
fn check_folder(dir: &Path) -> Vec<String> {
    let (head, book) = read_csv(&dir.join("codebook.csv"));
    assert_eq!(head, ["file", "column", "meaning", "unit", "range", "lens"]);
    let listed = |file: &str, column: &str| {
        book.iter()
            .find(|r| r[1] == column && r[0].split(' ').any(|f| f == file) && !r[2].is_empty())
    };
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    files.sort();
    for file in &files {
        let (cols, rows) = read_csv(&dir.join(file));
        for c in &cols {
            let row = listed(file, c).unwrap_or_else(|| {
                panic!("{}: {file} column {c} not in the codebook", dir.display())
            });
            assert_ne!(row[2], "(undocumented column)", "{file} column {c}");
        }
        // Every indicator and fixed lens named in a result file has its row.
        if file == "codebook.csv" {
            continue;
        }
        for (col, prefix) in [("indicator", "indicator="), ("lens", "lens=")] {
            let Some(k) = cols.iter().position(|c| c == col) else {
                continue;
            };
            let values: BTreeSet<&str> = rows.iter().map(|r| r[k].as_str()).collect();
            for v in values {
                if col == "lens" && (v.contains('|') || v.starts_with("origin=")) {
                    continue; // scenario-dependent lenses: described by the `lens` column's row
                }
                assert!(
                    listed(file, &format!("{prefix}{v}")).is_some(),
                    "{file}: {prefix}{v} not in the codebook"
                );
            }
        }
    }
    files
}

#[test]
fn codebook_lists_every_column_of_every_file_written() {
    let tmp = scratch();
    let t = tmp.path();
    let small = [
        "--replicates",
        "2",
        "--weeks",
        "3",
        "--quiet",
        "--no-charts",
    ];
    let run = t.join("run");
    dugnad()
        .args(["run", "scenarios/dugnad.toml"])
        .args(small)
        .args(["--keep-replicates", "--per-group", "--agents", "--snapshot-weeks", "2"])
        .args(["--set", "population.newcomers.attributes.gender={ choice = [\"woman\", \"man\"], weights = [0.5, 0.5] }"])
        .args(["--set", "output.by=[\"gender\"]", "-o"])
        .arg(&run)
        .assert()
        .success();
    let files = check_folder(&run);
    for f in [
        "timeseries.csv",
        "summary.csv",
        "final.csv",
        "replicates.csv",
        "groups.csv",
        "agents.csv",
        "ties.csv",
        "codebook.csv",
    ] {
        assert!(
            files.iter().any(|x| x == f),
            "{f} written and checked: {files:?}"
        );
    }
    let sweep = t.join("sweep");
    dugnad()
        .args([
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--vary",
            "activity.co_design=0.2,0.6",
        ])
        .args([
            "--keep-replicates",
            "--replicates",
            "2",
            "--weeks",
            "3",
            "--quiet",
            "-o",
        ])
        .arg(&sweep)
        .assert()
        .success();
    assert_eq!(
        check_folder(&sweep),
        ["codebook.csv", "sweep-replicates.csv", "sweep.csv"]
    );
    let compare = t.join("compare");
    dugnad()
        .args([
            "compare",
            "scenarios/knitting-cafe.toml",
            "scenarios/dugnad.toml",
        ])
        .args(small)
        .arg("-o")
        .arg(&compare)
        .assert()
        .success();
    assert_eq!(check_folder(&compare), ["codebook.csv", "comparison.csv"]);
    let sens = t.join("sens");
    dugnad()
        .args([
            "sensitivity",
            "scenarios/knitting-cafe.toml",
            "--method",
            "morris",
        ])
        .args(["--trajectories", "2", "--levels", "4"])
        .args([
            "--range",
            "parameters.alpha1=0:2",
            "--range",
            "activity.co_design=0:1",
        ])
        .args(["--replicates", "2", "--weeks", "3", "--quiet", "-o"])
        .arg(&sens)
        .assert()
        .success();
    assert_eq!(
        check_folder(&sens),
        ["codebook.csv", "noise.csv", "points.csv", "sensitivity.csv"]
    );
}
