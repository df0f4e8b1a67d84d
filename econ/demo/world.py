"""The demo world's economy: true parameters, simulated prices and quantities, calibration to 2024.

See the package docstring (`econ.demo`) for the equations. Pure: arrays in, frames out; no files.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from econ.demo.catalogue import (
    BANNED_FROM,
    BANNED_LINES,
    BANNED_TRACE,
    CALIBRATED_CHAPTERS,
    CHINA,
    CHINA_2024_LISTED_SHARE,
    CHINA_2024_VALUE,
    EXPORT_PARTNERS,
    FIRST_MONTH,
    FTA_PREFERENCE,
    LAST_MONTH,
    MAGNET_PATH_2025,
    NAMED_PRODUCTS,
    OTHER,
    PARTNERS,
    RESTRICTED_2024,
    USMCA,
    chapter_targets,
    export_products,
)
from econ.errors import ParameterError
from econ.tariffs import Schedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrueParameters:
    """The true structural parameters of the demo world, written to truth.json.

    passthrough: elasticity of the duty-inclusive import price to (1 + tariff); the exporter's
        duty-exclusive price moves by passthrough − 1 (0.95: US buyers bear 95% of the tariff, FACTS §5).
    import_elasticity: σ, the elasticity of substitution between partners' varieties of one product —
        what an import-demand regression with product × month effects recovers (≈ 2.5, Fajgelbaum et al.).
    aggregate_elasticity: η, the elasticity of a product's total imports to its import price index.
    unit_value_noise: standard deviation of log measurement error in reported quantities.
    """

    passthrough: float = 0.95
    import_elasticity: float = 2.5
    aggregate_elasticity: float = 1.0
    unit_value_noise: float = 0.10

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Any]) -> TrueParameters:
        """The defaults with `overrides` applied; every unknown name, non-number or value out of its
        range is reported at once, by name (ParameterError)."""
        known = {f.name for f in dataclasses.fields(cls)}
        problems: list[tuple[str, str]] = []
        values: dict[str, float] = {}
        for name, raw in overrides.items():
            if name not in known:
                problems.append((name, f"unknown parameter; expected one of {', '.join(sorted(known))}"))
                continue
            try:
                value = float(raw)
            except (TypeError, ValueError):
                problems.append((name, f"expected a number, got {raw!r}"))
                continue
            low, high, expectation = _PARAMETER_RANGES[name]
            if not (math.isfinite(value) and low <= value <= high):
                problems.append((name, f"expected {expectation}, got {raw!r}"))
            values[name] = value
        if problems:
            raise ParameterError(problems, context="econ demo --set")
        return dataclasses.replace(cls(), **values)


# name → (lowest, highest, what is expected); CES needs σ above 1.
_PARAMETER_RANGES: dict[str, tuple[float, float, str]] = {
    "passthrough": (0.0, 2.0, "a number between 0 and 2"),
    "import_elasticity": (1.0 + 1e-9, 50.0, "a number above 1 (CES) and at most 50"),
    "aggregate_elasticity": (0.0, 50.0, "a number between 0 and 50"),
    "unit_value_noise": (0.0, 5.0, "a number between 0 and 5"),
}


@dataclass
class DemoWorld:
    """What `write` produced: where, how big, and the truth."""

    folder: Path
    seed: int
    scale: float
    truth: TrueParameters
    rows: int
    products: int
    files: list[Path] = field(default_factory=list)
    calibration: pd.DataFrame | None = None
    world: str = "calibrated"


# ---------------------------------------------------------------------------------------------- the world


def _months() -> pd.DatetimeIndex:
    return pd.date_range(f"{FIRST_MONTH}-01", f"{LAST_MONTH}-01", freq="MS")


def _trade_pairs(rng: np.random.Generator, products: pd.DataFrame) -> pd.DataFrame:
    """Which partners trade each product, and in which spell of months (sparse, as real trade is)."""
    n_months = len(_months())
    frames = []
    for code, _name, _size, reach in PARTNERS:
        traded = rng.random(len(products)) < reach
        if code == CHINA:
            # Rare earths, magnets and critical minerals: China is always a supplier (FACTS §4).
            named = products["hs10"].isin([p[0] for p in NAMED_PRODUCTS]).to_numpy()
            traded |= named
        idx = np.flatnonzero(traded)
        # A spell: most pairs trade throughout; some enter late or exit early. China's spells all cover
        # 2024, the calibration year, so that calibration sees every product China supplies.
        last_start, first_end = (84, 96) if code == CHINA else (n_months // 2, n_months // 2)
        start = np.where(rng.random(idx.size) < 0.75, 0, rng.integers(0, last_start, idx.size))
        end = np.where(rng.random(idx.size) < 0.85, n_months, rng.integers(first_end, n_months + 1, idx.size))
        frames.append(pd.DataFrame({"product": idx, "partner": code, "start": start, "end": end}))
    pairs = pd.concat(frames, ignore_index=True)
    # Every product needs at least one partner.
    missing = np.setdiff1d(np.arange(len(products)), pairs["product"].unique())
    if missing.size:
        extra = pd.DataFrame({"product": missing, "partner": CHINA, "start": 0, "end": n_months})
        pairs = pd.concat([pairs, extra], ignore_index=True)
    return pairs


def simulate(*, seed: int, truth: TrueParameters, schedule: Schedule, products: pd.DataFrame) -> pd.DataFrame:
    """Simulate the monthly panel (one row per active product × partner × month), before calibration."""
    rng = np.random.default_rng([seed, 1])
    months = _months()
    n_months = len(months)
    pairs = _trade_pairs(rng, products)
    lengths = (pairs["end"] - pairs["start"]).to_numpy()
    rows = np.repeat(np.arange(len(pairs)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    month_index = pairs["start"].to_numpy()[rows] + offsets
    panel = pd.DataFrame(
        {
            "product": pairs["product"].to_numpy()[rows],
            "partner": pairs["partner"].to_numpy()[rows],
            "month_index": month_index,
        }
    )
    panel["hs10"] = products["hs10"].to_numpy()[panel["product"]]
    panel["month"] = months[panel["month_index"]]

    # Statutory layers by product × partner × month from the tariff engine (read from the demo's own HTS).
    layers = schedule.monthly_rates(panel[["hs10", "partner", "month"]].assign(hs8=panel["hs10"].str[:8]))
    preference = panel["partner"].map(FTA_PREFERENCE).fillna(0.0).to_numpy()
    mfn_paid = products["mfn_paid"].to_numpy()[panel["product"]]
    # Paid: the statutory stack, with the MFN layer at its ad valorem equivalent less FTA preferences; the
    # goods of Canada and Mexico that claim USMCA (the same share) are also spared the IEEPA fentanyl duty
    # and the Section 122 surcharge, which exempt USMCA-qualifying goods.
    statutory_total = layers["total"].to_numpy()
    usmca = panel["partner"].isin(USMCA).to_numpy()
    spared = usmca * preference * (layers["ieepa_fentanyl"].to_numpy() + layers["section122"].to_numpy())
    tau = np.clip(statutory_total - layers["mfn"].to_numpy() - spared + mfn_paid * (1 - preference), 0, None)
    panel["tariff_paid"] = tau

    n_products = len(products)
    partner_codes = [p[0] for p in PARTNERS]
    partner_pos = pd.Categorical(panel["partner"], categories=partner_codes).codes
    # Price components: pair level, product × month (AR(1)), partner × month (exchange-rate like).
    pair_level = rng.normal(0.0, 0.5, len(pairs))[rows]
    product_month = np.cumsum(rng.normal(0.0, 0.02, (n_products, n_months)), axis=1)
    partner_month = np.cumsum(rng.normal(0.0, 0.01, (len(partner_codes), n_months)), axis=1)
    base_price = np.exp(rng.normal(3.0, 1.2, n_products))[panel["product"]]
    log_fob = (
        np.log(base_price)
        + pair_level
        + product_month[panel["product"], panel["month_index"]]
        + partner_month[partner_pos, panel["month_index"]]
        + (truth.passthrough - 1.0) * np.log1p(tau)
        + rng.normal(0.0, 0.05, len(panel))
    )
    log_price = log_fob + np.log1p(tau)  # duty-inclusive

    # CES demand within a product-month, with partner taste shifters b_ij and a product demand shock A_it.
    sigma, eta = truth.import_elasticity, truth.aggregate_elasticity
    partner_size = np.array([p[2] for p in PARTNERS])[partner_pos]
    log_taste = np.log(partner_size) + rng.normal(0.0, 0.8, len(pairs))[rows]
    share_kernel = np.exp(log_taste + (1 - sigma) * log_price)
    group = panel["product"].to_numpy() * n_months + panel["month_index"].to_numpy()
    kernel_sum = np.bincount(group, weights=share_kernel, minlength=n_products * n_months)[group]
    log_index = np.log(kernel_sum) / (1 - sigma)  # log P_it
    demand_shock = np.cumsum(rng.normal(0.0, 0.03, (n_products, n_months)), axis=1)
    log_total_spend = (
        demand_shock[panel["product"], panel["month_index"]]
        + (1 - eta) * log_index
        + 0.02 * panel["month_index"].to_numpy() / 12  # trend growth of imports
    )
    # spend_ijt = share_ijt · P_it·Q_it, share = kernel / Σ kernel
    spend = np.exp(log_total_spend) * share_kernel / kernel_sum  # duty-inclusive spending
    quantity = spend / np.exp(log_price)
    panel["value"] = quantity * np.exp(log_fob)
    panel["quantity_true"] = quantity
    panel["fob_price"] = np.exp(log_fob)
    panel["layers_total"] = statutory_total
    return panel


def _tilt(value: np.ndarray, rate: np.ndarray, target: float) -> np.ndarray:
    """Weights w ∝ value·exp(λ·rate) whose value-weighted mean rate is `target` (exponential tilting).

    The smallest change to the products' value mix (in relative entropy) that hits the target; when the
    target lies outside the products' range of rates, the nearest extreme is taken.
    """
    if value.sum() <= 0 or np.ptp(rate) < 1e-12:
        return value

    def weights(lam: float) -> np.ndarray:
        # Shift the exponent so the largest term is exp(0): no overflow at either end of the bracket.
        return value * np.exp(lam * (rate - (rate.max() if lam > 0 else rate.min())))

    def mean_rate(lam: float) -> float:
        w = weights(lam)
        return float((w * rate).sum() / w.sum())

    low, high = -2000.0, 2000.0
    if target <= mean_rate(low):
        lam = low
    elif target >= mean_rate(high):
        lam = high
    else:
        lam = float(optimize.brentq(lambda x: mean_rate(x) - target, low, high, xtol=1e-10))
    return weights(lam)


def _calibration_group(chapter: pd.Series) -> pd.Series:
    return chapter.where(chapter.isin(list(CALIBRATED_CHAPTERS)), OTHER)


def calibrate(panel: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Rescale product levels so China's 2024 value and collected rate by chapter hit FACTS §3.

    Within each chapter the products' 2024 values from China are tilted towards higher- or lower-duty
    products until the chapter's collected rate is the target, then scaled to the target value. The factor
    is a constant per product (applied to every partner and month), which any product × partner fixed
    effect absorbs, so no estimate of the true parameters is disturbed.
    """
    targets = chapter_targets()
    china24 = ((panel["partner"] == CHINA) & (panel["month"].dt.year == 2024)).to_numpy()
    rows = panel.loc[china24, ["product", "value", "tariff_paid"]]
    per_product = (
        rows.assign(duty=rows["value"] * rows["tariff_paid"]).groupby("product")[["value", "duty"]].sum()
    )
    per_product["chapter"] = _calibration_group(products["chapter"]).to_numpy()[per_product.index]
    factor = np.ones(len(products))
    # Rare-earth lines are tiny in real trade (FACTS §4); set them first and keep them out of the tilt.
    fixed = pd.Series(False, index=per_product.index)
    for prefix, (china_value, _) in RESTRICTED_2024.items():
        codes = products["hs10"].to_numpy()[per_product.index]
        lines = per_product.index[np.char.startswith(codes.astype(str), prefix)]
        total = per_product.loc[lines, "value"].sum()
        if total > 0:
            factor[lines] = china_value / total
            fixed[lines] = True
    listed = products["list301"].notna().to_numpy()[per_product.index]

    def tilt_chapters(listed_tilt: float) -> float:
        """Fit every chapter's value and rate, with listed lines tilted by exp(listed_tilt); return the
        share of China's 2024 value on Section 301 lists that results."""
        for chapter, group in per_product.groupby("chapter"):
            share, target_rate = targets.loc[chapter]
            held = fixed[group.index].to_numpy()
            held_value = float((group["value"] * factor[group.index])[held].sum())
            held_duty = float((group["duty"] * factor[group.index])[held].sum())
            free = group[~held]
            value_target = share * CHINA_2024_VALUE - held_value
            rate_target = (target_rate * share * CHINA_2024_VALUE - held_duty) / value_target
            value = free["value"].to_numpy()
            base = value * np.exp(listed_tilt * listed[per_product.index.get_indexer(free.index)])
            tilted = _tilt(base, (free["duty"] / free["value"]).to_numpy(), rate_target)
            tilted = tilted * (value_target / tilted.sum())
            factor[free.index.to_numpy()] = tilted / value
        scaled = per_product["value"].to_numpy() * factor[per_product.index]
        return float(scaled[listed].sum() / scaled.sum())

    # The listed share (50.3% in 2024, FACTS §3) is a second moment: one tilt of listed against unlisted
    # lines shared by all chapters, found by bisection around the chapter fits.
    low, high = -6.0, 6.0
    if tilt_chapters(low) < CHINA_2024_LISTED_SHARE < tilt_chapters(high):
        optimize.brentq(lambda t: tilt_chapters(t) - CHINA_2024_LISTED_SHARE, low, high, xtol=1e-4)
    else:
        tilt_chapters(0.0)
    scale = factor[panel["product"].to_numpy()]
    panel["value"] *= scale
    panel["quantity_true"] *= scale

    # Other partners: their 2024 totals relative to China's (a partner constant, absorbed by FEs).
    year24 = panel["month"].dt.year == 2024
    totals = panel[year24].groupby("partner")["value"].sum()
    china_total = totals[CHINA]
    wanted = {code: size * china_total for code, size in ((p[0], p[2]) for p in PARTNERS)}
    partner_factor = {code: wanted[code] / totals[code] for code in totals.index if code != CHINA}
    panel["value"] *= panel["partner"].map(partner_factor).fillna(1.0).to_numpy()

    # Restricted lines: other partners supply the rest of US imports at China's share (FACTS §4), and
    # China's shipments follow what the export controls did to them (catalogue.MAGNET_PATH_2025, bans).
    china = (panel["partner"] == CHINA).to_numpy()
    for prefix, (china_value, china_share) in RESTRICTED_2024.items():
        lines = panel["hs10"].str.startswith(prefix).to_numpy()
        others = lines & ~china
        other_2024 = float(panel.loc[others & year24.to_numpy(), "value"].sum())
        if other_2024 > 0:
            wanted_other = china_value * (1 - china_share) / china_share
            panel.loc[others, "value"] *= wanted_other / other_2024
    month = panel["month"].dt.strftime("%Y-%m")
    magnets = panel["hs10"].str.startswith("850511").to_numpy() & china
    panel.loc[magnets, "value"] *= month[magnets].map(MAGNET_PATH_2025).fillna(1.0).to_numpy()
    banned = panel["hs10"].str.startswith(BANNED_LINES).to_numpy() & china & (month >= BANNED_FROM).to_numpy()
    panel.loc[banned, "value"] *= BANNED_TRACE
    panel["quantity_true"] = panel["value"] / panel["fob_price"]

    chapter = _calibration_group(products["chapter"]).to_numpy()[panel["product"].to_numpy()]
    duty = panel["value"] * panel["tariff_paid"]
    achieved = pd.DataFrame({"chapter": chapter, "value": panel["value"], "duty": duty})[china24]
    achieved = achieved.groupby("chapter")[["value", "duty"]].sum()
    report = targets.rename(columns={"share": "target_share", "rate": "target_rate"})
    on_list = products["list301"].notna().to_numpy()[panel["product"].to_numpy()][china24]
    china_value = panel["value"].to_numpy()[china24]
    report.attrs["listed_share"] = float(china_value[on_list].sum() / china_value.sum())
    report["share"] = achieved["value"] / achieved["value"].sum()
    report["rate"] = achieved["duty"] / achieved["value"]
    return report


def simulate_exports(*, seed: int, truth: TrueParameters, schedule: Schedule) -> pd.DataFrame:
    """US exports by product × partner × month. China's buyers face China's retaliatory tariff τ and
    substitute away from US goods with the same elasticity σ as US buyers do between partners:
    v_ijt = v_ij · exp(trend + shocks) · (1 + τ_ijt)^(−σ·passthrough), calibrated to 2017 values."""
    rng = np.random.default_rng([seed, 3])
    products = export_products(rng)
    months = _months()
    names = {code: name for code, name, *_ in PARTNERS}
    grid = pd.MultiIndex.from_product(
        [products.index, EXPORT_PARTNERS, range(len(months))], names=["product", "partner", "month_index"]
    ).to_frame(index=False)
    grid["hs10"] = products["hs10"].to_numpy()[grid["product"]]
    grid["hs8"] = grid["hs10"].str[:8]
    grid["month"] = months[grid["month_index"]]
    rates = schedule.monthly_rates(grid[["hs10", "hs8", "partner", "month"]], flow="exports")
    tau = rates["china_retaliation"].to_numpy()
    n = len(products)
    pair_level = rng.normal(0.0, 0.6, (n, len(EXPORT_PARTNERS)))
    pair_level[:, 0] = 0.0  # China's level is set by the calibration below
    shocks = np.cumsum(rng.normal(0.0, 0.04, (n, len(EXPORT_PARTNERS), len(months))), axis=2)
    partner_pos = pd.Categorical(grid["partner"], categories=list(EXPORT_PARTNERS)).codes
    product, month_index = grid["product"].to_numpy(), grid["month_index"].to_numpy()
    log_value = (
        pair_level[product, partner_pos]
        + shocks[product, partner_pos, month_index]
        + 0.03 * month_index / 12
        - truth.import_elasticity * truth.passthrough * np.log1p(tau)
    )
    value = np.exp(log_value)
    # Scale each product × partner so that its 2017 total is its 2017 value (other partners: random
    # multiples of China's, as US exports to Canada, Mexico and Japan are larger than to China).
    base = pd.Series(value).where(grid["month"].dt.year.eq(2017).to_numpy(), 0.0)
    base_total = base.groupby([product, partner_pos]).transform("sum").to_numpy()
    multiple = np.array([1.0, 2.2, 1.9, 0.5])[partner_pos] * np.exp(pair_level[product, partner_pos])
    target = products["value_2017"].to_numpy()[product] * multiple
    grid["value"] = np.round(value * target / base_total)
    grid["CTY_NAME"] = grid["partner"].map(names)
    return grid
