//! M6 Rules, player, judge (Gullestad 2002): one agenda decision per meeting, proposals weighted
//! by influence; volunteers judge participants by their own criteria.

use super::events::{Event, Events};
use super::{draw_weighted, gain_k, talk::speaking_weight, Scratch};
use crate::model::group::{Design, Group};
use crate::model::Status;
use rand::Rng;

/// The outcome of a meeting's agenda decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Slot index of the person whose proposal was adopted.
    pub adopted: usize,
    /// The adopted proposal came from a participant or co-organizer.
    pub by_participant: bool,
}

/// Proposals: every present volunteer, staff member and co-organizer proposes one item; a
/// present participant proposes with p = co_design·I·A. Adoption ∝ exp(β_e·(1 − co_design)·e) (M6).
/// With the `shared_agenda` mechanism off, co_design counts as 0 here (participants draw but
/// never propose; adoption is weighted by full status).
pub fn decide_agenda<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) -> Option<Decision> {
    let p = &d.params;
    let co_design = if d.mechanisms.shared_agenda {
        d.activity.co_design
    } else {
        0.0
    };
    s.idx.clear();
    s.buf.clear();
    for &i in &s.present {
        let x = &g.persons[i];
        let proposes = match x.status {
            Status::Participant => {
                let u = rng.gen::<f64>();
                u < co_design * x.initiative * x.agency
            }
            _ => true,
        };
        if proposes {
            s.idx.push(i);
            // Co-design flattens the status weighting of adoption: at co_design = 1 every
            // proposal weighs the same (participants share in setting the agenda).
            s.buf.push(speaking_weight(
                p.beta_e * (1.0 - co_design),
                g.expectation(p, i),
                1.0,
            ));
            if E::ENABLED {
                ev.emit(Event::Proposal { by: i });
            }
        }
    }
    for &i in &s.idx {
        g.persons[i].proposals_made += 1;
    }
    if s.idx.is_empty() {
        return None;
    }
    let adopted = s.idx[draw_weighted(&s.buf, rng)];
    let x = &mut g.persons[adopted];
    x.own_adopted += 1;
    let by_participant = x.status.is_participant();
    if by_participant {
        // An adopted proposal restores agency and is a respect event (M5).
        x.agency = gain_k(x.agency, p.kappa_p, 1);
        x.respect += 1;
    }
    if E::ENABLED {
        ev.emit(Event::Decision { adopted });
    }
    Some(Decision {
        adopted,
        by_participant,
    })
}

/// Judging: each present local moves ĉ of each participant who spoke toward (L + K)/2 at
/// judge_rate — the majority's own criteria, which favour language over other competence.
pub fn judge(g: &mut Group, d: &Design, s: &Scratch) {
    let n = g.n();
    let rate = d.params.judge_rate;
    for &v in &s.present {
        if !g.persons[v].status.is_local() {
            continue;
        }
        for &j in &s.present {
            let x = &g.persons[j];
            if j == v || !x.was_participant || x.completed == 0 {
                continue;
            }
            let criterion = (x.language + x.knowhow) / 2.0;
            let c = &mut g.perceived[v * n + j];
            *c += (rate * (criterion - *c as f64)) as f32;
        }
    }
}
