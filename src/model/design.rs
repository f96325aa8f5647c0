//! A design: one activity of a scenario compiled for the engine — the activity, the parameters,
//! the origin table, the slot plan of one group, and the design quantities the mechanisms read.
//! Each design quantity has one formula, here, computed once per run; calibration calls the
//! same functions, so its figures cannot drift from the model. A scenario with a schedule
//! compiles one design per week in which something changes ([`Switch`]): the design quantities
//! are recomputed once per change, never per week.

use super::params::Params;
use super::person::Person;
use crate::scenario::{
    Activity, Change, Label, LanguagePolicy, Mechanisms, Population, Scenario, TransitionTraits,
};

/// An activity design compiled for fast access by the engine: the activity, the parameters, the
/// origin table and the slot plan of one group. Built once per run, shared by all replicates.
#[derive(Debug, Clone)]
pub struct Design {
    pub activity: Activity,
    /// Index of the activity within the scenario (for seeding).
    pub activity_index: usize,
    /// The scenario's parameters, with those of every parametric mechanism switched off held at
    /// their off values ([`Mechanisms::apply`]).
    pub params: Params,
    /// Which mechanisms are on.
    pub mechanisms: Mechanisms,
    pub weeks: u32,
    pub origins: Vec<String>,
    pub origin_majority: Vec<bool>,
    pub origin_targeted: Vec<bool>,
    pub priors: Vec<f64>,
    /// The scenario's attributes (sorted by name), each with its values (sorted): a person's
    /// `attributes[k]` indexes `attributes[k].values`.
    pub attributes: Vec<Attribute>,
    /// Per population, the attributes it declares: (index into `attributes`, label drawn from).
    pub population_attributes: Vec<Vec<(usize, Label)>>,
    /// `[output] by`: the attributes (or `origin`) whose values get lenses of the newcomers.
    pub by: Vec<String>,
    pub populations: Vec<Population>,
    /// Population index of each slot of a group, in order: the places filled at the start,
    /// then the places of scheduled arrivals.
    pub slots: Vec<u16>,
    /// Slots `0..initial_slots` are filled at the start; the rest are the places of scheduled
    /// arrivals, closed until their week.
    pub initial_slots: usize,
    /// Whether vacancies are refilled (volunteer recruitment, the waiting list); a schedule
    /// may stop it.
    pub recruiting: bool,
    /// The scheduled changes of this activity's groups, by week (empty in a switch's design).
    pub switches: Vec<Switch>,
    pub transition: TransitionTraits,
    /// [`equal_status`] of the activity: Allport's equal-status conditions, which are also the
    /// design part of common identity (M2) and set the inclusion cap (M4).
    pub equal_status: f64,
    /// [`inclusion_cap`]: the inclusion cap without majority status (M4).
    pub inclusion_cap: f64,
    /// Hesitation slope after the language policy ([`hesitation_slope`]).
    pub h0: f64,
    /// Speaking-practice weight after the language policy ([`speaking_practice`]).
    pub w_speak: f64,
    /// [`usurp_gap`]: weight of the status gap in the usurp probability.
    pub usurp_gap: f64,
    /// [`usurp_keep`]: what facilitation leaves of the usurp probability.
    pub usurp_keep: f64,
    /// [`contact_weight`]: how much contact evidence counts under the design's status conditions.
    pub contact_weight: f64,
    /// [`acknowledgement_probability`] of an independent attempt.
    pub ack_p: f64,
}

/// What happens to a group at the start of week `week` by the schedule: from then on it runs on
/// `design` (the scenario in force from that week, compiled); the persons of the slots
/// `arrive` join; `leave` places of each (population, count) close.
#[derive(Debug, Clone)]
pub struct Switch {
    pub week: u32,
    pub design: Design,
    pub arrive: Vec<usize>,
    pub leave: Vec<(u16, u32)>,
}

/// A categorical attribute of persons (`[population.<key>] attributes.<name>`): its name and
/// every value it may take in the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub values: Vec<String>,
}

/// Equal-status conditions: mean(1 − service_frame, co_design, mixed) (Allport 1954).
#[inline]
pub fn equal_status(a: &Activity) -> f64 {
    ((1.0 - a.service_frame) + a.co_design + if a.mixed { 1.0 } else { 0.0 }) / 3.0
}

/// Inclusion cap without majority status: cap_base + (1 − cap_base)·equal_status (M4); 1 when
/// the `status_cap` mechanism is off.
#[inline]
pub fn inclusion_cap(p: &Params, m: &Mechanisms, equal_status: f64) -> f64 {
    if m.status_cap {
        p.cap_base + (1.0 - p.cap_base) * equal_status
    } else {
        1.0
    }
}

/// What facilitation leaves of the usurp probability: 1 − facilitation (M1), 1 when the
/// `turn_taking_norm` mechanism is off.
#[inline]
pub fn usurp_keep(m: &Mechanisms, facilitation: f64) -> f64 {
    if m.turn_taking_norm {
        1.0 - facilitation
    } else {
        1.0
    }
}

/// Weight of contact evidence about a group: 1 − theta_gap·(1 − equal_status), so evidence gathered
/// under Allport's conditions counts more (M5; Pettigrew & Tropp 2006).
#[inline]
pub fn contact_weight(p: &Params, equal_status: f64) -> f64 {
    1.0 - p.theta_gap * (1.0 - equal_status)
}

/// The need to help every volunteer acts with when the `need_drives_help` mechanism is off.
pub const NEUTRAL_NEED: f64 = 0.5;

/// Weight of the status gap in the usurp probability: α1·(1 + s_frame·service_frame) (M1).
#[inline]
pub fn usurp_gap(p: &Params, service_frame: f64) -> f64 {
    p.alpha1 * (1.0 + p.s_frame * service_frame)
}

/// Hesitation slope h0: halved where other languages are welcome (M7).
#[inline]
pub fn hesitation_slope(p: &Params, policy: LanguagePolicy) -> f64 {
    match policy {
        LanguagePolicy::Multilingual => p.h0_hesitate * 0.5,
        LanguagePolicy::LocalOnly => p.h0_hesitate,
    }
}

/// Speaking-practice weight w_speak: halved where other languages are welcome (M7).
#[inline]
pub fn speaking_practice(p: &Params, policy: LanguagePolicy) -> f64 {
    match policy {
        LanguagePolicy::Multilingual => p.w_speak * 0.5,
        LanguagePolicy::LocalOnly => p.w_speak,
    }
}

/// Acknowledgement probability of a successful independent attempt: ack_base +
/// ack_frame·(1 − service_frame), clamped to [0, 1] (M2, Baltes).
#[inline]
pub fn acknowledgement_probability(p: &Params, service_frame: f64) -> f64 {
    (p.ack_base + p.ack_frame * (1.0 - service_frame)).clamp(0.0, 1.0)
}

impl Design {
    /// Compiles every activity of a scenario, with its schedule.
    pub fn compile_all(s: &Scenario) -> Vec<Design> {
        let mut origins: Vec<String> = s
            .populations
            .iter()
            .flat_map(|p| p.origin.options().into_iter().map(str::to_string))
            .collect();
        origins.sort();
        origins.dedup();
        s.activities
            .iter()
            .enumerate()
            .map(|(ai, a)| {
                let mut slots = slot_plan(s, a);
                let initial_slots = slots.len();
                let planned = plan_switches(s, ai, &mut slots);
                let mut d = Design::compile(s, ai, a, &origins, slots.clone(), initial_slots);
                let mut recruiting = true;
                d.switches = planned
                    .into_iter()
                    .map(|p| {
                        recruiting = p.recruiting.unwrap_or(recruiting);
                        let in_force = &p.scenario.activities[ai];
                        let mut design = Design::compile(
                            p.scenario,
                            ai,
                            in_force,
                            &origins,
                            slots.clone(),
                            initial_slots,
                        );
                        design.recruiting = recruiting;
                        Switch {
                            week: p.week,
                            design,
                            arrive: p.arrive,
                            leave: p.leave,
                        }
                    })
                    .collect();
                d
            })
            .collect()
    }

    fn compile(
        s: &Scenario,
        activity_index: usize,
        a: &Activity,
        origins: &[String],
        slots: Vec<u16>,
        initial_slots: usize,
    ) -> Design {
        let mut params = s.params.clone();
        let m = s.mechanisms;
        m.apply(&mut params);
        let p = &params;
        let populations: Vec<Population> = s.populations.clone();
        let equal_status = equal_status(a);
        let attributes: Vec<Attribute> = s
            .attributes()
            .into_iter()
            .map(|(name, values)| Attribute { name, values })
            .collect();
        let population_attributes = populations
            .iter()
            .map(|p| {
                p.attributes
                    .iter()
                    .filter_map(|(name, label)| {
                        let k = attributes.iter().position(|a| &a.name == name)?;
                        Some((k, label.clone()))
                    })
                    .collect()
            })
            .collect();
        Design {
            activity: a.clone(),
            activity_index,
            params: p.clone(),
            mechanisms: m,
            weeks: s.weeks,
            origins: origins.to_vec(),
            origin_majority: origins
                .iter()
                .map(|o| s.majority_origins.contains(o))
                .collect(),
            origin_targeted: origins.iter().map(|o| a.targets.contains(o)).collect(),
            priors: origins.iter().map(|o| s.stereotypes.prior(o)).collect(),
            attributes,
            population_attributes,
            by: s.output.by.clone(),
            populations,
            slots,
            initial_slots,
            recruiting: true,
            switches: Vec::new(),
            transition: s.transition.clone(),
            equal_status,
            inclusion_cap: inclusion_cap(p, &m, equal_status),
            h0: hesitation_slope(p, a.language_policy),
            w_speak: speaking_practice(p, a.language_policy),
            usurp_gap: usurp_gap(p, a.service_frame),
            usurp_keep: usurp_keep(&m, a.facilitation),
            contact_weight: contact_weight(p, equal_status),
            ack_p: acknowledgement_probability(p, a.service_frame),
        }
    }

    /// The design in force in week `week` (1-based): the last switch up to it, else this one.
    pub fn at_week(&self, week: u32) -> &Design {
        self.switches
            .iter()
            .rev()
            .find(|sw| sw.week <= week)
            .map_or(self, |sw| &sw.design)
    }

    /// The need to help a local acts with in offers, help type and speaking for (M1, M2): her
    /// own, or [`NEUTRAL_NEED`] for everyone when `need_drives_help` is off.
    #[inline]
    pub fn need_to_help(&self, x: &Person) -> f64 {
        if self.mechanisms.need_drives_help {
            x.need_to_help
        } else {
            NEUTRAL_NEED
        }
    }

    /// Index of an origin label in the design's origin table (0 for an unknown label).
    pub fn origin_index(&self, label: &str) -> u16 {
        self.origins.iter().position(|o| o == label).unwrap_or(0) as u16
    }
}

/// The population index of each place of a group of activity `a` at the start, in order.
fn slot_plan(s: &Scenario, a: &Activity) -> Vec<u16> {
    let mut slots = Vec::new();
    for key in &a.populations {
        if let Some(pi) = s.populations.iter().position(|p| &p.key == key) {
            for _ in 0..s.populations[pi].count {
                slots.push(pi as u16);
            }
        }
    }
    slots
}

/// A switch before its design is compiled: the week, the scenario in force from it, the slots
/// whose persons arrive, the places that close, and whether recruiting stops or resumes.
struct Planned<'s> {
    week: u32,
    scenario: &'s Scenario,
    arrive: Vec<usize>,
    leave: Vec<(u16, u32)>,
    recruiting: Option<bool>,
}

/// The switches of activity `ai`: one per week in which the schedule changes anything, in week
/// order, each arrival given new places appended to `slots`.
fn plan_switches<'s>(s: &'s Scenario, ai: usize, slots: &mut Vec<u16>) -> Vec<Planned<'s>> {
    let a = &s.activities[ai];
    let mut order: Vec<&Change> = s.schedule.iter().collect();
    order.sort_by_key(|c| c.week);
    let pop_index = |key: &str| s.populations.iter().position(|p| p.key == key);
    let concerns = |c: &&crate::scenario::Cohort| {
        a.populations.contains(&c.population) && c.activity.as_deref().is_none_or(|k| k == a.key)
    };
    let mut out: Vec<Planned<'s>> = Vec::new();
    for c in order {
        if out.last().is_none_or(|p| p.week != c.week) {
            out.push(Planned {
                week: c.week,
                scenario: &c.scenario,
                arrive: Vec::new(),
                leave: Vec::new(),
                recruiting: None,
            });
        }
        let p = out.last_mut().expect("pushed");
        for cohort in c.arrive.iter().filter(concerns) {
            if let Some(pi) = pop_index(&cohort.population) {
                for _ in 0..cohort.count {
                    p.arrive.push(slots.len());
                    slots.push(pi as u16);
                }
            }
        }
        for cohort in c.leave.iter().filter(concerns) {
            if let Some(pi) = pop_index(&cohort.population) {
                p.leave.push((pi as u16, cohort.count));
            }
        }
        p.recruiting = c.recruiting.or(p.recruiting);
    }
    out
}
