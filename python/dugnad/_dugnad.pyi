"""Type stubs of the native module ``dugnad._dugnad`` (re-exported by ``dugnad``).

Every table is a pandas DataFrame parsed from exactly the bytes the ``dugnad`` command line
writes for the same scenario and seed; ``NA`` (an undefined value) is NaN.
"""

import os
from typing import Any, Literal, Mapping, Optional, Sequence, Union

import pandas as pd

__version__: str

#: A scenario: a :class:`Scenario`, or the path of a scenario file.
ScenarioLike = Union["Scenario", str, os.PathLike[str]]
#: Values to set by dotted path, e.g. ``{"activity.co_design": 0.6}``, or ``--set`` strings.
Overrides = Union[Mapping[str, Any], Sequence[str], str]
#: Which per-replicate value an experiment summarizes.
Scope = Literal["final_week", "run_mean"]

class ScenarioError(ValueError):
    """A scenario that cannot be used: a malformed file, an unknown key, a value out of range, a
    missing file, a ``set`` path that does not exist. ``str(e)`` is the command line's message;
    ``.file``, ``.line``, ``.key``, ``.kind`` and ``.message`` say where and what."""

    #: The scenario file (or the name given to ``Scenario.from_toml``).
    file: str
    #: The 1-based line, or None when unknown (a value given by ``set``).
    line: Optional[int]
    #: The dotted key path, '' when the error concerns the whole file.
    key: str
    #: io, syntax, unknown-key, wrong-type, out-of-range, missing, empty-population, bad-override.
    kind: str
    #: What is wrong and how to fix it, without the location.
    message: str

class UsageError(ValueError):
    """A request dugnad refuses (a bad sweep axis, an unknown indicator, too many threads, a
    folder it may not replace), with the command line's message saying what to do."""

class DugnadError(RuntimeError):
    """Anything else that went wrong (a full disk, a result folder that cannot be read)."""

class Scenario:
    """A checked scenario: the text of a scenario file (or of a string), the name it goes by in
    messages, and the values set on it by dotted path."""

    @staticmethod
    def load(path: Union[str, os.PathLike[str]]) -> Scenario:
        """Reads and checks a scenario file, e.g. ``Scenario.load("scenarios/knitting-cafe.toml")``.
        Raises :class:`ScenarioError` naming the file, line and key of what is wrong."""
    @staticmethod
    def from_toml(text: str, name: str = "<string>") -> Scenario:
        """Checks scenario text; ``name`` is what messages and manifests call it."""
    def set(self, key: str, value: Any) -> Scenario:
        """Sets ``key`` (a dotted path as ``--set`` takes it: ``activity.co_design``,
        ``population.newcomers.language``, ``parameters.alpha1``, ...) to ``value`` (bool, int,
        float, str, list, or dict such as ``{"beta": [2, 5]}``) in this scenario and returns it,
        so calls chain. Raises :class:`ScenarioError`, leaving the scenario as it was, when the
        path does not exist or the value is not allowed."""
    def copy(self) -> Scenario:
        """An independent copy (``set`` on it leaves this one alone)."""
    def to_toml(self) -> str:
        """The scenario fully resolved, every default filled in, as TOML (``dugnad check``)."""
    @property
    def name(self) -> str:
        """``scenario.name``."""
    @property
    def origin(self) -> str:
        """The file it was read from, or the name given to ``from_toml``."""
    @property
    def text(self) -> str:
        """The text as read, before any value was set."""
    @property
    def overrides(self) -> list[str]:
        """The values set, as ``KEY=VALUE``, in the order set."""
    @property
    def replicates(self) -> int:
        """``scenario.replicates``."""
    @property
    def weeks(self) -> int:
        """``scenario.weeks``."""
    @property
    def seed(self) -> int:
        """``scenario.seed``."""

class _Tables:
    """What every result has: its table files as written, their DataFrames, its manifest."""

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the result, by name."""
    @property
    def files(self) -> list[str]:
        """The table files, in the order the CLI writes them."""
    @property
    def manifest(self) -> dict[str, Any]:
        """What ``manifest.json`` says: version, call, seed, overrides, resolved scenario."""
    def csv(self, name: str) -> bytes:
        """The exact bytes of a table file (``"timeseries"`` or ``"timeseries.csv"``)."""

class Result(_Tables):
    """The result of :func:`run`: the tables ``dugnad run`` writes."""

    @property
    def timeseries(self) -> pd.DataFrame:
        """``timeseries.csv``: per week and indicator, statistics across replicates (mean, sd,
        ci_low, ci_high, p05, p95, n)."""
    @property
    def summary(self) -> pd.DataFrame:
        """``summary.csv``: per scope (final_week, run_mean) and indicator, the statistics."""
    @property
    def final(self) -> pd.DataFrame:
        """``final.csv``: every replicate's indicators in the final week."""
    @property
    def replicates(self) -> Optional[pd.DataFrame]:
        """``replicates.csv`` (with ``keep_replicates=True``), else None."""
    @property
    def groups(self) -> Optional[pd.DataFrame]:
        """``groups.csv`` (with ``per_group=True``), else None."""
    @property
    def agents(self) -> Optional[pd.DataFrame]:
        """``agents.csv`` (with ``agents=True``), else None."""
    @property
    def ties(self) -> Optional[pd.DataFrame]:
        """``ties.csv`` (with ``agents=True``), else None."""
    def save(
        self, dir: Union[str, os.PathLike[str]], *, force: bool = False, charts: bool = True
    ) -> str:
        """Writes the folder ``dugnad run`` writes (tables, manifest.json, and with ``charts``
        the charts and report.html); returns its path. An existing folder is replaced only with
        ``force=True``, and only when dugnad wrote it."""

class Comparison(_Tables):
    """The result of :func:`compare`."""

    @property
    def comparison(self) -> pd.DataFrame:
        """``comparison.csv``: per design and indicator, the design's mean and CI and its paired
        difference to the baseline (diff, diff_ci_low, diff_ci_high), Cohen's d_z, pairs n."""
    @property
    def names(self) -> list[str]:
        """The designs' names, in order."""
    @property
    def baseline(self) -> str:
        """The baseline design's name."""
    @property
    def replicates(self) -> int:
        """Replicates per design."""
    @property
    def adaptive(self) -> Optional[str]:
        """How adaptive replication ended, in one sentence (None without ``target_ci``)."""
    def save(
        self, dir: Union[str, os.PathLike[str]], *, force: bool = False, charts: bool = True
    ) -> str:
        """Writes the folder ``dugnad compare`` writes (comparison.csv, manifest.json, and with
        ``charts`` the forest plot and report.html); returns its path."""

class Sweep(_Tables):
    """The result of :func:`sweep`."""

    @property
    def sweep(self) -> Optional[pd.DataFrame]:
        """``sweep.csv``: per cell, the swept values and each indicator's mean, sd, ci_low,
        ci_high and n (None until every cell is done, e.g. for one shard)."""
    @property
    def replicates(self) -> Optional[pd.DataFrame]:
        """``sweep-replicates.csv`` (with ``keep_replicates=True``), else None."""
    @property
    def complete(self) -> bool:
        """Whether every cell is done."""
    @property
    def folder(self) -> Optional[str]:
        """The sweep folder when ``out`` named one (None: it was temporary)."""
    def save(self, dir: Union[str, os.PathLike[str]], *, force: bool = False) -> str:
        """Copies the sweep folder (sweep.json, cells/, tables, charts when drawn,
        manifest.json) to ``dir``; returns its path."""

class Sensitivity(_Tables):
    """The result of :func:`sensitivity`."""

    @property
    def sensitivity(self) -> Optional[pd.DataFrame]:
        """``sensitivity.csv``: per factor, indicator and statistic (mu_star, sigma, ... or S1,
        ST), the estimate and its CI."""
    @property
    def noise(self) -> Optional[pd.DataFrame]:
        """``noise.csv``: per indicator, the share of variance that is replicate noise."""
    @property
    def points(self) -> Optional[pd.DataFrame]:
        """``points.csv``: per design point, the factor values and the outputs."""
    @property
    def ranking(self) -> list[str]:
        """Which factors matter most for each indicator, in words."""
    @property
    def warnings(self) -> list[str]:
        """The analysis' warnings."""
    @property
    def complete(self) -> bool:
        """Whether every point is done (and so analysed)."""
    @property
    def folder(self) -> Optional[str]:
        """The analysis folder when ``out`` named one (None: it was temporary)."""
    def save(self, dir: Union[str, os.PathLike[str]], *, force: bool = False) -> str:
        """Copies the analysis folder to ``dir``; returns its path."""

class Trace:
    """The result of :func:`trace`: one week of one group."""

    @property
    def events(self) -> pd.DataFrame:
        """One row per engine event: week, phase (start, meeting, end), meeting, turn, event,
        then the event's fields; persons as ``<field>.name``, ``.role``, ``.slot``, ``.label``."""
    @property
    def transcript(self) -> str:
        """The week as a readable transcript (what ``dugnad trace`` prints)."""
    @property
    def json(self) -> str:
        """The events as JSON text (what ``dugnad trace --format json`` prints)."""

def run(
    scenario: ScenarioLike,
    *,
    replicates: Optional[int] = None,
    weeks: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    set: Optional[Overrides] = None,
    agents: bool = False,
    per_group: bool = False,
    keep_replicates: bool = False,
) -> Result:
    """Runs a scenario's replicates on all cores (``threads``; results never depend on it) with
    the GIL released, as ``dugnad run`` does. ``replicates``, ``weeks`` and ``seed`` override the
    scenario's; ``set`` sets values by dotted path after the scenario's own. ``per_group`` adds
    ``groups``, ``keep_replicates`` adds ``replicates``, ``agents`` adds ``agents`` and ``ties``
    (persons and ties in the final week)."""

def compare(
    *scenarios: ScenarioLike,
    variants: Optional[Union[Mapping[str, Overrides], Sequence[str]]] = None,
    baseline: Optional[str] = None,
    scope: Scope = "final_week",
    target_ci: Optional[float] = None,
    indicator: Optional[str] = None,
    max_replicates: int = 10_000,
    batch: int = 20,
    replicates: Optional[int] = None,
    weeks: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    set: Optional[Overrides] = None,
) -> Comparison:
    """Compares designs on common random numbers, as ``dugnad compare`` does: the scenarios,
    then ``variants`` of the first (``{"name": {"activity.co_design": 0.7}}``), all on the first
    one's seed, replicates and weeks. ``baseline`` names the design the others are compared with
    (default: the first). With ``target_ci`` and ``indicator``, adds ``batch`` replicates until
    every paired difference's 95 % CI half-width is below ``target_ci``."""

def sweep(
    scenario: ScenarioLike,
    *,
    vary: Optional[Union[Mapping[str, Union[Sequence[Any], str]], Sequence[str]]] = None,
    sample: Optional[str] = None,
    range: Optional[Union[Mapping[str, tuple[float, float]], Sequence[str]]] = None,
    scope: Scope = "final_week",
    keep_replicates: bool = False,
    shard: Optional[str] = None,
    out: Optional[Union[str, os.PathLike[str]]] = None,
    force: bool = False,
    charts: Optional[bool] = None,
    replicates: Optional[int] = None,
    weeks: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    set: Optional[Overrides] = None,
) -> Sweep:
    """Sweeps dotted paths over a grid (``vary={"activity.co_design": [0.1, 0.5]}`` or
    ``"0:1:0.25"``; several make a full factorial) or a sample (``sample="lhs:16"`` or
    ``"sobol:16"`` of the ``range={key: (lo, hi)}`` box), as ``dugnad sweep`` does. Cells are
    committed to ``out`` (resumable; charts drawn unless ``charts=False``) or to a temporary
    folder. ``shard="I/N"`` runs only every N-th cell."""

def sensitivity(
    scenario: ScenarioLike,
    *,
    method: Literal["morris", "sobol"] = "morris",
    range: Optional[Union[Mapping[str, tuple[float, float]], Sequence[str]]] = None,
    all_params: bool = False,
    trajectories: int = 10,
    levels: int = 4,
    samples: int = 64,
    indicators: Optional[Union[str, Sequence[str]]] = None,
    scope: Scope = "final_week",
    shard: Optional[str] = None,
    out: Optional[Union[str, os.PathLike[str]]] = None,
    force: bool = False,
    charts: Optional[bool] = None,
    replicates: Optional[int] = None,
    weeks: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    set: Optional[Overrides] = None,
) -> Sensitivity:
    """Global sensitivity analysis of the factors in ``range`` (and every model parameter with
    ``all_params``) on ``indicators``, as ``dugnad sensitivity`` does: Morris elementary effects
    (``trajectories`` × (k + 1) points on a ``levels`` grid) or Sobol indices (``samples`` ×
    (k + 2) points)."""

def trace(
    scenario: ScenarioLike,
    *,
    replicate: int = 0,
    week: int = 1,
    group: Optional[Union[int, str]] = None,
    weeks: Optional[int] = None,
    seed: Optional[int] = None,
    set: Optional[Overrides] = None,
) -> Trace:
    """One week of one group as events and a transcript, as ``dugnad trace`` shows it: the week
    ``dugnad run`` simulates for that replicate and group. ``group`` is an index over all groups
    or ``"KEY:INDEX"`` for a keyed design."""

def params() -> pd.DataFrame:
    """Every model parameter: name, mechanism, default, min, max, plausible range, meaning
    (what ``dugnad params`` prints)."""
