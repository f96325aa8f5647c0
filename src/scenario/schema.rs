//! JSON Schema of the scenario file format, generated from the serde structs in [`super::raw`].

use super::raw::RawScenario;

/// JSON Schema (draft 7) of the scenario file format, pretty-printed. Trait distributions are
/// documented there: draws of every distribution are clamped to [0, 1].
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawScenario);
    serde_json::to_string_pretty(&schema).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::PARAMS;
    use crate::scenario::raw::{
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
}
