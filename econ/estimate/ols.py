"""Least squares with high-dimensional fixed effects absorbed: `absorbed_ols` and `absorbed_iv`.

    y_i = x_i'β + Σ_d α_d[g_d(i)] + ε_i

Every fixed-effect dimension d (a column, or a tuple of columns for an interaction such as
product × month) is absorbed by demeaning (econ.estimate.demean), never entered as dummies. Rows with a
missing or non-finite value in any used column are dropped with a warning; then observations alone in a
level of any dimension (singletons) are dropped, iteratively, and counted. Standard errors: see
econ.estimate.vcov for the small-sample conventions.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import EstimationError, ParameterError
from econ.estimate.demean import demean
from econ.estimate.fixed_effects import FixedEffects, combine, drop_singletons, is_nested
from econ.estimate.results import Result
from econ.estimate.vcov import ClusterDf, FixefDof, VcovKind, sandwich

Absorb = Sequence[str | tuple[str, ...]]
VcovOption = Literal["iid", "hetero", "cluster"]


def fe_name(dim: str | tuple[str, ...]) -> str:
    """Display name of a fixed-effect dimension: 'product_id' or 'product_id^month_id'."""
    return dim if isinstance(dim, str) else "^".join(dim)


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass
class Prepared:
    """Demeaned columns of one sample and what was dropped to get there."""

    tilde: np.ndarray  # (n, m) demeaned columns in the order requested
    raw: np.ndarray  # (n, m) the same columns before demeaning
    fe: FixedEffects
    weights: np.ndarray | None
    clusters: list[np.ndarray]
    keep: np.ndarray  # mask on the input rows
    missing_dropped: int
    singletons_dropped: int
    iterations: int


def _check_options(vcov: str, fixef_dof: str, cluster_df: str, cluster: list[str]) -> None:
    problems = []
    if vcov not in get_args(VcovOption):
        problems.append(("vcov", f"expected one of {get_args(VcovOption)}, got {vcov!r}"))
    if fixef_dof not in get_args(FixefDof):
        problems.append(("fixef_dof", f"expected one of {get_args(FixefDof)}, got {fixef_dof!r}"))
    if cluster_df not in get_args(ClusterDf):
        problems.append(("cluster_df", f"expected one of {get_args(ClusterDf)}, got {cluster_df!r}"))
    if vcov == "cluster" and not cluster:
        problems.append(("cluster", "vcov='cluster' needs a cluster column (or a pair of them)"))
    if len(cluster) > 2:
        problems.append(("cluster", f"one or two columns, got {cluster}"))
    if problems:
        raise ParameterError(problems, context="absorbed_ols")


def prepare(
    data: pd.DataFrame,
    columns: list[str],
    absorb: Absorb,
    *,
    cluster: list[str],
    weights: str | None,
    drop_singleton_obs: bool = True,
    tol: float = 1e-8,
    context: str = "absorbed_ols",
    extra_keep: np.ndarray | None = None,
) -> Prepared:
    """Check columns, drop missing rows and singletons, demean `columns` by all of `absorb`."""
    fe_columns = [c for dim in absorb for c in ((dim,) if isinstance(dim, str) else dim)]
    needed = list(dict.fromkeys([*columns, *fe_columns, *cluster, *([weights] if weights else [])]))
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise EstimationError(
            f"{context}: column(s) {missing} not in the data (available: {sorted(map(str, data.columns))})"
        )
    n_in = len(data)
    keep = np.ones(n_in, dtype=bool) if extra_keep is None else extra_keep.copy()
    numeric = {}
    bad_by_column: dict[str, int] = {}
    for c in dict.fromkeys([*columns, *([weights] if weights else [])]):
        values = pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        numeric[c] = values
        finite = np.isfinite(values)
        bad_by_column[c] = int((~finite).sum())
        keep &= finite
    for c in dict.fromkeys([*fe_columns, *cluster]):
        present = ~pd.isna(data[c]).to_numpy()
        bad_by_column[c] = int((~present).sum())
        keep &= present
    if weights:
        bad = keep & (numeric[weights] <= 0)
        if bad.any():
            warnings.warn(
                f"{context}: dropped {int(bad.sum())} rows with zero or negative weight '{weights}'",
                stacklevel=3,
            )
        keep &= ~bad
    missing_dropped = int(n_in - keep.sum()) if extra_keep is None else int(extra_keep.sum() - keep.sum())
    if missing_dropped:
        where = ", ".join(f"{c} {k}" for c, k in bad_by_column.items() if k)
        warnings.warn(
            f"{context}: dropped {missing_dropped} of {n_in} rows with missing or non-finite values "
            f"(missing per column: {where})",
            stacklevel=3,
        )
    if not keep.any():
        raise EstimationError(f"{context}: no rows left after dropping missing values in {needed}")
    rows = np.flatnonzero(keep)
    if absorb:
        codes = []
        for dim in absorb:
            parts = [data[c].to_numpy()[rows] for c in ((dim,) if isinstance(dim, str) else dim)]
            codes.append(combine(*parts))
        fe = FixedEffects.from_columns(codes, [fe_name(d) for d in absorb])
    else:  # no fixed effects: the intercept is the one absorbed "dimension"
        fe = FixedEffects.from_columns([np.zeros(rows.size, dtype=np.int64)], ["(intercept)"])
    singletons = 0
    if drop_singleton_obs and absorb:
        kept = drop_singletons(fe)
        singletons = int(rows.size - kept.sum())
        if singletons:
            if not kept.any():
                raise EstimationError(
                    f"{context}: all {rows.size} observations are singletons in some fixed-effect "
                    f"dimension of {[fe_name(d) for d in absorb]}; nothing is left to estimate from"
                )
            warnings.warn(
                f"{context}: dropped {singletons} singleton observations (alone in a level of "
                f"{[fe_name(d) for d in absorb]})",
                stacklevel=3,
            )
            fe = fe.subset(kept)
            keep[rows[~kept]] = False
            rows = rows[kept]
    raw = np.column_stack([numeric[c][rows] for c in columns])
    w = numeric[weights][rows] if weights else None
    tilde, info = demean(raw, fe, w, tol=tol)
    if not info.converged:
        warnings.warn(
            f"{context}: demeaning stopped after {info.iterations} iterations at relative residual "
            f"{info.relative_residual:.2e} (tolerance {tol:.0e}); estimates may be inexact",
            stacklevel=3,
        )
    clusters = [data[c].to_numpy()[rows] for c in cluster]
    return Prepared(tilde, raw, fe, w, clusters, keep, missing_dropped, singletons, info.iterations)


def _check_absorbed(names: list[str], tilde: np.ndarray, raw: np.ndarray, w, context: str) -> None:
    """Raise when a regressor has (numerically) no variation left after the fixed effects."""
    ww = np.ones(raw.shape[0]) if w is None else w
    absorbed = []
    for j, name in enumerate(names):
        centered = raw[:, j] - np.average(raw[:, j], weights=ww)
        before = float(np.sum(ww * centered**2))
        after = float(np.sum(ww * tilde[:, j] ** 2))
        if before == 0.0 or after <= 1e-10 * before:
            absorbed.append(name)
    if absorbed:
        raise EstimationError(
            f"{context}: regressor(s) {absorbed} are absorbed by the fixed effects (no variation left "
            "within them); drop them or absorb fewer dimensions"
        )
    gram = tilde.T @ (tilde * ww[:, None])
    scale = np.sqrt(np.diag(gram))
    cond = np.linalg.cond(gram / np.outer(scale, scale))
    if cond > 1e12:
        raise EstimationError(
            f"{context}: regressors {names} are collinear after absorbing the fixed effects"
        )


def _dof(
    fe: FixedEffects, k: int, clusters: list[np.ndarray], fixef_dof: str, fe_given: bool
) -> tuple[int, int]:
    """K for iid/HC1 and K for clustered errors (nested dimensions count as one), see econ.estimate.vcov."""
    levels = list(fe.n_levels)
    k_fe = sum(levels) - (len(levels) - 1)
    if not clusters or fixef_dof == "full" or not fe_given:
        return k + k_fe, k + k_fe
    nested_levels, n_nested = 0, 0
    for d, n_level in enumerate(levels):
        codes = fe.codes[:, d]
        if any(is_nested(codes, c) for c in clusters):
            nested_levels += n_level
            n_nested += 1
    return k + k_fe, k + k_fe - nested_levels + n_nested


def absorbed_ols(
    data: pd.DataFrame,
    y: str,
    x: str | Sequence[str],
    absorb: Absorb = (),
    cluster: str | Sequence[str] | None = None,
    weights: str | None = None,
    *,
    vcov: VcovKind | None = None,
    fixef_dof: FixefDof = "nonnested",
    cluster_df: ClusterDf = "min",
    drop_singleton_obs: bool = True,
    tol: float = 1e-8,
) -> Result:
    """OLS of `y` on `x` with the fixed-effect dimensions `absorb` partialled out.

    absorb: column names, or tuples of names for interactions, e.g.
    ``[("product_id", "partner_id"), ("product_id", "month_id"), ("partner_id", "month_id")]``.
    cluster: a column or a pair of columns (two-way clustering). vcov: "iid", "hetero" (HC1) or
    "cluster"; by default "cluster" when `cluster` is given, else "hetero". weights: a column of
    analytic (precision) weights.
    """
    xs = _as_list(x)
    cl = _as_list(cluster)
    kind = vcov or ("cluster" if cl else "hetero")
    _check_options(kind, fixef_dof, cluster_df, cl)
    if not xs:
        raise ParameterError([("x", "at least one regressor")], context="absorbed_ols")
    prep = prepare(
        data,
        [y, *xs],
        list(absorb),
        cluster=cl if kind == "cluster" else [],
        weights=weights,
        drop_singleton_obs=drop_singleton_obs,
        tol=tol,
    )
    return _fit(prep, y, xs, list(absorb), cl, weights, kind, fixef_dof, cluster_df, "absorbed_ols")


def _fit(prep, y, xs, absorb, cl, weights, kind, fixef_dof, cluster_df, estimator) -> Result:
    yt = prep.tilde[:, 0]
    xt = prep.tilde[:, 1:]
    _check_absorbed(xs, xt, prep.raw[:, 1:], prep.weights, estimator)
    w = prep.weights
    ww = np.ones(yt.size) if w is None else w
    gram = xt.T @ (xt * ww[:, None])
    bread = np.linalg.inv(gram)
    beta = bread @ (xt.T @ (ww * yt))
    resid = yt - xt @ beta
    k_iid, k_cluster = _dof(prep.fe, len(xs), prep.clusters, fixef_dof, bool(absorb))
    if yt.size <= k_iid:
        raise EstimationError(
            f"{estimator}: {yt.size} observations for {k_iid} parameters (slopes and fixed effects); "
            "no degrees of freedom left"
        )
    v, dof_t = sandwich(
        xt,
        resid,
        kind=kind,
        n_params=k_iid,
        weights=w,
        bread=bread,
        clusters=prep.clusters,
        n_params_cluster=k_cluster,
        cluster_df=cluster_df,
    )
    result = _result(prep, y, xs, absorb, cl, weights, kind, beta, v, dof_t, resid, yt, estimator)
    _store_influence(result, prep, xt, resid, bread, k_cluster)
    return result


def _store_influence(result: Result, prep: Prepared, z: np.ndarray, resid, bread, k_cluster: int) -> None:
    """Per-cluster influence of the slopes, scaled so that its cross-product is the clustered variance
    (one-way clustering only): what `econ.estimate.joint_parameters` stacks across equations."""
    if len(prep.clusters) != 1:
        return
    from econ.estimate.fixed_effects import factorize

    w = np.ones(resid.size) if prep.weights is None else prep.weights
    scores = z * (w * resid)[:, None]
    codes, n_groups = factorize(prep.clusters[0])
    sums = np.column_stack(
        [np.bincount(codes, weights=scores[:, j], minlength=n_groups) for j in range(scores.shape[1])]
    )
    n = resid.size
    factor = n_groups / (n_groups - 1) * (n - 1) / (n - k_cluster)
    labels = pd.unique(pd.Series(prep.clusters[0]))
    order = np.argsort(factorize(np.asarray(labels))[0])
    result.extra["cluster_influence"] = pd.DataFrame(
        np.sqrt(factor) * sums @ bread.T, index=labels[order], columns=result.coef.index
    )


def _result(prep, y, xs, absorb, cl, weights, kind, beta, v, dof_t, resid, yt, estimator, **extra):
    ww = np.ones(yt.size) if prep.weights is None else prep.weights
    tss = float(np.sum(ww * yt**2))
    spec = {
        "estimator": estimator,
        "y": y,
        "x": list(xs),
        "absorb": [fe_name(d) for d in absorb],
        "cluster": list(cl) if kind == "cluster" else [],
        "vcov": kind,
        "weights": weights,
        **extra,
    }
    diag = np.diag(v)
    if np.any(diag < 0):
        warnings.warn(f"{estimator}: the variance matrix has a negative diagonal entry", stacklevel=3)
    return Result(
        coef=pd.Series(beta, index=xs, name="coef"),
        se=pd.Series(np.sqrt(np.maximum(diag, 0.0)), index=xs, name="se"),
        vcov=pd.DataFrame(v, index=xs, columns=xs),
        nobs=int(yt.size),
        n_fixed_effects=(dict(zip(prep.fe.names, prep.fe.n_levels, strict=True)) if absorb else {}),
        singletons_dropped=prep.singletons_dropped,
        missing_dropped=prep.missing_dropped,
        dof_t=int(dof_t),
        specification=spec,
        r2_within=1.0 - float(np.sum(ww * resid**2)) / tss if tss > 0 else float("nan"),
        iterations=prep.iterations,
    )


def absorbed_iv(
    data: pd.DataFrame,
    y: str,
    endogenous: str | Sequence[str],
    instruments: str | Sequence[str],
    absorb: Absorb = (),
    cluster: str | Sequence[str] | None = None,
    weights: str | None = None,
    *,
    exogenous: Sequence[str] = (),
    vcov: VcovKind | None = None,
    fixef_dof: FixefDof = "nonnested",
    cluster_df: ClusterDf = "min",
    tol: float = 1e-8,
) -> Result:
    """Two-stage least squares with absorbed fixed effects:

        y = X β + W γ + Σ_d α_d + ε,   X instrumented by Z (with W exogenous),

    β̂ = (X̂'X)⁻¹ X̂'y on demeaned data with X̂ = P_[Z,W] X; the sandwich uses X̂ in the scores. The
    first-stage F (Kleibergen–Paap is not computed; with one endogenous regressor the reported
    `first_stage_f` is the squared t of the excluded instrument(s), Wald form, same vcov) is in `extra`.
    """
    endo = _as_list(endogenous)
    inst = _as_list(instruments)
    exo = list(exogenous)
    cl = _as_list(cluster)
    kind = vcov or ("cluster" if cl else "hetero")
    _check_options(kind, fixef_dof, cluster_df, cl)
    if len(inst) < len(endo):
        raise ParameterError([("instruments", "fewer instruments than endogenous regressors")], context="iv")
    cols = [y, *endo, *exo, *inst]
    prep = prepare(
        data, cols, list(absorb), cluster=cl if kind == "cluster" else [], weights=weights, tol=tol
    )
    ww = np.ones(prep.tilde.shape[0]) if prep.weights is None else prep.weights
    yt = prep.tilde[:, 0]
    xt = prep.tilde[:, 1 : 1 + len(endo) + len(exo)]
    zt = np.column_stack(
        [prep.tilde[:, 1 + len(endo) : 1 + len(endo) + len(exo)], prep.tilde[:, -len(inst) :]]
    )
    names = [*endo, *exo]
    _check_absorbed([*names, *inst], prep.tilde[:, 1:], prep.raw[:, 1:], prep.weights, "absorbed_iv")
    zz = zt.T @ (zt * ww[:, None])
    first = np.linalg.solve(zz, zt.T @ (xt * ww[:, None]))
    xhat = zt @ first
    bread = np.linalg.inv(xhat.T @ (xt * ww[:, None]))
    beta = bread @ (xhat.T @ (ww * yt))
    resid = yt - xt @ beta
    k_iid, k_cluster = _dof(prep.fe, len(names), prep.clusters, fixef_dof, bool(absorb))
    v, dof_t = sandwich(
        xhat,
        resid,
        kind=kind,
        n_params=k_iid,
        weights=prep.weights,
        bread=bread,
        instruments=xhat,
        clusters=prep.clusters,
        n_params_cluster=k_cluster,
        cluster_df=cluster_df,
    )
    result = _result(
        prep,
        y,
        names,
        list(absorb),
        cl,
        weights,
        kind,
        beta,
        v,
        dof_t,
        resid,
        yt,
        "absorbed_iv",
        instruments=inst,
    )
    # first stage of the first endogenous regressor on the excluded instruments, same vcov
    fs_x = zt
    fs_bread = np.linalg.inv(zz)
    fs_beta = fs_bread @ (fs_x.T @ (ww * xt[:, 0]))
    fs_resid = xt[:, 0] - fs_x @ fs_beta
    fs_v, _ = sandwich(
        fs_x,
        fs_resid,
        kind=kind,
        n_params=k_iid - len(names) + zt.shape[1],
        weights=prep.weights,
        bread=fs_bread,
        clusters=prep.clusters,
        n_params_cluster=k_cluster - len(names) + zt.shape[1],
        cluster_df=cluster_df,
    )
    excl = slice(len(exo), zt.shape[1])
    b_ex = fs_beta[excl]
    v_ex = fs_v[excl, excl]
    _store_influence(result, prep, xhat, resid, bread, k_cluster)
    result.extra["first_stage_f"] = float(b_ex @ np.linalg.solve(v_ex, b_ex)) / len(inst)
    result.extra["first_stage"] = dict(zip(inst, b_ex.tolist(), strict=True))
    return result
