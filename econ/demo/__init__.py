"""The demo world: a deterministic, synthetic trade world written in the agencies' own raw formats.

Why it exists: no machine here reaches the internet, and an economist on a train cannot download Census
files either. The demo lets the same readers, panels, notebooks and reports run end to end on a fresh
machine, and — because its true parameters are known — lets every estimator be checked against the truth.
**Everything it writes is synthetic**; every report built on it says so.

What it writes under data/raw/demo/ (``econ.paths.demo_dir()``):

* ``hts/hts_2025_basic.json`` — a USITC HTS JSON export: chapter, heading, HS8 and HS10 lines with
  ``indent``, MFN rate text of every kind (Free, ad valorem, specific, compound), and Section 301
  references in footnotes ("See 9903.88.01.").
* ``census/imports_hs10_<year>.json`` — Census International Trade API responses (``imports/hs``,
  HS10 × country × month, 2017-01 … 2025-12): a JSON array of string arrays with the header first, the
  aggregate rows the real API mixes in (total for all countries, regional groupings), and zeros where the
  API reports them.
* ``usgs/*.csv`` — USGS Mineral Commodity Summaries tables in the data release's format, with the FACTS
  §4 figures for rare earths, gallium, germanium, antimony, scandium and yttrium (``econ.demo.minerals``).
* ``truth.json`` — the seed, the scale, the true parameters and the calibration achieved.

How the world works (all parameters in ``TrueParameters``): for product *i* (HS10), partner *j* and
month *t*, with τ the tariff actually paid (statutory layers from ``econ.tariffs`` less FTA preferences):

* exporter's (duty-exclusive) price:  log p*_ijt = a_ij + g_it + h_jt + (β − 1)·log(1 + τ_ijt) + e_ijt
  so the duty-inclusive price p_ijt = p*_ijt·(1 + τ_ijt) moves with elasticity β (``passthrough``);
* varieties of one product are CES substitutes with elasticity σ (``import_elasticity``):
  q_ijt = b_ij · Q_it · (p_ijt / P_it)^(−σ), P_it the CES price index over the partners active that month;
* a product's total imports respond to its price index with elasticity η (``aggregate_elasticity``):
  Q_it = A_it · P_it^(−η).

Product levels are then rescaled (a product × partner-group constant, which any product × partner fixed
effect absorbs) so that China's 2024 import value and collected duty rate by HS chapter match the Census
figures in FACTS §3.

Rooms: `econ.demo.catalogue` (partners, products, calibration targets), `econ.demo.world` (the economy:
true parameters, simulation, calibration), `econ.demo.writers` (one writer per agency format). `write`
stages the whole world in a hidden folder and swaps it in, truth.json last, so a demo killed part-way
leaves the previous world, never some years of a new one beside the old truth.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from econ import atomic, paths
from econ.demo.catalogue import (
    CALIBRATED_CHAPTERS,
    CHINA,
    CHINA_2024_LISTED_SHARE,
    FIRST_MONTH,
    FTA_PREFERENCE,
    LAST_MONTH,
    PARTNERS,
    make_products,
)
from econ.demo.minerals import write_usgs
from econ.demo.world import DemoWorld, TrueParameters, calibrate, simulate, simulate_exports
from econ.demo.writers import (
    CENSUS_HEADER,
    EXPORTS_HEADER,
    census_rows,
    export_rows,
    hts_lines,
    with_aggregates,
    write_bea_concordance,
    write_census_year,
    write_hs_concordance,
)
from econ.errors import ParameterError
from econ.lock import home_lock
from econ.tariffs import Schedule

log = logging.getLogger(__name__)

__all__ = ["CALIBRATED_CHAPTERS", "CHINA", "PARTNERS", "DemoWorld", "TrueParameters", "write"]

COMPLETE = "truth.json"
"""Written last: a demo folder (or its staging copy) holding it is complete."""


World = Literal["calibrated", "structural"]
WORLDS: tuple[World, ...] = get_args(World)


def write(
    *,
    seed: int = 20250512,
    scale: float = 1.0,
    overrides: Mapping[str, Any] | None = None,
    folder: Path | None = None,
    world: World = "calibrated",
) -> DemoWorld:
    """Write the demo world to `folder` (default data/raw/demo/) and return what was written.

    Deterministic for (seed, scale, overrides). `scale` multiplies the number of HS10 lines (1.0 ≈ 1,600
    lines and 0.8M monthly import rows; 0.05 for tests; 20 or more for benchmarks). The world is written
    into a staging folder beside `folder` and swapped in whole under the home's lock (`econ build` reads
    it: it must never see half a world).

    `world` picks which: ``calibrated`` (this package's world, calibrated to 2024) or ``structural``
    (`econ.demo.structural`: a data-generating process the estimators did not write, with lagged
    pricing, anticipation, inventories, code changes, exclusions and the de minimis shift — imports and
    the HTS only; its true parameters and event effects in truth.json). `overrides` apply to the first.
    """
    problems = []
    if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
        problems.append(("scale", f"expected a positive number, got {scale!r}"))
    if world not in WORLDS:
        problems.append(("world", f"expected one of {', '.join(WORLDS)}, got {world!r}"))
    if world == "structural" and overrides:
        problems.append(("set", "the structural world takes no --set overrides (its truth is its own)"))
    if problems:
        raise ParameterError(problems, context="econ demo")
    truth = TrueParameters.with_overrides(overrides or {})
    target = Path(folder) if folder is not None else paths.demo_dir()
    with home_lock("demo"):
        atomic.recover_folder(target, complete=COMPLETE)
        staging = atomic.staging_folder(target)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            if world == "structural":
                written = _write_structural(seed=seed, scale=scale, target=staging)
            else:
                written = _write_world(seed=seed, scale=scale, truth=truth, target=staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        atomic.swap_folder(staging, target)
    files = [target / path.relative_to(staging) for path in written.files]
    return dataclasses.replace(written, folder=target, files=files)


def _write_structural(*, seed: int, scale: float, target: Path) -> DemoWorld:
    from econ.demo import structural

    files = structural.write(target, seed=seed, scale=scale)
    truth = json.loads((target / COMPLETE).read_text(encoding="utf-8"))
    return DemoWorld(
        folder=target,
        seed=seed,
        scale=scale,
        truth=TrueParameters(),  # the calibrated world's parameters do not describe this one: see truth.json
        rows=int(truth.get("rows", 0)),
        products=int(truth.get("products", 0)),
        files=files,
        world="structural",
    )


def _write_world(*, seed: int, scale: float, truth: TrueParameters, target: Path) -> DemoWorld:
    rng = np.random.default_rng([seed, 0])
    products = make_products(rng, scale)

    hts_path = target / "hts" / "hts_2025_basic.json"
    atomic.write_json(hts_path, hts_lines(products), indent=None)
    log.info("demo: %d HS10 lines written to %s", len(products), hts_path)

    # The duties come from the package's policy timeline, evaluated on the demo's own HTS file as the
    # panel builder will read it.
    schedule = Schedule.from_hts([hts_path])
    panel = simulate(seed=seed, truth=truth, schedule=schedule, products=products)
    calibration = calibrate(panel, products)
    census = census_rows(
        panel, products, np.random.default_rng([seed, 2]), unit_value_noise=truth.unit_value_noise
    )
    census = with_aggregates(census)

    files = [hts_path]
    for year, rows in census.groupby(census["month"].dt.year):
        path = target / "census" / f"imports_hs10_{year}.json"
        write_census_year(rows, path, CENSUS_HEADER, "I_COMMODITY")
        files.append(path)
    hs_concordance = target / "concord" / "hs-10d-imp-code.txt"
    write_hs_concordance(products, hs_concordance)
    bea_concordance = target / "concord" / "BEA-NAICS-Concordance.xlsx"
    write_bea_concordance(bea_concordance)
    files += [hs_concordance, bea_concordance]
    files += write_usgs(target / "usgs")  # USGS tables in the release's format, synthetic, FACTS §4
    exports = export_rows(simulate_exports(seed=seed, truth=truth, schedule=schedule))
    for year, rows in exports.groupby(exports["month"].dt.year):
        path = target / "census" / f"exports_hs10_{year}.json"
        write_census_year(rows, path, EXPORTS_HEADER, "E_COMMODITY")
        files.append(path)

    truth_record = {
        "synthetic": True,
        "note": "Synthetic demo world written by econ.demo — not real statistics.",
        "seed": seed,
        "scale": scale,
        "parameters": dataclasses.asdict(truth),
        "equations": {
            "passthrough": "log p*_ijt = a_ij + g_it + h_jt + (passthrough - 1) log(1 + tau_ijt) + e",
            "import_elasticity": "q_ijt = b_ij Q_it (p_ijt / P_it)^(-import_elasticity), p = p*(1 + tau)",
            "aggregate_elasticity": "Q_it = A_it P_it^(-aggregate_elasticity)",
        },
        "products": len(products),
        "rows": len(panel),
        "period": [FIRST_MONTH, LAST_MONTH],
        "partners": {code: name for code, name, *_ in PARTNERS},
        "fta_preference": FTA_PREFERENCE,
        "calibration_china_2024": calibration.reset_index().to_dict(orient="records"),
        "listed_share_china_2024": {
            "target": CHINA_2024_LISTED_SHARE,
            "achieved": calibration.attrs["listed_share"],
        },
    }
    atomic.write_json(target / "truth.json", truth_record)
    files.append(target / "truth.json")
    return DemoWorld(
        folder=target,
        seed=seed,
        scale=scale,
        truth=truth,
        rows=len(panel),
        products=len(products),
        files=files,
        calibration=calibration,
    )
