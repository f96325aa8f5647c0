//! A group: one meeting circle of an activity design, with its persons, the locals' beliefs
//! about each person (perceived competence, inclusion, subtyping, the evidence she has seen),
//! the ties between persons and each local's stereotypes by origin. All matrices are flat
//! `n × n` (row = holder, column = target) or `n × n_origins`.

pub use super::design::Design;
use super::params::Params;
use super::person::{initial_state, Person, Status, MAX_ATTRIBUTES, NO_VALUE};
use crate::scenario::Dist;
use rand::{Rng, SeedableRng};

/// Flag bits of `Group::flags`.
pub const MET: u8 = 1;
pub const SUBTYPED: u8 = 2;

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
    /// Evidence v has seen of j (M4): observations (completed turns, hesitations put down to
    /// missing competence, independent attempts seen), as a weight.
    pub evidence_n: Vec<f32>,
    /// Σ weight × observed value of that evidence (its mean is j's observed performance x̄_vj).
    pub evidence_x: Vec<f32>,
    /// Meetings in which j's observed performance was strongly atypical for v, above her
    /// stereotype (subtyping, M4).
    pub atypical: Vec<u8>,
    /// Meetings in which v, having subtyped j, saw her and still kept her out of "us" (limbo, M4).
    pub excluded: Vec<u16>,
    /// Bookkeeping of members who left (their slot refilled): Σ weight, per v and origin.
    pub archive_n: Vec<f32>,
    /// … and Σ weight × value.
    pub archive_x: Vec<f32>,
    /// Symmetric tie strength.
    pub ties: Vec<f32>,
    /// μ[v·n_origins + g]: v's stereotype (perceived competence) of origin g.
    pub stereotype: Vec<f32>,
}

impl Group {
    /// Draws a new group from its design: traits on the init stream, attributes on their own.
    pub fn new<R: Rng>(d: &Design, rng: &mut R, attributes: &mut R) -> Group {
        let n = d.slots.len();
        let n_origins = d.origins.len().max(1);
        let mut g = Group {
            persons: Vec::with_capacity(n),
            n_origins,
            perceived: vec![0.0; n * n],
            inclusion: vec![0.0; n * n],
            flags: vec![0; n * n],
            evidence_n: vec![0.0; n * n],
            evidence_x: vec![0.0; n * n],
            atypical: vec![0; n * n],
            excluded: vec![0; n * n],
            archive_n: vec![0.0; n * n_origins],
            archive_x: vec![0.0; n * n_origins],
            ties: vec![0.0; n * n],
            stereotype: vec![0.0; n * n_origins],
        };
        for &pop in &d.slots[..d.initial_slots] {
            let mut p = draw_person(d, pop, rng, attributes);
            p.founding = p.status.is_local();
            g.persons.push(p);
        }
        // The places of scheduled arrivals hold closed placeholders until their week, drawn from
        // fixed streams of their own, so the group's streams see the same draws as without them.
        // A placeholder is nobody: not founding, never entered as a participant.
        let mut placeholder = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(0);
        let mut placeholder_attributes = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        for &pop in &d.slots[d.initial_slots..] {
            let mut p = draw_person(d, pop, &mut placeholder, &mut placeholder_attributes);
            p.active = false;
            p.closed = true;
            p.founding = false;
            p.was_participant = false;
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

    /// Puts a newly drawn person into slot `i` (vacancy filled, waiting list, scheduled arrival).
    /// What the locals learnt of the one who left is forgotten here: keep it first (the
    /// bookkeeping does, `mechanisms::stereotypes::remember_leaver`).
    pub fn replace<R: Rng>(&mut self, d: &Design, i: usize, rng: &mut R, attributes: &mut R) {
        let pop = self.persons[i].population;
        self.persons[i] = draw_person(d, pop, rng, attributes);
        self.reset_beliefs_of(d, i);
        self.reset_beliefs_about(d, i);
        let n = self.n();
        for k in 0..n {
            self.ties[i * n + k] = 0.0;
            self.ties[k * n + i] = 0.0;
        }
    }

    /// Gives person i fresh beliefs (stereotype priors, no evidence kept; ĉ of everyone =
    /// prior of their origin).
    pub fn reset_beliefs_of(&mut self, d: &Design, i: usize) {
        let n = self.n();
        let no = self.n_origins;
        for g in 0..no {
            self.stereotype[i * no + g] = d.priors.get(g).copied().unwrap_or(0.5) as f32;
            self.archive_n[i * no + g] = 0.0;
            self.archive_x[i * no + g] = 0.0;
        }
        for j in 0..n {
            let o = self.persons[j].origin as usize;
            self.forget_pair(i * n + j, self.stereotype[i * no + o], d.params.w_us0);
        }
    }

    /// Resets what everyone believes about person i (a newcomer in slot i).
    pub fn reset_beliefs_about(&mut self, d: &Design, i: usize) {
        let n = self.n();
        let no = self.n_origins;
        let o = self.persons[i].origin as usize;
        for v in 0..n {
            self.forget_pair(v * n + i, self.stereotype[v * no + o], d.params.w_us0);
        }
    }

    /// A pair's beliefs as before any meeting: ĉ = `perceived`, inclusion `w_us0`, no flags,
    /// no evidence.
    fn forget_pair(&mut self, cell: usize, perceived: f32, w_us0: f64) {
        self.perceived[cell] = perceived;
        self.inclusion[cell] = w_us0 as f32;
        self.flags[cell] = 0;
        self.evidence_n[cell] = 0.0;
        self.evidence_x[cell] = 0.0;
        self.atypical[cell] = 0;
        self.excluded[cell] = 0;
    }

    /// Expectation value e_i of person i (M1, [`super::StatusCues::expectation`]).
    #[inline]
    pub fn expectation(&self, p: &Params, i: usize) -> f64 {
        self.persons[i].cues().expectation(p)
    }

    #[inline]
    pub fn tie(&self, a: usize, b: usize) -> f64 {
        self.ties[a * self.n() + b] as f64
    }

    /// Strengthens the symmetric tie a–b: tie += rate·(1 − tie), for a rate in [0, 1] (the
    /// result is held at 1 against rounding).
    #[inline]
    pub fn strengthen(&mut self, a: usize, b: usize, rate: f64) {
        let n = self.n();
        let t = self.ties[a * n + b] as f64;
        let t = (t + rate * (1.0 - t)).min(1.0) as f32;
        self.ties[a * n + b] = t;
        self.ties[b * n + a] = t;
    }
}

/// Her value of each attribute her population declares, drawn in attribute order from `rng`
/// (a fixed label draws nothing, so a scenario without choices draws no number).
pub fn draw_attributes<R: Rng>(d: &Design, pop: u16, rng: &mut R) -> [u8; MAX_ATTRIBUTES] {
    let mut out = [NO_VALUE; MAX_ATTRIBUTES];
    for (k, label) in &d.population_attributes[pop as usize] {
        let value = label.sample(rng);
        out[*k] = d.attributes[*k]
            .values
            .iter()
            .position(|v| v == value)
            .map_or(NO_VALUE, |i| i as u8);
    }
    out
}

/// Draws a person of population `pop` with the design's origin table: traits from `rng`,
/// attributes from `attributes`.
pub fn draw_person<R: Rng>(d: &Design, pop: u16, rng: &mut R, attributes: &mut R) -> Person {
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
    let (knowhow, agency, p_indep) = initial_state(participant, resources, initiative);
    Person {
        status,
        population: pop,
        origin,
        attributes: draw_attributes(d, pop, attributes),
        majority: d
            .origin_majority
            .get(origin as usize)
            .copied()
            .unwrap_or(false),
        older,
        active: true,
        closed: false,
        was_participant: participant,
        founding: false,
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
        language_at_entry: language,
        weeks_present: 0,
        events: 0,
        present: false,
        came: false,
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
        help_received: 0,
        dependency_help_received: 0,
        unsolicited_help_received: 0,
        meetings_attended: 0,
        help_units: 0.0,
        dependency_given: 0,
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
