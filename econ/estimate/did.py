"""The 2025 design: China's escalation, the Geneva cut, Busan and the ruling as separate events, each
estimated against one reference period before the escalation (econ.estimate.design).

Treated: pairs of `treated_partner` (China, "5700") whose scheduled log(1 + τ) rises by at least
`threshold` over the reference mean; their cohort is the first such month from the schedule (February
2025 for China's pairs: the fentanyl duty). Controls: other partners' pairs in the same products. The
outcome path, one effect per month relative to the reference period,

    log y_ict = Σ_{k ∉ ref} β_k · 1[treated_ic, t − E_ic = k] + μ_ic + α_{i,t} + ε_ict

is estimated four ways (econ.estimate.staggered): the dynamic two-way fixed-effects event study
("twfe"), Sun–Abraham, Gardner's two stage, and Callaway–Sant'Anna with controls in the same product
and the whole reference period as base. Each event's effect is a contrast of the path: the mean over the
event's post window minus the mean over the previous event's (the reference counts as 0). Its intensity
is the same contrast of the scheduled log(1 + τ), treated minus product-matched controls, from the full
grid of pairs and months, so ``effect / intensity`` is a semi-elasticity comparable across events and
with `econ.estimate.import_demand`. A "dose" regression of log y on the scheduled log(1 + τ) (same
effects, same sample) gives that elasticity in one number.

Why the old single-cut estimates disagreed (−0.06 two-way fixed effects against +1.00 Sun–Abraham on the
default demo): the first compared May–December 2025 with November 2024–April 2025, averaging the three
escalation months into its baseline; the second compared with April alone, the peak. Both are contrasts
of the one path estimated here (see `old_contrasts`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import EstimationError, ParameterError
from econ.estimate.design import (
    DESIGN_END,
    EVENTS_2025,
    REFERENCE_2025,
    PolicyEvent,
    RateSource,
    cohorts_from_schedule,
    month_id,
    post_windows,
    schedule_grid,
    window_means,
)
from econ.estimate.differences import require, safe_log
from econ.estimate.ols import absorbed_ols
from econ.estimate.results import Result
from econ.estimate.staggered import StaggeredEstimate, callaway_santanna, sun_abraham, two_stage

Outcome = Literal["value", "quantity", "unit_value", "unit_value_incl_duty"]
DidEstimator = Literal["twfe", "sun_abraham", "two_stage", "callaway_santanna"]
DID_ESTIMATORS: tuple[str, ...] = get_args(DidEstimator)
ABSORB: list[str | tuple[str, ...]] = [("product_id", "partner_id"), ("product_id", "month_id")]


@dataclass
class Design2025:
    """The path by month (`path`: estimator, month, rel_time, estimate, std_error, n_obs), the events
    (`events`: event, estimator, effect, std_error, ci_low, ci_high, intensity, per_unit), the dose
    elasticity, and the sample: treated pairs by cohort, controls, the regression frame."""

    path: pd.DataFrame
    events: pd.DataFrame
    dose: Result | None
    estimates: dict[str, StaggeredEstimate]
    intensity: pd.DataFrame
    cohort: int
    treated_pairs: int
    control_pairs: int
    frame: pd.DataFrame
    dummies: list[str]
    contrasts: dict[str, dict[int, float]] = field(default_factory=dict)
    specification: dict[str, Any] = field(default_factory=dict)


def _twfe(frame: pd.DataFrame, cluster: list[str], reference: tuple[int, int]) -> tuple:
    """The conventional dynamic event study: one dummy per event time, pooled over cohorts."""
    rel = frame["month_id"].to_numpy(np.float64) - frame["cohort"].to_numpy(np.float64)
    ks = sorted({int(k) for k in rel[np.isfinite(rel)] if not reference[0] <= k <= reference[1]})
    names = []
    for k in ks:
        name = f"rel_{'m' if k < 0 else 'p'}{abs(k)}"
        frame[name] = (rel == k).astype(np.float64)
        names.append(name)
    fit = absorbed_ols(frame, "log_y", names, ABSORB, cluster=cluster)
    table = fit.tidy()
    est = StaggeredEstimate(
        estimator="twfe",
        event_time=pd.DataFrame(
            {
                "rel_time": ks,
                "estimate": table["estimate"].to_numpy(),
                "std_error": table["std_error"].to_numpy(),
                "ci_low": table["ci_low"].to_numpy(),
                "ci_high": table["ci_high"].to_numpy(),
                "n_obs": [int((rel == k).sum()) for k in ks],
            }
        ),
        vcov=pd.DataFrame(fit.vcov.to_numpy(), index=ks, columns=ks),
        cells=pd.DataFrame(),
        nobs=fit.nobs,
        specification=fit.specification,
    )
    return est, names


def did_2025(
    panel: pd.DataFrame,
    rates: RateSource | None,
    *,
    outcome: Outcome = "value",
    treated_partner: str = "5700",
    reference: tuple[str, str] = REFERENCE_2025,
    end: str = DESIGN_END,
    events: Sequence[PolicyEvent] = EVENTS_2025,
    threshold: float = 0.05,
    cluster: str = "product_id",
    estimators: Sequence[DidEstimator] = ("twfe", "sun_abraham", "two_stage", "callaway_santanna"),
    cohort_month: int | None = None,
    exclude_partners: Sequence[str] = (),
) -> Design2025:
    """The 2025 design on an imports panel (see the module doc). `rates` evaluates the schedule on the
    full grid (``econ.panel.schedule(dataset)``); `cohort_month` imposes one cohort on the treated
    partner's pairs (randomisation inference gives a placebo partner China's); `exclude_partners` drops
    partners from the sample (the real treated partner, when a placebo stands in for it)."""
    problems = []
    if outcome not in get_args(Outcome):
        problems.append(("outcome", f"expected one of {get_args(Outcome)}, got {outcome!r}"))
    bad = [e for e in estimators if e not in DID_ESTIMATORS]
    if bad:
        problems.append(("estimators", f"unknown {bad}; expected some of {DID_ESTIMATORS}"))
    if problems:
        raise ParameterError(problems, context="did_2025")
    require(panel, ["product_id", "partner_id", "partner", "hs10", "month_id", outcome, cluster], "did_2025")
    ref = (month_id(reference[0]), month_id(reference[1]))
    last = min(int(panel["month_id"].max()), month_id(end))
    events = tuple(e for e in events if month_id(e.first) <= last)
    if not events:
        raise EstimationError(f"did_2025: the panel ends before the first event ({last})")
    sample = panel.loc[(panel["month_id"] >= ref[0]) & (panel["month_id"] <= last)]
    if exclude_partners:
        sample = sample.loc[~sample["partner"].astype(str).isin([str(p) for p in exclude_partners])]
    grid = schedule_grid(sample, rates, first=ref[0], last=last)
    is_target = grid["partner"].astype(str) == treated_partner
    if cohort_month is None:
        cohorts = cohorts_from_schedule(grid[is_target], since=ref[1] + 1, threshold=threshold, baseline=ref)
    else:
        target_pairs = grid.loc[is_target, ["product_id", "partner_id"]].drop_duplicates()
        cohorts = pd.Series(float(cohort_month), index=pd.MultiIndex.from_frame(target_pairs))
    if cohorts.empty:
        raise EstimationError(
            f"did_2025: no pair of partner {treated_partner} has a scheduled rise of at least {threshold} "
            f"in log(1 + τ) after {reference[1]}"
        )
    cohort = int(cohorts.mode().iloc[0])
    off = cohorts[cohorts != cohort]
    if len(off):
        warnings.warn(
            f"did_2025: {len(off)} treated pairs have another cohort in the schedule than "
            f"{cohort} (month id) and are left out, so that every event has one date",
            stacklevel=2,
        )
    treated_index = cohorts.index[cohorts == cohort]
    products = np.unique(treated_index.get_level_values(0))
    pair = pd.MultiIndex.from_frame(sample[["product_id", "partner_id"]])
    treated = pair.isin(treated_index)
    control = ~(sample["partner"].astype(str) == treated_partner).to_numpy()
    keep = (treated | control) & sample["product_id"].isin(products).to_numpy()
    sub = sample.loc[keep]
    frame = pd.DataFrame(
        {
            "log_y": safe_log(sub[outcome]),
            "product_id": sub["product_id"].to_numpy(),
            "partner_id": sub["partner_id"].to_numpy(),
            "month_id": sub["month_id"].to_numpy(np.int64),
            "cohort": np.where(treated[keep], float(cohort), np.nan),
        }
    )
    frame["pair"] = frame["product_id"].to_numpy(np.int64) * 100_000 + frame["partner_id"].to_numpy()
    if cluster not in frame.columns:
        frame[cluster] = sub[cluster].to_numpy()
    frame = frame.loc[np.isfinite(frame["log_y"].to_numpy())].reset_index(drop=True)
    lt = grid.set_index(["product_id", "partner_id", "month_id"])["log_tariff"]
    frame["log_tariff"] = lt.reindex(
        pd.MultiIndex.from_frame(frame[["product_id", "partner_id", "month_id"]])
    ).to_numpy()
    reference_rel = (ref[0] - cohort, ref[1] - cohort)
    fits: dict[str, StaggeredEstimate] = {}
    dummies: list[str] = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*singleton.*")
        if "twfe" in estimators:
            fits["twfe"], dummies = _twfe(frame, [cluster], reference_rel)
        if "sun_abraham" in estimators:
            fits["sun_abraham"] = sun_abraham(
                frame, "log_y", cohort="cohort", time="month_id", absorb=ABSORB, cluster=cluster,
                reference=reference_rel,
            )  # fmt: skip
        if "two_stage" in estimators:
            fits["two_stage"] = two_stage(
                frame, "log_y", cohort="cohort", time="month_id", absorb=ABSORB, cluster=cluster,
                reference=reference_rel,
            )  # fmt: skip
        if "callaway_santanna" in estimators:
            fits["callaway_santanna"] = callaway_santanna(
                frame, "log_y", unit="pair", cohort="cohort", time="month_id", cluster=cluster,
                within="product_id", base_window=ref[1] - ref[0] + 1, reference=reference_rel,
            )  # fmt: skip
        try:
            dose: Result | None = absorbed_ols(frame, "log_y", "log_tariff", ABSORB, cluster=cluster)
        except EstimationError:  # no tariff variation within product-months (a placebo partner)
            dose = None
    if dose is not None:
        dose.specification.update(estimator="dose", outcome=outcome, treated_partner=treated_partner)

    windows = post_windows(events, last)
    means = window_means(grid, {"reference": ref, **windows})
    treated_means = means.loc[means.index.isin(treated_index)]
    control_means = means.loc[~means.index.isin(treated_index)]
    control_by_product = control_means.groupby(level=0).mean()
    gap = treated_means - control_by_product.reindex(treated_means.index.get_level_values(0)).to_numpy()
    rows, previous = [], "reference"
    intensity_rows = []
    contrasts: dict[str, dict[int, float]] = {}
    for event in events:
        lo, hi = windows[event.name]
        if lo > hi:
            continue
        change = (gap[event.name] - gap[previous]).mean()
        raw_change = (treated_means[event.name] - treated_means[previous]).mean()
        intensity_rows.append(
            {"event": event.name, "window": (lo, hi), "treated": raw_change, "differential": change}
        )
        now = {k - cohort: 1.0 / (hi - lo + 1) for k in range(lo, hi + 1)}
        if previous != "reference":
            plo, phi = windows[previous]
            for k in range(plo, phi + 1):
                now[k - cohort] = now.get(k - cohort, 0.0) - 1.0 / (phi - plo + 1)
        contrasts[event.name] = now
        for name, fit in fits.items():
            estimate, se = fit.contrast(now)
            rows.append(
                {
                    "event": event.name,
                    "estimator": name,
                    "effect": estimate,
                    "std_error": se,
                    "ci_low": estimate - 1.96 * se,
                    "ci_high": estimate + 1.96 * se,
                    "intensity": change,
                    "per_unit": estimate / change if abs(change) > 1e-9 else np.nan,
                }
            )
        if dose is None:
            previous = event.name
            continue
        rows.append(
            {
                "event": event.name,
                "estimator": "dose",
                "effect": float(dose.coef.iloc[0]) * change,
                "std_error": float(dose.se.iloc[0]) * abs(change),
                "ci_low": float(dose.coef.iloc[0]) * change - 1.96 * float(dose.se.iloc[0]) * abs(change),
                "ci_high": float(dose.coef.iloc[0]) * change + 1.96 * float(dose.se.iloc[0]) * abs(change),
                "intensity": change,
                "per_unit": float(dose.coef.iloc[0]),
            }
        )
        previous = event.name
    path = pd.concat([fit.event_time.assign(estimator=name) for name, fit in fits.items()], ignore_index=True)
    path["month_id"] = path["rel_time"] + cohort
    return Design2025(
        path=path,
        events=pd.DataFrame(rows),
        dose=dose,
        estimates=fits,
        intensity=pd.DataFrame(intensity_rows),
        cohort=cohort,
        treated_pairs=len(treated_index),
        control_pairs=int(frame.loc[frame["cohort"].isna(), "pair"].nunique()),
        frame=frame,
        dummies=dummies,
        contrasts=contrasts,
        specification={
            "outcome": outcome,
            "treated_partner": treated_partner,
            "reference": reference,
            "end": last,
            "absorb": ["product_id^partner_id", "product_id^month_id"],
            "cluster": cluster,
            "threshold": threshold,
            "events": {e.name: e.source for e in events},
            "rates_from": "schedule on the full grid" if rates is not None else "panel rows",
        },
    )


def old_contrasts(design: Design2025, estimator: str = "twfe") -> dict[str, tuple[float, float]]:
    """The two single-cut contrasts the earlier design reported, read off the one path: May–December
    2025 against November 2024–April 2025 (its two-way fixed effects) and against April 2025 alone (its
    Sun–Abraham reference). Months outside the sample count as 0 (the reference)."""
    fit = design.estimates[estimator]
    post = range(month_id("2025-05"), min(month_id("2025-12"), design.specification["end"]) + 1)
    pre_mixed = range(month_id("2024-11"), month_id("2025-04") + 1)
    c = design.cohort
    mixed = {k - c: 1.0 / len(post) for k in post}
    for k in pre_mixed:
        mixed[k - c] = mixed.get(k - c, 0.0) - 1.0 / len(pre_mixed)
    peak = {k - c: 1.0 / len(post) for k in post}
    peak[month_id("2025-04") - c] = peak.get(month_id("2025-04") - c, 0.0) - 1.0
    return {"against_nov_to_apr": fit.contrast(mixed), "against_april": fit.contrast(peak)}
