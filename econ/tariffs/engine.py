"""The engine: statutory tariff layers for a whole panel at once.

How it stays vectorised. Every layer is a step function of the date, and what a row pays depends only on
(the product's coverage groups, the partner's groups, the date). So the engine

1. puts every change date of the timeline on one grid of intervals;
2. reduces products to *product classes* (the distinct sets of coverage groups among the panel's codes)
   and partners to *partner classes* (each partner the timeline names, plus "everyone else");
3. computes, for each class pair and each interval, every layer with the stacking rules applied
   (a few thousand numbers);
4. looks each row up with one `searchsorted` of its date on the grid and one gather per layer.

Monthly rates use the same tables: the average over a month of a step function is the difference of its
running integral at the month's ends, divided by the days in the month.

Stacking (FACTS §1, as applied in 2025), for US imports:

    total = mfn + section301 + section232 + ieepa_fentanyl + ieepa_reciprocal

where section301 is the highest rate among the 301 lists and review groups the product is on, section232
the highest among its 232 groups, and ieepa_reciprocal is zero on a date when the product is under a
Section 232 duty (rate > 0 for that partner) or exempt (Annex II and later exemptions); where an all-in
rate is in force for the partner (Japan, EU) ieepa_reciprocal is max(0, all_in − mfn). For US exports to
China (``flow="exports"``) only ``china_retaliation`` is filled, and ``total`` is the retaliation
additional to China's MFN rate (which the engine does not hold); the US layers are 0.

Simplifications (say them aloud): MFN is the column 1 general rate for every partner (FTA preferences such
as USMCA or KORUS are not applied; the collected rate shows them); Section 301 product exclusions and the
List 3 in-transit rule (10% kept until 2019-06-15 for goods exported before 2019-05-10) are ignored;
tariff-rate quotas count as in-quota (rate 0). Of the country-specific reciprocal rates of 2025-08-07
the timeline has Vietnam, Taiwan, South Korea and India (additive) and Japan and the EU (15% all-in:
max(0, 15% − MFN)); the others stay at the 10% baseline; the IEEPA duties on Canada and Mexico (largely
waived for USMCA goods) and on Brazil are not in the timeline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from os import PathLike
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import ScenarioError, SchemaError
from econ.tariffs.scenarios import Scenario, load_scenario
from econ.tariffs.timeline import LAYERS, S301_HEADINGS, S301_LISTS, Timeline, load_timeline

log = logging.getLogger(__name__)

Flow = Literal["imports", "exports"]
OUTPUT_LAYERS: tuple[str, ...] = (
    "mfn",
    "section301",
    "section232",
    "ieepa_fentanyl",
    "ieepa_reciprocal",
    "china_retaliation",
)
_STEP_LAYERS = ("section301", "section232", "ieepa_fentanyl", "ieepa_reciprocal", "china_retaliation")
_COMBINE = {
    "section301": "max",
    "section232": "max",
    "ieepa_fentanyl": "max",
    "ieepa_reciprocal": "max",
    "reciprocal_exemption": "max",
    "reciprocal_all_in": "max",
    "china_retaliation": "sum",
}
_ORIGIN = np.datetime64("1900-01-01", "D").astype(np.int64)


@dataclass
class _Compiled:
    """A timeline reduced to arrays: the interval grid and each (layer, coverage) step function."""

    grid: np.ndarray  # int64 days since 1970, ascending; grid[0] is 1900-01-01
    partner_codes: list[str]  # partner classes 1..n; class 0 is every partner not named
    steps: dict[tuple[str, str], np.ndarray]  # (layer, coverage) -> (n_partner_classes, n_intervals)
    prefixes: dict[str, tuple[str, ...]]


class Schedule:
    """US and Chinese statutory tariffs on a panel, by layer, under the package timeline or a scenario.

    `products` is one row per HTS line: ``hs8`` (8-digit str), optional ``hs10`` (10-digit str, missing on
    HS8 lines), ``mfn_ad_valorem`` (fraction; NaN for specific or compound rates — then
    ``mfn_ad_valorem_equivalent`` is used when present, else 0, counted in ``non_ad_valorem_lines``) and
    optional ``chapter99`` (list of chapter 99 headings, e.g. ["9903.88.03"]) from which Section 301 list
    membership is read. An HS8 code is on a list when its HS8 line or any of its HS10 lines refers to it;
    an HS10 code when its own line or its HS8 line does.
    """

    def __init__(
        self, products: pd.DataFrame, *, timeline: Timeline | str | PathLike[str] | None = None
    ) -> None:
        self.timeline = timeline if isinstance(timeline, Timeline) else load_timeline(timeline)
        self._hs8, self._hs10, self.non_ad_valorem_lines = _product_tables(products)
        self.section301_lines = int((self._hs8["lists"].map(len) > 0).sum())
        if self.section301_lines == 0 and len(self._hs8) > 100:
            # The HTS CSV export carries no footnotes, so no 9903.88 references: say so, loudly.
            log.warning("tariffs: no HS8 line refers to a Section 301 heading (an HTS CSV export?)")
        self._compiled: dict[tuple, _Compiled] = {}
        self.last_diagnostics: dict[str, int] = {}

    @classmethod
    def from_hts(
        cls, paths: str | PathLike[str] | list[str | PathLike[str]], *, timeline: Timeline | str | None = None
    ) -> Schedule:
        """Build a schedule from USITC HTS JSON files (read by econ.sources.hts.read)."""
        try:
            from econ.sources import hts  # type: ignore[attr-defined]
        except ImportError as exc:  # the reader lands in another issue
            raise ScenarioError(
                "econ.sources.hts is not available: build Schedule(products) directly"
            ) from exc
        items = [paths] if isinstance(paths, str | PathLike) else list(paths)
        frames = [hts.read(p) for p in items]
        lines = pd.concat(frames, ignore_index=True)
        # The reader names codes hts8/hts10 and keeps heading and subheading lines: keep HS8 and HS10.
        lines = lines.loc[lines["hts8"].notna().to_numpy()]
        products = pd.DataFrame(
            {
                "hs8": lines["hts8"].astype(str).to_numpy(),
                "hs10": lines["hts10"].astype(object).where(lines["hts10"].notna(), None).to_numpy(),
                "mfn_ad_valorem": lines["mfn_ad_valorem"].astype("float64").to_numpy(),
                "chapter99": lines["chapter99"].to_numpy(),
            }
        )
        return cls(products, timeline=timeline)

    # ----------------------------------------------------------------------------------------------
    def rates(
        self,
        frame: pd.DataFrame,
        *,
        scenario: str | PathLike[str] | Scenario | None = None,
        flow: Flow = "imports",
    ) -> pd.DataFrame:
        """The frame with one column per layer and `total`, as fractions, on each row's `date`.

        `frame` has ``hs8`` or ``hs10`` (or both: hs10 is tried first, HS8 where the HS10 is not in the
        schedule), ``partner`` (Census code) and ``date`` (datetime64). `flow` says whether the rows are
        US imports from `partner` (US duties) or US exports to it (China's retaliation).
        """
        return self._evaluate(frame, scenario=scenario, flow=flow, time="date")

    def monthly_rates(
        self,
        frame: pd.DataFrame,
        *,
        scenario: str | PathLike[str] | Scenario | None = None,
        flow: Flow = "imports",
    ) -> pd.DataFrame:
        """As `rates`, for a ``month`` column (first day of the month): each layer is its average over
        the days of the month, weighted by days in force (May 2025 for China: 13 days at 125% reciprocal,
        18 at 10%). ``total`` is the sum of the averaged layers."""
        return self._evaluate(frame, scenario=scenario, flow=flow, time="month")

    # ----------------------------------------------------------------------------------------------
    def resolve_scenario(self, scenario: str | PathLike[str] | Scenario | None) -> Scenario | None:
        if scenario is None or isinstance(scenario, Scenario):
            return scenario
        return load_scenario(scenario, timeline=self.timeline)

    def _compile(self, scenario: Scenario | None) -> _Compiled:
        key = () if scenario is None else scenario.key
        if key not in self._compiled:
            timeline = self.timeline if scenario is None else scenario.apply(self.timeline)
            self._compiled[key] = _compile(timeline)
        return self._compiled[key]

    def _evaluate(self, frame: pd.DataFrame, *, scenario: Any, flow: Flow, time: str) -> pd.DataFrame:
        if flow not in get_args(Flow):
            raise ScenarioError(f"flow={flow!r}: expected one of {get_args(Flow)}")
        missing = [c for c in ("partner", time) if c not in frame.columns]
        if "hs8" not in frame.columns and "hs10" not in frame.columns:
            missing.append("hs8 or hs10")
        if missing:
            raise SchemaError(f"rates(): the frame lacks column(s) {missing}")
        compiled = self._compile(self.resolve_scenario(scenario))

        # Products: factorise the codes (millions of rows, thousands of codes) and resolve the uniques.
        product_codes, product_uniques, diagnostics = self._product_index(frame)
        classes, class_members, mfn = self._product_classes(product_uniques, compiled)
        partner_idx, partner_uniques = pd.factorize(frame["partner"].astype(str), sort=False)
        lookup = {code: i + 1 for i, code in enumerate(compiled.partner_codes)}
        partner_class = np.array([lookup.get(p, 0) for p in partner_uniques], dtype=np.int64)
        n_pc = len(compiled.partner_codes) + 1

        table = _layer_table(compiled, class_members, n_pc, flow=flow)  # layer -> (n_keys, n_intervals)
        if (product_codes < 0).any() or (partner_idx < 0).any():
            raise SchemaError("rates(): missing product codes or partners in the frame")
        # int32 indices: a 10-million-row panel's keys fit, and halve the memory of the int64 default.
        row_key = classes.astype(np.int32)[product_codes] * np.int32(n_pc)
        row_key += partner_class.astype(np.int32)[partner_idx]

        days = _days(frame[time], time)
        out: dict[str, np.ndarray] = {}
        if time == "date":
            interval = np.searchsorted(compiled.grid, days, side="right").astype(np.int32) - 1
            n_int = len(compiled.grid)
            flat = row_key * np.int32(n_int)
            flat += interval
            del interval
            for layer, values in table.items():
                out[layer] = values.ravel()[flat]
            all_in = out.pop("reciprocal_all_in")
            share_all_in = (all_in > 0).astype(np.float64)
        else:
            month_idx, month_uniques = pd.factorize(days, sort=False)
            # A month is [its first day, the next month's first day), whatever day the column carries.
            starts = np.asarray(month_uniques, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]")
            starts = starts.astype("datetime64[D]").astype(np.int64)
            ends = (
                (starts.astype("datetime64[D]").astype("datetime64[M]") + 1)
                .astype("datetime64[D]")
                .astype(np.int64)
            )
            n_months = len(starts)
            flat = row_key * np.int32(n_months)
            flat += month_idx.astype(np.int32)
            for layer, values in table.items():
                averages = _interval_average(values, compiled.grid, starts, ends)  # (n_keys, n_months)
                out[layer] = averages.ravel()[flat]
            # The all-in rate's share of the month's days, and its level on those days (exact while the
            # all-in rate does not itself change within a month, as in every timeline row so far).
            active = (table["reciprocal_all_in"] > 0).astype(np.float64)
            share_all_in = _interval_average(active, compiled.grid, starts, ends).ravel()[flat]
            with np.errstate(invalid="ignore", divide="ignore"):
                all_in = np.where(share_all_in > 0, out.pop("reciprocal_all_in") / share_all_in, 0.0)

        mfn_rows = mfn[product_codes] if flow == "imports" else np.zeros(len(frame))
        if share_all_in.any():
            # All-in rate: the reciprocal duty is what is left of it after MFN, never below zero.
            out["ieepa_reciprocal"] = out["ieepa_reciprocal"] + share_all_in * np.maximum(
                all_in - mfn_rows, 0.0
            )
        result = {"mfn": mfn_rows}
        result.update(out)
        total = np.zeros(len(frame))
        for layer in OUTPUT_LAYERS:
            total += result[layer]
        result["total"] = total
        diagnostics["non_ad_valorem_lines"] = self.non_ad_valorem_lines
        diagnostics["section301_lines"] = self.section301_lines
        self.last_diagnostics = diagnostics
        # US exports are Schedule B codes, not HTS lines: only US imports need the MFN rate.
        if diagnostics.get("rows_unmatched") and flow == "imports":
            log.warning(
                "tariffs: %d rows have product codes not in the schedule (mfn 0)",
                diagnostics["rows_unmatched"],
            )
        # The new columns are wrapped without a copy (they are ours) and set beside the caller's columns,
        # which copy-on-write leaves uncopied.
        new = pd.DataFrame(result, index=frame.index, copy=False)
        kept = frame.drop(columns=[c for c in new.columns if c in frame.columns])
        merged = pd.concat([kept, new], axis=1)
        merged.attrs["tariffs"] = diagnostics
        return merged

    def _product_index(self, frame: pd.DataFrame) -> tuple[np.ndarray, list[str], dict[str, int]]:
        """Codes per row (HS10 where known to the schedule, else HS8) as integer positions into uniques."""
        diagnostics = {"rows_unmatched": 0, "rows_hs10_fell_back_to_hs8": 0}
        if "hs10" in frame.columns:
            hs10 = frame["hs10"].astype("str")
            idx10, u10 = pd.factorize(hs10, sort=False)
            known = np.append(np.asarray(pd.Index(u10).isin(self._hs10.index), dtype=bool), False)
            if "hs8" in frame.columns:
                idx8, u8 = pd.factorize(frame["hs8"].astype("str"), sort=False)
            else:
                idx8, u8 = pd.factorize(hs10.str.slice(0, 8), sort=False)
            # Unknown HS10 (codes drift between revisions): fall back to the row's HS8.
            uniques = list(u10) + list(u8)
            fallback = ~known[idx10]  # idx10 is -1 where hs10 is missing: known[-1] is False
            codes = np.where(fallback, idx8 + len(u10), idx10)
            diagnostics["rows_hs10_fell_back_to_hs8"] = int(fallback.sum())
            found8 = np.asarray(pd.Index(u8).isin(self._hs8.index), dtype=bool)
            diagnostics["rows_unmatched"] = int((fallback & ~found8[idx8]).sum())
            return codes.astype(np.int32), uniques, diagnostics
        idx8, u8 = pd.factorize(frame["hs8"].astype("str"), sort=False)
        found8 = np.asarray(pd.Index(u8).isin(self._hs8.index), dtype=bool)
        diagnostics["rows_unmatched"] = int((~found8[idx8]).sum())
        return idx8.astype(np.int32), list(u8), diagnostics

    def _product_classes(
        self, codes: list[str], compiled: _Compiled
    ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """For each unique code: its class id, the class membership matrix, and its MFN rate."""
        groups = list(S301_LISTS) + list(compiled.prefixes)
        code_arr = pd.Series(codes, dtype=object)
        is10 = (code_arr.str.len() == 10).to_numpy()
        mfn = np.where(
            is10,
            self._hs10["mfn"].reindex(code_arr).to_numpy(dtype=float),
            self._hs8["mfn"].reindex(code_arr).to_numpy(dtype=float),
        )
        mfn = np.nan_to_num(mfn, nan=0.0)  # codes not in the schedule: counted in rows_unmatched
        empty: frozenset[str] = frozenset()
        lists10 = self._hs10["lists"].reindex(code_arr).to_numpy()
        lists8 = self._hs8["lists"].reindex(code_arr).to_numpy()
        lists = [(a if is_10 else b) for a, b, is_10 in zip(lists10, lists8, is10, strict=True)]
        lists = [s if isinstance(s, frozenset) else empty for s in lists]
        member = np.zeros((len(codes), len(groups)), dtype=bool)
        for j, name in enumerate(S301_LISTS):
            member[:, j] = [name in s for s in lists]
        # Prefix coverage: look up each leading substring of each code (2 to 10 digits) in one dict,
        # rather than testing every prefix against every code.
        by_prefix: dict[str, list[int]] = {}
        for j, prefixes in enumerate(compiled.prefixes.values(), start=len(S301_LISTS)):
            for prefix in prefixes:
                by_prefix.setdefault(prefix, []).append(j)
        lengths = sorted({len(prefix) for prefix in by_prefix})
        for i, code in enumerate(codes):
            for n in lengths:
                hit = by_prefix.get(code[:n])
                if hit is not None and len(code) >= n:
                    member[i, hit] = True
        # Classes: the distinct membership rows (hashing packed bytes is much faster than np.unique(axis=0)).
        packed = np.packbits(member, axis=1)
        classes, _ = pd.factorize(pd.Series([row.tobytes() for row in packed], dtype=object))
        representative = pd.Series(np.arange(len(codes))).groupby(classes).first().to_numpy()
        unique_rows = member[representative]
        class_members = {g: unique_rows[:, j] for j, g in enumerate(groups)}
        return classes.reshape(-1).astype(np.int64), class_members, mfn


# --------------------------------------------------------------------------------------------------
def _product_tables(products: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    required = ["hs8", "mfn_ad_valorem"]
    missing = [c for c in required if c not in products.columns]
    if missing:
        raise SchemaError(
            f"Schedule(products): missing column(s) {missing} (expected hs8, mfn_ad_valorem, chapter99)"
        )
    frame = pd.DataFrame(
        {
            "hs8": products["hs8"].astype(str),
            "hs10": products["hs10"].astype(object) if "hs10" in products.columns else None,
            "mfn": products["mfn_ad_valorem"].astype("float64"),
        }
    )
    bad = ~frame["hs8"].str.fullmatch(r"\d{8}")
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError(
            f"Schedule(products): row {first}: hs8 {frame['hs8'].iloc[first]!r} is not 8 digits"
        )
    if "mfn_ad_valorem_equivalent" in products.columns:
        frame["mfn"] = frame["mfn"].fillna(products["mfn_ad_valorem_equivalent"].astype("float64"))
    refs = products["chapter99"] if "chapter99" in products.columns else pd.Series([[]] * len(products))
    frame["lists"] = [
        frozenset(
            S301_HEADINGS[h]
            for h in (r if isinstance(r, list | tuple | np.ndarray) else [])
            if h in S301_HEADINGS
        )
        for r in refs
    ]
    hs10 = frame["hs10"].where(frame["hs10"].notna(), None)
    is_hs8_line = hs10.isna() | (hs10.astype(str).str.len() != 10)
    # HS8 level: the HS8 line's MFN (else its first HS10's); lists from the HS8 line or any HS10 under it.
    ordered = pd.concat([frame[is_hs8_line.to_numpy()], frame[~is_hs8_line.to_numpy()]])
    hs8_table = ordered.groupby("hs8", sort=False).agg(
        mfn=("mfn", "first"), lists=("lists", lambda s: frozenset().union(*s))
    )
    # Specific and compound rates (no ad valorem equivalent given) count as 0, and are counted.
    n_non_ad_valorem = int(hs8_table["mfn"].isna().sum())
    if n_non_ad_valorem:
        log.info("tariffs: %d HS8 lines without an ad valorem MFN rate, taken as 0", n_non_ad_valorem)
    hs8_table["mfn"] = hs8_table["mfn"].fillna(0.0)
    lines10 = frame[~is_hs8_line.to_numpy()].copy()
    lines10["hs10"] = lines10["hs10"].astype(str)
    # HS10 lines inherit the HS8 rate unless they carry their own.
    lines10["mfn"] = lines10["mfn"].fillna(hs8_table["mfn"].reindex(lines10["hs8"]).set_axis(lines10.index))
    parent_lists = hs8_table["lists"].reindex(lines10["hs8"]).to_numpy()
    lines10["lists"] = [own | parent for own, parent in zip(lines10["lists"], parent_lists, strict=True)]
    hs10_table = lines10.drop_duplicates("hs10").set_index("hs10")[["mfn", "lists"]]
    return hs8_table, hs10_table, n_non_ad_valorem


def _compile(timeline: Timeline) -> _Compiled:
    rows = timeline.rows
    days = rows["effective"].to_numpy().astype("datetime64[D]").astype(np.int64)
    grid = np.unique(np.concatenate([[_ORIGIN], days]))
    # Partner classes: every code named directly or through a group; class 0 is everyone else.
    named: set[str] = set()
    for key in rows["partner"].unique():
        kind = timeline.partner_key_kind(key)
        if kind == "group":
            named |= timeline.partner_groups[key]
        elif kind == "code":
            named.add(key)
    partner_codes = sorted(named)
    class_keys: list[set[str]] = [{"all"}]
    for code in partner_codes:
        keys = {"all", code} | {g for g, members in timeline.partner_groups.items() if code in members}
        class_keys.append(keys)
    specificity = {"all": 0, "group": 1, "code": 2}
    # Which partner keys apply to which class, as a boolean matrix over the timeline's keys.
    key_index, keys = pd.factorize(rows["partner"].astype(object))
    applies_to = np.array([[key in class_keys[c] for key in keys] for c in range(len(class_keys))])
    rank_of_key = np.array([specificity[timeline.partner_key_kind(key)] for key in keys])
    all_days = rows["effective"].to_numpy().astype("datetime64[D]").astype(np.int64)
    all_rates = rows["rate"].to_numpy(dtype=np.float64)
    steps: dict[tuple[str, str], np.ndarray] = {}
    for (layer, coverage), positions in rows.groupby(["layer", "coverage"], sort=False).indices.items():
        block_keys = key_index[positions]
        block_days = all_days[positions]
        block_rates = all_rates[positions]
        rank = rank_of_key[block_keys]
        array = np.zeros((len(class_keys), len(grid)))
        for c in range(len(class_keys)):
            applies = applies_to[c, block_keys]
            if not applies.any():
                continue
            # Latest date wins; on the same date the more specific partner key wins.
            order = np.lexsort((rank[applies], block_days[applies]))
            d = block_days[applies][order]
            r = block_rates[applies][order]
            position = np.searchsorted(d, grid, side="right") - 1
            array[c] = np.where(position >= 0, r[np.maximum(position, 0)], 0.0)
        steps[(str(layer), str(coverage))] = array
    prefixes = timeline.coverage_prefixes()
    used = {cov for (_, cov) in steps if cov in prefixes}
    return _Compiled(
        grid=grid,
        partner_codes=partner_codes,
        steps=steps,
        prefixes={k: v for k, v in prefixes.items() if k in used},
    )


def _layer_table(
    compiled: _Compiled, members: dict[str, np.ndarray], n_pc: int, *, flow: Flow
) -> dict[str, np.ndarray]:
    """Each output layer on (product class x partner class) x interval, stacking rules applied."""
    n_classes = len(next(iter(members.values())))
    n_int = len(compiled.grid)
    layers: dict[str, np.ndarray] = {}
    for layer in LAYERS:
        combined = np.zeros((n_classes, n_pc, n_int))
        for (step_layer, coverage), step in compiled.steps.items():
            if step_layer != layer:
                continue
            on = np.ones(n_classes, dtype=bool) if coverage == "all" else members[coverage]
            contribution = np.where(on[:, None, None], step[None, :, :], 0.0)
            if _COMBINE[layer] == "sum":
                combined += contribution
            else:
                np.maximum(combined, contribution, out=combined)
        layers[layer] = combined
    exempt = (layers["reciprocal_exemption"] > 0) | (layers["section232"] > 0)
    # An all-in rate (Japan, EU: 15% including MFN) replaces the additive reciprocal rate while in
    # force; the MFN part is taken off row by row in _evaluate, where each product's MFN is known.
    all_in = np.where(exempt, 0.0, layers["reciprocal_all_in"])
    layers["ieepa_reciprocal"] = np.where(exempt | (all_in > 0), 0.0, layers["ieepa_reciprocal"])
    layers["reciprocal_all_in"] = all_in
    out = {}
    for layer in (*_STEP_LAYERS, "reciprocal_all_in"):
        values = layers[layer]
        us_side = layer != "china_retaliation"  # every other layer is a US duty on imports
        if (flow == "imports") != us_side:
            values = np.zeros_like(values)
        out[layer] = values.reshape(n_classes * n_pc, n_int)
    return out


def _interval_average(
    values: np.ndarray, grid: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Average of each row's step function over [start, end): the running integral's difference / days."""
    widths = np.diff(np.append(grid, grid[-1] + 1)).astype(np.float64)
    cumulative = np.concatenate([np.zeros((values.shape[0], 1)), np.cumsum(values * widths, axis=1)], axis=1)

    def integral(x: np.ndarray) -> np.ndarray:
        t = np.searchsorted(grid, x, side="right") - 1
        return cumulative[:, t] + values[:, t] * (x - grid[t])[None, :]

    return (integral(ends) - integral(starts)) / (ends - starts)[None, :]


def _days(column: pd.Series, name: str) -> np.ndarray:
    if not pd.api.types.is_datetime64_any_dtype(column):
        raise SchemaError(f"rates(): column {name!r} must be datetime64 (got {column.dtype})")
    if column.isna().any():
        raise SchemaError(f"rates(): column {name!r} has {int(column.isna().sum())} missing dates")
    values = column.to_numpy()
    if getattr(column.dt, "tz", None) is not None:
        values = column.dt.tz_localize(None).to_numpy()
    days = values.astype("datetime64[D]").view(np.int64)
    if days.min() < _ORIGIN:
        raise SchemaError(f"rates(): column {name!r} has dates before 1900")
    return days
