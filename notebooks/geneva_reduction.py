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
# # The Geneva cut by US industry: prices, import volumes, diversion, revenue and the cost to buyers

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
imports_panel: str = "imports"

# %%
import logging

import altair as alt
import pandas as pd
from IPython.display import Markdown, display

from econ import formatting, names, panel, plots, tables
from econ.models import base_year as base_year_model
from econ.models import crosswalk, io, trade
from econ.panel import views
from econ.reports import Figure, headline, stories, story, validation
from econ.tariffs import load_scenario

plots.use_house_style()
source = views.imports_choice(dataset, imports_panel)
imports = panel.load(source, dataset)
setting = passthrough  # the preset's name, for the title (an estimate replaces the number below)
if passthrough == "estimated":
    # Pass-through and σ from this dataset's own HS10 panel (the parameter model refuses "estimated" on
    # the NAICS panel, which has no prices). The estimators' notes on dropped rows go to the log.
    logging.captureWarnings(True)
    estimates = trade.estimated_parameters(imports)
    passthrough, passthrough_se = estimates["passthrough"]
    sigma, sigma_se = estimates["sigma"]
# A schedule built from an HTS CSV export logs that it takes the compiled Section 301 lists; the page says
# so in the tariffs' description below instead.
logging.getLogger("econ.tariffs.products").setLevel(logging.ERROR)
schedule = panel.schedule(dataset)
io_tables = panel.io_tables(dataset)
if source == "imports":
    # Industries through the concordances (econ.concord) when the dataset has them, else an approximate
    # HS-chapter crosswalk to BEA summary industries.
    industries = panel.load("industries", dataset) if "industries" in panel.available(dataset) else None
    frame = trade.base_year_frame(
        imports[["hs10", "partner", "month", "value"]], year=base_year, industries=industries
    )
    frame, method = base_year_model.schedule_tariffs(
        frame, schedule, base_year=base_year, date=date, scenario=scenario
    )
else:
    # NAICS industries placed in BEA's commodities; the one code spanning two (336) split by the Use
    # table's imports. Tariff levels from what was collected, the scenario's change from the schedule.
    frame = trade.base_year_frame(
        imports, year=base_year, bea_weights=crosswalk.import_weights(io_tables.use.final_demand)
    )
    hs10 = panel.load("imports", dataset) if "imports" in panel.available(dataset) else None
    frame, method = base_year_model.industry_tariffs(
        frame, schedule, panel.load("tariff_lines", dataset), imports_naics=imports,
        base_year=base_year, date=date, scenario=scenario,
        hs10_weights=None if hs10 is None else base_year_model.year_values(hs10, base_year),
    )  # fmt: skip
comparison = {
    "base_rate": "base_rate",
    "rate": "in_force",
    "alternative": "alternative",
    "passthrough": passthrough,
    "sigma": sigma,
    "eta": eta,
    "standard_errors": {"passthrough": passthrough_se, "sigma": sigma_se, "eta": eta_se},
    "draws": draws,
    "product": "product",
}
result = trade.compare(frame, by="bea", **comparison)
shock = trade.import_price_changes(result, frame, commodities=io_tables.use.commodities)
prices = {
    markup: io.cost_push(io_tables.use, io_tables.make, io_tables.imports, shock, markup=markup)
    for markup in ("constant_dollar", "constant_percentage")
}
the_scenario = load_scenario(scenario)
phrase = stories.scenario_phrase(the_scenario.description, the_scenario.name)
synthetic = panel.manifest(dataset).synthetic
period = "a year"
totals = result.totals


def total(name: str, label: str, note: str = "") -> Figure:
    row = totals.loc[name]
    return Figure(
        row["central"], "usd", label=label, low=row["low"], high=row["high"], period=period, note=note
    )


cost = total("cost_to_buyers", "Cost to US buyers", "negative: they pay less than under the scenario")
imports_change = total("new_value", "Change in imports")
revenue = total("revenue_change", "Change in tariff revenue")
pce = Figure(prices["constant_dollar"].pce, "percent", label="Change in consumer prices (PCE)",
             note="input-output cost push, constant dollar margins")  # fmt: skip
story(
    title=stories.comparison_title(scenario=phrase, date=date, passthrough=setting),
    question=stories.comparison_question(scenario=phrase, date=date),
    lead={"cost_to_buyers": cost, "imports_change": imports_change, "revenue_change": revenue},
    answer=stories.cost_sentence(cost, scenario=phrase, date=date),
)

# %% [markdown]
# ## What is compared
# A partial-equilibrium comparison of two tariff schedules on the same base year of trade: the tariffs in
# force on the date named above against the scenario's. The base year's flows were observed under the
# base year's tariffs, so each schedule is solved from there and the effect is the difference. Every
# figure with an interval carries the 5th to 95th percentile of 200 draws of pass-through and the two
# elasticities from their standard errors. What the import panel's shape allows, and where each tariff
# comes from, is said below.

# %%
display(Markdown(formatting.markdown_text(the_scenario.description)))
display(Markdown(stories.cut_sentence(stories.geneva_cut())))
display(Markdown(formatting.markdown_text(f"{base_year_model.shape_note(frame, method)} {method.text}")))
china = frame["partner"] == "5700"
weighted = frame[["base_rate", "alternative", "in_force"]].mul(frame["value"], axis=0).groupby(china).sum()
rates = weighted.div(frame["value"].groupby(china).sum(), axis=0)
rates.index = rates.index.map({False: "Other partners", True: names.country("5700")})
rates.index.name = "Imports from"
tables.show(
    rates,
    columns={
        "base_rate": tables.Column(f"Tariffs of {base_year}", "percent", additive=False),
        "alternative": tables.Column(f"Under “{phrase}”", "percent", additive=False),
        "in_force": tables.Column(f"In force on {formatting.day(date)}", "percent", additive=False),
    },
    name="average_tariffs",
    caption=f"Average tariff on {base_year} imports, weighted by {base_year} import values",
    note=f"{len(frame):,} product × partner rows; {formatting.quantity(frame['value'].sum(), 'usd')} "
    f"of imports in {base_year}.",
)
china_rates = rates.loc[names.country("5700")]
china_value = frame.loc[china, "value"].sum()
display(Markdown(formatting.markdown_text(
    f"On imports from {names.country('5700')} ({formatting.quantity(china_value, 'usd')} in {base_year}) "
    f"the tariffs under “{phrase}” average {formatting.quantity(china_rates['alternative'], 'percent')}, "
    f"against {formatting.quantity(china_rates['in_force'], 'percent')} in force: "
    + formatting.compare(china_rates["alternative"] - china_rates["in_force"], unit="points",
                         up="higher under the scenario", down="lower under the scenario") + "."
)))  # fmt: skip

# %% [markdown]
# ## All effects, summed over products and partners

# %%
rows = {
    "new_value": ("Imports", "more imports"),
    "revenue_change": ("Tariff revenue", "more revenue"),
    "cost_to_buyers": ("Cost to US buyers", "buyers pay more"),
    "terms_of_trade_gain": ("Terms-of-trade gain", "exporters' price cuts save the US more"),
    "deadweight_loss": ("Deadweight loss", "a larger efficiency loss (negative: a gain)"),
    "net_loss": ("Net loss to the US", "a larger loss (negative: a gain)"),
}
effects = totals.loc[list(rows), ["central", "low", "high"]]
effects.index = [rows[name][0] for name in effects.index]
effects.index.name = "Effect"
effects["meaning"] = [rows[name][1] for name in rows]
tables.show(
    effects,
    columns={
        "central": tables.Column("Central", "usd_bn", period="a year"),
        "low": tables.Column("5%", "usd_bn", additive=False),
        "high": tables.Column("95%", "usd_bn", additive=False),
        "meaning": tables.Column("A positive figure means", "text"),
    },
    name="effects",
    caption=f"The tariffs in force minus “{phrase}”",
)

# %% [markdown]
# ## By industry: BEA summary industries
# The ten industries whose buyers' cost changes most, whatever its sign; the rest summed.

# %%
by_industry = trade.industry_effects(result)
by_industry.index = [names.industry(code) for code in by_industry.index]
by_industry.index.name = "Industry (BEA summary)"
columns = {
    "cost_to_buyers_bn": tables.Column("Cost to buyers", "usd_bn", period="a year", scale=1e9),
    "cost_low_bn": tables.Column("5%", "usd_bn", scale=1e9, additive=False),
    "cost_high_bn": tables.Column("95%", "usd_bn", scale=1e9, additive=False),
    "imports_change_bn": tables.Column("Change in imports", "usd_bn", scale=1e9),
    "revenue_change_bn": tables.Column("Change in tariff revenue", "usd_bn", scale=1e9),
}
top = tables.top_n(by_industry, by="cost_to_buyers_bn", n=10, sum_columns=["cost_to_buyers_bn",
                   "imports_change_bn", "revenue_change_bn"])  # fmt: skip
tables.show(
    tables.with_total(top, columns),
    columns=columns,
    name="by_industry",
    note="Negative cost: buyers in the industry pay less with the tariffs in force than under the scenario. "
    "The 5–95% columns of the Other and Total rows are left empty: intervals do not add up.",
)

# %%
bars = top[~top.index.str.startswith(tables.OTHER)].reset_index(names="industry")
bars = bars.rename(columns={"cost_to_buyers_bn": "cost", "cost_low_bn": "low", "cost_high_bn": "high"})
axis = formatting.header("Change in the cost to buyers", "usd_bn", period="a year")
base = alt.Chart(bars).encode(y=alt.Y("industry:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)))
chart = (
    base.mark_bar(color=plots.PALETTE[0]).encode(
        x=alt.X("cost:Q", title=axis, scale=alt.Scale(zero=True, nice=True)),
        tooltip=[
            alt.Tooltip("industry:N"),
            alt.Tooltip("cost:Q", format=",.2f", title=axis),
            alt.Tooltip("low:Q", format=",.2f", title="5%"),
            alt.Tooltip("high:Q", format=",.2f", title="95%"),
        ],
    )
    + base.mark_rule(color="black").encode(x="low:Q", x2="high:Q")
).properties(width=620, height=28 * len(bars), title=f"In force on {formatting.day(date)} against “{phrase}”")
if synthetic:
    chart = chart.properties(title=alt.TitleParams(chart.title, subtitle=[plots.SYNTHETIC_LABEL]))
plots.chart(
    chart,
    alt=f"Bar chart of the change in the cost to buyers by industry, {bars['industry'].iloc[0]} largest "
    f"at {formatting.quantity(bars['cost'].iloc[0] * 1e9, 'usd')} a year; lines show 5–95% intervals.",
    caption="Change in the cost to buyers by BEA summary industry, $ billion a year, with 5–95% intervals.",
    data=bars,
    name="cost_by_industry",
)

# %% [markdown]
# ## By NAICS industry
# The same comparison by NAICS industry: the industries of the NAICS panel itself, or with HS10 data the
# 6-digit industries of the concordances (when the dataset has them).

# %%
if "naics" in frame.columns:
    by_naics = trade.industry_effects(trade.compare(frame, by="naics", **comparison))
    titles = base_year_model.naics_titles(frame) if source == "imports_naics" else {}
    by_naics.index = [
        f"{titles[code]} ({code})" if code in titles else names.labelled(code, "naics")
        for code in by_naics.index
    ]
    by_naics.index.name = "Industry (NAICS)"
    display(tables.show(
        tables.top_n(by_naics, by="cost_to_buyers_bn", n=12,
                     sum_columns=["cost_to_buyers_bn", "imports_change_bn", "revenue_change_bn"]),
        columns=columns, name="by_naics",
        note="Negative cost: a saving to buyers. The rest summed as Other.",
    ))  # fmt: skip

# %% [markdown]
# ## Diversion: imports by partner
# In the base year, under the scenario's tariffs, and under those in force; the ten largest partners.

# %%
partner_codes = frame["partner"].to_numpy()
partners = pd.DataFrame(
    {
        "base_year": result.rows.groupby(partner_codes)["base_value"].sum(),
        "scenario": result.alternative_rows.groupby(partner_codes)["new_value"].sum(),
        "in_force": result.rows.groupby(partner_codes)["new_value"].sum(),
    }
)
partners["change"] = partners["in_force"] / partners["scenario"] - 1
partners.index = names.countries(partners.index)
partners.index.name = "Partner"
partner_columns = {
    "base_year": tables.Column(f"Imports in {base_year}", "usd_bn"),
    "scenario": tables.Column(f"Under “{phrase}”", "usd_bn"),
    "in_force": tables.Column("Under the tariffs in force", "usd_bn"),
    "change": tables.Column("In force against the scenario", "percent", additive=False),
}
tables.show(
    tables.top_n(
        partners, by="base_year", n=10, order="largest", sum_columns=["base_year", "scenario", "in_force"]
    ),
    columns=partner_columns,
    name="by_partner",
    caption="Imports by partner, $ billion a year",
)

# %% [markdown]
# ## Prices paid by US industries and households
# The duty-inclusive import price changes, pooled by BEA commodity, pushed through the input-output table
# (cost-push model, constant dollar margins and constant percentage markups). The ten industries whose
# prices change most.

# %%
industry_prices = pd.DataFrame({markup: effects.industry for markup, effects in prices.items()})
industry_prices.index = [names.industry(code) for code in industry_prices.index]
industry_prices.index.name = "Industry (BEA summary)"
tables.show(
    tables.top_n(industry_prices, by="constant_dollar", n=10, sum_columns=[]),
    columns={
        "constant_dollar": tables.Column("Constant dollar margins", "percent", additive=False, decimals=2),
        "constant_percentage": tables.Column(
            "Constant percentage markups", "percent", additive=False, decimals=2
        ),
    },
    name="industry_prices",
    caption="Change in industry output prices",
    note=f"Input-output tables: {io_tables.source}. Consumer prices (PCE): {pce.text()}.",
)

# %% [markdown]
# ## Beside the published figures

# %%
in_force_all = (frame["in_force"] * frame["value"]).sum() / frame["value"].sum()
in_force_china = (frame.loc[china, "in_force"] * frame.loc[china, "value"]).sum() / frame.loc[
    china, "value"
].sum()
truth = panel.truth(dataset)["parameters"] if synthetic and "truth" in panel.available(dataset) else {}
validation.show(
    [
        validation.Check(
            Figure(
                in_force_all,
                "percent",
                label=f"Average tariff on all imports in force on {formatting.day(date)}",
            ),
            ["ybl_etr_after_geneva"],
            reason="Ours weights by this dataset's base-year imports, before substitution; Yale weights 2024 "
            "real imports of every partner.",
        ),
        validation.Check(
            Figure(in_force_china, "percent", label="Average tariff on imports from China, in force"),
            ["piie_us_on_china_after_geneva"],
            reason="PIIE weights by 2017 trade and counts the Section 301 lists at their full coverage.",
        ),
        validation.Check(
            Figure(result.parameters.passthrough, "ratio", label="Pass-through used"),
            ["border_passthrough_2025"],
            truth=truth.get("passthrough"),
            reason="A preset unless passthrough is 'estimated'; the demo's truth is what its data were "
            "written with.",
        ),
        validation.Check(
            Figure(result.parameters.sigma, "ratio", label="Elasticity of substitution between partners (σ)"),
            ["sigma_varieties"],
            truth=truth.get("import_elasticity"),
            reason="σ between partners' varieties of one product.",
        ),
    ],
    synthetic=synthetic,
)

# %% [markdown]
# ## About the data

# %%
display(Markdown(panel.dataset_note(dataset)))
# partners named from the package's Census list, not the panel's free text (which the page would show raw)
partner_names = {code: names.country(code) for code in imports["partner"].astype(str).unique()}
display(Markdown(panel.rests_on(dataset, [source, "tariff_lines", "io_tables"], partner_names=partner_names)))
figures = headline(
    scenario=scenario,
    date=date,
    passthrough=Figure(result.parameters.passthrough, "ratio", label="Pass-through"),
    sigma=Figure(result.parameters.sigma, "ratio", label="σ between partners"),
    deadweight_loss=total("deadweight_loss", "Change in deadweight loss", "negative: an efficiency gain"),
    pce_price_change=pce,
    pce_price_change_percentage_markup=Figure(
        prices["constant_percentage"].pce, "percent", label="Change in consumer prices, percentage markups"
    ),
    average_tariff_in_force=Figure(in_force_all, "percent", label="Average tariff in force, all imports"),
)
