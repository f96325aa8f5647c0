//! `dugnad trace` (a meeting as a transcript) and `dugnad serve` (the classroom page).

use super::{NothingFound, UsageError};
use crate::cli::{ServeCmd, TraceCmd, TraceFind, TraceFormat};
use crate::commands::run;
use crate::teach::{serve as server, trace as tr, trace::GroupRef};
use anyhow::Result;
use std::io::Write;

/// `dugnad trace`: the chosen week, the first week the group met, or the first week `--find`
/// finds (exit code 3 when it finds nothing).
pub fn trace(cmd: &TraceCmd) -> Result<()> {
    super::refuse_folder_flags(&cmd.run, "trace")?;
    if cmd.run.replicates.is_some() {
        return Err(UsageError(
            "trace shows one replicate: choose it with --replicate R (0-based), not --replicates"
                .into(),
        )
        .into());
    }
    let group = cmd
        .group
        .as_deref()
        .map(tr::parse_group)
        .transpose()
        .map_err(UsageError)?;
    let l = run::load(&cmd.scenario, &cmd.run)?;
    let (s, designs) = (&l.scenario, &l.designs);
    // The week, the group a search over all groups landed in, and what it found.
    let (week, landed, hit) = match (cmd.find, cmd.week) {
        (Some(find), from) => {
            let from = from.unwrap_or(1);
            let l = tr::find(s, designs, cmd.replicate, group.as_ref(), from, find)
                .map_err(UsageError)?
                .ok_or_else(|| NothingFound(not_found(cmd, find, from, s.weeks)))?;
            (l.week, Some(l.group), l.hit)
        }
        (None, Some(week)) => (week, None, None),
        (None, None) => {
            let g = group.clone().unwrap_or(GroupRef::Index(0));
            let l = tr::first_meeting_week(s, designs, cmd.replicate, &g).map_err(UsageError)?;
            (l.week, None, None)
        }
    };
    let spec = tr::TraceSpec {
        replicate: cmd.replicate,
        week,
        group: group
            .clone()
            .unwrap_or(GroupRef::Index(landed.unwrap_or(0))),
    };
    let mut t = tr::simulate(s, designs, &spec).map_err(UsageError)?;
    t.why = match (cmd.find, &hit) {
        (Some(find), Some(hit)) => Some(tr::describe(find, hit, &t, group.is_none())),
        _ if cmd.week.is_none() && week > 1 => Some(format!(
            "The group did not meet before week {week}: this is its first meeting (choose another week with --week)."
        )),
        _ => None,
    };
    let text = match cmd.format {
        TraceFormat::Text => tr::render_text(&t),
        TraceFormat::Json => {
            let mut s = serde_json::to_string_pretty(&tr::events_json(&t))?;
            s.push('\n');
            s
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// What `--find` did not find, where it looked, and what to try instead.
fn not_found(cmd: &TraceCmd, find: TraceFind, from: u32, weeks: u32) -> String {
    let r = cmd.replicate;
    let place = match &cmd.group {
        Some(g) => format!("group {g}"),
        None => "any group".to_string(),
    };
    let mut tries = vec![format!("another replicate (--replicate {})", r + 1)];
    if cmd.group.is_some() {
        tries.push("every group (leave out --group)".into());
    }
    if from > 1 {
        tries.push("earlier weeks (leave out --week)".into());
    }
    format!(
        "--find {}: in {place} of replicate {r}, weeks {from} to {weeks}, there is never {}; try {}",
        tr::find_name(find),
        tr::find_noun(find),
        tries.join(", or ")
    )
}

/// `dugnad serve`: runs until interrupted.
pub fn serve(cmd: &ServeCmd) -> Result<()> {
    let running = server::start_in(&cmd.host, cmd.port, cmd.workers, true, cmd.lang)?;
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
