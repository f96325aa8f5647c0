"""The simulation releases the GIL: another Python thread keeps running during a long run."""

from __future__ import annotations

import threading
import time

import dugnad
from conftest import KNITTING


def test_a_second_thread_keeps_running_during_a_long_run():
    ticks: list[float] = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    time.sleep(0.05)
    start = time.perf_counter()
    r = dugnad.run(KNITTING, replicates=3000, weeks=104)
    end = time.perf_counter()
    stop.set()
    t.join()
    assert r.manifest["replicates"] == 3000
    during = [x for x in ticks if start < x < end]
    took = end - start
    assert took > 0.5, f"the run must be long enough to tell ({took:.2f} s)"
    # With the GIL held the thread would not tick at all until the run returned.
    gaps = [b - a for a, b in zip([start] + during, during + [end])]
    assert len(during) > took / 0.05, f"{len(during)} ticks in {took:.2f} s"
    assert max(gaps) < 0.25, f"the longest stall of the other thread was {max(gaps):.3f} s"
