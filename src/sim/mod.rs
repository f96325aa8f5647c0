//! The simulation engine: the weekly schedule of a group, the seeded streams, and the parallel
//! replicate runner.

pub mod engine;
pub mod replicates;
pub mod rng;

/// The event vocabulary moved to [`crate::mechanisms::events`] (the mechanisms emit it); this
/// path is kept for code that still names it here.
pub use crate::mechanisms::events;
