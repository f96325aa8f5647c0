//! One module per mechanism of MODEL.md §3, each function named after what it models, with its
//! equation and source in a one-line comment. Mechanisms change the model; they never do I/O.

pub mod agenda;
pub mod attendance;
pub mod contact;
pub mod help;
pub mod learning;
pub mod retention;
pub mod talk;
pub mod transitions;

/// Logistic function σ(x).
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Soft-bounded gain x += r·(1 − x) applied k times: 1 − (1 − x)(1 − r)^k.
#[inline]
pub fn gain_k(x: f64, r: f64, k: u32) -> f64 {
    if k == 0 {
        x
    } else {
        1.0 - (1.0 - x) * (1.0 - r).powi(k as i32)
    }
}

/// Soft-bounded loss x −= r·x applied k times: x(1 − r)^k.
#[inline]
pub fn loss_k(x: f64, r: f64, k: u32) -> f64 {
    if k == 0 {
        x
    } else {
        x * (1.0 - r).powi(k as i32)
    }
}

/// Per-meeting scratch buffers, reused so the turn loop never allocates.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    /// Slot indices of persons present at this meeting.
    pub present: Vec<usize>,
    /// Speaking weight exp(β_e·e)·talkativeness of each present person.
    pub weight: Vec<f64>,
    /// Expectation value of each present person.
    pub expectation: Vec<f64>,
    /// Generic buffer (helper choice, agenda, Gini).
    pub buf: Vec<f64>,
    pub idx: Vec<usize>,
    /// State of the turn loop (`talk::take_turns`).
    pub floor: talk::Floor,
}
