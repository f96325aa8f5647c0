//! The dugnad binary: parse the command line, call the library, map errors to exit codes
//! (3: a search found nothing; 2: the user's input is wrong; 1: anything else; 141: the
//! reader of a pipe went away).

fn main() {
    dugnad::commands::end_quietly_on_closed_pipe();
    let cli = dugnad::commands::parse_args();
    match dugnad::commands::dispatch(cli) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(dugnad::commands::exit_code(&e));
        }
    }
}
