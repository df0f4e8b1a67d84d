"""Census International Trade API files, sorted into the panels they feed.

A real dataset holds whatever its user pulled: one file per month, per partner, per commodity group or per
year, in one vintage folder or several (data/raw/census/<vintage>/), monthly variables (``CON_VAL_MO``) or
annual and year-to-date ones (``CON_VAL_YR`` at ``time=2024-12``), by HS commodity or by NAICS. Each file
is read by `econ.sources.census_bulk.read_rows` (DuckDB: seconds for a month of every partner), or where
it declines by `econ.sources.census.read` (the careful reader, which says what is wrong), and sorted by
what it holds, not by its name:

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

Reading a file is a task (`read_file_part`: paths in, a part and its notes out), so that the files of a
large pull are read in parallel, in worker processes or on a Dask cluster.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
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
    `scan` read them back — one panel at a time (imports: one year, a chunk of lines at a time).
    """

    parts: dict[str, list[Path]] = field(default_factory=dict)
    """Panel → its scratch Parquet parts, one per file."""
    problems: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    """Rows placed by their country name (no CTY_CODE): said in the build's notes, not problems."""
    """Files with no rows, rows no panel takes: one line each, for the manifest and the screen."""
    raw: dict[str, dict[str, Path]] = field(default_factory=dict)
    """Panel → the files it was built from: ``source_file`` (their label) → the raw file."""

    @property
    def files(self) -> dict[str, list[str]]:
        """Panel → the labels of the files it was built from, in order."""
        return {panel: list(sources) for panel, sources in self.raw.items()}

    def __contains__(self, panel: str) -> bool:
        return panel in self.parts

    def scan(self, panel: str) -> pl.LazyFrame:
        """The rows of `panel`, lazily (polars), for aggregates over a dataset larger than memory."""
        return pl.scan_parquet(self.parts[panel])

    def rows(self, panel: str) -> pd.DataFrame:
        """The rows of `panel`, as the readers gave them, suffixes removed."""
        return self.scan(panel).collect().to_pandas()

    def sources(self, panel: str) -> dict[str, Path]:
        """The raw file behind each ``source_file`` of `panel` (to re-read one the careful way)."""
        return dict(self.raw.get(panel, {}))

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
    lengths = set(frame["commodity"].str.len().dropna().astype(int)) if len(frame) else set()
    return classify_columns(list(frame.columns), lengths, path)


def classify_columns(columns: Sequence[str], lengths: set[int], path: Path) -> tuple[Kind | None, str]:
    """`classify` from a file's column names (as the reader gives them, suffixes kept) and the lengths of
    its commodity codes."""
    names = set(columns)
    frequency = "mo" if any(c.endswith("_mo") for c in names) else "yr"
    imports = bool(names & {f"con_val_{frequency}", f"gen_val_{frequency}"})
    exports = f"all_val_{frequency}" in names
    naics = any(c.startswith("naics") for c in names) or "naics" in path.name.lower()
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


@dataclass(frozen=True)
class FilePart:
    """What reading one Census file gave: the panel its rows feed and their scratch part (None when no
    panel takes them), and what the build must say about it."""

    name: str
    kind: Kind | None
    part: Path | None
    problems: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()
    fast: bool = False
    """Read the fast way (`econ.sources.census_bulk`) rather than the careful one."""


def read_file_part(path: Path, name: str, part_stem: Path, *, threads: int = 1) -> FilePart:
    """Read one Census file, sort it (`classify`) and write its rows to ``<part_stem's folder>/<panel>/
    <part_stem's name>.parquet``. The fast reader first; the careful one where it declines, which raises
    or notes what is wrong. A module-level function of paths only, so that it can run as a task in another
    process or on a Dask worker that sees the same files."""
    from econ.sources import census_bulk

    bulk = census_bulk.read_rows(path, source_file=name, threads=threads)
    if bulk is not None:
        if bulk.table.num_rows == 0:
            return FilePart(name, None, None, problems=(_no_rows(name),), fast=True)
        kind, why = classify_columns(bulk.reader_columns, set(bulk.code_lengths), path)
        if kind is None:
            problem = _unused(name, bulk.table.num_rows, _table_value(bulk.table), why)
            return FilePart(name, None, None, problems=(problem,), fast=True)
        out = part_stem.parent / kind / f"{part_stem.name}.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(bulk.table, out, compression="lz4")  # scratch: read once, soon
        return FilePart(name, kind, out, fast=True)
    return _careful_part(path, name, part_stem)


def _careful_part(path: Path, name: str, part_stem: Path) -> FilePart:
    from econ import names
    from econ.sources import census
    from econ.sources.notes import notes_of

    # A row with no CTY_CODE but the name of one country (the real NAICS pulls have Germany so) takes
    # that country's Schedule C code, and the build says so; other such rows are left out, said aloud.
    frame = census.read(path, keep_aggregates=True, partner_codes=names.census_codes_by_name())
    filled = tuple(f"{name}: {note.message}" for note in notes_of(frame) if note.kind == "filled_code")
    frame, dropped = _countries(frame, name)
    if frame.empty:
        return FilePart(name, None, None, problems=(*dropped, _no_rows(name)), filled=filled)
    kind, why = classify(frame, path)
    if kind is None:
        problem = _unused(name, len(frame), _value(frame), why)
        return FilePart(name, None, None, problems=(*dropped, problem), filled=filled)
    if any(c.endswith("_mo") for c in frame.columns):
        # A monthly file that also asked for year-to-date values (CON_VAL_YR beside CON_VAL_MO): the
        # panel is monthly, and the year to date is the sum of its months.
        frame = frame.drop(columns=[c for c in frame.columns if c.endswith("_yr")])
    frame = frame.rename(columns={c: _SUFFIX.sub("", c) for c in frame.columns if _SUFFIX.search(c)})
    frame["source_file"] = name
    # Months as timestamps (Parquet has no period type); text columns as plain strings.
    frame["period"] = frame["period"].dt.to_timestamp().astype("datetime64[us]")
    for column in frame.columns:
        if not (pd.api.types.is_numeric_dtype(frame[column]) or column == "period"):
            frame[column] = frame[column].astype(str).where(frame[column].notna(), None)
    out = part_stem.parent / kind / f"{part_stem.name}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    # the reader's notes are in the build's problems already; attrs would only go into Parquet's metadata
    frame.attrs = {}
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table.cast(_text_as_strings(table.schema)), out)
    return FilePart(name, kind, out, problems=tuple(dropped), filled=filled)


def _text_as_strings(schema: pa.Schema) -> pa.Schema:
    """A text column with no value at all comes out of pandas typed null; as text it joins the others."""
    return pa.schema([pa.field(f.name, pa.large_string()) if pa.types.is_null(f.type) else f for f in schema])


def _unused(name: str, rows: int, value: float, why: str) -> str:
    return f"{name}: {rows:,} rows (${value / 1e9:,.2f}B) not used by any panel: {why}"


def _no_rows(name: str) -> str:
    return f"{name}: no rows (an HTTP 204 answer, or a query that matched nothing)"


def _table_value(table: pa.Table) -> float:
    for column in ("con_val", "gen_val", "all_val"):
        if column in table.column_names:
            return float(pc.sum(table.column(column)).as_py() or 0.0)
    return 0.0


def read_census_files(
    files: Sequence[Path], *, scratch: Path, root: Path | None = None, executor: Executor | None = None
) -> CensusRows:
    """Read, sort and check every Census file (see the module docstring), one file at a time: each file's
    rows go to a Parquet part under `scratch` (a folder the caller discards). With an `executor` (a
    process pool, or a Dask client's `get_executor()`) the files are read as parallel tasks; the order of
    the parts, the notes and the checks are the same either way."""
    found = CensusRows()
    names = [label(path, root) for path in files]
    stems = [scratch / f"{number:06d}" for number in range(len(files))]
    if executor is None:
        # in this process alone, DuckDB may use both cores on each file
        results = [
            read_file_part(path, name, stem, threads=2)
            for path, name, stem in zip(files, names, stems, strict=True)
        ]
    else:
        results = list(executor.map(read_file_part, files, names, stems))
    for path, result in zip(files, results, strict=True):
        found.filled.extend(result.filled)
        found.problems.extend(result.problems)
        if result.kind is None or result.part is None:
            continue
        found.parts.setdefault(result.kind, []).append(result.part)
        found.raw.setdefault(result.kind, {})[result.name] = path
    for panel in found.parts:
        if panel != "imports":  # imports are checked a year at a time, as each year is built
            refuse_duplicate_rows(found.scan(panel), panel, files=found.sources(panel))
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


def refuse_duplicate_rows(
    rows: pl.LazyFrame | pl.DataFrame, kind: str, *, files: Mapping[str, Path] | None = None
) -> None:
    """Two files with a row for the same line, partner and period: name both, and say how to choose.
    A row repeated within one file is said as the careful reader says it (rows, key), when it does."""
    key = ["commodity", "partner", "period"]
    clashes = (
        rows.lazy()
        .group_by(key)
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
        if files and sources[0] in files:
            from econ.sources import census

            census.read(files[sources[0]], keep_aggregates=True)  # raises naming the two rows
        raise InputFormatError(
            sources[0], f"duplicate row for {where}", expected="one row per line × country × period"
        )
    raise InputFormatError(
        sources[0],
        f"the same rows are in {' and '.join(sources)} ({total:,} rows, e.g. {where})",
        expected="each month of each query in one file: delete one, or pick a vintage with "
        "`econ build --vintage NAME`",
    )
