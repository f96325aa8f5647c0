//! Global sensitivity analysis of a scenario (`dugnad sensitivity`, docs/sensitivity.md):
//! which assumptions drive agency and minoritization.
//!
//! A sensitivity analysis is a sweep whose cells are the points of a Morris or Saltelli design:
//! each factor (a dotted scenario path with a range) is set per point as a `--set` override,
//! every point runs the scenario's replicates on the scenario's seed (common random numbers
//! across points), and the points are committed one by one to a sweep folder (`store`), so a
//! run resumes after a crash and can be split with `--shard I/N` and joined with `dugnad merge`.
//! The analysis reads the per-replicate values back from the committed cell files (so a
//! resumed, sharded or fresh run analyses the same bytes) and applies the estimators of
//! `stats::sensitivity` to the per-point replicate means.

use super::grid::{parse_range, Cells, Range};
use super::shard::Shard;
use super::store::replicates_file;
use super::sweep::{Base, Sweep};
use super::{default_output, output_label, pick_series, Refusal, Scope};
use crate::cli::SensitivityCmd;
use crate::lang::{fill, Lang};
use crate::metrics::indicators::{key_indicators, View};
use crate::metrics::Layout;
use crate::output::number::num;
use crate::output::table::{Cell, Column, Kind, Table};
use crate::scenario::Source;
use crate::stats::sensitivity::{IMPRECISE_HALF_WIDTH, IMPRECISE_NEGATIVE};
use crate::stats::{
    morris_design, morris_indices_seeded, noise_share, replicate_means, saltelli_design,
    scale_points, sobol_indices, sobol_indices_noisy, Imprecision, MorrisIndex, SobolOptions,
    SobolResult, SobolWarning, SOBOL_MAX_DIMS,
};
use anyhow::{Context, Result};
use std::path::Path;

/// Bootstrap resamples of every CI.
pub const RESAMPLES: usize = 1000;

/// The Morris design's seed for a scenario seed: `seed XOR fnv1a-64("sensitivity-morris")`.
pub fn morris_seed(seed: u64) -> u64 {
    seed ^ crate::sim::rng::name_hash("sensitivity-morris")
}

/// The sensitivity method and its design size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Morris elementary effects: `trajectories` trajectories on a `levels`-level grid.
    Morris { trajectories: usize, levels: usize },
    /// Sobol indices on a Saltelli design with base sample size `samples`.
    Sobol { samples: usize },
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Morris { .. } => "morris",
            Method::Sobol { .. } => "sobol",
        }
    }
}

/// One factor: a dotted scenario path and its range.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    /// Values are rounded to whole numbers (the scenario holds an integer there).
    pub integer: bool,
}

impl Factor {
    /// A factor from a parsed `--range`; `integer` is decided by the caller from the scenario.
    pub fn from_range(r: &Range, integer: bool) -> Factor {
        Factor {
            key: r.key.clone(),
            lo: r.lo,
            hi: r.hi,
            integer,
        }
    }

    /// The short name used in sentences and charts ([`short_name`]).
    pub fn short(&self) -> &str {
        short_name(&self.key)
    }
}

/// A factor's short name: the last segment of its dotted key.
pub fn short_name(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Every model parameter with its plausible range (`--all-params`).
pub fn all_params() -> Vec<Factor> {
    crate::model::params::PARAMS
        .iter()
        .map(|p| Factor {
            key: format!("parameters.{}", p.name),
            lo: p.plausible.0,
            hi: p.plausible.1,
            integer: false,
        })
        .collect()
}

/// A TOML literal for a factor value: a whole number for an integer factor, else the value as
/// every result file writes it ([`num`]: 6 decimals), with `.0` on whole floats so it stays a
/// float literal. A point runs with exactly the value its files show.
pub fn literal(x: f64, integer: bool) -> String {
    if integer {
        format!("{}", x.round() as i64)
    } else {
        let s = num(x);
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A sensitivity design (the experimental design of a Morris or Sobol analysis): the method,
/// the factors and the design points.
#[derive(Clone, Debug)]
pub struct Design {
    pub method: Method,
    pub factors: Vec<Factor>,
    /// Seed of the Morris design (unused for Sobol).
    pub seed: u64,
    /// The design on the unit cube, in estimator order.
    pub unit: Vec<Vec<f64>>,
}

impl Design {
    /// Builds the design, refusing sizes the estimators cannot use.
    pub fn new(method: Method, factors: Vec<Factor>, seed: u64) -> Result<Design, Refusal> {
        let k = factors.len();
        if k == 0 {
            // The example is the first parameter over its plausible range: a range that runs.
            let p = &crate::model::params::PARAMS[0];
            return Err(Refusal(format!(
                "no factors: give --range KEY=lo:hi (repeatable), e.g. --range parameters.{}={}:{}, or --all-params",
                p.name, p.plausible.0, p.plausible.1
            )));
        }
        for (i, f) in factors.iter().enumerate() {
            if factors[..i].iter().any(|g| g.key == f.key) {
                return Err(Refusal(format!(
                    "factor {} is given twice; give each --range once",
                    f.key
                )));
            }
            if f.lo.partial_cmp(&f.hi) != Some(std::cmp::Ordering::Less) {
                return Err(Refusal(format!(
                    "range of {}: need lo < hi (got {}:{})",
                    f.key, f.lo, f.hi
                )));
            }
        }
        let unit = match method {
            Method::Morris {
                trajectories,
                levels,
            } => {
                if levels < 2 || !levels.is_multiple_of(2) {
                    return Err(Refusal(format!(
                        "--levels {levels}: Morris needs an even number of levels ≥ 2, e.g. --levels 4"
                    )));
                }
                if trajectories < 2 {
                    return Err(Refusal(format!(
                        "--trajectories {trajectories}: need at least 2 (σ and the CI need several; 10–20 is usual)"
                    )));
                }
                morris_design(k, trajectories, levels, morris_seed(seed))
            }
            Method::Sobol { samples } => {
                if samples < 2 {
                    return Err(Refusal(format!(
                        "--samples {samples}: need at least 2 (a power of two such as 64 or 256)"
                    )));
                }
                if 2 * k > SOBOL_MAX_DIMS {
                    return Err(Refusal(format!(
                        "{k} factors: the Saltelli design needs 2k ≤ {SOBOL_MAX_DIMS} Sobol dimensions; use ≤ {} factors or --method morris",
                        SOBOL_MAX_DIMS / 2
                    )));
                }
                saltelli_design(k, samples, 0).points()
            }
        };
        Ok(Design {
            method,
            factors,
            seed,
            unit,
        })
    }

    /// Number of design points.
    pub fn len(&self) -> usize {
        self.unit.len()
    }

    pub fn is_empty(&self) -> bool {
        self.unit.is_empty()
    }

    /// The design description stored in `sweep.json` (part of the identity).
    pub fn design_name(&self) -> String {
        match self.method {
            Method::Morris {
                trajectories,
                levels,
            } => {
                format!(
                    "sensitivity morris r={trajectories} p={levels} seed={}",
                    morris_seed(self.seed)
                )
            }
            Method::Sobol { samples } => format!("sensitivity sobol saltelli N={samples} skip=0"),
        }
    }

    /// The design points in factor units (`values()[point][factor]`), before integer factors
    /// are rounded.
    pub fn values(&self) -> Vec<Vec<f64>> {
        let lo: Vec<f64> = self.factors.iter().map(|f| f.lo).collect();
        let hi: Vec<f64> = self.factors.iter().map(|f| f.hi).collect();
        scale_points(&self.unit, &lo, &hi)
    }

    /// The block point `c` belongs to: its Morris trajectory, or its Saltelli matrix (A, B or
    /// AB_<factor>).
    pub fn block(&self, c: usize) -> String {
        match self.method {
            Method::Morris { .. } => format!("trajectory {}", c / (self.factors.len() + 1)),
            Method::Sobol { samples } => match c / samples {
                0 => "A".to_string(),
                1 => "B".to_string(),
                b => format!("AB_{}", self.factors[b - 2].short()),
            },
        }
    }

    /// The design as sweep cells: one cell per point, each factor's value as a TOML literal.
    pub fn cells(&self) -> Cells {
        Cells {
            keys: self.factors.iter().map(|f| f.key.clone()).collect(),
            design: self.design_name(),
            sampler_seed: None,
            values: self
                .values()
                .iter()
                .map(|p| {
                    p.iter()
                        .zip(&self.factors)
                        .map(|(x, f)| literal(*x, f.integer))
                        .collect()
                })
                .collect(),
        }
    }
}

/// One output analysed: an indicator at a lens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub indicator: &'static str,
    pub lens: String,
}

impl Target {
    /// `mean_agency (newcomers)`: how sentences, warnings and charts name it.
    pub fn label(&self) -> String {
        self.label_in(Lang::En)
    }

    /// [`label`](Self::label) in `lang` ([`output_label`]).
    pub fn label_in(&self, lang: Lang) -> String {
        output_label(lang, self.indicator, &self.lens)
    }
}

/// Why an analysis' indices of one output should be read with care.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub target: Target,
    pub kind: WarningKind,
}

/// What a [`Warning`] is about.
#[derive(Clone, Debug, PartialEq)]
pub enum WarningKind {
    /// Some Morris elementary effects are undefined (the indicator is NA at some points).
    UndefinedEffects,
    /// The Sobol estimator's warning; `factor` names the factor it is about by its key.
    Sobol {
        factor: Option<String>,
        warning: SobolWarning,
    },
    /// The replicate noise of a point mean is `share` of the spread of the point means.
    Noise { share: f64 },
}

impl Warning {
    /// The warning in words, in `lang` (English: what the terminal and the manifest say).
    pub fn words(&self, lang: Lang) -> String {
        let subject = self.target.label_in(lang);
        let number = |s: String| lang.number(&s);
        match &self.kind {
            WarningKind::UndefinedEffects => fill(
                lang,
                "report.warn_undefined_effects",
                &[("subject", &subject)],
            ),
            WarningKind::Noise { share } => fill(
                lang,
                "report.warn_noise",
                &[
                    ("subject", &subject),
                    ("share", &number(format!("{:.0}", 100.0 * share))),
                ],
            ),
            WarningKind::Sobol { factor, warning } => match warning {
                SobolWarning::RowsDropped { dropped, rows } => fill(
                    lang,
                    "report.warn_rows_dropped",
                    &[("subject", &subject), ("dropped", dropped), ("rows", rows)],
                ),
                SobolWarning::NoVariance {
                    variance,
                    noise_var,
                } => fill(
                    lang,
                    "report.warn_no_variance",
                    &[
                        ("subject", &subject),
                        ("variance", &number(variance.to_string())),
                        ("noise", &number(noise_var.to_string())),
                    ],
                ),
                SobolWarning::Imprecise {
                    factor: f,
                    reasons,
                    n,
                } => {
                    let reasons: Vec<String> = reasons
                        .iter()
                        .map(|r| {
                            let (key, value, limit) = match r {
                                Imprecision::WideS1(v) => {
                                    ("report.warn_wide_s1", v, IMPRECISE_HALF_WIDTH)
                                }
                                Imprecision::WideSt(v) => {
                                    ("report.warn_wide_st", v, IMPRECISE_HALF_WIDTH)
                                }
                                Imprecision::NegativeS1(v) => {
                                    ("report.warn_negative_s1", v, IMPRECISE_NEGATIVE)
                                }
                                Imprecision::NegativeSt(v) => {
                                    ("report.warn_negative_st", v, IMPRECISE_NEGATIVE)
                                }
                            };
                            fill(
                                lang,
                                key,
                                &[
                                    ("value", &number(format!("{value:.3}"))),
                                    ("limit", &number(limit.to_string())),
                                ],
                            )
                        })
                        .collect();
                    let which = factor.clone().unwrap_or_else(|| format!("factor {f}"));
                    fill(
                        lang,
                        "report.warn_imprecise",
                        &[
                            ("subject", &subject),
                            ("factor", &which),
                            ("reasons", &reasons.join(", ")),
                            ("n", n),
                            ("better", &(4 * n)),
                        ],
                    )
                }
                SobolWarning::Noisy { share } => fill(
                    lang,
                    "report.warn_noisy",
                    &[
                        ("subject", &subject),
                        ("share", &number(format!("{:.0}", 100.0 * share))),
                    ],
                ),
            },
        }
    }
}

impl std::fmt::Display for Warning {
    /// The warning in English.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Lang::En))
    }
}

/// A sensitivity analysis, planned: its design and the outputs analysed, and the design's
/// points as a sweep of checked cells.
pub struct Plan {
    pub sweep: Sweep,
    pub design: Design,
    /// The analysed (indicator, lens) pairs.
    pub indicators: Vec<Target>,
}

impl Plan {
    /// Plans `dugnad sensitivity`. A `[sweep]` table in the file is not part of the scenario
    /// proper and is ignored.
    pub fn from_args(cmd: &SensitivityCmd) -> Result<Plan> {
        Plan::from_source(&Source::read(&cmd.scenario)?, cmd)
    }

    /// Plans `dugnad sensitivity` of a scenario given as a [`Source`] (a program's scenario
    /// text) with `cmd`'s flags; `cmd.scenario` is not read.
    pub fn from_source(source: &Source, cmd: &SensitivityCmd) -> Result<Plan> {
        let scope = Scope::parse(&cmd.scope)?;
        let base = Base::from_source(source, &cmd.run)?;
        let mut factors: Vec<Factor> = Vec::new();
        for r in &cmd.range {
            let r = parse_range(r)?;
            let integer = base.is_integer_at(&r.key);
            factors.push(Factor::from_range(&r, integer));
        }
        if cmd.all_params {
            for f in all_params() {
                if !factors.iter().any(|g| g.key == f.key) {
                    factors.push(f);
                }
            }
        }
        let method = match cmd.method.as_str() {
            "sobol" => Method::Sobol {
                samples: cmd.samples,
            },
            _ => Method::Morris {
                trajectories: cmd.trajectories,
                levels: cmd.levels,
            },
        };
        let layout = crate::model::Design::compile_all(&base.scenario)
            .first()
            .map(Layout::of)
            .unwrap_or_default();
        let indicators = indicators(&cmd.indicator, cmd.lens.as_deref(), &layout)?;
        let design = Design::new(method, factors, base.scenario.seed)?;
        let cells = design.cells();
        let shard = cmd.shard.as_deref().map(Shard::parse).transpose()?;
        let name = format!("sensitivity-{}-{}", base.scenario.name, method.name());
        let target = cmd
            .run
            .output
            .clone()
            .unwrap_or_else(|| default_output(&name));
        Ok(Plan {
            sweep: Sweep::new(base, cells, scope, shard, target)?,
            design,
            indicators,
        })
    }

    /// Reads a complete folder's per-replicate outputs back and analyses them.
    pub fn analyze(&self) -> Result<(Analysis, Vec<Vec<Vec<f64>>>)> {
        let points = self.sweep.cells.len();
        let outputs = read_outputs(&self.sweep.target, points, &self.indicators)?;
        Ok((analyze(&self.design, &self.indicators, &outputs), outputs))
    }
}

/// Resolves indicator names (default: the key indicators of [`View::Sensitivity`]) at `lens`
/// (default: each one's headline lens, newcomers or all) in the base scenario's `layout`.
pub fn indicators(
    names: &[String],
    lens: Option<&str>,
    layout: &Layout,
) -> Result<Vec<Target>, Refusal> {
    let names: Vec<String> = if names.is_empty() {
        key_indicators(View::Sensitivity)
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        names.to_vec()
    };
    let mut out: Vec<Target> = Vec::new();
    for n in &names {
        // An explicit lens applies to the indicators that have it; a volunteer indicator in the
        // default list keeps its own (all).
        let at = match lens {
            Some(l) if names.len() > 1 && !layout.lenses_of(n).contains(&l) => None,
            other => other,
        };
        let k = pick_series(layout, n, at).map_err(|e| Refusal(format!("--indicator: {e}")))?;
        let s = &layout.series[k];
        let t = Target {
            indicator: s.name(),
            lens: s.lens_name.clone(),
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

fn parse_value(s: &str) -> f64 {
    if s == "NA" {
        f64::NAN
    } else {
        s.parse().unwrap_or(f64::NAN)
    }
}

/// Per-replicate outputs read from a complete folder's cell files (long rows ending in
/// `indicator,lens,value`): `out[j][point][replicate]` for the `j`-th of `targets`. A point
/// whose file lacks a target (its scenario has no such lens) gives it no values there.
pub fn read_outputs(dir: &Path, points: usize, targets: &[Target]) -> Result<Vec<Vec<Vec<f64>>>> {
    let mut out = vec![vec![Vec::new(); points]; targets.len()];
    #[allow(clippy::needless_range_loop)] // `c` names the file and indexes an inner dimension
    for c in 0..points {
        let p = dir.join("cells").join(replicates_file(c));
        let text =
            std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
            // The last three fields hold no comma (indicator and lens names, a number).
            let mut tail = line.rsplitn(4, ',');
            let (Some(value), Some(lens), Some(indicator), Some(_)) =
                (tail.next(), tail.next(), tail.next(), tail.next())
            else {
                return Err(Refusal(format!(
                    "{} has a row with too few columns; delete it and rerun to recompute point {c}",
                    p.display()
                ))
                .into());
            };
            for (j, t) in targets.iter().enumerate() {
                if t.indicator == indicator && t.lens == lens {
                    out[j][c].push(parse_value(value));
                }
            }
        }
    }
    Ok(out)
}

/// One line of `sensitivity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub factor: String,
    pub indicator: &'static str,
    pub lens: String,
    pub statistic: &'static str,
    pub value: f64,
    pub ci: Option<(f64, f64)>,
}

/// The indices of one indicator.
#[derive(Clone, Debug)]
pub enum Indices {
    Morris(Vec<MorrisIndex>),
    Sobol {
        /// On the replicate means (the reported S1/ST; appropriate under common random numbers).
        primary: SobolResult,
        /// With the replicate-noise variance σ²/R subtracted (`sobol_indices_noisy`).
        corrected: SobolResult,
    },
}

/// Everything the analysis found.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub method: Method,
    pub factors: Vec<String>,
    /// Per analysed output: the (indicator, lens), its noise share and its indices.
    pub per_indicator: Vec<(Target, f64, Indices)>,
    pub estimates: Vec<Estimate>,
    pub warnings: Vec<Warning>,
    /// Replicates per point (the most any point had).
    pub replicates: usize,
}

/// Applies the estimators to per-point replicate outputs (`outputs[j][point][replicate]`).
pub fn analyze(design: &Design, indicators: &[Target], outputs: &[Vec<Vec<f64>>]) -> Analysis {
    let k = design.factors.len();
    let names: Vec<String> = design.factors.iter().map(|f| f.key.clone()).collect();
    let mut per_indicator = Vec::new();
    let mut estimates = Vec::new();
    let mut warnings = Vec::new();
    let replicates = outputs.iter().flatten().map(Vec::len).max().unwrap_or(0);
    for (j, target) in indicators.iter().enumerate() {
        let reps = &outputs[j];
        let share = noise_share(reps);
        let est =
            |f: usize, statistic: &'static str, value: f64, ci: Option<(f64, f64)>| Estimate {
                factor: names.get(f).cloned().unwrap_or_else(|| "(all)".into()),
                indicator: target.indicator,
                lens: target.lens.clone(),
                statistic,
                value,
                ci,
            };
        let indices = match design.method {
            Method::Morris {
                trajectories,
                levels,
            } => {
                let (means, _) = replicate_means(reps);
                let m = morris_indices_seeded(
                    &design.unit,
                    &means,
                    k,
                    trajectories,
                    levels,
                    RESAMPLES,
                    0,
                );
                for (f, x) in m.iter().enumerate() {
                    estimates.push(est(f, "mu_star", x.mu_star, Some(x.mu_star_ci)));
                    estimates.push(est(f, "mu", x.mu, None));
                    estimates.push(est(f, "sigma", x.sigma, None));
                }
                if m.iter().any(|x| x.mu_star.is_nan()) {
                    warnings.push(Warning {
                        target: target.clone(),
                        kind: WarningKind::UndefinedEffects,
                    });
                }
                Indices::Morris(m)
            }
            Method::Sobol { samples } => {
                let opts = SobolOptions {
                    resamples: RESAMPLES,
                    seed: 0,
                    level: 0.95,
                    noise_var: 0.0,
                };
                // Primary: the replicate means as outputs. Under common random numbers the noise
                // is shared by all points and largely cancels in f(A_B) − f(A); the σ²/R
                // correction (which assumes independent noise per point) is reported alongside.
                let (means, _) = replicate_means(reps);
                let primary = sobol_indices(&means, k, samples, &opts);
                let corrected = sobol_indices_noisy(reps, k, samples, &opts);
                for (f, x) in primary.indices.iter().enumerate() {
                    estimates.push(est(f, "S1", x.s1, Some(x.s1_ci)));
                    estimates.push(est(f, "ST", x.st, Some(x.st_ci)));
                }
                for (f, x) in corrected.indices.iter().enumerate() {
                    estimates.push(est(f, "S1_noise_corrected", x.s1, Some(x.s1_ci)));
                    estimates.push(est(f, "ST_noise_corrected", x.st, Some(x.st_ci)));
                }
                estimates.push(est(usize::MAX, "sum_S1", primary.sum_s1, None));
                estimates.push(est(
                    usize::MAX,
                    "sum_S1_noise_corrected",
                    corrected.sum_s1,
                    None,
                ));
                for w in &primary.warnings {
                    // The estimator names factors by index; name them by key.
                    let factor = match w {
                        SobolWarning::Imprecise { factor, .. } => names.get(*factor).cloned(),
                        _ => None,
                    };
                    warnings.push(Warning {
                        target: target.clone(),
                        kind: WarningKind::Sobol {
                            factor,
                            warning: w.clone(),
                        },
                    });
                }
                Indices::Sobol { primary, corrected }
            }
        };
        if share.is_finite() && share > 0.5 {
            warnings.push(Warning {
                target: target.clone(),
                kind: WarningKind::Noise { share },
            });
        }
        per_indicator.push((target.clone(), share, indices));
    }
    let mut w = warnings;
    w.dedup();
    Analysis {
        method: design.method,
        factors: names,
        per_indicator,
        estimates,
        warnings: w,
        replicates,
    }
}

/// The `sensitivity` table: per factor, indicator and statistic its estimate and 95 % CI
/// (empty where the statistic has none).
pub fn sensitivity_table(a: &Analysis) -> Table<'_> {
    let mut columns = ["factor", "indicator", "lens", "method", "statistic"]
        .map(Column::text)
        .to_vec();
    columns.extend(["value", "ci_low", "ci_high"].map(Column::num));
    Table::new("sensitivity", columns, move |sink| {
        for e in &a.estimates {
            let (lo, hi) = match e.ci {
                Some((l, h)) => (Cell::Num(l), Cell::Num(h)),
                None => (Cell::Empty, Cell::Empty),
            };
            sink(&[
                Cell::Text(&e.factor),
                Cell::Text(e.indicator),
                Cell::Text(&e.lens),
                Cell::Text(a.method.name()),
                Cell::Text(e.statistic),
                Cell::Num(e.value),
                lo,
                hi,
            ])?;
        }
        Ok(())
    })
}

/// The `noise` table: each analysed output's noise share.
pub fn noise_table(a: &Analysis) -> Table<'_> {
    let columns = vec![
        Column::text("indicator"),
        Column::text("lens"),
        Column::num("noise_share"),
    ];
    Table::new("noise", columns, move |sink| {
        for (t, share, _) in &a.per_indicator {
            sink(&[
                Cell::Text(t.indicator),
                Cell::Text(&t.lens),
                Cell::Num(*share),
            ])?;
        }
        Ok(())
    })
}

/// The `points` table (long): point, the block it belongs to (Morris trajectory, or Saltelli
/// A/B/AB_i), the factor values it ran with (whole numbers, or numbers like every other: 6
/// decimals), then per analysed (indicator, lens) the replicate mean and SD and the replicates.
pub fn points_table<'a>(
    design: &'a Design,
    indicators: &'a [Target],
    outputs: &'a [Vec<Vec<f64>>],
) -> Table<'a> {
    let mut columns = vec![Column::int("point"), Column::text("block")];
    for f in &design.factors {
        let kind = if f.integer { Kind::Int } else { Kind::Num };
        columns.push(Column::new(f.key.clone(), kind));
    }
    columns.extend(["indicator", "lens"].map(Column::text));
    columns.extend(["mean", "sd"].map(Column::num));
    columns.push(Column::int("replicates"));
    Table::new("points", columns, move |sink| {
        for (c, values) in design.values().iter().enumerate() {
            let block = design.block(c);
            let mut lead = vec![Cell::Int(c as i64), Cell::Text(&block)];
            for (x, f) in values.iter().zip(&design.factors) {
                lead.push(if f.integer {
                    Cell::Int(x.round() as i64)
                } else {
                    Cell::Num(*x)
                });
            }
            for (t, reps) in indicators.iter().zip(outputs) {
                let (r, mean, var) = crate::stats::ci::mean_var(reps[c].iter().copied());
                let sd = if r >= 2 { var.sqrt() } else { f64::NAN };
                let mut row = lead.clone();
                row.extend([Cell::Text(t.indicator), Cell::Text(&t.lens)]);
                row.extend([
                    Cell::Num(mean),
                    Cell::Num(sd),
                    Cell::Int(reps[c].len() as i64),
                ]);
                sink(&row)?;
            }
        }
        Ok(())
    })
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.0} %", 100.0 * x)
    } else {
        "NA".into()
    }
}

/// The plain-language ranking: per indicator, the factors in order of importance (English:
/// what the terminal and the manifest say).
pub fn ranking(a: &Analysis) -> Vec<String> {
    ranking_in(a, Lang::En)
}

/// [`ranking`] in `lang`.
pub fn ranking_in(a: &Analysis, lang: Lang) -> Vec<String> {
    a.per_indicator
        .iter()
        .map(|(target, _, ix)| {
            let name = target.label_in(lang);
            match ix {
                Indices::Morris(m) => morris_sentence(&a.factors, m, &name, lang),
                Indices::Sobol { primary, .. } => sobol_sentence(&a.factors, primary, &name, lang),
            }
        })
        .collect()
}

/// One output's Morris ranking in words: the factor of largest μ*, its direction and whether
/// it interacts, the next three, and those of no effect.
fn morris_sentence(factors: &[String], m: &[MorrisIndex], name: &str, lang: Lang) -> String {
    let number = |x: f64| lang.number(&num(x));
    let mut order: Vec<usize> = (0..m.len()).collect();
    order.sort_by(|&x, &y| m[y].mu_star.total_cmp(&m[x].mu_star).then(x.cmp(&y)));
    let top = order[0];
    if m[top].mu_star.is_nan() || m[top].mu_star <= 0.0 {
        return fill(lang, "report.rank_morris_none", &[("name", &name)]);
    }
    let direction = lang.tr(if m[top].mu >= 0.0 {
        "report.rank_raises"
    } else {
        "report.rank_lowers"
    });
    let interacts = if m[top].sigma > m[top].mu_star {
        lang.tr("report.rank_morris_interacts")
    } else {
        ""
    };
    let mut s = fill(
        lang,
        "report.rank_morris_top",
        &[
            ("factor", &factors[top]),
            ("name", &name),
            ("mu_star", &number(m[top].mu_star)),
            ("direction", &direction),
            ("mu", &number(m[top].mu)),
            ("sigma", &number(m[top].sigma)),
            ("interacts", &interacts),
        ],
    );
    let rest: Vec<String> = order[1..]
        .iter()
        .filter(|&&f| m[f].mu_star > 0.0)
        .take(3)
        .map(|&f| {
            fill(
                lang,
                "report.rank_morris_item",
                &[("factor", &factors[f]), ("mu_star", &number(m[f].mu_star))],
            )
        })
        .collect();
    push_factors(&mut s, lang, "report.rank_next", &rest);
    let zero: Vec<&str> = order
        .iter()
        .filter(|&&f| m[f].mu_star == 0.0)
        .map(|&f| factors[f].as_str())
        .collect();
    push_factors(&mut s, lang, "report.rank_no_effect", &zero);
    s
}

/// Appends the sentence `key` naming `factors` (nothing when there are none).
fn push_factors(s: &mut String, lang: Lang, key: &str, factors: &[impl AsRef<str>]) {
    if !factors.is_empty() {
        let names: Vec<&str> = factors.iter().map(AsRef::as_ref).collect();
        let list = [("factors", &names.join(", ") as &dyn std::fmt::Display)];
        s.push_str(&fill(lang, key, &list));
    }
}

/// One output's Sobol ranking in words: the factor of largest ST with its S1 and ST, the next
/// three, and what Σ S1 says (estimation error, interactions, or additive factors).
fn sobol_sentence(factors: &[String], primary: &SobolResult, name: &str, lang: Lang) -> String {
    let percent = |x: f64| lang.number(&pct(x));
    let ix = &primary.indices;
    let mut order: Vec<usize> = (0..ix.len()).collect();
    order.sort_by(|&x, &y| ix[y].st.total_cmp(&ix[x].st).then(x.cmp(&y)));
    if !primary.variance.is_finite() || primary.variance <= 1e-24 {
        return fill(lang, "report.rank_sobol_none", &[("name", &name)]);
    }
    let t = order[0];
    let mut s = fill(
        lang,
        "report.rank_sobol_top",
        &[
            ("factor", &factors[t]),
            ("s1", &percent(ix[t].s1.max(0.0))),
            ("name", &name),
            ("st", &percent(ix[t].st.max(0.0))),
        ],
    );
    let rest: Vec<String> = order[1..]
        .iter()
        .take(3)
        .map(|&f| {
            fill(
                lang,
                "report.rank_sobol_item",
                &[
                    ("factor", &factors[f]),
                    ("s1", &percent(ix[f].s1.max(0.0))),
                    ("st", &percent(ix[f].st.max(0.0))),
                ],
            )
        })
        .collect();
    push_factors(&mut s, lang, "report.rank_next", &rest);
    let (sum, words) = (primary.sum_s1, percent(primary.sum_s1));
    s.push_str(&if sum > 1.05 {
        fill(lang, "report.rank_sobol_over", &[("sum", &words)])
    } else if sum < 0.95 {
        fill(lang, "report.rank_sobol_under", &[("sum", &words)])
    } else {
        fill(lang, "report.rank_sobol_additive", &[("sum", &words)])
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(key: &str) -> Factor {
        Factor {
            key: key.into(),
            lo: 0.0,
            hi: 1.0,
            integer: false,
        }
    }

    #[test]
    fn literals_are_toml_numbers() {
        assert_eq!(literal(1.0, false), "1.0");
        assert_eq!(literal(0.25, false), "0.25");
        assert_eq!(literal(2.6, true), "3");
        assert_eq!(literal(0.1 + 0.45 * 0.6, false), "0.37");
        assert_eq!(literal(0.5499999999999999, false), "0.55");
    }

    #[test]
    fn plans_have_the_estimators_point_counts() {
        let m = Design::new(
            Method::Morris {
                trajectories: 3,
                levels: 4,
            },
            vec![f("a.x"), f("a.y")],
            1,
        )
        .unwrap();
        assert_eq!(m.len(), 3 * 3);
        assert_eq!(m.cells().len(), 9);
        let s = Design::new(Method::Sobol { samples: 8 }, vec![f("a.x"), f("a.y")], 1).unwrap();
        assert_eq!(s.len(), 8 * 4);
        assert!(Design::new(Method::Sobol { samples: 8 }, vec![], 1).is_err());
        assert!(Design::new(
            Method::Morris {
                trajectories: 3,
                levels: 3
            },
            vec![f("a.x")],
            1
        )
        .is_err());
        assert!(Design::new(Method::Sobol { samples: 8 }, vec![f("a.x"), f("a.x")], 1).is_err());
    }
}
