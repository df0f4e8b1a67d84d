"""`python -m econ.reports.worker`: a long-lived local worker for ``econ report --jobs N``.

It reads pickled RunTasks from stdin and writes pickled RunResults to stdout, each framed by an 8-byte
big-endian length, until stdin closes. The parent starts N of these, so each worker pays the import of
papermill and nbconvert once and runs one kernel at a time. Being a module run by path, it needs nothing
from the caller's ``__main__`` (which multiprocessing's spawn would re-import: a script without a
``__main__`` guard, or code typed on stdin, cannot be).

The kernels a worker starts inherit its file descriptors; file descriptor 1 is pointed at stderr before
any starts, so nothing a kernel prints can corrupt the result stream, which uses a private copy.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import IO, Any

HEADER = 8


def write_frame(stream: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj)
    stream.write(len(data).to_bytes(HEADER, "big") + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next object, or None at end of stream."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return None
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def main() -> int:
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # jsonschema (under nbformat) imports rfc3987_syntax when installed, which compiles a grammar for
    # 1.4 s of this machine's 2; it only checks "iri" formats, which no notebook schema uses. Refusing
    # the import here affects this process alone, which exists only to run notebooks.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from econ.reports.execute import execute_run

    tasks = sys.stdin.buffer
    while (task := read_frame(tasks)) is not None:
        write_frame(results, execute_run(task))
    return 0


if __name__ == "__main__":
    sys.exit(main())
