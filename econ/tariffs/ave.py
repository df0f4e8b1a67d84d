"""Ad valorem equivalents (AVE) of specific and compound MFN rates, from the panel's own unit values.

A specific rate is a duty per unit (``1.2¢/kg``); a compound rate adds an ad valorem part
(``2.2¢/kg + 5%``). Their ad valorem equivalent on a cell of trade is the duty they imply over its value:

    mfn_ave(hs10, partner, year) = amount × Σ quantity / Σ value + ad valorem part

summed over the months of the year in which the cell reports a quantity in the rate's unit. The rule for
lines without usable quantities (none reported, or in another unit), in this order: the same HS10 and year
over all partners (``rule = "hs10_year"``), then the HS10 over all years (``"hs10_all_years"``); failing
both, the ad valorem part alone (``"no_quantity"``: purely specific rates count 0, and are flagged). Rates
whose unit the panel's units cannot express (a duty per kg of a content, per proof liter of an alcohol
strength…) take the same fallbacks.

    from econ.tariffs.ave import ad_valorem_equivalents
    ave = ad_valorem_equivalents(imports, tariff_lines)      # hs10, partner, year, mfn_ave, rule
    rated = schedule.monthly_rates(imports, ave=ave)         # mfn uses the AVE; mfn_is_ave flags it
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.errors import SchemaError

# The unit of a specific rate (as the HTS prints it after the amount) → the Census quantity unit it is
# measured in, and the factor from one Census unit to one rate unit.
_UNITS: tuple[tuple[str, str, float], ...] = (
    ("kg", "KG", 1.0),
    ("clean kg", "KG", 1.0),
    ("liter", "L", 1.0),
    ("litre", "L", 1.0),
    ("l", "L", 1.0),
    ("pf. liter", "PFL", 1.0),
    ("proof liter", "PFL", 1.0),
    ("each", "NO", 1.0),
    ("no.", "NO", 1.0),
    ("head", "NO", 1.0),
    ("doz.", "DOZ", 1.0),
    ("dozen", "DOZ", 1.0),
    ("doz. pr.", "DPR", 1.0),
    ("pr.", "PRS", 1.0),
    ("pair", "PRS", 1.0),
    ("m2", "M2", 1.0),
    ("m²", "M2", 1.0),
    ("t", "T", 1.0),
    ("g", "G", 1.0),
    ("gross", "GRS", 1.0),
    ("thousand", "THS", 1.0),
)
AVE_COLUMNS = ("hs10", "partner", "year", "mfn_ave", "rule")


def census_unit(rate_unit: str | None) -> tuple[str, float] | None:
    """The Census quantity unit a specific rate's unit is measured in (and the conversion), or None."""
    if not rate_unit:
        return None
    text = " ".join(str(rate_unit).lower().replace("/", " ").split())
    for unit, census, factor in _UNITS:
        if text == unit:
            return census, factor
    return None


def ad_valorem_equivalents(panel: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """AVE of every specific or compound MFN rate by HS10 × partner × year (module docstring).

    `panel` has ``hs10``, ``partner``, ``month`` (or ``date``), ``value``, ``quantity`` and
    ``quantity_unit`` (the imports panel); `lines` the schedule's lines with ``hts8``/``hts10`` and
    ``general`` (the tariff_lines panel, or `econ.sources.hts.read`).
    """
    from econ.sources.hts import parse_rate

    time = "month" if "month" in panel.columns else "date"
    need = ["hs10", "partner", time, "value", "quantity", "quantity_unit"]
    missing = [c for c in need if c not in panel.columns]
    if missing:
        raise SchemaError(f"ad_valorem_equivalents: the panel lacks column(s) {missing}")
    for column in ("hts8", "general"):
        if column not in lines.columns:
            raise SchemaError(f"ad_valorem_equivalents: the lines lack column {column!r}")
    # The rate of each HS10 (its own line, else its HS8's).
    rated = lines.loc[lines["general"].astype(str).str.len() > 0, ["hts8", "general"]].copy()
    if "hts10" in lines.columns:
        rated["hts10"] = lines.loc[rated.index, "hts10"]
    parsed = {text: parse_rate(text) for text in pd.unique(rated["general"].astype(str))}
    specific = {t: r for t, r in parsed.items() if r.kind in ("specific", "compound")}
    if not specific:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=d)
                for c, d in zip(AVE_COLUMNS, ("str", "str", "int64", "float64", "str"), strict=True)
            }
        )
    rated = rated[rated["general"].isin(list(specific))]
    by10: dict[str, str] = {}
    by8: dict[str, str] = {}
    for code8, code10, text in zip(
        rated["hts8"], rated.get("hts10", pd.Series(None, index=rated.index)), rated["general"], strict=True
    ):
        if isinstance(code10, str) and len(code10) == 10:
            by10[code10] = text
        else:
            by8.setdefault(str(code8), text)
    # The rate text of each distinct code, spread over the rows (a panel year has millions of rows and
    # thousands of codes); then each distinct text's amount, ad valorem part and unit, spread the same way.
    from econ.tariffs.products import factorize_codes

    product, codes = factorize_codes(panel["hs10"])
    code_text = pd.Series(codes, dtype=object).map(by10)
    code_text = code_text.where(code_text.notna(), pd.Series(codes, dtype=object).str.slice(0, 8).map(by8))
    known = np.append(code_text.notna().to_numpy(), False)  # position -1: a missing code
    keep = known[product]
    if not keep.any():
        return pd.DataFrame(
            {
                c: pd.Series(dtype=d)
                for c, d in zip(AVE_COLUMNS, ("str", "str", "int64", "float64", "str"), strict=True)
            }
        )
    rows = np.flatnonzero(keep)
    texts = code_text.to_numpy(dtype=object)[product[rows]]
    text_code, distinct = pd.factorize(pd.Series(texts, dtype=object))
    units = [census_unit(specific[t].specific_unit) for t in distinct]
    cells = pd.DataFrame(
        {
            "hs10": np.asarray(codes, dtype=object)[product[rows]],
            "partner": panel["partner"].iloc[rows].astype(str).to_numpy(dtype=object),
            "year": pd.to_datetime(panel[time].iloc[rows].to_numpy()).year.to_numpy(),
            "value": panel["value"].iloc[rows].to_numpy(dtype=float),
            "quantity": panel["quantity"].iloc[rows].to_numpy(dtype=float),
            "unit": panel["quantity_unit"].iloc[rows].astype(str).str.upper().to_numpy(dtype=object),
        }
    )
    amount = np.array([specific[t].specific_amount or 0.0 for t in distinct])[text_code]
    adv = np.array([specific[t].ad_valorem or 0.0 for t in distinct])[text_code]
    target = np.array([u[0] if u is not None else "" for u in units], dtype=object)[text_code]
    factor = np.array([u[1] if u is not None else 0.0 for u in units])[text_code]
    unit_ok = (target != "") & (target == cells["unit"].to_numpy(dtype=object))
    usable = unit_ok & (cells["quantity"].to_numpy() > 0) & (cells["value"].to_numpy() > 0)
    cells["duty"] = np.where(usable, amount * cells["quantity"].to_numpy() * factor, 0.0)
    cells["usable_value"] = np.where(usable, cells["value"].to_numpy(), 0.0)
    cells["adv"] = adv

    def ratio(group: list[str]) -> pd.Series:
        sums = cells.groupby(group, observed=True)[["duty", "usable_value"]].sum()
        return (sums["duty"] / sums["usable_value"].where(sums["usable_value"] > 0)).rename("ave")

    own = ratio(["hs10", "partner", "year"])
    year = ratio(["hs10", "year"])
    every = ratio(["hs10"])
    out = cells.groupby(["hs10", "partner", "year"], observed=True, as_index=False)["adv"].first()
    key = pd.MultiIndex.from_arrays([out["hs10"], out["partner"], out["year"]])
    a = own.reindex(key).to_numpy()
    b = year.reindex(pd.MultiIndex.from_arrays([out["hs10"], out["year"]])).to_numpy()
    c = every.reindex(out["hs10"]).to_numpy()
    out["rule"] = np.where(
        ~np.isnan(a),
        "own",
        np.where(~np.isnan(b), "hs10_year", np.where(~np.isnan(c), "hs10_all_years", "no_quantity")),
    )
    specific_part = np.where(~np.isnan(a), a, np.where(~np.isnan(b), b, np.where(~np.isnan(c), c, 0.0)))
    out["mfn_ave"] = specific_part + out["adv"].to_numpy()
    out["year"] = out["year"].astype("int64")
    return pd.DataFrame(out[list(AVE_COLUMNS)])
