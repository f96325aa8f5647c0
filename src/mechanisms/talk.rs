//! M1 Talk, interruption and speaking for: status-weighted speaker choice, hesitation and
//! usurped turns ("finishing her sentence", Stein 2022; Anderson & Leaper 1998; Cannon,
//! Robinson & Smith-Lovin 2019).

use super::{sigmoid, Scratch};
use crate::model::group::{Design, Group};
use crate::sim::events::{Event, Events};
use rand::Rng;

/// Picks an index ∝ weight by a linear scan; `r` is uniform in [0, total).
#[inline]
fn pick(weights: &[f64], mut r: f64) -> usize {
    for (k, w) in weights.iter().enumerate() {
        if r < *w {
            return k;
        }
        r -= w;
    }
    weights.len() - 1
}

/// Picks an index ≠ `skip` ∝ weight; `r` is uniform in [0, total − weights[skip]).
#[inline]
fn pick_other(weights: &[f64], skip: usize, mut r: f64) -> usize {
    let mut last = usize::MAX;
    for (k, w) in weights.iter().enumerate() {
        if k == skip {
            continue;
        }
        last = k;
        if r < *w {
            return k;
        }
        r -= w;
    }
    last
}

/// Speaking weight: exp(β_e·e)·talkativeness (Appendix A, speaker choice).
#[inline]
pub fn speaking_weight(beta_e: f64, e: f64, talk: f64) -> f64 {
    (beta_e * e).exp() * talk
}

/// Hesitation probability of whoever holds the floor: h_base + h0·(1 − L) + h_agency·(1 − A)
/// (Appendix C plus confidence: a speaker whose agency was worn down hesitates more, which is
/// how early interruptions compound, Cannon, Robinson & Smith-Lovin 2019).
#[inline]
pub fn hesitation_probability(d: &Design, language: f64, agency: f64) -> f64 {
    (d.params.h_base + d.h0 * (1.0 - language) + d.params.h_agency * (1.0 - agency)).clamp(0.0, 1.0)
}

/// Usurp probability: σ(α0 + α1(1 + s_f·sf)(e_v − e_j) + α2·N_v·P_v + α3(1 − L_j))·(1 − facilitation) (M1).
#[inline]
pub fn usurp_probability(d: &Design, e_v: f64, e_j: f64, need_protect_v: f64, language_j: f64) -> f64 {
    let p = &d.params;
    sigmoid(p.alpha0 + d.usurp_gap * (e_v - e_j) + p.alpha2 * need_protect_v + p.alpha3 * (1.0 - language_j))
        * d.usurp_keep
}

/// Prepares the speaking weights of the persons present.
pub fn prepare_floor(g: &Group, d: &Design, s: &mut Scratch) {
    s.weight.clear();
    s.expectation.clear();
    for &i in &s.present {
        let e = g.expectation(&d.params, i);
        s.expectation.push(e);
        s.weight.push(speaking_weight(d.params.beta_e, e, g.persons[i].talk_weight()));
    }
}

/// Runs the speaking turns of one meeting: who takes the floor, who hesitates, who usurps.
/// A usurped turn is a turn of the usurper's voice; the speaker loses δ·clamp(e_v − e_j, 0, 1)
/// of persistent status (compounding early interruptions). Agency and belonging effects are applied at the meeting's
/// end from the counters (see `contact::respect_and_slights`).
pub fn take_turns<R: Rng, E: Events>(g: &mut Group, d: &Design, s: &mut Scratch, rng: &mut R, ev: &mut E) {
    let p = &d.params;
    let turns = d.activity.turns_per_meeting;
    let mut total: f64 = s.weight.iter().sum();
    let alone = s.present.len() < 2;
    for turn in 0..turns {
        let k = pick(&s.weight, rng.gen::<f64>() * total);
        let i = s.present[k];
        g.persons[i].floors += 1;
        let lang = g.persons[i].language;
        if rng.gen::<f64>() >= hesitation_probability(d, lang, g.persons[i].agency) || alone {
            g.persons[i].completed += 1;
            if E::ENABLED {
                ev.emit(Event::Turn { turn, speaker: i });
            }
            continue;
        }
        // Hesitation: one would-be usurper drawn from the others by speaking weight.
        let u = pick_other(&s.weight, k, rng.gen::<f64>() * (total - s.weight[k]));
        let v = s.present[u];
        let np = g.persons[v].need_to_help * g.persons[v].protectiveness;
        let usurp = usurp_probability(d, s.expectation[u], s.expectation[k], np, lang);
        if rng.gen::<f64>() < usurp {
            g.persons[i].usurped_on += 1;
            g.persons[v].usurped_by += 1;
            // Being spoken for by someone of higher status costs status in proportion to the gap
            // (it signals incompetence); among equals it is collegial and costs nothing.
            let loss = p.delta_usurp * (s.expectation[u] - s.expectation[k]).clamp(0.0, 1.0);
            g.persons[i].offset -= loss;
            s.expectation[k] -= loss;
            let w = speaking_weight(p.beta_e, s.expectation[k], g.persons[i].talk_weight());
            total += w - s.weight[k];
            s.weight[k] = w;
            if E::ENABLED {
                ev.emit(Event::Usurped { turn, speaker: i, by: v });
            }
        } else {
            g.persons[i].hesitations += 1;
            g.persons[i].completed += 1;
            if E::ENABLED {
                ev.emit(Event::Hesitated { turn, speaker: i, would_be: Some(v) });
            }
        }
    }
    // Everyone present heard the meeting (sociability motive, M3).
    let completed: u32 = s.present.iter().map(|&i| g.persons[i].completed).sum();
    for &i in &s.present {
        g.persons[i].heard_total += turns;
        g.persons[i].heard_completed += completed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_respects_weights_and_skip() {
        let w = [1.0, 2.0, 3.0];
        assert_eq!(pick(&w, 0.5), 0);
        assert_eq!(pick(&w, 1.5), 1);
        assert_eq!(pick(&w, 5.9), 2);
        assert_eq!(pick_other(&w, 1, 0.5), 0);
        assert_eq!(pick_other(&w, 1, 1.5), 2);
        assert_eq!(pick_other(&w, 0, 0.0), 1);
    }
}
