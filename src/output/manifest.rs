//! The run manifest: everything needed to reproduce a run.

use crate::scenario::Scenario;
use serde::Serialize;

/// `manifest.json` of a run folder.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub dugnad_version: String,
    pub git_commit: Option<String>,
    pub command_line: Vec<String>,
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
        let mut v = serde_json::to_vec_pretty(self).expect("manifest serializes");
        v.push(b'\n');
        v
    }
}
