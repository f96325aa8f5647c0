//! The types of scenario keys: for each, how a value is read and checked (with the messages
//! users see), written back as TOML and described in the JSON Schema.
//!
//! A row of the field table ([`super::fields`]) names one of these with its range and example,
//! e.g. `Int::new(1, 520, "104")`; [`section!`](super::section) derives the rest from it.

use super::dist::{Attributes, Dist, Label};
use super::document::{as_f64, describe, join, num, range_text, valid_name, Class, Tbl, R};
use super::error::ScenarioError;
use super::forms::{self, RawDist, RawLabel};
use super::suggest::did_you_mean;
use super::toml_text::{kv, tf64, tkey, tlist, tstr};
use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject};
use schemars::JsonSchema;
use std::marker::PhantomData;
use toml_edit::{Item, Value};

/// The type of a scenario key.
pub(crate) trait FieldType {
    /// The checked value, as the model sees it.
    type Value;
    /// The value's shape in the JSON Schema.
    type Raw: JsonSchema;
    /// Checks the value `item` found at `key` of `t`.
    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Self::Value>;
    /// Reads and checks the value at `key` of `t`; `Ok(None)` when the key is absent.
    fn read(&self, t: &Tbl<'_>, key: &str) -> R<Option<Self::Value>> {
        t.item(key).map(|item| self.parse(t, key, item)).transpose()
    }
    /// The value as TOML text.
    fn text(&self, v: &Self::Value) -> String;
    /// Appends `key = value` to `out`.
    fn write(&self, out: &mut String, key: &str, v: &Self::Value) {
        kv(out, key, &self.text(v));
    }
    /// Adds the range or pattern of the key to its schema.
    fn constrain(&self, _schema: &mut SchemaObject) {}
    /// Another valid value, for the test that every key reaches `to_toml`.
    #[cfg(test)]
    fn vary(&self, v: &Self::Value) -> Self::Value;
}

/// The schema of a key of type `ty` documented by `doc` (the lines of its doc comment, merged as
/// schemars merges them); a key that is not `required` may be left out.
pub(crate) fn field_schema<F: FieldType<Value = V>, V>(
    gen: &mut SchemaGenerator,
    ty: &F,
    doc: &[&str],
    required: bool,
) -> Schema {
    let schema = if required {
        gen.subschema_for::<F::Raw>()
    } else {
        gen.subschema_for::<Option<F::Raw>>()
    };
    let mut object = schema.into_object();
    ty.constrain(&mut object);
    object.metadata().description = description(doc);
    Schema::Object(object)
}

/// A doc comment as one description: lines trimmed and joined by spaces, paragraphs kept.
pub(crate) fn description(doc: &[&str]) -> Option<String> {
    let lines: Vec<&str> = doc
        .iter()
        .flat_map(|d| d.split('\n'))
        .map(str::trim)
        .collect();
    let paragraphs: Vec<String> = lines
        .join("\n")
        .trim()
        .split("\n\n")
        .map(|p| p.trim().replace('\n', " "))
        .filter(|p| !p.is_empty())
        .collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// A whole number in `lo..=hi` (no upper bound in the schema when `hi` is `i64::MAX`).
pub(crate) struct Int<T> {
    lo: i64,
    hi: i64,
    example: &'static str,
    ty: PhantomData<T>,
}

impl<T> Int<T> {
    pub(crate) const fn new(lo: i64, hi: i64, example: &'static str) -> Self {
        Int {
            lo,
            hi,
            example,
            ty: PhantomData,
        }
    }

    fn allowed(&self) -> String {
        if self.hi == i64::MAX {
            format!("a whole number >= {}", self.lo)
        } else {
            format!("a whole number from {} to {}", self.lo, self.hi)
        }
    }
}

impl<T: Copy + TryFrom<i64> + JsonSchema> FieldType for Int<T>
where
    i64: TryFrom<T>,
{
    type Value = T;
    type Raw = T;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<T> {
        let (allowed, example) = (self.allowed(), self.example);
        let x = match item {
            Item::Value(Value::Integer(i)) => *i.value(),
            Item::Value(Value::Float(f)) => {
                return Err(t.err(
                    Class::WrongType,
                    key,
                    format!(
                        "must be {allowed}, without a decimal point (got {}); write e.g. {key} = {example}",
                        num(*f.value())
                    ),
                ))
            }
            other => return Err(t.wrong_type(key, other, &allowed, &format!("{key} = {example}"))),
        };
        match T::try_from(x) {
            Ok(v) if (self.lo..=self.hi).contains(&x) => Ok(v),
            _ => Err(t.err(
                Class::OutOfRange,
                key,
                format!("must be {allowed} (got {x}); write e.g. {key} = {example}"),
            )),
        }
    }

    fn text(&self, v: &T) -> String {
        // A value above i64::MAX cannot come from a TOML file; it is written as the largest integer.
        i64::try_from(*v).unwrap_or(i64::MAX).to_string()
    }

    fn constrain(&self, schema: &mut SchemaObject) {
        schema.number().minimum = Some(self.lo as f64);
        if self.hi != i64::MAX {
            schema.number().maximum = Some(self.hi as f64);
        }
    }

    #[cfg(test)]
    fn vary(&self, v: &T) -> T {
        let x = i64::try_from(*v).unwrap_or(i64::MAX);
        let y = if x < self.hi { x + 1 } else { x - 1 };
        T::try_from(y).unwrap_or(*v)
    }
}

/// An optional whole number: absent means none, written as the comment `# key: none`.
pub(crate) struct OptionalInt<T> {
    of: Int<T>,
    /// What no value means, for the comment.
    none: &'static str,
}

impl<T> OptionalInt<T> {
    pub(crate) const fn new(of: Int<T>, none: &'static str) -> Self {
        OptionalInt { of, none }
    }
}

impl<T: Copy + TryFrom<i64> + JsonSchema> FieldType for OptionalInt<T>
where
    i64: TryFrom<T>,
{
    type Value = Option<T>;
    type Raw = T;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Option<T>> {
        self.of.parse(t, key, item).map(Some)
    }

    fn text(&self, v: &Option<T>) -> String {
        v.map(|v| self.of.text(&v)).unwrap_or_default()
    }

    fn write(&self, out: &mut String, key: &str, v: &Option<T>) {
        match v {
            Some(v) => kv(out, key, &self.of.text(v)),
            None => {
                out.push_str(&format!("# {key}: {}\n", self.none));
            }
        }
    }

    fn constrain(&self, schema: &mut SchemaObject) {
        self.of.constrain(schema);
    }

    #[cfg(test)]
    fn vary(&self, v: &Option<T>) -> Option<T> {
        match v {
            Some(_) => None,
            None => T::try_from(self.of.hi).ok(),
        }
    }
}

/// An optional value of type `F`: absent means `none` (e.g. "unchanged"), written as the
/// comment `# key: none`.
pub(crate) struct Maybe<F> {
    of: F,
    none: &'static str,
}

impl<F> Maybe<F> {
    pub(crate) const fn new(of: F, none: &'static str) -> Self {
        Maybe { of, none }
    }
}

impl<F: FieldType> FieldType for Maybe<F>
where
    F::Value: Default,
{
    type Value = Option<F::Value>;
    type Raw = F::Raw;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Option<F::Value>> {
        self.of.parse(t, key, item).map(Some)
    }

    fn text(&self, v: &Option<F::Value>) -> String {
        v.as_ref().map(|v| self.of.text(v)).unwrap_or_default()
    }

    fn write(&self, out: &mut String, key: &str, v: &Option<F::Value>) {
        match v {
            Some(v) => kv(out, key, &self.of.text(v)),
            None => out.push_str(&format!("# {key}: {}\n", self.none)),
        }
    }

    fn constrain(&self, schema: &mut SchemaObject) {
        self.of.constrain(schema);
    }

    #[cfg(test)]
    fn vary(&self, v: &Option<F::Value>) -> Option<F::Value> {
        match v {
            Some(_) => None,
            None => Some(F::Value::default()),
        }
    }
}

/// A table with exactly the given keys, as (key, schema, required), described by `doc`.
pub(crate) fn object_schema(doc: &str, keys: Vec<(&'static str, Schema, bool)>) -> Schema {
    let mut object = schemars::schema::ObjectValidation {
        additional_properties: Some(Box::new(Schema::Bool(false))),
        ..Default::default()
    };
    for (key, schema, required) in keys {
        if required {
            object.required.insert(key.to_string());
        }
        object.properties.insert(key.to_string(), schema);
    }
    let mut schema = SchemaObject {
        instance_type: Some(InstanceType::Object.into()),
        object: Some(Box::new(object)),
        ..Default::default()
    };
    schema.metadata().description = description(&[doc]);
    Schema::Object(schema)
}

/// A number in `lo..=hi`, or in `(lo, hi]` when `lo_open`.
pub(crate) struct Num {
    lo: f64,
    hi: f64,
    lo_open: bool,
    example: &'static str,
}

impl Num {
    pub(crate) const fn new(lo: f64, hi: f64, example: &'static str) -> Self {
        Num {
            lo,
            hi,
            lo_open: false,
            example,
        }
    }

    /// A number above `lo` and at most `hi`.
    pub(crate) const fn above(lo: f64, hi: f64, example: &'static str) -> Self {
        Num {
            lo,
            hi,
            lo_open: true,
            example,
        }
    }

    /// A probability in [0, 1].
    pub(crate) const fn prob(example: &'static str) -> Self {
        Num::new(0.0, 1.0, example)
    }

    fn allowed(&self) -> String {
        if self.lo_open {
            format!("a number > {} and <= {}", num(self.lo), num(self.hi))
        } else if self.lo == 0.0 && self.hi == 1.0 {
            "a probability in [0, 1]".to_string()
        } else {
            range_text(self.lo, self.hi)
        }
    }
}

impl FieldType for Num {
    type Value = f64;
    type Raw = f64;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<f64> {
        let (lo, hi) = (self.lo, self.hi);
        let class = match as_f64(item) {
            None => Class::WrongType,
            Some(x) if !x.is_finite() || x > hi || x < lo || (self.lo_open && x == lo) => {
                Class::OutOfRange
            }
            Some(x) => return Ok(x),
        };
        Err(t.err(
            class,
            key,
            format!(
                "must be {} (got {}); write e.g. {key} = {}",
                self.allowed(),
                describe(item),
                self.example
            ),
        ))
    }

    fn text(&self, v: &f64) -> String {
        tf64(*v)
    }

    fn constrain(&self, schema: &mut SchemaObject) {
        schema.number().minimum = Some(self.lo);
        schema.number().maximum = Some(self.hi);
    }

    #[cfg(test)]
    fn vary(&self, v: &f64) -> f64 {
        if v + 0.25 <= self.hi {
            v + 0.25
        } else {
            v - 0.25
        }
    }
}

/// `true` or `false`.
pub(crate) struct Flag;

impl FieldType for Flag {
    type Value = bool;
    type Raw = bool;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<bool> {
        match item.as_bool() {
            Some(b) => Ok(b),
            None => {
                let example = format!("{key} = true");
                Err(t.wrong_type(key, item, "true or false, without quotes", &example))
            }
        }
    }

    fn text(&self, v: &bool) -> String {
        v.to_string()
    }

    #[cfg(test)]
    fn vary(&self, v: &bool) -> bool {
        !v
    }
}

/// What a text value may hold.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum TextRule {
    /// Any string.
    Free,
    /// A name for output folders: a-z, 0-9, '-' and '_', 1 to 64 characters.
    Name,
    /// A non-empty label of at most 100 characters on one line.
    Line,
}

/// A string in quotes.
pub(crate) struct Text {
    rule: TextRule,
    example: &'static str,
}

impl Text {
    pub(crate) const fn new(rule: TextRule, example: &'static str) -> Self {
        Text { rule, example }
    }

    /// Why `s` breaks the rule, if it does.
    fn refusal(&self, s: &str) -> Option<String> {
        match self.rule {
            TextRule::Free => None,
            TextRule::Name => (!valid_name(s)).then(|| {
                format!("'{s}' is not a valid name: use only a-z, 0-9, '-' and '_' (1 to 64 characters)")
            }),
            TextRule::Line => (s.trim().is_empty()
                || s.chars().count() > 100
                || s.chars().any(char::is_control))
            .then(|| "must be a non-empty label of at most 100 characters on one line".to_string()),
        }
    }
}

impl FieldType for Text {
    type Value = String;
    type Raw = String;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<String> {
        let example = self.example;
        let Some(s) = item.as_str() else {
            let example = format!("{key} = {example}");
            return Err(t.wrong_type(key, item, "a string in quotes", &example));
        };
        match self.refusal(s) {
            Some(why) => Err(t.err(
                Class::OutOfRange,
                key,
                format!("{why}; write e.g. {key} = {example}"),
            )),
            None => Ok(s.to_string()),
        }
    }

    fn text(&self, v: &String) -> String {
        tstr(v)
    }

    fn constrain(&self, schema: &mut SchemaObject) {
        if self.rule == TextRule::Name {
            schema.string().pattern = Some("^[a-z0-9_-]{1,64}$".into());
        }
    }

    #[cfg(test)]
    fn vary(&self, v: &String) -> String {
        format!("{v}x")
    }
}

/// A list of distinct names (a-z, 0-9, '-', '_').
pub(crate) struct Names {
    example: &'static str,
}

impl Names {
    pub(crate) const fn new(example: &'static str) -> Self {
        Names { example }
    }
}

impl FieldType for Names {
    type Value = Vec<String>;
    type Raw = Vec<String>;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Vec<String>> {
        let example = self.example;
        let path = t.sub(key);
        let wrong = || {
            t.wrong_type(
                key,
                item,
                "a list of strings",
                &format!("{key} = {example}"),
            )
        };
        let names = forms::read_labels(t.ctx, item, &path, wrong, |s| {
            if valid_name(s) {
                return Ok(());
            }
            Err(t.err(
                Class::OutOfRange,
                key,
                format!(
                    "'{s}' is not a valid label: use only a-z, 0-9, '-' and '_' (1 to 64 characters); \
                     write e.g. {key} = {example}"
                ),
            ))
        })?;
        Ok(names)
    }

    fn text(&self, v: &Vec<String>) -> String {
        tlist(v)
    }

    #[cfg(test)]
    fn vary(&self, v: &Vec<String>) -> Vec<String> {
        v.iter().rev().cloned().collect()
    }
}

/// A closed set of words a value may take (a role, a language policy).
pub(crate) trait Keyword: Copy + PartialEq + 'static {
    /// Every word with its value, in documentation order.
    const WORDS: &'static [(&'static str, Self)];
    /// Name of the vocabulary's definition in the JSON Schema.
    const SCHEMA_NAME: &'static str;
    /// Its description there.
    const SCHEMA_DOC: &'static str;

    /// The word of a value.
    fn word(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(w, _)| w)
    }
}

/// The JSON Schema of a vocabulary: a string, one of its words.
pub(crate) struct Words<E>(PhantomData<E>);

impl<E: Keyword> JsonSchema for Words<E> {
    fn schema_name() -> String {
        E::SCHEMA_NAME.to_string()
    }

    fn json_schema(_gen: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            enum_values: Some(E::WORDS.iter().map(|(w, _)| (*w).into()).collect()),
            ..Default::default()
        };
        schema.metadata().description = Some(E::SCHEMA_DOC.to_string());
        Schema::Object(schema)
    }
}

/// One word of the vocabulary `E`, in quotes.
pub(crate) struct Word<E> {
    /// What one word is called in messages ("role"); `None` words the messages by the list.
    noun: Option<&'static str>,
    example: &'static str,
    vocabulary: PhantomData<E>,
}

impl<E> Word<E> {
    pub(crate) const fn new(noun: Option<&'static str>, example: &'static str) -> Self {
        Word {
            noun,
            example,
            vocabulary: PhantomData,
        }
    }
}

impl<E: Keyword> Word<E> {
    /// The refusal of `item` (not one of the words).
    fn refusal(&self, t: &Tbl<'_>, key: &str, item: &Item) -> ScenarioError {
        let words: Vec<&str> = E::WORDS.iter().map(|(w, _)| *w).collect();
        let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        let (last, rest) = quoted
            .split_last()
            .map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
        let either = format!("{} or {last}", rest.join(", "));
        let example = format!("{key} = {}", self.example);
        let given = item.as_str();
        let (class, message) = match (self.noun, given) {
            (Some(noun), Some(s)) => (
                Class::OutOfRange,
                format!(
                    "'{s}' is not a {noun}; {}allowed: {}; write e.g. {example}",
                    did_you_mean(s, &words),
                    words.join(", ")
                ),
            ),
            (Some(_), None) => (
                Class::WrongType,
                format!(
                    "must be {either} in quotes (got {}); write e.g. {example}",
                    describe(item)
                ),
            ),
            (None, _) => (
                if given.is_some() {
                    Class::OutOfRange
                } else {
                    Class::WrongType
                },
                format!(
                    "must be {either} (got {}); {}write e.g. {example}",
                    describe(item),
                    given.map(|s| did_you_mean(s, &words)).unwrap_or_default()
                ),
            ),
        };
        t.err(class, key, message)
    }
}

impl<E: Keyword> FieldType for Word<E> {
    type Value = E;
    type Raw = Words<E>;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<E> {
        let found = item
            .as_str()
            .and_then(|s| E::WORDS.iter().find(|(w, _)| *w == s));
        match found {
            Some((_, v)) => Ok(*v),
            None => Err(self.refusal(t, key, item)),
        }
    }

    fn text(&self, v: &E) -> String {
        tstr(v.word())
    }

    #[cfg(test)]
    fn vary(&self, v: &E) -> E {
        let i = E::WORDS.iter().position(|(_, w)| w == v).unwrap_or(0);
        E::WORDS[(i + 1) % E::WORDS.len()].1
    }
}

/// A trait value: a constant in [0, 1] or a distribution ([`forms::read_dist`]).
pub(crate) struct Trait;

impl FieldType for Trait {
    type Value = Dist;
    type Raw = RawDist;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Dist> {
        forms::read_dist(t.ctx, item, &t.sub(key))
    }

    fn text(&self, v: &Dist) -> String {
        forms::dist_text(v)
    }

    #[cfg(test)]
    fn vary(&self, v: &Dist) -> Dist {
        match *v {
            Dist::Const(c) if c < 0.5 => Dist::Const(c + 0.25),
            Dist::Const(c) => Dist::Const(c - 0.25),
            _ => Dist::Const(0.5),
        }
    }
}

/// A label or a weighted choice of labels ([`forms::read_label`]); `allowed` restricts the
/// labels, else any name is allowed.
pub(crate) struct LabelOf {
    allowed: Option<&'static [&'static str]>,
    example: &'static str,
}

impl LabelOf {
    pub(crate) const fn new(
        allowed: Option<&'static [&'static str]>,
        example: &'static str,
    ) -> Self {
        LabelOf { allowed, example }
    }
}

impl FieldType for LabelOf {
    type Value = Label;
    type Raw = RawLabel;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Label> {
        let example = format!("{key} = {}", self.example);
        forms::read_label(t.ctx, item, &t.sub(key), self.allowed, &example)
    }

    fn text(&self, v: &Label) -> String {
        forms::label_text(v)
    }

    #[cfg(test)]
    fn vary(&self, v: &Label) -> Label {
        match v {
            Label::Fixed(s) => match self.allowed {
                Some(words) => {
                    Label::Fixed(words.iter().find(|w| *w != s).unwrap_or(&"").to_string())
                }
                None => Label::Fixed(format!("{s}x")),
            },
            Label::Choice { options, weights } => Label::Choice {
                options: options.iter().rev().cloned().collect(),
                weights: weights.iter().rev().copied().collect(),
            },
        }
    }
}

/// A table of categorical attributes: any attribute name (a-z, 0-9, '-', '_', not `origin`,
/// which every population has already), each a label or a weighted choice of labels
/// ([`forms::read_label`]). Absent means none; written as the comment `# key: none`.
pub(crate) struct AttributeTable;

/// The attribute name a population may not declare: its own `origin` key is always available.
pub(crate) const RESERVED_ATTRIBUTE: &str = "origin";

const ATTRIBUTE_EXAMPLE: &str =
    "attributes = { gender = \"woman\" } or attributes.gender = { choice = [\"woman\", \"man\"], weights = [0.7, 0.3] }";

impl FieldType for AttributeTable {
    type Value = Attributes;
    type Raw = std::collections::BTreeMap<String, RawLabel>;

    fn parse(&self, t: &Tbl<'_>, key: &str, item: &Item) -> R<Attributes> {
        let Some(table) = item.as_table_like() else {
            let what = "a table of attribute names and labels";
            return Err(t.wrong_type(key, item, what, ATTRIBUTE_EXAMPLE));
        };
        let path = t.sub(key);
        let mut out = Attributes::new();
        for (name, value) in table.iter() {
            let at = join(&path, name);
            if !valid_name(name) {
                return Err(t.ctx.err(
                    Class::OutOfRange,
                    &at,
                    format!(
                        "attribute names use only a-z, 0-9, '-' and '_' (got '{name}'); write e.g. {ATTRIBUTE_EXAMPLE}"
                    ),
                ));
            }
            if name == RESERVED_ATTRIBUTE {
                return Err(t.ctx.err(
                    Class::OutOfRange,
                    &at,
                    "'origin' is not an attribute to declare: every population has its own `origin` key, and \
                     [output] by = [\"origin\"] uses it; give the attribute another name"
                        .to_string(),
                ));
            }
            let example = format!("{name} = \"woman\"");
            out.insert(
                name.to_string(),
                forms::read_label(t.ctx, value, &at, None, &example)?,
            );
        }
        Ok(out)
    }

    fn text(&self, v: &Attributes) -> String {
        let parts: Vec<String> = v
            .iter()
            .map(|(name, label)| format!("{} = {}", tkey(name), forms::label_text(label)))
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    fn write(&self, out: &mut String, key: &str, v: &Attributes) {
        if v.is_empty() {
            out.push_str(&format!("# {key}: none\n"));
        } else {
            kv(out, key, &self.text(v));
        }
    }

    #[cfg(test)]
    fn vary(&self, v: &Attributes) -> Attributes {
        let mut v = v.clone();
        match v.iter_mut().next() {
            Some((_, label)) => *label = LabelOf::new(None, "").vary(label),
            None => {
                v.insert("varied".into(), Label::Fixed("x".into()));
            }
        }
        v
    }
}
