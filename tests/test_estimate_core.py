"""The core estimators against reference implementations: statsmodels OLS with explicit dummies on small
panels, pyfixest and linearmodels on larger simulated trade panels, pyfixest's fepois for PPML."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from econ.errors import EstimationError, ParameterError
from econ.estimate import absorbed_iv, absorbed_ols, ppml, simulate_import_panel
from econ.estimate.demean import demean
from econ.estimate.fixed_effects import FixedEffects, combine, drop_singletons

THREE_WAY = [("product_id", "partner_id"), ("product_id", "month_id"), ("partner_id", "month_id")]


def small_panel(seed: int = 1, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = pd.DataFrame({"a": rng.integers(0, 20, n), "b": rng.integers(0, 9, n), "g": rng.integers(0, 15, n)})
    d["h"] = rng.integers(0, 6, n)
    d["x1"] = rng.normal(size=n) + 0.1 * d["a"]
    d["x2"] = rng.normal(size=n) - 0.2 * d["b"]
    d["w"] = rng.uniform(0.5, 2.0, n)
    noise = rng.normal(size=n) * (1 + np.abs(d["x1"])) + rng.normal(size=15)[d["g"]]
    d["y"] = 1 + 2 * d["x1"] - d["x2"] + 0.3 * d["a"] - 0.2 * d["b"] + noise
    return d


@pytest.fixture(scope="module")
def trade_panel() -> pd.DataFrame:
    frame, _ = simulate_import_panel(seed=5, n_products=300, n_partners=25, passthrough=0.9)
    frame["log_price"] = np.log(frame["unit_value_incl_duty"])
    frame["log_tariff"] = np.log1p(frame["statutory_rate"])
    frame["log_quantity"] = np.log(frame["quantity"])
    return frame


@pytest.mark.parametrize(
    ("sm_kind", "sm_kwds", "ours"),
    [
        ("nonrobust", None, {"vcov": "iid"}),
        ("HC1", None, {"vcov": "hetero"}),
        ("cluster", "g", {"cluster": "g", "fixef_dof": "full"}),
        ("cluster", ("g", "h"), {"cluster": ["g", "h"], "fixef_dof": "full", "cluster_df": "conventional"}),
    ],
)
def test_equals_statsmodels_with_dummies(sm_kind, sm_kwds, ours):
    d = small_panel()
    if isinstance(sm_kwds, tuple):
        kwds = {"groups": np.column_stack([d[sm_kwds[0]], d[sm_kwds[1]]])}
    elif sm_kwds:
        kwds = {"groups": d[sm_kwds]}
    else:
        kwds = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' sqrt of the dummies' (irrelevant) negative variances
        ref = smf.ols("y ~ x1 + x2 + C(a) + C(b)", d).fit(cov_type=sm_kind, cov_kwds=kwds)
        ref_se = ref.bse[["x1", "x2"]].to_numpy()
    ours_fit = absorbed_ols(d, "y", ["x1", "x2"], ["a", "b"], **ours)
    np.testing.assert_allclose(ours_fit.coef.to_numpy(), ref.params[["x1", "x2"]].to_numpy(), atol=1e-8)
    np.testing.assert_allclose(ours_fit.se.to_numpy(), ref_se, rtol=1e-6)
    assert ours_fit.n_fixed_effects == {"a": 20, "b": 9}
    assert list(ours_fit.vcov.index) == ["x1", "x2"]


def test_weighted_equals_statsmodels_wls():
    d = small_panel(seed=2)
    ref = smf.wls("y ~ x1 + x2 + C(a) + C(b)", d, weights=d["w"]).fit(
        cov_type="cluster", cov_kwds={"groups": d["g"]}
    )
    ours = absorbed_ols(d, "y", ["x1", "x2"], ["a", "b"], cluster="g", weights="w", fixef_dof="full")
    np.testing.assert_allclose(ours.coef.to_numpy(), ref.params[["x1", "x2"]].to_numpy(), atol=1e-8)
    np.testing.assert_allclose(ours.se.to_numpy(), ref.bse[["x1", "x2"]].to_numpy(), rtol=1e-6)


def test_three_way_interactions_equal_dummy_regression():
    frame, _ = simulate_import_panel(seed=3, n_products=12, n_partners=6, n_months=30, mean_partners=3)
    frame["ly"] = np.log(frame["unit_value_incl_duty"])
    frame["lt"] = np.log1p(frame["statutory_rate"])
    frame["pc"] = combine(frame["product_id"], frame["partner_id"])
    frame["pm"] = combine(frame["product_id"], frame["month_id"])
    frame["cm"] = combine(frame["partner_id"], frame["month_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = absorbed_ols(frame, "ly", ["lt"], THREE_WAY, vcov="iid", drop_singleton_obs=False)
        ref = smf.ols("ly ~ lt + C(pc) + C(pm) + C(cm)", frame).fit()  # dummies are rank-deficient
    np.testing.assert_allclose(ours.coef["lt"], ref.params["lt"], atol=1e-8)


def test_demeaning_is_the_exact_projection():
    rng = np.random.default_rng(0)
    n = 600
    codes = [rng.integers(0, 40, n), rng.integers(0, 25, n), rng.integers(0, 8, n)]
    fe = FixedEffects.from_columns(codes, ["a", "b", "c"])
    v = rng.normal(size=(n, 2))
    w = rng.uniform(0.2, 3.0, n)
    tilde, info = demean(v, fe, w, tol=1e-12)
    dummies = np.column_stack([np.eye(k)[c] for k, c in zip(fe.n_levels, codes, strict=True)])
    sw = np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(dummies * sw, v * sw, rcond=None)
    np.testing.assert_allclose(tilde, v - dummies @ coef, atol=1e-9)
    assert info.converged and info.iterations > 0


def test_singletons_dropped_iteratively_and_counted():
    # rows 0–2: a chain where dropping one singleton creates the next
    d = pd.DataFrame({"a": [0, 0, 1, 2, 2, 3, 3, 2, 3], "b": [0, 1, 1, 5, 6, 5, 6, 6, 5]})
    fe = FixedEffects.from_columns([d["a"].to_numpy(), d["b"].to_numpy()], ["a", "b"])
    keep = drop_singletons(fe)
    assert keep.tolist() == [False, False, False, True, True, True, True, True, True]


def test_agrees_with_pyfixest_on_a_sparse_trade_panel(trade_panel):
    pf = pytest.importorskip("pyfixest")
    fml = "log_price ~ log_tariff | product_id^partner_id + product_id^month_id + partner_id^month_id"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ours_cluster, pf_vcov in [
            ("product_id", {"CRV1": "product_id"}),
            (["product_id", "month_id"], {"CRV1": "product_id+month_id"}),
        ]:
            ref = pf.feols(fml, data=trade_panel, vcov=pf_vcov)
            ours = absorbed_ols(trade_panel, "log_price", "log_tariff", THREE_WAY, cluster=ours_cluster)
            assert ours.nobs == ref._N
            np.testing.assert_allclose(ours.coef.to_numpy(), ref.coef().to_numpy(), rtol=1e-6)
            np.testing.assert_allclose(ours.se.to_numpy(), ref.se().to_numpy(), rtol=1e-4)
        ref = pf.feols(fml, data=trade_panel, vcov="hetero")
        ours = absorbed_ols(trade_panel, "log_price", "log_tariff", THREE_WAY, vcov="hetero")
    np.testing.assert_allclose(ours.se.to_numpy(), ref.se().to_numpy(), rtol=1e-4)
    assert ours.singletons_dropped == len(trade_panel) - ref._N


def test_agrees_with_linearmodels_absorbing_ls(trade_panel):
    from linearmodels.iv.absorbing import AbsorbingLS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = absorbed_ols(
            trade_panel, "log_price", "log_tariff", ["product_id", "month_id"], drop_singleton_obs=False
        )
        cats = pd.DataFrame(
            {"p": pd.Categorical(trade_panel["product_id"]), "m": pd.Categorical(trade_panel["month_id"])}
        )
        ref = AbsorbingLS(trade_panel["log_price"], trade_panel[["log_tariff"]], absorb=cats).fit()
    np.testing.assert_allclose(ours.coef["log_tariff"], ref.params["log_tariff"], rtol=1e-7)


def test_iv_matches_linearmodels_without_fixed_effects(trade_panel):
    from linearmodels.iv import IV2SLS

    sub = trade_panel.iloc[:3000].copy()
    ours = absorbed_iv(sub, "log_quantity", "log_price", "log_tariff", vcov="hetero")
    ref = IV2SLS.from_formula("log_quantity ~ 1 + [log_price ~ log_tariff]", sub).fit(cov_type="robust")
    np.testing.assert_allclose(ours.coef["log_price"], ref.params["log_price"], rtol=1e-8)
    # linearmodels' robust covariance has no n/(n-k) factor
    n, k = len(sub), 2
    np.testing.assert_allclose(
        ours.se["log_price"] * np.sqrt((n - k) / n), ref.std_errors["log_price"], rtol=1e-6
    )


def test_ppml_matches_pyfixest_fepois_and_drops_separated():
    pf = pytest.importorskip("pyfixest")
    rng = np.random.default_rng(3)
    n = 3000
    d = pd.DataFrame({"a": rng.integers(0, 60, n), "b": rng.integers(0, 20, n), "g": rng.integers(0, 40, n)})
    d["x1"] = rng.normal(size=n)
    d["x2"] = rng.normal(size=n)
    d["y"] = rng.poisson(np.exp(0.5 * d["x1"] - 0.3 * d["x2"] + 0.02 * d["a"] - 1))
    d.loc[d["a"] == 5, "y"] = 0  # an all-zero fixed-effect group: separated
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = ppml(d, "y", ["x1", "x2"], ["a", "b"], cluster="g")
        ref = pf.fepois("y ~ x1 + x2 | a + b", data=d, vcov={"CRV1": "g"})
    np.testing.assert_allclose(ours.coef.to_numpy(), ref.coef().to_numpy(), atol=1e-7)
    np.testing.assert_allclose(ours.se.to_numpy(), ref.se().to_numpy(), rtol=1e-5)
    assert ours.separated_dropped == int((d["a"] == 5).sum()) and ours.nobs == ref._N


def test_ppml_warns_about_separation():
    d = pd.DataFrame({"a": [0, 0, 1, 1, 2, 2, 3, 3], "x": [0.1, 0.5, 0.3, 0.9, 0.2, 0.4, 0.7, 0.1]})
    d["y"] = [0.0, 0.0, 1.0, 3.0, 2.0, 0.0, 5.0, 1.0]
    with pytest.warns(UserWarning, match="dropped 2 observations"):
        ppml(d, "y", "x", ["a"])


# ---- bad input ---------------------------------------------------------------------------------


def test_missing_column_is_named():
    d = small_panel()
    with pytest.raises(EstimationError, match=r"\['nope'\]"):
        absorbed_ols(d, "y", ["x1", "nope"], ["a"])


def test_regressor_absorbed_by_fixed_effect_raises():
    d = small_panel()
    d["a_level"] = d["a"] * 0.5
    with pytest.raises(EstimationError, match=r"a_level.*absorbed"):
        absorbed_ols(d, "y", ["x1", "a_level"], ["a", "b"])


def test_all_singletons_raise():
    d = small_panel(n=30)
    d["id"] = np.arange(len(d))
    with pytest.raises(EstimationError, match="singletons"):
        absorbed_ols(d, "y", "x1", ["id"])


def test_nans_are_dropped_with_a_warning_saying_how_many():
    d = small_panel()
    d.loc[[3, 7, 11], "x1"] = np.nan
    d.loc[20, "y"] = np.inf
    with pytest.warns(UserWarning, match="dropped 4 of 400 rows"):
        fit = absorbed_ols(d, "y", "x1", ["a"], vcov="iid")
    assert fit.missing_dropped == 4 and fit.nobs == 396


def test_bad_options_are_collected():
    d = small_panel()
    with pytest.raises(ParameterError) as err:
        absorbed_ols(d, "y", "x1", ["a"], vcov="robust", cluster_df="max")
    assert "vcov" in str(err.value) and "cluster_df" in str(err.value)


def test_tidy_table_has_the_specification():
    d = small_panel()
    table = absorbed_ols(d, "y", ["x1", "x2"], ["a", "b"], cluster="g").tidy()
    assert list(table.columns[:7]) == ["term", "estimate", "std_error", "t", "p", "ci_low", "ci_high"]
    spec = table.attrs["specification"]
    assert spec["absorb"] == ["a", "b"] and spec["cluster"] == ["g"] and spec["vcov"] == "cluster"
    row = table.iloc[0]
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert 0.0 <= row["p"] <= 1.0
