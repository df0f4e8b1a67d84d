"""Regression results and tidy tables with the specification attached."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

TIDY_COLUMNS = ["term", "estimate", "std_error", "t", "p", "ci_low", "ci_high"]


@dataclass
class Result:
    """One estimated equation.

    coef, se: Series indexed by regressor name; vcov: DataFrame indexed both ways by the same names.
    nobs: observations used (after NaNs, singletons and separated observations were dropped);
    n_fixed_effects: levels absorbed per dimension; singletons_dropped, missing_dropped,
    separated_dropped: rows removed and why; dof_t: degrees of freedom of the t tests (G − 1 when
    clustered); specification: outcome, regressors, absorbed dimensions, clustering, vcov and estimator.
    """

    coef: pd.Series
    se: pd.Series
    vcov: pd.DataFrame
    nobs: int
    n_fixed_effects: dict[str, int]
    singletons_dropped: int
    missing_dropped: int
    dof_t: int
    specification: dict[str, Any]
    separated_dropped: int = 0
    r2_within: float = float("nan")
    iterations: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def tidy(self, *, level: float = 0.95) -> pd.DataFrame:
        """term, estimate, std_error, t, p, ci_low, ci_high (t with dof_t degrees of freedom), plus the
        outcome, estimator and nobs as columns and the whole specification in `.attrs["specification"]`."""
        est = self.coef.to_numpy()
        se = self.se.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            t = est / se
        df = max(int(self.dof_t), 1)
        p = 2.0 * stats.t.sf(np.abs(t), df)
        q = stats.t.ppf(0.5 + level / 2.0, df)
        table = pd.DataFrame(
            {
                "term": list(self.coef.index),
                "estimate": est,
                "std_error": se,
                "t": t,
                "p": p,
                "ci_low": est - q * se,
                "ci_high": est + q * se,
            }
        )
        table["outcome"] = self.specification.get("y", "")
        table["estimator"] = self.specification.get("estimator", "")
        table["nobs"] = self.nobs
        table.attrs["specification"] = dict(self.specification)
        return table

    def __repr__(self) -> str:
        spec = self.specification
        lines = [
            f"{spec.get('estimator', 'estimate')}: {spec.get('y')} on {', '.join(spec.get('x', []))}",
            f"  absorbed: {self.n_fixed_effects}; nobs {self.nobs}; singletons dropped "
            f"{self.singletons_dropped}; vcov {spec.get('vcov')}"
            + (f" by {spec.get('cluster')}" if spec.get("cluster") else ""),
        ]
        for name in self.coef.index:
            lines.append(f"  {name:>30s} {self.coef[name]: .6f} ({self.se[name]:.6f})")
        return "\n".join(lines)


def stack(results: dict[str, Result] | list[Result]) -> pd.DataFrame:
    """One tidy table from several results; a dict's keys become a `model` column."""
    items = results.items() if isinstance(results, dict) else enumerate(results)
    frames = []
    for key, result in items:
        table = result.tidy()
        table.insert(0, "model", str(key))
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["model", *TIDY_COLUMNS])


def monte_carlo_table() -> pd.DataFrame:
    """The Monte Carlo study of the estimators on the structural demo world (benchmarks/montecarlo.py),
    as shipped in econ/estimate/data/montecarlo.csv; ``attrs["source"]`` is its first line (draws,
    scale, seeds and the command that produced it)."""
    from importlib.resources import files

    text = files("econ.estimate").joinpath("data/montecarlo.csv").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    import io

    table = pd.read_csv(io.StringIO(body))
    table.attrs["source"] = first.lstrip("# ")
    return table
