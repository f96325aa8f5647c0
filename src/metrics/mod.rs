//! Metrics: what is observed each week (sums per group), the indicator row computed from pooled
//! sums, and the aggregation of rows across replicates.

pub mod aggregate;
pub mod indicators;
pub mod observe;

pub use indicators::{indicator_index, indicator_row, Row, INDICATORS, N_INDICATORS};
pub use observe::WeekTally;
