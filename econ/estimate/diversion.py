"""Trade diversion: how third countries' exports of a product respond to the tariff on China.

    log y_ict = β · log(1 + τ^CN_it) + γ · log(1 + τ_ict) + μ_ic + δ_{c,t} + ε_ict,     c ≠ China

τ^CN_it is the statutory rate on the same product from the tariffed partner (China, "5700") in the same
month, taken from the panel's China rows (product-months without a China row drop out); τ_ict is the
partner's own rate. μ are product × partner effects and δ partner × month effects; product × month effects
cannot be used, since they would absorb τ^CN. β > 0 means imports moved to third countries as China's
tariff rose. `horizon` = h replaces levels by h-month differences within pairs (μ then drops).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from econ.errors import EstimationError
from econ.estimate.differences import pair_difference, require, safe_log
from econ.estimate.ols import absorbed_ols
from econ.estimate.results import Result

Outcome = Literal["value", "quantity"]


def trade_diversion(
    panel: pd.DataFrame,
    *,
    outcome: Outcome = "value",
    tariffed_partner: str = "5700",
    tariff: str = "statutory_rate",
    horizon: int | None = None,
    cluster: str | tuple[str, str] = "product_id",
) -> Result:
    """Response of third-country imports to the tariffed partner's tariff on the same product."""
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    require(
        panel, ["product_id", "partner_id", "partner", "month_id", outcome, tariff, *cl], "trade_diversion"
    )
    is_target = (panel["partner"].astype(str) == tariffed_partner).to_numpy()
    if not is_target.any():
        raise EstimationError(f"trade_diversion: no rows for partner {tariffed_partner!r}")
    key = panel["product_id"].to_numpy().astype(np.int64) * 1_000_000 + panel["month_id"].to_numpy()
    target_rate = pd.Series(
        np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64)[is_target]), index=key[is_target]
    )
    target_rate = target_rate[~target_rate.index.duplicated()]
    third = ~is_target
    values = {
        "y": safe_log(panel[outcome]),
        "target": target_rate.reindex(key).to_numpy(),
        "own": np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64, na_value=np.nan)),
    }
    if horizon is not None:
        values = pair_difference(panel, values, horizon)
    d = "d" if horizon else ""
    frame = pd.DataFrame(
        {
            f"{d}log_{outcome}": values["y"][third],
            f"{d}log_1_plus_tariff_{tariffed_partner}": values["target"][third],
            f"{d}log_1_plus_own_tariff": values["own"][third],
        }
    )
    for c in dict.fromkeys(["product_id", "partner_id", "month_id", *cl]):
        frame[c] = panel[c].to_numpy()[third]
    ok = frame.notna().all(axis=1).to_numpy()
    frame = frame.loc[ok]
    absorb: list[str | tuple[str, ...]] = [("partner_id", "month_id")]
    if horizon is None:
        absorb.insert(0, ("product_id", "partner_id"))
    x = [f"{d}log_1_plus_tariff_{tariffed_partner}", f"{d}log_1_plus_own_tariff"]
    own_varies = frame[x[1]].std() > 0
    result = absorbed_ols(frame, f"{d}log_{outcome}", x if own_varies else x[:1], absorb, cluster=cl)
    result.specification.update(
        estimator="trade_diversion", tariffed_partner=tariffed_partner, horizon=horizon
    )
    return result
