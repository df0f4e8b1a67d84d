"""Which data the rare-earth model stands on, chosen in a fixed order, with where each input came from.

The restricted US imports by group and partner come from the first of:

1. the ``imports`` panel (Census HS10 × partner × month), when it holds any controlled line in the base
   year — the HTS lines of `restricted_lines`, matched on the longest prefix (`inputs.restricted_imports`);
2. the ``world_trade`` panel (UN Comtrade), US imports in the HS codes of `world_trade_lines` — for each
   group the most detailed code the records have (a heading that also holds uncontrolled goods is an
   assumption, said so); China against all other partners; groups Comtrade cannot tell apart (gallium and
   germanium share 8112.92) from the package table below;
3. the package's sourced 2024 table (`us_imports_2024`): an **assumption** of the report, flagged as one.

The monthly flows behind the observed shock path come from the same source (Census months, or Comtrade's
monthly records); with none, `economy.observed_paths` says what stands in. USGS's net import reliance and
China's shares always come from the ``minerals`` panel, the economy from the input-output tables the
catalog gives (BEA's 71 summary industries when built from BEA's files). `origins` lists each input, the
data it came from and whether it is an assumption, for the report to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.models.rare_earths import facts, inputs

OTHER = "other"  # the partner code of "all other partners" where a source gives only China and the world
OTHER_NAME = "All other partners"
SOURCES: tuple[str, ...] = ("imports", "world_trade", "us_imports_2024")
SOURCE_WORDS: dict[str, str] = {
    "imports": "Census imports by HS10 line and partner (the imports panel)",
    "world_trade": "UN Comtrade, US imports by HS code (the world_trade panel)",
    "us_imports_2024": "the package's sourced table of 2024 US imports — an assumption",
    "minerals": "USGS Mineral Commodity Summaries (the minerals panel)",
    "rare_earth_parameters": "the package's sourced parameters (listed at the end of the page)",
    "io_tables": "the input-output tables",
}
"""Where an input came from, in words (the keys are `ModelInputs.origins`' ``source`` column)."""
_US = ("USA", "842")
_CHINA = ("CHN", "156")
_WORLD = ("W00", "WLD", "0", "World")
_IMPORT_FLOWS = ("M", "Import", "Imports")
MONTHLY_COLUMNS = ["month", "group", "china_value", "china_quantity", "other_value", "other_quantity"]


@dataclass(frozen=True)
class ModelInputs:
    """What the model runs on: restricted imports (``group``, ``partner``, ``partner_name``, ``value`` USD,
    ``quantity`` kg), their months (`inputs.monthly_by_partner`'s shape, empty when no source has months),
    the minerals panel's facts, and ``origins`` — one row per input: ``input``, ``source``, ``detail``,
    ``assumption`` (bool)."""

    restricted: pd.DataFrame
    monthly: pd.DataFrame
    minerals: pd.DataFrame
    origins: pd.DataFrame
    imports_source: str  # one of SOURCES: where the base-year values came from (most of them)

    @property
    def assumed_groups(self) -> list[str]:
        """Groups whose imports are the package's table or a heading standing for the controlled goods."""
        rows = self.origins[self.origins["assumption"] & self.origins["input"].str.startswith("imports: ")]
        return [name.removeprefix("imports: ") for name in rows["input"]]


def choose_inputs(
    *,
    year: int,
    minerals: pd.DataFrame,
    imports: pd.DataFrame | None = None,
    world_trade: pd.DataFrame | None = None,
    io_source: str = "",
    io_industries: int | None = None,
) -> ModelInputs:
    """The model's inputs for base ``year`` from the panels the dataset has (None where it has none), in the
    order of the module docstring, with their origins."""
    origins: list[tuple[str, str, str, bool]] = []
    monthly = pd.DataFrame(columns=MONTHLY_COLUMNS)
    restricted = pd.DataFrame()
    source = "us_imports_2024"
    if imports is not None and len(imports):
        found = inputs.restricted_imports(imports, year=year)
        if len(found):
            restricted, source = found, "imports"
            monthly = inputs.monthly_by_partner(imports)
            for group in found["group"].unique():
                origins.append((f"imports: {group}", "imports", _partners_detail(found, group, year), False))
    if source != "imports" and world_trade is not None and len(world_trade):
        found, codes = world_trade_imports(world_trade, year=year)
        if len(found):
            restricted, source = found, "world_trade"
            monthly = world_trade_monthly(world_trade, codes=codes)
            lines = facts.table("world_trade_lines").set_index("hs")
            for group, code in codes.items():
                status = str(lines.loc[code, "status"])
                detail = f"HS {code}: {lines.loc[code, 'description']!s}, {year}"
                only_china = set(found.loc[found["group"] == group, "partner"]) == {inputs.CHINA}
                if only_china:  # the records name no other partner: theirs from the package's table
                    other = package_imports(groups=[group])
                    found = pd.concat([found, other[other["partner"] == OTHER]], ignore_index=True)
                    detail += "; other partners from the package's 2024 table (the records give China only)"
                origins.append(
                    (f"imports: {group}", "world_trade", detail, status == "assumption" or only_china)
                )
            restricted = found
    if source == "us_imports_2024" and world_trade is not None and len(world_trade):
        held = ", ".join(sorted(set(world_trade["commodity"].astype(str)))[:6])
        origins.append(("imports: UN Comtrade", "world_trade",
                        "present, but no US imports in the HS codes that stand for the groups "
                        f"(it holds HS {held})",
                        False))  # fmt: skip
    have = set(restricted["group"]) if len(restricted) else set()
    missing = [g for g in inputs.ALL_GROUPS if g not in have]
    if missing and source != "imports":
        table = package_imports(groups=missing)
        restricted = pd.concat([restricted, table], ignore_index=True) if len(restricted) else table
        for group in missing:
            origins.append(
                (f"imports: {group}", "us_imports_2024", f"2024 figures for base year {year}", True)
            )
    facts_frame = inputs.mineral_facts(minerals)
    for group, row in facts_frame.iterrows():
        from_usgs = np.isfinite(row["net_import_reliance"])
        origins.append(
            (f"imported share: {group}", "minerals" if from_usgs else "rare_earth_parameters", row["basis"],
             not from_usgs and group != "magnets")
        )  # fmt: skip
    shares = inputs.world_shares(minerals)
    for group, row in shares.iterrows():
        from_usgs = row["basis"].startswith("USGS")
        origins.append((f"China's share of world supply: {group}", "minerals" if from_usgs else
                        "rare_earth_parameters", row["basis"], False))  # fmt: skip
    if io_source:
        level = f"{io_industries} industries" if io_industries else ""
        origins.append(
            ("input-output tables", "io_tables", f"{io_source} ({level})".replace(" ()", ""), False)
        )
    frame = pd.DataFrame(origins, columns=["input", "source", "detail", "assumption"])
    return ModelInputs(
        restricted=restricted.sort_values(["group", "value"], ascending=[True, False], ignore_index=True),
        monthly=monthly,
        minerals=facts_frame,
        origins=frame,
        imports_source=source,
    )


def world_trade_imports(world_trade: pd.DataFrame, *, year: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """US imports in ``year`` by group (China and all other partners) from Comtrade records, and the HS code
    used for each group (the longest of `world_trade_lines` the records hold). Annual records where there
    are any, else the year's monthly records summed."""
    rows = _us_imports(world_trade)
    if rows.empty:
        return package_imports(groups=()), {}
    annual = rows[(rows["frequency"] == "A") & (rows["period"] == str(year))]
    monthly = rows[(rows["frequency"] == "M") & rows["period"].str.startswith(f"{year}-")]
    out, codes = [], {}
    for group, code in _codes(rows).items():
        pick = annual[annual["commodity"] == code]
        if pick.empty:
            pick = monthly[monthly["commodity"] == code]
        if pick.empty:
            continue
        codes[group] = code
        out.extend(_china_and_other(group, pick))
    frame = pd.DataFrame(out, columns=["group", "partner", "partner_name", "value", "quantity"])
    return frame, codes


def world_trade_monthly(world_trade: pd.DataFrame, *, codes: dict[str, str]) -> pd.DataFrame:
    """The groups' monthly Comtrade records in `inputs.monthly_by_partner`'s shape (empty without them)."""
    rows = _us_imports(world_trade)
    rows = rows[rows["frequency"] == "M"]
    out = []
    for group, code in codes.items():
        for period, month in rows[rows["commodity"] == code].groupby("period"):
            values = {r[1]: (r[3], r[4]) for r in _china_and_other(group, month)}
            china, other = values.get(inputs.CHINA, (0.0, 0.0)), values.get(OTHER, (np.nan, np.nan))
            out.append((pd.Timestamp(f"{period}-01"), group, china[0], china[1], other[0], other[1]))
    return pd.DataFrame(out, columns=MONTHLY_COLUMNS)


def package_imports(*, groups: tuple[str, ...] | list[str] = inputs.ALL_GROUPS) -> pd.DataFrame:
    """The package's 2024 figures (`us_imports_2024`) for ``groups``: China and all other partners."""
    table = facts.table("us_imports_2024")
    out = []
    for group in groups:
        rows = table[table["group"] == group]
        values = dict(zip(rows["partner"], rows["value_usd"], strict=True))
        weights = dict(zip(rows["partner"], rows["quantity_kg"], strict=True))
        if "world" not in values:
            continue
        china_value = float(values.get("china", 0.0))
        china_q = float(weights.get("china", np.nan))
        out.append((group, inputs.CHINA, "China", china_value, china_q))
        out.append((group, OTHER, OTHER_NAME, float(values["world"]) - china_value,
                    float(weights["world"]) - china_q))  # fmt: skip
    return pd.DataFrame(out, columns=["group", "partner", "partner_name", "value", "quantity"])


def _us_imports(world_trade: pd.DataFrame) -> pd.DataFrame:
    lines = set(facts.table("world_trade_lines").query("group != ''")["hs"])
    keep = (
        world_trade["reporter"].isin(_US)
        & world_trade["flow"].isin(_IMPORT_FLOWS)
        & world_trade["commodity"].isin(lines)
    )
    return world_trade[keep]


def _codes(rows: pd.DataFrame) -> dict[str, str]:
    """For each group, the most detailed `world_trade_lines` code the records hold."""
    lines = facts.table("world_trade_lines")
    lines = lines[(lines["group"] != "") & lines["hs"].isin(set(rows["commodity"]))]
    lines = lines.assign(length=lines["hs"].str.len()).sort_values("length", ascending=False)
    return {str(g): str(frame["hs"].iloc[0]) for g, frame in lines.groupby("group", sort=False)}


def _china_and_other(group: str, rows: pd.DataFrame) -> list[tuple[str, str, str, float, float]]:
    china = rows[rows["partner"].isin(_CHINA)]
    world = rows[rows["partner"].isin(_WORLD) | rows["partner_name"].isin(_WORLD)]
    others = rows[~rows.index.isin(china.index) & ~rows.index.isin(world.index)]
    weight = rows["net_weight_kg"].where(rows["net_weight_kg"].notna(), rows["quantity"])
    china_v, china_q = float(china["value"].sum()), float(weight[china.index].sum())
    if len(world):
        other_v = float(world["value"].sum()) - china_v
        other_q = float(weight[world.index].sum()) - china_q
    else:
        other_v, other_q = float(others["value"].sum()), float(weight[others.index].sum())
    out = [(group, inputs.CHINA, "China", china_v, china_q)]
    if len(world) or len(others):
        out.append((group, OTHER, OTHER_NAME, other_v, other_q))
    return out


def _partners_detail(found: pd.DataFrame, group: str, year: int) -> str:
    rows = found[found["group"] == group]
    return f"{len(rows)} partners, {year}"
