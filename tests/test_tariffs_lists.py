"""The Section 232 and Section 301 product lists compiled line by line (econ/tariffs/data/product_lists.csv),
checked against lists published separately and against the real HTS files in ../shared/data.

* copper: the HS8 of US note 36(b) (2025) are the copper lines of Annex I-A of the 2026 restructuring, a
  separate publication;
* the 2026 annexes cover the whole prior Section 232 metals scope: every line of the 2025 derivative and
  inclusion lists falls in one of them (II included);
* a line belongs to the annex whose prefix matches it most closely;
* the Brazil Section 301 exemptions, and Section 201 solar against the HTS chapter 85 footnotes;
* every compiled code is a line of the HTS 2025 basic edition or of a later revision named in the source.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.tariffs import Schedule, load_timeline
from econ.tariffs.timeline import US_LISTS

DATA = Path(__file__).resolve().parents[1] / "econ" / "tariffs" / "data"
ANNEXES = (
    "s232_annex_1a",
    "s232_annex_1a_copper",
    "s232_annex_1b",
    "s232_annex_1b_copper",
    "s232_annex_2",
    "s232_annex_3",
)


@pytest.fixture(scope="module")
def lists() -> pd.DataFrame:
    return pd.concat(
        [pd.read_csv(DATA / name, dtype=str, keep_default_na=False) for name in US_LISTS], ignore_index=True
    )


def codes(lists: pd.DataFrame, *groups: str) -> set[str]:
    return set(lists.loc[lists["coverage"].isin(groups), "hs_prefix"])


@pytest.fixture(scope="module")
def basic_edition(shared_data: Path) -> tuple[set[str], set[str]]:
    """HS10 and HS8 lines of the HTS 2025 basic edition."""
    hs10, hs8 = set(), set()
    with open(shared_data / "hts" / "hts_2025_basic_edition.csv", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            code = row[0].replace(".", "")
            if len(code) == 10:
                hs10.add(code)
            if len(code) >= 8:
                hs8.add(code[:8])
    return hs10, hs8


def test_copper_of_note_36b_is_the_copper_of_annex_ia(lists: pd.DataFrame) -> None:
    note = codes(lists, "s232_copper")
    annex = codes(lists, "s232_annex_1a_copper")
    precision = len(note & annex) / len(note)
    recall = len(note & annex) / len(annex)
    assert (precision, recall) == (1.0, 1.0), (sorted(note - annex), sorted(annex - note))
    assert len(note) == 76 and all(len(c) == 8 and c.startswith("74") for c in note)


def test_every_2025_metals_line_is_in_a_2026_annex(
    lists: pd.DataFrame, basic_edition: tuple[set[str], set[str]]
) -> None:
    hs10, _ = basic_edition
    annexed = tuple(codes(lists, *ANNEXES))
    for group, floor in (
        ("s232_aluminium_derivatives_2020", 1.0),
        ("s232_aluminium_derivatives_2025", 0.99),
        ("s232_aluminium_derivatives_2025_08", 0.98),
        ("s232_steel_derivatives_2025_08", 0.99),
        ("s232_copper", 1.0),
        ("s232_copper_derivatives", 1.0),
    ):
        prefixes = tuple(codes(lists, group))
        lines = {c for c in hs10 if c.startswith(prefixes)}
        assert lines, group
        share = sum(c.startswith(annexed) for c in lines) / len(lines)
        assert share >= floor, f"{group}: {share:.3f} of its {len(lines)} lines in an annex"


def test_compiled_codes_are_lines_of_the_schedule(
    lists: pd.DataFrame, basic_edition: tuple[set[str], set[str]]
) -> None:
    hs10, hs8 = basic_edition
    # Every leading part of every line, so that a compiled prefix is a set lookup rather than a scan.
    heads10 = {c[:n] for c in hs10 for n in (9, 10)}
    heads8 = {c[:n] for c in hs8 for n in range(1, 9)}
    listed = ("s232_", "s201_quartz", "brazil301", "brazil_ieepa", "s338_", "fl301_")
    groups = [g for g in lists["coverage"].unique() if g.startswith(listed)]
    for group in groups:
        prefixes = codes(lists, group)
        # A statistical line of a later year (the medicines of Annex I split 3004.90.92 anew in 2026) counts
        # when its HS8 is a line of the basic edition.
        known = {
            p for p in prefixes if p in (heads10 if len(p) > 8 else heads8) or (len(p) == 10 and p[:8] in hs8)
        }
        # A few codes of the 2025-08 inclusions and the annexes are of later revisions than the basic edition.
        assert len(known) / len(prefixes) >= 0.9, f"{group}: {sorted(prefixes - known)[:10]}"


def test_a_line_takes_the_annex_that_names_it_most_closely(lists: pd.DataFrame) -> None:
    assert "8703" in codes(lists, "s232_annex_2") and "87032101" in codes(lists, "s232_annex_1b")
    assert "940399" in codes(lists, "s232_annex_1b") and "9403999010" in codes(lists, "s232_annex_2")
    lines = pd.DataFrame({"hs8": ["87032101", "87032201", "94039990", "94039990", "73170055"]})
    lines["hs10"] = ["8703210110", "8703220110", "9403999010", "9403999099", None]
    lines["mfn_ad_valorem"] = 0.0
    schedule = Schedule(lines)
    frame = pd.DataFrame(
        {
            "hs10": ["8703210110", "8703220110", "9403999010", "9403999099", "7317005501"],
            "hs8": ["87032101", "87032201", "94039990", "94039990", "73170055"],
            "partner": "5520",
            "date": pd.Timestamp("2026-04-06"),
        }
    )
    out = schedule.rates(frame, layers=["section232"])
    # 8703.21.01: Annex I-B 25% (and the 232 autos 25%); 8703.22.01 only the autos; 9403.99.90.10
    # Annex II (out), 9403.99.90.99 Annex I-B; nails Annex I-A 50%.
    assert list(out["section232"]) == [0.25, 0.25, 0.0, 0.25, 0.50]


def test_brazil_ieepa_annex_i_as_the_order_lists_it(lists: pd.DataFrame) -> None:
    # EO 14323 Annex I: 694 HTS8, of which 565 (marked *) for civil aircraft under 9903.01.82 and 129
    # under 9903.01.81; neither unwrought tin (8001) nor fertilisers of 3102-3104 are in it.
    rows = lists[lists["coverage"] == "brazil_ieepa_exempt"]
    assert len(rows) == 694 and rows["hs_prefix"].str.fullmatch(r"\d{8}").all()
    aircraft = rows["source"].str.contains("9903.01.82", regex=False)
    assert (int(aircraft.sum()), int((~aircraft).sum())) == (565, 129)
    exempt = set(rows["hs_prefix"])
    assert {"26011100", "72011000", "20091100", "88024001"} <= exempt
    assert not any(c.startswith(("8001", "3102", "3104")) for c in exempt)


def test_section_338_lists_of_2026_09_15(lists: pd.DataFrame) -> None:
    # Proclamations 11064 and 11065: the first basket (9903.03.12) has 101 lines, the third (9903.03.14)
    # grows from 439 to 513 (8 out, 82 in, steel and aluminium structures among them).
    first, third = codes(lists, "s338_basket_1_2026_09_15"), codes(lists, "s338_basket_3_2026_09_15")
    before = codes(lists, "s338_basket_3")
    assert (len(first), len(third), len(before)) == (101, 513, 439)
    assert len(before - third) == 8 and len(third - before) == 82
    assert "22030000" in first and "22087000" not in first and "73089095" in third and "25010000" not in third


def test_brazil_301_exemptions(lists: pd.DataFrame) -> None:
    exempt = codes(lists, "brazil301_exempt")
    assert len(exempt) == 2126 and all(len(c) == 8 for c in exempt)
    lines = pd.DataFrame({"hs8": ["09011100", "88024001", "94036080"], "mfn_ad_valorem": 0.0})
    frame = lines[["hs8"]].assign(partner="3510", date=pd.Timestamp("2026-07-22"))
    out = Schedule(lines).rates(frame, layers=["section301_brazil"])
    assert list(out["section301_brazil"]) == [0.0, 0.0, 0.25]
    before = Schedule(lines).rates(
        frame.assign(date=pd.Timestamp("2026-07-21")), layers=["section301_brazil"]
    )
    assert (before["section301_brazil"] == 0).all()


def test_solar_safeguard_lines_against_the_hts_footnotes(shared_data: Path) -> None:
    # Section 201 solar (9903.45.21-.29) as chapter 85 of the HTS marks it, against the coverage coded.
    with open(shared_data / "hts" / "chapter85.json") as handle:
        lines = json.load(handle)
    marked = set()
    for line in lines:
        notes = " ".join(str(f.get("value", "")) for f in line.get("footnotes") or [])
        if any(f"9903.45.{n}" in notes for n in range(21, 30)) and line["htsno"].startswith("8541"):
            marked.add(line["htsno"].replace(".", "")[:8])
    coded = tuple(load_timeline().coverage_prefixes()["s201_solar"])
    lines8 = {line["htsno"].replace(".", "")[:8] for line in lines if len(line["htsno"]) >= 10}
    covered = {c for c in lines8 if c.startswith(coded)}
    assert marked and marked <= covered, sorted(marked - covered)


# CBP's CSMS message 66492057 (2025-10-14) on Proclamation 10976: the lines that enter under 9903.76.01
# (softwood timber and lumber, 10%), 9903.76.02 (upholstered wooden seats, 25%) and 9903.76.03 (kitchen
# cabinets and vanities, 25%), as CBP published them apart from the proclamation's annex coded here.
CSMS_66492057 = {
    "s232_lumber": {
        "44031100", "44032101", "44032201", "44032301", "44032401", "44032501", "44032601", "44039901",
        "44061100", "44069100", "44071100", "44071200", "44071300", "44071400", "44071900",
    },
    "s232_furniture_cabinets": {
        "9401614011", "9401614031", "9401616011", "9401616031", "9403409060", "9403608093", "9403910080",
    },
}  # fmt: skip


def test_wood_lines_are_those_of_cbp_csms_66492057() -> None:
    coded = load_timeline().coverage_prefixes()
    for group, published in CSMS_66492057.items():
        assert set(coded[group]) == published, group  # precision and recall 1.00
    lines = pd.DataFrame({"hs8": ["44071100", "94016140", "94016140", "94034090"], "mfn_ad_valorem": 0.0})
    lines["hs10"] = ["4407110000", "9401614011", "9401614099", "9403409060"]
    frame = lines[["hs8", "hs10"]].assign(partner="5700", date=pd.Timestamp("2025-10-14"))
    out = Schedule(lines).rates(frame, layers=["section232"])
    # Lumber 10%, upholstered seats 25%, a 9401.61.40 seat CBP does not name none, cabinets 25%.
    assert list(out["section232"]) == [0.10, 0.25, 0.0, 0.25]
    before = Schedule(lines).rates(frame.assign(date=pd.Timestamp("2025-10-13")), layers=["section232"])
    assert (before["section232"] == 0).all()


def test_china_lists_name_us_export_subheadings(shared_data: Path) -> None:
    # The HS6 of China's 2018-2019 lists were transcribed from a published series: each must be a
    # subheading of the US export schedule of the time (Schedule B 2019, on HS 2017), and each HS 2022
    # subheading given its heading's lists a line of the 2025 HTS that Schedule B 2019 lacks.
    with open(shared_data / "census" / "hs-10d-2019-exp-code.txt", encoding="latin-1") as handle:
        schedule_b = {line[:6] for line in handle if line[:6].isdigit()}
    with open(shared_data / "hts" / "hts_2025_basic_edition.csv", encoding="utf-8-sig") as handle:
        hs2025 = {row[0].replace(".", "")[:6] for row in csv.reader(handle) if len(row[0]) >= 7}
    china = pd.read_csv(DATA / "china_retaliation.csv", dtype=str, keep_default_na=False)
    assert china["coverage"].str.startswith("cn_ret_").all()
    later = china["source"].str.startswith("HS 2022")
    hs2017 = set(china.loc[~later, "hs_prefix"])
    assert len(hs2017) > 4000 and all(len(c) == 6 for c in hs2017)
    assert hs2017 <= schedule_b, sorted(hs2017 - schedule_b)[:10]
    added = set(china.loc[later, "hs_prefix"])
    assert added <= hs2025 and not added & schedule_b, sorted(added - hs2025)[:10]


def _china_rates(lines: pd.DataFrame, day: str) -> np.ndarray:
    products = pd.DataFrame({"hs8": lines["china_hs8"], "mfn_ad_valorem": 0.0})
    frame = pd.DataFrame({"hs8": lines["china_hs8"], "partner": "5700", "date": pd.Timestamp(day)})
    return Schedule(products).rates(frame, flow="exports")["china_retaliation"].to_numpy()


def test_china_2019_tiers_on_the_opening_lines_of_two_annexes(fixtures: Path) -> None:
    # The only line-level part of China's own lists in reach: lines 1-46 of annex 1 (25%) and 1-47 of
    # annex 3 (10%) of the Tariff Commission's announcement 2019 No. 3, chapters 1-20
    # (tests/fixtures/tariffs). China's HS8 share the HS6 with US codes, and the compiled lists are at
    # HS6 (the highest rate over the HS6's lines), so a Chinese line stands for the US lines of its HS6.
    # Annex 1 lines went from 10% to 25% on 2019-06-01, annex 3 lines from 5% to 10%.
    lines = pd.read_csv(fixtures / "tariffs" / "china_2019_annex_openings.csv", dtype={"china_hs8": str})
    after, before = _china_rates(lines, "2019-06-15"), _china_rates(lines, "2019-05-31")
    tier = lines["tier"].to_numpy()
    # Measured: 90 of 93 lines pay at least their annex's tier (the prefix coding this replaced: 6).
    recall = (after >= tier - 1e-9).mean()
    assert recall >= 0.95, f"recall {recall:.2f} on {len(lines)} lines"
    # Measured: 80 of 93 step by exactly their annex's change; 9 of the 13 others are 10% lines whose
    # HS6 also holds 25% lines, so the HS6 steps by 15 points.
    step = np.isclose(after - before, np.where(np.isclose(tier, 0.25), 0.15, 0.05))
    assert step.mean() >= 0.85, f"{step.mean():.2f}: {list(lines.loc[~step, 'china_hs8'])}"


@pytest.mark.parametrize(
    ("hs10", "day", "expected", "why"),
    [
        # Written from the Tariff Commission's announcements, not from the timeline.
        ("1201900010", "2018-07-05", 0.0, "soybeans before the $34B list"),
        ("1201900010", "2018-07-06", 0.25, "soybeans on the $34B list (annex 1)"),
        ("1201900010", "2019-09-01", 0.30, "and 5% on the first part of the $75B list"),
        ("1201900010", "2020-02-14", 0.275, "that 5% halved"),
        ("0203290020", "2018-04-01", 0.0, "pork before the Section 232 retaliation"),
        ("0203290020", "2018-04-02", 0.25, "pork 25% for Section 232"),
        ("0203290020", "2018-07-06", 0.50, "and 25% on the $34B list"),
        ("8703230190", "2018-07-06", 0.25, "cars on the $34B list"),
        ("8703230190", "2019-01-01", 0.0, "suspended from 2019-01-01"),
        ("2711110000", "2018-09-24", 0.10, "LNG on the $60B list at 10%"),
        ("2711110000", "2019-06-01", 0.25, "raised to 25% (announcement 2019 No. 3)"),
        ("2711110000", "2025-05-14", 0.50, "and LNG 15% (2025-02-10) and the 10% kept after Geneva"),
    ],
)
def test_china_retaliation_on_dated_lines(hs10: str, day: str, expected: float, why: str) -> None:
    products = pd.DataFrame({"hs10": [hs10], "hs8": [hs10[:8]], "mfn_ad_valorem": [0.0]})
    frame = products[["hs10", "hs8"]].assign(partner="5700", date=pd.Timestamp(day))
    got = Schedule(products).rates(frame, flow="exports")["china_retaliation"].iloc[0]
    assert got == pytest.approx(expected), why


def test_drone_lists_split_at_25_kg_as_the_hts_describes(lists: pd.DataFrame, shared_data: Path) -> None:
    # Note 43: 100% on unmanned aircraft over 25 kg, 25% on those of 25 kg or less; the HTS subheadings
    # of 8806 are drawn by maximum take-off weight, so their descriptions decide the side of each code.
    described = {}
    with open(shared_data / "hts" / "hts_2025_basic_edition.csv", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            described[row[0].replace(".", "")[:8]] = row[2]
    small, large = codes(lists, "s232_uas_small"), codes(lists, "s232_uas_large")
    assert small and large and not small & large
    for code in small:
        assert re.search(r"not more than (250 g|7 kg|25 kg)", described[code]), (code, described[code])
    for code in large:
        text = described[code]
        assert "more than 25 kg" in text or text == "Other", (code, text)


def test_raw_polysilicon_pays_no_ad_valorem_duty(lists: pd.DataFrame) -> None:
    # The polysilicon proclamation puts 2804.61 under its minimum import price only.
    poly = codes(lists, "s232_polysilicon")
    assert poly and not any(code.startswith("2804") for code in poly)
    assert {"85414200", "85414300"} <= poly
