//! A person in a group: volunteer, staff, or participant (who may become co-organizer, then volunteer).

use super::params::Params;
use crate::scenario::Role;
use serde::Serialize;

/// Where a person stands in the activity (MODEL.md §1.2, M8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Participant,
    /// A participant who co-organizes: host 0.5, proposes like a volunteer.
    CoOrganizer,
    Volunteer,
    Staff,
}

impl Status {
    /// Index used by role-split indicators: 0 participant (incl. co-organizer), 1 volunteer, 2 staff.
    pub fn role_index(self) -> usize {
        match self {
            Status::Participant | Status::CoOrganizer => 0,
            Status::Volunteer => 1,
            Status::Staff => 2,
        }
    }

    /// Volunteers and staff: the locals who hold beliefs, help, judge and may withdraw.
    pub fn is_local(self) -> bool {
        matches!(self, Status::Volunteer | Status::Staff)
    }

    /// Participants and co-organizers: those whose agency the indicators follow.
    pub fn is_participant(self) -> bool {
        matches!(self, Status::Participant | Status::CoOrganizer)
    }

    /// Host position in the expectation value: staff 1, volunteer and co-organizer 0.5, participant 0.
    pub const fn host(self) -> f64 {
        match self {
            Status::Staff => 1.0,
            Status::Volunteer | Status::CoOrganizer => 0.5,
            Status::Participant => 0.0,
        }
    }

    pub fn from_role(role: Role) -> Status {
        match role {
            Role::Volunteer => Status::Volunteer,
            Role::Staff => Status::Staff,
            Role::Participant => Status::Participant,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Participant => "participant",
            Status::CoOrganizer => "co-organizer",
            Status::Volunteer => "volunteer",
            Status::Staff => "staff",
        }
    }
}

/// What others read a person's expected competence from (M1, expectation states): diffuse
/// status (a majority origin), language, know-how, agency, host position, and the persistent
/// offset that usurped turns leave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusCues {
    pub majority: bool,
    pub language: f64,
    pub knowhow: f64,
    pub agency: f64,
    /// [`Status::host`].
    pub host: f64,
    pub offset: f64,
}

impl StatusCues {
    /// Expectation value e = w_maj·majority + w_L·L + w_K·K + w_A·A + w_host·host + offset (M1,
    /// Appendix C linear form).
    #[inline(always)]
    pub fn expectation(&self, p: &Params) -> f64 {
        p.w_majority * (self.majority as u8 as f64)
            + p.w_language * self.language
            + p.w_knowhow * self.knowhow
            + p.w_agency * self.agency
            + p.w_host * self.host
            + self.offset
    }
}

/// Know-how, agency and p_indep at entry (Appendix C): a participant starts at 0.2 + 0.3·Q,
/// 0.3 + 0.4·I and 0.5 + 0.3·I (Q resources, I initiative); a local at 0.9, 0.5 and 1.
pub const fn initial_state(participant: bool, resources: f64, initiative: f64) -> (f64, f64, f64) {
    if participant {
        (
            0.2 + 0.3 * resources,
            0.3 + 0.4 * initiative,
            0.5 + 0.3 * initiative,
        )
    } else {
        (0.9, 0.5, 1.0)
    }
}

/// Most attributes a person holds (the scenario's limit, [`crate::scenario::fields::MAX_ATTRIBUTES`]).
pub const MAX_ATTRIBUTES: usize = crate::scenario::fields::MAX_ATTRIBUTES;

/// A person's value of an attribute her population does not declare.
pub const NO_VALUE: u8 = u8::MAX;

/// What happened to a person this week ([`Person::events`], cleared at the start of each week),
/// as bits: the life events the indicators count by lens.
pub mod event {
    /// She dropped out (participants).
    pub const DROPPED_OUT: u8 = 1;
    /// She withdrew (volunteers and staff).
    pub const WITHDREW: u8 = 2;
    /// A withdrawing volunteer held most of her ties to volunteers and staff.
    pub const STRANDED: u8 = 4;
    /// She stepped up: participant → co-organizer or co-organizer → volunteer.
    pub const STEPPED_UP: u8 = 8;
    /// She found housing.
    pub const HOUSING: u8 = 16;
    /// She found a job.
    pub const JOB: u8 = 32;
}

/// One person: traits drawn at entry, state that the mechanisms change, and counters of the
/// current meeting and week (reset by the engine).
#[derive(Debug, Clone)]
pub struct Person {
    pub status: Status,
    /// Index of the scenario population this slot belongs to (refills draw from it).
    pub population: u16,
    /// Index into the group's origin table.
    pub origin: u16,
    /// Her value of each of the design's attributes (index into its values), [`NO_VALUE`]
    /// where her population does not declare it.
    pub attributes: [u8; MAX_ATTRIBUTES],
    pub majority: bool,
    pub older: bool,
    pub active: bool,
    /// The place does not exist (yet, or any more): a scheduled arrival's place before its week,
    /// or one a scheduled leave closed. Never active, never refilled.
    pub closed: bool,
    /// Entered the activity as a participant (stays true after a transition).
    pub was_participant: bool,
    /// A volunteer or staff member present at week 0 (the founding cohort of the retention curve).
    pub founding: bool,
    // traits
    pub need_to_help: f64,
    pub protectiveness: f64,
    pub withdrawal: f64,
    pub talkativeness: f64,
    pub network: f64,
    pub initiative: f64,
    pub care_load: f64,
    pub resources: f64,
    // state
    pub language: f64,
    pub knowhow: f64,
    pub agency: f64,
    pub p_indep: f64,
    pub belonging: f64,
    /// Persistent status offset (M1): lowered by usurped turns, recovers weekly.
    pub offset: f64,
    pub satisfaction: f64,
    pub burden: f64,
    pub identity: f64,
    pub housing: bool,
    pub job: bool,
    pub weeks_as_co: u32,
    /// Local-language proficiency when she entered (for the within-person gain).
    pub language_at_entry: f64,
    /// Weeks in which she attended at least one meeting, since she entered.
    pub weeks_present: u32,
    /// This week's life events ([`event`] bits).
    pub events: u8,
    // per-meeting counters
    pub present: bool,
    /// She came to the meeting drawn (held or not: a meeting nobody else came to still counts
    /// as attended).
    pub came: bool,
    pub floors: u32,
    pub completed: u32,
    pub usurped_on: u32,
    pub usurped_by: u32,
    pub hesitations: u32,
    pub dependency_received: bool,
    pub acknowledged: u32,
    pub failed_attempts: u32,
    pub respect: u32,
    pub slights: u32,
    /// Help episodes she received this meeting, of them dependency-oriented, and unsolicited.
    pub help_received: u32,
    pub dependency_help_received: u32,
    pub unsolicited_help_received: u32,
    // per-week counters
    pub meetings_attended: u32,
    pub help_units: f64,
    /// Dependency-help episodes she gave (burden: doing for takes time).
    pub dependency_given: u32,
    pub heard_completed: u32,
    pub heard_total: u32,
    pub own_adopted: u32,
    pub proposals_made: u32,
    pub load_sum: f64,
}

impl Person {
    /// True competence c = (L + K + Q)/3 (Appendix C).
    #[inline]
    pub fn competence(&self) -> f64 {
        (self.language + self.knowhow + self.resources) / 3.0
    }

    /// The cues her expectation value is read from.
    #[inline(always)]
    pub fn cues(&self) -> StatusCues {
        StatusCues {
            majority: self.majority,
            language: self.language,
            knowhow: self.knowhow,
            agency: self.agency,
            host: self.status.host(),
            offset: self.offset,
        }
    }

    /// Whether one of the [`event`] bits happened to her this week.
    #[inline]
    pub fn had(&self, event: u8) -> bool {
        self.events & event != 0
    }

    /// A volunteer or staff member still taking part (who holds beliefs, helps, may withdraw).
    #[inline]
    pub fn is_active_local(&self) -> bool {
        self.active && self.status.is_local()
    }

    /// Talk weight before status: participants talk from initiative, locals from talkativeness (Appendix A).
    #[inline]
    pub fn talk_weight(&self) -> f64 {
        if self.status.is_participant() {
            self.initiative.max(0.05)
        } else {
            self.talkativeness.max(0.05)
        }
    }

    pub fn reset_meeting(&mut self) {
        self.floors = 0;
        self.completed = 0;
        self.usurped_on = 0;
        self.usurped_by = 0;
        self.hesitations = 0;
        self.dependency_received = false;
        self.acknowledged = 0;
        self.failed_attempts = 0;
        self.respect = 0;
        self.slights = 0;
        self.help_received = 0;
        self.dependency_help_received = 0;
        self.unsolicited_help_received = 0;
    }

    pub fn reset_week(&mut self) {
        self.events = 0;
        self.meetings_attended = 0;
        self.help_units = 0.0;
        self.dependency_given = 0;
        self.heard_completed = 0;
        self.heard_total = 0;
        self.own_adopted = 0;
        self.proposals_made = 0;
        self.load_sum = 0.0;
    }
}
