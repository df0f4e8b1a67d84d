"""Benchmark of reading one Census API file: the fast reader (DuckDB, `econ.sources.census_bulk`) beside
the careful one (`econ.sources.census.read`), as `econ build` calls them (`read_file_part` and the
careful part it falls back to), each writing its scratch Parquet part.

    .venv/bin/python benchmarks/census_read.py              # the scale-1 demo world's largest imports file
    .venv/bin/python benchmarks/census_read.py FILE.json    # any Census response

Each way runs three times in this process and its median is shown; the two parts must be the same
table (the benchmark checks it). Memory is not compared here: `benchmarks/build.py` measures the build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _median_seconds(step: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="a Census API response (default: the demo world's)")
    args = parser.parse_args()
    import pyarrow.parquet as pq

    from econ.panel import census_files

    with tempfile.TemporaryDirectory(prefix="econ-bench-read-") as scratch:
        if args.file:
            path = Path(args.file)
        else:
            env = {**os.environ, "ECON_HOME": scratch}
            demo = [sys.executable, "-m", "econ.cli", "demo"]
            subprocess.run(demo, env=env, check=True, capture_output=True)
            folder = Path(scratch) / "data" / "raw" / "demo" / "census"
            path = max(folder.glob("imports_*.json"), key=lambda p: p.stat().st_size)
        out = Path(scratch) / "parts"
        fast = census_files.read_file_part(path, path.name, out / "fast")
        careful = census_files._careful_part(path, path.name, out / "careful")
        if not fast.fast:
            print(f"{path.name}: the fast reader declines this file (the careful one reads it)")
        same = (
            fast.part is not None
            and careful.part is not None
            and pq.read_table(fast.part).equals(pq.read_table(careful.part))
        )
        a = _median_seconds(lambda: census_files.read_file_part(path, path.name, out / "fast", threads=1))
        b = _median_seconds(lambda: census_files._careful_part(path, path.name, out / "careful"))
        rows = pq.read_metadata(careful.part).num_rows if careful.part else 0
        print(f"{path.name}: {path.stat().st_size / 1e6:,.1f} MB, {rows:,} rows of countries")
        print(f"{'way':<36} {'seconds':>8}")
        print(f"{'fast reader (DuckDB, one thread)':<36} {a:>8.2f}")
        print(f"{'careful reader (Python JSON)':<36} {b:>8.2f}")
        print(f"{'ratio (fast / careful)':<36} {a / b:>8.2f}   same part: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
