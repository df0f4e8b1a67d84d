"""Bureau of Labor Statistics: the time.series flat files and the public API v2 JSON.

Surveys read: ``ei`` (import/export price indexes, including by origin and destination), ``pc`` (PPI by
industry) and ``wp`` (PPI by commodity) — all in one layout.

Flat files (https://download.bls.gov/pub/time.series/<survey>/; `econ.sources.fetch.bls` downloads
them and the API answers):

* ``<survey>.series`` — tab-separated, one header row, ``series_id`` padded with trailing spaces, CRLF
  line ends in some surveys; the other columns differ by survey (``ei`` has ``index_code``,
  ``series_name``, ``base_period`` such as ``December 2017=100``; ``wp`` has ``group_code``, ``item_code``,
  ``base_date`` such as ``198200``). Base periods differ between series of one survey.
* ``<survey>.data.<n>.<Name>`` — ``series_id  year  period  value  footnote_codes``; ``period`` is
  ``M01``–``M12`` for months, ``M13`` for the annual average (not a 13th month), ``Q01``… or ``S01``… in
  some surveys; ``value`` is padded and ``-`` when missing (the footnote code says why).
* ``<survey>.footnote`` — ``footnote_code  footnote_text``.

API v2 (POST https://api.bls.gov/publicAPI/v2/timeseries/data/):
``{"status": "REQUEST_SUCCEEDED", "Results": {"series": [{"seriesID": …, "data": [{"year", "period",
"periodName", "value", "footnotes": [{"code", "text"}]}]}]}}``.

`prices` joins observations with their series' metadata (what is priced, origin, base period) into the
tidy frame a prices panel is built from. Titles and names are kept as BLS writes them.

One module of some 490 lines, on purpose: the flat files, the API answers and the prices join share one
observation layout; the fetcher lives apart (`econ.sources.fetch.bls`).
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
from econ.sources.notes import attach, note, source_file_column

Periods = Literal["monthly", "annual", "all"]
PERIODS: tuple[str, ...] = get_args(Periods)
Survey = Literal["ei", "pc", "wp"]
SURVEYS: tuple[str, ...] = get_args(Survey)


_DATA_COLUMNS = ("series_id", "year", "period", "value")
_PERIOD = re.compile(r"^(M(0[1-9]|1[0-3])|Q0[1-5]|S0[1-3]|A01)$")


def read(path: str | os.PathLike[str], *, periods: Periods = "monthly", strict: bool = False) -> pd.DataFrame:
    """Read any BLS file, telling the kind from its content: API v2 JSON, a ``.series`` file (header has
    ``series_title``), a ``.data`` file (header has ``value``) or a ``.footnote`` file."""
    source = Path(path)
    head = _read_text(source)[:4096].lstrip()
    if head.startswith("{"):
        return read_api(source, periods=periods, strict=strict)
    first = head.splitlines()[0] if head else ""
    names = [name.strip() for name in first.split("\t")]
    if "value" in names:
        return read_data(source, periods=periods, strict=strict)
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


def read_data(
    path: str | os.PathLike[str], *, periods: Periods = "monthly", strict: bool = False
) -> pd.DataFrame:
    """Observations of a ``.data`` file.

    Columns: ``series_id`` (str, stripped), ``year`` (int16), ``bls_period`` (str: ``M01``…``M13``,
    ``Q01``…), ``period`` (``Period[M]``; NaT on annual and quarterly rows), ``value`` (float64; NaN where
    the file has ``-``), ``footnote_codes`` (str), ``source_file`` (category: `path` as given).
    A file with no observations of the periods asked for carries a ``no_rows`` note
    (`econ.sources.notes`); ``strict=True`` raises instead.

    ``periods``: ``"monthly"`` keeps M01–M12, ``"annual"`` keeps the annual averages (M13, A01) with
    ``period`` NaT, ``"all"`` keeps every row — so an annual average is never read as a 13th month.
    """
    source = Path(path)
    _check_periods(periods)
    header, rows = _table(source, required=_DATA_COLUMNS)
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    if "footnote_codes" not in frame.columns:
        frame["footnote_codes"] = ""
    return _observations(source, frame, periods=periods, strict=strict)


def read_api(
    path: str | os.PathLike[str], *, periods: Periods = "monthly", strict: bool = False
) -> pd.DataFrame:
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
    return _observations(source, frame, periods=periods, strict=strict)


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


def _observations(source: Path, frame: pd.DataFrame, *, periods: str, strict: bool) -> pd.DataFrame:
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
    out = out.loc[keep].reset_index(drop=True)
    out["source_file"] = source_file_column(source, len(out))
    if out.empty:
        return attach(
            out, [note(source, "no_rows", f"no {periods} observations in the file", value=0.0)], strict=strict
        )
    return out


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
# Price series with what they measure

Measure = Literal[
    "import_by_origin", "export_by_destination", "import", "export", "ppi_commodity", "ppi_industry"
]
MEASURES: tuple[str, ...] = get_args(Measure)

_MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}  # fmt: skip
_TITLE_PREFIX = re.compile(r"^PPI (Commodity|industry) data for ", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r",\s*(not )?seasonally adjusted\s*$", re.IGNORECASE)
_TITLE_NAICS = re.compile(r"\bfor NAICS (\d{2,6})\b")

PRICE_COLUMNS = (
    "survey", "series_id", "measure", "origin", "naics", "item", "seasonal", "base", "base_period",
    "base_year", "title", "year", "bls_period", "period", "value", "footnote_codes", "source_file",
)  # fmt: skip


def prices(observations: pd.DataFrame, series: pd.DataFrame, *, strict: bool = False) -> pd.DataFrame:
    """Observations (`read_data`, `read_api`) with what each series measures (`read_series`), tidy: one
    row per observation, columns PRICE_COLUMNS —

    * ``survey`` (``ei``, ``pc``, ``wp``: the id's first letters), ``series_id``;
    * ``measure`` — ``import_by_origin`` (ei index CO: ``EIUCOCHNTOT``, imports from China),
      ``export_by_destination`` (ei CD), ``import`` / ``export`` (the other ei indexes, by the title),
      ``ppi_commodity`` (wp), ``ppi_industry`` (pc);
    * ``origin`` — the country or region of origin (CO) or destination (CD), as BLS names it
      (``China``, ``Industrialized Countries``); missing for other series;
    * ``naics`` — the NAICS industry a CO/CD series covers (``325``; missing for all industries);
    * ``item`` — what is priced, as BLS words it (``Chemical manufacturing``, ``Farm products-Fresh fruits
      and melons``); ``seasonal`` (``S``/``U``); ``title`` (``series_title``);
    * ``base`` — the base as printed (``December 2003=100``, ``198200``); ``base_period`` (``Period[M]``,
      the month equal to 100; NaT when the base is a year's average) and ``base_year`` (Int16) — base
      periods differ between series, so levels of two series are not comparable, changes are;
    * the observation's ``year``, ``bls_period``, ``period``, ``value``, ``footnote_codes``,
      ``source_file``.

    Observations whose series is not in `series` keep missing metadata and put a ``missing_code`` note on
    ``attrs["notes"]`` (`econ.sources.notes`); ``strict=True`` raises InputFormatError instead.
    """
    meta = series.drop_duplicates("series_id").set_index("series_id")
    ids = observations["series_id"].astype("str")
    known = ids.isin(meta.index).to_numpy(dtype=bool)

    def field(name: str) -> pd.Series:
        if name not in meta.columns:
            return pd.Series(pd.NA, index=observations.index, dtype="str")
        return ids.map(meta[name]).astype("str")

    index_code = field("index_code")
    title = field("series_title")
    name = field("series_name")
    survey = ids.str[:2].str.lower()
    origin_item = name.str.split("-", n=1, expand=True) if name.notna().any() else None
    by_place = index_code.isin(["CO", "CD"]).to_numpy(dtype=bool)
    # "Import/Export Price Indexes: All imports": the series name says which side, the title both.
    lowered = name.fillna(title.fillna("")).str.lower()
    measure = np.select(
        [
            by_place & (index_code == "CO").to_numpy(dtype=bool),
            by_place & (index_code == "CD").to_numpy(dtype=bool),
            ((survey == "ei") & lowered.str.contains("export")).to_numpy(dtype=bool),
            (survey == "ei").to_numpy(dtype=bool),
            (survey == "wp").to_numpy(dtype=bool),
            (survey == "pc").to_numpy(dtype=bool),
        ],
        ["import_by_origin", "export_by_destination", "export", "import", "ppi_commodity", "ppi_industry"],
        default="",
    )
    if origin_item is not None and origin_item.shape[1] == 2:
        origin = origin_item[0].where(by_place)
        item = origin_item[1].where(by_place, name)
    else:
        origin = pd.Series(pd.NA, index=observations.index, dtype="str")
        item = name
    from_title = (
        title.fillna("").str.replace(_TITLE_PREFIX, "", regex=True).str.replace(_TITLE_SUFFIX, "", regex=True)
    )
    item = item.where(item.notna() & (item != ""), from_title.where(title.notna()))
    base = field("base")
    base_period, base_year = _base_periods(base)
    out = pd.DataFrame(
        {
            "survey": survey.astype("str"),
            "series_id": ids,
            "measure": pd.Series(measure, index=observations.index)
            .where(known)
            .replace("", pd.NA)
            .astype("str"),
            "origin": origin.astype("str"),
            "naics": title.str.extract(_TITLE_NAICS, expand=False).astype("str"),
            "item": item.astype("str"),
            "seasonal": field("seasonal"),
            "base": base,
            "base_period": base_period,
            "base_year": base_year,
            "title": title,
            "year": observations["year"],
            "bls_period": observations["bls_period"],
            "period": observations["period"],
            "value": observations["value"],
            "footnote_codes": observations["footnote_codes"],
            "source_file": observations.get("source_file", pd.Series(pd.NA, index=observations.index)),
        }
    )
    found = []
    if not known.all():
        unknown = sorted(set(ids[~known]))
        source = (
            str(observations["source_file"].iloc[0]) if "source_file" in observations else "<observations>"
        )
        found.append(
            note(
                source,
                "missing_code",
                f"{int((~known).sum()):,} observations of {len(unknown)} series not in the series file: "
                + ", ".join(unknown[:5])
                + ("…" if len(unknown) > 5 else ""),
                rows=int((~known).sum()),
                codes=unknown,
            )
        )
    return attach(out, found, strict=strict)


def _base_periods(base: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``December 2003=100`` → (2003-12, 2003); ``2000=100`` → (NaT, 2000); ``198200`` → (NaT, 1982);
    ``198412`` → (1984-12, 1984); anything else → (NaT, <NA>)."""
    months: list[object] = []
    years: list[object] = []
    for text in base.fillna("").astype("str"):
        clean = text.strip()
        named = re.fullmatch(r"([A-Za-z]+)\s+(\d{4})\s*=\s*100", clean)
        annual = re.fullmatch(r"(\d{4})\s*=\s*100", clean)
        coded = re.fullmatch(r"(\d{4})(\d{2})", clean)
        if named and named.group(1).lower() in _MONTHS:
            year, month = int(named.group(2)), _MONTHS[named.group(1).lower()]
        elif annual:
            year, month = int(annual.group(1)), 0
        elif coded and int(coded.group(2)) <= 12:
            year, month = int(coded.group(1)), int(coded.group(2))
        else:
            months.append(pd.NaT)
            years.append(pd.NA)
            continue
        months.append(pd.Period(year=year, month=month, freq="M") if month else pd.NaT)
        years.append(year)
    return (
        pd.Series(months, index=base.index, dtype="period[M]"),
        pd.Series(years, index=base.index, dtype="Int16"),
    )
