"""Partial equilibrium of a tariff scenario: closed forms, identities, intervals, named errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econ.errors import ParameterError
from econ.models import crosswalk, trade


def base_year(seed: int = 1, products: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = products * 3
    frame = pd.DataFrame(
        {
            "hs10": [f"{8505110000 + i // 3:010d}" for i in range(n)],
            "partner": ["5700", "2010", "5520"] * products,
            "value": rng.uniform(1e5, 1e7, n),
            "bea": np.repeat(rng.choice(["334", "335", "3361MV"], products), 3),
        }
    )
    china = frame["partner"] == "5700"
    frame["old_rate"] = np.where(china, 0.03 + 1.25, 0.03)  # 125% reciprocal before Geneva
    frame["new_rate"] = np.where(china, 0.03 + 0.10, 0.03)  # 10% after
    return frame


def test_scenario_equal_to_baseline_changes_nothing() -> None:
    frame = base_year()
    result = trade.simulate(frame.assign(new_rate=frame["old_rate"]), by="bea")
    totals = result.totals["central"]
    assert totals["new_value"] == pytest.approx(totals["base_value"], rel=1e-14)
    for name in ("revenue_change", "cost_to_buyers", "terms_of_trade_gain", "deadweight_loss", "net_loss"):
        assert totals[name] == pytest.approx(0.0, abs=1e-6)
    assert (result.rows["price_change"] == 0).all() and (result.rows["quantity_change"].abs() < 1e-14).all()


def test_revenue_is_rate_times_base() -> None:
    frame = base_year()
    result = trade.simulate(frame)
    np.testing.assert_allclose(result.rows["revenue_old"], frame["old_rate"] * frame["value"])
    np.testing.assert_allclose(result.rows["revenue_new"], frame["new_rate"] * result.rows["new_value"])


def test_new_spending_shares_sum_to_one_and_follow_ces() -> None:
    frame = base_year()
    sigma = 3.0
    result = trade.simulate(frame, sigma=sigma, passthrough="border")
    rows = result.rows.assign(spend=result.rows["new_value"] * (1 + frame["new_rate"]))
    shares = rows["spend"] / rows.groupby("product")["spend"].transform("sum")
    assert shares.groupby(rows["product"]).sum().to_numpy() == pytest.approx(1.0)
    # CES: new share = old share × (p̂ / P̂)^(1 − σ)
    old_spend = frame["value"] * (1 + frame["old_rate"])
    old_shares = old_spend / old_spend.groupby(frame["hs10"]).transform("sum")
    index = rows["product"].map(result.products.set_index("product")["import_price_index_change"])
    expected = old_shares * ((1 + rows["price_change"]) / (1 + index)) ** (1 - sigma)
    np.testing.assert_allclose(shares, expected, rtol=1e-12)


def test_uniform_tariff_no_diversion_and_full_passthrough() -> None:
    frame = base_year().assign(old_rate=0.0, new_rate=0.25)
    result = trade.simulate(frame, passthrough="border", eta=2.0)
    assert result.rows["price_change"].to_numpy() == pytest.approx(0.25)
    assert result.rows["exporter_price_change"].to_numpy() == pytest.approx(0.0, abs=1e-15)
    # Same price rise for every partner: all quantities fall together by 1.25^−η.
    assert result.rows["quantity_change"].to_numpy() == pytest.approx(1.25**-2.0 - 1)
    # Cost to buyers, exact for constant elasticity: E (P̂^(1−η) − 1)/(1 − η).
    spend = frame["value"].sum()
    assert result.totals.loc["cost_to_buyers", "central"] == pytest.approx(spend * (1.25**-1.0 - 1) / -1.0)


def test_geneva_cut_is_a_gain_and_diverts_back_to_china() -> None:
    frame = base_year()
    result = trade.simulate(frame, by="bea")
    totals = result.totals["central"]
    assert totals["cost_to_buyers"] < 0 and totals["deadweight_loss"] < 0
    rows = result.rows.assign(partner=frame["partner"])
    assert (rows.loc[rows.partner == "5700", "quantity_change"] > 0).all()
    assert (rows.loc[rows.partner != "5700", "quantity_change"] < 0).all()
    industries = result.industries["central"]
    assert industries["base_value"].sum() == pytest.approx(totals["base_value"])
    assert industries["cost_to_buyers"].sum() == pytest.approx(totals["cost_to_buyers"])


def test_lower_passthrough_lowers_buyer_cost() -> None:
    frame = base_year().assign(old_rate=0.0, new_rate=0.5)
    costs = [
        trade.simulate(frame, passthrough=p).totals.loc["cost_to_buyers", "central"]
        for p in ("retail", "border_2025", "border")
    ]
    assert costs[0] < costs[1] < costs[2]


def test_intervals_bracket_the_central_estimate() -> None:
    frame = base_year()
    result = trade.simulate(
        frame, standard_errors={"passthrough": 0.02, "sigma": 0.5, "eta": 0.3}, draws=60, seed=3, by="bea"
    )
    totals = result.totals
    moving = totals.loc[["new_value", "cost_to_buyers", "net_loss"]]
    assert (moving["low"] < moving["high"]).all()
    assert ((moving["low"] <= moving["central"]) & (moving["central"] <= moving["high"])).all()
    assert totals.loc["base_value", "low"] == totals.loc["base_value", "high"]
    again = trade.simulate(
        frame, standard_errors={"passthrough": 0.02, "sigma": 0.5, "eta": 0.3}, draws=60, seed=3, by="bea"
    )
    pd.testing.assert_frame_equal(totals, again.totals)


def test_bad_parameters_and_columns_are_named() -> None:
    frame = base_year()
    with pytest.raises(ParameterError) as info:
        trade.simulate(frame, sigma=-1.0, eta=0.0, passthrough=2.0)
    message = str(info.value)
    assert "sigma" in message and "eta" in message and "passthrough" in message
    with pytest.raises(ParameterError, match="unknown preset 'shelf'"):
        trade.simulate(frame, passthrough="shelf")  # type: ignore[arg-type]
    bad = frame.astype({"new_rate": object})
    bad.loc[4, "new_rate"] = "ten percent"
    with pytest.raises(ParameterError, match=r"new_rate: row 4: 'ten percent' is not a number"):
        trade.simulate(bad)
    with pytest.raises(ParameterError, match="duplicated hs10 × partner"):
        trade.simulate(pd.concat([frame, frame.iloc[:1]]))
    with pytest.raises(ParameterError, match=r"missing column\(s\) \['naics'\]"):
        trade.simulate(frame, by="naics")
    with pytest.raises(ParameterError, match="standard_errors"):
        trade.simulate(frame, standard_errors={"gamma": 0.1})


def test_approximate_bea_crosswalk() -> None:
    codes = pd.Series(["8471300100", "8501100000", "8703230000", "2846901000", "8542310000", "9999999999"])
    assert crosswalk.bea_industry(codes).tolist() == ["334", "335", "3361MV", "325", "334", "unmatched"]
    assert len(crosswalk.CHAPTER_TO_BEA) == 97


def test_welfare_identity_and_harberger_for_small_changes() -> None:
    frame = base_year()
    result = trade.simulate(frame, passthrough=0.8)
    totals = result.totals["central"]
    assert totals["net_loss"] == pytest.approx(totals["deadweight_loss"] - totals["terms_of_trade_gain"])
    # A small uniform tariff from zero with full pass-through: deadweight loss ≈ ½ t² η V (Harberger).
    small = base_year().assign(old_rate=0.0, new_rate=0.01)
    dwl = trade.simulate(small, passthrough="border", eta=2.0).totals.loc["deadweight_loss", "central"]
    harberger = 0.5 * 0.01**2 * 2.0 * small["value"].sum()
    assert dwl == pytest.approx(harberger, rel=0.03)
    assert trade.simulate(small, passthrough="border").totals.loc["terms_of_trade_gain", "central"] == 0.0


def test_import_price_changes_weighted_by_spending() -> None:
    frame = base_year().assign(old_rate=0.0, new_rate=0.10)
    result = trade.simulate(frame, passthrough="border")
    changes = trade.import_price_changes(result, frame, commodities=["334", "OTHER"])
    assert set(changes.index) <= {"334", "OTHER"}
    assert changes.to_numpy() == pytest.approx(0.10)


def test_explicit_domestic_nest() -> None:
    frame = base_year()
    reduced = trade.simulate(frame, eta=1.5)
    # No domestic varieties and total demand as elastic as imports: the explicit nest is the reduced one.
    explicit = trade.simulate(frame, eta=2.0, domestic_share=0.0, demand_elasticity=1.5)
    pd.testing.assert_frame_equal(reduced.totals, explicit.totals, rtol=1e-12)
    # A small uniform tariff: buyers' cost ≈ spending on imports × price rise, whatever the domestic share.
    small = frame.assign(old_rate=0.0, new_rate=0.001)
    spend = small["value"].sum()
    for share in (0.0, 0.5, 0.9):
        cost = trade.simulate(small, passthrough="border", domestic_share=share).totals.loc[
            "cost_to_buyers", "central"
        ]
        assert cost == pytest.approx(spend * 0.001, rel=2e-3)
    # More domestic substitutes (higher Armington elasticity than demand), larger fall in imports.
    rise = frame.assign(old_rate=0.0, new_rate=0.2)
    imports_change = [
        trade.simulate(rise, eta=3.0, demand_elasticity=0.5, domestic_share=d)
        .products["imports_change"]
        .mean()
        for d in (0.1, 0.8)
    ]
    assert imports_change[1] < imports_change[0] < 0
    with pytest.raises(ParameterError, match="domestic_share"):
        trade.simulate(frame, domestic_share=1.0)


def test_estimated_parameters_recover_a_known_world() -> None:
    """`passthrough="estimated"` in the Geneva notebook rests on this: the estimates carry the truth."""
    from econ.estimate.simulate import simulate_import_panel

    panel, truth = simulate_import_panel(seed=11, passthrough=0.8, import_elasticity=3.0)
    estimates = trade.estimated_parameters(panel)
    for name, true_value in (("passthrough", truth["passthrough"]), ("sigma", truth["import_elasticity"])):
        estimate, se = estimates[name]
        assert 0 < se < 1.0
        assert abs(estimate - true_value) < 3 * se, (name, estimate, se, true_value)


def _two_schedules() -> pd.DataFrame:
    frame = base_year()
    china = frame["partner"] == "5700"
    # The base year's flows were observed at 2024's rates; the two schedules are Geneva and no Geneva.
    return frame.assign(
        base_rate=np.where(china, 0.03 + 0.25, 0.03),
        geneva=np.where(china, 0.03 + 0.25 + 0.30, 0.03 + 0.10),
        no_geneva=np.where(china, 0.03 + 0.25 + 1.45, 0.03 + 0.10),
    )


def test_compare_is_the_difference_of_two_simulations_from_the_base_year() -> None:
    frame = _two_schedules()
    effect = trade.compare(frame, base_rate="base_rate", rate="geneva", alternative="no_geneva", by="bea")
    to_geneva = trade.simulate(frame, old_rate="base_rate", new_rate="geneva", by="bea").totals["central"]
    to_no_geneva = trade.simulate(frame, old_rate="base_rate", new_rate="no_geneva", by="bea").totals[
        "central"
    ]
    pd.testing.assert_series_equal(
        effect.totals["central"], to_geneva - to_no_geneva, check_names=False, rtol=1e-12
    )
    assert effect.totals.loc["cost_to_buyers", "central"] < 0  # Geneva is cheaper for buyers
    assert effect.totals.loc["new_value", "central"] > 0  # and lets imports grow
    by_industry = effect.industries["central"]["cost_to_buyers"].sum()
    assert by_industry == pytest.approx(effect.totals.loc["cost_to_buyers", "central"], rel=1e-9)


def test_compare_a_schedule_with_itself_is_zero_and_intervals_bracket_the_centre() -> None:
    frame = _two_schedules()
    same = trade.compare(frame, base_rate="base_rate", rate="geneva", alternative="geneva")
    assert (same.totals.abs() < 1e-6).all().all()
    effect = trade.compare(
        frame, base_rate="base_rate", rate="geneva", alternative="no_geneva",
        standard_errors={"passthrough": 0.03, "sigma": 0.4, "eta": 0.3}, draws=60,
    )  # fmt: skip
    cost = effect.totals.loc["cost_to_buyers"]
    assert cost["low"] <= cost["central"] <= cost["high"] and cost["low"] < cost["high"]
