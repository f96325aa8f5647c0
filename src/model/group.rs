//! A group: one meeting circle of an activity design, with its persons, the locals' beliefs
//! about each person (perceived competence, inclusion, subtyping), the ties between persons and
//! each local's stereotypes by origin. All matrices are flat `n × n` (row = holder, column = target).

use super::params::Params;
use super::person::{Person, Status};
use crate::scenario::{Activity, Dist, LanguagePolicy, Population, Scenario, TransitionTraits};
use rand::Rng;

/// Flag bits of `Group::flags`.
pub const MET: u8 = 1;
pub const SUBTYPED: u8 = 2;

/// An activity design compiled for fast access by the engine: the activity, the parameters, the
/// origin table and the slot plan of one group. Built once per run, shared by all replicates.
#[derive(Debug, Clone)]
pub struct Design {
    pub activity: Activity,
    /// Index of the activity within the scenario (for seeding).
    pub activity_index: usize,
    pub params: Params,
    pub weeks: u32,
    pub origins: Vec<String>,
    pub origin_majority: Vec<bool>,
    pub origin_targeted: Vec<bool>,
    pub priors: Vec<f64>,
    pub populations: Vec<Population>,
    /// Population index of each slot of a group, in order.
    pub slots: Vec<u16>,
    pub transition: TransitionTraits,
    /// mean(co_design, mixed, 1 − service_frame): the design part of common identity (M2).
    pub common_design: f64,
    /// Inclusion cap without majority status (M4): cap_base + (1 − cap_base)·equal_status.
    pub inclusion_cap: f64,
    /// Hesitation slope after the language policy.
    pub h0: f64,
    /// Speaking-practice weight after the language policy.
    pub w_speak: f64,
    /// α1·(1 + s_frame·service_frame).
    pub usurp_gap: f64,
    /// 1 − facilitation.
    pub usurp_keep: f64,
    /// Acknowledgement probability of an independent attempt.
    pub ack_p: f64,
}

impl Design {
    /// Compiles every activity of a scenario.
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
            .map(|(ai, a)| Design::compile(s, ai, a, &origins))
            .collect()
    }

    fn compile(s: &Scenario, activity_index: usize, a: &Activity, origins: &[String]) -> Design {
        let p = &s.params;
        let populations: Vec<Population> = s.populations.clone();
        let mut slots = Vec::new();
        for key in &a.populations {
            if let Some(pi) = populations.iter().position(|p| &p.key == key) {
                for _ in 0..populations[pi].count {
                    slots.push(pi as u16);
                }
            }
        }
        let multilingual = a.language_policy == LanguagePolicy::Multilingual;
        let mixed = if a.mixed { 1.0 } else { 0.0 };
        Design {
            activity: a.clone(),
            activity_index,
            params: p.clone(),
            weeks: s.weeks,
            origins: origins.to_vec(),
            origin_majority: origins
                .iter()
                .map(|o| s.majority_origins.contains(o))
                .collect(),
            origin_targeted: origins.iter().map(|o| a.targets.contains(o)).collect(),
            priors: origins.iter().map(|o| s.stereotypes.prior(o)).collect(),
            populations,
            slots,
            transition: s.transition.clone(),
            common_design: (a.co_design + mixed + (1.0 - a.service_frame)) / 3.0,
            inclusion_cap: p.cap_base + (1.0 - p.cap_base) * a.equal_status(),
            h0: if multilingual {
                p.h0_hesitate * 0.5
            } else {
                p.h0_hesitate
            },
            w_speak: if multilingual {
                p.w_speak * 0.5
            } else {
                p.w_speak
            },
            usurp_gap: p.alpha1 * (1.0 + p.s_frame * a.service_frame),
            usurp_keep: 1.0 - a.facilitation,
            ack_p: (p.ack_base + p.ack_frame * (1.0 - a.service_frame)).clamp(0.0, 1.0),
        }
    }

    fn origin_index(&self, label: &str) -> u16 {
        self.origins.iter().position(|o| o == label).unwrap_or(0) as u16
    }
}

/// One group's whole state.
#[derive(Debug, Clone)]
pub struct Group {
    pub persons: Vec<Person>,
    pub n_origins: usize,
    /// ĉ[v·n + j]: v's perceived competence of j.
    pub perceived: Vec<f32>,
    /// w_us[v·n + j]: how much v counts j as "one of us".
    pub inclusion: Vec<f32>,
    /// MET / SUBTYPED bits of v about j.
    pub flags: Vec<u8>,
    /// Symmetric tie strength.
    pub ties: Vec<f32>,
    /// μ[v·n_origins + g]: v's stereotype (perceived competence) of origin g.
    pub stereotype: Vec<f32>,
}

impl Group {
    /// Draws a new group from its design (init stream).
    pub fn new<R: Rng>(d: &Design, rng: &mut R) -> Group {
        let n = d.slots.len();
        let n_origins = d.origins.len().max(1);
        let mut g = Group {
            persons: Vec::with_capacity(n),
            n_origins,
            perceived: vec![0.0; n * n],
            inclusion: vec![0.0; n * n],
            flags: vec![0; n * n],
            ties: vec![0.0; n * n],
            stereotype: vec![0.0; n * n_origins],
        };
        for &pop in &d.slots {
            let mut p = draw_person(d, pop, rng);
            p.initial_volunteer = p.status == Status::Volunteer;
            g.persons.push(p);
        }
        for i in 0..n {
            g.reset_beliefs_of(d, i);
        }
        for i in 0..n {
            g.reset_beliefs_about(d, i);
        }
        g
    }

    #[inline]
    pub fn n(&self) -> usize {
        self.persons.len()
    }

    /// Puts a newly drawn person into slot `i` (vacancy filled, waiting list).
    pub fn replace<R: Rng>(&mut self, d: &Design, i: usize, rng: &mut R) {
        let pop = self.persons[i].population;
        self.persons[i] = draw_person(d, pop, rng);
        self.reset_beliefs_of(d, i);
        self.reset_beliefs_about(d, i);
        let n = self.n();
        for k in 0..n {
            self.ties[i * n + k] = 0.0;
            self.ties[k * n + i] = 0.0;
        }
    }

    /// Gives person i fresh beliefs (stereotype priors; ĉ of everyone = prior of their origin).
    pub fn reset_beliefs_of(&mut self, d: &Design, i: usize) {
        let n = self.n();
        let no = self.n_origins;
        for g in 0..no {
            self.stereotype[i * no + g] = d.priors.get(g).copied().unwrap_or(0.5) as f32;
        }
        for j in 0..n {
            let o = self.persons[j].origin as usize;
            self.perceived[i * n + j] = self.stereotype[i * no + o];
            self.inclusion[i * n + j] = d.params.w_us0 as f32;
            self.flags[i * n + j] = 0;
        }
    }

    /// Resets what everyone believes about person i (a newcomer in slot i).
    pub fn reset_beliefs_about(&mut self, d: &Design, i: usize) {
        let n = self.n();
        let no = self.n_origins;
        let o = self.persons[i].origin as usize;
        for v in 0..n {
            self.perceived[v * n + i] = self.stereotype[v * no + o];
            self.inclusion[v * n + i] = d.params.w_us0 as f32;
            self.flags[v * n + i] = 0;
        }
    }

    /// Expectation value e_i (M1, Appendix C linear form).
    #[inline]
    pub fn expectation(&self, p: &Params, i: usize) -> f64 {
        let x = &self.persons[i];
        p.w_majority * (x.majority as u8 as f64)
            + p.w_language * x.language
            + p.w_knowhow * x.knowhow
            + p.w_agency * x.agency
            + p.w_host * x.status.host()
            + x.offset
    }

    #[inline]
    pub fn tie(&self, a: usize, b: usize) -> f64 {
        self.ties[a * self.n() + b] as f64
    }

    /// Strengthens the symmetric tie a–b: tie += rate·(1 − tie).
    #[inline]
    pub fn strengthen(&mut self, a: usize, b: usize, rate: f64) {
        let n = self.n();
        let t = self.ties[a * n + b] as f64;
        let t = (t + rate * (1.0 - t)) as f32;
        self.ties[a * n + b] = t;
        self.ties[b * n + a] = t;
    }
}

/// Draws a person of population `pop` with the design's origin table.
pub fn draw_person<R: Rng>(d: &Design, pop: u16, rng: &mut R) -> Person {
    let spec = &d.populations[pop as usize];
    let t = &spec.traits;
    let origin = d.origin_index(spec.origin.sample(rng));
    let older = spec.life_stage.sample(rng) != "younger";
    let status = Status::from_role(spec.role);
    let need_to_help = t.need_to_help.sample(rng);
    let protectiveness = t.protectiveness.sample(rng);
    let withdrawal = t.withdrawal_propensity.sample(rng);
    let talkativeness = t.talkativeness.sample(rng);
    let network = t.network.sample(rng);
    let initiative = t.initiative.sample(rng);
    let care_load = t.care_load.sample(rng);
    let resources = t.resources.sample(rng);
    let language = t.language.sample(rng);
    let participant = status == Status::Participant;
    // Appendix C initial values.
    let (knowhow, agency, p_indep) = if participant {
        (
            0.2 + 0.3 * resources,
            0.3 + 0.4 * initiative,
            0.5 + 0.3 * initiative,
        )
    } else {
        (0.9, 0.5, 1.0)
    };
    Person {
        status,
        population: pop,
        origin,
        majority: d
            .origin_majority
            .get(origin as usize)
            .copied()
            .unwrap_or(false),
        older,
        active: true,
        was_participant: participant,
        initial_volunteer: false,
        need_to_help,
        protectiveness,
        withdrawal,
        talkativeness,
        network,
        initiative,
        care_load,
        resources,
        language,
        knowhow,
        agency,
        p_indep,
        belonging: 0.3,
        offset: 0.0,
        satisfaction: 0.5,
        burden: 0.0,
        identity: 0.2,
        housing: false,
        job: false,
        weeks_as_co: 0,
        present: false,
        floors: 0,
        completed: 0,
        usurped_on: 0,
        usurped_by: 0,
        hesitations: 0,
        dependency_received: false,
        acknowledged: 0,
        failed_attempts: 0,
        respect: 0,
        slights: 0,
        meetings_attended: 0,
        help_units: 0.0,
        heard_completed: 0,
        heard_total: 0,
        own_adopted: 0,
        proposals_made: 0,
        load_sum: 0.0,
    }
}

/// Draws a trait for a transitioned volunteer.
pub fn draw_trait<R: Rng>(dist: &Dist, rng: &mut R) -> f64 {
    dist.sample(rng)
}
