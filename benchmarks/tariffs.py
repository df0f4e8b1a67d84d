"""Benchmark: statutory tariff layers for a 40-million-row panel (HS10 × partner × month, 2017–2026).

Compares, in one run on the same panel and the same layers (the daily runs and merge_asof on the first
--baseline-rows rows, 10 million by default: merge_asof's sort and joins of 40 million rows need more
memory than a shared machine should give one benchmark):

* ``engine monthly``  — econ.tariffs.Schedule.monthly_rates (factorise codes, class tables of the month's
                        day-weighted averages, then one compiled pass over the rows: econ.tariffs.rows),
                        for total + flags, every layer in float32, every layer in float64;
* ``engine daily``    — Schedule.rates on the same rows, dated mid-month (a searchsorted on the grid);
* ``merge_asof``      — a plain pandas pipeline on the same daily rows: merge each row's product and partner
                        class onto the frame, then ``pd.merge_asof`` on the date by class against a long
                        table of (class, change date, layer rates) — the engine's own layer tables, joined
                        with pandas' machinery instead of gathered.

The panel: every HS8 of the package's compiled lists with two statistical suffixes (about 20,000 HS10
codes), 40 partners (China, Canada, Mexico, Japan, the EU, Vietnam, … and others), 120 months; codes and
partners as categoricals, as a Parquet panel reads them. Time is the best of --repeat calls (the machine
is shared: the run prints how long processes waited for a core, Linux's CPU pressure, before and after),
with the CPU time of all the process's threads in that call beside it (``cpu_seconds``: the work done,
which waiting for a core does not inflate);
memory is the peak resident set during one call above the level before it, sampled every
5 ms from /proc (so it counts numpy, pandas and Arrow alike). The row loop is compiled once before the
timed calls (numba caches it on disk after the first run). ``vs merge_asof`` is the time per row of each
method over that of merge_asof in the same run.

Measured on this machine (2 cores, 2026-12-02, CPU pressure 0.5-1.6%; 40M rows, 22,332 HS10 codes, 10M
for the daily and merge_asof runs), two runs after the line-exact lists of China's retaliation, Annex II by
date and the Section 232 parts: total + flags 1.38-1.71 s (2.1-2.4 CPU-s), 1.38 GB; every layer float32
6.7-12.2 s, 3.40 GB; float64 7.3-15.6 s, 5.16 GB; daily every layer 0.94 s, 1.37 GB; merge_asof 81 s,
6.3 GB. The same run of the code before those lists: total + flags 1.39 s, 1.39 GB; float32 7.4 s; float64
10.3 s; merge_asof 85 s. The every-layer calls allocate 3-5 GB and their times swing twofold between runs
of the same code; the default path does not. Per row the default path takes 0.01 or less of merge_asof's time.
Under a fully loaded machine (CPU pressure 97-99%) the calls took 8.4-15.4 s and 16-32 s.

    .venv/bin/python benchmarks/tariffs.py                 # 40M rows
    .venv/bin/python benchmarks/tariffs.py --rows 4000000  # quicker
"""

from __future__ import annotations

import argparse
import gc
import os
import threading
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from econ.tariffs import Schedule, load_timeline
from econ.tariffs.engine import LayerDtype
from econ.tariffs.stacking import layer_table

PARTNERS = [
    "5700", "5820", "1220", "2010", "5880", "5520", "5800", "5830", "5330", "4419", "3510", "4120",
    "4280", "4279", "4759", "4190", "4210", "5490", "5570", "5600", "5650", "5590", "6021", "3570",
    "5081", "7910", "4890", "5550", "5380", "5350",
] + [f"{code:04d}" for code in range(6100, 6110)]  # fmt: skip
LAYERS = ["section301", "section232", "ieepa_fentanyl", "ieepa_reciprocal", "ieepa_other", "section122",
          "section301_brazil", "section301_forced_labour", "section201", "section338"]  # fmt: skip


def products(rng: np.random.Generator) -> pd.DataFrame:
    timeline = load_timeline()
    hs8 = pd.unique(
        np.concatenate(
            [
                timeline.s301_lists["hs8"].to_numpy(),
                timeline.coverage.loc[timeline.coverage["hs_prefix"].str.len() == 8, "hs_prefix"].to_numpy(),
            ]
        )
    )
    lists = timeline.s301_lists.groupby("hs8")["heading"].agg(list)
    lines = pd.DataFrame(
        {
            "hs8": hs8,
            "mfn_ad_valorem": rng.choice([0.0, 0.025, 0.05, 0.12, 0.2], len(hs8)),
            "chapter99": [lists.get(h, []) for h in hs8],
        }
    )
    tens = pd.DataFrame({"hs8": np.repeat(hs8, 2), "hs10": [f"{h}{s}" for h in hs8 for s in ("10", "90")]})
    tens["mfn_ad_valorem"] = np.nan
    return pd.concat([lines, tens], ignore_index=True)


def panel(lines: pd.DataFrame, n_rows: int, rng: np.random.Generator) -> pd.DataFrame:
    hs10 = lines["hs10"].dropna().to_numpy()
    months = pd.date_range("2017-01-01", "2026-12-01", freq="MS")
    n_cells = max(n_rows // len(months), 1)
    codes = rng.integers(0, len(hs10), n_cells)
    partners = rng.integers(0, len(PARTNERS), n_cells)
    return pd.DataFrame(
        {
            "hs10": pd.Categorical.from_codes(np.repeat(codes, len(months)), categories=pd.Index(hs10)),
            "partner": pd.Categorical.from_codes(
                np.repeat(partners, len(months)), categories=pd.Index(PARTNERS)
            ),
            "month": np.tile(months.to_numpy(), n_cells),
        }
    )


def merge_asof_rates(schedule: Schedule, frame: pd.DataFrame) -> pd.DataFrame:
    """The same layers through pandas joins: class keys by merge, then merge_asof on the date."""
    from econ.tariffs.products import index_codes

    compiled = schedule.compiled()
    _, uniques, positions, _ = index_codes(frame, schedule.products)
    classes, members = schedule._product_classes(uniques, positions, compiled)
    n_pc = len(compiled.partner_codes) + 1
    table = layer_table(compiled, members, flow="imports")
    n_keys, n_int = table["section301"].shape
    grid = compiled.grid.astype("datetime64[D]").astype("datetime64[ns]")
    long = pd.DataFrame({"key": np.repeat(np.arange(n_keys), n_int), "date": np.tile(grid, n_keys)})
    for layer in LAYERS:
        long[layer] = table[layer].ravel()
    for all_in in ("reciprocal_all_in", "forced_labour_all_in", "section232_all_in"):
        long[all_in] = table[all_in].ravel()
        long[f"{all_in}_weight"] = table[f"{all_in}_weight"].ravel()
    long = long.sort_values("date", kind="stable")
    product_map = pd.DataFrame(
        {
            "code": pd.Index(uniques, dtype=object),
            "product_class": classes,
            "mfn": np.where(positions >= 0, schedule.products.mfn[-1, np.maximum(positions, 0)], 0.0),
        }
    )
    lookup = {code: i + 1 for i, code in enumerate(compiled.partner_codes)}
    partner_map = pd.DataFrame({"partner": PARTNERS, "partner_class": [lookup.get(p, 0) for p in PARTNERS]})
    rows = frame.assign(code=frame["hs10"].astype(str), partner=frame["partner"].astype(str))
    rows = rows.reset_index(names="row").merge(product_map, on="code", how="left")
    rows = rows.merge(partner_map, on="partner", how="left")
    rows["key"] = rows["product_class"] * n_pc + rows["partner_class"]
    rows["date"] = rows["date"].astype("datetime64[ns]")
    rows = rows.sort_values("date", kind="stable")
    merged = pd.merge_asof(rows, long, on="date", by="key", direction="backward")
    for all_in, target in (
        ("reciprocal_all_in", "ieepa_reciprocal"),
        ("forced_labour_all_in", "section301_forced_labour"),
        ("section232_all_in", "section232"),
    ):
        merged[target] += merged[f"{all_in}_weight"] * (merged[all_in] - merged["mfn"]).clip(lower=0)
    merged["total"] = merged["mfn"] + merged[LAYERS].sum(axis=1)
    return merged.sort_values("row").set_index("row")


def _pressure() -> str:
    """The share of the last 60 s other processes kept this one waiting for a core (Linux PSI)."""
    try:
        with open("/proc/pressure/cpu") as handle:
            some = handle.readline().split()
        return f"CPU pressure (time waiting for a core, last 60 s) {some[2].split('=')[1]}%"
    except OSError:
        return "CPU pressure unknown"


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure(label: str, fn: Callable[[], pd.DataFrame], *, repeat: int) -> tuple[dict, pd.DataFrame]:
    times, cpu, peaks = [], [], []
    out = pd.DataFrame()
    for _ in range(repeat):
        del out
        gc.collect()
        base = _rss()
        peak = [base]
        done = threading.Event()

        def sample(peak: list[int] = peak, done: threading.Event = done) -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss())
                time.sleep(0.005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        done.set()
        sampler.join()
        peaks.append(max(peak[0], _rss()) - base)
    best = int(np.argmin(times))
    stats = {"method": label, "seconds": times[best], "cpu_seconds": cpu[best], "peak_GB": min(peaks) / 1e9}
    return stats, out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=40_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--baseline-rows", type=int, default=10_000_000, help="rows for the daily engine and merge_asof runs"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(4)
    lines = products(rng)
    schedule = Schedule(lines)
    frame = panel(lines, args.rows, rng)
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {_pressure()}")
    print(
        f"panel: {len(frame):,} rows, {frame['hs10'].nunique():,} HS10 codes, {len(PARTNERS)} partners, "
        f"{frame['month'].nunique()} months; input {frame.memory_usage(deep=True).sum() / 1e9:.2f} GB"
    )
    results = []
    rows = []
    dtypes: tuple[LayerDtype, ...] = ("float32", "float64")
    for kind in dtypes:  # compile (or load) the row loop outside the timings
        schedule.monthly_rates(frame.iloc[:1000], dtype=kind)
    stats, monthly = measure(
        "engine monthly_rates: total + flags",
        lambda: schedule.monthly_rates(frame, layers=[]),
        repeat=args.repeat,
    )
    results.append(stats)
    rows.append(len(frame))
    projected = int(monthly["projection"].sum())
    del monthly
    for dtype in ("float32", "float64"):

        def every_layer(dtype: LayerDtype = dtype) -> pd.DataFrame:
            return schedule.monthly_rates(frame, dtype=dtype)

        stats, monthly = measure(
            f"engine monthly_rates: every layer, {dtype}", every_layer, repeat=args.repeat
        )
        results.append(stats)
        rows.append(len(frame))
        del monthly
    daily = frame.iloc[: args.baseline_rows].rename(columns={"month": "date"})
    daily["date"] = daily["date"] + pd.Timedelta(days=14)
    stats, engine = measure("engine rates (daily): every layer", lambda: schedule.rates(daily), repeat=1)
    results.append(stats)
    rows.append(len(daily))
    totals = engine["total"].to_numpy()
    del engine
    stats, baseline = measure(
        "pandas merge_asof (daily): every layer", lambda: merge_asof_rates(schedule, daily), repeat=1
    )
    results.append(stats)
    rows.append(len(daily))
    agree = np.allclose(totals, baseline["total"].to_numpy())
    table = pd.DataFrame(results).set_index("method")
    table["rows"] = rows
    table["ns_per_row"] = table["seconds"] / table["rows"] * 1e9
    table["vs merge_asof"] = table["ns_per_row"] / table["ns_per_row"].iloc[-1]
    print(table.to_string(float_format=lambda v: f"{v:,.2f}"))
    print(f"engine and merge_asof agree on every row's total: {agree}; rows marked projection: {projected:,}")
    print(f"after the run: {_pressure()}")


if __name__ == "__main__":
    main()
