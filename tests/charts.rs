//! Charts and report of a run folder, drawn from a synthetic folder written here in the
//! documented format (docs/output-format.md): files exist, PNGs decode, SVGs are well formed,
//! the report is self-contained and escaped, and drawing is deterministic.

mod common;

use common::{assert_well_formed_svg, files_in, png_size, scratch};
use dugnad::metrics::indicators::INDICATORS;

/// Every (indicator, lens) pair of a synthetic run: each indicator at its fixed lenses.
fn series() -> Vec<(&'static str, &'static str)> {
    INDICATORS
        .iter()
        .flat_map(|i| {
            i.lenses
                .names()
                .into_iter()
                .filter(|l| !l.contains('<'))
                .map(move |l| (i.name, l))
        })
        .collect()
}

/// Every indicator name.
fn names() -> Vec<&'static str> {
    INDICATORS.iter().map(|i| i.name).collect()
}
use dugnad::lang::Lang;
use dugnad::present::run::draw_run_charts;
use dugnad::present::run::report::{write_report, write_report_with};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const DESCRIPTION: &str = "A knitting café <b>run</b> by older volunteers & their \"friends\"";

/// How a synthetic run is shaped.
struct Shape {
    replicates: usize,
    weeks: usize,
    /// Weeks in which talk and help ratios are NA in every replicate (no meeting).
    na_weeks: Vec<usize>,
    /// Indicators that are NA everywhere.
    all_na: Vec<&'static str>,
}

fn fmt(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = format!("{x:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" || s.is_empty() {
                "0".into()
            } else {
                s.to_string()
            }
        }
        _ => "NA".into(),
    }
}

/// A deterministic per-replicate value of an indicator at a lens in a week (None = NA).
fn value((ind, lens): (&str, &str), rep: usize, week: usize, shape: &Shape) -> Option<f64> {
    if shape.all_na.contains(&ind) {
        return None;
    }
    let ratio_like = ind.starts_with("voice_")
        || ind.starts_with("spoken_for")
        || ind == "takeover_share"
        || ind.ends_with("help_share")
        || ind == "completed_turn_share";
    if ratio_like && shape.na_weeks.contains(&week) {
        return None;
    }
    let t = week as f64 / shape.weeks.max(1) as f64;
    let wiggle = ((rep * 7 + week * 3) % 11) as f64 / 11.0 - 0.5;
    let newcomers = 0.25 + 0.1 * t + 0.02 * wiggle;
    let v = match (ind, lens) {
        ("voice_share", "newcomers") => newcomers,
        ("voice_share", "local_participants") => 0.05,
        ("voice_share", "staff") => 0.08,
        ("voice_share", "volunteers") => 1.0 - 0.08 - 0.05 - newcomers,
        ("takeover_share", "newcomers") => 0.1,
        ("takeover_share", "staff") => 0.15,
        ("takeover_share", "volunteers") => 0.75,
        ("takeover_share", "local_participants") => 0.0,
        ("voice_parity", _) => 0.45 + 0.1 * t + 0.05 * wiggle,
        ("perceived_competence_gap", _) => 0.1 - 0.05 * t + 0.02 * wiggle,
        ("founding_volunteers_retained", _) => {
            (1.0 - 0.03 * week as f64 - 0.02 * (rep % 3) as f64).max(0.0)
        }
        ("volunteers_active", _) => (6 - (week + rep) / 3).max(1) as f64,
        ("limbo_count" | "dropouts" | "withdrawals" | "help_episodes", _) => {
            ((rep + week) % 4) as f64
        }
        ("spoken_for_ratio", _) => 3.0 + wiggle,
        _ => 0.4 + 0.2 * t + 0.05 * wiggle,
    };
    // One replicate misses mean_agency in week 2 (n drops by one there).
    if ind == "mean_agency" && week == 2 && rep == 0 {
        return None;
    }
    Some(v)
}

struct Stats {
    mean: Option<f64>,
    sd: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    p05: Option<f64>,
    p95: Option<f64>,
    n: usize,
}

fn stats(xs: &[Option<f64>]) -> Stats {
    let v: Vec<f64> = xs.iter().flatten().copied().collect();
    let n = v.len();
    if n == 0 {
        return Stats {
            mean: None,
            sd: None,
            lo: None,
            hi: None,
            p05: None,
            p95: None,
            n,
        };
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    let (min, max) = v
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
    if n == 1 {
        return Stats {
            mean: Some(mean),
            sd: None,
            lo: None,
            hi: None,
            p05: Some(mean),
            p95: Some(mean),
            n,
        };
    }
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let h = 2.5 * sd / (n as f64).sqrt();
    Stats {
        mean: Some(mean),
        sd: Some(sd),
        lo: Some(mean - h),
        hi: Some(mean + h),
        p05: Some(min),
        p95: Some(max),
        n,
    }
}

fn stat_row(prefix: &str, s: &Stats) -> String {
    format!(
        "{prefix},{},{},{},{},{},{},{}\n",
        fmt(s.mean),
        fmt(s.sd),
        fmt(s.lo),
        fmt(s.hi),
        fmt(s.p05),
        fmt(s.p95),
        s.n
    )
}

/// Writes timeseries.csv, summary.csv, final.csv and manifest.json of a synthetic run.
fn write_run(dir: &Path, shape: &Shape) {
    std::fs::create_dir_all(dir).unwrap();
    let (r, w) = (shape.replicates, shape.weeks);
    let vals = |s: (&str, &str), week: usize| -> Vec<Option<f64>> {
        (0..r).map(|rep| value(s, rep, week, shape)).collect()
    };
    let mut ts = String::from("week,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n\n");
    for week in 1..=w {
        for (ind, lens) in series() {
            ts.push_str(&stat_row(
                &format!("{week},{ind},{lens}"),
                &stats(&vals((ind, lens), week)),
            ));
        }
    }
    std::fs::write(dir.join("timeseries.csv"), ts).unwrap();
    let mut summary = String::from("scope,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n\n");
    for (ind, lens) in series() {
        summary.push_str(&stat_row(
            &format!("final_week,{ind},{lens}"),
            &stats(&vals((ind, lens), w)),
        ));
    }
    for (ind, lens) in series() {
        let means: Vec<Option<f64>> = (0..r)
            .map(|rep| {
                let v: Vec<f64> = (1..=w)
                    .filter_map(|wk| value((ind, lens), rep, wk, shape))
                    .collect();
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            })
            .collect();
        summary.push_str(&stat_row(&format!("run_mean,{ind},{lens}"), &stats(&means)));
    }
    std::fs::write(dir.join("summary.csv"), summary).unwrap();
    let mut fin = String::from("replicate,indicator,lens,value\n");
    for rep in 0..r {
        for (ind, lens) in series() {
            let _ = writeln!(
                fin,
                "{rep},{ind},{lens},{}",
                fmt(value((ind, lens), rep, w, shape))
            );
        }
    }
    std::fs::write(dir.join("final.csv"), fin).unwrap();
    let traits = serde_json::json!({
        "need_to_help": {"beta": [6.0, 3.0]}, "protectiveness": {"uniform": [0.3, 0.7]},
        "withdrawal_propensity": {"const": 0.5}, "talkativeness": {"uniform": [0.3, 0.7]},
        "network": {"uniform": [0.2, 0.8]}, "initiative": {"beta": [2.0, 2.0]},
        "care_load": {"const": 0.3}, "resources": {"normal": [0.5, 0.1]},
        "language": {"triangular": [0.1, 0.3, 0.6]}
    });
    let manifest = serde_json::json!({
        "format_version": dugnad::output::manifest::FORMAT_VERSION,
        "dugnad_version": "0.1.0",
        "git_commit": null,
        "command_line": ["dugnad", "run", "knitting.toml", "--set", "activity.facilitation=0.2"],
        "seed": 4242,
        "replicates": r,
        "weeks": w,
        "threads": 4,
        "wall_time_seconds": 1.5,
        "overrides": ["activity.facilitation=0.2"],
        "scenario_file": "knitting.toml",
        "scenario": {
            "name": "knitting-test",
            "description": DESCRIPTION,
            "weeks": w, "replicates": r, "seed": 4242,
            "majority_origins": ["local"],
            "activities": [{
                "key": "activity", "kind": "knitting café", "groups": 2, "meetings_per_week": 1,
                "turns_per_meeting": 60, "hours_per_meeting": 2.0, "service_frame": 0.8,
                "co_design": 0.1, "facilitation": 0.2, "pathway": false, "mixed": false,
                "language_policy": "local-only", "targets": ["syria"], "capacity": null,
                "recruitment": 0.05, "populations": ["participants", "volunteers"]
            }],
            "populations": [
                {"key": "participants", "role": "participant", "count": 12,
                 "origin": {"choice": {"options": ["syria", "eritrea"], "weights": [3.0, 1.0]}},
                 "life_stage": {"fixed": "younger"}, "traits": traits},
                {"key": "volunteers", "role": "volunteer", "count": 5,
                 "origin": {"fixed": "local"}, "life_stage": {"fixed": "older"}, "traits": traits}
            ],
            "stereotypes": {"by_origin": [["syria", 0.4]], "default": 0.5},
            "transition": {"need_to_help": {"const": 0.3}, "protectiveness": {"const": 0.2},
                           "withdrawal_propensity": {"const": 0.5}},
            "params": {"beta_e": 2.0, "h0": 0.4}
        }
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

fn typical() -> Shape {
    Shape {
        replicates: 5,
        weeks: 8,
        na_weeks: vec![3],
        all_na: vec![],
    }
}

fn expected_stems() -> Vec<String> {
    let mut v: Vec<String> = [
        "trajectories",
        "who-talks",
        "distributions",
        "retention",
        "agency-vs-minoritization",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for k in [
        "voice_parity-newcomers",
        "spoken_for_rate-newcomers",
        "dependency_help_share-newcomers",
        "mean_agency-newcomers",
        "perceived_competence_gap-newcomers",
        "limbo_count-newcomers",
        "bridging_tie_strength-newcomers",
        "language_gain-newcomers",
        "volunteers_active-all",
        "agency_index-newcomers",
        "minoritization_index-newcomers",
    ] {
        v.push(format!("indicator-{k}"));
    }
    v
}

#[test]
fn every_chart_is_written_as_decodable_png_and_well_formed_svg() {
    let tmp = scratch();
    let dir = tmp.path().join("run");
    write_run(&dir, &typical());
    let written = draw_run_charts(&dir, Lang::En).unwrap();

    let mut expected: Vec<PathBuf> = expected_stems()
        .iter()
        .flat_map(|s| ["png", "svg"].map(|e| dir.join("charts").join(format!("{s}.{e}"))))
        .collect();
    expected.sort();
    assert_eq!(written, expected, "returned paths are the charts, sorted");
    assert_eq!(
        files_in(&dir.join("charts")),
        expected,
        "no temporary files left"
    );

    for p in &written {
        assert!(p.is_file(), "{} missing", p.display());
        match p.extension().and_then(|e| e.to_str()) {
            Some("png") => {
                let (w, h) = png_size(p);
                assert!((1000..=2400).contains(&w), "{} width {w}", p.display());
                assert!((600..=2400).contains(&h), "{} height {h}", p.display());
            }
            Some("svg") => assert_well_formed_svg(p),
            other => panic!("unexpected file type {other:?}"),
        }
    }
    // A single chart is ~1200×800 and the PNG matches its SVG's size.
    assert_eq!(
        png_size(&dir.join("charts/indicator-mean_agency-newcomers.png")),
        (1200, 800)
    );
    let svg =
        std::fs::read_to_string(dir.join("charts/indicator-mean_agency-newcomers.svg")).unwrap();
    assert!(svg.contains("width=\"1200\"") && svg.contains("height=\"800\""));
    // Titles say what is shown, axes carry units.
    let traj = std::fs::read_to_string(dir.join("charts/trajectories.svg")).unwrap();
    assert!(traj.contains("Voice parity"));
    assert!(
        traj.contains("newcomers (participants of a non-majority origin)"),
        "the trajectories say whom the lines are about"
    );
    assert!(traj.contains(">\nweek\n<"), "week axis label");
    let who = std::fs::read_to_string(dir.join("charts/who-talks.svg")).unwrap();
    assert!(who.contains("share of turns") && who.contains("participants"));
}

#[test]
fn drawing_is_deterministic() {
    let tmp = scratch();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_run(&a, &typical());
    write_run(&b, &typical());
    let fa = draw_run_charts(&a, Lang::En).unwrap();
    write_report(&a).unwrap();
    let first_a: Vec<Vec<u8>> = fa.iter().map(|p| std::fs::read(p).unwrap()).collect();
    // Drawing the same folder again, and another folder with the same data, give the same bytes.
    let fa2 = draw_run_charts(&a, Lang::En).unwrap();
    let fb = draw_run_charts(&b, Lang::En).unwrap();
    write_report(&b).unwrap();
    assert_eq!(fa, fa2);
    for ((pa, pb), bytes) in fa.iter().zip(&fb).zip(&first_a) {
        assert_eq!(pa.file_name(), pb.file_name());
        let (x, y) = (std::fs::read(pa).unwrap(), std::fs::read(pb).unwrap());
        assert!(
            x == *bytes && x == y,
            "{} differs between draws",
            pa.display()
        );
    }
    assert_eq!(
        std::fs::read(a.join("report.html")).unwrap(),
        std::fs::read(b.join("report.html")).unwrap()
    );
}

#[test]
fn report_is_self_contained_escaped_and_complete() {
    let tmp = scratch();
    let dir = tmp.path().join("run");
    write_run(&dir, &typical());
    draw_run_charts(&dir, Lang::En).unwrap();
    let path = write_report(&dir).unwrap();
    assert_eq!(path, dir.join("report.html"));
    assert!(!dir.join("report.html.tmp").exists());
    let html = std::fs::read_to_string(&path).unwrap();

    // Self-contained: inline SVG charts, nothing fetched from elsewhere.
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.matches("<svg").count() >= 5, "the charts are inline");
    for bad in [
        "http://", "https://", "<script", "<link", "<img", "<iframe", "@import", "url(",
    ] {
        assert!(!html.contains(bad), "report contains {bad}");
    }
    // The description is there, escaped (no HTML injection).
    assert!(html.contains(
        "A knitting café &lt;b&gt;run&lt;/b&gt; by older volunteers &amp; their &quot;friends&quot;"
    ));
    assert!(!html.contains("<b>run</b>"));
    // What was run, in words.
    for needle in [
        "knitting-test",
        "2 independent groups",
        "once a week for 2 hours",
        "12 participants",
        "5 volunteers",
        "syria 75 %, eritrea 25 %",
        "Service frame",
        "No pathway",
        "0.67", // mean need to help of beta(6, 3)
    ] {
        assert!(html.contains(needle), "report lacks {needle:?}");
    }
    // Every indicator in the summary table, with its meaning.
    for ind in names() {
        assert!(
            html.contains(&format!("<code>{ind}</code>")),
            "summary lacks {ind}"
        );
    }
    assert!(html.contains("confidence interval"));
    // Manifest: seed, version, commit, command line, wall time.
    assert!(html.contains("4242"));
    assert!(html.contains("0.1.0"));
    assert!(html.contains("dugnad run knitting.toml --set activity.facilitation=0.2"));
    assert!(html.contains("1.50 s"));
    assert!(html.contains("unknown (not built from a git checkout)"));
}

#[test]
fn extra_sections_follow_the_summary_table() {
    let tmp = scratch();
    let dir = tmp.path().join("run");
    write_run(&dir, &typical());
    draw_run_charts(&dir, Lang::En).unwrap();
    let extra = vec![(
        "Comparison <with baseline>".to_string(),
        "<p id=\"extra-body\">difference</p>".to_string(),
    )];
    let html = std::fs::read_to_string(write_report_with(&dir, &extra).unwrap()).unwrap();
    let summary = html.find("id=\"summary\"").unwrap();
    let title = html.find("Comparison &lt;with baseline&gt;").unwrap();
    let body = html.find("<p id=\"extra-body\">difference</p>").unwrap();
    let manifest = html.find("id=\"manifest\"").unwrap();
    assert!(summary < title && title < body && body < manifest);
}

#[test]
fn edge_cases_draw_without_panicking() {
    let shapes = [
        (
            "one-replicate",
            Shape {
                replicates: 1,
                weeks: 6,
                na_weeks: vec![2],
                all_na: vec![],
            },
        ),
        (
            "one-week",
            Shape {
                replicates: 4,
                weeks: 1,
                na_weeks: vec![],
                all_na: vec![],
            },
        ),
        (
            "all-na",
            Shape {
                replicates: 3,
                weeks: 5,
                na_weeks: vec![],
                all_na: names(),
            },
        ),
        (
            "one-replicate-one-week-na",
            Shape {
                replicates: 1,
                weeks: 1,
                na_weeks: vec![1],
                all_na: vec![],
            },
        ),
    ];
    for (name, shape) in shapes {
        let tmp = scratch();
        let dir = tmp.path().join(name);
        write_run(&dir, &shape);
        let written = draw_run_charts(&dir, Lang::En).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert_eq!(written.len(), expected_stems().len() * 2, "{name}");
        for p in &written {
            if p.extension().is_some_and(|e| e == "png") {
                png_size(p);
            } else {
                assert_well_formed_svg(p);
            }
        }
        write_report(&dir).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        if name == "all-na" {
            let svg = std::fs::read_to_string(dir.join("charts/trajectories.svg")).unwrap();
            assert!(svg.contains("no data"), "all-NA panels say so");
            let svg = std::fs::read_to_string(dir.join("charts/retention.svg")).unwrap();
            assert!(svg.contains("no data"));
        }
        if name == "one-replicate" {
            let svg =
                std::fs::read_to_string(dir.join("charts/indicator-mean_agency-newcomers.svg"))
                    .unwrap();
            assert!(svg.contains("1 replicate: no band"));
        }
    }
}

#[test]
fn missing_optional_files_are_tolerated_and_non_run_folders_refused() {
    let tmp = scratch();
    let dir = tmp.path().join("run");
    write_run(&dir, &typical());
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    std::fs::remove_file(dir.join("final.csv")).unwrap();
    std::fs::remove_file(dir.join("summary.csv")).unwrap();
    draw_run_charts(&dir, Lang::En).unwrap();
    let html = std::fs::read_to_string(write_report(&dir).unwrap()).unwrap();
    assert!(html.contains("No manifest.json was found"));

    // A manifest whose scenario lacks optional fields still renders.
    let dir2 = tmp.path().join("run2");
    write_run(&dir2, &typical());
    let sparse = serde_json::json!({"format_version": 2, "seed": 1, "scenario": {"name": "x", "activities": [{}], "populations": [{}]}});
    std::fs::write(dir2.join("manifest.json"), sparse.to_string()).unwrap();
    draw_run_charts(&dir2, Lang::En).unwrap();
    write_report(&dir2).unwrap();

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(draw_run_charts(&empty, Lang::En).is_err());
    assert!(write_report(&empty).is_err());
}

#[test]
fn folders_of_an_older_result_format_are_refused_with_what_to_do() {
    let tmp = scratch();
    // A manifest without format_version: written before lenses (format 1).
    let dir = tmp.path().join("old");
    write_run(&dir, &typical());
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
    m.as_object_mut().unwrap().remove("format_version");
    std::fs::write(dir.join("manifest.json"), m.to_string()).unwrap();
    let e = format!("{:#}", draw_run_charts(&dir, Lang::En).unwrap_err());
    assert!(
        e.contains("format 1") && e.contains("rerun the scenario"),
        "{e}"
    );
    // A timeseries.csv without a lens column and no manifest: the old wide format.
    let dir = tmp.path().join("old-csv");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("timeseries.csv"),
        "week,indicator,mean,sd,ci_low,ci_high,p05,p95,n\n1,voice_parity,1,0,1,1,1,1,3\n",
    )
    .unwrap();
    let e = format!("{:#}", write_report(&dir).unwrap_err());
    assert!(e.contains("format 1"), "{e}");
}

#[test]
fn na_weeks_are_gaps_not_zeros() {
    let tmp = scratch();
    let dir = tmp.path().join("run");
    write_run(&dir, &typical());
    let data = dugnad::present::run::data::RunData::load(&dir).unwrap();
    let t = dugnad::present::run::series::Trajectory::from_stats(
        data.timeseries.get("voice_parity", "newcomers"),
    );
    // Week 3 is NA: the line is two segments (weeks 1–2 and 4–8), never a drop to 0.
    assert_eq!(t.mean.len(), 2);
    assert_eq!(t.mean[0].last().unwrap().0, 2.0);
    assert_eq!(t.mean[1].first().unwrap().0, 4.0);
    assert!(t.mean.iter().flatten().all(|p| p.1 > 0.0));
    let counts: BTreeMap<u32, u32> = data
        .timeseries
        .get("mean_agency", "newcomers")
        .iter()
        .map(|s| (s.week, s.stats.n))
        .collect();
    assert_eq!(counts[&2], 4);
    assert_eq!(counts[&1], 5);
}

// ---------------------------------------------------------------------------------------------
// Every chart kind, drawn from real results of the binary: the bundled scenarios' runs, a
// compare, a grid (2 parameters), a one-parameter, an LHS and a Sobol sweep, a Morris and a
// Sobol sensitivity and a fit, all tiny. Each chart's SVG is parsed and its texts measured with
// the bundled DejaVu Sans (`dugnad::present::layout`): a title, axis labels and a legend in
// words, no two texts overlapping, none off the canvas.

use dugnad::present::layout::{layout, Layout};
use std::sync::OnceLock;

/// The result folders the chart checks read, made once per test process.
struct Results {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Results {
    fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
}

fn run_ok(args: &[&str], out: &Path) {
    let o = common::dugnad()
        .args(args)
        .args(["--quiet", "-o"])
        .arg(out)
        .output()
        .expect("dugnad runs");
    assert!(
        o.status.success(),
        "dugnad {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
}

const KNIT: &str = "scenarios/knitting-cafe.toml";
const TINY: &[&str] = &["--replicates", "3", "--weeks", "6"];

fn results() -> &'static Results {
    static R: OnceLock<Results> = OnceLock::new();
    R.get_or_init(|| {
        let tmp = scratch();
        let root = tmp.path().to_path_buf();
        let with = |base: &[&str], extra: &[&str]| -> Vec<String> {
            base.iter().chain(extra).map(|s| s.to_string()).collect()
        };
        let mut jobs: Vec<(String, Vec<String>)> = common::bundled()
            .into_iter()
            .map(|(name, file)| {
                let file = file.to_string_lossy().to_string();
                (
                    format!("run-{name}"),
                    with(&["run", &file], &["--replicates", "2", "--weeks", "6"]),
                )
            })
            .collect();
        jobs.push((
            "compare".into(),
            with(
                &[
                    "compare",
                    KNIT,
                    "--variant",
                    "co-designed: activity.co_design=0.9, activity.facilitation=0.6",
                    "--variant",
                    "staff-led: activity.facilitation=0.0",
                ],
                TINY,
            ),
        ));
        jobs.push((
            "grid".into(),
            with(
                &[
                    "sweep",
                    KNIT,
                    "--vary",
                    "activity.co_design=0.1,0.5,0.9",
                    "--vary",
                    "activity.facilitation=0,0.6",
                ],
                TINY,
            ),
        ));
        jobs.push((
            "line".into(),
            with(
                &["sweep", KNIT, "--vary", "activity.co_design=0.1,0.5,0.9"],
                TINY,
            ),
        ));
        for (name, sample) in [("lhs", "lhs:8"), ("sobol-sweep", "sobol:8")] {
            jobs.push((
                name.into(),
                with(
                    &[
                        "sweep",
                        KNIT,
                        "--sample",
                        sample,
                        "--range",
                        "activity.co_design=0:1",
                        "--range",
                        "parameters.alpha1=0:2",
                    ],
                    &["--replicates", "2", "--weeks", "6"],
                ),
            ));
        }
        let factors = [
            "--range",
            "parameters.alpha1=0:2",
            "--range",
            "activity.co_design=0:1",
            "--range",
            "stereotypes.non-western=0:0.6",
            "--range",
            "parameters.theta_l=3:5",
        ];
        for (name, method) in [
            ("morris", ["--method", "morris"]),
            ("sobol", ["--method", "sobol"]),
        ] {
            let mut args = with(&["sensitivity", KNIT], &method);
            args.extend(factors.iter().map(|s| s.to_string()));
            args.extend(["--samples", "8", "--replicates", "2", "--weeks", "6"].map(String::from));
            jobs.push((name.into(), args));
        }
        jobs.push((
            "fit".into(),
            with(
                &[
                    "fit",
                    "scenarios/pilot-cafe.toml",
                    "--data",
                    "scenarios/observed-template.csv",
                ],
                &["--particles", "20", "--generations", "2"],
            ),
        ));
        for (name, args) in &jobs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run_ok(&args, &root.join(name));
        }
        // Every folder's charts again in bokmål, redrawn by `plot` into <folder>/nb/charts.
        for (name, _) in &jobs {
            let dir = root.join(name);
            let o = common::dugnad()
                .arg("plot")
                .arg(&dir)
                .args(["--format", "svg", "--lang", "nb", "--quiet", "-o"])
                .arg(dir.join("nb").join("charts"))
                .output()
                .expect("dugnad runs");
            assert!(
                o.status.success(),
                "plot {name} --lang nb: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        Results { _tmp: tmp, root }
    })
}

/// The SVG charts of a result folder, by file stem.
fn svgs(dir: &Path) -> Vec<(String, Layout)> {
    let mut v: Vec<(String, Layout)> = files_in(&dir.join("charts"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let svg = std::fs::read_to_string(&p).unwrap();
            let l = layout(&svg).unwrap_or_else(|| panic!("{}: not a plotters SVG", p.display()));
            (stem, l)
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// What is wrong with a chart's words: overlapping texts, texts off the canvas, no title (a
/// bold text of the largest size in the top tenth of the canvas), no axis description (a
/// turned text, or for charts with a categorical y axis a text named in `axis`).
fn problems(name: &str, l: &Layout, words: &[&str]) -> Vec<String> {
    let mut p: Vec<String> = l
        .overlaps(1.0)
        .into_iter()
        .chain(l.overflows(1.0))
        .map(|s| format!("{name}: {s}"))
        .collect();
    match l.largest() {
        Some(t) if t.bold && t.y0 < l.height * 0.1 && t.text.split(' ').count() >= 2 => {}
        t => p.push(format!(
            "{name}: no title at the top (largest text: {:?})",
            t.map(|t| &t.text)
        )),
    }
    for w in words {
        if !l.has(w) {
            p.push(format!("{name}: no text «{w}»"));
        }
    }
    p
}

fn assert_clean(all: Vec<String>) {
    assert!(
        all.is_empty(),
        "{} problems:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn run_charts_of_every_bundled_scenario_are_readable() {
    let r = results();
    let mut all = Vec::new();
    for (name, _) in common::bundled() {
        let charts = svgs(&r.dir(&format!("run-{name}")));
        assert!(charts.len() >= 6, "{name}: {} charts", charts.len());
        for (stem, l) in &charts {
            all.extend(problems(&format!("{name}/{stem}"), l, &[]));
            if l.rotated().next().is_none() {
                all.push(format!("{name}/{stem}: no y-axis description"));
            }
        }
    }
    assert_clean(all);
}

/// Checks every chart of the result folders `names`: each is clean and has every text of
/// `words(stem)`.
fn check_folders(names: &[&str], words: &dyn Fn(&str) -> Vec<String>) {
    let r = results();
    let mut all = Vec::new();
    for name in names {
        let charts = svgs(&r.dir(name));
        assert!(!charts.is_empty(), "{name}: no charts");
        for (stem, l) in &charts {
            let w = words(stem);
            let w: Vec<&str> = w.iter().map(String::as_str).collect();
            all.extend(problems(&format!("{name}/{stem}"), l, &w));
        }
    }
    assert_clean(all);
}

#[test]
fn forest_plot_of_a_compare_is_readable() {
    check_folders(&["compare"], &|_| Vec::new());
}

#[test]
fn sweep_charts_of_grid_line_lhs_and_sobol_sweeps_are_readable() {
    check_folders(&["grid", "line", "lhs", "sobol-sweep"], &|_| Vec::new());
}

#[test]
fn morris_and_sobol_charts_are_readable() {
    check_folders(&["morris", "sobol"], &|_| Vec::new());
}

#[test]
fn fit_charts_are_readable() {
    check_folders(&["fit"], &|_| Vec::new());
}

// ---------------------------------------------------------------------------------------------
// The named words of every chart kind: its title, its axis labels and its legend (or colour
// bar, or the subtitle that is its key), each found in the SVG where it belongs, as the
// catalogue words of the chart's language (English and bokmål).

/// Where a word of a chart belongs.
#[derive(Clone, Copy, Debug)]
enum Role {
    /// The title: the largest bold texts at the top, joined in order (a long title wraps).
    Title,
    /// The subtitle or key under the title: the regular texts joined in order.
    Subtitle,
    /// A text that is not turned: an x-axis description, a row heading.
    X,
    /// A turned text: a y-axis description or a colour bar's caption.
    Y,
    /// A legend entry (not turned).
    Legend,
}

/// A word a chart must show.
#[derive(Clone, Copy, Debug)]
enum Word {
    /// A catalogue key, in the chart's language (placeholders are left out: each literal part
    /// between them must be there).
    Key(Role, &'static str),
    /// A text that is the same in every language (a scenario key such as activity.co_design).
    Same(Role, &'static str),
}

/// The literal parts of a catalogue string between its `{placeholders}`.
fn fragments(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let (head, tail) = match rest.find('{') {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let head = head.trim();
        if head.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
            out.push(head.to_string());
        }
        match tail.and_then(|t| t.find('}').map(|j| &t[j + 1..])) {
            Some(t) => rest = t,
            None => break,
        }
    }
    out
}

/// Whether `s` is drawn in role `role`.
fn found(l: &Layout, role: Role, s: &str) -> bool {
    let joined = |keep: &dyn Fn(&dugnad::present::layout::TextBox) -> bool| {
        l.texts
            .iter()
            .filter(|t| keep(t))
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match role {
        Role::Title => {
            let size = l.largest().map_or(0.0, |t| t.size);
            joined(&|t| t.bold && t.size >= size * 0.99).contains(s)
        }
        Role::Subtitle => joined(&|t| !t.bold && !t.rotated).contains(s),
        Role::X | Role::Legend => l.texts.iter().any(|t| !t.rotated && t.text.contains(s)),
        Role::Y => l.texts.iter().any(|t| t.rotated && t.text.contains(s)),
    }
}

impl Word {
    /// Where the word belongs and the texts that must be there, in `lang`.
    fn texts(self, lang: Lang) -> (Role, Vec<String>) {
        match self {
            Word::Key(role, key) => (role, fragments(lang.tr(key))),
            Word::Same(role, text) => (role, vec![text.to_string()]),
        }
    }
}

/// Every word of `words` that `l`, drawn in `lang`, lacks, in words.
fn missing_words(name: &str, l: &Layout, words: &[Word], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        let (role, texts) = w.texts(lang);
        for t in texts {
            if !found(l, role, &t) {
                out.push(format!("{name}: no {role:?} «{t}» ({w:?})"));
            }
        }
    }
    out
}

/// The parameter a scatter sheet of the fixture's sweeps is about, by its stem.
fn param_of_scatter(stem: &str) -> &'static str {
    [
        "activity.co_design",
        "activity.facilitation",
        "parameters.alpha1",
    ]
    .into_iter()
    .find(|k| dugnad::present::scatter::scatter_stem(k) == stem)
    .unwrap_or_else(|| panic!("{stem}: a parameter the fixture does not vary"))
}

/// Whom the chart `sensitivity-<indicator>-<lens>` is about, as its title must say it: the
/// lens's short words (`all`: the indicator's pooled subject).
fn whom_in_title(stem: &str) -> Word {
    use dugnad::metrics::lens::Subject;
    let (name, lens) = stem
        .strip_prefix("sensitivity-")
        .and_then(|rest| rest.rsplit_once('-'))
        .unwrap_or_else(|| panic!("{stem}: not sensitivity-<indicator>-<lens>"));
    let ind = INDICATORS
        .iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("{stem}: unknown indicator {name}"));
    let key = match (lens, ind.all) {
        ("all", Subject::Hosts) => "common.lens_all_hosts",
        ("all", Subject::Participants) => "common.lens_all_participants",
        ("newcomers", _) => "common.lens_newcomers",
        ("local_participants", _) => "common.lens_local_participants",
        ("volunteers", _) => "common.lens_volunteers",
        ("staff", _) => "common.lens_staff",
        _ => panic!("{stem}: a lens whom_in_title() does not know"),
    };
    Word::Key(Role::Title, key)
}

/// The words every chart of a kind shows, by result folder and chart stem. A chart about one
/// series says whom in its title; the forest, about many, in its subtitle.
fn words_of(folder: &str, stem: &str) -> Vec<Word> {
    use Role::*;
    use Word::*;
    let band = Key(Legend, "chart.run_ci95");
    match (folder, stem) {
        ("compare", "forest") => vec![
            Key(Title, "chart.forest_title"),
            Key(Subtitle, "chart.forest_subtitle"),
            Key(Subtitle, "chart.forest_whom_default"),
            Key(X, "chart.forest_axis"),
            Key(Legend, "chart.forest_better"),
            Key(Legend, "chart.forest_worse"),
            Key(Legend, "chart.forest_higher"),
            Key(Legend, "chart.forest_lower"),
            Key(Legend, "chart.forest_noise"),
            Key(X, "chart.topic_voice"),
            Key(X, "chart.topic_agency"),
        ],
        ("grid", "heatmap") => vec![
            Key(Title, "chart.heat_title"),
            Same(X, "activity.co_design"),
            Same(Y, "activity.facilitation"),
            Key(Y, "chart.colour_bar_declared"),
            Key(Y, "chart.colour_bar_pooled"),
        ],
        ("line", "sweep") => vec![
            Key(Title, "chart.sweep_title"),
            Same(Title, "activity.co_design"),
            Same(X, "activity.co_design"),
            Key(Y, "indicator.voice_parity.unit"),
            Key(Legend, "chart.mean_line"),
            Key(Legend, "chart.ci_band"),
        ],
        (_, "ranking") => vec![
            Key(Title, "report.ranking_title"),
            Key(X, "report.src_axis"),
            Key(Subtitle, "report.ranking_legend"),
        ],
        (_, s) if s.starts_with("scatter-") => vec![
            Key(Title, "report.scatter_title"),
            Same(X, param_of_scatter(s)),
            Key(Y, "indicator.voice_parity.unit"),
            Key(Legend, "report.scatter_legend_dot"),
            Key(Legend, "report.scatter_legend_bins"),
        ],
        ("morris", s) => vec![
            Key(Title, "chart.morris_title"),
            whom_in_title(s),
            Key(X, "chart.morris_x"),
            Key(Y, "chart.morris_y"),
            Key(Legend, "chart.morris_point"),
            Key(Legend, "chart.morris_ci"),
            Key(Legend, "chart.morris_diagonal"),
        ],
        ("sobol", s) => vec![
            Key(Title, "chart.sobol_title"),
            whom_in_title(s),
            Key(X, "chart.sobol_x"),
            Key(Y, "chart.sobol_y"),
            Key(Legend, "chart.sobol_s1"),
            Key(Legend, "chart.sobol_st"),
            Key(Legend, "chart.sobol_ci"),
        ],
        ("fit", "pairs") => vec![
            Key(Title, "chart.fit_pairs_title"),
            Key(Subtitle, "chart.fit_pairs_subtitle"),
            Same(X, "parameters.alpha1"),
            Same(Y, "parameters.p0_attend"),
            Key(Y, "chart.fit_posterior_share"),
        ],
        ("fit", "predictive") => vec![
            Key(Title, "chart.fit_predictive_title"),
            Key(Subtitle, "chart.fit_predictive_subtitle"),
            Key(X, "chart.week"),
            Same(Y, "attendance_rate"),
        ],
        (_, "trajectories") => vec![
            Key(Title, "chart.run_trajectories_title"),
            Key(X, "chart.week"),
            Key(Y, "indicator.mean_agency.unit"),
            band,
            Key(Legend, "chart.run_reference"),
        ],
        (_, "who-talks") => vec![
            Key(Title, "chart.run_who_talks_title"),
            Key(X, "chart.week"),
            Key(Y, "chart.run_floor_axis"),
            Key(Y, "chart.run_takeover_axis"),
            Key(Legend, "common.lens_newcomers"),
            Key(Legend, "common.lens_volunteers"),
        ],
        (_, "retention") => vec![
            Key(Title, "chart.run_retention_title"),
            Key(X, "chart.week"),
            Key(Y, "chart.run_retention_axis"),
            Key(Legend, "chart.run_retention_mean"),
        ],
        (_, "distributions") => vec![
            Key(Title, "chart.run_distributions_title"),
            Key(X, "chart.run_in_week"),
            Key(Y, "chart.run_replicates_axis"),
        ],
        (_, "agency-vs-minoritization") => vec![
            Key(Title, "chart.run_agency_title"),
            Key(X, "chart.run_agency_x"),
            Key(Y, "chart.run_agency_y"),
            Key(Legend, "chart.run_one_replicate"),
        ],
        (_, s) if s.starts_with("indicator-") => {
            vec![
                Key(Title, "chart.run_indicator_title"),
                Key(X, "chart.week"),
                band,
            ]
        }
        _ => panic!("{folder}/{stem}: a chart kind without its words in words_of()"),
    }
}

/// Every chart folder of the fixture and the charts' language: English as the commands drew
/// them, bokmål as `plot --lang nb` redrew them.
const KINDS: &[&str] = &[
    "run-knitting-cafe",
    "compare",
    "grid",
    "line",
    "lhs",
    "sobol-sweep",
    "morris",
    "sobol",
    "fit",
];

/// The folder whose `charts/` hold `folder`'s charts in `lang` (English: as the command drew
/// them; bokmål: as `plot --lang nb` redrew them).
fn folder_in(folder: &str, lang: Lang) -> PathBuf {
    match lang {
        Lang::En => results().dir(folder),
        _ => results().dir(folder).join("nb"),
    }
}

/// The kind of result `folder` holds, as [`words_of`] names it (every run is `run`).
fn kind_of(folder: &str) -> &str {
    if folder.starts_with("run-") {
        "run"
    } else {
        folder
    }
}

fn check_words(lang: Lang) {
    let mut all = Vec::new();
    let mut checked = 0;
    for folder in KINDS {
        let charts = svgs(&folder_in(folder, lang));
        assert!(!charts.is_empty(), "{folder}: no charts");
        for (stem, l) in &charts {
            let words = words_of(kind_of(folder), stem);
            checked += words.len();
            all.extend(missing_words(&format!("{folder}/{stem}"), l, &words, lang));
        }
    }
    assert!(checked > 100, "only {checked} words checked");
    assert_clean(all);
}

#[test]
fn every_chart_kind_has_its_title_axis_labels_and_legend_in_english() {
    check_words(Lang::En);
}

#[test]
fn every_chart_kind_has_its_title_axis_labels_and_legend_in_bokmal() {
    check_words(Lang::Nb);
}

/// An SVG without the `<text>` elements whose text contains `s`.
fn without_text(svg: &str, s: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<text") {
        let end = rest[at..].find("</text>").map(|e| at + e + "</text>".len());
        let Some(end) = end else { break };
        let element = &rest[at..end];
        let body = element[element.find('>').unwrap() + 1..].replace("&apos;", "'");
        out.push_str(&rest[..at]);
        if !body.contains(s) {
            out.push_str(element);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn each_word_check_fails_on_a_chart_that_drops_that_word() {
    // For every chart kind and every word it must show, the same chart with that word's text
    // deleted from the SVG is reported as lacking it: no word check passes vacuously.
    let mut shown = 0;
    for folder in KINDS {
        for lang in [Lang::En, Lang::Nb] {
            // Every chart of the folder.
            for p in files_in(&folder_in(folder, lang).join("charts")) {
                if p.extension().is_none_or(|e| e != "svg") {
                    continue;
                }
                let stem = p.file_stem().unwrap().to_string_lossy().to_string();
                let svg = std::fs::read_to_string(&p).unwrap();
                for w in words_of(kind_of(folder), &stem) {
                    let (role, texts) = w.texts(lang);
                    for t in texts {
                        // A title or key that wraps: drop the line that holds its first word.
                        let cut = match role {
                            Role::Title | Role::Subtitle => {
                                t.split(' ').find(|x| x.len() > 3).unwrap_or(&t).to_string()
                            }
                            _ => t.clone(),
                        };
                        let broken = layout(&without_text(&svg, &cut)).unwrap();
                        let name = format!("{folder}/{stem}");
                        let missing = missing_words(&name, &broken, &[w], lang);
                        assert!(
                            missing.iter().any(|m| m.contains(&format!("«{t}»"))),
                            "{name} ({lang:?}): dropping «{cut}» went unnoticed by {w:?}"
                        );
                        shown += 1;
                    }
                }
            }
        }
    }
    eprintln!("{shown} words dropped from charts, each one reported missing");
    assert!(shown > 200, "only {shown} broken charts");
}

// ---------------------------------------------------------------------------------------------
// Morris: no factor label on another label, on a CI bar or on a point marker (boxes measured
// from the bundled font, the marks read from the SVG).

const MORRIS_FACTORS: [&str; 4] = [
    "parameters.alpha1",
    "activity.co_design",
    "stereotypes.non-western",
    "parameters.theta_l",
];
/// The colours and sizes `present::sensitivity` draws a factor's point (NEWCOMERS, r 5) and its
/// μ* CI bar (VOLUNTEERS, 2 px) with; the legend's swatches are larger.
const POINT: (&str, f64) = ("#D55E00", 5.0);
const BAR: (&str, f64) = ("#0072B2", 2.0);

/// What is wrong with the labels of a Morris chart: a label overlapping another label, a CI
/// bar or a point by more than half a pixel, or a factor neither labelled nor named under the
/// plot.
fn morris_problems(name: &str, svg: &str) -> Vec<String> {
    use dugnad::present::layout::marks;
    let l = layout(svg).unwrap();
    let labels: Vec<_> = l
        .texts
        .iter()
        .filter(|t| MORRIS_FACTORS.contains(&t.text.as_str()))
        .collect();
    let marks = marks(svg);
    let points: Vec<_> = marks
        .iter()
        .filter(|m| m.circle && m.colour == POINT.0 && m.size == POINT.1)
        .collect();
    let bars: Vec<_> = marks
        .iter()
        .filter(|m| !m.circle && m.colour == BAR.0 && m.size == BAR.1)
        .collect();
    let mut p = Vec::new();
    if points.is_empty() || bars.is_empty() {
        p.push(format!("{name}: no points or CI bars found"));
    }
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let o = a.overlap(b);
            if o > 0.5 {
                p.push(format!(
                    "{name}: label «{}» overlaps label «{}» by {o:.1} px",
                    a.text, b.text
                ));
            }
        }
        for (what, ms) in [("CI bar", &bars), ("point", &points)] {
            for m in ms.iter() {
                let o = m.overlap(a);
                if o > 0.5 {
                    p.push(format!(
                        "{name}: label «{}» overlaps a {what} at ({:.0}, {:.0}) by {o:.1} px",
                        a.text, m.x0, m.y0
                    ));
                }
            }
        }
    }
    for f in MORRIS_FACTORS {
        let named = l.texts.iter().any(|t| t.text != f && t.text.contains(f));
        if !labels.iter().any(|t| t.text == f) && !named {
            p.push(format!(
                "{name}: factor «{f}» is neither labelled nor named under the plot"
            ));
        }
    }
    p
}

fn morris_svgs() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for lang in [Lang::En, Lang::Nb] {
        for p in files_in(&folder_in("morris", lang).join("charts")) {
            if p.extension().is_some_and(|e| e == "svg") {
                v.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    v
}

#[test]
fn morris_labels_clear_each_other_the_ci_bars_and_the_points() {
    let charts = morris_svgs();
    assert!(charts.len() >= 12, "{} Morris charts", charts.len());
    let mut all = Vec::new();
    let mut labelled = 0;
    for (name, svg) in &charts {
        all.extend(morris_problems(name, svg));
        labelled += layout(svg)
            .unwrap()
            .texts
            .iter()
            .filter(|t| MORRIS_FACTORS.contains(&t.text.as_str()))
            .count();
    }
    assert!(
        labelled >= charts.len() * 2,
        "only {labelled} labels placed"
    );
    assert_clean(all);
}

/// `svg` with the first `<text>` whose text is `label` moved so its box starts at (x, y).
fn moved(svg: &str, label: &str, (x, y): (f64, f64)) -> String {
    let end = svg
        .find(&format!(">\n{label}\n</text>"))
        .or_else(|| svg.find(&format!(">{label}</text>")));
    let end = end.unwrap_or_else(|| panic!("no label «{label}»"));
    let start = svg[..end].rfind("<text").unwrap();
    let tag = &svg[start..end];
    // The label is drawn with its top at y (dy 0.76em, anchored at its start).
    let tag2 = {
        let xs = tag.find(" x=\"").unwrap();
        let ys = tag.find(" y=\"").unwrap();
        let ye = ys + 4 + tag[ys + 4..].find('"').unwrap();
        format!("{} x=\"{x}\" y=\"{y}\"{}", &tag[..xs], &tag[ye + 1..])
    };
    format!("{}{}{}", &svg[..start], tag2, &svg[end..])
}

#[test]
fn morris_checks_fail_on_a_label_moved_onto_a_label_a_bar_or_a_point() {
    use dugnad::present::layout::marks;
    let (name, svg) = morris_svgs()
        .into_iter()
        .find(|(_, s)| {
            layout(s)
                .unwrap()
                .texts
                .iter()
                .filter(|t| MORRIS_FACTORS.contains(&t.text.as_str()))
                .count()
                >= 2
        })
        .expect("a Morris chart with two labels");
    assert!(morris_problems(&name, &svg).is_empty());
    let l = layout(&svg).unwrap();
    let labels: Vec<_> = l
        .texts
        .iter()
        .filter(|t| MORRIS_FACTORS.contains(&t.text.as_str()))
        .collect();
    let (a, b) = (labels[0], labels[1]);
    let ms = marks(&svg);
    let point = ms
        .iter()
        .find(|m| m.circle && m.colour == POINT.0 && m.size == POINT.1)
        .unwrap();
    let bar = ms
        .iter()
        .find(|m| !m.circle && m.colour == BAR.0 && m.size == BAR.1)
        .unwrap();
    for (what, at, expect) in [
        ("another label", (b.x0 + 3.0, b.y0 + 2.0), "overlaps label"),
        (
            "a point",
            (point.x0 - 2.0, point.y0 - 2.0),
            "overlaps a point",
        ),
        (
            "a CI bar",
            ((bar.x0 + bar.x1) / 2.0, bar.y0 - 4.0),
            "overlaps a CI bar",
        ),
    ] {
        let broken = moved(&svg, &a.text, at);
        let p = morris_problems(&name, &broken);
        assert!(
            p.iter().any(|m| m.contains(expect) && m.contains(&a.text)),
            "moving «{}» onto {what} went unnoticed: {p:?}",
            a.text
        );
    }
}
