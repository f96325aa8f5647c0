//! Result tables: what a result file holds (named, typed columns and rows of cells),
//! independent of the format it is written in. Each result builds its tables; each format
//! ([`crate::output::export::Exporter`]) writes any table.

use anyhow::Result;

/// What a column holds; a typed format declares it, a text format writes cells by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers (indices, counts).
    Int,
    /// Measured or computed numbers; undefined values are NaN.
    Num,
    /// Text: names, keys, scenario values as written.
    Text,
}

/// A column: its name and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

impl Column {
    pub fn new(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }

    pub fn int(name: impl Into<String>) -> Column {
        Column::new(name, Kind::Int)
    }

    pub fn num(name: impl Into<String>) -> Column {
        Column::new(name, Kind::Num)
    }

    pub fn text(name: impl Into<String>) -> Column {
        Column::new(name, Kind::Text)
    }
}

/// One value of a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Int(i64),
    /// A measured or computed number; NaN or infinite means undefined.
    Num(f64),
    Text(&'a str),
    /// No value (a statistic without a confidence interval).
    Empty,
}

/// Receives the rows of a table, one at a time.
pub type Sink<'s> = dyn FnMut(&[Cell<'_>]) -> Result<()> + 's;

type Rows<'a> = Box<dyn Fn(&mut Sink<'_>) -> Result<()> + 'a>;

/// A result table: a name (the file stem every format writes it under), columns, and its rows,
/// produced on demand in order (a table of millions of rows never sits in memory whole).
pub struct Table<'a> {
    pub name: String,
    pub columns: Vec<Column>,
    rows: Rows<'a>,
}

impl<'a> Table<'a> {
    /// A table whose rows `rows` hands, in order, to the sink it is given.
    pub fn new(
        name: impl Into<String>,
        columns: Vec<Column>,
        rows: impl Fn(&mut Sink<'_>) -> Result<()> + 'a,
    ) -> Table<'a> {
        Table {
            name: name.into(),
            columns,
            rows: Box::new(rows),
        }
    }

    /// Hands every row, in order, to `sink`.
    pub fn for_each_row(&self, sink: &mut Sink<'_>) -> Result<()> {
        (self.rows)(sink)
    }
}
