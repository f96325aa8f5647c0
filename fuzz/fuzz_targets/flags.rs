//! The command-line value parsers on any text, one value per line: `--set` (`parse_override`,
//! and applied to a bundled scenario), `--vary`, `--range`, `--sample`, `--variant`, `--threads`,
//! and the grid a sweep would build from them. Never panics.
#![no_main]

use dugnad::experiment::grid::{parse_range, parse_sample, parse_vary, SweepSpec};
use libfuzzer_sys::fuzz_target;

const BASE: &str = include_str!("../../scenarios/knitting-cafe.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines: Vec<String> = text.lines().take(8).map(str::to_string).collect();
    let mut vary = Vec::new();
    let mut range = Vec::new();
    let mut sample = None;
    for l in &lines {
        let _ = dugnad::scenario::parse_override(l);
        let _ = dugnad::experiment::compare::parse_variant(l);
        let _ = dugnad::limits::parse_threads(l);
        if parse_vary(l).is_ok() {
            vary.push(l.clone());
        }
        if parse_range(l).is_ok() {
            range.push(l.clone());
        }
        if parse_sample(l).is_ok() {
            sample = Some(l.clone());
        }
    }
    // As --set overrides of a real scenario (the whole list, as the CLI applies it).
    let _ = dugnad::scenario::load_str(BASE, "scenarios/knitting-cafe.toml", &lines);
    // As a sweep's flags: the cells they make (bounded by the grid's own cell cap).
    if let Ok(spec) = SweepSpec::from_flags(&vary, sample.as_deref(), &range) {
        let _ = spec.cells(1, &|_| false);
    }
});
