//! Observation: the sums one group contributes to a week's indicators, by lens. Sums (not
//! ratios) so that pooling over groups is a ratio of sums, and so that lens `all` is the sum of
//! its classes. Metrics read the model; they never change it.
//!
//! The [`Observer`] of a group adds, into a [`WeekTally`] it reuses (no allocation in the week
//! loop):
//! - after each meeting drawn, attendance by class (`attendance`);
//! - after each meeting held, talk, help received and agenda by class (`meeting`), once per
//!   person present, not per turn: the hot turn loop keeps its own per-person counters;
//! - at the end of the week, the state of every person by class (`end_week`): levels, beliefs
//!   about her, ties from her, the week's life events, and the cumulative retention sums.
//!
//! A newcomer's sums go to her class and to each of her attribute cells ([`Cells`]).

use super::lens::{Cells, Class};
use crate::mechanisms::stereotypes::LimboVotes;
use crate::model::group::{Design, Group};
use crate::model::person::{event, Person};
use crate::model::Status;

macro_rules! tally {
    ($(#[$meta:meta])* $Name:ident { $( $(#[$doc:meta])* $field:ident ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
        pub struct $Name { $( $(#[$doc])* pub $field: f64, )* }
        impl $Name {
            /// Adds another tally's sums (pooling, or summing classes).
            #[inline]
            pub fn add(&mut self, o: &$Name) { $( self.$field += o.$field; )* }
            /// The field names, in declaration order.
            pub const FIELDS: &'static [&'static str] = &[ $( stringify!($field) ),* ];
        }
    };
}

tally! {
    /// Sums over the members of one lens in one week (one group, or many pooled). Unless a field
    /// says otherwise, a member is a person of the lens's class this week; "entry" fields count
    /// the persons who entered in the lens's class (as newcomers or local participants), whatever
    /// their status now.
    LensTally {
        /// Members active at the end of the week.
        members,
        /// Members who left this week (dropped out or withdrew).
        leavers,
        /// Entry: active at the end of the week.
        entered,
        /// Entry: left this week.
        entered_leavers,
        /// Floors held at held meetings.
        floors,
        /// Of them, taken over by someone else ("spoken for").
        spoken_for,
        /// Turns the members took over from someone else.
        took_over,
        /// Voice: completed turns plus turns taken over.
        voice,
        /// Person-meetings present at held meetings.
        presence,
        /// Help episodes received; of them dependency-oriented; unsolicited.
        help,
        help_dependency,
        help_unsolicited,
        /// Agenda decisions that adopted a member's proposal.
        adopted,
        /// Meetings drawn that a member came to / that an active member could have come to.
        attended,
        attend_possible,
        /// Sums over active members (participants) at the end of the week.
        agency,
        /// Σ over groups of (Gini of the group's members' agency × their number).
        gini_weighted,
        p_indep,
        language,
        /// Σ (L now − L at entry).
        language_gain,
        knowhow,
        belonging,
        co_organizers,
        /// Over pairs (active volunteer or staff member v, active member j ≠ v): Σ (c_j − ĉ_vj),
        /// Σ μ_v(origin_j), Σ (1 − w_vj), and the number of pairs.
        gap,
        stereotype,
        us_them,
        pairs,
        /// Over ordered pairs (active member i, active person j ≠ i) of each type: Σ tie, pairs.
        bonding,
        bonding_pairs,
        bridging,
        bridging_pairs,
        linking,
        linking_pairs,
        /// Σ over active members with any tie of (tie strength to majority-origin persons ÷ all
        /// her tie strength), and the number of such members.
        local_tie_share,
        tied,
        /// Sums over active members (volunteers, staff).
        satisfaction,
        burden,
        /// Founding members (active at week 0) / of them still active.
        founding,
        founding_active,
        /// Events this week by current class: dropouts, withdrawals, stranded participants.
        dropouts,
        withdrawals,
        stranded,
        /// Entry: active persons in limbo; role transitions, housing and jobs found this week.
        limbo,
        transitions,
        housing,
        job,
        /// Cumulative since week 1 (volunteers, staff): withdrawals, weeks active, and the weeks
        /// active of those who withdrew.
        cum_withdrawals,
        cum_weeks,
        cum_tenure,
    }
}

tally! {
    /// Sums of the group as a whole in one week (one group, or many pooled).
    GroupTally {
        /// Groups pooled (1 per group): count indicators are per group.
        groups,
        /// Meetings held.
        meetings,
        /// Floors held at held meetings (turns).
        turns,
        /// Person-meetings of everyone present at held meetings.
        presence,
        /// Agenda decisions.
        decisions,
        /// Gini of the agency of all active participants × their number (lens `all` of
        /// `agency_gini`: a Gini is not the sum of the classes' Ginis).
        gini_participants,
    }
}

/// One non-majority origin's stereotype among the volunteers and staff of the groups where a
/// person of that origin has entered as a participant.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct OriginTally {
    /// Σ μ_v(origin) over active volunteers and staff v.
    pub stereotype: f64,
    /// Their number.
    pub holders: f64,
}

/// Everything a group (or many, pooled) contributes to a week's indicators.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct WeekTally {
    pub group: GroupTally,
    /// By class, in [`Class`] order.
    pub classes: [LensTally; 4],
    /// By attribute cell ([`Cells`]): newcomers of one value of one attribute of `[output] by`.
    pub cells: Vec<LensTally>,
    /// By origin (the design's origin table); majority origins stay zero.
    pub origins: Vec<OriginTally>,
}

impl WeekTally {
    /// An empty tally with room for `cells` attribute cells and `origins` origins.
    pub fn sized(cells: usize, origins: usize) -> WeekTally {
        WeekTally {
            cells: vec![LensTally::default(); cells],
            origins: vec![OriginTally::default(); origins],
            ..WeekTally::default()
        }
    }

    /// Sets every sum to 0, keeping the room (no allocation).
    pub fn clear(&mut self) {
        self.group = GroupTally::default();
        self.classes = [LensTally::default(); 4];
        self.cells.fill(LensTally::default());
        self.origins.fill(OriginTally::default());
    }

    /// Adds another tally's sums (pooling groups); an empty tally takes the other's shape.
    pub fn add(&mut self, o: &WeekTally) {
        if self.cells.len() < o.cells.len() {
            self.cells.resize(o.cells.len(), LensTally::default());
        }
        if self.origins.len() < o.origins.len() {
            self.origins.resize(o.origins.len(), OriginTally::default());
        }
        self.group.add(&o.group);
        for (a, b) in self.classes.iter_mut().zip(&o.classes) {
            a.add(b);
        }
        for (a, b) in self.cells.iter_mut().zip(&o.cells) {
            a.add(b);
        }
        for (a, b) in self.origins.iter_mut().zip(&o.origins) {
            a.stereotype += b.stereotype;
            a.holders += b.holders;
        }
    }

    /// The sums of one class.
    #[inline]
    pub fn class(&self, c: Class) -> &LensTally {
        &self.classes[c as usize]
    }

    /// The sums of lens `all` of participant indicators: newcomers + local participants, with
    /// the Gini of all participants together.
    pub fn participants(&self) -> LensTally {
        let mut t = self.classes[0];
        t.add(&self.classes[1]);
        t.gini_weighted = self.group.gini_participants;
        t
    }

    /// The sums of lens `all` of volunteer indicators: volunteers + staff.
    pub fn hosts(&self) -> LensTally {
        let mut t = self.classes[2];
        t.add(&self.classes[3]);
        t
    }
}

/// Adds `f` of the tally of `x`'s class and of each of her attribute cells (a newcomer's).
#[inline]
fn for_lenses(
    t: &mut WeekTally,
    cells: &Cells,
    class: Class,
    x: &Person,
    mut f: impl FnMut(&mut LensTally),
) {
    f(&mut t.classes[class as usize]);
    if class == Class::Newcomer {
        for k in cells.of_person(x) {
            f(&mut t.cells[k]);
        }
    }
}

/// What the active volunteers and staff (`hosts`: their slots) believe about person `j`, summed
/// over the pairs (v, j), v ≠ j, and whether she is in limbo.
#[derive(Debug, Clone, Copy, Default)]
pub struct Beliefs {
    /// Σ (c_j − ĉ_vj).
    pub gap: f64,
    /// Σ ĉ_vj.
    pub perceived: f64,
    /// Σ μ_v(origin_j).
    pub stereotype: f64,
    /// Σ (1 − w_vj).
    pub us_them: f64,
    /// Number of pairs.
    pub pairs: f64,
    /// In limbo: the model's one definition, [`in_limbo`](crate::mechanisms::stereotypes::in_limbo) (M4).
    pub limbo: bool,
}

/// The hosts' beliefs about person `j` (M4): see [`Beliefs`].
pub fn beliefs_about(g: &Group, d: &Design, j: usize, hosts: &[usize]) -> Beliefs {
    let n = g.n();
    let no = g.n_origins;
    let x = &g.persons[j];
    let mut b = Beliefs::default();
    let competence = x.competence();
    let origin = x.origin as usize;
    let mut votes = LimboVotes::default();
    for &v in hosts.iter().filter(|&&v| v != j) {
        let cell = v * n + j;
        let w = g.inclusion[cell] as f64;
        b.gap += competence - g.perceived[cell] as f64;
        b.perceived += g.perceived[cell] as f64;
        b.stereotype += g.stereotype[v * no + origin] as f64;
        b.us_them += 1.0 - w;
        b.pairs += 1.0;
        votes.count(g, d, v, j);
    }
    // `hosts` are the active locals, so these are in_limbo's votes, counted in the same pass.
    b.limbo = x.active && x.was_participant && votes.in_limbo();
    b
}

/// An active person as the tie loop of [`Observer::end_week`] reads her.
#[derive(Debug, Clone, Copy)]
struct Peer {
    slot: usize,
    origin: u16,
    majority: bool,
    local: bool,
}

/// The retention sums of one host class, carried from week to week.
#[derive(Debug, Clone, Copy, Default)]
struct Cumulative {
    withdrawals: f64,
    weeks: f64,
    tenure: f64,
}

/// The observer of one group: its lens cells, this week's tally, reused buffers and what it
/// carries from week to week (retention sums, weeks active per slot, origins seen).
#[derive(Debug, Clone)]
pub struct Observer {
    cells: Cells,
    tally: WeekTally,
    /// Agencies of each participant lens's members, ascending (Gini): all participants,
    /// newcomers, local participants, then each attribute cell.
    gini_bufs: Vec<Vec<f64>>,
    /// Slot indices of the active volunteers and staff, then of the active participants by
    /// agency.
    slots: Vec<usize>,
    /// The active persons, with what the tie loop reads of each.
    peers: Vec<Peer>,
    /// Per origin: active persons of that origin (the tie loop's bonding pairs).
    origin_peers: Vec<u32>,
    /// Per slot: weeks active as volunteer or staff of its current occupant.
    host_weeks: Vec<u32>,
    /// Per host class (volunteers, staff).
    cumulative: [Cumulative; 2],
    /// Founding members per class.
    founding: [f64; 4],
    /// Per origin: a person of that origin has entered the group as a participant.
    origin_seen: Vec<bool>,
}

impl Observer {
    /// The observer of a freshly drawn group.
    pub fn new(g: &Group, d: &Design) -> Observer {
        let cells = Cells::of(d);
        let n = g.n();
        let lenses = 3 + cells.len();
        let mut founding = [0.0; 4];
        for x in g.persons.iter().filter(|x| x.founding) {
            founding[Class::of(x) as usize] += 1.0;
        }
        Observer {
            tally: WeekTally::sized(cells.len(), g.n_origins),
            cells,
            gini_bufs: (0..lenses).map(|_| Vec::with_capacity(n)).collect(),
            slots: Vec::with_capacity(n),
            peers: Vec::with_capacity(n),
            origin_peers: vec![0; g.n_origins],
            host_weeks: vec![0; n],
            cumulative: [Cumulative::default(); 2],
            founding,
            origin_seen: vec![false; g.n_origins],
        }
    }

    /// The attribute cells of the design.
    pub fn cells(&self) -> &Cells {
        &self.cells
    }

    /// This week's sums so far.
    pub fn tally(&self) -> &WeekTally {
        &self.tally
    }

    /// Starts a week: every sum at 0.
    pub fn start_week(&mut self) {
        self.tally.clear();
        self.tally.group.groups = 1.0;
    }

    /// Adds who came to a meeting drawn, whether or not it could be held (attendance counts
    /// every meeting a participant could have come to).
    pub fn attendance(&mut self, g: &Group) {
        for x in &g.persons {
            if !x.active || !x.status.is_participant() {
                continue;
            }
            let came = x.came as u8 as f64;
            for_lenses(&mut self.tally, &self.cells, Class::of(x), x, |l| {
                l.attend_possible += 1.0;
                l.attended += came;
            });
        }
    }

    /// Adds the talk, help and agenda sums of a meeting held; `adopted` is whose proposal the
    /// agenda decision adopted, if one was taken.
    pub fn meeting(&mut self, g: &Group, present: &[usize], adopted: Option<usize>) {
        let t = &mut self.tally;
        t.group.meetings += 1.0;
        for &i in present {
            let x = &g.persons[i];
            let floors = x.floors as f64;
            t.group.turns += floors;
            t.group.presence += 1.0;
            for_lenses(t, &self.cells, Class::of(x), x, |l| {
                l.floors += floors;
                l.spoken_for += x.usurped_on as f64;
                l.took_over += x.usurped_by as f64;
                l.voice += (x.completed + x.usurped_by) as f64;
                l.presence += 1.0;
                l.help += x.help_received as f64;
                l.help_dependency += x.dependency_help_received as f64;
                l.help_unsolicited += x.unsolicited_help_received as f64;
            });
        }
        if let Some(a) = adopted {
            t.group.decisions += 1.0;
            let x = &g.persons[a];
            for_lenses(t, &self.cells, Class::of(x), x, |l| l.adopted += 1.0);
        }
    }

    /// Adds the state of the group at the end of the week and the week's life events, and
    /// returns the week's sums.
    pub fn end_week(&mut self, g: &Group, d: &Design) -> &WeekTally {
        self.count_members_and_events(g);
        self.observe_levels(g);
        self.observe_beliefs(g, d);
        self.observe_ties(g);
        self.observe_ginis(g);
        self.observe_origins(g, d);
        self.observe_retention(g);
        &self.tally
    }

    /// Members, leavers, entry classes, the week's events, and the levels of active hosts.
    fn count_members_and_events(&mut self, g: &Group) {
        let (t, cells) = (&mut self.tally, &self.cells);
        for x in &g.persons {
            let left = x.had(event::DROPPED_OUT) || x.had(event::WITHDREW);
            if !x.active && !left {
                continue;
            }
            let (active, left) = (x.active as u8 as f64, left as u8 as f64);
            let flag = |e: u8| x.had(e) as u8 as f64;
            for_lenses(t, cells, Class::of(x), x, |l| {
                l.members += active;
                l.leavers += left;
                l.dropouts += flag(event::DROPPED_OUT);
                l.withdrawals += flag(event::WITHDREW);
                l.stranded += flag(event::STRANDED);
            });
            if let Some(entry) = Class::entered(x) {
                for_lenses(t, cells, entry, x, |l| {
                    l.entered += active;
                    l.entered_leavers += left;
                    l.transitions += flag(event::STEPPED_UP);
                    l.housing += flag(event::HOUSING);
                    l.job += flag(event::JOB);
                });
            }
        }
    }

    /// Levels of active participants and hosts.
    fn observe_levels(&mut self, g: &Group) {
        let (t, cells) = (&mut self.tally, &self.cells);
        for x in g.persons.iter().filter(|x| x.active) {
            let class = Class::of(x);
            if class.is_participant() {
                let co = (x.status == Status::CoOrganizer) as u8 as f64;
                for_lenses(t, cells, class, x, |l| {
                    l.agency += x.agency;
                    l.p_indep += x.p_indep;
                    l.language += x.language;
                    l.language_gain += x.language - x.language_at_entry;
                    l.knowhow += x.knowhow;
                    l.belonging += x.belonging;
                    l.co_organizers += co;
                });
            } else {
                let l = &mut t.classes[class as usize];
                l.satisfaction += x.satisfaction;
                l.burden += x.burden;
                l.founding_active += x.founding as u8 as f64;
            }
        }
        for (l, f) in t.classes.iter_mut().zip(self.founding) {
            l.founding = f;
        }
    }

    /// The volunteers' and staff's beliefs about each active participant (gap, stereotype,
    /// us/them) by her class, and limbo by how she entered (M4).
    fn observe_beliefs(&mut self, g: &Group, d: &Design) {
        let n = g.n();
        let (t, cells, slots) = (&mut self.tally, &self.cells, &mut self.slots);
        slots.clear();
        slots.extend((0..n).filter(|&v| g.persons[v].is_active_local()));
        for (j, x) in g.persons.iter().enumerate() {
            if !x.active || !x.was_participant {
                continue;
            }
            let b = beliefs_about(g, d, j, slots);
            let (gap, stereotype, us_them, pairs) = (b.gap, b.stereotype, b.us_them, b.pairs);
            let class = Class::of(x);
            if class.is_participant() {
                for_lenses(t, cells, class, x, |l| {
                    l.gap += gap;
                    l.stereotype += stereotype;
                    l.us_them += us_them;
                    l.pairs += pairs;
                });
            }
            if b.limbo {
                if let Some(entry) = Class::entered(x) {
                    for_lenses(t, cells, entry, x, |l| l.limbo += 1.0);
                }
            }
        }
    }

    /// Ties from each active participant to every other active person, typed (Appendix D):
    /// bonding within her origin, bridging across the majority line, linking from a newcomer to
    /// a volunteer or staff member; and each one's share of tie strength to the majority.
    fn observe_ties(&mut self, g: &Group) {
        let n = g.n();
        let (t, cells, peers) = (&mut self.tally, &self.cells, &mut self.peers);
        let origin_peers = &mut self.origin_peers;
        peers.clear();
        peers.extend(
            g.persons
                .iter()
                .enumerate()
                .filter(|(_, y)| y.active)
                .map(|(j, y)| Peer {
                    slot: j,
                    origin: y.origin,
                    majority: y.majority,
                    local: y.status.is_local(),
                }),
        );
        // What the pair counts read: active persons by origin, of the majority, locals.
        origin_peers.clear();
        origin_peers.resize(g.n_origins, 0);
        let (mut majority, mut locals) = (0u32, 0u32);
        for y in peers.iter() {
            origin_peers[y.origin as usize] += 1;
            majority += y.majority as u32;
            locals += y.local as u32;
        }
        let minority = peers.len() as u32 - majority;
        for &Peer { slot: i, .. } in peers.iter() {
            let x = &g.persons[i];
            let class = Class::of(x);
            if !class.is_participant() {
                continue;
            }
            let row = &g.ties[i * n..(i + 1) * n];
            let newcomer = class == Class::Newcomer;
            // The pairs of each type: the others of her origin, across the majority line, the
            // locals when she is a newcomer (she is active, so counted in her own origin; a
            // local is never a participant, so never herself). Whole numbers, exact in f64.
            let bonding_pairs = (origin_peers[x.origin as usize] - 1) as f64;
            let bridging_pairs = if x.majority { minority } else { majority } as f64;
            let linking_pairs = if newcomer { locals } else { 0 } as f64;
            let (mut bonding, mut bridging, mut linking) = (0.0, 0.0, 0.0);
            let (mut to_majority, mut total) = (0.0, 0.0);
            // Branch-free over every active person: a term that does not count adds +0.0, which
            // leaves each sum (never −0.0: ties are ≥ 0) exactly as skipping it would.
            for y in peers.iter() {
                let other = y.slot != i;
                let tie = if other { row[y.slot] as f64 } else { 0.0 };
                total += tie;
                to_majority += if y.majority { tie } else { 0.0 };
                bonding += if y.origin == x.origin { tie } else { 0.0 };
                bridging += if y.majority != x.majority { tie } else { 0.0 };
                linking += if newcomer && y.local { tie } else { 0.0 };
            }
            let tied = total > 0.0;
            for_lenses(t, cells, class, x, |l| {
                l.bonding += bonding;
                l.bonding_pairs += bonding_pairs;
                l.bridging += bridging;
                l.bridging_pairs += bridging_pairs;
                l.linking += linking;
                l.linking_pairs += linking_pairs;
                if tied {
                    l.local_tie_share += to_majority / total;
                    l.tied += 1.0;
                }
            });
        }
    }

    /// The within-group Gini of agency of each participant lens and of all participants.
    fn observe_ginis(&mut self, g: &Group) {
        // The active participants by ascending agency, sorted once and dealt out to their
        // lenses in that order, so each lens's values arrive sorted (the values and sums of a
        // sort per lens). `gini_bufs`: all participants, newcomers, local participants, then one
        // per attribute cell.
        let order = &mut self.slots;
        order.clear();
        order.extend(
            (0..g.n()).filter(|&i| g.persons[i].active && g.persons[i].status.is_participant()),
        );
        order.sort_unstable_by(|&a, &b| g.persons[a].agency.total_cmp(&g.persons[b].agency));
        let bufs = &mut self.gini_bufs;
        for b in bufs.iter_mut() {
            b.clear();
        }
        for &i in order.iter() {
            let x = &g.persons[i];
            let class = Class::of(x);
            bufs[0].push(x.agency);
            bufs[1 + class as usize].push(x.agency);
            if class == Class::Newcomer {
                // `of_person` names each cell at most once.
                for k in self.cells.of_person(x) {
                    bufs[3 + k].push(x.agency);
                }
            }
        }
        let weighted = |buf: &[f64]| crate::stats::gini_sorted(buf) * buf.len() as f64;
        let t = &mut self.tally;
        t.group.gini_participants = weighted(&bufs[0]);
        for c in [Class::Newcomer, Class::LocalParticipant] {
            t.classes[c as usize].gini_weighted = weighted(&bufs[1 + c as usize]);
        }
        for (k, cell) in t.cells.iter_mut().enumerate() {
            cell.gini_weighted = weighted(&bufs[3 + k]);
        }
    }

    /// The hosts' stereotype of each non-majority origin a participant of the group came from.
    fn observe_origins(&mut self, g: &Group, d: &Design) {
        for x in g.persons.iter().filter(|x| x.was_participant) {
            self.origin_seen[x.origin as usize] = true;
        }
        let no = g.n_origins;
        for (o, seen) in self.origin_seen.iter().enumerate() {
            if !seen || d.origin_majority.get(o).copied().unwrap_or(false) {
                continue;
            }
            let t = &mut self.tally.origins[o];
            for (v, x) in g.persons.iter().enumerate() {
                if x.is_active_local() {
                    t.stereotype += g.stereotype[v * no + o] as f64;
                    t.holders += 1.0;
                }
            }
        }
    }

    /// Weeks active and tenure of volunteers and staff, carried from week to week: the week's
    /// active hosts and leavers add a week each; a leaver's weeks are her tenure.
    fn observe_retention(&mut self, g: &Group) {
        for (i, x) in g.persons.iter().enumerate() {
            let left = x.had(event::WITHDREW);
            if !x.status.is_local() || !(x.active || left) {
                self.host_weeks[i] = 0;
                continue;
            }
            self.host_weeks[i] += 1;
            let c = &mut self.cumulative[Class::of(x) as usize - 2];
            c.weeks += 1.0;
            if left {
                c.withdrawals += 1.0;
                c.tenure += self.host_weeks[i] as f64;
                self.host_weeks[i] = 0;
            }
        }
        for (k, c) in self.cumulative.iter().enumerate() {
            let l = &mut self.tally.classes[k + 2];
            l.cum_withdrawals = c.withdrawals;
            l.cum_weeks = c.weeks;
            l.cum_tenure = c.tenure;
        }
    }
}
