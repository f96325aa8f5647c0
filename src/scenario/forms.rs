//! The two compound value forms of a scenario file: a trait distribution (`0.5`,
//! `{ beta = [2.0, 5.0] }`, ...) and a label (`"syria"` or `{ choice = [...], weights = [...] }`),
//! each read and checked with its own messages, and written back as TOML.

use super::dist::{Dist, Label};
use super::document::{as_f64, describe, join, num, numbers, valid_name, Class, Ctx, Tbl, R};
use super::error::ScenarioError;
use super::suggest::did_you_mean;
use super::toml_text::{tf64, tlist, tnums, tstr};
use schemars::JsonSchema;
use toml_edit::Item;

// The shape of a trait value in the JSON Schema ([`read_dist`] reads it); the doc comments are
// the schema's descriptions.
/// A trait value in [0, 1]: a number, or an inline table with exactly one key. Draws of every
/// distribution are clamped to [0, 1].
#[derive(JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) enum RawDist {
    /// A constant in [0, 1].
    Const(#[schemars(range(min = 0, max = 1))] f64),
    /// `{ uniform = [lo, hi] }` with 0 <= lo <= hi <= 1.
    Uniform { uniform: [f64; 2] },
    /// `{ beta = [a, b] }` with a, b > 0.
    Beta { beta: [f64; 2] },
    /// `{ normal = [mean, sd] }` with mean in [0, 1] and sd >= 0; draws are clamped to [0, 1].
    Normal { normal: [f64; 2] },
    /// `{ triangular = [lo, mode, hi] }` with 0 <= lo <= mode <= hi <= 1.
    Triangular { triangular: [f64; 3] },
}

// The shape of a label in the JSON Schema ([`read_label`] reads it).
/// A label: fixed, or drawn per person from weighted choices.
#[derive(JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) enum RawLabel {
    /// A label of a-z, 0-9, '-' and '_'.
    Fixed(String),
    /// `{ choice = ["syria", "eritrea"], weights = [0.6, 0.4] }`; weights >= 0 with a positive
    /// sum, one per choice (default: equal weights).
    Choice {
        choice: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weights: Option<Vec<f64>>,
    },
}

/// One way to write a distribution as an inline table with a single key.
struct DistForm {
    key: &'static str,
    /// How many numbers it takes.
    arity: usize,
    /// The numbers' names, e.g. `[lo, hi]`.
    params: &'static str,
    example: &'static str,
}

/// The distribution forms, in documentation order.
const DIST_FORMS: [DistForm; 4] = [
    DistForm {
        key: "uniform",
        arity: 2,
        params: "[lo, hi]",
        example: "{ uniform = [0.2, 0.8] }",
    },
    DistForm {
        key: "beta",
        arity: 2,
        params: "[a, b]",
        example: "{ beta = [2.0, 5.0] }",
    },
    DistForm {
        key: "normal",
        arity: 2,
        params: "[mean, sd]",
        example: "{ normal = [0.5, 0.1] }",
    },
    DistForm {
        key: "triangular",
        arity: 3,
        params: "[lo, mode, hi]",
        example: "{ triangular = [0.1, 0.3, 0.6] }",
    },
];

const DIST_EXAMPLES: &str =
    "a number in [0, 1] such as 0.5, or one distribution: { beta = [2.0, 5.0] }, { uniform = [0.2, 0.8] }, \
     { normal = [0.5, 0.1] } or { triangular = [0.1, 0.3, 0.6] }";

/// Keys of a label choice (`{ choice = [...], weights = [...] }`).
const CHOICE_KEYS: &[&str] = &["choice", "weights"];

const CHOICE_EXAMPLE: &str = "{ choice = [\"syria\", \"eritrea\"], weights = [0.6, 0.4] }";

/// Whether a table is a value written as a table (a distribution such as `{ beta = [2, 5] }` or
/// a weighted choice), rather than more of a dotted path: all its keys are keys of those forms.
pub(crate) fn is_value_form(t: &dyn toml_edit::TableLike) -> bool {
    !t.is_empty()
        && t.iter()
            .all(|(k, _)| DIST_FORMS.iter().any(|f| f.key == k) || CHOICE_KEYS.contains(&k))
}

/// Reads a trait value at `path`: a constant in [0, 1] or one distribution.
pub(crate) fn read_dist(ctx: &Ctx, item: &Item, path: &str) -> R<Dist> {
    if let Some(x) = as_f64(item) {
        if !x.is_finite() || !(0.0..=1.0).contains(&x) {
            return Err(ctx.err(
                Class::OutOfRange,
                path,
                format!("a constant trait value must be in [0, 1] (got {}); write e.g. 0.5 or {{ beta = [2.0, 5.0] }}", num(x)),
            ));
        }
        return Ok(Dist::Const(x));
    }
    read_form(ctx, item, path, dist_of)
}

/// Reads a prior at `path`: one distribution (`uniform`, `beta`, `normal`, `triangular`) with
/// any finite parameters; a constant is refused (a fixed value belongs in the scenario).
pub(crate) fn read_prior(ctx: &Ctx, item: &Item, path: &str) -> R<Dist> {
    if as_f64(item).is_some() {
        return Err(ctx.err(
            Class::WrongType,
            path,
            format!(
                "a prior is a distribution, not a number (got {}); write e.g. {{ uniform = [0.1, 0.8] }}, \
                 or set a fixed value in the scenario instead",
                describe(item)
            ),
        ));
    }
    read_form(ctx, item, path, prior_of)
}

/// A distribution written as a table with one key of [`DIST_FORMS`], its numbers checked by `of`.
fn read_form(
    ctx: &Ctx,
    item: &Item,
    path: &str,
    of: fn(&str, &[f64]) -> Result<Dist, String>,
) -> R<Dist> {
    let Some(t) = item.as_table_like() else {
        return Err(ctx.err(
            Class::WrongType,
            path,
            format!("must be {DIST_EXAMPLES} (got {})", describe(item)),
        ));
    };
    let keys: Vec<&str> = t.iter().map(|(k, _)| k).collect();
    let [key] = keys[..] else {
        let got = if keys.is_empty() {
            "an empty table".to_string()
        } else {
            format!("keys {}", keys.join(", "))
        };
        return Err(ctx.err(
            Class::WrongType,
            path,
            format!("a distribution is a table with exactly one key, uniform, beta, normal or triangular (got {got}); write e.g. {{ beta = [2.0, 5.0] }}"),
        ));
    };
    let Some(params) = t.get(key) else {
        return Err(ctx.err(Class::WrongType, path, format!("must be {DIST_EXAMPLES}")));
    };
    let Some(form) = DIST_FORMS.iter().find(|f| f.key == key) else {
        let names: Vec<&str> = DIST_FORMS.iter().map(|f| f.key).collect();
        return Err(ctx.err(
            Class::UnknownKey,
            &join(path, key),
            format!(
                "unknown distribution; {}allowed: {}; write e.g. {{ beta = [2.0, 5.0] }}",
                did_you_mean(key, &names),
                names.join(", ")
            ),
        ));
    };
    let xs = match numbers(params) {
        Some(xs) if xs.len() == form.arity => xs,
        _ => {
            return Err(ctx.err(
                Class::WrongType,
                path,
                format!(
                    "{key} needs {} numbers {} (got {}); write e.g. {}",
                    form.arity,
                    form.params,
                    describe(params),
                    form.example
                ),
            ))
        }
    };
    of(key, &xs).map_err(|msg| {
        ctx.err(
            Class::OutOfRange,
            path,
            format!("{msg}; write e.g. {}", form.example),
        )
    })
}

/// The distribution `key` with parameters `xs` (as many as its form takes), or why they are
/// out of range.
fn dist_of(key: &str, xs: &[f64]) -> Result<Dist, String> {
    if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
        return Err(format!(
            "{key} parameters must be finite numbers (got {})",
            num(*x)
        ));
    }
    let unit = |x: f64| (0.0..=1.0).contains(&x);
    match (key, xs) {
        ("uniform", &[lo, hi]) => {
            if !(unit(lo) && unit(hi) && lo <= hi) {
                return Err(format!(
                    "uniform needs 0 <= lo <= hi <= 1 (got lo = {}, hi = {})",
                    num(lo),
                    num(hi)
                ));
            }
            Ok(Dist::Uniform(lo, hi))
        }
        ("beta", &[a, b]) => {
            for (name, x) in [("a", a), ("b", b)] {
                if x <= 0.0 {
                    return Err(format!(
                        "beta parameters must be > 0 (got {name} = {})",
                        num(x)
                    ));
                }
            }
            Ok(Dist::Beta(a, b))
        }
        ("normal", &[m, sd]) => {
            if !unit(m) {
                return Err(format!("normal mean must be in [0, 1] (got {})", num(m)));
            }
            if sd < 0.0 {
                return Err(format!("normal sd must be >= 0 (got {})", num(sd)));
            }
            Ok(Dist::Normal(m, sd))
        }
        (_, &[lo, mode, hi]) => {
            if !(unit(lo) && unit(hi) && lo <= mode && mode <= hi) {
                return Err(format!(
                    "triangular needs 0 <= lo <= mode <= hi <= 1 (got lo = {}, mode = {}, hi = {})",
                    num(lo),
                    num(mode),
                    num(hi)
                ));
            }
            Ok(Dist::Triangular(lo, mode, hi))
        }
        _ => Err(format!("{key} has the wrong number of parameters")),
    }
}

/// The prior `key` with parameters `xs`: finite numbers, a uniform or triangular range of
/// positive width, beta parameters > 0, a normal sd > 0.
fn prior_of(key: &str, xs: &[f64]) -> Result<Dist, String> {
    if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
        return Err(format!(
            "{key} parameters must be finite numbers (got {})",
            num(*x)
        ));
    }
    match (key, xs) {
        ("uniform", &[lo, hi]) if lo < hi => Ok(Dist::Uniform(lo, hi)),
        ("uniform", &[lo, hi]) => Err(format!(
            "uniform needs lo < hi (got lo = {}, hi = {})",
            num(lo),
            num(hi)
        )),
        ("beta", &[a, b]) if a > 0.0 && b > 0.0 => Ok(Dist::Beta(a, b)),
        ("beta", _) => Err("beta parameters must be > 0".into()),
        ("normal", &[m, sd]) if sd > 0.0 => Ok(Dist::Normal(m, sd)),
        ("normal", _) => Err("a normal prior needs sd > 0".into()),
        (_, &[lo, mode, hi]) if lo <= mode && mode <= hi && lo < hi => {
            Ok(Dist::Triangular(lo, mode, hi))
        }
        (_, &[lo, mode, hi]) => Err(format!(
            "triangular needs lo <= mode <= hi and lo < hi (got lo = {}, mode = {}, hi = {})",
            num(lo),
            num(mode),
            num(hi)
        )),
        _ => Err(format!("{key} has the wrong number of parameters")),
    }
}

/// A trait value as TOML text.
pub(crate) fn dist_text(d: &Dist) -> String {
    match *d {
        Dist::Const(v) => tf64(v),
        Dist::Uniform(lo, hi) => format!("{{ uniform = {} }}", tnums(&[lo, hi])),
        Dist::Beta(a, b) => format!("{{ beta = {} }}", tnums(&[a, b])),
        Dist::Normal(m, sd) => format!("{{ normal = {} }}", tnums(&[m, sd])),
        Dist::Triangular(lo, mode, hi) => format!("{{ triangular = {} }}", tnums(&[lo, mode, hi])),
    }
}

/// Checks one label: one of `allowed` when given, else any valid name.
fn check_label(ctx: &Ctx, s: &str, at: &str, allowed: Option<&[&str]>, example: &str) -> R<()> {
    match allowed {
        Some(allowed) if !allowed.contains(&s) => Err(ctx.err(
            Class::OutOfRange,
            at,
            format!(
                "'{s}' is not allowed; {}allowed: {}; write e.g. {example}",
                did_you_mean(s, allowed),
                allowed.join(", ")
            ),
        )),
        None if !valid_name(s) => Err(ctx.err(
            Class::OutOfRange,
            at,
            format!("'{s}' is not a valid label: use only a-z, 0-9, '-' and '_' (1 to 64 characters); write e.g. {example}"),
        )),
        _ => Ok(()),
    }
}

/// A list of distinct labels at `path`, each passing `check`; `wrong` is the error for a value
/// that is not a list of strings.
pub(crate) fn read_labels(
    ctx: &Ctx,
    item: &Item,
    path: &str,
    wrong: impl Fn() -> ScenarioError,
    check: impl Fn(&str) -> R<()>,
) -> R<Vec<String>> {
    let array = item.as_array().ok_or_else(&wrong)?;
    let mut out: Vec<String> = Vec::new();
    for v in array.iter() {
        let s = v.as_str().ok_or_else(&wrong)?;
        check(s)?;
        if out.iter().any(|o| o == s) {
            return Err(ctx.err(
                Class::OutOfRange,
                path,
                format!("'{s}' is listed twice; list each label once"),
            ));
        }
        out.push(s.to_string());
    }
    Ok(out)
}

/// Reads a label or `{ choice = [...], weights = [...] }` at `path`; `allowed` restricts the
/// labels.
pub(crate) fn read_label(
    ctx: &Ctx,
    item: &Item,
    path: &str,
    allowed: Option<&[&str]>,
    example: &str,
) -> R<Label> {
    if let Some(s) = item.as_str() {
        check_label(ctx, s, path, allowed, example)?;
        return Ok(Label::Fixed(s.to_string()));
    }
    let Some(t) = item.as_table_like() else {
        let what = "a label in quotes or a weighted choice";
        return Err(ctx.wrong_type(path, item, what, &format!("{example} or {CHOICE_EXAMPLE}")));
    };
    let tbl = Tbl { ctx, t, path };
    tbl.check_keys(CHOICE_KEYS, "")?;
    let choice_path = join(path, "choice");
    let Some(choice_item) = tbl.item("choice") else {
        return Err(ctx.err(
            Class::Missing,
            &choice_path,
            format!("a weighted choice needs its labels; write e.g. {CHOICE_EXAMPLE}"),
        ));
    };
    let wrong_choice = || {
        let what = "a non-empty list of labels";
        ctx.wrong_type(&choice_path, choice_item, what, CHOICE_EXAMPLE)
    };
    let options = read_labels(ctx, choice_item, &choice_path, wrong_choice, |s| {
        check_label(ctx, s, &choice_path, allowed, example)
    })?;
    if options.is_empty() {
        return Err(wrong_choice());
    }
    let weights = match tbl.item("weights") {
        None => vec![1.0; options.len()],
        Some(w) => read_weights(ctx, w, &join(path, "weights"), options.len())?,
    };
    Ok(Label::Choice { options, weights })
}

/// The weights of a choice among `n` labels: one per label, finite, >= 0, with a positive sum.
fn read_weights(ctx: &Ctx, w: &Item, path: &str, n: usize) -> R<Vec<f64>> {
    let out_of_range = |message: String| ctx.err(Class::OutOfRange, path, message);
    let ws = numbers(w).ok_or_else(|| {
        ctx.wrong_type(path, w, "a list of numbers, one per choice", CHOICE_EXAMPLE)
    })?;
    if ws.len() != n {
        return Err(out_of_range(format!(
            "needs one weight per choice: {n} choices but {} weights",
            ws.len()
        )));
    }
    if let Some(x) = ws.iter().find(|x| !x.is_finite() || **x < 0.0) {
        return Err(out_of_range(format!(
            "weights must be finite and >= 0 (got {})",
            num(*x)
        )));
    }
    let total: f64 = ws.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(out_of_range(format!(
            "weights must sum to more than 0 (got {}); write e.g. {CHOICE_EXAMPLE}",
            num(total)
        )));
    }
    Ok(ws)
}

/// A label as TOML text.
pub(crate) fn label_text(l: &Label) -> String {
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
