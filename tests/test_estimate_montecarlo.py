"""The Monte Carlo study of the estimators on the structural demo world (benchmarks/montecarlo.py): a
tiny run of the same code, and the shipped table the passthrough notebook cites."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from econ.estimate import monte_carlo_table

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).parents[1] / "benchmarks" / "montecarlo.py"


def _module():
    spec = importlib.util.spec_from_file_location("montecarlo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_tiny_monte_carlo_gives_every_estimator_bias_rmse_and_coverage():
    mc = _module()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        draws = [row for seed in (1, 2) for row in mc.one_draw(seed, 0.12)]
    import pandas as pd

    table = mc.summarise(pd.DataFrame(draws))
    assert {"bias", "rmse", "coverage_95", "mean_se", "sd_estimate", "draws"} <= set(table.columns)
    assert (table["draws"] == 2).all()
    assert set(table["estimator"]) >= {"twfe", "sun_abraham", "two_stage", "callaway_santanna", "dose"}
    assert np.isfinite(table["rmse"]).all()
    escalation = table[(table["estimand"] == "event_escalation") & (table["estimator"] == "twfe")].iloc[0]
    assert abs(escalation["bias"]) < 0.2


def test_the_shipped_table_has_200_draws_of_every_estimator():
    table = monte_carlo_table()
    assert "benchmarks/montecarlo.py" in table.attrs["source"]
    assert (table["draws"] >= 200).all()
    assert table["coverage_95"].between(0, 1).all()
    events = table[table["estimand"].str.startswith("event_")]
    assert set(events["estimator"]) == {"twfe", "sun_abraham", "two_stage", "callaway_santanna", "dose"}
    assert {"passthrough", "sigma", "eta"} <= set(table["estimand"])
