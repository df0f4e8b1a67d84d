"""The download core every source's `fetch()` goes through.

What it guarantees:

* **No partial file in the cache.** The body streams into a temporary file beside the destination and is
  renamed into place only when it is complete (its length checked against Content-Length) and passes the
  source's check (`econ.atomic.atomic_path`). A dropped connection, a timeout or Ctrl-C leaves nothing.
* **Resumable runs.** A destination that already exists is not fetched again unless ``force=True``, so a
  long multi-file download restarted after a failure continues where it stopped.
* **Bounded retries.** Connection errors, timeouts, truncated bodies and HTTP 429/500/502/503/504 are
  retried ``retries`` times with exponential backoff; a ``Retry-After`` header is honoured, capped at
  ``max_wait`` seconds. Other 4xx answers fail at once (retrying a bad request does not help).
* **Keys stay secret.** Values of ``secret_params`` (query), ``secret_headers`` and ``secret_json`` (body)
  are replaced by ``REDACTED`` in every log line, error message and sidecar; they never enter a file name.
* **One clear line when offline.** An endpoint that cannot be reached raises `econ.errors.OfflineError`
  naming the endpoint (key redacted) and the folder to drop a hand-downloaded file into.

A small sidecar, ``<folder>/.fetch/<name>.meta``, records the redacted URL, the time, the HTTP status, the
size and the SHA-256 of what was saved, so a file's origin can be told later; it sits in a hidden
subfolder so that globs over the data folder never pick it up.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import logging
import os
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import quote, quote_plus

import requests

from econ import atomic
from econ.errors import FetchError, OfflineError, ParameterError

log = logging.getLogger(__name__)

Method = Literal["GET", "POST"]
METHODS: tuple[str, ...] = get_args(Method)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDACTED = "REDACTED"
DEFAULT_TIMEOUT = (10.0, 120.0)  # (connect, read) seconds
USER_AGENT = "econ/0.1 (research; python-requests)"

# A check on the downloaded file before it is renamed into the cache; raises to reject it.
Check = Callable[[Path], None]


def user_agent() -> str:
    """The User-Agent sent with every request: BLS refuses anonymous clients, so a contact address set in
    ECON_CONTACT_EMAIL is appended when present."""
    contact = os.environ.get("ECON_CONTACT_EMAIL")
    return f"{USER_AGENT} {contact}" if contact else USER_AGENT


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (raw, and in its URL-encoded forms) replaced by REDACTED."""
    for secret in secrets:
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}:
            text = text.replace(form, REDACTED)
    return text


def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    params: Mapping[str, Any] | None = None,
    secret_params: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    secret_headers: Iterable[str] = (),
    method: Method = "GET",
    json_body: Mapping[str, Any] | None = None,
    secret_json: Iterable[str] = (),
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = 4,
    backoff: float = 1.0,
    max_wait: float = 60.0,
    force: bool = False,
    check: Check | None = None,
    progress: bool | None = None,
    session: requests.Session | None = None,
) -> Path:
    """Download `url` to `dest` and return `dest`; skip the request if `dest` exists and not `force`.

    ``params`` go in the query string (``secret_params`` names those to redact, e.g. ``("key",)``);
    ``json_body`` is sent as JSON with ``method="POST"`` (``secret_json`` names its secret keys).
    ``retries`` is the number of retries after the first attempt; the wait before retry ``n`` (0-based)
    is ``backoff * 2**n`` seconds, or the server's Retry-After, never more than ``max_wait``.
    ``check(path)`` may inspect the complete temporary file and raise to keep it out of the cache.
    ``progress`` shows a tqdm bar (default: when stderr is a terminal).

    HTTP 204 saves an empty file (the agency's answer "no rows"). Raises OfflineError when the endpoint
    cannot be reached at all, FetchError for any other failure after the retries.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if retries < 0 or backoff < 0 or max_wait < 0:
        raise ValueError("retries, backoff and max_wait must be >= 0")
    target = Path(dest)
    params = dict(params or {})
    headers = {"User-Agent": user_agent(), **dict(headers or {})}
    secrets = [str(params[name]) for name in secret_params if params.get(name)]
    secrets += [str(headers[name]) for name in secret_headers if headers.get(name)]
    if json_body is not None:
        secrets += [str(json_body[name]) for name in secret_json if json_body.get(name)]
    shown = redact(requests.Request(method, url, params=params).prepare().url or url, secrets)

    if target.exists() and not force:
        log.info("%s already present; not fetched again (use force=True to refresh)", target)
        return target

    # A download killed outright (SIGKILL, a laptop's battery) leaves its hidden temporary file behind;
    # one older than an hour belongs to no live download of this file.
    atomic.sweep(target.parent, target=target.name, older_than=3600)
    own_session = session is None
    http = session or requests.Session()
    failures: list[str] = []
    reached = False
    # urllib3 logs each request line, query string included, at DEBUG: redact it there too.
    quiet = _RedactingFilter(secrets)
    for name in _URLLIB3_LOGGERS:
        logging.getLogger(name).addFilter(quiet)
    try:
        for attempt in range(retries + 1):
            wait = backoff * (2**attempt)
            try:
                response = http.request(
                    method, url, params=params, headers=headers, json=json_body, timeout=timeout, stream=True
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                reached = reached or not _unreachable(error)
                failures.append(_describe(error))
                log.info("%s: %s (attempt %d of %d)", shown, failures[-1], attempt + 1, retries + 1)
            except requests.RequestException as error:  # a malformed URL, too many redirects…
                raise FetchError(f"{shown}: {type(error).__name__}: {redact(str(error), secrets)}") from None
            else:
                reached = True
                with contextlib.closing(response):
                    status = response.status_code
                    if status in RETRY_STATUS:
                        failures.append(f"HTTP {status} {response.reason}")
                        wait = _retry_after(response.headers.get("Retry-After"), default=wait)
                        log.info("%s: %s (attempt %d of %d)", shown, failures[-1], attempt + 1, retries + 1)
                    elif status >= 400 or status < 200:
                        snippet = redact(_snippet(response), secrets)
                        raise FetchError(
                            f"{shown}: HTTP {status} {response.reason}: {snippet}"
                            + _hint(status, target.parent)
                        )
                    else:
                        try:
                            _save(
                                response, target, shown=shown, secrets=secrets, check=check, progress=progress
                            )
                        except _TruncatedError as error:
                            failures.append(str(error))
                            log.info("%s: %s (attempt %d of %d)", shown, error, attempt + 1, retries + 1)
                        else:
                            return target
            if attempt < retries:
                time.sleep(min(wait, max_wait))
    finally:
        for name in _URLLIB3_LOGGERS:
            logging.getLogger(name).removeFilter(quiet)
        if own_session:
            http.close()

    last = failures[-1] if failures else "no answer"
    if not reached:
        raise OfflineError(
            f"cannot reach {shown} ({last}); you seem to be offline — download the file by hand into "
            f"{target.parent}/ as {target.name}"
        )
    raise FetchError(
        f"{shown}: gave up after {retries + 1} attempts (last: {last}); try again later or download the file "
        f"by hand into {target.parent}/ as {target.name}"
    )


_URLLIB3_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection")


class _RedactingFilter(logging.Filter):
    """Rewrites log records that contain a secret (filters attach to one named logger, hence the list)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            clean = redact(message, self.secrets)
            if clean != message:
                record.msg, record.args = clean, None
        return True


class _TruncatedError(Exception):
    """The body ended before its announced length (a dropped connection)."""


def _save(
    response: requests.Response,
    target: Path,
    *,
    shown: str,
    secrets: list[str],
    check: Check | None,
    progress: bool | None,
) -> None:
    expected = response.headers.get("Content-Length")
    total = int(expected) if expected and expected.isdigit() else None
    # requests decodes gzip transparently; Content-Length then counts compressed bytes.
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    show = sys.stderr.isatty() if progress is None else progress
    digest = hashlib.sha256()
    size = 0
    with atomic.atomic_path(target) as tmp:
        bar = _bar(total if not encoded else None, target.name) if show else None
        try:
            with open(tmp, "wb") as handle:
                if response.status_code != 204:
                    try:
                        for chunk in response.iter_content(chunk_size=1 << 16):
                            handle.write(chunk)
                            digest.update(chunk)
                            size += len(chunk)
                            if bar is not None:
                                bar.update(len(chunk))
                    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
                        raise _TruncatedError(
                            f"connection dropped after {size:,} bytes ({_describe(error)})"
                        ) from error
                    except requests.Timeout as error:
                        raise _TruncatedError(f"timed out after {size:,} bytes") from error
        finally:
            if bar is not None:
                bar.close()
        if total is not None and not encoded and size < total:
            raise _TruncatedError(f"body ended after {size:,} of {total:,} bytes")
        if check is not None:
            check(tmp)
    meta = {
        "url": shown,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": response.status_code,
        "content_type": response.headers.get("Content-Type"),
        "bytes": size,
        "sha256": digest.hexdigest(),
    }
    atomic.write_text(
        target.parent / ".fetch" / f"{target.name}.meta", redact(json.dumps(meta, indent=2), secrets)
    )
    log.info("saved %s (%s bytes) from %s", target, f"{size:,}", shown)


def _bar(total: int | None, name: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=name, leave=False)


def _retry_after(value: str | None, *, default: float) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); `default` if absent."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, (when - datetime.now(when.tzinfo or UTC)).total_seconds())
    return default


def _snippet(response: requests.Response, limit: int = 200) -> str:
    try:
        text = response.raw.read(limit * 4, decode_content=True).decode("utf-8", errors="replace")
    except Exception:  # the body is only decoration for the message
        return ""
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _hint(status: int, folder: Path) -> str:
    if status in (401, 403):
        return " — the key may be missing or invalid, or the agency refuses this client"
    if status == 404:
        return f" — nothing at this address; check the options, or put the file by hand in {folder}/"
    return ""


_UNREACHABLE = (
    "NewConnectionError",
    "NameResolutionError",
    "Connection refused",
    "Network is unreachable",
    "Name or service not known",
    "Temporary failure in name resolution",
    "No route to host",
)


def _unreachable(error: BaseException) -> bool:
    """True when no connection was made at all (refused, no DNS, no route, connect timeout)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    if isinstance(error, requests.ReadTimeout):
        return False
    return any(marker in str(error) for marker in _UNREACHABLE)


def _describe(error: BaseException) -> str:
    if isinstance(error, requests.ConnectTimeout):
        return "connection timed out"
    if isinstance(error, requests.ReadTimeout):
        return "no answer within the read timeout"
    if isinstance(error, requests.ConnectionError):
        text = str(error)
        for marker in (
            "Connection refused",
            "Name or service not known",
            "Temporary failure in name resolution",
            "Network is unreachable",
            "RemoteDisconnected",
            "Connection reset",
            "IncompleteRead",
        ):
            if marker in text:
                return marker.lower()
        return "connection failed"
    return type(error).__name__


def is_web_page(path: Path) -> bool:
    """Whether a downloaded file is an HTML page (an agency's error or login page served with status 200)
    rather than the file asked for."""
    with open(path, "rb") as handle:
        head = handle.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head)


def reject_web_page(agency: str) -> Callable[[Path], None]:
    """A `download(check=...)` that keeps an agency's HTML answer out of the cache, naming the agency."""

    def check(path: Path) -> None:
        if is_web_page(path):
            raise FetchError(f"{agency} answered with a web page instead of the file asked for")

    return check


def json_answer(path: Path, agency: str) -> Any:
    """A downloaded JSON answer, parsed; an answer that is not JSON (an error page, a cut-off body) is a
    FetchError naming the agency, so that `download(check=...)` keeps it out of the cache."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FetchError(f"{agency} answered with something other than JSON ({error})") from error


def extract_zip(path: Path, folder: Path, *, suffixes: Iterable[str], force: bool) -> list[Path]:
    """Extract the members of a downloaded zip whose names end in `suffixes` into `folder` (flat, each
    written atomically; a member already there is kept unless `force`). Returns the extracted paths."""
    wanted = {suffix.lower() for suffix in suffixes}
    saved: list[Path] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith("/") or Path(member).suffix.lower() not in wanted:
                    continue
                target = folder / Path(member).name
                if not target.exists() or force:
                    atomic.write_bytes(target, archive.read(member))
                saved.append(target)
    except zipfile.BadZipFile as exc:
        raise FetchError(f"{path}: the zip could not be opened ({exc}); fetch again with --force") from exc
    return saved


def default_vintage() -> str:
    """The vintage folder of a fetch when none is given: the month of the download, ``"2026-11"``.

    Agencies revise their data (Census each June, BLS for four months after first release), so what was
    downloaded is labelled by when; a month keeps one run's files together across days and lets a
    restarted run resume.
    """
    return datetime.now(UTC).strftime("%Y-%m")


def vintage_dir(source: str, vintage: str | None = None) -> Path:
    """data/raw/<source>/<vintage>/ under ECON_HOME (not created here)."""
    from econ import paths

    label = vintage or default_vintage()
    if not label or "/" in label or "\\" in label or label.startswith("."):
        raise ParameterError([("vintage", f"must be a plain folder name, got {label!r}")])
    return paths.raw_dir(source) / label
