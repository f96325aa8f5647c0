//! Scheduled population events (a `[[schedule]]` entry's `arrive` and `leave`): a cohort joins
//! the group, or places of a population close. They happen at the start of the entry's week,
//! before vacancies are refilled, and draw only from the group's `schedule` stream (an arrival's
//! attributes from the `attributes` stream, as a refill's), so the other streams see the same
//! numbers as in a run without them.

use super::events::{Event, Events};
use super::retention::strand;
use crate::model::group::{Design, Group};
use rand::Rng;

/// The persons of the (closed) places `slots` arrive: each drawn from its population as the
/// design in force describes it (traits from `rng`, attributes from `attributes`), with fresh
/// beliefs and no ties.
pub fn arrive<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    slots: &[usize],
    rng: &mut R,
    attributes: &mut R,
    ev: &mut E,
) {
    for &i in slots {
        g.replace(d, i, rng, attributes);
        if E::ENABLED {
            ev.emit(Event::Joined { person: i });
        }
    }
}

/// `count` places of population `population` close: vacant places first (in slot order), then
/// persons chosen at random among those active leave (one draw per person leaving). A local who
/// leaves strands the participants for whom she held most of their bridging ties, as a
/// withdrawal does ([`strand`], counted as stranded); leaving is not counted as a withdrawal.
pub fn leave<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    population: u16,
    count: u32,
    rng: &mut R,
    ev: &mut E,
) {
    let mut left = count as usize;
    for x in g.persons.iter_mut() {
        if left > 0 && x.population == population && !x.closed && !x.active {
            x.closed = true;
            left -= 1;
        }
    }
    while left > 0 {
        let present: Vec<usize> = (0..g.n())
            .filter(|&i| g.persons[i].population == population && g.persons[i].active)
            .collect();
        if present.is_empty() {
            return;
        }
        let v = present[rng.gen_range(0..present.len())];
        let x = &mut g.persons[v];
        x.active = false;
        x.closed = true;
        left -= 1;
        if x.status.is_local() {
            strand(g, d, v);
        }
        if E::ENABLED {
            ev.emit(Event::Left { person: v });
        }
    }
}
