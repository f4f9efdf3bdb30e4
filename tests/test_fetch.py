"""The HTTP seam: mirror mapping, retries, Retry-After, bounded bodies."""
import http.server
import threading

import pytest

from etl.fetch import Fetcher, FetchError, mirror_relpath


def test_mirror_relpath_drops_query_and_refuses_escape():
    assert mirror_relpath("https://livebench.ai/table_2025_04_25.csv?x=1") == "livebench.ai/table_2025_04_25.csv"
    with pytest.raises(FetchError):
        mirror_relpath("https://h/../../etc/passwd")
    with pytest.raises(FetchError):
        mirror_relpath("file:///etc/passwd")


def test_mirror_dir_reads_same_url(tmp_path):
    (tmp_path / "example.org" / "a").mkdir(parents=True)
    (tmp_path / "example.org" / "a" / "b.csv").write_bytes(b"x,y\n")
    f = Fetcher(mirror=str(tmp_path)).get("https://example.org/a/b.csv?v=2")
    assert f.content == b"x,y\n" and f.origin.startswith("mirror:")
    with pytest.raises(FetchError, match="not in mirror"):
        Fetcher(mirror=str(tmp_path)).get("https://example.org/missing.csv")


class _Handler(http.server.BaseHTTPRequestHandler):
    plan: list = []
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        status, headers, body = self.plan.pop(0) if self.plan else (200, {}, b"ok")
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    _Handler.plan, _Handler.hits = [], []
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_retries_429_honouring_retry_after_then_succeeds(server):
    _Handler.plan = [(429, {"Retry-After": "7"}, b""), (503, {}, b""), (200, {}, b"data")]
    slept = []
    f = Fetcher(mirror=server, sleep=slept.append).get("https://example.org/x.json")
    assert f.content == b"data"
    assert slept == [7.0, 1.0]  # Retry-After honoured, then exponential backoff
    assert _Handler.hits == ["/example.org/x.json"] * 3


def test_retry_after_is_capped_and_attempts_bounded(server):
    _Handler.plan = [(503, {"Retry-After": "3600"}, b"")] * 10
    slept = []
    with pytest.raises(FetchError, match="HTTP 503 after 4 attempt"):
        Fetcher(mirror=server, sleep=slept.append, max_retry_after=2).get("https://example.org/x")
    assert slept == [2, 2, 2]


def test_404_is_not_retried(server):
    _Handler.plan = [(404, {}, b"")]
    with pytest.raises(FetchError, match="HTTP 404"):
        Fetcher(mirror=server, sleep=lambda s: None).get("https://example.org/x")
    assert len(_Handler.hits) == 1


def test_body_size_is_bounded(server):
    _Handler.plan = [(200, {}, b"x" * 1000)]
    with pytest.raises(FetchError, match="too large"):
        Fetcher(mirror=server, max_bytes=100).get("https://example.org/big")


def test_user_agent_is_descriptive():
    assert "open-model-landscape" in Fetcher().session.headers["User-Agent"]
