//! `--lang nb`: the run report, the terminal summary and the reports of compare, sweep and
//! sensitivity in Norwegian bokmål, the CSVs byte for byte the English ones; `DUGNAD_LANG` as
//! the default; every indicator's title and unit in every language, declared once each (the
//! catalogues; the indicator table reads its English words there).

mod common;

use common::{dugnad, files_in, read, root, scratch, stderr_of};
use dugnad::lang::Lang;
use std::path::Path;

fn run_folder(out: &Path, lang: Option<&str>, env: Option<&str>) -> String {
    let mut cmd = dugnad();
    cmd.args([
        "run",
        "scenarios/knitting-cafe.toml",
        "--replicates",
        "3",
        "--weeks",
        "5",
        "--seed",
        "11",
        "-o",
    ])
    .arg(out)
    .current_dir(root())
    .env_remove("DUGNAD_LANG");
    if let Some(l) = lang {
        cmd.args(["--lang", l]);
    }
    if let Some(e) = env {
        cmd.env("DUGNAD_LANG", e);
    }
    stderr_of(&cmd.assert().success())
}

/// The CSV files of a folder, by name, with their bytes.
fn csvs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_in(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn run_lang_nb_writes_a_norwegian_report_and_summary_and_the_same_csvs() {
    let tmp = scratch();
    let (en, nb) = (tmp.path().join("en"), tmp.path().join("nb"));
    let en_summary = run_folder(&en, None, None);
    let nb_summary = run_folder(&nb, Some("nb"), None);
    let (a, b) = (csvs(&en), csvs(&nb));
    assert!(
        a.len() >= 3,
        "{:?}",
        a.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(a, b, "the CSVs differ between languages");

    let en_html = read(&en.join("report.html"));
    let nb_html = read(&nb.join("report.html"));
    assert!(en_html.contains("<html lang=\"en\">") && en_html.contains("At a glance"));
    assert!(nb_html.contains("<html lang=\"nb\">"));
    for phrase in [
        "Kort oppsummert",
        "Hva som ble simulert",
        "Nøkkelindikatorer uke for uke",
        "Alle indikatorer",
        "Slik ble dette kjørt",
        "Stemmeparitet",
        "nyankomne",
        "En modell, ikke en prognose.",
    ] {
        assert!(nb_html.contains(phrase), "the nb report lacks {phrase:?}");
    }
    // The report's own words (the charts inside it are the chart code's, drawn in the language
    // once it takes one).
    let mut words = nb_html.clone();
    while let (Some(a), Some(b)) = (words.find("<svg"), words.find("</svg>")) {
        words.replace_range(a..b + 6, "");
    }
    for english in [
        "At a glance",
        "What was simulated",
        "Key indicators week by week",
        "How this was run",
        "confidence interval of the mean",
        "A model, not a forecast.",
    ] {
        assert!(!words.contains(english), "the nb report says {english:?}");
    }
    assert!(
        en_summary.contains("final week, mean [95 % CI]"),
        "{en_summary}"
    );
    assert!(
        nb_summary.contains("siste uke, snitt [95 % KI]"),
        "{nb_summary}"
    );
    assert!(nb_summary.contains("replikater × 5 uker"), "{nb_summary}");
    assert!(!nb_summary.contains("final week"), "{nb_summary}");
    // Indicator keys stay as the CSVs write them.
    assert!(nb_summary.contains("voice_parity"), "{nb_summary}");
}

#[test]
fn dugnad_lang_sets_the_default_and_the_flag_wins() {
    let tmp = scratch();
    let env = tmp.path().join("env");
    let summary = run_folder(&env, None, Some("nb"));
    assert!(summary.contains("siste uke"), "{summary}");
    assert!(read(&env.join("report.html")).contains("<html lang=\"nb\">"));
    let flag = tmp.path().join("flag");
    let summary = run_folder(&flag, Some("en"), Some("nb"));
    assert!(summary.contains("final week"), "{summary}");
    // A language nobody speaks here: a usage error naming the variable, nothing written.
    let bad = tmp.path().join("bad");
    let out = dugnad()
        .args([
            "run",
            "scenarios/knitting-cafe.toml",
            "--replicates",
            "2",
            "-o",
        ])
        .arg(&bad)
        .current_dir(root())
        .env("DUGNAD_LANG", "de")
        .assert()
        .code(2);
    let err = stderr_of(&out);
    assert!(
        err.contains("DUGNAD_LANG") && err.contains("'de'") && err.contains("en, nb"),
        "{err}"
    );
    assert!(!bad.exists());
    let out = dugnad()
        .args(["sweep", "scenarios/knitting-cafe.toml", "--lang", "xx"])
        .current_dir(root())
        .assert()
        .code(2);
    assert!(stderr_of(&out).contains("unknown language 'xx'"));
}

#[test]
fn every_report_kind_speaks_norwegian() {
    let tmp = scratch();
    let small = [
        "--replicates",
        "2",
        "--weeks",
        "4",
        "--set",
        "activity.groups=1",
        "--quiet",
        "--lang",
        "nb",
    ];
    let jobs: [(&str, Vec<&str>, &str); 3] = [
        (
            "cmp",
            vec![
                "compare",
                "scenarios/knitting-cafe.toml",
                "--variant",
                "f: activity.facilitation=0.9",
            ],
            "rapport fra en sammenligning",
        ),
        (
            "lhs",
            vec![
                "sweep",
                "scenarios/knitting-cafe.toml",
                "--sample",
                "lhs:8",
                "--range",
                "activity.co_design=0:1",
            ],
            "Parametre rangert etter effekt",
        ),
        (
            "sa",
            vec![
                "sensitivity",
                "scenarios/knitting-cafe.toml",
                "--trajectories",
                "2",
                "--range",
                "parameters.beta_e=1:3",
            ],
            "rapport fra en følsomhetsanalyse",
        ),
    ];
    for (name, args, phrase) in jobs {
        let dir = tmp.path().join(name);
        dugnad()
            .args(&args)
            .args(small)
            .arg("-o")
            .arg(&dir)
            .current_dir(root())
            .assert()
            .success();
        let html = read(&dir.join("report.html"));
        assert!(html.contains("<html lang=\"nb\">"), "{name}");
        assert!(html.contains(phrase), "{name} lacks {phrase:?}");
        assert!(
            html.contains("Hva som kom ut") && html.contains("Hvor filene ligger"),
            "{name}"
        );
        assert!(
            !html.contains("What came out") && !html.contains("Where the files are"),
            "{name}"
        );
    }
    let scatter = read(&tmp.path().join("lhs/charts/scatter-activity-co_design.svg"));
    assert!(scatter.contains("Hva activity.co_design gjør med nøkkelindikatorene"));
}

#[test]
fn every_indicator_has_a_title_and_unit_in_every_language_declared_once_in_english() {
    for i in dugnad::metrics::INDICATORS.iter() {
        for lang in Lang::ALL {
            for field in ["title", "unit"] {
                let key = format!("indicator.{}.{field}", i.name);
                let s = lang.catalogue().get(&key);
                assert!(
                    s.is_some_and(|s| !s.trim().is_empty()),
                    "{lang} has no {key}"
                );
            }
        }
        assert_eq!(
            Lang::En.tr(&format!("indicator.{}.title", i.name)),
            i.title()
        );
        assert_eq!(Lang::En.tr(&format!("indicator.{}.unit", i.name)), i.unit());
        assert_ne!(
            Lang::Nb.tr(&format!("indicator.{}.title", i.name)),
            i.title(),
            "{} has no Norwegian title",
            i.name
        );
    }
    // The words are declared once, in the catalogue: the indicator table's source holds none.
    let table = std::fs::read_to_string(common::root().join("src/metrics/indicators.rs")).unwrap();
    assert!(
        !table.contains("        title: \""),
        "an English title is declared in the table too"
    );
    assert!(
        !table.contains("        unit: \""),
        "an English unit is declared in the table too"
    );
    assert_eq!(
        dugnad::present::meta::title_in(Lang::Nb, "mean_agency"),
        "Agens"
    );
    assert_eq!(
        dugnad::present::meta::series_title_in(Lang::Nb, "voice_parity", "newcomers"),
        "Stemmeparitet \u{2014} nyankomne"
    );
}
