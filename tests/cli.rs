//! Integration tests that drive the real binary on the bundled scenarios.

mod common;

use common::{bundled, dugnad, png_size, read, scratch, series, stderr_of, SMALL_RUN};

#[test]
fn every_bundled_scenario_checks_and_runs() {
    let tmp = scratch();
    for (name, file) in bundled() {
        let resolved = dugnad()
            .arg("check")
            .arg(&file)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let resolved = String::from_utf8(resolved).unwrap();
        assert!(
            resolved.contains("[parameters]"),
            "{name}: check prints every parameter"
        );
        let out = tmp.path().join(&name);
        dugnad()
            .arg("run")
            .arg(&file)
            .args(["--replicates", "3", "--weeks", "6", "--quiet", "-o"])
            .arg(&out)
            .assert()
            .success();
        // timeseries.csv, final.csv, manifest.json and report.html are read below.
        let summary = read(&out.join("summary.csv"));
        assert_eq!(
            summary.lines().count(),
            1 + 2 * series(&file, &[]),
            "{name}: summary.csv has a final-week and a run-mean row per indicator and lens"
        );
        assert!(
            summary.starts_with("scope,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n\n"),
            "{name}: summary.csv's header"
        );
        for chart in [
            "trajectories",
            "who-talks",
            "distributions",
            "retention",
            "agency-vs-minoritization",
        ] {
            let (width, height) = png_size(&out.join("charts").join(format!("{chart}.png")));
            assert!(
                width >= 800 && height >= 500,
                "{name}: {chart}.png is {width}x{height}"
            );
            let svg = read(&out.join("charts").join(format!("{chart}.svg")));
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{name}: {chart}.svg"
            );
        }
        let report = read(&out.join("report.html"));
        assert!(
            report.contains("<svg") && !report.contains("https://"),
            "{name}: report is self-contained"
        );
        let ts = read(&out.join("timeseries.csv"));
        let rows: Vec<&str> = ts.lines().collect();
        assert_eq!(
            rows[0],
            "week,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n"
        );
        assert_eq!(
            rows.len(),
            1 + 6 * series(&file, &[]),
            "{name}: one row per week, indicator and lens"
        );
        let fin = read(&out.join("final.csv"));
        assert_eq!(
            fin.lines().count(),
            1 + 3 * series(&file, &[]),
            "{name}: one final row per replicate, indicator and lens"
        );
        let manifest: serde_json::Value =
            serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
        assert_eq!(manifest["replicates"], 3);
        assert_eq!(manifest["weeks"], 6);
        assert_eq!(manifest["scenario"]["name"].as_str().unwrap(), name);
    }
}

#[test]
fn run_refuses_to_overwrite_without_force() {
    let tmp = scratch();
    let out = tmp.path().join("kc");
    let args = SMALL_RUN;
    dugnad().args(args).arg(&out).assert().success();
    let before = read(&out.join("timeseries.csv"));
    let a = dugnad().args(args).arg(&out).assert().code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(read(&out.join("timeseries.csv")), before);
    dugnad()
        .args(args)
        .arg(&out)
        .args(["--force", "--seed", "9"])
        .assert()
        .success();
    assert_ne!(
        read(&out.join("timeseries.csv")),
        before,
        "--force replaced the result"
    );
}

#[test]
fn keep_replicates_and_per_group_write_their_files() {
    let tmp = scratch();
    let out = tmp.path().join("m");
    dugnad()
        .args([
            "run",
            "scenarios/knitting-cafe.toml",
            "--replicates",
            "2",
            "--weeks",
            "4",
            "--quiet",
            "--no-charts",
        ])
        .args([
            "--keep-replicates",
            "--per-group",
            "--set",
            "activity.groups=3",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let reps = read(&out.join("replicates.csv"));
    let n = series(
        std::path::Path::new("scenarios/knitting-cafe.toml"),
        &["activity.groups=3"],
    );
    assert!(reps.starts_with("replicate,week,indicator,lens,value\n0,1,voice_share,newcomers,"));
    assert_eq!(reps.lines().count(), 1 + 2 * 4 * n);
    let groups = read(&out.join("groups.csv"));
    assert_eq!(groups.lines().count(), 1 + 3 * 4 * n);
}

#[test]
fn params_lists_every_parameter() {
    let out = dugnad()
        .args(["params", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        dugnad::model::params::PARAMS.len()
    );
}

#[test]
fn schema_is_json() {
    let out = dugnad()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v.get("properties").is_some() || v.get("$schema").is_some());
}
