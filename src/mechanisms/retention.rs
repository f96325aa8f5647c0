//! M3 Volunteer satisfaction, burden and withdrawal; participants' dropout; refilling places.
//! (Clary et al. 1998; Chacón, Vecina & Dávila 2007; Herslund & Paulgaard 2021.)

use super::events::{Event, Events};
use super::exp::exp;
use crate::model::group::{Design, Group};
use crate::model::person::event;
use crate::model::{Person, Status};
use rand::Rng;

/// Motive match of a volunteer this week: the weighted mean of how well help given, the talk
/// heard and her own proposals met her motives (Clary et al. 1998),
/// (help_motive·(1 − exp(−help units/help_norm)) + soc·completed share heard + purpose·own
/// proposals adopted share) / (help_motive + soc + purpose). Dependency help counts dep_weight
/// units; sociability is soc_older or soc_younger. The need to help is not a weight here: it
/// acts through the help it makes her give (offers, dependency help), so satisfaction rises with
/// it only through help actually given (Malkki 2015).
pub fn motive_match(d: &Design, x: &Person) -> f64 {
    let p = &d.params;
    let helping = p.help_motive;
    let soc = if x.older { p.soc_older } else { p.soc_younger };
    let purpose = p.purpose_motive;
    let help_met = 1.0 - exp(-x.help_units / p.help_norm);
    let soc_met = if x.heard_total > 0 {
        x.heard_completed as f64 / x.heard_total as f64
    } else {
        0.0
    };
    let purpose_met = if x.proposals_made > 0 {
        x.own_adopted as f64 / x.proposals_made as f64
    } else {
        0.0
    };
    let total = helping + soc + purpose;
    if total > 0.0 {
        (helping * help_met + soc * soc_met + purpose * purpose_met) / total
    } else {
        0.0
    }
}

/// Burden felt above a manageable load: max(0, B − 1), × younger_burden for younger volunteers
/// (Herslund & Paulgaard 2021: "a feeling of too much responsibility").
#[inline]
pub fn excess_burden(d: &Design, x: &Person) -> f64 {
    let stage = if x.older {
        1.0
    } else {
        d.params.younger_burden
    };
    stage * (x.burden - 1.0).max(0.0)
}

/// Weekly hazard h = h0·W·exp(β_b·excess burden − β_m·S − β_r·R), × staff_hazard for staff
/// (Appendix A and D: the hazard rises with burden above a manageable load).
#[inline]
pub fn withdrawal_hazard(d: &Design, x: &Person) -> f64 {
    let p = &d.params;
    let staff = if x.status == Status::Staff {
        p.staff_hazard
    } else {
        1.0
    };
    (p.h0_withdraw
        * x.withdrawal
        * exp(p.beta_b * excess_burden(d, x) - p.beta_m * x.satisfaction - p.beta_r * x.identity)
        * staff)
        .clamp(0.0, 1.0)
}

/// A local's load of one week, relative to a manageable one: the mean over the meetings she
/// attended of participants present ÷ (locals present · manageable_load), plus dep_load per
/// dependency-help episode she gave (Appendix D; Stein 2022: "I couldn't manage 20
/// participants over time").
#[inline]
pub fn weekly_load(d: &Design, x: &Person) -> f64 {
    let meetings = x.meetings_attended.max(1) as f64;
    (x.load_sum / d.params.manageable_load + d.params.dep_load * x.dependency_given as f64)
        / meetings
}

/// Role identity grows with every meeting a local attends: R += role_identity_rate·(1 − R)
/// (M3; Chacón, Vecina & Dávila 2007: role identity sustains volunteering).
#[inline]
pub fn grow_role_identity(x: &mut Person, rate: f64) {
    x.identity += rate * (1.0 - x.identity);
}

/// The load a local carries at a meeting: load_sum += participants present ÷ max(1, locals
/// present), passed as `load` (M3 burden; Stein 2022: "I couldn't manage 20 participants over
/// time").
#[inline]
pub fn carry_load(x: &mut Person, load: f64) {
    x.load_sum += load;
}

/// Updates satisfaction (moving average of the motive match) and burden B (moving average of
/// the [`weekly_load`]) at sat_rate, for locals who met this week.
pub fn weigh_motives(g: &mut Group, d: &Design) {
    let p = &d.params;
    for x in g.persons.iter_mut() {
        if !x.active || !x.status.is_local() || x.meetings_attended == 0 {
            continue;
        }
        let m = motive_match(d, x);
        let b = weekly_load(d, x);
        x.satisfaction += p.sat_rate * (m - x.satisfaction);
        x.burden += p.sat_rate * (b - x.burden);
    }
}

/// Volunteers and staff may withdraw at will (M3). A participant for whom the leaver held more
/// than half of her tie strength to volunteers and staff is stranded: belonging × strand_factor.
/// Both are marked in [`Person::events`].
pub fn withdraw<R: Rng, E: Events>(g: &mut Group, d: &Design, rng: &mut R, ev: &mut E) {
    for v in 0..g.n() {
        if !g.persons[v].is_active_local() {
            continue;
        }
        let h = withdrawal_hazard(d, &g.persons[v]);
        if rng.gen::<f64>() >= h {
            continue;
        }
        g.persons[v].active = false;
        g.persons[v].events |= event::WITHDREW;
        let stranded = strand(g, d, v);
        if E::ENABLED {
            ev.emit(Event::Withdrew {
                person: v,
                stranded,
            });
        }
    }
}

/// The participants stranded by local `v` leaving (already inactive): those for whom `v` held
/// more than half of their bridging tie strength lose belonging (× strand_factor) and are marked
/// [`event::STRANDED`]. Returns how many.
pub fn strand(g: &mut Group, d: &Design, v: usize) -> u32 {
    let n = g.n();
    let mut stranded = 0;
    for j in 0..n {
        if !g.persons[j].active || !g.persons[j].status.is_participant() {
            continue;
        }
        let mine = g.tie(v, j);
        let bridging: f64 = (0..n)
            .filter(|&k| g.persons[k].status.is_local() && (g.persons[k].active || k == v))
            .map(|k| g.tie(k, j))
            .sum();
        if mine > 0.0 && mine > 0.5 * bridging {
            g.persons[j].belonging *= d.params.strand_factor;
            g.persons[j].events |= event::STRANDED;
            stranded += 1;
        }
    }
    stranded
}

/// Participants drop out with weekly hazard d0·(1 − belonging) (Appendix C).
pub fn drop_out<R: Rng, E: Events>(g: &mut Group, d: &Design, rng: &mut R, ev: &mut E) {
    for j in 0..g.n() {
        let x = &mut g.persons[j];
        if !x.active || !x.status.is_participant() {
            continue;
        }
        if rng.gen::<f64>() < d.params.d0_dropout * (1.0 - x.belonging) {
            x.active = false;
            x.events |= event::DROPPED_OUT;
            if E::ENABLED {
                ev.emit(Event::DroppedOut { person: j });
            }
        }
    }
}

/// Refills: a volunteer or staff vacancy is filled with weekly probability `recruitment` by a
/// new person of the same population; with `capacity` set, a waiting list refills a
/// participant's place the week after she leaves. The newcomer's traits are drawn from `init`,
/// her attributes from `attributes`. Closed places are never refilled, and nothing is while a
/// schedule has stopped recruiting.
pub fn recruit<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    init: &mut R,
    life: &mut R,
    attributes: &mut R,
    ev: &mut E,
) {
    if !d.recruiting {
        return;
    }
    for i in 0..g.n() {
        if g.persons[i].active || g.persons[i].closed {
            continue;
        }
        let role = d.populations[g.persons[i].population as usize].role;
        let refill = match role {
            crate::scenario::Role::Participant => d.activity.capacity.is_some(),
            _ => life.gen::<f64>() < d.activity.recruitment,
        };
        if refill {
            super::stereotypes::remember_leaver(g, d, i);
            g.replace(d, i, init, attributes);
            if E::ENABLED {
                ev.emit(Event::Joined { person: i });
            }
        }
    }
}
