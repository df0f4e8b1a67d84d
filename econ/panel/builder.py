"""`econ build`: read one dataset's raw files, build every panel it can, write them with their manifest.

Everything is written into a staging folder first and swapped in as a whole (`econ.atomic`'s folder
swap): the panels and then ``manifest.json`` go into data/processed/.demo.new/, which replaces
data/processed/demo/ in two renames. A build killed at any moment leaves readers one complete set
(`econ.atomic.committed_folder` finds it even in the instant between the renames); the next build
finishes or discards what the kill left (`econ.atomic.recover_folder`). A build is skipped when the raw
inputs and the code are unchanged and every output still matches its hash.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from econ import atomic, paths
from econ.errors import EconError, IntegrityError
from econ.lock import home_lock
from econ.manifest import DATASETS, MANIFEST, Dataset, DatasetManifest, code_hash, sha256_file
from econ.panel import census_files, input_output, other_sources, trade
from econ.panel import coverage as _coverage
from econ.panel.inputs import RawInputs, find_inputs
from econ.panel.minerals import minerals_panel
from econ.panel.schemas import check_schema

log = logging.getLogger(__name__)


def build(
    *, dataset: Dataset = "demo", force: bool = False, vintage: str | None = None, strict: bool = False
) -> DatasetManifest:
    """Build the processed panels of `dataset`; skip when inputs and code are unchanged (unless `force`).

    `vintage` takes the real Census files (and the HTS revision, when there is one) from that vintage
    folder alone. A file with no rows, or rows no panel takes, is a note in the manifest and on screen;
    with `strict` it is an error.
    """
    if dataset not in DATASETS:
        raise EconError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
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
        panels, records, notes, coverage = _panels(inputs, strict=strict)
        manifest = DatasetManifest(
            dataset=dataset,
            inputs=input_hashes,
            code=code,
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            notes=notes,
            coverage=coverage,
        )
        _commit(folder, panels, records, manifest, truth=inputs.truth)
        return manifest


def _panels(
    inputs: RawInputs, *, strict: bool
) -> tuple[list[tuple[str, pd.DataFrame]], dict[str, dict[str, Any]], list[str], dict[str, Any]]:
    """Every panel the inputs allow, what to record of each, the notes of the build and its coverage."""
    lines, line_notes = trade.tariff_lines(inputs.hts, strict=strict)
    census = census_files.read_census_files(inputs.census, root=paths.raw_dir())
    notes: list[str] = [*line_notes, *census.problems]
    if census.problems and strict:
        raise EconError(f"econ build --strict: {census.problems[0]}" + _more(census.problems))
    if not census.rows:
        raise EconError(
            f"no Census rows any panel can use in {len(inputs.census)} files "
            f"({'; '.join(census.problems[:3])}); expected imports by HS10 or NAICS"
        )
    panels: list[tuple[str, pd.DataFrame]] = [("tariff_lines", lines)]
    records: dict[str, dict[str, Any]] = {}
    coverage: dict[str, Any] = {"panels": {}, "joins": []}

    def add(name: str, frame: pd.DataFrame, *, product: str, period: str = "month") -> None:
        panels.append((name, frame))
        record = _coverage.trade_coverage(frame, product=product, period=period)
        record["files"] = len(census.files.get(name, []))
        coverage["panels"][name] = record
        records[name] = {"period": record["period"], "partners": record["partners"], "level": product}

    imports = None
    if "imports" in census.rows:
        imports = trade.imports_panel(census.rows["imports"], lines)
        add("imports", imports, product="hs10")
        coverage["hts"] = _coverage.unmatched_lines(imports, lines)
    if "imports_annual" in census.rows:
        add(
            "imports_annual",
            trade.imports_annual_panel(census.rows["imports_annual"]),
            product="hs10",
            period="year",
        )
    if "imports_naics" in census.rows:
        add("imports_naics", trade.imports_naics_panel(census.rows["imports_naics"]), product="naics")
    if "exports" in census.rows:
        add("exports", trade.exports_panel(census.rows["exports"], lines), product="hs10")
    hs10 = [frame[["hs10", "value"]] for name, frame in panels if name in ("imports", "imports_annual")]
    if inputs.concordances and hs10:
        table, reports = trade.industries_panel(pd.concat(hs10, ignore_index=True), *inputs.concordances)
        panels.append(("industries", table))
        coverage["joins"] += [_coverage.match_report(report) for report in reports]
    elif hs10:
        notes.append("no concordance files under concord/: no industries panel (NAICS, BEA)")
    if inputs.prices:
        prices, price_notes = other_sources.prices_panel(inputs.prices)
        notes += price_notes
        panels.append(("prices", prices))
        records["prices"] = {"series": int(prices["series_id"].nunique())}
    if inputs.world_trade:
        world = other_sources.world_trade_panel(inputs.world_trade)
        panels.append(("world_trade", world))
        records["world_trade"] = {"commodities": sorted(set(world["commodity"]))}
    if inputs.minerals:
        from econ.sources import usgs

        minerals = minerals_panel([usgs.read(path) for path in inputs.minerals])
        panels.append(("minerals", minerals))
        records["minerals"] = {"commodities": int(minerals["commodity"].nunique())}
    tables = input_output.read_tables(inputs.io_tables)
    panels.append(("io_tables", input_output.to_frame(tables)))
    records["io_tables"] = input_output.record(tables)
    notes.append(tables.description)
    for name, frame in panels:
        check_schema(frame, name, where="econ build")
    return panels, records, notes, coverage


def _more(problems: list[str]) -> str:
    return f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""


def _commit(
    folder: Path,
    panels: list[tuple[str, pd.DataFrame]],
    records: dict[str, dict[str, Any]],
    manifest: DatasetManifest,
    *,
    truth: Path | None,
) -> None:
    """Write the panels, the demo's truth and then the manifest into a staging folder; swap it in."""
    staging = atomic.staging_folder(folder)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name, frame in panels:
            out = staging / f"{name}.parquet"
            atomic.write_parquet(frame, out)
            manifest.outputs[name] = {
                "path": out.name,
                "sha256": sha256_file(out),
                "rows": len(frame),
                **records.get(name, {}),
            }
        if truth is not None:
            # The demo world's true parameters travel with its panels, so that a notebook comparing an
            # estimate with the truth reads both from the same catalog.
            out = staging / "truth.json"
            atomic.write_bytes(out, truth.read_bytes())
            manifest.outputs["truth"] = {"path": out.name, "sha256": sha256_file(out), "rows": 0}
        manifest.write(staging)  # last: a staging folder with a manifest is complete
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a failed (not killed) build leaves nothing behind
        raise
    atomic.swap_folder(staging, folder)


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(paths.raw_dir().resolve())
    except ValueError:
        return path
