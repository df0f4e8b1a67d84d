"""Which raw files one dataset's panels are built from.

The demo world lives in data/raw/demo/ (written by `econ demo`); real files in
data/raw/<source>/<vintage>/ (fetched by `econ fetch`, or dropped there by hand). This module only finds
files and says plainly which sources are missing; reading them is `econ.sources`, building is
`econ.panel.build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from econ import paths
from econ.errors import EconError
from econ.manifest import Dataset


@dataclass(frozen=True)
class RawInputs:
    """The raw files one dataset's panels are built from."""

    census_imports: tuple[Path, ...]
    hts: tuple[Path, ...]
    census_exports: tuple[Path, ...] = ()  # optional: without them there is no exports panel
    # optional, together: the Census HS10 concordance and BEA's NAICS workbook (the industries panel)
    concordances: tuple[Path, ...] = ()
    # optional: BEA's summary Use, Make and Import tables (else the embedded ten-industry aggregate)
    io_tables: tuple[Path, ...] = ()
    truth: Path | None = None  # the demo world's true parameters (demo datasets only)

    def all(self) -> tuple[Path, ...]:
        extra = (self.truth,) if self.truth is not None else ()
        return (
            self.census_imports + self.census_exports + self.hts + self.concordances + self.io_tables + extra
        )


def find_inputs(dataset: Dataset) -> RawInputs:
    """Locate the raw files of a dataset; say plainly which sources are missing.

    Real data sit in data/raw/<source>/<vintage>/. Census files are taken from every vintage, a file name
    (one month or year of one query) from its newest vintage only, so a month fetched again is not counted
    twice. The HTS is one revision: the newest vintage's JSON export (its CSV when no JSON is there).
    """
    if dataset == "demo":
        root = paths.demo_dir()
        census = tuple(sorted((root / "census").glob("imports_hs10_*.json")))
        exports = tuple(sorted((root / "census").glob("exports_hs10_*.json")))
        hts = tuple(sorted((root / "hts").glob("*.json")))
        concord_folder = root / "concord"
        io_tables: tuple[Path, ...] = ()  # the demo's economy is the embedded aggregate of BEA's tables
        truth = root / "truth.json"
        hint = "run `econ demo` first"
    else:
        root = paths.raw_dir()
        census = _newest_by_name(root / "census", "*/imports_hs*.json")
        exports = _newest_by_name(root / "census", "*/exports_hs*.json")
        hts = ()
        for vintage in sorted((root / "hts").glob("*/"), reverse=True):
            found = sorted(vintage.glob("*.json")) or sorted(vintage.glob("*.csv"))
            if found:
                hts = (found[-1],)
                break
        concord_folder = root / "concord"
        io_tables = bea_tables(root / "bea")
        truth = None
        hint = "run `econ fetch census` and `econ fetch hts`, or drop the agencies' files there (see README)"
    hs_naics = sorted(concord_folder.glob("hs-10d-*imp*.txt")) or sorted(concord_folder.glob("hs-10d-*.txt"))
    bea_naics = sorted(concord_folder.glob("*NAICS*.xlsx"))
    concordances = (hs_naics[-1], bea_naics[-1]) if hs_naics and bea_naics else ()
    missing = [name for name, files in (("census imports", census), ("hts", hts)) if not files]
    if truth is not None and not truth.is_file():
        missing.append("truth.json")
    if missing:
        raise EconError(f"{dataset} data: no {' and no '.join(missing)} files under {root}; {hint}")
    return RawInputs(
        census_imports=census,
        hts=hts,
        census_exports=exports,
        concordances=concordances,
        io_tables=io_tables,
        truth=truth,
    )


def _newest_by_name(folder: Path, pattern: str) -> tuple[Path, ...]:
    newest: dict[str, Path] = {}
    for path in sorted(folder.glob(pattern)):  # vintage folders sort by name, the newest last
        newest[path.name] = path
    return tuple(sorted(newest.values()))


def bea_tables(folder: Path) -> tuple[Path, ...]:
    """BEA's summary Use (producers' prices), Make and Import tables before redefinitions under `folder`
    (newest vintage first), as (use, make, import) — or () unless all three are there.

    BEA's workbook names (``IOUse_Before_Redefinitions_PRO_Summary.xlsx``,
    ``IOMake_Before_Redefinitions_Summary.xlsx``, ``ImportMatrices_Before_Redefinitions_SUM_….xlsx``) and
    CSVs named like ``Summary_Use_2023_PRO_BeforeRedef_17sch.csv`` are recognised.
    """
    if not folder.is_dir():
        return ()
    found: dict[str, list[Path]] = {"use": [], "make": [], "import": []}
    for path in sorted(folder.rglob("*"), reverse=True):  # newest vintage folder first
        name = path.name.lower()
        words = re.split(r"[_\-. ]", name)
        if path.suffix.lower() not in {".xlsx", ".csv"} or not path.is_file() or path.name.startswith("."):
            continue
        if "after" in name or "det" in words or "pur" in words:
            continue
        if not ("summary" in name or re.search(r"(^|_)sum(_|\.)", name)):
            continue
        if "import" in name:
            found["import"].append(path)
        elif re.search(r"(^|_|io)use", name):
            found["use"].append(path)
        elif "make" in name:
            found["make"].append(path)
    if not all(found.values()):
        return ()
    return (found["use"][0], found["make"][0], found["import"][0])
