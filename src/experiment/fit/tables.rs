//! What a fit writes (docs/fitting.md): `posterior.csv` (every generation's particles),
//! `fit.csv` (one line per generation: tolerance, acceptance, effective sample size,
//! simulations), `parameters.csv` (each parameter's prior and posterior in numbers) and
//! `predictive.csv` (each observed statistic next to the prior and posterior predictive).

use super::observed::{Measure, Observed};
use super::smc::{Generation, Outcome};
use crate::output::table::{Cell, Column, Table};
use crate::scenario::PriorOf;
use crate::stats::abc::{effective_sample_size, weighted_mean_cov, weighted_quantile};

/// The value the model ran with for a particle's value `x` of prior `p` (whole-number paths
/// rounded).
pub fn used(p: &PriorOf, x: f64) -> f64 {
    if p.integer {
        x.round()
    } else {
        x
    }
}

/// `posterior`: generation, particle, weight, distance and each parameter (as the model used
/// it), for every generation; the last generation is the posterior.
pub fn posterior<'a>(out: &'a Outcome, priors: &'a [PriorOf]) -> Table<'a> {
    let mut columns = vec![Column::int("generation"), Column::int("particle")];
    columns.extend(["weight", "distance"].map(Column::num));
    columns.extend(priors.iter().map(|p| Column::num(p.path.clone())));
    Table::new("posterior", columns, move |sink| {
        for g in &out.generations {
            for (i, theta) in g.particles.iter().enumerate() {
                let mut row = vec![
                    Cell::Int(g.index as i64),
                    Cell::Int(i as i64),
                    Cell::Num(g.weights[i]),
                    Cell::Num(g.distances[i]),
                ];
                row.extend(
                    priors
                        .iter()
                        .zip(theta)
                        .map(|(p, x)| Cell::Num(used(p, *x))),
                );
                sink(&row)?;
            }
        }
        Ok(())
    })
}

/// `fit`: per generation its tolerance (NA for generation 0, the prior), acceptance rate,
/// effective sample size, proposals simulated and met the tolerance, and simulations so far.
pub fn generations(out: &Outcome) -> Table<'_> {
    let mut columns = vec![Column::int("generation")];
    columns.extend(["epsilon", "acceptance_rate", "ess"].map(Column::num));
    columns.extend(["simulations", "within_tolerance", "simulations_total"].map(Column::int));
    Table::new("fit", columns, move |sink| {
        let mut total = 0;
        for g in &out.generations {
            total += g.simulations;
            sink(&[
                Cell::Int(g.index as i64),
                Cell::Num(g.epsilon),
                Cell::Num(g.acceptance_rate()),
                Cell::Num(effective_sample_size(&g.weights)),
                Cell::Int(g.simulations as i64),
                Cell::Int(g.within as i64),
                Cell::Int(total as i64),
            ])?;
        }
        Ok(())
    })
}

/// One parameter's posterior in numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub sd: f64,
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

/// The posterior of parameter `k` (values as the model used them) in generation `g`.
pub fn estimate(g: &Generation, p: &PriorOf, k: usize) -> Estimate {
    let x: Vec<f64> = g.particles.iter().map(|t| used(p, t[k])).collect();
    let points: Vec<Vec<f64>> = x.iter().map(|v| vec![*v]).collect();
    let (m, c) = weighted_mean_cov(&points, &g.weights);
    let q = |a: f64| weighted_quantile(&x, &g.weights, a);
    Estimate {
        mean: m[0],
        sd: c[0][0].sqrt(),
        q05: q(0.05),
        q50: q(0.5),
        q95: q(0.95),
    }
}

/// `parameters`: per parameter its prior (as written, and its central 90 %), the posterior's
/// mean, sd and 5 / 50 / 95 % quantiles, and how many times narrower the posterior's central
/// 90 % is than the prior's.
pub fn parameters<'a>(out: &'a Outcome, priors: &'a [PriorOf]) -> Table<'a> {
    let mut columns = vec![Column::text("parameter"), Column::text("prior")];
    columns.extend(
        [
            "prior_q05",
            "prior_q95",
            "mean",
            "sd",
            "q05",
            "q50",
            "q95",
            "narrowing",
        ]
        .map(Column::num),
    );
    Table::new("parameters", columns, move |sink| {
        let g = out.posterior();
        for (k, p) in priors.iter().enumerate() {
            let e = estimate(g, p, k);
            let (lo, hi) = (p.dist.quantile(0.05), p.dist.quantile(0.95));
            let prior = crate::scenario::fit::prior_text(&p.dist);
            sink(&[
                Cell::Text(&p.path),
                Cell::Text(&prior),
                Cell::Num(lo),
                Cell::Num(hi),
                Cell::Num(e.mean),
                Cell::Num(e.sd),
                Cell::Num(e.q05),
                Cell::Num(e.q50),
                Cell::Num(e.q95),
                Cell::Num((hi - lo) / (e.q95 - e.q05)),
            ])?;
        }
        Ok(())
    })
}

/// How a measurement is written in `predictive.csv`: `exact`, `sd=0.05`, `n=240`.
pub fn measure_text(m: &Measure) -> String {
    match m {
        Measure::Exact => "exact".into(),
        Measure::Sd(sd) => format!("sd={}", crate::output::number::num(*sd)),
        Measure::Count(n) => format!("n={n}"),
    }
}

/// `predictive`: per observed statistic (in the data's order: its week or weeks, lens and
/// indicator) the observed value, how it was
/// measured, its spread under the prior predictive (the scale of its distance term), and the
/// 5 / 50 / 95 % quantiles of the simulated (measured) statistic under the prior (generation 0)
/// and the posterior (the last generation, weighted), with the posterior mean.
pub fn predictive<'a>(out: &'a Outcome, observed: &'a Observed) -> Table<'a> {
    let mut columns = vec![
        Column::text("week"),
        Column::text("lens"),
        Column::text("indicator"),
    ];
    columns.push(Column::num("observed"));
    columns.push(Column::text("measure"));
    columns.extend(
        [
            "spread",
            "prior_q05",
            "prior_q50",
            "prior_q95",
            "posterior_mean",
            "posterior_q05",
            "posterior_q50",
            "posterior_q95",
        ]
        .map(Column::num),
    );
    Table::new("predictive", columns, move |sink| {
        let prior = &out.generations[0];
        let post = out.posterior();
        for (k, o) in observed.observations.iter().enumerate() {
            let column =
                |g: &Generation| -> Vec<f64> { g.statistics.iter().map(|s| s[k]).collect() };
            let (xp, xq) = (column(prior), column(post));
            let defined: Vec<(f64, f64)> = xq
                .iter()
                .zip(&post.weights)
                .filter(|(x, _)| x.is_finite())
                .map(|(x, w)| (*x, *w))
                .collect();
            let total: f64 = defined.iter().map(|(_, w)| w).sum();
            let mean = defined.iter().map(|(x, w)| x * w).sum::<f64>() / total;
            let (measure, weeks) = (measure_text(&o.measure), o.weeks());
            let mut row = vec![
                Cell::Text(&weeks),
                Cell::Text(&o.lens),
                Cell::Text(&o.indicator),
                Cell::Num(o.value),
                Cell::Text(&measure),
                Cell::Num(out.spreads.get(k).copied().unwrap_or(f64::NAN)),
            ];
            row.extend(
                [0.05, 0.5, 0.95].map(|q| Cell::Num(weighted_quantile(&xp, &prior.weights, q))),
            );
            row.push(Cell::Num(mean));
            row.extend(
                [0.05, 0.5, 0.95].map(|q| Cell::Num(weighted_quantile(&xq, &post.weights, q))),
            );
            sink(&row)?;
        }
        Ok(())
    })
}
