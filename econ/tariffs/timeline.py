"""The policy timeline as data: load and validate the package's CSV files (or a user's copy).

Files under econ/tariffs/data/ (its README says where each list comes from), each row with its source:

* ``timeline.csv`` — one row per dated change: ``layer, coverage, partner, effective, rate, instrument,
  source, note``. A row sets the rate of (layer, coverage) for the partner from ``effective`` until a later
  row for the same (layer, coverage) that applies to that partner. Resolution on a date: among the rows
  that apply to a partner (``all``, a group it belongs to, or its own code), the latest ``effective`` wins;
  on the same date the more specific row wins (code > group > all). A wrong date is corrected in this one
  file; an uncertain one says "(check)" in its source.
* ``coverage.csv``, ``product_lists.csv`` and ``china_retaliation.csv`` — product coverage by HS
  prefix (2 to 10 digits): ``coverage, hs_prefix, description, source``. Section 301 Lists 1–4B and
  product exclusions come from each HTS line's chapter 99 references (``s301_lists.csv`` where the file
  carries none).
* ``partners.csv`` — partner groups: ``group, partner, name, source`` (Census codes).
* ``content.csv`` — the share of a line's value each Section 232 group charges: ``coverage, partner, share,
  basis, source`` (partner ``all``, or a code or group whose share differs).
* ``dates.csv`` — named dates: known_through, the IEEPA ruling and end of collection, and others.
* ``preferences.csv`` — shares of imports claiming USMCA or KORUS and the layers they remove.

Layers: the duty layers (`DUTY_LAYERS`, one output column each) and the modifiers acting on them —
exemptions (`EXEMPTIONS`: 1 = exempt from the blanket rate), all-in rates (`ALL_IN`: a rate including MFN,
as the EU's 15%) and the Section 301 exclusion share. How they stack is `econ.tariffs.stacking`.

One module of some 440 lines, on purpose: each table's reader checks its rows against the others
(partners, groups, coverage), so the checks and the tables stay in one place.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econ.errors import ScenarioError

# Duty layers (each an output column of the engine) and the modifier layers that act on them.
DUTY_LAYERS: tuple[str, ...] = (
    "section301",
    "section232",
    "ieepa_fentanyl",
    "ieepa_reciprocal",
    "ieepa_other",
    "section122",
    "section301_brazil",
    "section301_forced_labour",
    "section201",
    "section338",
    "china_retaliation",
)
# An exemption layer (rate 1 = exempt) removes the blanket (coverage ``all``) rate of its duty layer on its
# products; a product-specific row of the duty layer still applies (Canada's energy at 10% of 35%).
EXEMPTIONS: dict[str, str] = {
    "reciprocal_exemption": "ieepa_reciprocal",
    "fentanyl_exemption": "ieepa_fentanyl",
    "ieepa_other_exemption": "ieepa_other",
    "section122_exemption": "section122",
    "forced_labour_exemption": "section301_forced_labour",
    "brazil301_exemption": "section301_brazil",
}
# An all-in layer sets a rate that includes MFN (the EU's 15%): while in force it replaces its duty layer by
# max(0, all-in - MFN).
ALL_IN: dict[str, str] = {
    "reciprocal_all_in": "ieepa_reciprocal",
    "forced_labour_all_in": "section301_forced_labour",
    "section232_all_in": "section232",
}
# Coverage groups whose names start so form a partition of the lines: a line belongs to the one whose prefix
# matches it most closely (the Section 232 annexes of 2026-04-06 list 8703 in Annex II and 8703.21.01 in
# Annex I-B).
EXCLUSIVE_FAMILIES: tuple[str, ...] = ("s232_annex_",)
# The share of a Section 301 line's value under a product exclusion while it is in force (not a duty).
EXCLUSION_LAYER = "section301_exclusion"
LAYERS: tuple[str, ...] = (*DUTY_LAYERS, *EXEMPTIONS, *ALL_IN, EXCLUSION_LAYER)

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
# Lines referring to a product-exclusion heading (9903.88.69: the reinstated exclusions; 9903.88.70: COVID
# medical products) belong to the coverage group ``s301_excluded``.
S301_EXCLUSION_HEADINGS: frozenset[str] = frozenset({"9903.88.69", "9903.88.70"})
S301_EXCLUDED = "s301_excluded"
FROM_SCHEDULE: tuple[str, ...] = (*S301_LISTS, S301_EXCLUDED)  # coverage read from the HTS lines

TIMELINE_COLUMNS = ("layer", "coverage", "partner", "effective", "rate", "instrument", "source", "note")
COVERAGE_COLUMNS = ("coverage", "hs_prefix", "description", "source")
PARTNER_COLUMNS = ("group", "partner", "name", "source")
CONTENT_COLUMNS = ("coverage", "partner", "share", "basis", "source")
DATES_COLUMNS = ("name", "date", "source")
PREFERENCE_COLUMNS = ("partner", "start", "share", "layers", "source")
S301_LIST_COLUMNS = ("hs8", "list", "heading", "source")
REQUIRED_DATES = (
    "known_through",
    "ieepa_ruling",
    "ieepa_collection_stopped",
    "s232_full_value",
    "de_minimis_china",
    "de_minimis_all",
)
IEEPA_LAYERS = ("ieepa_fentanyl", "ieepa_reciprocal", "ieepa_other", "reciprocal_all_in")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CENSUS_CODE = re.compile(r"^\d{4}$")
_HS_PREFIX = re.compile(r"^\d{2,10}$")


@dataclass(frozen=True)
class ContentShare:
    """The share of a line's value a Section 232 group charges: metal content (which the 2026-04-06
    restructuring replaced by full value) or the part of a line in scope (patented medicines, not the
    generics under the same code), for every partner and, where it differs, for named partners."""

    share: float
    metal: bool
    by_partner: dict[str, float] = field(default_factory=dict)  # partner key (code or group) -> share


@dataclass(frozen=True)
class Timeline:
    """The validated policy data: dated rows, product coverage, partner groups, the share of a line's
    value each Section 232 group charges (metal content), the named dates (known through, the IEEPA
    ruling…), preference shares and the compiled Section 301 lists."""

    rows: pd.DataFrame  # TIMELINE_COLUMNS, effective as datetime64[s], rate float64
    coverage: pd.DataFrame  # COVERAGE_COLUMNS
    partner_groups: dict[str, frozenset[str]]
    path: str = "<timeline>"
    # coverage group -> the share of a line's value the Section 232 group charges, for everyone and for the
    # partners named
    content: dict[str, ContentShare] = field(default_factory=dict)
    dates: dict[str, pd.Timestamp] = field(default_factory=dict)
    preferences: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PREFERENCE_COLUMNS))
    s301_lists: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=S301_LIST_COLUMNS))

    @property
    def known_through(self) -> pd.Timestamp:
        """The last day the timeline is known for: rates asked for after it are projections."""
        return self.dates["known_through"]

    def coverage_prefixes(self) -> dict[str, tuple[str, ...]]:
        """Coverage group → its HS prefixes."""
        grouped = self.coverage.groupby("coverage", sort=False)["hs_prefix"]
        return {str(name): tuple(prefixes) for name, prefixes in grouped}

    def partner_key_kind(self, key: str) -> str:
        """'all', 'group' or 'code' — the specificity of a partner key (code beats group beats all)."""
        if key == "all":
            return "all"
        if key in self.partner_groups:
            return "group"
        return "code"

    def with_rows(self, rows: pd.DataFrame) -> Timeline:
        return replace(self, rows=rows)


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
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
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
    return {str(g): frozenset(codes) for g, codes in frame.groupby("group")["partner"]}


# China's retaliation lists (US exports), apart from the US lists: another flow and another source.
CHINA_LISTS = "china_retaliation.csv"
# The package's line-exact US lists: one file would pass 2 MB, so the Section 338 lists of 2026-09-15 are
# kept apart.
US_LISTS = ("product_lists.csv", "section338_lists.csv")


def load_coverage(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Read coverage.csv (and, for the package's own, the line-exact product_lists.csv,
    section338_lists.csv and china_retaliation.csv), checking prefixes are 2–10 digits and every row has a
    source."""
    if path is not None:
        return _check_coverage(Path(path))
    return pd.concat(
        [_check_coverage(_data_file(name)) for name in ("coverage.csv", *US_LISTS, CHINA_LISTS)],
        ignore_index=True,
    )


def _check_coverage(file: Path) -> pd.DataFrame:
    frame = _read_csv(file, COVERAGE_COLUMNS)
    problems = []
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
    for i, row in enumerate(frame.itertuples(index=False)):
        if not row.coverage:
            problems.append(f"{_where(file, i)}: coverage is empty")
        if row.coverage == "all" or row.coverage in FROM_SCHEDULE:
            problems.append(f"{_where(file, i)}: coverage {row.coverage!r} is reserved")
        if not _HS_PREFIX.match(row.hs_prefix):
            problems.append(f"{_where(file, i)}: hs_prefix {row.hs_prefix!r} is not 2 to 10 digits")
        if not row.source:
            problems.append(f"{_where(file, i)}: source is empty")
    if problems:
        raise ScenarioError("; ".join(problems))
    return frame


def known_coverages(layer: str, coverage: pd.DataFrame | set[str]) -> set[str]:
    """The coverage keys a timeline row of `layer` may name (`coverage`: the coverage table, or the set
    of its group names)."""
    names = coverage if isinstance(coverage, set) else set(coverage["coverage"].unique())
    if layer == "section301":
        return set(S301_LISTS) | names
    if layer == EXCLUSION_LAYER:
        return {S301_EXCLUDED}
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
    names = set(coverage["coverage"].unique())
    effective: list[pd.Timestamp | None] = []
    rates: list[float] = []
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
    for i, row in enumerate(frame.itertuples(index=False)):
        where = _where(path, i)
        if row.layer not in LAYERS:
            problems.append(f"{where}: unknown layer {row.layer!r} (expected one of {', '.join(LAYERS)})")
        elif row.coverage not in known_coverages(row.layer, names):
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
        if row.layer in EXEMPTIONS and rate not in (0.0, 1.0):
            problems.append(f"{where}: {row.layer} rate must be 1 (exempt) or 0 (not exempt)")
        if row.layer == EXCLUSION_LAYER and not (0.0 <= rate <= 1.0):
            problems.append(f"{where}: {row.layer} rate is the share of value excluded (0 to 1)")
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


def load_content(
    path: str | PathLike[str] | None = None, *, groups: dict[str, frozenset[str]] | None = None
) -> dict[str, ContentShare]:
    """Read content.csv: the share of a line's value a Section 232 group charges (metal content, or the
    share of a line in scope), 1 where a group is not listed; a row's partner is ``all`` or a partner code
    or group for which the share differs (the ``all`` row of the group must come with it). With
    ``groups`` (partners.csv), a partner must be one of them or a 4-digit Census code."""
    file = Path(path) if path is not None else _data_file("content.csv")
    frame = _read_csv(file, CONTENT_COLUMNS)
    everyone: dict[str, tuple[float, bool]] = {}
    named: dict[str, dict[str, float]] = {}
    problems = []
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
    for i, row in enumerate(frame.itertuples(index=False)):
        try:
            share = float(row.share)
        except ValueError:
            share = float("nan")
        if not 0.0 < share <= 1.0:
            problems.append(f"{_where(file, i)}: share {row.share!r} is not a fraction in (0, 1]")
        if not row.source:
            problems.append(f"{_where(file, i)}: source is empty")
        if row.partner == "all":
            everyone[row.coverage] = (share, row.basis == "metal content")
        elif not row.partner or (
            groups is not None and row.partner not in groups and not _CENSUS_CODE.match(row.partner)
        ):
            problems.append(
                f"{_where(file, i)}: partner {row.partner!r} is not all, a partner group or a 4-digit code"
            )
        else:
            named.setdefault(row.coverage, {})[row.partner] = share
    for coverage in sorted(set(named) - set(everyone)):
        problems.append(f"{file}: coverage {coverage!r} has partner shares but no row for partner all")
    # Two groups of one coverage that share a partner would leave its share to the order of the rows.
    for coverage, shares in sorted(named.items()):
        named_groups = sorted(key for key in shares if groups is not None and key in groups)
        for a, b in itertools.combinations(named_groups, 2):
            both = groups[a] & groups[b] if groups is not None else frozenset()
            if both and shares[a] != shares[b]:
                problems.append(
                    f"{file}: coverage {coverage!r} gives groups {a!r} and {b!r} different shares, and both"
                    f" hold {sorted(both)[:3]}; name those partners by code"
                )
    if problems:
        raise ScenarioError("; ".join(problems))
    return {
        coverage: ContentShare(share, metal, named.get(coverage, {}))
        for coverage, (share, metal) in everyone.items()
    }


def load_dates(path: str | PathLike[str] | None = None) -> dict[str, pd.Timestamp]:
    """Read dates.csv: the named dates (known_through, ieepa_ruling, …), each with its source."""
    file = Path(path) if path is not None else _data_file("dates.csv")
    frame = _read_csv(file, DATES_COLUMNS)
    dates: dict[str, pd.Timestamp] = {}
    problems = []
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
    for i, row in enumerate(frame.itertuples(index=False)):
        day = parse_date(row.date)
        if day is None:
            problems.append(f"{_where(file, i)}: date {row.date!r} is not a date (expected YYYY-MM-DD)")
            continue
        if not row.source:
            problems.append(f"{_where(file, i)}: source is empty")
        dates[row.name] = day
    missing = [name for name in REQUIRED_DATES if name not in dates]
    if missing:
        problems.append(f"{file}: missing dates {missing}")
    if problems:
        raise ScenarioError("; ".join(problems))
    return dates


def load_preferences(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Read preferences.csv: by partner and start date, the share of imports claiming a preference
    (USMCA, KORUS…) and the layers it removes; typed, sorted by partner and start."""
    file = Path(path) if path is not None else _data_file("preferences.csv")
    return check_preferences(_read_csv(file, PREFERENCE_COLUMNS), where=str(file))


def check_preferences(frame: pd.DataFrame, *, where: str = "preferences") -> pd.DataFrame:
    """Validate preference shares (columns partner, start, share, layers, source — e.g. computed from
    Census rate-provision data), collecting every problem; typed and sorted by partner and start."""
    missing = [c for c in PREFERENCE_COLUMNS if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{where}: missing columns {missing} (expected {list(PREFERENCE_COLUMNS)})")
    frame = frame.loc[:, list(PREFERENCE_COLUMNS)].astype({"partner": str, "layers": str, "source": str})
    frame = frame.reset_index(drop=True)
    file = where
    problems = []
    starts, shares = [], []
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
    for i, row in enumerate(frame.itertuples(index=False)):
        if not _CENSUS_CODE.match(row.partner):
            problems.append(f"{_where(file, i)}: partner {row.partner!r} is not a 4-digit Census code")
        start = parse_date(row.start)
        if start is None:
            problems.append(f"{_where(file, i)}: start {row.start!r} is not a date (expected YYYY-MM-DD)")
        if not row.source:
            problems.append(f"{_where(file, i)}: source is empty")
        try:
            share = float(row.share)
        except ValueError:
            share = float("nan")
        if not 0.0 <= share <= 1.0:
            problems.append(f"{_where(file, i)}: share {row.share!r} is not a fraction in [0, 1]")
        unknown = [layer for layer in row.layers.split() if layer != "mfn" and layer not in DUTY_LAYERS]
        if unknown:
            problems.append(f"{_where(file, i)}: unknown layers {unknown} (expected mfn or a duty layer)")
        starts.append(start)
        shares.append(share)
    if problems:
        raise ScenarioError("; ".join(problems))
    typed = frame.assign(start=pd.to_datetime(pd.Series(starts, dtype=object)), share=shares)
    return typed.sort_values(["partner", "start"], ignore_index=True)


def load_s301_lists(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Read s301_lists.csv: the Section 301 lists at HS8 as published, for schedules whose file carries no
    chapter 99 footnotes (the HTS CSV export; JSON exports from 2026 revision 13)."""
    file = Path(path) if path is not None else _data_file("s301_lists.csv")
    frame = _read_csv(file, S301_LIST_COLUMNS)
    bad = ~frame["hs8"].str.fullmatch(r"\d{8}") | ~frame["list"].isin(S301_LISTS)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ScenarioError(f"{_where(file, i)}: expected an 8-digit hs8 and a list in {S301_LISTS}")
    return frame


def load_timeline(
    path: str | PathLike[str] | None = None,
    *,
    coverage: str | PathLike[str] | None = None,
    partners: str | PathLike[str] | None = None,
    dates: str | PathLike[str] | None = None,
) -> Timeline:
    """Load and validate the timeline (the package's by default; a user's CSV of the same columns)."""
    groups = load_partner_groups(partners)
    cover = load_coverage(coverage)
    file = Path(path) if path is not None else _data_file("timeline.csv")
    raw = _read_csv(file, TIMELINE_COLUMNS)
    rows = validate_rows(raw, coverage=cover, groups=groups, path=str(file))
    return Timeline(
        rows=rows,
        coverage=cover,
        partner_groups=groups,
        path=str(file),
        content=load_content(groups=groups),
        dates=load_dates(dates),
        preferences=load_preferences(),
        s301_lists=load_s301_lists(),
    )
