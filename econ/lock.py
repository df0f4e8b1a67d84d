"""One writer at a time per ECON_HOME.

`econ demo`, `econ build` and `econ report` hold an exclusive lock on <home>/.econ.lock while they write
(`econ fetch` needs none: each download is renamed into place whole). A second one
waits up to `timeout` seconds, saying so once, and then gives up with a clear error — it never interleaves
its writes with the first. The lock is an OS-level file lock (filelock), released by the kernel if the
holder dies, so a killed build never leaves a stale lock behind.

How long the second one waits: ``timeout`` when given, else the environment variable ECON_LOCK_TIMEOUT
(seconds; ``0`` gives up at once, which suits a scheduled job that should rather skip a month than queue),
else 600 s. While it waits it prints one line to stderr; when it gives up, `econ` prints the LockedError
as one line and exits with status 2, having written nothing.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
from collections.abc import Iterator

from filelock import FileLock, Timeout

from econ import paths
from econ.errors import LockedError, ParameterError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 600.0
TIMEOUT_ENV = "ECON_LOCK_TIMEOUT"


def lock_timeout() -> float:
    """Seconds a second writer waits for the lock: ECON_LOCK_TIMEOUT, else DEFAULT_TIMEOUT."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise ParameterError([(TIMEOUT_ENV, f"expected a number of seconds >= 0, got {text!r}")])
    return value


def _locked_message(home: os.PathLike[str], timeout: float) -> str:
    return (
        f"{home} is locked by another econ build or report (waited {timeout:g} s); "
        f"let it finish, then run again (or set {TIMEOUT_ENV} to wait longer)"
    )


@contextlib.contextmanager
def home_lock(task: str, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the ECON_HOME write lock for the block; `task` names the holder in messages.

    `timeout` (seconds) defaults to `lock_timeout()` (the ECON_LOCK_TIMEOUT environment variable)."""
    if timeout is None:
        timeout = lock_timeout()
    home = paths.home()
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(home / ".econ.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout <= 0:  # no wait to announce: the one line is the error below
            raise LockedError(_locked_message(home, timeout)) from None
        print(
            f"econ {task}: another econ build or report is writing to {home}; waiting up to {timeout:g} s "
            f"({TIMEOUT_ENV} sets how long)",
            file=sys.stderr,
            flush=True,
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise LockedError(_locked_message(home, timeout)) from None
    try:
        yield
    finally:
        lock.release()
