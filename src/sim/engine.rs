//! The weekly schedule of a group (MODEL.md §1.3): attend, meet (talk, help, agenda), perceive,
//! learn, connect, transition, observe. Pure and seeded: same design, seed, replicate and group
//! index give the same sequence of states.

use super::rng::Streams;
use crate::mechanisms::events::{Event, Events};
use crate::mechanisms::retention::LifeTally;
use crate::mechanisms::{
    agenda, attendance, contact, help, learning, retention, talk, transitions, Scratch,
};
use crate::metrics::observe::{observe_attendance, observe_life, observe_meeting, observe_state};
use crate::metrics::WeekTally;
use crate::model::group::{Design, Group};

/// One group of one replicate, ready to be stepped week by week.
pub struct GroupRun<'d> {
    pub design: &'d Design,
    pub group: Group,
    pub streams: Streams,
    /// Per-meeting buffers (public for benchmarks and the allocation test).
    pub scratch: Scratch,
    gini_buf: Vec<f64>,
    slot_buf: Vec<usize>,
    initial_volunteers: f64,
    week: u32,
}

impl<'d> GroupRun<'d> {
    /// Draws group `index` of its activity for replicate `replicate` of a run seeded `seed`.
    pub fn new(design: &'d Design, seed: u64, replicate: u64, index: u64) -> GroupRun<'d> {
        let mut streams = Streams::new(seed, replicate, &design.activity.key, index);
        let group = Group::new(design, &mut streams.init, &mut streams.attributes);
        let initial_volunteers =
            group.persons.iter().filter(|p| p.initial_volunteer).count() as f64;
        let n = group.n();
        GroupRun {
            design,
            group,
            streams,
            scratch: Scratch::with_capacity(n),
            gini_buf: Vec::with_capacity(n),
            slot_buf: Vec::with_capacity(n),
            initial_volunteers,
            week: 0,
        }
    }

    /// Weeks simulated so far.
    pub fn week(&self) -> u32 {
        self.week
    }

    /// Simulates one week and returns its observation sums: refill, meet, weigh motives, open
    /// doors, step up, withdraw, drop out, let ties and status offsets fade, observe
    /// (MODEL.md §1.3).
    pub fn step<E: Events>(&mut self, ev: &mut E) -> WeekTally {
        self.week += 1;
        let week = self.week;
        let d = self.design;
        let g = &mut self.group;
        let st = &mut self.streams;
        let s = &mut self.scratch;
        let mut t = WeekTally::default();
        let mut life = LifeTally::default();
        if E::ENABLED {
            ev.emit(Event::WeekStart { week });
        }
        // 1. Places left empty are refilled (from the second week on).
        if week > 1 {
            retention::recruit(g, d, &mut st.init, &mut st.life, &mut st.attributes, ev);
        }
        for x in g.persons.iter_mut() {
            x.reset_week();
        }
        let agency_start = agency_of_participants::<E>(g);
        // 2–4. Meet: attend, talk, help, agenda, perceive, judge, learn, connect.
        for meeting in 0..d.activity.meetings_per_week {
            Self::meet(d, g, st, s, week, meeting, &mut t, ev);
        }
        // 5. Connect: door-opening; 6. Transition; volunteers withdraw, participants drop out (M3).
        retention::weigh_motives(g, d);
        transitions::open_doors(g, d, &mut st.life, ev, &mut life);
        transitions::step_up(g, d, &mut st.life, ev, &mut life);
        retention::withdraw(g, d, &mut st.life, ev, &mut life);
        retention::drop_out(g, d, &mut st.life, ev, &mut life);
        emit_agency_changes(g, &agency_start, ev);
        // Ties (M8) and the status lost to usurped turns (M1) fade.
        contact::decay_ties(g, d);
        talk::recover_status(g, d);
        // 7. Observe.
        observe_state(&mut t, g, d, &mut self.gini_buf, &mut self.slot_buf);
        observe_life(&mut t, &life, self.initial_volunteers);
        t
    }

    /// Runs meeting `meeting` of the current week (attend, talk, help, agenda, perceive, judge,
    /// learn, connect) without the week's end; for benchmarks (`benches/hot_paths.rs`). The
    /// returned sums are this meeting's share of the week's.
    pub fn meeting<E: Events>(&mut self, meeting: u32, ev: &mut E) -> WeekTally {
        let mut t = WeekTally::default();
        Self::meet(
            self.design,
            &mut self.group,
            &mut self.streams,
            &mut self.scratch,
            self.week,
            meeting,
            &mut t,
            ev,
        );
        t
    }

    /// One meeting of week `week`: its sums are added to `t`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn meet<E: Events>(
        d: &Design,
        g: &mut Group,
        st: &mut Streams,
        s: &mut Scratch,
        week: u32,
        meeting: u32,
        t: &mut WeekTally,
        ev: &mut E,
    ) {
        for x in g.persons.iter_mut() {
            x.reset_meeting();
        }
        if E::ENABLED {
            ev.emit(Event::MeetingStart { week, meeting });
        }
        // 1. Attend (M8).
        let happens = attendance::attend(g, d, s, &mut st.attendance, ev);
        observe_attendance(t, s);
        if !happens {
            if E::ENABLED {
                ev.emit(Event::MeetingCancelled { week, meeting });
            }
            return;
        }
        // 2. Meet: talk (M1), help (M2), agenda (M6).
        talk::prepare_floor(g, d, s);
        talk::take_turns(g, d, s, &mut st.talk, ev);
        let asked = help::ask_for_help(g, d, s, &mut st.help, ev);
        let offered = help::offer_help(g, d, s, &mut st.help, ev);
        help::try_alone(g, d, s, &mut st.help, ev);
        let decision = agenda::decide_agenda(g, d, s, &mut st.perception, ev);
        // 3. Perceive (M4, M5) and judge (M6).
        contact::perceive(g, d, s, &mut st.perception, ev);
        agenda::judge(g, d, s);
        contact::respect_and_slights(g, d, s);
        // 4. Learn (M7); connect (M8 ties from talk); count the meeting, and with it the locals'
        // role identity and load (M3).
        learning::practise_language(g, d, s);
        contact::talk_ties(g, d, s);
        attendance::count_attendance(g, d, s);
        observe_meeting(
            t,
            g,
            &s.present,
            (asked.0 + offered.0, asked.1 + offered.1, offered.0),
            decision.map(|x| x.by_participant),
        );
    }
}

/// Agency of each active participant at the start of the week, for the transcript's
/// `AgencyChanged` events (empty, and never allocated, when events are compiled out).
fn agency_of_participants<E: Events>(g: &Group) -> Vec<Option<f64>> {
    if !E::ENABLED {
        return Vec::new();
    }
    g.persons
        .iter()
        .map(|x| (x.active && x.status.is_participant()).then_some(x.agency))
        .collect()
}

/// Emits how each participant's agency moved over the week (after the week's life events).
fn emit_agency_changes<E: Events>(g: &Group, start: &[Option<f64>], ev: &mut E) {
    if !E::ENABLED {
        return;
    }
    for (i, start) in start.iter().enumerate() {
        if let Some(before) = *start {
            ev.emit(Event::AgencyChanged {
                participant: i,
                before,
                after: g.persons[i].agency,
            });
        }
    }
}
