"""A CES production network hit by a shortage of one critical input, solved exactly (Baqaee & Farhi 2019).

The economy
-----------
Industries ``j = 1..n``; two primary factors in fixed supply: labour (all value added, and purchases the
table cannot attribute to a domestic industry) and a *critical input* ``R`` (rare earths, magnets, gallium …).
Each industry produces with a two-level CES:

    y_j = [ α_j^(1/σ) R_j^((σ−1)/σ) + (1 − α_j)^(1/σ) X_j^((σ−1)/σ) ]^(σ/(σ−1))
    X_j = CES_θ(labour, goods of industries i)   with cost shares ω_jL, Ω_ji (summing to one)

``σ`` is the elasticity of substitution between the critical input and everything else (the parameter
the answer hinges on); ``θ`` (default 1, Cobb–Douglas) the elasticity among the other inputs. Households
spend fixed shares ``b`` of income on industries' output (Cobb–Douglas). Prices and quantities are
expressed as changes from the calibrated base (exact hat algebra), with labour the numéraire.

Solution
--------
Given the critical input's price change ``p̂_R``, unit costs are the fixed point of the dual cost functions
(a contraction: every industry buys some labour); the cost shares at the new prices give the Domar weights
``λ = bᵀ (I − Ω(p̂))⁻¹``; income is ``E = λ_L⁰ / λ_L`` (labour supply fixed). The market for ``R`` clears
when ``E λ_R(p̂) = p̂_R (1 − s) λ_R⁰`` — one equation in ``log p̂_R``, solved by bracketing (Brent). Real
consumption changes by ``log E − Σ_i b_i log p̂_i`` and industry ``i``'s real gross output by
``log(λ_i E / λ_i⁰) − log p̂_i``.

To first order (Hulten's theorem) the loss is ``λ_R⁰ · log(1 − s)``: tiny when the critical input is a tiny
share of GDP. The exact loss is larger the lower ``σ``; with ``σ = 1`` everywhere the economy is
Cobb–Douglas and Hulten's formula is exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import logsumexp

from econ.errors import EstimationError, ParameterError


def ces(quantities: Sequence[float], weights: Sequence[float], sigma: float) -> float:
    """The CES aggregate ``[Σ w_k^(1/σ) x_k^((σ−1)/σ)]^(σ/(σ−1))`` (weights sum to one).

    ``σ → 0`` is Leontief ``min_k x_k / w_k``; ``σ = 1`` is Cobb–Douglas ``Π (x_k / w_k)^(w_k)``.
    """
    x = np.asarray(quantities, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    _check_sigma(sigma, "sigma")
    if sigma == 1.0:
        return float(np.exp(np.sum(w * np.log(x / w))))
    rho = (sigma - 1.0) / sigma
    # Factor out the binding (smallest) ratio so that σ near zero does not overflow.
    ratio = x / w
    base = ratio.min()
    inner = np.sum(w * (ratio / base) ** rho)
    return float(base * inner ** (1.0 / rho))


def ces_unit_cost(prices: np.ndarray, shares: np.ndarray, elasticity: float) -> np.ndarray:
    """Unit-cost change ``[Σ_k s_k p̂_k^(1−σ)]^(1/(1−σ))`` for each row of ``shares`` (rows sum to one)."""
    if elasticity == 1.0:
        return np.exp(shares @ np.log(prices))
    return (shares @ prices ** (1.0 - elasticity)) ** (1.0 / (1.0 - elasticity))


@dataclass(frozen=True)
class Network:
    """The calibrated base: cost shares and final-demand shares (rows of ``goods`` are buyers)."""

    industries: pd.Index
    goods: np.ndarray  # n × n, Ω_ji: share of j's non-critical cost spent on industry i
    labour: np.ndarray  # n, share of j's non-critical cost paid to labour (1 − row sums of goods)
    critical: np.ndarray  # n, α_j: share of j's total cost spent on the critical input
    final: np.ndarray  # n, b: household expenditure shares (sum to one)

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        n = len(self.industries)
        if self.goods.shape != (n, n):
            problems.append(("goods", f"shape {self.goods.shape}, expected {(n, n)}"))
        if np.any(self.goods < 0) or np.any(self.labour <= 0):
            problems.append(("goods", "shares must be non-negative and every industry must employ labour"))
        if np.any(self.critical < 0) or np.any(self.critical >= 1):
            problems.append(("critical", "cost shares must lie in [0, 1)"))
        if np.any(self.final < 0) or not math.isclose(float(self.final.sum()), 1.0, rel_tol=1e-9):
            problems.append(("final", "household shares must be non-negative and sum to one"))
        if problems:
            raise ParameterError(problems, context="Network")

    def domar(self) -> np.ndarray:
        """Base Domar weights λ (sales over GDP) of the industries."""
        omega = (1.0 - self.critical)[:, None] * self.goods
        return np.linalg.solve((np.eye(len(self.final)) - omega).T, self.final)

    def critical_share_of_gdp(self) -> float:
        """λ_R⁰: payments to the critical input over GDP — Hulten's first-order multiplier."""
        return float(self.domar() @ self.critical)


@dataclass(frozen=True)
class Solution:
    shortfall: float
    sigma: float
    log_consumption: float  # exact change in log real consumption (negative = loss)
    hulten: float  # first-order change λ_R⁰ log(1 − s)
    log_output: pd.Series  # change in log real gross output by industry
    log_price: pd.Series  # change in log price by industry (labour the numéraire)
    log_critical_price: float


def solve(
    network: Network, *, shortfall: float, sigma: float, theta: float = 1.0, tol: float = 1e-12
) -> Solution:
    """Exact equilibrium after the supply of the critical input falls by ``shortfall`` (a fraction)."""
    problems: list[tuple[str, str]] = []
    if not (0.0 <= shortfall < 1.0):
        problems.append(
            (
                "shortfall",
                f"{shortfall} must lie in [0, 1); a complete cutoff of an essential input has no solution",
            )
        )
    for name, value in (("sigma", sigma), ("theta", theta)):
        if not (value > 0 and math.isfinite(value)):
            problems.append((name, f"{value} must be a positive elasticity of substitution"))
    if problems:
        raise ParameterError(problems, context="ces.solve")
    n = len(network.industries)
    alpha, goods, labour, b = network.critical, network.goods, network.labour, network.final
    lam0 = network.domar()
    lam_r0 = float(lam0 @ alpha)
    lam_l0 = float(lam0 @ ((1.0 - alpha) * labour))
    log_keep = math.log1p(-shortfall)
    if shortfall == 0.0 or lam_r0 == 0.0:
        zeros = pd.Series(np.zeros(n), index=network.industries)
        return Solution(shortfall, sigma, 0.0, lam_r0 * log_keep, zeros, zeros.copy(), 0.0)

    state: dict[str, np.ndarray] = {"log_p": np.zeros(n)}

    log_alpha = np.log(np.where(alpha > 0, alpha, 1.0))
    log_one_minus_alpha = np.log1p(-alpha)

    def equilibrium(log_pr: float) -> tuple[float, np.ndarray, np.ndarray, float]:
        # Everything in logs: at σ = 0.01 the critical input's price relative to labour can reach e^100.
        log_p = state["log_p"]
        for _ in range(10_000):
            log_c = _log_composite_cost(log_p, goods, labour, theta)
            if sigma == 1.0:
                new = alpha * log_pr + (1.0 - alpha) * log_c
            else:
                with_r = np.where(alpha > 0, log_alpha + (1.0 - sigma) * log_pr, -np.inf)
                new = np.logaddexp(with_r, log_one_minus_alpha + (1.0 - sigma) * log_c) / (1.0 - sigma)
            if np.max(np.abs(new - log_p)) < tol:
                log_p = new
                break
            log_p = new
        else:
            raise EstimationError("CES network: unit costs did not converge")
        state["log_p"] = log_p
        log_c = _log_composite_cost(log_p, goods, labour, theta)
        share_r = np.where(alpha > 0, np.exp(log_alpha + (1.0 - sigma) * (log_pr - log_p)), 0.0)
        # Computed directly, not as 1 − share_r, which cancels to zero when R's share nears one.
        share_x = np.exp(log_one_minus_alpha + (1.0 - sigma) * (log_c - log_p))
        within_goods = goods * np.exp((1.0 - theta) * (log_p[None, :] - log_c[:, None]))
        within_labour = labour * np.exp(-(1.0 - theta) * log_c)
        omega = share_x[:, None] * within_goods
        lam = np.linalg.solve((np.eye(n) - omega).T, b)
        lam_r = float(lam @ share_r)
        lam_l = float(lam @ (share_x * within_labour))
        if lam_l <= 0 or lam_r <= 0:
            raise EstimationError(
                f"CES network: shares underflow at sigma={sigma}; use a larger elasticity (≥ 0.01)"
            )
        log_income = math.log(lam_l0) - math.log(lam_l)
        excess = log_income + math.log(lam_r) - (log_pr + log_keep + math.log(lam_r0))
        return excess, log_p, lam, log_income

    def excess(log_pr: float) -> float:
        return equilibrium(log_pr)[0]

    upper = 1.0
    while excess(upper) > 0:
        upper *= 2.0
        if upper > 1e4:
            raise EstimationError("CES network: no price of the critical input clears its market")
    state["log_p"] = np.zeros(n)
    root = brentq(excess, 0.0, upper, xtol=1e-13, rtol=1e-15, maxiter=500)
    _, log_p, lam, log_income = equilibrium(root)
    log_c = log_income - float(b @ log_p)
    with np.errstate(divide="ignore"):
        log_y = np.log(lam) + log_income - np.log(lam0) - log_p
    return Solution(
        shortfall=shortfall,
        sigma=sigma,
        log_consumption=log_c,
        hulten=lam_r0 * log_keep,
        log_output=pd.Series(log_y, index=network.industries, name="log_output"),
        log_price=pd.Series(log_p, index=network.industries, name="log_price"),
        log_critical_price=root,
    )


def _log_composite_cost(log_p: np.ndarray, goods: np.ndarray, labour: np.ndarray, theta: float) -> np.ndarray:
    if theta == 1.0:
        return goods @ log_p
    terms = np.concatenate(
        [(1.0 - theta) * np.broadcast_to(log_p, goods.shape), np.zeros((len(labour), 1))], axis=1
    )
    weights = np.concatenate([goods, labour[:, None]], axis=1)
    return logsumexp(terms, b=weights, axis=1) / (1.0 - theta)


def _check_sigma(value: float, name: str) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ParameterError([(name, f"{value} must be a positive elasticity of substitution")])
