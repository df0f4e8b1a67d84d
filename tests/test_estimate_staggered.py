"""The heterogeneity-robust estimators against reference implementations on one shared panel: China's
pairs in the structural demo world (synthetic, a DGP the estimators did not write) around the staggered
2018–19 Section 301 lists, cohorts from the world's own schedule. Sun–Abraham against pyfixest's saturated
event study, Gardner's two stage against pyfixest's did2s, Callaway–Sant'Anna against `differences`."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from econ.demo import structural
from econ.estimate import callaway_santanna, sun_abraham, two_stage
from econ.estimate.design import cohorts_from_schedule, month_id, schedule_grid


@pytest.fixture(scope="module")
def waves() -> pd.DataFrame:
    """A balanced panel: China's pairs observed every month of 2017-07 … 2019-12 (no gaps drawn)."""
    panel, _ = structural.simulate(seed=3, scale=0.5, overrides={"gap_rate": 0.0})
    lo, hi = month_id("2017-07"), month_id("2019-12")
    china = panel[(panel["partner"] == "5700") & panel["month_id"].between(lo, hi)]
    counts = china.groupby("product_id").size()
    sub = china[china["product_id"].isin(counts[counts == hi - lo + 1].index)].copy()
    grid = schedule_grid(sub, panel.attrs["rates"], first=lo, last=hi)
    cohorts = cohorts_from_schedule(grid, since=month_id("2018-01"), threshold=0.05, baseline=(lo, lo + 5))
    sub["cohort"] = cohorts.reindex(pd.MultiIndex.from_frame(sub[["product_id", "partner_id"]])).to_numpy()
    sub["log_value"] = np.log(sub["value"])
    sub["unit"] = sub["product_id"].astype(np.int64)
    assert sub.drop_duplicates("unit")["cohort"].nunique() >= 3  # staggered, with never-treated units
    assert sub["cohort"].isna().any()
    return sub.reset_index(drop=True)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_sun_abraham_equals_pyfixest_saturated_event_study(waves):
    pf = pytest.importorskip("pyfixest")
    ours = sun_abraham(
        waves, "log_value", cohort="cohort", time="month_id", absorb=["unit", "month_id"], cluster="unit"
    )
    data = waves.assign(g=waves["cohort"].fillna(0).astype(int))
    ref = pf.event_study(
        data, yname="log_value", idname="unit", tname="month_id", gname="g", cluster="unit",
        estimator="saturated",
    )  # fmt: skip
    agg = ref.aggregate().astype(float)
    mine = ours.event_time.set_index("rel_time")
    common = [k for k in mine.index if float(k) in agg.index]
    assert len(common) > 20
    np.testing.assert_allclose(
        mine.loc[common, "estimate"], agg.loc[[float(k) for k in common], "Estimate"], atol=1e-8
    )
    np.testing.assert_allclose(
        mine.loc[common, "std_error"], agg.loc[[float(k) for k in common], "Std. Error"], rtol=1e-6
    )


def test_two_stage_equals_pyfixest_did2s(waves):
    pf = pytest.importorskip("pyfixest")
    ours = two_stage(
        waves, "log_value", cohort="cohort", time="month_id", absorb=["unit", "month_id"], cluster="unit"
    )
    data = waves.assign(
        rel=(waves["month_id"] - waves["cohort"]).fillna(-1000).astype(int),
        treat=(waves["month_id"] >= waves["cohort"]).fillna(False).astype(bool),
    )
    ref = pf.did2s(
        data, yname="log_value", first_stage="~ 0 | unit + month_id", second_stage="~ i(rel, ref=-1.0)",
        treatment="treat", cluster="unit",
    ).tidy()  # fmt: skip
    mine = ours.event_time.set_index("rel_time")
    for k in mine.index:
        row = ref.loc[f"rel::{k}"]
        assert mine.loc[k, "estimate"] == pytest.approx(row["Estimate"], abs=1e-7)
        assert mine.loc[k, "std_error"] == pytest.approx(row["Std. Error"], rel=1e-5)


def test_callaway_santanna_equals_differences(waves):
    differences = pytest.importorskip("differences")
    ours = callaway_santanna(
        waves, "log_value", unit="unit", cohort="cohort", time="month_id", cluster="unit"
    )
    att = differences.ATTgt(
        data=waves.set_index(["unit", "month_id"]), cohort_column="cohort", base_period="universal"
    )
    att.fit(formula="log_value", control_group="never_treated", progress_bar=False)
    cells = att.results()  # indexed by cohort, base_period, time
    cells.columns = ["_".join(str(x) for x in c if x) for c in cells.columns]
    estimate = next(c for c in cells.columns if c.endswith("ATT"))
    error = next(c for c in cells.columns if c.endswith("std_error"))
    ref = cells.reset_index().set_index(["cohort", "time"])
    mine = ours.cells.set_index(["cohort", "time"])
    joined = mine.join(ref[[estimate, error]], how="inner")
    assert len(joined) >= 0.9 * len(mine)
    np.testing.assert_allclose(joined["estimate"], joined[estimate], atol=1e-10)
    np.testing.assert_allclose(joined["std_error"], joined[error], rtol=1e-6)
    event = att.aggregate("event")
    event.columns = ["_".join(str(x) for x in c if x) for c in event.columns]
    est_col = next(c for c in event.columns if c.endswith("ATT"))
    by_k = ours.event_time.set_index("rel_time")["estimate"]
    ks = [k for k in by_k.index if k in event.index]
    np.testing.assert_allclose(by_k.loc[ks], event.loc[ks, est_col], atol=1e-10)


def test_robust_estimators_agree_where_they_should_and_see_the_lists(waves):
    """In a balanced panel with unit and time effects, Sun–Abraham and Callaway–Sant'Anna (never-treated
    controls, base g − 1) give the same event-time effects; all three see the fall in China's imports."""
    kw = {"cohort": "cohort", "time": "month_id"}
    sa = sun_abraham(waves, "log_value", absorb=["unit", "month_id"], cluster="unit", **kw)
    cs = callaway_santanna(waves, "log_value", unit="unit", cluster="unit", **kw)
    ts = two_stage(waves, "log_value", absorb=["unit", "month_id"], cluster="unit", **kw)
    a = sa.event_time.set_index("rel_time")["estimate"]
    b = cs.event_time.set_index("rel_time")["estimate"]
    np.testing.assert_allclose(a.loc[b.index.intersection(a.index)], b.loc[b.index.intersection(a.index)])
    late = ts.event_time.set_index("rel_time").loc[6:12]
    assert (late["estimate"] < -2 * late["std_error"]).all()
