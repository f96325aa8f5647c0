//! One module per mechanism of MODEL.md §3, each function named after what it models, with its
//! equation and source in a one-line comment. Mechanisms change the model; they never do I/O.

pub mod agenda;
pub mod attendance;
pub mod cohorts;
pub mod contact;
pub mod events;
pub mod exp;
pub mod help;
pub mod learning;
pub mod retention;
pub mod stereotypes;
pub mod talk;
pub mod transitions;

/// Logistic function σ(x).
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + exp::exp(-x))
}

/// a^k by binary powering: the same multiplications in the same order as the runtime of
/// `f64::powi` (compiler-builtins `__powidf2`), so the result is bit-identical, but inlined and
/// without the library loop's data-dependent branches (multiplying by 1.0 is exact).
#[inline]
pub fn powi(a: f64, k: u32) -> f64 {
    let mut base = a;
    let mut acc = if k & 1 != 0 { a } else { 1.0 };
    let mut k = k >> 1;
    while k != 0 {
        base *= base;
        acc *= if k & 1 != 0 { base } else { 1.0 };
        k >>= 1;
    }
    acc
}

/// Soft-bounded gain x += r·(1 − x) applied k times: 1 − (1 − x)(1 − r)^k.
#[inline]
pub fn gain_k(x: f64, r: f64, k: u32) -> f64 {
    if k == 0 {
        x
    } else {
        1.0 - (1.0 - x) * powi(1.0 - r, k)
    }
}

/// Soft-bounded loss x −= r·x applied k times: x(1 − r)^k.
#[inline]
pub fn loss_k(x: f64, r: f64, k: u32) -> f64 {
    if k == 0 {
        x
    } else {
        x * powi(1.0 - r, k)
    }
}

/// Picks an index ∝ weight by a linear scan; `r` is uniform in [0, total). Rounding can carry
/// `r` past the last running sum: then the last index is picked.
#[inline]
pub fn weighted_pick(weights: &[f64], mut r: f64) -> usize {
    for (k, w) in weights.iter().enumerate() {
        if r < *w {
            return k;
        }
        r -= w;
    }
    weights.len() - 1
}

/// Draws an index ∝ weight (one uniform from `rng`); the weights must not be empty.
#[inline]
pub fn draw_weighted<R: rand::Rng>(weights: &[f64], rng: &mut R) -> usize {
    let total: f64 = weights.iter().sum();
    weighted_pick(weights, rng.gen::<f64>() * total)
}

/// Per-meeting scratch buffers, reused so the turn loop never allocates.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    /// Slot indices of persons present at this meeting.
    pub present: Vec<usize>,
    /// Participants who came to the last meeting drawn, whether or not it was held.
    pub participants_came: usize,
    /// Volunteers and staff who came to the last meeting drawn.
    pub locals_came: usize,
    /// Active participants when the last meeting's attendance was drawn.
    pub participants_active: usize,
    /// Speaking weight exp(β_e·e)·talkativeness of each present person.
    pub weight: Vec<f64>,
    /// Expectation value of each present person.
    pub expectation: Vec<f64>,
    /// Generic buffer (helper choice, agenda, Gini).
    pub buf: Vec<f64>,
    pub idx: Vec<usize>,
    /// The persons present a help round draws partners from (`help`).
    pub among: Vec<usize>,
    /// State of the turn loop (`talk::take_turns`).
    pub floor: talk::Floor,
    /// What perception reads of those present (`contact::perceive`).
    pub seen: contact::Seen,
}

impl Scratch {
    /// Draws one of the persons in `among` ∝ `weigh` (one uniform from `rng`; none, and no
    /// draw, when `among` is empty). Uses `buf`.
    #[inline(always)]
    pub fn draw_among<R: rand::Rng>(
        &mut self,
        rng: &mut R,
        weigh: impl FnMut(usize) -> f64,
    ) -> Option<usize> {
        if self.among.is_empty() {
            return None;
        }
        self.buf.clear();
        self.buf.extend(self.among.iter().copied().map(weigh));
        Some(self.among[draw_weighted(&self.buf, rng)])
    }

    /// Buffers for a group of `n` persons (so the meetings never allocate).
    pub fn with_capacity(n: usize) -> Scratch {
        Scratch {
            present: Vec::with_capacity(n),
            participants_came: 0,
            locals_came: 0,
            participants_active: 0,
            weight: Vec::with_capacity(n),
            expectation: Vec::with_capacity(n),
            buf: Vec::with_capacity(n),
            idx: Vec::with_capacity(n),
            among: Vec::with_capacity(n),
            floor: talk::Floor::with_capacity(n),
            seen: contact::Seen::with_capacity(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `powi` is bit-identical to `f64::powi` (what the model computed before).
    #[test]
    fn powi_matches_the_library_bit_for_bit() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        for _ in 0..20_000 {
            let a: f64 = match rng.gen_range(0..3) {
                0 => rng.gen::<f64>(),
                1 => 1.0 - rng.gen::<f64>() * 1e-3,
                _ => rng.gen::<f64>() * 4.0 - 2.0,
            };
            let k: u32 = rng.gen_range(0..600);
            let want = std::hint::black_box(a).powi(std::hint::black_box(k as i32));
            assert_eq!(powi(a, k).to_bits(), want.to_bits(), "{a}^{k}");
        }
        for k in 0..64 {
            assert_eq!(
                powi(0.0, k).to_bits(),
                0.0f64.powi(std::hint::black_box(k as i32)).to_bits()
            );
            assert_eq!(
                powi(-0.0, k).to_bits(),
                (-0.0f64).powi(std::hint::black_box(k as i32)).to_bits()
            );
        }
    }
}
