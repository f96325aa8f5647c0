#!/usr/bin/env bash
# Coverage of `dugnad fit` (docs/fitting.md, "How well it recovers"): SETS synthetic pilot
# registers, each simulated by dugnad at true values of parameters.alpha1 and
# parameters.p0_attend drawn from the priors of scenarios/pilot-cafe.toml, each fitted; prints
# one line per set and how many of the 90 % credible intervals hold the truth; fails when
# either parameter's intervals hold it in fewer than 70 % of the sets.
#
#   bash .ci/extra/fit-coverage.sh [SETS (default 10)] [OUT (default a temporary folder)]
#
# About 25 s per set on 2 cores (a pilot in four cafés, 200 particles, 9 generations).
set -euo pipefail
cd "$(dirname "$0")/../.."
SETS=${1:-10}
OUT=${2:-$(mktemp -d)}
mkdir -p "$OUT"
cargo build --release --quiet
B=target/release/dugnad
PILOT=scenarios/pilot-cafe.toml
GROUPS_SET=activity.groups=4
echo "set,alpha1,alpha1_q05,alpha1_q95,alpha1_narrowing,p0_attend,p0_attend_q05,p0_attend_q95,p0_attend_narrowing,simulations,seconds" > "$OUT/coverage.csv"
for s in $(seq 1 "$SETS"); do
  # True values from the priors (uniform [0, 1.5] and uniform [0.4, 1.0]), seeded by the set.
  read -r A P < <(awk -v s="$s" 'BEGIN { srand(1000 + s); printf "%.4f %.4f\n", 1.5 * rand(), 0.4 + 0.6 * rand() }')
  T="$OUT/truth-$s"
  $B run $PILOT --quiet --no-charts --force --replicates 1 --seed $((500 + s)) \
    --set $GROUPS_SET --set parameters.alpha1="$A" --set parameters.p0_attend="$P" -o "$T"
  # timeseries.csv: week,indicator,lens,mean,...; the newcomers' weekly means over weeks 1-26.
  awk -F, 'NR > 1 && $3 == "newcomers" && $4 != "NA" &&
           ($2 == "attendance_rate" || $2 == "spoken_for_rate" || $2 == "voice_share") {
             sum[$2] += $4; n[$2]++ }
           END { print "week,lens,indicator,value"
                 for (k in sum) print "1-26,newcomers," k "," sum[k] / n[k] }' "$T/timeseries.csv" > "$OUT/observed-$s.csv"
  F="$OUT/fit-$s"
  start=$(date +%s.%N)
  $B fit $PILOT --data "$OUT/observed-$s.csv" --set $GROUPS_SET --particles 200 --generations 9 \
    --seed $((900 + s)) --quiet --no-charts --force -o "$F"
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  sims=$(tail -n 1 "$F/fit.csv" | awk -F, '{ print $NF }')
  # parameters.csv: parameter,"prior",prior_q05,prior_q95,mean,sd,q05,q50,q95,narrowing
  line=$(awk -F, -v a="$A" -v p="$P" 'NR > 1 { q05 = $(NF-3); q95 = $(NF-1); nar = $NF
             t = (NR == 2) ? a : p; printf ",%s,%s,%s,%s", t, q05, q95, nar }' "$F/parameters.csv")
  echo "$s$line,$sims,$secs" | tee -a "$OUT/coverage.csv"
done
awk -F, 'NR > 1 { n++; a += ($2 >= $3 && $2 <= $4); p += ($6 >= $7 && $6 <= $8)
                  na += $5; np += $9; sims += $10; secs += $11 }
         END { printf "%d sets: the 90 %% interval holds the true alpha1 in %d (%d %%), the true p0_attend in %d (%d %%);\n", n, a, 100*a/n, p, 100*p/n
               printf "mean narrowing alpha1 %.2fx, p0_attend %.2fx; %.0f simulations and %.1f s per fit (%.0f simulations/s)\n", na/n, np/n, sims/n, secs/n, sims/secs }' "$OUT/coverage.csv"
echo "→ $OUT/coverage.csv"
# Fails when either parameter's 90 % interval held the truth in fewer than 70 % of the sets (with
# 10 sets and a true coverage of 90 % that happens with probability 1.3 %).
awk -F, 'NR > 1 { n++; a += ($2 >= $3 && $2 <= $4); p += ($6 >= $7 && $6 <= $8) }
         END { if (a < 0.7 * n || p < 0.7 * n) { print "coverage below 70 %"; exit 1 } }' "$OUT/coverage.csv"
