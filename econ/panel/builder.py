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
from econ.panel import input_output, trade
from econ.panel.inputs import RawInputs, find_inputs
from econ.panel.schemas import check_schema

log = logging.getLogger(__name__)


def build(*, dataset: Dataset = "demo", force: bool = False) -> DatasetManifest:
    """Build the processed panels of `dataset`; skip when inputs and code are unchanged (unless `force`)."""
    if dataset not in DATASETS:
        raise EconError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    with home_lock("build"):
        if dataset == "demo":  # an `econ demo` killed mid-swap: finish it before reading the world
            atomic.recover_folder(paths.demo_dir(), complete="truth.json")
        folder = paths.processed_dir() / dataset
        atomic.recover_folder(folder, complete=MANIFEST)
        inputs = find_inputs(dataset)
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
        panels, records, notes = _panels(inputs)
        manifest = DatasetManifest(
            dataset=dataset,
            inputs=input_hashes,
            code=code,
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            notes=notes,
        )
        _commit(folder, panels, records, manifest, truth=inputs.truth)
        return manifest


def _panels(inputs: RawInputs) -> tuple[list[tuple[str, pd.DataFrame]], dict[str, dict[str, Any]], list[str]]:
    """Every panel the inputs allow, what to record of each, and the notes of the build."""
    lines = trade.tariff_lines(inputs.hts)
    raw = trade.read_census(
        inputs.census_imports,
        needed={"commodity", "partner", "period", "con_val_mo", "cal_dut_mo"},
        expected="an imports/hs response with CON_VAL_MO, CAL_DUT_MO, CTY_CODE and time",
    )
    imports = trade.imports_panel(raw, lines)
    panels: list[tuple[str, pd.DataFrame]] = [("tariff_lines", lines), ("imports", imports)]
    records: dict[str, dict[str, Any]] = {
        "imports": {
            "months": [imports["month"].min().strftime("%Y-%m"), imports["month"].max().strftime("%Y-%m")]
        }
    }
    if inputs.census_exports:
        raw = trade.read_census(
            inputs.census_exports,
            needed={"commodity", "partner", "period", "all_val_mo"},
            expected="an exports/hs response with ALL_VAL_MO, CTY_CODE and time",
        )
        panels.append(("exports", trade.exports_panel(raw, lines)))
    notes: list[str] = []
    if inputs.concordances:
        table, reports = trade.industries_panel(imports, *inputs.concordances)
        panels.append(("industries", table))
        notes += [str(report) for report in reports]
    else:
        notes.append("no concordance files under concord/: no industries panel (NAICS, BEA)")
    tables = input_output.read_tables(inputs.io_tables)
    panels.append(("io_tables", input_output.to_frame(tables)))
    records["io_tables"] = input_output.record(tables)
    notes.append(tables.description)
    for name, frame in panels:
        check_schema(frame, name, where="econ build")
    return panels, records, notes


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
