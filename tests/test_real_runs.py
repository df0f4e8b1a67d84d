"""The tariff timeline and passthrough notebooks on the agencies' own files: the real samples in
../shared/data built once and each real run of reports/runs.yaml rendered once (skipped where the samples
are absent), with figures a reader can check against Census; and the HS10 shape, which the samples lack,
from this suite's own files in the real formats (tests/fixtures/real_shapes.py, synthetic values)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from econ import panel
from econ.errors import EconError
from econ.panel import views
from econ.reports import needs, params

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import real_shapes

RUNS = ("real_tariff_timeline", "real_passthrough")
# Every page of a real run: no synthetic banner, no console output, no local path, no bare partner code.
HIDDEN = r"<script\b.*?</script>|<style\b.*?</style>|<section class=\"econ-provenance\".*?</section>"


@pytest.fixture(scope="module")
def real_reports(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ECON_HOME with the real samples placed as the README says, built, and the two real runs
    rendered (one `econ report`, two processes)."""
    home = tmp_path_factory.mktemp("real")
    raw = home / "data" / "raw"
    # 2017 on: the timeline shows 2017 on; the event studies need 2017-07 to 2020-06, the 2025 design 2024
    census = raw / "census" / "2026-11"
    census.mkdir(parents=True)
    for path in sorted((shared_data / "census" / "naics_monthly").glob("imports_naics3_20*.json")):
        if int(path.stem[-4:]) >= 2017:
            shutil.copy(path, census / path.name)
    (raw / "hts" / "2026-11").mkdir(parents=True)
    shutil.copy(shared_data / "hts" / "hts_2025_basic_edition.csv", raw / "hts" / "2026-11")
    env = {"ECON_HOME": str(home), "PATH": "/usr/bin:/bin"}
    for args in (("build", "--data", "real"), ("report", "--jobs", "2", *RUNS)):
        done = subprocess.run(
            [sys.executable, "-m", "econ.cli", *args], env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"econ {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return home / "reports"


def _record(reports: Path, run: str) -> dict:
    return json.loads((reports / f"{run}.json").read_text(encoding="utf-8"))


def _visible(reports: Path, run: str) -> str:
    text = (reports / f"{run}.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", re.sub(HIDDEN, "", text, flags=re.S))


@pytest.mark.real_data
@pytest.mark.slow
def test_the_real_timeline_reads_china_as_census_publishes_it(real_reports: Path) -> None:
    record = _record(real_reports, "real_tariff_timeline")
    figures = {name: figure["value"] for name, figure in record["headline"].items()}  # each with its unit
    assert figures["imports_2024"] == pytest.approx(429.43e9, rel=2e-5)  # Census: $429.43 billion
    assert figures["duty_2024"] == pytest.approx(46.66e9, rel=2e-4)
    assert figures["collected_rate_2024"] == pytest.approx(0.1087, abs=5e-5)  # $46.66B ÷ $429.43B
    assert figures["collected_peak_month"] == "2025-05"  # the 145% weeks enter in May
    assert figures["collected_rate_peak"] == pytest.approx(0.482, abs=0.005)
    assert record["story"]["title"].startswith("Duties on US imports from China")
    assert record["story"]["lead"] == ["imports", "collected_rate", "peak_collected_rate"]
    visible = _visible(real_reports, "real_tariff_timeline")
    assert "$429.4 billion" in visible and "10.9%" in visible and "48.2%" in visible
    assert "known through" in visible  # the schedule's known-through date
    assert "Computer and electronic products" in visible  # industries by name


@pytest.mark.real_data
@pytest.mark.slow
def test_the_real_passthrough_says_values_only_and_estimates_them(real_reports: Path) -> None:
    record = _record(real_reports, "real_passthrough")
    figures = record["headline"]
    assert figures["imports_panel"] == "imports_naics" and figures["synthetic_data"] is False
    assert figures["first"]["interval"] == "95% CI"
    assert figures["value_response"] < 0  # a higher collected rate, lower import values
    assert figures["escalation_effect_twfe"] < 0
    assert "values only" in record["story"]["title"]
    visible = _visible(real_reports, "real_passthrough")
    assert "no pass-through into prices" in visible  # what the NAICS shape cannot give, said once


@pytest.mark.real_data
@pytest.mark.slow
@pytest.mark.parametrize("run", RUNS)
def test_real_pages_carry_no_banner_warning_or_code(real_reports: Path, run: str) -> None:
    visible = _visible(real_reports, run)
    assert "Synthetic demo data" not in visible and "SYNTHETIC" not in visible
    for bad in ("NaN", "nan%", "None", "Warning", "WARNING", "Traceback", "/tmp/", "site-packages"):
        assert bad not in visible, (bad, run)
    assert not re.search(r"(?<!\()\b(5700|2010|5520)\b(?!\))", visible), run  # partners by name
    assert "China" in visible and "Mexico" in visible


# ------------------------------------------------------------------------------------------ HS10 shape


@pytest.fixture(scope="module")
def hs10_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    home = tmp_path_factory.mktemp("hs10")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECON_HOME", str(home))
        flows = real_shapes.write(home / "data" / "raw")
        panel.build(dataset="real")
    return home, flows


def test_hs10_shape_weights_from_the_first_full_year_and_runs_from_2021(
    hs10_home: tuple[Path, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, flows = hs10_home
    monkeypatch.setenv("ECON_HOME", str(home))
    imports = panel.load("imports", "real")
    year, weights = views.fixed_weights(imports, partner="5700")
    assert year == 2021  # the files start in 2021: not 2017
    china_2021 = flows[(flows["partner"] == "5700") & (flows["month"].dt.year == 2021)]
    assert weights["value"].sum() == pytest.approx(china_2021["value"].sum())
    run = params.validate("tariff_timeline", {"dataset": "real", "start": "2021-01", "end": "2025-11"})
    assert needs.cannot_serve(run) is None
    early = params.validate("tariff_timeline", {"dataset": "real", "start": "2017-01", "end": "2025-11"})
    assert "imports covers 2021-01 to 2025-11" in (needs.cannot_serve(early) or "")


def test_hs10_shape_summary_is_the_sum_of_the_files(
    hs10_home: tuple[Path, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, flows = hs10_home
    monkeypatch.setenv("ECON_HOME", str(home))
    imports = panel.load("imports", "real")
    year = views.year_of_record(imports.loc[imports["partner"] == "5700", "month"])
    summary = views.partner_summary(imports, partner="5700", year=year)
    china = flows[flows["partner"] == "5700"]
    in_2024 = china[china["month"].dt.year == 2024]
    assert year == 2024
    assert summary["value"] == pytest.approx(in_2024["value"].sum())
    assert summary["collected_rate"] == pytest.approx(in_2024["duty"].sum() / in_2024["value"].sum())
    monthly = china.groupby("month")[["duty", "value"]].sum()
    rate = monthly["duty"] / monthly["value"]
    assert summary["peak_month"] == rate.idxmax() == pd.Timestamp("2025-04-01")  # 125% + 20% in April
    assert summary["peak_rate"] == pytest.approx(rate.max())


def test_hs10_shape_a_run_asking_for_the_naics_panel_is_told_what_there_is(
    hs10_home: tuple[Path, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = hs10_home
    monkeypatch.setenv("ECON_HOME", str(home))
    assert views.imports_choice("real", "imports") == "imports"
    with pytest.raises(EconError, match=r"no imports_naics panel .*run with imports_panel: imports"):
        views.imports_choice("real", "imports_naics")
    run = params.validate("passthrough", {"dataset": "real", "imports_panel": "imports_naics"})
    assert "no processed imports_naics" in (needs.cannot_serve(run) or "")


def test_naics_names_fall_back_to_the_census_label() -> None:
    frame = pd.DataFrame(
        {
            "naics": ["334", "336"],
            "naics_name": ["NAICS CODE 334, X", "NAICS CODE 336, TRANSPORTATION EQUIPMENT"],
        }
    )
    named = views.naics_names(frame)
    assert named["334"] == "Computer and electronic products"  # BEA's NAICS titles
    assert named["336"] == "Transportation equipment"  # not in them: the file's own label
