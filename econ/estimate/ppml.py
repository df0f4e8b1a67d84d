"""Poisson pseudo-maximum likelihood with absorbed fixed effects (flows with zeros).

    E[y_i | x_i, g(i)] = exp(x_i'β + Σ_d α_d[g_d(i)])

estimated by iteratively reweighted least squares: at each step the working outcome
z = η + (y − μ)/μ and the regressors are demeaned with weights μ (econ.estimate.demean), β is the weighted
least-squares slope and η = z − (z̃ − X̃β). Stops when the relative change in deviance is below `tol`.

Separation: an observation in a fixed-effect level whose outcomes are all zero has an infinitely negative
fixed effect, and the likelihood has no maximum in the usual sense; such observations are dropped (and
counted in `separated_dropped`), then singletons, iteratively. Separation by the regressors themselves
(Correia, Guimarães & Zylkin 2021's ReLU check) is not tested; a regressor that is zero wherever y > 0
will show as a diverging coefficient and a convergence warning.

Standard errors: the sandwich (X̃'MX̃)⁻¹ S (X̃'MX̃)⁻¹ with M = diag(μ̂) and scores X̃ᵢ(yᵢ − μ̂ᵢ), with the same
small-sample factors as econ.estimate.vcov.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from types import SimpleNamespace

import numpy as np
import pandas as pd

from econ.errors import EstimationError
from econ.estimate.demean import demean
from econ.estimate.fixed_effects import FixedEffects, combine, drop_singletons
from econ.estimate.ols import Absorb, _as_list, _check_absorbed, _check_options, _dof, _result, fe_name
from econ.estimate.results import Result
from econ.estimate.vcov import ClusterDf, FixefDof, VcovKind, sandwich


def _drop_separated(fe: FixedEffects, y: np.ndarray) -> np.ndarray:
    """Keep-mask after removing, iteratively, all-zero fixed-effect levels and singletons."""
    keep = np.ones(y.size, dtype=bool)
    n_coef = int(sum(fe.n_levels))
    while True:
        rows = np.flatnonzero(keep)
        total = np.bincount(
            fe.codes[rows].ravel(), weights=np.repeat(y[rows], fe.codes.shape[1]), minlength=n_coef
        )
        zero = (total[fe.codes[rows]] <= 0).any(axis=1)
        keep[rows[zero]] = False
        after = drop_singletons(fe, keep)
        if not zero.any() and after.sum() == keep.sum():
            return keep
        keep = after


def ppml(
    data: pd.DataFrame,
    y: str,
    x: str | Sequence[str],
    absorb: Absorb = (),
    cluster: str | Sequence[str] | None = None,
    *,
    vcov: VcovKind | None = None,
    fixef_dof: FixefDof = "nonnested",
    cluster_df: ClusterDf = "min",
    tol: float = 1e-8,
    max_iterations: int = 100,
) -> Result:
    """PPML of `y` (≥ 0, zeros kept) on `x` with the dimensions `absorb` absorbed; see the module doc."""
    xs = _as_list(x)
    cl = _as_list(cluster)
    kind = vcov or ("cluster" if cl else "hetero")
    _check_options(kind, fixef_dof, cluster_df, cl)
    fe_columns = [c for dim in absorb for c in ((dim,) if isinstance(dim, str) else dim)]
    needed = list(dict.fromkeys([y, *xs, *fe_columns, *(cl if kind == "cluster" else [])]))
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise EstimationError(f"ppml: column(s) {missing} not in the data")
    num = {c: pd.to_numeric(data[c], errors="coerce").to_numpy(np.float64, na_value=np.nan) for c in [y, *xs]}
    keep = np.ones(len(data), dtype=bool)
    for c in [y, *xs]:
        keep &= np.isfinite(num[c])
    for c in dict.fromkeys([*fe_columns, *cl]):
        keep &= ~pd.isna(data[c]).to_numpy()
    missing_dropped = int(len(data) - keep.sum())
    if missing_dropped:
        warnings.warn(f"ppml: dropped {missing_dropped} rows with missing values in {needed}", stacklevel=2)
    if np.any(num[y][keep] < 0):
        raise EstimationError(f"ppml: outcome '{y}' has negative values; PPML needs y ≥ 0")
    rows = np.flatnonzero(keep)
    yv = num[y][rows]
    if absorb:
        codes = [
            combine(*[data[c].to_numpy()[rows] for c in ((d,) if isinstance(d, str) else d)]) for d in absorb
        ]
        fe = FixedEffects.from_columns(codes, [fe_name(d) for d in absorb])
        kept = _drop_separated(fe, yv)
    else:
        fe = FixedEffects.from_columns([np.zeros(rows.size, dtype=np.int64)], ["(intercept)"])
        kept = np.ones(rows.size, dtype=bool)
    separated = int(rows.size - kept.sum())
    if separated:
        warnings.warn(
            f"ppml: dropped {separated} observations in fixed-effect levels with only zero outcomes "
            "(separated) or left alone in a level",
            stacklevel=2,
        )
    if not kept.any():
        raise EstimationError(
            "ppml: every observation is separated (all-zero fixed-effect groups); no estimate"
        )
    fe = fe.subset(kept) if separated else fe
    rows = rows[kept]
    yv = yv[kept]
    xv = np.column_stack([num[c][rows] for c in xs])
    clusters = [data[c].to_numpy()[rows] for c in (cl if kind == "cluster" else [])]

    mu = (yv + yv.mean()) / 2.0
    eta = np.log(mu)
    beta = np.zeros(len(xs))
    deviance_old = np.inf
    converged = False
    iterations = 0
    for it in range(1, max_iterations + 1):
        z = eta + (yv - mu) / mu
        tilde, _ = demean(np.column_stack([z, xv]), fe, mu, tol=tol)
        zt, xt = tilde[:, 0], tilde[:, 1:]
        if it == 1:
            _check_absorbed(xs, xt, xv, mu, "ppml")
        gram = xt.T @ (xt * mu[:, None])
        beta = np.linalg.solve(gram, xt.T @ (mu * zt))
        eta = z - (zt - xt @ beta)
        mu = np.exp(np.clip(eta, -700, 700))
        with np.errstate(divide="ignore", invalid="ignore"):
            deviance = 2.0 * np.sum(np.where(yv > 0, yv * np.log(yv / mu), 0.0) - (yv - mu))
        iterations = it
        if abs(deviance - deviance_old) / (0.1 + abs(deviance)) < tol:
            converged = True
            break
        deviance_old = deviance
    if not converged:
        warnings.warn(f"ppml: IRLS did not converge in {max_iterations} iterations", stacklevel=2)
    # final weights and demeaned regressors at the solution
    tilde, _ = demean(xv, fe, mu, tol=tol)
    bread = np.linalg.inv(tilde.T @ (tilde * mu[:, None]))
    resid_working = (yv - mu) / mu  # scores x̃ μ (y−μ)/μ = x̃ (y − μ)
    k_iid, k_cluster = _dof(fe, len(xs), clusters, fixef_dof, bool(absorb))
    v, dof_t = sandwich(
        tilde,
        resid_working,
        kind=kind,
        n_params=k_iid,
        weights=mu,
        bread=bread,
        clusters=clusters,
        n_params_cluster=k_cluster,
        cluster_df=cluster_df,
    )

    prep = SimpleNamespace(  # the pieces of a Prepared sample that _result reads
        weights=None, fe=fe, singletons_dropped=0, missing_dropped=missing_dropped, iterations=iterations
    )
    result = _result(
        prep, y, xs, list(absorb), cl, None, kind, beta, v, dof_t, yv - mu, yv - yv.mean(), "ppml"
    )
    result.separated_dropped = separated
    result.r2_within = float("nan")
    result.extra["deviance"] = float(deviance)
    result.extra["converged"] = converged
    return result
