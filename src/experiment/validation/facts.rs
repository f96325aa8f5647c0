//! The clauses of the stylized facts (MODEL.md §5, Appendix D) and how each is measured: the
//! designs compared on common random numbers (same seed, same replicate streams), the indicator,
//! the mechanisms each rests on. One function per clause, named after what it shows. The bundled
//! scenarios are compiled in, so `dugnad validate` runs from any folder.
//!
//! Every indicator is read at a lens (`crate::metrics::lens`): facts about the immigrant
//! participants at `newcomers` (participants of a non-majority origin; role transitions and
//! door-opening count the people who *entered* as newcomers), facts about volunteers at
//! `volunteers`, the stereotype of one origin at `origin=<label>`.

use super::{Bench, Clause, Direction, Effect};
use crate::experiment::Scope;
use crate::mechanisms::events::{Event, Events, NoEvents};
use crate::mechanisms::stereotypes::in_limbo;
use crate::metrics::lens::Class;
use crate::metrics::{Layout, WeekTally};
use crate::model::group::{Design, Group};
use crate::model::Status;
use crate::scenario::{load_str, Scenario};
use crate::sim::engine::GroupRun;
use crate::sim::replicates::run_scenario;
use rayon::prelude::*;

/// A bundled scenario: its path (for messages) and its text.
pub type Bundled = (&'static str, &'static str);

pub const KNITTING: Bundled = (
    "scenarios/knitting-cafe.toml",
    include_str!("../../../scenarios/knitting-cafe.toml"),
);
pub const CALIBRATION: Bundled = (
    "scenarios/calibration.toml",
    include_str!("../../../scenarios/calibration.toml"),
);
pub const FOCUS_GROUP: Bundled = (
    "scenarios/focus-group.toml",
    include_str!("../../../scenarios/focus-group.toml"),
);
pub const COMMUNITY_CENTRE: Bundled = (
    "scenarios/community-centre.toml",
    include_str!("../../../scenarios/community-centre.toml"),
);

impl Bench {
    /// A bundled scenario with `sets`, the bench's seed, `replicates` replicates and the
    /// mechanisms `off` switched off.
    pub fn scenario_with(
        &self,
        file: Bundled,
        sets: &[&str],
        off: &[&str],
        replicates: u32,
    ) -> Scenario {
        let mut all: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        all.push(format!("scenario.seed={}", self.seed));
        all.push(format!("scenario.replicates={replicates}"));
        all.extend(off.iter().map(|m| format!("mechanisms.{m}=false")));
        load_str(file.1, file.0, &all)
            .unwrap_or_else(|e| panic!("a bundled scenario with {all:?} loads: {e}"))
    }

    /// The two arms of a contrast: the bundled scenario with each arm's `sets` (the first arm
    /// is the one the effect is measured against).
    pub fn arms(&self, file: Bundled, sets: [&[&str]; 2], off: &[&str]) -> (Scenario, Scenario) {
        (
            self.scenario(file, sets[0], off),
            self.scenario(file, sets[1], off),
        )
    }

    /// [`Bench::scenario_with`] at the bench's size.
    pub fn scenario(&self, file: Bundled, sets: &[&str], off: &[&str]) -> Scenario {
        self.scenario_with(file, sets, off, self.size.replicates)
    }

    /// Each replicate's value of an indicator at a lens (the final week or the run mean).
    pub fn values(&self, s: &Scenario, indicator: &str, lens: &str, scope: Scope) -> Vec<f64> {
        self.values_of(s, &[(indicator, lens)], scope).remove(0)
    }

    /// [`Bench::values`] of each (indicator, lens) of `wanted`, from one run of `s`.
    pub fn values_of(&self, s: &Scenario, wanted: &[(&str, &str)], scope: Scope) -> Vec<Vec<f64>> {
        let a = run_scenario(s);
        let rows = match scope {
            Scope::FinalWeek => &a.finals,
            Scope::RunMean => &a.means,
        };
        wanted
            .iter()
            .map(|&(indicator, lens)| {
                let k = a
                    .layout
                    .position(indicator, lens)
                    .unwrap_or_else(|| panic!("{indicator} has a lens {lens}"));
                rows.iter().map(|(_, r)| r[k]).collect()
            })
            .collect()
    }

    /// Per replicate b − a of an indicator at a lens, the two arms on the same seed.
    pub fn contrast(
        &self,
        a: &Scenario,
        b: &Scenario,
        indicator: &str,
        lens: &str,
        scope: Scope,
    ) -> Vec<f64> {
        let (x, y) = (
            self.values(a, indicator, lens, scope),
            self.values(b, indicator, lens, scope),
        );
        y.iter().zip(&x).map(|(y, x)| y - x).collect()
    }
}

/// Clauses measured as the mean paired difference of one indicator between two arms on common
/// random numbers (the second arm minus the first): each `name: arms, indicator, lens, scope;`
/// declares the clause function `name(b, off)` comparing the two scenarios `arms(b, off)`.
macro_rules! contrasts {
    ($( $(#[$doc:meta])*
        $name:ident: $arms:ident, $indicator:literal, $lens:expr, $scope:ident; )*) => {$(
        $(#[$doc])*
        pub fn $name(b: &Bench, off: &[&str]) -> Effect {
            let (a, z) = $arms(b, off);
            Effect::mean_of(&b.contrast(&a, &z, $indicator, $lens, Scope::$scope))
        }
    )*};
}

/// `f(r)` for every replicate r of `s`, in replicate order (in parallel).
fn each<T: Send>(s: &Scenario, f: impl Fn(u64) -> T + Sync + Send) -> Vec<T> {
    (0..s.replicates as u64).into_par_iter().map(f).collect()
}

/// The slot of the first person of population `key` in a design.
fn slot_of(s: &Scenario, d: &Design, key: &str) -> usize {
    d.slots
        .iter()
        .position(|&p| s.populations[p as usize].key == key)
        .expect("the population has a slot")
}

// ---------------------------------------------------------------- fact 1

/// Newcomers of the knitting café with the volunteers' language and the talkativeness of a
/// default local: equal language and initiative.
const EQUAL_LANGUAGE: [&str; 2] = [
    "population.newcomers.language=1.0",
    "population.newcomers.initiative=0.5",
];

/// The lens of facts about the immigrant participants.
pub const NEWCOMERS: &str = "newcomers";
/// The lens of facts about the volunteers.
pub const VOLUNTEERS: &str = "volunteers";

/// ln(the newcomers' spoken-for rate ÷ the volunteers'), run means, per replicate (one run).
fn log_usurp_ratio(b: &Bench, s: &Scenario) -> Vec<f64> {
    let rates = [
        ("spoken_for_rate", NEWCOMERS),
        ("spoken_for_rate", VOLUNTEERS),
    ];
    let both = b.values_of(s, &rates, Scope::RunMean);
    both[0]
        .iter()
        .zip(&both[1])
        .map(|(p, v)| (p / v).ln())
        .collect()
}

/// 1a: at equal language and initiative, newcomers are spoken for more than volunteers.
pub fn spoken_for_by_status(b: &Bench, off: &[&str]) -> Effect {
    let s = b.scenario(KNITTING, &EQUAL_LANGUAGE, off);
    Effect::mean_of(&log_usurp_ratio(b, &s))
}

/// 1b: low language adds to the gap: ln ratio of the café as it is minus at equal language.
pub fn low_language_adds_to_the_gap(b: &Bench, off: &[&str]) -> Effect {
    let low = log_usurp_ratio(b, &b.scenario(KNITTING, &[], off));
    let equal = log_usurp_ratio(b, &b.scenario(KNITTING, &EQUAL_LANGUAGE, off));
    Effect::mean_of(
        &low.iter()
            .zip(&equal)
            .map(|(l, e)| l - e)
            .collect::<Vec<_>>(),
    )
}

// ---------------------------------------------------------------- fact 2

/// 2: newcomers' voice share in weeks 9–30 when nobody could be spoken for in weeks 1–8 (full
/// facilitation), minus when they could from the start.
pub fn early_interruption_lasts(b: &Bench, off: &[&str]) -> Effect {
    let s = b.scenario(KNITTING, &["activity.groups=1"], off);
    let open = Design::compile_all(&s).remove(0);
    let protected = Design::compile_all(&b.scenario(
        KNITTING,
        &["activity.groups=1", "activity.facilitation=1.0"],
        off,
    ))
    .remove(0);
    let layout = Layout::of(&open);
    let k = layout
        .position("voice_share", NEWCOMERS)
        .expect("voice_share has a newcomers lens");
    let arm = |r: u64, early: &Design| {
        let mut run = GroupRun::new(&open, s.seed, r, 0);
        let mut pooled = WeekTally::default();
        for week in 1..=30 {
            run.design = if week <= 8 { early } else { &open };
            let t = run.step(&mut NoEvents);
            if week > 8 {
                pooled.add(t);
            }
        }
        layout.row(&pooled)[k]
    };
    Effect::mean_of(&each(&s, |r| arm(r, &protected) - arm(r, &open)))
}

// ---------------------------------------------------------------- fact 3

/// The knitting café with volunteers of low and of high need to help.
fn need_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    let low = "population.volunteers.need_to_help={beta=[2.0,6.0]}";
    let high = "population.volunteers.need_to_help={beta=[8.0,2.0]}";
    b.arms(KNITTING, [&[low], &[high]], off)
}

contrasts! {
    /// 3a: volunteers with a high need to help give more dependency-oriented help.
    need_to_help_breeds_dependency: need_arms, "dependency_help_share", NEWCOMERS, RunMean;
    /// 3b: … which lowers the newcomers' agency.
    need_to_help_lowers_agency: need_arms, "mean_agency", NEWCOMERS, FinalWeek;
    /// 3c: … and their propensity for independent attempts.
    need_to_help_lowers_p_indep: need_arms, "mean_p_indep", NEWCOMERS, FinalWeek;
    /// 3d: … while the volunteers' satisfaction rises, through the help they give.
    need_to_help_satisfies_the_helper: need_arms, "satisfaction", VOLUNTEERS, RunMean;
}

// ---------------------------------------------------------------- fact 4

/// The knitting café open to every origin with a moderate stereotype (0.6), and targeted at
/// non-western origins with a neediness stereotype (0.3).
fn targeting_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    let open = ["activity.targets=[]", "stereotypes.non-western=0.6"];
    let targeted = [
        "activity.targets=[\"non-western\"]",
        "stereotypes.non-western=0.3",
    ];
    b.arms(KNITTING, [&open, &targeted], off)
}

contrasts! {
    /// 4: targeting by origin with a neediness stereotype raises dependency help to that group.
    targeting_breeds_dependency: targeting_arms, "dependency_help_share", NEWCOMERS, RunMean;
}

// ---------------------------------------------------------------- fact 5

/// 5a: in the focus group (one meeting, many replicates), the lone newcomer is spoken for more
/// than the locals who host her: her spoken-for rate minus that of the volunteers and staff
/// together, in the one meeting.
pub fn the_lone_participant_is_spoken_for(b: &Bench, off: &[&str]) -> Effect {
    let s = b.scenario_with(FOCUS_GROUP, &[], off, 10 * b.size.replicates);
    let d = Design::compile_all(&s).remove(0);
    let rate = |spoken_for: f64, floors: f64| {
        if floors > 0.0 {
            spoken_for / floors
        } else {
            f64::NAN
        }
    };
    Effect::mean_of(&each(&s, |r| {
        let mut run = GroupRun::new(&d, s.seed, r, 0);
        let t = run.step(&mut NoEvents);
        let (her, hosts) = (t.class(Class::Newcomer), t.hosts());
        rate(her.spoken_for, her.floors) - rate(hosts.spoken_for, hosts.floors)
    }))
}

/// What became of the exemplar (Azmia) over a run of the community centre.
#[derive(Debug, Clone, Copy)]
pub struct Exemplar {
    /// Change of the locals' mean perceived competence of her.
    pub perceived: f64,
    /// Change of the locals' mean stereotype of her origin.
    pub stereotype: f64,
    /// Still active at the end, never having left (her slot never refilled).
    pub stayed: bool,
    /// In limbo at the end ([`in_limbo`]).
    pub limbo: bool,
}

/// Mean over `locals` of `f(v)`.
fn mean_over(locals: &[usize], f: impl Fn(usize) -> f64) -> f64 {
    locals.iter().map(|&v| f(v)).sum::<f64>() / locals.len().max(1) as f64
}

/// Follows the `azmia` population's person through each replicate of `s`.
pub fn exemplar_runs(s: &Scenario) -> Vec<Exemplar> {
    let d = Design::compile_all(s).remove(0);
    let j = slot_of(s, &d, "azmia");
    each(s, |r| {
        let mut run = GroupRun::new(&d, s.seed, r, 0);
        let n = run.group.n();
        let o = run.group.persons[j].origin as usize;
        let locals: Vec<usize> = (0..n)
            .filter(|&v| run.group.persons[v].status.is_local())
            .collect();
        let perceived = |g: &Group| mean_over(&locals, |v| g.perceived[v * n + j] as f64);
        let stereotype =
            |g: &Group| mean_over(&locals, |v| g.stereotype[v * g.n_origins + o] as f64);
        let (c0, mu0) = (perceived(&run.group), stereotype(&run.group));
        let mut joined = Joined::new(j);
        for _ in 0..s.weeks {
            run.step(&mut joined);
        }
        let g = &run.group;
        Exemplar {
            perceived: perceived(g) - c0,
            stereotype: stereotype(g) - mu0,
            stayed: !joined.seen && g.persons[j].active,
            limbo: in_limbo(g, &d, j),
        }
    })
}

/// Notices whether anyone joined in slot `slot` (the person there was replaced).
struct Joined {
    slot: usize,
    seen: bool,
}

impl Joined {
    fn new(slot: usize) -> Joined {
        Joined { slot, seen: false }
    }
}

impl Events for Joined {
    const ENABLED: bool = true;
    fn emit(&mut self, e: Event) {
        if matches!(e, Event::Joined { person } if person == self.slot) {
            self.seen = true;
        }
    }
}

/// 5b: over two years at the community centre, the locals' perceived competence of her rises.
pub fn her_perceived_competence_rises(b: &Bench, off: &[&str]) -> Effect {
    let runs = exemplar_runs(&b.scenario(COMMUNITY_CENTRE, &[], off));
    Effect::mean_of(&runs.iter().map(|x| x.perceived).collect::<Vec<_>>())
}

/// 5c: … while their stereotype of her origin does not improve (contrast even lowers it a little).
pub fn the_stereotype_does_not_improve(b: &Bench, off: &[&str]) -> Effect {
    let runs = exemplar_runs(&b.scenario(COMMUNITY_CENTRE, &[], off));
    Effect::mean_of(&runs.iter().map(|x| x.stereotype).collect::<Vec<_>>())
}

/// 5d: … and she ends in limbo: the share of replicates in which she is still there and in limbo,
/// among those in which she is still there.
pub fn she_stays_in_limbo(b: &Bench, off: &[&str]) -> Effect {
    let runs = exemplar_runs(&b.scenario(COMMUNITY_CENTRE, &[], off));
    let limbo: Vec<f64> = runs
        .iter()
        .filter(|x| x.stayed)
        .map(|x| x.limbo as u8 as f64)
        .collect();
    Effect::mean_of(&limbo)
}

/// The community centre with only Azmia's place (no newcomers) and no pathway, so that she stays
/// a participant among the locals.
const ALONE: [&str; 3] = [
    "population.newcomers.count=0",
    "activity.pathway=false",
    "activity.capacity=1",
];

/// 5e: about the same disconfirmation, dispersed over three participants each moderately above
/// the stereotype (together about as far above it as the exemplar alone), moves the stereotype
/// more than concentrated in one exemplar (Weber & Crocker 1983): the locals' final stereotype of
/// her origin (lens `origin=syria`), three moderate − one exemplar.
pub fn dispersed_disconfirmation_moves_more(b: &Bench, off: &[&str]) -> Effect {
    let one = b.scenario(COMMUNITY_CENTRE, &ALONE, off);
    let many = b.scenario(
        COMMUNITY_CENTRE,
        &[
            ALONE[0],
            ALONE[1],
            "activity.capacity=3",
            "population.azmia.count=3",
            "population.azmia.language={beta=[4.0,6.0]}",
            "population.azmia.resources={uniform=[0.4,0.6]}",
            "population.azmia.initiative=0.6",
        ],
        off,
    );
    Effect::mean_of(&b.contrast(&one, &many, "stereotype", "origin=syria", Scope::FinalWeek))
}

// ---------------------------------------------------------------- fact 6

/// The knitting café (with a pathway and a waiting list) and the same café co-designed: low
/// service frame, co-design, facilitation. Both designs allow transitions.
fn design_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    let base = ["activity.capacity=15", "activity.pathway=true"];
    let service = b.scenario(KNITTING, &base, off);
    let co = b.scenario(
        KNITTING,
        &[
            base[0],
            base[1],
            "activity.service_frame=0.3",
            "activity.co_design=0.7",
            "activity.facilitation=0.6",
        ],
        off,
    );
    (service, co)
}

contrasts! {
    /// 6a: co-design and facilitation raise voice parity.
    co_design_raises_voice: design_arms, "voice_parity", NEWCOMERS, RunMean;
    /// 6b: … adopted proposals.
    co_design_raises_adopted_proposals: design_arms, "proposals_adopted_share", NEWCOMERS, RunMean;
    /// 6c: … agency.
    co_design_raises_agency: design_arms, "mean_agency", NEWCOMERS, FinalWeek;
    /// 6d: … and role transitions, both designs having a pathway.
    co_design_raises_transitions: design_arms, "role_transitions", NEWCOMERS, RunMean;
}

// ---------------------------------------------------------------- fact 7

/// The share of the founding volunteers gone after a year (1 − `founding_volunteers_retained` at
/// week 52), per replicate.
fn attrition(b: &Bench, s: &Scenario) -> Vec<f64> {
    b.values(
        s,
        "founding_volunteers_retained",
        VOLUNTEERS,
        Scope::FinalWeek,
    )
    .iter()
    .map(|r| 1.0 - r)
    .collect()
}

/// 7a: two volunteers with 40 participants (20 each) leave more than with 8 (4 each).
pub fn load_drives_volunteers_out(b: &Bench, off: &[&str]) -> Effect {
    let with = |participants: &str| {
        b.scenario(
            CALIBRATION,
            &[
                "scenario.weeks=52",
                "population.volunteers.count=2",
                participants,
            ],
            off,
        )
    };
    let light = attrition(b, &with("population.participants.count=8"));
    let heavy = attrition(b, &with("population.participants.count=40"));
    Effect::mean_of(
        &heavy
            .iter()
            .zip(&light)
            .map(|(h, l)| h - l)
            .collect::<Vec<_>>(),
    )
}

/// 7b: younger volunteers leave more under high load: attrition younger − older under 12
/// participants per volunteer, minus the same difference under 2.5.
pub fn load_drives_out_the_young(b: &Bench, off: &[&str]) -> Effect {
    let arm = |heavy: bool, stage: &str| {
        let stage = format!("population.volunteers.life_stage=\"{stage}\"");
        let mut sets = vec!["scenario.weeks=52", stage.as_str()];
        if heavy {
            sets.extend([
                "population.participants.count=24",
                "population.volunteers.count=2",
            ]);
        }
        attrition(b, &b.scenario(CALIBRATION, &sets, off))
    };
    let (hy, ho, ly, lo) = (
        arm(true, "younger"),
        arm(true, "older"),
        arm(false, "younger"),
        arm(false, "older"),
    );
    let did: Vec<f64> = (0..hy.len())
        .map(|r| (hy[r] - ho[r]) - (ly[r] - lo[r]))
        .collect();
    Effect::mean_of(&did)
}

// ---------------------------------------------------------------- fact 8

/// The calibration café over two years with weak and with strong ties from talk.
fn tie_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    let weeks = "scenario.weeks=104";
    let (weak, strong) = ("parameters.tie_talk=0.005", "parameters.tie_talk=0.04");
    b.arms(CALIBRATION, [&[weeks, weak], &[weeks, strong]], off)
}

/// The calibration café with a light and a heavy care load.
fn care_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    let light = "population.participants.care_load=0.1";
    let heavy = "population.participants.care_load=0.9";
    b.arms(CALIBRATION, [&[light], &[heavy]], off)
}

contrasts! {
    /// 8a: bridging ties raise the newcomers' housing and job events (`doors_opened`, credited
    /// to those who entered as newcomers): strong − weak ties from talk.
    bridges_open_doors: tie_arms, "doors_opened", NEWCOMERS, RunMean;
    /// 8b: newcomers with a heavy care load attend less.
    care_load_keeps_mothers_home: care_arms, "attendance_rate", NEWCOMERS, RunMean;
    /// 8c: … and gain less language (`language_gain`: within-person, so not who left).
    care_load_slows_language: care_arms, "language_gain", NEWCOMERS, FinalWeek;
}

// ---------------------------------------------------------------- fact 9

/// The calibration café over two years with a pathway and a waiting list, with `sets`.
fn pathway_cafe(b: &Bench, sets: &[&str], off: &[&str]) -> Scenario {
    let mut all = vec![
        "scenario.weeks=104",
        "activity.pathway=true",
        "activity.capacity=10",
    ];
    all.extend_from_slice(sets);
    b.scenario(CALIBRATION, &all, off)
}

/// The pathway café with beginning and with fluent participants.
fn language_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    let beginning = "population.participants.language={beta=[1.5,6.0]}";
    let fluent = "population.participants.language={beta=[6.0,2.0]}";
    (
        pathway_cafe(b, &[beginning], off),
        pathway_cafe(b, &[fluent], off),
    )
}

/// The pathway café where the locals doubt the newcomers' competence (stereotype 0.15) and
/// where they trust it (0.7).
fn invitation_arms(b: &Bench, off: &[&str]) -> (Scenario, Scenario) {
    (
        pathway_cafe(b, &["stereotypes.newcomer=0.15"], off),
        pathway_cafe(b, &["stereotypes.newcomer=0.7"], off),
    )
}

contrasts! {
    /// 9a: stepping up is gated by language: transitions, fluent − beginning participants.
    stepping_up_is_gated_by_language: language_arms, "role_transitions", NEWCOMERS, RunMean;
    /// 9b: … and by invitation: transitions when the locals think them competent (stereotype
    /// 0.7) − when they doubt them (0.15).
    stepping_up_is_gated_by_invitation: invitation_arms, "role_transitions", NEWCOMERS, RunMean;
}

/// Agency change of each participant in the week she becomes a co-organizer.
struct StepUps {
    gains: Vec<(usize, f64)>,
    before: Vec<f64>,
    was: Vec<Status>,
}

impl Events for StepUps {
    const ENABLED: bool = true;
    fn emit(&mut self, e: Event) {
        if let Event::Transition {
            person,
            to: Status::CoOrganizer,
        } = e
        {
            if self.was[person] == Status::Participant {
                self.gains.push((person, self.before[person]));
            }
        }
    }
}

/// 9c: stepping up restores agency: her agency at the end of the week she becomes a
/// co-organizer minus at the end of the week before.
pub fn stepping_up_restores_agency(b: &Bench, off: &[&str]) -> Effect {
    let s = pathway_cafe(
        b,
        &["population.participants.language={beta=[6.0,2.0]}"],
        off,
    );
    let d = Design::compile_all(&s).remove(0);
    let per_replicate = each(&s, |r| {
        let mut run = GroupRun::new(&d, s.seed, r, 0);
        let mut out = Vec::new();
        for _ in 0..s.weeks {
            let mut ev = StepUps {
                gains: Vec::new(),
                before: run.group.persons.iter().map(|p| p.agency).collect(),
                was: run.group.persons.iter().map(|p| p.status).collect(),
            };
            run.step(&mut ev);
            for (j, before) in ev.gains {
                if run.group.persons[j].active {
                    out.push(run.group.persons[j].agency - before);
                }
            }
        }
        out
    });
    Effect::mean_of(&per_replicate.concat())
}

// ---------------------------------------------------------------- contact

/// Each active local's stereotype gap at the end of each replicate: the mean over the active
/// participants of a minority origin of their true competence minus her stereotype of their
/// origin (how far the locals underrate them as a group).
fn stereotype_gaps(s: &Scenario) -> Vec<f64> {
    let d = Design::compile_all(s).remove(0);
    each(s, |r| {
        let mut run = GroupRun::new(&d, s.seed, r, 0);
        for _ in 0..s.weeks {
            run.step(&mut NoEvents);
        }
        let g = &run.group;
        let n = g.n();
        let newcomers: Vec<usize> = (0..n)
            .filter(|&j| g.persons[j].active && g.persons[j].status.is_participant())
            .filter(|&j| !g.persons[j].majority)
            .collect();
        (0..n)
            .filter(|&v| g.persons[v].is_active_local() && !newcomers.is_empty())
            .map(|v| {
                mean_over(&newcomers, |j| {
                    let o = g.persons[j].origin as usize;
                    g.persons[j].competence() - g.stereotype[v * g.n_origins + o] as f64
                })
            })
            .collect::<Vec<f64>>()
    })
    .concat()
}

/// Point-biserial correlation between belonging to group b (1) rather than a (0) and a value.
pub fn point_biserial(a: &[f64], b: &[f64]) -> f64 {
    let n = (a.len() + b.len()) as f64;
    let all = a.iter().chain(b);
    let mean = all.clone().sum::<f64>() / n;
    let sd = (all.map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt();
    let (ma, mb) = (
        a.iter().sum::<f64>() / a.len() as f64,
        b.iter().sum::<f64>() / b.len() as f64,
    );
    let p = b.len() as f64 / n;
    (mb - ma) / sd * (p * (1.0 - p)).sqrt()
}

/// C1: positive contact under Allport's conditions (low service frame, co-design: equal status
/// and cooperation) narrows the stereotype gap, by about Pettigrew & Tropp's (2006) effect: the
/// point-biserial r, over the locals of both designs at week 104, between the design (1 =
/// Allport's conditions) and a local's stereotype gap.
pub fn allport_contact_narrows_the_gap(b: &Bench, off: &[&str]) -> Effect {
    let service = stereotype_gaps(&b.scenario(KNITTING, &[], off));
    let allport = stereotype_gaps(&b.scenario(
        KNITTING,
        &["activity.service_frame=0.2", "activity.co_design=0.8"],
        off,
    ));
    let n = (service.len() + allport.len()) as u64;
    Effect::correlation(point_biserial(&service, &allport), n)
}

// ---------------------------------------------------------------- the matrix

use Direction::{Down, Up};

/// Every clause, in the order of MODEL.md §5, then contact.
pub const CLAUSES: &[Clause] = &[
    Clause {
        id: "1a",
        claim: "at equal language and initiative newcomers are spoken for more than volunteers (status and protectiveness)",
        indicator: "ln(spoken_for_rate newcomers / volunteers) in the knitting café at equal language (run mean)",
        lens: "newcomers / volunteers",
        direction: Up,
        min_effect: 0.262,
        source: "ln 1.3: the lower end of the status odds ratio 1.3-1.8 per turn (Anderson & Leaper 1998)",
        ablations: &[&["status_usurping", "protective_usurping"]],
        measure: spoken_for_by_status,
    },
    Clause {
        id: "1b",
        claim: "low language adds to the gap",
        indicator: "ln(spoken_for_rate newcomers / volunteers) of the café as it is minus at equal language (run mean)",
        lens: "newcomers / volunteers",
        direction: Up,
        min_effect: 0.405,
        source: "ln 1.5: 'most of all those with low L' (Stein); direction only in the literature",
        ablations: &[&["language_hesitation"]],
        measure: low_language_adds_to_the_gap,
    },
    Clause {
        id: "2",
        claim: "early interruption has lasting effects on voice",
        indicator: "voice_share of newcomers in weeks 9-30: protected start minus open start",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.002,
        source: "one turn in 500; direction only (Cannon, Robinson & Smith-Lovin 2019)",
        ablations: &[&["status_compounding"]],
        measure: early_interruption_lasts,
    },
    Clause {
        id: "3a",
        claim: "a higher need to help brings more dependency-oriented help",
        indicator: "dependency_help_share of newcomers: high minus low need to help (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.1,
        source: "ten percentage points; direction only (Nadler 2002; Malkki 2015)",
        ablations: &[&["need_drives_help"]],
        measure: need_to_help_breeds_dependency,
    },
    Clause {
        id: "3b",
        claim: "... which lowers newcomers' agency",
        indicator: "mean_agency of newcomers: high minus low need to help (final week)",
        lens: "newcomers",
        direction: Down,
        min_effect: 0.02,
        source: "two hundredths of the agency scale; direction only (Alvarez & van Leeuwen 2015)",
        ablations: &[&["need_drives_help"]],
        measure: need_to_help_lowers_agency,
    },
    Clause {
        id: "3c",
        claim: "... and their propensity for independent attempts",
        indicator: "mean_p_indep of newcomers: high minus low need to help (final week)",
        lens: "newcomers",
        direction: Down,
        min_effect: 0.02,
        source: "two hundredths; direction only (Baltes 1996)",
        ablations: &[&["need_drives_help"]],
        measure: need_to_help_lowers_p_indep,
    },
    Clause {
        id: "3d",
        claim: "... while the volunteers' satisfaction rises (through help given)",
        indicator: "satisfaction of volunteers: high minus low need to help (run mean)",
        lens: "volunteers",
        direction: Up,
        min_effect: 0.01,
        source: "one hundredth; direction only (Malkki 2015)",
        ablations: &[&["need_drives_help"]],
        measure: need_to_help_satisfies_the_helper,
    },
    Clause {
        id: "4",
        claim: "targeting by origin with a neediness stereotype raises dependency help",
        indicator: "dependency_help_share of newcomers: targeted with stereotype 0.3 minus open with 0.6 (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.05,
        source: "five percentage points; direction only (Nadler & Chernyak-Hai 2014)",
        ablations: &[&["neediness_stereotype"]],
        measure: targeting_breeds_dependency,
    },
    Clause {
        id: "5a",
        claim: "in the focus group the lone newcomer is spoken for more than the volunteers and staff (status, protectiveness, her B1 language)",
        indicator: "spoken-for rate: hers (newcomers) minus that of volunteers and staff together (the one meeting)",
        lens: "newcomers − volunteers and staff",
        direction: Up,
        min_effect: 0.02,
        source: "two usurped turns in 100 floors more; 'Azmia would not get the chance to finish a sentence' (Stein)",
        ablations: &[&["status_usurping", "protective_usurping", "language_hesitation"]],
        measure: the_lone_participant_is_spoken_for,
    },
    Clause {
        id: "5b",
        claim: "over two years her perceived competence rises",
        indicator: "locals' perceived competence of her: week 104 minus start",
        lens: "",
        direction: Up,
        min_effect: 0.05,
        source: "five hundredths; 'a splendid example' (Stein)",
        ablations: &[&["individuation"]],
        measure: her_perceived_competence_rises,
    },
    Clause {
        id: "5c",
        claim: "... while the stereotype of her origin does not improve",
        indicator: "locals' stereotype of her origin: week 104 minus start",
        lens: "",
        direction: Down,
        min_effect: 0.0,
        source: "any fall; subtyping (Weber & Crocker 1983), contrast (Bless et al. 2001)",
        ablations: &[&["subtyping"]],
        measure: the_stereotype_does_not_improve,
    },
    Clause {
        id: "5d",
        claim: "... and she stays in limbo",
        indicator: "share of replicates in which she is in limbo at week 104 among those she stayed",
        lens: "",
        direction: Up,
        min_effect: 0.5,
        source: "most replicates; 'These narratives leave Azmia in limbo' (Stein)",
        ablations: &[&["subtyping"], &["status_cap"]],
        measure: she_stays_in_limbo,
    },
    Clause {
        id: "5e",
        claim: "disconfirmation dispersed over many members moves the stereotype more than concentrated in one",
        indicator: "stereotype of origin=syria at week 104: three moderate participants minus one exemplar",
        lens: "origin=syria",
        direction: Up,
        min_effect: 0.01,
        source: "one hundredth; direction (Weber & Crocker 1983)",
        ablations: &[&["subtyping"]],
        measure: dispersed_disconfirmation_moves_more,
    },
    Clause {
        id: "6a",
        claim: "co-design and facilitation raise voice parity",
        indicator: "voice_parity of newcomers: co-designed minus service café (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.02,
        source: "two hundredths; direction only (MODEL.md fact 6)",
        ablations: &[&["turn_taking_norm", "expert_frame"]],
        measure: co_design_raises_voice,
    },
    Clause {
        id: "6b",
        claim: "... adopted proposals",
        indicator: "proposals_adopted_share of newcomers: co-designed minus service (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.05,
        source: "five percentage points; direction only",
        ablations: &[&["shared_agenda"]],
        measure: co_design_raises_adopted_proposals,
    },
    Clause {
        id: "6c",
        claim: "... agency",
        indicator: "mean_agency of newcomers: co-designed minus service (final week)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.05,
        source: "five hundredths; direction only",
        ablations: &[&["turn_taking_norm", "expert_frame", "shared_agenda", "equal_status_help"]],
        measure: co_design_raises_agency,
    },
    Clause {
        id: "6d",
        claim: "... and role transitions (both designs with a pathway)",
        indicator: "role_transitions of those who entered as newcomers, per week: co-designed minus service (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.005,
        source: "one transition in 200 weeks; direction only",
        ablations: &[&["turn_taking_norm", "expert_frame", "shared_agenda", "equal_status_help"]],
        measure: co_design_raises_transitions,
    },
    Clause {
        id: "7a",
        claim: "a high participant-per-volunteer load drives volunteers out",
        indicator: "founding volunteers gone at week 52 (1 - founding_volunteers_retained): 20 minus 4 participants per volunteer",
        lens: "volunteers",
        direction: Up,
        min_effect: 0.1,
        source: "ten percentage points; 'I couldn't manage 20 participants' (Stein)",
        ablations: &[&["burden"]],
        measure: load_drives_volunteers_out,
    },
    Clause {
        id: "7b",
        claim: "younger volunteers leave more under high load",
        indicator: "founding volunteers gone at week 52, younger minus older: 12 minus 2.5 participants per volunteer (difference in differences)",
        lens: "volunteers",
        direction: Up,
        min_effect: 0.05,
        source: "five percentage points; direction (Herslund & Paulgaard 2021)",
        ablations: &[&["life_stage_burden"]],
        measure: load_drives_out_the_young,
    },
    Clause {
        id: "8a",
        claim: "bridging ties raise newcomers' housing and job events",
        indicator: "doors_opened of newcomers per week: strong minus weak ties (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.01,
        source: "one event in 100 weeks per group; direction (Lancee 2010)",
        ablations: &[&["door_opening"]],
        measure: bridges_open_doors,
    },
    Clause {
        id: "8b",
        claim: "newcomers with a high care load attend less",
        indicator: "attendance_rate of newcomers: care load 0.9 minus 0.1 (run mean)",
        lens: "newcomers",
        direction: Down,
        min_effect: 0.1,
        source: "ten percentage points; 'They stay there [at home]' (Stein)",
        ablations: &[&["care_load"]],
        measure: care_load_keeps_mothers_home,
    },
    Clause {
        id: "8c",
        claim: "... and gain less language",
        indicator: "language_gain of newcomers (L now - L at entry): care load 0.9 minus 0.1 (final week)",
        lens: "newcomers",
        direction: Down,
        min_effect: 0.005,
        source: "a thirtieth of a CEFR step; direction only",
        ablations: &[&["care_load"]],
        measure: care_load_slows_language,
    },
    Clause {
        id: "9a",
        claim: "stepping up is gated by language",
        indicator: "role_transitions of those who entered as newcomers, per week: fluent minus beginning (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.05,
        source: "one transition in 20 weeks per group; Azmia 'first as a participant and later as a volunteer' (Stein)",
        ablations: &[&["language_gate"]],
        measure: stepping_up_is_gated_by_language,
    },
    Clause {
        id: "9b",
        claim: "... and by invitation from locals who think her competent",
        indicator: "role_transitions of those who entered as newcomers, per week: stereotype 0.7 minus 0.15 (run mean)",
        lens: "newcomers",
        direction: Up,
        min_effect: 0.005,
        source: "one transition in 200 weeks per group; gatekeeping (MODEL.md M8)",
        ablations: &[&["invitation", "neediness_stereotype"]],
        measure: stepping_up_is_gated_by_invitation,
    },
    Clause {
        id: "9c",
        claim: "stepping up restores agency",
        indicator: "agency change in the week she becomes a co-organizer",
        lens: "",
        direction: Up,
        min_effect: 0.01,
        source: "one hundredth; direction (Alvarez & van Leeuwen 2015)",
        ablations: &[&["transition_boost"]],
        measure: stepping_up_restores_agency,
    },
    Clause {
        id: "C1",
        claim: "contact under Allport's conditions narrows the stereotype gap (Pettigrew & Tropp)",
        indicator: "r between Allport's conditions and a local's stereotype gap (c - stereotype) at week 104",
        lens: "",
        direction: Down,
        min_effect: 0.1,
        source: "Pettigrew & Tropp (2006): mean r = -0.21 overall and -0.29 under Allport's conditions; at least -0.1",
        ablations: &[&["allport_contact"]],
        measure: allport_contact_narrows_the_gap,
    },
];
