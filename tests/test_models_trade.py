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


# ---------------------------------------------------------------------------------------------------------
# A base year of NAICS industries (the Census NAICS panel's shape) and the BEA tables the models run on.


def _naics_panel() -> pd.DataFrame:
    """Census NAICS × partner × month, 2024 and June 2025, with made-up values and duties."""
    rows = []
    for month, scale in (("2024-01-01", 1.0), ("2024-07-01", 1.0), ("2025-06-01", 0.5)):
        for naics, partner, value, rate in (
            ("111", "5700", 100.0, 0.02), ("111", "2010", 300.0, 0.0), ("3361", "5700", 50.0, 0.10),
            ("336", "2010", 400.0, 0.01), ("910", "5700", 20.0, 0.0), ("990", "2010", 10.0, 0.0),
        ):  # fmt: skip
            june = month.startswith("2025")
            rate = rate + (0.25 if june and partner == "5700" else 0.0)
            rows.append((naics, partner, pd.Timestamp(month), value * scale, value * scale * rate))
    frame = pd.DataFrame(rows, columns=["naics", "partner", "month", "value", "duty"])
    frame["naics_name"] = "NAICS CODE " + frame["naics"] + ", MADE UP"
    return frame


def test_naics_base_year_places_codes_in_bea_commodities_and_splits_the_coarse_one() -> None:
    weights = pd.Series({"3361MV": 300.0, "3364OT": 100.0})  # the Use table's imports (F050, sign flipped)
    frame = trade.base_year_frame(_naics_panel(), year=2024, bea_weights=weights)
    assert frame["value"].sum() == pytest.approx(2 * 880.0)  # nothing dropped, nothing doubled
    split = frame[frame["naics"] == "336"].set_index("bea")
    assert split["value"].to_dict() == pytest.approx({"3361MV": 600.0, "3364OT": 200.0})
    assert set(split["product"]) == {"336/3361MV", "336/3364OT"} and set(split["bea_match"]) == {"split"}
    placed = frame.drop_duplicates("naics").set_index("naics")["bea"].to_dict()
    assert placed["111"] == "111CA" and placed["3361"] == "3361MV"
    assert placed["910"] == "Used" and placed["990"] == "Other"  # BEA's scrap and noncomparable imports
    china_farm = frame[(frame["naics"] == "111") & (frame["partner"] == "5700")]
    assert china_farm["collected_rate"].item() == pytest.approx(0.02)
    assert not frame.duplicated(["product", "partner"]).any()
    with pytest.raises(ParameterError, match=r"HS10 panel .* or the NAICS panel"):
        trade.base_year_frame(_naics_panel().drop(columns="naics"), year=2024)


class _Products:
    used_compiled_lists = False


class _Schedule:
    """A schedule written by hand: 30% on China from 2025-04-10; the scenario adds 115 points on China's
    passenger cars (8703) only."""

    products = _Products()

    def rates(self, frame: pd.DataFrame, *, scenario: str | None = None) -> pd.DataFrame:
        china = (frame["partner"] == "5700").to_numpy()
        late = (frame["date"] >= pd.Timestamp("2025-04-10")).to_numpy()
        total = np.where(china & late, 0.30, 0.0)
        if scenario is not None:
            cars = frame["hs10"].fillna("").str.startswith("8703").to_numpy()
            total = total + np.where(china & cars, 1.15, 0.0)
        return pd.DataFrame({"total": total}, index=frame.index)


LINES = pd.DataFrame(
    {
        "hts8": ["87032300", "87089981", "01012100", "88024000", "01012100"],
        "hts10": ["8703230000", "8708998180", "0101210010", "8802400000", None],  # an HS8 row above its line
    }
)


def test_industry_tariffs_collected_levels_plus_the_schedules_change() -> None:
    from econ.models import base_year

    panel = _naics_panel()
    frame = trade.base_year_frame(panel, year=2024, bea_weights=pd.Series({"3361MV": 3.0, "3364OT": 1.0}))
    out, method = base_year.industry_tariffs(
        frame, _Schedule(), LINES, imports_naics=panel, base_year=2024, date="2025-06-15", scenario="x"
    )
    rows = out.set_index(["product", "partner"])
    # base: 2024's collected rate; in force: June 2025's (every pair has June imports here)
    assert rows.loc[("3361", "5700"), "base_rate"] == pytest.approx(0.10)
    assert rows.loc[("3361", "5700"), "in_force"] == pytest.approx(0.35)
    # the scenario: +115 points on one of the two motor-vehicle lines (unweighted: half of it)
    assert rows.loc[("3361", "5700"), "alternative"] == pytest.approx(0.35 + 1.15 / 2)
    assert rows.loc[("111", "5700"), "alternative"] == pytest.approx(rows.loc[("111", "5700"), "in_force"])
    # scrap has no HTS lines here: the partner's mean over the commodities that have lines (111CA, 3361MV,
    # 3364OT)
    assert rows.loc[("910", "5700"), "alternative"] - rows.loc[("910", "5700"), "in_force"] == pytest.approx(
        1.15 / 2 / 3
    )
    assert (
        out.loc[out["partner"] == "2010", "alternative"] == out.loc[out["partner"] == "2010", "in_force"]
    ).all()
    assert "collected rate" in method.text and "unweighted" in method.text
    # weighted by HS10 imports: three parts cars to one part car parts
    weights = pd.DataFrame({"hs10": ["8703230000", "8708998180"], "partner": "5700", "value": [3.0, 1.0]})
    weighted, method = base_year.industry_tariffs(
        frame, _Schedule(), LINES, imports_naics=panel, base_year=2024, date="2025-06-15", scenario="x",
        hs10_weights=weights,
    )  # fmt: skip
    car = weighted.set_index(["product", "partner"]).loc[("3361", "5700")]
    assert car["alternative"] - car["in_force"] == pytest.approx(1.15 * 3 / 4)
    assert "weighted by HS10 imports" in method.text
    # a date after the panel's last month: the base rate plus the schedule's change since the base year
    later, method = base_year.industry_tariffs(
        frame, _Schedule(), LINES, imports_naics=panel, base_year=2024, date="2026-03-01", scenario="x"
    )
    assert later.set_index(["product", "partner"]).loc[("3361", "5700"), "in_force"] == pytest.approx(0.40)
    assert method.in_force_collected_share == 0.0


def test_naics_comparison_through_the_fixture_tables_says_what_it_left_out(fixtures) -> None:
    from econ.models import base_year, io
    from econ.sources import bea

    use, make, imports = (
        bea.read(fixtures / "bea" / f"Mini_{t}_2023.csv") for t in ("Use", "Make", "Import")
    )
    mining = pd.DataFrame({"naics": "212", "partner": "5700", "month": pd.Timestamp("2024-05-01"),
                           "value": [5.0], "duty": [0.0], "naics_name": "MINING"})  # fmt: skip
    panel = pd.concat([_naics_panel(), mining], ignore_index=True)
    frame = trade.base_year_frame(panel, year=2024, bea_weights=crosswalk.import_weights(use.final_demand))
    assert set(frame.loc[frame["naics"] == "336", "bea"]) == {"3361MV"}  # the table imports no 3364OT
    frame, _ = base_year.industry_tariffs(
        frame, _Schedule(), LINES, imports_naics=panel, base_year=2024, date="2025-06-15", scenario="x"
    )
    result = trade.compare(frame, rate="in_force", alternative="alternative", product="product", by="bea")
    shock = trade.import_price_changes(result, frame, commodities=use.commodities)
    assert set(shock.index) <= set(use.commodities)
    assert "Other" in shock.index and "Used" in shock.index  # noncomparable imports, scrap
    assert list(shock.attrs["unmatched"]) == ["212"]  # mining: not a commodity of the mini table
    prices = io.cost_push(use, make, imports, shock)
    assert prices.industry.loc["3361MV"] < 0  # cars cost less with the tariffs in force than without Geneva


@pytest.fixture(scope="module")
def bea_summary(shared_data):
    from econ.sources import bea

    folder = shared_data / "bea"
    return (
        bea.read(folder / "Summary_Use_2023_PRO_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Make_2023_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Import_2023_BeforeRedef_17sch.csv"),
    )


@pytest.mark.real_data
def test_every_crosswalk_code_is_a_commodity_of_beas_real_summary_tables(bea_summary) -> None:
    use = bea_summary[0]
    assert len(use.industries) == 71 and len(use.commodities) == 73
    commodities = set(use.commodities)
    assert set(crosswalk.CHAPTER_TO_BEA.values()) <= commodities
    assert set(crosswalk.naics_table()["bea_summary"]) <= commodities


@pytest.mark.real_data
def test_pe_and_price_models_at_beas_71_industries(bea_summary) -> None:
    """Every Census NAICS code of the crosswalk, one partner, the same tariff rise: each commodity's
    import price rises by exactly the tariff factor at full pass-through, nothing is left out (no
    ``unknown commodity codes [OTHER]``), and the cost push is bounded by each commodity's import content."""
    from econ.models import io

    use, make, imports = bea_summary
    codes = crosswalk.naics_table()["naics"]
    panel = pd.DataFrame(
        {"naics": codes, "partner": "5700", "month": pd.Timestamp("2024-03-01"), "value": 1e9, "duty": 1e8}
    )
    frame = trade.base_year_frame(panel, year=2024, bea_weights=crosswalk.import_weights(use.final_demand))
    frame = frame.assign(base_rate=0.1, in_force=0.1, alternative=0.1 + 1.15)
    result = trade.compare(
        frame, rate="alternative", alternative="in_force", product="product", by="bea", passthrough="border"
    )
    shock = trade.import_price_changes(result, frame, commodities=use.commodities)
    assert shock.attrs["unmatched"] == {} and len(shock) == frame["bea"].nunique()
    assert shock.to_numpy() == pytest.approx(2.25 / 1.1 - 1)
    prices = io.cost_push(use, make, imports, shock)
    assert len(prices.industry) == 71 and 0 < prices.pce < shock.max()
    content = io.import_content(use, make, imports)
    assert (prices.commodity <= content * shock.max() + 1e-12).all()
    assert (prices.commodity >= -1e-12).all()


def test_estimated_passthrough_on_the_naics_panel_is_refused_in_one_line() -> None:
    from econ.reports import params

    found = params.problems(
        "geneva_reduction", {"imports_panel": "imports_naics", "passthrough": "estimated"}
    )
    assert len(found) == 1 and found[0][0] == "imports_panel" and "values and duties only" in found[0][1]
    assert params.problems("geneva_reduction", {"imports_panel": "imports_naics"}) == []
    needs = params.validate("geneva_reduction", {"imports_panel": "imports_naics", "dataset": "real"}).needs()
    assert needs[0].output == "imports_naics" and needs[0].months == ("2024-01", "2024-12")
