//! `dugnad.Scenario`: a scenario file's text, the name it goes by, and the dotted-path values
//! set on it, checked by the library's validator at every step; and Python values written as
//! the TOML values `--set` takes.

use crate::{OrPy, UsageError};
use dugnad::scenario::{to_toml, Source};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString, PyTuple};
use std::path::PathBuf;
use toml_edit::{Array, InlineTable, Value};

/// A checked scenario: the text of a scenario file (or of a string), the name it goes by in
/// messages, and the values set on it by dotted path.
#[pyclass(module = "dugnad")]
pub struct Scenario {
    pub source: Source,
    /// The scenario with every value set and every default filled in.
    pub checked: dugnad::scenario::Scenario,
}

impl Scenario {
    fn new(source: Source) -> PyResult<Scenario> {
        let checked = source.load(&[]).or_py()?;
        Ok(Scenario { source, checked })
    }
}

#[pymethods]
impl Scenario {
    /// Reads and checks a scenario file, e.g. `Scenario.load("scenarios/knitting-cafe.toml")`.
    /// Raises :class:`ScenarioError` naming the file, line and key of what is wrong.
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Scenario> {
        Scenario::new(Source::read(&path).or_py()?)
    }

    /// Checks scenario text; `name` is what messages and manifests call it.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<string>"))]
    fn from_toml(text: String, name: &str) -> PyResult<Scenario> {
        Scenario::new(Source::new(text, name))
    }

    /// Sets `key` (a dotted path as `--set` takes it: `activity.co_design`,
    /// `population.newcomers.language`, `parameters.alpha1`, ...) to `value` (bool, int, float,
    /// str, list, or dict such as `{"beta": [2, 5]}`) in this scenario and returns it, so calls
    /// chain. Raises :class:`ScenarioError`, leaving the scenario as it was, when the path does not
    /// exist or the value is not allowed.
    fn set<'py>(
        mut slf: PyRefMut<'py, Self>,
        key: &str,
        value: &Bound<'py, PyAny>,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let assignment = format!("{key}={}", toml_literal(key, value)?);
        let next = Scenario::new(slf.source.set(assignment).or_py()?)?;
        *slf = next;
        Ok(slf)
    }

    /// An independent copy (`set` on it leaves this one alone).
    fn copy(&self) -> Scenario {
        Scenario {
            source: self.source.clone(),
            checked: self.checked.clone(),
        }
    }

    /// The scenario fully resolved, every default filled in, as TOML (`dugnad check`).
    fn to_toml(&self) -> String {
        to_toml(&self.checked)
    }

    /// `scenario.name`.
    #[getter]
    fn name(&self) -> String {
        self.checked.name.clone()
    }

    /// The file it was read from, or the name given to `from_toml`.
    #[getter]
    fn origin(&self) -> String {
        self.source.origin.clone()
    }

    /// The text as read, before any value was set.
    #[getter]
    fn text(&self) -> String {
        self.source.text.clone()
    }

    /// The values set, as `KEY=VALUE`, in the order set.
    #[getter]
    fn overrides(&self) -> Vec<String> {
        self.source.overrides.clone()
    }

    /// `scenario.replicates`.
    #[getter]
    fn replicates(&self) -> u32 {
        self.checked.replicates
    }

    /// `scenario.weeks`.
    #[getter]
    fn weeks(&self) -> u32 {
        self.checked.weeks
    }

    /// `scenario.seed`.
    #[getter]
    fn seed(&self) -> u64 {
        self.checked.seed
    }

    fn __repr__(&self) -> String {
        let mut s = format!(
            "Scenario('{}' from {}, {} weeks, {} replicates, seed {}",
            self.checked.name,
            self.source.origin,
            self.checked.weeks,
            self.checked.replicates,
            self.checked.seed
        );
        if !self.source.overrides.is_empty() {
            s.push_str(&format!(", set {}", self.source.overrides.join(", ")));
        }
        s.push(')');
        s
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .extract::<PyRef<'_, Scenario>>()
            .is_ok_and(|o| to_toml(&o.checked) == to_toml(&self.checked))
    }
}

/// A Python value as the TOML value text `--set` takes: bool, int, float, str, a list or
/// tuple of values, a dict of str keys (`{"beta": [2, 5]}` is `{ beta = [2, 5] }`).
pub fn toml_literal(key: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(toml_value(key, value)?.to_string())
}

fn toml_value(key: &str, v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_instance_of::<PyBool>() {
        return Ok(Value::from(v.extract::<bool>()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(Value::from(v.extract::<String>()?));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(Value::from(v.extract::<f64>()?));
    }
    if let Ok(i) = v.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(x) = v.extract::<f64>() {
        return Ok(Value::from(x));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut t = InlineTable::new();
        for (k, item) in d.iter() {
            let k: String = k.extract().map_err(|_| {
                PyTypeError::new_err(format!("{key}: the keys of a table must be str"))
            })?;
            t.insert(&k, toml_value(key, &item)?);
        }
        return Ok(Value::InlineTable(t));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut a = Array::new();
        for item in v.try_iter()? {
            a.push(toml_value(key, &item?)?);
        }
        return Ok(Value::Array(a));
    }
    Err(UsageError::new_err(format!(
        "{key}: a {} is not a scenario value; give a bool, int, float, str, list or dict, e.g. 0.6, \"multilingual\" or {{\"beta\": [2, 5]}}",
        v.get_type().name()?
    )))
}

/// Every model parameter: name, mechanism, default, min, max, plausible range, meaning (what
/// `dugnad params` prints).
#[pyfunction]
pub fn params(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_vec(dugnad::scenario::params::PARAMS)
        .map_err(|e| crate::DugnadError::new_err(e.to_string()))?;
    Ok(py
        .import("dugnad._frames")?
        .call_method1("records", (pyo3::types::PyBytes::new(py, &text),))?
        .unbind())
}
