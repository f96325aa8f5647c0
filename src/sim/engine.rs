//! The weekly schedule of a group (MODEL.md §1.3): attend, meet (talk, help, agenda), perceive,
//! learn, connect, transition, observe. Pure and seeded: same design, seed, replicate and group
//! index give the same sequence of states.

use super::rng::Streams;
use crate::mechanisms::events::{Event, Events};
use crate::mechanisms::{
    agenda, attendance, contact, help, learning, retention, talk, transitions, Scratch,
};
use crate::metrics::{Observer, WeekTally};
use crate::model::group::{Design, Group};

/// One group of one replicate, ready to be stepped week by week.
pub struct GroupRun<'d> {
    pub design: &'d Design,
    pub group: Group,
    pub streams: Streams,
    /// Per-meeting buffers (public for benchmarks and the allocation test).
    pub scratch: Scratch,
    /// What metrics observe of the group, by lens (it owns the week's sums).
    pub observer: Observer,
    week: u32,
}

impl<'d> GroupRun<'d> {
    /// Draws group `index` of its activity for replicate `replicate` of a run seeded `seed`.
    pub fn new(design: &'d Design, seed: u64, replicate: u64, index: u64) -> GroupRun<'d> {
        let mut streams = Streams::new(seed, replicate, &design.activity.key, index);
        let group = Group::new(design, &mut streams.init, &mut streams.attributes);
        let n = group.n();
        let observer = Observer::new(&group, design);
        GroupRun {
            design,
            group,
            streams,
            scratch: Scratch::with_capacity(n),
            observer,
            week: 0,
        }
    }

    /// Weeks simulated so far.
    pub fn week(&self) -> u32 {
        self.week
    }

    /// Simulates one week and returns its observation sums (held by the observer until the next
    /// week): refill, meet, weigh motives, open doors, step up, withdraw, drop out, let ties and
    /// status offsets fade, observe (MODEL.md §1.3).
    pub fn step<E: Events>(&mut self, ev: &mut E) -> &WeekTally {
        self.week += 1;
        let week = self.week;
        let d = self.design;
        let g = &mut self.group;
        let st = &mut self.streams;
        let s = &mut self.scratch;
        let o = &mut self.observer;
        o.start_week();
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
            Self::meet(d, g, st, s, week, meeting, o, ev);
        }
        // 5. Connect: door-opening; 6. Transition; volunteers withdraw, participants drop out (M3).
        retention::weigh_motives(g, d);
        transitions::open_doors(g, d, &mut st.life, ev);
        transitions::step_up(g, d, &mut st.life, ev);
        retention::withdraw(g, d, &mut st.life, ev);
        retention::drop_out(g, d, &mut st.life, ev);
        emit_agency_changes(g, &agency_start, ev);
        // Ties (M8) and the status lost to usurped turns (M1) fade.
        contact::decay_ties(g, d);
        talk::recover_status(g, d);
        // 7. Observe.
        o.end_week(g, d)
    }

    /// Runs meeting `meeting` of the current week (attend, talk, help, agenda, perceive, judge,
    /// learn, connect) without the week's end; for benchmarks (`benches/hot_paths.rs`). The
    /// returned sums are this meeting's alone.
    pub fn meeting<E: Events>(&mut self, meeting: u32, ev: &mut E) -> &WeekTally {
        self.observer.start_week();
        Self::meet(
            self.design,
            &mut self.group,
            &mut self.streams,
            &mut self.scratch,
            self.week,
            meeting,
            &mut self.observer,
            ev,
        );
        self.observer.tally()
    }

    /// One meeting of week `week`: its sums are added to the observer's.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn meet<E: Events>(
        d: &Design,
        g: &mut Group,
        st: &mut Streams,
        s: &mut Scratch,
        week: u32,
        meeting: u32,
        o: &mut Observer,
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
        o.attendance(g);
        if !happens {
            if E::ENABLED {
                ev.emit(Event::MeetingCancelled { week, meeting });
            }
            return;
        }
        // 2. Meet: talk (M1), help (M2), agenda (M6).
        talk::prepare_floor(g, d, s);
        talk::take_turns(g, d, s, &mut st.talk, ev);
        help::ask_for_help(g, d, s, &mut st.help, ev);
        help::offer_help(g, d, s, &mut st.help, ev);
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
        o.meeting(g, &s.present, decision.map(|x| x.adopted));
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
