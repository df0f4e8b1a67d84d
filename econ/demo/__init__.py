"""The demo world: a deterministic, synthetic trade world written in the agencies' own raw formats.

Why it exists: no machine here reaches the internet, and an economist on a train cannot download Census
files either. The demo lets the same readers, panels, notebooks and reports run end to end on a fresh
machine, and — because its true parameters are known — lets every estimator be checked against the truth.
**Everything it writes is synthetic**; every report built on it says so.

What it writes under data/raw/demo/ (``econ.paths.demo_dir()``):

* ``hts/hts_2025_basic.json`` — a USITC HTS JSON export: chapter, heading, HS8 and HS10 lines with
  ``indent``, MFN rate text of every kind (Free, ad valorem, specific, compound), and Section 301
  references in footnotes ("See 9903.88.01.").
* ``census/imports_hs10_<year>.json`` — Census International Trade API responses (``imports/hs``,
  HS10 × country × month, 2017-01 … 2025-12): a JSON array of string arrays with the header first, the
  aggregate rows the real API mixes in (total for all countries, regional groupings), and zeros where the
  API reports them.
* ``truth.json`` — the seed, the scale, the true parameters and the calibration achieved.

How the world works (all parameters in ``TrueParameters``): for product *i* (HS10), partner *j* and
month *t*, with τ the tariff actually paid (statutory layers from ``econ.tariffs`` less FTA preferences):

* exporter's (duty-exclusive) price:  log p*_ijt = a_ij + g_it + h_jt + (β − 1)·log(1 + τ_ijt) + e_ijt
  so the duty-inclusive price p_ijt = p*_ijt·(1 + τ_ijt) moves with elasticity β (``passthrough``);
* varieties of one product are CES substitutes with elasticity σ (``import_elasticity``):
  q_ijt = b_ij · Q_it · (p_ijt / P_it)^(−σ), P_it the CES price index over the partners active that month;
* a product's total imports respond to its price index with elasticity η (``aggregate_elasticity``):
  Q_it = A_it · P_it^(−η).

Product levels are then rescaled (a product × partner-group constant, which any product × partner fixed
effect absorbs) so that China's 2024 import value and collected duty rate by HS chapter match the Census
figures in FACTS §3.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import math
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from econ import atomic, paths
from econ.errors import ParameterError
from econ.tariffs import Schedule

log = logging.getLogger(__name__)

FIRST_MONTH = "2017-01"
LAST_MONTH = "2025-12"
CHINA = "5700"

# Partners: the nine largest named in the foundation issue and four smaller ones standing in for the
# rest of the world (Malaysia and Estonia matter for rare earths: FACTS §4). `share` is each partner's
# total 2024 US imports relative to China's; `reach` the probability that a product is traded with it.
PARTNERS: tuple[tuple[str, str, float, float], ...] = (
    # code, Census name, 2024 imports relative to China, reach
    ("5700", "CHINA", 1.00, 0.92),
    ("2010", "MEXICO", 1.16, 0.45),
    ("1220", "CANADA", 0.94, 0.40),
    ("5520", "VIETNAM", 0.31, 0.35),
    ("5880", "JAPAN", 0.34, 0.45),
    ("5800", "KOREA, SOUTH", 0.30, 0.35),
    ("4280", "GERMANY", 0.37, 0.45),
    ("5830", "TAIWAN", 0.27, 0.35),
    ("5330", "INDIA", 0.20, 0.35),
    ("4759", "ITALY", 0.17, 0.30),
    ("4120", "UNITED KINGDOM", 0.16, 0.30),
    ("5490", "THAILAND", 0.15, 0.30),
    ("5570", "MALAYSIA", 0.13, 0.25),
    ("4470", "ESTONIA", 0.01, 0.05),
)
# Share of MFN duty not paid because imports claim a free-trade-agreement preference (USMCA, KORUS).
FTA_PREFERENCE = {"2010": 0.85, "1220": 0.90, "5800": 0.75}

# Census groupings the real API mixes in among countries (codes and names as the API returns them).
GROUPINGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("0003", "EUROPEAN UNION", ("4280", "4759", "4470")),
    ("1XXX", "NORTH AMERICA", ("2010", "1220")),
    ("0020", "USMCA (NAFTA)", ("2010", "1220")),
    ("4XXX", "EUROPE", ("4280", "4759", "4120", "4470")),
    ("5XXX", "ASIA", ("5700", "5520", "5880", "5800", "5830", "5330", "5490", "5570")),
    ("0027", "ASEAN", ("5520", "5490", "5570")),
)

# China 2024, Census imports for consumption (FACTS §3): chapter → (share of value, collected duty rate).
# The eleven named chapters are the Census figures; the rest of China's trade (22.4% of value) is spread
# over chapters chosen to be plausible, at rates solved so that the total collected rate is 10.9%.
CHINA_2024_VALUE = 429.4e9
CHINA_2024_COLLECTED_RATE = 0.109
CHINA_2024_LISTED_SHARE = 0.503  # value in HS8 lines on Section 301 Lists 1, 2, 3 or 4A
CALIBRATED_CHAPTERS: dict[str, tuple[float, float]] = {
    "85": (0.277, 0.072),
    "84": (0.184, 0.095),
    "95": (0.070, 0.014),
    "39": (0.045, 0.137),
    "94": (0.043, 0.191),
    "87": (0.038, 0.236),
    "73": (0.028, 0.177),
    "90": (0.027, 0.090),
    "61": (0.023, 0.232),
    "64": (0.023, 0.131),
    "30": (0.018, 0.000),
}
# The rest of China's trade, pooled in calibration (FACTS gives no split): each chapter's relative size.
OTHER_CHAPTERS: dict[str, float] = {
    "42": 0.020,
    "62": 0.020,
    "63": 0.022,
    "40": 0.015,
    "29": 0.018,
    "28": 0.006,
    "72": 0.004,
    "76": 0.010,
    "83": 0.015,
    "96": 0.014,
    "48": 0.012,
    "44": 0.010,
    "69": 0.010,
    "70": 0.010,
    "81": 0.003,
    "82": 0.010,
    "71": 0.010,
    "33": 0.005,
    "25": 0.002,
}
OTHER = "other"

# Section 301 list probabilities for an HS8 line by chapter group: (List 1, List 2, List 3, List 4A), and
# the MFN rates the group's lines draw: (share of Free lines, highest ad valorem rate). Machinery and
# electronics were the core of Lists 1–3, consumer goods of List 4A (toys and phones fell on List 4B, never
# applied); apparel carries high MFN rates, pharmaceuticals none.
LIST_HEADINGS = {"1": "9903.88.01", "2": "9903.88.02", "3": "9903.88.03", "4A": "9903.88.15"}
_GROUPS: dict[str, tuple[tuple[float, float, float, float], float, float]] = {
    "machinery": ((0.18, 0.10, 0.42, 0.15), 0.35, 0.08),
    "consumer": ((0.00, 0.00, 0.35, 0.45), 0.20, 0.15),
    "apparel": ((0.00, 0.00, 0.10, 0.70), 0.02, 0.32),
    "jewellery": ((0.00, 0.00, 0.10, 0.30), 0.40, 0.07),
    "materials": ((0.03, 0.07, 0.70, 0.10), 0.30, 0.08),
    "toys": ((0.00, 0.00, 0.05, 0.10), 0.90, 0.06),
    "pharma": ((0.00, 0.00, 0.00, 0.00), 1.00, 0.0),
}
_CHAPTER_GROUP = {
    "84": "machinery", "85": "machinery", "87": "machinery", "90": "machinery",
    "61": "apparel", "62": "apparel", "64": "consumer",
    "63": "consumer", "42": "consumer", "94": "consumer", "33": "consumer",
    "71": "jewellery", "95": "toys", "30": "pharma",
}  # fmt: skip

# Real HTS10 codes that the scenario models need (rare earths, magnets, critical minerals, the 2024
# Section 301 review products, steel and autos), placed in the demo so the tariff engine's product
# coverage and the rare-earth model find them. (code, description, unit, MFN rate text, 301 list)
NAMED_PRODUCTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("2805300005", "Rare-earth metals: lanthanum", "KG", "5%", None),
    ("2805300020", "Rare-earth metals: neodymium", "KG", "5%", None),
    ("2805300050", "Rare-earth metals, scandium and yttrium: other", "KG", "5%", None),
    ("2846100010", "Cerium oxides", "KG", "5.5%", "3"),
    ("2846902005", "Mixtures of rare-earth oxides containing lanthanum", "KG", "Free", "3"),
    ("2846904000", "Yttrium bearing materials and compounds", "KG", "Free", "3"),
    ("2846908090", "Rare-earth compounds: other", "KG", "3.7%", "3"),
    ("8505110050", "Permanent magnets of metal: sintered samarium-cobalt", "KG", "2.1%", "3"),
    ("8505110070", "Permanent magnets of metal: sintered neodymium-iron-boron", "KG", "2.1%", "3"),
    ("8112921000", "Gallium, unwrought; powders", "KG", "3%", "3"),
    ("8112926000", "Germanium, unwrought", "KG", "2.6%", "3"),
    ("8110100000", "Unwrought antimony; powders", "KG", "Free", "3"),
    ("2504101000", "Natural graphite: crystalline flake", "KG", "Free", "3"),
    ("8101940000", "Unwrought tungsten", "KG", "6.6%", "3"),
    ("2804610000", "Silicon containing not less than 99.99% silicon", "KG", "Free", "3"),
    ("8541420010", "Crystalline silicon photovoltaic cells", "NO", "Free", "3"),
    ("8542310000", "Electronic integrated circuits: processors and controllers", "NO", "Free", "1"),
    ("8507600010", "Lithium-ion batteries for electric vehicles", "NO", "3.4%", "3"),
    ("8507600020", "Lithium-ion batteries: other", "NO", "3.4%", "4A"),
    ("8703800000", "Motor vehicles with only electric motor for propulsion", "NO", "2.5%", "1"),
    ("8708995800", "Parts of motor vehicles: other", "KG", "2.5%", "3"),
    ("9018310000", "Syringes, with or without needles", "NO", "Free", "4A"),
    ("4015120000", "Medical, surgical, dental or veterinary gloves of rubber", "DPR", "3%", "4A"),
    ("8426190000", "Ship-to-shore and other overhead cranes", "NO", "Free", "1"),
    ("7208510000", "Flat-rolled products of iron, not in coils, over 10 mm", "KG", "Free", "3"),
    ("7306300000", "Tubes and pipes of iron or non-alloy steel, welded, circular", "KG", "Free", "3"),
    ("7606120000", "Aluminium plates, sheets and strip of aluminium alloys", "KG", "3%", "3"),
    ("8471300100", "Portable automatic data processing machines", "NO", "Free", None),
    ("8517130000", "Smartphones", "NO", "Free", None),
    ("9503000090", "Toys: other", "NO", "Free", None),
)
# China's 2024 exports to the US of rare-earth lines (FACTS §4): HS 2846 compounds $116.1M (68% of
# $170.5M); HS 2805.30 metals, $4.7M in all, of which China's 70% share of compounds and metals.
RARE_EARTH_CHINA_2024: dict[str, float] = {"2846": 116.1e6, "280530": 0.70 * 4.7e6}
RARE_EARTH_CHINA_SHARE = 0.70  # China's share of US rare-earth compound and metal imports, 2020–23

_UNITS = {
    "machinery": "NO", "consumer": "NO", "apparel": "DOZ", "jewellery": "NO", "materials": "KG",
    "toys": "NO", "pharma": "KG",
}  # fmt: skip


@dataclass(frozen=True)
class TrueParameters:
    """The true structural parameters of the demo world, written to truth.json.

    passthrough: elasticity of the duty-inclusive import price to (1 + tariff); the exporter's
        duty-exclusive price moves by passthrough − 1 (0.95: US buyers bear 95% of the tariff, FACTS §5).
    import_elasticity: σ, the elasticity of substitution between partners' varieties of one product —
        what an import-demand regression with product × month effects recovers (≈ 2.5, Fajgelbaum et al.).
    aggregate_elasticity: η, the elasticity of a product's total imports to its import price index.
    unit_value_noise: standard deviation of log measurement error in reported quantities.
    """

    passthrough: float = 0.95
    import_elasticity: float = 2.5
    aggregate_elasticity: float = 1.0
    unit_value_noise: float = 0.10

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Any]) -> TrueParameters:
        """The defaults with `overrides` applied; every unknown name, non-number or value out of its
        range is reported at once, by name (ParameterError)."""
        known = {f.name for f in dataclasses.fields(cls)}
        problems: list[tuple[str, str]] = []
        values: dict[str, float] = {}
        for name, raw in overrides.items():
            if name not in known:
                problems.append((name, f"unknown parameter; expected one of {', '.join(sorted(known))}"))
                continue
            try:
                value = float(raw)
            except (TypeError, ValueError):
                problems.append((name, f"expected a number, got {raw!r}"))
                continue
            low, high, expectation = _PARAMETER_RANGES[name]
            if not (math.isfinite(value) and low <= value <= high):
                problems.append((name, f"expected {expectation}, got {raw!r}"))
            values[name] = value
        if problems:
            raise ParameterError(problems, context="econ demo --set")
        return dataclasses.replace(cls(), **values)


# name → (lowest, highest, what is expected); CES needs σ above 1.
_PARAMETER_RANGES: dict[str, tuple[float, float, str]] = {
    "passthrough": (0.0, 2.0, "a number between 0 and 2"),
    "import_elasticity": (1.0 + 1e-9, 50.0, "a number above 1 (CES) and at most 50"),
    "aggregate_elasticity": (0.0, 50.0, "a number between 0 and 50"),
    "unit_value_noise": (0.0, 5.0, "a number between 0 and 5"),
}


@dataclass
class DemoWorld:
    """What `write` produced: where, how big, and the truth."""

    folder: Path
    seed: int
    scale: float
    truth: TrueParameters
    rows: int
    products: int
    files: list[Path] = field(default_factory=list)
    calibration: pd.DataFrame | None = None


# ---------------------------------------------------------------------------------------------- products


def _chapter_targets() -> pd.DataFrame:
    """China 2024 value share and collected rate: the eleven chapters of FACTS §3, and the rest pooled at
    the share and rate that close the totals ($429.4B at 10.9%)."""
    named = pd.DataFrame.from_dict(CALIBRATED_CHAPTERS, orient="index", columns=["share", "rate"])
    other_share = 1.0 - named["share"].sum()
    other_rate = (CHINA_2024_COLLECTED_RATE - float((named["share"] * named["rate"]).sum())) / other_share
    targets = pd.concat([named, pd.DataFrame({"share": [other_share], "rate": [other_rate]}, index=[OTHER])])
    targets.index.name = "chapter"
    return targets


def _chapter_sizes() -> pd.Series:
    """Every chapter's share of China's 2024 value, the pooled rest split by OTHER_CHAPTERS' sizes."""
    targets = _chapter_targets()
    named = targets["share"].drop(OTHER)
    other = pd.Series(OTHER_CHAPTERS, dtype="float64")
    return pd.concat([named, other * targets.loc[OTHER, "share"] / other.sum()])


def _rate_text(rng: np.random.Generator, group: str) -> tuple[str, float]:
    """Draw an MFN rate as HTS rate text and its ad valorem equivalent (used for the duty actually paid)."""
    _, free_share, high = _GROUPS[group]
    rest = 1.0 - free_share
    kind = rng.choice(
        ["free", "ad_valorem", "specific", "compound"], p=[free_share, 0.86 * rest, 0.07 * rest, 0.07 * rest]
    )
    if kind == "free":
        return "Free", 0.0
    ad_valorem = round(float(rng.uniform(0.3 * high, high)) * 1000) / 1000
    pct = f"{ad_valorem * 100:.1f}".rstrip("0").rstrip(".") + "%"
    cents = round(float(rng.uniform(0.3, 5.0)), 1)
    equivalent = float(rng.uniform(0.005, 0.04))  # specific duties are small relative to value
    if kind == "ad_valorem":
        return pct, ad_valorem
    if kind == "specific":
        return f"{cents}¢/kg", equivalent
    return f"{cents}¢/kg + {pct}", ad_valorem + equivalent


def _make_products(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """Several thousand HS10 lines over the calibrated chapters, grouped into HS8 and HS6."""
    sizes = _chapter_sizes()
    n_total = max(round(1500 * scale), 3 * len(sizes))
    # Bigger chapters get more lines, but not proportionally (real chapters differ less in line counts).
    weights = np.sqrt(sizes.to_numpy())
    # Calibrated chapters need enough lines to span their target duty rate; the pooled rest fewer.
    floor = np.where(sizes.index.isin(list(CALIBRATED_CHAPTERS)), 8, 3)
    counts = np.maximum(floor, np.round(n_total * weights / weights.sum()).astype(int))
    rows: list[dict[str, Any]] = []
    taken: set[str] = {code for code, *_ in NAMED_PRODUCTS}
    for chapter, n in zip(sizes.index, counts, strict=True):
        group = _CHAPTER_GROUP.get(chapter, "materials")
        mix = _GROUPS[group][0]
        made = 0
        on_list = off_list = 0
        while made < n:
            heading = f"{chapter}{rng.integers(1, 99):02d}"
            # One subheading a draw and few lines in it, so that even a small chapter spans several
            # headings (and so several tariff treatments).
            for _ in range(1):
                hs6 = f"{heading}{rng.integers(10, 99):02d}"
                for _ in range(int(rng.integers(1, 3))):  # HS8 lines in the subheading
                    hs8 = f"{hs6}{rng.integers(0, 99):02d}"
                    if any(code.startswith(hs8) for code in taken):
                        continue
                    text, equivalent = _rate_text(rng, group)
                    draw = rng.random()
                    # Calibration mixes listed and unlisted lines, so a chapter with lists needs both.
                    if sum(mix) > 0 and made > 0 and (on_list == 0 or off_list == 0):
                        draw = 0.0 if on_list == 0 else 1.0
                    cumulative = np.cumsum(mix)
                    listed = next(
                        (name for name, edge in zip(("1", "2", "3", "4A"), cumulative, strict=True)
                         if draw < edge),
                        None,
                    )  # fmt: skip
                    on_list += listed is not None
                    off_list += listed is None
                    n10 = int(rng.integers(1, 4))
                    suffixes = ["00"] if n10 == 1 else sorted({f"{s:02d}" for s in rng.integers(1, 99, n10)})
                    for suffix in suffixes:
                        code = f"{hs8}{suffix}"
                        taken.add(code)
                        rows.append(
                            {
                                "hs10": code,
                                "description": f"Synthetic product {code[:4]}.{code[4:6]}.{code[6:8]}."
                                f"{code[8:]}",
                                "unit": "X" if rng.random() < 0.03 else _UNITS[group],
                                "general": text,
                                "mfn_paid": equivalent,
                                "list301": listed,
                            }
                        )
                        made += 1
    for code, description, unit, text, listed in NAMED_PRODUCTS:
        ad_valorem = 0.0 if text == "Free" else float(text.rstrip("%")) / 100
        rows.append(
            {"hs10": code, "description": description, "unit": unit, "general": text,
             "mfn_paid": ad_valorem, "list301": listed}
        )  # fmt: skip
    products = pd.DataFrame(rows).drop_duplicates("hs10").sort_values("hs10", ignore_index=True)
    products["hs8"] = products["hs10"].str[:8]
    products["hs6"] = products["hs10"].str[:6]
    products["chapter"] = products["hs10"].str[:2]
    # One HS8 has one rate and one list: children inherit the first child's, as HS10 lines do in the HTS.
    first = products.groupby("hs8")[["general", "mfn_paid", "list301"]].transform("first")
    products[["general", "mfn_paid", "list301"]] = first
    return products


# ----------------------------------------------------------------------------------------------- HTS file


def _dotted(code: str) -> str:
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


def _hts_lines(products: pd.DataFrame) -> list[dict[str, Any]]:
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


# ---------------------------------------------------------------------------------------------- the world


def _months() -> pd.DatetimeIndex:
    return pd.date_range(f"{FIRST_MONTH}-01", f"{LAST_MONTH}-01", freq="MS")


def _trade_pairs(rng: np.random.Generator, products: pd.DataFrame) -> pd.DataFrame:
    """Which partners trade each product, and in which spell of months (sparse, as real trade is)."""
    n_months = len(_months())
    frames = []
    for code, _name, _size, reach in PARTNERS:
        traded = rng.random(len(products)) < reach
        if code == CHINA:
            # Rare earths, magnets and critical minerals: China is always a supplier (FACTS §4).
            named = products["hs10"].isin([p[0] for p in NAMED_PRODUCTS]).to_numpy()
            traded |= named
        idx = np.flatnonzero(traded)
        # A spell: most pairs trade throughout; some enter late or exit early. China's spells all cover
        # 2024, the calibration year, so that calibration sees every product China supplies.
        last_start, first_end = (84, 96) if code == CHINA else (n_months // 2, n_months // 2)
        start = np.where(rng.random(idx.size) < 0.75, 0, rng.integers(0, last_start, idx.size))
        end = np.where(rng.random(idx.size) < 0.85, n_months, rng.integers(first_end, n_months + 1, idx.size))
        frames.append(pd.DataFrame({"product": idx, "partner": code, "start": start, "end": end}))
    pairs = pd.concat(frames, ignore_index=True)
    # Every product needs at least one partner.
    missing = np.setdiff1d(np.arange(len(products)), pairs["product"].unique())
    if missing.size:
        extra = pd.DataFrame({"product": missing, "partner": CHINA, "start": 0, "end": n_months})
        pairs = pd.concat([pairs, extra], ignore_index=True)
    return pairs


def simulate(*, seed: int, truth: TrueParameters, schedule: Schedule, products: pd.DataFrame) -> pd.DataFrame:
    """Simulate the monthly panel (one row per active product × partner × month), before calibration."""
    rng = np.random.default_rng([seed, 1])
    months = _months()
    n_months = len(months)
    pairs = _trade_pairs(rng, products)
    lengths = (pairs["end"] - pairs["start"]).to_numpy()
    rows = np.repeat(np.arange(len(pairs)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    month_index = pairs["start"].to_numpy()[rows] + offsets
    panel = pd.DataFrame(
        {
            "product": pairs["product"].to_numpy()[rows],
            "partner": pairs["partner"].to_numpy()[rows],
            "month_index": month_index,
        }
    )
    panel["hs10"] = products["hs10"].to_numpy()[panel["product"]]
    panel["month"] = months[panel["month_index"]]

    # Statutory layers by product × partner × month from the tariff engine (read from the demo's own HTS).
    layers = schedule.monthly_rates(panel[["hs10", "partner", "month"]].assign(hs8=panel["hs10"].str[:8]))
    preference = panel["partner"].map(FTA_PREFERENCE).fillna(0.0).to_numpy()
    mfn_paid = products["mfn_paid"].to_numpy()[panel["product"]]
    # Paid: the statutory stack, with the MFN layer at its ad valorem equivalent less FTA preferences.
    statutory_total = layers["total"].to_numpy()
    tau = np.clip(statutory_total - layers["mfn"].to_numpy() + mfn_paid * (1 - preference), 0, None)
    panel["tariff_paid"] = tau

    n_products = len(products)
    partner_codes = [p[0] for p in PARTNERS]
    partner_pos = pd.Categorical(panel["partner"], categories=partner_codes).codes
    # Price components: pair level, product × month (AR(1)), partner × month (exchange-rate like).
    pair_level = rng.normal(0.0, 0.5, len(pairs))[rows]
    product_month = np.cumsum(rng.normal(0.0, 0.02, (n_products, n_months)), axis=1)
    partner_month = np.cumsum(rng.normal(0.0, 0.01, (len(partner_codes), n_months)), axis=1)
    base_price = np.exp(rng.normal(3.0, 1.2, n_products))[panel["product"]]
    log_fob = (
        np.log(base_price)
        + pair_level
        + product_month[panel["product"], panel["month_index"]]
        + partner_month[partner_pos, panel["month_index"]]
        + (truth.passthrough - 1.0) * np.log1p(tau)
        + rng.normal(0.0, 0.05, len(panel))
    )
    log_price = log_fob + np.log1p(tau)  # duty-inclusive

    # CES demand within a product-month, with partner taste shifters b_ij and a product demand shock A_it.
    sigma, eta = truth.import_elasticity, truth.aggregate_elasticity
    partner_size = np.array([p[2] for p in PARTNERS])[partner_pos]
    log_taste = np.log(partner_size) + rng.normal(0.0, 0.8, len(pairs))[rows]
    share_kernel = np.exp(log_taste + (1 - sigma) * log_price)
    group = panel["product"].to_numpy() * n_months + panel["month_index"].to_numpy()
    kernel_sum = np.bincount(group, weights=share_kernel, minlength=n_products * n_months)[group]
    log_index = np.log(kernel_sum) / (1 - sigma)  # log P_it
    demand_shock = np.cumsum(rng.normal(0.0, 0.03, (n_products, n_months)), axis=1)
    log_total_spend = (
        demand_shock[panel["product"], panel["month_index"]]
        + (1 - eta) * log_index
        + 0.02 * panel["month_index"].to_numpy() / 12  # trend growth of imports
    )
    # spend_ijt = share_ijt · P_it·Q_it, share = kernel / Σ kernel
    spend = np.exp(log_total_spend) * share_kernel / kernel_sum  # duty-inclusive spending
    quantity = spend / np.exp(log_price)
    panel["value"] = quantity * np.exp(log_fob)
    panel["quantity_true"] = quantity
    panel["fob_price"] = np.exp(log_fob)
    panel["layers_total"] = statutory_total
    return panel


def _tilt(value: np.ndarray, rate: np.ndarray, target: float) -> np.ndarray:
    """Weights w ∝ value·exp(λ·rate) whose value-weighted mean rate is `target` (exponential tilting).

    The smallest change to the products' value mix (in relative entropy) that hits the target; when the
    target lies outside the products' range of rates, the nearest extreme is taken.
    """
    if value.sum() <= 0 or np.ptp(rate) < 1e-12:
        return value

    def weights(lam: float) -> np.ndarray:
        # Shift the exponent so the largest term is exp(0): no overflow at either end of the bracket.
        return value * np.exp(lam * (rate - (rate.max() if lam > 0 else rate.min())))

    def mean_rate(lam: float) -> float:
        w = weights(lam)
        return float((w * rate).sum() / w.sum())

    low, high = -2000.0, 2000.0
    if target <= mean_rate(low):
        lam = low
    elif target >= mean_rate(high):
        lam = high
    else:
        lam = float(optimize.brentq(lambda x: mean_rate(x) - target, low, high, xtol=1e-10))
    return weights(lam)


def _calibration_group(chapter: pd.Series) -> pd.Series:
    return chapter.where(chapter.isin(list(CALIBRATED_CHAPTERS)), OTHER)


def _calibrate(panel: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Rescale product levels so China's 2024 value and collected rate by chapter hit FACTS §3.

    Within each chapter the products' 2024 values from China are tilted towards higher- or lower-duty
    products until the chapter's collected rate is the target, then scaled to the target value. The factor
    is a constant per product (applied to every partner and month), which any product × partner fixed
    effect absorbs, so no estimate of the true parameters is disturbed.
    """
    targets = _chapter_targets()
    china24 = ((panel["partner"] == CHINA) & (panel["month"].dt.year == 2024)).to_numpy()
    rows = panel.loc[china24, ["product", "value", "tariff_paid"]]
    per_product = (
        rows.assign(duty=rows["value"] * rows["tariff_paid"]).groupby("product")[["value", "duty"]].sum()
    )
    per_product["chapter"] = _calibration_group(products["chapter"]).to_numpy()[per_product.index]
    factor = np.ones(len(products))
    # Rare-earth lines are tiny in real trade (FACTS §4); set them first and keep them out of the tilt.
    fixed = pd.Series(False, index=per_product.index)
    for prefix, china_value in RARE_EARTH_CHINA_2024.items():
        codes = products["hs10"].to_numpy()[per_product.index]
        lines = per_product.index[np.char.startswith(codes.astype(str), prefix)]
        total = per_product.loc[lines, "value"].sum()
        if total > 0:
            factor[lines] = china_value / total
            fixed[lines] = True
    listed = products["list301"].notna().to_numpy()[per_product.index]

    def tilt_chapters(listed_tilt: float) -> float:
        """Fit every chapter's value and rate, with listed lines tilted by exp(listed_tilt); return the
        share of China's 2024 value on Section 301 lists that results."""
        for chapter, group in per_product.groupby("chapter"):
            share, target_rate = targets.loc[chapter]
            held = fixed[group.index].to_numpy()
            held_value = float((group["value"] * factor[group.index])[held].sum())
            held_duty = float((group["duty"] * factor[group.index])[held].sum())
            free = group[~held]
            value_target = share * CHINA_2024_VALUE - held_value
            rate_target = (target_rate * share * CHINA_2024_VALUE - held_duty) / value_target
            value = free["value"].to_numpy()
            base = value * np.exp(listed_tilt * listed[per_product.index.get_indexer(free.index)])
            tilted = _tilt(base, (free["duty"] / free["value"]).to_numpy(), rate_target)
            tilted = tilted * (value_target / tilted.sum())
            factor[free.index.to_numpy()] = tilted / value
        scaled = per_product["value"].to_numpy() * factor[per_product.index]
        return float(scaled[listed].sum() / scaled.sum())

    # The listed share (50.3% in 2024, FACTS §3) is a second moment: one tilt of listed against unlisted
    # lines shared by all chapters, found by bisection around the chapter fits.
    low, high = -6.0, 6.0
    if tilt_chapters(low) < CHINA_2024_LISTED_SHARE < tilt_chapters(high):
        optimize.brentq(lambda t: tilt_chapters(t) - CHINA_2024_LISTED_SHARE, low, high, xtol=1e-4)
    else:
        tilt_chapters(0.0)
    scale = factor[panel["product"].to_numpy()]
    panel["value"] *= scale
    panel["quantity_true"] *= scale

    # Other partners: their 2024 totals relative to China's (a partner constant, absorbed by FEs).
    year24 = panel["month"].dt.year == 2024
    totals = panel[year24].groupby("partner")["value"].sum()
    china_total = totals[CHINA]
    wanted = {code: size * china_total for code, size in ((p[0], p[2]) for p in PARTNERS)}
    partner_factor = {code: wanted[code] / totals[code] for code in totals.index if code != CHINA}
    panel["value"] *= panel["partner"].map(partner_factor).fillna(1.0).to_numpy()

    # Rare-earth lines: other partners supply the rest of US imports at China's share (FACTS §4).
    for prefix, china_value in RARE_EARTH_CHINA_2024.items():
        lines = panel["hs10"].str.startswith(prefix).to_numpy()
        others = lines & (panel["partner"] != CHINA).to_numpy()
        other_2024 = float(panel.loc[others & year24.to_numpy(), "value"].sum())
        if other_2024 > 0:
            wanted_other = china_value * (1 - RARE_EARTH_CHINA_SHARE) / RARE_EARTH_CHINA_SHARE
            panel.loc[others, "value"] *= wanted_other / other_2024
    panel["quantity_true"] = panel["value"] / panel["fob_price"]

    chapter = _calibration_group(products["chapter"]).to_numpy()[panel["product"].to_numpy()]
    duty = panel["value"] * panel["tariff_paid"]
    achieved = pd.DataFrame({"chapter": chapter, "value": panel["value"], "duty": duty})[china24]
    achieved = achieved.groupby("chapter")[["value", "duty"]].sum()
    report = targets.rename(columns={"share": "target_share", "rate": "target_rate"})
    on_list = products["list301"].notna().to_numpy()[panel["product"].to_numpy()][china24]
    china_value = panel["value"].to_numpy()[china24]
    report.attrs["listed_share"] = float(china_value[on_list].sum() / china_value.sum())
    report["share"] = achieved["value"] / achieved["value"].sum()
    report["rate"] = achieved["duty"] / achieved["value"]
    return report


def _census_rows(
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


def _with_aggregates(rows: pd.DataFrame) -> pd.DataFrame:
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


def _write_census_year(rows: pd.DataFrame, path: Path, header: list[str], commodity: str) -> None:
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


# US exports to China in 2017, the base year of the PIIE chart, by the products that carry most of it
# (Schedule B codes; values in $ billion, rounded from Census's 2017 figures, total $129.9B). The rest
# of US exports to China is spread over `_OTHER_EXPORTS`.
EXPORTS_TO_CHINA_2017: tuple[tuple[str, str, float], ...] = (
    ("8802400000", "Aeroplanes, unladen weight over 15,000 kg", 16.3),
    ("1201900000", "Soybeans, other than seed", 12.2),
    ("8703240000", "Passenger motor vehicles, spark ignition, over 3,000 cc", 10.5),
    ("8542310000", "Processors and controllers, electronic integrated circuits", 6.1),
    ("2709000000", "Crude petroleum oils", 4.4),
    ("8486200000", "Machines for making semiconductor devices", 4.0),
    ("8411910000", "Parts of turbojets and turbopropellers", 3.9),
    ("4703210000", "Chemical wood pulp, bleached, coniferous", 3.0),
    ("7404000000", "Copper waste and scrap", 2.3),
    ("9018908000", "Medical instruments and appliances, other", 2.2),
    ("3901100000", "Polyethylene, specific gravity below 0.94", 1.8),
    ("2711110000", "Liquefied natural gas", 1.5),
    ("4403990000", "Wood in the rough, other", 1.4),
    ("8708990000", "Parts of motor vehicles, other", 1.4),
    ("5201000000", "Cotton, not carded or combed", 1.0),
    ("0203290000", "Meat of swine, frozen, other", 0.7),
    ("2701120000", "Bituminous coal", 0.6),
    ("1001990000", "Wheat, other", 0.35),
    ("1005900000", "Corn (maize), other than seed", 0.15),
)
_OTHER_EXPORTS = {  # chapter → $ billion: machinery, instruments, chemicals, plastics and the rest
    "84": 14.0, "85": 11.0, "90": 6.5, "29": 3.5, "38": 2.5, "39": 2.0, "30": 2.0, "71": 2.5,
    "87": 1.5, "47": 1.0, "44": 1.0, "23": 0.8, "02": 0.8, "33": 0.6, "48": 0.5, "94": 0.3,
}  # fmt: skip
EXPORT_PARTNERS = ("5700", "1220", "2010", "5880")
EXPORTS_HEADER = ["E_COMMODITY", "CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "SUMMARY_LVL", "time", "COMM_LVL"]


def _export_products(rng: np.random.Generator) -> pd.DataFrame:
    rows = [{"hs10": code, "value_2017": value * 1e9} for code, _, value in EXPORTS_TO_CHINA_2017]
    for chapter, total in _OTHER_EXPORTS.items():
        n = 6
        shares = rng.dirichlet(np.ones(n))
        for share in shares:
            code = f"{chapter}{rng.integers(1, 99):02d}{rng.integers(10, 99):02d}{rng.integers(0, 99):02d}00"
            rows.append({"hs10": code, "value_2017": share * total * 1e9})
    return pd.DataFrame(rows).drop_duplicates("hs10", ignore_index=True)


def simulate_exports(*, seed: int, truth: TrueParameters, schedule: Schedule) -> pd.DataFrame:
    """US exports by product × partner × month. China's buyers face China's retaliatory tariff τ and
    substitute away from US goods with the same elasticity σ as US buyers do between partners:
    v_ijt = v_ij · exp(trend + shocks) · (1 + τ_ijt)^(−σ·passthrough), calibrated to 2017 values."""
    rng = np.random.default_rng([seed, 3])
    products = _export_products(rng)
    months = _months()
    names = {code: name for code, name, *_ in PARTNERS}
    grid = pd.MultiIndex.from_product(
        [products.index, EXPORT_PARTNERS, range(len(months))], names=["product", "partner", "month_index"]
    ).to_frame(index=False)
    grid["hs10"] = products["hs10"].to_numpy()[grid["product"]]
    grid["hs8"] = grid["hs10"].str[:8]
    grid["month"] = months[grid["month_index"]]
    rates = schedule.monthly_rates(grid[["hs10", "hs8", "partner", "month"]], flow="exports")
    tau = rates["china_retaliation"].to_numpy()
    n = len(products)
    pair_level = rng.normal(0.0, 0.6, (n, len(EXPORT_PARTNERS)))
    pair_level[:, 0] = 0.0  # China's level is set by the calibration below
    shocks = np.cumsum(rng.normal(0.0, 0.04, (n, len(EXPORT_PARTNERS), len(months))), axis=2)
    partner_pos = pd.Categorical(grid["partner"], categories=list(EXPORT_PARTNERS)).codes
    product, month_index = grid["product"].to_numpy(), grid["month_index"].to_numpy()
    log_value = (
        pair_level[product, partner_pos]
        + shocks[product, partner_pos, month_index]
        + 0.03 * month_index / 12
        - truth.import_elasticity * truth.passthrough * np.log1p(tau)
    )
    value = np.exp(log_value)
    # Scale each product × partner so that its 2017 total is its 2017 value (other partners: random
    # multiples of China's, as US exports to Canada, Mexico and Japan are larger than to China).
    base = pd.Series(value).where(grid["month"].dt.year.eq(2017).to_numpy(), 0.0)
    base_total = base.groupby([product, partner_pos]).transform("sum").to_numpy()
    multiple = np.array([1.0, 2.2, 1.9, 0.5])[partner_pos] * np.exp(pair_level[product, partner_pos])
    target = products["value_2017"].to_numpy()[product] * multiple
    grid["value"] = np.round(value * target / base_total)
    grid["CTY_NAME"] = grid["partner"].map(names)
    return grid


def _export_rows(grid: pd.DataFrame) -> pd.DataFrame:
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
_HS_NAICS: dict[str, str] = {
    "25": "212390", "2804": "325180", "2805": "325180", "2846": "325180", "28": "325180", "29": "325199",
    "30": "325412", "33": "325620", "39": "326199", "40": "326299", "42": "316990", "44": "321999",
    "48": "322299", "61": "315250", "62": "315250", "63": "314999", "64": "316210", "69": "327110",
    "70": "327215", "71": "339910", "72": "331110", "7306": "331210", "73": "332999", "76": "331315",
    "8101": "331491", "8110": "331410", "8112": "331410", "81": "331410", "82": "332216", "83": "332510",
    "84": "333999", "8426": "333923", "8471": "334111", "85": "335999", "8505": "332999", "8507": "335911",
    "8517": "334220", "8541": "334413", "8542": "334413", "8703": "336111", "87": "336390", "90": "334510",
    "9018": "339112", "94": "337215", "95": "339930", "96": "339999",
}  # fmt: skip
_NAICS_BEA: dict[str, tuple[str, str, str]] = {  # NAICS → (BEA sector, summary, detail)
    "212390": ("21", "212", "2123A0"), "314999": ("31G", "313TT", "314900"),
    "315250": ("31G", "315AL", "315000"), "316210": ("31G", "315AL", "315000"),
    "316990": ("31G", "315AL", "315000"), "321999": ("31G", "321", "321999"),
    "322299": ("31G", "322", "322299"), "325180": ("31G", "325", "325180"),
    "325199": ("31G", "325", "325190"), "325412": ("31G", "325", "325412"),
    "325620": ("31G", "325", "325620"), "326199": ("31G", "326", "326190"),
    "326299": ("31G", "326", "326290"), "327110": ("31G", "327", "327100"),
    "327215": ("31G", "327", "327200"), "331110": ("31G", "331", "331110"),
    "331210": ("31G", "331", "331200"), "331315": ("31G", "331", "331313"),
    "331410": ("31G", "331", "331410"), "331491": ("31G", "331", "331490"),
    "332216": ("31G", "332", "332200"), "332510": ("31G", "332", "332500"),
    "332999": ("31G", "332", "332999"), "333923": ("31G", "333", "333920"),
    "333999": ("31G", "333", "333990"), "334111": ("31G", "334", "334111"),
    "334220": ("31G", "334", "334220"), "334413": ("31G", "334", "334413"),
    "334510": ("31G", "334", "334510"), "335911": ("31G", "335", "335911"),
    "335999": ("31G", "335", "335999"), "336111": ("31G", "3361MV", "336111"),
    "336390": ("31G", "3361MV", "336390"), "337215": ("31G", "337", "337215"),
    "339112": ("31G", "339", "339112"), "339910": ("31G", "339", "339910"),
    "339930": ("31G", "339", "339930"), "339999": ("31G", "339", "339990"),
}  # fmt: skip


def naics_of(hs10: str) -> str:
    """The demo's NAICS code for an HS10 line (the longest matching HS prefix)."""
    for digits in (4, 2):
        if hs10[:digits] in _HS_NAICS:
            return _HS_NAICS[hs10[:digits]]
    raise KeyError(f"no NAICS for HS {hs10}")


def _fixed_width(fields: Mapping[tuple[int, int], str], width: int = 279) -> str:
    line = [" "] * width
    for (first, last), text in fields.items():
        cell = text[: last - first + 1].ljust(last - first + 1)
        line[first - 1 : last] = list(cell)
    return "".join(line).rstrip()


def _write_hs_concordance(products: pd.DataFrame, path: Path) -> None:
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


def _write_bea_concordance(path: Path) -> None:
    """The BEA–NAICS concordance workbook: four title rows, the header on row 5, one row per NAICS code."""
    header = [
        "Sector", "Description", "Summary", "Description", "U. Summary", "Description", "Detail",
        "Description", "GO Detail", "Description", "Notes", "Related 2017 NAICS Codes", "Description",
    ]  # fmt: skip
    rows = [
        [sector, "", summary, "", summary, "", detail, "", detail, "", "", naics, "Synthetic demo industry"]
        for naics, (sector, summary, detail) in sorted(_NAICS_BEA.items())
    ]
    title = [["Synthetic demo world: BEA industry and commodity codes and NAICS concordance"], [], [], []]
    sheet = pd.DataFrame([*title, header, *rows])
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


def write(
    *,
    seed: int = 20250512,
    scale: float = 1.0,
    overrides: Mapping[str, Any] | None = None,
    folder: Path | None = None,
) -> DemoWorld:
    """Write the demo world to `folder` (default data/raw/demo/) and return what was written.

    Deterministic for (seed, scale, overrides). `scale` multiplies the number of HS10 lines (1.0 ≈ 1,600
    lines and 0.8M monthly import rows; 0.05 for tests; 20 or more for benchmarks).
    """
    if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
        raise ParameterError([("scale", f"expected a positive number, got {scale!r}")], context="econ demo")
    truth = TrueParameters.with_overrides(overrides or {})
    target = Path(folder) if folder is not None else paths.demo_dir()
    rng = np.random.default_rng([seed, 0])
    products = _make_products(rng, scale)

    hts_path = target / "hts" / "hts_2025_basic.json"
    atomic.write_json(hts_path, _hts_lines(products), indent=None)
    log.info("demo: %d HS10 lines written to %s", len(products), hts_path)

    # The duties come from the package's policy timeline, evaluated on the demo's own HTS file as the
    # panel builder will read it.
    schedule = Schedule.from_hts([hts_path])
    panel = simulate(seed=seed, truth=truth, schedule=schedule, products=products)
    calibration = _calibrate(panel, products)
    census = _census_rows(
        panel, products, np.random.default_rng([seed, 2]), unit_value_noise=truth.unit_value_noise
    )
    census = _with_aggregates(census)

    files = [hts_path]
    for year, rows in census.groupby(census["month"].dt.year):
        path = target / "census" / f"imports_hs10_{year}.json"
        _write_census_year(rows, path, CENSUS_HEADER, "I_COMMODITY")
        files.append(path)
    hs_concordance = target / "concord" / "hs-10d-imp-code.txt"
    _write_hs_concordance(products, hs_concordance)
    bea_concordance = target / "concord" / "BEA-NAICS-Concordance.xlsx"
    _write_bea_concordance(bea_concordance)
    files += [hs_concordance, bea_concordance]
    exports = _export_rows(simulate_exports(seed=seed, truth=truth, schedule=schedule))
    for year, rows in exports.groupby(exports["month"].dt.year):
        path = target / "census" / f"exports_hs10_{year}.json"
        _write_census_year(rows, path, EXPORTS_HEADER, "E_COMMODITY")
        files.append(path)

    truth_record = {
        "synthetic": True,
        "note": "Synthetic demo world written by econ.demo — not real statistics.",
        "seed": seed,
        "scale": scale,
        "parameters": dataclasses.asdict(truth),
        "equations": {
            "passthrough": "log p*_ijt = a_ij + g_it + h_jt + (passthrough - 1) log(1 + tau_ijt) + e",
            "import_elasticity": "q_ijt = b_ij Q_it (p_ijt / P_it)^(-import_elasticity), p = p*(1 + tau)",
            "aggregate_elasticity": "Q_it = A_it P_it^(-aggregate_elasticity)",
        },
        "products": len(products),
        "rows": len(panel),
        "period": [FIRST_MONTH, LAST_MONTH],
        "partners": {code: name for code, name, *_ in PARTNERS},
        "fta_preference": FTA_PREFERENCE,
        "calibration_china_2024": calibration.reset_index().to_dict(orient="records"),
        "listed_share_china_2024": {
            "target": CHINA_2024_LISTED_SHARE,
            "achieved": calibration.attrs["listed_share"],
        },
    }
    atomic.write_json(target / "truth.json", truth_record)
    files.append(target / "truth.json")
    return DemoWorld(
        folder=target,
        seed=seed,
        scale=scale,
        truth=truth,
        rows=len(panel),
        products=len(products),
        files=files,
        calibration=calibration,
    )


def read_truth(folder: Path | None = None) -> dict[str, Any]:
    """The demo world's truth.json as a dict (parameters under "parameters")."""
    # The committed world, even in the instant `econ demo` swaps a new one in (truth.json is written last).
    world = atomic.committed_folder(Path(folder) if folder else paths.demo_dir(), complete="truth.json")
    with open(world / "truth.json", encoding="utf-8") as handle:
        return json.load(handle)
