#!/usr/bin/env bash
# Submits a dugnad sweep to Slurm as a job array of N shards plus a merge job that runs once
# every shard succeeded (docs/experiments.md).
#
#   scripts/slurm/submit.sh [-n SHARDS] [-c CPUS] [-o OUT] [-p PARTITION] [-t TIME] [--wait] \
#       SCENARIO [dugnad sweep flags...]
#
#   -n SHARDS    array tasks, one shard each (default 4)
#   -c CPUS      CPUs per task, passed to dugnad as --threads (default 1)
#   -o OUT       shared output folder (default output/slurm-<scenario file name>); shards go to
#                OUT/shard-I, the merged result to OUT/merged, Slurm logs to OUT/logs
#   -p, -t       partition and time limit of every job (default: the cluster's)
#   --wait       return when the merge has finished (non-zero if a shard or the merge failed)
#
# The binary is $DUGNAD, default target/release/dugnad of this checkout when built, else
# dugnad on PATH. Prints the two job ids.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

shards=4
cpus=1
out=
wait=
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -n) shards=$2; shift 2 ;;
    -c) cpus=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    -p) extra+=(--partition "$2"); shift 2 ;;
    -t) extra+=(--time "$2"); shift 2 ;;
    --wait) wait=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: $0 [-n SHARDS] [-c CPUS] [-o OUT] [--wait] SCENARIO [dugnad sweep flags...]" >&2
  exit 2
fi
if ! [[ $shards =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: -n must be a whole number ≥ 1 (got '$shards')" >&2
  exit 2
fi
scenario=$1
shift
if [ -z "$out" ]; then
  out=output/slurm-$(basename "$scenario" .toml)
fi
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
if [ -z "${DUGNAD:-}" ]; then
  if [ -x "$root/target/release/dugnad" ]; then
    DUGNAD=$root/target/release/dugnad
  else
    DUGNAD=dugnad
  fi
fi
export DUGNAD

array=$(sbatch --parsable "${extra[@]}" --array="0-$((shards - 1))" --cpus-per-task="$cpus" \
  --output="$out/logs/sweep-%A_%a.out" \
  "$here/sweep.sbatch" "$out" "$scenario" "$@")
array=${array%%;*}
echo "sweep array job $array: $shards shards → $out/shard-*"
merge_args=(--parsable "${extra[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes
  --output="$out/logs/merge-%j.out")
if [ -n "$wait" ]; then
  merge_args+=(--wait)
fi
merge=$(sbatch "${merge_args[@]}" "$here/merge.sbatch" "$out" "$shards")
if [ -n "$wait" ]; then
  echo "merge job ${merge%%;*} finished → $out/merged"
else
  echo "merge job ${merge%%;*} (runs after $array) → $out/merged"
fi
