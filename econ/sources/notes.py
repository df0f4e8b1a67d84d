"""What a reader found in a file that the build must say out loud (no rows, rows it could not place, text
it could not understand), and which file each row came from.

A reader never drops data silently. When a file is readable but something in it would otherwise vanish
without a word — an empty body, rows without a partner code, a rate of duty the parser has never seen,
a concordance line without a NAICS code — the reader still returns its frame and attaches one `Note` per
finding to ``frame.attrs["notes"]``; `notes_of(frame)` gives them back. The build collects them per file
(pandas drops ``attrs`` when frames with different notes are concatenated, so collect before `pd.concat`)
and writes them into the manifest and on screen. With ``strict=True`` the reader raises InputFormatError
with the note's message instead, so that a scheduled build can refuse any such file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError

NoteKind = Literal["no_rows", "missing_code", "filled_code", "unknown_rate_text"]
NOTE_KINDS: tuple[str, ...] = get_args(NoteKind)


@dataclass(frozen=True)
class Note:
    """One finding in one file.

    ``file`` the path as given to the reader; ``kind`` one of NOTE_KINDS; ``message`` one plain line for
    the screen and the manifest; ``rows`` how many rows (or lines) it concerns; ``value`` their value in
    the file's unit (US dollars for trade) where the file has one, else None; ``codes`` the codes, lines or
    names concerned (the first few hundred, largest value first where there is a value).
    """

    file: str
    kind: NoteKind
    message: str
    rows: int = 0
    value: float | None = None
    codes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready fields, for the manifest."""
        return {
            "file": self.file,
            "kind": self.kind,
            "message": self.message,
            "rows": self.rows,
            "value": self.value,
            "codes": list(self.codes),
        }


# A note lists its codes; a file with thousands of them must not make the manifest huge.
MAX_CODES = 200


def note(
    path: str | os.PathLike[str],
    kind: NoteKind,
    message: str,
    *,
    rows: int = 0,
    value: float | None = None,
    codes: Iterable[str] = (),
) -> Note:
    listed = tuple(str(code) for code in codes)[:MAX_CODES]
    return Note(str(path), kind, message, rows=rows, value=value, codes=listed)


def attach(frame: pd.DataFrame, found: Iterable[Note], *, strict: bool) -> pd.DataFrame:
    """Put `found` on ``frame.attrs["notes"]`` and return `frame`; with `strict`, raise the first instead."""
    found = tuple(found)
    if strict and found:
        first = found[0]
        raise InputFormatError(first.file, first.message, expected="no such finding (strict reading)")
    frame.attrs["notes"] = found
    return frame


def source_file_column(path: str | os.PathLike[str], rows: int) -> pd.Categorical[str]:
    """The ``source_file`` column every reader ends its frame with: `path` as given, on every row (one
    category, so it costs a byte a row), so that rows concatenated from many files can be traced."""
    return pd.Categorical.from_codes(np.zeros(rows, dtype="int8"), categories=pd.Index([str(path)]))


def notes_of(frame: pd.DataFrame) -> tuple[Note, ...]:
    """The notes a reader attached to `frame` (none when it found nothing to report)."""
    return tuple(frame.attrs.get("notes", ()))
