"""Partial equilibrium of a tariff scenario, by HS product × partner, aggregated to industries.

Input: a base-year trade frame, one row per product × partner, with the import value (duty-exclusive,
USD) and the old and new ad valorem tariff rates as fractions — e.g. the ``total`` column of
``econ.tariffs.Schedule.rates(frame, scenario=...)`` for the baseline and for the scenario. The model does
not look inside the tariff engine.

Equations (row ``p`` = partner, ``k`` = product; hats are new/old ratios; ``τ̂ = (1+t₁)/(1+t₀)``):

* duty-inclusive price          ``p̂_pk = τ̂_pk^ρ``   (``ρ`` pass-through, elasticity to 1 + tariff);
  exporter's (duty-exclusive)   ``p̂*_pk = τ̂_pk^(ρ−1)``;
* import price index of k       ``P̂_k = [Σ_p s_pk p̂_pk^(1−σ)]^(1/(1−σ))``, ``s`` duty-inclusive shares;
* imports of k (upper nest), two forms:
  - reduced (default)           ``Q̂_k = P̂_k^(−η)`` — ``η`` the elasticity of a product's total imports to its
                                import price index, which folds in substitution towards domestic goods;
  - explicit, with ``domestic_share`` d (buyers' spending on domestic varieties of k, domestic prices
    fixed): the product's price ``P̂ᶜ_k = [(1−d) P̂_k^(1−η) + d]^(1/(1−η))``, imports
    ``Q̂_k = (P̂_k / P̂ᶜ_k)^(−η) (P̂ᶜ_k)^(−ε)`` — ``η`` now the Armington elasticity between imports and
    domestic goods, ``ε`` (``demand_elasticity``) that of total demand for the product;
* quantity by partner           ``x̂_pk = (p̂_pk / P̂_k)^(−σ) Q̂_k`` — diversion between partners;
* new value                     ``V₁ = V₀ x̂ p̂*``; tariff revenue ``R = t V`` (old and new);
* cost to buyers (exact for the constant-elasticity demand)
                                ``C_k = E_k [P̂_k^(1−η) − 1] / (1 − η)``  (``E_k log P̂_k`` when ``η = 1``),
  ``E_k`` duty-inclusive spending on k's imports; in the explicit form ``E_k / (1−d)`` and ``P̂ᶜ_k``, ``ε``;
* net loss to the US            cost to buyers − change in revenue;
* terms-of-trade gain           ``−Σ V₀ x̂ (p̂* − 1)``: what exporters' price cuts save on the new quantities
                                (zero at ρ = 1; exporters bear ``1 − ρ`` of the tariff);
* deadweight loss               net loss + terms-of-trade gain — the efficiency cost of the tariff change
                                (positive when a rise cuts imports, negative, a gain, when a cut lets them
                                grow), so that ``net_loss = deadweight_loss − terms_of_trade_gain``.

Presets of ρ: ``border`` 1.0 (2018–19 tariffs), ``border_2025`` 0.95, ``retail`` 0.2 (shelf prices; used as
ρ it attributes the rest to exporters, which overstates their share: use it for price questions only).

Uncertainty: with standard errors for ρ, σ and η, ``simulate`` draws the parameters (normal, truncated to
their valid ranges; jointly normal with their estimated covariance when given one, as
`estimated_parameters` returns) and reports the 5th and 95th percentiles of every headline total and
industry total.

One module of some 640 lines, on purpose: the partial-equilibrium solution, the comparison of two
schedules and the parameter draws share one frame of products and partners and one set of outcome
names; the base year that feeds them lives apart (econ.models.base_year).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models.base_year import base_year_frame as base_year_frame  # re-exported
from econ.models.crosswalk import table_codes

PassthroughPreset = Literal["border", "border_2025", "retail"]
PassthroughSetting = Literal["border", "border_2025", "retail", "estimated"]
"""What a notebook may ask for: a preset, or "estimated" (pass-through and σ estimated on the dataset's
import panel by `estimated_parameters`)."""
PASSTHROUGH_PRESETS: dict[str, float] = {"border": 1.0, "border_2025": 0.95, "retail": 0.2}
HEADLINES: tuple[str, ...] = (
    "base_value",
    "new_value",
    "revenue_old",
    "revenue_new",
    "revenue_change",
    "cost_to_buyers",
    "terms_of_trade_gain",
    "deadweight_loss",
    "net_loss",
)


@dataclass(frozen=True)
class Parameters:
    passthrough: float
    sigma: float  # between partners' varieties of one product
    eta: float  # a product's total imports against its import price index (Armington with domestic_share)
    demand_elasticity: float = 1.0  # total demand for a product (used only with domestic_share)


@dataclass(frozen=True)
class Result:
    rows: pd.DataFrame  # product × partner: prices, quantities, values, revenue
    products: pd.DataFrame  # product: price index, imports, cost to buyers
    totals: pd.DataFrame  # headline × (central, low, high)
    industries: pd.DataFrame | None  # industry × headline (central, low, high) when `by` is given
    parameters: Parameters


def resolve_passthrough(passthrough: float | PassthroughPreset) -> float:
    if isinstance(passthrough, str):
        if passthrough not in get_args(PassthroughPreset):
            raise ParameterError(
                [
                    (
                        "passthrough",
                        f"unknown preset {passthrough!r}; presets: {', '.join(PASSTHROUGH_PRESETS)}",
                    )
                ]
            )
        return PASSTHROUGH_PRESETS[passthrough]
    return float(passthrough)


def estimated_parameters(imports: pd.DataFrame, *, horizon: int = 12, cluster: str = "product_id") -> Any:
    """Pass-through ρ, σ and η estimated on an import panel, with their joint sampling variance
    (`econ.estimate.joint_parameters`: the duty-inclusive pass-through regression, the quantity elasticity
    of `import_demand`, the aggregate elasticity of `aggregate_demand`, all over `horizon`-month
    differences and clustered by `cluster`).

    ``estimates["sigma"]`` is (estimate, standard error); ``estimates.covariance`` the 3 × 3 covariance,
    to pass as ``standard_errors=`` so that `simulate` and `compare` draw the three jointly (ρ̂ and σ̂
    are strongly negatively correlated: both come from the same price movements).
    """
    from econ.estimate import joint_parameters

    return joint_parameters(imports, horizon=horizon, cluster=cluster)


def simulate(
    trade: pd.DataFrame,
    *,
    old_rate: str = "old_rate",
    new_rate: str = "new_rate",
    value: str = "value",
    product: str = "hs10",
    partner: str = "partner",
    passthrough: float | PassthroughPreset = "border_2025",
    sigma: float = 2.5,
    eta: float = 1.5,
    domestic_share: float | str | None = None,
    demand_elasticity: float = 1.0,
    standard_errors: Mapping[str, float] | pd.DataFrame | None = None,
    draws: int = 200,
    seed: int = 0,
    by: str | None = None,
) -> Result:
    """Simulate a tariff change on a base year of trade (see the module docstring for the equations).

    ``by`` names a column of ``trade`` (e.g. ``naics`` or ``bea``) to aggregate to; ``standard_errors``
    (keys ``passthrough``, ``sigma``, ``eta``, ``demand_elasticity``) turns on the intervals, from
    ``draws`` parameter draws — independent normals, or, given a covariance matrix (a DataFrame indexed
    both ways by those names, e.g. ``estimated_parameters(...).covariance``), joint normal draws.
    ``domestic_share`` (a number, or the name of a column of ``trade`` holding each product's share)
    switches on the explicit imports-vs-domestic nest.
    """
    rho = resolve_passthrough(passthrough)
    params = Parameters(rho, float(sigma), float(eta), float(demand_elasticity))
    _validate(
        trade,
        params,
        old_rate=old_rate,
        new_rate=new_rate,
        value=value,
        product=product,
        partner=partner,
        by=by,
        standard_errors=standard_errors,
        draws=draws,
    )
    base = trade.reset_index(drop=True)
    if isinstance(domestic_share, str):
        base = base.assign(_domestic_share=pd.to_numeric(base[domestic_share], errors="coerce"))
    elif domestic_share is not None:
        base = base.assign(_domestic_share=float(domestic_share))
    _check_domestic_share(base)
    prepared = _prepare(base, old_rate=old_rate, new_rate=new_rate, value=value, product=product)
    rows, products = _solve(base, params, old_rate=old_rate, new_rate=new_rate, value=value, product=product)
    central = _headlines(rows, products)
    grouping = _grouping(base, by, product) if by else None
    industry_central = _by_industry(rows, products, grouping) if grouping else None
    industries = None
    if standard_errors is not None and len(standard_errors):
        rng = np.random.default_rng(seed)
        draw_totals, draw_industries = [], []
        for _ in range(draws):
            r, p = _solve_arrays(prepared, _draw(params, standard_errors, rng))
            draw_totals.append(_headline_values(r, p))
            if grouping:
                draw_industries.append(_industry_values(r, p, grouping))
        stacked = np.stack(draw_totals)
        totals = pd.DataFrame(
            {
                "central": central,
                "low": pd.Series(np.quantile(stacked, 0.05, axis=0), index=central.index),
                "high": pd.Series(np.quantile(stacked, 0.95, axis=0), index=central.index),
            }
        )
        if grouping and industry_central is not None:
            cube = np.stack(draw_industries)
            low = _industry_frame(np.quantile(cube, 0.05, axis=0), grouping)
            high = _industry_frame(np.quantile(cube, 0.95, axis=0), grouping)
            industries = pd.concat({"central": industry_central, "low": low, "high": high}, axis=1)
    else:
        totals = pd.DataFrame({"central": central, "low": central, "high": central})
        if industry_central is not None:
            industries = pd.concat(
                {"central": industry_central, "low": industry_central, "high": industry_central}, axis=1
            )
    totals.index.name = "headline"
    return Result(rows=rows, products=products, totals=totals, industries=industries, parameters=params)


@dataclass
class Comparison:
    """Two schedules against each other on one base year (see `compare`)."""

    totals: pd.DataFrame  # headline × (central, low, high): outcome(rate) − outcome(alternative)
    industries: pd.DataFrame | None  # industry × (central|low|high, headline), the same differences
    rows: pd.DataFrame  # product × partner under `rate`
    alternative_rows: pd.DataFrame  # product × partner under `alternative`
    parameters: Parameters


def compare(
    trade: pd.DataFrame,
    *,
    base_rate: str = "base_rate",
    rate: str = "new_rate",
    alternative: str = "alternative_rate",
    passthrough: float | PassthroughPreset = "border_2025",
    sigma: float = 2.5,
    eta: float = 1.5,
    standard_errors: Mapping[str, float] | pd.DataFrame | None = None,
    draws: int = 200,
    seed: int = 0,
    by: str | None = None,
    value: str = "value",
    product: str = "hs10",
    partner: str = "partner",
) -> Comparison:
    """The effect of the schedule `rate` against the schedule `alternative`, on the same base year.

    The base year's flows were observed under `base_rate`, so each schedule is solved from there and the
    effect is the difference of the two outcomes: revenue, cost to buyers, deadweight loss, imports, by
    headline and by industry (``by``). Because the cost to buyers of CES demand is an exact expenditure
    function, the difference is the exact cost of moving from `alternative` to `rate`. Intervals use
    the same parameter draws for both schedules, so they are intervals of the difference itself.
    """
    rho = resolve_passthrough(passthrough)
    params = Parameters(rho, float(sigma), float(eta))
    for column in (rate, alternative):
        _validate(
            trade, params, old_rate=base_rate, new_rate=column, value=value, product=product,
            partner=partner, by=by, standard_errors=standard_errors, draws=draws,
        )  # fmt: skip
    base = trade.reset_index(drop=True)
    grouping = _grouping(base, by, product) if by else None
    prepared = [
        _prepare(base, old_rate=base_rate, new_rate=column, value=value, product=product)
        for column in (rate, alternative)
    ]

    def difference(drawn: Parameters) -> tuple[np.ndarray, np.ndarray | None]:
        (rows_a, products_a), (rows_b, products_b) = (_solve_arrays(p, drawn) for p in prepared)
        totals = _headline_values(rows_a, products_a) - _headline_values(rows_b, products_b)
        if grouping is None:
            return totals, None
        by_industry = _industry_values(rows_a, products_a, grouping) - _industry_values(
            rows_b, products_b, grouping
        )
        return totals, by_industry

    rows_a = _solve(base, params, old_rate=base_rate, new_rate=rate, value=value, product=product)[0]
    rows_b = _solve(base, params, old_rate=base_rate, new_rate=alternative, value=value, product=product)[0]
    central, industry_central = difference(params)
    low = high = central
    industry_low = industry_high = industry_central
    if standard_errors is not None and len(standard_errors):
        rng = np.random.default_rng(seed)
        outcomes = [difference(_draw(params, standard_errors, rng)) for _ in range(draws)]
        stacked = np.stack([o[0] for o in outcomes])
        low, high = np.quantile(stacked, 0.05, axis=0), np.quantile(stacked, 0.95, axis=0)
        if grouping is not None:
            cube = np.stack([o[1] for o in outcomes if o[1] is not None])
            industry_low, industry_high = np.quantile(cube, 0.05, axis=0), np.quantile(cube, 0.95, axis=0)
    totals = pd.DataFrame({"central": central, "low": low, "high": high}, index=list(HEADLINES))
    totals.index.name = "headline"
    industries = None
    if grouping is not None and industry_central is not None:
        assert industry_low is not None and industry_high is not None
        industries = pd.concat(
            {
                "central": _industry_frame(industry_central, grouping),
                "low": _industry_frame(industry_low, grouping),
                "high": _industry_frame(industry_high, grouping),
            },
            axis=1,
        )
    return Comparison(totals, industries, rows_a, rows_b, params)


@dataclass(frozen=True)
class _Base:
    """The base year as arrays, prepared once per call: every parameter draw solves from these."""

    product: np.ndarray  # the row's product code (str)
    codes: np.ndarray  # sorted product codes
    group: np.ndarray  # row → product
    v0: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    domestic_share: np.ndarray | None  # by product


def _prepare(trade: pd.DataFrame, *, old_rate: str, new_rate: str, value: str, product: str) -> _Base:
    names = trade[product].astype("str").to_numpy()
    codes, group = np.unique(names, return_inverse=True)
    d = None
    if "_domestic_share" in trade.columns:
        # The first row's share stands for its product (one share per product).
        first = np.unique(group, return_index=True)[1]
        d = trade["_domestic_share"].to_numpy(dtype="float64")[first]
    return _Base(
        names, codes, group, trade[value].to_numpy(dtype="float64"),
        trade[old_rate].to_numpy(dtype="float64"), trade[new_rate].to_numpy(dtype="float64"), d,
    )  # fmt: skip


def _solve(
    trade: pd.DataFrame, params: Parameters, *, old_rate: str, new_rate: str, value: str, product: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = _prepare(trade, old_rate=old_rate, new_rate=new_rate, value=value, product=product)
    rows, products = _solve_arrays(base, params)
    return pd.DataFrame({"product": base.product, **rows}), pd.DataFrame({"product": base.codes, **products})


def _solve_arrays(base: _Base, params: Parameters) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    rho, sigma, eta, epsilon = params.passthrough, params.sigma, params.eta, params.demand_elasticity
    v0, t0, t1, codes, group = base.v0, base.t0, base.t1, base.codes, base.group
    log_tau = np.log1p(t1) - np.log1p(t0)
    log_p = rho * log_tau  # duty-inclusive price
    log_p_star = (rho - 1.0) * log_tau  # exporter's price
    spend0 = v0 * (1.0 + t0)
    spend_k = np.bincount(group, weights=spend0, minlength=len(codes))
    share = np.divide(spend0, spend_k[group], out=np.zeros_like(spend0), where=spend_k[group] > 0)
    log_index: np.ndarray
    if sigma == 1.0:
        log_index = np.bincount(group, weights=share * log_p, minlength=len(codes))
    else:
        inner = np.bincount(group, weights=share * np.exp((1.0 - sigma) * log_p), minlength=len(codes))
        log_index = np.log(np.where(inner > 0, inner, 1.0)) / (1.0 - sigma)
    cost_base: np.ndarray
    if base.domestic_share is not None:
        d = base.domestic_share
        log_product_price = _ces_log_index(log_index, 1.0 - d, eta)
        log_q_k = -eta * (log_index - log_product_price) - epsilon * log_product_price
        cost_base, cost_index, cost_elasticity = spend_k / (1.0 - d), log_product_price, epsilon
    else:
        log_q_k = -eta * log_index
        cost_base, cost_index, cost_elasticity = spend_k, log_index, eta
    log_x = -sigma * (log_p - log_index[group]) + log_q_k[group]
    x_hat = np.exp(log_x)
    v1 = v0 * x_hat * np.exp(log_p_star)
    rows = {
        "price_change": np.expm1(log_p),
        "exporter_price_change": np.expm1(log_p_star),
        "quantity_change": np.expm1(log_x),
        "base_value": v0,
        "new_value": v1,
        "revenue_old": t0 * v0,
        "revenue_new": t1 * v1,
        "terms_of_trade_gain": -v0 * x_hat * np.expm1(log_p_star),
    }
    if cost_elasticity == 1.0:
        cost_k = cost_base * cost_index
    else:
        cost_k = cost_base * np.expm1((1.0 - cost_elasticity) * cost_index) / (1.0 - cost_elasticity)
    products = {
        "import_price_index_change": np.expm1(log_index),
        "imports_change": np.expm1(log_q_k),
        "base_spending": spend_k,
        "cost_to_buyers": cost_k,
    }
    return rows, products


Solved = pd.DataFrame | Mapping[str, np.ndarray]  # what `_solve` or `_solve_arrays` gives


def _headline_values(rows: Solved, products: Solved) -> np.ndarray:
    """The headline totals in the order of `HEADLINES`."""
    base_value, new_value = float(np.sum(rows["base_value"])), float(np.sum(rows["new_value"]))
    revenue_old, revenue_new = float(np.sum(rows["revenue_old"])), float(np.sum(rows["revenue_new"]))
    revenue_change = revenue_new - revenue_old
    cost = float(np.sum(products["cost_to_buyers"]))
    tot = float(np.sum(rows["terms_of_trade_gain"]))
    net_loss = cost - revenue_change
    return np.array(
        [base_value, new_value, revenue_old, revenue_new, revenue_change, cost, tot, net_loss + tot, net_loss]
    )


def _headlines(rows: Solved, products: Solved) -> pd.Series:
    return pd.Series(_headline_values(rows, products), index=list(HEADLINES))


@dataclass(frozen=True)
class _Grouping:
    """Row → industry and row → product indices, computed once per call and reused by every draw."""

    by: str
    industries: np.ndarray  # sorted industry codes
    industry_of_row: np.ndarray
    product_of_row: np.ndarray  # into the sorted product codes, as `_solve` orders `products`


def _grouping(trade: pd.DataFrame, by: str, product: str) -> _Grouping:
    industries, industry_of_row = np.unique(trade[by].astype("str").to_numpy(), return_inverse=True)
    _, product_of_row = np.unique(trade[product].astype("str").to_numpy(), return_inverse=True)
    return _Grouping(by, industries, industry_of_row, product_of_row)


def _industry_values(rows: Solved, products: Solved, grouping: _Grouping) -> np.ndarray:
    """Industry × headline (the order of `HEADLINES`). A product's cost to buyers is shared among its
    rows by base spending, so products that straddle industries (rare at HS10) are split, not counted
    twice."""

    def column(frame: Solved, name: str) -> np.ndarray:
        return np.asarray(frame[name], dtype="float64")

    spending = column(products, "base_spending")[grouping.product_of_row]
    cost = column(products, "cost_to_buyers")[grouping.product_of_row]
    row_spend = column(rows, "revenue_old") + column(rows, "base_value")
    weight = np.divide(row_spend, spending, out=np.zeros_like(row_spend), where=spending != 0)
    n = len(grouping.industries)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(grouping.industry_of_row, weights=values, minlength=n)

    base_value, new_value = total(column(rows, "base_value")), total(column(rows, "new_value"))
    revenue_old, revenue_new = total(column(rows, "revenue_old")), total(column(rows, "revenue_new"))
    cost_k, tot = total(weight * cost), total(column(rows, "terms_of_trade_gain"))
    revenue_change = revenue_new - revenue_old
    net_loss = cost_k - revenue_change
    columns = [base_value, new_value, revenue_old, revenue_new, revenue_change, cost_k, tot]
    return np.column_stack([*columns, net_loss + tot, net_loss])


def _industry_frame(values: np.ndarray, grouping: _Grouping) -> pd.DataFrame:
    index = pd.Index(grouping.industries, name=grouping.by)
    return pd.DataFrame(values, index=index, columns=list(HEADLINES))


def _by_industry(rows: Solved, products: Solved, grouping: _Grouping) -> pd.DataFrame:
    return _industry_frame(_industry_values(rows, products, grouping), grouping)


_LOWER_BOUNDS = {"passthrough": -1e-12, "sigma": 0.0, "eta": 0.0, "demand_elasticity": 0.0}


def _draw(params: Parameters, se: Mapping[str, float] | pd.DataFrame, rng: np.random.Generator) -> Parameters:
    """One parameter draw: normal around `params`, truncated to the valid ranges by rejection; jointly
    normal when `se` is a covariance matrix (estimates of ρ, σ and η share their sampling error)."""
    centre = {name: float(getattr(params, name)) for name in _LOWER_BOUNDS}
    if isinstance(se, pd.DataFrame):
        names = [n for n in se.index if n in _LOWER_BOUNDS]
        cov = se.loc[names, names].to_numpy(dtype="float64")
        mean = np.array([centre[n] for n in names])
        low = np.array([_LOWER_BOUNDS[n] for n in names])
        for _ in range(1000):
            value = rng.multivariate_normal(mean, cov, method="cholesky")
            if np.all(value > low):
                return dataclasses.replace(params, **dict(zip(names, value.tolist(), strict=True)))
        return params

    def one(name: str) -> float:
        s = float(se.get(name, 0.0))
        if s == 0.0:
            return centre[name]
        for _ in range(1000):
            value = rng.normal(centre[name], s)
            if value > _LOWER_BOUNDS[name]:
                return value
        return centre[name]

    return Parameters(
        passthrough=one("passthrough"),
        sigma=one("sigma"),
        eta=one("eta"),
        demand_elasticity=one("demand_elasticity"),
    )


def _covariance_problems(cov: pd.DataFrame) -> list[tuple[str, str]]:
    unknown = [n for n in [*cov.index, *cov.columns] if n not in _LOWER_BOUNDS]
    if unknown:
        return [("standard_errors", f"covariance of unknown parameter(s) {sorted(set(map(str, unknown)))}")]
    if list(cov.index) != list(cov.columns):
        return [("standard_errors", "a covariance matrix needs the same names, in the same order, both ways")]
    matrix = cov.to_numpy(dtype="float64")
    if not np.all(np.isfinite(matrix)) or not np.allclose(matrix, matrix.T, atol=1e-12):
        return [("standard_errors", "the covariance matrix is not finite and symmetric")]
    if np.linalg.eigvalsh(matrix).min() < -1e-12 * max(1.0, float(np.abs(matrix).max())):
        return [("standard_errors", "the covariance matrix is not positive semi-definite")]
    return []


def _validate(
    trade: pd.DataFrame,
    params: Parameters,
    *,
    old_rate: str,
    new_rate: str,
    value: str,
    product: str,
    partner: str,
    by: str | None,
    standard_errors: Mapping[str, float] | pd.DataFrame | None,
    draws: int,
) -> None:
    problems: list[tuple[str, str]] = []
    if not (0.0 <= params.passthrough <= 1.5 and math.isfinite(params.passthrough)):
        problems.append(("passthrough", f"{params.passthrough} must lie in [0, 1.5]"))
    for name, val in (
        ("sigma", params.sigma),
        ("eta", params.eta),
        ("demand_elasticity", params.demand_elasticity),
    ):
        if not (val > 0 and math.isfinite(val)):
            problems.append((name, f"{val} must be a positive elasticity"))
    columns = [old_rate, new_rate, value, product, partner] + ([by] if by else [])
    missing = [c for c in columns if c not in trade.columns]
    if missing:
        problems.append(("trade", f"missing column(s) {missing}"))
    else:
        for name in (old_rate, new_rate, value):
            numbers = pd.to_numeric(trade[name], errors="coerce")
            if numbers.isna().any():
                first = int(np.flatnonzero(numbers.isna().to_numpy())[0])
                problems.append((name, f"row {first}: {trade[name].iloc[first]!r} is not a number"))
            elif (numbers < 0).any():
                first = int(np.flatnonzero((numbers < 0).to_numpy())[0])
                problems.append((name, f"row {first}: negative ({numbers.iloc[first]})"))
        if trade.duplicated([product, partner]).any():
            first = int(np.flatnonzero(trade.duplicated([product, partner]).to_numpy())[0])
            problems.append(("trade", f"row {first}: duplicated {product} × {partner}"))
    if isinstance(standard_errors, pd.DataFrame):
        problems += _covariance_problems(standard_errors)
        if draws < 20:
            problems.append(("draws", f"{draws} is too few for 5–95% intervals (at least 20)"))
    elif standard_errors:
        for name, s in standard_errors.items():
            if name not in {"passthrough", "sigma", "eta", "demand_elasticity"}:
                problems.append(("standard_errors", f"unknown parameter {name!r}"))
            elif not (s >= 0 and math.isfinite(s)):
                problems.append(("standard_errors", f"{name}: {s} must be a non-negative number"))
        if draws < 20:
            problems.append(("draws", f"{draws} is too few for 5–95% intervals (at least 20)"))
    if problems:
        raise ParameterError(problems, context="trade.simulate")


# --------------------------------------------------------------------------------------------------------
# From results to industries and to the input-output table's prices. (The base year of trade the model
# takes, from either imports panel, is built by `econ.models.base_year`; `base_year_frame` re-exported.)


def industry_effects(result: Result | Comparison) -> pd.DataFrame:
    """Per industry, in $ billion a year: the change in imports, the cost to buyers with its 5–95%
    interval, and the change in tariff revenue — most negative cost (largest saving) first."""
    if result.industries is None:
        raise ParameterError(
            [("by", "the result has no industries; run it with by=...")], context="industry_effects"
        )
    table = result.industries
    imports_change = table[("central", "new_value")] - (
        0.0 if isinstance(result, Comparison) else table[("central", "base_value")]
    )
    effects = pd.DataFrame(
        {
            "imports_change_bn": imports_change,
            "cost_to_buyers_bn": table[("central", "cost_to_buyers")],
            "cost_low_bn": table[("low", "cost_to_buyers")],
            "cost_high_bn": table[("high", "cost_to_buyers")],
            "revenue_change_bn": table[("central", "revenue_change")],
        }
    )
    return (effects / 1e9).sort_values("cost_to_buyers_bn")


def import_price_changes(
    result: Result | Comparison,
    trade: pd.DataFrame,
    *,
    by: str = "bea",
    commodities: Sequence[str] | None = None,
    other: str = "OTHER",
) -> pd.Series:
    """Duty-inclusive import price change by industry code (``by``), weighted by base-year duty-inclusive
    spending — the input `econ.models.io.cost_push` takes. With ``commodities`` (the codes of an
    input-output table), each code is placed in the table (`econ.models.crosswalk.table_codes`): codes
    outside it are pooled into ``other`` when the table has that commodity (the embedded aggregate), and
    otherwise left out — their spending and share are in the result's ``attrs["unmatched"]`` and
    ``attrs["unmatched_share"]`` (`econ.models.crosswalk.unmatched` lists them by code). For a
    `Comparison`, the change is from the alternative schedule's prices to the compared schedule's."""
    if by not in trade.columns:
        raise ParameterError(
            [("by", f"the trade frame has no column {by!r}")], context="import_price_changes"
        )
    codes = trade[by].astype("str").reset_index(drop=True)
    spend = result.rows["base_value"] + result.rows["revenue_old"]
    change = result.rows["price_change"]
    if isinstance(result, Comparison):
        change = (1.0 + change) / (1.0 + result.alternative_rows["price_change"]) - 1.0
    keep = pd.Series(True, index=codes.index)
    if commodities is not None:
        placed = table_codes(codes, commodities, other=other)
        keep = placed["how"] != "unmatched"
        codes = placed["commodity"]
    weighted = (change * spend)[keep].groupby(codes[keep]).sum()
    out = (weighted / spend[keep].groupby(codes[keep]).sum()).rename("import_price_change")
    lost = spend[~keep].groupby(trade[by].astype("str").reset_index(drop=True)[~keep]).sum()
    out.attrs["unmatched"] = {str(code): float(v) for code, v in lost.sort_values(ascending=False).items()}
    out.attrs["unmatched_share"] = float(lost.sum() / spend.sum()) if float(spend.sum()) else 0.0
    return out


def _ces_log_index(log_import_index: np.ndarray, import_share: np.ndarray, elasticity: float) -> np.ndarray:
    """log of ``[m P̂^(1−κ) + (1−m)]^(1/(1−κ))``, the product's price with domestic prices unchanged."""
    if elasticity == 1.0:
        return import_share * log_import_index
    inner = import_share * np.exp((1.0 - elasticity) * log_import_index) + (1.0 - import_share)
    return np.log(inner) / (1.0 - elasticity)


def _check_domestic_share(trade: pd.DataFrame) -> None:
    if "_domestic_share" not in trade.columns:
        return
    share = trade["_domestic_share"]
    bad = share.isna() | (share < 0) | (share >= 1)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(
            [
                (
                    "domestic_share",
                    f"row {first}: {share.iloc[first]!r} must lie in [0, 1) (imports are bought)",
                )
            ],
            context="trade.simulate",
        )
