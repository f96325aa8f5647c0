//! Hardening (issue 14), driven through the real binary: a bounded `--threads`, `--force` that
//! replaces only a folder dugnad wrote, simultaneous runs into one folder, interrupts that clean
//! up after themselves, stale temporary folders of dead runs, exact percentiles, and one number
//! writer for every CSV.

mod common;

use common::{csv_rows, dugnad, process, scratch, stderr_of as stderr};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A small, fast run of the knitting café into `out` (extra flags after).
const SMALL: &[&str] = common::SMALL_RUN;

/// Hidden entries of `dir` (temporary folders, locks).
fn hidden(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// 2. --threads
// ---------------------------------------------------------------------------------------------

#[test]
fn threads_above_the_cap_are_refused_before_any_work() {
    let tmp = scratch();
    let cap = dugnad::limits::max_threads();
    // 40 is above the cap of a machine with up to 9 cores (the cap is at least 16), and safe to
    // start if the cap were missing; 100000 is what the issue tried.
    let too_many: Vec<String> = [40.max(cap + 1), 100_000]
        .iter()
        .map(|n| n.to_string())
        .collect();
    for n in &too_many {
        let out = tmp.path().join(format!("t{n}"));
        let started = Instant::now();
        let a = dugnad()
            .args(SMALL)
            .arg(&out)
            .args(["--threads", n])
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(
            err.contains(n.as_str()) && err.contains(&cap.to_string()),
            "names the request and the cap: {err}"
        );
        assert!(!out.exists(), "nothing written");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "refused at once"
        );
    }
    // Every command that runs the model takes the same flag.
    let a = dugnad()
        .args([
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--vary",
            "activity.co_design=0,1",
            "--threads",
            "100000",
            "-o",
        ])
        .arg(tmp.path().join("s"))
        .assert()
        .code(2);
    assert!(stderr(&a).contains("100000"));
    dugnad()
        .args(SMALL)
        .arg(tmp.path().join("zero"))
        .args(["--threads", "0"])
        .assert()
        .code(2);
    // The cap itself is accepted.
    dugnad()
        .args(SMALL)
        .arg(tmp.path().join("ok"))
        .args(["--threads", &cap.to_string()])
        .assert()
        .success();
}

// ---------------------------------------------------------------------------------------------
// 3. --force replaces only dugnad's own folders
// ---------------------------------------------------------------------------------------------

/// A folder holding one file of the user's.
fn thesis(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let f = dir.join("thesis.txt");
    std::fs::write(&f, "three years of work\n").unwrap();
    f
}

fn refuses_foreign(args: &[&str], out: &Path) {
    let f = thesis(out);
    let a = dugnad().args(args).arg(out).arg("--force").assert().code(2);
    let err = stderr(&a);
    assert!(
        err.contains("thesis.txt") && err.contains(&out.display().to_string()),
        "{args:?}: names the folder and the foreign file: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "three years of work\n",
        "{args:?}"
    );
}

#[test]
fn force_never_deletes_a_folder_dugnad_did_not_write() {
    let tmp = scratch();
    let t = tmp.path();
    refuses_foreign(SMALL, &t.join("run"));
    refuses_foreign(
        &[
            "compare",
            "scenarios/knitting-cafe.toml",
            "scenarios/co-designed-cafe.toml",
            "--replicates",
            "2",
            "--weeks",
            "3",
            "--quiet",
            "--no-charts",
            "-o",
        ],
        &t.join("compare"),
    );
    let sweep = [
        "sweep",
        "scenarios/knitting-cafe.toml",
        "--vary",
        "activity.co_design=0,1",
        "--replicates",
        "2",
        "--weeks",
        "3",
        "--quiet",
        "--no-charts",
        "-o",
    ];
    refuses_foreign(&sweep, &t.join("sweep"));
    refuses_foreign(
        &[
            "sensitivity",
            "scenarios/knitting-cafe.toml",
            "--range",
            "activity.co_design=0:1",
            "--trajectories",
            "2",
            "--replicates",
            "2",
            "--weeks",
            "3",
            "--quiet",
            "--no-charts",
            "-o",
        ],
        &t.join("sensitivity"),
    );
    // merge: a finished sweep merged into a foreign folder.
    let done = t.join("done");
    dugnad().args(sweep).arg(&done).assert().success();
    let f = thesis(&t.join("merged"));
    let a = dugnad()
        .arg("merge")
        .arg(&done)
        .arg("-o")
        .arg(t.join("merged"))
        .args(["--force", "--quiet", "--no-charts"])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("thesis.txt"), "{}", stderr(&a));
    assert_eq!(
        common::read(&f),
        "three years of work\n",
        "merge left it alone"
    );

    // A dugnad folder to which the user added a file is not replaced either.
    let run = t.join("mine");
    dugnad().args(SMALL).arg(&run).assert().success();
    std::fs::write(run.join("notes.txt"), "my notes").unwrap();
    let a = dugnad()
        .args(SMALL)
        .arg(&run)
        .arg("--force")
        .assert()
        .code(2);
    assert!(stderr(&a).contains("notes.txt"), "{}", stderr(&a));
    assert_eq!(common::read(&run.join("notes.txt")), "my notes");
    std::fs::remove_file(run.join("notes.txt")).unwrap();
    // ... but dugnad's own folder is, and so is a swept folder with --force.
    dugnad()
        .args(SMALL)
        .arg(&run)
        .args(["--force", "--seed", "5"])
        .assert()
        .success();
    dugnad()
        .args(sweep)
        .arg(&done)
        .args(["--force", "--seed", "5"])
        .assert()
        .success();
    // An empty folder is written into, without --force.
    let empty = t.join("empty");
    std::fs::create_dir(&empty).unwrap();
    dugnad().args(SMALL).arg(&empty).assert().success();
    assert!(
        common::read(&empty.join("final.csv")).starts_with("replicate,indicator,lens,value\n"),
        "the run's result is in the empty folder"
    );
    assert_eq!(hidden(t), Vec::<String>::new(), "nothing left beside them");
}

// ---------------------------------------------------------------------------------------------
// 4. Simultaneous runs into one folder
// ---------------------------------------------------------------------------------------------

#[test]
fn simultaneous_force_runs_never_mix_a_folder() {
    let tmp = scratch();
    let out = tmp.path().join("p");
    // The final.csv every seed gives, to recognise a mixed folder.
    let mut expected = std::collections::BTreeMap::new();
    for seed in 1..=8u64 {
        let o = tmp.path().join(format!("ref{seed}"));
        dugnad()
            .args(SMALL)
            .arg(&o)
            .args(["--seed", &seed.to_string()])
            .assert()
            .success();
        expected.insert(seed, std::fs::read(o.join("final.csv")).unwrap());
        std::fs::remove_dir_all(&o).unwrap();
    }
    let mut refused = 0;
    for round in 0..10 {
        let children: Vec<_> = (1..=8u64)
            .map(|seed| {
                process()
                    .args(SMALL)
                    .arg(&out)
                    .args(["--force", "--seed", &seed.to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr).to_string();
            assert!(
                !err.contains("not empty") && !err.contains("panicked"),
                "round {round}: {err}"
            );
            match o.status.code() {
                Some(0) => {}
                Some(2) => {
                    assert!(err.contains("another dugnad"), "round {round}: {err}");
                    refused += 1;
                }
                other => panic!("round {round}: exit {other:?}: {err}"),
            }
        }
        // The folder is whole and from one run.
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        let seed = m["seed"].as_u64().unwrap();
        assert_eq!(
            std::fs::read(out.join("final.csv")).unwrap(),
            expected[&seed],
            "round {round}: final.csv is seed {seed}'s"
        );
        assert_eq!(hidden(tmp.path()), Vec::<String>::new(), "round {round}");
    }
    eprintln!("{refused} of 80 runs were refused because another run held the folder");
}

// ---------------------------------------------------------------------------------------------
// 5. Interrupts and stale temporary folders
// ---------------------------------------------------------------------------------------------

/// A run that takes a few seconds, into `out`.
fn slow_run(out: &Path) -> std::process::Child {
    process()
        .args([
            "run",
            "scenarios/bench.toml",
            "--replicates",
            "400",
            "--weeks",
            "52",
            "--threads",
            "1",
            "--quiet",
            "--no-charts",
            "-o",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the run has created its temporary folder beside `out`.
fn wait_for_temporary(out: &Path) {
    let parent = out.parent().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while hidden(parent).iter().all(|n| !n.contains(".tmp-")) {
        assert!(Instant::now() < deadline, "no temporary folder appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Into the simulation proper.
    std::thread::sleep(Duration::from_millis(200));
}

fn signal(child: &std::process::Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig}");
}

#[test]
fn an_interrupted_run_removes_its_temporary_folder() {
    for (sig, code) in [("-INT", 130), ("-TERM", 143)] {
        let tmp = scratch();
        let out = tmp.path().join("p");
        let child = slow_run(&out);
        wait_for_temporary(&out);
        signal(&child, sig);
        let o = child.wait_with_output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(code),
            "kill {sig}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!out.exists(), "no result");
        assert_eq!(hidden(tmp.path()), Vec::<String>::new(), "kill {sig}");
    }
}

#[test]
fn stale_temporary_folders_of_dead_runs_are_removed_by_the_next_run() {
    let tmp = scratch();
    let out = tmp.path().join("p");
    let child = slow_run(&out);
    wait_for_temporary(&out);
    signal(&child, "-KILL");
    let _ = child.wait_with_output();
    let left = hidden(tmp.path());
    let stale: Vec<&String> = left.iter().filter(|n| n.contains(".tmp-")).collect();
    assert_eq!(
        stale.len(),
        1,
        "kill -9 leaves its temporary folder: {left:?}"
    );
    let marker = tmp
        .path()
        .join(stale[0])
        .join(dugnad::output::atomic::MARKER);
    let text = std::fs::read_to_string(&marker).expect("dugnad's marker");
    // Look-alikes the next run must leave alone: one without the marker, one of a live process.
    let unmarked = tmp.path().join(".q.tmp-1-0");
    std::fs::create_dir(&unmarked).unwrap();
    std::fs::write(unmarked.join("x.csv"), "1").unwrap();
    let live = tmp.path().join(format!(".r.tmp-{}-0", std::process::id()));
    std::fs::create_dir(&live).unwrap();
    let mine: String = text
        .lines()
        .map(|l| {
            if l.starts_with("pid=") {
                format!("pid={}\n", std::process::id())
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(live.join(dugnad::output::atomic::MARKER), mine).unwrap();

    // The next run into the same parent (another name) removes the dead run's folder only.
    dugnad()
        .args(SMALL)
        .arg(tmp.path().join("next"))
        .assert()
        .success();
    let after = hidden(tmp.path());
    assert_eq!(
        after,
        vec![
            ".q.tmp-1-0".to_string(),
            format!(".r.tmp-{}-0", std::process::id())
        ],
        "the dead run's folder is gone, the look-alikes stay"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Percentiles
// ---------------------------------------------------------------------------------------------

/// Type-7 quantile of the defined values.
fn exact(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let i = h.floor() as usize;
    if i + 1 >= v.len() {
        v[i]
    } else {
        v[i] + (h - i as f64) * (v[i + 1] - v[i])
    }
}

/// A CSV file's header and rows.
fn csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rows = csv_rows(path);
    let head = rows.remove(0);
    (head, rows)
}

#[test]
fn percentiles_are_exact_order_statistics() {
    let tmp = scratch();
    let out = tmp.path().join("p");
    dugnad()
        .args([
            "run",
            "scenarios/knitting-cafe.toml",
            "--replicates",
            "30",
            "--weeks",
            "10",
            "--quiet",
            "--no-charts",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let (head, finals) = csv(&out.join("final.csv"));
    assert_eq!(head, ["replicate", "indicator", "lens", "value"]);
    let (_, summary) = csv(&out.join("summary.csv"));
    let (_, series) = csv(&out.join("timeseries.csv"));
    // Each (indicator, lens) series of final.csv: its values across replicates.
    let mut by_series: Vec<((String, String), Vec<f64>)> = Vec::new();
    for r in &finals {
        let key = (r[1].clone(), r[2].clone());
        let at = match by_series.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                by_series.push((key, Vec::new()));
                by_series.len() - 1
            }
        };
        if r[3] != "NA" {
            by_series[at].1.push(r[3].parse().unwrap());
        }
    }
    let mut checked = 0;
    for ((name, lens), values) in by_series {
        if values.len() < 2 {
            continue;
        }
        let (p05, p95) = (exact(values.clone(), 0.05), exact(values, 0.95));
        // final.csv holds values rounded to 6 decimals, so the interpolation may differ by 1e-6.
        let near =
            |written: &str, want: f64| (written.parse::<f64>().unwrap() - want).abs() <= 1.5e-6;
        let row = summary
            .iter()
            .find(|r| r[0] == "final_week" && r[1] == name && r[2] == lens)
            .unwrap();
        assert!(
            near(&row[7], p05) && near(&row[8], p95),
            "{name} ({lens}): written p05/p95 {}/{} vs exact {p05}/{p95}",
            row[7],
            row[8]
        );
        let last = series
            .iter()
            .find(|r| r[0] == "10" && r[1] == name && r[2] == lens)
            .unwrap();
        assert_eq!(
            (&last[7], &last[8]),
            (&row[7], &row[8]),
            "{name} ({lens}): the weekly series equals the final week's"
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked} indicators checked");
}

// ---------------------------------------------------------------------------------------------
// 7. One number writer: every number in every CSV has at most 6 decimals (or is NA)
// ---------------------------------------------------------------------------------------------

/// Every CSV file below `dir`, at any depth.
fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for f in common::files_in(dir) {
        if f.is_dir() {
            csv_files(&f, out);
        } else if f.extension().is_some_and(|e| e == "csv") {
            out.push(f);
        }
    }
}

/// Fields of every CSV below `dir` that look like numbers with more than 6 decimals, and the
/// number of CSV files read.
fn long_numbers(dir: &Path) -> (Vec<String>, usize) {
    let mut bad = Vec::new();
    let mut files = Vec::new();
    csv_files(dir, &mut files);
    for f in &files {
        for (r, row) in csv_rows(f).iter().enumerate() {
            for field in row {
                let looks_numeric = field.parse::<f64>().is_ok() && !field.contains(['e', 'E']);
                let decimals = field.split_once('.').map_or(0, |(_, d)| d.len());
                if (looks_numeric && decimals > 6)
                    || field.contains(['e', 'E']) && field.parse::<f64>().is_ok()
                {
                    bad.push(format!("{}:{}: {field}", f.display(), r + 1));
                }
            }
        }
    }
    (bad, files.len())
}

#[test]
fn every_number_in_every_csv_has_at_most_six_decimals() {
    let tmp = scratch();
    let t = tmp.path();
    let small = [
        "--replicates",
        "3",
        "--weeks",
        "4",
        "--quiet",
        "--no-charts",
    ];
    let run = |args: &[&str], out: &str| {
        dugnad()
            .args(args)
            .args(small)
            .arg("-o")
            .arg(t.join(out))
            .assert()
            .success();
    };
    run(
        &[
            "run",
            "scenarios/dugnad.toml",
            "--per-group",
            "--keep-replicates",
        ],
        "run",
    );
    run(
        &[
            "compare",
            "scenarios/knitting-cafe.toml",
            "scenarios/co-designed-cafe.toml",
        ],
        "compare",
    );
    run(
        &[
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--vary",
            "parameters.alpha1=0.0105,0.3",
        ],
        "sweep",
    );
    // Sobol points inside these ranges are not exact binary fractions: points.csv wrote
    // co_design 0.1 + 0.45·(0.7 − 0.1) as 0.5499999999999999.
    run(
        &[
            "sensitivity",
            "scenarios/knitting-cafe.toml",
            "--method",
            "sobol",
            "--samples",
            "4",
            "--range",
            "parameters.alpha1=0:0.021",
            "--range",
            "activity.co_design=0.1:0.7",
        ],
        "sensitivity",
    );
    let (bad, files) = long_numbers(t);
    // run: 5 files; compare: 1; sweep: 1 + 2 cells; sensitivity: 4 + its cells.
    assert!(files >= 14, "only {files} CSV files were read");
    assert!(
        bad.is_empty(),
        "numbers not written by the one writer:\n{}",
        bad.join("\n")
    );
}
