"""Reconciliation with the published estimates: each study's own scenario run through this model.

A study (`studies`) states its cut and what it falls on (``basis``): China's share of US imports, China's
share of the world supply the goods are made from (a ban on China's exports reaches US imports from third
countries made of Chinese material), or the economy's whole supply; the goods it covers (``groups``), its
horizon (``months``) and whether its elasticities are short- or long-run. Each is run on the network of its
goods, month by month through the same inventory step as the observed path, across the elasticity grid of
its horizon. The table gives their figure beside ours (the grid's range and middle), ours on the other basis,
the elasticity at which ours equals theirs, where theirs sits against ours in words and what differs.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from econ.errors import ParameterError
from econ.models.rare_earths import facts, losses, shock
from econ.models.rare_earths.economy import Economy


def studies() -> pd.DataFrame:
    """The published estimates and their scenario definitions (`studies`)."""
    return facts.table("studies")


Study = Mapping[Hashable, Any]
"""One row of `studies` as a mapping."""

BASES: tuple[str, ...] = ("us_imports", "world_output", "total")


def scenario_supply(study: Study, economy: Economy, *, basis: str | None = None) -> pd.Series:
    """Supply of each of the economy's groups relative to normal while the study's cut is in force (1 for
    groups the study does not cover). ``basis`` (the study's
    own unless given): ``us_imports`` — the cut falls on China's share of US imports (``1 − m c cut``);
    ``world_output`` — on China's share of the world supply the group is made from, so imports from third
    countries made of Chinese material fall too (``1 − m w cut``); ``total`` — on all supply (``1 − cut``)."""
    basis = str(study["basis"]) if basis is None else basis
    if basis not in BASES:
        raise ParameterError(
            [("basis", f"{basis!r} is not one of {', '.join(BASES)}")], context="scenario_supply"
        )
    covered = set(str(study["groups"]).split(";"))
    if not covered & set(economy.weights):
        raise ParameterError(
            [("groups", f"{study['groups']} not in this economy")], context="scenario_supply"
        )
    cut = float(study["cut"])
    out = {}
    for g in economy.weights:
        if g not in covered:
            out[g] = 1.0
        elif basis == "total":
            out[g] = 1.0 - cut
        else:
            share = economy.china_shares[g] if basis == "us_imports" else economy.world_shares[g]
            out[g] = 1.0 - economy.import_shares[g] * share * cut
    return pd.Series(out, name="supply")


def scenario_shortfall(
    study: Study,
    economy: Economy,
    *,
    inventory_weeks: float,
    restock_speed: float,
    basis: str | None = None,
) -> pd.Series:
    """The composite shortfall month by month over the study's horizon, stocks drawn first."""
    supply = scenario_supply(study, economy, basis=basis)
    period = pd.date_range(
        "2000-01-01", periods=int(float(study["months"])), freq="MS"
    )  # a horizon, not dates
    paths = {
        str(g): shock.inventory_path(
            pd.Series(s, index=period), inventory_weeks=inventory_weeks, restock_speed=restock_speed
        )
        for g, s in supply.items()
    }
    return shock.composite_shortfall(paths, economy.weights)


def _horizon_sigmas(study: Study, sigmas: Sequence[float]) -> list[float]:
    return losses.long_run(sigmas) if study["horizon"] == "long" else losses.short_run(sigmas)


def mean_loss(economy: Economy, shortfall: pd.Series, sigma: float) -> float:
    """The average loss of GDP over the months of a path (a fraction)."""
    return float(np.mean([economy.solver.row(float(s), sigma)["gdp_loss_share"] for s in shortfall]))


def reconcile(
    economies: Mapping[str, Economy],
    *,
    sigmas: Sequence[float] | None = None,
    inventory_weeks: float | None = None,
    restock_speed: float | None = None,
) -> pd.DataFrame:
    """One row per study: ``theirs_low/central/high`` in their unit, ``ours_low/ours_mid/ours_high`` over the
    elasticities of their horizon (``sigmas_used``), ``implied_sigma`` (ours equals their central figure),
    ``position`` and a one-sentence ``reason``. ``economies`` maps ``"rare_earths"`` and ``"minor_metals"``
    to their networks; a study whose goods have no economy gets NaN and a reason that says so."""
    grid = tuple(sigmas) if sigmas is not None else losses.sigma_grid()
    weeks = facts.parameter("inventory_weeks") if inventory_weeks is None else inventory_weeks
    speed = facts.parameter("restock_speed") if restock_speed is None else restock_speed
    rows = []
    for study in studies().to_dict(orient="records"):
        groups = set(str(study["groups"]).split(";"))
        economy = next((e for e in economies.values() if groups <= set(e.weights)), None)
        economy = economy or next((e for e in economies.values() if groups & set(e.weights)), None)
        used = _horizon_sigmas(study, grid)
        unit, scale = _unit(str(study["measure"]))
        record = {
            "study": study["study"],
            "scenario": study["scenario"],
            "measure": study["measure"],
            "theirs_low": study["low"],
            "theirs_central": study["central"],
            "theirs_high": study["high"],
            "sigmas_used": ", ".join(f"{s:g}" for s in used),
        }
        if economy is None:
            rows.append({**record, "ours_low": math.nan, "ours_mid": math.nan, "ours_high": math.nan,
                         "implied_sigma": math.nan, "position": "not run",
                         "reason": f"the dataset has no imports of {study['groups']}: not run"})  # fmt: skip
            continue
        path = scenario_shortfall(study, economy, inventory_weeks=weeks, restock_speed=speed)
        to_unit = scale * (economy.solver.calibrated.gdp_usd if unit == "usd" else 1.0)
        ours = [mean_loss(economy, path, s) * to_unit for s in used]
        middle = used[len(used) // 2]
        other = {"us_imports": "world_output", "world_output": "us_imports"}.get(str(study["basis"]))
        other_mid = math.nan
        if other is not None:
            other_path = scenario_shortfall(
                study, economy, inventory_weeks=weeks, restock_speed=speed, basis=other
            )
            other_mid = mean_loss(economy, other_path, middle) * to_unit
        implied = _implied(economy, path, float(study["central"]) / to_unit)
        position = _position(ours, study)
        said = f"implied σ {implied:.3g}" if math.isfinite(implied) else "no σ in [0.005, 5] gives theirs"
        if other is not None:
            said += f"; on China's share of {_BASIS_WORDS[other]} ours is {other_mid:.3g} at σ {middle:g}"
        rows.append(
            {
                **record,
                "basis": study["basis"],
                "mean_shortfall": float(path.mean()),
                "ours_low": min(ours),
                "ours_mid": ours[len(ours) // 2],
                "ours_high": max(ours),
                "ours_other_basis_mid": other_mid,
                "implied_sigma": implied,
                "position": position,
                "reason": f"{position} ({said}). {study['differences']}.",
                "status": study["status"],
                "source": study["source"],
            }
        )
    return pd.DataFrame(rows)


_BASIS_WORDS = {"us_imports": "US imports", "world_output": "world output"}


def _unit(measure: str) -> tuple[str, float]:
    if "$ billion" in measure:
        return "usd", 1e-3  # the tables are in $ millions
    return "share", 100.0


def _implied(economy: Economy, path: pd.Series, target: float) -> float:
    if not target > 0:
        return math.nan

    def gap(log_sigma: float) -> float:
        return math.log(max(mean_loss(economy, path, math.exp(log_sigma)), 1e-300)) - math.log(target)

    a, b = math.log(0.005), math.log(5.0)
    ga, gb = gap(a), gap(b)
    if ga * gb > 0:
        return math.nan
    return float(math.exp(brentq(gap, a, b, xtol=1e-3)))


def _position(ours: Sequence[float], study: Study) -> str:
    low = study["low"] if study["low"] == study["low"] else study["central"]
    high = study["high"] if study["high"] == study["high"] else study["central"]
    lo, hi = min(ours), max(ours)
    if float(low) == float(high) == 0.0:
        return "both negligible" if hi < 0.05 else "ours above theirs (theirs negligible)"
    if hi >= float(low) and lo <= float(high):
        return "ours spans theirs" if lo <= float(low) and hi >= float(high) else "ranges overlap"
    if lo > float(high):
        ratio = lo / float(high)
        return f"ours above theirs ({ratio:.1f}×)" + (" — next to it" if ratio < 2 else "")
    ratio = float(low) / hi if hi > 0 else math.inf
    return f"ours below theirs (÷{ratio:.1f})" + (" — next to it" if ratio < 2 else "")
