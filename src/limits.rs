//! What one invocation may ask of the machine: worker threads. A `--threads` far above the
//! cores only slows a run down (results never depend on it), and a huge one exhausts the
//! process's memory for stacks before any work starts, so it is refused while the command line
//! is parsed (exit code 2).

/// Worker threads per core that `--threads` may ask for.
pub const THREADS_PER_CORE: usize = 4;

/// The smallest cap, whatever the core count (so that a determinism check with a few threads
/// runs on a one-core machine too).
pub const MIN_THREAD_CAP: usize = 16;

/// Cores this process may use (affinity and cgroup quotas included; 1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The most worker threads `--threads` accepts on this machine:
/// max([`THREADS_PER_CORE`] × cores, [`MIN_THREAD_CAP`]).
pub fn max_threads() -> usize {
    (THREADS_PER_CORE * cores()).max(MIN_THREAD_CAP)
}

/// Parses `--threads N`: a whole number from 1 to [`max_threads`]. The message names the number
/// asked for and the cap.
pub fn parse_threads(s: &str) -> Result<usize, String> {
    let cap = max_threads();
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number; give 1 to {cap}"))?;
    if n == 0 {
        return Err(format!(
            "0 threads cannot run anything; give 1 to {cap}, or leave --threads out to use all {} cores",
            cores()
        ));
    }
    if n > cap {
        return Err(format!(
            "{n} threads is more than this computer can use: at most {cap} ({THREADS_PER_CORE} × its {} cores, \
             at least {MIN_THREAD_CAP}); results do not depend on the thread count",
            cores()
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_from_one_to_the_cap_are_accepted_and_the_rest_refused_with_both_numbers() {
        let cap = max_threads();
        assert!(cap >= MIN_THREAD_CAP && cap >= THREADS_PER_CORE * cores());
        assert_eq!(parse_threads("1"), Ok(1));
        assert_eq!(parse_threads(&cap.to_string()), Ok(cap));
        for bad in [
            (cap + 1).to_string(),
            "100000".into(),
            "0".into(),
            "-3".into(),
            "x".into(),
        ] {
            let e = parse_threads(&bad).unwrap_err();
            assert!(e.contains(&cap.to_string()), "{bad}: {e}");
        }
        assert!(parse_threads("100000").unwrap_err().contains("100000"));
    }
}
