"""Which raw files one dataset's panels are built from.

The demo world lives in data/raw/demo/ (written by `econ demo`); real files in
data/raw/<source>/<vintage>/ (fetched by `econ fetch`, or dropped there by hand). This module only finds
files and says plainly which sources are missing; reading them is `econ.sources`, building is
`econ.panel.build`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from econ import concord, paths
from econ.errors import EconError
from econ.manifest import Dataset


@dataclass(frozen=True)
class RawInputs:
    """The raw files one dataset's panels are built from."""

    census: tuple[Path, ...]  # every Census API response; `econ.panel.census_files` sorts them
    hts: tuple[Path, ...]
    # optional, together: the Census HS10 concordance and BEA's NAICS workbook (the industries panel)
    concordances: tuple[Path, ...] = ()
    # optional: BEA's summary Use, Make and Import tables (else the embedded ten-industry aggregate)
    io_tables: tuple[Path, ...] = ()
    truth: Path | None = None  # the demo world's true parameters (demo datasets only)
    prices: tuple[Path, ...] = ()  # BLS flat files and API responses
    world_trade: tuple[Path, ...] = ()  # UN Comtrade responses
    minerals: tuple[Path, ...] = ()  # USGS Mineral Commodity Summaries CSVs

    def all(self) -> tuple[Path, ...]:
        """Every file, of every source: what the build hashes to know whether it is up to date."""
        found: list[Path] = []
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            found += [value] if isinstance(value, Path) else list(value or ())
        return tuple(found)


def find_inputs(dataset: Dataset, *, vintage: str | None = None) -> RawInputs:
    """Locate the raw files of a dataset; say plainly which sources are missing.

    Real data sit in data/raw/<source>/<vintage>/. Census files are taken from every vintage folder (or
    from `vintage` alone): which panel each feeds is told from its contents (`econ.panel.census_files`),
    and two files holding the same rows are refused there, naming both. The HTS is one revision: the JSON
    export of `vintage` or else the newest vintage (its CSV when no JSON is there).
    """
    if dataset == "demo":
        root = paths.demo_dir()
        census = _files(root / "census", "*.json")
        hts = tuple(sorted((root / "hts").glob("*.json")))
        concord_folder = root / "concord"
        io_tables: tuple[Path, ...] = ()  # the demo's economy is the embedded aggregate of BEA's tables
        truth = root / "truth.json"
        prices: tuple[Path, ...] = ()
        world_trade: tuple[Path, ...] = ()
        minerals = _files(root / "usgs", "*.csv")  # the demo's own, synthetic, in USGS's format
        hint = "run `econ demo` first"
    else:
        root = paths.raw_dir()
        census = _files(root / "census", "*/*.json", vintage=vintage)
        hts = ()
        folders = sorted((root / "hts").glob("*/"), reverse=True)
        if vintage is not None and (root / "hts" / vintage).is_dir():
            folders = [root / "hts" / vintage]
        for folder in folders:
            found = sorted(_files(folder, "*.json")) or sorted(_files(folder, "*.csv"))
            if found:
                hts = (found[-1],)
                break
        concord_folder = root / "concord"
        io_tables = bea_tables(root / "bea")
        truth = None
        prices = _newest(root / "bls", ("*.series", "*.data.*", "api_*.json"), vintage=vintage)
        world_trade = _newest(root / "comtrade", ("*.json", "*.csv"), vintage=vintage)
        minerals = _newest(root / "usgs", ("*.csv",), vintage=vintage)
        hint = "run `econ fetch census` and `econ fetch hts`, or drop the agencies' files there (see README)"
    hs_naics = concord.find_hs_naics(concord_folder)  # the import side's, else the export side's
    bea_naics = sorted(concord_folder.glob("*NAICS*.xlsx"))
    concordances = (hs_naics, bea_naics[-1]) if hs_naics and bea_naics else ()
    missing = [name for name, files in (("census", census), ("hts", hts)) if not files]
    if truth is not None and not truth.is_file():
        missing.append("truth.json")
    if missing:
        raise EconError(f"{dataset} data: no {' and no '.join(missing)} files under {root}; {hint}")
    return RawInputs(
        census=census,
        hts=hts,
        concordances=concordances,
        io_tables=io_tables,
        truth=truth,
        prices=prices,
        world_trade=world_trade,
        minerals=minerals,
    )


def _newest(folder: Path, patterns: tuple[str, ...], *, vintage: str | None) -> tuple[Path, ...]:
    """The files of one vintage folder: `vintage` if that folder exists, else the newest that has any."""
    folders = sorted((p for p in folder.glob("*/") if not p.name.startswith(".")), reverse=True)
    if vintage is not None and (folder / vintage).is_dir():
        folders = [folder / vintage]
    for chosen in folders:
        found = tuple(sorted({path for pattern in patterns for path in _files(chosen, pattern)}))
        if found:
            return found
    return ()


def _files(folder: Path, pattern: str, *, vintage: str | None = None) -> tuple[Path, ...]:
    """The data files matching `pattern` under `folder` (one vintage's when given), never the hidden
    temporary files of a download in progress or the fetch records beside them."""
    if vintage is not None:
        chosen = folder / vintage
        if not chosen.is_dir():
            present = sorted(p.name for p in folder.glob("*/") if not p.name.startswith("."))
            raise EconError(f"no vintage {vintage!r} under {folder} (there: {', '.join(present) or 'none'})")
        pattern = pattern.split("/", 1)[-1]
        folder = chosen
    return tuple(
        path
        for path in sorted(folder.glob(pattern))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


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
