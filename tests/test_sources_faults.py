"""Faults an adversarial user found (issue 17), reader and fetch side: each test failed on the code before
the fix. Nothing here touches the internet: the servers are on loopback."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from econ.errors import FetchError, InputFormatError
from econ.sources import census, hts
from econ.sources.fetch import census as fetch_census
from econ.sources.fetch import hts as fetch_hts
from econ.sources.fetch import http
from econ.sources.fetch.options import FetchOptions

KEY = "planted-secret-key-0123456789"


@pytest.fixture()
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(http.time, "sleep", waits.append)
    return waits


# --- readers ----------------------------------------------------------------------------------------


def test_zero_byte_census_file_is_reported(tmp_path: Path) -> None:
    empty = tmp_path / "imports_hs10_2024-03.json"
    empty.write_bytes(b"")
    frame = census.read(empty)
    assert len(frame) == 0
    (note,) = frame.attrs["notes"]
    assert note.kind == "no_rows" and note.file == str(empty)
    with pytest.raises(InputFormatError, match="no rows"):
        census.read(empty, strict=True)


def test_unknown_rate_text_is_reported(tmp_path: Path) -> None:
    lines = [
        {"htsno": "8505", "indent": "0", "description": "Magnets", "general": ""},
        {"htsno": "8505.11.00", "indent": "1", "description": "Of metal", "general": "4.9 per cent"},
        {"htsno": "8505.11.00.70", "indent": "2", "description": "Other", "general": ""},
    ]
    path = tmp_path / "hts_2025_revision_19.json"
    path.write_text(json.dumps(lines))
    frame = hts.read(path)
    (note,) = frame.attrs["notes"]
    assert note.kind == "unknown_rate_text" and "4.9 per cent" in note.message
    assert set(note.codes) == {"8505.11.00", "8505.11.00.70"}
    with pytest.raises(InputFormatError, match=r"4\.9 per cent"):
        hts.read(path, strict=True)


# --- fetchers ---------------------------------------------------------------------------------------


def _options(base_url: str) -> FetchOptions:
    return FetchOptions(vintage="v", base_url=base_url, retries=0)


def test_truncated_census_body_is_not_cached(econ_home: Path, httpserver: HTTPServer) -> None:
    whole = json.dumps(
        [["I_COMMODITY", "CTY_CODE", "CON_VAL_MO", "time"], ["8505110070", "5700", "5", "2024-01"]]
    )
    httpserver.expect_request("/ts/imports/hs").respond_with_data(whole[:40])  # Content-Length of the cut
    with pytest.raises(FetchError, match="not a Census API response: not valid JSON"):
        fetch_census.fetch(year=2024, months=[1], options=_options(httpserver.url_for("/ts")))
    assert not (econ_home / "data" / "raw" / "census" / "v" / "imports_hs10_2024-01.json").exists()


def test_truncated_hts_body_is_not_cached(econ_home: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r/exportList").respond_with_data('[{"htsno": "8505", "indent": "0", "desc')
    with pytest.raises(FetchError, match="HTS"):
        fetch_hts.fetch(options=_options(httpserver.url_for("/r")))
    assert not list((econ_home / "data" / "raw" / "hts").rglob("*.json"))


def test_a_bad_cached_file_is_fetched_again(econ_home: Path, httpserver: HTTPServer) -> None:
    good = json.dumps(
        [["I_COMMODITY", "CTY_CODE", "CON_VAL_MO", "time"], ["8505110070", "5700", "5", "2024-01"]]
    )
    folder = econ_home / "data" / "raw" / "census" / "v"
    folder.mkdir(parents=True)
    (folder / "imports_hs10_2024-01.json").write_text(good[:40])  # left by an older version, or by hand
    httpserver.expect_request("/ts/imports/hs").respond_with_data(good)
    fetch_census.fetch(year=2024, months=[1], options=_options(httpserver.url_for("/ts")))
    assert (folder / "imports_hs10_2024-01.json").read_text() == good
    assert len(httpserver.log) == 1


def test_redirect_to_another_host_does_not_carry_the_key(tmp_path: Path, httpserver: HTTPServer) -> None:
    other = HTTPServer(host="127.0.0.1", port=0)  # the test server answers as "localhost": another host
    other.start()
    try:
        other.expect_request("/elsewhere").respond_with_data("[]")
        target = other.url_for("/elsewhere") + f"?key={KEY}"
        httpserver.expect_request("/data").respond_with_data("", status=302, headers={"Location": target})
        dest = tmp_path / "d.json"
        try:
            http.download(httpserver.url_for("/data"), dest, params={"key": KEY}, secret_params=("key",))
        except FetchError as error:  # refusing is allowed; saying the key is allowed only redacted
            assert KEY not in str(error)
        seen = [request.query_string.decode() for request, _ in other.log]
        assert not [query for query in seen if KEY in query]
        if dest.exists():
            meta = json.loads((tmp_path / ".fetch" / "d.json.meta").read_text())
            assert meta["url"].startswith(other.url_for("/elsewhere")) and KEY not in meta["url"]
    finally:
        other.clear()
        other.stop()


def test_bad_gzip_body_is_a_decode_error_and_retried(
    tmp_path: Path, httpserver: HTTPServer, no_sleep: list[float]
) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        b"\x1f\x8b\x08\x00not really gzip at all", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="decode") as caught:
        http.download(httpserver.url_for("/gz"), tmp_path / "g.json", retries=2)
    assert "gave up after 3 attempts" in str(caught.value)
    assert len(httpserver.log) == 3


def test_good_gzip_body_is_saved_decoded(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(b"[1, 2]"), headers={"Content-Encoding": "gzip"}
    )
    assert http.download(httpserver.url_for("/gz"), tmp_path / "g.json").read_bytes() == b"[1, 2]"


@pytest.fixture()
def stalling_server() -> Iterator[str]:
    """Announces 2,000 bytes, sends 1,000, then goes silent with the connection open."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + b"x" * 1000)
            threading.Thread(target=lambda c=conn: (stop.wait(3), c.close()), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/half"
    stop.set()
    thread.join(2)
    server.close()


def test_stall_after_half_a_body_reports_the_bytes_received(
    stalling_server: str, tmp_path: Path, no_sleep: list[float]
) -> None:
    with pytest.raises(FetchError, match=r"after 1,000 bytes"):
        http.download(stalling_server, tmp_path / "h.bin", retries=0, timeout=(2, 0.3))


def test_body_echoing_the_key_is_redacted_before_it_is_cut(tmp_path: Path, httpserver: HTTPServer) -> None:
    body = "x" * 185 + f" key={KEY} rest of the page"  # the cut at 200 characters falls inside the key
    httpserver.expect_request("/denied").respond_with_data(body, status=401)
    with pytest.raises(FetchError) as caught:
        http.download(
            httpserver.url_for("/denied"), tmp_path / "d.json", params={"key": KEY}, secret_params=("key",)
        )
    message = str(caught.value)
    assert KEY[:5] not in message, message


def test_rows_without_a_partner_code_are_reported(tmp_path: Path) -> None:
    rows = [
        ["NAICS", "CTY_CODE", "CTY_NAME", "CON_VAL_MO", "CAL_DUT_MO", "time"],
        ["325", "5700", "CHINA", "100", "10", "2024-01"],
        ["325", None, "GERMANY", "70", "1", "2024-01"],
        ["326", None, "GERMANY", "30", "0", "2024-01"],
    ]
    path = tmp_path / "imports_naics3_2024.json"
    path.write_text(json.dumps(rows))
    frame = census.read(path)
    assert list(frame["partner"]) == ["5700"]
    (note,) = frame.attrs["notes"]
    assert note.kind == "missing_code" and note.rows == 2 and note.value == 100.0
    assert "GERMANY" in note.message
    filled = census.read(path, partner_codes={"GERMANY": "4280"})
    assert sorted(filled["partner"]) == ["4280", "4280", "5700"]


def test_concordance_with_blank_naics_cells(fixtures: Path, tmp_path: Path) -> None:
    from econ import concord

    lines = (fixtures / "concord" / "hs-10d-test-exp-code.txt").read_text().splitlines()
    blank = lines[1][:265] + " " * 6 + lines[1][271:]
    path = tmp_path / "hs-10d-2024-imp-code.txt"
    path.write_text("\r\n".join([lines[0], blank, *lines[2:]]) + "\r\n")
    table = concord.read_hs_naics(path)
    assert len(table) == len(lines) and table["naics"].isna().sum() == 1
    (note,) = table.attrs["notes"]
    assert note.kind == "missing_code" and note.codes == (lines[1][:10],)
    with pytest.raises(InputFormatError, match="no NAICS code"):
        concord.read_hs_naics(path, strict=True)
    # the blank line is placed through its HS8/HS6 parent, or reported unmatched — never a crash
    trade = table[["hs10"]].assign(value=1.0)
    trade = pd.concat([trade, pd.DataFrame({"hs10": ["9999999999"], "value": [1.0]})], ignore_index=True)
    joined, report = concord.hs10_to_naics(trade, table)
    assert joined.loc[joined["hs10"] == lines[1][:10], "naics_match"].item() != "exact"
    bea = concord.read_bea_naics(fixtures / "concord" / "bea_naics_concordance_small.xlsx")
    with_bea, bea_report = concord.naics_to_bea(joined, bea, level="summary")  # AttributeError before
    assert len(with_bea) == len(trade) and with_bea["bea_summary"].isna().any()
    assert "(no code)" in bea_report.lost and report.unmatched > 0


def test_truncated_bls_flat_file_is_not_cached(
    econ_home: Path, httpserver: HTTPServer, fixtures: Path
) -> None:
    from econ.sources.fetch import bls as fetch_bls

    body = (fixtures / "bls" / "ei.data.0.Current").read_bytes()
    httpserver.expect_request("/b/ei/ei.data.0.Current").respond_with_data(body[: len(body) // 2 + 7])
    with pytest.raises(FetchError, match="cut short"):
        fetch_bls.fetch("ei", files=["data.0.Current"], options=_options(httpserver.url_for("/b")))
    assert not (econ_home / "data" / "raw" / "bls" / "v" / "ei.data.0.Current").exists()


def test_cut_usgs_csv_is_not_cached(econ_home: Path, httpserver: HTTPServer) -> None:
    from econ.sources.fetch import usgs as fetch_usgs

    item = "0123456789abcdef01234567"
    httpserver.expect_request(f"/g/{item}").respond_with_data('DataSource,Commodity,Year,"NIR_pct\n')
    with pytest.raises(FetchError, match="malformed CSV"):
        fetch_usgs.fetch(item=item, names=["x.csv"], options=_options(httpserver.url_for("/g")))
    assert not (econ_home / "data" / "raw" / "usgs" / "v" / "x.csv").exists()


def test_a_header_key_is_not_sent_to_another_host(tmp_path: Path, httpserver: HTTPServer) -> None:
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        other.expect_request("/x").respond_with_data("{}")
        httpserver.expect_request("/d").respond_with_data(
            "", status=307, headers={"Location": other.url_for("/x")}
        )
        http.download(
            httpserver.url_for("/d"),
            tmp_path / "d.json",
            headers={"Ocp-Apim-Subscription-Key": KEY},
            secret_headers=("Ocp-Apim-Subscription-Key",),
        )
        assert len(other.log) == 1
        assert all(request.headers.get("Ocp-Apim-Subscription-Key") is None for request, _ in other.log)
    finally:
        other.clear()
        other.stop()


def test_a_redirect_within_the_host_keeps_the_key_and_the_sidecar_says_where_from(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/moved").respond_with_data("[1]")
    httpserver.expect_request("/data").respond_with_data(
        "", status=301, headers={"Location": f"/moved?key={KEY}"}
    )
    dest = http.download(httpserver.url_for("/data"), dest=tmp_path / "m.json", params={"key": KEY},
                         secret_params=("key",))  # fmt: skip
    assert dest.read_text() == "[1]"
    ((request, _),) = [entry for entry in httpserver.log if entry[0].path == "/moved"]
    assert request.args["key"] == KEY  # the same host: the key is its own
    meta = json.loads((tmp_path / ".fetch" / "m.json.meta").read_text())
    assert meta["url"] == httpserver.url_for("/moved") + "?key=REDACTED"
    assert meta["requested_url"] == httpserver.url_for("/data") + "?key=REDACTED"
    assert KEY not in json.dumps(meta)
