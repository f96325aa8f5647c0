//! The schedule of a scenario: its `[[schedule]]` entries read through the field table
//! ([`super::fields::Change`]), checked against the document (every `set` path one that `--set`
//! takes and that may change during a run, no path set twice in one week, places that exist),
//! and resolved into the scenario in force from each entry's week: the document with every
//! change up to that week applied, validated like a file (so a value out of range is refused at
//! the entry that sets it, with its line).

use super::document::{join, Class, Ctx, Tbl, GIVEN_BY_SET, R};
use super::fields::{Change, Run, Scenario, CHANGE_KEYS, MAX_GROUP_SIZE};
use super::overrides::{insert, resolve, Targets};
use std::collections::BTreeMap;
use toml_edit::{DocumentMut, Item, TableLike, Value};

/// Reads a document validated as a scenario without its schedule.
pub(crate) type Validate<'a> = &'a dyn Fn(&DocumentMut, &Ctx) -> R<Scenario>;

/// Why a path may not be scheduled, if it may not: the run's size and the groups' composition
/// hold for the whole run.
fn fixed_for_run(parents: &[String], leaf: &str) -> Option<&'static str> {
    match (parents.first().map(String::as_str), leaf) {
        (Some("scenario"), _) => Some("the run's settings hold for the whole run"),
        (Some("activity"), "groups" | "populations" | "kind") => {
            Some("an activity's groups and who makes them up hold for the whole run")
        }
        (Some("population"), "count") => Some(
            "group sizes hold for the whole run; let persons arrive or leave instead, e.g. \
             arrive = { population = \"newcomers\", count = 4 }",
        ),
        (Some("population"), "role" | "origin") => {
            Some("a population's role and origin hold for the whole run")
        }
        (Some("population"), "attributes") => {
            Some("persons' attributes, and the lenses they give, hold for the whole run")
        }
        (Some("population"), _) if parents.get(2).is_some_and(|p| p == "attributes") => {
            Some("persons' attributes, and the lenses they give, hold for the whole run")
        }
        (Some("output"), _) => Some("what results are broken down by holds for the whole run"),
        _ => None,
    }
}

/// One `set` value of an entry with the document paths it sets.
struct Applied<'a> {
    entry: usize,
    path: &'a str,
    value: Value,
    targets: Targets,
}

/// The entries of `[[schedule]]` (an array of tables, or an inline array of tables) with their
/// dotted paths; an empty list when the document has none.
fn entries<'d>(doc: &'d DocumentMut, ctx: &Ctx) -> R<Vec<(&'d dyn TableLike, String)>> {
    let Some(item) = doc.get("schedule") else {
        return Ok(Vec::new());
    };
    let with_path = |i: usize, t: &'d dyn TableLike| (t, join("schedule", &i.to_string()));
    if let Some(aot) = item.as_array_of_tables() {
        return Ok(aot
            .iter()
            .enumerate()
            .map(|(i, t)| with_path(i, t as &dyn TableLike))
            .collect());
    }
    let inline: Option<Vec<&dyn TableLike>> = item.as_array().and_then(|a| {
        a.iter()
            .map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect()
    });
    match inline {
        Some(tables) => Ok(tables
            .into_iter()
            .enumerate()
            .map(|(i, t)| with_path(i, t))
            .collect()),
        None => {
            let example = "[[schedule]] with week = 26 and set = { \"activity.co_design\" = 0.6 }";
            Err(ctx.wrong_type("schedule", item, "[[schedule]] entries", example))
        }
    }
}

/// The checked schedule of `doc`, whose scenario without schedule is `base`: its entries in
/// file order, each with the scenario in force from its week.
pub(crate) fn read(
    doc: &DocumentMut,
    ctx: &Ctx,
    base: &Scenario,
    validate: Validate<'_>,
) -> R<Vec<Change>> {
    let run = Run { base };
    let mut changes = Vec::new();
    let tables = entries(doc, ctx)?;
    for (t, path) in &tables {
        let tbl = Tbl { ctx, t: *t, path };
        tbl.check_keys(CHANGE_KEYS, "")?;
        changes.push(Change::read(&tbl, &run)?);
    }
    if changes.is_empty() {
        return Ok(changes);
    }
    let applied = settings(doc, ctx, &changes)?;
    let mut weeks: Vec<u32> = changes.iter().map(|c| c.week).collect();
    weeks.sort_unstable();
    weeks.dedup();
    let mut states: BTreeMap<u32, Scenario> = BTreeMap::new();
    for &week in &weeks {
        states.insert(
            week,
            state_at(doc, ctx, &changes, &applied, week, validate)?,
        );
    }
    let single: Vec<[bool; 2]> = tables
        .iter()
        .map(|(t, _)| ["arrive", "leave"].map(|k| t.get(k).is_some_and(Item::is_table_like)))
        .collect();
    check_places(ctx, base, &changes, &states, &single)?;
    for c in &mut changes {
        *c.scenario = states[&c.week].clone();
    }
    Ok(changes)
}

/// Every `set` value of every entry, in (week, file) order, each resolved to the document paths
/// it sets: a path `--set` takes, that may change during a run, set once per week.
fn settings<'c>(doc: &DocumentMut, ctx: &Ctx, changes: &'c [Change]) -> R<Vec<Applied<'c>>> {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&i| (changes[i].week, i));
    let mut out: Vec<Applied<'c>> = Vec::new();
    let mut seen: BTreeMap<(u32, String), (usize, &str)> = BTreeMap::new();
    for i in order {
        let c = &changes[i];
        for s in &c.set {
            let at = format!("schedule.{i}.set.{}", s.path);
            let segs: Vec<&str> = s.path.split('.').collect();
            let targets =
                resolve(doc, &segs).map_err(|m| ctx.err(Class::UnknownKey, &at, m.to_string()))?;
            for (parents, leaf) in &targets {
                if let Some(why) = fixed_for_run(parents, leaf) {
                    return Err(ctx.err(
                        Class::OutOfRange,
                        &at,
                        format!("{} cannot change during a run: {why}", s.path),
                    ));
                }
                let target = format!("{}.{leaf}", parents.join("."));
                if let Some((first, first_path)) = seen.get(&(c.week, target.clone())) {
                    let where_ = format!("schedule.{first}.set.{first_path}");
                    let line = ctx
                        .line(&where_)
                        .map(|l| format!(", line {l}"))
                        .unwrap_or_default();
                    return Err(ctx.err(
                        Class::OutOfRange,
                        &at,
                        format!(
                            "week {} already sets {target} ({where_}{line}); two entries may not set the same \
                             path in the same week: keep one",
                            c.week
                        ),
                    ));
                }
                seen.insert((c.week, target), (i, &s.path));
            }
            let value: Value = s.value.parse().map_err(|_| {
                ctx.err(
                    Class::WrongType,
                    &at,
                    format!("'{}' is not a TOML value", s.value),
                )
            })?;
            out.push(Applied {
                entry: i,
                path: &s.path,
                value,
                targets,
            });
        }
    }
    Ok(out)
}

/// The scenario in force from `week` on: the document without its schedule, every `set` of
/// the entries up to `week` applied in order, validated. An error at a value a change set is
/// reported at that change.
fn state_at(
    doc: &DocumentMut,
    ctx: &Ctx,
    changes: &[Change],
    applied: &[Applied<'_>],
    week: u32,
    validate: Validate<'_>,
) -> R<Scenario> {
    let mut state = doc.clone();
    state.remove("schedule");
    let upto: Vec<&Applied<'_>> = applied
        .iter()
        .filter(|a| changes[a.entry].week <= week)
        .collect();
    for a in &upto {
        for (parents, leaf) in &a.targets {
            insert(&mut state, parents, leaf, &a.value).map_err(|m| {
                let at = format!("schedule.{}.set.{}", a.entry, a.path);
                ctx.err(Class::WrongType, &at, m)
            })?;
        }
    }
    validate(&state, ctx).map_err(|e| {
        let key = e.key().to_string();
        let by = upto.iter().rev().find(|a| {
            a.targets.iter().any(|(parents, leaf)| {
                let t = format!("{}.{leaf}", parents.join("."));
                key == t || key.starts_with(&format!("{t}."))
            })
        });
        let message = e
            .message()
            .strip_suffix(GIVEN_BY_SET)
            .unwrap_or(e.message())
            .to_string();
        match by {
            Some(a) => {
                let at = format!("schedule.{}.set.{}", a.entry, a.path);
                let loc = ctx.locate(&at, message);
                e.relocated(loc)
            }
            None => {
                let loc = ctx.locate(
                    &key,
                    format!(
                        "{message} (from week {week} on, with the [[schedule]] changes up to it)"
                    ),
                );
                e.relocated(loc)
            }
        }
    })
}

/// Whether cohort `c` concerns the groups of activity `key` (with populations `pops`).
fn concerns(c: &super::fields::Cohort, key: &str, pops: &[String]) -> bool {
    pops.contains(&c.population) && c.activity.as_deref().is_none_or(|a| a == key)
}

/// Per activity, week by week: a leave closes no more places than the population has, the
/// group's places (with every arrival) stay within [`MAX_GROUP_SIZE`], and the participants'
/// places within the capacity in force.
fn check_places(
    ctx: &Ctx,
    base: &Scenario,
    changes: &[Change],
    states: &BTreeMap<u32, Scenario>,
    single: &[[bool; 2]],
) -> R<()> {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&i| (changes[i].week, i));
    for (ai, a) in base.activities.iter().enumerate() {
        let role_of = |pop: &str| base.populations.iter().find(|p| p.key == pop);
        let mut places: BTreeMap<&str, u32> = a
            .populations
            .iter()
            .filter_map(|k| role_of(k).map(|p| (k.as_str(), p.count)))
            .collect();
        let mut total: u32 = places.values().sum();
        for &i in &order {
            let c = &changes[i];
            for (v, (verb, cohorts)) in [("arrive", &c.arrive), ("leave", &c.leave)]
                .into_iter()
                .enumerate()
            {
                for (j, cohort) in cohorts.iter().enumerate() {
                    if !concerns(cohort, &a.key, &a.populations) {
                        continue;
                    }
                    let at = if single[i][v] {
                        format!("schedule.{i}.{verb}.count")
                    } else {
                        format!("schedule.{i}.{verb}.{j}.count")
                    };
                    let have = places.entry(cohort.population.as_str()).or_insert(0);
                    if verb == "arrive" {
                        *have += cohort.count;
                        total += cohort.count;
                        if i64::from(total) > MAX_GROUP_SIZE {
                            return Err(ctx.err(
                                Class::OutOfRange,
                                &at,
                                format!(
                                    "a group holds at most {MAX_GROUP_SIZE} places over the run, but with this arrival \
                                     the groups of {} have {total}; lower the count",
                                    who(a)
                                ),
                            ));
                        }
                    } else if cohort.count > *have {
                        return Err(ctx.err(
                            Class::OutOfRange,
                            &at,
                            format!(
                                "each group of {} has {} place(s) of {} in week {}; at most that many can leave",
                                who(a),
                                *have,
                                cohort.population,
                                c.week
                            ),
                        ));
                    } else {
                        *have -= cohort.count;
                    }
                }
            }
            let capacity = states[&c.week].activities[ai].capacity;
            let participants: u32 = places
                .iter()
                .filter(|(k, _)| {
                    role_of(k).is_some_and(|p| p.role == super::fields::Role::Participant)
                })
                .map(|(_, n)| *n)
                .sum();
            if let Some(cap) = capacity {
                if participants > cap {
                    return Err(ctx.err(
                        Class::OutOfRange,
                        &format!("schedule.{i}"),
                        format!(
                            "from week {} the groups of {} have {participants} participant places, above their \
                             capacity {cap}; raise the capacity (e.g. set = {{ \"activity.capacity\" = {participants} }}) \
                             or let fewer arrive",
                            c.week,
                            who(a)
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// How messages name an activity.
fn who(a: &super::fields::Activity) -> String {
    if a.key == "activity" {
        "the activity".into()
    } else {
        format!("activity '{}'", a.key)
    }
}

/// The resolved schedule in words, one line per week, as TOML comments: each value a change
/// sets with the value it replaces (`activity.co_design 0.1 → 0.6`), arrivals and leaves per
/// group, recruiting. Empty without a schedule. `dugnad check` prints it.
pub fn in_words(s: &Scenario) -> String {
    if s.schedule.is_empty() {
        return String::new();
    }
    let text_of = |sc: &Scenario| -> DocumentMut {
        let mut plain = sc.clone();
        plain.schedule.clear();
        super::to_toml(&plain).parse().unwrap_or_default()
    };
    let mut order: Vec<usize> = (0..s.schedule.len()).collect();
    order.sort_by_key(|&i| (s.schedule[i].week, i));
    let mut out = String::from(
        "\n# The schedule, resolved: what changes at the start of each week (before → after).\n",
    );
    let mut before = text_of(s);
    let mut k = 0;
    while k < order.len() {
        let week = s.schedule[order[k]].week;
        let same: Vec<&Change> = order[k..]
            .iter()
            .map(|&i| &s.schedule[i])
            .take_while(|c| c.week == week)
            .collect();
        k += same.len();
        let after = text_of(&same[0].scenario);
        let mut parts: Vec<String> = Vec::new();
        for c in &same {
            for set in &c.set {
                let segs: Vec<&str> = set.path.split('.').collect();
                for (parents, leaf) in resolve(&before, &segs).unwrap_or_default() {
                    let path = format!("{}.{leaf}", parents.join("."));
                    parts.push(format!(
                        "{path} {} → {}",
                        value_text(&before, &path),
                        value_text(&after, &path)
                    ));
                }
            }
            for (cohorts, sign, verb) in [(&c.arrive, "+", "arrive"), (&c.leave, "−", "leave")] {
                for cohort in cohorts {
                    let whose = cohort
                        .activity
                        .as_ref()
                        .map(|a| format!(" in activity '{a}'"))
                        .unwrap_or_default();
                    parts.push(format!(
                        "{sign}{} {} per group{whose} ({verb})",
                        cohort.count, cohort.population
                    ));
                }
            }
            match c.recruiting {
                Some(false) => parts.push("recruiting stops".into()),
                Some(true) => parts.push("recruiting resumes".into()),
                None => {}
            }
        }
        out.push_str(&format!("#   week {week}: {}\n", parts.join("; ")));
        before = after;
    }
    out
}

/// The value at a dotted path of a resolved scenario's TOML, as written ("none" if absent).
fn value_text(doc: &DocumentMut, path: &str) -> String {
    let mut item = doc.as_item();
    for seg in path.split('.') {
        match item.get(seg) {
            Some(i) => item = i,
            None => return "none".into(),
        }
    }
    match item.as_value() {
        Some(v) => {
            let mut v = v.clone();
            v.decor_mut().clear();
            v.to_string().trim().to_string()
        }
        None => "a table".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{load_str, to_toml, ScenarioError};

    const BASE: &str = r#"[scenario]
name = "sched"
weeks = 40

[activity]
groups = 2
co_design = 0.1
capacity = 12

[population.vol]
role = "volunteer"
count = 3

[population.new]
role = "participant"
count = 6
origin = "syria"
"#;

    fn with(schedule: &str, sets: &[&str]) -> Result<crate::scenario::Scenario, ScenarioError> {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        load_str(&format!("{BASE}{schedule}"), "s.toml", &sets)
    }

    fn err(schedule: &str, sets: &[&str]) -> ScenarioError {
        with(schedule, sets).expect_err("refused")
    }

    const TWO: &str = r#"
[[schedule]]
week = 20
set = { "activity.co_design" = 0.6, "parameters.alpha1" = 0.5 }
arrive = { population = "new", count = 4 }

[[schedule]]
week = 30
set = { "activity.facilitation" = 0.5 }
leave = [{ population = "vol", count = 1 }]
recruiting = false
label = "funding cut"
"#;

    #[test]
    fn each_entry_carries_the_scenario_in_force_from_its_week() {
        let s = with(TWO, &[]).unwrap();
        assert_eq!(s.schedule.len(), 2);
        let (a, b) = (&s.schedule[0], &s.schedule[1]);
        assert_eq!((a.week, b.week), (20, 30));
        assert_eq!(s.activities[0].co_design, 0.1, "the base is unchanged");
        assert_eq!(a.scenario.activities[0].co_design, 0.6);
        assert_eq!(a.scenario.params.alpha1, 0.5);
        assert_eq!(a.scenario.activities[0].facilitation, 0.0);
        // Later entries keep what earlier ones set.
        assert_eq!(b.scenario.activities[0].co_design, 0.6);
        assert_eq!(b.scenario.activities[0].facilitation, 0.5);
        assert!(a.scenario.schedule.is_empty() && b.scenario.schedule.is_empty());
        assert_eq!(a.arrive[0].population, "new");
        assert_eq!((b.leave[0].count, b.recruiting), (1, Some(false)));
        assert_eq!(b.label, "funding cut");
        assert_eq!(
            a.label,
            "activity.co_design = 0.6, parameters.alpha1 = 0.5; 4 new arrive"
        );
        // The resolved text reads back as the same schedule.
        let again = load_str(&to_toml(&s), "r.toml", &[]).unwrap();
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            serde_json::to_string(&s).unwrap()
        );
        assert!(super::in_words(&s).contains("week 20: activity.co_design 0.1 → 0.6"));
    }

    #[test]
    fn nested_paths_and_inline_entries_read_like_quoted_ones() {
        let quoted = with(
            "\n[[schedule]]\nweek = 5\nset = { \"activity.co_design\" = 0.6, \"population.new.language\" = { beta = [3, 3] } }\n",
            &[],
        )
        .unwrap();
        let nested = with(
            "\n[[schedule]]\nweek = 5\nset = { activity.co_design = 0.6, population.new.language = { beta = [3, 3] } }\n",
            &[],
        )
        .unwrap();
        let inline = load_str(
            &format!(
                "schedule = [{{ week = 5, set = {{ \"activity.co_design\" = 0.6, \"population.new.language\" = {{ beta = [3, 3] }} }} }}]\n{BASE}"
            ),
            "s.toml",
            &[],
        )
        .unwrap();
        let json = |s: &crate::scenario::Scenario| serde_json::to_string(&s.schedule).unwrap();
        assert_eq!(json(&quoted), json(&nested));
        assert_eq!(json(&quoted), json(&inline));
        assert_eq!(quoted.schedule[0].set[1].value, "{ beta = [3, 3] }");
        assert_eq!(
            quoted.schedule[0].scenario.populations[0].traits.language,
            crate::scenario::Dist::Beta(3.0, 3.0)
        );
    }

    #[test]
    fn at_sets_a_value_from_a_week_on_in_the_entry_of_that_week() {
        // Into the entry of week 20 that sets the path: it replaces the value.
        let s = with(TWO, &["20:activity.co_design=0.9"]).unwrap();
        assert_eq!(s.schedule.len(), 2);
        assert_eq!(s.schedule[0].scenario.activities[0].co_design, 0.9);
        // Into the entry of week 30, which does not set it yet.
        let s = with(TWO, &["30:activity.co_design=0.2"]).unwrap();
        assert_eq!(s.schedule.len(), 2);
        assert_eq!(s.schedule[1].set.len(), 2);
        assert_eq!(s.schedule[1].scenario.activities[0].co_design, 0.2);
        // A week without an entry gets a new one; several --at of one week share it.
        let s = with(
            "",
            &["26:activity.co_design=0.6", "26:activity.facilitation=0.5"],
        )
        .unwrap();
        assert_eq!(s.schedule.len(), 1);
        assert_eq!(s.schedule[0].week, 26);
        assert_eq!(s.schedule[0].set.len(), 2);
        // `--set schedule.N...` reaches every key of an entry, and N = the count adds one.
        let s = with(
            TWO,
            &[
                "schedule.0.week=10",
                "schedule.0.arrive.count=2",
                "schedule.1.set.activity.facilitation=0.7",
            ],
        )
        .unwrap();
        assert_eq!((s.schedule[0].week, s.schedule[0].arrive[0].count), (10, 2));
        assert_eq!(s.schedule[1].scenario.activities[0].facilitation, 0.7);
        let s = with(TWO, &["schedule.2.week=35", "schedule.2.recruiting=true"]).unwrap();
        assert_eq!(s.schedule[2].recruiting, Some(true));
    }

    #[test]
    fn bad_entries_are_refused_at_their_key_and_line() {
        // (schedule text, --set, key of the error, line, words in the message)
        type Case<'a> = (&'a str, &'a [&'a str], &'a str, Option<usize>, &'a str);
        let cases: &[Case] = &[
            ("\n[[schedule]]\nweek = 41\nset = { \"activity.co_design\" = 0.6 }\n", &[], "schedule.0.week", Some(20), "beyond the run, which has 40 weeks"),
            ("\n[[schedule]]\nweek = 5\nset = { \"activity.co_desing\" = 0.6 }\n", &[], "schedule.0.set.activity.co_desing", Some(21), "did you mean 'co_design'"),
            ("\n[[schedule]]\nweek = 5\nset = { \"activity.co_design\" = 1.6 }\n", &[], "schedule.0.set.activity.co_design", Some(21), "must be a probability in [0, 1] (got 1.6)"),
            ("\n[[schedule]]\nweek = 5\nset = { \"activity.co_design\" = 0.6 }\n\n[[schedule]]\nweek = 5\nset = { \"activity.co_design\" = 0.7 }\n", &[], "schedule.1.set.activity.co_design", Some(25), "two entries may not set the same path in the same week"),
            ("\n[[schedule]]\nweek = 5\nset = { \"population.new.count\" = 8 }\n", &[], "schedule.0.set.population.new.count", Some(21), "arrive = {"),
            ("\n[[schedule]]\nweek = 5\nset = { \"scenario.weeks\" = 80 }\n", &[], "schedule.0.set.scenario.weeks", Some(21), "cannot change during a run"),
            ("\n[[schedule]]\nweek = 5\nleave = { population = \"vol\", count = 4 }\n", &[], "schedule.0.leave.count", Some(21), "at most that many can leave"),
            ("\n[[schedule]]\nweek = 5\narrive = { population = \"new\", count = 52 }\n", &[], "schedule.0.arrive.count", Some(21), "at most 60 places"),
            ("\n[[schedule]]\nweek = 5\narrive = { population = \"new\", count = 7 }\n", &[], "schedule.0", Some(19), "above their capacity 12"),
            ("\n[[schedule]]\nweek = 5\narrive = { population = \"nwe\", count = 2 }\n", &[], "schedule.0.arrive.population", Some(21), "did you mean 'new'"),
            ("\n[[schedule]]\nweek = 5\n", &[], "schedule.0", Some(19), "changes nothing"),
            ("\n[[schedule]]\nweek = 5\nsett = { \"activity.co_design\" = 0.6 }\n", &[], "schedule.0.sett", Some(21), "did you mean 'set'"),
            ("\n[[schedule]]\nset = { \"activity.co_design\" = 0.6 }\n", &[], "schedule.0.week", Some(19), "needs the week it starts"),
            ("\n[schedule]\nweek = 3\n", &[], "schedule", Some(19), "must be [[schedule]] entries"),
            ("", &["schedule.0.week=3", "schedule.0.set.activity.co_design=2"], "schedule.0.set.activity.co_design", None, "given by --set"),
            ("", &["7:scenario.seed=3"], "schedule.0.set.scenario.seed", None, "cannot change during a run"),
            ("", &["7:schedule.0.week=3"], "schedule.0.week", None, "--at '7:schedule.0.week=3': a schedule cannot schedule itself"),
            ("", &["7:activity.co_design=3"], "schedule.0.set.activity.co_design", None, "must be a probability"),
        ];
        for (text, sets, key, line, words) in cases {
            let e = err(text, sets);
            assert_eq!(e.key().is_empty(), key.is_empty(), "{text}: {e}");
            if !key.is_empty() {
                assert_eq!(e.key(), *key, "{text}: {e}");
            }
            assert_eq!(e.line(), *line, "{text}: {e}");
            assert!(e.message().contains(words), "{text}: {e}");
            assert_eq!(e.file(), "s.toml");
        }
    }
}
