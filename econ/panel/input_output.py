"""The input-output tables of a dataset, as a processed panel and back.

`econ build` reads BEA's summary Use, Make and Import tables when the dataset has them (real data under
data/raw/bea/<vintage>/), else takes the embedded ten-industry aggregate of BEA's 2023 tables
(`econ.models.illustrative`) — the demo world always does. Either way they are written long into
``io_tables.parquet`` (IO_TABLES_SCHEMA), and the manifest's record of that output says which they are
(``source``, ``embedded``, ``level``, ``year``, ``industries``), so the models never look for files and a
report can say what economy it ran on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from econ.panel.schemas import IO_TABLES_SCHEMA
from econ.sources.bea import IOTable

_TABLES = ("use", "make", "import")
_BLOCKS = ("matrix", "final_demand", "value_added")


@dataclass(frozen=True)
class IOTables:
    """Use, Make and Import tables of one economy, and what they are."""

    use: IOTable
    make: IOTable
    imports: IOTable
    source: str
    embedded: bool

    @property
    def description(self) -> str:
        """One sentence for a report's data section."""
        level = f"{self.use.level} level, {len(self.use.industries)} industries"
        year = f", {self.use.year}" if self.use.year else ""
        kind = "embedded in econ" if self.embedded else "BEA's files"
        return f"Input-output tables: {self.source} ({level}{year}; {kind})."


def read_tables(files: Sequence[Path]) -> IOTables:
    """The tables of a dataset: BEA's (use, make, import) files when given, else the embedded aggregate."""
    from econ.models import illustrative
    from econ.sources import bea

    if files:
        use, make, imports = (bea.read(path, table=kind) for path, kind in zip(files, _TABLES, strict=True))  # type: ignore[arg-type]
        return IOTables(use, make, imports, source=", ".join(path.name for path in files), embedded=False)
    use, make, imports = illustrative.tables()
    return IOTables(use, make, imports, source=illustrative.SOURCE, embedded=True)


def to_frame(tables: IOTables) -> pd.DataFrame:
    """The tables long (IO_TABLES_SCHEMA): every cell of every block, and each code's title."""
    parts = []
    for kind, table in zip(_TABLES, (tables.use, tables.make, tables.imports), strict=True):
        for block in _BLOCKS:
            frame: pd.DataFrame = getattr(table, block)
            if frame.empty:
                continue
            cells = frame.rename_axis(index="row", columns="column").stack()
            long = pd.Series(cells, name="value").reset_index()
            long.insert(0, "block", block)
            long.insert(0, "table", kind)
            long["label"] = ""
            parts.append(long)
        if table.names:
            names = pd.DataFrame({"row": list(table.names), "label": list(table.names.values())})
            parts.append(names.assign(table=kind, block="names", column="", value=float("nan")))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.astype({"table": str, "block": str, "row": str, "column": str, "label": str})
    frame["value"] = frame["value"].astype("float64")
    return frame[list(IO_TABLES_SCHEMA)]


def record(tables: IOTables) -> dict[str, Any]:
    """What the manifest says of these tables."""
    return {
        "source": tables.source,
        "embedded": tables.embedded,
        "level": tables.use.level,
        "year": tables.use.year,
        "industries": len(tables.use.industries),
        "commodities": len(tables.use.commodities),
    }


def from_frame(frame: pd.DataFrame, meta: dict[str, Any]) -> IOTables:
    """The IOTables written by `to_frame`, with the manifest's record of them."""
    built = {}
    for kind in _TABLES:
        part = frame[frame["table"] == kind]
        rows, cols = ("industry", "commodity") if kind == "make" else ("commodity", "industry")
        blocks = {}
        for block in _BLOCKS:
            cells = part[part["block"] == block]
            wide = (
                cells.pivot(index="row", columns="column", values="value") if len(cells) else pd.DataFrame()
            )
            blocks[block] = _ordered(wide, cells)
        matrix = blocks["matrix"].rename_axis(index=rows, columns=cols)
        final = blocks["final_demand"]
        final = (
            final.reindex(index=matrix.index).fillna(0.0)
            if not final.empty
            else pd.DataFrame(index=matrix.index, columns=pd.Index([], dtype=object), dtype="float64")
        ).rename_axis(index=rows, columns="final_use")
        value_added = blocks["value_added"]
        value_added = (
            value_added.reindex(columns=matrix.columns).fillna(0.0)
            if not value_added.empty
            else pd.DataFrame(columns=matrix.columns, dtype="float64")
        ).rename_axis(index="value_added", columns=cols)
        names = part[part["block"] == "names"]
        built[kind] = IOTable(
            kind=kind,  # type: ignore[arg-type]
            level=meta.get("level") or "summary",
            year=meta.get("year"),
            matrix=matrix,
            final_demand=final,
            value_added=value_added,
            row_totals=pd.DataFrame(dtype="float64"),
            column_totals=pd.DataFrame(dtype="float64"),
            names=dict(zip(names["row"], names["label"], strict=True)),
            source=str(meta.get("source", "")),
        )
    return IOTables(
        built["use"],
        built["make"],
        built["import"],
        source=str(meta.get("source", "")),
        embedded=bool(meta.get("embedded")),
    )


def _ordered(wide: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    # pivot sorts its axes; keep BEA's order (the order the cells were written in).
    if wide.empty:
        return wide
    rows = list(dict.fromkeys(cells["row"]))
    columns = list(dict.fromkeys(cells["column"]))
    out = wide.reindex(index=rows, columns=columns).fillna(0.0).astype("float64")
    out.index = pd.Index(rows, dtype=object)
    out.columns = pd.Index(columns, dtype=object)
    return out
