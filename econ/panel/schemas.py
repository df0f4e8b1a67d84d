"""The processed panels' schemas: every column, its type and meaning, checked on write and on read.

The ``imports`` panel — one row per HS10 × partner × month as the Census API reports it:

====================== ========== ===========================================================
column                 type       meaning
====================== ========== ===========================================================
hs10, hs8, hs6         str        HS codes with leading zeros, no dots
chapter                str        HS chapter ("85")
partner                str        Census country code ("5700" China)
partner_name           str        Census country name
month                  datetime   first day of the month
value                  float64    imports for consumption, USD (CON_VAL_MO)
general_value          float64    general imports, USD (GEN_VAL_MO)
duty                   float64    calculated duty, USD (CAL_DUT_MO)
quantity               float64    first quantity (CON_QY1_MO), 0 where none is collected
quantity_unit          str        its unit (UNIT_QY1)
unit_value             float64    value / quantity (NaN where quantity is 0)
unit_value_incl_duty   float64    (value + duty) / quantity
collected_rate         float64    duty / value (NaN where value is 0)
mfn … section338       float64    statutory layers from econ.tariffs (TARIFF_LAYERS), month averages by
                                  days in force; mfn at the ad valorem equivalent of specific duties
statutory_rate         float64    their stacked total (before preferences)
statutory_rate_after_preferences  the same less the share of imports claiming USMCA, KORUS…
section301_exclusion   float64    Section 301 duty not due under product exclusions
mfn_ave                float64    what the ad valorem equivalent of a specific duty adds to mfn
mfn_is_ave             bool       mfn is an ad valorem equivalent (from the panel's unit values)
de_minimis             bool       low-value shipments from the partner still entered duty free all month
tariff_projection      bool       the month reaches past the tariff timeline's known-through date
product_id             int32      integer id of hs10, for absorbed fixed effects
partner_id             int16      integer id of partner
month_id               int32      year·12 + month − 1
====================== ========== ===========================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.errors import SchemaError
from econ.panel.minerals import MINERALS_SCHEMA
from econ.tariffs.stacking import US_LAYERS

# The US duty layers of econ.tariffs, MFN first (mfn, section301, section232, the IEEPA layers, section122,
# the 2026 Section 301 actions, section201, section338).
TARIFF_LAYERS: tuple[str, ...] = ("mfn", *US_LAYERS)

# column → type: "str" (any string dtype), "datetime", "float64", "list" (object cells) or an exact dtype.
# Every trade panel starts with the same keys: product codes, partner and month.
TRADE_KEYS: dict[str, str] = {
    "hs10": "str",
    "hs8": "str",
    "hs6": "str",
    "chapter": "str",
    "partner": "str",
    "partner_name": "str",
    "month": "datetime",
}
IMPORTS_SCHEMA: dict[str, str] = {
    **TRADE_KEYS,
    "value": "float64",
    "general_value": "float64",
    "duty": "float64",
    "quantity": "float64",
    "quantity_unit": "str",
    "unit_value": "float64",
    "unit_value_incl_duty": "float64",
    "collected_rate": "float64",
    **{layer: "float64" for layer in TARIFF_LAYERS},
    "statutory_rate": "float64",
    "statutory_rate_after_preferences": "float64",
    "section301_exclusion": "float64",
    "mfn_ave": "float64",
    "mfn_is_ave": "bool",
    "de_minimis": "bool",
    "tariff_projection": "bool",
    "product_id": "int32",
    "partner_id": "int16",
    "month_id": "int32",
}
# Annual or year-to-date Census pulls (CON_VAL_YR at time=2024-12) by HS10 × partner: `through` is the
# last month the year-to-date figures cover (December for a whole year), `months` how many that is.
IMPORTS_ANNUAL_SCHEMA: dict[str, str] = {
    "hs10": "str",
    "hs8": "str",
    "hs6": "str",
    "chapter": "str",
    "partner": "str",
    "partner_name": "str",
    "year": "int32",
    "through": "datetime",
    "months": "int32",
    "value": "float64",
    "general_value": "float64",
    "duty": "float64",
    "quantity": "float64",
    "quantity_unit": "str",
    "collected_rate": "float64",
}
# Census imports/naics by NAICS code × partner × month (values and calculated duty; no quantities): the
# panel that spans 2013 onwards in the real samples. `naics_level` is the number of digits (3 to 6).
IMPORTS_NAICS_SCHEMA: dict[str, str] = {
    "naics": "str",
    "naics_level": "int32",
    "naics_name": "str",
    "partner": "str",
    "partner_name": "str",
    "month": "datetime",
    "value": "float64",
    "general_value": "float64",
    "duty": "float64",
    "collected_rate": "float64",
    "product_id": "int32",
    "partner_id": "int16",
    "month_id": "int32",
}
# US exports (Census exports/hs, ALL_VAL_MO) with China's retaliatory tariff from the tariff engine: the
# weights and rates of "China's tariff on US goods".
EXPORTS_SCHEMA: dict[str, str] = {
    **TRADE_KEYS,
    "value": "float64",
    "china_retaliation": "float64",
    "month_id": "int32",
}

# Each HS10 line of the imports panel with its industries (econ.concord: the Census HS10 → NAICS
# concordance, falling back to HS8 then HS6, and BEA's NAICS workbook); `naics_match` and `bea_match` say
# how each was found, "None" where it was not.
INDUSTRIES_SCHEMA: dict[str, str] = {
    "hs10": "str",
    "naics": "str",
    "naics_match": "str",
    "bea_summary": "str",
    "bea_detail": "str",
    "bea_match": "str",
}

# The tariff schedule's numbered lines as `econ.sources.hts.read` gives them (one revision), so that
# notebooks rebuild the schedule from processed data and never parse raw files.
TARIFF_LINES_SCHEMA: dict[str, str] = {
    "hts8": "str",
    "hts10": "str",
    "description": "str",
    "general": "str",
    "rate_kind": "str",
    "mfn_ad_valorem": "float64",
    "chapter99": "list",
    "revision": "str",
}

# The input-output tables the models run on, long: one row per cell of each block of each table.
# ``table`` is use, make or import; ``block`` matrix, final_demand or value_added (rows × columns as BEA
# lays them out: commodity × industry for Use and Import, industry × commodity for Make), or ``names``
# (row = a code, label = its title). Which tables they are (BEA's files, or the embedded ten-industry
# aggregate) is recorded in the manifest's record of this output.
IO_TABLES_SCHEMA: dict[str, str] = {
    "table": "str",
    "block": "str",
    "row": "str",
    "column": "str",
    "value": "float64",
    "label": "str",
}

# BLS price indexes (econ.panel.other_sources): one row per series × month.
PRICES_SCHEMA: dict[str, str] = {
    "series_id": "str",
    "survey": "str",
    "measure": "str",
    "origin": "str",
    "naics": "str",
    "item": "str",
    "title": "str",
    "base": "str",
    "month": "datetime",
    "value": "float64",
    "footnote": "str",
}
# UN Comtrade totals (econ.panel.other_sources): reporter × partner × flow × commodity × period.
WORLD_TRADE_SCHEMA: dict[str, str] = {
    "reporter": "str",
    "reporter_name": "str",
    "partner": "str",
    "partner_name": "str",
    "flow": "str",
    "commodity": "str",
    "commodity_name": "str",
    "frequency": "str",
    "period": "str",
    "value": "float64",
    "net_weight_kg": "float64",
    "quantity": "float64",
    "quantity_unit": "str",
}

SCHEMAS: dict[str, dict[str, str]] = {
    "imports": IMPORTS_SCHEMA,
    "imports_annual": IMPORTS_ANNUAL_SCHEMA,
    "imports_naics": IMPORTS_NAICS_SCHEMA,
    "exports": EXPORTS_SCHEMA,
    "industries": INDUSTRIES_SCHEMA,
    "tariff_lines": TARIFF_LINES_SCHEMA,
    "io_tables": IO_TABLES_SCHEMA,
    "prices": PRICES_SCHEMA,
    "minerals": MINERALS_SCHEMA,
    "world_trade": WORLD_TRADE_SCHEMA,
}
"""Every tabular output of `econ build`, by name (``truth`` is the demo's JSON, not a table)."""


def check_schema(frame: pd.DataFrame, name: str, *, where: str) -> None:
    """Raise SchemaError unless `frame` has exactly the columns and types of panel `name`."""
    schema = SCHEMAS[name]
    problems = []
    missing = [col for col in schema if col not in frame.columns]
    if missing:
        problems.append(f"missing columns {missing}")
    extra = [col for col in frame.columns if col not in schema]
    if extra:
        problems.append(f"unexpected columns {extra}")
    for col, kind in schema.items():
        if col not in frame.columns:
            continue
        dtype = frame[col].dtype
        ok = {
            "str": pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype),
            "datetime": pd.api.types.is_datetime64_any_dtype(dtype),
            "float64": dtype == np.float64,
            "list": pd.api.types.is_object_dtype(dtype),
        }.get(kind, str(dtype) == kind)
        if not ok:
            problems.append(f"column {col!r} is {dtype}, expected {kind}")
    if problems:
        raise SchemaError(f"{where}: panel {name!r} does not match its schema: " + "; ".join(problems))
