//! `[fit]`: the priors `dugnad fit` samples from, by dotted path, and how it samples (the field
//! table's [`FitSettings`]). A prior's path is one `--set` takes (not `scenario.*`, which sets
//! the run itself), and the values at the ends of its support (the mean of a normal prior, which
//! is truncated to the values the path takes) must make a valid scenario, so that a prior cannot
//! reach values the model refuses.

use super::dist::Dist;
use super::document::{join, table, Class, Ctx, Tbl, R};
use super::fields::{Fit, FitSettings, PriorOf, Scenario, FIT_KEYS};
use super::forms::{is_value_form, read_prior};
use super::overrides::{insert, resolve};
use super::schedule::Validate;
use super::suggest::did_you_mean;
use toml_edit::{DocumentMut, Item, TableLike, Value};

const EXAMPLE: &str = "\"parameters.alpha1\" = { uniform = [0.1, 0.8] }";

/// The `[fit]` table of `doc` (whose scenario is `base`), checked; None without one.
pub(crate) fn read(
    doc: &DocumentMut,
    ctx: &Ctx,
    base: &Scenario,
    validate: Validate<'_>,
) -> R<Option<Fit>> {
    let Some(item) = doc.get("fit") else {
        return Ok(None);
    };
    let t = table(ctx, item, "fit", &format!("[fit] with {EXAMPLE}"))?;
    let settings = FitSettings::read(&t)?;
    let mut found: Vec<(String, &Item)> = Vec::new();
    leaves(&t, t.t, "", &mut found)?;
    if found.is_empty() {
        return Err(ctx.err(
            Class::Missing,
            "fit",
            format!(
                "[fit] has no priors: add the values to estimate with their priors, e.g. {EXAMPLE}"
            ),
        ));
    }
    let resolved = super::to_toml(base);
    let mut priors: Vec<PriorOf> = Vec::new();
    for (path, item) in found {
        let at = join("fit", &path);
        let segs: Vec<&str> = path.split('.').collect();
        resolve(doc, &segs).map_err(|m| ctx.err(Class::UnknownKey, &at, m))?;
        if segs[0] == "scenario" {
            return Err(ctx.err(
                Class::OutOfRange,
                &at,
                format!("{path} sets the run itself and cannot be estimated; estimate model values, e.g. {EXAMPLE}"),
            ));
        }
        if priors.iter().any(|p| p.path == path) {
            return Err(ctx.err(
                Class::OutOfRange,
                &at,
                format!("{path} has two priors; keep one"),
            ));
        }
        let dist = read_prior(ctx, item, &at)?;
        let prior = PriorOf {
            integer: super::to_toml::is_integer_at(&resolved, &path),
            path,
            dist,
        };
        within_the_scenario(doc, ctx, &prior, &at, validate)?;
        priors.push(prior);
    }
    Ok(Some(Fit { settings, priors }))
}

/// The priors below `table` (at dotted `prefix`): every key but the settings, a table
/// continuing the path unless it is a distribution.
fn leaves<'d>(
    t: &Tbl<'_>,
    table: &'d dyn TableLike,
    prefix: &str,
    out: &mut Vec<(String, &'d Item)>,
) -> R<()> {
    for (k, item) in table.iter() {
        if prefix.is_empty() && FIT_KEYS.contains(&k) {
            continue;
        }
        let path = join(prefix, k);
        match item.as_table_like() {
            Some(sub) if !is_value_form(sub) => leaves(t, sub, &path, out)?,
            _ if !path.contains('.') => {
                return Err(t.err(
                    Class::UnknownKey,
                    &path,
                    format!(
                        "unknown key; {}[fit] holds the settings {} and priors by dotted path, e.g. {EXAMPLE}",
                        did_you_mean(&path, FIT_KEYS),
                        FIT_KEYS.join(", ")
                    ),
                ))
            }
            _ => out.push((path, item)),
        }
    }
    Ok(())
}

/// The values that bound a prior: the ends of a uniform or triangular range, the 0.1 % and
/// 99.9 % quantiles of a beta, the mean of a normal (truncated to the path's values anyway);
/// rounded for a whole-number path.
fn bounds(p: &PriorOf) -> Vec<f64> {
    let xs = match p.dist {
        Dist::Uniform(lo, hi) | Dist::Triangular(lo, _, hi) => vec![lo, hi],
        Dist::Beta(..) => vec![p.dist.quantile(0.001), p.dist.quantile(0.999)],
        Dist::Normal(m, _) | Dist::Const(m) => vec![m],
    };
    if p.integer {
        xs.into_iter().map(f64::round).collect()
    } else {
        xs
    }
}

/// The TOML value a prior's draw `x` sets: a whole number for a whole-number path.
pub fn literal(p: &PriorOf, x: f64) -> Value {
    if p.integer {
        Value::from(x.round() as i64)
    } else {
        Value::from(x)
    }
}

/// Each bound of the prior, set at its path, makes a valid scenario.
fn within_the_scenario(
    doc: &DocumentMut,
    ctx: &Ctx,
    p: &PriorOf,
    at: &str,
    validate: Validate<'_>,
) -> R<()> {
    let segs: Vec<&str> = p.path.split('.').collect();
    let targets = resolve(doc, &segs).map_err(|m| ctx.err(Class::UnknownKey, at, m))?;
    for x in bounds(p) {
        let mut probe = doc.clone();
        probe.remove("fit");
        let value = literal(p, x);
        for (parents, leaf) in &targets {
            insert(&mut probe, parents, leaf, &value)
                .map_err(|m| ctx.err(Class::WrongType, at, m))?;
        }
        if let Err(e) = validate(&probe, ctx) {
            let loc = ctx.locate(
                at,
                format!(
                    "the prior reaches {value}, which the scenario refuses ({}: {}); keep the prior within the \
                     values {} takes",
                    e.key(),
                    e.message(),
                    p.path
                ),
            );
            return Err(e.relocated(loc));
        }
    }
    Ok(())
}

/// A prior as written in a scenario file, e.g. `{ uniform = [0.1, 0.8] }`.
pub fn prior_text(d: &Dist) -> String {
    super::forms::dist_text(d)
}
