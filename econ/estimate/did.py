"""Difference in differences for the 2025 tariff cuts (the Geneva reduction on imports from China).

Treated: product × partner pairs of `treated_partner` (China, "5700") whose statutory rate falls by at
least `threshold` in log(1 + τ) in some month from `since` on; the first such month is the pair's cohort
E_ic. Controls: other partners' pairs in the same products with no such fall. The sample is the months
from `since − pre` to `since + post`.

Plain two-way fixed effects:

    log y_ict = β · 1[treated_ic, t ≥ E_ic] + μ_ic + α_{i,t} + ε_ict

Sun & Abraham (2021) interaction-weighted estimator, robust to staggered timing and effects that differ by
cohort and over time:

    log y_ict = Σ_e Σ_{k≠−1} β_{e,k} · 1[E_ic = e, t − E_ic = k] + μ_ic + α_{i,t} + ε_ict

(never-treated pairs as the control group, month −1 the reference) and ATT = Σ_{e,k≥0} w_{e,k} β_{e,k}
with w the share of treated observations in each cohort × month cell; its standard error is √(w'Vw) from
the same clustered variance. μ are pair effects and α product × month effects, so China is compared with
other partners in the same product and month. With a single cut date (Geneva) and no anticipation, the two
agree; they part when cohorts differ (e.g. products whose cut came later) and effects grow over time.

Caveats. The reference month is the one before each cohort's cut (for Geneva: April 2025, the month of the
125% peak), so the Sun–Abraham ATT measures the rebound from that month, while the TWFE estimate compares
with the average of all pre-cut months in the window — the two answer different questions when tariffs
moved before the cut, as they did in 2025. With a single treated partner, a shock common to all of that
partner's products in a month (exchange rate, a partner-wide demand shift) cannot be told apart from the
effect; the clustered standard errors reflect product-level noise only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import EstimationError, ParameterError
from econ.estimate.differences import require, safe_log
from econ.estimate.event_study import first_events
from econ.estimate.ols import absorbed_ols
from econ.estimate.results import Result

Outcome = Literal["value", "quantity", "unit_value", "unit_value_incl_duty"]
GENEVA_MONTH_ID = 2025 * 12 + 4  # May 2025: the cut took effect on 14 May


@dataclass
class TariffCutDiD:
    """TWFE and Sun–Abraham estimates of the cut; `table` sets them side by side, `profile` is the
    Sun–Abraham event-time path (cohort-share weighted), `cohorts` the number of treated pairs per cohort."""

    twfe: Result
    sun_abraham: Result
    table: pd.DataFrame
    profile: pd.DataFrame
    cohorts: pd.Series


def _weighted(coef: np.ndarray, vcov: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    w = weights / weights.sum()
    return float(w @ coef), float(np.sqrt(w @ vcov @ w))


def did_tariff_cut(
    panel: pd.DataFrame,
    *,
    outcome: Outcome = "value",
    treated_partner: str = "5700",
    since: int = GENEVA_MONTH_ID,
    pre: int = 6,
    post: int = 7,
    threshold: float = 0.05,
    tariff: str = "statutory_rate",
    cluster: str | tuple[str, str] = "product_id",
) -> TariffCutDiD:
    """Effect of the tariff cut on log `outcome` of the treated partner, TWFE beside Sun–Abraham."""
    if outcome not in get_args(Outcome):
        raise ParameterError(
            [("outcome", f"expected one of {get_args(Outcome)}, got {outcome!r}")], context="did_tariff_cut"
        )
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    require(
        panel, ["product_id", "partner_id", "partner", "month_id", outcome, tariff, *cl], "did_tariff_cut"
    )
    month = panel["month_id"].to_numpy().astype(np.int64)
    in_window = (month >= since - pre) & (month <= since + post)
    sub = panel.loc[in_window]
    month = month[in_window]
    event = first_events(sub, tariff=tariff, threshold=threshold, direction="decrease", since=since)
    is_partner = (sub["partner"].astype(str) == treated_partner).to_numpy()
    treated = is_partner & np.isfinite(event)
    control = ~is_partner & ~np.isfinite(event)
    treated_products = np.unique(sub["product_id"].to_numpy()[treated])
    if treated_products.size == 0:
        raise EstimationError(
            f"did_tariff_cut: no pair of partner {treated_partner} has a fall of at least {threshold} in "
            f"log(1+{tariff}) from month_id {since} (within {since - pre}..{since + post})"
        )
    keep = (treated | control) & np.isin(sub["product_id"].to_numpy(), treated_products)
    sub = sub.loc[keep]
    event, treated, month = event[keep], treated[keep], month[keep]
    frame = pd.DataFrame({"log_y": safe_log(sub[outcome])})
    for c in dict.fromkeys(["product_id", "partner_id", "month_id", *cl]):
        frame[c] = sub[c].to_numpy()
    frame["post_cut"] = (treated & (month >= np.nan_to_num(event, nan=np.inf))).astype(np.float64)
    absorb: list[str | tuple[str, ...]] = [("product_id", "partner_id"), ("product_id", "month_id")]
    twfe = absorbed_ols(frame, "log_y", "post_cut", absorb, cluster=cl)
    twfe.specification.update(estimator="twfe_did", outcome=outcome, treated_partner=treated_partner)

    rel = np.where(treated, month - np.nan_to_num(event, nan=0.0), np.nan)
    cohort = np.where(treated, event, np.nan)
    cells = pd.DataFrame({"cohort": cohort[treated], "rel": rel[treated]}).value_counts().sort_index()
    names, cell_cohort, cell_rel, cell_n = [], [], [], []
    for (e, k), n in cells.items():
        if k == -1:
            continue
        name = f"cohort{int(e)}_rel{'m' if k < 0 else 'p'}{abs(int(k))}"
        frame[name] = ((cohort == e) & (rel == k)).astype(np.float64)
        names.append(name)
        cell_cohort.append(int(e))
        cell_rel.append(int(k))
        cell_n.append(int(n))
    sa = absorbed_ols(frame, "log_y", names, absorb, cluster=cl)
    sa.specification.update(estimator="sun_abraham", outcome=outcome, treated_partner=treated_partner)
    coef, vcov = sa.coef.to_numpy(), sa.vcov.to_numpy()
    cell_rel_a, cell_n_a = np.array(cell_rel), np.array(cell_n, dtype=float)
    post_cells = cell_rel_a >= 0
    att, att_se = _weighted(coef[post_cells], vcov[np.ix_(post_cells, post_cells)], cell_n_a[post_cells])
    rows = []
    for k in sorted(set(cell_rel)):
        sel = cell_rel_a == k
        est, se = _weighted(coef[sel], vcov[np.ix_(sel, sel)], cell_n_a[sel])
        rows.append({"rel_time": k, "estimate": est, "std_error": se, "n_obs": int(cell_n_a[sel].sum())})
    rows.append(
        {
            "rel_time": -1,
            "estimate": 0.0,
            "std_error": 0.0,
            "n_obs": int(cells.loc[:, -1].sum()) if -1 in cells.index.get_level_values(1) else 0,
        }
    )
    profile = pd.DataFrame(rows).sort_values("rel_time", ignore_index=True)
    twfe_row = twfe.tidy().iloc[0]
    from scipy import stats

    q = stats.t.ppf(0.975, max(sa.dof_t, 1))
    table = pd.DataFrame(
        [
            {
                "estimator": "twfe",
                "estimate": twfe_row["estimate"],
                "std_error": twfe_row["std_error"],
                "ci_low": twfe_row["ci_low"],
                "ci_high": twfe_row["ci_high"],
                "nobs": twfe.nobs,
            },
            {
                "estimator": "sun_abraham",
                "estimate": att,
                "std_error": att_se,
                "ci_low": att - q * att_se,
                "ci_high": att + q * att_se,
                "nobs": sa.nobs,
            },
        ]
    )
    table.attrs["specification"] = {
        "equation": "log y_ict on 1[treated, t ≥ cut] (TWFE); on cohort × event time (Sun–Abraham)",
        "outcome": outcome,
        "treated_partner": treated_partner,
        "window": (since - pre, since + post),
        "absorb": ["product_id^partner_id", "product_id^month_id"],
        "cluster": cl,
    }
    cohorts = pd.Series(
        pd.DataFrame({"pair": sub["product_id"].to_numpy()[treated], "cohort": cohort[treated]})
        .drop_duplicates()["cohort"]
        .value_counts()
        .sort_index(),
        name="treated_pairs",
    )
    return TariffCutDiD(twfe=twfe, sun_abraham=sa, table=table, profile=profile, cohorts=cohorts)
