//! The simulation engine: the weekly schedule of a group, the seeded streams, and the parallel
//! replicate runner.

pub mod engine;
pub mod events;
pub mod replicates;
pub mod rng;
