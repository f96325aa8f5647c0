//! `dugnad.compare` and its `Comparison`: the table of `dugnad compare`, kept as exported.

#![allow(clippy::needless_update)]

use crate::tables::{called, save_folder, started_before, Tables};
use crate::{interruptible, run_args, source_of, unwind_if, OrPy, UsageError};
use dugnad::cli::CompareCmd;
use dugnad::commands;
use dugnad::experiment as ex;
use dugnad::output::formats::export_tables;
use dugnad::output::manifest::Provenance;
use dugnad::scenario::Source;
use dugnad::sim::replicates::with_threads;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use std::path::PathBuf;
use std::time::Instant;

/// The result of :func:`compare`.
#[pyclass(module = "dugnad", extends = Tables, frozen)]
struct Comparison {
    plan: ex::compare::Plan,
    comparison: ex::compare::Comparison,
    threads: usize,
    wall: f64,
    provenance: Provenance,
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
) -> PyResult<Py<Comparison>> {
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
        report: dugnad::cli::ReportArgs {
            no_charts: true,
            ..Default::default()
        },
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
    let tables = Tables::new(files, manifest);
    let result = Comparison {
        plan,
        comparison,
        threads: used,
        wall,
        provenance,
    };
    Py::new(py, PyClassInitializer::from(tables).add_subclass(result))
}

#[pymethods]
impl Comparison {
    /// `comparison.csv`: per design and indicator, the design's mean and CI and its paired
    /// difference to the baseline (diff, diff_ci_low, diff_ci_high), Cohen's d_z, pairs n.
    #[getter]
    fn comparison(slf: PyRef<'_, Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        slf.as_super().frame(py, "comparison")
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
                charts.then(dugnad::lang::Lang::default),
            )
        })
    }

    fn __repr__(slf: PyRef<'_, Self>) -> String {
        format!(
            "<dugnad.Comparison {} (baseline {}): {} replicates per design>",
            slf.comparison.names.join(" vs "),
            slf.baseline(),
            slf.comparison.replicates
        )
    }
}

/// Adds `compare` and `Comparison` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Comparison>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)
}
