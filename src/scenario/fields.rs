//! The field table: every table and key of a scenario file, each key declared once — its type,
//! range, example, default and doc — with the checks that tie keys of different tables together.
//!
//! Each `section!` below declares one table ([`section!`](super::section) says what it derives:
//! the checked struct, the key list, the reader, the `to_toml` writer and the JSON Schema).
//! To add a key, add a row; the doc comment is its description in `dugnad schema`.

use super::dist::{Attributes, Dist, Label};
use super::document::{join, table, valid_name, Class, Ctx, Tbl, R};
use super::mechanisms::{self, Mechanisms};
use super::params::{self, Params};
use super::section::section;
use super::suggest::{choices, no_such};
use super::types::{
    AttributeTable, Flag, Int, Keyword, LabelOf, Maybe, Names, Num, OptionalInt, Text, TextRule,
    Trait, Word, RESERVED_ATTRIBUTE,
};
use serde::Serialize;
use std::collections::BTreeSet;
use Dist::{Beta, Const, Uniform};

/// Top-level tables of a scenario file.
pub const TOP_KEYS: &[&str] = &[
    "scenario",
    "activity",
    "population",
    "stereotypes",
    "transition",
    "mechanisms",
    "parameters",
    "output",
    "schedule",
    "sweep",
    "fit",
];

/// Top-level tables that belong to an experiment and that the scenario reader skips: `[sweep]`
/// (read by `dugnad sweep`, and checked by `dugnad check`), so a file that declares a sweep
/// still runs.
pub const EXPERIMENT_KEYS: &[&str] = &["sweep"];

/// Largest number of persons in one group (all populations of an activity together).
pub const MAX_GROUP_SIZE: i64 = 60;

/// Most distinct attribute names a scenario may declare (a person holds one value of each).
pub const MAX_ATTRIBUTES: usize = 8;

/// Most distinct values one attribute may take across the populations that declare it.
pub const MAX_ATTRIBUTE_VALUES: usize = 200;

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

impl Keyword for Role {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("volunteer", Role::Volunteer),
        ("staff", Role::Staff),
        ("participant", Role::Participant),
    ];
    const SCHEMA_NAME: &'static str = "RawRole";
    const SCHEMA_DOC: &'static str = "Role of a population.";
}

impl Keyword for LanguagePolicy {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("local-only", LanguagePolicy::LocalOnly),
        ("multilingual", LanguagePolicy::Multilingual),
    ];
    const SCHEMA_NAME: &'static str = "RawLanguagePolicy";
    const SCHEMA_DOC: &'static str = "Language policy of an activity.";
}

section! {
    /// A checked, fully resolved scenario.
    #[derive(Debug, Clone, Serialize)]
    pub struct Scenario {}
    keys SCENARIO_KEYS, read(t, root: &Tbl<'_>) {
        /// Required. Used in output folder names: only a-z, 0-9, '-' and '_'.
        name: String = Text::new(TextRule::Name, "\"knitting-cafe\""),
            required "every scenario needs a name: write name = \"my-scenario\" (a-z, 0-9, '-' and '_')";
        /// Free text (default "").
        description: String = Text::new(TextRule::Free, "\"what this scenario represents\""),
            or String::new();
        /// Simulated weeks, 1..=520 (default 52). One tick is one week.
        weeks: u32 = Int::new(1, 520, "104"), or 52;
        /// Independent replicates, 1..=100000 (default 100).
        replicates: u32 = Int::new(1, 100_000, "100"), or 100;
        /// Master seed (default 1); a non-negative integer.
        seed: u64 = Int::new(0, i64::MAX, "2019"), or 1;
        /// Origin labels that count as the majority (diffuse status). Default ["local"].
        majority_origins: Vec<String> = Names::new("[\"local\"]"), or vec!["local".to_string()];
    }
    then {
        let populations = read_populations(root)?;
        let activities = read_activities(root, &name, &populations)?;
        let stereotypes = read_stereotypes(root)?;
        let transition = read_transition(root)?;
        let mechanisms = read_mechanisms(root)?;
        let params = read_parameters(root)?;
        let output = read_output(root, &populations)?;
        // Filled in by validation once the scenario itself is read (`super::schedule::read`,
        // `super::fit::read`).
        let schedule = Vec::new();
        let fit = None;
    }
    after {
        /// Activity designs, in file order of their keys (a single `[activity]` has key "activity").
        pub activities: Vec<Activity>,
        /// Populations, sorted by key.
        pub populations: Vec<Population>,
        /// Volunteers' prior perceived competence by origin label; `default` covers the rest.
        pub stereotypes: Stereotypes,
        /// Traits given to a participant who becomes a volunteer (`[transition]`).
        pub transition: TransitionTraits,
        /// Which mechanisms are on (all by default), from `[mechanisms]`.
        pub mechanisms: Mechanisms,
        /// Every model parameter: the table's defaults, overridden by `[parameters]`.
        pub params: Params,
        /// How results are broken down (`[output]`).
        pub output: Output,
        /// `[[schedule]]`: the changes the design goes through, in file order.
        pub schedule: Vec<Change>,
        /// `[fit]`: what `dugnad fit` estimates and how (other commands ignore it).
        pub fit: Option<Fit>,
    }
}

impl Scenario {
    /// Every attribute name declared by some population, sorted, each with the values it may
    /// take (sorted, each once).
    pub fn attributes(&self) -> Vec<(String, Vec<String>)> {
        declared_attributes(&self.populations)
    }
}

/// The attribute names declared by `pops`, sorted, each with the values it may take.
fn declared_attributes(pops: &[Population]) -> Vec<(String, Vec<String>)> {
    let mut out: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    for p in pops {
        for (name, label) in &p.attributes {
            out.entry(name).or_default().extend(label.options());
        }
    }
    out.into_iter()
        .map(|(name, values)| {
            (
                name.to_string(),
                values.into_iter().map(str::to_string).collect(),
            )
        })
        .collect()
}

section! {
    /// One activity design; `groups` independent groups of it run in each replicate.
    #[derive(Debug, Clone, Serialize)]
    pub struct Activity {
        /// The design's key: `activity` for a single `[activity]`, else `<key>` of
        /// `[activity.<key>]`.
        pub key: String,
    }
    keys ACTIVITY_KEYS, read(t, cx: &Design<'_>) {
        /// Free label (default: the activity's key; for a single [activity], the scenario name).
        kind: String = Text::new(TextRule::Line, "\"knitting-cafe\""), or cx.default_kind.to_string();
        /// Independent groups of this design, 1..=10000 (default 1).
        groups: u32 = Int::new(1, 10_000, "10"), or 1;
        /// Meetings per week, 1..=7 (default 1).
        meetings_per_week: u32 = Int::new(1, 7, "1"), or 1;
        /// Speaking turns per meeting, 1..=2000 (default 120).
        turns_per_meeting: u32 = Int::new(1, 2000, "120"), or 120;
        /// Hours per meeting, in (0, 24] (default 2.0); drives language practice.
        hours_per_meeting: f64 = Num::above(0.0, 24.0, "2.0"), or 2.0;
        /// Volunteers provide, participants receive: 0..1 (default 0.5).
        service_frame: f64 = Num::prob("0.8"), or 0.5;
        /// Participants' share in setting the agenda: 0..1 (default 0).
        co_design: f64 = Num::prob("0.3"), or 0.0;
        /// Turn-taking norm that blocks usurping: 0..1 (default 0).
        facilitation: f64 = Num::prob("0.5"), or 0.0;
        /// Open roles for participants to co-organize and volunteer (default false).
        pathway: bool = Flag, or false;
        /// Locals also join as peers rather than helpers (default false).
        mixed: bool = Flag, or false;
        /// "local-only" (default) or "multilingual" (halves hesitation and speaking practice).
        language_policy: LanguagePolicy = Word::new(None, "\"multilingual\""),
            or LanguagePolicy::LocalOnly;
        /// Origin labels the activity is aimed at (default []); each must be an origin of some population.
        targets: Vec<String> = Names::new("[\"non-western\"]"), or Vec::new(),
            check cx.origins_include(t, &targets);
        /// Maximum participants per group, 1..=60, at least the participants per group; a waiting
        /// list refills places. Default: no cap.
        capacity: Option<u32> = OptionalInt::new(
                Int::new(1, MAX_GROUP_SIZE, "15"),
                "none (no cap, no waiting list)",
            ), or None;
        /// Weekly probability that a volunteer vacancy is filled: 0..1 (default 0.05).
        recruitment: f64 = Num::prob("0.05"), or 0.05;
        /// Keys of the populations that make up each group (default: all populations). Each group
        /// needs at least one participant and one volunteer or staff member, and at most 60 persons.
        populations: Vec<String> = Names::new("[\"volunteers\", \"newcomers\"]"),
            or cx.population_keys().iter().map(|k| k.to_string()).collect(),
            check cx.populations_exist(t, &populations);
    }
    then {
        let key = cx.key.to_string();
        cx.check_groups(t, &populations, capacity)?;
    }
}

section! {
    /// A population: `count` persons per group with traits drawn from distributions. Traits left
    /// out take the role's defaults; every trait key is allowed for every role.
    #[derive(Debug, Clone, Serialize)]
    pub struct Population {
        /// The population's key (`[population.<key>]`).
        pub key: String,
    }
    keys POPULATION_OWN_KEYS, read(t, key: &str) {
        /// Required: "volunteer", "staff" or "participant".
        role: Role = Word::new(Some("role"), "\"participant\""),
            required "every population needs a role: write role = \"volunteer\", \"staff\" or \"participant\"";
        /// Persons per group, 0..=60 (default 1).
        count: u32 = Int::new(0, MAX_GROUP_SIZE, "3"), or 1;
        /// Origin label or weighted choice (default "local" for volunteers and staff, "other" for participants).
        origin: Label = LabelOf::new(None, "\"syria\""),
            or Label::Fixed(if role == Role::Participant { "other" } else { "local" }.to_string());
        /// "older" or "younger", or a weighted choice of them (default "older").
        life_stage: Label = LabelOf::new(Some(&["older", "younger"]), "\"older\""),
            or Label::Fixed("older".to_string());
        /// Categorical attributes of the persons, by name: a label (`attributes.gender =
        /// "woman"`) or a weighted choice (`{ choice = ["woman", "man"], weights = [0.7, 0.3] }`),
        /// drawn per person on a random stream of their own. Any name but `origin`; at most 8
        /// names per scenario. `[output] by` gives each value a lens of the newcomers. Default: none.
        attributes: Attributes = AttributeTable, or Attributes::new();
    }
    then {
        let key = key.to_string();
        let traits = Traits::read(t, role)?;
    }
    after {
        /// Trait distributions, the role's defaults filled in.
        pub traits: Traits,
    }
}

section! {
    /// Trait distributions of a population (each value in [0, 1]; draws are clamped). A trait a
    /// population leaves out takes its role's default, written below as
    /// `by_role(role, volunteer, staff, participant)` (MODEL.md Appendix C).
    ///
    /// Volunteers have a fairly high need to help (mean 0.625, Malkki 2015); staff a lower one
    /// (mean 0.375) and a wider network (the head of the centre as door opener). Participants have
    /// modest initiative (mean 0.4), some care load, and beginner-to-intermediate language (mean
    /// 0.33, about A2). Locals speak the local language natively and know how things are done
    /// (K = 0.9 is set by the model, not here).
    #[derive(Debug, Clone, Serialize)]
    pub struct Traits {}
    keys TRAIT_KEYS, read(t, role: Role) {
        /// Need to help N (volunteers, staff).
        need_to_help: Dist = Trait, or by_role(role, Beta(5.0, 3.0), Beta(3.0, 5.0), Const(0.0));
        /// Protectiveness P (volunteers, staff): mothering, speaking for.
        protectiveness: Dist = Trait,
            or by_role(role, Uniform(0.3, 0.7), Uniform(0.2, 0.5), Const(0.0));
        /// Withdrawal propensity W (scales the weekly withdrawal hazard).
        withdrawal_propensity: Dist = Trait, or Const(0.5);
        /// Talkativeness (speaking weight).
        talkativeness: Dist = Trait, or Uniform(0.3, 0.7);
        /// Network reach (used by door-opening).
        network: Dist = Trait,
            or by_role(role, Uniform(0.2, 0.8), Uniform(0.5, 0.9), Uniform(0.0, 0.3));
        /// Initiative I (participants): the "go-ahead spirit".
        initiative: Dist = Trait, or by_role(role, Const(0.5), Const(0.5), Beta(2.0, 3.0));
        /// Care load C (participants): children at home.
        care_load: Dist = Trait, or by_role(role, Const(0.0), Const(0.0), Uniform(0.0, 0.6));
        /// Resources Q (participants): education, family support.
        resources: Dist = Trait, or by_role(role, Const(1.0), Const(1.0), Uniform(0.2, 0.8));
        /// Local-language proficiency L (0 = none, 1 = native; six equal CEFR steps).
        language: Dist = Trait, or by_role(role, Const(1.0), Const(1.0), Beta(2.0, 4.0));
    }
}

section! {
    /// `[transition]`: traits of a participant who becomes a volunteer.
    #[derive(Debug, Clone, Serialize)]
    pub struct TransitionTraits {}
    keys TRANSITION_KEYS, read(t) {
        /// Default 0.3.
        need_to_help: Dist = Trait, or Const(0.3);
        /// Default 0.2.
        protectiveness: Dist = Trait, or Const(0.2);
        /// Default 0.5.
        withdrawal_propensity: Dist = Trait, or Const(0.5);
    }
}

section! {
    /// One `[[schedule]]` entry: what changes at the start of a week. Values set by `set` hold
    /// from that week on (until a later entry sets them again); arrivals and leaves happen once,
    /// in every group they concern. The group's composition and the run's size are fixed for
    /// the run: `scenario.*`, `activity.groups`, `activity.kind`, `activity.populations` and a
    /// population's `role`, `count` and `origin` cannot be scheduled (arrivals and leaves change
    /// who is there).
    #[derive(Debug, Clone, Serialize)]
    pub struct Change {}
    keys CHANGE_KEYS, read(t, cx: &Run<'_>) {
        /// Required. The week from whose start the change holds, 1..=scenario.weeks.
        week: u32 = Int::new(1, 520, "26"),
            required "every [[schedule]] entry needs the week it starts: write week = 26",
            check cx.within_run(t, week);
        /// Values that hold from this week on, by dotted path as `--set` takes them (quote each
        /// path), e.g. { "activity.co_design" = 0.6, "parameters.alpha1" = 0.2 }. A trait or a
        /// stereotype applies to the persons who join from then on. Default {}.
        set: Vec<Setting> = Settings, or Vec::new();
        /// Persons who join each group at the start of the week: { population = "newcomers",
        /// count = 4 } or a list of such tables; `activity = "<key>"` limits it to one
        /// activity's groups (default: every activity whose groups hold the population). Their
        /// places are added to the group. Default [].
        arrive: Vec<Cohort> = Cohorts, or Vec::new(),
            check cx.cohorts_fit(t, "arrive", &arrive);
        /// Places that close in each group at the start of the week, in the same form as
        /// `arrive`: vacant places of the population close first, then persons chosen at random
        /// leave. Closed places are never refilled. Default [].
        leave: Vec<Cohort> = Cohorts, or Vec::new(),
            check cx.cohorts_fit(t, "leave", &leave);
        /// false: from this week no vacancy is refilled (neither volunteer recruitment nor the
        /// waiting list); true: refilling resumes. Default: unchanged.
        recruiting: Option<bool> = Maybe::new(Flag, "unchanged"), or None;
        /// A short label for the charts and the report (default: the change in words).
        label: String = Text::new(TextRule::Line, "\"co-design starts\""),
            or change_words(&set, &arrive, &leave, recruiting);
    }
    then {
        cx.changes_something(t, &set, &arrive, &leave, recruiting)?;
        let scenario = Box::new(cx.base.clone());
    }
    after {
        /// The scenario in force from this week on: every change up to this week applied, no
        /// schedule of its own (filled in by `super::schedule::read`).
        #[serde(skip)]
        pub scenario: Box<Scenario>,
    }
}

section! {
    /// Persons of one population who arrive, or places of it that close, in each group.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Cohort {}
    keys COHORT_KEYS, read(t) {
        /// Required. The population's key.
        population: String = Text::new(TextRule::Name, "\"newcomers\""),
            required "say whose places these are: write population = \"newcomers\"";
        /// Required. Persons (places) per group, 1..=60.
        count: u32 = Int::new(1, MAX_GROUP_SIZE, "4"),
            required "say how many per group: write count = 4";
        /// Only the groups of this activity (default: every activity whose groups hold the
        /// population).
        activity: Option<String> = Maybe::new(
                Text::new(TextRule::Name, "\"cafe\""),
                "every activity whose groups hold the population",
            ), or None;
    }
}

section! {
    /// How `dugnad fit` samples (ABC-SMC, docs/fitting.md); the priors are the other keys of
    /// `[fit]`, by dotted path.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct FitSettings {}
    keys FIT_KEYS, read(t) {
        /// Particles per generation, 20..=100000 (default 500).
        particles: u32 = Int::new(20, 100_000, "500"), or 500;
        /// Most generations, generation 0 (the prior) included, 1..=100 (default 12).
        generations: u32 = Int::new(1, 100, "12"), or 12;
        /// A generation's tolerance: this weighted quantile of the previous generation's
        /// distances, in (0, 0.99] (default 0.5, the median).
        quantile: f64 = Num::above(0.0, 0.99, "0.5"), or 0.5;
        /// Stop after a generation that accepts a smaller share of its proposals, in [0, 1]
        /// (default 0.02).
        min_acceptance: f64 = Num::prob("0.02"), or 0.02;
        /// Most simulations over all generations (default 1000000).
        max_simulations: u64 = Int::new(1, 1_000_000_000_000, "1000000"), or 1_000_000;
    }
}

/// `[fit]`: the priors of the values `dugnad fit` estimates, by dotted path, and how it samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub settings: FitSettings,
    /// In file order.
    pub priors: Vec<PriorOf>,
}

/// The prior of one value: a dotted path `--set` takes and a distribution (`uniform`, `beta`,
/// `normal` or `triangular`; a normal prior is truncated to the values the path takes). A path
/// that holds a whole number is estimated as a continuous value rounded to the nearest whole
/// number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorOf {
    pub path: String,
    pub dist: Dist,
    /// The path holds a whole number.
    pub integer: bool,
}

/// A value a scheduled change sets: a dotted path as `--set` takes it, and the value as its
/// canonical TOML text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub path: String,
    pub value: String,
}

/// `set = { "dotted.path" = value, ... }`. Paths may also be written as nested tables
/// (`set = { activity.co_design = 0.6 }`): a table continues the path unless it is a value
/// written as a table (a distribution or a weighted choice).
pub(crate) struct Settings;

const SET_EXAMPLE: &str = "set = { \"activity.co_design\" = 0.6 }";

impl Settings {
    /// Appends the settings below `table` (at dotted `prefix`) to `out`, in file order.
    fn flatten(
        t: &Tbl<'_>,
        key: &str,
        table: &dyn toml_edit::TableLike,
        prefix: &str,
        out: &mut Vec<Setting>,
    ) -> R<()> {
        for (k, item) in table.iter() {
            let path = join(prefix, k);
            let at = format!("{key}.{path}");
            match item {
                toml_edit::Item::Value(v)
                    if v.as_inline_table()
                        .is_none_or(|i| super::forms::is_value_form(i)) =>
                {
                    let value = super::toml_text::canonical_value(v).map_err(|m| {
                        t.err(
                            Class::OutOfRange,
                            &at,
                            format!("{m}; write e.g. {SET_EXAMPLE}"),
                        )
                    })?;
                    out.push(Setting { path, value });
                }
                toml_edit::Item::Table(sub) if super::forms::is_value_form(sub) => {
                    let v = item.clone().into_value().map_err(|_| {
                        t.err(
                            Class::WrongType,
                            &at,
                            format!("must be a value; write e.g. {SET_EXAMPLE}"),
                        )
                    })?;
                    let value = super::toml_text::canonical_value(&v)
                        .map_err(|m| t.err(Class::OutOfRange, &at, m))?;
                    out.push(Setting { path, value });
                }
                other => match other.as_table_like() {
                    Some(sub) => Self::flatten(t, key, sub, &path, out)?,
                    None => return Err(t.wrong_type(&at, other, "a value", SET_EXAMPLE)),
                },
            }
        }
        Ok(())
    }
}

impl super::types::FieldType for Settings {
    type Value = Vec<Setting>;
    type Raw = std::collections::BTreeMap<String, serde_json::Value>;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &toml_edit::Item) -> R<Vec<Setting>> {
        let Some(table) = item.as_table_like() else {
            let what = "a table of dotted paths and values";
            return Err(t.wrong_type(key, item, what, SET_EXAMPLE));
        };
        let mut out = Vec::new();
        Self::flatten(t, key, table, "", &mut out)?;
        Ok(out)
    }

    fn text(&self, v: &Vec<Setting>) -> String {
        if v.is_empty() {
            return "{}".into();
        }
        let parts: Vec<String> = v
            .iter()
            .map(|s| format!("{} = {}", super::toml_text::tkey(&s.path), s.value))
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    #[cfg(test)]
    fn vary(&self, v: &Vec<Setting>) -> Vec<Setting> {
        v.iter().rev().cloned().collect()
    }
}

/// `arrive` or `leave`: one cohort table or a list of them.
pub(crate) struct Cohorts;

/// The shape of `arrive` and `leave` in the JSON Schema.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum RawCohorts {
    /// One cohort.
    One(RawCohort),
    /// Several cohorts.
    Many(Vec<RawCohort>),
}

/// The keys of a cohort in the JSON Schema.
pub(crate) struct RawCohort;

impl schemars::JsonSchema for RawCohort {
    fn schema_name() -> String {
        "RawCohort".into()
    }

    fn json_schema(gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        super::types::object_schema(
            "Persons of one population who arrive, or places of it that close, in each group.",
            Cohort::key_schemas(gen),
        )
    }
}

impl super::types::FieldType for Cohorts {
    type Value = Vec<Cohort>;
    type Raw = RawCohorts;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &toml_edit::Item) -> R<Vec<Cohort>> {
        let path = t.sub(key);
        let read = |table: &dyn toml_edit::TableLike, path: &str| -> R<Cohort> {
            let tbl = Tbl {
                ctx: t.ctx,
                t: table,
                path,
            };
            tbl.check_keys(COHORT_KEYS, "")?;
            Cohort::read(&tbl)
        };
        if let Some(one) = item.as_table_like() {
            return Ok(vec![read(one, &path)?]);
        }
        let tables: Option<Vec<&dyn toml_edit::TableLike>> = match item {
            toml_edit::Item::ArrayOfTables(aot) => {
                Some(aot.iter().map(|x| x as &dyn toml_edit::TableLike).collect())
            }
            _ => item.as_array().and_then(|a| {
                a.iter()
                    .map(|v| v.as_inline_table().map(|x| x as &dyn toml_edit::TableLike))
                    .collect()
            }),
        };
        let Some(tables) = tables else {
            let example = format!("{key} = {{ population = \"newcomers\", count = 4 }}");
            return Err(t.wrong_type(key, item, "a table or a list of tables", &example));
        };
        tables
            .iter()
            .enumerate()
            .map(|(i, table)| read(*table, &join(&path, &i.to_string())))
            .collect()
    }

    fn text(&self, v: &Vec<Cohort>) -> String {
        let parts: Vec<String> = v
            .iter()
            .map(|c| {
                // The cohort's `key = value` lines (a comment for a key left out), inline.
                let mut lines = String::new();
                c.write_keys(&mut lines);
                let keys: Vec<&str> = lines.lines().filter(|l| !l.starts_with('#')).collect();
                format!("{{ {} }}", keys.join(", "))
            })
            .collect();
        format!("[{}]", parts.join(", "))
    }

    #[cfg(test)]
    fn vary(&self, v: &Vec<Cohort>) -> Vec<Cohort> {
        v.iter()
            .map(|c| Cohort {
                count: if c.count > 1 {
                    c.count - 1
                } else {
                    c.count + 1
                },
                ..c.clone()
            })
            .collect()
    }
}

/// What a schedule entry is read against: the scenario it changes.
pub(crate) struct Run<'a> {
    pub(crate) base: &'a Scenario,
}

impl Run<'_> {
    /// The week is within the run.
    fn within_run(&self, t: &Tbl<'_>, week: u32) -> R<()> {
        let weeks = self.base.weeks;
        if week > weeks {
            return Err(t.err(
                Class::OutOfRange,
                "week",
                format!(
                    "week {week} is beyond the run, which has {weeks} weeks (scenario.weeks); \
                     write week = 1 to {weeks}, or lengthen the run"
                ),
            ));
        }
        Ok(())
    }

    /// Each cohort at `key` of entry `t` names a population that exists and, when it names an
    /// activity, one whose groups hold it (else some activity's groups hold it).
    fn cohorts_fit(&self, t: &Tbl<'_>, key: &str, cohorts: &[Cohort]) -> R<()> {
        let single = t.item(key).is_some_and(|i| i.is_table_like());
        let keys: Vec<&str> = self
            .base
            .populations
            .iter()
            .map(|p| p.key.as_str())
            .collect();
        let acts = &self.base.activities;
        for (i, c) in cohorts.iter().enumerate() {
            let at = |field: &str| {
                if single {
                    format!("{key}.{field}")
                } else {
                    format!("{key}.{i}.{field}")
                }
            };
            let pop = c.population.as_str();
            if !keys.contains(&pop) {
                return Err(t.err(
                    Class::UnknownKey,
                    &at("population"),
                    no_such("population", pop, "populations", &keys),
                ));
            }
            let holds = |a: &Activity| a.populations.iter().any(|p| p == pop);
            match c.activity.as_deref() {
                Some(a) => {
                    let Some(act) = acts.iter().find(|x| x.key == a) else {
                        let names: Vec<&str> = acts.iter().map(|x| x.key.as_str()).collect();
                        return Err(t.err(
                            Class::UnknownKey,
                            &at("activity"),
                            no_such("activity", a, "activities", &names),
                        ));
                    };
                    if !holds(act) {
                        return Err(t.err(
                            Class::OutOfRange,
                            &at("population"),
                            format!(
                                "the groups of activity '{a}' do not hold population '{pop}' (its populations: {})",
                                act.populations.join(", ")
                            ),
                        ));
                    }
                }
                None if acts.iter().any(holds) => {}
                None => {
                    return Err(t.err(
                        Class::OutOfRange,
                        &at("population"),
                        format!(
                            "no activity's groups hold population '{pop}'; add it to an activity's populations"
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    /// An entry changes something.
    fn changes_something(
        &self,
        t: &Tbl<'_>,
        set: &[Setting],
        arrive: &[Cohort],
        leave: &[Cohort],
        recruiting: Option<bool>,
    ) -> R<()> {
        if set.is_empty() && arrive.is_empty() && leave.is_empty() && recruiting.is_none() {
            return Err(t.ctx.err(
                Class::Missing,
                t.path,
                format!(
                    "this [[schedule]] entry changes nothing; give it set, arrive, leave or recruiting, e.g. {SET_EXAMPLE}"
                ),
            ));
        }
        Ok(())
    }
}

/// A change in words, its default label: `activity.co_design = 0.6; 4 newcomers arrive; 1
/// volunteers leave; recruiting stops`.
fn change_words(
    set: &[Setting],
    arrive: &[Cohort],
    leave: &[Cohort],
    recruiting: Option<bool>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !set.is_empty() {
        let values: Vec<String> = set
            .iter()
            .map(|s| format!("{} = {}", s.path, s.value))
            .collect();
        parts.push(values.join(", "));
    }
    for (cohorts, verb) in [(arrive, "arrive"), (leave, "leave")] {
        for c in cohorts {
            parts.push(format!("{} {} {verb}", c.count, c.population));
        }
    }
    match recruiting {
        Some(false) => parts.push("recruiting stops".into()),
        Some(true) => parts.push("recruiting resumes".into()),
        None => {}
    }
    let words = parts.join("; ");
    // A label is one line of at most 100 characters.
    if words.chars().count() > 100 {
        let cut: String = words.chars().take(97).collect();
        format!("{cut}...")
    } else {
        words
    }
}

section! {
    /// `[output]`: how results are broken down beyond the fixed lenses (newcomers, local
    /// participants, volunteers, staff, all).
    #[derive(Debug, Clone, Serialize)]
    pub struct Output {}
    keys OUTPUT_KEYS, read(t, pops: &[Population]) {
        /// Attributes whose values each get a lens of the newcomers, e.g. `newcomers|gender=woman`
        /// and `newcomers|origin=syria`: `origin`, or attributes declared by populations
        /// (default []).
        by: Vec<String> = Names::new("[\"gender\", \"origin\"]"), or Vec::new(),
            check attributes_include(t, pops, &by);
    }
}

/// Every name of `by` is `origin` or an attribute some population declares.
fn attributes_include(t: &Tbl<'_>, pops: &[Population], by: &[String]) -> R<()> {
    let declared = declared_attributes(pops);
    let mut known: Vec<&str> = vec![RESERVED_ATTRIBUTE];
    known.extend(declared.iter().map(|(n, _)| n.as_str()));
    match by.iter().find(|b| !known.contains(&b.as_str())) {
        None => Ok(()),
        Some(b) => Err(t.err(
            Class::OutOfRange,
            "by",
            format!(
                "'{b}' is not an attribute of any population; {} \
                 (declare one with e.g. attributes.{b} = \"...\" in a [population.<key>] table)",
                choices(b, "attributes in this scenario", &known)
            ),
        )),
    }
}

/// `[output]`, every key it leaves out at its default.
fn read_output(root: &Tbl<'_>, pops: &[Population]) -> R<Output> {
    optional_table(root, "output", "[output] with by = [\"origin\"]", |t| {
        t.check_keys(OUTPUT_KEYS, "")?;
        Output::read(t, pops)
    })
}

/// The top-level table `[name]` (`example` shows one in an error), read by `read`; an empty
/// table when the file has none, so that every key is at its default.
fn optional_table<T>(
    root: &Tbl<'_>,
    name: &'static str,
    example: &str,
    read: impl FnOnce(&Tbl<'_>) -> R<T>,
) -> R<T> {
    let empty = toml_edit::Table::new();
    let t = match root.item(name) {
        Some(item) => table(root.ctx, item, name, example)?,
        None => Tbl {
            ctx: root.ctx,
            t: &empty,
            path: name,
        },
    };
    read(&t)
}

/// Keys of a population (`[population.<key>]`): role, count, origin, life_stage and the traits.
pub const POPULATION_KEYS: &[&str] =
    &concat::<{ POPULATION_OWN_KEYS.len() + TRAIT_KEYS.len() }>(POPULATION_OWN_KEYS, TRAIT_KEYS);

/// `a` then `b`, as one array of `N = a.len() + b.len()` keys.
const fn concat<const N: usize>(a: &[&'static str], b: &[&'static str]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

/// The default of a trait for `role`.
fn by_role(role: Role, volunteer: Dist, staff: Dist, participant: Dist) -> Dist {
    match role {
        Role::Volunteer => volunteer,
        Role::Staff => staff,
        Role::Participant => participant,
    }
}

/// Whether an `activity` table holds keyed designs (`[activity.cafe]`, ...) rather than one
/// design's fields: it is non-empty, every entry is a table and no entry is named like a field.
pub(crate) fn activity_is_keyed(t: &dyn toml_edit::TableLike) -> bool {
    !t.is_empty()
        && t.iter()
            .all(|(k, v)| !ACTIVITY_KEYS.contains(&k) && v.is_table_like())
}

/// The table `[<parent>.<key>]` at `path` (`parent` is `population` or `activity`), its key a
/// valid name; the messages show `[<parent>.<sample>]` with `with`.
fn keyed_table<'a>(
    ctx: &'a Ctx,
    path: &'a str,
    key: &str,
    item: &'a toml_edit::Item,
    sample: &str,
    with: &str,
) -> R<Tbl<'a>> {
    let parent = path.split('.').next().unwrap_or_default();
    if !valid_name(key) {
        return Err(ctx.err(
            Class::OutOfRange,
            path,
            format!("{parent} keys use only a-z, 0-9, '-' and '_' (got '{key}'); rename it, e.g. [{parent}.{sample}]"),
        ));
    }
    table(ctx, item, path, &format!("[{parent}.{sample}] with {with}"))
}

const NO_POPULATIONS: &str = "the scenario has no populations: add e.g. [population.volunteers] with role = \"volunteer\" and \
     [population.newcomers] with role = \"participant\"";

/// `[population.<key>]` tables, sorted by key.
fn read_populations(root: &Tbl<'_>) -> R<Vec<Population>> {
    let ctx = root.ctx;
    let Some(item) = root.item("population") else {
        return Err(ctx.err(Class::EmptyPopulation, "population", NO_POPULATIONS.into()));
    };
    let example = "[population.volunteers] with role = \"volunteer\"";
    let pops_table = table(ctx, item, "population", example)?;
    let mut pops = Vec::new();
    for (key, item) in pops_table.t.iter() {
        let path = join("population", key);
        let t = keyed_table(ctx, &path, key, item, "newcomers", "role = \"participant\"")?;
        t.check_keys(POPULATION_KEYS, "")?;
        pops.push(Population::read(&t, key)?);
    }
    if pops.is_empty() {
        return Err(ctx.err(Class::EmptyPopulation, "population", NO_POPULATIONS.into()));
    }
    pops.sort_by(|a, b| a.key.cmp(&b.key));
    check_attribute_limits(ctx, &pops)?;
    Ok(pops)
}

/// At most [`MAX_ATTRIBUTES`] attribute names, each with at most [`MAX_ATTRIBUTE_VALUES`]
/// values; the error points at the population that goes over.
fn check_attribute_limits(ctx: &Ctx, pops: &[Population]) -> R<()> {
    for (i, p) in pops.iter().enumerate() {
        let so_far = declared_attributes(&pops[..=i]);
        if so_far.len() > MAX_ATTRIBUTES {
            let names: Vec<&str> = so_far.iter().map(|(n, _)| n.as_str()).collect();
            return Err(ctx.err(
                Class::OutOfRange,
                &format!("population.{}.attributes", p.key),
                format!(
                    "a scenario declares at most {MAX_ATTRIBUTES} attribute names, but these populations declare {} ({}); \
                     use fewer",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
        if let Some((name, values)) = so_far.iter().find(|(_, v)| v.len() > MAX_ATTRIBUTE_VALUES) {
            return Err(ctx.err(
                Class::OutOfRange,
                &format!("population.{}.attributes.{name}", p.key),
                format!(
                    "an attribute takes at most {MAX_ATTRIBUTE_VALUES} values across the populations, but '{name}' \
                     takes {}; use fewer",
                    values.len()
                ),
            ));
        }
    }
    Ok(())
}

const ACTIVITY_HINT: &str =
    " (several designs go in keyed tables [activity.<key>], each with these fields)";

/// `[activity]` or the keyed `[activity.<key>]` designs, in file order; a single design's kind
/// defaults to the scenario's `name`.
fn read_activities(root: &Tbl<'_>, name: &str, pops: &[Population]) -> R<Vec<Activity>> {
    let ctx = root.ctx;
    let Some(item) = root.item("activity") else {
        return Err(ctx.err(
            Class::Missing,
            "activity",
            "the scenario has no activity design: add [activity] with e.g. groups = 1 and service_frame = 0.8 \
             (or keyed designs [activity.<key>])"
                .into(),
        ));
    };
    let origins: BTreeSet<String> = pops
        .iter()
        .flat_map(|p| p.origin.options().into_iter().map(str::to_string))
        .collect();
    let design = |t: Tbl<'_>, key: &str, default_kind: &str| {
        t.check_keys(ACTIVITY_KEYS, ACTIVITY_HINT)?;
        let cx = Design {
            key,
            default_kind,
            populations: pops,
            origins: &origins,
        };
        Activity::read(&t, &cx)
    };
    let act = table(ctx, item, "activity", "[activity] with groups = 1")?;
    if !activity_is_keyed(act.t) {
        return Ok(vec![design(act, "activity", name)?]);
    }
    let mut activities = Vec::new();
    for (key, item) in act.t.iter() {
        let path = join("activity", key);
        let t = keyed_table(ctx, &path, key, item, "cafe", "groups = 1")?;
        activities.push(design(t, key, key)?);
    }
    Ok(activities)
}

/// `[stereotypes]`: an origin label (or `default`) -> prior in [0, 1].
fn read_stereotypes(root: &Tbl<'_>) -> R<Stereotypes> {
    use super::types::FieldType as _;
    let mut stereotypes = Stereotypes {
        by_origin: Vec::new(),
        default: 0.5,
    };
    let Some(item) = root.item("stereotypes") else {
        return Ok(stereotypes);
    };
    let example = "[stereotypes] with non-western = 0.3";
    let st = table(root.ctx, item, "stereotypes", example)?;
    for (label, _) in st.t.iter() {
        if !valid_name(label) {
            return Err(st.err(
                Class::OutOfRange,
                label,
                format!("origin labels use only a-z, 0-9, '-' and '_' (got '{label}'); write e.g. non-western = 0.3"),
            ));
        }
        let prior = Num::prob("0.3")
            .read(&st, label)?
            .unwrap_or(stereotypes.default);
        if label == "default" {
            stereotypes.default = prior;
        } else {
            stereotypes.by_origin.push((label.to_string(), prior));
        }
    }
    stereotypes.by_origin.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(stereotypes)
}

/// `[transition]`, every trait it leaves out at its default.
fn read_transition(root: &Tbl<'_>) -> R<TransitionTraits> {
    let example = "[transition] with need_to_help = 0.3";
    optional_table(root, "transition", example, |t| {
        t.check_keys(TRANSITION_KEYS, "")?;
        TransitionTraits::read(t)
    })
}

/// `[mechanisms]`: any row of the mechanism table, `true` or `false`.
fn read_mechanisms(root: &Tbl<'_>) -> R<Mechanisms> {
    let example = "[mechanisms] with subtyping = false";
    optional_table(root, "mechanisms", example, mechanisms::read)
}

/// `[parameters]`: any row of the parameter table, within its range.
fn read_parameters(root: &Tbl<'_>) -> R<Params> {
    optional_table(
        root,
        "parameters",
        "[parameters] with alpha1 = 0.3",
        params::read,
    )
}

/// What an activity design is read against: its key, the kind it takes when it names none, and
/// the scenario's populations and their origins.
pub(crate) struct Design<'a> {
    key: &'a str,
    default_kind: &'a str,
    populations: &'a [Population],
    origins: &'a BTreeSet<String>,
}

impl Design<'_> {
    fn population_keys(&self) -> Vec<&str> {
        self.populations.iter().map(|p| p.key.as_str()).collect()
    }

    /// How messages name this design: a single `[activity]` is "the activity".
    fn who(&self, t: &Tbl<'_>) -> String {
        if t.path == "activity" {
            "the activity".to_string()
        } else {
            format!("activity '{}'", self.key)
        }
    }

    /// Every target is the origin of some population.
    fn origins_include(&self, t: &Tbl<'_>, targets: &[String]) -> R<()> {
        let known: Vec<&str> = self.origins.iter().map(String::as_str).collect();
        match targets
            .iter()
            .find(|target| !self.origins.contains(*target))
        {
            None => Ok(()),
            Some(target) => Err(t.err(
                Class::OutOfRange,
                "targets",
                format!(
                    "'{target}' is not the origin of any population; {}",
                    choices(target, "origins in this scenario", &known)
                ),
            )),
        }
    }

    /// Every listed population exists, and there is at least one.
    fn populations_exist(&self, t: &Tbl<'_>, listed: &[String]) -> R<()> {
        let keys = self.population_keys();
        if let Some(p) = listed.iter().find(|p| !keys.contains(&p.as_str())) {
            return Err(t.err(
                Class::UnknownKey,
                "populations",
                no_such("population", p, "defined populations", &keys),
            ));
        }
        if listed.is_empty() {
            return Err(t.err(
                Class::EmptyPopulation,
                "populations",
                format!(
                    "an activity needs populations; list some of: {}",
                    keys.join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// Each group has a participant and a volunteer or staff member, at most
    /// [`MAX_GROUP_SIZE`] persons, and room for its participants under `capacity`.
    fn check_groups(&self, t: &Tbl<'_>, listed: &[String], capacity: Option<u32>) -> R<()> {
        let ctx = t.ctx;
        let who = self.who(t);
        let members: Vec<&Population> = self
            .populations
            .iter()
            .filter(|p| listed.contains(&p.key))
            .collect();
        let count = |participant: bool| -> u32 {
            members
                .iter()
                .filter(|p| (p.role == Role::Participant) == participant)
                .map(|p| p.count)
                .sum()
        };
        let (participants, hosts) = (count(true), count(false));
        let where_ = if t.item("populations").is_some() {
            t.sub("populations")
        } else {
            t.path.to_string()
        };
        let empty = |participant: bool, per_group: String, none: String| {
            let zero = members
                .iter()
                .find(|p| (p.role == Role::Participant) == participant);
            Err(match zero {
                Some(p) => ctx.err(
                    Class::EmptyPopulation,
                    &format!("population.{}.count", p.key),
                    per_group,
                ),
                None => ctx.err(Class::EmptyPopulation, &where_, none),
            })
        };
        let listed = listed.join(", ");
        if participants == 0 {
            // Point at the population whose count is 0 when there is one.
            return empty(
                true,
                format!(
                    "{who} has no participants per group (every participant population has count 0); \
                     each group needs at least one participant: set e.g. count = 12"
                ),
                format!(
                    "{who} has no participants: none of its populations ({listed}) has role = \"participant\"; \
                     add one, e.g. [population.newcomers] with role = \"participant\" and count = 12"
                ),
            );
        }
        if hosts == 0 {
            return empty(
                false,
                format!(
                    "{who} has no volunteer or staff member per group (every such population has count 0); \
                     each group needs at least one: set e.g. count = 3"
                ),
                format!(
                    "{who} has no volunteer or staff member: none of its populations ({listed}) has role = \"volunteer\" \
                     or \"staff\"; add one, e.g. [population.volunteers] with role = \"volunteer\" and count = 3"
                ),
            );
        }
        let total = participants + hosts;
        if i64::from(total) > MAX_GROUP_SIZE {
            let parts: Vec<String> = members
                .iter()
                .map(|p| format!("{} {}", p.key, p.count))
                .collect();
            return Err(ctx.err(
                Class::OutOfRange,
                &where_,
                format!(
                    "a group holds at most {MAX_GROUP_SIZE} persons, but the populations of {who} add up to {total} \
                     ({}); lower their counts",
                    parts.join(", ")
                ),
            ));
        }
        match capacity {
            Some(c) if c < participants => Err(t.err(
                Class::OutOfRange,
                "capacity",
                format!(
                    "capacity ({c}) is below the {participants} participants per group of {who}; \
                     set capacity >= {participants} or lower the participant counts"
                ),
            )),
            _ => Ok(()),
        }
    }
}
