//! Scenario files: the user-facing contract.
//!
//! Every table and key of a scenario file is declared once, in the field table ([`fields`]):
//! from it come the checked structs below, the key lists, the reading and checking of each key
//! ([`validate`]), the resolved TOML text ([`to_toml()`]) and the JSON Schema ([`schema`]).
//! `--set` overrides are applied to the TOML document by dotted path ([`overrides`]) before it
//! is read. The model and the engine only ever see a checked [`Scenario`]: every value in range,
//! every default filled in. The parameter table ([`params`]) is part of the same contract.
//!
//! Files, from the bottom up: `error`, `suggest` ("did you mean"), `toml_text`, `document` (the
//! parsed document with key lines and `--set` paths), `dist` (trait distributions and labels),
//! `forms` (reading and writing distributions and labels), `types` (the key types), `section`
//! (the macro that turns a table declaration into code), `params`, `fields` (the field table),
//! `schema`, `to_toml`, `overrides`, `validate`.

pub mod dist;
pub mod error;
pub mod fields;
mod forms;
pub mod overrides;
pub mod params;
pub mod schema;
mod section;
mod suggest;
pub mod to_toml;
mod toml_text;
mod types;
pub mod validate;

pub(crate) mod document;

pub use dist::{Dist, Label};
pub use error::ScenarioError;
pub use fields::{Activity, Population, Scenario, Traits, TransitionTraits};
pub use overrides::{apply_overrides, parse_override};
pub use schema::json_schema;
pub use to_toml::to_toml;
pub use validate::{load, load_str};

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

impl Activity {
    /// Equal-status conditions: mean(1 − service_frame, co_design, mixed) (Allport).
    pub fn equal_status(&self) -> f64 {
        ((1.0 - self.service_frame) + self.co_design + if self.mixed { 1.0 } else { 0.0 }) / 3.0
    }
}
