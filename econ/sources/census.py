"""Census Bureau International Trade API: monthly imports and exports by HS commodity and by NAICS.

Endpoints (the base overridable with ``base_url=`` or the ECON_CENSUS_URL environment variable)::

    https://api.census.gov/data/timeseries/intltrade/imports/hs
    https://api.census.gov/data/timeseries/intltrade/exports/hs
    https://api.census.gov/data/timeseries/intltrade/imports/naics
    https://api.census.gov/data/timeseries/intltrade/exports/naics

The response format, as the API serves it:

* a JSON array of arrays; row 0 is the header, every cell is a string (or ``null``);
* a variable used as a predicate (``&I_COMMODITY=85*``, ``&time=2024-12``) is appended again as an extra
  column, so a name can repeat in the header;
* the month is either one ``time`` column (``"2024-12"``) or ``YEAR`` and ``MONTH`` columns;
* country groupings and totals sit among the countries: ``CTY_CODE`` ``"-"`` (all countries), ``"0003"``
  (European Union) … ``"0028"``, ``"1XXX"`` (North America) …, and ``SUMMARY_LVL`` is ``DET`` only for
  single countries;
* a query that matches nothing answers HTTP 204 with an empty body;
* a missing or invalid key answers HTTP 200 with an HTML page.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError, ParameterError

Dataset = Literal["imports/hs", "exports/hs", "imports/naics", "exports/naics"]
DATASETS: tuple[str, ...] = get_args(Dataset)

DEFAULT_BASE_URL = "https://api.census.gov/data/timeseries/intltrade"

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
      dropped (``period`` replaces the first; a repeated column keeps its first occurrence).

    Rows: country groupings and totals are dropped unless ``keep_aggregates=True`` — a row is kept only if
    ``CTY_CODE`` is four digits not starting with 0 and, where the file has ``SUMMARY_LVL``, it is ``DET``.
    An empty file (the body of an HTTP 204) gives zero rows with the core columns plus ``variables``
    (lower-cased; float for value variables, str otherwise). When ``variables`` is None they are those
    `fetch` requests for the dataset the file name says (``imports_hs10_2024-12.json`` → imports/hs:
    ``con_val_mo``, ``gen_val_mo``, ``cal_dut_mo``, ``con_qy1_mo``, ``unit_qy1``, ``summary_lvl``,
    ``commodity_level``), so an empty month concatenates cleanly with full ones.

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
        return _empty(_variables_for(source) if variables is None else variables)
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
    if not table:
        return _empty(_variables_for(source) if variables is None else variables)
    header = table[0]
    if not all(isinstance(name, str) and name for name in header):
        raise InputFormatError(source, "header has a non-text or empty name", where="row 0")
    return _frame(source, header, table[1:], keep_aggregates=keep_aggregates)


def _variables_for(source: Path) -> tuple[str, ...]:
    """The variables `fetch` requests for the dataset a file name names (``imports_hs10_…``), else none."""
    found = re.match(r"^(imports|exports)_(hs|naics)", source.name)
    if not found:
        return ()
    return DEFAULT_VARIABLES[f"{found.group(1)}/{found.group(2)}"]


def _empty(variables: Sequence[str]) -> pd.DataFrame:
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
    return pd.DataFrame(columns)


def _frame(source: Path, header: list[str], rows: list, *, keep_aggregates: bool) -> pd.DataFrame:
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
    frame = pd.DataFrame(out)

    if not keep_aggregates:
        single = frame["partner"].str.fullmatch(_COUNTRY.pattern).fillna(False).to_numpy(dtype=bool)
        if "summary_lvl" in frame.columns:
            single = single & (frame["summary_lvl"] == "DET").fillna(False).to_numpy(dtype=bool)
        frame = frame.loc[single].reset_index(drop=True)
        row_numbers = np.flatnonzero(single) + 1
    else:
        row_numbers = np.arange(1, len(frame) + 1)
    _check_unique(source, frame, row_numbers)
    return frame


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
_LABELS = re.compile(r"^(partner_name|commodity_level|summary_lvl\d?|unit_qy\d|.*_(ldesc|sdesc|desc|name))$")


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


def endpoint(dataset: Dataset, *, base_url: str | None = None) -> str:
    """The URL of one dataset: ``base_url`` (else ECON_CENSUS_URL, else the Census API) + ``/dataset``."""
    if dataset not in DATASETS:
        raise ParameterError([("dataset", f"{dataset!r} is not one of {', '.join(DATASETS)}")])
    base = base_url or os.environ.get("ECON_CENSUS_URL") or DEFAULT_BASE_URL
    return f"{base.rstrip('/')}/{dataset}"


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


def file_name(dataset: Dataset, month: str, *, level: int | None = None) -> str:
    """``imports_hs10_2024-12.json``, ``exports_naics_2024-12.json``: flow, classification, level, month."""
    flow, classification = dataset.split("/")
    suffix = str(level) if (classification == "hs" and level) else ""
    return f"{flow}_{classification}{suffix}_{month}.json"


def fetch(
    dataset: Dataset = "imports/hs",
    *,
    year: int,
    months: Sequence[int] = tuple(range(1, 13)),
    level: Literal[2, 4, 6, 10] | None = 10,
    commodity: str | None = None,
    variables: Sequence[str] | None = None,
    vintage: str | None = None,
    force: bool = False,
    base_url: str | None = None,
    key: str | None = None,
    timeout: float | tuple[float, float] = (10.0, 300.0),
    retries: int = 4,
    backoff: float = 2.0,
) -> list[Path]:
    """Download one month per file into data/raw/census/<vintage>/ and return the paths.

    One request per month (``time=YYYY-MM``), as the API serves large HS10 × country tables more reliably
    that way and a failed run resumes at the missing month. ``level`` filters HS rows with
    ``COMM_LVL=HS<level>`` (ignored for NAICS); ``commodity`` adds a predicate on the commodity variable
    (``"85*"``, ``"3251"``). The key comes from ``key`` or CENSUS_API_KEY; the API answers a few hundred
    queries a day without one. Files hold the API's response unchanged; a month with no rows (HTTP 204) is
    saved as an empty file, which `read` reads as zero rows. An HTML answer (invalid key) is not saved.
    """
    from econ.sources import http

    problems = []
    if dataset not in DATASETS:
        problems.append(("dataset", f"{dataset!r} is not one of {', '.join(DATASETS)}"))
    if level not in (None, 2, 4, 6, 10):
        problems.append(("level", f"{level!r} is not 2, 4, 6 or 10"))
    bad_months = [m for m in months if not 1 <= int(m) <= 12]
    if bad_months:
        problems.append(("months", f"{bad_months} are not months 1–12"))
    if not 2010 <= int(year) <= 2100:
        problems.append(("year", f"{year!r} is outside the API's range (2010 onwards)"))
    if problems:
        raise ParameterError(problems, context="census.fetch")

    url = endpoint(dataset, base_url=base_url)
    names = list(variables or DEFAULT_VARIABLES[dataset])
    commodity_variable = names[0] if names and names[0] in COMMODITY_VARIABLES else None
    folder = http.vintage_dir("census", vintage)
    secret = key or os.environ.get("CENSUS_API_KEY")
    hs_level = level if dataset.endswith("/hs") else None
    saved = []
    for month in months:
        label = f"{int(year):04d}-{int(month):02d}"
        params: dict[str, str] = {"get": ",".join(names), "time": label}
        if hs_level:
            params["COMM_LVL"] = f"HS{hs_level}"
        if commodity and commodity_variable:
            params[commodity_variable] = commodity
        if secret:
            params["key"] = secret
        saved.append(
            http.download(
                url,
                folder / file_name(dataset, label, level=hs_level),
                params=params,
                secret_params=("key",),
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                force=force,
                check=_reject_html,
            )
        )
    return saved


def _reject_html(path: Path) -> None:
    from econ.errors import FetchError

    with open(path, "rb") as handle:
        head = handle.read(2048).lstrip().lower()
    if head.startswith(b"<") or b"<html" in head:
        raise FetchError(
            "the Census API answered with an HTML page instead of data: the API key is missing or invalid "
            "(set CENSUS_API_KEY to the key from https://api.census.gov/data/key_signup.html)"
        )
