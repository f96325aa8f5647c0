//! Calibration: the figures that tie dugnad's defaults to magnitudes from the literature
//! (docs/calibration.md). `dugnad calibrate` prints them; tests pin each within its range.

use crate::mechanisms::events::NoEvents;
use crate::model::design::usurp_gap;
use crate::model::person::initial_state;
use crate::model::{Design, Params, Status, StatusCues};
use crate::scenario::Scenario;
use crate::sim::engine::GroupRun;
use crate::sim::replicates::run_scenario;
use crate::stats::{summarize, Summary};
use rayon::prelude::*;
use serde::Serialize;

/// A default participant: the means of the participant trait defaults (language Beta(2, 4): 1/3,
/// resources uniform[0.2, 0.8]: 0.5, initiative Beta(2, 3): 0.4) put through the model's own
/// entry state (Appendix C).
pub const DEFAULT_PARTICIPANT: StatusCues = StatusCues {
    majority: false,
    language: 2.0 / 6.0,
    knowhow: initial_state(true, 0.5, 0.4).0,
    agency: initial_state(true, 0.5, 0.4).1,
    host: Status::Participant.host(),
    offset: 0.0,
};
/// A default volunteer: fluent, of the majority, with a local's entry state (Appendix C).
pub const DEFAULT_VOLUNTEER: StatusCues = StatusCues {
    majority: true,
    language: 1.0,
    knowhow: initial_state(false, 1.0, 0.5).0,
    agency: initial_state(false, 1.0, 0.5).1,
    host: Status::Volunteer.host(),
    offset: 0.0,
};

/// Odds ratio of being usurped, default participant vs default volunteer, by the same usurper
/// after a hesitation, without facilitation: exp(usurp_gap·(e_vol − e_part) + α3(L_vol − L_part))
/// with the model's own expectation values and usurp gap (M1; Anderson & Leaper 1998 put the
/// status effect at 1.3–1.8).
pub fn usurp_odds_ratio(p: &Params, service_frame: f64) -> f64 {
    let gap = DEFAULT_VOLUNTEER.expectation(p) - DEFAULT_PARTICIPANT.expectation(p);
    let dl = DEFAULT_VOLUNTEER.language - DEFAULT_PARTICIPANT.language;
    (usurp_gap(p, service_frame) * gap + p.alpha3 * dl).exp()
}

/// Annual volunteer attrition over the first year, across replicates: the `annual_attrition`
/// indicator of the volunteers at week 52 (withdrawals per volunteer-year, refills included),
/// and the share of volunteers it makes leave within a year, 1 − e^(−rate) (the form the
/// literature's 25–40 % a year is stated in).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Attrition {
    /// Withdrawals per volunteer-year.
    pub rate: Summary,
    /// 1 − e^(−rate), per replicate: the share leaving within a year at that rate.
    pub share: Summary,
}

/// [`Attrition`] of a scenario's volunteers over its first 52 weeks.
pub fn annual_attrition(s: &Scenario) -> Attrition {
    let mut s = s.clone();
    s.weeks = 52;
    let agg = run_scenario(&s);
    let k = agg
        .layout
        .position("annual_attrition", "volunteers")
        .expect("annual_attrition has a volunteers lens");
    let rates: Vec<f64> = agg.finals.iter().map(|(_, row)| row[k]).collect();
    let shares: Vec<f64> = rates.iter().map(|r| 1.0 - (-r).exp()).collect();
    Attrition {
        rate: summarize(&rates),
        share: summarize(&shares),
    }
}

/// Language growth of the initial participants over a scenario's weeks.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LanguageGrowth {
    /// Hours attended per CEFR step (1/6 of the language scale).
    pub hours_per_level: f64,
    /// Mean hours attended per participant per week.
    pub hours_per_week: f64,
    /// Months (4.35 weeks) per CEFR step at that attendance.
    pub months_per_level: f64,
    /// Mean language gain per participant over the run.
    pub mean_gain: f64,
}

/// Measures language growth: Σ gains and Σ hours attended of the participants present from week
/// 1, each followed while active in her first slot.
pub fn language_growth(s: &Scenario) -> LanguageGrowth {
    let designs = Design::compile_all(s);
    let weeks = s.weeks;
    let (gain, hours, persons): (f64, f64, f64) = (0..s.replicates as u64)
        .into_par_iter()
        .map(|r| {
            let mut acc = (0.0, 0.0, 0.0);
            for d in &designs {
                for gi in 0..d.activity.groups as u64 {
                    let mut run = GroupRun::new(d, s.seed, r, gi);
                    let n = run.group.n();
                    let start: Vec<f64> = run.group.persons.iter().map(|x| x.language).collect();
                    let mut last = start.clone();
                    let mut followed: Vec<bool> = run
                        .group
                        .persons
                        .iter()
                        .map(|x| x.status.is_participant())
                        .collect();
                    let mut h = vec![0.0; n];
                    for _ in 0..weeks {
                        run.step(&mut NoEvents);
                        for (i, x) in run.group.persons.iter().enumerate() {
                            if !followed[i] {
                                continue;
                            }
                            if !x.active || !x.status.is_participant() {
                                followed[i] = false;
                                continue;
                            }
                            h[i] += x.meetings_attended as f64 * d.activity.hours_per_meeting;
                            last[i] = x.language;
                        }
                    }
                    for i in 0..n {
                        if run.group.persons[i].was_participant && h[i] > 0.0 {
                            acc.0 += last[i] - start[i];
                            acc.1 += h[i];
                            acc.2 += 1.0;
                        }
                    }
                }
            }
            acc
        })
        .reduce(|| (0.0, 0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let hours_per_level = hours / (gain * 6.0);
    let hours_per_week = hours / persons.max(1.0) / weeks as f64;
    LanguageGrowth {
        hours_per_level,
        hours_per_week,
        months_per_level: hours_per_level / hours_per_week / 4.35,
        mean_gain: gain / persons.max(1.0),
    }
}

/// Hours of full speaking practice (w_speak, own fair share of turns) that move language from
/// `from` by one CEFR step: −ln((1 − from − 1/6)/(1 − from))/η_L.
pub fn speaking_hours_per_level(p: &Params, from: f64) -> f64 {
    -((1.0 - from - 1.0 / 6.0) / (1.0 - from)).ln() / (p.eta_l * p.w_speak)
}

/// Every calibration figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub attrition: Attrition,
    pub usurp_or_frame_05: f64,
    pub usurp_or_frame_09: f64,
    pub speaking_hours_per_level: f64,
    pub language: LanguageGrowth,
}

/// Computes every figure on a calibration scenario.
pub fn figures(s: &Scenario) -> Figures {
    Figures {
        attrition: annual_attrition(s),
        usurp_or_frame_05: usurp_odds_ratio(&s.params, 0.5),
        usurp_or_frame_09: usurp_odds_ratio(&s.params, 0.9),
        speaking_hours_per_level: speaking_hours_per_level(&s.params, 0.25),
        language: language_growth(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usurp_odds_ratio_lies_in_the_meta_analytic_band_and_grows_with_service_frame() {
        let p = Params::default();
        let or = usurp_odds_ratio(&p, 0.5);
        assert!((1.3..=1.8).contains(&or), "OR at service frame 0.5 = {or}");
        assert!(usurp_odds_ratio(&p, 0.9) > or);
    }

    #[test]
    fn two_hundred_hours_of_speaking_make_one_cefr_step() {
        let h = speaking_hours_per_level(&Params::default(), 0.25);
        assert!((180.0..=220.0).contains(&h), "{h} hours");
    }
}
