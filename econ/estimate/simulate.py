"""Simulated monthly HS10 × partner import panels with known parameters, for tests and benchmarks.

The world is built to look like US import data where it matters for estimation: each product trades with
a few partners (a long-tailed number of them), each product × partner pair is active for one spell of
months, and China's tariffs move in the dated steps of the 2018–19 Section 301 lists, the 2025 IEEPA
layers and the Geneva cut of May 2025, while other partners see only the 2025 baseline layer.

Prices and quantities follow (i product, c partner, t month, τ the statutory rate):

    log p*_ict  = a_ic + b_it + c_ct + (ρ − 1) · log(1 + τ_ict) + e_ict     (exporter's price)
    log p_ict   = log p*_ict + log(1 + τ_ict)                               (duty-inclusive)
    log q_ict   = d_ic + f_it + g_ct − σ · log p_ict + u_ict

so ρ (`passthrough`) is the elasticity of the duty-inclusive price to 1 + τ and σ (`import_elasticity`)
the elasticity of substitution between partners' varieties of one product. e and u are independent, so the
tariff is a valid instrument for the duty-inclusive price. This module is not the project's demo world
(econ/demo.py writes raw files); it makes frames in memory, fast, at any size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CHINA = "5700"
_OTHER_PARTNERS = ["2010", "1220", "5520", "5880", "5800", "4280", "5830", "5330"]
_FIRST_YEAR = 2017


def _partner_codes(n_partners: int) -> list[str]:
    extra = [f"{9000 + k:04d}" for k in range(max(0, n_partners - 1 - len(_OTHER_PARTNERS)))]
    return ([CHINA, *_OTHER_PARTNERS, *extra])[:n_partners]


def _china_rates(list_id: np.ndarray, month_index: np.ndarray) -> np.ndarray:
    """Additional tariff on China by Section 301 list (0 none, 1..3 lists 1–3, 4 list 4A) and month.

    Month index 0 is January 2017; the steps are the month averages of FACTS §1 rounded to whole months.
    """
    t = month_index
    rate = np.zeros(t.shape)
    rate += np.where((list_id == 1) & (t >= 18), 0.25, 0.0)  # list 1, July 2018
    rate += np.where((list_id == 2) & (t >= 19), 0.25, 0.0)  # list 2, August 2018
    rate += np.where((list_id == 3) & (t >= 20), np.where(t >= 29, 0.25, 0.10), 0.0)  # list 3, Sept 2018
    rate += np.where((list_id == 4) & (t >= 32), np.where(t >= 37, 0.075, 0.15), 0.0)  # list 4A, Sept 2019
    # 2025 IEEPA layers on China: fentanyl 10% (Feb) then 20% (Mar); reciprocal 125% in April, cut at
    # Geneva to 10% from mid-May (month average ~ 0.125*13/31 + 0.10*18/31), 10% after.
    fent = np.where(t >= 97, 0.20, np.where(t == 96, 0.10, 0.0))
    recip = np.select([t == 99, t == 100, t >= 101], [1.00, 0.11, 0.10], 0.0)
    return rate + fent + recip


def simulate_import_panel(
    *,
    seed: int = 0,
    n_products: int = 400,
    n_partners: int = 20,
    n_months: int = 108,
    mean_partners: float = 4.0,
    mean_spell: float = 36.0,
    passthrough: float = 1.0,
    import_elasticity: float = 2.5,
    price_noise: float = 0.10,
    quantity_noise: float = 0.30,
    china_share: float = 0.6,
    partner_month_shocks: float = 1.0,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Draw one simulated import panel and return it with its true parameters.

    Columns follow the import-panel contract (TEAM.md) for what estimation uses: hs10, partner, month,
    value, quantity, duty, unit_value, unit_value_incl_duty, mfn, section301, ieepa_reciprocal,
    statutory_rate, product_id (int32), partner_id (int16), month_id (int32, year*12 + month − 1).
    `partner_month_shocks` scales the partner × month random walks in costs and demand (0 switches them
    off, as a design comparing one partner with the others needs to recover its truth exactly).
    """
    rng = np.random.default_rng(seed)
    partners = _partner_codes(n_partners)
    popularity = 1.0 / np.arange(1, n_partners) ** 0.8  # Zipf-like: a few partners supply most products
    popularity /= popularity.sum()

    # Which partners each product trades with: China with probability china_share, others by popularity.
    n_other = np.minimum(rng.geometric(1.0 / mean_partners, n_products), n_partners - 1)
    pair_product, pair_partner = [], []
    for product in range(n_products):
        chosen = rng.choice(np.arange(1, n_partners), size=n_other[product], replace=False, p=popularity)
        if rng.random() < china_share:
            chosen = np.append(chosen, 0)
        pair_product.append(np.full(chosen.size, product))
        pair_partner.append(chosen)
    pp = np.concatenate(pair_product)
    pc = np.concatenate(pair_partner)

    # One spell of months per pair, at least 14 long so that 12-month differences exist.
    length: np.ndarray = np.minimum(14 + rng.geometric(1.0 / max(mean_spell - 13.0, 1.0), pp.size), n_months)
    start = rng.integers(0, n_months - length + 1)
    rows_per_pair = length
    pair_of_row = np.repeat(np.arange(pp.size), rows_per_pair)
    offset = np.arange(pair_of_row.size) - np.repeat(np.cumsum(rows_per_pair) - rows_per_pair, rows_per_pair)
    t = (start[pair_of_row] + offset).astype(np.int64)
    i = pp[pair_of_row]
    c = pc[pair_of_row]
    n = t.size

    mfn_by_product = rng.choice([0.0, 0.0, 0.025, 0.04, 0.05, 0.08], n_products)
    list_by_product = rng.choice([0, 1, 2, 3, 3, 4], n_products)
    mfn = mfn_by_product[i]
    china = c == 0
    extra_china = np.where(china, _china_rates(list_by_product[i], t), 0.0)
    s301 = np.where(china, _china_rates(list_by_product[i], np.minimum(t, 95)), 0.0)  # 301 part only
    recip = np.where(china, extra_china - s301, np.where(t >= 99, 0.10, 0.0))
    rate = mfn + s301 + recip
    log_tariff = np.log1p(rate)

    # Fixed effects: pair levels, product-month and partner-month random walks (demand and cost shocks).
    a_pair = rng.normal(0.0, 1.0, pp.size)
    d_pair = rng.normal(8.0, 1.5, pp.size)
    b_pt = np.cumsum(rng.normal(0.0, 0.03, (n_products, n_months)), axis=1)
    f_pt = np.cumsum(rng.normal(0.0, 0.05, (n_products, n_months)), axis=1)
    c_ct = np.cumsum(rng.normal(0.0, 0.02 * partner_month_shocks, (n_partners, n_months)), axis=1)
    g_ct = np.cumsum(rng.normal(0.0, 0.04 * partner_month_shocks, (n_partners, n_months)), axis=1)

    log_p_excl = a_pair[pair_of_row] + b_pt[i, t] + c_ct[c, t] + (passthrough - 1.0) * log_tariff
    log_p_excl += rng.normal(0.0, price_noise, n)
    log_p_incl = log_p_excl + log_tariff
    log_q = d_pair[pair_of_row] + f_pt[i, t] + g_ct[c, t] - import_elasticity * log_p_incl
    log_q += rng.normal(0.0, quantity_noise, n)

    quantity = np.exp(log_q)
    unit_value = np.exp(log_p_excl)
    value = unit_value * quantity
    duty = rate * value
    month_id = (_FIRST_YEAR * 12 + t).astype(np.int32)
    months = pd.to_datetime(
        pd.DataFrame({"year": month_id // 12, "month": month_id % 12 + 1, "day": 1})
    ).to_numpy()
    hs10 = np.array([f"{8500000000 + 37 * k:010d}" for k in range(n_products)])
    frame = pd.DataFrame(
        {
            "hs10": hs10[i],
            "partner": np.asarray(partners)[c],
            "month": months,
            "value": value,
            "quantity": quantity,
            "duty": duty,
            "unit_value": unit_value,
            "unit_value_incl_duty": (value + duty) / quantity,
            "mfn": mfn,
            "section301": s301,
            "ieepa_reciprocal": recip,
            "statutory_rate": rate,
            "product_id": i.astype(np.int32),
            "partner_id": c.astype(np.int16),
            "month_id": month_id,
        }
    )
    truth = {"passthrough": float(passthrough), "import_elasticity": float(import_elasticity)}
    return frame, truth
