//! The exporter seam: every result table is written in every registered format, by run,
//! compare, sweep, merge and sensitivity alike.
//!
//! Adding a format (Parquet, Arrow, ...) is one module implementing [`Exporter`] and one line
//! in [`FORMATS`]; no command changes.

use super::csv::Csv;
use super::table::Table;
use anyhow::Result;

/// A file format for result tables.
pub trait Exporter: Sync {
    /// The file extension, without the dot.
    fn extension(&self) -> &'static str;
    /// The table's file content in this format.
    fn export(&self, table: &Table) -> Result<Vec<u8>>;
}

/// Every format results are written in.
pub const FORMATS: &[&dyn Exporter] = &[&Csv];

/// Writes each table in each format as `<name>.<extension>` through `write(file, bytes)`;
/// returns the file names in the order written.
pub fn write_tables(
    tables: &[Table],
    mut write: impl FnMut(&str, &[u8]) -> Result<()>,
) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for table in tables {
        for format in FORMATS {
            let file = format!("{}.{}", table.name, format.extension());
            write(&file, &format.export(table)?)?;
            files.push(file);
        }
    }
    Ok(files)
}
