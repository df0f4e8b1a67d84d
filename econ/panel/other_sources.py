"""Builders of the panels from the other agencies' files: BLS price indexes and UN Comtrade records.

* ``prices`` — BLS import and export price indexes (``ei``, by origin and by product), producer price
  indexes (``pc``, ``wp``): one row per series × month, with the series' title and base period from the
  ``.series`` file when it is there (an API v2 response carries no metadata: its title stays empty).
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


def prices_panel(files: Sequence[Path]) -> pd.DataFrame:
    """The prices panel from BLS flat files (``*.series``, ``*.data.*``) and API v2 responses."""
    from econ.sources import bls

    observations, metadata = [], []
    for path in files:
        frame = bls.read(path)
        if "series_title" in frame.columns:
            metadata.append(frame)
        elif "value" in frame.columns:
            observations.append(frame.assign(source_file=path.name))
    if not observations:
        raise InputFormatError(files[0], "BLS series files without any data file", expected="a .data.* file")
    data = pd.concat(observations, ignore_index=True)
    duplicated = data.duplicated(["series_id", "period"], keep=False)
    if duplicated.any():
        row = data[duplicated].iloc[0]
        sources = sorted(set(data.loc[duplicated & (data["series_id"] == row["series_id"]), "source_file"]))
        raise InputFormatError(
            sources[0],
            f"series {row['series_id']} {row['period']} is in {' and '.join(sources)}",
            expected="each observation in one file",
        )
    meta = pd.concat(metadata, ignore_index=True).drop_duplicates("series_id") if metadata else None
    titles = meta.set_index("series_id")["series_title"] if meta is not None else pd.Series(dtype=str)
    base = next((c for c in ("base_period", "base_date") if meta is not None and c in meta.columns), None)
    bases = meta.set_index("series_id")[base] if meta is not None and base else pd.Series(dtype=str)
    series = data["series_id"].astype(str)
    panel = pd.DataFrame(
        {
            "series_id": series,
            "survey": series.str[:2].str.lower(),
            "title": series.map(titles).fillna("").astype(str),
            "base": series.map(bases).fillna("").astype(str),
            "month": data["period"].dt.to_timestamp(),
            "value": data["value"].astype("float64"),
            "footnote": data["footnote_codes"].fillna("").astype(str),
        }
    )
    return panel.sort_values(["series_id", "month"], ignore_index=True)[list(PRICES_SCHEMA)]


def world_trade_panel(files: Sequence[Path]) -> pd.DataFrame:
    """The world_trade panel from UN Comtrade API v1 responses or their CSV download."""
    from econ.sources import comtrade

    frames = [comtrade.read(path).assign(source_file=path.name) for path in files]
    data = pd.concat(frames, ignore_index=True)
    period = data["period_code"].astype(str)
    panel = pd.DataFrame(
        {
            "reporter": data["reporter_iso"].astype(str),
            "reporter_name": data["reporter_desc"].astype(str),
            "partner": data["partner_iso"].astype(str),
            "partner_name": data["partner_desc"].astype(str),
            "flow": data["flow_desc"].astype(str),
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
