"""The download core every fetcher goes through.

What it guarantees:

* **No partial or bad file in the cache.** The body streams into a temporary file beside the destination
  and is renamed into place only when it is complete (its length checked against Content-Length) and
  passes the source's check — which parses it against its format (`econ.sources.fetch.checks`). A dropped
  connection, a timeout, Ctrl-C or a body that does not parse leaves nothing.
* **Resumable runs, never on a bad file.** A destination that already exists is not fetched again unless
  ``force=True`` — provided it still passes the source's check; one that does not (a file cut short by an
  older version, or dropped in by hand) is fetched again, with a warning.
* **Bounded retries.** Connection errors, timeouts, truncated or undecodable bodies (a broken gzip
  stream) and HTTP 429/500/502/503/504 are retried ``retries`` times with exponential backoff; a
  ``Retry-After`` header is honoured, capped at ``max_wait`` seconds. Other 4xx answers fail at once.
* **Keys stay secret.** Values of ``secret_params`` (query), ``secret_headers`` and ``secret_json`` (body)
  are replaced by ``REDACTED`` in every log line, error message and sidecar — a response body quoted in a
  message is redacted before it is cut short, so no part of a key shows; they never enter a file name.
  Redirects are followed by hand: to another host (scheme, name or port) the key is not carried — the
  secret query parameters, headers and body fields are stripped from the redirected request.
* **One clear line when offline.** An endpoint that cannot be reached raises `econ.errors.OfflineError`
  naming the endpoint (key redacted) and the folder to drop a hand-downloaded file into.

A small sidecar, ``<folder>/.fetch/<name>.meta``, records the URL the body came from (after redirects,
key redacted), the URL asked for when different, the time, the HTTP status, the size and the SHA-256 of
what was saved, so a file's origin can be told later; it sits in a hidden subfolder so that globs over the
data folder never pick it up.

One module of some 540 lines, on purpose: redirects, streaming, retries and redaction all act on one
request and its secrets; split, a secret would have to travel between modules.
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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions

from econ import atomic
from econ.errors import EconError, FetchError, OfflineError

log = logging.getLogger(__name__)

Method = Literal["GET", "POST"]
METHODS: tuple[str, ...] = get_args(Method)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
REDACTED = "REDACTED"
DEFAULT_TIMEOUT = (10.0, 120.0)  # (connect, read) seconds
USER_AGENT = "econ/0.1 (research; python-requests)"
# How much of a response body an error message quotes.
SNIPPET = 200


@dataclass(frozen=True)
class Body:
    """A downloaded body as a check sees it: the file (a temporary one while downloading), the name it
    is saved under, the HTTP status it came with (None for a file already in the cache whose sidecar does
    not say) and its Content-Type."""

    path: Path
    name: str
    status: int | None
    content_type: str | None = None


# A check on the downloaded file before it is renamed into the cache; raises FetchError to reject it.
Check = Callable[[Body], None]
# Called before every request: waits as the agency's rate limit asks, or raises to stop.
Throttle = Callable[[], None]


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


def quote_body(text: str, secrets: Iterable[str], *, limit: int = SNIPPET) -> str:
    """Text from a response body, fit for a one-line message: secrets redacted *first*, whitespace
    collapsed, then cut to `limit` characters — and a trailing fragment that starts a secret (the body was
    read only in part) dropped, so that no piece of a key ever shows."""
    secrets = [secret for secret in secrets if secret]
    clean = " ".join(redact(text, secrets).split())
    for secret in secrets:
        for size in range(min(len(secret), len(clean)), 2, -1):
            if clean.endswith(secret[:size]):
                clean = clean[:-size]
                break
    return clean[:limit] + ("…" if len(clean) > limit else "")


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
    throttle: Throttle | None = None,
    session: requests.Session | None = None,
) -> Path:
    """Download `url` to `dest` and return `dest`; skip the request if `dest` exists, passes `check`
    and not `force`.

    ``params`` go in the query string (``secret_params`` names those to redact, e.g. ``("key",)``);
    ``json_body`` is sent as JSON with ``method="POST"`` (``secret_json`` names its secret keys).
    ``retries`` is the number of retries after the first attempt; the wait before retry ``n`` (0-based)
    is ``backoff * 2**n`` seconds, or the server's Retry-After, never more than ``max_wait``.
    ``check(body)`` inspects the complete temporary file and raises FetchError to keep it out of the cache.
    ``progress`` shows a tqdm bar of bytes (default: when stderr is a terminal). ``throttle()`` is called
    before every request (the agency's rate limit, `econ.sources.fetch.plan`).

    HTTP 204 saves an empty file (the agency's answer "no rows"). Raises OfflineError when the endpoint
    cannot be reached at all, FetchError for any other failure after the retries.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if retries < 0 or backoff < 0 or max_wait < 0:
        raise ValueError("retries, backoff and max_wait must be >= 0")
    target = Path(dest)
    request = _Request(
        method=method,
        url=url,
        params=dict(params or {}),
        headers={"User-Agent": user_agent(), **dict(headers or {})},
        json_body=dict(json_body) if json_body is not None else None,
        secret_params=tuple(secret_params),
        secret_headers=tuple(secret_headers),
        secret_json=tuple(secret_json),
    )
    secrets = request.secrets()
    shown = redact(requests.Request(method, url, params=request.params).prepare().url or url, secrets)

    if target.exists() and not force:
        problem = _cached_problem(target, check, secrets)
        if problem is None:
            log.info("%s already present; not fetched again (use force=True to refresh)", target)
            return target
        log.warning("%s: the file already there is not valid (%s); fetching it again", target, problem)

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
            if throttle is not None:
                throttle()
            try:
                response, final = _send(http, request, timeout=timeout, secrets=secrets)
            except (requests.ConnectionError, requests.Timeout) as error:
                reached = reached or not _unreachable(error)
                failures.append(_describe(error))
                log.info("%s: %s (attempt %d of %d)", shown, failures[-1], attempt + 1, retries + 1)
            except requests.RequestException as error:  # a malformed URL…
                raise FetchError(f"{shown}: {type(error).__name__}: {redact(str(error), secrets)}") from None
            else:
                reached = True
                with contextlib.closing(response):
                    status = response.status_code
                    final_shown = redact(final, secrets)
                    if status in RETRY_STATUS:
                        failures.append(f"HTTP {status} {response.reason}")
                        wait = _retry_after(response.headers.get("Retry-After"), default=wait)
                        log.info("%s: %s (attempt %d of %d)", shown, failures[-1], attempt + 1, retries + 1)
                    elif status >= 400 or status < 200 or status in REDIRECT_STATUS:
                        snippet = quote_body(_peek(response), secrets)
                        raise FetchError(
                            f"{final_shown}: HTTP {status} {response.reason}: {snippet}"
                            + _hint(status, target.parent)
                        )
                    else:
                        try:
                            _save(
                                response,
                                target,
                                shown=final_shown,
                                requested=shown,
                                secrets=secrets,
                                check=check,
                                progress=progress,
                            )
                        except _BodyError as error:
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


@dataclass
class _Request:
    method: str
    url: str
    params: dict[str, Any]
    headers: dict[str, str]
    json_body: dict[str, Any] | None
    secret_params: tuple[str, ...]
    secret_headers: tuple[str, ...]
    secret_json: tuple[str, ...]

    def secrets(self) -> list[str]:
        found = [str(self.params[name]) for name in self.secret_params if self.params.get(name)]
        found += [str(self.headers[name]) for name in self.secret_headers if self.headers.get(name)]
        if self.json_body is not None:
            found += [str(self.json_body[name]) for name in self.secret_json if self.json_body.get(name)]
        return found


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _send(
    http: requests.Session, request: _Request, *, timeout: float | tuple[float, float], secrets: list[str]
) -> tuple[requests.Response, str]:
    """Send `request`, following redirects by hand; returns the final response (streaming) and its URL.

    A redirect within the origin keeps everything. To another origin, the secret query parameters
    (whatever their value), any query value equal to a secret, the secret headers and the secret body
    fields are dropped, so the key never reaches a host it was not meant for."""
    method, url = request.method, request.url
    params: dict[str, Any] | None = request.params
    headers, body = dict(request.headers), request.json_body
    home = _origin(url)
    for _ in range(MAX_REDIRECTS + 1):
        response = http.request(
            method,
            url,
            params=params,
            headers=headers,
            json=body,
            timeout=timeout,
            stream=True,
            allow_redirects=False,
        )
        location = response.headers.get("Location")
        if response.status_code not in REDIRECT_STATUS or not location:
            return response, response.url or url
        response.close()
        url, params = urljoin(response.url or url, location), None
        if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
            method, body = "GET", None
        if _origin(url) != home:
            url = _strip_secrets(url, request.secret_params, secrets)
            headers = {name: value for name, value in headers.items() if name not in request.secret_headers}
            if body is not None:
                body = {name: value for name, value in body.items() if name not in request.secret_json}
            if any(secret and secret in url for secret in secrets):  # the key in the path: refuse
                raise requests.exceptions.InvalidURL(
                    f"redirected to another host ({_origin(url)[1]}) with the key in the address; refused"
                )
            log.warning("redirected to another host (%s): the key is not sent there", _origin(url)[1])
    raise requests.exceptions.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")


def _strip_secrets(url: str, names: Iterable[str], secrets: list[str]) -> str:
    parts = urlsplit(url)
    drop = set(names)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name not in drop and value not in secrets
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _cached_problem(target: Path, check: Check | None, secrets: list[str]) -> str | None:
    """Why a file already in the cache must not be kept (None when it may be).

    A file this module saved after its check passed, and unchanged since (its sidecar's size and SHA-256),
    is kept without being parsed again — a rerun of a large fetch would otherwise re-read every file. Any
    other file (saved by hand, by an older version, or changed) must pass `check` now."""
    if check is None:
        return None
    meta = target.parent / ".fetch" / f"{target.name}.meta"
    recorded: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(meta.read_text(encoding="utf-8"))
        recorded = loaded if isinstance(loaded, dict) else {}
    if (
        recorded.get("checked") is True
        and recorded.get("bytes") == target.stat().st_size
        and recorded.get("sha256") == _sha256(target)  # last: the only costly test
    ):
        return None
    status = recorded.get("status")
    try:
        check(
            Body(
                target, target.name, status if isinstance(status, int) else None, recorded.get("content_type")
            )
        )
    except EconError as error:
        return quote_body(str(error), secrets)
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


class _BodyError(Exception):
    """The body could not be received whole: it ended early, stalled, or could not be decoded."""


# What a body read can fail with: urllib3's own errors when reading `response.raw`, and requests'
# wrappers of them.
_DROPPED = (
    urllib3.exceptions.ProtocolError,
    urllib3.exceptions.SSLError,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    ConnectionError,
)
_DECODE = (urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError)
_STALLED = (urllib3.exceptions.ReadTimeoutError, requests.Timeout, TimeoutError)


def _save(
    response: requests.Response,
    target: Path,
    *,
    shown: str,
    requested: str,
    secrets: list[str],
    check: Check | None,
    progress: bool | None,
) -> None:
    expected = response.headers.get("Content-Length")
    total = int(expected) if expected and expected.isdigit() else None
    # The body is decoded (gzip, deflate) as it arrives; Content-Length then counts encoded bytes.
    encoding = response.headers.get("Content-Encoding", "identity").lower()
    show = sys.stderr.isatty() if progress is None else progress
    digest = hashlib.sha256()
    size = 0
    raw = response.raw

    def received() -> int:
        """Bytes taken off the wire so far (before decoding): what a message about a cut should say."""
        with contextlib.suppress(Exception):
            return int(raw.tell())
        return size

    with atomic.atomic_path(target) as tmp:
        bar = _bar(total, target.name) if show else None
        try:
            with open(tmp, "wb") as handle:
                if response.status_code != 204:
                    try:
                        # read1 hands over whatever has arrived, so a stall is seen after the bytes that
                        # did arrive, not after a buffer that never filled.
                        while chunk := raw.read1(1 << 16, decode_content=True):
                            handle.write(chunk)
                            digest.update(chunk)
                            size += len(chunk)
                            if bar is not None:
                                bar.update(received() - bar.n)
                    except _DECODE as error:
                        raise _BodyError(
                            f"the {encoding} body could not be decoded after {received():,} bytes "
                            f"(a decode error: {_reason(error)})"
                        ) from error
                    except _STALLED as error:
                        raise _BodyError(f"timed out after {received():,} bytes") from error
                    except _DROPPED as error:
                        raise _BodyError(
                            f"connection dropped after {received():,} bytes ({_describe(error)})"
                        ) from error
        finally:
            if bar is not None:
                bar.close()
        if total is not None and received() < total:
            raise _BodyError(f"body ended after {received():,} of {total:,} bytes")
        if check is not None:
            try:
                check(Body(tmp, target.name, response.status_code, response.headers.get("Content-Type")))
            except EconError as error:
                raise FetchError(
                    f"{shown}: {quote_body(str(error), secrets, limit=400)}; not saved"
                ) from None
    meta: dict[str, Any] = {
        "url": shown,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": response.status_code,
        "content_type": response.headers.get("Content-Type"),
        "bytes": size,
        "sha256": digest.hexdigest(),
        "checked": check is not None,
    }
    if requested != shown:
        meta["requested_url"] = requested
    atomic.write_text(
        target.parent / ".fetch" / f"{target.name}.meta", redact(json.dumps(meta, indent=2), secrets)
    )
    log.info("saved %s (%s bytes) from %s", target, f"{size:,}", shown)


def _reason(error: BaseException) -> str:
    inner = error.args[-1] if error.args else error
    return str(inner)[:120]


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


def _peek(response: requests.Response, limit: int = SNIPPET * 4) -> str:
    """The start of an error body, decoded; empty when it cannot be read (it only decorates a message)."""
    try:
        return response.raw.read(limit, decode_content=True).decode("utf-8", errors="replace")
    except Exception:
        return ""


def _hint(status: int, folder: Path) -> str:
    if status in (401, 403):
        return " — the key may be missing or invalid, or the agency refuses this client"
    if status == 404:
        return f" — nothing at this address; check the options, or put the file by hand in {folder}/"
    if status in REDIRECT_STATUS:
        return " — a redirect without a usable Location"
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
    text = str(error)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "RemoteDisconnected",
        "Connection reset",
        "IncompleteRead",
        "Connection broken",
    ):
        if marker in text:
            return marker.lower()
    return "connection failed"
