//! The dugnad binary: parse the command line, call the library, map errors to exit codes
//! (2: the user's input is wrong; 1: anything else).

use clap::Parser;

fn main() {
    let cli = dugnad::cli::Cli::parse();
    match dugnad::commands::dispatch(cli) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(dugnad::commands::exit_code(&e));
        }
    }
}
