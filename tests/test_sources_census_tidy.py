"""Every Census layout read the same way: monthly (_MO) and year-to-date (_YR) variables, HS10, HS6, HS2 and
NAICS, imports and exports, one file per month, partner or year; empty (204) bodies; rows without a
partner code; the same rows in two folders. Expectations are computed from the raw JSON, not by the
reader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.errors import InputFormatError, ParameterError
from econ.sources import census
from econ.sources.notes import notes_of

KEYS = ["flow", "classification", "level", "commodity", "partner", "period", "span"]


@pytest.fixture()
def census_dir(fixtures: Path) -> Path:
    return fixtures / "census"


def _countries(path: Path) -> list[dict[str, str]]:
    """The raw rows of single countries, as dicts keyed by the header (first occurrence of a name)."""
    table = json.loads(path.read_text())
    header = table[0]
    rows = [dict(zip(header[: len(set(header))], row, strict=False)) for row in table[1:]]
    return [row for row in rows if (row.get("CTY_CODE") or "").isdigit() and row["CTY_CODE"][0] != "0"]


def test_annual_pull_reads_like_a_monthly_one(census_dir: Path) -> None:
    annual_path = census_dir / "imports_hs10_annual_2024.json"
    annual = census.tidy(census.read(annual_path))
    monthly = census.tidy(census.read(census_dir / "imports_hs10_2024.json"))
    # the same keys and the same names for the same measures
    assert set(annual.columns) <= set(monthly.columns)
    assert {"value", "general_value", "duty"} <= set(annual.columns)
    for frame in (annual, monthly):
        assert frame["value"].dtype == np.float64 and frame["period"].dtype == pd.PeriodDtype("M")
    assert set(annual["span"]) == {"year_to_date"} and set(monthly["span"]) == {"month"}
    assert set(annual["period"].astype(str)) == {"2024-12"}  # January through December: the year
    raw = _countries(annual_path)
    assert len(annual) == len(raw) == 4
    expected = {(r["I_COMMODITY"], r["CTY_CODE"]): float(r["CON_VAL_YR"] or "nan") for r in raw}
    got = dict(zip(zip(annual["commodity"], annual["partner"], strict=True), annual["value"], strict=True))
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert (np.isnan(value) and np.isnan(got[key])) or got[key] == value
    china = annual[(annual["partner"] == "5700") & (annual["commodity"] == "8505110070")].iloc[0]
    assert china["duty"] / china["value"] == pytest.approx(11_400_000 / 380_000_000)
    assert set(annual["level"]) == {10} and set(annual["classification"]) == {"hs"}
    assert set(annual["flow"]) == {"imports"}


def test_naics_file_with_both_spans_levels_and_missing_partner_codes(census_dir: Path) -> None:
    path = census_dir / "imports_naics_2024.json"
    frame = census.read(path)
    (note,) = notes_of(frame)
    assert note.kind == "missing_code" and note.rows == 2 and note.codes == ("GERMANY",)
    assert note.value == 1_900_000_000 + 1_800_000_000  # con_val_mo of the rows left out
    assert frame.attrs["census_dataset"] == "imports/naics"
    tidy = census.tidy(frame)
    assert len(tidy) == 2 * len(frame)  # a month row and a year-to-date row for each
    assert set(tidy["level"]) == {3, 4, 6}  # 325, 3251, 33641X
    assert not tidy.duplicated(KEYS).any()
    month = tidy[tidy["span"] == "month"].set_index(["commodity", "partner", "period"])
    ytd = tidy[tidy["span"] == "year_to_date"].set_index(["commodity", "partner", "period"])
    feb = ("325", "5700", pd.Period("2024-02", "M"))
    assert month.loc[feb, "value"] == 1_400_000_000 and ytd.loc[feb, "value"] == 2_900_000_000
    assert month.loc[feb, "commodity_description"] == "CHEMICALS"

    filled = census.read(path, partner_codes={" germany ": "4280"})
    assert (filled["partner"] == "4280").sum() == 2
    (note,) = notes_of(filled)
    assert note.kind == "filled_code"
    with pytest.raises(InputFormatError, match="no CTY_CODE"):
        census.read(path, strict=True)


def test_hs2_and_hs6_levels(census_dir: Path, tmp_path: Path) -> None:
    hs2 = tmp_path / "imports_hs2_2024-05.json"
    hs2.write_text(
        json.dumps(
            [
                ["I_COMMODITY", "CTY_CODE", "CTY_NAME", "CON_VAL_MO", "CAL_DUT_MO", "time", "COMM_LVL"],
                ["85", "5700", "CHINA", "12000000000", "1800000000", "2024-05", "HS2"],
                ["01", "1220", "CANADA", "150000000", "0", "2024-05", "HS2"],
            ]
        )
    )
    two = census.tidy(census.read(hs2))
    assert list(two["commodity"]) == ["85", "01"] and set(two["level"]) == {2}
    six = census.tidy(census.read(census_dir / "exports_hs_yearmonth.json"))
    assert set(six["flow"]) == {"exports"} and set(six["level"]) == {6}
    assert set(six["span"]) == {"month", "year_to_date"}
    month = six[six["span"] == "month"]
    assert month["value"].sum() == 98_100_000 + 51_000_000 + 87_000_000 + 1_200  # ALL_VAL_MO of DET rows
    assert "quantity" in six.columns and six.loc[six["span"] == "year_to_date", "quantity"].isna().all()


def test_empty_exports_month_has_its_columns_and_is_reported(tmp_path: Path, census_dir: Path) -> None:
    empty = tmp_path / "exports_hs10_2024-03.json"
    empty.write_bytes(b"")  # what HTTP 204 leaves
    frame = census.read(empty)
    assert len(frame) == 0
    assert {"all_val_mo", "qty_1_mo", "unit_qy1", "source_file"} <= set(frame.columns)
    assert frame["all_val_mo"].dtype == np.float64
    (note,) = notes_of(frame)
    assert note.kind == "no_rows" and note.file == str(empty) and note.value == 0.0
    tidy = census.tidy(frame)
    assert len(tidy) == 0 and {"value", "quantity", "quantity_unit"} <= set(tidy.columns)
    assert tidy["period"].dtype == pd.PeriodDtype("M") and tidy["source_file"].dtype == "category"
    full = census.tidy(census.read(census_dir / "exports_hs_yearmonth.json"))
    both = pd.concat([full, tidy], ignore_index=True)
    assert both["value"].dtype == np.float64 and len(both) == len(full)
    with pytest.raises(InputFormatError, match="no rows"):
        census.read(empty, strict=True)


def test_a_file_of_groupings_only_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "imports_hs10_2024-06.json"
    path.write_text(
        json.dumps(
            [
                ["I_COMMODITY", "CTY_CODE", "CTY_NAME", "CON_VAL_MO", "time"],
                ["8505110070", "-", "TOTAL FOR ALL COUNTRIES", "100", "2024-06"],
                ["8505110070", "0003", "EUROPEAN UNION", "40", "2024-06"],
            ]
        )
    )
    frame = census.read(path)
    (note,) = notes_of(frame)
    assert len(frame) == 0 and note.kind == "no_rows" and "groupings" in note.message
    assert frame.attrs["dropped_aggregates"] == 2


def test_the_same_rows_in_two_folders_are_told_apart(census_dir: Path, tmp_path: Path) -> None:
    """Two partners' pulls saved under one name in two folders are different rows; the same file copied
    into two folders is the same rows twice — and the source_file column names both copies."""
    original = census_dir / "imports_hs10_2024.json"
    copies = []
    for folder in ("china", "again"):
        (tmp_path / folder).mkdir()
        copies.append(tmp_path / folder / "imports_hs10_2024-11.json")
        shutil.copy(original, copies[-1])
    frames = [census.tidy(census.read(path)) for path in copies]
    both = pd.concat(frames, ignore_index=True)
    twice = both[both.duplicated(KEYS, keep=False)]
    assert len(twice) == len(both)
    assert set(twice["source_file"].astype(str)) == {str(path) for path in copies}

    # partner-split pulls: same file name, different rows — nothing repeats
    rows = json.loads(original.read_text())
    header = rows[0]
    code = header.index("CTY_CODE")
    split = []
    for partner in ("5700", "5880"):
        folder = tmp_path / partner
        folder.mkdir()
        split.append(folder / "imports_hs10_2024-11.json")
        split[-1].write_text(json.dumps([header, *[row for row in rows[1:] if row[code] == partner]]))
    parts = pd.concat([census.tidy(census.read(path)) for path in split], ignore_index=True)
    assert not parts.duplicated(KEYS).any()
    assert parts.groupby("partner", observed=True)["source_file"].nunique().eq(1).all()


def test_tidy_of_concatenated_frames_needs_the_dataset(census_dir: Path) -> None:
    a = census.read(census_dir / "imports_hs10_2024.json")
    b = census.read(census_dir / "exports_hs_yearmonth.json")
    mixed = pd.concat([a, b], ignore_index=True)
    with pytest.raises(ParameterError, match="dataset"):
        census.tidy(mixed)
    assert len(census.tidy(mixed, dataset="imports/hs")) >= len(mixed)


def test_free_text_is_kept_as_data(tmp_path: Path) -> None:
    payloads = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "CÔTE D'IVOIRE & <b>"]
    rows = [["NAICS", "NAICS_LDESC", "CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"]]
    rows += [["3251", payload, f"{7000 + i}", payload, "1", "2024-01"] for i, payload in enumerate(payloads)]
    path = tmp_path / "imports_naics_2024-01.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    frame = census.read(path)
    assert list(frame["partner_name"]) == payloads and list(frame["naics_ldesc"]) == payloads
    assert list(census.tidy(frame)["commodity_description"]) == payloads


@pytest.mark.real_data
def test_real_naics_monthly_panel_with_germany(shared_data: Path) -> None:
    """The real monthly NAICS3 pulls: China 2024 as FACTS has it, and Germany's rows (no CTY_CODE in the
    sample) reported with their value instead of vanishing."""
    folder = shared_data / "census" / "naics_monthly"
    files = sorted(folder.glob("imports_naics3_*.json"))
    assert len(files) == 13
    path = folder / "imports_naics3_2024.json"
    raw = json.loads(path.read_text())
    header = raw[0]
    code, name, value, duty = (header.index(c) for c in ("CTY_CODE", "CTY_NAME", "CON_VAL_MO", "CAL_DUT_MO"))
    germany = [row for row in raw[1:] if not isinstance(row[code], str) and row[name] == "GERMANY"]
    frame = census.read(path)
    (note,) = notes_of(frame)
    assert note.kind == "missing_code" and note.rows == len(germany) > 0
    assert note.value == pytest.approx(sum(float(row[value]) for row in germany))
    tidy = census.tidy(census.read(path, partner_codes={"GERMANY": "4280"}))
    assert set(tidy["level"]) == {3} and set(tidy["span"]) == {"month"}
    china = tidy[tidy["partner"] == "5700"]
    assert china["value"].sum() == pytest.approx(sum(float(r[value]) for r in raw[1:] if r[code] == "5700"))
    assert china["value"].sum() / 1e9 == pytest.approx(429.43, abs=0.01)  # FACTS: China 2024, $429.4B
    assert china["duty"].sum() == pytest.approx(sum(float(r[duty]) for r in raw[1:] if r[code] == "5700"))
    assert china["duty"].sum() / 1e9 == pytest.approx(46.66, abs=0.01)
    assert tidy.loc[tidy["partner"] == "4280", "value"].sum() == pytest.approx(note.value)
    for other in files:
        assert len(census.read(other)) > 0
