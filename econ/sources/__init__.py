"""Readers and fetchers for the agencies' own files, in separate rooms.

Readers — one module per source, pure (a path in, a typed frame out; no network, no writing):

* `census`   — Census International Trade API responses (imports/exports by HS and by NAICS, monthly
  ``_MO`` and year-to-date ``_YR`` variables): ``read`` as the file has it, ``tidy`` in one layout;
* `hts`      — USITC Harmonized Tariff Schedule, JSON and CSV exports, with a parser of rate text;
* `bls`      — BLS flat files (ei, pc, wp) and API v2 answers; ``prices`` joins observations with what
  each series measures;
* `comtrade` — UN Comtrade API v1 records, filtered to totals;
* `bea`, `usgs` — input-output tables and Mineral Commodity Summaries;
* `notes`    — what a reader found that the build must report (no rows, rows without a code, unknown
  rate texts), and the ``source_file`` column every tabular reader ends with.

Fetchers — `econ.sources.fetch` (one module per source, `FetchOptions` for all, a plan per fetch, the
HTTP core) — download the files unchanged under data/raw/<source>/<vintage>/ and parse each body with the
reader above before keeping it. `cli` builds ``econ fetch SOURCE [options]`` from the fetchers' declared
options: argparse lives there only.

The direction is one way: `cli` → `fetch` → readers → `notes`; a reader never imports a fetcher.
Modules are imported on demand (``from econ.sources import census``) so that importing the package stays
cheap.
"""
