//! `dugnad validate`: plan (which clauses, what size), run the ablation matrix with progress,
//! write `validation.csv` and `manifest.json`, print the table.

use super::{progress, UsageError};
use crate::cli::ValidateCmd;
use crate::experiment::validation::facts::CLAUSES;
use crate::experiment::validation::{markdown, run_matrix, table, text, Bench, Clause, Size};
use crate::output::atomic::ResultDir;
use crate::output::formats::write_tables;
use crate::output::manifest::{to_json, Provenance};
use crate::sim::replicates::with_threads;
use anyhow::Result;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// `manifest.json` of a validation folder.
#[derive(Serialize)]
struct ValidationManifest<'a> {
    #[serde(flatten)]
    provenance: Provenance,
    seed: u64,
    replicates_per_arm: u32,
    threads: usize,
    wall_time_seconds: f64,
    facts: Vec<&'a str>,
    files: Vec<String>,
}

/// The clauses asked for (all by default); an unknown id is refused with the list.
fn chosen(ids: &[String]) -> Result<Vec<&'static Clause>> {
    if ids.is_empty() {
        return Ok(CLAUSES.iter().collect());
    }
    let mut out = Vec::new();
    for id in ids {
        match CLAUSES.iter().find(|c| c.id == id) {
            Some(c) => out.push(c),
            None => {
                let known: Vec<&str> = CLAUSES.iter().map(|c| c.id).collect();
                return Err(UsageError(format!(
                    "--fact {id}: no such fact; facts: {}",
                    known.join(", ")
                ))
                .into());
            }
        }
    }
    Ok(out)
}

/// `dugnad validate`.
pub fn validate(cmd: &ValidateCmd) -> Result<()> {
    let started = Instant::now();
    let clauses = chosen(&cmd.fact)?;
    let target = cmd
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("output/validation"));
    let out = ResultDir::create(&target, cmd.force)?;
    let bench = Bench {
        size: Size {
            replicates: cmd.replicates,
        },
        seed: cmd.seed,
    };
    let rows_expected: usize = clauses.iter().map(|c| 1 + c.ablations.len()).sum();
    let pb = progress::bar(
        rows_expected as u64,
        cmd.quiet,
        "{spinner} validate [{bar:40}] {pos}/{len} rows, ETA {eta}",
    );
    let owned: Vec<Clause> = clauses.iter().map(|&c| c.clone()).collect();
    let (rows, threads) = with_threads(cmd.threads, || {
        let rows = run_matrix(&owned, &bench, |_| pb.inc(1));
        (rows, rayon::current_num_threads())
    })?;
    pb.finish_and_clear();
    let files = write_tables(&[table(&rows)], |f, b| out.write(f, b))?;
    let manifest = ValidationManifest {
        provenance: Provenance::now(),
        seed: cmd.seed,
        replicates_per_arm: cmd.replicates,
        threads,
        wall_time_seconds: started.elapsed().as_secs_f64(),
        facts: clauses.iter().map(|c| c.id).collect(),
        files,
    };
    out.write("manifest.json", &to_json(&manifest))?;
    let dir = out.commit()?;
    if cmd.markdown {
        print!("{}", markdown(&rows));
    } else {
        print!("{}", text(&rows));
    }
    if !cmd.quiet {
        eprintln!(
            "{} rows in {:.1} s → {}",
            rows.len(),
            started.elapsed().as_secs_f64(),
            dir.display()
        );
    }
    let bad = rows.iter().filter(|r| !r.as_expected()).count();
    if bad > 0 {
        anyhow::bail!("{bad} of {} rows are not as a sound mechanism gives: a fact fails intact or survives its ablation", rows.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn the_command_runs_the_full_size_by_default_and_refuses_unknown_facts() {
        let cli = crate::cli::Cli::parse_from(["dugnad", "validate"]);
        let crate::cli::Command::Validate(cmd) = cli.command else {
            panic!("validate parses");
        };
        assert_eq!(cmd.replicates, Size::FULL.replicates);
        assert_eq!(chosen(&[]).unwrap().len(), CLAUSES.len());
        assert_eq!(chosen(&["5d".into()]).unwrap()[0].id, "5d");
        let e = chosen(&["5z".into()]).unwrap_err().to_string();
        assert!(e.contains("5z") && e.contains("1a"), "{e}");
    }
}
