"""Benchmark of `econ report`: a full rebuild of every run with one local process, the same with two, and
a no-op rebuild (every run skipped), all in one temporary ECON_HOME, printing the three times and the
speed-up of two processes over one.

    .venv/bin/python benchmarks/reports.py                 # the checkout's runs.yaml on the demo data
    .venv/bin/python benchmarks/reports.py --world fixtures  # the test fixtures' trivial notebooks
    ECON_HOME=/elsewhere .venv/bin/python benchmarks/reports.py --runs-file my_runs.yaml  # other runs

The demo world needs data/processed/demo (``econ demo && econ build``) and the notebooks of runs.yaml;
without them the benchmark says so and falls back to the fixtures. Kernel start-up (2-4 s here) dominates
the fixtures' runs, so their speed-up is about what two cores give to process start-up.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from econ import manifest, paths
from econ.errors import EconError
from econ.reports import pipeline

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "reports"

FIXTURE_RUNS = """
runs:
  label:
    notebook: fx_other
    parameters: {label: "benchmark"}
grids:
  - name: "square_{x}"
    notebook: fx_square
    grid: {x: [1.0, 2.0, 3.0, 4.0]}
"""


def _fixture_world(home: Path, scratch: Path) -> tuple[Path, Path]:
    spec = importlib.util.spec_from_file_location("econ_reports_test_world", FIXTURES / "world.py")
    world = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = world
    spec.loader.exec_module(world)
    world.write_processed(home)
    runs_file = scratch / "runs.yaml"
    runs_file.write_text(FIXTURE_RUNS, encoding="utf-8")
    return runs_file, FIXTURES


def _demo_world(
    home: Path, source: Path, runs_file: Path | None, notebooks_dir: Path | None
) -> tuple[Path, Path]:
    # The data are only read (processed panels, and raw files some notebooks also open): link the folder
    # instead of copying hundreds of megabytes.
    (home / "data").symlink_to(source.parent.parent, target_is_directory=True)
    return runs_file or paths.runs_file(), notebooks_dir or paths.notebooks_dir()


def _cpu() -> float:
    # this process and every finished child (workers, and the kernels they reaped)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(label: str, **options) -> float:
    clock, cpu = time.perf_counter(), _cpu()
    outcome = pipeline.run_reports(echo=lambda line: None, progress=False, **options)
    seconds = time.perf_counter() - clock
    print(
        f"{label:<28} {seconds:7.2f} s  (CPU {_cpu() - cpu:6.2f} s)   built {len(outcome.built)}, "
        f"skipped {len(outcome.skipped)}, failed {len(outcome.failed)}"
    )
    if outcome.failed:
        for name, error in outcome.failed.items():
            print(f"    failed {name}: {error}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", choices=["demo", "fixtures"], default="demo")
    parser.add_argument(
        "--runs-file", type=Path, help="demo world: another runs.yaml (default: the checkout's)"
    )
    parser.add_argument("--notebooks-dir", type=Path, help="demo world: another notebooks folder")
    args = parser.parse_args()

    source = paths.processed_dir() / "demo"
    world = args.world
    if world == "demo":
        try:
            pipeline.load_runs(args.runs_file, notebooks_dir=args.notebooks_dir)
            ready = (source / "manifest.json").is_file()
        except EconError as error:
            print(f"demo runs not ready ({error})")
            ready = False
        if not ready:
            print(f"no usable demo world (need {source}/manifest.json and the notebooks); using fixtures")
            world = "fixtures"

    # Hash the package once: colleagues editing econ/ mid-benchmark must not turn the no-op into a rebuild.
    code = manifest.code_hash()
    manifest.code_hash = lambda package=None: code
    with tempfile.TemporaryDirectory(prefix="econ-bench-reports-") as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        os.environ["ECON_HOME"] = str(home)
        if world == "demo":
            runs_file, notebooks = _demo_world(home, source, args.runs_file, args.notebooks_dir)
        else:
            runs_file, notebooks = _fixture_world(home, Path(scratch))
        where = dict(runs_file=runs_file, notebooks_dir=notebooks)
        count = len(pipeline.load_runs(runs_file, notebooks_dir=notebooks))
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"world: {world}, {count} runs, {os.cpu_count()} CPUs (load average {load}), ECON_HOME={home}")
        one = _timed("full rebuild, --jobs 1", jobs=1, force=True, **where)
        two = _timed("full rebuild, --jobs 2", jobs=2, force=True, **where)
        noop = _timed("no-op rebuild, --jobs 2", jobs=2, **where)
    print(f"speed-up of --jobs 2 over --jobs 1: {one / two:.2f}x; no-op rebuild {noop:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
