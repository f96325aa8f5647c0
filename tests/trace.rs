//! `dugnad trace`: a week of a group as a transcript, from the engine's own event stream.

mod common;

use common::{dugnad, stdout};
use dugnad::mechanisms::events::NoEvents;
use dugnad::model::group::Design;
use dugnad::sim::engine::GroupRun;
use dugnad::teach::trace::{self, GroupRef, TraceSpec};

/// The engine's own count of usurped turns in week `week` of group `gi` of design `di`, from an
/// ordinary run (no events).
fn engine_usurped(file: &str, replicate: u64, week: u32, di: usize, gi: u64) -> f64 {
    let s = dugnad::scenario::load(std::path::Path::new(file), &[]).unwrap();
    let designs = Design::compile_all(&s);
    let mut run = GroupRun::new(&designs[di], s.seed, replicate, gi);
    for _ in 1..week {
        run.step(&mut NoEvents);
    }
    let t = run.step(&mut NoEvents);
    t.classes.iter().map(|c| c.spoken_for).sum()
}

fn usurp_lines(text: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_start().starts_with("Turn ") && l.contains("'s sentence"))
        .count()
}

#[test]
fn the_same_seed_gives_the_same_transcript() {
    let args = [
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "6",
        "--replicate",
        "2",
    ];
    let a = stdout(&args);
    let b = stdout(&args);
    assert_eq!(a, b);
    assert!(
        a.starts_with("knitting-cafe — week 6, group 0 of 1, replicate 2, seed 2019"),
        "{a}"
    );
    for part in [
        "Who is in the group this week",
        "Volunteer ",
        "Participant ",
        "(need to help 0.",
        "(language 0.",
        "End of week 6",
    ] {
        assert!(a.contains(part), "transcript lacks {part:?}:\n{a}");
    }
    let j1 = stdout(&[
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "6",
        "--format",
        "json",
    ]);
    let j2 = stdout(&[
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "6",
        "--format",
        "json",
    ]);
    assert_eq!(j1, j2);
    let other = stdout(&[
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "6",
        "--replicate",
        "2",
        "--seed",
        "5",
    ]);
    assert_ne!(a, other, "another seed gives another week");
}

#[test]
fn usurp_lines_match_the_engines_count() {
    let mut total = 0;
    for (file, week, replicate) in [
        ("scenarios/knitting-cafe.toml", 1, 0),
        ("scenarios/knitting-cafe.toml", 12, 3),
        ("scenarios/knitting-cafe.toml", 40, 1),
        ("scenarios/focus-group.toml", 1, 0),
        ("scenarios/community-centre.toml", 5, 0),
        ("scenarios/co-designed-cafe.toml", 8, 4),
        ("scenarios/dugnad.toml", 3, 2),
    ] {
        let (w, r) = (week.to_string(), replicate.to_string());
        let text = stdout(&["trace", file, "--week", &w, "--replicate", &r]);
        let expected = engine_usurped(file, replicate, week, 0, 0);
        assert_eq!(
            usurp_lines(&text) as f64,
            expected,
            "{file} week {week} replicate {replicate}:\n{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&stdout(&[
            "trace",
            file,
            "--week",
            &w,
            "--replicate",
            &r,
            "--format",
            "json",
        ]))
        .unwrap();
        let in_json = json
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == "usurped")
            .count();
        assert_eq!(in_json as f64, expected, "{file}: JSON usurped events");
        total += in_json;
    }
    assert!(total > 0, "the cases include usurped turns");
}

#[test]
fn json_is_the_week_events_with_persons_named() {
    let text = stdout(&[
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "3",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let events = v.as_array().unwrap();
    assert_eq!(events[0]["event"], "week-start");
    let mut turns = 0;
    for e in events {
        assert_eq!(e["week"], 3);
        assert!(
            ["start", "meeting", "end"].contains(&e["phase"].as_str().unwrap()),
            "{e}"
        );
        for key in [
            "person",
            "speaker",
            "by",
            "helper",
            "participant",
            "volunteer",
            "adopted",
        ] {
            if let Some(p) = e.get(key) {
                assert!(
                    p["name"].as_str().is_some_and(|n| !n.is_empty()),
                    "{key} is named: {e}"
                );
                assert!(p["label"].as_str().is_some(), "{e}");
                assert!(p["slot"].as_u64().is_some(), "{e}");
            }
        }
        if matches!(e["event"].as_str(), Some("turn" | "hesitated" | "usurped")) {
            turns += 1;
            let t = e["turn"].as_u64().unwrap();
            assert!((1..=120).contains(&t), "turns are 1-based: {e}");
            assert_eq!(e["meeting"], 1);
        } else {
            assert!(e["turn"].is_null(), "{e}");
        }
    }
    assert_eq!(turns, 120, "every turn of the meeting is an event");
    let agency = events
        .iter()
        .filter(|e| e["event"] == "agency-changed")
        .count();
    assert_eq!(
        agency, 12,
        "one agency-changed per participant at the end of the week"
    );
    assert!(events.iter().any(|e| e["event"] == "perceived"));
    assert!(events.iter().any(|e| e["event"] == "decision"));
}

#[test]
fn recording_events_does_not_change_the_simulation() {
    let s = dugnad::scenario::load(std::path::Path::new("scenarios/co-designed-cafe.toml"), &[])
        .unwrap();
    let designs = Design::compile_all(&s);
    for (week, replicate) in [(1, 0), (9, 1), (30, 2)] {
        let t = trace::simulate(
            &s,
            &designs,
            &TraceSpec {
                replicate,
                week,
                group: GroupRef::Index(0),
            },
        )
        .unwrap();
        let mut run = GroupRun::new(&designs[0], s.seed, replicate, 0);
        for _ in 1..week {
            run.step(&mut NoEvents);
        }
        let tally = run.step(&mut NoEvents).clone();
        assert_eq!(
            t.tally, tally,
            "week {week}: the traced week is the week `dugnad run` simulates"
        );
        let lines = trace::lines(&t);
        let usurped = lines.iter().filter(|l| l.kind == "usurped").count() as f64;
        assert_eq!(
            usurped,
            tally.classes.iter().map(|c| c.spoken_for).sum::<f64>()
        );
        let hesitated = t
            .events
            .iter()
            .filter(|e| matches!(e, dugnad::mechanisms::events::Event::Hesitated { .. }))
            .count();
        assert_eq!(
            lines.iter().filter(|l| l.kind == "hesitated").count(),
            hesitated,
            "every hesitation is shown"
        );
    }
}

#[test]
fn keyed_designs_and_bad_choices() {
    let text = stdout(&[
        "trace",
        "scenarios/municipality.toml",
        "--weeks",
        "4",
        "--week",
        "2",
        "--group",
        "tour:1",
    ]);
    assert!(text.contains("design 'tour'"), "{text}");
    let by_index = stdout(&[
        "trace",
        "scenarios/municipality.toml",
        "--weeks",
        "4",
        "--week",
        "2",
        "--group",
        "201",
    ]);
    assert_eq!(
        text, by_index,
        "tour:1 is group 201 (80 knitting + 120 language café groups come first)"
    );
    let usurped = engine_usurped("scenarios/municipality.toml", 0, 2, 2, 1);
    assert_eq!(usurp_lines(&text) as f64, usurped);

    for (args, needle) in [
        (vec!["--week", "0"], "weeks are numbered 1 to"),
        (vec!["--week", "105"], "weeks are numbered 1 to 104"),
        (vec!["--group", "1"], "the scenario has 1 group"),
        (vec!["--group", "cafe:0"], "no design 'cafe'"),
        (vec!["--group", "x"], "is not a group"),
        (vec!["--set", "activity.co_design=2"], "activity.co_design"),
    ] {
        let out = dugnad()
            .args(["trace", "scenarios/knitting-cafe.toml"])
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn overrides_change_the_transcript_like_run() {
    // Full facilitation blocks every usurped turn (MODEL.md M1).
    let text = stdout(&[
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "1",
        "--set",
        "activity.facilitation=1",
    ]);
    assert_eq!(usurp_lines(&text), 0, "{text}");
    assert!(
        text.contains("hesitates; "),
        "hesitations are still shown: {text}"
    );
}

fn load(file: &str, set: &[&str]) -> (dugnad::scenario::Scenario, Vec<Design>) {
    let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    let s = dugnad::scenario::load(std::path::Path::new(file), &set).unwrap();
    let designs = Design::compile_all(&s);
    (s, designs)
}

fn week_of(
    s: &dugnad::scenario::Scenario,
    designs: &[Design],
    replicate: u64,
    group: usize,
    week: u32,
) -> trace::Trace {
    trace::simulate(
        s,
        designs,
        &TraceSpec {
            replicate,
            week,
            group: GroupRef::Index(group),
        },
    )
    .unwrap()
}

/// "focus-group — week N, ..." → N.
fn shown_week(text: &str) -> u32 {
    let rest = &text[text.find("— week ").unwrap() + "— week ".len()..];
    rest[..rest.find(',').unwrap()].parse().unwrap()
}

#[test]
fn the_default_week_is_the_first_in_which_the_group_met() {
    let mut later_than_one = 0;
    // The focus group is one meeting, in week 1; the community centre's replicate 4 first meets
    // in week 2.
    for (file, replicate) in [
        ("scenarios/focus-group.toml", 0),
        ("scenarios/community-centre.toml", 4),
        ("scenarios/knitting-cafe.toml", 0),
        ("scenarios/dugnad.toml", 1),
    ] {
        let r = replicate.to_string();
        let text = stdout(&["trace", file, "--replicate", &r]);
        let week = shown_week(&text);
        let (s, designs) = load(file, &[]);
        let mut run = GroupRun::new(&designs[0], s.seed, replicate, 0);
        for w in 1..week {
            assert!(
                !trace::met(run.step(&mut NoEvents)),
                "{file} replicate {replicate}: the group met in week {w}, before week {week}"
            );
        }
        assert!(trace::met(run.step(&mut NoEvents)), "{file}: week {week}");
        assert!(
            text.contains(&format!("The meeting of week {week}")),
            "{text}"
        );
        if week > 1 {
            later_than_one += 1;
            assert!(text.contains("did not meet before week"), "{text}");
        }
    }
    assert!(later_than_one > 0, "a case where week 1 had no meeting");
}

/// Whether a week's events (and tally) hold what `find` looks for.
fn happens(find: dugnad::cli::TraceFind, t: &trace::Trace) -> bool {
    use dugnad::cli::TraceFind as F;
    use dugnad::mechanisms::events::Event as E;
    t.events.iter().any(|e| match (find, e) {
        (F::Usurp, E::Usurped { .. }) => true,
        (F::Subtype, E::Perceived { subtyped, .. }) => *subtyped,
        (F::Door, E::Housing { .. } | E::Job { .. }) => true,
        (F::StepUp, E::Transition { .. }) => true,
        _ => false,
    }) || (find == F::Limbo && trace::in_limbo(&t.tally) > 0.0)
}

#[test]
fn find_lands_on_the_first_week_where_it_happens() {
    use dugnad::cli::TraceFind as F;
    // The community centre: the study's two years (the focus group is its one meeting, too
    // short for subtyping, limbo or doors, and with no later week to search from).
    for (file, find, replicate) in [
        ("scenarios/community-centre.toml", F::Usurp, 0),
        ("scenarios/community-centre.toml", F::Subtype, 1),
        ("scenarios/community-centre.toml", F::Limbo, 1),
        ("scenarios/community-centre.toml", F::Door, 0),
        ("scenarios/co-designed-cafe.toml", F::StepUp, 1),
    ] {
        let (s, designs) = load(file, &[]);
        let landing = trace::find(&s, &designs, replicate, None, 1, find)
            .unwrap()
            .unwrap_or_else(|| panic!("{file}: {find:?} happens"));
        let shown = week_of(&s, &designs, replicate, landing.group, landing.week);
        assert!(
            happens(find, &shown),
            "{file} {find:?}: week {}",
            landing.week
        );
        for w in 1..landing.week {
            assert!(
                !happens(find, &week_of(&s, &designs, replicate, 0, w)),
                "{file} {find:?}: already in week {w}, found week {}",
                landing.week
            );
        }
        // The command line shows that week and says what it found, in the opening lines.
        let name = trace::find_name(find);
        let r = replicate.to_string();
        let text = stdout(&["trace", file, "--find", &name, "--replicate", &r]);
        assert_eq!(shown_week(&text), landing.week, "{text}");
        let second = text.lines().nth(1).unwrap();
        assert!(
            second.contains(&format!("--find {name}: the first week")),
            "{text}"
        );
        // From a later week on, the search lands later.
        let next = (landing.week + 1).to_string();
        let later = dugnad()
            .args([
                "trace",
                file,
                "--find",
                &name,
                "--replicate",
                &r,
                "--week",
                &next,
            ])
            .output()
            .unwrap();
        if later.status.success() {
            assert!(shown_week(&String::from_utf8_lossy(&later.stdout)) > landing.week);
        } else {
            assert_eq!(later.status.code(), Some(3));
        }
    }
}

#[test]
fn find_over_all_groups_takes_the_earliest_week_then_the_lowest_group() {
    use dugnad::cli::TraceFind as F;
    let (s, designs) = load(
        "scenarios/municipality.toml",
        &["activity.groups=3", "scenario.weeks=30"],
    );
    let total: usize = designs.iter().map(|d| d.activity.groups as usize).sum();
    for find in [F::Door, F::Subtype, F::Usurp] {
        let mut brute: Option<(u32, usize)> = None;
        for g in 0..total {
            for w in 1..=s.weeks {
                if happens(find, &week_of(&s, &designs, 0, g, w)) {
                    if brute.is_none_or(|b| (w, g) < b) {
                        brute = Some((w, g));
                    }
                    break;
                }
            }
        }
        let found = trace::find(&s, &designs, 0, None, 1, find).unwrap();
        assert_eq!(
            found.map(|l| (l.week, l.group)),
            brute,
            "{find:?} over {total} groups"
        );
    }
}

/// `dugnad trace --find usurp` over 5 weeks of full facilitation, where no sentence is ever
/// finished by someone else, with `extra` flags: asserts exit code 3 and no transcript, and
/// returns what it says on stderr.
fn nothing_found(extra: &[&str]) -> String {
    let out = dugnad()
        .args([
            "trace",
            "scenarios/knitting-cafe.toml",
            "--find",
            "usurp",
            "--set",
            "activity.facilitation=1",
            "--weeks",
            "5",
        ])
        .args(extra)
        .env_remove("DUGNAD_LANG")
        .assert()
        .code(3)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "no transcript when nothing is found");
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn find_says_when_nothing_happens_and_exits_3() {
    let err = nothing_found(&[]);
    assert!(
        err.contains("--find usurp")
            && err.contains("weeks 1 to 5")
            && err.contains("there is never a sentence finished by someone else"),
        "{err}"
    );
}

#[test]
fn names_are_unique_in_a_group_and_kept_across_weeks_and_roles() {
    // A long run with turnover and step-ups (pathway design).
    for (file, replicate) in [
        ("scenarios/co-designed-cafe.toml", 0),
        ("scenarios/knitting-cafe.toml", 1),
    ] {
        let (s, designs) = load(file, &["scenario.weeks=80"]);
        let mut previous: Vec<String> = Vec::new();
        let mut given: Vec<String> = Vec::new();
        let (mut newcomers, mut role_changes) = (0, 0);
        let mut previous_roles = Vec::new();
        for w in 1..=s.weeks {
            let t = week_of(&s, &designs, replicate, 0, w);
            let names: Vec<String> = t.cast.iter().map(|m| m.name.clone()).collect();
            let mut distinct = names.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), names.len(), "{file} week {w}: {names:?}");
            for (i, m) in t.cast.iter().enumerate() {
                if w == 1 {
                    given.push(m.name.clone());
                } else if m.joined {
                    newcomers += 1;
                    assert!(
                        !given.contains(&m.name),
                        "{file} week {w}: newcomer {} gets a name given before",
                        m.name
                    );
                    given.push(m.name.clone());
                } else {
                    assert_eq!(m.name, previous[i], "{file} week {w}: slot {i} renamed");
                    if previous_roles[i] != m.role {
                        role_changes += 1;
                    }
                }
            }
            previous = names;
            previous_roles = t.cast.iter().map(|m| m.role).collect();
        }
        assert!(newcomers > 0, "{file}: the run has newcomers");
        if file.contains("co-designed") {
            assert!(role_changes > 0, "{file}: the run has step-ups");
        }
    }
}

#[test]
fn a_participant_who_steps_up_to_volunteer_keeps_her_name() {
    use dugnad::cli::TraceFind as F;
    use dugnad::model::Status;
    let (s, designs) = load("scenarios/co-designed-cafe.toml", &[]);
    let mut from = 1;
    loop {
        let l = trace::find(&s, &designs, 0, None, from, F::StepUp)
            .unwrap()
            .expect("a co-organizer steps up to volunteer in replicate 0");
        let Some(trace::Hit::StepUp { person, to }) = l.hit else {
            panic!("{l:?}")
        };
        if to == Status::Volunteer {
            let then = week_of(&s, &designs, 0, 0, l.week);
            let after = week_of(&s, &designs, 0, 0, l.week + 1);
            assert_eq!(then.cast[person].role, Status::CoOrganizer);
            assert_eq!(after.cast[person].role, Status::Volunteer);
            assert_eq!(then.cast[person].name, after.cast[person].name);
            // ... and she had it as a participant, before she became a co-organizer.
            let first = (1..l.week)
                .map(|w| week_of(&s, &designs, 0, 0, w))
                .find(|t| t.cast[person].role == Status::Participant && !t.cast[person].joined)
                .expect("she was a participant");
            assert_eq!(first.cast[person].name, after.cast[person].name);
            let label = &after.cast[person].label;
            assert!(label.starts_with(&format!("Volunteer {}", after.cast[person].name)));
            return;
        }
        from = l.week + 1;
    }
}

/// Drops every `label` field (the one text in the JSON), recursively.
fn without_labels(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("label");
            o.values_mut().for_each(without_labels);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(without_labels),
        _ => {}
    }
}

#[test]
fn the_transcript_in_bokmal_is_the_same_week_in_other_words() {
    let args = [
        "trace",
        "scenarios/knitting-cafe.toml",
        "--week",
        "6",
        "--replicate",
        "2",
    ];
    let en = stdout(&args);
    let nb = stdout(&[&args[..], &["--lang", "nb"]].concat());
    assert!(
        nb.starts_with("knitting-cafe — uke 6, gruppe 0 av 1, replikat 2, frø 2019"),
        "{nb}"
    );
    for part in [
        "Hvem som er med i gruppa denne uka",
        "Frivillig ",
        "Deltaker ",
        "(behov for å hjelpe 0,",
        "(språk 0,",
        "Slutten av uke 6",
        "Uka i tall",
    ] {
        assert!(nb.contains(part), "nb transcript lacks {part:?}:\n{nb}");
    }
    // The same week: line for line, and the same usurped turns.
    assert_eq!(en.lines().count(), nb.lines().count());
    let nb_usurps = nb
        .lines()
        .filter(|l| l.trim_start().starts_with("Tur ") && l.contains("fullfører setningen for"))
        .count();
    assert_eq!(usurp_lines(&en), nb_usurps);
    assert!(nb_usurps > 0, "week 6 has usurpations to compare:\n{nb}");
    // DUGNAD_LANG does what --lang does; --lang wins over it.
    let under_nb = |args: &[&str]| {
        let out = dugnad()
            .args(args)
            .env("DUGNAD_LANG", "nb")
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    assert_eq!(under_nb(&args), nb);
    assert_eq!(under_nb(&[&args[..], &["--lang", "en"]].concat()), en);
    // The JSON keeps its kinds and numbers (with a point) in every language: only labels differ.
    let json = |lang: &str| -> serde_json::Value {
        let text = stdout(&[&args[..], &["--format", "json", "--lang", lang]].concat());
        serde_json::from_str(&text).unwrap()
    };
    let (mut je, mut jn) = (json("en"), json("nb"));
    let label = jn
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| e["speaker"]["label"].as_str().map(str::to_string))
        .unwrap();
    assert!(
        label.starts_with("Deltaker ") || label.starts_with("Frivillig "),
        "{label}"
    );
    without_labels(&mut je);
    without_labels(&mut jn);
    assert_eq!(je, jn);
}

#[test]
fn find_says_in_bokmal_when_nothing_happens() {
    let err = nothing_found(&["--group", "0", "--lang", "nb"]);
    assert!(
        err.contains("--find usurp: i gruppe 0 i replikat 0, uke 1 til 5, finnes aldri en setning som noen andre fullfører; prøv et annet replikat (--replicate 1), eller alle grupper (utelat --group)"),
        "{err}"
    );
}
