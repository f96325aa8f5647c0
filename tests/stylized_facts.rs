//! The stylized facts of MODEL.md §5, one test each. Every test runs designs on common random
//! numbers (same seed, same replicate streams), computes paired differences across replicates and
//! asserts the effect's sign with a 95 % CI that excludes zero. Facts about the immigrant
//! participants are read on the `newcomers` lens (participants of a non-majority origin), facts
//! about volunteers on `volunteers`. Measured figures: docs/calibration.md.

use dugnad::metrics::aggregate::RunAggregate;
use dugnad::metrics::Layout;
use dugnad::model::group::{Design, SUBTYPED};
use dugnad::model::Status;
use dugnad::scenario::{load, Scenario};
use dugnad::sim::engine::GroupRun;
use dugnad::sim::events::{Event, EventLog, NoEvents};
use dugnad::sim::replicates::run_scenario;
use dugnad::stats::{paired_difference, summarize, PairedDiff};
use std::path::Path;

fn scenario(file: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(Path::new(file), &sets).unwrap_or_else(|e| panic!("{e}"))
}

#[derive(Clone, Copy)]
enum Scope {
    Final,
    RunMean,
}

/// The lens a fact reads an indicator at: the newcomers', or the volunteers' for volunteer
/// indicators.
fn lens_of(name: &str) -> &'static str {
    match dugnad::metrics::indicator(name).map(|i| i.all) {
        Some(dugnad::metrics::lens::Subject::Hosts) => "volunteers",
        _ => "newcomers",
    }
}

fn values(a: &RunAggregate, name: &str, scope: Scope) -> Vec<f64> {
    values_at(a, name, lens_of(name), scope)
}

fn values_at(a: &RunAggregate, name: &str, lens: &str, scope: Scope) -> Vec<f64> {
    let k = a
        .layout
        .position(name, lens)
        .unwrap_or_else(|| panic!("{name} has no lens {lens}"));
    let rows = match scope {
        Scope::Final => &a.finals,
        Scope::RunMean => &a.means,
    };
    rows.iter().map(|(_, r)| r[k]).collect()
}

/// Paired difference b − a of an indicator across replicates.
fn diff(a: &RunAggregate, b: &RunAggregate, name: &str, scope: Scope) -> PairedDiff {
    paired_difference(&values(b, name, scope), &values(a, name, scope))
}

fn assert_positive(d: PairedDiff, what: &str) {
    eprintln!(
        "{what}: {:+.4} [{:+.4}, {:+.4}] n={}",
        d.mean_diff, d.ci_low, d.ci_high, d.n
    );
    assert!(d.ci_low > 0.0, "{what}: expected > 0, got {d:?}");
}

fn assert_negative(d: PairedDiff, what: &str) {
    eprintln!(
        "{what}: {:+.4} [{:+.4}, {:+.4}] n={}",
        d.mean_diff, d.ci_low, d.ci_high, d.n
    );
    assert!(d.ci_high < 0.0, "{what}: expected < 0, got {d:?}");
}

/// Fact 1: newcomers are spoken for far more than volunteers, most of all those with low L.
#[test]
fn fact1_usurping_is_asymmetric_and_hits_low_language_hardest() {
    let kc = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &["scenario.replicates=100"],
    ));
    let d = paired_difference(
        &values(&kc, "spoken_for_rate", Scope::RunMean),
        &values_at(&kc, "spoken_for_rate", "volunteers", Scope::RunMean),
    );
    assert_positive(d, "spoken-for rate newcomers − volunteers");
    let ratio = summarize(&values(&kc, "spoken_for_ratio", Scope::RunMean));
    eprintln!(
        "usurp ratio (run mean): {:.2} [{:.2}, {:.2}]",
        ratio.mean, ratio.ci_low, ratio.ci_high
    );
    assert!(
        ratio.ci_low > 3.0,
        "participants are spoken for far more: {ratio:?}"
    );
    let high_l = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &[
            "scenario.replicates=100",
            "population.newcomers.language={beta=[6.0,2.0]}",
        ],
    ));
    assert_positive(
        diff(&high_l, &kc, "spoken_for_rate", Scope::RunMean),
        "spoken-for rate, low L − high L",
    );
}

/// Fact 2: early interruption has lasting effects on voice share (Cannon et al. 2019). Arm A
/// runs the first 8 weeks under full facilitation (nobody can be spoken for), then the design as
/// it is; arm B runs the design as it is from the start. On the same random numbers, the
/// newcomers' voice share in weeks 9–30, after the early phase, is lower in B.
#[test]
fn fact2_early_interruption_has_lasting_effects_on_voice() {
    let s = scenario("scenarios/knitting-cafe.toml", &["activity.groups=1"]);
    let open = Design::compile_all(&s).remove(0);
    let protected = Design::compile_all(&scenario(
        "scenarios/knitting-cafe.toml",
        &["activity.groups=1", "activity.facilitation=1.0"],
    ))
    .remove(0);
    let layout = Layout::of(&open);
    let k = layout.position("voice_share", "newcomers").unwrap();
    let mut arms = [Vec::new(), Vec::new()];
    for r in 0..300u64 {
        for (arm, out) in arms.iter_mut().enumerate() {
            let mut run = GroupRun::new(&open, s.seed, r, 0);
            let mut pooled = dugnad::metrics::WeekTally::default();
            for week in 1..=30 {
                run.design = if arm == 0 && week <= 8 {
                    &protected
                } else {
                    &open
                };
                let t = run.step(&mut NoEvents);
                if week > 8 {
                    pooled.add(t);
                }
            }
            out.push(layout.row(&pooled)[k]);
        }
    }
    assert_negative(
        paired_difference(&arms[1], &arms[0]),
        "voice share weeks 9–30, early interruption − protected start",
    );
}

/// Fact 3: higher need to help → more dependency help → lower agency and p_indep, while
/// volunteer satisfaction rises (Nadler 2002; Malkki 2015).
#[test]
fn fact3_need_to_help_breeds_dependency_and_satisfies_the_helper() {
    let low = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &["population.volunteers.need_to_help={beta=[2.0,6.0]}"],
    ));
    let high = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &["population.volunteers.need_to_help={beta=[8.0,2.0]}"],
    ));
    assert_positive(
        diff(&low, &high, "dependency_help_share", Scope::RunMean),
        "dependency share, high − low need",
    );
    assert_negative(
        diff(&low, &high, "mean_agency", Scope::Final),
        "mean agency, high − low need",
    );
    assert_negative(
        diff(&low, &high, "mean_p_indep", Scope::Final),
        "p_indep, high − low need",
    );
    assert_positive(
        diff(&low, &high, "satisfaction", Scope::RunMean),
        "satisfaction, high − low need",
    );
}

/// Fact 4: origin-based targeting with a neediness stereotype raises dependency help to that group.
#[test]
fn fact4_targeting_by_origin_raises_dependency_help() {
    let untargeted = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &["activity.targets=[]", "stereotypes.non-western=0.6"],
    ));
    let targeted = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &[
            "activity.targets=[\"non-western\"]",
            "stereotypes.non-western=0.3",
        ],
    ));
    assert_positive(
        diff(
            &untargeted,
            &targeted,
            "dependency_help_share",
            Scope::RunMean,
        ),
        "dependency share, targeted − not",
    );
}

/// Per replicate of a single-activity scenario: (mean ĉ of the locals about participant slot j
/// minus her ĉ at start, stereotype of her origin at the end minus at the start (mean over the
/// locals), limbo at the end, share of her floors usurped, share of locals' floors usurped).
fn exemplar_run(s: &Scenario, r: u64, j: usize) -> (f64, f64, bool, f64, f64) {
    let designs = Design::compile_all(s);
    let d = &designs[0];
    let mut run = GroupRun::new(d, s.seed, r, 0);
    let g = &run.group;
    let n = g.n();
    let origin = g.persons[j].origin as usize;
    let locals: Vec<usize> = (0..n).filter(|&v| g.persons[v].status.is_local()).collect();
    let perceived = |g: &dugnad::model::Group| {
        locals
            .iter()
            .map(|&v| g.perceived[v * n + j] as f64)
            .sum::<f64>()
            / locals.len() as f64
    };
    let stereo = |g: &dugnad::model::Group| {
        locals
            .iter()
            .map(|&v| g.stereotype[v * g.n_origins + origin] as f64)
            .sum::<f64>()
            / locals.len() as f64
    };
    let (c0, mu0) = (perceived(g), stereo(g));
    let (mut floors_j, mut usurped_j, mut floors_l, mut usurped_l) =
        (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut log = EventLog::default();
    for _ in 0..s.weeks {
        run.step(&mut log);
        for e in log.0.drain(..) {
            match e {
                Event::Turn { speaker, .. } | Event::Hesitated { speaker, .. } => {
                    if speaker == j {
                        floors_j += 1.0
                    } else if locals.contains(&speaker) {
                        floors_l += 1.0
                    }
                }
                Event::Usurped { speaker, .. } => {
                    if speaker == j {
                        floors_j += 1.0;
                        usurped_j += 1.0;
                    } else if locals.contains(&speaker) {
                        floors_l += 1.0;
                        usurped_l += 1.0;
                    }
                }
                _ => {}
            }
        }
    }
    let g = &run.group;
    let active: Vec<usize> = locals
        .iter()
        .copied()
        .filter(|&v| g.persons[v].active && v != j)
        .collect();
    let subtyped = active
        .iter()
        .filter(|&&v| g.flags[v * n + j] & SUBTYPED != 0)
        .count();
    let inclusion = active
        .iter()
        .map(|&v| g.inclusion[v * n + j] as f64)
        .sum::<f64>()
        / active.len().max(1) as f64;
    let limbo = 2 * subtyped >= active.len() && !active.is_empty() && inclusion < d.params.theta_us;
    (
        perceived(g) - c0,
        stereo(g) - mu0,
        limbo,
        usurped_j / floors_j.max(1.0),
        usurped_l / floors_l.max(1.0),
    )
}

/// Fact 5a: the study's focus group. The lone immigrant participant is spoken for at a far
/// higher rate than the locals, her perceived competence rises while the locals' stereotype of
/// her group does not improve, and she ends in limbo: subtyped, not included (Stein 2022;
/// Weber & Crocker 1983).
#[test]
fn fact5_the_lone_exemplar_is_subtyped_and_left_in_limbo() {
    let s = scenario("scenarios/focus-group.toml", &[]);
    let j = Design::compile_all(&s)[0]
        .slots
        .iter()
        .position(|&p| s.populations[p as usize].role == dugnad::scenario::Role::Participant)
        .unwrap();
    let runs: Vec<_> = (0..200).map(|r| exemplar_run(&s, r, j)).collect();
    let her: Vec<f64> = runs.iter().map(|x| x.3).collect();
    let locals: Vec<f64> = runs.iter().map(|x| x.4).collect();
    assert_positive(paired_difference(&her, &locals), "usurp rate, her − locals");
    let ratio = summarize(&her).mean / summarize(&locals).mean;
    eprintln!("usurp rate ratio her/locals: {ratio:.2}");
    assert!(ratio > 3.0, "far higher rate: {ratio}");
    let rise = summarize(&runs.iter().map(|x| x.0).collect::<Vec<_>>());
    eprintln!(
        "her perceived competence change: {:+.4} [{:+.4}, {:+.4}]",
        rise.mean, rise.ci_low, rise.ci_high
    );
    assert!(
        rise.ci_low > 0.0,
        "her perceived competence rises: {rise:?}"
    );
    let stereo = summarize(&runs.iter().map(|x| x.1).collect::<Vec<_>>());
    eprintln!(
        "stereotype change: {:+.4} [{:+.4}, {:+.4}]",
        stereo.mean, stereo.ci_low, stereo.ci_high
    );
    assert!(
        stereo.ci_high < 0.5 * rise.ci_low,
        "the stereotype does not improve the way she is seen: {stereo:?} vs {rise:?}"
    );
    let limbo = summarize(&runs.iter().map(|x| x.2 as u8 as f64).collect::<Vec<_>>());
    eprintln!(
        "share of replicates ending in limbo: {:.3} [{:.3}, {:.3}]",
        limbo.mean, limbo.ci_low, limbo.ci_high
    );
    assert!(
        limbo.ci_low > 0.5,
        "she ends in limbo in most replicates: {limbo:?}"
    );
}

/// Fact 5b: disconfirmation spread over many participants moves the stereotype more than one
/// exemplar does. Same locals; one far-above-stereotype participant vs six moderately-above ones;
/// the locals' stereotype of her origin group (lens `origin=syria`).
#[test]
fn fact5_spread_disconfirmation_moves_the_stereotype_more() {
    let one = run_scenario(&scenario(
        "scenarios/focus-group.toml",
        &["scenario.replicates=200", "activity.pathway=false"],
    ));
    let many = run_scenario(&scenario(
        "scenarios/focus-group.toml",
        &[
            "scenario.replicates=200",
            "activity.pathway=false",
            "population.azmia.count=6",
            "population.azmia.language={beta=[4.0,6.0]}",
            "population.azmia.resources={uniform=[0.4,0.6]}",
            "population.azmia.initiative=0.6",
        ],
    ));
    assert_positive(
        paired_difference(
            &values_at(&many, "stereotype", "origin=syria", Scope::Final),
            &values_at(&one, "stereotype", "origin=syria", Scope::Final),
        ),
        "stereotype, many moderate − one exemplar",
    );
}

/// Fact 6: co-design, facilitation and a pathway raise voice parity, adopted proposals, agency
/// and role transitions relative to a service-frame design.
#[test]
fn fact6_co_design_facilitation_and_pathway_empower() {
    let base = ["activity.capacity=15"];
    let service = run_scenario(&scenario("scenarios/knitting-cafe.toml", &base));
    let co = run_scenario(&scenario(
        "scenarios/knitting-cafe.toml",
        &[
            "activity.capacity=15",
            "activity.service_frame=0.3",
            "activity.co_design=0.7",
            "activity.facilitation=0.6",
            "activity.pathway=true",
        ],
    ));
    assert_positive(
        diff(&service, &co, "voice_parity", Scope::RunMean),
        "voice parity, co-designed − service",
    );
    assert_positive(
        diff(&service, &co, "proposals_adopted_share", Scope::RunMean),
        "adopted proposals, co-designed − service",
    );
    assert_positive(
        diff(&service, &co, "mean_agency", Scope::Final),
        "agency, co-designed − service",
    );
    assert_positive(
        diff(&service, &co, "role_transitions", Scope::RunMean),
        "role transitions, co-designed − service",
    );
}

/// Fact 7: annual attrition (withdrawals per volunteer-year in the first year) lands at 25–40 %
/// with defaults; younger founding volunteers leave more under a high participant-per-volunteer
/// load.
#[test]
fn fact7_attrition_is_calibrated_and_load_drives_out_the_young() {
    let s = scenario("scenarios/calibration.toml", &[]);
    let a = dugnad::calibration::annual_attrition(&s);
    eprintln!(
        "annual attrition {:.3} [{:.3}, {:.3}] per volunteer-year; share leaving within a year {:.3} [{:.3}, {:.3}]",
        a.rate.mean, a.rate.ci_low, a.rate.ci_high, a.share.mean, a.share.ci_low, a.share.ci_high
    );
    let share = a.share;
    assert!(share.ci_low >= 0.25 && share.ci_high <= 0.40, "{a:?}");
    let heavy = [
        "scenario.weeks=52",
        "population.participants.count=24",
        "population.volunteers.count=2",
    ];
    let older = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &[&heavy[..], &["population.volunteers.life_stage=\"older\""]].concat(),
    ));
    let younger = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &[
            &heavy[..],
            &["population.volunteers.life_stage=\"younger\""],
        ]
        .concat(),
    ));
    assert_negative(
        diff(
            &older,
            &younger,
            "founding_volunteers_retained",
            Scope::Final,
        ),
        "retention, younger − older under load",
    );
}

/// Fact 8: bridging ties raise the newcomers' housing/job events; newcomers with high care load
/// attend less and gain less.
#[test]
fn fact8_bridges_open_doors_and_care_load_keeps_mothers_home() {
    let weak = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &["scenario.weeks=104", "parameters.tie_talk=0.005"],
    ));
    let strong = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &["scenario.weeks=104", "parameters.tie_talk=0.04"],
    ));
    assert_positive(
        diff(&weak, &strong, "bridging_tie_strength", Scope::RunMean),
        "bridging ties, strong − weak",
    );
    assert_positive(
        diff(&weak, &strong, "doors_opened", Scope::RunMean),
        "housing/job events, strong − weak ties",
    );
    let light = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &["population.participants.care_load=0.1"],
    ));
    let heavy = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &["population.participants.care_load=0.9"],
    ));
    assert_negative(
        diff(&light, &heavy, "attendance_rate", Scope::RunMean),
        "attendance, heavy − light care load",
    );
    assert_negative(
        diff(&light, &heavy, "mean_language", Scope::Final),
        "language, heavy − light care load",
    );
}

/// Fact 9: becoming a volunteer is gated by language and invitation, and restores agency.
#[test]
fn fact9_stepping_up_is_gated_and_restores_agency() {
    let base = [
        "scenario.weeks=104",
        "activity.pathway=true",
        "activity.capacity=10",
    ];
    let with = |extra: &[&str]| {
        run_scenario(&scenario(
            "scenarios/calibration.toml",
            &[&base[..], extra].concat(),
        ))
    };
    let no_path = run_scenario(&scenario(
        "scenarios/calibration.toml",
        &["scenario.weeks=104", "activity.pathway=false"],
    ));
    let total: f64 = values(&no_path, "role_transitions", Scope::RunMean)
        .iter()
        .sum();
    assert_eq!(total, 0.0, "no pathway, no transitions");
    let low_l = with(&["population.participants.language={beta=[1.5,6.0]}"]);
    let high_l = with(&["population.participants.language={beta=[6.0,2.0]}"]);
    assert_positive(
        diff(&low_l, &high_l, "role_transitions", Scope::RunMean),
        "transitions, high − low language",
    );
    let doubted = with(&["stereotypes.newcomer=0.15"]);
    let trusted = with(&["stereotypes.newcomer=0.7"]);
    assert_positive(
        diff(&doubted, &trusted, "role_transitions", Scope::RunMean),
        "transitions, trusted − doubted (invitation)",
    );
    // Restores agency: the week she steps up, her agency rises against her own previous week.
    let s = scenario(
        "scenarios/calibration.toml",
        &[
            &base[..],
            &["population.participants.language={beta=[6.0,2.0]}"],
        ]
        .concat(),
    );
    let designs = Design::compile_all(&s);
    let mut gains = Vec::new();
    for r in 0..100 {
        let mut run = GroupRun::new(&designs[0], s.seed, r, 0);
        let mut log = EventLog::default();
        for _ in 0..s.weeks {
            let before: Vec<f64> = run.group.persons.iter().map(|p| p.agency).collect();
            let was: Vec<Status> = run.group.persons.iter().map(|p| p.status).collect();
            run.step(&mut log);
            for e in log.0.drain(..) {
                if let Event::Transition {
                    person,
                    to: Status::CoOrganizer,
                } = e
                {
                    if was[person] == Status::Participant && run.group.persons[person].active {
                        gains.push(run.group.persons[person].agency - before[person]);
                    }
                }
            }
        }
    }
    let g = summarize(&gains);
    eprintln!(
        "agency change in the week of stepping up: {:+.4} [{:+.4}, {:+.4}] n={}",
        g.mean, g.ci_low, g.ci_high, g.n
    );
    assert!(g.n >= 20 && g.ci_low > 0.0, "{g:?}");
}
