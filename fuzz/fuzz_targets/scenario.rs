//! The scenario parser on any text: `scenario::load_str` (parse, validate) and the `[sweep]`
//! table. Never panics; an accepted scenario prints (`dugnad check`) to a file that loads again
//! to the same scenario, and compiles to designs.
#![no_main]

use dugnad::scenario::{load_str, to_toml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = dugnad::experiment::grid::take_sweep_table(text, "fuzz.toml");
    let Ok(s) = load_str(text, "fuzz.toml", &[]) else {
        return;
    };
    let printed = to_toml(&s);
    let again = load_str(&printed, "printed.toml", &[]).unwrap_or_else(|e| {
        panic!("an accepted scenario prints to a file that does not load: {e}\n{printed}")
    });
    assert_eq!(to_toml(&again), printed, "printing is a fixed point");
    let designs = dugnad::model::group::Design::compile_all(&s);
    assert_eq!(designs.len(), s.activities.len());
});
