"""The open-economy nested CES network: the closed model as a special case, an independent solver on the
full equilibrium system, the two closures, Hulten's first order and named parameter errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import root

from econ.errors import ParameterError
from econ.models import ces
from econ.models import open_network as on


def closed_three(seed: int = 0) -> ces.Network:
    rng = np.random.default_rng(seed)
    goods = rng.uniform(0.0, 0.3, (3, 3))
    return ces.Network(
        pd.Index(["a", "b", "c"]),
        goods,
        1.0 - goods.sum(axis=1),
        np.array([0.002, 0.0, 0.0005]),
        np.array([0.2, 0.5, 0.3]),
    )


def open_four(*, import_share: float = 0.8) -> on.OpenNetwork:
    """Magnets into a motor line (a), motors into a vehicle line (b), an unexposed service (c), a chemical
    industry that is all one line (d); foreign inputs everywhere."""
    goods = np.array(
        [
            [0.10, 0.05, 0.20, 0.10],
            [0.15, 0.20, 0.15, 0.05],
            [0.05, 0.05, 0.30, 0.05],
            [0.05, 0.00, 0.20, 0.25],
        ]
    )
    foreign = np.array([0.10, 0.10, 0.02, 0.15])
    labour = 1.0 - goods.sum(axis=1) - foreign
    components = np.zeros((4, 4))
    components[1, 0] = 0.30  # the vehicle line buys motors from a
    return on.OpenNetwork(
        industries=pd.Index(["a", "b", "c", "d"]),
        goods=goods,
        labour=labour,
        foreign=foreign,
        critical=np.array([0.004, 0.001, 0.0, 0.0008]),
        exposed=np.array([0.25, 0.4, 0.0, 1.0]),
        components=components,
        final=np.array([0.1, 0.3, 0.5, 0.1]),
        import_share=import_share,
        line_elasticity=np.array([1.0, 0.5, 1.0, 1.0]),
    )


@pytest.mark.parametrize("sigma", [0.02, 0.1, 0.5, 1.0, 2.0])
@pytest.mark.parametrize("theta", [1.0, 0.5])
def test_reduces_to_the_closed_model_when_nothing_is_imported(sigma: float, theta: float) -> None:
    closed = closed_three()
    expected = ces.solve(closed, shortfall=0.6, sigma=sigma, theta=theta)
    got = on.solve(
        on.OpenNetwork.from_closed(closed, import_share=0.0), shortfall=0.6, sigma=sigma, theta=theta
    )
    assert got.log_gdp == pytest.approx(expected.log_consumption, abs=1e-9)
    assert got.log_income == pytest.approx(expected.log_consumption, abs=1e-9)
    assert got.hulten == pytest.approx(expected.hulten, rel=1e-12)
    assert got.log_critical_price == pytest.approx(expected.log_critical_price, abs=1e-8)
    np.testing.assert_allclose(got.log_output, expected.log_output, atol=1e-8)
    np.testing.assert_allclose(got.log_price, expected.log_price, atol=1e-9)


def test_hulten_multiplier_is_critical_payments_over_gdp() -> None:
    net = open_four()
    lam = net.domar()
    shares = net.factor_shares()
    assert shares["labour"] + shares["foreign"] + shares["critical"] == pytest.approx(1.0, abs=1e-12)
    # Sales over final expenditure times the critical cost shares, over value added (+ domestic R).
    value_added = float(lam @ net.base_shares()["labour"])
    critical = float(lam @ net.critical)
    assert net.critical_share_of_gdp() == pytest.approx(critical / (value_added + 0.2 * critical), rel=1e-12)


def _primal_equilibrium(
    net: on.OpenNetwork, *, shortfall: float, sigma: float
) -> dict[str, np.ndarray | float]:
    """The same economy written independently: prices as CES price indexes in levels, quantities from the
    conditional demands, every market clearing, solved by Newton (scipy.optimize.root)."""
    n = len(net.industries)
    phi, alpha, kappa = net.exposed, net.critical, net.components
    rho = np.divide(alpha, phi, out=np.zeros(n), where=phi > 0)
    own = np.where(phi > 0, 1.0 - rho - kappa.sum(axis=1), 0.0)
    eta = net.line_elasticity
    base_lam = net.domar()
    labour0 = float(base_lam @ ((phi * own + 1 - phi) * net.labour))
    critical0 = float(base_lam @ alpha)

    def line_and_rest(line: np.ndarray, x: np.ndarray) -> np.ndarray:
        cobb_douglas = line**phi * x ** (1 - phi)
        with np.errstate(divide="ignore", invalid="ignore"):
            general = (phi * line ** (1 - eta) + (1 - phi) * x ** (1 - eta)) ** (1 / (1 - eta))
        return np.where(eta == 1.0, cobb_douglas, general)

    def unpack(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
        return np.exp(z[:n]), np.exp(z[n : 2 * n]), math.exp(z[2 * n]), math.exp(z[2 * n + 1])

    def pieces(p: np.ndarray, p_r: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = np.exp(net.goods @ np.log(p))  # Cobb–Douglas composite of labour, foreign inputs and goods
        inner = (
            rho * p_r ** (1 - sigma)
            + (kappa * p[None, :] ** (1 - sigma)).sum(axis=1)
            + own * x ** (1 - sigma)
        )
        line = np.ones(n)
        line[phi > 0] = inner[phi > 0] ** (1 / (1 - sigma))  # industries without a line have none
        cost = np.where(phi > 0, line_and_rest(line, x), x)
        return x, line, cost

    def equations(z: np.ndarray) -> np.ndarray:
        p, y, p_r, e = unpack(z)
        x, line, cost = pieces(p, p_r)
        lines = np.where(phi > 0, phi * y * (cost / line) ** eta, 0.0)
        rest = np.where(phi > 0, (1 - phi) * y * (cost / x) ** eta, y)
        critical = rho * lines * (line / p_r) ** sigma
        components = kappa * (lines * line**sigma)[:, None] * p[None, :] ** (-sigma)
        composite = rest + own * lines * (line / x) ** sigma  # quantity of x_j (in base units)
        spend_x = composite * x
        goods = net.goods * spend_x[:, None] / p[None, :]  # Cobb–Douglas: fixed spending shares
        labour = net.labour * spend_x
        final = net.final * e / p
        return np.concatenate(
            [
                np.log(cost) - np.log(p),  # zero profit
                (goods.sum(axis=0) + components.sum(axis=0) + final) / y - 1.0,  # goods markets
                [labour.sum() / labour0 - 1.0],  # labour market
                [critical.sum() / ((1 - shortfall) * critical0) - 1.0],  # critical input
            ]
        )

    start = np.concatenate([np.zeros(n), np.log(base_lam), [1.0, 0.0]])
    found = root(equations, start, method="hybr", options={"xtol": 1e-13})
    assert found.success, found.message
    p, y, p_r, e = unpack(found.x)
    return {"p": p, "y": y, "p_r": p_r, "e": e, "y0": base_lam}


@pytest.mark.parametrize("sigma", [0.1, 0.4, 1.5])
def test_independent_solver_agrees_on_a_small_network(sigma: float) -> None:
    net = open_four()
    got = on.solve(net, shortfall=0.5, sigma=sigma)
    ref = _primal_equilibrium(net, shortfall=0.5, sigma=sigma)
    np.testing.assert_allclose(got.log_price.to_numpy(), np.log(ref["p"]), atol=1e-8)
    np.testing.assert_allclose(got.log_output.to_numpy(), np.log(ref["y"] / ref["y0"]), atol=1e-8)
    assert got.log_critical_price == pytest.approx(math.log(float(ref["p_r"])), abs=1e-7)


def test_price_closure_inverts_the_quantity_closure() -> None:
    net = open_four()
    by_quantity = on.solve(net, shortfall=0.4, sigma=0.2)
    by_price = on.solve(net, world_price=math.exp(by_quantity.log_critical_price), sigma=0.2)
    assert by_price.shortfall == pytest.approx(0.4, abs=1e-8)
    assert by_price.log_gdp == pytest.approx(by_quantity.log_gdp, abs=1e-10)


def test_imported_input_has_no_first_order_gdp_effect_but_a_terms_of_trade_loss() -> None:
    net = open_four(import_share=1.0)
    small = on.solve(net, shortfall=1e-4, sigma=0.3)
    assert abs(small.log_gdp) < 1e-3 * abs(small.hulten)  # second order only
    big = on.solve(net, shortfall=0.5, sigma=0.3)
    assert big.log_income < big.log_gdp < 0  # paying more for what still arrives
    assert big.rent_share_of_gdp > 0


def test_cobb_douglas_closed_economy_is_hulten() -> None:
    net = on.OpenNetwork.from_closed(closed_three(), import_share=0.0)
    solution = on.solve(net, shortfall=0.7, sigma=1.0)
    assert solution.log_gdp == pytest.approx(solution.hulten, abs=1e-12)


def test_losses_fall_as_the_elasticity_rises_and_lines_limit_them() -> None:
    net = open_four()
    losses = [-on.solve(net, shortfall=0.8, sigma=s).log_gdp for s in (0.02, 0.05, 0.1, 0.3, 1.0)]
    assert all(a > b for a, b in itertools.pairwise(losses))
    # The same input spread over whole industries (every industry one line) loses more.
    whole = on.OpenNetwork(**{**net.__dict__, "exposed": np.where(net.critical > 0, 1.0, 0.0),
                              "components": np.zeros((4, 4))})  # fmt: skip
    assert -on.solve(whole, shortfall=0.8, sigma=0.05).log_gdp > losses[1]


def test_bad_parameters_are_named() -> None:
    with pytest.raises(ParameterError) as info:
        on.solve(open_four(), shortfall=1.2, world_price=2.0, sigma=-1.0)
    message = str(info.value)
    assert "shortfall" in message and "sigma" in message
    with pytest.raises(ParameterError, match="exposed"):
        on.OpenNetwork(**{**open_four().__dict__, "exposed": np.array([0.001, 0.4, 0.0, 1.0])})
