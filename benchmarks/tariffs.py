"""Benchmark: statutory tariff layers for a 10-million-row panel (hs8 x partner x date).

Compares, in one run on the same panel and the same layers:

* ``engine``      — econ.tariffs.Schedule.rates (factorise codes, class tables, searchsorted on the grid);
* ``engine_monthly`` — Schedule.monthly_rates on the same rows with a month column (day-weighted);
* ``merge_asof``  — a plain pandas pipeline: merge each row's product and partner class onto the frame,
                    then ``pd.merge_asof`` on the date by class against a long table of (class, change
                    date, layer rates) — the same layers the engine computes, with pandas' join machinery.

Time is the best of --repeat untraced calls (median beside it; the machine may be shared). Peak memory
is tracemalloc's peak during one more, traced call (numpy and Python allocations; Arrow string buffers
are not traced, so pandas' share is understated), beside the growth of the process's maximum RSS during
the untraced calls (0 when an earlier method already reached that peak).

    .venv/bin/python benchmarks/tariffs.py            # 10M rows
    .venv/bin/python benchmarks/tariffs.py --rows 1000000
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from econ.tariffs import Schedule
from econ.tariffs.engine import _layer_table

LAYERS = ["section301", "section232", "ieepa_fentanyl", "ieepa_reciprocal", "china_retaliation"]
PARTNERS = ["5700", "5820", "5880", "5800", "4280", "1220", "2010", "5520", "5830", "5330"] + [
    f"{code:04d}" for code in range(6000, 6040)
]


def synthetic_products(n_lines: int, rng: np.random.Generator) -> pd.DataFrame:
    chapters = rng.integers(1, 98, n_lines)
    rest = rng.integers(0, 1_000_000, n_lines)
    hs8 = pd.unique(np.array([f"{c:02d}{r:06d}" for c, r in zip(chapters, rest, strict=True)]))
    refs_pool = [[], ["9903.88.01"], ["9903.88.02"], ["9903.88.03"], ["9903.88.15"], ["9903.88.16"]]
    picks = rng.integers(0, len(refs_pool), len(hs8))
    return pd.DataFrame(
        {
            "hs8": hs8,
            "mfn_ad_valorem": rng.choice([0.0, 0.025, 0.05, 0.12], len(hs8)),
            "chapter99": [refs_pool[i] for i in picks],
        }
    )


def synthetic_panel(products: pd.DataFrame, n_rows: int, rng: np.random.Generator) -> pd.DataFrame:
    start = np.datetime64("2018-01-01", "D").astype(np.int64)
    end = np.datetime64("2026-06-30", "D").astype(np.int64)
    days = rng.integers(start, end, n_rows).astype("datetime64[D]").astype("datetime64[s]")
    return pd.DataFrame(
        {
            "hs8": pd.array(products["hs8"].to_numpy()[rng.integers(0, len(products), n_rows)], dtype="str"),
            "partner": pd.array(np.array(PARTNERS)[rng.integers(0, len(PARTNERS), n_rows)], dtype="str"),
            "date": days,
        }
    )


def merge_asof_rates(schedule: Schedule, frame: pd.DataFrame) -> pd.DataFrame:
    """The same layers through pandas joins: class keys by merge, then merge_asof on the date."""
    compiled = schedule._compile(None)
    products = pd.Index(pd.unique(frame["hs8"]))
    classes, members, mfn = schedule._product_classes(list(products), compiled)
    n_pc = len(compiled.partner_codes) + 1
    table = _layer_table(compiled, members, n_pc, flow="imports")
    # Long table: one row per (class key, change date) with every layer's rate from that date.
    n_keys, n_int = table["section301"].shape
    grid = compiled.grid.astype("datetime64[D]").astype("datetime64[s]")
    long = pd.DataFrame({"key": np.repeat(np.arange(n_keys), n_int), "date": np.tile(grid, n_keys)})
    for layer in [*LAYERS, "reciprocal_all_in"]:
        long[layer] = table[layer].ravel()
    long = long.sort_values("date", kind="stable")
    product_map = pd.DataFrame({"hs8": products.astype("str"), "product_class": classes, "mfn": mfn})
    lookup = {code: i + 1 for i, code in enumerate(compiled.partner_codes)}
    partner_map = pd.DataFrame({"partner": pd.array(PARTNERS, dtype="str")})
    partner_map["partner_class"] = [lookup.get(p, 0) for p in PARTNERS]
    rows = (
        frame.reset_index(names="row")
        .merge(product_map, on="hs8", how="left")
        .merge(partner_map, on="partner", how="left")
    )
    rows["key"] = rows["product_class"] * n_pc + rows["partner_class"]
    rows = rows.sort_values("date", kind="stable")
    merged = pd.merge_asof(rows, long, on="date", by="key", direction="backward")
    # Japan and the EU: 15% all-in, so the reciprocal duty is what MFN leaves of it.
    all_in = merged["reciprocal_all_in"]
    merged["ieepa_reciprocal"] += (all_in - merged["mfn"]).clip(lower=0).where(all_in > 0, 0.0)
    merged["total"] = merged["mfn"] + merged[LAYERS].sum(axis=1)
    return merged.sort_values("row").set_index("row")


def measure(
    label: str, fn: Callable[[], pd.DataFrame], *, repeat: int
) -> tuple[dict[str, float | str], pd.DataFrame]:
    """Best of `repeat` untraced calls (tracemalloc slows allocation-heavy code; the machine is shared,
    so the minimum is the least noisy figure), then one traced call for the peak."""
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        del out
        gc.collect()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    gc.collect()
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "method": label,
        "seconds": min(times),
        "median_s": float(np.median(times)),
        "peak_traced_MB": peak / 1e6,
        "max_rss_growth_MB": (rss_after - rss_before) / 1e3,
    }, out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--lines", type=int, default=9_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="untraced timing runs per method (best is shown)"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(4)
    products = synthetic_products(args.lines, rng)
    schedule = Schedule(products)
    frame = synthetic_panel(products, args.rows, rng)
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"panel: {len(frame):,} rows, {frame['hs8'].nunique():,} HS8 lines, {len(PARTNERS)} partners")

    results = []
    stats, engine = measure("engine (Schedule.rates)", lambda: schedule.rates(frame), repeat=args.repeat)
    results.append(stats)
    monthly_frame = frame.assign(month=frame["date"].dt.to_period("M").dt.start_time).drop(columns="date")
    stats, _ = measure(
        "engine (Schedule.monthly_rates)", lambda: schedule.monthly_rates(monthly_frame), repeat=args.repeat
    )
    results.append(stats)
    stats, baseline = measure(
        "pandas merge_asof", lambda: merge_asof_rates(schedule, frame), repeat=args.repeat
    )
    results.append(stats)

    agree = np.allclose(engine["total"].to_numpy(), baseline["total"].to_numpy())
    table = pd.DataFrame(results).set_index("method")
    table["vs_engine"] = table["seconds"] / table.loc["engine (Schedule.rates)", "seconds"]
    print(table.to_string(float_format=lambda v: f"{v:,.2f}"))
    print(f"engine and merge_asof agree on every row's total: {agree}")


if __name__ == "__main__":
    main()
