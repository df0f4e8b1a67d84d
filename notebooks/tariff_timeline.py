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

# %% tags=["parameters"]
dataset: str = "demo"
partner: str = "5700"
start: str = "2017-01"
end: str = "2025-12"
imports_panel: str = "imports"

# %%
import logging

import pandas as pd
from IPython.display import Markdown, display

from econ import formatting, names, panel, plots, tables, tariffs
from econ.panel import views
from econ.reports import Figure, headline, story, validation

plots.use_house_style()
logging.captureWarnings(True)
source = views.imports_choice(dataset, imports_panel)
hs10 = source == "imports"
built = panel.available(dataset)
synthetic = panel.manifest(dataset).synthetic
first_year = min(int(start[:4]), 2017)  # the fixed weights may come from before the window
imports = panel.load(source, dataset, years=range(first_year, int(end[:4]) + 1) if hs10 else None)
window = imports[(imports["month"] >= start) & (imports["month"] <= end)].copy()
if not window["partner"].eq(partner).any():
    raise ValueError(f"{names.country(partner)} has no rows in the {source} panel of dataset {dataset}")
name = names.country(partner)
others = sorted(set(window["partner"]) - {partner})
window["partners"] = window["partner"].eq(partner).map({True: name, False: "Other partners"})
months = window.loc[window["partner"] == partner, "month"]
year = views.year_of_record(months)
summary = views.partner_summary(window, partner=partner, year=year)
shown_from, shown_to = formatting.month(window["month"].min()), formatting.month(window["month"].max())
imports_figure = Figure(summary["value"], "usd_bn", label=f"US imports from {name}, {year}", period=str(year))
collected_figure = Figure(
    summary["collected_rate"], "percent", label=f"Collected duty rate, {year}", period=str(year),
    note="calculated duty ÷ customs value",
)  # fmt: skip
peak_figure = Figure(
    summary["peak_rate"], "percent", label="Highest monthly collected rate",
    period=formatting.month(summary["peak_month"]),
)  # fmt: skip
answer = (
    f"In {year} the US collected {formatting.quantity(summary['duty'], 'usd_bn')} of duty on "
    f"{formatting.quantity(summary['value'], 'usd_bn')} of imports from {name}, "
    f"{formatting.quantity(summary['collected_rate'], 'percent')} of their value; the monthly rate was "
    f"highest in {formatting.month(summary['peak_month'])} at "
    f"{formatting.quantity(summary['peak_rate'], 'percent')} "
    f"and stood at {formatting.quantity(summary['last_rate'], 'percent')} in "
    f"{formatting.month(summary['last_month'])}."
)
story(
    title=f"Duties on US imports from {name}, "
    f"{'statutory and collected' if hs10 else 'collected, by industry'}, "
    f"{shown_from} to {shown_to}",
    question=f"What tariff did imports from {name} pay, month by month, through the 2018–19 lists, the 2025 "
    "escalation, Geneva and Busan — and against the other partners?",
    lead={"imports": imports_figure, "collected_rate": collected_figure, "peak_collected_rate": peak_figure},
    answer=answer,
)

# %% [markdown]
# ## What these data allow
# The **statutory** rate is what the schedule says (MFN, Sections 301, 232, 201, 122 and 338 and the IEEPA
# duties of 2025 until the Supreme Court voided them, stacked as customs stacks them); the **collected**
# rate is what was paid (calculated duty ÷ customs value of imports for consumption).

# %%
display(Markdown(panel.dataset_note(dataset)))
partner_names = {code: names.country(code) for code in window["partner"].unique()}
display(Markdown(panel.rests_on(dataset, [source, "tariff_lines", "exports"], partner_names=partner_names)))
known = tariffs.known_through()
if hs10:
    allows = (
        "**Census imports by HS10.** Every product line carries both rates: the schedule is evaluated on "
        "each line, partner and month, so statutory and collected rates describe the same trade, and the gap "
        "between them is split into its parts below."
    )
else:
    allows = (
        "**Census imports by NAICS industry (values and calculated duties, no product lines).** What this "
        "shape allows: the **collected** rate by partner × industry × month. The schedule's statutory rates "
        "are set by HS line, so they can be shown only where the dataset also holds the partner's imports "
        "by HS10 line in a base year to weight them by (Census imports by HS10, monthly or annual, and the "
        "HS10 → NAICS concordance)."
    )
display(
    Markdown(
        f"{allows} “Other partners” are the {len(others)} other partners in this panel "
        f"({formatting.markdown_text(', '.join(partner_names[p] for p in others[:12]))}"
        f"{' …' if len(others) > 12 else ''}), not the rest of the world unless the panel holds every "
        f"partner. "
        f"The tariff schedule is known through {formatting.day(known)}; the data run to {shown_to}. "
        + tariffs.projection_note(window["month"])
    )
)

# %% [markdown]
# ## Month by month

# %%
if hs10:
    monthly = tariffs.collected_vs_statutory(window, by=["partners", "month"])
    measures = ["collected_rate", "statutory_rate"]
else:
    monthly = views.collected(window, by=["partners", "month"])
    measures = ["collected_rate"]
long = monthly.melt(id_vars=["partners", "month"], value_vars=measures, var_name="measure", value_name="rate")
long["series"] = long["partners"] + ", " + long["measure"].str.replace("_rate", "")
long = long.sort_values("partners", key=lambda p: p.ne(name), kind="stable")  # the partner's lines first
figure = plots.rate_lines(
    long, x="month", y="rate", hue="series", dataset=dataset,
    title=f"Duty rates on US imports: {name} against the other partners", ylabel="duty rate (%)",
)  # fmt: skip
piie = tariffs.published_averages()
piie = piie[(piie["direction"] == "US on China") & (piie["date"] >= start) & (piie["date"] <= f"{end}-28")]
if partner == "5700":
    figure.axes[0].scatter(piie["date"], piie["average"], color="black", zorder=3, s=30,
                           label="US on China, statutory average (PIIE, published)")  # fmt: skip
    plots.legend_below(figure.axes[0])
display(
    plots.show(
        figure,
        alt=f"Line chart of the monthly duty rate on US imports from {name} and from the other partners, "
        f"{shown_from} to {shown_to}; {name}'s collected rate peaks at "
        f"{formatting.quantity(summary['peak_rate'], 'percent')} in "
        f"{formatting.month(summary['peak_month'])}.",
        caption=f"{'Statutory and collected' if hs10 else 'Collected'} duty rates by month, % of customs "
        f"value" + ("; dots: PIIE's published statutory average on China." if partner == "5700" else "."),
        data=long[["series", "month", "rate"]],
        name="monthly_rates",
    )
)
if hs10:
    ours = monthly[monthly["partners"] == name].set_index("month")
    statutory_peak = ours["statutory_rate"].idxmax()
    display(
        Markdown(
            f"The statutory rate peaked at "
            f"**{formatting.quantity(ours.loc[statutory_peak, 'statutory_rate'], 'percent')}** "
            f"in {formatting.month(statutory_peak)} and stood at "
            f"**{formatting.quantity(ours['statutory_rate'].iloc[-1], 'percent')}** in {shown_to}. Where the "
            "collected line runs below the statutory one, duty was not paid that the schedule implies: "
            "exclusions, free-trade preferences, duties specified per unit rather than by value, and entries "
            "that straddle a change."
        )
    )
else:
    display(
        Markdown(
            "Collected duty lags and undershoots the statutory rate: goods in transit when a rate rises "
            "enter "
            "at the old rate, exemptions (electronics from the reciprocal tariff, Annex II goods) and "
            "Section 301 exclusions pay less. The NAICS panel has no product lines, so the gap cannot be "
            "split "
            "into its parts here."
        )
    )

# %% [markdown]
# ## By HS chapter or industry, one year
# The largest HS chapters (HS10 data) or NAICS industries by value of imports from the partner in the year
# of the figures above, with the same industries' imports from the other partners.

# %%
group = "chapter" if hs10 else "naics"
in_year = window[window["month"].dt.year == year]
if hs10:
    cells = tariffs.collected_vs_statutory(in_year, by=["partners", group])
else:
    cells = views.collected(in_year, by=["partners", group])
wide = cells.pivot(index=group, columns="partners", values=["value", "duty"]).fillna(0.0)
by_group = pd.DataFrame(
    {
        "value": wide[("value", name)],
        "duty": wide[("duty", name)],
        "others_value": wide["value"].drop(columns=name, errors="ignore").sum(axis=1),
        "others_duty": wide["duty"].drop(columns=name, errors="ignore").sum(axis=1),
    }
)
industry_names = {} if hs10 else views.naics_names(window)
by_group.index = [names.hs_chapter(code) if hs10 else industry_names[code] for code in by_group.index]
by_group.index.name = "HS chapter" if hs10 else "Industry (NAICS)"
top = tables.top_n(by_group, by="value", n=12, order="largest")
top["collected_rate"] = top["duty"] / top["value"].where(top["value"] > 0)
top["others_rate"] = top["others_duty"] / top["others_value"].where(top["others_value"] > 0)
display(
    tables.show(
        top,
        columns={
            "value": tables.Column(f"Imports from {name}", "usd_bn", period=str(year)),
            "duty": tables.Column("Duty collected", "usd_bn", period=str(year)),
            "collected_rate": tables.Column(f"Collected rate, {name}", "percent", additive=False),
            "others_rate": tables.Column("Collected rate, other partners", "percent", additive=False),
        },
        name="by_industry",
        caption=f"Imports from {name} and the duty collected on them by {by_group.index.name}, {year}",
        note="The twelve largest by imports from the partner; the rest summed as Other. Rates are duty ÷ "
        "value of each row (of the summed rows for Other).",
    )
)
bars = top[~top.index.str.startswith(tables.OTHER)].reset_index(names="industry")
bars_long = bars.melt(id_vars=["industry"], value_vars=["collected_rate", "others_rate"], var_name="partners",
                      value_name="rate")  # fmt: skip
bars_long["partners"] = bars_long["partners"].map({"collected_rate": name, "others_rate": "Other partners"})
figure = plots.rate_bars(
    bars_long, x="rate", y="industry", hue="partners", dataset=dataset, ylabel="",
    xlabel="collected duty rate (%)",
    title=f"Collected duty rate by {'HS chapter' if hs10 else 'industry'}, {year}",
)  # fmt: skip
figure.axes[0].xaxis.set_major_formatter(figure.axes[0].yaxis.get_major_formatter())
figure.axes[0].yaxis.set_major_formatter(plots.plt.matplotlib.ticker.ScalarFormatter())
figure.axes[0].set_yticks(range(len(bars)), bars["industry"])
figure.tight_layout()
display(
    plots.show(
        figure,
        alt=f"Bar chart of the collected duty rate in {year} on the {len(bars)} largest "
        f"{'chapters' if hs10 else 'industries'} of imports from {name}, beside the other partners; "
        f"{bars['industry'].iloc[0]} is the largest.",
        caption=f"Collected duty rate by {'HS chapter' if hs10 else 'NAICS industry'}, {year}, % of "
        f"customs value.",
        data=bars_long,
        name="rates_by_industry",
    )
)

# %% [markdown]
# ## Partner × industry × month
# The collected rate on the partner's six largest industries, month by month: the 2018–19 lists, the 2025
# escalation and the Geneva cut show industry by industry.

# %%
if hs10:
    display(Markdown("HS10 data: the chapters above stand for industries; the NAICS panel gives this view."))
else:
    ours_naics = window[window["partner"] == partner]
    largest = views.collected(ours_naics, by=["naics"]).nlargest(6, "value")["naics"]
    by_industry = views.collected(ours_naics[ours_naics["naics"].isin(largest)], by=["naics", "month"])
    by_industry["industry"] = by_industry["naics"].map(industry_names)
    figure = plots.rate_lines(
        by_industry, x="month", y="collected_rate", hue="industry", dataset=dataset, ylabel="duty rate (%)",
        title=f"Collected duty rate on imports from {name}, six largest industries",
    )  # fmt: skip
    peak_rows = by_industry.loc[by_industry["collected_rate"].idxmax()]
    display(
        plots.show(
            figure,
            alt=f"Line chart of the monthly collected duty rate on imports from {name} in its six largest "
            f"industries; the highest is {peak_rows['industry']} at "
            f"{formatting.quantity(peak_rows['collected_rate'], 'percent')} in "
            f"{formatting.month(peak_rows['month'])}.",
            caption=f"Collected duty rate by industry and month, imports from {name}, % of customs value.",
            data=by_industry[["industry", "month", "value", "duty", "collected_rate"]],
            name="industry_months",
        )
    )

# %% [markdown]
# ## Where statutory and collected part ways (HS10 data)
# The gap between the duty collected and the schedule's ad valorem rates, month by month for the partner,
# split into: the **ad valorem equivalents** of specific and compound duties (from the panel's own unit
# values), **preferences** (the share of imports claiming USMCA or KORUS), Section 301 product
# **exclusions**, and the **residual** (drawback, foreign-trade zones, entries straddling a change, and
# whatever the schedule gets wrong). The four terms add up to the gap.


# %%
def load_schedule():  # the statutory schedule, with what it could not take from the files said in words
    found, notes = views.with_notes(panel.schedule, dataset)
    for text in notes:
        display(Markdown(f"*Schedule:* {formatting.markdown_text(text.removeprefix('tariffs: '))}."))
    return found


schedule = load_schedule() if hs10 else None
if hs10:
    mine = window[window["partner"] == partner]
    ave = tariffs.ad_valorem_equivalents(mine, panel.load("tariff_lines", dataset))
    rated = schedule.monthly_rates(
        mine[["hs10", "hs8", "partner", "month", "value", "duty"]], ave=ave, layers=[]
    )
    terms = tariffs.reconcile(rated, by=["partner", "month"])
    long = terms.melt(
        id_vars=["month"],
        value_vars=["gap", *tariffs.RECONCILIATION_TERMS],
        var_name="term",
        value_name="rate",
    )
    long["term"] = long["term"].map(lambda term: "Gap" if term == "gap" else views.layer_name(term))
    figure = plots.rate_lines(
        long, x="month", y="rate", hue="term", dataset=dataset, ylabel="share of customs value (%)",
        title=f"Collected less statutory (ad valorem) on imports from {name}, and its parts",
    )  # fmt: skip
    plots.percent_axis(figure.axes[0], decimals=1)  # the terms are tenths of a point
    display(
        plots.show(
            figure,
            alt=f"Line chart of the gap between collected and statutory duty on imports from {name} by month "
            "and of its four parts.",
            caption="Collected less statutory duty, % of customs value, and its parts (they add up to the "
            "gap).",
            data=long,
            name="reconciliation",
        )
    )
    headline(
        residual_mean_abs=Figure(terms["residual"].abs().mean(), "points", label="Mean absolute residual"),
        gap_last_month=Figure(
            terms["gap"].iloc[-1], "points", label="Collected less statutory", period=shown_to
        ),
    )
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
# the data hold it, else the first full year they hold.

# %%
weights = base_year = None
if hs10:
    base_year, weights = views.fixed_weights(imports, partner=partner)
elif "industries" in built and ({"imports", "imports_annual"} & built):
    hs10_values = panel.load("imports_annual" if "imports_annual" in built else "imports", dataset)
    base_year, weights = views.fixed_weights(hs10_values, partner=partner)
# The 1st and 15th of each month, so that mid-month changes (Geneva took effect on 14 May) show.
dates = pd.date_range(f"{max(start, '2018-01')}-01", f"{end}-15", freq="SMS")
average = None
if weights is None:
    display(
        Markdown(
            "**Not shown: no weights.** The fixed-weight statutory average needs the partner's imports by HS "
            "line in a base year (Census imports by HS10, monthly or annual) and, for industries, the Census "
            "HS10 → NAICS concordance; this dataset has neither, so only the collected rates above are shown."
        )
    )
else:
    schedule = schedule or load_schedule()
    average = tariffs.average_tariff(schedule, weights, dates=dates)
    layers = {layer: views.layer_name(layer) for layer in tariffs.OUTPUT_LAYERS}
    figure = plots.layer_areas(
        average.rename(columns=layers), x="date", layers=list(layers.values()), dataset=dataset,
        ylabel="average tariff (%)",
        title=f"Average US tariff on imports from {name}, fixed {base_year} weights",
    )  # fmt: skip
    display(
        plots.show(
            figure,
            alt=f"Stacked area chart of the statutory average tariff on imports from {name} by layer, "
            f"weighted "
            f"by {base_year} imports; it peaks at {formatting.quantity(average['total'].max(), 'percent')}.",
            caption=f"Statutory average tariff by layer, weights from {base_year}"
            + ("" if base_year == 2017 else " (2017, PIIE's base year, is not in the data)")
            + ", % of the weighted value.",
            data=average,
            name="fixed_weight_average",
        )
    )
    headline(
        weight_year=Figure(str(base_year), "text", label="Weight year"),
        average_tariff_peak=Figure(average["total"].max(), "percent", label="Highest fixed-weight average"),
        average_tariff_last=Figure(
            average["total"].iloc[-1], "percent", label="Fixed-weight average", period=shown_to
        ),
    )

# %% [markdown]
# ## US on China and China on US, beside the PIIE chart
# The same measure both ways: the US tariff on imports from China weighted by base-year US imports from
# China, and China's retaliatory tariff (over and above China's MFN rate, which the schedule does not hold)
# weighted by base-year US exports to China. Dots are PIIE's published figures. China's side needs the
# exports panel (Census exports by HS10).

# %%
both = None
if partner != "5700":
    display(Markdown(f"Shown on China's page only: PIIE's chart is of the US and China, not {name}."))
elif weights is None:
    display(Markdown("Not shown: without weights (above) neither average can be computed."))
else:
    export_weights = None
    if "exports" in built:
        exports = panel.load("exports", dataset)
        if (exports["partner"] == partner).any():
            _, export_weights = views.fixed_weights(exports, partner=partner)
    both = tariffs.us_china_averages(
        schedule, us_imports_from_china=weights, us_exports_to_china=export_weights, dates=dates
    )
    figure = plots.published_comparison(
        both, tariffs.published_averages(), x="date", y="total", hue="direction", dataset=dataset,
        title=f"Average tariffs between the US and China, fixed {base_year} "
        f"weights", ylabel="average tariff (%)",
    )  # fmt: skip
    display(
        plots.show(
            figure,
            alt="Line chart of the fixed-weight average US tariff on China and China's on the US, with "
            "PIIE's "
            "published points.",
            caption=f"Average tariffs both ways, fixed {base_year} weights (lines) and PIIE's published "
            "figures (dots), %.",
            data=both[["direction", "date", "total"]],
            name="us_china_averages",
        )
    )
    if export_weights is None:
        display(Markdown("No exports panel in this dataset: China's tariff on US goods is not shown."))
    if synthetic:
        display(
            Markdown(
                "On the demo world the computed US-on-China line runs below PIIE's points from 2018 to 2025: "
                "the demo is calibrated to 2024 trade, and less of its 2017 trade sits on the Section 301 "
                "lists than of the real 2017 trade. On real HS10 data the two should meet."
            )
        )

# %% [markdown]
# ## Beside the published figures

# %%
checks = []
june = pd.Timestamp("2025-06-01")
if june in summary["monthly"].index and partner == "5700":
    checks.append(
        validation.Check(
            Figure(
                summary["monthly"][june],
                "percent",
                label="Collected duty rate on imports from China, June 2025",
            ),
            ["piie_us_on_china_after_geneva"],
            reason="PIIE's is the statutory average weighted by 2017 trade; duty collected runs below it "
            "(electronics and Annex II goods exempt from the reciprocal tariff, Section 301 exclusions, "
            "goods "
            "in transit entering at the old rates).",
        )
    )
all_partners = views.collected(window, by=["month"]).set_index("month")["collected_rate"]
if june in all_partners.index:
    checks.append(
        validation.Check(
            Figure(
                all_partners[june],
                "percent",
                label="Collected duty rate on imports from every partner in the panel, June 2025",
            ),
            ["ybl_etr_after_geneva"],
            reason=f"Yale's is the statutory rate on all US imports before substitution; ours is the duty "
            f"collected on the panel's {len(others) + 1} partners, which runs below the statutory rate.",
        )
    )
if both is not None:
    after = both[both["date"] == pd.Timestamp("2025-06-01")].set_index("direction")["total"]
    headline(
        us_on_china_after_geneva=Figure(
            after.get("US on China"), "percent", label="US on China, 1 June 2025"
        ),
        china_on_us_after_geneva=Figure(
            after.get("China on US"), "percent", label="China on US, 1 June 2025"
        ),
    )
    for direction, anchor in (("US on China", "piie_us_on_china_after_geneva"),
                              ("China on US", "piie_china_on_us_after_geneva")):  # fmt: skip
        if direction in after.index:
            checks.append(
                validation.Check(
                    Figure(
                        after[direction],
                        "percent",
                        label=f"Statutory average, {direction}, 1 June 2025 (fixed {base_year} weights)",
                    ),
                    [anchor],
                    reason="The same measure; PIIE weights by real 2017 trade"
                    + (", the demo by its synthetic trade." if synthetic else "."),
                )
            )
if checks:
    display(validation.show(checks, synthetic=synthetic))
else:
    display(Markdown(f"No published figure to set beside these months for {name}."))

# %%
# Machine-readable figures for reports/<run>.json, each with its unit (plain values only for codes and
# months, which the index and tests read as they are).
in_2024 = year == 2024
extra = {}
if pd.Timestamp("2025-05-01") in summary["monthly"].index:
    extra["collected_rate_2025_05"] = Figure(
        summary["monthly"][pd.Timestamp("2025-05-01")], "percent", label="Collected rate, May 2025"
    )
if hs10:
    extra.update(
        statutory_rate_peak=Figure(
            ours.loc[statutory_peak, "statutory_rate"], "percent", label="Highest statutory rate",
            period=formatting.month(statutory_peak),
        ),
        statutory_peak_month=Figure(f"{statutory_peak:%Y-%m}", "month", label="Statutory peak month"),
        statutory_rate_last_month=Figure(
            ours["statutory_rate"].iloc[-1], "percent", label="Statutory rate", period=shown_to
        ),
    )  # fmt: skip
figures = headline(
    partner=Figure(f"{name} ({partner})", "text", label="Partner"),
    imports_panel=Figure(views.IMPORT_PANELS[source], "text", label="Import panel"),
    imports_2024=Figure(summary["value"] if in_2024 else None, "usd_bn", label="Imports, 2024"),
    duty_2024=Figure(summary["duty"] if in_2024 else None, "usd_bn", label="Duty collected, 2024"),
    collected_rate_2024=Figure(
        summary["collected_rate"] if in_2024 else None, "percent", label="Collected rate, 2024"
    ),
    collected_rate_peak=Figure(
        summary["peak_rate"], "percent", label="Highest monthly collected rate",
        period=formatting.month(summary["peak_month"]),
    ),
    collected_peak_month=Figure(f"{summary['peak_month']:%Y-%m}", "month", label="Peak month"),
    collected_rate_last_month=Figure(summary["last_rate"], "percent", label="Latest rate", period=shown_to),
    last_month=Figure(f"{summary['last_month']:%Y-%m}", "month", label="Last month of data"),
    known_through=Figure(formatting.day(known), "text", label="Tariff schedule known through"),
    **extra,
)  # fmt: skip
