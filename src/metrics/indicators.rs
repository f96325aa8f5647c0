//! The weekly indicator row: what metrics observe of the model each week.

/// Indicator names, in output order. `docs/indicators.md` documents each.
pub const INDICATORS: &[&str] = &[
    "voice_share_participants",
    "voice_share_volunteers",
    "voice_share_staff",
    "voice_parity",
    "usurp_rate_participants",
    "usurp_rate_volunteers",
    "usurp_ratio",
    "usurp_share_by_participants",
    "usurp_share_by_volunteers",
    "usurp_share_by_staff",
    "completed_turn_share",
    "dependency_help_share",
    "unsolicited_help_share",
    "help_episodes",
    "proposals_adopted_share",
    "decision_share_locals",
    "mean_agency",
    "agency_gini",
    "mean_p_indep",
    "perceived_competence_gap",
    "stereotype_mean",
    "limbo_count",
    "us_them_distance",
    "bridging_tie_strength",
    "bonding_tie_strength",
    "linking_events",
    "housing_events",
    "job_events",
    "mean_language",
    "mean_knowhow",
    "mean_belonging",
    "attendance_rate",
    "participants_active",
    "dropouts",
    "volunteers_active",
    "volunteers_retained",
    "volunteer_satisfaction",
    "volunteer_burden",
    "withdrawals",
    "stranded_participants",
    "role_transitions",
    "co_organizers",
    "agency_index",
    "minoritization_index",
];

use super::observe::WeekTally;

/// Number of indicators.
pub const N_INDICATORS: usize = INDICATORS.len();

/// One week's indicator values, in `INDICATORS` order; NaN where undefined (written `NA`).
pub type Row = [f64; N_INDICATORS];

/// a ÷ b, NaN when b is 0.
#[inline]
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// min(x, 1) that keeps NaN (f64::min would turn an undefined value into 1).
#[inline]
fn cap1(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else {
        x.min(1.0)
    }
}

/// Mean of the defined (non-NaN) terms; NaN if none.
fn mean_defined(xs: &[f64]) -> f64 {
    let (s, n) = xs
        .iter()
        .filter(|x| !x.is_nan())
        .fold((0.0, 0), |(s, n), x| (s + x, n + 1));
    ratio(s, n as f64)
}

/// Computes the indicator row from a week's (pooled) sums. Formulas: docs/indicators.md.
pub fn indicator_row(t: &WeekTally) -> Row {
    let turns = t.turns;
    let usurped_total = t.usurped_by_p + t.usurped_by_v + t.usurped_by_s;
    let voice_share_p = ratio(t.voice_p, turns);
    let voice_parity = ratio(voice_share_p, ratio(t.presence_p, t.presence_all));
    let usurp_p = ratio(t.usurped_on_p, t.floors_p);
    let usurp_v = ratio(t.usurped_on_v + t.usurped_on_s, t.floors_v + t.floors_s);
    let completed_share = ratio(t.floors_p - t.usurped_on_p, t.floors_p);
    let dep_share = ratio(t.help_dependency, t.help);
    let adopted = ratio(t.decisions_participant, t.decisions);
    let mean_agency = ratio(t.agency, t.participants);
    let p_indep = ratio(t.p_indep, t.participants);
    let gap = ratio(t.gap, t.gap_pairs);
    let us_them = ratio(t.us_them, t.us_them_pairs);
    let limbo_share = cap1(ratio(t.limbo, t.entered_as_participants));
    let agency_index = mean_defined(&[
        mean_agency,
        p_indep,
        completed_share,
        cap1(voice_parity),
        adopted,
    ]);
    let minoritization_index = mean_defined(&[
        usurp_p,
        dep_share,
        (2.0 * gap).clamp(0.0, 1.0),
        limbo_share,
        us_them,
    ]);
    [
        voice_share_p,
        ratio(t.voice_v, turns),
        ratio(t.voice_s, turns),
        voice_parity,
        usurp_p,
        usurp_v,
        ratio(usurp_p, usurp_v),
        ratio(t.usurped_by_p, usurped_total),
        ratio(t.usurped_by_v, usurped_total),
        ratio(t.usurped_by_s, usurped_total),
        completed_share,
        dep_share,
        ratio(t.help_unsolicited, t.help),
        t.help,
        adopted,
        ratio(t.decisions - t.decisions_participant, t.decisions),
        mean_agency,
        ratio(t.gini_weighted, t.participants),
        p_indep,
        gap,
        ratio(t.stereotype, t.stereotype_pairs),
        t.limbo,
        us_them,
        ratio(t.bridging, t.bridging_pairs),
        ratio(t.bonding, t.bonding_pairs),
        t.housing + t.job,
        t.housing,
        t.job,
        ratio(t.language, t.participants),
        ratio(t.knowhow, t.participants),
        ratio(t.belonging, t.participants),
        ratio(t.attended, t.attend_possible),
        t.participants,
        t.dropouts,
        t.volunteers_active,
        ratio(t.initial_volunteers_active, t.initial_volunteers),
        ratio(t.satisfaction, t.locals_active),
        ratio(t.burden, t.locals_active),
        t.withdrawals,
        t.stranded,
        t.transitions,
        t.co_organizers,
        agency_index,
        minoritization_index,
    ]
}

/// Position of an indicator by name.
pub fn indicator_index(name: &str) -> Option<usize> {
    INDICATORS.iter().position(|n| *n == name)
}

/// A place that shows a selection of the key indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The headline: printed after `run` and `compare`, one panel each in sweep charts.
    Headline,
    /// The "at a glance" cards that open a run's report.
    Glance,
    /// A run's trajectory charts (the small multiples, and one chart each).
    Trajectory,
    /// A run's histograms of the final week across replicates.
    Distribution,
    /// What `dugnad sensitivity` analyses when no `--indicator` is named, outcomes first.
    Sensitivity,
    /// What the classroom page charts by default.
    Classroom,
}

/// A key indicator: one of [`INDICATORS`] and the views that show it.
#[derive(Clone, Copy, Debug)]
pub struct KeyIndicator {
    pub name: &'static str,
    views: &'static [View],
    /// Position among the sensitivity defaults (which list the outcomes first), if one.
    sensitivity: Option<u8>,
}

impl KeyIndicator {
    const fn new(name: &'static str, views: &'static [View]) -> KeyIndicator {
        KeyIndicator {
            name,
            views,
            sensitivity: None,
        }
    }

    /// Also analysed by default in a sensitivity analysis, at position `rank`.
    const fn sensitivity(self, rank: u8) -> KeyIndicator {
        KeyIndicator {
            sensitivity: Some(rank),
            ..self
        }
    }

    /// Whether `view` shows this indicator.
    pub fn in_view(&self, view: View) -> bool {
        match view {
            View::Sensitivity => self.sensitivity.is_some(),
            v => self.views.contains(&v),
        }
    }
}

use View::{Classroom, Distribution, Glance, Headline, Trajectory};

/// The key indicators, in [`INDICATORS`] order: the one list every view's selection comes from
/// (see [`key_indicators`]).
pub const KEY_INDICATORS: &[KeyIndicator] = &[
    KeyIndicator::new("voice_parity", &[Headline, Glance, Trajectory, Classroom]).sensitivity(3),
    KeyIndicator::new(
        "usurp_rate_participants",
        &[Headline, Glance, Trajectory, Classroom],
    ),
    KeyIndicator::new("usurp_rate_volunteers", &[Glance, Trajectory]),
    KeyIndicator::new(
        "dependency_help_share",
        &[Headline, Glance, Trajectory, Classroom],
    )
    .sensitivity(4),
    KeyIndicator::new(
        "mean_agency",
        &[Headline, Glance, Trajectory, Distribution, Classroom],
    )
    .sensitivity(0),
    KeyIndicator::new("perceived_competence_gap", &[Glance, Trajectory]),
    KeyIndicator::new("limbo_count", &[Headline, Trajectory]),
    KeyIndicator::new("bridging_tie_strength", &[Trajectory]),
    KeyIndicator::new("volunteers_active", &[Trajectory]),
    KeyIndicator::new("volunteers_retained", &[Headline, Glance, Classroom]).sensitivity(5),
    KeyIndicator::new(
        "agency_index",
        &[Headline, Glance, Trajectory, Distribution],
    )
    .sensitivity(2),
    KeyIndicator::new(
        "minoritization_index",
        &[Headline, Glance, Trajectory, Distribution],
    )
    .sensitivity(1),
];

/// The names of the key indicators `view` shows, in its order ([`INDICATORS`] order, except
/// the sensitivity defaults, which list the outcomes first).
pub fn key_indicators(view: View) -> Vec<&'static str> {
    let mut keys: Vec<&KeyIndicator> = KEY_INDICATORS.iter().filter(|k| k.in_view(view)).collect();
    if view == View::Sensitivity {
        keys.sort_by_key(|k| k.sensitivity);
    }
    keys.into_iter().map(|k| k.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_indicators_are_indicators_in_output_order() {
        let at: Vec<usize> = KEY_INDICATORS
            .iter()
            .map(|k| indicator_index(k.name).unwrap_or_else(|| panic!("{} unknown", k.name)))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        let mut ranks: Vec<u8> = KEY_INDICATORS
            .iter()
            .filter_map(|k| k.sensitivity)
            .collect();
        ranks.sort_unstable();
        assert_eq!(ranks, (0..ranks.len() as u8).collect::<Vec<_>>());
    }

    #[test]
    fn every_view_shows_some_and_the_headline_what_the_summaries_print() {
        assert_eq!(
            key_indicators(View::Headline),
            [
                "voice_parity",
                "usurp_rate_participants",
                "dependency_help_share",
                "mean_agency",
                "limbo_count",
                "volunteers_retained",
                "agency_index",
                "minoritization_index",
            ]
        );
        assert_eq!(
            key_indicators(View::Sensitivity)[..3],
            ["mean_agency", "minoritization_index", "agency_index"]
        );
        for v in [Glance, Trajectory, Distribution, Classroom] {
            assert!(!key_indicators(v).is_empty(), "{v:?}");
        }
    }
}
