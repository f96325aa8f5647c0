//! The one parameter table: every model constant with its default, its allowed range,
//! the mechanism it belongs to and a one-line meaning. Validation of `[parameters]` ([`read`]),
//! `dugnad params`, `dugnad check`, `--all-params` sensitivity ranges and `docs/model.md` all
//! read it; the model reads the resolved [`Params`] (also as `crate::model::params`).

use super::document::{as_f64, describe, num, range_text, Class, Tbl, R};
use super::named::named_values;
use super::suggest::unknown_name;
use serde::Serialize;

/// One row of the parameter table.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParamSpec {
    /// The key under `[parameters]` (and the dotted path `parameters.<name>`).
    pub name: &'static str,
    /// Submodel it belongs to (M1..M8).
    pub mechanism: &'static str,
    pub default: f64,
    /// Inclusive lower bound a scenario may set.
    pub min: f64,
    /// Inclusive upper bound a scenario may set.
    pub max: f64,
    /// Range used by `sensitivity --all-params` (a plausible band inside min..max).
    pub plausible: (f64, f64),
    pub meaning: &'static str,
    /// Where the parameter does nothing (designs, populations or states in which its mechanism
    /// never acts), or "" when it acts in every design. A mechanism switched off also silences
    /// the parameters it holds ([`super::mechanisms::holding`]).
    pub inactive: &'static str,
}

macro_rules! params {
    ($( $name:ident : $mech:literal, $default:expr, [$min:expr, $max:expr], [$plo:expr, $phi:expr], $meaning:literal $(, inactive $inactive:literal)?; )*) => {
        named_values! {
            /// Every model constant, resolved from defaults and the scenario's `[parameters]`.
            #[derive(Debug, Clone, PartialEq, Serialize)]
            pub struct Params: f64 { $( $name = $default, $meaning; )* }
            "parameter"
        }

        /// The parameter table, in documentation order.
        pub const PARAMS: &[ParamSpec] = &[ $( ParamSpec {
            name: stringify!($name), mechanism: $mech, default: $default, min: $min, max: $max,
            plausible: ($plo, $phi), meaning: $meaning, inactive: concat!("" $(, $inactive)?),
        }, )* ];
    };
}

params! {
    // M1 talk, interruption and speaking for
    beta_e: "M1", 2.0, [0.0, 10.0], [1.0, 3.0], "Status sensitivity of speaker choice: P(speak) ∝ exp(beta_e·e)·talkativeness (Skvoretz & Fararo 1996).";
    w_majority: "M1", 0.4, [0.0, 2.0], [0.2, 0.6], "Weight of majority membership (diffuse status) in the expectation value e.";
    w_language: "M1", 0.3, [0.0, 2.0], [0.15, 0.45], "Weight of local-language proficiency L in e (task-relevant status).";
    w_knowhow: "M1", 0.2, [0.0, 2.0], [0.1, 0.3], "Weight of local know-how K in e.";
    w_agency: "M1", 0.1, [0.0, 2.0], [0.05, 0.15], "Weight of agency A in e.";
    w_host: "M1", 0.3, [0.0, 2.0], [0.15, 0.45], "Weight of host position (staff 1, volunteer/co-organizer 0.5) in e.";
    delta_usurp: "M1", 0.02, [0.0, 0.5], [0.01, 0.03], "Persistent status offset lost per unit of status gap by a person whose turn is usurped by someone of higher status: δ·clamp(e_v − e_j, 0, 1) (Cannon et al. 2019).", inactive "with full facilitation (nobody is spoken for)";
    offset_recovery: "M1", 0.1, [0.0, 1.0], [0.05, 0.2], "Weekly share of the status offset that recovers toward 0 (MODEL.md Appendix C: 10 % a week).";
    h_base: "M1", 0.05, [0.0, 1.0], [0.02, 0.1], "Base hesitation probability of whoever holds the floor.";
    h0_hesitate: "M1", 0.4, [0.0, 1.0], [0.3, 0.6], "Extra hesitation probability per unit of missing language: p = h_base + h0·(1−L).";
    h_agency: "M1", 0.1, [0.0, 1.0], [0.0, 0.2], "Extra hesitation probability per unit of missing agency (confidence): + h_agency·(1 − A); locals' agency is their entry value 0.5.";
    alpha0: "M1", -1.5, [-10.0, 10.0], [-2.0, -1.0], "Usurp logit intercept.", inactive "with full facilitation (facilitation = 1)";
    alpha1: "M1", 0.3, [0.0, 10.0], [0.15, 0.45], "Usurp logit weight of the status gap e_v − e_j (calibrated to the odds ratio 1.3–1.8 of Anderson & Leaper 1998).", inactive "with full facilitation (facilitation = 1)";
    s_frame: "M1", 1.0, [0.0, 10.0], [0.5, 2.0], "Amplification of the status gap by service framing (expert-lay): alpha1·(1 + s_frame·service_frame).", inactive "without a service frame (service_frame = 0) or with full facilitation";
    alpha2: "M1", 1.0, [0.0, 10.0], [0.5, 2.0], "Usurp logit weight of the usurper's need to help × protectiveness (speaking for).", inactive "with full facilitation, or without protective volunteers (need to help × protectiveness = 0)";
    alpha3: "M1", 0.2, [0.0, 10.0], [0.1, 0.5], "Usurp logit weight of the speaker's missing language (1 − L).", inactive "with full facilitation, or when every speaker is fluent (L = 1)";
    kappa_u: "M1", 0.02, [0.0, 0.5], [0.01, 0.04], "Agency loss per usurped turn (soft bound: × A).", inactive "with full facilitation (nobody is spoken for)";
    kappa_t: "M1", 0.004, [0.0, 0.5], [0.002, 0.008], "Agency gain per completed turn (soft bound: × (1 − A)).";
    lambda_obs: "M4", 0.02, [0.0, 1.0], [0.01, 0.05], "Rate at which one observed completed turn moves perceived competence toward observed performance.";
    obs_noise: "M4", 0.1, [0.0, 1.0], [0.05, 0.2], "SD of observed performance around true competence: x = c + N(0, obs_noise).";
    // M2 help
    r0_request: "M2", 0.8, [0.0, 1.0], [0.5, 1.0], "Help-request probability scale per meeting: p = r0·I·(1 − K).";
    u0_offer: "M2", 1.0, [0.0, 1.0], [0.6, 1.0], "Unsolicited-offer probability scale per volunteer and meeting: p = u0·N·service_frame·(1 − ĉ).", inactive "without a service frame (service_frame = 0)";
    gamma0: "M2", -1.5, [-10.0, 10.0], [-2.0, -1.0], "Dependency-help logit intercept (Nadler 2002).";
    gamma1: "M2", 2.0, [0.0, 10.0], [1.0, 3.0], "Dependency-help logit weight of the helper's need to help.";
    gamma2: "M2", 0.5, [0.0, 10.0], [0.25, 1.0], "Dependency-help logit weight of the status gap e_v − e_j.";
    gamma3: "M2", 1.0, [0.0, 10.0], [0.5, 2.0], "Dependency-help logit weight of threat = max(0, ĉ − μ_G) (defensive helping, Nadler et al. 2009).";
    gamma4: "M2", 1.0, [0.0, 10.0], [0.5, 2.0], "Dependency-help logit weight of the neediness stereotype 1 − μ_G(origin) (Nadler & Chernyak-Hai 2014).";
    gamma5: "M2", 1.5, [0.0, 10.0], [0.75, 2.5], "Dependency-help logit weight (subtracted) of common identity.";
    gamma_u: "M2", 0.5, [0.0, 10.0], [0.25, 1.0], "Dependency-help logit bonus for unsolicited help.";
    targeting_salience: "M2", 1.5, [1.0, 5.0], [1.0, 2.0], "Multiplier of gamma4 for participants of an origin the activity targets.", inactive "without activity.targets";
    eta_k: "M2", 0.03, [0.0, 1.0], [0.015, 0.06], "Know-how gain of autonomy help: K += eta_k·(1 − K).";
    rho_dep: "M2", 0.1, [0.0, 1.0], [0.0, 0.2], "Share of eta_k that dependency help still teaches.", inactive "where no dependency help is given";
    kappa_a: "M2", 0.02, [0.0, 0.5], [0.01, 0.04], "Agency gain per autonomy-help episode (× (1 − A)).";
    kappa_d: "M2", 0.03, [0.0, 0.5], [0.01, 0.05], "Agency loss per dependency-help episode (× A) (Alvarez & van Leeuwen 2015).", inactive "where no dependency help is given";
    lambda_indep: "M2", 0.1, [0.0, 1.0], [0.05, 0.2], "Learning rate of p_indep toward 1 (acknowledged attempt) or 0 (ignored or pre-empted) (Baltes).";
    ack_base: "M2", 0.2, [0.0, 1.0], [0.1, 0.3], "Acknowledgement probability of an independent attempt at full service frame.";
    ack_frame: "M2", 0.6, [0.0, 1.0], [0.4, 0.8], "Extra acknowledgement probability at zero service frame: p = ack_base + ack_frame·(1 − service_frame).", inactive "at full service frame (service_frame = 1)";
    // M3 satisfaction and withdrawal
    sat_rate: "M3", 0.1, [0.0, 1.0], [0.05, 0.2], "Rate of the moving averages of satisfaction and burden.";
    help_motive: "M3", 0.6, [0.0, 1.0], [0.4, 0.8], "Weight of the helping motive in satisfaction, matched by help given (the same for every volunteer: the need to help acts through the help it makes her give).";
    dep_weight: "M3", 1.5, [0.0, 5.0], [1.0, 2.0], "Help units of a dependency-help episode (an autonomy episode is 1): doing for meets the helping motive more than enabling (Malkki 2015).";
    help_norm: "M3", 1.5, [0.1, 50.0], [0.75, 3.0], "Help units per week that meet the helping motive to 1 − 1/e: match = 1 − exp(−units/help_norm).";
    soc_older: "M3", 0.7, [0.0, 1.0], [0.5, 0.9], "Sociability motive of older volunteers.", inactive "without older locals";
    soc_younger: "M3", 0.3, [0.0, 1.0], [0.1, 0.5], "Sociability motive of younger volunteers.", inactive "without younger locals";
    purpose_motive: "M3", 0.5, [0.0, 1.0], [0.3, 0.7], "Purpose motive, matched by adopted proposals.";
    manageable_load: "M3", 5.0, [1.0, 100.0], [4.0, 6.0], "Participants present per local present that one can manage: load = participants ÷ (locals · manageable_load) (Stein 2022: 'I couldn't manage 20 participants').";
    dep_load: "M3", 0.1, [0.0, 2.0], [0.05, 0.2], "Load of one dependency-help episode given, in units of a manageable meeting (doing for takes time).", inactive "where no dependency help is given";
    younger_burden: "M3", 2.0, [1.0, 10.0], [1.5, 3.0], "How much more steeply younger volunteers' hazard rises with burden above 1 (Herslund & Paulgaard 2021).", inactive "without younger volunteers, and at a manageable load (burden ≤ 1)";
    role_identity_rate: "M3", 0.01, [0.0, 1.0], [0.005, 0.02], "Role identity growth per meeting attended: R += rate·(1 − R).";
    h0_withdraw: "M3", 0.036, [0.0, 1.0], [0.015, 0.05], "Weekly withdrawal hazard scale: h = h0·W·exp(beta_b·stage·max(0, B − 1) − beta_m·S − beta_r·R).";
    beta_b: "M3", 1.0, [0.0, 4.0], [0.5, 2.0], "Hazard weight of burden above a manageable load (B > 1).", inactive "at a manageable load (burden ≤ 1: participants per local within manageable_load)";
    beta_m: "M3", 1.0, [0.0, 10.0], [0.5, 2.0], "Hazard weight of satisfaction (motive match).";
    beta_r: "M3", 1.0, [0.0, 10.0], [0.5, 2.0], "Hazard weight of role identity.";
    staff_hazard: "M3", 0.2, [0.0, 1.0], [0.1, 0.4], "Staff withdrawal hazard multiplier (job turnover, not free withdrawal).", inactive "without staff";
    strand_factor: "M3", 0.5, [0.0, 1.0], [0.3, 0.7], "Belonging multiplier of a participant stranded by a withdrawing volunteer.", inactive "while no volunteer with bridging ties withdraws";
    d0_dropout: "M3", 0.01, [0.0, 1.0], [0.005, 0.02], "Participant weekly dropout hazard scale: d0·(1 − belonging).";
    // M4 exemplars, subtyping, limbo
    prior_strength: "M4", 6.0, [0.5, 100.0], [3.0, 12.0], "Weight of the prior stereotype in the bookkeeping, in members' worth of evidence: μ_G = (n0·μ⁰ + Σ ω_j·x̄_j)/(n0 + Σ ω_j).";
    evidence_half: "M4", 10.0, [1.0, 1000.0], [5.0, 20.0], "Observations of a member after which her evidence counts half: reliability r = n/(n + evidence_half).";
    sigma_typ: "M4", 0.15, [0.01, 1.0], [0.1, 0.25], "Width of typicality: t = exp(−(x̄ − μ_G)²/(2σ²)) of a member's observed performance x̄.";
    tau_subtype: "M4", 0.3, [0.0, 1.0], [0.2, 0.4], "Typicality below which an above-stereotype member's meeting counts as strongly atypical (Weber & Crocker 1983).", inactive "while no participant performs far above the stereotype of her origin";
    subtype_meetings: "M4", 6.0, [1.0, 52.0], [4.0, 8.0], "Strongly atypical meetings after which a member is subtyped, as an exception, for good.", inactive "while no participant performs far above the stereotype of her origin";
    w_sub: "M4", 0.1, [0.0, 1.0], [0.05, 0.2], "Share of an exception's evidence that still counts in the bookkeeping.", inactive "while nobody is subtyped";
    lambda_away: "M4", 0.5, [0.0, 1.0], [0.25, 0.75], "Contrast: weight of an exception's reflection 2μ⁰ − x̄ ('the others are not like her') in the bookkeeping (Bless et al. 2001).", inactive "while nobody is subtyped";
    w_us0: "M4", 0.1, [0.0, 1.0], [0.05, 0.2], "Initial inclusion weight ('one of us').";
    w_us_rate: "M4", 0.05, [0.0, 1.0], [0.02, 0.1], "Inclusion growth per meeting with positive contact, toward the status cap.";
    cap_base: "M4", 0.3, [0.0, 1.0], [0.2, 0.4], "Inclusion cap without equal-status conditions: cap = cap_base + (1 − cap_base)·equal_status.", inactive "at full equal-status conditions (equal_status = 1), and for majority-origin participants";
    theta_us: "M4", 0.5, [0.0, 1.0], [0.4, 0.6], "Inclusion below which a subtyped participant is excluded from 'us'.", inactive "while nobody is subtyped";
    limbo_meetings: "M4", 8.0, [1.0, 104.0], [4.0, 16.0], "Meetings a local must have seen an exception while excluding her from 'us' before she holds her in limbo.", inactive "while nobody is subtyped";
    // M5 contact
    a_neg_ratio: "M5", 2.5, [1.0, 10.0], [2.0, 3.0], "Observations a failed independent attempt seen counts as (an acknowledged success counts 1): negative contact weighs more (Barlow et al. 2012).";
    theta_gap: "M5", 0.8, [0.0, 1.0], [0.6, 0.9], "How much unequal status discounts contact evidence: weight 1 − theta_gap·(1 − equal_status) (Allport 1954; Pettigrew & Tropp 2006).", inactive "at full equal-status conditions (equal_status = 1)";
    b_pos: "M5", 0.01, [0.0, 1.0], [0.005, 0.02], "Belonging gain per respect event (a meeting with at least one completed turn, an adopted proposal, an autonomy-help episode), × (1 − belonging).";
    b_neg: "M5", 0.01, [0.0, 1.0], [0.005, 0.02], "Belonging loss per usurped turn or dependency help, × belonging.";
    // M6 agenda, judging
    kappa_p: "M6", 0.05, [0.0, 1.0], [0.02, 0.1], "Agency gain of a participant whose proposal is adopted.", inactive "when no participant proposes (co_design = 0 and no co-organizers)";
    judge_rate: "M6", 0.05, [0.0, 1.0], [0.02, 0.1], "Rate at which volunteers judge participants who spoke by their own criteria, (L + K)/2.";
    // M7 language and know-how
    eta_l: "M7", 0.00125, [0.0, 0.1], [0.0008, 0.002], "Language gain per hour of practice: L += eta_l·(1 − L)·practice hours (≈ 200 h per CEFR step).";
    w_speak: "M7", 1.0, [0.0, 1.0], [0.7, 1.0], "Practice weight of an hour spent speaking (own completed turns).";
    w_hear: "M7", 0.3, [0.0, 1.0], [0.1, 0.5], "Practice weight of an hour spent listening.";
    // M8 attendance, door-opening, transitions, ties
    p0_attend: "M8", 0.85, [0.0, 1.0], [0.75, 0.95], "Base attendance probability of a participant.";
    c_care: "M8", 0.5, [0.0, 1.0], [0.3, 0.6], "Attendance lost per unit of care load: p = p0·(1 − c·C)·(1 − w_belong_attend·(1 − belonging)).";
    w_belong_attend: "M8", 0.3, [0.0, 1.0], [0.15, 0.5], "Attendance lost at zero belonging (participants who feel they do not belong stay away).";
    p_attend_local: "M8", 0.9, [0.0, 1.0], [0.8, 1.0], "Attendance probability of volunteers and staff.";
    h0_outcome: "M8", 0.001, [0.0, 1.0], [0.0005, 0.002], "Weekly base hazard of a housing or a job event.";
    beta_outcome: "M8", 0.01, [0.0, 1.0], [0.005, 0.02], "Door-opening: extra hazard per unit of Σ tie(k, j)·network_k over majority-origin persons k (Lancee 2010).";
    theta0: "M8", -8.0, [-20.0, 20.0], [-9.0, -7.0], "Transition logit intercept (co-organizer, then volunteer).", inactive "without activity.pathway";
    theta_l: "M8", 4.0, [0.0, 20.0], [3.0, 5.0], "Transition logit weight of language.", inactive "without activity.pathway";
    theta_a: "M8", 4.0, [0.0, 20.0], [3.0, 5.0], "Transition logit weight of agency.", inactive "without activity.pathway";
    season_weeks: "M8", 12.0, [1.0, 520.0], [8.0, 16.0], "Weeks as co-organizer before she may become a volunteer.", inactive "without activity.pathway";
    transition_boost: "M8", 0.1, [0.0, 1.0], [0.05, 0.2], "Agency restored by a transition: A += boost·(1 − A).", inactive "without activity.pathway";
    tie_talk: "M8", 0.02, [0.0, 1.0], [0.01, 0.04], "Tie growth per meeting with a completed turn, × (1 − tie); × (1 + mixed), at most 1, for participant–host ties.";
    tie_help: "M8", 0.05, [0.0, 1.0], [0.025, 0.1], "Tie growth of a help episode, × (1 − tie).";
    tie_decay: "M8", 0.01, [0.0, 1.0], [0.005, 0.02], "Weekly tie decay.";
}

/// Looks up a parameter's spec by name.
pub fn spec(name: &str) -> Option<&'static ParamSpec> {
    PARAMS.iter().find(|p| p.name == name)
}

/// Reads the scenario's `[parameters]` table: each key a parameter of the table, each value
/// within its range; the others keep their defaults.
pub(crate) fn read(t: &Tbl<'_>) -> R<Params> {
    let mut params = Params::default();
    let names: Vec<&str> = PARAMS.iter().map(|p| p.name).collect();
    for (name, value) in t.t.iter() {
        let Some(spec) = spec(name) else {
            return Err(t.err(
                Class::UnknownKey,
                name,
                unknown_name("parameter", name, &names, ""),
            ));
        };
        let (class, got) = match as_f64(value) {
            None => (Class::WrongType, describe(value)),
            Some(x) if !x.is_finite() || x < spec.min || x > spec.max => {
                (Class::OutOfRange, num(x))
            }
            Some(x) => {
                params.set(name, x);
                continue;
            }
        };
        return Err(t.err(
            class,
            name,
            format!(
                "must be {} (got {got}); write e.g. {name} = {} (default; {})",
                range_text(spec.min, spec.max),
                num(spec.default),
                spec.meaning
            ),
        ));
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_lie_in_their_ranges() {
        for p in PARAMS {
            assert!(p.min <= p.default && p.default <= p.max, "{}", p.name);
            assert!(
                p.min <= p.plausible.0 && p.plausible.1 <= p.max,
                "{}",
                p.name
            );
            assert!(p.plausible.0 <= p.plausible.1, "{}", p.name);
        }
    }

    #[test]
    fn inactivity_notes_are_sentences_without_a_final_period() {
        for p in PARAMS {
            assert!(!p.inactive.ends_with('.'), "{}", p.name);
            assert_eq!(p.inactive.trim(), p.inactive, "{}", p.name);
        }
        assert_eq!(
            spec("theta_l").unwrap().inactive,
            "without activity.pathway"
        );
        assert_eq!(spec("beta_e").unwrap().inactive, "");
    }

    #[test]
    fn get_and_set_reach_every_parameter() {
        let mut params = Params::default();
        for (i, p) in PARAMS.iter().enumerate() {
            assert_eq!(params.get(p.name), Some(p.default));
            assert!(params.set(p.name, i as f64));
            assert_eq!(params.get(p.name), Some(i as f64));
        }
        assert!(!params.set("no_such_parameter", 1.0));
    }
}
