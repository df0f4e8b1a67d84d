"""`econ build --data real` on what real users drop in data/raw: annual and monthly pulls, NAICS and HS10,
files split by partner across folders, the same month in two vintages, empty answers — and the real
samples in ../shared/data (skipped where absent)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from econ import panel
from econ.errors import EconError, InputFormatError

FIXTURES = Path(__file__).parent / "fixtures"
IMPORTS_HEADER = ["I_COMMODITY", "CTY_CODE", "CTY_NAME", "CON_VAL_MO", "GEN_VAL_MO", "CAL_DUT_MO",
                  "CON_QY1_MO", "UNIT_QY1", "SUMMARY_LVL", "time", "COMM_LVL"]  # fmt: skip


def _census(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([header, *rows]), encoding="utf-8")


def _monthly(code: str, partner: str, name: str, month: str, value: int, duty: int) -> list[str]:
    return [code, partner, name, str(value), str(value), str(duty), "10", "KG", "DET", month, "HS10"]


@pytest.fixture()
def real_home(econ_home: Path) -> Path:
    """An ECON_HOME with the HTS miniature dropped where the README says."""
    hts = econ_home / "data" / "raw" / "hts" / "2026-11"
    hts.mkdir(parents=True)
    shutil.copy(FIXTURES / "tariffs" / "hts_mini.json", hts / "hts_current_0100_9999.json")
    return econ_home


def test_partner_files_with_the_same_name_in_two_folders_are_both_kept(real_home: Path) -> None:
    raw = real_home / "data" / "raw" / "census"
    _census(raw / "china" / "imports_hs10_2024-01.json", IMPORTS_HEADER,
            [_monthly("2805300010", "5700", "CHINA", "2024-01", 1000, 50)])  # fmt: skip
    _census(raw / "japan" / "imports_hs10_2024-01.json", IMPORTS_HEADER,
            [_monthly("2805300010", "5880", "JAPAN", "2024-01", 400, 20)])  # fmt: skip
    built = panel.build(dataset="real")
    imports = panel.load("imports", "real")
    assert sorted(imports["partner"]) == ["5700", "5880"]
    assert built.coverage["panels"]["imports"]["value"] == 1400.0
    assert built.coverage["panels"]["imports"]["files"] == 2


def test_the_same_rows_in_two_vintages_name_both_files_and_vintage_picks_one(real_home: Path) -> None:
    raw = real_home / "data" / "raw" / "census"
    for vintage, value in (("2026-10", 1000), ("2026-11", 1001)):  # a revised month fetched again
        _census(raw / vintage / "imports_hs10_2024-01.json", IMPORTS_HEADER,
                [_monthly("2805300010", "5700", "CHINA", "2024-01", value, 50)])  # fmt: skip
    with pytest.raises(InputFormatError) as caught:
        panel.build(dataset="real")
    message = str(caught.value)
    assert "census/2026-10/imports_hs10_2024-01.json" in message
    assert "census/2026-11/imports_hs10_2024-01.json" in message and "--vintage" in message
    panel.build(dataset="real", vintage="2026-11")
    assert panel.load("imports", "real")["value"].tolist() == [1001.0]
    with pytest.raises(EconError, match=r"no vintage '2025-01'.*2026-10, 2026-11"):
        panel.build(dataset="real", vintage="2025-01")


def test_an_annual_pull_builds_the_annual_panel(real_home: Path) -> None:
    header = ["I_COMMODITY", "CTY_CODE", "CTY_NAME", "CON_VAL_YR", "GEN_VAL_YR", "CAL_DUT_YR", "CON_QY1_YR",
              "UNIT_QY1", "SUMMARY_LVL", "time"]  # fmt: skip
    rows = [
        ["2805300010", "5700", "CHINA", "3300000", "3300000", "165000", "1000", "KG", "DET", "2024-12"],
        ["8507600010", "5700", "CHINA", "9000000", "9100000", "2250000", "200", "NO", "DET", "2024-12"],
        ["8507600010", "-", "TOTAL FOR ALL COUNTRIES", "9000000", "9100000", "2250000", "200", "NO", "CTY",
         "2024-12"],
    ]  # fmt: skip
    _census(real_home / "data/raw/census/2026-11/imports_hs10_2024.json", header, rows)
    built = panel.build(dataset="real")
    annual = panel.load("imports_annual", "real")
    assert len(annual) == 2 and set(annual["year"]) == {2024} and set(annual["months"]) == {12}
    assert annual["value"].sum() == 12_300_000 and annual["duty"].sum() == 2_415_000
    assert annual.loc[annual["hs10"] == "8507600010", "collected_rate"].item() == pytest.approx(0.25)
    assert built.coverage["panels"]["imports_annual"]["period"] == ["2024", "2024"]
    assert "imports" not in built.outputs  # no monthly rows: no monthly panel


def test_empty_answers_and_rows_no_panel_takes_are_said_not_dropped(real_home: Path) -> None:
    raw = real_home / "data/raw/census/2026-11"
    _census(raw / "imports_hs10_2024-01.json", IMPORTS_HEADER,
            [_monthly("2805300010", "5700", "CHINA", "2024-01", 1000, 50),
             _monthly("2805300010", "", "GERMANY", "2024-01", 700, 0),
             _monthly("2805300010", "", "ATLANTIS", "2024-01", 300, 0)])  # fmt: skip
    (raw / "imports_hs10_2024-02.json").write_bytes(b"")  # the API's HTTP 204
    hs6 = [_monthly("280530", "5700", "CHINA", "2024-03", 500, 25)]
    _census(raw / "imports_hs6_2024-03.json", IMPORTS_HEADER, hs6)
    built = panel.build(dataset="real")
    notes = "\n".join(built.notes)
    assert "imports_hs10_2024-02.json: no rows" in notes
    assert "imports_hs6_2024-03.json: 1 rows ($0.00B) not used by any panel: imports at HS6" in notes
    # a row without CTY_CODE naming one Schedule C country takes its code; a name it lacks is left out
    assert (
        "imports_hs10_2024-01.json: 1 rows (con_val_mo 700) had no CTY_CODE; filled by CTY_NAME: GERMANY"
        in notes
    )
    assert set(panel.load("imports", "real")["partner"]) == {"5700", "4280"}
    assert "without a Census country code were left out: ATLANTIS (1)" in notes
    with pytest.raises(EconError, match="--strict"):
        panel.build(dataset="real", force=True, strict=True)


def test_nothing_usable_is_one_clear_error(real_home: Path) -> None:
    (real_home / "data/raw/census/2026-11").mkdir(parents=True)
    (real_home / "data/raw/census/2026-11/imports_hs10_2024-02.json").write_bytes(b"")
    with pytest.raises(EconError, match="no Census rows any panel can use in 1 files"):
        panel.build(dataset="real")


@pytest.mark.real_data
def test_real_naics_monthly_panel_and_bea_tables(shared_data: Path, econ_home: Path) -> None:
    """The real samples through the whole build: China's 2024 imports and duty as Census publishes them,
    the 2025 monthly collected rate, BEA's 71 summary industries."""
    raw = econ_home / "data" / "raw"
    for path in sorted((shared_data / "census" / "naics_monthly").glob("*.json")):
        (raw / "census" / "2026-11").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, raw / "census" / "2026-11" / path.name)
    (raw / "hts" / "2026-11").mkdir(parents=True)
    shutil.copy(shared_data / "hts" / "hts_2025_basic_edition.csv", raw / "hts" / "2026-11")
    (raw / "bea" / "2024-09").mkdir(parents=True)
    for path in (shared_data / "bea").glob("Summary_*_2023_*.csv"):
        shutil.copy(path, raw / "bea" / "2024-09" / path.name)
    built = panel.build(dataset="real")
    naics = panel.load("imports_naics", "real")
    china_2024 = naics[(naics["partner"] == "5700") & (naics["month"].dt.year == 2024)]
    assert china_2024["value"].sum() == pytest.approx(429.43e9, rel=1e-4)
    assert china_2024["duty"].sum() == pytest.approx(46.66e9, rel=1e-3)
    monthly = naics[(naics["partner"] == "5700") & (naics["month"].dt.year == 2025)].groupby("month")
    rate = monthly["duty"].sum() / monthly["value"].sum()
    assert len(rate) == 11 and rate.idxmax().month == 5 and rate.max() > 0.4  # the 145% weeks show in May
    assert built.coverage["panels"]["imports_naics"]["period"] == ["2013-01", "2025-11"]
    assert any("GERMANY" in note for note in built.notes)  # the sample's missing code, said aloud
    tables = panel.io_tables("real")
    assert not tables.embedded and len(tables.use.industries) == 71


def test_bls_price_indexes_and_comtrade_records_become_panels(real_home: Path) -> None:
    raw = real_home / "data" / "raw"
    _census(raw / "census/2026-11/imports_hs10_2024-01.json", IMPORTS_HEADER,
            [_monthly("2805300010", "5700", "CHINA", "2024-01", 1000, 50)])  # fmt: skip
    for name in ("ei.series", "ei.data.0.Current", "ei.footnote"):
        (raw / "bls" / "2026-11").mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / "bls" / name, raw / "bls" / "2026-11" / name)
    (raw / "comtrade" / "2026-11").mkdir(parents=True)
    shutil.copy(FIXTURES / "comtrade" / "us_imports_china_2024m.json", raw / "comtrade" / "2026-11")
    built = panel.build(dataset="real")
    prices = panel.load("prices", "real")
    china = prices[prices["series_id"] == "EIUCOCHNTOT"]
    assert china["title"].iloc[0].startswith("Monthly import price index by origin for NAICS, All industries")
    assert china["base"].iloc[0] == "December 2003=100" and china["survey"].iloc[0] == "ei"
    assert china["value"].isna().sum() == 1  # BLS's "-" stays missing, its footnote kept
    assert built.outputs["prices"]["series"] == prices["series_id"].nunique()
    world = panel.load("world_trade", "real")
    assert set(world["commodity"]) == {"8505", "280530"} and set(world["partner"]) == {"CHN"}
    magnets = world[(world["commodity"] == "8505") & (world["period"] == "2024-01")]
    assert magnets["value"].item() == 101234567.0 and magnets["net_weight_kg"].item() == 2503300.5


def test_bls_series_descriptions_without_data_build_the_rest_and_say_so(real_home: Path) -> None:
    raw = real_home / "data" / "raw"
    _census(raw / "census/2026-11/imports_hs10_2024-01.json", IMPORTS_HEADER,
            [_monthly("2805300010", "5700", "CHINA", "2024-01", 1000, 50)])  # fmt: skip
    (raw / "bls" / "2026-11").mkdir(parents=True)
    shutil.copy(FIXTURES / "bls" / "ei.series", raw / "bls" / "2026-11" / "ei.series")
    built = panel.build(dataset="real")
    assert "prices" not in built.outputs and "imports" in built.outputs
    assert any(note.startswith("bls: 1 series file(s) (ei.series) and no data file") for note in built.notes)
    with pytest.raises(EconError, match=r"--strict: bls: 1 series file\(s\)"):
        panel.build(dataset="real", strict=True, force=True)
