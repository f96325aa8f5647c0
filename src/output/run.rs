//! The result tables of a run (docs/output-format.md): `timeseries`, `summary`, `final`, and
//! with `--keep-replicates` `replicates`, with `--per-group` `groups`.

use super::table::{Cell, Column, Table};
use crate::metrics::aggregate::RunAggregate;
use crate::metrics::{Row, INDICATORS};
use crate::stats::Summary;

/// Names of the statistics of the long tables, after their leading columns.
pub const STATS: [&str; 7] = ["mean", "sd", "ci_low", "ci_high", "p05", "p95", "n"];

/// Leading columns, then the statistics of [`STATS`].
fn long_columns(leading: &[Column]) -> Vec<Column> {
    let mut c = leading.to_vec();
    c.extend(STATS[..6].iter().map(|s| Column::num(*s)));
    c.push(Column::int(STATS[6]));
    c
}

fn push_summary<'a>(row: &mut Vec<Cell<'a>>, s: &Summary) {
    row.extend([s.mean, s.sd, s.ci_low, s.ci_high, s.p05, s.p95].map(Cell::Num));
    row.push(Cell::Int(s.n as i64));
}

/// Leading columns, then one column per indicator.
fn wide_columns(leading: &[Column]) -> Vec<Column> {
    let mut c = leading.to_vec();
    c.extend(INDICATORS.iter().map(|n| Column::num(*n)));
    c
}

fn push_values<'a>(row: &mut Vec<Cell<'a>>, values: &Row) {
    row.extend(values.iter().map(|x| Cell::Num(*x)));
}

/// `timeseries`: week, indicator, then the statistics across replicates.
pub fn timeseries(agg: &RunAggregate) -> Table<'_> {
    let columns = long_columns(&[Column::int("week"), Column::text("indicator")]);
    Table::new("timeseries", columns, move |sink| {
        let mut row = Vec::new();
        for week in 1..=agg.weeks {
            for (k, name) in INDICATORS.iter().enumerate() {
                row.clear();
                row.extend([Cell::Int(week as i64), Cell::Text(name)]);
                push_summary(&mut row, &agg.week_summary(week, k));
                sink(&row)?;
            }
        }
        Ok(())
    })
}

/// `summary`: scope (`final_week`, `run_mean`), indicator, then the statistics.
pub fn summary(agg: &RunAggregate) -> Table<'_> {
    let columns = long_columns(&[Column::text("scope"), Column::text("indicator")]);
    Table::new("summary", columns, move |sink| {
        let mut row = Vec::new();
        for (scope, stats) in [("final_week", &agg.final_week), ("run_mean", &agg.run_mean)] {
            for (k, name) in INDICATORS.iter().enumerate() {
                row.clear();
                row.extend([Cell::Text(scope), Cell::Text(name)]);
                push_summary(&mut row, &stats[k].summary());
                sink(&row)?;
            }
        }
        Ok(())
    })
}

/// `final`: replicate, then every indicator at the final week.
pub fn finals(agg: &RunAggregate) -> Table<'_> {
    Table::new(
        "final",
        wide_columns(&[Column::int("replicate")]),
        move |sink| {
            let mut row = Vec::new();
            for (r, values) in &agg.finals {
                row.clear();
                row.push(Cell::Int(*r as i64));
                push_values(&mut row, values);
                sink(&row)?;
            }
            Ok(())
        },
    )
}

/// `replicates`: replicate, week, then every indicator (only when series were kept).
pub fn replicates(agg: &RunAggregate) -> Option<Table<'_>> {
    let kept = agg.kept.as_ref()?;
    let columns = wide_columns(&[Column::int("replicate"), Column::int("week")]);
    Some(Table::new("replicates", columns, move |sink| {
        let mut row = Vec::new();
        for (r, rows) in kept {
            for (w, values) in rows.iter().enumerate() {
                row.clear();
                row.extend([Cell::Int(*r as i64), Cell::Int(w as i64 + 1)]);
                push_values(&mut row, values);
                sink(&row)?;
            }
        }
        Ok(())
    }))
}

/// `groups`: group, activity, week, indicator, then the statistics across replicates (only
/// with `--per-group`). `labels` gives (activity key, index within activity) of each group.
pub fn groups<'a>(agg: &'a RunAggregate, labels: &'a [(String, u32)]) -> Option<Table<'a>> {
    let groups = agg.groups.as_ref()?;
    let columns = long_columns(&[
        Column::int("group"),
        Column::text("activity"),
        Column::int("week"),
        Column::text("indicator"),
    ]);
    Some(Table::new("groups", columns, move |sink| {
        let mut row = Vec::new();
        for ((key, gi), stats) in labels.iter().zip(groups) {
            for week in 1..=agg.weeks {
                for (k, name) in INDICATORS.iter().enumerate() {
                    row.clear();
                    row.extend([
                        Cell::Int(*gi as i64),
                        Cell::Text(key),
                        Cell::Int(week as i64),
                        Cell::Text(name),
                    ]);
                    let at = (week as usize - 1) * INDICATORS.len() + k;
                    push_summary(&mut row, &stats[at].summary());
                    sink(&row)?;
                }
            }
        }
        Ok(())
    }))
}

/// Every table of a run, in the order they are written.
pub fn tables<'a>(agg: &'a RunAggregate, labels: &'a [(String, u32)]) -> Vec<Table<'a>> {
    let mut t = vec![timeseries(agg), summary(agg), finals(agg)];
    t.extend(replicates(agg));
    t.extend(groups(agg, labels));
    t
}
