"""One writer at a time per ECON_HOME.

`econ build` and `econ report` hold an exclusive lock on <home>/.econ.lock while they write. A second one
waits up to `timeout` seconds, saying so once, and then gives up with a clear error — it never interleaves
its writes with the first. The lock is an OS-level file lock (filelock), released by the kernel if the
holder dies, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

from filelock import FileLock, Timeout

from econ import paths
from econ.errors import LockedError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 600.0


@contextlib.contextmanager
def home_lock(task: str, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the ECON_HOME write lock for the block; `task` names the holder in messages."""
    home = paths.home()
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(home / ".econ.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(
            f"econ {task}: another econ build or report is writing to {home}; waiting up to {timeout:.0f} s",
            file=sys.stderr,
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise LockedError(
                f"{home} is locked by another econ build or report (waited {timeout:.0f} s); "
                "let it finish, then run again"
            ) from None
    try:
        yield
    finally:
        lock.release()
