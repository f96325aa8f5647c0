//! What each indicator and lens means, in words and units, for the charts (axis labels, titles)
//! and the reports: drawn from the indicator table (`metrics::indicators`), never declared
//! twice. Pure data, no drawing.

use crate::lang::{fill, Lang};
use crate::metrics::lens::{Class, Subject, ALL};

pub use crate::metrics::indicators::Kind;

/// How an indicator's values read (a level, a share, a count…), from the indicator table; an
/// unknown name reads as a level.
pub fn kind(name: &str) -> Kind {
    crate::metrics::indicator(name).map_or(Kind::Level, |i| i.kind)
}

/// Whom a series at a lens is about: the lens name read once, with the indicator it belongs to
/// (lens `all` pools the indicator's subject). Every wording of a lens comes from it: the
/// charts' short words ([`Whom::short`]), the reports' full words ([`Whom::words`]), both from
/// the catalogue, and the classroom page's key ([`Whom::key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whom<'a> {
    /// The members of one class: `newcomers`, `local_participants`, `volunteers`, `staff`.
    Class(Class),
    /// Lens `all`: the indicator's subject, pooled.
    All(Subject),
    /// Lens `all` of an indicator the table does not know: everyone.
    Everyone,
    /// Newcomers with one value of an attribute of `[output] by`: the cell, `gender=woman`.
    NewcomersWith(&'a str),
    /// The stereotype of one non-majority origin: its label.
    Origin(&'a str),
    /// A lens of no known form, as named.
    Other(&'a str),
}

impl<'a> Whom<'a> {
    /// Whom indicator `name` is about at `lens`.
    pub fn of(name: &str, lens: &'a str) -> Whom<'a> {
        if let Some(c) = Class::ALL.iter().find(|c| c.lens_name() == lens) {
            return Whom::Class(*c);
        }
        if lens == ALL {
            return crate::metrics::indicator(name).map_or(Whom::Everyone, |i| Whom::All(i.all));
        }
        if let Some(cell) = lens.strip_prefix("newcomers|") {
            return Whom::NewcomersWith(cell);
        }
        match lens.strip_prefix("origin=") {
            Some(origin) => Whom::Origin(origin),
            None => Whom::Other(lens),
        }
    }

    /// Whom the series is about where nobody is staff: the pooled volunteers and staff are the
    /// volunteers alone, so that no words name people who are not there.
    pub fn without_staff(self) -> Whom<'a> {
        match self {
            Whom::All(Subject::Hosts) => Whom::Class(Class::Volunteer),
            w => w,
        }
    }

    /// The key the classroom page words it by (its catalogue's `page.whom_<key>`):
    /// `newcomers`, `local_participants`, `volunteers`, `staff`, `hosts` (volunteers and staff),
    /// `all_participants`, `newcomers_with` (with [`Whom::arg`] `cell`), `origin` (`origin`),
    /// `lens` (`lens`).
    pub fn key(self) -> &'static str {
        match self {
            Whom::Class(c) => c.lens_name(),
            Whom::All(Subject::Hosts) => "hosts",
            Whom::All(Subject::Participants) | Whom::Everyone => "all_participants",
            Whom::NewcomersWith(_) => "newcomers_with",
            Whom::Origin(_) => "origin",
            Whom::Other(_) => "lens",
        }
    }

    /// The value its words insert, with its placeholder's name: the cell (`gender = woman`), the
    /// origin's label or the lens as named; None for a class or a subject.
    pub fn arg(self) -> Option<(&'static str, String)> {
        match self {
            Whom::NewcomersWith(cell) => Some(("cell", cell.replace('=', " = "))),
            Whom::Origin(origin) => Some(("origin", origin.to_string())),
            Whom::Other(lens) => Some(("lens", lens.to_string())),
            _ => None,
        }
    }

    /// Who it is in short words for titles, in `lang`: `newcomers`, `local participants`, `all
    /// participants`, `newcomers, gender = woman`, `origin syria`.
    pub fn short(self, lang: Lang) -> String {
        let key = match self {
            Whom::Class(Class::Newcomer) => "common.lens_newcomers",
            Whom::Class(Class::LocalParticipant) => "common.lens_local_participants",
            Whom::Class(Class::Volunteer) => "common.lens_volunteers",
            Whom::Class(Class::Staff) => "common.lens_staff",
            Whom::All(Subject::Hosts) => "common.lens_all_hosts",
            Whom::All(Subject::Participants) | Whom::Everyone => "common.lens_all_participants",
            Whom::NewcomersWith(_) => "common.lens_newcomers_with",
            Whom::Origin(_) => "common.lens_origin",
            Whom::Other(lens) => return lens.replace('=', " "),
        };
        self.worded(lang, key)
    }

    /// Who it is in full words for captions and reports, in `lang`: `newcomers (participants of
    /// a non-majority origin)`, `all volunteers and staff`, `the origin group syria`.
    pub fn words(self, lang: Lang) -> String {
        let key = match self {
            Whom::Class(Class::Newcomer) => return newcomers_words(lang).to_string(),
            Whom::Class(c) => c.words_key(),
            Whom::All(subject) => subject.words_key(),
            Whom::Everyone => "common.words_everyone",
            Whom::NewcomersWith(_) => "common.words_newcomers_with",
            Whom::Origin(_) => "common.words_origin",
            Whom::Other(lens) => return lens.to_string(),
        };
        self.worded(lang, key)
    }

    /// The catalogue string `key` in `lang` with [`Whom::arg`] filled in.
    fn worded(self, lang: Lang, key: &str) -> String {
        let arg = self.arg();
        let args: Vec<(&str, &dyn std::fmt::Display)> = arg
            .iter()
            .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
            .collect();
        fill(lang, key, &args)
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

/// A human title for any indicator name in `lang`: the catalogue's, or the name with spaces.
pub fn title_in(lang: Lang, name: &str) -> String {
    indicator_words(lang, name, "title")
        .map(str::to_string)
        .unwrap_or_else(|| name.replace('_', " "))
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

/// Who indicator `name` at `lens` is about, in short words for titles, in `lang`
/// ([`Whom::short`]).
pub fn lens_short_in(lang: Lang, name: &str, lens: &str) -> String {
    Whom::of(name, lens).short(lang)
}

/// Who indicator `name` at `lens` is about, in full words for captions and reports, in `lang`
/// ([`Whom::words`]).
pub fn lens_words_in(lang: Lang, name: &str, lens: &str) -> String {
    Whom::of(name, lens).words(lang)
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
        assert_eq!(title_in(Lang::En, "new_thing"), "new thing");
        assert_eq!(title_in(Lang::Nb, "new_thing"), "new thing");
        assert_eq!(title_in(Lang::En, "voice_parity"), "Voice parity");
        assert_eq!(kind("new_thing"), Kind::Level);
    }

    #[test]
    fn lenses_have_words() {
        let short = |name, lens| lens_short_in(Lang::En, name, lens);
        let words = |name, lens| lens_words_in(Lang::En, name, lens);
        assert_eq!(
            series_title_in(Lang::En, "voice_parity", "newcomers"),
            "Voice parity — newcomers"
        );
        assert_eq!(short("mean_agency", "all"), "all participants");
        assert_eq!(short("satisfaction", "all"), "volunteers and staff");
        assert_eq!(short("no_such_thing", "all"), "all participants");
        assert_eq!(
            short("voice_share", "local_participants"),
            "local participants"
        );
        assert_eq!(
            short("mean_agency", "newcomers|gender=woman"),
            "newcomers, gender = woman"
        );
        assert_eq!(short("stereotype", "origin=syria"), "origin syria");
        assert_eq!(short("mean_agency", "odd=lens"), "odd lens");
        assert!(words("mean_agency", "newcomers").contains("non-majority origin"));
        assert_eq!(words("satisfaction", "all"), "all volunteers and staff");
        assert_eq!(words("no_such_thing", "all"), "everyone");
        assert_eq!(
            words("stereotype", "origin=syria"),
            "the origin group syria"
        );
        assert_eq!(
            words("mean_agency", "newcomers|gender=woman"),
            "newcomers with gender = woman"
        );
        assert_eq!(words("mean_agency", "odd=lens"), "odd=lens");
        assert_eq!(
            lens_short_in(Lang::Nb, "stereotype", "origin=syria"),
            "opprinnelse syria"
        );
        assert_eq!(
            lens_short_in(Lang::Nb, "mean_agency", "newcomers|gender=woman"),
            "nyankomne, gender = woman"
        );
    }

    #[test]
    fn the_words_of_a_class_and_a_subject_are_the_catalogues() {
        for lang in Lang::ALL {
            for c in Class::ALL {
                assert!(lang.catalogue().contains_key(c.words_key()), "{c:?}");
                assert!(!Whom::Class(c).short(lang).contains("common."), "{c:?}");
            }
            for s in [Subject::Participants, Subject::Hosts] {
                assert!(lang.catalogue().contains_key(s.words_key()), "{s:?}");
            }
        }
        assert_eq!(
            Class::Newcomer.words(),
            "newcomers (participants of a non-majority origin)"
        );
    }

    #[test]
    fn without_staff_the_hosts_are_the_volunteers() {
        let hosts = Whom::of("founding_volunteers_retained", "all");
        assert_eq!(hosts.key(), "hosts");
        assert_eq!(hosts.without_staff(), Whom::Class(Class::Volunteer));
        assert_eq!(hosts.without_staff().key(), "volunteers");
        let staff = Whom::of("satisfaction", "staff");
        assert_eq!(staff.without_staff(), staff);
        let all = Whom::of("mean_agency", "all");
        assert_eq!(all.without_staff().key(), "all_participants");
    }
}
