//! `dugnad.run` and its `Result`: the tables of `dugnad run`, kept as exported.

// The CLI's argument structs are filled in with `..Default::default()`: a flag the CLI gains
// is off here until the binding passes it on.
#![allow(clippy::needless_update)]

use crate::tables::{called, save_folder, started_before, Tables};
use crate::{interruptible, run_args, source_of, unwind_if, OrPy};
use dugnad::cli::RunCmd;
use dugnad::commands;
use dugnad::experiment as ex;
use dugnad::metrics::aggregate::RunAggregate;
use dugnad::output::formats::export_tables;
use dugnad::output::manifest::Provenance;
use dugnad::sim::replicates::with_threads;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

/// The result of :func:`run`: the tables `dugnad run` writes.
#[pyclass(name = "Result", module = "dugnad", extends = Tables, frozen)]
struct RunResult {
    plan: ex::run::Plan,
    agg: RunAggregate,
    threads: usize,
    wall: f64,
    provenance: Provenance,
}

/// Runs a scenario's replicates on all cores (`threads`; results never depend on it) with the GIL
/// released, as `dugnad run` does. `replicates`, `weeks` and `seed` override the scenario's; `set`
/// sets values by dotted path after the scenario's own. `per_group` adds `groups`,
/// `keep_replicates` adds `replicates`, `agents` adds `agents` and `ties` (persons and ties in
/// the final week).
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
) -> PyResult<Py<RunResult>> {
    let started = Instant::now();
    let source = source_of(scenario)?;
    let args = run_args(replicates, weeks, seed, threads, set)?;
    let cmd = RunCmd {
        scenario: PathBuf::from(&source.origin),
        run: args,
        per_group,
        keep_replicates,
        agents,
        report: dugnad::cli::ReportArgs {
            no_charts: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let plan = ex::run::Plan::from_source(&source, &cmd).or_py()?;
    let (agg, used, files) = interruptible(py, |stop| -> anyhow::Result<_> {
        let (agg, used) = with_threads(cmd.run.threads, || {
            (plan.run(|_| unwind_if(stop)), rayon::current_num_threads())
        })?;
        let files = plan.with_tables(&agg, export_tables)?;
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
    if agents {
        flags.push("--agents".to_string());
    }
    let provenance = called("run", &[&source.origin], &plan.loaded.overrides, &flags);
    let wall = started.elapsed().as_secs_f64();
    let names = files.iter().map(|f| f.name.clone()).collect();
    let manifest = plan
        .manifest(provenance.clone(), used, wall, names)
        .to_json();
    let tables = Tables::new(files, manifest);
    let result = RunResult {
        plan,
        agg,
        threads: used,
        wall,
        provenance,
    };
    Py::new(py, PyClassInitializer::from(tables).add_subclass(result))
}

#[pymethods]
impl RunResult {
    /// `timeseries.csv`: per week and indicator, statistics across replicates (mean, sd, ci_low,
    /// ci_high, p05, p95, n).
    #[getter]
    fn timeseries(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "timeseries")
    }

    /// `summary.csv`: per scope (final_week, run_mean) and indicator, the statistics.
    #[getter]
    fn summary(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "summary")
    }

    /// `final.csv`: every replicate's indicators in the final week.
    #[getter]
    fn r#final(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "final")
    }

    /// `replicates.csv` (with `keep_replicates=True`), else None.
    #[getter]
    fn replicates(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "replicates")
    }

    /// `groups.csv` (with `per_group=True`), else None.
    #[getter]
    fn groups(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "groups")
    }

    /// `agents.csv` (with `agents=True`), else None.
    #[getter]
    fn agents(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "agents")
    }

    /// `ties.csv` (with `agents=True`), else None.
    #[getter]
    fn ties(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "ties")
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
                charts.then(dugnad::lang::Lang::default),
            )
        })
    }

    fn __repr__(slf: PyRef<'_, Self>) -> String {
        format!(
            "<dugnad.Result '{}': {} replicates × {} weeks; tables {}>",
            slf.plan.loaded.scenario.name,
            slf.agg.replicates(),
            slf.agg.weeks,
            slf.as_super().names().join(", ")
        )
    }
}

/// Adds `run` and `Result` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RunResult>()?;
    m.add_function(wrap_pyfunction!(run, m)?)
}
