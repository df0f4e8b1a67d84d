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
# against all others, month by month and by HS chapter; the gap between the two split into preferences,
# exclusions, ad valorem equivalents of specific duties and a residual; and the trade-weighted average
# tariff with fixed base-year weights, the measure of the PIIE chart, which moves only when the schedule
# moves.

# %% tags=["parameters"]
dataset: str = "demo"
partner: str = "5700"
start: str = "2017-01"
end: str = "2025-12"

# %%
import pandas as pd
from IPython.display import Markdown, display

from econ import panel, plots, tariffs
from econ.reports import headline

plots.use_house_style()
display(Markdown(panel.dataset_note(dataset)))

imports = panel.load("imports", dataset)
imports = imports[(imports["month"] >= start) & (imports["month"] <= end)]
note = tariffs.projection_note(imports["month"])  # rates past the timeline's known-through date
display(Markdown(note or f"The tariff timeline is known through {tariffs.known_through():%d %B %Y}."))
name = imports.loc[imports["partner"] == partner, "partner_name"].iloc[0].title()
imports["partners"] = imports["partner"].eq(partner).map({True: name, False: "All other partners"})

# %% [markdown]
# ## Month by month
# Statutory rates are weighted by each month's own imports, so both lines describe the same trade.

# %%
monthly = tariffs.collected_vs_statutory(imports, by=["partners", "month"])
long = monthly.melt(
    id_vars=["partners", "month"],
    value_vars=["collected_rate", "statutory_rate"],
    var_name="measure",
    value_name="rate",
)
long["series"] = long["partners"] + " — " + long["measure"].str.replace("_rate", "")
figure = plots.rate_lines(
    long, x="month", y="rate", hue="series", dataset=dataset,
    title=f"Duty rates on US imports: {name} against all other partners",
)  # fmt: skip

# %%
by_partner = monthly.set_index(["partners", "month"])
ours = by_partner.loc[name]
peak_month = ours["statutory_rate"].idxmax()
last = ours.index.max()
year_2024 = ours.loc[ours.index.year == 2024]
collected_2024 = year_2024["duty"].sum() / year_2024["value"].sum()
figures = headline(
    partner=partner,
    collected_rate_2024=collected_2024,
    statutory_rate_peak=ours.loc[peak_month, "statutory_rate"],
    statutory_peak_month=peak_month.strftime("%Y-%m"),
    collected_rate_last_month=ours.loc[last, "collected_rate"],
    statutory_rate_last_month=ours.loc[last, "statutory_rate"],
)
display(
    Markdown(
        f"In 2024 the duty collected on imports from {name} was **{collected_2024:.1%}** of their value. "
        f"The statutory rate peaked at **{figures['statutory_rate_peak']:.0%}** in "
        f"{peak_month:%B %Y}; in {last:%B %Y} it stood at **{figures['statutory_rate_last_month']:.0%}**, "
        f"with **{figures['collected_rate_last_month']:.1%}** collected. Where the collected line runs "
        "below the statutory one, duty was not paid that the schedule implies: exclusions, free-trade "
        "preferences, duties specified per unit rather than by value, and entries that straddle a change."
    )
)

# %% [markdown]
# ## By HS chapter, one year
# The largest chapters by value of imports from the partner, in the last full year of the window.

# %%
year = int(ours.index.year[ours.index.month == 12].max()) if (ours.index.month == 12).any() else last.year
in_year = imports[imports["month"].dt.year == year]
chapters = tariffs.collected_vs_statutory(in_year, by=["partners", "chapter"])
top = chapters[chapters["partners"] == name].nlargest(12, "value")["chapter"]
shown = chapters[chapters["chapter"].isin(top)].sort_values("value", ascending=False)
figure = plots.rate_bars(
    shown, x="chapter", y="collected_rate", hue="partners", dataset=dataset,
    title=f"Collected duty rate by HS chapter, {year}",
)  # fmt: skip

# %% [markdown]
# ## Where statutory and collected part ways
# The gap between the duty collected and the schedule's ad valorem rates, month by month for the partner,
# split into: the **ad valorem equivalents** of specific and compound duties (from the panel's own unit
# values), **preferences** (the share of imports claiming USMCA or KORUS), Section 301 product
# **exclusions**, and the **residual** (drawback, foreign-trade zones, entries straddling a change, and
# whatever the schedule gets wrong). The four terms add up to the gap.

# %%
schedule = panel.schedule(dataset)
lines = panel.load("tariff_lines", dataset)
ours = imports[imports["partner"] == partner]
ave = tariffs.ad_valorem_equivalents(ours, lines)
rated = schedule.monthly_rates(ours[["hs10", "hs8", "partner", "month", "value", "duty"]], ave=ave, layers=[])
terms = tariffs.reconcile(rated, by=["partner", "month"])
long = terms.melt(
    id_vars=["month"], value_vars=["gap", *tariffs.RECONCILIATION_TERMS], var_name="term", value_name="rate"
)
figure = plots.rate_lines(
    long, x="month", y="rate", hue="term", dataset=dataset, ylabel="share of customs value",
    title=f"Collected less statutory (ad valorem) on imports from {name}, and its parts",
)  # fmt: skip
plots.percent_axis(figure.axes[0], decimals=1)  # the terms are tenths of a point
figures = headline(residual_mean_abs=terms["residual"].abs().mean(), gap_last_month=terms["gap"].iloc[-1])

# %% [markdown]
# ## Trade-weighted average tariff with fixed weights
# Each HS8 line's statutory rate on each date, weighted by the partner's imports of that line in the base
# year (2017, before the Section 301 tariffs, as in the PIIE chart), split into its layers.

# %%
weights = tariffs.base_year_weights(imports[imports["partner"] == partner], year=2017)
# The 1st and 15th of each month, so that mid-month changes (Geneva took effect on 14 May) show.
dates = pd.date_range(f"{max(start, '2018-01')}-01", f"{end}-15", freq="SMS")
average = tariffs.average_tariff(schedule, weights, dates=dates)
figure = plots.layer_areas(
    average, x="date", layers=list(tariffs.OUTPUT_LAYERS), dataset=dataset,
    title=f"Average US tariff on imports from {name}, fixed 2017 weights",
)  # fmt: skip
figures = headline(average_tariff_peak=average["total"].max(), average_tariff_last=average["total"].iloc[-1])

# %% [markdown]
# ## US on China and China on US, beside the PIIE chart
# The same measure both ways: the US tariff on imports from China weighted by 2017 US imports from China,
# and China's retaliatory tariff (over and above China's MFN rate, which the schedule does not hold)
# weighted by 2017 US exports to China. Dots are PIIE's published figures.

# %%
if partner == "5700":
    exports = panel.load("exports", dataset)
    export_weights = tariffs.base_year_weights(exports[exports["partner"] == partner], year=2017)
    both = tariffs.us_china_averages(
        schedule, us_imports_from_china=weights, us_exports_to_china=export_weights, dates=dates
    )
    published = tariffs.published_averages()
    figure = plots.published_comparison(
        both, published, x="date", y="total", hue="direction", dataset=dataset,
        title="Average tariffs between the US and China, fixed 2017 weights",
    )  # fmt: skip
    after_geneva = both[both["date"] == pd.Timestamp("2025-06-01")].set_index("direction")["total"]
    figures = headline(
        us_on_china_after_geneva=after_geneva.get("US on China"),
        china_on_us_after_geneva=after_geneva.get("China on US"),
    )
    if dataset == "demo":
        display(
            Markdown(
                "On the demo world the computed US-on-China line runs below PIIE's points from 2018 to 2025: "
                "the demo is calibrated to 2024 trade, and less of its 2017 trade sits on the Section 301 "
                "lists than of the real 2017 trade, since its diversion away from listed goods after 2018 "
                "is only what its true elasticities imply. On real data the two should meet."
            )
        )
