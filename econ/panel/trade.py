"""Builders of the trade panels from rows the readers give: imports, exports, industries, tariff lines.

Pure functions of frames: nothing here opens a file except through `econ.sources` readers handed a path
by `econ.panel.build`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econ.errors import InputFormatError
from econ.panel.schemas import (
    EXPORTS_SCHEMA,
    IMPORTS_ANNUAL_SCHEMA,
    IMPORTS_NAICS_SCHEMA,
    IMPORTS_SCHEMA,
    INDUSTRIES_SCHEMA,
    TARIFF_LAYERS,
    TARIFF_LINES_SCHEMA,
)
from econ.tariffs.engine import with_exclusion_references


def tariff_lines(files: Sequence[Path], *, strict: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """The numbered lines of the HTS revision the dataset uses (see TARIFF_LINES_SCHEMA), and what the
    reader could not understand (rate texts it has never seen: their lines' MFN stays unknown, not 0)."""
    from econ.sources import hts
    from econ.sources.notes import notes_of

    frames = [hts.read(path, strict=strict) for path in files]
    notes = [note.message for frame in frames for note in notes_of(frame)]
    lines = pd.concat(frames, ignore_index=True)
    lines = lines.loc[lines["hts8"].notna().to_numpy()].reset_index(drop=True)
    frame = lines[[c for c in TARIFF_LINES_SCHEMA if c != "chapter99"]].astype(
        {c: "str" for c, kind in TARIFF_LINES_SCHEMA.items() if kind == "str"}
    )
    frame["mfn_ad_valorem"] = lines["mfn_ad_valorem"].astype("float64")
    # Section 301 references, and the product-exclusion headings the HTS prints on the description.
    frame["chapter99"] = with_exclusion_references(lines)
    frame["hts10"] = lines["hts10"].astype("str")  # missing on 8-digit lines
    return frame[list(TARIFF_LINES_SCHEMA)], notes


def schedule_from_lines(lines: pd.DataFrame) -> Any:
    """An `econ.tariffs.Schedule` built in memory from processed tariff lines."""
    from econ.tariffs import Schedule

    return Schedule.from_lines(lines)


def trade_keys(raw: pd.DataFrame) -> pd.DataFrame:
    """The keys every trade panel starts with (TRADE_KEYS), from Census rows read by econ.sources.census."""
    bad = raw["commodity"].str.len() != 10
    if bad.any():
        row = raw[bad].iloc[0]
        raise InputFormatError(
            row["source_file"], f"commodity {row['commodity']!r} is not an HS10 code", expected="10 digits"
        )
    hs10 = raw["commodity"].astype(str)
    return pd.DataFrame(
        {
            "hs10": hs10,
            "hs8": hs10.str[:8],
            "hs6": hs10.str[:6],
            "chapter": hs10.str[:2],
            "partner": raw["partner"].astype(str),
            "partner_name": raw.get("partner_name", raw["partner"]).astype(str),
            "month": months(raw["period"]),
        }
    )


def months(period: pd.Series) -> pd.Series:
    """First days of months, from the readers' monthly periods or the timestamps the build stores."""
    if isinstance(period.dtype, pd.PeriodDtype):
        return period.dt.to_timestamp()
    return pd.to_datetime(period)


def month_id(month: pd.Series) -> pd.Series:
    """year·12 + month − 1: consecutive integers, so differences in months are differences of ids."""
    return (month.dt.year * 12 + month.dt.month - 1).astype("int32")


def imports_panel(
    raw: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    schedule: Any = None,
    product_ids: pd.Series | None = None,
    partner_ids: pd.Series | None = None,
) -> pd.DataFrame:
    """The imports panel from Census imports/hs rows and the HTS lines (see econ.panel.schemas).

    A build that makes the panel a year at a time passes the `schedule` it built once from `lines`, and the
    integer ids of every HS10 code and partner of the whole dataset (code → id), so that ids mean the
    same in every year; without them they are numbered over `raw` alone.
    """
    panel = trade_keys(raw).assign(**_values(raw))
    with np.errstate(divide="ignore", invalid="ignore"):
        quantity = panel["quantity"].where(panel["quantity"] > 0)
        panel["unit_value"] = panel["value"] / quantity
        panel["unit_value_incl_duty"] = (panel["value"] + panel["duty"]) / quantity
        panel["collected_rate"] = _rate(panel["duty"], panel["value"])

    from econ.tariffs import ad_valorem_equivalents

    # Specific and compound duties at their ad valorem equivalents from this panel's own unit values.
    ave = ad_valorem_equivalents(panel, lines)
    schedule = schedule if schedule is not None else schedule_from_lines(lines)
    rates = schedule.monthly_rates(panel[["hs10", "hs8", "partner", "month"]], ave=ave)
    for layer in TARIFF_LAYERS:
        panel[layer] = rates[layer].to_numpy(dtype="float64")
    panel["statutory_rate"] = rates["total"].to_numpy(dtype="float64")
    panel["statutory_rate_after_preferences"] = rates["total_after_preferences"].to_numpy(dtype="float64")
    for column in ("section301_exclusion", "mfn_ave"):
        panel[column] = rates[column].to_numpy(dtype="float64")
    for column in ("mfn_is_ave", "de_minimis"):
        panel[column] = rates[column].to_numpy(dtype=bool)
    panel["tariff_projection"] = rates["projection"].to_numpy(dtype=bool)

    panel["product_id"] = _ids(panel["hs10"], product_ids).astype("int32")
    panel["partner_id"] = _ids(panel["partner"], partner_ids).astype("int16")
    panel["month_id"] = month_id(panel["month"])
    panel = panel.sort_values(["hs10", "partner", "month"], ignore_index=True)
    return panel[list(IMPORTS_SCHEMA)]


def _ids(codes: pd.Series, known: pd.Series | None) -> np.ndarray:
    if known is None:
        return np.asarray(pd.factorize(codes, sort=True)[0])
    return codes.map(known).to_numpy()


def _values(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """Value, general value, duty, quantity and its unit from Census import rows (suffixes removed)."""
    value_column = "con_val" if "con_val" in raw.columns else "gen_val"
    zero = pd.Series(0.0, index=raw.index)
    return {
        "value": raw[value_column].astype("float64"),
        "general_value": raw.get("gen_val", raw[value_column]).astype("float64"),
        # Calculated duty is only published with imports for consumption; without it, NaN (not zero).
        "duty": raw.get("cal_dut", pd.Series(np.nan, index=raw.index)).astype("float64"),
        # Census collects no quantity for some lines (unit X); a file may lack the variable altogether.
        "quantity": raw.get("con_qy1", zero).astype("float64"),
        "quantity_unit": raw.get("unit_qy1", pd.Series("", index=raw.index)).astype(str),
    }


def _rate(duty: pd.Series, value: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return duty / value.where(value > 0)


def imports_annual_panel(raw: pd.DataFrame) -> pd.DataFrame:
    """Annual or year-to-date imports by HS10 × partner (see econ.panel.schemas.IMPORTS_ANNUAL_SCHEMA)."""
    keys = trade_keys(raw)
    through = keys.pop("month")
    panel = keys.assign(
        year=through.dt.year.astype("int32"),
        through=through,
        months=through.dt.month.astype("int32"),
        **_values(raw),
    )
    panel["collected_rate"] = _rate(panel["duty"], panel["value"])
    panel = panel.sort_values(["hs10", "partner", "year"], ignore_index=True)
    return panel[list(IMPORTS_ANNUAL_SCHEMA)]


def imports_naics_panel(raw: pd.DataFrame) -> pd.DataFrame:
    """Imports by NAICS × partner × month (see econ.panel.schemas.IMPORTS_NAICS_SCHEMA)."""
    codes = raw["commodity"].astype(str)
    bad = ~codes.str.fullmatch(r"\d{3,6}")
    if bad.any():
        row = raw[bad].iloc[0]
        raise InputFormatError(
            row["source_file"],
            f"NAICS code {row['commodity']!r} is not 3 to 6 digits",
            expected="a NAICS code",
        )
    names = next((raw[c] for c in ("naics_sdesc", "naics_ldesc") if c in raw.columns), None)
    values = _values(raw)
    panel = pd.DataFrame(
        {
            "naics": codes,
            "naics_level": codes.str.len().astype("int32"),
            "naics_name": (names if names is not None else pd.Series("", index=raw.index)).astype(str),
            "partner": raw["partner"].astype(str),
            "partner_name": raw.get("partner_name", raw["partner"]).astype(str),
            "month": months(raw["period"]),
            "value": values["value"],
            "general_value": values["general_value"],
            "duty": values["duty"],
        }
    )
    panel["collected_rate"] = _rate(panel["duty"], panel["value"])
    panel["product_id"] = pd.factorize(panel["naics"], sort=True)[0].astype("int32")
    panel["partner_id"] = pd.factorize(panel["partner"], sort=True)[0].astype("int16")
    panel["month_id"] = month_id(panel["month"])
    panel = panel.sort_values(["naics", "partner", "month"], ignore_index=True)
    return panel[list(IMPORTS_NAICS_SCHEMA)]


def exports_panel(raw: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The exports panel from Census exports/hs rows: value and China's retaliatory tariff."""
    panel = trade_keys(raw).assign(value=raw["all_val"].astype("float64"))
    rates = schedule_from_lines(lines).monthly_rates(
        panel[["hs10", "hs8", "partner", "month"]], flow="exports"
    )
    panel["china_retaliation"] = rates["china_retaliation"].to_numpy(dtype="float64")
    panel["month_id"] = month_id(panel["month"])
    panel = panel.sort_values(["hs10", "partner", "month"], ignore_index=True)
    return panel[list(EXPORTS_SCHEMA)]


def industries_panel(
    imports: pd.DataFrame, hs_naics: Path, bea_naics: Path
) -> tuple[pd.DataFrame, list[Any]]:
    """HS10 → NAICS → BEA summary and detail for every HS10 line of the imports panel, with the match
    reports (shares of import value matched exactly, through a parent code, and not at all)."""
    from econ import concord

    lines = imports.groupby("hs10", observed=True)["value"].sum().reset_index()
    with_naics, naics_report = concord.hs10_to_naics(lines, concord.read_hs_naics(hs_naics))
    bea = concord.read_bea_naics(bea_naics)
    with_summary, summary_report = concord.naics_to_bea(with_naics, bea, level="summary")
    with_detail, _ = concord.naics_to_bea(with_naics, bea, level="detail")
    table = pd.DataFrame(
        {
            "hs10": lines["hs10"].astype(str),
            "naics": with_naics["naics"].astype(str),
            "naics_match": with_naics["naics_match"].astype(str),
            "bea_summary": with_summary["bea_summary"].astype(str),
            "bea_detail": with_detail["bea_detail"].astype(str),
            "bea_match": with_summary["bea_match"].astype(str),
        }
    )
    return table[list(INDUSTRIES_SCHEMA)], [naics_report, summary_report]
