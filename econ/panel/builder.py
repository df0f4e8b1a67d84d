"""`econ build`: read one dataset's raw files, build every panel it can, write them with their manifest.

Everything is written into a staging folder first and swapped in as a whole (`econ.atomic`'s folder
swap): the panels and then ``manifest.json`` go into data/processed/.demo.new/, which replaces
data/processed/demo/ in two renames. A build killed at any moment leaves readers one complete set
(`econ.atomic.committed_folder` finds it even in the instant between the renames); the next build
finishes or discards what the kill left (`econ.atomic.recover_folder`). A build is skipped when the raw
inputs and the code are unchanged and every output still matches its hash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import multiprocessing
import shutil
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from econ import atomic, paths
from econ.errors import EconError, IntegrityError
from econ.lock import home_lock
from econ.manifest import (
    DATASETS,
    MANIFEST,
    Dataset,
    DatasetManifest,
    code_hash,
    combined_hash,
    sha256_file,
)
from econ.panel import census_files, input_output, other_sources, trade
from econ.panel import coverage as _coverage
from econ.panel.inputs import RawInputs, find_inputs
from econ.panel.minerals import minerals_panel
from econ.panel.schemas import check_schema

log = logging.getLogger(__name__)


def build(
    *,
    dataset: Dataset = "demo",
    force: bool = False,
    vintage: str | None = None,
    strict: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
) -> DatasetManifest:
    """Build the processed panels of `dataset`; skip when inputs and code are unchanged (unless `force`).

    `vintage` takes the real Census files (and the HTS revision, when there is one) from that vintage
    folder alone. A file with no rows, or rows no panel takes, is a note in the manifest and on screen;
    with `strict` it is an error.

    The file-by-file stage (each Census file into its scratch part) and the year-by-year stage (each
    year of HS10 imports rated and written) run as tasks: in this process (`jobs=1`), in `jobs` local
    worker processes, or on the Dask cluster whose scheduler is at `scheduler` (``tcp://host:8786``),
    whose workers must see this ECON_HOME at the same path (a shared file system). The panels are the
    same whichever runs them.
    """
    if dataset not in DATASETS:
        raise EconError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    if jobs < 1:
        raise EconError(f"econ build: --jobs must be at least 1 (got {jobs})")
    with home_lock("build"):
        if dataset == "demo":  # an `econ demo` killed mid-swap: finish it before reading the world
            atomic.recover_folder(paths.demo_dir(), complete="truth.json")
        folder = paths.processed_dir() / dataset
        atomic.recover_folder(folder, complete=MANIFEST)
        inputs = find_inputs(dataset, vintage=vintage)
        input_hashes = {str(_relative(p)): sha256_file(p) for p in inputs.all()}
        code = code_hash()
        try:
            previous = DatasetManifest.read(folder)
        except IntegrityError as error:
            log.warning("%s; rebuilding", error)
            previous = None
        if not force and previous is not None and previous.inputs == input_hashes and previous.code == code:
            try:
                previous.verify(folder)
            except IntegrityError as error:
                log.warning("%s; rebuilding", error)
            else:
                previous.skipped = True
                return previous
        manifest = DatasetManifest(
            dataset=dataset,
            inputs=input_hashes,
            code=code,
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        # Everything is written into a staging folder and swapped in as a whole; each panel goes to disk
        # as soon as it is made, so memory holds one panel (one year of imports) at a time.
        staging = atomic.staging_folder(folder)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            with _executor(jobs=jobs, scheduler=scheduler) as executor:
                _write_panels(staging, inputs, manifest, strict=strict, executor=executor)
            if inputs.truth is not None:
                # The demo world's true parameters travel with its panels, so that a notebook comparing
                # an estimate with the truth reads both from the same catalog.
                out = staging / "truth.json"
                atomic.write_bytes(out, inputs.truth.read_bytes())
                manifest.outputs["truth"] = {"path": out.name, "sha256": sha256_file(out), "rows": 0}
            manifest.write(staging)  # last: a staging folder with a manifest is complete
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # a failed (not killed) build leaves nothing behind
            raise
        atomic.swap_folder(staging, folder)
        return manifest


@contextlib.contextmanager
def _executor(*, jobs: int, scheduler: str | None) -> Iterator[Executor | None]:
    """Where the build's tasks run: None (here), a pool of `jobs` processes, or a Dask cluster."""
    if scheduler:
        from distributed import Client

        with Client(scheduler) as client:
            yield client.get_executor(pure=False)
    elif jobs > 1:
        # spawned, not forked: polars' and DuckDB's thread pools do not survive a fork
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            yield pool
    else:
        yield None


def _write_panels(
    staging: Path,
    inputs: RawInputs,
    manifest: DatasetManifest,
    *,
    strict: bool,
    executor: Executor | None = None,
) -> None:
    """Build every panel the inputs allow into `staging`; record each, the notes and the coverage."""
    scratch = staging / ".parts"  # each Census file's rows, read once; removed before the manifest
    lines, line_notes = trade.tariff_lines(inputs.hts, strict=strict)
    census = census_files.read_census_files(
        inputs.census, scratch=scratch, root=paths.raw_dir(), executor=executor
    )
    notes = manifest.notes
    notes += [*line_notes, *census.filled, *census.problems]
    if census.problems and strict:
        raise EconError(f"econ build --strict: {census.problems[0]}" + _more(census.problems))
    if not census.parts:
        raise EconError(
            f"no Census rows any panel can use in {len(inputs.census)} files "
            f"({'; '.join(census.problems[:3])}); expected imports by HS10 or NAICS"
        )
    coverage: dict[str, Any] = {"panels": {}, "joins": []}
    manifest.coverage = coverage

    def write(name: str, frame: pd.DataFrame, **record: Any) -> None:
        check_schema(frame, name, where="econ build")
        out = staging / f"{name}.parquet"
        atomic.write_parquet(frame, out)
        manifest.outputs[name] = {"path": out.name, "sha256": sha256_file(out), "rows": len(frame), **record}

    def trade_panel(name: str, frame: pd.DataFrame, *, product: str, period: str = "month") -> None:
        found = _coverage.trade_coverage(frame, product=product, period=period)
        found["files"] = len(census.files.get(name, []))
        coverage["panels"][name] = found
        months = {"months": found["period"]} if period == "month" else {}
        write(name, frame, period=found["period"], partners=found["partners"], level=product, **months)

    write("tariff_lines", lines)
    hs10_values = []
    if "imports" in census:
        by_hs10 = _imports_by_year(staging, census, lines, manifest, executor=executor)
        coverage["panels"]["imports"] = manifest.outputs["imports"].pop("coverage")
        coverage["panels"]["imports"]["files"] = len(census.files["imports"])
        coverage["hts"] = _coverage.unmatched_lines(by_hs10, lines)
        hs10_values.append(by_hs10)
    if "imports_annual" in census:
        annual = trade.imports_annual_panel(census.rows("imports_annual"))
        trade_panel("imports_annual", annual, product="hs10", period="year")
        hs10_values.append(annual[["hs10", "value"]])
        del annual
    if "imports_naics" in census:
        trade_panel("imports_naics", trade.imports_naics_panel(census.rows("imports_naics")), product="naics")
    if "exports" in census:
        trade_panel("exports", trade.exports_panel(census.rows("exports"), lines), product="hs10")
    shutil.rmtree(scratch, ignore_errors=True)
    if inputs.concordances and hs10_values:
        values = pd.concat(hs10_values, ignore_index=True)
        table, reports = trade.industries_panel(values, *inputs.concordances)
        write("industries", table)
        coverage["joins"] += [_coverage.match_report(report) for report in reports]
    elif hs10_values:
        notes.append("no concordance files under concord/: no industries panel (NAICS, BEA)")
    if inputs.prices:
        prices, price_notes = other_sources.prices_panel(inputs.prices)
        notes += price_notes
        if prices is None and strict:
            raise EconError(f"econ build --strict: {price_notes[0]}")
        if prices is not None:
            write("prices", prices, series=int(prices["series_id"].nunique()))
    if inputs.world_trade:
        world = other_sources.world_trade_panel(inputs.world_trade)
        write("world_trade", world, commodities=sorted(set(world["commodity"])))
    if inputs.minerals:
        from econ.sources import usgs

        minerals = minerals_panel([usgs.read(path) for path in inputs.minerals])
        write("minerals", minerals, commodities=int(minerals["commodity"].nunique()))
    tables = input_output.read_tables(inputs.io_tables)
    write("io_tables", input_output.to_frame(tables), **input_output.record(tables))
    notes.append(tables.description)


def _imports_by_year(
    staging: Path,
    census: census_files.CensusRows,
    lines: pd.DataFrame,
    manifest: DatasetManifest,
    *,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """The imports panel, one Parquet file per calendar year under ``imports/``: each year read from the
    scratch parts, rated, and written (a task per year, `imports_year`). Returns import value by HS10
    (for the coverage and the industries). Ids are numbered over the whole dataset, so they agree across
    years."""
    scan = census.scan("imports")
    codes = scan.select(pl.col("commodity").unique().sort()).collect().to_series().to_list()
    partners = scan.select(pl.col("partner").unique().sort()).collect().to_series().to_list()
    product_ids = pd.Series(range(len(codes)), index=codes)
    partner_ids = pd.Series(range(len(partners)), index=partners)
    folder = staging / "imports"
    folder.mkdir()
    years = census.years("imports")
    sources = census.sources("imports")
    outs = [folder / f"{year}.parquet" for year in years]
    each = [census.parts["imports"]] * len(years)
    constants = [[value] * len(years) for value in (lines, product_ids, partner_ids, sources)]
    if executor is None:
        parts = [imports_year(*task) for task in zip(each, years, *constants, outs, strict=True)]
    else:
        parts = list(executor.map(imports_year, each, years, *constants, outs))
    written = pl.scan_parquet([folder / part["path"] for part in parts])
    found = _coverage.trade_coverage_lazy(written, product="hs10")
    manifest.outputs["imports"] = {
        "path": folder.name,
        "parts": parts,
        "sha256": combined_hash(parts),
        "rows": sum(part["rows"] for part in parts),
        "period": found["period"],
        "months": found["period"],
        "partners": found["partners"],
        "level": "hs10",
        "coverage": found,
    }
    return written.group_by("hs10").agg(pl.col("value").sum()).collect().to_pandas()


CHUNK_ROWS = 500_000
"""Rows of one year rated at a time: whole HS10 lines, so that each line's ad valorem equivalents see
all its partners' rows; a chunk's panel and the engine's work on it take about half a GB."""
_PANEL_INPUTS = frozenset(
    {"commodity", "partner", "partner_name", "period", "con_val", "gen_val", "cal_dut", "con_qy1", "unit_qy1"}
)


def imports_year(
    parts: list[Path],
    year: int,
    lines: pd.DataFrame,
    product_ids: pd.Series,
    partner_ids: pd.Series,
    sources: dict[str, Path],
    out: Path,
) -> dict[str, Any]:
    """One year of the imports panel, from the scratch parts to `out`, chunk by chunk (whole HS10 lines,
    in code order, so the file is sorted by line, partner and month): each chunk read, rated, checked
    for the same row from two files, and written as a row group. A task: a function of paths and small
    frames, run here, in a worker process or on a Dask worker."""
    scan = pl.scan_parquet(parts).filter(pl.col("period").dt.year() == year)
    # Each chunk is read from the parts on its own (a filtered scan takes a fraction of a second), so a
    # worker holds one chunk, not the year; only the columns the panel is made of (the file names come
    # back to name a file in an error).
    columns = [c for c in scan.collect_schema().names() if c in _PANEL_INPUTS]
    schedule = _schedule(lines)
    per_line = scan.group_by("commodity").len().collect().sort("commodity")
    chunk = (per_line["len"].cum_sum() - 1) // CHUNK_ROWS
    bounds = (
        per_line.with_columns(chunk=chunk)
        .group_by("chunk")
        .agg(pl.col("commodity").min().alias("low"), pl.col("commodity").max().alias("high"))
        .sort("chunk")
    )
    written = 0
    with atomic.atomic_path(out) as temporary:  # like every file of a build: whole, or not there
        writer: pq.ParquetWriter | None = None
        try:
            for low, high in bounds.select("low", "high").iter_rows():
                between = pl.col("commodity").is_between(pl.lit(low), pl.lit(high))
                these = scan.filter(between).select(columns).collect()
                panel = trade.imports_panel_frame(
                    these, lines, schedule=schedule, product_ids=product_ids, partner_ids=partner_ids
                )
                if writer is None:
                    check_schema(panel.head(0).to_pandas(), "imports", where="econ build")
                if _repeats_a_row(panel):  # the same line, partner and month twice (two files, or one)
                    census_files.refuse_duplicate_rows(scan.filter(between), "imports", files=sources)
                table = panel.to_arrow()
                writer = writer or pq.ParquetWriter(temporary, table.schema)
                writer.write_table(table)
                written += table.num_rows
                del these, panel, table
        finally:
            if writer is not None:
                writer.close()
    return {"path": out.name, "sha256": sha256_file(out), "rows": written}


_SCHEDULES: dict[str, Any] = {}


def _schedule(lines: pd.DataFrame) -> Any:
    """The schedule of `lines`, built once per process (a worker builds several years from the same
    lines; building one takes half a second)."""
    key = hashlib.sha256(
        pd.util.hash_pandas_object(lines.drop(columns=["chapter99"]), index=False).to_numpy().tobytes()
        + repr(lines["chapter99"].tolist()).encode()
    ).hexdigest()
    if key not in _SCHEDULES:
        _SCHEDULES.clear()
        _SCHEDULES[key] = trade.schedule_from_lines(lines)
    return _SCHEDULES[key]


def _repeats_a_row(panel: pl.DataFrame) -> bool:
    """Two rows with the same line, partner and month: the panel is sorted by them, so neighbours."""
    same = pl.all_horizontal(pl.col(name).diff() == 0 for name in ("product_id", "partner_id", "month_id"))
    return bool(panel.select(same.any()).item())


def _more(problems: list[str]) -> str:
    return f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(paths.raw_dir().resolve())
    except ValueError:
        return path
