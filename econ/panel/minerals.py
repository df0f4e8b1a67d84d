"""The ``minerals`` panel: the USGS Mineral Commodity Summaries tables, in one long typed frame.

Built from what `econ.sources.usgs.read` returns for the MCS files present (each frame carries its kind in
``attrs["usgs_kind"]`` and its file in ``attrs["source_file"]``): the salient statistics of each commodity,
world production, capacity and reserves, net import reliance, the major import sources, critical-mineral
end uses and salient statistics, and price growth. One row per commodity × measure × detail × country ×
year:

=============== ======== ==================================================================================
column          type     meaning
=============== ======== ==================================================================================
commodity       str      lower case, without qualifiers: "rare earths", "gallium", "dysprosium", "all"
measure         str      one of `MEASURES` (e.g. ``net_import_reliance``, ``price``, ``world_production``)
detail          str      what exactly: the published variable or type (``Price_Dy2O3_dkg``, "Mine
                         production, rare-earth-oxide equivalent"), the commodity's qualifier ("compounds
                         and metals") or the grade priced
country         str      "United States" for US statistics, the producer for world data, "World"
year            int64    the year the figure is for (2024 where USGS writes "2024_estimated")
value           float64  the number, NaN where the cell is a code (see ``flag``) or text
unit            str      "metric tons", "kilograms", "dollars per kilogram", "percent", "count" …
flag            str      USGS's code: ">", "<" (a bound), "E" (net exporter), "W" (withheld), "NA", "XX"
                         or ""
text            str      text facts: import sources ("China, Malaysia, Japan, Estonia"), end uses, notes
table           str      the MCS table: one of econ.sources.usgs's kinds, or "derived"
source_file     str      the file's name
=============== ======== ==================================================================================

Cells USGS left empty carry nothing and make no row; every other cell makes one (a code, a bound, text).
The derived rows (``table`` "derived") are China's share of world output by commodity and year, where USGS
gives both.

One module of some 400 lines, on purpose: each USGS table has its own layout, and the readers of the
tables share one row type and one commodity naming; the reader of the files lives in econ.sources.usgs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econ.errors import InputFormatError

MINERALS_SCHEMA: dict[str, str] = {
    "commodity": "str",
    "measure": "str",
    "detail": "str",
    "country": "str",
    "year": "int64",
    "value": "float64",
    "unit": "str",
    "flag": "str",
    "text": "str",
    "table": "str",
    "source_file": "str",
}

MEASURES: tuple[str, ...] = (
    "us_production",
    "imports",
    "exports",
    "consumption",
    "price",
    "stocks",
    "employment",
    "government_shipments",
    "net_import_reliance",
    "import_rank",
    "import_source_count",
    "world_production",
    "world_capacity",
    "reserves",
    "leading_producer_share",
    "china_share_of_world_output",
    "end_uses",
    "price_change_2023_2024",
    "price_growth_2020_2024",
    "other",
)

_SALIENT_PREFIX: dict[str, str] = {
    "usprod": "us_production",
    "imports": "imports",
    "exports": "exports",
    "consump": "consumption",
    "price": "price",
    "stocks": "stocks",
    "employment": "employment",
    "shipments": "government_shipments",
    "nir": "net_import_reliance",
}


def minerals_panel(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The minerals panel (see the module docstring) from frames read by `econ.sources.usgs.read`.

    A frame without its ``usgs_kind`` is an error naming it; two frames of the same file are read once."""
    parts: list[pd.DataFrame] = []
    seen: set[str] = set()
    for number, frame in enumerate(frames, start=1):
        kind = frame.attrs.get("usgs_kind")
        name = Path(str(frame.attrs.get("source_file", f"frame {number}"))).name
        if kind not in _CONVERTERS:
            raise InputFormatError(
                name, f"not a USGS MCS table (kind {kind!r})", expected="a frame from econ.sources.usgs.read"
            )
        if name in seen:
            continue
        seen.add(name)
        part = _CONVERTERS[kind](frame)
        part["table"] = kind
        part["source_file"] = name
        parts.append(part)
    columns = list(MINERALS_SCHEMA)
    if not parts:
        return _typed(pd.DataFrame({c: pd.Series(dtype="object") for c in columns}))
    panel = pd.concat(parts, ignore_index=True)
    panel = pd.concat([panel, _china_shares(panel)], ignore_index=True)
    panel = panel.sort_values(
        ["commodity", "measure", "detail", "country", "year", "table"], ignore_index=True
    )
    return _typed(panel[columns])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, kind in MINERALS_SCHEMA.items():
        if kind == "str":
            out[column] = out[column].fillna("").astype(str)
        elif kind == "int64":
            out[column] = out[column].astype("int64")
        else:
            out[column] = out[column].astype("float64")
    return out


def commodity_name(name: str) -> tuple[str, str]:
    """USGS's commodity label → (commodity, qualifier): "RARE EARTHS, compounds and metals" →
    ("rare earths", "compounds and metals"); "Rare earths (compounds and metals)" → the same;
    "Gallium, high purity refined" → ("gallium", "high purity refined")."""
    text = re.sub(r"\s+", " ", name.replace("\xa0", " ")).strip()
    qualifier = ""
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", text)
    if match:
        text, qualifier = match.group(1), match.group(2)
    if "," in text:
        text, rest = text.split(",", 1)
        qualifier = rest.strip() if not qualifier else f"{rest.strip()}; {qualifier}"
    return text.strip().lower(), qualifier.strip()


def _rows(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in MINERALS_SCHEMA:
        if column not in frame.columns:
            frame[column] = "" if MINERALS_SCHEMA[column] == "str" else np.nan
    return frame


def _keep(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the cells USGS left empty (no number, no code, no text)."""
    empty = frame["value"].isna() & (frame["flag"].fillna("") == "") & (frame["text"].fillna("") == "")
    return frame[~empty.to_numpy()]


def _salient(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["commodity"].map(lambda c: commodity_name(c)[0])
    prefix = frame["variable"].str.split("_").str[0].str.lower()
    measure = prefix.map(_SALIENT_PREFIX).fillna("other")
    unit = frame["unit"].where(frame["unit"] != "", np.where(measure == "employment", "count", ""))
    out = _rows(
        commodity=names,
        measure=measure,
        detail=frame["variable"],
        country="United States",
        year=frame["year"],
        value=frame["value"],
        unit=unit,
        flag=frame["value_flag"],
        text="",
    )
    return _keep(out)


_WORLD_COLUMNS = {
    "prod_2023": ("world_production", 2023, "prod_notes"),
    "prod_est_2024": ("world_production", 2024, "prod_notes"),
    "cap_2023": ("world_capacity", 2023, "cap_notes"),
    "cap_est_2024": ("world_capacity", 2024, "cap_notes"),
    "reserves_2024": ("reserves", 2024, "reserve_notes"),
}


def _world(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["commodity"].map(lambda c: commodity_name(c)[0])
    country = np.where(frame["is_world_total"], "World", frame["country"])
    parts = []
    for column, (measure, year, notes) in _WORLD_COLUMNS.items():
        parts.append(
            _rows(
                commodity=names,
                measure=measure,
                detail=frame["type"],
                country=country,
                year=year,
                value=frame[column],
                unit=frame["unit_meas"],
                flag=frame[f"{column}_flag"],
                text=frame[notes] if notes in frame.columns else "",
            ).assign(text=lambda f: np.where(f["value"].isna() & (f["flag"] == ""), "", f["text"]))
        )
    return _keep(pd.concat(parts, ignore_index=True))


def _net_import_reliance(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["commodity"].map(commodity_name)
    commodity, qualifier = names.str[0], names.str[1]
    reliance = _rows(
        commodity=commodity,
        measure="net_import_reliance",
        detail=qualifier,
        country="United States",
        year=2024,
        value=frame["net_import_reliance_pct_2024"],
        unit="percent",
        flag=frame["net_import_reliance_pct_2024_flag"],
        text=frame["major_import_sources_2020_2023"].str.strip(),
    )
    rank = _rows(
        commodity=commodity,
        measure="import_rank",
        detail=qualifier,
        country="United States",
        year=2024,
        value=frame["import_share_order"],
        unit="rank",
        flag=frame["import_share_order_flag"],
        text="",
    )
    return _keep(pd.concat([reliance, rank], ignore_index=True))


def _import_sources(frame: pd.DataFrame) -> pd.DataFrame:
    year = frame["source"].str.extract(r"(\d{4})", expand=False).astype(float).fillna(2024).astype(int)
    return _keep(
        _rows(
            commodity="all",
            measure="import_source_count",
            detail="critical minerals for which the country is a major import source",
            country=frame["country"],
            year=year,
            value=frame["commodity_count"],
            unit="count",
            flag=frame["commodity_count_flag"],
            text=frame["map_class"],
        )
    )


def _end_uses(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["critical_mineral"].map(lambda c: commodity_name(c)[0])
    year = frame["source"].str.extract(r"(\d{4})", expand=False).astype(float).fillna(2025).astype(int) - 1
    return _keep(
        _rows(
            commodity=names,
            measure="end_uses",
            detail=frame["category_note"],
            country="United States",
            year=year,
            value=np.nan,
            unit="",
            flag="",
            text=frame["primary_applications"],
        )
    )


_T5 = {
    "primary_prod": ("us_production", "United States", "primary", "metric tons"),
    "secondary_prod": ("us_production", "United States", "secondary", "metric tons"),
    "apparent_consumption": ("consumption", "United States", "apparent", "metric tons"),
    "net_import_reliance": ("net_import_reliance", "United States", "", "percent"),
    "world_total_prod": ("world_production", "World", "", "metric tons"),
}


def _critical_salient(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["critical_mineral"].map(commodity_name)
    commodity, qualifier = names.str[0], names.str[1]
    year = frame["year"].str.extract(r"(\d{4})", expand=False)
    if year.isna().any():
        row = int(year.isna().to_numpy().nonzero()[0][0]) + 2
        raise InputFormatError(
            frame.attrs.get("source_file"), f"year {frame['year'].iloc[row - 2]!r}", where=f"row {row}"
        )
    years = year.astype(int)
    parts = []
    for column, (measure, country, detail, unit) in _T5.items():
        parts.append(
            _rows(
                commodity=commodity,
                measure=measure,
                detail=[f"{detail}; {q}".strip("; ") for q in qualifier],
                country=country,
                year=years,
                value=frame[column],
                unit=unit,
                flag=frame[f"{column}_flag"],
                text=frame["primary_import_source"] if measure == "net_import_reliance" else "",
            )
        )
    parts.append(
        _rows(
            commodity=commodity,
            measure="world_production",
            detail=[f"leading producer; {q}".strip("; ") for q in qualifier],
            country=frame["leading_source_country"],
            year=years,
            value=frame["leading_country_prod"],
            unit="metric tons",
            flag=frame["leading_country_prod_flag"],
            text="",
        )
    )
    parts.append(
        _rows(
            commodity=commodity,
            measure="leading_producer_share",
            detail=qualifier,
            country=frame["leading_source_country"],
            year=years,
            value=frame["leading_source_precent_world"],
            unit="percent",
            flag=frame["leading_source_precent_world_flag"],
            text="",
        )
    )
    return _keep(pd.concat(parts, ignore_index=True))


def _price_growth(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["critical_mineral_priced"].map(commodity_name)
    parts = []
    for column, measure in (
        ("pch_2023_2024", "price_change_2023_2024"),
        ("cagr_2020_2024", "price_growth_2020_2024"),
    ):
        parts.append(
            _rows(
                commodity=names.str[0],
                measure=measure,
                detail=names.str[1],
                country="",
                year=2024,
                value=frame[column],
                unit="percent",
                flag=frame[f"{column}_flag"],
                text=frame["notes"],
            ).assign(text=lambda f: np.where(f["value"].isna() & (f["flag"] == ""), "", f["text"]))
        )
    return _keep(pd.concat(parts, ignore_index=True))


_CONVERTERS = {
    "salient": _salient,
    "world": _world,
    "net_import_reliance": _net_import_reliance,
    "import_sources": _import_sources,
    "end_uses": _end_uses,
    "critical_minerals_salient": _critical_salient,
    "price_growth": _price_growth,
}


def _china_shares(panel: pd.DataFrame) -> pd.DataFrame:
    """China's share of world output (percent), by commodity and year: from the world table's production
    rows (China over "World", same type of production), else USGS's leading-producer share where China
    leads (Table 5)."""
    rows = []
    world = panel[(panel["table"] == "world") & (panel["measure"] == "world_production")]
    done: set[tuple[str, int]] = set()
    for key, group in world.groupby(["commodity", "detail", "year"]):
        parts: tuple[Any, ...] = key  # type: ignore[assignment]  # a groupby on three columns gives triples
        commodity, detail, year = str(parts[0]), str(parts[1]), int(parts[2])
        by_country = group.groupby("country")["value"].first()
        china, total = float(by_country.get("China", math.nan)), float(by_country.get("World", math.nan))
        if math.isfinite(china) and math.isfinite(total) and total > 0 and (commodity, year) not in done:
            done.add((commodity, year))
            rows.append((commodity, detail, year, 100.0 * china / total, str(group["source_file"].iloc[0])))
    leading = panel[(panel["measure"] == "leading_producer_share") & (panel["country"] == "China")]
    for record in leading.to_dict(orient="records"):
        if (record["commodity"], int(record["year"])) not in done and math.isfinite(record["value"]):
            rows.append((record["commodity"], "leading producer share", int(record["year"]), record["value"],
                         record["source_file"]))  # fmt: skip
    return _rows(
        commodity=[r[0] for r in rows],
        measure="china_share_of_world_output",
        detail=[r[1] for r in rows],
        country="China",
        year=[r[2] for r in rows],
        value=[r[3] for r in rows],
        unit="percent",
        flag="",
        text="",
        table="derived",
        source_file=[r[4] for r in rows],
    )
