//! What each indicator and lens means, in words and units, for the charts (axis labels, titles)
//! and the reports: drawn from the indicator table (`metrics::indicators`), never declared
//! twice. Pure data, no drawing.

use crate::lang::{fill, Lang};
use crate::metrics::lens::{Class, Subject, ALL};
use crate::metrics::INDICATORS;

pub use crate::metrics::indicators::Kind;

/// Plain-language description of one indicator (the table's words).
#[derive(Debug, Clone, Copy)]
pub struct IndicatorMeta {
    pub name: &'static str,
    /// Short title for charts, without the lens, e.g. "Voice parity".
    pub title: &'static str,
    /// Axis label with unit, e.g. "ratio (1 = parity)".
    pub unit: &'static str,
    /// One-line plain meaning for the report.
    pub meaning: &'static str,
    pub kind: Kind,
}

/// Description of an indicator; unknown names get a neutral description built from the name.
pub fn meta(name: &str) -> IndicatorMeta {
    INDICATORS
        .iter()
        .find(|i| i.name == name)
        .map(|i| IndicatorMeta {
            name: i.name,
            title: i.title(),
            unit: i.unit(),
            meaning: i.meaning(),
            kind: i.kind,
        })
        .unwrap_or(IndicatorMeta {
            name: "",
            title: "",
            unit: "value",
            meaning: "",
            kind: Kind::Level,
        })
}

/// A human title for any indicator name (the table's, or the name with spaces).
pub fn title(name: &str) -> String {
    let m = meta(name);
    if m.title.is_empty() {
        name.replace('_', " ")
    } else {
        m.title.to_string()
    }
}

/// Who a lens is, in short words for titles: `newcomers`, `local participants`, `all
/// participants`, `newcomers, gender = woman`, `origin syria`.
pub fn lens_short(name: &str, lens: &str) -> String {
    if let Some(c) = Class::ALL.iter().find(|c| c.lens_name() == lens) {
        return c.lens_name().replace('_', " ");
    }
    if lens == ALL {
        let all = crate::metrics::indicator(name).map(|i| i.all);
        return match all {
            Some(crate::metrics::lens::Subject::Hosts) => "volunteers and staff".into(),
            _ => "all participants".into(),
        };
    }
    if let Some(rest) = lens.strip_prefix("newcomers|") {
        return format!("newcomers, {}", rest.replace('=', " = "));
    }
    lens.replace('=', " ")
}

/// Who a lens is, in full words for captions and reports.
pub fn lens_words(name: &str, lens: &str) -> String {
    if let Some(c) = Class::ALL.iter().find(|c| c.lens_name() == lens) {
        return c.words().to_string();
    }
    if lens == ALL {
        return crate::metrics::indicator(name)
            .map(|i| i.all.words().to_string())
            .unwrap_or_else(|| "everyone".into());
    }
    if let Some(rest) = lens.strip_prefix("newcomers|") {
        return format!("newcomers with {}", rest.replace('=', " = "));
    }
    match lens.strip_prefix("origin=") {
        Some(o) => format!("the origin group {o}"),
        None => lens.to_string(),
    }
}

/// The catalogue key of an indicator's `field` (`title`, `unit`, `meaning`): every language declares them
/// in its `[indicator]` table (the English one is also what the indicator table reads).
pub fn indicator_key(name: &str, field: &str) -> String {
    format!("indicator.{name}.{field}")
}

/// An indicator's `field` in `lang`, or None for an indicator the catalogue does not know.
fn indicator_words(lang: Lang, name: &str, field: &str) -> Option<&'static str> {
    let key = indicator_key(name, field);
    lang.catalogue()
        .get(&key)
        .or_else(|| Lang::En.catalogue().get(&key))
        .map(String::as_str)
}

/// [`title`] in `lang`.
pub fn title_in(lang: Lang, name: &str) -> String {
    indicator_words(lang, name, "title")
        .map(str::to_string)
        .unwrap_or_else(|| title(name))
}

/// The axis label with unit of an indicator in `lang` ("value" for an unknown one).
pub fn unit_in(lang: Lang, name: &str) -> String {
    indicator_words(lang, name, "unit")
        .unwrap_or_else(|| lang.tr("common.value"))
        .to_string()
}

/// The one-line meaning of an indicator in `lang` ("" for an unknown indicator).
pub fn meaning_in(lang: Lang, name: &str) -> String {
    indicator_words(lang, name, "meaning")
        .unwrap_or_default()
        .to_string()
}

/// [`lens_short`] in `lang`.
pub fn lens_short_in(lang: Lang, name: &str, lens: &str) -> String {
    if lang == Lang::En {
        return lens_short(name, lens);
    }
    match lens {
        "newcomers" => return lang.tr("common.lens_newcomers").into(),
        "local_participants" => return lang.tr("common.lens_local_participants").into(),
        "volunteers" => return lang.tr("common.lens_volunteers").into(),
        "staff" => return lang.tr("common.lens_staff").into(),
        _ => {}
    }
    if lens == ALL {
        return match crate::metrics::indicator(name).map(|i| i.all) {
            Some(Subject::Hosts) => lang.tr("common.lens_all_hosts").into(),
            _ => lang.tr("common.lens_all_participants").into(),
        };
    }
    if let Some(rest) = lens.strip_prefix("newcomers|") {
        return format!(
            "{}, {}",
            lang.tr("common.lens_newcomers"),
            rest.replace('=', " = ")
        );
    }
    lens.replace('=', " ")
}

/// [`lens_words`] in `lang`.
pub fn lens_words_in(lang: Lang, name: &str, lens: &str) -> String {
    if lang == Lang::En {
        return lens_words(name, lens);
    }
    match lens {
        "newcomers" => return newcomers_words(lang).into(),
        "local_participants" | "volunteers" | "staff" => {
            return lang.tr(&format!("common.words_{lens}")).into()
        }
        _ => {}
    }
    if lens == ALL {
        return match crate::metrics::indicator(name).map(|i| i.all) {
            Some(Subject::Hosts) => lang.tr("common.words_all_hosts").into(),
            Some(Subject::Participants) => lang.tr("common.words_all_participants").into(),
            None => lang.tr("common.words_everyone").into(),
        };
    }
    if let Some(rest) = lens.strip_prefix("newcomers|") {
        return fill(
            lang,
            "common.words_newcomers_with",
            &[("cell", &rest.replace('=', " = "))],
        );
    }
    match lens.strip_prefix("origin=") {
        Some(o) => fill(lang, "common.words_origin", &[("origin", &o)]),
        None => lens.to_string(),
    }
}

/// A chart title for an indicator at a lens in `lang`: "Voice parity — newcomers".
pub fn series_title_in(lang: Lang, name: &str, lens: &str) -> String {
    format!(
        "{} \u{2014} {}",
        title_in(lang, name),
        lens_short_in(lang, name, lens)
    )
}

/// The headline's subject in words, as every summary says it, in `lang`.
pub fn newcomers_words(lang: Lang) -> &'static str {
    lang.tr("common.newcomers_words")
}

/// What the numbers are and are not, in two sentences, with the study (report, classroom
/// page), in `lang`.
pub fn not_a_forecast(lang: Lang) -> &'static str {
    lang.tr("common.not_a_forecast")
}

/// "final week" / "run mean", the scope of a per-replicate value, in `lang`.
pub fn scope_words(lang: Lang, scope: &str) -> String {
    match scope {
        "final_week" => lang.tr("common.scope_final_week").into(),
        "run_mean" => lang.tr("common.scope_run_mean").into(),
        other => fill(lang, "common.scope_other", &[("scope", &other)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_indicator_gets_a_title() {
        assert_eq!(title("new_thing"), "new thing");
        assert_eq!(title("voice_parity"), "Voice parity");
    }

    #[test]
    fn lenses_have_words() {
        assert_eq!(
            series_title_in(Lang::En, "voice_parity", "newcomers"),
            "Voice parity — newcomers"
        );
        assert_eq!(lens_short("mean_agency", "all"), "all participants");
        assert_eq!(lens_short("satisfaction", "all"), "volunteers and staff");
        assert_eq!(
            lens_short("mean_agency", "newcomers|gender=woman"),
            "newcomers, gender = woman"
        );
        assert!(lens_words("mean_agency", "newcomers").contains("non-majority origin"));
        assert_eq!(
            lens_words("stereotype", "origin=syria"),
            "the origin group syria"
        );
    }
}
