//! M8 Attendance: who comes to a meeting. P(attend) = p0·(1 − c·C)·(1 − w_b·(1 − belonging)) for
//! participants (care load keeps mothers at home, Stein 2022); locals attend with p_attend_local.

use super::events::{Event, Events};
use super::{retention, Scratch};
use crate::model::group::{Design, Group};
use rand::Rng;

/// Attendance probability of a participant: p0·(1 − c·C)·(1 − w_b·(1 − belonging)).
#[inline]
pub fn attendance_probability(d: &Design, care_load: f64, belonging: f64) -> f64 {
    let p = &d.params;
    (p.p0_attend * (1.0 - p.c_care * care_load) * (1.0 - p.w_belong_attend * (1.0 - belonging)))
        .clamp(0.0, 1.0)
}

/// Draws who attends; fills `s.present` with slot indices. Returns true if the meeting
/// happens: at least one volunteer or staff member and one participant present.
pub fn attend<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) -> bool {
    s.present.clear();
    let mut locals = 0;
    let mut participants = 0;
    let mut active_participants = 0;
    for (i, x) in g.persons.iter_mut().enumerate() {
        x.present = false;
        x.came = false;
        if !x.active {
            continue;
        }
        active_participants += x.status.is_participant() as usize;
        let prob = if x.status.is_participant() {
            attendance_probability(d, x.care_load, x.belonging)
        } else {
            d.params.p_attend_local
        };
        // One draw per active person, whatever the outcome (common random numbers).
        if rng.gen::<f64>() < prob {
            x.present = true;
            x.came = true;
            s.present.push(i);
            if x.status.is_participant() {
                participants += 1;
            } else {
                locals += 1;
            }
            if E::ENABLED {
                ev.emit(Event::Attended { person: i });
            }
        } else if E::ENABLED {
            ev.emit(Event::Absent { person: i });
        }
    }
    s.participants_came = participants;
    s.locals_came = locals;
    s.participants_active = active_participants;
    let happens = locals > 0 && participants > 0;
    if !happens {
        for x in g.persons.iter_mut() {
            x.present = false;
        }
        s.present.clear();
    }
    happens
}

/// A meeting held counts as attended for everyone present (meetings_attended, which motives,
/// burden and transitions read at the week's end); each local present also grows her role
/// identity and carries the meeting's load, participants present per local present (M3:
/// [`retention::grow_role_identity`], [`retention::carry_load`]). One pass over those present.
#[inline]
pub fn count_attendance(g: &mut Group, d: &Design, s: &Scratch) {
    let rate = d.params.role_identity_rate;
    let load = s.participants_came as f64 / s.locals_came.max(1) as f64;
    for &i in &s.present {
        let x = &mut g.persons[i];
        x.meetings_attended += 1;
        x.weeks_present += (x.meetings_attended == 1) as u32;
        if x.status.is_local() {
            retention::grow_role_identity(x, rate);
            retention::carry_load(x, load);
        }
    }
}
