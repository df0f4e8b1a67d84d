"""From the catalog's frames to calibrated economies, and the observed shock path of each.

An `Economy` is one critical input — a composite of restricted groups with one price — on its own calibrated
network: the rare earths of 2025-04-04 (magnets, compounds, metals), gallium and germanium, antimony (the
ban of 2024-12-03). Its weights are the groups' US use (imports over the imported share of supply), its
shares come from the panels: China's share of US imports from the ``imports`` panel, the imported share of
supply from USGS's net import reliance (``minerals`` panel), China's share of world supply from the
minerals panel or `rare_earth_parameters`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models.rare_earths import facts, inputs, losses, network, shock
from econ.sources.bea import IOTable

ECONOMIES: dict[str, tuple[str, ...]] = {
    "rare_earths": inputs.RARE_EARTH_GROUPS,
    "gallium_germanium": inputs.MINOR_METAL_GROUPS,
    "antimony": ("antimony",),
}


@dataclass(frozen=True)
class Economy:
    """One calibrated network with what its critical input is made of."""

    name: str
    solver: losses.Solver
    weights: Mapping[str, float]  # group → US use, USD (imports over the imported share of supply)
    china_shares: Mapping[str, float]  # group → China's share of US imports
    import_shares: Mapping[str, float]  # group → imported share of US supply
    world_shares: Mapping[str, float]  # group → China's share of the world supply it is made from

    @property
    def calibrated(self) -> network.Calibrated:
        return self.solver.calibrated

    @property
    def groups(self) -> list[str]:
        return list(self.weights)

    @property
    def import_share(self) -> float:
        """The imported share of the composite's supply (use-weighted)."""
        w = pd.Series(self.weights)
        return float((w * pd.Series(self.import_shares)).sum() / w.sum())

    @property
    def china_share(self) -> float:
        """China's share of the composite's imports (import-weighted)."""
        w = pd.Series(self.weights) * pd.Series(self.import_shares)
        return float((w * pd.Series(self.china_shares)).sum() / w.sum())


def build_economies(
    restricted: pd.DataFrame,
    minerals: pd.DataFrame,
    *,
    use: IOTable,
    make: IOTable,
    imports: IOTable | None,
) -> dict[str, Economy]:
    """An economy for each set of groups the dataset imports (`inputs.restricted_imports` of the base
    year); sets with no imports are left out (the report says so)."""
    comp = inputs.composition(restricted)
    value_of = {str(g): float(v) for g, v in comp["value"].items()}
    china_of = {str(g): float(v) for g, v in comp["china_share"].fillna(0.0).items()}
    import_of = {str(g): float(v) for g, v in inputs.mineral_facts(minerals)["import_share"].items()}
    world_of = {str(g): float(v) for g, v in inputs.world_shares(minerals)["china_share_of_world"].items()}
    out: dict[str, Economy] = {}
    for name, groups in ECONOMIES.items():
        present = [g for g in groups if value_of.get(g, 0.0) > 0]
        if not present:
            continue
        shares = {g: import_of.get(g, np.nan) for g in present}
        missing = [g for g, s in shares.items() if not (0 < s <= 1)]
        if missing:
            raise ParameterError(
                [("minerals", f"no net import reliance for {missing}: is the minerals panel complete?")],
                context="build_economies",
            )
        values = {g: value_of[g] for g in present}
        satellite = inputs.satellite_row(
            values, import_shares=shares, industries=use.industries, level=use.level
        )
        weights = {g: values[g] / shares[g] for g in present}
        imported = sum(values.values()) / sum(weights.values())
        calibrated = network.calibrate(
            use, make, satellite, groups=present, import_share=imported, imports=imports
        )
        out[name] = Economy(
            name=name,
            solver=losses.Solver(calibrated),
            weights=weights,
            china_shares={g: china_of[g] for g in present},
            import_shares=shares,
            world_shares={g: world_of.get(g, np.nan) for g in present},
        )
    return out


def stated_index(group: str, period: pd.DatetimeIndex) -> tuple[pd.Series, np.ndarray]:
    """China's shipments of ``group`` over its pre-control level where no data has the months — an
    assumption, said in the basis: a banned group is not shipped at all from its ban; a licensed
    rare-earth group moves with China's magnet exports to the US (customs figures; the same licences)."""
    kinds = facts.table("export_controls")
    banned = kinds[(kinds["kind"] == "ban") & kinds["groups"].str.split(";").apply(lambda g: group in g)]
    if len(banned):
        since = pd.Timestamp(str(banned["date"].min())).to_period("M").to_timestamp()
        index = pd.Series(np.where(period >= since, 0.0, 1.0), index=period)
        return index, np.full(len(period), "assumption: the ban as stated, nothing shipped", dtype=object)
    customs = shock.china_index(period)
    basis = ("assumption: China's magnet exports to the US (" + customs["basis"] + ")").to_numpy()
    return customs["index"], basis


def observed_paths(
    economy: Economy,
    monthly: pd.DataFrame,
    period: Iterable[pd.Timestamp],
    *,
    base_year: int,
    inventory_weeks: float | None = None,
    restock_speed: float | None = None,
    rerouting: float | None = None,
) -> dict[str, pd.DataFrame]:
    """Group by group, month by month: ``china_index`` and its ``basis`` (China's customs figures for
    magnets, the imports panel otherwise), ``other_index`` (other partners, from the panel: rerouting as
    data; NaN where the panel has no such month, then ``rerouting`` stands in), ``supply`` and the inventory
    step (`shock.inventory_path`) down to the ``shortfall``. Before a group's control both indexes are 1."""
    weeks = facts.parameter("inventory_weeks") if inventory_weeks is None else inventory_weeks
    speed = facts.parameter("restock_speed") if restock_speed is None else restock_speed
    reroute = facts.parameter("rerouting") if rerouting is None else rerouting
    index = pd.DatetimeIndex(list(period))
    lines = facts.table("restricted_lines")
    out = {}
    for group in economy.groups:
        since = min(str(day) for day in lines.loc[lines["group"] == group, "controlled_from"])
        start = pd.Timestamp(since).to_period("M").to_timestamp()
        panel = shock.panel_index(monthly, group=group, base_year=base_year).reindex(index)
        if group == "magnets":
            customs = shock.china_index(index)
            china = customs["index"]
            basis = ("China customs: " + customs["basis"]).to_numpy()
        elif panel["china"].notna().any():
            china = panel["china"].ffill().fillna(1.0)
            basis = np.where(panel["china"].notna(), "imports panel", "last month carried forward")
        else:
            china, basis = stated_index(group, index)
        before = index < start
        china = china.where(~before, 1.0)
        other = panel["other"].where(~before, 1.0)
        measured = other.notna().any() and bool((~before & other.notna()).any())
        supply = shock.supply_path(
            china,
            china_share=economy.china_shares[group],
            import_share=economy.import_shares[group],
            other=other if measured else None,
            rerouting=reroute,
        )
        path = shock.inventory_path(supply, inventory_weeks=weeks, restock_speed=speed)
        path.insert(0, "china_index", china.to_numpy())
        path.insert(1, "china_basis", np.where(before, "before the control", basis))
        path.insert(2, "other_index", other.to_numpy() if measured else np.nan)
        out[group] = path
    return out
