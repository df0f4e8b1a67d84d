"""HTS reader and rate parser: own fixtures (JSON and CSV exports), the real samples, bad input."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from econ.errors import InputFormatError
from econ.sources import hts
from econ.sources.fetch import hts as fetch_hts
from econ.sources.fetch.options import FetchOptions


@pytest.fixture()
def hts_dir(fixtures: Path) -> Path:
    return fixtures / "hts"


@pytest.mark.parametrize(
    ("text", "kind", "ad_valorem", "amount", "unit"),
    [
        ("Free", "free", 0.0, None, None),
        ("6.8%", "ad_valorem", 0.068, None, None),
        (" 25% ", "ad_valorem", 0.25, None, None),
        ("1.2¢/kg", "specific", None, 0.012, "kg"),
        ("$1.5/kg", "specific", None, 1.5, "kg"),
        ("0.9¢ each", "specific", None, 0.009, "each"),
        ("68¢/head", "specific", None, 0.68, "head"),
        ("5.7¢/kg on drained weight", "specific", None, 0.057, "kg on drained weight"),
        ("2.2¢/kg + 5%", "compound", 0.05, 0.022, "kg"),
        ("$1.5/kg +6.5%", "compound", 0.065, 1.5, "kg"),
        ("4.4¢ each + 6% + 0.9¢/jewel", "compound", 0.06, 0.044, "each"),
        ("The duty provided in the applicable subheading + 25%", "other", None, None, None),
        ("51¢ each + 6.25% on the case", "other", None, None, None),
        ("1.4606¢/kg less 0.020668¢/kg for each degree under 100 degrees", "other", None, None, None),
        ("No change", "other", None, None, None),
        ("", "other", None, None, None),
    ],
)
def test_parse_rate(
    text: str, kind: str, ad_valorem: float | None, amount: float | None, unit: str | None
) -> None:
    rate = hts.parse_rate(text)
    assert rate.kind == kind
    assert rate.text == text
    if ad_valorem is None:
        assert rate.ad_valorem is None
    else:
        assert rate.ad_valorem == pytest.approx(ad_valorem)
    if amount is None:
        assert rate.specific_amount is None
    else:
        assert rate.specific_amount == pytest.approx(amount)
        assert rate.specific_unit == unit


def test_json_hierarchy_inheritance_and_chapter99(hts_dir: Path) -> None:
    frame = hts.read(hts_dir / "chapter85_excerpt.json", revision="2025 Revision 19")
    raw = json.loads((hts_dir / "chapter85_excerpt.json").read_text())
    assert len(frame) == sum(1 for item in raw if item["htsno"])  # unnumbered headings dropped
    assert set(frame["revision"]) == {"2025 Revision 19"}
    line = frame.set_index("htsno")
    # HS10 child inherits the HS8 rate and its chapter 99 references
    assert line.loc["8501.10.40.20", "general"] == "4.4%"
    assert line.loc["8501.10.40.20", "rate_line"] == "8501.10.40"
    assert line.loc["8501.10.40.20", "mfn_ad_valorem"] == pytest.approx(0.044)
    assert line.loc["8501.10.40.20", "chapter99"] == ["9903.88.01"]
    assert line.loc["8501.10.40.20", "chapter99_other_columns"] == ["9903.88.69"]  # NBSP-padded desc note
    assert line.loc["8501.10.40.40", "chapter99_other_columns"] == []
    assert pd.isna(line.loc["8501.10.40", "hts10"]) and line.loc["8501.10.40", "hts8"] == "85011040"
    # multi-reference footnote, plus the child's own general-column note
    assert line.loc["8505.11.00", "chapter99"] == ["9903.45.25", "9903.88.03"]
    assert line.loc["8505.11.00.70", "chapter99"] == ["9903.45.25", "9903.88.03", "9903.91.06"]
    assert line.loc["8507.20.80.10", "chapter99"] == ["9903.45.21", "9903.45.22", "9903.45.27", "9903.91.02"]
    # misspelt key read
    assert line.loc["8505.11.00", "additional_duties"] == "See 9903.91.06"
    # a 10-digit line without an 8-digit parent carries its own rate (ending 01 here)
    assert line.loc["8505.90.75.01", "rate_line"] == "8505.90.75.01"
    assert line.loc["8505.90.75.01", "mfn_ad_valorem"] == pytest.approx(0.013)
    # compound: not purely ad valorem, the part kept apart
    assert line.loc["8506.10.00.00", "rate_kind"] == "compound"
    assert math.isnan(line.loc["8506.10.00.00", "mfn_ad_valorem"])
    assert line.loc["8506.10.00.00", "ad_valorem_part"] == pytest.approx(0.05)
    assert line.loc["8506.10.00.00", "chapter99"] == []
    assert line.loc["8506.10.00.00", "chapter99_other_columns"] == ["9903.90.08"]
    assert line.loc["8508.11.00.00", "mfn_ad_valorem"] == 0.0
    assert line.loc["8509.80.20.00", "rate_kind"] == "specific"
    # headings carry no rate
    assert pd.isna(line.loc["8501", "rate_kind"]) and line.loc["8501", "level"] == 4
    assert line.loc["8501.10.20.00", "indent"] == 3
    assert line.loc["8505.11.00.70", "units"] == ["No.", "kg"]


def test_csv_export_bom_units_and_revision_from_name(hts_dir: Path) -> None:
    frame = hts.read(hts_dir / "hts_2025_revision_3.csv")
    assert frame.columns[0] == "htsno"  # the BOM did not leak into the first name
    assert set(frame["revision"]) == {"2025 Revision 3"}
    line = frame.set_index("htsno")
    assert line.loc["0101.21.00.10", "general"] == "Free"
    assert line.loc["0101.21.00.10", "units"] == ["No."]
    assert line.loc["6111.20.10.00", "units"] == ["doz.", "kg"]
    assert line.loc["2805.30.00.50", "mfn_ad_valorem"] == pytest.approx(0.05)
    assert line.loc["0305.59.00.01", "mfn_ad_valorem"] == 0.0
    assert line.loc["2208.40.20.00", "specific_unit"] == "pf.liter"
    assert line.loc["1701.13.10.00", "rate_kind"] == "other"
    assert line.loc["9903.88.03", "rate_kind"] == "other"
    assert (frame["chapter99"].map(len) == 0).all()  # the CSV has no footnotes
    rates = hts.hts8_rates(frame)
    assert rates["hts8"].is_unique
    assert {"01012100", "28053000", "03055900", "07144010"} <= set(rates["hts8"])


def test_revision_from_name() -> None:
    assert hts.revision_from_name("hts_2025_basic_edition.csv") == "2025 Basic"
    assert hts.revision_from_name("data/raw/hts/hts_2024_revision_07.json") == "2024 Revision 7"
    assert hts.revision_from_name("chapter85.json") is None


def _csv_text(hts_dir: Path) -> str:
    return (hts_dir / "hts_2025_revision_3.csv").read_text(encoding="utf-8-sig")


def test_bad_indent_names_line_and_field(hts_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(_csv_text(hts_dir).replace('"0101.30.00.00","1"', '"0101.30.00.00","one"'))
    with pytest.raises(InputFormatError, match=r"bad.csv: line 7, field indent: indent 'one'"):
        hts.read(path)


def test_duplicated_number(hts_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    raw = json.loads((hts_dir / "chapter85_excerpt.json").read_text())
    raw.append(dict(raw[4]))
    path.write_text(json.dumps(raw))
    with pytest.raises(InputFormatError, match=r"8501.10.40 appears twice \(line 5 and line 18\)"):
        hts.read(path)


def test_wrong_header_and_missing_key(hts_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(_csv_text(hts_dir).replace("General Rate of Duty", "General"))
    with pytest.raises(InputFormatError, match="line 1: header lacks General Rate of Duty"):
        hts.read(path)
    raw = json.loads((hts_dir / "chapter85_excerpt.json").read_text())
    del raw[3]["general"]
    path = tmp_path / "key.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(InputFormatError, match="line 4: missing key"):
        hts.read(path)


def test_truncated_files(hts_dir: Path, tmp_path: Path) -> None:
    text = (hts_dir / "chapter85_excerpt.json").read_text()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(InputFormatError, match=r"cut.json: line .*not valid JSON"):
        hts.read(path)
    csv_text = _csv_text(hts_dir)
    path = tmp_path / "cut.csv"
    path.write_text(csv_text[: csv_text.index("Rare-earth metals") + 5])
    with pytest.raises(InputFormatError, match=r"cut\.csv: line 12"):
        hts.read(path)


def test_malformed_number(hts_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "number.csv"
    path.write_text(_csv_text(hts_dir).replace('"0101.30.00.00"', '"0101.3O.00.00"'))
    with pytest.raises(InputFormatError, match="line 7, field htsno"):
        hts.read(path)


@pytest.mark.real_data
def test_real_csv_mfn_rates_agree_with_rate_text(shared_data: Path) -> None:
    path = shared_data / "hts" / "hts_2025_basic_edition.csv"
    frame = hts.read(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    numbered = [row for row in rows if row["HTS Number"]]
    assert len(frame) == len(numbered)
    assert set(frame["revision"]) == {"2025 Basic"}

    # every line whose own rate text is purely ad valorem (or Free) gets that fraction
    pure = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*$")
    own = {row["HTS Number"]: row["General Rate of Duty"] for row in numbered}
    by_number = frame.set_index("htsno")
    checked = 0
    for number, text in own.items():
        match = pure.match(text)
        if match:
            expected = float(match.group(1)) / 100
            assert by_number.at[number, "mfn_ad_valorem"] == pytest.approx(expected), number
            checked += 1
        elif text.strip() == "Free":
            assert by_number.at[number, "mfn_ad_valorem"] == 0.0, number
    assert checked > 5_000

    # HS8 products: one rate each, and every HS10 line under an 8-digit line carries that line's text
    rates = hts.hts8_rates(frame)
    assert rates["hts8"].is_unique
    eight = {
        row["HTS Number"].replace(".", ""): row["General Rate of Duty"]
        for row in numbered
        if len(row["HTS Number"].replace(".", "")) == 8
    }
    tens = frame[(frame["level"] == 10) & frame["hts8"].isin(eight)]
    assert (tens["general"] == tens["hts8"].map(eight)).all()
    assert frame.loc[frame["hts10"] == "8505110070", "mfn_ad_valorem"].item() == pytest.approx(0.021)


@pytest.mark.real_data
@pytest.mark.parametrize("name", ["chapter01.json", "chapter28.json", "chapter85.json"])
def test_real_json_chapters(shared_data: Path, name: str) -> None:
    path = shared_data / "hts" / name
    raw = json.loads(path.read_text())
    frame = hts.read(path)
    assert len(frame) == sum(1 for item in raw if item["htsno"])
    # every general-column "See 9903…" footnote of a line appears in its chapter99 list
    refs = re.compile(r"99\d\d\.\d\d\.\d\d")
    by_number = frame.set_index("htsno")
    for item in raw:
        for note in item["footnotes"] or []:
            if "general" in note["columns"]:
                for ref in refs.findall(note["value"]):
                    assert ref in by_number.at[item["htsno"], "chapter99"]
    assert frame["mfn_ad_valorem"].dropna().between(0, 1).all()


# --- fetch against a loopback server -------------------------------------------------------------------


def test_fetch_saves_export_and_reads_it(econ_home: Path, hts_dir: Path, httpserver, monkeypatch) -> None:
    monkeypatch.setattr("econ.sources.fetch.http.time.sleep", lambda seconds: None)
    body = (hts_dir / "chapter85_excerpt.json").read_bytes()
    httpserver.expect_ordered_request("/reststop/exportList").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(
        "/reststop/exportList", query_string={"from": "8501", "to": "8548", "format": "JSON"}
    ).respond_with_data(body, content_type="application/json")
    monkeypatch.setenv("ECON_HTS_URL", httpserver.url_for("/reststop"))
    (path,) = fetch_hts.fetch(from_code="8501", to_code="8548", options=FetchOptions(vintage="2026-11"))
    assert path == econ_home / "data" / "raw" / "hts" / "2026-11" / "hts_current_8501_8548.json"
    assert path.read_bytes() == body
    assert len(hts.read(path, revision="2025 Revision 19")) == len(
        hts.read(hts_dir / "chapter85_excerpt.json")
    )


def test_fetch_rejects_html_and_bad_codes(econ_home: Path, httpserver) -> None:
    from econ.errors import FetchError, ParameterError

    httpserver.expect_request("/reststop/exportList").respond_with_data("<html>maintenance</html>")
    options = FetchOptions(vintage="v", base_url=httpserver.url_for("/reststop"))
    with pytest.raises(FetchError, match="HTS service answered with a web page"):
        fetch_hts.fetch(options=options)
    assert not list((econ_home / "data" / "raw" / "hts" / "v").glob("*.json"))
    with pytest.raises(ParameterError, match="from_code"):
        fetch_hts.fetch(from_code="85", options=options)


def test_fetch_past_revisions_from_the_archive(econ_home: Path, hts_dir: Path, httpserver) -> None:
    from econ.errors import ParameterError

    body = (hts_dir / "chapter85_excerpt.json").read_bytes()
    httpserver.expect_request("/mirror/archive/hts_2025_revision_19_json.json").respond_with_data(body)
    httpserver.expect_request("/mirror/archive/hts_2026_basic_edition_json.json").respond_with_data(body)
    options = FetchOptions(vintage="v", base_url=httpserver.url_for("/mirror"))
    paths = fetch_hts.fetch(revisions=["2025 Revision 19", "2026 basic"], current=False, options=options)
    assert [p.name for p in paths] == ["hts_2025_revision_19.json", "hts_2026_basic_edition.json"]
    assert set(hts.read(paths[0])["revision"]) == {"2025 Revision 19"}
    assert set(hts.read(paths[1])["revision"]) == {"2026 Basic"}
    with pytest.raises(ParameterError, match="revisions"):
        fetch_hts.plan(revisions=["Revision 19"], options=options)
