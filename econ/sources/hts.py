"""USITC Harmonized Tariff Schedule of the United States (HTS): JSON and CSV exports, and rate text.

The files are the USITC's exports (`econ.sources.fetch.hts` downloads them): the current revision from
its REST service, a past revision (``2025 Revision 19``…) from https://hts.usitc.gov/download/archive as
JSON or CSV. The file name carries the revision (``hts_2025_basic_edition.csv``,
``hts_2025_revision_19.json``) unless ``read(revision=...)`` says it.

Formats:

* JSON: a flat list of lines ``{"htsno", "indent", "description", "superior", "units", "general",
  "special", "other", "footnotes", "quotaQuantity", "additionalDuties"}``; ``indent`` is a string; lines
  without a number (``htsno`` ``""``, ``superior`` ``"true"``) are text headings between numbered lines;
  footnotes are ``{"columns": ["general"], "value": "See 9903.88.01. ", "type": "endnote"}``; some
  exports spell ``addiitionalDuties`` beside or instead of ``additionalDuties``.
* CSV: BOM, every field quoted, header ``HTS Number, Indent, Description, Unit of Quantity, General Rate of
  Duty, Special Rate of Duty, Column 2 Rate of Duty, Quota Quantity, Additional Duties``; units as a JSON
  string (``["No.","kg"]``); no footnotes, hence no chapter 99 references.

Rates sit on 8-digit lines; their 10-digit statistical suffixes inherit them. Where a product has no
8-digit line, the rate sits on the 10-digit line itself (usually ending 00, sometimes 01 or 10).

One module of some 560 lines, on purpose: the rate-text parser, both export formats and the report of
unknown rate texts share one model of a line and its inherited rate; the fetcher lives apart
(`econ.sources.fetch.hts`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError
from econ.sources.notes import Note, attach, note, source_file_column

RateKind = Literal["free", "ad_valorem", "specific", "compound", "other"]
RATE_KINDS: tuple[str, ...] = get_args(RateKind)


# ---------------------------------------------------------------------------------------------------
# Rate text


@dataclass(frozen=True)
class Rate:
    """One duty rate as printed in a column of the HTS.

    * ``kind`` — ``free`` (``Free``), ``ad_valorem`` (``6.8%``), ``specific`` (``1.2¢/kg``, ``$1.5/kg``,
      ``0.9¢ each``), ``compound`` (``2.2¢/kg + 5%``: specific and ad valorem parts added), ``other``
      (anything else: ``The duty provided in the applicable subheading + 25%``, ``No change``, an empty
      text).
    * ``ad_valorem`` — the ad valorem part as a fraction of customs value (``6.8%`` → 0.068; ``Free`` → 0.0;
      the ``5%`` of a compound rate → 0.05); None when there is none.
    * ``specific`` — the specific part(s) as printed (``"2.2¢/kg"``); None when there is none.
    * ``specific_amount`` / ``specific_unit`` — the first specific part in US dollars per unit
      (``2.2¢/kg`` → 0.022, ``"kg"``; ``0.9¢ each`` → 0.009, ``"each"``).
    """

    text: str
    kind: RateKind
    ad_valorem: float | None = None
    specific: str | None = None
    specific_amount: float | None = None
    specific_unit: str | None = None


_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_PERCENT = re.compile(rf"^({_NUMBER})\s*%$")
# $1.5/kg, $4 each, 1.2¢/kg, 0.9¢ each, 68¢/head, 5.7¢/kg on drained weight
_SPECIFIC = re.compile(
    rf"^(?:\$\s*(?P<dollars>{_NUMBER})|(?P<cents>{_NUMBER})\s*¢)\s*(?:/\s*|\s+)(?P<unit>\S.*)$"
)
# Words that turn a specific-looking term into a formula the parser does not evaluate.
_FORMULA = re.compile(r"\b(less|minus|not|but|applicable|rate|provided|see|note|degree)\b|%", re.IGNORECASE)


def parse_rate(text: str | None) -> Rate:
    """Parse one rate of duty as printed in the HTS (general, special or column 2).

    ``Free`` → free (ad valorem 0); ``N%`` → ad valorem; ``A¢/unit``, ``$A/unit``, ``A¢ each`` → specific;
    terms joined by ``+`` mixing both → compound; anything else (a formula, a note reference, a rate
    qualified "on the case", an empty text) → other, with the text kept.
    """
    raw = "" if text is None else str(text)
    clean = " ".join(raw.replace("\xa0", " ").split())
    if not clean:
        return Rate(raw, "other")
    if clean.lower() == "free":
        return Rate(raw, "free", ad_valorem=0.0)
    terms = [term.strip() for term in clean.split("+")]
    ad_valorem: list[float] = []
    specific: list[tuple[str, float, str]] = []
    for term in terms:
        percent = _PERCENT.match(term)
        if percent:
            ad_valorem.append(float(percent.group(1)) / 100.0)
            continue
        amount = _SPECIFIC.match(term)
        if amount and not _FORMULA.search(amount.group("unit")):
            if amount.group("dollars") is not None:
                dollars = float(amount.group("dollars"))
            else:
                dollars = float(amount.group("cents")) / 100.0
            specific.append((term, dollars, amount.group("unit").strip()))
            continue
        return Rate(raw, "other")
    if len(ad_valorem) > 1:
        return Rate(raw, "other")
    share = ad_valorem[0] if ad_valorem else None
    if not specific:
        return Rate(raw, "ad_valorem", ad_valorem=share)
    kind: RateKind = "compound" if ad_valorem else "specific"
    return Rate(
        raw,
        kind,
        ad_valorem=share,
        specific=" + ".join(term for term, _, _ in specific),
        specific_amount=specific[0][1],
        specific_unit=specific[0][2],
    )


# ---------------------------------------------------------------------------------------------------
# Reading the exports

_CSV_HEADER = {
    "HTS Number": "htsno",
    "Indent": "indent",
    "Description": "description",
    "Unit of Quantity": "units",
    "General Rate of Duty": "general",
    "Special Rate of Duty": "special",
    "Column 2 Rate of Duty": "other",
    "Quota Quantity": "quota_quantity",
    "Additional Duties": "additional_duties",
}
_JSON_REQUIRED = ("htsno", "indent", "description", "general")
_HTSNO = re.compile(r"^\d{4}(?:\.\d{2}){0,3}$")
_CHAPTER99 = re.compile(r"\b99\d{2}\.\d{2}\.\d{2}\b")

_REVISION_IN_NAME = re.compile(
    r"(?P<year>(?:19|20)\d{2})[_\- ]*(?:(?P<basic>basic)|rev(?:ision)?[_\- ]*(?P<rev>\d+))", re.IGNORECASE
)

COLUMNS = (
    "htsno",
    "heading",
    "hs6",
    "hts8",
    "hts10",
    "level",
    "indent",
    "description",
    "units",
    "general",
    "rate_line",
    "rate_kind",
    "mfn_ad_valorem",
    "ad_valorem_part",
    "specific_part",
    "specific_amount",
    "specific_unit",
    "special",
    "other",
    "chapter99",
    "chapter99_other_columns",
    "additional_duties",
    "revision",
    "source_file",
)


def revision_from_name(path: str | os.PathLike[str]) -> str | None:
    """The revision named in a file name, if any.

    ``hts_2025_basic_edition.csv`` → ``"2025 Basic"``; ``hts_2025_revision_19.json`` → ``"2025 Revision 19"``.
    """
    found = _REVISION_IN_NAME.search(Path(path).name)
    if not found:
        return None
    if found.group("basic"):
        return f"{found.group('year')} Basic"
    return f"{found.group('year')} Revision {int(found.group('rev'))}"


def read(path: str | os.PathLike[str], *, revision: str | None = None, strict: bool = False) -> pd.DataFrame:
    """Read one HTS export (JSON or CSV) into one row per numbered line, in the schedule's order.

    Columns:

    * ``htsno`` (str, as printed, ``"8505.11.00.70"``); ``heading`` (4 digits), ``hs6``, ``hts8``,
      ``hts10`` (str without dots, missing where the line is shallower: ``hts10`` is missing on 8-digit
      lines); ``level`` (4, 6, 8 or 10: digits in the number); ``indent`` (int); ``description``;
      ``units`` (list of str, e.g. ``["No.", "kg"]``);
    * ``general`` (str) — the general (MFN, column 1) rate text that applies to the line: its own, or for a
      10-digit line without one, its 8-digit parent's; ``rate_line`` — the htsno the rate was printed on;
    * ``rate_kind`` — free, ad_valorem, specific, compound or other (missing where no rate applies, as on
      headings); ``mfn_ad_valorem`` (float64, a fraction) — the rate when it is purely ad valorem, 0.0 when
      Free, NaN otherwise; ``ad_valorem_part`` — the ad valorem part of any rate (compound included);
      ``specific_part`` (text), ``specific_amount`` (USD per unit), ``specific_unit``;
    * ``special``, ``other`` (column 2) — the line's own rate texts (not inherited);
    * ``chapter99`` (list of str, ``["9903.88.01"]``) — chapter 99 headings referenced by footnotes on the
      general column of the line or, for a 10-digit line, of its 8-digit parent (always empty for the CSV,
      which carries no footnotes); ``chapter99_other_columns`` — references in footnotes on other columns
      (``desc``: product exclusions such as 9903.88.69; ``other``: column 2 such as 9903.90.08);
    * ``additional_duties`` (str) — ``additionalDuties`` or ``addiitionalDuties``, whichever is filled;
    * ``revision`` (str) — the ``revision`` argument, else from the file name, else missing;
    * ``source_file`` (category) — `path` as given.

    Rate texts the parser cannot turn into numbers are of two sorts. Formulas the schedule is known to
    print (``The duty provided in the applicable subheading + 25%``, rates on a watch's case and battery,
    sugar's degree scale, ``Free, under bond…``: `is_known_formula`) are ``other`` and need a rule of
    their own. A text never seen before (a typo, a new wording) is ``other`` too, but the reader also puts
    an `econ.sources.notes.Note` (``unknown_rate_text``: the text, the lines that carry it) on
    ``frame.attrs["notes"]``, so that the build reports those lines' MFN rate as unknown rather than
    treating it as zero; ``strict=True`` raises InputFormatError instead.

    Raises InputFormatError naming the file, the line (1-based position in the JSON list, or the CSV line
    number) and the field for: truncated or malformed JSON/CSV, a missing column or key, a non-integer
    indent, a malformed HTS number, and a number that appears twice.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise InputFormatError(source, f"cannot read the file: {error.strerror or error}") from error
    text = raw.decode("utf-8-sig", errors="strict") if _is_utf8(raw) else raw.decode("cp1252")
    stripped = text.lstrip()
    if not stripped:
        raise InputFormatError(source, "the file is empty", expected="an HTS JSON or CSV export")
    if stripped.startswith("[") or stripped.startswith("{"):
        lines = _json_lines(source, stripped)
    else:
        lines = _csv_lines(source, text)
    frame = _build(source, lines)
    frame["revision"] = pd.Series([revision or revision_from_name(source)] * len(frame), dtype="str")
    frame["source_file"] = source_file_column(source, len(frame))
    return attach(frame, _unknown_rate_texts(source, frame), strict=strict)


# Wordings of rates the schedule prints that are formulas, not numbers (from the 2025 Basic Edition and
# its revisions): references to another line's rate, value-based duties of chapter 98, rates on the parts
# of watches, rifles and sets, sugar's polarization scale, conditional exemptions, notes.
_KNOWN_FORMULA = re.compile(
    r"^(the (duty|rate)\b|a duty\b|free,|see (additional )?u\.\s?s\. note|no change$)"
    r"|\bon (the )?(case|movement|battery|strap|apparatus|value|entire|cost)\b"
    r"|\bfor each degree\b|\bpercent of the\b|/jewel\b|\bfor each other piece\b",
    re.IGNORECASE,
)


def is_known_formula(text: str) -> bool:
    """Whether a rate text the parser leaves as ``other`` is a formula the schedule is known to print."""
    return bool(_KNOWN_FORMULA.search(" ".join(text.replace("\xa0", " ").split())))


def _unknown_rate_texts(source: Path, frame: pd.DataFrame) -> list[Note]:
    other = frame.loc[(frame["rate_kind"] == "other").fillna(False).to_numpy(dtype=bool)]
    found = []
    for text, lines in other.groupby("general", sort=True):
        if not str(text).strip() or is_known_formula(str(text)):
            continue
        codes = list(lines["htsno"])
        shown = ", ".join(codes[:5]) + ("…" if len(codes) > 5 else "")
        found.append(
            note(
                source,
                "unknown_rate_text",
                f"rate text {str(text)!r} is not one the parser knows ({len(codes)} lines: {shown}); "
                "their MFN rate is unknown, not zero",
                rows=len(codes),
                codes=codes,
            )
        )
    return found


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class _Line:
    where: str
    htsno: str
    indent: str
    description: str
    units: list[str]
    general: str
    special: str
    other: str
    additional_duties: str
    chapter99: list[str]
    chapter99_other: list[str]


def _json_lines(source: Path, text: str) -> list[_Line]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFormatError(
            source,
            f"not valid JSON ({error.msg}) — truncated or not an HTS export",
            where=f"line {error.lineno}, column {error.colno}",
        ) from error
    if isinstance(data, dict):
        # some saved responses wrap the list: {"results": [...]} or {"data": [...]}
        data = next((value for value in data.values() if isinstance(value, list)), None)
    if not isinstance(data, list):
        raise InputFormatError(source, "top level is not a list of HTS lines", expected="[{htsno, …}, …]")
    lines = []
    for number, item in enumerate(data, start=1):
        where = f"line {number}"
        if not isinstance(item, dict):
            raise InputFormatError(
                source, f"item is a {type(item).__name__}", where=where, expected="an object"
            )
        missing = [key for key in _JSON_REQUIRED if key not in item]
        if missing:
            raise InputFormatError(
                source, f"missing key(s) {', '.join(missing)}", where=where, expected="an HTS JSON line"
            )
        general_refs: list[str] = []
        other_refs: list[str] = []
        footnotes = item.get("footnotes") or []
        if not isinstance(footnotes, list):
            raise InputFormatError(
                source, f"footnotes is {footnotes!r:.40}", where=f"{where}, key footnotes", expected="a list"
            )
        for footnote in footnotes:
            if not isinstance(footnote, dict):
                continue
            refs = _CHAPTER99.findall(str(footnote.get("value", "")).replace("\xa0", " "))
            columns = footnote.get("columns") or []
            if not isinstance(columns, list | str):
                columns = []
            (general_refs if "general" in columns else other_refs).extend(refs)
        units = item.get("units") or []
        lines.append(
            _Line(
                where=where,
                htsno=_str(item.get("htsno")),
                indent=_str(item.get("indent")),
                description=_str(item.get("description")),
                units=[str(unit) for unit in units] if isinstance(units, list) else [str(units)],
                general=_str(item.get("general")),
                special=_str(item.get("special")),
                other=_str(item.get("other")),
                additional_duties=_str(item.get("additionalDuties")) or _str(item.get("addiitionalDuties")),
                chapter99=_unique(general_refs),
                chapter99_other=_unique(other_refs),
            )
        )
    return lines


def _csv_lines(source: Path, text: str) -> list[_Line]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise InputFormatError(source, "no header row", where="line 1") from error
    header = [name.strip() for name in header]
    missing = [name for name in _CSV_HEADER if name not in header]
    if missing:
        raise InputFormatError(
            source,
            f"header lacks {', '.join(missing)}",
            where="line 1",
            expected="the USITC CSV export header: " + ", ".join(_CSV_HEADER),
        )
    position = {name: header.index(name) for name in _CSV_HEADER}
    lines = []
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if not row:
                continue
            if len(row) != len(header):
                raise InputFormatError(
                    source, f"row has {len(row)} fields, the header has {len(header)}", where=where
                )
            cell = {field: row[index] for name, index in position.items() for field in [_CSV_HEADER[name]]}
            lines.append(
                _Line(
                    where=where,
                    htsno=cell["htsno"].strip(),
                    indent=cell["indent"].strip(),
                    description=cell["description"],
                    units=_units(source, cell["units"], where),
                    general=cell["general"].strip(),
                    special=cell["special"].strip(),
                    other=cell["other"].strip(),
                    additional_duties=cell["additional_duties"].strip(),
                    chapter99=[],
                    chapter99_other=[],
                )
            )
    except csv.Error as error:
        raise InputFormatError(
            source, f"malformed CSV ({error}) — truncated?", where=f"line {reader.line_num}"
        ) from error
    return lines


def _units(source: Path, text: str, where: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputFormatError(
                source, f"units {text!r} are not a JSON list", where=f"{where}, field Unit of Quantity"
            ) from error
        return [str(unit) for unit in value]
    return [text]


def _str(value: object) -> str:
    return "" if value is None else str(value).strip()


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _build(source: Path, lines: list[_Line]) -> pd.DataFrame:
    numbered = [line for line in lines if line.htsno]
    seen: dict[str, str] = {}
    for line in numbered:
        if not _HTSNO.match(line.htsno):
            raise InputFormatError(
                source,
                f"HTS number {line.htsno!r} is malformed",
                where=f"{line.where}, field htsno",
                expected="4 digits then up to three '.NN' groups, e.g. 8505.11.00.70",
            )
        if line.htsno in seen:
            raise InputFormatError(
                source,
                f"HTS number {line.htsno} appears twice ({seen[line.htsno]} and {line.where})",
                where=line.where,
                expected="each number once per revision",
            )
        seen[line.htsno] = line.where
        # ASCII digits only (\d takes "٣" too) and short: indents run 0 to about 12 in the schedule.
        if not re.fullmatch(r"[0-9]{1,2}", line.indent):
            raise InputFormatError(
                source,
                f"indent {line.indent!r} is not a small integer",
                where=f"{line.where}, field indent",
                expected="0 to 99",
            )

    digits = [line.htsno.replace(".", "") for line in numbered]
    # The rate of an 8-digit line, for its 10-digit children.
    eight = {code: line for code, line in zip(digits, numbered, strict=True) if len(code) == 8}

    records = []
    for code, line in zip(digits, numbered, strict=True):
        level = len(code)
        rate_line = line
        if level == 10 and not line.general and code[:8] in eight:
            rate_line = eight[code[:8]]
        chapter99 = list(line.chapter99)
        if level == 10 and code[:8] in eight:
            chapter99 = _unique(eight[code[:8]].chapter99 + chapter99)
        general = rate_line.general
        rate = parse_rate(general) if general else None
        records.append(
            (
                line.htsno,
                code[:4],
                code[:6] if level >= 6 else None,
                code[:8] if level >= 8 else None,
                code if level == 10 else None,
                level,
                int(line.indent),
                line.description,
                line.units,
                general,
                rate_line.htsno if general else None,
                rate.kind if rate else None,
                _mfn(rate),
                _float(rate.ad_valorem if rate else None),
                rate.specific if rate else None,
                _float(rate.specific_amount if rate else None),
                rate.specific_unit if rate else None,
                line.special,
                line.other,
                chapter99,
                line.chapter99_other,
                line.additional_duties,
            )
        )
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS[:-2]))
    for name in (
        "htsno",
        "heading",
        "hs6",
        "hts8",
        "hts10",
        "description",
        "general",
        "rate_line",
        "rate_kind",
        "specific_part",
        "specific_unit",
        "special",
        "other",
        "additional_duties",
    ):
        frame[name] = frame[name].astype("str")
    for name in ("mfn_ad_valorem", "ad_valorem_part", "specific_amount"):
        frame[name] = frame[name].astype("float64")
    frame["level"] = frame["level"].astype("int8")
    frame["indent"] = frame["indent"].astype("int16")
    return frame


def _mfn(rate: Rate | None) -> float:
    if rate is None:
        return np.nan
    if rate.kind == "free":
        return 0.0
    if rate.kind == "ad_valorem" and rate.ad_valorem is not None:
        return rate.ad_valorem
    return np.nan


def _float(value: float | None) -> float:
    return np.nan if value is None else float(value)


def hts8_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per 8-digit product with its general rate: the 8-digit lines, plus the 10-digit lines that
    carry a rate for a product with no 8-digit line (their first 8 digits)."""
    own = frame["rate_line"] == frame["htsno"]
    eight = frame.loc[(frame["level"] == 8) & own]
    orphans = frame.loc[(frame["level"] == 10) & own & ~frame["hts8"].isin(eight["hts8"])]
    orphans = orphans.drop_duplicates("hts8")
    columns = [
        "hts8",
        "general",
        "rate_kind",
        "mfn_ad_valorem",
        "ad_valorem_part",
        "specific_part",
        "chapter99",
        "revision",
    ]
    return pd.concat([eight[columns], orphans[columns]], ignore_index=True)
