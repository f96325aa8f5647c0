//! Scenario files: the user-facing contract.
//!
//! Every table and key of a scenario file is declared once, in the field table ([`fields`]):
//! from it come the checked structs re-exported here ([`Scenario`], [`Activity`], ...), the key
//! lists, the reading and checking of each key ([`validate`]), the resolved TOML text
//! ([`to_toml()`]) and the JSON Schema ([`schema`]). `--set` overrides are applied to the TOML document by dotted path ([`overrides`]) before it
//! is read. The model and the engine only ever see a checked [`Scenario`]: every value in range,
//! every default filled in. The parameter table ([`params`]) is part of the same contract.
//!
//! Files, from the bottom up (each imports only files before it, tests aside): `error`,
//! `suggest` ("did you mean"), `toml_text`, `document` (the parsed document with key lines and
//! `--set` paths), `dist` (trait distributions and labels), `forms` (reading and writing
//! distributions and labels), `types` (the key types), `section` (the macro that turns a table
//! declaration into code), `params`, `mechanisms` (the mechanism switches), `fields` (the field
//! table), `schema`, `to_toml`, `overrides`, `schedule` (`[[schedule]]` entries checked and
//! resolved into the scenario in force from each week), `fit` (the `[fit]` priors, checked
//! against the scenario), `validate`.

pub mod dist;
pub mod error;
pub mod fields;
pub mod fit;
mod forms;
pub mod mechanisms;
mod named;
pub mod overrides;
pub mod params;
pub mod schedule;
pub mod schema;
mod section;
pub(crate) mod suggest;
pub mod to_toml;
pub(crate) mod toml_text;
mod types;
pub mod validate;

pub(crate) mod document;

pub use dist::{Attributes, Dist, Label};
pub use error::ScenarioError;
pub use fields::{
    Activity, Change, Cohort, Fit, FitSettings, LanguagePolicy, Output, Population, PriorOf, Role,
    Scenario, Setting, Stereotypes, Traits, TransitionTraits,
};
pub use mechanisms::{Mechanisms, MECHANISMS};
pub use overrides::{apply_overrides, parse_override};
pub use schema::json_schema;
pub use to_toml::to_toml;
pub use validate::{load, load_str, Source};
