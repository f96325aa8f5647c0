//! Manifests: everything needed to reproduce a result, written beside it as `manifest.json`.

use crate::scenario::Scenario;
use serde::Serialize;

/// The result format every folder this dugnad writes is in: 2 = every CSV long, with a `lens`
/// column (issue 12); 1 = before lenses. `dugnad plot` and the readers refuse other formats.
pub const FORMAT_VERSION: u64 = 2;

/// What every manifest says first: the result format, the binary and the invocation.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub format_version: u64,
    pub dugnad_version: String,
    pub git_commit: Option<String>,
    pub command_line: Vec<String>,
}

impl Provenance {
    /// This binary and this process's command line.
    pub fn now() -> Provenance {
        Provenance::called(std::env::args().collect())
    }

    /// This library, called by `command_line` (a program that is not the dugnad binary, e.g.
    /// the Python package, says here how it was called).
    pub fn called(command_line: Vec<String>) -> Provenance {
        Provenance {
            format_version: FORMAT_VERSION,
            dugnad_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: git_commit(),
            command_line,
        }
    }
}

/// A manifest's bytes: pretty JSON with a final newline.
pub fn to_json<T: Serialize>(manifest: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(manifest).expect("manifest serializes");
    v.push(b'\n');
    v
}

/// `manifest.json` of a run folder.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub scenario_file: String,
    pub overrides: Vec<String>,
    pub seed: u64,
    pub replicates: u32,
    pub weeks: u32,
    pub threads: usize,
    pub wall_time_seconds: f64,
    pub files: Vec<String>,
    pub scenario: Scenario,
}

/// The commit the binary was built from, if it was built in a git checkout.
pub fn git_commit() -> Option<String> {
    let c = env!("DUGNAD_GIT_COMMIT");
    (!c.is_empty()).then(|| c.to_string())
}

impl Manifest {
    pub fn to_json(&self) -> Vec<u8> {
        to_json(self)
    }
}
