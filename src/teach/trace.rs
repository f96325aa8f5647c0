//! One week of one group as a transcript, rendered from the engine's own event stream.
//!
//! [`simulate`] steps a [`GroupRun`] through weeks 1..W with a sink that only keeps the events of
//! week W (and counts refills, so that a refilled slot gets a new name), then [`lines`] turns
//! those events into readable lines: who took the floor, who hesitated, who finished whose
//! sentence, which help was asked for or offered and whether it was dependency- or
//! autonomy-oriented, the agenda, and at the end of the week how each volunteer's view of each
//! participant and each participant's agency moved. [`events_json`] gives the same events as
//! structured JSON with the persons named. Emitting events draws no random numbers, so the week
//! shown is exactly the week that `dugnad run` simulates for that replicate and group.

use super::names::{self, Slot};
use crate::mechanisms::events::{AttemptOutcome, Event, Events};
use crate::metrics::WeekTally;
use crate::model::group::Design;
use crate::model::{Person, Status};
use crate::scenario::Scenario;
use crate::sim::engine::GroupRun;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

/// A group of a scenario: an index over all groups in simulation order (designs in file order,
/// then group index), or a keyed design and an index within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupRef {
    Index(usize),
    Keyed(String, u32),
}

/// Parses `--group`: `3` (index over all groups) or `KEY:3` (group 3 of design KEY).
pub fn parse_group(s: &str) -> Result<GroupRef, String> {
    let s = s.trim();
    let bad = || {
        format!("--group '{s}' is not a group; write e.g. --group 0, or --group KEY:0 for a keyed design")
    };
    match s.rsplit_once(':') {
        Some((key, i)) => Ok(GroupRef::Keyed(
            key.to_string(),
            i.parse().map_err(|_| bad())?,
        )),
        None => Ok(GroupRef::Index(s.parse().map_err(|_| bad())?)),
    }
}

/// Which week of which group to show.
#[derive(Debug, Clone)]
pub struct TraceSpec {
    pub replicate: u64,
    /// 1-based week.
    pub week: u32,
    pub group: GroupRef,
}

/// One person of the transcript, as she was at the start of the week shown.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub slot: usize,
    pub name: String,
    pub role: Status,
    pub origin: String,
    /// "Volunteer Liv (need to help 0.82)", "Participant Amal (language 0.31)", "Staff Kari".
    pub label: String,
    /// Taking part this week (false: withdrew or dropped out earlier, place not refilled).
    pub active: bool,
    /// New in the group this week (a refilled place).
    pub joined: bool,
    pub need_to_help: f64,
    pub protectiveness: f64,
    pub language: f64,
    pub initiative: f64,
    pub care_load: f64,
    /// True competence (L + K + Q)/3 at the end of the week.
    pub competence: f64,
}

/// One simulated week of one group, with its events.
#[derive(Debug, Clone)]
pub struct Trace {
    pub scenario: String,
    pub description: String,
    /// Activity key and kind of the group's design.
    pub activity: String,
    pub kind: String,
    pub keyed: bool,
    /// Group index within its design, and over all groups.
    pub group_in_design: u32,
    pub group: usize,
    pub groups_total: usize,
    pub replicate: u64,
    pub week: u32,
    pub seed: u64,
    pub meetings_per_week: u32,
    pub turns_per_meeting: u32,
    pub cast: Vec<Member>,
    /// The engine's events of the week, in order.
    pub events: Vec<Event>,
    /// The engine's observation sums of the week for this group.
    pub tally: WeekTally,
}

/// The sink: counts refills in every week, keeps events only while `record` is on.
struct Recorder {
    record: bool,
    events: Vec<Event>,
    joins: Vec<u32>,
}

impl Events for Recorder {
    const ENABLED: bool = true;
    fn emit(&mut self, event: Event) {
        if let Event::Joined { person } = event {
            if let Some(j) = self.joins.get_mut(person) {
                *j += 1;
            }
        }
        if self.record {
            self.events.push(event);
        }
    }
}

/// Finds the design and the group index within it.
fn resolve(designs: &[Design], group: &GroupRef) -> Result<(usize, u32, usize), String> {
    let total: usize = designs.iter().map(|d| d.activity.groups as usize).sum();
    let listing = || {
        designs
            .iter()
            .map(|d| {
                format!(
                    "{} ({} group{})",
                    d.activity.key,
                    d.activity.groups,
                    if d.activity.groups == 1 { "" } else { "s" }
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match group {
        GroupRef::Index(k) => {
            let mut k0 = *k;
            let mut first = 0;
            for (di, d) in designs.iter().enumerate() {
                if k0 < d.activity.groups as usize {
                    return Ok((di, k0 as u32, first + k0));
                }
                k0 -= d.activity.groups as usize;
                first += d.activity.groups as usize;
            }
            Err(format!(
                "--group {k}: the scenario has {total} group{} (0 to {}): {}",
                if total == 1 { "" } else { "s" },
                total.saturating_sub(1),
                listing()
            ))
        }
        GroupRef::Keyed(key, i) => {
            let mut first = 0;
            for (di, d) in designs.iter().enumerate() {
                if &d.activity.key == key {
                    if *i < d.activity.groups {
                        return Ok((di, *i, first + *i as usize));
                    }
                    return Err(format!(
                        "--group {key}:{i}: design '{key}' has {} group(s), numbered from 0",
                        d.activity.groups
                    ));
                }
                first += d.activity.groups as usize;
            }
            Err(format!(
                "--group {key}:{i}: no design '{key}'; the designs are: {}",
                listing()
            ))
        }
    }
}

/// Simulates weeks 1..=W of one group and keeps week W's events.
pub fn simulate(
    scenario: &Scenario,
    designs: &[Design],
    spec: &TraceSpec,
) -> Result<Trace, String> {
    if spec.week == 0 || spec.week > scenario.weeks {
        return Err(format!(
            "--week {}: weeks are numbered 1 to {} in this scenario; pick one of them (or raise --weeks)",
            spec.week, scenario.weeks
        ));
    }
    let (di, gi, global) = resolve(designs, &spec.group)?;
    let d = &designs[di];
    let seed = scenario.seed;
    let mut run = GroupRun::new(d, seed, spec.replicate, gi as u64);
    let n = run.group.n();
    let mut rec = Recorder {
        record: false,
        events: Vec::new(),
        joins: vec![0; n],
    };
    for _ in 1..spec.week {
        run.step(&mut rec);
    }
    let before: Vec<Person> = run.group.persons.clone();
    rec.record = true;
    let tally = run.step(&mut rec);
    let after = &run.group.persons;
    let joined: Vec<bool> = (0..n)
        .map(|i| {
            rec.events
                .iter()
                .any(|e| matches!(e, Event::Joined { person } if *person == i))
        })
        .collect();
    let slots: Vec<Slot> = (0..n)
        .map(|i| {
            let p = if joined[i] { &after[i] } else { &before[i] };
            Slot {
                origin: d
                    .origins
                    .get(p.origin as usize)
                    .map(String::as_str)
                    .unwrap_or(""),
                majority: p.majority,
                generation: rec.joins[i],
            }
        })
        .collect();
    let names = names::cast(seed, spec.replicate, &d.activity.key, gi as u64, &slots);
    let cast = (0..n)
        .map(|i| {
            let p = if joined[i] { &after[i] } else { &before[i] };
            let role = if joined[i] {
                Status::from_role(d.populations[p.population as usize].role)
            } else {
                before[i].status
            };
            Member {
                slot: i,
                name: names[i].clone(),
                role,
                origin: slots[i].origin.to_string(),
                label: label(role, &names[i], p),
                active: joined[i] || before[i].active,
                joined: joined[i],
                need_to_help: p.need_to_help,
                protectiveness: p.protectiveness,
                language: p.language,
                initiative: p.initiative,
                care_load: p.care_load,
                competence: after[i].competence(),
            }
        })
        .collect();
    Ok(Trace {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        activity: d.activity.key.clone(),
        kind: d.activity.kind.clone(),
        keyed: !(designs.len() == 1 && d.activity.key == "activity"),
        group_in_design: gi,
        group: global,
        groups_total: designs.iter().map(|d| d.activity.groups as usize).sum(),
        replicate: spec.replicate,
        week: spec.week,
        seed,
        meetings_per_week: d.activity.meetings_per_week,
        turns_per_meeting: d.activity.turns_per_meeting,
        cast,
        events: rec.events,
        tally,
    })
}

/// "Volunteer Liv (need to help 0.82)" and the like.
fn label(role: Status, name: &str, p: &Person) -> String {
    match role {
        Status::Volunteer => format!("Volunteer {name} (need to help {:.2})", p.need_to_help),
        Status::Staff => format!("Staff {name}"),
        Status::Participant => format!("Participant {name} (language {:.2})", p.language),
        Status::CoOrganizer => format!("Co-organizer {name} (language {:.2})", p.language),
    }
}

/// One line of a transcript; `kind` says what it shows (the web page colours by it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub kind: &'static str,
    pub text: String,
}

fn line(kind: &'static str, text: impl Into<String>) -> Line {
    Line {
        kind,
        text: text.into(),
    }
}

/// Width of the turn column ("Turns 100–120" and a space).
const TURN_COL: usize = 14;

fn turn_col(s: &str) -> String {
    format!("{s:<TURN_COL$}")
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        k => format!("{} and {}", items[..k - 1].join(", "), items[k - 1]),
    }
}

fn pct(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.0} %", 100.0 * a / b)
    } else {
        "–".to_string()
    }
}

/// ▲, ▼ or = as the values compare when shown with `digits` decimals.
fn arrow(before: f64, after: f64, digits: i32) -> &'static str {
    let scale = 10f64.powi(digits);
    let (b, a) = ((before * scale).round(), (after * scale).round());
    if a > b {
        "▲"
    } else if a < b {
        "▼"
    } else {
        "="
    }
}

/// What happened to each person during the week (for the end-of-week notes).
#[derive(Default, Clone)]
struct WeekCounts {
    spoke: u32,
    usurped_on: u32,
    usurped_by: u32,
    hesitated: u32,
    dependency: u32,
    autonomy: u32,
    acknowledged: u32,
    ignored: u32,
    meetings: u32,
}

/// The transcript as lines.
pub fn lines(t: &Trace) -> Vec<Line> {
    let name = |i: usize| {
        t.cast
            .get(i)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| format!("#{i}"))
    };
    let mut out = Vec::new();
    let design = if t.keyed {
        format!(", design '{}'", t.activity)
    } else {
        String::new()
    };
    out.push(line(
        "title",
        format!(
            "{} — week {}, group {} of {}{}, replicate {}, seed {}",
            t.scenario, t.week, t.group, t.groups_total, design, t.replicate, t.seed
        ),
    ));
    if !t.description.is_empty() {
        out.push(line("note", t.description.clone()));
    }

    // Who is in the group.
    out.push(line("heading", "Who is in the group this week"));
    for m in t.cast.iter().filter(|m| m.active) {
        let new = if m.joined { " — new this week" } else { "" };
        out.push(line("cast", format!("{}{new}", m.label)));
    }
    let gone = t.cast.iter().filter(|m| !m.active).count();
    if gone > 0 {
        out.push(line(
            "note",
            format!(
                "({gone} place{} left empty by people who stopped coming)",
                if gone == 1 { "" } else { "s" }
            ),
        ));
    }

    let mut counts = vec![WeekCounts::default(); t.cast.len()];
    // Views: (volunteer, participant) -> (first before, last after, subtyped, inclusion).
    let mut views: Vec<(usize, usize, f64, f64, bool)> = Vec::new();
    let mut stereo: Vec<(usize, String, f64, f64)> = Vec::new();
    let mut agency: Vec<(usize, f64, f64)> = Vec::new();
    let mut life: Vec<Line> = Vec::new();
    let mut hesitations = 0u32;

    let ev = &t.events;
    let mut i = 0;
    while i < ev.len() {
        match &ev[i] {
            Event::MeetingStart { week, meeting } => {
                let title = if t.meetings_per_week == 1 {
                    format!("The meeting of week {week}")
                } else {
                    format!(
                        "Meeting {} of {} in week {week}",
                        meeting + 1,
                        t.meetings_per_week
                    )
                };
                out.push(line("heading", title));
                let (mut present, mut absent) = (Vec::new(), Vec::new());
                i += 1;
                while i < ev.len() {
                    match ev[i] {
                        Event::Attended { person } => present.push(person),
                        Event::Absent { person } => absent.push(person),
                        _ => break,
                    }
                    i += 1;
                }
                let cancelled = matches!(ev.get(i), Some(Event::MeetingCancelled { .. }));
                if !cancelled {
                    for &p in &present {
                        counts[p].meetings += 1;
                    }
                }
                let names_of = |v: &[usize]| v.iter().map(|&p| name(p)).collect::<Vec<_>>();
                let mut groups = Vec::new();
                for (role, plural) in [
                    (Status::Volunteer, "volunteers"),
                    (Status::Staff, "staff"),
                    (Status::CoOrganizer, "co-organizers"),
                    (Status::Participant, "participants"),
                ] {
                    let who: Vec<usize> = present
                        .iter()
                        .copied()
                        .filter(|&p| t.cast[p].role == role)
                        .collect();
                    if !who.is_empty() {
                        groups.push(format!("{plural}: {}", names_of(&who).join(", ")));
                    }
                }
                out.push(line(
                    "present",
                    format!("Present ({}) — {}", present.len(), groups.join(" · ")),
                ));
                if !absent.is_empty() {
                    out.push(line(
                        "present",
                        format!(
                            "Absent ({}): {}",
                            absent.len(),
                            names_of(&absent).join(", ")
                        ),
                    ));
                }
                continue;
            }
            Event::MeetingCancelled { .. } => {
                out.push(line(
                    "note",
                    "No meeting: it takes at least one volunteer or staff member and one participant, and they did not both come.",
                ));
            }
            Event::Turn { .. } => {
                // A run of ordinary completed turns, collapsed.
                let start = i;
                let mut who: Vec<(usize, u32)> = Vec::new();
                let (mut first, mut last) = (0, 0);
                while let Some(Event::Turn { turn, speaker }) = ev.get(i) {
                    if i == start {
                        first = *turn;
                    }
                    last = *turn;
                    counts[*speaker].spoke += 1;
                    match who.iter_mut().find(|(s, _)| s == speaker) {
                        Some((_, c)) => *c += 1,
                        None => who.push((*speaker, 1)),
                    }
                    i += 1;
                }
                who.sort_by_key(|w| std::cmp::Reverse(w.1));
                let speakers: Vec<String> = who
                    .iter()
                    .map(|&(s, c)| {
                        if c > 1 {
                            format!("{} ×{c}", name(s))
                        } else {
                            name(s)
                        }
                    })
                    .collect();
                let col = if first == last {
                    format!("Turn {}", first + 1)
                } else {
                    format!("Turns {}–{}", first + 1, last + 1)
                };
                out.push(line(
                    "turns",
                    format!("{}{}", turn_col(&col), speakers.join(", ")),
                ));
                continue;
            }
            Event::Hesitated {
                turn,
                speaker,
                would_be,
            } => {
                if t.cast[*speaker].role.is_participant() {
                    hesitations += 1;
                }
                counts[*speaker].spoke += 1;
                counts[*speaker].hesitated += 1;
                let s = name(*speaker);
                let text = match would_be {
                    Some(v) => format!("{s} hesitates; {} lets {s} finish.", name(*v)),
                    None => format!("{s} hesitates, then finishes."),
                };
                out.push(line(
                    "hesitated",
                    format!("{}{text}", turn_col(&format!("Turn {}", turn + 1))),
                ));
            }
            Event::Usurped { turn, speaker, by } => {
                counts[*speaker].usurped_on += 1;
                counts[*by].usurped_by += 1;
                let s = name(*speaker);
                out.push(line(
                    "usurped",
                    format!(
                        "{}{s} hesitates — {} finishes {s}'s sentence.",
                        turn_col(&format!("Turn {}", turn + 1)),
                        name(*by)
                    ),
                ));
            }
            Event::HelpRequested {
                participant,
                helper,
            }
            | Event::HelpOffered {
                volunteer: helper,
                participant,
            } => {
                let asked = matches!(ev[i], Event::HelpRequested { .. });
                let (p, h) = (name(*participant), name(*helper));
                let opening = if asked {
                    format!("{p} asks {h} for help")
                } else {
                    format!("{h} offers {p} help, unasked")
                };
                if let Some(Event::Help { dependency, .. }) = ev.get(i + 1) {
                    i += 1;
                    let (kind, what) = if *dependency {
                        counts[*participant].dependency += 1;
                        (
                            "help-dependency",
                            format!("{h} does it for {p} (dependency-oriented help)"),
                        )
                    } else {
                        counts[*participant].autonomy += 1;
                        (
                            "help-autonomy",
                            format!("{h} shows {p} how to do it (autonomy-oriented help)"),
                        )
                    };
                    out.push(line(
                        kind,
                        format!("{}{opening} → {what}.", turn_col("Help")),
                    ));
                } else {
                    out.push(line(
                        "help-autonomy",
                        format!("{}{opening}.", turn_col("Help")),
                    ));
                }
            }
            Event::Help {
                helper,
                participant,
                unsolicited,
                dependency,
            } => {
                // A help event without its request or offer (not emitted by the engine today).
                let (p, h) = (name(*participant), name(*helper));
                let how = if *unsolicited { "unasked" } else { "asked" };
                let (kind, what) = if *dependency {
                    ("help-dependency", "dependency-oriented")
                } else {
                    ("help-autonomy", "autonomy-oriented")
                };
                out.push(line(
                    kind,
                    format!("{}{h} helps {p} ({how}, {what}).", turn_col("Help")),
                ));
            }
            Event::IndependentAttempt { .. } => {
                let mut by_outcome: [Vec<String>; 4] = Default::default();
                while let Some(Event::IndependentAttempt {
                    participant,
                    outcome,
                }) = ev.get(i)
                {
                    let k = match outcome {
                        AttemptOutcome::Acknowledged => {
                            counts[*participant].acknowledged += 1;
                            0
                        }
                        AttemptOutcome::Ignored => {
                            counts[*participant].ignored += 1;
                            1
                        }
                        AttemptOutcome::Failed => 2,
                        AttemptOutcome::PreEmpted => 3,
                    };
                    by_outcome[k].push(name(*participant));
                    i += 1;
                }
                let texts: [(&str, &str); 4] = [
                    (
                        "manages alone — and someone notices",
                        "manage alone — and someone notices",
                    ),
                    (
                        "manages alone — but nobody notices",
                        "manage alone — but nobody notices",
                    ),
                    (
                        "tries alone and does not manage this time",
                        "try alone and do not manage this time",
                    ),
                    (
                        "tries alone, but someone has already done it for them",
                        "try alone, but someone has already done it for them",
                    ),
                ];
                for (who, (one, many)) in by_outcome.iter().zip(texts) {
                    if !who.is_empty() {
                        let verb = if who.len() == 1 { one } else { many };
                        out.push(line(
                            "attempt",
                            format!("{}{} {verb}.", turn_col("On their own"), and_list(who)),
                        ));
                    }
                }
                continue;
            }
            Event::Proposal { .. } => {
                let mut props = Vec::new();
                while let Some(Event::Proposal { by }) = ev.get(i) {
                    props.push(*by);
                    i += 1;
                }
                let proposers: Vec<String> = props.iter().map(|&p| name(p)).collect();
                let mut text = format!("Proposals from {}", and_list(&proposers));
                if let Some(Event::Decision { adopted }) = ev.get(i) {
                    i += 1;
                    let who = &t.cast[*adopted];
                    let whose = match who.role {
                        Status::Participant => "a participant",
                        Status::CoOrganizer => "a co-organizer",
                        Status::Volunteer => "a volunteer",
                        Status::Staff => "staff",
                    };
                    let _ = write!(
                        text,
                        " → the group goes with {}'s proposal ({whose}).",
                        who.name
                    );
                } else {
                    text.push('.');
                }
                out.push(line("agenda", format!("{}{text}", turn_col("Agenda"))));
                continue;
            }
            Event::Decision { adopted } => {
                out.push(line(
                    "agenda",
                    format!(
                        "{}The group goes with {}'s proposal.",
                        turn_col("Agenda"),
                        name(*adopted)
                    ),
                ));
            }
            Event::Perceived {
                volunteer,
                participant,
                before,
                after,
                subtyped,
                ..
            } => {
                match views
                    .iter_mut()
                    .find(|v| v.0 == *volunteer && v.1 == *participant)
                {
                    Some(v) => {
                        v.3 = *after;
                        v.4 = *subtyped;
                    }
                    None => views.push((*volunteer, *participant, *before, *after, *subtyped)),
                }
            }
            Event::StereotypeChanged {
                volunteer,
                origin,
                before,
                after,
            } => {
                match stereo
                    .iter_mut()
                    .find(|s| s.0 == *volunteer && &s.1 == origin)
                {
                    Some(s) => s.3 = *after,
                    None => stereo.push((*volunteer, origin.clone(), *before, *after)),
                }
            }
            Event::AgencyChanged {
                participant,
                before,
                after,
            } => agency.push((*participant, *before, *after)),
            Event::Withdrew { person, stranded } => {
                let extra = if *stranded > 0 {
                    format!(
                        "; {stranded} participant{} lose{} their main local contact",
                        if *stranded == 1 { "" } else { "s" },
                        if *stranded == 1 { "s" } else { "" }
                    )
                } else {
                    String::new()
                };
                life.push(line(
                    "life",
                    format!("{} stops coming (withdraws){extra}.", name(*person)),
                ));
            }
            Event::DroppedOut { person } => life.push(line(
                "life",
                format!("{} stops coming (drops out).", name(*person)),
            )),
            Event::Transition { person, to } => {
                let role = match to {
                    Status::CoOrganizer => "a co-organizer",
                    Status::Volunteer => "a volunteer",
                    Status::Staff => "staff",
                    Status::Participant => "a participant",
                };
                life.push(line(
                    "life",
                    format!("{} is invited to become {role}.", name(*person)),
                ));
            }
            Event::Housing { person } => life.push(line(
                "life",
                format!("{} finds housing through a contact.", name(*person)),
            )),
            Event::Job { person } => life.push(line(
                "life",
                format!("{} finds a job through a contact.", name(*person)),
            )),
            Event::WeekStart { .. }
            | Event::Joined { .. }
            | Event::Attended { .. }
            | Event::Absent { .. } => {}
        }
        i += 1;
    }

    // End of week.
    out.push(line("heading", format!("End of week {}", t.week)));
    if !views.is_empty() {
        out.push(line(
            "subheading",
            "How the hosts' (volunteers' and staff's) view of each participant moved: perceived competence 0–1, actual competence in brackets",
        ));
        let mut participants: Vec<usize> = views.iter().map(|v| v.1).collect();
        participants.sort_unstable();
        participants.dedup();
        for j in participants {
            let mut parts = Vec::new();
            let mut exception = Vec::new();
            for v in views.iter().filter(|v| v.1 == j) {
                parts.push(format!(
                    "{} {:.2} → {:.2} {}",
                    name(v.0),
                    v.2,
                    v.3,
                    arrow(v.2, v.3, 2)
                ));
                if v.4 {
                    exception.push(name(v.0));
                }
            }
            let mut text = format!(
                "{} ({:.2}): {}",
                name(j),
                t.cast[j].competence,
                parts.join(" · ")
            );
            if !exception.is_empty() {
                let _ = write!(
                    text,
                    " — an exception to the stereotype for {}",
                    and_list(&exception)
                );
            }
            out.push(line("view", text));
        }
    }
    if !stereo.is_empty() {
        out.push(line(
            "subheading",
            "Stereotypes: each host's picture of an origin group (0–1)",
        ));
        for (v, origin, b, a) in &stereo {
            out.push(line(
                "stereotype",
                format!(
                    "{} about '{origin}': {b:.3} → {a:.3} {}",
                    name(*v),
                    arrow(*b, *a, 3)
                ),
            ));
        }
    }
    if !agency.is_empty() {
        out.push(line(
            "subheading",
            "How each participant's agency moved (0–1)",
        ));
        for (j, b, a) in &agency {
            let c = &counts[*j];
            let mut notes = Vec::new();
            if c.meetings == 0 {
                notes.push("did not come".to_string());
            } else {
                notes.push(format!("spoke {}×", c.spoke));
                if c.usurped_on > 0 {
                    notes.push(format!(
                        "{} sentence{} finished by others",
                        c.usurped_on,
                        if c.usurped_on == 1 { "" } else { "s" }
                    ));
                }
                if c.dependency > 0 {
                    notes.push(format!("had it done for them {}×", c.dependency));
                }
                if c.autonomy > 0 {
                    notes.push(format!("shown how {}×", c.autonomy));
                }
                if c.acknowledged > 0 {
                    notes.push(format!("noticed succeeding alone {}×", c.acknowledged));
                }
            }
            out.push(line(
                "agency",
                format!(
                    "{} {b:.2} → {a:.2} {} — {}",
                    name(*j),
                    arrow(*b, *a, 2),
                    notes.join(", ")
                ),
            ));
        }
    }
    if !life.is_empty() {
        out.push(line("subheading", "Comings and goings"));
        out.extend(life);
    }

    // The week in numbers, from the engine's own tally.
    let x = &t.tally;
    if x.meetings > 0.0 {
        out.push(line("subheading", "The week in numbers"));
        out.push(line(
            "summary",
            format!(
                "{} turns. Participants were {} of those present and held the floor {} times; {} of these ({}) were finished by someone else, {} ended after a hesitation.",
                x.turns,
                pct(x.presence_p, x.presence_all),
                x.floors_p,
                x.usurped_on_p,
                pct(x.usurped_on_p, x.floors_p),
                hesitations
            ),
        ));
        out.push(line(
            "summary",
            format!(
                "{} help episode{}, {} of them dependency-oriented ({}); {} unasked.",
                x.help,
                if x.help == 1.0 { "" } else { "s" },
                x.help_dependency,
                pct(x.help_dependency, x.help),
                x.help_unsolicited
            ),
        ));
    }
    out
}

/// The transcript as text for a terminal or a handout.
pub fn render_text(t: &Trace) -> String {
    let mut s = String::new();
    for l in lines(t) {
        match l.kind {
            "title" => {
                let _ = writeln!(s, "{}", l.text);
            }
            "heading" => {
                let _ = writeln!(s, "\n── {} ──", l.text);
            }
            "subheading" => {
                let _ = writeln!(s, "{}", l.text);
            }
            _ => {
                let _ = writeln!(s, "  {}", l.text);
            }
        }
    }
    s
}

/// Event fields that hold a person's slot index.
const PERSON_FIELDS: &[&str] = &[
    "person",
    "speaker",
    "would_be",
    "by",
    "helper",
    "participant",
    "volunteer",
    "adopted",
];

fn person_json(t: &Trace, slot: usize) -> Value {
    match t.cast.get(slot) {
        Some(m) => json!({ "slot": slot, "name": m.name, "role": m.role, "label": m.label }),
        None => json!({ "slot": slot }),
    }
}

/// The week's events as structured JSON: one object per engine event with `week`, `phase`
/// (`start`, `meeting`, `end`), `meeting` and `turn` (1-based, null where they do not apply)
/// and every person field replaced by `{slot, name, role, label}`.
pub fn events_json(t: &Trace) -> Value {
    let mut out = Vec::with_capacity(t.events.len());
    let mut meeting: Option<u32> = None;
    for e in &t.events {
        let phase = match e {
            Event::WeekStart { .. } | Event::Joined { .. } => "start",
            Event::Housing { .. }
            | Event::Job { .. }
            | Event::Transition { .. }
            | Event::Withdrew { .. }
            | Event::DroppedOut { .. }
            | Event::AgencyChanged { .. } => "end",
            _ => "meeting",
        };
        if let Event::MeetingStart { meeting: m, .. } = e {
            meeting = Some(m + 1);
        }
        let mut obj = match serde_json::to_value(e) {
            Ok(Value::Object(o)) => o,
            _ => Map::new(),
        };
        let turn = match e {
            Event::Turn { turn, .. }
            | Event::Hesitated { turn, .. }
            | Event::Usurped { turn, .. } => Some(turn + 1),
            _ => None,
        };
        for key in PERSON_FIELDS {
            if let Some(v) = obj.get(*key) {
                if let Some(slot) = v.as_u64() {
                    obj.insert(key.to_string(), person_json(t, slot as usize));
                }
            }
        }
        obj.insert("week".into(), json!(t.week));
        obj.insert("phase".into(), json!(phase));
        obj.insert(
            "meeting".into(),
            if phase == "meeting" {
                json!(meeting)
            } else {
                Value::Null
            },
        );
        obj.insert("turn".into(), json!(turn));
        out.push(Value::Object(obj));
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_refs_parse() {
        assert_eq!(parse_group("3"), Ok(GroupRef::Index(3)));
        assert_eq!(
            parse_group("knitting:2"),
            Ok(GroupRef::Keyed("knitting".into(), 2))
        );
        assert!(parse_group("x").is_err());
        assert!(parse_group("k:x").is_err());
    }

    #[test]
    fn and_lists_read_naturally() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&v(&["a"])), "a");
        assert_eq!(and_list(&v(&["a", "b", "c"])), "a, b and c");
    }
}
