//! Output: the only I/O of a run. CSV exporters return bytes; results go to a temporary folder
//! that is renamed into place; charts and the report are drawn from the written files.

pub mod atomic;
pub mod charts;
pub mod csv;
pub mod manifest;
pub mod report;
