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

import numpy as np
import pandas as pd

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
