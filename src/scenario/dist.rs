//! Trait distributions and label choices of scenario populations.

use rand::Rng;
use rand_distr::{Beta, Distribution, Normal, Triangular, Uniform};
use serde::Serialize;
use std::collections::BTreeMap;

/// A trait value: a constant or a distribution. Draws are clamped to [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dist {
    Const(f64),
    Uniform(f64, f64),
    Beta(f64, f64),
    /// Normal(mean, sd), clamped to [0, 1].
    Normal(f64, f64),
    Triangular(f64, f64, f64),
}

impl Dist {
    /// Draws one value in [0, 1]. Parameters were checked by validation, so constructors cannot fail.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.draw(rng).clamp(0.0, 1.0)
    }

    /// Draws one value, not clamped (a prior's draw; a trait's is [`Dist::sample`]).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Const(v) => v,
            Dist::Uniform(lo, hi) => {
                if lo == hi {
                    lo
                } else {
                    Uniform::new_inclusive(lo, hi).sample(rng)
                }
            }
            Dist::Beta(a, b) => Beta::new(a, b).map(|d| d.sample(rng)).unwrap_or(0.5),
            Dist::Normal(m, sd) => Normal::new(m, sd).map(|d| d.sample(rng)).unwrap_or(m),
            Dist::Triangular(lo, mode, hi) => {
                if lo == hi {
                    lo
                } else {
                    Triangular::new(lo, hi, mode)
                        .map(|d| d.sample(rng))
                        .unwrap_or(mode)
                }
            }
        }
    }

    /// The density at `x` up to a constant factor (the same for every `x`), not clamped: 0
    /// outside the support; a constant has none (0 everywhere).
    pub fn density(&self, x: f64) -> f64 {
        if !x.is_finite() {
            return 0.0;
        }
        match *self {
            Dist::Const(_) => 0.0,
            Dist::Uniform(lo, hi) => f64::from(u8::from(lo <= x && x <= hi)),
            Dist::Beta(a, b) if (0.0..=1.0).contains(&x) => {
                x.powf(a - 1.0) * (1.0 - x).powf(b - 1.0)
            }
            Dist::Beta(..) => 0.0,
            Dist::Normal(m, sd) if sd > 0.0 => (-0.5 * ((x - m) / sd).powi(2)).exp(),
            Dist::Normal(..) => 0.0,
            Dist::Triangular(lo, mode, hi) => {
                if x < lo || x > hi || lo == hi {
                    0.0
                } else if x < mode {
                    (x - lo) / (mode - lo)
                } else if x > mode {
                    (hi - x) / (hi - mode)
                } else {
                    1.0
                }
            }
        }
    }

    /// The `p`-quantile (0 < p < 1) where it has a closed form or a short search: uniform and
    /// triangular exactly, normal through its quantile function, beta by bisection on the
    /// integrated density. Used to describe priors (their central 90 %).
    pub fn quantile(&self, p: f64) -> f64 {
        match *self {
            Dist::Const(v) => v,
            Dist::Uniform(lo, hi) => lo + p * (hi - lo),
            Dist::Normal(m, sd) => m + sd * crate::stats::normal_quantile(p),
            Dist::Triangular(lo, mode, hi) => {
                let f = if hi > lo {
                    (mode - lo) / (hi - lo)
                } else {
                    0.5
                };
                if p < f {
                    lo + (p * (hi - lo) * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - p) * (hi - lo) * (hi - mode)).sqrt()
                }
            }
            Dist::Beta(..) => {
                // The CDF by the midpoint rule on 4000 cells, then the first cell reaching p.
                let n = 4000;
                let cells: Vec<f64> = (0..n)
                    .map(|i| self.density((i as f64 + 0.5) / n as f64))
                    .collect();
                let total: f64 = cells.iter().sum();
                let mut acc = 0.0;
                for (i, c) in cells.iter().enumerate() {
                    acc += c / total;
                    if acc >= p {
                        return (i as f64 + 0.5) / n as f64;
                    }
                }
                1.0
            }
        }
    }

    /// Mean of the distribution before clamping.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Const(v) => v,
            Dist::Uniform(lo, hi) => (lo + hi) / 2.0,
            Dist::Beta(a, b) => a / (a + b),
            Dist::Normal(m, _) => m,
            Dist::Triangular(lo, mode, hi) => (lo + mode + hi) / 3.0,
        }
    }
}

/// A label: fixed, or drawn from weighted choices.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    Fixed(String),
    Choice {
        options: Vec<String>,
        weights: Vec<f64>,
    },
}

impl Label {
    /// Draws one label (index into `options` for a choice, 0 for a fixed label).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> &str {
        match self {
            Label::Fixed(s) => s,
            Label::Choice { options, weights } => {
                let total: f64 = weights.iter().sum();
                let mut u = rng.gen::<f64>() * total;
                for (o, w) in options.iter().zip(weights) {
                    if u < *w {
                        return o;
                    }
                    u -= w;
                }
                options.last().map(String::as_str).unwrap_or("")
            }
        }
    }

    /// Every label this may produce.
    pub fn options(&self) -> Vec<&str> {
        match self {
            Label::Fixed(s) => vec![s.as_str()],
            Label::Choice { options, .. } => options.iter().map(String::as_str).collect(),
        }
    }
}

/// A population's categorical attributes (`attributes.gender = "woman"`, or a weighted choice),
/// by attribute name. Each person of the population draws one value of each.
pub type Attributes = BTreeMap<String, Label>;
