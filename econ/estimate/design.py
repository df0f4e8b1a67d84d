"""Treatment from the statutory schedule: the dated 2025–26 events, and every pair's tariff in every month.

Event dates, cohorts and intensities are read from the schedule evaluated on the full grid of the panel's
product × partner pairs and months — never from changes between observed rows, which a gap in a sparse
panel would move or hide. A `RateSource` is anything with ``monthly_rates(frame)`` returning a ``total``
column for rows of ``hs10``, ``hs8``, ``partner`` and ``month``: `econ.tariffs.Schedule` (e.g.
``econ.panel.schedule(dataset)``), or a demo world's own tariff table (`econ.demo.structural`).

The events (FACTS §1 and §1c). ``first`` is the first month whose average rate moves, ``before`` the last
month before it, ``after`` the first month with the new rates in force all month; the months between
one event's ``after`` and the next event's ``first`` are its post window:

============ ============ ======= ======= ======= ===============================================
event        legal date   before  first   after   what changed for goods of China
============ ============ ======= ======= ======= ===============================================
escalation   2025-02-04   2025-01 2025-02 2025-04 fentanyl 10% then 20%; reciprocal 10% → 125%
geneva       2025-05-14   2025-04 2025-05 2025-06 reciprocal cut to 10%
busan        2025-11-10   2025-10 2025-11 2025-12 fentanyl cut to 10%
ruling       2026-02-20   2026-01 2026-02 2026-03 IEEPA duties void; Section 122 10% from 02-24
============ ============ ======= ======= ======= ===============================================

The reference period is 2024-07 to 2025-01, before the escalation: every estimate of the design is a
difference from it, so the cut's effect is the change from the escalation's level, not from a baseline
that mixes the two.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from econ.errors import EstimationError


class RateSource(Protocol):
    """Anything that gives statutory rates by month for rows of hs10, hs8, partner, month."""

    def monthly_rates(self, frame: pd.DataFrame) -> pd.DataFrame: ...


@dataclass(frozen=True)
class PolicyEvent:
    """One dated change of the schedule (see the module doc for the months)."""

    name: str
    date: str
    before: str
    first: str
    after: str
    source: str


EVENTS_2025: tuple[PolicyEvent, ...] = (
    PolicyEvent(
        "escalation", "2025-02-04", "2025-01", "2025-02", "2025-04",
        "EO 14195 (fentanyl 10%, 2025-02-04); EO 14228 (20%, 2025-03-04); EO 14257, 14259, 14266 "
        "(reciprocal 10% on 04-05, 84% on 04-09, 125% on 04-10); FACTS §1",
    ),
    PolicyEvent(
        "geneva", "2025-05-14", "2025-04", "2025-05", "2025-06",
        "EO 14298 (2025-05-12), Geneva joint statement: reciprocal on China 125% → 10%; FACTS §1",
    ),
    PolicyEvent(
        "busan", "2025-11-10", "2025-10", "2025-11", "2025-12",
        "orders of 2025-11-04 after the Busan meeting: fentanyl 20% → 10%; FACTS §1",
    ),
    PolicyEvent(
        "ruling", "2026-02-20", "2026-01", "2026-02", "2026-03",
        "Learning Resources, Inc. v. Trump (2026-02-20): IEEPA duties void, collection stopped "
        "2026-02-24; Section 122 surcharge 10% 2026-02-24 → 2026-07-23; FACTS §1c",
    ),
)  # fmt: skip
REFERENCE_2025: tuple[str, str] = ("2024-07", "2025-01")
DESIGN_END = "2026-07"  # Section 122 ends 2026-07-23; the forced-labour 301 action starts 2026-07-24


def month_id(month: str | pd.Timestamp) -> int:
    """year·12 + month − 1, as the panels' month_id."""
    stamp = pd.Timestamp(month)
    return int(stamp.year * 12 + stamp.month - 1)


def month_start(month_id_value: int) -> pd.Timestamp:
    return pd.Timestamp(year=int(month_id_value) // 12, month=int(month_id_value) % 12 + 1, day=1)


def post_windows(events: tuple[PolicyEvent, ...], last: int) -> dict[str, tuple[int, int]]:
    """Each event's post window (month ids): from its `after` month to the month before the next event
    starts moving rates (or `last`)."""
    windows = {}
    for j, event in enumerate(events):
        end = month_id(events[j + 1].first) - 1 if j + 1 < len(events) else last
        windows[event.name] = (month_id(event.after), min(end, last))
    return windows


def schedule_grid(panel: pd.DataFrame, rates: RateSource | None, *, first: int, last: int) -> pd.DataFrame:
    """Every product × partner pair of `panel` in every month first..last (month ids), with the
    schedule's log(1 + statutory rate) in `log_tariff` and `observed` saying whether the panel has the
    row. Without a rate source the panel's own `statutory_rate` is used, and months without a row are
    NaN (counted in a warning): intensities then rest on observed rows only."""
    needed = ["hs10", "partner", "product_id", "partner_id", "month_id"]
    missing = [c for c in needed if c not in panel.columns]
    if missing:
        raise EstimationError(f"schedule_grid: the panel lacks column(s) {missing}")
    pairs = panel[["hs10", "partner", "product_id", "partner_id"]].drop_duplicates(
        ["product_id", "partner_id"]
    )
    months = np.arange(first, last + 1)
    grid = pairs.loc[pairs.index.repeat(len(months))].reset_index(drop=True)
    grid["month_id"] = np.tile(months, len(pairs)).astype(np.int64)
    key = ["product_id", "partner_id", "month_id"]
    present = panel.loc[(panel["month_id"] >= first) & (panel["month_id"] <= last), key]
    grid = grid.merge(present.assign(observed=True), on=key, how="left")
    grid["observed"] = grid["observed"].fillna(False).astype(bool)
    if rates is not None:
        query = pd.DataFrame(
            {
                "hs10": grid["hs10"].astype(str).to_numpy(),
                "hs8": grid["hs10"].astype(str).str[:8].to_numpy(),
                "partner": grid["partner"].astype(str).to_numpy(),
                "month": [month_start(int(m)) for m in months] * len(pairs),
            }
        )
        total = rates.monthly_rates(query)["total"].to_numpy(np.float64)
    else:
        own = panel[[*key, "statutory_rate"]]
        total = grid[key].merge(own, on=key, how="left")["statutory_rate"].to_numpy(np.float64)
        gaps = int(np.isnan(total).sum())
        if gaps:
            warnings.warn(
                f"schedule_grid: no rate source given; {gaps} pair-months without a row have no rate",
                stacklevel=2,
            )
    grid["log_tariff"] = np.log1p(total)
    return grid


def cohorts_from_schedule(
    grid: pd.DataFrame, *, since: int, threshold: float, baseline: tuple[int, int]
) -> pd.Series:
    """Per pair (index product_id, partner_id): the first month ≥ `since` whose scheduled log(1 + τ)
    exceeds the pair's mean over the `baseline` months by at least `threshold` (NaN: never)."""
    base = grid[(grid["month_id"] >= baseline[0]) & (grid["month_id"] <= baseline[1])]
    level = base.groupby(["product_id", "partner_id"])["log_tariff"].mean()
    later = grid[grid["month_id"] >= since]
    rise = (
        later["log_tariff"].to_numpy()
        - level.reindex(pd.MultiIndex.from_frame(later[["product_id", "partner_id"]])).to_numpy()
    )
    hit = later.loc[rise >= threshold]
    return hit.groupby(["product_id", "partner_id"])["month_id"].min().astype(np.float64)


def window_means(grid: pd.DataFrame, windows: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Per pair, the mean scheduled log(1 + τ) over each named window of month ids."""
    out = {}
    for name, (lo, hi) in windows.items():
        sel = grid[(grid["month_id"] >= lo) & (grid["month_id"] <= hi)]
        out[name] = sel.groupby(["product_id", "partner_id"])["log_tariff"].mean()
    return pd.DataFrame(out)
