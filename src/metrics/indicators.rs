//! The indicator table: one declaration per indicator — name, range, the lenses it applies to,
//! the desired direction, its formula (as text and as code) and the mechanisms it measures; its
//! words (title, unit, meaning, and the classroom's shorter ones) are the language catalogues'
//! `[indicator]` and `[page]` keys named after it. The CSV rows, the codebook,
//! `docs/indicators.md`, chart titles, report cards and the classroom's labels are all drawn
//! from them.
//!
//! A formula is a function of the sums of one lens ([`LensTally`]) and of the week
//! ([`WeekTally`]), read through [`Sums`]; [`super::series::Layout`] evaluates every (indicator, lens) pair of a
//! scenario, NA where the lens has nobody in it.

use super::lens::{Basis, LensSet, Subject};
use super::observe::{LensTally, OriginTally, WeekTally};
use crate::lang::Lang;

/// How an indicator's values are scaled; decides axis range, tick format and reference lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A share or proportion in [0, 1], shown as a percentage.
    Share,
    /// A level on a 0–1 scale (agency, language, an index), shown as a decimal.
    Level,
    /// A ratio where 1 means parity (drawn with a reference line at 1).
    Ratio,
    /// A signed difference where 0 means no difference (reference line at 0).
    Signed,
    /// A count of persons or events per group (axis starts at 0).
    Count,
    /// A rate or duration with no upper bound (axis starts at 0).
    Rate,
}

/// Which way is better, seen from the newcomers (the forest plot's colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    HigherIsBetter,
    HigherIsWorse,
    Neither,
}

impl Direction {
    pub fn words(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher is better",
            Direction::HigherIsWorse => "higher is worse",
            Direction::Neither => "neither",
        }
    }
}

/// The section of `docs/indicators.md` an indicator is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Voice,
    Help,
    Agenda,
    Agency,
    Beliefs,
    Ties,
    Learning,
    Attendance,
    Transitions,
    Volunteers,
    Composite,
}

impl Topic {
    /// Every topic, in the order of `docs/indicators.md`.
    pub const ALL: [Topic; 11] = [
        Topic::Voice,
        Topic::Help,
        Topic::Agenda,
        Topic::Agency,
        Topic::Beliefs,
        Topic::Ties,
        Topic::Learning,
        Topic::Attendance,
        Topic::Transitions,
        Topic::Volunteers,
        Topic::Composite,
    ];

    /// The heading in `docs/indicators.md`.
    pub fn heading(self) -> &'static str {
        match self {
            Topic::Voice => "Voice and being spoken for (M1: talk, \"finishing her sentence\")",
            Topic::Help => "Help and dependency (M2)",
            Topic::Agenda => "Agenda (M6: rules, player, judge)",
            Topic::Agency => "Agency (M1, M2, M6, M8)",
            Topic::Beliefs => "Beliefs: minoritization (M4, M5)",
            Topic::Ties => "Ties and doors opened (M8; Ager & Strang 2008)",
            Topic::Learning => "Language, know-how and belonging (M7, M2, M5)",
            Topic::Attendance => "Attendance and participation (M8, M3)",
            Topic::Transitions => "Role transitions (M8)",
            Topic::Volunteers => "Volunteers and staff (M3)",
            Topic::Composite => "Composite indices",
        }
    }
}

/// What a formula reads: the sums of its lens, of the whole week, of volunteers and staff
/// together (the comparison point of `spoken_for_ratio`), and for an origin lens that origin's
/// stereotype sums.
pub struct Sums<'a> {
    pub lens: &'a LensTally,
    pub week: &'a WeekTally,
    pub hosts: &'a LensTally,
    pub origin: Option<&'a OriginTally>,
}

/// One indicator.
#[derive(Clone, Copy)]
pub struct Indicator {
    pub name: &'static str,
    pub kind: Kind,
    /// The range of its values, as text.
    pub range: &'static str,
    pub lenses: LensSet,
    /// What lens `all` pools.
    pub all: Subject,
    /// Which membership decides whether a lens is empty (NA) in a week.
    pub basis: Basis,
    pub direction: Direction,
    pub topic: Topic,
    /// The mechanisms it measures (MODEL.md §3).
    pub mechanisms: &'static str,
    /// The formula in the tally's words (docs/indicators.md).
    pub formula_text: &'static str,
    pub formula: fn(&Sums) -> f64,
}

impl Indicator {
    /// Short title for charts, without the lens ("Voice parity"), in English: the catalogue's
    /// `indicator.<name>.title` (`src/lang/en.toml`, the one declaration of the words; other
    /// languages in theirs).
    pub fn title(&self) -> &'static str {
        self.words(Lang::En, "title")
    }

    /// Axis label with unit, in English: the catalogue's `indicator.<name>.unit`.
    pub fn unit(&self) -> &'static str {
        self.words(Lang::En, "unit")
    }

    /// One-line plain meaning, lens-free, in English: the catalogue's `indicator.<name>.meaning`.
    pub fn meaning(&self) -> &'static str {
        self.words(Lang::En, "meaning")
    }

    /// The indicator's `field` (`title`, `unit`, `meaning`) in `lang`; "" when no catalogue has it.
    pub fn words(&self, lang: Lang, field: &str) -> &'static str {
        let key = format!("indicator.{}.{field}", self.name);
        match lang
            .catalogue()
            .get(&key)
            .or_else(|| Lang::En.catalogue().get(&key))
        {
            Some(s) => s,
            None => "",
        }
    }

    /// The value at one lens.
    pub fn value(&self, v: &Sums) -> f64 {
        (self.formula)(v)
    }
}

/// a ÷ b, NaN when b is 0.
#[inline]
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// min(x, 1) that keeps NaN (f64::min would turn an undefined value into 1).
#[inline]
fn cap1(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else {
        x.min(1.0)
    }
}

/// Mean of the defined (non-NaN) terms; NaN if none.
fn mean_defined(xs: &[f64]) -> f64 {
    let (s, n) = xs
        .iter()
        .filter(|x| !x.is_nan())
        .fold((0.0, 0), |(s, n), x| (s + x, n + 1));
    ratio(s, n as f64)
}

/// A count per group.
#[inline]
fn per_group(x: f64, v: &Sums) -> f64 {
    ratio(x, v.week.group.groups)
}

fn voice_share(v: &Sums) -> f64 {
    ratio(v.lens.voice, v.week.group.turns)
}

fn voice_parity(v: &Sums) -> f64 {
    ratio(
        voice_share(v),
        ratio(v.lens.presence, v.week.group.presence),
    )
}

fn spoken_for_rate(v: &Sums) -> f64 {
    ratio(v.lens.spoken_for, v.lens.floors)
}

fn completed_turn_share(v: &Sums) -> f64 {
    ratio(v.lens.floors - v.lens.spoken_for, v.lens.floors)
}

fn dependency_help_share(v: &Sums) -> f64 {
    ratio(v.lens.help_dependency, v.lens.help)
}

fn proposals_adopted_share(v: &Sums) -> f64 {
    ratio(v.lens.adopted, v.week.group.decisions)
}

fn mean_agency(v: &Sums) -> f64 {
    ratio(v.lens.agency, v.lens.members)
}

fn mean_p_indep(v: &Sums) -> f64 {
    ratio(v.lens.p_indep, v.lens.members)
}

fn competence_gap(v: &Sums) -> f64 {
    ratio(v.lens.gap, v.lens.pairs)
}

fn us_them_distance(v: &Sums) -> f64 {
    ratio(v.lens.us_them, v.lens.pairs)
}

fn limbo_share(v: &Sums) -> f64 {
    cap1(ratio(v.lens.limbo, v.lens.entered))
}

/// Defaults of a participant indicator.
const P: Indicator = Indicator {
    name: "",
    kind: Kind::Level,
    range: "[0, 1]",
    lenses: LensSet::PARTICIPANTS,
    all: Subject::Participants,
    basis: Basis::Current,
    direction: Direction::HigherIsBetter,
    topic: Topic::Agency,
    mechanisms: "",
    formula_text: "",
    formula: |_| f64::NAN,
};

/// Defaults of a volunteer (and staff) indicator.
const H: Indicator = Indicator {
    lenses: LensSet::HOSTS,
    all: Subject::Hosts,
    topic: Topic::Volunteers,
    mechanisms: "M3",
    ..P
};

/// Defaults of a door opened to those who entered as newcomers (housing, a job): persons per
/// group and week, counted by how they entered.
const DOOR: Indicator = Indicator {
    kind: Kind::Count,
    range: "≥ 0",
    lenses: LensSet::NEWCOMERS_ONLY,
    basis: Basis::Entry,
    topic: Topic::Ties,
    mechanisms: "M8",
    ..P
};

/// Defaults of a participant lost to the activity (dropped out, stranded): persons per group
/// and week.
const LOSS: Indicator = Indicator {
    kind: Kind::Count,
    range: "≥ 0",
    direction: Direction::HigherIsWorse,
    topic: Topic::Attendance,
    mechanisms: "M3",
    ..P
};

/// Every indicator, in output order. `docs/indicators.md` documents each (its generated
/// block is [`markdown`]).
pub const INDICATORS: &[Indicator] = &[
    // ---- Voice (M1) ----
    Indicator {
        name: "voice_share",
        kind: Kind::Share,
        lenses: LensSet::TALK,
        topic: Topic::Voice,
        mechanisms: "M1",
        formula_text: "voice / turns",
        formula: voice_share,
        ..P
    },
    Indicator {
        name: "voice_parity",
        kind: Kind::Ratio,
        range: "[0, ∞)",
        lenses: LensSet::TALK,
        topic: Topic::Voice,
        mechanisms: "M1",
        formula_text: "(voice / turns) / (presence / presence of everyone)",
        formula: voice_parity,
        ..P
    },
    Indicator {
        name: "spoken_for_rate",
        kind: Kind::Share,
        lenses: LensSet::TALK,
        direction: Direction::HigherIsWorse,
        topic: Topic::Voice,
        mechanisms: "M1",
        formula_text: "spoken_for / floors",
        formula: spoken_for_rate,
        ..P
    },
    Indicator {
        name: "spoken_for_ratio",
        kind: Kind::Ratio,
        range: "[0, ∞)",
        direction: Direction::HigherIsWorse,
        topic: Topic::Voice,
        mechanisms: "M1",
        formula_text: "spoken_for_rate of the lens / spoken_for_rate of volunteers and staff together",
        formula: |v| ratio(spoken_for_rate(v), ratio(v.hosts.spoken_for, v.hosts.floors)),
        ..P
    },
    Indicator {
        name: "takeover_share",
        kind: Kind::Share,
        lenses: LensSet::TALK,
        direction: Direction::Neither,
        topic: Topic::Voice,
        mechanisms: "M1",
        formula_text: "took_over / Σ took_over over the four classes",
        formula: |v| {
            let all: f64 = v.week.classes.iter().map(|c| c.took_over).sum();
            ratio(v.lens.took_over, all)
        },
        ..P
    },
    Indicator {
        name: "completed_turn_share",
        kind: Kind::Share,
        topic: Topic::Voice,
        mechanisms: "M1",
        formula_text: "(floors − spoken_for) / floors",
        formula: completed_turn_share,
        ..P
    },
    // ---- Help (M2) ----
    Indicator {
        name: "dependency_help_share",
        kind: Kind::Share,
        direction: Direction::HigherIsWorse,
        topic: Topic::Help,
        mechanisms: "M2",
        formula_text: "help_dependency / help (help received)",
        formula: dependency_help_share,
        ..P
    },
    Indicator {
        name: "unsolicited_help_share",
        kind: Kind::Share,
        direction: Direction::HigherIsWorse,
        topic: Topic::Help,
        mechanisms: "M2",
        formula_text: "help_unsolicited / help",
        formula: |v| ratio(v.lens.help_unsolicited, v.lens.help),
        ..P
    },
    Indicator {
        name: "help_episodes",
        kind: Kind::Count,
        range: "≥ 0",
        direction: Direction::Neither,
        topic: Topic::Help,
        mechanisms: "M2",
        formula_text: "help / groups",
        formula: |v| per_group(v.lens.help, v),
        ..P
    },
    // ---- Agenda (M6) ----
    Indicator {
        name: "proposals_adopted_share",
        kind: Kind::Share,
        lenses: LensSet::TALK,
        topic: Topic::Agenda,
        mechanisms: "M6",
        formula_text: "adopted / decisions",
        formula: proposals_adopted_share,
        ..P
    },
    // ---- Agency ----
    Indicator {
        name: "mean_agency",
        topic: Topic::Agency,
        mechanisms: "M1, M2, M6, M8",
        formula_text: "agency / members",
        formula: mean_agency,
        ..P
    },
    Indicator {
        name: "agency_gini",
        range: "[0, 1)",
        direction: Direction::HigherIsWorse,
        topic: Topic::Agency,
        mechanisms: "M1, M2",
        formula_text: "gini_weighted / members",
        formula: |v| ratio(v.lens.gini_weighted, v.lens.members),
        ..P
    },
    Indicator {
        name: "mean_p_indep",
        topic: Topic::Agency,
        mechanisms: "M2",
        formula_text: "p_indep / members",
        formula: mean_p_indep,
        ..P
    },
    // ---- Beliefs (M4, M5) ----
    Indicator {
        name: "perceived_competence_gap",
        kind: Kind::Signed,
        range: "[−1, 1]",
        direction: Direction::HigherIsWorse,
        topic: Topic::Beliefs,
        mechanisms: "M4, M6",
        formula_text: "gap / pairs = mean (c_j − ĉ_vj)",
        formula: competence_gap,
        ..P
    },
    Indicator {
        name: "stereotype",
        lenses: LensSet::PARTICIPANTS.with_origins(),
        topic: Topic::Beliefs,
        mechanisms: "M4, M5",
        formula_text: "participant lenses: stereotype / pairs, μ_v(origin of j) over (volunteer or staff v, member j) pairs; origin=<G>: mean μ_v(G) over active volunteers and staff of the groups a participant of G entered",
        formula: |v| match v.origin {
            Some(o) => ratio(o.stereotype, o.holders),
            None => ratio(v.lens.stereotype, v.lens.pairs),
        },
        ..P
    },
    Indicator {
        name: "limbo_count",
        kind: Kind::Count,
        range: "≥ 0",
        basis: Basis::Entry,
        direction: Direction::HigherIsWorse,
        topic: Topic::Beliefs,
        mechanisms: "M4",
        formula_text: "limbo / groups (by entry)",
        formula: |v| per_group(v.lens.limbo, v),
        ..P
    },
    Indicator {
        name: "us_them_distance",
        direction: Direction::HigherIsWorse,
        topic: Topic::Beliefs,
        mechanisms: "M4, M5",
        formula_text: "us_them / pairs = mean (1 − w_vj)",
        formula: us_them_distance,
        ..P
    },
    // ---- Ties (M8) ----
    Indicator {
        name: "bonding_tie_strength",
        topic: Topic::Ties,
        mechanisms: "M8",
        formula_text: "bonding / bonding_pairs",
        formula: |v| ratio(v.lens.bonding, v.lens.bonding_pairs),
        ..P
    },
    Indicator {
        name: "bridging_tie_strength",
        topic: Topic::Ties,
        mechanisms: "M8",
        formula_text: "bridging / bridging_pairs",
        formula: |v| ratio(v.lens.bridging, v.lens.bridging_pairs),
        ..P
    },
    Indicator {
        name: "linking_tie_strength",
        lenses: LensSet::NEWCOMERS_ONLY,
        topic: Topic::Ties,
        mechanisms: "M8",
        formula_text: "linking / linking_pairs",
        formula: |v| ratio(v.lens.linking, v.lens.linking_pairs),
        ..P
    },
    Indicator {
        name: "tie_share_to_locals",
        kind: Kind::Share,
        direction: Direction::Neither,
        topic: Topic::Ties,
        mechanisms: "M8",
        formula_text: "local_tie_share / tied",
        formula: |v| ratio(v.lens.local_tie_share, v.lens.tied),
        ..P
    },
    Indicator {
        name: "doors_opened",
        formula_text: "(housing + job) / groups (by entry)",
        formula: |v| per_group(v.lens.housing + v.lens.job, v),
        ..DOOR
    },
    Indicator {
        name: "housing_events",
        formula_text: "housing / groups (by entry)",
        formula: |v| per_group(v.lens.housing, v),
        ..DOOR
    },
    Indicator {
        name: "job_events",
        formula_text: "job / groups (by entry)",
        formula: |v| per_group(v.lens.job, v),
        ..DOOR
    },
    // ---- Learning (M7, M2, M5) ----
    Indicator {
        name: "mean_language",
        topic: Topic::Learning,
        mechanisms: "M7",
        formula_text: "language / members",
        formula: |v| ratio(v.lens.language, v.lens.members),
        ..P
    },
    Indicator {
        name: "language_gain",
        kind: Kind::Signed,
        range: "[−1, 1]",
        topic: Topic::Learning,
        mechanisms: "M7",
        formula_text: "language_gain / members = mean (L now − L at entry)",
        formula: |v| ratio(v.lens.language_gain, v.lens.members),
        ..P
    },
    Indicator {
        name: "mean_knowhow",
        topic: Topic::Learning,
        mechanisms: "M2",
        formula_text: "knowhow / members",
        formula: |v| ratio(v.lens.knowhow, v.lens.members),
        ..P
    },
    Indicator {
        name: "mean_belonging",
        topic: Topic::Learning,
        mechanisms: "M5, M3",
        formula_text: "belonging / members",
        formula: |v| ratio(v.lens.belonging, v.lens.members),
        ..P
    },
    // ---- Attendance (M8, M3) ----
    Indicator {
        name: "attendance_rate",
        kind: Kind::Share,
        topic: Topic::Attendance,
        mechanisms: "M8",
        formula_text: "attended / attend_possible",
        formula: |v| ratio(v.lens.attended, v.lens.attend_possible),
        ..P
    },
    Indicator {
        name: "participants_active",
        kind: Kind::Count,
        range: "≥ 0",
        direction: Direction::Neither,
        topic: Topic::Attendance,
        mechanisms: "M3",
        formula_text: "members / groups",
        formula: |v| per_group(v.lens.members, v),
        ..P
    },
    Indicator {
        name: "dropouts",
        formula_text: "dropouts / groups",
        formula: |v| per_group(v.lens.dropouts, v),
        ..LOSS
    },
    Indicator {
        name: "stranded",
        formula_text: "stranded / groups",
        formula: |v| per_group(v.lens.stranded, v),
        ..LOSS
    },
    // ---- Transitions (M8) ----
    Indicator {
        name: "role_transitions",
        kind: Kind::Count,
        range: "≥ 0",
        basis: Basis::Entry,
        topic: Topic::Transitions,
        mechanisms: "M8",
        formula_text: "transitions / groups (by entry)",
        formula: |v| per_group(v.lens.transitions, v),
        ..P
    },
    Indicator {
        name: "co_organizers",
        kind: Kind::Count,
        range: "≥ 0",
        topic: Topic::Transitions,
        mechanisms: "M8",
        formula_text: "co_organizers / groups",
        formula: |v| per_group(v.lens.co_organizers, v),
        ..P
    },
    // ---- Volunteers and staff (M3) ----
    Indicator {
        name: "volunteers_active",
        kind: Kind::Count,
        range: "≥ 0",
        formula_text: "members / groups",
        formula: |v| per_group(v.lens.members, v),
        ..H
    },
    Indicator {
        name: "founding_volunteers_retained",
        kind: Kind::Share,
        formula_text: "founding_active / founding",
        formula: |v| ratio(v.lens.founding_active, v.lens.founding),
        ..H
    },
    Indicator {
        name: "annual_attrition",
        kind: Kind::Rate,
        range: "≥ 0",
        direction: Direction::HigherIsWorse,
        formula_text: "52 × cum_withdrawals / cum_weeks",
        formula: |v| 52.0 * ratio(v.lens.cum_withdrawals, v.lens.cum_weeks),
        ..H
    },
    Indicator {
        name: "mean_tenure_weeks",
        kind: Kind::Rate,
        range: "≥ 1",
        formula_text: "cum_tenure / cum_withdrawals",
        formula: |v| ratio(v.lens.cum_tenure, v.lens.cum_withdrawals),
        ..H
    },
    Indicator {
        name: "satisfaction",
        formula_text: "satisfaction / members",
        formula: |v| ratio(v.lens.satisfaction, v.lens.members),
        ..H
    },
    Indicator {
        name: "burden",
        kind: Kind::Rate,
        range: "≥ 0",
        direction: Direction::HigherIsWorse,
        formula_text: "burden / members",
        formula: |v| ratio(v.lens.burden, v.lens.members),
        ..H
    },
    Indicator {
        name: "withdrawals",
        kind: Kind::Count,
        range: "≥ 0",
        direction: Direction::HigherIsWorse,
        formula_text: "withdrawals / groups",
        formula: |v| per_group(v.lens.withdrawals, v),
        ..H
    },
    // ---- Composite ----
    Indicator {
        name: "agency_index",
        topic: Topic::Composite,
        mechanisms: "M1, M2, M6",
        formula_text: "mean of the defined among: mean_agency, mean_p_indep, completed_turn_share, min(voice_parity, 1), proposals_adopted_share (of the lens)",
        formula: |v| {
            mean_defined(&[
                mean_agency(v),
                mean_p_indep(v),
                completed_turn_share(v),
                cap1(voice_parity(v)),
                proposals_adopted_share(v),
            ])
        },
        ..P
    },
    Indicator {
        name: "minoritization_index",
        direction: Direction::HigherIsWorse,
        topic: Topic::Composite,
        mechanisms: "M1, M2, M4, M5",
        formula_text: "mean of the defined among: spoken_for_rate, dependency_help_share, clamp(2·perceived_competence_gap, 0, 1), min(limbo / entered, 1), us_them_distance (of the lens)",
        formula: |v| {
            mean_defined(&[
                spoken_for_rate(v),
                dependency_help_share(v),
                (2.0 * competence_gap(v)).clamp(0.0, 1.0),
                limbo_share(v),
                us_them_distance(v),
            ])
        },
        ..P
    },
];

/// Number of indicators.
pub const N_INDICATORS: usize = INDICATORS.len();

/// Position of an indicator by name.
pub fn indicator_index(name: &str) -> Option<usize> {
    INDICATORS.iter().position(|i| i.name == name)
}

/// An indicator by name.
pub fn indicator(name: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.name == name)
}

/// Every indicator's name, in output order.
pub fn indicator_names() -> Vec<&'static str> {
    INDICATORS.iter().map(|i| i.name).collect()
}

/// The lens an indicator is shown at by default: `newcomers` where it has that lens (the
/// headline), else `all`.
pub fn headline_lens(ind: &Indicator) -> &'static str {
    if ind.lenses.has(LensSet::NEWCOMERS) {
        super::lens::Class::Newcomer.lens_name()
    } else {
        super::lens::ALL
    }
}

/// An indicator's lenses in words, for the docs and the codebook: e.g. `newcomers,
/// local_participants, all (participants), newcomers|<attribute>=<value>`.
pub fn lens_list(ind: &Indicator) -> String {
    ind.lenses
        .names()
        .into_iter()
        .map(|l| {
            if l == super::lens::ALL {
                match ind.all {
                    Subject::Participants => "all (participants)".to_string(),
                    Subject::Hosts => "all (volunteers and staff)".to_string(),
                }
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The indicator reference of `docs/indicators.md` (between its `indicators:begin` and
/// `indicators:end` markers), generated from the table: one section per topic, one row per
/// indicator. `tests/docs.rs` fails when the file and the table differ (`dugnad indicators
/// --markdown`, `docs/regen-params.sh` regenerates it).
pub fn markdown() -> String {
    let mut out = String::new();
    for topic in Topic::ALL {
        out.push_str(&format!("\n### {}\n\n", topic.heading()));
        out.push_str(
            "| indicator | formula | range | lenses | direction | reading | M |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for i in INDICATORS.iter().filter(|i| i.topic == topic) {
            let basis = match i.basis {
                Basis::Entry => " Counted by how they entered (as newcomers or local participants), also after stepping up.",
                Basis::Current => "",
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} ({}){} | {} |\n",
                i.name,
                i.formula_text,
                i.range,
                lens_list(i),
                i.direction.words(),
                i.meaning(),
                i.unit(),
                basis,
                i.mechanisms
            ));
        }
    }
    out.push('\n');
    out
}

/// A place that shows a selection of the key indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The headline: printed after `run` and `compare`, one panel each in sweep charts.
    Headline,
    /// The "at a glance" cards that open a run's report.
    Glance,
    /// A run's trajectory charts (the small multiples, and one chart each).
    Trajectory,
    /// A run's histograms of the final week across replicates.
    Distribution,
    /// What `dugnad sensitivity` analyses when no `--indicator` is named, outcomes first.
    Sensitivity,
    /// What the classroom page charts by default.
    Classroom,
}

/// A key indicator: one of [`INDICATORS`] and the views that show it (at its
/// [`headline_lens`]).
#[derive(Clone, Copy, Debug)]
pub struct KeyIndicator {
    pub name: &'static str,
    views: &'static [View],
    /// Position among the sensitivity defaults (which list the outcomes first), if one.
    sensitivity: Option<u8>,
}

impl KeyIndicator {
    const fn new(name: &'static str, views: &'static [View]) -> KeyIndicator {
        KeyIndicator {
            name,
            views,
            sensitivity: None,
        }
    }

    /// Also analysed by default in a sensitivity analysis, at position `rank`.
    const fn sensitivity(self, rank: u8) -> KeyIndicator {
        KeyIndicator {
            sensitivity: Some(rank),
            ..self
        }
    }

    /// Whether `view` shows this indicator.
    pub fn in_view(&self, view: View) -> bool {
        match view {
            View::Sensitivity => self.sensitivity.is_some(),
            v => self.views.contains(&v),
        }
    }
}

use View::{Classroom, Distribution, Glance, Headline, Trajectory};

/// The key indicators, in [`INDICATORS`] order: the one list every view's selection comes from
/// (see [`key_indicators`]).
pub const KEY_INDICATORS: &[KeyIndicator] = &[
    KeyIndicator::new("voice_parity", &[Headline, Glance, Trajectory, Classroom]).sensitivity(3),
    KeyIndicator::new(
        "spoken_for_rate",
        &[Headline, Glance, Trajectory, Classroom],
    ),
    KeyIndicator::new("spoken_for_ratio", &[Glance]),
    KeyIndicator::new(
        "dependency_help_share",
        &[Headline, Glance, Trajectory, Classroom],
    )
    .sensitivity(4),
    KeyIndicator::new(
        "mean_agency",
        &[Headline, Glance, Trajectory, Distribution, Classroom],
    )
    .sensitivity(0),
    KeyIndicator::new("perceived_competence_gap", &[Glance, Trajectory]),
    KeyIndicator::new("limbo_count", &[Headline, Trajectory]),
    KeyIndicator::new(
        "bridging_tie_strength",
        &[Headline, Glance, Trajectory, Classroom],
    ),
    KeyIndicator::new("language_gain", &[Trajectory]),
    KeyIndicator::new("volunteers_active", &[Trajectory]),
    KeyIndicator::new("founding_volunteers_retained", &[Glance, Classroom]),
    KeyIndicator::new("annual_attrition", &[Headline]).sensitivity(5),
    KeyIndicator::new(
        "agency_index",
        &[Headline, Glance, Trajectory, Distribution],
    )
    .sensitivity(2),
    KeyIndicator::new(
        "minoritization_index",
        &[Headline, Glance, Trajectory, Distribution],
    )
    .sensitivity(1),
];

/// The names of the key indicators `view` shows, in its order ([`INDICATORS`] order, except
/// the sensitivity defaults, which list the outcomes first).
pub fn key_indicators(view: View) -> Vec<&'static str> {
    let mut keys: Vec<&KeyIndicator> = KEY_INDICATORS.iter().filter(|k| k.in_view(view)).collect();
    if view == View::Sensitivity {
        keys.sort_by_key(|k| k.sensitivity);
    }
    keys.into_iter().map(|k| k.name).collect()
}

/// The key indicators `view` shows, each at its [`headline_lens`]: (indicator, lens).
pub fn key_series(view: View) -> Vec<(&'static str, &'static str)> {
    key_indicators(view)
        .into_iter()
        .filter_map(|n| indicator(n).map(|i| (i.name, headline_lens(i))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_key_indicators_are_indicators_in_output_order() {
        let mut names = indicator_names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), INDICATORS.len());
        let at: Vec<usize> = KEY_INDICATORS
            .iter()
            .map(|k| indicator_index(k.name).unwrap_or_else(|| panic!("{} unknown", k.name)))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        let mut ranks: Vec<u8> = KEY_INDICATORS
            .iter()
            .filter_map(|k| k.sensitivity)
            .collect();
        ranks.sort_unstable();
        assert_eq!(ranks, (0..ranks.len() as u8).collect::<Vec<_>>());
    }

    #[test]
    fn every_indicator_is_declared_completely() {
        for i in INDICATORS {
            for (what, text) in [
                ("title", i.title()),
                ("unit", i.unit()),
                ("range", i.range),
                ("mechanisms", i.mechanisms),
                ("formula", i.formula_text),
                ("meaning", i.meaning()),
            ] {
                assert!(!text.is_empty(), "{}: no {what}", i.name);
            }
            assert!(
                i.lenses.has(LensSet::ALL),
                "{}: every indicator has `all`",
                i.name
            );
            // `all` pools classes the indicator has lenses of (the newcomers-only indicators:
            // only newcomers can have a value, so `all` equals the newcomers' figure).
            if i.lenses != LensSet::NEWCOMERS_ONLY {
                for c in i.all.classes() {
                    assert!(i.lenses.has_class(c), "{}: `all` pools {c:?}", i.name);
                }
            }
        }
    }

    #[test]
    fn every_view_shows_some_and_the_headline_is_about_newcomers() {
        assert_eq!(
            key_series(View::Headline),
            [
                ("voice_parity", "newcomers"),
                ("spoken_for_rate", "newcomers"),
                ("dependency_help_share", "newcomers"),
                ("mean_agency", "newcomers"),
                ("limbo_count", "newcomers"),
                ("bridging_tie_strength", "newcomers"),
                ("annual_attrition", "all"),
                ("agency_index", "newcomers"),
                ("minoritization_index", "newcomers"),
            ]
        );
        assert_eq!(
            key_indicators(View::Sensitivity)[..3],
            ["mean_agency", "minoritization_index", "agency_index"]
        );
        for v in [Glance, Trajectory, Distribution, Classroom] {
            assert!(!key_indicators(v).is_empty(), "{v:?}");
        }
        for name in key_indicators(Classroom) {
            assert!(
                Lang::En
                    .catalogue()
                    .contains_key(&format!("page.ind_{name}_meaning")),
                "{name}: classroom words"
            );
        }
    }
}
