"""Run keys: what a report depends on, hashed, and why a run must be rebuilt.

A run's key is the sha256 of its parts:

* ``notebook``  — the source of its code and markdown cells (outputs and metadata excluded);
* ``parameters`` — every parameter, defaults filled in;
* ``inputs``    — for each panel the notebook reads, the sha256 recorded in
  data/processed/<dataset>/manifest.json (or, without a manifest, the hash of the file itself);
* ``raw``       — for each raw-file pattern the model declares (``reads_raw``), a hash of the matching
  files under data/raw/ (names and contents), or "none" when nothing matches;
* ``code``      — a hash of the econ package's source files;
* ``show_code`` — whether the HTML shows code (the rendered page differs).

The parts are kept beside the key in reports/manifest.json, so that a changed key can say which part
changed ("input imports changed", "parameters changed: partner '5700' -> '2010'").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from econ import paths
from econ.reports.runs import Run

MISSING = "missing"
_PACKAGE = Path(__file__).resolve().parent.parent


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def notebook_hash(path: str | Path) -> str:
    """Hash of a notebook's cell sources (code and markdown), blind to outputs, ids and metadata."""
    notebook = nbformat.read(str(path), as_version=4)
    digest = hashlib.sha256()
    for cell in notebook.cells:
        if cell.cell_type in ("code", "markdown"):
            digest.update(f"{cell.cell_type}\0{cell.source}\0".encode())
    return digest.hexdigest()


def code_hash(package: str | Path | None = None) -> str:
    """Hash of every .py file of the econ package (relative path and bytes), in a fixed order."""
    root = Path(package) if package is not None else _PACKAGE
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _processed_folder(dataset: str) -> Path:
    # data/processed/<dataset>/, or the complete set beside it while (or after a build killed while) a
    # build swaps its new panels in: econ.atomic.committed_folder
    from econ import atomic

    return atomic.committed_folder(paths.processed_dir() / dataset, complete="manifest.json")


def processed_manifest(dataset: str) -> dict[str, Any] | None:
    """data/processed/<dataset>/manifest.json as written by econ.panel, or None when absent or unreadable."""
    path = _processed_folder(dataset) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def input_hashes(dataset: str, panels: tuple[str, ...]) -> dict[str, str]:
    """sha256 of each panel a run reads: from the processed manifest, else of the file, else 'missing'."""
    folder = _processed_folder(dataset)
    outputs = (processed_manifest(dataset) or {}).get("outputs") or {}
    hashes: dict[str, str] = {}
    for panel in panels:
        recorded = outputs.get(panel) or {}
        if isinstance(recorded, dict) and recorded.get("sha256"):
            hashes[panel] = str(recorded["sha256"])
            continue
        candidates = [folder / str(recorded.get("path"))] if recorded.get("path") else []
        candidates += [folder / f"{panel}.parquet", folder / panel]
        found = next((path for path in candidates if path.is_file()), None)
        hashes[panel] = sha256_file(found) if found else MISSING
    return hashes


def raw_hashes(patterns: tuple[str, ...]) -> dict[str, str]:
    """For each glob pattern under data/raw/, the sha256 of the matching files' names and hashes."""
    root = paths.raw_dir()
    hashes: dict[str, str] = {}
    for pattern in patterns:
        files = sorted(path for path in root.glob(pattern) if path.is_file())
        if not files:
            hashes[pattern] = "none"
            continue
        digest = hashlib.sha256()
        for path in files:
            digest.update(f"{path.relative_to(root)}\0{sha256_file(path)}\0".encode())
        hashes[pattern] = digest.hexdigest()
    return hashes


@dataclass(frozen=True)
class RunKey:
    """A run's key and the parts it hashes."""

    key: str
    parts: dict[str, Any]

    optional: tuple[str, ...] = ()

    @property
    def missing_inputs(self) -> list[str]:
        return [
            panel
            for panel, digest in self.parts["inputs"].items()
            if digest == MISSING and panel not in self.optional
        ]


def run_key(run: Run, *, code: str, show_code: bool) -> RunKey:
    """The key of `run` given the package hash `code` (computed once per build) and the HTML option."""
    parts = {
        "notebook": notebook_hash(run.notebook_path),
        "parameters": run.values,
        "inputs": input_hashes(run.dataset, run.reads + run.reads_optional),
        "raw": raw_hashes(run.reads_raw),
        "code": code,
        "show_code": show_code,
    }
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return RunKey(hashlib.sha256(text.encode()).hexdigest(), parts, optional=run.reads_optional)


def why_changed(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """Which parts differ between two key part sets, in words."""
    reasons: list[str] = []
    if previous.get("notebook") != current["notebook"]:
        reasons.append("notebook source changed")
    old, new = previous.get("parameters") or {}, current["parameters"]
    changed = [
        f"{name} {old.get(name)!r} -> {new.get(name)!r}"
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]
    if changed:
        reasons.append("parameters changed: " + ", ".join(changed))
    old_inputs, new_inputs = previous.get("inputs") or {}, current["inputs"]
    for panel in sorted(set(old_inputs) | set(new_inputs)):
        if old_inputs.get(panel) != new_inputs.get(panel):
            reasons.append(
                f"input {panel} changed ({_short(old_inputs.get(panel))} -> {_short(new_inputs.get(panel))})"
            )
    old_raw, new_raw = previous.get("raw") or {}, current.get("raw") or {}
    for pattern in sorted(set(old_raw) | set(new_raw)):
        if old_raw.get(pattern) != new_raw.get(pattern):
            reasons.append(f"raw files {pattern} changed")
    if previous.get("code") != current["code"]:
        reasons.append("econ code changed")
    if previous.get("show_code") != current["show_code"]:
        reasons.append("code shown" if current["show_code"] else "code hidden")
    return reasons


def _short(digest: Any) -> str:
    return "none" if digest is None else str(digest)[:12]
