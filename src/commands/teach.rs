//! `dugnad trace` (a meeting as a transcript) and `dugnad serve` (the classroom page).

use super::{NothingFound, UsageError};
use crate::cli::{ServeCmd, TraceCmd, TraceFind, TraceFormat};
use crate::commands::run;
use crate::lang::{fill, Lang};
use crate::teach::{serve as server, trace as tr, trace::GroupRef};
use anyhow::Result;
use std::io::Write;

/// `dugnad trace`: the chosen week, the first week the group met, or the first week `--find`
/// finds (exit code 3 when it finds nothing), in the language of `--lang` (text only: the JSON's
/// kinds and numbers are the same in every language).
pub fn trace(cmd: &TraceCmd) -> Result<()> {
    super::refuse_folder_flags(&cmd.run, "trace")?;
    let lang = crate::cli::resolve_lang(cmd.lang).map_err(UsageError)?;
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
                .ok_or_else(|| NothingFound(not_found(cmd, find, from, s.weeks, lang)))?;
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
    let mut t = tr::simulate(s, designs, &spec)
        .map_err(UsageError)?
        .in_lang(lang);
    t.why = match (cmd.find, &hit) {
        (Some(find), Some(hit)) => Some(tr::describe(find, hit, &t, group.is_none())),
        _ if cmd.week.is_none() && week > 1 => {
            Some(fill(lang, "trace.first_meeting", &[("week", &week)]))
        }
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
fn not_found(cmd: &TraceCmd, find: TraceFind, from: u32, weeks: u32, lang: Lang) -> String {
    let r = cmd.replicate;
    let place = match &cmd.group {
        Some(g) => fill(lang, "trace.not_found_group", &[("group", g)]),
        None => lang.tr("trace.not_found_any_group").to_string(),
    };
    let mut tries = vec![fill(lang, "trace.try_replicate", &[("r", &(r + 1))])];
    if cmd.group.is_some() {
        tries.push(lang.tr("trace.try_every_group").to_string());
    }
    if from > 1 {
        tries.push(lang.tr("trace.try_earlier").to_string());
    }
    fill(
        lang,
        "trace.not_found",
        &[
            ("find", &tr::find_name(find)),
            ("place", &place),
            ("r", &r),
            ("from", &from),
            ("weeks", &weeks),
            ("noun", &tr::find_noun(find, lang)),
            ("tries", &tries.join(lang.tr("trace.or_list"))),
        ],
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
