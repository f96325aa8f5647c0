//! Reading a scenario file into the checked [`Scenario`]: the text is parsed once with spans to
//! map every dotted key path to its line, `--set` overrides are applied to the document
//! ([`super::overrides`]), and the document is read table by table through the field table
//! ([`super::fields`]), so that every error knows its key path and line.

use super::document::{collect_lines, syntax_error, table, Class, Ctx, LineIndex, Tbl, R};
use super::error::{Located, ScenarioError};
use super::fields::{Scenario, TOP_KEYS};
use super::overrides;
use std::collections::BTreeMap;
use std::path::Path;
use toml_edit::{DocumentMut, ImDocument};

pub use super::fields::MAX_GROUP_SIZE;
pub use super::to_toml::to_toml;

/// A scenario as the validator reads it: its text, the name it goes by in messages and
/// manifests (the file it was read from, or a name the program that wrote the text gave it),
/// and `--set` overrides its giver applied to it (a program's scenario edited by dotted path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file name (or given name) used in messages.
    pub origin: String,
    /// The TOML text.
    pub text: String,
    /// `KEY=VALUE` overrides applied to the text before any others, in order.
    pub overrides: Vec<String>,
}

impl Source {
    /// Scenario text that did not come from a file, named `origin` in messages.
    pub fn new(text: impl Into<String>, origin: impl Into<String>) -> Source {
        Source {
            origin: origin.into(),
            text: text.into(),
            overrides: Vec::new(),
        }
    }

    /// Reads a scenario file; a missing, unreadable or non-UTF-8 file is a
    /// [`ScenarioError::Io`] naming it and saying what to do.
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            let hint = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "; check the path (the bundled scenarios are in scenarios/, e.g. scenarios/knitting-cafe.toml)"
                }
                _ => "; check that it is a readable file",
            };
            ScenarioError::Io(Located {
                file: origin.clone(),
                key: String::new(),
                line: None,
                message: format!("cannot read the scenario file: {e}{hint}"),
            })
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            ScenarioError::Io(Located {
                file: origin.clone(),
                key: String::new(),
                line: Some(line),
                message: "the scenario file is not UTF-8 text; save it as UTF-8".into(),
            })
        })?;
        Ok(Source::new(text, origin))
    }

    /// This source's overrides followed by `more`.
    pub fn overrides_with(&self, more: &[String]) -> Vec<String> {
        self.overrides.iter().chain(more).cloned().collect()
    }

    /// The checked scenario of this text with this source's overrides and then `more`
    /// (`KEY=VALUE` as given to `--set`) applied.
    pub fn load(&self, more: &[String]) -> Result<Scenario, ScenarioError> {
        load_str(&self.text, &self.origin, &self.overrides_with(more))
    }

    /// This source with `KEY=VALUE` applied after its overrides, if the scenario it makes is
    /// valid (the error says why not).
    pub fn set(&self, assignment: String) -> Result<Source, ScenarioError> {
        let mut next = self.clone();
        next.overrides.push(assignment);
        next.load(&[])?;
        Ok(next)
    }
}

/// Reads, overrides and validates a scenario file. `overrides` are `KEY=VALUE` strings as given to
/// `--set` (see [`super::overrides`]).
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    Source::read(path)?.load(overrides)
}

/// Parses, overrides and validates scenario text; `origin` is the file name used in messages.
pub fn load_str(text: &str, origin: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let im = ImDocument::parse(text).map_err(|e| syntax_error(text, origin, &e))?;
    let index = LineIndex::new(text);
    let mut lines = BTreeMap::new();
    collect_lines(im.as_table(), "", &index, &mut lines);
    let mut doc: DocumentMut = im.into_mut();
    let overridden = overrides::apply_tracked(&mut doc, overrides, origin)?;
    let ctx = Ctx {
        origin: origin.to_string(),
        lines,
        overridden,
    };
    validate_document(&doc, &ctx)
}

/// The checked scenario of a document with its schedule ([`super::schedule`]) and its `[fit]`
/// ([`super::fit`]).
fn validate_document(doc: &DocumentMut, ctx: &Ctx) -> R<Scenario> {
    let mut s = validate_scheduled(doc, ctx)?;
    s.fit = super::fit::read(doc, ctx, &s, &validate_scheduled)?;
    Ok(s)
}

/// The checked scenario of a document with its schedule, its `[fit]` left out.
fn validate_scheduled(doc: &DocumentMut, ctx: &Ctx) -> R<Scenario> {
    let mut s = validate_scenario(doc, ctx)?;
    s.schedule = super::schedule::read(doc, ctx, &s, &validate_scenario)?;
    Ok(s)
}

/// The checked scenario of a document, its schedule left out: only known top-level tables, a
/// `[scenario]` table, and then every table read by the field table.
fn validate_scenario(doc: &DocumentMut, ctx: &Ctx) -> R<Scenario> {
    let root = Tbl {
        ctx,
        t: doc.as_table(),
        path: "",
    };
    root.check_keys(TOP_KEYS, "")?;
    // `[sweep]` (EXPERIMENT_KEYS) belongs to its command, which reads it.
    let Some(meta) = root.item("scenario") else {
        return Err(ctx.err(
            Class::Missing,
            "scenario.name",
            "every scenario needs a name: add [scenario] with name = \"my-scenario\" (a-z, 0-9, '-' and '_')".into(),
        ));
    };
    let meta = table(
        ctx,
        meta,
        "scenario",
        "[scenario] with name = \"my-scenario\"",
    )?;
    meta.check_keys(super::fields::SCENARIO_KEYS, "")?;
    Scenario::read(&meta, &root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::params::Params;
    use crate::scenario::{Dist, Label, LanguagePolicy, Role};

    /// Every bundled scenario (scenarios/*.toml), by name.
    fn bundled_names() -> Vec<String> {
        let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        names.sort();
        for expected in [
            "focus-group",
            "knitting-cafe",
            "co-designed-cafe",
            "dugnad",
            "municipality",
            "bench",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "scenarios/{expected}.toml is bundled"
            );
        }
        names
    }

    fn bundled(name: &str) -> (String, String) {
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        (path, text)
    }

    const MINIMAL: &str = r#"
[scenario]
name = "mini"

[activity]
groups = 2

[population.vol]
role = "volunteer"
count = 2

[population.new]
role = "participant"
count = 5
"#;

    /// MINIMAL with `from` replaced by `to`, loaded.
    fn edited(from: &str, to: &str) -> Scenario {
        load_str(&MINIMAL.replace(from, to), "x.toml", &[]).unwrap_or_else(|e| panic!("{e}"))
    }

    fn load_err(text: &str) -> ScenarioError {
        load_str(text, "x.toml", &[]).expect_err("should fail")
    }

    fn with(text: &str, sets: &[&str]) -> Result<Scenario, ScenarioError> {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        load_str(text, "x.toml", &sets)
    }

    fn json(s: &Scenario) -> String {
        serde_json::to_string(s).unwrap()
    }

    #[test]
    fn a_source_keeps_its_overrides_first_and_refuses_a_bad_one() {
        let src = Source::new(MINIMAL, "notebook");
        let set = src.set("activity.co_design=0.6".into()).unwrap();
        assert_eq!(set.overrides, ["activity.co_design=0.6"]);
        assert_eq!(set.load(&[]).unwrap().activities[0].co_design, 0.6);
        // Later overrides win over the source's own.
        let later = set.load(&["activity.co_design=0.2".into()]).unwrap();
        assert_eq!(later.activities[0].co_design, 0.2);
        assert_eq!(
            set.overrides_with(&["x=1".into()]),
            ["activity.co_design=0.6", "x=1"]
        );
        // A bad value is refused with the file name it was given and leaves the source as it was.
        let e = set.set("activity.co_design=1.5".into()).unwrap_err();
        assert_eq!((e.file(), e.key()), ("notebook", "activity.co_design"));
        assert_eq!(set.overrides.len(), 1);
        let e = Source::read(Path::new("no/such/file.toml")).unwrap_err();
        assert_eq!((e.kind(), e.file()), ("io", "no/such/file.toml"));
        let (path, text) = bundled("knitting-cafe");
        assert_eq!(Source::read(Path::new(&path)).unwrap().text, text);
    }

    #[test]
    fn every_bundled_scenario_loads_and_round_trips() {
        for name in &bundled_names() {
            let (path, text) = bundled(name);
            let s = load_str(&text, &path, &[]).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&s.name, name);
            let resolved = to_toml(&s);
            let again = load_str(&resolved, "resolved.toml", &[])
                .unwrap_or_else(|e| panic!("{name}: {e}\n{resolved}"));
            assert_eq!(json(&s), json(&again), "{name}");
            // The resolved text is a fixed point too.
            assert_eq!(resolved, to_toml(&again), "{name}");
        }
    }

    #[test]
    fn bundled_files_load_from_disk() {
        for name in &bundled_names() {
            let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
            let s = load(Path::new(&path), &[]).unwrap();
            assert!(!s.populations.is_empty());
        }
    }

    #[test]
    fn defaults_are_filled_in() {
        let s = load_str(MINIMAL, "x.toml", &[]).unwrap();
        assert_eq!((s.weeks, s.replicates, s.seed), (52, 100, 1));
        assert_eq!(s.majority_origins, vec!["local"]);
        assert_eq!(s.description, "");
        let a = &s.activities[0];
        assert_eq!(a.key, "activity");
        assert_eq!(a.kind, "mini");
        assert_eq!(a.groups, 2);
        assert_eq!((a.meetings_per_week, a.turns_per_meeting), (1, 120));
        assert_eq!(
            (
                a.hours_per_meeting,
                a.service_frame,
                a.co_design,
                a.facilitation
            ),
            (2.0, 0.5, 0.0, 0.0)
        );
        assert_eq!(a.language_policy, LanguagePolicy::LocalOnly);
        assert_eq!(a.capacity, None);
        assert_eq!(a.recruitment, 0.05);
        assert_eq!(a.populations, vec!["new", "vol"]);
        assert_eq!(s.populations[0].key, "new");
        assert_eq!(s.populations[0].origin, Label::Fixed("other".into()));
        assert_eq!(s.populations[1].origin, Label::Fixed("local".into()));
        assert_eq!(s.populations[1].life_stage, Label::Fixed("older".into()));
        assert_eq!(s.populations[1].traits.need_to_help, Dist::Beta(5.0, 3.0));
        assert_eq!(s.populations[0].traits.language, Dist::Beta(2.0, 4.0));
        assert_eq!(s.stereotypes.default, 0.5);
        assert_eq!(s.stereotypes.prior("anything"), 0.5);
        assert_eq!(s.transition.need_to_help, Dist::Const(0.3));
        assert_eq!(s.params, Params::default());
    }

    #[test]
    fn staff_defaults_differ_from_volunteers() {
        let s = edited(
            "[population.new]",
            "[population.head]\nrole = \"staff\"\n\n[population.new]",
        );
        let traits = |key: &str| &s.populations.iter().find(|p| p.key == key).unwrap().traits;
        let (staff, volunteer) = (traits("head"), traits("vol"));
        assert!(staff.need_to_help.mean() < volunteer.need_to_help.mean());
        assert_eq!(staff.network, Dist::Uniform(0.5, 0.9));
        assert_eq!(volunteer.network, Dist::Uniform(0.2, 0.8));
        assert_eq!(traits("new").need_to_help, Dist::Const(0.0));
        assert_eq!(
            s.populations.iter().find(|p| p.key == "head").unwrap().role,
            Role::Staff
        );
    }

    #[test]
    fn every_distribution_form_is_accepted() {
        let text = MINIMAL.replace(
            "count = 5",
            "count = 5\nlanguage = { normal = [0.4, 0.1] }\ninitiative = { triangular = [0.1, 0.3, 0.9] }\n\
             care_load = 0\nresources = { uniform = [0.5, 0.5] }\n\
             origin = { choice = [\"syria\", \"eritrea\"], weights = [0.6, 0.4] }\n\
             life_stage = { choice = [\"older\", \"younger\"] }",
        );
        let s = load_str(&text, "x.toml", &[]).unwrap();
        let p = &s.populations[0];
        assert_eq!(p.traits.language, Dist::Normal(0.4, 0.1));
        assert_eq!(p.traits.initiative, Dist::Triangular(0.1, 0.3, 0.9));
        assert_eq!(p.traits.care_load, Dist::Const(0.0));
        assert_eq!(
            p.origin,
            Label::Choice {
                options: vec!["syria".into(), "eritrea".into()],
                weights: vec![0.6, 0.4]
            }
        );
        assert_eq!(
            p.life_stage,
            Label::Choice {
                options: vec!["older".into(), "younger".into()],
                weights: vec![1.0, 1.0]
            }
        );
        let again = load_str(&to_toml(&s), "r.toml", &[]).unwrap();
        assert_eq!(json(&s), json(&again));
        // A distribution may also be written as a sub-table.
        let s = edited(
            "count = 5",
            "count = 5\n[population.new.language]\nbeta = [3, 3]",
        );
        assert_eq!(s.populations[0].traits.language, Dist::Beta(3.0, 3.0));
    }

    #[test]
    fn keyed_activities_keep_file_order() {
        let text = MINIMAL.replace(
            "[activity]\ngroups = 2\n",
            "[activity.tour]\ngroups = 3\nservice_frame = 0.7\n\n[activity.cafe]\nkind = \"cafe\"\npopulations = [\"vol\", \"new\"]\n",
        );
        let s = load_str(&text, "x.toml", &[]).unwrap();
        let keys: Vec<&str> = s.activities.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["tour", "cafe"]);
        assert_eq!(s.activities[0].kind, "tour");
        assert_eq!(s.activities[0].groups, 3);
        assert_eq!(s.activities[1].populations, vec!["vol", "new"]);
        let resolved = to_toml(&s);
        assert!(resolved.contains("[activity.tour]") && resolved.contains("[activity.cafe]"));
        assert_eq!(json(&s), json(&load_str(&resolved, "r.toml", &[]).unwrap()));
        // An unknown field inside a keyed design is reported with its full path.
        let e = load_err(&text.replace("groups = 3", "groupz = 3"));
        assert!(matches!(e, ScenarioError::UnknownKey(_)), "{e}");
        assert_eq!(e.key(), "activity.tour.groupz");
        assert!(e.message().contains("did you mean 'groups'"), "{e}");
    }

    // ---- error classes, with keys and lines ----

    #[test]
    fn io_error_names_the_file() {
        let e = load(Path::new("/no/such/dir/missing.toml"), &[]).unwrap_err();
        assert!(matches!(e, ScenarioError::Io(_)));
        let msg = e.to_string();
        assert!(
            msg.starts_with("/no/such/dir/missing.toml: cannot read the scenario file"),
            "{msg}"
        );
    }

    #[test]
    fn syntax_error_has_a_line() {
        let e = load_err("[scenario]\nname = \"x\"\nweeks = = 3\n");
        assert!(matches!(e, ScenarioError::Syntax(_)), "{e}");
        assert_eq!(e.line(), Some(3));
        assert!(
            e.to_string()
                .starts_with("x.toml:3: not valid TOML at column"),
            "{e}"
        );
        let e = load_err("[scenario]\nname = \"x\"\n[scenario]\n");
        assert!(matches!(e, ScenarioError::Syntax(_)), "{e}");
        assert_eq!(e.line(), Some(3));
    }

    /// One edit of [`MINIMAL`] that must be refused: MINIMAL with `from` replaced by `to`
    /// (`to` appended when `from` is empty); the error is at `key` (when not empty) and `line`
    /// (when given), and its message contains `says`.
    type Refusal<'a> = (&'a str, &'a str, &'a str, Option<usize>, &'a str);

    /// Checks that each edit is refused with an error of the class `is` accepts.
    fn assert_refused(is: fn(&ScenarioError) -> bool, cases: &[Refusal<'_>]) {
        for &(from, to, key, line, says) in cases {
            let text = if from.is_empty() {
                format!("{MINIMAL}{to}")
            } else {
                MINIMAL.replace(from, to)
            };
            let e = load_err(&text);
            assert!(is(&e), "{to:?}: {e:?}");
            if !key.is_empty() {
                assert_eq!(e.key(), key, "{to:?}");
            }
            if line.is_some() {
                assert_eq!(e.line(), line, "{to:?}");
            }
            assert!(e.message().contains(says), "{to:?}: {e}");
        }
    }

    const COUNT: &str = "count = 5";
    const GROUPS: &str = "groups = 2";
    const NAME: &str = "name = \"mini\"";

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let e = load_err(&MINIMAL.replace(GROUPS, "groups = 2\nco_desing = 0.2"));
        assert!(e.message().contains("allowed here: kind, groups"), "{e}");
        #[rustfmt::skip]
        let cases: &[Refusal<'_>] = &[
            (GROUPS, "groups = 2\nco_desing = 0.2", "activity.co_desing", Some(7), "did you mean 'co_design'?"),
            ("", "\n[activities]\nx = 1\n", "activities", None, "did you mean 'activity'?"),
            ("count = 2", "count = 2\nneed_to_hlep = 0.5", "population.vol.need_to_hlep", Some(11), "did you mean 'need_to_help'?"),
            ("", "\n[parameters]\nalpha_1 = 0.3\n", "parameters.alpha_1", Some(17), "did you mean 'alpha1'?"),
            (COUNT, "count = 5\nlanguage = { betta = [2, 2] }", "population.new.language.betta", None, "did you mean 'beta'?"),
            (GROUPS, "groups = 2\npopulations = [\"vol\", \"nwe\"]", "", None, "did you mean 'new'?"),
        ];
        assert_refused(|e| matches!(e, ScenarioError::UnknownKey(_)), cases);
    }

    #[test]
    fn wrong_types_say_what_is_allowed() {
        let e = load_err(&MINIMAL.replace(GROUPS, "groups = \"two\""));
        assert_eq!(
            e.to_string(),
            "x.toml:6: activity.groups: must be a whole number from 1 to 10000 (got the string \"two\"); write e.g. groups = 10"
        );
        let no_activity = MINIMAL.replace("[activity]\ngroups = 2", "");
        let e = load_err(&no_activity.replace("[scenario]", "activity = 3\n[scenario]"));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert_eq!(e.key(), "activity");
        #[rustfmt::skip]
        let cases: &[Refusal<'_>] = &[
            (GROUPS, "groups = \"two\"", "activity.groups", Some(6), ""),
            (COUNT, "count = 2.5", "", None, "without a decimal point"),
            (GROUPS, "groups = 2\npathway = \"yes\"", "activity.pathway", None, ""),
            ("role = \"volunteer\"", "role = 1", "", None, ""),
            (COUNT, "count = 5\nlanguage = \"high\"", "", None, "{ beta = [2.0, 5.0] }"),
            (COUNT, "count = 5\nlanguage = { beta = [2] }", "", None, "beta needs 2 numbers [a, b]"),
            (COUNT, "count = 5\nlanguage = { beta = [2, 2], uniform = [0, 1] }", "", None, "exactly one key"),
            ("", "\n[[transition]]\nx = 1\n", "", None, ""),
        ];
        assert_refused(|e| matches!(e, ScenarioError::WrongType(_)), cases);
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let e = load_err(&MINIMAL.replace(GROUPS, "groups = 2\nservice_frame = 1.3"));
        assert_eq!(
            e.to_string(),
            "x.toml:7: activity.service_frame: must be a probability in [0, 1] (got 1.3); write e.g. service_frame = 0.8"
        );
        let e = load_err(&MINIMAL.replace(COUNT, "count = 5\nlanguage = { beta = [0, 5] }"));
        assert_eq!(
            e.to_string(),
            "x.toml:15: population.new.language: beta parameters must be > 0 (got a = 0); write e.g. { beta = [2.0, 5.0] }"
        );
        #[rustfmt::skip]
        let cases: &[Refusal<'_>] = &[
            (GROUPS, "groups = 2\nservice_frame = 1.3", "", None, ""),
            ("count = 2", "count = -1", "population.vol.count", Some(10), "from 0 to 60 (got -1)"),
            (COUNT, "count = 5\nlanguage = { beta = [0, 5] }", "", None, ""),
            (COUNT, "count = 5\nlanguage = { beta = [2, -1] }", "", None, "got b = -1"),
            (COUNT, "count = 5\nlanguage = { uniform = [0.9, 0.2] }", "", None, "lo = 0.9, hi = 0.2"),
            (COUNT, "count = 5\nlanguage = { normal = [0.5, -0.1] }", "", None, ""),
            (COUNT, "count = 5\nlanguage = { triangular = [0.1, 0.9, 0.5] }", "", None, ""),
            (COUNT, "count = 5\nlanguage = 1.5", "", None, ""),
            (COUNT, "count = 5\nlanguage = nan", "", None, ""),
            (COUNT, "count = 5\norigin = { choice = [\"a\", \"b\"], weights = [0, 0] }", "population.new.origin.weights", None, "sum to more than 0"),
            (COUNT, "count = 5\norigin = { choice = [\"a\", \"b\"], weights = [1] }", "", None, ""),
            (COUNT, "count = 5\nlife_stage = \"old\"", "", None, "did you mean 'older'?"),
            (NAME, "name = \"Mini Cafe\"", "scenario.name", None, ""),
            (NAME, "name = \"mini\"\nweeks = 0", "", None, ""),
            (NAME, "name = \"mini\"\nseed = -5", "", None, ""),
            ("", "\n[parameters]\nbeta_e = 12\n", "", None, "[0, 10] (got 12)"),
            ("", "\n[stereotypes]\nsyria = 2\n", "", None, ""),
            (GROUPS, "groups = 2\nhours_per_meeting = 0", "", None, ""),
            (GROUPS, "groups = 2\ncapacity = 3", "activity.capacity", None, ""),
            (COUNT, "count = 59", "", None, "at most 60 persons"),
            (GROUPS, "groups = 2\ntargets = [\"non-westen\"]", "", None, ""),
            (GROUPS, "groups = 2\nlanguage_policy = \"multi\"", "", None, ""),
            ("role = \"volunteer\"", "role = \"volunter\"", "", None, "did you mean 'volunteer'?"),
        ];
        assert_refused(|e| matches!(e, ScenarioError::OutOfRange(_)), cases);
    }

    #[test]
    fn missing_keys_are_named() {
        #[rustfmt::skip]
        let cases: &[Refusal<'_>] = &[
            (NAME, "weeks = 3", "scenario.name", Some(2), ""),
            ("role = \"volunteer\"\n", "", "population.vol.role", Some(8), ""),
            ("[activity]\ngroups = 2\n", "", "activity", None, ""),
            (COUNT, "count = 5\norigin = { weights = [1] }", "population.new.origin.choice", None, ""),
        ];
        assert_refused(|e| matches!(e, ScenarioError::Missing(_)), cases);
    }

    #[test]
    fn empty_populations_are_refused() {
        #[rustfmt::skip]
        let cases: &[Refusal<'_>] = &[
            (COUNT, "count = 0", "population.new.count", Some(14), "at least one participant"),
            ("count = 2", "count = 0", "population.vol.count", None, ""),
            (GROUPS, "groups = 2\npopulations = [\"new\"]", "activity.populations", Some(7), ""),
            (GROUPS, "groups = 2\npopulations = []", "", None, ""),
        ];
        assert_refused(|e| matches!(e, ScenarioError::EmptyPopulation(_)), cases);
        for text in [
            "[scenario]\nname = \"x\"\n[activity]\n",
            "[scenario]\nname = \"x\"\n[activity]\n[population]\n",
        ] {
            assert!(matches!(load_err(text), ScenarioError::EmptyPopulation(_)));
        }
        // A population of count 0 is fine while the group still has both sides.
        let text = MINIMAL.replace(
            "[population.new]",
            "[population.extra]\nrole = \"participant\"\ncount = 0\n\n[population.new]",
        );
        assert!(load_str(&text, "x.toml", &[]).is_ok());
    }

    // ---- attributes and [output] ----

    #[test]
    fn attributes_and_output_by_are_read_checked_and_round_trip() {
        let text = MINIMAL.replace(
            "count = 5",
            "count = 5\norigin = { choice = [\"syria\", \"eritrea\"] }\n\
             attributes = { gender = \"woman\", age = { choice = [\"young\", \"old\"], weights = [3, 1] } }",
        ) + "\n[output]\nby = [\"gender\", \"origin\"]\n";
        let s = load_str(&text, "x.toml", &[]).unwrap();
        let new = &s.populations[0];
        assert_eq!(new.attributes["gender"], Label::Fixed("woman".into()));
        assert_eq!(
            new.attributes["age"],
            Label::Choice {
                options: vec!["young".into(), "old".into()],
                weights: vec![3.0, 1.0]
            }
        );
        assert!(s.populations[1].attributes.is_empty());
        assert_eq!(s.output.by, ["gender", "origin"]);
        assert_eq!(
            s.attributes(),
            [
                (
                    "age".to_string(),
                    vec!["old".to_string(), "young".to_string()]
                ),
                ("gender".to_string(), vec!["woman".to_string()])
            ]
        );
        let resolved = to_toml(&s);
        assert!(resolved.contains("# attributes: none"), "{resolved}");
        assert_eq!(json(&s), json(&load_str(&resolved, "r.toml", &[]).unwrap()));
        // Without [output], nothing is broken down.
        assert!(load_str(MINIMAL, "x.toml", &[])
            .unwrap()
            .output
            .by
            .is_empty());
        // A sub-table works like the inline table.
        let sub = MINIMAL.replace(
            "count = 5",
            "count = 5\n[population.new.attributes]\ngender = \"woman\"",
        );
        let s = load_str(&sub, "x.toml", &[]).unwrap();
        assert_eq!(
            s.populations[0].attributes["gender"],
            Label::Fixed("woman".into())
        );
    }

    #[test]
    fn bad_attributes_and_by_name_the_key_and_line() {
        let e =
            load_err(&MINIMAL.replace("count = 5", "count = 5\nattributes = { Gender = \"w\" }"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)), "{e}");
        assert_eq!(e.key(), "population.new.attributes.Gender");
        let e =
            load_err(&MINIMAL.replace("count = 5", "count = 5\nattributes = { origin = \"x\" }"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)), "{e}");
        assert!(
            e.message()
                .contains("every population has its own `origin`"),
            "{e}"
        );
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nattributes = \"woman\""));
        assert!(matches!(e, ScenarioError::WrongType(_)), "{e}");
        assert_eq!((e.key(), e.line()), ("population.new.attributes", Some(15)));
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\nattributes = { gender = { choice = [\"w\"], weights = [-1] } }",
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)), "{e}");
        assert_eq!(e.key(), "population.new.attributes.gender.weights");
        let text = MINIMAL.replace(
            "count = 5",
            "count = 5\nattributes = { gender = \"woman\" }",
        ) + "\n[output]\nby = [\"gendr\"]\n";
        let e = load_err(&text);
        assert!(matches!(e, ScenarioError::OutOfRange(_)), "{e}");
        assert_eq!((e.key(), e.line()), ("output.by", Some(18)));
        assert!(e.message().contains("did you mean 'gender'?"), "{e}");
        assert!(e.message().contains("origin, gender"), "{e}");
        let e = load_err(&format!("{MINIMAL}\n[output]\nbye = []\n"));
        assert!(matches!(e, ScenarioError::UnknownKey(_)), "{e}");
        assert_eq!(e.key(), "output.bye");
        let many: String = (0..9).map(|i| format!("a{i} = \"x\", ")).collect();
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            &format!(
                "count = 5\nattributes = {{ {} }}",
                many.trim_end_matches(", ")
            ),
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)), "{e}");
        assert!(e.message().contains("at most 8 attribute names"), "{e}");
    }

    #[test]
    fn attributes_and_by_can_be_set() {
        let s = with(
            MINIMAL,
            &[
                "population.new.attributes.gender=woman",
                "population.vol.attributes={gender=\"man\"}",
                "output.by=[\"gender\"]",
            ],
        )
        .unwrap();
        assert_eq!(
            s.populations[0].attributes["gender"],
            Label::Fixed("woman".into())
        );
        assert_eq!(
            s.populations[1].attributes["gender"],
            Label::Fixed("man".into())
        );
        assert_eq!(s.output.by, ["gender"]);
        let e = with(MINIMAL, &["output.by=[\"gender\"]"]).unwrap_err();
        assert!(matches!(e, ScenarioError::OutOfRange(_)), "{e}");
        assert_eq!((e.key(), e.line()), ("output.by", None));
        let e = with(MINIMAL, &["population.new.attributes.gender.x=1"]).unwrap_err();
        assert!(matches!(e, ScenarioError::BadOverride(_)), "{e}");
    }

    // ---- overrides ----

    #[test]
    fn overrides_reach_every_kind_of_path() {
        let s = with(
            MINIMAL,
            &[
                "scenario.weeks=104",
                "activity.co_design=0.6",
                "activity.language_policy=\"multilingual\"",
                "activity.targets=[\"syria\"]",
                "population.vol.need_to_help={beta=[2,2]}",
                "population.new.language=0.7",
                "population.new.origin=syria",
                "parameters.alpha1=0.5",
                "stereotypes.syria=0.2",
                "stereotypes.default=0.4",
                "transition.protectiveness={uniform=[0.1,0.2]}",
            ],
        )
        .unwrap();
        assert_eq!(s.weeks, 104);
        let a = &s.activities[0];
        assert_eq!(a.co_design, 0.6);
        assert_eq!(a.language_policy, LanguagePolicy::Multilingual);
        assert_eq!(a.targets, vec!["syria"]);
        let vol = s.populations.iter().find(|p| p.key == "vol").unwrap();
        assert_eq!(vol.traits.need_to_help, Dist::Beta(2.0, 2.0));
        let new = s.populations.iter().find(|p| p.key == "new").unwrap();
        assert_eq!(new.traits.language, Dist::Const(0.7));
        assert_eq!(new.origin, Label::Fixed("syria".into()));
        assert_eq!(s.params.alpha1, 0.5);
        assert_eq!(s.stereotypes.prior("syria"), 0.2);
        assert_eq!(s.stereotypes.default, 0.4);
        assert_eq!(s.transition.protectiveness, Dist::Uniform(0.1, 0.2));
    }

    #[test]
    fn overrides_on_keyed_activities() {
        let (path, text) = bundled("municipality");
        let s = with(
            &text,
            &["activity.facilitation=0.4", "activity.dugnad.groups=5"],
        )
        .unwrap();
        assert!(s.activities.iter().all(|a| a.facilitation == 0.4));
        let groups: Vec<u32> = s.activities.iter().map(|a| a.groups).collect();
        assert_eq!(groups, [80, 120, 30, 5]);
        let e = with(&text, &["activity.cinema.groups=5"]).unwrap_err();
        assert!(matches!(e, ScenarioError::BadOverride(_)), "{e}");
        assert_eq!(e.file(), "x.toml");
        assert!(
            e.message()
                .contains("activities: knitting, language-cafe, tour, dugnad"),
            "{e}"
        );
        let _ = path;
    }

    #[test]
    fn bad_overrides_name_the_path() {
        for (set, needle) in [
            ("activity.co_desing=0.3", "did you mean 'co_design'?"),
            ("population.volunters.count=3", "did you mean 'vol'?"),
            ("population.vol.colour=3", "has no field 'colour'"),
            ("parameters.alpha_1=0.3", "did you mean 'alpha1'?"),
            ("weeks=10", "did you mean scenario.weeks?"),
            ("stereotypes.narnia=0.3", "not an origin of this scenario"),
            ("activity.cafe.groups=3", "single [activity]"),
            ("population.vol.origin.weights=[1]", "set the whole value"),
            ("scenario.weeks", "not KEY=VALUE"),
            ("=3", "no key"),
            ("scenario.weeks=", "no value"),
            ("population.vol.need_to_help={beta=[2,", "not a TOML value"),
            ("scenario..weeks=3", "dotted path"),
        ] {
            let e = with(MINIMAL, &[set]).unwrap_err();
            assert!(matches!(e, ScenarioError::BadOverride(_)), "{set}: {e}");
            assert!(e.to_string().starts_with("x.toml"), "{set}: {e}");
            assert!(e.message().contains(needle), "{set}: {e}");
        }
    }

    #[test]
    fn values_from_set_are_validated_without_a_line() {
        let e = with(MINIMAL, &["activity.service_frame=1.3"]).unwrap_err();
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!((e.key(), e.line()), ("activity.service_frame", None));
        assert!(
            e.message().ends_with("(this value was given by --set)"),
            "{e}"
        );
        let e = with(MINIMAL, &["population.new.count=0"]).unwrap_err();
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        let e = with(MINIMAL, &["scenario.weeks=ten"]).unwrap_err();
        assert!(matches!(e, ScenarioError::WrongType(_)), "{e}");
    }

    #[test]
    fn later_overrides_win() {
        let s = with(MINIMAL, &["activity.groups=3", "activity.groups=4"]).unwrap();
        assert_eq!(s.activities[0].groups, 4);
    }

    // ---- robustness ----

    #[test]
    fn never_panics_on_truncated_or_mangled_input() {
        for name in ["focus-group", "municipality"] {
            let (_, text) = bundled(name);
            let mut cut = 0;
            while cut < text.len() {
                if text.is_char_boundary(cut) {
                    let _ = load_str(&text[..cut], "t.toml", &[]);
                }
                cut += 7;
            }
            for (from, to) in [
                ("=", "=="),
                ("[", ""),
                ("]", ""),
                ("\"", ""),
                ("0.", "-"),
                ("1", "1e400"),
                (".", ""),
            ] {
                let _ = load_str(&text.replacen(from, to, 3), "t.toml", &[]);
            }
        }
        for junk in [
            "",
            "\u{0}",
            "[[[",
            "a = {",
            "x = 1\n",
            "[scenario]\nname=1",
            "scenario = []",
            "population = 3\n",
        ] {
            let _ = load_str(junk, "t.toml", &["activity.groups=1".into()]);
        }
    }

    #[test]
    fn numbers_format_without_loss() {
        let s = edited(
            "count = 5",
            "count = 5\nlanguage = 0.1234567890123\ninitiative = 1e-7",
        );
        let again = load_str(&to_toml(&s), "r.toml", &[]).unwrap();
        assert_eq!(json(&s), json(&again));
    }
}
