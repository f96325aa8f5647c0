//! The mechanism table: every mechanism a stylized fact rests on, each with an off switch. A
//! scenario's `[mechanisms]` table sets switches (`subtyping = false`); `dugnad validate` runs
//! every fact with its mechanisms switched off (the ablation matrix, docs/calibration.md).
//!
//! A switch is off in one of two ways, declared with it: a *parametric* switch holds some
//! parameters at fixed values (`status_usurping = false` is `alpha1 = 0`), applied when the
//! design is compiled ([`Mechanisms::apply`]); a *structural* switch changes a rule that no
//! parameter can turn off (`subtyping = false`: every member's evidence counts in full), read by
//! the mechanism itself. The model reads the resolved [`Mechanisms`] (all on by default).

use super::document::{Class, Tbl, R};
use super::named::named_values;
use super::params::Params;
use super::suggest::unknown_name;
use serde::Serialize;

/// One row of the mechanism table.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MechanismSpec {
    /// The key under `[mechanisms]`.
    pub name: &'static str,
    /// Submodel it belongs to (M1..M8).
    pub submodel: &'static str,
    /// What the mechanism does (switched on).
    pub meaning: &'static str,
    /// What switching it off does.
    pub off: &'static str,
    /// Parameters held at these values when it is off (empty for a structural switch).
    pub holds: &'static [(&'static str, f64)],
}

macro_rules! mechanisms {
    ($( $name:ident : $sub:literal, [$( ($p:literal, $v:expr) ),*], $meaning:literal, $off:literal; )*) => {
        named_values! {
            /// Which mechanisms are switched on (all by default).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
            pub struct Mechanisms: bool { $( $name = true, $meaning; )* }
            "mechanism switch"
        }

        /// The mechanism table, in documentation order.
        pub const MECHANISMS: &[MechanismSpec] = &[ $( MechanismSpec {
            name: stringify!($name), submodel: $sub, meaning: $meaning, off: $off,
            holds: &[ $( ($p, $v) ),* ],
        }, )* ];
    };
}

mechanisms! {
    // M1 talk
    status_usurping: "M1", [("alpha1", 0.0)],
        "Usurping weighs the status gap e_v − e_j (diffuse status of a majority origin, host position, language and know-how as task status).",
        "the status gap leaves the usurp probability (alpha1 = 0)";
    protective_usurping: "M1", [("alpha2", 0.0)],
        "Usurping weighs the would-be usurper's need to help × protectiveness (mothering, speaking for).",
        "need to help × protectiveness leaves the usurp probability (alpha2 = 0)";
    language_hesitation: "M1", [("h0_hesitate", 0.0), ("alpha3", 0.0)],
        "Missing language makes a speaker hesitate and others finish her sentence.",
        "language leaves hesitation and usurping (h0_hesitate = 0, alpha3 = 0)";
    status_compounding: "M1", [("delta_usurp", 0.0), ("kappa_u", 0.0)],
        "A usurped turn costs the speaker persistent status and agency, so early interruptions compound.",
        "usurped turns cost neither status nor agency (delta_usurp = 0, kappa_u = 0)";
    expert_frame: "M1", [("s_frame", 0.0)],
        "A service frame (volunteers provide, participants receive) amplifies the status gap in usurping: the expert–lay frame.",
        "the status gap weighs the same in every frame (s_frame = 0)";
    turn_taking_norm: "M1", [],
        "Facilitation (a turn-taking norm) blocks usurping: p_usurp × (1 − facilitation).",
        "facilitation blocks nothing, whatever the design says";
    // M2 help
    need_drives_help: "M2", [],
        "The helper's need to help drives unsolicited offers, dependency-oriented help and speaking for.",
        "every volunteer acts with the same need to help, 0.5, in offers, help type and usurping";
    neediness_stereotype: "M2", [("gamma3", 0.0), ("gamma4", 0.0)],
        "The helper's stereotype of the participant's origin shapes the help type: a neediness stereotype (made salient by targeting) and the threat of a participant who looks more competent than it make help dependency-oriented (Nadler & Chernyak-Hai 2014; Nadler et al. 2009).",
        "the stereotype leaves the help type (gamma3 = 0, gamma4 = 0)";
    equal_status_help: "M2", [("gamma5", 0.0), ("ack_frame", 0.0)],
        "Equal-status conditions build a common identity that makes help autonomy-oriented, and a low service frame gets independent attempts acknowledged (Nadler 2002; Baltes).",
        "common identity leaves the help type and acknowledgement ignores the frame (gamma5 = 0, ack_frame = 0)";
    // M3 retention
    burden: "M3", [("beta_b", 0.0)],
        "Burden above a manageable load (participants per volunteer, dependency help) raises the withdrawal hazard.",
        "burden leaves the withdrawal hazard (beta_b = 0)";
    life_stage_burden: "M3", [("younger_burden", 1.0)],
        "Younger volunteers feel burden more (Herslund & Paulgaard 2021).",
        "burden weighs the same at every life stage (younger_burden = 1)";
    // M4 beliefs
    individuation: "M4", [("lambda_obs", 0.0), ("judge_rate", 0.0)],
        "Locals learn each participant's competence from the turns she completes and judge her by their own criteria.",
        "perceived competence stays at the stereotype it started from (lambda_obs = 0, judge_rate = 0)";
    subtyping: "M4", [],
        "Stereotype bookkeeping weighs each member's evidence by typicality; a member who keeps performing far above the stereotype is fenced off as an exception (Weber & Crocker 1983) and contrasts it (Bless et al. 2001).",
        "every member's evidence counts in full: no typicality weighting, no exceptions, no contrast";
    status_cap: "M4", [],
        "Inclusion ('one of us') of a participant of a minority origin is capped by diffuse status unless the design provides equal-status conditions.",
        "inclusion may grow to 1 for everyone";
    // M5 contact
    allport_contact: "M5", [("theta_gap", 0.0)],
        "Contact evidence about a group counts more under Allport's conditions (low service frame, co-design, mixing).",
        "contact evidence counts the same in every design (theta_gap = 0)";
    // M6 agenda
    shared_agenda: "M6", [],
        "Co-design lets participants propose agenda items and flattens the status weighting of adoption.",
        "participants propose only as co-organizers, and adoption is weighted by status whatever co_design says";
    // M8 attendance, door-opening, transitions
    care_load: "M8", [("c_care", 0.0)],
        "Care load (children at home) keeps participants from attending.",
        "care load leaves attendance (c_care = 0)";
    door_opening: "M8", [("beta_outcome", 0.0)],
        "Bridging ties to well-networked persons of a majority origin open doors to housing and jobs for newcomers (Lancee 2010).",
        "housing and job events keep their base hazard (beta_outcome = 0)";
    language_gate: "M8", [("theta_l", 0.0)],
        "Stepping up (co-organizer, volunteer) is gated by language.",
        "language leaves the transition logit (theta_l = 0)";
    invitation: "M8", [],
        "Stepping up needs an invitation from the locals, likelier the more competent they perceive her (gatekeeping).",
        "with a pathway, everyone is invited whatever the locals perceive";
    transition_boost: "M8", [("transition_boost", 0.0)],
        "Stepping up restores agency (Alvarez & van Leeuwen 2015).",
        "a transition leaves agency as it is (transition_boost = 0)";
}

impl Mechanisms {
    /// Holds the parameters of every parametric switch that is off at its declared values.
    pub fn apply(&self, params: &mut Params) {
        for m in MECHANISMS {
            if self.get(m.name) == Some(false) {
                for &(name, value) in m.holds {
                    params.set(name, value);
                }
            }
        }
    }

    /// The names of the switches that are off, in table order.
    pub fn off(&self) -> Vec<&'static str> {
        MECHANISMS
            .iter()
            .filter(|m| self.get(m.name) == Some(false))
            .map(|m| m.name)
            .collect()
    }
}

/// Looks up a mechanism's spec by name.
pub fn spec(name: &str) -> Option<&'static MechanismSpec> {
    MECHANISMS.iter().find(|m| m.name == name)
}

/// The mechanisms whose off switch holds parameter `name` (so that the parameter does nothing
/// while any of them is off).
pub fn holding(name: &str) -> Vec<&'static str> {
    MECHANISMS
        .iter()
        .filter(|m| m.holds.iter().any(|(p, _)| *p == name))
        .map(|m| m.name)
        .collect()
}

/// Reads the scenario's `[mechanisms]` table: each key a mechanism of the table, each value
/// `true` or `false`; the others stay on.
pub(crate) fn read(t: &Tbl<'_>) -> R<Mechanisms> {
    let mut m = Mechanisms::default();
    let names: Vec<&str> = MECHANISMS.iter().map(|m| m.name).collect();
    for (name, item) in t.t.iter() {
        if spec(name).is_none() {
            return Err(t.err(
                Class::UnknownKey,
                name,
                unknown_name("mechanism", name, &names, " under 'mechanisms'"),
            ));
        }
        match item.as_bool() {
            Some(on) => {
                m.set(name, on);
            }
            None => {
                let example = format!("{name} = false to switch it off");
                return Err(t.wrong_type(name, item, "true or false, without quotes", &example));
            }
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::params::{spec as param_spec, Params};

    #[test]
    fn every_held_parameter_exists_and_its_value_is_in_range() {
        for m in MECHANISMS {
            for &(p, v) in m.holds {
                let s = param_spec(p).unwrap_or_else(|| panic!("{}: no parameter {p}", m.name));
                assert!(s.min <= v && v <= s.max, "{}: {p} = {v}", m.name);
            }
        }
    }

    #[test]
    fn switching_off_holds_the_parameters_and_on_leaves_them() {
        let mut all_off = Mechanisms::default();
        for m in MECHANISMS {
            assert_eq!(all_off.get(m.name), Some(true));
            assert!(all_off.set(m.name, false));
        }
        assert!(!all_off.set("no_such_mechanism", false));
        assert_eq!(all_off.off().len(), MECHANISMS.len());
        let mut p = Params::default();
        Mechanisms::default().apply(&mut p);
        assert_eq!(p, Params::default());
        all_off.apply(&mut p);
        for m in MECHANISMS {
            for &(name, v) in m.holds {
                assert_eq!(p.get(name), Some(v), "{}", m.name);
            }
        }
        assert_eq!(holding("alpha1"), vec!["status_usurping"]);
    }
}
