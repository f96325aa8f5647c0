//! The model: persons, groups (one activity's meeting circle with its beliefs and ties) and the
//! parameter table. Free of I/O: the scenario layer builds it, the engine runs it.

pub mod group;
pub mod params;
pub mod person;

pub use group::Group;
pub use params::Params;
pub use person::{Person, Status};
