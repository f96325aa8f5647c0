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
        let x = match *self {
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
        };
        x.clamp(0.0, 1.0)
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
