//! The command line keeps its promises: a closed pipe ends the process quietly, every flag a
//! `--help` shows is accepted (each is run), flags a command cannot honour are neither shown nor
//! silently ignored, the default output folders are the ones the help names, a mistyped
//! subcommand gets "did you mean", every fix an error suggests is itself a command that runs, and
//! scenarios/README.md states the sizes the files have.

mod common;

use clap::CommandFactory;
use common::{dugnad, read, root, scratch};
use std::collections::BTreeSet;
use std::path::Path;

fn scenario(name: &str) -> String {
    root()
        .join("scenarios")
        .join(format!("{name}.toml"))
        .display()
        .to_string()
}

/// Small sizes for any command that runs the model.
const TINY: [&str; 4] = ["--replicates", "2", "--weeks", "2"];

/// Every (subcommand, long flag) that `--help` shows.
fn documented_flags() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for sc in dugnad::cli::Cli::command().get_subcommands() {
        for a in sc.get_arguments() {
            if a.is_hide_set() || a.is_positional() {
                continue;
            }
            if let Some(long) = a.get_long().filter(|l| *l != "help") {
                out.insert((sc.get_name().to_string(), format!("--{long}")));
            }
        }
    }
    out
}

/// The long flags among `args`, with `-o` as `--output`.
fn flags_in(args: &[String]) -> Vec<String> {
    args.iter()
        .filter(|a| a.starts_with("--") || a.as_str() == "-o" || a.as_str() == "-q")
        .map(|a| match a.as_str() {
            "-o" => "--output".to_string(),
            "-q" => "--quiet".to_string(),
            _ => a.split('=').next().unwrap_or(a).to_string(),
        })
        .collect()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Runs `args` and returns (exit code, stderr).
fn run(args: &[String], cwd: &Path) -> (Option<i32>, String) {
    let out = dugnad().args(args).current_dir(cwd).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// `line` split at spaces, each `{name}` word replaced by its value (which may hold spaces).
fn argv(line: &str, vars: &[(&str, String)]) -> Vec<String> {
    line.split_whitespace()
        .map(|w| {
            vars.iter()
                .find(|(k, _)| w == format!("{{{k}}}"))
                .map_or_else(|| w.to_string(), |(_, v)| v.clone())
        })
        .collect()
}

/// Every command with every flag its --help shows, at tiny sizes (one flag may be run by
/// several lines; `bench --check` and `serve` are run separately).
const INVOCATIONS: &[&str] = &[
    "run {kc} --replicates 2 --weeks 2 --seed 3 --threads 1 --set activity.groups=2 --quiet \
     -o {dir}/r --per-group --keep-replicates --no-charts",
    "run {kc} --replicates 2 --weeks 2 -o {dir}/r --force",
    "check {kc} --set activity.groups=2",
    "params --json",
    "params --markdown",
    "params --mechanisms",
    "validate --fact 8b --replicates 4 --seed 7 --threads 1 -o {dir}/v --quiet",
    "validate --fact 8b --replicates 4 --markdown --output {dir}/v --force -q",
    "schema",
    "calibrate {calibration} --replicates 2 --weeks 2 --seed 1 --threads 1 \
     --set activity.groups=1 --at 2:activity.co_design=0.5 --json",
    "trace {kc} --weeks 10 --seed 3 --set activity.facilitation=0.5 --replicate 1 --week 2 \
     --group 0 --at 2:activity.co_design=0.5 --format json",
    "trace {fg} --find usurp",
    "trace {kc} --week 2 --lang nb",
    "compare {kc} {co} --variant {variant} --baseline v --scope run_mean --replicates 2 \
     --weeks 2 --seed 1 --threads 1 --set activity.groups=1 -o {dir}/c --quiet --no-charts",
    "compare {kc} --variant {variant} --target-ci 10 --indicator voice_parity \
     --max-replicates 4 --batch 2 --weeks 2 -o {dir}/c --force --quiet",
    "sweep {kc} --vary activity.co_design=0,0.5 --scope run_mean --keep-replicates \
     --replicates 2 --weeks 2 --seed 1 --threads 1 --set activity.groups=1 -o {dir}/s \
     --at 2:activity.facilitation=0.5 --quiet --no-charts --force",
    "sweep {kc} --sample lhs:3 --range activity.co_design=0:1 --shard 0/2 --replicates 2 \
     --weeks 2 -o {dir}/s0 --quiet",
    "sweep {kc} --sample lhs:3 --range activity.co_design=0:1 --shard 1/2 --replicates 2 \
     --weeks 2 -o {dir}/s1 --quiet",
    "merge {dir}/s0 {dir}/s1 -o {dir}/m --force --no-charts --quiet",
    "sensitivity {kc} --method morris --range parameters.beta_e=1:3 --trajectories 2 \
     --levels 4 --indicator mean_agency --scope final_week --shard 0/1 --replicates 2 \
     --weeks 2 --seed 1 --threads 1 --set activity.groups=1 -o {dir}/x --force --quiet \
     --at 2:activity.facilitation=0.5 --no-charts",
    "sensitivity {kc} --method sobol --range parameters.beta_e=1:3 --samples 4 \
     --replicates 2 --weeks 2 -o {dir}/y --quiet --no-charts",
    "sensitivity {kc} --all-params --trajectories 2 --replicates 1 --weeks 1 -o {dir}/z \
     --quiet --no-charts",
    "bench {bench} --replicates 2 --weeks 2 --seed 1 --threads 1 --set activity.groups=2 \
     --at 2:activity.co_design=0.5 --quiet --repeats 1 --json",
    "run {kc} --replicates 2 --weeks 2 --set activity.groups=1 --agents --network graphml \
     --snapshot-weeks 1 -o {dir}/a --quiet --no-charts",
    "compare {kc} --variant {variant} --lens all --replicates 2 --weeks 2 \
     --set activity.groups=1 -o {dir}/cl --quiet --no-charts",
    "sweep {kc} --vary activity.co_design=0,0.5 --lens all --replicates 2 --weeks 2 \
     --set activity.groups=1 -o {dir}/sl --quiet --no-charts",
    "sensitivity {kc} --method morris --range parameters.beta_e=1:3 --trajectories 2 \
     --lens all --replicates 2 --weeks 2 --set activity.groups=1 -o {dir}/xl --quiet --no-charts",
    "indicators --markdown",
    "indicators",
    "run {kc} --replicates 2 --weeks 4 --at 3:activity.co_design=0.6 -o {dir}/at --quiet \
     --no-charts",
    "check {kc} --at 3:activity.co_design=0.6",
    "fit {pilot} --data {observed} --particles 20 --generations 2 --min-acceptance 0.01 \
     --max-simulations 400 --seed 1 --threads 1 --weeks 26 --set activity.groups=1 \
     --at 13:activity.co_design=0.5 -o {dir}/f --quiet --no-charts",
    "fit {pilot} --data {observed} --particles 20 --generations 1 --shard 0/1 --no-wait \
     -o {dir}/f1 --force --quiet --lang nb",
    "run {pilot} --posterior {dir}/f --replicates 2 --weeks 4 -o {dir}/rp --quiet --no-charts",
    "compare {pilot} --variant {variant} --posterior {dir}/f --replicates 2 --weeks 4 \
     --at 2:activity.facilitation=0.5 -o {dir}/cp --quiet --no-charts",
    "plot {dir}/at",
    "plot {dir}/at --chart retention --format pdf --width 600 --height 400 --dpi 150 \
     --no-title --lang nb -o {dir}/fig --force --quiet",
    "run {kc} --replicates 2 --weeks 2 --set activity.groups=1 -o {dir}/rn --quiet --lang nb",
    "compare {kc} --variant {variant} --replicates 2 --weeks 2 --set activity.groups=1 \
     -o {dir}/cn --quiet --lang nb",
    "sweep {kc} --vary activity.co_design=0,0.5 --replicates 2 --weeks 2 \
     --set activity.groups=1 -o {dir}/sn --quiet --lang nb",
    "merge {dir}/s0 {dir}/s1 -o {dir}/mn --quiet --lang nb",
    "sensitivity {kc} --method morris --range parameters.beta_e=1:3 --trajectories 2 \
     --replicates 2 --weeks 2 --set activity.groups=1 -o {dir}/xn --quiet --lang nb",
];

#[test]
fn every_documented_flag_of_every_command_runs() {
    let tmp = scratch();
    let dir = tmp.path().display().to_string();
    let vars: Vec<(&str, String)> = [
        ("kc", "knitting-cafe"),
        ("co", "co-designed-cafe"),
        ("fg", "focus-group"),
        ("calibration", "calibration"),
        ("bench", "bench"),
        ("pilot", "pilot-cafe"),
    ]
    .into_iter()
    .map(|(k, f)| (k, scenario(f)))
    .chain([
        ("variant", "v: activity.co_design=0.7".to_string()),
        (
            "observed",
            root()
                .join("scenarios/observed-template.csv")
                .display()
                .to_string(),
        ),
    ])
    .collect();
    // `{dir}/r`: the placeholder is a prefix here.
    let invocations: Vec<Vec<String>> = INVOCATIONS
        .iter()
        .map(|l| argv(&l.replace("{dir}", &dir), &vars))
        .collect();
    let mut covered: BTreeSet<(String, String)> = BTreeSet::new();
    for args in &invocations {
        let (code, err) = run(args, tmp.path());
        assert_eq!(code, Some(0), "dugnad {}\n{err}", args.join(" "));
        for f in flags_in(args) {
            covered.insert((args[0].clone(), f));
        }
    }
    // bench --check: runs, and either meets the targets or says which it missed (exit 1).
    let check = argv(
        "bench {bench} --replicates 2 --weeks 2 --repeats 1 --check",
        &vars,
    );
    let (code, err) = run(&check, tmp.path());
    assert!(
        code == Some(0) || (code == Some(1) && err.contains("performance targets missed")),
        "bench --check: {code:?} {err}"
    );
    covered.extend(
        flags_in(&check)
            .into_iter()
            .map(|f| ("bench".to_string(), f)),
    );
    // serve: starts with every flag, prints its address, and is stopped.
    covered.extend(serve_with_every_flag());

    let missing: Vec<_> = documented_flags().difference(&covered).cloned().collect();
    assert!(
        missing.is_empty(),
        "flags shown by --help that no invocation here runs (add one): {missing:?}"
    );
}

/// Starts `dugnad serve --port 0 --host 127.0.0.1 --workers 2`, waits for its address line,
/// stops it; returns the flags run.
fn serve_with_every_flag() -> Vec<(String, String)> {
    use std::io::BufRead;
    let args = [
        "serve",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--workers",
        "2",
        "--lang",
        "nb",
    ];
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dugnad"))
        .args(args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(line.contains("http://127.0.0.1:"), "serve: {line}");
    flags_in(&strings(&args))
        .into_iter()
        .map(|f| ("serve".to_string(), f))
        .collect()
}

#[test]
fn flags_a_command_cannot_honour_are_hidden_and_refused() {
    let tmp = scratch();
    let kc = scenario("knitting-cafe");
    let shown = documented_flags();
    for (cmd, flag) in [
        ("trace", "--output"),
        ("trace", "--force"),
        ("trace", "--replicates"),
        ("trace", "--threads"),
        ("trace", "--quiet"),
        ("calibrate", "--output"),
        ("calibrate", "--force"),
        ("calibrate", "--quiet"),
        ("bench", "--output"),
        ("bench", "--force"),
        ("fit", "--replicates"),
    ] {
        assert!(
            !shown.contains(&(cmd.to_string(), flag.to_string())),
            "{cmd} --help shows {flag}"
        );
    }
    for args in [
        vec!["trace", &kc, "-o", "x.txt"],
        vec!["trace", &kc, "--force"],
        vec!["trace", &kc, "--replicates", "3"],
        vec!["calibrate", "-o", "x", "--replicates", "2", "--weeks", "2"],
        vec!["bench", "--force", "--replicates", "2", "--weeks", "2"],
    ] {
        let (code, err) = run(&strings(&args), tmp.path());
        assert_eq!(code, Some(2), "{args:?} is refused: {err}");
        assert!(
            err.contains("redirect") || err.contains("--replicate R"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn default_output_folders_are_the_ones_the_help_names() {
    let tmp = scratch();
    let (kc, co) = (scenario("knitting-cafe"), scenario("co-designed-cafe"));
    let cli = dugnad::cli::Cli::command();
    let help_default = |cmd: &str| -> String {
        let sc = cli.find_subcommand(cmd).unwrap();
        let a = sc.get_arguments().find(|a| a.get_id() == "output").unwrap();
        let help = a.get_help().unwrap().to_string();
        let start = help.find("(default: ").unwrap() + "(default: ".len();
        let rest = &help[start..];
        rest[..rest.find([',', ')']).unwrap()].to_string()
    };
    for (cmd, args, fill) in [
        (
            "run",
            vec![kc.clone()],
            vec![("<scenario name>", "knitting-cafe")],
        ),
        (
            "compare",
            vec![kc.clone(), co.clone()],
            vec![("A-vs-B", "knitting-cafe-vs-co-designed-cafe")],
        ),
        (
            "sweep",
            vec![kc.clone(), "--vary".into(), "activity.co_design=0,1".into()],
            vec![("<scenario name>", "knitting-cafe")],
        ),
        (
            "sensitivity",
            vec![
                kc.clone(),
                "--range".into(),
                "parameters.beta_e=1:3".into(),
                "--trajectories".into(),
                "2".into(),
            ],
            vec![("<scenario name>", "knitting-cafe"), ("<method>", "morris")],
        ),
    ] {
        let mut folder = help_default(cmd);
        for (from, to) in fill {
            folder = folder.replace(from, to);
        }
        let mut full = vec![cmd.to_string()];
        full.extend(args);
        full.extend(strings(&TINY));
        full.extend(strings(&["--quiet", "--no-charts"]));
        let (code, err) = run(&full, tmp.path());
        assert_eq!(code, Some(0), "{full:?}: {err}");
        assert!(
            tmp.path().join(&folder).join("manifest.json").exists(),
            "{cmd}: --help says the default folder is {folder}"
        );
    }
}

#[test]
fn a_mistyped_subcommand_gets_did_you_mean() {
    for (typed, meant) in [
        ("rn", "run"),
        ("sweeep", "sweep"),
        ("sensitivty", "sensitivity"),
        ("trcae", "trace"),
    ] {
        let out = dugnad()
            .arg(typed)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        assert!(
            err.contains("similar subcommand") && err.contains(&format!("'{meant}'")),
            "{typed}: {err}"
        );
    }
    let out = dugnad()
        .arg("zzzzzz")
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(!String::from_utf8(out).unwrap().contains("similar"));
}

/// The value an error message suggests after `marker` (up to a space, ';' or ')'; a quoted value
/// up to its closing quote), with a trailing ',' removed.
fn suggested(err: &str, marker: &str) -> String {
    let at = err
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in: {err}"));
    let rest = &err[at + marker.len()..];
    if let Some(q) = rest.strip_prefix('\'') {
        return q[..q.find('\'').unwrap()].to_string();
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ';' || c == ')')
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches(',').to_string()
}

/// Replaces the value after `flag` in `args` (or appends `flag value`).
fn with_flag(args: &[String], flag: &str, value: &str) -> Vec<String> {
    let mut out = args.to_vec();
    match out.iter().position(|a| a == flag) {
        Some(i) => out[i + 1] = value.to_string(),
        None => out.extend([flag.to_string(), value.to_string()]),
    }
    out
}

/// Commands that fail with a suggested fix: (command line, its exit code, the text before the
/// suggested value, the flag the value is for). `{tiny}` stands for tiny sizes and an output
/// folder.
#[rustfmt::skip]
const SUGGESTING: &[(&str, i32, &str, &str)] = &[
    ("sensitivity {kc} {tiny}", 2, "e.g. --range ", "--range"),
    ("sensitivity {kc} --range parameters.beta_e=1:3 --levels 3 {tiny}", 2, "e.g. --levels ", "--levels"),
    ("sweep {kc} --vary activity.co_design {tiny}", 2, "e.g. --vary ", "--vary"),
    ("sweep {kc} --sample lhs --range activity.co_design=0:1 {tiny}", 2, "e.g. ", "--sample"),
    ("sweep {kc} --sample lhs:3 --range activity.co_design {tiny}", 2, "e.g. --range ", "--range"),
    ("sweep {kc} --sample lhs:3 --range activity.co_design=1:0 {tiny}", 2, "e.g. --range ", "--range"),
    ("sweep {kc} --vary activity.co_design=0,1 --shard 5 {tiny}", 2, "e.g. --shard ", "--shard"),
    ("compare {kc} --variant bad {tiny}", 2, "e.g. --variant ", "--variant"),
    ("run {kc} --set activity.service_frame=2 {tiny}", 2, "e.g. --set ", "--set"),
    ("run {kc} --set activity.targets=3 {tiny}", 2, "e.g. --set ", "--set"),
    ("run {kc} --set activity.language_policy=3 {tiny}", 2, "e.g. --set ", "--set"),
    ("run {kc} --replicates 2 --weeks 0 -o {dir}/w --quiet", 2, "e.g. --weeks ", "--weeks"),
    ("run {kc} --replicates 0 --weeks 2 -o {dir}/p --quiet", 2, "e.g. --replicates ", "--replicates"),
    ("trace {cc} --find step-up", 3, "(--replicate ", "--replicate"),
];

#[test]
fn every_fix_an_error_suggests_runs() {
    let tmp = scratch();
    let dir = tmp.path().display().to_string();
    // The community centre is the study's two years (the focus group is its one meeting, in
    // which nobody steps up): replicate 0 has no step-up, replicate 1 has.
    let vars = [
        ("kc", scenario("knitting-cafe")),
        ("cc", scenario("community-centre")),
    ];
    let line = |l: &str, k: usize| {
        let tiny = format!("--replicates 2 --weeks 2 --quiet --no-charts --force -o {dir}/out{k}");
        argv(&l.replace("{tiny}", &tiny).replace("{dir}", &dir), &vars)
    };
    let cases: Vec<(Vec<String>, i32, &str, &str)> = SUGGESTING
        .iter()
        .enumerate()
        .map(|(k, &(l, code, marker, flag))| (line(l, k), code, marker, flag))
        .collect();
    for (args, code, marker, flag) in cases {
        let (got, err) = run(&args, tmp.path());
        assert_eq!(got, Some(code), "dugnad {}: {err}", args.join(" "));
        let value = suggested(&err, marker);
        let fixed = with_flag(&args, flag, &value);
        let (got, err2) = run(&fixed, tmp.path());
        assert_eq!(
            got,
            Some(0),
            "the fix suggested by\n  {err}\ndoes not run: dugnad {}\n  {err2}",
            fixed.join(" ")
        );
    }
    // A mistyped subcommand: the suggested one runs.
    let mut args = line("rn {kc} {tiny}", 99);
    let (_, err) = run(&args, tmp.path());
    args[0] = suggested(&err, "a similar subcommand exists: '")
        .trim_end_matches('\'')
        .to_string();
    assert_eq!(run(&args, tmp.path()).0, Some(0), "{args:?}");
}

#[test]
fn weeks_zero_is_reported_as_given_by_weeks() {
    for (flag, value, key) in [
        ("--weeks", "0", "scenario.weeks"),
        ("--replicates", "0", "scenario.replicates"),
    ] {
        for cmd in [
            vec!["run", "scenarios/knitting-cafe.toml"],
            vec!["trace", "scenarios/knitting-cafe.toml"],
            vec![
                "sweep",
                "scenarios/knitting-cafe.toml",
                "--vary",
                "activity.co_design=0,1",
            ],
            vec![
                "compare",
                "scenarios/knitting-cafe.toml",
                "scenarios/focus-group.toml",
            ],
        ] {
            if cmd[0] == "trace" && flag == "--replicates" {
                continue;
            }
            let out = dugnad().args(&cmd).args([flag, value]).assert().code(2);
            let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
            assert!(
                err.contains(key) && err.contains(&format!("(this value was given by {flag})")),
                "{cmd:?} {flag} {value}: {err}"
            );
            assert!(!err.contains("--set"), "{cmd:?}: {err}");
        }
    }
}

/// A process whose stdout or stderr reader has gone ends quietly, killed by SIGPIPE (exit status
/// 141 in a shell) like `cat`, never with a panic (status 101). The pipe's reading end is closed
/// before the process starts, so every write meets a closed pipe.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    const SIGPIPE: i32 = 13;
    let tmp = scratch();
    let dir = tmp.path().display().to_string();
    let vars = [("kc", scenario("knitting-cafe"))];
    for (line, closed) in [
        ("params", "stdout"),
        ("schema", "stdout"),
        ("trace {kc} --week 3", "stdout"),
        (
            "run {kc} --replicates 2 --weeks 2 --no-charts -o {dir}/r",
            "stderr",
        ),
    ] {
        let args = argv(&line.replace("{dir}", &dir), &vars);
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let err_file = tmp.path().join("stderr.txt");
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("dugnad"));
        cmd.args(&args).stdin(Stdio::null());
        if closed == "stdout" {
            cmd.stdout(writer)
                .stderr(std::fs::File::create(&err_file).unwrap());
        } else {
            cmd.stdout(Stdio::null()).stderr(writer);
        }
        let status = cmd.status().unwrap();
        let err = std::fs::read_to_string(&err_file).unwrap_or_default();
        assert_eq!(
            status.signal(),
            Some(SIGPIPE),
            "{line} with {closed} closed: {status:?} {err}"
        );
        assert!(!err.contains("panicked"), "{line}: {err}");
        let _ = std::fs::remove_file(&err_file);
    }
    assert!(
        tmp.path().join("r").join("manifest.json").exists(),
        "the run was complete before its summary met the closed pipe"
    );
}

/// The numbers the scenarios/README.md table gives for a file (weeks, replicates, groups,
/// service frame, co-design, facilitation) are the file's.
#[test]
fn the_scenarios_readme_tells_the_files_sizes() {
    let readme = read(&root().join("scenarios/README.md"));
    let mut rows = 0;
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let file = &line[3..line[3..].find('`').unwrap() + 3];
        let s = dugnad::scenario::load(&root().join("scenarios").join(file), &[]).unwrap();
        let groups: u32 = s.activities.iter().map(|a| a.groups).sum();
        let number_before = |word: &str| -> Option<f64> {
            let i = line.find(word)?;
            line[..i]
                .split_whitespace()
                .last()?
                .trim_matches(',')
                .parse()
                .ok()
        };
        let number_after = |word: &str| -> Option<f64> {
            let i = line.find(word)?;
            line[i + word.len()..]
                .split_whitespace()
                .next()?
                .trim_matches(|c: char| c == ',' || c == ';')
                .parse()
                .ok()
        };
        let checks = [
            (number_before(" weeks"), s.weeks as f64, "weeks"),
            (
                number_before(" replicates"),
                s.replicates as f64,
                "replicates",
            ),
            (number_before(" groups"), groups as f64, "groups"),
        ];
        for (stated, actual, what) in checks {
            if let Some(x) = stated {
                assert_eq!(x, actual, "scenarios/README.md, {file}: {what}");
            }
        }
        if s.activities.len() == 1 {
            let a = &s.activities[0];
            for (word, actual) in [
                ("service frame", a.service_frame),
                ("co-design", a.co_design),
                ("facilitation", a.facilitation),
            ] {
                if let Some(x) = number_after(word) {
                    assert_eq!(x, actual, "scenarios/README.md, {file}: {word}");
                }
            }
        }
        rows += 1;
    }
    assert_eq!(
        rows,
        common::bundled().len(),
        "one README row per bundled scenario"
    );
}

#[test]
fn flag_values_are_told_as_the_flag_that_gave_them() {
    let out = dugnad()
        .args([
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--vary",
            "activity.co_design=a:b",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("--vary activity.co_design: the value 'a:b' is not valid")
            && !err.contains("--set"),
        "{err}"
    );
    let out = dugnad()
        .args([
            "sweep",
            "scenarios/knitting-cafe.toml",
            "--sample",
            "lhs:3",
            "--range",
            "activity.co_design",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("is not KEY=LO:HI"), "{err}");
}
