"""Compliance: China's magnet shipments to the US against what was agreed, month by month.

What the sources state (`export_controls`): at Geneva (joint statement of 2025-05-12, in force 2025-05-14)
China undertook to "suspend or cancel the non-tariff countermeasures against the United States from April 2,
2025"; the London framework (2025-06) and MOFCOM's statement of 2025-06-27 promised to approve licence
applications "that meet the conditions"; after Busan (2025-10-30) the widening of 2025-10-09 was suspended
for a year from 2025-11-10. None of them states a quantity. The "agreed level" here is therefore an
assumption — the pre-control flow times ``agreed_share`` (1 by default, `rare_earth_parameters`) — and the
table says so in ``agreed_basis``.

The shipments and the baseline are those of the shock path (`shock.china_index`), so the two sections of a
report cannot disagree: ``share_of_baseline`` here is the shock path's China index.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models.rare_earths import facts, shock


def commitment_in_force(month: pd.Timestamp) -> str:
    """The latest commitment or suspension in force during ``month`` (`export_controls`)."""
    events = shock.control_events()
    kinds = events[events["kind"].isin(["commitment", "suspension", "expiry"])]
    end = month + pd.offsets.MonthEnd(0)
    before = kinds[kinds["date"] <= end]
    if before.empty:
        return "none (before Geneva)"
    last = before.iloc[-1]
    return f"{last['date']:%Y-%m-%d} {last['kind']}"


def compliance(
    period: Iterable[pd.Timestamp], *, agreed_share: float | None = None, destination: str = "united_states"
) -> pd.DataFrame:
    """Month by month from 2025-05 (the first month of the Geneva commitment): ``tonnes`` (published, NaN
    where no figure was), ``baseline``, ``agreed`` (``agreed_share × baseline``), ``share_of_baseline``,
    ``share_of_agreed``, ``commitment`` in force, ``status`` in words, and ``agreed_basis``."""
    share = facts.parameter("agreed_share") if agreed_share is None else agreed_share
    if not (share > 0 and math.isfinite(share)):
        raise ParameterError(
            [("agreed_share", f"{share} must be a positive share of the baseline")], context="compliance"
        )
    index = pd.DatetimeIndex([m for m in period if m >= pd.Timestamp("2025-05-01")])
    observed = shock.china_index(index, destination=destination)
    frame = pd.DataFrame(
        {
            "tonnes": observed["tonnes"],
            "baseline": observed["baseline"],
            "agreed": share * observed["baseline"],
            "share_of_baseline": observed["index"].where(observed["basis"] == "published"),
        },
        index=index.rename("month"),
    )
    frame["share_of_agreed"] = frame["tonnes"] / frame["agreed"]
    frame["commitment"] = [commitment_in_force(m) for m in frame.index]
    previous = frame["tonnes"].shift(1)
    frame["status"] = np.select(
        [
            frame["tonnes"].isna(),
            frame["tonnes"] >= frame["agreed"],
            frame["tonnes"] > previous,
        ],
        ["no published figure", "at or above the agreed level", "rising but below the agreed level"],
        default="below the agreed level",
    )
    frame["agreed_basis"] = (
        f"assumption: {share:g} × the pre-control flow — the Geneva statement names no quantity"
    )
    return frame
