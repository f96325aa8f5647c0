//! The fully resolved scenario as TOML text (`dugnad check`, and the sweep identity that
//! `experiment::store` hashes): every key of every table, defaults filled in, written by the
//! field table's `write_keys`, so a declared key cannot be left out.

use super::fields::Scenario;
use super::mechanisms::MECHANISMS;
use super::params::PARAMS;
use super::toml_text::{kv, tf64, tkey};
use std::fmt::Write as _;

/// The fully resolved scenario as TOML text: every default filled in, every parameter listed
/// (with its mechanism, range and meaning as a comment). `load_str` accepts it again and yields an
/// equal `Scenario`.
pub fn to_toml(s: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Scenario {}, fully resolved by dugnad: every default filled in, every parameter listed.",
        s.name
    );
    let _ = writeln!(out, "# Loading this file again yields the same scenario.");
    out.push_str("\n[scenario]\n");
    s.write_keys(&mut out);

    let single = s.activities.len() == 1 && s.activities[0].key == "activity";
    for a in &s.activities {
        if single {
            out.push_str("\n[activity]\n");
        } else {
            let _ = writeln!(out, "\n[activity.{}]", tkey(&a.key));
        }
        a.write_keys(&mut out);
    }

    for p in &s.populations {
        let _ = writeln!(out, "\n[population.{}]", tkey(&p.key));
        p.write_keys(&mut out);
        p.traits.write_keys(&mut out);
    }

    out.push_str("\n[stereotypes]\n");
    kv(&mut out, "default", &tf64(s.stereotypes.default));
    for (origin, prior) in &s.stereotypes.by_origin {
        kv(&mut out, &tkey(origin), &tf64(*prior));
    }

    out.push_str("\n[transition]\n");
    s.transition.write_keys(&mut out);

    out.push_str("\n[mechanisms]\n");
    for m in MECHANISMS {
        let on = s.mechanisms.get(m.name).unwrap_or(true);
        let _ = writeln!(out, "# {}: {} Off: {}.", m.submodel, m.meaning, m.off);
        kv(&mut out, m.name, if on { "true" } else { "false" });
    }

    out.push_str("\n[parameters]\n");
    for p in PARAMS {
        let value = s.params.get(p.name).unwrap_or(p.default);
        let _ = writeln!(
            out,
            "# {} [{}, {}], default {}: {}",
            p.mechanism, p.min, p.max, p.default, p.meaning
        );
        kv(&mut out, p.name, &tf64(value));
    }

    out.push_str("\n[output]\n");
    s.output.write_keys(&mut out);

    for c in &s.schedule {
        out.push_str("\n[[schedule]]\n");
        c.write_keys(&mut out);
    }

    if let Some(fit) = &s.fit {
        out.push_str("\n[fit]\n");
        fit.settings.write_keys(&mut out);
        for p in &fit.priors {
            kv(&mut out, &tkey(&p.path), &super::forms::dist_text(&p.dist));
        }
    }
    out
}

/// Whether a resolved scenario (TOML text, as [`to_toml`] writes it) holds an integer at a
/// dotted path. A number segment indexes a list of tables (`schedule.0.week`); a key may itself
/// hold dots (`schedule.0.set` is keyed by quoted paths such as `"population.x.count"`).
pub fn is_integer_at(resolved_toml: &str, key: &str) -> bool {
    let Ok(doc) = resolved_toml.parse::<toml_edit::DocumentMut>() else {
        return false;
    };
    let segs: Vec<&str> = key.split('.').collect();
    integer_below(doc.as_item(), &segs)
}

/// Whether `item` holds an integer at the path `segs`.
fn integer_below(item: &toml_edit::Item, segs: &[&str]) -> bool {
    let Some(first) = segs.first() else {
        return item.as_integer().is_some();
    };
    if let (Ok(i), Some(aot)) = (first.parse::<usize>(), item.as_array_of_tables()) {
        return aot
            .get(i)
            .is_some_and(|t| table_integer_below(t, &segs[1..]));
    }
    item.as_table_like()
        .is_some_and(|t| table_integer_below(t, segs))
}

/// [`integer_below`] for the keys of a table: the longest key made of leading segments first.
fn table_integer_below(t: &dyn toml_edit::TableLike, segs: &[&str]) -> bool {
    (1..=segs.len()).rev().any(|end| {
        t.get(&segs[..end].join("."))
            .is_some_and(|next| integer_below(next, &segs[end..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::fields::{
        ACTIVITY_KEYS, CHANGE_KEYS, OUTPUT_KEYS, POPULATION_KEYS, SCENARIO_KEYS, TRANSITION_KEYS,
    };
    use crate::scenario::load_str;
    use std::collections::BTreeSet;

    /// A scenario that sets every key of every table, each list with two or more entries, so
    /// that every key has another valid value (see `FieldType::vary`).
    const EVERY_KEY: &str = r#"
[scenario]
name = "every-key"
description = "every key set"
weeks = 10
replicates = 3
seed = 7
majority_origins = ["local", "nordic"]

[activity]
kind = "cafe"
groups = 2
meetings_per_week = 2
turns_per_meeting = 50
hours_per_meeting = 1.5
service_frame = 0.6
co_design = 0.2
facilitation = 0.1
pathway = true
mixed = false
language_policy = "local-only"
targets = ["syria", "eritrea"]
capacity = 20
recruitment = 0.1
populations = ["vol", "new", "more"]

[population.vol]
role = "volunteer"
count = 2
origin = "local"
life_stage = "older"

[population.new]
role = "participant"
count = 5
origin = { choice = ["syria", "eritrea"], weights = [0.6, 0.4] }
life_stage = "younger"
need_to_help = 0.1
protectiveness = 0.2
withdrawal_propensity = { beta = [2.0, 3.0] }
talkativeness = { uniform = [0.2, 0.6] }
network = { normal = [0.3, 0.1] }
initiative = { triangular = [0.1, 0.4, 0.8] }
care_load = 0.3
resources = 0.6
language = { beta = [2.0, 4.0] }
attributes = { gender = { choice = ["woman", "man"], weights = [0.7, 0.3] }, age = "adult" }

[population.more]
role = "participant"
count = 3
origin = "syria"

[stereotypes]
default = 0.4
syria = 0.3

[transition]
need_to_help = 0.3
protectiveness = { uniform = [0.1, 0.3] }
withdrawal_propensity = 0.5

[output]
by = ["gender", "origin"]

[[schedule]]
week = 5
set = { "activity.co_design" = 0.5, "parameters.alpha1" = 0.4 }
arrive = [{ population = "new", count = 2 }]
leave = [{ population = "vol", count = 1, activity = "activity" }]
recruiting = false
label = "halfway"
"#;

    fn json(s: &Scenario) -> String {
        serde_json::to_string(s).unwrap()
    }

    /// Every variant of the base scenario with one key changed: (dotted key, scenario).
    fn variants(base: &Scenario) -> Vec<(String, Scenario)> {
        let mut out: Vec<(String, Scenario)> = Vec::new();
        for (key, v) in base.variants() {
            out.push((format!("scenario.{key}"), v));
        }
        for (key, a) in base.activities[0].variants() {
            let mut s = base.clone();
            s.activities[0] = a;
            out.push((format!("activity.{key}"), s));
        }
        let new = base
            .populations
            .iter()
            .position(|p| p.key == "new")
            .unwrap();
        for (key, p) in base.populations[new].variants() {
            let mut s = base.clone();
            s.populations[new] = p;
            out.push((format!("population.new.{key}"), s));
        }
        for (key, t) in base.populations[new].traits.variants() {
            let mut s = base.clone();
            s.populations[new].traits = t;
            out.push((format!("population.new.{key}"), s));
        }
        for (key, t) in base.transition.variants() {
            let mut s = base.clone();
            s.transition = t;
            out.push((format!("transition.{key}"), s));
        }
        for (key, o) in base.output.variants() {
            let mut s = base.clone();
            s.output = o;
            out.push((format!("output.{key}"), s));
        }
        for (key, c) in base.schedule[0].variants() {
            let mut s = base.clone();
            s.schedule[0] = c;
            out.push((format!("schedule.0.{key}"), s));
        }
        for p in PARAMS {
            let mut s = base.clone();
            let other = if p.plausible.0 != p.default {
                p.plausible.0
            } else {
                p.plausible.1
            };
            assert!(s.params.set(p.name, other), "{}", p.name);
            out.push((format!("parameters.{}", p.name), s));
        }
        for m in MECHANISMS {
            let mut s = base.clone();
            assert!(s.mechanisms.set(m.name, false), "{}", m.name);
            out.push((format!("mechanisms.{}", m.name), s));
        }
        let mut s = base.clone();
        s.stereotypes.default = 0.6;
        out.push(("stereotypes.default".into(), s));
        let mut s = base.clone();
        s.stereotypes.by_origin[0].1 = 0.9;
        out.push(("stereotypes.syria".into(), s));
        out
    }

    #[test]
    fn every_key_round_trips_through_to_toml_and_changes_the_sweep_identity() {
        let base = load_str(EVERY_KEY, "every-key.toml", &[]).unwrap();
        let base_text = to_toml(&base);
        let base_hash = crate::experiment::hash_hex(&base_text);
        let variants = variants(&base);
        for (key, varied) in &variants {
            assert_ne!(
                json(varied),
                json(&base),
                "{key}: the variant changes the scenario"
            );
            let text = to_toml(varied);
            let again = load_str(&text, "varied.toml", &[])
                .unwrap_or_else(|e| panic!("{key}: the varied scenario loads again: {e}\n{text}"));
            assert_eq!(
                json(&again),
                json(varied),
                "{key}: round trip through to_toml"
            );
            assert_ne!(
                crate::experiment::hash_hex(&text),
                base_hash,
                "{key}: the sweep identity changes"
            );
        }
        // Every declared key of every table was varied.
        let covered: BTreeSet<&str> = variants.iter().map(|(k, _)| k.as_str()).collect();
        for (table, keys) in [
            ("scenario", SCENARIO_KEYS),
            ("activity", ACTIVITY_KEYS),
            ("population.new", POPULATION_KEYS),
            ("transition", TRANSITION_KEYS),
            ("output", OUTPUT_KEYS),
            ("schedule.0", CHANGE_KEYS),
        ] {
            for key in keys {
                let path = format!("{table}.{key}");
                assert!(covered.contains(path.as_str()), "{path} is varied");
            }
        }
        assert_eq!(
            variants.len(),
            SCENARIO_KEYS.len()
                + ACTIVITY_KEYS.len()
                + POPULATION_KEYS.len()
                + TRANSITION_KEYS.len()
                + OUTPUT_KEYS.len()
                + CHANGE_KEYS.len()
                + PARAMS.len()
                + MECHANISMS.len()
                + 2
        );
    }
}
