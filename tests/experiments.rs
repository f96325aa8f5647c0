//! Integration tests of `dugnad compare`, `dugnad sweep` and `dugnad merge`, driving the real
//! binary on small runs.

mod common;

use common::{contents, csv_rows, dugnad, read, scratch, series};
use std::path::{Path, PathBuf};

/// A small 12-cell sweep of the knitting café (3 × 4 grid).
const SWEEP: &[&str] = &[
    "sweep",
    "scenarios/knitting-cafe.toml",
    "--vary",
    "activity.co_design=0.1,0.5,0.9",
    "--vary",
    "activity.facilitation=0:0.6:0.2",
    "--replicates",
    "3",
    "--weeks",
    "8",
    "--quiet",
];

fn sweep(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    dugnad().args(SWEEP).args(extra).arg("-o").arg(out).assert()
}

/// Every file under `dir/cells`, sorted, with its bytes.
fn cell_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    contents(&dir.join("cells"))
}

fn same_result(a: &Path, b: &Path) {
    assert!(
        read(&a.join("sweep.csv")) == read(&b.join("sweep.csv")),
        "sweep.csv differs"
    );
    assert_eq!(
        read(&a.join("sweep.json")),
        read(&b.join("sweep.json")),
        "sweep.json differs"
    );
    assert!(cell_files(a) == cell_files(b), "cell files differ");
}

#[test]
fn a_sweep_writes_one_row_per_cell_in_factorial_order() {
    let tmp = scratch();
    let out = tmp.path().join("s");
    sweep(&out, &["--keep-replicates", "--threads", "2"]).success();
    let csv = read(&out.join("sweep.csv"));
    let rows: Vec<&str> = csv.lines().collect();
    let n = series(Path::new("scenarios/knitting-cafe.toml"), &[]);
    assert_eq!(
        rows.len(),
        1 + 12 * n,
        "one row per cell, indicator and lens"
    );
    assert_eq!(
        rows[0],
        "cell,activity.co_design,activity.facilitation,indicator,lens,mean,sd,ci_low,ci_high,n"
    );
    assert!(rows[1].starts_with("0,0.1,0.0,voice_share,newcomers,"));
    let cols = rows[0].split(',').count();
    // Each cell's rows are together, cells in factorial order.
    let params: Vec<String> = rows[1..]
        .iter()
        .step_by(n)
        .map(|r| r.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        params[..5],
        [
            "0,0.1,0.0",
            "1,0.1,0.2",
            "2,0.1,0.4",
            "3,0.1,0.6",
            "4,0.5,0.0"
        ]
    );
    assert!(rows[1..].iter().all(|r| r.split(',').count() == cols));
    let reps = read(&out.join("sweep-replicates.csv"));
    assert_eq!(reps.lines().count(), 1 + 12 * 3 * n);
    assert!(reps.starts_with(
        "cell,replicate,activity.co_design,activity.facilitation,indicator,lens,value\n"
    ));
    assert!(out.join("charts/heatmap.png").exists() && out.join("charts/heatmap.svg").exists());
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["cells"], 12);

    // The cell with co_design 0.5, facilitation 0.2 equals a plain run with those values.
    let run = tmp.path().join("run");
    dugnad()
        .args([
            "run",
            "scenarios/knitting-cafe.toml",
            "--replicates",
            "3",
            "--weeks",
            "8",
            "--quiet",
            "--no-charts",
        ])
        .args([
            "--set",
            "activity.co_design=0.5",
            "--set",
            "activity.facilitation=0.2",
            "-o",
        ])
        .arg(&run)
        .assert()
        .success();
    let summary = read(&run.join("summary.csv"));
    let vp = summary
        .lines()
        .find(|l| l.starts_with("final_week,voice_parity,newcomers,"))
        .unwrap();
    let mean = vp.split(',').nth(3).unwrap();
    let cell5: Vec<&str> = rows
        .iter()
        .find(|r| r.starts_with("5,0.5,0.2,voice_parity,newcomers,"))
        .expect("cell 5's newcomers' voice parity")
        .split(',')
        .collect();
    assert_eq!(cell5[5], mean);
}

#[test]
fn an_interrupted_sweep_resumes_to_the_same_bytes_and_a_changed_one_refuses() {
    let tmp = scratch();
    // Heavier than SWEEP (about 0.3 s), so that the kill below lands mid-run.
    let heavy = |out: &Path, threads: &str| {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("dugnad"));
        c.args(&SWEEP[..SWEEP.len() - 5])
            .args([
                "--replicates",
                "40",
                "--weeks",
                "52",
                "--quiet",
                "--no-charts",
            ])
            .args(["--threads", threads, "-o"])
            .arg(out);
        c
    };
    let whole = tmp.path().join("whole");
    assert!(heavy(&whole, "1").status().unwrap().success());

    // Interrupt: kill -9 the process mid-run, then also lose some committed cells and the
    // final CSV, and leave a half-written temporary file.
    let broken = tmp.path().join("broken");
    let mut child = heavy(&broken, "2").spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(80));
    let _ = child.kill();
    let _ = child.wait();
    let survived = std::fs::read_dir(broken.join("cells"))
        .map(|d| d.count())
        .unwrap_or(0);
    eprintln!("the kill left {survived} of 12 cells");
    if broken.join("cells").exists() {
        for c in [0, 4, 11] {
            let _ = std::fs::remove_file(broken.join(format!("cells/cell-{c:06}.csv")));
        }
        let _ = std::fs::remove_file(broken.join("sweep.csv"));
        std::fs::write(broken.join("cells/cell-000007.csv.tmp"), "half a file").unwrap();
    }
    assert!(heavy(&broken, "2").status().unwrap().success());
    same_result(&whole, &broken);
    assert!(!broken.join("cells/cell-000007.csv.tmp").exists());

    // A changed scenario refuses to resume into the folder (exit 2) and says what to do.
    let err = sweep(&broken, &["--set", "activity.service_frame=0.5"])
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("different sweep") && err.contains("--force") && err.contains("-o"),
        "{err}"
    );
    // So does a changed replicate count, naming it.
    let err = dugnad()
        .args(&SWEEP[..SWEEP.len() - 5])
        .args(["--replicates", "41", "--weeks", "52", "--quiet", "-o"])
        .arg(&broken)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(err)
        .unwrap()
        .contains("replicates 40 vs 41"));
    // --force starts over.
    sweep(
        &broken,
        &[
            "--set",
            "activity.service_frame=0.5",
            "--force",
            "--no-charts",
        ],
    )
    .success();
    assert_ne!(
        read(&broken.join("sweep.csv")),
        read(&whole.join("sweep.csv"))
    );
}

#[test]
fn shards_merge_to_the_unsharded_result_and_merge_refuses_mixed_or_incomplete_sets() {
    let tmp = scratch();
    let whole = tmp.path().join("whole");
    sweep(&whole, &["--keep-replicates"]).success();
    let shards: Vec<PathBuf> = (0..3)
        .map(|i| tmp.path().join(format!("shard-{i}")))
        .collect();
    for (i, dir) in shards.iter().enumerate() {
        sweep(dir, &["--keep-replicates", "--shard", &format!("{i}/3")]).success();
        assert!(
            !dir.join("sweep.csv").exists(),
            "a shard alone is not the result"
        );
        assert_eq!(
            cell_files(dir).len(),
            2 * 4,
            "cells {i}, {}, {}, {} with replicates",
            i + 3,
            i + 6,
            i + 9
        );
    }
    let merged = tmp.path().join("merged");
    dugnad()
        .arg("merge")
        .args(&shards)
        .arg("-o")
        .arg(&merged)
        .args(["--quiet"])
        .assert()
        .success();
    same_result(&whole, &merged);
    assert_eq!(
        read(&whole.join("sweep-replicates.csv")),
        read(&merged.join("sweep-replicates.csv"))
    );
    let (w, h) = common::png_size(&merged.join("charts/heatmap.png"));
    assert!(w >= 400 && h >= 300, "charts are redrawn: {w}x{h}");

    // An incomplete set names the missing cells and their shard.
    let err = dugnad()
        .arg("merge")
        .args(&shards[..2])
        .arg("-o")
        .arg(tmp.path().join("m2"))
        .assert()
        .code(2);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(err.contains("2, 5, 8, 11") && err.contains("2/3"), "{err}");
    // Shards of different sweeps are refused.
    let other = tmp.path().join("other");
    sweep(
        &other,
        &["--shard", "2/3", "--set", "activity.service_frame=0.5"],
    )
    .success();
    let err = dugnad()
        .arg("merge")
        .args([&shards[0], &shards[1], &other])
        .arg("-o")
        .arg(tmp.path().join("m3"))
        .assert()
        .code(2);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("different sweeps") && err.contains("resolved scenario"),
        "{err}"
    );
    assert!(!tmp.path().join("m3").exists());
}

#[test]
fn a_sweep_declared_in_the_scenario_file_runs_and_flags_override_it() {
    let tmp = scratch();
    let mut text = read(Path::new("scenarios/knitting-cafe.toml"));
    text.push_str("\n[sweep]\nsample = \"lhs:5\"\nrange = { \"activity.co_design\" = [0.0, 1.0], \"population.volunteers.count\" = [1, 4] }\n");
    let file = tmp.path().join("study.toml");
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("lhs");
    let small = ["--replicates", "2", "--weeks", "4", "--quiet", "-o"];
    dugnad()
        .arg("sweep")
        .arg(&file)
        .args(small)
        .arg(&out)
        .assert()
        .success();
    let csv = read(&out.join("sweep.csv"));
    assert_eq!(
        csv.lines().count(),
        1 + 5 * series(Path::new("scenarios/knitting-cafe.toml"), &[])
    );
    for row in csv.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        let cd: f64 = f[1].parse().unwrap();
        let count: i64 = f[2].parse().unwrap();
        assert!(
            (0.0..=1.0).contains(&cd) && (1..=4).contains(&count),
            "{row}"
        );
    }
    let def: serde_json::Value = serde_json::from_str(&read(&out.join("sweep.json"))).unwrap();
    assert_eq!(def["cells"]["design"], "lhs:5");
    assert!(def["cells"]["sampler_seed"].is_u64());
    // A --vary flag replaces the file's sample.
    let out = tmp.path().join("grid");
    dugnad()
        .arg("sweep")
        .arg(&file)
        .args(["--vary", "activity.co_design=0.2,0.4"])
        .args(small)
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        read(&out.join("sweep.csv")).lines().count(),
        1 + 2 * series(Path::new("scenarios/knitting-cafe.toml"), &[])
    );
    let (w, h) = common::png_size(&out.join("charts/sweep.png"));
    assert!(w >= 400 && h >= 300, "one parameter: a line chart: {w}x{h}");
    // Bad values are refused before any work, naming the cell.
    let err = dugnad()
        .args([
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--vary",
            "activity.co_design=0.5,1.5",
            "-o",
        ])
        .arg(tmp.path().join("bad"))
        .assert()
        .code(2);
    assert!(String::from_utf8(err.get_output().stderr.clone())
        .unwrap()
        .contains("cell 1"));
    dugnad()
        .args([
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--vary",
            "activity.co_design=1:0:0.1",
        ])
        .assert()
        .code(2);
}

fn comparison(dir: &Path) -> Vec<Vec<String>> {
    csv_rows(&dir.join("comparison.csv"))
}

#[test]
fn compare_of_identical_designs_differs_by_exactly_zero() {
    let tmp = scratch();
    let out = tmp.path().join("same");
    dugnad()
        .args([
            "compare",
            "scenarios/knitting-cafe.toml",
            "scenarios/knitting-cafe.toml",
        ])
        .args(["--replicates", "5", "--weeks", "10", "--quiet", "-o"])
        .arg(&out)
        .assert()
        .success();
    let rows = comparison(&out);
    assert_eq!(rows[0].join(","), "design,baseline,indicator,lens,scope,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,effect_size,n");
    let n = series(Path::new("scenarios/knitting-cafe.toml"), &[]);
    assert_eq!(rows.len(), 1 + 2 * n);
    let second: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "knitting-cafe-2").collect();
    assert_eq!(second.len(), n);
    for r in second {
        assert_eq!(r[1], "knitting-cafe");
        if r[12] != "0" {
            assert_eq!(r[8..11], ["0", "0", "0"], "{r:?}");
        }
    }
    for f in [
        "charts/forest.png",
        "charts/forest.svg",
        "report.html",
        "manifest.json",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(m["designs"].as_array().unwrap().len(), 2);
    assert_eq!(m["seed"], 2019);
    assert_eq!(m["replicates"], 5);
    assert_eq!(m["designs"][1]["scenario"]["weeks"], 10);
}

#[test]
fn co_design_raises_voice_parity_over_the_knitting_cafe() {
    let tmp = scratch();
    let out = tmp.path().join("kc-cd");
    dugnad()
        .args([
            "compare",
            "scenarios/knitting-cafe.toml",
            "scenarios/co-designed-cafe.toml",
        ])
        .args([
            "--replicates",
            "20",
            "--weeks",
            "26",
            "--scope",
            "run_mean",
            "--quiet",
            "--no-charts",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let rows = comparison(&out);
    let vp = rows
        .iter()
        .find(|r| r[0] == "co-designed-cafe" && r[2] == "voice_parity" && r[3] == "all")
        .unwrap();
    let (diff, lo): (f64, f64) = (vp[8].parse().unwrap(), vp[9].parse().unwrap());
    // Pooled over all participants: the co-designed café's participants (newcomers and the
    // fluent local peers together) are heard more. Its newcomers alone are not (the local peers
    // take much of the talk): that is what the lenses are for, and why `all` is not a headline.
    assert!(
        diff > 0.0 && lo > 0.0,
        "all participants' voice parity difference {diff} [{lo}, ..]"
    );
    assert!(vp[11].parse::<f64>().unwrap() > 0.0, "positive effect size");
    assert_eq!(vp[4], "run_mean");
}

#[test]
fn compare_variants_and_adaptive_replication() {
    let tmp = scratch();
    let out = tmp.path().join("var");
    let assert = dugnad()
        .args([
            "compare",
            "scenarios/knitting-cafe.toml",
            "--variant",
            "cafe-codesign: activity.co_design=0.7, activity.facilitation=0.5",
        ])
        .args([
            "--weeks",
            "8",
            "--target-ci",
            "0.2",
            "--indicator",
            "mean_agency",
            "--batch",
            "5",
            "--max-replicates",
            "40",
        ])
        .args(["--quiet", "--no-charts", "-o"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("adaptive replication"), "{stdout}");
    let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    let needed = m["adaptive"]["replicates_needed"].as_u64().unwrap();
    assert_eq!(m["replicates"].as_u64().unwrap(), needed);
    assert!((5..=40).contains(&needed) && needed.is_multiple_of(5));
    assert!(stdout.contains(&format!("{needed} replicates")) || stdout.contains("stopped at"));
    let rows = comparison(&out);
    assert!(rows
        .iter()
        .any(|r| r[0] == "cafe-codesign" && r[1] == "knitting-cafe"));
    let n = rows
        .iter()
        .find(|r| r[0] == "cafe-codesign" && r[2] == "mean_agency" && r[3] == "newcomers")
        .unwrap()[12]
        .clone();
    assert_eq!(n, needed.to_string());
    // An unknown baseline or indicator is a usage error.
    dugnad()
        .args([
            "compare",
            "scenarios/knitting-cafe.toml",
            "--variant",
            "x: activity.co_design=0.7",
            "--baseline",
            "nope",
        ])
        .assert()
        .code(2);
    dugnad()
        .args([
            "compare",
            "scenarios/knitting-cafe.toml",
            "--variant",
            "x: activity.co_design=0.7",
        ])
        .args(["--target-ci", "0.1", "--indicator", "agencyy"])
        .assert()
        .code(2);
    dugnad()
        .args(["compare", "scenarios/knitting-cafe.toml"])
        .assert()
        .code(2);
}
