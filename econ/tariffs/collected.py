"""Statutory beside collected rates, and trade-weighted average tariffs with fixed base-year weights.

* Collected rate of a cell (partner x chapter x month, or any grouping): total calculated duty over total
  customs value, ``collected_rate = sum(duty) / sum(value)``; the statutory rate of the same cell is the
  value-weighted mean of the rows' statutory rates, ``sum(value * statutory) / sum(value)``; the gap is
  ``collected_rate - statutory_rate`` (negative where exclusions, FTA preferences, drawback, de minimis
  or under-declaration make collections fall short of the schedule).
* Trade-weighted average tariff on date t with fixed weights (PIIE's chart, Bown): for a group g,
  ``avg_g(t) = sum_i w_i * rate_i(t) / sum_i w_i`` with w_i the base-year trade value of product i from the
  partner, so the average moves only when the schedule moves, not when trade shifts away from tariffs.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from econ.errors import SchemaError
from econ.tariffs.engine import OUTPUT_LAYERS, Flow, Schedule
from econ.tariffs.scenarios import Scenario
from econ.tariffs.timeline import Timeline, load_timeline

STATUTORY_COLUMNS = ("statutory_rate", "total")


def collected_vs_statutory(
    panel: pd.DataFrame,
    *,
    by: Sequence[str] = ("partner", "chapter", "month"),
    statutory: str | None = None,
) -> pd.DataFrame:
    """Collected (duty ÷ value) beside statutory rates by cell, and the gap between them.

    `panel` has ``duty`` and ``value`` (USD) and a statutory column (``statutory_rate`` as in the import
    panel, or ``total`` from `Schedule.rates`; name another with `statutory`). A ``chapter`` grouping is
    derived from ``hs10``/``hs8`` when the panel has no ``chapter`` column. Layers present in the panel
    (mfn, section301, …) are reported as value-weighted means too. Cells with zero value have NaN rates.
    """
    frame = panel
    by = list(by)
    if "chapter" in by and "chapter" not in frame.columns:
        source = next((c for c in ("hs10", "hs8", "hs6") if c in frame.columns), None)
        if source is None:
            raise SchemaError(
                "collected_vs_statutory: grouping by chapter needs a chapter, hs10, hs8 or hs6 column"
            )
        frame = frame.assign(chapter=frame[source].astype(str).str.slice(0, 2))
    column = statutory or next((c for c in STATUTORY_COLUMNS if c in frame.columns), None)
    missing = [c for c in ["duty", "value", *by] if c not in frame.columns]
    if column is None or column not in frame.columns:
        missing.append(statutory or "statutory_rate (or total)")
    if missing:
        raise SchemaError(f"collected_vs_statutory: the panel lacks column(s) {missing}")
    layers = [c for c in OUTPUT_LAYERS if c in frame.columns and c != column]
    value = frame["value"].astype("float64")
    work = pd.DataFrame({c: frame[c] for c in by})
    work["value"] = value
    work["duty"] = frame["duty"].astype("float64")
    work["_statutory_x_value"] = frame[column].astype("float64") * value
    for layer in layers:
        work[f"_{layer}_x_value"] = frame[layer].astype("float64") * value
    sums = work.groupby(by, observed=True, sort=True).sum(numeric_only=True)
    out = pd.DataFrame(index=sums.index)
    out["value"] = sums["value"]
    out["duty"] = sums["duty"]
    safe = sums["value"].where(sums["value"] > 0)
    out["collected_rate"] = sums["duty"] / safe
    out["statutory_rate"] = sums["_statutory_x_value"] / safe
    out["gap"] = out["collected_rate"] - out["statutory_rate"]
    for layer in layers:
        out[layer] = sums[f"_{layer}_x_value"] / safe
    return out.reset_index()


def base_year_weights(
    panel: pd.DataFrame, *, year: int, code: str = "hs8", time: str = "month"
) -> pd.DataFrame:
    """Trade value by (code, partner) in `year`: the fixed weights for `average_tariff`."""
    missing = [c for c in (code, "partner", "value", time) if c not in panel.columns]
    if missing:
        raise SchemaError(f"base_year_weights: the panel lacks column(s) {missing}")
    rows = panel.loc[panel[time].dt.year == year, [code, "partner", "value"]]
    if rows.empty:
        raise SchemaError(f"base_year_weights: no rows in {year} (column {time!r})")
    return rows.groupby([code, "partner"], observed=True, as_index=False)["value"].sum()


def average_tariff(
    schedule: Schedule,
    weights: pd.DataFrame,
    *,
    dates: Sequence[pd.Timestamp | str] | pd.DatetimeIndex,
    by: Sequence[str] = ("partner",),
    mapping: pd.DataFrame | None = None,
    flow: Flow = "imports",
    scenario: str | PathLike[str] | Scenario | None = None,
) -> pd.DataFrame:
    """Trade-weighted average tariff (``total`` and each layer) by `by` and date, with fixed weights.

    `weights` has ``hs8`` (or ``hs10``), ``partner`` and ``value`` — the base-year trade (US imports from
    the partner for ``flow="imports"``; US exports to China for ``flow="exports"``, giving China's average
    tariff on US goods). For industries, pass `mapping` with the weights' code column (or ``hs6``) and an
    industry column (e.g. ``naics`` or ``bea``), optionally ``share`` (the part of the code's value that
    goes to that industry), and group by it: ``by=("partner", "naics")``.
    """
    code = "hs10" if "hs10" in weights.columns else "hs8"
    missing = [c for c in (code, "partner", "value") if c not in weights.columns]
    if missing:
        raise SchemaError(f"average_tariff: the weights lack column(s) {missing}")
    base = weights[[code, "partner", "value"]].copy()
    if code == "hs10":
        base["hs8"] = base["hs10"].astype(str).str.slice(0, 8)
    if mapping is not None:
        key = code if code in mapping.columns else ("hs6" if "hs6" in mapping.columns else None)
        if key is None:
            raise SchemaError(f"average_tariff: the mapping needs a {code} or hs6 column")
        if key == "hs6" and "hs6" not in base.columns:
            base["hs6"] = base[code].astype(str).str.slice(0, 6)
        extra = [c for c in by if c not in base.columns and c not in mapping.columns]
        if extra:
            raise SchemaError(
                f"average_tariff: grouping column(s) {extra} are in neither weights nor mapping"
            )
        base = base.merge(mapping, on=key, how="inner")
        if "share" in base.columns:
            base["value"] = base["value"] * base["share"]
    missing_by = [c for c in by if c not in base.columns]
    if missing_by:
        raise SchemaError(f"average_tariff: grouping column(s) {missing_by} not found")
    days = pd.DatetimeIndex(pd.to_datetime([pd.Timestamp(d) for d in dates]))
    # Weights x dates: each base-year line evaluated on every date (thousands x a hundred rows).
    n = len(base)
    cross = base.iloc[np.tile(np.arange(n), len(days))].reset_index(drop=True)
    cross["date"] = np.repeat(days.to_numpy(), n)
    rated = schedule.rates(cross, flow=flow, scenario=scenario)
    # After preferences too: what the trackers publish (USMCA and KORUS claims counted).
    columns = ["total", "total_after_preferences", *OUTPUT_LAYERS]
    weighted = rated[columns].mul(rated["value"], axis=0)
    weighted[list(by)] = rated[list(by)]
    weighted["date"] = rated["date"]
    weighted["value"] = rated["value"]
    sums = weighted.groupby([*by, "date"], observed=True, sort=True).sum(numeric_only=True)
    out = sums[columns].div(sums["value"].where(sums["value"] > 0), axis=0)
    out["weight"] = sums["value"]
    return out.reset_index()


def piie_dates(timeline: Timeline | None = None) -> pd.DatetimeIndex:
    """Month starts 2018-01 … 2025-12 plus every day in those years on which a China row of the timeline
    takes effect (read from the timeline, so a corrected date moves the chart too)."""
    rows = (timeline or load_timeline()).rows
    china = rows["partner"].isin(["all", "5700", "china_mainland", "china_hk", "china_hk_macao"])
    days = rows.loc[china.to_numpy(), "effective"]
    days = days[(days >= "2018-01-01") & (days <= "2025-12-31")]
    months = pd.date_range("2018-01-01", "2025-12-01", freq="MS")
    return months.union(pd.DatetimeIndex(days.unique()).as_unit(months.unit)).unique()


def us_china_averages(
    schedule: Schedule,
    *,
    us_imports_from_china: pd.DataFrame,
    us_exports_to_china: pd.DataFrame | None = None,
    dates: Sequence[pd.Timestamp | str] | pd.DatetimeIndex | None = None,
    scenario: str | PathLike[str] | Scenario | None = None,
) -> pd.DataFrame:
    """The PIIE chart: the average US tariff on Chinese goods and China's on US goods, by date.

    Each weights frame has ``hs8`` (or ``hs10``) and ``value`` for the base year (PIIE uses 2017); the
    partner is set to China. Returns ``date``, ``direction`` ("US on China" or "China on US"), ``total``
    and the layers, as fractions.
    """
    days = piie_dates(schedule.timeline) if dates is None else dates
    parts = []
    pairs: tuple[tuple[str, pd.DataFrame | None, Flow], ...] = (
        ("US on China", us_imports_from_china, "imports"),
        ("China on US", us_exports_to_china, "exports"),
    )
    for direction, weights, flow in pairs:
        if weights is None:
            continue
        rated = average_tariff(
            schedule,
            weights.assign(partner="5700"),
            dates=days,
            flow=flow,
            scenario=scenario,  # type: ignore[arg-type]
        )
        parts.append(rated.drop(columns="partner").assign(direction=direction))
    return pd.concat(parts, ignore_index=True)


def published_averages() -> pd.DataFrame:
    """Published trade-weighted averages to compare against (PIIE's chart, FACTS §2): date, direction
    ("US on China" or "China on US"), average (a fraction) and source. Validation targets, not inputs."""
    path = Path(__file__).parent / "data" / "published.csv"
    frame = pd.read_csv(path, dtype={"direction": str, "source": str}, parse_dates=["date"])
    return frame


def published_by_partner() -> pd.DataFrame:
    """Published average tariffs by partner and date (data/published_by_partner.csv: the Yale Budget Lab
    tracker, its Tariff-ETRs model, the Tax Policy Center): date, partner (Census code), tracker, measure,
    rate (a fraction, MFN included, after preferences) and source."""
    path = Path(__file__).parent / "data" / "published_by_partner.csv"
    return pd.read_csv(path, dtype={"partner": str, "tracker": str, "source": str}, parse_dates=["date"])


def compare_with_trackers(
    schedule: Schedule,
    weights: pd.DataFrame,
    *,
    tolerance: float = 0.02,
    trackers: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The schedule's average tariff on base-year weights beside each published tracker's, by partner
    and date: the test of a schedule against independent trackers.

    `weights` is base-year trade by line and partner (``hs10`` or ``hs8``, ``partner``, ``value``: US
    imports for consumption, 2024 for the trackers here). Each published (date, partner) the weights
    cover gets the engine's average after preferences (``engine``), the tracker's rate, ``gap`` = engine
    − tracker and ``within`` = |gap| ≤ `tolerance`. A tracker's figure rests on its own weights; with real
    HS10 × partner weights of the same year the gap measures the schedules, not the weights.
    """
    published = published_by_partner()
    if trackers is not None:
        published = published[published["tracker"].isin(list(trackers))]
    published = published[published["partner"].isin(set(weights["partner"].astype(str)))]
    if published.empty:
        raise SchemaError("compare_with_trackers: no published figure for the partners of the weights")
    averages = average_tariff(schedule, weights, dates=sorted(published["date"].unique()))
    engine = averages[["partner", "date", "total_after_preferences", "weight"]].rename(
        columns={"total_after_preferences": "engine"}
    )
    out = published[["date", "partner", "tracker", "rate"]].merge(engine, on=["date", "partner"], how="left")
    out["gap"] = out["engine"] - out["rate"]
    out["within"] = out["gap"].abs() <= tolerance
    return out.sort_values(["partner", "tracker", "date"], ignore_index=True)


RECONCILIATION_TERMS = ("ave", "preferences", "exclusions", "residual")


def reconcile(
    panel: pd.DataFrame,
    *,
    by: Sequence[str] = ("partner", "chapter", "month"),
) -> pd.DataFrame:
    """Statutory beside collected by cell, the gap split into its parts (value-weighted means):

        gap = collected_rate - statutory_ad_valorem = ave + preferences + exclusions + residual

    ``statutory_ad_valorem`` counts specific and compound MFN rates at their ad valorem part only (0 for a
    purely specific rate), as a schedule of percentages does; ``ave`` is what their ad valorem equivalents
    add (so ``statutory_rate = statutory_ad_valorem + ave`` is the schedule before preferences);
    ``preferences`` (≤ 0) the duty not due on the share of imports claiming USMCA, KORUS…; ``exclusions``
    (≤ 0) the Section 301 duty not due under product exclusions; ``residual`` the rest — drawback, foreign
    trade zones, entries straddling a change, under-declaration, and whatever the schedule gets wrong. The
    terms add up exactly by construction; the residual is the test of the schedule.

    `panel` has ``value``, ``duty`` and the engine's ``total``, ``total_after_preferences``,
    ``section301_exclusion`` and ``mfn_ave`` (`Schedule.rates`/`monthly_rates` output beside trade).
    """
    by = list(by)
    frame = panel
    if "chapter" in by and "chapter" not in frame.columns:
        source = next((c for c in ("hs10", "hs8", "hs6") if c in frame.columns), None)
        if source is None:
            raise SchemaError("reconcile: grouping by chapter needs a chapter, hs10, hs8 or hs6 column")
        frame = frame.assign(chapter=frame[source].astype(str).str.slice(0, 2))
    need = ["value", "duty", "total", "total_after_preferences", "section301_exclusion", "mfn_ave", *by]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"reconcile: the panel lacks column(s) {missing} (rate it with Schedule.rates first)"
        )
    value = frame["value"].astype("float64").to_numpy()
    work = pd.DataFrame({c: frame[c] for c in by})
    work["value"] = value
    work["duty"] = frame["duty"].astype("float64").to_numpy()
    total = frame["total"].astype("float64").to_numpy()
    work["_statutory"] = total * value
    work["_ave"] = frame["mfn_ave"].astype("float64").to_numpy() * value
    work["_preferences"] = (frame["total_after_preferences"].astype("float64").to_numpy() - total) * value
    work["_exclusions"] = -frame["section301_exclusion"].astype("float64").to_numpy() * value
    sums = work.groupby(by, observed=True, sort=True).sum(numeric_only=True)
    out = pd.DataFrame(index=sums.index)
    out["value"] = sums["value"]
    out["duty"] = sums["duty"]
    safe = sums["value"].where(sums["value"] > 0)
    out["collected_rate"] = sums["duty"] / safe
    out["statutory_rate"] = sums["_statutory"] / safe
    out["ave"] = sums["_ave"] / safe
    out["statutory_ad_valorem"] = out["statutory_rate"] - out["ave"]
    out["preferences"] = sums["_preferences"] / safe
    out["exclusions"] = sums["_exclusions"] / safe
    out["gap"] = out["collected_rate"] - out["statutory_ad_valorem"]
    out["residual"] = out["gap"] - out["ave"] - out["preferences"] - out["exclusions"]
    return out.reset_index()
