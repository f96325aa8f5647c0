//! The command line (clap derive): doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// dugnad: simulate how volunteers and immigrant participants interact in voluntary integration
/// activities (knitting cafés, language cafés, tours, community work), and how an activity's
/// design shapes participants' agency, their minoritization, social ties and volunteer retention.
#[derive(Debug, Parser)]
#[command(name = "dugnad", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario: many replicates in parallel; writes timeseries.csv, summary.csv,
    /// final.csv, manifest.json, charts and report.html to output/<name>/.
    Run(RunCmd),
    /// Validate a scenario and print it fully resolved, with every default filled in.
    Check(CheckCmd),
    /// Print the JSON Schema of the scenario file format (for editors).
    Schema,
    /// Print every model parameter with its default, range and meaning.
    Params(ParamsCmd),
    /// Redraw charts and report of a finished run from its CSVs and manifest.
    Plot(PlotCmd),
    /// Print the calibration figures (attrition, interruption odds ratio, language growth)
    /// that docs/calibration.md reports, computed on a calibration scenario.
    Calibrate(CalibrateCmd),
}

/// Flags shared by every command that runs the model.
#[derive(Debug, Clone, Args, Default)]
pub struct RunArgs {
    /// Number of replicates (overrides scenario.replicates).
    #[arg(long, value_name = "N")]
    pub replicates: Option<u32>,
    /// Number of weeks (overrides scenario.weeks).
    #[arg(long, value_name = "N")]
    pub weeks: Option<u32>,
    /// Base random seed (overrides scenario.seed).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Override any scenario value by dotted path with a TOML value, e.g.
    /// --set activity.co_design=0.6 --set 'population.newcomers.language={beta=[2,2]}'.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Output folder (default: output/<scenario name>/).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar or summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl RunArgs {
    /// The --set list with --replicates/--weeks/--seed folded in as overrides.
    pub fn overrides(&self) -> Vec<String> {
        let mut v = self.set.clone();
        if let Some(r) = self.replicates {
            v.push(format!("scenario.replicates={r}"));
        }
        if let Some(w) = self.weeks {
            v.push(format!("scenario.weeks={w}"));
        }
        if let Some(s) = self.seed {
            v.push(format!("scenario.seed={s}"));
        }
        v
    }
}

#[derive(Debug, Args)]
pub struct RunCmd {
    /// Scenario file (TOML), e.g. scenarios/knitting-cafe.toml.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    /// Also write groups.csv: indicators per group (pooled over replicates).
    #[arg(long)]
    pub per_group: bool,
    /// Also write replicates.csv: every replicate's weekly series.
    #[arg(long)]
    pub keep_replicates: bool,
    /// Skip charts and report.html.
    #[arg(long)]
    pub no_charts: bool,
}

#[derive(Debug, Args)]
pub struct CheckCmd {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Override values by dotted path before checking (as for `run`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ParamsCmd {
    /// Print as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Print as a Markdown table.
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct PlotCmd {
    /// A run folder written by `dugnad run`.
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CalibrateCmd {
    /// Calibration scenario.
    #[arg(default_value = "scenarios/calibration.toml")]
    pub scenario: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}
