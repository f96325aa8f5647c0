# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Does co-design give the newcomers a voice?
#
# Two designs of the same knitting café (Stein 2022): the café as it is — volunteers provide,
# participants receive — and a co-designed café where participants share in setting the agenda
# and a turn-taking norm keeps people from speaking for others. Both run on the same seed, so
# replicate *r* of each design meets the same people and the same chances (common random
# numbers), and the difference between the designs is measured against little noise.
#
# Run it as a script (`python examples/notebook.py`) or open it in Jupyter with Jupytext. It
# needs `pip install ./python matplotlib seaborn statsmodels`. Figures go to
# `$DUGNAD_EXAMPLE_OUT` (default `output/notebook/`).

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed: figures are written as PNG

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
import statsmodels.formula.api as smf

import dugnad

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd() / "examples"
ROOT = HERE.parent
OUT = Path(os.environ.get("DUGNAD_EXAMPLE_OUT", ROOT / "output" / "notebook"))
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Two designs
# A scenario is a file edited by the dotted paths of `dugnad run --set`.

# %%
service = dugnad.Scenario.load(ROOT / "scenarios" / "knitting-cafe.toml")
codesign = (
    service.copy()
    .set("scenario.name", "co-designed")
    .set("activity.co_design", 0.7)
    .set("activity.facilitation", 0.5)
)
designs = {"service frame": service, "co-designed": codesign}
runs = {name: dugnad.run(s, replicates=40, weeks=52, seed=2019) for name, s in designs.items()}
runs["co-designed"].summary.head()

# %% [markdown]
# ## The newcomers' voice parity, week by week
# Voice parity is the participants' share of speaking turns relative to their share of those
# present (1 = speaking as often as their numbers). Where the results have a `lens` column the
# newcomers' lens is taken; otherwise the participants' figure, which is the newcomers' in this
# café (every participant is a newcomer).


def newcomers(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows about the newcomers: their lens where results have lenses."""
    return frame[frame["lens"] == "newcomers"] if "lens" in frame.columns else frame


# %%
weekly = pd.concat(
    newcomers(r.timeseries).assign(design=name) for name, r in runs.items()
)
parity = weekly[weekly.indicator == "voice_parity"]

palette = dict(zip(designs, sns.color_palette(n_colors=len(designs))))
fig, ax = plt.subplots(figsize=(8, 4.5))
sns.lineplot(data=parity, x="week", y="mean", hue="design", palette=palette, ax=ax)
for name, rows in parity.groupby("design"):
    ax.fill_between(rows.week, rows.ci_low, rows.ci_high, color=palette[name], alpha=0.2)
ax.axhline(1.0, color="grey", linestyle=":", linewidth=1)
ax.set(
    title="Newcomers' voice parity (mean of 40 replicates, 95 % CI)",
    xlabel="week",
    ylabel="voice parity (1 = speaking as often as their numbers)",
)
fig.tight_layout()
figure = OUT / "voice-parity.png"
fig.savefig(figure, dpi=120)
print(f"wrote {figure}")

# %% [markdown]
# ## How large is the difference? A regression on the final week
# One row per replicate and design. The first model ignores that the designs share their random
# numbers; the second adds a replicate effect, which is the paired comparison common random
# numbers make possible: the same estimate, a smaller standard error.


def final_voice_parity(r: dugnad.Result) -> pd.DataFrame:
    """Each replicate's newcomers' voice parity in the final week."""
    f = r.final
    if "lens" in f.columns:  # long form: replicate, indicator, lens, value
        f = newcomers(f[f.indicator == "voice_parity"]).rename(columns={"value": "voice_parity"})
    return f[["replicate", "voice_parity"]]


# %%
data = pd.concat(
    final_voice_parity(r).assign(design=name) for name, r in runs.items()
).dropna()
data["codesign"] = (data.design == "co-designed").astype(int)

unpaired = smf.ols("voice_parity ~ codesign", data=data).fit()
paired = smf.ols("voice_parity ~ codesign + C(replicate)", data=data).fit()
for label, model in [("unpaired", unpaired), ("paired by replicate", paired)]:
    low, high = model.conf_int().loc["codesign"]
    print(
        f"{label:>20}: co-design changes the newcomers' final-week voice parity by "
        f"{model.params['codesign']:+.3f} (95 % CI {low:+.3f} to {high:+.3f}, "
        f"SE {model.bse['codesign']:.4f}, n = {int(model.nobs)})"
    )

# %% [markdown]
# The same comparison, computed by dugnad itself (`dugnad compare`), for reference:

# %%
comparison = dugnad.compare(service, codesign, replicates=40, weeks=52, seed=2019).comparison
print(
    newcomers(comparison)
    .query("indicator == 'voice_parity' and design == 'co-designed'")
    [["design", "baseline", "diff", "diff_ci_low", "diff_ci_high", "effect_size", "n"]]
    .to_string(index=False)
)

# %%
assert figure.stat().st_size > 10_000, "the figure was written"
assert abs(paired.params["codesign"] - unpaired.params["codesign"]) < 1e-9
assert paired.bse["codesign"] <= unpaired.bse["codesign"]
