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
# # US tariffs on imports from one partner, statutory and collected
#
# What the schedule said (the **statutory** rate: MFN, Sections 301, 232, 201, 122 and 338 and the IEEPA
# duties of 2025 until the Supreme Court voided them, stacked as customs stacks them) beside what was paid
# (the **collected** rate: calculated duty ÷ customs value of imports for consumption), for one partner
# against the others, month by month and by HS chapter or industry; with HS10 data, the gap between the two
# split into preferences, exclusions, ad valorem equivalents of specific duties and a residual; and the
# trade-weighted average tariff with fixed base-year weights, the measure of the PIIE chart, which moves
# only when the schedule moves. `imports_panel` picks the data: `imports` (Census HS10 × partner × month)
# or `imports_naics` (Census NAICS industry × partner × month: values and duties only).

# %% tags=["parameters"]
dataset: str = "demo"
partner: str = "5700"
start: str = "2017-01"
end: str = "2025-12"
imports_panel: str = "imports"

# %%
import pandas as pd
from IPython.display import Markdown, display

from econ import panel, plots, tariffs
from econ.panel import views
from econ.reports import headline

plots.use_house_style()
display(Markdown(panel.dataset_note(dataset)))
source = views.imports_choice(dataset, imports_panel)
built = panel.available(dataset)
first_year = min(int(start[:4]), 2017)  # the fixed weights may come from before the window
imports = panel.load(
    source, dataset, years=range(first_year, int(end[:4]) + 1) if source == "imports" else None
)
names = dict(zip(imports["partner"], imports["partner_name"], strict=False))
window = imports[(imports["month"] >= start) & (imports["month"] <= end)].copy()
if partner not in names:
    raise ValueError(f"partner {partner} has no rows in the {source} panel of dataset {dataset}")
name = names[partner].title()
others = sorted(set(window["partner"]) - {partner})
window["partners"] = window["partner"].eq(partner).map({True: name, False: "Other partners"})
display(Markdown(panel.rests_on(dataset, [source, "tariff_lines", "exports"], partner_names=names)))
display(
    Markdown(
        f"**{views.IMPORT_PANELS[source]}.** \"Other partners\" are the {len(others)} other partners in this "
        f"panel ({', '.join(names[p].title() for p in others[:12])}{' …' if len(others) > 12 else ''}), "
        "not the rest of the world unless the panel holds every partner. "
        + (tariffs.projection_note(window["month"]) or
           f"The tariff timeline is known through {tariffs.known_through():%d %B %Y}; the data run to "
           f"{window['month'].max():%B %Y}.")
    )
)  # fmt: skip

# %% [markdown]
# ## Month by month
# With HS10 data, statutory rates are weighted by each month's own imports, so both lines describe the same
# trade. With the NAICS panel alone there are no product lines to evaluate the schedule on: the collected
# rate is shown, with the schedule's fixed-weight statutory average where the dataset holds HS10 values to
# weight it by, and PIIE's published average tariff on China as points.

# %%
if source == "imports":
    monthly = tariffs.collected_vs_statutory(window, by=["partners", "month"])
    measures = ["collected_rate", "statutory_rate"]
else:
    monthly = views.collected(window, by=["partners", "month"])
    measures = ["collected_rate"]
long = monthly.melt(id_vars=["partners", "month"], value_vars=measures, var_name="measure", value_name="rate")
long["series"] = long["partners"] + " — " + long["measure"].str.replace("_rate", "")
figure = plots.rate_lines(
    long, x="month", y="rate", hue="series", dataset=dataset,
    title=f"Duty rates on US imports: {name} against the other partners",
)  # fmt: skip
if source == "imports_naics" and partner == "5700":
    piie = tariffs.published_averages()
    piie = piie[(piie["direction"] == "US on China") & (piie["date"] >= start)]
    figure.axes[0].scatter(piie["date"], piie["average"], color="black", zorder=3, s=30,
                           label="US on China, statutory average (PIIE, published)")  # fmt: skip
    figure.axes[0].legend(loc="upper left", fontsize=8)

# %%
ours = monthly[monthly["partners"] == name].set_index("month")
last = ours.index.max()
in_2024 = window[(window["partner"] == partner) & (window["month"].dt.year == 2024)]
collected_2024 = in_2024["duty"].sum() / in_2024["value"].sum() if len(in_2024) else float("nan")
peak_month = ours["collected_rate"].idxmax()
summary = headline(
    partner=partner,
    imports_panel=source,
    value_2024_bn=in_2024["value"].sum() / 1e9 if len(in_2024) else None,
    duty_2024_bn=in_2024["duty"].sum() / 1e9 if len(in_2024) else None,
    collected_rate_2024=collected_2024,
    collected_rate_peak=ours.loc[peak_month, "collected_rate"],
    collected_peak_month=peak_month.strftime("%Y-%m"),
    collected_rate_last_month=ours.loc[last, "collected_rate"],
    last_month=last.strftime("%Y-%m"),
)
if pd.Timestamp("2025-05-01") in ours.index:
    headline(collected_rate_2025_05=ours.loc[pd.Timestamp("2025-05-01"), "collected_rate"])
words = (
    f"In 2024 the duty collected on imports from {name} (${in_2024['value'].sum() / 1e9:,.2f} billion) was "
    f"**{collected_2024:.2%}** of their value. "
    if len(in_2024)
    else ""
) + (
    f"The collected rate peaked at **{summary['collected_rate_peak']:.1%}** in {peak_month:%B %Y}; in "
    f"{last:%B %Y} it was **{summary['collected_rate_last_month']:.1%}**. "
)
if source == "imports":
    statutory_peak = ours["statutory_rate"].idxmax()
    figures = headline(
        statutory_rate_peak=ours.loc[statutory_peak, "statutory_rate"],
        statutory_peak_month=statutory_peak.strftime("%Y-%m"),
        statutory_rate_last_month=ours.loc[last, "statutory_rate"],
    )
    words += (
        f"The statutory rate peaked at **{figures['statutory_rate_peak']:.0%}** in {statutory_peak:%B %Y} "
        f"and stood at **{figures['statutory_rate_last_month']:.0%}** in {last:%B %Y}. Where the collected "
        "line runs below the statutory one, duty was not paid that the schedule implies: exclusions, "
        "free-trade preferences, duties specified per unit rather than by value, and entries that straddle "
        "a change."
    )
else:
    words += (
        "Collected duty lags and undershoots the statutory rate: goods in transit when a rate rises enter at "
        "the old rate, exemptions (electronics from the reciprocal tariff, Annex II goods) and Section 301 "
        "exclusions pay less. The NAICS panel has no product lines, so the gap cannot be split here."
    )
display(Markdown(words))

# %% [markdown]
# ## By HS chapter or industry, one year
# The largest chapters (HS10 data) or NAICS industries by value of imports from the partner, in the last
# full year of the window.

# %%
years = views.full_years(window.loc[window["partner"] == partner, "month"])
year = years[-1] if years else int(last.year)
in_year = window[window["month"].dt.year == year]
group = "chapter" if source == "imports" else "naics"
if source == "imports":
    cells = tariffs.collected_vs_statutory(in_year, by=["partners", group])
else:
    cells = views.collected(in_year, by=["partners", group])
top = cells[cells["partners"] == name].nlargest(12, "value")[group]
shown = cells[cells[group].isin(top)].sort_values("value", ascending=False)
figure = plots.rate_bars(
    shown, x=group, y="collected_rate", hue="partners", dataset=dataset,
    title=f"Collected duty rate by {'HS chapter' if group == 'chapter' else 'NAICS industry'}, {year}",
)  # fmt: skip
if source == "imports_naics":
    labels = window.drop_duplicates("naics").set_index("naics")["naics_name"].str.split(", ", n=1).str[-1]
    table = shown[shown["partners"] == name].assign(industry=lambda d: d["naics"].map(labels))
    display(table[["naics", "industry", "value", "duty", "collected_rate"]].round(4))

# %% [markdown]
# ## Partner × industry × month (NAICS panel)
# The collected rate on the partner's six largest industries, month by month: the 2018–19 lists, the 2025
# escalation and the Geneva cut show industry by industry.

# %%
if source == "imports_naics":
    ours_naics = window[window["partner"] == partner]
    largest = views.collected(ours_naics, by=["naics"]).nlargest(6, "value")["naics"]
    by_industry = views.collected(ours_naics[ours_naics["naics"].isin(largest)], by=["naics", "month"])
    by_industry["industry"] = by_industry["naics"] + " " + by_industry["naics"].map(labels).str.title()
    figure = plots.rate_lines(
        by_industry, x="month", y="collected_rate", hue="industry", dataset=dataset,
        title=f"Collected duty rate on imports from {name}, six largest industries",
    )  # fmt: skip
else:
    display(Markdown("HS10 data: the chapters above stand for industries; see the NAICS run for this view."))

# %% [markdown]
# ## Where statutory and collected part ways (HS10 data)
# The gap between the duty collected and the schedule's ad valorem rates, month by month for the partner,
# split into: the **ad valorem equivalents** of specific and compound duties (from the panel's own unit
# values), **preferences** (the share of imports claiming USMCA or KORUS), Section 301 product
# **exclusions**, and the **residual** (drawback, foreign-trade zones, entries straddling a change, and
# whatever the schedule gets wrong). The four terms add up to the gap.

# %%
schedule = panel.schedule(dataset)
lines = panel.load("tariff_lines", dataset)
if source == "imports":
    mine = window[window["partner"] == partner]
    ave = tariffs.ad_valorem_equivalents(mine, lines)
    rated = schedule.monthly_rates(
        mine[["hs10", "hs8", "partner", "month", "value", "duty"]], ave=ave, layers=[]
    )
    terms = tariffs.reconcile(rated, by=["partner", "month"])
    long = terms.melt(
        id_vars=["month"], value_vars=["gap", *tariffs.RECONCILIATION_TERMS], var_name="term",
        value_name="rate",
    )  # fmt: skip
    figure = plots.rate_lines(
        long, x="month", y="rate", hue="term", dataset=dataset, ylabel="share of customs value",
        title=f"Collected less statutory (ad valorem) on imports from {name}, and its parts",
    )  # fmt: skip
    plots.percent_axis(figure.axes[0], decimals=1)  # the terms are tenths of a point
    figures = headline(residual_mean_abs=terms["residual"].abs().mean(), gap_last_month=terms["gap"].iloc[-1])
else:
    display(
        Markdown(
            "Not shown: the reconciliation needs each HS10 line's value, duty and quantity (Census imports "
            "by HS10); the NAICS panel has industry totals only."
        )
    )

# %% [markdown]
# ## Trade-weighted average tariff with fixed weights
# Each line's statutory rate on each date, weighted by the partner's imports of that line in a base year,
# split into its layers. The base year is 2017 (before the Section 301 tariffs, as in the PIIE chart) when
# the data hold it, else the first full year they hold. With the NAICS panel the weights are HS10 values of
# a base year (from an HS10 monthly or annual pull) mapped to industries by the Census concordance; without
# them the average cannot be weighted and is not shown.

# %%
weights = None
base_year = None
if source == "imports":
    base_year, weights = views.fixed_weights(imports, partner=partner)
elif "industries" in built and ({"imports", "imports_annual"} & built):
    hs10 = panel.load("imports_annual" if "imports_annual" in built else "imports", dataset)
    base_year, weights = views.fixed_weights(hs10, partner=partner)
# The 1st and 15th of each month, so that mid-month changes (Geneva took effect on 14 May) show.
dates = pd.date_range(f"{max(start, '2018-01')}-01", f"{end}-15", freq="SMS")
if weights is None:
    display(
        Markdown(
            "**Not shown: no weights.** The fixed-weight average needs the partner's imports by HS line in a "
            "base year (Census imports by HS10, monthly or annual) and, for industries, the Census HS10 → "
            "NAICS concordance; this dataset has neither, so only the collected rates above are shown."
        )
    )
else:
    average = tariffs.average_tariff(schedule, weights, dates=dates)
    note = f"weights from {base_year}" + (
        "" if base_year == 2017 else " (2017, PIIE's base year, is not in the data)"
    )
    figure = plots.layer_areas(
        average, x="date", layers=list(tariffs.OUTPUT_LAYERS), dataset=dataset,
        title=f"Average US tariff on imports from {name}, fixed {base_year} weights",
    )  # fmt: skip
    display(Markdown(f"Fixed-weight average: {note}."))
    figures = headline(
        weight_year=base_year,
        average_tariff_peak=average["total"].max(),
        average_tariff_last=average["total"].iloc[-1],
    )
    if source == "imports_naics":
        mapping = panel.load("industries", dataset)[["hs10", "naics"]].assign(
            naics=lambda d: d["naics"].str[:3]
        )  # the NAICS panel's level
        by_naics = tariffs.average_tariff(
            schedule, weights, dates=dates, by=("partner", "naics"), mapping=mapping
        )
        monthly_naics = views.collected(window[window["partner"] == partner], by=["naics", "month"])
        compare = by_naics.assign(month=by_naics["date"].dt.to_period("M").dt.to_timestamp())
        compare = compare.groupby(["naics", "month"], as_index=False)["total"].mean()
        compare = compare.merge(monthly_naics, on=["naics", "month"], how="inner")
        compare = compare.rename(columns={"total": "statutory_fixed_weights"})
        latest = compare[compare["month"] == compare["month"].max()]
        display(
            Markdown(
                f"Statutory (fixed weights) beside collected, by industry, {latest['month'].max():%B %Y}:"
            )
        )
        display(latest[["naics", "value", "statutory_fixed_weights", "collected_rate"]].round(4))

# %% [markdown]
# ## US on China and China on US, beside the PIIE chart
# The same measure both ways: the US tariff on imports from China weighted by base-year US imports from
# China, and China's retaliatory tariff (over and above China's MFN rate, which the schedule does not hold)
# weighted by base-year US exports to China. Dots are PIIE's published figures. China's side needs the
# exports panel (Census exports by HS10).

# %%
if partner == "5700" and weights is not None:
    export_weights = None
    if "exports" in built:
        exports = panel.load("exports", dataset)
        if (exports["partner"] == partner).any():
            _, export_weights = views.fixed_weights(exports, partner=partner)
    both = tariffs.us_china_averages(
        schedule, us_imports_from_china=weights, us_exports_to_china=export_weights, dates=dates
    )
    published = tariffs.published_averages()
    figure = plots.published_comparison(
        both, published, x="date", y="total", hue="direction", dataset=dataset,
        title=f"Average tariffs between the US and China, fixed {base_year} weights",
    )  # fmt: skip
    after_geneva = both[both["date"] == pd.Timestamp("2025-06-01")].set_index("direction")["total"]
    figures = headline(
        us_on_china_after_geneva=after_geneva.get("US on China"),
        china_on_us_after_geneva=after_geneva.get("China on US"),
    )
    if export_weights is None:
        display(Markdown("No exports panel in this dataset: China's tariff on US goods is not shown."))
    if dataset == "demo":
        display(
            Markdown(
                "On the demo world the computed US-on-China line runs below PIIE's points from 2018 to 2025: "
                "the demo is calibrated to 2024 trade, and less of its 2017 trade sits on the Section 301 "
                "lists than of the real 2017 trade, since its diversion away from listed goods after 2018 "
                "is only what its true elasticities imply. On real data the two should meet."
            )
        )
elif partner == "5700":
    display(Markdown("Not shown: without weights (above) neither average can be computed."))
