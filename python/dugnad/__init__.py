"""dugnad: an agent-based simulator of how volunteers and immigrant participants interact in
voluntary integration activities (knitting cafés, language cafés, community work), after Stein
(2022, Nordic Journal of Migration Research 12(1), doi 10.33134/njmr.436).

Run, compare, sweep and analyse scenarios from Python and get the command line's tables back as
pandas DataFrames, byte for byte the numbers ``dugnad run`` writes for the same scenario and seed::

    import dugnad
    r = dugnad.run("scenarios/knitting-cafe.toml", replicates=4, weeks=5)
    r.summary.head()

Scenarios are files or text (:class:`Scenario`), edited by the dotted paths ``--set`` takes.
Simulations release the GIL and use every core; Ctrl-C stops them with KeyboardInterrupt. Bad input raises :class:`ScenarioError` with the
file, line and key; other refusals raise :class:`UsageError`.
"""

from ._dugnad import (
    Comparison,
    DugnadError,
    Result,
    Scenario,
    ScenarioError,
    Sensitivity,
    Sweep,
    Trace,
    UsageError,
    __version__,
    compare,
    params,
    run,
    sensitivity,
    sweep,
    trace,
)

__all__ = [
    "Comparison",
    "DugnadError",
    "Result",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Sweep",
    "Trace",
    "UsageError",
    "__version__",
    "compare",
    "params",
    "run",
    "sensitivity",
    "sweep",
    "trace",
]
