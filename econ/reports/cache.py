"""Run keys: what a report depends on, hashed, and why a run must be rebuilt.

A run's key is the sha256 of its parts:

* ``notebook``  — the source of its code and markdown cells (outputs and metadata excluded);
* ``parameters`` — every parameter, defaults filled in;
* ``inputs``    — for each output of the processed catalog the notebook reads (panels, ``io_tables``,
  ``truth``), the sha256 recorded in data/processed/<dataset>/manifest.json, or "missing";
* ``files``     — for each file outside the catalog the run names (its scenario file), its sha256;
* ``code``      — `econ.manifest.code_hash`: the package's code and data files (timeline, product
  lists), scenario files excepted — those enter through ``files``, only for the runs that name them;
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

from econ.manifest import MISSING, dataset_manifest_or_none, file_hash
from econ.reports.runs import Run


def notebook_hash(path: str | Path) -> str:
    """Hash of a notebook's cell sources (code and markdown), blind to outputs, ids and metadata."""
    notebook = nbformat.read(str(path), as_version=4)
    digest = hashlib.sha256()
    for cell in notebook.cells:
        if cell.cell_type in ("code", "markdown"):
            digest.update(f"{cell.cell_type}\0{cell.source}\0".encode())
    return digest.hexdigest()


def input_hashes(dataset: str, outputs: tuple[str, ...]) -> dict[str, str]:
    """sha256 of each catalog output a run reads, as the dataset's manifest records it, else 'missing'."""
    manifest = dataset_manifest_or_none(dataset)
    return {name: manifest.output_hash(name) if manifest else MISSING for name in outputs}


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
        "files": {name: file_hash(path) for name, path in run.depends_on().items()},
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
    old_files, new_files = previous.get("files") or {}, current.get("files") or {}
    for name in sorted(set(old_files) | set(new_files)):
        if old_files.get(name) != new_files.get(name):
            reasons.append(f"{name} file changed")
    if previous.get("code") != current["code"]:
        reasons.append("econ code changed")
    if previous.get("show_code") != current["show_code"]:
        reasons.append("code shown" if current["show_code"] else "code hidden")
    return reasons


def _short(digest: Any) -> str:
    return "none" if digest is None else str(digest)[:12]
