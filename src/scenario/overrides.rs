//! `--set KEY=VALUE` overrides, applied to the TOML document before validation.
//!
//! KEY is a dotted path; VALUE is a TOML value (`0.6`, `true`, `"multilingual"`,
//! `{beta=[2,2]}`, `["a","b"]`). A bare word such as `multilingual` that is not valid TOML is
//! taken as a string, so shells need no extra quotes. The paths that may be set:
//!
//! | path | sets |
//! |------|------|
//! | `scenario.<field>` | `name`, `description`, `weeks`, `replicates`, `seed`, `majority_origins` |
//! | `activity.<field>` | a field of the single `[activity]`; if the scenario has keyed designs, the field of **all** of them |
//! | `activity.<key>.<field>` | a field of the keyed design `[activity.<key>]` (the key must exist) |
//! | `population.<key>.<field>` | `role`, `count`, `origin`, `life_stage`, `attributes` or a trait of an existing population |
//! | `population.<key>.attributes.<name>` | one attribute of a population (added if absent) |
//! | `stereotypes.<origin>` | the prior of an origin: `default`, a listed origin or the origin of a population |
//! | `transition.<field>` | `need_to_help`, `protectiveness`, `withdrawal_propensity` |
//! | `mechanisms.<name>` | a mechanism switch of `dugnad params` (`true` or `false`) |
//! | `parameters.<name>` | any parameter of `dugnad params` |
//! | `output.<field>` | `by` |
//! | `schedule.<N>.<field>` | `week`, `label`, `recruiting`, `arrive` or `leave` of `[[schedule]]` entry N (from 0); N = the number of entries adds one |
//! | `schedule.<N>.set.<path>` | the value entry N sets at `<path>` (any path above but `scenario.*`) |
//! | `schedule.<N>.arrive.<field>` | `population`, `count` or `activity` of an entry's single arrival (also `leave`) |
//! | `fit.<setting>` | a setting of `[fit]`: `particles`, `generations`, `quantile`, `min_acceptance`, `max_simulations` |
//! | `fit.<path>` | the prior of `<path>` in `[fit]`, e.g. `fit.parameters.alpha1='{uniform=[0.1,0.8]}'` |
//!
//! `WEEK:KEY=VALUE` (what `--at` takes, e.g. `26:activity.co_design=0.6`) sets KEY to VALUE from
//! the start of week WEEK: in the first `[[schedule]]` entry of that week that sets KEY, else in
//! the first entry of that week, else in a new entry.
//!
//! A field may be absent from the file (a parameter not listed, a trait left at its default):
//! the override adds it. A whole value is replaced; paths inside a value (e.g.
//! `population.x.origin.weights`) are not supported: set the whole value instead. Path segments
//! are split at every '.', without quoting. Values are checked by validation afterwards, like
//! values in the file, and their errors say that the value came from `--set`.

use super::error::{Located, ScenarioError};
use super::fields::{
    activity_is_keyed, ACTIVITY_KEYS, CHANGE_KEYS, COHORT_KEYS, FIT_KEYS, OUTPUT_KEYS,
    POPULATION_KEYS, SCENARIO_KEYS, TOP_KEYS, TRANSITION_KEYS,
};
use super::mechanisms::MECHANISMS;
use super::params::PARAMS;
use super::suggest::{choices, did_you_mean, no_such};
use std::collections::BTreeSet;
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

type R<T> = Result<T, ScenarioError>;

/// Settable path forms, for messages.
const PATH_FORMS: &str =
    "scenario.<field>, activity.<field>, activity.<key>.<field>, population.<key>.<field>, \
     population.<key>.attributes.<name>, stereotypes.<origin>, transition.<field>, mechanisms.<name>, \
     parameters.<name>, output.<field>, schedule.<N>.<field>";

fn bad(file: &str, key: &str, message: String) -> ScenarioError {
    ScenarioError::BadOverride(Located {
        file: file.to_string(),
        key: key.to_string(),
        line: None,
        message,
    })
}

/// Parses one `KEY=VALUE` override into its dotted path and TOML value. Errors name the file
/// `--set` (`apply_overrides` replaces it by the scenario file).
pub fn parse_override(s: &str) -> Result<(String, Value), ScenarioError> {
    let example = "write e.g. --set activity.co_design=0.6";
    let Some((key, value)) = s.split_once('=') else {
        return Err(bad(
            "--set",
            "",
            format!("--set '{s}' is not KEY=VALUE; {example}"),
        ));
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(bad(
            "--set",
            "",
            format!("--set '{s}' has no key before '='; {example}"),
        ));
    }
    if key
        .split('.')
        .any(|seg| seg.trim().is_empty() || seg != seg.trim())
    {
        return Err(bad(
            "--set",
            key,
            format!("--set '{s}': the key must be a dotted path without spaces or empty parts; {example}"),
        ));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(bad(
            "--set",
            key,
            format!("--set '{s}' has no value after '='; {example}"),
        ));
    }
    let parsed = match value.parse::<Value>() {
        Ok(v) => v,
        Err(e) => {
            let bare_word = value
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if bare_word {
                Value::from(value)
            } else {
                let detail = e.message().trim().replace('\n', "; ");
                return Err(bad(
                    "--set",
                    key,
                    format!(
                        "--set '{s}': the value is not a TOML value ({detail}); use e.g. 0.6, true, \"multilingual\", \
                         {{beta=[2,2]}} or [\"a\",\"b\"]"
                    ),
                ));
            }
        }
    };
    Ok((key.to_string(), parsed))
}

/// Applies `--set` overrides to a scenario document, in order (a later one wins). `origin` is
/// the file name used in messages.
pub fn apply_overrides(
    doc: &mut DocumentMut,
    overrides: &[String],
    origin: &str,
) -> Result<(), ScenarioError> {
    apply_tracked(doc, overrides, origin).map(|_| ())
}

/// Like [`apply_overrides`], returning the full dotted paths that were set.
pub(crate) fn apply_tracked(
    doc: &mut DocumentMut,
    overrides: &[String],
    origin: &str,
) -> R<Vec<String>> {
    let mut set = Vec::new();
    for s in overrides {
        let (at, text) = match split_week(s) {
            Some((week, rest)) => (Some(week), rest),
            None => (None, s.as_str()),
        };
        let flag = if at.is_some() { "--at" } else { "--set" };
        let (key, value) = parse_override(text).map_err(|e| {
            let mut loc = e.location().clone();
            loc.file = origin.to_string();
            loc.message = loc.message.replacen("--set", flag, 1);
            ScenarioError::BadOverride(loc)
        })?;
        let segs: Vec<&str> = key.split('.').collect();
        let refuse = |m: String| bad(origin, &key, format!("{flag} '{s}': {m}"));
        let targets = match at {
            Some(week) => vec![at_target(doc, week, &segs).map_err(refuse)?],
            None => resolve(doc, &segs).map_err(refuse)?,
        };
        for (parents, leaf) in targets {
            insert(doc, &parents, &leaf, &value).map_err(refuse)?;
            let mut path = parents.join(".");
            path.push('.');
            path.push_str(&leaf);
            set.push(path);
        }
    }
    Ok(set)
}

/// `WEEK:REST` (an `--at` override): the week and the rest, when `s` starts with a whole number
/// and a colon.
pub fn split_week(s: &str) -> Option<(u32, &str)> {
    let (week, rest) = s.split_once(':')?;
    let week = week.trim();
    if week.is_empty() || !week.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((week.parse().ok()?, rest))
}

/// The target of `--at WEEK:KEY=VALUE`: KEY in the `set` table of the first `[[schedule]]` entry
/// of week WEEK that sets it, else of the first entry of that week, else of a new entry (which
/// then gets its `week`).
fn at_target(
    doc: &mut DocumentMut,
    week: u32,
    segs: &[&str],
) -> Result<(Vec<String>, String), String> {
    if segs.first() == Some(&"schedule") {
        return Err("a schedule cannot schedule itself; write --at WEEK:PATH=VALUE with a path --set takes, e.g. --at 26:activity.co_design=0.6".into());
    }
    resolve(doc, segs)?;
    let path = segs.join(".");
    let entries = schedule_entries(doc);
    let of_week: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.week == Some(week as i64))
        .map(|(i, _)| i)
        .collect();
    let index = of_week
        .iter()
        .copied()
        .find(|&i| entries[i].set.iter().any(|p| p == &path))
        .or_else(|| of_week.first().copied());
    let index = match index {
        Some(i) => i,
        None => {
            let i = entries.len();
            insert(
                doc,
                &["schedule".to_string(), i.to_string()],
                "week",
                &Value::from(week as i64),
            )?;
            i
        }
    };
    Ok((
        vec!["schedule".to_string(), index.to_string(), "set".to_string()],
        path,
    ))
}

/// What the overrides need to know of a `[[schedule]]` entry: its week and the paths it sets.
struct EntryView {
    week: Option<i64>,
    set: Vec<String>,
}

/// The `[[schedule]]` entries of a document (an array of tables, or an inline array of tables).
fn schedule_entries(doc: &DocumentMut) -> Vec<EntryView> {
    let view = |t: &dyn TableLike| EntryView {
        week: t.get("week").and_then(Item::as_integer),
        set: t
            .get("set")
            .and_then(Item::as_table_like)
            .map(|s| {
                let mut paths = Vec::new();
                collect_paths(s, "", &mut paths);
                paths
            })
            .unwrap_or_default(),
    };
    match doc.get("schedule") {
        Some(Item::ArrayOfTables(aot)) => aot.iter().map(|t| view(t)).collect(),
        Some(item) => item
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_inline_table)
                    .map(|t| view(t))
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// The dotted paths of a `set` table (quoted dotted keys, or nested tables: a table continues
/// the path unless it is a value written as a table, as `fields::Settings` reads it).
fn collect_paths(t: &dyn TableLike, prefix: &str, out: &mut Vec<String>) {
    for (k, item) in t.iter() {
        let path = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        match item.as_table_like() {
            Some(sub) if !super::forms::is_value_form(sub) => collect_paths(sub, &path, out),
            _ => out.push(path),
        }
    }
}

fn list(keys: &[&str]) -> String {
    keys.join(", ")
}

fn unknown_field(what: &str, field: &str, allowed: &[&str]) -> String {
    format!(
        "{what} has no field '{field}'; {}allowed: {}",
        did_you_mean(field, allowed),
        list(allowed)
    )
}

fn too_deep(prefix: &str) -> String {
    format!(
        "cannot set a part inside a value; set the whole value {prefix}, e.g. --set population.newcomers.language='{{beta=[2,4]}}'"
    )
}

fn table_keys(doc: &DocumentMut, name: &str) -> Vec<String> {
    doc.get(name)
        .and_then(Item::as_table_like)
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default()
}

/// What one override sets: (parent tables, leaf key) pairs.
pub(crate) type Targets = Vec<(Vec<String>, String)>;

/// The single target `parents.leaf`.
fn one(parents: &[&str], leaf: &str) -> Targets {
    vec![(
        parents.iter().map(|s| s.to_string()).collect(),
        leaf.to_string(),
    )]
}

/// `leaf` must be the last segment of the path: nothing may follow it.
fn leaf_only(deeper: &[&str], prefix: impl FnOnce() -> String) -> Result<(), String> {
    if deeper.is_empty() {
        Ok(())
    } else {
        Err(too_deep(&prefix()))
    }
}

/// The (parent tables, leaf key) pairs a dotted path sets, or why it cannot exist.
pub(crate) fn resolve(doc: &DocumentMut, segs: &[&str]) -> Result<Targets, String> {
    let Some((&head, rest)) = segs.split_first() else {
        return Err(format!("no key; settable paths: {PATH_FORMS}"));
    };
    match head {
        "scenario" | "transition" | "mechanisms" | "parameters" | "output" => {
            resolve_field(head, rest)
        }
        "stereotypes" => resolve_stereotype(doc, rest),
        "population" => resolve_population(doc, rest),
        "activity" => resolve_activity(doc, rest),
        "schedule" => resolve_schedule(doc, rest),
        "fit" => resolve_fit(doc, rest),
        other => Err(not_a_section(other)),
    }
}

/// `fit.<setting>` (a setting of `[fit]`) or `fit.<path>` (the prior of a path).
fn resolve_fit(doc: &DocumentMut, rest: &[&str]) -> Result<Targets, String> {
    match rest {
        [] => Err(format!(
            "'fit' is a table; set one of its settings ({}) or the prior of a path: fit.<path>",
            list(FIT_KEYS)
        )),
        [setting] if FIT_KEYS.contains(setting) => Ok(one(&["fit"], setting)),
        [word] => Err(unknown_field("[fit]", word, FIT_KEYS)),
        path => {
            resolve(doc, path)?;
            Ok(one(&["fit"], &path.join(".")))
        }
    }
}

/// `schedule.<N>.<field>`, `schedule.<N>.set.<path>` or `schedule.<N>.arrive.<field>` (also
/// `leave`) of entry N; N may be the number of entries, which adds one.
fn resolve_schedule(doc: &DocumentMut, rest: &[&str]) -> Result<Targets, String> {
    let n = schedule_entries(doc).len();
    let have = match n {
        0 => "the scenario has no [[schedule]] entries".to_string(),
        1 => "the scenario has 1 [[schedule]] entry, schedule.0".to_string(),
        n => format!(
            "the scenario has {n} [[schedule]] entries, schedule.0 to schedule.{}",
            n - 1
        ),
    };
    let [index, rest @ ..] = rest else {
        return Err(format!(
            "'schedule' is a list of entries; set a field of one: schedule.<N>.<field> ({have})"
        ));
    };
    let i: usize = index.parse().map_err(|_| {
        format!(
            "'{index}' is not an entry number; write schedule.<N>.<field> with N from 0 ({have})"
        )
    })?;
    if i > n {
        return Err(format!(
            "there is no entry schedule.{i}: {have}; schedule.{n}.<field> adds one"
        ));
    }
    let entry = ["schedule", *index];
    match rest {
        [] => Err(format!(
            "'schedule.{i}' is a table; set one of its fields: {}",
            list(CHANGE_KEYS)
        )),
        ["set"] => Err(format!(
            "set one value of the entry: schedule.{i}.set.<path>, e.g. schedule.{i}.set.activity.co_design=0.6"
        )),
        ["set", path @ ..] => {
            if path.first() == Some(&"schedule") {
                return Err("a schedule cannot schedule itself".into());
            }
            resolve(doc, path)?;
            Ok(one(&["schedule", index, "set"], &path.join(".")))
        }
        [field @ ("arrive" | "leave"), sub, deeper @ ..] => {
            if !COHORT_KEYS.contains(sub) {
                return Err(unknown_field(&format!("schedule.{i}.{field}"), sub, COHORT_KEYS));
            }
            leaf_only(deeper, || format!("schedule.{i}.{field}.{sub}"))?;
            Ok(one(&["schedule", index, field], sub))
        }
        [field, deeper @ ..] if CHANGE_KEYS.contains(field) => {
            leaf_only(deeper, || format!("schedule.{i}.{field}"))?;
            Ok(one(&entry, field))
        }
        [field, ..] => Err(unknown_field(&format!("[[schedule]] entry {i}"), field, CHANGE_KEYS)),
    }
}

/// `scenario.<field>`, `transition.<field>`, `mechanisms.<name>` or `parameters.<name>`.
fn resolve_field(head: &str, rest: &[&str]) -> Result<Targets, String> {
    let allowed: Vec<&str> = match head {
        "scenario" => SCENARIO_KEYS.to_vec(),
        "transition" => TRANSITION_KEYS.to_vec(),
        "mechanisms" => MECHANISMS.iter().map(|m| m.name).collect(),
        "output" => OUTPUT_KEYS.to_vec(),
        _ => PARAMS.iter().map(|p| p.name).collect(),
    };
    let [field, deeper @ ..] = rest else {
        return Err(format!(
            "'{head}' is a table; set one of its fields: {head}.<field>"
        ));
    };
    if !allowed.contains(field) {
        if head == "parameters" {
            return Err(format!(
                "there is no parameter '{field}'; {}`dugnad params` lists all {}",
                did_you_mean(field, &allowed),
                allowed.len()
            ));
        }
        return Err(unknown_field(&format!("[{head}]"), field, &allowed));
    }
    leaf_only(deeper, || format!("{head}.{field}"))?;
    Ok(one(&[head], field))
}

/// `stereotypes.<origin>`: `default`, a listed origin or the origin of a population.
fn resolve_stereotype(doc: &DocumentMut, rest: &[&str]) -> Result<Targets, String> {
    let [label, deeper @ ..] = rest else {
        return Err("'stereotypes' is a table; set one origin: stereotypes.<origin>".into());
    };
    let mut known: BTreeSet<String> = table_keys(doc, "stereotypes").into_iter().collect();
    known.insert("default".into());
    known.extend(population_origins(doc));
    if !known.contains(*label) {
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        return Err(format!(
            "'{label}' is not an origin of this scenario; {}",
            choices(label, "allowed", &names)
        ));
    }
    leaf_only(deeper, || format!("stereotypes.{label}"))?;
    Ok(one(&["stereotypes"], label))
}

/// `population.<key>.<field>` of an existing population.
fn resolve_population(doc: &DocumentMut, rest: &[&str]) -> Result<Targets, String> {
    let pops = table_keys(doc, "population");
    let names: Vec<&str> = pops.iter().map(String::as_str).collect();
    let [key, rest @ ..] = rest else {
        return Err(format!(
            "set a field of a population: population.<key>.<field>; populations: {}",
            names.join(", ")
        ));
    };
    if !names.contains(key) {
        return Err(no_such("population", key, "populations", &names));
    }
    let [field, deeper @ ..] = rest else {
        return Err(format!(
            "'population.{key}' is a table; set one of its fields: {}",
            list(POPULATION_KEYS)
        ));
    };
    if !POPULATION_KEYS.contains(field) {
        return Err(unknown_field(
            &format!("[population.{key}]"),
            field,
            POPULATION_KEYS,
        ));
    }
    if *field == "attributes" {
        if let [name, deeper @ ..] = deeper {
            leaf_only(deeper, || format!("population.{key}.attributes.{name}"))?;
            return Ok(one(&["population", key, "attributes"], name));
        }
    }
    leaf_only(deeper, || format!("population.{key}.{field}"))?;
    Ok(one(&["population", key], field))
}

/// `activity.<field>` (of the single design, or of every keyed design) or
/// `activity.<key>.<field>` (of one keyed design).
fn resolve_activity(doc: &DocumentMut, rest: &[&str]) -> Result<Targets, String> {
    let activity = doc.get("activity").and_then(Item::as_table_like);
    let keyed = activity.is_some_and(activity_is_keyed);
    let keys: Vec<String> = if keyed {
        table_keys(doc, "activity")
    } else {
        Vec::new()
    };
    let names: Vec<&str> = keys.iter().map(String::as_str).collect();
    match rest {
        [] => Err("'activity' is a table; set one of its fields: activity.<field>".into()),
        [field] if ACTIVITY_KEYS.contains(field) => {
            if keyed {
                Ok(names
                    .iter()
                    .flat_map(|k| one(&["activity", k], field))
                    .collect())
            } else {
                Ok(one(&["activity"], field))
            }
        }
        [field, ..] if ACTIVITY_KEYS.contains(field) => Err(too_deep(&format!("activity.{field}"))),
        [key, field, deeper @ ..] if keyed && names.contains(key) => {
            if !ACTIVITY_KEYS.contains(field) {
                return Err(unknown_field(
                    &format!("[activity.{key}]"),
                    field,
                    ACTIVITY_KEYS,
                ));
            }
            leaf_only(deeper, || format!("activity.{key}.{field}"))?;
            Ok(one(&["activity", key], field))
        }
        [key, ..] if keyed => {
            let mut allowed: Vec<&str> = ACTIVITY_KEYS.to_vec();
            allowed.extend(names.iter().copied());
            Err(format!(
                "there is no activity '{key}' and no activity field '{key}'; {}activities: {}; fields: {}",
                did_you_mean(key, &allowed),
                names.join(", "),
                list(ACTIVITY_KEYS)
            ))
        }
        [field, ..] => Err(format!(
            "the scenario has a single [activity], which has no field '{field}'; {}allowed: {}",
            did_you_mean(field, ACTIVITY_KEYS),
            list(ACTIVITY_KEYS)
        )),
    }
}

/// Why `other` cannot start a path: a bare field name points at the section that has it.
fn not_a_section(other: &str) -> String {
    let mut sections = Vec::new();
    for (section, keys) in [
        ("scenario", SCENARIO_KEYS),
        ("activity", ACTIVITY_KEYS),
        ("population.<key>", POPULATION_KEYS),
        ("transition", TRANSITION_KEYS),
        ("output", OUTPUT_KEYS),
    ] {
        if keys.contains(&other) {
            sections.push(format!("{section}.{other}"));
        }
    }
    if PARAMS.iter().any(|p| p.name == other) {
        sections.push(format!("parameters.{other}"));
    }
    if MECHANISMS.iter().any(|m| m.name == other) {
        sections.push(format!("mechanisms.{other}"));
    }
    let hint = if !sections.is_empty() {
        format!("did you mean {}? ", sections.join(" or "))
    } else {
        did_you_mean(other, TOP_KEYS)
    };
    format!("'{other}' is not a section of a scenario; {hint}settable paths: {PATH_FORMS}")
}

/// Origin labels used by populations in the document (fixed labels and choice options).
fn population_origins(doc: &DocumentMut) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(pops) = doc.get("population").and_then(Item::as_table_like) {
        for (_, pop) in pops.iter() {
            let Some(origin) = pop.as_table_like().and_then(|t| t.get("origin")) else {
                continue;
            };
            if let Some(s) = origin.as_str() {
                out.push(s.to_string());
            } else if let Some(choice) = origin
                .as_table_like()
                .and_then(|t| t.get("choice"))
                .and_then(Item::as_array)
            {
                out.extend(choice.iter().filter_map(|v| v.as_str().map(str::to_string)));
            }
        }
    }
    out
}

/// Sets `leaf` of the table at `parents` to `value`, creating absent tables on the way. A
/// segment after `schedule` is an entry's index (the number of entries appends one); tables
/// inside an entry are created inline.
pub(crate) fn insert(
    doc: &mut DocumentMut,
    parents: &[String],
    leaf: &str,
    value: &Value,
) -> Result<(), String> {
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    let mut path = String::new();
    let mut inline = false;
    let mut k = 0;
    while k < parents.len() {
        let p = &parents[k];
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(p);
        let index = parents.get(k + 1).and_then(|s| s.parse::<usize>().ok());
        if let (Some(i), "schedule") = (index, p.as_str()) {
            if !table.contains_key(p) {
                table.insert(p, Item::ArrayOfTables(ArrayOfTables::new()));
            }
            path.push_str(&format!(".{i}"));
            table = entry_mut(table.get_mut(p), i)
                .ok_or_else(|| format!("'{path}' is not a [[schedule]] entry in the file"))?;
            inline = true;
            k += 2;
            continue;
        }
        if !table.contains_key(p) {
            let fresh = if inline {
                Item::Value(Value::InlineTable(InlineTable::new()))
            } else {
                Item::Table(Table::new())
            };
            table.insert(p, fresh);
        }
        table = match table.get_mut(p).and_then(Item::as_table_like_mut) {
            Some(t) => t,
            None => {
                return Err(format!(
                    "'{path}' is not a table in the file, so it has no field '{leaf}'"
                ))
            }
        };
        k += 1;
    }
    table.insert(leaf, Item::Value(value.clone()));
    Ok(())
}

/// Entry `i` of a `[[schedule]]` array (of tables, or inline), appending an empty one when `i` is
/// the number of entries.
fn entry_mut(item: Option<&mut Item>, i: usize) -> Option<&mut dyn TableLike> {
    match item? {
        Item::ArrayOfTables(aot) => {
            if i == aot.len() {
                aot.push(Table::new());
            }
            aot.get_mut(i).map(|t| t as &mut dyn TableLike)
        }
        Item::Value(Value::Array(array)) => {
            if i == array.len() {
                array.push(InlineTable::new());
            }
            array
                .get_mut(i)
                .and_then(Value::as_inline_table_mut)
                .map(|t| t as &mut dyn TableLike)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYED: &str = "[scenario]\nname = \"m\"\n\n[activity.cafe]\ngroups = 2\n\n[activity.tour]\ngroups = 3\n\n\
                         [population.vol]\nrole = \"volunteer\"\n\n[population.new]\nrole = \"participant\"\norigin = { choice = [\"syria\", \"iraq\"] }\n";

    fn doc(text: &str) -> DocumentMut {
        text.parse().unwrap()
    }

    #[test]
    fn parse_override_reads_toml_values() {
        let (k, v) = parse_override("activity.co_design=0.6").unwrap();
        assert_eq!(k, "activity.co_design");
        assert_eq!(v.as_float(), Some(0.6));
        let (_, v) = parse_override("activity.pathway=true").unwrap();
        assert_eq!(v.as_bool(), Some(true));
        let (_, v) = parse_override("activity.language_policy=\"multilingual\"").unwrap();
        assert_eq!(v.as_str(), Some("multilingual"));
        let (_, v) = parse_override("activity.language_policy=multilingual").unwrap();
        assert_eq!(v.as_str(), Some("multilingual"));
        let (_, v) = parse_override("population.x.language={beta=[2,2]}").unwrap();
        assert!(v.as_inline_table().is_some());
        let (_, v) = parse_override("activity.targets=[\"a\",\"b\"]").unwrap();
        assert_eq!(v.as_array().map(|a| a.len()), Some(2));
        let (k, v) = parse_override(" scenario.weeks = 10 ").unwrap();
        assert_eq!((k.as_str(), v.as_integer()), ("scenario.weeks", Some(10)));
        let e = parse_override("scenario.weeks").unwrap_err();
        assert!(matches!(e, ScenarioError::BadOverride(_)));
        assert_eq!(e.file(), "--set");
        assert!(parse_override("a.b=[1,").is_err());
        assert!(parse_override("a.b=1.2.3").is_err());
    }

    #[test]
    fn keyed_activity_field_applies_to_all_designs() {
        let mut d = doc(KEYED);
        apply_overrides(
            &mut d,
            &[
                "activity.facilitation=0.5".into(),
                "activity.tour.groups=9".into(),
            ],
            "m.toml",
        )
        .unwrap();
        assert_eq!(d["activity"]["cafe"]["facilitation"].as_float(), Some(0.5));
        assert_eq!(d["activity"]["tour"]["facilitation"].as_float(), Some(0.5));
        assert_eq!(d["activity"]["tour"]["groups"].as_integer(), Some(9));
        assert_eq!(d["activity"]["cafe"]["groups"].as_integer(), Some(2));
    }

    #[test]
    fn absent_sections_and_fields_are_created() {
        let mut d = doc(KEYED);
        apply_overrides(
            &mut d,
            &[
                "parameters.alpha1=0.4".into(),
                "transition.need_to_help=0.1".into(),
                "stereotypes.iraq=0.2".into(),
                "population.new.language={beta=[3,3]}".into(),
                "scenario.weeks=8".into(),
            ],
            "m.toml",
        )
        .unwrap();
        assert_eq!(d["parameters"]["alpha1"].as_float(), Some(0.4));
        assert_eq!(d["transition"]["need_to_help"].as_float(), Some(0.1));
        assert_eq!(d["stereotypes"]["iraq"].as_float(), Some(0.2));
        assert!(d["population"]["new"]["language"]
            .as_inline_table()
            .is_some());
        assert_eq!(d["scenario"]["weeks"].as_integer(), Some(8));
        // The edited document is still valid TOML text.
        let again: DocumentMut = d.to_string().parse().unwrap();
        assert_eq!(again["parameters"]["alpha1"].as_float(), Some(0.4));
    }

    #[test]
    fn impossible_paths_are_refused_with_the_allowed_keys() {
        for (set, needle) in [
            ("activity.bistro.groups=1", "activities: cafe, tour"),
            ("activity.cafe.groupz=1", "did you mean 'groups'?"),
            ("activity=1", "is a table"),
            ("population=1", "populations: vol, new"),
            ("population.vol=1", "set one of its fields"),
            ("stereotypes.norway=0.5", "allowed: default, iraq, syria"),
            (
                "transition.language=0.5",
                "allowed: need_to_help, protectiveness, withdrawal_propensity",
            ),
            ("scenario.title=\"x\"", "allowed: name, description"),
            ("parameters.nope=1", "`dugnad params` lists all"),
            ("alpha1=0.3", "did you mean parameters.alpha1?"),
            ("populaton.vol.count=2", "did you mean 'population'?"),
        ] {
            let mut d = doc(KEYED);
            let e = apply_overrides(&mut d, &[set.to_string()], "m.toml").unwrap_err();
            assert!(matches!(e, ScenarioError::BadOverride(_)), "{set}: {e}");
            assert_eq!(e.file(), "m.toml");
            assert!(e.message().contains(needle), "{set}: {e}");
        }
    }

    #[test]
    fn a_scalar_where_a_table_belongs_is_refused() {
        let mut d = doc("scenario = 3\n");
        let e = apply_overrides(&mut d, &["scenario.weeks=2".into()], "m.toml").unwrap_err();
        assert!(e.message().contains("not a table"), "{e}");
    }
}
