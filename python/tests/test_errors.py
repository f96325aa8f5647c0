"""Errors: the CLI's message, the file, line and key, and the right exception class."""

from __future__ import annotations

import signal
import os

import pytest

import dugnad
from conftest import KNITTING


def cli_message(cli, *args: str) -> str:
    """The CLI's error message (stderr without `error: `), after checking its exit code is 2."""
    p = cli(*args, check=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("error: ")
    return p.stderr[len("error: "):].rstrip("\n")


def test_a_value_out_of_range_names_file_key_and_no_line(cli):
    with pytest.raises(dugnad.ScenarioError) as e:
        dugnad.run(KNITTING, set={"activity.co_design": 1.5}, replicates=2, weeks=2)
    err = e.value
    assert (err.file, err.key, err.line, err.kind) == (
        "scenarios/knitting-cafe.toml".replace("scenarios/knitting-cafe.toml", str(KNITTING)),
        "activity.co_design", None, "out-of-range")
    assert isinstance(err, ValueError)
    expected = cli_message(cli, "run", str(KNITTING), "--set", "activity.co_design=1.5",
                           "--replicates", "2", "--weeks", "2", "-o", "/nonexistent/x")
    assert str(err) == expected
    assert err.message in str(err)


def test_a_bad_file_has_its_line(tmp_path, cli):
    bad = tmp_path / "bad.toml"
    bad.write_text(KNITTING.read_text().replace("co_design = 0.1", "co_design = 1.3"))
    with pytest.raises(dugnad.ScenarioError) as e:
        dugnad.Scenario.load(bad)
    err = e.value
    assert err.file == str(bad) and err.key == "activity.co_design"
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "1.3" in l)
    assert err.line == line
    assert str(err) == cli_message(cli, "check", str(bad))


def test_syntax_unknown_keys_and_missing_files(cli):
    with pytest.raises(dugnad.ScenarioError) as e:
        dugnad.Scenario.from_toml("[scenario]\nname = \n", name="typed.toml")
    assert (e.value.kind, e.value.file, e.value.line) == ("syntax", "typed.toml", 2)
    with pytest.raises(dugnad.ScenarioError) as e:
        dugnad.Scenario.load(KNITTING).set("activity.co_desing", 0.5)
    assert e.value.kind == "bad-override" and "co_design" in str(e.value)
    with pytest.raises(dugnad.ScenarioError) as e:
        dugnad.Scenario.load("no/such.toml")
    assert e.value.kind == "io" and e.value.file == "no/such.toml"
    assert str(e.value) == cli_message(cli, "check", "no/such.toml")


def test_refusals_are_usage_errors_with_the_cli_wording(cli):
    with pytest.raises(dugnad.UsageError) as e:
        dugnad.sweep(KNITTING, vary={"activity.co_design": "1:0:0.5"}, replicates=2, weeks=2)
    assert str(e.value) == cli_message(cli, "sweep", str(KNITTING), "--vary",
                                       "activity.co_design=1:0:0.5", "--replicates", "2",
                                       "--weeks", "2", "-o", "/nonexistent/x")
    with pytest.raises(dugnad.UsageError, match="is not an indicator"):
        dugnad.sensitivity(KNITTING, range={"activity.co_design": (0, 1)},
                           indicators="no_such", replicates=2, weeks=2)
    with pytest.raises(dugnad.UsageError, match="threads=0"):
        dugnad.run(KNITTING, threads=0)
    with pytest.raises(dugnad.UsageError, match="at least two designs"):
        dugnad.compare(KNITTING)
    with pytest.raises(dugnad.UsageError, match="week"):
        dugnad.trace(KNITTING, week=10_000)
    with pytest.raises(dugnad.UsageError, match="morris"):
        dugnad.sensitivity(KNITTING, method="fast")
    with pytest.raises(dugnad.UsageError, match="no table"):
        dugnad.run(KNITTING, replicates=2, weeks=2).csv("nothing")


def test_a_bad_sweep_cell_is_a_scenario_error_naming_the_cell():
    with pytest.raises(dugnad.ScenarioError) as e:
        dugnad.sweep(KNITTING, vary={"activity.co_design": [0.5, 1.5]}, replicates=2, weeks=2)
    assert "sweep cell 1" in str(e.value) and e.value.key == "activity.co_design"


def test_an_interrupt_after_writing_a_result_is_a_keyboard_interrupt(tmp_path):
    # The library's interrupt handler (clean up, exit 130) is for the CLI; inside Python an
    # interrupt stays Python's.
    dugnad.run(KNITTING, replicates=2, weeks=2).save(tmp_path / "r", charts=False)
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):
            pass
