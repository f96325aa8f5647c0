//! Every sweep (grid, LHS, Sobol), comparison and sensitivity analysis writes a self-contained
//! report.html in the run report's style: what was run, the findings in words with CIs, the
//! charts inlined, where the files are; sampled sweeps get a scatter sheet per parameter and a
//! ranking of the parameters, and a merged sweep's report is the unsharded one's.

mod common;

use common::{dugnad, read, root, scratch};
use std::path::Path;

fn kc() -> String {
    root()
        .join("scenarios/knitting-cafe.toml")
        .display()
        .to_string()
}

const SMALL: [&str; 8] = [
    "--replicates",
    "3",
    "--weeks",
    "6",
    "--seed",
    "5",
    "--set",
    "activity.groups=1",
];

fn run(args: &[&str]) {
    dugnad()
        .args(args)
        .args(SMALL)
        .arg("--quiet")
        .current_dir(root())
        .assert()
        .success();
}

/// The parts of a report every kind shares: one document in the language, self-contained,
/// every catalogue key and placeholder filled, each chart it names inlined.
fn check_report(dir: &Path, lang: &str) -> String {
    let html = read(&dir.join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", dir.display());
    assert!(
        html.contains(&format!("<html lang=\"{lang}\">")),
        "{}",
        dir.display()
    );
    for id in ["findings", "charts", "files", "run"] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "{} lacks section {id}",
            dir.display()
        );
    }
    // Nothing from elsewhere.
    for bad in ["<script", "<link", "src=\"http", "href=\"http", "<img"] {
        assert!(!html.contains(bad), "{} holds {bad}", dir.display());
    }
    // No catalogue key or unfilled placeholder left in the text.
    let text = html.replace("report.html", "");
    for (i, _) in text.match_indices("report.") {
        let rest = &text[i + 7..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        assert!(
            !word.contains('_'),
            "{}: a catalogue key leaked: report.{word}",
            dir.display()
        );
    }
    for w in text.split('{').skip(1) {
        if let Some(name) = w.split('}').next().filter(|_| w.contains('}')) {
            assert!(
                name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()),
                "{}: unfilled placeholder {{{name}}}",
                dir.display()
            );
        }
    }
    assert!(html.contains("<svg"), "{} inlines no chart", dir.display());
    assert!(
        !html.contains("class=\"missing\""),
        "{}: a chart is missing",
        dir.display()
    );
    html
}

/// The SVG texts of a chart file, in order.
fn svg_texts(path: &Path) -> Vec<String> {
    let svg = read(path);
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find("</text>")?;
            Some(t[start..end].trim().to_string())
        })
        .collect()
}

#[test]
fn every_sweep_kind_writes_a_report_and_sampled_sweeps_rank_their_parameters() {
    let tmp = scratch();
    let kc = kc();
    let grid = tmp.path().join("grid");
    run(&[
        "sweep",
        &kc,
        "--vary",
        "activity.co_design=0,0.6",
        "--vary",
        "activity.facilitation=0,0.6",
        "-o",
        grid.to_str().unwrap(),
    ]);
    let html = check_report(&grid, "en");
    assert!(html.contains("grid sweep") && html.contains("4 cells"));
    assert!(html.contains("id=\"fig") || html.contains("heatmap") || html.contains("<figure"));
    for (design, name) in [("lhs:12", "lhs"), ("sobol:8", "sobol")] {
        let dir = tmp.path().join(name);
        run(&[
            "sweep",
            &kc,
            "--sample",
            design,
            "--range",
            "activity.co_design=0:1",
            "--range",
            "activity.facilitation=0:1",
            "-o",
            dir.to_str().unwrap(),
        ]);
        let html = check_report(&dir, "en");
        assert!(html.contains("sampled sweep"), "{name}");
        assert!(html.contains("<section id=\"ranking\">"), "{name}");
        assert!(
            html.contains("standardized regression coefficient"),
            "{name}"
        );
        for key in ["activity-co_design", "activity-facilitation"] {
            let svg = dir.join(format!("charts/scatter-{key}.svg"));
            assert!(dir.join(format!("charts/scatter-{key}.png")).exists());
            let texts = svg_texts(&svg);
            let dotted = key.replacen('-', ".", 1);
            assert!(
                texts
                    .iter()
                    .any(|t| t.contains(&format!("What {dotted} does"))),
                "{name} {key}: no title in {texts:?}"
            );
            // The axis names the parameter; the legend says what the dots and line are.
            assert!(texts.iter().any(|t| t == &dotted), "{name} {key}");
            assert!(texts.iter().any(|t| t.contains("dot: one cell")), "{name}");
            assert!(texts.iter().any(|t| t.contains("95 % CI")), "{name}");
        }
        let ranking = svg_texts(&dir.join("charts/ranking.svg"));
        assert!(ranking.iter().any(|t| t == "Parameters ranked by effect"));
        assert!(ranking
            .iter()
            .any(|t| t == "standardized regression coefficient (SRC)"));
        // Every finding names a best and a worst cell, or says the value is the same everywhere.
        let findings = &html[html.find("<section id=\"findings\">").unwrap()
            ..html.find("<section id=\"params\">").unwrap()];
        for li in findings.split("<li>").skip(1) {
            assert!(
                (li.contains("best") && li.contains("worst"))
                    || (li.contains("highest") && li.contains("lowest"))
                    || li.contains("in every cell"),
                "{name}: {li}"
            );
        }
    }
}

#[test]
fn a_merged_sweep_writes_the_unsharded_report() {
    let tmp = scratch();
    let kc = kc();
    let sweep = |out: &Path, shard: Option<&str>| {
        let mut args = vec![
            "sweep",
            &kc,
            "--sample",
            "lhs:9",
            "--range",
            "activity.co_design=0:1",
            "-o",
            out.to_str().unwrap(),
        ];
        if let Some(s) = shard {
            args.extend(["--shard", s]);
        }
        run(&args);
    };
    let whole = tmp.path().join("whole");
    let (s0, s1, merged) = (
        tmp.path().join("s0"),
        tmp.path().join("s1"),
        tmp.path().join("merged"),
    );
    sweep(&whole, None);
    sweep(&s0, Some("0/2"));
    sweep(&s1, Some("1/2"));
    assert!(
        !s0.join("report.html").exists(),
        "an incomplete shard has no report"
    );
    dugnad()
        .args(["merge", s0.to_str().unwrap(), s1.to_str().unwrap(), "-o"])
        .arg(&merged)
        .arg("--quiet")
        .assert()
        .success();
    let a = read(&whole.join("report.html")).replace(whole.to_str().unwrap(), "DIR");
    let b = read(&merged.join("report.html")).replace(merged.to_str().unwrap(), "DIR");
    assert_eq!(a, b);
    check_report(&merged, "en");
    assert_eq!(
        read(&whole.join("charts/ranking.svg")),
        read(&merged.join("charts/ranking.svg"))
    );
}

#[test]
fn comparison_and_sensitivity_reports_say_what_came_out() {
    let tmp = scratch();
    let kc = kc();
    let cmp = tmp.path().join("cmp");
    run(&[
        "compare",
        &kc,
        "--variant",
        "facil: activity.facilitation=0.9",
        "-o",
        cmp.to_str().unwrap(),
    ]);
    let html = check_report(&cmp, "en");
    assert!(html.contains("common random numbers"));
    assert!(html.contains("facil against knitting-cafe"));
    // Each headline line carries a CI and a verdict in words.
    let findings = &html[html.find("<section id=\"findings\">").unwrap()
        ..html.find("<section id=\"charts\">").unwrap()];
    let lines: Vec<&str> = findings.split("<li>").skip(1).collect();
    assert!(lines.len() >= 5, "{findings}");
    for li in lines {
        assert!(li.contains("95 % CI"), "{li}");
        assert!(
            [
                "better",
                "worse",
                "higher",
                "lower",
                "within the noise",
                "not defined"
            ]
            .iter()
            .any(|v| li.contains(v)),
            "{li}"
        );
    }
    let sa = tmp.path().join("sa");
    run(&[
        "sensitivity",
        &kc,
        "--method",
        "morris",
        "--trajectories",
        "2",
        "--range",
        "parameters.beta_e=1:3",
        "--range",
        "activity.co_design=0:1",
        "-o",
        sa.to_str().unwrap(),
    ]);
    let html = check_report(&sa, "en");
    assert!(html.contains("Morris screening"));
    assert!(html.contains("matters most") || html.contains("no factor changes it"));
    assert!(html.contains("<section id=\"table\">") && html.contains("mu_star"));
}
