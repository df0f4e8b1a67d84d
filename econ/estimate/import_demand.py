"""Import demand: the elasticity of quantities and values to the duty-inclusive price.

    Δ_h log q_ict = −σ · Δ_h log p_ict + α_{i,t} + δ_{c,t} + u_ict,   instrumented by Δ_h log(1 + τ_ict)

p is the duty-inclusive unit value. Prices respond to demand shocks, so OLS is biased; the tariff shifts
the price (first stage = pass-through) and, given the product × month (α) and partner × month (δ)
effects, is taken as excluded from demand (Fajgelbaum et al. 2020). σ is then the elasticity of
substitution between partners' varieties of one product. The same instrument gives the elasticity of the
(duty-exclusive) import value, 1 − σ − 1/ρ with ρ the pass-through (= −σ when ρ = 1), and the reduced forms
of quantity and value on Δ log(1 + τ) ("tariff elasticities"). `horizon=None` uses log levels with
product × partner effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.errors import EstimationError
from econ.estimate.differences import pair_difference, require, safe_log
from econ.estimate.ols import absorbed_iv, absorbed_ols
from econ.estimate.results import Result


def import_demand(
    panel: pd.DataFrame,
    *,
    horizon: int | None = 12,
    tariff: str = "statutory_rate",
    product: str = "product_id",
    cluster: str | tuple[str, str] = "product_id",
) -> dict[str, Result]:
    """Keys: "quantity" and "value" (2SLS elasticities to the duty-inclusive price), "first_stage"
    (price on tariff), "reduced_form_quantity", "reduced_form_value" (on the tariff)."""
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    require(
        panel,
        [
            "product_id",
            "partner_id",
            "month_id",
            "quantity",
            "value",
            "unit_value_incl_duty",
            tariff,
            product,
            *cl,
        ],
        "import_demand",
    )
    logs = {
        "q": safe_log(panel["quantity"]),
        "v": safe_log(panel["value"]),
        "p": safe_log(panel["unit_value_incl_duty"]),
        "t": np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64, na_value=np.nan)),
    }
    if horizon is not None:
        logs = pair_difference(panel, logs, horizon)
    ok = np.all(np.column_stack([np.isfinite(v) for v in logs.values()]), axis=1)
    d = "d" if horizon else ""
    frame = pd.DataFrame(
        {
            f"{d}log_quantity": logs["q"][ok],
            f"{d}log_value": logs["v"][ok],
            f"{d}log_price_incl_duty": logs["p"][ok],
            f"{d}log_1_plus_tariff": logs["t"][ok],
        }
    )
    for c in dict.fromkeys(["product_id", "partner_id", "month_id", product, *cl]):
        frame[c] = panel[c].to_numpy()[ok]
    absorb: list[str | tuple[str, ...]] = [(product, "month_id"), ("partner_id", "month_id")]
    if horizon is None:
        absorb.insert(0, ("product_id", "partner_id"))
    price, tar = f"{d}log_price_incl_duty", f"{d}log_1_plus_tariff"
    out = {
        "quantity": absorbed_iv(frame, f"{d}log_quantity", price, tar, absorb, cluster=cl),
        "value": absorbed_iv(frame, f"{d}log_value", price, tar, absorb, cluster=cl),
        "first_stage": absorbed_ols(frame, price, tar, absorb, cluster=cl),
        "reduced_form_quantity": absorbed_ols(frame, f"{d}log_quantity", tar, absorb, cluster=cl),
        "reduced_form_value": absorbed_ols(frame, f"{d}log_value", tar, absorb, cluster=cl),
    }
    for key, result in out.items():
        result.specification.update(model=f"import_demand:{key}", horizon=horizon)
    return out


def _log_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean (a − b)/(log a − log b), = a where a = b (Sato–Vartia weights)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (a - b) / (np.log(a) - np.log(b))
    return np.where(np.isclose(a, b), a, out)


def aggregate_demand(
    panel: pd.DataFrame,
    *,
    horizon: int = 12,
    tariff: str = "statutory_rate",
    absorb: tuple[str, ...] = ("month_id",),
    cluster: str = "product_id",
) -> Result:
    """η: the elasticity of a product's total imports to its tariff-inclusive import price index.

        Δ_h log Q_it = −η · Δ_h log P_it + month effects + u_it,  instrumented by Δ_h log T_it

    P_it is the Sato–Vartia index of the duty-inclusive unit values of the varieties (partners) present
    in both t − h and t (exact for CES demand over a fixed set of varieties), Q_it = E_it / P_it with E
    the duty-inclusive spending, and T_it the same index of (1 + statutory rate). Only product-months
    whose recorded partners are the same at t and t − h are used: a month with no row for a large
    supplier (a gap in the sparse panel, or entry and exit) moves E without moving P, and on the
    structural world (8% of pair-months unrecorded) that overstates η by a third to a half; Feenstra's
    (1994) variety correction does not help there, since an unrecorded month is not a lost variety.
    Product-level demand shocks move P through prices but not the statutory rate, so the tariff index
    is the instrument. The coefficient reported is that on
    Δ log P, i.e. −η.
    """
    require(
        panel,
        ["product_id", "partner_id", "month_id", "value", "duty", "unit_value_incl_duty", tariff, cluster],
        "aggregate_demand",
    )
    spend = pd.to_numeric(panel["value"]).to_numpy(np.float64) + pd.to_numeric(panel["duty"]).to_numpy(
        np.float64
    )
    logs = {
        "spend": np.log(np.where(spend > 0, spend, np.nan)),
        "p": safe_log(panel["unit_value_incl_duty"]),
        "t": np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64, na_value=np.nan)),
    }
    diffs = pair_difference(panel, logs, horizon)
    ok = np.all(np.column_stack([np.isfinite(v) for v in diffs.values()]), axis=1)
    now = np.exp(logs["spend"][ok])
    before = now / np.exp(diffs["spend"][ok])
    all_key = pd.MultiIndex.from_arrays([panel["product_id"].to_numpy(), panel["month_id"].to_numpy()])
    total_spend = pd.Series(np.where(spend > 0, spend, 0.0), index=all_key).groupby(level=[0, 1]).sum()
    product = panel["product_id"].to_numpy()[ok]
    month = panel["month_id"].to_numpy()[ok]
    key = pd.MultiIndex.from_arrays([product, month])
    frame = pd.DataFrame({"now": now, "before": before}, index=key)
    totals = frame.groupby(level=[0, 1]).transform("sum")
    weight = _log_mean(now / totals["now"].to_numpy(), before / totals["before"].to_numpy())
    parts = (
        pd.DataFrame(
            {
                "w": weight,
                "wp": weight * diffs["p"][ok],
                "wt": weight * diffs["t"][ok],
                "now": now,
                "before": before,
            },
            index=key,
        )
        .groupby(level=[0, 1])
        .sum()
    )
    products = parts.index.get_level_values(0).to_numpy()
    out = pd.DataFrame(
        {
            "product_id": products,
            "month_id": parts.index.get_level_values(1).to_numpy(),
            "dlog_price_index": (parts["wp"] / parts["w"]).to_numpy(),
            "dlog_tariff_index": (parts["wt"] / parts["w"]).to_numpy(),
        }
    )
    e_now = total_spend.reindex(parts.index).to_numpy()
    e_before = total_spend.reindex(
        pd.MultiIndex.from_arrays([out["product_id"].to_numpy(), out["month_id"].to_numpy() - horizon])
    ).to_numpy()
    out["dlog_imports"] = np.log(e_now / e_before) - out["dlog_price_index"]
    same = (parts["now"].to_numpy() >= e_now * (1 - 1e-9)) & (
        parts["before"].to_numpy() >= e_before * (1 - 1e-9)
    )
    out = out.loc[same].reset_index(drop=True)
    products = out["product_id"].to_numpy()
    extra = [c for c in (*absorb, cluster) if c not in out.columns]
    if extra:
        lookup = panel.drop_duplicates("product_id").set_index("product_id")[extra]
        for c in extra:
            out[c] = lookup[c].reindex(products).to_numpy()
    result = absorbed_iv(
        out, "dlog_imports", "dlog_price_index", "dlog_tariff_index", list(absorb), cluster=cluster
    )
    result.specification.update(
        model="import_demand:aggregate",
        horizon=horizon,
        index="Sato–Vartia over product-months with the same partners at t and t − h",
    )
    return result


@dataclass
class JointEstimates:
    """(ρ̂, σ̂, η̂) with their joint variance, from per-product influence functions stacked across the
    three equations (all clustered by product, so the covariances are those of one sampling draw)."""

    estimates: pd.Series
    covariance: pd.DataFrame
    results: dict[str, Result]

    def __getitem__(self, name: str) -> tuple[float, float]:
        """(estimate, standard error) of one parameter, as `econ.models.trade` reads it."""
        variance = float(np.diag(self.covariance.to_numpy())[list(self.covariance.index).index(name)])
        return float(self.estimates[name]), float(np.sqrt(variance))

    @property
    def correlation(self) -> pd.DataFrame:
        sd = np.sqrt(np.diag(self.covariance.to_numpy()))
        values = self.covariance.to_numpy() / np.outer(sd, sd)
        return pd.DataFrame(values, index=self.covariance.index, columns=self.covariance.columns)


def joint_parameters(
    panel: pd.DataFrame, *, horizon: int = 12, cluster: str = "product_id"
) -> JointEstimates:
    """Pass-through ρ (duty-inclusive, statutory footing), σ (minus the quantity elasticity of
    `import_demand`) and η (minus the coefficient of `aggregate_demand`), with their covariance."""
    from econ.estimate.passthrough import passthrough

    rho = passthrough(panel, horizon=horizon, prices=("duty_inclusive",), cluster=cluster)["duty_inclusive"]
    sigma = import_demand(panel, horizon=horizon, cluster=cluster)["quantity"]
    eta = aggregate_demand(panel, horizon=horizon, cluster=cluster)
    parts = {"passthrough": (rho, 1.0), "sigma": (sigma, -1.0), "eta": (eta, -1.0)}
    influence = {}
    for name, (fit, sign) in parts.items():
        if "cluster_influence" not in fit.extra:
            raise EstimationError(
                f"joint_parameters: {name} has no per-cluster influence (one-way clustering)"
            )
        influence[name] = sign * fit.extra["cluster_influence"].iloc[:, 0]
    stacked = pd.DataFrame(influence).fillna(0.0)
    covariance = stacked.T @ stacked
    estimates = pd.Series({name: sign * float(fit.coef.iloc[0]) for name, (fit, sign) in parts.items()})
    return JointEstimates(estimates, covariance, {name: fit for name, (fit, _) in parts.items()})
