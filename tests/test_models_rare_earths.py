"""The rare-earth model: sourced tables, inputs from the panels, calibration and Hulten's multiplier, the
observed shock path against China's published shipments, compliance, and the published scenarios."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.errors import InputFormatError, ParameterError
from econ.models.rare_earths import compliance, economy, facts, inputs, literature, losses, network, shock
from econ.panel.minerals import minerals_panel
from econ.sources import bea, usgs

# --------------------------------------------------------------------------------------------- helpers


def trade_panel(values: dict[str, tuple[float, float]], months: pd.DatetimeIndex) -> pd.DataFrame:
    """A miniature imports panel: HS10 → (China's annual value, others' annual value), spread evenly."""
    rows = []
    for code, (china, other) in values.items():
        for month in months:
            rows.append((code, "5700", "CHINA", month, china / 12, china / 12 / 50))
            rows.append((code, "5880", "JAPAN", month, other / 12, other / 12 / 50))
    return pd.DataFrame(rows, columns=["hs10", "partner", "partner_name", "month", "value", "quantity"])


MONTHS = pd.date_range("2024-01-01", "2025-12-01", freq="MS")
# The published 2024 figures (us_imports_2024): what a Census panel of the real lines holds.
PUBLISHED = {
    "8505110070": (364e6, 121e6),  # magnets, China and others
    "2846908090": (81.3e6, 38.2e6),  # controlled compounds
    "2805300050": (3.3e6, 1.4e6),
    "8112921000": (1.1e6, 4.4e6),
    "8112926000": (6.3e6, 35.7e6),
    "8110100000": (52e6, 34e6),
}


@pytest.fixture(scope="module")
def real_tables(shared_data: Path) -> tuple[bea.IOTable, bea.IOTable, bea.IOTable]:
    folder = shared_data / "bea"
    return (
        bea.read(folder / "Summary_Use_2023_PRO_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Make_2023_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Import_2023_BeforeRedef_17sch.csv"),
    )


@pytest.fixture(scope="module")
def real_minerals(shared_data: Path) -> pd.DataFrame:
    return minerals_panel([usgs.read(p) for p in sorted((shared_data / "usgs").glob("*.csv"))])


@pytest.fixture(scope="module")
def real_economies(real_tables, real_minerals) -> dict[str, economy.Economy]:  # type: ignore[no-untyped-def]
    use, make, imports = real_tables
    restricted = inputs.restricted_imports(trade_panel(PUBLISHED, MONTHS), year=2024)
    return economy.build_economies(restricted, real_minerals, use=use, make=make, imports=imports)


# ------------------------------------------------------------------------------------------ the tables


def test_every_table_row_has_a_status_and_a_source() -> None:
    for name in facts.TABLE_NAMES:
        frame = facts.table(name)
        assert len(frame) and set(frame["status"]) <= set(facts.STATUSES), name
        assert (frame["source"].str.len() > 0).all(), name
    shown = facts.shown()
    assert set(shown["table"]) == set(facts.TABLE_NAMES) and len(shown) > 50


def test_bad_table_text_is_named() -> None:
    good = "name,value,unit,status,source\nx,1,t,published,somewhere\n"
    assert facts.parse("rare_earth_parameters", good)["value"].iloc[0] == 1.0
    with pytest.raises(InputFormatError, match=r"row 2.*status 'guess'"):
        facts.parse("rare_earth_parameters", good.replace("published", "guess"))
    with pytest.raises(InputFormatError, match=r"row 2, column value"):
        facts.parse("rare_earth_parameters", good.replace(",1,", ",one,"))
    with pytest.raises(InputFormatError, match="no source"):
        facts.parse("rare_earth_parameters", good.replace("somewhere", ""))
    with pytest.raises(ParameterError, match="no parameter"):
        facts.parameter("nope")


def test_published_scenarios_are_the_ones_the_papers_state() -> None:
    # Written from the abstracts (USGS OFR 2024-1057; ECB Occasional Paper 2026; IMF WP 2026/073), not from
    # the table: a change to the table that departs from the papers fails here.
    studies = literature.studies().set_index("scenario_id")
    usgs = studies.loc["usgs_2024_ga_ge"]
    assert (usgs["low"], usgs["central"], usgs["high"]) == (1.7, 3.4, 9.0)
    assert set(usgs["groups"].split(";")) == {"gallium", "germanium"} and usgs["cut"] == 1.0
    assert "$ billion" in usgs["measure"]
    partial = studies.loc["ecb_2026_partial"]
    assert (partial["low"], partial["high"], partial["months"]) == (0.3, 0.6, 18)
    assert "April-May 2025" in partial["scenario"]
    near = studies.loc["ecb_2026_near_total"]
    assert near["central"] == 2.0 and "very low" in near["elasticity"]
    imf = studies.loc["imf_2026_short_run"]
    assert (imf["cut"], imf["basis"], imf["central"]) == (0.8, "total", 1.5)
    assert studies.loc["imf_2026_long_run", "central"] == 0.0
    assert (
        studies.loc["usgs_2025_year_long", "central"] == 4.5
        and "probability" in studies.loc["usgs_2025_year_long", "scenario"]
    )


# ------------------------------------------------------------------------------------------ the inputs


def test_restricted_lines_count_only_controlled_elements() -> None:
    codes = pd.Series(["2805300005", "2805300050", "2846100010", "2846908090", "8505110070", "8505110030"])
    got = inputs.line_groups(codes)["group"].tolist()
    assert got == ["uncontrolled", "metals", "uncontrolled", "compounds", "magnets", ""]


def test_restricted_imports_composition_and_china_shares() -> None:
    restricted = inputs.restricted_imports(trade_panel(PUBLISHED, MONTHS), year=2024)
    comp = inputs.composition(restricted)
    assert comp.index[0] == "magnets"
    assert comp.loc["magnets", "value"] == pytest.approx(485e6)
    assert comp.loc["magnets", "china_share"] == pytest.approx(364 / 485)
    assert comp["share_of_restricted"].sum() == pytest.approx(1.0)
    check = inputs.check_against_published(restricted).set_index(["group", "partner"])
    assert check.loc[("magnets", "china"), "ratio"] == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="missing columns"):
        inputs.restricted_imports(pd.DataFrame({"hs10": []}), year=2024)


def test_satellite_row_is_use_split_by_end_uses() -> None:
    row = inputs.satellite_row(
        {"magnets": 100e6, "compounds": 40e6},
        import_shares={"magnets": 1.0, "compounds": 0.8},
        industries=["3361MV", "335", "334", "333", "3364OT", "339", "325", "327", "331"],
    )
    assert row.sum() == pytest.approx(100 + 40 / 0.8)  # $ millions of use: imports over the imported share
    assert row["3361MV"] == pytest.approx(0.35 * 100 + 0.05 * 50)
    with pytest.raises(ParameterError, match="not in the input-output tables"):
        inputs.satellite_row({"magnets": 1e6}, import_shares={"magnets": 1.0}, industries=["3361MV"])
    folded = inputs.satellite_row(
        {"magnets": 1e6}, import_shares={"magnets": 1.0}, industries=["3361MV", "OTHER"]
    )
    assert folded.to_dict() == pytest.approx({"3361MV": 0.35, "OTHER": 0.65})  # aggregated tables


# --------------------------------------------------------------------------------------- calibration


def test_calibration_on_miniature_tables_keeps_the_cost_shares(fixtures: Path) -> None:
    folder = fixtures / "bea"
    use, make, imports = (bea.read(folder / f"Mini_{k}_2023.csv") for k in ("Use", "Make", "Import"))
    satellite = pd.Series({"3361MV": 0.9})
    cal = network.calibrate(use, make, satellite, groups=["magnets"], import_share=1.0, imports=imports)
    net = cal.network
    shares = net.base_shares()
    total = shares["goods"].sum(axis=1) + shares["labour"] + shares["foreign"] + shares["critical"]
    np.testing.assert_allclose(total, 1.0, atol=1e-12)
    j = list(net.industries).index("3361MV")
    assert net.critical[j] == pytest.approx(0.9 / 200.0)
    assert net.exposed[j] == pytest.approx(0.35)  # the exposed_lines row for 3361MV
    # Domar weights are outputs over final expenditure, so the multiplier is the satellite over GDP.
    assert cal.critical_share_of_gdp == pytest.approx(0.9 / cal.gdp_usd, rel=1e-9)
    table = network.exposure(cal, use)
    assert (table["total_requirement"] >= table["direct_requirement"] - 1e-15).all()
    assert table.loc["111CA", "total_requirement"] > 0 == table.loc["111CA", "direct_requirement"]


@pytest.mark.real_data
def test_hulten_share_is_restricted_value_over_gdp_on_bea_tables(real_economies) -> None:  # type: ignore[no-untyped-def]
    for e in real_economies.values():
        cal = e.calibrated
        assert cal.critical_share_of_gdp == pytest.approx(cal.critical_usd / cal.gdp_usd, rel=1e-9)
        assert cal.gdp_usd == pytest.approx(cal.value_added_usd, rel=0.02)  # the model's GDP is BEA's
    rare = real_economies["rare_earths"].calibrated
    assert 1e-5 < rare.critical_share_of_gdp < 4e-5  # ~$640 million of a $28 trillion economy
    assert rare.lines.loc["335", "line_share"] == pytest.approx(0.15)


# ---------------------------------------------------------------------------------------- shock path


def test_observed_path_reproduces_chinas_published_shipments() -> None:
    period = shock.months("2025-01", "2025-12")
    path = shock.china_index(period)
    published = facts.table("magnet_exports")
    to_us = published[published["destination"] == "united_states"].set_index("month")["tonnes"]
    got = path["tonnes"].dropna()
    assert list(got.index.strftime("%Y-%m")) == list(to_us.index)
    np.testing.assert_allclose(got.to_numpy(), to_us.to_numpy())
    # FACTS §4: May 46 t at −93% y/y, July 619 t at +5%, September 420.5 t at about −30%.
    baseline = (46 / 0.07 + 619 / 1.05 + 420.5 / 0.70) / 3
    assert path["baseline"].iloc[0] == pytest.approx(baseline)
    assert path.loc["2025-07-01", "index"] == pytest.approx(619 / baseline)  # July at ~100% of baseline
    assert path.loc["2025-03-01", "basis"] == "before the control" and path.loc["2025-03-01", "index"] == 1.0
    assert path.loc["2025-04-01", "basis"] == "interpolated"
    assert path.loc["2025-12-01", "basis"] == "last figure carried forward"
    world = shock.china_index(period, destination="world")
    assert world["baseline"].iloc[0] == pytest.approx(58152 / 12)
    assert world.loc["2025-05-01", "index"] == pytest.approx(1238 / (58152 / 12))


def test_shortfall_falls_where_the_shipments_do_not_after_july() -> None:
    period = shock.months("2025-01", "2025-12")
    china = shock.china_index(period)["index"]
    supply = shock.supply_path(china, china_share=0.75, import_share=1.0)
    path = shock.inventory_path(supply, inventory_weeks=4.0, restock_speed=0.5)
    assert path.loc["2025-05-01", "shortfall"] > 0 and path.loc["2025-06-01", "shortfall"] > 0
    assert path.loc["2025-07-01", "shortfall"] == 0  # July shipments at baseline: no shortfall in July
    assert path.loc[:"2025-03-01", "shortfall"].eq(0).all()
    drawn, restocked = path["drawn"].sum(), path["restocked"].sum()
    end_stock = path["stock_start"].iloc[-1] - path["drawn"].iloc[-1] + path["restocked"].iloc[-1]
    assert 4.0 - drawn + restocked == pytest.approx(end_stock)  # stocks are conserved
    assert restocked > 0  # October above baseline rebuilds stocks


def test_rerouting_measured_from_other_partners_offsets_the_shortfall() -> None:
    china = pd.Series([1.0, 0.2, 0.2], index=shock.months("2025-03", "2025-05"))
    other = pd.Series([1.0, 1.5, 1.5], index=china.index)
    plain = shock.supply_path(china, china_share=0.75, import_share=1.0)
    rerouted = shock.supply_path(china, china_share=0.75, import_share=1.0, other=other)
    assert plain.iloc[1] == pytest.approx(1 - 0.75 * 0.8)
    assert rerouted.iloc[1] == pytest.approx(1 - 0.75 * 0.8 + 0.25 * 0.5)


def test_hypothesis_is_prorated_from_its_start() -> None:
    path = shock.hypothetical_path(
        shock.months("2025-03", "2025-06"), restriction=1.0, start="2025-04-04", china_share=0.7,
        import_share=1.0, rerouting=0.0, inventory_weeks=0.0, restock_speed=0.5,
    )  # fmt: skip
    assert path.loc["2025-04-01", "china_index"] == pytest.approx(1 - 27 / 30)
    assert path.loc["2025-05-01", "shortfall"] == pytest.approx(0.7)
    with pytest.raises(ParameterError, match="restriction"):
        shock.hypothetical_path(
            shock.months("2025-03", "2025-06"), restriction=1.5, start="2025-04-04", china_share=0.7,
            import_share=1.0, rerouting=0.0, inventory_weeks=0.0, restock_speed=0.5,
        )  # fmt: skip


def test_control_dates_include_the_widening_and_its_suspension() -> None:
    events = shock.control_events().set_index("date")
    for day, kind in (("2024-12-03", "ban"), ("2025-04-04", "licensing"), ("2025-10-09", "widening"),
                      ("2025-11-10", "suspension")):  # fmt: skip
        assert events.loc[pd.Timestamp(day), "kind"] == kind


def test_prices_against_2024() -> None:
    prices = shock.price_index().set_index(["product", "market"])
    assert prices.loc[("terbium oxide", "Europe (thin volumes)"), "ratio"] == pytest.approx(3000 / 810)
    assert prices.loc[("dysprosium oxide", "China domestic"), "ratio"] == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------- compliance


def test_compliance_agrees_with_the_shock_path_and_says_the_agreed_level_is_assumed() -> None:
    period = shock.months("2025-01", "2025-12")
    table = compliance.compliance(period)
    index = shock.china_index(period)
    published = table["share_of_baseline"].dropna()
    np.testing.assert_allclose(published, index.loc[published.index, "index"])
    assert table.index[0] == pd.Timestamp("2025-05-01")  # the Geneva commitment's first month
    assert table.loc["2025-06-01", "status"] == "rising but below the agreed level"
    assert table.loc["2025-07-01", "status"] == "at or above the agreed level"
    assert table.loc["2025-11-01", "commitment"].endswith("suspension")
    assert table["agreed_basis"].str.startswith("assumption").all()
    assert (
        compliance.compliance(period, agreed_share=0.5).loc["2025-06-01", "status"]
        == "at or above the agreed level"
    )
    with pytest.raises(ParameterError, match="agreed_share"):
        compliance.compliance(period, agreed_share=-1.0)


# ----------------------------------------------------------------------------------- losses, studies


@pytest.mark.real_data
def test_losses_on_real_inputs(real_economies) -> None:  # type: ignore[no-untyped-def]
    rare = real_economies["rare_earths"]
    grid = losses.loss_grid(rare.solver, shortfall=0.8, sigmas=(0.01, 0.1, 0.5, 1.0))
    assert grid["gdp_loss_share"].is_monotonic_decreasing
    assert grid["gdp_loss_share"].iloc[0] > 100 * grid["hulten_share"].iloc[0]  # the answer is about σ
    assert (grid["income_loss_share"] >= grid["gdp_loss_share"] - 1e-12).iloc[:2].all()
    top = losses.industry_losses(rare.solver, shortfall=0.8, sigma=0.05, value_added=pd.Series(dtype=float))
    assert top.index[0] in {"335", "3361MV", "334", "333", "3364OT", "339", "327", "325", "331"}


@pytest.mark.real_data
def test_each_published_scenario_is_inside_next_to_or_explained(real_economies) -> None:  # type: ignore[no-untyped-def]
    table = literature.reconcile(real_economies).set_index(literature.studies()["scenario_id"].to_numpy())
    assert table["reason"].str.len().gt(40).all()  # one sentence per study, always
    close = ("spans", "overlap", "next to", "both negligible")
    for scenario in ("usgs_2024_ga_ge", "ecb_2026_partial", "ecb_2026_near_total", "imf_2026_short_run",
                     "imf_2026_long_run"):  # fmt: skip
        assert any(word in table.loc[scenario, "position"] for word in close), table.loc[scenario, "reason"]
    # USGS 2025 is probability-weighted: ours above, and the reason says why.
    usgs25 = table.loc["usgs_2025_year_long"]
    assert usgs25["ours_low"] > usgs25["theirs_high"] and "probability" in usgs25["reason"]
    imf = table.loc[["imf_2026_short_run", "imf_2026_long_run"], "ours_mid"]
    assert imf.iloc[0] > 10 * imf.iloc[1]  # short run far above long run


def test_implied_elasticity_recovers_a_known_one(fixtures: Path) -> None:
    folder = fixtures / "bea"
    use, make, imports = (bea.read(folder / f"Mini_{k}_2023.csv") for k in ("Use", "Make", "Import"))
    cal = network.calibrate(
        use, make, pd.Series({"3361MV": 0.9}), groups=["magnets"], import_share=1.0, imports=imports
    )
    solver = losses.Solver(cal)
    target = solver.row(0.6, 0.08)["gdp_loss_share"]
    assert losses.implied_sigma(solver, shortfall=0.6, target_loss_share=target) == pytest.approx(
        0.08, rel=1e-3
    )
    price = 1 + solver.row(0.6, 0.3)["critical_price_change"]
    assert losses.price_sigma(solver, shortfall=0.6, price_ratio=price) == pytest.approx(0.3, rel=1e-3)
    assert math.isnan(losses.implied_sigma(solver, shortfall=0.6, target_loss_share=0.9))
    with pytest.raises(ParameterError, match="sigmas"):
        losses.loss_grid(solver, shortfall=0.5, sigmas=(-0.1,))


# ------------------------------------------------------------------------------------------- the page


def test_a_loss_figure_keeps_small_shares_of_gdp_readable() -> None:
    from econ.reports import Figure
    from econ.reports import rare_earth_story as story

    loss = story.loss_figure(pd.Series({0.01: 5.0, 0.0464: 2.0, 1.0: 0.01}), gdp_usd=1e4, label="GDP lost",
                             period="a year")  # fmt: skip
    assert (loss.value, loss.low, loss.high) == pytest.approx((2e-4, 1e-6, 5e-4))
    assert loss.text() == "0.020% (across σ 0.01–1: 0.000% to 0.050%)"
    assert Figure.from_json(loss.as_json()) == loss
    assert "decimals" not in Figure(0.5, "percent").as_json()  # pages without it read as before


def test_the_fast_log_sum_exp_is_scipys() -> None:
    from scipy.special import logsumexp

    from econ.models.open_network import _row_logsumexp

    rng = np.random.default_rng(3)
    a = rng.normal(size=(9, 12)) * 40
    b = rng.random((9, 12))
    b[b < 0.4] = 0.0
    a[2, 5] = -np.inf
    assert np.allclose(_row_logsumexp(a, b), logsumexp(a, b=b, axis=1), rtol=0, atol=1e-12)
    assert np.allclose(_row_logsumexp(a), logsumexp(a, axis=1), rtol=0, atol=1e-12)
