//! `check`, `schema`, `params`, `indicators`: commands that describe rather than run.

use crate::cli::{CalibrateCmd, CheckCmd, IndicatorsCmd, ParamsCmd};
use crate::output::markdown;
use crate::scenario::mechanisms::{holding, MECHANISMS};
use crate::scenario::params::PARAMS;
use crate::scenario::{load, to_toml};

/// `dugnad check FILE`: validate and print the fully resolved scenario, then its schedule
/// resolved week by week.
pub fn check(cmd: &CheckCmd) -> anyhow::Result<()> {
    let mut overrides = cmd.set.clone();
    overrides.extend(cmd.at.iter().cloned());
    let s = load(&cmd.scenario, &overrides)?;
    print!("{}", to_toml(&s));
    print!("{}", crate::scenario::schedule::in_words(&s));
    eprintln!("{}: ok", cmd.scenario.display());
    Ok(())
}

/// `dugnad schema`: JSON Schema of the scenario format.
pub fn schema() -> anyhow::Result<()> {
    println!("{}", crate::scenario::json_schema());
    Ok(())
}

/// Where a parameter does nothing: its own note and the mechanisms whose off switch holds it.
pub fn inactive_where(name: &str) -> String {
    let own = PARAMS
        .iter()
        .find(|p| p.name == name)
        .map_or("", |p| p.inactive);
    let mut parts: Vec<String> = Vec::new();
    if !own.is_empty() {
        parts.push(own.to_string());
    }
    for m in holding(name) {
        parts.push(format!("with mechanisms.{m} = false"));
    }
    parts.join("; ")
}

/// The parameter table as Markdown (also embedded in docs/model.md).
pub fn params_markdown() -> String {
    let header = [
        "parameter",
        "mechanism",
        "default",
        "range",
        "meaning",
        "inactive",
    ];
    markdown::table(
        &header,
        PARAMS.iter().map(|p| {
            vec![
                format!("`{}`", p.name),
                p.mechanism.to_string(),
                p.default.to_string(),
                format!("[{}, {}]", p.min, p.max),
                p.meaning.to_string(),
                inactive_where(p.name),
            ]
        }),
    )
}

/// The mechanism table as Markdown (also embedded in docs/model.md).
pub fn mechanisms_markdown() -> String {
    let header = [
        "`[mechanisms]` key",
        "submodel",
        "what it does",
        "switched off (`= false`)",
    ];
    markdown::table(
        &header,
        MECHANISMS.iter().map(|m| {
            vec![
                format!("`{}`", m.name),
                m.submodel.to_string(),
                m.meaning.to_string(),
                m.off.to_string(),
            ]
        }),
    )
}

/// `dugnad params`: every model parameter with default, range, meaning and where it is
/// inactive; with `--mechanisms`, every mechanism switch.
pub fn params(cmd: &ParamsCmd) -> anyhow::Result<()> {
    if cmd.mechanisms {
        if cmd.json {
            println!("{}", serde_json::to_string_pretty(MECHANISMS)?);
        } else if cmd.markdown {
            print!("{}", mechanisms_markdown());
        } else {
            println!("[mechanisms]: every mechanism is on unless the scenario sets it to false");
            for m in MECHANISMS {
                println!(
                    "{:<22} {:<3} {}\n    off: {}",
                    m.name, m.submodel, m.meaning, m.off
                );
            }
        }
    } else if cmd.json {
        println!("{}", serde_json::to_string_pretty(PARAMS)?);
    } else if cmd.markdown {
        print!("{}", params_markdown());
    } else {
        for p in PARAMS {
            println!(
                "{:<20} {:<3} default {:<9} range [{}, {}]\n    {}",
                p.name, p.mechanism, p.default, p.min, p.max, p.meaning
            );
            let inactive = inactive_where(p.name);
            if !inactive.is_empty() {
                println!("    inactive: {inactive}");
            }
        }
        println!(
            "\n{} mechanism switches ([mechanisms], for ablation): dugnad params --mechanisms",
            MECHANISMS.len()
        );
    }
    Ok(())
}

/// `dugnad indicators`: every indicator with its lenses and meaning (the indicator table).
pub fn indicators(cmd: &IndicatorsCmd) -> anyhow::Result<()> {
    use crate::metrics::indicators::{lens_list, markdown, INDICATORS};
    if cmd.markdown {
        print!("{}", markdown());
        return Ok(());
    }
    for i in INDICATORS {
        println!(
            "{:<30} {} ({}), {}, {}\n    lenses: {}\n    {}\n    formula: {}",
            i.name,
            i.title(),
            i.unit(),
            i.range,
            i.direction.words(),
            lens_list(i),
            i.meaning(),
            i.formula_text
        );
    }
    Ok(())
}

/// `dugnad calibrate`: the calibration figures of docs/calibration.md.
pub fn calibrate(cmd: &CalibrateCmd) -> anyhow::Result<()> {
    super::refuse_folder_flags(&cmd.run, "calibrate")?;
    let l = crate::commands::run::load(&cmd.scenario, &cmd.run)?;
    let f = crate::sim::replicates::with_threads(cmd.run.threads, || {
        crate::calibration::figures(&l.scenario)
    })?;
    if cmd.json {
        println!("{}", serde_json::to_string_pretty(&f)?);
        return Ok(());
    }
    let a = &f.attrition;
    println!(
        "scenario: {} ({} replicates)",
        l.scenario.name, l.scenario.replicates
    );
    println!(
        "annual_attrition (volunteers)     {:.3} [95% CI {:.3}, {:.3}]   withdrawals per volunteer-year",
        a.rate.mean, a.rate.ci_low, a.rate.ci_high
    );
    println!(
        "  share leaving within a year     {:.3} [95% CI {:.3}, {:.3}]   1 − e^(−rate); target 0.25-0.40",
        a.share.mean, a.share.ci_low, a.share.ci_high
    );
    println!(
        "usurp odds ratio, frame 0.5       {:.3}   target 1.3-1.8 (Anderson & Leaper 1998)",
        f.usurp_or_frame_05
    );
    println!(
        "usurp odds ratio, frame 0.9       {:.3}   target larger than at 0.5",
        f.usurp_or_frame_09
    );
    println!(
        "speaking hours per CEFR step      {:.0}   target ~200 (from L = 0.25)",
        f.speaking_hours_per_level
    );
    println!(
        "attended hours per CEFR step      {:.0}   ({:.1} h/week attended, {:.1} months per step; mean gain {:.3})",
        f.language.hours_per_level, f.language.hours_per_week, f.language.months_per_level, f.language.mean_gain
    );
    Ok(())
}
