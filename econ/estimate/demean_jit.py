"""numba's `njit` when numba is installed, else a no-op decorator (the kernels then run as plain Python:
correct, much slower — install numba)."""

from __future__ import annotations

try:
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only where numba is absent
    HAVE_NUMBA = False

    def njit(*args, **kwargs):  # type: ignore[no-redef]
        def wrap(f):
            return f

        return wrap if not args or not callable(args[0]) else args[0]


__all__ = ["HAVE_NUMBA", "njit"]
