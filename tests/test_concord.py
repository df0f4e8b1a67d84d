"""Concordances: HS code helpers, HS10 → NAICS (fixed width), NAICS → BEA (workbook), country codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econ import concord
from econ.errors import InputFormatError, ParameterError


@pytest.fixture()
def concord_dir(fixtures: Path) -> Path:
    return fixtures / "concord"


def test_hs_helpers() -> None:
    assert concord.hs8("8505.11.00.70") == "85051100"
    assert concord.hs6("8505110070") == "850511"
    assert concord.chapter("0101210010") == "01"
    series = pd.Series(["0101210010", "2846.90.20.10"])
    assert list(concord.hs8(series)) == ["01012100", "28469020"]
    with pytest.raises(ParameterError, match="not an HS code"):
        concord.hs8("85A5")
    with pytest.raises(ParameterError, match="fewer than 8"):
        concord.hs8("850511")


def test_read_fixed_width(concord_dir: Path) -> None:
    path = concord_dir / "hs-10d-test-exp-code.txt"
    table = concord.read_hs_naics(path)
    lines = path.read_text().splitlines()
    assert len(table) == len(lines)
    assert list(table["hs10"]) == [line[0:10] for line in lines]
    assert list(table["naics"]) == [line[265:271] for line in lines]
    assert (
        table.set_index("hs10").loc["2805300000", "description"] == "RARE-EARTH METALS, SCANDIUM AND YTTRIUM"
    )
    assert table["hs10"].iloc[0] == "0101210000"  # leading zero kept


def test_fixed_width_bad_input(concord_dir: Path, tmp_path: Path) -> None:
    lines = (concord_dir / "hs-10d-test-exp-code.txt").read_text().splitlines()
    path = tmp_path / "bad.txt"
    path.write_text("\r\n".join([*lines[:3], lines[3][:100]]))
    with pytest.raises(InputFormatError, match=r"bad\.txt: line 4: line is 100 characters long"):
        concord.read_hs_naics(path)
    path.write_text("\r\n".join([*lines, lines[2]]))
    with pytest.raises(InputFormatError, match=r"appears twice \(lines 3 and 14\)"):
        concord.read_hs_naics(path)
    path.write_text("\r\n".join([lines[0], "28O5300000" + lines[1][10:]]))
    with pytest.raises(InputFormatError, match="line 2, columns 1–10"):
        concord.read_hs_naics(path)


def test_hs10_to_naics_falls_back_and_reports(concord_dir: Path) -> None:
    table = concord.read_hs_naics(concord_dir / "hs-10d-test-exp-code.txt")
    trade = pd.DataFrame(
        {
            "hs10": ["2805300000", "2846900010", "2846900050", "8505110070", "9999999999"],
            "value": [100.0, 50.0, 30.0, 15.0, 5.0],
        }
    )
    joined, report = concord.hs10_to_naics(trade, table)
    by_code = joined.set_index("hs10")
    assert (
        by_code.loc["2805300000", "naics"] == "331410" and by_code.loc["2805300000", "naics_match"] == "exact"
    )
    # 2846900050 is not in the concordance (a code that changed): its HS8 parent 28469000 says 325180
    assert (
        by_code.loc["2846900050", "naics"] == "325180" and by_code.loc["2846900050", "naics_match"] == "hs8"
    )
    # 8505110070 falls back to HS8 85051100
    assert by_code.loc["8505110070", "naics_match"] == "hs8"
    assert pd.isna(by_code.loc["9999999999", "naics"])
    total = trade["value"].sum()
    assert report.exact == pytest.approx(150 / total)
    assert report.fallback == pytest.approx(45 / total)
    assert report.unmatched == pytest.approx(5 / total)
    assert report.lost == ("9999999999",)
    assert "unmatched" in str(report) and "9999999999" in str(report)
    # nothing is lost or duplicated by the join
    assert len(joined) == len(trade) and joined["value"].sum() == total


def test_read_bea_workbook_and_join(concord_dir: Path) -> None:
    bea = concord.read_bea_naics(concord_dir / "bea_naics_concordance_small.xlsx")
    assert "n.a." not in set(bea["naics"])  # special commodities and footnotes dropped
    assert len(bea) == 11
    assert bea.set_index("detail").loc["325180", "summary"] == "325"  # a number in Excel, text here
    assert set(bea.loc[bea["shared"], "naics"]) == {"33299"}
    frame = pd.DataFrame(
        {"naics": ["325180", "331410", "3251", "33641X", "910000"], "value": [10.0, 5, 3, 2, 1]}
    )
    joined, report = concord.naics_to_bea(frame, bea, level="detail")
    by_code = joined.set_index("naics")
    assert by_code.loc["325180", "bea_detail"] == "325180" and by_code.loc["325180", "bea_match"] == "exact"
    assert by_code.loc["331410", "bea_detail"] == "331410" and by_code.loc["331410", "bea_match"] == "naics5"
    # children 325180 and 325110 are two BEA details: no single answer at this level
    assert pd.isna(by_code.loc["3251", "bea_detail"]) and pd.isna(by_code.loc["33641X", "bea_detail"])
    assert pd.isna(by_code.loc["910000", "bea_detail"])
    assert report.unmatched == pytest.approx(6 / 21)
    assert set(report.lost) == {"3251", "33641X", "910000"}
    assert report.ambiguous == 2
    summary, summary_report = concord.naics_to_bea(frame, bea, level="summary")
    by_code = summary.set_index("naics")
    assert (
        by_code.loc["3251", "bea_summary"] == "325" and by_code.loc["3251", "bea_match"] == "naics_children"
    )
    assert by_code.loc["33641X", "bea_summary"] == "3364OT"
    assert summary_report.unmatched == pytest.approx(1 / 21)
    with pytest.raises(ParameterError, match="level"):
        concord.naics_to_bea(frame, bea, level="industry")  # type: ignore[arg-type]


def test_bea_workbook_wrong_header(concord_dir: Path) -> None:
    with pytest.raises(InputFormatError, match="row 4: header is"):
        concord.read_bea_naics(concord_dir / "bea_naics_concordance_small.xlsx", header_row=4)


def test_country_codes_three_layouts(concord_dir: Path) -> None:
    pipe = concord.read_country_codes(concord_dir / "countryCodes_small.txt")
    assert list(pipe.columns) == ["census_code", "name", "iso2"]
    assert pipe.set_index("census_code").loc["7920", "iso2"] == "NA"  # Namibia, not a missing value
    assert len(pipe) == 6
    iso3 = concord.read_country_codes(concord_dir / "census_to_iso3_small.csv")
    trade = pd.DataFrame({"partner": ["5700", "5880", "1220", "0003"], "value": [60.0, 20.0, 15.0, 5.0]})
    joined, report = concord.census_to_iso(trade, iso3)
    assert list(joined["iso3"].fillna("?")) == ["CHN", "?", "CAN", "?"]
    assert report.unmatched == pytest.approx(0.25) and set(report.lost) == {"5880", "0003"}
    assert concord.iso_to_census(iso3)["CHN"] == "5700"


def test_country_codes_bad(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("cty_code,iso3\n5700,CHN\n570,XXX\n")
    with pytest.raises(InputFormatError, match=r"codes\.csv: line 3: code '570'"):
        concord.read_country_codes(path)
    path.write_text("cty_code,iso3\n5700,CHN\n5700,CHN\n")
    with pytest.raises(InputFormatError, match=r"appears twice \(line 2 and line 3\)"):
        concord.read_country_codes(path)


@pytest.mark.real_data
def test_real_concordances(shared_data: Path) -> None:
    path = shared_data / "census" / "hs-10d-2019-exp-code.txt"
    table = concord.read_hs_naics(path)
    raw = path.read_bytes().split(b"\r\n")
    lines = [line for line in raw if line.strip()]
    assert len(table) == len(lines) == 9356
    assert set(table["naics"]) == {line[265:271].decode() for line in lines}

    bea = concord.read_bea_naics(shared_data / "bea" / "BEA-NAICS-Concordance.xlsx")
    assert bea["detail"].nunique() == 390 and bea["summary"].nunique() == 67
    special = {"910000", "920000", "930000", "980000", "990000"}  # Census special classifications
    _, report = concord.naics_to_bea(table, bea, value=None, level="summary")
    assert set(report.lost) <= special
    # at the detail level 33641X (aircraft and parts) spans several BEA industries: left unmatched, said so
    _, report = concord.naics_to_bea(table, bea, value=None, level="detail")
    assert set(report.lost) <= special | {"33641X"} and report.ambiguous >= 1

    codes = concord.read_country_codes(shared_data / "census" / "countryCodes.txt")
    assert len(codes) == 240 and codes.set_index("census_code").loc["5700", "iso2"] == "CN"
    iso3 = concord.read_country_codes(shared_data / "census" / "census_to_iso3.csv")
    assert len(iso3) == 189 and concord.iso_to_census(iso3)["CHN"] == "5700"
    names = concord.read_country_codes(shared_data / "census" / "census_codes.csv")
    assert len(names) == 240


def test_import_concordance_with_blank_naics_cells(concord_dir: Path) -> None:
    """Census leaves the NAICS field blank on some lines: read them as missing, say so, and let the join
    place them through a parent code or report them — never a crash further down (naics_to_bea)."""
    from econ.sources.notes import notes_of

    table = concord.read_hs_naics(concord_dir / "hs-10d-test-imp-code.txt")
    assert len(table) == 13 and table["naics"].isna().sum() == 2
    (note,) = notes_of(table)
    assert note.kind == "missing_code" and note.codes == ("2846900010", "8505110000")
    trade = pd.DataFrame({"hs10": ["2846900010", "8505110000", "8505110070"], "value": [10.0, 20.0, 30.0]})
    joined, report = concord.hs10_to_naics(trade, table)
    by_code = joined.set_index("hs10")
    # 2846900010's HS8 sibling 2846900090 has 325180; 8505110000 and 8505110070 have no placed relative
    assert (
        by_code.loc["2846900010", "naics"] == "325180" and by_code.loc["2846900010", "naics_match"] == "hs8"
    )
    assert by_code[["naics"]].iloc[1:].isna().all().all()
    assert report.unmatched == pytest.approx(50 / 60)
    bea = concord.read_bea_naics(concord_dir / "bea_naics_concordance_small.xlsx")
    with_bea, bea_report = concord.naics_to_bea(joined, bea, level="summary")
    assert with_bea.loc[with_bea["hs10"] == "2846900010", "bea_summary"].item() == "325"
    assert bea_report.unmatched == pytest.approx(50 / 60) and "(no code)" in bea_report.lost


def test_find_hs_naics_prefers_the_import_side(tmp_path: Path) -> None:
    assert concord.find_hs_naics(tmp_path) is None
    for name in ("hs-10d-2024-exp-code.txt", "hs-10d-2019-exp-code.txt"):
        (tmp_path / name).write_text("")
    assert concord.find_hs_naics(tmp_path) == tmp_path / "hs-10d-2024-exp-code.txt"
    for name in ("imp-code.txt", "hs-10d-2019-imp-code.txt"):
        (tmp_path / name).write_text("")
    assert concord.find_hs_naics(tmp_path) == tmp_path / "hs-10d-2019-imp-code.txt"
