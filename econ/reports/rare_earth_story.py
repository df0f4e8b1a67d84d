"""The rare-earth page's story (the report's words over econ.models.rare_earths): its title and question
from the run's parameters, its three lead figures
computed once here (restricted US imports, the GDP loss with its range across σ, the magnets' share of the
restricted value), and the sentence that answers the question, generated from those figures.

Losses come in as `losses.loss_path` frames summed by σ ($ millions over the period); they are shown as a
share of one year's GDP (the tables' GDP), the central figure at the short-run middle of the grid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from econ import formatting, names
from econ.models.rare_earths import choice, facts
from econ.reports.headline import Figure

GROUP_NAMES: dict[str, str] = {
    "magnets": "Rare-earth permanent magnets",
    "compounds": "Rare-earth compounds",
    "metals": "Rare-earth metals",
    "gallium": "Gallium",
    "germanium": "Germanium",
    "antimony": "Antimony",
}
ECONOMY_NAMES: dict[str, str] = {
    "rare_earths": "Rare earths and magnets",
    "gallium_germanium": "Gallium and germanium",
    "antimony": "Antimony",
}
CENTRAL_SIGMA = 0.05
# Each study's scenario (`studies`) → its published figure in econ/data/anchors.csv (the same ids).
ANCHORS: tuple[str, ...] = (
    "usgs_2024_ga_ge", "usgs_2025_year_long", "ecb_2026_partial", "ecb_2026_near_total",
    "imf_2026_short_run", "imf_2026_long_run",
)  # fmt: skip


def anchor_of(scenario_id: str) -> list[str]:
    """The anchors a study's row of the reconciliation is read against."""
    found = {"usgs_2024_ga_ge": "usgs_2024_ga_ge_ban"}.get(scenario_id, scenario_id)
    return [found] if scenario_id in ANCHORS else []


def group_name(group: str) -> str:
    return GROUP_NAMES.get(group, group)


def origin_label(item: str) -> str:
    """An input of `choice.ModelInputs.origins` in words: "imports: magnets" → "US imports: Rare-earth
    permanent magnets"."""
    what, _, group = item.partition(": ")
    what = {"imports": "US imports"}.get(what, what)
    return f"{what}: {group_name(group)}" if group else what


def title(*, restriction: float, hypothesis_start: str) -> str:
    share = formatting.quantity(restriction, "percent", decimals=0)
    return (
        f"China's rare-earth controls: what was shipped, and {share} of China's supply withheld from "
        f"{formatting.day(hypothesis_start)}"
    )


def question(*, restriction: float) -> str:
    share = formatting.quantity(restriction, "percent", decimals=0)
    return (
        "What did China's rare-earth and critical-mineral export controls cost the US economy, and what "
        f"would withholding {share} of China's rare-earth supply cost, across elasticities of substitution?"
    )


def central_sigma(sigmas: list[float] | tuple[float, ...]) -> float:
    """The grid's elasticity nearest the short-run middle (0.05)."""
    return min(sigmas, key=lambda s: abs(s - CENTRAL_SIGMA))


def loss_figure(by_sigma: pd.Series, *, gdp_usd: float, label: str, period: str, note: str = "") -> Figure:
    """A loss over the period ($ millions by σ) as a share of one year's GDP ($ millions): the central σ
    and the range across the grid."""
    share = by_sigma / gdp_usd
    sigmas = [float(s) for s in share.index]
    return Figure(
        float(share.loc[central_sigma(sigmas)]),
        "percent",
        label=label,
        low=float(share.min()),
        high=float(share.max()),
        interval=f"across σ {min(sigmas):g}–{max(sigmas):g}",
        period=period,
        note=note or f"central figure at σ {central_sigma(sigmas):g}; share of one year's GDP",
        decimals=3,
    )


def lead_figures(
    composition: pd.DataFrame,
    *,
    chosen: choice.ModelInputs,
    hypothesis_loss: pd.Series,
    gdp_usd: float,
    base_year: int,
    restriction: float,
    hypothesis_start: str,
    period: str,
) -> dict[str, Figure]:
    """The page's three lead figures: the hypothesis's GDP loss (% of a year's GDP, its range across σ),
    restricted US imports ($), the magnets' share of the restricted value."""
    total = float(composition["value"].sum())
    assumed = chosen.assumed_groups
    where = {"imports": "Census", "world_trade": "UN Comtrade", "us_imports_2024": "the package's table"}
    note = f"from {where[chosen.imports_source]}"
    if assumed:
        note += f"; an assumption for {', '.join(group_name(g).lower() for g in assumed)}"
    magnets = float(composition["share_of_restricted"].get("magnets", 0.0))
    share = formatting.quantity(restriction, "percent", decimals=0)
    sigmas = [float(x) for x in hypothesis_loss.index]
    # The loss leads: it is what a grid over the restriction changes (the comparison page draws it).
    return {
        "hypothesis_gdp_loss": loss_figure(
            hypothesis_loss,
            gdp_usd=gdp_usd,
            label="Real GDP lost under the hypothetical restriction",
            period=period,
            note=f"{share} of China's rare-earth supply withheld from {formatting.day(hypothesis_start)}; "
            f"central figure at σ {central_sigma(sigmas):g}; share of one year's GDP",
        ),
        "restricted_imports": Figure(
            total, "usd", label="US imports in the controlled lines", period=str(base_year), note=note
        ),
        "magnet_share": Figure(
            magnets,
            "percent",
            label="Magnets' share of the controlled value",
            period=str(base_year),
            note="rare-earth permanent magnets, HS 8505.11",
        ),
    }


def bans_basis(paths: Mapping[str, Mapping[str, pd.DataFrame]]) -> str:
    """How the banned metals' observed paths were found: from data, or the ban as stated (an assumption)."""
    stated = [
        group
        for name, groups in paths.items()
        if name != "rare_earths"
        for group, frame in groups.items()
        if frame["china_basis"].str.startswith("assumption").any()
    ]
    return "the ban as stated (an assumption: no data has the months)" if stated else "the data's months"


def answer(lead: Mapping[str, Figure], *, observed: Figure, bans: Figure, bans_basis: str) -> str:
    """One sentence answering the question, from the figures it states."""
    loss = lead["hypothesis_gdp_loss"]
    return (
        f"China's rare-earth and magnet shipments as observed cost the US about {observed.text()} of a "
        f"year's GDP over the period, and the bans on gallium, germanium and antimony, taken from "
        f"{bans_basis}, {bans.text()}; the hypothesis costs {loss.text()}. The controlled lines were "
        f"{lead['restricted_imports'].shown()} of US imports, {lead['magnet_share'].shown()} of it magnets."
    )


def industry_name(code: str) -> str:
    """A BEA summary or detail industry by its title, the code after it; a code in neither list as it is."""
    schemes: tuple[names.Scheme, ...] = ("bea_summary", "bea_detail")
    for scheme in schemes:
        title = names.industry(code, scheme)
        if not title.startswith("BEA "):
            return f"{title} ({code})"
    return f"BEA industry {code}"


# The package's fact tables (econ/models/rare_earths/data) as a reader knows them.
FACT_TABLE_TITLES: dict[str, str] = {
    "rare_earth_parameters": "Model parameters",
    "magnet_exports": "China's magnet exports",
    "export_controls": "Export controls and commitments",
    "rare_earth_prices": "Rare-earth prices",
    "restricted_lines": "Controlled import lines",
    "end_uses": "End uses by industry",
    "exposed_lines": "Exposed industry lines",
    "studies": "Published studies",
    "us_imports_2024": "US imports, 2024",
    "world_trade_lines": "World trade lines",
}


# The destinations of China's magnet exports (``magnet_exports``) as the page says them.
DESTINATION_WORDS: dict[str, str] = {"united_states": "to the United States", "world": "to the world"}


def named_facts() -> pd.DataFrame:
    """`facts.shown()` with the model's parameters in words with their units, the magnet exports'
    destinations in words, the industries of ``end_uses`` and ``exposed_lines`` named, the controlled
    lines by description, the USGS price series its sources cite by code named with their units, and
    each table's title beside its name (``table_title``), for the page."""
    shown = facts.shown()
    # The model's parameters in words with their units, not by their codes ("inventory_weeks").
    by_parameter = shown["table"] == "rare_earth_parameters"
    shown.loc[by_parameter, "item"] = shown.loc[by_parameter, "item"].map(facts.parameter_words)
    by_export = shown["table"] == "magnet_exports"
    shown.loc[by_export, "item"] = [
        " · ".join(DESTINATION_WORDS.get(part, part) for part in item.split(" · "))
        for item in shown.loc[by_export, "item"]
    ]
    by_industry = shown["table"].isin(["end_uses", "exposed_lines"])
    shown.loc[by_industry, "item"] = [
        " · ".join(industry_name(part) if part[:3].isdigit() else part for part in item.split(" · "))
        for item in shown.loc[by_industry, "item"]
    ]
    # The controlled lines by their HTS description, the code in the HTS's dotted form beside it.
    lines = facts.table("restricted_lines")
    described = dict(zip(lines["hs"].astype(str), lines["description"], strict=True))
    by_line = shown["table"] == "restricted_lines"
    shown.loc[by_line, "item"] = [
        " · ".join(_line_name(part, described) for part in item.split(" · "))
        for item in shown.loc[by_line, "item"]
    ]
    shown["value"] = shown["value"].map(_fact_value)
    shown["source"] = shown["source"].map(price_series_named)
    shown.insert(1, "table_title", shown["table"].map(lambda name: FACT_TABLE_TITLES.get(name, name)))
    return shown


def _line_name(part: str, described: Mapping[str, str]) -> str:
    """ "8505110050" as "Permanent magnets of metal: sintered samarium-cobalt (HTS 8505.11.00.50)"; any
    other part of an item unchanged."""
    if part not in described:
        return part
    dotted = ".".join(p for p in (part[:4], part[4:6], part[6:8], part[8:10]) if p)
    return f"{described[part]} (HTS {dotted})"


# "rare earths (Price_Dy2O3_dkg)": a commodity as USGS titles its summary, then the variable's code
_PRICE_CODE = re.compile(r"(?P<commodity>[A-Za-z][A-Za-z -]*?) \((?P<code>Price_[A-Za-z0-9_.-]+)\)")


def price_series_named(text: str) -> str:
    """A source's text with each USGS price series it cites by code ("rare earths (Price_Dy2O3_dkg)")
    named with its unit ("rare earths (dysprosium oxide, $/kg)") through `econ.names.usgs_price_series`;
    a code the list does not know stays visible as "rare earths (USGS series CODE)"."""

    def named(match: re.Match[str]) -> str:
        commodity, code = match["commodity"], match["code"]
        series = names.usgs_price_series(commodity, code)
        return series if series.startswith(f"{commodity} (USGS series") else f"{commodity} ({series})"

    return _PRICE_CODE.sub(named, text)


def _fact_value(value: object) -> str:
    """A fact in its table's unit, for reading: large numbers in full with separators (170,500,000, not
    1.705e+08), small ones to four significant digits."""
    if not isinstance(value, float):
        return str(value)
    if value != value:  # NaN: a fact with no number (a text fact)
        return formatting.MISSING
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:.4g}"
