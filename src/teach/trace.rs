//! One week of one group as a transcript, rendered from the engine's own event stream.
//!
//! [`simulate`] steps a [`GroupRun`] through weeks 1..W, naming each person as she arrives (a
//! [`Roster`]: names are unique in the group and kept across weeks and roles), keeps the events
//! of week W, then [`lines`] turns
//! those events into readable lines: who took the floor, who hesitated, who finished whose
//! sentence, which help was asked for or offered and whether it was dependency- or
//! autonomy-oriented, the agenda, and at the end of the week how each volunteer's view of each
//! participant and each participant's agency moved. [`events_json`] gives the same events as
//! structured JSON with the persons named. Emitting events draws no random numbers, so the week
//! shown is exactly the week that `dugnad run` simulates for that replicate and group.
//!
//! Which week: [`first_meeting_week`] (the default: a week in which the group met) or [`find`]
//! (`--find`: the first week in which someone's sentence is finished for her, a host first
//! subtypes a participant, someone is in limbo, a door opens, or a participant steps up), and
//! [`describe`] says what was found, in the opening line.

use super::names::{Roster, Slot};
use crate::cli::TraceFind;
use crate::lang::{fill, Lang};
use crate::mechanisms::events::{AttemptOutcome, Event, EventLog};
use crate::metrics::WeekTally;
use crate::model::group::Design;
use crate::model::group::Group;
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
    /// The place is closed this week by the schedule (a cohort not arrived yet, or a place a
    /// scheduled leave closed).
    pub closed: bool,
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
    /// Why this week is shown, when the reader did not choose it (`--find`, or the first week
    /// the group met); the transcript opens with it.
    pub why: Option<String>,
    /// The language of the transcript's sentences and the cast's labels ([`Trace::in_lang`]).
    pub lang: Lang,
}

impl Trace {
    /// The same week told in `lang`: the cast's labels rewritten, and [`lines`],
    /// [`render_text`] and [`describe`] speaking it. The events and numbers do not change.
    pub fn in_lang(mut self, lang: Lang) -> Trace {
        self.lang = lang;
        for m in &mut self.cast {
            m.label = label(lang, m.role, &m.name, m.need_to_help, m.language);
        }
        self
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

/// One group's run stepped week by week, with the week's events recorded and its people named
/// as they arrive (a [`Roster`]), so that a person keeps her name across weeks and roles.
struct Watch<'d> {
    d: &'d Design,
    run: GroupRun<'d>,
    roster: Roster,
    /// How many times each place has been refilled.
    joins: Vec<u32>,
    /// The events of the last week stepped.
    events: EventLog,
    /// Whether host v counts participant j as an exception (v * n + j), from the events.
    subtyped: Vec<bool>,
    /// Subtypings new in the last week: (meeting, host, participant), 1-based meeting.
    new_subtypes: Vec<(u32, usize, usize)>,
}

impl<'d> Watch<'d> {
    fn new(d: &'d Design, seed: u64, replicate: u64, gi: u32) -> Watch<'d> {
        let run = GroupRun::new(d, seed, replicate, gi as u64);
        let n = run.group.n();
        let slots: Vec<Slot> = run.group.persons.iter().map(|p| slot_of(d, p, 0)).collect();
        let roster = Roster::new(seed, replicate, &d.activity.key, gi as u64, &slots);
        Watch {
            d,
            run,
            roster,
            joins: vec![0; n],
            events: EventLog::default(),
            subtyped: vec![false; n * n],
            new_subtypes: Vec::new(),
        }
    }

    /// Simulates the next week: names newcomers, notes new subtypings, keeps the events.
    fn step(&mut self) -> WeekTally {
        self.events.0.clear();
        self.new_subtypes.clear();
        let tally = self.run.step(&mut self.events).clone();
        let n = self.joins.len();
        let mut meeting = 0;
        for e in &self.events.0 {
            match *e {
                Event::Joined { person } if person < n => {
                    self.joins[person] += 1;
                    let slot = slot_of(self.d, &self.run.group.persons[person], self.joins[person]);
                    self.roster.join(person, &slot);
                    for k in 0..n {
                        self.subtyped[k * n + person] = false;
                        self.subtyped[person * n + k] = false;
                    }
                }
                Event::MeetingStart { meeting: m, .. } => meeting = m + 1,
                Event::Perceived {
                    volunteer,
                    participant,
                    subtyped: true,
                    ..
                } if !self.subtyped[volunteer * n + participant] => {
                    self.subtyped[volunteer * n + participant] = true;
                    self.new_subtypes.push((meeting, volunteer, participant));
                }
                _ => {}
            }
        }
        tally
    }

    /// The first happening of `find` in the last week stepped.
    fn hit(&self, find: TraceFind, tally: &WeekTally) -> Option<Hit> {
        if find == TraceFind::Subtype {
            return self
                .new_subtypes
                .first()
                .map(|&(meeting, volunteer, participant)| Hit::Subtype {
                    meeting,
                    volunteer,
                    participant,
                });
        }
        if find == TraceFind::Limbo {
            let count = in_limbo(tally);
            return (count > 0.0).then_some(Hit::Limbo { count });
        }
        let mut meeting = 0;
        self.events.0.iter().find_map(|e| match (find, e) {
            (_, Event::MeetingStart { meeting: m, .. }) => {
                meeting = m + 1;
                None
            }
            (TraceFind::Usurp, &Event::Usurped { turn, speaker, by }) => Some(Hit::Usurp {
                meeting,
                turn: turn + 1,
                speaker,
                by,
            }),
            (TraceFind::Door, &Event::Housing { person }) => Some(Hit::Door { person, job: false }),
            (TraceFind::Door, &Event::Job { person }) => Some(Hit::Door { person, job: true }),
            (TraceFind::StepUp, &Event::Transition { person, to }) => {
                Some(Hit::StepUp { person, to })
            }
            _ => None,
        })
    }
}

/// Whether the group met in the week of `tally` (the engine's own count of meetings held).
pub fn met(tally: &WeekTally) -> bool {
    tally.group.meetings > 0.0
}

/// How many people are in limbo at the end of the week of `tally` (the engine's own count).
pub fn in_limbo(tally: &WeekTally) -> f64 {
    tally.classes.iter().map(|c| c.limbo).sum()
}

/// The name slot of person `p`: her origin label, whether it is the majority, her generation.
fn slot_of<'a>(d: &'a Design, p: &Person, generation: u32) -> Slot<'a> {
    Slot {
        origin: d
            .origins
            .get(p.origin as usize)
            .map(String::as_str)
            .unwrap_or(""),
        majority: p.majority,
        generation,
    }
}

/// What `--find` found: the first happening in the week shown (slots of the group's people,
/// 1-based meeting and turn).
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    Usurp {
        meeting: u32,
        turn: u32,
        speaker: usize,
        by: usize,
    },
    Subtype {
        meeting: u32,
        volunteer: usize,
        participant: usize,
    },
    Limbo {
        count: f64,
    },
    Door {
        person: usize,
        job: bool,
    },
    StepUp {
        person: usize,
        to: Status,
    },
}

/// Where a search landed: the group (an index over all groups), the week, and what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Landing {
    pub group: usize,
    pub week: u32,
    pub hit: Option<Hit>,
}

/// Refuses a week outside 1..=weeks.
fn check_week(scenario: &Scenario, week: u32) -> Result<(), String> {
    if week == 0 || week > scenario.weeks {
        return Err(format!(
            "--week {week}: weeks are numbered 1 to {} in this scenario; pick one of them (or raise --weeks)",
            scenario.weeks
        ));
    }
    Ok(())
}

/// The first week in which group `group` met (week 1 if it never did).
pub fn first_meeting_week(
    scenario: &Scenario,
    designs: &[Design],
    replicate: u64,
    group: &GroupRef,
) -> Result<Landing, String> {
    let (di, gi, global) = resolve(designs, group)?;
    let mut w = Watch::new(&designs[di], scenario.seed, replicate, gi);
    for week in 1..=scenario.weeks {
        if met(&w.step()) {
            return Ok(Landing {
                group: global,
                week,
                hit: None,
            });
        }
    }
    Ok(Landing {
        group: global,
        week: 1,
        hit: None,
    })
}

/// The first week from `from` on in which `find` happens: in `group`, or when it is `None` in
/// every group (the earliest week, then the lowest group). `Ok(None)` when it never happens.
pub fn find(
    scenario: &Scenario,
    designs: &[Design],
    replicate: u64,
    group: Option<&GroupRef>,
    from: u32,
    find: TraceFind,
) -> Result<Option<Landing>, String> {
    check_week(scenario, from)?;
    let groups: Vec<GroupRef> = match group {
        Some(g) => vec![g.clone()],
        None => {
            let total: usize = designs.iter().map(|d| d.activity.groups as usize).sum();
            (0..total).map(GroupRef::Index).collect()
        }
    };
    let mut best: Option<Landing> = None;
    for g in &groups {
        let (di, gi, global) = resolve(designs, g)?;
        let last = best.as_ref().map_or(scenario.weeks, |b| b.week - 1);
        let mut w = Watch::new(&designs[di], scenario.seed, replicate, gi);
        for week in 1..=last {
            let tally = w.step();
            if week < from {
                continue;
            }
            if let Some(hit) = w.hit(find, &tally) {
                best = Some(Landing {
                    group: global,
                    week,
                    hit: Some(hit),
                });
                break;
            }
        }
    }
    Ok(best)
}

/// What `--find` looks for, in words ("a sentence finished by someone else").
pub fn find_noun(find: TraceFind, lang: Lang) -> &'static str {
    lang.tr(match find {
        TraceFind::Usurp => "trace.find_usurp",
        TraceFind::Subtype => "trace.find_subtype",
        TraceFind::Limbo => "trace.find_limbo",
        TraceFind::Door => "trace.find_door",
        TraceFind::StepUp => "trace.find_step_up",
    })
}

/// The note a transcript found by `--find` opens with: what happened first, where and to whom.
pub fn describe(find: TraceFind, hit: &Hit, t: &Trace, all_groups: bool) -> String {
    let name = |i: usize| {
        t.cast
            .get(i)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| format!("#{i}"))
    };
    let lang = t.lang;
    let what = match *hit {
        Hit::Usurp {
            meeting,
            turn,
            speaker,
            by,
        } => fill(
            lang,
            "trace.hit_usurp",
            &[
                ("meeting", &meeting),
                ("turn", &turn),
                ("by", &name(by)),
                ("speaker", &name(speaker)),
            ],
        ),
        Hit::Subtype {
            meeting,
            volunteer,
            participant,
        } => fill(
            lang,
            "trace.hit_subtype",
            &[
                ("meeting", &meeting),
                ("host", &name(volunteer)),
                ("participant", &name(participant)),
            ],
        ),
        Hit::Limbo { count } => {
            let n = format!("{count:.0}");
            if count == 1.0 {
                fill(lang, "trace.hit_limbo_one", &[("count", &n)])
            } else {
                fill(lang, "trace.hit_limbo_many", &[("count", &n)])
            }
        }
        Hit::Door { person, job: true } => {
            fill(lang, "trace.hit_door_job", &[("name", &name(person))])
        }
        Hit::Door { person, job: false } => {
            fill(lang, "trace.hit_door_housing", &[("name", &name(person))])
        }
        Hit::StepUp { person, to } => fill(
            lang,
            "trace.hit_step_up",
            &[("name", &name(person)), ("role", &become_phrase(to, lang))],
        ),
    };
    let place = if all_groups && t.groups_total > 1 {
        fill(
            lang,
            "trace.found_place",
            &[("group", &t.group), ("total", &t.groups_total)],
        )
    } else {
        String::new()
    };
    fill(
        lang,
        "trace.found",
        &[
            ("find", &find_name(find)),
            ("noun", &find_noun(find, lang)),
            ("place", &place),
            ("what", &what),
        ],
    )
}

/// The flag value of `find` (`step-up`), as `--find` spells it.
pub fn find_name(find: TraceFind) -> String {
    use clap::ValueEnum;
    find.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// What someone is invited to become: "a volunteer", "a co-organizer", ...
fn become_phrase(role: Status, lang: Lang) -> &'static str {
    lang.tr(match role {
        Status::CoOrganizer => "trace.become_co_organizer",
        Status::Volunteer => "trace.become_volunteer",
        Status::Staff => "trace.become_staff",
        Status::Participant => "trace.become_participant",
    })
}

/// Whose proposal the group goes with: "a participant", "a volunteer", ...
fn whose_phrase(role: Status, lang: Lang) -> &'static str {
    lang.tr(match role {
        Status::Participant => "trace.whose_participant",
        Status::CoOrganizer => "trace.whose_co_organizer",
        Status::Volunteer => "trace.whose_volunteer",
        Status::Staff => "trace.whose_staff",
    })
}

/// Simulates weeks 1..=W of one group and keeps week W's events.
pub fn simulate(
    scenario: &Scenario,
    designs: &[Design],
    spec: &TraceSpec,
) -> Result<Trace, String> {
    simulate_watching(scenario, designs, spec, spec.week, |_| {})
}

/// The group's state at the end of one simulated week, as [`simulate_watching`] shows it.
pub struct WeekState<'a> {
    /// 1-based week.
    pub week: u32,
    /// The design in force that week (a schedule may switch it).
    pub design: &'a Design,
    pub group: &'a Group,
    /// Each slot's name (stable across weeks and roles, see [`Roster`]).
    pub names: &'a [String],
    pub tally: &'a WeekTally,
}

/// [`simulate`], continuing to week `through` (at least W) and showing the group's state at the
/// end of every week 1..=through to `each_week`: the classroom page follows one person over the
/// weeks and draws the tie network from it. The trace is the same as [`simulate`]'s: only the
/// events and the cast of week W are kept, and watching draws no random numbers.
pub fn simulate_watching(
    scenario: &Scenario,
    designs: &[Design],
    spec: &TraceSpec,
    through: u32,
    mut each_week: impl FnMut(&WeekState),
) -> Result<Trace, String> {
    check_week(scenario, spec.week)?;
    let (di, gi, global) = resolve(designs, &spec.group)?;
    let d = &designs[di];
    let seed = scenario.seed;
    let mut w = Watch::new(d, seed, spec.replicate, gi);
    let show = |w: &Watch, week: u32, tally: &WeekTally, each_week: &mut dyn FnMut(&WeekState)| {
        each_week(&WeekState {
            week,
            design: w.run.design,
            group: &w.run.group,
            names: w.roster.names(),
            tally,
        })
    };
    for week in 1..spec.week {
        let tally = w.step();
        show(&w, week, &tally, &mut each_week);
    }
    let before: Vec<Person> = w.run.group.persons.clone();
    let tally = w.step();
    show(&w, spec.week, &tally, &mut each_week);
    let after = &w.run.group.persons;
    let n = before.len();
    let events = std::mem::take(&mut w.events.0);
    let joined: Vec<bool> = (0..n)
        .map(|i| {
            events
                .iter()
                .any(|e| matches!(e, Event::Joined { person } if *person == i))
        })
        .collect();
    let names = w.roster.names();
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
                origin: slot_of(d, p, 0).origin.to_string(),
                label: label(Lang::En, role, &names[i], p.need_to_help, p.language),
                active: joined[i] || before[i].active,
                closed: !joined[i] && after[i].closed,
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
    let trace = Trace {
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
        events,
        tally,
        why: None,
        lang: Lang::En,
    };
    for week in spec.week + 1..=through.min(scenario.weeks) {
        let tally = w.step();
        show(&w, week, &tally, &mut each_week);
    }
    Ok(trace)
}

/// "Volunteer Liv (need to help 0.82)" and the like, in `lang` (with its decimal mark).
fn label(lang: Lang, role: Status, name: &str, need_to_help: f64, language: f64) -> String {
    let text = match role {
        Status::Volunteer => fill(
            lang,
            "trace.label_volunteer",
            &[("name", &name), ("x", &format!("{need_to_help:.2}"))],
        ),
        Status::Staff => fill(lang, "trace.label_staff", &[("name", &name)]),
        Status::Participant => fill(
            lang,
            "trace.label_participant",
            &[("name", &name), ("x", &format!("{language:.2}"))],
        ),
        Status::CoOrganizer => fill(
            lang,
            "trace.label_co_organizer",
            &[("name", &name), ("x", &format!("{language:.2}"))],
        ),
    };
    lang.number(&text)
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

/// "a, b and c" (in `lang`).
fn and_list(items: &[String], lang: Lang) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        k => fill(
            lang,
            "trace.and_list",
            &[
                ("first", &items[..k - 1].join(", ")),
                ("last", &items[k - 1]),
            ],
        ),
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

/// The transcript as lines: the header, then each event family rendered in order (collapsing
/// runs of turns, attempts and proposals), then the end of the week.
pub fn lines(t: &Trace) -> Vec<Line> {
    let mut w = Transcript::new(t);
    w.header();
    let ev = &t.events;
    let mut i = 0;
    while i < ev.len() {
        i = w.event(ev, i);
    }
    w.end_of_week();
    w.out
}

/// How one host's view of one participant moved over the week.
struct View {
    volunteer: usize,
    participant: usize,
    /// Perceived competence before the first update of the week, after the last.
    before: f64,
    after: f64,
    subtyped: bool,
}

/// How one host's stereotype of one origin moved over the week.
struct StereotypeMove {
    volunteer: usize,
    origin: String,
    before: f64,
    after: f64,
}

/// The transcript being written: the lines so far and what the end-of-week sections collect.
struct Transcript<'t> {
    t: &'t Trace,
    out: Vec<Line>,
    counts: Vec<WeekCounts>,
    views: Vec<View>,
    stereotypes: Vec<StereotypeMove>,
    /// (participant, agency before, after).
    agency: Vec<(usize, f64, f64)>,
    life: Vec<Line>,
    /// Participants' turns that ended after a hesitation.
    hesitations: u32,
}

impl<'t> Transcript<'t> {
    fn new(t: &'t Trace) -> Transcript<'t> {
        Transcript {
            t,
            out: Vec::new(),
            counts: vec![WeekCounts::default(); t.cast.len()],
            views: Vec::new(),
            stereotypes: Vec::new(),
            agency: Vec::new(),
            life: Vec::new(),
            hesitations: 0,
        }
    }

    fn name(&self, i: usize) -> String {
        self.t
            .cast
            .get(i)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| format!("#{i}"))
    }

    fn names(&self, slots: &[usize]) -> Vec<String> {
        slots.iter().map(|&p| self.name(p)).collect()
    }

    /// Adds a line, its numbers written with the language's decimal mark.
    fn push(&mut self, kind: &'static str, text: impl Into<String>) {
        let text = self.t.lang.number(&text.into());
        self.out.push(line(kind, text));
    }

    /// The string of `key` in the transcript's language.
    fn tr(&self, key: &'static str) -> &'static str {
        self.t.lang.tr(key)
    }

    /// [`fill`] in the transcript's language.
    fn fill(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill(self.t.lang, key, args)
    }

    /// [`and_list`] in the transcript's language.
    fn and_list(&self, items: &[String]) -> String {
        and_list(items, self.t.lang)
    }

    /// The title, the scenario's description and who is in the group.
    fn header(&mut self) {
        let t = self.t;
        let design = if t.keyed {
            self.fill("trace.title_design", &[("design", &t.activity)])
        } else {
            String::new()
        };
        let title = self.fill(
            "trace.title",
            &[
                ("scenario", &t.scenario),
                ("week", &t.week),
                ("group", &t.group),
                ("total", &t.groups_total),
                ("design", &design),
                ("replicate", &t.replicate),
                ("seed", &t.seed),
            ],
        );
        self.push("title", title);
        if let Some(why) = &t.why {
            self.push("found", why.clone());
        }
        if !t.description.is_empty() {
            self.push("note", t.description.clone());
        }
        self.push("heading", self.tr("trace.who_heading"));
        for m in t.cast.iter().filter(|m| m.active) {
            let new = if m.joined {
                self.tr("trace.new_this_week")
            } else {
                ""
            };
            self.push("cast", format!("{}{new}", m.label));
        }
        let gone = t.cast.iter().filter(|m| !m.active && !m.closed).count();
        if gone > 0 {
            let key = if gone == 1 {
                "trace.gone_one"
            } else {
                "trace.gone_many"
            };
            self.push("note", self.fill(key, &[("n", &gone)]));
        }
    }

    /// Renders the event at `i` (and the run of events it heads); returns the index of the
    /// next event not yet rendered.
    fn event(&mut self, ev: &[Event], i: usize) -> usize {
        match &ev[i] {
            Event::MeetingStart { week, meeting } => {
                return self.meeting_start(ev, i, *week, *meeting)
            }
            Event::MeetingCancelled { .. } => self.push("note", self.tr("trace.no_meeting")),
            Event::Turn { .. } => return self.turns(ev, i),
            Event::Hesitated {
                turn,
                speaker,
                would_be,
            } => self.hesitated(*turn, *speaker, *would_be),
            Event::Usurped { turn, speaker, by } => self.usurped(*turn, *speaker, *by),
            Event::HelpRequested { .. } | Event::HelpOffered { .. } => return self.help(ev, i),
            Event::Help {
                helper,
                participant,
                unsolicited,
                dependency,
            } => self.lone_help(*helper, *participant, *unsolicited, *dependency),
            Event::IndependentAttempt { .. } => return self.attempts(ev, i),
            Event::Proposal { .. } => return self.agenda(ev, i),
            Event::Decision { adopted } => {
                let text = format!(
                    "{}{}",
                    turn_col(self.tr("trace.col_agenda")),
                    self.fill("trace.decision", &[("name", &self.name(*adopted))])
                );
                self.push("agenda", text);
            }
            Event::Perceived {
                volunteer,
                participant,
                before,
                after,
                subtyped,
                ..
            } => self.perceived(*volunteer, *participant, *before, *after, *subtyped),
            Event::StereotypeChanged {
                volunteer,
                origin,
                before,
                after,
            } => self.stereotype_changed(*volunteer, origin, *before, *after),
            Event::AgencyChanged {
                participant,
                before,
                after,
            } => self.agency.push((*participant, *before, *after)),
            Event::Withdrew { .. }
            | Event::Left { .. }
            | Event::DroppedOut { .. }
            | Event::Transition { .. }
            | Event::Housing { .. }
            | Event::Job { .. } => self.life_event(&ev[i]),
            Event::WeekStart { .. }
            | Event::Joined { .. }
            | Event::Attended { .. }
            | Event::Absent { .. } => {}
        }
        i + 1
    }

    /// A meeting's heading and who came (the Attended / Absent events that follow it).
    fn meeting_start(&mut self, ev: &[Event], mut i: usize, week: u32, meeting: u32) -> usize {
        let t = self.t;
        let title = if t.meetings_per_week == 1 {
            self.fill("trace.meeting_one", &[("week", &week)])
        } else {
            self.fill(
                "trace.meeting_of",
                &[
                    ("meeting", &(meeting + 1)),
                    ("meetings", &t.meetings_per_week),
                    ("week", &week),
                ],
            )
        };
        self.push("heading", title);
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
        if !matches!(ev.get(i), Some(Event::MeetingCancelled { .. })) {
            for &p in &present {
                self.counts[p].meetings += 1;
            }
        }
        let mut groups = Vec::new();
        for (role, plural) in [
            (Status::Volunteer, "trace.present_volunteers"),
            (Status::Staff, "trace.present_staff"),
            (Status::CoOrganizer, "trace.present_co_organizers"),
            (Status::Participant, "trace.present_participants"),
        ] {
            let plural = self.tr(plural);
            let who: Vec<usize> = present
                .iter()
                .copied()
                .filter(|&p| t.cast[p].role == role)
                .collect();
            if !who.is_empty() {
                groups.push(format!("{plural}: {}", self.names(&who).join(", ")));
            }
        }
        let text = self.fill(
            "trace.present",
            &[("n", &present.len()), ("groups", &groups.join(" · "))],
        );
        self.push("present", text);
        if !absent.is_empty() {
            let text = self.fill(
                "trace.absent",
                &[
                    ("n", &absent.len()),
                    ("names", &self.names(&absent).join(", ")),
                ],
            );
            self.push("present", text);
        }
        i
    }

    /// A run of ordinary completed turns, collapsed into one line.
    fn turns(&mut self, ev: &[Event], mut i: usize) -> usize {
        let start = i;
        let mut who: Vec<(usize, u32)> = Vec::new();
        let (mut first, mut last) = (0, 0);
        while let Some(Event::Turn { turn, speaker }) = ev.get(i) {
            if i == start {
                first = *turn;
            }
            last = *turn;
            self.counts[*speaker].spoke += 1;
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
                    format!("{} ×{c}", self.name(s))
                } else {
                    self.name(s)
                }
            })
            .collect();
        let col = if first == last {
            self.fill("trace.col_turn", &[("n", &(first + 1))])
        } else {
            self.fill(
                "trace.col_turns",
                &[("first", &(first + 1)), ("last", &(last + 1))],
            )
        };
        self.push(
            "turns",
            format!("{}{}", turn_col(&col), speakers.join(", ")),
        );
        i
    }

    fn hesitated(&mut self, turn: u32, speaker: usize, would_be: Option<usize>) {
        if self.t.cast[speaker].role.is_participant() {
            self.hesitations += 1;
        }
        self.counts[speaker].spoke += 1;
        self.counts[speaker].hesitated += 1;
        let s = self.name(speaker);
        let text = match would_be {
            Some(v) => self.fill(
                "trace.hesitates_lets",
                &[("speaker", &s), ("would_be", &self.name(v))],
            ),
            None => self.fill("trace.hesitates", &[("speaker", &s)]),
        };
        let col = self.fill("trace.col_turn", &[("n", &(turn + 1))]);
        self.push("hesitated", format!("{}{text}", turn_col(&col)));
    }

    fn usurped(&mut self, turn: u32, speaker: usize, by: usize) {
        self.counts[speaker].usurped_on += 1;
        self.counts[by].usurped_by += 1;
        let s = self.name(speaker);
        let col = self.fill("trace.col_turn", &[("n", &(turn + 1))]);
        let text = format!(
            "{}{}",
            turn_col(&col),
            self.fill("trace.usurped", &[("speaker", &s), ("by", &self.name(by))])
        );
        self.push("usurped", text);
    }

    /// A request or an offer of help, with the help episode that follows it.
    fn help(&mut self, ev: &[Event], mut i: usize) -> usize {
        let (participant, helper, asked) = match ev[i] {
            Event::HelpRequested {
                participant,
                helper,
            } => (participant, helper, true),
            Event::HelpOffered {
                volunteer,
                participant,
            } => (participant, volunteer, false),
            _ => return i + 1,
        };
        let (p, h) = (self.name(participant), self.name(helper));
        let who: [(&str, &dyn std::fmt::Display); 2] = [("p", &p), ("h", &h)];
        let opening = if asked {
            self.fill("trace.asks", &who)
        } else {
            self.fill("trace.offers", &who)
        };
        let col = turn_col(self.tr("trace.col_help"));
        if let Some(Event::Help { dependency, .. }) = ev.get(i + 1) {
            i += 1;
            let (kind, what) = if *dependency {
                self.counts[participant].dependency += 1;
                ("help-dependency", self.fill("trace.does_it", &who))
            } else {
                self.counts[participant].autonomy += 1;
                ("help-autonomy", self.fill("trace.shows_how", &who))
            };
            self.push(kind, format!("{col}{opening} → {what}."));
        } else {
            self.push("help-autonomy", format!("{col}{opening}."));
        }
        i + 1
    }

    /// A help event without its request or offer (not emitted by the engine today).
    fn lone_help(
        &mut self,
        helper: usize,
        participant: usize,
        unsolicited: bool,
        dependency: bool,
    ) {
        let (p, h) = (self.name(participant), self.name(helper));
        let how = self.tr(if unsolicited {
            "trace.unasked"
        } else {
            "trace.asked"
        });
        let (kind, what) = if dependency {
            ("help-dependency", self.tr("trace.dependency_oriented"))
        } else {
            ("help-autonomy", self.tr("trace.autonomy_oriented"))
        };
        let text = self.fill(
            "trace.helps",
            &[("h", &h), ("p", &p), ("how", &how), ("what", &what)],
        );
        self.push(
            kind,
            format!("{}{text}", turn_col(self.tr("trace.col_help"))),
        );
    }

    /// A run of independent attempts, one line per outcome.
    fn attempts(&mut self, ev: &[Event], mut i: usize) -> usize {
        let mut by_outcome: [Vec<String>; 4] = Default::default();
        while let Some(Event::IndependentAttempt {
            participant,
            outcome,
        }) = ev.get(i)
        {
            let k = match outcome {
                AttemptOutcome::Acknowledged => {
                    self.counts[*participant].acknowledged += 1;
                    0
                }
                AttemptOutcome::Ignored => {
                    self.counts[*participant].ignored += 1;
                    1
                }
                AttemptOutcome::Failed => 2,
                AttemptOutcome::PreEmpted => 3,
            };
            by_outcome[k].push(self.name(*participant));
            i += 1;
        }
        const TEXTS: [(&str, &str); 4] = [
            ("trace.attempt_noticed_one", "trace.attempt_noticed_many"),
            (
                "trace.attempt_unnoticed_one",
                "trace.attempt_unnoticed_many",
            ),
            ("trace.attempt_failed_one", "trace.attempt_failed_many"),
            (
                "trace.attempt_preempted_one",
                "trace.attempt_preempted_many",
            ),
        ];
        let col = turn_col(self.tr("trace.col_alone"));
        for (who, (one, many)) in by_outcome.iter().zip(TEXTS) {
            if !who.is_empty() {
                let key = if who.len() == 1 { one } else { many };
                let text = self.fill(key, &[("names", &self.and_list(who))]);
                self.push("attempt", format!("{col}{text}"));
            }
        }
        i
    }

    /// A run of proposals and the decision that follows them.
    fn agenda(&mut self, ev: &[Event], mut i: usize) -> usize {
        let mut props = Vec::new();
        while let Some(Event::Proposal { by }) = ev.get(i) {
            props.push(*by);
            i += 1;
        }
        let mut text = self.fill(
            "trace.proposals",
            &[("names", &self.and_list(&self.names(&props)))],
        );
        if let Some(Event::Decision { adopted }) = ev.get(i) {
            i += 1;
            let who = &self.t.cast[*adopted];
            let whose = whose_phrase(who.role, self.t.lang);
            text.push_str(&self.fill("trace.goes_with", &[("name", &who.name), ("whose", &whose)]));
        } else {
            text.push('.');
        }
        self.push(
            "agenda",
            format!("{}{text}", turn_col(self.tr("trace.col_agenda"))),
        );
        i
    }

    /// Keeps the first `before` and the last `after` of each (host, participant) view.
    fn perceived(
        &mut self,
        volunteer: usize,
        participant: usize,
        before: f64,
        after: f64,
        subtyped: bool,
    ) {
        match self
            .views
            .iter_mut()
            .find(|v| v.volunteer == volunteer && v.participant == participant)
        {
            Some(v) => {
                v.after = after;
                v.subtyped = subtyped;
            }
            None => self.views.push(View {
                volunteer,
                participant,
                before,
                after,
                subtyped,
            }),
        }
    }

    /// Keeps the first `before` and the last `after` of each (host, origin) stereotype.
    fn stereotype_changed(&mut self, volunteer: usize, origin: &str, before: f64, after: f64) {
        match self
            .stereotypes
            .iter_mut()
            .find(|s| s.volunteer == volunteer && s.origin == origin)
        {
            Some(s) => s.after = after,
            None => self.stereotypes.push(StereotypeMove {
                volunteer,
                origin: origin.to_string(),
                before,
                after,
            }),
        }
    }

    /// Withdrawals, dropouts, transitions, housing and jobs, for "Comings and goings".
    fn life_event(&mut self, e: &Event) {
        let text = match *e {
            Event::Withdrew { person, stranded } => {
                let extra = match stranded {
                    0 => String::new(),
                    1 => self.fill("trace.stranded_one", &[("n", &stranded)]),
                    _ => self.fill("trace.stranded_many", &[("n", &stranded)]),
                };
                self.fill(
                    "trace.withdrew",
                    &[("name", &self.name(person)), ("extra", &extra)],
                )
            }
            Event::DroppedOut { person } => {
                self.fill("trace.dropped_out", &[("name", &self.name(person))])
            }
            Event::Left { person } => self.fill("trace.left", &[("name", &self.name(person))]),
            Event::Transition { person, to } => self.fill(
                "trace.transition",
                &[
                    ("name", &self.name(person)),
                    ("role", &become_phrase(to, self.t.lang)),
                ],
            ),
            Event::Housing { person } => {
                self.fill("trace.housing", &[("name", &self.name(person))])
            }
            Event::Job { person } => self.fill("trace.job", &[("name", &self.name(person))]),
            _ => return,
        };
        self.life.push(line("life", self.t.lang.number(&text)));
    }

    /// The end-of-week sections: views, stereotypes, agency, comings and goings, numbers.
    fn end_of_week(&mut self) {
        let heading = self.fill("trace.end_heading", &[("week", &self.t.week)]);
        self.push("heading", heading);
        let views = self.view_lines();
        self.section(self.tr("trace.views_heading"), "view", views);
        let stereotypes = self.stereotype_lines();
        self.section(
            self.tr("trace.stereotypes_heading"),
            "stereotype",
            stereotypes,
        );
        let agency = self.agency_lines();
        self.section(self.tr("trace.agency_heading"), "agency", agency);
        let life = std::mem::take(&mut self.life);
        if !life.is_empty() {
            self.push("subheading", self.tr("trace.life_heading"));
            self.out.extend(life);
        }
        self.numbers_section();
    }

    /// A subheading and its lines of one kind; nothing when there are no lines.
    fn section(&mut self, subheading: &str, kind: &'static str, texts: Vec<String>) {
        if texts.is_empty() {
            return;
        }
        self.push("subheading", subheading);
        for text in texts {
            self.push(kind, text);
        }
    }

    /// One line per participant: how each host's view of her moved, and who counts her as an
    /// exception to the stereotype.
    fn view_lines(&self) -> Vec<String> {
        let mut participants: Vec<usize> = self.views.iter().map(|v| v.participant).collect();
        participants.sort_unstable();
        participants.dedup();
        participants
            .into_iter()
            .map(|j| {
                let mut parts = Vec::new();
                let mut exception = Vec::new();
                for v in self.views.iter().filter(|v| v.participant == j) {
                    parts.push(format!(
                        "{} {:.2} → {:.2} {}",
                        self.name(v.volunteer),
                        v.before,
                        v.after,
                        arrow(v.before, v.after, 2)
                    ));
                    if v.subtyped {
                        exception.push(self.name(v.volunteer));
                    }
                }
                let mut text = format!(
                    "{} ({:.2}): {}",
                    self.name(j),
                    self.t.cast[j].competence,
                    parts.join(" · ")
                );
                if !exception.is_empty() {
                    text.push_str(
                        &self.fill("trace.exception", &[("names", &self.and_list(&exception))]),
                    );
                }
                text
            })
            .collect()
    }

    fn stereotype_lines(&self) -> Vec<String> {
        self.stereotypes
            .iter()
            .map(|s| {
                self.fill(
                    "trace.stereotype",
                    &[
                        ("host", &self.name(s.volunteer)),
                        ("origin", &s.origin),
                        ("before", &format!("{:.3}", s.before)),
                        ("after", &format!("{:.3}", s.after)),
                        ("arrow", &arrow(s.before, s.after, 3)),
                    ],
                )
            })
            .collect()
    }

    fn agency_lines(&self) -> Vec<String> {
        self.agency
            .iter()
            .map(|&(j, b, a)| {
                format!(
                    "{} {b:.2} → {a:.2} {} — {}",
                    self.name(j),
                    arrow(b, a, 2),
                    self.counts[j].notes(self.t.lang).join(", ")
                )
            })
            .collect()
    }

    /// The week in numbers, from the engine's own tally.
    fn numbers_section(&mut self) {
        use crate::metrics::lens::Class;
        let t = self.t.tally.clone();
        let x = t.participants();
        let held = t.group.meetings > 0.0;
        if !held {
            return;
        }
        self.push("subheading", self.tr("trace.numbers_heading"));
        let mut who = Vec::new();
        for c in [Class::Newcomer, Class::LocalParticipant] {
            let l = t.class(c);
            if l.presence > 0.0 {
                let class = self.tr(if c == Class::Newcomer {
                    "trace.class_newcomers"
                } else {
                    "trace.class_locals"
                });
                who.push(self.fill(
                    "trace.class_floors",
                    &[
                        ("class", &class),
                        ("share", &pct(l.presence, t.group.presence)),
                        ("floors", &l.floors),
                        ("spoken_for", &l.spoken_for),
                        ("pct", &pct(l.spoken_for, l.floors)),
                    ],
                ));
            }
        }
        let turns = self.fill(
            "trace.turns_summary",
            &[
                ("turns", &t.group.turns),
                ("classes", &who.join(". ")),
                ("hesitations", &self.hesitations),
            ],
        );
        self.push("summary", turns);
        let key = if x.help == 1.0 {
            "trace.help_summary_one"
        } else {
            "trace.help_summary_many"
        };
        let help = self.fill(
            key,
            &[
                ("n", &x.help),
                ("dependency", &x.help_dependency),
                ("pct", &pct(x.help_dependency, x.help)),
                ("unasked", &x.help_unsolicited),
            ],
        );
        self.push("summary", help);
    }
}

impl WeekCounts {
    /// What the agency line says about a participant's week.
    fn notes(&self, lang: Lang) -> Vec<String> {
        let mut notes = Vec::new();
        if self.meetings == 0 {
            notes.push(lang.tr("trace.did_not_come").to_string());
            return notes;
        }
        notes.push(fill(lang, "trace.spoke", &[("n", &self.spoke)]));
        if self.usurped_on > 0 {
            let n = [("n", &self.usurped_on as &dyn std::fmt::Display)];
            notes.push(if self.usurped_on == 1 {
                fill(lang, "trace.usurped_on_one", &n)
            } else {
                fill(lang, "trace.usurped_on_many", &n)
            });
        }
        if self.dependency > 0 {
            notes.push(fill(lang, "trace.done_for", &[("n", &self.dependency)]));
        }
        if self.autonomy > 0 {
            notes.push(fill(lang, "trace.shown_how", &[("n", &self.autonomy)]));
        }
        if self.acknowledged > 0 {
            notes.push(fill(lang, "trace.noticed", &[("n", &self.acknowledged)]));
        }
        notes
    }
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
            Event::WeekStart { .. } | Event::Joined { .. } | Event::Left { .. } => "start",
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
        assert_eq!(and_list(&v(&["a"]), Lang::En), "a");
        assert_eq!(and_list(&v(&["a", "b", "c"]), Lang::En), "a, b and c");
        assert_eq!(and_list(&v(&["a", "b", "c"]), Lang::Nb), "a, b og c");
    }
}
