"""Pass-through on the collected rate by IV (checked against pyfixest's IV with absorbed effects), η from
a product's price index, the joint variance of (ρ̂, σ̂, η̂), and its use in the partial-equilibrium draws.
Worlds: the structural demo world (synthetic, not written by the estimators)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from econ.demo import structural
from econ.errors import ParameterError
from econ.estimate import absorbed_iv, aggregate_demand, joint_parameters, passthrough
from econ.estimate.differences import pair_difference, safe_log
from econ.models import trade


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def world() -> tuple[pd.DataFrame, dict]:
    return structural.simulate(seed=5, scale=0.4)


def test_collected_rate_iv_matches_pyfixest(world):
    pf = pytest.importorskip("pyfixest")
    panel, truth = world
    logs = pair_difference(
        panel,
        {
            "p": safe_log(panel["unit_value_incl_duty"]),
            "c": np.log1p(panel["collected_rate"].to_numpy()),
            "s": np.log1p(panel["statutory_rate"].to_numpy()),
        },
        12,
    )
    frame = pd.DataFrame(logs).assign(
        product_id=panel["product_id"].to_numpy(),
        partner_id=panel["partner_id"].to_numpy(),
        month_id=panel["month_id"].to_numpy(),
    )
    frame = frame.dropna().reset_index(drop=True)
    frame["pm"] = frame["product_id"] * 1000 + frame["month_id"] - 24000
    frame["cm"] = frame["partner_id"].astype(int) * 1000 + frame["month_id"] - 24000
    ours = absorbed_iv(frame, "p", "c", "s", ["pm", "cm"], cluster="product_id")
    ref = pf.feols("p ~ 1 | pm + cm | c ~ s", data=frame, vcov={"CRV1": "product_id"})
    assert ours.nobs == ref._N
    assert ours.coef["c"] == pytest.approx(float(ref.coef().iloc[0]), rel=1e-7)
    assert ours.se["c"] == pytest.approx(float(ref.se().iloc[0]), rel=1e-4)
    fit = passthrough(panel, measure="collected_iv", prices=("duty_inclusive",))["duty_inclusive"]
    assert fit.coef.iloc[0] == pytest.approx(ours.coef["c"], rel=1e-8)
    # the exclusions open a gap between collected and statutory: the first stage is below one
    assert 0.5 < fit.extra["first_stage"]["dlog_1_plus_tariff"] < 1.0
    assert abs(fit.coef.iloc[0] - truth["parameters"]["passthrough"]) < 4 * fit.se.iloc[0] + 0.03


def test_aggregate_elasticity_recovers_eta(world):
    panel, truth = world
    fit = aggregate_demand(panel)
    eta = truth["parameters"]["aggregate_elasticity"]
    assert fit.extra["first_stage_f"] > 50
    assert abs(-fit.coef.iloc[0] - eta) < 3 * fit.se.iloc[0], (fit.coef.iloc[0], fit.se.iloc[0])


def test_joint_covariance_has_each_equations_own_variance(world):
    panel, _ = world
    joint = joint_parameters(panel)
    for name, fit in joint.results.items():
        assert joint.covariance.loc[name, name] == pytest.approx(float(fit.se.iloc[0]) ** 2, rel=1e-9)
    assert np.all(np.linalg.eigvalsh(joint.covariance.to_numpy()) > 0)
    # ρ̂ and σ̂ come from the same price movements: their errors are negatively correlated (−0.17 here,
    # −0.89 on the calibrated demo)
    assert joint.correlation.loc["passthrough", "sigma"] < -0.1
    _, se = joint["eta"]
    assert se == pytest.approx(np.sqrt(joint.covariance.loc["eta", "eta"]))


def _base_year() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "hs10": [f"85{k:08d}" for k in range(40) for _ in range(3)],
            "partner": ["5700", "5880", "2010"] * 40,
        }
    )
    frame["value"] = rng.uniform(1e6, 1e8, len(frame))
    frame["old_rate"] = np.where(frame["partner"] == "5700", 1.45, 0.10)
    frame["new_rate"] = np.where(frame["partner"] == "5700", 0.30, 0.10)
    frame["bea"] = "334"
    return frame


def test_pe_draws_are_joint_when_given_a_covariance():
    cov = pd.DataFrame(
        [[0.01, -0.018, 0.0], [-0.018, 0.04, 0.0], [0.0, 0.0, 0.09]],
        index=["passthrough", "sigma", "eta"],
        columns=["passthrough", "sigma", "eta"],
    )
    rng = np.random.default_rng(0)
    params = trade.Parameters(0.9, 2.5, 1.2)
    draws = np.array(
        [[d.passthrough, d.sigma, d.eta] for d in (trade._draw(params, cov, rng) for _ in range(1500))]
    )
    assert np.corrcoef(draws[:, 0], draws[:, 1])[0, 1] == pytest.approx(-0.9, abs=0.03)
    assert draws[:, 2].std() == pytest.approx(0.3, rel=0.06)
    joint = trade.simulate(_base_year(), passthrough=0.9, sigma=2.5, eta=1.2, standard_errors=cov, draws=60)
    alone = trade.simulate(
        _base_year(), passthrough=0.9, sigma=2.5, eta=1.2,
        standard_errors={"passthrough": 0.1, "sigma": 0.2, "eta": 0.3}, draws=60,
    )  # fmt: skip
    for result in (joint, alone):
        cost = result.totals.loc["cost_to_buyers"]
        assert cost["low"] < cost["central"] < cost["high"]
    with pytest.raises(ParameterError, match="positive semi-definite"):
        trade.simulate(_base_year(), standard_errors=cov.assign(eta=[0.0, 0.0, -1.0]), draws=60)
    with pytest.raises(ParameterError, match="unknown"):
        trade.simulate(_base_year(), standard_errors=cov.rename(index={"eta": "gamma"}), draws=60)


def test_estimated_parameters_carry_the_covariance(world):
    panel, _ = world
    estimates = trade.estimated_parameters(panel)
    rho, rho_se = estimates["passthrough"]
    assert rho_se > 0 and list(estimates.covariance.index) == ["passthrough", "sigma", "eta"]
    result = trade.simulate(
        _base_year(), passthrough=rho, sigma=estimates.estimates["sigma"], eta=estimates.estimates["eta"],
        standard_errors=estimates.covariance, draws=40,
    )  # fmt: skip
    assert result.totals.loc["cost_to_buyers", "low"] < result.totals.loc["cost_to_buyers", "high"]
