"""The download core (econ.sources.fetch.http) against a loopback HTTP server: retries, timeouts, truncation,
resumption, redaction and the offline message. Nothing here touches the internet."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from econ.errors import FetchError, OfflineError
from econ.sources.fetch import http

SECRET = "s3cr3t-K3Y+/="


@pytest.fixture()
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the backoff waits instead of sleeping them."""
    waits: list[float] = []
    monkeypatch.setattr(http.time, "sleep", waits.append)
    return waits


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def test_normal_response_saved_with_sidecar(httpserver: HTTPServer, tmp_path: Path) -> None:
    body = json.dumps([["A", "B"], ["1", "2"]]).encode()
    httpserver.expect_request("/data", query_string={"get": "A,B", "key": SECRET}).respond_with_data(
        body, content_type="application/json"
    )
    dest = tmp_path / "raw" / "file.json"
    assert (
        http.download(
            httpserver.url_for("/data"), dest, params={"get": "A,B", "key": SECRET}, secret_params=("key",)
        )
        == dest
    )
    assert dest.read_bytes() == body
    meta = (dest.parent / ".fetch" / "file.json.meta").read_text()
    assert SECRET not in meta and "REDACTED" in meta
    assert json.loads(meta)["bytes"] == len(body)
    assert _leftovers(dest.parent) == ["file.json"]


def test_204_saves_an_empty_file(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/empty").respond_with_data("", status=204)
    dest = http.download(httpserver.url_for("/empty"), tmp_path / "empty.json")
    assert dest.exists() and dest.stat().st_size == 0


def test_500_then_success_retries(httpserver: HTTPServer, tmp_path: Path, no_sleep: list[float]) -> None:
    httpserver.expect_ordered_request("/flaky").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("[]")
    dest = http.download(httpserver.url_for("/flaky"), tmp_path / "f.json", retries=3, backoff=0.5)
    assert dest.read_text() == "[]"
    assert no_sleep == [0.5, 1.0]  # exponential backoff between the three attempts
    assert len(httpserver.log) == 3


def test_429_honours_retry_after_capped(
    httpserver: HTTPServer, tmp_path: Path, no_sleep: list[float]
) -> None:
    httpserver.expect_ordered_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/busy").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    httpserver.expect_ordered_request("/busy").respond_with_data("ok")
    http.download(httpserver.url_for("/busy"), tmp_path / "b.txt", retries=2, backoff=0.1, max_wait=30)
    assert no_sleep == [7.0, 30.0]


def test_gives_up_after_retries_without_file(
    httpserver: HTTPServer, tmp_path: Path, no_sleep: list[float]
) -> None:
    httpserver.expect_request("/down").respond_with_data("nope", status=502)
    with pytest.raises(FetchError, match=r"gave up after 3 attempts \(last: HTTP 502") as caught:
        http.download(
            httpserver.url_for("/down"),
            tmp_path / "d.json",
            retries=2,
            params={"key": SECRET},
            secret_params=("key",),
        )
    assert SECRET not in str(caught.value)
    assert not isinstance(caught.value, OfflineError)
    assert _leftovers(tmp_path) == []


def test_client_error_fails_at_once_with_redacted_body(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/bad").respond_with_data(
        f"error: unknown variable 'FOO' key={SECRET}", status=400
    )
    with pytest.raises(FetchError, match=r"HTTP 400 .*unknown variable") as caught:
        http.download(
            httpserver.url_for("/bad"), tmp_path / "x.json", params={"key": SECRET}, secret_params=("key",)
        )
    assert SECRET not in str(caught.value)
    assert len(httpserver.log) == 1


def test_timeout_is_retried_then_reported(
    httpserver: HTTPServer, tmp_path: Path, no_sleep: list[float]
) -> None:
    def slow(request: Request) -> Response:
        threading.Event().wait(0.6)  # not time.sleep: the fixture replaces it
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError, match="read timeout"):
        http.download(httpserver.url_for("/slow"), tmp_path / "s.txt", timeout=(2, 0.2), retries=1)
    assert _leftovers(tmp_path) == []
    assert len(no_sleep) == 1


def test_existing_file_not_fetched_again_unless_forced(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/f").respond_with_data("new")
    dest = tmp_path / "f.txt"
    dest.write_text("old")
    http.download(httpserver.url_for("/f"), dest)
    assert dest.read_text() == "old" and len(httpserver.log) == 0
    http.download(httpserver.url_for("/f"), dest, force=True)
    assert dest.read_text() == "new"


def test_check_rejects_and_leaves_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/html").respond_with_data("<html>Invalid Key</html>")

    def refuse(body: http.Body) -> None:
        raise FetchError("not data")

    with pytest.raises(FetchError, match="not data; not saved"):
        http.download(httpserver.url_for("/html"), tmp_path / "h.json", check=refuse)
    assert _leftovers(tmp_path) == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_refused_connection_is_offline_error(
    tmp_path: Path, no_sleep: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()  # nothing listens there once the probe is closed
    folder = tmp_path / "data" / "raw" / "census" / "2026-11"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(OfflineError) as caught:
        http.download(
            f"http://127.0.0.1:{port}/data",
            folder / "imports.json",
            params={"key": SECRET},
            secret_params=("key",),
            retries=1,
        )
    message = str(caught.value)
    assert "\n" not in message
    assert f"127.0.0.1:{port}/data?key=REDACTED" in message
    assert f"download the file by hand into {folder}/" in message
    assert SECRET not in message and SECRET not in caplog.text
    assert not folder.exists() or _leftovers(folder) == []


@pytest.fixture()
def dropping_server() -> Iterator[tuple[str, list[int]]]:
    """A raw socket server that announces 10,000 bytes, sends 100 and closes (a dropped connection);
    the third connection gets the whole body."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    hits: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                hits.append(1)
                full = len(hits) >= 3
                head = b"HTTP/1.1 200 OK\r\nContent-Length: 10000\r\nContent-Type: text/plain\r\n\r\n"
                conn.sendall(head + b"x" * (10000 if full else 100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/big", hits
    stop.set()
    thread.join(2)
    server.close()


def test_truncated_body_leaves_no_partial_file(
    dropping_server: tuple[str, list[int]], tmp_path: Path, no_sleep: list[float]
) -> None:
    url, hits = dropping_server
    with pytest.raises(FetchError, match="after 2 attempts"):
        http.download(url, tmp_path / "big.txt", retries=1)
    assert _leftovers(tmp_path) == []
    # and with one more retry the third, complete answer is kept
    dest = http.download(url, tmp_path / "big.txt", retries=1)
    assert dest.stat().st_size == 10000 and len(hits) == 3


def test_retry_after_http_date() -> None:
    assert http._retry_after("Wed, 21 Oct 2015 07:28:00 GMT", default=5.0) == 0.0
    assert http._retry_after(None, default=5.0) == 5.0
    assert http._retry_after("12", default=5.0) == 12.0


def test_redact_encoded_forms() -> None:
    text = "https://x/?key=s3cr3t-K3Y%2B%2F%3D and s3cr3t-K3Y+/="
    assert http.redact(text, [SECRET]) == "https://x/?key=REDACTED and REDACTED"


def test_vintage_folder(econ_home: Path) -> None:
    from econ.sources.fetch.options import FetchOptions

    folder = FetchOptions(vintage="2024-12").folder("census")
    assert folder == econ_home / "data" / "raw" / "census" / "2024-12"
    with pytest.raises(ValueError, match="vintage"):
        FetchOptions(vintage="../etc")


# --- econ fetch SOURCE ----------------------------------------------------------------------------------


def test_cli_fetch_census_and_resume(
    econ_home: Path,
    httpserver: HTTPServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from econ import cli

    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    body = json.dumps(
        [["I_COMMODITY", "CTY_CODE", "CON_VAL_MO", "time"], ["8505110070", "5700", "5", "2024-02"]]
    )
    httpserver.expect_request("/ts/imports/hs").respond_with_data(body)
    argv = ["fetch", "census", "--year", "2024", "--months", "1-2", "--level", "10", "--commodity", "8505*",
            "--vintage", "cli", "--base-url", httpserver.url_for("/ts")]  # fmt: skip
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    folder = econ_home / "data" / "raw" / "census" / "cli"
    assert out.split() == [
        str(folder / "imports_hs10_2024-01.json"),
        str(folder / "imports_hs10_2024-02.json"),
    ]
    assert "2 file(s)" in err
    assert cli.main(argv) == 0 and len(httpserver.log) == 2  # nothing fetched twice


def test_cli_offline_exits_3_with_one_line(
    econ_home: Path, capsys: pytest.CaptureFixture[str], no_sleep
) -> None:
    from econ import cli

    code = cli.main(
        ["fetch", "hts", "--vintage", "x", "--retries", "0", "--base-url", "http://127.0.0.1:9/r"]
    )
    assert code == 3
    _, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert "127.0.0.1:9/r/exportList" in err and "download the file by hand into" in err


def test_cli_unknown_source_and_bad_options(econ_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from econ.sources import cli as sources_cli

    assert sources_cli.main("fred", []) == 2
    assert "unknown source" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        sources_cli.main("census", ["--year", "2024", "--months", "13"])
    assert caught.value.code == 2
    assert sources_cli.main("comtrade", ["--period", "2024-01", "--freq", "M"]) == 2
    assert "periods" in capsys.readouterr().err


def test_cli_bls_api_and_comtrade(econ_home: Path, httpserver: HTTPServer, fixtures: Path) -> None:
    from econ.sources import cli as sources_cli

    httpserver.expect_request("/api", method="POST").respond_with_data(
        (fixtures / "bls" / "api_EIUCOCHNTOT.json").read_bytes()
    )
    httpserver.expect_request("/public/v1/preview/C/A/HS").respond_with_data(
        (fixtures / "comtrade" / "us_imports_china_2024m.json").read_bytes()
    )
    api = ["--series", "EIUCOCHNTOT", "--start-year", "2024", "--end-year", "2025", "--vintage", "v"]
    assert sources_cli.main("bls", [*api, "--base-url", httpserver.url_for("/api")]) == 0
    trade = ["--period", "2024", "--cmd", "8505", "--vintage", "v", "--base-url", httpserver.url_for("/")]
    assert sources_cli.main("comtrade", trade) == 0
    assert len(list((econ_home / "data" / "raw" / "comtrade" / "v").glob("*.json"))) == 1


def test_key_not_in_debug_logs(
    httpserver: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/data").respond_with_data("[]")
    caplog.set_level(logging.DEBUG)
    http.download(httpserver.url_for("/data"), tmp_path / "d.json", params={"get": "A", "key": SECRET},
                  secret_params=("key",), progress=True)  # fmt: skip
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    assert "/data?get=A&key=REDACTED" in ours  # urllib3's own request line, redacted
    assert "s3cr3t" not in ours  # (the test server's access log, not ours, shows what it received)


def test_malformed_url_is_a_fetch_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"InvalidURL|MissingSchema|InvalidSchema"):
        http.download("htp:/nowhere", tmp_path / "x.json")


def test_web_pages_and_broken_zips_are_refused_by_name(tmp_path: Path) -> None:
    from econ.sources.fetch import checks
    from econ.sources.fetch.plan import extract_zip

    page = tmp_path / "AllTablesIO.zip"
    page.write_bytes(b"\xef\xbb\xbf  <!DOCTYPE html><html><body>Service unavailable</body></html>")
    with pytest.raises(FetchError, match="BEA answered with a web page"):
        checks.by_suffix("BEA")(http.Body(page, page.name, 200))
    data = tmp_path / "table.csv"
    data.write_text("Code,Value\n111CA,1\n")
    checks.by_suffix("BEA")(http.Body(data, data.name, 200))  # a real file passes
    with pytest.raises(FetchError, match=r"AllTablesIO\.zip: the zip could not be opened"):
        extract_zip(page, tmp_path, suffixes=(".csv",), force=False)


def test_a_file_saved_after_its_check_is_not_parsed_again_unless_changed(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """A rerun of a large fetch must not re-read every file: what this module saved after its check, and
    what is unchanged since (size and SHA-256 in the sidecar), is kept as is; a changed file is checked."""
    httpserver.expect_request("/f").respond_with_data("[1, 2, 3]")
    seen: list[str] = []

    def check(body: http.Body) -> None:
        seen.append(body.name)
        try:
            json.loads(body.path.read_text())
        except ValueError as error:
            raise FetchError(f"not JSON: {error}") from None

    dest = http.download(httpserver.url_for("/f"), tmp_path / "f.json", check=check)
    assert seen == ["f.json"] and json.loads((tmp_path / ".fetch" / "f.json.meta").read_text())["checked"]
    http.download(httpserver.url_for("/f"), dest, check=check)
    assert seen == ["f.json"] and len(httpserver.log) == 1  # trusted: nothing parsed, nothing asked
    dest.write_text("[1, 2, 4]")  # same size, other bytes: checked again (it parses, so it is kept)
    http.download(httpserver.url_for("/f"), dest, check=check)
    assert seen == ["f.json", "f.json"] and len(httpserver.log) == 1
    dest.write_text("[1, 2")  # cut: fails its check, fetched again
    http.download(httpserver.url_for("/f"), dest, check=check)
    assert dest.read_text() == "[1, 2, 3]" and len(httpserver.log) == 2
