"""A small open economy's production network, with nested CES, hit by a shortage of an imported input.

The economy
-----------
Industries ``j = 1..n`` make domestic goods. Three primary inputs:

* labour ``L`` (all value added), in fixed supply and fully employed — the numéraire (wage = 1);
* foreign inputs ``F`` (imported intermediates other than the critical one), bought at fixed world prices;
* the critical input ``R`` (rare earths, magnets, gallium …): a share ``m`` (``import_share``) of its base
  supply is imported, the rest produced at home in a fixed amount.

Each industry has two nests, so that the elasticity sits where the input is used (the critical input within
the product line that needs it, not within the whole industry)::

    c_j = CES_η_j( φ_j : n_j ,  1 − φ_j : x_j )                    exposed product line against the rest
    n_j = CES_σ ( ρ_j : p_R ,  κ_jk : p_k ,  o_j : x_j )           the line's inputs: R, components k, other
    x_j = CES_θ ( labour , foreign inputs , domestic goods Ω_ji )  everything else

``φ_j`` is the exposed line's share of the industry's cost (1 for an industry that *is* the line, e.g. motors
and generators in BEA's detail tables), ``ρ_j = α_j / φ_j`` the critical input's share within it and ``κ_jk``
the line's purchases of component goods (motors and electronics within vehicles). With ``φ_j = 1`` and no
components the industry is the one-nest CES of `econ.models.ces`. Final demand (households, investment,
government and exports) spends fixed shares ``b`` on domestic goods. Foreigners spend what they earn — for
foreign inputs and imported ``R`` — on the same basket, so trade balances.

Equilibrium
-----------
Exact hat algebra (every price is relative to the calibrated base). Given the critical input's price
``p̂_R``, unit costs are the fixed point of the dual cost functions; the cost shares at those prices give the
Domar weights ``λ = bᵀ (I − Ω(p̂))⁻¹`` in units of final expenditure ``E``; labour clears at
``E λ_L(p̂) = λ_L⁰``. Two closures:

* ``shortfall`` (quantity): supply of ``R`` falls by ``s`` (first from imports: domestic output is cut only
  when ``s > m``); ``p̂_R`` clears ``E λ_R(p̂) = p̂_R (1 − s) λ_R⁰`` (Brent, on ``log p̂_R``). The price rise
  is paid to the foreign suppliers on the imported part: China's bottleneck rent.
* ``world_price`` (price): ``p̂_R`` is given (a small open economy takes it); quantities follow.

Measures
--------
* ``log_gdp`` — real GDP (production): real final expenditure ``E/P`` less real imports at base prices,
  against base GDP ``λ_L⁰ + (1 − m) λ_R⁰`` (``P`` the final basket's price index, ``log P = bᵀ log p̂``);
* ``log_income`` — real national income: labour income and domestic rents on ``R``, deflated by ``P``;
  below ``log_gdp`` by the terms-of-trade loss on the imported ``R``;
* ``hulten`` — the first-order effect of the shortfall if ``R`` were a domestic factor,
  ``(λ_R⁰ / GDP⁰) · log(1 − s)``. For an imported input at its world price the first-order effect on real
  GDP is zero (output lost = imports saved); the loss is all curvature, which is why low elasticities matter.

With ``m = 0`` and no foreign inputs the model is `econ.models.ces` exactly (a test holds it to that).

One module of some 400 lines, on purpose: the network, its solver state and the solution share one
notation (prices, quantities, the world price of the restricted input); split, each part would
re-derive the others' indices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from econ.errors import EstimationError, ParameterError
from econ.models import ces


@dataclass(frozen=True)
class OpenNetwork:
    """The calibrated base of the open economy (rows are buyers; see the module docstring)."""

    industries: pd.Index
    goods: np.ndarray  # n × n, Ω_ji: share of j's composite x_j spent on domestic good i
    labour: np.ndarray  # n, share of x_j paid to labour
    foreign: np.ndarray  # n, share of x_j paid for foreign inputs (imported intermediates other than R)
    critical: np.ndarray  # n, α_j: share of j's total cost spent on the critical input
    exposed: np.ndarray  # n, φ_j: share of j's cost in the exposed line (≥ α_j; 0 where α_j = 0)
    components: np.ndarray  # n × n, κ_jk: share of j's exposed line spent on component good k
    final: np.ndarray  # n, b: final expenditure shares over domestic goods (sum to one)
    import_share: float = 1.0  # m: imported share of the base supply of R
    line_elasticity: np.ndarray = field(default_factory=lambda: np.zeros(0))  # n, η_j (default 1)

    def __post_init__(self) -> None:
        n = len(self.industries)
        if self.line_elasticity.size == 0:
            object.__setattr__(self, "line_elasticity", np.ones(n))
        problems: list[tuple[str, str]] = []
        for name in ("labour", "foreign", "critical", "exposed", "final", "line_elasticity"):
            if getattr(self, name).shape != (n,):
                problems.append((name, f"shape {getattr(self, name).shape}, expected ({n},)"))
        for name in ("goods", "components"):
            if getattr(self, name).shape != (n, n):
                problems.append((name, f"shape {getattr(self, name).shape}, expected {(n, n)}"))
        if problems:
            raise ParameterError(problems, context="OpenNetwork")
        rows = self.goods.sum(axis=1) + self.labour + self.foreign
        if np.any(self.goods < 0) or np.any(self.foreign < 0) or np.any(self.labour <= 0):
            problems.append(("goods", "shares must be non-negative and every industry must employ labour"))
        if not np.allclose(rows, 1.0, atol=1e-9):
            problems.append(("goods", "goods, labour and foreign shares of each row must sum to one"))
        if np.any(self.critical < 0) or np.any(self.critical >= 1):
            problems.append(("critical", "cost shares must lie in [0, 1)"))
        if np.any(self.exposed > 1) or np.any((self.critical > 0) & (self.exposed < self.critical)):
            problems.append(("exposed", "the exposed line's share must lie in [α_j, 1]"))
        if np.any(self.components < 0) or np.any(self.own_share() < -1e-12):
            problems.append(("components", "the line's components and critical input exceed its cost"))
        if np.any(self.final < 0) or not math.isclose(float(self.final.sum()), 1.0, rel_tol=1e-9):
            problems.append(("final", "final expenditure shares must be non-negative and sum to one"))
        if not 0.0 <= self.import_share <= 1.0:
            problems.append(("import_share", f"{self.import_share} must lie in [0, 1]"))
        if np.any(self.line_elasticity <= 0) or not np.all(np.isfinite(self.line_elasticity)):
            problems.append(("line_elasticity", "elasticities must be positive"))
        if problems:
            raise ParameterError(problems, context="OpenNetwork")

    # ---------------------------------------------------------------------------------------- base

    def line_critical(self) -> np.ndarray:
        """ρ_j: the critical input's share of the exposed line's cost."""
        return np.divide(
            self.critical, self.exposed, out=np.zeros_like(self.critical), where=self.exposed > 0
        )

    def own_share(self) -> np.ndarray:
        """o_j: the share of the exposed line's cost spent on the industry's composite x_j."""
        own = 1.0 - self.line_critical() - self.components.sum(axis=1)
        return np.where(self.exposed > 0, own, 0.0)

    def base_shares(self) -> dict[str, np.ndarray]:
        """Each industry's total cost shares at base prices: ``goods`` (n × n), ``labour``, ``foreign``,
        ``critical`` (they sum to one per row)."""
        phi = self.exposed
        composite = phi * self.own_share() + 1.0 - phi
        return {
            "goods": composite[:, None] * self.goods + phi[:, None] * self.components,
            "labour": composite * self.labour,
            "foreign": composite * self.foreign,
            "critical": self.critical.copy(),
        }

    def domar(self) -> np.ndarray:
        """Base Domar weights λ⁰ (sales over final expenditure)."""
        omega = self.base_shares()["goods"]
        return np.linalg.solve((np.eye(len(self.final)) - omega).T, self.final)

    def factor_shares(self) -> dict[str, float]:
        """λ_L⁰, λ_F⁰, λ_R⁰ (payments over final expenditure; they sum to one) and ``gdp``, base GDP
        ``λ_L⁰ + (1 − m) λ_R⁰`` in the same unit."""
        lam = self.domar()
        shares = self.base_shares()
        out = {name: float(lam @ shares[name]) for name in ("labour", "foreign", "critical")}
        out["gdp"] = out["labour"] + (1.0 - self.import_share) * out["critical"]
        return out

    def critical_share_of_gdp(self) -> float:
        """λ_R⁰ / GDP⁰: payments for the critical input over GDP — Hulten's multiplier."""
        f = self.factor_shares()
        return f["critical"] / f["gdp"]

    @classmethod
    def from_closed(cls, network: ces.Network, *, import_share: float = 0.0) -> OpenNetwork:
        """The open economy with the cost shares of a closed `ces.Network` (one nest, no foreign inputs)."""
        n = len(network.industries)
        exposed = np.where(network.critical > 0, 1.0, 0.0)
        return cls(
            industries=network.industries,
            goods=network.goods,
            labour=network.labour,
            foreign=np.zeros(n),
            critical=network.critical,
            exposed=exposed,
            components=np.zeros((n, n)),
            final=network.final,
            import_share=import_share,
        )


@dataclass(frozen=True)
class OpenSolution:
    """An equilibrium of `OpenNetwork` after the shock; changes are log changes from the base."""

    shortfall: float  # fall in the total supply of R (a fraction)
    sigma: float
    log_gdp: float  # real GDP (production), negative = loss
    log_income: float  # real national income (with the terms-of-trade effect)
    hulten: float  # first order, as if R were a domestic factor: (λ_R⁰/GDP⁰) log(1 − s)
    log_critical_price: float
    log_output: pd.Series  # real gross output by industry
    log_price: pd.Series  # price by industry (the wage the numéraire)
    rent_share_of_gdp: float  # payments for imported R above their base price, over base GDP


def solve(
    network: OpenNetwork,
    *,
    sigma: float,
    shortfall: float | None = None,
    world_price: float | None = None,
    theta: float = 1.0,
    tol: float = 1e-12,
) -> OpenSolution:
    """Equilibrium after the supply of the critical input falls by ``shortfall`` (quantity closure) or its
    price becomes ``world_price`` times the base (price closure); give exactly one. ``sigma`` is the
    elasticity within the exposed lines, ``theta`` among the other inputs."""
    problems: list[tuple[str, str]] = []
    if (shortfall is None) == (world_price is None):
        problems.append(("shortfall", "give either a shortfall or a world price, not both or neither"))
    if shortfall is not None and not 0.0 <= shortfall < 1.0:
        problems.append(("shortfall", f"{shortfall} must lie in [0, 1); a complete cutoff has no solution"))
    if world_price is not None and not (world_price > 0 and math.isfinite(world_price)):
        problems.append(("world_price", f"{world_price} must be a positive price relative to the base"))
    for name, value in (("sigma", sigma), ("theta", theta)):
        if not (value > 0 and math.isfinite(value)):
            problems.append((name, f"{value} must be a positive elasticity of substitution"))
    if problems:
        raise ParameterError(problems, context="open_network.solve")
    return _Solver(network, sigma=sigma, theta=theta, tol=tol).run(shortfall, world_price)


@dataclass(frozen=True)
class _State:
    """The economy at one price of the critical input."""

    log_p: np.ndarray
    lam: np.ndarray
    lam_l: float
    lam_f: float
    lam_r: float
    log_e: float


class _Solver:
    def __init__(self, network: OpenNetwork, *, sigma: float, theta: float, tol: float) -> None:
        self.net = network
        self.sigma, self.theta, self.tol = sigma, theta, tol
        n = len(network.industries)
        self.n = n
        self.rho = network.line_critical()
        self.own = network.own_share()
        self.phi = network.exposed
        self.eta = network.line_elasticity
        self.lines = np.flatnonzero(network.exposed > 0)
        with np.errstate(divide="ignore"):
            self.log_rho = np.log(self.rho)
            self.log_own = np.log(np.clip(self.own, 0.0, None))
            self.log_phi = np.log(self.phi)
            self.log_rest = np.log1p(-self.phi)
            self.log_kappa = np.log(network.components)
        self.lam0 = network.domar()
        self.base = network.factor_shares()
        # With Cobb–Douglas among the other inputs x_j is linear in log prices; the nonlinear part sits in
        # the few exposed lines, so log p = (I − Ω)⁻¹ Δ(log p) converges in a handful of sweeps.
        self.leontief = np.linalg.inv(np.eye(n) - network.goods) if theta == 1.0 else None
        self.log_p = np.zeros(n)

    # ---------------------------------------------------------------------------------- unit costs

    def _log_composite(self, log_p: np.ndarray) -> np.ndarray:
        net, theta = self.net, self.theta
        if theta == 1.0:
            return net.goods @ log_p
        terms = np.concatenate(
            [(1.0 - theta) * np.broadcast_to(log_p, net.goods.shape), np.zeros((self.n, 2))], axis=1
        )
        weights = np.concatenate([net.goods, net.labour[:, None], net.foreign[:, None]], axis=1)
        return _row_logsumexp(terms, weights) / (1.0 - theta)

    def _line_costs(
        self, log_x: np.ndarray, log_p: np.ndarray, log_pr: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """log n_j and log c_j for the exposed industries (rows `self.lines`)."""
        i, s = self.lines, self.sigma
        kappa = self.net.components[i]
        if s == 1.0:
            log_n = self.rho[i] * log_pr + kappa @ log_p + self.own[i] * log_x[i]
        else:
            parts = [
                self.log_rho[i] + (1.0 - s) * log_pr,
                self.log_own[i] + (1.0 - s) * log_x[i],
            ]
            stacked = np.column_stack(parts)
            if kappa.any():
                comp = np.where(kappa > 0, self.log_kappa[i] + (1.0 - s) * log_p[None, :], -np.inf)
                stacked = np.concatenate([stacked, comp], axis=1)
            log_n = _row_logsumexp(stacked) / (1.0 - s)
        eta = self.eta[i]
        cd = eta == 1.0
        log_c = np.empty_like(log_n)
        log_c[cd] = self.phi[i][cd] * log_n[cd] + (1.0 - self.phi[i][cd]) * log_x[i][cd]
        other = ~cd
        if other.any():
            e = eta[other]
            a = self.log_phi[i][other] + (1.0 - e) * log_n[other]
            b = self.log_rest[i][other] + (1.0 - e) * log_x[i][other]
            log_c[other] = np.logaddexp(a, b) / (1.0 - e)
        return log_n, log_c

    def _unit_costs(self, log_pr: float) -> np.ndarray:
        log_p = self.log_p
        for _ in range(10_000):
            log_x = self._log_composite(log_p)
            _, log_c_lines = self._line_costs(log_x, log_p, log_pr)
            if self.leontief is not None:
                delta = np.zeros(self.n)
                delta[self.lines] = log_c_lines - log_x[self.lines]
                new = self.leontief @ delta
            else:
                new = log_x.copy()
                new[self.lines] = log_c_lines
            if np.max(np.abs(new - log_p)) < self.tol:
                self.log_p = new
                return new
            log_p = new
        raise EstimationError("open network: unit costs did not converge")

    # ------------------------------------------------------------------------------------- shares

    def _state(self, log_pr: float) -> _State:
        net, s, theta = self.net, self.sigma, self.theta
        log_p = self._unit_costs(log_pr)
        log_x = self._log_composite(log_p)
        i = self.lines
        log_n, log_c_lines = self._line_costs(log_x, log_p, log_pr)
        n = self.n
        line_share = np.zeros(n)
        rest_share = np.ones(n)
        eta = self.eta[i]
        line_share[i] = np.exp(self.log_phi[i] + (1.0 - eta) * (log_n - log_c_lines))
        rest_share[i] = np.exp(self.log_rest[i] + (1.0 - eta) * (log_x[i] - log_c_lines))
        critical_in_line = np.zeros(n)
        own_in_line = np.zeros(n)
        comp_in_line = np.zeros((n, n))
        with np.errstate(over="ignore", under="ignore"):
            critical_in_line[i] = np.exp(self.log_rho[i] + (1.0 - s) * (log_pr - log_n))
            own_in_line[i] = np.exp(self.log_own[i] + (1.0 - s) * (log_x[i] - log_n))
            comp_in_line[i] = np.where(
                net.components[i] > 0,
                np.exp(self.log_kappa[i] + (1.0 - s) * (log_p[None, :] - log_n[:, None])),
                0.0,
            )
        composite = line_share * own_in_line + rest_share
        scale = np.exp(-(1.0 - theta) * log_x)
        within_goods = net.goods * np.exp((1.0 - theta) * (log_p[None, :] - log_x[:, None]))
        omega = composite[:, None] * within_goods + line_share[:, None] * comp_in_line
        lam = np.linalg.solve((np.eye(n) - omega).T, net.final)
        lam_l = float(lam @ (composite * net.labour * scale))
        lam_f = float(lam @ (composite * net.foreign * scale))
        lam_r = float(lam @ (line_share * critical_in_line))
        if lam_l <= 0 or (self.base["critical"] > 0 and lam_r <= 0):
            raise EstimationError(
                f"open network: shares underflow at sigma={s}; use a larger elasticity (≥ 0.01)"
            )
        log_e = math.log(self.base["labour"]) - math.log(lam_l)
        return _State(log_p, lam, lam_l, lam_f, lam_r, log_e)

    # --------------------------------------------------------------------------------------- solve

    def run(self, shortfall: float | None, world_price: float | None) -> OpenSolution:
        base, _m = self.base, self.net.import_share
        lam_r0 = base["critical"]
        if shortfall is not None:
            log_keep = math.log1p(-shortfall)
            if shortfall == 0.0 or lam_r0 == 0.0:
                return self._result(0.0, self._state(0.0), shortfall, total=1.0 - shortfall)

            def excess(log_pr: float) -> float:
                st = self._state(log_pr)
                return st.log_e + math.log(st.lam_r) - (log_pr + log_keep + math.log(lam_r0))

            upper = 1.0
            while excess(upper) > 0:
                upper *= 2.0
                if upper > 1e4:
                    raise EstimationError("open network: no price of the critical input clears its market")
            self.log_p = np.zeros(self.n)
            root = brentq(excess, 0.0, upper, xtol=1e-11, rtol=1e-14, maxiter=500)
            return self._result(root, self._state(root), shortfall, total=1.0 - shortfall)
        log_pr = math.log(float(world_price))  # type: ignore[arg-type]  # given when shortfall is None
        state = self._state(log_pr)
        demand = math.exp(state.log_e - log_pr) * state.lam_r / lam_r0 if lam_r0 > 0 else 1.0
        return self._result(log_pr, state, 1.0 - demand, total=demand)

    def _result(self, log_pr: float, state: _State, shortfall: float, *, total: float) -> OpenSolution:
        net, base, m = self.net, self.base, self.net.import_share
        lam_r0, gdp0 = base["critical"], base["gdp"]
        log_p, lam, log_e = state.log_p, state.lam, state.log_e
        e = math.exp(log_e)
        log_price_index = float(net.final @ log_p)
        domestic = min(1.0 - m, total)
        imported = total - domestic
        real_final = math.exp(log_e - log_price_index)
        real_gdp = real_final - e * state.lam_f - imported * lam_r0
        p_r = math.exp(log_pr)
        income = base["labour"] + p_r * domestic * lam_r0
        with np.errstate(divide="ignore"):
            log_y = np.log(lam) + log_e - np.log(self.lam0) - log_p
        return OpenSolution(
            shortfall=shortfall,
            sigma=self.sigma,
            log_gdp=math.log(real_gdp / gdp0),
            log_income=math.log(income / gdp0) - log_price_index,
            hulten=lam_r0 / gdp0 * math.log(max(total, 1e-300)) if lam_r0 > 0 else 0.0,
            log_critical_price=log_pr,
            log_output=pd.Series(log_y, index=net.industries, name="log_output"),
            log_price=pd.Series(log_p, index=net.industries, name="log_price"),
            rent_share_of_gdp=(p_r - 1.0) * imported * lam_r0 / gdp0,
        )


def _row_logsumexp(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """log Σ_k b_ik exp(a_ik) for each row i, shifted by the row's largest weighted term; the same as
    scipy.special.logsumexp(a, b=b, axis=1) for positive weights, without its per-call overhead (it is
    called tens of thousands of times per solve on small matrices)."""
    weights = np.ones_like(a) if b is None else b
    live = weights > 0
    top = np.max(np.where(live, a, -np.inf), axis=1)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        total = np.sum(np.where(live, weights * np.exp(a - top[:, None]), 0.0), axis=1)
        return np.log(total) + top
