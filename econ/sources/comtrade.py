"""UN Comtrade API v1: trade records by reporter, partner and HS code, as JSON or as the CSV download.

The files are the API's answers (`econ.sources.fetch.comtrade` downloads them) or the CSV download of the
same records from the Comtrade site.

Format: JSON ``{"elapsedTime", "count", "data": [record, …], "error"}`` or CSV with the same 47 fields as
columns (``typeCode, freqCode, refPeriodId, refYear, refMonth, period, reporterCode, …, primaryValue,
legacyEstimationFlag, isReported, isAggregate``). Countries are UN M49 numeric codes (``842`` USA, ``156``
China, ``0`` World). A reporter's total with a partner sits beside the same flow broken down by second
partner (``partner2Code``), customs procedure (``customsCode``) and mode of transport (``motCode``); summing
them double counts, so `read` keeps only the totals (``partner2Code`` 0, ``customsCode`` C00, ``motCode``
0, ``mosCode`` 0) unless asked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError
from econ.sources.notes import attach, note, source_file_column

Frequency = Literal["A", "M"]
FREQUENCIES: tuple[str, ...] = get_args(Frequency)


_REQUIRED = (
    "freqCode", "period", "reporterCode", "flowCode", "partnerCode", "partner2Code", "cmdCode",
    "customsCode", "motCode", "primaryValue",
)  # fmt: skip
_CODES = (
    "reporterCode",
    "partnerCode",
    "partner2Code",
    "motCode",
    "mosCode",
    "qtyUnitCode",
    "altQtyUnitCode",
)
_NUMBERS = ("qty", "altQty", "netWgt", "grossWgt", "cifvalue", "fobvalue", "primaryValue")
_FLAGS = ("isOriginalClassification", "isQtyEstimated", "isAltQtyEstimated", "isNetWgtEstimated",
          "isGrossWgtEstimated", "isReported", "isAggregate")  # fmt: skip
_KEY = ("freq", "period_code", "reporter", "flow", "partner", "partner2", "cmd_code", "customs_code",
        "mot_code", "mos_code")  # fmt: skip
_RENAME = {
    "freqCode": "freq",
    "period": "period_code",
    "reporterCode": "reporter",
    "reporterISO": "reporter_iso",
    "partnerCode": "partner",
    "partnerISO": "partner_iso",
    "partner2Code": "partner2",
    "partner2ISO": "partner2_iso",
    "flowCode": "flow",
    "classificationCode": "classification",
    "cmdCode": "cmd_code",
    "cmdDesc": "cmd_desc",
    "customsCode": "customs_code",
    "motCode": "mot_code",
    "mosCode": "mos_code",
    "primaryValue": "primary_value",
    "cifvalue": "cif_value",
    "fobvalue": "fob_value",
    "netWgt": "net_weight_kg",
    "grossWgt": "gross_weight_kg",
}


def _snake(name: str) -> str:
    return _RENAME.get(name) or re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def read(path: str | os.PathLike[str], *, totals_only: bool = True, strict: bool = False) -> pd.DataFrame:
    """Read Comtrade v1 records (JSON response or CSV download) into a typed frame.

    Columns (Comtrade's names in snake case, the main ones renamed): ``freq`` (``A``/``M``),
    ``period_code`` (str, ``"2024"`` or ``"202401"``), ``year`` (int16), ``period`` (``Period[M]``; NaT on
    annual records, whose ``refMonth`` is 52), ``reporter``, ``partner``, ``partner2`` (str M49 codes,
    ``"0"`` World), ``flow`` (``M``, ``X``, ``RM``, ``RX``…), ``classification`` (``H3``…), ``cmd_code`` (str,
    leading zeros kept), ``customs_code``, ``mot_code``, ``mos_code`` (str, stripped: the real files have
    ``"0 "``), ``primary_value``, ``cif_value``, ``fob_value`` (USD), ``qty``, ``alt_qty``,
    ``net_weight_kg``, ``gross_weight_kg`` (float64, NaN where empty), the ``is_*`` flags (bool) and every
    other field as str.

    ``totals_only`` keeps the records with partner2 0, customs C00, mode of transport 0 and mode of supply
    0 — the totals — so that sums do not double count; ``frame.attrs["dropped_breakdowns"]`` says how many
    breakdown records were dropped. ``source_file`` (category) is `path` as given. Descriptions
    (``reporter_desc``, ``partner_desc``, ``cmd_desc``) are kept as the file has them. A file without
    records (or without totals) carries a ``no_rows`` note (`econ.sources.notes`); ``strict=True`` raises
    instead. Raises InputFormatError naming the file, the record (1-based) and the field for a truncated
    file, missing fields, a non-numeric value, or a repeated record key.
    """
    source = Path(path)
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputFormatError(source, f"cannot read the file: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise InputFormatError(source, "not UTF-8 text", expected="a Comtrade JSON or CSV file") from error
    if not text.strip():
        raise InputFormatError(source, "the file is empty", expected="Comtrade records")
    records = _json_records(source, text) if text.lstrip().startswith("{") else _csv_records(source, text)
    frame = _typed(source, records)
    dropped = 0
    if totals_only:
        total = (
            (frame["partner2"] == "0")
            & (frame["customs_code"] == "C00")
            & (frame["mot_code"] == "0")
            & (frame["mos_code"].isin(["0", ""]) if "mos_code" in frame.columns else True)
        ).to_numpy(dtype=bool)
        dropped = int((~total).sum())
        frame = frame.loc[total].reset_index(drop=True)
    frame["source_file"] = source_file_column(source, len(frame))
    frame.attrs["dropped_breakdowns"] = dropped
    found = []
    if frame.empty:
        why = "no records" if not dropped else f"no totals: all {dropped:,} records are breakdowns"
        found.append(note(source, "no_rows", f"{why} (partner2 0, customs C00, transport 0)", value=0.0))
    return attach(frame, found, strict=strict)


def _json_records(source: Path, text: str) -> tuple[list[str], list[list[str]], list[str]]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFormatError(
            source,
            f"not valid JSON ({error.msg}) — truncated?",
            where=f"line {error.lineno}, column {error.colno}",
        ) from error
    if not isinstance(payload, dict):
        raise InputFormatError(
            source, "top level is not an object", expected='{"count": n, "data": [records]}'
        )
    if payload.get("error"):
        raise InputFormatError(source, f"Comtrade answered with an error: {payload['error']}", where="error")
    data = payload.get("data")
    if not isinstance(data, list):
        raise InputFormatError(source, "no 'data' list", expected='{"count": n, "data": [records]}')
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InputFormatError(source, f"{item!r:.40} is not a record", where=f"record {number}")
    columns = list(dict.fromkeys(key for item in data for key in item)) if data else list(_REQUIRED)
    rows = []
    for item in data:
        rows.append(["" if item.get(name) is None else str(item.get(name)) for name in columns])
    return columns, rows, [f"record {n}" for n in range(1, len(rows) + 1)]


def _csv_records(source: Path, text: str) -> tuple[list[str], list[list[str]], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
        rows, where = [], []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise InputFormatError(
                    source,
                    f"row has {len(row)} fields, the header has {len(header)} — truncated?",
                    where=f"line {reader.line_num}",
                )
            rows.append(row)
            where.append(f"line {reader.line_num}")
    except csv.Error as error:
        raise InputFormatError(source, f"malformed CSV ({error})", where=f"line {reader.line_num}") from error
    return header, rows, where


def _typed(source: Path, records: tuple[list[str], list[list[str]], list[str]]) -> pd.DataFrame:
    header, rows, where = records
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise InputFormatError(
            source, f"missing field(s) {', '.join(missing)}", where="header", expected="Comtrade v1 records"
        )
    if len(set(header)) != len(header):
        raise InputFormatError(source, "a field name repeats in the header", where="header")
    raw = pd.DataFrame(rows, columns=header, dtype="str").apply(lambda column: column.str.strip())
    places = pd.Series(where, dtype="str")

    def fail(mask: np.ndarray, field: str, expected: str) -> None:
        position = int(np.flatnonzero(mask)[0])
        raise InputFormatError(
            source,
            f"{field} is {raw[field].iloc[position]!r}",
            where=f"{places.iloc[position]}, field {field}",
            expected=expected,
        )

    out: dict[str, object] = {}
    for name in header:
        column = raw[name]
        if name in _NUMBERS:
            blank = (column == "").to_numpy()
            values = pd.to_numeric(column.where(~blank, None), errors="coerce").astype("float64")
            bad = values.isna().to_numpy() & ~blank
            if bad.any():
                fail(bad, name, "a number")
            out[_snake(name)] = values
        elif name in _CODES:
            bad = ~column.str.fullmatch(r"-?\d*").fillna(False).to_numpy(dtype=bool)
            if bad.any():
                fail(bad, name, "a numeric code")
            out[_snake(name)] = column
        elif name in _FLAGS:
            lowered = column.str.lower()
            bad = ~lowered.isin(["true", "false", ""]).to_numpy()
            if bad.any():
                fail(bad, name, "True or False")
            out[_snake(name)] = (lowered == "true").to_numpy()
        else:
            out[_snake(name)] = column
    frame = pd.DataFrame(out)

    freq = frame["freq"]
    bad_freq = ~freq.isin(["A", "M"]).to_numpy()
    if bad_freq.any():
        fail(bad_freq, "freqCode", "A or M")
    code = frame["period_code"]
    good = np.where(
        (freq == "M").to_numpy(),
        code.str.fullmatch(r"\d{4}(0[1-9]|1[0-2])").fillna(False).to_numpy(dtype=bool),
        code.str.fullmatch(r"\d{4}").fillna(False).to_numpy(dtype=bool),
    )
    if not good.all():
        fail(~good, "period", "YYYY for annual records, YYYYMM for monthly ones")
    frame.insert(1, "year", code.str[:4].astype("int16"))
    monthly = (freq == "M").to_numpy()
    period = pd.Series(pd.NaT, index=frame.index, dtype="period[M]")
    if monthly.any():
        labels = (code.str[:4] + "-" + code.str[4:6]).to_numpy(dtype=object)[monthly]
        period.iloc[np.flatnonzero(monthly)] = pd.PeriodIndex(labels, freq="M")
    frame.insert(2, "period", period)

    key = [name for name in _KEY if name in frame.columns]
    duplicated = frame.duplicated(key, keep=False).to_numpy()
    if duplicated.any():
        at = places[duplicated].tolist()[:2]
        raise InputFormatError(
            source,
            f"{' and '.join(at)} repeat the key "
            + ", ".join(f"{k}={frame.loc[duplicated, k].iloc[0]}" for k in key),
            where=at[-1],
            expected="one record per " + " × ".join(key),
        )
    return frame
