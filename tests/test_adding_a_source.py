"""README "Adding a source", proved: a new eval source is one new module plus its registry entry.

``tests/toy_source.py`` is that module; this test registers it in ``etl.sources.SOURCE_MODULES`` (and
nowhere else) and follows it through the registry, the loader (scores, unmatched names with a
reason, the sources table), the load context's raw names and ``tools/scan_eval_names.py``.
"""
import duckdb
import pytest

import etl.sources
from etl.fetch import Fetcher
from etl.loader import refresh
from etl.matcher import Matcher
from etl.registry import load_registry
from tools import scan_eval_names

CSV = "model,score\nLlama-3.3-70B-Instruct,71.5\nqwen-toy-finetune-9000,40\nSomethingElse-7B,12\nLlama-3.3-70B-Instruct,\n"


@pytest.fixture()
def toy_mirror(tmp_path, monkeypatch):
    monkeypatch.setattr(etl.sources, "SOURCE_MODULES", [*etl.sources.SOURCE_MODULES, "tests.toy_source"])
    mirror = tmp_path / "mirror"
    (mirror / "toy.example").mkdir(parents=True)
    (mirror / "toy.example" / "leaderboard.csv").write_text(CSV)
    return mirror


def test_a_registered_module_is_a_source_of_its_kind(toy_mirror):
    assert etl.sources.get_source("toy").kind == "evals"
    assert "toy" in [s.name for s in etl.sources.sources_of_kind("evals")]


def test_the_run_context_records_every_raw_name_matched_or_not(toy_mirror):
    models = load_registry()
    out = etl.sources.get_source("toy").run(Fetcher(mirror=str(toy_mirror)), models, Matcher(models))
    assert out.names == {"Llama-3.3-70B-Instruct": "meta-llama/Llama-3.3-70B-Instruct",
                         "qwen-toy-finetune-9000": None, "SomethingElse-7B": None}
    assert out.matched == 2 and dict(out.unmatched) == {"qwen-toy-finetune-9000": 1, "SomethingElse-7B": 1}


def test_the_loader_publishes_its_scores_and_unmatched_names(toy_mirror, tmp_path):
    db = tmp_path / "toy.duckdb"
    rep = refresh(db, Fetcher(mirror=str(toy_mirror)), only=["toy"])
    (toy,) = [s for s in rep.sources if s.name == "toy"]
    assert toy.status == "ok" and toy.matched == 2 and toy.unmatched == 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT model_id, benchmark, value FROM scores WHERE source = 'toy'").fetchall() == [
            ("meta-llama/Llama-3.3-70B-Instruct", "toy_score", 71.5)]
        unmatched = con.execute("SELECT raw_name, reason FROM unmatched WHERE source = 'toy' ORDER BY raw_name").fetchall()
        assert [n for n, _ in unmatched] == ["SomethingElse-7B", "qwen-toy-finetune-9000"]
        assert all(reason for _, reason in unmatched)  # every unmatched name says why
        assert con.execute("SELECT status, matched, unmatched, frozen FROM sources WHERE name = 'toy'").fetchone() == (
            "ok", 2, 2, False)
    finally:
        con.close()


def test_the_scan_tool_lists_its_family_names_without_a_rule_for_it(toy_mirror, monkeypatch, capsys):
    assert scan_eval_names.names_of("toy", str(toy_mirror)) == {"Llama-3.3-70B-Instruct", "qwen-toy-finetune-9000"}
    monkeypatch.setattr(etl.sources, "SOURCE_MODULES", ["tests.toy_source"])  # main() scans every eval source
    scan_eval_names.main(str(toy_mirror))
    out = capsys.readouterr().out.splitlines()
    assert out == ["'Llama-3.3-70B-Instruct': 'meta-llama/Llama-3.3-70B-Instruct',  # toy | setting=''",
                   "'qwen-toy-finetune-9000': None,  # toy | setting=''"]


def test_a_source_that_places_names_without_the_context_reports_its_rows_and_unmatched_names():
    from etl.sources.base import Context
    ctx = Context(load_registry(), Matcher(load_registry()))
    ctx.unmatched["qwen-mystery (base or instruct?)"] += 1
    ctx.names_from_output({"offerings": [{"raw_name": "together/llama-3.3-70b", "model_id": "meta-llama/Llama-3.3-70B-Instruct"}],
                           "other": [{"model_id": "x"}]})
    assert ctx.names == {"together/llama-3.3-70b": "meta-llama/Llama-3.3-70B-Instruct",
                         "qwen-mystery (base or instruct?)": None}
