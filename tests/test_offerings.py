"""Provider offerings (LiteLLM, OpenRouter), Hugging Face Hub metadata, and the Context queries."""
from __future__ import annotations

import json
import threading
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from etl.fetch import Fetched, Fetcher
from etl.matcher import Matcher
from etl.offerings import candidates, per_token_to_per_million, provider_display
from etl.registry import load_registry
from etl.sources import hf_hub, litellm, openrouter
from etl.sources.base import Context, ParseError
from tests.conftest import FIXTURES, HUB_API

SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
MAV = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def ctx(models):
    return Context(models, Matcher(models))


def fetched(url, path, captured_at=None):
    """A mirror read of a fixture, dated by its INDEX.csv ``captured_at`` as a replay would be."""
    return Fetched(url, (FIXTURES / path).read_bytes(), datetime(2026, 1, 2, tzinfo=timezone.utc), "mirror:test",
                   captured_at=captured_at, from_mirror_dir=True)


def run_parse(src, f, models):
    recs = src.parse(f)
    for r in recs:
        r["_url"], r["_fetched"] = f.url, f
    c = ctx(models)
    return src.normalise(recs, c)["offerings"], c


# ---------------------------------------------------------------- name handling

def test_candidates_peel_settings_not_models():
    names = [c[0] for c in candidates("us.meta.llama4-scout-17b-instruct-v1:0")]
    assert names[-1] == "llama4-scout-17b-instruct"
    last = candidates("together_ai/meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8")[-1]
    assert last[0].endswith("Llama-4-Maverick-17B-128E-Instruct") and last[1] == "fp8"
    assert candidates("meta-llama/llama-4-scout:free")[-1][2] == ["free"]
    # nothing is peeled that is not on the explicit list
    assert [c[0] for c in candidates("qwen/qwen3-235b-a22b-2507")] == ["qwen/qwen3-235b-a22b-2507"]


def test_price_and_provider_helpers():
    assert per_token_to_per_million("0.00000008") == pytest.approx(0.08)
    assert per_token_to_per_million("-1") is None and per_token_to_per_million(None) is None
    assert per_token_to_per_million("n/a") is None
    assert provider_display("vertex_ai-llama_models") == "Google Vertex AI"
    assert provider_display("bedrock_converse") == "AWS Bedrock"
    assert provider_display("brand_new_host") == "brand_new_host"


# ---------------------------------------------------------------- LiteLLM

def test_litellm_fixture(registry):
    f = fetched(litellm.URL, "litellm_sample.json", date(2026, 7, 24))
    rows, c = run_parse(litellm.SOURCE, f, registry)
    by = {(r["model_id"], r["provider"]): r for r in rows}
    assert by[(SCOUT, "Groq")]["context_window"] == 131072 and by[(SCOUT, "Groq")]["max_output"] == 8192
    assert by[(SCOUT, "Groq")]["input_usd_per_mtok"] == pytest.approx(0.11)
    assert by[(SCOUT, "Fireworks")]["context_window"] == 131072
    assert by[(SCOUT, "DeepInfra")]["context_window"] == 327680
    tog = by[(MAV, "Together")]
    assert tog["context_window"] is None and tog["quantisation"] == "fp8"  # no context listed: unknown
    bed = by[(SCOUT, "AWS Bedrock")]
    assert bed["context_window"] == 128000 and "region us" in bed["variant"]
    wandb = by[(SCOUT, "W&B Inference")]
    assert wandb["input_usd_per_mtok"] is None and "implausible" in wandb["note"]
    assert all(r["as_of"] == date(2026, 7, 24) for r in rows)
    # deepseek-reasoner is re-pointed: dated by the capture (2026-07-24) it is V3.2's thinking mode, never R1
    assert not any(r["model_id"] == "deepseek-ai/DeepSeek-R1" for r in rows)
    reasoner = [r for r in rows if r["raw_name"] == "deepseek-reasoner"]
    assert [(r["model_id"], r["variant"]) for r in reasoner] == [("deepseek-ai/DeepSeek-V3.2", "thinking")]
    assert "openai/gpt-4o" not in c.unmatched  # out of scope, not unmatched
    assert any("<script>" in n for n in c.unmatched)
    assert len(rows) == 7  # the embedding entry is skipped


def test_litellm_format_change_fails_loudly():
    with pytest.raises(ParseError):
        litellm.parse_catalogue('["not", "an", "object"]')
    with pytest.raises(ParseError):
        litellm.parse_catalogue('{"x/y": {"max_tokens": 5}}')


# ---------------------------------------------------------------- OpenRouter

def test_openrouter_catalogue_fixture(registry):
    f = fetched(openrouter.API, "openrouter_models_sample.json", date(2026, 4, 4))
    rows, c = run_parse(openrouter.SOURCE, f, registry)
    scout = [r for r in rows if r["model_id"] == SCOUT]
    main = next(r for r in scout if not r["variant"])
    assert main["context_window"] == 327680 and main["provider"] == "OpenRouter"
    assert main["input_usd_per_mtok"] == pytest.approx(0.08) and main["as_of"] == date(2026, 4, 4)
    free = next(r for r in scout if r["variant"] == "free")
    assert free["context_window"] == 64000 and free["input_usd_per_mtok"] == 0
    q72 = next(r for r in rows if r["model_id"] == "Qwen/Qwen2.5-72B-Instruct")
    assert q72["input_usd_per_mtok"] is None and q72["output_usd_per_mtok"] == pytest.approx(0.4)  # -1 = unknown
    assert any("qwen-max" in n for n in c.unmatched)


def test_openrouter_newest_capture_wins(registry):
    old = fetched(openrouter.API, "openrouter_models_sample.json", date(2026, 4, 4))
    data = json.loads((FIXTURES / "openrouter_models_sample.json").read_text())["data"]
    data[0] = {**data[0], "context_length": 1000, "top_provider": {"context_length": 1000}}
    new = Fetched(openrouter.DAILY_DUMP, json.dumps(data).encode(), old.fetched_at, "mirror:test",
                  captured_at=date(2026, 5, 1), from_mirror_dir=True)
    recs = []
    for f in (old, new):
        for r in openrouter.SOURCE.parse(f):
            r["_url"], r["_fetched"] = f.url, f
            recs.append(r)
    rows = openrouter.SOURCE.normalise(recs, ctx(registry))["offerings"]
    main = [r for r in rows if r["model_id"] == SCOUT and not r["variant"]]
    assert len(main) == 1 and main[0]["context_window"] == 1000 and main[0]["as_of"] == date(2026, 5, 1)


def test_openrouter_endpoints_are_not_available_offline(tmp_path, registry):
    (tmp_path / "openrouter.ai/api/v1").mkdir(parents=True)
    (tmp_path / "openrouter.ai/api/v1/models").write_bytes((FIXTURES / "openrouter_models_sample.json").read_bytes())
    out = openrouter.SOURCE.run(Fetcher(mirror=str(tmp_path)), registry, Matcher(registry))
    assert out.status == "partial" and any("not available offline" in r for r in out.failed_urls.values())
    assert any(r["model_id"] == SCOUT for r in out.tables["offerings"])


# ---------------------------------------------------------------- local HTTP server (the live seam)

class _Server:
    def __init__(self, routes: dict[str, bytes]):
        routes_ = routes
        self.hits: list[str] = []
        hits = self.hits

        class H(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                path = self.path.split("?", 1)[0]
                hits.append(path)
                body = routes_.get(path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    made = []

    def start(routes):
        s = _Server(routes)
        made.append(s)
        return s
    yield start
    for s in made:
        s.close()


def test_openrouter_endpoints_live_through_http_seam(server, registry):
    s = server({
        "/openrouter.ai/api/v1/models": (FIXTURES / "openrouter_models_sample.json").read_bytes(),
        "/openrouter.ai/api/v1/models/meta-llama/llama-4-scout/endpoints":
            (FIXTURES / "openrouter_endpoints_scout.json").read_bytes(),
    })
    out = openrouter.SOURCE.run(Fetcher(mirror=s.url, attempts=1), registry, Matcher(registry))
    eps = {r["provider"]: r for r in out.tables["offerings"] if r["via"] == "OpenRouter"}
    assert eps["Groq"]["context_window"] == 131072 and eps["Groq"]["quantisation"] is None
    assert eps["DeepInfra"]["context_window"] == 327680 and eps["DeepInfra"]["quantisation"] == "bf16"
    assert "/openrouter.ai/api/v1/models/qwen/qwen-2.5-72b-instruct/endpoints" in s.hits
    # endpoints the server lacks are failed URLs (partial), not a crash
    assert out.status == "partial" and "HTTP 404" in " ".join(out.failed_urls.values())


def test_hf_hub_client_against_local_server(server, registry):
    s = server({
        "/huggingface.co/api/models/Qwen/Qwen3-8B": (HUB_API / "huggingface.co/api/models/Qwen/Qwen3-8B").read_bytes(),
        "/huggingface.co/api/models/" + SCOUT: (HUB_API / "huggingface.co/api/models" / SCOUT).read_bytes(),
    })
    models = [m for m in registry if m.model_id in ("Qwen/Qwen3-8B", SCOUT)]
    out = hf_hub.SOURCE.run(Fetcher(mirror=s.url, attempts=1), models, Matcher(registry))
    rows = {r["model_id"]: r for r in out.tables["hub_metadata"]}
    q = rows["Qwen/Qwen3-8B"]
    assert q["params_total"] == 8190735360 and q["licence_tag"] == "apache-2.0" and q["gated"] == "false"
    assert q["downloads"] == 1234567 and q["likes"] == 789 and q["created_at"] == datetime(2025, 4, 27, 3, 42, 29)
    assert json.loads(q["params_by_dtype"]) == {"BF16": 8190735360}
    sc = rows[SCOUT]
    assert sc["gated"] == "manual" and sc["licence_tag"] == "llama4,other"
    assert any("expand" in u for u in hf_hub.SOURCE.urls(models))


def test_hf_hub_offline_reports_not_available(tmp_path, registry):
    from etl.loader import refresh
    db = tmp_path / "x.duckdb"
    rep = refresh(db, Fetcher(mirror=str(tmp_path)), only=["hf_hub", "licences"])
    st = {s.name: s for s in rep.sources}
    assert rep.published and st["hf_hub"].status == "failed" and "not available offline" in st["hf_hub"].error
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM models").fetchone()[0] > 0  # registry facts stand
    finally:
        con.close()


def test_hf_hub_extract_rejects_garbage():
    with pytest.raises(ParseError):
        hf_hub.extract_metadata({"downloads": 3})


# ---------------------------------------------------------------- replay on the real mirror

def served(db, model_id, provider, source=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute(
            "SELECT context_window FROM offerings WHERE model_id = ? AND provider = ? AND (? IS NULL OR source = ?)"
            " AND variant IS NULL", [model_id, provider, source, source]).fetchall()}
    finally:
        con.close()


def test_replay_scout_advertised_vs_served(mirror_db):
    from landscape import offer_queries
    from landscape.filters import Filters
    assert served(mirror_db, SCOUT, "Groq") == {131072}
    assert served(mirror_db, SCOUT, "Fireworks") == {131072}
    assert served(mirror_db, SCOUT, "DeepInfra") == {327680}
    assert served(mirror_db, SCOUT, "OpenRouter", "openrouter") == {327680}
    summ = offer_queries.context_summary(Filters(), mirror_db)
    row = summ[summ["model_id"] == SCOUT].iloc[0]
    assert row["context_claimed"] == 10_485_760 and row["served_max"] >= 10_000_000 and row["providers"] >= 10
    assert row["cheapest_provider"] and row["cheapest_blended"] > 0


def test_replay_offerings_keep_provenance(mirror_db):
    con = duckdb.connect(str(mirror_db), read_only=True)
    try:
        n, bad = con.execute("SELECT count(*), count(*) FILTER (WHERE source_url IS NULL OR as_of IS NULL "
                             "OR raw_name = '') FROM offerings").fetchone()
        srcs = dict(con.execute("SELECT name, status FROM sources").fetchall())
    finally:
        con.close()
    assert n > 200 and bad == 0
    assert srcs["litellm"] == "ok" and srcs["openrouter"] == "partial" and srcs["hf_hub"] == "failed"


def test_hf_hub_reads_a_capture_when_the_mirror_has_one(tmp_path, registry):
    d = tmp_path / "huggingface.co/api/models/Qwen"
    d.mkdir(parents=True)
    (d / "Qwen3-8B").write_bytes((HUB_API / "huggingface.co/api/models/Qwen/Qwen3-8B").read_bytes())
    models = [m for m in registry if m.model_id in ("Qwen/Qwen3-8B", SCOUT)]
    out = hf_hub.SOURCE.run(Fetcher(mirror=str(tmp_path)), models, Matcher(registry))
    assert [r["model_id"] for r in out.tables["hub_metadata"]] == ["Qwen/Qwen3-8B"]
    assert set(out.failed_urls.values()) == {hf_hub.NOT_OFFLINE}


def test_price_vs_score_uses_the_landscape_score_and_the_cheapest_price(snapshot_db):
    from landscape import offer_queries, queries
    from landscape.filters import Filters
    pts = offer_queries.price_vs_score(Filters(), "lmarena_text", "lmarena", path=snapshot_db)
    land = queries.landscape_points(Filters(), "lmarena_text", "lmarena", path=snapshot_db).set_index("model_id")
    assert len(pts) > 5 and pts["cheapest_blended"].notna().all()
    for r in pts.itertuples():
        assert r.score == land.loc[r.model_id, "score"] and r.score_source == "lmarena"
    scout = pts[pts["model_id"] == "meta-llama/Llama-4-Scout-17B-16E-Instruct"]
    assert len(scout) == 1 and scout.iloc[0]["score"] == land.loc["meta-llama/Llama-4-Scout-17B-16E-Instruct", "score"]


def _upstream_scout_prices() -> dict[str, float]:
    """Blended USD/1M per upstream entry for Llama 4 Scout (17B-16E), straight from the mirror's raw
    files: LiteLLM's per-token prices and both OpenRouter captures (free and unit-slip entries out)."""
    from tests.conftest import MIRROR
    out = {}
    lite = json.loads((MIRROR / "raw.githubusercontent.com/BerriAI/litellm/main/"
                                "model_prices_and_context_window.json").read_text())
    for key, v in lite.items():
        k = key.lower()
        if isinstance(v, dict) and "scout" in k and "128e" not in k and v.get("mode") == "chat":
            i, o = v.get("input_cost_per_token"), v.get("output_cost_per_token")
            if i is not None and o is not None:
                out[key] = (0.75 * i + 0.25 * o) * 1e6
    for path in ("openrouter.ai/api/v1/models",
                 "raw.githubusercontent.com/skissue/gptel-openrouter-models/main/openrouter-models.json"):
        doc = json.loads((MIRROR / path).read_text())
        for m in doc["data"] if isinstance(doc, dict) else doc:
            if m["id"] == "meta-llama/llama-4-scout":
                p = m["pricing"]
                out["openrouter:" + path] = (0.75 * float(p["prompt"]) + 0.25 * float(p["completion"])) * 1e6
    return {k: v for k, v in out.items() if 0 < v <= 1000}


def test_replay_scout_cheapest_provider_is_the_upstream_minimum(mirror_db):
    from landscape import offer_queries
    from landscape.filters import Filters
    prices = _upstream_scout_prices()
    cheapest_key = min(prices, key=prices.get)
    assert len(prices) >= 10 and cheapest_key.startswith("lambda_ai/")  # Lambda: $0.05 in, $0.10 out
    summ = offer_queries.context_summary(Filters(), mirror_db).set_index("model_id")
    row = summ.loc[SCOUT]
    assert row["cheapest_provider"] == "Lambda"
    assert row["cheapest_blended"] == pytest.approx(prices[cheapest_key])
    assert row["cheapest_blended"] < sorted(prices.values())[1]  # strictly below the runner-up
    assert (row["cheapest_input"], row["cheapest_output"]) == pytest.approx((0.05, 0.10))


def test_price_vs_score_pairs_each_model_with_its_newest_independent_score(snapshot_db):
    """Checked against the raw scores table (not against the function price_vs_score calls)."""
    from landscape import offer_queries
    from landscape.filters import Filters
    from tests.conftest import rows
    pts = offer_queries.price_vs_score(Filters(), "lmarena_text", "lmarena", path=snapshot_db).set_index("model_id")
    assert len(pts) > 5
    for mid, r in pts.iterrows():
        raw = rows(snapshot_db, "SELECT as_of, value FROM scores WHERE model_id = ? AND benchmark = 'lmarena_text' "
                                "AND source = 'lmarena' AND NOT vendor_claimed", [mid])
        newest = max(a for a, _ in raw)
        assert r["score"] == max(v for a, v in raw if a == newest), mid
        prices = rows(snapshot_db, "SELECT 0.75 * input_usd_per_mtok + 0.25 * output_usd_per_mtok FROM offerings "
                                   "WHERE model_id = ? AND input_usd_per_mtok IS NOT NULL "
                                   "AND output_usd_per_mtok IS NOT NULL", [mid])
        assert r["cheapest_blended"] == pytest.approx(min(p for (p,) in prices if p > 0)), mid
