"""The demo world's USGS files: Mineral Commodity Summaries tables in the data release's own CSV format.

**Synthetic.** Every file says so in its source column (``DEMO synthetic, calibrated to FACTS §4``) and the
folder holds a ``README_SYNTHETIC.txt``. The 2024 figures that FACTS §4 gives are reproduced (net import
reliance: rare-earth compounds and metals 80%, >95% in 2021–23, scandium and yttrium 100%, gallium 100%,
antimony 85%, germanium >50%; China 270 of 390 kt REO mined; Dy oxide $260/kg, Tb oxide $810/kg; import
sources China, Malaysia, Japan, Estonia); every other number — earlier years, quantities FACTS does not
give — is made up, close enough to the published magnitudes for the models to run on it.

Format as the 2025 release (UTF-8 with a BOM, CRLF line ends, USGS's codes ``>95``, ``E``, ``W``, ``NA``),
so `econ.sources.usgs.read` reads the demo exactly as it reads USGS's files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from econ import atomic

SOURCE = "DEMO synthetic, calibrated to FACTS §4"
YEARS = (2020, 2021, 2022, 2023, 2024)

NOTE = """Synthetic demo data - not USGS statistics.

These CSV files imitate the USGS Mineral Commodity Summaries 2025 data release (DOI 10.5066/P13XCP3R) in
its own format, for the econ demo world. The 2024 figures that the project's FACTS section 4 gives are
reproduced; everything else is made up. Do not cite them.
"""

# Salient statistics: commodity file code → (commodity label, header after DataSource/Commodity/Year, rows).
_SALIENT: dict[str, tuple[str, list[str], list[list[str]]]] = {
    "rareee": (
        "Rare Earths",
        ["USprod_Concentrate_t", "USprod_Compounds-Metals_t", "Imports_Compounds_t", "Imports_Metals_t",
         "Exports_Ores-Compounds_t", "Consump_Compounds-Metals_t", "Price_Dy2O3_dkg", "Price_Nd2O3_dkg",
         "Price_TbO2_dkg", "NIR_Compounds-Metals_t", "NIR_Concentrate_t"],
        [
            ["38000", "0", "6500", "350", "39000", "6500", "265", "50", "680", "100", "E"],
            ["42000", "100", "7700", "560", "44000", "7900", "400", "95", "1300", ">95", "E"],
            ["43000", "100", "10600", "480", "46000", "10100", "380", "130", "2000", ">95", "E"],
            ["42000", "250", "8900", "470", "21000", "10000", "330", "80", "1300", ">95", "E"],
            ["45000", "1300", "8000", "90", "43000", "6600", "260", "56", "810", "80", "E"],
        ],
    ),
    "galli": (
        "Gallium",
        ["USprod_Primary_kg", "Imports_Metal_kg", "Imports_GaAs_kg", "Consump_kg", "Price_High-purity_dkg",
         "NIR_pct"],
        [
            ["0", "4500", "200000", "15500", "590", "100"],
            ["0", "8900", "300000", "17000", "620", "100"],
            ["0", "11000", "420000", "19500", "560", "100"],
            ["0", "11500", "165000", "19000", "450", "100"],
            ["0", "11000", "180000", "19000", "500", "100"],
        ],
    ),
    "germa": (
        "Germanium",
        ["USprod_Primary_kg", "Imports_Metal_kg", "Imports_GeO2_kg", "Price_Metal_dkg", "NIR_ct"],
        [
            ["0", "14000", "12000", "1050", ">50"],
            ["0", "13000", "17000", "1190", ">50"],
            ["0", "14000", "15000", "1290", ">50"],
            ["0", "22000", "14000", "1390", ">50"],
            ["0", "20000", "13000", "2100", ">50"],
        ],
    ),
    "antim": (
        "Antimony",
        ["USprod_Mine_t", "USprod_Smelter-secondary_t", "Imports_Oxide_t", "Imports_Unwrought_t", "Consump_t",
         "Price_Metal_dlb", "NIR_pct"],
        [
            ["0", "3500", "15000", "5200", "22000", "2.7", "83"],
            ["0", "4000", "19000", "7000", "28000", "5.3", "85"],
            ["0", "4100", "17000", "6500", "24000", "6.2", "83"],
            ["0", "3500", "14000", "6100", "20000", "5.5", "83"],
            ["0", "3500", "20000", "4100", "24000", "9.5", "85"],
        ],
    ),
    "scand": (
        "Scandium",
        ["Price_Cmpds_Oxide_dg", "Price_Mtl_Ingot_dg", "NIR_ct"],
        [["4", "135", "100"], ["2", "137", "100"], ["2", "150", "100"], ["NA", "153", "100"],
         ["1", "153", "100"]],
    ),
    "yttri": (
        "Yttrium",
        ["USprod_Mine_t", "Imports_All_t", "Consump_t", "Price_Y2O3_dkg", "NIR_pct"],
        [
            ["NA", "650", "600", "3", "100"],
            ["NA", "670", "700", "6", "100"],
            ["NA", "1200", "1000", "12", "100"],
            ["NA", "250", "200", "8", "100"],
            ["NA", "470", "500", "6", "100"],
        ],
    ),
}  # fmt: skip

_WORLD_HEADER = [
    "SOURCE", "COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS", "PROD_2023", "PROD_EST_ 2024", "PROD_NOTES",
    "CAP_2023", "CAP_EST_ 2024", "CAP_NOTES", "RESERVES_2024", "RESERVE_NOTES",
]  # fmt: skip
_RE = "Rare earths"
_REO = "Mine production, rare-earth-oxide equivalent"
_SB = "Mine production, antimony content"
_WORLD: list[list[str]] = [
    [_RE, "United States", _REO, "metric tons", "41600", "45000"],
    [_RE, "Australia", _REO, "metric tons", "16000", "13000"],
    [_RE, "Burma", _REO, "metric tons", "43000", "31000"],
    [_RE, "China", _REO, "metric tons", "255000", "270000"],
    [_RE, "Other Countries", _REO, "metric tons", "20400", "31000"],
    [_RE, "World total (rounded)", _REO, "metric tons", "376000", "390000"],
    ["Gallium", "China", "Primary production", "kilograms", "620000", "750000"],
    ["Gallium", "Other Countries", "Primary production", "kilograms", "12000", "10000"],
    ["Gallium", "World total (rounded)", "Primary production", "kilograms", "632000", "760000"],
    ["Antimony", "China", _SB, "metric tons", "62000", "60000"],
    ["Antimony", "Other Countries", _SB, "metric tons", "44000", "40000"],
    ["Antimony", "World total (rounded)", _SB, "metric tons", "106000", "100000"],
]

_NIR_HEADER = ["Source", "Import_Share_Order", "Commodity", "Net_Import_Reliance_pct_2024",
               "Major_Import_Sources_2020_2023", "Notes"]  # fmt: skip
_NIR: list[list[str]] = [
    ["1", "GALLIUM, metal", "100", "Japan, China, Germany, Canada"],
    ["2", "SCANDIUM", "100", "Japan, China, Philippines"],
    ["3", "YTTRIUM, compounds", "100", "China, Germany"],
    ["4", "ANTIMONY, metal and oxide", "85", "China, Belgium, India, Bolivia"],
    ["5", "RARE EARTHS, compounds and metals", "80", "China, Malaysia, Japan, Estonia"],
    ["6", "GERMANIUM", ">50", "Belgium, Canada, China, Germany"],
]

_IN_RE = "Included in the Rare Earths chapter."
_END_USES: list[tuple[str, str, str]] = [
    ("Antimony", "Flame retardants and lead-acid batteries.", ""),
    ("Dysprosium", "Data storage devices, lasers, and permanent magnets.", _IN_RE),
    ("Gallium", "Integrated circuits and optical devices.", ""),
    ("Germanium", "Defense and fiber optics.", ""),
    ("Neodymium", "Catalysts, lasers, and permanent magnets.", _IN_RE),
    ("Samarium", "Cancer treatments, nuclear, and permanent magnets.", _IN_RE),
    ("Terbium", "Fiber optics, lasers, permanent magnets, and solid state devices.", _IN_RE),
]

_T5_HEADER = [
    "Source", "Year", "Critical_mineral", "Primary_prod", "Secondary_prod", "Prod_notes",
    "Apparent_Consumption", "Consumption_Notes", "Net_Import_Reliance", "Primary_import_source",
    "Import_source_notes",
    "Leading_source_country", "Leading_country_prod", "Leading_source_precent_world", "World_total_prod",
    "World_prod_notes",
]  # fmt: skip
_AVG = "Average 2020 to 2023."
_T5: list[list[str]] = [
    ["Antimony", "0", "3500", "", "24000", "", "85", "China", _AVG, "China", "60000", "60", "100000", ""],
    ["Gallium", "0", "0", "", "19", "", "100", "Japan", _AVG, "China", "750", "99", "760", ""],
    ["Germanium", "0", "NA", "", "NA", "", ">50", "Belgium", _AVG, "China", "NA", "NA", "NA", ""],
    [
        "Rare earths (compounds and metals)", "1300", "NA", "", "6600", "", "80", "China", _AVG, "China",
        "270000", "69", "390000", "Mine production of rare earth concentrates.",
    ],
]  # fmt: skip

_PRICE_GROWTH: list[list[str]] = [
    ["Antimony, metal", "73", "37", ""],
    ["Dysprosium, oxide 99.5% minimum", "-21", "0", ""],
    ["Gallium, high purity refined", "11", "-4", "Average annual unit value of imports."],
    ["Germanium, metal", "51", "19", ""],
    ["Terbium, oxide 99.99% minimum", "-38", "5", ""],
]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def write_usgs(folder: Path) -> list[Path]:
    """Write the demo's MCS-format CSVs (and the synthetic-data note) into ``folder``; return the paths."""
    folder = Path(folder)
    files: dict[str, str] = {}
    for code, (label, header, rows) in _SALIENT.items():
        body = [[SOURCE, label, str(year), *row] for year, row in zip(YEARS, rows, strict=True)]
        files[f"mcs2025-{code}_salient.csv"] = _csv(["DataSource", "Commodity", "Year", *header], body)
    world = [[SOURCE, *row, "", "", "", "", "", ""] for row in _WORLD]
    files["MCS2025_World_Data.csv"] = _csv(_WORLD_HEADER, world)
    files["MCS2025_Fig2_Net_Import_Reliance.csv"] = _csv(
        _NIR_HEADER, [[SOURCE, *row, "Descending order of import share."] for row in _NIR]
    )
    files["MCS2025_T4_Critical_Minerals_End_Use.csv"] = _csv(
        ["Source", "Critical Mineral", "Primary Applications", "Category_Note"],
        [[SOURCE, *row] for row in _END_USES],
    )
    files["MCS2025_T5_Critical_Minerals_Salient.csv"] = _csv(
        _T5_HEADER, [[SOURCE, "2024_estimated", *row] for row in _T5]
    )
    files["MCS2025_Fig10_Price_Growth_Rates.csv"] = _csv(  # no source column here: the note says it
        ["critical_mineral_priced", "PCH_2023_2024", "CAGR_2020_2024", "Notes"],
        [[*row[:3], f"{SOURCE}. {row[3]}".strip()] for row in _PRICE_GROWTH],
    )
    paths = []
    for name, text in files.items():
        path = folder / name
        atomic.write_bytes(path, text.encode("utf-8"))
        paths.append(path)
    note = folder / "README_SYNTHETIC.txt"
    atomic.write_text(note, NOTE)
    paths.append(note)
    return paths
