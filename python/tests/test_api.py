"""The API: scenarios edited by dotted path, every call, its tables and its folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

import dugnad
from conftest import KNITTING, REPO

SMALL = dict(replicates=4, weeks=6, seed=11)


def test_a_scenario_loads_sets_by_dotted_path_and_resolves():
    s = dugnad.Scenario.load(KNITTING)
    assert (s.name, s.origin, s.overrides) == ("knitting-cafe", str(KNITTING), [])
    same = s.set("activity.co_design", 0.6)
    assert same is s, "set changes the scenario and returns it, so calls chain"
    s.set("population.newcomers.language", {"beta": [2, 5]}).set("activity.pathway", True)
    assert s.overrides == [
        "activity.co_design=0.6",
        "population.newcomers.language={ beta = [2, 5] }",
        "activity.pathway=true",
    ]
    text = s.to_toml()
    assert "co_design = 0.6" in text and "pathway = true" in text
    # The resolved text is itself a scenario, equal to the one it came from.
    again = dugnad.Scenario.from_toml(text, name="resolved")
    assert again == s and again.origin == "resolved"
    assert again.to_toml() == text


def test_copy_is_independent_and_a_refused_set_changes_nothing():
    base = dugnad.Scenario.load(KNITTING)
    variant = base.copy().set("activity.facilitation", 0.5)
    assert base.overrides == [] and variant.overrides == ["activity.facilitation=0.5"]
    with pytest.raises(dugnad.ScenarioError):
        variant.set("activity.facilitation", 2.0)
    assert variant.overrides == ["activity.facilitation=0.5"]
    assert base != variant


def test_strings_and_numbers_are_written_as_toml_values():
    s = dugnad.Scenario.load(KNITTING)
    s.set("activity.language_policy", "multilingual").set("scenario.weeks", 12)
    s.set("activity.targets", ["non-western", "local"])
    assert s.weeks == 12
    assert 'language_policy = "multilingual"' in s.to_toml()
    with pytest.raises(dugnad.UsageError, match="not a scenario value"):
        s.set("activity.co_design", object())


def test_run_returns_the_cli_tables_as_dataframes():
    r = dugnad.run(KNITTING, **SMALL)
    assert {"timeseries.csv", "summary.csv", "final.csv"} <= set(r.files)
    assert not {"replicates.csv", "groups.csv", "agents.csv", "ties.csv"} & set(r.files)
    ts, summary, final = r.timeseries, r.summary, r.final
    assert {"week", "indicator", "mean", "sd", "ci_low", "ci_high", "p05", "p95", "n"} <= set(
        ts.columns
    )
    assert list(ts.week.unique()) == [1, 2, 3, 4, 5, 6]
    assert len(ts) == 6 * (ts.week == 1).sum()
    assert set(summary.scope) == {"final_week", "run_mean"}
    assert list(final.replicate.unique()) == [0, 1, 2, 3]
    assert r.timeseries is ts, "a table is parsed once"
    assert set(r.tables) == {name[: -len(".csv")] for name in r.files}
    assert r.replicates is None and r.groups is None
    assert r.agents is None and r.ties is None
    m = r.manifest
    assert (m["seed"], m["replicates"], m["weeks"]) == (11, 4, 6)
    assert m["files"] == r.files and m["scenario"]["name"] == "knitting-cafe"
    assert m["command_line"][0] == "dugnad.run (Python)"


def test_run_with_agents_returns_persons_and_ties():
    r = dugnad.run(KNITTING, agents=True, **SMALL)
    assert {"agents.csv", "ties.csv"} <= set(r.files)
    agents, ties = r.agents, r.ties
    assert len(agents) > 0 and len(ties) > 0
    assert set(agents.replicate.unique()) == {0, 1, 2, 3}
    assert "--agents" in r.manifest["command_line"]


def test_run_keeps_replicates_and_groups_when_asked():
    r = dugnad.run(KNITTING, keep_replicates=True, per_group=True, **SMALL)
    assert {"replicates.csv", "groups.csv"} <= set(r.files)
    assert len(r.replicates[["replicate", "week"]].drop_duplicates()) == 4 * 6
    week_rows = (r.timeseries.week == 1).sum()
    assert len(r.groups) == 1 * 6 * week_rows and set(r.groups.activity) == {"activity"}


def test_set_takes_a_dict_or_cli_strings_and_a_scenario_its_own_sets_first():
    a = dugnad.run(KNITTING, set={"activity.co_design": 0.7}, **SMALL)
    b = dugnad.run(KNITTING, set=["activity.co_design=0.7"], **SMALL)
    s = dugnad.Scenario.load(KNITTING).set("activity.co_design", 0.2)
    c = dugnad.run(s, set={"activity.co_design": 0.7}, **SMALL)  # the later value wins
    assert a.csv("final") == b.csv("final") == c.csv("final.csv")
    d = dugnad.run(KNITTING, **SMALL)
    assert d.csv("final") != a.csv("final")


def test_the_thread_count_never_changes_a_byte_and_all_cores_are_the_default():
    one = dugnad.run(KNITTING, threads=1, **SMALL)
    two = dugnad.run(KNITTING, threads=2, **SMALL)
    for name in one.files:
        assert one.csv(name) == two.csv(name), name
    assert one.manifest["threads"] == 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert dugnad.run(KNITTING, **SMALL).manifest["threads"] == cores


def test_save_writes_the_run_folder_and_refuses_to_overwrite(tmp_path):
    r = dugnad.run(KNITTING, **SMALL)
    out = tmp_path / "kc"
    assert r.save(out) == str(out)
    for name in r.files:
        assert (out / name).read_bytes() == r.csv(name)
    assert (out / "report.html").exists() and any((out / "charts").glob("*.png"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == r.files and manifest["seed"] == 11
    with pytest.raises(dugnad.UsageError, match="already exists"):
        r.save(out)
    r.save(out, force=True, charts=False)
    assert not (out / "report.html").exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(dugnad.UsageError):
        r.save(tmp_path / "mine", force=True)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_compare_pairs_designs_on_common_random_numbers(tmp_path):
    base = dugnad.Scenario.load(KNITTING)
    codesign = base.copy().set("scenario.name", "codesign").set("activity.co_design", 0.7)
    c = dugnad.compare(base, codesign, variants={"facil": {"activity.facilitation": 0.6}},
                       replicates=5, weeks=6)
    assert c.names == ["knitting-cafe", "codesign", "facil"]
    assert c.baseline == "knitting-cafe" and c.replicates == 5 and c.adaptive is None
    t = c.comparison
    assert set(t.design) == set(c.names) and set(t.baseline) == {"knitting-cafe"}
    self_diff = t.loc[t.design == "knitting-cafe", "diff"].dropna()
    assert (self_diff == 0).all()
    saved = Path(c.save(tmp_path / "cmp"))
    assert (saved / "comparison.csv").read_bytes() == c.csv("comparison")
    assert (saved / "report.html").exists()
    named = dugnad.compare(base, codesign, baseline="codesign", replicates=3, weeks=4)
    assert named.baseline == "codesign"


def test_adaptive_comparison_reports_how_it_ended():
    base = dugnad.Scenario.load(KNITTING)
    c = dugnad.compare(base, variants=["facil: activity.facilitation=0.6"], weeks=6,
                       target_ci=1e9, indicator="mean_agency", batch=4)
    assert c.replicates == 4 and "adaptive replication" in c.adaptive


def test_sweep_over_a_grid_and_a_sample(tmp_path):
    s = dugnad.sweep(KNITTING, vary={"activity.co_design": [0.1, 0.5, 0.9]}, **SMALL)
    assert s.complete and s.folder is None
    t = s.sweep
    cells = t.drop_duplicates("cell")
    assert list(cells.cell) == [0, 1, 2]
    assert list(cells["activity.co_design"]) == [0.1, 0.5, 0.9]
    assert s.replicates is None
    grid = dugnad.sweep(KNITTING, vary={"activity.co_design": "0:1:0.5"}, keep_replicates=True,
                        **SMALL)
    assert list(grid.sweep.drop_duplicates("cell")["activity.co_design"]) == [0.0, 0.5, 1.0]
    assert len(grid.replicates[["cell", "replicate"]].drop_duplicates()) == 3 * 4
    lhs = dugnad.sweep(KNITTING, sample="lhs:5", range={"activity.co_design": (0.0, 1.0)},
                       **SMALL)
    assert lhs.sweep.cell.nunique() == 5
    kept = dugnad.sweep(KNITTING, vary={"activity.co_design": [0.2, 0.4]}, out=tmp_path / "sw",
                        **SMALL)
    assert kept.folder == str(tmp_path / "sw")
    assert (tmp_path / "sw" / "sweep.csv").read_bytes() == kept.csv("sweep")
    assert any((tmp_path / "sw" / "charts").glob("*.png")), "a named folder gets charts"
    # The same sweep in the same folder resumes: nothing to run, the same result.
    again = dugnad.sweep(KNITTING, vary={"activity.co_design": [0.2, 0.4]}, out=tmp_path / "sw",
                         **SMALL)
    assert again.manifest["cells_run"] == 0 and again.csv("sweep") == kept.csv("sweep")
    copy = Path(s.save(tmp_path / "copy"))
    assert (copy / "sweep.csv").read_bytes() == s.csv("sweep")
    assert (copy / "sweep.json").exists() and len(list((copy / "cells").iterdir())) == 3


def test_sensitivity_analyses_and_ranks_factors():
    a = dugnad.sensitivity(
        KNITTING,
        range={"activity.facilitation": (0.0, 1.0), "parameters.alpha1": (0.1, 0.5)},
        trajectories=3, indicators=["mean_agency", "voice_parity"], replicates=2, weeks=6,
    )
    assert a.complete and len(a.ranking) == 2
    t = a.sensitivity
    assert set(t.factor) == {"activity.facilitation", "parameters.alpha1"}
    assert set(t.indicator) == {"mean_agency", "voice_parity"}
    assert a.points.point.nunique() == 3 * (2 + 1)
    assert set(a.noise.indicator) == {"mean_agency", "voice_parity"}


def test_trace_gives_events_and_the_transcript():
    t = dugnad.trace(KNITTING, week=2)
    ev = t.events
    assert list(ev.columns[:5]) == ["week", "phase", "meeting", "turn", "event"]
    assert set(ev.week) == {2}
    turns = ev[ev.event.isin(["turn", "hesitated", "usurped"])]
    assert len(turns) == 120 and list(turns.turn) == list(range(1, 121))
    assert "speaker.name" in ev.columns
    assert t.transcript.startswith("knitting-cafe — week 2") and str(t) == t.transcript
    assert json.loads(t.json)[0]["event"] == "week-start"
    other = dugnad.trace(KNITTING, week=2, replicate=1)
    assert other.transcript != t.transcript


def test_params_lists_every_model_parameter():
    p = dugnad.params()
    assert {"name", "mechanism", "default", "min", "max", "meaning"} <= set(p.columns)
    assert p.name.is_unique and len(p) > 20
    assert ((p["min"] <= p["default"]) & (p["default"] <= p["max"])).all()


def test_a_scenario_from_text_runs_like_its_file():
    text = KNITTING.read_text()
    a = dugnad.run(dugnad.Scenario.from_toml(text, name="notebook"), **SMALL)
    b = dugnad.run(KNITTING, **SMALL)
    assert a.csv("timeseries") == b.csv("timeseries")
    assert a.manifest["scenario_file"] == "notebook"


def test_paths_may_be_str_or_pathlike():
    rel = os.path.relpath(KNITTING, Path.cwd())
    assert dugnad.run(rel, **SMALL).csv("final") == dugnad.run(KNITTING, **SMALL).csv("final")
    with pytest.raises(TypeError, match="Scenario or the path"):
        dugnad.run(42)


def test_missing_values_are_nan_and_text_stays_text():
    r = dugnad.run(REPO / "scenarios" / "focus-group.toml", **SMALL)
    ts = r.timeseries
    assert ts["mean"].isna().any(), "an undefined indicator (NA) is NaN"
    assert pd.api.types.is_string_dtype(ts.indicator) or ts.indicator.dtype == object
