//! The words of the user interface, in each language: one catalogue per language
//! (`en.toml`, `nb.toml`, bundled into the binary), looked up by key.
//!
//! A key names one user-facing string (`report.title`, `chart.week_axis`); the same keys exist in
//! every catalogue (`tests/lang.rs` fails on a key missing in either, on a key used in `src/` but
//! declared in neither, and on placeholders that differ between languages). Placeholders are
//! written `{name}` and filled by [`fill`]. Indicator keys, CSV columns and scenario keys are never
//! translated: they are the data's vocabulary, not the interface's.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// A language of the user interface. English is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Norwegian bokmål.
    Nb,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nb];

    /// The language's code as `--lang` takes it and HTML's `lang` attribute wants it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }

    /// The catalogue's source text (TOML).
    pub fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("en.toml"),
            Lang::Nb => include_str!("nb.toml"),
        }
    }

    /// The catalogue: every key (dotted, `section.name`) with its string.
    pub fn catalogue(self) -> &'static BTreeMap<String, String> {
        static CATALOGUES: [OnceLock<BTreeMap<String, String>>; 2] =
            [OnceLock::new(), OnceLock::new()];
        CATALOGUES[self as usize].get_or_init(|| parse_catalogue(self.source()))
    }

    /// The string of `key` in this language. A key missing here falls back to English, then to
    /// the key itself, so the interface never breaks (`tests/lang.rs` makes sure neither happens).
    pub fn tr(self, key: &str) -> &str {
        match self
            .catalogue()
            .get(key)
            .or_else(|| Lang::En.catalogue().get(key))
        {
            Some(s) => s,
            None => key,
        }
    }

    /// A number written for people (never for a file that is read back) with this language's
    /// decimal mark: `0.25` stays `0.25` in English and becomes `0,25` in bokmål. The formatters
    /// write no thousands separator, so a number's one point is its decimal point, and a label
    /// with several numbers ("0.2–0.4 %") is converted whole.
    pub fn number(self, text: &str) -> String {
        match self {
            Lang::En => text.to_string(),
            Lang::Nb => decimal_comma(text),
        }
    }

    /// The strings of one section (`page` → every `page.*` key, the prefix removed), for an
    /// interface that takes a whole section at once (the classroom page).
    pub fn section(self, section: &str) -> BTreeMap<&'static str, &'static str> {
        let prefix = format!("{section}.");
        self.catalogue()
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|k| (k, v.as_str())))
            .collect()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a language code was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        write!(
            f,
            "unknown language '{}' (choose one of: {})",
            self.0,
            codes.join(", ")
        )
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// `en`, `nb`; also `no`, `nb-NO`, `en-GB` and the like, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Ok(Lang::En),
            "nb" | "no" => Ok(Lang::Nb),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

/// The string of `key` in `lang` with each `{name}` replaced by its value.
pub fn fill(lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = lang.tr(key).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// `text` with the decimal point of every number turned into a comma. A number is a run of
/// digits with one point inside; a run with several points (a version `0.1.0`, an address) or
/// touching a letter, `_` or `/` (a DOI `10.33134/njmr.436`, a name `r0.5`) is not a number
/// and is left alone.
fn decimal_comma(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphabetic() || *c == '_' || *c == '/');
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        // A trailing point ends a sentence, not a number.
        let mut end = i;
        while end > start + 1 && chars[end - 1] == '.' {
            end -= 1;
        }
        let run = &chars[start..end];
        let points = run.iter().filter(|c| **c == '.').count();
        let identifier =
            word(start.checked_sub(1).and_then(|k| chars.get(k))) || word(chars.get(end));
        for &c in run {
            out.push(if c == '.' && points == 1 && !identifier {
                ','
            } else {
                c
            });
        }
        out.extend(&chars[end..i]);
    }
    out
}

/// The placeholders (`{name}`) of a string, in order of appearance.
pub fn placeholders(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name);
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// Flattens a catalogue's TOML into dotted keys. The catalogues are bundled and tested, so a
/// malformed one is a build defect: it fails `tests/lang.rs` and every test that draws text.
fn parse_catalogue(text: &str) -> BTreeMap<String, String> {
    let table: toml::Table = text
        .parse()
        .expect("bundled language catalogue is valid TOML");
    let mut out = BTreeMap::new();
    flatten("", &table, &mut out);
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out),
            other => panic!("language catalogue: {key} is {other}, not a string"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_regional_forms_are_accepted() {
        for l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
        }
        assert_eq!("nb-NO".parse::<Lang>(), Ok(Lang::Nb));
        assert_eq!("NO".parse::<Lang>(), Ok(Lang::Nb));
        assert_eq!("en_GB".parse::<Lang>(), Ok(Lang::En));
        let err = "de".parse::<Lang>().unwrap_err().to_string();
        assert!(err.contains("'de'") && err.contains("en, nb"), "{err}");
    }

    #[test]
    fn lookups_fill_placeholders_and_fall_back() {
        assert_eq!(Lang::En.tr("common.language"), "English");
        assert_eq!(Lang::Nb.tr("common.language"), "norsk bokmål");
        assert_eq!(Lang::Nb.tr("no.such.key"), "no.such.key");
        assert_eq!(
            placeholders("{a} of {b_2} {not a name} {"),
            vec!["a", "b_2"]
        );
        assert_eq!(Lang::En.number("0.25 [0.1, 1.5]"), "0.25 [0.1, 1.5]");
        assert_eq!(
            Lang::Nb.number("0.25 [0.1, 1.5] in 3. uke."),
            "0,25 [0,1, 1,5] in 3. uke."
        );
        assert_eq!(
            Lang::Nb.number("dugnad 0.1.0, doi 10.33134/njmr.436, r0.5: 2.5."),
            "dugnad 0.1.0, doi 10.33134/njmr.436, r0.5: 2,5."
        );
        let s = fill(Lang::Nb, "common.weeks", &[("n", &52)]);
        assert_eq!(s, "52 uker");
        assert!(Lang::En.section("common").contains_key("language"));
    }
}
