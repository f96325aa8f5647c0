//! The parameter table lives with the scenario contract, in [`crate::scenario::params`]; this
//! path re-exports it so that `crate::model::params::{Params, PARAMS, ...}` keeps working.

pub use crate::scenario::params::*;
