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
