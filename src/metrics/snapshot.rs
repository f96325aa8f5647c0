//! Snapshots: the state of every person of a group and of its ties in one week, for the
//! per-person and network exports (`run --agents`, `--network graphml`). Observed at the end of
//! the week, after the week's sums; never taken unless asked.

use super::lens::{Class, TieType};
use super::observe::beliefs_about;
use crate::model::group::{Design, Group};
use crate::model::person::MAX_ATTRIBUTES;
use crate::model::Status;

/// One person at the end of a week.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    /// Her slot in the group.
    pub person: u32,
    pub population: u16,
    pub status: Status,
    pub class: Class,
    /// The class she entered in, if she entered as a participant.
    pub entered: Option<Class>,
    pub origin: u16,
    pub attributes: [u8; MAX_ATTRIBUTES],
    /// Still taking part (else: she left this week).
    pub active: bool,
    pub weeks_present: u32,
    /// NaN for volunteers and staff.
    pub agency: f64,
    pub p_indep: f64,
    pub language: f64,
    pub belonging: f64,
    pub competence: f64,
    /// Mean competence the active volunteers and staff ascribe to her; NaN with none.
    pub perceived: f64,
    pub limbo: bool,
    /// Steps taken from participant: 1 co-organizer, 2 volunteer.
    pub transitions: u8,
}

/// One tie (a < b, strength > 0) between active persons.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieRecord {
    pub a: u32,
    pub b: u32,
    pub kind: TieType,
    pub strength: f64,
}

/// A group in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSnapshot {
    pub week: u32,
    /// The group's index across the run's activities.
    pub group: u32,
    /// Index of its activity (design).
    pub activity: usize,
    pub persons: Vec<PersonRecord>,
    pub ties: Vec<TieRecord>,
}

/// Takes the snapshot of group `g` (number `group` of the run) at the end of week `week`:
/// every person active or who left this week, every tie between active persons.
pub fn snapshot(g: &Group, d: &Design, week: u32, group: u32) -> GroupSnapshot {
    use crate::model::person::event;
    let n = g.n();
    let hosts: Vec<usize> = (0..n).filter(|&v| g.persons[v].is_active_local()).collect();
    let persons = g
        .persons
        .iter()
        .enumerate()
        .filter(|(_, x)| x.active || x.had(event::DROPPED_OUT) || x.had(event::WITHDREW))
        .map(|(j, x)| {
            let participant = x.status.is_participant();
            let b = beliefs_about(g, d, j, &hosts);
            let transitions = if x.was_participant {
                match x.status {
                    Status::Participant => 0,
                    Status::CoOrganizer => 1,
                    Status::Volunteer | Status::Staff => 2,
                }
            } else {
                0
            };
            PersonRecord {
                person: j as u32,
                population: x.population,
                status: x.status,
                class: Class::of(x),
                entered: Class::entered(x),
                origin: x.origin,
                attributes: x.attributes,
                active: x.active,
                weeks_present: x.weeks_present,
                agency: if participant { x.agency } else { f64::NAN },
                p_indep: x.p_indep,
                language: x.language,
                belonging: x.belonging,
                competence: x.competence(),
                perceived: if b.pairs > 0.0 && !x.status.is_local() {
                    b.perceived / b.pairs
                } else {
                    f64::NAN
                },
                limbo: x.was_participant && b.limbo,
                transitions,
            }
        })
        .collect();
    let mut ties = Vec::new();
    for a in 0..n {
        if !g.persons[a].active {
            continue;
        }
        for b in a + 1..n {
            let strength = g.tie(a, b);
            if g.persons[b].active && strength > 0.0 {
                ties.push(TieRecord {
                    a: a as u32,
                    b: b as u32,
                    kind: TieType::of(&g.persons[a], &g.persons[b]),
                    strength,
                });
            }
        }
    }
    GroupSnapshot {
        week,
        group,
        activity: d.activity_index,
        persons,
        ties,
    }
}
