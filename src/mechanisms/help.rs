//! M2 Help: dependency- vs autonomy-oriented help (Nadler 2002), requested or unsolicited, and
//! participants' independent attempts (Baltes' dependency-support script).

use super::events::{AttemptOutcome, Event, Events};
use super::{gain_k, sigmoid, Scratch};
use crate::model::group::{Design, Group};
use rand::Rng;

/// P(dependency) = σ(γ0 + γ1·N_v + γ2(e_v − e_j) + γ3·threat + γ4·sal·(1 − μ_G) − γ5·common + γu·unsolicited) (M2, Appendix A/C).
/// common = ½·equal_status + ½·w_us(v, j): common identity from the design and from v's inclusion of j.
pub fn dependency_probability(g: &Group, d: &Design, v: usize, j: usize, unsolicited: bool) -> f64 {
    let p = &d.params;
    let n = g.n();
    let origin = g.persons[j].origin as usize;
    let mu = g.stereotype[v * g.n_origins + origin] as f64;
    let perceived = g.perceived[v * n + j] as f64;
    let threat = (perceived - mu).max(0.0); // defensive helping (Nadler et al. 2009)
    let salience = if d.origin_targeted.get(origin).copied().unwrap_or(false) {
        p.targeting_salience
    } else {
        1.0
    };
    let common = 0.5 * d.equal_status + 0.5 * g.inclusion[v * n + j] as f64;
    let gap = g.expectation(p, v) - g.expectation(p, j);
    sigmoid(
        p.gamma0
            + p.gamma1 * d.need_to_help(&g.persons[v])
            + p.gamma2 * gap
            + p.gamma3 * threat
            + p.gamma4 * salience * (1.0 - mu)
            - p.gamma5 * common
            + if unsolicited { p.gamma_u } else { 0.0 },
    )
}

/// One help episode from v to j, asked for by j or offered `unsolicited` by v: the type is
/// drawn, then its effects applied.
/// Autonomy help: K += η(1 − K), A += κ_A(1 − A). Dependency help: K += ρη(1 − K), A −= κ_D·A,
/// p_indep −= λ·p_indep (Alvarez & van Leeuwen 2015); it gives the helper dep_weight help units
/// (autonomy help 1) and adds to her burden (M3).
pub fn give_help<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    v: usize,
    j: usize,
    unsolicited: bool,
    rng: &mut R,
    ev: &mut E,
) -> bool {
    let p = &d.params;
    if E::ENABLED {
        ev.emit(if unsolicited {
            Event::HelpOffered {
                volunteer: v,
                participant: j,
            }
        } else {
            Event::HelpRequested {
                participant: j,
                helper: v,
            }
        });
    }
    let dependency = rng.gen::<f64>() < dependency_probability(g, d, v, j, unsolicited);
    let x = &mut g.persons[j];
    x.help_received += 1;
    x.dependency_help_received += dependency as u32;
    x.unsolicited_help_received += unsolicited as u32;
    if dependency {
        x.knowhow = gain_k(x.knowhow, p.rho_dep * p.eta_k, 1);
        x.agency -= p.kappa_d * x.agency;
        // Learned dependency: the task was done for her (Baltes; p_indep moves toward 0).
        x.p_indep -= p.lambda_indep * x.p_indep;
        x.dependency_received = true;
        x.slights += 1;
        g.persons[v].help_units += p.dep_weight;
        g.persons[v].dependency_given += 1;
    } else {
        x.knowhow = gain_k(x.knowhow, p.eta_k, 1);
        x.agency = gain_k(x.agency, p.kappa_a, 1);
        x.respect += 1;
        g.persons[v].help_units += 1.0;
    }
    g.strengthen(v, j, p.tie_help);
    if E::ENABLED {
        ev.emit(Event::Help {
            helper: v,
            participant: j,
            unsolicited,
            dependency,
        });
    }
    dependency
}

/// One round of help episodes: each present person on one side (participants when they ask,
/// locals when they `offer`) may find a partner on the other side, drawn from those present
/// (gathered once: the round changes no one's status); each pair found is one episode of
/// [`give_help`]. `partner` decides, for one person, whether she asks or offers and to whom.
/// Returns (episodes, dependency).
#[inline(always)]
fn help_round<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
    offer: bool,
    mut partner: impl FnMut(&Group, &mut Scratch, usize, &mut R) -> Option<usize>,
) -> (u32, u32) {
    let asks = |g: &Group, i: usize| {
        let status = g.persons[i].status;
        if offer {
            status.is_local()
        } else {
            status.is_participant()
        }
    };
    s.among.clear();
    for k in 0..s.present.len() {
        let i = s.present[k];
        if !asks(g, i) {
            s.among.push(i);
        }
    }
    let mut episodes = (0, 0);
    for k in 0..s.present.len() {
        let x = s.present[k];
        if !asks(g, x) {
            continue;
        }
        let Some(y) = partner(g, s, x, rng) else {
            continue;
        };
        let (v, j) = if offer { (x, y) } else { (y, x) };
        episodes.0 += 1;
        episodes.1 += give_help(g, d, v, j, offer, rng, ev) as u32;
    }
    episodes
}

/// Requests: each present participant asks with p = r0·I·(1 − K); a present local answers,
/// drawn by tie strength (+0.05 so strangers can be asked). Returns (episodes, dependency).
pub fn ask_for_help<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) -> (u32, u32) {
    let p = &d.params;
    help_round(g, d, s, rng, ev, false, |g, s, j, rng| {
        let ask = p.r0_request * g.persons[j].initiative * (1.0 - g.persons[j].knowhow);
        if rng.gen::<f64>() >= ask {
            return None;
        }
        s.draw_among(rng, |v| g.tie(v, j) + 0.05)
    })
}

/// Unsolicited offers: each present local picks the participant who looks neediest to her
/// (weight 1 − ĉ_vj + 0.01) and offers with p = u0·N_v·service_frame·(1 − ĉ_vj) (Malkki 2015:
/// the need to help).
pub fn offer_help<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) -> (u32, u32) {
    let p = &d.params;
    let n = g.n();
    help_round(g, d, s, rng, ev, true, |g, s, v, rng| {
        let row = &g.perceived[v * n..(v + 1) * n];
        let j = s.draw_among(rng, |j| 1.0 - row[j] as f64 + 0.01)?;
        let neediness = 1.0 - row[j] as f64;
        let offer =
            p.u0_offer * d.need_to_help(&g.persons[v]) * d.activity.service_frame * neediness;
        (rng.gen::<f64>() < offer).then_some(j)
    })
}

/// Independent attempts: each present participant tries alone with p = p_indep; the attempt
/// succeeds with p = c_j; it is pre-empted if dependency help came this meeting, otherwise a
/// success is acknowledged with p = ack_base + ack_frame(1 − sf). p_indep ← p_indep + λ(r − p_indep),
/// r = 1 if acknowledged (Baltes: independent attempts mostly go unacknowledged).
pub fn try_alone<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &Scratch,
    rng: &mut R,
    ev: &mut E,
) {
    let p = &d.params;
    for &j in &s.present {
        let x = &mut g.persons[j];
        if !x.status.is_participant() {
            continue;
        }
        let (attempt, success, ack) = (rng.gen::<f64>(), rng.gen::<f64>(), rng.gen::<f64>());
        if attempt >= x.p_indep {
            continue;
        }
        let outcome = if x.dependency_received {
            AttemptOutcome::PreEmpted
        } else if success >= x.competence() {
            AttemptOutcome::Failed
        } else if ack < d.ack_p {
            AttemptOutcome::Acknowledged
        } else {
            AttemptOutcome::Ignored
        };
        let r = match outcome {
            AttemptOutcome::Acknowledged => {
                x.acknowledged += 1;
                1.0
            }
            AttemptOutcome::Failed => {
                x.failed_attempts += 1;
                0.0
            }
            _ => 0.0,
        };
        x.p_indep += p.lambda_indep * (r - x.p_indep);
        if E::ENABLED {
            ev.emit(Event::IndependentAttempt {
                participant: j,
                outcome,
            });
        }
    }
}
