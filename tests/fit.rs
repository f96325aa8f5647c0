//! Fitting the model to observed data (`dugnad fit`, docs/fitting.md): parameter recovery on
//! data dugnad simulated at known values; the fit folder resumes and refuses another fit; bad
//! observed data are refused with the file, line and column, exit 2 and nothing written; `run`
//! and `compare` draw their parameters from a finished fit's posterior. The ABC-SMC machinery
//! itself is checked against the conjugate normal case in `experiment::fit::smc`'s unit tests;
//! coverage over many synthetic data sets is `.ci/extra/fit-coverage.sh` (docs/fitting.md).

mod common;

use common::{csv_rows, dugnad, read, root, scratch};
use std::path::{Path, PathBuf};

/// The bundled pilot scenario, whose `[fit]` estimates `parameters.alpha1` and
/// `parameters.p0_attend`.
fn pilot() -> PathBuf {
    root().join("scenarios/pilot-cafe.toml")
}

/// The (indicator, lens) series the synthetic registers observe: the newcomers' attendance, how
/// often their floor is spoken for, and their share of the voice.
const OBSERVED: [(&str, &str); 3] = [
    ("attendance_rate", "newcomers"),
    ("spoken_for_rate", "newcomers"),
    ("voice_share", "newcomers"),
];

/// A synthetic pilot register: one replicate of the pilot (with `set` applied) simulated with
/// `seed`, written as observed data: each of [`OBSERVED`] averaged over weeks 1-26.
fn register(dir: &Path, seed: u64, set: &[&str]) -> PathBuf {
    let out = dir.join(format!("truth-{seed}"));
    let mut cmd = dugnad();
    cmd.arg("run")
        .arg(pilot())
        .args(["--quiet", "--no-charts", "--replicates", "1", "--seed"]);
    cmd.arg(seed.to_string()).arg("-o").arg(&out);
    for s in set {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
    let rows = csv_rows(&out.join("timeseries.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (ci, cl, cm) = (col("indicator"), col("lens"), col("mean"));
    let mut text = String::from("week,lens,indicator,value\n");
    for (name, lens) in OBSERVED {
        let v: Vec<f64> = rows[1..]
            .iter()
            .filter(|r| r[ci] == name && r[cl] == lens)
            .filter_map(|r| r[cm].parse::<f64>().ok())
            .collect();
        assert_eq!(v.len(), 26, "{name} of {lens}: one value per week");
        text.push_str(&format!(
            "1-26,{lens},{name},{}\n",
            v.iter().sum::<f64>() / v.len() as f64
        ));
    }
    let file = dir.join(format!("observed-{seed}.csv"));
    std::fs::write(&file, text).unwrap();
    file
}

/// Runs `dugnad fit` on the pilot with `data` into `out` with `extra` flags; returns stderr.
fn fit(data: &Path, out: &Path, extra: &[&str]) -> String {
    let o = dugnad()
        .arg("fit")
        .arg(pilot())
        .arg("--data")
        .arg(data)
        .arg("-o")
        .arg(out)
        .args(extra)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(o.stderr).unwrap()
}

/// `parameters.csv` as (parameter, q05, q95, narrowing).
fn intervals(dir: &Path) -> Vec<(String, f64, f64, f64)> {
    let rows = csv_rows(&dir.join("parameters.csv"));
    let col = |n: &str| rows[0].iter().position(|h| h == n).unwrap();
    // The prior column is quoted and holds commas: count the numeric columns from the end.
    let end = rows[0].len();
    let (q05, q95, nar) = (
        col("q05") as isize - end as isize,
        col("q95") as isize - end as isize,
        -1isize,
    );
    rows[1..]
        .iter()
        .map(|r| {
            let at = |k: isize| r[(r.len() as isize + k) as usize].parse::<f64>().unwrap();
            (r[0].clone(), at(q05), at(q95), at(nar))
        })
        .collect()
}

/// Data simulated by dugnad itself at alpha1 = 0.6 and p0_attend = 0.7 (a pilot in four cafés,
/// 26 weeks): the fit's 90 % credible intervals contain both true values and are at least 3×
/// narrower than the priors' central 90 %. The fit writes every file it promises, and the
/// manifest records its speed.
#[test]
fn a_fit_recovers_two_parameters_from_data_dugnad_simulated() {
    let dir = scratch();
    let groups = "activity.groups=4";
    let data = register(
        dir.path(),
        9,
        &[groups, "parameters.alpha1=0.6", "parameters.p0_attend=0.7"],
    );
    let out = dir.path().join("fit");
    let said = fit(
        &data,
        &out,
        &[
            "--set",
            groups,
            "--particles",
            "200",
            "--generations",
            "9",
            "--seed",
            "3",
        ],
    );
    eprintln!("{said}");
    let truth = [("parameters.alpha1", 0.6), ("parameters.p0_attend", 0.7)];
    let got = intervals(&out);
    assert_eq!(got.len(), 2);
    for ((name, lo, hi, narrowing), (path, value)) in got.iter().zip(truth) {
        assert_eq!(name, path);
        assert!(
            *lo <= value && value <= *hi,
            "{name}: 90 % interval [{lo}, {hi}] misses {value}"
        );
        assert!(
            *narrowing >= 3.0,
            "{name}: only {narrowing}× narrower than the prior"
        );
    }
    for f in [
        "posterior.csv",
        "fit.csv",
        "parameters.csv",
        "predictive.csv",
        "report.html",
        "manifest.json",
        "charts/pairs.svg",
        "charts/pairs.png",
        "charts/predictive.svg",
        "charts/predictive.png",
    ] {
        assert!(out.join(f).is_file(), "{f} is written");
    }
    let head = &csv_rows(&out.join("posterior.csv"))[0];
    assert_eq!(
        head,
        &[
            "generation",
            "particle",
            "weight",
            "distance",
            "parameters.alpha1",
            "parameters.p0_attend"
        ]
    );
    let gens = csv_rows(&out.join("fit.csv"));
    assert!(gens.len() >= 6, "at least 5 generations: {gens:?}");
    // Tolerances shrink from generation to generation.
    let eps: Vec<f64> = gens[2..].iter().map(|r| r[1].parse().unwrap()).collect();
    assert!(eps.windows(2).all(|w| w[1] < w[0]), "{eps:?}");
    let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert!(m["simulations_per_second"].as_f64().unwrap() > 0.0);
    assert_eq!(m["parameters"][0]["path"], "parameters.alpha1");
    let report = read(&out.join("report.html"));
    assert!(report.contains("parameters.p0_attend") && report.contains("<svg"));
    // `dugnad plot` redraws a fit's charts from its files.
    std::fs::remove_file(out.join("charts/pairs.svg")).unwrap();
    dugnad().arg("plot").arg(&out).assert().success();
    assert!(out.join("charts/pairs.svg").is_file());
}

/// A small fit: 40 particles, 3 generations, on the one-café pilot.
fn small_fit(dir: &Path) -> (PathBuf, PathBuf) {
    let data = register(dir, 5, &["parameters.alpha1=0.6"]);
    let out = dir.join("small");
    fit(
        &data,
        &out,
        &["--particles", "40", "--generations", "3", "--no-charts"],
    );
    (data, out)
}

/// Running the same fit again into its folder simulates nothing and gives the same posterior;
/// a different fit is refused (exit 2) and the folder left as it was; `--force` starts over.
#[test]
fn a_fit_resumes_from_its_folder_and_refuses_another() {
    let dir = scratch();
    let (data, out) = small_fit(dir.path());
    let before = read(&out.join("posterior.csv"));
    let again = fit(
        &data,
        &out,
        &["--particles", "40", "--generations", "3", "--no-charts"],
    );
    assert!(again.contains("(0 here"), "{again}");
    assert_eq!(read(&out.join("posterior.csv")), before);
    let e = dugnad()
        .arg("fit")
        .arg(pilot())
        .arg("--data")
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .args(["--particles", "50", "--generations", "3", "--no-charts"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let msg = String::from_utf8(e.stderr).unwrap();
    assert!(
        msg.contains("holds a different fit") && msg.contains("particles 40 vs 50"),
        "{msg}"
    );
    assert_eq!(read(&out.join("posterior.csv")), before);
    fit(
        &data,
        &out,
        &[
            "--particles",
            "50",
            "--generations",
            "2",
            "--no-charts",
            "--force",
        ],
    );
    assert_ne!(read(&out.join("posterior.csv")), before);
}

/// Observed data with an unknown indicator, a lens that does not exist or a week beyond the run
/// are refused with the file, line and column, exit 2, and no folder written; so is a scenario
/// without `[fit]`.
#[test]
fn bad_observed_data_are_refused_with_exit_2_and_nothing_written() {
    let dir = scratch();
    for (i, (text, words)) in [
        (
            "week,lens,indicator,value\n3,newcomers,attendence_rate,0.5\n",
            ":2: indicator: 'attendence_rate' is not an indicator; did you mean 'attendance_rate'?",
        ),
        (
            "week,lens,indicator,value\n3,everyone,attendance_rate,0.5\n",
            ":2: lens: 'everyone' is not a lens of attendance_rate in this scenario; its lenses: newcomers, local_participants, all",
        ),
        (
            "week,lens,indicator,value\n\n27,newcomers,attendance_rate,0.5\n",
            ":3: week: '27' is not a week of the run",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let data = dir.path().join(format!("bad-{i}.csv"));
        std::fs::write(&data, text).unwrap();
        let out = dir.path().join(format!("out-{i}"));
        let msg = fit_refused(&pilot(), &data, &out);
        assert!(msg.contains(&format!("bad-{i}.csv{words}")), "{msg}");
    }
    let data = dir.path().join("ok.csv");
    std::fs::write(
        &data,
        "week,lens,indicator,value\n3,newcomers,attendance_rate,0.5\n",
    )
    .unwrap();
    let out = dir.path().join("nofit");
    let msg = fit_refused(&root().join("scenarios/knitting-cafe.toml"), &data, &out);
    assert!(msg.contains("has no [fit] table"), "{msg}");
}

/// `dugnad fit SCENARIO --data DATA -o OUT`, which must be refused with exit 2 and write
/// nothing; its stderr.
fn fit_refused(
    scenario: &std::path::Path,
    data: &std::path::Path,
    out: &std::path::Path,
) -> String {
    let e = dugnad()
        .arg("fit")
        .arg(scenario)
        .arg("--data")
        .arg(data)
        .arg("-o")
        .arg(out)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(!out.exists(), "{} was written", out.display());
    String::from_utf8(e.stderr).unwrap()
}

/// `run --posterior` gives each replicate the values of a particle drawn by weight (draws.csv,
/// values from the posterior's last generation); `compare --posterior` gives replicate r of
/// every design the same draw, and refuses a design that sets a fitted value itself.
#[test]
fn run_and_compare_draw_their_parameters_from_a_posterior() {
    let dir = scratch();
    let (_, post) = small_fit(dir.path());
    let last: Vec<Vec<String>> = csv_rows(&post.join("posterior.csv"))
        .into_iter()
        .skip(1)
        .filter(|r| r[0] == "2")
        .collect();
    let run = dir.path().join("run");
    dugnad()
        .arg("run")
        .arg(pilot())
        .args([
            "--quiet",
            "--no-charts",
            "--replicates",
            "12",
            "--posterior",
        ])
        .arg(&post)
        .arg("-o")
        .arg(&run)
        .assert()
        .success();
    let draws = csv_rows(&run.join("draws.csv"));
    assert_eq!(
        draws[0],
        [
            "replicate",
            "particle",
            "parameters.alpha1",
            "parameters.p0_attend"
        ]
    );
    assert_eq!(draws.len(), 13);
    for d in &draws[1..] {
        let p: usize = d[1].parse().unwrap();
        assert_eq!(
            last[p][4].parse::<f64>().unwrap(),
            d[2].parse::<f64>().unwrap()
        );
    }
    let distinct: std::collections::BTreeSet<&String> = draws[1..].iter().map(|d| &d[1]).collect();
    assert!(distinct.len() > 3, "replicates draw different particles");
    let m: serde_json::Value = serde_json::from_str(&read(&run.join("manifest.json"))).unwrap();
    assert_eq!(m["posterior"]["paths"][1], "parameters.p0_attend");

    let cmp = dir.path().join("compare");
    dugnad()
        .arg("compare")
        .arg(pilot())
        .args([
            "--quiet",
            "--no-charts",
            "--replicates",
            "12",
            "--variant",
            "co-design: activity.co_design=0.6",
        ])
        .arg("--posterior")
        .arg(&post)
        .arg("-o")
        .arg(&cmp)
        .assert()
        .success();
    assert_eq!(read(&cmp.join("draws.csv")), read(&run.join("draws.csv")));
    let e = dugnad()
        .arg("compare")
        .arg(pilot())
        .args([
            "--quiet",
            "--no-charts",
            "--variant",
            "high: parameters.alpha1=1.0",
            "--posterior",
        ])
        .arg(&post)
        .arg("-o")
        .arg(dir.path().join("refused"))
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8(e.stderr)
        .unwrap()
        .contains("a value the posterior"));
}

/// Two shards of a fit run at the same time into one folder (as two Slurm array tasks on a
/// shared file system) give the posterior the unsharded fit gives.
#[test]
fn two_shards_in_one_folder_give_the_posterior_of_one_process() {
    let dir = scratch();
    let (data, whole) = small_fit(dir.path());
    let shared = dir.path().join("shared");
    let flags = [
        "--particles",
        "40",
        "--generations",
        "3",
        "--no-charts",
        "--quiet",
    ];
    let spawn = |shard: &str| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("dugnad"))
            .arg("fit")
            .arg(pilot())
            .arg("--data")
            .arg(&data)
            .arg("-o")
            .arg(&shared)
            .args(flags)
            .args(["--shard", shard])
            .spawn()
            .unwrap()
    };
    // The first creates the folder; the second joins it.
    let mut a = spawn("0/2");
    while !shared.join("fit.json").exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut b = spawn("1/2");
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    assert_eq!(
        read(&shared.join("posterior.csv")),
        read(&whole.join("posterior.csv"))
    );
    assert_eq!(read(&shared.join("fit.csv")), read(&whole.join("fit.csv")));
}
