//! The series a scenario reports: every (indicator, lens) pair, in output order (indicators in
//! table order, each with its lenses: classes, `all`, attribute lenses, origin lenses), and the
//! row of their values computed from a week's pooled sums.

use super::indicators::{Sums, INDICATORS};
use super::lens::{Basis, Cells, Class, Lens, LensSet, Subject, ALL};
use super::observe::{LensTally, WeekTally};
use crate::model::Design;

/// One week's values, one per series of a [`Layout`]; NaN where undefined (written `NA`).
pub type Row = Vec<f64>;

/// One (indicator, lens) pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Index into [`INDICATORS`].
    pub indicator: usize,
    pub lens: Lens,
    /// The lens's name in the files: `newcomers`, `all`, `newcomers|gender=woman`,
    /// `origin=syria`, ...
    pub lens_name: String,
}

impl Series {
    /// The indicator's name.
    pub fn name(&self) -> &'static str {
        INDICATORS[self.indicator].name
    }
}

/// The series of a scenario, in output order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    pub series: Vec<Series>,
}

impl Layout {
    /// The series of a design (every design of a scenario has the same).
    pub fn of(d: &Design) -> Layout {
        let cells = Cells::of(d);
        let mut series = Vec::new();
        for (k, ind) in INDICATORS.iter().enumerate() {
            let mut push = |lens: Lens, lens_name: String| {
                series.push(Series {
                    indicator: k,
                    lens,
                    lens_name,
                })
            };
            for c in Class::ALL {
                if ind.lenses.has_class(c) {
                    push(Lens::Class(c), c.lens_name().to_string());
                }
            }
            if ind.lenses.has(LensSet::ALL) {
                push(Lens::All, ALL.to_string());
            }
            if ind.lenses.has(LensSet::CELLS) {
                for c in 0..cells.len() {
                    push(Lens::Cell(c as u16), cells.name(c));
                }
            }
            if ind.lenses.has(LensSet::ORIGINS) {
                for (o, (label, majority)) in d.origins.iter().zip(&d.origin_majority).enumerate() {
                    if !majority {
                        push(Lens::Origin(o as u16), format!("origin={label}"));
                    }
                }
            }
        }
        Layout { series }
    }

    pub fn len(&self) -> usize {
        self.series.len()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// The position of a series by indicator and lens name.
    pub fn position(&self, indicator: &str, lens: &str) -> Option<usize> {
        self.series
            .iter()
            .position(|s| s.name() == indicator && s.lens_name == lens)
    }

    /// The lens names an indicator has in this layout, in order.
    pub fn lenses_of(&self, indicator: &str) -> Vec<&str> {
        self.series
            .iter()
            .filter(|s| s.name() == indicator)
            .map(|s| s.lens_name.as_str())
            .collect()
    }

    /// The values of every series from a week's (pooled) sums. A lens with nobody in it that
    /// week (no member at the week's end and none who left during it, by the indicator's
    /// basis) is NaN, never a number made from other people.
    pub fn row(&self, t: &WeekTally) -> Row {
        let participants = t.participants();
        let hosts = t.hosts();
        let empty = LensTally::default();
        self.series
            .iter()
            .map(|s| {
                let ind = &INDICATORS[s.indicator];
                let view = |lens| Sums {
                    lens,
                    week: t,
                    hosts: &hosts,
                    origin: None,
                };
                let lens: &LensTally = match s.lens {
                    Lens::Class(c) => t.class(c),
                    Lens::All => match ind.all {
                        Subject::Participants => &participants,
                        Subject::Hosts => &hosts,
                    },
                    Lens::Cell(k) => t.cells.get(k as usize).unwrap_or(&empty),
                    Lens::Origin(o) => {
                        let origin = t.origins.get(o as usize);
                        return match origin {
                            Some(o) => ind.value(&Sums {
                                origin: Some(o),
                                ..view(&participants)
                            }),
                            None => f64::NAN,
                        };
                    }
                };
                let (present, left) = match ind.basis {
                    Basis::Current => (lens.members, lens.leavers),
                    Basis::Entry => (lens.entered, lens.entered_leavers),
                };
                if present + left == 0.0 {
                    return f64::NAN;
                }
                ind.value(&view(lens))
            })
            .collect()
    }

    /// The union of layouts: the first's series in order, then each other's series the layouts
    /// before it lack (designs compared may differ in their origins and attributes).
    pub fn union<'a>(layouts: impl IntoIterator<Item = &'a Layout>) -> Layout {
        let mut out = Layout::default();
        for l in layouts {
            for s in &l.series {
                if out.position(s.name(), &s.lens_name).is_none() {
                    out.series.push(s.clone());
                }
            }
        }
        out
    }

    /// A row of layout `from` laid out as this layout's (NaN for series `from` lacks).
    pub fn remap(&self, from: &Layout, row: &[f64]) -> Row {
        self.series
            .iter()
            .map(|s| {
                from.position(s.name(), &s.lens_name)
                    .map_or(f64::NAN, |k| row[k])
            })
            .collect()
    }
}
