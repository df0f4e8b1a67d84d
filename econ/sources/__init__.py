"""Readers and fetchers for the agencies' own files.

One module per source, each with `read(path, ...) -> pandas.DataFrame` (typed columns, codes as strings
with their leading zeros, periods as monthly `pandas.Period`) and `fetch(...)`, which writes the agency's
response unchanged under data/raw/<source>/<vintage>/:

* `census`   — Census International Trade API (imports/exports by HS and by NAICS), JSON array of arrays;
* `hts`      — USITC Harmonized Tariff Schedule, JSON and CSV exports, with a parser of rate text;
* `bls`      — BLS flat files (ei, pc, wp) and the API v2 JSON;
* `comtrade` — UN Comtrade API v1 records, filtered to totals;
* `bea`, `usgs` — input-output tables and Mineral Commodity Summaries;
* `http`     — the shared download core (timeouts, retries, atomic cache, redacted keys);
* `cli`      — `econ fetch SOURCE [options]`.

Modules are imported on demand (``from econ.sources import census``) so that importing the package stays
cheap.
"""
