//! The result tables of a run (docs/output-format.md): `timeseries`, `summary`, `final`, and
//! with `--keep-replicates` `replicates`, with `--per-group` `groups`. Every table is long: one
//! row per (indicator, lens) of the run's layout.

use super::table::{Cell, Column, Sink, Table};
use crate::metrics::aggregate::RunAggregate;
use crate::metrics::{Layout, Row};
use crate::stats::Summary;

/// Names of the statistics of the long tables, after their leading columns.
pub const STATS: [&str; 7] = ["mean", "sd", "ci_low", "ci_high", "p05", "p95", "n"];

/// The two columns every table has after its leading ones: `indicator` and `lens`.
pub const SERIES: [&str; 2] = ["indicator", "lens"];

/// Leading columns, `indicator`, `lens`, then the statistics of [`STATS`].
fn long_columns(leading: &[Column]) -> Vec<Column> {
    let mut c = leading.to_vec();
    c.extend(SERIES.map(Column::text));
    c.extend(STATS[..6].iter().map(|s| Column::num(*s)));
    c.push(Column::int(STATS[6]));
    c
}

/// Leading columns, `indicator`, `lens`, `value`.
pub(crate) fn value_columns(leading: &[Column]) -> Vec<Column> {
    let mut c = leading.to_vec();
    c.extend(SERIES.map(Column::text));
    c.push(Column::num("value"));
    c
}

fn push_summary<'a>(row: &mut Vec<Cell<'a>>, s: &Summary) {
    row.extend([s.mean, s.sd, s.ci_low, s.ci_high, s.p05, s.p95].map(Cell::Num));
    row.push(Cell::Int(s.n as i64));
}

/// Hands one row per series of `layout` to `sink`: the leading cells, indicator, lens, then the
/// statistics `summary(k)` of the `k`-th series.
fn summary_rows(
    sink: &mut Sink<'_>,
    layout: &Layout,
    leading: &[Cell<'_>],
    summary: impl Fn(usize) -> Summary,
) -> anyhow::Result<()> {
    let mut row = Vec::with_capacity(leading.len() + 2 + STATS.len());
    for (k, s) in layout.series.iter().enumerate() {
        row.clear();
        row.extend_from_slice(leading);
        row.extend([Cell::Text(s.name()), Cell::Text(&s.lens_name)]);
        push_summary(&mut row, &summary(k));
        sink(&row)?;
    }
    Ok(())
}

/// Hands one row per series of `values` to `sink`: the leading cells, indicator, lens, value.
pub(crate) fn value_rows(
    sink: &mut Sink<'_>,
    layout: &Layout,
    leading: &[Cell<'_>],
    values: &Row,
) -> anyhow::Result<()> {
    let mut row = Vec::with_capacity(leading.len() + 3);
    for (s, x) in layout.series.iter().zip(values) {
        row.clear();
        row.extend_from_slice(leading);
        row.extend([
            Cell::Text(s.name()),
            Cell::Text(&s.lens_name),
            Cell::Num(*x),
        ]);
        sink(&row)?;
    }
    Ok(())
}

/// `timeseries`: week, indicator, lens, then the statistics across replicates.
pub fn timeseries(agg: &RunAggregate) -> Table<'_> {
    let columns = long_columns(&[Column::int("week")]);
    Table::new("timeseries", columns, move |sink| {
        for week in 1..=agg.weeks {
            let leading = [Cell::Int(week as i64)];
            summary_rows(sink, &agg.layout, &leading, |k| agg.week_summary(week, k))?;
        }
        Ok(())
    })
}

/// `summary`: scope (`final_week`, `run_mean`), indicator, lens, then the statistics.
pub fn summary(agg: &RunAggregate) -> Table<'_> {
    let columns = long_columns(&[Column::text("scope")]);
    Table::new("summary", columns, move |sink| {
        for (scope, stats) in [("final_week", &agg.final_week), ("run_mean", &agg.run_mean)] {
            summary_rows(sink, &agg.layout, &[Cell::Text(scope)], |k| {
                stats[k].summary()
            })?;
        }
        Ok(())
    })
}

/// `final`: replicate, indicator, lens, value at the final week.
pub fn finals(agg: &RunAggregate) -> Table<'_> {
    let columns = value_columns(&[Column::int("replicate")]);
    Table::new("final", columns, move |sink| {
        for (r, values) in &agg.finals {
            value_rows(sink, &agg.layout, &[Cell::Int(*r as i64)], values)?;
        }
        Ok(())
    })
}

/// `replicates`: replicate, week, indicator, lens, value (only when series were kept).
pub fn replicates(agg: &RunAggregate) -> Option<Table<'_>> {
    let kept = agg.kept.as_ref()?;
    let columns = value_columns(&[Column::int("replicate"), Column::int("week")]);
    Some(Table::new("replicates", columns, move |sink| {
        for (r, rows) in kept {
            for (w, values) in rows.iter().enumerate() {
                let leading = [Cell::Int(*r as i64), Cell::Int(w as i64 + 1)];
                value_rows(sink, &agg.layout, &leading, values)?;
            }
        }
        Ok(())
    }))
}

/// `groups`: group, activity, week, indicator, lens, then the statistics across replicates
/// (only with `--per-group`). `labels` gives (activity key, index within activity) of each
/// group. Counts are those of the one group.
pub fn groups<'a>(agg: &'a RunAggregate, labels: &'a [(String, u32)]) -> Option<Table<'a>> {
    let groups = agg.groups.as_ref()?;
    let columns = long_columns(&[
        Column::int("group"),
        Column::text("activity"),
        Column::int("week"),
    ]);
    let width = agg.layout.len();
    Some(Table::new("groups", columns, move |sink| {
        for ((key, gi), stats) in labels.iter().zip(groups) {
            for week in 1..=agg.weeks {
                let leading = [
                    Cell::Int(*gi as i64),
                    Cell::Text(key),
                    Cell::Int(week as i64),
                ];
                let first = (week as usize - 1) * width;
                summary_rows(sink, &agg.layout, &leading, |k| stats[first + k].summary())?;
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
