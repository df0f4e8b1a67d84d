# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Who paid the tariffs? Pass-through, import demand, the Geneva cut and trade diversion
#
# Estimates on the monthly HS10 × partner import panel, with high-dimensional fixed effects absorbed
# (`econ.estimate`): the pass-through of tariffs into duty-inclusive and duty-exclusive unit values, the
# elasticity of import demand, event studies around China's 2018–19 tariff waves, the effect of the
# Geneva cut of May 2025 (plain two-way fixed effects beside Sun–Abraham), and diversion to third
# countries. Each estimate is shown beside the published figures (FACTS §5) and, on the demo world,
# beside the true values the world was written with.

# %% tags=["parameters"]
dataset: str = "demo"
horizon: int = 12
cluster: str = "product_id"
event_pre: int = -6
event_post: int = 12
threshold: float = 0.05

# %%
import warnings

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from econ import panel, plots
from econ.estimate import (
    did_tariff_cut,
    event_study,
    import_demand,
    passthrough,
    plot_event_study,
    stack,
    trade_diversion,
)
from econ.reports import headline

plots.use_house_style()
# The estimators warn about every row they drop (missing or zero flows, singletons); the counts are in
# the `nobs` column of each table, so the warnings are not repeated here.
warnings.filterwarnings("ignore", category=UserWarning, module="econ.estimate")
imports = panel.load("imports", dataset)
truth: dict[str, float] = {}
if dataset == "demo":
    truth = panel.truth(dataset)["parameters"]
    display(
        Markdown(
            "**These data are the synthetic demo world written by `econ demo`, not real statistics.** "
            "The true parameters it was written with are shown beside every estimate."
        )
    )
first, last = imports["month"].min(), imports["month"].max()
print(f"{len(imports):,} HS10 × partner × month rows, {first:%Y-%m} to {last:%Y-%m}")

# %% [markdown]
# ## Pass-through and import demand
#
# Pass-through: Δ log p = β Δ log(1 + τ) + product × month + partner × month effects, over `horizon`-month
# differences within product × partner pairs (Amiti, Redding & Weinstein 2019; Fajgelbaum et al. 2020).
# Import demand: Δ log q on Δ log(duty-inclusive price), instrumented by Δ log(1 + τ), same effects.
# Standard errors clustered by `cluster`.

# %%
prices = passthrough(imports, horizon=horizon, cluster=cluster)
demand = import_demand(imports, horizon=horizon, cluster=cluster)
published = {
    "duty_inclusive": "≈ 1 in 2018–19 (Fajgelbaum et al.; ARW); 0.94–0.96 in 2025 (Gopinath & Neiman)",
    "duty_exclusive": "≈ 0 in 2018–19 (exporters did not cut prices)",
    "quantity": "σ ≈ 2.5 between varieties (Fajgelbaum et al.): coefficient ≈ −2.5",
    "value": "1 − σ − 1/ρ ≈ −2.5 with σ ≈ 2.5 and complete pass-through",
}
true_values = {
    "duty_inclusive": truth.get("passthrough"),
    "duty_exclusive": truth["passthrough"] - 1 if truth else None,
    "quantity": -truth["import_elasticity"] if truth else None,
    "value": 1 - truth["import_elasticity"] - 1 / truth["passthrough"] if truth else None,
}
table = stack({**prices, "quantity": demand["quantity"], "value": demand["value"]})
table = table[["model", "term", "estimate", "std_error", "ci_low", "ci_high", "nobs"]]
table["published"] = table["model"].map(published)
if truth:
    table["true value (demo)"] = table["model"].map(true_values)
table.round(3)

# %% [markdown]
# ## Event studies around China's 2018–19 tariff waves
#
# Leads and lags of log values, quantities and duty-inclusive unit values around each China pair's first
# tariff increase of at least `threshold` (log points) before 2020, against other partners of the same
# product in the same month; end points binned, month −1 the reference.

# %%
window = (event_pre, event_post)
waves = {"event_partners": ["5700"], "until": 2019 * 12 + 11, "threshold": threshold, "window": window}
studies = {
    "duty-inclusive unit value": event_study(imports, outcome="unit_value_incl_duty", **waves),
    "quantity": event_study(imports, outcome="quantity", **waves),
    "value": event_study(imports, outcome="value", **waves),
}
figure, axes = plt.subplots(1, 2, figsize=(11, 4))
plot_event_study(
    {"duty-inclusive unit value": studies["duty-inclusive unit value"]}, ax=axes[0], title="Prices"
)
plot_event_study({k: studies[k] for k in ("quantity", "value")}, ax=axes[1], title="Quantities and values")
plots.label_synthetic(figure, dataset)
figure.tight_layout()

# %% [markdown]
# ## The Geneva cut (May 2025) on imports from China
#
# China's pairs whose tariff fell at Geneva against other partners in the same products. Two-way fixed
# effects compare with the average of the six months before; Sun–Abraham with April 2025, the month of
# the 125% peak, so the second measures the rebound from the peak.

# %%
geneva = did_tariff_cut(imports, outcome="value", cluster=cluster)
display(geneva.table.round(3))
figure, ax = plt.subplots(figsize=(8, 3.5))
p = geneva.profile
ax.errorbar(p["rel_time"], p["estimate"], yerr=1.96 * p["std_error"], fmt="o-", ms=3, capsize=2)
ax.axhline(0, color="grey", lw=0.8)
ax.set_xlabel("months relative to the cut")
ax.set_ylabel("log imports vs April 2025")
ax.set_title("Imports from China around the Geneva cut (Sun–Abraham)")
plots.label_synthetic(figure, dataset)

# %% [markdown]
# ## Trade diversion
#
# Third countries' imports of a product on China's tariff on the same product (log(1 + τ), partner ×
# month and product × partner effects, own tariff controlled).

# %%
diversion = trade_diversion(imports, cluster=cluster)
diversion.tidy()[["term", "estimate", "std_error", "ci_low", "ci_high", "nobs"]].round(3)

# %%
incl = prices["duty_inclusive"]
figures = headline(
    passthrough_duty_inclusive=float(incl.coef.iloc[0]),
    passthrough_duty_inclusive_se=float(incl.se.iloc[0]),
    import_elasticity=float(-demand["quantity"].coef.iloc[0]),
    import_elasticity_se=float(demand["quantity"].se.iloc[0]),
    geneva_att_sun_abraham=float(geneva.table.set_index("estimator").loc["sun_abraham", "estimate"]),
    geneva_twfe=float(geneva.table.set_index("estimator").loc["twfe", "estimate"]),
    diversion_elasticity=float(diversion.coef.iloc[0]),
    synthetic_data=dataset == "demo",
)

# %% [markdown]
# ## In plain words

# %%
share = float(incl.coef.iloc[0])
words = (
    f"A 10% tariff raised the duty-inclusive import price by {10 * incl.coef.iloc[0]:.1f}% "
    f"(95% interval {10 * incl.tidy()['ci_low'].iloc[0]:.1f}–{10 * incl.tidy()['ci_high'].iloc[0]:.1f}%): "
    f"{'nearly all' if share > 0.9 else 'most' if share > 0.6 else 'part'} of the tariff "
    f"was paid by US importers rather than by foreign exporters. Imports of a variety fell by "
    f"{-demand['quantity'].coef.iloc[0]:.1f}% for each 1% rise in its duty-inclusive price."
)
if dataset == "demo":
    words += (
        f" These are estimates on the synthetic demo world; its true pass-through is {truth['passthrough']}"
        f" and its true elasticity {truth['import_elasticity']}."
    )
display(Markdown(words))
