//! Statistics for replicate summaries (exact and sketched percentiles), scenario comparisons,
//! inequality, sampling designs, global sensitivity analysis and the arithmetic of ABC-SMC. Pure, deterministic given inputs and seeds, no I/O.

pub mod abc;
pub mod ci;
pub mod gini;
pub mod online;
pub mod quantile;
pub mod sampling;
pub mod sensitivity;
mod special;

pub use ci::{mean_ci, normal_quantile, paired_difference, t_quantile, PairedDiff};
pub use gini::{gini, gini_sorted};
pub use online::{quantile_type7, summarize, OnlineStats, Summary};
pub use quantile::QuantileSketch;
pub use sampling::{lhs, sobol, SOBOL_MAX_DIMS};
pub use sensitivity::{
    morris_analyze, morris_delta, morris_design, morris_indices, morris_indices_seeded,
    noise_share, replicate_means, saltelli_design, scale_points, sobol_analyze, sobol_indices,
    sobol_indices_noisy, Imprecision, MorrisIndex, SaltelliDesign, SobolIndex, SobolOptions,
    SobolResult, SobolWarning,
};
