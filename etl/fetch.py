"""One HTTP seam for every source: live ``requests`` or a local mirror of the same URLs.

``Fetcher(mirror=DIR)`` reads ``https://host/path?query`` from ``DIR/host/path`` (the query
string is dropped, as in ``../shared/mirror``). ``Fetcher(mirror="http://127.0.0.1:PORT")``
rewrites every URL to ``http://127.0.0.1:PORT/host/path`` -- the same seam, used by the
fault-injection tests. Live mode retries 429/5xx and connection errors with exponential
backoff, honours ``Retry-After`` (capped), and bounds the total time per URL.
"""
from __future__ import annotations

import csv
import email.utils
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import requests

from etl import clock

USER_AGENT = "open-model-landscape-etl/0.1 (+https://github.com/open-model-landscape; dashboard ETL)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


class FetchError(Exception):
    """A URL could not be fetched. ``reason`` is one short line for summaries."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    fetched_at: datetime
    origin: str  # "live", "mirror:<dir>" or "mirror:<http base>"
    last_modified: datetime | None = None
    capture_note: str = ""  # from the mirror's INDEX.csv (origin commit, note) when present
    captured_at: date | None = None  # INDEX.csv ``captured_at``: the capture's origin-commit date
    from_mirror_dir: bool = False  # read from a directory mirror (its date is the capture's, never the clock)

    def text(self) -> str:
        # utf-8-sig strips the BOM several upstream CSVs start with
        return self.content.decode("utf-8-sig")


def mirror_relpath(url: str) -> str:
    """``https://host/a/b.csv?x=1`` -> ``host/a/b.csv`` (query dropped)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(url, "not an http(s) URL")
    path = parts.path.lstrip("/")
    if ".." in Path(path).parts:
        raise FetchError(url, "path escapes the mirror")
    return f"{parts.netloc}/{path}"


@dataclass
class Fetcher:
    mirror: str | None = None
    timeout: tuple[float, float] = (5.0, 30.0)
    attempts: int = 4
    backoff: float = 0.5
    max_retry_after: float = 30.0
    max_total_seconds: float = 90.0
    max_bytes: int = DEFAULT_MAX_BYTES
    session: requests.Session | None = None
    sleep: object = time.sleep
    _index: dict[str, tuple[str, date | None]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        if self.session is None:
            self.session = requests.Session()
            self.session.headers["User-Agent"] = USER_AGENT
        if self.reads_directory:
            index = Path(self.mirror) / "INDEX.csv"
            if index.is_file():
                with index.open(newline="", encoding="utf-8") as fh:
                    for row in csv.DictReader(fh):
                        note = "; ".join(x for x in (row.get("origin", ""), row.get("note", "")) if x)
                        self._index[row.get("url", "")] = (note, _iso_date(row.get("captured_at")))

    @property
    def reads_directory(self) -> bool:
        """True when URLs are read from a local mirror folder (no HTTP at all)."""
        return bool(self.mirror) and not self._mirror_is_http()

    def _mirror_is_http(self) -> bool:
        return bool(self.mirror) and str(self.mirror).startswith(("http://", "https://"))

    def get(self, url: str) -> Fetched:
        if self.reads_directory:
            return self._from_dir(url)
        target = url
        if self._mirror_is_http():
            target = str(self.mirror).rstrip("/") + "/" + mirror_relpath(url)
        return self._http(url, target)

    def _from_dir(self, url: str) -> Fetched:
        path = Path(self.mirror) / mirror_relpath(url)
        if not path.is_file():
            raise FetchError(url, "not in mirror", status=404)
        size = path.stat().st_size
        if size > self.max_bytes:
            raise FetchError(url, f"body too large ({size} bytes > {self.max_bytes})")
        note, captured_at = self._index.get(url, ("", None))
        return Fetched(url, path.read_bytes(), _now(), f"mirror:{self.mirror}",
                       capture_note=note, captured_at=captured_at, from_mirror_dir=True)

    def _http(self, url: str, target: str) -> Fetched:
        deadline = time.monotonic() + self.max_total_seconds
        last: FetchError | None = None
        for attempt in range(self.attempts):
            wait = self.backoff * (2 ** attempt)
            try:
                resp = self.session.get(target, timeout=self.timeout, stream=True)
            except requests.Timeout:
                last = FetchError(url, "timed out")
            except requests.ConnectionError as exc:
                last = FetchError(url, f"connection error: {type(exc).__name__}")
            else:
                with resp:
                    if resp.status_code in RETRY_STATUSES:
                        last = FetchError(url, f"HTTP {resp.status_code}", resp.status_code)
                        ra = _retry_after_seconds(resp.headers.get("Retry-After"))
                        if ra is not None:
                            wait = min(ra, self.max_retry_after)
                    elif resp.status_code >= 400:
                        raise FetchError(url, f"HTTP {resp.status_code}", resp.status_code)
                    else:
                        try:
                            body = _read_capped(resp, url, self.max_bytes)
                        except FetchError as exc:
                            if "too large" in exc.reason:
                                raise  # the same body would come again: never retried
                            last, body = exc, None  # connection broke mid-body: transient, retried
                        declared = resp.headers.get("Content-Length")
                        if body is None:
                            pass
                        elif declared and declared.isdigit() and int(declared) != len(body):
                            last = FetchError(url, f"truncated body ({len(body)} of {declared} bytes)")
                        else:
                            origin = "live" if target == url else f"mirror:{self.mirror}"
                            return Fetched(url, body, _now(), origin,
                                           last_modified=_http_date(resp.headers.get("Last-Modified")))
            if attempt + 1 >= self.attempts or time.monotonic() + wait > deadline:
                break
            self.sleep(wait)
        assert last is not None
        raise FetchError(url, f"{last.reason} after {attempt + 1} attempt(s)", last.status)


def _read_capped(resp: requests.Response, url: str, max_bytes: int) -> bytes:
    chunks, total = [], 0
    try:
        for chunk in resp.iter_content(64 * 1024):
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(url, f"body too large (> {max_bytes} bytes)")
            chunks.append(chunk)
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
        raise FetchError(url, f"connection broken mid-body: {type(exc).__name__}") from exc
    return b"".join(chunks)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    return max(0.0, (when - _now()).total_seconds())


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _iso_date(value: str | None) -> date | None:
    """INDEX.csv ``captured_at``: an ISO date, or empty when the commit date is not known."""
    try:
        return date.fromisoformat(str(value).strip()) if value and str(value).strip() else None
    except ValueError:
        return None


def _now() -> datetime:
    return clock.now()
