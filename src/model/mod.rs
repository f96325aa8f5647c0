//! The model: persons, groups (one activity's meeting circle with its beliefs and ties), designs
//! (an activity compiled with its design quantities) and the parameter table. Free of I/O: the scenario layer builds it, the engine runs it.

pub mod design;
pub mod group;
pub mod params;
pub mod person;

pub use design::Design;
pub use group::Group;
pub use params::Params;
pub use person::{Person, Status, StatusCues};
