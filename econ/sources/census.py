"""Census Bureau International Trade API responses: imports and exports by HS commodity and by NAICS.

The files are what the API answers (`econ.sources.fetch.census` downloads them; so can a browser)::

    https://api.census.gov/data/timeseries/intltrade/imports/hs      (also exports/hs, imports/naics,
    https://api.census.gov/data/timeseries/intltrade/exports/naics    …?get=VARIABLES&time=2024-12&key=…)

The response format, as the API serves it:

* a JSON array of arrays; row 0 is the header, every cell is a string (or ``null``);
* a variable used as a predicate (``&I_COMMODITY=85*``, ``&time=2024-12``) is appended again as an extra
  column, so a name can repeat in the header;
* the month is either one ``time`` column (``"2024-12"``) or ``YEAR`` and ``MONTH`` columns;
* value and quantity variables end in ``_MO`` (the month) or ``_YR`` (the year to date: January through
  the month, so ``CON_VAL_YR`` at ``2024-12`` is the calendar year 2024); flags and labels do not;
* country groupings and totals sit among the countries: ``CTY_CODE`` ``"-"`` (all countries), ``"0003"``
  (European Union) … ``"0028"``, ``"1XXX"`` (North America) …, and ``SUMMARY_LVL`` is ``DET`` only for
  single countries;
* a query that matches nothing answers HTTP 204 with an empty body;
* a missing or invalid key answers HTTP 200 with an HTML page.

`read` gives the file's variables under their Census names, typed; `tidy` puts monthly and year-to-date
variables, HS and NAICS files, imports and exports into one layout. Free text (``CTY_NAME``, descriptions)
is kept exactly as the file has it: it is data, and whoever displays it escapes it.

One module of some 550 lines, on purpose: the quirks listed above, the reader that handles each and the
tidy layout built on them are read together; the fetcher lives apart (`econ.sources.fetch.census`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError, ParameterError
from econ.sources.notes import Note, NoteKind, attach, note, source_file_column

Dataset = Literal["imports/hs", "exports/hs", "imports/naics", "exports/naics"]
DATASETS: tuple[str, ...] = get_args(Dataset)
Span = Literal["month", "year_to_date"]
SPANS: tuple[str, ...] = get_args(Span)

# The commodity variable of each endpoint; a file holds exactly one of them.
COMMODITY_VARIABLES = ("I_COMMODITY", "E_COMMODITY", "NAICS")

# Census value and quantity variables all end in _MO (month) or _YR (year to date); their flags and
# descriptions do not.
_NUMERIC = re.compile(r"^[A-Z0-9_]+_(MO|YR)$")
# A single country: four digits, not starting with 0 (0001–0028 are groupings such as the EU or OECD).
_COUNTRY = re.compile(r"^[1-9][0-9]{3}$")

_RENAME = {
    "CTY_CODE": "partner",
    "CTY_NAME": "partner_name",
    "COMM_LVL": "commodity_level",
}


def read(
    path: str | os.PathLike[str],
    *,
    keep_aggregates: bool = False,
    variables: Sequence[str] | None = None,
    partner_codes: Mapping[str, str] | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Read one Census International Trade API response into a typed frame, one row per data row.

    Columns, in this order:

    * ``commodity`` (str) — ``I_COMMODITY``, ``E_COMMODITY`` or ``NAICS``, whichever the file has, leading
      zeros kept (``"0101210010"``, ``"3251"``);
    * ``partner`` (str) — ``CTY_CODE``, the 4-character Census country code (``"5700"`` China);
    * ``partner_name`` (str) — ``CTY_NAME`` (missing if the file has no ``CTY_NAME``);
    * ``period`` (``Period[M]``) — from ``time`` (``"2024-12"``) or from ``YEAR`` and ``MONTH``;
    * every value variable (a name ending ``_MO`` or ``_YR``: ``gen_val_mo``, ``con_val_mo``, ``cal_dut_mo``,
      ``con_qy1_mo``, ``gen_val_yr``, ``all_val_mo``, …) under its Census name in lower case, float64
      (``null`` or ``""`` become NaN);
    * every other column (``unit_qy1``, ``summary_lvl``, ``naics_ldesc``, ``i_commodity_sdesc``,
      ``district`` …) under its Census name in lower case as str, except ``COMM_LVL`` which becomes
      ``commodity_level``. ``time``, ``YEAR``, ``MONTH`` and the repeated copies of predicate columns are
      dropped (``period`` replaces the first; a repeated column keeps its first occurrence);
    * ``source_file`` (category) — `path` as given, so that rows concatenated from many files can be
      traced to theirs (two files holding the same rows can be named).

    ``frame.attrs["census_dataset"]`` is the dataset the file holds (``"imports/naics"``…) when the header
    or the file name tells; ``frame.attrs["dropped_aggregates"]`` how many grouping and total rows were
    left out.

    Rows: country groupings and totals are dropped unless ``keep_aggregates=True`` — a row is kept only if
    ``CTY_CODE`` is four digits not starting with 0 and, where the file has ``SUMMARY_LVL``, it is ``DET``.
    A row with no ``CTY_CODE`` at all cannot be told from a grouping: ``partner_codes`` (``{"GERMANY":
    "4280"}``, names compared without case or surrounding spaces) gives the code by ``CTY_NAME``; rows it
    cannot place are left out (kept, without a code, with ``keep_aggregates``).

    An empty file (the body of an HTTP 204) or a header without rows gives zero rows with the core columns
    plus ``variables`` (lower-cased; float for value variables, str otherwise). When ``variables`` is None
    they are those `econ.sources.fetch.census` requests for the dataset the file name says
    (``imports_hs10_2024-12.json`` → imports/hs: ``con_val_mo``, ``gen_val_mo``, ``cal_dut_mo``,
    ``con_qy1_mo``, ``unit_qy1``, ``summary_lvl``, ``commodity_level``), so an empty month concatenates
    cleanly with full ones.

    Nothing vanishes without a word: a file that yields no rows, rows left out for want of a partner code,
    and codes filled from ``partner_codes`` each put an `econ.sources.notes.Note` on
    ``frame.attrs["notes"]`` (rows, value, names); ``strict=True`` raises InputFormatError instead.

    Raises InputFormatError naming the file, the row (0 is the header row) and the field for: an HTML page
    (the API's answer to a missing or invalid key), malformed or truncated JSON, a header without the
    commodity, CTY_CODE or time columns, a row of the wrong length, a non-numeric value in a value
    variable, an unreadable period, and a repeated (commodity, partner, period, other dimensions) key.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise InputFormatError(source, f"cannot read the file: {error.strerror or error}") from error
    text = raw.decode("utf-8-sig", errors="replace").strip()
    if not text:
        frame = _empty(source, _variables_for(source) if variables is None else variables)
        why = "no rows: the file is empty (the API's answer when nothing matches the query is HTTP 204)"
        return attach(frame, [note(source, "no_rows", why, value=0.0)], strict=strict)
    if text.startswith("<") or "<html" in text[:2000].lower():
        raise InputFormatError(
            source,
            "the Census API returned an HTML page instead of data: the API key is missing or invalid",
            expected="a JSON array of arrays; set CENSUS_API_KEY to a valid key and fetch again",
        )
    try:
        table = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFormatError(
            source,
            f"not valid JSON ({error.msg}) — truncated or not a Census API response",
            where=f"line {error.lineno}, column {error.colno}",
            expected="a JSON array of arrays with the header in row 0",
        ) from error
    if not isinstance(table, list) or (table and not isinstance(table[0], list)):
        raise InputFormatError(source, "top level is not an array of arrays", expected="[[header…], [row…]]")
    if len(table) < 2:
        header = table[0] if table else []
        frame = _empty(source, header or (_variables_for(source) if variables is None else variables))
        why = "no rows: the response has a header and no data rows"
        return attach(frame, [note(source, "no_rows", why, value=0.0)], strict=strict)
    header = table[0]
    if not all(isinstance(name, str) and name for name in header):
        raise InputFormatError(source, "header has a non-text or empty name", where="row 0")
    frame, found = _frame(
        source, header, table[1:], keep_aggregates=keep_aggregates, partner_codes=partner_codes
    )
    return attach(frame, found, strict=strict)


def _variables_for(source: Path) -> tuple[str, ...]:
    """The variables fetch requests for the dataset a file name names (``imports_hs10_…``), else none."""
    dataset = _dataset_from_name(source)
    return DEFAULT_VARIABLES[dataset] if dataset else ()


def _dataset_from_name(source: Path) -> str | None:
    found = re.match(r"^(imports|exports)_(hs|naics)", source.name)
    return f"{found.group(1)}/{found.group(2)}" if found else None


def _dataset_from_header(names: Sequence[str], source: Path) -> str | None:
    if "I_COMMODITY" in names:
        return "imports/hs"
    if "E_COMMODITY" in names:
        return "exports/hs"
    if "NAICS" in names:
        stems = {name.upper().rsplit("_", 1)[0] for name in names if _NUMERIC.match(name.upper())}
        if stems & {"CON_VAL", "GEN_VAL", "CAL_DUT", "DUT_VAL", "CON_CIF", "GEN_CIF"}:
            return "imports/naics"
        if stems & {"ALL_VAL", "DF_VAL", "FS_VAL"}:
            return "exports/naics"
    return _dataset_from_name(source)


def _empty(source: Path, variables: Sequence[str]) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {
        "commodity": pd.Series([], dtype="str"),
        "partner": pd.Series([], dtype="str"),
        "partner_name": pd.Series([], dtype="str"),
        "period": pd.Series([], dtype="period[M]"),
    }
    for name in variables:
        if name in (*COMMODITY_VARIABLES, "CTY_CODE", "CTY_NAME", "time", "YEAR", "MONTH"):
            continue
        label = _RENAME.get(name, name.lower())
        columns[label] = pd.Series([], dtype="float64" if _NUMERIC.match(name.upper()) else "str")
    columns["source_file"] = pd.Series(source_file_column(source, 0))
    frame = pd.DataFrame(columns)
    frame.attrs["census_dataset"] = _dataset_from_header(list(variables), source)
    frame.attrs["dropped_aggregates"] = 0
    return frame


def _frame(
    source: Path,
    header: list[str],
    rows: list,
    *,
    keep_aggregates: bool,
    partner_codes: Mapping[str, str] | None,
) -> tuple[pd.DataFrame, list[Note]]:
    width = len(header)
    # Checked in bulk (map/len run in C); the slow loop only runs to name the first bad row.
    if not all(isinstance(row, list) for row in rows) or set(map(len, rows)) - {width}:
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != width:
                got = len(row) if isinstance(row, list) else type(row).__name__
                raise InputFormatError(
                    source, f"row has {got} cells, the header has {width}", where=f"row {number}"
                )
    # A predicate variable appears twice; keep the first occurrence of every name.
    first: dict[str, int] = {}
    for position, name in enumerate(header):
        first.setdefault(name, position)
    commodity_name = next((name for name in COMMODITY_VARIABLES if name in first), None)
    if commodity_name is None:
        raise InputFormatError(
            source,
            f"no commodity column in the header {header}",
            where="row 0",
            expected="one of " + ", ".join(COMMODITY_VARIABLES),
        )
    if "CTY_CODE" not in first:
        raise InputFormatError(source, f"no CTY_CODE column in the header {header}", where="row 0")
    has_time = "time" in first
    if not has_time and not ("YEAR" in first and "MONTH" in first):
        raise InputFormatError(
            source, f"no month in the header {header}", where="row 0", expected="'time' or YEAR and MONTH"
        )

    # One object column per distinct name (the first occurrence), in header order.
    grid = np.array(rows, dtype=object).reshape(len(rows), width)
    column = {name: grid[:, position] for name, position in first.items()}

    period = _period(source, column, has_time=has_time)
    out: dict[str, object] = {
        "commodity": _text(column[commodity_name]),
        "partner": _text(column["CTY_CODE"]),
        "partner_name": _text(column["CTY_NAME"])
        if "CTY_NAME" in column
        else pd.array([pd.NA] * len(rows), dtype="str"),
        "period": period,
    }
    skip = {commodity_name, "CTY_CODE", "CTY_NAME", "time", "YEAR", "MONTH"}
    for name in first:
        if name in skip:
            continue
        label = _RENAME.get(name, name.lower())
        if _NUMERIC.match(name):
            out[label] = _numbers(source, name, column[name])
        else:
            out[label] = _text(column[name])
    out["source_file"] = source_file_column(source, len(rows))
    frame = pd.DataFrame(out)
    found = _place_partners(source, frame, partner_codes)

    if not keep_aggregates:
        single = frame["partner"].str.fullmatch(_COUNTRY.pattern).fillna(False).to_numpy(dtype=bool)
        if "summary_lvl" in frame.columns:
            single = single & (frame["summary_lvl"] == "DET").fillna(False).to_numpy(dtype=bool)
        dropped = len(frame) - int(single.sum())
        frame = frame.loc[single].reset_index(drop=True)
        row_numbers = np.flatnonzero(single) + 1
    else:
        dropped = 0
        row_numbers = np.arange(1, len(frame) + 1)
    _check_unique(source, frame, row_numbers)
    if frame.empty:
        found.append(
            note(
                source,
                "no_rows",
                f"no rows of single countries: all {dropped:,} rows are country groupings or totals",
                value=0.0,
            )
        )
    frame.attrs["census_dataset"] = _dataset_from_header(list(first), source)
    frame.attrs["dropped_aggregates"] = dropped
    return frame, found


def _place_partners(source: Path, frame: pd.DataFrame, partner_codes: Mapping[str, str] | None) -> list[Note]:
    """Fill missing CTY_CODE cells from `partner_codes` by name, in place; a note for what was filled and
    for what is still missing (those rows look like groupings and would vanish without one)."""
    missing = (frame["partner"].isna() | (frame["partner"].str.strip() == "")).to_numpy(dtype=bool)
    if not missing.any():
        return []
    found: list[Note] = []
    names = frame["partner_name"].fillna("").str.strip().str.upper()
    if partner_codes:
        lookup = {str(name).strip().upper(): str(code) for name, code in partner_codes.items()}
        codes = names.map(lookup)
        filled = missing & codes.notna().to_numpy(dtype=bool)
        if filled.any():
            frame.loc[filled, "partner"] = codes[filled].to_numpy()
            found.append(_partner_note(source, frame, filled, "filled_code"))
            missing = missing & ~filled
    if missing.any():
        found.append(_partner_note(source, frame, missing, "missing_code"))
    return found


def _partner_note(source: Path, frame: pd.DataFrame, rows: np.ndarray, kind: NoteKind) -> Note:
    value_column = _value_column(frame)
    value = float(frame.loc[rows, value_column].sum()) if value_column else None
    names = frame.loc[rows, "partner_name"].fillna("(no CTY_NAME)")
    by_name = (
        frame.loc[rows, value_column].groupby(names).sum().sort_values(ascending=False).index
        if value_column
        else names.unique()
    )
    shown = ", ".join(str(name) for name in list(by_name)[:5]) + ("…" if len(by_name) > 5 else "")
    worth = f" ({value_column} {value:,.0f})" if value is not None else ""
    if kind == "filled_code":
        message = f"{int(rows.sum()):,} rows{worth} had no CTY_CODE; filled by CTY_NAME: {shown}"
    else:
        message = (
            f"{int(rows.sum()):,} rows{worth} have no CTY_CODE and cannot be told from groupings, so they "
            f"are left out: {shown} (give partner_codes to place them)"
        )
    return note(source, kind, message, rows=int(rows.sum()), value=value, codes=[str(n) for n in by_name])


def _value_column(frame: pd.DataFrame) -> str | None:
    """The column a note counts value in: imports for consumption, general imports, total exports."""
    for stem in ("con_val", "gen_val", "all_val"):
        for span in ("mo", "yr"):
            if f"{stem}_{span}" in frame.columns:
                return f"{stem}_{span}"
    return None


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def _numbers(source: Path, name: str, values: np.ndarray) -> pd.Series:
    series = pd.Series(values, dtype="object")
    blank = series.isna() | (series.astype("str").str.strip() == "")
    parsed = pd.to_numeric(series.where(~blank, None), errors="coerce").astype("float64")
    bad = parsed.isna() & ~blank
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFormatError(
            source,
            f"{name} is {values[position]!r}, not a number",
            where=f"row {position + 1}, field {name}",
            expected="digits (the API serves numbers as strings)",
        )
    return parsed


def _period(source: Path, column: dict[str, np.ndarray], *, has_time: bool) -> pd.Series:
    if has_time:
        text = pd.Series(column["time"], dtype="str")
        good = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False)
        field, shown = "time", text
    else:
        year = pd.Series(column["YEAR"], dtype="str").str.strip()
        month = pd.Series(column["MONTH"], dtype="str").str.strip().str.zfill(2)
        text = year + "-" + month
        good = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False)
        field, shown = "YEAR/MONTH", text
    if not good.all():
        position = int(np.flatnonzero(~good.to_numpy(dtype=bool))[0])
        raise InputFormatError(
            source,
            f"month {shown.iloc[position]!r} is not readable",
            where=f"row {position + 1}, field {field}",
            expected="'YYYY-MM' in time, or a 4-digit YEAR and MONTH 01–12",
        )
    # A file holds a handful of months over many rows: parse each distinct label once.
    codes, labels = pd.factorize(text)
    return pd.Series(pd.PeriodIndex(np.asarray(labels, dtype=object), freq="M").take(codes))


# Columns that are labels of the key, not part of it: their values follow from commodity and partner.
_LABELS = re.compile(
    r"^(partner_name|commodity_level|source_file|summary_lvl\d?|unit_qy\d|.*_(ldesc|sdesc|desc|name))$"
)


def _check_unique(source: Path, frame: pd.DataFrame, row_numbers: np.ndarray) -> None:
    numeric = {name for name in frame.columns if _NUMERIC.match(name.upper())}
    key = [name for name in frame.columns if name not in numeric and not _LABELS.match(name)]
    duplicated = frame.duplicated(subset=key, keep=False).to_numpy()
    if duplicated.any():
        rows = row_numbers[duplicated][:2]
        first = frame.loc[duplicated].iloc[0]
        raise InputFormatError(
            source,
            f"rows {rows[0]} and {rows[1]} repeat the key "
            + ", ".join(f"{name}={first[name]}" for name in key),
            where=f"row {rows[1]}",
            expected="one row per " + " × ".join(key),
        )


# Variables requested by default: what the import panel needs (TEAM.md), and the export equivalents.
DEFAULT_VARIABLES: dict[str, tuple[str, ...]] = {
    "imports/hs": (
        "I_COMMODITY",
        "CTY_CODE",
        "CTY_NAME",
        "CON_VAL_MO",
        "GEN_VAL_MO",
        "CAL_DUT_MO",
        "CON_QY1_MO",
        "UNIT_QY1",
        "SUMMARY_LVL",
        "COMM_LVL",
    ),
    "exports/hs": (
        "E_COMMODITY",
        "CTY_CODE",
        "CTY_NAME",
        "ALL_VAL_MO",
        "QTY_1_MO",
        "UNIT_QY1",
        "SUMMARY_LVL",
        "COMM_LVL",
    ),
    "imports/naics": (
        "NAICS",
        "CTY_CODE",
        "CTY_NAME",
        "CON_VAL_MO",
        "GEN_VAL_MO",
        "CAL_DUT_MO",
        "SUMMARY_LVL",
    ),
    "exports/naics": ("NAICS", "CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "SUMMARY_LVL"),
}


def file_name(dataset: Dataset, period: str, *, level: int | None = None, partner: str | None = None) -> str:
    """``imports_hs10_2024-12.json``, ``exports_naics_2024.json``, ``imports_hs10_5700_2024-12.json``:
    flow, classification and level, the partner when the pull is split by partner, the month or year."""
    flow, classification = dataset.split("/")
    suffix = str(level) if (classification == "hs" and level) else ""
    who = f"_{partner}" if partner else ""
    return f"{flow}_{classification}{suffix}{who}_{period}.json"


# ---------------------------------------------------------------------------------------------------
# One layout for every Census file

# Census variable stems (without _MO/_YR) → the name the panels use; other stems keep their Census name.
MEASURES: dict[str, dict[str, str]] = {
    "imports": {
        "con_val": "value",  # imports for consumption: the base of duty rates
        "gen_val": "general_value",
        "cal_dut": "duty",
        "dut_val": "dutiable_value",
        "con_qy1": "quantity",
        "con_qy2": "quantity2",
        "gen_qy1": "general_quantity",
        "gen_qy2": "general_quantity2",
    },
    "exports": {
        "all_val": "value",  # total exports: domestic and foreign goods
        "df_val": "domestic_value",
        "qty_1": "quantity",
        "qty_2": "quantity2",
    },
}
_UNITS = {"unit_qy1": "quantity_unit", "unit_qy2": "quantity2_unit"}
_SUFFIX_SPAN = {"mo": "month", "yr": "year_to_date"}


def tidy(frame: pd.DataFrame, *, dataset: Dataset | None = None) -> pd.DataFrame:
    """A frame from `read` in the layout shared by every Census file: HS or NAICS, imports or exports,
    monthly (``_MO``) or year-to-date (``_YR``) variables.

    One row per data row and span; columns:

    * ``flow`` (``imports``/``exports``), ``classification`` (``hs``/``naics``), ``level`` (int8, the
      digits of the code: 10, 6 or 2 for HS; 3 to 6 for NAICS), ``commodity``, ``commodity_description``
      (the ``…_LDESC``/``…_SDESC`` label when the file has one), ``partner``, ``partner_name``, ``period``;
    * ``span`` — ``month`` (a ``_MO`` variable: the month ``period``) or ``year_to_date`` (a ``_YR``
      variable: January through ``period``, so at December the calendar year). A file with both gives both
      rows;
    * the measures under the panels' names: imports ``value`` (CON_VAL), ``general_value`` (GEN_VAL),
      ``duty`` (CAL_DUT), ``quantity`` (CON_QY1), ``quantity_unit`` (UNIT_QY1)…; exports ``value``
      (ALL_VAL), ``quantity`` (QTY_1)… (see MEASURES); a variable not listed keeps its Census stem in lower
      case (``air_val``). A measure the file lacks for one span is NaN in that span's rows;
    * ``source_file``.

    ``dataset`` says what the rows are when `frame` no longer carries ``attrs["census_dataset"]`` (frames
    of several files concatenated). Raises ParameterError when neither tells.
    """
    name = dataset or frame.attrs.get("census_dataset")
    if name not in DATASETS:
        raise ParameterError(
            [("dataset", f"{name!r}: say which of {', '.join(DATASETS)} the rows are (dataset=…)")],
            context="census.tidy",
        )
    flow, classification = str(name).split("/")
    stems: dict[str, dict[str, str]] = {}
    for column in frame.columns:
        found = re.fullmatch(r"([a-z0-9_]+)_(mo|yr)", column)
        if found:
            stems.setdefault(found.group(1), {})[_SUFFIX_SPAN[found.group(2)]] = column
    spans = [span for span in SPANS if any(span in by_span for by_span in stems.values())] or ["month"]
    description = next(
        (column for column in frame.columns if re.fullmatch(r".*_ldesc", column)),
        next((column for column in frame.columns if re.fullmatch(r".*_sdesc", column)), None),
    )
    commodity = frame["commodity"].astype("str")
    label_text = frame[description] if description else pd.Series(pd.NA, index=frame.index, dtype="str")
    keys = pd.DataFrame(
        {
            "flow": pd.Categorical([flow] * len(frame), categories=["imports", "exports"]),
            "classification": pd.Categorical([classification] * len(frame), categories=["hs", "naics"]),
            "level": commodity.str.len().fillna(0).astype("int8").to_numpy(),
            "commodity": commodity.to_numpy(),
            "commodity_description": label_text.astype("str").to_numpy(),
            "partner": frame["partner"].astype("str").to_numpy(),
            "partner_name": frame["partner_name"].astype("str").to_numpy(),
            "period": frame["period"].array,
        }
    ).astype({"commodity": "str", "commodity_description": "str", "partner": "str", "partner_name": "str"})
    names = MEASURES[flow]
    blocks = []
    for span in spans:
        block = keys.copy()
        block["span"] = pd.Categorical([span] * len(frame), categories=list(SPANS))
        for stem, by_span in stems.items():
            label = names.get(stem, stem)
            values = frame[by_span[span]].to_numpy() if span in by_span else np.full(len(frame), np.nan)
            block[label] = pd.Series(values, dtype="float64")
        for unit, label in _UNITS.items():
            if unit in frame.columns:
                block[label] = pd.Series(frame[unit].to_numpy(), dtype="str")
        block["source_file"] = frame["source_file"].array if "source_file" in frame.columns else pd.NA
        blocks.append(block)
    out = pd.concat(blocks, ignore_index=True) if len(blocks) > 1 else blocks[0].reset_index(drop=True)
    out.attrs = {key: value for key, value in frame.attrs.items()}
    return out
