//! Comparing designs on common random numbers: replicate r of every design runs on the same
//! seed streams (seed, r, activity key, group, purpose), so the paired differences
//! design − baseline over replicates remove the noise the designs share.

use super::fit::posterior::{Drawn, Posterior};
use super::{default_output, output_label, pick_series, split_top_level, Refusal, Scope};
use crate::cli::CompareCmd;
use crate::lang::{fill, Lang};
use crate::metrics::{Layout, Row};
use crate::model::group::Design;
use crate::output::manifest::Provenance;
use crate::output::number::num;
use crate::output::table::{Cell, Column, Table};
use crate::scenario::{Scenario, Source};
use crate::sim::replicates::{run_replicate, Designs};
use crate::stats::{paired_difference, summarize, PairedDiff, Summary};
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One design of a comparison.
pub struct Contender {
    /// Unique name (the scenario name, or the variant name).
    pub name: String,
    /// The scenario file it came from.
    pub file: String,
    /// Every override applied to the file (run flags, variant values, shared seed/size).
    pub overrides: Vec<String>,
    pub scenario: Scenario,
    pub designs: Vec<Design>,
    /// The text of the scenario it came from (a `--posterior` draw re-reads it with the drawn
    /// values).
    pub text: String,
    /// With `--posterior`: the designs of each replicate, its parameters drawn from the
    /// posterior (replicate r of every contender draws the same particle).
    pub drawn: Option<Drawn>,
    /// The series its rows hold.
    pub layout: Layout,
}

impl Contender {
    /// The designs replicate `r` runs.
    pub fn designs_of(&self, r: u64) -> &[Design] {
        match &self.drawn {
            Some(d) => d.of(r),
            None => &self.designs,
        }
    }

    /// The design of scenario `file` with `overrides` applied, named `name` (default: the
    /// scenario's name).
    pub fn load(file: &Path, name: Option<&str>, overrides: Vec<String>) -> Result<Contender> {
        Contender::from_source(&Source::read(file)?, name, overrides)
    }

    /// The design of a scenario given as a [`Source`], with its overrides and then `overrides`
    /// applied, named `name` (default: the scenario's name).
    pub fn from_source(
        source: &Source,
        name: Option<&str>,
        overrides: Vec<String>,
    ) -> Result<Contender> {
        let overrides = source.overrides_with(&overrides);
        let scenario = crate::scenario::load_str(&source.text, &source.origin, &overrides)?;
        let designs = Design::compile_all(&scenario);
        let layout = designs.first().map(Layout::of).unwrap_or_default();
        Ok(Contender {
            layout,
            name: name
                .map(str::to_string)
                .unwrap_or_else(|| scenario.name.clone()),
            file: source.origin.clone(),
            text: source.text.clone(),
            overrides,
            scenario,
            designs,
            drawn: None,
        })
    }

    /// Draws replicates `0..replicates` from `posterior`: each replicate's designs get the
    /// values of the particle it draws. A contender that sets a fitted path itself is refused
    /// (the posterior would overwrite it).
    pub fn with_posterior(mut self, posterior: &Posterior, replicates: u64) -> Result<Contender> {
        if let Some(o) = self.overrides.iter().find(|o| {
            posterior
                .paths
                .iter()
                .any(|p| o.split_once('=').is_some_and(|(k, _)| k.trim() == p))
        }) {
            return Err(Refusal(format!(
                "design '{}' sets {o}, a value the posterior in {} estimates; compare designs by what the fit left fixed, or drop --posterior",
                self.name,
                posterior.dir.display()
            ))
            .into());
        }
        self.drawn = Some(Drawn::new(
            posterior.clone(),
            &self.text,
            &self.file,
            &self.overrides,
            self.scenario.seed,
            replicates,
        )?);
        Ok(self)
    }
}

/// The designs of `dugnad compare`: each scenario file, then each `--variant` of the first
/// file, all on the first file's seed, replicates and weeks (common random numbers), with
/// names made unique.
pub fn contenders(cmd: &CompareCmd) -> Result<Vec<Contender>> {
    let sources = read_sources(&cmd.scenarios)?;
    contenders_of(&sources, cmd)
}

/// Reads scenario files.
fn read_sources(files: &[PathBuf]) -> Result<Vec<Source>> {
    Ok(files
        .iter()
        .map(|f| Source::read(f))
        .collect::<Result<Vec<_>, _>>()?)
}

/// [`contenders`] of scenarios given as [`Source`]s (in place of `cmd.scenarios`).
pub fn contenders_of(sources: &[Source], cmd: &CompareCmd) -> Result<Vec<Contender>> {
    let flags = cmd.run.overrides();
    let first = Contender::from_source(&sources[0], None, flags.clone())
        .map_err(|e| super::attribute_flags(e, &cmd.run))?;
    let shared = [
        format!("scenario.seed={}", first.scenario.seed),
        format!("scenario.replicates={}", first.scenario.replicates),
        format!("scenario.weeks={}", first.scenario.weeks),
    ];
    let with_shared = |extra: &[String]| -> Vec<String> {
        flags
            .iter()
            .chain(extra)
            .chain(shared.iter())
            .cloned()
            .collect()
    };
    let mut contenders = vec![first];
    for f in &sources[1..] {
        contenders.push(Contender::from_source(f, None, with_shared(&[]))?);
    }
    for v in &cmd.variant {
        let (name, mut o) = parse_variant(v)?;
        o.push(format!("scenario.name={name}"));
        contenders.push(Contender::from_source(
            &sources[0],
            Some(&name),
            with_shared(&o),
        )?);
    }
    let names: Vec<String> = contenders.iter().map(|c| c.name.clone()).collect();
    for (c, n) in contenders.iter_mut().zip(unique_names(&names)) {
        c.name = n;
    }
    Ok(contenders)
}

/// The position of the `--baseline` design among `names` (default: the first).
pub fn baseline_index(names: &[String], baseline: Option<&str>) -> Result<usize, Refusal> {
    match baseline {
        None => Ok(0),
        Some(b) => names.iter().position(|n| n == b).ok_or_else(|| {
            Refusal(format!(
                "--baseline '{b}' is not one of the designs: {}",
                names.join(", ")
            ))
        }),
    }
}

/// A comparison, planned: the designs, how they are compared and where the result goes.
pub struct Plan {
    pub contenders: Vec<Contender>,
    /// The series compared: every design's (the union, where designs differ in origins or
    /// attributes; a series a design lacks is NA there).
    pub layout: Layout,
    /// The lens the summary and the forest plot show (`--lens`; None: each indicator's
    /// headline lens, newcomers or all).
    pub lens: Option<String>,
    pub scope: Scope,
    pub baseline: usize,
    /// Replicates per design run before adaptive replication adds any.
    pub start: u64,
    pub adaptive: Option<Adaptive>,
    /// The result folder.
    pub target: PathBuf,
}

impl Plan {
    /// Plans `dugnad compare`, refusing what cannot be compared.
    pub fn from_args(cmd: &CompareCmd) -> Result<Plan> {
        Plan::check_count(cmd.scenarios.len(), cmd)?;
        Plan::from_sources(&read_sources(&cmd.scenarios)?, cmd)
    }

    /// At least two designs: `scenarios` scenarios and `cmd`'s variants.
    fn check_count(scenarios: usize, cmd: &CompareCmd) -> Result<(), Refusal> {
        if scenarios == 0 || scenarios + cmd.variant.len() < 2 {
            return Err(Refusal(
                "compare needs at least two designs: two or more scenario files, or one file and --variant 'NAME: KEY=VALUE, ...'"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Plans `dugnad compare` of scenarios given as [`Source`]s (a program's scenario texts)
    /// with `cmd`'s flags; `cmd.scenarios` are not read.
    pub fn from_sources(sources: &[Source], cmd: &CompareCmd) -> Result<Plan> {
        Plan::check_count(sources.len(), cmd)?;
        let scope = Scope::parse(&cmd.scope)?;
        let contenders = contenders_of(sources, cmd)?;
        let names: Vec<String> = contenders.iter().map(|c| c.name.clone()).collect();
        let baseline = baseline_index(&names, cmd.baseline.as_deref())?;
        let layout = Layout::union(
            std::iter::once(&contenders[baseline].layout)
                .chain(contenders.iter().map(|c| &c.layout)),
        );
        if let Some(lens) = &cmd.lens {
            if !layout.series.iter().any(|s| &s.lens_name == lens) {
                let mut known: Vec<&str> =
                    layout.series.iter().map(|s| s.lens_name.as_str()).collect();
                known.dedup();
                known.sort_unstable();
                known.dedup();
                return Err(Refusal(format!(
                    "--lens '{lens}' is not a lens of these designs; lenses: {}",
                    known.join(", ")
                ))
                .into());
            }
        }
        let adaptive = Adaptive::from_args(cmd, &layout)?;
        let start = match &adaptive {
            // Adaptive: start with --replicates if given, else one batch.
            Some(a) => cmd
                .run
                .replicates
                .map(u64::from)
                .unwrap_or(a.batch)
                .clamp(2.min(a.max), a.max),
            None => contenders[0].scenario.replicates as u64,
        };
        let contenders = match &cmd.posterior {
            None => contenders,
            Some(dir) => {
                let posterior = Posterior::read(dir)?;
                let replicates = adaptive.as_ref().map_or(start, |a| a.max);
                contenders
                    .into_iter()
                    .map(|c| c.with_posterior(&posterior, replicates))
                    .collect::<Result<Vec<_>>>()?
            }
        };
        let target = cmd
            .run
            .output
            .clone()
            .unwrap_or_else(|| default_output(&format!("compare-{}", names.join("-vs-"))));
        Ok(Plan {
            contenders,
            layout,
            lens: cmd.lens.clone(),
            scope,
            baseline,
            start,
            adaptive,
            target,
        })
    }

    /// The designs' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.contenders.iter().map(|c| c.name.clone()).collect()
    }

    /// Runs the comparison on the current rayon pool; `progress(replicates done per design)`
    /// is called as replicates finish.
    pub fn run(&self, progress: impl FnMut(u64)) -> Result<Comparison, Refusal> {
        let (values, adaptive) = run(
            &self.contenders,
            &self.layout,
            self.scope,
            self.baseline,
            self.start,
            self.adaptive.as_ref(),
            progress,
        )?;
        Ok(Comparison {
            names: self.names(),
            baseline: self.baseline,
            scope: self.scope,
            replicates: values[0].len() as u64,
            lines: compare(&values, self.baseline),
            layout: self.layout.clone(),
            lens: self.lens.clone(),
            adaptive,
        })
    }
}

/// One design in a comparison's manifest.
#[derive(Serialize)]
pub struct DesignEntry<'a> {
    pub name: &'a str,
    pub file: &'a str,
    pub overrides: &'a [String],
    pub scenario: &'a Scenario,
}

/// `manifest.json` of a comparison folder.
#[derive(Serialize)]
pub struct Manifest<'a> {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub baseline: &'a str,
    pub scope: Scope,
    pub seed: u64,
    /// Replicates per design (all designs run the same replicates).
    pub replicates: u64,
    pub weeks: u32,
    pub threads: usize,
    pub wall_time_seconds: f64,
    pub files: Vec<String>,
    pub adaptive: Option<&'a AdaptiveOutcome>,
    /// With --lens: the lens the summary and the forest plot show (what `dugnad plot` redraws).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lens: Option<&'a str>,
    /// With --posterior: the fit each replicate drew its parameters from (draws.csv).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<&'a Posterior>,
    pub designs: Vec<DesignEntry<'a>>,
}

impl Plan {
    /// The manifest of `c`, this plan's comparison run on `threads` threads, that took
    /// `wall_time_seconds` and wrote `files`.
    pub fn manifest<'a>(
        &'a self,
        c: &'a Comparison,
        provenance: Provenance,
        threads: usize,
        wall_time_seconds: f64,
        files: Vec<String>,
    ) -> Manifest<'a> {
        let first = &self.contenders[0].scenario;
        Manifest {
            provenance,
            baseline: &c.names[c.baseline],
            scope: c.scope,
            seed: first.seed,
            replicates: c.replicates,
            weeks: first.weeks,
            threads,
            wall_time_seconds,
            files,
            adaptive: c.adaptive.as_ref(),
            lens: c.lens.as_deref(),
            posterior: self.contenders[0].drawn.as_ref().map(|d| &d.posterior),
            designs: self
                .contenders
                .iter()
                .map(|d| DesignEntry {
                    name: &d.name,
                    file: &d.file,
                    overrides: &d.overrides,
                    scenario: &d.scenario,
                })
                .collect(),
        }
    }
}

/// A `--variant 'NAME: KEY=VALUE, KEY=VALUE'`: its name and overrides.
pub fn parse_variant(s: &str) -> Result<(String, Vec<String>), Refusal> {
    let example =
        "write e.g. --variant 'cafe-codesign: activity.co_design=0.7, activity.facilitation=0.5'";
    let Some((name, rest)) = s.split_once(':') else {
        return Err(Refusal(format!(
            "--variant '{s}' has no name before ':'; {example}"
        )));
    };
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(Refusal(format!(
            "--variant '{s}': the name must be a-z, 0-9, '-' or '_'; {example}"
        )));
    }
    let overrides: Vec<String> = split_top_level(rest)
        .into_iter()
        .filter(|o| !o.is_empty())
        .collect();
    if let Some(bad) = overrides.iter().find(|o| !o.contains('=')) {
        return Err(Refusal(format!(
            "--variant '{s}': '{bad}' is not KEY=VALUE; {example}"
        )));
    }
    Ok((name.to_string(), overrides))
}

/// Makes names unique by appending -2, -3, … to repeats (comparing a file with itself).
pub fn unique_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        let mut name = n.clone();
        let mut i = 2;
        while out.contains(&name) {
            name = format!("{n}-{i}");
            i += 1;
        }
        out.push(name);
    }
    out
}

/// Runs replicates `first..first+count` of every contender on the current rayon pool, all on
/// the first contender's seed and weeks. Returns per contender, per replicate (in order), the
/// row in `scope`, laid out as `layout`.
pub fn run_batch(
    contenders: &[Contender],
    layout: &Layout,
    first: u64,
    count: u64,
    scope: Scope,
) -> Vec<Vec<Row>> {
    let (seed, weeks) = (contenders[0].scenario.seed, contenders[0].scenario.weeks);
    let rows: Vec<Row> = (0..contenders.len() as u64 * count)
        .into_par_iter()
        .map(|i| {
            let (d, r) = ((i / count) as usize, first + i % count);
            let c = &contenders[d];
            let row = scope.row(&run_replicate(c.designs_of(r), seed, r, weeks, false));
            if c.layout == *layout {
                row
            } else {
                layout.remap(&c.layout, &row)
            }
        })
        .collect();
    rows.chunks(count.max(1) as usize)
        .map(<[Row]>::to_vec)
        .collect()
}

/// Series `k` of each replicate.
fn column(rows: &[Row], k: usize) -> Vec<f64> {
    rows.iter().map(|r| r[k]).collect()
}

/// Paired difference design − baseline of indicator `k`.
pub fn paired(values: &[Vec<Row>], design: usize, baseline: usize, k: usize) -> PairedDiff {
    paired_difference(&column(&values[design], k), &column(&values[baseline], k))
}

/// Half-width of the 95 % CI of a paired difference; infinite until it has 2 pairs.
pub fn half_width(d: &PairedDiff) -> f64 {
    if d.n < 2 {
        f64::INFINITY
    } else {
        (d.ci_high - d.ci_low) / 2.0
    }
}

/// One line of `comparison.csv`.
pub struct Line {
    pub design: usize,
    /// The series (position in the comparison's layout).
    pub series: usize,
    /// The design's values across replicates.
    pub summary: Summary,
    /// Design − baseline over the same replicates.
    pub diff: PairedDiff,
}

/// Per design (in order, baseline included) and series: summary and paired difference.
pub fn compare(values: &[Vec<Row>], baseline: usize) -> Vec<Line> {
    let width = values[baseline].first().map_or(0, Vec::len);
    let mut out = Vec::new();
    for design in 0..values.len() {
        for series in 0..width {
            out.push(Line {
                design,
                series,
                summary: summarize(&column(&values[design], series)),
                diff: paired(values, design, baseline, series),
            });
        }
    }
    out
}

/// A finished comparison: what its table, charts and report show.
pub struct Comparison {
    /// Design names, in order (the baseline among them).
    pub names: Vec<String>,
    pub baseline: usize,
    pub scope: Scope,
    /// Replicates per design.
    pub replicates: u64,
    /// Per design and series: summary and paired difference to the baseline.
    pub lines: Vec<Line>,
    /// The series of `lines`.
    pub layout: Layout,
    /// The lens the summary and the forest plot show (None: each indicator's headline lens).
    pub lens: Option<String>,
    /// How adaptive replication ended, when it was asked for.
    pub adaptive: Option<AdaptiveOutcome>,
}

impl Comparison {
    /// The lines the summary and the forest plot show: each indicator once, at `--lens` where
    /// it has that lens, else at its headline lens (newcomers, or all for volunteer
    /// indicators).
    pub fn shown(&self) -> Vec<&Line> {
        self.lines
            .iter()
            .filter(|l| {
                let s = &self.layout.series[l.series];
                let want = match &self.lens {
                    Some(lens) if !self.layout.lenses_of(s.name()).contains(&lens.as_str()) => {
                        crate::metrics::lens::ALL
                    }
                    Some(lens) => lens.as_str(),
                    None => crate::metrics::indicators::headline_lens(
                        &crate::metrics::INDICATORS[s.indicator],
                    ),
                };
                s.lens_name == want
            })
            .collect()
    }
}

/// The `comparison` table: per design, indicator and lens, the design's mean and CI and its
/// paired difference to the baseline with CI, Cohen's d_z and the number of pairs.
pub fn table(c: &Comparison) -> Table<'_> {
    let (names, baseline, scope) = (&c.names, c.baseline, c.scope);
    let mut columns: Vec<Column> = ["design", "baseline", "indicator", "lens", "scope"]
        .map(Column::text)
        .to_vec();
    columns.extend(
        [
            "mean",
            "ci_low",
            "ci_high",
            "diff",
            "diff_ci_low",
            "diff_ci_high",
            "effect_size",
        ]
        .map(Column::num),
    );
    columns.push(Column::int("n"));
    Table::new("comparison", columns, move |sink| {
        for l in &c.lines {
            let (s, d) = (&l.summary, &l.diff);
            let series = &c.layout.series[l.series];
            sink(&[
                Cell::Text(&names[l.design]),
                Cell::Text(&names[baseline]),
                Cell::Text(series.name()),
                Cell::Text(&series.lens_name),
                Cell::Text(scope.name()),
                Cell::Num(s.mean),
                Cell::Num(s.ci_low),
                Cell::Num(s.ci_high),
                Cell::Num(d.mean_diff),
                Cell::Num(d.ci_low),
                Cell::Num(d.ci_high),
                Cell::Num(d.effect_size),
                Cell::Int(d.n as i64),
            ])?;
        }
        Ok(())
    })
}

/// Adaptive replication: add batches until the CI half-width of every design's paired
/// difference to the baseline in series `series` is below `target`, or `max` replicates.
pub struct Adaptive {
    /// Position of the (indicator, lens) in the comparison's layout.
    pub series: usize,
    /// Its name, `indicator` or `indicator (lens)`.
    pub label: String,
    pub target: f64,
    pub batch: u64,
    pub max: u64,
}

impl Adaptive {
    /// Adaptive replication as `--target-ci`, `--indicator`, `--lens`, `--batch` and
    /// `--max-replicates` ask for it (None without `--target-ci`).
    pub fn from_args(cmd: &CompareCmd, layout: &Layout) -> Result<Option<Adaptive>, Refusal> {
        let Some(w) = cmd.target_ci else {
            return Ok(None);
        };
        let name = cmd.indicator.as_deref().unwrap_or_default();
        let series = pick_series(layout, name, cmd.lens.as_deref())
            .map_err(|e| Refusal(format!("--indicator: {e}")))?;
        if !(w > 0.0 && w.is_finite()) {
            return Err(Refusal(format!(
                "--target-ci {w}: the half-width must be a number > 0"
            )));
        }
        if cmd.max_replicates < 2 || cmd.batch == 0 {
            return Err(Refusal(
                "--max-replicates must be ≥ 2 and --batch ≥ 1".into(),
            ));
        }
        let s = &layout.series[series];
        Ok(Some(Adaptive {
            series,
            label: output_label(Lang::En, s.name(), &s.lens_name),
            target: w,
            batch: cmd.batch,
            max: cmd.max_replicates,
        }))
    }
}

/// How adaptive replication ended.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AdaptiveOutcome {
    pub indicator: String,
    pub target_half_width: f64,
    pub batch: u64,
    pub max_replicates: u64,
    /// Replicates run (per design).
    pub replicates_needed: u64,
    /// Whether every half-width fell below the target (false: stopped at max_replicates).
    pub reached: bool,
    /// Final half-width per design (against the baseline).
    pub half_widths: Vec<(String, f64)>,
}

impl AdaptiveOutcome {
    /// One sentence for stdout and the report, in English.
    pub fn sentence(&self) -> String {
        self.sentence_in(Lang::En)
    }

    /// [`sentence`](Self::sentence) in `lang`.
    pub fn sentence_in(&self, lang: Lang) -> String {
        let widths: Vec<String> = self
            .half_widths
            .iter()
            .map(|(n, w)| format!("{n} ±{}", lang.number(&num(*w))))
            .collect();
        // `voice_parity (newcomers)`, as `Adaptive::from_args` labels it.
        let indicator = match self
            .indicator
            .strip_suffix(')')
            .and_then(|s| s.split_once(" ("))
        {
            Some((name, lens)) => output_label(lang, name, lens),
            None => self.indicator.clone(),
        };
        let key = if self.reached {
            "report.adaptive_reached"
        } else {
            "report.adaptive_stopped"
        };
        fill(
            lang,
            key,
            &[
                ("replicates", &self.replicates_needed),
                ("target", &lang.number(&num(self.target_half_width))),
                ("indicator", &indicator),
                ("widths", &widths.join(", ")),
            ],
        )
    }
}

/// Runs the comparison: `start` replicates, then, when `adaptive`, more batches until the
/// target is met. `progress(replicates done per design)` is called as replicates finish.
pub fn run(
    contenders: &[Contender],
    layout: &Layout,
    scope: Scope,
    baseline: usize,
    start: u64,
    adaptive: Option<&Adaptive>,
    mut progress: impl FnMut(u64),
) -> Result<(Vec<Vec<Row>>, Option<AdaptiveOutcome>), Refusal> {
    let mut values = vec![Vec::new(); contenders.len()];
    extend(
        &mut values,
        contenders,
        layout,
        0,
        start,
        scope,
        &mut progress,
    );
    let mut n = start;
    let Some(a) = adaptive else {
        return Ok((values, None));
    };
    let others: Vec<usize> = (0..contenders.len()).filter(|d| *d != baseline).collect();
    loop {
        let diffs: Vec<PairedDiff> = others
            .iter()
            .map(|d| paired(&values, *d, baseline, a.series))
            .collect();
        if let Some(i) = diffs.iter().position(|d| d.n == 0) {
            return Err(Refusal(format!(
                "{} is undefined in every replicate of {} or the baseline ({} scope); choose another --indicator or --lens",
                a.label,
                contenders[others[i]].name,
                scope.name()
            )));
        }
        let widths: Vec<f64> = diffs.iter().map(half_width).collect();
        let reached = widths.iter().all(|w| *w < a.target);
        if reached || n >= a.max {
            let outcome = AdaptiveOutcome {
                indicator: a.label.clone(),
                target_half_width: a.target,
                batch: a.batch,
                max_replicates: a.max,
                replicates_needed: n,
                reached,
                half_widths: others
                    .iter()
                    .zip(&widths)
                    .map(|(d, w)| (contenders[*d].name.clone(), *w))
                    .collect(),
            };
            return Ok((values, Some(outcome)));
        }
        let add = a.batch.min(a.max - n);
        extend(
            &mut values,
            contenders,
            layout,
            n,
            add,
            scope,
            &mut progress,
        );
        n += add;
    }
}

/// Appends replicates `first..first+count` to `values`, in chunks of a few replicates per
/// thread so that `progress(replicates done)` moves (chunking does not change any value).
fn extend(
    values: &mut [Vec<Row>],
    contenders: &[Contender],
    layout: &Layout,
    first: u64,
    count: u64,
    scope: Scope,
    progress: &mut impl FnMut(u64),
) {
    let chunk = (rayon::current_num_threads() as u64 * 4)
        .div_ceil(contenders.len() as u64)
        .max(1);
    let end = first + count;
    let mut r = first;
    while r < end {
        let n = chunk.min(end - r);
        for (v, more) in values
            .iter_mut()
            .zip(run_batch(contenders, layout, r, n, scope))
        {
            v.extend(more);
        }
        r += n;
        progress(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contender(name: &str, overrides: &[&str]) -> Contender {
        let mut o: Vec<String> = vec!["scenario.weeks=8".into(), "scenario.replicates=6".into()];
        o.extend(overrides.iter().map(|s| s.to_string()));
        let scenario =
            crate::scenario::load(std::path::Path::new("scenarios/knitting-cafe.toml"), &o)
                .unwrap();
        let designs = Design::compile_all(&scenario);
        let layout = Layout::of(&designs[0]);
        Contender {
            name: name.into(),
            file: "kc".into(),
            text: String::new(),
            overrides: o,
            scenario,
            designs,
            drawn: None,
            layout,
        }
    }

    /// The union layout of contenders (what a plan computes).
    fn layout(c: &[Contender]) -> Layout {
        Layout::union(c.iter().map(|c| &c.layout))
    }

    /// The knitting café as it is ("base") and with facilitation 0.6 ("facil"), and their
    /// layout.
    fn base_and_facilitated() -> ([Contender; 2], Layout) {
        let c = [
            contender("base", &[]),
            contender("facil", &["activity.facilitation=0.6"]),
        ];
        let l = layout(&c);
        (c, l)
    }

    #[test]
    fn identical_designs_differ_by_exactly_zero() {
        let c = [contender("a", &[]), contender("b", &[])];
        let l = layout(&c);
        let (values, _) = run(&c, &l, Scope::FinalWeek, 0, 6, None, |_| {}).unwrap();
        for l in compare(&values, 0) {
            if l.diff.n > 0 {
                assert_eq!(
                    (l.diff.mean_diff, l.diff.ci_low, l.diff.ci_high),
                    (0.0, 0.0, 0.0)
                );
                assert_eq!(l.diff.effect_size, 0.0);
            }
        }
        let c = Comparison {
            names: vec!["a".into(), "b".into()],
            baseline: 0,
            scope: Scope::FinalWeek,
            replicates: 6,
            lines: compare(&values, 0),
            layout: l.clone(),
            lens: None,
            adaptive: None,
        };
        let text = crate::output::csv::to_bytes(&table(&c)).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(text.lines().count(), 1 + 2 * l.len());
        assert!(text
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("a,a,voice_share,newcomers,final_week,"));
        // The summary shows each indicator once, at newcomers (volunteer indicators at all).
        let shown = c.shown();
        assert_eq!(shown.len(), 2 * crate::metrics::N_INDICATORS);
        assert!(shown
            .iter()
            .all(|l| ["newcomers", "all"].contains(&c.layout.series[l.series].lens_name.as_str())));
    }

    #[test]
    fn paired_differences_use_common_random_numbers() {
        // The design matters, the noise is shared: the paired CI is narrower than the two
        // designs' separate CIs would suggest.
        let (c, l) = base_and_facilitated();
        let (values, _) = run(&c, &l, Scope::RunMean, 0, 6, None, |_| {}).unwrap();
        let k = l.position("mean_agency", "newcomers").unwrap();
        let d = paired(&values, 1, 0, k);
        assert_eq!(d.n, 6);
        let a = summarize(&column(&values[0], k));
        let b = summarize(&column(&values[1], k));
        assert!((d.mean_diff - (b.mean - a.mean)).abs() < 1e-12);
        let unpaired_sd = (a.sd * a.sd + b.sd * b.sd).sqrt();
        assert!(
            d.sd_diff < unpaired_sd,
            "CRN: sd of differences {} < unpaired {unpaired_sd}",
            d.sd_diff
        );
        // Replicates run in a later batch equal the same replicates run at once.
        let later = run_batch(&c, &l, 3, 3, Scope::RunMean);
        let bits = |rows: &[Row]| -> Vec<Vec<u64>> {
            rows.iter()
                .map(|r| r.iter().map(|x| x.to_bits()).collect())
                .collect()
        };
        assert_eq!(bits(&later[1]), bits(&values[1][3..]));
    }

    #[test]
    fn adaptive_replication_adds_batches_until_the_target_or_the_cap() {
        let (c, l) = base_and_facilitated();
        let k = l.position("mean_agency", "newcomers").unwrap();
        let a = Adaptive {
            series: k,
            label: "mean_agency (newcomers)".into(),
            target: 1e-9,
            batch: 4,
            max: 10,
        };
        let mut seen = Vec::new();
        let (values, out) =
            run(&c, &l, Scope::FinalWeek, 0, 4, Some(&a), |n| seen.push(n)).unwrap();
        let out = out.unwrap();
        assert_eq!(seen.last(), Some(&10));
        assert!(seen.contains(&4) && seen.contains(&8), "{seen:?}");
        assert!(!out.reached);
        assert_eq!(out.replicates_needed, 10);
        assert_eq!(values[0].len(), 10);
        let a = Adaptive {
            series: k,
            label: "mean_agency (newcomers)".into(),
            target: 1e9,
            batch: 4,
            max: 100,
        };
        let (_, out) = run(&c, &l, Scope::FinalWeek, 0, 4, Some(&a), |_| {}).unwrap();
        let out = out.unwrap();
        assert!(out.reached && out.replicates_needed == 4);
    }

    #[test]
    fn variants_and_names() {
        let (n, o) =
            parse_variant("cafe-codesign: activity.co_design=0.7, activity.facilitation=0.5")
                .unwrap();
        assert_eq!(n, "cafe-codesign");
        assert_eq!(o, ["activity.co_design=0.7", "activity.facilitation=0.5"]);
        let (_, o) = parse_variant("x: population.newcomers.language={beta=[2,2]}").unwrap();
        assert_eq!(o, ["population.newcomers.language={beta=[2,2]}"]);
        assert_eq!(parse_variant("same:").unwrap().1.len(), 0);
        assert!(parse_variant("no colon").is_err() && parse_variant("Bad Name: a=1").is_err());
        assert!(parse_variant("x: a").is_err());
        let names: Vec<String> = ["a", "b", "a", "a"].iter().map(|s| s.to_string()).collect();
        assert_eq!(unique_names(&names), ["a", "b", "a-2", "a-3"]);
    }
}
