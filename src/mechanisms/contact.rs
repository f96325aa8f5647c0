//! M4 Exemplars and M5 Contact: what the locals make of what they saw in a meeting — evidence
//! about each person, her perceived competence, subtyping, inclusion and the bookkeeping of
//! their stereotypes ([`super::stereotypes`]) — and what participants take from how they were
//! treated. Observations of one meeting are applied together at its end (k completed turns act
//! like k sequential updates).

use super::events::{Event, Events};
use super::{gain_k, loss_k, powi, stereotypes, talk, Scratch};
use crate::model::group::{Design, Group, MET, SUBTYPED};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// What perception reads of each person present (by position in `Scratch::present`), gathered
/// once per meeting instead of once per (local, participant) pair; reused across meetings.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// 1 − (1 − λ_obs)^k for her k completed turns (0 when k = 0).
    obs_gain: Vec<f64>,
    /// √k (1 when k = 0).
    sqrt_k: Vec<f64>,
    /// Her true competence.
    competence: Vec<f64>,
    /// Weight and weight × value of her observations other than completed turns: unexplained
    /// hesitations, acknowledged and failed attempts.
    evidence: Vec<(f64, f64)>,
    /// Positions of the locals present.
    locals: Vec<usize>,
    /// Origins of the persons a local saw this meeting (whose stereotypes the bookkeeping
    /// recomputes), by origin index.
    touched: Vec<bool>,
    /// Bookkeeping buffers (`stereotypes::keep_books`).
    books: stereotypes::Books,
    /// Stereotypes of one local before the bookkeeping (for the transcript's events).
    before: Vec<f64>,
}

impl Seen {
    /// Buffers for up to `n` persons present.
    pub fn with_capacity(n: usize) -> Seen {
        Seen {
            obs_gain: Vec::with_capacity(n),
            sqrt_k: Vec::with_capacity(n),
            competence: Vec::with_capacity(n),
            evidence: Vec::with_capacity(n),
            locals: Vec::with_capacity(n),
            touched: Vec::with_capacity(n),
            books: stereotypes::Books::with_capacity(n),
            before: Vec::with_capacity(n),
        }
    }
}

/// Perception (M4, M5): each present local v sees each present person j who entered as a
/// participant and gathers evidence about her: each completed turn is an observation of her
/// competence, x̄ = c_j + N(0, σ_obs/√k); each un-usurped hesitation counts as an observation of
/// no competence only in the share she does not put down to missing language (attribution); an
/// acknowledged independent attempt is an observation of success (1), a failed one counts
/// a_neg_ratio observations of failure (0: negative contact weighs more, Barlow et al. 2012).
/// Completed turns also move ĉ_vj += (1 − (1 − λ)^k)(x̄ − ĉ_vj). Inclusion grows with positive
/// contact toward a cap set by diffuse status; an exception seen and still kept out of "us" is
/// one more meeting of exclusion ([`stereotypes::keep_at_arms_length`]). Last, v keeps the books
/// of her stereotypes of the origins she saw, subtyping whoever stood out
/// ([`stereotypes::keep_books`]).
pub fn perceive<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) {
    let p = &d.params;
    let no = g.n_origins;
    let seen = &mut s.seen;
    seen.obs_gain.clear();
    seen.sqrt_k.clear();
    seen.competence.clear();
    seen.evidence.clear();
    seen.locals.clear();
    for (a, &i) in s.present.iter().enumerate() {
        let x = &g.persons[i];
        let k = x.completed;
        seen.obs_gain.push(if k > 0 {
            1.0 - powi(1.0 - p.lambda_obs, k)
        } else {
            0.0
        });
        seen.sqrt_k
            .push(if k > 0 { (k as f64).sqrt() } else { 1.0 });
        let language_share = talk::language_share(d, x.language, x.agency);
        seen.competence.push(x.competence());
        // The share of her hesitations observers put down to missing language (attribution).
        let unexplained = x.hesitations as f64 * (1.0 - language_share);
        seen.evidence.push((
            unexplained + x.acknowledged as f64 + p.a_neg_ratio * x.failed_attempts as f64,
            x.acknowledged as f64,
        ));
        if x.status.is_local() {
            seen.locals.push(a);
        }
    }
    let present = &s.present;
    for &a in &seen.locals {
        let v = present[a];
        seen.touched.clear();
        seen.touched.resize(no, false);
        for (b, &j) in present.iter().enumerate() {
            if j != v && g.persons[j].was_participant {
                // One draw per pair, whatever k is (common random numbers).
                let z: f64 = StandardNormal.sample(rng);
                let look = Look {
                    obs_gain: seen.obs_gain[b],
                    sqrt_k: seen.sqrt_k[b],
                    competence: seen.competence[b],
                    evidence: seen.evidence[b],
                    z,
                };
                perceive_pair(g, d, v, j, look, ev);
                seen.touched[g.persons[j].origin as usize] = true;
            }
        }
        if E::ENABLED {
            seen.before.clear();
            seen.before
                .extend((0..no).map(|o| g.stereotype[v * no + o] as f64));
        }
        stereotypes::keep_books(g, d, v, &seen.touched, &mut seen.books);
        if E::ENABLED {
            for o in 0..no {
                let (before, after) = (seen.before[o], g.stereotype[v * no + o] as f64);
                if (after - before).abs() > 1e-12 {
                    ev.emit(Event::StereotypeChanged {
                        volunteer: v,
                        origin: d.origins[o].clone(),
                        before,
                        after,
                    });
                }
            }
        }
    }
}

/// What one local's look at one person reads: the person's meeting quantities (see [`Seen`])
/// and the pair's N(0, 1) draw.
#[derive(Clone, Copy)]
struct Look {
    obs_gain: f64,
    sqrt_k: f64,
    competence: f64,
    evidence: (f64, f64),
    z: f64,
}

/// One pair of [`perceive`]: local v gathers this meeting's evidence about j, updates ĉ_vj,
/// inclusion and exclusion (subtyping follows in the bookkeeping).
#[inline]
fn perceive_pair<E: Events>(g: &mut Group, d: &Design, v: usize, j: usize, look: Look, ev: &mut E) {
    let p = &d.params;
    let cell = v * g.n() + j;
    let x = &g.persons[j];
    let k = x.completed;
    let positive = k + x.acknowledged;
    let competence = look.competence;
    let majority = x.majority;
    // Evidence: (weight, weight × value) of the meeting's observations.
    let (mut weight, mut value) = look.evidence;
    let before = g.perceived[cell] as f64;
    let mut c = before;
    if k > 0 {
        let xbar = (competence + look.z * p.obs_noise / look.sqrt_k).clamp(0.0, 1.0);
        c += look.obs_gain * (xbar - c);
        g.flags[cell] |= MET;
        weight += k as f64;
        value += k as f64 * xbar;
    }
    g.evidence_n[cell] += weight as f32;
    g.evidence_x[cell] += value as f32;
    g.perceived[cell] = c.clamp(0.0, 1.0) as f32;
    if positive > 0 {
        let cap = if majority { 1.0 } else { d.inclusion_cap };
        let w = g.inclusion[cell] as f64;
        if w < cap {
            g.inclusion[cell] = (w + p.w_us_rate * (cap - w)) as f32;
        }
        stereotypes::keep_at_arms_length(g, d, v, j);
    }
    if E::ENABLED && (weight > 0.0 || positive > 0) {
        ev.emit(Event::Perceived {
            volunteer: v,
            participant: j,
            before,
            after: g.perceived[cell] as f64,
            subtyped: g.flags[cell] & SUBTYPED != 0,
            inclusion: g.inclusion[cell] as f64,
        });
    }
}

/// What participants take from a meeting (M1, M5): agency += κ_t per completed turn, −= κ_u per
/// usurped turn; belonging += b_pos per respect event (completed turn, adopted proposal,
/// autonomy help), −= b_neg per slight (usurped turn, dependency help). Soft bounds.
pub fn respect_and_slights(g: &mut Group, d: &Design, s: &Scratch) {
    let p = &d.params;
    for &j in &s.present {
        let x = &mut g.persons[j];
        if !x.status.is_participant() {
            continue;
        }
        x.agency = loss_k(
            gain_k(x.agency, p.kappa_t, x.completed),
            p.kappa_u,
            x.usurped_on,
        );
        x.belonging = loss_k(
            gain_k(x.belonging, p.b_pos, x.completed.min(1) + x.respect),
            p.b_neg,
            x.usurped_on + x.slights,
        );
    }
}

/// Ties from talk (M8, Ager & Strang 2008): each pair present where at least one completed a
/// turn strengthens by r·(1 − tie), r = tie_talk, and r = min(1, tie_talk·(1 + mixed)) for a
/// participant–host pair (mixed designs make peers of them). With r ≤ 1 a tie stays in [0, 1].
pub fn talk_ties(g: &mut Group, d: &Design, s: &Scratch) {
    let p = &d.params;
    let mixed = if d.activity.mixed { 1.0 } else { 0.0 };
    for a in 0..s.present.len() {
        let i = s.present[a];
        for &j in &s.present[a + 1..] {
            let (xi, xj) = (&g.persons[i], &g.persons[j]);
            if xi.completed == 0 && xj.completed == 0 {
                continue;
            }
            let bridging = xi.status.is_participant() != xj.status.is_participant();
            let both_locals = !xi.status.is_participant() && !xj.status.is_participant();
            if both_locals {
                continue;
            }
            let rate = if bridging {
                (p.tie_talk * (1.0 + mixed)).min(1.0)
            } else {
                p.tie_talk
            };
            g.strengthen(i, j, rate);
        }
    }
}

/// Ties fade without contact: τ ← τ·(1 − tie_decay) each week (M8, Ager & Strang 2008).
#[inline]
pub fn decay_ties(g: &mut Group, d: &Design) {
    let keep = 1.0 - d.params.tie_decay;
    for tie in g.ties.iter_mut() {
        *tie = (*tie as f64 * keep) as f32;
    }
}
