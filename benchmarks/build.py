"""Benchmark of `econ build`: time and peak memory at two scales of the demo world, beside the same work done
in memory with plain pandas (every Census file read into one frame, the imports panel made in one go —
what `econ build` did before it streamed).

    .venv/bin/python benchmarks/build.py                    # scales 1 and 4, one run each
    .venv/bin/python benchmarks/build.py --scales 1 10      # the issue's scale 10 (about 8M import rows)

Each scale's demo world is written once into a temporary ECON_HOME (not timed); then each way of building
runs in its own process, so its peak resident memory is its own (`resource.getrusage` of the child). The
two ways must give the same imports panel: the benchmark checks it. The comparison favours pandas on time:
`econ build` makes every panel (imports, exports, industries, tariff lines, coverage), the pandas child the
imports panel alone; peak memory is the measure the streaming build is for.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

IN_MEMORY = "in-memory"


def in_memory_build(home: Path, out: Path) -> None:
    """The imports panel the old way: every file read into memory, one concat, one call."""
    from econ.panel import census_files, trade
    from econ.sources import census

    os.environ["ECON_HOME"] = str(home)
    raw = home / "data" / "raw" / "demo"
    lines, _ = trade.tariff_lines(sorted((raw / "hts").glob("*.json")))
    frames = []
    for path in sorted((raw / "census").glob("imports_*.json")):
        frame = census.read(path)
        frame = frame.rename(columns={c: c[:-3] for c in frame.columns if c.endswith(("_mo", "_yr"))})
        frame["source_file"] = census_files.label(path, None)
        frames.append(frame)
    panel = trade.imports_panel(pd.concat(frames, ignore_index=True), lines)
    panel.to_parquet(out)


def _child(command: list[str], home: Path) -> tuple[float, float]:
    """Run `command` with ECON_HOME=`home`; its wall seconds and its own peak resident memory in GB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, "ECON_HOME": str(home)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)  # this child's own accounting, not all children's
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("mode", nargs="?", choices=[IN_MEMORY], help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode == IN_MEMORY:  # the child process of the in-memory way
        in_memory_build(Path(args.home), Path(args.out))
        return 0
    econ = [sys.executable, "-m", "econ.cli"]
    print(f"{'scale':>6} {'import rows':>12} {'way':<24} {'seconds':>8} {'peak GB':>8}")
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="econ-bench-build-") as scratch:
            home = Path(scratch)
            subprocess.run([*econ, "demo", "--scale", str(scale)], env={**os.environ, "ECON_HOME": scratch},
                           check=True, capture_output=True)  # fmt: skip
            out = home / "in_memory.parquet"
            # Each way in a fresh interpreter, measured on its own.
            streaming = _child([*econ, "build", "--force"], home)
            pandas_way = _child(
                [sys.executable, __file__, IN_MEMORY, "--home", scratch, "--out", str(out)], home
            )
            os.environ["ECON_HOME"] = scratch
            from econ import panel

            built = panel.load("imports", "demo").drop(columns=["product_id", "partner_id"])
            other = pd.read_parquet(out).drop(columns=["product_id", "partner_id"])
            key = ["hs10", "partner", "month"]
            # equal to the last few bits: the day-weighted month averages sum in another order
            try:
                pd.testing.assert_frame_equal(
                    built.sort_values(key, ignore_index=True),
                    other.sort_values(key, ignore_index=True),
                    check_exact=False,
                    rtol=1e-12,
                )
                same = True
            except AssertionError:
                same = False
            rows = len(built)
            for way, (seconds, peak) in (
                ("econ build, every panel", streaming),
                ("pandas, imports only", pandas_way),
            ):
                print(f"{scale:>6g} {rows:>12,} {way:<24} {seconds:>8.1f} {peak:>8.2f}")
            print(f"{'':>6} {'':>12} {'ratio (econ / pandas)':<24} "
                  f"{streaming[0] / pandas_way[0]:>8.2f} {streaming[1] / pandas_way[1]:>8.2f}"
                  f"   same imports panel: {same}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
