"""Variance of least-squares slopes after fixed effects are absorbed: iid, HC1, one- and two-way clustered.

All estimators are sandwiches V = c · B⁻¹ M B⁻¹ with B = X̃'WX̃ (X̃ the demeaned regressors) and M the
"meat". The small-sample factor c follows fixest / pyfixest defaults (ssc(k_adj=True,
k_fixef="nonnested", G_adj=True, G_df="min")):

* iid:        V = σ̂² B⁻¹,  σ̂² = Σ w û² / (N − K)
* hetero:     c = N / (N − K)                                    (HC1)
* cluster:    c = G/(G − 1) · (N − 1)/(N − K)                    (CR1)
* two-way:    V = V₁ + V₂ − V₁₂ (Cameron, Gelbach & Miller 2011), each term with c above and, by default,
              G = min(G₁, G₂) in all three terms (fixest's G_df="min"); `cluster_df="conventional"` uses
              each term's own number of clusters instead (statsmodels' convention).

K counts the slopes plus the fixed effects: Σ_d L_d − (D − 1) for D absorbed dimensions with L_d levels
(one redundancy per dimension beyond the first; exact for two connected dimensions, an upper bound on the
rank otherwise — fixest's convention). With clustered errors and `fixef_dof="nonnested"` (the default), a
dimension nested in a cluster variable (every level inside one cluster, e.g. product × partner effects
with clustering by product) counts as one parameter, not L_d: its effects are already in the cluster
sums, and counting them would inflate c without bound as clusters shrink. `fixef_dof="full"` counts every
fixed effect, which is what OLS with explicit dummies (statsmodels) does.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from econ.errors import EstimationError
from econ.estimate.fixed_effects import factorize

VcovKind = Literal["iid", "hetero", "cluster"]
FixefDof = Literal["nonnested", "full"]
ClusterDf = Literal["min", "conventional"]


def _cluster_meat(scores: np.ndarray, clusters: np.ndarray) -> tuple[np.ndarray, int]:
    codes, n_groups = factorize(clusters)
    k = scores.shape[1]
    sums = np.zeros((n_groups, k))
    for j in range(k):
        sums[:, j] = np.bincount(codes, weights=scores[:, j], minlength=n_groups)
    return sums.T @ sums, n_groups


def sandwich(
    x: np.ndarray,
    resid: np.ndarray,
    *,
    kind: VcovKind,
    n_params: int,
    weights: np.ndarray | None = None,
    bread: np.ndarray | None = None,
    instruments: np.ndarray | None = None,
    clusters: list[np.ndarray] | None = None,
    n_params_cluster: int | None = None,
    cluster_df: ClusterDf = "min",
) -> tuple[np.ndarray, int]:
    """Variance matrix and the degrees of freedom for t tests.

    `x` are the demeaned regressors (the instruments' fitted projections for 2SLS, passed as
    `instruments` with the inverse bread `bread`); `n_params` is K for iid/HC1, `n_params_cluster` K
    with nested fixed effects discounted.
    """
    n = x.shape[0]
    w = np.ones(n) if weights is None else weights
    z = x if instruments is None else instruments
    if bread is None:
        bread = np.linalg.inv(x.T @ (x * w[:, None]))
    if kind == "iid":
        sigma2 = float(np.sum(w * resid**2)) / (n - n_params)
        if instruments is not None:
            meat = z.T @ (z * w[:, None])
            return sigma2 * bread @ meat @ bread.T, n - n_params
        return sigma2 * bread, n - n_params
    scores = z * (w * resid)[:, None]
    if kind == "hetero":
        meat = scores.T @ scores
        return n / (n - n_params) * (bread @ meat @ bread.T), n - n_params
    if not clusters:
        raise EstimationError("cluster: vcov='cluster' needs one or two cluster columns")
    k_c = n_params if n_params_cluster is None else n_params_cluster
    small = (n - 1) / (n - k_c)
    if len(clusters) == 1:
        meat, g = _cluster_meat(scores, clusters[0])
        if g < 2:
            raise EstimationError("cluster: only one cluster left; clustered standard errors are undefined")
        return g / (g - 1) * small * (bread @ meat @ bread.T), g - 1
    if len(clusters) != 2:
        raise EstimationError(f"cluster: at most two cluster columns are supported, got {len(clusters)}")
    first, second = clusters
    both = (
        np.asarray(factorize(first)[0], dtype=np.int64) * (int(factorize(second)[1]) + 1)
        + factorize(second)[0]
    )
    terms = []
    groups = []
    for c in (first, second, both):
        meat, g = _cluster_meat(scores, c)
        terms.append(meat)
        groups.append(g)
    g_min = min(groups[0], groups[1])
    if g_min < 2:
        raise EstimationError("cluster: a cluster dimension has a single cluster")
    vcov = np.zeros((x.shape[1], x.shape[1]))
    for sign, meat, g in zip((1.0, 1.0, -1.0), terms, groups, strict=True):
        g_used = g_min if cluster_df == "min" else g
        vcov += sign * g_used / (g_used - 1) * small * (bread @ meat @ bread.T)
    return vcov, g_min - 1
