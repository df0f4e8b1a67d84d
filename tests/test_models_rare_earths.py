"""Rare-earth model: satellite row, exposure, shock path, losses, compliance, comparison."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.errors import ParameterError
from econ.models import rare_earths as ree
from econ.sources import bea

IMPORTS_2024 = {"2846": 170.5e6, "280530": 4.7e6, "850511": 300e6}
MONTHS = pd.date_range("2024-11-01", "2025-12-01", freq="MS")
SEVEN = ["Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"]


@pytest.fixture()
def mini(fixtures: Path) -> tuple[bea.IOTable, bea.IOTable]:
    folder = fixtures / "bea"
    return bea.read(folder / "Mini_Use_2023.csv"), bea.read(folder / "Mini_Make_2023.csv")


@pytest.fixture(scope="module")
def real(shared_data: Path) -> tuple[bea.IOTable, bea.IOTable]:
    folder = shared_data / "bea"
    return (
        bea.read(folder / "Summary_Use_2023_PRO_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Make_2023_BeforeRedef_17sch.csv"),
    )


def test_satellite_row_conserves_value() -> None:
    row = ree.satellite_row(IMPORTS_2024)
    assert row.sum() == pytest.approx(sum(IMPORTS_2024.values()) / 1e6)
    assert ree.DEFAULT_END_USES.groupby("hs")["share"].sum().to_numpy() == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="no end-use shares for HS"):
        ree.satellite_row({"999999": 1.0})


def test_imports_by_hs_from_panel() -> None:
    panel = pd.DataFrame(
        {
            "hs10": ["2846901000", "2805300000", "8505110070", "8505190000"],
            "value": [1.0, 2.0, 3.0, 100.0],
            "month": pd.to_datetime(["2024-01-01"] * 4),
        }
    )
    got = ree.imports_by_hs(panel, year=2024)
    assert got.to_dict() == {"280530": 2.0, "2846": 1.0, "850511": 3.0}


def test_exposure_on_miniature(mini: tuple[bea.IOTable, bea.IOTable]) -> None:
    use, make = mini
    satellite = pd.Series({"3361MV": 2.0})
    table = ree.exposure(use, make, satellite)
    assert table.loc["3361MV", "direct_requirement"] == pytest.approx(2.0 / 200.0)
    # Total ≥ direct; farms use motor vehicles, so they are exposed indirectly.
    assert (table["total_requirement"] >= table["direct_requirement"] - 1e-15).all()
    assert table.loc["111CA", "total_requirement"] > 0 == table.loc["111CA", "direct_requirement"]


def test_shock_path_timing_inventory_and_rerouting() -> None:
    path = ree.shock_path(MONTHS, elements=["Dy", "Ga"], restriction=1.0, inventory_weeks=0.0)
    dy = path[path.element == "Dy"].set_index("month")
    assert (dy.loc[:"2025-03-01", "shortfall"] == 0).all()
    assert dy.loc["2025-04-01", "restricted_share"] == pytest.approx(27 / 30)  # from 4 April, prorated
    assert dy.loc["2025-05-01", "shortfall"] == pytest.approx(0.70)  # China's share
    ga = path[path.element == "Ga"].set_index("month")
    assert ga.loc["2024-12-01", "restricted_share"] == pytest.approx(29 / 31)
    rerouted = ree.shock_path(MONTHS, elements=["Dy"], rerouting=0.4, inventory_weeks=0.0)
    assert rerouted.set_index("month").loc["2025-05-01", "shortfall"] == pytest.approx(0.70 * 0.6)
    buffered = ree.shock_path(MONTHS, elements=["Dy"], inventory_weeks=8.0).set_index("month")
    assert buffered["inventory_drawn_weeks"].sum() == pytest.approx(8.0)
    assert (buffered["shortfall"] <= dy["shortfall"] + 1e-15).all()
    assert buffered["shortfall"].sum() < dy["shortfall"].sum()


def test_shock_path_parameters_are_named() -> None:
    with pytest.raises(ParameterError) as info:
        ree.shock_path(MONTHS, elements=["Dy", "Nd"], restriction=1.5, inventory_weeks=-1.0)
    message = str(info.value)
    assert "elements: unknown element(s) ['Nd']" in message
    assert "restriction" in message and "at most 100%" in message
    assert "inventory_weeks" in message
    with pytest.raises(ParameterError, match="china_share"):
        ree.shock_path(MONTHS, china_share={"Dy": 1.2})


def test_aggregate_shortfall_weights() -> None:
    path = ree.shock_path(MONTHS, elements=SEVEN, inventory_weeks=0.0)
    agg = ree.aggregate_shortfall(path)
    weights = ree.ELEMENTS.loc[SEVEN, "value_weight"] / ree.ELEMENTS.loc[SEVEN, "value_weight"].sum()
    may = path[path.month == "2025-05-01"].set_index("element")["shortfall"]
    assert agg.loc["2025-05-01"] == pytest.approx(float((may * weights).sum()))


@pytest.mark.real_data
def test_real_losses_grid_hulten_and_monotonicity(real: tuple[bea.IOTable, bea.IOTable]) -> None:
    use, make = real
    network = ree.network_from_bea(use, make, ree.satellite_row(IMPORTS_2024))
    assert 1e-6 < network.critical_share_of_gdp() < 1e-4
    gdp = float(use.value_added.sum().sum())
    grid = ree.loss_grid(network, shortfall=0.8, sigmas=(0.02, 0.1, 0.5, 1.0), gdp=gdp)
    assert grid["loss_share"].is_monotonic_decreasing
    assert grid.iloc[-1]["loss_share"] == pytest.approx(grid.iloc[-1]["hulten_share"], rel=1e-9)
    assert grid.iloc[0]["loss_share"] > 100 * grid.iloc[0]["hulten_share"]  # the answer is about σ
    by_industry = ree.industry_losses(network, shortfall=0.8, sigma=0.1, value_added=use.value_added.sum())
    assert by_industry.index[0] in {"335", "3361MV", "334", "327", "333"}
    assert (by_industry["value_added_at_risk"] >= 0).all()
    # More inventory, less loss.
    losses = []
    for weeks in (0.0, 8.0, 26.0):
        path = ree.shock_path(MONTHS, elements=SEVEN, restriction=0.9, inventory_weeks=weeks)
        losses.append(
            ree.loss_path(network, ree.aggregate_shortfall(path), sigmas=(0.1,), gdp=gdp)["loss"].sum()
        )
    assert losses[0] > losses[1] > losses[2] >= 0
    with pytest.raises(ParameterError, match="sigmas"):
        ree.loss_grid(network, shortfall=0.5, sigmas=(-0.1,))


@pytest.mark.real_data
def test_real_comparison_table(real: tuple[bea.IOTable, bea.IOTable]) -> None:
    use, make = real
    network = ree.network_from_bea(use, make, ree.satellite_row(IMPORTS_2024))
    gdp = float(use.value_added.sum().sum())
    table = ree.comparison(network, gdp=gdp)
    assert list(table["study"]) == list(ree.PUBLISHED["study"])
    assert table["model"].iloc[1:].notna().all() and np.isnan(table["model"].iloc[0])
    minor = ree.network_from_bea(use, make, ree.satellite_row({"811292": 150e6, "811010": 200e6}))
    with_usgs = ree.comparison(network, gdp=gdp, minor_metals=minor)
    assert with_usgs["model"].iloc[0] > with_usgs["model_hulten"].iloc[0] > 0
    assert with_usgs["model_shortfall"].iloc[0] == pytest.approx((0.45 * 0.25 + 0.25 * 0.20) / 0.70)
    imf = table[table.study.str.startswith("IMF")]
    assert imf["model"].iloc[0] > imf["model"].iloc[1]  # short run above long run


def test_compliance_against_baseline_and_agreement() -> None:
    baseline = ree.magnet_baseline_from_facts()
    assert baseline == pytest.approx((46.4 / 0.07 + 619 / 1.05) / 2)
    table = ree.compliance(agreed_share=1.0)
    assert list(table["share_of_baseline"]) == pytest.approx(list(table["tonnes"] / baseline))
    assert table["status"].iloc[-1] == "rising but below the agreed level"
    relaxed = ree.compliance(agreed_share=0.5)
    assert relaxed["status"].iloc[-1] == "at or above the agreed level"
    with pytest.raises(ParameterError, match="agreed_share"):
        ree.compliance(agreed_share=-1.0)
