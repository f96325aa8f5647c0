#!/usr/bin/env bash
# Measures what sharding costs on Slurm, for the projection of the municipality Sobol study in
# docs/performance.md: starts the single-node cluster of lib-local-cluster.sh, runs a scaled-down
# Sobol sample of scenarios/municipality.toml (10 factors) once directly on one thread and once as
# a job array of SHARDS shards (one CPU each) plus the merge job (scripts/slurm/submit.sh --wait),
# checks that the merged result is byte-identical to the direct one, and prints, as `key value`
# lines: the turns and ns per turn of one cell (`dugnad bench`), the direct sweep's wall and CPU
# time, every shard's and the merge's wall and CPU time (/usr/bin/time around each job), the
# array's wall time from submission to the merged result, and the overhead they imply.
# Needs root. Environment: SHARDS (default 8), CELLS (sobol:N, default 32), REPLICATES (4),
# WEEKS (104), KEEP=1 keeps the temporary folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
started=$(date +%s)
shards=${SHARDS:-8}
cells=${CELLS:-32}
replicates=${REPLICATES:-4}
weeks=${WEEKS:-104}
# shellcheck source=lib-local-cluster.sh
source "$here/lib-local-cluster.sh"
start_local_cluster

factors=(--range activity.co_design=0:1 --range activity.facilitation=0:1
  --range activity.service_frame=0:1 --range parameters.alpha1=0.1:0.8
  --range parameters.beta_e=0.5:3 --range parameters.kappa_t=0.01:0.05
  --range parameters.tie_talk=0.01:0.1 --range parameters.w_us_rate=0.02:0.2
  --range parameters.lambda_obs=0.05:0.3 --range parameters.delta_usurp=0.01:0.1)
size=(--replicates "$replicates" --weeks "$weeks")
study=(scenarios/municipality.toml --sample "sobol:$cells" "${factors[@]}" "${size[@]}")

# Every job's wall and CPU time, through a wrapper that sbatch's environment carries to the jobs.
real=$DUGNAD
times=$work/times.log
cat >"$work/dugnad-timed" <<WRAP
#!/usr/bin/env bash
exec /usr/bin/time -a -o "$times" -f "job \${SLURM_JOB_NAME:-direct} \${SLURM_ARRAY_TASK_ID:--} wall %e user %U sys %S" "$real" "\$@"
WRAP
chmod +x "$work/dugnad-timed"

say "one cell's cost (dugnad bench, 1 thread)"
"$real" bench scenarios/municipality.toml "${size[@]}" --threads 1 --repeats 3 --json -q >"$work/bench.json"
echo "cell_turns $(jq '.work.turns' "$work/bench.json")"
echo "cell_ns_per_turn $(jq ".single.cpu_seconds * 1e9 / .work.turns" "$work/bench.json")"

say "direct sweep: $cells cells on one thread"
t0=$(ms)
DUGNAD=$work/dugnad-timed "$work/dugnad-timed" sweep "${study[@]}" --threads 1 --quiet -o "$work/direct"
t1=$(ms)
echo "direct_wall_ms $((t1 - t0))"

say "job array of $shards shards + merge job"
export DUGNAD=$work/dugnad-timed
set -m
"$here/submit.sh" -n "$shards" -c 1 -o "$work/slurm" --wait "${study[@]}" &
child=$!
set +m
wait "$child"
child=
t2=$(ms)
echo "array_wall_ms $((t2 - t1))"
cmp "$work/direct/sweep.csv" "$work/slurm/merged/sweep.csv"
diff -r "$work/direct/cells" "$work/slurm/merged/cells"
say "the merged sweep is byte-identical to the direct one"
cat "$times"
awk -v shards="$shards" -v cells="$cells" -v array_ms="$((t2 - t1))" -v cpus="$(nproc)" '
  $2 == "direct" { dw = $5; dc = $7 + $9 }
  $2 == "dugnad-sweep" { sw += $5; sc += $7 + $9; n++ }
  $2 == "dugnad-merge" { mw = $5; mc = $7 + $9 }
  END {
    printf "shards_run %d\nshard_wall_sum_s %.2f\nshard_cpu_sum_s %.2f\n", n, sw, sc
    printf "direct_wall_s %.2f\ndirect_cpu_s %.2f\nmerge_wall_s %.2f\nmerge_cpu_s %.2f\n", dw, dc, mw, mc
    printf "overhead_per_shard_cpu_s %.3f\n", (sc - dc) / n
    printf "overhead_per_shard_wall_s %.3f\n", (sw - dw) / n
    printf "merge_per_cell_ms %.2f\n", 1000 * mw / cells
    printf "array_efficiency %.3f\n", dw / (array_ms / 1000 * cpus)
    printf "shard_efficiency_cpu %.3f\n", dc / (sc + mc)
  }' "$times"
