"""Census International Trade API reader: own fixtures in the API's format, the real sample, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.errors import FetchError, InputFormatError, OfflineError, ParameterError
from econ.sources import census
from econ.sources.fetch import census as fetch_census
from econ.sources.fetch.options import FetchOptions


@pytest.fixture()
def census_dir(fixtures: Path) -> Path:
    return fixtures / "census"


def _raw(path: Path) -> list[list]:
    return json.loads(path.read_text())


def test_hs10_layout_drops_aggregates_and_types_columns(census_dir: Path) -> None:
    path = census_dir / "imports_hs10_2024.json"
    frame = census.read(path)
    raw = _raw(path)
    header = raw[0]
    det = [row for row in raw[1:] if row[header.index("SUMMARY_LVL")] == "DET"]
    assert len(frame) == len(det)
    assert list(frame.columns[:4]) == ["commodity", "partner", "partner_name", "period"]
    for name in ("con_val_mo", "gen_val_mo", "cal_dut_mo", "con_qy1_mo"):
        assert frame[name].dtype == np.float64
    assert frame["period"].dtype == pd.PeriodDtype("M")
    assert frame["unit_qy1"].dtype == "str"
    assert "commodity_level" in frame.columns and "summary_lvl" in frame.columns
    # the repeated I_COMMODITY column is not duplicated
    assert list(frame.columns).count("commodity") == 1 and "i_commodity" not in frame.columns
    # leading zeros survive
    assert "0101210010" in set(frame["commodity"])
    # totals against an independent sum of DET rows
    column = header.index("CON_VAL_MO")
    assert frame["con_val_mo"].sum() == pytest.approx(sum(float(row[column]) for row in det))
    assert set(frame["partner"]) == {row[1] for row in det}
    # a null quantity is missing, not zero
    china_oxide = frame[(frame["commodity"] == "2846902010") & (frame["partner"] == "5700")]
    assert china_oxide["con_qy1_mo"].isna().all()
    assert frame.loc[frame["partner"] == "5700", "period"].min() == pd.Period("2024-11", "M")


def test_keep_aggregates_keeps_every_row(census_dir: Path) -> None:
    path = census_dir / "imports_hs10_2024.json"
    frame = census.read(path, keep_aggregates=True)
    assert len(frame) == len(_raw(path)) - 1
    assert {"-", "0003", "5XXX", "1XXX"} <= set(frame["partner"])


def test_year_month_columns_and_repeated_predicate(census_dir: Path) -> None:
    frame = census.read(census_dir / "exports_hs_yearmonth.json")
    assert "0022" not in set(frame["partner"])  # OECD grouping dropped (no SUMMARY_LVL in this file)
    assert len(frame) == 4
    assert set(frame["period"].astype(str)) == {"2024-03", "2024-04"}  # MONTH "4" padded to 04
    assert frame["all_val_mo"].dtype == np.float64
    assert frame["e_commodity_sdesc"].iloc[0] == "PROCESSORS AND CONTROLLERS"
    assert np.isnan(frame.loc[frame["commodity"] == "280530", "qty_1_mo"].iloc[0])


def test_empty_body_means_zero_rows_with_columns(census_dir: Path) -> None:
    frame = census.read(census_dir / "imports_naics_empty.json", variables=["GEN_VAL_MO"])
    assert len(frame) == 0
    assert list(frame.columns) == [
        "commodity",
        "partner",
        "partner_name",
        "period",
        "gen_val_mo",
        "source_file",
    ]
    assert frame["period"].dtype == pd.PeriodDtype("M")


def test_invalid_key_page_says_key(census_dir: Path) -> None:
    with pytest.raises(InputFormatError, match="key is missing or invalid") as caught:
        census.read(census_dir / "invalid_key.html")
    assert "invalid_key.html" in str(caught.value)


def _write(tmp_path: Path, rows: list[list], name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(rows))
    return path


def test_text_in_numeric_field_names_row_and_field(census_dir: Path, tmp_path: Path) -> None:
    rows = _raw(census_dir / "imports_hs10_2024.json")
    rows[5][rows[0].index("CAL_DUT_MO")] = "(D)"
    with pytest.raises(InputFormatError, match=r"row 5, field CAL_DUT_MO") as caught:
        census.read(_write(tmp_path, rows))
    assert "bad.json" in str(caught.value) and "(D)" in str(caught.value)


def test_truncated_file(census_dir: Path, tmp_path: Path) -> None:
    text = (census_dir / "imports_hs10_2024.json").read_text()
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(InputFormatError, match=r"truncated.json: line \d+, column \d+: not valid JSON"):
        census.read(path)


def test_wrong_header(census_dir: Path, tmp_path: Path) -> None:
    rows = _raw(census_dir / "imports_hs10_2024.json")
    rows[0] = [name.replace("I_COMMODITY", "COMMODITY") for name in rows[0]]
    with pytest.raises(InputFormatError, match="row 0: no commodity column"):
        census.read(_write(tmp_path, rows))
    rows = _raw(census_dir / "imports_hs10_2024.json")
    rows[0][rows[0].index("time")] = "TIME"
    with pytest.raises(InputFormatError, match="no month"):
        census.read(_write(tmp_path, rows))


def test_short_row(census_dir: Path, tmp_path: Path) -> None:
    rows = _raw(census_dir / "imports_hs10_2024.json")
    rows[3] = rows[3][:-2]
    with pytest.raises(InputFormatError, match="row 3: row has 10 cells, the header has 12"):
        census.read(_write(tmp_path, rows))


def test_duplicated_key(census_dir: Path, tmp_path: Path) -> None:
    rows = _raw(census_dir / "imports_hs10_2024.json")
    rows.append(list(rows[4]))
    with pytest.raises(InputFormatError, match=r"rows 4 and 15 repeat the key"):
        census.read(_write(tmp_path, rows))


def test_bad_month(census_dir: Path, tmp_path: Path) -> None:
    rows = _raw(census_dir / "imports_hs10_2024.json")
    rows[2][rows[0].index("time")] = "2024-13"
    with pytest.raises(InputFormatError, match="row 2, field time"):
        census.read(_write(tmp_path, rows))


@pytest.mark.real_data
def test_real_naics_sample_totals(shared_data: Path) -> None:
    path = shared_data / "census" / "imports_naics_3251_2024.json"
    with open(path) as handle:
        raw = json.load(handle)
    header = raw[0]
    code, value = header.index("CTY_CODE"), header.index("GEN_VAL_YR")
    countries = [row for row in raw[1:] if row[code].isdigit() and not row[code].startswith("0")]
    total_row = next(row for row in raw[1:] if row[code] == "-")

    frame = census.read(path)
    assert len(frame) == len(countries) == 157
    assert frame["gen_val_yr"].sum() == sum(int(row[value]) for row in countries)
    # in this response the countries add up exactly to the "-" total row
    assert frame["gen_val_yr"].sum() == int(total_row[value])
    assert set(frame["commodity"]) == {"3251"}
    assert set(frame["period"].astype(str)) == {"2024-12"}
    assert frame.loc[frame["partner"] == "5700", "partner_name"].item() == "CHINA"

    everything = census.read(path, keep_aggregates=True)
    assert len(everything) == len(raw) - 1


def test_endpoint_override(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fetch_census.endpoint("imports/hs").startswith("https://api.census.gov/")
    monkeypatch.setenv("ECON_CENSUS_URL", "http://127.0.0.1:9/x/")
    assert fetch_census.endpoint("exports/naics") == "http://127.0.0.1:9/x/exports/naics"
    with pytest.raises(ValueError, match="dataset"):
        fetch_census.endpoint("imports/sitc")  # type: ignore[arg-type]


# --- fetch against a loopback server -------------------------------------------------------------------

KEY = "census-test-key-123"


@pytest.fixture()
def census_env(econ_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    monkeypatch.setattr("econ.sources.fetch.http.time.sleep", lambda seconds: None)
    return econ_home


def test_fetch_writes_months_unchanged(census_env: Path, census_dir: Path, httpserver) -> None:
    body = (census_dir / "imports_hs10_2024.json").read_bytes()
    httpserver.expect_request(
        "/intltrade/imports/hs",
        query_string={
            "get": ",".join(census.DEFAULT_VARIABLES["imports/hs"]),
            "time": "2024-11",
            "COMM_LVL": "HS10",
            "I_COMMODITY": "85*",
            "key": KEY,
        },
    ).respond_with_data(body, content_type="application/json")
    httpserver.expect_request(
        "/intltrade/imports/hs",
        query_string={
            "get": ",".join(census.DEFAULT_VARIABLES["imports/hs"]),
            "time": "2024-12",
            "COMM_LVL": "HS10",
            "I_COMMODITY": "85*",
            "key": KEY,
        },
    ).respond_with_data("", status=204)
    options = FetchOptions(vintage="test", base_url=httpserver.url_for("/intltrade"))
    paths = fetch_census.fetch("imports/hs", year=2024, months=[11, 12], commodity="85*", options=options)
    folder = census_env / "data" / "raw" / "census" / "test"
    assert paths == [folder / "imports_hs10_2024-11.json", folder / "imports_hs10_2024-12.json"]
    assert paths[0].read_bytes() == body
    assert len(census.read(paths[0])) == len(census.read(census_dir / "imports_hs10_2024.json"))
    assert len(census.read(paths[1])) == 0
    for meta in (folder / ".fetch").iterdir():
        assert KEY not in meta.read_text()
    # a second run finds both files and asks nothing
    requests_before = len(httpserver.log)
    fetch_census.fetch("imports/hs", year=2024, months=[11, 12], commodity="85*", options=options)
    assert len(httpserver.log) == requests_before


def test_fetch_invalid_key_page_not_cached(census_env: Path, census_dir: Path, httpserver) -> None:
    httpserver.expect_request("/intltrade/exports/naics").respond_with_data(
        (census_dir / "invalid_key.html").read_bytes(), content_type="text/html"
    )
    with pytest.raises(FetchError, match="key is missing or invalid") as caught:
        fetch_census.fetch(
            "exports/naics",
            year=2024,
            months=[1],
            options=FetchOptions(vintage="v", base_url=httpserver.url_for("/intltrade")),
        )
    assert KEY not in str(caught.value)
    assert not (census_env / "data" / "raw" / "census" / "v" / "exports_naics_2024-01.json").exists()


def test_fetch_retries_500_and_429(census_env: Path, census_dir: Path, httpserver) -> None:
    body = (census_dir / "exports_hs_yearmonth.json").read_bytes()
    httpserver.expect_ordered_request("/t/exports/hs").respond_with_data("Internal error", status=500)
    httpserver.expect_ordered_request("/t/exports/hs").respond_with_data(
        "", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/t/exports/hs").respond_with_data(body)
    (path,) = fetch_census.fetch(
        "exports/hs",
        year=2024,
        months=[3],
        level=6,
        options=FetchOptions(vintage="v", base_url=httpserver.url_for("/t")),
    )
    assert path.name == "exports_hs6_2024-03.json" and path.read_bytes() == body


def test_fetch_timeout_and_offline(census_env: Path, httpserver) -> None:
    import threading

    from werkzeug import Response

    httpserver.expect_request("/t/imports/naics").respond_with_handler(
        lambda request: threading.Event().wait(0.5) or Response("[]")
    )
    with pytest.raises(FetchError, match="read timeout"):
        fetch_census.fetch(
            "imports/naics",
            year=2024,
            months=[1],
            options=FetchOptions(vintage="v", timeout=0.1, retries=0, base_url=httpserver.url_for("/t")),
        )
    with pytest.raises(OfflineError, match=r"key=REDACTED.*download the file by hand into"):
        fetch_census.fetch(
            "imports/naics",
            year=2024,
            months=[1],
            options=FetchOptions(vintage="v", retries=0, base_url="http://127.0.0.1:9/t"),
        )


def test_fetch_parameters_checked(census_env: Path) -> None:
    with pytest.raises(ParameterError) as caught:
        fetch_census.fetch("imports/sitc", year=1990, months=[13], level=5)  # type: ignore[arg-type]
    assert {name for name, _ in caught.value.problems} == {"dataset", "year", "months", "level"}


def test_empty_month_has_the_columns_fetch_requests(tmp_path: Path, census_dir: Path) -> None:
    empty = tmp_path / "imports_hs10_2024-12.json"
    empty.write_bytes(b"")
    frame = census.read(empty)
    full = census.read(census_dir / "imports_hs10_2024.json")
    assert len(frame) == 0
    assert set(frame.columns) == set(full.columns)
    assert frame["con_val_mo"].dtype == np.float64 and frame["unit_qy1"].dtype == "str"
    combined = pd.concat([full, frame], ignore_index=True)
    assert combined["con_val_mo"].dtype == np.float64 and len(combined) == len(full)
    assert list(census.read(empty, variables=()).columns) == [
        "commodity",
        "partner",
        "partner_name",
        "period",
        "source_file",
    ]


def test_header_only_response(tmp_path: Path) -> None:
    path = _write(tmp_path, [["NAICS", "CTY_CODE", "GEN_VAL_MO", "time"]])
    frame = census.read(path)
    assert len(frame) == 0 and frame["gen_val_mo"].dtype == np.float64
