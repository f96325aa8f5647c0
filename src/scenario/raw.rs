//! The scenario file format as plain serde structs (`deny_unknown_fields`).
//!
//! These structs are the documented shape of a scenario file: the JSON Schema
//! ([`super::schema::json_schema`]) is generated from them, and any bundled
//! scenario deserializes into them. Validation itself ([`super::validate`]) walks the parsed TOML
//! document directly, so that every error knows its dotted key path and line; it uses the key
//! lists below, which a unit test keeps equal to these structs' fields.

use schemars::gen::SchemaGenerator;
use schemars::schema::{
    InstanceType, Metadata, NumberValidation, ObjectValidation, Schema, SchemaObject,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Top-level tables of a scenario file.
pub const TOP_KEYS: &[&str] = &[
    "scenario",
    "activity",
    "population",
    "stereotypes",
    "transition",
    "parameters",
];

/// Keys of `[scenario]`.
pub const SCENARIO_KEYS: &[&str] = &[
    "name",
    "description",
    "weeks",
    "replicates",
    "seed",
    "majority_origins",
];

/// Keys of an activity design (`[activity]` or `[activity.<key>]`).
pub const ACTIVITY_KEYS: &[&str] = &[
    "kind",
    "groups",
    "meetings_per_week",
    "turns_per_meeting",
    "hours_per_meeting",
    "service_frame",
    "co_design",
    "facilitation",
    "pathway",
    "mixed",
    "language_policy",
    "targets",
    "capacity",
    "recruitment",
    "populations",
];

/// Trait keys of a population, in the order of [`super::Traits`]. The same set for every role.
pub const TRAIT_KEYS: &[&str] = &[
    "need_to_help",
    "protectiveness",
    "withdrawal_propensity",
    "talkativeness",
    "network",
    "initiative",
    "care_load",
    "resources",
    "language",
];

/// Keys of a population (`[population.<key>]`): role, count, origin, life_stage and the traits.
pub const POPULATION_KEYS: &[&str] = &[
    "role",
    "count",
    "origin",
    "life_stage",
    "need_to_help",
    "protectiveness",
    "withdrawal_propensity",
    "talkativeness",
    "network",
    "initiative",
    "care_load",
    "resources",
    "language",
];

/// Keys of `[transition]`.
pub const TRANSITION_KEYS: &[&str] = &["need_to_help", "protectiveness", "withdrawal_propensity"];

/// Keys of a trait distribution written as an inline table (exactly one of them).
pub const DIST_KEYS: &[&str] = &["uniform", "beta", "normal", "triangular"];

/// Keys of a label choice (`{ choice = [...], weights = [...] }`).
pub const CHOICE_KEYS: &[&str] = &["choice", "weights"];

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "dugnad scenario",
    description = "A scenario file of the dugnad simulator (TOML). Every value is checked when the file is \
                   loaded; `dugnad check FILE` prints the fully resolved scenario with every default filled in."
)]
pub struct RawScenario {
    pub scenario: RawMeta,
    /// One activity design (`[activity]` with fields) or several keyed designs (`[activity.cafe]`,
    /// `[activity.tour]`, ... each with the same fields).
    pub activity: RawActivities,
    /// Populations by key (`[population.volunteers]`); keys use only a-z, 0-9, '-' and '_'.
    pub population: BTreeMap<String, RawPopulation>,
    /// Volunteers' prior perceived competence (0..1) of participants by origin label; the key
    /// `default` covers unlisted origins (0.5 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "stereotypes_schema")]
    pub stereotypes: Option<BTreeMap<String, f64>>,
    /// Traits of a participant who becomes a volunteer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition: Option<RawTransition>,
    /// Model parameters by name (see `dugnad params`); each value within that parameter's range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "parameters_schema")]
    pub parameters: Option<BTreeMap<String, f64>>,
}

/// `[scenario]`: name and run settings.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Required. Used in output folder names: only a-z, 0-9, '-' and '_'.
    #[schemars(regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub name: String,
    /// Free text (default "").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Simulated weeks, 1..=520 (default 52). One tick is one week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 520))]
    pub weeks: Option<u32>,
    /// Independent replicates, 1..=100000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100000))]
    pub replicates: Option<u32>,
    /// Master seed (default 1); a non-negative integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Origin labels that count as the majority (diffuse status). Default ["local"].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub majority_origins: Option<Vec<String>>,
}

/// The activity table: a single design or several keyed designs.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RawActivities {
    /// `[activity]` with the fields directly.
    Single(RawActivity),
    /// `[activity.<key>]` tables, each a design; keys use only a-z, 0-9, '-' and '_'.
    Keyed(BTreeMap<String, RawActivity>),
}

/// One activity design; `groups` independent groups of it run in each replicate.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawActivity {
    /// Free label (default: the activity's key; for a single [activity], the scenario name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Independent groups of this design, 1..=10000 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub groups: Option<u32>,
    /// Meetings per week, 1..=7 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 7))]
    pub meetings_per_week: Option<u32>,
    /// Speaking turns per meeting, 1..=2000 (default 120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2000))]
    pub turns_per_meeting: Option<u32>,
    /// Hours per meeting, in (0, 24] (default 2.0); drives language practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 24))]
    pub hours_per_meeting: Option<f64>,
    /// Volunteers provide, participants receive: 0..1 (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub service_frame: Option<f64>,
    /// Participants' share in setting the agenda: 0..1 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub co_design: Option<f64>,
    /// Turn-taking norm that blocks usurping: 0..1 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub facilitation: Option<f64>,
    /// Open roles for participants to co-organize and volunteer (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pathway: Option<bool>,
    /// Locals also join as peers rather than helpers (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed: Option<bool>,
    /// "local-only" (default) or "multilingual" (halves hesitation and speaking practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_policy: Option<RawLanguagePolicy>,
    /// Origin labels the activity is aimed at (default []); each must be an origin of some population.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    /// Maximum participants per group, 1..=60, at least the participants per group; a waiting
    /// list refills places. Default: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 60))]
    pub capacity: Option<u32>,
    /// Weekly probability that a volunteer vacancy is filled: 0..1 (default 0.05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub recruitment: Option<f64>,
    /// Keys of the populations that make up each group (default: all populations). Each group
    /// needs at least one participant and one volunteer or staff member, and at most 60 persons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub populations: Option<Vec<String>>,
}

/// Language policy of an activity.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RawLanguagePolicy {
    LocalOnly,
    Multilingual,
}

/// Role of a population.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RawRole {
    Volunteer,
    Staff,
    Participant,
}

/// A population: `count` persons per group with traits drawn from distributions. Traits left
/// out take the role's defaults; every trait key is allowed for every role.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    /// Required: "volunteer", "staff" or "participant".
    pub role: RawRole,
    /// Persons per group, 0..=60 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 60))]
    pub count: Option<u32>,
    /// Origin label or weighted choice (default "local" for volunteers and staff, "other" for participants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<RawLabel>,
    /// "older" or "younger", or a weighted choice of them (default "older").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_stage: Option<RawLabel>,
    /// Need to help N (volunteers, staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_to_help: Option<RawDist>,
    /// Protectiveness P (volunteers, staff): mothering, speaking for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protectiveness: Option<RawDist>,
    /// Withdrawal propensity W (scales the weekly withdrawal hazard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_propensity: Option<RawDist>,
    /// Talkativeness (speaking weight).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talkativeness: Option<RawDist>,
    /// Network reach (used by door-opening).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<RawDist>,
    /// Initiative I (participants): the "go-ahead spirit".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiative: Option<RawDist>,
    /// Care load C (participants): children at home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_load: Option<RawDist>,
    /// Resources Q (participants): education, family support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<RawDist>,
    /// Local-language proficiency L (0 = none, 1 = native; six equal CEFR steps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<RawDist>,
}

/// `[transition]`: traits of a participant who becomes a volunteer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTransition {
    /// Default 0.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_to_help: Option<RawDist>,
    /// Default 0.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protectiveness: Option<RawDist>,
    /// Default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_propensity: Option<RawDist>,
}

/// A trait value in [0, 1]: a number, or an inline table with exactly one key. Draws of every
/// distribution are clamped to [0, 1].
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum RawDist {
    /// A constant in [0, 1].
    Const(#[schemars(range(min = 0, max = 1))] f64),
    /// `{ uniform = [lo, hi] }` with 0 <= lo <= hi <= 1.
    Uniform { uniform: [f64; 2] },
    /// `{ beta = [a, b] }` with a, b > 0.
    Beta { beta: [f64; 2] },
    /// `{ normal = [mean, sd] }` with mean in [0, 1] and sd >= 0; draws are clamped to [0, 1].
    Normal { normal: [f64; 2] },
    /// `{ triangular = [lo, mode, hi] }` with 0 <= lo <= mode <= hi <= 1.
    Triangular { triangular: [f64; 3] },
}

/// A label: fixed, or drawn per person from weighted choices.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum RawLabel {
    /// A label of a-z, 0-9, '-' and '_'.
    Fixed(String),
    /// `{ choice = ["syria", "eritrea"], weights = [0.6, 0.4] }`; weights >= 0 with a positive
    /// sum, one per choice (default: equal weights).
    Choice {
        choice: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weights: Option<Vec<f64>>,
    },
}

fn number_schema(min: f64, max: f64, default: Option<f64>, description: String) -> Schema {
    Schema::Object(SchemaObject {
        instance_type: Some(InstanceType::Number.into()),
        number: Some(Box::new(NumberValidation {
            minimum: Some(min),
            maximum: Some(max),
            ..Default::default()
        })),
        metadata: Some(Box::new(Metadata {
            description: Some(description),
            default: default.map(serde_json::Value::from),
            ..Default::default()
        })),
        ..Default::default()
    })
}

/// Schema of `[parameters]`: one property per row of the parameter table, with its range.
fn parameters_schema(_gen: &mut SchemaGenerator) -> Schema {
    let mut properties = BTreeMap::new();
    for p in crate::model::params::PARAMS {
        properties.insert(
            p.name.to_string(),
            number_schema(
                p.min,
                p.max,
                Some(p.default),
                format!("{}: {}", p.mechanism, p.meaning),
            ),
        );
    }
    Schema::Object(SchemaObject {
        instance_type: Some(InstanceType::Object.into()),
        object: Some(Box::new(ObjectValidation {
            properties: properties.into_iter().collect(),
            additional_properties: Some(Box::new(Schema::Bool(false))),
            ..Default::default()
        })),
        ..Default::default()
    })
}

/// Schema of `[stereotypes]`: origin label -> prior in [0, 1].
fn stereotypes_schema(_gen: &mut SchemaGenerator) -> Schema {
    Schema::Object(SchemaObject {
        instance_type: Some(InstanceType::Object.into()),
        object: Some(Box::new(ObjectValidation {
            additional_properties: Some(Box::new(number_schema(
                0.0,
                1.0,
                None,
                "Prior perceived competence of participants of this origin.".into(),
            ))),
            ..Default::default()
        })),
        ..Default::default()
    })
}

/// Whether an `activity` table holds keyed designs (`[activity.cafe]`, ...) rather than one
/// design's fields: it is non-empty, every entry is a table and no entry is named like a field.
pub(crate) fn activity_is_keyed(t: &dyn toml_edit::TableLike) -> bool {
    !t.is_empty()
        && t.iter()
            .all(|(k, v)| !ACTIVITY_KEYS.contains(&k) && v.is_table_like())
}
