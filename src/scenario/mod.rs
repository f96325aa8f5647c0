//! Scenario files: the user-facing contract.
//!
//! A scenario file (TOML) is parsed into raw serde structs (`raw`, `deny_unknown_fields`),
//! `--set` overrides are applied to the TOML document by dotted path (`overrides`), and the
//! result is validated into the checked [`Scenario`] below (`validate`). The model and the
//! engine only ever see a checked `Scenario`: every value in range, every default filled in.

pub mod dist;
pub mod error;
pub mod overrides;
pub mod raw;
pub mod schema;
pub mod validate;

pub use dist::{Dist, Label};
pub use error::ScenarioError;
pub use overrides::{apply_overrides, parse_override};
pub use schema::json_schema;
pub use validate::{load, load_str, to_toml};

use crate::model::params::Params;
use serde::Serialize;

/// Role of a person in an activity (MODEL.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// An unpaid local helper.
    Volunteer,
    /// A paid or coordinating local (e.g. the head of the centre): host 1, low withdrawal.
    Staff,
    /// An immigrant participant (may become co-organizer, then volunteer).
    Participant,
}

/// Language policy of an activity (MODEL.md Appendix C, M7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LanguagePolicy {
    /// Only the local language is used (default).
    LocalOnly,
    /// Other languages are welcome: halves hesitation (h0) and halves speaking practice (w_speak).
    Multilingual,
}

/// A checked, fully resolved scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub weeks: u32,
    pub replicates: u32,
    pub seed: u64,
    /// Origin labels that count as the majority (diffuse status). Default `["local"]`.
    pub majority_origins: Vec<String>,
    /// Activity designs, in file order of their keys (a single `[activity]` has key "activity").
    pub activities: Vec<Activity>,
    /// Populations, sorted by key.
    pub populations: Vec<Population>,
    /// Volunteers' prior perceived competence by origin label; `default` covers the rest.
    pub stereotypes: Stereotypes,
    /// Traits given to a participant who becomes a volunteer (`[transition]`).
    pub transition: TransitionTraits,
    pub params: Params,
}

/// Stereotype priors by origin label.
#[derive(Debug, Clone, Serialize)]
pub struct Stereotypes {
    /// (origin label, prior), sorted by label.
    pub by_origin: Vec<(String, f64)>,
    /// Prior for origins not listed (0.5 unless `default` is given).
    pub default: f64,
}

impl Stereotypes {
    /// Prior perceived competence for an origin label.
    pub fn prior(&self, origin: &str) -> f64 {
        self.by_origin
            .iter()
            .find(|(o, _)| o == origin)
            .map(|(_, v)| *v)
            .unwrap_or(self.default)
    }
}

/// Traits of a participant who becomes a volunteer.
#[derive(Debug, Clone, Serialize)]
pub struct TransitionTraits {
    pub need_to_help: Dist,
    pub protectiveness: Dist,
    pub withdrawal_propensity: Dist,
}

/// One activity design; `groups` independent groups of it run in each replicate.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub key: String,
    pub kind: String,
    pub groups: u32,
    pub meetings_per_week: u32,
    pub turns_per_meeting: u32,
    pub hours_per_meeting: f64,
    /// Volunteers provide, participants receive (0..1).
    pub service_frame: f64,
    /// Participants' share in setting the agenda (0..1).
    pub co_design: f64,
    /// Turn-taking norm that blocks usurping (0..1).
    pub facilitation: f64,
    /// Open roles for participants to co-organize and volunteer.
    pub pathway: bool,
    /// Locals also join as peers rather than helpers.
    pub mixed: bool,
    pub language_policy: LanguagePolicy,
    /// Origin labels the activity is aimed at (makes the category salient in help, M2).
    pub targets: Vec<String>,
    /// Maximum participants per group; a waiting list refills places when set.
    pub capacity: Option<u32>,
    /// Weekly probability that a volunteer vacancy is filled.
    pub recruitment: f64,
    /// Keys of the populations that make up each group (default: all).
    pub populations: Vec<String>,
}

impl Activity {
    /// Equal-status conditions: mean(1 − service_frame, co_design, mixed) (Allport).
    pub fn equal_status(&self) -> f64 {
        ((1.0 - self.service_frame) + self.co_design + if self.mixed { 1.0 } else { 0.0 }) / 3.0
    }
}

/// A population: `count` persons per group with traits drawn from distributions.
#[derive(Debug, Clone, Serialize)]
pub struct Population {
    pub key: String,
    pub role: Role,
    pub count: u32,
    pub origin: Label,
    pub life_stage: Label,
    pub traits: Traits,
}

/// Trait distributions of a population (each value in [0, 1]; draws are clamped).
#[derive(Debug, Clone, Serialize)]
pub struct Traits {
    pub need_to_help: Dist,
    pub protectiveness: Dist,
    pub withdrawal_propensity: Dist,
    pub talkativeness: Dist,
    pub network: Dist,
    pub initiative: Dist,
    pub care_load: Dist,
    pub resources: Dist,
    pub language: Dist,
}
