//! Designs that change over time (`[[schedule]]`, `--at`): a change leaves every week before
//! it byte-identical (common random numbers) and moves the indicators after it; cohorts arrive
//! in closed places and leaving places stay closed; a mechanism switched off from a week on acts
//! only from then; bad schedules are refused with the file, the line and the key, exit code 2
//! and nothing written; charts, report and manifest show the schedule.

mod common;

use common::{csv_rows, dugnad, read, scratch};
use dugnad::mechanisms::events::{Event, EventLog};
use dugnad::model::group::Design;
use dugnad::scenario::load_str;
use dugnad::sim::engine::GroupRun;
use dugnad::stats::paired_difference;
use std::path::Path;

/// A café whose participants have little say, run for 40 weeks.
const CAFE: &str = r#"[scenario]
name = "sched-cafe"
weeks = 40
replicates = 24
seed = 11

[activity]
groups = 2
service_frame = 0.8
co_design = 0.0
turns_per_meeting = 60

[population.volunteers]
role = "volunteer"
count = 3

[population.newcomers]
role = "participant"
count = 6
origin = "syria"
"#;

/// Runs `dugnad run` on `file` with `extra` flags into `out`, keeping every replicate's series.
fn run(file: &Path, out: &Path, extra: &[&str]) {
    dugnad()
        .arg("run")
        .arg(file)
        .args(["--quiet", "--no-charts", "--keep-replicates", "-o"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn a_change_leaves_the_weeks_before_it_byte_identical_and_moves_the_indicator_after() {
    let dir = scratch();
    let file = dir.path().join("cafe.toml");
    std::fs::write(&file, CAFE).unwrap();
    let (never, from21) = (dir.path().join("never"), dir.path().join("from21"));
    run(&file, &never, &[]);
    run(&file, &from21, &["--at", "21:activity.co_design=1.0"]);
    let a = csv_rows(&never.join("replicates.csv"));
    let b = csv_rows(&from21.join("replicates.csv"));
    assert_eq!(a[0], b[0], "same columns");
    assert_eq!(a.len(), b.len());
    // replicates.csv: replicate,week,indicator,lens,value, one row per series and week.
    let col = |n: &str| a[0].iter().position(|c| c == n).unwrap();
    let (week, indicator, lens, value) = (col("week"), col("indicator"), col("lens"), col("value"));
    let mut differs_before = 0;
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (ra, rb) in a[1..].iter().zip(&b[1..]) {
        let w: u32 = ra[week].parse().unwrap();
        if w < 21 {
            differs_before += (ra != rb) as u32;
        } else if ra[indicator] == "proposals_adopted_share" && ra[lens] == "newcomers" {
            if let (Ok(p), Ok(q)) = (ra[value].parse::<f64>(), rb[value].parse::<f64>()) {
                x.push(q);
                y.push(p);
            }
        }
    }
    assert!(
        x.len() > 100,
        "the newcomers' adopted share after the change"
    );
    assert_eq!(differs_before, 0, "rows of weeks 1–20 are byte-identical");
    // From week 21 the participants set the agenda: their share of adopted proposals rises.
    let d = paired_difference(&x, &y);
    assert!(
        d.ci_low > 0.05,
        "proposals adopted rise after the change: {} [{}, {}]",
        d.mean_diff,
        d.ci_low,
        d.ci_high
    );
}

/// A mechanism switched off from a week on (`--at 21:mechanisms.status_usurping=false`): the
/// weeks before are byte-identical, and after it the newcomers' floor is spoken for less often.
#[test]
fn a_mechanism_switched_off_from_a_week_on_acts_only_from_then() {
    let dir = scratch();
    let file = dir.path().join("cafe.toml");
    std::fs::write(&file, CAFE).unwrap();
    let (on, off) = (dir.path().join("on"), dir.path().join("off"));
    run(&file, &on, &[]);
    run(
        &file,
        &off,
        &["--at", "21:mechanisms.status_usurping=false"],
    );
    let a = csv_rows(&on.join("replicates.csv"));
    let b = csv_rows(&off.join("replicates.csv"));
    let col = |n: &str| a[0].iter().position(|c| c == n).unwrap();
    let (week, indicator, lens, value) = (col("week"), col("indicator"), col("lens"), col("value"));
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (ra, rb) in a[1..].iter().zip(&b[1..]) {
        let w: u32 = ra[week].parse().unwrap();
        if w < 21 {
            assert_eq!(ra, rb, "week {w} is the same");
        } else if ra[indicator] == "spoken_for_rate" && ra[lens] == "newcomers" {
            if let (Ok(p), Ok(q)) = (ra[value].parse::<f64>(), rb[value].parse::<f64>()) {
                x.push(q);
                y.push(p);
            }
        }
    }
    let d = paired_difference(&x, &y);
    assert!(
        d.ci_high < 0.0,
        "spoken for less often without the status gap: {} [{}, {}]",
        d.mean_diff,
        d.ci_low,
        d.ci_high
    );
}

/// `compare` takes two designs that differ only in their schedule ("co-design from week 21"
/// vs "never", the schedule added by a variant): over the run the participants' share of
/// adopted proposals is higher with the switch, and the manifest records the variant's schedule.
#[test]
fn compare_takes_designs_that_differ_only_in_their_schedule() {
    let dir = scratch();
    let file = dir.path().join("cafe.toml");
    std::fs::write(&file, CAFE).unwrap();
    let out = dir.path().join("cmp");
    dugnad()
        .arg("compare")
        .arg(&file)
        .args([
            "--quiet",
            "--no-charts",
            "--replicates",
            "24",
            "--scope",
            "run_mean",
            "--variant",
        ])
        .arg("from21: schedule.0.week=21, schedule.0.set.activity.co_design=1.0")
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let rows = csv_rows(&out.join("comparison.csv"));
    let col = |n: &str| rows[0].iter().position(|c| c == n).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("design")] == "from21" && r[col("indicator")] == "proposals_adopted_share")
        .expect("the variant is compared");
    let low: f64 = row[col("diff_ci_low")].parse().unwrap();
    assert!(
        low > 0.0,
        "adopted proposals rise after the switch: {row:?}"
    );
    assert!(read(&out.join("manifest.json")).contains("schedule.0.set.activity.co_design=1.0"));
}

#[test]
fn cohorts_arrive_in_closed_places_and_closed_places_stay_closed() {
    let text = format!(
        "{CAFE}\n[[schedule]]\nweek = 10\narrive = {{ population = \"newcomers\", count = 4 }}\n\n\
         [[schedule]]\nweek = 20\nleave = {{ population = \"volunteers\", count = 2 }}\nrecruiting = false\n"
    );
    let s = load_str(&text, "cafe.toml", &[]).unwrap();
    let designs = Design::compile_all(&s);
    let d = &designs[0];
    assert_eq!((d.initial_slots, d.slots.len()), (9, 13));
    assert_eq!(d.switches.len(), 2);
    assert_eq!(d.switches[0].arrive, vec![9, 10, 11, 12]);
    assert!(d.switches[0].design.recruiting && !d.switches[1].design.recruiting);
    for replicate in 0..6 {
        let mut g = GroupRun::new(d, s.seed, replicate, 0);
        for slot in 9..13 {
            assert!(g.group.persons[slot].closed && !g.group.persons[slot].active);
        }
        let mut log = EventLog::default();
        for week in 1..=40 {
            log.0.clear();
            g.step(&mut log);
            let joined: Vec<usize> = log
                .0
                .iter()
                .filter_map(|e| match e {
                    Event::Joined { person } => Some(*person),
                    _ => None,
                })
                .collect();
            let volunteer_places = g
                .group
                .persons
                .iter()
                .filter(|p| p.population == 1 && !p.closed)
                .count();
            if week < 10 {
                assert!(joined.iter().all(|&i| i < 9), "no arrival before week 10");
            }
            if week == 10 {
                for slot in 9..13 {
                    assert!(joined.contains(&slot), "slot {slot} arrives in week 10");
                    assert!(!g.group.persons[slot].closed);
                }
            }
            if week >= 20 {
                assert_eq!(
                    volunteer_places, 1,
                    "two volunteer places closed in week 20"
                );
                assert!(
                    week == 20 || joined.is_empty(),
                    "nobody is recruited once recruiting stops (week {week}: {joined:?})"
                );
            } else {
                assert_eq!(volunteer_places, 3);
            }
        }
    }
}

#[test]
fn design_quantities_are_compiled_once_per_change() {
    let text = format!(
        "{CAFE}\n[[schedule]]\nweek = 5\nset = {{ \"activity.co_design\" = 0.9, \"activity.service_frame\" = 0.1 }}\n\n\
         [[schedule]]\nweek = 5\nset = {{ \"parameters.alpha1\" = 0.2 }}\n"
    );
    let s = load_str(&text, "cafe.toml", &[]).unwrap();
    let d = &Design::compile_all(&s)[0];
    assert_eq!(
        d.switches.len(),
        1,
        "two entries of one week make one switch"
    );
    let later = &d.switches[0].design;
    assert!(later.equal_status > d.equal_status + 0.5);
    assert_eq!(later.params.alpha1, 0.2);
    assert!(later.usurp_gap < d.usurp_gap);
    assert!(std::ptr::eq(d.at_week(4), d));
    assert!(std::ptr::eq(d.at_week(5), later));
    assert!(later.switches.is_empty());
}

/// `dugnad run FILE` must fail with exit code 2, say `FILE:LINE: KEY:`, and leave no folder.
fn refused(schedule: &str, line: Option<usize>, key: &str, words: &str) {
    let dir = scratch();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, format!("{CAFE}{schedule}")).unwrap();
    let out = dir.path().join("out");
    let o = dugnad()
        .arg("run")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{schedule}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let at = match line {
        Some(l) => format!("{}:{l}: {key}:", file.display()),
        None => format!("{}: {key}:", file.display()),
    };
    assert!(
        stderr.contains(&at),
        "{schedule}: expected '{at}' in: {stderr}"
    );
    assert!(
        stderr.contains(words),
        "{schedule}: expected '{words}' in: {stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn bad_schedules_are_refused_with_file_line_and_key() {
    // CAFE has 20 lines; the first entry's header below is on line 22, its keys from line 23.
    refused(
        "\n[[schedule]]\nweek = 52\nset = { \"activity.co_design\" = 0.6 }\n",
        Some(23),
        "schedule.0.week",
        "beyond the run",
    );
    refused(
        "\n[[schedule]]\nweek = 20\nset = { \"activity.codesign\" = 0.6 }\n",
        Some(24),
        "schedule.0.set.activity.codesign",
        "did you mean 'co_design'",
    );
    refused(
        "\n[[schedule]]\nweek = 20\nset = { \"parameters.alpha1\" = -1 }\n",
        Some(24),
        "schedule.0.set.parameters.alpha1",
        "must be a number in [0, 10] (got -1)",
    );
    refused(
        "\n[[schedule]]\nweek = 20\nset = { \"activity.co_design\" = 0.6 }\n\n\
         [[schedule]]\nweek = 20\nset = { \"activity.co_design\" = 0.8 }\n",
        Some(28),
        "schedule.1.set.activity.co_design",
        "two entries may not set the same path in the same week",
    );
    refused(
        "\n[[schedule]]\nweek = 20\nleave = { population = \"volunteers\", count = 5 }\n",
        Some(24),
        "schedule.0.leave.count",
        "at most that many can leave",
    );
    // The lenses a run reports hold for the whole run.
    refused(
        "\n[[schedule]]\nweek = 20\nset = { \"output.by\" = [\"origin\"] }\n",
        Some(24),
        "schedule.0.set.output.by",
        "what results are broken down by holds for the whole run",
    );
    refused(
        "\n[[schedule]]\nweek = 20\nset = { \"population.newcomers.attributes.gender\" = \"woman\" }\n",
        Some(24),
        "schedule.0.set.population.newcomers.attributes.gender",
        "persons' attributes, and the lenses they give, hold for the whole run",
    );
    // From the command line: no line, and the message says where the value came from.
    let dir = scratch();
    let file = dir.path().join("cafe.toml");
    std::fs::write(&file, CAFE).unwrap();
    let o = dugnad()
        .arg("run")
        .arg(&file)
        .args(["--at", "20:activity.facilitation=2", "-o"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(": schedule.0.set.activity.facilitation: must be a probability")
            && stderr.contains("--at"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn charts_report_manifest_and_check_show_the_schedule() {
    let dir = scratch();
    let file = dir.path().join("cafe.toml");
    std::fs::write(
        &file,
        format!(
            "{CAFE}\n[[schedule]]\nweek = 21\nset = {{ \"activity.co_design\" = 0.6 }}\nlabel = \"co-design starts\"\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    dugnad()
        .arg("run")
        .arg(&file)
        .args(["--quiet", "--replicates", "2", "-o"])
        .arg(&out)
        .assert()
        .success();
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["scenario"]["schedule"][0]["week"], 21);
    assert_eq!(
        manifest["scenario"]["schedule"][0]["label"],
        "co-design starts"
    );
    let svg = read(&out.join("charts/indicator-mean_agency-newcomers.svg"));
    assert!(
        svg.contains("wk 21: co-design starts"),
        "the chart labels the change"
    );
    let sheet = read(&out.join("charts/trajectories.svg"));
    assert!(sheet.contains("wk 21") && sheet.contains("a scheduled change"));
    let report = read(&out.join("report.html"));
    assert!(report.contains("Changes over time") && report.contains("co-design starts"));
    let checked = common::stdout(&["check", file.to_str().unwrap()]);
    assert!(checked.contains("[[schedule]]\nweek = 21\n"), "{checked}");
    assert!(
        checked.contains("#   week 21: activity.co_design 0.0 → 0.6"),
        "{checked}"
    );
}
