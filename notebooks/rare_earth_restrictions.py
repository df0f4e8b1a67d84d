# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # China's rare-earth and critical-mineral controls: what was shipped, what it cost, what was published
#
# The controls: gallium, germanium and antimony banned for the US from 2024-12-03; seven medium and heavy
# rare earths and the magnets containing them licensed from 2025-04-04; a widening on 2025-10-09, suspended
# for a year from 2025-11-10. This report follows what China actually shipped against what it shipped before,
# what reached US users after third countries and stocks, what the shortfall cost in a production network of
# the US economy (an open economy: the input is imported, at a price that rises), how the shipments compare
# with what was agreed at Geneva and London, and how the model compares with the published estimates when
# run under each study's own scenario. Every model is in `econ.models`; every number not from the data is a
# row of a sourced table, listed at the end.

# %% tags=["parameters"]
dataset: str = "demo"
base_year: int = 2024
start: str = "2024-11"
end: str = "2025-12"
inventory_weeks: float = 4.0
restriction: float = 0.9
hypothesis_start: str = "2025-04-04"
rerouting: float = 0.0
agreed_share: float = 1.0

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from econ import panel, plots
from econ.models.rare_earths import compliance, economy, facts, inputs, literature, losses, network, shock
from econ.reports import headline

plots.use_house_style()
display(Markdown(panel.dataset_note(dataset)))
imports = panel.load(
    "imports", dataset, columns=["hs10", "partner", "partner_name", "month", "value", "quantity"]
)
minerals = panel.load("minerals", dataset)
io_tables = panel.io_tables(dataset)
period = shock.months(start, end)
sigmas = losses.sigma_grid()

# %% [markdown]
# ## The inputs
# US imports in the HTS lines under each control (the `restricted_lines` table: only the controlled elements
# count — lanthanum, cerium and ferrite magnets do not), by group, in the base year, from the imports panel;
# USGS's net import reliance and China's share of world output from the minerals panel.

# %%
restricted = inputs.restricted_imports(imports, year=base_year)
composition = inputs.composition(restricted)
mineral_facts = inputs.mineral_facts(minerals)
display(
    (
        composition.assign(value=composition["value"] / 1e6, china_value=composition["china_value"] / 1e6)
    ).round(3)
)
largest = composition.index[0]
display(
    Markdown(
        f"**{largest.capitalize()} are {composition['share_of_restricted'].iloc[0]:.0%} of the restricted "
        f"value** (${composition['value'].sum() / 1e6:,.0f} million in {base_year}), so what happens to "
        f"{largest} decides most of what follows; China supplied {composition['china_share'].iloc[0]:.0%} "
        "of them."
    )
)
mineral_facts

# %% [markdown]
# The same imports beside the published 2024 figures (`us_imports_2024`): a ratio far from one means the
# dataset's restricted lines are not the published ones (on the demo world: synthetic data).

# %%
inputs.check_against_published(restricted).round(3)

# %% [markdown]
# ## The economies the shortfall runs through
# One economy per critical input, each on the input-output tables printed below. The critical input's payments
# over GDP are Hulten's multiplier; they equal the restricted use over GDP by construction.

# %%
economies = economy.build_economies(
    restricted, minerals, use=io_tables.use, make=io_tables.make, imports=io_tables.imports
)
print(io_tables.source)
summary = pd.DataFrame(
    {
        name: {
            "critical input, $ million": e.calibrated.critical_usd,
            "GDP, $ million": e.calibrated.gdp_usd,
            "restricted use / GDP": e.calibrated.critical_usd / e.calibrated.gdp_usd,
            "Hulten multiplier λ_R": e.calibrated.critical_share_of_gdp,
            "imported share of supply": e.calibrated.network.import_share,
        }
        for name, e in economies.items()
    }
)
display(summary)
missing = sorted(set(economy.ECONOMIES) - set(economies))
if missing:
    display(Markdown(f"No imports of {', '.join(missing)} in the dataset: those economies are not run."))
rare = economies["rare_earths"]
rare.calibrated.lines

# %% [markdown]
# ## Exposure by industry
# Direct requirement: the restricted input per dollar of output. Total requirement: per dollar delivered to
# final users, counting what suppliers use. The line share is the part of the industry that needs the input
# (motors and generators within electrical equipment …): only that line is limited by the input.

# %%
exposure = network.exposure(rare.calibrated, io_tables.use)
display(exposure.head(10))
ax = (exposure["total_requirement"].head(10) * 1e6).plot.barh(figsize=(7, 4))
ax.invert_yaxis()
ax.set_xlabel(r"restricted rare-earth inputs per \$1 million of final demand (\$)")
ax.set_title("Exposure to rare earths and magnets, direct and through suppliers")
plots.label_synthetic(ax.figure, dataset)
plt.tight_layout()

# %% [markdown]
# ## The shock path, from what was shipped
# China's magnet exports (its customs figures, `magnet_exports`) over the pre-control baseline, to the US and
# to the world; the other groups from the imports panel. Other partners' imports above their base level are
# rerouting, measured where the panel has the months. Users draw stocks (`inventory_weeks` of normal use) and
# rebuild them when shipments recover; the shortfall is what stocks do not cover. The dashed line is a
# **hypothesis** — `restriction` of China's supply withheld from `hypothesis_start` — not an observation.

# %%
monthly = inputs.monthly_by_partner(imports)
paths = {
    name: economy.observed_paths(e, monthly, period, base_year=base_year, inventory_weeks=inventory_weeks)
    for name, e in economies.items()
}
observed = {name: shock.composite_shortfall(p, economies[name].weights) for name, p in paths.items()}
to_us = shock.china_index(period)
to_world = shock.china_index(period, destination="world")
hypothesis = shock.hypothetical_path(
    period,
    restriction=restriction,
    start=hypothesis_start,
    china_share=rare.china_share,
    import_share=rare.import_share,
    rerouting=rerouting,
    inventory_weeks=inventory_weeks,
    restock_speed=facts.parameter("restock_speed"),
)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
top.plot(to_us.index, to_us["index"], marker="o", label="China's magnet exports to the US / baseline")
top.plot(to_world.index, to_world["index"], marker="s", label="… to the world / baseline")
if "magnets" in paths["rare_earths"]:
    top.plot(
        period,
        paths["rare_earths"]["magnets"]["other_index"],
        marker=".",
        label="US magnet imports from others",
    )
top.axhline(1.0, color="grey", linewidth=0.8)
top.set_ylabel("index, baseline = 1")
top.legend(fontsize=8)
for name, series in observed.items():
    bottom.plot(series.index, series, marker="o", label=f"observed shortfall: {name.replace('_', ' ')}")
bottom.plot(hypothesis.index, hypothesis["shortfall"], "k--", label=f"hypothesis: {restriction:.0%} withheld")
bottom.set_ylabel("share of normal use missing")
bottom.legend(fontsize=8)
for _, event in shock.control_events().iterrows():
    if period[0] <= event["date"] <= period[-1] + pd.offsets.MonthEnd(0):
        for axis in (top, bottom):
            axis.axvline(event["date"], color="grey", linestyle=":", linewidth=0.8)
        top.annotate(f"{event['date']:%Y-%m-%d} {event['kind']}", (event["date"], top.get_ylim()[1]),
                     rotation=90, fontsize=6, va="top", ha="right")  # fmt: skip
plots.label_synthetic(fig, dataset)
plt.tight_layout()
paths["rare_earths"]["magnets"].round(3) if "magnets" in paths["rare_earths"] else None

# %% [markdown]
# Prices of dysprosium and terbium oxide outside China against their 2024 level, and the elasticity at which
# the model's price of the critical input rises as much at the observed peak shortfall with no stocks (the
# European quotes are thin: an indication, not a measurement).

# %%
prices = shock.price_index(minerals)
peak_supply = (
    float(paths["rare_earths"]["magnets"]["supply"].min()) if "magnets" in paths["rare_earths"] else 1.0
)
europe = prices[prices["market"].str.startswith("Europe")]
europe = europe.assign(
    sigma_matching_price=[
        losses.price_sigma(rare.solver, shortfall=1.0 - peak_supply, price_ratio=r) for r in europe["ratio"]
    ]
)
display(prices[["product", "market", "period", "low", "high", "ratio", "status", "base_basis"]].round(2))
europe[["product", "ratio", "sigma_matching_price"]].round(3)

# %% [markdown]
# ## What the shortfall cost, across elasticities of substitution
# Real GDP lost over the period, month by month at that month's shortfall, across the elasticity grid (short
# run 0.01–0.1, long run 0.5–1), beside Hulten's first order (as if the input were a domestic factor) and
# real income (GDP less the terms-of-trade loss on what still arrives at a higher price).

# %%
costs = {}
for name, e in economies.items():
    frame = losses.loss_path(e.solver, observed[name], sigmas=sigmas)
    costs[name] = frame.groupby("sigma")[["gdp_loss", "income_loss", "hulten_loss"]].sum() / 1e3  # $ billion
observed_cost = pd.concat(costs, names=["economy"])
hypothesis_cost = (
    losses.loss_path(rare.solver, hypothesis["shortfall"], sigmas=sigmas)
    .groupby("sigma")[["gdp_loss", "hulten_loss"]]
    .sum()
    / 1e3
)
display(observed_cost.round(3))
fig, ax = plt.subplots(figsize=(7, 4))
for name, frame in costs.items():
    ax.plot(frame.index, frame["gdp_loss"], marker="o", label=f"observed path, {name.replace('_', ' ')}")
ax.plot(
    hypothesis_cost.index, hypothesis_cost["gdp_loss"], "k--", marker="x", label="hypothesis (rare earths)"
)
ax.plot(
    costs["rare_earths"].index,
    costs["rare_earths"]["hulten_loss"],
    color="grey",
    linestyle=":",
    label="Hulten, first order",
)
ax.set_xscale("log")
ax.set_yscale("symlog", linthresh=0.01)
ax.set_ylim(bottom=0)
ax.set_xlabel("elasticity of substitution σ")
ax.set_ylabel(rf"real GDP lost, {start} to {end}, \$ billion")
ax.legend(fontsize=8)
plots.label_synthetic(fig, dataset)
plt.tight_layout()

# %% [markdown]
# ## Which industries lose output (peak observed rare-earth shortfall, σ = 0.05)

# %%
peak = float(observed["rare_earths"].max())
losses.industry_losses(
    rare.solver, shortfall=peak, sigma=0.05, value_added=io_tables.use.value_added.sum()
).head(10)

# %% [markdown]
# ## Compliance: China's magnet shipments to the US against what was agreed
# The Geneva statement commits China to "suspend or cancel the non-tariff countermeasures against the United
# States from April 2, 2025"; London and Busan added no quantity. **The agreed level is therefore an
# assumption**: `agreed_share` × the pre-control flow. The shipments and baseline are the shock path's, so the
# two sections agree (checked below).

# %%
tracker = compliance.compliance(period, agreed_share=agreed_share)
same = tracker["share_of_baseline"].dropna().sub(to_us["index"].reindex(tracker.index).dropna()).abs().max()
print(f"largest gap between compliance and the shock path's China index: {same:.1e}")
ax = tracker.plot(y=["tonnes", "baseline", "agreed"], marker="o", figsize=(7, 3.5))
ax.set_ylabel("tonnes per month")
plt.tight_layout()  # China's customs figures (press), not the demo world: no synthetic label
tracker[["tonnes", "baseline", "agreed", "share_of_agreed", "commitment", "status"]].round(3)

# %% [markdown]
# ## The published estimates, each under its own scenario
# Each study's cut, goods, horizon and elasticities as it states them (`studies`), run through the same
# networks with stocks drawn first; ours over the elasticities of the study's horizon, the elasticity at
# which ours equals theirs, and why they differ.

# %%
reconciliation = literature.reconcile(economies, inventory_weeks=inventory_weeks)
columns = ["study", "measure", "theirs_low", "theirs_central", "theirs_high", "ours_low", "ours_mid"]
display(reconciliation[[*columns, "ours_high", "implied_sigma", "position"]].round(3))
display(
    Markdown("\n".join(f"* **{r.study}** — {r.scenario}: {r.reason}" for r in reconciliation.itertuples()))
)

# %% [markdown]
# ## The numbers this report stands on
# Every row of the package tables: published figures, figures derived from them, figures still to check, and
# the model's own assumptions.

# %%
pd.set_option("display.max_colwidth", 200)
facts.shown()

# %%
short = losses.short_run(sigmas)
figures = headline(
    restricted_value_musd=float(composition["value"].sum() / 1e6),
    largest_group=str(largest),
    largest_group_share=float(composition["share_of_restricted"].iloc[0]),
    critical_share_of_gdp=float(rare.calibrated.critical_share_of_gdp),
    peak_shortfall=peak,
    loss_bn_sigma_0_05=float(costs["rare_earths"].loc[min(short, key=lambda s: abs(s - 0.05)), "gdp_loss"]),
    loss_bn_sigma_0_5=float(costs["rare_earths"].loc[min(sigmas, key=lambda s: abs(s - 0.5)), "gdp_loss"]),
    hulten_loss_bn=float(costs["rare_earths"]["hulten_loss"].iloc[0]),
    magnet_shipments_share_of_agreed_latest=float(tracker["share_of_agreed"].dropna().iloc[-1]),
    io_tables_embedded=io_tables.embedded,
)
