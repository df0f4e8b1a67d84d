"""One run's page, figures and manifest record committed as one, and the check that they agree.

A run's outputs are two files a reader opens — ``reports/<run>.html`` and ``reports/<run>.json`` — and its
record in ``reports/manifest.json``, which holds the sha256 of both and the run's key (also written inside
both files). Two files cannot be renamed in one step, so a run is committed the way a database commits
a transaction, with the record as the journal:

  1. the page and the figures are written whole into ``reports/.staged/<run>/`` (nothing public changes);
  2. the manifest is rewritten with the new record marked ``"moving": true`` — **the commit point**;
  3. the figures, then the page, are renamed from the staging folder into place;
  4. the manifest is rewritten without the mark.

Killed before 2, the previous run stands (its record matches its files); the staging folder is clutter,
removed by the next `econ report`. Killed from 2 on, the new run stands: the record names the new files,
each of which is either in place or still in the staging folder, whole (`committed_file` finds it), and
the next `econ report` finishes the renames (`recover`) before anything else. `verify` is the check that
this holds: for every run the manifest records as built, each file the record names exists, whole, with
the record's hash, and carries the record's key. `plan` uses the same check to rebuild a run whose files
were edited, damaged or deleted by hand rather than skip it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from econ import atomic
from econ.errors import EconError
from econ.manifest import sha256_file

STAGING = ".staged"
KINDS = ("json", "html")
"""The files of a run, in the order they are renamed into place."""


class ReportWriteError(EconError):
    """A report's file could not be written (a full disk, a folder gone): `econ report` stops at once."""


def write_or_stop(destination: Path, write: Callable[[], object]) -> None:
    """Do `write`, whose output is `destination`; an operating-system error becomes one ReportWriteError
    naming that file (the error of a write into a hidden temporary file names no file, or the wrong one)."""
    try:
        write()
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise ReportWriteError(
            f"cannot write {destination}: {reason}; econ report stopped (free space or fix the folder, "
            "then run it again: what was committed before stands)"
        ) from error


def public_path(folder: Path, record: Mapping[str, Any], kind: str) -> Path:
    return folder / str(record.get(kind) or "")


def staged_path(folder: Path, run: str, kind: str) -> Path:
    return folder / STAGING / run / f"{run}.{kind}"


def stage(folder: Path, run: str, *, html: str, figures: Mapping[str, Any]) -> dict[str, str]:
    """Step 1: the run's files, whole, in the staging folder; returns their sha256 by kind."""
    write_or_stop(
        folder / f"{run}.json", lambda: atomic.write_json(staged_path(folder, run, "json"), figures)
    )
    write_or_stop(folder / f"{run}.html", lambda: atomic.write_text(staged_path(folder, run, "html"), html))
    return {kind: sha256_file(staged_path(folder, run, kind)) for kind in KINDS}


def move_into_place(folder: Path, run: str, record: Mapping[str, Any]) -> None:
    """Step 3 (or its completion after a kill): each staged file that the record names, renamed into place."""
    for kind in KINDS:
        staged = staged_path(folder, run, kind)
        if staged.is_file() and sha256_file(staged) == record.get(f"{kind}_sha256"):
            os.replace(staged, public_path(folder, record, kind))
    atomic.fsync_dir(folder)
    shutil.rmtree(folder / STAGING / run, ignore_errors=True)
    with contextlib.suppress(OSError):  # the last run's commit leaves no empty staging folder behind
        (folder / STAGING).rmdir()


def committed_file(folder: Path, run: str, record: Mapping[str, Any], kind: str) -> Path | None:
    """Where a reader finds the committed `kind` file of `run`: in place, or — for the instant of a
    commit, or after one that was killed — in the staging folder; None when neither holds it."""
    digest = record.get(f"{kind}_sha256")
    candidates = [public_path(folder, record, kind)]
    if record.get("moving"):
        candidates.append(staged_path(folder, run, kind))
    for path in candidates:
        if path.is_file() and sha256_file(path) == digest:
            return path
    return None


def problems(folder: Path, run: str, record: Mapping[str, Any]) -> list[str]:
    """Why the committed files of one built run do not agree with its record (empty when they do)."""
    found = []
    for kind in KINDS:
        name = record.get(kind)
        if not name or not record.get(f"{kind}_sha256"):
            found.append(f"{run}: the record names no {kind} file and hash")
            continue
        path = committed_file(folder, run, record, kind)
        if path is None:
            where = public_path(folder, record, kind)
            state = "changed since it was built (edited or damaged)" if where.is_file() else "missing"
            found.append(f"{where.name}: {state}")
            continue
        key = record.get("key")
        if key and key not in path.read_text(encoding="utf-8", errors="replace"):
            found.append(f"{path.name}: does not carry the run key of its record")
    return found


def verify(folder: Path, manifest: Mapping[str, Any]) -> list[str]:
    """The HTML ↔ JSON ↔ manifest check over every run recorded as built; empty when all agree."""
    found: list[str] = []
    for run, record in sorted((manifest.get("runs") or {}).items()):
        if record.get("status") == "ok":
            found.extend(problems(folder, run, record))
    return found


def recover(folder: Path, manifest: Mapping[str, Any]) -> bool:
    """Finish the commits a killed `econ report` left part-way and remove uncommitted staging folders.
    Call under the home lock. True when a record's mark must be cleared (the caller rewrites it)."""
    runs = manifest.get("runs") or {}
    finished = False
    for run, record in runs.items():
        if record.get("status") == "ok" and record.get("moving"):
            move_into_place(folder, run, record)
            finished = True
    staging = folder / STAGING
    if staging.is_dir():
        for leftover in staging.iterdir():  # killed before its commit point: never part of any record
            with contextlib.suppress(OSError):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        with contextlib.suppress(OSError):
            staging.rmdir()
    return finished
