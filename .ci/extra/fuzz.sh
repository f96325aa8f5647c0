#!/usr/bin/env bash
# Fuzzing (docs/hardening.md): the scenario parser, the command-line value parsers and the
# classroom server's request handling, each run in-process under libFuzzer for a bounded time.
#
# Installs cargo-fuzz (crates.io) when missing; libFuzzer is built from the libfuzzer-sys crate
# with the system C++ compiler. The stable toolchain is enough: RUSTC_BOOTSTRAP=1 lets it take
# the instrumentation flags cargo-fuzz passes. Each target starts from its seeds (the bundled
# scenarios for the scenario parser, fuzz/seeds/TARGET for the others) plus the corpus kept in
# fuzz/corpus/TARGET from earlier runs, and runs FUZZ_SECONDS (default 75) seconds. A crash
# fails the script and leaves the input in fuzz/artifacts/TARGET/.
#
# Longer: FUZZ_SECONDS=3600 bash .ci/extra/fuzz.sh, or one target:
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s none scenario corpus/scenario ../scenarios
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${FUZZ_SECONDS:-75}"
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version '^0.13'
fi
command -v c++ >/dev/null || { echo "a C++ compiler is needed to build libFuzzer (Debian: apt-get install -y g++)" >&2; exit 1; }
cd fuzz
cargo fuzz build -s none
for target in scenario flags serve; do
  corpus="corpus/$target"
  seeds="seeds/$target"
  [ "$target" = scenario ] && seeds=../scenarios
  mkdir -p "$corpus"
  log="$(mktemp)"
  if ! cargo fuzz run -s none "$target" "$corpus" "$seeds" -- \
      -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      -max_len=16384 >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz $target: FAILED; the input is in fuzz/artifacts/$target/ (rerun it with: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s none $target fuzz/artifacts/$target/FILE)" >&2
    exit 1
  fi
  execs="$(awk '/stat::number_of_executed_units/ {print $2}' "$log")"
  rate="$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")"
  echo "fuzz $target: $execs executions in ${seconds} s ($rate per second), corpus $(find "$corpus" -type f | wc -l) inputs"
  rm -f "$log"
done
