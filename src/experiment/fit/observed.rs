//! The observed data a fit is fitted to: a long CSV, one measured value per line,
//!
//! ```text
//! week,lens,indicator,value,sd,n
//! 4,newcomers,attendance_rate,0.62,,
//! 8,newcomers,voice_share,0.21,,240
//! 12,all,volunteers_active,5,,
//! ```
//!
//! `week` (1 to the scenario's weeks, or a range `5-26`: the indicator's mean over those weeks, the
//! weeks where it is defined), `lens` (who the value is about: any lens the indicator has in the
//! scenario, as in `timeseries.csv` — `newcomers`, `local_participants`, `volunteers`, `staff`,
//! `all`, or an attribute or origin lens such as `newcomers|gender=woman`), `indicator` (its
//! name, as in `timeseries.csv`) and `value` are required; `sd` (the measurement's standard
//! error) or `n` (how many coded items a share or mean in [0, 1] rests on, e.g. the turns coded
//! from two recorded meetings) are optional, at most one per line. Weeks may be missing; a value
//! `NA` or left empty is not observed; lines starting with `#` are comments. The statistics of
//! the fit are the (week, lens, indicator) of the lines, in file order.
//!
//! A simulation is measured as the data were: its value plus Normal(0, sd²) noise, or a share of
//! n items drawn Binomial(n, value) / n (for a mean of n values in [0, 1], the largest sampling
//! variance it can have).

use crate::experiment::Refusal;
use crate::metrics::indicators::{indicator, indicator_names};
use crate::metrics::{Layout, Row};
use rand::Rng;
use rand_distr::{Binomial, Distribution, StandardNormal};
use serde::Serialize;

/// Which column of a line a statistic's name is wrong in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrong {
    Indicator,
    Lens,
}

impl Wrong {
    /// The column's name.
    pub fn column(self) -> &'static str {
        match self {
            Wrong::Indicator => "indicator",
            Wrong::Lens => "lens",
        }
    }
}

/// Where a statistic is in a week's row of the scenario's series (`layout`), or why there is no
/// such statistic: the one check of an indicator and a lens name (with the valid names).
pub fn statistic_column(layout: &Layout, lens: &str, name: &str) -> Result<usize, (Wrong, String)> {
    use crate::scenario::suggest::did_you_mean;
    if indicator(name).is_none() {
        let names = indicator_names();
        return Err((
            Wrong::Indicator,
            format!(
                "'{name}' is not an indicator; {}indicators: {} (docs/indicators.md)",
                did_you_mean(name, &names),
                names.join(", ")
            ),
        ));
    }
    layout.position(name, lens).ok_or_else(|| {
        let lenses = layout.lenses_of(name);
        (
            Wrong::Lens,
            format!(
                "'{lens}' is not a lens of {name} in this scenario; {}its lenses: {}",
                did_you_mean(lens, &lenses),
                lenses.join(", ")
            ),
        )
    })
}

/// How a value was measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Exactly (a register count).
    Exact,
    /// With this standard error.
    Sd(f64),
    /// As a share or mean in [0, 1] of this many items.
    Count(u32),
}

/// One observed statistic: an indicator, in a lens, in a week (or its mean over weeks
/// `week..=last_week`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub week: u32,
    pub last_week: u32,
    pub lens: String,
    pub indicator: String,
    pub value: f64,
    pub measure: Measure,
    /// Where it is in a week's indicator row.
    #[serde(skip)]
    pub column: usize,
    /// Its line in the file.
    #[serde(skip)]
    pub line: usize,
}

impl Observation {
    /// The weeks as written: `12`, or `5-26` for a range.
    pub fn weeks(&self) -> String {
        if self.last_week == self.week {
            self.week.to_string()
        } else {
            format!("{}-{}", self.week, self.last_week)
        }
    }

    /// The statistic's name in tables: `week 12 newcomers voice_parity`, `weeks 5-26 newcomers
    /// attendance_rate`.
    pub fn name(&self) -> String {
        let plural = if self.last_week == self.week { "" } else { "s" };
        format!(
            "week{plural} {} {} {}",
            self.weeks(),
            self.lens,
            self.indicator
        )
    }

    /// This statistic of a simulation's weekly rows, measured as the data were (`rng` draws
    /// the measurement noise); NaN where the simulation leaves it undefined.
    pub fn measure<R: Rng + ?Sized>(&self, rows: &[Row], rng: &mut R) -> f64 {
        let (sum, n) = (self.week..=self.last_week)
            .filter_map(|w| rows.get(w as usize - 1).map(|r| r[self.column]))
            .filter(|x| x.is_finite())
            .fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
        let v = if n > 0 { sum / n as f64 } else { f64::NAN };
        // One draw per statistic whatever the value, so one statistic's noise never shifts another's.
        let z: f64 = StandardNormal.sample(rng);
        let u: u64 = rng.gen();
        if !v.is_finite() {
            return v;
        }
        match self.measure {
            Measure::Exact => v,
            Measure::Sd(sd) => v + sd * z,
            Measure::Count(n) => {
                let p = v.clamp(0.0, 1.0);
                let mut inner = <crate::sim::rng::Rng as rand::SeedableRng>::seed_from_u64(u);
                Binomial::new(n as u64, p).map_or(p, |b| b.sample(&mut inner) as f64 / n as f64)
            }
        }
    }
}

/// How a value was measured, from its `sd` and `n` fields (empty when absent); on error the
/// column at fault and the message.
fn measure_of(sd: &str, n: &str, value: f64) -> Result<Measure, (&'static str, String)> {
    match (sd, n) {
        ("", "") => Ok(Measure::Exact),
        (sd, "") => sd
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(Measure::Sd)
            .ok_or_else(|| {
                (
                    "sd",
                    format!("'{sd}' is not a standard error (a number >= 0)"),
                )
            }),
        ("", n) => {
            let n = n.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                (
                    "n",
                    format!("'{n}' is not a count of items (a whole number >= 1)"),
                )
            })?;
            if !(0.0..=1.0).contains(&value) {
                return Err((
                    "n",
                    format!(
                        "n is for a share or mean in [0, 1] of n items, but the value is {value}; give its \
                         standard error in sd instead"
                    ),
                ));
            }
            Ok(Measure::Count(n))
        }
        _ => Err(("", "give sd or n, not both".into())),
    }
}

/// A week (`12`) or a range of weeks (`5-26`, first ≤ last) of a run of `weeks` weeks.
fn week_range(text: &str, weeks: u32) -> Option<(u32, u32)> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
    (1 <= a && a <= b && b <= weeks).then_some((a, b))
}

/// The observed data of a fit.
#[derive(Debug, Clone, Serialize)]
pub struct Observed {
    /// The file, as named by the user.
    pub file: String,
    pub observations: Vec<Observation>,
}

impl Observed {
    /// The observed values, in file order.
    pub fn values(&self) -> Vec<f64> {
        self.observations.iter().map(|o| o.value).collect()
    }

    /// The statistics' names, in file order.
    pub fn names(&self) -> Vec<String> {
        self.observations.iter().map(Observation::name).collect()
    }

    /// The data in canonical form (one line per observation), for the fit's identity.
    pub fn canonical(&self) -> String {
        self.observations
            .iter()
            .map(|o| format!("{} {:?} {:?}\n", o.name(), o.value, o.measure))
            .collect()
    }

    /// Reads and checks observed data from `path`; `weeks` is the scenario's run length and
    /// `layout` its series (every lens an indicator has in it).
    pub fn read(path: &std::path::Path, weeks: u32, layout: &Layout) -> Result<Observed, Refusal> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Refusal(format!(
                "{file}: cannot read the observed data: {e}; pass a CSV with columns week,lens,indicator,value \
                 (see scenarios/observed-template.csv)"
            ))
        })?;
        Observed::parse(&text, &file, weeks, layout)
    }

    /// Parses observed data (`file` names it in messages) of a scenario of `weeks` weeks and
    /// series `layout`.
    pub fn parse(text: &str, file: &str, weeks: u32, layout: &Layout) -> Result<Observed, Refusal> {
        let at = |line: usize, column: &str, m: String| {
            let col = if column.is_empty() {
                String::new()
            } else {
                format!(" {column}:")
            };
            Refusal(format!("{file}:{line}:{col} {m}"))
        };
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        let Some((head_line, head)) = lines.next() else {
            return Err(Refusal(format!(
                "{file}: the observed data are empty; write a header week,lens,indicator,value and one line per \
                 measured value (see scenarios/observed-template.csv)"
            )));
        };
        let header: Vec<&str> = head.split(',').map(str::trim).collect();
        const KNOWN: [&str; 6] = ["week", "lens", "indicator", "value", "sd", "n"];
        if let Some(bad) = header.iter().find(|h| !KNOWN.contains(h)) {
            return Err(at(
                head_line,
                "",
                format!(
                    "unknown column '{bad}'; {}the columns are week, lens, indicator, value and optionally sd or n",
                    crate::scenario::suggest::did_you_mean(bad, &KNOWN)
                ),
            ));
        }
        let col = |name: &str| header.iter().position(|h| *h == name);
        let [Some(cw), Some(cl), Some(ci), Some(cv)] =
            ["week", "lens", "indicator", "value"].map(col)
        else {
            return Err(at(
                head_line,
                "",
                "the header needs the columns week, lens, indicator and value (and optionally sd or n)".into(),
            ));
        };
        let (csd, cn) = (col("sd"), col("n"));
        let mut observations: Vec<Observation> = Vec::new();
        for (line, l) in lines {
            let cells: Vec<&str> = l.split(',').map(str::trim).collect();
            if cells.len() != header.len() {
                return Err(at(
                    line,
                    "",
                    format!(
                        "{} fields where the header has {}",
                        cells.len(),
                        header.len()
                    ),
                ));
            }
            let get = |c: Option<usize>| c.map_or("", |c| cells[c]);
            let value = match get(Some(cv)) {
                "" | "NA" | "na" => continue,
                v => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| at(line, "value", format!("'{v}' is not a number")))?,
            };
            let (week, last_week) = week_range(get(Some(cw)), weeks).ok_or_else(|| {
                at(
                    line,
                    "week",
                    format!(
                        "'{}' is not a week of the run: write a whole number from 1 to {weeks}, or a range such as 5-{weeks}",
                        get(Some(cw))
                    ),
                )
            })?;
            let (lens, indicator) = (get(Some(cl)), get(Some(ci)));
            let column = statistic_column(layout, lens, indicator)
                .map_err(|(wrong, m)| at(line, wrong.column(), m))?;
            let measure = measure_of(get(csd), get(cn), value).map_err(|(c, m)| at(line, c, m))?;
            let obs = Observation {
                week,
                last_week,
                lens: lens.to_string(),
                indicator: indicator.to_string(),
                value,
                measure,
                column,
                line,
            };
            // The name holds the weeks, the lens and the indicator.
            if let Some(first) = observations.iter().find(|o| o.name() == obs.name()) {
                let m = format!(
                    "{} is already observed on line {}; keep one",
                    obs.name(),
                    first.line
                );
                return Err(at(line, "", m));
            }
            observations.push(obs);
        }
        if observations.is_empty() {
            return Err(Refusal(format!(
                "{file}: no observed values; add one line per measured value under the header (see scenarios/observed-template.csv)"
            )));
        }
        Ok(Observed {
            file: file.to_string(),
            observations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The series of the pilot café (newcomers and volunteers, no attribute lenses).
    fn layout() -> Layout {
        let s =
            crate::scenario::load(std::path::Path::new("scenarios/pilot-cafe.toml"), &[]).unwrap();
        Layout::of(&crate::model::Design::compile_all(&s)[0])
    }

    #[test]
    fn data_are_read_with_their_measurement() {
        let text = "# a pilot\nweek,lens,indicator,value,sd,n\n4,newcomers,attendance_rate,0.62,,\n\n8,newcomers,voice_share,0.21,,240\n12,all,volunteers_active,5,0.5,\n13,newcomers,mean_agency,NA,,\n1-13,all,attendance_rate,0.7,,\n";
        let o = Observed::parse(text, "obs.csv", 26, &layout()).unwrap();
        assert_eq!(o.observations.len(), 4);
        assert_eq!(
            (o.observations[3].week, o.observations[3].last_week),
            (1, 13)
        );
        assert_eq!(o.observations[3].name(), "weeks 1-13 all attendance_rate");
        assert_eq!(o.observations[0].measure, Measure::Exact);
        assert_eq!(o.observations[1].measure, Measure::Count(240));
        assert_eq!(o.observations[2].measure, Measure::Sd(0.5));
        assert_eq!(o.observations[2].line, 6);
        assert_eq!(o.names()[1], "week 8 newcomers voice_share");
        assert_ne!(
            o.observations[0].column, o.observations[3].column,
            "a lens is its own statistic"
        );
        assert_eq!(o.values(), vec![0.62, 0.21, 5.0, 0.7]);
    }

    #[test]
    fn bad_data_are_refused_with_file_line_and_column() {
        for (text, words) in [
            (
                "week,lens,indicator,value\n30,all,mean_agency,0.5\n",
                "obs.csv:2: week: '30' is not a week of the run",
            ),
            (
                "week,lens,indicator,value\n9-3,all,mean_agency,0.5\n",
                "obs.csv:2: week: '9-3' is not a week of the run",
            ),
            (
                "week,lens,indicator,value\n3,everyone,mean_agency,0.5\n",
                "obs.csv:2: lens: 'everyone' is not a lens of mean_agency in this scenario; its lenses: newcomers, local_participants, all",
            ),
            (
                "week,lens,indicator,value\n3,newcomer,mean_agency,0.5\n",
                "did you mean 'newcomers'?",
            ),
            (
                "week,lens,indicator,value\n3,volunteers,mean_agency,0.5\n",
                "obs.csv:2: lens: 'volunteers' is not a lens of mean_agency",
            ),
            (
                "week,lens,indicator,value\n3,newcomers,voice_share_participants,0.5\n",
                "obs.csv:2: indicator: 'voice_share_participants' is not an indicator",
            ),
            (
                "week,lens,indicator,value\n3,all,mean_agenci,0.5\n",
                "did you mean 'mean_agency'?",
            ),
            (
                "week,lens,indicator,value\n3,all,mean_agency,high\n",
                "obs.csv:2: value: 'high' is not a number",
            ),
            (
                "week,lens,indicator,value,sd,n\n3,all,mean_agency,0.5,0.1,20\n",
                "give sd or n, not both",
            ),
            (
                "week,lens,indicator,value,n\n3,all,help_episodes,4,20\n",
                "n is for a share or mean in [0, 1]",
            ),
            (
                "week,lens,indicator,value\n3,all,mean_agency,0.5\n3,all,mean_agency,0.6\n",
                "already observed on line 2",
            ),
            ("week,lens,indicator,valeu\n", "did you mean 'value'?"),
            ("week,lens,indicator,value\n", "no observed values"),
            (
                "week,lens,indicator,value\n3,all,mean_agency\n",
                "3 fields where the header has 4",
            ),
        ] {
            let e = Observed::parse(text, "obs.csv", 26, &layout()).unwrap_err();
            assert!(e.0.contains(words), "{text}: {e}");
        }
    }

    #[test]
    fn measurement_noise_follows_the_data() {
        let o = Observed::parse(
            "week,lens,indicator,value,sd,n\n1,newcomers,mean_agency,0.5,,\n1,all,attendance_rate,0.5,0.1,\n1,newcomers,voice_share,0.5,,50\n",
            "o.csv",
            2,
            &layout(),
        )
        .unwrap();
        let mut row = vec![f64::NAN; layout().len()];
        for x in &o.observations {
            row[x.column] = 0.4;
        }
        let rows = vec![row.clone()];
        let range = Observed::parse(
            "week,lens,indicator,value\n1-3,newcomers,mean_agency,0.5\n",
            "o.csv",
            3,
            &layout(),
        )
        .unwrap();
        let mut three = vec![row; 3];
        three[1][range.observations[0].column] = 0.1;
        three[2][range.observations[0].column] = f64::NAN;
        let mut r0 = <crate::sim::rng::Rng as rand::SeedableRng>::seed_from_u64(1);
        assert!(
            (range.observations[0].measure(&three, &mut r0) - 0.25).abs() < 1e-12,
            "the mean of the defined weeks"
        );
        let mut rng = <crate::sim::rng::Rng as rand::SeedableRng>::seed_from_u64(1);
        let draws: Vec<Vec<f64>> = (0..4000)
            .map(|_| {
                o.observations
                    .iter()
                    .map(|x| x.measure(&rows, &mut rng))
                    .collect()
            })
            .collect();
        let mean = |k: usize| draws.iter().map(|d| d[k]).sum::<f64>() / draws.len() as f64;
        let sd = |k: usize| {
            (draws.iter().map(|d| (d[k] - mean(k)).powi(2)).sum::<f64>() / draws.len() as f64)
                .sqrt()
        };
        assert!(draws.iter().all(|d| d[0] == 0.4), "exact");
        assert!((mean(1) - 0.4).abs() < 0.01 && (sd(1) - 0.1).abs() < 0.01);
        let binomial_sd = (0.4f64 * 0.6 / 50.0).sqrt();
        assert!((mean(2) - 0.4).abs() < 0.01 && (sd(2) - binomial_sd).abs() < 0.01);
        assert!(
            draws
                .iter()
                .all(|d| (d[2] * 50.0 - (d[2] * 50.0).round()).abs() < 1e-9),
            "shares of 50 items"
        );
    }
}
