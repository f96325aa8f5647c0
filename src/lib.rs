//! dugnad: an agent-based simulator of how volunteers and immigrant participants interact in
//! voluntary integration activities, after Stein (2022, NJMR 12(1), doi 10.33134/njmr.436).
//!
//! Data flows one way: `scenario` (parse, override, validate) → `model` (agents, groups, the
//! parameter table) → `sim` (the weekly schedule, seeded streams, parallel replicates) →
//! `metrics` (weekly indicators, aggregation across replicates) → `output` (result tables in
//! every format, manifests, the result folder) → `experiment` (comparisons, sweeps,
//! sensitivity) → `present` (charts and reports) → `commands` (parse → plan → run → write).

pub mod bench;
pub mod calibration;
pub mod cli;
pub mod commands;
pub mod experiment;
pub mod lang;
pub mod limits;
pub mod mechanisms;
pub mod metrics;
pub mod model;
pub mod output;
pub mod present;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod teach;
