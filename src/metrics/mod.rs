//! Metrics: who an indicator describes (`lens`: the four person classes, `all`, attribute and
//! origin lenses), what is observed each week (`observe`: sums per group and lens), the
//! indicator table (`indicators`: one declaration per indicator), the series of a scenario and
//! the row computed from pooled sums (`series`), and the aggregation of rows across replicates
//! (`aggregate`).

pub mod aggregate;
pub mod indicators;
pub mod lens;
pub mod observe;
pub mod series;
pub mod snapshot;

pub use indicators::{
    indicator, indicator_index, indicator_names, Indicator, INDICATORS, N_INDICATORS,
};
pub use observe::{Observer, WeekTally};
pub use series::{Layout, Row};
