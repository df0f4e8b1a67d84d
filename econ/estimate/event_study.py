"""Event studies around tariff changes: leads and lags with binned end points.

    log y_ict = Σ_{k=a..b, k≠−1} β_k · 1[t − E_ic = k] + μ_ic + α_{i,t} + ε_ict

E_ic is the month of the pair's first tariff change of at least `threshold` (in log(1 + τ)) in the chosen
direction, between months `since` and `until` and, if `event_partners` is given, only for those partners
(e.g. China's 2018–19 Section 301 waves: event_partners=["5700"], until=2019 × 12 + 11); pairs with no such
change are controls (all indicators zero). Choose the window of events so that controls are not hit by
their own change at the same time (in 2025 every partner's rate rose in April). The end indicators are binned:
k = a collects every month a or more before the event, k = b every month b or more after. β_{−1} = 0
is the reference. μ are product × partner effects and α product × month effects, so event pairs are
compared with other partners of the same product in the same month. y is the import value, quantity, or
a unit value. Under staggered timing with effects that differ across cohorts these two-way weights can
mix cohorts (see econ.estimate.did for the Sun–Abraham estimator of the 2025 cut).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import EstimationError, ParameterError
from econ.estimate.differences import pair_difference, require, safe_log
from econ.estimate.ols import absorbed_ols
from econ.estimate.results import Result

Outcome = Literal["value", "quantity", "unit_value", "unit_value_incl_duty"]
Direction = Literal["increase", "decrease"]


@dataclass
class EventStudy:
    """The regression and its event-time profile: rel_time, estimate, std_error, ci_low, ci_high, n_events."""

    result: Result
    profile: pd.DataFrame
    n_event_pairs: int
    outcome: str


def first_events(
    panel: pd.DataFrame,
    *,
    tariff: str,
    threshold: float,
    direction: Direction,
    since: int | None = None,
    until: int | None = None,
    partners: Sequence[str] | None = None,
) -> np.ndarray:
    """Month id of each row's pair's first tariff change beyond `threshold` (NaN: no such change)."""
    lt = {"t": np.log1p(pd.to_numeric(panel[tariff]).to_numpy(np.float64, na_value=np.nan))}
    change = pair_difference(panel, lt, 1)["t"]
    hit = change >= threshold if direction == "increase" else change <= -threshold
    month = panel["month_id"].to_numpy().astype(np.int64)
    if since is not None:
        hit &= month >= since
    if until is not None:
        hit &= month <= until
    if partners is not None:
        hit &= panel["partner"].astype(str).isin([str(p) for p in partners]).to_numpy()
    pair = panel["product_id"].to_numpy().astype(np.int64) * 100_000 + panel["partner_id"].to_numpy()
    event = pd.Series(np.where(hit, month, np.iinfo(np.int64).max)).groupby(pair).transform("min").to_numpy()
    return np.where(event == np.iinfo(np.int64).max, np.nan, event.astype(np.float64))


def event_study(
    panel: pd.DataFrame,
    *,
    outcome: Outcome = "value",
    window: tuple[int, int] = (-6, 12),
    threshold: float = 0.05,
    direction: Direction = "increase",
    tariff: str = "statutory_rate",
    since: int | None = None,
    until: int | None = None,
    event_partners: Sequence[str] | None = None,
    absorb: list[str | tuple[str, ...]] | None = None,
    cluster: str | tuple[str, str] = "product_id",
) -> EventStudy:
    """Leads and lags of log `outcome` around each pair's first tariff change (see the module doc)."""
    problems = []
    if outcome not in get_args(Outcome):
        problems.append(("outcome", f"expected one of {get_args(Outcome)}, got {outcome!r}"))
    if direction not in get_args(Direction):
        problems.append(("direction", f"expected one of {get_args(Direction)}, got {direction!r}"))
    lo, hi = window
    if not (lo <= -2 and hi >= 0):
        problems.append(("window", f"need a ≤ −2 and b ≥ 0 (−1 is the reference), got {window}"))
    if problems:
        raise ParameterError(problems, context="event_study")
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    require(
        panel,
        [
            "product_id",
            "partner_id",
            "month_id",
            outcome,
            tariff,
            *cl,
            *(["partner"] if event_partners else []),
        ],
        "event_study",
    )
    event = first_events(
        panel,
        tariff=tariff,
        threshold=threshold,
        direction=direction,
        since=since,
        until=until,
        partners=event_partners,
    )
    treated = np.isfinite(event)
    if not treated.any():
        raise EstimationError(
            f"event_study: no pair has a tariff {direction} of at least {threshold} in log(1+{tariff})"
        )
    month = panel["month_id"].to_numpy().astype(np.int64)
    rel = np.where(treated, month - np.nan_to_num(event, nan=0.0), np.nan)
    rel = np.clip(rel, lo, hi)
    frame = pd.DataFrame({"log_y": safe_log(panel[outcome])})
    names = []
    for k in range(lo, hi + 1):
        if k == -1:
            continue
        name = f"rel_{'m' if k < 0 else 'p'}{abs(k)}"
        frame[name] = (rel == k).astype(np.float64)
        names.append(name)
    for c in dict.fromkeys(["product_id", "partner_id", "month_id", *cl]):
        frame[c] = panel[c].to_numpy()
    if absorb is None:
        absorb = [("product_id", "partner_id"), ("product_id", "month_id")]
    result = absorbed_ols(frame, "log_y", names, absorb, cluster=cl)
    result.specification.update(
        estimator="event_study", outcome=outcome, window=window, threshold=threshold, direction=direction
    )
    ks = [k for k in range(lo, hi + 1) if k != -1]
    counts = pd.Series(rel[np.isfinite(rel)]).value_counts()
    tidy = result.tidy()
    profile = pd.DataFrame(
        {
            "rel_time": ks,
            "estimate": tidy["estimate"].to_numpy(),
            "std_error": tidy["std_error"].to_numpy(),
            "ci_low": tidy["ci_low"].to_numpy(),
            "ci_high": tidy["ci_high"].to_numpy(),
            "n_obs": [int(counts.get(float(k), 0)) for k in ks],
        }
    )
    ref = pd.DataFrame(
        [
            {
                "rel_time": -1,
                "estimate": 0.0,
                "std_error": 0.0,
                "ci_low": 0.0,
                "ci_high": 0.0,
                "n_obs": int(counts.get(-1.0, 0)),
            }
        ]
    )
    profile = pd.concat([profile, ref]).sort_values("rel_time", ignore_index=True)
    n_pairs = int(
        pd.Series(
            panel["product_id"].to_numpy()[treated] * 100_000 + panel["partner_id"].to_numpy()[treated]
        ).nunique()
    )
    return EventStudy(result=result, profile=profile, n_event_pairs=n_pairs, outcome=outcome)


def plot_event_study(
    study: EventStudy | dict[str, EventStudy], *, ax: Any = None, title: str | None = None
) -> Any:
    """Figure of the event-time profile(s) with 95% intervals; returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    studies = study if isinstance(study, dict) else {study.outcome: study}
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4))
    else:
        fig = ax.figure
    width = 0.8 / max(len(studies), 1)
    for j, (label, s) in enumerate(studies.items()):
        p = s.profile
        shift = (j - (len(studies) - 1) / 2) * width * 0.5
        ax.errorbar(
            p["rel_time"] + shift,
            p["estimate"],
            yerr=[p["estimate"] - p["ci_low"], p["ci_high"] - p["estimate"]],
            fmt="o-",
            ms=3,
            capsize=2,
            label=label,
        )
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("months relative to the tariff change (end points binned)")
    ax.set_ylabel("log points relative to month −1")
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    return fig
