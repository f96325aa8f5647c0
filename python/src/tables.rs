//! What every result has: its tables as the exporters wrote them, DataFrames parsed from them
//! when first asked for, its manifest, how the call is recorded in that manifest, and writing its
//! folder. [`Tables`] is the Python base class (`_Tables`) of every result class, which holds the
//! getters they share (`tables`, `files`, `csv`, `manifest`); each result `extends` it.

use crate::{frame, json, OrPy, UsageError};
use dugnad::output::atomic::ResultDir;
use dugnad::output::formats::File;
use dugnad::output::manifest::Provenance;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What every result has: its table files as written, their DataFrames, its manifest.
#[pyclass(name = "_Tables", module = "dugnad", subclass, frozen)]
pub struct Tables {
    files: Vec<File>,
    frames: Mutex<BTreeMap<String, Py<PyAny>>>,
    manifest: Vec<u8>,
}

/// A table's name without the format's extension (`timeseries.csv` → `timeseries`).
fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

impl Tables {
    /// A result's table files and the `manifest.json` that lists them.
    pub fn new(files: Vec<File>, manifest: Vec<u8>) -> Tables {
        Tables {
            files,
            frames: Mutex::new(BTreeMap::new()),
            manifest,
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
    pub fn frame(&self, py: Python<'_>, name: &str) -> PyResult<Option<Py<PyAny>>> {
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
    pub fn all<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for f in self.files.iter().filter(|f| f.name.ends_with(".csv")) {
            d.set_item(stem(&f.name), self.frame(py, &f.name)?)?;
        }
        Ok(d)
    }

    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.name.clone()).collect()
    }

    /// The bytes of file `name` (`timeseries` or `timeseries.csv`).
    pub fn bytes(&self, name: &str) -> PyResult<Vec<u8>> {
        self.file(name).map(|f| f.bytes.clone()).ok_or_else(|| {
            UsageError::new_err(format!(
                "this result has no table '{name}'; it has: {}",
                self.names().join(", ")
            ))
        })
    }
}

#[pymethods]
impl Tables {
    /// Every table of the result, by name.
    #[getter]
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.all(py)
    }

    /// The table files, in the order the CLI writes them.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.names()
    }

    /// The exact bytes of a table file (`"timeseries"` or `"timeseries.csv"`).
    fn csv<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.bytes(name)?))
    }

    /// What `manifest.json` says: version, call, seed, overrides, resolved scenario.
    #[getter]
    fn manifest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json(py, &self.manifest)
    }
}

/// How a Python call is recorded in a manifest's `command_line`: the call, the scenarios, and
/// every value set, as `--set` flags (so that a scenario read from a file reruns on the CLI).
pub fn called(what: &str, origins: &[&str], overrides: &[String], flags: &[String]) -> Provenance {
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
pub fn started_before(wall: f64) -> Instant {
    Instant::now()
        .checked_sub(Duration::from_secs_f64(wall))
        .unwrap_or_else(Instant::now)
}

/// Writes a result folder at `dir` through `write` (into a temporary folder, renamed into place
/// when complete; an existing folder is replaced only with `force`, and only if dugnad wrote it).
pub fn save_folder(
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
