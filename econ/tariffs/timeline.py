"""The policy timeline as data: load and validate the package's CSV files (or a user's copy).

Three files under econ/tariffs/data/, each row with its source:

* ``timeline.csv`` — one row per dated change: ``layer, coverage, partner, effective, rate, instrument,
  source, note``. A row sets the rate of (layer, coverage) for the partner from ``effective`` until a later
  row for the same (layer, coverage) that applies to that partner. Resolution on a date: among the rows
  that apply to a partner (``all``, a group it belongs to, or its own code), the latest ``effective`` wins;
  on the same date the more specific row wins (code > group > all). So an exemption is a row with rate 0
  for a group, and a later ``all`` row ends it — a wrong date is corrected in this one file.
* ``coverage.csv`` — product coverage by HS prefix: ``coverage, hs_prefix, description, source``.
  A product (HS8 or HS10 code) belongs to a coverage group when its code starts with one of the group's
  prefixes. Section 301 Lists 1–4B are not here: they come from each HTS line's chapter 99 references.
* ``partners.csv`` — partner groups: ``group, partner, name, source`` (Census country codes).

Layers, and how coverage groups of one layer combine for a product:

* ``section301`` — the highest rate in force among the lists and review groups the product is on;
* ``section232`` — the highest among the 232 groups (steel, aluminium, derivatives, autos, parts);
* ``ieepa_fentanyl``, ``ieepa_reciprocal`` — coverage ``all``;
* ``reciprocal_exemption`` — 1 where the product is exempt from the reciprocal duty (Annex II and later
  exemptions), 0 otherwise; not an output layer, used in stacking;
* ``reciprocal_all_in`` — an all-in rate that includes MFN (Japan and the EU from 2025-08-07: 15%): while in
  force it replaces the additive reciprocal rate by max(0, all-in − MFN) on non-exempt goods;
* ``china_retaliation`` — China's duties on US goods: the sum of its actions (they stack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd

from econ.errors import ScenarioError

LAYERS: tuple[str, ...] = (
    "section301",
    "section232",
    "ieepa_fentanyl",
    "ieepa_reciprocal",
    "reciprocal_exemption",
    "reciprocal_all_in",
    "china_retaliation",
)

# Section 301 list membership is read from each HTS line's chapter 99 references (the footnote
# "See 9903.88.xx"). 9903.88.04 lines are List 3 lines with a separate heading; List 4B (9903.88.16) was
# suspended before it took effect and carries a zero rate in the timeline.
S301_HEADINGS: dict[str, str] = {
    "9903.88.01": "list1",
    "9903.88.02": "list2",
    "9903.88.03": "list3",
    "9903.88.04": "list3",
    "9903.88.15": "list4a",
    "9903.88.16": "list4b",
}
S301_LISTS: tuple[str, ...] = ("list1", "list2", "list3", "list4a", "list4b")

TIMELINE_COLUMNS = ("layer", "coverage", "partner", "effective", "rate", "instrument", "source", "note")
COVERAGE_COLUMNS = ("coverage", "hs_prefix", "description", "source")
PARTNER_COLUMNS = ("group", "partner", "name", "source")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CENSUS_CODE = re.compile(r"^\d{4}$")
_HS_PREFIX = re.compile(r"^\d{2,10}$")


@dataclass(frozen=True)
class Timeline:
    """The validated policy data: dated rows, product coverage and partner groups."""

    rows: pd.DataFrame  # TIMELINE_COLUMNS, effective as datetime64[s], rate float64
    coverage: pd.DataFrame  # COVERAGE_COLUMNS
    partner_groups: dict[str, frozenset[str]]
    path: str = "<timeline>"

    def coverage_prefixes(self) -> dict[str, tuple[str, ...]]:
        """Coverage group → its HS prefixes."""
        grouped = self.coverage.groupby("coverage", sort=False)["hs_prefix"]
        return {name: tuple(prefixes) for name, prefixes in grouped}

    def partner_key_kind(self, key: str) -> str:
        """'all', 'group' or 'code' — the specificity of a partner key (code beats group beats all)."""
        if key == "all":
            return "all"
        if key in self.partner_groups:
            return "group"
        return "code"

    def with_rows(self, rows: pd.DataFrame) -> Timeline:
        return Timeline(rows=rows, coverage=self.coverage, partner_groups=self.partner_groups, path=self.path)


def _data_file(name: str) -> Path:
    return Path(str(resources.files("econ.tariffs") / "data" / name))


def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc})") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{path}: missing columns {missing} (expected columns {list(columns)})")
    extra = [c for c in frame.columns if c not in columns]
    if extra:
        raise ScenarioError(f"{path}: unknown columns {extra} (expected columns {list(columns)})")
    return frame.loc[:, list(columns)]


def _where(path: Path | str, i: int) -> str:
    # Row numbers as a spreadsheet shows them: the header is line 1.
    return f"{path}: row {i + 2}"


def load_partner_groups(path: str | PathLike[str] | None = None) -> dict[str, frozenset[str]]:
    """Read partners.csv into group → set of Census codes, checking every code is 4 digits."""
    file = Path(path) if path is not None else _data_file("partners.csv")
    frame = _read_csv(file, PARTNER_COLUMNS)
    problems = []
    for i, row in enumerate(frame.itertuples(index=False)):
        if not _CENSUS_CODE.match(row.partner):
            problems.append(
                f"{_where(file, i)}: partner {row.partner!r} is not a 4-digit Census country code"
            )
        if not row.group or row.group == "all" or _CENSUS_CODE.match(row.group):
            problems.append(f"{_where(file, i)}: group {row.group!r} must be a name (not 'all' or a code)")
        if not row.source:
            problems.append(f"{_where(file, i)}: source is empty")
    if problems:
        raise ScenarioError("; ".join(problems))
    return {g: frozenset(codes) for g, codes in frame.groupby("group")["partner"]}


def load_coverage(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Read coverage.csv, checking prefixes are 2–10 digits and every row has a source."""
    file = Path(path) if path is not None else _data_file("coverage.csv")
    frame = _read_csv(file, COVERAGE_COLUMNS)
    problems = []
    for i, row in enumerate(frame.itertuples(index=False)):
        if not row.coverage:
            problems.append(f"{_where(file, i)}: coverage is empty")
        if row.coverage == "all" or row.coverage in S301_LISTS:
            problems.append(f"{_where(file, i)}: coverage {row.coverage!r} is reserved")
        if not _HS_PREFIX.match(row.hs_prefix):
            problems.append(f"{_where(file, i)}: hs_prefix {row.hs_prefix!r} is not 2 to 10 digits")
        if not row.source:
            problems.append(f"{_where(file, i)}: source is empty")
    if problems:
        raise ScenarioError("; ".join(problems))
    return frame


def known_coverages(layer: str, coverage: pd.DataFrame) -> set[str]:
    """The coverage keys a timeline row of `layer` may name."""
    names = set(coverage["coverage"])
    if layer == "section301":
        return set(S301_LISTS) | names
    return {"all"} | names


def check_partner_key(key: str, groups: dict[str, frozenset[str]]) -> str | None:
    """None when `key` is a valid partner key, else what was expected."""
    if key == "all" or key in groups or _CENSUS_CODE.match(key):
        return None
    return f"'all', a group ({', '.join(sorted(groups))}) or a 4-digit Census country code"


def parse_date(value: object) -> pd.Timestamp | None:
    """A YYYY-MM-DD string (or a date YAML already parsed) as a Timestamp; None when malformed."""
    if isinstance(value, pd.Timestamp):
        return value.normalize()
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return pd.Timestamp(value.year, value.month, value.day)  # type: ignore[attr-defined]
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return pd.Timestamp(value)
    except ValueError:
        return None


def validate_rows(
    frame: pd.DataFrame, *, coverage: pd.DataFrame, groups: dict[str, frozenset[str]], path: str
) -> pd.DataFrame:
    """Check every timeline row and return it typed; collect all problems, then raise ScenarioError."""
    problems: list[str] = []
    effective: list[pd.Timestamp | None] = []
    rates: list[float] = []
    for i, row in enumerate(frame.itertuples(index=False)):
        where = _where(path, i)
        if row.layer not in LAYERS:
            problems.append(f"{where}: unknown layer {row.layer!r} (expected one of {', '.join(LAYERS)})")
        elif row.coverage not in known_coverages(row.layer, coverage):
            problems.append(
                f"{where}: unknown coverage {row.coverage!r} for layer {row.layer} "
                "(expected 'all', a Section 301 list or a group in coverage.csv)"
            )
        expected = check_partner_key(row.partner, groups)
        if expected:
            problems.append(f"{where}: unknown partner {row.partner!r} (expected {expected})")
        date = parse_date(row.effective)
        if date is None:
            problems.append(f"{where}: effective {row.effective!r} is not a date (expected YYYY-MM-DD)")
        effective.append(date)
        try:
            rate = float(row.rate)
        except ValueError:
            rate = float("nan")
        if not (0.0 <= rate <= 10.0):
            problems.append(f"{where}: rate {row.rate!r} is not a fraction between 0 and 10 (25% is 0.25)")
        if row.layer == "reciprocal_exemption" and rate not in (0.0, 1.0):
            problems.append(f"{where}: reciprocal_exemption rate must be 1 (exempt) or 0 (not exempt)")
        rates.append(rate)
        if not row.instrument:
            problems.append(f"{where}: instrument is empty (expected the HTS heading or the notice)")
        if not row.source:
            problems.append(f"{where}: source is empty")
    typed = frame.assign(effective=pd.to_datetime(pd.Series(effective, index=frame.index, dtype=object)))
    typed = typed.assign(rate=pd.Series(rates, index=frame.index, dtype="float64"))
    if not problems:
        key = ["layer", "coverage", "partner", "effective"]
        dup = typed.duplicated(key, keep=False)
        for i in [int(j) for j in frame.index[dup.to_numpy()]]:
            problems.append(
                f"{_where(path, i)}: duplicate of another row for the same layer, coverage, partner and date"
            )
    if problems:
        raise ScenarioError("invalid tariff timeline: " + "; ".join(problems))
    return typed.reset_index(drop=True)


def load_timeline(
    path: str | PathLike[str] | None = None,
    *,
    coverage: str | PathLike[str] | None = None,
    partners: str | PathLike[str] | None = None,
) -> Timeline:
    """Load and validate the timeline (the package's by default; a user's CSV of the same columns)."""
    groups = load_partner_groups(partners)
    cover = load_coverage(coverage)
    file = Path(path) if path is not None else _data_file("timeline.csv")
    raw = _read_csv(file, TIMELINE_COLUMNS)
    rows = validate_rows(raw, coverage=cover, groups=groups, path=str(file))
    return Timeline(rows=rows, coverage=cover, partner_groups=groups, path=str(file))
