"""The product side of the schedule: HTS lines of one or several dated revisions, as arrays.

* **Revisions.** Each line may carry the ``revision`` it comes from and that revision's ``effective`` date;
  a row's MFN rate is the one of the revision in force on its date. A code absent from that revision takes
  its rate from the nearest revision that has it (the latest earlier one, else the earliest later one), so a
  2017 code still has a rate in 2026 and a 2026 code one in 2017.
* **Codes across schedules.** Every code of every revision is known; chapter 99 references (Section 301
  lists, product exclusions) are the union over revisions. ``code_map`` (``from_code``, ``to_code``: e.g.
  the Census concordance of a renumbering) maps an old code to its successors, whose product lists it then
  shares; a code that is in no revision is looked up through the map, then at its HS8.
* **Section 301 lists.** Read from the lines' chapter 99 footnotes ("See 9903.88.03."). A schedule whose
  file carries no such footnote at all (the HTS CSV export, JSON exports from 2026 revision 13) takes the
  package's compiled lists at HS8 instead (data/s301_lists.csv), and says so in the log.
* **Specific and compound rates** have no ad valorem rate: ``mfn_ad_valorem_equivalent`` fills them when the
  lines carry it; otherwise their ad valorem part (0 for a purely specific rate) stands, they are counted,
  and `Schedule.rates(…, ave=…)` takes equivalents computed from trade (`econ.tariffs.ave`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from econ.errors import SchemaError
from econ.tariffs.timeline import S301_EXCLUDED, S301_EXCLUSION_HEADINGS, S301_HEADINGS

log = logging.getLogger(__name__)

_ORIGIN_DAY = np.datetime64("1900-01-01", "D").astype(np.int64)


@dataclass
class Products:
    """Every code of every revision: MFN by revision, chapter 99 groups, and how codes map."""

    codes: pd.Index  # HS8 and HS10 codes, str
    revision_names: list[str]
    revision_days: np.ndarray  # int64 days since 1970, ascending (first revision from 1900)
    mfn: np.ndarray  # (n_revisions, n_codes) float64, filled across revisions
    non_ad_valorem: np.ndarray  # (n_codes,) bool: the MFN rate is specific or compound
    groups: list[frozenset[str]]  # per code: Section 301 lists and 's301_excluded' from chapter 99
    mapped: dict[str, tuple[str, ...]]  # code -> the later codes it maps to (code_map)
    used_compiled_lists: bool

    @property
    def section301_lines(self) -> int:
        return sum(
            1 for g, c in zip(self.groups, self.codes, strict=True) if len(c) == 8 and g - {S301_EXCLUDED}
        )

    def revision_at(self, days: np.ndarray) -> np.ndarray:
        """Index of the revision in force on each day (the first revision before its date)."""
        return np.maximum(np.searchsorted(self.revision_days, days, side="right") - 1, 0).astype(np.int32)


def build_products(
    lines: pd.DataFrame, *, s301_lists: pd.DataFrame, code_map: pd.DataFrame | None = None
) -> Products:
    """Arrays of the schedule's lines (see the module docstring for the columns read)."""
    missing = [c for c in ("hs8", "mfn_ad_valorem") if c not in lines.columns]
    if missing:
        raise SchemaError(
            f"Schedule(products): missing column(s) {missing} (expected hs8, mfn_ad_valorem, chapter99)"
        )
    hs8 = lines["hs8"].astype(str)
    bad = ~hs8.str.fullmatch(r"\d{8}")
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError(f"Schedule(products): row {first}: hs8 {hs8.iloc[first]!r} is not 8 digits")
    hs10 = lines["hs10"] if "hs10" in lines.columns else pd.Series(None, index=lines.index, dtype=object)
    hs10 = hs10.astype(object).where(hs10.notna(), None).map(lambda v: v if v and len(str(v)) == 10 else None)
    mfn = lines["mfn_ad_valorem"].astype("float64")
    if "mfn_ad_valorem_equivalent" in lines.columns:
        mfn = mfn.fillna(lines["mfn_ad_valorem_equivalent"].astype("float64"))
    if "rate_kind" in lines.columns:
        non_adv = lines["rate_kind"].astype(str).isin(["specific", "compound"]).to_numpy()
    else:
        non_adv = mfn.isna().to_numpy()
    # A file named without its revision (`hts_current_0100_9999.json`, what `econ fetch hts` saves) reads
    # with no revision: one unnamed revision, not none.
    revision = (
        lines["revision"].fillna("").astype(str)
        if "revision" in lines.columns
        else pd.Series("", index=lines.index)
    )
    if "effective" in lines.columns:
        effective = pd.to_datetime(lines["effective"])
        if effective.isna().any():
            raise SchemaError("Schedule.from_lines: column 'effective' has missing dates")
        eff_days = effective.to_numpy().astype("datetime64[D]").astype(np.int64)
    else:
        eff_days = np.full(len(lines), _ORIGIN_DAY)
    refs = (
        lines["chapter99"]
        if "chapter99" in lines.columns
        else pd.Series([[]] * len(lines), index=lines.index)
    )
    ch99 = [frozenset(r) if isinstance(r, list | tuple | np.ndarray) else frozenset() for r in refs]

    frame = pd.DataFrame(
        {
            "hs8": hs8.to_numpy(),
            "hs10": hs10.to_numpy(),
            "mfn": mfn.to_numpy(),
            "non_adv": non_adv,
            "revision": revision.to_numpy(),
            "day": eff_days,
            "ch99": ch99,
        }
    )
    # Revisions in date order; the earliest holds from 1900 so that every date has one.
    order = frame.groupby("revision", sort=False)["day"].min().sort_values(kind="stable")
    rev_names = list(order.index)
    rev_days = order.to_numpy().astype(np.int64)
    rev_days[0] = min(rev_days[0], _ORIGIN_DAY)
    frame["rev"] = frame["revision"].map({name: i for i, name in enumerate(rev_names)}).astype(np.int64)

    has_footnotes = any(
        h in S301_HEADINGS for refs_ in ch99 for h in refs_
    )  # a file with no 301 footnote at all
    is8 = frame["hs10"].isna().to_numpy()
    # HS8 level per revision: the HS8 line's MFN (else its first HS10's); lists from the HS8 line or any
    # HS10 under it. HS10 lines inherit the HS8 rate unless they carry their own.
    ordered = pd.concat([frame[is8], frame[~is8]])
    by8 = ordered.groupby(["rev", "hs8"], sort=False).agg(mfn=("mfn", "first"), non_adv=("non_adv", "first"))
    lines10 = frame[~is8].copy()
    parent = by8.reindex(pd.MultiIndex.from_arrays([lines10["rev"], lines10["hs8"]]))
    lines10["mfn"] = lines10["mfn"].fillna(pd.Series(parent["mfn"].to_numpy(), index=lines10.index))
    lines10["non_adv"] = lines10["non_adv"] | parent["non_adv"].fillna(False).to_numpy(dtype=bool)
    by10 = lines10.drop_duplicates(["rev", "hs10"]).set_index(["rev", "hs10"])[["mfn", "non_adv"]]

    codes = pd.Index(
        pd.unique(np.concatenate([by8.index.get_level_values(1), by10.index.get_level_values(1)])),
        dtype=object,
    )
    n_rev, n_codes = len(rev_names), len(codes)
    mfn_matrix = np.full((n_rev, n_codes), np.nan)
    non_adv_any = np.zeros(n_codes, dtype=bool)
    for table in (by8, by10):
        r = table.index.get_level_values(0).to_numpy()
        c = codes.get_indexer(table.index.get_level_values(1))
        mfn_matrix[r, c] = table["mfn"].to_numpy(dtype=float)
        non_adv_any[c] |= table["non_adv"].to_numpy(dtype=bool)
    mfn_matrix = _fill_across_revisions(mfn_matrix)
    n_non_adv = int(np.isnan(mfn_matrix[-1]).sum())
    if n_non_adv:
        log.info(
            "tariffs: %d lines without an ad valorem MFN rate, taken as 0 unless given an AVE", n_non_adv
        )
    mfn_matrix = np.nan_to_num(mfn_matrix, nan=0.0)

    # Chapter 99 groups per code, the union over revisions (an HS8 carries those of its HS10 lines too).
    refs8: dict[str, set[str]] = {}
    refs10: dict[str, set[str]] = {}
    for code8, code10, r in zip(frame["hs8"], frame["hs10"], frame["ch99"], strict=True):
        if not r:
            continue
        refs8.setdefault(code8, set()).update(r)
        if code10 is not None:
            refs10.setdefault(code10, set()).update(r)
    compiled: dict[str, set[str]] = {}
    if not has_footnotes:
        for code8, name in zip(s301_lists["hs8"], s301_lists["list"], strict=True):
            compiled.setdefault(code8, set()).add(name)
        if len(codes) > 100:
            log.warning(
                "tariffs: the schedule's lines carry no Section 301 footnote (an HTS CSV export?): "
                "using the package's compiled Section 301 lists at HS8"
            )

    def groups_of(refs: set[str]) -> set[str]:
        out = {S301_HEADINGS[h] for h in refs if h in S301_HEADINGS}
        if refs & S301_EXCLUSION_HEADINGS:
            out.add(S301_EXCLUDED)
        return out

    groups: list[frozenset[str]] = []
    for code in codes:
        own = groups_of(refs10.get(code, set()) if len(code) == 10 else refs8.get(code, set()))
        parent8 = groups_of(refs8.get(code[:8], set())) if len(code) == 10 else set()
        listed = compiled.get(code[:8], set())
        # An HS10 line inherits its HS8's lists, not an exclusion granted to a sibling HS10 line.
        groups.append(frozenset(own | (parent8 - {S301_EXCLUDED}) | listed))

    mapped: dict[str, tuple[str, ...]] = {}
    if code_map is not None:
        for column in ("from_code", "to_code"):
            if column not in code_map.columns:
                raise SchemaError(f"code_map: missing column {column!r} (expected from_code, to_code)")
        pairs = code_map.astype({"from_code": str, "to_code": str})
        for old, new in pairs.groupby("from_code", sort=False)["to_code"]:
            mapped[str(old)] = tuple(new)
    return Products(
        codes=codes,
        revision_names=rev_names,
        revision_days=rev_days,
        mfn=mfn_matrix,
        non_ad_valorem=non_adv_any,
        groups=groups,
        mapped=mapped,
        used_compiled_lists=not has_footnotes,
    )


def _fill_across_revisions(matrix: np.ndarray) -> np.ndarray:
    """Fill each code's missing revisions from the latest earlier revision that has it, else the earliest
    later one."""
    out = pd.DataFrame(matrix).ffill(axis=0).bfill(axis=0)
    return out.to_numpy()


def index_codes(
    frame: pd.DataFrame, products: Products
) -> tuple[np.ndarray, list[str], np.ndarray, dict[str, object]]:
    """Each row's product as a position into a list of codes to resolve (its HS10 where the schedule or
    the code map knows it, else its HS8), the positions into ``products.codes`` (-1: not in any
    revision), and a report of what was not matched."""
    known = products.codes
    if "hs10" in frame.columns:
        idx10, u10 = factorize_codes(frame["hs10"])
        in_schedule = known.get_indexer(u10) >= 0
        in_map = np.array([code in products.mapped for code in u10], dtype=bool)
        usable = np.append(in_schedule | in_map, False)
        if usable[:-1].all() and (len(idx10) == 0 or idx10.min() >= 0):
            # Every row's HS10 is known: no HS8 to fall back to (the common case, and the fast one).
            codes = np.asarray(idx10, dtype=np.int32)
            uniques = list(u10)
            fell_back = 0
        else:
            if "hs8" in frame.columns:
                idx8, u8 = factorize_codes(frame["hs8"])
            else:
                # The HS8 of each distinct HS10 (missing HS10 rows have no HS8 to fall back to).
                heads = pd.Index(u10.str.slice(0, 8))
                idx8_unique, u8 = pd.factorize(heads, sort=False)
                u8 = pd.Index(u8, dtype=object)
                idx8 = np.where(idx10 >= 0, idx8_unique[np.maximum(idx10, 0)], -1)
            fallback = ~usable[idx10]  # idx10 is -1 where hs10 is missing: usable[-1] is False
            codes = np.where(fallback, idx8 + len(u10), idx10).astype(np.int32)
            uniques = list(u10) + list(u8)
            fell_back = int(fallback.sum())
    else:
        idx8, u8 = factorize_codes(frame["hs8"])
        codes = idx8.astype(np.int32)
        uniques = list(u8)
        fell_back = 0
    positions = known.get_indexer(pd.Index(uniques, dtype=object))
    # A code in no revision: its mapped successor's position (the first that is known).
    for i in np.flatnonzero(positions < 0):
        for successor in products.mapped.get(uniques[i], ()):
            j = known.get_indexer(pd.Index([successor], dtype=object))[0]
            if j >= 0:
                positions[i] = j
                break
    unmatched_codes = positions < 0
    report: dict[str, object] = {"rows_unmatched": 0, "rows_hs10_fell_back_to_hs8": fell_back}
    rows_unmatched = unmatched_codes[codes] if unmatched_codes.any() else np.zeros(0, dtype=bool)
    if rows_unmatched.any():
        report["rows_unmatched"] = int(rows_unmatched.sum())
        sub = pd.DataFrame({"code": np.asarray(uniques, dtype=object)[codes[rows_unmatched]]})
        if "value" in frame.columns:
            sub["value"] = frame["value"].to_numpy()[rows_unmatched]
        else:
            sub["value"] = np.nan
        table = sub.groupby("code", sort=False).agg(rows=("code", "size"), value=("value", "sum"))
        report["unmatched"] = table.sort_values(["value", "rows"], ascending=False).reset_index()
    return codes, uniques, positions, report


def factorize_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and distinct values (as str) of a code column; a categorical column is not
    converted row by row (a 40-million-row panel keeps its codes)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # The categories are the distinct values already (unused ones cost a lookup each, not a row).
        return np.asarray(column.cat.codes), pd.Index(column.cat.categories.astype(str), dtype=object)
    idx, uniques = pd.factorize(column, sort=False)
    return np.asarray(idx), pd.Index(pd.Index(uniques).astype(str), dtype=object)


def revision_dates(revisions: pd.Series) -> pd.Series:
    """The date each HTS revision took effect ("2025 Basic", "2025 Revision 19"…), from data/revisions.csv;
    SchemaError naming the revisions it does not know (give the lines an ``effective`` column, or add a row
    to that file with its source)."""
    from importlib import resources

    path = Path(str(resources.files("econ.tariffs") / "data" / "revisions.csv"))
    known = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("revision")["effective"]
    names = revisions.astype(str)
    unknown = sorted(set(names) - set(known.index))
    if unknown:
        raise SchemaError(
            f"Schedule.from_lines: no effective date for HTS revision(s) {unknown} "
            f"(expected an 'effective' column on the lines, or a row in {path})"
        )
    return pd.Series(pd.to_datetime(names.map(known)), index=revisions.index)
