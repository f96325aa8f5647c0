//! The exporter seam: a file format for result tables. Every result table is written in every
//! registered format ([`crate::output::formats::FORMATS`]), by run, compare, sweep, merge and
//! sensitivity alike.

use super::table::Table;
use anyhow::Result;

/// A file format for result tables.
pub trait Exporter: Sync {
    /// The file extension, without the dot.
    fn extension(&self) -> &'static str;
    /// The table's file content in this format.
    fn export(&self, table: &Table) -> Result<Vec<u8>>;
}
