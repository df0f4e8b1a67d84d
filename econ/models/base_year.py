"""A base year of trade for the models, from either imports panel, with the tariffs of two schedules.

`econ.models.trade` takes one row per product × partner with its base-year value and three tariff
columns (the base year's, those in force on a date, and a scenario's). The panels give two shapes:

* **HS10** (``imports``: hs10 × partner × month, with quantities): a product is an HS10 line; its tariffs
  come from the schedule evaluated on the line (`econ.tariffs.Schedule.rates`); its BEA summary commodity
  from the industries panel (`econ.concord`) when built, else the HS-chapter crosswalk
  (`econ.models.crosswalk.bea_industry`).
* **NAICS** (``imports_naics``: Census NAICS industry × partner × month, values and calculated duties
  only): a product is a NAICS industry; its BEA commodity from `econ.models.crosswalk.naics_to_bea` (a code
  spanning several summary commodities, NAICS 336, is split by the Use table's imports). With no product
  lines the schedule cannot be evaluated on the rows, so `industry_tariffs` takes the levels from what was
  collected — the base year's collected rate, and the collected rate of the date's month where the panel
  has it — and the scenario's change from the schedule evaluated on the HTS lines of each BEA commodity,
  weighted by HS10 imports where an HS10 panel gives them, else unweighted. `TariffMethod.text` says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models.crosswalk import UNMATCHED, bea_industry, naics_to_bea

if TYPE_CHECKING:
    from econ.tariffs import Schedule


def base_year_frame(
    imports: pd.DataFrame,
    *,
    year: int,
    industries: pd.DataFrame | None = None,
    bea_weights: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per product × partner with its imports for consumption in ``year`` (``value``, USD), its
    ``product`` key (what `trade.compare` takes as ``product=``) and its BEA summary commodity ``bea``.

    From the HS10 panel (columns hs10, partner, month, value): ``product`` is the hs10, with ``hs8``,
    ``hs6``, ``chapter``; ``naics``, ``bea`` and ``bea_detail`` from the `industries` panel when given,
    else ``bea`` from the HS-chapter crosswalk and no ``naics``. From the NAICS panel (naics, partner,
    month, value, duty): ``product`` is the NAICS code (``naics/BEA`` where a code is split among
    commodities by `bea_weights`, see `naics_to_bea`), with ``naics``, ``naics_name``, ``bea_share``,
    ``duty`` and the base year's ``collected_rate``. Rows with no imports dropped."""
    if "hs10" in imports.columns:
        return _hs10_frame(imports, year=year, industries=industries)
    if "naics" in imports.columns:
        return _naics_frame(imports, year=year, bea_weights=bea_weights)
    raise ParameterError(
        [("imports", "expected the HS10 panel (column hs10) or the NAICS panel (column naics)")],
        context="base_year_frame",
    )


def _year_rows(imports: pd.DataFrame, keys: list[str], year: int, extra: list[str]) -> pd.DataFrame:
    missing = [c for c in [*keys, "partner", "month", "value", *extra] if c not in imports.columns]
    if missing:
        raise ParameterError([("imports", f"missing columns {missing}")], context="base_year_frame")
    months = pd.to_datetime(imports["month"])
    selected = imports.loc[(months.dt.year == year).to_numpy(), [*keys, "partner", "value", *extra]]
    if selected.empty:
        raise ParameterError([("year", f"no imports in {year}")], context="base_year_frame")
    frame = selected.groupby([*keys, "partner"], as_index=False, observed=True)[["value", *extra]].sum()
    return frame[frame["value"] > 0].reset_index(drop=True)


def _hs10_frame(imports: pd.DataFrame, *, year: int, industries: pd.DataFrame | None) -> pd.DataFrame:
    frame = _year_rows(imports, ["hs10"], year, [])
    frame["product"] = frame["hs10"].astype(str)
    frame["hs8"] = frame["hs10"].str[:8]
    frame["hs6"] = frame["hs10"].str[:6]
    frame["chapter"] = frame["hs10"].str[:2]
    if industries is None:
        frame["bea"] = bea_industry(frame["hs10"]).to_numpy()
        return frame
    lookup = industries.drop_duplicates("hs10").set_index("hs10")
    frame["naics"] = frame["hs10"].map(lookup["naics"]).fillna("None").to_numpy()
    frame["bea"] = frame["hs10"].map(lookup["bea_summary"]).fillna("None").to_numpy()
    frame["bea_detail"] = frame["hs10"].map(lookup["bea_detail"]).fillna("None").to_numpy()
    return frame


def _naics_frame(imports: pd.DataFrame, *, year: int, bea_weights: pd.Series | None) -> pd.DataFrame:
    frame = _year_rows(imports, ["naics"], year, ["duty"])
    frame["naics"] = frame["naics"].astype(str)
    frame["collected_rate"] = frame["duty"] / frame["value"]
    if "naics_name" in imports.columns:
        titles = imports.drop_duplicates("naics").set_index("naics")["naics_name"]
        frame["naics_name"] = frame["naics"].map(titles).fillna("").to_numpy()
    placed = naics_to_bea(frame["naics"], weights=bea_weights)
    frame = frame.merge(placed.rename(columns={"share": "bea_share", "how": "bea_match"}), on="naics")
    frame = frame[frame["bea_share"] > 0]  # a child commodity the table in use does not import
    split = frame["bea_match"] == "split"
    frame["product"] = frame["naics"].where(~split, frame["naics"] + "/" + frame["bea"])
    frame["value"] = frame["value"] * frame["bea_share"]
    frame["duty"] = frame["duty"] * frame["bea_share"]
    order = ["product", "naics", "partner", "bea", "bea_share", "bea_match", "value", "duty"]
    rest = [c for c in frame.columns if c not in order]
    return frame[order + rest].sort_values(["product", "partner"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TariffMethod:
    """How the three tariff columns of a base-year frame were found, for the page."""

    panel: str  # "imports" or "imports_naics"
    base: str
    in_force: str
    alternative: str
    in_force_collected_share: float = 1.0  # of base-year value whose in-force rate is a collected rate
    section301: str = ""  # where the schedule's Section 301 lists came from, when not the HTS footnotes

    @property
    def text(self) -> str:
        text = f"Base year: {self.base}. In force: {self.in_force}. Scenario: {self.alternative}."
        return f"{text} {self.section301}" if self.section301 else text


def _section301_note(schedule: Schedule) -> str:
    if schedule.products.used_compiled_lists:
        return (
            "The HTS file carries no Section 301 footnotes (a CSV export), so the schedule takes the "
            "package's compiled Section 301 lists at HS8."
        )
    return ""


def schedule_tariffs(
    frame: pd.DataFrame, schedule: Schedule, *, base_year: int, date: str, scenario: str
) -> tuple[pd.DataFrame, TariffMethod]:
    """The HS10 frame with ``base_rate`` (the schedule on the base year's middle day), ``in_force`` and
    ``alternative`` (the schedule and the scenario's on `date`), every one evaluated on the row's line."""
    rates = schedule.rates
    out = frame.copy()
    out["base_rate"] = rates(out.assign(date=pd.Timestamp(f"{base_year}-07-01")))["total"].to_numpy()
    on_date = out.assign(date=pd.Timestamp(date))
    out["in_force"] = rates(on_date)["total"].to_numpy()
    out["alternative"] = rates(on_date, scenario=scenario)["total"].to_numpy()
    method = TariffMethod(
        panel="imports",
        base=f"the statutory tariff of each HS10 line on {base_year}-07-01",
        in_force=f"the statutory tariff of each line on {date}",
        alternative=f"the scenario's statutory tariff of each line on {date}",
        section301=_section301_note(schedule),
    )
    return out, method


def industry_tariffs(
    frame: pd.DataFrame,
    schedule: Schedule,
    lines: pd.DataFrame,
    *,
    imports_naics: pd.DataFrame,
    base_year: int,
    date: str,
    scenario: str,
    hs10_weights: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, TariffMethod]:
    """The NAICS frame with ``base_rate``, ``in_force`` and ``alternative`` (see the module doc).

    ``base_rate`` is the base year's collected rate (duty ÷ value) of the industry × partner;
    ``in_force`` the collected rate of the month of `date` in `imports_naics` where the pair has imports
    that month, else the base rate plus the schedule's change from the base year's middle day to `date`;
    ``alternative`` the in-force rate plus the scenario's change on `date` (never below zero). The
    schedule's changes are evaluated on the HTS lines of `lines` (the ``tariff_lines`` panel) for each
    partner and averaged over each BEA commodity's lines (HS-chapter crosswalk), weighted by the
    partner's base-year HS10 imports where `hs10_weights` (hs10, partner, value) gives them, else
    unweighted; a commodity with no lines (scrap, goods returned) takes the partner's mean over the
    commodities that have lines."""
    for name in ("naics", "partner", "bea", "collected_rate"):
        if name not in frame.columns:
            raise ParameterError([("frame", f"missing column {name!r} (the NAICS base-year frame)")])
    partners = sorted(frame["partner"].astype(str).unique())
    base_day, day = pd.Timestamp(f"{base_year}-07-01"), pd.Timestamp(date)
    out = frame.copy()
    out["base_rate"] = out["collected_rate"].to_numpy()
    month = imports_naics[pd.to_datetime(imports_naics["month"]).dt.to_period("M") == day.to_period("M")]
    observed = month.groupby(["naics", "partner"], observed=True)[["value", "duty"]].sum()
    observed = observed[observed["value"] > 0]
    rate = (observed["duty"] / observed["value"]).rename("rate")
    pair = pd.MultiIndex.from_arrays([out["naics"].astype(str), out["partner"].astype(str)])
    collected = rate.reindex(pair).to_numpy()
    have = np.isfinite(collected)

    # the schedule's change since the base year is needed only where the month was not collected
    change = _line_changes(
        schedule, lines, partners, None if have.all() else base_day, day, scenario, hs10_weights
    )
    key = pd.MultiIndex.from_arrays([out["partner"].astype(str), out["bea"].astype(str)])
    fallback = change.groupby(level="partner").mean() if len(change) else change
    since_base = _lookup(change["since_base"], fallback["since_base"], key)
    scenario_change = _lookup(change["scenario"], fallback["scenario"], key)
    out["in_force"] = np.where(have, collected, np.clip(out["base_rate"].to_numpy() + since_base, 0.0, None))
    out["alternative"] = np.clip(out["in_force"].to_numpy() + scenario_change, 0.0, None)
    share = float(out.loc[have, "value"].sum() / out["value"].sum()) if len(out) else 0.0
    weighting = "weighted by HS10 imports" if hs10_weights is not None else "unweighted (no HS10 values)"
    method = TariffMethod(
        panel="imports_naics",
        base=f"the collected rate (duty ÷ value) of each industry × partner in {base_year}",
        in_force=(
            f"the collected rate of {day:%B %Y}"
            + ("" if share > 0.9995 else f" ({share:.1%} of the value; the rest the {base_year} rate "
               "plus the schedule's change since)")
        ),
        alternative=(
            f"the collected rate in force plus the scenario's change in the statutory tariff on {date}, "
            f"averaged over the HTS lines of each BEA commodity, {weighting}"
        ),
        in_force_collected_share=share,
        section301=_section301_note(schedule),
    )  # fmt: skip
    return out, method


def _line_changes(
    schedule: Schedule,
    lines: pd.DataFrame,
    partners: list[str],
    base_day: pd.Timestamp | None,
    day: pd.Timestamp,
    scenario: str,
    hs10_weights: pd.DataFrame | None,
) -> pd.DataFrame:
    """Per partner × BEA commodity: the schedule's change from `base_day` to `day` (``since_base``, zero
    when `base_day` is None: not needed) and the scenario's change against the schedule on `day`
    (``scenario``), averaged over HTS lines."""
    rates = schedule.rates
    codes = lines["hts10"].where(lines["hts10"].astype(str).str.fullmatch(r"\d{10}"), None)
    table = pd.DataFrame({"hs8": lines["hts8"].astype(str), "hs10": codes}).drop_duplicates()
    table = table[table["hs8"].str.fullmatch(r"\d{8}")]
    # the finest lines: each HS10, and an HS8 only where it has no HS10 of its own
    with_children = set(table.loc[table["hs10"].notna(), "hs8"])
    table = table[table["hs10"].notna() | ~table["hs8"].isin(with_children)].reset_index(drop=True)
    table["bea"] = bea_industry(table["hs10"].fillna(table["hs8"])).to_numpy()
    table = table[table["bea"] != UNMATCHED]
    grid = table.loc[table.index.repeat(len(partners))].reset_index(drop=True)
    grid["partner"] = np.tile(np.asarray(partners, dtype=object), len(table))
    now = rates(grid.assign(date=day))["total"].to_numpy()
    alternative = rates(grid.assign(date=day), scenario=scenario)["total"].to_numpy()
    then = now if base_day is None else rates(grid.assign(date=base_day))["total"].to_numpy()
    grid["since_base"] = now - then
    grid["scenario"] = alternative - now
    weight = pd.Series(1.0, index=grid.index)
    if hs10_weights is not None:
        values = hs10_weights.groupby(["hs10", "partner"], observed=True)["value"].sum()
        pair = pd.MultiIndex.from_arrays([grid["hs10"].fillna(""), grid["partner"]])
        weight = pd.Series(values.reindex(pair).fillna(0.0).to_numpy(), index=grid.index)
        # a commodity with no HS10 imports from the partner falls back to its lines unweighted
        none = weight.groupby([grid["partner"], grid["bea"]]).transform("sum") <= 0
        weight = weight.where(~none, 1.0)
    grid["w"] = weight
    for column in ("since_base", "scenario"):
        grid[column] = grid[column] * grid["w"]
    sums = grid.groupby(["partner", "bea"])[["since_base", "scenario", "w"]].sum()
    return sums[["since_base", "scenario"]].div(sums["w"], axis=0)


def _lookup(values: pd.Series, fallback: pd.Series, key: pd.MultiIndex) -> np.ndarray:
    found = values.reindex(key).to_numpy(dtype="float64")
    partner_mean = fallback.reindex(key.get_level_values(0)).to_numpy(dtype="float64")
    return np.where(np.isfinite(found), found, np.nan_to_num(partner_mean))


def year_values(hs10: pd.DataFrame, year: int) -> pd.DataFrame:
    """The HS10 panel's imports in `year` by hs10 × partner — the weights `industry_tariffs` takes."""
    months = pd.to_datetime(hs10["month"])
    rows = hs10.loc[(months.dt.year == year).to_numpy(), ["hs10", "partner", "value"]]
    return rows.groupby(["hs10", "partner"], observed=True)["value"].sum().reset_index()


def naics_titles(frame: pd.DataFrame) -> dict[str, str]:
    """A title for each NAICS code of a base-year frame: `econ.names.industry` where its list has the code,
    else the panel's own label ("NAICS CODE 314, TEXTILE MILL PRODUCTS" → "Textile mill products")."""
    from econ import names

    labels = frame.drop_duplicates("naics").set_index("naics").get("naics_name", pd.Series(dtype=str))
    titles: dict[str, str] = {}
    for code in frame["naics"].astype(str).unique():
        title = names.industry(code, "naics")
        if title.startswith("NAICS ") and isinstance(labels.get(code), str) and labels.get(code):
            title = str(labels[code]).split(", ", 1)[-1].strip() or title
        titles[code] = _sentence_case(title)
    return titles


def _sentence_case(title: str) -> str:
    # NAICS titles come in Title Case or capitals ("Forestry and Logging"); the page's tables use BEA's
    # sentence case. Only the first letter stays capital, and the one country Census names in them.
    text = title[:1].upper() + title[1:].lower()
    return text.replace("canada", "Canada")


def shape_note(frame: pd.DataFrame, method: TariffMethod) -> str:
    """What the base year's shape allows, in plain words for the page."""
    partners = frame["partner"].nunique()
    if method.panel == "imports":
        return (
            f"Products are HS10 lines ({frame['product'].nunique():,}) from {partners} partners: each line "
            "carries its own statutory tariffs, σ substitutes between partners' supplies of one line."
        )
    split = sorted(frame.loc[frame["bea_match"] == "split", "naics"].unique())
    unmatched = frame.loc[frame["bea"] == UNMATCHED, "value"].sum() / frame["value"].sum()
    words = (
        f"Products are NAICS industries ({frame['naics'].nunique()}) from {partners} partners (Census's "
        "NAICS panel: values and calculated duties, no quantities). Substitution (σ) is between partners' "
        "supplies of a whole industry, so shifts between products inside an industry are not seen; "
        "pass-through cannot be estimated (no prices), so it is a preset; the tariffs are collected rates, "
        "which already net out exemptions, exclusions and preferences."
    )
    if split:
        words += f" NAICS {', '.join(split)} spans several BEA commodities and is split by BEA's imports."
    if unmatched > 0:
        words += f" {unmatched:.1%} of the value finds no BEA commodity and is left out of the price model."
    return words
