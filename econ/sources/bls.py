"""Bureau of Labor Statistics: the time.series flat files and the public API v2 JSON.

Surveys read: ``ei`` (import/export price indexes, including by origin and destination), ``pc`` (PPI by
industry) and ``wp`` (PPI by commodity) — all in one layout.

Flat files (https://download.bls.gov/pub/time.series/<survey>/, base overridable with ``base_url=`` or
ECON_BLS_URL):

* ``<survey>.series`` — tab-separated, one header row, ``series_id`` padded with trailing spaces, CRLF
  line ends in some surveys; the other columns differ by survey (``ei`` has ``index_code``,
  ``series_name``, ``base_period`` such as ``December 2017=100``; ``wp`` has ``group_code``, ``item_code``,
  ``base_date`` such as ``198200``). Base periods differ between series of one survey.
* ``<survey>.data.<n>.<Name>`` — ``series_id  year  period  value  footnote_codes``; ``period`` is
  ``M01``–``M12`` for months, ``M13`` for the annual average (not a 13th month), ``Q01``… or ``S01``… in
  some surveys; ``value`` is padded and ``-`` when missing (the footnote code says why).
* ``<survey>.footnote`` — ``footnote_code  footnote_text``.

API v2 (POST https://api.bls.gov/publicAPI/v2/timeseries/data/, base overridable with ECON_BLS_API_URL):
``{"status": "REQUEST_SUCCEEDED", "Results": {"series": [{"seriesID": …, "data": [{"year", "period",
"periodName", "value", "footnotes": [{"code", "text"}]}]}]}}``; the key (BLS_API_KEY) travels in the body.
Without a key the API allows 25 queries a day, 10 years and 25 series per query.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError, ParameterError

Periods = Literal["monthly", "annual", "all"]
PERIODS: tuple[str, ...] = get_args(Periods)
Survey = Literal["ei", "pc", "wp"]
SURVEYS: tuple[str, ...] = get_args(Survey)

DEFAULT_FLAT_URL = "https://download.bls.gov/pub/time.series"
DEFAULT_API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"

_DATA_COLUMNS = ("series_id", "year", "period", "value")
_PERIOD = re.compile(r"^(M(0[1-9]|1[0-3])|Q0[1-5]|S0[1-3]|A01)$")


def read(path: str | os.PathLike[str], *, periods: Periods = "monthly") -> pd.DataFrame:
    """Read any BLS file, telling the kind from its content: API v2 JSON, a ``.series`` file (header has
    ``series_title``), a ``.data`` file (header has ``value``) or a ``.footnote`` file."""
    source = Path(path)
    head = _read_text(source)[:4096].lstrip()
    if head.startswith("{"):
        return read_api(source, periods=periods)
    first = head.splitlines()[0] if head else ""
    names = [name.strip() for name in first.split("\t")]
    if "value" in names:
        return read_data(source, periods=periods)
    if "series_title" in names:
        return read_series(source)
    if "footnote_code" in names:
        return read_footnotes(source)
    raise InputFormatError(
        source,
        f"not a BLS file I know: header {first[:120]!r}",
        where="line 1",
        expected="a .series, .data.* or .footnote flat file, or API v2 JSON",
    )


def read_series(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Series metadata: one row per series, every column of the file as str (stripped), except
    ``begin_year`` and ``end_year`` (Int16). ``base`` repeats ``base_period`` (ei) or ``base_date`` (wp, pc)
    so that every survey has one column saying what equals 100."""
    source = Path(path)
    header, rows = _table(source, required=("series_id", "series_title"))
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    for name in ("begin_year", "end_year"):
        if name in frame.columns:
            frame[name] = _integers(source, frame[name], name, allow_blank=True)
    base = next((name for name in ("base_period", "base_date") if name in frame.columns), None)
    frame["base"] = frame[base] if base else pd.Series([pd.NA] * len(frame), dtype="str")
    return _unique(source, frame, ["series_id"])


def read_footnotes(path: str | os.PathLike[str]) -> pd.DataFrame:
    """``footnote_code`` → ``footnote_text`` (both str)."""
    source = Path(path)
    header, rows = _table(source, required=("footnote_code", "footnote_text"))
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    return _unique(source, frame, ["footnote_code"])


def read_data(path: str | os.PathLike[str], *, periods: Periods = "monthly") -> pd.DataFrame:
    """Observations of a ``.data`` file.

    Columns: ``series_id`` (str, stripped), ``year`` (int16), ``bls_period`` (str: ``M01``…``M13``,
    ``Q01``…), ``period`` (``Period[M]``; NaT on annual and quarterly rows), ``value`` (float64; NaN where
    the file has ``-``), ``footnote_codes`` (str).

    ``periods``: ``"monthly"`` keeps M01–M12, ``"annual"`` keeps the annual averages (M13, A01) with
    ``period`` NaT, ``"all"`` keeps every row — so an annual average is never read as a 13th month.
    """
    source = Path(path)
    _check_periods(periods)
    header, rows = _table(source, required=_DATA_COLUMNS)
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    if "footnote_codes" not in frame.columns:
        frame["footnote_codes"] = ""
    return _observations(source, frame, periods=periods, first_line=2)


def read_api(path: str | os.PathLike[str], *, periods: Periods = "monthly") -> pd.DataFrame:
    """An API v2 response, in the same columns as `read_data` (``footnote_codes`` joins the codes)."""
    source = Path(path)
    _check_periods(periods)
    try:
        payload = json.loads(_read_text(source))
    except json.JSONDecodeError as error:
        raise InputFormatError(
            source, f"not valid JSON ({error.msg}) — truncated?", where=f"line {error.lineno}"
        ) from error
    status = payload.get("status") if isinstance(payload, dict) else None
    if status != "REQUEST_SUCCEEDED":
        messages = payload.get("message") if isinstance(payload, dict) else None
        message = "; ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages or "")
        raise InputFormatError(
            source,
            f"the BLS API did not succeed (status {status!r}): {message or 'no message'}",
            where="status",
            expected="REQUEST_SUCCEEDED",
        )
    try:
        series = payload["Results"]["series"]
    except (KeyError, TypeError) as error:
        raise InputFormatError(source, "no Results.series", where="Results") from error
    if not isinstance(series, list):
        raise InputFormatError(source, "Results.series is not a list", where="Results.series")
    records = []
    for s_index, block in enumerate(series):
        if not isinstance(block, dict) or "seriesID" not in block:
            raise InputFormatError(source, "series without seriesID", where=f"Results.series[{s_index}]")
        data = block.get("data", [])
        if not isinstance(data, list):
            raise InputFormatError(source, "data is not a list", where=f"Results.series[{s_index}].data")
        for d_index, item in enumerate(data):
            where = f"Results.series[{s_index}].data[{d_index}]"
            if not isinstance(item, dict):
                raise InputFormatError(
                    source, f"observation is {item!r:.40}", where=where, expected="an object"
                )
            missing = [key for key in ("year", "period", "value") if key not in item]
            if missing:
                raise InputFormatError(source, f"missing {', '.join(missing)}", where=where)
            notes = item.get("footnotes") or []
            if not isinstance(notes, list):
                raise InputFormatError(source, "footnotes is not a list", where=f"{where}.footnotes")
            codes = ",".join(
                str(note.get("code")) for note in notes if isinstance(note, dict) and note.get("code")
            )
            records.append((block["seriesID"], item["year"], item["period"], item["value"], codes, where))
    frame = pd.DataFrame(
        records, columns=["series_id", "year", "period", "value", "footnote_codes", "where"], dtype="str"
    )
    return _observations(source, frame, periods=periods, first_line=None)


def _check_periods(periods: str) -> None:
    if periods not in PERIODS:
        raise ParameterError([("periods", f"{periods!r} is not one of {', '.join(PERIODS)}")])


def _read_text(source: Path) -> str:
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise InputFormatError(source, f"cannot read the file: {error.strerror or error}") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _table(source: Path, *, required: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """Tab-separated text → stripped header and rows, each row checked for its number of fields."""
    text = _read_text(source)
    lines = text.splitlines()  # CRLF or LF
    if not lines:
        raise InputFormatError(source, "the file is empty", expected="a header row")
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise InputFormatError(source, f"unreadable header ({error})", where="line 1") from error
    missing = [name for name in required if name not in header]
    if missing:
        raise InputFormatError(
            source,
            f"header lacks {', '.join(missing)} (has {', '.join(header)})",
            where="line 1",
            expected="the BLS flat-file header with " + ", ".join(required),
        )
    named = [name for name in header if name]
    if len(named) != len(header) or len(set(named)) != len(named):
        raise InputFormatError(
            source, f"header has empty or repeated column names ({', '.join(header)})", where="line 1"
        )
    rows = []
    for number, row in enumerate(_rows(source, reader), start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            raise InputFormatError(
                source,
                f"row has {len(row)} fields, the header has {len(header)} — truncated?",
                where=f"line {number}",
            )
        rows.append([cell.strip() for cell in row] + [f"line {number}"])
    header = [*header, "where"]
    return header, rows


def _rows(source: Path, reader: Any) -> Iterator[list[str]]:
    """The rows of a csv reader, its own errors turned into one naming the file and line."""
    try:
        yield from reader
    except csv.Error as error:
        raise InputFormatError(
            source, f"malformed line ({error})", where=f"line {reader.line_num}"
        ) from error


def _integers(source: Path, values: pd.Series, name: str, *, allow_blank: bool = False) -> pd.Series:
    blank = values.isna() | (values == "")
    good = values.str.fullmatch(r"\d{4}").fillna(False) | (blank if allow_blank else False)
    if not good.all():
        position = int(np.flatnonzero(~good.to_numpy(dtype=bool))[0])
        raise InputFormatError(
            source,
            f"{name} is {values.iloc[position]!r}",
            where=f"row {position + 1}, field {name}",
            expected="a 4-digit year",
        )
    return pd.to_numeric(values.where(~blank, None)).astype("Int16")


def _observations(source: Path, frame: pd.DataFrame, *, periods: str, first_line: int | None) -> pd.DataFrame:
    where = frame.pop("where") if "where" in frame.columns else pd.Series([""] * len(frame))

    def fail(mask: pd.Series, field: str, expected: str) -> None:
        position = int(np.flatnonzero(mask.to_numpy(dtype=bool))[0])
        raise InputFormatError(
            source,
            f"{field} is {frame[field].iloc[position]!r}",
            where=f"{where.iloc[position]}, field {field}",
            expected=expected,
        )

    year_ok = frame["year"].str.fullmatch(r"\d{4}").fillna(False)
    if not year_ok.all():
        fail(~year_ok, "year", "a 4-digit year")
    period_ok = frame["period"].str.fullmatch(_PERIOD.pattern).fillna(False)
    if not period_ok.all():
        fail(~period_ok, "period", "M01–M13, Q01–Q05, S01–S03 or A01")
    text = frame["value"].fillna("").str.strip()
    missing = text.isin(["-", ""])
    value = pd.to_numeric(text.where(~missing, None), errors="coerce").astype("float64")
    bad = value.isna() & ~missing
    if bad.any():
        fail(bad, "value", "a number, or '-' for missing")

    bls_period = frame["period"]
    monthly = bls_period.str.fullmatch(r"M(0[1-9]|1[0-2])").fillna(False).to_numpy(dtype=bool)
    annual = bls_period.isin(["M13", "A01"]).to_numpy(dtype=bool)
    month = pd.Series(pd.NaT, index=frame.index, dtype="period[M]")
    if monthly.any():
        labels = (frame["year"] + "-" + bls_period.str[1:]).to_numpy(dtype=object)[monthly]
        month.iloc[np.flatnonzero(monthly)] = pd.PeriodIndex(labels, freq="M")
    out = pd.DataFrame(
        {
            "series_id": frame["series_id"].astype("str"),
            "year": frame["year"].astype("int16"),
            "bls_period": bls_period.astype("str"),
            "period": month,
            "value": value,
            "footnote_codes": frame["footnote_codes"].fillna("").astype("str"),
        }
    )
    keep = {"monthly": monthly, "annual": annual, "all": np.ones(len(out), dtype=bool)}[periods]
    duplicated = out.duplicated(["series_id", "year", "bls_period"], keep=False).to_numpy()
    if duplicated.any():
        rows = where[duplicated].tolist()[:2]
        first = out.loc[duplicated].iloc[0]
        raise InputFormatError(
            source,
            f"{first['series_id']} {first['year']} {first['bls_period']} appears twice "
            f"({' and '.join(rows)})",
            where=rows[-1],
            expected="one value per series × year × period",
        )
    return out.loc[keep].reset_index(drop=True)


def _unique(source: Path, frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    duplicated = frame.duplicated(key, keep=False)
    if duplicated.any():
        rows = frame.loc[duplicated, "where"].tolist()[:2]
        raise InputFormatError(
            source,
            f"{key[0]} {frame.loc[duplicated, key[0]].iloc[0]!r} appears twice ({' and '.join(rows)})",
            where=rows[-1],
            expected=f"one row per {key[0]}",
        )
    return frame.drop(columns="where")


# ---------------------------------------------------------------------------------------------------
# Fetching


def flat_url(survey: str, *, base_url: str | None = None) -> str:
    base = base_url or os.environ.get("ECON_BLS_URL") or DEFAULT_FLAT_URL
    return f"{base.rstrip('/')}/{survey}/"


def fetch(
    survey: Survey = "ei",
    *,
    files: Sequence[str] = ("series", "data.0.Current", "footnote"),
    vintage: str | None = None,
    force: bool = False,
    base_url: str | None = None,
    timeout: float | tuple[float, float] = (10.0, 300.0),
    retries: int = 4,
    backoff: float = 2.0,
) -> list[Path]:
    """Download flat files ``<survey>.<file>`` into data/raw/bls/<vintage>/ and return their paths.

    BLS refuses requests without a User-Agent it can contact: set ECON_CONTACT_EMAIL (it is appended to
    the User-Agent) if the server answers 403.
    """
    from econ.sources import http

    if survey not in SURVEYS:
        raise ParameterError(
            [("survey", f"{survey!r} is not one of {', '.join(SURVEYS)}")], context="bls.fetch"
        )
    bad = [name for name in files if not re.fullmatch(r"[A-Za-z0-9_.]+", name) or ".." in name]
    if bad:
        raise ParameterError([("files", f"{bad} are not BLS file names such as data.0.Current")])
    folder = http.vintage_dir("bls", vintage)
    url = flat_url(survey, base_url=base_url)
    return [
        http.download(
            url + f"{survey}.{name}",
            folder / f"{survey}.{name}",
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            force=force,
        )
        for name in files
    ]


def fetch_api(
    series_ids: Sequence[str],
    *,
    start_year: int,
    end_year: int,
    vintage: str | None = None,
    force: bool = False,
    base_url: str | None = None,
    key: str | None = None,
    timeout: float | tuple[float, float] = (10.0, 120.0),
    retries: int = 4,
    backoff: float = 2.0,
) -> Path:
    """POST one API v2 query; save the JSON response as ``api_<first series>_<n>_<start>-<end>.json``.

    The key comes from ``key`` or BLS_API_KEY and travels only in the request body (never in the name,
    the sidecar or a message)."""
    from econ.sources import http

    problems = []
    if not series_ids:
        problems.append(("series_ids", "at least one series id"))
    if start_year > end_year:
        problems.append(("start_year", f"{start_year} is after end_year {end_year}"))
    if problems:
        raise ParameterError(problems, context="bls.fetch_api")
    ids = [series.strip() for series in series_ids]
    secret = key or os.environ.get("BLS_API_KEY")
    body: dict[str, object] = {"seriesid": ids, "startyear": str(start_year), "endyear": str(end_year)}
    if secret:
        body["registrationkey"] = secret
    url = base_url or os.environ.get("ECON_BLS_API_URL") or DEFAULT_API_URL
    name = f"api_{re.sub(r'[^A-Za-z0-9]', '', ids[0])}_{len(ids)}_{start_year}-{end_year}.json"
    return http.download(
        url,
        http.vintage_dir("bls", vintage) / name,
        method="POST",
        json_body=body,
        secret_json=("registrationkey",),
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        force=force,
        check=_reject_unprocessed,
    )


def _reject_unprocessed(path: Path) -> None:
    """Keep refusals (daily limit reached, bad key, bad series) out of the cache."""
    from econ.errors import FetchError
    from econ.sources import http

    payload = http.json_answer(path, "the BLS API")
    status = payload.get("status") if isinstance(payload, dict) else None
    if status != "REQUEST_SUCCEEDED":
        messages = payload.get("message") if isinstance(payload, dict) else None
        message = "; ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages or "")
        raise FetchError(f"the BLS API refused the query (status {status}): {message or 'no message'}")
