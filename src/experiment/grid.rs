//! Sweep designs and the cells they make.
//!
//! A sweep is either a grid (`--vary KEY=v1,v2,...` or `--vary KEY=lo:hi:step`, several axes make
//! a full factorial, the first axis varying slowest) or a sample (`--sample lhs:N` or
//! `--sample sobol:N` over `--range KEY=lo:hi`). The same design can be declared in a scenario
//! file's `[sweep]` table. A cell is one combination of values, each a TOML literal that is
//! applied to the scenario as a `--set KEY=VALUE` override.

use super::{split_top_level, Refusal};
use crate::scenario::parse_override;
use crate::sim::rng::{mix, name_hash};
use crate::stats::{lhs, sobol, SOBOL_MAX_DIMS};
use serde::{Deserialize, Serialize};
use toml_edit::{Item, TableLike, Value};

/// The largest number of cells a sweep may have.
pub const MAX_CELLS: usize = 1_000_000;

/// Sampled values are rounded to this many decimals, so that what is written is what ran.
pub const SAMPLE_DECIMALS: i32 = 6;

/// Purpose name from which the Latin hypercube's seed is derived (see [`sampler_seed`]).
pub const LHS_PURPOSE: &str = "sweep-lhs";

/// One parameter of a grid and its values (canonical TOML literals).
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

/// A space-filling sampler of the unit hypercube.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampler {
    /// Latin hypercube (`stats::lhs`), seeded by [`sampler_seed`].
    Lhs,
    /// Unscrambled Sobol sequence (`stats::sobol`), points 0..N−1: no seed.
    Sobol,
}

/// A sampler and the number of points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    pub sampler: Sampler,
    pub n: usize,
}

/// A parameter's range for sampling. A parameter that is a whole number in the scenario
/// (e.g. `population.x.count`) is sampled as whole numbers, each of lo..=hi equally likely.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
}

/// A sweep as declared by flags or a `[sweep]` table (checked by [`SweepSpec::cells`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepSpec {
    pub vary: Vec<Axis>,
    pub sample: Option<Sample>,
    pub range: Vec<Range>,
}

/// The cells of a sweep: one row of values (TOML literals, aligned with `keys`) per cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cells {
    /// Dotted paths of the swept parameters, in column order.
    pub keys: Vec<String>,
    /// How the cells were made, e.g. `grid 3 × 4` or `lhs:20`.
    pub design: String,
    /// The Latin hypercube's seed (None for grids and Sobol samples).
    pub sampler_seed: Option<u64>,
    /// Per cell (index = position), the value of each key.
    pub values: Vec<Vec<String>>,
}

impl Cells {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The `--set` overrides of cell `c`.
    pub fn overrides(&self, c: usize) -> Vec<String> {
        self.keys
            .iter()
            .zip(&self.values[c])
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }

    /// One line per cell, for identity hashing: `c: key=value key=value`.
    pub fn canonical(&self) -> String {
        let mut out = format!("keys={}\ndesign={}\n", self.keys.join(" "), self.design);
        for (c, row) in self.values.iter().enumerate() {
            out.push_str(&format!("{c}: {}\n", row.join(" ")));
        }
        out
    }
}

/// How a TOML literal is shown in a CSV cell: strings without their quotes, the rest as written.
pub fn display_value(literal: &str) -> String {
    match literal.parse::<Value>() {
        Ok(Value::String(s)) => s.value().clone(),
        _ => literal.to_string(),
    }
}

/// The seed of the Latin hypercube of a sweep of a scenario with seed `seed`:
/// `mix(mix(seed) ^ fnv1a("sweep-lhs"))` with SplitMix64's finaliser `mix` (`sim::rng`).
pub fn sampler_seed(seed: u64) -> u64 {
    mix(mix(seed) ^ name_hash(LHS_PURPOSE))
}

fn refuse<T>(msg: String) -> Result<T, Refusal> {
    Err(Refusal(msg))
}

/// `sweep.<k>` (at `at`) as a table of scenario keys, or a refusal showing `example`.
fn keys_table<'t>(
    item: &'t Item,
    at: &str,
    k: &str,
    example: &str,
) -> Result<&'t dyn TableLike, Refusal> {
    item.as_table_like()
        .ok_or_else(|| Refusal(format!("{at}: write {k} = {example}")))
}

/// The canonical text of a TOML value (`scenario::toml_text::canonical_value`).
fn canonical(v: &Value) -> Result<String, String> {
    crate::scenario::toml_text::canonical_value(v)
}

/// A value as given on the command line (a TOML value, or a bare word taken as a string).
fn literal(key: &str, text: &str) -> Result<String, Refusal> {
    let (_, v) = parse_override(&format!("{key}={text}")).map_err(|e| {
        // Told as the --vary value it is, not as the --set it is parsed as.
        let why = e.message().replace(&format!("--set '{key}={text}': "), "");
        Refusal(format!(
            "--vary {key}: the value '{text}' is not valid: {why}"
        ))
    })?;
    canonical(&v).map_err(|m| Refusal(format!("{key}: {m}")))
}

/// Decimal places needed to write a number as given (`0.25` → 2, `1e-3` → 3).
fn decimals(text: &str) -> i32 {
    let t = text.trim().to_ascii_lowercase();
    let (mantissa, exp) = match t.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (t.clone(), 0),
    };
    let frac = mantissa
        .split_once('.')
        .map(|(_, f)| f.len() as i32)
        .unwrap_or(0);
    (frac - exp).clamp(0, 15)
}

fn round_to(x: f64, d: i32) -> f64 {
    let s = 10f64.powi(d);
    let r = (x * s).round() / s;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// The values of `lo:hi:step`, hi included (with a tolerance of 1e-9 steps); integers when all
/// three are integers, else floats rounded to the decimals of the three numbers as written.
pub fn arithmetic(key: &str, lo: &str, hi: &str, step: &str) -> Result<Vec<String>, Refusal> {
    let example = format!("write e.g. --vary {key}=0:1:0.25");
    if let (Ok(a), Ok(b), Ok(s)) = (
        lo.trim().parse::<i64>(),
        hi.trim().parse::<i64>(),
        step.trim().parse::<i64>(),
    ) {
        if s <= 0 || a > b {
            return refuse(format!(
                "{key}={lo}:{hi}:{step}: need lo ≤ hi and a step > 0; {example}"
            ));
        }
        let n = ((b - a) / s) as usize + 1;
        if n > MAX_CELLS {
            return refuse(format!(
                "{key}={lo}:{hi}:{step} has {n} values, more than {MAX_CELLS}"
            ));
        }
        return Ok((0..n as i64).map(|i| (a + i * s).to_string()).collect());
    }
    let parse = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    let (Some(a), Some(b), Some(s)) = (parse(lo), parse(hi), parse(step)) else {
        return refuse(format!(
            "{key}={lo}:{hi}:{step}: lo, hi and step must be numbers; {example}"
        ));
    };
    if s <= 0.0 || a > b {
        return refuse(format!(
            "{key}={lo}:{hi}:{step}: need lo ≤ hi and a step > 0; {example}"
        ));
    }
    let steps = ((b - a) / s + 1e-9).floor();
    if steps + 1.0 > MAX_CELLS as f64 {
        return refuse(format!(
            "{key}={lo}:{hi}:{step} has more than {MAX_CELLS} values"
        ));
    }
    let d = decimals(lo).max(decimals(hi)).max(decimals(step)).max(1);
    Ok((0..=steps as u64)
        .map(|i| format!("{:?}", round_to(a + i as f64 * s, d)))
        .collect())
}

/// The values of one `--vary` spec: `lo:hi:step` or a comma-separated list of TOML values.
fn axis_values(key: &str, spec: &str) -> Result<Vec<String>, Refusal> {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() == 3 && parts.iter().all(|p| p.trim().parse::<f64>().is_ok()) {
        return arithmetic(key, parts[0], parts[1], parts[2]);
    }
    let items = split_top_level(spec);
    if items.iter().any(|s| s.is_empty()) {
        return refuse(format!(
            "--vary {key}={spec}: empty value; write a list (--vary {key}=0.1,0.5,0.9) or lo:hi:step (--vary {key}=0:1:0.25)"
        ));
    }
    items.iter().map(|t| literal(key, t)).collect()
}

fn split_key<'a>(
    flag: &str,
    form: &str,
    s: &'a str,
    example: &str,
) -> Result<(&'a str, &'a str), Refusal> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => Ok((k.trim(), v.trim())),
        _ => refuse(format!(
            "{flag} '{s}' is not {form}; write e.g. {flag} {example}"
        )),
    }
}

/// Parses `lhs:N` or `sobol:N`.
pub fn parse_sample(s: &str) -> Result<Sample, Refusal> {
    let bad = || {
        Refusal(format!("--sample '{s}': write lhs:N (Latin hypercube) or sobol:N (Sobol sequence), e.g. lhs:20"))
    };
    let (name, n) = s.trim().split_once(':').ok_or_else(bad)?;
    let sampler = match name.trim() {
        "lhs" => Sampler::Lhs,
        "sobol" => Sampler::Sobol,
        _ => return Err(bad()),
    };
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || n > MAX_CELLS {
        return refuse(format!(
            "--sample '{s}': N must be between 1 and {MAX_CELLS}"
        ));
    }
    Ok(Sample { sampler, n })
}

fn range_of(key: &str, lo: &str, hi: &str) -> Result<Range, Refusal> {
    let parse = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    match (parse(lo), parse(hi)) {
        (Some(lo), Some(hi)) if lo <= hi => Ok(Range {
            key: key.to_string(),
            lo,
            hi,
        }),
        _ => refuse(format!(
            "range of {key}: need two numbers lo ≤ hi, e.g. --range {key}=0.1:0.9"
        )),
    }
}

/// Parses `--range KEY=lo:hi`.
pub fn parse_range(s: &str) -> Result<Range, Refusal> {
    let (key, spec) = split_key("--range", "KEY=LO:HI", s, "activity.co_design=0:1")?;
    match spec.split_once(':') {
        Some((lo, hi)) => range_of(key, lo, hi),
        None => refuse(format!(
            "--range '{s}': write KEY=lo:hi, e.g. --range {key}=0:1"
        )),
    }
}

/// Parses `--vary KEY=v1,v2,...` or `--vary KEY=lo:hi:step`.
pub fn parse_vary(s: &str) -> Result<Axis, Refusal> {
    let (key, spec) = split_key("--vary", "KEY=VALUES", s, "activity.co_design=0,0.5,1")?;
    Ok(Axis {
        key: key.to_string(),
        values: axis_values(key, spec)?,
    })
}

impl SweepSpec {
    /// The sweep given by command-line flags.
    pub fn from_flags(
        vary: &[String],
        sample: Option<&str>,
        range: &[String],
    ) -> Result<SweepSpec, Refusal> {
        Ok(SweepSpec {
            vary: vary
                .iter()
                .map(|s| parse_vary(s))
                .collect::<Result<_, _>>()?,
            sample: sample.map(parse_sample).transpose()?,
            range: range
                .iter()
                .map(|s| parse_range(s))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The sweep declared by a scenario file's `[sweep]` table:
    /// `vary = { "KEY" = [v1, v2] | "lo:hi:step" }`, `sample = "lhs:N"`,
    /// `range = { "KEY" = [lo, hi] | "lo:hi" }`.
    pub fn from_table(t: &dyn TableLike, file: &str) -> Result<SweepSpec, Refusal> {
        let at = |k: &str| format!("{file}: sweep.{k}");
        let mut spec = SweepSpec::default();
        for (k, item) in t.iter() {
            match k {
                "vary" => {
                    let example = r#"{ "activity.co_design" = [0.0, 0.5, 1.0] }"#;
                    let vary = keys_table(item, &at(k), k, example)?;
                    for (key, v) in vary.iter() {
                        let values = match v.as_value() {
                            Some(Value::Array(a)) => a
                                .iter()
                                .map(|x| {
                                    canonical(x).map_err(|m| {
                                        Refusal(format!("{}: {m}", at(&format!("vary.{key}"))))
                                    })
                                })
                                .collect::<Result<Vec<_>, _>>()?,
                            Some(Value::String(s)) => {
                                match s.value().split(':').collect::<Vec<_>>()[..] {
                                    [lo, hi, step] => arithmetic(key, lo, hi, step)?,
                                    _ => {
                                        return refuse(format!(
                                            "{}: a string must be \"lo:hi:step\"",
                                            at(&format!("vary.{key}"))
                                        ))
                                    }
                                }
                            }
                            _ => {
                                return refuse(format!(
                                "{}: write a list of values [0.1, 0.5] or a string \"lo:hi:step\"",
                                at(&format!("vary.{key}"))
                            ))
                            }
                        };
                        if values.is_empty() {
                            return refuse(format!("{}: no values", at(&format!("vary.{key}"))));
                        }
                        spec.vary.push(Axis {
                            key: key.to_string(),
                            values,
                        });
                    }
                }
                "sample" => match item.as_str() {
                    Some(s) => {
                        spec.sample =
                            Some(parse_sample(s).map_err(|e| Refusal(format!("{}: {e}", at(k))))?)
                    }
                    None => {
                        return refuse(format!(
                            "{}: write sample = \"lhs:20\" or \"sobol:32\"",
                            at(k)
                        ))
                    }
                },
                "range" => {
                    let example = r#"{ "activity.co_design" = [0.0, 1.0] }"#;
                    let range = keys_table(item, &at(k), k, example)?;
                    for (key, v) in range.iter() {
                        let r = match v.as_value() {
                            Some(Value::Array(a)) if a.len() == 2 => {
                                let lo = a.get(0).map(|x| x.to_string()).unwrap_or_default();
                                let hi = a.get(1).map(|x| x.to_string()).unwrap_or_default();
                                range_of(key, &lo, &hi)
                            }
                            Some(Value::String(s)) => match s.value().split_once(':') {
                                Some((lo, hi)) => range_of(key, lo, hi),
                                None => refuse(String::new()),
                            },
                            _ => refuse(String::new()),
                        }
                        .map_err(|_| {
                            Refusal(format!(
                                "{}: write [lo, hi] with lo ≤ hi",
                                at(&format!("range.{key}"))
                            ))
                        })?;
                        spec.range.push(r);
                    }
                }
                other => {
                    return refuse(format!(
                        "{file}: [sweep] has no key '{other}'; allowed: vary, sample, range"
                    ));
                }
            }
        }
        Ok(spec)
    }

    /// This (file) sweep with command-line flags applied: `--vary` replaces the file's grid and
    /// drops its sample; `--sample` replaces the file's sample and drops its grid; `--range`
    /// replaces the file's range of the same key or adds one.
    pub fn overridden_by(mut self, flags: SweepSpec) -> SweepSpec {
        if !flags.vary.is_empty() {
            self.vary = flags.vary;
            self.sample = None;
            self.range.clear();
        }
        if flags.sample.is_some() {
            self.sample = flags.sample;
            self.vary.clear();
        }
        for r in flags.range {
            match self.range.iter_mut().find(|x| x.key == r.key) {
                Some(x) => *x = r,
                None => self.range.push(r),
            }
        }
        self
    }

    /// The cells of this sweep; `seed` is the scenario's seed (the Latin hypercube's seed is
    /// derived from it); `whole(key)` says whether a sampled key takes whole numbers.
    pub fn cells(&self, seed: u64, whole: &dyn Fn(&str) -> bool) -> Result<Cells, Refusal> {
        let usage = "give --vary KEY=v1,v2,... (a grid) or --sample lhs:N with --range KEY=lo:hi (a sample), \
                     or declare them in the scenario's [sweep] table";
        let keys: Vec<&str> = if self.vary.is_empty() {
            self.range.iter().map(|r| r.key.as_str()).collect()
        } else {
            self.vary.iter().map(|a| a.key.as_str()).collect()
        };
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].contains(k) {
                return refuse(format!("{k} is swept twice; give each key once"));
            }
        }
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        match (&self.sample, self.vary.is_empty(), self.range.is_empty()) {
            (None, true, true) => refuse(format!("nothing to sweep: {usage}")),
            (None, false, true) => self.grid(keys),
            (Some(_), false, _) | (None, false, false) => {
                refuse(format!("a sweep is either a grid (--vary) or a sample (--sample, --range), not both; {usage}"))
            }
            (None, true, false) => refuse(format!("--range needs --sample lhs:N or --sample sobol:N; {usage}")),
            (Some(_), true, true) => refuse(format!("--sample needs at least one --range KEY=lo:hi; {usage}")),
            (Some(s), true, false) => self.sampled(keys, *s, seed, whole),
        }
    }

    fn grid(&self, keys: Vec<String>) -> Result<Cells, Refusal> {
        let sizes: Vec<usize> = self.vary.iter().map(|a| a.values.len()).collect();
        let total = sizes.iter().try_fold(1usize, |acc, n| {
            acc.checked_mul(*n).filter(|t| *t <= MAX_CELLS)
        });
        let Some(total) = total else {
            return refuse(format!(
                "the grid has more than {MAX_CELLS} cells; sweep fewer values"
            ));
        };
        let mut values = Vec::with_capacity(total);
        for c in 0..total {
            // Odometer order: the last axis varies fastest, the first slowest.
            let mut rest = c;
            let mut row = vec![String::new(); sizes.len()];
            for (a, axis) in self.vary.iter().enumerate().rev() {
                row[a] = axis.values[rest % sizes[a]].clone();
                rest /= sizes[a];
            }
            values.push(row);
        }
        let shape: Vec<String> = sizes.iter().map(|n| n.to_string()).collect();
        Ok(Cells {
            keys,
            design: format!("grid {}", shape.join(" × ")),
            sampler_seed: None,
            values,
        })
    }

    fn sampled(
        &self,
        keys: Vec<String>,
        s: Sample,
        seed: u64,
        whole: &dyn Fn(&str) -> bool,
    ) -> Result<Cells, Refusal> {
        let dims = self.range.len();
        let (points, sampler_seed, name) = match s.sampler {
            Sampler::Lhs => {
                let seed = sampler_seed(seed);
                (lhs(s.n, dims, seed), Some(seed), "lhs")
            }
            Sampler::Sobol => {
                if dims > SOBOL_MAX_DIMS {
                    return refuse(format!(
                        "sobol supports at most {SOBOL_MAX_DIMS} ranges (got {dims})"
                    ));
                }
                (sobol(s.n, dims, 0), None, "sobol")
            }
        };
        let values = points
            .iter()
            .map(|p| {
                self.range
                    .iter()
                    .zip(p)
                    .map(|(r, u)| scale(r, whole(&r.key), *u))
                    .collect()
            })
            .collect();
        Ok(Cells {
            keys,
            design: format!("{name}:{}", s.n),
            sampler_seed,
            values,
        })
    }
}

/// Maps u in [0, 1) into a range: lo + u·(hi − lo) rounded to 6 decimals, or for a whole-number
/// parameter ⌈lo⌉ + ⌊u·(⌊hi⌋ − ⌈lo⌉ + 1)⌋.
fn scale(r: &Range, whole: bool, u: f64) -> String {
    if whole {
        let (lo, hi) = (r.lo.ceil(), r.hi.floor().max(r.lo.ceil()));
        let x = (lo + (u * (hi - lo + 1.0)).floor()).min(hi);
        format!("{}", x as i64)
    } else {
        let x = round_to(r.lo + u * (r.hi - r.lo), SAMPLE_DECIMALS).clamp(r.lo, r.hi);
        format!("{x:?}")
    }
}

/// Parses a `[sweep]` table out of scenario text. Returns the text with the table's lines
/// blanked (so the scenario parser, which knows no `[sweep]`, sees the rest with its line
/// numbers unchanged) and the sweep it declares, if any.
pub fn take_sweep_table(text: &str, file: &str) -> Result<(String, Option<SweepSpec>), Refusal> {
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        // Not TOML: the scenario parser reports the error with its line.
        return Ok((text.to_string(), None));
    };
    let Some(item) = doc.as_table().get("sweep") else {
        return Ok((text.to_string(), None));
    };
    let Some(table) = item.as_table_like() else {
        return refuse(format!(
            "{file}: sweep must be a table: [sweep] with vary, sample or range"
        ));
    };
    let spec = SweepSpec::from_table(table, file)?;
    let mut spans = Vec::new();
    if let Some(k) = doc.as_table().key("sweep") {
        spans.extend(k.span());
    }
    collect_spans(item, &mut spans);
    // Blank every line a span of the sweep table touches.
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let line_of = |offset: usize| starts.partition_point(|s| *s <= offset) - 1;
    let mut blank = vec![false; starts.len()];
    for s in spans {
        let last = if s.end > s.start { s.end - 1 } else { s.start };
        for b in &mut blank[line_of(s.start)..=line_of(last)] {
            *b = true;
        }
    }
    let out: Vec<&str> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| if blank[i] { "" } else { l })
        .collect();
    Ok((out.join("\n"), Some(spec)))
}

fn collect_spans(item: &Item, spans: &mut Vec<std::ops::Range<usize>>) {
    match item {
        Item::Table(t) => {
            spans.extend(t.span());
            for (k, v) in t.iter() {
                if let Some(key) = t.key(k) {
                    spans.extend(key.span());
                }
                collect_spans(v, spans);
            }
        }
        Item::Value(v) => spans.extend(v.span()),
        Item::ArrayOfTables(a) => a
            .iter()
            .for_each(|t| collect_spans(&Item::Table(t.clone()), spans)),
        Item::None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary(v: &[&str]) -> SweepSpec {
        SweepSpec::from_flags(
            &v.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            None,
            &[],
        )
        .unwrap()
    }

    #[test]
    fn lo_hi_step_includes_hi_with_float_tolerance_and_no_float_noise() {
        let a = parse_vary("activity.co_design=0:1:0.1").unwrap();
        assert_eq!(a.values.len(), 11);
        assert_eq!(a.values[3], "0.3");
        assert_eq!(a.values[10], "1.0");
        let a = parse_vary("parameters.alpha1=0.1:0.5:0.1").unwrap();
        assert_eq!(a.values, ["0.1", "0.2", "0.3", "0.4", "0.5"]);
        let a = parse_vary("x=0:0.9:0.25").unwrap();
        assert_eq!(
            a.values,
            ["0.0", "0.25", "0.5", "0.75"],
            "hi not on the lattice is not reached"
        );
        let a = parse_vary("activity.groups=1:7:3").unwrap();
        assert_eq!(a.values, ["1", "4", "7"], "integer ranges stay integers");
        assert_eq!(parse_vary("x=-1:1:1").unwrap().values, ["-1", "0", "1"]);
        assert!(parse_vary("x=1:0:0.1").is_err());
        assert!(parse_vary("x=0:1:0").is_err());
        assert!(parse_vary("x=0:1:-0.5").is_err());
    }

    #[test]
    fn lists_take_toml_values_and_bare_words() {
        let a = parse_vary("activity.language_policy=local-only,multilingual").unwrap();
        assert_eq!(a.values, ["\"local-only\"", "\"multilingual\""]);
        assert_eq!(display_value(&a.values[1]), "multilingual");
        let a = parse_vary("population.n.language={beta=[2,2]}, 0.5, 1").unwrap();
        assert_eq!(a.values, ["{beta=[2,2]}", "0.5", "1"]);
        assert_eq!(
            parse_vary("activity.pathway=true,false").unwrap().values,
            ["true", "false"]
        );
        assert!(parse_vary("x=").is_err());
        assert!(parse_vary("x=1,,2").is_err());
        assert!(parse_vary("novalue").is_err());
    }

    #[test]
    fn factorial_order_has_the_first_axis_varying_slowest() {
        let cells = vary(&["a=1,2", "b=x,y,z"]).cells(1, &|_| false).unwrap();
        assert_eq!(cells.len(), 6);
        assert_eq!(cells.keys, ["a", "b"]);
        let shown: Vec<String> = cells
            .values
            .iter()
            .map(|r| format!("{}{}", r[0], display_value(&r[1])))
            .collect();
        assert_eq!(shown, ["1x", "1y", "1z", "2x", "2y", "2z"]);
        assert_eq!(cells.overrides(4), ["a=2", "b=\"y\""]);
        assert_eq!(cells.design, "grid 2 × 3");
    }

    #[test]
    fn a_sweep_is_a_grid_or_a_sample_and_needs_something() {
        assert!(SweepSpec::default().cells(1, &|_| false).is_err());
        assert!(
            vary(&["a=1,2", "a=3"]).cells(1, &|_| false).is_err(),
            "a key twice"
        );
        let both =
            SweepSpec::from_flags(&["a=1,2".into()], Some("lhs:4"), &["b=0:1".into()]).unwrap();
        assert!(both.cells(1, &|_| false).is_err());
        let no_range = SweepSpec::from_flags(&[], Some("lhs:4"), &[]).unwrap();
        assert!(no_range.cells(1, &|_| false).is_err());
        let no_sample = SweepSpec::from_flags(&[], None, &["b=0:1".into()]).unwrap();
        assert!(no_sample.cells(1, &|_| false).is_err());
        assert!(
            parse_sample("lhs").is_err()
                && parse_sample("grid:3").is_err()
                && parse_sample("lhs:0").is_err()
        );
    }

    #[test]
    fn samples_stay_in_range_are_stratified_and_seeded_from_the_scenario_seed() {
        let spec =
            SweepSpec::from_flags(&[], Some("lhs:10"), &["a=0.2:0.4".into(), "b=1:5".into()])
                .unwrap();
        let whole = |k: &str| k == "b";
        let cells = spec.cells(2019, &whole).unwrap();
        assert_eq!(cells.len(), 10);
        assert_eq!(cells.sampler_seed, Some(sampler_seed(2019)));
        let a: Vec<f64> = cells.values.iter().map(|r| r[0].parse().unwrap()).collect();
        assert!(a.iter().all(|x| (0.2..=0.4).contains(x)));
        let mut strata: Vec<usize> = a
            .iter()
            .map(|x| (((x - 0.2) / 0.02) as usize).min(9))
            .collect();
        strata.sort();
        strata.dedup();
        assert!(
            strata.len() >= 9,
            "one point per stratum (up to rounding at edges)"
        );
        assert!(cells
            .values
            .iter()
            .all(|r| (1..=5).contains(&r[1].parse::<i64>().unwrap())));
        assert_eq!(spec.cells(2019, &whole).unwrap(), cells, "deterministic");
        assert_ne!(
            spec.cells(7, &whole).unwrap().values,
            cells.values,
            "the seed follows the scenario seed"
        );
        let sob = SweepSpec::from_flags(&[], Some("sobol:4"), &["a=0:1".into()])
            .unwrap()
            .cells(1, &|_| false)
            .unwrap();
        let a: Vec<&str> = sob.values.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(a, ["0.0", "0.5", "0.75", "0.25"]);
    }

    #[test]
    fn flags_override_the_file() {
        let file = SweepSpec::from_flags(&["a=1,2".into()], None, &[]).unwrap();
        let flags = SweepSpec::from_flags(&[], Some("lhs:3"), &["b=0:1".into()]).unwrap();
        let s = file.clone().overridden_by(flags);
        assert!(s.vary.is_empty() && s.sample.is_some());
        let s = file.clone().overridden_by(vary(&["c=5"]));
        assert_eq!(s.vary[0].key, "c");
        assert_eq!(file.clone().overridden_by(SweepSpec::default()), file);
    }

    #[test]
    fn the_sweep_table_is_read_and_blanked_keeping_line_numbers() {
        let text = "[scenario]\nname = \"x\"\n\n[sweep]\nvary = { \"activity.co_design\" = [0.0, 0.5], \"parameters.alpha1\" = \"0.1:0.3:0.1\" }\n\n[activity]\nkind = \"k\"\n";
        let (rest, spec) = take_sweep_table(text, "f.toml").unwrap();
        let spec = spec.unwrap();
        assert_eq!(spec.vary.len(), 2);
        assert_eq!(spec.vary[1].values, ["0.1", "0.2", "0.3"]);
        assert_eq!(rest.lines().count(), text.lines().count());
        assert!(!rest.contains("sweep"));
        assert_eq!(rest.lines().nth(6), Some("[activity]"));
        let text = "[sweep]\nsample = \"lhs:5\"\n[sweep.range]\n\"a.b\" = [0, 3]\n";
        let (rest, spec) = take_sweep_table(text, "f.toml").unwrap();
        assert_eq!(rest.trim(), "");
        let spec = spec.unwrap();
        assert_eq!(
            spec.sample,
            Some(Sample {
                sampler: Sampler::Lhs,
                n: 5
            })
        );
        assert_eq!(
            spec.range,
            [Range {
                key: "a.b".into(),
                lo: 0.0,
                hi: 3.0
            }]
        );
        assert!(take_sweep_table("[sweep]\nvaryy = 1\n", "f").is_err());
        assert!(take_sweep_table("[scenario]\n", "f").unwrap().1.is_none());
    }
}
