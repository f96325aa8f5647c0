//! The commands behind the CLI, each parse → plan → run → write: clap has parsed the
//! arguments, the library plans (`Plan::from_args`: load, check, refuse early), the command runs
//! the plan with a progress bar, then writes the result's tables, charts, report and manifest
//! and prints a summary.

pub mod bench;
pub mod experiment;
pub mod info;
pub mod progress;
pub mod run;
pub mod sensitivity;
pub mod teach;
pub mod validate;

use crate::cli::{Cli, Command};
use crate::experiment::Refusal;
use crate::output::atomic::OutputError;
use crate::scenario::ScenarioError;

/// Runs one parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(cmd) => run::run(&cmd),
        Command::Check(cmd) => info::check(&cmd),
        Command::Schema => info::schema(),
        Command::Params(cmd) => info::params(&cmd),
        Command::Indicators(cmd) => info::indicators(&cmd),
        Command::Plot(cmd) => run::plot(&cmd.dir),
        Command::Calibrate(cmd) => info::calibrate(&cmd),
        Command::Validate(cmd) => validate::validate(&cmd),
        Command::Trace(cmd) => teach::trace(&cmd),
        Command::Serve(cmd) => teach::serve(&cmd),
        Command::Compare(cmd) => experiment::compare(&cmd),
        Command::Sweep(cmd) => experiment::sweep(&cmd),
        Command::Merge(cmd) => experiment::merge(&cmd),
        Command::Sensitivity(cmd) => sensitivity::sensitivity(&cmd),
        Command::Bench(cmd) => bench::bench(&cmd),
    }
}

/// A usage error found by a command itself (bad flag combination, wrong folder): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Exit code for an error: 2 when the user's input is at fault, 1 otherwise.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    for cause in e.chain() {
        if cause.is::<ScenarioError>()
            || cause.is::<OutputError>()
            || cause.is::<UsageError>()
            || cause.is::<Refusal>()
        {
            return 2;
        }
    }
    1
}
