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
# # Who paid the tariffs? Pass-through, import demand and the 2025 events
#
# Estimates on the monthly HS10 × partner import panel, with high-dimensional fixed effects absorbed
# (`econ.estimate`): the pass-through of tariffs into import prices, the elasticities of import demand
# between partners (σ) and of a product's total imports (η) with their joint sampling variance, event
# studies around China's 2018–19 tariff waves, the 2025 design — the escalation, the Geneva cut, Busan
# and the ruling as separate events against one reference period — with four estimators side by side,
# inference that allows for a single treated partner, and diversion to third countries. Each estimate is
# shown beside the published figures (FACTS §5) and, on the demo world, beside its truth.
#
# `imports_panel` picks the data. `imports` (Census HS10 × partner × month, with quantities) gives all of
# the above at the finest level there is. `imports_naics` (Census NAICS industry × partner × month: values
# and calculated duties, no quantities) gives what values alone allow — the response of import values to
# the 2025 events and to China's tariff, and the collected-rate series that measures that tariff — and says
# so; prices, σ and η need quantities.

# %% tags=["parameters"]
dataset: str = "demo"
horizon: int = 12
cluster: str = "product_id"
measure: str = "statutory"
outcome: str = "value"
event_pre: int = -6
event_post: int = 12
threshold: float = 0.05
bootstrap_reps: int = 199
imports_panel: str = "imports"

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from econ import panel, plots
from econ.estimate import (
    design_bootstrap,
    did_2025,
    event_study,
    joint_parameters,
    monte_carlo_table,
    old_contrasts,
    passthrough,
    plot_event_study,
    randomization_inference,
    stack,
    trade_diversion,
    value_response,
)
from econ.estimate.design import month_start
from econ.panel import views
from econ.reports import headline

plots.use_house_style()
# The estimators warn about every row they drop (missing or zero flows, singletons); the counts are in
# the `nobs` column of each table, so the warnings are not repeated here.
warnings.filterwarnings("ignore", category=UserWarning)
display(Markdown(panel.dataset_note(dataset)))
source = views.imports_choice(dataset, imports_panel)
imports = panel.load(source, dataset)
names = dict(zip(imports["partner"], imports["partner_name"], strict=False))
display(Markdown(panel.rests_on(dataset, [source, "tariff_lines"], partner_names=names)))
schedule = panel.schedule(dataset)
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
hs10 = source == "imports"
if hs10:
    estimation, rates = imports, schedule
    print(f"{len(imports):,} HS10 × partner × month rows, {first:%Y-%m} to {last:%Y-%m}")
else:
    # The estimators read a product key and a tariff: here the NAICS industry and its collected rate.
    estimation, rates = views.industry_panel(imports), None
    print(f"{len(imports):,} NAICS industry × partner × month rows, {first:%Y-%m} to {last:%Y-%m}")
    display(
        Markdown(
            "**Values only (the NAICS panel).** Without quantities there are no unit values, so no "
            "pass-through into prices, σ or η: those need Census imports by HS10. What values allow is "
            "estimated below — the response of import values to China's tariff, with the tariff measured "
            "by the **collected** rate (duty ÷ value; the panel has no product lines to evaluate the "
            "schedule on), and the 2025 events' effect on values. Products are NAICS industries."
        )
    )
    if outcome != "value":
        raise ValueError(f"outcome {outcome!r} needs quantities; the NAICS panel has values only: use value")
span_note = views.monthly_span(imports["month"])
ready = span_note is None  # 12-month differences over several years
covers_waves = views.spans(imports["month"], "2017-07", "2020-06")  # China's 2018–19 lists, with windows
covers_2025 = views.spans(imports["month"], "2024-07", "2025-06")  # the reference period and Geneva
if span_note:
    display(Markdown(f"**Not estimated here.** {span_note}"))

# %% [markdown]
# ## The collected-rate series
# Duty collected ÷ value on imports from China and from the other partners of the panel, by month: the
# tariff as paid, the regressor of the NAICS estimates and the first stage of the HS10 ones.

# %%
sides = imports["partner"].eq("5700").map({True: "China", False: "others"})
series = views.collected(imports.assign(side=sides), by=["side", "month"])
figure = plots.rate_lines(
    series, x="month", y="collected_rate", hue="side", dataset=dataset,
    title="Collected duty rate on US imports: China and the panel's other partners",
)  # fmt: skip

# %% [markdown]
# ## Pass-through, σ and η, and their joint variance (HS10 data)
#
# Pass-through: Δ log p = β Δ log(1 + τ) + product × month + partner × month effects, over `horizon`-month
# differences within product × partner pairs (Amiti, Redding & Weinstein 2019; Fajgelbaum et al. 2020),
# with outcome and regressor on the same footing (`measure`: the duty-inclusive price built from the
# statutory rate, or the collected rate instrumented by the statutory one). σ: Δ log q on the
# duty-inclusive price, instrumented by the tariff. η: a product's total imports on its Sato–Vartia
# price index, instrumented by the same index of the tariff. Standard errors clustered by `cluster`;
# the three are estimated on one panel, so their errors are correlated — the covariance below is what
# the partial-equilibrium notebook draws from (`econ.models.trade.estimated_parameters`).
# With the NAICS panel, the value response takes their place: Δ log value on Δ log(1 + collected rate),
# industry × month and partner × month effects — an elasticity of values, not of prices or quantities.

# %%
prices = joint = None
published = {
    "duty_inclusive": "≈ 1 in 2018–19 (Fajgelbaum et al.; ARW); 0.94–0.96 in 2025 (Gopinath & Neiman)",
    "duty_exclusive": "≈ 0 in 2018–19 (exporters did not cut prices)",
    "sigma": "σ ≈ 2.5 between varieties (Fajgelbaum et al.): coefficient ≈ −2.5",
    "eta": "short-run trade elasticity ≈ 1–1.5, long run 2–4 (Boehm et al.): coefficient ≈ −1",
}
true_values = {
    "duty_inclusive": truth.get("passthrough"),
    "duty_exclusive": truth["passthrough"] - 1 if truth else None,
    "sigma": -truth["import_elasticity"] if truth else None,
    "eta": -truth["aggregate_elasticity"] if truth else None,
}
if ready and hs10:
    prices = passthrough(imports, horizon=horizon, cluster=cluster, measure=measure)
    joint = joint_parameters(imports, horizon=horizon, cluster=cluster)
    demand = joint.results
    table = stack({**prices, "sigma": demand["sigma"], "eta": demand["eta"]})
    table = table[["model", "term", "estimate", "std_error", "ci_low", "ci_high", "nobs"]]
    table["published"] = table["model"].map(published)
    if truth:
        table["true value (demo)"] = table["model"].map(true_values)
    display(table.round(3))
    if truth:
        display(
            Markdown(
                "On the calibrated demo η is recovered less well than ρ and σ: its calibration rescales each "
                "partner's values after demand is drawn, which moves a product's total with its partner mix "
                "(the likely reason; the structural world, which has no such step, is where η is checked — "
                "see the Monte Carlo table below)."
            )
        )
    display(Markdown("Correlation of the estimates of ρ, σ and η (one sampling draw, clustered by product):"))
    display(joint.correlation.round(2))
elif ready:
    response = value_response(estimation, horizon=horizon, cluster=cluster)
    display(response.tidy()[["term", "estimate", "std_error", "ci_low", "ci_high", "nobs"]].round(3))
    display(
        Markdown(
            f"A 10% rise in the duty collected on an industry's imports from a partner went with a "
            f"{abs(10 * float(response.coef.iloc[0])):.1f}% "
            f"{'fall' if response.coef.iloc[0] < 0 else 'rise'} in their value over the same months, "
            "against the same industry from other partners. Under "
            "constant-elasticity demand this is −(σ − 1)ρ with σ the elasticity between partners and ρ the "
            "pass-through; it is not a price elasticity. The collected rate is the tariff as paid: it moves "
            "with the mix of products within an industry (a product that stops being imported stops paying "
            "its duty), which biases the estimate towards zero."
        )
    )
else:
    display(Markdown("Not estimated: the panel is too short (above)."))

# %% [markdown]
# ## Event studies around China's 2018–19 tariff waves
#
# Leads and lags of log values (and, with HS10 data, quantities and duty-inclusive unit values) around every
# tariff increase of at least `threshold` (log points) on a China pair before 2020 — a pair on List 3 has
# two, in 2018 and May 2019 — stacked by event month, each against other partners of the same product in
# the same month that had no change of their own; windows trimmed, month −1 the reference. With HS10 data
# the increases are the schedule's; with the NAICS panel they are jumps in the collected rate, which lag
# the legal dates by the weeks goods spend in transit.

# %%
window = (event_pre, event_post)
waves = {
    "rates": rates,
    "event_partners": ["5700"],
    "until": 2019 * 12 + 11,
    "threshold": threshold,
    "window": window,
}
studies = {}
if covers_waves:
    studies["value"] = event_study(estimation, outcome="value", **waves)
    if hs10:
        studies["duty-inclusive unit value"] = event_study(imports, outcome="unit_value_incl_duty", **waves)
        studies["quantity"] = event_study(imports, outcome="quantity", **waves)
    figure, axes = plt.subplots(1, 2 if hs10 else 1, figsize=(11 if hs10 else 7, 4), squeeze=False)
    if hs10:
        plot_event_study(
            {"duty-inclusive unit value": studies["duty-inclusive unit value"]}, ax=axes[0][0], title="Prices"
        )
    plot_event_study(
        {k: studies[k] for k in ("quantity", "value") if k in studies}, ax=axes[0][-1],
        title="Quantities and values" if hs10 else f"Values ({studies['value'].n_event_pairs} events)",
    )  # fmt: skip
    plots.label_synthetic(figure, dataset)
    figure.tight_layout()
else:
    display(
        Markdown(
            f"Not estimated: the panel ({first:%Y-%m} to {last:%Y-%m}) does not span 2017-07 to 2020-06."
        )
    )

# %% [markdown]
# ## The 2025 design: escalation, Geneva, Busan and the ruling
#
# China's pairs are treated from the escalation of February 2025, the other partners' pairs in the same
# products are the controls, and every month is compared with one reference period, July 2024 – January
# 2025, before the escalation. Each event's effect is the change in the path from the previous event's
# post window to its own; its intensity the same change in log(1 + τ), China minus the controls. With
# HS10 data treatment comes from the statutory schedule evaluated for every pair and month; with the
# NAICS panel from the collected rate (the first month an industry's collected rate on China rose
# `threshold` log points above its reference mean), so the cohort can fall a month after the legal date.

# %%
design = placebo = boot = None
if covers_2025:
    design = did_2025(estimation, rates, outcome=outcome, cluster=cluster, threshold=threshold)
    events = design.events.pivot(index="event", columns="estimator", values="effect")
    events = events.reindex([e for e in ("escalation", "geneva", "busan", "ruling") if e in events.index])
    events["intensity"] = design.events.groupby("event")["intensity"].first()
    semi = design.events.pivot(index="event", columns="estimator", values="per_unit").reindex(events.index)
    kind = "pairs" if hs10 else "industry × partner pairs"
    print(
        f"{design.treated_pairs:,} treated China {kind} (cohort {month_start(design.cohort):%Y-%m}), "
        f"{design.control_pairs:,} control {kind}"
    )
    display(Markdown("Effect of each event on log imports (China relative to other partners, same product):"))
    display(events.round(3))
    display(Markdown("The same per unit of log(1 + τ) — semi-elasticities:"))
    display(semi.round(2))
    if truth:
        elasticity = truth["passthrough"] - 1 - truth["import_elasticity"] * truth["passthrough"]
        display(
            Markdown(
                f"True elasticity of log import value to log(1 + τ) in the demo world: ρ − 1 − σρ = "
                f"{elasticity:.3f}, so the true effect of each event is {elasticity:.3f} × its intensity "
                "(compared with the estimates, and with the noise one treated partner brings, in the "
                "inference section below)."
            )
        )
    figure, ax = plt.subplots(figsize=(9, 4))
    for name, part in design.path.groupby("estimator"):
        months = [month_start(m) for m in part["month_id"]]
        ax.errorbar(
            months, part["estimate"], yerr=1.96 * part["std_error"], fmt="o-", ms=3, capsize=2, label=name
        )
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylabel("log imports vs July 2024 – January 2025")
    ax.set_title("Imports from China relative to other partners, by month")
    ax.legend(frameon=False)
    plots.label_synthetic(figure, dataset)
else:
    display(
        Markdown(
            f"Not estimated: the panel ({first:%Y-%m} to {last:%Y-%m}) does not span 2024-07 to 2025-06."
        )
    )

# %% [markdown]
# ### Why the estimators agree here, and where the old contradiction came from
#
# With one cohort (every treated pair's first treated month is the same), the two-way fixed-effects event
# study and Sun–Abraham are the same regression; Gardner's two stage and Callaway–Sant'Anna (controls in
# the same product, the whole reference period as base) weight each treated row equally instead of by its
# within-variation, hence their small differences. The "dose" regression assumes one static elasticity for
# every month and measures the tariff by the rate of the data; where it departs from the event estimates,
# responses are not proportional to the month's tariff (lags, anticipation, composition, or a rate paid
# below the statutory one, as for goods claiming USMCA preferences).
#
# The earlier design reported −0.06 (two-way fixed effects) against +1.00 (Sun–Abraham) for "the
# Geneva cut" on the demo. Both are contrasts of the one path above:

# %%
if design is not None and "geneva" in set(design.events["event"]):
    contrasts = old_contrasts(design)
    for label, (value, se) in {
        "May–Dec 2025 against Nov 2024 – Apr 2025 (the old TWFE baseline, three escalation months in it)":
            contrasts["against_nov_to_apr"],
        "May–Dec 2025 against April 2025 (the old Sun–Abraham reference, the peak)":
            contrasts["against_april"],
    }.items():  # fmt: skip
        print(f"{label}: {value:+.3f} (s.e. {se:.3f})")

# %% [markdown]
# ## Inference with one treated partner
#
# The analytic errors are clustered by product; the wild cluster bootstrap (restricted, Rademacher,
# `wildboottest`) gives a p-value for each event on the same clusters; randomisation inference gives
# every other partner China's treatment dates in turn and asks how often a placebo effect is as large —
# the only one of the three that allows for shocks common to all of one partner's products.

# %%
if design is not None:
    boot = design_bootstrap(design, cluster="product_id", reps=bootstrap_reps)
    placebo = randomization_inference(
        estimation, rates, outcome=outcome, cluster=cluster, threshold=threshold
    )
    twfe = design.events[design.events["estimator"] == "twfe"].set_index("event")
    inference = pd.DataFrame(
        {
            "effect": twfe["effect"],
            "analytic s.e.": twfe["std_error"],
            "wild bootstrap p (by product)": boot.set_index("event")["p_value"],
            "placebo s.d. (by partner)": placebo.set_index("event")["placebo_sd"],
            "randomisation p (by partner)": placebo.set_index("event")["p_value"],
            "placebo partners": placebo.set_index("event")["placebos"],
        }
    )
    if truth:
        inference["true effect (demo)"] = elasticity * events["intensity"]
        inference["gap / placebo s.d."] = (inference["effect"] - inference["true effect (demo)"]) / inference[
            "placebo s.d. (by partner)"
        ]
    display(inference.round(4))
    if truth:
        worst_analytic = float(
            ((inference["effect"] - inference["true effect (demo)"]) / inference["analytic s.e."]).abs().max()
        )
        worst_placebo = float(inference["gap / placebo s.d."].abs().max())
        display(
            Markdown(
                f"On the demo the estimates miss the truth by up to {worst_analytic:.1f} analytic standard "
                f"errors but by at most {worst_placebo:.1f} placebo standard deviations. The demo gives each "
                "partner its own random walk in prices: China's realised walk is a shock to all of China's "
                "products that no estimator with one treated partner can separate from the tariff, and only "
                "randomisation inference over partners measures it."
            )
        )


# %% [markdown]
# ## How the estimators fare on a world they did not write
#
# The Monte Carlo study (benchmarks/montecarlo.py) draws the structural demo world
# (`econ.demo.structural`, synthetic: exporters' prices that adjust with lags, anticipation and
# inventories, gaps, code changes, exclusions, the de minimis shift, its own tariff table) again and
# again and records bias, RMSE and the coverage of the 95% intervals of every estimator.

# %%
mc = monte_carlo_table()
print(mc.attrs["source"])
display(
    Markdown(
        "How to read it. The four event-study estimators are unbiased for every event (the Geneva effect "
        "carries the de minimis shift, +0.03 log points, which coincides with the cut). Their analytic "
        "intervals are conservative for the escalation and Geneva and cover only about half the time for "
        "Busan and the ruling: China's own monthly shocks, which clustering by product cannot see, are "
        "large against those small changes — hence the randomisation inference over partners above. The "
        "dose regression, which assumes one static elasticity, is biased when prices adjust with lags and "
        "importers buy ahead, and its intervals are far too narrow. Pass-through over 12-month differences "
        "is biased up by about 0.02 (the months when exporters have not finished adjusting), σ by about "
        "0.08 (2.6%; anticipation and inventory drawdowns around the 2018–19 lists) with intervals that "
        "almost never cover, and η by about 0.05 with coverage near 90%."
    )
)
mc[["estimand", "estimator", "truth", "bias", "rmse", "mean_se", "sd_estimate", "coverage_95"]].round(3)

# %% [markdown]
# ## Trade diversion
#
# Third countries' imports of a product on China's tariff on the same product (log(1 + τ), partner ×
# month and product × partner effects, own tariff controlled); with the NAICS panel, of an industry on
# China's collected rate in the same industry.

# %%
diversion = trade_diversion(estimation, cluster=cluster) if ready else None
if diversion is not None:
    display(diversion.tidy()[["term", "estimate", "std_error", "ci_low", "ci_high", "nobs"]].round(3))

# %%
by_event = design.events.set_index(["event", "estimator"])["effect"] if design is not None else pd.Series()


def _figure(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


figures = headline(
    imports_panel=source,
    first_month=f"{first:%Y-%m}",
    last_month=f"{last:%Y-%m}",
    geneva_effect_twfe=_figure(by_event.get(("geneva", "twfe"))),
    geneva_effect_two_stage=_figure(by_event.get(("geneva", "two_stage"))),
    escalation_effect_twfe=_figure(by_event.get(("escalation", "twfe"))),
    geneva_randomisation_p=_figure(placebo.set_index("event")["p_value"].get("geneva"))
    if placebo is not None
    else None,
    diversion_elasticity=_figure(diversion.coef.iloc[0]) if diversion is not None else None,
    synthetic_data=dataset == "demo",
)
if prices is not None and joint is not None:
    incl = prices["duty_inclusive"]
    headline(
        passthrough_duty_inclusive=float(incl.coef.iloc[0]),
        passthrough_duty_inclusive_se=float(incl.se.iloc[0]),
        import_elasticity=float(joint.estimates["sigma"]),
        import_elasticity_se=float(joint["sigma"][1]),
        aggregate_elasticity=float(joint.estimates["eta"]),
        aggregate_elasticity_se=float(joint["eta"][1]),
    )
elif ready:
    headline(value_response=float(response.coef.iloc[0]), value_response_se=float(response.se.iloc[0]))

# %% [markdown]
# ## In plain words

# %%
words = ""
if prices is not None and joint is not None:
    share = float(incl.coef.iloc[0])
    low, high = 10 * incl.tidy()["ci_low"].iloc[0], 10 * incl.tidy()["ci_high"].iloc[0]
    words = (
        f"A 10% tariff raised the duty-inclusive import price by {10 * share:.1f}% "
        f"(95% interval {low:.1f}–{high:.1f}%): "
        f"{'nearly all' if share > 0.9 else 'most' if share > 0.6 else 'part'} of the tariff "
        f"was paid by US importers rather than by foreign exporters. Imports of a variety fell by "
        f"{joint.estimates['sigma']:.1f}% for each 1% rise in its duty-inclusive price relative to other "
        f"partners', and a product's total imports by {joint.estimates['eta']:.1f}% for each 1% rise in its "
        "import price index."
    )
elif ready:
    words = (
        "These data hold values and duties by industry, not quantities: who paid the tariff (the split "
        "between US buyers and foreign exporters) cannot be measured from them. Import values from China "
        f"moved by {float(response.coef.iloc[0]):.2f} log points per log point of the collected tariff."
    )
geneva = by_event.get(("geneva", "twfe"))
escalation = by_event.get(("escalation", "twfe"))
if escalation is not None:
    words += (
        f" The escalation of 2025 moved China's imports by {100 * (np.exp(escalation) - 1):+.0f}% relative "
        "to other partners' imports of the same products, from the 2024 reference."
    )
if geneva is not None:
    words += (
        f" After the Geneva cut they moved by a further {100 * (np.exp(geneva) - 1):+.0f}% from the "
        "escalation's level."
    )
if dataset == "demo":
    words += (
        f" These are estimates on the synthetic demo world; its true pass-through is {truth['passthrough']},"
        f" σ {truth['import_elasticity']} and η {truth['aggregate_elasticity']}."
    )
display(Markdown(words or "Nothing could be estimated on this panel (see above)."))
