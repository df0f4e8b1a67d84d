"""Find the BEA input-output tables a model should run on: BEA's own files if present, else the embedded ones.

Looked for under ``data/raw/bea/<vintage>/`` (what ``econ fetch bea`` writes, or files dropped there by
hand), newest vintage first: a summary-level Use table at producers' prices, a Make table and an Import
table, before redefinitions — BEA's workbook names (``IOUse_Before_Redefinitions_PRO_Summary.xlsx``,
``IOMake_Before_Redefinitions_Summary.xlsx``, ``ImportMatrices_Before_Redefinitions_SUM_….xlsx``) or CSVs
named like ``Summary_Use_2023_PRO_BeforeRedef_17sch.csv``. Without them, the embedded ten-industry
aggregate of BEA's 2023 tables (`econ.models.illustrative`) is used and ``embedded`` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from econ import paths
from econ.models import illustrative
from econ.sources import bea
from econ.sources.bea import IOTable


@dataclass(frozen=True)
class Tables:
    use: IOTable
    make: IOTable
    imports: IOTable
    source: str
    embedded: bool


def _candidates(folder: Path, kind: str) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*"), reverse=True):  # newest vintage folder first
        name = path.name.lower()
        if path.suffix.lower() not in {".xlsx", ".csv"} or not path.is_file():
            continue
        if "after" in name or "det" in re.split(r"[_\-. ]", name) or "pur" in re.split(r"[_\-. ]", name):
            continue
        if not ("summary" in name or re.search(r"(^|_)sum(_|\.)", name)):
            continue
        matches = {
            "import": "import" in name,
            "use": bool(re.search(r"(^|_|io)use", name)) and "import" not in name,
            "make": "make" in name,
        }
        if matches[kind]:
            found.append(path)
    return found


def load(*, folder: str | Path | None = None, year: int | None = None) -> Tables:
    """The Use, Make and Import tables to run the models on (see the module docstring)."""
    root = Path(folder) if folder is not None else paths.raw_dir("bea")
    if root.is_dir():
        found = {kind: _candidates(root, kind) for kind in ("use", "make", "import")}
        if all(found.values()):
            use = bea.read(found["use"][0], table="use", year=year)
            make = bea.read(found["make"][0], table="make", year=year)
            imports = bea.read(found["import"][0], table="import", year=year)
            source = ", ".join(str(found[k][0]) for k in ("use", "make", "import"))
            return Tables(use, make, imports, source=source, embedded=False)
    use, make, imports = illustrative.tables()
    return Tables(use, make, imports, source=illustrative.SOURCE + " (embedded in econ)", embedded=True)
