"""The project's exceptions: one small hierarchy, so that callers (and the CLI) can tell a problem with
the user's input from a bug.

Every error says *where* (the file, the row or field, the parameter) and *what was expected*, because
the person reading it is an economist with a file open, not a developer with a debugger.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike


class EconError(Exception):
    """Base class: anything the CLI reports as one clear line instead of a traceback."""


class InputFormatError(EconError, ValueError):
    """A file handed to a reader is not in the format the reader expects.

    The message names the file, the place inside it (row, field, key) and what was expected there.
    """

    def __init__(
        self,
        path: str | PathLike[str] | None,
        problem: str,
        *,
        where: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.where = where
        self.expected = expected
        self.problem = problem
        parts = [self.path or "<input>"]
        if where:
            parts.append(where)
        message = ": ".join(parts) + f": {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)


class SchemaError(EconError, ValueError):
    """A frame does not have the columns or types a processed panel must have."""


class IntegrityError(EconError):
    """A processed file does not match the hash its manifest recorded (corrupted, truncated or edited)."""


class FetchError(EconError):
    """A download from an agency's endpoint failed after its retries."""


class OfflineError(FetchError):
    """The endpoint could not be reached at all (no network, DNS failure, connection refused)."""


class LockedError(EconError):
    """Another `econ build` or `econ report` holds the lock on this ECON_HOME."""


class ScenarioError(EconError, ValueError):
    """A tariff timeline or scenario file is malformed; the message names the row or key."""


class ParameterError(EconError, ValueError):
    """One or more parameters are invalid. Collects every problem before raising (Kedro-style)."""

    def __init__(self, problems: Iterable[tuple[str, str]], *, context: str | None = None) -> None:
        self.problems = list(problems)
        head = f"invalid parameters for {context}" if context else "invalid parameters"
        body = "; ".join(f"{name}: {message}" for name, message in self.problems)
        super().__init__(f"{head}: {body}")


class EstimationError(EconError, ValueError):
    """An estimator cannot give a defensible number (no variation left, regressor absorbed, …)."""
