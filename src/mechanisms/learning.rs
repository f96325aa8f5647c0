//! M7 Language and know-how: practice in the meeting moves language toward fluency.

use super::Scratch;
use crate::model::group::{Design, Group};

/// Practice hours of one meeting: hours·(w_speak·s + w_hear·(1 − s)), s = min(1, own completed
/// turns ÷ fair share of turns) — speaking teaches more than listening (M7).
#[inline]
pub fn practice_hours(d: &Design, completed: u32, present: usize) -> f64 {
    let fair = d.activity.turns_per_meeting as f64 / present.max(1) as f64;
    let s = (completed as f64 / fair).min(1.0);
    d.activity.hours_per_meeting * (d.w_speak * s + d.params.w_hear * (1.0 - s))
}

/// L += η_L·(1 − L)·practice hours; η_L ≈ 0.00125 makes ~200 h of speaking one CEFR step (1/6)
/// around A2 (docs/calibration.md).
pub fn practise_language(g: &mut Group, d: &Design, s: &Scratch) {
    let m = s.present.len();
    for &j in &s.present {
        let x = &mut g.persons[j];
        if !x.status.is_participant() {
            continue;
        }
        let h = practice_hours(d, x.completed, m);
        x.language += (d.params.eta_l * h).min(1.0) * (1.0 - x.language);
    }
}
