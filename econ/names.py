"""Names a reader knows instead of codes: countries from Census Schedule C codes, industries from BEA and
NAICS codes.

Compiled as package data with their source on every row: ``econ/data/countries.csv`` (Census Schedule C
country list) and ``econ/data/industries.csv`` (BEA's 2017 summary industry and commodity names, BEA's
detail industries and the 2017 NAICS titles of BEA's NAICS concordance). A NAICS code finer than the
list (325180) takes the title of its longest listed prefix (32518); a code in no list is shown as it is,
marked, so that a page never shows a blank name.

HS chapters by their titles (``econ/data/hs_chapters.csv``: the 97 chapters of the HS 2022 nomenclature
as the HTSUS spells them, with a short title beside each long one), and the USGS salient-statistics price
series by what they price (``econ/data/usgs_price_series.csv``: the ``Price_…`` variables of the MCS 2025
release that the minerals panel carries in its ``detail`` column, with the grade and unit USGS gives).

The names are plain text: `econ.formatting.html` escapes them (as every text) on the way to a page.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

DATA = Path(__file__).resolve().parent / "data"
Scheme = Literal["bea_summary", "bea_detail", "naics"]


@cache
def _countries() -> dict[str, str]:
    with open(DATA / "countries.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@cache
def _industries() -> dict[tuple[str, str], str]:
    with open(DATA / "industries.csv", encoding="utf-8", newline="") as handle:
        return {(row["scheme"], row["code"]): row["title"] for row in csv.DictReader(handle)}


def country(code: str) -> str:
    """The country of a Census code ("5700" → "China"); an unknown code as "Census code 9999"."""
    text = str(code).strip()
    found = _countries().get(text.zfill(4) if text.isdigit() else text)
    if found is None:
        return f"Census code {text}"
    # Schedule C spells some names out in brackets ("Germany (Federal Republic of Germany)")
    return re.sub(r"\s*\([^)]*\)$", "", found) or found


@cache
def census_codes_by_name() -> dict[str, str]:
    """Census codes by country name in capitals, as the API's CTY_NAME spells them ("GERMANY" → "4280"):
    the Schedule C name and its short form without brackets; a name two codes share is left out."""
    found: dict[str, set[str]] = {}
    for code, name in _countries().items():
        for form in {name, re.sub(r"\s*\([^)]*\)$", "", name)}:
            found.setdefault(form.strip().upper(), set()).add(code)
    return {name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1 and name}


def countries(codes: Iterable[str]) -> list[str]:
    return [country(code) for code in codes]


def industry(code: str, scheme: Scheme = "bea_summary") -> str:
    """The title of an industry code: BEA summary ("3361MV" → "Motor vehicles, bodies and trailers, and
    parts"), BEA detail, or NAICS (by its longest listed prefix); an unknown code as "BEA 9999"."""
    text = str(code).strip()
    titles = _industries()
    if scheme == "naics":
        for length in range(len(text), 1, -1):
            title = titles.get(("naics", text[:length]))
            if title:
                return title
        return titles.get(("bea_summary", text[:3]), f"NAICS {text}")
    found = titles.get((scheme, text))
    if found:
        return found
    return f"{'BEA' if scheme.startswith('bea') else 'NAICS'} {text}"


def labelled(code: str, scheme: Scheme = "bea_summary") -> str:
    """Title and code together, for tables where both matter: "Motor vehicles … (3361MV)"."""
    return f"{industry(code, scheme)} ({code})"


@cache
def _hs_chapters() -> dict[str, tuple[str, str]]:
    with open(DATA / "hs_chapters.csv", encoding="utf-8", newline="") as handle:
        return {row["chapter"]: (row["title"], row["short_title"]) for row in csv.DictReader(handle)}


def hs_chapter_title(code: str | int, *, short: bool = True) -> str:
    """The title of an HS chapter (85 → "Electrical machinery and equipment"; the official title with
    ``short=False``); a chapter in no list as "HS chapter 98"."""
    text = str(code).strip()
    key = text.zfill(2) if text.isdigit() else text
    found = _hs_chapters().get(key)
    if found is None:
        return f"HS chapter {text}"
    return found[1] if short else found[0]


def hs_chapter(code: str | int, *, short: bool = True) -> str:
    """An HS chapter as a label: its number, then its title ("85 Electrical machinery and equipment");
    a chapter in no list as "HS chapter 98"."""
    text = str(code).strip()
    key = text.zfill(2) if text.isdigit() else text
    if key not in _hs_chapters():
        return f"HS chapter {text}"
    return f"{key} {hs_chapter_title(key, short=short)}"


# the units the price series come in, as a table header writes them
_PRICE_UNITS = {
    "dollars per kilogram": "$/kg",
    "dollars per pound": "$/lb",
    "dollars per gram": "$/g",
    "dollars per metric ton": "$/t",
}


@cache
def _usgs_price_series() -> dict[tuple[str, str], tuple[str, str]]:
    with open(DATA / "usgs_price_series.csv", encoding="utf-8", newline="") as handle:
        return {(row["commodity"], row["code"]): (row["name"], row["unit"]) for row in csv.DictReader(handle)}


def usgs_price_series(commodity: str, code: str) -> str:
    """A USGS salient-statistics price series by what it prices and its unit ("rare earths",
    "Price_Dy2O3_dkg" → "dysprosium oxide, $/kg"); a series the list does not know as the commodity and
    the code ("rare earths (USGS series Price_Sm2O3_dkg)"), never the bare code."""
    found = _usgs_price_series().get((commodity.strip().lower(), code.strip()))
    if found is None:
        return f"{commodity} (USGS series {code})"
    name, unit = found
    return f"{name}, {_PRICE_UNITS.get(unit, unit)}"
