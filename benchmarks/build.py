"""Benchmark of `econ build`: time and peak memory at two scales of the demo world, beside the same work done
in memory (every Census file through the careful reader into one pandas frame, the imports panel made in
one call — what `econ build` did before it streamed and before DuckDB read its files).

    .venv/bin/python benchmarks/build.py                    # scales 1 and 4, one run each
    .venv/bin/python benchmarks/build.py --scales 1 10      # the issue's scale 10 (about 8M import rows)
    .venv/bin/python benchmarks/build.py --rows 40e6 --jobs 2   # the real set's size: ~40M rows, ~9 GB

`--rows` is the size of a full pull (all partners × HS10 × month, 2017–2026): the scale-4 demo world's
import files copied, each copy's countries given other Census codes (and " COPY k" after their names),
until there are that many import rows — about 9 GB of API JSON, the groupings and totals included, as
the real pull would be. The in-memory way would need some 38 GB there (2.9 GB at 3.1M rows), more
than this machine has, so at that size `econ build` runs alone; its two ways (`--jobs 1` and the
`--jobs` given) are compared instead.

Each scale's demo world is written once into a temporary ECON_HOME (not timed); then each way of building
runs in its own process, its peak memory the sum of its and its workers' resident memory, sampled every
0.1 s. The two ways must give the same imports panel: the benchmark checks it. The comparison favours
the in-memory way on time: `econ build` makes every panel (imports, exports, industries, tariff lines,
coverage), the in-memory child the imports panel alone; peak memory is what the streaming build is for.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
    """Run `command` with ECON_HOME=`home`; its wall seconds and the peak resident memory in GB of it and
    its worker processes together (sampled every 0.1 s, and never below its own accounted peak)."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, "ECON_HOME": str(home)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, peak / 1e9


def replicate_imports(home: Path, rows: float) -> int:
    """Copy the demo world's import files, each copy's countries under other codes, until the demo's
    Census folder holds about `rows` import rows of single countries; returns that count."""
    import re

    folder = home / "data" / "raw" / "demo" / "census"
    originals = sorted(folder.glob("imports_hs10_*.json"))
    country = re.compile(rb'^\["(\d{10})", "([1-9]\d{3})", "([^"]*)"', re.MULTILINE)
    texts = [path.read_bytes() for path in originals]
    per_copy = sum(len(country.findall(text)) for text in texts)
    used = {m.group(2) for text in texts for m in country.finditer(text)}
    free = iter(sorted({f"{n}".encode() for n in range(1000, 10000)} - used))
    copies = max(round(rows / per_copy) - 1, 0)
    for k in range(1, copies + 1):
        codes = {code: next(free) for code in sorted(used)}

        def renamed(match: re.Match[bytes], codes: dict[bytes, bytes] = codes, k: int = k) -> bytes:
            return b'["%s", "%s", "%s COPY %d"' % (match.group(1), codes[match.group(2)], match.group(3), k)

        for path, text in zip(originals, texts, strict=True):
            out = path.with_name(f"{path.stem}_copy{k:02d}.json")
            out.write_bytes(country.sub(renamed, text))
    return per_copy * (copies + 1)


def full_size(econ: list[str], *, rows: float, jobs: int, home: Path | None = None) -> int:
    """`econ build` on about `rows` import rows, in one process and in `jobs`. With `home`, the world is
    written there once and reused by later calls (it takes minutes to write and 9 GB)."""
    with contextlib.ExitStack() as stack:
        if home is None:
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="econ-bench-build-")))
        folder = home / "data" / "raw" / "demo" / "census"
        marker = home / "replicated.json"
        if marker.exists():
            rows_written = json.loads(marker.read_text())["rows"]
        else:
            subprocess.run([*econ, "demo", "--scale", "4"], env={**os.environ, "ECON_HOME": str(home)},
                           check=True, capture_output=True)  # fmt: skip
            rows_written = replicate_imports(home, rows)
            marker.write_text(json.dumps({"rows": rows_written}))
        size = sum(path.stat().st_size for path in folder.glob("imports_*.json"))
        files = len(list(folder.glob("imports_*.json")))
        print(f"{rows_written:,} import rows of countries in {files} files, {size / 1e9:.1f} GB of JSON")
        print(f"{'way':<34} {'seconds':>8} {'peak GB':>8}")
        results = {}
        for n in dict.fromkeys([1, jobs]):
            seconds, peak = _child([*econ, "build", "--force", "--jobs", str(n)], home)
            results[n] = (seconds, peak)
            print(f"{f'econ build --jobs {n}, every panel':<34} {seconds:>8.1f} {peak:>8.2f}")
        if jobs != 1:
            (a, peak_a), (b, peak_b) = results[jobs], results[1]
            print(f"{f'ratio (--jobs {jobs} / --jobs 1)':<34} {a / b:>8.2f} {peak_a / peak_b:>8.2f}")
        os.environ["ECON_HOME"] = str(home)
        from econ import manifest, paths

        built = manifest.DatasetManifest.read(paths.processed_dir() / "demo")
        print(f"imports panel: {built.outputs['imports']['rows']:,} rows")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--rows", type=float, help="the full-size run: about this many import rows")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the full-size run")
    parser.add_argument("mode", nargs="?", choices=[IN_MEMORY], help=argparse.SUPPRESS)
    parser.add_argument("--home", help="with --rows: write the world here once, and reuse it")
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode == IN_MEMORY:  # the child process of the in-memory way
        in_memory_build(Path(args.home), Path(args.out))
        return 0
    econ = [sys.executable, "-m", "econ.cli"]
    if args.rows:
        return full_size(econ, rows=args.rows, jobs=args.jobs, home=Path(args.home) if args.home else None)
    print(f"{'scale':>6} {'import rows':>12} {'way':<24} {'seconds':>8} {'peak GB':>8}")
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="econ-bench-build-") as scratch:
            home = Path(scratch)
            subprocess.run([*econ, "demo", "--scale", str(scale)], env={**os.environ, "ECON_HOME": scratch},
                           check=True, capture_output=True)  # fmt: skip
            out = home / "in_memory.parquet"
            # Each way in a fresh interpreter, measured on its own.
            streaming = _child([*econ, "build", "--force"], home)
            in_memory_way = _child(
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
                ("in memory, imports only", in_memory_way),
            ):
                print(f"{scale:>6g} {rows:>12,} {way:<24} {seconds:>8.1f} {peak:>8.2f}")
            print(f"{'':>6} {'':>12} {'ratio (econ / in memory)':<24} "
                  f"{streaming[0] / in_memory_way[0]:>8.2f} {streaming[1] / in_memory_way[1]:>8.2f}"
                  f"   same imports panel: {same}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
