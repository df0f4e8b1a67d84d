"""The engine: statutory tariff layers for a whole panel at once.

How it stays vectorised. Every layer is a step function of the date, and what a row pays depends only on
(the product's coverage groups, the partner's groups, the date) and, row by row, the product's MFN rate.
So the engine

1. puts every change date of the timeline on one grid of intervals (`stacking.compile_timeline`);
2. reduces products to *product classes* (the distinct sets of coverage groups among the panel's codes)
   and partners to *partner classes* (each partner the timeline names, plus "everyone else");
3. computes, for each class pair and each interval, every layer with the stacking rules applied
   (`stacking.layer_table`: a few thousand numbers per layer);
4. looks each row up with one `searchsorted` of its date on the grid and one gather per layer.

Monthly rates use the same tables: the average over a month of a step function is a sum over the grid
intervals the month overlaps, each weighted by its share of the month's days (one matrix product).

Output columns (fractions of customs value): ``mfn`` (the column 1 rate of the revision in force; for
specific and compound rates the ad valorem equivalent when one is given — ``mfn_ave`` is what it adds to
the rate's ad valorem part, ``mfn_is_ave`` flags the rows), one column per duty layer (`US_LAYERS` and
``china_retaliation``), ``total`` (their sum: statutory before preferences),
``total_after_preferences`` (less the share of imports claiming USMCA, KORUS… on the layers each
preference removes), ``section301_exclusion`` (the part of ``section301`` not
charged on lines under a product exclusion), ``de_minimis`` (the partner's low-value shipments still
entered duty free on that date — every day of the month for monthly rates), ``projection`` (the date, or
any day of the month, falls after the timeline's known-through date: a projection, warned once per call).

For US exports to China (``flow="exports"``) only ``china_retaliation`` is filled, and ``total`` is the
retaliation additional to China's MFN rate (which the engine does not hold).

Simplifications (say them aloud): tariff-rate quotas count as in-quota; the List 3 in-transit rule is
ignored; a preference share is one number per partner and period (`data/preferences.csv`, or the user's);
the monthly MFN after preferences uses the month's average share.

One module of some 600 lines, on purpose: the daily and the monthly evaluation, their flags and the
projection past the known-through date read the same compiled periods; the per-row pass is econ.tariffs.rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from os import PathLike
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import ScenarioError, SchemaError
from econ.tariffs.products import (
    Products,
    build_products,
    factorize_codes,
    index_codes,
    revision_dates,
)
from econ.tariffs.rows import RowTables, evaluate_rows
from econ.tariffs.scenarios import Scenario, load_scenario
from econ.tariffs.stacking import (
    ORIGIN,
    US_LAYERS,
    Compiled,
    compile_timeline,
    end_ieepa_at_ruling,
    layer_table,
)
from econ.tariffs.timeline import (
    ALL_IN,
    EXCLUSION_LAYER,
    EXCLUSIVE_FAMILIES,
    S301_EXCLUSION_HEADINGS,
    S301_LISTS,
    Timeline,
    check_preferences,
    load_timeline,
)

log = logging.getLogger(__name__)

Flow = Literal["imports", "exports"]
IeepaEnd = Literal["collection", "ruling"]
LayerDtype = Literal["float64", "float32"]
OUTPUT_LAYERS: tuple[str, ...] = ("mfn", *US_LAYERS, "china_retaliation")
FLAG_COLUMNS: tuple[str, ...] = ("mfn_is_ave", "de_minimis", "projection")
_PREFERENCE_LAYERS = ("ieepa_fentanyl", "section122", "section301_forced_labour")
_CHINA_HK = ("5700", "5820")


class Schedule:
    """US and Chinese statutory tariffs on a panel, by layer, under the package timeline or a scenario.

    `products` is one row per HTS line (see `Schedule.from_lines` for the columns): ``hs8``, optional
    ``hs10``, ``mfn_ad_valorem`` (NaN for specific or compound rates), optional ``chapter99`` (list of
    chapter 99 headings), ``revision`` and ``effective`` (several dated revisions), ``rate_kind``.
    `preferences` replaces the package's stated preference shares (data/preferences.csv) by measured ones
    (same columns: partner, start, share, layers, source).
    """

    def __init__(
        self,
        products: pd.DataFrame,
        *,
        timeline: Timeline | str | PathLike[str] | None = None,
        code_map: pd.DataFrame | None = None,
        preferences: pd.DataFrame | None = None,
    ) -> None:
        self.timeline = timeline if isinstance(timeline, Timeline) else load_timeline(timeline)
        if preferences is not None:
            # Shares measured from Census rate-provision data replace the stated defaults.
            self.timeline = replace(self.timeline, preferences=check_preferences(preferences))
        self.products: Products = build_products(
            products, s301_lists=self.timeline.s301_lists, code_map=code_map
        )
        self.non_ad_valorem_lines = int(
            sum(
                1
                for flag, c in zip(self.products.non_ad_valorem, self.products.codes, strict=True)
                if flag and len(c) == 8
            )
        )
        self.section301_lines = self.products.section301_lines
        self._compiled: dict[tuple, Compiled] = {}
        self.last_diagnostics: dict[str, Any] = {}

    @classmethod
    def from_lines(
        cls,
        lines: pd.DataFrame,
        *,
        timeline: Timeline | str | PathLike[str] | None = None,
        code_map: pd.DataFrame | None = None,
    ) -> Schedule:
        """A schedule from the processed ``tariff_lines`` frame (econ.panel): columns ``hts8``, ``hts10``
        (empty or NaN on 8-digit lines), ``mfn_ad_valorem``, ``chapter99``, ``rate_kind``, ``revision`` and,
        with several revisions, ``effective`` (the date each took effect; else read from
        data/revisions.csv by the revision's name). `code_map` maps codes of
        earlier schedules to later ones (``from_code``, ``to_code``)."""
        missing = [c for c in ("hts8", "mfn_ad_valorem") if c not in lines.columns]
        if missing:
            raise SchemaError(f"Schedule.from_lines: missing column(s) {missing} (the tariff_lines panel)")
        hts10 = (
            lines["hts10"].astype(object) if "hts10" in lines.columns else pd.Series(None, index=lines.index)
        )
        hts10 = hts10.where(hts10.astype(str).str.fullmatch(r"\d{10}"), None)
        products = pd.DataFrame(
            {
                "hs8": lines["hts8"].astype(str).to_numpy(),
                "hs10": hts10.to_numpy(),
                "mfn_ad_valorem": lines["mfn_ad_valorem"].astype("float64").to_numpy(),
            }
        )
        if "ad_valorem_part" in lines.columns:  # a compound rate's ad valorem part, until an AVE is given
            products["mfn_ad_valorem"] = products["mfn_ad_valorem"].fillna(
                pd.Series(lines["ad_valorem_part"].astype("float64").to_numpy())
            )
        for column in ("chapter99", "rate_kind", "revision", "effective", "mfn_ad_valorem_equivalent"):
            if column in lines.columns:
                products[column] = lines[column].to_numpy()
        several = "revision" in products.columns and products["revision"].nunique() > 1
        if several and "effective" not in products:
            products["effective"] = revision_dates(products["revision"]).to_numpy()
        return cls(products, timeline=timeline, code_map=code_map)

    @classmethod
    def from_hts(
        cls,
        paths: str | PathLike[str] | list[str | PathLike[str]],
        *,
        timeline: Timeline | str | None = None,
    ) -> Schedule:
        """Read USITC HTS files (econ.sources.hts.read) and build the schedule from their lines."""
        from econ.sources import hts

        items = [paths] if isinstance(paths, str | PathLike) else list(paths)
        lines = pd.concat([hts.read(p) for p in items], ignore_index=True)
        lines = lines.loc[lines["hts8"].notna().to_numpy()].copy()
        lines["chapter99"] = with_exclusion_references(lines)
        return cls.from_lines(lines.drop(columns=[c for c in ("revision",) if c in lines]), timeline=timeline)

    @property
    def known_through(self) -> pd.Timestamp:
        return self.timeline.known_through

    # ----------------------------------------------------------------------------------------------
    def rates(
        self,
        frame: pd.DataFrame,
        *,
        scenario: str | PathLike[str] | Scenario | None = None,
        flow: Flow = "imports",
        ieepa_end: IeepaEnd = "collection",
        ave: pd.DataFrame | None = None,
        layers: Sequence[str] | None = None,
        dtype: LayerDtype = "float64",
    ) -> pd.DataFrame:
        """The frame with one column per layer, ``total`` and the flags (module docstring), on each row's
        ``date``.

        `frame` has ``hs8`` or ``hs10`` (or both: hs10 is tried first, HS8 where the HS10 is in no
        revision), ``partner`` (Census code) and ``date`` (datetime64). `flow` says whether the rows are US
        imports from `partner` or US exports to it. `ieepa_end` ends the IEEPA duties on the day collection
        stopped (2026-02-24, the default) or on the day of the ruling (2026-02-20). `ave` takes ad valorem
        equivalents of specific duties (`econ.tariffs.ave.ad_valorem_equivalents`). `layers` limits the
        layer columns returned (``total`` is always the full stack). `dtype` is that of the layer columns
        (``float32`` halves their memory on large panels; ``total`` and ``total_after_preferences`` stay
        float64).
        """
        return self._evaluate(
            frame,
            scenario=scenario,
            flow=flow,
            time="date",
            ieepa_end=ieepa_end,
            ave=ave,
            layers=layers,
            dtype=dtype,
        )

    def monthly_rates(
        self,
        frame: pd.DataFrame,
        *,
        scenario: str | PathLike[str] | Scenario | None = None,
        flow: Flow = "imports",
        ieepa_end: IeepaEnd = "collection",
        ave: pd.DataFrame | None = None,
        layers: Sequence[str] | None = None,
        dtype: LayerDtype = "float64",
    ) -> pd.DataFrame:
        """As `rates`, for a ``month`` column (first day of the month): each layer is its average over
        the days of the month, weighted by days in force (May 2025 for China: 13 days at 125% reciprocal,
        18 at 10%). ``total`` is the sum of the averaged layers."""
        return self._evaluate(
            frame,
            scenario=scenario,
            flow=flow,
            time="month",
            ieepa_end=ieepa_end,
            ave=ave,
            layers=layers,
            dtype=dtype,
        )

    # ----------------------------------------------------------------------------------------------
    def resolve_scenario(self, scenario: str | PathLike[str] | Scenario | None) -> Scenario | None:
        if scenario is None or isinstance(scenario, Scenario):
            return scenario
        return load_scenario(scenario, timeline=self.timeline)

    def compiled(self, scenario: Scenario | None = None, *, ieepa_end: IeepaEnd = "collection") -> Compiled:
        if ieepa_end not in get_args(IeepaEnd):
            raise ScenarioError(f"ieepa_end={ieepa_end!r}: expected one of {get_args(IeepaEnd)}")
        key = (() if scenario is None else scenario.key, ieepa_end)
        if key not in self._compiled:
            timeline = self.timeline if scenario is None else scenario.apply(self.timeline)
            if ieepa_end == "ruling":
                timeline = end_ieepa_at_ruling(timeline)
            self._compiled[key] = compile_timeline(timeline)
        return self._compiled[key]

    def _evaluate(
        self,
        frame: pd.DataFrame,
        *,
        scenario: Any,
        flow: Flow,
        time: str,
        ieepa_end: IeepaEnd,
        ave: pd.DataFrame | None,
        layers: Sequence[str] | None,
        dtype: LayerDtype,
    ) -> pd.DataFrame:
        if flow not in get_args(Flow):
            raise ScenarioError(f"flow={flow!r}: expected one of {get_args(Flow)}")
        if dtype not in get_args(LayerDtype):
            raise SchemaError(f"rates(): dtype={dtype!r}: expected one of {get_args(LayerDtype)}")
        missing = [c for c in ("partner", time) if c not in frame.columns]
        if "hs8" not in frame.columns and "hs10" not in frame.columns:
            missing.append("hs8 or hs10")
        if missing:
            raise SchemaError(f"rates(): the frame lacks column(s) {missing}")
        wanted = list(OUTPUT_LAYERS) if layers is None else list(layers)
        unknown = [layer for layer in wanted if layer not in OUTPUT_LAYERS]
        if unknown:
            raise SchemaError(f"rates(): unknown layers {unknown} (expected some of {list(OUTPUT_LAYERS)})")
        compiled = self.compiled(self.resolve_scenario(scenario), ieepa_end=ieepa_end)

        product_codes, uniques, positions, diagnostics = index_codes(frame, self.products)
        classes, members = self._product_classes(uniques, positions, compiled, flow=flow)
        partner_idx, partner_uniques = factorize_codes(frame["partner"])
        partner_idx = partner_idx.astype(np.int32)
        if (partner_idx < 0).any():
            raise SchemaError("rates(): missing partners in the frame")
        lookup = {code: i + 1 for i, code in enumerate(compiled.partner_codes)}
        full_class = np.array([lookup.get(p, 0) for p in partner_uniques], dtype=np.int32)
        # Tables for the partner classes this panel has only, numbered 0..k-1.
        present, partner_class = np.unique(full_class, return_inverse=True)
        partner_class = partner_class.astype(np.int32)
        n_pc = len(present)
        table = layer_table(compiled, members, flow=flow, partner_rows=present)
        summed = [layer for layer in OUTPUT_LAYERS[1:] if table[layer].any()]
        blank = np.zeros_like(table[OUTPUT_LAYERS[1]])
        table["_stack"] = sum((table[layer] for layer in summed), blank)
        table["_stack_after_preferences"] = sum(
            (table.get(f"{layer}_after_preferences", table[layer]) for layer in summed), blank
        )
        # Times stay in the column's own unit (nanoseconds, seconds…): the grid is converted to it, not the
        # rows to days.
        ticks, per_day = _ticks(frame[time], time)
        n = len(frame)
        if time == "date":
            bounds = compiled.grid * per_day
            tables: dict[str, np.ndarray] = table
            period_start = period_end = np.zeros(0, dtype=np.int64)
        else:
            # A month is [its first day, the next month's first day), whatever day the column carries.
            low = np.datetime64(int(ticks.min() // per_day), "D").astype("datetime64[M]")
            high = np.datetime64(int(ticks.max() // per_day), "D").astype("datetime64[M]")
            span = np.arange(low, high + 1)
            period_end = (span + 1).astype("datetime64[D]").astype(np.int64)
            period_start = span.astype("datetime64[D]").astype(np.int64)
            bounds = period_start * per_day
            # Day-weighted month averages of every table, computed when first asked for.
            tables = _Averaged(table, _month_weights(compiled.grid, period_start, period_end))
        us = flow == "imports"

        # MFN of the revision in force (monthly: on the month's first day), per distinct code and revision;
        # the row loop picks the revision of each row's date.
        found = positions >= 0
        safe = np.maximum(positions, 0)
        if not us:
            mfn_table = np.zeros((1, len(positions)))
            revision_bounds = np.array([ORIGIN * per_day], dtype=np.int64)
        else:
            mfn_table = np.where(found[None, :], self.products.mfn[:, safe], 0.0)  # (revisions, codes)
            revision_bounds = self.products.revision_days * per_day
        mfn_rows = np.zeros(0)
        mfn_ave = is_ave = None
        if ave is not None and us:
            # A specific or compound rate: its ad valorem equivalent replaces the ad valorem part alone.
            period = np.searchsorted(bounds, ticks, side="right") - 1
            if time == "date":
                revision = np.searchsorted(revision_bounds, ticks, side="right") - 1
            else:
                revision = np.searchsorted(revision_bounds, bounds[period], side="right") - 1
            mfn = mfn_table[np.maximum(revision, 0), product_codes]
            non_adv = (found & self.products.non_ad_valorem[safe])[product_codes]
            start_days = ticks // per_day if time == "date" else period_start[period]
            equivalent = _lookup_ave(frame, ave, start_days)
            is_ave = non_adv & ~np.isnan(equivalent)
            mfn_ave = np.where(is_ave, equivalent - mfn, 0.0)
            mfn_rows = np.where(is_ave, equivalent, mfn)
            del period, revision, mfn, non_adv, start_days, equivalent

        # The layer columns the loop fills: those asked for that are not zero for this panel, those an
        # all-in rate adds to, MFN, and the exclusion share; every other column is one shared zero array.
        all_in = [(name, target) for name, target in ALL_IN.items() if us and tables[f"{name}_weight"].any()]
        filled = [
            layer
            for layer in (*OUTPUT_LAYERS, EXCLUSION_LAYER)
            if (layer in wanted or layer == EXCLUSION_LAYER)
            and (layer == "mfn" or table[layer].any() or any(target == layer for _, target in all_in))
        ]
        width = tables["_stack"].size
        layer_rows = np.zeros((len(filled), width))
        for j, layer in enumerate(filled):
            if layer != "mfn":
                layer_rows[j] = tables[layer].ravel()
        levels = np.zeros((len(all_in), width))
        weights = np.zeros((len(all_in), width))
        for a, (name, _) in enumerate(all_in):
            # The all-in level on the days it is in force (exact while it does not change within a month,
            # as in every timeline row so far).
            active = tables[f"{name}_active"].ravel()
            with np.errstate(invalid="ignore", divide="ignore"):
                levels[a] = np.where(active > 0, tables[name].ravel() / np.where(active > 0, active, 1.0), 0)
            weights[a] = tables[f"{name}_weight"].ravel()
        china = np.isin(np.asarray(partner_uniques, dtype=object), _CHINA_HK)
        ended = np.where(china, compiled.de_minimis_china_day, compiled.de_minimis_all_day)
        by_period = time != "date"
        # Every period and revision starts on a whole day: look each day of the panel's span up once.
        first_day, last_day = int(ticks.min() // per_day), int(ticks.max() // per_day)
        span = np.arange(first_day, last_day + 1, dtype=np.int64)
        period_of_day = np.searchsorted(bounds // per_day, span, side="right") - 1
        revision_days = revision_bounds // per_day
        on = (bounds // per_day)[period_of_day] if by_period else span
        revision_of_day = np.maximum(np.searchsorted(revision_days, on, side="right") - 1, 0)
        row_tables = RowTables(
            class_of_code=classes.astype(np.int32),
            class_of_partner=partner_class,
            n_partner_classes=n_pc,
            n_periods=len(bounds),
            bounds=np.ascontiguousarray(bounds, dtype=np.int64),
            revision_bounds=np.ascontiguousarray(revision_bounds, dtype=np.int64),
            revision_at_period_start=by_period,
            per_day=per_day,
            first_day=first_day,
            period_of_day=period_of_day.astype(np.int32),
            revision_of_day=revision_of_day.astype(np.int32),
            mfn_table=np.ascontiguousarray(mfn_table, dtype=np.float64),
            mfn_rows=mfn_rows,
            stack=np.ascontiguousarray(tables["_stack"].ravel()),
            stack_after=np.ascontiguousarray(tables["_stack_after_preferences"].ravel()),
            mfn_preference=(
                np.ascontiguousarray(tables["mfn_preference"].ravel())
                if us and "mfn_preference" in tables
                else np.zeros(0)
            ),
            layers=layer_rows,
            mfn_layer=filled.index("mfn") if "mfn" in filled else -1,
            all_in_level=levels,
            all_in_weight=weights,
            all_in_layer=np.array(
                [filled.index(target) if target in filled else -1 for _, target in all_in], dtype=np.int64
            ),
            all_in_any=(weights != 0).any(axis=0),
            de_minimis_by_period=by_period,
            de_minimis_open=(
                period_end[None, :] <= ended[:, None] if by_period else np.zeros((0, 0), dtype=bool)
            ),
            de_minimis_end=(ended * per_day).astype(np.int64),
            projection_by_period=(
                (period_end - 1) > compiled.known_through_day if by_period else np.zeros(0, dtype=bool)
            ),
            projection_from=int((compiled.known_through_day + 1) * per_day),
        )
        total, after, block, de_minimis, projection = evaluate_rows(
            product_codes, partner_idx, ticks, row_tables, layer_dtype=np.dtype(dtype).type
        )
        zeros = np.zeros(n, dtype=dtype)
        result: dict[str, np.ndarray] = {}
        for layer in OUTPUT_LAYERS:
            if layer in wanted:
                result[layer] = block[filled.index(layer)] if layer in filled else zeros
        result["total"] = total
        result["total_after_preferences"] = after
        excluded = filled.index(EXCLUSION_LAYER) if EXCLUSION_LAYER in filled else -1
        result["section301_exclusion"] = block[excluded] if excluded >= 0 else zeros
        result["mfn_ave"] = mfn_ave.astype(dtype, copy=False) if mfn_ave is not None else zeros
        result["mfn_is_ave"] = is_ave if is_ave is not None else np.zeros(n, dtype=bool)
        result["de_minimis"] = de_minimis
        result["projection"] = projection
        if projection.any():
            log.warning(
                "tariffs: %d of %d rows fall after the timeline's known-through date %s: their rates are "
                "projections of the schedule in force then, not known rates",
                int(projection.sum()),
                n,
                self.known_through.date(),
            )
        diagnostics["non_ad_valorem_lines"] = self.non_ad_valorem_lines
        diagnostics["section301_lines"] = self.section301_lines
        diagnostics["rows_projected"] = int(projection.sum())
        self.last_diagnostics = diagnostics
        if diagnostics.get("rows_unmatched") and flow == "imports":
            table_unmatched: pd.DataFrame | None = diagnostics.get("unmatched")  # type: ignore[assignment]
            value = float(table_unmatched["value"].sum()) if table_unmatched is not None else float("nan")
            log.warning(
                "tariffs: %d rows (%d codes, value %s) have product codes in no revision of the schedule "
                "(mfn 0, no product list); attrs['tariffs']['unmatched'] lists them by value",
                diagnostics["rows_unmatched"],
                0 if table_unmatched is None else len(table_unmatched),
                "unknown" if np.isnan(value) else f"{value:,.0f}",
            )
        # The new columns are wrapped without a copy (they are ours) and set beside the caller's columns,
        # which copy-on-write leaves uncopied.
        new = pd.DataFrame(result, index=frame.index, copy=False)
        kept = frame.drop(columns=[c for c in new.columns if c in frame.columns])
        merged = pd.concat([kept, new], axis=1)
        merged.attrs["tariffs"] = diagnostics
        return merged

    def _product_classes(
        self, codes: list[str], positions: np.ndarray, compiled: Compiled, *, flow: Flow = "imports"
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """For each unique code: its class id, and the class membership matrix.

        Classes are drawn on the groups the flow's layers use only: China's retaliation lists (some 4,500
        HS6) would otherwise split the import classes many times over for nothing, and the US lists the
        export classes."""
        prefix_groups = list(compiled.prefixes)
        groups = [*S301_LISTS, "s301_excluded", *prefix_groups]
        member = np.zeros((len(codes), len(groups)), dtype=bool)
        column = {g: j for j, g in enumerate(groups)}
        us_lists = {*S301_LISTS, "s301_excluded"}
        for i, p in enumerate(positions):
            if p >= 0:
                for g in self.products.groups[p]:
                    member[i, column[g]] = True
        # Prefix coverage: look up each leading substring of each code (and of the codes it maps to) in one
        # dict, rather than testing every prefix against every code.
        by_prefix: dict[str, list[int]] = {}
        for name, prefixes in compiled.prefixes.items():
            for prefix in prefixes:
                by_prefix.setdefault(prefix, []).append(column[name])
        lengths = sorted({len(prefix) for prefix in by_prefix})
        # Groups of an exclusive family (the 2026 Section 232 annexes) partition the lines: a code is in
        # the one whose prefix matches it most closely (8703 is Annex II, 8703.21.01 Annex I-B).
        exclusive = np.array([g.startswith(EXCLUSIVE_FAMILIES) for g in groups], dtype=bool)
        for i, code in enumerate(codes):
            for candidate in (code, *self.products.mapped.get(code, ())):
                closest: list[int] = []
                for n in lengths:
                    if len(candidate) < n:
                        break
                    hit = by_prefix.get(candidate[:n])
                    if hit is None:
                        continue
                    family = [j for j in hit if exclusive[j]]
                    if family:
                        closest = family
                    member[i, [j for j in hit if not exclusive[j]]] = True
                if closest:
                    member[i, closest] = True
        exports = flow == "exports"
        used = {cov for layer, cov in compiled.steps if (layer == "china_retaliation") == exports}
        relevant = np.array([g in used or (not exports and g in us_lists) for g in groups], dtype=bool)
        packed = np.packbits(member[:, relevant], axis=1)
        classes, _ = pd.factorize(pd.Series([row.tobytes() for row in packed], dtype=object))
        representative = pd.Series(np.arange(len(codes))).groupby(classes).first().to_numpy()
        unique_rows = member[representative] & relevant[None, :]
        return classes.reshape(-1).astype(np.int64), {g: unique_rows[:, j] for j, g in enumerate(groups)}


# --------------------------------------------------------------------------------------------------
def with_exclusion_references(lines: pd.DataFrame) -> list[list[str]]:
    """Each line's chapter 99 references, with the Section 301 product-exclusion headings the HTS prints
    in footnotes on the description (``chapter99_other_columns`` of econ.sources.hts.read) added."""
    own = lines["chapter99"] if "chapter99" in lines.columns else pd.Series([[]] * len(lines))
    other = lines.get("chapter99_other_columns", pd.Series([[]] * len(lines), index=lines.index))
    out = []
    for a, b in zip(own, other, strict=True):
        refs = list(a) if isinstance(a, list | tuple | np.ndarray) else []
        extra = [
            h for h in (b if isinstance(b, list | tuple | np.ndarray) else []) if h in S301_EXCLUSION_HEADINGS
        ]
        out.append(refs + [h for h in extra if h not in refs])
    return out


def _lookup_ave(frame: pd.DataFrame, ave: pd.DataFrame, row_start: np.ndarray) -> np.ndarray:
    """Each row's ad valorem equivalent of its MFN rate (hs10 × partner × year), NaN where none."""
    need = ["hs10", "partner", "year", "mfn_ave"]
    missing = [c for c in need if c not in ave.columns]
    if missing or "hs10" not in frame.columns:
        raise SchemaError(f"rates(ave=...): the AVE frame needs {need} and the frame an hs10 column")
    out = np.full(len(frame), np.nan)
    if ave.empty or not len(frame):
        return out
    # Only rows of a line with an equivalent are looked up (a tenth of a panel or less), by position.
    product, codes = factorize_codes(frame["hs10"])
    rows = np.flatnonzero(np.isin(product, np.flatnonzero(codes.isin(ave["hs10"].astype(str)))))
    if not len(rows):
        return out
    year = row_start[rows].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    partner, partners = factorize_codes(frame["partner"])
    keys = pd.MultiIndex.from_arrays(
        [
            np.asarray(codes, dtype=object)[product[rows]],
            np.asarray(partners, dtype=object)[partner[rows]],
            year,
        ]
    )
    table = ave.set_index(
        [ave["hs10"].astype(str), ave["partner"].astype(str), ave["year"].astype(np.int64)]
    )["mfn_ave"]
    table = table[~table.index.duplicated()]
    out[rows] = table.reindex(keys).to_numpy(dtype=float)
    return out


class _Averaged(dict):  # type: ignore[type-arg]  # str -> ndarray, filled lazily
    """Month averages of the layer tables, each computed on first use (most are zero for a panel): one
    matrix product with the share of each month's days in each grid interval the months touch."""

    def __init__(self, table: dict[str, np.ndarray], weights: np.ndarray) -> None:
        super().__init__()
        self._table = table
        self._used = weights.any(axis=1)
        self._weights = weights[self._used]

    def __missing__(self, key: str) -> np.ndarray:
        values = self._table[key]
        if not values.any():
            averaged = np.zeros((values.shape[0], self._weights.shape[1]))
        else:
            averaged = values[:, self._used] @ self._weights
        self[key] = averaged
        return averaged

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[key] if key in self._table else default


def _month_weights(grid: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """(n_intervals, n_months): the share of each month's days that falls in each interval of the grid, so
    that a step function's month averages are one matrix product."""
    lower = grid[:, None]
    upper = np.append(grid[1:], np.iinfo(np.int64).max)[:, None]
    overlap = np.minimum(upper, ends[None, :]) - np.maximum(lower, starts[None, :])
    return np.clip(overlap, 0, None).astype(np.float64) / (ends - starts)[None, :]


def _ticks(column: pd.Series, name: str) -> tuple[np.ndarray, int]:
    """The column's times as int64 ticks of its own unit, and the ticks in a day."""
    if not pd.api.types.is_datetime64_any_dtype(column):
        raise SchemaError(f"rates(): column {name!r} must be datetime64 (got {column.dtype})")
    if column.isna().any():
        raise SchemaError(f"rates(): column {name!r} has {int(column.isna().sum())} missing dates")
    values = (
        column.dt.tz_localize(None).to_numpy()
        if getattr(column.dt, "tz", None) is not None
        else column.to_numpy()
    )
    unit = np.datetime_data(values.dtype)[0]
    per_day = int(np.timedelta64(1, "D") // np.timedelta64(1, unit))  # type: ignore[call-overload]
    ticks = values.view(np.int64)
    if ticks.min() < ORIGIN * per_day:
        raise SchemaError(f"rates(): column {name!r} has dates before 1900")
    return ticks, per_day
