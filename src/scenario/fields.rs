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
use super::suggest::did_you_mean;
use super::types::{
    AttributeTable, Flag, Int, Keyword, LabelOf, Names, Num, OptionalInt, Text, TextRule, Trait,
    Word, RESERVED_ATTRIBUTE,
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
];

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
                "'{b}' is not an attribute of any population; {}attributes in this scenario: {} \
                 (declare one with e.g. attributes.{b} = \"...\" in a [population.<key>] table)",
                did_you_mean(b, &known),
                known.join(", ")
            ),
        )),
    }
}

/// `[output]`, every key it leaves out at its default.
fn read_output(root: &Tbl<'_>, pops: &[Population]) -> R<Output> {
    let empty = toml_edit::Table::new();
    let t = match root.item("output") {
        Some(item) => table(root.ctx, item, "output", "[output] with by = [\"origin\"]")?,
        None => Tbl {
            ctx: root.ctx,
            t: &empty,
            path: "output",
        },
    };
    t.check_keys(OUTPUT_KEYS, "")?;
    Output::read(&t, pops)
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
    let empty = toml_edit::Table::new();
    let tr = match root.item("transition") {
        Some(item) => table(
            root.ctx,
            item,
            "transition",
            "[transition] with need_to_help = 0.3",
        )?,
        None => Tbl {
            ctx: root.ctx,
            t: &empty,
            path: "transition",
        },
    };
    tr.check_keys(TRANSITION_KEYS, "")?;
    TransitionTraits::read(&tr)
}

/// `[mechanisms]`: any row of the mechanism table, `true` or `false`.
fn read_mechanisms(root: &Tbl<'_>) -> R<Mechanisms> {
    match root.item("mechanisms") {
        None => Ok(Mechanisms::default()),
        Some(item) => {
            let mt = table(
                root.ctx,
                item,
                "mechanisms",
                "[mechanisms] with subtyping = false",
            )?;
            mechanisms::read(&mt)
        }
    }
}

/// `[parameters]`: any row of the parameter table, within its range.
fn read_parameters(root: &Tbl<'_>) -> R<Params> {
    match root.item("parameters") {
        None => Ok(Params::default()),
        Some(item) => {
            let pt = table(
                root.ctx,
                item,
                "parameters",
                "[parameters] with alpha1 = 0.3",
            )?;
            params::read(&pt)
        }
    }
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
        match targets.iter().find(|target| !self.origins.contains(*target)) {
            None => Ok(()),
            Some(target) => Err(t.err(
                Class::OutOfRange,
                "targets",
                format!(
                    "'{target}' is not the origin of any population; {}origins in this scenario: {}",
                    did_you_mean(target, &known),
                    known.join(", ")
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
                format!(
                    "there is no population '{p}'; {}defined populations: {}",
                    did_you_mean(p, &keys),
                    keys.join(", ")
                ),
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
