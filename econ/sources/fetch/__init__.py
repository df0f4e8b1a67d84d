"""Fetchers: download an agency's files unchanged into data/raw/<source>/<vintage>/.

Apart from the readers (`econ.sources.<name>.read`: path → frame, no network), so that reading never
needs the network code and a fetcher parses a body only to refuse a bad one. One module per source —
``census``, ``hts``, ``bls``, ``bea``, ``usgs``, ``comtrade`` — and ``all`` for every file the reports
need. Each declares, and nothing else:

* ``OPTIONS`` — its own options (`options.Option`), from which ``econ fetch <source>`` builds its flags;
* ``LIMITS`` — the agency's rate limits (`plan.RateLimit`), by the source name its downloads carry;
* ``plan(..., options) -> list[Download]`` — what would be downloaded, where, and the check each body
  must pass (`checks`);
* ``fetch(..., options) -> list[Path]`` — the plan, run (`plan.run`: resumable, rate-limited, one
  progress bar, ``dry_run`` prints the plan).

Every fetcher takes one `FetchOptions` (vintage, force, base URL, retries, timeouts, dry run); the HTTP
core is `http.download` (timeouts, retries, atomic cache, redacted keys, redirects that keep keys home).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from econ.sources.fetch.options import FetchOptions, Option
from econ.sources.fetch.plan import Download, RateLimit

SOURCES: tuple[str, ...] = ("census", "hts", "bls", "comtrade", "bea", "usgs", "all")


def fetcher(source: str) -> ModuleType:
    """The fetcher module of `source` (one of SOURCES), imported on demand."""
    if source not in SOURCES:
        raise KeyError(source)
    return importlib.import_module(f"econ.sources.fetch.{source}")


__all__ = ["SOURCES", "Download", "FetchOptions", "Option", "RateLimit", "fetcher"]
