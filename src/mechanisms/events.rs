//! The event vocabulary: what the mechanisms and the engine's weekly schedule report as
//! happening in a group (a turn taken, a sentence finished by another, help given, a view
//! changed, a volunteer withdrawing). `dugnad trace` renders the stream as a transcript; ordinary
//! runs use [`NoEvents`], whose `ENABLED = false` lets the compiler drop every emit from the hot
//! loop. It lives with the mechanisms, which emit it, so that no mechanism imports the engine.

use crate::model::Status;
use serde::Serialize;

/// What happened to an independent attempt (M2, Baltes' dependency-support script).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttemptOutcome {
    Acknowledged,
    Ignored,
    Failed,
    PreEmpted,
}

/// One thing that happened in a group. Person fields are slot indices in the group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    WeekStart {
        week: u32,
    },
    MeetingStart {
        week: u32,
        meeting: u32,
    },
    Attended {
        person: usize,
    },
    Absent {
        person: usize,
    },
    MeetingCancelled {
        week: u32,
        meeting: u32,
    },
    /// The floor goes to `speaker`, who completes the turn.
    Turn {
        turn: u32,
        speaker: usize,
    },
    /// The speaker hesitated, nobody took over; she completed the turn after a pause.
    Hesitated {
        turn: u32,
        speaker: usize,
        would_be: Option<usize>,
    },
    /// `by` finished `speaker`'s sentence ("speaking for").
    Usurped {
        turn: u32,
        speaker: usize,
        by: usize,
    },
    HelpRequested {
        participant: usize,
        helper: usize,
    },
    HelpOffered {
        volunteer: usize,
        participant: usize,
    },
    Help {
        helper: usize,
        participant: usize,
        unsolicited: bool,
        dependency: bool,
    },
    IndependentAttempt {
        participant: usize,
        outcome: AttemptOutcome,
    },
    Proposal {
        by: usize,
    },
    Decision {
        adopted: usize,
    },
    Perceived {
        volunteer: usize,
        participant: usize,
        before: f64,
        after: f64,
        subtyped: bool,
        inclusion: f64,
    },
    StereotypeChanged {
        volunteer: usize,
        origin: String,
        before: f64,
        after: f64,
    },
    AgencyChanged {
        participant: usize,
        before: f64,
        after: f64,
    },
    Withdrew {
        person: usize,
        stranded: u32,
    },
    DroppedOut {
        person: usize,
    },
    Joined {
        person: usize,
    },
    /// A scheduled leave: the person's place closes.
    Left {
        person: usize,
    },
    Transition {
        person: usize,
        to: Status,
    },
    Housing {
        person: usize,
    },
    Job {
        person: usize,
    },
}

/// A receiver of engine events.
pub trait Events {
    /// False for the no-op sink: emits are compiled out.
    const ENABLED: bool;
    fn emit(&mut self, event: Event);
}

/// The sink of ordinary runs: drops everything at compile time.
pub struct NoEvents;

impl Events for NoEvents {
    const ENABLED: bool = false;
    #[inline(always)]
    fn emit(&mut self, _event: Event) {}
}

/// Collects events in order (for traces and tests).
#[derive(Default)]
pub struct EventLog(pub Vec<Event>);

impl Events for EventLog {
    const ENABLED: bool = true;
    fn emit(&mut self, event: Event) {
        self.0.push(event);
    }
}
