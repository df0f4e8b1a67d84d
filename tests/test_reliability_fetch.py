"""Fetch under faults, beyond tests/test_fetch.py (which covers HTTP 500/503 then success, 429 with
Retry-After, a stall before the headers, one truncated body, giving up, and a CLI rerun that fetches
nothing twice).

Here a scripted loopback server misbehaves per connection: drops it before answering, stalls in the middle
of the body, announces more bytes than it sends, answers 503 with Retry-After as an HTTP date. Each time the
download retries within its bounds, the cache never holds a partial file, and a second run resumes: files
already complete are not requested again. Nothing touches the internet.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from econ.errors import FetchError
from econ.sources import census
from econ.sources.fetch import census as fetch_census
from econ.sources.fetch import http
from econ.sources.fetch.options import FetchOptions

BODY = b'[["I_COMMODITY","CTY_CODE","CON_VAL_MO","time"],\n["8505110070","5700","5","2024-01"]]\n'


class ScriptedServer:
    """An HTTP/1.1 server on 127.0.0.1 that treats the n-th connection as `script[n]` says (the last entry
    repeats): ``drop`` closes without a word, ``stall_body`` sends the headers and half the body then goes
    silent, ``short`` announces the full length, sends half and closes, ``503`` answers Service Unavailable
    with a Retry-After date 2 s ahead, ``ok`` sends the body."""

    def __init__(self, script: list[str]) -> None:
        self.script = script
        self.requests: list[str] = []  # request lines, in order
        self._stop = threading.Event()
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/data") -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except OSError:
                continue
            request = conn.recv(65536).decode("latin-1")
            self.requests.append(request.split("\r\n", 1)[0])
            step = self.script[min(len(self.requests) - 1, len(self.script) - 1)]
            # one thread per connection: a stalled answer must not hold up the client's retry
            threading.Thread(target=self._answer, args=(conn, step), daemon=True).start()

    def _answer(self, conn: socket.socket, step: str) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(BODY)}\r\nConnection: close\r\n\r\n".encode()
        with conn, contextlib.suppress(OSError):
            if step == "ok":
                conn.sendall(head + BODY)
            elif step == "short":
                conn.sendall(head + BODY[: len(BODY) // 2])
            elif step == "stall_body":
                conn.sendall(head + BODY[: len(BODY) // 2])
                self._stop.wait(3)  # silent with the connection open: the client's read timeout fires
            elif step == "503":
                when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
                conn.sendall(
                    f"HTTP/1.1 503 Service Unavailable\r\nRetry-After: {when}\r\n"
                    "Content-Length: 4\r\nConnection: close\r\n\r\nbusy".encode()
                )
            conn.shutdown(socket.SHUT_RDWR)  # "drop" does only this: closed without a word

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._socket.close()


@pytest.fixture()
def serve() -> Iterator[type[ScriptedServer]]:
    started: list[ScriptedServer] = []

    def make(script: list[str]) -> ScriptedServer:
        server = ScriptedServer(script)
        started.append(server)
        return server

    yield make  # type: ignore[misc]
    for server in started:
        server.close()


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff waits, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(http.time, "sleep", recorded.append)
    return recorded


def files_in(folder: Path) -> list[str]:
    """Every file in the cache folder, hidden temporary files included."""
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize(
    "fault",
    ["drop", "stall_body", "short"],
    ids=["connection dropped before the answer", "stall in mid-body", "body shorter than Content-Length"],
)
def test_fault_is_retried_then_the_whole_file_is_kept(
    serve, tmp_path: Path, waits: list[float], fault: str
) -> None:
    server = serve([fault, fault, "ok"])
    dest = http.download(server.url(), tmp_path / "f.json", retries=3, backoff=0.5, timeout=(2, 0.3))
    assert dest.read_bytes() == BODY
    assert len(server.requests) == 3
    assert waits == [0.5, 1.0]  # exponential backoff, two failures
    assert files_in(tmp_path) == ["f.json"]


@pytest.mark.parametrize("fault", ["drop", "stall_body", "short"])
def test_fault_that_persists_gives_up_within_bounds_leaving_nothing(
    serve, tmp_path: Path, waits: list[float], fault: str
) -> None:
    server = serve([fault])
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 3 attempts") as caught:
        http.download(server.url(), tmp_path / "f.json", retries=2, backoff=1.0, timeout=(2, 0.3))
    assert time.monotonic() - started < 10  # each attempt bounded by its timeout, no hidden extra tries
    assert len(server.requests) == 3 and waits == [1.0, 2.0]
    assert "download the file by hand into" in str(caught.value)
    assert files_in(tmp_path) == []  # no partial file, no temporary file


def test_503_with_retry_after_date_is_honoured_and_capped(serve, tmp_path: Path, waits: list[float]) -> None:
    server = serve(["503", "503", "ok"])
    http.download(server.url(), tmp_path / "f.json", retries=3, backoff=0.1, max_wait=1.5)
    assert len(waits) == 2
    assert all(0.5 <= wait <= 1.5 for wait in waits), waits  # ~2 s asked for, capped at max_wait
    assert files_in(tmp_path) == ["f.json"]


def test_multi_file_fetch_resumes_where_it_failed(
    serve, econ_home: Path, waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three months: the second keeps failing. The others are kept whole (a failure does not stop the
    run), the second leaves nothing, and the rerun asks only for the month still missing."""
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    server = serve(["ok", "short", "short", "ok"])
    options = FetchOptions(vintage="v", base_url=server.url("/ts"), retries=1)
    with pytest.raises(FetchError, match=r"1 of 3 files failed \(2 saved.*2024-02"):
        fetch_census.fetch(year=2024, months=[1, 2, 3], options=options)
    folder = econ_home / "data" / "raw" / "census" / "v"
    assert files_in(folder) == ["imports_hs10_2024-01.json", "imports_hs10_2024-03.json"]
    assert len(server.requests) == 4
    saved = fetch_census.fetch(year=2024, months=[1, 2, 3], options=options)
    assert [p.name for p in saved] == [f"imports_hs10_2024-0{m}.json" for m in (1, 2, 3)]
    asked_again = server.requests[4:]
    assert len(asked_again) == 1 and "time=2024-02" in asked_again[0]
    assert all(p.read_bytes() == BODY for p in saved)


def test_temporary_file_of_a_killed_download_is_swept(serve, tmp_path: Path) -> None:
    """SIGKILL runs no cleanup, so a killed download leaves its hidden temporary file: the next download of
    the same file removes it once it is stale (an hour), and spares a fresh one (a live download's)."""
    server = serve(["ok"])
    stale = tmp_path / ".f.json.abc123.tmp"
    fresh = tmp_path / ".f.json.def456.tmp"
    other = tmp_path / ".g.json.abc123.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(BODY[:10])
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    http.download(server.url(), tmp_path / "f.json")
    assert files_in(tmp_path) == sorted([".f.json.def456.tmp", ".g.json.abc123.tmp", "f.json"])


def test_fetch_process_killed_mid_download_then_rerun(serve, econ_home: Path) -> None:
    """A real `econ fetch` killed with SIGKILL while a body is arriving: no visible file is left (only the
    hidden temporary one, which no reader's pattern matches), and the rerun saves every month whole."""
    import signal
    import subprocess
    import sys

    server = serve(["ok", "stall_body", "ok"])
    folder = econ_home / "data" / "raw" / "census" / "v"
    argv = [sys.executable, "-m", "econ.cli", "fetch", "census", "--year", "2024", "--months", "1-3",
            "--vintage", "v", "--base-url", server.url("/ts"), "--timeout", "30"]  # fmt: skip
    env = {**os.environ, "ECON_HOME": str(econ_home)}
    env.pop("CENSUS_API_KEY", None)
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not list(folder.glob(".imports_hs10_2024-02.json.*.tmp")):  # month 2 is arriving, and stalls
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert [p for p in files_in(folder) if not p.startswith(".")] == ["imports_hs10_2024-01.json"]
    assert (folder / "imports_hs10_2024-01.json").read_bytes() == BODY

    rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    visible = [p for p in files_in(folder) if not p.startswith(".")]
    assert visible == [f"imports_hs10_2024-0{m}.json" for m in (1, 2, 3)]
    assert all((folder / name).read_bytes() == BODY for name in visible)
    assert len(server.requests) == 4  # months 1, 2 (killed), then only 2 and 3 again
    assert "time=2024-01" not in " ".join(server.requests[2:])
    # the killed download's temporary file is hidden, and invisible to the readers' patterns
    assert not [p for p in folder.glob("imports_hs*.json") if p.name.startswith(".")]
    assert len(census.read(folder / "imports_hs10_2024-02.json")) == 1
