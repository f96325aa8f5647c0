//! Who an indicator describes (issue 12, MODEL.md Appendix D): lens `all` is the sum of its
//! disjoint classes, an attribute's cells partition the newcomers, an empty lens is NA (never a
//! number made from other people), and without newcomers nothing is credited to them.

use dugnad::metrics::indicators::Kind;
use dugnad::metrics::lens::{Class, Subject};
use dugnad::metrics::observe::LensTally;
use dugnad::metrics::{Layout, WeekTally, INDICATORS};
use dugnad::model::group::Design;
use dugnad::scenario::{load, Scenario};
use dugnad::sim::engine::GroupRun;
use dugnad::sim::events::NoEvents;
use dugnad::sim::replicates::run_scenario;
use std::path::Path;

fn scenario(file: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(Path::new(file), &sets).unwrap_or_else(|e| panic!("{e}"))
}

/// The weekly sums of every group of `s` pooled, for `weeks` weeks of replicate `r`.
fn pooled_weeks(designs: &[Design], seed: u64, r: u64, weeks: u32) -> Vec<WeekTally> {
    let mut out = vec![WeekTally::default(); weeks as usize];
    for d in designs {
        for g in 0..d.activity.groups as u64 {
            let mut run = GroupRun::new(d, seed, r, g);
            for w in out.iter_mut() {
                w.add(run.step(&mut NoEvents));
            }
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Every field of a tally, by name.
fn fields(t: &LensTally) -> Vec<(&'static str, f64)> {
    let v = serde_json::to_value(t).unwrap();
    LensTally::FIELDS
        .iter()
        .map(|f| (*f, v[*f].as_f64().unwrap()))
        .collect()
}

#[test]
fn lens_all_of_every_count_is_the_sum_of_its_disjoint_lenses() {
    let mut checked = 0;
    for file in [
        "scenarios/dugnad.toml",
        "scenarios/co-designed-cafe.toml",
        "scenarios/focus-group.toml",
    ] {
        let s = scenario(file, &[]);
        let designs = Design::compile_all(&s);
        let layout = Layout::of(&designs[0]);
        for r in 0..4 {
            for t in pooled_weeks(&designs, s.seed, r, 30) {
                // The sums: `all` of participant indicators is newcomers + local participants,
                // of volunteer indicators volunteers + staff (the Gini excepted: not a sum).
                let (p, h) = (t.participants(), t.hosts());
                for (subject, all) in [(Subject::Participants, &p), (Subject::Hosts, &h)] {
                    let [a, b] = subject.classes().map(|c| fields(t.class(c)));
                    for ((name, x), ((_, y), (_, z))) in
                        fields(all).into_iter().zip(a.iter().zip(&b))
                    {
                        if name != "gini_weighted" {
                            assert!(close(x, y + z), "{file}: {name} of all {x} ≠ {y} + {z}");
                        }
                    }
                }
                // The indicators: every count (per group) of lens `all` is the sum of the
                // defined class lenses it pools.
                let row = layout.row(&t);
                for (k, ind) in INDICATORS.iter().enumerate() {
                    if ind.kind != Kind::Count {
                        continue;
                    }
                    let at = |lens: &str| layout.position(ind.name, lens).map(|i| row[i]);
                    let Some(all) = at("all") else { continue };
                    let parts: Vec<f64> = ind
                        .all
                        .classes()
                        .iter()
                        .filter_map(|c| at(c.lens_name()))
                        .filter(|x| !x.is_nan())
                        .collect();
                    if parts.is_empty() {
                        continue;
                    }
                    let sum: f64 = parts.iter().sum();
                    assert!(
                        close(all, sum),
                        "{file}: {} (#{k}) all = {all}, sum of its lenses = {sum}",
                        ind.name
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} sums checked");
}

#[test]
fn attribute_cells_partition_the_newcomers() {
    let s = scenario(
        "scenarios/dugnad.toml",
        &[
            "population.newcomers.attributes.gender={ choice = [\"woman\", \"man\"], weights = [0.6, 0.4] }",
            "output.by=[\"gender\", \"origin\"]",
        ],
    );
    let designs = Design::compile_all(&s);
    let layout = Layout::of(&designs[0]);
    let cells: Vec<&str> = layout.lenses_of("participants_active")[3..].to_vec();
    assert_eq!(
        cells,
        [
            "newcomers|gender=man",
            "newcomers|gender=woman",
            "newcomers|origin=non-western"
        ]
    );
    let mut seen_both = false;
    for t in pooled_weeks(&designs, s.seed, 0, 20) {
        let n = t.class(Class::Newcomer);
        let (man, woman, origin) = (&t.cells[0], &t.cells[1], &t.cells[2]);
        seen_both |= man.members > 0.0 && woman.members > 0.0;
        for (((name, x), (_, m)), (_, w)) in
            fields(n).into_iter().zip(fields(man)).zip(fields(woman))
        {
            if name != "gini_weighted" {
                assert!(
                    close(x, m + w),
                    "{name}: newcomers {x} ≠ man {m} + woman {w}"
                );
            }
        }
        // One origin: its cell is the newcomers.
        assert_eq!(fields(origin), fields(n));
    }
    assert!(seen_both, "both genders drawn");
}

#[test]
fn without_newcomers_every_newcomer_lens_is_na_and_nothing_is_credited_to_them() {
    let s = scenario(
        "scenarios/dugnad.toml",
        &[
            "population.newcomers.count=0",
            "scenario.weeks=104",
            "scenario.replicates=6",
        ],
    );
    let agg = run_scenario(&s);
    let mut newcomer_series = 0;
    for (k, series) in agg.layout.series.iter().enumerate() {
        let lens = series.lens_name.as_str();
        let about_newcomers = lens == "newcomers" || lens.starts_with("newcomers|");
        if about_newcomers {
            newcomer_series += 1;
            for w in 1..=agg.weeks {
                let s = agg.week_summary(w, k);
                assert_eq!(s.n, 0, "{} ({lens}) week {w}: defined", series.name());
            }
            for (r, row) in agg.finals.iter().chain(&agg.means) {
                assert!(row[k].is_nan(), "{} ({lens}) replicate {r}", series.name());
            }
        }
        // No person of a non-majority origin: no stereotype of one is reported.
        if lens.starts_with("origin=") {
            assert_eq!(agg.final_week[k].summary().n, 0, "{lens}");
        }
    }
    assert!(newcomer_series > 30, "{newcomer_series} newcomer series");
    // Bridging and linking need a newcomer; doors open only for newcomers.
    let final_mean = |name: &str, lens: &str| {
        let k = agg.layout.position(name, lens).unwrap();
        agg.final_week[k].summary()
    };
    for name in ["bridging_tie_strength", "linking_tie_strength"] {
        for lens in ["newcomers", "local_participants"] {
            if let Some(k) = agg.layout.position(name, lens) {
                assert_eq!(agg.final_week[k].summary().n, 0, "{name} ({lens})");
            }
        }
    }
    for name in ["doors_opened", "housing_events", "job_events"] {
        let s = final_mean(name, "all");
        assert!(s.n == 0 || s.mean == 0.0, "{name} (all): {s:?}");
        for (_, row) in &agg.means {
            let x = row[agg.layout.position(name, "all").unwrap()];
            assert!(x.is_nan() || x == 0.0, "{name}: {x} over the run");
        }
    }
    // The local participants are still reported.
    assert!(final_mean("mean_agency", "local_participants").n > 0);
}

#[test]
fn dugnad_reports_newcomers_and_local_participants_apart() {
    let s = scenario("scenarios/dugnad.toml", &["scenario.replicates=40"]);
    let agg = run_scenario(&s);
    let run_mean = |name: &str, lens: &str| {
        let k = agg.layout.position(name, lens).unwrap();
        agg.run_mean[k].summary()
    };
    // Voice parity: the newcomers are under-heard, the local neighbours over-heard, and the
    // confidence intervals do not overlap; agency likewise lower for the newcomers.
    for name in ["voice_parity", "mean_agency"] {
        let (n, l) = (
            run_mean(name, "newcomers"),
            run_mean(name, "local_participants"),
        );
        eprintln!(
            "{name}: newcomers {:.3} [{:.3}, {:.3}], local participants {:.3} [{:.3}, {:.3}]",
            n.mean, n.ci_low, n.ci_high, l.mean, l.ci_low, l.ci_high
        );
        assert!(n.ci_high < l.ci_low, "{name}: the CIs are separated");
    }
    assert!(run_mean("voice_parity", "newcomers").mean < 1.0);
    assert!(run_mean("voice_parity", "local_participants").mean > 1.0);
}

/// Every formula of the indicator table on a hand-built week, against values worked out by hand
/// from the formulas documented in docs/indicators.md: the newcomers' lens for participant and
/// talk indicators, the volunteers' for volunteer indicators, and the per-origin stereotype.
#[test]
fn every_formula_gives_its_documented_value_on_a_hand_built_week() {
    use dugnad::metrics::indicators::Sums;
    use dugnad::metrics::observe::{GroupTally, OriginTally};
    let newcomers = LensTally {
        members: 4.0,
        leavers: 1.0,
        entered: 5.0,
        entered_leavers: 1.0,
        floors: 50.0,
        spoken_for: 10.0,
        took_over: 2.0,
        voice: 42.0,
        presence: 12.0,
        help: 20.0,
        help_dependency: 15.0,
        help_unsolicited: 5.0,
        adopted: 3.0,
        attended: 9.0,
        attend_possible: 12.0,
        agency: 2.0,
        gini_weighted: 0.8,
        p_indep: 1.6,
        language: 1.2,
        language_gain: 0.4,
        knowhow: 1.0,
        belonging: 2.4,
        co_organizers: 1.0,
        gap: 3.0,
        stereotype: 12.0,
        us_them: 16.0,
        pairs: 20.0,
        bonding: 1.5,
        bonding_pairs: 6.0,
        bridging: 2.0,
        bridging_pairs: 10.0,
        linking: 0.9,
        linking_pairs: 3.0,
        local_tie_share: 1.8,
        tied: 3.0,
        dropouts: 1.0,
        stranded: 2.0,
        limbo: 2.0,
        transitions: 1.0,
        housing: 1.0,
        job: 1.0,
        ..LensTally::default()
    };
    let volunteers = LensTally {
        members: 2.0,
        floors: 100.0,
        spoken_for: 5.0,
        took_over: 8.0,
        satisfaction: 1.4,
        burden: 0.6,
        founding: 3.0,
        founding_active: 2.0,
        withdrawals: 1.0,
        cum_withdrawals: 2.0,
        cum_weeks: 104.0,
        cum_tenure: 30.0,
        ..LensTally::default()
    };
    let week = WeekTally {
        group: GroupTally {
            groups: 2.0,
            meetings: 4.0,
            turns: 200.0,
            presence: 40.0,
            decisions: 10.0,
            gini_participants: 0.0,
        },
        classes: [
            newcomers,
            LensTally::default(),
            volunteers,
            LensTally::default(),
        ],
        cells: Vec::new(),
        origins: Vec::new(),
    };
    let hosts = week.hosts();
    let origin = OriginTally {
        stereotype: 1.5,
        holders: 3.0,
    };
    let expected: &[(&str, f64)] = &[
        ("voice_share", 42.0 / 200.0),
        ("voice_parity", (42.0 / 200.0) / (12.0 / 40.0)),
        ("spoken_for_rate", 10.0 / 50.0),
        ("spoken_for_ratio", (10.0 / 50.0) / (5.0 / 100.0)),
        ("takeover_share", 2.0 / 10.0),
        ("completed_turn_share", 40.0 / 50.0),
        ("dependency_help_share", 15.0 / 20.0),
        ("unsolicited_help_share", 5.0 / 20.0),
        ("help_episodes", 20.0 / 2.0),
        ("proposals_adopted_share", 3.0 / 10.0),
        ("mean_agency", 0.5),
        ("agency_gini", 0.2),
        ("mean_p_indep", 0.4),
        ("perceived_competence_gap", 0.15),
        ("stereotype", 0.6),
        ("limbo_count", 1.0),
        ("us_them_distance", 0.8),
        ("bonding_tie_strength", 0.25),
        ("bridging_tie_strength", 0.2),
        ("linking_tie_strength", 0.3),
        ("tie_share_to_locals", 0.6),
        ("doors_opened", 1.0),
        ("housing_events", 0.5),
        ("job_events", 0.5),
        ("mean_language", 0.3),
        ("language_gain", 0.1),
        ("mean_knowhow", 0.25),
        ("mean_belonging", 0.6),
        ("attendance_rate", 0.75),
        ("participants_active", 2.0),
        ("dropouts", 0.5),
        ("stranded", 1.0),
        ("role_transitions", 0.5),
        ("co_organizers", 0.5),
        ("volunteers_active", 1.0),
        ("founding_volunteers_retained", 2.0 / 3.0),
        ("annual_attrition", 1.0),
        ("mean_tenure_weeks", 15.0),
        ("satisfaction", 0.7),
        ("burden", 0.3),
        ("withdrawals", 0.5),
        // mean(0.5, 0.4, 0.8, min(0.7, 1), 0.3)
        ("agency_index", 2.7 / 5.0),
        // mean(0.2, 0.75, clamp(2 × 0.15), min(2 / 5, 1), 0.8)
        ("minoritization_index", 2.45 / 5.0),
    ];
    assert_eq!(
        expected.len(),
        INDICATORS.len(),
        "a hand-worked value for every indicator"
    );
    for ind in INDICATORS {
        let want = expected
            .iter()
            .find(|(n, _)| *n == ind.name)
            .unwrap_or_else(|| panic!("{}: no hand-worked value", ind.name))
            .1;
        let lens = match ind.all {
            Subject::Participants => &week.classes[0],
            Subject::Hosts => &week.classes[2],
        };
        let got = ind.value(&Sums {
            lens,
            week: &week,
            hosts: &hosts,
            origin: None,
        });
        assert!(close(got, want), "{}: {got} ≠ {want}", ind.name);
    }
    // The per-origin stereotype: the hosts' mean μ_v(G).
    let stereotype = dugnad::metrics::indicator("stereotype").unwrap();
    let got = stereotype.value(&Sums {
        lens: &week.classes[0],
        week: &week,
        hosts: &hosts,
        origin: Some(&origin),
    });
    assert!(close(got, 0.5), "stereotype of an origin: {got}");
}
