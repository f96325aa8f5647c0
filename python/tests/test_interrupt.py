"""Ctrl-C stops a long call promptly with KeyboardInterrupt, and the process goes on."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import dugnad
from conftest import KNITTING


def interrupt_after(seconds: float) -> threading.Timer:
    """Sends this process SIGINT (what Ctrl-C does) after `seconds`."""
    t = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    t.start()
    return t


@pytest.mark.parametrize("call", ["run", "compare"])
def test_a_long_run_stops_at_ctrl_c(call):
    # Far longer than the test may take: 100 000 replicates of 104 weeks (about a minute).
    interrupt_after(0.5)
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        if call == "run":
            dugnad.run(KNITTING, replicates=100_000)
        else:
            dugnad.compare(KNITTING, KNITTING, replicates=100_000)
    took = time.perf_counter() - started
    assert took < 5, f"stopped {took:.1f} s after the call started"
    # The module still works afterwards.
    assert dugnad.run(KNITTING, replicates=2, weeks=2).manifest["replicates"] == 2


def test_an_interrupted_sweep_keeps_its_cells_and_resumes(tmp_path):
    out = tmp_path / "sweep"
    vary = {"activity.co_design": [round(0.05 * i, 2) for i in range(20)]}
    interrupt_after(0.5)
    with pytest.raises(KeyboardInterrupt):
        dugnad.sweep(KNITTING, vary=vary, replicates=600, out=out, charts=False)
    cells = out / "cells"
    done = len(list(cells.glob("cell-??????.csv")))
    assert done < 20, "the sweep stopped before the end"
    again = dugnad.sweep(KNITTING, vary=vary, replicates=600, out=out, charts=False)
    assert again.complete and again.manifest["cells_run"] == 20 - done
