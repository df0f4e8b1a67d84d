"""The Geneva comparison on the agencies' own files: the Census NAICS panel (real values and calculated
duties, 2013-01 to 2025-11), the HTS 2025 Basic Edition and BEA's summary tables (71 industries) from
../shared/data, built once as `econ build --data real` builds them, the models run at BEA's 71
industries, and the real run of reports/runs.yaml rendered once. Skipped where the samples are absent."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from econ import panel, paths
from econ.models import base_year, crosswalk, io, trade

pytestmark = pytest.mark.real_data
RUN = "real_geneva_reduction_no_geneva"


@pytest.fixture(scope="module")
def real_home(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An ECON_HOME with the real files placed as the README's "Real data" says, built once."""
    home = tmp_path_factory.mktemp("real_geneva") / "econ_home"
    raw = home / "data" / "raw"
    for source, vintage, files in (
        ("census", "2026-11", sorted((shared_data / "census" / "naics_monthly").glob("*.json"))),
        ("hts", "2026-11", [shared_data / "hts" / "hts_2025_basic_edition.csv"]),
        ("bea", "2024-09", sorted((shared_data / "bea").glob("Summary_*_2023_*.csv"))),
    ):
        (raw / source / vintage).mkdir(parents=True)
        for path in files:
            shutil.copy(path, raw / source / vintage / path.name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ECON_HOME", str(home))
        panel.build(dataset="real")
        yield home


@pytest.fixture(scope="module")
def comparison(real_home: Path):
    """The run's model on the real data, as the notebook calls it (fewer draws: intervals aside)."""
    naics = panel.load("imports_naics", "real")
    tables = panel.io_tables("real")
    frame = trade.base_year_frame(
        naics, year=2024, bea_weights=crosswalk.import_weights(tables.use.final_demand)
    )
    frame, method = base_year.industry_tariffs(
        frame, panel.schedule("real"), panel.load("tariff_lines", "real"), imports_naics=naics,
        base_year=2024, date="2025-06-15", scenario="no_geneva",
    )  # fmt: skip
    result = trade.compare(frame, rate="in_force", alternative="alternative", product="product", by="bea")
    return frame, method, result, tables


@pytest.fixture(scope="module")
def page(real_home: Path) -> str:
    """The real run of reports/runs.yaml, rendered once."""
    from econ.reports import pipeline

    outcome = pipeline.run_reports([RUN], force=True, echo=lambda line: None, progress=False)
    assert outcome.ok, outcome.failed
    return (paths.reports_dir() / f"{RUN}.html").read_text(encoding="utf-8")


def test_the_base_year_is_censuss_china_2024(comparison) -> None:
    frame, method, _, _ = comparison
    china = frame[frame["partner"] == "5700"]
    assert china["value"].sum() == pytest.approx(429.43e9, rel=1e-4)  # Census: $429.4B in 2024
    assert china["duty"].sum() / china["value"].sum() == pytest.approx(0.1087, abs=5e-4)
    # 30 partners: Germany, without CTY_CODE in the pulls, placed by its name
    assert frame["naics"].nunique() == 32 and frame["partner"].nunique() == 30
    assert frame.loc[frame["partner"] == "4280", "value"].sum() == pytest.approx(160.22e9, rel=1e-3)
    assert method.panel == "imports_naics" and method.in_force_collected_share > 0.999


def test_the_scenario_raises_chinas_tariff_by_most_of_the_geneva_cut(comparison) -> None:
    frame, _, _, _ = comparison
    china = frame[frame["partner"] == "5700"]
    weight = china["value"] / china["value"].sum()
    in_force, alternative = (weight * china["in_force"]).sum(), (weight * china["alternative"]).sum()
    assert 0.35 < in_force < 0.45  # June 2025's collected rate on China
    # 115 points on the lines the reciprocal tariff covers, none on the exempt ones
    assert 0.6 < alternative - in_force < 1.15
    others = frame[frame["partner"] != "5700"]
    assert (others["alternative"] == others["in_force"]).all()  # no Geneva concerns China alone


def test_the_models_run_at_beas_71_industries(comparison) -> None:
    frame, _, result, tables = comparison
    assert len(tables.use.industries) == 71 and not tables.embedded
    shock = trade.import_price_changes(result, frame, commodities=tables.use.commodities)
    assert shock.attrs["unmatched"] == {}  # every NAICS code found a BEA commodity
    assert (shock <= 0).all() and shock.min() < -0.1  # the tariffs in force are below the scenario's
    prices = io.cost_push(tables.use, tables.make, tables.imports, shock)
    assert len(prices.industry) == 71 and -0.02 < prices.pce < 0
    cost = trade.industry_effects(result)
    assert cost.index[0] == "334"  # computers and electronics save most
    assert result.totals.loc["cost_to_buyers", "central"] < 0


def test_the_real_page_reads_as_real(page: str) -> None:
    text = re.sub(r"<[^>]+>", " ", page)
    assert 'class="econ-banner"' not in page and "synthetic" not in text.lower()
    assert "No Geneva accord" in text and "$429.4 billion in 2024" in text
    assert re.search(r"average 12\d\.\d%, against 4\d\.\d% in force: \d+\.\d points higher", text)
    assert "Computer and electronic products" in text and "71 industries" in text
    assert "collected rate of June 2025" in text and "compiled Section 301 lists" in text
    assert "Traceback" not in text and "UserWarning" not in text and "tariffs: the schedule" not in text
    assert str(paths.home()) not in page
