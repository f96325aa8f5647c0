#!/usr/bin/env bash
# End-to-end test of the Slurm scripts on a single-node cluster started on this machine.
#
# Installs slurm-wlm and munge from Debian's packages (when missing), starts munged, slurmctld
# and slurmd as root with a generated key and slurm.conf under a temporary folder, submits a
# 12-cell sweep as a job array of 4 shards plus the merge job (scripts/slurm/submit.sh --wait),
# checks that the merged sweep.csv and cell files are byte-identical to the same sweep run
# directly, and stops every daemon it started (trap on EXIT, also on failure). Needs root.
# KEEP=1 keeps the temporary folder (logs, results) for a look afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
started=$(date +%s)
# shellcheck source=lib-local-cluster.sh
source "$here/lib-local-cluster.sh"
start_local_cluster

# --- the sweep, directly and on the cluster ---------------------------------------------------
sweep=(scenarios/knitting-cafe.toml --vary activity.co_design=0.1,0.4,0.7,1.0
  --vary activity.facilitation=0,0.5,1 --replicates 4 --weeks 12 --keep-replicates)

t0=$(ms)
"$DUGNAD" sweep "${sweep[@]}" --quiet -o "$work/direct"
t1=$(ms)
say "direct sweep: 12 cells in $((t1 - t0)) ms"

# In the background, in its own process group (set -m), so that a signal reaches the trap at
# once (bash defers traps while a foreground command runs) and the trap can stop it whole.
set -m
"$here/submit.sh" -n 4 -c 1 -o "$work/slurm" --wait "${sweep[@]}" &
child=$!
set +m
wait "$child"
child=
t2=$(ms)
say "job array of 4 shards + merge job: $((t2 - t1)) ms"

queued=$(squeue -h -o '%i %T' 2>/dev/null || true)
[ -z "$queued" ] || { echo "jobs still queued: $queued" >&2; exit 1; }
for i in 0 1 2 3; do
  n=$(find "$work/slurm/shard-$i/cells" -name 'cell-??????.csv' | wc -l)
  [ "$n" = 3 ] || { echo "shard $i holds $n cells, expected 3" >&2; exit 1; }
done
cmp "$work/direct/sweep.csv" "$work/slurm/merged/sweep.csv"
cmp "$work/direct/sweep-replicates.csv" "$work/slurm/merged/sweep-replicates.csv"
cmp "$work/direct/sweep.json" "$work/slurm/merged/sweep.json"
diff -r "$work/direct/cells" "$work/slurm/merged/cells"
say "PASS: the merged Slurm sweep is byte-identical to the direct sweep (sweep.csv, sweep-replicates.csv, sweep.json, cells/)"
