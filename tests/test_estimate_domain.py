"""The domain estimators recover the truth of simulated import panels (econ.estimate.simulate), and the
95% intervals of the pass-through regression cover the truth at the nominal rate in a small Monte Carlo."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from econ.errors import EstimationError, ParameterError
from econ.estimate import (
    did_2025,
    event_study,
    import_demand,
    passthrough,
    plot_event_study,
    simulate_import_panel,
    stack,
    trade_diversion,
)

TRUE_PASSTHROUGH = 0.8
TRUE_SIGMA = 3.0


@pytest.fixture(scope="module")
def world() -> pd.DataFrame:
    frame, _ = simulate_import_panel(
        seed=11, n_products=700, passthrough=TRUE_PASSTHROUGH, import_elasticity=TRUE_SIGMA
    )
    return frame


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*singleton.*")
        warnings.filterwarnings("ignore", message=".*missing or non-finite.*")
        yield


def within(estimate: float, se: float, truth: float, k: float = 2.0) -> bool:
    return abs(estimate - truth) <= k * se


@pytest.mark.parametrize("horizon", [12, 1, None])
def test_passthrough_recovers_truth(world, horizon):
    fits = passthrough(world, horizon=horizon)
    incl, excl = fits["duty_inclusive"], fits["duty_exclusive"]
    (name,) = incl.coef.index
    assert within(incl.coef[name], incl.se[name], TRUE_PASSTHROUGH)
    assert within(excl.coef[name], excl.se[name], TRUE_PASSTHROUGH - 1.0)
    # same rows, and duty-inclusive = duty-exclusive + log(1+τ) exactly
    assert incl.nobs == excl.nobs
    np.testing.assert_allclose(incl.coef[name] - excl.coef[name], 1.0, atol=1e-6)
    table = stack(fits)
    assert set(table["model"]) == {"duty_inclusive", "duty_exclusive"}
    assert "equation" in incl.specification


def test_import_demand_recovers_sigma(world):
    fits = import_demand(world)
    q = fits["quantity"]
    assert within(q.coef.iloc[0], q.se.iloc[0], -TRUE_SIGMA)
    value_truth = 1.0 - TRUE_SIGMA - 1.0 / TRUE_PASSTHROUGH
    assert within(fits["value"].coef.iloc[0], fits["value"].se.iloc[0], value_truth)
    assert q.extra["first_stage_f"] > 10
    fs = fits["first_stage"]
    assert within(fs.coef.iloc[0], fs.se.iloc[0], TRUE_PASSTHROUGH)


def test_event_study_shape_and_figure(world):
    wave = {"event_partners": ["5700"], "until": 2019 * 12 + 11}  # the 2018–19 Section 301 waves on China
    prices = event_study(world, outcome="unit_value_incl_duty", window=(-4, 6), **wave)
    p = prices.profile.set_index("rel_time")
    assert p.loc[-1, "estimate"] == 0.0 and list(p.index) == list(range(-4, 7))
    leads = p.loc[[-3, -2]]
    assert (leads["estimate"].abs() <= 3 * leads["std_error"]).all()  # no pre-trend in the simulation
    assert p.loc[0, "estimate"] > 3 * p.loc[0, "std_error"]  # the duty-inclusive price jumps on impact
    quantities = event_study(world, outcome="quantity", window=(-4, 6), **wave)
    q = quantities.profile.set_index("rel_time")
    assert q.loc[0, "estimate"] < -3 * q.loc[0, "std_error"]
    fig = plot_event_study({"price": prices, "quantity": quantities}, title="test")
    assert len(fig.axes[0].lines) >= 2
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["price", "quantity"]
    # below the plot and its axis label (econ.plots.legend_below), not over the first months' estimates
    assert legend.get_window_extent(renderer).y1 <= fig.axes[0].xaxis.get_tightbbox(renderer).y0 + 0.5


def _profile(level: float) -> pd.DataFrame:
    times = list(range(-3, 4))
    estimate = [0.0 if t < 0 else level for t in times]
    return pd.DataFrame(
        {"rel_time": times, "estimate": estimate, "std_error": 0.01, "ci_low": [e - 0.02 for e in estimate],
         "ci_high": [e + 0.02 for e in estimate], "n_obs": 100}
    )  # fmt: skip


def test_event_study_panels_give_each_outcome_one_colour_named_in_words():
    """The pass-through page's panels: a price alone in one, quantity and value in the other. Each panel
    alone started the palette again, so the price and the quantity were both blue; now each outcome has
    its own colour, the same in every panel that draws it, and the legends name it in words."""
    from matplotlib.colors import to_hex

    from econ.estimate import OUTCOME_WORDS, EventStudy, plot_event_study_panels

    def study(outcome: str, level: float) -> EventStudy:
        return EventStudy(result=None, profile=_profile(level), n_event_pairs=10, outcome=outcome)

    price, quantity, value = study("unit_value_incl_duty", 0.1), study("quantity", -0.3), study("value", -0.2)
    fig = plot_event_study_panels(
        {"Prices": [price], "Quantities and values": [quantity, value], "Values again": [value]}
    )
    by_name: dict[str, set[str]] = {}
    for ax in fig.axes:
        legend = ax.get_legend()
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
            by_name.setdefault(text.get_text(), set()).add(to_hex(handle.get_color()))
        for container in ax.containers:  # the drawn series, in the colour their legend entry shows
            label = container.get_label()
            assert to_hex(container.lines[0].get_color()) in by_name[label]
    words = {OUTCOME_WORDS[o] for o in ("unit_value_incl_duty", "quantity", "value")}
    assert set(by_name) == words  # words, not the columns' codes
    assert all(len(colours) == 1 for colours in by_name.values())  # one colour per series in every panel
    assert len({next(iter(colours)) for colours in by_name.values()}) == 3  # no two series share one
    plt.close(fig)


def test_trade_diversion_is_zero_when_the_world_has_none(world):
    fit = trade_diversion(world)
    name = "log_1_plus_tariff_5700"
    assert within(fit.coef[name], fit.se[name], 0.0, k=2.5)
    assert fit.specification["tariffed_partner"] == "5700"


def test_domain_functions_name_missing_columns(world):
    with pytest.raises(EstimationError, match="unit_value"):
        passthrough(world.drop(columns=["unit_value"]))
    with pytest.raises(EstimationError, match="collected_rate"):
        passthrough(world, measure="collected_iv")  # the simulated panel has no collected rate
    with pytest.raises(ParameterError, match="measure"):
        passthrough(world, measure="collected")
    with pytest.raises(ParameterError, match="outcome"):
        event_study(world, outcome="price")
    with pytest.raises(EstimationError, match="no pair of partner 9999"):
        did_2025(world, None, treated_partner="9999")


def test_monte_carlo_coverage_of_95_percent_intervals():
    """50 small worlds, fixed seeds: the duty-inclusive pass-through interval covers ρ in 90–99% of them."""
    covered = []
    for seed in range(50):
        frame, truth = simulate_import_panel(
            seed=1000 + seed, n_products=100, n_partners=10, n_months=48, passthrough=0.7
        )
        fit = passthrough(frame, horizon=12, prices=("duty_inclusive",))["duty_inclusive"]
        row = fit.tidy().iloc[0]
        covered.append(row["ci_low"] <= truth["passthrough"] <= row["ci_high"])
    rate = float(np.mean(covered))
    assert 0.90 <= rate <= 0.99, rate
