"""The structural demo world: a data-generating process the estimators did not write. **Synthetic.**

The calibrated demo (econ.demo) draws its flows from the estimating equation itself, with the tariff
engine's rates; a test that recovers its truth shows consistency, not identification. This world has its
own economics and its own tariff table, so an estimator has to survive what real data do to it:

* pricing with lags: exporters' (duty-exclusive) prices adjust to the tariff over three months,
  log p*_ict = a_ic + b_it + c_ct + (ρ − 1) Σ_l λ_l log(1 + τ_ic,t−l) + e_ict, λ = (0.5, 0.3, 0.2);
* CES demand between partners (σ) and a product's total imports against its price index (η), with
  product and partner demand shocks (partner-month shocks are AR(1): one treated partner's own monthly
  shocks are what clustering by product cannot see);
* anticipation and inventories: in the month before an announced increase, importers buy ahead
  (κ times the coming rise in log(1 + τ) of a month's needs) and draw the stock down over the next two;
* gaps within pairs (months with no trade) and spells that start and end;
* HS code changes: some products change code in January 2022 (the HS 2022 revision), so their pairs
  break in two;
* Section 301 exclusions: some listed products pay no 301 duty from 2019-06 to 2020-12 while the
  statutory schedule still lists them, so collected falls short of statutory (stylised dates, (check));
* the de minimis shift: for some consumer products a share of China's shipments entered under de minimis,
  unrecorded, until 2025-05-02 and in formal entries after (FACTS §1b), a jump in recorded imports that
  coincides with Geneva;
* its own tariff computation: `TARIFF_STEPS`, a small table of dates and rates written from FACTS §1 and
  §1c, evaluated by day-weighted month averages here — not the econ.tariffs engine.

`simulate(seed=..., scale=...)` returns the imports panel (the columns of econ.panel's imports panel
that the estimators use, plus `section122`) and the truth; `write(folder, ...)` writes it as Census API
JSON with an HTS file and truth.json, in the calibrated demo's formats (by its writers,
econ.demo.writers). The truth holds the parameters and the true effects of the 2025 events, computed from
the same world with 2025–26 tariffs held at their January 2025 level (same shocks): see
`truth["events"]`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econ import atomic

FIRST_MONTH, LAST_MONTH = "2017-01", "2026-07"
CHINA = "5700"
PARTNERS = ("5700", "2010", "1220", "5520", "5880", "5800", "4280", "5830", "5330")
# Tariff steps (legal effective date, rate) per layer, FACTS §1 and §1c. "china" layers apply to China;
# reciprocal and Section 122 to every partner but products flagged exempt (electronics; Annex II).
TARIFF_STEPS: dict[str, tuple[tuple[str, float], ...]] = {
    "list1": (("2018-07-06", 0.25),),
    "list2": (("2018-08-23", 0.25),),
    "list3": (("2018-09-24", 0.10), ("2019-05-10", 0.25)),
    "list4a": (("2019-09-01", 0.15), ("2020-02-14", 0.075)),
    "fentanyl_china": (("2025-02-04", 0.10), ("2025-03-04", 0.20), ("2025-11-10", 0.10), ("2026-02-24", 0.0)),
    "reciprocal_china": (
        ("2025-04-05", 0.10), ("2025-04-09", 0.84), ("2025-04-10", 1.25), ("2025-05-14", 0.10),
        ("2026-02-24", 0.0),
    ),
    "reciprocal_other": (("2025-04-05", 0.10), ("2026-02-24", 0.0)),
    "section122": (("2026-02-24", 0.10), ("2026-07-24", 0.0)),
}  # fmt: skip
# Announced a month or more before they took effect (so importers could buy ahead): the 301 lists.
ANNOUNCED_AHEAD = ("list1", "list2", "list3", "list4a")
EXCLUSION_WINDOW = ("2019-06-01", "2020-12-31")  # stylised (check)
DE_MINIMIS_END_CHINA = "2025-05-02"  # FACTS §1b
HS_REVISION = "2022-01"


@dataclass(frozen=True)
class StructuralParameters:
    passthrough: float = 0.9  # long-run ρ
    import_elasticity: float = 3.0  # σ
    aggregate_elasticity: float = 1.2  # η
    anticipation: float = 0.6  # κ: share of a month's needs bought ahead per unit rise in log(1 + τ)
    partner_shocks: float = 1.0  # scale of the partner × month shocks
    gap_rate: float = 0.08  # share of active pair-months with no trade
    de_minimis_share: float = 0.3  # share of China's shipments of affected products under de minimis
    excluded_share: float = 0.15  # share of listed products with a 301 exclusion


def _months() -> pd.DatetimeIndex:
    return pd.date_range(f"{FIRST_MONTH}-01", f"{LAST_MONTH}-01", freq="MS")


def monthly_step(steps: tuple[tuple[str, float], ...], months: pd.DatetimeIndex) -> np.ndarray:
    """Day-weighted monthly average of a step function that is 0 before its first date."""
    return _monthly_step(steps, tuple(months))


@cache
def _monthly_step(steps: tuple[tuple[str, float], ...], months: tuple[pd.Timestamp, ...]) -> np.ndarray:
    days = pd.date_range(months[0], months[-1] + pd.offsets.MonthEnd(0), freq="D")
    rate = np.zeros(len(days))
    for date, value in steps:
        rate[days >= pd.Timestamp(date)] = value
    month_of_day = (days.year - months[0].year) * 12 + days.month - months[0].month
    totals = np.bincount(month_of_day, weights=rate, minlength=len(months))
    return totals / np.bincount(month_of_day, minlength=len(months))


def _products(rng: np.random.Generator, n: int) -> pd.DataFrame:
    lists = rng.choice(["", "list1", "list2", "list3", "list4a"], n, p=[0.3, 0.1, 0.05, 0.35, 0.2])
    codes = np.sort(rng.choice(np.arange(8400000000, 9600000000, 1000), n, replace=False))
    return pd.DataFrame(
        {
            "hs10": [f"{c:010d}" for c in codes],
            "list301": lists,
            "mfn": rng.choice([0.0, 0.0, 0.02, 0.035, 0.05, 0.08], n),
            "exempt": rng.random(n) < 0.12,  # electronics and Annex II: no reciprocal, no Section 122
            "excluded": (lists != "") & (rng.random(n) < 1.0),  # drawn below with the share
            "de_minimis": rng.random(n) < 0.08,
            "recoded": rng.random(n) < 0.05,
        }
    )


class StructuralRates:
    """The world's statutory schedule as a rate source (`monthly_rates`), for econ.estimate's designs."""

    def __init__(self, products: pd.DataFrame) -> None:
        self.products = products
        months = _months()
        self.months = months
        self.layers = {name: monthly_step(steps, months) for name, steps in TARIFF_STEPS.items()}

    def layer_rates(self, product: np.ndarray, partner: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        p = self.products
        china = partner == CHINA
        lists = p["list301"].to_numpy()[product]
        s301 = np.zeros(t.size)
        for name in ("list1", "list2", "list3", "list4a"):
            s301 += np.where(china & (lists == name), self.layers[name][t], 0.0)
        exempt = p["exempt"].to_numpy()[product]
        recip = np.where(china, self.layers["reciprocal_china"][t], self.layers["reciprocal_other"][t])
        return {
            "mfn": p["mfn"].to_numpy()[product],
            "section301": s301,
            "section232": np.zeros(t.size),
            "ieepa_fentanyl": np.where(china, self.layers["fentanyl_china"][t], 0.0),
            "ieepa_reciprocal": np.where(exempt, 0.0, recip),
            "section122": np.where(exempt, 0.0, self.layers["section122"][t]),
        }

    def product_index(self, hs10: pd.Series) -> np.ndarray:
        """Row of `products` for each code, old (before the HS 2022 revision) or new."""
        ids = np.arange(len(self.products))
        lookup = pd.concat(
            [
                pd.Series(ids, index=self.products["hs10"].to_numpy()),
                pd.Series(ids, index=self.products["hs10"].map(_old_code).to_numpy()),
            ]
        )
        lookup = lookup[~lookup.index.duplicated()]
        product = lookup.reindex(hs10.astype(str).to_numpy()).to_numpy(np.float64)
        if np.isnan(product).any():
            raise KeyError("StructuralRates: an hs10 code the structural world does not know")
        return product.astype(np.int64)

    def monthly_rates(self, frame: pd.DataFrame) -> pd.DataFrame:
        product = self.product_index(frame["hs10"])
        month = pd.to_datetime(frame["month"])
        t = ((month.dt.year - 2017) * 12 + month.dt.month - 1).to_numpy()
        layers = self.layer_rates(product, frame["partner"].astype(str).to_numpy(), t)
        out = pd.DataFrame(layers)
        out["total"] = out.sum(axis=1)
        return out


def _old_code(code: str) -> str:
    """The code a recoded product had before the HS 2022 revision (a different statistical suffix)."""
    return code[:8] + f"{(int(code[8:]) + 50) % 100:02d}"


def _shocks(rng: np.random.Generator, shape: tuple[int, int], sd: float, persistence: float) -> np.ndarray:
    out = np.zeros(shape)
    eps = rng.normal(0.0, sd, shape)
    for t in range(shape[1]):
        out[:, t] = (persistence * out[:, t - 1] if t else 0.0) + eps[:, t]
    return out


def _world(seed: int, scale: float, params: StructuralParameters) -> dict[str, Any]:
    """Everything random about the world, drawn once, so the counterfactual reuses the same shocks."""
    rng = np.random.default_rng([seed, 7])
    n = max(round(400 * scale), 20)
    products = _products(rng, n)
    listed = products["list301"].to_numpy() != ""
    products["excluded"] = listed & (rng.random(n) < params.excluded_share)
    months = _months()
    n_months, n_partners = len(months), len(PARTNERS)
    reach = np.array([0.9, 0.4, 0.35, 0.35, 0.4, 0.3, 0.4, 0.3, 0.3])
    pair_p, pair_c = np.nonzero(rng.random((n, n_partners)) < reach)
    start = np.where(rng.random(pair_p.size) < 0.7, 0, rng.integers(0, n_months - 24, pair_p.size))
    end = np.where(rng.random(pair_p.size) < 0.85, n_months, rng.integers(start + 24, n_months + 1))
    return {
        "products": products,
        "pairs": (pair_p, pair_c, start, end),
        "taste": rng.normal(0.0, 0.8, pair_p.size),
        "pair_price": rng.normal(0.0, 0.4, pair_p.size),
        "base_price": rng.normal(3.0, 1.0, n),
        "product_price": np.cumsum(rng.normal(0.0, 0.015, (n, n_months)), axis=1),
        "product_demand": np.cumsum(rng.normal(0.0, 0.03, (n, n_months)), axis=1),
        "partner_price": _shocks(rng, (n_partners, n_months), 0.006 * params.partner_shocks, 0.8),
        "partner_demand": _shocks(rng, (n_partners, n_months), 0.012 * params.partner_shocks, 0.8),
        "price_noise_seed": int(rng.integers(0, 2**31)),
        "gap_draw": rng.random((pair_p.size, n_months)),
        "size": rng.normal(18.0, 1.2, n),
    }


def _flows(world: dict[str, Any], params: StructuralParameters, *, freeze_2025: bool) -> pd.DataFrame:
    products, (pair_p, pair_c, start, end) = world["products"], world["pairs"]
    rates = StructuralRates(products)
    n_pairs, n_months = pair_p.size, len(rates.months)
    t_all = np.arange(n_months)
    partner = np.asarray(PARTNERS)[pair_c]
    # statutory and paid log(1 + τ), pair × month
    grid_p, grid_t = np.repeat(pair_p, n_months), np.tile(t_all, n_pairs)
    grid_c = np.repeat(partner, n_months)
    # the counterfactual keeps every tariff at its January 2025 level (month 96) from February 2025 on
    t_eval = np.where(grid_t >= 97, 96, grid_t) if freeze_2025 else grid_t
    layers = rates.layer_rates(grid_p, grid_c, t_eval)
    statutory = np.sum(np.vstack(list(layers.values())), axis=0)
    excluded = products["excluded"].to_numpy()[grid_p] & (grid_c == CHINA)
    on = rates.months[grid_t]
    window = (on >= pd.Timestamp(EXCLUSION_WINDOW[0])) & (on <= pd.Timestamp(EXCLUSION_WINDOW[1]))
    paid = statutory - np.where(excluded & window, layers["section301"], 0.0)
    lt = np.log1p(paid).reshape(n_pairs, n_months)
    # exporters' prices adjust over three months
    lagged = 0.5 * lt + 0.3 * np.roll(lt, 1, axis=1) + 0.2 * np.roll(lt, 2, axis=1)
    lagged[:, :2] = lt[:, :2]
    rho, sigma, eta = params.passthrough, params.import_elasticity, params.aggregate_elasticity
    c_idx = np.repeat(pair_c[:, None], n_months, axis=1)
    p_idx = np.repeat(pair_p[:, None], n_months, axis=1)
    log_fob = (
        world["base_price"][p_idx] + world["pair_price"][:, None] + world["product_price"][p_idx, t_all]
        + world["partner_price"][c_idx, t_all] + (rho - 1.0) * lagged
    )  # fmt: skip
    log_fob += np.random.default_rng(world["price_noise_seed"]).normal(0.0, 0.04, log_fob.shape)
    log_p = log_fob + lt
    active = (t_all[None, :] >= start[:, None]) & (t_all[None, :] < end[:, None])
    kernel = np.where(active, np.exp(world["taste"][:, None] + (1 - sigma) * log_p), 0.0)
    n_products = len(products)
    index_sum = np.zeros((n_products, n_months))
    np.add.at(index_sum, pair_p, kernel)
    log_index = np.where(index_sum > 0, np.log(np.where(index_sum > 0, index_sum, 1.0)) / (1 - sigma), 0.0)
    log_spend_k = world["size"][:, None] + world["product_demand"] + (1 - eta) * log_index
    share = kernel / np.maximum(index_sum[pair_p], 1e-300)
    demand_shift = np.exp(world["partner_demand"][c_idx, t_all])
    needs = share * np.exp(log_spend_k[pair_p] - log_p) * demand_shift  # quantity consumed
    # anticipation: buy ahead of announced rises (the 301 lists), draw the stock down over two months
    ahead = np.zeros((n_pairs, n_months))
    china = pair_c == 0
    lists = products["list301"].to_numpy()[pair_p]
    for name in ANNOUNCED_AHEAD:
        rise = np.diff(np.log1p(rates.layers[name]), prepend=0.0)
        for t in np.flatnonzero(rise > 1e-9):
            hit = china & (lists == name)
            if t >= 1:
                ahead[hit, t - 1] += params.anticipation * rise[t]
    drawdown = 0.5 * np.roll(ahead, 1, axis=1) + 0.5 * np.roll(ahead, 2, axis=1)
    drawdown[:, :2] = 0.0
    quantity = needs * np.maximum(1.0 + ahead - drawdown, 0.05)
    # de minimis: part of China's shipments of affected products unrecorded until 2025-05-02
    recorded = np.ones((n_pairs, n_months))
    minimis = china & products["de_minimis"].to_numpy()[pair_p]
    before = monthly_step(((DE_MINIMIS_END_CHINA, 1.0),), rates.months)  # share of the month after
    recorded[minimis] = 1.0 - params.de_minimis_share * (1.0 - before[None, :])
    value = quantity * recorded * np.exp(log_fob)
    keep = active & (world["gap_draw"] >= params.gap_rate)
    rows_pair, rows_t = np.nonzero(keep)
    product = pair_p[rows_pair]
    hs10 = products["hs10"].to_numpy()[product]
    recoded = products["recoded"].to_numpy()[product] & (rates.months[rows_t] < pd.Timestamp(HS_REVISION))
    hs10 = np.where(recoded, [_old_code(c) for c in hs10], hs10)
    flat = rows_pair * n_months + rows_t
    frame = pd.DataFrame(
        {
            "hs10": hs10,
            "partner": partner[rows_pair],
            "month": rates.months[rows_t],
            "value": value[rows_pair, rows_t],
            "quantity": (quantity * recorded)[rows_pair, rows_t],
            "paid_rate": paid[flat],
            **{name: layer[flat] for name, layer in layers.items()},
            "statutory_rate": statutory[flat],
            "product": product,
            "pair": rows_pair,
        }
    )
    return frame


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["duty"] = frame["value"] * frame["paid_rate"]
    frame["unit_value"] = frame["value"] / frame["quantity"]
    frame["unit_value_incl_duty"] = (frame["value"] + frame["duty"]) / frame["quantity"]
    frame["collected_rate"] = frame["duty"] / frame["value"]
    frame["hs8"], frame["hs6"], frame["chapter"] = (frame["hs10"].str[:n] for n in (8, 6, 2))
    frame["product_id"] = pd.factorize(frame["hs10"], sort=True)[0].astype("int32")
    frame["partner_id"] = pd.factorize(frame["partner"], sort=True)[0].astype("int16")
    frame["month_id"] = (frame["month"].dt.year * 12 + frame["month"].dt.month - 1).astype("int32")
    return frame.sort_values(["hs10", "partner", "month"], ignore_index=True)


def _true_events(factual: pd.DataFrame, counterfactual: pd.DataFrame) -> dict[str, Any]:
    """True per-month effect on log value, China minus the mean of other partners in the same product
    (the estimand of econ.estimate.did_2025), and its event contrasts over the design's windows."""
    from econ.estimate.design import EVENTS_2025, month_id, post_windows

    key = ["pair", "month"]
    both = factual[[*key, "product", "partner", "value"]].merge(
        counterfactual[[*key, "value"]], on=key, suffixes=("", "_0")
    )
    both["effect"] = np.log(both["value"]) - np.log(both["value_0"])
    both["month_id"] = both["month"].dt.year * 12 + both["month"].dt.month - 1
    china = both["partner"] == CHINA
    controls = both[~china].groupby(["product", "month_id"])["effect"].mean().rename("control")
    treated = both[china].join(controls, on=["product", "month_id"]).dropna(subset=["control"])
    path = (treated["effect"] - treated["control"]).groupby(treated["month_id"]).mean()
    last = int(both["month_id"].max())
    windows = post_windows(EVENTS_2025, last)
    levels, events, previous = {"reference": 0.0}, {}, "reference"
    for event in EVENTS_2025:
        lo, hi = windows[event.name]
        levels[event.name] = float(path.reindex(range(lo, hi + 1)).mean())
        events[event.name] = levels[event.name] - levels[previous]
        previous = event.name
    start = month_id("2025-02")
    return {
        "events": events,
        "path": {
            int(k): float(v) for k, v in zip(path.index, path.to_numpy(), strict=True) if int(k) >= start
        },
    }


def simulate(
    *, seed: int = 0, scale: float = 1.0, overrides: Mapping[str, float] | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One draw of the structural world: the imports panel and its truth (see the module doc)."""
    params = StructuralParameters(**dict(overrides or {}))
    world = _world(seed, scale, params)
    factual = _flows(world, params, freeze_2025=False)
    counterfactual = _flows(world, params, freeze_2025=True)
    panel = _finish(factual)
    truth = {
        "synthetic": True,
        "world": "structural",
        "note": "Synthetic structural demo world written by econ.demo.structural — not real statistics.",
        "seed": seed,
        "scale": scale,
        "parameters": asdict(params),
        "tariff_steps": {k: [list(s) for s in v] for k, v in TARIFF_STEPS.items()},
        "products": int(panel["hs10"].nunique()),
        "rows": len(panel),
        **_true_events(factual, counterfactual),
    }
    panel.attrs["rates"] = StructuralRates(world["products"])
    return panel.drop(columns=["product", "pair", "paid_rate"]), truth


def write(folder: Path, *, seed: int = 0, scale: float = 1.0) -> list[Path]:
    """Write the world as the calibrated demo does: Census API JSON per year, an HTS JSON export of its
    products (MFN rates and Section 301 footnotes) and truth.json. Returns the files written."""
    from econ.demo.catalogue import LIST_HEADINGS
    from econ.demo.writers import CENSUS_HEADER, census_rows, hts_lines, with_aggregates, write_census_year

    panel, truth = simulate(seed=seed, scale=scale)
    rates: StructuralRates = panel.attrs["rates"]
    products = panel.drop_duplicates("hs10")[["hs10", "hs8", "hs6", "mfn"]].reset_index(drop=True)
    names = {"list1": "1", "list2": "2", "list3": "3", "list4a": "4A", "": None}
    lists = rates.products["list301"].to_numpy()[rates.product_index(products["hs10"])]
    products["list301"] = [names[name] for name in lists]
    products = products.assign(
        description=[f"Synthetic structural product {c}" for c in products["hs10"]],
        unit="NO",
        general=[f"{100 * m:g}%" if m > 0 else "Free" for m in products["mfn"]],
        mfn_paid=products["mfn"],
    )
    if not set(LIST_HEADINGS) >= {v for v in products["list301"] if isinstance(v, str)}:
        raise ValueError("structural world: a Section 301 list the HTS writer does not know")
    folder = Path(folder)
    hts_path = folder / "hts" / "hts_structural.json"
    atomic.write_json(hts_path, hts_lines(products), indent=None)
    index = {code: j for j, code in enumerate(products["hs10"])}
    flows = panel.assign(
        product=panel["hs10"].map(index),
        tariff_paid=panel["collected_rate"],
        quantity_true=panel["quantity"],
    )
    rows = with_aggregates(
        census_rows(flows, products, np.random.default_rng([seed, 9]), unit_value_noise=0.05)
    )
    files = [hts_path]
    for year, part in rows.groupby(rows["month"].dt.year):
        path = folder / "census" / f"imports_hs10_{year}.json"
        write_census_year(part, path, CENSUS_HEADER, "I_COMMODITY")
        files.append(path)
    atomic.write_json(folder / "truth.json", truth)
    files.append(folder / "truth.json")
    return files
