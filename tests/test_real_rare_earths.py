"""The rare-earth report on the agencies' own files: the real samples built once, the choice of inputs
(Census HS10, else Comtrade, else the package's table as an assumption), the model on BEA's 71 summary
industries, and the real run rendered once with no synthetic banner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ import panel, plots
from econ.models.rare_earths import choice, economy, facts, inputs, losses, shock
from econ.panel.other_sources import world_trade_panel
from econ.panel.schemas import WORLD_TRADE_SCHEMA
from econ.reports import rare_earth_story as story

FIXTURES = Path(__file__).parent / "fixtures"
RUN = "real_rare_earth_restrictions"


def place_real_samples(shared: Path, home: Path) -> None:
    """The real samples dropped where the README's "Real data" says: one year of Census imports (by NAICS;
    a real build needs Census imports and an HTS revision), the HTS, BEA's summary tables, the USGS
    Mineral Commodity Summaries and the Comtrade records."""
    raw = home / "data" / "raw"
    drops = {
        "census/2026-11": [shared / "census" / "naics_monthly" / "imports_naics3_2024.json"],
        "hts/2026-11": [shared / "hts" / "hts_2025_basic_edition.csv"],
        "bea/2024-09": sorted((shared / "bea").glob("Summary_*_2023_*.csv")),
        "usgs/2025": sorted((shared / "usgs").glob("*.csv")),
        "comtrade/2026-11": sorted((shared / "comtrade").glob("*.csv")),
    }
    for folder, files in drops.items():
        (raw / folder).mkdir(parents=True, exist_ok=True)
        for path in files:
            shutil.copy(path, raw / folder / path.name)


@pytest.fixture(scope="module")
def real_home(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("real_rare_earths")
    place_real_samples(shared_data, home)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECON_HOME", str(home))
        panel.build(dataset="real")
        yield home


# ------------------------------------------------------------------------------------ the choice of inputs


def hs10_panel() -> pd.DataFrame:
    """Census HS10 rows of the controlled lines, 2024 by month: China and Japan."""
    lines = {"8505110070": (360e6, 120e6), "2846908090": (80e6, 40e6), "8110100000": (50e6, 30e6)}
    rows = []
    for month in pd.date_range("2024-01-01", "2024-12-01", freq="MS"):
        for code, (china, japan) in lines.items():
            rows.append((code, "5700", "CHINA", month, china / 12, china / 12 / 50))
            rows.append((code, "5880", "JAPAN", month, japan / 12, japan / 12 / 50))
    return pd.DataFrame(rows, columns=["hs10", "partner", "partner_name", "month", "value", "quantity"])


def comtrade_frame(records: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """world_trade rows: (partner ISO, commodity, period, value), US imports, annual where the period is
    a year."""
    rows = [
        {
            "reporter": "USA", "reporter_name": "USA", "partner": partner,
            "partner_name": "World" if partner == "W00" else partner, "flow": "Import", "commodity": code,
            "commodity_name": "", "frequency": "A" if len(period) == 4 else "M", "period": period,
            "value": value, "net_weight_kg": value / 50, "quantity": value / 50, "quantity_unit": "kg",
        }
        for partner, code, period, value in records
    ]  # fmt: skip
    return pd.DataFrame(rows)[list(WORLD_TRADE_SCHEMA)]


@pytest.fixture(scope="module")
def real_minerals(real_home: Path) -> pd.DataFrame:
    return panel.load("minerals", "real")


def test_an_hs10_panel_is_the_first_choice(real_minerals: pd.DataFrame) -> None:
    chosen = choice.choose_inputs(year=2024, minerals=real_minerals, imports=hs10_panel(),
                                  world_trade=comtrade_frame([("W00", "850511", "2024", 9e9)]))  # fmt: skip
    assert chosen.imports_source == "imports" and chosen.assumed_groups == []
    comp = inputs.composition(chosen.restricted)
    assert comp.loc["magnets", "value"] == pytest.approx(480e6)
    assert comp.loc["magnets", "china_share"] == pytest.approx(0.75)
    assert set(comp.index) == {"magnets", "compounds", "antimony"}  # no table rows mixed in
    assert set(chosen.monthly["group"]) == {"magnets", "compounds", "antimony"}
    assert len(chosen.monthly) == 36


def test_comtrade_only_takes_the_finest_code_and_the_table_for_the_rest(real_minerals: pd.DataFrame) -> None:
    world = comtrade_frame([
        ("CHN", "850511", "2024", 300e6), ("W00", "850511", "2024", 420e6),
        ("CHN", "8505", "2024", 2e9), ("W00", "8505", "2024", 5e9),  # the heading: not used beside 850511
        ("CHN", "284690", "2024", 70e6), ("W00", "284690", "2024", 100e6),
        ("CHN", "284690", "2023", 1e9),  # another year
    ])  # fmt: skip
    chosen = choice.choose_inputs(year=2024, minerals=real_minerals, world_trade=world)
    assert chosen.imports_source == "world_trade"
    comp = inputs.composition(chosen.restricted)
    assert comp.loc["magnets", "value"] == pytest.approx(420e6)
    assert comp.loc["magnets", "china_share"] == pytest.approx(300 / 420)
    assert comp.loc["compounds", "value"] == pytest.approx(100e6)
    # Comtrade cannot tell gallium from germanium, and has no metals here: the package's table, flagged
    table = facts.table("us_imports_2024").query("partner == 'world'").set_index("group")["value_usd"]
    for group in ("metals", "gallium", "germanium", "antimony"):
        assert comp.loc[group, "value"] == pytest.approx(table[group])
    assert sorted(chosen.assumed_groups) == ["antimony", "gallium", "germanium", "metals"]
    origin = chosen.origins.set_index("input")
    assert origin.loc["imports: magnets", "source"] == "world_trade"
    assert "850511" in str(origin.loc["imports: magnets", "detail"])


def test_comtrade_records_of_china_alone_leave_the_others_to_the_table(real_minerals: pd.DataFrame) -> None:
    world = world_trade_panel([FIXTURES / "comtrade" / "us_imports_china_2024m.json"])
    chosen = choice.choose_inputs(year=2024, minerals=real_minerals, world_trade=world)
    assert chosen.imports_source == "world_trade"
    restricted = chosen.restricted.set_index(["group", "partner"])["value"]
    china_magnets = world[(world["commodity"] == "8505") & world["period"].str.startswith("2024")]
    assert restricted["magnets", inputs.CHINA] == pytest.approx(china_magnets["value"].sum())
    assert "magnets" in chosen.assumed_groups and "metals" in chosen.assumed_groups  # heading; China only
    assert set(chosen.monthly["group"]) == {"magnets", "metals"}


def test_with_neither_panel_the_package_table_is_an_assumption_said_on_the_page(
    real_minerals: pd.DataFrame,
) -> None:
    chosen = choice.choose_inputs(year=2024, minerals=real_minerals)
    assert chosen.imports_source == "us_imports_2024" and chosen.monthly.empty
    assert sorted(chosen.assumed_groups) == sorted(inputs.ALL_GROUPS)
    published = inputs.check_against_published(chosen.restricted)
    assert np.allclose(published["ratio"], 1.0)
    composition = inputs.composition(chosen.restricted)
    lead = story.lead_figures(
        composition, chosen=chosen, hypothesis_loss=pd.Series({0.01: 2.0, 0.05: 1.0, 1.0: 0.1}),
        gdp_usd=1e3, base_year=2024, restriction=0.5, hypothesis_start="2025-04-04", period="a year",
    )  # fmt: skip
    assert "an assumption" in lead["restricted_imports"].note
    assert lead["restricted_imports"].value == pytest.approx(composition["value"].sum())
    assert lead["magnet_share"].value == pytest.approx(485 / 793.7, rel=1e-3)
    loss = lead["hypothesis_gdp_loss"]
    assert (loss.value, loss.low, loss.high) == pytest.approx((1e-3, 1e-4, 2e-3))


def test_without_months_banned_metals_follow_the_ban_and_licensed_compounds_the_magnets() -> None:
    period = shock.months("2024-11", "2025-12")
    banned, basis = economy.stated_index("antimony", period)
    assert banned.tolist() == [1.0] + [0.0] * 13 and basis[-1].startswith("assumption")
    licensed, _ = economy.stated_index("compounds", period)
    assert licensed.tolist() == shock.china_index(period)["index"].tolist()


# ------------------------------------------------------------------------------ the model on BEA's tables


@pytest.mark.real_data
def test_the_model_runs_on_beas_71_summary_industries(real_home: Path, real_minerals: pd.DataFrame) -> None:
    tables = panel.io_tables("real")
    assert not tables.embedded and len(tables.use.industries) == 71
    chosen = choice.choose_inputs(year=2024, minerals=real_minerals,
                                  world_trade=panel.load("world_trade", "real"),
                                  io_source=tables.source, io_industries=71)  # fmt: skip
    # the real Comtrade sample is semiconductors (HS 8542): the page says so and uses the table
    assert chosen.imports_source == "us_imports_2024"
    assert "8542" in str(chosen.origins.set_index("input").loc["imports: UN Comtrade", "detail"])
    economies = economy.build_economies(
        chosen.restricted, real_minerals, use=tables.use, make=tables.make, imports=tables.imports
    )
    assert set(economies) == set(economy.ECONOMIES)
    rare = economies["rare_earths"]
    assert len(rare.calibrated.network.industries) == 71
    calibrated = rare.calibrated
    assert calibrated.critical_share_of_gdp == pytest.approx(calibrated.critical_usd / calibrated.gdp_usd)
    grid = losses.loss_grid(rare.solver, shortfall=0.3, sigmas=[0.01, 0.1, 1.0])
    assert (grid["gdp_loss_share"].diff().dropna() < 0).all() and grid["gdp_loss_share"].iloc[0] > 0
    paths = economy.observed_paths(rare, chosen.monthly, shock.months("2024-11", "2025-12"), base_year=2024)
    assert paths["compounds"]["china_basis"].str.startswith("assumption").sum() > 0


# ---------------------------------------------------------------------------------------- the real page


@pytest.mark.slow
@pytest.mark.real_data
def test_the_real_run_renders_with_no_synthetic_banner(real_home: Path) -> None:
    from econ.reports import pipeline

    outcome = pipeline.run_reports([RUN], force=True, echo=lambda line: None, progress=False)
    assert not outcome.failed
    page = (real_home / "reports" / f"{RUN}.html").read_text(encoding="utf-8")
    assert plots.SYNTHETIC_LABEL not in page and "Synthetic demo data" not in page
    assert "50% of China&#x27;s supply withheld" in page or "50% of China's supply withheld" in page
    for text in ("Electrical equipment, appliances, and components", "an assumption",
                 "Beside the published figures", "71 industries"):  # fmt: skip
        assert text in page
    for stray in ("Traceback", "Warning:", str(real_home)):
        assert stray not in page
    figures = json.loads((real_home / "reports" / f"{RUN}.json").read_text(encoding="utf-8"))
    headline = figures.get("headline", figures)
    assert headline["restricted_imports"]["value"] == pytest.approx(793.7e6)
    assert headline["magnet_share"]["unit"] == "percent"
    loss = headline["hypothesis_gdp_loss"]
    assert loss["low"] <= loss["value"] <= loss["high"]
