"""Fixed-effect dimensions as integer codes: factorizing, interactions, singletons, degrees of freedom.

Codes are built once from integer ids (product_id, partner_id, month_id in the import panel); an
interaction such as product × month is one code per distinct pair, never a string column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econ.estimate.demean_jit import njit


@dataclass(frozen=True)
class FixedEffects:
    """Integer codes of the absorbed dimensions, 0..n_levels[k]-1 per dimension, one row per observation."""

    codes: (
        np.ndarray
    )  # (n_obs, n_dims) int32, dimension k offset by sum(n_levels[:k]): one coefficient vector
    n_levels: tuple[int, ...]
    names: tuple[str, ...]

    @property
    def n_obs(self) -> int:
        return int(self.codes.shape[0])

    @property
    def offsets(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.n_levels)]).astype(np.int64)

    @classmethod
    def from_columns(cls, columns: list[np.ndarray], names: list[str]) -> FixedEffects:
        """Factorize each column (any integer or hashable codes) into 0..L-1 and stack with offsets."""
        n = len(columns[0]) if columns else 0
        codes = np.empty((n, len(columns)), dtype=np.int32)
        levels = []
        offset = 0
        for k, col in enumerate(columns):
            inverse, n_level = factorize(col)
            codes[:, k] = inverse + offset
            levels.append(n_level)
            offset += n_level
        return cls(codes=codes, n_levels=tuple(levels), names=tuple(names))

    def subset(self, keep: np.ndarray) -> FixedEffects:
        """Rows `keep` (boolean mask), with codes re-compacted so that no level is empty."""
        cols = [self.codes[keep, k] for k in range(self.codes.shape[1])]
        return FixedEffects.from_columns(cols, list(self.names))


def factorize(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes 0..L-1 of `values` (order of first sorted appearance) and L; fast path for small integers."""
    values = np.asarray(values)
    if values.dtype.kind in "iu" and values.size:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < 4 * values.size + 1024:  # dense range: a lookup table beats sorting
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[values - lo] = True
            table = np.cumsum(present, dtype=np.int64) - 1
            return table[values - lo].astype(np.int32), int(present.sum())
    uniques, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int32).ravel(), int(uniques.size)


def combine(*columns: np.ndarray) -> np.ndarray:
    """One integer code per distinct combination of the columns (an interaction like product × month)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        inverse, n_level = factorize(np.asarray(col))
        code = code * n_level + inverse
        code, _ = factorize(code)
        code = code.astype(np.int64)
    return code


@njit(cache=True)
def _singleton_pass(codes, keep, n_coef):
    """One pass: count kept rows per level, drop kept rows alone in any level; returns rows dropped."""
    n, k = codes.shape
    counts = np.zeros(n_coef, dtype=np.int64)
    for i in range(n):
        if keep[i]:
            for d in range(k):
                counts[codes[i, d]] += 1
    dropped = 0
    for i in range(n):
        if keep[i]:
            for d in range(k):
                if counts[codes[i, d]] == 1:
                    keep[i] = False
                    dropped += 1
                    break
    return dropped


def drop_singletons(fe: FixedEffects, keep: np.ndarray | None = None) -> np.ndarray:
    """Mask of observations kept after dropping, iteratively, those alone in a level of any dimension.

    A singleton's fixed effect fits it perfectly, so it carries no information about the slopes but
    would still count in N (fixest and pyfixest drop them too). Dropping one can create another, hence
    the loop until none are left.
    """
    keep = np.ones(fe.n_obs, dtype=bool) if keep is None else keep.copy()
    n_coef = int(sum(fe.n_levels))
    while _singleton_pass(fe.codes, keep, n_coef):
        pass
    return keep


@njit(cache=True)
def _nested(inner, outer, n_inner):
    first = np.full(n_inner, -1, dtype=np.int64)
    for i in range(inner.shape[0]):
        g = inner[i]
        if first[g] == -1:
            first[g] = outer[i]
        elif first[g] != outer[i]:
            return False
    return True


def is_nested(inner: np.ndarray, outer: np.ndarray) -> bool:
    """True when every level of `inner` lies within one level of `outer` (e.g. pair FE within product)."""
    inner_codes, n_inner = factorize(inner)
    outer_codes, _ = factorize(outer)
    return bool(_nested(inner_codes, outer_codes, n_inner))
