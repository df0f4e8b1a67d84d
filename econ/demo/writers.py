"""Writers of each agency format the demo world is published in: the USITC HTS JSON export, Census
International Trade API responses (imports and exports), the Census HS10 concordance (fixed width) and
BEA's NAICS concordance workbook — byte for byte reproducible for a seed.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econ import atomic
from econ.demo.catalogue import GROUPINGS, LIST_HEADINGS, NAICS_BEA, PARTNERS, naics_of

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------- HTS file


def _dotted(code: Any) -> str:
    code = str(code)
    parts = [code[:4], code[4:6], code[6:8], code[8:10]]
    return ".".join(p for p in parts if p)


def _hts_line(htsno: str, indent: int, description: str, **kw: Any) -> dict[str, Any]:
    line = {
        "htsno": htsno,
        "indent": str(indent),
        "description": description,
        "superior": None,
        "units": kw.get("units", []),
        "general": kw.get("general", ""),
        "special": kw.get("special", ""),
        "other": kw.get("other", ""),
        "footnotes": kw.get("footnotes", []),
        "quotaQuantity": "",
        "additionalDuties": "",
    }
    # The real export carries both spellings; the misspelt one is usually null.
    line["addiitionalDuties"] = None
    return line


def hts_lines(products: pd.DataFrame) -> list[dict[str, Any]]:
    """The products as a USITC HTS JSON export: one flat list, hierarchy in `indent`, rates on HS8 lines.

    An HS8 with a single statistical suffix 00 is written as one 10-digit line carrying the rate, as the
    real schedule does for products without a separate 8-digit line.
    """
    lines: list[dict[str, Any]] = []
    for heading, in_heading in products.groupby(products["hs10"].str[:4], sort=True):
        lines.append(_hts_line(heading, 0, f"Synthetic heading {heading}:"))
        for hs6, in_hs6 in in_heading.groupby("hs6", sort=True):
            lines.append(_hts_line(_dotted(hs6), 1, f"Synthetic subheading {_dotted(hs6)}:"))
            for hs8, in_hs8 in in_hs6.groupby("hs8", sort=True):
                first = in_hs8.iloc[0]
                footnotes = (
                    [{"columns": ["general"], "value": f"See {LIST_HEADINGS[first['list301']]}.",
                      "type": "endnote"}]
                    if isinstance(first["list301"], str) else []
                )  # fmt: skip
                units = [{"NO": "No.", "KG": "kg", "DOZ": "doz.", "DPR": "doz. pr.", "X": "X"}[first["unit"]]]
                rate = {"general": first["general"], "other": "35%", "footnotes": footnotes}
                if len(in_hs8) == 1 and in_hs8["hs10"].iloc[0].endswith("00"):
                    lines.append(
                        _hts_line(_dotted(first["hs10"]), 2, first["description"], units=units, **rate)
                    )
                    continue
                lines.append(_hts_line(_dotted(hs8), 2, f"Synthetic line {_dotted(hs8)}", **rate))
                for _, product in in_hs8.iterrows():
                    lines.append(_hts_line(_dotted(product["hs10"]), 3, product["description"], units=units))
    return lines


def census_rows(
    panel: pd.DataFrame, products: pd.DataFrame, rng: np.random.Generator, *, unit_value_noise: float
) -> pd.DataFrame:
    """Round to what the API reports: whole dollars and units, general imports, a few reported zeros."""
    names = {code: name for code, name, *_ in PARTNERS}
    out = pd.DataFrame(
        {
            "I_COMMODITY": panel["hs10"],
            "CTY_CODE": panel["partner"],
            "CTY_NAME": panel["partner"].map(names),
            "month": panel["month"],
        }
    )
    value = np.round(panel["value"].to_numpy())
    # Entries into bonded warehouses are general imports but not yet imports for consumption; a few
    # months report consumption of zero while general imports are positive, as the real API does.
    zero = rng.random(len(panel)) < 0.01
    consumption = np.where(zero, 0.0, value)
    general = np.round(value * rng.uniform(1.0, 1.04, len(panel)))
    duty = np.round(consumption * panel["tariff_paid"].to_numpy())
    unit = products["unit"].to_numpy()[panel["product"]]
    noise = np.exp(rng.normal(0.0, unit_value_noise, len(panel)))
    qty = np.where(zero, 0.0, np.maximum(np.round(panel["quantity_true"].to_numpy() * noise), 1.0))
    qty = np.where(unit == "X", 0.0, qty)  # unit X: no quantity collected
    out["CON_VAL_MO"] = consumption
    out["GEN_VAL_MO"] = general
    out["CAL_DUT_MO"] = duty
    out["CON_QY1_MO"] = qty
    out["UNIT_QY1"] = unit
    return out


def with_aggregates(rows: pd.DataFrame) -> pd.DataFrame:
    """Add the total-for-all-countries and grouping rows the real API mixes in among countries."""
    value_cols = ["CON_VAL_MO", "GEN_VAL_MO", "CAL_DUT_MO", "CON_QY1_MO"]
    keys = ["I_COMMODITY", "month", "UNIT_QY1"]
    parts = [rows.assign(SUMMARY_LVL="DET")]
    total = rows.groupby(keys, as_index=False)[value_cols].sum()
    parts.append(total.assign(CTY_CODE="-", CTY_NAME="TOTAL FOR ALL COUNTRIES", SUMMARY_LVL="CGP"))
    for code, name, members in GROUPINGS:
        sub = rows[rows["CTY_CODE"].isin(members)]
        grouped = sub.groupby(keys, as_index=False)[value_cols].sum()
        parts.append(grouped.assign(CTY_CODE=code, CTY_NAME=name, SUMMARY_LVL="CGP"))
    return pd.concat(parts, ignore_index=True)


CENSUS_HEADER = [
    "I_COMMODITY", "CTY_CODE", "CTY_NAME", "CON_VAL_MO", "GEN_VAL_MO", "CAL_DUT_MO", "CON_QY1_MO",
    "UNIT_QY1", "SUMMARY_LVL", "time", "COMM_LVL",
]  # fmt: skip


def write_census_year(rows: pd.DataFrame, path: Path, header: list[str], commodity: str) -> None:
    """One year of an `imports/hs` or `exports/hs` query as the API returns it: a JSON array of string
    arrays, header first, values as whole numbers in strings."""
    frame = rows.sort_values(["month", commodity, "SUMMARY_LVL", "CTY_CODE"]).copy()
    frame["time"] = frame["month"].dt.strftime("%Y-%m")
    frame["COMM_LVL"] = "HS10"
    for col in header:
        if col.endswith("_MO"):
            frame[col] = frame[col].astype(np.int64).astype(str)
    body = frame[header].astype(str).to_numpy().tolist()
    # The API puts one row per line; keep that so the file reads like the real thing.
    text = "[" + json.dumps(header) + ",\n" + ",\n".join(json.dumps(r) for r in body) + "]"
    atomic.write_text(path, text)


EXPORTS_HEADER = ["E_COMMODITY", "CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "SUMMARY_LVL", "time", "COMM_LVL"]


def export_rows(grid: pd.DataFrame) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "E_COMMODITY": grid["hs10"],
            "CTY_CODE": grid["partner"],
            "CTY_NAME": grid["CTY_NAME"],
            "month": grid["month"],
            "ALL_VAL_MO": grid["value"],
            "SUMMARY_LVL": "DET",
        }
    )
    total = rows.groupby(["E_COMMODITY", "month"], as_index=False)["ALL_VAL_MO"].sum()
    total = total.assign(CTY_CODE="-", CTY_NAME="TOTAL FOR ALL COUNTRIES", SUMMARY_LVL="CGP")
    return pd.concat([rows, total], ignore_index=True)


# Where the demo's products sit in US industry classifications: HS prefix → 2017 NAICS (the longest prefix
# wins; FACTS §4 for rare earths, magnets and critical minerals), and NAICS → BEA industries
# (code, BEA summary, BEA detail). Written as a Census HS10 concordance and a BEA–NAICS workbook, in the
# agencies' layouts, so that industries come through econ.concord exactly as they would on real data.


def _fixed_width(fields: Mapping[tuple[int, int], str], width: int = 279) -> str:
    line = [" "] * width
    for (first, last), text in fields.items():
        cell = text[: last - first + 1].ljust(last - first + 1)
        line[first - 1 : last] = list(cell)
    return "".join(line).rstrip()


def write_hs_concordance(products: pd.DataFrame, path: Path) -> None:
    """The Census HS10 import concordance, fixed width (commodity 1–10, descriptions 15–64 and 70–219,
    units 225–227, NAICS 266–271), CRLF line ends, as Census publishes it."""
    lines = [
        _fixed_width(
            {
                (1, 10): code,
                (15, 64): description.upper(),
                (70, 219): description.upper(),
                (225, 227): unit,
                (266, 271): naics_of(code),
            }
        )
        for code, description, unit in products[["hs10", "description", "unit"]].itertuples(index=False)
    ]
    atomic.write_bytes(path, ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace"))


def write_bea_concordance(path: Path) -> None:
    """The BEA–NAICS concordance workbook: four title rows, the header on row 5, one row per NAICS code."""
    header = [
        "Sector", "Description", "Summary", "Description", "U. Summary", "Description", "Detail",
        "Description", "GO Detail", "Description", "Notes", "Related 2017 NAICS Codes", "Description",
    ]  # fmt: skip
    rows = [
        [sector, "", summary, "", summary, "", detail, "", detail, "", "", naics, "Synthetic demo industry"]
        for naics, (sector, summary, detail) in sorted(NAICS_BEA.items())
    ]
    # BEA's workbook: a title on row 1 and the header on row 5; rows padded to the header's width.
    blank = [""] * len(header)
    title = [["Synthetic demo world: BEA industry and commodity codes and NAICS concordance", *blank[1:]]]
    sheet = pd.DataFrame([*title, blank, blank, blank, header, *rows])
    buffer = io.BytesIO()
    sheet.to_excel(buffer, header=False, index=False, engine="openpyxl")
    atomic.write_bytes(path, _reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """The same workbook with fixed timestamps (zip entries and document properties), so that the same
    seed writes the same bytes and `econ build` sees an unchanged input."""
    fixed = b"2017-01-01T00:00:00Z"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", fixed, content)
            entry = zipfile.ZipInfo(item.filename, date_time=(2017, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
