"""The record of what was built from what: one module for the build, the loader, the report cache, the
index and the banner.

Two documents, both JSON, both written atomically:

* ``data/processed/<dataset>/manifest.json`` — a `DatasetManifest`: the dataset (``demo`` or ``real``)
  and whether it is synthetic, each output's file, sha256, rows and what it covers, each raw input's
  sha256, what did not match, and the hash of the code that built it. `econ build` writes it last into
  its staging folder; `econ.panel.load` verifies every file against it before reading; the report cache
  takes each panel's hash from it; the report banner follows its ``synthetic`` flag.
* ``reports/manifest.json`` — the `reports manifest`: one record per run (status, key and the parts the
  key hashes, the files written). `econ report` reads it to decide what to rebuild and writes it after
  each run; `econ.reports.index` draws the index page from it.

The code hash covers every file of the package that results depend on — Python sources and the package
data (``.yaml``, ``.csv``, ``.json``: the tariff timeline, product lists, published figures) — except the
scenario files under ``econ/tariffs/scenarios/``: a report names its scenario, and the cache hashes that
one file into the run's key (`file_hash`), so editing ``no_geneva.yaml`` reruns exactly the runs of that
scenario, while a timeline row, which every panel's statutory rates depend on, reruns everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import econ
from econ import atomic, paths
from econ.errors import EconError, IntegrityError

Dataset = Literal["demo", "real"]
DATASETS: tuple[Dataset, ...] = ("demo", "real")

MANIFEST = "manifest.json"
"""The file name of both manifests; a staging folder holds it only when complete."""

_PACKAGE = Path(econ.__file__).resolve().parent
_CODE_SUFFIXES = frozenset({".py", ".yaml", ".yml", ".csv", ".json"})
SCENARIO_FOLDER = _PACKAGE / "tariffs" / "scenarios"
"""Scenario files: hashed per run (the one a run names), not into the code hash."""


# ------------------------------------------------------------------------------------------------ hashes


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def combined_hash(parts: Iterable[Mapping[str, Any]]) -> str:
    """One hash for an output written as several files (a panel split by year): over their names and
    hashes, so it changes when any part does."""
    digest = hashlib.sha256()
    for part in sorted(parts, key=lambda item: str(item["path"])):
        digest.update(f"{part['path']}\0{part['sha256']}\0".encode())
    return digest.hexdigest()


def code_files(package: str | Path | None = None) -> list[Path]:
    """The files of the package whose contents results depend on, in a fixed order."""
    root = Path(package) if package is not None else _PACKAGE
    scenarios = root / "tariffs" / "scenarios"
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in _CODE_SUFFIXES or "__pycache__" in path.parts:
            continue
        if scenarios in path.parents:
            continue
        found.append(path)
    return found


def code_hash(package: str | Path | None = None) -> str:
    """A hash of the package's code and data files (relative path and bytes); see the module docstring."""
    root = Path(package) if package is not None else _PACKAGE
    digest = hashlib.sha256()
    for path in code_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_hash(path: str | Path) -> str:
    """The sha256 of one file a run depends on by name (a scenario file), "missing" when absent."""
    return sha256_file(path) if Path(path).is_file() else MISSING


MISSING = "missing"


# ----------------------------------------------------------------------------------- dataset manifest


@dataclass
class DatasetManifest:
    """The record of one dataset's processed outputs and the raw inputs they came from.

    ``outputs`` maps each output's name to ``{"path", "sha256", "rows", ...}`` — the path a plain file name
    inside the dataset's folder, plus whatever the builder recorded about it (months, partners, the
    source of the input-output tables). ``coverage`` holds what the build says it built and what did not
    match; ``notes`` one line each, shown by `econ build` and in every report's data section.
    """

    dataset: str
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    code: str = ""
    created: str = ""
    econ_version: str = econ.__version__
    notes: list[str] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False
    """Set by `econ build` when the build was up to date; not written."""

    @property
    def synthetic(self) -> bool:
        """True unless the data are the agencies' own files (dataset ``real``)."""
        return self.dataset != "real"

    @classmethod
    def read(cls, folder: str | Path) -> DatasetManifest | None:
        """The manifest in `folder`, None if there is none; IntegrityError if it is unreadable or malformed
        (truncated, edited by hand), naming the file and the field."""
        path = Path(folder) / MANIFEST
        if not path.exists():
            return None

        def bad(problem: str) -> IntegrityError:
            return IntegrityError(f"{path}: unreadable manifest ({problem}); run `econ build --force`")

        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise bad(str(error)) from None
        if not isinstance(raw, dict):
            raise bad("not a JSON object")
        for key, kind in (("dataset", str), ("outputs", dict), ("inputs", dict)):
            if not isinstance(raw.get(key), kind):
                raise bad(f"{key!r} is missing or not a {kind.__name__}")
        for name, record in raw["outputs"].items():
            if not isinstance(record, dict):
                raise bad(f"outputs.{name} is not an object")
            for key in ("path", "sha256"):
                if not isinstance(record.get(key), str) or not record[key]:
                    raise bad(f"outputs.{name}.{key} is missing or not text")
            # a plain file name inside the folder: a hand-edited "../x" must not send load() elsewhere
            if not _plain_name(record["path"]):
                raise bad(f"outputs.{name}.path {record['path']!r} is not a file name in {folder}")
            parts = record.get("parts")
            if parts is not None:
                if not isinstance(parts, list) or not parts:
                    raise bad(f"outputs.{name}.parts is not a list of files")
                for i, part in enumerate(parts):
                    if not isinstance(part, dict) or not all(
                        isinstance(part.get(key), str) and part[key] for key in ("path", "sha256")
                    ):
                        raise bad(f"outputs.{name}.parts[{i}] lacks a path or a sha256")
                    if not _plain_name(part["path"]):
                        raise bad(f"outputs.{name}.parts[{i}].path {part['path']!r} is not a file name")
        notes = raw.get("notes")
        coverage = raw.get("coverage")
        return cls(
            dataset=raw["dataset"],
            outputs=raw["outputs"],
            inputs=raw["inputs"],
            code=str(raw.get("code", "")),
            created=str(raw.get("created", "")),
            econ_version=str(raw.get("econ_version", "")),
            notes=[str(note) for note in notes] if isinstance(notes, list) else [],
            coverage=coverage if isinstance(coverage, dict) else {},
        )

    def write(self, folder: str | Path) -> None:
        record = {
            "dataset": self.dataset,
            "synthetic": self.synthetic,
            "created": self.created,
            "econ_version": self.econ_version,
            "code": self.code,
            "outputs": self.outputs,
            "inputs": self.inputs,
            "coverage": self.coverage,
            "notes": self.notes,
        }
        atomic.write_json(Path(folder) / MANIFEST, record)

    def verify(self, folder: str | Path, names: Iterable[str] | None = None) -> None:
        """Check each output's sha256 (each part's, for an output split into files); raise
        IntegrityError naming the first missing or altered file."""
        for name in names or self.outputs:
            record = self.outputs[name]
            if "parts" in record and combined_hash(record["parts"]) != record["sha256"]:
                raise IntegrityError(
                    f"{Path(folder) / MANIFEST}: the hash of {name} does not match its parts' (edited by "
                    "hand?); run `econ build --force`"
                )
            for path, digest in self.files(folder, name):
                if not path.exists():
                    raise IntegrityError(f"{path}: missing (the manifest lists it); run `econ build`")
                if sha256_file(path) != digest:
                    raise IntegrityError(
                        f"{path}: contents do not match the manifest's hash (corrupted, truncated or "
                        "edited); run `econ build --force`"
                    )

    def files(self, folder: str | Path, name: str) -> list[tuple[Path, str]]:
        """The files of output `name` with their recorded hashes: one, or one per part, in order."""
        record = self.outputs[name]
        path = Path(folder) / record["path"]
        if "parts" in record:
            return [(path / part["path"], part["sha256"]) for part in record["parts"]]
        return [(path, record["sha256"])]

    def output_hash(self, name: str) -> str:
        """The sha256 recorded for output `name`, "missing" when the dataset has no such output."""
        record = self.outputs.get(name)
        return str(record["sha256"]) if record else MISSING

    def summary_lines(self) -> list[str]:
        """What `econ build` prints: each output with its rows, then the notes."""
        verb = "up to date" if self.skipped else "built"
        kind = "synthetic data" if self.synthetic else "the agencies' files"
        lines = [f"{self.dataset}: {verb} from {len(self.inputs)} raw files ({kind})"]
        for name, out in self.outputs.items():
            size = f"{out['rows']:,} rows" if out.get("rows") else "file"
            where = f"{out['path']}/ ({len(out['parts'])} files)" if "parts" in out else out["path"]
            lines.append(f"  {name}: {size} → {where}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


def _plain_name(name: str) -> bool:
    return Path(name).name == name and not name.startswith(".")


def dataset_folder(dataset: str) -> Path:
    """data/processed/<dataset>/, or the complete folder beside it while a build swaps a new one in."""
    return atomic.committed_folder(paths.processed_dir() / dataset, complete=MANIFEST)


def dataset_manifest(dataset: str) -> DatasetManifest:
    """The manifest of a built dataset; EconError saying how to build it when there is none."""
    if dataset not in DATASETS:
        raise EconError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    folder = dataset_folder(dataset)
    found = DatasetManifest.read(folder)
    if found is None:
        hint = "econ demo && econ build" if dataset == "demo" else "econ build --data real"
        raise EconError(f"no processed {dataset} data under {folder}; run `{hint}`")
    return found


def dataset_manifest_or_none(dataset: str) -> DatasetManifest | None:
    """The manifest of a built dataset, None when it is absent or unreadable (the cache then says why)."""
    try:
        return DatasetManifest.read(dataset_folder(dataset))
    except IntegrityError:
        return None


# ----------------------------------------------------------------------------------- reports manifest

REPORTS_FORMAT = 1
"""reports/manifest.json (format 1)::

    {"format": 1, "updated": ISO time, "git": {"commit", "dirty"}, "packages": {...},
     "runs": {name: {"notebook", "parameters", "dataset", "status": "ok"|"failed"|"not built",
                     "last_action": "built"|"skipped"|"failed"|"blocked", "reason", "key", "key_parts",
                     "started", "duration_s", "html", "json", "failed_notebook", "error", "headline"}}}

Paths inside are relative to the reports folder, so a copied folder stays valid.
"""


def read_reports_manifest(folder: str | Path) -> dict[str, Any]:
    """The previous report build's record, or an empty one (a missing or unreadable one rebuilds all)."""
    try:
        document = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {"format": REPORTS_FORMAT, "runs": {}}
    if not isinstance(document, dict) or document.get("format") != REPORTS_FORMAT:
        return {"format": REPORTS_FORMAT, "runs": {}}
    if not isinstance(document.get("runs"), dict):
        document["runs"] = {}
    return document


def write_reports_manifest(folder: str | Path, manifest: Mapping[str, Any]) -> None:
    atomic.write_json(Path(folder) / MANIFEST, dict(manifest))
