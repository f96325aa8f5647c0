//! M1 Talk, interruption and speaking for: status-weighted speaker choice, hesitation and
//! usurped turns ("finishing her sentence", Stein 2022; Anderson & Leaper 1998; Cannon,
//! Robinson & Smith-Lovin 2019).

use super::events::{Event, Events};
use super::{sigmoid, weighted_pick as pick, Scratch};
use crate::model::group::{Design, Group};
use rand::Rng;

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

/// Per-meeting state of the turn loop, reused across meetings (so the loop never allocates):
/// for each present person (by position k in `Scratch::present`) the running sums of the
/// speaking weights and what the loop reads of her, copied once per meeting.
#[derive(Debug, Default, Clone)]
pub struct Floor {
    /// prefix[k] = weight[0] + … + weight[k], summed left to right.
    prefix: Vec<f64>,
    /// Hesitation probability of each present person (her language and agency do not change
    /// during the turns).
    hesitation: Vec<f64>,
    /// Language of each present person.
    language: Vec<f64>,
    /// need_to_help · protectiveness of each present person.
    need_protect: Vec<f64>,
    /// Whether each present person entered as a participant (whom protectiveness is aimed at).
    protected: Vec<bool>,
    /// This meeting's turn counters of each present person, written back to her after the
    /// turns (so the loop touches no `Person`): floors, completed, usurped on, usurped by,
    /// hesitations.
    counts: Vec<[u32; 5]>,
}

/// Positions in [`Floor::counts`].
const FLOORS: usize = 0;
const COMPLETED: usize = 1;
const USURPED_ON: usize = 2;
const USURPED_BY: usize = 3;
const HESITATIONS: usize = 4;

impl Floor {
    /// Buffers for up to `n` persons present.
    pub fn with_capacity(n: usize) -> Floor {
        Floor {
            prefix: Vec::with_capacity(n),
            hesitation: Vec::with_capacity(n),
            language: Vec::with_capacity(n),
            need_protect: Vec::with_capacity(n),
            protected: Vec::with_capacity(n),
            counts: Vec::with_capacity(n),
        }
    }

    /// Running sums from position `from` on (positions before it are unchanged).
    #[inline]
    fn sum_from(&mut self, weights: &[f64], from: usize) {
        let mut acc = if from == 0 {
            0.0
        } else {
            self.prefix[from - 1]
        };
        for (c, w) in self.prefix[from..].iter_mut().zip(&weights[from..]) {
            acc += w;
            *c = acc;
        }
    }
}

/// How far a uniform draw must lie from a running sum for the prefix-sum pick to be certain to
/// agree with the linear scan. The scan's r − w₀ − … − w_{k−1} and the running sum w₀ + … + w_k
/// each carry at most (n + 1) roundings of at most 2⁻⁵³·total; 2⁻⁵⁰·(n + 4)·total is over
/// twice their sum. Closer draws (about one in 10¹³) fall back to the scan itself.
#[inline]
fn margin(total: f64, n: usize) -> f64 {
    total * (n as f64 + 4.0) * (1.0 / (1u64 << 50) as f64)
}

/// Number of running sums ≤ r (a branch-free count the compiler vectorises).
#[inline]
fn count_le(prefix: &[f64], r: f64) -> usize {
    prefix.iter().map(|&c| (c <= r) as usize).sum()
}

/// [`weighted_pick`](super::weighted_pick) by the running sums: the same index, without the
/// scan's unpredictable exit branch; `m` is the [`margin`] of the weights' total.
#[inline]
fn pick_by_prefix(weights: &[f64], prefix: &[f64], r: f64, m: f64) -> usize {
    let n = prefix.len();
    let k = count_le(prefix, r);
    if k < n && prefix[k] - r > m && (k == 0 || r - prefix[k - 1] > m) {
        k
    } else {
        pick(weights, r)
    }
}

/// [`pick_other`] by the running sums: the skipped weight counts as zero, so sums past it are
/// lowered by it.
#[inline]
fn pick_other_by_prefix(weights: &[f64], prefix: &[f64], skip: usize, r: f64, m: f64) -> usize {
    let n = prefix.len();
    let before = count_le(&prefix[..skip], r);
    if before < skip {
        if prefix[before] - r > m && (before == 0 || r - prefix[before - 1] > m) {
            return before;
        }
    } else {
        let ws = weights[skip];
        let after: usize = prefix[skip + 1..]
            .iter()
            .map(|&c| (c - ws <= r) as usize)
            .sum();
        let k = skip + 1 + after;
        let below_ok = skip == 0 || r - prefix[skip - 1] > m;
        let lo_ok = after == 0 || r - (prefix[k - 1] - ws) > m;
        if k < n && below_ok && lo_ok && (prefix[k] - ws) - r > m {
            return k;
        }
    }
    pick_other(weights, skip, r)
}

/// Speaking weight: exp(β_e·e)·talkativeness (Appendix A, speaker choice).
#[inline]
pub fn speaking_weight(beta_e: f64, e: f64, talk: f64) -> f64 {
    super::exp::exp(beta_e * e) * talk
}

/// Hesitation probability of whoever holds the floor: h_base + h0·(1 − L) + h_agency·(1 − A)
/// (Appendix C plus confidence: a speaker whose agency was worn down hesitates more, which is
/// how early interruptions compound, Cannon, Robinson & Smith-Lovin 2019). The same rule for
/// everyone: locals' agency is their entry value, so at equal language and agency a volunteer
/// and a participant hesitate alike.
#[inline]
pub fn hesitation_probability(d: &Design, language: f64, agency: f64) -> f64 {
    (d.params.h_base + language_hesitation(d, language) + d.params.h_agency * (1.0 - agency))
        .clamp(0.0, 1.0)
}

/// The part of the hesitation probability that missing language explains: h0·(1 − L).
#[inline]
pub fn language_hesitation(d: &Design, language: f64) -> f64 {
    d.h0 * (1.0 - language)
}

/// Attribution (M4): the share of a speaker's hesitations that observers put down to missing
/// language, h0·(1 − L) ÷ p_hesitate; the rest they read as missing competence.
#[inline]
pub fn language_share(d: &Design, language: f64, agency: f64) -> f64 {
    let total = hesitation_probability(d, language, agency);
    if total > 0.0 {
        (language_hesitation(d, language) / total).min(1.0)
    } else {
        0.0
    }
}

/// Usurp probability: σ(α0 + α1(1 + s_f·sf)(e_v − e_j) + α2·N_v·P_v + α3(1 − L_j))·(1 − facilitation)
/// (M1); `need_protect_v` is N_v·P_v when the speaker is someone v is protective of (she entered
/// as a participant), else 0.
#[inline]
pub fn usurp_probability(
    d: &Design,
    e_v: f64,
    e_j: f64,
    need_protect_v: f64,
    language_j: f64,
) -> f64 {
    let p = &d.params;
    sigmoid(
        p.alpha0
            + d.usurp_gap * (e_v - e_j)
            + p.alpha2 * need_protect_v
            + p.alpha3 * (1.0 - language_j),
    ) * d.usurp_keep
}

/// Prepares the speaking weights of the persons present.
pub fn prepare_floor(g: &Group, d: &Design, s: &mut Scratch) {
    s.weight.clear();
    s.expectation.clear();
    for &i in &s.present {
        let e = g.expectation(&d.params, i);
        s.expectation.push(e);
        s.weight.push(speaking_weight(
            d.params.beta_e,
            e,
            g.persons[i].talk_weight(),
        ));
    }
}

/// Runs the speaking turns of one meeting: who takes the floor, who hesitates, who usurps.
/// A usurped turn is a turn of the usurper's voice; the speaker loses δ·clamp(e_v − e_j, 0, 1)
/// of persistent status (compounding early interruptions). Agency and belonging effects are applied at the meeting's
/// end from the counters (see `contact::respect_and_slights`).
pub fn take_turns<R: Rng, E: Events>(
    g: &mut Group,
    d: &Design,
    s: &mut Scratch,
    rng: &mut R,
    ev: &mut E,
) {
    let p = &d.params;
    let turns = d.activity.turns_per_meeting;
    let mut total: f64 = s.weight.iter().sum();
    let alone = s.present.len() < 2;
    // What the turns read of the persons present, gathered once (none of it changes in the loop).
    let f = &mut s.floor;
    let m = s.present.len();
    f.prefix.resize(m, 0.0);
    f.hesitation.clear();
    f.language.clear();
    f.need_protect.clear();
    f.protected.clear();
    f.counts.clear();
    f.counts.resize(m, [0; 5]);
    for &i in &s.present {
        let x = &g.persons[i];
        f.hesitation
            .push(hesitation_probability(d, x.language, x.agency));
        f.language.push(x.language);
        f.need_protect.push(d.need_to_help(x) * x.protectiveness);
        f.protected.push(x.was_participant);
    }
    f.sum_from(&s.weight, 0);
    let mut within = margin(total, m);
    for turn in 0..turns {
        let k = pick_by_prefix(&s.weight, &f.prefix, rng.gen::<f64>() * total, within);
        let i = s.present[k];
        let counts = &mut f.counts[k];
        counts[FLOORS] += 1;
        if rng.gen::<f64>() >= f.hesitation[k] || alone {
            counts[COMPLETED] += 1;
            if E::ENABLED {
                ev.emit(Event::Turn { turn, speaker: i });
            }
            continue;
        }
        // Hesitation: one would-be usurper drawn from the others by speaking weight.
        let u = pick_other_by_prefix(
            &s.weight,
            &f.prefix,
            k,
            rng.gen::<f64>() * (total - s.weight[k]),
            within,
        );
        let v = s.present[u];
        // Protectiveness ("mothering") is aimed at participants, not at fellow locals.
        let np = if f.protected[k] {
            f.need_protect[u]
        } else {
            0.0
        };
        let usurp = usurp_probability(d, s.expectation[u], s.expectation[k], np, f.language[k]);
        if rng.gen::<f64>() < usurp {
            f.counts[k][USURPED_ON] += 1;
            f.counts[u][USURPED_BY] += 1;
            // Being spoken for by someone of higher status costs status in proportion to the gap
            // (it signals incompetence); among equals it is collegial and costs nothing.
            let loss = p.delta_usurp * (s.expectation[u] - s.expectation[k]).clamp(0.0, 1.0);
            g.persons[i].offset -= loss;
            s.expectation[k] -= loss;
            let w = speaking_weight(p.beta_e, s.expectation[k], g.persons[i].talk_weight());
            total += w - s.weight[k];
            s.weight[k] = w;
            within = margin(total, m);
            f.sum_from(&s.weight, k);
            if E::ENABLED {
                ev.emit(Event::Usurped {
                    turn,
                    speaker: i,
                    by: v,
                });
            }
        } else {
            counts[HESITATIONS] += 1;
            counts[COMPLETED] += 1;
            if E::ENABLED {
                ev.emit(Event::Hesitated {
                    turn,
                    speaker: i,
                    would_be: Some(v),
                });
            }
        }
    }
    // The turns' counters go to the persons; everyone present heard the meeting (sociability
    // motive, M3).
    let mut completed = 0u32;
    for (&i, c) in s.present.iter().zip(&f.counts) {
        let x = &mut g.persons[i];
        x.floors += c[FLOORS];
        x.completed += c[COMPLETED];
        x.usurped_on += c[USURPED_ON];
        x.usurped_by += c[USURPED_BY];
        x.hesitations += c[HESITATIONS];
        completed += x.completed;
    }
    for &i in &s.present {
        g.persons[i].heard_total += turns;
        g.persons[i].heard_completed += completed;
    }
}

/// Status recovers between meetings: offset ← offset·(1 − offset_recovery) each week (M1; the
/// status lost to usurped turns fades unless renewed).
#[inline]
pub fn recover_status(g: &mut Group, d: &Design) {
    let recover = 1.0 - d.params.offset_recovery;
    for x in g.persons.iter_mut() {
        x.offset *= recover;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefix-sum picks return exactly what the linear scans return, also for draws at
    /// and next to every running sum (where rounding could tell them apart).
    #[test]
    fn prefix_picks_equal_the_scans() {
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let mut f = Floor::default();
        for trial in 0..3000 {
            let n = 1 + trial % 23;
            let w: Vec<f64> = (0..n)
                .map(|_| match rng.gen_range(0..4) {
                    0 => rng.gen::<f64>() * 1e-9,
                    1 => rng.gen::<f64>() * 1e3,
                    _ => rng.gen::<f64>() * 3.0 + 0.05,
                })
                .collect();
            f.prefix.resize(n, 0.0);
            f.sum_from(&w, 0);
            let total: f64 = w.iter().sum();
            assert_eq!(total, f.prefix[n - 1]);
            let mut draws: Vec<f64> = (0..50).map(|_| rng.gen::<f64>() * total).collect();
            for &c in &f.prefix {
                let mut x = c;
                for _ in 0..3 {
                    draws.push(x);
                    x = f64::from_bits(x.to_bits().wrapping_sub(1)).max(0.0);
                }
                let mut x = c;
                for _ in 0..3 {
                    x = f64::from_bits(x.to_bits() + 1);
                    draws.push(x);
                }
            }
            draws.push(0.0);
            for &r in &draws {
                assert_eq!(
                    pick_by_prefix(&w, &f.prefix, r, margin(total, n)),
                    pick(&w, r),
                    "{w:?} r={r}"
                );
                if n >= 2 {
                    for skip in 0..n {
                        let r2 = r.min(total - w[skip]).max(0.0);
                        for r in [r2, r2 - w[skip], r] {
                            let r = r.max(0.0);
                            assert_eq!(
                                pick_other_by_prefix(&w, &f.prefix, skip, r, margin(total, n)),
                                pick_other(&w, skip, r),
                                "{w:?} skip={skip} r={r}"
                            );
                        }
                    }
                }
            }
            // A weight change updates the sums from its position on as a full recount would.
            let k = trial % n;
            let mut w2 = w.clone();
            w2[k] *= 0.5;
            f.sum_from(&w2, k);
            let full: Vec<f64> = w2
                .iter()
                .scan(0.0, |a, x| {
                    *a += x;
                    Some(*a)
                })
                .collect();
            assert_eq!(f.prefix, full);
        }
    }

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
