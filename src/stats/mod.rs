//! Statistics for replicate summaries, scenario comparisons, inequality, sampling designs and
//! global sensitivity analysis. Pure, allocation-light and deterministic given inputs and seeds.

pub mod ci;
pub mod online;
mod special;

pub use ci::{mean_ci, normal_quantile, paired_difference, t_quantile, PairedDiff};
pub use online::{summarize, OnlineStats, Summary};
