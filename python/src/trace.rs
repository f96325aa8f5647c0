//! `dugnad.trace`: one week of one group as events and a transcript.

use crate::{run_args, source_of, OrPy, UsageError};
use dugnad::experiment as ex;
use dugnad::teach::trace as tr;
use pyo3::prelude::*;
use std::sync::Mutex;

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

/// Adds `trace` and `Trace` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Trace>()?;
    m.add_function(wrap_pyfunction!(trace, m)?)
}
