//! One property per mechanism (MODEL.md §3), checked through the library on small designs.

use dugnad::mechanisms::events::{Event, EventLog, NoEvents};
use dugnad::mechanisms::{attendance, contact, help, learning, retention, talk, transitions};
use dugnad::metrics::{Layout, WeekTally};
use dugnad::model::group::{Design, SUBTYPED};
use dugnad::model::Status;
use dugnad::scenario::{load, Scenario};
use dugnad::sim::engine::GroupRun;
use rand::SeedableRng;
use std::path::Path;

fn scenario(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(Path::new("scenarios/calibration.toml"), &sets).unwrap()
}

fn design(sets: &[&str]) -> (Scenario, Design) {
    let s = scenario(sets);
    let d = Design::compile_all(&s).remove(0);
    (s, d)
}

/// Pooled sums of `weeks` weeks over `reps` replicates.
fn pooled(d: &Design, seed: u64, reps: u64, weeks: u32) -> WeekTally {
    let mut t = WeekTally::default();
    for r in 0..reps {
        let mut run = GroupRun::new(d, seed, r, 0);
        for _ in 0..weeks {
            t.add(run.step(&mut NoEvents));
        }
    }
    t
}

#[test]
fn m1_full_facilitation_blocks_usurping() {
    let (s, d) = design(&["activity.facilitation=1.0"]);
    let t = pooled(&d, s.seed, 20, 20);
    assert!(t.group.turns > 10_000.0);
    assert_eq!(t.classes.iter().map(|c| c.spoken_for).sum::<f64>(), 0.0);
    let (s, d) = design(&["activity.facilitation=0.0"]);
    assert!(pooled(&d, s.seed, 20, 20).participants().spoken_for > 0.0);
}

#[test]
fn m1_hesitation_falls_with_language_and_usurping_rises_with_the_status_gap() {
    let (_, d) = design(&[]);
    assert!(
        talk::hesitation_probability(&d, 0.2, 0.5) > talk::hesitation_probability(&d, 0.8, 0.5)
    );
    assert!(
        talk::hesitation_probability(&d, 0.5, 0.2) > talk::hesitation_probability(&d, 0.5, 0.8)
    );
    assert!(
        talk::usurp_probability(&d, 1.0, 0.2, 0.3, 0.3)
            > talk::usurp_probability(&d, 1.0, 0.8, 0.3, 0.3)
    );
    assert!(
        talk::usurp_probability(&d, 1.0, 0.5, 0.9, 0.3)
            > talk::usurp_probability(&d, 1.0, 0.5, 0.1, 0.3)
    );
}

#[test]
fn m1_status_sensitivity_concentrates_the_floor_on_locals() {
    let voice = |beta: &str| {
        let (s, d) = design(&[beta]);
        let l = Layout::of(&d);
        l.row(&pooled(&d, s.seed, 20, 10))[l.position("voice_share", "newcomers").unwrap()]
    };
    assert!(voice("parameters.beta_e=0.0") > voice("parameters.beta_e=4.0") + 0.05);
}

#[test]
fn m2_dependency_help_rises_with_need_to_help_and_falls_with_common_identity() {
    let (s, d) = design(&[]);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let v = run
        .group
        .persons
        .iter()
        .position(|p| p.status == Status::Volunteer)
        .unwrap();
    let j = run
        .group
        .persons
        .iter()
        .position(|p| p.status == Status::Participant)
        .unwrap();
    run.group.persons[v].need_to_help = 0.1;
    let low = help::dependency_probability(&run.group, &d, v, j, false);
    run.group.persons[v].need_to_help = 0.9;
    let high = help::dependency_probability(&run.group, &d, v, j, false);
    assert!(high > low);
    assert!(
        help::dependency_probability(&run.group, &d, v, j, true) > high,
        "unsolicited help is more dependency-oriented"
    );
    let (_, co) = design(&[
        "activity.co_design=1.0",
        "activity.mixed=true",
        "activity.service_frame=0.0",
    ]);
    assert!(help::dependency_probability(&run.group, &co, v, j, false) < high);
}

#[test]
fn m2_dependency_help_lowers_agency_and_p_indep_autonomy_help_raises_know_how_and_agency() {
    let (s, d) = design(&["parameters.gamma0=10.0"]); // always dependency
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let v = run
        .group
        .persons
        .iter()
        .position(|p| p.status == Status::Volunteer)
        .unwrap();
    let j = run
        .group
        .persons
        .iter()
        .position(|p| p.status == Status::Participant)
        .unwrap();
    let before = run.group.persons[j].clone();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
    assert!(help::give_help(
        &mut run.group,
        &d,
        v,
        j,
        false,
        &mut rng,
        &mut NoEvents
    ));
    let after = &run.group.persons[j];
    assert!(
        after.agency < before.agency && after.p_indep < before.p_indep && after.dependency_received
    );
    let (s, d) = design(&["parameters.gamma0=-10.0"]); // always autonomy
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let before = run.group.persons[j].clone();
    assert!(!help::give_help(
        &mut run.group,
        &d,
        v,
        j,
        false,
        &mut rng,
        &mut NoEvents
    ));
    let after = &run.group.persons[j];
    assert!(after.agency > before.agency && after.knowhow > before.knowhow);
}

#[test]
fn m3_withdrawal_hazard_rises_with_burden_and_falls_with_satisfaction() {
    let (s, d) = design(&[]);
    let run = GroupRun::new(&d, s.seed, 0, 0);
    let mut v = run
        .group
        .persons
        .iter()
        .find(|p| p.status == Status::Volunteer)
        .unwrap()
        .clone();
    let base = retention::withdrawal_hazard(&d, &v);
    // Burden bites above a manageable load (B > 1), not at or below it.
    v.burden = 1.0;
    assert_eq!(retention::withdrawal_hazard(&d, &v), base);
    v.burden = 1.5;
    assert!(retention::withdrawal_hazard(&d, &v) > base);
    v.burden = 0.0;
    v.satisfaction = 1.0;
    assert!(retention::withdrawal_hazard(&d, &v) < base);
    v.status = Status::Staff;
    assert!(
        retention::withdrawal_hazard(&d, &v)
            < retention::withdrawal_hazard(&d, &{
                let mut x = v.clone();
                x.status = Status::Volunteer;
                x
            })
    );
}

#[test]
fn m3_vacancies_are_refilled_at_the_recruitment_rate() {
    let (s, d) = design(&[
        "activity.recruitment=1.0",
        "parameters.h0_withdraw=1.0",
        "population.volunteers.withdrawal_propensity=1.0",
    ]);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let mut log = EventLog::default();
    run.step(&mut log);
    let withdrew = log
        .0
        .iter()
        .filter(|e| matches!(e, Event::Withdrew { .. }))
        .count();
    assert!(withdrew > 0);
    log.0.clear();
    run.step(&mut log);
    let joined = log
        .0
        .iter()
        .filter(|e| matches!(e, Event::Joined { .. }))
        .count();
    assert!(
        joined >= withdrew,
        "every vacancy is filled the next week with recruitment = 1"
    );
}

#[test]
fn m4_a_strong_exemplar_is_subtyped_and_typical_members_are_not() {
    // Nobody drops out: the property is about what the locals make of 20 weeks of meetings.
    let (s, d) = design(&[
        "stereotypes.newcomer=0.2",
        "activity.groups=1",
        "parameters.d0_dropout=0",
    ]);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let n = run.group.n();
    let parts: Vec<usize> = (0..n)
        .filter(|&j| run.group.persons[j].status == Status::Participant)
        .collect();
    // One participant far above the stereotype, the rest at it.
    for (k, &j) in parts.iter().enumerate() {
        let x = &mut run.group.persons[j];
        let level = if k == 0 { 0.95 } else { 0.2 };
        x.language = level;
        x.knowhow = level;
        x.resources = level;
        x.care_load = 0.0;
    }
    for _ in 0..20 {
        run.step(&mut NoEvents);
    }
    let locals: Vec<usize> = (0..n)
        .filter(|&v| run.group.persons[v].status.is_local())
        .collect();
    let subtyped = |j: usize| {
        locals
            .iter()
            .filter(|&&v| run.group.flags[v * n + j] & SUBTYPED != 0)
            .count()
    };
    assert!(
        2 * subtyped(parts[0]) >= locals.len(),
        "the exemplar is an exception to most locals"
    );
    let typical = parts[1..].iter().map(|&j| subtyped(j)).sum::<usize>() as f64
        / (locals.len() * (parts.len() - 1)) as f64;
    assert!(
        typical < 0.1,
        "typical members are rarely exceptions: {typical}"
    );
}

#[test]
fn m5_m8_care_load_lowers_attendance_and_belonging_raises_it() {
    let (_, d) = design(&[]);
    assert!(
        attendance::attendance_probability(&d, 0.9, 0.5)
            < attendance::attendance_probability(&d, 0.1, 0.5)
    );
    assert!(
        attendance::attendance_probability(&d, 0.5, 0.9)
            > attendance::attendance_probability(&d, 0.5, 0.1)
    );
}

#[test]
fn m6_co_design_lets_participants_set_the_agenda() {
    let adopted = |co: &str| {
        let (s, d) = design(&[co]);
        let l = Layout::of(&d);
        l.row(&pooled(&d, s.seed, 20, 20))[l.position("proposals_adopted_share", "all").unwrap()]
    };
    assert_eq!(
        adopted("activity.co_design=0.0"),
        0.0,
        "without co-design only locals propose"
    );
    assert!(adopted("activity.co_design=1.0") > 0.05);
}

#[test]
fn m7_speaking_teaches_more_than_listening() {
    let (_, d) = design(&[]);
    assert!(learning::practice_hours(&d, 20, 10) > learning::practice_hours(&d, 2, 10));
    assert!(
        (learning::practice_hours(&d, 120, 1) - d.activity.hours_per_meeting * d.params.w_speak)
            .abs()
            < 1e-12
    );
    let (_, multi) = design(&["activity.language_policy=\"multilingual\""]);
    assert!(learning::practice_hours(&multi, 20, 10) < learning::practice_hours(&d, 20, 10));
}

#[test]
fn m8_doors_open_through_ties_and_transitions_need_a_pathway() {
    let (s, d) = design(&[]);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let n = run.group.n();
    let j = (0..n)
        .find(|&j| run.group.persons[j].status == Status::Participant)
        .unwrap();
    let before = transitions::door_opening_hazard(&run.group, &d, j);
    for v in 0..n {
        if run.group.persons[v].status.is_local() {
            run.group.strengthen(v, j, 0.9);
        }
    }
    assert!(transitions::door_opening_hazard(&run.group, &d, j) > before);
    assert!(transitions::doors_can_open(&run.group, j));
    assert_eq!(
        transitions::invitation_probability(&run.group, &d, j),
        0.0,
        "no pathway, no invitation"
    );
    let (_, open) = design(&["activity.pathway=true"]);
    assert!(transitions::invitation_probability(&run.group, &open, j) > 0.0);
    // The locals gatekeep: she is invited as far as they see her as competent.
    let invited_at = |g: &mut dugnad::model::group::Group, c: f32| {
        for v in 0..n {
            if v != j && g.persons[v].is_active_local() {
                g.perceived[v * n + j] = c;
            }
        }
        transitions::invitation_probability(g, &open, j)
    };
    let (doubted, trusted) = (
        invited_at(&mut run.group, 0.2),
        invited_at(&mut run.group, 0.8),
    );
    assert!(
        (doubted - 0.2).abs() < 1e-6 && (trusted - 0.8).abs() < 1e-6,
        "invitation = the locals' mean perceived competence: {doubted}, {trusted}"
    );
}

#[test]
fn m8_doors_open_through_bridges_to_the_majority_not_through_bonds() {
    // Two newcomers of one origin and two local peers (majority origin, participants too).
    let text = std::fs::read_to_string("scenarios/calibration.toml").unwrap()
        + "\n[population.peers]\nrole = \"participant\"\ncount = 2\norigin = \"local\"\nnetwork = 0.9\n";
    let sets = [
        "population.participants.count=2".to_string(),
        "population.participants.network=0.9".to_string(),
    ];
    let s = dugnad::scenario::load_str(&text, "peers.toml", &sets).unwrap();
    let d = Design::compile_all(&s).remove(0);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let g = &mut run.group;
    let newcomers: Vec<usize> = (0..g.n())
        .filter(|&i| g.persons[i].was_participant && !g.persons[i].majority)
        .collect();
    let peers: Vec<usize> = (0..g.n())
        .filter(|&i| g.persons[i].was_participant && g.persons[i].majority)
        .collect();
    assert_eq!((newcomers.len(), peers.len()), (2, 2));
    let (j, k) = (newcomers[0], newcomers[1]);
    let base = transitions::door_opening_hazard(g, &d, j);
    g.strengthen(j, k, 0.9);
    assert_eq!(
        transitions::door_opening_hazard(g, &d, j),
        base,
        "a bond within her origin group opens no door by itself"
    );
    g.strengthen(j, peers[0], 0.9);
    let with_peer = transitions::door_opening_hazard(g, &d, j);
    assert!(
        with_peer > 2.0 * base,
        "a bridge opens doors: {base} → {with_peer}"
    );
    assert!(
        (with_peer - base - d.params.beta_outcome * g.tie(j, peers[0]) * 0.9).abs() < 1e-9,
        "a local peer's network acts: {base} → {with_peer}"
    );
    assert!(transitions::doors_can_open(g, j));
    assert!(
        !transitions::doors_can_open(g, peers[1]),
        "door-opening is for newcomers"
    );
}

#[test]
fn m8_every_tie_stays_in_zero_one_at_every_bound_of_the_tie_parameters() {
    for tie_talk in ["0.0", "1.0"] {
        for tie_help in ["0.0", "1.0"] {
            for tie_decay in ["0.0", "1.0"] {
                for mixed in ["false", "true"] {
                    let sets = [
                        format!("parameters.tie_talk={tie_talk}"),
                        format!("parameters.tie_help={tie_help}"),
                        format!("parameters.tie_decay={tie_decay}"),
                        format!("activity.mixed={mixed}"),
                        "activity.service_frame=1.0".to_string(),
                        "activity.pathway=true".to_string(),
                    ];
                    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
                    let (s, d) = design(&sets);
                    let mut max: f32 = 0.0;
                    for r in 0..3 {
                        let mut run = GroupRun::new(&d, s.seed, r, 0);
                        for week in 1..=30 {
                            // Within the week too: right after each meeting's talk and help.
                            run.meeting(0, &mut NoEvents);
                            for &t in run.group.ties.iter() {
                                assert!((0.0..=1.0).contains(&t), "{sets:?} week {week}: {t}");
                                max = max.max(t);
                            }
                            run.step(&mut NoEvents);
                            for &t in run.group.ties.iter() {
                                assert!((0.0..=1.0).contains(&t), "{sets:?} week {week}: {t}");
                            }
                        }
                    }
                    if tie_talk == "1.0" {
                        assert_eq!(max, 1.0, "{sets:?}: the bound is reached, not avoided");
                    }
                }
            }
        }
    }
}

#[test]
fn m1_m8_status_offsets_and_ties_fade_each_week_by_their_rates() {
    let (s, d) = design(&["parameters.offset_recovery=0.2", "parameters.tie_decay=0.1"]);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let n = run.group.n();
    for (i, x) in run.group.persons.iter_mut().enumerate() {
        x.offset = -0.1 * i as f64;
    }
    run.group.strengthen(0, 1, 0.5);
    run.group.strengthen(1, 2, 0.25);
    let ties = run.group.ties.clone();
    talk::recover_status(&mut run.group, &d);
    contact::decay_ties(&mut run.group, &d);
    for (i, x) in run.group.persons.iter().enumerate() {
        assert!(
            (x.offset - (-0.1 * i as f64 * 0.8)).abs() < 1e-12,
            "offset of {i}"
        );
    }
    assert_eq!(run.group.ties.len(), n * n);
    for (now, was) in run.group.ties.iter().zip(&ties) {
        assert!((*now as f64 - *was as f64 * 0.9).abs() < 1e-6);
    }
    assert!(run.group.tie(0, 1) > 0.0 && run.group.tie(0, 1) < 0.5);
    assert_eq!(run.group.tie(0, 3), 0.0, "an absent tie stays absent");
}

#[test]
fn m3_a_meeting_grows_role_identity_and_load_of_the_locals_present_only() {
    let (s, d) = design(&["parameters.role_identity_rate=0.1"]);
    let mut run = GroupRun::new(&d, s.seed, 0, 0);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
    while !attendance::attend(
        &mut run.group,
        &d,
        &mut run.scratch,
        &mut rng,
        &mut NoEvents,
    ) {}
    let before = run.group.persons.clone();
    let sc = &run.scratch;
    attendance::count_attendance(&mut run.group, &d, sc);
    let load = sc.participants_came as f64 / sc.locals_came as f64;
    assert!(sc.participants_came > 0 && sc.locals_came > 0);
    for (i, (a, b)) in before.iter().zip(&run.group.persons).enumerate() {
        let present = sc.present.contains(&i);
        assert_eq!(b.meetings_attended, a.meetings_attended + present as u32);
        if present && a.status.is_local() {
            assert!((b.identity - (a.identity + 0.1 * (1.0 - a.identity))).abs() < 1e-12);
            assert!((b.load_sum - (a.load_sum + load)).abs() < 1e-12);
        } else {
            assert_eq!(
                (b.identity, b.load_sum),
                (a.identity, a.load_sum),
                "person {i}"
            );
        }
    }
}

#[test]
fn m2_m4_equal_status_is_one_quantity_for_the_inclusion_cap_and_common_identity() {
    let (s, low) = design(&["activity.co_design=0.0", "activity.service_frame=0.9"]);
    let (_, high) = design(&["activity.co_design=0.9", "activity.service_frame=0.1"]);
    for d in [&low, &high] {
        let a = &d.activity;
        let mean = ((1.0 - a.service_frame) + a.co_design + a.mixed as u8 as f64) / 3.0;
        assert!((d.equal_status - mean).abs() < 1e-15);
        let p = &d.params;
        assert!(
            (d.inclusion_cap - (p.cap_base + (1.0 - p.cap_base) * d.equal_status)).abs() < 1e-15
        );
    }
    assert!(high.equal_status > low.equal_status && high.inclusion_cap > low.inclusion_cap);
    // The same equal-status conditions lower dependency help (common identity, M2), all else equal.
    let run = GroupRun::new(&low, s.seed, 0, 0);
    let v = run
        .group
        .persons
        .iter()
        .position(|p| p.status.is_local())
        .unwrap();
    let j = run
        .group
        .persons
        .iter()
        .position(|p| p.status.is_participant())
        .unwrap();
    assert!(
        help::dependency_probability(&run.group, &high, v, j, false)
            < help::dependency_probability(&run.group, &low, v, j, false)
    );
}

#[test]
fn calibration_odds_ratio_is_the_odds_ratio_of_the_models_usurp_probability() {
    use dugnad::calibration::{usurp_odds_ratio, DEFAULT_PARTICIPANT, DEFAULT_VOLUNTEER};
    for frame in [0.5, 0.9] {
        let (_, d) = design(&[
            "activity.facilitation=0.0",
            &format!("activity.service_frame={frame}"),
        ]);
        let p = &d.params;
        let usurped = |who: &dugnad::model::StatusCues| {
            talk::usurp_probability(&d, 1.2, who.expectation(p), 0.3, who.language)
        };
        let odds = |q: f64| q / (1.0 - q);
        let model = odds(usurped(&DEFAULT_PARTICIPANT)) / odds(usurped(&DEFAULT_VOLUNTEER));
        let calibration = usurp_odds_ratio(p, frame);
        assert!(
            (model / calibration - 1.0).abs() < 1e-9,
            "frame {frame}: model {model}, calibration {calibration}"
        );
    }
}

#[test]
fn attributes_are_drawn_on_their_own_stream_and_shift_nothing_else() {
    let plain = design(&[]).1;
    let (s, with) = design(&[
        "population.participants.attributes={gender={choice=[\"woman\",\"man\"],weights=[3,1]},cohort=\"2019\"}",
        "population.volunteers.attributes.gender=woman",
    ]);
    let mut women = 0;
    let mut participants = 0;
    for r in 0..40 {
        let mut a = GroupRun::new(&plain, s.seed, r, 0);
        let mut b = GroupRun::new(&with, s.seed, r, 0);
        for _ in 0..30 {
            assert_eq!(
                a.step(&mut NoEvents),
                b.step(&mut NoEvents),
                "replicate {r}"
            );
        }
        let (cohort, gender) = (&with.attributes[0], &with.attributes[1]);
        assert_eq!(
            (cohort.name.as_str(), gender.name.as_str()),
            ("cohort", "gender")
        );
        for x in &b.group.persons {
            let value = &gender.values[x.attributes[1] as usize];
            if x.was_participant {
                assert_eq!(cohort.values[x.attributes[0] as usize], "2019");
                participants += 1;
                women += (value == "woman") as u32;
            } else {
                assert_eq!(x.attributes[0], dugnad::model::person::NO_VALUE);
                assert_eq!(value, "woman");
            }
        }
    }
    let share = women as f64 / participants as f64;
    assert!((share - 0.75).abs() < 0.06, "share of women {share}");
}
