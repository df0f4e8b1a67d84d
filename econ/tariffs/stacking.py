"""The timeline as step functions, and the stacking rules that turn them into layers.

Every rate is a step function of the date. `compile_timeline` puts every change date on one grid of
intervals and evaluates each (layer, coverage) row set for every *partner class* (each partner the
timeline names, plus "everyone else"): latest date wins, on the same date the more specific partner key
(code > group > all). `layer_table` then gives every duty layer on (product class × partner class) ×
interval with the rules of the date applied:

* coverage groups of a layer combine by their highest rate (China's retaliation: they add up);
* an exemption layer removes the blanket (``all``) rate of its duty layer on its products;
* Section 232 charges ``rate × share`` where its group's share is metal content (derivatives) until the
  2026-04-06 restructuring, full value after it; a group's share may also be the part of a line in scope;
* duties that yield to Section 232 — the reciprocal, Section 122 (on metal content: ``× (1 − share)``),
  the 2026 Section 301 actions and Section 338 (the whole article) — and, for Canada and Mexico, the
  fentanyl duty (EO 14289) are not charged where a Section 232 duty is;
* an all-in layer (15% including MFN) replaces its duty layer while in force; the MFN part is taken off row
  by row (`engine`), where each product's MFN is known: the table carries the all-in level and its weight;
* preference shares (USMCA, KORUS) remove part of the layers they name: the table carries each such layer
  after preferences as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from econ.tariffs.timeline import (
    ALL_IN,
    DUTY_LAYERS,
    EXCLUSION_LAYER,
    EXEMPTIONS,
    IEEPA_LAYERS,
    Timeline,
)

ORIGIN = np.datetime64("1900-01-01", "D").astype(np.int64)
US_LAYERS: tuple[str, ...] = tuple(layer for layer in DUTY_LAYERS if layer != "china_retaliation")
# Content split: these pay on the part of the value Section 232 does not charge.
_YIELD_CONTENT = ("ieepa_reciprocal", "section122")
# Scope mask: the whole article is excluded when a Section 232 duty applies.
_YIELD_SCOPE = ("ieepa_other", "section301_brazil", "section301_forced_labour", "section338")
_USMCA = ("1220", "2010")
# Section 338 baskets that stack on Section 232 rather than yield to it: Proclamations 11064 and 11065
# (from 2026-09-15) made the first and third baskets cumulative; dairy (9903.03.13) still yields.
_S338_ON_TOP_OF_232 = ("s338_basket_1_2026_09_15", "s338_basket_3_2026_09_15")


@dataclass
class Compiled:
    """A timeline reduced to arrays: the interval grid and each (layer, coverage) step function."""

    grid: np.ndarray  # int64 days since 1970, ascending; grid[0] is 1900-01-01
    partner_codes: list[str]  # partner classes 1..n; class 0 is every partner not named
    steps: dict[tuple[str, str], np.ndarray]  # (layer, coverage) -> (n_partner_classes, n_intervals)
    prefixes: dict[str, tuple[str, ...]]
    content: dict[str, tuple[np.ndarray, bool]]  # coverage -> (share by partner class, metal content)
    full_value_day: int
    preference: dict[str, np.ndarray]  # layer -> (n_partner_classes, n_intervals) share claiming
    known_through_day: int
    de_minimis_china_day: int
    de_minimis_all_day: int


def _day(value: pd.Timestamp) -> int:
    return int(np.datetime64(value.date(), "D").astype(np.int64))


def end_ieepa_at_ruling(timeline: Timeline) -> Timeline:
    """The timeline with the IEEPA duties ending on the day of the ruling rather than the day collection
    stopped: rows of the IEEPA layers dated on the collection date move to the ruling date, and rows dated
    between the two are dropped."""
    rows = timeline.rows
    ruling, stopped = timeline.dates["ieepa_ruling"], timeline.dates["ieepa_collection_stopped"]
    ieepa = rows["layer"].isin(IEEPA_LAYERS) | rows["layer"].isin(
        [k for k, v in EXEMPTIONS.items() if v in IEEPA_LAYERS]
    )
    between = ieepa & (rows["effective"] > ruling) & (rows["effective"] < stopped)
    rows = rows.loc[~between.to_numpy()].copy()
    moved = rows["layer"].isin(IEEPA_LAYERS) & (rows["effective"] == stopped)
    rows.loc[moved, "effective"] = ruling
    return timeline.with_rows(rows.reset_index(drop=True))


def compile_timeline(timeline: Timeline) -> Compiled:
    rows = timeline.rows
    days = rows["effective"].to_numpy().astype("datetime64[D]").astype(np.int64)
    prefs = timeline.preferences
    pref_days = prefs["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    dates = timeline.dates
    special = [_day(dates[k]) for k in ("s232_full_value", "de_minimis_china", "de_minimis_all")]
    special.append(_day(dates["known_through"]) + 1)
    grid = np.unique(np.concatenate([[ORIGIN], days, pref_days, special]))
    # Partner classes: every code named directly or through a group; class 0 is everyone else.
    named: set[str] = set(prefs["partner"]) | set(_USMCA)
    content_keys = {key for share in timeline.content.values() for key in share.by_partner}
    for key in set(rows["partner"].unique()) | content_keys:
        kind = timeline.partner_key_kind(key)
        if kind == "group":
            named |= timeline.partner_groups[key]
        elif kind == "code":
            named.add(key)
    partner_codes = sorted(named)
    class_keys: list[set[str]] = [{"all"}]
    for code in partner_codes:
        class_keys.append(
            {"all", code} | {g for g, members in timeline.partner_groups.items() if code in members}
        )
    specificity = {"all": 0, "group": 1, "code": 2}

    def key_matrix(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        # Which partner keys name each class, and how specific each key is (a code beats a group beats
        # "all"): the one precedence rule for timeline rows and content shares alike.
        applies = np.array([[key in class_keys[c] for key in keys] for c in range(len(class_keys))])
        return applies.reshape(len(class_keys), len(keys)), np.array(
            [specificity[timeline.partner_key_kind(key)] for key in keys], dtype=np.int64
        )

    key_index, key_values = pd.factorize(rows["partner"].astype(object))
    applies_to, rank_of_key = key_matrix([str(key) for key in key_values])
    all_rates = rows["rate"].to_numpy(dtype=np.float64)
    steps: dict[tuple[str, str], np.ndarray] = {}
    groups: dict[Any, Any] = dict(rows.groupby(["layer", "coverage"], sort=False).indices)
    for (layer, coverage), positions in groups.items():
        block_keys = key_index[positions]
        block_days = days[positions]
        block_rates = all_rates[positions]
        rank = rank_of_key[block_keys]
        array = np.zeros((len(class_keys), len(grid)))
        for c in range(len(class_keys)):
            applies = applies_to[c, block_keys]
            if not applies.any():
                continue
            order = np.lexsort((rank[applies], block_days[applies]))
            d = block_days[applies][order]
            r = block_rates[applies][order]
            position = np.searchsorted(d, grid, side="right") - 1
            array[c] = np.where(position >= 0, r[np.maximum(position, 0)], 0.0)
        steps[(str(layer), str(coverage))] = array
    # Preference shares: per layer, by partner class, the share in force on each interval.
    preference: dict[str, np.ndarray] = {}
    lookup = {code: i + 1 for i, code in enumerate(partner_codes)}
    row: Any  # itertuples rows: typed per column by pandas-stubs as a union
    for row in prefs.itertuples(index=False):
        start = np.searchsorted(grid, _day(row.start), side="left")
        for layer in row.layers.split():
            array = preference.setdefault(layer, np.zeros((len(class_keys), len(grid))))
            array[lookup[row.partner], start:] = row.share
    # Content shares by partner class: the most specific key naming the class (code beats group).
    content: dict[str, tuple[np.ndarray, bool]] = {}
    for coverage, share in timeline.content.items():
        part = np.full(len(class_keys), share.share)
        if share.by_partner:
            applies, rank = key_matrix(list(share.by_partner))
            ranked = np.where(applies, rank[None, :], -1)
            values = np.fromiter(share.by_partner.values(), dtype=np.float64)
            named_here = ranked.max(axis=1) >= 0
            part[named_here] = values[ranked.argmax(axis=1)][named_here]
        content[coverage] = (part, share.metal)
    prefixes = timeline.coverage_prefixes()
    used = {cov for (_, cov) in steps if cov in prefixes}
    return Compiled(
        grid=grid,
        partner_codes=partner_codes,
        steps=steps,
        prefixes={k: v for k, v in prefixes.items() if k in used},
        content=content,
        full_value_day=_day(dates["s232_full_value"]),
        preference=preference,
        known_through_day=_day(dates["known_through"]),
        de_minimis_china_day=_day(dates["de_minimis_china"]),
        de_minimis_all_day=_day(dates["de_minimis_all"]),
    )


def layer_table(
    compiled: Compiled,
    members: dict[str, np.ndarray],
    *,
    flow: str,
    partner_rows: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Each output quantity on (product class × partner class) × interval, stacking rules applied.

    Keys: every duty layer; ``<layer>_after_preferences`` for the layers a preference names;
    ``<all-in layer>`` (its level) and ``<all-in layer>_weight`` (the share of value it applies to);
    ``section301_exclusion`` (the Section 301 duty not charged because of a product exclusion).
    """
    # Only the partner classes a panel has (class 0, everyone else, and the named partners it trades with).
    rows = np.arange(len(compiled.partner_codes) + 1) if partner_rows is None else np.asarray(partner_rows)
    n_pc = len(rows)
    steps = {key: step[rows] for key, step in compiled.steps.items()}
    preference = {layer: share[rows] for layer, share in compiled.preference.items()}
    n_classes = len(next(iter(members.values())))
    n_int = len(compiled.grid)
    shape = (n_classes, n_pc, n_int)
    everyone = np.ones(n_classes, dtype=bool)

    def member(coverage: str) -> np.ndarray:
        return everyone if coverage == "all" else members[coverage]

    def combine(
        layer: str, *, blanket: bool | None = None, scale: dict[str, np.ndarray] | None = None
    ) -> np.ndarray:
        # Only the member classes of a coverage group are touched (rates are never negative, so the
        # others would take max(x, 0) = x).
        out = np.zeros(shape)
        for (step_layer, coverage), step in steps.items():
            if step_layer != layer or (blanket is not None and (coverage == "all") != blanket):
                continue
            contribution = step[None, :, :]
            if scale is not None and coverage in scale:
                contribution = contribution * scale[coverage][None, :, :]
            if coverage == "all":
                if layer == "china_retaliation":
                    out += contribution
                else:
                    np.maximum(out, contribution, out=out)
                continue
            inside = np.flatnonzero(member(coverage))
            if layer == "china_retaliation":
                out[inside] += contribution
            else:
                out[inside] = np.maximum(out[inside], contribution)
        return out

    after_full = compiled.grid >= compiled.full_value_day
    # Section 232: rate × share of value charged (by partner class × interval); the share covered decides
    # what yields to it.
    shares: dict[str, np.ndarray] = {}
    for layer, coverage in compiled.steps:
        if layer in ("section232", "section232_all_in") and coverage in compiled.content:
            part, metal = compiled.content[coverage]
            shares[coverage] = np.where((after_full & metal)[None, :], 1.0, part[rows][:, None])
    s232 = combine("section232", scale=shares)
    covered = np.zeros(shape)
    in_scope = np.zeros(shape, dtype=bool)
    for (layer, coverage), step in steps.items():
        if layer not in ("section232", "section232_all_in"):
            continue
        inside = np.flatnonzero(member(coverage))
        active = np.broadcast_to(step[None, :, :] > 0, (len(inside), *step.shape))
        charged = shares.get(coverage, np.ones((n_pc, n_int)))
        covered[inside] = np.maximum(covered[inside], np.where(active, charged[None, :, :], 0.0))
        in_scope[inside] |= active

    layers: dict[str, np.ndarray] = {}
    for layer in DUTY_LAYERS:
        if layer == "section232":
            layers[layer] = s232
            continue
        blanket = combine(layer, blanket=True)
        for exemption, target in EXEMPTIONS.items():
            if target == layer:
                exempt = combine(exemption)
                blanket = np.where(exempt > 0, 0.0, blanket)
        specific = combine(layer, blanket=False)
        layers[layer] = blanket if layer == "china_retaliation" else np.maximum(blanket, specific)
        if layer == "china_retaliation":
            layers[layer] = blanket + specific
    codes = ["", *compiled.partner_codes]
    usmca = np.array([codes[r] in _USMCA for r in rows], dtype=bool)

    out: dict[str, np.ndarray] = {}
    for all_in, target in ALL_IN.items():
        level = combine(all_in)
        if all_in != "section232_all_in":
            weight = (level > 0).astype(np.float64)
        else:
            # An all-in Section 232 rate applies to the part of the line in scope (patented medicines of
            # the EU at 15%, not its generics).
            weight = np.zeros(shape)
            for (step_layer, coverage), step in steps.items():
                if step_layer != all_in:
                    continue
                inside = np.flatnonzero(member(coverage))
                charged = shares.get(coverage, np.ones((n_pc, n_int)))
                weight[inside] = np.maximum(weight[inside], np.where(step > 0, charged, 0.0)[None, :, :])
        for exemption, exempted in EXEMPTIONS.items():
            if exempted == target:
                weight = np.where(combine(exemption) > 0, 0.0, weight)
        if target in _YIELD_CONTENT:
            weight = weight * (1.0 - covered)
        elif target in _YIELD_SCOPE:
            weight = np.where(in_scope, 0.0, weight)
        # While the all-in rate is in force it replaces the additive rate.
        layers[target] = np.where(level > 0, 0.0, layers[target])
        out[all_in] = level
        out[f"{all_in}_active"] = (level > 0).astype(np.float64)
        out[f"{all_in}_weight"] = weight
    for layer in _YIELD_CONTENT:
        layers[layer] = layers[layer] * (1.0 - covered)
    on_top = np.zeros(shape)
    for (step_layer, coverage), step in steps.items():
        if step_layer == "section338" and coverage in _S338_ON_TOP_OF_232:
            inside = np.flatnonzero(member(coverage))
            on_top[inside] = np.maximum(on_top[inside], step[None, :, :])
    for layer in _YIELD_SCOPE:
        kept = on_top if layer == "section338" else 0.0
        layers[layer] = np.where(in_scope, kept, layers[layer])
    layers["ieepa_fentanyl"] = np.where(
        usmca[None, :, None], layers["ieepa_fentanyl"] * (1.0 - covered), layers["ieepa_fentanyl"]
    )
    excluded = combine(EXCLUSION_LAYER)
    layers[EXCLUSION_LAYER] = layers["section301"] * excluded

    for layer, values in layers.items():
        us_side = layer != "china_retaliation"
        if (flow == "imports") != us_side:
            values = np.zeros_like(values)
        out[layer] = values
    for layer, claimed in preference.items():
        if layer == "mfn" and flow == "imports":
            out["mfn_preference"] = np.broadcast_to(claimed[None, :, :], shape).copy()
        elif layer in out:
            out[f"{layer}_after_preferences"] = out[layer] * (1.0 - claimed[None, :, :])
    return {key: value.reshape(n_classes * n_pc, n_int) for key, value in out.items()}
