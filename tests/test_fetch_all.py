"""`econ fetch all` against a mirror on loopback (pytest-httpserver): the plan (--dry-run), the run, a rerun
that asks for nothing, a run that resumes after failures, the agencies' rate limits. Nothing here touches
the internet."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from econ.errors import FetchError
from econ.sources import census, cli
from econ.sources.fetch import all as fetch_all
from econ.sources.fetch import census as fetch_census
from econ.sources.fetch import plan as fetch_plan
from econ.sources.fetch.options import FetchOptions
from econ.sources.fetch.plan import RateLimit

FIXTURES = Path(__file__).parent / "fixtures"
KEY = "SECRET-all-test-key-4711"


def _census_answer(request: Request) -> Response:
    """A Census API answer for whatever month(s) the query names (one row per month, China)."""
    names = request.args["get"].split(",")
    time = request.args["time"]
    if time.startswith("from "):
        _, first, _, last = time.split()
        months = [f"{first[:4]}-{m:02d}" for m in range(int(first[5:]), int(last[5:]) + 1)]
    else:
        months = [time]
    values = {"I_COMMODITY": "8505110070", "E_COMMODITY": "8505110070", "NAICS": "335", "CTY_CODE": "5700",
              "CTY_NAME": "CHINA", "UNIT_QY1": "KG", "SUMMARY_LVL": "DET", "COMM_LVL": "HS10"}  # fmt: skip
    rows = [[values.get(name, "7") for name in names] + [month] for month in months]
    return Response(json.dumps([[*names, "time"], *rows]), content_type="application/json")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture()
def mirror(httpserver: HTTPServer) -> HTTPServer:
    """Every agency's endpoint under one root, as `econ fetch all --base-url` expects it."""
    for dataset in ("imports/hs", "exports/hs", "imports/naics"):
        httpserver.expect_request(f"/m/census/{dataset}").respond_with_handler(_census_answer)
    httpserver.expect_request("/m/hts/exportList").respond_with_data(
        (FIXTURES / "hts" / "chapter85_excerpt.json").read_bytes()
    )
    for survey in ("ei", "wp", "pc"):
        for name in ("series", "data.0.Current", "footnote"):
            httpserver.expect_request(f"/m/bls/{survey}/{survey}.{name}").respond_with_data(
                (FIXTURES / "bls" / f"ei.{name}").read_bytes()
            )
    httpserver.expect_request("/m/bea/AllTablesIO.zip").respond_with_data(
        _zip({"AllTablesIO/Mini_Use_2023.csv": (FIXTURES / "bea" / "Mini_Use_2023.csv").read_bytes()})
    )
    httpserver.expect_request(f"/m/usgs/{fetch_all.usgs.MCS2025_SALIENT_ITEM}").respond_with_data(
        _zip({"x/mcs2025-antim_salient.csv": (FIXTURES / "usgs" / "mini_salient_utf8.csv").read_bytes()})
    )
    httpserver.expect_request("/m/comtrade/data/v1/get/C/A/HS").respond_with_data(
        (FIXTURES / "comtrade" / "us_imports_china_2024m.json").read_bytes()
    )
    return httpserver


@pytest.fixture()
def keyed(econ_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CENSUS_API_KEY", "COMTRADE_API_KEY"):
        monkeypatch.setenv(name, KEY)
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    monkeypatch.setattr(fetch_plan.time, "sleep", lambda seconds: None)  # the pauses between requests
    return econ_home


ARGS = ["--years", "2024", "--months", "1-2", "--vintage", "v"]


def test_dry_run_prints_the_plan_and_fetches_nothing(
    keyed: Path, mirror: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main("all", [*ARGS, "--base-url", mirror.url_for("/m"), "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert len(mirror.log) == 0 and not (keyed / "data" / "raw").exists()
    for source in ("census", "hts", "bls", "bea", "usgs", "comtrade"):
        assert f"\n{source}: " in f"\n{out}", source
    # census: imports and exports for two months, NAICS for the year
    assert "census: 5 file(s)" in out and "5 to fetch" in out
    assert "imports_hs10_2024-01.json" in out and "imports_naics_2024.json" in out
    assert "bls: 9 file(s)" in out
    assert "CENSUS_API_KEY set" in out and KEY not in out  # keys are added when sending, never shown
    assert out.strip().splitlines()[-1].startswith("plan: 18 file(s), 18 to fetch")


def test_fetch_all_then_a_rerun_asks_for_nothing(
    keyed: Path, mirror: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*ARGS, "--base-url", mirror.url_for("/m")]
    assert cli.main("all", argv) == 0
    out, _ = capsys.readouterr()
    raw = keyed / "data" / "raw"
    saved = [Path(line) for line in out.split()]
    assert all(path.is_file() for path in saved)
    expected = {
        "census/v/imports_hs10_2024-01.json", "census/v/exports_hs10_2024-02.json",
        "census/v/imports_naics_2024.json", "hts/v/hts_current_0100_9999.json", "bls/v/pc.data.0.Current",
        "bea/v/AllTablesIO.zip", "bea/v/Mini_Use_2023.csv", "usgs/v/mcs2025-antim_salient.csv",
    }  # fmt: skip
    assert expected <= {str(path.relative_to(raw)) for path in saved}
    # each body was read back by its reader before it was kept
    naics = census.read(raw / "census" / "v" / "imports_naics_2024.json")
    assert sorted(naics["period"].astype(str)) == ["2024-01", "2024-02"]
    comtrade_files = list((raw / "comtrade" / "v").glob("comtrade_A_all_0-156_M-X_*_2024.json"))
    assert len(comtrade_files) == 1
    asked = len(mirror.log)
    assert asked == 18  # census 5, hts 1, bls 9, bea 1, usgs 1, comtrade 1
    requests = [request for request, _ in mirror.log]
    assert all(request.args.get("key") == KEY for request in requests if "/census/" in request.path)
    assert all(KEY not in (path.parent / ".fetch" / f"{path.name}.meta").read_text() for path in saved[:5])

    assert cli.main("all", argv) == 0  # resumable: everything is there and valid
    assert len(mirror.log) == asked
    assert f"{len(saved)} file(s)" in capsys.readouterr().err


def test_a_failing_source_leaves_the_others_saved_and_the_rerun_fetches_only_it(
    keyed: Path, httpserver: HTTPServer, mirror: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.clear_all_handlers()
    httpserver.expect_request("/m/hts/exportList").respond_with_data("unavailable", status=503)
    httpserver.expect_request("/m/bea/AllTablesIO.zip").respond_with_data(b"PK\x03\x04 cut short")
    for dataset in ("imports/hs", "exports/hs", "imports/naics"):
        httpserver.expect_request(f"/m/census/{dataset}").respond_with_handler(_census_answer)
    argv = [*ARGS, "--sources", "census,hts,bea", "--retries", "0", "--base-url", httpserver.url_for("/m")]
    assert cli.main("all", argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") >= 1 and "2 of 7 files failed (5 saved" in err.splitlines()[-1]
    assert len(list((keyed / "data" / "raw" / "census" / "v").glob("*.json"))) == 5
    assert not (keyed / "data" / "raw" / "bea" / "v" / "AllTablesIO.zip").exists()  # a broken zip is not kept

    httpserver.clear_all_handlers()
    httpserver.expect_request("/m/hts/exportList").respond_with_data(
        (FIXTURES / "hts" / "chapter85_excerpt.json").read_bytes()
    )
    httpserver.expect_request("/m/bea/AllTablesIO.zip").respond_with_data(_zip({"a.csv": b"Code,x\n1,2\n"}))
    before = len(httpserver.log)
    assert cli.main("all", argv) == 0
    assert [request.path for request, _ in httpserver.log[before:]] == [
        "/m/hts/exportList",
        "/m/bea/AllTablesIO.zip",
    ]


def test_months_not_yet_published_are_left_out() -> None:
    assert fetch_all.last_published(date(2026, 12, 1)) == (2026, 10)
    assert fetch_all.last_published(date(2026, 1, 15)) == (2025, 11)
    options = FetchOptions(vintage="v")
    downloads = fetch_all.plan(
        years=[2026], sources=["census", "comtrade"], options=options, today=date(2026, 12, 1)
    )
    months = {d.dest.name for d in downloads if d.dest.name.startswith("imports_hs10")}
    assert months == {f"imports_hs10_2026-{m:02d}.json" for m in range(1, 11)}
    assert not [d for d in downloads if d.source == "comtrade"]  # 2026's annual figures are not out
    with pytest.raises(ValueError, match="sources"):
        fetch_all.plan(years=[2024], sources=["fred"], options=options)


def test_partner_split_pulls_one_file_per_partner(econ_home: Path) -> None:
    downloads = fetch_all.plan(
        years=[2024],
        months=[1],
        partners=["5700", "5520"],
        sources=["census"],
        options=FetchOptions(vintage="v"),
    )
    names = sorted(d.dest.name for d in downloads)
    assert "imports_hs10_5700_2024-01.json" in names and "exports_hs10_5520_2024-01.json" in names
    assert {d.params.get("CTY_CODE") for d in downloads if "hs10" in d.dest.name} == {"5700", "5520"}


# --- rate limits -----------------------------------------------------------------------------------------


class Clock:
    """time.monotonic and time.sleep of the plan module, with no real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(fetch_plan.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(fetch_plan.time, "sleep", fake.sleep)
    return fake


def test_requests_are_spaced_by_the_agencys_interval(
    econ_home: Path, httpserver: HTTPServer, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    httpserver.expect_request("/c/imports/hs").respond_with_handler(_census_answer)
    options = FetchOptions(vintage="v", base_url=httpserver.url_for("/c"))
    downloads = fetch_census.plan(year=2024, months=[1, 2, 3], options=options)
    fetch_plan.run(downloads, options, {"census": RateLimit(interval=2.5)})
    assert clock.slept == [2.5, 2.5]  # before the second and the third request, none before the first
    assert len(httpserver.log) == 3


def test_a_daily_allowance_stops_the_run_and_says_how_to_resume(
    econ_home: Path, httpserver: HTTPServer, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    httpserver.expect_request("/c/imports/hs").respond_with_handler(_census_answer)
    options = FetchOptions(vintage="v", base_url=httpserver.url_for("/c"))
    downloads = fetch_census.plan(year=2024, months=[1, 2, 3], options=options)
    limit = RateLimit(interval=0.0, per_day=None, per_day_without_key=2, key_variable="CENSUS_API_KEY")
    with pytest.raises(FetchError, match=r"stopped at 2 requests.*CENSUS_API_KEY.*tomorrow.*1 files left"):
        fetch_plan.run(downloads, options, {"census": limit})
    assert len(httpserver.log) == 2
    assert sorted(p.name for p in (econ_home / "data" / "raw" / "census" / "v").glob("*.json")) == [
        "imports_hs10_2024-01.json",
        "imports_hs10_2024-02.json",
    ]
    monkeypatch.setenv("CENSUS_API_KEY", KEY)  # with a key Census publishes no daily cap
    assert len(fetch_plan.run(downloads, options, {"census": limit})) == 3
    assert len(httpserver.log) == 3


def test_bls_api_queries_are_split_to_the_published_limits(
    econ_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from econ.sources.fetch import bls as fetch_bls

    ids = [f"EIUCOCHNZ{n:03d}" for n in range(30)]
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    keyless = fetch_bls.plan_api(ids, start_year=2005, end_year=2025, options=FetchOptions(vintage="v"))
    assert len(keyless) == 2 * 3  # 25 series and 10 years a query: 2 × (2005–14, 2015–24, 2025)
    assert max(len(d.json_body["seriesid"]) for d in keyless if d.json_body) == 25
    monkeypatch.setenv("BLS_API_KEY", KEY)
    keyed = fetch_bls.plan_api(ids, start_year=2005, end_year=2025, options=FetchOptions(vintage="v"))
    assert len(keyed) == 1 * 2  # 50 series and 20 years: 2005–24, 2025
    assert all("registrationkey" not in (d.json_body or {}) for d in keyed)  # the key is added when sent
