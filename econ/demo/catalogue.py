"""The demo world's catalogue: its partners, products, chapters and the calibration targets.

Everything here is a fixed description of the world (FACTS §3 and §4 figures, real HS10 codes the models
need, partner sizes); `econ.demo.world` simulates trade on it and `econ.demo.writers` writes it out.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

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
USMCA: tuple[str, ...] = ("2010", "1220")  # Mexico, Canada

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
# US imports in 2024 of the lines China's export controls reach (FACTS §4 and the rare-earth model's
# sourced table econ/models/data/us_imports_2024.csv): HS prefix → (China's value, China's share of the
# US total). Rare-earth compounds 2846: $116.1M of $170.5M; metals 2805.30: $4.7M, China 70%; permanent
# magnets 8505.11: $485M, China 75%; gallium 8112.92.10: $5.5M, China about 20%; germanium 8112.92.60:
# $42M, about 15%; antimony 8110.10: $86M, about 60%. Tiny beside China's $429B, so they are set apart and
# kept out of the chapter calibration.
RESTRICTED_2024: dict[str, tuple[float, float]] = {
    "2846": (116.1e6, 116.1 / 170.5),
    "280530": (0.70 * 4.7e6, 0.70),
    "850511": (364e6, 0.75),
    "81129210": (0.20 * 5.5e6, 0.20),
    "81129260": (0.15 * 42e6, 0.15),
    "811010": (0.60 * 86e6, 0.60),
}
# China's shipments of these lines after the controls, relative to before (month → factor on China's
# value). Magnets follow China's published exports of magnets to the US against their 2024 level (May
# 2025 46 t, −93% y/y; June 353 t; July 619 t, +5% y/y; August 589 t; September 420.5 t; October about
# 656 t — FACTS §4; the baseline is the 2024 month those y/y changes imply, about 620 t); April 2025, when
# licensing began on the 4th, is taken halfway (an assumption: no figure is published). Gallium, germanium
# and antimony: banned from 2024-12-03, so China's value falls to a trace (2%, an assumption) from December.
MAGNET_PATH_2025: dict[str, float] = {
    "2025-04": 0.54, "2025-05": 0.075, "2025-06": 0.57, "2025-07": 1.0, "2025-08": 0.95, "2025-09": 0.68,
    "2025-10": 1.06,
}  # fmt: skip
BANNED_FROM = "2024-12"
BANNED_LINES: tuple[str, ...] = ("81129210", "81129260", "811010")
BANNED_TRACE = 0.02

_UNITS = {
    "machinery": "NO", "consumer": "NO", "apparel": "DOZ", "jewellery": "NO", "materials": "KG",
    "toys": "NO", "pharma": "KG",
}  # fmt: skip

# ---------------------------------------------------------------------------------------------- products


def chapter_targets() -> pd.DataFrame:
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
    targets = chapter_targets()
    named = targets["share"].drop(OTHER)
    other = pd.Series(OTHER_CHAPTERS, dtype="float64")
    other_share = float(targets["share"].to_numpy()[list(targets.index).index(OTHER)])
    return pd.concat([named, other * (other_share / float(other.sum()))])


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


def make_products(rng: np.random.Generator, scale: float) -> pd.DataFrame:
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


def export_products(rng: np.random.Generator) -> pd.DataFrame:
    rows = [{"hs10": code, "value_2017": value * 1e9} for code, _, value in EXPORTS_TO_CHINA_2017]
    for chapter, total in _OTHER_EXPORTS.items():
        n = 6
        shares = rng.dirichlet(np.ones(n))
        for share in shares:
            code = f"{chapter}{rng.integers(1, 99):02d}{rng.integers(10, 99):02d}{rng.integers(0, 99):02d}00"
            rows.append({"hs10": code, "value_2017": share * total * 1e9})
    return pd.DataFrame(rows).drop_duplicates("hs10", ignore_index=True)


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
NAICS_BEA: dict[str, tuple[str, str, str]] = {  # NAICS → (BEA sector, summary, detail)
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
