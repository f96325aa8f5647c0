//! Reading a run folder's files (docs/output-format.md) into plain data. No drawing here.
//!
//! Every series is an (indicator, lens) pair. Parsing is tolerant: columns are found by header
//! name, `NA` (or an empty or non-finite cell) becomes `None`, unknown columns are ignored, and
//! a missing optional file gives an empty table rather than an error. A folder of an older
//! result format (no `lens` column, or a manifest of another `format_version`) is refused with
//! a message saying how to get a current one.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Statistics across replicates of one indicator: the statistic columns that `timeseries.csv`
/// and `summary.csv` share.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    /// Replicates in which the value was defined.
    pub n: u32,
}

/// One indicator's statistics in one week (a `timeseries.csv` row).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekStat {
    pub week: u32,
    pub stats: Stats,
}

/// An (indicator, lens) pair.
pub type Key = (String, String);

/// `timeseries.csv`: per (indicator, lens), its weekly statistics sorted by week.
#[derive(Debug, Clone, Default)]
pub struct TimeSeries {
    /// The series in the order they first appear in the file.
    pub indicators: Vec<Key>,
    pub by_indicator: BTreeMap<Key, Vec<WeekStat>>,
}

impl TimeSeries {
    /// Weekly statistics of an indicator at a lens (empty if absent).
    pub fn get(&self, name: &str, lens: &str) -> &[WeekStat] {
        self.by_indicator
            .get(&(name.to_string(), lens.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether a series has a defined mean in some week.
    pub fn has_data(&self, name: &str, lens: &str) -> bool {
        self.get(name, lens).iter().any(|s| s.stats.mean.is_some())
    }

    /// First and last week present in the file.
    pub fn week_range(&self) -> Option<(u32, u32)> {
        let weeks = self.by_indicator.values().flatten().map(|s| s.week);
        let (mut lo, mut hi) = (u32::MAX, 0);
        let mut any = false;
        for w in weeks {
            any = true;
            lo = lo.min(w);
            hi = hi.max(w);
        }
        any.then_some((lo, hi))
    }

    /// Largest `n` in the file: the number of replicates that contributed.
    pub fn max_n(&self) -> u32 {
        self.by_indicator
            .values()
            .flatten()
            .map(|s| s.stats.n)
            .max()
            .unwrap_or(0)
    }
}

/// One `summary.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// `final_week` or `run_mean`.
    pub scope: String,
    pub indicator: String,
    pub lens: String,
    pub stats: Stats,
}

/// `final.csv`: every replicate's final-week value of each (indicator, lens).
#[derive(Debug, Clone, Default)]
pub struct FinalTable {
    /// The series, in file order.
    pub columns: Vec<Key>,
    pub replicates: Vec<String>,
    /// `rows[r][c]` = value of `columns[c]` in replicate `replicates[r]`.
    pub rows: Vec<Vec<Option<f64>>>,
}

impl FinalTable {
    /// One series' values over replicates (`None` where NA); empty if absent.
    pub fn column(&self, name: &str, lens: &str) -> Vec<Option<f64>> {
        match self.columns.iter().position(|c| c.0 == name && c.1 == lens) {
            Some(i) => self
                .rows
                .iter()
                .map(|r| r.get(i).copied().flatten())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Defined values of a series over replicates.
    pub fn values(&self, name: &str, lens: &str) -> Vec<f64> {
        self.column(name, lens).into_iter().flatten().collect()
    }

    /// Pairs (x, y) of two indicators at one lens for replicates where both are defined.
    pub fn pairs(&self, x: &str, y: &str, lens: &str) -> Vec<(f64, f64)> {
        self.column(x, lens)
            .into_iter()
            .zip(self.column(y, lens))
            .filter_map(|(a, b)| Some((a?, b?)))
            .collect()
    }
}

/// A scheduled change as the charts mark it: from the start of `week`, `label`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub week: u32,
    pub label: String,
}

/// Everything the charts and the report read from a run folder.
#[derive(Debug, Clone, Default)]
pub struct RunData {
    pub timeseries: TimeSeries,
    pub summary: Vec<SummaryRow>,
    pub final_table: FinalTable,
    /// `manifest.json`, if present and valid JSON.
    pub manifest: Option<Value>,
}

impl RunData {
    /// Reads a run folder. Fails only if the folder has neither `timeseries.csv` nor
    /// `final.csv` (not a run folder) or a present file cannot be read or parsed as CSV.
    pub fn load(dir: &Path) -> Result<RunData> {
        let ts_path = dir.join("timeseries.csv");
        let final_path = dir.join("final.csv");
        if !ts_path.is_file() && !final_path.is_file() {
            bail!(
                "{} is not a run folder: it has neither timeseries.csv nor final.csv",
                dir.display()
            );
        }
        check_format(dir)?;
        let timeseries = match open_opt(&ts_path)? {
            Some(f) => {
                parse_timeseries(f).with_context(|| format!("reading {}", ts_path.display()))?
            }
            None => TimeSeries::default(),
        };
        let summary_path = dir.join("summary.csv");
        let summary = match open_opt(&summary_path)? {
            Some(f) => {
                parse_summary(f).with_context(|| format!("reading {}", summary_path.display()))?
            }
            None => Vec::new(),
        };
        let final_table = match open_opt(&final_path)? {
            Some(f) => {
                parse_final(f).with_context(|| format!("reading {}", final_path.display()))?
            }
            None => FinalTable::default(),
        };
        let manifest_path = dir.join("manifest.json");
        let manifest = match std::fs::read_to_string(&manifest_path) {
            Ok(s) => serde_json::from_str(&s).ok(),
            Err(_) => None,
        };
        Ok(RunData {
            timeseries,
            summary,
            final_table,
            manifest,
        })
    }

    /// Number of replicates: the manifest's `replicates`, else the largest `n` seen.
    pub fn replicates(&self) -> u64 {
        self.manifest
            .as_ref()
            .and_then(|m| m.get("replicates"))
            .and_then(Value::as_u64)
            .unwrap_or_else(|| {
                (self.timeseries.max_n() as u64).max(self.final_table.replicates.len() as u64)
            })
    }

    /// The scheduled changes from the manifest (`scenario.schedule`): one mark per week in
    /// which something changes, its entries' labels joined, in week order.
    pub fn schedule_marks(&self) -> Vec<Mark> {
        let Some(entries) = self
            .manifest
            .as_ref()
            .and_then(|m| m.pointer("/scenario/schedule"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        let mut marks: Vec<Mark> = Vec::new();
        let mut list: Vec<(u32, String)> = entries
            .iter()
            .filter_map(|e| {
                let week = e.get("week").and_then(Value::as_u64)? as u32;
                let label = e
                    .get("label")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                Some((week, label))
            })
            .collect();
        list.sort_by_key(|(w, _)| *w);
        for (week, label) in list {
            match marks.last_mut() {
                Some(m) if m.week == week => {
                    m.label.push_str("; ");
                    m.label.push_str(&label);
                }
                _ => marks.push(Mark { week, label }),
            }
        }
        marks
    }

    /// The scenario's name from the manifest, if any.
    pub fn scenario_name(&self) -> Option<String> {
        let m = self.manifest.as_ref()?;
        m.pointer("/scenario/name")
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// The last week of the run (manifest `weeks`, else the last week in the time series).
    pub fn final_week(&self) -> Option<u64> {
        self.manifest
            .as_ref()
            .and_then(|m| m.get("weeks"))
            .and_then(Value::as_u64)
            .or_else(|| self.timeseries.week_range().map(|(_, hi)| hi as u64))
    }

    /// The last week in words, in `lang`: `week 20`, or `the final week` when unknown.
    pub fn final_week_words(&self, lang: crate::lang::Lang) -> String {
        match self.final_week() {
            Some(w) => crate::lang::fill(lang, "report.week_n", &[("n", &w)]),
            None => lang.tr("report.the_final_week").to_string(),
        }
    }

    /// A `summary.csv` row.
    pub fn summary_row(&self, scope: &str, indicator: &str, lens: &str) -> Option<&SummaryRow> {
        self.summary
            .iter()
            .find(|r| r.scope == scope && r.indicator == indicator && r.lens == lens)
    }
}

/// Refuses a folder written in another result format: its manifest names another
/// `format_version` (or none: format 1, before lenses), or its `timeseries.csv` has no `lens`
/// column.
pub fn check_format(dir: &Path) -> Result<()> {
    use crate::output::manifest::FORMAT_VERSION;
    let refuse = |found: String| {
        anyhow::Error::new(crate::experiment::Refusal(format!(
            "{} holds results in format {found}, and this dugnad reads format {FORMAT_VERSION} (every CSV has \
             a `lens` column: newcomers, local participants, volunteers, staff, all); rerun the scenario with \
             this dugnad (its command line is in manifest.json) to get a folder it can draw",
            dir.display()
        )))
    };
    if let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) {
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            match v.get("format_version").and_then(Value::as_u64) {
                Some(FORMAT_VERSION) => {}
                Some(other) => return Err(refuse(other.to_string())),
                None => return Err(refuse("1".into())),
            }
        }
    }
    if let Ok(f) = std::fs::File::open(dir.join("timeseries.csv")) {
        let (_, cols) = reader(f)?;
        if cols.idx("indicator").is_some() && cols.idx("lens").is_none() {
            return Err(refuse("1".into()));
        }
    }
    Ok(())
}

fn open_opt(path: &Path) -> Result<Option<std::fs::File>> {
    match std::fs::File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("opening {}", path.display())),
    }
}

/// Parses a number cell: `NA`, empty, unparsable or non-finite give `None`.
pub fn parse_num(cell: &str) -> Option<f64> {
    let t = cell.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("na") {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn parse_count(cell: &str) -> u32 {
    parse_num(cell)
        .filter(|v| *v >= 0.0)
        .map(|v| v.round().min(u32::MAX as f64) as u32)
        .unwrap_or(0)
}

struct Columns {
    headers: Vec<String>,
}

impl Columns {
    fn idx(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
    fn need(&self, name: &str) -> Result<usize> {
        self.idx(name)
            .with_context(|| format!("missing column `{name}`"))
    }
}

fn reader<R: Read>(r: R) -> Result<(csv::Reader<R>, Columns)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(r);
    let headers = rdr.headers()?.iter().map(str::to_string).collect();
    Ok((rdr, Columns { headers }))
}

fn cell(rec: &csv::StringRecord, i: Option<usize>) -> &str {
    i.and_then(|i| rec.get(i)).unwrap_or("")
}

/// Where the statistic columns are (each may be missing).
struct StatColumns([Option<usize>; 7]);

impl StatColumns {
    fn find(cols: &Columns) -> StatColumns {
        StatColumns(["mean", "sd", "ci_low", "ci_high", "p05", "p95", "n"].map(|c| cols.idx(c)))
    }

    /// The statistics of a row. Without an `n` column, a defined mean counts as one replicate.
    fn read(&self, rec: &csv::StringRecord) -> Stats {
        let [mean, sd, lo, hi, p05, p95, n] = self.0.map(|i| cell(rec, i));
        let mean = parse_num(mean);
        Stats {
            mean,
            sd: parse_num(sd),
            ci_low: parse_num(lo),
            ci_high: parse_num(hi),
            p05: parse_num(p05),
            p95: parse_num(p95),
            n: match self.0[6] {
                Some(_) => parse_count(n),
                None => u32::from(mean.is_some()),
            },
        }
    }
}

/// The rows of a statistics table (`KEY,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n`): each
/// row's cells of the `key` column, the indicator and the lens, and its statistics.
fn stat_rows<R: Read>(r: R, key: &str) -> Result<Vec<([String; 3], Stats)>> {
    let (mut rdr, cols) = reader(r)?;
    let at = [cols.need(key)?, cols.need("indicator")?, cols.need("lens")?];
    let stats = StatColumns::find(&cols);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        out.push((
            at.map(|i| cell(&rec, Some(i)).to_string()),
            stats.read(&rec),
        ));
    }
    Ok(out)
}

/// Parses `timeseries.csv` content (`week,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n`).
pub fn parse_timeseries<R: Read>(r: R) -> Result<TimeSeries> {
    let mut ts = TimeSeries::default();
    for ([week, name, lens], stats) in stat_rows(r, "week")? {
        let Some(w) = parse_num(&week) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let key = (name, lens);
        let stat = WeekStat {
            week: w.max(0.0) as u32,
            stats,
        };
        if !ts.by_indicator.contains_key(&key) {
            ts.indicators.push(key.clone());
        }
        ts.by_indicator.entry(key).or_default().push(stat);
    }
    for v in ts.by_indicator.values_mut() {
        v.sort_by_key(|s| s.week);
    }
    Ok(ts)
}

/// Parses `summary.csv` content (`scope,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n`).
pub fn parse_summary<R: Read>(r: R) -> Result<Vec<SummaryRow>> {
    Ok(stat_rows(r, "scope")?
        .into_iter()
        .map(|([scope, indicator, lens], stats)| SummaryRow {
            scope,
            indicator,
            lens,
            stats,
        })
        .collect())
}

/// Parses `final.csv` content (`replicate,indicator,lens,value`, long) into one column per
/// series, replicates in the order they first appear.
pub fn parse_final<R: Read>(r: R) -> Result<FinalTable> {
    let (mut rdr, cols) = reader(r)?;
    let rep = cols.need("replicate")?;
    let ind = cols.need("indicator")?;
    let lens = cols.need("lens")?;
    let value = cols.need("value")?;
    let mut t = FinalTable::default();
    let mut column_of: BTreeMap<Key, usize> = BTreeMap::new();
    let mut row_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut cells: Vec<(usize, usize, Option<f64>)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        let key = (
            cell(&rec, Some(ind)).to_string(),
            cell(&rec, Some(lens)).to_string(),
        );
        let c = *column_of.entry(key.clone()).or_insert_with(|| {
            t.columns.push(key);
            t.columns.len() - 1
        });
        let r = cell(&rec, Some(rep)).to_string();
        let r = *row_of.entry(r.clone()).or_insert_with(|| {
            t.replicates.push(r);
            t.replicates.len() - 1
        });
        cells.push((r, c, parse_num(cell(&rec, Some(value)))));
    }
    t.rows = vec![vec![None; t.columns.len()]; t.replicates.len()];
    for (r, c, v) in cells {
        t.rows[r][c] = v;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_na() {
        assert_eq!(parse_num("0.25"), Some(0.25));
        assert_eq!(parse_num(" 3 "), Some(3.0));
        assert_eq!(parse_num("NA"), None);
        assert_eq!(parse_num(""), None);
        assert_eq!(parse_num("NaN"), None);
        assert_eq!(parse_num("inf"), None);
        assert_eq!(parse_num("x"), None);
    }

    fn key(a: &str, b: &str) -> Key {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn timeseries_groups_by_series_sorted_by_week() {
        let csv = "week,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n\n\
                   2,a,all,0.5,0.1,0.4,0.6,0.3,0.7,3\n\
                   1,a,all,NA,NA,NA,NA,NA,NA,0\n\
                   1,b,all,2,0,2,2,2,2,3\n\
                   1,a,newcomers,1,0,1,1,1,1,3\n";
        let ts = parse_timeseries(csv.as_bytes()).unwrap();
        assert_eq!(
            ts.indicators,
            vec![key("a", "all"), key("b", "all"), key("a", "newcomers")]
        );
        assert_eq!(ts.get("a", "newcomers")[0].stats.mean, Some(1.0));
        let a = ts.get("a", "all");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].week, 1);
        assert_eq!(a[0].stats.mean, None);
        assert_eq!(a[1].stats.mean, Some(0.5));
        assert_eq!(a[1].stats.p95, Some(0.7));
        assert_eq!(a[1].stats.n, 3);
        assert_eq!(ts.week_range(), Some((1, 2)));
        assert_eq!(ts.max_n(), 3);
        assert!(ts.get("zzz", "all").is_empty());
    }

    #[test]
    fn timeseries_columns_found_by_name() {
        let csv = "lens,indicator,week,n,mean\nall,a,1,2,0.5\n";
        let ts = parse_timeseries(csv.as_bytes()).unwrap();
        let a = &ts.get("a", "all")[0];
        assert_eq!(
            (a.week, a.stats.n, a.stats.mean, a.stats.p05),
            (1, 2, Some(0.5), None)
        );
    }

    #[test]
    fn timeseries_without_week_or_lens_column_is_an_error() {
        assert!(parse_timeseries("indicator,lens,mean\na,all,1\n".as_bytes()).is_err());
        assert!(parse_timeseries("week,indicator,mean\n1,a,1\n".as_bytes()).is_err());
    }

    #[test]
    fn final_table_columns_and_pairs() {
        let csv = "replicate,indicator,lens,value\n\
                   0,x,all,0.1\n0,y,all,0.9\n1,x,all,NA\n1,y,all,0.8\n2,x,all,0.3\n2,y,all,0.7\n";
        let t = parse_final(csv.as_bytes()).unwrap();
        assert_eq!(t.columns, vec![key("x", "all"), key("y", "all")]);
        assert_eq!(t.replicates, vec!["0", "1", "2"]);
        assert_eq!(t.column("x", "all"), vec![Some(0.1), None, Some(0.3)]);
        assert_eq!(t.values("x", "all"), vec![0.1, 0.3]);
        assert_eq!(t.pairs("x", "y", "all"), vec![(0.1, 0.9), (0.3, 0.7)]);
        assert!(t.column("missing", "all").is_empty());
        assert!(t.column("x", "newcomers").is_empty());
    }

    #[test]
    fn summary_rows() {
        let csv = "scope,indicator,lens,mean,sd,ci_low,ci_high,p05,p95,n\n\
                   final_week,a,newcomers,0.5,0.1,0.4,0.6,0.3,0.7,10\nrun_mean,a,newcomers,NA,NA,NA,NA,NA,NA,0\n";
        let s = parse_summary(csv.as_bytes()).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].lens, "newcomers");
        assert_eq!(s[0].scope, "final_week");
        assert_eq!(s[0].stats.ci_high, Some(0.6));
        assert_eq!(s[1].stats.mean, None);
    }
}
