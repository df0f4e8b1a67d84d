"""Heterogeneity-robust difference in differences for (possibly staggered) adoption: Sun–Abraham,
Callaway–Sant'Anna and Gardner's two-stage estimator, on one long frame.

The frame has one row per unit (a product × partner pair) and month, a `cohort` column (the month id of
the unit's first treated month, NaN for never-treated units) and the outcome. Event time is
k = month − cohort. Months in `reference` (a window of event times, (−1, −1) by default) are the
baseline every estimator compares with; event times outside it are estimated, leads as placebo tests.

* Sun & Abraham (2021): one dummy per cohort × event time (the reference window omitted), with the
  absorbed fixed effects, never-treated units as controls; the event-time effect is the average of the
  cohort effects weighted by each cohort's share of treated rows at that event time.
* Callaway & Sant'Anna (2021), unconditional outcome regression: ATT(g, t) = mean over treated units of
  cohort g of (Y_t − Y_base) minus the same mean over the controls (never treated, or not yet treated
  at t), Y_base the unit's mean over `base_window` months before g (1: the month g − 1, their
  "universal" base). With `within` (e.g. product_id) the control mean is taken within the treated unit's
  group, i.e. the comparison is with other partners of the same product (the outcome regression on a
  saturated discrete covariate). Standard errors from the influence function, summed by cluster.
* Gardner (2022) two-stage: the fixed effects are estimated on untreated rows only (controls, and treated
  units before their cohort); the outcome net of them is regressed on event-time dummies. Standard errors
  from the GMM sandwich that accounts for the first stage (Gardner's eq. 6, as pyfixest's did2s).

Why they can differ on the same panel: Sun–Abraham and two-stage agree exactly in a balanced panel with
unit and time effects; with sparse rows and richer fixed effects their weights differ (least squares
weights rows by their within-variation; two-stage weights treated rows equally); Callaway–Sant'Anna
compares each unit with its own base months, so units missing there drop out.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse, stats
from scipy.sparse.linalg import cg, lsqr

from econ.errors import EstimationError
from econ.estimate.fixed_effects import FixedEffects, combine, factorize
from econ.estimate.ols import Absorb, absorbed_ols, fe_name

ControlGroup = Literal["never", "not_yet"]


@dataclass
class StaggeredEstimate:
    """Effects by event time (rel_time, estimate, std_error, ci_low, ci_high, n_obs) with their joint
    variance, and the cohort × event-time cells they were averaged from."""

    estimator: str
    event_time: pd.DataFrame
    vcov: pd.DataFrame
    cells: pd.DataFrame
    nobs: int
    specification: dict[str, Any] = field(default_factory=dict)

    def contrast(self, weights: dict[int, float]) -> tuple[float, float]:
        """Estimate and standard error of Σ_k w_k β_k over event times k (reference times count as 0)."""
        est = self.event_time.set_index("rel_time")["estimate"]
        names = [k for k in weights if k in est.index]
        w = np.array([weights[k] for k in names])
        v = self.vcov.loc[names, names].to_numpy()
        return float(w @ est.loc[names].to_numpy()), float(np.sqrt(max(w @ v @ w, 0.0)))


def _event_table(
    estimates: np.ndarray, vcov: np.ndarray, rel: list[int], n_obs: list[int], dof: int
) -> pd.DataFrame:
    se = np.sqrt(np.maximum(np.diag(vcov), 0.0))
    q = stats.t.ppf(0.975, max(dof, 1))
    return pd.DataFrame(
        {
            "rel_time": rel,
            "estimate": estimates,
            "std_error": se,
            "ci_low": estimates - q * se,
            "ci_high": estimates + q * se,
            "n_obs": n_obs,
        }
    )


def _columns(data: pd.DataFrame, needed: Sequence[str], context: str) -> None:
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise EstimationError(f"{context}: column(s) {missing} not in the data")


def _rel_time(data: pd.DataFrame, cohort: str, time: str) -> np.ndarray:
    g = pd.to_numeric(data[cohort], errors="coerce").to_numpy(np.float64)
    return data[time].to_numpy(np.float64) - g  # NaN for never-treated units


def _in_reference(rel: np.ndarray, reference: tuple[int, int]) -> np.ndarray:
    return (rel >= reference[0]) & (rel <= reference[1])


def sun_abraham(
    data: pd.DataFrame,
    y: str,
    *,
    cohort: str,
    time: str,
    absorb: Absorb,
    cluster: str | Sequence[str],
    reference: tuple[int, int] = (-1, -1),
) -> StaggeredEstimate:
    """Interaction-weighted event study (see the module doc); never-treated units are the controls."""
    cl = [cluster] if isinstance(cluster, str) else list(cluster)
    fe_cols = [c for d in absorb for c in ((d,) if isinstance(d, str) else d)]
    _columns(data, [y, cohort, time, *fe_cols, *cl], "sun_abraham")
    rel = _rel_time(data, cohort, time)
    treated = np.isfinite(rel)
    g = data[cohort].to_numpy(np.float64)
    estimated = treated & ~_in_reference(rel, reference)
    cells = pd.DataFrame({"cohort": g[estimated], "rel_time": rel[estimated]}).value_counts().sort_index()
    frame = data[list(dict.fromkeys([y, *fe_cols, *cl]))].copy()
    names, cell_rows = [], []
    keys = cells.index.to_frame(index=False).to_numpy(np.float64)
    for (e, k), n in zip(keys, cells.to_numpy(), strict=True):
        name = f"c{int(e)}_{'m' if k < 0 else 'p'}{abs(int(k))}"
        frame[name] = ((g == e) & (rel == k)).astype(np.float64)
        names.append(name)
        cell_rows.append({"cohort": int(e), "rel_time": int(k), "n_obs": int(n)})
    if not names:
        raise EstimationError("sun_abraham: no treated rows outside the reference window")
    fit = absorbed_ols(frame, y, names, absorb, cluster=cl)
    kept = fit.coef.index
    cell_frame = pd.DataFrame(cell_rows, index=names).loc[kept]
    cell_frame["estimate"] = fit.coef.to_numpy()
    cell_frame["std_error"] = fit.se.to_numpy()
    coef, vcov = fit.coef.to_numpy(), fit.vcov.to_numpy()
    ks = sorted(cell_frame["rel_time"].unique())
    weights = np.zeros((len(ks), len(kept)))
    for row, k in enumerate(ks):
        sel = (cell_frame["rel_time"] == k).to_numpy()
        n = cell_frame["n_obs"].to_numpy(np.float64) * sel
        weights[row] = n / n.sum()
    est = weights @ coef
    v = weights @ vcov @ weights.T
    n_obs = [int(cell_frame.loc[cell_frame["rel_time"] == k, "n_obs"].sum()) for k in ks]
    table = _event_table(est, v, [int(k) for k in ks], n_obs, fit.dof_t)
    return StaggeredEstimate(
        estimator="sun_abraham",
        event_time=table,
        vcov=pd.DataFrame(v, index=ks, columns=ks),
        cells=cell_frame.reset_index(drop=True),
        nobs=fit.nobs,
        specification={**fit.specification, "estimator": "sun_abraham", "reference": reference},
    )


# -------------------------------------------------------------------------------------- two-stage


def _dummies(fe: FixedEffects) -> sparse.csr_matrix:
    n, k = fe.codes.shape
    rows = np.repeat(np.arange(n), k)
    return sparse.csr_matrix((np.ones(n * k), (rows, fe.codes.ravel())), shape=(n, int(sum(fe.n_levels))))


def _solve_normal(d0: sparse.csr_matrix, rhs: np.ndarray, tol: float) -> np.ndarray:
    """A solution of (D0'D0) a = rhs (consistent, singular), by Jacobi-preconditioned CG."""
    gram = (d0.T @ d0).tocsr()
    diag = gram.diagonal()
    inv = np.where(diag > 0, 1.0 / np.maximum(diag, 1e-300), 0.0)
    precond = sparse.diags(inv)
    out = np.empty_like(rhs)
    for j in range(rhs.shape[1]):
        scale = float(np.abs(rhs[:, j]).max()) or 1.0
        sol, info = cg(gram, rhs[:, j] / scale, M=precond, rtol=tol, maxiter=20_000)
        if info != 0:
            warnings.warn(f"two_stage: the first-stage correction did not converge ({info})", stacklevel=3)
        out[:, j] = sol * scale
    return out


def two_stage(
    data: pd.DataFrame,
    y: str,
    *,
    cohort: str,
    time: str,
    absorb: Absorb,
    cluster: str,
    reference: tuple[int, int] = (-1, -1),
    tol: float = 1e-10,
) -> StaggeredEstimate:
    """Gardner's two-stage estimator (see the module doc). Treated rows whose fixed-effect levels never
    occur among untreated rows cannot be imputed: they are dropped with a warning that counts them."""
    fe_cols = [c for d in absorb for c in ((d,) if isinstance(d, str) else d)]
    _columns(data, [y, cohort, time, *fe_cols, cluster], "two_stage")
    yv = pd.to_numeric(data[y], errors="coerce").to_numpy(np.float64)
    ok = np.isfinite(yv)
    for c in dict.fromkeys([*fe_cols, cluster]):
        ok &= ~pd.isna(data[c]).to_numpy()
    if (~ok).any():
        warnings.warn(f"two_stage: dropped {int((~ok).sum())} rows with missing values", stacklevel=2)
    sub = data.loc[ok]
    yv = yv[ok]
    rel = _rel_time(sub, cohort, time)
    treated_row = np.isfinite(rel) & (rel >= 0)
    codes = [combine(*[sub[c].to_numpy() for c in ((d,) if isinstance(d, str) else d)]) for d in absorb]
    fe = FixedEffects.from_columns(codes, [fe_name(d) for d in absorb])
    untreated = ~treated_row
    seen = np.bincount(fe.codes[untreated].ravel(), minlength=int(sum(fe.n_levels))) > 0
    imputable = seen[fe.codes].all(axis=1)
    lost = treated_row & ~imputable
    if lost.any():
        warnings.warn(
            f"two_stage: dropped {int(lost.sum())} treated rows whose fixed-effect levels never occur "
            "among untreated rows (their counterfactual cannot be imputed)",
            stacklevel=2,
        )
    keep = imputable
    fe = fe.subset(keep)
    yv, rel, untreated = yv[keep], rel[keep], untreated[keep]
    clusters = sub[cluster].to_numpy()[keep]
    d = _dummies(fe)
    d0 = d[np.flatnonzero(untreated)]
    first = lsqr(d0, yv[untreated], atol=tol, btol=tol, iter_lim=50_000)
    alpha = first[0]
    resid = yv - d @ alpha  # stage-1 residual on every row: y net of the imputed fixed effects
    estimated = np.isfinite(rel) & ~_in_reference(rel, reference)
    ks = sorted({int(k) for k in rel[estimated]})
    if not ks:
        raise EstimationError("two_stage: no treated rows outside the reference window")
    x2 = np.column_stack([(rel == k).astype(np.float64) for k in ks])
    x2x2 = x2.T @ x2
    beta = np.linalg.solve(x2x2, x2.T @ resid)
    u2 = resid - x2 @ beta
    u1 = np.where(untreated, resid, 0.0)
    # GMM correction for the estimated first stage: Γ = (D0'D0)⁻¹ D'X2, contribution D0 Γ · u1.
    gamma = _solve_normal(d0, np.asarray(d.T @ x2), tol)
    correction = np.asarray(d @ gamma) * u1[:, None]
    cl_codes, n_clusters = factorize(clusters)
    scores = np.zeros((n_clusters, len(ks)))
    for j in range(len(ks)):
        scores[:, j] = np.bincount(cl_codes, weights=x2[:, j] * u2 - correction[:, j], minlength=n_clusters)
    inv = np.linalg.inv(x2x2)
    vcov = inv @ (scores.T @ scores) @ inv
    n_obs = [int((rel == k).sum()) for k in ks]
    table = _event_table(beta, vcov, ks, n_obs, n_clusters - 1)
    return StaggeredEstimate(
        estimator="two_stage",
        event_time=table,
        vcov=pd.DataFrame(vcov, index=ks, columns=ks),
        cells=table[["rel_time", "estimate", "n_obs"]].assign(cohort=np.nan),
        nobs=int(keep.sum()),
        specification={
            "estimator": "two_stage",
            "y": y,
            "absorb": [fe_name(d) for d in absorb],
            "cluster": [cluster],
            "reference": reference,
            "first_stage_rows": int(untreated.sum()),
            "treated_rows_not_imputable": int(lost.sum()),
        },
    )


# ------------------------------------------------------------------------------- Callaway–Sant'Anna


def callaway_santanna(
    data: pd.DataFrame,
    y: str,
    *,
    unit: str,
    cohort: str,
    time: str,
    cluster: str,
    within: str | None = None,
    control: ControlGroup = "never",
    base_window: int = 1,
    reference: tuple[int, int] = (-1, -1),
) -> StaggeredEstimate:
    """ATT(g, t) by unconditional outcome regression, aggregated to event times (see the module doc).

    Event times k < 0 are placebo ATTs against the same base (CS's "universal" base when base_window is
    1). `reference` only names the event times not reported (the base months themselves)."""
    if control not in ("never", "not_yet"):
        raise EstimationError(f"callaway_santanna: control must be 'never' or 'not_yet', got {control!r}")
    _columns(data, [y, unit, cohort, time, cluster, *([within] if within else [])], "callaway_santanna")
    yv = pd.to_numeric(data[y], errors="coerce").to_numpy(np.float64)
    ok = np.isfinite(yv)
    frame = pd.DataFrame(
        {
            "unit": factorize(data[unit].to_numpy())[0],
            "g": pd.to_numeric(data[cohort], errors="coerce").to_numpy(np.float64),
            "t": data[time].to_numpy(np.int64),
            "y": yv,
            "cluster": data[cluster].to_numpy(),
            "within": data[within].to_numpy() if within else 0,
        }
    ).loc[ok]
    if frame.duplicated(["unit", "t"]).any():
        raise EstimationError("callaway_santanna: more than one row per unit and month")
    units = frame.drop_duplicates("unit").set_index("unit")
    wide = frame.pivot(index="unit", columns="t", values="y")
    months = wide.columns.to_numpy()
    values = wide.to_numpy()
    g_unit = units.loc[wide.index, "g"].to_numpy()
    within_unit = units.loc[wide.index, "within"].to_numpy()
    cluster_codes, n_clusters = factorize(units.loc[wide.index, "cluster"].to_numpy())
    cohorts = np.unique(g_unit[np.isfinite(g_unit)])
    col = {int(t): j for j, t in enumerate(months)}
    records: list[dict[str, Any]] = []
    influence: list[np.ndarray] = []
    n_units = len(wide)
    for g in cohorts:
        base_cols = [col[int(b)] for b in range(int(g) - base_window, int(g)) if int(b) in col]
        if not base_cols:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing base months: NaN, handled below
            base = np.nanmean(values[:, base_cols], axis=1)
        for t in months:
            k = int(t - g)
            if reference[0] <= k <= reference[1] and k >= -base_window:
                continue
            change = values[:, col[int(t)]] - base
            have = np.isfinite(change)
            treat = have & (g_unit == g)
            if control == "never":
                ctrl = have & ~np.isfinite(g_unit)
            else:
                ctrl = have & (~np.isfinite(g_unit) | (g_unit > max(t, g - 1 + 1e-9)))
                ctrl &= g_unit != g
            if within:
                groups = pd.Series(change[ctrl]).groupby(within_unit[ctrl])
                control_mean = groups.mean()
                control_n = groups.size()
                matched = treat & pd.Series(within_unit).isin(control_mean.index).to_numpy()
            else:
                matched = treat
            n_t = int(matched.sum())
            if n_t == 0 or ctrl.sum() == 0:
                continue
            psi = np.zeros(n_units)
            if within:
                m_c = pd.Series(within_unit[matched]).map(control_mean).to_numpy()
                gaps = change[matched] - m_c
                att = float(gaps.mean())
                psi[matched] = (gaps - att) / n_t
                # each control's share of the treated units it is compared with
                n_treated_in = pd.Series(within_unit[matched]).value_counts()
                weight = pd.Series(within_unit[ctrl]).map(n_treated_in).fillna(0.0).to_numpy()
                size = pd.Series(within_unit[ctrl]).map(control_n).to_numpy()
                centre = pd.Series(within_unit[ctrl]).map(control_mean).to_numpy()
                psi[ctrl] -= weight / n_t * (change[ctrl] - centre) / size
            else:
                att = float(change[matched].mean() - change[ctrl].mean())
                psi[matched] = (change[matched] - change[matched].mean()) / n_t
                psi[ctrl] = -(change[ctrl] - change[ctrl].mean()) / int(ctrl.sum())
            records.append({"cohort": int(g), "time": int(t), "rel_time": k, "estimate": att, "n_obs": n_t})
            influence.append(psi)
    if not records:
        raise EstimationError("callaway_santanna: no cohort has base months and comparison units")
    cells = pd.DataFrame(records)
    psi = np.column_stack(influence)
    ks = sorted(cells["rel_time"].unique())
    weights = np.zeros((len(ks), len(cells)))
    for row, k in enumerate(ks):
        sel = (cells["rel_time"] == k).to_numpy()
        n = cells["n_obs"].to_numpy(np.float64) * sel
        weights[row] = n / n.sum()
    est = weights @ cells["estimate"].to_numpy()
    agg_psi = psi @ weights.T  # (units × event times)
    sums = np.zeros((n_clusters, len(ks)))
    for j in range(len(ks)):
        sums[:, j] = np.bincount(cluster_codes, weights=agg_psi[:, j], minlength=n_clusters)
    vcov = sums.T @ sums
    cell_psi = np.zeros((n_clusters, len(cells)))
    for j in range(len(cells)):
        cell_psi[:, j] = np.bincount(cluster_codes, weights=psi[:, j], minlength=n_clusters)
    cells["std_error"] = np.sqrt((cell_psi**2).sum(axis=0))
    n_obs = [int(cells.loc[cells["rel_time"] == k, "n_obs"].sum()) for k in ks]
    table = _event_table(est, vcov, [int(k) for k in ks], n_obs, n_clusters - 1)
    return StaggeredEstimate(
        estimator="callaway_santanna",
        event_time=table,
        vcov=pd.DataFrame(vcov, index=ks, columns=ks),
        cells=cells,
        nobs=len(frame),
        specification={
            "estimator": "callaway_santanna",
            "y": y,
            "within": within,
            "control": control,
            "base_window": base_window,
            "cluster": [cluster],
        },
    )
