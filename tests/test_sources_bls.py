"""BLS flat files and API v2 JSON: own fixtures, the real series files, bad input, fetch on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.errors import FetchError, InputFormatError, OfflineError, ParameterError
from econ.sources import bls
from econ.sources.fetch import bls as fetch_bls
from econ.sources.fetch.options import FetchOptions


@pytest.fixture()
def bls_dir(fixtures: Path) -> Path:
    return fixtures / "bls"


def _data_lines(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text().splitlines()[1:]]


def test_series_metadata_padded_ids_and_base_periods(bls_dir: Path) -> None:
    frame = bls.read(bls_dir / "ei.series")
    assert list(frame["series_id"]) == ["EIUCOCHNTOT", "EIUCOCHNZ335", "EIUIR"]  # padding stripped
    assert frame.set_index("series_id").loc["EIUCOCHNZ335", "base"] == "June 2012=100"
    assert frame["base"].nunique() == 3  # base periods differ between series
    assert frame["begin_year"].dtype == "Int16"


def test_data_monthly_annual_and_missing(bls_dir: Path) -> None:
    path = bls_dir / "ei.data.0.Current"
    lines = _data_lines(path)
    monthly = bls.read(path)
    assert set(monthly["bls_period"]) <= {f"M{m:02d}" for m in range(1, 13)}
    assert len(monthly) == sum(1 for row in lines if row[2] != "M13")
    assert monthly["period"].dtype == pd.PeriodDtype("M")
    # '-' is missing, with its footnote kept
    gap = monthly[(monthly["series_id"] == "EIUCOCHNTOT") & (monthly["period"] == pd.Period("2025-01", "M"))]
    assert np.isnan(gap["value"].item()) and gap["footnote_codes"].item() == "5"
    # values against an independent sum of the M01–M12 lines
    expected = sum(float(row[3]) for row in lines if row[2] != "M13" and row[3].strip() != "-")
    assert monthly["value"].sum() == pytest.approx(expected)

    annual = bls.read(path, periods="annual")
    assert set(annual["bls_period"]) == {"M13"} and annual["period"].isna().all()
    assert len(annual) == sum(1 for row in lines if row[2] == "M13")
    assert len(bls.read(path, periods="all")) == len(lines)
    with pytest.raises(ValueError, match="periods"):
        bls.read(path, periods="weekly")  # type: ignore[arg-type]


def test_footnotes(bls_dir: Path) -> None:
    notes = bls.read(bls_dir / "ei.footnote")
    assert set(notes["footnote_code"]) == {"P", "5"}


def test_api_json_same_columns(bls_dir: Path) -> None:
    api = bls.read(bls_dir / "api_EIUCOCHNTOT.json", periods="all")
    flat = bls.read(bls_dir / "ei.data.0.Current", periods="all")
    assert list(api.columns) == list(flat.columns)
    assert len(api) == 4
    row = api[api["bls_period"] == "M02"]
    assert row["value"].item() == 100.7 and row["footnote_codes"].item() == "P"
    assert np.isnan(api.loc[api["bls_period"] == "M01", "value"].item())
    merged = api.merge(flat, on=["series_id", "year", "bls_period"], suffixes=("_api", "_flat"))
    assert np.allclose(merged["value_api"], merged["value_flat"], equal_nan=True)


def test_api_refusal_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "refused.json"
    path.write_text(json.dumps({"status": "REQUEST_NOT_PROCESSED", "message": ["daily threshold reached"]}))
    with pytest.raises(InputFormatError, match="daily threshold"):
        bls.read(path)


def _rewrite(bls_dir: Path, tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    text = (bls_dir / "ei.data.0.Current").read_text()
    assert old in text
    path = tmp_path / "ei.data.0.Current"
    path.write_text(text.replace(old, new, count))
    return path


def test_text_in_value_names_line_and_field(bls_dir: Path, tmp_path: Path) -> None:
    path = _rewrite(bls_dir, tmp_path, "101.2", "10l.2")
    with pytest.raises(InputFormatError, match=r"ei.data.0.Current: line 2, field value: value is '10l.2'"):
        bls.read(path)


def test_bad_period(bls_dir: Path, tmp_path: Path) -> None:
    path = _rewrite(bls_dir, tmp_path, "M12", "M14")
    with pytest.raises(InputFormatError, match="line 3, field period"):
        bls.read(path)


def test_wrong_header_truncated_and_duplicate(bls_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="line 1: not a BLS file"):
        bls.read(_rewrite(bls_dir, tmp_path, "value", "val"))
    with pytest.raises(InputFormatError, match="header lacks value"):
        bls.read_data(_rewrite(bls_dir, tmp_path, "value", "val"))
    text = (bls_dir / "ei.data.0.Current").read_text()
    cut = tmp_path / "cut.data"
    cut.write_text(text[: text.index("118.3") - 3])
    with pytest.raises(InputFormatError, match=r"cut.data: line 8: row has 4 fields"):
        bls.read(cut)
    lines = text.splitlines(keepends=True)
    dup = tmp_path / "dup.data"
    dup.write_text("".join([*lines, lines[2]]))
    with pytest.raises(InputFormatError, match=r"EIUCOCHNTOT 2024 M12 appears twice \(line 3 and line 16\)"):
        bls.read(dup)


@pytest.mark.real_data
def test_real_series_files(shared_data: Path) -> None:
    path = shared_data / "bls" / "wp.series"
    raw_lines = path.read_bytes().split(b"\r\n")
    body = [line for line in raw_lines[1:] if line.strip()]
    frame = bls.read(path)
    assert len(frame) == len(body) == 5536
    assert frame["series_id"].str.fullmatch(r"WP[SU][0-9A-Z]+").all()
    assert not frame["series_id"].str.contains(" ").any()
    assert frame.set_index("series_id").loc["WPS00000000", "base"] == "198200"

    excerpt = bls.read(shared_data / "bls" / "ei.series.excerpt")
    assert len(excerpt) == 13
    china = excerpt.set_index("series_id").loc["EIUCOCHNTOT"]
    assert china["base_period"] == "December 2003=100" and china["index_code"] == "CO"


# --- fetch against a loopback server -------------------------------------------------------------------


@pytest.fixture()
def quiet(econ_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("econ.sources.fetch.http.time.sleep", lambda seconds: None)
    return econ_home


def test_fetch_flat_files(quiet: Path, bls_dir: Path, httpserver) -> None:
    for name in ("ei.series", "ei.data.0.Current"):
        httpserver.expect_ordered_request(f"/pub/time.series/ei/{name}").respond_with_data(
            (bls_dir / name).read_bytes()
        )
    httpserver.expect_ordered_request("/pub/time.series/ei/ei.footnote").respond_with_data("", status=500)
    httpserver.expect_ordered_request("/pub/time.series/ei/ei.footnote").respond_with_data(
        (bls_dir / "ei.footnote").read_bytes()
    )
    paths = fetch_bls.fetch(
        "ei", options=FetchOptions(vintage="v", base_url=httpserver.url_for("/pub/time.series"))
    )
    assert [p.name for p in paths] == ["ei.series", "ei.data.0.Current", "ei.footnote"]
    assert all(p.read_bytes() == (bls_dir / p.name).read_bytes() for p in paths)
    assert "econ/" in httpserver.log[0][0].headers["User-Agent"]
    with pytest.raises(ParameterError):
        fetch_bls.fetch("ce")  # type: ignore[arg-type]


def test_fetch_api_key_in_body_only(quiet: Path, bls_dir: Path, httpserver, monkeypatch) -> None:
    monkeypatch.setenv("BLS_API_KEY", "bls-secret-999")
    body = (bls_dir / "api_EIUCOCHNTOT.json").read_bytes()
    httpserver.expect_request("/api", method="POST").respond_with_data(body, content_type="application/json")
    (path,) = fetch_bls.fetch(
        series=["EIUCOCHNTOT"],
        start_year=2024,
        end_year=2025,
        options=FetchOptions(vintage="v", base_url=httpserver.url_for("/api")),
    )
    sent = json.loads(httpserver.log[0][0].data)
    assert sent["registrationkey"] == "bls-secret-999" and sent["seriesid"] == ["EIUCOCHNTOT"]
    assert path.read_bytes() == body and "bls-secret" not in path.name
    assert all("bls-secret" not in meta.read_text() for meta in (path.parent / ".fetch").iterdir())


def test_fetch_api_refusal_not_cached(quiet: Path, httpserver, monkeypatch) -> None:
    monkeypatch.setenv("BLS_API_KEY", "bls-test-key-000")
    httpserver.expect_request("/api", method="POST").respond_with_json(
        {"status": "REQUEST_NOT_PROCESSED", "message": ["The key provided by the User is invalid."]}
    )
    with pytest.raises(FetchError, match="key provided by the User is invalid"):
        fetch_bls.fetch(
            series=["EIUIR"],
            start_year=2024,
            end_year=2025,
            options=FetchOptions(vintage="v", base_url=httpserver.url_for("/api")),
        )
    assert not list((quiet / "data" / "raw" / "bls" / "v").glob("*.json"))


def test_fetch_offline(quiet: Path) -> None:
    with pytest.raises(OfflineError, match="download the file by hand"):
        fetch_bls.fetch(
            "wp",
            files=["series"],
            options=FetchOptions(vintage="v", retries=0, base_url="http://127.0.0.1:9/pub"),
        )


# --- prices: observations with what each series measures ------------------------------------------------


def test_prices_join_series_metadata(bls_dir: Path) -> None:
    observations = bls.read(bls_dir / "ei.data.0.Current")
    prices = bls.prices(observations, bls.read(bls_dir / "ei.series"))
    assert list(prices.columns) == list(bls.PRICE_COLUMNS)
    assert len(prices) == len(observations) and not prices.attrs["notes"]
    by_id = prices.drop_duplicates("series_id").set_index("series_id")
    # written from the series file's own words
    china = by_id.loc["EIUCOCHNZ335"]
    assert (china["measure"], china["origin"], china["naics"]) == ("import_by_origin", "China", "335")
    assert china["item"] == "Electrical equipment, appliance, and component manufacturing"
    assert china["base_period"] == pd.Period("2012-06", "M") and china["base_year"] == 2012
    total = by_id.loc["EIUCOCHNTOT"]
    assert pd.isna(total["naics"]) and total["base_period"] == pd.Period("2003-12", "M")
    everything = by_id.loc["EIUIR"]
    assert everything["measure"] == "import" and pd.isna(everything["origin"])
    assert pd.isna(everything["base_period"]) and everything["base_year"] == 2000  # "2000=100": a year
    assert prices["value"].sum() == pytest.approx(observations["value"].sum())


def test_prices_report_series_missing_from_the_series_file(bls_dir: Path) -> None:
    from econ.sources.notes import notes_of

    observations = bls.read(bls_dir / "ei.data.0.Current")
    series = bls.read(bls_dir / "ei.series")
    prices = bls.prices(observations, series[series["series_id"] != "EIUIR"])
    (note,) = notes_of(prices)
    assert note.kind == "missing_code" and note.codes == ("EIUIR",)
    assert prices.loc[prices["series_id"] == "EIUIR", "measure"].isna().all()
    with pytest.raises(InputFormatError, match="EIUIR"):
        bls.prices(observations, series[series["series_id"] != "EIUIR"], strict=True)


@pytest.mark.real_data
def test_prices_on_the_real_series_files(shared_data: Path) -> None:
    """Metadata from the real ei (excerpt) and wp series files; the observations are synthetic (one per
    series), since no real data file is among the samples."""
    for name, expected in {
        "ei.series.excerpt": {
            "EIUCOCHNZ325": ("import_by_origin", "China", "325", "Chemical manufacturing", "2012-06", 2012),
            "EIUCOASEANTOT": ("import_by_origin", "ASEAN", None, "All Industries", "2003-12", 2003),
            "EIUCDCANMANU": ("export_by_destination", "Canada", None, "Manufacturing", "2020-12", 2020),
            "EIUCOCANTOT": ("import_by_origin", "Canada", None, "All Industries", None, 2000),
        },
        "wp.series": {
            "WPS011": (
                "ppi_commodity",
                None,
                None,
                "Farm products-Fruits & melons, fresh/dry vegs. & nuts",
                None,
                1982,
            ),
        },
    }.items():
        series = bls.read_series(shared_data / "bls" / name)
        synthetic = pd.DataFrame(
            {
                "series_id": series["series_id"],
                "year": np.int16(2024),
                "bls_period": "M01",
                "period": pd.Period("2024-01", "M"),
                "value": 100.0,
                "footnote_codes": "",
            }
        )
        prices = bls.prices(synthetic, series).set_index("series_id")
        assert prices["measure"].notna().all()
        for series_id, (measure, origin, naics, item, base, year) in expected.items():
            row = prices.loc[series_id]
            assert row["measure"] == measure and row["item"] == item, series_id
            assert pd.isna(row["origin"]) if origin is None else row["origin"] == origin, series_id
            assert pd.isna(row["naics"]) if naics is None else row["naics"] == naics, series_id
            assert pd.isna(row["base_period"]) if base is None else str(row["base_period"]) == base, series_id
            assert row["base_year"] == year, series_id
