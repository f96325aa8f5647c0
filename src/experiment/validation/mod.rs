//! The ablation matrix (`dugnad validate`): every stylized fact of MODEL.md §5, split into the
//! clauses it claims, each measured with the model intact and again with the mechanisms it rests
//! on switched off (`[mechanisms]`, src/scenario/mechanisms.rs), on common random numbers. A
//! fact earns its place when it holds intact, with at least the minimum effect docs/calibration.md
//! states (from the literature where it gives a number), and no longer holds once its mechanisms
//! are off: the confidence interval then includes 0, or the effect falls below a quarter of the
//! intact one.
//!
//! The clauses and their measures are in [`facts`]; this file runs them, decides what holds, and
//! builds the `validation` table and its Markdown form (docs/calibration.md).

pub mod facts;

use crate::output::markdown;
use crate::output::table::{Cell, Column, Table};
use crate::stats::{normal_quantile, summarize};
use serde::Serialize;

/// Which way a clause claims its effect goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The effect is positive.
    Up,
    /// The effect is negative.
    Down,
}

impl Direction {
    /// +1 or −1.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Up => 1.0,
            Direction::Down => -1.0,
        }
    }
}

/// One claim of a stylized fact: what is measured, which way it must go and by how much, and the
/// mechanisms it rests on.
#[derive(Debug, Clone)]
pub struct Clause {
    /// Fact number and letter, e.g. `1a`.
    pub id: &'static str,
    /// The claim in words.
    pub claim: &'static str,
    /// What the effect measures (the `indicator` column).
    pub indicator: &'static str,
    /// Whom it is read on (the `lens` column): a lens of the indicator table (`newcomers`,
    /// `volunteers`, `origin=<label>`), two for a ratio or a difference between lenses, or
    /// empty where the clause follows persons directly rather than an indicator.
    pub lens: &'static str,
    pub direction: Direction,
    /// The smallest intact effect (in absolute value) for the fact to hold.
    pub min_effect: f64,
    /// Where the minimum comes from.
    pub source: &'static str,
    /// The ablated conditions: each a set of mechanisms switched off together.
    pub ablations: &'static [&'static [&'static str]],
    /// Measures the effect with the given mechanisms switched off (none: intact).
    pub measure: fn(&Bench, &[&str]) -> Effect,
}

/// An effect with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Effect {
    pub effect: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Replicates (or persons, or events) it rests on.
    pub n: u64,
}

impl Effect {
    /// The mean of per-replicate values (NaN values skipped) with its Student-t CI.
    pub fn mean_of(values: &[f64]) -> Effect {
        let s = summarize(values);
        Effect {
            effect: s.mean,
            ci_low: s.ci_low,
            ci_high: s.ci_high,
            n: s.n,
        }
    }

    /// A correlation r over `n` observations with its Fisher-z 95 % CI.
    pub fn correlation(r: f64, n: u64) -> Effect {
        let z = r.clamp(-0.999_999, 0.999_999).atanh();
        let half = normal_quantile(0.975) / ((n as f64) - 3.0).max(1.0).sqrt();
        Effect {
            effect: r,
            ci_low: (z - half).tanh(),
            ci_high: (z + half).tanh(),
            n,
        }
    }

    /// Whether the CI lies wholly on the claimed side of 0.
    pub fn excludes_zero(&self, d: Direction) -> bool {
        match d {
            Direction::Up => self.ci_low > 0.0,
            Direction::Down => self.ci_high < 0.0,
        }
    }
}

/// How many replicates each arm of each clause runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Size {
    /// Replicates per arm (one meeting of the focus group runs ten times as many).
    pub replicates: u32,
}

impl Size {
    /// The size of `dugnad validate` (its `--replicates` default).
    pub const FULL: Size = Size { replicates: 500 };
    /// The size of the test suite's matrix (tests/validation.rs).
    pub const TEST: Size = Size { replicates: 150 };
}

/// What every measure runs on: the size and the seed of the common random numbers.
#[derive(Debug, Clone, Copy)]
pub struct Bench {
    pub size: Size,
    pub seed: u64,
}

/// One row of the matrix: a clause intact or ablated.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub fact: &'static str,
    pub claim: &'static str,
    /// `intact`, or `off: a + b` for the mechanisms switched off.
    pub condition: String,
    pub indicator: &'static str,
    pub lens: &'static str,
    #[serde(flatten)]
    pub effect: Effect,
    /// The clause's claimed direction and minimum intact effect, and where the minimum comes from.
    pub direction: Direction,
    pub min_effect: f64,
    pub source: &'static str,
    /// Whether the fact holds in this condition (intact: CI on the claimed side of 0 and the
    /// minimum effect reached; ablated: CI on the claimed side and at least a quarter of the
    /// intact effect).
    pub holds: bool,
    /// What a sound mechanism gives: true intact, false ablated.
    pub expected: bool,
}

impl Row {
    /// Whether the row came out as a sound mechanism should.
    pub fn as_expected(&self) -> bool {
        self.holds == self.expected
    }
}

/// The name of an ablated condition: `off: a + b`.
pub fn condition(off: &[&str]) -> String {
    if off.is_empty() {
        "intact".to_string()
    } else {
        format!("off: {}", off.join(" + "))
    }
}

/// Whether the intact effect holds: on the claimed side of 0 and at least the minimum.
pub fn holds_intact(c: &Clause, e: &Effect) -> bool {
    e.excludes_zero(c.direction) && c.direction.sign() * e.effect >= c.min_effect
}

/// Whether the fact still holds with its mechanisms off: on the claimed side of 0 and at least
/// a quarter of the intact effect.
pub fn holds_ablated(c: &Clause, intact: &Effect, e: &Effect) -> bool {
    let s = c.direction.sign();
    e.excludes_zero(c.direction) && s * e.effect >= 0.25 * s * intact.effect
}

/// Runs every clause of `clauses` intact and ablated; `progress` is told after each row.
pub fn run_matrix(clauses: &[Clause], bench: &Bench, mut progress: impl FnMut(&Row)) -> Vec<Row> {
    let mut rows = Vec::new();
    for c in clauses {
        let intact = (c.measure)(bench, &[]);
        let row = Row {
            fact: c.id,
            claim: c.claim,
            condition: condition(&[]),
            indicator: c.indicator,
            lens: c.lens,
            effect: intact,
            direction: c.direction,
            min_effect: c.min_effect,
            source: c.source,
            holds: holds_intact(c, &intact),
            expected: true,
        };
        progress(&row);
        rows.push(row);
        for off in c.ablations {
            let e = (c.measure)(bench, off);
            let row = Row {
                fact: c.id,
                claim: c.claim,
                condition: condition(off),
                indicator: c.indicator,
                lens: c.lens,
                effect: e,
                direction: c.direction,
                min_effect: c.min_effect,
                source: c.source,
                holds: holds_ablated(c, &intact, &e),
                expected: false,
            };
            progress(&row);
            rows.push(row);
        }
    }
    rows
}

/// The name of the ablation matrix's table (written as `validation.csv`).
pub const VALIDATION: &str = "validation";

/// The `validation` table: `fact,condition,indicator,lens,effect,ci_low,ci_high,holds`.
pub fn table(rows: &[Row]) -> Table<'_> {
    let columns = vec![
        Column::text("fact"),
        Column::text("condition"),
        Column::text("indicator"),
        Column::text("lens"),
        Column::num("effect"),
        Column::num("ci_low"),
        Column::num("ci_high"),
        Column::text("holds"),
    ];
    Table::new(VALIDATION, columns, move |sink| {
        for r in rows {
            sink(&[
                Cell::Text(r.fact),
                Cell::Text(&r.condition),
                Cell::Text(r.indicator),
                Cell::Text(r.lens),
                Cell::Num(r.effect.effect),
                Cell::Num(r.effect.ci_low),
                Cell::Num(r.effect.ci_high),
                Cell::Text(if r.holds { "true" } else { "false" }),
            ])?;
        }
        Ok(())
    })
}

/// A number for the printed and Markdown tables: signed, four significant decimals.
fn fmt(x: f64) -> String {
    if x.is_nan() {
        "NA".to_string()
    } else if x.abs() >= 100.0 {
        format!("{x:+.1}")
    } else {
        format!("{x:+.4}")
    }
}

/// The verdict of a row in words.
fn verdict(r: &Row) -> &'static str {
    match (r.expected, r.holds) {
        (true, true) => "holds",
        (true, false) => "FAILS (should hold)",
        (false, false) => "gone",
        (false, true) => "SURVIVES (should go)",
    }
}

/// What a row must show to be as expected: intact, the minimum effect on the claimed side and
/// its source; ablated, the rule for being gone.
fn requirement(r: &Row) -> String {
    if r.expected {
        let bound = match r.direction {
            Direction::Up => format!("≥ {}", fmt(r.min_effect)),
            Direction::Down => format!("≤ {}", fmt(-r.min_effect)),
        };
        format!("{bound}, CI excludes 0 ({})", r.source)
    } else {
        "CI includes 0 or below ¼ of intact".to_string()
    }
}

/// The matrix as a Markdown table (docs/calibration.md).
pub fn markdown(rows: &[Row]) -> String {
    let header = [
        "fact",
        "claim",
        "condition",
        "indicator",
        "lens",
        "effect [95 % CI]",
        "required",
        "verdict",
    ];
    markdown::table(
        &header,
        rows.iter().map(|r| {
            let e = &r.effect;
            vec![
                r.fact.to_string(),
                if r.expected { r.claim } else { "" }.to_string(),
                r.condition.clone(),
                r.indicator.to_string(),
                if r.lens.is_empty() { "—" } else { r.lens }.to_string(),
                format!("{} [{}, {}]", fmt(e.effect), fmt(e.ci_low), fmt(e.ci_high)),
                requirement(r),
                verdict(r).to_string(),
            ]
        }),
    )
}

/// The matrix as plain text for the terminal.
pub fn text(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        if r.expected {
            out.push_str(&format!("{} {}\n", r.fact, r.claim));
        }
        out.push_str(&format!(
            "    {:<58} {:>9} [{:>9}, {:>9}]  {}\n",
            r.condition,
            fmt(r.effect.effect),
            fmt(r.effect.ci_low),
            fmt(r.effect.ci_high),
            verdict(r)
        ));
    }
    let bad = rows.iter().filter(|r| !r.as_expected()).count();
    out.push_str(&format!(
        "{} rows: {} as expected, {} not\n",
        rows.len(),
        rows.len() - bad,
        bad
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(direction: Direction, min_effect: f64) -> Clause {
        Clause {
            id: "x",
            claim: "a claim",
            indicator: "an indicator",
            lens: "newcomers",
            direction,
            min_effect,
            source: "",
            ablations: &[],
            measure: |_, _| Effect::mean_of(&[]),
        }
    }

    fn effect(effect: f64, ci_low: f64, ci_high: f64) -> Effect {
        Effect {
            effect,
            ci_low,
            ci_high,
            n: 10,
        }
    }

    #[test]
    fn intact_needs_the_claimed_side_and_the_minimum() {
        let up = clause(Direction::Up, 0.1);
        assert!(holds_intact(&up, &effect(0.2, 0.15, 0.25)));
        assert!(
            !holds_intact(&up, &effect(0.05, 0.01, 0.09)),
            "below the minimum"
        );
        assert!(
            !holds_intact(&up, &effect(0.2, -0.01, 0.4)),
            "CI includes 0"
        );
        let down = clause(Direction::Down, 0.1);
        assert!(holds_intact(&down, &effect(-0.2, -0.25, -0.15)));
        assert!(!holds_intact(&down, &effect(0.2, 0.15, 0.25)), "wrong side");
    }

    #[test]
    fn ablated_fails_when_the_ci_includes_zero_or_below_a_quarter() {
        let up = clause(Direction::Up, 0.1);
        let intact = effect(0.4, 0.35, 0.45);
        assert!(holds_ablated(&up, &intact, &effect(0.2, 0.15, 0.25)));
        assert!(
            !holds_ablated(&up, &intact, &effect(0.09, 0.05, 0.13)),
            "below a quarter"
        );
        assert!(
            !holds_ablated(&up, &intact, &effect(0.2, -0.05, 0.45)),
            "CI includes 0"
        );
        assert!(
            !holds_ablated(&up, &intact, &effect(-0.2, -0.25, -0.15)),
            "reversed"
        );
    }

    #[test]
    fn a_correlation_has_a_fisher_interval_around_it() {
        let e = Effect::correlation(-0.2, 1000);
        assert!(
            e.ci_low < -0.2 && -0.2 < e.ci_high && e.ci_high < 0.0,
            "{e:?}"
        );
        assert!((e.ci_high - e.ci_low - 2.0 * 1.96 / 997f64.sqrt()).abs() < 0.02);
    }

    #[test]
    fn every_row_is_written_and_marked() {
        let c = clause(Direction::Up, 0.1);
        let rows = run_matrix(
            std::slice::from_ref(&c),
            &Bench {
                size: Size::TEST,
                seed: 1,
            },
            |_| {},
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].condition, "intact");
        assert!(!rows[0].holds, "an empty effect does not hold");
        let md = markdown(&rows);
        assert!(md.contains("| x | a claim | intact |"), "{md}");
        assert!(md.contains("≥ +0.1000, CI excludes 0"), "{md}");
        assert_eq!(condition(&["a", "b"]), "off: a + b");
    }
}
