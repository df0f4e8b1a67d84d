"""China's rare-earth and critical-mineral export controls: exposure, shock path, losses, compliance.

The chain, one function per step:

1. ``satellite_row`` — a critical-input row for the input-output table: US imports in the restricted HS
   lines (rare-earth metals 2805.30, compounds 2846, permanent magnets 8505.11; gallium/germanium 8112.92
   and antimony 8110.10 for the December 2024 ban) split over BEA industries by end-use shares.
2. ``exposure`` — per industry: the critical input per dollar of output (direct requirement), per dollar
   of final demand (total requirement, through the industry-by-industry network), and value added.
3. ``shock_path`` — by month and element: the share of China's supply restricted, China's share of US
   supply, rerouting through third countries and the weeks of inventory drawn down, giving the shortfall.
4. ``loss_grid`` / ``loss_path`` — output losses by industry and in total from the CES network of
   `econ.models.ces`, solved exactly over a grid of elasticities of substitution, beside Hulten's
   first-order effect.
5. ``compliance`` — shipments against the pre-control baseline and an agreed level, month by month.
6. ``comparison`` — the model beside the published estimates of FACTS §5 (USGS, ECB, IMF).

Defaults marked *assumption* below are not published figures: end-use shares (USGS gives only the ranking
of rare-earth end uses — catalysts, then ceramics and glass, metallurgy and alloys, polishing), element value
weights and the China shares of gallium, germanium, antimony and scandium. Pass your own to override.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models import ces, io
from econ.sources.bea import IOTable

RARE_EARTH_HS: tuple[str, ...] = ("280530", "2846", "850511")
MINOR_METAL_HS: tuple[str, ...] = ("811292", "811010")

APRIL_2025 = date(2025, 4, 4)
DECEMBER_2024 = date(2024, 12, 3)

# Elements under control. china_share: China's share of US supply. Rare earths: USGS MCS 2025, imports of
# rare-earth compounds and metals 2020–23, China 70% (Y: China first of two sources, same share assumed).
# Scandium (Japan, China, Philippines), gallium (Japan, China, …), germanium (Belgium, Canada, China, …) and
# antimony (China first, 85% import reliance): China's share is an *assumption* from USGS's ranking.
# value_weight: share of the element in its group's import value — an *assumption* (heavy rare earths Dy
# and Tb dominate magnet value).
ELEMENTS = pd.DataFrame(
    [
        ("Sm", "samarium", "rare_earth", APRIL_2025, 0.70, 0.10),
        ("Gd", "gadolinium", "rare_earth", APRIL_2025, 0.70, 0.10),
        ("Tb", "terbium", "rare_earth", APRIL_2025, 0.70, 0.25),
        ("Dy", "dysprosium", "rare_earth", APRIL_2025, 0.70, 0.35),
        ("Lu", "lutetium", "rare_earth", APRIL_2025, 0.70, 0.05),
        ("Sc", "scandium", "rare_earth", APRIL_2025, 0.30, 0.05),
        ("Y", "yttrium", "rare_earth", APRIL_2025, 0.70, 0.10),
        ("Ga", "gallium", "minor_metal", DECEMBER_2024, 0.25, 0.45),
        ("Ge", "germanium", "minor_metal", DECEMBER_2024, 0.20, 0.25),
        ("Sb", "antimony", "minor_metal", DECEMBER_2024, 0.60, 0.30),
    ],
    columns=["element", "name", "group", "controlled_from", "china_share", "value_weight"],
).set_index("element")

# End uses by BEA summary industry — *assumption*, ordered as USGS MCS 2025 ranks them; magnets follow
# FACTS §4's magnet-using industries. Shares sum to one within each HS line.
DEFAULT_END_USES = pd.DataFrame(
    [
        ("850511", "3361MV", 0.35),
        ("850511", "335", 0.20),
        ("850511", "334", 0.15),
        ("850511", "333", 0.15),
        ("850511", "3364OT", 0.10),
        ("850511", "339", 0.05),
        ("2846", "325", 0.55),
        ("2846", "327", 0.20),
        ("2846", "331", 0.10),
        ("2846", "334", 0.10),
        ("2846", "3361MV", 0.05),
        ("280530", "331", 0.50),
        ("280530", "332", 0.30),
        ("280530", "334", 0.20),
        ("811292", "334", 0.70),
        ("811292", "3364OT", 0.20),
        ("811292", "335", 0.10),
        ("811010", "325", 0.50),
        ("811010", "335", 0.40),
        ("811010", "3364OT", 0.10),
    ],
    columns=["hs", "industry", "share"],
)

# FACTS §5: published estimates (validation targets).
PUBLISHED = pd.DataFrame(
    [
        (
            "USGS OFR 2024-1057",
            "total Chinese ban on gallium and germanium",
            "US GDP, $ billion",
            1.7,
            3.4,
            9.0,
        ),
        (
            "ECB (2026)",
            "18-month partial restriction calibrated to April–May 2025",
            "% of US output",
            0.3,
            0.45,
            0.6,
        ),
        (
            "ECB (2026)",
            "near-total ban, very low substitutability",
            "% of US output",
            math.nan,
            2.0,
            math.nan,
        ),
        (
            "IMF WP 2026/073",
            "80% cut in rare-earth supply, short-run elasticities",
            "% of US GDP",
            math.nan,
            1.5,
            math.nan,
        ),
        (
            "IMF WP 2026/073",
            "80% cut in rare-earth supply, long-run elasticities",
            "% of US GDP",
            math.nan,
            0.0,
            math.nan,
        ),
    ],
    columns=["study", "scenario", "measure", "low", "central", "high"],
)

# FACTS §4: China's exports of rare-earth permanent magnets (HS 8505.11) to the US, tonnes, with the
# year-on-year change where the press reported it.
MAGNET_EXPORTS_TO_US = pd.DataFrame(
    {
        "month": pd.to_datetime(["2025-05-01", "2025-06-01", "2025-07-01"]),
        "tonnes": [46.4, 353.0, 619.0],
        "yoy_change": [-0.93, math.nan, 0.05],
    }
)

WEEKS_PER_MONTH = 52.0 / 12.0
DEFAULT_SIGMAS: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)


# --------------------------------------------------------------------------------------------------------
# 1–2. Satellite row and exposure


def imports_by_hs(
    frame: pd.DataFrame, *, codes: Sequence[str] = RARE_EARTH_HS, year: int | None = None
) -> pd.Series:
    """Import value (USD) in each restricted HS line from the `imports` panel (hs10, month, value)."""
    missing = [c for c in ("hs10", "value") if c not in frame.columns]
    if missing:
        raise ParameterError([("frame", f"missing columns {missing}")], context="imports_by_hs")
    data = frame
    if year is not None:
        if "month" not in frame.columns:
            raise ParameterError([("frame", "no month column to select the year")], context="imports_by_hs")
        data = frame[pd.to_datetime(frame["month"]).dt.year == year]
    hs10 = data["hs10"].astype("str")
    out = {code: float(data.loc[hs10.str.startswith(code), "value"].sum()) for code in codes}
    return pd.Series(out, name="imports_usd")


def satellite_row(
    imports_usd: Mapping[str, float] | pd.Series,
    *,
    end_uses: pd.DataFrame = DEFAULT_END_USES,
    industries: Sequence[str] | None = None,
    other: str = "OTHER",
) -> pd.Series:
    """The critical-input row ($ millions, BEA's unit) by BEA industry: each HS line's imports times its
    end-use shares. With ``industries`` (the codes of an aggregated table), end uses outside them are
    folded into ``other``."""
    values = pd.Series(imports_usd, dtype="float64")
    problems: list[tuple[str, str]] = []
    if (values < 0).any():
        problems.append(("imports_usd", "import values must be non-negative"))
    unknown = sorted(set(values.index) - set(end_uses["hs"]))
    if unknown:
        problems.append(("imports_usd", f"no end-use shares for HS {unknown}"))
    sums = end_uses.groupby("hs")["share"].sum()
    bad = sums[(sums - 1.0).abs() > 1e-9]
    if len(bad):
        problems.append(("end_uses", f"shares do not sum to one for HS {list(bad.index)}"))
    if industries is not None and other not in industries:
        problems.append(("other", f"{other!r} is not one of the industries"))
    if problems:
        raise ParameterError(problems, context="satellite_row")
    rows = end_uses[end_uses["hs"].isin(values.index)]
    if industries is not None:
        known = set(industries)
        rows = rows.assign(industry=[code if code in known else other for code in rows["industry"]])
    amounts = rows["share"].to_numpy() * values.reindex(rows["hs"]).to_numpy() / 1e6
    return (
        pd.Series(amounts, index=rows["industry"].to_numpy()).groupby(level=0).sum().rename("critical_input")
    )


def network_from_bea(use: IOTable, make: IOTable, satellite: pd.Series) -> ces.Network:
    """Calibrate the CES network (industry × industry) from BEA tables and a satellite row.

    Spending of industry j on industry i's output is ``(D U)_ij`` (market shares × use); its cost share is
    that over output ``g_j``. Value added, scrap and noncomparable imports (which no domestic industry
    makes) form the labour share; negative cells are set to zero. Household shares are final uses other
    than imports (``F050``), mapped to industries by market shares, negatives (inventory draw-downs) set to
    zero. The critical input's share is ``satellite_j / g_j``; it is carved out of the industry's costs in
    proportion.
    """
    c = io.coefficients(use, make)
    unknown = sorted(set(satellite.index) - set(c.industries))
    if unknown:
        raise ParameterError(
            [("satellite", f"industries not in the Use table: {unknown}")], context="network"
        )
    U = use.matrix.to_numpy("float64")
    spend = c.D @ U  # supplier industry × buyer industry
    g = np.where(c.g > 0, c.g, 1.0)
    # A few cells of the Use table are negative (sales of used goods, government enterprises' own use);
    # a cost share cannot be, so they are set to zero and their value left with labour.
    goods = np.clip((spend / g[np.newaxis, :]).T, 0.0, None)
    labour = 1.0 - goods.sum(axis=1)
    fd_cols = [col for col in use.final_demand.columns if col != io.IMPORTS_COLUMN]
    final_c = use.final_demand[fd_cols].sum(axis=1).clip(lower=0.0).to_numpy("float64")
    final = np.clip(c.D @ final_c, 0.0, None)
    final = final / final.sum()
    alpha = satellite.reindex(c.industries, fill_value=0.0).to_numpy("float64") / g
    if np.any(alpha >= 1):
        raise ParameterError(
            [("satellite", "critical input exceeds an industry's output")], context="network"
        )
    return ces.Network(industries=c.industries, goods=goods, labour=labour, critical=alpha, final=final)


def exposure(use: IOTable, make: IOTable, satellite: pd.Series) -> pd.DataFrame:
    """Per BEA industry: ``output`` and ``value_added`` ($ millions), ``critical_input`` ($ millions),
    ``direct_requirement`` (critical input per dollar of output) and ``total_requirement`` (per dollar of the
    industry's output delivered to final users, ``αᵀ (I − A)⁻¹`` with ``A`` the industry-by-industry cost
    shares), sorted by total requirement."""
    network = network_from_bea(use, make, satellite)
    c = io.coefficients(use, make)
    A = ((1.0 - network.critical)[:, None] * network.goods).T  # input of i per dollar of j
    n = len(c.industries)
    total = np.linalg.solve((np.eye(n) - A).T, network.critical)
    va = use.value_added.sum(axis=0).reindex(c.industries, fill_value=0.0)
    frame = pd.DataFrame(
        {
            "name": [use.names.get(code, make.names.get(code, "")) for code in c.industries],
            "output": c.g,
            "value_added": va.to_numpy(),
            "critical_input": satellite.reindex(c.industries, fill_value=0.0).to_numpy(),
            "direct_requirement": network.critical,
            "total_requirement": total,
        },
        index=c.industries,
    )
    return frame.sort_values("total_requirement", ascending=False)


# --------------------------------------------------------------------------------------------------------
# 3. Shock path


def shock_path(
    months: Iterable[str | pd.Timestamp | date],
    *,
    elements: Sequence[str] | None = None,
    restriction: float | Mapping[str, float] | pd.Series = 1.0,
    china_share: Mapping[str, float] | None = None,
    rerouting: float | pd.Series = 0.0,
    inventory_weeks: float = 8.0,
) -> pd.DataFrame:
    """Month × element shortfall of supply to the US.

    ``restriction``: share of China's supply withheld while the control is in force — a number, one per
    element, or a Series by month (a path: licences granted after June lower it). Before the control date
    it is zero; in the month the control starts it is prorated by days. ``gap = restriction × china_share ×
    (1 − rerouting)``. Inventories (``inventory_weeks`` of normal use, per element) absorb the gap until
    they run out, without restocking; ``shortfall`` is what inventories do not cover (a fraction of normal
    monthly supply).
    """
    table = ELEMENTS
    chosen = list(table.index) if elements is None else list(elements)
    problems: list[tuple[str, str]] = []
    unknown = [e for e in chosen if e not in table.index]
    if unknown:
        problems.append(("elements", f"unknown element(s) {unknown}; known: {', '.join(table.index)}"))
    shares = dict(table["china_share"])
    if china_share is not None:
        for element, value in china_share.items():
            if element not in table.index:
                problems.append(("china_share", f"unknown element {element!r}"))
            elif not 0.0 <= value <= 1.0:
                problems.append(("china_share", f"{element}: {value} must lie in [0, 1]"))
            else:
                shares[element] = float(value)
    month_index = pd.DatetimeIndex([pd.Timestamp(m).to_period("M").to_timestamp() for m in months])
    if len(month_index) == 0 or month_index.has_duplicates or not month_index.is_monotonic_increasing:
        problems.append(("months", "give distinct months in increasing order"))
    restriction_of = _restriction_lookup(restriction, chosen, month_index, problems)
    reroute = _month_series(rerouting, month_index, "rerouting", problems)
    if not (inventory_weeks >= 0 and math.isfinite(inventory_weeks)):
        problems.append(("inventory_weeks", f"{inventory_weeks} must be a non-negative number of weeks"))
    if problems:
        raise ParameterError(problems, context="shock_path")

    records = []
    for element in chosen:
        start = pd.Timestamp(table.loc[element, "controlled_from"])
        stock = inventory_weeks
        for month in month_index:
            days = month.days_in_month
            end = month + pd.offsets.MonthEnd(0)
            in_force = 0.0 if start > end else min(1.0, (end - start).days / days + 1.0 / days)
            restricted = in_force * restriction_of(element, month)
            gap = restricted * shares[element] * (1.0 - reroute[month])
            need = gap * WEEKS_PER_MONTH
            drawn = min(stock, need)
            stock -= drawn
            shortfall = gap - drawn / WEEKS_PER_MONTH
            records.append(
                (
                    month,
                    element,
                    restricted,
                    shares[element],
                    reroute[month],
                    gap,
                    stock + drawn,
                    drawn,
                    shortfall,
                )
            )
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "month",
            "element",
            "restricted_share",
            "china_share",
            "rerouting",
            "gap",
            "inventory_weeks_start",
            "inventory_drawn_weeks",
            "shortfall",
        ],
    )
    frame["element"] = frame["element"].astype("str")
    return frame


def aggregate_shortfall(path: pd.DataFrame, *, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Shortfall of the composite critical input by month: the value-weighted mean over elements."""
    w = pd.Series(weights if weights is not None else ELEMENTS["value_weight"], dtype="float64")
    present = path["element"].unique()
    w = w.reindex(present)
    if w.isna().any() or (w < 0).any() or w.sum() <= 0:
        raise ParameterError([("weights", "need a non-negative weight for every element in the path")])
    w = w / w.sum()
    weighted = path.assign(weight=path["element"].map(w))
    return (weighted["shortfall"] * weighted["weight"]).groupby(weighted["month"]).sum().rename("shortfall")


def _restriction_lookup(restriction, chosen, month_index, problems):  # type: ignore[no-untyped-def]
    if isinstance(restriction, pd.Series):
        series = _month_series(restriction, month_index, "restriction", problems)
        return lambda element, month: series[month]
    if isinstance(restriction, Mapping):
        values = {}
        for element, value in restriction.items():
            if element not in ELEMENTS.index:
                problems.append(("restriction", f"unknown element {element!r}"))
            elif not 0.0 <= float(value) <= 1.0:
                problems.append(("restriction", f"{element}: {value} must lie in [0, 1] (a share of supply)"))
            values[element] = float(value)
        return lambda element, month: values.get(element, 0.0)
    value = float(restriction)
    if not 0.0 <= value <= 1.0:
        problems.append(("restriction", f"{value} must lie in [0, 1] (a share of supply, at most 100%)"))
    return lambda element, month: value


def _month_series(value, month_index, name, problems) -> pd.Series:  # type: ignore[no-untyped-def]
    if isinstance(value, pd.Series):
        index = pd.DatetimeIndex([pd.Timestamp(m).to_period("M").to_timestamp() for m in value.index])
        series = pd.Series(value.to_numpy(dtype="float64"), index=index).reindex(month_index)
        if series.isna().any():
            problems.append((name, "the path must give a value for every month"))
            series = series.fillna(0.0)
    else:
        series = pd.Series(float(value), index=month_index)
    if ((series < 0) | (series > 1)).any():
        problems.append((name, "values must lie in [0, 1] (shares, at most 100%)"))
    return series


# --------------------------------------------------------------------------------------------------------
# 4. Losses


def loss_grid(
    network: ces.Network,
    *,
    shortfall: float,
    sigmas: Sequence[float] = DEFAULT_SIGMAS,
    gdp: float | None = None,
) -> pd.DataFrame:
    """Loss of real consumption (GDP) across elasticities for one shortfall: ``loss_share`` exact (a
    fraction, positive = loss), ``hulten_share`` first order, and in dollars when ``gdp`` is given (same
    unit as ``gdp``, at an annual rate)."""
    _check_sigmas(sigmas)
    rows = []
    for sigma in sigmas:
        solution = ces.solve(network, shortfall=shortfall, sigma=sigma)
        rows.append((sigma, -math.expm1(solution.log_consumption), -math.expm1(solution.hulten)))
    frame = pd.DataFrame(rows, columns=["sigma", "loss_share", "hulten_share"])
    if gdp is not None:
        frame["loss"] = frame["loss_share"] * gdp
        frame["hulten_loss"] = frame["hulten_share"] * gdp
    return frame


def industry_losses(
    network: ces.Network, *, shortfall: float, sigma: float, value_added: pd.Series | None = None
) -> pd.DataFrame:
    """Real gross output change by industry (a fraction, negative = loss) and, given value added by
    industry, the value added at risk (value added × the output lost)."""
    solution = ces.solve(network, shortfall=shortfall, sigma=sigma)
    change = np.expm1(solution.log_output)
    frame = pd.DataFrame({"output_change": change, "price_change": np.expm1(solution.log_price)})
    if value_added is not None:
        frame["value_added_at_risk"] = -np.minimum(change, 0.0) * value_added.reindex(
            frame.index, fill_value=0.0
        )
    return frame.sort_values("output_change")


def loss_path(
    network: ces.Network, shortfall: pd.Series, *, sigmas: Sequence[float] = DEFAULT_SIGMAS, gdp: float
) -> pd.DataFrame:
    """Month × sigma losses: the economy is solved each month at that month's shortfall; ``loss`` is the
    month's loss (``gdp`` is annual, so a month is one twelfth)."""
    _check_sigmas(sigmas)
    cache: dict[tuple[float, float], tuple[float, float]] = {}
    rows = []
    for month, s in shortfall.items():
        for sigma in sigmas:
            key = (round(float(s), 12), sigma)
            if key not in cache:
                solution = ces.solve(network, shortfall=key[0], sigma=sigma)
                cache[key] = (-math.expm1(solution.log_consumption), -math.expm1(solution.hulten))
            loss_share, hulten_share = cache[key]
            rows.append(
                (
                    month,
                    sigma,
                    float(s),
                    loss_share,
                    hulten_share,
                    loss_share * gdp / 12,
                    hulten_share * gdp / 12,
                )
            )
    return pd.DataFrame(
        rows, columns=["month", "sigma", "shortfall", "loss_share", "hulten_share", "loss", "hulten_loss"]
    )


def _check_sigmas(sigmas: Sequence[float]) -> None:
    bad = [s for s in sigmas if not (s > 0 and math.isfinite(s))]
    if bad or not len(sigmas):
        raise ParameterError([("sigmas", f"elasticities must be positive; got {bad or 'none'}")])


# --------------------------------------------------------------------------------------------------------
# 5. Compliance


def magnet_baseline_from_facts() -> float:
    """Pre-control monthly shipments of magnets from China to the US (tonnes), implied by the year-on-year
    changes in FACTS §4 (May 2025 46.4 t at −93%, July 619 t at +5%): the mean of the implied 2024 months."""
    known = MAGNET_EXPORTS_TO_US.dropna(subset=["yoy_change"])
    implied = known["tonnes"] / (1.0 + known["yoy_change"])
    return float(implied.mean())


def compliance(
    shipments: pd.DataFrame | None = None,
    *,
    baseline: float | pd.Series | None = None,
    agreed_share: float = 1.0,
) -> pd.DataFrame:
    """Month by month: shipments (``month``, ``tonnes``) against the pre-control baseline and the agreed
    level ``agreed_share × baseline``. ``share_of_baseline`` and ``share_of_agreed`` are ratios; ``status``
    says whether shipments are above the baseline, between baseline and the agreed level… in words.

    The seed's "higher than it was but not as high as we agreed" is ``share_of_agreed < 1`` with shipments
    rising month on month.
    """
    data = MAGNET_EXPORTS_TO_US if shipments is None else shipments
    problems: list[tuple[str, str]] = []
    missing = [c for c in ("month", "tonnes") if c not in data.columns]
    if missing:
        problems.append(("shipments", f"missing columns {missing}"))
    if not (agreed_share > 0 and math.isfinite(agreed_share)):
        problems.append(("agreed_share", f"{agreed_share} must be a positive share of the baseline"))
    base = magnet_baseline_from_facts() if baseline is None else baseline
    if isinstance(base, (int, float)) and not base > 0:
        problems.append(("baseline", f"{base} must be positive"))
    if problems:
        raise ParameterError(problems, context="compliance")
    frame = data[["month", "tonnes"]].copy()
    frame["month"] = pd.to_datetime(frame["month"])
    if isinstance(base, pd.Series):
        frame["baseline"] = frame["month"].map(base).astype("float64")
    else:
        frame["baseline"] = float(base)
    frame["agreed"] = agreed_share * frame["baseline"]
    frame["share_of_baseline"] = frame["tonnes"] / frame["baseline"]
    frame["share_of_agreed"] = frame["tonnes"] / frame["agreed"]
    frame["gap_to_agreed"] = frame["agreed"] - frame["tonnes"]
    frame["change_from_previous"] = frame["tonnes"].diff()
    frame["status"] = np.select(
        [frame["tonnes"] >= frame["agreed"], frame["change_from_previous"] > 0],
        ["at or above the agreed level", "rising but below the agreed level"],
        default="below the agreed level",
    )
    return frame


# --------------------------------------------------------------------------------------------------------
# 6. Comparison with published estimates


def comparison(
    network: ces.Network,
    *,
    gdp: float,
    short_run_sigma: float = 0.05,
    long_run_sigma: float = 0.75,
    partial_shortfall: float = 0.5,
    near_total_shortfall: float = 0.95,
    minor_metals: ces.Network | None = None,
    minor_metals_shortfall: float | None = None,
) -> pd.DataFrame:
    """FACTS §5 beside this model's counterpart of each scenario (``gdp`` in $ millions, BEA's unit).

    Counterparts, each at an annual rate: IMF's 80% cut → a shortfall of 0.8 at the short- and the
    long-run elasticity; ECB's partial restriction → ``partial_shortfall`` at the short-run elasticity;
    ECB's near-total ban with very low substitutability → ``near_total_shortfall`` at σ = 0.01; USGS's
    total Chinese ban on gallium and germanium → the ``minor_metals`` network (a satellite row from HS
    8112.92 and 8110.10) with a shortfall of ``minor_metals_shortfall``, by default China's value-weighted
    share of US supply of Ga and Ge (`ELEMENTS`), at the short-run elasticity. ``model_hulten`` is the
    first-order effect of the same shortfall.
    """
    if minor_metals_shortfall is None:
        weights = ELEMENTS.loc[["Ga", "Ge"], "value_weight"]
        minor_metals_shortfall = float(
            (ELEMENTS.loc[["Ga", "Ge"], "china_share"] * weights).sum() / weights.sum()
        )
    scenarios: list[tuple[ces.Network | None, float, float]] = [
        (minor_metals, minor_metals_shortfall, short_run_sigma),
        (network, partial_shortfall, short_run_sigma),
        (network, near_total_shortfall, 0.01),
        (network, 0.8, short_run_sigma),
        (network, 0.8, long_run_sigma),
    ]
    scale = [gdp / 1e3, 100.0, 100.0, 100.0, 100.0]  # $ billion for USGS, percent for the others
    model, hulten = [], []
    for (net, s, sigma), unit in zip(scenarios, scale, strict=True):
        if net is None:
            model.append(math.nan)
            hulten.append(math.nan)
            continue
        solution = ces.solve(net, shortfall=s, sigma=sigma)
        model.append(-math.expm1(solution.log_consumption) * unit)
        hulten.append(-math.expm1(solution.hulten) * unit)
    frame = PUBLISHED.copy()
    frame["model"] = model
    frame["model_hulten"] = hulten
    frame["model_shortfall"] = [s for _, s, _ in scenarios]
    frame["model_sigma"] = [sigma for _, _, sigma in scenarios]
    return frame
