"""Atomic file writes: every output goes to a temporary file in the same folder and is renamed into place.

A build killed at any moment therefore leaves either the previous file or the new one, never half of
either (os.replace is atomic on POSIX within one file system).

Files that must change together (a dataset's panels and the manifest holding their hashes; the demo
world's raw files and its truth.json) are written into a staging folder beside their folder and swapped in
as a whole (`swap_folder`), in this order — a SIGKILL can fall between any two steps:

  1. ``.<name>.new/`` filled file by file, the marker file (``manifest.json``, ``truth.json``) last;
  2. ``<name>/`` renamed to ``.<name>.old/``;
  3. ``.<name>.new/`` renamed to ``<name>/``;
  4. ``.<name>.old/`` removed.

Killed in 1, ``<name>/`` is untouched. Between 2 and 3 there is no ``<name>/``: readers take the staging
folder when it holds its marker (it is complete), else the retired one (`committed_folder`). The next
writer, under the home lock, finishes the swap or discards the leftovers (`recover_folder`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

log = logging.getLogger(__name__)

# The process umask, read once (reading it means setting it, so never in a hot path or a thread).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it is fsynced and renamed onto `path`.

    For writers that want a path rather than a file object (pyarrow, matplotlib, nbformat).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600; give the file the permissions an ordinary open() would (reports are shared).
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; rename it onto `path` only if the block succeeds."""
    if not mode.startswith("w"):
        raise ValueError(f"atomic_open writes only; got mode {mode!r}")
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_open(path, "w") as handle:
        handle.write(text)


def write_json(path: str | os.PathLike[str], obj: Any, *, indent: int | None = 2) -> None:
    with atomic_open(path, "w") as handle:
        json.dump(obj, handle, indent=indent, default=str, ensure_ascii=False)
        handle.write("\n")


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a frame to Parquet (zstd), atomically."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, compression="zstd")


def sweep(
    folder: str | os.PathLike[str], *, target: str | None = None, older_than: float | None = None
) -> list[Path]:
    """Remove the temporary files `atomic_path` left in `folder` when its process was killed outright
    (SIGKILL, a power cut: no cleanup runs then). Returns what was removed.

    ``target`` limits the sweep to the temporary files of one destination name; ``older_than`` (seconds)
    spares files younger than that. Without ``older_than`` call it only while holding the home lock, so
    that no live writer's file is taken from under it.
    """
    base = Path(folder)
    if not base.is_dir():
        return []
    pattern = f".{target}.*.tmp" if target else ".*.tmp"
    cutoff = None if older_than is None else time.time() - older_than
    removed = []
    for path in base.glob(pattern):
        with contextlib.suppress(OSError):
            if cutoff is not None and path.stat().st_mtime > cutoff:
                continue
            path.unlink()
            removed.append(path)
    return removed


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make the renames in `folder` durable (a no-op where a directory cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ------------------------------------------------------------------------------------------ folder swaps


def staging_folder(folder: str | os.PathLike[str]) -> Path:
    """Where the next contents of `folder` are written before `swap_folder`: ``.<name>.new`` beside it."""
    target = Path(folder)
    return target.with_name(f".{target.name}.new")


def _retired_folder(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.old")


def swap_folder(staging: str | os.PathLike[str], folder: str | os.PathLike[str]) -> None:
    """Replace `folder` by the complete `staging` folder (steps 2-4 of the module docstring)."""
    staging, folder = Path(staging), Path(folder)
    fsync_dir(staging)
    retired = _retired_folder(folder)
    shutil.rmtree(retired, ignore_errors=True)
    if folder.exists():
        os.replace(folder, retired)
    os.replace(staging, folder)
    fsync_dir(folder.parent)
    shutil.rmtree(retired, ignore_errors=True)


def recover_folder(folder: str | os.PathLike[str], *, complete: str) -> None:
    """Finish (or undo) a swap that a killed writer left part-way; remove its leftovers and temporary
    files. `complete` names the file a staging folder holds only when whole. Call under the home lock."""
    folder = Path(folder)
    staging, retired = staging_folder(folder), _retired_folder(folder)
    if not folder.exists():
        for candidate in (staging, retired):  # the new contents if complete, else the previous ones
            if (candidate / complete).is_file():
                log.warning("%s: finishing the swap of a writer that was interrupted", folder)
                os.replace(candidate, folder)
                break
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
    sweep(folder)


def committed_folder(folder: str | os.PathLike[str], *, complete: str) -> Path:
    """The folder holding the committed contents of `folder`, for readers (who take no lock): `folder`
    itself, or — in the instant between the two renames of a swap, or after a writer killed in it — the
    complete folder beside it."""
    folder = Path(folder)
    if folder.exists():
        return folder
    for candidate in (staging_folder(folder), _retired_folder(folder)):
        if (candidate / complete).is_file():
            return candidate
    return folder
