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
# # The Geneva cut by US industry: prices, import volumes, diversion, revenue and the cost to buyers
#
# A partial-equilibrium comparison of two tariff schedules on the same base year of trade: the tariffs in
# force on `date` (after the accord of 2025-05-12 cut them by 115 points) against those of the scenario
# named below (by default `no_geneva`, the 145% on China kept). The base year's flows were observed under
# the base year's tariffs, so each schedule is solved from there and the effect is the difference.
# Pass-through and elasticities are parameters with standard errors; every headline figure carries a
# 5–95% interval from parameter draws. `passthrough` is a preset (`border` 1.0, `border_2025` 0.95,
# `retail` 0.2) or `estimated`: then pass-through and σ are estimated on this dataset's import panel, with
# their own standard errors. The same notebook renders any scenario of `econ.tariffs` (`rollback_2024`,
# `escalation`, …).

# %% tags=["parameters"]
dataset: str = "demo"
scenario: str = "no_geneva"
date: str = "2025-06-15"
base_year: int = 2024
passthrough: str = "border_2025"
passthrough_se: float = 0.02
sigma: float = 2.5
sigma_se: float = 0.4
eta: float = 1.5
eta_se: float = 0.4
draws: int = 200

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from econ import panel, plots
from econ.models import io, trade
from econ.reports import headline

plots.use_house_style()
display(Markdown(panel.dataset_note(dataset)))
imports = panel.load("imports", dataset)
if passthrough == "estimated":
    # Pass-through and σ from this dataset's own import panel, with their standard errors.
    estimates = trade.estimated_parameters(imports)
    passthrough, passthrough_se = estimates["passthrough"]
    sigma, sigma_se = estimates["sigma"]
    print(f"estimated pass-through {passthrough:.3f} (s.e. {passthrough_se:.3f})")
    print(f"estimated σ {sigma:.2f} (s.e. {sigma_se:.2f})")
schedule = panel.schedule(dataset)
# Industries through the concordances (econ.concord) when the dataset has them, else an approximate
# HS-chapter crosswalk to BEA summary industries.
industries = panel.load("industries", dataset) if "industries" in panel.available(dataset) else None
frame = trade.base_year_frame(
    imports[["hs10", "partner", "month", "value"]], year=base_year, industries=industries
)
# The base year's tariffs, on its middle day; the two schedules compared, on `date`.
in_base_year = frame.assign(date=pd.Timestamp(f"{base_year}-07-01"))
frame["base_rate"] = schedule.rates(in_base_year)["total"].to_numpy()
on_date = frame.assign(date=pd.Timestamp(date))
frame["in_force"] = schedule.rates(on_date)["total"].to_numpy()
frame["alternative"] = schedule.rates(on_date, scenario=scenario)["total"].to_numpy()
comparison = {
    "base_rate": "base_rate",
    "rate": "in_force",
    "alternative": "alternative",
    "passthrough": passthrough,
    "sigma": sigma,
    "eta": eta,
    "standard_errors": {"passthrough": passthrough_se, "sigma": sigma_se, "eta": eta_se},
    "draws": draws,
}
result = trade.compare(frame, by="bea", **comparison)

# %% [markdown]
# Base year: imports for consumption in the base year, by HS10 × partner, with each line's NAICS and BEA
# summary industry.

# %%
china = frame["partner"] == "5700"
print(f"{len(frame):,} product × partner lines; ${frame['value'].sum() / 1e9:,.1f} billion of imports")
weighted = frame[["base_rate", "alternative", "in_force"]].mul(frame["value"], axis=0).groupby(china).sum()
rates = weighted.div(frame["value"].groupby(china).sum(), axis=0)
rates.index = rates.index.map({False: "other partners", True: "China"})
rates.round(3)

# %% [markdown]
# ## Headline figures ($ billion a year, 5–95% interval)
# The tariffs in force on `date` minus the scenario's: a negative cost to buyers or deadweight loss means
# the schedule in force is cheaper for US buyers than the scenario would have been.

# %%
(result.totals / 1e9).round(1)

# %% [markdown]
# ## By industry ($ billion a year): BEA summary industries

# %%
by_industry = trade.industry_effects(result)
by_industry.head(12).round(2)

# %%
top = by_industry.head(12)
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.barh(top.index, top["cost_to_buyers_bn"], xerr=[top["cost_to_buyers_bn"] - top["cost_low_bn"],
        top["cost_high_bn"] - top["cost_to_buyers_bn"]])  # fmt: skip
ax.invert_yaxis()
ax.set_xlabel(r"change in the cost to buyers, \$ billion a year (negative: a saving)")
ax.set_title(f"The tariffs in force on {date} against {scenario}")
plots.label_synthetic(fig, dataset)
plt.tight_layout()

# %% [markdown]
# ## By NAICS industry ($ billion a year)
# The same comparison aggregated to 6-digit NAICS industries (when the dataset has the concordances).

# %%
if "naics" in frame.columns:
    by_naics = trade.industry_effects(trade.compare(frame, by="naics", **comparison))
    display(by_naics.head(15).round(2))

# %% [markdown]
# ## Diversion: imports by partner ($ billion a year)
# In the base year, under the scenario's tariffs, and under those in force.

# %%
partners = (
    pd.DataFrame(
        {
            "base_year": result.rows.groupby(frame["partner"].to_numpy())["base_value"].sum(),
            scenario: result.alternative_rows.groupby(frame["partner"].to_numpy())["new_value"].sum(),
            "in_force": result.rows.groupby(frame["partner"].to_numpy())["new_value"].sum(),
        }
    )
    / 1e9
)
partners["change_pct"] = 100 * (partners["in_force"] / partners[scenario] - 1)
partners.sort_values("base_year", ascending=False).head(10).round(1)

# %% [markdown]
# ## Prices paid by US industries and households
# The duty-inclusive import price changes, pooled by BEA commodity, pushed through the input-output table
# (cost-push model, constant dollar margins and constant percentage markups).

# %%
io_tables = panel.io_tables(dataset)
shock = trade.import_price_changes(result, frame, commodities=io_tables.use.commodities)
prices = {
    markup: io.cost_push(io_tables.use, io_tables.make, io_tables.imports, shock, markup=markup)
    for markup in ("constant_dollar", "constant_percentage")
}
print(io_tables.source)
pd.DataFrame({markup: effects.industry for markup, effects in prices.items()}).mul(100).round(2)

# %%
totals = result.totals / 1e9
figures = headline(
    scenario=scenario,
    date=date,
    passthrough=result.parameters.passthrough,
    sigma=result.parameters.sigma,
    cost_to_buyers_bn=float(totals.loc["cost_to_buyers", "central"]),
    cost_to_buyers_bn_low=float(totals.loc["cost_to_buyers", "low"]),
    cost_to_buyers_bn_high=float(totals.loc["cost_to_buyers", "high"]),
    revenue_change_bn=float(totals.loc["revenue_change", "central"]),
    deadweight_loss_bn=float(totals.loc["deadweight_loss", "central"]),
    imports_change_bn=float(totals.loc["new_value", "central"]),
    pce_price_change_pct=100 * prices["constant_dollar"].pce,
    pce_price_change_pct_percentage_markup=100 * prices["constant_percentage"].pce,
)
