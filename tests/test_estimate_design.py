"""The 2025 design on the structural demo world (synthetic; its DGP and tariff table are not the
estimators' or the engine's): treatment from the schedule, robustness to missing rows, recovery of the
true event effects, the old contradiction as two contrasts of one path, and inference."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from econ.demo import structural
from econ.errors import EstimationError, ParameterError
from econ.estimate import (
    design_bootstrap,
    did_2025,
    old_contrasts,
    randomization_inference,
    wild_cluster_bootstrap,
)
from econ.estimate.design import EVENTS_2025, month_id, post_windows, schedule_grid


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def world() -> tuple[pd.DataFrame, dict]:
    return structural.simulate(seed=11, scale=0.3)


@pytest.fixture(scope="module")
def design(world):
    panel, _ = world
    return did_2025(panel, panel.attrs["rates"])


def test_the_design_months_follow_the_legal_dates():
    windows = post_windows(EVENTS_2025, month_id("2026-07"))
    assert windows["escalation"] == (month_id("2025-04"), month_id("2025-04"))
    assert windows["geneva"] == (month_id("2025-06"), month_id("2025-10"))
    assert windows["busan"] == (month_id("2025-12"), month_id("2026-01"))
    assert windows["ruling"] == (month_id("2026-03"), month_id("2026-07"))


def test_schedule_grid_fills_the_months_a_pair_has_no_row(world):
    panel, _ = world
    rates = panel.attrs["rates"]
    lo, hi = month_id("2025-01"), month_id("2025-06")
    grid = schedule_grid(panel, rates, first=lo, last=hi)
    pairs = panel.drop_duplicates(["product_id", "partner_id"])
    assert len(grid) == len(pairs) * (hi - lo + 1)
    assert (~grid["observed"]).any()  # the world has gaps; the grid still has a rate for them
    china = grid[(grid["partner"] == "5700") & (grid["month_id"] == month_id("2025-05"))]
    missing = china[~china["observed"]]
    assert len(missing) > 0 and missing["log_tariff"].notna().all()
    # May 2025 for China: reciprocal 125% for 13 days, 10% for 18 (the Geneva cut took effect 05-14)
    exempt = rates.products["exempt"].to_numpy()[rates.product_index(china["hs10"])]
    row = china[~exempt].iloc[0]
    expected = rates.monthly_rates(
        pd.DataFrame({"hs10": [row["hs10"]], "partner": ["5700"], "month": [pd.Timestamp("2025-05-01")]})
    )
    assert expected["ieepa_reciprocal"].iloc[0] == pytest.approx((13 * 1.25 + 18 * 0.10) / 31)
    assert np.log1p(expected["total"].iloc[0]) == pytest.approx(row["log_tariff"])


def test_cohorts_do_not_move_when_rows_go_missing(world):
    """The issue's failure: 15% missing rows turned treated pairs into controls and shifted events."""
    panel, _ = world
    rates = panel.attrs["rates"]
    full = did_2025(panel, rates, estimators=("twfe",))
    thinned = panel.sample(frac=0.85, random_state=0)
    sparse = did_2025(thinned, rates, estimators=("twfe",))
    assert sparse.cohort == full.cohort == month_id("2025-02")
    pairs = thinned[(thinned["partner"] == "5700") & thinned["month_id"].ge(month_id("2024-07"))]
    assert sparse.treated_pairs == pairs.drop_duplicates(["product_id", "partner_id"]).shape[0]
    a = full.events.set_index(["event", "estimator"])["intensity"]
    b = sparse.events.set_index(["event", "estimator"])["intensity"]
    np.testing.assert_allclose(a, b.loc[a.index], rtol=0.05)


def test_event_effects_recover_the_truth(world, design):
    _, truth = world
    events = design.events.set_index(["event", "estimator"])
    for event in ("escalation", "busan"):
        for estimator in ("twfe", "sun_abraham", "two_stage", "callaway_santanna"):
            row = events.loc[(event, estimator)]
            assert abs(row["effect"] - truth["events"][event]) < 4 * row["std_error"] + 0.03, (
                event,
                estimator,
            )
    geneva = events.loc[("geneva", "twfe")]
    assert geneva["effect"] > 0 and truth["events"]["geneva"] > 0
    assert events.loc[("escalation", "twfe"), "intensity"] > 0.4  # China minus controls, log points
    np.testing.assert_allclose(  # one cohort: the dynamic TWFE event study is the Sun–Abraham regression
        events.xs("twfe", level=1)["effect"], events.xs("sun_abraham", level=1)["effect"], atol=1e-9
    )


def test_the_old_contradiction_is_two_contrasts_of_one_path(design):
    contrasts = old_contrasts(design)
    mixed, _ = contrasts["against_nov_to_apr"]
    peak, _ = contrasts["against_april"]
    geneva = design.events.set_index(["event", "estimator"]).loc[("geneva", "twfe"), "effect"]
    assert peak > 0.5 and abs(mixed) < peak / 3  # the rebound from the peak, against a muddled baseline
    assert peak == pytest.approx(geneva, abs=0.35)


def test_wild_bootstrap_and_randomisation_inference(world, design):
    panel, _ = world
    boot = design_bootstrap(design, reps=99)
    assert set(boot["event"]) == set(design.contrasts)
    assert boot.set_index("event").loc["escalation", "p_value"] < 0.05
    placebo = randomization_inference(panel, panel.attrs["rates"], min_pairs=10)
    row = placebo.set_index("event").loc["escalation"]
    assert row["placebos"] >= 5
    assert row["p_value"] == pytest.approx(1 / (1 + row["placebos"]))  # China's drop beats every placebo


def test_wild_cluster_bootstrap_tests_the_contrast_it_is_given():
    rng = np.random.default_rng(0)
    n, g = 3000, 60
    data = pd.DataFrame({"fe": rng.integers(0, 30, n), "cl": rng.integers(0, g, n)})
    data["x1"], data["x2"] = rng.normal(size=n), rng.normal(size=n)
    data["y"] = 0.5 * data["x1"] + 0.5 * data["x2"] + rng.normal(size=(g,))[data["cl"]] + rng.normal(size=n)
    same = wild_cluster_bootstrap(
        data, "y", ["x1", "x2"], ["fe"], "cl", contrast={"x1": 1, "x2": -1}, reps=199
    )
    level = wild_cluster_bootstrap(data, "y", ["x1", "x2"], ["fe"], "cl", contrast={"x1": 1}, reps=199)
    assert same["p_value"] > 0.05 and level["p_value"] < 0.01
    assert level["estimate"] == pytest.approx(0.5, abs=0.1)


def test_bad_options_are_named(world):
    panel, _ = world
    with pytest.raises(ParameterError, match="estimators"):
        did_2025(panel, panel.attrs["rates"], estimators=("twfe", "synthetic_control"))
    with pytest.raises(EstimationError, match="9999"):
        did_2025(panel, panel.attrs["rates"], treated_partner="9999")


def test_stacked_event_study_counts_each_change_of_the_schedule(world):
    from econ.estimate import event_study

    panel, _ = world
    study = event_study(
        panel, rates=panel.attrs["rates"], outcome="value", window=(-3, 6), event_partners=["5700"],
        until=month_id("2019-12"),
    )  # fmt: skip
    per_pair = study.events.groupby(["product_id", "partner_id"]).size()
    assert (per_pair >= 2).any()  # List 3: 10% in 2018, 25% in May 2019 — two events for one pair
    assert study.result.specification["stacks"] >= 4
    assert set(study.events["month_id"]) <= set(range(month_id("2018-07"), month_id("2019-12") + 1))
    p = study.profile.set_index("rel_time")
    assert list(p.index) == list(range(-3, 7))
    assert p.loc[3, "estimate"] < -3 * p.loc[3, "std_error"]  # imports from China fall after each list
