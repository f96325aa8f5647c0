//! M8 Door-opening (housing and job events through ties, Lancee 2010) and role transitions from
//! participant to co-organizer to volunteer (gatekept by invitation).

use super::events::{Event, Events};
use super::{gain_k, sigmoid};
use crate::model::group::{draw_trait, Design, Group};
use crate::model::person::event;
use crate::model::Status;
use rand::Rng;

/// Weekly hazard of a housing or job event of newcomer j: h0 + β·Σ_k tie(k, j)·network_k over
/// the active persons k ≠ j of a majority origin, whatever their role: the bridging ties that
/// reach into the majority's networks (Lancee 2010). Ties to her own origin group (bonding) do
/// not open doors by themselves.
pub fn door_opening_hazard(g: &Group, d: &Design, j: usize) -> f64 {
    let bridging: f64 = (0..g.n())
        .filter(|&k| k != j && g.persons[k].active && g.persons[k].majority)
        .map(|k| g.tie(k, j) * g.persons[k].network)
        .sum();
    (d.params.h0_outcome + d.params.beta_outcome * bridging).clamp(0.0, 1.0)
}

/// Whether door-opening applies to person j: she entered as a participant of a non-majority
/// origin (a newcomer, also after she stepped up) and is still active.
#[inline]
pub fn doors_can_open(g: &Group, j: usize) -> bool {
    let x = &g.persons[j];
    x.active && x.was_participant && !x.majority
}

/// Housing and job are one-time events per newcomer (M8). Two uniforms are drawn for every
/// active person who entered as a participant, newcomer or not, so that who is eligible never
/// shifts the life stream.
pub fn open_doors<R: Rng, E: Events>(g: &mut Group, d: &Design, rng: &mut R, ev: &mut E) {
    for j in 0..g.n() {
        if !g.persons[j].active || !g.persons[j].was_participant {
            continue;
        }
        let (uh, uj) = (rng.gen::<f64>(), rng.gen::<f64>());
        // Both doors already open: the hazard would decide nothing.
        if !doors_can_open(g, j) || (g.persons[j].housing && g.persons[j].job) {
            continue;
        }
        let h = door_opening_hazard(g, d, j);
        if !g.persons[j].housing && uh < h {
            g.persons[j].housing = true;
            g.persons[j].events |= event::HOUSING;
            if E::ENABLED {
                ev.emit(Event::Housing { person: j });
            }
        }
        if !g.persons[j].job && uj < h {
            g.persons[j].job = true;
            g.persons[j].events |= event::JOB;
            if E::ENABLED {
                ev.emit(Event::Job { person: j });
            }
        }
    }
}

/// Invitation probability: pathway × mean ĉ_vj of the active locals (gatekeeping); with the
/// `invitation` mechanism off, a pathway invites everyone (1).
pub fn invitation_probability(g: &Group, d: &Design, j: usize) -> f64 {
    if !d.activity.pathway {
        return 0.0;
    }
    if !d.mechanisms.invitation {
        return 1.0;
    }
    let n = g.n();
    let (mut sum, mut count) = (0.0, 0);
    for v in 0..n {
        if v != j && g.persons[v].is_active_local() {
            sum += g.perceived[v * n + j] as f64;
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

/// Participant → co-organizer → (after a season) volunteer, with p = σ(θ0 + θ_L·L + θ_A·A) ×
/// invitation; each transition restores agency (+boost·(1 − A)) (Alvarez & van Leeuwen 2015).
/// A new volunteer gets volunteer traits from `[transition]`, keeps her origin, and the others'
/// beliefs about her persist — so limbo can outlast the transition (Stein 2022, Azmia).
pub fn step_up<R: Rng, E: Events>(g: &mut Group, d: &Design, rng: &mut R, ev: &mut E) {
    let p = &d.params;
    for j in 0..g.n() {
        if !g.persons[j].active || !g.persons[j].status.is_participant() {
            continue;
        }
        let u = rng.gen::<f64>();
        if g.persons[j].status == Status::CoOrganizer {
            g.persons[j].weeks_as_co += 1;
            if (g.persons[j].weeks_as_co as f64) < p.season_weeks {
                continue;
            }
        }
        if g.persons[j].meetings_attended == 0 {
            continue;
        }
        let x = &g.persons[j];
        let readiness = sigmoid(p.theta0 + p.theta_l * x.language + p.theta_a * x.agency);
        // The invitation is a probability (≤ 1), so u ≥ readiness already decides u ≥ prob
        // without the invitation's pass over the locals.
        if u >= readiness || u >= readiness * invitation_probability(g, d, j) {
            continue;
        }
        let to = if g.persons[j].status == Status::Participant {
            Status::CoOrganizer
        } else {
            Status::Volunteer
        };
        if to == Status::Volunteer {
            let need = draw_trait(&d.transition.need_to_help, rng);
            let protect = draw_trait(&d.transition.protectiveness, rng);
            let withdraw = draw_trait(&d.transition.withdrawal_propensity, rng);
            let x = &mut g.persons[j];
            x.need_to_help = need;
            x.protectiveness = protect;
            x.withdrawal = withdraw;
            x.satisfaction = 0.5;
            x.burden = 0.0;
            x.identity = 0.2;
        }
        let x = &mut g.persons[j];
        x.status = to;
        x.weeks_as_co = 0;
        x.agency = gain_k(x.agency, p.transition_boost, 1);
        if to == Status::Volunteer {
            g.reset_beliefs_of(d, j);
        }
        g.persons[j].events |= event::STEPPED_UP;
        if E::ENABLED {
            ev.emit(Event::Transition { person: j, to });
        }
    }
}
