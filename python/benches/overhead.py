"""Overhead of ``dugnad.run`` against the CLI on the same scenario and replicates.

Alternates, ``--rounds`` times: the CLI (``dugnad run SCENARIO --no-charts --quiet``, a
process writing its CSV files and manifest) and, in this process, ``dugnad.run(SCENARIO)``
alone and with its three tables parsed into DataFrames. Prints the median wall time of each and
the ratios to the CLI. Run from the repository's root after ``pip install ./python`` and
``cargo build --release``:

    python python/benches/overhead.py --replicates 100 --rounds 9
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import dugnad


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="scenarios/knitting-cafe.toml")
    p.add_argument("--replicates", type=int, default=None)
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--cli", default="target/release/dugnad")
    a = p.parse_args()
    reps = [] if a.replicates is None else ["--replicates", str(a.replicates)]
    kw = {} if a.replicates is None else {"replicates": a.replicates}
    times: dict[str, list[float]] = {"cli": [], "python run": [], "python run + 3 DataFrames": []}
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "run")
        dugnad.run(a.scenario, **kw)  # warm up: first import of pandas, page cache
        for _ in range(a.rounds):
            t = time.perf_counter()
            subprocess.run([a.cli, "run", a.scenario, *reps, "--no-charts", "--quiet", "-o", out,
                            "--force"], check=True)
            times["cli"].append(time.perf_counter() - t)
            t = time.perf_counter()
            dugnad.run(a.scenario, **kw)
            times["python run"].append(time.perf_counter() - t)
            t = time.perf_counter()
            r = dugnad.run(a.scenario, **kw)
            r.timeseries, r.summary, r.final
            times["python run + 3 DataFrames"].append(time.perf_counter() - t)
    cli = statistics.median(times["cli"])
    print(f"{a.scenario}, {dugnad.Scenario.load(a.scenario).replicates if a.replicates is None else a.replicates} "
          f"replicates, median of {a.rounds} alternating rounds:")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"  {name:<28} {m * 1000:8.1f} ms  ({m / cli:5.2f} × the CLI)")


if __name__ == "__main__":
    main()
