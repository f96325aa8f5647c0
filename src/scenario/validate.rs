//! Reading, overriding and validating scenario files into the checked [`Scenario`].
//!
//! The text is parsed once with spans (`toml_edit::ImDocument`) to map every dotted key path to
//! its line, turned into an editable document, `--set` overrides are applied to it
//! ([`super::overrides`]), and then the document is walked here, key by key, so that every error
//! knows its key path and line. The walk accepts exactly the shape of the serde structs in
//! [`super::raw`] (a unit test checks that both agree on the bundled scenarios and the key lists).

use super::error::{Located, ScenarioError};
use super::overrides;
use super::raw::{
    activity_is_keyed, ACTIVITY_KEYS, CHOICE_KEYS, DIST_KEYS, POPULATION_KEYS, SCENARIO_KEYS,
    TOP_KEYS, TRANSITION_KEYS,
};
use super::{
    Activity, Dist, Label, LanguagePolicy, Population, Role, Scenario, Stereotypes, Traits,
    TransitionTraits,
};
use crate::model::params::{Params, PARAMS};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use toml_edit::{DocumentMut, ImDocument, Item, TableLike, Value};

type R<T> = Result<T, ScenarioError>;

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

/// Weeks simulated when `scenario.weeks` is absent.
pub const DEFAULT_WEEKS: i64 = 52;
/// Replicates when `scenario.replicates` is absent.
pub const DEFAULT_REPLICATES: i64 = 100;
/// Seed when `scenario.seed` is absent.
pub const DEFAULT_SEED: i64 = 1;
/// Largest number of persons in one group (all populations of an activity together).
pub const MAX_GROUP_SIZE: i64 = 60;

/// Trait defaults by role, used for every trait a population leaves out (MODEL.md Appendix C).
///
/// | trait                 | volunteer       | staff           | participant     |
/// |-----------------------|-----------------|-----------------|-----------------|
/// | need_to_help          | beta[5, 3]      | beta[3, 5]      | 0.0             |
/// | protectiveness        | uniform[0.3,0.7]| uniform[0.2,0.5]| 0.0             |
/// | withdrawal_propensity | 0.5             | 0.5             | 0.5             |
/// | talkativeness         | uniform[0.3,0.7]| uniform[0.3,0.7]| uniform[0.3,0.7]|
/// | network               | uniform[0.2,0.8]| uniform[0.5,0.9]| uniform[0.0,0.3]|
/// | initiative            | 0.5             | 0.5             | beta[2, 3]      |
/// | care_load             | 0.0             | 0.0             | uniform[0, 0.6] |
/// | resources             | 1.0             | 1.0             | uniform[0.2,0.8]|
/// | language              | 1.0             | 1.0             | beta[2, 4]      |
///
/// Volunteers have a fairly high need to help (mean 0.625, Malkki 2015); staff a lower one
/// (mean 0.375) and a wider network (the head of the centre as door opener). Participants have
/// modest initiative (mean 0.4), some care load, and beginner-to-intermediate language (mean 0.33,
/// about A2). Locals speak the local language natively and know how things are done (K = 0.9 is
/// set by the model, not here).
pub fn default_traits(role: Role) -> Traits {
    use Dist::{Beta, Const, Uniform};
    match role {
        Role::Volunteer => Traits {
            need_to_help: Beta(5.0, 3.0),
            protectiveness: Uniform(0.3, 0.7),
            withdrawal_propensity: Const(0.5),
            talkativeness: Uniform(0.3, 0.7),
            network: Uniform(0.2, 0.8),
            initiative: Const(0.5),
            care_load: Const(0.0),
            resources: Const(1.0),
            language: Const(1.0),
        },
        Role::Staff => Traits {
            need_to_help: Beta(3.0, 5.0),
            protectiveness: Uniform(0.2, 0.5),
            withdrawal_propensity: Const(0.5),
            talkativeness: Uniform(0.3, 0.7),
            network: Uniform(0.5, 0.9),
            initiative: Const(0.5),
            care_load: Const(0.0),
            resources: Const(1.0),
            language: Const(1.0),
        },
        Role::Participant => Traits {
            need_to_help: Const(0.0),
            protectiveness: Const(0.0),
            withdrawal_propensity: Const(0.5),
            talkativeness: Uniform(0.3, 0.7),
            network: Uniform(0.0, 0.3),
            initiative: Beta(2.0, 3.0),
            care_load: Uniform(0.0, 0.6),
            resources: Uniform(0.2, 0.8),
            language: Beta(2.0, 4.0),
        },
    }
}

/// Traits of a participant who becomes a volunteer when `[transition]` leaves them out.
pub fn default_transition() -> TransitionTraits {
    TransitionTraits {
        need_to_help: Dist::Const(0.3),
        protectiveness: Dist::Const(0.2),
        withdrawal_propensity: Dist::Const(0.5),
    }
}

/// Activity defaults (when a field is absent).
const DEFAULT_GROUPS: i64 = 1;
const DEFAULT_MEETINGS_PER_WEEK: i64 = 1;
const DEFAULT_TURNS_PER_MEETING: i64 = 120;
const DEFAULT_HOURS_PER_MEETING: f64 = 2.0;
const DEFAULT_SERVICE_FRAME: f64 = 0.5;
const DEFAULT_CO_DESIGN: f64 = 0.0;
const DEFAULT_FACILITATION: f64 = 0.0;
const DEFAULT_RECRUITMENT: f64 = 0.05;
/// Population count when absent.
const DEFAULT_COUNT: i64 = 1;
/// Stereotype prior for unlisted origins when `stereotypes.default` is absent.
const DEFAULT_STEREOTYPE: f64 = 0.5;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// Reads, overrides and validates a scenario file. `overrides` are `KEY=VALUE` strings as given to
/// `--set` (see [`super::overrides`]).
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
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
    load_str(&text, &origin, overrides)
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
    kv(&mut out, "name", &tstr(&s.name));
    kv(&mut out, "description", &tstr(&s.description));
    kv(&mut out, "weeks", &s.weeks.to_string());
    kv(&mut out, "replicates", &s.replicates.to_string());
    // A seed above i64::MAX cannot come from a TOML file; it is written as the largest integer.
    kv(
        &mut out,
        "seed",
        &i64::try_from(s.seed).unwrap_or(i64::MAX).to_string(),
    );
    kv(&mut out, "majority_origins", &tlist(&s.majority_origins));

    let single = s.activities.len() == 1 && s.activities[0].key == "activity";
    for a in &s.activities {
        if single {
            out.push_str("\n[activity]\n");
        } else {
            let _ = writeln!(out, "\n[activity.{}]", tkey(&a.key));
        }
        kv(&mut out, "kind", &tstr(&a.kind));
        kv(&mut out, "groups", &a.groups.to_string());
        kv(
            &mut out,
            "meetings_per_week",
            &a.meetings_per_week.to_string(),
        );
        kv(
            &mut out,
            "turns_per_meeting",
            &a.turns_per_meeting.to_string(),
        );
        kv(&mut out, "hours_per_meeting", &tf64(a.hours_per_meeting));
        kv(&mut out, "service_frame", &tf64(a.service_frame));
        kv(&mut out, "co_design", &tf64(a.co_design));
        kv(&mut out, "facilitation", &tf64(a.facilitation));
        kv(&mut out, "pathway", &a.pathway.to_string());
        kv(&mut out, "mixed", &a.mixed.to_string());
        let policy = match a.language_policy {
            LanguagePolicy::LocalOnly => "local-only",
            LanguagePolicy::Multilingual => "multilingual",
        };
        kv(&mut out, "language_policy", &tstr(policy));
        kv(&mut out, "targets", &tlist(&a.targets));
        match a.capacity {
            Some(c) => kv(&mut out, "capacity", &c.to_string()),
            None => out.push_str("# capacity: none (no cap, no waiting list)\n"),
        }
        kv(&mut out, "recruitment", &tf64(a.recruitment));
        kv(&mut out, "populations", &tlist(&a.populations));
    }

    for p in &s.populations {
        let _ = writeln!(out, "\n[population.{}]", tkey(&p.key));
        kv(&mut out, "role", &tstr(role_name(p.role)));
        kv(&mut out, "count", &p.count.to_string());
        kv(&mut out, "origin", &tlabel(&p.origin));
        kv(&mut out, "life_stage", &tlabel(&p.life_stage));
        let t = &p.traits;
        for (key, d) in [
            ("need_to_help", &t.need_to_help),
            ("protectiveness", &t.protectiveness),
            ("withdrawal_propensity", &t.withdrawal_propensity),
            ("talkativeness", &t.talkativeness),
            ("network", &t.network),
            ("initiative", &t.initiative),
            ("care_load", &t.care_load),
            ("resources", &t.resources),
            ("language", &t.language),
        ] {
            kv(&mut out, key, &tdist(d));
        }
    }

    out.push_str("\n[stereotypes]\n");
    kv(&mut out, "default", &tf64(s.stereotypes.default));
    for (origin, prior) in &s.stereotypes.by_origin {
        kv(&mut out, &tkey(origin), &tf64(*prior));
    }

    out.push_str("\n[transition]\n");
    kv(&mut out, "need_to_help", &tdist(&s.transition.need_to_help));
    kv(
        &mut out,
        "protectiveness",
        &tdist(&s.transition.protectiveness),
    );
    kv(
        &mut out,
        "withdrawal_propensity",
        &tdist(&s.transition.withdrawal_propensity),
    );

    out.push_str("\n[parameters]\n");
    for p in PARAMS {
        let value = s.params.get(p.name).unwrap_or(p.default);
        let _ = writeln!(
            out,
            "# {} [{}, {}], default {}: {}",
            p.mechanism,
            num(p.min),
            num(p.max),
            num(p.default),
            p.meaning
        );
        kv(&mut out, p.name, &tf64(value));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// TOML writing helpers
// ---------------------------------------------------------------------------------------------

fn kv(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {value}");
}

fn tkey(k: &str) -> String {
    toml_edit::Key::new(k).display_repr().into_owned()
}

fn tstr(s: &str) -> String {
    Value::from(s).to_string()
}

fn tf64(x: f64) -> String {
    Value::from(x).to_string()
}

fn tlist(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| tstr(s)).collect();
    format!("[{}]", parts.join(", "))
}

fn tnums(xs: &[f64]) -> String {
    let parts: Vec<String> = xs.iter().map(|x| tf64(*x)).collect();
    format!("[{}]", parts.join(", "))
}

fn tdist(d: &Dist) -> String {
    match *d {
        Dist::Const(v) => tf64(v),
        Dist::Uniform(lo, hi) => format!("{{ uniform = {} }}", tnums(&[lo, hi])),
        Dist::Beta(a, b) => format!("{{ beta = {} }}", tnums(&[a, b])),
        Dist::Normal(m, sd) => format!("{{ normal = {} }}", tnums(&[m, sd])),
        Dist::Triangular(lo, mode, hi) => format!("{{ triangular = {} }}", tnums(&[lo, mode, hi])),
    }
}

fn tlabel(l: &Label) -> String {
    match l {
        Label::Fixed(s) => tstr(s),
        Label::Choice { options, weights } => {
            format!(
                "{{ choice = {}, weights = {} }}",
                tlist(options),
                tnums(weights)
            )
        }
    }
}

/// A number for messages: `1` rather than `1.0`, `0.25` as is.
fn num(x: f64) -> String {
    format!("{x}")
}

// ---------------------------------------------------------------------------------------------
// Lines and error context
// ---------------------------------------------------------------------------------------------

/// Byte offset -> 1-based line.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    fn column(&self, offset: usize) -> usize {
        let line = self.line(offset);
        offset - self.starts.get(line - 1).copied().unwrap_or(0) + 1
    }
}

fn syntax_error(text: &str, origin: &str, e: &toml_edit::TomlError) -> ScenarioError {
    let index = LineIndex::new(text);
    let (line, column) = match e.span() {
        Some(span) => (Some(index.line(span.start)), Some(index.column(span.start))),
        None => (None, None),
    };
    let detail = e.message().trim().replace('\n', "; ");
    let at = column
        .map(|c| format!(" at column {c}"))
        .unwrap_or_default();
    ScenarioError::Syntax(Located {
        file: origin.to_string(),
        key: String::new(),
        line,
        message: format!(
            "not valid TOML{at}: {detail}; check the quotes, brackets and `key = value` form of this line \
             (strings need quotes, e.g. role = \"volunteer\")"
        ),
    })
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn collect_lines(
    t: &dyn TableLike,
    prefix: &str,
    index: &LineIndex,
    map: &mut BTreeMap<String, usize>,
) {
    for (k, item) in t.iter() {
        let path = join(prefix, k);
        let span = t.key(k).and_then(|key| key.span()).or_else(|| item.span());
        if let Some(span) = span {
            map.insert(path.clone(), index.line(span.start));
        }
        if let Some(sub) = item.as_table_like() {
            collect_lines(sub, &path, index, map);
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    UnknownKey,
    WrongType,
    OutOfRange,
    Missing,
    EmptyPopulation,
}

/// What validation knows about the file: its name, the line of each key path, and which paths
/// were set by `--set` (those have no line).
struct Ctx {
    origin: String,
    lines: BTreeMap<String, usize>,
    overridden: Vec<String>,
}

impl Ctx {
    fn overridden(&self, path: &str) -> bool {
        self.overridden.iter().any(|o| {
            path == o || (path.starts_with(o.as_str()) && path[o.len()..].starts_with('.'))
        })
    }

    /// Line of a key path, or of its nearest ancestor in the file.
    fn line(&self, path: &str) -> Option<usize> {
        if self.overridden(path) {
            return None;
        }
        let mut p = path;
        loop {
            if let Some(l) = self.lines.get(p) {
                return Some(*l);
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    fn err(&self, kind: Kind, path: &str, mut message: String) -> ScenarioError {
        if self.overridden(path) {
            message.push_str(" (this value was given by --set)");
        }
        let loc = Located {
            file: self.origin.clone(),
            key: path.to_string(),
            line: self.line(path),
            message,
        };
        match kind {
            Kind::UnknownKey => ScenarioError::UnknownKey(loc),
            Kind::WrongType => ScenarioError::WrongType(loc),
            Kind::OutOfRange => ScenarioError::OutOfRange(loc),
            Kind::Missing => ScenarioError::Missing(loc),
            Kind::EmptyPopulation => ScenarioError::EmptyPopulation(loc),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/// Edit distance between two short strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Candidates ordered by closeness to `word`.
pub(crate) fn ranked<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let w = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (levenshtein(&w, c), *c))
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, c)| c).collect()
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&w, c), *c))
        .filter(|(d, c)| {
            *d <= 2.max(c.chars().count().max(w.chars().count()) / 3)
                || (w.len() >= 3 && (c.contains(w.as_str()) || w.contains(c)))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    closest(word, candidates)
        .map(|c| format!("did you mean '{c}'? "))
        .unwrap_or_default()
}

/// Names (keys, labels) use only a-z, 0-9, '-' and '_', 1 to 64 characters.
pub(crate) fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

/// "the string \"two\"", "1.3", "a table", ...
fn describe(item: &Item) -> String {
    match item {
        Item::None => "nothing".into(),
        Item::Table(_) => "a table".into(),
        Item::ArrayOfTables(_) => "an array of tables [[...]]".into(),
        Item::Value(v) => {
            // Without the surrounding whitespace and comments of the file.
            let mut bare = v.clone();
            bare.decor_mut().clear();
            let text = short(&bare.to_string());
            match v {
                Value::String(_) => format!("the string {text}"),
                Value::Integer(_) | Value::Float(_) | Value::Boolean(_) => text,
                Value::Datetime(_) => format!("the date {text}"),
                Value::Array(_) => format!("the array {text}"),
                Value::InlineTable(_) => format!("the table {text}"),
            }
        }
    }
}

fn as_f64(item: &Item) -> Option<f64> {
    match item {
        Item::Value(Value::Float(f)) => Some(*f.value()),
        Item::Value(Value::Integer(i)) => Some(*i.value() as f64),
        _ => None,
    }
}

fn value_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f.value()),
        Value::Integer(i) => Some(*i.value() as f64),
        _ => None,
    }
}

/// An array of numbers.
fn numbers(item: &Item) -> Option<Vec<f64>> {
    item.as_array()
        .and_then(|a| a.iter().map(value_f64).collect())
}

fn range_text(lo: f64, hi: f64) -> String {
    if lo == 0.0 && hi == 1.0 {
        "a number in [0, 1]".to_string()
    } else {
        format!("a number in [{}, {}]", num(lo), num(hi))
    }
}

// ---------------------------------------------------------------------------------------------
// The document walk
// ---------------------------------------------------------------------------------------------

/// A table of the document at a key path.
#[derive(Clone, Copy)]
struct Tbl<'a> {
    ctx: &'a Ctx,
    t: &'a dyn TableLike,
    path: &'a str,
}

impl<'a> Tbl<'a> {
    fn sub(&self, key: &str) -> String {
        join(self.path, key)
    }

    fn item(&self, key: &str) -> Option<&'a Item> {
        self.t.get(key).filter(|i| !i.is_none())
    }

    fn check_keys(&self, allowed: &[&str], hint: &str) -> R<()> {
        for (k, _) in self.t.iter() {
            if !allowed.contains(&k) {
                let msg = format!(
                    "unknown key; {}allowed here: {}{hint}",
                    did_you_mean(k, allowed),
                    allowed.join(", ")
                );
                return Err(self.ctx.err(Kind::UnknownKey, &self.sub(k), msg));
            }
        }
        Ok(())
    }

    /// A number in [lo, hi] (or (lo, hi] when `lo_open`).
    fn f64_in(
        &self,
        key: &str,
        default: f64,
        lo: f64,
        hi: f64,
        lo_open: bool,
        example: &str,
    ) -> R<f64> {
        let Some(item) = self.item(key) else {
            return Ok(default);
        };
        let allowed = if lo_open {
            format!("a number > {} and <= {}", num(lo), num(hi))
        } else if lo == 0.0 && hi == 1.0 {
            "a probability in [0, 1]".to_string()
        } else {
            range_text(lo, hi)
        };
        let path = self.sub(key);
        match as_f64(item) {
            None => Err(self.ctx.err(
                Kind::WrongType,
                &path,
                format!(
                    "must be {allowed} (got {}); write e.g. {key} = {example}",
                    describe(item)
                ),
            )),
            Some(x) if !x.is_finite() || x > hi || x < lo || (lo_open && x == lo) => {
                Err(self.ctx.err(
                    Kind::OutOfRange,
                    &path,
                    format!(
                        "must be {allowed} (got {}); write e.g. {key} = {example}",
                        describe(item)
                    ),
                ))
            }
            Some(x) => Ok(x),
        }
    }

    fn prob(&self, key: &str, default: f64, example: &str) -> R<f64> {
        self.f64_in(key, default, 0.0, 1.0, false, example)
    }

    /// A whole number in [lo, hi].
    fn int_in(&self, key: &str, lo: i64, hi: i64, example: &str) -> R<Option<i64>> {
        let Some(item) = self.item(key) else {
            return Ok(None);
        };
        let path = self.sub(key);
        let allowed = if hi == i64::MAX {
            format!("a whole number >= {lo}")
        } else {
            format!("a whole number from {lo} to {hi}")
        };
        match item {
            Item::Value(Value::Integer(i)) => {
                let x = *i.value();
                if x < lo || x > hi {
                    Err(self.ctx.err(
                        Kind::OutOfRange,
                        &path,
                        format!("must be {allowed} (got {x}); write e.g. {key} = {example}"),
                    ))
                } else {
                    Ok(Some(x))
                }
            }
            Item::Value(Value::Float(f)) => Err(self.ctx.err(
                Kind::WrongType,
                &path,
                format!(
                    "must be {allowed}, without a decimal point (got {}); write e.g. {key} = {example}",
                    num(*f.value())
                ),
            )),
            other => Err(self.ctx.err(
                Kind::WrongType,
                &path,
                format!("must be {allowed} (got {}); write e.g. {key} = {example}", describe(other)),
            )),
        }
    }

    fn boolean(&self, key: &str, default: bool) -> R<bool> {
        let Some(item) = self.item(key) else {
            return Ok(default);
        };
        match item.as_bool() {
            Some(b) => Ok(b),
            None => Err(self.ctx.err(
                Kind::WrongType,
                &self.sub(key),
                format!(
                    "must be true or false, without quotes (got {}); write e.g. {key} = true",
                    describe(item)
                ),
            )),
        }
    }

    fn string(&self, key: &str, example: &str) -> R<Option<String>> {
        let Some(item) = self.item(key) else {
            return Ok(None);
        };
        match item.as_str() {
            Some(s) => Ok(Some(s.to_string())),
            None => Err(self.ctx.err(
                Kind::WrongType,
                &self.sub(key),
                format!(
                    "must be a string in quotes (got {}); write e.g. {key} = {example}",
                    describe(item)
                ),
            )),
        }
    }

    /// A list of names (a-z, 0-9, '-', '_'), without duplicates.
    fn names(&self, key: &str, example: &str) -> R<Option<Vec<String>>> {
        let Some(item) = self.item(key) else {
            return Ok(None);
        };
        let path = self.sub(key);
        let wrong = || {
            self.ctx.err(
                Kind::WrongType,
                &path,
                format!(
                    "must be a list of strings (got {}); write e.g. {key} = {example}",
                    describe(item)
                ),
            )
        };
        let array = item.as_array().ok_or_else(wrong)?;
        let mut out: Vec<String> = Vec::new();
        for v in array.iter() {
            let s = v.as_str().ok_or_else(wrong)?;
            if !valid_name(s) {
                return Err(self.ctx.err(
                    Kind::OutOfRange,
                    &path,
                    format!(
                        "'{s}' is not a valid label: use only a-z, 0-9, '-' and '_' (1 to 64 characters); \
                         write e.g. {key} = {example}"
                    ),
                ));
            }
            if out.iter().any(|o| o == s) {
                return Err(self.ctx.err(
                    Kind::OutOfRange,
                    &path,
                    format!("'{s}' is listed twice; list each label once"),
                ));
            }
            out.push(s.to_string());
        }
        Ok(Some(out))
    }

    fn dist(&self, key: &str, default: Dist) -> R<Dist> {
        match self.item(key) {
            None => Ok(default),
            Some(item) => parse_dist(self.ctx, item, &self.sub(key)),
        }
    }
}

fn table<'a>(ctx: &'a Ctx, item: &'a Item, path: &'a str, example: &str) -> R<Tbl<'a>> {
    match item.as_table_like() {
        Some(t) => Ok(Tbl { ctx, t, path }),
        None => Err(ctx.err(
            Kind::WrongType,
            path,
            format!(
                "must be a table (got {}); write e.g. {example}",
                describe(item)
            ),
        )),
    }
}

const DIST_EXAMPLES: &str =
    "a number in [0, 1] such as 0.5, or one distribution: { beta = [2.0, 5.0] }, { uniform = [0.2, 0.8] }, \
     { normal = [0.5, 0.1] } or { triangular = [0.1, 0.3, 0.6] }";

fn parse_dist(ctx: &Ctx, item: &Item, path: &str) -> R<Dist> {
    if let Some(x) = as_f64(item) {
        if !x.is_finite() || !(0.0..=1.0).contains(&x) {
            return Err(ctx.err(
                Kind::OutOfRange,
                path,
                format!("a constant trait value must be in [0, 1] (got {}); write e.g. 0.5 or {{ beta = [2.0, 5.0] }}", num(x)),
            ));
        }
        return Ok(Dist::Const(x));
    }
    let Some(t) = item.as_table_like() else {
        return Err(ctx.err(
            Kind::WrongType,
            path,
            format!("must be {DIST_EXAMPLES} (got {})", describe(item)),
        ));
    };
    let keys: Vec<&str> = t.iter().map(|(k, _)| k).collect();
    if keys.len() != 1 {
        let got = if keys.is_empty() {
            "an empty table".to_string()
        } else {
            format!("keys {}", keys.join(", "))
        };
        return Err(ctx.err(
            Kind::WrongType,
            path,
            format!("a distribution is a table with exactly one key, uniform, beta, normal or triangular (got {got}); write e.g. {{ beta = [2.0, 5.0] }}"),
        ));
    }
    let kind = keys[0];
    let Some(params_item) = t.get(kind) else {
        return Err(ctx.err(Kind::WrongType, path, format!("must be {DIST_EXAMPLES}")));
    };
    let (arity, form, example) = match kind {
        "uniform" => (2, "[lo, hi]", "{ uniform = [0.2, 0.8] }"),
        "beta" => (2, "[a, b]", "{ beta = [2.0, 5.0] }"),
        "normal" => (2, "[mean, sd]", "{ normal = [0.5, 0.1] }"),
        "triangular" => (3, "[lo, mode, hi]", "{ triangular = [0.1, 0.3, 0.6] }"),
        other => {
            return Err(ctx.err(
                Kind::UnknownKey,
                &join(path, other),
                format!(
                    "unknown distribution; {}allowed: {}; write e.g. {{ beta = [2.0, 5.0] }}",
                    did_you_mean(other, DIST_KEYS),
                    DIST_KEYS.join(", ")
                ),
            ))
        }
    };
    let xs = match numbers(params_item) {
        Some(xs) if xs.len() == arity => xs,
        _ => {
            return Err(ctx.err(
                Kind::WrongType,
                path,
                format!(
                    "{kind} needs {arity} numbers {form} (got {}); write e.g. {example}",
                    describe(params_item)
                ),
            ))
        }
    };
    let out_of_range = |msg: String| {
        ctx.err(
            Kind::OutOfRange,
            path,
            format!("{msg}; write e.g. {example}"),
        )
    };
    if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
        return Err(out_of_range(format!(
            "{kind} parameters must be finite numbers (got {})",
            num(*x)
        )));
    }
    let unit = |x: f64| (0.0..=1.0).contains(&x);
    match kind {
        "uniform" => {
            let (lo, hi) = (xs[0], xs[1]);
            if !(unit(lo) && unit(hi) && lo <= hi) {
                return Err(out_of_range(format!(
                    "uniform needs 0 <= lo <= hi <= 1 (got lo = {}, hi = {})",
                    num(lo),
                    num(hi)
                )));
            }
            Ok(Dist::Uniform(lo, hi))
        }
        "beta" => {
            let (a, b) = (xs[0], xs[1]);
            if a <= 0.0 {
                return Err(out_of_range(format!(
                    "beta parameters must be > 0 (got a = {})",
                    num(a)
                )));
            }
            if b <= 0.0 {
                return Err(out_of_range(format!(
                    "beta parameters must be > 0 (got b = {})",
                    num(b)
                )));
            }
            Ok(Dist::Beta(a, b))
        }
        "normal" => {
            let (m, sd) = (xs[0], xs[1]);
            if !unit(m) {
                return Err(out_of_range(format!(
                    "normal mean must be in [0, 1] (got {})",
                    num(m)
                )));
            }
            if sd < 0.0 {
                return Err(out_of_range(format!(
                    "normal sd must be >= 0 (got {})",
                    num(sd)
                )));
            }
            Ok(Dist::Normal(m, sd))
        }
        _ => {
            let (lo, mode, hi) = (xs[0], xs[1], xs[2]);
            if !(unit(lo) && unit(hi) && lo <= mode && mode <= hi) {
                return Err(out_of_range(format!(
                    "triangular needs 0 <= lo <= mode <= hi <= 1 (got lo = {}, mode = {}, hi = {})",
                    num(lo),
                    num(mode),
                    num(hi)
                )));
            }
            Ok(Dist::Triangular(lo, mode, hi))
        }
    }
}

/// A label or `{ choice = [...], weights = [...] }`; `allowed` restricts the labels.
fn parse_label(
    ctx: &Ctx,
    item: &Item,
    path: &str,
    allowed: Option<&[&str]>,
    example: &str,
) -> R<Label> {
    let check = |s: &str, at: &str| -> R<()> {
        if let Some(allowed) = allowed {
            if !allowed.contains(&s) {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    at,
                    format!(
                        "'{s}' is not allowed; {}allowed: {}; write e.g. {example}",
                        did_you_mean(s, allowed),
                        allowed.join(", ")
                    ),
                ));
            }
        } else if !valid_name(s) {
            return Err(ctx.err(
                Kind::OutOfRange,
                at,
                format!("'{s}' is not a valid label: use only a-z, 0-9, '-' and '_' (1 to 64 characters); write e.g. {example}"),
            ));
        }
        Ok(())
    };
    if let Some(s) = item.as_str() {
        check(s, path)?;
        return Ok(Label::Fixed(s.to_string()));
    }
    let choice_example = "{ choice = [\"syria\", \"eritrea\"], weights = [0.6, 0.4] }";
    let Some(t) = item.as_table_like() else {
        return Err(ctx.err(
            Kind::WrongType,
            path,
            format!("must be a label in quotes or a weighted choice (got {}); write e.g. {example} or {choice_example}", describe(item)),
        ));
    };
    let tbl = Tbl { ctx, t, path };
    tbl.check_keys(CHOICE_KEYS, "")?;
    let choice_path = join(path, "choice");
    let Some(choice_item) = tbl.item("choice") else {
        return Err(ctx.err(
            Kind::Missing,
            &choice_path,
            format!("a weighted choice needs its labels; write e.g. {choice_example}"),
        ));
    };
    let wrong_choice = || {
        ctx.err(
            Kind::WrongType,
            &choice_path,
            format!(
                "must be a non-empty list of labels (got {}); write e.g. {choice_example}",
                describe(choice_item)
            ),
        )
    };
    let array = choice_item.as_array().ok_or_else(wrong_choice)?;
    let mut options: Vec<String> = Vec::new();
    for v in array.iter() {
        let s = v.as_str().ok_or_else(wrong_choice)?;
        check(s, &choice_path)?;
        if options.iter().any(|o| o == s) {
            return Err(ctx.err(
                Kind::OutOfRange,
                &choice_path,
                format!("'{s}' is listed twice; list each label once"),
            ));
        }
        options.push(s.to_string());
    }
    if options.is_empty() {
        return Err(wrong_choice());
    }
    let weights_path = join(path, "weights");
    let weights = match tbl.item("weights") {
        None => vec![1.0; options.len()],
        Some(w) => {
            let ws = numbers(w).ok_or_else(|| {
                ctx.err(
                    Kind::WrongType,
                    &weights_path,
                    format!("must be a list of numbers, one per choice (got {}); write e.g. {choice_example}", describe(w)),
                )
            })?;
            if ws.len() != options.len() {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &weights_path,
                    format!(
                        "needs one weight per choice: {} choices but {} weights",
                        options.len(),
                        ws.len()
                    ),
                ));
            }
            if let Some(x) = ws.iter().find(|x| !x.is_finite() || **x < 0.0) {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &weights_path,
                    format!("weights must be finite and >= 0 (got {})", num(*x)),
                ));
            }
            let total: f64 = ws.iter().sum();
            if !(total > 0.0 && total.is_finite()) {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &weights_path,
                    format!(
                        "weights must sum to more than 0 (got {}); write e.g. {choice_example}",
                        num(total)
                    ),
                ));
            }
            ws
        }
    };
    Ok(Label::Choice { options, weights })
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Volunteer => "volunteer",
        Role::Staff => "staff",
        Role::Participant => "participant",
    }
}

fn parse_population(ctx: &Ctx, key: &str, item: &Item, path: &str) -> R<Population> {
    if !valid_name(key) {
        return Err(ctx.err(
            Kind::OutOfRange,
            path,
            format!("population keys use only a-z, 0-9, '-' and '_' (got '{key}'); rename it, e.g. [population.newcomers]"),
        ));
    }
    let t = table(
        ctx,
        item,
        path,
        "[population.newcomers] with role = \"participant\"",
    )?;
    t.check_keys(POPULATION_KEYS, "")?;
    let roles = ["volunteer", "staff", "participant"];
    let role_example = "role = \"participant\"";
    let role = match t.item("role") {
        None => {
            return Err(ctx.err(
                Kind::Missing,
                &t.sub("role"),
                "every population needs a role: write role = \"volunteer\", \"staff\" or \"participant\"".into(),
            ))
        }
        Some(item) => match item.as_str() {
            Some("volunteer") => Role::Volunteer,
            Some("staff") => Role::Staff,
            Some("participant") => Role::Participant,
            Some(other) => {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &t.sub("role"),
                    format!(
                        "'{other}' is not a role; {}allowed: volunteer, staff, participant; write e.g. {role_example}",
                        did_you_mean(other, &roles)
                    ),
                ))
            }
            None => {
                return Err(ctx.err(
                    Kind::WrongType,
                    &t.sub("role"),
                    format!(
                        "must be \"volunteer\", \"staff\" or \"participant\" in quotes (got {}); write e.g. {role_example}",
                        describe(item)
                    ),
                ))
            }
        },
    };
    let count = t
        .int_in("count", 0, MAX_GROUP_SIZE, "3")?
        .unwrap_or(DEFAULT_COUNT) as u32;
    let default_origin = if role == Role::Participant {
        "other"
    } else {
        "local"
    };
    let origin = match t.item("origin") {
        None => Label::Fixed(default_origin.to_string()),
        Some(item) => parse_label(ctx, item, &t.sub("origin"), None, "origin = \"syria\"")?,
    };
    let life_stage = match t.item("life_stage") {
        None => Label::Fixed("older".to_string()),
        Some(item) => parse_label(
            ctx,
            item,
            &t.sub("life_stage"),
            Some(&["older", "younger"]),
            "life_stage = \"older\"",
        )?,
    };
    let d = default_traits(role);
    let traits = Traits {
        need_to_help: t.dist("need_to_help", d.need_to_help)?,
        protectiveness: t.dist("protectiveness", d.protectiveness)?,
        withdrawal_propensity: t.dist("withdrawal_propensity", d.withdrawal_propensity)?,
        talkativeness: t.dist("talkativeness", d.talkativeness)?,
        network: t.dist("network", d.network)?,
        initiative: t.dist("initiative", d.initiative)?,
        care_load: t.dist("care_load", d.care_load)?,
        resources: t.dist("resources", d.resources)?,
        language: t.dist("language", d.language)?,
    };
    Ok(Population {
        key: key.to_string(),
        role,
        count,
        origin,
        life_stage,
        traits,
    })
}

const ACTIVITY_HINT: &str =
    " (several designs go in keyed tables [activity.<key>], each with these fields)";

fn parse_activity(
    ctx: &Ctx,
    key: &str,
    t: Tbl<'_>,
    default_kind: &str,
    pops: &[Population],
    origins: &BTreeSet<String>,
) -> R<Activity> {
    t.check_keys(ACTIVITY_KEYS, ACTIVITY_HINT)?;
    let kind = match t.string("kind", "\"knitting-cafe\"")? {
        None => default_kind.to_string(),
        Some(k) => {
            if k.trim().is_empty() || k.chars().count() > 100 || k.chars().any(char::is_control) {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &t.sub("kind"),
                    "must be a non-empty label of at most 100 characters on one line; write e.g. kind = \"knitting-cafe\"".into(),
                ));
            }
            k
        }
    };
    let groups = t
        .int_in("groups", 1, 10_000, "10")?
        .unwrap_or(DEFAULT_GROUPS) as u32;
    let meetings_per_week = t
        .int_in("meetings_per_week", 1, 7, "1")?
        .unwrap_or(DEFAULT_MEETINGS_PER_WEEK) as u32;
    let turns_per_meeting = t
        .int_in("turns_per_meeting", 1, 2000, "120")?
        .unwrap_or(DEFAULT_TURNS_PER_MEETING) as u32;
    let hours_per_meeting = t.f64_in(
        "hours_per_meeting",
        DEFAULT_HOURS_PER_MEETING,
        0.0,
        24.0,
        true,
        "2.0",
    )?;
    let service_frame = t.prob("service_frame", DEFAULT_SERVICE_FRAME, "0.8")?;
    let co_design = t.prob("co_design", DEFAULT_CO_DESIGN, "0.3")?;
    let facilitation = t.prob("facilitation", DEFAULT_FACILITATION, "0.5")?;
    let pathway = t.boolean("pathway", false)?;
    let mixed = t.boolean("mixed", false)?;
    let language_policy = match t.item("language_policy") {
        None => LanguagePolicy::LocalOnly,
        Some(item) => match item.as_str() {
            Some("local-only") => LanguagePolicy::LocalOnly,
            Some("multilingual") => LanguagePolicy::Multilingual,
            other => {
                let policies = ["local-only", "multilingual"];
                let hint = other
                    .map(|s| did_you_mean(s, &policies))
                    .unwrap_or_default();
                let kind = if other.is_some() {
                    Kind::OutOfRange
                } else {
                    Kind::WrongType
                };
                return Err(ctx.err(
                    kind,
                    &t.sub("language_policy"),
                    format!(
                        "must be \"local-only\" or \"multilingual\" (got {}); {hint}write e.g. language_policy = \"multilingual\"",
                        describe(item)
                    ),
                ));
            }
        },
    };
    let targets = t.names("targets", "[\"non-western\"]")?.unwrap_or_default();
    let known: Vec<&str> = origins.iter().map(String::as_str).collect();
    for target in &targets {
        if !origins.contains(target) {
            return Err(ctx.err(
                Kind::OutOfRange,
                &t.sub("targets"),
                format!(
                    "'{target}' is not the origin of any population; {}origins in this scenario: {}",
                    did_you_mean(target, &known),
                    known.join(", ")
                ),
            ));
        }
    }
    let capacity = t
        .int_in("capacity", 1, MAX_GROUP_SIZE, "15")?
        .map(|c| c as u32);
    let recruitment = t.prob("recruitment", DEFAULT_RECRUITMENT, "0.05")?;
    let pop_keys: Vec<&str> = pops.iter().map(|p| p.key.as_str()).collect();
    let populations = match t.names("populations", "[\"volunteers\", \"newcomers\"]")? {
        None => pop_keys.iter().map(|k| k.to_string()).collect(),
        Some(list) => {
            for p in &list {
                if !pop_keys.contains(&p.as_str()) {
                    return Err(ctx.err(
                        Kind::UnknownKey,
                        &t.sub("populations"),
                        format!(
                            "there is no population '{p}'; {}defined populations: {}",
                            did_you_mean(p, &pop_keys),
                            pop_keys.join(", ")
                        ),
                    ));
                }
            }
            list
        }
    };
    if populations.is_empty() {
        return Err(ctx.err(
            Kind::EmptyPopulation,
            &t.sub("populations"),
            format!(
                "an activity needs populations; list some of: {}",
                pop_keys.join(", ")
            ),
        ));
    }
    // How messages name this activity: a single [activity] is "the activity".
    let who = if t.path == "activity" {
        "the activity".to_string()
    } else {
        format!("activity '{key}'")
    };
    let members: Vec<&Population> = pops
        .iter()
        .filter(|p| populations.contains(&p.key))
        .collect();
    let participants: u32 = members
        .iter()
        .filter(|p| p.role == Role::Participant)
        .map(|p| p.count)
        .sum();
    let hosts: u32 = members
        .iter()
        .filter(|p| p.role != Role::Participant)
        .map(|p| p.count)
        .sum();
    let total = participants + hosts;
    let where_ = if t.item("populations").is_some() {
        t.sub("populations")
    } else {
        t.path.to_string()
    };
    if participants == 0 {
        // Point at the population whose count is 0 when there is one.
        return Err(match members.iter().find(|p| p.role == Role::Participant) {
            Some(p) => ctx.err(
                Kind::EmptyPopulation,
                &format!("population.{}.count", p.key),
                format!(
                    "{who} has no participants per group (every participant population has count 0); \
                     each group needs at least one participant: set e.g. count = 12"
                ),
            ),
            None => ctx.err(
                Kind::EmptyPopulation,
                &where_,
                format!(
                    "{who} has no participants: none of its populations ({}) has role = \"participant\"; \
                     add one, e.g. [population.newcomers] with role = \"participant\" and count = 12",
                    populations.join(", ")
                ),
            ),
        });
    }
    if hosts == 0 {
        return Err(match members.iter().find(|p| p.role != Role::Participant) {
            Some(p) => ctx.err(
                Kind::EmptyPopulation,
                &format!("population.{}.count", p.key),
                format!(
                    "{who} has no volunteer or staff member per group (every such population has count 0); \
                     each group needs at least one: set e.g. count = 3"
                ),
            ),
            None => ctx.err(
                Kind::EmptyPopulation,
                &where_,
                format!(
                    "{who} has no volunteer or staff member: none of its populations ({}) has role = \"volunteer\" \
                     or \"staff\"; add one, e.g. [population.volunteers] with role = \"volunteer\" and count = 3",
                    populations.join(", ")
                ),
            ),
        });
    }
    if i64::from(total) > MAX_GROUP_SIZE {
        let parts: Vec<String> = members
            .iter()
            .map(|p| format!("{} {}", p.key, p.count))
            .collect();
        return Err(ctx.err(
            Kind::OutOfRange,
            &where_,
            format!(
                "a group holds at most {MAX_GROUP_SIZE} persons, but the populations of {who} add up to {total} \
                 ({}); lower their counts",
                parts.join(", ")
            ),
        ));
    }
    if let Some(c) = capacity {
        if c < participants {
            return Err(ctx.err(
                Kind::OutOfRange,
                &t.sub("capacity"),
                format!(
                    "capacity ({c}) is below the {participants} participants per group of {who}; \
                     set capacity >= {participants} or lower the participant counts"
                ),
            ));
        }
    }
    Ok(Activity {
        key: key.to_string(),
        kind,
        groups,
        meetings_per_week,
        turns_per_meeting,
        hours_per_meeting,
        service_frame,
        co_design,
        facilitation,
        pathway,
        mixed,
        language_policy,
        targets,
        capacity,
        recruitment,
        populations,
    })
}

fn validate_document(doc: &DocumentMut, ctx: &Ctx) -> R<Scenario> {
    let root = Tbl {
        ctx,
        t: doc.as_table(),
        path: "",
    };
    root.check_keys(TOP_KEYS, "")?;

    // [scenario]
    let Some(meta_item) = root.item("scenario") else {
        return Err(ctx.err(
            Kind::Missing,
            "scenario.name",
            "every scenario needs a name: add [scenario] with name = \"my-scenario\" (a-z, 0-9, '-' and '_')".into(),
        ));
    };
    let meta = table(
        ctx,
        meta_item,
        "scenario",
        "[scenario] with name = \"my-scenario\"",
    )?;
    meta.check_keys(SCENARIO_KEYS, "")?;
    let name = match meta.string("name", "\"knitting-cafe\"")? {
        None => {
            return Err(ctx.err(
                Kind::Missing,
                "scenario.name",
                "every scenario needs a name: write name = \"my-scenario\" (a-z, 0-9, '-' and '_')".into(),
            ))
        }
        Some(n) if !valid_name(&n) => {
            return Err(ctx.err(
                Kind::OutOfRange,
                "scenario.name",
                format!("'{n}' is not a valid name: use only a-z, 0-9, '-' and '_' (1 to 64 characters); write e.g. name = \"knitting-cafe\""),
            ))
        }
        Some(n) => n,
    };
    let description = meta
        .string("description", "\"what this scenario represents\"")?
        .unwrap_or_default();
    let weeks = meta
        .int_in("weeks", 1, 520, "104")?
        .unwrap_or(DEFAULT_WEEKS) as u32;
    let replicates = meta
        .int_in("replicates", 1, 100_000, "100")?
        .unwrap_or(DEFAULT_REPLICATES) as u32;
    let seed = meta
        .int_in("seed", 0, i64::MAX, "2019")?
        .unwrap_or(DEFAULT_SEED) as u64;
    let majority_origins = meta
        .names("majority_origins", "[\"local\"]")?
        .unwrap_or_else(|| vec!["local".to_string()]);

    // [population.*]
    let Some(pop_item) = root.item("population") else {
        return Err(ctx.err(
            Kind::EmptyPopulation,
            "population",
            "the scenario has no populations: add e.g. [population.volunteers] with role = \"volunteer\" and \
             [population.newcomers] with role = \"participant\""
                .into(),
        ));
    };
    let pop_table = table(
        ctx,
        pop_item,
        "population",
        "[population.volunteers] with role = \"volunteer\"",
    )?;
    let mut pops = Vec::new();
    for (key, item) in pop_table.t.iter() {
        let path = join("population", key);
        pops.push(parse_population(ctx, key, item, &path)?);
    }
    if pops.is_empty() {
        return Err(ctx.err(
            Kind::EmptyPopulation,
            "population",
            "the scenario has no populations: add e.g. [population.volunteers] with role = \"volunteer\" and \
             [population.newcomers] with role = \"participant\""
                .into(),
        ));
    }
    pops.sort_by(|a, b| a.key.cmp(&b.key));
    let origins: BTreeSet<String> = pops
        .iter()
        .flat_map(|p| p.origin.options().into_iter().map(str::to_string))
        .collect();

    // [activity] or [activity.*]
    let Some(act_item) = root.item("activity") else {
        return Err(ctx.err(
            Kind::Missing,
            "activity",
            "the scenario has no activity design: add [activity] with e.g. groups = 1 and service_frame = 0.8 \
             (or keyed designs [activity.<key>])"
                .into(),
        ));
    };
    let act = table(ctx, act_item, "activity", "[activity] with groups = 1")?;
    let mut activities = Vec::new();
    if activity_is_keyed(act.t) {
        for (key, item) in act.t.iter() {
            let path = join("activity", key);
            if !valid_name(key) {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &path,
                    format!("activity keys use only a-z, 0-9, '-' and '_' (got '{key}'); rename it, e.g. [activity.cafe]"),
                ));
            }
            let sub = table(ctx, item, &path, "[activity.cafe] with groups = 1")?;
            activities.push(parse_activity(ctx, key, sub, key, &pops, &origins)?);
        }
    } else {
        activities.push(parse_activity(
            ctx, "activity", act, &name, &pops, &origins,
        )?);
    }

    // [stereotypes]
    let mut stereotypes = Stereotypes {
        by_origin: Vec::new(),
        default: DEFAULT_STEREOTYPE,
    };
    if let Some(item) = root.item("stereotypes") {
        let st = table(
            ctx,
            item,
            "stereotypes",
            "[stereotypes] with non-western = 0.3",
        )?;
        for (label, _) in st.t.iter() {
            if !valid_name(label) {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &st.sub(label),
                    format!("origin labels use only a-z, 0-9, '-' and '_' (got '{label}'); write e.g. non-western = 0.3"),
                ));
            }
            let prior = st.prob(label, DEFAULT_STEREOTYPE, "0.3")?;
            if label == "default" {
                stereotypes.default = prior;
            } else {
                stereotypes.by_origin.push((label.to_string(), prior));
            }
        }
        stereotypes.by_origin.sort_by(|a, b| a.0.cmp(&b.0));
    }

    // [transition]
    let mut transition = default_transition();
    if let Some(item) = root.item("transition") {
        let tr = table(
            ctx,
            item,
            "transition",
            "[transition] with need_to_help = 0.3",
        )?;
        tr.check_keys(TRANSITION_KEYS, "")?;
        transition = TransitionTraits {
            need_to_help: tr.dist("need_to_help", transition.need_to_help)?,
            protectiveness: tr.dist("protectiveness", transition.protectiveness)?,
            withdrawal_propensity: tr
                .dist("withdrawal_propensity", transition.withdrawal_propensity)?,
        };
    }

    // [parameters]
    let mut params = Params::default();
    if let Some(item) = root.item("parameters") {
        let pt = table(ctx, item, "parameters", "[parameters] with alpha1 = 0.3")?;
        let names: Vec<&str> = PARAMS.iter().map(|p| p.name).collect();
        for (name, value) in pt.t.iter() {
            let path = pt.sub(name);
            let Some(spec) = PARAMS.iter().find(|p| p.name == name) else {
                let near: Vec<&str> = ranked(name, &names).into_iter().take(5).collect();
                return Err(ctx.err(
                    Kind::UnknownKey,
                    &path,
                    format!(
                        "unknown parameter; {}closest names: {} (`dugnad params` lists all {})",
                        did_you_mean(name, &names),
                        near.join(", "),
                        names.len()
                    ),
                ));
            };
            let example = format!("{} (default; {})", num(spec.default), spec.meaning);
            let x = match as_f64(value) {
                Some(x) => x,
                None => {
                    return Err(ctx.err(
                        Kind::WrongType,
                        &path,
                        format!(
                            "must be {} (got {}); write e.g. {name} = {example}",
                            range_text(spec.min, spec.max),
                            describe(value)
                        ),
                    ))
                }
            };
            if !x.is_finite() || x < spec.min || x > spec.max {
                return Err(ctx.err(
                    Kind::OutOfRange,
                    &path,
                    format!(
                        "must be {} (got {}); write e.g. {name} = {example}",
                        range_text(spec.min, spec.max),
                        num(x)
                    ),
                ));
            }
            params.set(name, x);
        }
    }

    Ok(Scenario {
        name,
        description,
        weeks,
        replicates,
        seed,
        majority_origins,
        activities,
        populations: pops,
        stereotypes,
        transition,
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::RawScenario;

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
    fn bundled_scenarios_match_the_serde_structs() {
        for name in &bundled_names() {
            let (_, text) = bundled(name);
            let raw: Result<RawScenario, _> = toml::from_str(&text);
            assert!(raw.is_ok(), "{name}: {:?}", raw.err());
            let s = load_str(&text, name, &[]).unwrap();
            let raw: Result<RawScenario, _> = toml::from_str(&to_toml(&s));
            assert!(raw.is_ok(), "{name} resolved: {:?}", raw.err());
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
        let s = default_traits(Role::Staff);
        let v = default_traits(Role::Volunteer);
        assert!(s.need_to_help.mean() < v.need_to_help.mean());
        assert_eq!(s.network, Dist::Uniform(0.5, 0.9));
        assert_eq!(
            default_traits(Role::Participant).need_to_help,
            Dist::Const(0.0)
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
        let text = MINIMAL.replace(
            "count = 5",
            "count = 5\n[population.new.language]\nbeta = [3, 3]",
        );
        let s = load_str(&text, "x.toml", &[]).unwrap();
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

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\nco_desing = 0.2"));
        assert!(matches!(e, ScenarioError::UnknownKey(_)));
        assert_eq!((e.key(), e.line()), ("activity.co_desing", Some(7)));
        assert!(e.message().contains("did you mean 'co_design'?"), "{e}");
        assert!(e.message().contains("allowed here: kind, groups"), "{e}");

        let e = load_err(&format!("{MINIMAL}\n[activities]\nx = 1\n"));
        assert_eq!(e.key(), "activities");
        assert!(e.message().contains("did you mean 'activity'?"), "{e}");

        let e = load_err(&MINIMAL.replace("count = 2", "count = 2\nneed_to_hlep = 0.5"));
        assert_eq!(
            (e.key(), e.line()),
            ("population.vol.need_to_hlep", Some(11))
        );
        assert!(e.message().contains("did you mean 'need_to_help'?"), "{e}");

        let e = load_err(&format!("{MINIMAL}\n[parameters]\nalpha_1 = 0.3\n"));
        assert!(matches!(e, ScenarioError::UnknownKey(_)));
        assert_eq!((e.key(), e.line()), ("parameters.alpha_1", Some(17)));
        assert!(e.message().contains("did you mean 'alpha1'?"), "{e}");

        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = { betta = [2, 2] }"));
        assert!(matches!(e, ScenarioError::UnknownKey(_)));
        assert_eq!(e.key(), "population.new.language.betta");
        assert!(e.message().contains("did you mean 'beta'?"), "{e}");

        let e = load_err(
            &MINIMAL.replace("groups = 2", "groups = 2\npopulations = [\"vol\", \"nwe\"]"),
        );
        assert!(matches!(e, ScenarioError::UnknownKey(_)));
        assert!(e.message().contains("did you mean 'new'?"), "{e}");
    }

    #[test]
    fn wrong_types_say_what_is_allowed() {
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = \"two\""));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert_eq!((e.key(), e.line()), ("activity.groups", Some(6)));
        assert_eq!(
            e.to_string(),
            "x.toml:6: activity.groups: must be a whole number from 1 to 10000 (got the string \"two\"); write e.g. groups = 10"
        );
        let e = load_err(&MINIMAL.replace("count = 5", "count = 2.5"));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert!(e.message().contains("without a decimal point"), "{e}");
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\npathway = \"yes\""));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert_eq!(e.key(), "activity.pathway");
        let e = load_err(&MINIMAL.replace("role = \"volunteer\"", "role = 1"));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = \"high\""));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert!(e.message().contains("{ beta = [2.0, 5.0] }"), "{e}");
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = { beta = [2] }"));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert!(e.message().contains("beta needs 2 numbers [a, b]"), "{e}");
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\nlanguage = { beta = [2, 2], uniform = [0, 1] }",
        ));
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert!(e.message().contains("exactly one key"), "{e}");
        let e = load_err(
            &MINIMAL
                .replace("[activity]\ngroups = 2", "")
                .replace("[scenario]", "activity = 3\n[scenario]"),
        );
        assert!(matches!(e, ScenarioError::WrongType(_)));
        assert_eq!(e.key(), "activity");
        let e = load_err(&format!("{MINIMAL}\n[[transition]]\nx = 1\n"));
        assert!(matches!(e, ScenarioError::WrongType(_)), "{e}");
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\nservice_frame = 1.3"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!(
            e.to_string(),
            "x.toml:7: activity.service_frame: must be a probability in [0, 1] (got 1.3); write e.g. service_frame = 0.8"
        );
        let e = load_err(&MINIMAL.replace("count = 2", "count = -1"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!((e.key(), e.line()), ("population.vol.count", Some(10)));
        assert!(e.message().contains("from 0 to 60 (got -1)"), "{e}");
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = { beta = [0, 5] }"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!(
            e.to_string(),
            "x.toml:15: population.new.language: beta parameters must be > 0 (got a = 0); write e.g. { beta = [2.0, 5.0] }"
        );
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = { beta = [2, -1] }"));
        assert!(e.message().contains("got b = -1"), "{e}");
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\nlanguage = { uniform = [0.9, 0.2] }",
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert!(e.message().contains("lo = 0.9, hi = 0.2"), "{e}");
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\nlanguage = { normal = [0.5, -0.1] }",
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\nlanguage = { triangular = [0.1, 0.9, 0.5] }",
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = 1.5"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlanguage = nan"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\norigin = { choice = [\"a\", \"b\"], weights = [0, 0] }",
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!(e.key(), "population.new.origin.weights");
        assert!(e.message().contains("sum to more than 0"), "{e}");
        let e = load_err(&MINIMAL.replace(
            "count = 5",
            "count = 5\norigin = { choice = [\"a\", \"b\"], weights = [1] }",
        ));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\nlife_stage = \"old\""));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert!(e.message().contains("did you mean 'older'?"), "{e}");
        let e = load_err(&MINIMAL.replace("name = \"mini\"", "name = \"Mini Cafe\""));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!(e.key(), "scenario.name");
        let e = load_err(&MINIMAL.replace("name = \"mini\"", "name = \"mini\"\nweeks = 0"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("name = \"mini\"", "name = \"mini\"\nseed = -5"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&format!("{MINIMAL}\n[parameters]\nbeta_e = 12\n"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert!(e.message().contains("[0, 10] (got 12)"), "{e}");
        let e = load_err(&format!("{MINIMAL}\n[stereotypes]\nsyria = 2\n"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\nhours_per_meeting = 0"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\ncapacity = 3"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert_eq!(e.key(), "activity.capacity");
        let e = load_err(&MINIMAL.replace("count = 5", "count = 59"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert!(e.message().contains("at most 60 persons"), "{e}");
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\ntargets = [\"non-westen\"]"));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\nlanguage_policy = \"multi\""));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        let e = load_err(&MINIMAL.replace("role = \"volunteer\"", "role = \"volunter\""));
        assert!(matches!(e, ScenarioError::OutOfRange(_)));
        assert!(e.message().contains("did you mean 'volunteer'?"), "{e}");
    }

    #[test]
    fn missing_keys_are_named() {
        let e = load_err(&MINIMAL.replace("name = \"mini\"", "weeks = 3"));
        assert!(matches!(e, ScenarioError::Missing(_)));
        assert_eq!((e.key(), e.line()), ("scenario.name", Some(2)));
        let e = load_err(&MINIMAL.replace("role = \"volunteer\"\n", ""));
        assert!(matches!(e, ScenarioError::Missing(_)));
        assert_eq!((e.key(), e.line()), ("population.vol.role", Some(8)));
        let e = load_err(&MINIMAL.replace("[activity]\ngroups = 2\n", ""));
        assert!(matches!(e, ScenarioError::Missing(_)));
        assert_eq!(e.key(), "activity");
        let e = load_err(&MINIMAL.replace("count = 5", "count = 5\norigin = { weights = [1] }"));
        assert!(matches!(e, ScenarioError::Missing(_)));
        assert_eq!(e.key(), "population.new.origin.choice");
    }

    #[test]
    fn empty_populations_are_refused() {
        let e = load_err(&MINIMAL.replace("count = 5", "count = 0"));
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        assert_eq!((e.key(), e.line()), ("population.new.count", Some(14)));
        assert!(e.message().contains("at least one participant"), "{e}");
        let e = load_err(&MINIMAL.replace("count = 2", "count = 0"));
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        assert_eq!(e.key(), "population.vol.count");
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\npopulations = [\"new\"]"));
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        assert_eq!((e.key(), e.line()), ("activity.populations", Some(7)));
        let e = load_err(&MINIMAL.replace("groups = 2", "groups = 2\npopulations = []"));
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        let e = load_err("[scenario]\nname = \"x\"\n[activity]\n");
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        let e = load_err("[scenario]\nname = \"x\"\n[activity]\n[population]\n");
        assert!(matches!(e, ScenarioError::EmptyPopulation(_)));
        // A population of count 0 is fine while the group still has both sides.
        let text = MINIMAL.replace(
            "[population.new]",
            "[population.extra]\nrole = \"participant\"\ncount = 0\n\n[population.new]",
        );
        assert!(load_str(&text, "x.toml", &[]).is_ok());
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
        let text = MINIMAL.replace(
            "count = 5",
            "count = 5\nlanguage = 0.1234567890123\ninitiative = 1e-7",
        );
        let s = load_str(&text, "x.toml", &[]).unwrap();
        let again = load_str(&to_toml(&s), "r.toml", &[]).unwrap();
        assert_eq!(json(&s), json(&again));
    }
}
