//! Who an indicator describes (MODEL.md Appendix D): the four disjoint classes every person is
//! in each week, the lenses built from them, and the attribute lenses that refine the newcomers.
//!
//! - **Classes.** `newcomer` (a participant or co-organizer of a non-majority origin: the study's
//!   immigrant participants), `local_participant` (a participant or co-organizer of a majority
//!   origin: dugnad's neighbours, a mixed café's local peers), `volunteer`, `staff`, by her
//!   status that week. A newcomer who steps up to volunteer is a volunteer from then on.
//! - **Entry class.** Indicators that follow the people who *entered* as participants (limbo,
//!   role transitions, door-opening) count a person by how she entered: as a newcomer or as a
//!   local participant, whatever her status now.
//! - **Lenses.** One per class, `all` (the pooled figure of the indicator's subject: the
//!   participant classes for participant and talk indicators, volunteers and staff for volunteer
//!   indicators), `newcomers|<attribute>=<value>` for the values of the attributes of
//!   `[output] by` (origin among them when listed), and `origin=<label>` for the stereotype of
//!   each non-majority origin.

use crate::lang::Lang;
use crate::model::person::{Person, NO_VALUE};
use crate::model::Design;

/// The class of a person in a week; the four are disjoint and cover everyone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Newcomer = 0,
    LocalParticipant = 1,
    Volunteer = 2,
    Staff = 3,
}

impl Class {
    /// The four classes, in lens order.
    pub const ALL: [Class; 4] = [
        Class::Newcomer,
        Class::LocalParticipant,
        Class::Volunteer,
        Class::Staff,
    ];

    /// Her class by her current status and origin.
    #[inline]
    pub fn of(x: &Person) -> Class {
        use crate::model::Status;
        match x.status {
            Status::Participant | Status::CoOrganizer if x.majority => Class::LocalParticipant,
            Status::Participant | Status::CoOrganizer => Class::Newcomer,
            Status::Volunteer => Class::Volunteer,
            Status::Staff => Class::Staff,
        }
    }

    /// The class she entered in, if she entered as a participant: a newcomer or a local
    /// participant (stays so after a transition).
    #[inline]
    pub fn entered(x: &Person) -> Option<Class> {
        x.was_participant.then_some(if x.majority {
            Class::LocalParticipant
        } else {
            Class::Newcomer
        })
    }

    /// Whether the class is a participant class (newcomers, local participants).
    #[inline]
    pub fn is_participant(self) -> bool {
        matches!(self, Class::Newcomer | Class::LocalParticipant)
    }

    /// The lens name: `newcomers`, `local_participants`, `volunteers`, `staff`.
    pub fn lens_name(self) -> &'static str {
        match self {
            Class::Newcomer => "newcomers",
            Class::LocalParticipant => "local_participants",
            Class::Volunteer => "volunteers",
            Class::Staff => "staff",
        }
    }

    /// The catalogue key of who the class is, in full words (`common.words_volunteers`): each
    /// language declares them (`src/lang/`).
    pub fn words_key(self) -> &'static str {
        match self {
            Class::Newcomer => "common.newcomers_words",
            Class::LocalParticipant => "common.words_local_participants",
            Class::Volunteer => "common.words_volunteers",
            Class::Staff => "common.words_staff",
        }
    }

    /// Who the class is, in words, in English (the codebook's words): the catalogue's
    /// [`Class::words_key`].
    pub fn words(self) -> &'static str {
        Lang::En.tr(self.words_key())
    }
}

/// The name of lens `all`.
pub const ALL: &str = "all";

/// What a lens is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lens {
    /// The members of one class.
    Class(Class),
    /// The indicator's whole subject: the sum of its classes.
    All,
    /// Newcomers with one value of one attribute of `[output] by` (index into [`Cells`]).
    Cell(u16),
    /// The stereotype of one non-majority origin (index into the design's origin table).
    Origin(u16),
}

/// The classes lens `all` pools for an indicator: its subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Newcomers and local participants.
    Participants,
    /// Volunteers and staff.
    Hosts,
}

impl Subject {
    /// The classes `all` pools.
    pub fn classes(self) -> [Class; 2] {
        match self {
            Subject::Participants => [Class::Newcomer, Class::LocalParticipant],
            Subject::Hosts => [Class::Volunteer, Class::Staff],
        }
    }

    /// The catalogue key of `all` in full words (`common.words_all_hosts`).
    pub fn words_key(self) -> &'static str {
        match self {
            Subject::Participants => "common.words_all_participants",
            Subject::Hosts => "common.words_all_hosts",
        }
    }
}

/// Which membership decides whether a lens is empty (and so NA) in a week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Her class this week.
    Current,
    /// The class she entered in (limbo, transitions, door-opening).
    Entry,
}

/// Which lenses an indicator has: a set of the flags below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LensSet(pub u8);

impl LensSet {
    pub const NEWCOMERS: u8 = 1;
    pub const LOCAL_PARTICIPANTS: u8 = 2;
    pub const VOLUNTEERS: u8 = 4;
    pub const STAFF: u8 = 8;
    pub const ALL: u8 = 16;
    /// The attribute lenses of `[output] by` (refining the newcomers).
    pub const CELLS: u8 = 32;
    /// One lens per non-majority origin (the stereotype of that origin).
    pub const ORIGINS: u8 = 64;

    /// Newcomers, local participants, all participants and the attribute lenses.
    pub const PARTICIPANTS: LensSet =
        LensSet(Self::NEWCOMERS | Self::LOCAL_PARTICIPANTS | Self::ALL | Self::CELLS);
    /// Every class, all participants and the attribute lenses (talk indicators).
    pub const TALK: LensSet = LensSet(
        Self::NEWCOMERS
            | Self::LOCAL_PARTICIPANTS
            | Self::VOLUNTEERS
            | Self::STAFF
            | Self::ALL
            | Self::CELLS,
    );
    /// Volunteers, staff and both together.
    pub const HOSTS: LensSet = LensSet(Self::VOLUNTEERS | Self::STAFF | Self::ALL);
    /// Newcomers, all (= the newcomers' figure where only newcomers can have it) and the
    /// attribute lenses.
    pub const NEWCOMERS_ONLY: LensSet = LensSet(Self::NEWCOMERS | Self::ALL | Self::CELLS);

    /// The set with the per-origin lenses added.
    pub const fn with_origins(self) -> LensSet {
        LensSet(self.0 | Self::ORIGINS)
    }

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    /// Whether the set holds a class's lens.
    pub fn has_class(self, c: Class) -> bool {
        self.has(match c {
            Class::Newcomer => Self::NEWCOMERS,
            Class::LocalParticipant => Self::LOCAL_PARTICIPANTS,
            Class::Volunteer => Self::VOLUNTEERS,
            Class::Staff => Self::STAFF,
        })
    }

    /// The names of the fixed lenses in the set, in lens order (class lenses, then `all`), then
    /// the patterns of the scenario-dependent ones.
    pub fn names(self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Class::ALL
            .iter()
            .filter(|c| self.has_class(**c))
            .map(|c| c.lens_name())
            .collect();
        if self.has(Self::ALL) {
            out.push(ALL);
        }
        if self.has(Self::CELLS) {
            out.push("newcomers|<attribute>=<value>");
        }
        if self.has(Self::ORIGINS) {
            out.push("origin=<label>");
        }
        out
    }
}

/// How a person's value of one attribute of `[output] by` maps to a cell.
#[derive(Clone, Debug)]
enum Source {
    /// Her origin (index into the design's origin table).
    Origin,
    /// One of the design's attributes.
    Attribute(usize),
}

/// The attribute lenses of a design (`newcomers|gender=woman`, `newcomers|origin=syria`): one
/// cell per value of each attribute of `[output] by`, in `by` order, values in their sorted
/// order (origins: the non-majority origins of the design's origin table).
#[derive(Clone, Debug, Default)]
pub struct Cells {
    /// (attribute, value) of each cell.
    pub cells: Vec<(String, String)>,
    /// Per `by` entry: where her value comes from, and the cell of each value (u16::MAX: none).
    by: Vec<(Source, Vec<u16>)>,
}

impl Cells {
    /// The cells of a design.
    pub fn of(d: &Design) -> Cells {
        let mut c = Cells::default();
        for name in &d.by {
            if name == "origin" {
                let map = d
                    .origins
                    .iter()
                    .zip(&d.origin_majority)
                    .map(|(o, majority)| {
                        if *majority {
                            u16::MAX
                        } else {
                            c.cells.push(("origin".into(), o.clone()));
                            (c.cells.len() - 1) as u16
                        }
                    })
                    .collect();
                c.by.push((Source::Origin, map));
            } else if let Some(k) = d.attributes.iter().position(|a| &a.name == name) {
                let map = d.attributes[k]
                    .values
                    .iter()
                    .map(|v| {
                        c.cells.push((name.clone(), v.clone()));
                        (c.cells.len() - 1) as u16
                    })
                    .collect();
                c.by.push((Source::Attribute(k), map));
            }
        }
        c
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The cells a newcomer belongs to: one per `by` attribute she has a value of.
    #[inline]
    pub fn of_person<'a>(&'a self, x: &'a Person) -> impl Iterator<Item = usize> + 'a {
        self.by.iter().filter_map(move |(source, map)| {
            let value = match source {
                Source::Origin => x.origin as usize,
                Source::Attribute(k) => match x.attributes[*k] {
                    NO_VALUE => return None,
                    v => v as usize,
                },
            };
            match map.get(value) {
                Some(&cell) if cell != u16::MAX => Some(cell as usize),
                _ => None,
            }
        })
    }

    /// The lens name of cell `k`: `newcomers|<attribute>=<value>`.
    pub fn name(&self, k: usize) -> String {
        let (a, v) = &self.cells[k];
        format!("newcomers|{a}={v}")
    }
}

/// The type of a tie between two persons (Ager & Strang 2008; Szreter & Woolcock 2004):
/// bonding within one origin, bridging between a person of a non-majority origin and one of a
/// majority origin (whatever their roles), linking between a newcomer and a volunteer or staff
/// member (across the power gradient). A tie can be bridging and linking at once (a newcomer and
/// a local volunteer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TieType {
    Bonding,
    Bridging,
    Linking,
    BridgingLinking,
    /// Between persons of two different non-majority origins, neither linking.
    Other,
}

impl TieType {
    /// The type of the tie between `x` and `y`.
    pub fn of(x: &Person, y: &Person) -> TieType {
        let linking = matches!(
            (Class::of(x), Class::of(y)),
            (Class::Newcomer, Class::Volunteer | Class::Staff)
                | (Class::Volunteer | Class::Staff, Class::Newcomer)
        );
        let bridging = x.majority != y.majority;
        match (x.origin == y.origin, bridging, linking) {
            (true, _, _) => TieType::Bonding,
            (_, true, true) => TieType::BridgingLinking,
            (_, true, false) => TieType::Bridging,
            (_, false, true) => TieType::Linking,
            _ => TieType::Other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TieType::Bonding => "bonding",
            TieType::Bridging => "bridging",
            TieType::Linking => "linking",
            TieType::BridgingLinking => "bridging+linking",
            TieType::Other => "other",
        }
    }
}
