//! Experiments built on the replicate runner: a plain run (`run`), design comparisons on common
//! random numbers (`compare`), parameter sweeps (`grid` turns a sweep design into a list of
//! cells, `sweep` runs cells, `store` commits them cell by cell to a resumable folder and merges
//! shard folders, `shard` splits the cells between machines) and sensitivity analyses
//! (`sensitivity`, Morris and Sobol designs run as sweeps) and the ablation matrix of the
//! stylized facts (`validation`). Each command's plan is built here
//! from its arguments (`Plan::from_args`), so a command is parse → plan → run → write.
//! `docs/experiments.md` documents the commands and file formats.

pub mod compare;
pub mod fit;
pub mod grid;
pub mod run;
pub mod sensitivity;
pub mod shard;
pub mod store;
pub mod sweep;
pub mod validation;

use crate::lang::Lang;
use crate::metrics::aggregate::ReplicateResult;
use crate::metrics::indicators::headline_lens;
use crate::metrics::{indicator, indicator_names, Layout, Row};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The user asked for something an experiment cannot do, or pointed it at the wrong folder
/// (the command layer reports it with exit code 2). The message says what to do instead.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// The experiment was stopped on request (a host program's interrupt) before all its work was
/// done; what was committed is kept.
#[derive(Debug, thiserror::Error)]
#[error("stopped before every cell was run; the cells done are kept, and running the same sweep into the same folder resumes")]
pub struct Stopped;

/// A scenario error about a value that `--weeks`, `--replicates` or `--seed` gave, told as
/// given by that flag (the flags reach the scenario as overrides, which errors call `--set`).
pub fn attribute_flags(e: anyhow::Error, args: &crate::cli::RunArgs) -> anyhow::Error {
    match e.downcast::<crate::scenario::ScenarioError>() {
        Ok(se) => match args.flag_for(se.key()) {
            Some(flag) => se.given_by(flag).into(),
            None => se.into(),
        },
        Err(e) => e,
    }
}

/// Which per-replicate value of an indicator an experiment summarizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The value in the last week.
    FinalWeek,
    /// The mean over the weeks where the indicator is defined.
    RunMean,
}

impl Scope {
    /// Parses `final_week` or `run_mean`.
    pub fn parse(s: &str) -> Result<Scope, Refusal> {
        match s {
            "final_week" => Ok(Scope::FinalWeek),
            "run_mean" => Ok(Scope::RunMean),
            _ => Err(Refusal(format!(
                "unknown scope '{s}'; use final_week or run_mean"
            ))),
        }
    }

    /// The name used in files: `final_week` or `run_mean`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::FinalWeek => "final_week",
            Scope::RunMean => "run_mean",
        }
    }

    /// One replicate's indicator row in this scope.
    pub fn row(self, r: &ReplicateResult) -> Row {
        match self {
            Scope::FinalWeek => r.final_row(),
            Scope::RunMean => r.run_mean(),
        }
    }
}

/// The series (position in `layout`) of indicator `name` at `lens`: the lens given (it must be
/// one of the indicator's in `layout`), else the indicator's headline lens (`newcomers`, or
/// `all` for indicators that do not describe newcomers).
pub fn pick_series(layout: &Layout, name: &str, lens: Option<&str>) -> Result<usize, Refusal> {
    let Some(ind) = indicator(name) else {
        return Err(Refusal(format!(
            "'{name}' is not an indicator; choose one of: {}",
            indicator_names().join(", ")
        )));
    };
    let lens = lens.unwrap_or_else(|| headline_lens(ind));
    layout.position(name, lens).ok_or_else(|| {
        Refusal(format!(
            "{name} has no lens '{lens}' in this scenario; its lenses: {}",
            layout.lenses_of(name).join(", ")
        ))
    })
}

/// `indicator (lens)`: how summaries, warnings and charts name one output. In a language other
/// than English a class lens is in that language's words (`mean_agency (nyankomne)`); English,
/// and a lens without words (`origin=syria`), keep the lens as written.
pub fn output_label(lang: Lang, indicator: &str, lens: &str) -> String {
    match lang.catalogue().get(&format!("common.lens_{lens}")) {
        Some(words) if lang != Lang::En => format!("{indicator} ({words})"),
        _ => format!("{indicator} ({lens})"),
    }
}

/// The default result folder of a run or experiment named `name`: `output/<name>/`.
pub fn default_output(name: &str) -> PathBuf {
    PathBuf::from("output").join(name)
}

/// The JSON file `path` of an experiment folder (`sweep.json`, `fit.json`, a closed
/// generation), if it exists; one that cannot be read as a `T` is refused with the words
/// `unreadable` gives (which say what to do).
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    unreadable: impl FnOnce(&std::path::Path, serde_json::Error) -> String,
) -> anyhow::Result<Option<T>> {
    use anyhow::Context;
    if !path.exists() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value = serde_json::from_str(&text).map_err(|e| Refusal(unreadable(path, e)))?;
    Ok(Some(value))
}

/// A stable 128-bit hash of text (FNV-1a 128), as 32 hex digits: sweep identities.
pub fn hash_hex(text: &str) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let h = text
        .bytes()
        .fold(OFFSET, |h, b| (h ^ b as u128).wrapping_mul(PRIME));
    format!("{h:032x}")
}

/// Splits `text` at commas that are not inside brackets, braces or quotes
/// (`0.1,{beta=[2,2]},"a,b"` → three parts), trimming each part.
pub fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(current.trim().to_string());
                    current.clear();
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    parts.push(current.trim().to_string());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_split_respects_nesting_and_quotes() {
        assert_eq!(
            split_top_level("0.1, {beta=[2,2]},\"a,b\""),
            vec!["0.1", "{beta=[2,2]}", "\"a,b\""]
        );
        assert_eq!(split_top_level("x"), vec!["x"]);
    }

    #[test]
    fn hash_is_stable_and_sensitive() {
        assert_eq!(hash_hex(""), "6c62272e07bb014262b821756295c58d");
        assert_ne!(hash_hex("a"), hash_hex("b"));
        assert_eq!(hash_hex("abc").len(), 32);
    }
}
