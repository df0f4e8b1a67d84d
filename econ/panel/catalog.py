"""The catalog: everything a notebook or a model reads, from data/processed/<dataset>/ and its manifest.

Notebooks and models never open anything under data/raw. They ask the catalog:

    panel.load("imports", dataset)        # a Parquet panel, its hash checked against the manifest
    panel.io_tables(dataset)              # Use, Make and Import tables (BEA's, or the embedded aggregate)
    panel.truth(dataset)                  # the demo world's true parameters (demo datasets only)
    panel.schedule(dataset)               # the tariff schedule rebuilt from the processed tariff lines
    panel.dataset_note(dataset)           # one paragraph saying what the data are (synthetic or real)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from econ.errors import EconError, IntegrityError
from econ.manifest import Dataset, DatasetManifest, dataset_folder, dataset_manifest
from econ.panel import input_output, trade
from econ.panel.schemas import SCHEMAS, check_schema


def manifest(dataset: Dataset = "demo") -> DatasetManifest:
    """The manifest of a built dataset (raises, saying how to build it, if there is none)."""
    return dataset_manifest(dataset)


def available(dataset: Dataset = "demo") -> set[str]:
    """The outputs a built dataset has (the industries panel needs concordance files, exports its files)."""
    return set(manifest(dataset).outputs)


def _verified_path(name: str, dataset: Dataset) -> Any:
    folder = dataset_folder(dataset)
    found = manifest(dataset)
    if name not in found.outputs:
        raise EconError(
            f"{folder / 'manifest.json'}: no {name!r} in dataset {dataset}; run `econ build --data {dataset}`"
        )
    found.verify(folder, [name])
    return folder / found.outputs[name]["path"]


def load(name: str, dataset: Dataset = "demo", *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read processed panel `name` of `dataset`, after checking its hash against the manifest."""
    if name not in SCHEMAS:
        raise EconError(f"unknown panel {name!r}; expected one of {', '.join(SCHEMAS)}")
    unknown = [c for c in columns or () if c not in SCHEMAS[name]]
    if unknown:
        raise EconError(f"panel {name!r} has no columns {unknown}; it has {list(SCHEMAS[name])}")
    path = _verified_path(name, dataset)
    try:
        frame = pq.read_table(path, columns=list(columns) if columns else None).to_pandas()
    except (OSError, ValueError) as error:
        raise IntegrityError(f"{path}: unreadable Parquet ({error}); run `econ build --force`") from None
    if columns is None:
        check_schema(frame, name, where=str(path))
    return frame


def io_tables(dataset: Dataset = "demo") -> input_output.IOTables:
    """The dataset's input-output tables, with what they are (``source``, ``embedded``)."""
    frame = load("io_tables", dataset)
    return input_output.from_frame(frame, manifest(dataset).outputs["io_tables"])


def truth(dataset: Dataset = "demo") -> dict[str, Any]:
    """The demo world's truth.json (true parameters under "parameters"); an error for real data."""
    if dataset == "real":
        raise EconError("the real dataset has no true parameters: only a demo world has a truth.json")
    path = _verified_path("truth", dataset)
    return dict(json.loads(path.read_text(encoding="utf-8")))


def schedule(dataset: Dataset = "demo") -> Any:
    """The tariff schedule (`econ.tariffs.Schedule`) of a built dataset, from its processed tariff lines."""
    return trade.schedule_from_lines(load("tariff_lines", dataset))


def dataset_note(dataset: Dataset) -> str:
    """One paragraph (Markdown) saying what data a report stands on — plainly synthetic for the demo."""
    found = manifest(dataset)
    if found.synthetic:
        return (
            "**Synthetic demo data — not real statistics.** This report runs on the demo world written by "
            "`econ demo`: made-up trade flows in the Census and USITC formats, calibrated to published 2024 "
            "totals, with known true parameters. Its figures illustrate the method, not the US economy. "
            f"(Built {found.created}.)"
        )
    return f"Real data: Census and USITC files under data/raw/, built {found.created}."
