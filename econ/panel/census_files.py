"""Census International Trade API files, sorted into the panels they feed.

A real dataset holds whatever its user pulled: one file per month, per partner, per commodity group or per
year, in one vintage folder or several (data/raw/census/<vintage>/), monthly variables (``CON_VAL_MO``) or
annual and year-to-date ones (``CON_VAL_YR`` at ``time=2024-12``), by HS commodity or by NAICS. Each file
is read by `econ.sources.census.read` and sorted by what it holds, not by its name:

========================  =====================================  ===========================
what the file holds       how it is told                         panel
========================  =====================================  ===========================
imports by HS10, monthly  CON_VAL_MO / GEN_VAL_MO, 10-digit codes ``imports``
imports by HS10, annual   CON_VAL_YR / GEN_VAL_YR, 10-digit codes ``imports_annual``
imports by NAICS, monthly NAICS column, CON_VAL_MO / GEN_VAL_MO   ``imports_naics``
exports by HS10, monthly  ALL_VAL_MO, 10-digit codes              ``exports``
========================  =====================================  ===========================

Value variables lose their ``_mo``/``_yr`` suffix here (``con_val``, ``cal_dut``, ``con_qy1``), since the
frequency is the panel's. Nothing is dropped in silence: a file with no rows (the API's HTTP 204 answer to
a query that matched nothing), or rows no panel takes (imports at HS6, NAICS exports), are reported with
the file, the rows and the value, and ``strict=True`` makes them errors. Two files holding the same rows
(the same month fetched into two vintages, two partners' files saved under one name in two folders that
overlap) are an error naming both files: keep one, or pick a vintage with ``econ build --vintage``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from econ.errors import InputFormatError

Kind = Literal["imports", "imports_annual", "imports_naics", "exports"]
KINDS: tuple[Kind, ...] = ("imports", "imports_annual", "imports_naics", "exports")

_SUFFIX = re.compile(r"_(mo|yr)$")


@dataclass
class CensusRows:
    """Every Census file of a dataset, sorted by the panel it feeds, and what was left out and why.

    The rows themselves are not held here: each file's rows go to one Parquet part in a scratch folder as
    soon as it is read (so a build's memory follows its largest file, not its dataset), and `rows` or
    `scan` read them back — one panel, or one year of one panel, at a time.
    """

    parts: dict[str, list[Path]] = field(default_factory=dict)
    """Panel → its scratch Parquet parts, one per file."""
    problems: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    """Rows placed by their country name (no CTY_CODE): said in the build's notes, not problems."""
    """Files with no rows, rows no panel takes: one line each, for the manifest and the screen."""
    files: dict[str, list[str]] = field(default_factory=dict)
    """Panel → the files it was built from."""

    def __contains__(self, panel: str) -> bool:
        return panel in self.parts

    def scan(self, panel: str) -> pl.LazyFrame:
        """The rows of `panel`, lazily (polars), for aggregates over a dataset larger than memory."""
        return pl.scan_parquet(self.parts[panel])

    def rows(self, panel: str, *, year: int | None = None) -> pd.DataFrame:
        """The rows of `panel` (of one `year` of it), as the readers gave them, suffixes removed."""
        frame = self.scan(panel)
        if year is not None:
            frame = frame.filter(pl.col("period").dt.year() == year)
        return frame.collect().to_pandas()

    def years(self, panel: str) -> list[int]:
        """The calendar years `panel` has rows in, in order."""
        found = self.scan(panel).select(pl.col("period").dt.year().unique().sort()).collect()
        return [int(year) for year in found.to_series()]


def label(path: Path, root: Path | None) -> str:
    """How a file is named in messages and in the panels' ``source_file``: its path under data/raw."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return path.name


def classify(frame: pd.DataFrame, path: Path) -> tuple[Kind | None, str]:
    """Which panel a file's rows feed (None: none does) and, when none, why."""
    columns = set(frame.columns)
    frequency = "mo" if any(c.endswith("_mo") for c in columns) else "yr"
    imports = bool(columns & {f"con_val_{frequency}", f"gen_val_{frequency}"})
    exports = f"all_val_{frequency}" in columns
    naics = any(c.startswith("naics") for c in columns) or "naics" in path.name.lower()
    lengths = set(frame["commodity"].str.len().dropna().astype(int)) if len(frame) else set()
    if not (imports or exports):
        return None, "no import value (CON_VAL or GEN_VAL) and no export value (ALL_VAL)"
    if naics:
        if imports and frequency == "mo":
            return "imports_naics", ""
        return None, f"{'annual ' if frequency == 'yr' else ''}{'imports' if imports else 'exports'} by NAICS"
    if lengths and lengths != {10}:
        level = "/".join(f"HS{n}" for n in sorted(lengths))
        return None, f"{'imports' if imports else 'exports'} at {level} (panels take HS10 lines)"
    if imports:
        return ("imports" if frequency == "mo" else "imports_annual"), ""
    if frequency == "mo":
        return "exports", ""
    return None, "annual exports"


def read_census_files(files: Sequence[Path], *, scratch: Path, root: Path | None = None) -> CensusRows:
    """Read, sort and check every Census file (see the module docstring), one file at a time: each file's
    rows go to a Parquet part under `scratch` (a folder the caller discards)."""
    from econ import names
    from econ.sources import census
    from econ.sources.notes import notes_of

    found = CensusRows()
    for number, path in enumerate(files):
        name = label(path, root)
        # A row with no CTY_CODE but the name of one country (the real NAICS pulls have Germany so) takes
        # that country's Schedule C code, and the build says so; other such rows are left out, said aloud.
        frame = census.read(path, keep_aggregates=True, partner_codes=names.census_codes_by_name())
        found.filled.extend(
            f"{name}: {note.message}" for note in notes_of(frame) if note.kind == "filled_code"
        )
        frame, dropped = _countries(frame, name)
        found.problems.extend(dropped)
        if frame.empty:
            found.problems.append(f"{name}: no rows (an HTTP 204 answer, or a query that matched nothing)")
            continue
        kind, why = classify(frame, path)
        if kind is None:
            value = _value(frame)
            found.problems.append(
                f"{name}: {len(frame):,} rows (${value / 1e9:,.2f}B) not used by any panel: {why}"
            )
            continue
        frame = frame.rename(columns={c: _SUFFIX.sub("", c) for c in frame.columns if _SUFFIX.search(c)})
        frame["source_file"] = name
        # Months as timestamps (Parquet has no period type); text columns as plain strings.
        frame["period"] = frame["period"].dt.to_timestamp()
        for column in frame.columns:
            if not (pd.api.types.is_numeric_dtype(frame[column]) or column == "period"):
                frame[column] = frame[column].astype(str).where(frame[column].notna(), None)
        part = scratch / kind / f"{number:06d}.parquet"
        part.parent.mkdir(parents=True, exist_ok=True)
        # the reader's notes are in `found.problems` already; attrs would only go into Parquet's metadata
        frame.attrs = {}
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), part)
        found.parts.setdefault(kind, []).append(part)
        found.files.setdefault(kind, []).append(name)
    for panel in found.parts:
        _refuse_duplicates(found.scan(panel), panel)
    return found


_COUNTRY = re.compile(r"^[1-9][0-9]{3}$")


def _countries(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Single countries only: the totals and groupings the API mixes in (``-``, ``0003``, ``1XXX``,
    SUMMARY_LVL other than DET) are dropped as the reader would; rows whose CTY_CODE is missing or not a
    code at all are dropped too, but said aloud with their country names — they are data, not totals."""
    codes = frame["partner"].astype("string")
    country = codes.str.fullmatch(_COUNTRY.pattern).fillna(False).astype(bool)
    if "summary_lvl" in frame.columns:
        country &= (frame["summary_lvl"] == "DET").fillna(False).astype(bool)
    grouping = codes.str.fullmatch(r"-|0\d{3}|\dXXX").fillna(False).astype(bool) | (
        codes.str.fullmatch(_COUNTRY.pattern).fillna(False).astype(bool) & ~country
    )
    odd = ~country & ~grouping
    problems = []
    if odd.any():
        names = frame.loc[odd, "partner_name"].astype(str).value_counts()
        listed = ", ".join(f"{country_name} ({count})" for country_name, count in names.head(5).items())
        problems.append(
            f"{name}: {int(odd.sum()):,} rows (${_value(frame[odd]) / 1e9:,.2f}B) without a Census country "
            f"code were left out: {listed}"
        )
    return frame[country].reset_index(drop=True), problems


def _value(frame: pd.DataFrame) -> float:
    for column in frame.columns:
        if re.match(r"^(con|gen|all)_val_(mo|yr)$", column):
            return float(frame[column].sum())
    return 0.0


def _refuse_duplicates(rows: pl.LazyFrame, kind: str) -> None:
    """Two files with a row for the same line, partner and period: name both, and say how to choose."""
    key = ["commodity", "partner", "period"]
    clashes = (
        rows.group_by(key)
        .agg(pl.len().alias("rows"), pl.col("source_file").unique().sort().alias("files"))
        .filter(pl.col("rows") > 1)
        .collect()
    )
    if clashes.is_empty():
        return
    total = int(clashes["rows"].sum())
    first = clashes.sort(key).row(0, named=True)
    sources = list(first["files"])
    month = first["period"].strftime("%Y-%m")
    where = f"{kind} line {first['commodity']}, partner {first['partner']}, {month}"
    if len(sources) == 1:
        raise InputFormatError(
            sources[0], f"duplicate row for {where}", expected="one row per line × country × period"
        )
    raise InputFormatError(
        sources[0],
        f"the same rows are in {' and '.join(sources)} ({total:,} rows, e.g. {where})",
        expected="each month of each query in one file: delete one, or pick a vintage with "
        "`econ build --vintage NAME`",
    )
