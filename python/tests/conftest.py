"""Shared fixtures: the repository's scenarios and the dugnad command-line binary."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
KNITTING = SCENARIOS / "knitting-cafe.toml"


def cli_binary() -> Path:
    """The CLI to compare with: $DUGNAD_BIN, else target/release/dugnad of this repository."""
    found = os.environ.get("DUGNAD_BIN") or str(REPO / "target" / "release" / "dugnad")
    if not Path(found).exists():
        found = shutil.which("dugnad") or found
    return Path(found)


@pytest.fixture(scope="session")
def cli():
    """Runs the dugnad binary in the repository's root; returns the finished process."""
    binary = cli_binary()
    if not binary.exists():
        pytest.fail(
            f"the dugnad binary is needed to compare with the CLI: build it with "
            f"`cargo build --release` or set DUGNAD_BIN (looked for {binary})"
        )

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        p = subprocess.run(
            [str(binary), *args], cwd=REPO, capture_output=True, text=True, timeout=600
        )
        if check and p.returncode != 0:
            raise AssertionError(f"dugnad {' '.join(args)} failed ({p.returncode}): {p.stderr}")
        return p

    return run
