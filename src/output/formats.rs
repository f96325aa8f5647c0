//! The formats results are written in, and the one function every command writes its tables
//! with.
//!
//! Adding a format (Parquet, Arrow, ...) is one module implementing
//! [`crate::output::export::Exporter`] and one line in [`FORMATS`]; no command changes.

use super::csv::Csv;
use super::export::Exporter;
use super::table::Table;
use anyhow::Result;

/// Every format results are written in.
pub const FORMATS: &[&dyn Exporter] = &[&Csv];

/// Writes each table in each format as `<name>.<extension>` through `write(file, bytes)`, then
/// in each format the folder's codebook (every column of the tables written, every indicator
/// and lens: [`super::codebook`]); returns the file names in the order written.
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
    for format in FORMATS {
        let book = super::codebook::codebook(tables, format.extension());
        let file = format!("{}.{}", book.name, format.extension());
        write(&file, &format.export(&book)?)?;
        files.push(file);
    }
    Ok(files)
}
