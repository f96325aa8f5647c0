//! Progress on the terminal: one bar factory for every command, and the rate line of commands
//! that run cells.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A progress bar on stderr drawn with `template` (indicatif's syntax), or a hidden one when
/// `quiet` or stderr is not a terminal.
pub fn bar(len: u64, quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// A bar counting cells (or points) as they are committed, with the replicates per second so
/// far as its message.
pub struct CellBar {
    bar: ProgressBar,
    replicates: AtomicU64,
    started: Instant,
}

impl CellBar {
    /// A bar of `cells` items called `unit` (`cells`, `points`) for the command `what`.
    pub fn new(what: &str, cells: usize, unit: &str, quiet: bool) -> CellBar {
        let template =
            format!("{{spinner}} {what} [{{bar:40}}] {{pos}}/{{len}} {unit}, {{msg}}, ETA {{eta}}");
        CellBar {
            bar: bar(cells as u64, quiet, &template),
            replicates: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// One more cell committed, after `replicates` replicates.
    pub fn cell_done(&self, replicates: u64) {
        let total = self.replicates.fetch_add(replicates, Ordering::Relaxed) + replicates;
        self.bar.set_message(format!(
            "{:.0} replicates/s",
            total as f64 / self.started.elapsed().as_secs_f64().max(1e-9)
        ));
        self.bar.inc(1);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
