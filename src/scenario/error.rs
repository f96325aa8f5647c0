//! Errors of reading, overriding and validating a scenario file.
//!
//! Every error names the file, the dotted key path and (when known) the 1-based line, and its
//! message says what is allowed and how to fix it. `Display` renders
//! `FILE:LINE: KEY: MESSAGE` (the `:LINE` part and the `KEY: ` part are left out when unknown),
//! e.g. `scenarios/x.toml:14: population.newcomers.language: beta parameters must be > 0
//! (got a = 0); write e.g. { beta = [2.0, 5.0] }`.

use std::fmt;

/// Where an error is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The scenario file as named by the user (or the `origin` given to `load_str`).
    pub file: String,
    /// Dotted key path, e.g. `population.newcomers.language`; empty when the error concerns the
    /// whole file.
    pub key: String,
    /// 1-based line in the file, when known (values given by `--set` have none).
    pub line: Option<usize>,
    /// What is wrong, what is allowed and how to fix it.
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A scenario that cannot be used, by class of problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The file is missing, unreadable or not UTF-8 text.
    #[error("{0}")]
    Io(Located),
    /// The text is not valid TOML.
    #[error("{0}")]
    Syntax(Located),
    /// A key the format does not know (the message lists the allowed keys and the closest one).
    #[error("{0}")]
    UnknownKey(Located),
    /// A value of the wrong TOML type (a string where a number belongs, ...).
    #[error("{0}")]
    WrongType(Located),
    /// A value outside its allowed range or otherwise invalid (a probability of 1.3, ...).
    #[error("{0}")]
    OutOfRange(Located),
    /// A required key is absent.
    #[error("{0}")]
    Missing(Located),
    /// An activity's groups would have no participant or no volunteer/staff, or no population exists.
    #[error("{0}")]
    EmptyPopulation(Located),
    /// A `--set KEY=VALUE` that is malformed or names a path that cannot exist.
    #[error("{0}")]
    BadOverride(Located),
}

/// The [`Located`] inside any variant of a [`ScenarioError`] (by reference, shared or
/// mutable): the one list of the variants that [`ScenarioError::location`] and
/// [`ScenarioError::given_by`] both read.
macro_rules! located {
    ($e:expr) => {
        match $e {
            ScenarioError::Io(l)
            | ScenarioError::Syntax(l)
            | ScenarioError::UnknownKey(l)
            | ScenarioError::WrongType(l)
            | ScenarioError::OutOfRange(l)
            | ScenarioError::Missing(l)
            | ScenarioError::EmptyPopulation(l)
            | ScenarioError::BadOverride(l) => l,
        }
    };
}

impl ScenarioError {
    /// Where the error is and what it says.
    pub fn location(&self) -> &Located {
        located!(self)
    }

    /// The same error told as given by a command-line `flag` (`--weeks`) rather than by
    /// `--set`, its example too (`write e.g. --weeks 104`): the flags that set scenario values
    /// are applied as overrides.
    pub fn given_by(mut self, flag: &str) -> ScenarioError {
        let loc = located!(&mut self);
        if let Some(head) = loc.message.strip_suffix(" (this value was given by --set)") {
            let head = head.replace(
                &format!("write e.g. --set {}=", loc.key),
                &format!("write e.g. {flag} "),
            );
            loc.message = format!("{head} (this value was given by {flag})");
        }
        self
    }

    /// Short name of the error class (`io`, `syntax`, `unknown-key`, `wrong-type`,
    /// `out-of-range`, `missing`, `empty-population`, `bad-override`).
    pub fn kind(&self) -> &'static str {
        match self {
            ScenarioError::Io(_) => "io",
            ScenarioError::Syntax(_) => "syntax",
            ScenarioError::UnknownKey(_) => "unknown-key",
            ScenarioError::WrongType(_) => "wrong-type",
            ScenarioError::OutOfRange(_) => "out-of-range",
            ScenarioError::Missing(_) => "missing",
            ScenarioError::EmptyPopulation(_) => "empty-population",
            ScenarioError::BadOverride(_) => "bad-override",
        }
    }

    /// The file named in the error.
    pub fn file(&self) -> &str {
        &self.location().file
    }

    /// The dotted key path ("" when the error concerns the whole file).
    pub fn key(&self) -> &str {
        &self.location().key
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.location().line
    }

    /// The message without the location prefix.
    pub fn message(&self) -> &str {
        &self.location().message
    }

    /// The same error (same class) at another location.
    pub fn relocated(self, loc: Located) -> ScenarioError {
        match self {
            ScenarioError::Io(_) => ScenarioError::Io(loc),
            ScenarioError::Syntax(_) => ScenarioError::Syntax(loc),
            ScenarioError::UnknownKey(_) => ScenarioError::UnknownKey(loc),
            ScenarioError::WrongType(_) => ScenarioError::WrongType(loc),
            ScenarioError::OutOfRange(_) => ScenarioError::OutOfRange(loc),
            ScenarioError::Missing(_) => ScenarioError::Missing(loc),
            ScenarioError::EmptyPopulation(_) => ScenarioError::EmptyPopulation(loc),
            ScenarioError::BadOverride(_) => ScenarioError::BadOverride(loc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(line: Option<usize>, key: &str) -> Located {
        Located {
            file: "scenarios/x.toml".into(),
            key: key.into(),
            line,
            message: "beta parameters must be > 0 (got a = 0); write e.g. { beta = [2.0, 5.0] }"
                .into(),
        }
    }

    #[test]
    fn display_has_file_line_key_and_message() {
        let e = ScenarioError::OutOfRange(loc(Some(14), "population.newcomers.language"));
        assert_eq!(
            e.to_string(),
            "scenarios/x.toml:14: population.newcomers.language: beta parameters must be > 0 \
             (got a = 0); write e.g. { beta = [2.0, 5.0] }"
        );
        assert_eq!(e.kind(), "out-of-range");
        assert_eq!(e.line(), Some(14));
    }

    #[test]
    fn display_leaves_out_unknown_parts() {
        let e = ScenarioError::Io(loc(None, ""));
        assert!(e.to_string().starts_with("scenarios/x.toml: beta"));
        let e = ScenarioError::BadOverride(loc(None, "activity.x"));
        assert!(e.to_string().starts_with("scenarios/x.toml: activity.x: "));
    }
}
