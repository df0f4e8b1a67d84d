"""Losses from a shortfall of the critical input, across a grid of elasticities, beside Hulten's first order.

Every loss is solved exactly on the calibrated open network (`econ.models.open_network`): real GDP (the
headline, what the published studies report), real national income (GDP less the terms-of-trade loss on
what still arrives at a higher price) and, for reference, Hulten's first-order effect. Losses are fractions
(positive = loss) and dollars at an annual rate; a path of monthly shortfalls gives monthly losses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from econ.errors import ParameterError
from econ.models import open_network
from econ.models.open_network import OpenNetwork
from econ.models.rare_earths import facts
from econ.models.rare_earths.network import Calibrated


def sigma_grid() -> tuple[float, ...]:
    """The elasticities every loss is shown at: short run (0.01 … 0.1) and long run (0.5 … 1), the ends
    from `rare_earth_parameters`, the points between them on a log scale."""
    low, high = facts.parameter("sigma_short_run_low"), facts.parameter("sigma_short_run_high")
    long_low, long_high = facts.parameter("sigma_long_run_low"), facts.parameter("sigma_long_run_high")
    short = np.geomspace(low, high, 4)
    long = np.geomspace(long_low, long_high, 3)
    return tuple(float(f"{s:.3g}") for s in (*short, 0.2, *long))


def short_run(sigmas: Sequence[float]) -> list[float]:
    return [s for s in sigmas if s <= facts.parameter("sigma_short_run_high") + 1e-12]


def long_run(sigmas: Sequence[float]) -> list[float]:
    return [s for s in sigmas if s >= facts.parameter("sigma_long_run_low") - 1e-12]


class Solver:
    """Solves one calibrated network at many (shortfall, σ) pairs, each pair once."""

    def __init__(self, calibrated: Calibrated) -> None:
        self.calibrated = calibrated
        self._cache: dict[tuple[float, float], open_network.OpenSolution] = {}

    @property
    def network(self) -> OpenNetwork:
        return self.calibrated.network

    def solve(self, shortfall: float, sigma: float) -> open_network.OpenSolution:
        key = (round(float(shortfall), 10), float(sigma))
        if key not in self._cache:
            self._cache[key] = open_network.solve(self.network, shortfall=key[0], sigma=key[1])
        return self._cache[key]

    def row(self, shortfall: float, sigma: float) -> dict[str, float]:
        solution = self.solve(shortfall, sigma)
        gdp = self.calibrated.gdp_usd
        return {
            "shortfall": float(shortfall),
            "sigma": float(sigma),
            "gdp_loss_share": -math.expm1(solution.log_gdp),
            "income_loss_share": -math.expm1(solution.log_income),
            "hulten_share": -math.expm1(solution.hulten),
            "gdp_loss": -math.expm1(solution.log_gdp) * gdp,
            "income_loss": -math.expm1(solution.log_income) * gdp,
            "hulten_loss": -math.expm1(solution.hulten) * gdp,
            "critical_price_change": math.expm1(solution.log_critical_price),
        }


def loss_grid(solver: Solver, *, shortfall: float, sigmas: Sequence[float]) -> pd.DataFrame:
    """One shortfall across elasticities: shares (fractions of GDP) and dollars at an annual rate ($
    millions, the tables' unit)."""
    _check_sigmas(sigmas)
    return pd.DataFrame([solver.row(shortfall, s) for s in sigmas])


def loss_path(solver: Solver, shortfall: pd.Series, *, sigmas: Sequence[float]) -> pd.DataFrame:
    """Month × σ: the economy solved each month at that month's shortfall; dollar losses are the month's
    (one twelfth of the annual rate, $ millions)."""
    _check_sigmas(sigmas)
    rows = []
    for month, s in shortfall.items():
        for sigma in sigmas:
            row = solver.row(float(s), sigma)
            for name in ("gdp_loss", "income_loss", "hulten_loss"):
                row[name] /= 12.0
            rows.append({"month": month, **row})
    return pd.DataFrame(rows)


def industry_losses(
    solver: Solver, *, shortfall: float, sigma: float, value_added: pd.Series
) -> pd.DataFrame:
    """Real gross output and price change by industry (fractions), and the value added at risk ($ millions:
    value added × the output lost), largest losses first."""
    solution = solver.solve(shortfall, sigma)
    change = np.expm1(solution.log_output)
    va = value_added.copy()
    va.index = va.index.map(str)
    frame = pd.DataFrame(
        {"output_change": change, "price_change": np.expm1(solution.log_price)},
        index=solution.log_output.index,
    )
    frame["value_added_at_risk"] = -np.minimum(change, 0.0) * va.reindex(frame.index, fill_value=0.0)
    return frame.sort_values("output_change")


def implied_sigma(
    solver: Solver, *, shortfall: float, target_loss_share: float, low: float = 0.005, high: float = 5.0
) -> float:
    """The elasticity at which this network loses ``target_loss_share`` of GDP at ``shortfall``: NaN when
    no elasticity in [low, high] does (the target is outside what the network can give)."""
    if not target_loss_share > 0:
        return math.nan

    def gap(log_sigma: float) -> float:
        return math.log(solver.row(shortfall, math.exp(log_sigma))["gdp_loss_share"]) - math.log(
            target_loss_share
        )

    a, b = math.log(low), math.log(high)
    try:
        ga, gb = gap(a), gap(b)
    except (ValueError, ArithmeticError):
        return math.nan
    if ga * gb > 0:
        return math.nan
    return float(math.exp(brentq(gap, a, b, xtol=1e-4)))


def price_sigma(
    solver: Solver, *, shortfall: float, price_ratio: float, low: float = 0.005, high: float = 5.0
) -> float:
    """The elasticity at which the critical input's price rises by ``price_ratio`` at ``shortfall`` (an
    observed price against an observed shortfall): NaN when none in [low, high] does."""
    if not (price_ratio > 1 and shortfall > 0):
        return math.nan

    def gap(log_sigma: float) -> float:
        change = solver.row(shortfall, math.exp(log_sigma))["critical_price_change"]
        return math.log1p(change) - math.log(price_ratio)

    a, b = math.log(low), math.log(high)
    if gap(a) * gap(b) > 0:
        return math.nan
    return float(math.exp(brentq(gap, a, b, xtol=1e-4)))


def _check_sigmas(sigmas: Sequence[float]) -> None:
    bad = [s for s in sigmas if not (s > 0 and math.isfinite(s))]
    if bad or not len(sigmas):
        raise ParameterError([("sigmas", f"elasticities must be positive; got {bad or 'none'}")])
