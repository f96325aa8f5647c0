//! The parsed scenario document as validation walks it: where each key is (its dotted path and
//! line), which values came from `--set`, and how an error at a key is built.
//!
//! The text is parsed once with spans to map every dotted key path to its line
//! ([`collect_lines`]); validation then reads tables through [`Tbl`], so that every error names
//! the file, the key path and the line, and says when the value was given by `--set`.

use super::error::{Located, ScenarioError};
use super::suggest::did_you_mean;
use std::collections::BTreeMap;
use toml_edit::{Item, TableLike, Value};

pub(crate) type R<T> = Result<T, ScenarioError>;

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

/// The error for text that is not valid TOML, with its line and column.
pub(crate) fn syntax_error(text: &str, origin: &str, e: &toml_edit::TomlError) -> ScenarioError {
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

/// `prefix.key`, or `key` at the top.
pub(crate) fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Records the line of every dotted key path below `t`.
pub(crate) fn collect_lines(
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
        } else if let Some(aot) = item.as_array_of_tables() {
            for (i, sub) in aot.iter().enumerate() {
                let entry = join(&path, &i.to_string());
                if let Some(span) = sub.span() {
                    map.insert(entry.clone(), index.line(span.start));
                }
                collect_lines(sub, &entry, index, map);
            }
        } else if let Some(array) = item.as_array() {
            for (i, v) in array.iter().enumerate() {
                if let Some(sub) = v.as_inline_table() {
                    let entry = join(&path, &i.to_string());
                    if let Some(span) = v.span() {
                        map.insert(entry.clone(), index.line(span.start));
                    }
                    collect_lines(sub, &entry, index, map);
                }
            }
        }
    }
}

/// The class of a validation error (a subset of [`ScenarioError`]'s variants).
#[derive(Clone, Copy)]
pub(crate) enum Class {
    UnknownKey,
    WrongType,
    OutOfRange,
    Missing,
    EmptyPopulation,
}

/// What a message at a key given by `--set` (or `--at`) ends with.
pub(crate) const GIVEN_BY_SET: &str = " (this value was given by --set)";

/// What validation knows about the file: its name, the line of each key path, and which paths
/// were set by `--set` (those have no line).
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) origin: String,
    pub(crate) lines: BTreeMap<String, usize>,
    pub(crate) overridden: Vec<String>,
}

impl Ctx {
    /// The error of a value of the wrong type at `path`: `must be {what} (got {item}); write
    /// e.g. {example}`.
    pub(crate) fn wrong_type(
        &self,
        path: &str,
        item: &Item,
        what: &str,
        example: &str,
    ) -> ScenarioError {
        let got = describe(item);
        self.err(
            Class::WrongType,
            path,
            format!("must be {what} (got {got}); write e.g. {example}"),
        )
    }

    fn overridden(&self, path: &str) -> bool {
        self.overridden.iter().any(|o| {
            path == o || (path.starts_with(o.as_str()) && path[o.len()..].starts_with('.'))
        })
    }

    /// Line of a key path, or of its nearest ancestor in the file.
    pub(crate) fn line(&self, path: &str) -> Option<usize> {
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

    /// Where the key `path` is, with `message` (which says so when `--set` gave the value).
    pub(crate) fn locate(&self, path: &str, mut message: String) -> Located {
        if self.overridden(path) {
            message = as_set_example(&message, path);
            message.push_str(GIVEN_BY_SET);
            if path.starts_with("schedule.") {
                // A schedule's value may also come from --at.
                message.truncate(message.len() - 1);
                message.push_str(" or --at)");
            }
        }
        Located {
            file: self.origin.clone(),
            key: path.to_string(),
            line: self.line(path),
            message,
        }
    }

    /// An error of `class` at the key `path`.
    pub(crate) fn err(&self, class: Class, path: &str, message: String) -> ScenarioError {
        let loc = self.locate(path, message);
        match class {
            Class::UnknownKey => ScenarioError::UnknownKey(loc),
            Class::WrongType => ScenarioError::WrongType(loc),
            Class::OutOfRange => ScenarioError::OutOfRange(loc),
            Class::Missing => ScenarioError::Missing(loc),
            Class::EmptyPopulation => ScenarioError::EmptyPopulation(loc),
        }
    }
}

/// A message's closing example `write e.g. LEAF = VALUE` (a line of the file) told as the
/// `--set` that fixes it, quoted for the shell when the value needs it:
/// `write e.g. --set 'activity.targets=["non-western"]'`.
fn as_set_example(message: &str, path: &str) -> String {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let Some((head, value)) = message.split_once(&format!("write e.g. {leaf} = ")) else {
        return message.to_string();
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-+:".contains(c);
    if value.chars().all(plain) {
        format!("{head}write e.g. --set {path}={value}")
    } else {
        format!("{head}write e.g. --set '{path}={value}'")
    }
}

/// A table of the document at a key path.
#[derive(Clone, Copy)]
pub(crate) struct Tbl<'a> {
    pub(crate) ctx: &'a Ctx,
    pub(crate) t: &'a dyn TableLike,
    pub(crate) path: &'a str,
}

impl<'a> Tbl<'a> {
    /// The dotted path of `key` in this table.
    pub(crate) fn sub(&self, key: &str) -> String {
        join(self.path, key)
    }

    /// The value at `key`, if present.
    pub(crate) fn item(&self, key: &str) -> Option<&'a Item> {
        self.t.get(key).filter(|i| !i.is_none())
    }

    /// An error of `class` at `key` of this table.
    pub(crate) fn err(&self, class: Class, key: &str, message: String) -> ScenarioError {
        self.ctx.err(class, &self.sub(key), message)
    }

    /// [`Ctx::wrong_type`] at `key` of this table.
    pub(crate) fn wrong_type(
        &self,
        key: &str,
        item: &Item,
        what: &str,
        example: &str,
    ) -> ScenarioError {
        self.ctx.wrong_type(&self.sub(key), item, what, example)
    }

    /// Refuses the first key that is not in `allowed`, suggesting the closest; `hint` is
    /// appended to the message.
    pub(crate) fn check_keys(&self, allowed: &[&str], hint: &str) -> R<()> {
        for (k, _) in self.t.iter() {
            if !allowed.contains(&k) {
                let msg = format!(
                    "unknown key; {}allowed here: {}{hint}",
                    did_you_mean(k, allowed),
                    allowed.join(", ")
                );
                return Err(self.err(Class::UnknownKey, k, msg));
            }
        }
        Ok(())
    }
}

/// `item` at `path` as a table, or a wrong-type error that shows `example`.
pub(crate) fn table<'a>(ctx: &'a Ctx, item: &'a Item, path: &'a str, example: &str) -> R<Tbl<'a>> {
    match item.as_table_like() {
        Some(t) => Ok(Tbl { ctx, t, path }),
        None => Err(ctx.wrong_type(path, item, "a table", example)),
    }
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
pub(crate) fn describe(item: &Item) -> String {
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

/// A number (integer or float) as f64.
pub(crate) fn as_f64(item: &Item) -> Option<f64> {
    match item {
        Item::Value(v) => value_f64(v),
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
pub(crate) fn numbers(item: &Item) -> Option<Vec<f64>> {
    item.as_array()
        .and_then(|a| a.iter().map(value_f64).collect())
}

/// A number for messages: `1` rather than `1.0`, `0.25` as is.
pub(crate) fn num(x: f64) -> String {
    format!("{x}")
}

/// "a number in [0, 1]", "a number in [-10, 10]".
pub(crate) fn range_text(lo: f64, hi: f64) -> String {
    if lo == 0.0 && hi == 1.0 {
        "a number in [0, 1]".to_string()
    } else {
        format!("a number in [{}, {}]", num(lo), num(hi))
    }
}
