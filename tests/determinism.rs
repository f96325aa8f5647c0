//! Same scenario + same seed = byte-identical CSV, whatever the thread count.

mod common;

use common::{dugnad, scratch};

fn run(threads: &str, out: &std::path::Path, scenario: &str) {
    dugnad()
        .args([
            "run",
            scenario,
            "--replicates",
            "9",
            "--weeks",
            "20",
            "--quiet",
            "--no-charts",
            "--threads",
            threads,
        ])
        .args([
            "--keep-replicates",
            "--per-group",
            "--agents",
            "--snapshot-weeks",
            "10",
        ])
        .args(["--network", "graphml", "-o"])
        .arg(out)
        .assert()
        .success();
}

#[test]
fn one_two_and_three_threads_give_identical_bytes() {
    let tmp = scratch();
    for scenario in [
        "scenarios/knitting-cafe.toml",
        "scenarios/co-designed-cafe.toml",
        "scenarios/dugnad.toml",
    ] {
        let one = tmp.path().join("t1");
        run("1", &one, scenario);
        for threads in ["2", "3"] {
            let other = tmp.path().join(format!("t{threads}"));
            run(threads, &other, scenario);
            for f in [
                "timeseries.csv",
                "summary.csv",
                "final.csv",
                "replicates.csv",
                "groups.csv",
                "codebook.csv",
                "agents.csv",
                "ties.csv",
                "network-r0008-w0010.graphml",
                "network-r0004-w0020.graphml",
            ] {
                let x = std::fs::read(one.join(f)).unwrap();
                let y = std::fs::read(other.join(f)).unwrap();
                assert!(
                    x == y,
                    "{scenario}: {f} differs between 1 and {threads} threads"
                );
            }
            std::fs::remove_dir_all(&other).unwrap();
        }
        std::fs::remove_dir_all(&one).unwrap();
    }
}

#[test]
fn a_different_seed_gives_different_results() {
    let tmp = scratch();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let base = [
        "run",
        "scenarios/knitting-cafe.toml",
        "--replicates",
        "3",
        "--weeks",
        "5",
        "--quiet",
        "--no-charts",
    ];
    dugnad().args(base).arg("-o").arg(&a).assert().success();
    dugnad()
        .args(base)
        .args(["--seed", "7", "-o"])
        .arg(&b)
        .assert()
        .success();
    assert_ne!(
        std::fs::read(a.join("final.csv")).unwrap(),
        std::fs::read(b.join("final.csv")).unwrap()
    );
}
