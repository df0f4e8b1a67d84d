"""Row by row: each row's layers, total and flags from the engine's tables, in one pass over the rows.

The engine (`econ.tariffs.engine`) reduces a panel to small tables — every output quantity on
(product class × partner class) × period — and this module looks every row up in them. A row needs its
product's class and MFN rate, its partner's class and its period; everything it returns is then one read
from a table (the stacked total is one read too: the tables carry the stack already summed), plus the
all-in rates, whose MFN part is taken off row by row. Doing it in one compiled loop rather than one numpy
pass per quantity keeps a 40-million-row panel to one read of its codes and one write of each output,
without the temporaries (row keys, periods, gathered layers) that numpy would hold at once; the loop runs
on every core.

The arithmetic is the engine's, in the same order, so the results are those of the numpy formulas to the
last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numba import njit, prange

CHUNK_ROWS = 1 << 16


@dataclass
class RowTables:
    """What the per-row loop reads. Tables are flat over (row key × period), row key = product class ×
    number of partner classes + partner class."""

    class_of_code: np.ndarray  # int32 (n_codes,): product class of each distinct code
    class_of_partner: np.ndarray  # int32 (n_partners,): partner class of each distinct partner
    n_partner_classes: int
    n_periods: int
    bounds: np.ndarray  # int64 ticks: the first tick of each period (the lookups below are built from it)
    revision_bounds: np.ndarray  # int64 ticks: the day each revision took effect
    revision_at_period_start: bool  # monthly: the revision in force on the month's first day
    per_day: int  # ticks in a day
    first_day: int  # the panel's first day (days since 1970): day 0 of the two lookups below
    period_of_day: np.ndarray  # int32: the period each day of the panel's span falls in
    revision_of_day: np.ndarray  # int32: the revision in force on it (monthly: on its month's first day)
    mfn_table: np.ndarray  # float64 (n_revisions, n_codes): MFN of each code under each revision
    mfn_rows: np.ndarray  # float64 (n,) when given (ad valorem equivalents), else (0,)
    stack: np.ndarray  # float64 (K*P,): the duty layers summed
    stack_after: np.ndarray  # float64 (K*P,): the same after preferences
    mfn_preference: np.ndarray  # float64 (K*P,) share of MFN removed by preferences, or (0,)
    layers: np.ndarray  # float64 (L, K*P): the layer columns asked for that are not zero
    mfn_layer: int  # row of the layer output that takes the MFN rate, -1 when not asked for
    all_in_level: np.ndarray  # float64 (A, K*P): all-in level on the days in force (0 where none)
    all_in_weight: np.ndarray  # float64 (A, K*P): share of value each all-in rate applies to
    all_in_layer: np.ndarray  # int64 (A,): row of the layer output each all-in rate adds to, or -1
    all_in_any: np.ndarray  # bool (K*P,): some all-in rate applies there (most cells: none)
    de_minimis_by_period: bool  # monthly: open on every day of the period, from the table below
    de_minimis_open: np.ndarray  # bool (n_partners, P) when by period, else (0, 0)
    de_minimis_end: np.ndarray  # int64 (n_partners,): first tick without de minimis (daily)
    projection_by_period: np.ndarray  # bool (P,) monthly, else (0,)
    projection_from: int  # first tick past the known-through date (daily)


def evaluate_rows(
    codes: np.ndarray,
    partners: np.ndarray,
    ticks: np.ndarray,
    tables: RowTables,
    *,
    layer_dtype: type = np.float64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each row's total, total after preferences, layers (L × n, in `layer_dtype`), de minimis and
    projection flags."""
    n = len(codes)
    total = np.empty(n, dtype=np.float64)
    after = np.empty(n, dtype=np.float64)
    layers: np.ndarray = np.empty((tables.layers.shape[0], n), dtype=layer_dtype)
    de_minimis = np.empty(n, dtype=np.bool_)
    projection = np.empty(n, dtype=np.bool_)
    # Rows go to the threads in chunks as each thread finishes its last one, not in one even split: on a
    # shared machine a thread held up for a while then does not hold up the whole call.
    previous = numba.set_parallel_chunksize(CHUNK_ROWS)
    try:
        _rows(
            # One integer width for every panel: the loop is compiled (and cached) once, not per width.
            np.ascontiguousarray(codes, dtype=np.int32),
            np.ascontiguousarray(partners, dtype=np.int32),
            np.ascontiguousarray(ticks, dtype=np.int64),
            tables.class_of_code,
            tables.class_of_partner,
            tables.n_partner_classes,
            tables.n_periods,
            tables.per_day,
            1.0 / tables.per_day,
            tables.first_day,
            tables.period_of_day,
            tables.revision_of_day,
            tables.mfn_table,
            tables.mfn_rows,
            tables.stack,
            tables.stack_after,
            tables.mfn_preference,
            tables.layers,
            tables.mfn_layer,
            tables.all_in_level,
            tables.all_in_weight,
            tables.all_in_layer,
            tables.all_in_any,
            tables.de_minimis_by_period,
            tables.de_minimis_open,
            tables.de_minimis_end,
            tables.projection_by_period,
            tables.projection_from,
            total,
            after,
            layers,
            de_minimis,
            projection,
        )
    finally:
        numba.set_parallel_chunksize(previous)
    return total, after, layers, de_minimis, projection


@njit(parallel=True, cache=True)
def _rows(
    codes,
    partners,
    ticks,
    class_of_code,
    class_of_partner,
    n_pc,
    n_periods,
    per_day,
    per_day_inverse,
    first_day,
    period_of_day,
    revision_of_day,
    mfn_table,
    mfn_rows,
    stack,
    stack_after,
    mfn_preference,
    layer_tables,
    mfn_layer,
    all_in_level,
    all_in_weight,
    all_in_layer,
    all_in_any,
    de_minimis_by_period,
    de_minimis_open,
    de_minimis_end,
    projection_by_period,
    projection_from,
    total,
    after,
    layers,
    de_minimis,
    projection,
):  # pragma: no cover - compiled; exercised through Schedule.rates
    n = len(codes)
    n_layers = layer_tables.shape[0]
    n_all_in = all_in_level.shape[0]
    given_mfn = len(mfn_rows) > 0
    with_preference = len(mfn_preference) > 0
    for i in prange(n):
        tick = ticks[i]
        # Periods and revisions start on whole days: a row's day finds both in two small lookups. The day
        # is the tick times 1/ticks-per-day, corrected by one where rounding crossed a day boundary (a
        # multiplication is several times cheaper than a 64-bit division).
        whole = np.int64(tick * per_day_inverse)
        if whole * per_day > tick:
            whole -= 1
        elif (whole + 1) * per_day <= tick:
            whole += 1
        day = whole - first_day
        period = period_of_day[day]
        code = codes[i]
        partner = partners[i]
        key = (np.int64(class_of_code[code]) * n_pc + class_of_partner[partner]) * n_periods + period
        mfn = mfn_rows[i] if given_mfn else mfn_table[revision_of_day[day], code]
        row_total = mfn + stack[key]
        if with_preference:
            row_after = mfn * (1.0 - mfn_preference[key]) + stack_after[key]
        else:
            row_after = mfn + stack_after[key]
        for j in range(n_layers):
            layers[j, i] = layer_tables[j, key]
        if mfn_layer >= 0:
            layers[mfn_layer, i] = mfn
        if all_in_any[key]:
            for a in range(n_all_in):
                weight = all_in_weight[a, key]
                if weight != 0.0:
                    extra = weight * max(all_in_level[a, key] - mfn, 0.0)
                    row_total += extra
                    row_after += extra
                    target = all_in_layer[a]
                    if target >= 0:
                        layers[target, i] = layer_tables[target, key] + extra
        total[i] = row_total
        after[i] = row_after
        if de_minimis_by_period:
            de_minimis[i] = de_minimis_open[partner, period]
            projection[i] = projection_by_period[period]
        else:
            de_minimis[i] = tick < de_minimis_end[partner]
            projection[i] = tick >= projection_from
