//! Under `--lang nb` nothing a reader sees is English, and numbers carry a decimal comma: the
//! reports of run, compare (with adaptive replication), grid and LHS sweeps and Morris and Sobol
//! sensitivity and of a fit (their text, tables and inline charts), the terminal summary of each
//! of those commands (and of sharded, resumed and merged sweeps, a sharded sensitivity analysis
//! and a fit waiting for its other shards), the classroom page's strings, and the meeting
//! transcript of `dugnad trace` (and so of the classroom replay). A regression guard: each surface is rendered under nb and searched for
//! common English words outside code, data names (indicator, lens, column and scenario keys)
//! and proper names (the study's title, the scenario's own description).

mod common;

use common::{dugnad, root, scratch, stderr_of};
use dugnad::lang::Lang;
use std::path::Path;

/// Words and phrases that mark an English sentence. Matched case-insensitively as whole words
/// (a letter, digit or `_` on either side is no match, so `bridging_tie_strength` is not
/// "bridging").
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "with",
    "which",
    "is",
    "are",
    "was",
    "were",
    "than",
    "per week",
    "replicate",
    "replicates",
    "newcomers",
    "volunteers",
    "participants",
    "no data",
    "shown",
    "mean over",
    "weeks",
    "factor",
    "variance",
    "too small",
    "warning",
];

/// Text that is a name, not a sentence: the study's title and journal (cited as they are).
const PROPER_NAMES: &[&str] = &[
    "Minoritizing Processes and Power Relations between Volunteers and Immigrant Participants",
    "Minoritizing processes and power relations between volunteers and immigrant participants",
    "Nordic Journal of Migration Research",
];

/// The text a reader sees on an HTML page: tags removed, and with them what is code or data
/// (`<code>`, `<pre>`, `<script>`, `<style>`), entities decoded; one line per text run.
fn visible_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut skip: Option<String> = None;
    while let Some(open) = rest.find('<') {
        if skip.is_none() {
            out.push(decode(&rest[..open]));
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match &skip {
            Some(s) if tag.starts_with("</") && &name == s => skip = None,
            None if ["code", "pre", "script", "style"].contains(&name.as_str())
                && !tag.starts_with("</") =>
            {
                skip = Some(name)
            }
            _ => {}
        }
        rest = &rest[close..];
    }
    out.push(decode(rest));
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#58;", ":")
        .replace("&amp;", "&")
}

/// A line is data, not words, when it is one name (`volunteers`, `mean_agency`, `activity.x`).
fn is_a_name(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.|=-".contains(c))
}

/// A word that is a name of data: a key (`voice_parity`, `scenario.weeks=12`), a path, a
/// placeholder of a catalogue string (`{weeks}`), a flag (`--replicates`).
fn is_data(word: &str) -> bool {
    word.contains(['_', '=', '/', '{', '}'])
        || word.starts_with("--")
        || (word.contains('.') && word.chars().any(char::is_alphabetic))
}

/// The English words of `line` (after removing `allowed` text), or none.
fn english_in(line: &str, allowed: &[String]) -> Vec<&'static str> {
    let mut line = line.to_string();
    for a in allowed
        .iter()
        .map(String::as_str)
        .chain(PROPER_NAMES.iter().copied())
    {
        line = line.replace(a, " ");
    }
    if is_a_name(&line) {
        return Vec::new();
    }
    let line: Vec<&str> = line.split_whitespace().filter(|w| !is_data(w)).collect();
    let lower = line.join(" ").to_lowercase();
    let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    ENGLISH
        .iter()
        .copied()
        .filter(|w| {
            lower.match_indices(w).any(|(i, _)| {
                boundary(lower[..i].chars().next_back())
                    && boundary(lower[i + w.len()..].chars().next())
            })
        })
        .collect()
}

/// A number written with a decimal point (`0.25`), outside names such as `r0.5` or `0.1.0`.
fn point_numbers(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    for i in 1..chars.len().saturating_sub(1) {
        if chars[i] == '.' && chars[i - 1].is_ascii_digit() && chars[i + 1].is_ascii_digit() {
            let (mut a, mut b) = (i, i + 1);
            while a > 0 && (chars[a - 1].is_ascii_digit() || chars[a - 1] == '.') {
                a -= 1;
            }
            while b < chars.len() && (chars[b].is_ascii_digit() || chars[b] == '.') {
                b += 1;
            }
            let token: String = chars[a..b].iter().collect();
            let touches_name = (a > 0
                && (chars[a - 1].is_alphabetic() || "_/".contains(chars[a - 1])))
                || (b < chars.len() && (chars[b].is_alphabetic() || "_/".contains(chars[b])));
            if token.trim_end_matches('.').matches('.').count() == 1 && !touches_name {
                found.push(token);
            }
        }
    }
    found
}

/// Every English word and point-decimal number on the lines of `what`, as messages.
fn problems(what: &str, lines: &[String], allowed: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for l in lines {
        let words = english_in(l, allowed);
        if !words.is_empty() {
            out.push(format!("{what}: English {words:?} in {l:?}"));
        }
        let mut cleaned = l.clone();
        for a in allowed {
            cleaned = cleaned.replace(a.as_str(), " ");
        }
        let nums = point_numbers(&cleaned);
        if !nums.is_empty() {
            out.push(format!("{what}: decimal point in {nums:?}: {l:?}"));
        }
    }
    out
}

/// The description of a bundled scenario: the author's own words, shown as written.
fn description(scenario: &str) -> String {
    let text = std::fs::read_to_string(root().join(scenario)).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    doc.get("scenario")
        .and_then(|s| s.get("description"))
        .and_then(|d| d.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Runs `dugnad ARGS --lang nb -o OUT` from the repository root, ARGS the `parts` one after the
/// other; its stdout and stderr.
fn nb(parts: &[&[&str]], out: &Path) -> String {
    let a = dugnad()
        .args(parts.concat())
        .args(["--lang", "nb", "-o"])
        .arg(out)
        .current_dir(root())
        .env_remove("DUGNAD_LANG")
        .assert()
        .success();
    format!(
        "{}{}",
        String::from_utf8_lossy(&a.get_output().stdout),
        stderr_of(&a)
    )
}

/// The lines a command printed on the terminal, its data names removed: words with `_` (indicator
/// keys, `final_week`), lens names (`voice_parity (volunteers)`) and priors as the scenario writes
/// them (`{ uniform = [0.0, 1.5] }`). Paths, flags and keys with `.` are left to [`is_data`].
fn terminal(text: &str) -> Vec<String> {
    let lenses: Vec<&str> = Lang::En
        .catalogue()
        .keys()
        .filter_map(|k| k.strip_prefix("common.lens_"))
        .chain(["all"])
        .collect();
    text.lines()
        .map(|l| {
            let mut l = l.to_string();
            while let (Some(a), Some(b)) = (l.find("{ "), l.find(" }")) {
                if b < a {
                    break;
                }
                l.replace_range(a..b + 2, " ");
            }
            l.split_whitespace()
                .filter(|w| {
                    let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
                    !w.contains('_') && !lenses.contains(&bare)
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn report(dir: &Path) -> Vec<String> {
    visible_text(&std::fs::read_to_string(dir.join("report.html")).unwrap())
}

#[test]
fn nothing_a_reader_sees_under_nb_is_english() {
    let tmp = scratch();
    let t = |name: &str| tmp.path().join(name);
    let cafe = "scenarios/knitting-cafe.toml";
    // The descriptions as the reports show them (their numbers in the page's decimal mark).
    let allowed: Vec<String> = [cafe, "scenarios/focus-group.toml"]
        .iter()
        .map(|s| Lang::Nb.number(&description(s)))
        .collect();
    let small = ["--replicates", "3", "--weeks", "12", "--quiet"];
    // The commands below are not quiet: their terminal summaries are checked too.
    let loud = &small[..4];
    let mut found = Vec::new();

    // The run report of two scenarios, and the terminal summary.
    for s in [cafe, "scenarios/focus-group.toml"] {
        let out = t(s.trim_start_matches("scenarios/"));
        nb(&[&["run", s], &small], &out);
        found.extend(problems(s, &report(&out), &allowed));
    }
    let summary = nb(
        &[&[
            "run",
            cafe,
            "--replicates",
            "3",
            "--weeks",
            "12",
            "--no-charts",
        ]],
        &t("summary"),
    );
    // The summary names indicators by key (data vocabulary); its words and numbers are checked.
    found.extend(problems("summary", &terminal(&summary), &allowed));

    // compare, with adaptive replication; a grid and an LHS sweep; Morris and Sobol.
    let other = "scenarios/co-designed-cafe.toml";
    let cmp = t("compare");
    let said = nb(
        &[&[
            "compare",
            cafe,
            other,
            "--replicates",
            "4",
            "--weeks",
            "12",
            "--target-ci",
            "0.2",
            "--indicator",
            "voice_parity",
            "--batch",
            "4",
            "--max-replicates",
            "8",
        ]],
        &cmp,
    );
    found.extend(problems("compare", &report(&cmp), &allowed));
    let said = terminal(&said);
    // The adaptive sentence, the head, the columns (two lines) and a line per headline indicator.
    assert!(said.len() > 4, "{said:?}");
    found.extend(problems("compare (terminal)", &said, &allowed));
    let grid = t("grid");
    let vary = ["sweep", cafe, "--vary", "activity.co_design=0,0.5,1"];
    let said = nb(&[&vary, loud], &grid);
    found.extend(problems("grid sweep", &report(&grid), &allowed));
    found.extend(problems(
        "grid sweep (terminal)",
        &terminal(&said),
        &allowed,
    ));
    // The same sweep in two shards, merged; then one shard resumed to the whole sweep.
    let mut sharded = String::new();
    let (one, two) = (t("shard-0"), t("shard-1"));
    for (shard, dir) in [("0/2", &one), ("1/2", &two)] {
        let args: [&[&str]; 3] = [&vary, loud, &["--no-charts", "--shard", shard]];
        sharded.push_str(&nb(&args, dir));
    }
    let merge = [
        "merge",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "--no-charts",
    ];
    sharded.push_str(&nb(&[&merge], &t("merged")));
    sharded.push_str(&nb(&[&vary, loud, &["--no-charts"]], &one));
    let said = terminal(&sharded);
    assert_eq!(said.len(), 7, "{said:?}");
    found.extend(problems("sharded sweep (terminal)", &said, &allowed));
    let lhs = t("lhs");
    let ranges = [
        "--range",
        "activity.co_design=0:1",
        "--range",
        "activity.facilitation=0:1",
    ];
    let said = nb(
        &[&["sweep", cafe, "--sample", "lhs:8"], &ranges, loud],
        &lhs,
    );
    found.extend(problems("LHS sweep", &report(&lhs), &allowed));
    found.extend(problems("LHS sweep (terminal)", &terminal(&said), &allowed));
    let morris = t("morris");
    let said = nb(
        &[&["sensitivity", cafe, "--trajectories", "3"], &ranges, loud],
        &morris,
    );
    found.extend(problems("Morris", &report(&morris), &allowed));
    found.extend(problems("Morris (terminal)", &terminal(&said), &allowed));
    // A shard of it at the scenario's own replicate count: the note that fewer would do.
    let said = nb(
        &[
            &["sensitivity", cafe, "--trajectories", "2", "--weeks", "12"],
            &ranges,
            &["--shard", "0/2", "--no-charts"],
        ],
        &t("morris-shard"),
    );
    let said = terminal(&said);
    assert_eq!(said.len(), 3, "{said:?}");
    found.extend(problems("Morris shard (terminal)", &said, &allowed));
    let sobol = t("sobol");
    let said = nb(
        &[
            &["sensitivity", cafe, "--method", "sobol", "--samples", "8"],
            &ranges,
            loud,
        ],
        &sobol,
    );
    found.extend(problems("Sobol", &report(&sobol), &allowed));
    let said = terminal(&said);
    // The head, warnings (N = 8 is too small), the ranking and the closing line.
    assert!(said.len() > 8, "{said:?}");
    found.extend(problems("Sobol (terminal)", &said, &allowed));

    // A fit's report: fitted under nb, and an English fit redrawn by `plot --lang nb`.
    let fit_args = [
        "fit",
        "scenarios/pilot-cafe.toml",
        "--data",
        "scenarios/observed-template.csv",
        "--particles",
        "60",
        "--generations",
        "2",
    ];
    let fit = t("fit");
    let said = nb(&[&fit_args], &fit);
    found.extend(problems("fit", &report(&fit), &allowed));
    found.extend(problems("fit (terminal)", &terminal(&said), &allowed));
    // One shard of a fit that does not wait for the other.
    let said = nb(
        &[&fit_args, &["--shard", "0/2", "--no-wait", "--no-charts"]],
        &t("fit-shard"),
    );
    let said = terminal(&said);
    assert_eq!(said.len(), 2, "{said:?}");
    found.extend(problems("fit shard (terminal)", &said, &allowed));
    let fit_en = t("fit-en");
    dugnad()
        .args(fit_args)
        .args(["--quiet", "-o"])
        .arg(&fit_en)
        .current_dir(root())
        .env_remove("DUGNAD_LANG")
        .assert()
        .success();
    assert!(report(&fit_en)
        .iter()
        .any(|l| l.contains("Using the posterior")));
    dugnad()
        .args(["plot", "--lang", "nb", "-q"])
        .arg(&fit_en)
        .current_dir(root())
        .assert()
        .success();
    found.extend(problems("fit redrawn", &report(&fit_en), &allowed));

    // The classroom page's strings.
    let page: Vec<String> = Lang::Nb
        .section("page")
        .values()
        .map(|s| s.to_string())
        .collect();
    found.extend(problems("page", &page, &allowed));

    assert!(
        found.is_empty(),
        "{} English words or decimal points under nb:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// `dugnad trace ARGS --lang nb` from the repository root: its exit code, stdout and stderr.
fn nb_trace(args: &[&str]) -> (i32, String, String) {
    let out = dugnad()
        .arg("trace")
        .args(args)
        .args(["--lang", "nb"])
        .current_dir(root())
        .env_remove("DUGNAD_LANG")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_transcript_under_nb_is_bokmal() {
    // Weeks found with --find, so that every family of sentences shows up: usurpation, help,
    // attempts and the agenda (every meeting), a host's first subtyping, limbo, a step-up, a door.
    let cases: [(&str, &[&str], &[&str]); 6] = [
        (
            "scenarios/knitting-cafe.toml",
            &["--find", "usurp"],
            &[
                "fullfører setningen for",
                "Hjelp",
                "Dagsorden",
                "På egen hånd",
            ],
        ),
        (
            "scenarios/knitting-cafe.toml",
            &["--week", "12"],
            &["Uka i tall"],
        ),
        (
            "scenarios/co-designed-cafe.toml",
            &["--find", "step-up"],
            &["invitert til å bli"],
        ),
        (
            "scenarios/co-designed-cafe.toml",
            &["--find", "subtype"],
            &["som et unntak fra stereotypien"],
        ),
        (
            "scenarios/municipality.toml",
            &["--find", "limbo"],
            &["i limbo"],
        ),
        (
            "scenarios/dugnad.toml",
            &["--find", "door"],
            &["gjennom en kontakt"],
        ),
    ];
    let mut found = Vec::new();
    for (scenario, args, markers) in cases {
        let (code, text, err) = nb_trace(&[&[scenario][..], args].concat());
        assert_eq!(code, 0, "{scenario} {args:?}: {err}");
        for marker in markers {
            assert!(
                text.contains(marker),
                "{scenario} {args:?} lacks {marker:?}:\n{text}"
            );
        }
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        found.extend(problems(
            &format!("trace {scenario} {args:?}"),
            &lines,
            &[description(scenario)],
        ));
    }
    // What --find says when it finds nothing.
    let (code, _, err) = nb_trace(&[
        "scenarios/knitting-cafe.toml",
        "--find",
        "step-up",
        "--weeks",
        "3",
        "--week",
        "2",
        "--group",
        "0",
    ]);
    assert_eq!(code, 3, "{err}");
    let err = err.trim_start_matches("error: ").to_string();
    // The flags it suggests are the command line's words, the same in every language.
    let flags = ["--replicate", "--group", "--week"].map(String::from);
    found.extend(problems("trace --find (nothing)", &[err], &flags));
    assert!(
        found.is_empty(),
        "{} English words or decimal points in the nb transcript:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_checks_catch_english_and_decimal_points() {
    let none: Vec<String> = Vec::new();
    assert_eq!(
        english_in("no data (nobody in the lens)", &none),
        vec!["the", "no data"]
    );
    assert!(english_in("mean_agency", &none).is_empty());
    assert!(english_in("Agens — nyankomne", &none).is_empty());
    assert_eq!(point_numbers("snitt 0.25 [0,1, 0,4]"), vec!["0.25"]);
    assert!(point_numbers("dugnad 0.1.0, doi 10.33134/njmr.436, slutt 3.").is_empty());
    assert_eq!(
        visible_text("<p>a <code>the x</code> b</p><style>.x{}</style>"),
        vec!["a", "b"]
    );
}
