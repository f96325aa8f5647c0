//! M4 Exemplars, subtyping and limbo. Each local's stereotype of an origin group is bookkeeping
//! of the evidence its members gave her (Weber & Crocker 1983): a convex combination of her
//! prior and each member's observed performance, weighted by how much she has seen of that
//! member, by how typical the member looks and by the contact conditions (M5). A member who keeps
//! performing far above what the local expects of a member is subtyped as an exception: her evidence is discounted,
//! and she is remembered as a contrast, "the others are not like her" (Bless et al. 2001). An
//! exception whom a local keeps seeing while keeping her out of "us" ends in limbo (Stein 2022,
//! "Neither 'us' nor 'them'").
//!
//! The bookkeeping is bounded (every stereotype lies between its prior and the evidence), the
//! prior keeps a fixed weight (`prior_strength`), so priors still order the outcome after years,
//! and the same total disconfirming evidence moves it more when dispersed over many members
//! than when concentrated in one, who is subtyped.

use crate::model::group::{Design, Group, MET, SUBTYPED};
use crate::model::Person;

/// Typicality t = exp(−(x − μ)² / 2σ²) of observed performance x for a stereotype μ (Appendix A).
#[inline]
pub fn typicality(x: f64, mu: f64, sigma: f64) -> f64 {
    let z = x - mu;
    super::exp::exp(-(z * z) / (2.0 * sigma * sigma))
}

/// What a local knows of one member of a group: her observed performance (the mean of the
/// evidence), how much evidence that is, and whether she is an exception.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// Observed performance x̄ (mean of the observations), in [0, 1].
    pub mean: f64,
    /// Observations behind it (a weight: completed turns, attributed hesitations, attempts).
    pub evidence: f64,
    /// Subtyped as an exception.
    pub subtyped: bool,
}

/// Reliability of a member's evidence: r = n/(n + evidence_half), so a member counts at most as
/// one member, however long she is watched.
#[inline]
pub fn reliability(d: &Design, evidence: f64) -> f64 {
    evidence / (evidence + d.params.evidence_half)
}

/// What a local expects of a member of the group before looking at her: her prior, with the
/// weight prior_strength, and what she has seen of the *other* members, each by reliability:
/// (n0·prior + Σ_{k≠j} r_k·x̄_k)/(n0 + Σ_{k≠j} r_k). `others` is (Σ r_k, Σ r_k·x̄_k) over the others.
/// A member is typical or not against this: when every member disconfirms the prior alike, none
/// stands out (Weber & Crocker 1983).
#[inline]
pub fn expected_member(d: &Design, prior: f64, others: (f64, f64)) -> f64 {
    let n0 = d.params.prior_strength;
    (n0 * prior + others.1) / (n0 + others.0)
}

/// A member's entry in the bookkeeping of a stereotype with prior `prior`, given what the local
/// expects of a member (`expected`, [`expected_member`]): (weight, weight × value). Her
/// performance counts with ω = contact_weight·r·t·(w_sub if an exception), t her typicality
/// against the expectation; an exception also enters as her reflection about the prior,
/// clamp(2·prior − x̄, 0, 1), with κ = lambda_away·contact_weight·r (contrast: "the others are
/// not like her"). With `subtyping` off: ω = contact_weight·r, no contrast.
#[inline]
pub fn member_entry(d: &Design, prior: f64, expected: f64, m: Member) -> (f64, f64) {
    let t = if d.mechanisms.subtyping {
        typicality(m.mean, expected, d.params.sigma_typ)
    } else {
        1.0
    };
    member_entry_at(d, prior, m, t)
}

/// [`member_entry`] given her typicality `t` against the expectation (read only with
/// `subtyping` on).
#[inline]
fn member_entry_at(d: &Design, prior: f64, m: Member, t: f64) -> (f64, f64) {
    let p = &d.params;
    let base = d.contact_weight * reliability(d, m.evidence);
    if !d.mechanisms.subtyping {
        return (base, base * m.mean);
    }
    if m.subtyped {
        let w = base * t * p.w_sub;
        let kappa = base * p.lambda_away;
        let mirror = (2.0 * prior - m.mean).clamp(0.0, 1.0);
        (w + kappa, w * m.mean + kappa * mirror)
    } else {
        let w = base * t;
        (w, w * m.mean)
    }
}

/// The stereotype from its bookkeeping: (n0·prior + Σ weight·value)/(n0 + Σ weight), with `sums`
/// the members' (and the archive's) Σ weight and Σ weight × value.
#[inline]
pub fn stereotype_from(d: &Design, prior: f64, sums: (f64, f64)) -> f64 {
    let n0 = d.params.prior_strength;
    ((n0 * prior + sums.1) / (n0 + sums.0)).clamp(0.0, 1.0)
}

/// Σ r and Σ r·x̄ of a set of members (what [`expected_member`] reads).
fn seen_of(d: &Design, members: impl Iterator<Item = Member>) -> (f64, f64) {
    members.fold((0.0, 0.0), |acc, m| {
        let r = reliability(d, m.evidence);
        (acc.0 + r, acc.1 + r * m.mean)
    })
}

/// The stereotype a local with prior `prior` holds after seeing `members` (and nothing else):
/// the bookkeeping of [`member_entry`], each member against what the prior and the others lead
/// her to expect (for tests and calibration).
pub fn keep_books_of(d: &Design, prior: f64, members: &[Member]) -> f64 {
    let all = seen_of(d, members.iter().copied());
    let sums = members.iter().fold((0.0, 0.0), |acc, &m| {
        let r = reliability(d, m.evidence);
        let expected = expected_member(d, prior, (all.0 - r, all.1 - r * m.mean));
        let (w, wx) = member_entry(d, prior, expected, m);
        (acc.0 + w, acc.1 + wx)
    });
    stereotype_from(d, prior, sums)
}

/// What local v has seen of member j of a group.
#[inline]
pub fn member(g: &Group, v: usize, j: usize) -> Member {
    let cell = v * g.n() + j;
    member_of(g.evidence_n[cell], g.evidence_x[cell], g.flags[cell])
}

/// A member from her cell of v's rows: evidence weight, Σ weight × value, flags.
#[inline]
fn member_of(evidence_n: f32, evidence_x: f32, flags: u8) -> Member {
    let n = evidence_n as f64;
    Member {
        mean: if n > 0.0 {
            (evidence_x as f64 / n).clamp(0.0, 1.0)
        } else {
            0.0
        },
        evidence: n,
        subtyped: flags & SUBTYPED != 0,
    }
}

/// Whether j counts as a member of a group in v's bookkeeping: someone else, who entered as a
/// participant, of whom v has seen something.
#[inline]
fn counts(g: &Group, v: usize, j: usize) -> bool {
    counts_as_member(v, j, &g.persons[j], g.evidence_n[v * g.n() + j])
}

/// [`counts`] from what it reads: j's person and v's evidence weight of her.
#[inline(always)]
fn counts_as_member(v: usize, j: usize, x: &Person, seen_n: f32) -> bool {
    j != v && x.was_participant && seen_n > 0.0
}

/// The bookkeeping buffers of [`keep_books`], reused across meetings (no allocation).
#[derive(Debug, Default, Clone)]
pub struct Books {
    /// Per origin: Σ r, Σ r·x̄, Σ weight, Σ weight × value.
    sums: Vec<[f64; 4]>,
    /// The members of the touched origins one local counts, in slot order.
    members: Vec<Counted>,
}

impl Books {
    /// Buffers for a group of `n` persons (at most `n` origins).
    pub fn with_capacity(n: usize) -> Books {
        Books {
            sums: Vec::with_capacity(n),
            members: Vec::with_capacity(n),
        }
    }
}

/// A member in one local's bookkeeping: her slot, origin, what the local knows of her and its
/// reliability.
#[derive(Debug, Clone, Copy)]
struct Counted {
    j: usize,
    origin: usize,
    m: Member,
    r: f64,
}

/// Bookkeeping (M4), after a meeting, for local v and every origin marked in `touched`: first
/// subtyping ([`subtype`]) of each member who performed in front of her this meeting, against
/// what the prior and the other members lead her to expect; then the stereotype, recomputed from
/// her prior, her archive and every member of that origin (active or not, while her slot has not
/// been refilled). Each member's typicality against the expectation is computed once, for
/// subtyping and for her weight alike.
pub fn keep_books(g: &mut Group, d: &Design, v: usize, touched: &[bool], books: &mut Books) {
    let n = g.n();
    let no = g.n_origins;
    let Books { sums, members } = books;
    sums.clear();
    sums.extend((0..no).map(|o| {
        [
            0.0,
            0.0,
            g.archive_n[v * no + o] as f64,
            g.archive_x[v * no + o] as f64,
        ]
    }));
    members.clear();
    // v's row of each pair matrix, read once (the loop then needs no index checks).
    let row = v * n..(v + 1) * n;
    let cells = g.evidence_n[row.clone()]
        .iter()
        .zip(&g.evidence_x[row.clone()])
        .zip(&g.flags[row]);
    for (j, (x, ((&seen_n, &seen_x), &flags))) in g.persons.iter().zip(cells).enumerate() {
        let origin = x.origin as usize;
        if touched[origin] && counts_as_member(v, j, x, seen_n) {
            let m = member_of(seen_n, seen_x, flags);
            let r = reliability(d, m.evidence);
            sums[origin][0] += r;
            sums[origin][1] += r * m.mean;
            members.push(Counted { j, origin, m, r });
        }
    }
    for c in members.iter() {
        let Counted { j, origin, r, .. } = *c;
        let mut m = c.m;
        let prior = d.priors.get(origin).copied().unwrap_or(0.5);
        let b = &sums[origin];
        let expected = expected_member(d, prior, (b[0] - r, b[1] - r * m.mean));
        let t = if d.mechanisms.subtyping {
            typicality(m.mean, expected, d.params.sigma_typ)
        } else {
            1.0
        };
        if g.persons[j].present && g.persons[j].completed > 0 {
            subtype_at(g, d, v, j, m, expected, t);
            m.subtyped = g.flags[v * n + j] & SUBTYPED != 0;
        }
        let (w, wx) = member_entry_at(d, prior, m, t);
        sums[origin][2] += w;
        sums[origin][3] += wx;
    }
    for (o, b) in sums.iter().enumerate() {
        if touched[o] {
            let prior = d.priors.get(o).copied().unwrap_or(0.5);
            g.stereotype[v * no + o] = stereotype_from(d, prior, (b[2], b[3])) as f32;
        }
    }
}

/// Before slot j is refilled, every local keeps what she learnt of its member in her archive,
/// so that the stereotype does not forget a member who left (M4). The member enters the archive
/// as she would enter the bookkeeping now.
pub fn remember_leaver(g: &mut Group, d: &Design, j: usize) {
    let n = g.n();
    let no = g.n_origins;
    let o = g.persons[j].origin as usize;
    if !g.persons[j].was_participant {
        return;
    }
    let prior = d.priors.get(o).copied().unwrap_or(0.5);
    for v in 0..n {
        if !counts(g, v, j) {
            continue;
        }
        let others = seen_of(
            d,
            (0..n)
                .filter(|&k| k != j && g.persons[k].origin as usize == o && counts(g, v, k))
                .map(|k| member(g, v, k)),
        );
        let expected = expected_member(d, prior, others);
        let (w, wx) = member_entry(d, prior, expected, member(g, v, j));
        g.archive_n[v * no + o] += w as f32;
        g.archive_x[v * no + o] += wx as f32;
    }
}

/// Subtyping (M4; Weber & Crocker 1983): after a meeting in which v saw j perform, j's observed
/// performance x̄ counts as strongly atypical if it lies above what v expects of a member
/// ([`expected_member`]) with typicality below tau_subtype; after subtype_meetings such
/// meetings v subtypes j, for good. One-sided: performance below expectation confirms it. Does
/// nothing with `subtyping` off.
#[inline]
pub fn subtype(g: &mut Group, d: &Design, v: usize, j: usize, expected: f64) {
    let m = member(g, v, j);
    let t = typicality(m.mean, expected, d.params.sigma_typ);
    subtype_at(g, d, v, j, m, expected, t);
}

/// [`subtype`] given what v knows of j (`m`) and j's typicality `t` against `expected`.
#[inline]
fn subtype_at(g: &mut Group, d: &Design, v: usize, j: usize, m: Member, expected: f64, t: f64) {
    let cell = v * g.n() + j;
    if !d.mechanisms.subtyping || g.flags[cell] & SUBTYPED != 0 {
        return;
    }
    if m.mean > expected && t < d.params.tau_subtype {
        g.atypical[cell] = g.atypical[cell].saturating_add(1);
        if g.atypical[cell] as f64 >= d.params.subtype_meetings {
            g.flags[cell] |= SUBTYPED;
        }
    }
}

/// Keeping her at arm's length (M4): a meeting in which v saw j, whom she has subtyped, and
/// still counts her below theta_us as "one of us" is one more meeting of exclusion.
#[inline]
pub fn keep_at_arms_length(g: &mut Group, d: &Design, v: usize, j: usize) {
    let cell = v * g.n() + j;
    if g.flags[cell] & SUBTYPED != 0 && (g.inclusion[cell] as f64) < d.params.theta_us {
        g.excluded[cell] = g.excluded[cell].saturating_add(1);
    }
}

/// Local v holds j in limbo: she has subtyped her (set apart from "them"), has kept her out of
/// "us" in at least limbo_meetings meetings since, and still does (inclusion below theta_us).
#[inline]
pub fn holds_in_limbo(g: &Group, d: &Design, v: usize, j: usize) -> bool {
    let cell = v * g.n() + j;
    g.flags[cell] & SUBTYPED != 0
        && g.excluded[cell] as f64 >= d.params.limbo_meetings
        && (g.inclusion[cell] as f64) < d.params.theta_us
}

/// Limbo (Stein 2022: "neither fully 'them' … nor … fully 'us'"): j is active, entered as a
/// participant (she may have become a volunteer since), and at least half of the active locals
/// other than her who have met her hold her in limbo. The one definition the indicator
/// `limbo_count` and the tests use.
pub fn in_limbo(g: &Group, d: &Design, j: usize) -> bool {
    let x = &g.persons[j];
    if !x.active || !x.was_participant {
        return false;
    }
    let mut votes = LimboVotes::default();
    for v in (0..g.n()).filter(|&v| v != j && g.persons[v].is_active_local()) {
        votes.count(g, d, v, j);
    }
    votes.in_limbo()
}

/// The tally behind [`in_limbo`]: of the active locals counted so far, how many have met `j`
/// and how many of those hold her in limbo. Lets a caller that already loops over the active
/// locals (the per-week observation) decide limbo in the same pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct LimboVotes {
    met: u32,
    held: u32,
}

impl LimboVotes {
    /// Counts active local `v` (≠ `j`): nothing if she has not met `j`.
    #[inline]
    pub fn count(&mut self, g: &Group, d: &Design, v: usize, j: usize) {
        if g.flags[v * g.n() + j] & MET != 0 {
            self.met += 1;
            self.held += holds_in_limbo(g, d, v, j) as u32;
        }
    }

    /// At least half of those who have met her hold her in limbo (and someone has met her).
    pub fn in_limbo(self) -> bool {
        self.met > 0 && 2 * self.held >= self.met
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn design(sets: &[&str]) -> Design {
        let text = "[scenario]\nname = \"t\"\n[activity]\nservice_frame = 0.6\n\
                    [population.v]\nrole = \"volunteer\"\ncount = 2\n\
                    [population.p]\nrole = \"participant\"\ncount = 6\norigin = \"g\"\n\
                    [stereotypes]\ng = 0.3\n";
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let s = load_str(text, "t.toml", &sets).unwrap();
        Design::compile_all(&s).remove(0)
    }

    fn settle(d: &Design, prior: f64, members: &[Member]) -> f64 {
        keep_books_of(d, prior, members)
    }

    fn seen(mean: f64, subtyped: bool) -> Member {
        Member {
            mean,
            evidence: 200.0,
            subtyped,
        }
    }

    /// Weber & Crocker (1983): the same total disconfirming evidence moves the stereotype more
    /// dispersed over six members, each a little above it, than concentrated in one far above
    /// it, who is an exception; with subtyping off the order reverses (one member with the whole
    /// deviation weighs as much as each of the six).
    #[test]
    fn dispersed_disconfirmation_moves_the_stereotype_more_than_concentrated() {
        for on in [true, false] {
            let d = design(&[&format!("mechanisms.subtyping={on}")]);
            let prior = 0.3;
            let concentrated = settle(&d, prior, &[seen(prior + 0.36, on)]);
            let dispersed = settle(&d, prior, &[seen(prior + 0.06, false); 6]);
            if on {
                assert!(
                    dispersed - prior > 5.0 * (concentrated - prior).max(1e-6),
                    "dispersed {dispersed} vs concentrated {concentrated}"
                );
            } else {
                assert!(concentrated > dispersed, "{concentrated} vs {dispersed}");
            }
        }
    }

    /// More disconfirming members never move the stereotype less, and it stays between the
    /// prior and the evidence (bounded).
    #[test]
    fn more_disconfirmers_never_move_it_less_and_it_stays_bounded() {
        let d = design(&[]);
        for lift in [0.05, 0.1, 0.2, 0.3] {
            let mut last = 0.3;
            for k in 1..=12 {
                let mu = settle(&d, 0.3, &vec![seen(0.3 + lift, false); k]);
                assert!(
                    mu >= last - 1e-12,
                    "lift {lift}, {k} members: {mu} < {last}"
                );
                assert!((0.3..=0.3 + lift).contains(&mu), "{mu}");
                last = mu;
            }
        }
    }

    /// Contrast is bounded: an exception's pull away from her never exceeds her reflection's
    /// share of the bookkeeping, however long she is watched.
    #[test]
    fn contrast_is_bounded() {
        let d = design(&[]);
        let p = &d.params;
        for evidence in [1.0, 10.0, 100.0, 1e4, 1e7] {
            let her = Member {
                mean: 0.9,
                evidence,
                subtyped: true,
            };
            let mu = settle(&d, 0.3, &[her]);
            let kappa = p.lambda_away * d.contact_weight;
            let floor = p.prior_strength * 0.3 / (p.prior_strength + kappa);
            assert!(
                mu >= floor - 1e-9 && mu <= 0.3,
                "{evidence}: {mu} (floor {floor})"
            );
        }
    }

    /// The prior keeps its weight: after any amount of evidence from a dozen members, a lower
    /// prior still ends lower.
    #[test]
    fn priors_keep_ordering_the_outcome() {
        let d = design(&[]);
        let members = vec![seen(0.4, false); 12];
        let ends: Vec<f64> = [0.1, 0.3, 0.6]
            .iter()
            .map(|&prior| settle(&d, prior, &members))
            .collect();
        assert!(ends[0] < ends[1] && ends[1] < ends[2], "{ends:?}");
        assert!(ends[0] > 0.1 && ends[2] < 0.6, "{ends:?}");
    }
}
