//! The native module `dugnad._dugnad` behind the Python package `dugnad`: a thin binding over
//! the dugnad library. Every call builds the same plan the command line builds (the CLI's own
//! argument structs, the scenario given as a [`Source`]), runs it with the GIL released on all
//! cores, and hands Python the very bytes the library's exporters write for the CLI, which
//! `dugnad._frames` parses into pandas DataFrames. No number is formatted here.
//!
//! Files: `lib.rs` (the module, errors, the run flags every call shares, DataFrames from bytes,
//! calls that Ctrl-C can stop), `scenario.rs` (the `Scenario` class, Python values as TOML,
//! `params`), `tables.rs` (what every result has: its tables' bytes and DataFrames, its
//! manifest's call, its folder), then one file per call and its result class: `run.rs`,
//! `compare.rs`, `sweep.rs` (sweep and sensitivity), `trace.rs`.

mod compare;
mod run;
mod scenario;
mod sweep;
mod tables;
mod trace;

use dugnad::cli::RunArgs;
use dugnad::scenario::Source;
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

create_exception!(
    dugnad,
    ScenarioError,
    PyValueError,
    "A scenario that cannot be used: a malformed file, an unknown key, a value out of range, a \
     missing file, a `set` path that does not exist. `str(e)` is the command line's message; \
     `.file`, `.line`, `.key`, `.kind` and `.message` say where and what."
);
create_exception!(
    dugnad,
    UsageError,
    PyValueError,
    "A request dugnad refuses (a bad sweep axis, an unknown indicator, too many threads, a \
     folder it may not replace), with the command line's message saying what to do."
);
create_exception!(
    dugnad,
    DugnadError,
    PyRuntimeError,
    "Anything else that went wrong (a full disk, a result folder that cannot be read)."
);

/// The Python exception for a library error: [`ScenarioError`] when a scenario is at fault
/// (with its location as attributes), [`UsageError`] for what the CLI exits with code 2,
/// [`DugnadError`] otherwise. The message is the CLI's (`{:#}`, causes included).
pub fn to_py(e: anyhow::Error) -> PyErr {
    let message = format!("{e:#}");
    if let Some(se) = e
        .chain()
        .find_map(|c| c.downcast_ref::<dugnad::scenario::ScenarioError>())
    {
        return Python::attach(|py| scenario_error(py, se, message));
    }
    match dugnad::commands::exit_code(&e) {
        2 => UsageError::new_err(message),
        _ => DugnadError::new_err(message),
    }
}

/// A [`ScenarioError`] carrying `se`'s location, with `message` as its text.
pub fn scenario_error(
    py: Python<'_>,
    se: &dugnad::scenario::ScenarioError,
    message: String,
) -> PyErr {
    let err = ScenarioError::new_err(message);
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr("file", se.file())?;
        value.setattr("line", se.line())?;
        value.setattr("key", se.key())?;
        value.setattr("kind", se.kind())?;
        value.setattr("message", se.message())?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// Converts a library result.
pub trait OrPy<T> {
    fn or_py(self) -> PyResult<T>;
}

impl<T, E: Into<anyhow::Error>> OrPy<T> for Result<T, E> {
    fn or_py(self) -> PyResult<T> {
        self.map_err(|e| to_py(e.into()))
    }
}

/// The scenario a call is given: a [`scenario::Scenario`], or the path of a scenario file.
pub fn source_of(obj: &Bound<'_, PyAny>) -> PyResult<Source> {
    if let Ok(s) = obj.extract::<PyRef<'_, scenario::Scenario>>() {
        return Ok(s.source.clone());
    }
    match obj.extract::<PathBuf>() {
        Ok(path) => Source::read(&path).or_py(),
        Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a dugnad.Scenario or the path of a scenario file, got {}",
            obj.get_type().name()?
        ))),
    }
}

/// The `set` argument as `KEY=VALUE` overrides: a mapping of dotted paths to Python values
/// (written as TOML), or a list of `KEY=VALUE` strings exactly as given to `--set`.
pub fn overrides_of(set: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(set) = set.filter(|s| !s.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(d) = set.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, v)| {
                let key: String = k.extract()?;
                Ok(format!("{key}={}", scenario::toml_literal(&key, &v)?))
            })
            .collect();
    }
    if set.is_instance_of::<PyString>() {
        return Ok(vec![set.extract()?]);
    }
    if set.is_instance_of::<PyList>() || set.is_instance_of::<PyTuple>() {
        return set.extract();
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "set must be a dict of dotted paths to values, e.g. {\"activity.co_design\": 0.6}, or a list of \"KEY=VALUE\" strings",
    ))
}

/// The run flags every call takes, checked as the CLI checks them.
pub fn run_args(
    replicates: Option<u32>,
    weeks: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    set: Option<&Bound<'_, PyAny>>,
) -> PyResult<RunArgs> {
    let threads = threads
        .map(|t| dugnad::limits::parse_threads(&t.to_string()))
        .transpose()
        .map_err(|m| UsageError::new_err(format!("threads={}: {m}", threads.unwrap_or(0))))?;
    Ok(RunArgs {
        replicates,
        weeks,
        seed,
        threads,
        set: overrides_of(set)?,
        output: None,
        force: false,
        quiet: true,
        ..RunArgs::default()
    })
}

/// Raised inside a run's progress callback to unwind out of a run that was asked to stop.
struct Interrupted;

/// Stops a run from inside its progress callback once `stop` is set (the run ends at the next
/// replicate it reports; [`interruptible`] then raises the KeyboardInterrupt).
pub fn unwind_if(stop: &AtomicBool) {
    if stop.load(Ordering::Relaxed) {
        std::panic::resume_unwind(Box::new(Interrupted));
    }
}

/// Runs `work` on a thread of its own with the GIL released, while this thread watches for
/// Ctrl-C (Python runs its signal handlers only on the main thread, with the GIL): on a
/// KeyboardInterrupt it sets the flag `work` is given, waits until `work` has stopped (at its
/// next replicate or cell), and raises the KeyboardInterrupt. A panic in `work` is resumed here.
pub fn interruptible<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&AtomicBool) -> T + Send,
) -> PyResult<T> {
    let stop = AtomicBool::new(false);
    let finished = (Mutex::new(false), Condvar::new());
    std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| work(&stop)));
            *finished.0.lock().expect("flag") = true;
            finished.1.notify_all();
            outcome
        });
        let mut interrupt = None;
        loop {
            let done = py.detach(|| {
                let guard = finished.0.lock().expect("flag");
                let (guard, _) = finished
                    .1
                    .wait_timeout_while(guard, Duration::from_millis(100), |f| !*f)
                    .expect("flag");
                *guard
            });
            if done {
                break;
            }
            if interrupt.is_none() {
                if let Err(e) = py.check_signals() {
                    stop.store(true, Ordering::Relaxed);
                    interrupt = Some(e);
                }
            }
        }
        let outcome = py
            .detach(|| worker.join())
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        match (interrupt, outcome) {
            (Some(e), _) => Err(e),
            (None, Ok(value)) => Ok(value),
            (None, Err(panic)) => std::panic::resume_unwind(panic),
        }
    })
}

/// A DataFrame parsed from CSV bytes by `dugnad._frames.read_csv`.
pub fn frame(py: Python<'_>, bytes: &[u8]) -> PyResult<Py<PyAny>> {
    Ok(py
        .import("dugnad._frames")?
        .call_method1("read_csv", (PyBytes::new(py, bytes),))?
        .unbind())
}

/// A JSON text as Python values.
pub fn json(py: Python<'_>, text: &[u8]) -> PyResult<Py<PyAny>> {
    Ok(py
        .import("json")?
        .call_method1("loads", (PyBytes::new(py, text),))?
        .unbind())
}

/// The native module.
#[pymodule]
fn _dugnad(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // An interrupt in Python is a KeyboardInterrupt, not the end of the process.
    dugnad::output::atomic::leave_interrupts_to_host();
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add("DugnadError", py.get_type::<DugnadError>())?;
    m.add_class::<scenario::Scenario>()?;
    m.add_class::<tables::Tables>()?;
    m.add_function(wrap_pyfunction!(scenario::params, m)?)?;
    run::register(m)?;
    compare::register(m)?;
    sweep::register(m)?;
    trace::register(m)?;
    Ok(())
}
