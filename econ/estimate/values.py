"""The response of import values to tariffs, for panels with values but no quantities (Census NAICS).

    Δ_h log v_ict = β · Δ_h log(1 + τ_ict) + α_{i,t} + δ_{c,t} + ε_ict

v is the import value, τ the tariff column (the collected rate, duty ÷ value, on the NAICS panel, where no
product lines carry a statutory rate; the statutory rate on an HS10 panel), Δ_h the h-month difference
within a product × partner pair; α product × month and δ partner × month effects, so the comparison is
between partners of the same product in the same month. Under constant-elasticity demand between partners
with pass-through ρ, β = −(σ − 1)ρ: a statement about values, not prices. With the collected rate β is
biased towards zero (its composition moves with the flows it divides).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.estimate.differences import pair_difference, require, safe_log
from econ.estimate.ols import absorbed_ols
from econ.estimate.results import Result


def value_response(
    panel: pd.DataFrame,
    *,
    horizon: int = 12,
    tariff: str = "statutory_rate",
    cluster: str | tuple[str, str] = "product_id",
) -> Result:
    """β of the module doc: `horizon`-month differences of log value on log(1 + `tariff`), clustered."""
    if not isinstance(horizon, int) or horizon < 1:
        raise ParameterError([("horizon", f"a positive number of months, got {horizon!r}")], context="value")
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    require(panel, ["product_id", "partner_id", "month_id", "value", tariff, *cl], "value_response")
    logs = {
        "y": safe_log(panel["value"]),
        "x": np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64, na_value=np.nan)),
    }
    diffs = pair_difference(panel, logs, horizon)
    ok = np.isfinite(diffs["y"]) & np.isfinite(diffs["x"])
    frame = pd.DataFrame({"dlog_value": diffs["y"][ok], "dlog_1_plus_tariff": diffs["x"][ok]})
    for c in dict.fromkeys(["product_id", "partner_id", "month_id", *cl]):
        frame[c] = panel[c].to_numpy()[ok]
    absorb: list[str | tuple[str, ...]] = [("product_id", "month_id"), ("partner_id", "month_id")]
    result = absorbed_ols(frame, "dlog_value", ["dlog_1_plus_tariff"], absorb, cluster=cl)
    result.specification.update(
        estimator="value_response",
        horizon=horizon,
        tariff=tariff,
        equation="Δh log v_ict = β Δh log(1+τ_ict) + α_it + δ_ct + ε",
    )
    return result
