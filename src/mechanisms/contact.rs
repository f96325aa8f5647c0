//! M4 Exemplars, subtyping and limbo, and M5 Contact: what the locals make of what they saw in a
//! meeting, and what participants take from how they were treated. Observations of one meeting
//! are applied together at its end (k completed turns act like k sequential updates).

use super::events::{Event, Events};
use super::{gain_k, loss_k, powi, Scratch};
use crate::model::group::{Design, Group, MET, SUBTYPED};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// What perception reads of each person present (by position in `Scratch::present`), gathered
/// once per meeting instead of once per (local, participant) pair; reused across meetings.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// Expectation value after the meeting's talk, help and agenda.
    expectation: Vec<f64>,
    /// 1 − (1 − λ_obs)^k for her k completed turns (0 when k = 0).
    obs_gain: Vec<f64>,
    /// √k (1 when k = 0).
    sqrt_k: Vec<f64>,
    /// Positions of the locals present.
    locals: Vec<usize>,
}

impl Seen {
    /// Buffers for up to `n` persons present.
    pub fn with_capacity(n: usize) -> Seen {
        Seen {
            expectation: Vec::with_capacity(n),
            obs_gain: Vec::with_capacity(n),
            sqrt_k: Vec::with_capacity(n),
            locals: Vec::with_capacity(n),
        }
    }
}

/// Typicality t = exp(−(ĉ − μ_G)² / 2σ²) (Appendix A, M4).
#[inline]
pub fn typicality(perceived: f64, mu: f64, sigma: f64) -> f64 {
    let z = perceived - mu;
    (-(z * z) / (2.0 * sigma * sigma)).exp()
}

/// Perception (M4, M5): for each present local v and each present person j who entered as a
/// participant: completed turns are evidence, ĉ_vj += (1 − (1 − λ)^k)(x̄ − ĉ_vj) with
/// x̄ = c_j + N(0, σ_obs/√k); an above-stereotype performer with typicality < τ is subtyped
/// (one-sided, sticky; Weber & Crocker 1983); typical members update μ_G by bookkeeping and
/// contact (positive a⁺·t·(1 − θ·gap) per completed turn or acknowledged attempt, negative
/// a⁻ per hesitation or failed attempt, a⁻/a⁺ = 2–3, Barlow et al. 2012); exceptions push
/// μ_G away (Bless et al. 2001); inclusion grows with positive contact toward a cap set by
/// diffuse status (majority members: 1; others: cap_base + (1 − cap_base)·equal_status).
pub fn perceive<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) {
    let p = &d.params;
    let seen = &mut s.seen;
    seen.expectation.clear();
    seen.obs_gain.clear();
    seen.sqrt_k.clear();
    seen.locals.clear();
    for (a, &i) in s.present.iter().enumerate() {
        seen.expectation.push(g.expectation(p, i));
        let k = g.persons[i].completed;
        seen.obs_gain.push(if k > 0 {
            1.0 - powi(1.0 - p.lambda_obs, k)
        } else {
            0.0
        });
        seen.sqrt_k
            .push(if k > 0 { (k as f64).sqrt() } else { 1.0 });
        if g.persons[i].status.is_local() {
            seen.locals.push(a);
        }
    }
    // A pair: a present local v and a present person j ≠ v who entered as a participant.
    let pair = |g: &Group, v: usize, j: usize| j != v && g.persons[j].was_participant;
    let present = &s.present;
    let (e, gain, root) = (&seen.expectation, &seen.obs_gain, &seen.sqrt_k);
    for &a in &seen.locals {
        for (b, &j) in present.iter().enumerate() {
            if pair(g, present[a], j) {
                // One draw per pair, whatever k is (common random numbers).
                let z: f64 = StandardNormal.sample(rng);
                perceive_pair(g, d, e, gain, root, a, present[a], b, j, z, ev);
            }
        }
    }
}

/// One pair of [`perceive`]: local v (at position `a` of those present) updates her beliefs
/// about j (at position `b`) from what she saw this meeting; `z` is the pair's N(0, 1) draw.
#[allow(clippy::too_many_arguments)]
#[inline]
fn perceive_pair<E: Events>(
    g: &mut Group,
    d: &Design,
    expectation: &[f64],
    obs_gain: &[f64],
    sqrt_k: &[f64],
    a: usize,
    v: usize,
    b: usize,
    j: usize,
    z: f64,
    ev: &mut E,
) {
    let p = &d.params;
    let n = g.n();
    let no = g.n_origins;
    let e_v = expectation[a];
    let x = &g.persons[j];
    let k = x.completed;
    let positive = k + x.acknowledged;
    let negative = x.hesitations + x.failed_attempts;
    let origin = x.origin as usize;
    let gap = (e_v - expectation[b]).clamp(0.0, 1.0);
    let competence = x.competence();
    let majority = x.majority;
    let cell = v * n + j;
    let before = g.perceived[cell] as f64;
    let mu0 = g.stereotype[v * no + origin] as f64;
    let mut mu = mu0;
    let mut c = before;
    if k > 0 {
        let xbar = competence + z * p.obs_noise / sqrt_k[b];
        c += obs_gain[b] * (xbar - c);
        g.flags[cell] |= MET;
        // Typicality of what v saw this meeting (x̄, not the slowly moving ĉ, which
        // starts at μ_G and would move with it): a strong disconfirmer is atypical at once.
        let t = typicality(xbar, mu, p.sigma_typ);
        if g.flags[cell] & SUBTYPED == 0 && xbar > mu && t < p.tau_subtype {
            g.flags[cell] |= SUBTYPED;
        }
        if g.flags[cell] & SUBTYPED == 0 {
            // Bookkeeping from a typical member.
            mu += (1.0 - powi(1.0 - p.lambda_b * t, k)) * (xbar - mu);
        } else {
            // Contrast: the exception pushes the stereotype away from her.
            mu += p.lambda_away * (mu - xbar);
        }
    }
    if g.flags[cell] & SUBTYPED == 0 {
        // Without positive contact the gain is ±0 (t is finite: σ ≥ 0.01), so exp is skipped.
        if positive > 0 {
            let t = typicality(c, mu, p.sigma_typ);
            mu += p.a_pos * positive as f64 * t * (1.0 - p.theta_gap * gap);
        }
        mu -= p.a_neg() * negative as f64;
    }
    let mu = mu.clamp(0.0, 1.0);
    g.perceived[cell] = c.clamp(0.0, 1.0) as f32;
    g.stereotype[v * no + origin] = mu as f32;
    if positive > 0 {
        let cap = if majority { 1.0 } else { d.inclusion_cap };
        let w = g.inclusion[cell] as f64;
        if w < cap {
            g.inclusion[cell] = (w + p.w_us_rate * (cap - w)) as f32;
        }
    }
    if E::ENABLED && (k > 0 || positive > 0 || negative > 0) {
        ev.emit(Event::Perceived {
            volunteer: v,
            participant: j,
            before,
            after: g.perceived[cell] as f64,
            subtyped: g.flags[cell] & SUBTYPED != 0,
            inclusion: g.inclusion[cell] as f64,
        });
        if (mu - mu0).abs() > 1e-12 {
            ev.emit(Event::StereotypeChanged {
                volunteer: v,
                origin: d.origins[origin].clone(),
                before: mu0,
                after: mu,
            });
        }
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
