//! Observation: the sums one group contributes to a week's indicators. Sums (not ratios) so that
//! pooling over groups is a ratio of sums. Metrics read the model; they never change it.

use crate::mechanisms::retention::LifeTally;
use crate::mechanisms::stereotypes::in_limbo;
use crate::mechanisms::Scratch;
use crate::model::group::{Design, Group};
use crate::model::Status;

macro_rules! tally {
    ($( $(#[$doc:meta])* $field:ident ),* $(,)?) => {
        /// Sums of one group (or of many, pooled) for one week.
        #[derive(Debug, Clone, Copy, Default, PartialEq)]
        pub struct WeekTally { $( $(#[$doc])* pub $field: f64, )* }
        impl WeekTally {
            /// Adds another group's sums (pooling).
            pub fn add(&mut self, o: &WeekTally) { $( self.$field += o.$field; )* }
        }
    };
}

tally! {
    /// Meetings held.
    meetings,
    /// Speaking turns.
    turns,
    floors_p, floors_v, floors_s,
    usurped_on_p, usurped_on_v, usurped_on_s,
    usurped_by_p, usurped_by_v, usurped_by_s,
    voice_p, voice_v, voice_s,
    /// Person-meetings of participants present / of everyone present.
    presence_p, presence_all,
    help, help_dependency, help_unsolicited,
    decisions, decisions_participant,
    attended, attend_possible,
    /// Active participants (incl. co-organizers) at the end of the week.
    participants,
    agency, gini_weighted, p_indep, language, knowhow, belonging,
    gap, gap_pairs, stereotype, stereotype_pairs,
    limbo,
    /// Active persons who entered as participants (incl. those who became volunteers).
    entered_as_participants,
    us_them, us_them_pairs,
    bridging, bridging_pairs, bonding, bonding_pairs,
    housing, job, dropouts,
    volunteers_active, initial_volunteers, initial_volunteers_active,
    satisfaction, burden, locals_active,
    withdrawals, stranded, transitions, co_organizers,
}

/// Adds who came to a meeting drawn, whether or not it could be held (attendance counts every
/// meeting a participant could have come to).
#[inline]
pub fn observe_attendance(t: &mut WeekTally, s: &Scratch) {
    t.attend_possible += s.participants_active as f64;
    t.attended += s.participants_came as f64;
}

/// Adds the week's life events (withdrawals, stranding, dropouts, transitions, housing, jobs)
/// and the number of volunteers the group started with.
pub fn observe_life(t: &mut WeekTally, life: &LifeTally, initial_volunteers: f64) {
    t.initial_volunteers = initial_volunteers;
    t.withdrawals = life.withdrawals as f64;
    t.stranded = life.stranded as f64;
    t.dropouts = life.dropouts as f64;
    t.transitions = life.transitions as f64;
    t.housing = life.housing as f64;
    t.job = life.job as f64;
}

/// Adds the talk, help and agenda sums of one meeting (called by the engine after each meeting).
pub fn observe_meeting(
    t: &mut WeekTally,
    g: &Group,
    present: &[usize],
    help: (u32, u32, u32),
    decision: Option<bool>,
) {
    t.meetings += 1.0;
    for &i in present {
        let x = &g.persons[i];
        let completed = x.completed as f64;
        let by = x.usurped_by as f64;
        let (f, on) = (x.floors as f64, x.usurped_on as f64);
        match x.status.role_index() {
            0 => {
                t.floors_p += f;
                t.usurped_on_p += on;
                t.usurped_by_p += by;
                t.voice_p += completed + by;
                t.presence_p += 1.0;
            }
            1 => {
                t.floors_v += f;
                t.usurped_on_v += on;
                t.usurped_by_v += by;
                t.voice_v += completed + by;
            }
            _ => {
                t.floors_s += f;
                t.usurped_on_s += on;
                t.usurped_by_s += by;
                t.voice_s += completed + by;
            }
        }
        t.turns += f;
        t.presence_all += 1.0;
    }
    t.help += help.0 as f64;
    t.help_dependency += help.1 as f64;
    t.help_unsolicited += help.2 as f64;
    if let Some(by_participant) = decision {
        t.decisions += 1.0;
        t.decisions_participant += by_participant as u8 as f64;
    }
}

/// Adds the state sums of a group at the end of a week. `slots` is a reused buffer (slot
/// indices of the active locals, then of the active persons), so that the pair loops visit
/// only the pairs they sum, in slot order.
pub fn observe_state(
    t: &mut WeekTally,
    g: &Group,
    d: &Design,
    gini_buf: &mut Vec<f64>,
    slots: &mut Vec<usize>,
) {
    let n = g.n();
    let no = g.n_origins;
    gini_buf.clear();
    slots.clear();
    slots.extend((0..n).filter(|&v| g.persons[v].is_active_local()));
    for (j, x) in g.persons.iter().enumerate() {
        if !x.active {
            continue;
        }
        if x.status.is_participant() {
            t.participants += 1.0;
            t.agency += x.agency;
            gini_buf.push(x.agency);
            t.p_indep += x.p_indep;
            t.language += x.language;
            t.knowhow += x.knowhow;
            t.belonging += x.belonging;
            t.co_organizers += (x.status == Status::CoOrganizer) as u8 as f64;
        }
        if x.status.is_local() {
            t.locals_active += 1.0;
            t.satisfaction += x.satisfaction;
            t.burden += x.burden;
            if x.status == Status::Volunteer {
                t.volunteers_active += 1.0;
            }
        }
        if x.initial_volunteer {
            t.initial_volunteers_active += 1.0;
        }
        if !x.was_participant {
            continue;
        }
        t.entered_as_participants += 1.0;
        // Beliefs of the active locals about j (who entered as a participant).
        let participant = x.status.is_participant();
        let competence = x.competence();
        let origin = x.origin as usize;
        for &v in slots.iter() {
            if v == j {
                continue;
            }
            let cell = v * n + j;
            if participant {
                t.gap += competence - g.perceived[cell] as f64;
                t.gap_pairs += 1.0;
                t.stereotype += g.stereotype[v * no + origin] as f64;
                t.stereotype_pairs += 1.0;
                t.us_them += 1.0 - g.inclusion[cell] as f64;
                t.us_them_pairs += 1.0;
            }
        }
        // Limbo: the model's one definition (M4).
        t.limbo += in_limbo(g, d, j) as u8 as f64;
    }
    // Ties: bridging (participant–local) and bonding (participant–participant), active persons.
    slots.clear();
    slots.extend((0..n).filter(|&i| g.persons[i].active));
    for (a, &i) in slots.iter().enumerate() {
        let pi = g.persons[i].status.is_participant();
        let row = &g.ties[i * n..(i + 1) * n];
        for &j in &slots[a + 1..] {
            let tie = row[j] as f64;
            match (pi, g.persons[j].status.is_participant()) {
                (true, true) => {
                    t.bonding += tie;
                    t.bonding_pairs += 1.0;
                }
                (true, false) | (false, true) => {
                    t.bridging += tie;
                    t.bridging_pairs += 1.0;
                }
                _ => {}
            }
        }
    }
    t.gini_weighted += crate::stats::gini(gini_buf) * gini_buf.len() as f64;
}
