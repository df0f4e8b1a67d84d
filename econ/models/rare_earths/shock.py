"""The shock path: what China shipped against what it shipped before, what reached US users, and prices.

Observed, month by month:

* `china_index` — China's magnet exports (to the US, or to the world) over their pre-control baseline,
  from China's customs figures (`magnet_exports`): 1 before the control of 2025-04-04, the figure where one
  was published, interpolated between published months and the last figure carried forward after them,
  with ``basis`` saying which;
* `panel_index` — the same ratio from the ``imports`` panel (US imports by partner, against the base
  year's monthly mean), for China and for every other partner: rerouting through third countries is the
  other partners' index above one;
* `supply_path` — the supply reaching US users relative to normal: ``1 − m [c (1 − i_China) − (1 − c)
  (i_other − 1)]`` with ``c`` China's share of US imports and ``m`` the imported share of supply;
* `inventory_path` — users draw stocks (``inventory_weeks`` of normal use) when supply falls short and
  rebuild them with part of what arrives above normal use (``restock_speed``); the ``shortfall`` is the use
  that stocks do not cover;
* `price_index` — Dy and Tb oxide outside China (`rare_earth_prices`) against their 2024 level.

`hypothetical_path` builds the same frame for a restriction the user sets (a hypothesis, shown beside the
observed path, never in place of it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from econ import names
from econ.errors import ParameterError
from econ.models.rare_earths import facts

WEEKS_PER_MONTH = 52.0 / 12.0
APRIL_2025 = pd.Timestamp("2025-04-01")


def control_events() -> pd.DataFrame:
    """The dated controls, commitments and suspensions (`export_controls`), ``date`` as timestamps."""
    events = facts.table("export_controls")
    events["date"] = pd.to_datetime(events["date"])
    return events


def magnet_baseline(destination: str = "united_states") -> float:
    """China's pre-control monthly magnet exports (tonnes). To the world: the 2024 total over twelve
    (published). To the US, where no 2024 total was published: the mean of the 2024 months implied by the
    year-on-year changes reported with the 2025 figures (``tonnes / (1 + yoy)``)."""
    if destination == "world":
        return facts.parameter("china_magnet_exports_2024") / 12.0
    exports = _exports(destination)
    known = exports.dropna(subset=["yoy_change"])
    if known.empty:
        raise ParameterError([("destination", f"no year-on-year figure for {destination!r}")])
    return float((known["tonnes"] / (1.0 + known["yoy_change"])).mean())


def _exports(destination: str) -> pd.DataFrame:
    table = facts.table("magnet_exports")
    if destination not in set(table["destination"]):
        known = ", ".join(sorted(set(table["destination"])))
        raise ParameterError([("destination", f"{destination!r} is not one of {known}")], context="shock")
    rows = table[table["destination"] == destination].copy()
    rows["month"] = pd.to_datetime(rows["month"])
    return rows.sort_values("month").reset_index(drop=True)


def months(start: str | date | pd.Timestamp, end: str | date | pd.Timestamp) -> pd.DatetimeIndex:
    """First days of the months from ``start`` to ``end`` inclusive."""
    first, last = pd.Timestamp(start).to_period("M"), pd.Timestamp(end).to_period("M")
    if last < first:
        raise ParameterError([("end", f"{last} is before the start {first}")], context="shock")
    return pd.period_range(first, last, freq="M").to_timestamp()


def china_index(period: Iterable[pd.Timestamp], *, destination: str = "united_states") -> pd.DataFrame:
    """Month by month: ``tonnes`` (published, else NaN), ``baseline``, ``index`` and its ``basis``."""
    index = pd.DatetimeIndex(list(period))
    exports = _exports(destination).set_index("month")
    baseline = magnet_baseline(destination)
    ratio = (exports["tonnes"] / baseline).reindex(index)
    basis = pd.Series("interpolated", index=index, dtype=object)
    basis[ratio.notna().to_numpy()] = "published"
    before = index < APRIL_2025
    ratio[before] = 1.0
    basis[before] = "before the control"
    last = exports.index.max()
    after = (index > last) & ratio.isna().to_numpy()
    basis[after] = "last figure carried forward"
    known = pd.concat(
        [pd.Series(1.0, index=[APRIL_2025 - pd.offsets.MonthBegin(1)]), exports["tonnes"] / baseline]
    )
    filled = known.reindex(known.index.union(index)).interpolate(method="time").ffill()
    ratio = ratio.fillna(filled.reindex(index))
    return pd.DataFrame(
        {
            "tonnes": exports["tonnes"].reindex(index).to_numpy(),
            "baseline": baseline,
            "index": ratio.to_numpy(),
            "basis": basis.to_numpy(),
        },
        index=index.rename("month"),
    )


def panel_index(
    monthly: pd.DataFrame, *, group: str, base_year: int, measure: str = "quantity"
) -> pd.DataFrame:
    """From `inputs.monthly_by_partner` for one group: ``china`` and ``other`` (partners' imports over
    their monthly mean in ``base_year``), NaN where the base is zero."""
    rows = monthly[monthly["group"] == group].set_index("month").sort_index()
    base = rows[pd.DatetimeIndex(rows.index).year == base_year]
    out = {}
    for side in ("china", "other"):
        column = f"{side}_{measure}"
        mean = float(base[column].mean()) if len(base) else math.nan
        out[side] = rows[column] / mean if mean > 0 else rows[column] * math.nan
    return pd.DataFrame(out)


def supply_path(
    china: pd.Series,
    *,
    china_share: float,
    import_share: float,
    other: pd.Series | None = None,
    rerouting: float = 0.0,
) -> pd.Series:
    """Supply reaching US users relative to normal. ``other``: the other partners' index (measured
    rerouting); without it, ``rerouting`` replaces that share of what China withholds."""
    problems = []
    for name, value in (
        ("china_share", china_share),
        ("import_share", import_share),
        ("rerouting", rerouting),
    ):
        if not 0.0 <= value <= 1.0:
            problems.append((name, f"{value} must lie in [0, 1]"))
    if problems:
        raise ParameterError(problems, context="supply_path")
    withheld = china_share * (1.0 - china)
    if other is None:
        extra = rerouting * withheld.clip(lower=0.0)
    else:
        extra = (1.0 - china_share) * (other.reindex(china.index) - 1.0).fillna(0.0)
    return (1.0 - import_share * (withheld - extra)).rename("supply")


def inventory_path(supply: pd.Series, *, inventory_weeks: float, restock_speed: float) -> pd.DataFrame:
    """Month by month: ``supply``, ``stock_start`` (weeks of normal use), ``drawn`` and ``restocked``
    (weeks), ``use`` (relative to normal) and ``shortfall`` = 1 − use."""
    if not (inventory_weeks >= 0 and math.isfinite(inventory_weeks)):
        raise ParameterError(
            [("inventory_weeks", f"{inventory_weeks} must be a non-negative number of weeks")]
        )
    if not 0.0 <= restock_speed <= 1.0:
        raise ParameterError([("restock_speed", f"{restock_speed} must lie in [0, 1]")])
    stock = inventory_weeks
    rows = []
    for month, s in supply.items():
        start = stock
        gap = (1.0 - s) * WEEKS_PER_MONTH  # weeks of use missing (negative: arriving above normal use)
        if gap > 0:
            drawn = min(stock, gap)
            stock -= drawn
            restocked = 0.0
            use = s + drawn / WEEKS_PER_MONTH
        else:
            drawn = 0.0
            restocked = min(inventory_weeks - stock, -gap * restock_speed)
            stock += restocked
            use = 1.0  # what arrives above normal use goes to stocks or waits: use is never above normal
        rows.append((month, s, start, drawn, restocked, use, max(0.0, 1.0 - use)))
    return pd.DataFrame(
        rows, columns=["month", "supply", "stock_start", "drawn", "restocked", "use", "shortfall"]
    ).set_index("month")


def composite_shortfall(paths: Mapping[str, pd.DataFrame], weights: Mapping[str, float]) -> pd.Series:
    """The critical input's shortfall by month: the groups' shortfalls weighted by their value."""
    w = pd.Series(weights, dtype="float64").reindex(list(paths))
    if w.isna().any() or (w < 0).any() or w.sum() <= 0:
        raise ParameterError([("weights", "need a non-negative value for every group in the path")])
    w = w / w.sum()
    frame = pd.DataFrame({group: path["shortfall"] for group, path in paths.items()})
    return (frame * w).sum(axis=1).rename("shortfall")


def hypothetical_path(
    period: Iterable[pd.Timestamp],
    *,
    restriction: float,
    start: str | date | pd.Timestamp,
    china_share: float,
    import_share: float,
    rerouting: float,
    inventory_weeks: float,
    restock_speed: float,
) -> pd.DataFrame:
    """A restriction set by hand — ``restriction`` of China's supply withheld from ``start`` (the first
    month prorated by days) — through the same supply and inventory steps as the observed path."""
    if not 0.0 <= restriction <= 1.0:
        raise ParameterError([("restriction", f"{restriction} must lie in [0, 1] (a share of supply)")])
    index = pd.DatetimeIndex(list(period))
    begin = pd.Timestamp(start)
    ends = index + pd.offsets.MonthEnd(0)
    in_force = np.clip(((ends - begin).days + 1) / index.days_in_month, 0.0, 1.0)
    china = pd.Series(1.0 - restriction * in_force, index=index)
    supply = supply_path(china, china_share=china_share, import_share=import_share, rerouting=rerouting)
    path = inventory_path(supply, inventory_weeks=inventory_weeks, restock_speed=restock_speed)
    path.insert(0, "china_index", china.to_numpy())
    return path


_USGS_PRICE = {"dysprosium oxide": "Price_Dy2O3_dkg", "terbium oxide": "Price_TbO2_dkg"}


def price_index(minerals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dy and Tb oxide by market and period (`rare_earth_prices`): ``low``, ``high``, ``mid`` and ``ratio``,
    the mid over the 2024 US average — from the minerals panel (USGS salient prices) when given and present
    there, else the table's 2024 row — and the ``base_basis`` saying which, in words (the series by name
    and unit, `econ.names.usgs_price_series`)."""
    prices = facts.table("rare_earth_prices")
    prices["mid"] = (prices["low"] + prices["high"]) / 2.0
    base = prices[prices["period"] == "2024"].set_index("product")["mid"]
    # the table's 2024 rows are the same USGS series, copied from MCS 2025's text
    basis = pd.Series(
        {
            product: f"{names.usgs_price_series('rare earths', variable)}, 2024 (USGS MCS 2025 as published)"
            for product, variable in _USGS_PRICE.items()
        }
    ).reindex(base.index)
    if minerals is not None:
        for product, variable in _USGS_PRICE.items():
            found = minerals[
                (minerals["detail"] == variable) & (minerals["year"] == 2024) & minerals["value"].notna()
            ]
            if len(found):
                base[product] = float(found["value"].iloc[0])
                series = names.usgs_price_series(str(found["commodity"].iloc[0]), variable)
                basis[product] = f"{series}, 2024 (USGS salient statistics, minerals panel)"
    prices["ratio"] = prices["mid"] / prices["product"].map(base)
    prices["base_basis"] = prices["product"].map(basis)
    return prices


def price_base_note(prices: pd.DataFrame) -> str:
    """The note under the price table saying where each 2024 base came from (`price_index`'s
    ``base_basis``), one clause per series."""
    return "2024 base: " + "; ".join(sorted(set(prices["base_basis"]))) + "."
