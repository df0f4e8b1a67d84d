"""Concordances: HS10 ↔ HS8 ↔ HS6, HS10 → NAICS, NAICS → BEA, Census country codes ↔ ISO.

Every join returns the joined frame *and* a `MatchReport` saying how much of the value it could not place
— a concordance that silently drops 5 % of imports biases every share computed downstream. HS10 joins
fall back to the HS8 (then HS6) parent where an HS10 code is absent from the concordance, as happens when
codes change between HTS revisions or when an import code meets an export (Schedule B) concordance; what
moves through a fallback is counted apart.

Files read:

* Census HS10 concordance, fixed width (``hs-10d-2019-exp-code.txt``, ``…-imp-code.txt``), 1-based
  columns: commodity 1–10, short description 15–64, long description 70–219, unit 1 225–227, unit 2
  233–235, SITC 241–245, end use 251–255, USDA 261, NAICS 266–271, high-tech 277–278; CRLF.
* BEA industry and commodity codes and NAICS concordance workbook (``BEA-NAICS-Concordance.xlsx``): title
  rows, header on row 5 (``Sector, Description, Summary, Description, U. Summary, Description, Detail,
  Description, GO Detail, Description, Notes, Related 2017 NAICS Codes, Description``), footnotes at the
  bottom; codes are numbers in some cells (``111200``) and text in others (``1111A0``); a NAICS code
  followed by ``*`` belongs to more than one BEA industry; ``n.a.`` for special commodities.
* Census Schedule C country codes: the pipe table ``countryCodes.txt`` (``Code | Name | ISO Code``, ISO
  alpha-2 — Namibia's ``NA`` is a code, not a missing value), a ``Code,Name`` CSV, or a
  ``cty_code,iso3`` CSV.

One module of some 530 lines, on purpose: the HS, NAICS → BEA and country joins share `MatchReport` and
its parent-code fallbacks, which must count value the same way in every join.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from econ.errors import InputFormatError, ParameterError

BeaLevel = Literal["sector", "summary", "u_summary", "detail"]
BEA_LEVELS: tuple[str, ...] = get_args(BeaLevel)

# ---------------------------------------------------------------------------------------------------
# HS codes


def clean_hs(codes: pd.Series | str) -> pd.Series | str:
    """Dots and spaces removed: ``"8505.11.00.70"`` → ``"8505110070"``. Raises ValueError on anything that
    is not 2, 4, 6, 8 or 10 digits afterwards."""
    if isinstance(codes, str):
        text = re.sub(r"[.\s]", "", codes)
        if not re.fullmatch(r"(\d{2}){1,5}", text):
            raise ParameterError([("code", f"{codes!r} is not an HS code of 2–10 digits")])
        return text
    cleaned = codes.astype("str").str.replace(r"[.\s]", "", regex=True)
    bad = ~cleaned.str.fullmatch(r"(\d{2}){1,5}").fillna(False)
    if bad.any():
        raise ParameterError([("code", f"{codes[bad].iloc[0]!r} is not an HS code of 2–10 digits")])
    return cleaned


def hs8(codes: pd.Series | str) -> pd.Series | str:
    """The 8-digit subheading of HS10 codes (``"8505110070"`` → ``"85051100"``)."""
    return _prefix(codes, 8)


def hs6(codes: pd.Series | str) -> pd.Series | str:
    """The 6-digit international HS subheading."""
    return _prefix(codes, 6)


def chapter(codes: pd.Series | str) -> pd.Series | str:
    """The 2-digit HS chapter."""
    return _prefix(codes, 2)


def _prefix(codes: pd.Series | str, digits: int) -> pd.Series | str:
    clean = clean_hs(codes)
    if isinstance(clean, str):
        if len(clean) < digits:
            raise ParameterError([("code", f"{codes!r} has fewer than {digits} digits")])
        return clean[:digits]
    if (clean.str.len() < digits).any():
        raise ParameterError([("code", f"codes shorter than {digits} digits, e.g. {clean.iloc[0]!r}")])
    return clean.str[:digits]


# ---------------------------------------------------------------------------------------------------
# Match reports


@dataclass(frozen=True)
class MatchReport:
    """How a join went, in shares of value (of rows when no value column is given).

    ``exact`` matched on the full code; ``fallback`` matched through a shorter parent code (HS8, HS6, a
    NAICS prefix); ``unmatched`` found nothing. ``lost`` lists the unmatched codes, largest value first.
    """

    join: str
    rows: int
    value: float
    exact: float
    fallback: float
    unmatched: float
    lost: tuple[str, ...] = ()
    ambiguous: int = 0
    by_fallback: dict[str, float] = field(default_factory=dict)
    weighted_by: str = "value"

    def __str__(self) -> str:
        text = (
            f"{self.join}: {self.exact:.1%} of {self.weighted_by} matched exactly, {self.fallback:.1%} "
            f"through a parent code, {self.unmatched:.2%} unmatched ({len(self.lost)} codes"
        )
        if self.lost:
            text += ": " + ", ".join(self.lost[:5]) + ("…" if len(self.lost) > 5 else "")
        text += ")"
        if self.ambiguous:
            text += f"; {self.ambiguous} codes had several candidates (the most common was taken)"
        return text


def _report(
    join: str, frame: pd.DataFrame, how: pd.Series, code: str, value: str | None, *, ambiguous: int = 0
) -> MatchReport:
    weight = frame[value].astype("float64").fillna(0.0) if value else pd.Series(1.0, index=frame.index)
    total = float(weight.sum())

    def share(mask: pd.Series) -> float:
        return float(weight[mask].sum() / total) if total else 0.0

    exact = how == "exact"
    missing = how.isna()
    fallback = ~exact & ~missing
    lost = (
        weight[missing]
        .groupby(frame.loc[missing, code].astype("str").fillna("(no code)"))
        .sum()
        .sort_values(ascending=False)
        .index.astype(str)
    )
    by_fallback = {str(level): share(how == level) for level in how[fallback].unique()}
    return MatchReport(
        join=join,
        rows=len(frame),
        value=total,
        exact=share(exact),
        fallback=share(fallback),
        unmatched=share(missing),
        lost=tuple(lost),
        ambiguous=ambiguous,
        by_fallback=by_fallback,
        weighted_by=f"{value}" if value else "rows",
    )


def _check_columns(frame: pd.DataFrame, columns: list[str | None], what: str) -> None:
    missing = [name for name in columns if name and name not in frame.columns]
    if missing:
        raise ParameterError([(name, f"no column {name!r} in the frame given to {what}") for name in missing])


# ---------------------------------------------------------------------------------------------------
# HS10 → NAICS

_FIXED = {  # name: (first, last), 1-based inclusive, as documented by Census
    "hs10": (1, 10),
    "description": (15, 64),
    "long_description": (70, 219),
    "unit1": (225, 227),
    "unit2": (233, 235),
    "sitc": (241, 245),
    "end_use": (251, 255),
    "usda": (261, 261),
    "naics": (266, 271),
    "hitech": (277, 278),
}


def read_hs_naics(path: str | os.PathLike[str], *, strict: bool = False) -> pd.DataFrame:
    """The Census HS10 concordance (fixed width): one row per HS10 code with ``hs10``, ``description``,
    ``long_description``, ``unit1``, ``unit2``, ``sitc``, ``end_use``, ``usda``, ``naics``, ``hitech``
    (all str, stripped, leading zeros kept).

    Census leaves the NAICS field blank on some lines (codes without a NAICS assignment): those rows keep
    ``naics`` missing, and one ``missing_code`` note (`econ.sources.notes`) lists them on
    ``attrs["notes"]`` — `hs10_to_naics` then places them through their HS8/HS6 parent or reports them
    unmatched; ``strict=True`` raises instead. Raises InputFormatError on a line whose code is not 10
    digits, a NAICS field that is neither blank nor a 6-character code, or a code that repeats.

    The import concordance (``hs-10d-2019-imp-code.txt``, ``imp-code.txt``) and the export one (Schedule
    B, ``…-exp-code.txt``) share this layout; for imports use the import one (`find_hs_naics`)."""
    from econ.sources.notes import attach, note

    source = Path(path)
    try:
        text = source.read_bytes().decode("cp1252", errors="replace")
    except OSError as error:
        raise InputFormatError(source, f"cannot read the file: {error.strerror or error}") from error
    records = []
    blank: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) < 271:
            raise InputFormatError(
                source, f"line is {len(line)} characters long — truncated?", where=f"line {number}",
                expected="fixed-width lines of 278 characters (NAICS in 266–271)",
            )  # fmt: skip
        row: dict[str, str | None] = {
            name: line[first - 1 : last].strip() for name, (first, last) in _FIXED.items()
        }
        hs10 = str(row["hs10"])
        if not re.fullmatch(r"\d{10}", hs10):
            raise InputFormatError(
                source,
                f"commodity {hs10!r}",
                where=f"line {number}, columns 1–10",
                expected="10 digits",
            )
        if row["naics"] == "":
            row["naics"] = None
            blank.append(hs10)
        elif not re.fullmatch(r"[0-9A-Z]{6}", str(row["naics"])):
            raise InputFormatError(
                source, f"NAICS {row['naics']!r}", where=f"line {number}, columns 266–271",
                expected="a 6-character NAICS code, or blank",
            )  # fmt: skip
        if hs10 in seen:
            raise InputFormatError(
                source,
                f"commodity {hs10} appears twice (lines {seen[hs10]} and {number})",
                where=f"line {number}",
            )
        seen[hs10] = number
        records.append(row)
    if not records:
        raise InputFormatError(source, "no concordance lines", expected="fixed-width HS10 lines")
    frame = pd.DataFrame.from_records(records, columns=list(_FIXED)).astype("str")
    found = []
    if blank:
        shown = ", ".join(blank[:5]) + ("…" if len(blank) > 5 else "")
        found.append(
            note(
                source,
                "missing_code",
                f"{len(blank):,} HS10 codes have no NAICS code ({shown}); they are matched through their "
                "HS8 or HS6 parent, or reported unmatched",
                rows=len(blank),
                codes=blank,
            )
        )
    return attach(frame, found, strict=strict)


def find_hs_naics(folder: str | os.PathLike[str]) -> Path | None:
    """The HS10 → NAICS concordance to use for imports in `folder`: the newest import-side file
    (``hs-10d-YYYY-imp-code.txt``, ``imp-code.txt``) if there is one, else the newest export-side file
    (``…-exp-code.txt``), else None. Newest by the year in the name (then by name)."""
    base = Path(folder)

    def newest(pattern: str) -> Path | None:
        found = sorted(
            base.glob(pattern),
            key=lambda path: (max(re.findall(r"(?:19|20)\d{2}", path.name) or ["0"]), path.name),
        )
        return found[-1] if found else None

    return newest("*imp*code*.txt") or newest("*exp*code*.txt")


def _parent_map(concordance: pd.DataFrame, code: str, target: str, digits: int) -> tuple[pd.Series, set[str]]:
    """Parent code → the most common target among its children; also the parents with several targets."""
    parents = concordance.loc[concordance[target].notna()].assign(_parent=lambda t: t[code].str[:digits])
    counts = parents.groupby(["_parent", target]).size().rename("n").reset_index()
    counts = counts.sort_values(["_parent", "n", target], ascending=[True, False, True])
    sizes = counts.groupby("_parent").size()
    ambiguous = set(sizes.index[sizes > 1])
    first = counts.drop_duplicates("_parent")
    return pd.Series(first[target].to_numpy(), index=first["_parent"].to_numpy()), ambiguous


def hs10_to_naics(
    frame: pd.DataFrame,
    concordance: pd.DataFrame,
    *,
    code: str = "hs10",
    value: str | None = "value",
    fallback: tuple[int, ...] = (8, 6),
) -> tuple[pd.DataFrame, MatchReport]:
    """Add ``naics`` and ``naics_match`` (``exact``, ``hs8``, ``hs6`` or missing) to `frame`.

    An HS10 code absent from the concordance takes the NAICS most common among the concordance's codes
    with the same first 8 digits, else the same first 6 (``fallback``). The report gives the shares of
    ``value`` matched exactly, through a parent, and not at all."""
    _check_columns(frame, [code, value], "hs10_to_naics")
    _check_columns(concordance, ["hs10", "naics"], "hs10_to_naics (concordance)")
    codes = frame[code].astype("str")
    placed = concordance.loc[concordance["naics"].notna()]  # a blank NAICS cell is no match: try parents
    exact = pd.Series(placed["naics"].to_numpy(), index=placed["hs10"].to_numpy())
    exact = exact[~exact.index.duplicated()]
    naics = codes.map(exact)
    how = pd.Series("exact", index=frame.index, dtype="object").where(naics.notna(), None)
    ambiguous = 0
    for digits in fallback:
        parents, unclear = _parent_map(concordance, "hs10", "naics", digits)
        todo = naics.isna()
        found = codes[todo].str[:digits].map(parents)
        hit = found.notna()
        ambiguous += len(set(codes[todo][hit].str[:digits]) & unclear)
        naics.loc[found[hit].index] = found[hit]
        how.loc[found[hit].index] = f"hs{digits}"
    out = frame.assign(naics=naics.astype("str"), naics_match=how.astype("str"))
    return out, _report("HS10 → NAICS", frame, how.where(how.notna(), None), code, value, ambiguous=ambiguous)


# ---------------------------------------------------------------------------------------------------
# NAICS → BEA

_BEA_HEADER = [
    "Sector", "Description", "Summary", "Description", "U. Summary", "Description", "Detail", "Description",
    "GO Detail", "Description", "Notes", "Related 2017 NAICS Codes", "Description",
]  # fmt: skip


def read_bea_naics(path: str | os.PathLike[str], *, header_row: int = 5) -> pd.DataFrame:
    """The BEA–NAICS concordance workbook: one row per (BEA detail industry, related NAICS code).

    Columns (str): ``sector``, ``summary``, ``u_summary``, ``detail``, ``go_detail`` (BEA codes),
    ``summary_description``, ``detail_description``, ``naics`` (2–6 digits, ``*`` removed),
    ``naics_description``, and ``shared`` (bool: the NAICS code had ``*``, it belongs to more than one
    BEA industry). Rows without a NAICS code (``n.a.``: scrap, noncomparable imports…) and the footnotes
    below the table are dropped."""
    source = Path(path)
    try:
        grid = pd.read_excel(source, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as error:
        raise InputFormatError(
            source, f"cannot read the workbook ({error})", expected="an .xlsx file"
        ) from error
    if len(grid) < header_row:
        raise InputFormatError(source, "too few rows", where=f"row {header_row}", expected="the header row")
    header = [("" if pd.isna(cell) else str(cell).strip()) for cell in grid.iloc[header_row - 1]]
    if header[: len(_BEA_HEADER)] != _BEA_HEADER:
        raise InputFormatError(
            source, f"header is {header[:13]}", where=f"row {header_row}", expected=", ".join(_BEA_HEADER)
        )
    body = grid.iloc[header_row:, : len(_BEA_HEADER)]
    body.columns = [
        "sector", "sector_description", "summary", "summary_description", "u_summary",
        "u_summary_description", "detail", "detail_description", "go_detail", "go_detail_description",
        "notes", "naics", "naics_description",
    ]  # fmt: skip

    def text(cell: object) -> str:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))  # codes typed as numbers in Excel
        return str(cell).strip()

    body = body.map(text)
    rows = body[body["detail"] != ""]
    rows = rows[~rows["naics"].isin(["", "n.a."])]
    naics = rows["naics"].str.rstrip("*")
    bad = ~naics.str.fullmatch(r"\d{2,6}")
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFormatError(
            source,
            f"NAICS code {rows['naics'].iloc[position]!r}",
            where=f"row {rows.index[position] + 1}, column Related 2017 NAICS Codes",
            expected="2–6 digits, optionally followed by *",
        )
    out = rows.assign(naics=naics, shared=rows["naics"].str.endswith("*"))
    columns = ["sector", "summary", "u_summary", "detail", "go_detail", "summary_description",
               "detail_description", "naics", "naics_description", "shared"]  # fmt: skip
    return out[columns].reset_index(drop=True).astype({name: "str" for name in columns[:-1]})


def naics_to_bea(
    frame: pd.DataFrame,
    concordance: pd.DataFrame,
    *,
    code: str = "naics",
    value: str | None = "value",
    level: BeaLevel = "detail",
) -> tuple[pd.DataFrame, MatchReport]:
    """Add ``bea_<level>`` and ``bea_match`` to `frame`, matching each NAICS code (Census trade NAICS are
    6 characters, some with letters) to the concordance's longest NAICS prefix (6, 5, 4, 3 then 2 digits).

    ``bea_match`` is ``exact`` when the whole code matched, ``naics<k>`` when a k-digit prefix did, and
    ``naics_children`` when the code is coarser than the concordance's (``3251``) and all its children
    belong to one BEA industry at this level (``3251`` → summary ``325``); when they belong to several
    (``3251`` at the detail level) the code stays unmatched. A NAICS code related to several BEA industries
    (``*`` in the workbook) takes the first listed. The report counts both cases as ambiguous."""
    if level not in BEA_LEVELS:
        raise ParameterError([("level", f"{level!r} is not one of {', '.join(BEA_LEVELS)}")])
    _check_columns(frame, [code, value], "naics_to_bea")
    _check_columns(concordance, ["naics", level], "naics_to_bea (concordance)")
    table = concordance.drop_duplicates(["naics", level])
    ambiguous_codes = set(table.loc[table["naics"].duplicated(keep=False), "naics"])
    lookup = table.drop_duplicates("naics").set_index("naics")[level]
    codes = frame[code].astype("str").str.strip()
    result = pd.Series(pd.NA, index=frame.index, dtype="object")
    how = pd.Series(None, index=frame.index, dtype="object")
    for digits in (6, 5, 4, 3, 2):
        todo = result.isna() & (codes.str.len() >= digits)
        prefix = codes[todo].str[:digits]
        found = prefix.map(lookup)
        hit = found.notna()
        result.loc[found[hit].index] = found[hit]
        how.loc[found[hit].index] = np.where(codes[todo][hit].str.len() == digits, "exact", f"naics{digits}")
    # A code coarser than the concordance's (Census "3251" against BEA's 325110, 325180…) takes the BEA
    # industry of its children when they all agree; when they differ it stays unmatched (no honest single
    # answer at this level) and is counted as ambiguous.
    split: set[str] = set()
    for parent_code in codes[result.isna() & codes.notna()].unique():
        parent = str(parent_code).rstrip("X")  # Census trade NAICS such as 33641X group 33641*
        under: list[str] = (
            [str(v) for v in table.loc[table["naics"].str.startswith(parent), level].unique()]
            if parent
            else []
        )
        if len(under) == 1:
            rows = (codes == parent_code).to_numpy()
            result.loc[rows] = under[0]
            how.loc[rows] = "naics_children"
        elif len(under) > 1:
            split.add(parent_code)
    used = set(codes[result.notna()].str[:6]) | set(codes[result.notna()])
    # A row without a NAICS code (unplaced upstream) stays unmatched, counted in the report's value.
    ambiguous = len(ambiguous_codes & {c[:k] for c in used for k in range(2, 7)}) + len(split)
    out = frame.assign(**{f"bea_{level}": result.astype("str"), "bea_match": how.astype("str")})
    return out, _report(f"NAICS → BEA {level}", frame, how, code, value, ambiguous=ambiguous)


# ---------------------------------------------------------------------------------------------------
# Census country codes ↔ ISO

CountryColumn = Literal["iso3", "iso2", "name"]


def read_country_codes(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Census Schedule C country codes, from any of the three layouts.

    Columns: ``census_code`` (str, 4 digits) and whichever of ``name``, ``iso2``, ``iso3`` the file has.
    ISO codes are read as text (``NA`` is Namibia). Raises InputFormatError naming the line for a code that
    is not 4 digits or that repeats."""
    source = Path(path)
    try:
        text = source.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as error:
        raise InputFormatError(source, f"cannot read the file: {error.strerror or error}") from error
    lines = text.splitlines()
    records: list[dict[str, str]] = []
    wheres: list[str] = []
    if any("|" in line for line in lines[:10]):
        for number, line in enumerate(lines, start=1):
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) != 3 or not cells[0] or cells[0].lower() == "code":
                continue
            records.append({"census_code": cells[0], "name": cells[1], "iso2": cells[2]})
            wheres.append(f"line {number}")
    else:
        # Parse the text already decoded (a stray byte is replaced, not fatal), and say which file failed.
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
            raise InputFormatError(
                source, f"not a readable CSV ({error})", expected="Census Schedule C codes"
            ) from None
        columns = {str(name).strip().lower(): name for name in frame.columns}
        code = columns.get("cty_code") or columns.get("code") or columns.get("census_code")
        if code is None:
            raise InputFormatError(
                source, f"header {list(frame.columns)}", where="line 1", expected="cty_code,iso3 or Code,Name"
            )
        rename = {code: "census_code"}
        for wanted in ("iso3", "iso2", "name"):
            if wanted in columns:
                rename[columns[wanted]] = wanted
        frame = frame.rename(columns=rename)[list(rename.values())]
        records = [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]
        wheres = [f"line {n}" for n in range(2, len(frame) + 2)]
    if not records:
        raise InputFormatError(source, "no country rows", expected="Census Schedule C codes")
    out = pd.DataFrame.from_records(records).astype("str")
    out["census_code"] = out["census_code"].str.strip()
    bad = ~out["census_code"].str.fullmatch(r"\d{4}")
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFormatError(
            source, f"code {out['census_code'].iloc[position]!r}", where=wheres[position], expected="4 digits"
        )
    duplicated = out["census_code"].duplicated(keep=False).to_numpy()
    if duplicated.any():
        at = [wheres[i] for i in np.flatnonzero(duplicated)[:2]]
        raise InputFormatError(
            source, f"code {out['census_code'][duplicated].iloc[0]} appears twice ({' and '.join(at)})",
            where=at[-1],
        )  # fmt: skip
    return out


def census_to_iso(
    frame: pd.DataFrame,
    codes: pd.DataFrame,
    *,
    code: str = "partner",
    value: str | None = "value",
    to: CountryColumn = "iso3",
) -> tuple[pd.DataFrame, MatchReport]:
    """Add ``to`` (``iso3``, ``iso2`` or ``name``) from a `read_country_codes` table; report the value whose
    Census code has no ISO code (groupings, or codes missing from an old Schedule C)."""
    if to not in get_args(CountryColumn):
        raise ParameterError([("to", f"{to!r} is not iso3, iso2 or name")])
    _check_columns(frame, [code, value], "census_to_iso")
    _check_columns(codes, ["census_code", to], "census_to_iso (codes)")
    lookup = codes.set_index("census_code")[to]
    lookup = lookup[lookup.astype("str").str.strip() != ""]
    mapped = frame[code].astype("str").map(lookup)
    how = pd.Series("exact", index=frame.index, dtype="object").where(mapped.notna(), None)
    out = frame.assign(**{to: mapped.astype("str")})
    return out, _report(f"Census country → {to}", frame, how.where(how.notna(), None), code, value)


def iso_to_census(codes: pd.DataFrame, *, column: CountryColumn = "iso3") -> dict[str, str]:
    """``{"CHN": "5700", …}`` from a `read_country_codes` table (first Census code per ISO code)."""
    _check_columns(codes, ["census_code", column], "iso_to_census")
    table = codes[codes[column].astype("str").str.strip() != ""].drop_duplicates(column)
    return dict(zip(table[column], table["census_code"], strict=True))
