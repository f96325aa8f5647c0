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

/// A result file held in memory: its name and its bytes, exactly as [`write_tables`] writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Each table in each format, in memory, in the order [`write_tables`] writes them (for a
/// program that wants a result's files without a folder, e.g. the Python package).
pub fn export_tables(tables: &[Table]) -> Result<Vec<File>> {
    let mut files = Vec::new();
    write_tables(tables, |name, bytes| {
        files.push(File {
            name: name.to_string(),
            bytes: bytes.to_vec(),
        });
        Ok(())
    })?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::table::{Cell, Column};

    #[test]
    fn tables_in_memory_are_the_bytes_written() {
        let t = Table::new("t", vec![Column::int("a"), Column::num("x")], |sink| {
            sink(&[Cell::Int(1), Cell::Num(0.5)])?;
            sink(&[Cell::Int(2), Cell::Num(f64::NAN)])
        });
        let mut written = Vec::new();
        let names = write_tables(std::slice::from_ref(&t), |f, b| {
            written.push((f.to_string(), b.to_vec()));
            Ok(())
        })
        .unwrap();
        let files = export_tables(&[t]).unwrap();
        assert_eq!(names, ["t.csv", "codebook.csv"]);
        assert_eq!(files.len(), written.len());
        for (f, (name, bytes)) in files.iter().zip(&written) {
            assert_eq!((&f.name, &f.bytes), (name, bytes));
        }
        assert_eq!(files[0].bytes, b"a,x\n1,0.5\n2,NA\n");
    }
}
