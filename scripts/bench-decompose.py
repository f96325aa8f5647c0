#!/usr/bin/env python3
"""What a turn costs and what a week costs (docs/performance.md, "The cost structure").

Times `dugnad bench` on one thread at several meeting lengths (activity.turns_per_meeting),
alternating them, and fits  time per group-week = fixed + marginal x turns per group-week  by
least squares over the medians. `fixed` is everything a group does once a week whatever the
meeting's length (attendance, help, agenda, perception, judging, learning, ties, life events,
observation, aggregation); `marginal` is one more turn of the turn loop.

    scripts/bench-decompose.py [BINARY] [SCENARIO] [--rounds N] [--replicates R]
"""
import argparse
import json
import statistics as st
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("binary", nargs="?", default="target/release/dugnad")
ap.add_argument("scenario", nargs="?", default="scenarios/bench.toml")
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--replicates", type=int, default=16)
ap.add_argument("--turns", default="30,60,120,240,480")
a = ap.parse_args()
lengths = [int(t) for t in a.turns.split(",")]
runs = {t: [] for t in lengths}
work = {}
for _ in range(a.rounds):
    for t in lengths:
        out = subprocess.run(
            [a.binary, "bench", a.scenario, "--threads", "1", "--repeats", "1",
             "--replicates", str(a.replicates), "--json", "-q",
             "--set", f"activity.turns_per_meeting={t}"],
            capture_output=True, text=True, check=True).stdout
        d = json.loads(out)
        runs[t].append(d["single"]["adjusted_seconds"])  # wall time less the time others took
        work[t] = d["work"]
xs, ys = [], []
for t in lengths:
    secs = st.median(runs[t])
    turns, gw = work[t]["turns"], work[t]["group_weeks"]
    xs.append(turns / gw)
    ys.append(secs * 1e9 / gw)
    print(f"{t:4d} turns per meeting: {turns:10d} turns in {gw} group-weeks, median {secs:.3f} s "
          f"(runs {', '.join(f'{s:.3f}' for s in runs[t])}): {secs * 1e9 / turns:6.1f} ns per turn")
n = len(xs)
mx, my = sum(xs) / n, sum(ys) / n
b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
f = my - b * mx
print(f"fixed per group-week: {f:.0f} ns; marginal per turn: {b:.2f} ns")
for x, y in zip(xs, ys):
    print(f"  residual at {x:6.1f} turns per group-week: {y - (f + b * x):+5.0f} ns "
          f"(fixed part of a turn there: {f / x:.1f} ns)")
