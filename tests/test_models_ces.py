"""The CES production network: closed forms, Hulten, monotonicity, named parameter errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from econ.errors import ParameterError
from econ.models import ces


def one_sector(alpha: float) -> ces.Network:
    return ces.Network(pd.Index(["a"]), np.zeros((1, 1)), np.ones(1), np.array([alpha]), np.ones(1))


def three_sectors(seed: int = 0) -> ces.Network:
    rng = np.random.default_rng(seed)
    goods = rng.uniform(0.0, 0.3, (3, 3))
    return ces.Network(
        pd.Index(["a", "b", "c"]),
        goods,
        1.0 - goods.sum(axis=1),
        np.array([0.002, 0.0, 0.0005]),
        np.array([0.2, 0.5, 0.3]),
    )


def test_ces_limits() -> None:
    x, w = [0.5, 1.2, 3.0], [0.2, 0.3, 0.5]
    leontief = min(xi / wi for xi, wi in zip(x, w, strict=True))
    assert ces.ces(x, w, 1e-4) == pytest.approx(leontief, rel=1e-3)
    cobb_douglas = math.prod((xi / wi) ** wi for xi, wi in zip(x, w, strict=True))
    assert ces.ces(x, w, 1.0) == pytest.approx(cobb_douglas, rel=1e-14)
    assert ces.ces(x, w, 1.0 + 1e-7) == pytest.approx(cobb_douglas, rel=1e-6)
    with pytest.raises(ParameterError, match="sigma"):
        ces.ces(x, w, -0.5)


@pytest.mark.parametrize("sigma", [0.01, 0.1, 0.5, 1.0, 2.0])
def test_one_sector_network_equals_closed_form(sigma: float) -> None:
    alpha, s = 0.01, 0.5
    solution = ces.solve(one_sector(alpha), shortfall=s, sigma=sigma)
    # Output with labour unchanged and the critical input cut by s, inputs normalised to base shares.
    closed = ces.ces([alpha * (1 - s), 1.0 - alpha], [alpha, 1.0 - alpha], sigma)
    assert solution.log_consumption == pytest.approx(math.log(closed), abs=1e-10)


def test_leontief_limit_loses_the_shortfall() -> None:
    # The CES approaches Leontief at rate σ·log(α): with α = 1% and σ = 0.001 within about 1.5%.
    solution = ces.solve(one_sector(0.01), shortfall=0.3, sigma=0.001)
    assert solution.log_consumption == pytest.approx(math.log(0.7), rel=0.02)


def test_cobb_douglas_network_is_hulten() -> None:
    network = three_sectors()
    solution = ces.solve(network, shortfall=0.6, sigma=1.0)
    assert solution.log_consumption == pytest.approx(solution.hulten, abs=1e-12)
    assert solution.hulten == pytest.approx(network.critical_share_of_gdp() * math.log(0.4), rel=1e-12)


def test_zero_shock_zero_loss() -> None:
    solution = ces.solve(three_sectors(), shortfall=0.0, sigma=0.05)
    assert solution.log_consumption == 0.0 and (solution.log_output == 0).all()


def test_losses_fall_as_substitution_rises() -> None:
    network = three_sectors()
    losses = [
        -ces.solve(network, shortfall=0.8, sigma=s).log_consumption for s in (0.02, 0.05, 0.1, 0.3, 0.6, 1.0)
    ]
    assert all(a > b for a, b in itertools.pairwise(losses))
    # Below σ = 1 the exact loss exceeds Hulten's first-order loss.
    hulten = -ces.solve(network, shortfall=0.8, sigma=0.3).hulten
    assert losses[3] > hulten > 0


def test_theta_other_than_one_solves_and_matches_zero_shock() -> None:
    network = three_sectors()
    for theta in (0.5, 2.0):
        assert ces.solve(network, shortfall=0.0, sigma=0.2, theta=theta).log_consumption == 0.0
        assert ces.solve(network, shortfall=0.5, sigma=0.2, theta=theta).log_consumption < 0


def test_bad_parameters_are_named() -> None:
    with pytest.raises(ParameterError) as info:
        ces.solve(three_sectors(), shortfall=1.2, sigma=-1.0)
    message = str(info.value)
    assert "shortfall" in message and "sigma" in message
    with pytest.raises(ParameterError, match="final"):
        ces.Network(pd.Index(["a"]), np.zeros((1, 1)), np.ones(1), np.array([0.1]), np.array([0.5]))
