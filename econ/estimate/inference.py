"""Inference when few clusters are treated: the wild cluster bootstrap and randomisation inference over
partners, beside the analytic clustered errors.

With one treated partner (China), errors clustered by product reflect product-level noise only: a shock
common to all of China's products in a month (the exchange rate, a partner-wide demand shift) looks like
an effect. Two answers, reported side by side in the passthrough notebook:

* `wild_cluster_bootstrap`: the restricted wild cluster bootstrap-t (WCR, Rademacher weights; Cameron,
  Gelbach & Miller 2008) of one linear combination of slopes, by the `wildboottest` package on the data
  with the fixed effects partialled out. By product it is valid with many clusters; by partner, with one
  treated cluster, it is known to fail (MacKinnon & Webb 2017), which is why the next exists.
* `randomization_inference`: each control partner in turn is given China's treatment dates (China's
  rows left out), and the design re-estimated; the p-value is the share of placebo effects at least as
  large in absolute value as China's, counting China's own (Fisher; with 13 placebo partners the
  smallest attainable p-value is 1/14).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from econ.errors import EstimationError
from econ.estimate.ols import Absorb, prepare


def wild_cluster_bootstrap(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    absorb: Absorb,
    cluster: str,
    *,
    contrast: Mapping[str, float],
    reps: int = 999,
    seed: int = 0,
) -> dict[str, float]:
    """WCR bootstrap p-value of H0: Σ contrast[x_j]·β_j = 0 in the absorbed regression of y on x.

    The regressors are re-parametrised (X A⁻¹, A's row j the contrast) so that the combination is one
    coefficient, the form the package tests. Returns estimate, t (CRV1) and p_value (two-tailed)."""
    from wildboottest.wildboottest import WildboottestCL

    names = list(x)
    c = np.array([float(contrast.get(n, 0.0)) for n in names])
    if not np.any(c):
        raise EstimationError("wild_cluster_bootstrap: the contrast puts no weight on any regressor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prep = prepare(data, [y, *names], list(absorb), cluster=[cluster], weights=None)
    yt, xt = prep.tilde[:, 0], prep.tilde[:, 1:]
    j = int(np.argmax(np.abs(c)))
    a = np.eye(len(names))
    a[j] = c
    xs = xt @ np.linalg.inv(a)
    r = np.zeros(len(names))
    r[j] = 1.0
    boot = WildboottestCL(X=xs, Y=yt, cluster=prep.clusters[0], R=r, B=reps, seed=seed, parallel=False)
    boot.get_scores(bootstrap_type="11", impose_null=True)
    boot.get_weights(weights_type="rademacher")
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    boot.get_pvalue(pval_type="two-tailed")
    beta = np.linalg.lstsq(xs, yt, rcond=None)[0]
    return {
        "estimate": float(beta[j]),
        "t": float(np.ravel(boot.t_stat)[0]),
        "p_value": float(boot.pvalue),
        "clusters": float(len(np.unique(prep.clusters[0]))),
        "reps": float(reps),
    }


def design_bootstrap(
    design: Any, *, cluster: str = "product_id", reps: int = 999, seed: int = 0
) -> pd.DataFrame:
    """WCR p-values of each event's effect in a `did_2025` design (its two-way fixed-effects path)."""
    from econ.estimate.did import ABSORB

    if cluster not in design.frame.columns:
        raise EstimationError(f"design_bootstrap: the design's frame has no column {cluster!r}")
    ks = [
        int(name.split("_")[1][1:]) * (-1 if name.split("_")[1][0] == "m" else 1) for name in design.dummies
    ]
    by_rel = dict(zip(ks, design.dummies, strict=True))
    rows = []
    for event, weights in design.contrasts.items():
        contrast = {by_rel[k]: w for k, w in weights.items() if k in by_rel}
        out = wild_cluster_bootstrap(
            design.frame, "log_y", design.dummies, ABSORB, cluster, contrast=contrast, reps=reps, seed=seed
        )
        rows.append({"event": event, "cluster": cluster, **out})
    return pd.DataFrame(rows)


def randomization_inference(
    panel: pd.DataFrame,
    rates: Any,
    *,
    treated_partner: str = "5700",
    placebo_partners: Sequence[str] | None = None,
    min_pairs: int = 30,
    **design: Any,
) -> pd.DataFrame:
    """Per event: China's effect (two-way fixed effects), the placebo effects of every other partner
    given China's cohort, and the randomisation p-value (see the module doc)."""
    from econ.estimate.did import did_2025

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        actual = did_2025(panel, rates, treated_partner=treated_partner, estimators=("twfe",), **design)
    effects = actual.events[actual.events["estimator"] == "twfe"].set_index("event")["effect"]
    if placebo_partners is None:
        counts = panel.drop_duplicates(["product_id", "partner_id"])["partner"].astype(str).value_counts()
        placebo_partners = [str(p) for p, n in counts.items() if p != treated_partner and n >= min_pairs]
    placebos: dict[str, pd.Series] = {}
    for partner in placebo_partners:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = did_2025(
                    panel, rates, treated_partner=str(partner), cohort_month=actual.cohort,
                    exclude_partners=[treated_partner], estimators=("twfe",), **design,
                )  # fmt: skip
        except EstimationError:
            continue
        placebos[str(partner)] = fit.events[fit.events["estimator"] == "twfe"].set_index("event")["effect"]
    table = pd.DataFrame(placebos)
    rows = []
    for event, value in effects.items():
        draws = table.loc[[event]].iloc[0].dropna().to_numpy() if event in table.index else np.array([])
        rows.append(
            {
                "event": event,
                "effect": float(value),
                "placebos": int(draws.size),
                "placebo_sd": float(np.std(draws, ddof=1)) if draws.size > 1 else np.nan,
                "p_value": float((1 + np.sum(np.abs(draws) >= abs(value))) / (1 + draws.size)),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["placebo_effects"] = table
    return out
