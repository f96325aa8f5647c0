//! Integration tests of `dugnad sensitivity`, driving the real binary on tiny designs.

mod common;

use common::{dugnad, read, scratch};
use dugnad::metrics::indicators::{key_indicators, View};
use std::path::Path;

/// Two factors on the knitting café (pathway = false): `parameters.alpha1` (usurping) and
/// `parameters.theta_l` (the step-up logit's language weight). Without a pathway the invitation
/// probability is 0, so θ_L is never used, and under common random numbers every indicator is
/// exactly the same whatever its value.
const FACTORS: &[&str] = &[
    "--range",
    "parameters.alpha1=0:2",
    "--range",
    "parameters.theta_l=3:5",
];
const SMALL: &[&str] = &["--replicates", "3", "--weeks", "6", "--quiet"];

fn sensitivity(method: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    dugnad()
        .args(["sensitivity", "scenarios/knitting-cafe.toml"])
        .args(method)
        .args(FACTORS)
        .args(SMALL)
        .arg("-o")
        .arg(out)
        .assert()
}

/// The indicators analysed when none is named.
fn defaults() -> Vec<&'static str> {
    key_indicators(View::Sensitivity)
}

/// `(factor, indicator, statistic) → value` of a sensitivity.csv.
fn rows(csv: &str) -> Vec<(String, String, String, String)> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "factor,indicator,lens,method,statistic,value,ci_low,ci_high"
    );
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!(c.len(), 8, "{l}");
            let lens = dugnad::metrics::indicator(c[1])
                .map(dugnad::metrics::indicators::headline_lens)
                .unwrap_or_else(|| panic!("{l}: unknown indicator"));
            assert_eq!(c[2], lens, "{l}: the default lens is the headline lens");
            (
                c[0].to_string(),
                c[1].to_string(),
                c[4].to_string(),
                c[5].to_string(),
            )
        })
        .collect()
}

fn value<'a>(rows: &'a [(String, String, String, String)], f: &str, i: &str, s: &str) -> &'a str {
    &rows
        .iter()
        .find(|r| r.0 == f && r.1 == i && r.2 == s)
        .unwrap_or_else(|| panic!("{f} {i} {s} missing"))
        .3
}

#[test]
fn morris_writes_every_file_finds_the_inert_factor_and_resumes_identically() {
    let tmp = scratch();
    let out = tmp.path().join("m");
    let morris = ["--method", "morris", "--trajectories", "4", "--levels", "4"];
    sensitivity(&morris, &out).success();
    for f in [
        "sensitivity.csv",
        "noise.csv",
        "points.csv",
        "report.html",
        "manifest.json",
        "sweep.json",
    ] {
        assert!(out.join(f).is_file(), "{f} exists");
    }
    assert!(out
        .join("charts/sensitivity-mean_agency-newcomers.png")
        .is_file());
    let first = read(&out.join("sensitivity.csv"));
    let r = rows(&first);
    for f in ["parameters.alpha1", "parameters.theta_l"] {
        for i in defaults() {
            for s in ["mu_star", "mu", "sigma"] {
                value(&r, f, i, s);
            }
            if f == "parameters.theta_l" {
                assert_eq!(value(&r, f, i, "mu_star"), "0", "θ_L cannot change {i}");
            }
        }
    }
    assert_ne!(
        value(&r, "parameters.alpha1", "voice_parity", "mu_star"),
        "0",
        "usurping matters for voice"
    );
    let noise = read(&out.join("noise.csv"));
    assert_eq!(noise.lines().count(), 1 + defaults().len());
    // One row per point and analysed (indicator, lens).
    assert_eq!(
        read(&out.join("points.csv")).lines().count(),
        1 + 4 * 3 * defaults().len()
    );
    let report = read(&out.join("report.html"));
    assert!(
        report.contains("has the largest mean effect on voice_parity"),
        "plain-language ranking"
    );

    // Crash simulation: lose some committed points, rerun: only they run again, same bytes.
    for c in [1, 5, 6] {
        std::fs::remove_file(out.join(format!("cells/cell-{c:06}.csv"))).unwrap();
        std::fs::remove_file(out.join(format!("cells/cell-{c:06}-replicates.csv"))).unwrap();
    }
    std::fs::remove_file(out.join("sensitivity.csv")).unwrap();
    sensitivity(&morris, &out).success();
    assert_eq!(
        read(&out.join("sensitivity.csv")),
        first,
        "resumed run is byte-identical"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["points_run"], 3);
    assert_eq!(manifest["complete"], true);

    // Shards of the same design, merged, analyse to the same bytes.
    let (s0, s1, merged) = (
        tmp.path().join("s0"),
        tmp.path().join("s1"),
        tmp.path().join("merged"),
    );
    let mut sharded: Vec<&str> = morris.to_vec();
    sharded.extend(["--shard", "0/2"]);
    sensitivity(&sharded, &s0).success();
    assert!(
        !s0.join("sensitivity.csv").exists(),
        "an incomplete shard is not analysed"
    );
    let last = sharded.len() - 1;
    sharded[last] = "1/2";
    sensitivity(&sharded, &s1).success();
    dugnad()
        .arg("merge")
        .arg(&s0)
        .arg(&s1)
        .arg("-o")
        .arg(&merged)
        .args(["--no-charts", "--quiet"])
        .assert()
        .success();
    sensitivity(&morris, &merged).success();
    assert_eq!(
        read(&merged.join("sensitivity.csv")),
        first,
        "shards + merge = one run"
    );
}

#[test]
fn sobol_reports_s1_st_and_their_sum_for_every_factor_and_indicator() {
    let tmp = scratch();
    let out = tmp.path().join("s");
    sensitivity(&["--method", "sobol", "--samples", "8"], &out).success();
    let r = rows(&read(&out.join("sensitivity.csv")));
    for i in defaults() {
        for f in ["parameters.alpha1", "parameters.theta_l"] {
            for s in ["S1", "ST", "S1_noise_corrected", "ST_noise_corrected"] {
                value(&r, f, i, s);
            }
        }
        value(&r, "(all)", i, "sum_S1");
    }
    assert_eq!(value(&r, "parameters.theta_l", "voice_parity", "ST"), "0");
    assert!(r.iter().all(|x| x.2 != "mu_star"));
    assert_eq!(
        read(&out.join("points.csv")).lines().count(),
        1 + 8 * 4 * defaults().len()
    );
}

#[test]
fn bad_factors_are_usage_errors() {
    let tmp = scratch();
    dugnad()
        .args([
            "sensitivity",
            "scenarios/knitting-cafe.toml",
            "--quiet",
            "-o",
        ])
        .arg(tmp.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--range"));
    dugnad()
        .args([
            "sensitivity",
            "scenarios/knitting-cafe.toml",
            "--range",
            "parameters.alpha1=0:2",
            "--indicator",
            "nope",
            "-o",
        ])
        .arg(tmp.path().join("y"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not an indicator"));
}

#[test]
fn the_help_names_the_default_indicators() {
    let help = common::stdout(&["sensitivity", "--help"]);
    let flat: String = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!("default: {})", defaults().join(", "))),
        "{flat}"
    );
}
