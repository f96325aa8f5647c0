//! The CSV format: comma-separated, a header line of column names, one line per row, every
//! line ending in `\n`. Numbers are written by [`num`] (6 decimals, NA when undefined), text quoted only when it holds a comma, a quote or a line break.

use super::export::Exporter;
pub use super::number::num;
use super::table::{Cell, Column, Kind, Table};
use anyhow::{anyhow, Result};

/// The CSV exporter.
pub struct Csv;

impl Exporter for Csv {
    fn extension(&self) -> &'static str {
        "csv"
    }

    fn export(&self, table: &Table) -> Result<Vec<u8>> {
        let mut out = header(&table.columns);
        out.push('\n');
        table.for_each_row(&mut |cells| {
            push_row(&mut out, cells);
            Ok(())
        })?;
        Ok(out.into_bytes())
    }
}

/// A table's bytes as CSV.
pub fn to_bytes(table: &Table) -> Result<Vec<u8>> {
    Csv.export(table)
}

/// Quotes a field when it holds a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The header line (without newline).
pub fn header(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| field(&c.name))
        .collect::<Vec<_>>()
        .join(",")
}

fn push_row(out: &mut String, cells: &[Cell]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match *cell {
            Cell::Int(i) => out.push_str(&i.to_string()),
            Cell::Num(x) => out.push_str(&num(x)),
            Cell::Text(s) => out.push_str(&field(s)),
            Cell::Empty => {}
        }
    }
    out.push('\n');
}

/// Reads the rows of CSV text without its header line back into cells of `columns`' kinds
/// (`NA` is an undefined number, an empty field no value), handing each to `row`. Fails on a
/// row of the wrong length or a value its column cannot hold.
pub fn read_rows(
    text: &str,
    columns: &[Column],
    row: &mut dyn FnMut(&[Cell]) -> Result<()>,
) -> Result<()> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    let mut line = 0;
    while reader.read_record(&mut record)? {
        line += 1;
        if record.len() != columns.len() {
            return Err(anyhow!(
                "row {line} has {} fields, not {}",
                record.len(),
                columns.len()
            ));
        }
        let cells = record
            .iter()
            .zip(columns)
            .map(|(value, column)| parse_cell(value, column))
            .collect::<Result<Vec<Cell>>>()
            .map_err(|e| anyhow!("row {line}: {e}"))?;
        row(&cells)?;
    }
    Ok(())
}

fn parse_cell<'a>(value: &'a str, column: &Column) -> Result<Cell<'a>> {
    let bad = || anyhow!("{} is not a value of column {}", value, column.name);
    Ok(match column.kind {
        Kind::Text => Cell::Text(value),
        _ if value.is_empty() => Cell::Empty,
        Kind::Int => Cell::Int(value.parse().map_err(|_| bad())?),
        Kind::Num if value == "NA" => Cell::Num(f64::NAN),
        Kind::Num => Cell::Num(value.parse().map_err(|_| bad())?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table<'static> {
        let columns = vec![
            Column::int("cell"),
            Column::text("key,with comma"),
            Column::num("mean"),
            Column::num("x"),
            Column::num("ci"),
        ];
        Table::new("t", columns, |sink| {
            sink(&[
                Cell::Int(3),
                Cell::Text("{beta=[2,2]}"),
                Cell::Num(1.0 / 3.0),
                Cell::Num(0.1 + 0.2),
                Cell::Empty,
            ])?;
            sink(&[
                Cell::Int(-1),
                Cell::Text("a\"b"),
                Cell::Num(f64::NAN),
                Cell::Num(2.0),
                Cell::Num(0.5),
            ])
        })
    }

    #[test]
    fn tables_are_written_with_quoting_na_and_empty_fields() {
        let text = String::from_utf8(to_bytes(&table()).unwrap()).unwrap();
        assert_eq!(
            text,
            "cell,\"key,with comma\",mean,x,ci\n\
             3,\"{beta=[2,2]}\",0.333333,0.3,\n\
             -1,\"a\"\"b\",NA,2,0.5\n"
        );
    }

    #[test]
    fn written_rows_read_back_to_the_same_bytes() {
        let t = table();
        let text = String::from_utf8(to_bytes(&t).unwrap()).unwrap();
        let body = text.split_once('\n').unwrap().1.to_string();
        let columns = t.columns.clone();
        let again = Table::new("t", columns.clone(), move |sink| {
            read_rows(&body, &columns, sink)
        });
        assert_eq!(to_bytes(&again).unwrap(), text.as_bytes());
        let columns = t.columns.clone();
        let bad = read_rows("x,a,1,1.0,\n", &columns, &mut |_| Ok(()));
        assert!(bad.unwrap_err().to_string().contains("column cell"));
        assert!(read_rows("1,a\n", &columns, &mut |_| Ok(())).is_err());
    }

    #[test]
    fn csv_fields_with_commas_are_quoted() {
        assert_eq!(field("{beta=[2,2]}"), "\"{beta=[2,2]}\"");
        assert_eq!(field("a\"b,"), "\"a\"\"b,\"");
        assert_eq!(field("0.5"), "0.5");
    }
}
