"""The model's inputs from the catalog: restricted imports by line and partner, USGS facts, the satellite row.

* `restricted_imports` — US imports (value and quantity) in the HTS lines under China's controls
  (`restricted_lines`, matched on the longest prefix), by group and partner, for a base year, from the
  ``imports`` panel (Census HS10);
* `composition` — each group's value, China's share and its share of the restricted total (magnets carry
  most of it: the report says so);
* `monthly_by_partner` — the same lines month by month, China against every other partner (rerouting);
* `mineral_facts` — from the ``minerals`` panel (USGS MCS): net import reliance (hence the imported share of
  supply), China's share of world output, the leading import sources, 2024 prices;
* `satellite_row` — the critical input by BEA industry ($ millions): each group's use (imports over the
  imported share of supply, i.e. imports plus domestic output) split by the `end_uses` shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models.rare_earths import facts

CHINA = "5700"  # Census country code
RARE_EARTH_GROUPS: tuple[str, ...] = ("magnets", "compounds", "metals")
MINOR_METAL_GROUPS: tuple[str, ...] = ("gallium", "germanium")
ALL_GROUPS: tuple[str, ...] = (*RARE_EARTH_GROUPS, "gallium", "germanium", "antimony")

# Group → USGS commodity of the minerals panel whose net import reliance gives the imported share.
USGS_COMMODITY: dict[str, str] = {
    "compounds": "rare earths",
    "metals": "rare earths",
    "gallium": "gallium",
    "germanium": "germanium",
    "antimony": "antimony",
}


def line_groups(hs10: pd.Series) -> pd.DataFrame:
    """For each HS10 code, the `restricted_lines` row it falls under (longest prefix): ``group`` (or "" when
    no row matches), ``controlled_from`` and the matched prefix ``line``."""
    lines = facts.table("restricted_lines")
    codes = hs10.astype(str).to_numpy()
    group = np.full(len(codes), "", dtype=object)
    since = np.full(len(codes), "", dtype=object)
    matched = np.full(len(codes), "", dtype=object)
    length = np.zeros(len(codes), dtype=int)
    for prefix, grp, start in zip(lines["hs"], lines["group"], lines["controlled_from"], strict=True):
        hit = np.char.startswith(codes.astype(str), prefix) & (len(prefix) > length)
        group[hit], since[hit], matched[hit], length[hit] = grp, start, prefix, len(prefix)
    return pd.DataFrame({"group": group, "controlled_from": since, "line": matched}, index=hs10.index)


def restricted_imports(imports: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """US imports in the controlled lines in ``year``, by ``group`` and ``partner`` (``partner_name``,
    ``value`` USD, ``quantity`` in the panel's unit, kilograms for these lines)."""
    _need(imports, ("hs10", "partner", "month", "value", "quantity"), "restricted_imports")
    data = imports[pd.to_datetime(imports["month"]).dt.year == year]
    groups = line_groups(data["hs10"])
    data = data.assign(group=groups["group"].to_numpy())
    data = data[data["group"].isin(ALL_GROUPS)]
    names = data["partner_name"] if "partner_name" in data.columns else data["partner"]
    data = data.assign(partner_name=names.astype(str))
    out = data.groupby(["group", "partner", "partner_name"], as_index=False, observed=True)[
        ["value", "quantity"]
    ].sum()
    return out.sort_values(["group", "value"], ascending=[True, False], ignore_index=True)


def composition(restricted: pd.DataFrame) -> pd.DataFrame:
    """By group: ``value`` (USD), ``china_value``, ``china_share`` and ``share_of_restricted`` (the group's
    share of all restricted value), largest first."""
    total = restricted.groupby("group")["value"].sum()
    china = restricted[restricted["partner"] == CHINA].groupby("group")["value"].sum()
    frame = pd.DataFrame({"value": total, "china_value": china.reindex(total.index, fill_value=0.0)})
    frame["china_share"] = frame["china_value"] / frame["value"].where(frame["value"] > 0)
    frame["share_of_restricted"] = frame["value"] / frame["value"].sum()
    return frame.sort_values("value", ascending=False)


def china_shares(restricted: pd.DataFrame) -> pd.Series:
    """China's share of US imports of each group (by value)."""
    return composition(restricted)["china_share"].fillna(0.0).rename("china_share")


def monthly_by_partner(imports: pd.DataFrame, *, groups: Sequence[str] = ALL_GROUPS) -> pd.DataFrame:
    """Month × group: ``china_value``, ``china_quantity``, ``other_value``, ``other_quantity``."""
    _need(imports, ("hs10", "partner", "month", "value", "quantity"), "monthly_by_partner")
    found = line_groups(imports["hs10"])["group"].to_numpy()
    data = imports.assign(group=found)
    data = data[data["group"].isin(list(groups))]
    side = np.where(data["partner"].astype(str) == CHINA, "china", "other")
    data = data.assign(side=side, month=pd.to_datetime(data["month"]).dt.to_period("M").dt.to_timestamp())
    frame = data.pivot_table(
        index=["month", "group"], columns="side", values=["value", "quantity"], aggfunc="sum", fill_value=0.0
    )
    frame.columns = [f"{pair[1]}_{pair[0]}" for pair in frame.columns]
    for column in ("china_value", "china_quantity", "other_value", "other_quantity"):
        if column not in frame.columns:
            frame[column] = 0.0
    return frame[["china_value", "china_quantity", "other_value", "other_quantity"]].reset_index()


def check_against_published(restricted: pd.DataFrame) -> pd.DataFrame:
    """The dataset's restricted imports beside the published 2024 figures (`us_imports_2024`): by group,
    world and China, ``dataset`` against ``published`` (USD) and their ratio."""
    published = facts.table("us_imports_2024")
    comp = composition(restricted)
    rows = []
    for record in published.to_dict(orient="records"):
        group, partner = record["group"], record["partner"]
        if group not in comp.index:
            have = 0.0
        else:
            have = float(comp.loc[group, "china_value" if partner == "china" else "value"])
        rows.append((group, partner, have, record["value_usd"], record["status"], record["source"]))
    frame = pd.DataFrame(rows, columns=["group", "partner", "dataset", "published", "status", "source"])
    frame["ratio"] = frame["dataset"] / frame["published"]
    return frame


def mineral_facts(minerals: pd.DataFrame) -> pd.DataFrame:
    """By group, from the minerals panel: ``net_import_reliance`` (percent) with its ``flag``, the
    ``import_share`` of US supply it implies (``>50`` is read as its bound, said in ``basis``),
    ``china_share_of_world_output`` (a fraction, latest year; for magnets that of rare-earth mining),
    ``import_sources`` (USGS's ranking)."""
    _need(minerals, ("commodity", "measure", "country", "year", "value", "flag", "text"), "mineral_facts")
    rows = []
    for group in ALL_GROUPS:
        commodity = USGS_COMMODITY.get(group, "")
        nir = _latest(minerals, commodity, "net_import_reliance") if commodity else None
        if group == "magnets" or nir is None:
            share = facts.parameter("import_share_magnets") if group == "magnets" else np.nan
            magnets = "package parameter: imported share of US magnet supply"
            basis = magnets if group == "magnets" else "no USGS figure"
            rows.append(
                (group, np.nan, "", share, basis, _china_output_share(minerals, "rare earths") / 100, "")
            )
            continue
        value, flag, text = nir
        basis = f"USGS net import reliance {flag}{value:g}%" + (" (a bound)" if flag else "")
        share = min(max(value / 100.0, 0.0), 1.0) if np.isfinite(value) else np.nan
        rows.append((group, value, flag, share, basis, _china_output_share(minerals, commodity) / 100, text))
    return pd.DataFrame(
        rows,
        columns=[
            "group", "net_import_reliance", "flag", "import_share", "basis", "china_share_of_world_output",
            "import_sources",
        ],
    ).set_index("group")  # fmt: skip


def world_shares(minerals: pd.DataFrame) -> pd.DataFrame:
    """China's share of the world supply each group is made from, with its ``basis``: magnets and
    rare-earth processing from `rare_earth_parameters` (USGS publishes mining shares only), gallium and
    antimony from the minerals panel (USGS world output), germanium from `rare_earth_parameters`."""
    processing = (facts.parameter("china_share_world_processing"), "package parameter: China's share of "
                  "rare-earth processing")  # fmt: skip
    rows = {
        "magnets": (facts.parameter("china_share_world_magnets"),
                    "package parameter: China's share of world magnet output"),
        "compounds": processing,
        "metals": processing,
        "germanium": (facts.parameter("china_share_world_germanium"),
                      "package parameter: China's share of world germanium output"),
    }  # fmt: skip
    for group in ("gallium", "antimony"):
        share = _china_output_share(minerals, USGS_COMMODITY[group]) / 100.0
        rows[group] = (
            (share, "USGS world output (minerals panel)") if np.isfinite(share) else (np.nan, "none")
        )
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["china_share_of_world", "basis"])
    return frame.reindex(list(ALL_GROUPS))


def _latest(minerals: pd.DataFrame, commodity: str, measure: str) -> tuple[float, str, str] | None:
    rows = minerals[(minerals["commodity"] == commodity) & (minerals["measure"] == measure)]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return None
    # The latest year; among its rows the one with USGS's list of import sources.
    row = rows.assign(has_text=rows["text"] != "").sort_values(["year", "has_text"]).iloc[-1]
    return float(row["value"]), str(row["flag"]), str(row["text"])


def _china_output_share(minerals: pd.DataFrame, commodity: str) -> float:
    rows = minerals[
        (minerals["commodity"] == commodity) & (minerals["measure"] == "china_share_of_world_output")
    ]
    rows = rows[rows["value"].notna()]
    return float(rows.sort_values("year")["value"].iloc[-1]) if len(rows) else np.nan


def satellite_row(
    imports_usd: Mapping[str, float] | pd.Series,
    *,
    import_shares: Mapping[str, float] | pd.Series,
    industries: Sequence[str],
    level: str = "summary",
    other: str = "OTHER",
) -> pd.Series:
    """The critical input by BEA industry, $ millions: each group's US use — imports over the imported share
    of supply — times its `end_uses` shares (detail or summary codes, as the tables are). In aggregated
    tables with an ``other`` industry (the embedded ten-industry tables), end uses in industries they do
    not have go there; otherwise such end uses are an error naming them."""
    values = pd.Series(imports_usd, dtype="float64")
    shares = pd.Series(import_shares, dtype="float64")
    uses = facts.table("end_uses")
    column = "detail" if level == "detail" else "industry"
    problems: list[tuple[str, str]] = []
    if (values < 0).any():
        problems.append(("imports_usd", "import values must be non-negative"))
    unknown = sorted(set(values.index) - set(uses["group"]))
    if unknown:
        problems.append(("imports_usd", f"no end uses for groups {unknown}"))
    bad_share = [g for g in values.index if not (0 < shares.get(g, np.nan) <= 1)]
    if bad_share:
        problems.append(("import_shares", f"need an imported share in (0, 1] for {bad_share}"))
    sums = uses.groupby("group")["share"].sum()
    off = sums[(sums - 1.0).abs() > 1e-9]
    if len(off):
        problems.append(("end_uses", f"shares do not sum to one for {list(off.index)}"))
    rows = uses[uses["group"].isin(values.index)]
    known = set(map(str, industries))
    codes = [code if code in known or other not in known else other for code in rows[column]]
    missing = sorted(set(codes) - known)
    if missing:
        problems.append(("industries", f"end-use industries not in the input-output tables: {missing}"))
    if problems:
        raise ParameterError(problems, context="satellite_row")
    use_value = values / shares.reindex(values.index)
    amounts = rows["share"].to_numpy() * use_value.reindex(rows["group"]).to_numpy() / 1e6
    return pd.Series(amounts, index=codes).groupby(level=0).sum().rename("critical_input")


def _need(frame: pd.DataFrame, columns: Sequence[str], context: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError([("frame", f"missing columns {missing}")], context=context)
