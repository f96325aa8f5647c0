//! `dugnad.sweep` and `dugnad.sensitivity`: run by the CLI's own commands into a sweep folder
//! (the one given as `out`, resumable, or a temporary one), whose tables are read back.

#![allow(clippy::needless_update)]

use crate::tables::{called, save_folder, Tables};
use crate::{interruptible, run_args, source_of, OrPy, UsageError};
use dugnad::cli::{RunArgs, SensitivityCmd, SweepCmd};
use dugnad::commands;
use dugnad::experiment as ex;
use dugnad::output::atomic::ResultDir;
use dugnad::output::formats::File;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::types::PyString;
use std::path::Path;
use std::path::PathBuf;
use std::time::Instant;

/// Where a sweep's cells are committed: the folder the caller named (resumable, kept), or a
/// temporary folder removed with the result.
struct Folder {
    path: PathBuf,
    temporary: Option<tempfile::TempDir>,
}

impl Folder {
    fn new(out: Option<PathBuf>, name: &str) -> PyResult<Folder> {
        Ok(match out {
            Some(path) => Folder {
                path,
                temporary: None,
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
                    temporary: Some(t),
                }
            }
        })
    }

    /// The folder, if the caller named it.
    fn kept(&self) -> Option<String> {
        self.temporary
            .is_none()
            .then(|| self.path.display().to_string())
    }

    /// The folder's tables and manifest as written (the CSV files the manifest lists), and
    /// whether the manifest says the folder is complete.
    fn read(&self) -> anyhow::Result<(Tables, bool)> {
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
        let complete = listed["complete"].as_bool().unwrap_or(false);
        Ok((Tables::new(files, manifest), complete))
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
#[pyclass(module = "dugnad", extends = Tables, frozen)]
struct Sweep {
    folder: Folder,
    complete: bool,
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
) -> PyResult<Py<Sweep>> {
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
        report: dugnad::cli::ReportArgs {
            no_charts: !charts,
            ..Default::default()
        },
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
    let (tables, complete) = interruptible(py, |stop| -> anyhow::Result<_> {
        commands::experiment::sweep_planned(&plan, &cmd, provenance, started, Some(stop))?;
        folder.read()
    })?
    .or_py()?;
    let result = Sweep { folder, complete };
    Py::new(py, PyClassInitializer::from(tables).add_subclass(result))
}

#[pymethods]
impl Sweep {
    /// `sweep.csv`: per cell, the swept values and each indicator's mean, sd, ci_low, ci_high and n
    /// (None until every cell is done, e.g. for one shard).
    #[getter]
    fn sweep(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "sweep")
    }

    /// `sweep-replicates.csv` (with `keep_replicates=True`), else None.
    #[getter]
    fn replicates(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "sweep-replicates")
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

    /// Copies the sweep folder (sweep.json, cells/, tables, charts when drawn, manifest.json) to
    /// `dir`; returns its path.
    #[pyo3(signature = (dir, *, force=false))]
    fn save(&self, py: Python<'_>, dir: PathBuf, force: bool) -> PyResult<String> {
        save_folder(py, dir, force, |out| self.folder.copy_into(out))
    }

    fn __repr__(slf: PyRef<'_, Self>) -> String {
        format!(
            "<dugnad.Sweep{}: tables {}>",
            if slf.complete { "" } else { " (incomplete)" },
            slf.as_super().names().join(", ")
        )
    }
}

/// The result of :func:`sensitivity`.
#[pyclass(module = "dugnad", extends = Tables, frozen)]
struct Sensitivity {
    folder: Folder,
    complete: bool,
    ranking: Vec<String>,
    warnings: Vec<String>,
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
) -> PyResult<Py<Sensitivity>> {
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
        report: dugnad::cli::ReportArgs {
            no_charts: !charts,
            ..Default::default()
        },
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
    let (done, tables) = interruptible(py, |stop| -> anyhow::Result<_> {
        let done = commands::sensitivity::sensitivity_planned(
            &plan,
            &cmd,
            provenance,
            started,
            Some(stop),
        )?;
        let (tables, _) = folder.read()?;
        Ok((done, tables))
    })?
    .or_py()?;
    let result = Sensitivity {
        folder,
        complete: done.complete,
        ranking: done.ranking,
        warnings: done.warnings,
    };
    Py::new(py, PyClassInitializer::from(tables).add_subclass(result))
}

#[pymethods]
impl Sensitivity {
    /// `sensitivity.csv`: per factor, indicator and statistic (mu_star, sigma, ... or S1, ST), the
    /// estimate and its CI.
    #[getter]
    fn sensitivity(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "sensitivity")
    }

    /// `noise.csv`: per indicator, the share of variance that is replicate noise.
    #[getter]
    fn noise(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "noise")
    }

    /// `points.csv`: per design point, the factor values and the outputs.
    #[getter]
    fn points(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "points")
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

    /// Copies the analysis folder to `dir`; returns its path.
    #[pyo3(signature = (dir, *, force=false))]
    fn save(&self, py: Python<'_>, dir: PathBuf, force: bool) -> PyResult<String> {
        save_folder(py, dir, force, |out| self.folder.copy_into(out))
    }

    fn __repr__(slf: PyRef<'_, Self>) -> String {
        format!(
            "<dugnad.Sensitivity{}: tables {}>",
            if slf.complete { "" } else { " (incomplete)" },
            slf.as_super().names().join(", ")
        )
    }
}

/// Adds `sweep`, `sensitivity`, `Sweep` and `Sensitivity` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Sweep>()?;
    m.add_class::<Sensitivity>()?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)
}
