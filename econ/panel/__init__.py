"""Processed panels: raw agency files → typed Parquet with a manifest, and the catalog that reads them.

Rooms, along the flow:

* `econ.panel.inputs`  — which raw files a dataset has (data/raw/demo/ or data/raw/<source>/<vintage>/);
* `econ.panel.trade`   — builders of the trade panels (imports, exports, industries, tariff lines);
* `econ.panel.input_output` — the input-output tables as a panel and back;
* `econ.panel.builder` — `econ build`: every panel the inputs allow, swapped in whole with the manifest;
* `econ.panel.schemas` — every panel's columns and types, checked on write and on read;
* `econ.panel.catalog` — what notebooks and models read: `load`, `io_tables`, `truth`, `schedule`.

The manifest itself (hashes, the dataset, synthetic or real) is `econ.manifest`, shared with the reports.
Panels never fetch and never parse agency formats themselves: that is `econ.sources`.
"""

from econ.manifest import DatasetManifest as Manifest
from econ.panel.builder import build
from econ.panel.catalog import (
    available,
    dataset_note,
    io_tables,
    load,
    manifest,
    rests_on,
    schedule,
    truth,
)
from econ.panel.input_output import IOTables
from econ.panel.schemas import (
    EXPORTS_SCHEMA,
    IMPORTS_SCHEMA,
    INDUSTRIES_SCHEMA,
    IO_TABLES_SCHEMA,
    SCHEMAS,
    TARIFF_LAYERS,
    TARIFF_LINES_SCHEMA,
    TRADE_KEYS,
    check_schema,
)

__all__ = [
    "EXPORTS_SCHEMA",
    "IMPORTS_SCHEMA",
    "INDUSTRIES_SCHEMA",
    "IO_TABLES_SCHEMA",
    "SCHEMAS",
    "TARIFF_LAYERS",
    "TARIFF_LINES_SCHEMA",
    "TRADE_KEYS",
    "IOTables",
    "Manifest",
    "available",
    "build",
    "check_schema",
    "dataset_note",
    "io_tables",
    "load",
    "manifest",
    "rests_on",
    "schedule",
    "truth",
]
