#!/usr/bin/env bash
# Golden output hashes: runs every bundled scenario, a compare, a grid and a Sobol sweep and a
# Morris sensitivity run with a fixed small size, and prints the sha256 of every CSV and of every
# manifest (minus wall time, git commit, thread count and command line). Used to show that a
# refactor leaves every output byte-identical:
#   scripts/golden.sh target/release/dugnad > before.txt   (on the old commit)
#   scripts/golden.sh target/release/dugnad > after.txt    (on the new one); diff before.txt after.txt
set -euo pipefail
bin=$(realpath "${1:-target/release/dugnad}")
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
small=(--replicates 6 --weeks 20 --seed 7 -q --no-charts)
for s in scenarios/*.toml; do
  name=$(basename "$s" .toml)
  "$bin" run "$s" "${small[@]}" --per-group --keep-replicates -o "$out/run-$name" ${GOLDEN_RUN_EXTRA:-}
done
"$bin" run scenarios/knitting-cafe.toml -q --no-charts -o "$out/full-knitting"
"$bin" compare scenarios/knitting-cafe.toml scenarios/co-designed-cafe.toml "${small[@]}" \
  --variant 'facil: activity.facilitation=0.8' -o "$out/compare"
"$bin" sweep scenarios/knitting-cafe.toml "${small[@]}" --vary activity.co_design=0,0.5 \
  --vary activity.facilitation=0,0.6 -o "$out/grid"
"$bin" sweep scenarios/dugnad.toml "${small[@]}" --sample sobol:8 \
  --range activity.co_design=0:1 --range parameters.alpha1=0.1:0.8 -o "$out/sobol"
"$bin" sensitivity scenarios/knitting-cafe.toml "${small[@]}" --method morris --trajectories 3 \
  --range parameters.alpha1=0.1:0.8 --range activity.co_design=0:1 --range parameters.beta_e=0.5:3 \
  -o "$out/morris"
cd "$out"
find . -type f \( -name '*.csv' -o -name 'manifest.json' -o -name '*.jsonl' \) | LC_ALL=C sort | while read -r f; do
  case "$f" in
    *manifest.json)
      h=$(jq -S 'del(.wall_time_seconds, .git_commit, .threads, .command_line, .dugnad_version)
                 | walk(if type == "object" then del(.wall_time_seconds, .git_commit, .threads, .command_line) else . end)' "$f" | sha256sum | cut -c1-64) ;;
    *) h=$(sha256sum "$f" | cut -c1-64) ;;
  esac
  echo "$h  $f"
done
