"""Collected beside statutory, fixed-weight averages, Schedule.from_hts, and coverage cross-checks against
the real compiled lists (skipped when ../shared/data is absent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econ.errors import SchemaError
from econ.tariffs import (
    Schedule,
    average_tariff,
    base_year_weights,
    collected_vs_statutory,
    compare_with_trackers,
    load_timeline,
)

CHINA, JAPAN = "5700", "5880"


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    products = pd.DataFrame(
        {
            "hs8": ["94036080", "61091000", "72081015", "95030000", "12019000"],
            "mfn_ad_valorem": [0.0, 0.165, 0.0, 0.0, 0.0],
            "chapter99": [["9903.88.03"], ["9903.88.15"], ["9903.88.01"], [], []],
        }
    )
    return Schedule(products)


def test_collected_beside_statutory_by_partner_chapter_month() -> None:
    month = pd.Timestamp("2024-03-01")
    panel = pd.DataFrame(
        {
            "hs10": ["9403608081", "9403608082", "6109100012", "6109100012"],
            "partner": [CHINA, CHINA, CHINA, JAPAN],
            "month": month,
            "value": [100.0, 300.0, 50.0, 0.0],
            "duty": [20.0, 75.0, 10.0, 0.0],
            "statutory_rate": [0.25, 0.25, 0.24, 0.165],
            "section301": [0.25, 0.25, 0.075, 0.0],
        }
    )
    got = collected_vs_statutory(panel).set_index(["partner", "chapter"])
    furniture = got.loc[(CHINA, "94")]
    assert furniture["collected_rate"] == pytest.approx(95 / 400)
    assert furniture["statutory_rate"] == pytest.approx(0.25)
    assert furniture["gap"] == pytest.approx(95 / 400 - 0.25)
    assert furniture["section301"] == pytest.approx(0.25)
    assert got.loc[(CHINA, "61"), "collected_rate"] == pytest.approx(0.2)
    assert np.isnan(got.loc[(JAPAN, "61"), "collected_rate"])  # no value: no rate, not 0
    with pytest.raises(SchemaError, match="duty"):
        collected_vs_statutory(panel.drop(columns="duty"))


def test_collected_beside_statutory_from_engine_output(schedule: Schedule) -> None:
    frame = pd.DataFrame(
        {"hs8": ["94036080", "61091000"], "partner": CHINA, "date": pd.Timestamp("2024-06-01")}
    )
    rated = schedule.rates(frame).assign(
        value=[100.0, 100.0], duty=[25.0, 24.0], month=pd.Timestamp("2024-06-01")
    )
    got = collected_vs_statutory(rated, by=["partner", "month"])  # uses `total`
    assert got["statutory_rate"].iloc[0] == pytest.approx((0.25 + 0.165 + 0.075) / 2)
    assert got["collected_rate"].iloc[0] == pytest.approx(0.245)


def test_average_tariff_uses_fixed_weights(schedule: Schedule) -> None:
    weights = pd.DataFrame(
        {"hs8": ["94036080", "61091000", "95030000"], "partner": CHINA, "value": [100.0, 300.0, 600.0]}
    )
    dates = pd.to_datetime(["2017-12-31", "2019-06-01", "2025-04-15", "2025-05-14"])
    got = average_tariff(schedule, weights, dates=dates)
    rates = schedule.rates(weights.merge(pd.DataFrame({"date": dates}), how="cross"))
    expected = rates.assign(wt=rates["total"] * rates["value"]).groupby("date")["wt"].sum() / 1000
    np.testing.assert_allclose(got["total"].to_numpy(), expected.to_numpy())
    assert got["total"].iloc[0] == pytest.approx(0.3 * 0.165)  # only MFN before the trade war
    assert (got["weight"] == 1000).all()


def test_average_tariff_by_industry_with_shares(schedule: Schedule) -> None:
    weights = pd.DataFrame({"hs8": ["94036080", "72081015"], "partner": CHINA, "value": [100.0, 100.0]})
    mapping = pd.DataFrame(
        {
            "hs8": ["94036080", "72081015", "72081015"],
            "naics": ["337", "331", "332"],
            "share": [1.0, 0.5, 0.5],
        }
    )
    got = average_tariff(schedule, weights, dates=["2025-06-04"], by=("partner", "naics"), mapping=mapping)
    by_industry = got.set_index("naics")
    assert by_industry.loc["331", "total"] == pytest.approx(by_industry.loc["332", "total"])
    assert by_industry.loc["331", "weight"] == pytest.approx(50.0)
    assert by_industry.loc["331", "section232"] == pytest.approx(0.50)
    with pytest.raises(SchemaError, match="sector"):
        average_tariff(schedule, weights, dates=["2025-06-04"], by=("sector",), mapping=mapping)


def test_china_average_on_us_goods(schedule: Schedule) -> None:
    weights = pd.DataFrame({"hs8": ["12019000", "95030000"], "partner": CHINA, "value": [1.0, 1.0]})
    got = average_tariff(schedule, weights, dates=["2025-04-12", "2025-05-14"], flow="exports")
    # Soybeans: 2018 list 25% + 2019 list 2.5% + March 2025 10% + the all-goods rate; toys: the $60B list
    # at 25% (annex 1 of 2019) + the all-goods rate.
    np.testing.assert_allclose(
        got["total"], [(0.375 + 1.25 + 0.25 + 1.25) / 2, (0.375 + 0.10 + 0.25 + 0.10) / 2]
    )
    np.testing.assert_allclose(got["total"], got["china_retaliation"])


def test_base_year_weights() -> None:
    panel = pd.DataFrame(
        {
            "hs8": ["94036080", "94036080", "94036080"],
            "partner": CHINA,
            "month": pd.to_datetime(["2017-01-01", "2017-02-01", "2018-01-01"]),
            "value": [1.0, 2.0, 4.0],
        }
    )
    got = base_year_weights(panel, year=2017)
    assert got["value"].tolist() == [3.0]
    with pytest.raises(SchemaError, match="2016"):
        base_year_weights(panel, year=2016)


def test_from_hts_reads_mfn_and_chapter99(fixtures) -> None:
    schedule = Schedule.from_hts([fixtures / "tariffs" / "hts_mini.json"])
    frame = pd.DataFrame(
        {
            "hs10": ["8507600010", "8507600020", "9403608081", "2805300010", "2204215000"],
            "partner": CHINA,
            "date": pd.Timestamp("2025-06-01"),
        }
    )
    got = schedule.rates(frame)
    np.testing.assert_allclose(got["mfn"], [0.034, 0.034, 0.0, 0.05, 0.0])
    np.testing.assert_allclose(got["section301"], [0.25, 0.075, 0.25, 0.25, 0.0])
    # Lithium-ion batteries are Section 232 auto parts from 2025-05-03 (note 33(g) names 8507.60 whole, as
    # compiled), rare earths are in Annex II: both exempt from the reciprocal duty.
    np.testing.assert_allclose(got["section232"], [0.25, 0.25, 0.0, 0.0, 0.0])
    # Lithium-ion batteries (8507.60) are on the compiled Annex II list too.
    np.testing.assert_allclose(got["ieepa_reciprocal"], [0.0, 0.0, 0.10, 0.0, 0.10])
    assert schedule.non_ad_valorem_lines == 1  # wine: 6.3¢/liter
    assert got.attrs["tariffs"]["rows_hs10_fell_back_to_hs8"] == 1  # 2204215000 has no HS10 line


def test_from_hts_real_chapters(shared_data) -> None:
    paths = [shared_data / "hts" / f"chapter{c}.json" for c in ("01", "28", "85")]
    schedule = Schedule.from_hts(paths)
    frame = pd.DataFrame(
        {"hs8": ["85051100", "28053000"], "partner": CHINA, "date": pd.Timestamp("2026-01-01")}
    )
    got = schedule.rates(frame)
    assert got["mfn"].iloc[0] == pytest.approx(0.021)  # magnets: 2.1%
    assert got["section301"].iloc[0] == pytest.approx(0.25)  # the review's 2026 step on magnets


def test_review_coverage_matches_the_compiled_301_list(shared_data) -> None:
    lists = pd.read_csv(shared_data / "hts" / "s301_product_lists.csv", dtype=str)
    review = lists[lists["list"].str.startswith(("biden", "cranes"))]
    prefixes = load_timeline().coverage_prefixes()
    ours = tuple(p for group, ps in prefixes.items() if group.startswith("s301_review") for p in ps)
    covered = review["hts8"].str.startswith(ours)
    assert covered.all(), review.loc[~covered, "hts8"].tolist()


def test_annex_ii_prefixes_cover_the_compiled_exempt_list(shared_data) -> None:
    exempt = pd.read_csv(shared_data / "hts" / "ieepa_exempt_products.csv", dtype=str).iloc[:, 0]
    prefixes = load_timeline().coverage_prefixes()
    ours = tuple(
        p
        for group, ps in prefixes.items()
        if group.startswith(("annex_ii", "reciprocal_", "s232"))
        for p in ps
    )
    covered = exempt.str.startswith(ours)
    # The rare-earth lines named in FACTS §1 must be covered; overall the heading-level list covers most
    # lines (the rest: civil aircraft and parts exempted for some partners, HS10-level carve-outs).
    assert covered[exempt.str.startswith(("280530", "284690"))].all()
    assert covered.mean() > 0.6, f"{covered.mean():.1%} of {len(exempt)} exempt HS10 lines covered"


def test_us_china_averages_both_directions(schedule: Schedule) -> None:
    from econ.tariffs import piie_dates, us_china_averages

    imports = pd.DataFrame({"hs8": ["94036080", "95030000"], "value": [1.0, 3.0]})
    exports = pd.DataFrame({"hs8": ["12019000"], "value": [1.0]})
    got = us_china_averages(schedule, us_imports_from_china=imports, us_exports_to_china=exports)
    chart = got.pivot(index="date", columns="direction", values="total")
    assert len(chart) == len(piie_dates()) and chart.index.min() == pd.Timestamp("2018-01-01")
    # After Geneva: furniture 25 + 20 + 10, toys 20 + 10, weighted 1:3.
    assert chart.loc[pd.Timestamp("2025-05-14"), "US on China"] == pytest.approx((0.55 + 3 * 0.30) / 4)
    assert chart.loc[pd.Timestamp("2025-04-12"), "China on US"] == pytest.approx(0.25 + 0.025 + 0.10 + 1.25)


def test_compare_with_trackers_on_base_year_weights(schedule: Schedule) -> None:
    # Toys from China (no Section 301 list in force), one dollar: the engine's average is the line's rate.
    weights = pd.DataFrame({"hs8": ["95030000"], "partner": CHINA, "value": [1.0]})
    got = compare_with_trackers(schedule, weights)
    assert set(got["partner"]) == {CHINA} and set(got["tracker"]) >= {"yale_budget_lab"}
    on = got.set_index(["tracker", "date"])
    # 2025-04-17: fentanyl 20% (EO 14228) + reciprocal 125% (EO 14266), MFN free.
    assert on.loc[("yale_budget_lab", pd.Timestamp("2025-04-17")), "engine"] == pytest.approx(1.45)
    np.testing.assert_allclose(got["gap"], got["engine"] - got["rate"])
    assert (got["within"] == (got["gap"].abs() <= 0.02)).all()
    with pytest.raises(SchemaError, match="no published figure"):
        compare_with_trackers(schedule, weights.assign(partner="9999"))
