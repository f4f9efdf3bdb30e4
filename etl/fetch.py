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


# --- many URLs at once ---------------------------------------------------------------------------
# Sources with hundreds of URLs (one Hugging Face config per model, OpenRouter's endpoints per
# model) fetch them concurrently, each through ``Fetcher.get`` above (same retries, backoff, caps),
# at most PER_HOST requests in flight per host. A host starts with one request in flight and opens
# up to PER_HOST after its first success; a transient failure takes it back to one, and after
# ``host_failure_limit`` consecutive transient failures its remaining URLs are skipped, so a down
# host costs the same bounded time as a sequential run. A local mirror folder is read in order.

import contextvars  # noqa: E402  (kept with the code that uses it)

PER_HOST = 4
MAX_WORKERS = 16

# progress events for whoever watches a refresh (the CLI's progress bars): a callable
# ``event(kind, **data)`` with kinds "fetch_planned" (n) and "fetch_done" (url, ok, reason),
# called in the thread that called ``fetch_many``
FETCH_EVENTS: contextvars.ContextVar = contextvars.ContextVar("fetch_events", default=None)


def _transient(exc: FetchError) -> bool:
    return (exc.status is None or exc.status == 429 or exc.status >= 500) and "too large" not in exc.reason


def _thread_fetcher(fetcher: Fetcher) -> Fetcher:
    """A copy of ``fetcher`` with its own ``requests.Session`` (sessions are not thread-safe);
    headers, auth, proxies and mounted adapters (whose connection pools are) are shared."""
    import copy
    old = getattr(fetcher, "session", None)
    if not isinstance(old, requests.Session):
        return fetcher  # a test double (or a fetcher without a requests session): shared as is
    new = requests.Session()
    new.headers.update(old.headers)
    new.auth, new.proxies, new.verify, new.cert = old.auth, dict(old.proxies), old.verify, old.cert
    new.adapters = old.adapters
    clone = copy.copy(fetcher)
    clone.session = new
    return clone


def fetch_many(fetcher: Fetcher, urls: list[str], host_failure_limit: int = 3, per_host: int = PER_HOST,
               max_workers: int = MAX_WORKERS) -> tuple[list[Fetched], dict[str, str]]:
    """Fetch ``urls``; return the fetched ones (in ``urls`` order) and ``{url: reason}`` for the rest."""
    import threading
    from collections import Counter, deque
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
    event = FETCH_EVENTS.get()
    if event:
        event("fetch_planned", n=len(urls))
    results: dict[str, Fetched | str] = {}

    def done(url, value):
        results[url] = value
        if event:
            ok = not isinstance(value, str)
            event("fetch_done", url=url, ok=ok, reason=None if ok else value)

    streak: Counter = Counter()
    if fetcher.reads_directory or len(urls) <= 1 or per_host <= 1:
        for url in urls:
            host = urlsplit(url).netloc
            if host_failure_limit and streak[host] >= host_failure_limit:
                done(url, f"skipped: {host} failed {streak[host]} times in a row")
                continue
            try:
                done(url, fetcher.get(url))
                streak[host] = 0
            except FetchError as exc:
                done(url, exc.reason)
                if _transient(exc):
                    streak[host] += 1  # a 404 in between does not prove the host is back
        return _ordered(urls, results)

    queues: dict[str, deque] = {}
    for url in urls:
        queues.setdefault(urlsplit(url).netloc, deque()).append(url)
    in_flight: Counter = Counter()
    opened: dict[str, bool] = {h: False for h in queues}  # a success seen since the last failure
    local = threading.local()

    def get(url):
        if not hasattr(local, "fetcher"):
            local.fetcher = _thread_fetcher(fetcher)
        return local.fetcher.get(url)

    futures = {}
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="fetch") as pool:
        while True:
            for host, q in queues.items():  # start what the per-host limits allow
                limit = per_host if opened[host] else 1
                while q and in_flight[host] < limit:
                    if host_failure_limit and streak[host] >= host_failure_limit:
                        while q:
                            done(q.popleft(), f"skipped: {host} failed {streak[host]} times in a row")
                        break
                    url = q.popleft()
                    futures[pool.submit(get, url)] = (host, url)
                    in_flight[host] += 1
            if not futures:
                break
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for fut in finished:
                host, url = futures.pop(fut)
                in_flight[host] -= 1
                try:
                    done(url, fut.result())
                    streak[host], opened[host] = 0, True
                except FetchError as exc:
                    done(url, exc.reason)
                    if _transient(exc):
                        streak[host] += 1
                        opened[host] = False
    return _ordered(urls, results)


def _ordered(urls, results) -> tuple[list[Fetched], dict[str, str]]:
    got = [results[u] for u in urls if not isinstance(results[u], str)]
    failed = {u: results[u] for u in urls if isinstance(results[u], str)}
    return got, failed
