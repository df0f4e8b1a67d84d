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
import logging

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from econ import formatting, names, panel, plots, tables
from econ.models.rare_earths import (
    choice,
    compliance,
    economy,
    facts,
    inputs,
    literature,
    losses,
    network,
    shock,
)
from econ.reports import Figure, headline, story, validation
from econ.reports import rare_earth_story as page

logging.captureWarnings(True)  # solver and reader notes go to the log, not the page
plots.use_house_style()
synthetic = panel.manifest(dataset).synthetic
have = panel.available(dataset)
imports = (
    panel.load("imports", dataset, columns=["hs10", "partner", "partner_name", "month", "value", "quantity"])
    if "imports" in have
    else None
)
world_trade = panel.load("world_trade", dataset) if "world_trade" in have else None
minerals = panel.load("minerals", dataset)
io_tables = panel.io_tables(dataset)
# The inputs in a fixed order — the HS10 imports panel, else Comtrade, else the package's sourced table —
# each with where it came from (econ.models.rare_earths.choice).
chosen = choice.choose_inputs(
    year=base_year,
    minerals=minerals,
    imports=imports,
    world_trade=world_trade,
    io_source=io_tables.source,
    io_industries=len(io_tables.use.industries),
)
restricted = chosen.restricted
composition = inputs.composition(restricted)
economies = economy.build_economies(
    restricted, minerals, use=io_tables.use, make=io_tables.make, imports=io_tables.imports
)
rare = economies["rare_earths"]
gdp = rare.calibrated.gdp_usd
period = shock.months(start, end)
window = f"{formatting.month(period[0])} to {formatting.month(period[-1])}"
sigmas = losses.sigma_grid()
paths = {
    name: economy.observed_paths(
        e, chosen.monthly, period, base_year=base_year, inventory_weeks=inventory_weeks
    )
    for name, e in economies.items()
}
observed = {name: shock.composite_shortfall(p, economies[name].weights) for name, p in paths.items()}
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
costs = {
    name: losses.loss_path(e.solver, observed[name], sigmas=sigmas)
    .groupby("sigma")[["gdp_loss", "income_loss", "hulten_loss"]]
    .sum()
    for name, e in economies.items()
}  # $ million over the period
hypothesis_cost = (
    losses.loss_path(rare.solver, hypothesis["shortfall"], sigmas=sigmas)
    .groupby("sigma")[["gdp_loss", "hulten_loss"]]
    .sum()
)
observed_loss = page.loss_figure(
    costs["rare_earths"]["gdp_loss"],
    gdp_usd=gdp,
    label="Real GDP lost on the observed rare-earth path",
    period=window,
)
bans = [name for name in costs if name != "rare_earths"]
bans_loss = page.loss_figure(
    sum(costs[name]["gdp_loss"] for name in bans),
    gdp_usd=gdp,
    label="Real GDP lost to the bans on gallium, germanium and antimony",
    period=window,
)
lead = page.lead_figures(
    composition,
    chosen=chosen,
    hypothesis_loss=hypothesis_cost["gdp_loss"],
    gdp_usd=gdp,
    base_year=base_year,
    restriction=restriction,
    hypothesis_start=hypothesis_start,
    period=window,
)
story(
    title=page.title(restriction=restriction, hypothesis_start=hypothesis_start),
    question=page.question(restriction=restriction),
    lead=lead,
    answer=page.answer(lead, observed=observed_loss, bans=bans_loss, bans_basis=page.bans_basis(paths)),
)

# %% [markdown]
# The controls: gallium, germanium and antimony banned for the US from 2024-12-03; seven medium and heavy
# rare earths and the magnets containing them licensed from 2025-04-04; a widening on 2025-10-09, suspended
# for a year from 2025-11-10. This page follows what China shipped against what it shipped before, what
# reached US users after third countries and stocks, what the shortfall cost in a production network of the
# US economy (the input is imported, at a price that rises), how the shipments compare with what was agreed
# at Geneva and London, and how the model compares with the published estimates under each study's own
# scenario. Every number not from the data is a row of a sourced table, listed at the end.
#
# ## Where the inputs come from
# The restricted imports come from the first source the dataset has: Census imports by HS10 line and
# partner, else UN Comtrade's US imports by HS code, else the package's sourced 2024 table — which is then
# an assumption of this page, marked as one below. USGS's net import reliance and China's shares come from
# the minerals panel; the economy from the input-output tables.

# %%
origins = chosen.origins.assign(
    source=chosen.origins["source"].map(lambda s: choice.SOURCE_WORDS.get(s, s)),
    assumption=chosen.origins["assumption"].map({True: "assumption", False: "data"}),
)
origins["input"] = origins["input"].map(page.origin_label)
display(
    tables.show(
        origins.set_index("input"),
        columns={
            "source": tables.Column("From", "text"),
            "detail": tables.Column("Which figure", "text"),
            "assumption": tables.Column("Data or assumption", "text"),
        },
        name="inputs",
        index_label="Input",
        caption="Each input and where it came from",
    )
)

# %% [markdown]
# ## The restricted imports
# US imports in the lines under each control (only the controlled elements count — lanthanum, cerium and
# ferrite magnets do not), by group, in the base year.

# %%
by_group = composition.rename(index=page.group_name)
by_group.index.name = "Group"
group_columns = {
    "value": tables.Column(f"US imports, {base_year}", "usd_mn"),
    "china_value": tables.Column("from China", "usd_mn"),
    "china_share": tables.Column("China's share", "percent", additive=False),
    "share_of_restricted": tables.Column("Share of the controlled value", "percent"),
}
display(
    tables.show(
        tables.with_total(by_group, group_columns),
        columns=group_columns,
        name="restricted_imports",
        caption=f"US imports in the controlled lines, {base_year}",
        note=f"From {choice.SOURCE_WORDS[chosen.imports_source]}."
        + (
            f" An assumption for {', '.join(page.group_name(g).lower() for g in chosen.assumed_groups)}."
            if chosen.assumed_groups
            else ""
        ),
    )
)
largest = composition.index[0]
display(
    Markdown(
        formatting.markdown_text(
            f"{page.group_name(largest)} are "
            f"{formatting.quantity(composition['share_of_restricted'].iloc[0], 'percent', decimals=0)} "
            f"of the controlled value ({formatting.quantity(composition['value'].sum(), 'usd')} in "
            f"{base_year}), "
            f"so what happens to them decides most of what follows; China supplied "
            f"{formatting.quantity(composition['china_share'].iloc[0], 'percent', decimals=0)} of them."
        )
    )
)
partners = restricted.groupby("partner_name")["value"].sum().sort_values(ascending=False).to_frame()
partners.index = [names.country(code) if code.isdigit() else code.title() if code.isupper() else code
                  for code in partners.index]  # fmt: skip
partners.index.name = "Partner"
display(
    tables.show(
        tables.top_n(partners, by="value", n=8, order="largest"),
        columns={"value": tables.Column(f"US imports in the controlled lines, {base_year}", "usd_mn")},
        name="restricted_by_partner",
        caption="By partner",
    )
)

# %% [markdown]
# The same imports beside the published 2024 figures: a ratio far from one means the dataset's lines are
# not the published ones (on the demo world: synthetic data; where the inputs are the package's table, the
# ratio is one by construction).

# %%
checked = inputs.check_against_published(restricted)
checked.index = [f"{page.group_name(g)}, {'China' if p == 'china' else 'all partners'}"
                 for g, p in zip(checked["group"], checked["partner"], strict=True)]  # fmt: skip
checked.index.name = "Imports"
display(
    tables.show(
        checked,
        columns={
            "dataset": tables.Column("This page's input", "usd_mn"),
            "published": tables.Column("Published", "usd_mn"),
            "ratio": tables.Column("Ratio", "ratio", additive=False),
            "status": tables.Column("Status of the published figure", "text"),
            "source": tables.Column("Source", "text"),
        },
        name="imports_against_published",
    )
)

# %% [markdown]
# USGS's figures for each group (minerals panel): net import reliance and the imported share of US supply
# it gives, China's share of world output, the leading import sources.

# %%
mineral_facts = chosen.minerals.rename(index=page.group_name)
mineral_facts.index.name = "Group"
display(
    tables.show(
        mineral_facts.assign(net_import_reliance=mineral_facts["net_import_reliance"] / 100),
        columns={
            "net_import_reliance": tables.Column(
                "Net import reliance", "percent", additive=False, decimals=0
            ),
            "import_share": tables.Column("Imported share of supply", "percent", additive=False, decimals=0),
            "basis": tables.Column("Basis", "text"),
            "china_share_of_world_output": tables.Column("China's share of world output", "percent",
                                                         additive=False, decimals=0),
            "import_sources": tables.Column("Import sources (USGS)", "text"),
        },
        name="usgs_facts",
    )
)  # fmt: skip

# %% [markdown]
# ## The economies the shortfall runs through
# One economy per critical input, each on the input-output tables named below. The critical input's
# payments over GDP are Hulten's multiplier; they equal the restricted use over GDP by construction.

# %%
summary = pd.DataFrame(
    {
        "critical": {page.ECONOMY_NAMES[n]: e.calibrated.critical_usd * 1e6 for n, e in economies.items()},
        "gdp": {page.ECONOMY_NAMES[n]: e.calibrated.gdp_usd * 1e6 for n, e in economies.items()},
        "hulten": {page.ECONOMY_NAMES[n]: e.calibrated.critical_share_of_gdp for n, e in economies.items()},
        "imported": {page.ECONOMY_NAMES[n]: e.calibrated.network.import_share for n, e in economies.items()},
        "china": {page.ECONOMY_NAMES[n]: e.china_share for n, e in economies.items()},
    }
)
summary.index.name = "Critical input"
display(
    tables.show(
        summary,
        columns={
            "critical": tables.Column("US use of the input", "usd_mn", additive=False),
            "gdp": tables.Column("GDP", "usd_bn", additive=False, decimals=0),
            "hulten": tables.Column("Hulten multiplier (use / GDP)", "ratio", additive=False, decimals=7),
            "imported": tables.Column("Imported share of supply", "percent", additive=False),
            "china": tables.Column("China's share of imports", "percent", additive=False),
        },
        name="economies",
        note=f"Input-output tables: {io_tables.source} ({len(io_tables.use.industries)} industries).",
    )
)
missing = sorted(set(economy.ECONOMIES) - set(economies))
if missing:
    display(Markdown(f"No imports of {', '.join(page.ECONOMY_NAMES[m].lower() for m in missing)}: not run."))

# %% [markdown]
# ## Exposure by industry
# Direct requirement: the restricted rare-earth input per dollar of output. Total requirement: per dollar
# delivered to final users, counting what suppliers use. The line share is the part of the industry that
# needs the input (motors and generators within electrical equipment …): only that line is limited by it.

# %%
exposure = network.exposure(rare.calibrated, io_tables.use)
exposure.index = [names.industry(code) for code in exposure.index]
exposure.index.name = "Industry (BEA summary)"
exposure_columns = {
    "output": tables.Column("Output", "usd_bn", scale=1e6),
    "critical_input": tables.Column("Rare-earth inputs", "usd_mn", scale=1e6),
    "direct_requirement": tables.Column("Direct, per $1 million of output", "usd", scale=1e6,
                                        additive=False, decimals=2),
    "total_requirement": tables.Column("Total, per $1 million of final demand", "usd", scale=1e6,
                                       additive=False, decimals=2),
    "line_share": tables.Column("Exposed line's share", "percent", additive=False),
}  # fmt: skip
top_exposure = tables.top_n(
    exposure[list(exposure_columns)], by="total_requirement", n=10, order="largest",
    sum_columns=["output", "critical_input"],
)  # fmt: skip
display(tables.show(top_exposure, columns=exposure_columns, name="exposure",
                    caption="The ten industries most exposed, directly and through suppliers"))  # fmt: skip
bars = exposure["total_requirement"].head(10) * 1e6
fig, ax = plt.subplots(figsize=(8, 4))
ax.barh(bars.index, bars.to_numpy(), color=plots.PALETTE[0])
ax.invert_yaxis()
ax.set_xlabel(
    formatting.header("Rare-earth inputs per $1 million of final demand", "usd").replace("$", r"\$")
)
ax.set_title("Exposure to rare earths and magnets, direct and through suppliers")
plots.label_synthetic(fig, dataset)
plt.tight_layout()
display(
    plots.show(
        fig,
        alt=f"Bar chart of the rare-earth inputs each industry needs per $1 million of final demand; "
        f"{bars.index[0]} needs most, ${bars.iloc[0]:,.2f}.",
        caption="Total requirement of restricted rare-earth inputs, $ per $1 million of final demand.",
        data=bars.rename("usd_per_million").to_frame(),
        name="exposure_chart",
    )
)

# %% [markdown]
# ## The shock path, from what was shipped, beside the hypothesis
# China's magnet exports (its customs figures) over the pre-control baseline, to the US and to the world;
# the other groups from the data's months where it has them, else what the control states (a ban: nothing
# shipped; licensed compounds and metals move with the magnets, the goods of the same licences) — an
# assumption, said in each month's basis. Users draw stocks (the weeks of normal use the run's
# parameters set) and rebuild them when shipments recover; the shortfall is what stocks do not cover.
# The dashed line is a **hypothesis** — the run's share of China's rare-earth supply withheld from its
# start date — not an observation.

# %%
to_us = shock.china_index(period)
to_world = shock.china_index(period, destination="world")
fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
top.plot(to_us.index, to_us["index"], marker="o", label="China's magnet exports to the US / baseline")
top.plot(to_world.index, to_world["index"], marker="s", label="… to the world / baseline")
magnet_path = paths["rare_earths"].get("magnets")
if magnet_path is not None and magnet_path["other_index"].notna().any():
    top.plot(period, magnet_path["other_index"], marker=".", label="US magnet imports from others / base")
top.axhline(1.0, color="grey", linewidth=0.8)
top.set_ylabel("index, baseline = 1")
for name, series in observed.items():
    bottom.plot(series.index, series, marker="o", label=f"observed: {page.ECONOMY_NAMES[name].lower()}")
bottom.plot(hypothesis.index, hypothesis["shortfall"], "k--",
            label=f"hypothesis: {formatting.quantity(restriction, 'percent', decimals=0)} of China's "
            "rare-earth supply withheld")  # fmt: skip
bottom.set_ylabel("share of normal use missing")
events = shock.control_events()
events = events[(events["date"] >= period[0]) & (events["date"] <= period[-1] + pd.offsets.MonthEnd(0))]
for day in events["date"]:
    bottom.axvline(day, color="grey", linestyle=":", linewidth=0.8)
plots.mark_milestones(
    top,
    [
        (f"{day:%Y-%m-%d}", f"{day:%Y-%m-%d} {kind}")
        for day, kind in zip(events["date"], events["kind"], strict=True)
    ],
)
plots.label_synthetic(fig, dataset)
plt.tight_layout()
plots.legend_below(bottom, also=[top], columns=2)
drawn = pd.DataFrame(
    {"to_us": to_us["index"], "to_world": to_world["index"], "hypothesis": hypothesis["shortfall"]}
)
for name, series in observed.items():
    drawn[f"observed_{name}"] = series
display(
    plots.show(
        fig,
        alt="Two panels. Top: China's magnet exports to the US and to the world over their "
        f"pre-control baseline, lowest in {to_us['index'].idxmin():%B %Y} at "
        f"{to_us['index'].min():.0%}. Bottom: the share of normal use missing on the observed path of "
        "each critical input, and the hypothesis as a dashed line.",
        caption="The observed shock path (China's shipments, stocks drawn and rebuilt) beside the "
        "hypothesis; dotted lines mark the controls, commitments and suspensions.",
        data=drawn.rename_axis("month").reset_index(),
        name="shock_path",
    )
)
basis = pd.DataFrame(
    [
        (page.group_name(group), "; ".join(dict.fromkeys(frame["china_basis"])), frame["shortfall"].max(),
         frame["shortfall"].mean())
        for groups in paths.values()
        for group, frame in groups.items()
    ],
    columns=["group", "basis", "peak", "mean"],
).set_index("group")  # fmt: skip
basis.index.name = "Group"
display(
    tables.show(
        basis,
        columns={
            "basis": tables.Column("China's shipments, month by month, from", "text"),
            "peak": tables.Column("Peak shortfall after stocks", "percent", additive=False),
            "mean": tables.Column(f"Mean shortfall, {window}", "percent", additive=False),
        },
        name="path_basis",
        caption="What each group's observed path stands on",
    )
)
if magnet_path is not None:
    by_month = magnet_path.rename_axis("Month")  # tables.show shows months as "April 2025"
    display(
        tables.show(
            by_month,
            columns={
                "china_index": tables.Column("China's shipments / baseline", "ratio", additive=False),
                "china_basis": tables.Column("Basis", "text"),
                "supply": tables.Column("Supply reaching US users / normal", "ratio", additive=False),
                "stock_start": tables.Column("Stocks, weeks of normal use", "ratio", additive=False),
                "shortfall": tables.Column("Shortfall after stocks", "percent", additive=False),
            },
            name="magnet_path",
            caption="Magnets month by month",
        )
    )

# %% [markdown]
# Prices of dysprosium and terbium oxide outside China against their 2024 level, and the elasticity at
# which the model's price of the critical input rises as much at the observed peak magnet shortfall with
# no stocks (the European quotes are thin: an indication, not a measurement).

# %%
prices = shock.price_index(minerals)
peak_supply = float(magnet_path["supply"].min()) if magnet_path is not None else 1.0
prices["sigma"] = [
    losses.price_sigma(rare.solver, shortfall=1.0 - peak_supply, price_ratio=r)
    if market.startswith("Europe") else float("nan")
    for r, market in zip(prices["ratio"], prices["market"], strict=True)
]  # fmt: skip
prices.index = [
    f"{p.capitalize()}, {m}, {per}"
    for p, m, per in zip(prices["product"], prices["market"], prices["period"], strict=True)
]
prices.index.name = "Price"
display(
    tables.show(
        prices,
        columns={
            "low": tables.Column("Low", "usd", additive=False, decimals=0),
            "high": tables.Column("High", "usd", additive=False, decimals=0),
            "unit": tables.Column("Per", "text"),
            "ratio": tables.Column("Middle / 2024 US average", "ratio", additive=False),
            "sigma": tables.Column(
                "σ matching the price at the peak shortfall", "ratio", additive=False, decimals=3
            ),
            "status": tables.Column("Status", "text"),
        },
        name="prices",
        note=shock.price_base_note(prices),
    )
)

# %% [markdown]
# ## What the shortfall cost, across elasticities of substitution
# Real GDP lost over the period, month by month at that month's shortfall, across the elasticity grid
# (short run 0.01–0.1, long run 0.5–1), as a share of one year's GDP; beside it Hulten's first order (as if
# the input were a domestic factor) and real income (GDP less the terms-of-trade loss on what still arrives
# at a higher price).

# %%
by_sigma = pd.DataFrame(
    {f"observed_{name}": frame["gdp_loss"] / gdp for name, frame in costs.items()}
    | {
        "hypothesis": hypothesis_cost["gdp_loss"] / gdp,
        "income_rare_earths": costs["rare_earths"]["income_loss"] / gdp,
        "hulten": costs["rare_earths"]["hulten_loss"] / gdp,
    }
)
by_sigma.index = [f"{s:g}" for s in by_sigma.index]
by_sigma.index.name = "Elasticity of substitution σ"
loss_columns = {
    f"observed_{name}": tables.Column(f"Observed: {page.ECONOMY_NAMES[name].lower()}", "percent",
                                      additive=False, decimals=4)
    for name in costs
} | {
    "hypothesis": tables.Column("Hypothesis (rare earths)", "percent", additive=False, decimals=4),
    "income_rare_earths": tables.Column("Real income, observed rare earths", "percent", additive=False,
                                        decimals=4),
    "hulten": tables.Column("Hulten, first order (rare earths)", "percent", additive=False, decimals=4),
}  # fmt: skip
display(
    tables.show(
        by_sigma,
        columns=loss_columns,
        name="losses",
        caption=f"Real GDP lost over {window}, % of one year's GDP",
        note="Positive: a loss. Observed: the paths China's shipments gave (for the banned metals, the ban "
        "as stated where no data has the months); the hypothesis is the run's restriction.",
    )
)
fig, ax = plt.subplots(figsize=(8, 4.2))
for name, frame in costs.items():
    ax.plot(
        frame.index,
        frame["gdp_loss"] / gdp * 100,
        marker="o",
        label=f"observed, {page.ECONOMY_NAMES[name].lower()}",
    )
ax.plot(hypothesis_cost.index, hypothesis_cost["gdp_loss"] / gdp * 100, "k--", marker="x", label="hypothesis")
ax.plot(costs["rare_earths"].index, costs["rare_earths"]["hulten_loss"] / gdp * 100, color="grey",
        linestyle=":", label="Hulten, first order (rare earths)")  # fmt: skip
ax.set_xscale("log")
ax.set_yscale("symlog", linthresh=1e-4)
ax.set_ylim(bottom=0)
ax.set_xlabel("elasticity of substitution σ")
ax.set_ylabel(f"real GDP lost, {start} to {end}, % of a year's GDP")
plots.label_synthetic(fig, dataset)
plt.tight_layout()
plots.legend_below(ax)
display(
    plots.show(
        fig,
        alt="Line chart of the GDP lost against σ on a log scale: losses fall from "
        f"{observed_loss.high:.3%} of GDP at σ {min(sigmas):g} to {observed_loss.low:.4%} at σ "
        f"{max(sigmas):g} on the observed path.",
        caption="Real GDP lost over the period against the elasticity of substitution, observed paths and "
        "the hypothesis, beside Hulten's first order.",
        data=by_sigma.reset_index(),
        name="losses_by_sigma",
    )
)

# %% [markdown]
# ## Which industries lose output
# At the peak observed rare-earth shortfall and the short-run middle of the elasticity grid.

# %%
peak = float(observed["rare_earths"].max())
by_industry = losses.industry_losses(
    rare.solver, shortfall=peak, sigma=page.central_sigma(sigmas), value_added=io_tables.use.value_added.sum()
)
by_industry.index = [names.industry(code) for code in by_industry.index]
by_industry.index.name = "Industry (BEA summary)"
display(
    tables.show(
        tables.top_n(by_industry, by="value_added_at_risk", n=10, order="largest",
                     sum_columns=["value_added_at_risk"]),
        columns={
            "output_change": tables.Column("Real output", "percent", additive=False, decimals=3),
            "price_change": tables.Column("Price", "percent", additive=False, decimals=3),
            "value_added_at_risk": tables.Column("Value added lost", "usd_mn", period="a year", scale=1e6),
        },
        name="industry_losses",
        caption=f"At the peak observed shortfall, {formatting.quantity(peak, 'percent')} of normal use, "
        f"σ {page.central_sigma(sigmas):g}",
        note="Negative output change: a loss. Value added lost is at an annual rate while the shortfall "
        "lasts.",
    )
)  # fmt: skip

# %% [markdown]
# ## Compliance: China's magnet shipments to the US against what was agreed
# The Geneva statement commits China to "suspend or cancel the non-tariff countermeasures against the United
# States from April 2, 2025"; London and Busan added no quantity. **The agreed level is therefore an
# assumption**: the share of the pre-control flow the run's parameters set (all of it by default).
# The shipments and baseline are the shock path's, so the two sections agree (checked below).

# %%
tracker = compliance.compliance(period, agreed_share=agreed_share)
gap = tracker["share_of_baseline"].dropna().sub(to_us["index"].reindex(tracker.index).dropna()).abs().max()
display(Markdown(f"Largest gap between this section and the shock path's China index: {gap:.1e}."))
fig, ax = plt.subplots(figsize=(8, 3.5))
for column, style, label in (
    ("tonnes", "o-", "shipped (China customs)"),
    ("baseline", "--", "pre-control"),
    ("agreed", ":", "agreed (assumption)"),
):
    ax.plot(tracker.index, tracker[column], style, label=label)
ax.set_ylabel("tonnes a month")
plt.tight_layout()  # China's customs figures (press), not the demo world: no synthetic label
plots.legend_below(ax)
display(
    plots.show(
        fig,
        alt="Line chart of China's monthly magnet exports to the US from May 2025 against the "
        "pre-control flow and the agreed level; the latest published month is at "
        f"{tracker['share_of_agreed'].dropna().iloc[-1]:.0%} of the agreed level.",
        caption="China's magnet exports to the US, tonnes a month, against the pre-control flow and the "
        "agreed level (an assumption).",
        data=tracker[["tonnes", "baseline", "agreed"]].reset_index(),
        name="compliance",
    )
)
shown_tracker = tracker.rename_axis("Month")
display(
    tables.show(
        shown_tracker,
        columns={
            "tonnes": tables.Column("Shipped", "tonnes", additive=False),
            "agreed": tables.Column("Agreed (assumption)", "tonnes", additive=False),
            "share_of_agreed": tables.Column("Share of agreed", "percent", additive=False, decimals=0),
            "commitment": tables.Column("Commitment in force", "text"),
            "status": tables.Column("Status", "text"),
        },
        name="compliance_table",
    )
)

# %% [markdown]
# ## The published estimates, each under its own scenario
# Each study's cut, goods, horizon and elasticities as it states them (the package's table of studies),
# run through the same networks with stocks drawn first; ours over the elasticities of the study's
# horizon, with why they differ.

# %%
reconciliation = literature.reconcile(economies, inventory_weeks=inventory_weeks)
reconciliation.index = literature.studies()["scenario_id"].to_numpy()
checks = []
for row in reconciliation.itertuples():
    unit = "usd" if "$ billion" in row.measure else "percent"
    scale = 1e9 if unit == "usd" else 0.01
    checks.append(
        validation.Check(
            Figure(row.ours_mid * scale, unit, label=f"{row.study}: {row.scenario}", low=row.ours_low * scale,
                   high=row.ours_high * scale,
                   interval=f"across σ {row.sigmas_used.split(', ')[0]}–{row.sigmas_used.split(', ')[-1]}",
                   decimals=2 if unit == "percent" else 1),
            page.anchor_of(str(row.Index)),
            reason=row.reason,
        )
    )  # fmt: skip
display(validation.show(checks, synthetic=False))

# %% [markdown]
# ## The numbers this page stands on
# Every row of the package tables: published figures, figures derived from them, figures still to check,
# and the model's own assumptions.

# %%
stood_on = page.named_facts()
stood_on.index = range(1, len(stood_on) + 1)
stood_on.index.name = "Row"
display(
    tables.show(
        stood_on,
        columns={
            "table_title": tables.Column("Table", "text"),
            "item": tables.Column("Item", "text"),
            "value": tables.Column("Value (the table's unit)", "text"),
            "status": tables.Column("Status", "text"),
            "source": tables.Column("Source", "text"),
        },
        name="facts",
    )
)

# %% [markdown]
# ## About the data

# %%
display(Markdown(panel.dataset_note(dataset)))
display(Markdown(panel.rests_on(dataset, ["imports", "world_trade", "minerals", "io_tables"])))
figures = headline(
    observed_gdp_loss=observed_loss,
    hulten_share_of_gdp=Figure(
        rare.calibrated.critical_share_of_gdp, "percent", label="Rare-earth use over GDP (Hulten)", decimals=4
    ),
    bans_gdp_loss=bans_loss,
    peak_shortfall=Figure(peak, "percent", label="Peak observed rare-earth shortfall after stocks"),
    magnet_shipments_share_of_agreed_latest=Figure(
        float(tracker["share_of_agreed"].dropna().iloc[-1]),
        "percent",
        label="Latest magnet shipments / agreed level",
    ),
    imports_source=Figure(
        choice.SOURCE_WORDS[chosen.imports_source], "text", label="Restricted imports from"
    ),
    io_tables=Figure(
        f"{io_tables.source} ({len(io_tables.use.industries)} industries)",
        "text",
        label="Input-output tables",
    ),
)
