//! `check`, `schema`, `params`: commands that describe rather than run.

use crate::cli::{CheckCmd, ParamsCmd};
use crate::model::params::PARAMS;
use crate::scenario::validate;

/// `dugnad check FILE`: validate and print the fully resolved scenario.
pub fn check(cmd: &CheckCmd) -> anyhow::Result<()> {
    let s = validate::load(&cmd.scenario, &cmd.set)?;
    print!("{}", validate::to_toml(&s));
    eprintln!("{}: ok", cmd.scenario.display());
    Ok(())
}

/// `dugnad schema`: JSON Schema of the scenario format.
pub fn schema() -> anyhow::Result<()> {
    println!("{}", crate::scenario::json_schema());
    Ok(())
}

/// The parameter table as Markdown (also embedded in docs/model.md).
pub fn params_markdown() -> String {
    let mut out = String::from("| parameter | mechanism | default | range | meaning |\n|---|---|---|---|---|\n");
    for p in PARAMS {
        out.push_str(&format!(
            "| `{}` | {} | {} | [{}, {}] | {} |\n",
            p.name, p.mechanism, p.default, p.min, p.max, p.meaning
        ));
    }
    out
}

/// `dugnad params`: every model parameter with default, range and meaning.
pub fn params(cmd: &ParamsCmd) -> anyhow::Result<()> {
    if cmd.json {
        println!("{}", serde_json::to_string_pretty(PARAMS)?);
    } else if cmd.markdown {
        print!("{}", params_markdown());
    } else {
        for p in PARAMS {
            println!(
                "{:<20} {:<3} default {:<9} range [{}, {}]\n    {}",
                p.name, p.mechanism, p.default, p.min, p.max, p.meaning
            );
        }
    }
    Ok(())
}
