//! TOML text of single values, as `dugnad check` and the sweep identity write them: strings,
//! numbers, lists and keys, each exactly as `toml_edit` formats it, so that reading the text
//! back yields the same value.

use std::fmt::Write as _;
use toml_edit::Value;

/// Appends the line `key = value`.
pub(crate) fn kv(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {value}");
}

/// A key, quoted only when it has to be.
pub(crate) fn tkey(k: &str) -> String {
    toml_edit::Key::new(k).display_repr().into_owned()
}

/// A string in quotes.
pub(crate) fn tstr(s: &str) -> String {
    Value::from(s).to_string()
}

/// A float, with as many digits as it takes to read back the same number.
pub(crate) fn tf64(x: f64) -> String {
    Value::from(x).to_string()
}

/// A list of strings.
pub(crate) fn tlist(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| tstr(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// A list of floats.
pub(crate) fn tnums(xs: &[f64]) -> String {
    let parts: Vec<String> = xs.iter().map(|x| tf64(*x)).collect();
    format!("[{}]", parts.join(", "))
}

/// The canonical text of a TOML value: floats in shortest round-trip form, the rest as written
/// without surrounding whitespace or comments; a non-finite float is refused.
pub(crate) fn canonical_value(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Float(f) => {
            let x = *f.value();
            if !x.is_finite() {
                return Err(format!("{x} is not a finite number"));
            }
            format!("{x:?}")
        }
        Value::Integer(i) => i.value().to_string(),
        other => {
            let mut v = other.clone();
            v.decor_mut().clear();
            v.to_string().trim().to_string()
        }
    })
}
