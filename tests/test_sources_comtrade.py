"""UN Comtrade v1 records: own fixtures (JSON and CSV), the real sample, bad input, fetch on loopback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from econ.errors import FetchError, InputFormatError, ParameterError
from econ.sources import comtrade
from econ.sources.fetch import comtrade as fetch_comtrade
from econ.sources.fetch.options import FetchOptions


@pytest.fixture()
def comtrade_dir(fixtures: Path) -> Path:
    return fixtures / "comtrade"


def _is_total(record: dict) -> bool:
    return (
        str(record["partner2Code"]).strip() == "0"
        and str(record["customsCode"]).strip() == "C00"
        and str(record["motCode"]).strip() == "0"
    )


def test_json_keeps_totals_only(comtrade_dir: Path) -> None:
    path = comtrade_dir / "us_imports_china_2024m.json"
    records = json.loads(path.read_text())["data"]
    frame = comtrade.read(path)
    totals = [r for r in records if _is_total(r)]
    assert len(frame) == len(totals)
    assert frame.attrs["dropped_breakdowns"] == len(records) - len(totals)
    assert frame["primary_value"].sum() == pytest.approx(sum(r["primaryValue"] for r in totals))
    assert frame["period"].dtype == pd.PeriodDtype("M")
    assert set(frame["period"].astype(str)) == {"2024-01", "2024-02"}
    assert set(frame["cmd_code"]) == {"8505", "280530"}
    assert frame["reporter"].iloc[0] == "842" and frame["partner"].iloc[0] == "156"
    assert frame["is_reported"].dtype == bool
    everything = comtrade.read(path, totals_only=False)
    assert len(everything) == len(records)


def test_csv_annual_with_padded_mos_code(comtrade_dir: Path) -> None:
    frame = comtrade.read(comtrade_dir / "semiconductors_annual.csv")
    assert list(frame["year"]) == [2022, 2023]
    assert frame["period"].isna().all()  # annual records: refMonth 52, no month
    assert set(frame["mos_code"]) == {"0"}  # "0 " stripped
    assert frame.attrs["dropped_breakdowns"] == 2


def _csv_rows(comtrade_dir: Path) -> list[list[str]]:
    with open(comtrade_dir / "semiconductors_annual.csv", newline="") as handle:
        return list(csv.reader(handle))


def _write_csv(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_bad_inputs(comtrade_dir: Path, tmp_path: Path) -> None:
    rows = _csv_rows(comtrade_dir)
    value = rows[0].index("primaryValue")
    rows[2][value] = "n/a"
    with pytest.raises(InputFormatError, match=r"bad.csv: line 3, field primaryValue: primaryValue is 'n/a'"):
        comtrade.read(_write_csv(tmp_path, rows))

    rows = _csv_rows(comtrade_dir)
    rows[0][rows[0].index("partner2Code")] = "partner2"
    with pytest.raises(InputFormatError, match=r"missing field.*partner2Code"):
        comtrade.read(_write_csv(tmp_path, rows))

    rows = _csv_rows(comtrade_dir)
    rows.append(rows[1])
    with pytest.raises(InputFormatError, match="line 2 and line 6 repeat the key"):
        comtrade.read(_write_csv(tmp_path, rows))

    text = (comtrade_dir / "semiconductors_annual.csv").read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: len(text) - 40])
    with pytest.raises(InputFormatError, match=r"cut\.csv: line 5: row has"):
        comtrade.read(cut)

    text = (comtrade_dir / "us_imports_china_2024m.json").read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[:1000])
    with pytest.raises(InputFormatError, match="not valid JSON"):
        comtrade.read(cut)


@pytest.mark.real_data
def test_real_sample_totals(shared_data: Path) -> None:
    path = shared_data / "comtrade" / "semiconductor_trade.csv"
    with open(path, newline="") as handle:
        records = list(csv.DictReader(handle))
    totals = [r for r in records if _is_total(r)]
    frame = comtrade.read(path)
    assert len(records) == 173 and len(frame) == len(totals) == 15
    assert frame["primary_value"].sum() == pytest.approx(sum(float(r["primaryValue"]) for r in totals))
    assert frame["year"].is_unique and frame["year"].min() == 2010
    assert set(frame["reporter"]) == {"156"} and set(frame["partner"]) == {"842"}
    assert frame.attrs["dropped_breakdowns"] == 158
    # the breakdown by second partner would have double counted
    assert comtrade.read(path, totals_only=False)["primary_value"].sum() > frame["primary_value"].sum()


def test_fetch_header_key_and_public_fallback(
    econ_home: Path, comtrade_dir: Path, httpserver, monkeypatch
) -> None:
    monkeypatch.setattr("econ.sources.fetch.http.time.sleep", lambda seconds: None)
    monkeypatch.setenv("COMTRADE_API_KEY", "ct-secret")
    body = (comtrade_dir / "us_imports_china_2024m.json").read_bytes()
    httpserver.expect_ordered_request("/data/v1/get/C/M/HS").respond_with_data(
        "", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request(
        "/data/v1/get/C/M/HS",
        query_string={
            "reporterCode": "842",
            "partnerCode": "156",
            "partner2Code": "0",
            "customsCode": "C00",
            "motCode": "0",
            "flowCode": "M",
            "cmdCode": "8505,280530",
            "period": "202401,202402",
        },
        headers={"Ocp-Apim-Subscription-Key": "ct-secret"},
    ).respond_with_data(body)
    options = FetchOptions(vintage="v", base_url=httpserver.url_for("/"))
    (path,) = fetch_comtrade.fetch(
        commodities=["8505", "280530"], periods=["202401", "202402"], freq="M", options=options
    )
    assert path.read_bytes() == body and "ct-secret" not in path.name
    assert len(comtrade.read(path)) == 3
    assert all("ct-secret" not in m.read_text() for m in (path.parent / ".fetch").iterdir())

    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    httpserver.expect_request("/public/v1/preview/C/A/HS").respond_with_json(
        {"data": None, "error": "Invalid period"}
    )
    with pytest.raises(FetchError, match="Invalid period"):
        fetch_comtrade.fetch(periods=["2024"], options=options)
    with pytest.raises(ParameterError) as caught:
        fetch_comtrade.fetch(periods=["2024-01"], freq="M", reporters=["USA"])
    assert {name for name, _ in caught.value.problems} == {"periods", "reporters"}


def test_keyless_preview_at_its_cap_is_not_cached(econ_home: Path, httpserver, monkeypatch) -> None:
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    fixture = Path(__file__).parent / "fixtures" / "comtrade" / "us_imports_china_2024m.json"
    record = json.loads(fixture.read_text())["data"][0]
    data = [{**record, "cmdCode": f"{n:06d}"} for n in range(500)]
    httpserver.expect_request("/public/v1/preview/C/A/HS").respond_with_json({"count": 500, "data": data})
    options = FetchOptions(vintage="v", base_url=httpserver.url_for("/"), retries=0)
    with pytest.raises(FetchError, match="probably cut"):
        fetch_comtrade.fetch(periods=["2024"], options=options)
    assert not list((econ_home / "data" / "raw" / "comtrade" / "v").glob("*.json"))


def test_a_download_without_iso_codes_names_countries_from_their_m49_codes(shared_data: Path) -> None:
    # Comtrade's CSV download leaves reporterISO, partnerISO and the descriptions blank: the panel must
    # still say China's imports from the USA (842 is Comtrade's USA, where ISO 3166 has 840).
    from econ.panel.other_sources import world_trade_panel

    world = world_trade_panel([shared_data / "comtrade" / "semiconductor_trade.csv"])
    assert set(world["reporter"]) == {"CHN"} and set(world["partner"]) == {"USA"}
    assert set(world["reporter_name"]) == {"China"} and set(world["flow"]) == {"Import"}
    assert len(world) == 15
