//! JSON Schema of the scenario file format (`dugnad schema`), generated from the field table
//! ([`super::fields`]): each table's keys with their types, ranges and descriptions, the value
//! forms of [`super::forms`] and the parameter table.

use super::fields::{Activity, Change, Output, Population, Scenario, Traits, TransitionTraits};
use super::mechanisms::MECHANISMS;
use super::params::PARAMS;
use super::types::object_schema;
use schemars::gen::SchemaGenerator;
use schemars::schema::{
    InstanceType, Metadata, NumberValidation, ObjectValidation, Schema, SchemaObject,
};
use schemars::JsonSchema;
use std::collections::BTreeMap;

/// JSON Schema (draft 7) of the scenario file format, pretty-printed. Trait distributions are
/// documented there: draws of every distribution are clamped to [0, 1].
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawScenario);
    serde_json::to_string_pretty(&schema).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A whole scenario file.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "dugnad scenario",
    description = "A scenario file of the dugnad simulator (TOML). Every value is checked when the file is \
                   loaded; `dugnad check FILE` prints the fully resolved scenario with every default filled in."
)]
#[allow(dead_code)]
struct RawScenario {
    scenario: RawMeta,
    /// One activity design (`[activity]` with fields) or several keyed designs (`[activity.cafe]`,
    /// `[activity.tour]`, ... each with the same fields).
    activity: RawActivities,
    /// Populations by key (`[population.volunteers]`); keys use only a-z, 0-9, '-' and '_'.
    population: BTreeMap<String, RawPopulation>,
    /// Volunteers' prior perceived competence (0..1) of participants by origin label; the key
    /// `default` covers unlisted origins (0.5 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "stereotypes_schema")]
    stereotypes: Option<BTreeMap<String, f64>>,
    /// Traits of a participant who becomes a volunteer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    transition: Option<RawTransition>,
    /// Mechanism switches by name (see `dugnad params`): `false` switches a mechanism off, for
    /// ablation; every mechanism is on unless listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "mechanisms_schema")]
    mechanisms: Option<BTreeMap<String, bool>>,
    /// Model parameters by name (see `dugnad params`); each value within that parameter's range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "parameters_schema")]
    parameters: Option<BTreeMap<String, f64>>,
    /// How results are broken down beyond the fixed lenses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    output: Option<RawOutput>,
    /// Changes of the design over time (`[[schedule]]` entries), each from the start of its week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schedule: Option<Vec<RawChange>>,
    /// The sweep `dugnad sweep` runs (docs/experiments.md): `vary`, `sample`, `range`. Other
    /// commands ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sweep: Option<BTreeMap<String, serde_json::Value>>,
    /// The fit `dugnad fit` runs (docs/fitting.md): its settings, and priors by dotted path
    /// (e.g. "parameters.alpha1" = { uniform = [0.1, 0.8] }). Other commands ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "fit_schema")]
    fit: Option<BTreeMap<String, serde_json::Value>>,
}

/// The activity table: a single design or several keyed designs.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum RawActivities {
    /// `[activity]` with the fields directly.
    Single(RawActivity),
    /// `[activity.<key>]` tables, each a design; keys use only a-z, 0-9, '-' and '_'.
    Keyed(BTreeMap<String, RawActivity>),
}

/// Declares a table of the file whose keys come from the field table: its definition name, its
/// description and the sections whose keys it holds.
macro_rules! table_schema {
    ($Raw:ident, $description:literal, $($section:ident),+) => {
        struct $Raw;

        impl JsonSchema for $Raw {
            fn schema_name() -> String {
                stringify!($Raw).to_string()
            }

            fn json_schema(gen: &mut SchemaGenerator) -> Schema {
                let keys = [$($section::key_schemas(gen)),+].concat();
                object_schema($description, keys)
            }
        }
    };
}

table_schema!(RawMeta, "`[scenario]`: name and run settings.", Scenario);
table_schema!(
    RawActivity,
    "One activity design; `groups` independent groups of it run in each replicate.",
    Activity
);
table_schema!(
    RawPopulation,
    "A population: `count` persons per group with traits drawn from distributions. Traits left \
     out take the role's defaults; every trait key is allowed for every role.",
    Population,
    Traits
);
table_schema!(
    RawChange,
    "A `[[schedule]]` entry: what changes at the start of a week.",
    Change
);
table_schema!(
    RawTransition,
    "`[transition]`: traits of a participant who becomes a volunteer.",
    TransitionTraits
);
table_schema!(
    RawOutput,
    "`[output]`: how results are broken down beyond the fixed lenses (newcomers, local participants, \
     volunteers, staff, all).",
    Output
);

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

/// An object of exactly these properties, none required, no other key allowed (the tables
/// built from a vocabulary: `[parameters]`, `[mechanisms]`).
fn closed_object(properties: BTreeMap<String, Schema>) -> Schema {
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

/// Schema of `[parameters]`: one property per row of the parameter table, with its range.
fn parameters_schema(_gen: &mut SchemaGenerator) -> Schema {
    let mut properties = BTreeMap::new();
    for p in PARAMS {
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
    closed_object(properties)
}

/// Schema of `[fit]`: the settings of the field table, and any other key a prior (a
/// distribution) by dotted path.
fn fit_schema(gen: &mut SchemaGenerator) -> Schema {
    let mut schema = object_schema(
        "`[fit]`: how `dugnad fit` samples, and the priors of the values it estimates by dotted path.",
        super::fields::FitSettings::key_schemas(gen),
    );
    if let Schema::Object(o) = &mut schema {
        if let Some(object) = o.object.as_mut() {
            object.additional_properties =
                Some(Box::new(gen.subschema_for::<super::forms::RawDist>()));
        }
    }
    schema
}

/// Schema of `[mechanisms]`: one boolean property per row of the mechanism table.
fn mechanisms_schema(_gen: &mut SchemaGenerator) -> Schema {
    let mut properties = BTreeMap::new();
    for m in MECHANISMS {
        let schema = SchemaObject {
            instance_type: Some(InstanceType::Boolean.into()),
            metadata: Some(Box::new(Metadata {
                description: Some(format!("{}: {} Off: {}.", m.submodel, m.meaning, m.off)),
                default: Some(serde_json::Value::Bool(true)),
                ..Default::default()
            })),
            ..Default::default()
        };
        properties.insert(m.name.to_string(), Schema::Object(schema));
    }
    closed_object(properties)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::fields::{
        ACTIVITY_KEYS, POPULATION_KEYS, SCENARIO_KEYS, TOP_KEYS, TRAIT_KEYS, TRANSITION_KEYS,
    };
    use serde_json::Value;

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }

    #[test]
    fn schema_is_json_and_matches_the_key_lists() {
        let schema: Value = serde_json::from_str(&json_schema()).expect("valid JSON");
        let defs = &schema["definitions"];
        assert_eq!(keys(&schema), sorted(TOP_KEYS));
        assert_eq!(keys(&defs["RawMeta"]), sorted(SCENARIO_KEYS));
        assert_eq!(keys(&defs["RawActivity"]), sorted(ACTIVITY_KEYS));
        assert_eq!(keys(&defs["RawPopulation"]), sorted(POPULATION_KEYS));
        assert_eq!(keys(&defs["RawTransition"]), sorted(TRANSITION_KEYS));
        assert!(TRAIT_KEYS.iter().all(|k| POPULATION_KEYS.contains(k)));
        assert_eq!(
            keys(&schema["properties"]["parameters"]).len(),
            PARAMS.len()
        );
        assert_eq!(
            keys(&schema["properties"]["mechanisms"]).len(),
            MECHANISMS.len()
        );
        assert_eq!(schema["additionalProperties"], Value::Bool(false));
        assert!(defs["RawDist"]["description"]
            .as_str()
            .unwrap()
            .contains("clamped to [0, 1]"));
        assert_eq!(
            schema["required"],
            serde_json::json!(["activity", "population", "scenario"])
        );
    }

    #[test]
    fn every_key_has_a_description_and_its_range() {
        let schema: Value = serde_json::from_str(&json_schema()).expect("valid JSON");
        let defs = &schema["definitions"];
        for table in ["RawMeta", "RawActivity", "RawPopulation", "RawTransition"] {
            for (key, s) in defs[table]["properties"].as_object().unwrap() {
                assert!(
                    s["description"].is_string(),
                    "{table}.{key} has a description"
                );
            }
        }
        let weeks = &defs["RawMeta"]["properties"]["weeks"];
        assert_eq!(
            (weeks["minimum"].as_f64(), weeks["maximum"].as_f64()),
            (Some(1.0), Some(520.0))
        );
        assert_eq!(defs["RawMeta"]["required"], serde_json::json!(["name"]));
        assert_eq!(
            defs["RawPopulation"]["required"],
            serde_json::json!(["role"])
        );
        assert_eq!(
            defs["RawActivity"]["properties"]["language_policy"]["anyOf"][0]["$ref"],
            "#/definitions/RawLanguagePolicy"
        );
        assert_eq!(
            defs["RawRole"]["enum"],
            serde_json::json!(["volunteer", "staff", "participant"])
        );
    }
}
