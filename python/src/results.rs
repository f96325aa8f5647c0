//! The calls (`run`, `compare`, `sweep`, `sensitivity`, `trace`, `params`) and their result
//! classes. Each call fills in the CLI's argument struct, plans with the library's
//! `Plan::from_source(s)`, runs with the GIL released, and keeps the exporters' bytes; a table
//! becomes a DataFrame when it is first asked for. `save` writes the folder the CLI writes,
//! through the CLI's own writers.

// The CLI's argument structs are filled in with `..Default::default()`: a flag the CLI gains
// is off here until the binding passes it on.
#![allow(clippy::needless_update)]

use crate::{frame, interruptible, json, run_args, source_of, unwind_if, OrPy, UsageError};
use dugnad::cli::{CompareCmd, RunArgs, RunCmd, SensitivityCmd, SweepCmd};
use dugnad::commands;
use dugnad::experiment as ex;
use dugnad::experiment::run::group_labels;
use dugnad::metrics::aggregate::RunAggregate;
use dugnad::output::atomic::ResultDir;
use dugnad::output::formats::{export_tables, File};
use dugnad::output::manifest::Provenance;
use dugnad::scenario::Source;
use dugnad::sim::replicates::with_threads;
use dugnad::teach::trace as tr;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Adds the calls and result classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RunResult>()?;
    m.add_class::<Comparison>()?;
    m.add_class::<Sweep>()?;
    m.add_class::<Sensitivity>()?;
    m.add_class::<Trace>()?;
    m.add_function(wrap_pyfunction!(self::run, m)?)?;
    m.add_function(wrap_pyfunction!(self::compare, m)?)?;
    m.add_function(wrap_pyfunction!(self::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(self::sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(self::trace, m)?)?;
    m.add_function(wrap_pyfunction!(self::params, m)?)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// What every result has: its tables' bytes, DataFrames made from them, a manifest
// ---------------------------------------------------------------------------------------------

/// A result's table files as the exporters wrote them, and the DataFrames parsed from them.
struct Tables {
    files: Vec<File>,
    frames: Mutex<BTreeMap<String, Py<PyAny>>>,
}

/// A table's name without the format's extension (`timeseries.csv` → `timeseries`).
fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

impl Tables {
    fn new(files: Vec<File>) -> Tables {
        Tables {
            files,
            frames: Mutex::new(BTreeMap::new()),
        }
    }

    /// The CSV file of table `name` (with or without `.csv`).
    fn file(&self, name: &str) -> Option<&File> {
        let name = name.strip_suffix(".csv").unwrap_or(name);
        self.files
            .iter()
            .find(|f| f.name.ends_with(".csv") && stem(&f.name) == name)
    }

    /// Table `name` as a DataFrame (parsed once), or None when the result has no such table.
    fn frame(&self, py: Python<'_>, name: &str) -> PyResult<Option<Py<PyAny>>> {
        let Some(file) = self.file(name) else {
            return Ok(None);
        };
        let key = stem(&file.name).to_string();
        if let Some(f) = self.frames.lock().expect("frames").get(&key) {
            return Ok(Some(f.clone_ref(py)));
        }
        let f = frame(py, &file.bytes)?;
        self.frames
            .lock()
            .expect("frames")
            .insert(key, f.clone_ref(py));
        Ok(Some(f))
    }

    /// Every table, by name, as DataFrames.
    fn all<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for f in self.files.iter().filter(|f| f.name.ends_with(".csv")) {
            d.set_item(stem(&f.name), self.frame(py, &f.name)?)?;
        }
        Ok(d)
    }

    fn names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.name.clone()).collect()
    }

    /// The bytes of file `name` (`timeseries` or `timeseries.csv`).
    fn bytes(&self, name: &str) -> PyResult<Vec<u8>> {
        self.file(name).map(|f| f.bytes.clone()).ok_or_else(|| {
            UsageError::new_err(format!(
                "this result has no table '{name}'; it has: {}",
                self.names().join(", ")
            ))
        })
    }
}

/// How a Python call is recorded in a manifest's `command_line`: the call, the scenarios, and
/// every value set, as `--set` flags (so that a scenario read from a file reruns on the CLI).
fn called(what: &str, origins: &[&str], overrides: &[String], flags: &[String]) -> Provenance {
    let mut line = vec![format!("dugnad.{what} (Python)")];
    line.extend(origins.iter().map(|o| o.to_string()));
    for o in overrides {
        line.push("--set".into());
        line.push(o.clone());
    }
    line.extend(flags.iter().cloned());
    Provenance::called(line)
}

/// The start of a run that took `wall` seconds, for a manifest written now.
fn started_before(wall: f64) -> Instant {
    Instant::now()
        .checked_sub(Duration::from_secs_f64(wall))
        .unwrap_or_else(Instant::now)
}

/// Writes a result folder at `dir` through `write` (into a temporary folder, renamed into place
/// when complete; an existing folder is replaced only with `force`, and only if dugnad wrote it).
fn save_folder(
    py: Python<'_>,
    dir: PathBuf,
    force: bool,
    write: impl FnOnce(&ResultDir) -> anyhow::Result<()> + Send,
) -> PyResult<String> {
    py.detach(|| {
        let out = ResultDir::create(&dir, force)?;
        write(&out)?;
        out.commit()
    })
    .map(|p| p.display().to_string())
    .or_py()
}

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------

/// The result of :func:`run`: the tables `dugnad run` writes.
#[pyclass(name = "Result", module = "dugnad", frozen)]
struct RunResult {
    plan: ex::run::Plan,
    agg: RunAggregate,
    threads: usize,
    wall: f64,
    provenance: Provenance,
    manifest: Vec<u8>,
    tables: Tables,
}

/// Runs a scenario's replicates on all cores (`threads`; results never depend on it) with the GIL
/// released, as `dugnad run` does. `replicates`, `weeks` and `seed` override the scenario's; `set`
/// sets values by dotted path after the scenario's own. `per_group` adds `groups`,
/// `keep_replicates` adds `replicates`, `agents` adds `agents` and `ties` where the library writes
/// them.
#[pyfunction]
#[pyo3(signature = (scenario, *, replicates=None, weeks=None, seed=None, threads=None, set=None,
                    agents=false, per_group=false, keep_replicates=false))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    set: Option<&Bound<'_, PyAny>>,
    agents: bool,
    per_group: bool,
    keep_replicates: bool,
) -> PyResult<RunResult> {
    let started = Instant::now();
    let source = source_of(scenario)?;
    let args = run_args(replicates, weeks, seed, threads, set)?;
    if agents {
        return Err(UsageError::new_err(
            "agents=True: this dugnad library does not write agents.csv and ties.csv yet",
        ));
    }
    let cmd = RunCmd {
        scenario: PathBuf::from(&source.origin),
        run: args,
        per_group,
        keep_replicates,
        no_charts: true,
        ..Default::default()
    };
    let plan = ex::run::Plan::from_source(&source, &cmd).or_py()?;
    let (agg, used, files) = interruptible(py, |stop| -> anyhow::Result<_> {
        let (agg, used) = with_threads(cmd.run.threads, || {
            (plan.run(|_| unwind_if(stop)), rayon::current_num_threads())
        })?;
        let labels = group_labels(&plan.loaded.designs);
        let files = export_tables(&dugnad::output::run::tables(&agg, &labels))?;
        Ok((agg, used, files))
    })?
    .or_py()?;
    let mut flags = Vec::new();
    if per_group {
        flags.push("--per-group".to_string());
    }
    if keep_replicates {
        flags.push("--keep-replicates".to_string());
    }
    let provenance = called("run", &[&source.origin], &plan.loaded.overrides, &flags);
    let wall = started.elapsed().as_secs_f64();
    let names = files.iter().map(|f| f.name.clone()).collect();
    let manifest = plan
        .manifest(provenance.clone(), used, wall, names)
        .to_json();
    Ok(RunResult {
        plan,
        agg,
        threads: used,
        wall,
        provenance,
        manifest,
        tables: Tables::new(files),
    })
}

#[pymethods]
impl RunResult {
    /// `timeseries.csv`: per week and indicator, statistics across replicates (mean, sd, ci_low,
    /// ci_high, p05, p95, n).
    #[getter]
    fn timeseries(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "timeseries")
    }

    /// `summary.csv`: per scope (final_week, run_mean) and indicator, the statistics.
    #[getter]
    fn summary(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "summary")
    }

    /// `final.csv`: every replicate's indicators in the final week.
    #[getter]
    fn r#final(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "final")
    }

    /// `replicates.csv` (with `keep_replicates=True`), else None.
    #[getter]
    fn replicates(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "replicates")
    }

    /// `groups.csv` (with `per_group=True`), else None.
    #[getter]
    fn groups(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "groups")
    }

    /// `agents.csv` (with `agents=True`, where the library writes it), else None.
    #[getter]
    fn agents(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "agents")
    }

    /// `ties.csv` (with `agents=True`, where the library writes it), else None.
    #[getter]
    fn ties(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "ties")
    }

    /// Every table of the result, by name.
    #[getter]
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.tables.all(py)
    }

    /// The table files, in the order the CLI writes them.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.tables.names()
    }

    /// The exact bytes of a table file (`"timeseries"` or `"timeseries.csv"`).
    fn csv<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        Ok(pyo3::types::PyBytes::new(py, &self.tables.bytes(name)?))
    }

    /// What `manifest.json` says: version, call, seed, overrides, resolved scenario.
    #[getter]
    fn manifest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json(py, &self.manifest)
    }

    /// Writes the folder `dugnad run` writes (tables, manifest.json, and with `charts` the charts
    /// and report.html); returns its path. An existing folder is replaced only with `force=True`,
    /// and only when dugnad wrote it.
    #[pyo3(signature = (dir, *, force=false, charts=true))]
    fn save(&self, py: Python<'_>, dir: PathBuf, force: bool, charts: bool) -> PyResult<String> {
        let started = started_before(self.wall);
        save_folder(py, dir, force, |out| {
            commands::run::write_run(
                out,
                &self.plan,
                &self.agg,
                self.threads,
                self.provenance.clone(),
                started,
                charts,
            )
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<dugnad.Result '{}': {} replicates × {} weeks; tables {}>",
            self.plan.loaded.scenario.name,
            self.agg.replicates(),
            self.agg.weeks,
            self.tables.names().join(", ")
        )
    }
}

// ---------------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------------

/// The result of :func:`compare`.
#[pyclass(module = "dugnad", frozen)]
struct Comparison {
    plan: ex::compare::Plan,
    comparison: ex::compare::Comparison,
    threads: usize,
    wall: f64,
    provenance: Provenance,
    manifest: Vec<u8>,
    tables: Tables,
}

/// `variants` as `--variant` strings: a dict of names to what `set` takes, or a list of
/// `'NAME: KEY=VALUE, ...'` strings.
fn variants_of(variants: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(v) = variants.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(d) = v.cast::<PyDict>() {
        return d
            .iter()
            .map(|(name, set)| {
                let name: String = name.extract()?;
                let o = crate::overrides_of(Some(&set))?;
                Ok(format!("{name}: {}", o.join(", ")))
            })
            .collect();
    }
    if v.is_instance_of::<PyString>() {
        return Ok(vec![v.extract()?]);
    }
    v.extract()
}

/// Compares designs on common random numbers, as `dugnad compare` does: the scenarios, then
/// `variants` of the first (`{"name": {"activity.co_design": 0.7}}`), all on the first one's seed,
/// replicates and weeks. `baseline` names the design the others are compared with (default: the
/// first). With `target_ci` and `indicator`, adds `batch` replicates until every paired
/// difference's 95 % CI half-width is below `target_ci`.
#[pyfunction]
#[pyo3(signature = (*scenarios, variants=None, baseline=None, scope="final_week", target_ci=None,
                    indicator=None, max_replicates=10_000, batch=20, replicates=None, weeks=None,
                    seed=None, threads=None, set=None))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    scenarios: &Bound<'_, PyTuple>,
    variants: Option<&Bound<'_, PyAny>>,
    baseline: Option<String>,
    scope: &str,
    target_ci: Option<f64>,
    indicator: Option<String>,
    max_replicates: u64,
    batch: u64,
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    set: Option<&Bound<'_, PyAny>>,
) -> PyResult<Comparison> {
    let started = Instant::now();
    let sources: Vec<Source> = scenarios
        .iter()
        .map(|s| source_of(&s))
        .collect::<PyResult<_>>()?;
    if target_ci.is_some() != indicator.is_some() {
        return Err(UsageError::new_err(
            "target_ci and indicator go together: adaptive replication needs both, e.g. target_ci=0.02, indicator=\"voice_parity\"",
        ));
    }
    let cmd = CompareCmd {
        scenarios: sources.iter().map(|s| PathBuf::from(&s.origin)).collect(),
        variant: variants_of(variants)?,
        baseline,
        scope: scope.to_string(),
        target_ci,
        indicator,
        max_replicates,
        batch,
        no_charts: true,
        run: run_args(replicates, weeks, seed, threads, set)?,
        ..Default::default()
    };
    let plan = ex::compare::Plan::from_sources(&sources, &cmd).or_py()?;
    let (comparison, used, files) = interruptible(py, |stop| -> anyhow::Result<_> {
        let (c, used) = with_threads(cmd.run.threads, || {
            (plan.run(|_| unwind_if(stop)), rayon::current_num_threads())
        })?;
        let c = c?;
        let files = export_tables(&[ex::compare::table(&c)])?;
        Ok((c, used, files))
    })?
    .or_py()?;
    let origins: Vec<&str> = sources.iter().map(|s| s.origin.as_str()).collect();
    let mut flags = Vec::new();
    for v in &cmd.variant {
        flags.extend(["--variant".to_string(), v.clone()]);
    }
    let provenance = called("compare", &origins, &cmd.run.set, &flags);
    let wall = started.elapsed().as_secs_f64();
    let names = files.iter().map(|f| f.name.clone()).collect();
    let manifest = dugnad::output::manifest::to_json(&plan.manifest(
        &comparison,
        provenance.clone(),
        used,
        wall,
        names,
    ));
    Ok(Comparison {
        plan,
        comparison,
        threads: used,
        wall,
        provenance,
        manifest,
        tables: Tables::new(files),
    })
}

#[pymethods]
impl Comparison {
    /// `comparison.csv`: per design and indicator, the design's mean and CI and its paired
    /// difference to the baseline (diff, diff_ci_low, diff_ci_high), Cohen's d_z, pairs n.
    #[getter]
    fn comparison(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "comparison")
    }

    /// The designs' names, in order.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.comparison.names.clone()
    }

    /// The baseline design's name.
    #[getter]
    fn baseline(&self) -> String {
        self.comparison.names[self.comparison.baseline].clone()
    }

    /// Replicates per design.
    #[getter]
    fn replicates(&self) -> u64 {
        self.comparison.replicates
    }

    /// How adaptive replication ended, in one sentence (None without `target_ci`).
    #[getter]
    fn adaptive(&self) -> Option<String> {
        self.comparison.adaptive.as_ref().map(|a| a.sentence())
    }

    /// Every table of the result, by name.
    #[getter]
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.tables.all(py)
    }

    /// The table files, in the order the CLI writes them.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.tables.names()
    }

    /// The exact bytes of a table file (`"timeseries"` or `"timeseries.csv"`).
    fn csv<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        Ok(pyo3::types::PyBytes::new(py, &self.tables.bytes(name)?))
    }

    /// What `manifest.json` says: version, call, seed, overrides, resolved scenario.
    #[getter]
    fn manifest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json(py, &self.manifest)
    }

    /// Writes the folder `dugnad compare` writes (comparison.csv, manifest.json, and with `charts`
    /// the forest plot and report.html); returns its path.
    #[pyo3(signature = (dir, *, force=false, charts=true))]
    fn save(&self, py: Python<'_>, dir: PathBuf, force: bool, charts: bool) -> PyResult<String> {
        let started = started_before(self.wall);
        save_folder(py, dir, force, |out| {
            commands::experiment::write_comparison(
                out,
                &self.plan,
                &self.comparison,
                self.threads,
                self.provenance.clone(),
                started,
                charts,
            )
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<dugnad.Comparison {} (baseline {}): {} replicates per design>",
            self.comparison.names.join(" vs "),
            self.baseline(),
            self.comparison.replicates
        )
    }
}

// ---------------------------------------------------------------------------------------------
// sweep and sensitivity: run in a sweep folder (the one given, or a temporary one)
// ---------------------------------------------------------------------------------------------

/// Where a sweep's cells are committed: the folder the caller named (resumable, kept), or a
/// temporary folder removed with the result.
struct Folder {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl Folder {
    fn new(out: Option<PathBuf>, name: &str) -> PyResult<Folder> {
        Ok(match out {
            Some(path) => Folder {
                path,
                _temporary: None,
            },
            None => {
                let t = tempfile::Builder::new()
                    .prefix("dugnad-")
                    .tempdir()
                    .map_err(|e| {
                        crate::DugnadError::new_err(format!(
                            "cannot create a temporary folder: {e}"
                        ))
                    })?;
                Folder {
                    path: t.path().join(name),
                    _temporary: Some(t),
                }
            }
        })
    }

    /// The folder, if the caller named it.
    fn kept(&self) -> Option<String> {
        self._temporary
            .is_none()
            .then(|| self.path.display().to_string())
    }

    /// The folder's manifest and the table files it lists, as written.
    fn read(&self) -> anyhow::Result<(Vec<u8>, Vec<File>)> {
        let manifest = std::fs::read(self.path.join("manifest.json"))?;
        let listed: serde_json::Value = serde_json::from_slice(&manifest)?;
        let mut files = Vec::new();
        for name in listed["files"].as_array().into_iter().flatten() {
            let Some(name) = name
                .as_str()
                .filter(|n| n.ends_with(".csv") && !n.contains('/'))
            else {
                continue;
            };
            let bytes = std::fs::read(self.path.join(name))?;
            files.push(File {
                name: name.to_string(),
                bytes,
            });
        }
        Ok((manifest, files))
    }

    /// Copies the folder, as it is, into `out`.
    fn copy_into(&self, out: &ResultDir) -> anyhow::Result<()> {
        copy_tree(&self.path, out.path())
    }
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// The result of :func:`sweep`.
#[pyclass(module = "dugnad", frozen)]
struct Sweep {
    folder: Folder,
    complete: bool,
    manifest: Vec<u8>,
    tables: Tables,
}

/// `vary` as `--vary` flags: a dict of dotted paths to a list of values or a `"lo:hi:step"`
/// string, or a list of `KEY=VALUES` strings.
fn vary_of(vary: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(v) = vary.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(d) = v.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, values)| {
                let key: String = k.extract()?;
                if let Ok(spec) = values.extract::<String>() {
                    return Ok(format!("{key}={spec}"));
                }
                let items: Vec<String> = values
                    .try_iter()?
                    .map(|x| crate::scenario::toml_literal(&key, &x?))
                    .collect::<PyResult<_>>()?;
                Ok(format!("{key}={}", items.join(",")))
            })
            .collect();
    }
    if v.is_instance_of::<PyString>() {
        return Ok(vec![v.extract()?]);
    }
    v.extract()
}

/// `range` as `--range` flags: a dict of dotted paths to `(lo, hi)`, or `KEY=LO:HI` strings.
fn ranges_of(range: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(r) = range.filter(|r| !r.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(d) = r.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, bounds)| {
                let key: String = k.extract()?;
                let (lo, hi): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                    bounds.extract().map_err(|_| {
                        UsageError::new_err(format!(
                            "range of {key}: give (lo, hi), e.g. {{\"{key}\": (0.1, 0.9)}}"
                        ))
                    })?;
                Ok(format!(
                    "{key}={}:{}",
                    crate::scenario::toml_literal(&key, &lo)?,
                    crate::scenario::toml_literal(&key, &hi)?
                ))
            })
            .collect();
    }
    if r.is_instance_of::<PyString>() {
        return Ok(vec![r.extract()?]);
    }
    r.extract()
}

/// A list of names from a str or a sequence of str.
fn names_of(v: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    match v.filter(|v| !v.is_none()) {
        None => Ok(Vec::new()),
        Some(v) if v.is_instance_of::<PyString>() => Ok(vec![v.extract()?]),
        Some(v) => v.extract(),
    }
}

/// Sweeps dotted paths over a grid (`vary={"activity.co_design": [0.1, 0.5]}` or `"0:1:0.25"`;
/// several make a full factorial) or a sample (`sample="lhs:16"` or `"sobol:16"` of the
/// `range={key: (lo, hi)}` box), as `dugnad sweep` does. Cells are committed to `out` (resumable;
/// charts drawn unless `charts=False`) or to a temporary folder. `shard="I/N"` runs only every N-th
/// cell.
#[pyfunction]
#[pyo3(signature = (scenario, *, vary=None, sample=None, range=None, scope="final_week",
                    keep_replicates=false, shard=None, out=None, force=false, charts=None,
                    replicates=None, weeks=None, seed=None, threads=None, set=None))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    vary: Option<&Bound<'_, PyAny>>,
    sample: Option<String>,
    range: Option<&Bound<'_, PyAny>>,
    scope: &str,
    keep_replicates: bool,
    shard: Option<String>,
    out: Option<PathBuf>,
    force: bool,
    charts: Option<bool>,
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    set: Option<&Bound<'_, PyAny>>,
) -> PyResult<Sweep> {
    let started = Instant::now();
    let source = source_of(scenario)?;
    let charts = charts.unwrap_or(out.is_some());
    let folder = Folder::new(out, "sweep")?;
    let cmd = SweepCmd {
        scenario: PathBuf::from(&source.origin),
        vary: vary_of(vary)?,
        sample,
        range: ranges_of(range)?,
        shard,
        scope: scope.to_string(),
        keep_replicates,
        no_charts: !charts,
        run: RunArgs {
            output: Some(folder.path.clone()),
            force,
            ..run_args(replicates, weeks, seed, threads, set)?
        },
        ..Default::default()
    };
    let plan = ex::sweep::Plan::from_source(&source, &cmd).or_py()?;
    let mut flags: Vec<String> = Vec::new();
    for v in &cmd.vary {
        flags.extend(["--vary".into(), v.clone()]);
    }
    if let Some(s) = &cmd.sample {
        flags.extend(["--sample".into(), s.clone()]);
    }
    for r in &cmd.range {
        flags.extend(["--range".into(), r.clone()]);
    }
    let provenance = called(
        "sweep",
        &[&source.origin],
        &plan.sweep.base.overrides,
        &flags,
    );
    let (manifest, files) = interruptible(py, |stop| -> anyhow::Result<_> {
        commands::experiment::sweep_planned(&plan, &cmd, provenance, started, Some(stop))?;
        folder.read()
    })?
    .or_py()?;
    let complete = serde_json::from_slice::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|m| m["complete"].as_bool())
        .unwrap_or(false);
    Ok(Sweep {
        folder,
        complete,
        manifest,
        tables: Tables::new(files),
    })
}

#[pymethods]
impl Sweep {
    /// `sweep.csv`: per cell, the swept values and each indicator's mean, sd, ci_low, ci_high and n
    /// (None until every cell is done, e.g. for one shard).
    #[getter]
    fn sweep(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "sweep")
    }

    /// `sweep-replicates.csv` (with `keep_replicates=True`), else None.
    #[getter]
    fn replicates(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "sweep-replicates")
    }

    /// Whether every cell is done.
    #[getter]
    fn complete(&self) -> bool {
        self.complete
    }

    /// The sweep folder when `out` named one (None: it was temporary).
    #[getter]
    fn folder(&self) -> Option<String> {
        self.folder.kept()
    }

    /// Every table of the result, by name.
    #[getter]
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.tables.all(py)
    }

    /// The table files, in the order the CLI writes them.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.tables.names()
    }

    /// The exact bytes of a table file (`"timeseries"` or `"timeseries.csv"`).
    fn csv<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        Ok(pyo3::types::PyBytes::new(py, &self.tables.bytes(name)?))
    }

    /// What `manifest.json` says: version, call, seed, overrides, resolved scenario.
    #[getter]
    fn manifest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json(py, &self.manifest)
    }

    /// Copies the sweep folder (sweep.json, cells/, tables, charts when drawn, manifest.json) to
    /// `dir`; returns its path.
    #[pyo3(signature = (dir, *, force=false))]
    fn save(&self, py: Python<'_>, dir: PathBuf, force: bool) -> PyResult<String> {
        save_folder(py, dir, force, |out| self.folder.copy_into(out))
    }

    fn __repr__(&self) -> String {
        format!(
            "<dugnad.Sweep{}: tables {}>",
            if self.complete { "" } else { " (incomplete)" },
            self.tables.names().join(", ")
        )
    }
}

/// The result of :func:`sensitivity`.
#[pyclass(module = "dugnad", frozen)]
struct Sensitivity {
    folder: Folder,
    complete: bool,
    ranking: Vec<String>,
    warnings: Vec<String>,
    manifest: Vec<u8>,
    tables: Tables,
}

/// Global sensitivity analysis of the factors in `range` (and every model parameter with
/// `all_params`) on `indicators`, as `dugnad sensitivity` does: Morris elementary effects
/// (`trajectories` × (k + 1) points on a `levels` grid) or Sobol indices (`samples` × (k + 2)
/// points).
#[pyfunction]
#[pyo3(signature = (scenario, *, method="morris", range=None, all_params=false, trajectories=10,
                    levels=4, samples=64, indicators=None, scope="final_week", shard=None,
                    out=None, force=false, charts=None, replicates=None, weeks=None, seed=None,
                    threads=None, set=None))]
#[allow(clippy::too_many_arguments)]
fn sensitivity(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    method: &str,
    range: Option<&Bound<'_, PyAny>>,
    all_params: bool,
    trajectories: usize,
    levels: usize,
    samples: usize,
    indicators: Option<&Bound<'_, PyAny>>,
    scope: &str,
    shard: Option<String>,
    out: Option<PathBuf>,
    force: bool,
    charts: Option<bool>,
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    set: Option<&Bound<'_, PyAny>>,
) -> PyResult<Sensitivity> {
    let started = Instant::now();
    if !matches!(method, "morris" | "sobol") {
        return Err(UsageError::new_err(format!(
            "method='{method}': use \"morris\" (screening) or \"sobol\" (variance shares)"
        )));
    }
    let source = source_of(scenario)?;
    let charts = charts.unwrap_or(out.is_some());
    let folder = Folder::new(out, "sensitivity")?;
    let cmd = SensitivityCmd {
        scenario: PathBuf::from(&source.origin),
        method: method.to_string(),
        range: ranges_of(range)?,
        all_params,
        trajectories,
        levels,
        samples,
        indicator: names_of(indicators)?,
        scope: scope.to_string(),
        shard,
        no_charts: !charts,
        run: RunArgs {
            output: Some(folder.path.clone()),
            force,
            ..run_args(replicates, weeks, seed, threads, set)?
        },
        ..Default::default()
    };
    let plan = ex::sensitivity::Plan::from_source(&source, &cmd).or_py()?;
    let mut flags = vec!["--method".to_string(), method.to_string()];
    for r in &cmd.range {
        flags.extend(["--range".into(), r.clone()]);
    }
    if all_params {
        flags.push("--all-params".into());
    }
    let provenance = called(
        "sensitivity",
        &[&source.origin],
        &plan.sweep.base.overrides,
        &flags,
    );
    let (done, manifest, files) = interruptible(py, |stop| -> anyhow::Result<_> {
        let done = commands::sensitivity::sensitivity_planned(
            &plan,
            &cmd,
            provenance,
            started,
            Some(stop),
        )?;
        let (manifest, files) = folder.read()?;
        Ok((done, manifest, files))
    })?
    .or_py()?;
    Ok(Sensitivity {
        folder,
        complete: done.complete,
        ranking: done.ranking,
        warnings: done.warnings,
        manifest,
        tables: Tables::new(files),
    })
}

#[pymethods]
impl Sensitivity {
    /// `sensitivity.csv`: per factor, indicator and statistic (mu_star, sigma, ... or S1, ST), the
    /// estimate and its CI.
    #[getter]
    fn sensitivity(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "sensitivity")
    }

    /// `noise.csv`: per indicator, the share of variance that is replicate noise.
    #[getter]
    fn noise(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "noise")
    }

    /// `points.csv`: per design point, the factor values and the outputs.
    #[getter]
    fn points(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.tables.frame(py, "points")
    }

    /// Which factors matter most for each indicator, in words.
    #[getter]
    fn ranking(&self) -> Vec<String> {
        self.ranking.clone()
    }

    /// The analysis' warnings.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Whether every point is done (and so analysed).
    #[getter]
    fn complete(&self) -> bool {
        self.complete
    }

    /// The analysis folder when `out` named one (None: it was temporary).
    #[getter]
    fn folder(&self) -> Option<String> {
        self.folder.kept()
    }

    /// Every table of the result, by name.
    #[getter]
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.tables.all(py)
    }

    /// The table files, in the order the CLI writes them.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.tables.names()
    }

    /// The exact bytes of a table file (`"timeseries"` or `"timeseries.csv"`).
    fn csv<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        Ok(pyo3::types::PyBytes::new(py, &self.tables.bytes(name)?))
    }

    /// What `manifest.json` says: version, call, seed, overrides, resolved scenario.
    #[getter]
    fn manifest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json(py, &self.manifest)
    }

    /// Copies the analysis folder to `dir`; returns its path.
    #[pyo3(signature = (dir, *, force=false))]
    fn save(&self, py: Python<'_>, dir: PathBuf, force: bool) -> PyResult<String> {
        save_folder(py, dir, force, |out| self.folder.copy_into(out))
    }

    fn __repr__(&self) -> String {
        format!(
            "<dugnad.Sensitivity{}: tables {}>",
            if self.complete { "" } else { " (incomplete)" },
            self.tables.names().join(", ")
        )
    }
}

// ---------------------------------------------------------------------------------------------
// trace and params
// ---------------------------------------------------------------------------------------------

/// The result of :func:`trace`: one week of one group.
#[pyclass(module = "dugnad", frozen)]
struct Trace {
    transcript: String,
    /// The events as `dugnad trace --format json` prints them.
    json: Vec<u8>,
    frame: Mutex<Option<Py<PyAny>>>,
}

/// One week of one group as events and a transcript, as `dugnad trace` shows it: the week `dugnad
/// run` simulates for that replicate and group. `group` is an index over all groups or
/// `"KEY:INDEX"` for a keyed design.
#[pyfunction]
#[pyo3(signature = (scenario, *, replicate=0, week=1, group=None, weeks=None, seed=None, set=None))]
#[allow(clippy::too_many_arguments)]
fn trace(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    replicate: u64,
    week: u32,
    group: Option<&Bound<'_, PyAny>>,
    weeks: Option<u32>,
    seed: Option<u64>,
    set: Option<&Bound<'_, PyAny>>,
) -> PyResult<Trace> {
    let source = source_of(scenario)?;
    let group = match group.filter(|g| !g.is_none()) {
        None => "0".to_string(),
        Some(g) => g.str()?.to_string(),
    };
    let group = tr::parse_group(&group).map_err(UsageError::new_err)?;
    let args = run_args(None, weeks, seed, None, set)?;
    let loaded = ex::run::Loaded::from_source(&source, &args).or_py()?;
    let spec = tr::TraceSpec {
        replicate,
        week,
        group,
    };
    let t = py
        .detach(|| tr::simulate(&loaded.scenario, &loaded.designs, &spec))
        .map_err(UsageError::new_err)?;
    let mut json = serde_json::to_string_pretty(&tr::events_json(&t))
        .map_err(|e| crate::DugnadError::new_err(e.to_string()))?;
    json.push('\n');
    Ok(Trace {
        transcript: tr::render_text(&t),
        json: json.into_bytes(),
        frame: Mutex::new(None),
    })
}

#[pymethods]
impl Trace {
    /// One row per engine event: week, phase (start, meeting, end), meeting, turn, event, then the
    /// event's fields; persons as `<field>.name`, `.role`, `.slot`, `.label`.
    #[getter]
    fn events(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut f = self.frame.lock().expect("frame");
        if let Some(f) = f.as_ref() {
            return Ok(f.clone_ref(py));
        }
        let made = py
            .import("dugnad._frames")?
            .call_method1("events", (pyo3::types::PyBytes::new(py, &self.json),))?
            .unbind();
        *f = Some(made.clone_ref(py));
        Ok(made)
    }

    /// The week as a readable transcript (what `dugnad trace` prints).
    #[getter]
    fn transcript(&self) -> String {
        self.transcript.clone()
    }

    /// The events as JSON text (what `dugnad trace --format json` prints).
    #[getter]
    fn json(&self) -> String {
        String::from_utf8_lossy(&self.json).into_owned()
    }

    fn __str__(&self) -> String {
        self.transcript.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "<dugnad.Trace: {}>",
            self.transcript.lines().next().unwrap_or("")
        )
    }
}

/// Every model parameter: name, mechanism, default, min, max, plausible range, meaning (what
/// `dugnad params` prints).
#[pyfunction]
fn params(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_vec(dugnad::scenario::params::PARAMS)
        .map_err(|e| crate::DugnadError::new_err(e.to_string()))?;
    Ok(py
        .import("dugnad._frames")?
        .call_method1("records", (pyo3::types::PyBytes::new(py, &text),))?
        .unbind())
}
