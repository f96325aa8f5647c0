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
