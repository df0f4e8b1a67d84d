"""Names a reader knows instead of codes: countries from Census Schedule C codes, industries from BEA and
NAICS codes.

Compiled as package data with their source on every row: ``econ/data/countries.csv`` (Census Schedule C
country list) and ``econ/data/industries.csv`` (BEA's 2017 summary industry and commodity names, BEA's
detail industries and the 2017 NAICS titles of BEA's NAICS concordance). A NAICS code finer than the
list (325180) takes the title of its longest listed prefix (32518); a code in no list is shown as it is,
marked, so that a page never shows a blank name.

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
