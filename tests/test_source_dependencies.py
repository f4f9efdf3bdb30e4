"""A file that cannot be read without a failed companion keeps its last good rows (per URL)."""
import shutil

import duckdb

from etl.fetch import Fetcher
from etl.loader import refresh
from etl.sources import livebench, openrouter
from tests.conftest import MIRROR, need_mirror


def test_livebench_table_whose_categories_file_fails_keeps_last_good_rows(tmp_path):
    need_mirror()
    mirror = tmp_path / "m"
    shutil.copytree(MIRROR / "livebench.ai", mirror / "livebench.ai")
    shutil.copytree(MIRROR / "raw.githubusercontent.com" / "LiveBench", mirror / "raw.githubusercontent.com" / "LiveBench")
    db = tmp_path / "l.duckdb"
    refresh(db, Fetcher(mirror=str(mirror)), sources=[livebench.SOURCE])
    q = "SELECT count(*) FROM scores WHERE benchmark LIKE 'livebench_2025_04_25%'"
    before = duckdb.connect(str(db), read_only=True).execute(q).fetchone()[0]
    assert before > 0
    (mirror / "livebench.ai" / "categories_2025_04_25.json").unlink()
    rep = refresh(db, Fetcher(mirror=str(mirror)), sources=[livebench.SOURCE])
    (s,) = rep.sources
    assert s.status == "partial" and "2 of" in s.error  # the categories file and the table that needs it
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(q).fetchone()[0] == before  # kept, not dropped
    assert con.execute("SELECT count(*) FROM scores WHERE benchmark LIKE 'livebench_2025_11_25%'").fetchone()[0] > 0
    con.close()


def test_livebench_requires_pairs_table_with_its_categories():
    t = "https://livebench.ai/table_2025_04_25.csv"
    assert livebench.SOURCE.requires(t) == ["https://livebench.ai/categories_2025_04_25.json"]
    assert livebench.SOURCE.requires("https://livebench.ai/categories_2025_04_25.json") == []


def test_openrouter_endpoints_respect_the_host_failure_limit(monkeypatch):
    """A down openrouter.ai costs host_failure_limit attempts, not one per model."""
    from etl.fetch import Fetched, FetchError
    from datetime import datetime, timezone
    catalogue = '{"data": [' + ",".join(
        f'{{"id": "meta-llama/llama-4-scout-{i}", "context_length": 1, "pricing": {{}}}}' for i in range(30)) + "]}"

    class Down:
        reads_directory = False
        calls = 0

        def get(self, url):
            if url.endswith("/models"):
                return Fetched(url, catalogue.encode(), datetime.now(timezone.utc), "test")
            Down.calls += 1
            raise FetchError(url, "timed out")
    got, failed = openrouter.SOURCE.fetch(Down(), [openrouter.SOURCE.urls([])[0]])
    assert Down.calls == openrouter.SOURCE.host_failure_limit
    assert sum("skipped" in r for r in failed.values()) == len(failed) - Down.calls


def test_every_source_has_a_kind_and_eval_tools_follow_the_registry():
    from etl.sources import all_sources, sources_of_kind
    from tools.scan_eval_names import EVAL_SOURCES
    kinds = {s.name: s.kind for s in all_sources()}
    assert kinds["aider"] == "evals" and kinds["hf_config"] == kinds["maxtext"] == "architectures"
    assert kinds["litellm"] == kinds["openrouter"] == "offerings" and kinds["licences"] == "licences"
    assert kinds["hf_hub"] == "hub"
    assert EVAL_SOURCES == tuple(s.name for s in sources_of_kind("evals"))
    assert set(EVAL_SOURCES) == {n for n, k in kinds.items() if k == "evals"}
