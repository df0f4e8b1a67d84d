"""Within-pair time differences and logs on the import panel (product × partner × month rows)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from econ.errors import EstimationError

PAIR = ("product_id", "partner_id")


def require(panel: pd.DataFrame, columns: Sequence[str], context: str) -> None:
    """Raise EstimationError naming every missing column at once."""
    missing = [c for c in dict.fromkeys(columns) if c not in panel.columns]
    if missing:
        raise EstimationError(
            f"{context}: the panel lacks column(s) {missing}; expected the import panel of TEAM.md "
            "(product_id, partner_id, month_id, value, quantity, unit_value, unit_value_incl_duty, "
            "statutory_rate, …)"
        )


def safe_log(values: pd.Series | np.ndarray) -> np.ndarray:
    """log(v) for v > 0 and NaN otherwise (so zero or missing flows drop out, with a warning later)."""
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64, na_value=np.nan))
    out = np.full(v.shape, np.nan)
    pos = v > 0
    out[pos] = np.log(v[pos])
    return out


def pair_difference(
    panel: pd.DataFrame, values: dict[str, np.ndarray], horizon: int
) -> dict[str, np.ndarray]:
    """x_t − x_{t−h} within each product × partner pair; NaN where month t − h is not in the panel."""
    product = panel["product_id"].to_numpy().astype(np.int64)
    partner = panel["partner_id"].to_numpy().astype(np.int64)
    month = panel["month_id"].to_numpy().astype(np.int64)
    span = int(month.max() - month.min() + 1 + horizon)
    key = (product * (int(partner.max()) + 1) + partner) * span + (month - month.min() + horizon)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    if np.any(sorted_key[1:] == sorted_key[:-1]):
        raise EstimationError("pair_difference: the panel has duplicate product × partner × month rows")
    pos = np.searchsorted(sorted_key, key - horizon)
    pos = np.minimum(pos, sorted_key.size - 1)
    found = sorted_key[pos] == key - horizon
    lag_row = order[pos]
    out = {}
    for name, v in values.items():
        d = np.full(v.shape, np.nan)
        d[found] = v[found] - v[lag_row[found]]
        out[name] = d
    return out
