"""The structural demo world (econ.demo.structural, synthetic): its own tariff table checked against the
legal texts (FACTS §1 and §1c), its truth, determinism, and its files read back by the project's readers
and panel builder as the calibrated demo's are."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from econ.demo import structural


@pytest.fixture(scope="module")
def small() -> tuple[pd.DataFrame, dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return structural.simulate(seed=2, scale=0.15)


def _rate(layer: str, month: str) -> float:
    months = pd.date_range(month, periods=1, freq="MS")
    return float(structural.monthly_step(structural.TARIFF_STEPS[layer], months)[0])


@pytest.mark.parametrize(
    ("layer", "month", "expected"),
    [
        # EO 14195: fentanyl 10% from 2025-02-04 (25 of 28 days); EO 14228: 20% from 03-04 (28 of 31)
        ("fentanyl_china", "2025-02-01", 0.10 * 25 / 28),
        ("fentanyl_china", "2025-03-01", (3 * 0.10 + 28 * 0.20) / 31),
        # EO 14257/14259/14266: 10% from 04-05, 84% on 04-09, 125% from 04-10
        ("reciprocal_china", "2025-04-01", (4 * 0.10 + 0.84 + 21 * 1.25) / 30),
        # Geneva (EO 14298): 10% from 05-14
        ("reciprocal_china", "2025-05-01", (13 * 1.25 + 18 * 0.10) / 31),
        # Busan: fentanyl 10% from 11-10
        ("fentanyl_china", "2025-11-01", (9 * 0.20 + 21 * 0.10) / 30),
        # the ruling: IEEPA duties collected to 2026-02-23; Section 122 10% from 02-24 to 07-23
        ("reciprocal_other", "2026-02-01", 0.10 * 23 / 28),
        ("section122", "2026-02-01", 0.10 * 5 / 28),
        ("section122", "2026-07-01", 0.10 * 23 / 31),
        # Section 301: List 3 10% from 2018-09-24, 25% from 2019-05-10; List 4A 7.5% from 2020-02-14
        ("list3", "2018-09-01", 0.10 * 7 / 30),
        ("list3", "2019-05-01", (9 * 0.10 + 22 * 0.25) / 31),
        ("list4a", "2020-02-01", (13 * 0.15 + 16 * 0.075) / 29),
    ],
)
def test_the_worlds_tariff_table_matches_the_legal_dates(layer, month, expected):
    assert _rate(layer, month) == pytest.approx(expected, abs=1e-12)


def test_statutory_and_collected_rates_part_where_the_world_says(small):
    panel, _ = small
    china = panel[panel["partner"] == "5700"]
    gap = china["statutory_rate"] - china["collected_rate"]
    in_window = china["month"].between("2019-06-01", "2020-12-01")
    assert (gap[in_window] > 0.05).any()  # Section 301 exclusions: listed but not paid
    assert gap[~in_window].abs().max() < 1e-9
    may = panel[
        (panel["month"] == "2025-05-01") & (panel["partner"] == "5700") & (panel["ieepa_reciprocal"] > 0)
    ]
    assert may["ieepa_reciprocal"].iloc[0] == pytest.approx((13 * 1.25 + 18 * 0.10) / 31)


def test_the_panel_has_gaps_code_changes_and_the_estimators_columns(small):
    panel, truth = small
    needed = [
        "hs10",
        "hs8",
        "hs6",
        "chapter",
        "partner",
        "month",
        "value",
        "duty",
        "quantity",
        "unit_value",
        "unit_value_incl_duty",
        "collected_rate",
        "statutory_rate",
        "mfn",
        "section301",
        "ieepa_fentanyl",
        "ieepa_reciprocal",
        "product_id",
        "partner_id",
        "month_id",
    ]
    assert set(needed) <= set(panel.columns)
    months = panel.groupby(["product_id", "partner_id"])["month_id"].agg(["min", "max", "size"])
    assert ((months["max"] - months["min"] + 1) > months["size"]).mean() > 0.3  # gaps within pairs
    assert panel.groupby("hs10")["month"].max().lt("2022-01-01").any()  # codes retired in 2022
    assert truth["synthetic"] is True and truth["world"] == "structural"
    assert set(truth["events"]) == {"escalation", "geneva", "busan", "ruling"}
    assert truth["events"]["escalation"] < 0 < truth["events"]["geneva"]


def test_the_same_seed_gives_the_same_world(small):
    again, truth = structural.simulate(seed=2, scale=0.15)
    pd.testing.assert_frame_equal(small[0], again)
    assert truth["events"] == small[1]["events"]


def test_written_files_build_into_an_imports_panel(tmp_path, monkeypatch):
    from econ import panel as panels
    from econ import paths
    from econ.sources import census

    monkeypatch.setenv("ECON_HOME", str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        files = structural.write(paths.demo_dir(), seed=4, scale=0.1)
        truth = json.loads((paths.demo_dir() / "truth.json").read_text())
        assert truth["synthetic"] is True
        first = census.read(next(f for f in files if f.name.startswith("imports_hs10_2025")))
        assert {"commodity", "partner", "period"} <= set(first.columns)
        panels.build(dataset="demo")
        imports = panels.load("imports", dataset="demo")
    assert imports["month"].max() == pd.Timestamp("2026-07-01")
    assert imports["partner"].nunique() == len(structural.PARTNERS)
    china_2025 = imports[(imports["partner"] == "5700") & (imports["month"] == "2025-06-01")]
    assert np.nanmedian(china_2025["collected_rate"]) > 0.2  # fentanyl and reciprocal were collected
