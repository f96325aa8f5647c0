//! The commands behind the CLI, each parse → plan → run → write: clap has parsed the
//! arguments, the library plans (`Plan::from_args`: load, check, refuse early), the command runs
//! the plan with a progress bar, then writes the result's tables, charts, report and manifest
//! and prints a summary.

pub mod bench;
pub mod experiment;
pub mod fit;
pub mod info;
pub mod plot;
pub mod progress;
pub mod run;
pub mod sensitivity;
pub mod teach;
pub mod validate;

use crate::cli::{Cli, Command, RunArgs};
use crate::experiment::Refusal;
use crate::output::atomic::OutputError;
use crate::scenario::ScenarioError;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

/// Parses the command line; a mistyped subcommand gets "did you mean" with the closest one
/// (`dugnad rn` → run) where clap itself finds none. Prints the error and exits on bad usage.
pub fn parse_args() -> Cli {
    Cli::try_parse().unwrap_or_else(|e| with_subcommand_suggestion(e).exit())
}

/// Adds the closest subcommand to an "unrecognized subcommand" error that has no suggestion.
pub fn with_subcommand_suggestion(mut e: clap::Error) -> clap::Error {
    if e.kind() != ErrorKind::InvalidSubcommand || e.get(ContextKind::SuggestedSubcommand).is_some()
    {
        return e;
    }
    let Some(ContextValue::String(given)) = e.get(ContextKind::InvalidSubcommand) else {
        return e;
    };
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    if let Some(best) = crate::scenario::suggest::closest(given, &names) {
        let best = best.to_string();
        e.insert(ContextKind::SuggestedSubcommand, ContextValue::String(best));
    }
    e
}

/// Lets a closed pipe end the process quietly, as it does `cat` or `grep`: with SIGPIPE at its
/// default, a write to a pipe whose reader has gone (`dugnad params | head -1`) ends the process
/// with exit status 141 instead of a "Broken pipe" panic. Sockets are unaffected: the standard
/// library sends on them without raising SIGPIPE, so `dugnad serve` survives a client that
/// leaves early. Leftover temporary folders and locks are removed by the next run.
pub fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Refuses -o/--force for a command that prints instead of writing a folder (the flags are
/// hidden from its --help).
pub fn refuse_folder_flags(run: &RunArgs, what: &str) -> anyhow::Result<()> {
    if run.output.is_some() || run.force {
        return Err(UsageError(format!(
            "{what} prints to the terminal and writes no folder, so it takes no -o/--force; to save \
             it, redirect, e.g. > out.txt"
        ))
        .into());
    }
    Ok(())
}

/// A wall time in seconds as the terminal summaries say it: two decimals, in `lang`'s decimal
/// mark (`1.25` in English, `1,25` in bokmål).
pub fn seconds_in(lang: crate::lang::Lang, secs: f64) -> String {
    lang.number(&format!("{secs:.2}"))
}

/// Runs one parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(cmd) => run::run(&cmd),
        Command::Check(cmd) => info::check(&cmd),
        Command::Schema => info::schema(),
        Command::Params(cmd) => info::params(&cmd),
        Command::Indicators(cmd) => info::indicators(&cmd),
        Command::Plot(cmd) => plot::plot(&cmd),
        Command::Calibrate(cmd) => info::calibrate(&cmd),
        Command::Validate(cmd) => validate::validate(&cmd),
        Command::Trace(cmd) => teach::trace(&cmd),
        Command::Serve(cmd) => teach::serve(&cmd),
        Command::Compare(cmd) => experiment::compare(&cmd),
        Command::Sweep(cmd) => experiment::sweep(&cmd),
        Command::Merge(cmd) => experiment::merge(&cmd),
        Command::Sensitivity(cmd) => sensitivity::sensitivity(&cmd),
        Command::Fit(cmd) => fit::fit(&cmd),
        Command::Bench(cmd) => bench::bench(&cmd),
    }
}

/// A usage error found by a command itself (bad flag combination, wrong folder): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A search that found nothing (`trace --find`): exit code 3, so that scripts can tell "not in
/// this run" from bad input (2) and failure (1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NothingFound(pub String);

/// Exit code for an error: 3 when a search found nothing, 2 when the user's input is at fault,
/// 1 otherwise.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    if e.chain().any(|c| c.is::<NothingFound>()) {
        return 3;
    }
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
