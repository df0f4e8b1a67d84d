"""The sourced tables every number of the rare-earth model comes from (package data, econ/models/data/).

Each table is a CSV shipped with econ: facts (published figures with their source), numbers derived from
them (and how), and the model's own assumptions, each row with a ``status``:

============== ==================================================================================
status         meaning
============== ==================================================================================
published      stated by the source named in the row
derived        computed from published figures, the computation in the source column
check          published but not verified here, or a detail (a date, a code) still to confirm
assumption     the model's own choice; the source column says why
============== ==================================================================================

Tables: ``rare_earth_parameters`` (scalars), ``magnet_exports`` (China's monthly magnet exports),
``export_controls`` (the dated controls and commitments), ``rare_earth_prices``, ``restricted_lines`` (the
HTS lines under each control), ``end_uses`` (industries using each group), ``exposed_lines`` (the product
line within an industry that needs the input), ``studies`` (the published estimates and their scenarios),
``us_imports_2024`` (published US import figures, to check a dataset's imports against, and the inputs of
last resort), ``world_trade_lines`` (the HS codes of UN Comtrade records that stand for each group).

They are facts, not raw data: read with importlib.resources, never from data/raw.
"""

from __future__ import annotations

import functools
import io
from importlib import resources

import pandas as pd

from econ.errors import InputFormatError, ParameterError

STATUSES: tuple[str, ...] = ("published", "derived", "check", "assumption")

# table → (required columns, numeric columns)
_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rare_earth_parameters": (("name", "value", "unit", "status", "source"), ("value",)),
    "magnet_exports": (
        ("month", "destination", "tonnes", "yoy_change", "status", "source"),
        ("tonnes", "yoy_change"),
    ),
    "export_controls": (("date", "event", "kind", "groups", "elements", "status", "source"), ()),
    "rare_earth_prices": (
        ("product", "market", "period", "low", "high", "unit", "status", "source"),
        ("low", "high"),
    ),
    "restricted_lines": (("hs", "description", "group", "controlled_from", "status", "source"), ()),
    "end_uses": (("group", "industry", "detail", "share", "status", "source"), ("share",)),
    "exposed_lines": (
        ("industry", "level", "groups", "line", "share", "components", "status", "source"),
        ("share",),
    ),
    "studies": (
        (
            "study",
            "scenario_id",
            "scenario",
            "groups",
            "basis",
            "cut",
            "months",
            "horizon",
            "elasticity",
            "measure",
            "low",
            "central",
            "high",
            "status",
            "source",
            "note",
            "differences",
        ),
        ("cut", "months", "low", "central", "high"),
    ),
    "us_imports_2024": (
        ("group", "hs", "partner", "value_usd", "quantity_kg", "status", "source"),
        ("value_usd", "quantity_kg"),
    ),
    "world_trade_lines": (("hs", "description", "group", "status", "source"), ()),
}
TABLE_NAMES: tuple[str, ...] = tuple(_TABLES)


def table(name: str) -> pd.DataFrame:
    """A copy of package table `name`, checked: its columns, a known status and a source on every row,
    numbers where numbers belong (InputFormatError naming the file, row and column otherwise)."""
    if name not in _TABLES:
        raise ParameterError([("name", f"no table {name!r}; known: {', '.join(_TABLES)}")], context="facts")
    return _read(name).copy()


@functools.cache
def _read(name: str) -> pd.DataFrame:
    text = resources.files("econ.models").joinpath("data", f"{name}.csv").read_text(encoding="utf-8")
    return parse(name, text)


def parse(name: str, text: str) -> pd.DataFrame:
    """Check and type the CSV text of table `name` (what `table` does to the shipped file)."""
    required, numeric = _TABLES[name]
    where = f"econ/models/data/{name}.csv"
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as error:
        raise InputFormatError(where, f"malformed CSV ({error})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputFormatError(
            where, f"missing columns {missing}", where="header", expected=", ".join(required)
        )
    for row, (status, source) in enumerate(zip(frame["status"], frame["source"], strict=True), start=2):
        if status not in STATUSES:
            raise InputFormatError(
                where, f"status {status!r}", where=f"row {row}", expected=" or ".join(STATUSES)
            )
        if not source.strip():
            raise InputFormatError(
                where, "no source", where=f"row {row}", expected="the source of the figure"
            )
    for column in numeric:
        values = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        bad = values.isna() & (frame[column] != "")
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise InputFormatError(
                where, f"{frame.loc[row - 2, column]!r} is not a number", where=f"row {row}, column {column}"
            )
        frame[column] = values.astype("float64")
    return frame


def parameter(name: str) -> float:
    """The value of one row of ``rare_earth_parameters``."""
    frame = _read("rare_earth_parameters")
    values = dict(zip(frame["name"], frame["value"], strict=True))
    if name not in values:
        raise ParameterError(
            [("name", f"no parameter {name!r}; known: {', '.join(values)}")], context="facts"
        )
    return float(values[name])


# Each row of ``rare_earth_parameters`` as an economist reads it, with its unit (the table's ``unit``
# column, shortened): a report shows these words where the table has a code (tests hold every row to one).
PARAMETER_WORDS: dict[str, str] = {
    "inventory_weeks": "Inventory buffer at US users when a control begins (weeks of normal use)",
    "restock_speed": "Restocking speed (share of supply above normal use put back into stocks)",
    "import_share_magnets": "Imported share of US supply of rare-earth magnets (share, 0 to 1)",
    "china_magnet_exports_2024": "China's exports of rare-earth magnets and alloys, 2024 (tonnes)",
    "china_magnet_export_value_2024": "China's exports of rare-earth magnets and alloys by value, 2024 "
    "(US dollars)",
    "agreed_share": "Agreed level of China's shipments (share of the pre-control flow)",
    "rerouting": "Rerouting through third countries (share of China's withheld supply)",
    "line_elasticity": "Substitution between an industry's exposed line and its other lines (elasticity)",
    "sigma_short_run_low": "σ, short run: bottom of the grid (elasticity of substitution)",
    "sigma_short_run_high": "σ, short run: top of the grid (elasticity of substitution)",
    "sigma_long_run_low": "σ, long run: bottom of the grid (elasticity of substitution)",
    "sigma_long_run_high": "σ, long run: top of the grid (elasticity of substitution)",
    "china_share_world_magnets": "China's share of world output of rare-earth magnets (share, 0 to 1)",
    "china_share_world_processing": "China's share of world rare-earth processing capacity (share, 0 to 1)",
    "china_share_world_germanium": "China's share of world germanium output (share, 0 to 1)",
}


def parameter_words(name: str) -> str:
    """A row of ``rare_earth_parameters`` in words with its unit (`PARAMETER_WORDS`); a parameter the
    list does not hold keeps its code, visible, rather than a guess."""
    return PARAMETER_WORDS.get(name, name)


def shown(names: tuple[str, ...] = TABLE_NAMES) -> pd.DataFrame:
    """Every row of the named tables in one frame (``table``, ``item``, ``value``, ``status``, ``source``),
    for a report's list of the numbers it stands on."""
    rows = []
    for name in names:
        frame = _read(name)
        for record in frame.to_dict(orient="records"):
            item = " · ".join(
                str(record[c])
                for c in ("name", "study", "scenario_id", "group", "hs", "industry", "month", "destination",
                          "date", "event", "product", "market", "period", "partner")
                if c in record and str(record[c]) not in ("", "nan")
            )  # fmt: skip
            value = next(
                (
                    record[c]
                    for c in ("value", "share", "tonnes", "central", "low", "value_usd")
                    if c in record
                ),
                "",
            )
            rows.append((name, item, value, record["status"], record["source"]))
    return pd.DataFrame(rows, columns=["table", "item", "value", "status", "source"])
