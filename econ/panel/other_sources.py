"""Builders of the panels from the other agencies' files: BLS price indexes and UN Comtrade records.

* ``prices`` — BLS import and export price indexes (``ei``, by origin and by product), producer price
  indexes (``pc``, ``wp``): one row per series × month, with what each series measures (`bls.prices`:
  import by origin, PPI by industry…, the origin country, the NAICS industry, the item), its title and
  base period from the ``.series`` file when it is there (an API v2 response carries no metadata: its
  fields stay empty and the build says so).
* ``world_trade`` — UN Comtrade records, totals only (partner2 World, all customs procedures, all
  modes of transport; the reader drops the breakdowns that would double count): reporter × partner ×
  commodity × period, value in US dollars, net weight and quantity.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from econ.errors import InputFormatError
from econ.panel.schemas import PRICES_SCHEMA, WORLD_TRADE_SCHEMA


def prices_panel(files: Sequence[Path]) -> tuple[pd.DataFrame | None, list[str]]:
    """The prices panel from BLS flat files (``*.series``, ``*.data.*``) and API v2 responses, with the
    readers' notes (observations of series the ``.series`` files do not describe)."""
    from econ.sources import bls
    from econ.sources.notes import notes_of

    observations, metadata = [], []
    for path in files:
        frame = bls.read(path)
        if "series_title" in frame.columns:
            metadata.append(frame)
        elif "value" in frame.columns:
            observations.append(frame)
    if not observations:  # series descriptions alone (a download cut short): say so, build the rest
        named = ", ".join(path.name for path in files[:3]) + (" …" if len(files) > 3 else "")
        return None, [
            f"bls: {len(files)} series file(s) ({named}) and no data file (expected a .data.* flat file "
            "or API answers): no prices panel"
        ]
    data = pd.concat(observations, ignore_index=True)
    data["source_file"] = data["source_file"].astype(str)
    duplicated = data.duplicated(["series_id", "period"], keep=False)
    if duplicated.any():
        row = data[duplicated].iloc[0]
        sources = sorted(set(data.loc[duplicated & (data["series_id"] == row["series_id"]), "source_file"]))
        raise InputFormatError(
            sources[0],
            f"series {row['series_id']} {row['period']} is in {' and '.join(sources)}",
            expected="each observation in one file",
        )
    series = pd.concat(metadata, ignore_index=True) if metadata else pd.DataFrame({"series_id": []})
    tidy = bls.prices(data, series)
    panel = pd.DataFrame(
        {
            "series_id": tidy["series_id"].astype(str),
            "survey": tidy["survey"].astype(str),
            "measure": tidy["measure"].fillna("").astype(str),
            "origin": tidy["origin"].fillna("").astype(str),
            "naics": tidy["naics"].fillna("").astype(str),
            "item": tidy["item"].fillna("").astype(str),
            "title": tidy["title"].fillna("").astype(str),
            "base": tidy["base"].fillna("").astype(str),
            "month": tidy["period"].dt.to_timestamp(),
            "value": tidy["value"].astype("float64"),
            "footnote": tidy["footnote_codes"].fillna("").astype(str),
        }
    )
    notes = [note.message for note in notes_of(tidy)]
    return panel.sort_values(["series_id", "month"], ignore_index=True)[list(PRICES_SCHEMA)], notes


# Comtrade's own codes where they are not ISO 3166 numeric (its reference table "partnerAreas"): areas
# ISO does not list, and the countries Comtrade codes with their territories (842 is the USA with Puerto
# Rico and the US Virgin Islands, where ISO has 840).
_COMTRADE_AREAS = {
    "0": ("W00", "World"),
    "490": ("S19", "Other Asia, nes"),
    "899": ("_X", "Areas, nes"),
    "842": ("USA", "United States"),
    "251": ("FRA", "France"),
    "579": ("NOR", "Norway"),
    "699": ("IND", "India"),
    "757": ("CHE", "Switzerland"),
}
_FLOWS = {"M": "Import", "X": "Export", "RM": "Re-import", "RX": "Re-export"}


def _iso3(iso: pd.Series, m49: pd.Series) -> pd.Series:
    """ISO alpha-3 codes; where a download left them blank (Comtrade's CSV often does), from the M49
    code, which for countries is the ISO 3166 numeric code (842 → USA, 156 → CHN)."""
    import pycountry

    def from_code(code: str) -> str:
        if code in _COMTRADE_AREAS:
            return _COMTRADE_AREAS[code][0]
        country = pycountry.countries.get(numeric=code.zfill(3))
        return country.alpha_3 if country is not None else code  # an area without ISO code keeps its M49

    given = iso.fillna("").astype(str)
    return given.where(given != "", m49.astype(str).map(from_code))


def _country_name(name: pd.Series, m49: pd.Series) -> pd.Series:
    import pycountry

    def from_code(code: str) -> str:
        if code in _COMTRADE_AREAS:
            return _COMTRADE_AREAS[code][1]
        country = pycountry.countries.get(numeric=code.zfill(3))
        return country.name if country is not None else f"M49 area {code}"

    given = name.fillna("").astype(str)
    return given.where(given != "", m49.astype(str).map(from_code))


def world_trade_panel(files: Sequence[Path]) -> pd.DataFrame:
    """The world_trade panel from UN Comtrade API v1 responses or their CSV download."""
    from econ.sources import comtrade

    frames = [comtrade.read(path).assign(source_file=path.name) for path in files]
    data = pd.concat(frames, ignore_index=True)
    period = data["period_code"].astype(str)
    panel = pd.DataFrame(
        {
            "reporter": _iso3(data["reporter_iso"], data["reporter"]),
            "reporter_name": _country_name(data["reporter_desc"], data["reporter"]),
            "partner": _iso3(data["partner_iso"], data["partner"]),
            "partner_name": _country_name(data["partner_desc"], data["partner"]),
            "flow": data["flow_desc"]
            .where(data["flow_desc"].fillna("") != "", data["flow"].map(_FLOWS).fillna(data["flow"]))
            .astype(str),
            "commodity": data["cmd_code"].astype(str),
            "commodity_name": data["cmd_desc"].astype(str),
            "frequency": data["freq"].astype(str),
            "period": period.where(period.str.len() != 6, period.str[:4] + "-" + period.str[4:]),
            "value": data["primary_value"].astype("float64"),
            "net_weight_kg": data["net_weight_kg"].astype("float64"),
            "quantity": data["qty"].astype("float64"),
            "quantity_unit": data["qty_unit_abbr"].fillna("").astype(str),
        }
    )
    key = ["reporter", "partner", "flow", "commodity", "frequency", "period"]
    duplicated = panel.duplicated(key, keep=False)
    if duplicated.any():
        row = panel[duplicated].iloc[0]
        sources = sorted(set(data.loc[duplicated.to_numpy(), "source_file"]))
        raise InputFormatError(
            sources[0],
            f"{row['reporter']} {row['flow']} of {row['commodity']} from {row['partner']}, {row['period']}, "
            f"is in {' and '.join(sources)}",
            expected="each record in one file",
        )
    return panel.sort_values(key, ignore_index=True)[list(WORLD_TRADE_SCHEMA)]
