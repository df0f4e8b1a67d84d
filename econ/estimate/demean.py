"""Demeaning engine: partial out any number of fixed-effect dimensions from several columns at once.

The within transformation of a column v is v − Dα̂, where D is the (sparse, 0/1) design of all fixed
effects and α̂ solves the normal equations D'WD α = D'W v (W the regression weights). Algorithm:

1. Eliminate exactly the dimension e with the most levels (on a trade panel, product × month): its
   projection is a group mean, so what remains is the Schur complement system in the other dimensions r,

       D_r' W M_e D_r α_r = D_r' W M_e v,        M_e = I − D_e (D_e' W D_e)⁻¹ D_e' W,

   which has far fewer unknowns (product × partner and partner × month levels) and is better conditioned.
2. Solve it by preconditioned conjugate gradients, one CG per column, each in one compiled call that
   releases the GIL, so the outcome and the regressors run on separate cores. The preconditioner is
   block-Jacobi: levels of one CG dimension that share groups of the eliminated one are coupled (on a
   trade panel, the partners of one product; the partners active in one month); where such a coupled set
   has at most 256 levels its diagonal block of the Schur complement is inverted exactly, elsewhere the
   diagonal is used (`preconditioner="diagonal"` uses the diagonal throughout).
   One CG matrix-vector product is two sweeps over the rows, which are sorted by e once so that the group
   sums run over contiguous memory.
3. Return M_e (v − D_r α_r).

Why this engine (measured on a simulated sparse HS10 × partner × month panel of 1.2M rows with levels
33,672 / 472,891 / 6,480, before singletons are dropped): plain CG with a Jacobi preconditioner on the
full system needed 146 iterations; CG preconditioned by a symmetric block Gauss–Seidel sweep (alternating
projections forward and back) 64 iterations but five sweeps each, so it was no faster; CG on the Schur
complement 83 iterations of two sweeps each; with the block preconditioner 29–37 iterations (at 1M rows
0.5–0.8 s against 1.1–1.2 s for the diagonal one, the same coefficients to 1e-13). Alternating
projections alone need thousands.
See benchmarks/estimate.py for the comparison with pyfixest and linearmodels.

Stopping rule: a column stops when its preconditioned residual norm sqrt(r'P⁻¹r) has fallen by the factor
`tol` (default 1e-8) from its starting value; a column that does not get there within `max_iterations`
is reported (DemeanInfo.converged) and the caller warns.

The kernels are compiled with numba (a dependency of this package); without numba they run as plain
Python — the same numbers, but only usable on small panels.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from econ.estimate.demean_jit import njit
from econ.estimate.fixed_effects import FixedEffects

Preconditioner = Literal["block", "diagonal"]

# --------------------------------------------------------------------------------------------------------
# kernels. Each works on one column (1-D arrays: numba indexes them several times faster than rows of a
# 2-D array) and releases the GIL, so the outcome and the regressors are solved on separate cores by a
# thread pool. `rest` holds the codes of the dimensions solved by CG (offset into one coefficient
# vector), `elim` those of the dimension eliminated exactly; rows are sorted by `elim`.


@njit(cache=True, nogil=True)
def _group_weights(codes, w, n_groups):
    out = np.zeros(n_groups)
    for i in range(codes.shape[0]):
        out[codes[i]] += w[i]
    return out


@njit(cache=True, nogil=True)
def _rest_rhs(rest, elim, inv_weight, w, v, n_coef):
    """D_r' W M_e v for one column v."""
    n, k = rest.shape
    sums = np.zeros(inv_weight.shape[0])
    for i in range(n):
        sums[elim[i]] += w[i] * v[i]
    out = np.zeros(n_coef)
    for i in range(n):
        h = elim[i]
        r = w[i] * (v[i] - sums[h] * inv_weight[h])
        for d in range(k):
            out[rest[i, d]] += r
    return out


@njit(cache=True, nogil=True)
def _schur_matvec(rest, elim, inv_weight, w, p, out, buffer, sums):
    """out = D_r' W M_e D_r p.

    Pass 1 gathers s_i = (D_r p)_i into `buffer` and sums it by group of e; pass 2 scatters the weighted
    deviations from the group means. One and two CG dimensions are written out (numba does not unroll
    the generic loop over dimensions, which costs several times as much).
    """
    n, k = rest.shape
    sums[:] = 0.0
    out[:] = 0.0
    if k == 2:
        for i in range(n):
            s = p[rest[i, 0]] + p[rest[i, 1]]
            buffer[i] = s
            sums[elim[i]] += w[i] * s
        for i in range(n):
            h = elim[i]
            r = w[i] * (buffer[i] - sums[h] * inv_weight[h])
            out[rest[i, 0]] += r
            out[rest[i, 1]] += r
    elif k == 1:
        for i in range(n):
            s = p[rest[i, 0]]
            buffer[i] = s
            sums[elim[i]] += w[i] * s
        for i in range(n):
            h = elim[i]
            out[rest[i, 0]] += w[i] * (buffer[i] - sums[h] * inv_weight[h])
    else:
        for i in range(n):
            s = 0.0
            for d in range(k):
                s += p[rest[i, d]]
            buffer[i] = s
            sums[elim[i]] += w[i] * s
        for i in range(n):
            h = elim[i]
            r = w[i] * (buffer[i] - sums[h] * inv_weight[h])
            for d in range(k):
                out[rest[i, d]] += r


@njit(cache=True, nogil=True)
def _precondition(r, z, diag, members, block_starts, block_offsets, inverses):
    """z = P⁻¹ r: dense inverses on the small blocks, the diagonal elsewhere."""
    for g in range(r.shape[0]):
        z[g] = r[g] / diag[g]
    for b in range(block_starts.shape[0] - 1):
        a0 = block_starts[b]
        size = block_starts[b + 1] - a0
        off = block_offsets[b]
        for x in range(size):
            acc = 0.0
            for y in range(size):
                acc += inverses[off + x * size + y] * r[members[a0 + y]]
            z[members[a0 + x]] = acc


@njit(cache=True, nogil=True)
def _cg_solve(
    rest, elim, inv_weight, w, diag, members, block_starts, block_offsets, inverses, b, tol, max_iterations
):
    """Preconditioned conjugate gradients on the Schur complement for one column.

    Returns (alpha, iterations, relative residual sqrt(r'P⁻¹r / r0'P⁻¹r0)).
    """
    n = rest.shape[0]
    n_coef = b.shape[0]
    alpha = np.zeros(n_coef)
    r = b.copy()
    z = np.empty(n_coef)
    _precondition(r, z, diag, members, block_starts, block_offsets, inverses)
    p = z.copy()
    q = np.zeros(n_coef)
    buffer = np.empty(n)
    sums = np.zeros(inv_weight.shape[0])
    rz = 0.0
    for g in range(n_coef):
        rz += r[g] * z[g]
    rz0 = rz
    if rz0 <= 0.0:
        return alpha, 0, 0.0
    tol2 = tol * tol
    it = 0
    while it < max_iterations and rz > tol2 * rz0:
        it += 1
        _schur_matvec(rest, elim, inv_weight, w, p, q, buffer, sums)
        pq = 0.0
        for g in range(n_coef):
            pq += p[g] * q[g]
        if pq <= 0.0:
            break
        step = rz / pq
        for g in range(n_coef):
            alpha[g] += step * p[g]
            r[g] -= step * q[g]
        _precondition(r, z, diag, members, block_starts, block_offsets, inverses)
        rz_new = 0.0
        for g in range(n_coef):
            rz_new += r[g] * z[g]
        beta = rz_new / rz
        for g in range(n_coef):
            p[g] = z[g] + beta * p[g]
        rz = rz_new
    return alpha, it, np.sqrt(max(rz, 0.0) / rz0)


@njit(cache=True)
def _find(parent, x):
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        nxt = parent[x]
        parent[x] = root
        x = nxt
    return root


@njit(cache=True)
def _block_components(rest, starts, n_coef):
    """Union the levels of each CG dimension that share a group of the eliminated dimension."""
    n_groups = starts.shape[0] - 1
    k = rest.shape[1]
    parent = np.arange(n_coef)
    for h in range(n_groups):
        a = starts[h]
        for d in range(k):
            root = _find(parent, rest[a, d])
            for i in range(a + 1, starts[h + 1]):
                other = _find(parent, rest[i, d])
                if other != root:
                    parent[other] = root
    for g in range(n_coef):
        parent[g] = _find(parent, g)
    return parent


@njit(cache=True)
def _block_matrices(rest, starts, w, inv_weight, local, block_of, block_size, block_offsets, total):
    """Dense diagonal blocks of the Schur complement, Σ_h [diag(w) − w w'/W_h], on the small blocks."""
    mats = np.zeros(total)
    k = rest.shape[1]
    for h in range(starts.shape[0] - 1):
        a = starts[h]
        b = starts[h + 1]
        for d in range(k):
            blk = block_of[rest[a, d]]
            if blk < 0:
                continue
            size = block_size[blk]
            off = block_offsets[blk]
            for i in range(a, b):
                gi = local[rest[i, d]]
                mats[off + gi * size + gi] += w[i]
                for j in range(a, b):
                    gj = local[rest[j, d]]
                    mats[off + gi * size + gj] -= w[i] * w[j] * inv_weight[h]
    return mats


@njit(cache=True)
def _invert_blocks(mats, block_size, block_offsets):
    """Inverse of each block in place, by Cholesky with a tiny ridge.

    The blocks are singular: the sum of a product's pair effects (or of a month's partner effects) lies
    in the span of the eliminated dimension. That direction is null for the whole system too, so the
    ridge only adds to α a component that the final M_e projection removes; it never reaches the result.
    Written out rather than calling LAPACK, which costs more in call overhead than in arithmetic here.
    """
    for b in range(block_size.shape[0]):
        size = block_size[b]
        off = block_offsets[b]
        a = mats[off : off + size * size].reshape((size, size)).copy()
        scale = 0.0
        for x in range(size):
            scale = max(scale, a[x, x])
        ridge = 1e-6 * scale if scale > 0 else 1.0
        for x in range(size):
            a[x, x] += ridge
        low = np.zeros((size, size))
        for x in range(size):
            for y in range(x + 1):
                acc = a[x, y]
                for t in range(y):
                    acc -= low[x, t] * low[y, t]
                if x == y:
                    low[x, x] = np.sqrt(max(acc, ridge))
                else:
                    low[x, y] = acc / low[y, y]
        inv_low = np.zeros((size, size))  # L⁻¹, lower triangular
        for x in range(size):
            inv_low[x, x] = 1.0 / low[x, x]
            for y in range(x):
                acc = 0.0
                for t in range(y, x):
                    acc -= low[x, t] * inv_low[t, y]
                inv_low[x, y] = acc / low[x, x]
        for x in range(size):  # A⁻¹ = L⁻ᵀ L⁻¹
            for y in range(size):
                acc = 0.0
                for t in range(max(x, y), size):
                    acc += inv_low[t, x] * inv_low[t, y]
                mats[off + x * size + y] = acc


MAX_BLOCK = 256  # larger coupled sets of levels fall back to the diagonal


def block_preconditioner(rest, elim, w, inv_weight, n_coef, max_block=MAX_BLOCK):
    """Block-Jacobi preconditioner of the Schur complement: the sets of levels of one CG dimension that
    share groups of the eliminated one (on a trade panel: the partners of one product, the partners in
    one month) are coupled, in small blocks that we invert exactly. Returns the arrays `_precondition`
    reads; an empty structure when no block is small enough."""
    n_groups = inv_weight.shape[0]
    starts = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(elim, minlength=n_groups), out=starts[1:])
    root = _block_components(rest, starts, n_coef)
    sizes = np.bincount(root, minlength=n_coef)
    small = (sizes[root] > 1) & (sizes[root] <= max_block)
    members = np.flatnonzero(small)
    members = members[np.argsort(root[members], kind="stable")]
    roots, first, counts = np.unique(root[members], return_index=True, return_counts=True)
    block_starts = np.concatenate([first, [members.size]]).astype(np.int64)
    block_size = counts.astype(np.int64)
    block_offsets = np.concatenate([[0], np.cumsum(block_size**2)]).astype(np.int64)
    block_of = np.full(n_coef, -1, dtype=np.int64)
    local = np.zeros(n_coef, dtype=np.int64)
    block_index = np.repeat(np.arange(roots.size), counts)
    block_of[members] = block_index
    local[members] = np.arange(members.size) - first[block_index]
    mats = _block_matrices(
        rest, starts, w, inv_weight, local, block_of, block_size, block_offsets, int(block_offsets[-1])
    )
    _invert_blocks(mats, block_size, block_offsets[:-1].copy())
    return members.astype(np.int64), block_starts, block_offsets[:-1].copy(), mats


@njit(cache=True, nogil=True)
def _schur_diagonal(rest, elim, w, inv_weight, n_coef):
    """A positive approximation of diag(D_r' W M_e D_r): exact when each (level, group) cell is one row."""
    n, k = rest.shape
    out = np.zeros(n_coef)
    for i in range(n):
        share = w[i] * (1.0 - w[i] * inv_weight[elim[i]])
        for d in range(k):
            out[rest[i, d]] += share
    return out


@njit(cache=True, nogil=True)
def _finish(rest, elim, inv_weight, w, v, alpha):
    """v ← M_e (v − D_r alpha), in place, for one column."""
    n, k = rest.shape
    sums = np.zeros(inv_weight.shape[0])
    for i in range(n):
        s = 0.0
        for d in range(k):
            s += alpha[rest[i, d]]
        v[i] -= s
        sums[elim[i]] += w[i] * v[i]
    for i in range(n):
        v[i] -= sums[elim[i]] * inv_weight[elim[i]]


@dataclass
class DemeanInfo:
    """How the demeaning went: CG iterations (the most any column needed; 0 when one dimension was
    removed exactly), whether every column converged, the worst relative residual, the eliminated
    dimension."""

    iterations: int
    converged: bool
    relative_residual: float
    eliminated: str


def _threads(m: int) -> int:
    return max(1, min(m, os.cpu_count() or 1))


# numba's dispatcher is typed as taking one argument; the compiled solver takes twelve.
_cg_solver: Any = _cg_solve


def demean(
    values: np.ndarray,
    fe: FixedEffects,
    weights: np.ndarray | None = None,
    *,
    tol: float = 1e-8,
    max_iterations: int = 10_000,
    preconditioner: Preconditioner = "block",
) -> tuple[np.ndarray, DemeanInfo]:
    """Columns of `values` (n_obs × m) minus their weighted projection on all fixed effects in `fe`.

    The dimension with the most levels, e, is eliminated exactly (its projection is a group mean); the
    other dimensions r are found by Jacobi-preconditioned CG on the Schur complement

        D_r' W M_e D_r α_r = D_r' W M_e v,        M_e = I − D_e (D_e' W D_e)⁻¹ D_e' W,      (2)

    and the result is M_e (v − D_r α_r). Each column stops when its preconditioned residual norm
    sqrt(r'P⁻¹r) has fallen by the factor `tol` from the start. Returns an (n_obs × m) array.
    """
    if preconditioner not in get_args(Preconditioner):
        raise ValueError(
            f"preconditioner: expected one of {get_args(Preconditioner)}, got {preconditioner!r}"
        )
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    n, m = values.shape
    w_in = np.ones(n) if weights is None else np.ascontiguousarray(weights, dtype=np.float64)
    if n == 0 or not fe.n_levels:
        return values.copy(), DemeanInfo(0, True, 0.0, "")
    e = int(np.argmax(fe.n_levels))
    off = fe.offsets
    n_elim = fe.n_levels[e]
    # Sort rows by the eliminated dimension once (a stable radix sort on int32): the group sums then run
    # over contiguous memory. Undone at the end.
    order = np.argsort(fe.codes[:, e], kind="stable")
    elim = np.ascontiguousarray(fe.codes[order, e] - np.int32(off[e]))
    w = w_in[order]
    v = np.ascontiguousarray(values[order].T)  # (m, n): one contiguous sorted run per column
    inv_weight = 1.0 / np.maximum(_group_weights(elim, w, n_elim), 1e-300)
    others = [k for k in range(len(fe.n_levels)) if k != e]
    rest = np.empty((n, len(others)), dtype=np.int32)
    shift = 0
    for col, k in enumerate(others):
        rest[:, col] = fe.codes[order, k] - np.int32(off[k] - shift)
        shift += fe.n_levels[k]
    n_coef = shift
    diag = _schur_diagonal(rest, elim, w, inv_weight, n_coef) if n_coef else np.zeros(0)
    diag[diag <= 1e-12] = 1.0
    if n_coef and preconditioner == "block":
        blocks = block_preconditioner(rest, elim, w, inv_weight, n_coef)
    else:  # "diagonal": Jacobi only
        blocks = (np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def solve(j: int) -> tuple[int, float]:
        if n_coef == 0:
            _finish(rest, elim, inv_weight, w, v[j], np.zeros(0))
            return 0, 0.0
        b = _rest_rhs(rest, elim, inv_weight, w, v[j], n_coef)
        alpha, iterations, rel = _cg_solver(rest, elim, inv_weight, w, diag, *blocks, b, tol, max_iterations)
        _finish(rest, elim, inv_weight, w, v[j], alpha)
        return int(iterations), float(rel)

    if _threads(m) > 1:
        with ThreadPoolExecutor(max_workers=_threads(m)) as pool:
            runs = list(pool.map(solve, range(m)))
    else:
        runs = [solve(j) for j in range(m)]
    out = np.empty((n, m))
    out[order] = v.T
    worst = max(rel for _, rel in runs)
    return out, DemeanInfo(max(it for it, _ in runs), worst <= tol, worst, fe.names[e])
