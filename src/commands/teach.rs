//! `dugnad trace` (a meeting as a transcript) and `dugnad serve` (the classroom page).

use super::UsageError;
use crate::cli::{ServeCmd, TraceCmd, TraceFormat};
use crate::commands::run;
use crate::teach::{serve as server, trace as tr};
use anyhow::Result;
use std::io::Write;

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print_out(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// `dugnad trace`.
pub fn trace(cmd: &TraceCmd) -> Result<()> {
    if cmd.run.output.is_some() {
        return Err(UsageError(
            "trace prints to the terminal; to save it, redirect: dugnad trace FILE > week.txt"
                .into(),
        )
        .into());
    }
    let group = tr::parse_group(&cmd.group).map_err(UsageError)?;
    let l = run::load(&cmd.scenario, &cmd.run)?;
    let spec = tr::TraceSpec {
        replicate: cmd.replicate,
        week: cmd.week,
        group,
    };
    let t = tr::simulate(&l.scenario, &l.designs, &spec).map_err(UsageError)?;
    match cmd.format {
        TraceFormat::Text => print_out(&tr::render_text(&t)),
        TraceFormat::Json => {
            let mut s = serde_json::to_string_pretty(&tr::events_json(&t))?;
            s.push('\n');
            print_out(&s)
        }
    }
}

/// `dugnad serve`: runs until interrupted.
pub fn serve(cmd: &ServeCmd) -> Result<()> {
    let running = server::start(&cmd.host, cmd.port, cmd.workers, true)?;
    let shown = if running.addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", running.addr.port())
    } else {
        format!("http://{}/", running.addr)
    };
    eprintln!("dugnad classroom page: open {shown} in a browser (Ctrl-C stops the server)");
    if !running.addr.ip().is_loopback() {
        eprintln!(
            "note: listening on {} — other computers on the network can open the page too",
            running.addr
        );
    }
    running.wait();
    Ok(())
}
