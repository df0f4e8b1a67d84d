"""Tariff pass-through into import prices (Amiti, Redding & Weinstein 2019; Fajgelbaum et al. 2020).

    Δ_h log p_ict = β · Δ_h log(1 + τ_ict) + α_{i,t} + δ_{c,t} + ε_ict

p is the unit value, duty-inclusive ((value + duty)/quantity) or duty-exclusive (value/quantity, the
exporter's price); Δ_h the h-month difference within a product × partner pair (h = 12 by default, as in
ARW; h = 1 monthly). α_{i,t} are product × month effects (so the comparison is between partners in the same
product and month) and δ_{c,t} partner × month effects. Complete pass-through into duty-inclusive prices is
β = 1 (and then β = 0 for the duty-exclusive price); the two coefficients differ by exactly one when both
are estimated on the same rows. With `horizon=None` the equation is in log levels with product × partner
effects added instead of differences.

Outcome and regressor on the same footing (`measure`):

* ``"statutory"`` (default): the regressor is the statutory rate, and the duty-inclusive price is built
  from that same rate, p*(1 + τ_stat); so β_incl = 1 + β_excl exactly, and ρ is a statement about the
  exporter's price p* alone.
* ``"collected_iv"``: the duty-inclusive price is the one buyers paid, (value + collected duty) /
  quantity, on Δ log(1 + collected rate), instrumented by Δ log(1 + statutory rate) — the gap between the
  two (exclusions, preferences, de minimis, timing of entries) sits in the first stage, not in ρ.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.estimate.differences import pair_difference, require, safe_log
from econ.estimate.ols import absorbed_iv, absorbed_ols
from econ.estimate.results import Result

PriceMeasure = Literal["duty_inclusive", "duty_exclusive"]
PRICE_COLUMNS: dict[str, str] = {"duty_inclusive": "unit_value_incl_duty", "duty_exclusive": "unit_value"}
PassthroughMeasure = Literal["statutory", "collected_iv"]


def passthrough(
    panel: pd.DataFrame,
    *,
    horizon: int | None = 12,
    prices: tuple[PriceMeasure, ...] = ("duty_inclusive", "duty_exclusive"),
    tariff: str = "statutory_rate",
    measure: PassthroughMeasure = "statutory",
    product: str = "product_id",
    cluster: str | tuple[str, str] = "product_id",
) -> dict[str, Result]:
    """Pass-through regressions, one per price measure, on the same rows. Keys are the price measures."""
    bad = [p for p in prices if p not in PRICE_COLUMNS]
    problems = [("prices", f"unknown {bad}; expected {list(PRICE_COLUMNS)}")] if bad else []
    if measure not in get_args(PassthroughMeasure):
        problems.append(("measure", f"expected one of {get_args(PassthroughMeasure)}, got {measure!r}"))
    if horizon is not None and (not isinstance(horizon, int) or horizon < 1):
        problems.append(("horizon", f"a positive number of months or None, got {horizon!r}"))
    if problems:
        raise ParameterError(problems, context="passthrough")
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    collected = measure == "collected_iv"
    needed = ["unit_value", *(["unit_value_incl_duty", "collected_rate"] if collected else [])]
    require(panel, ["product_id", "partner_id", "month_id", tariff, product, *cl, *needed], "passthrough")
    statutory = np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64, na_value=np.nan))
    exclusive = safe_log(panel["unit_value"])
    inclusive = safe_log(panel["unit_value_incl_duty"]) if collected else exclusive + statutory
    logs = {"duty_inclusive": inclusive, "duty_exclusive": exclusive}
    logs = {p: logs[p] for p in prices}
    logs["tariff"] = statutory
    if collected:
        logs["collected"] = np.log1p(
            pd.to_numeric(panel["collected_rate"]).to_numpy(np.float64, na_value=np.nan)
        )
    if horizon is not None:
        logs = pair_difference(panel, logs, horizon)
    # one sample for all measures: rows where every price is observed
    ok = np.all(np.column_stack([np.isfinite(v) for v in logs.values()]), axis=1)
    frame = pd.DataFrame({f"y_{p}": logs[p][ok] for p in prices})
    x_name = "dlog_1_plus_tariff" if horizon else "log_1_plus_tariff"
    frame[x_name] = logs["tariff"][ok]
    if collected:
        z_name, x_name = x_name, x_name.replace("tariff", "collected_rate")
        frame[x_name] = logs["collected"][ok]
    for c in dict.fromkeys(["product_id", "partner_id", "month_id", product, *cl]):
        frame[c] = panel[c].to_numpy()[ok]
    absorb: list[str | tuple[str, ...]] = [(product, "month_id"), ("partner_id", "month_id")]
    if horizon is None:
        absorb.insert(0, ("product_id", "partner_id"))
    out: dict[str, Result] = {}
    for p in prices:
        if collected:
            result = absorbed_iv(frame, f"y_{p}", x_name, z_name, absorb, cluster=cl)
        else:
            result = absorbed_ols(frame, f"y_{p}", [x_name], absorb, cluster=cl)
        result.specification.update(
            estimator="passthrough",
            price=p,
            horizon=horizon,
            measure=measure,
            equation=_EQUATION[horizon is None]
            + (" (τ collected, instrumented by τ statutory)" if collected else ""),
        )
        result.specification["y"] = ("Δ" if horizon else "") + f"log {PRICE_COLUMNS[p]}"
        out[p] = result
    return out


_EQUATION = {
    False: "Δh log p_ict = β Δh log(1+τ_ict) + α_it + δ_ct + ε",
    True: "log p_ict = β log(1+τ_ict) + μ_ic + α_it + δ_ct + ε",
}
