"""Fault-injection HTTP server: the mirror's real files on 127.0.0.1, with faults on demand.

``FaultServer(mirror_dir)`` serves ``/<host>/<path>`` from ``mirror_dir/<host>/<path>``
(the URL form ``Fetcher(mirror="http://127.0.0.1:PORT")`` produces) with ``Content-Length`` and
a ``Last-Modified`` from the file's mtime, like a static host. ``server.fault(pattern, name, **kw)``
makes every path matching the ``fnmatch`` pattern (e.g. ``"raw.githubusercontent.com/Aider-AI/*"``)
answer with one of ``FAULTS`` instead; ``times=N`` limits a fault to its first N hits (a transient
fault), ``server.body(pattern, bytes)`` replaces a file's content (hostile or fake upstreams).
``server.hits`` counts requests per path. Everything is bounded: the server binds 127.0.0.1 on a
random port, a "timeout" sleeps at most ``hang_seconds`` (default 2 s) and stops on shutdown.

Faults
  status      HTTP ``code`` (404, 500, 503, ...)          retry_after  429 with ``Retry-After: seconds``
  timeout     headers only after ``hang_seconds``          reset        TCP RST before any byte
  truncated   Content-Length twice what is sent           empty        200 with an empty body
  invalid     a body that is not valid JSON/CSV/YAML      html         an HTML error page with status 200
  huge        the file repeated 100x (streamed)           rename       every field/column renamed
  missing     numeric fields/columns removed              newcol       a new field/column (CSV: first)
  types       numbers as "27.7%" strings                   nulls        numbers as null / blank
  duplicate   every record twice
"""
from __future__ import annotations

import csv
import email.utils
import fnmatch
import functools
import io
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

FETCH_FAULTS = ("status404", "status500", "status503", "retry_after", "timeout", "reset", "truncated", "huge")
BODY_FAULTS = ("empty", "invalid", "html")
SCHEMA_FAULTS = ("rename", "missing", "newcol", "types", "nulls", "duplicate")
FAULTS = FETCH_FAULTS + BODY_FAULTS + SCHEMA_FAULTS


@dataclass
class Fault:
    pattern: str
    name: str
    times: int | None = None  # None: always
    code: int = 500
    retry_after: int = 7
    hang_seconds: float = 2.0
    used: int = 0


class NotTransformable(ValueError):
    """The file's format has no meaningful version of this fault (e.g. 'rename' on HTML)."""


# ---------------------------------------------------------------- format-aware transforms

def detect_format(path: str, body: bytes) -> str:
    p = path.lower()
    if p.endswith((".yml", ".yaml")):
        return "yaml"
    if p.endswith(".csv"):
        return "csv"
    try:
        json.loads(body.decode("utf-8-sig"))
        return "json"
    except (UnicodeDecodeError, ValueError):
        pass
    text = body[:4096].decode("utf-8", "replace")
    lines = text.splitlines()
    if len(lines) > 1 and "," in lines[0] and not text.lstrip().startswith("<"):
        return "csv"
    return "other"


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _num_str(s: str) -> bool:
    try:
        float(s)
        return s.strip() != ""
    except ValueError:
        return False


def _records(doc):
    """The record dicts of a JSON/YAML document: the longest list of dicts, else the top dict."""
    best: list = []

    def walk(x):
        nonlocal best
        if isinstance(x, list):
            dicts = [e for e in x if isinstance(e, dict)]
            if len(dicts) > len(best):
                best = dicts
            for e in x:
                walk(e)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
    walk(doc)
    if best:
        return best
    return [doc] if isinstance(doc, dict) else []


def _walk_values(x, fn):
    """Apply fn to every scalar leaf, rebuilding containers."""
    if isinstance(x, dict):
        return {k: _walk_values(v, fn) for k, v in x.items()}
    if isinstance(x, list):
        return [_walk_values(v, fn) for v in x]
    return fn(x)


def _pct(v):
    return f"{v}%" if _is_num(v) else v


def _tree_fault(doc, fault: str):
    recs = _records(doc)
    if not recs:
        raise NotTransformable("no records")
    if fault == "rename":
        def ren(x):
            if isinstance(x, dict):
                return {f"{k}_v2": ren(v) for k, v in x.items()}
            if isinstance(x, list):
                return [ren(v) for v in x]
            return x
        return ren(doc)
    if fault == "types":
        return _walk_values(doc, _pct)
    if fault == "nulls":
        return _walk_values(doc, lambda v: None if _is_num(v) else v)
    # the remaining faults edit the records in place
    if fault == "missing":
        for r in recs:
            for k in [k for k, v in r.items() if _is_num(v)]:
                del r[k]
        return doc
    if fault == "newcol":
        for r in recs:
            r["zz_new_metric"] = 0.5
        return doc
    if fault == "duplicate":
        def dup(x):
            if isinstance(x, list):
                if x and all(isinstance(e, dict) for e in x) and x[0] is recs[0]:
                    return x + [json.loads(json.dumps(e, default=str)) for e in x]
                return [dup(e) for e in x]
            if isinstance(x, dict):
                return {k: dup(v) for k, v in x.items()}
            return x
        if recs and recs[0] is doc:
            raise NotTransformable("a single-object document has no rows to duplicate")
        return dup(doc)
    raise ValueError(fault)


def _csv_fault(text: str, fault: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2:
        raise NotTransformable("CSV without data rows")
    head, data = rows[0], rows[1:]
    numeric = [i for i in range(len(head))
               if sum(_num_str(r[i]) for r in data if i < len(r)) > len(data) / 2]
    if fault == "rename":
        head = [f"{h}_v2" for h in head]
    elif fault == "missing":
        keep = [i for i in range(len(head)) if i not in numeric]
        head = [head[i] for i in keep]
        data = [[r[i] for i in keep if i < len(r)] for r in data]
    elif fault == "newcol":
        head = ["zz_new_metric"] + head
        data = [["0.5"] + r for r in data]
    elif fault == "types":
        data = [[c + "%" if _num_str(c) else c for c in r] for r in data]
    elif fault == "nulls":
        data = [["" if i in numeric else c for i, c in enumerate(r)] for r in data]
    elif fault == "duplicate":
        data = data + data
    else:
        raise ValueError(fault)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([head] + data)
    return out.getvalue()


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.lru_cache(maxsize=256)
def transform(path: str, body: bytes, fault: str) -> bytes:
    """The body with a schema fault applied (NotTransformable when the format has none).

    Memoised: the server answers from the cache, well inside a client's short read timeout."""
    fmt = detect_format(path, body)
    text = body.decode("utf-8-sig")
    if fmt == "csv":
        return _csv_fault(text, fault).encode()
    if fmt == "json":
        return json.dumps(_tree_fault(json.loads(text), fault)).encode()
    if fmt == "yaml":
        doc = yaml.load(text, Loader=_YAML_LOADER)
        return yaml.dump(_tree_fault(doc, fault), Dumper=_YAML_DUMPER, sort_keys=False).encode()
    raise NotTransformable(f"format {fmt}")


def invalid_body(path: str, body: bytes) -> bytes:
    fmt = detect_format(path, body)
    if fmt == "json":
        return b'{"data": [{"model": "x", "score": 1.0}, {"model": '
    if fmt == "yaml":
        return b"- model: [unclosed\n  pass_rate_2: : :\n\t- bad indent\n"
    if fmt == "csv":
        return b'"unterminated,quote\n\x00\xff\xfe binary \x00\n'
    return b"\x00\xff\xfe\x00 not text"


HTML_PAGE = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Rate limited</body></html>"


# ---------------------------------------------------------------- server

class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        # no Nagle: headers and body go out at once (else each response waits for a delayed ACK)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):  # noqa: N802
        fs: FaultServer = self.server.owner
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        with fs.lock:
            fs.hits[rel] = fs.hits.get(rel, 0) + 1
            fault = fs._fault_for(rel)
            replaced = fs._body_for(rel)
        file = fs.file_for(rel)
        if replaced is None and file is None:
            return self._send(404, b"not found")
        body = replaced if replaced is not None else file.read_bytes()
        mtime = file.stat().st_mtime if file is not None else time.time()
        headers = {"Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
        if fault is None:
            return self._send(200, body, headers)
        name = fault.name
        if name.startswith("status"):
            return self._send(int(name[6:]) if name[6:] else fault.code, b"error")
        if name == "retry_after":
            return self._send(429, b"slow down", {"Retry-After": str(fault.retry_after)})
        if name == "timeout":
            fs.stopping.wait(fault.hang_seconds)
            return self._send(200, body, headers)
        if name == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if name == "truncated":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 2 + 100))
            self.end_headers()
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if name == "huge":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 100))
            self.end_headers()
            try:
                for _ in range(100):
                    if fs.stopping.is_set():
                        break
                    self.wfile.write(body)
            except OSError:
                pass  # the client stopped reading at its cap
            self.close_connection = True
            return
        if name == "empty":
            return self._send(200, b"", headers)
        if name == "invalid":
            return self._send(200, invalid_body(rel, body), headers)
        if name == "html":
            return self._send(200, HTML_PAGE, {**headers, "Content-Type": "text/html"})
        try:
            body = transform(rel, body, name)
        except NotTransformable:
            pass  # this file's format has no such fault: served unchanged
        return self._send(200, body, headers)

    def _send(self, code: int, body: bytes, headers: dict | None = None):
        try:
            self.send_response(code)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "FaultServer"

    def handle_error(self, request, client_address):  # resets and broken pipes are the point
        pass


class FaultServer:
    def __init__(self, *roots: Path | str):
        """Serve files from ``roots`` (the first that holds a path wins)."""
        self.roots = [Path(r) for r in roots]
        self.faults: list[Fault] = []
        self.bodies: list[tuple[str, bytes]] = []
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._srv = _Server(("127.0.0.1", 0), _Handler)
        self._srv.owner = self
        self._thread = threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._srv.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FaultServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._srv.shutdown()
        self._srv.server_close()
        self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def file_for(self, rel: str) -> Path | None:
        if ".." in Path(rel).parts:
            return None
        return next((r / rel for r in self.roots if (r / rel).is_file()), None)

    def reset(self) -> None:
        with self.lock:
            self.faults.clear()
            self.bodies.clear()
            self.hits.clear()

    def fault(self, pattern: str, name: str, **kw) -> Fault:
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        f = Fault(pattern, name, **kw)
        with self.lock:
            self.faults.append(f)
        return f

    def body(self, pattern: str, content: bytes) -> None:
        with self.lock:
            self.bodies.append((pattern, content))

    def hits_matching(self, pattern: str) -> int:
        with self.lock:
            return sum(n for p, n in self.hits.items() if fnmatch.fnmatchcase(p, pattern))

    def _fault_for(self, rel: str) -> Fault | None:
        for f in self.faults:
            if fnmatch.fnmatchcase(rel, f.pattern) and (f.times is None or f.used < f.times):
                f.used += 1
                return f
        return None

    def _body_for(self, rel: str) -> bytes | None:
        for pattern, content in self.bodies:
            if fnmatch.fnmatchcase(rel, pattern):
                return content
        return None


def url_path(url: str) -> str:
    """``https://host/a/b?q`` -> ``host/a/b`` (the path the Fetcher asks the fault server for)."""
    from etl.fetch import mirror_relpath
    return mirror_relpath(url)
