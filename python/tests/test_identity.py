"""Identity with the CLI: the same scenario and seed give the same CSV bytes and DataFrames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import dugnad
from dugnad._frames import read_csv
from conftest import KNITTING, REPO

FLAGS = ["--replicates", "6", "--weeks", "10", "--seed", "7", "--quiet"]
KW = dict(replicates=6, weeks=10, seed=7)


def same_tables(result, folder: Path):
    """The result has the tables the CLI wrote into `folder`, with the same bytes."""
    assert sorted(result.files) == sorted(p.name for p in folder.glob("*.csv"))
    for name in result.files:
        written = (folder / name).read_bytes()
        assert result.csv(name) == written, f"{name} differs from the CLI's"
        pd.testing.assert_frame_equal(result.tables[name[:-4]], read_csv(written))


def test_every_number_in_a_dataframe_is_the_number_written():
    import csv
    import io
    import math

    r = dugnad.run(KNITTING, **KW)
    rows = list(csv.DictReader(io.StringIO(r.csv("timeseries").decode())))
    frame = r.timeseries
    for column in ["mean", "sd", "ci_low", "ci_high", "p05", "p95"]:
        for text, value in zip((row[column] for row in rows), frame[column]):
            if text in ("NA", ""):
                assert math.isnan(value)
            else:
                assert float(text) == value, (column, text, value)


def test_run_is_byte_identical_to_the_cli(tmp_path, cli):
    cli("run", str(KNITTING), *FLAGS, "--set", "activity.co_design=0.6", "--keep-replicates",
        "--per-group", "--no-charts", "-o", str(tmp_path / "cli"))
    r = dugnad.run(KNITTING, set={"activity.co_design": 0.6}, keep_replicates=True,
                   per_group=True, **KW)
    same_tables(r, tmp_path / "cli")


def test_a_scenario_edited_in_python_equals_the_file_with_set_flags(tmp_path, cli):
    s = dugnad.Scenario.load(REPO / "scenarios" / "co-designed-cafe.toml")
    s.set("population.newcomers.language", {"beta": [2, 2]}).set("activity.facilitation", 0.25)
    cli("run", str(REPO / "scenarios" / "co-designed-cafe.toml"), *FLAGS, "--set",
        "population.newcomers.language={beta=[2,2]}", "--set", "activity.facilitation=0.25",
        "--no-charts", "-o", str(tmp_path / "cli"))
    same_tables(dugnad.run(s, **KW), tmp_path / "cli")


def test_a_saved_run_is_the_cli_folder(tmp_path, cli):
    cli("run", str(KNITTING), *FLAGS, "-o", str(tmp_path / "cli"))
    saved = Path(dugnad.run(KNITTING, **KW).save(tmp_path / "py"))
    files = lambda d: sorted(str(p.relative_to(d)) for p in d.rglob("*"))
    assert files(saved) == files(tmp_path / "cli")
    for p in saved.glob("*.csv"):
        assert p.read_bytes() == (tmp_path / "cli" / p.name).read_bytes()


def test_compare_sweep_and_sensitivity_are_byte_identical_to_the_cli(tmp_path, cli):
    cli("compare", str(KNITTING), "--variant", "facil: activity.facilitation=0.6", *FLAGS,
        "--no-charts", "-o", str(tmp_path / "cmp"))
    c = dugnad.compare(KNITTING, variants={"facil": {"activity.facilitation": 0.6}}, **KW)
    same_tables(c, tmp_path / "cmp")

    cli("sweep", str(KNITTING), "--vary", "activity.co_design=0.1,0.5", "--keep-replicates",
        *FLAGS, "--no-charts", "-o", str(tmp_path / "sweep"))
    s = dugnad.sweep(KNITTING, vary={"activity.co_design": [0.1, 0.5]}, keep_replicates=True,
                     **KW)
    same_tables(s, tmp_path / "sweep")

    cli("sensitivity", str(KNITTING), "--range", "activity.facilitation=0:1", "--range",
        "parameters.alpha1=0.1:0.5", "--trajectories", "2", *FLAGS, "--no-charts", "-o",
        str(tmp_path / "sa"))
    a = dugnad.sensitivity(KNITTING, range={"activity.facilitation": (0, 1),
                                            "parameters.alpha1": (0.1, 0.5)},
                           trajectories=2, **KW)
    same_tables(a, tmp_path / "sa")


def test_trace_and_params_are_the_cli_output(cli):
    t = dugnad.trace(KNITTING, week=3, replicate=2, seed=7)
    assert t.transcript == cli("trace", str(KNITTING), "--week", "3", "--replicate", "2",
                               "--seed", "7").stdout
    assert t.json == cli("trace", str(KNITTING), "--week", "3", "--replicate", "2", "--seed",
                         "7", "--format", "json").stdout
    import json
    assert dugnad.params().to_dict("records") == json.loads(cli("params", "--json").stdout)
