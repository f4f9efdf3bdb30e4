"""The Model page (/model?id=...) and the launch scorecard: core sections, every registered model
through AppTest, the Maverick scorecard in Markdown and HTML, escaping of upstream strings."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landscape import model_page, scorecard
from tests.conftest import rows, run_page

MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"
EXPERIMENTAL = "meta-llama/Llama-4-Maverick-03-26-Experimental"
SECTIONS = ["Identity and lineage", "Size and architecture", "Evals (independent)",
            "Vendor claims beside independent results", "Deployment (estimates)",
            "Context: advertised vs served vs feasible", "Licence", "Providers", "Sources and as-of"]


def test_page_url_round_trips_any_id():
    for mid in [MAVERICK, "evil/<script>alert(1)</script>", "a&b=c?d#e"]:
        url = model_page.page_url(mid)
        assert url.startswith("model?") and parse_qs(urlsplit(url).query)["id"] == [mid]


def test_claimant_reads_the_claim_setting():
    from landscape.evals import claimant
    assert claimant("claimed by Qwen; non-thinking mode") == "Qwen"
    assert claimant("claimed by Meta") == "Meta"
    assert claimant("FP8; Epoch AI run") == ""


def test_maverick_report_sections(snapshot_db):
    rep = model_page.report(MAVERICK, snapshot_db)
    ident = dict(zip(rep.identity["attribute"], rep.identity["value"]))
    assert ident["family"] == "Llama 4" and ident["status"] == "released" and ident["weights"] == "open"
    size = dict(zip(rep.size["attribute"], rep.size["value"]))
    assert size["total parameters"] == "400" and size["experts (total / active per token)"] == "128 / 1"
    assert size["KV cache per token (BF16, full-attention layers)"] == f"{2 * 8 * 128 * 2 * 12:,}"  # 12 NoPE layers
    # the released model's own LMArena score, ranked in its tier; the experimental 1417 is kept apart
    lm = rep.evals[(rep.evals["benchmark"] == "lmarena_text") & rep.evals["headline"]].iloc[0]
    assert lm["value"] == 1292 and re.match(r"\d+ of \d+ \(Frontier \(150B\+\)\)", lm["rank_in_tier"])
    assert 1417 not in set(rep.evals["value"])
    exp = rep.variant_scores[rep.variant_scores["model_id"] == EXPERIMENTAL]
    assert 1417 in set(exp["value"])
    # vendor claims carry who reported them (Meta for its own model card, Qwen in its tech report)
    assert {"Meta", "Qwen"} <= set(rep.claims["claimant"])
    assert {"developer", "other vendor"} <= set(rep.claims["reported_by"])  # Meta's own vs Qwen's table
    gpqa = rep.claims[(rep.claims["claimant"] == "Meta") & (rep.claims["benchmark"] == "GPQA diamond (%)")].iloc[0]
    assert gpqa["claimed"] == 69.8 and gpqa["independent"] == 67.0 and gpqa["gap"] == 2.8
    # deployment: FP8 fits one 8x H100 node, BF16 needs the 8x H200 node
    dep = rep.deployment.set_index("format")
    assert dep.loc["FP8", "smallest hardware"] == "8-GPU node"
    assert dep.loc["BF16", "smallest hardware"] == "8x H200 node"
    ctx = rep.context_hw.set_index("hardware_id")
    assert ctx.loc["h100", "FP8 (vLLM)"] == "does not fit" and ctx.loc["8xh100", "FP8 (vLLM)"] == "1,048,576"
    # advertised vs served
    served = rep.context[rep.context["kind"] == "served"]["tokens"].dropna().astype(int).tolist()
    assert rep.context.iloc[0]["tokens"] == 1_048_576 and min(served) < 1_048_576
    assert set(rep.licence["use_case"]) >= {"commercial", "eu_image", "mau", "own_name"}
    assert rep.licence_facts["mau_threshold"] == 700_000_000
    # peers: same tier, other families, released within the window; the link opens Compare with them
    assert len(rep.peers) and "Llama 4" not in set(rep.peers["family"])
    assert (rep.peers["days_apart"] <= model_page.PEER_WINDOW_DAYS).all()
    assert rep.compare_ids[0] == MAVERICK and len(rep.compare_ids) == 1 + len(rep.peers)
    assert {"evals", "licence", "providers", "identity"} <= set(rep.sources["section"])
    # every section's source is a short text naming where its rows came from
    for df in (rep.identity, rep.size, rep.sources):
        assert all(isinstance(s, str) and len(s) < 200 for s in df["source"]), df["source"].tolist()
    assert "registry (data/models.yaml)" in set(rep.identity["source"]) & set(rep.size["source"])


def test_unknown_model_raises(snapshot_db):
    with pytest.raises(model_page.UnknownModel):
        model_page.report("nobody/nothing", snapshot_db)


def test_closed_and_unreleased_models_say_so(snapshot_db):
    gem = model_page.report("google/gemini-2.5-pro", snapshot_db) if rows(
        snapshot_db, "SELECT 1 FROM models WHERE model_id = 'google/gemini-2.5-pro'") else None
    if gem is not None:
        assert set(gem.deployment["smallest hardware"]) == {"API only (closed weights)"}
    beh = model_page.report("meta-llama/Llama-4-Behemoth", snapshot_db)
    assert set(beh.deployment["smallest hardware"]) == {"not available (unreleased)"}
    assert beh.evals.empty and beh.providers.empty


def test_every_registered_model_page_renders(app_db):
    """AppTest over every registry model: no exception, every section present (or saying unknown)."""
    ids = [r[0] for r in rows(app_db, "SELECT model_id FROM models ORDER BY model_id")]
    at = run_page("app_pages/model.py", {"id": ids[0]})
    assert not at.exception, [e.value for e in at.exception]
    for mid in ids:
        at.session_state["mp_model"] = mid
        at.run()
        assert not at.exception, (mid, [e.value for e in at.exception])
        assert [h.value for h in at.subheader] == SECTIONS, mid
        md = " ".join(m.value for m in at.markdown)
        assert mid in " ".join(c.value for c in at.caption), mid
        # each section is a table or says unknown
        assert len(at.dataframe) >= 5 or "unknown" in md, mid


def test_shared_link_opens_the_model_and_bad_id_gives_a_notice(app_db):
    at = run_page("app_pages/model.py", {"id": EXPERIMENTAL})
    assert not at.exception
    assert at.selectbox(key="mp_model").value == EXPERIMENTAL
    assert at.query_params["id"] == [EXPERIMENTAL] or at.query_params["id"] == EXPERIMENTAL
    bad = run_page("app_pages/model.py", {"id": "<script>alert(1)</script>"})
    assert not bad.exception
    assert any("ignored 'id'" in w.value for w in bad.warning)


def test_maverick_scorecard_markdown(snapshot_db):
    md = scorecard.render(MAVERICK, None, "md", snapshot_db).decode()
    for section in ("How good is it really?", "Which size fits?", "What may I do with it?",
                    "What do hosts actually serve?", "Sources and as-of"):
        assert any(line.startswith("## ") and section in line for line in md.splitlines()), section
    # the experimental 1417 sits apart, beside the released model's own latest score
    exp_row = next(l for l in md.splitlines() if l.startswith("| Llama 4 Maverick (03-26 experimental) |"))
    assert "| 1417 |" in exp_row and "| 1292 |" in exp_row
    lm_row = next(l for l in md.splitlines() if l.startswith("| LMArena text (Elo) | lmarena |"))
    assert "1292" in lm_row and "1417" not in lm_row
    # Meta's claims beside the independent results, with who reported them
    gpqa = next(l for l in md.splitlines() if l.startswith("| GPQA diamond (%) | 69.8 | Meta (developer) |"))
    assert "| 67 |" in gpqa and "| 2.8 |" in gpqa
    # advertised 1M vs what hosts serve
    assert "| advertised | vendor claim (model card) | 1048576 |" in md
    assert re.search(r"\| Groq \| 131072 \|", md)
    # the licence clauses
    assert "700,000,000" in md and "Built with Llama" in md and 'must begin with "Llama"' in md
    assert "multimodal Llama 4 models" in md and "EU: multimodal models only | yes" in md
    # memory on 8x H100 at FP8 vs BF16
    fp8 = next(l for l in md.splitlines() if l.startswith("| FP8 | 384"))
    bf16 = next(l for l in md.splitlines() if l.startswith("| BF16 | 755"))
    assert "fits with" in fp8 and "does not fit: needs" in bf16 and "| 576 |" in bf16


def test_maverick_scorecard_html_with_chosen_peers(snapshot_db):
    doc = scorecard.render(MAVERICK, ["Qwen/Qwen3-235B-A22B"], "html", snapshot_db).decode()
    assert doc.startswith("<!DOCTYPE html>") and "<script" not in doc
    assert "Content-Security-Policy" in doc and doc.count("<svg") >= 3
    assert "<th>Qwen3 235B-A22B</th>" in doc and "DeepSeek V3-0324" not in doc.split("Peers:")[1].split("</p>")[0]
    assert "<td>Llama 4 Maverick (03-26 experimental)</td>" in doc and "<td>1417</td>" in doc
    assert "&quot;Built with Llama&quot;" in doc and "700,000,000" in doc
    assert re.search(r"<td>BF16</td><td>75[0-9]\.[0-9]</td>", doc)  # ~755 GiB on 8x H100 (fit estimate)
    assert '<a href="https://github.com/meta-llama/llama-models/blob/main/models/llama4/LICENSE">' in doc


def test_scorecard_escapes_hostile_upstream_strings(fixture_db):
    db = fixture_db(tables={"scores": "scores.csv", "sources": "sources.csv"})
    evil = "evil/<script>alert(1)</script>"
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO scores (model_id, source, benchmark, setting, value, unit, vendor_claimed, raw_name, "
                "as_of, source_url) VALUES (?, 'lmarena', 'lmarena_text', '<b>x</b>|y', 1200, 'elo', false, "
                "'<img src=x>', DATE '2025-01-01', 'javascript:alert(1)')", [evil])
    con.close()
    doc = scorecard.render(evil, [], "html", db).decode()
    assert "<script>" not in doc and "<img" not in doc and "javascript:" not in doc.split("href=")[-1][:20]
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc and "&lt;script&gt;" in doc
    md = scorecard.render(evil, [], "md", db).decode()
    assert "<img" not in md and "<script" not in md and "&lt;img" in md
    assert "[link]" not in md and "(javascript" not in md
    for line in md.splitlines():  # a hostile cell never adds a column to its table
        if line.startswith("| LMArena text"):
            assert line.count(" | ") == line.replace("\\|", "").count(" | ")


def test_scorecard_cli_md_and_html(snapshot_db, tmp_path):
    from tests.test_cli import run_cli
    out = run_cli("scorecard", "llama-4-maverick", "--format", "html", "--output", str(tmp_path / "m.html"),
                  db=snapshot_db)
    assert out.returncode == 0, out.stderr
    assert "1417" in (tmp_path / "m.html").read_text()
    out = run_cli("scorecard", "Llama 4 Maverick", "--peers", "Qwen3 235B-A22B", db=snapshot_db)
    assert out.returncode == 0 and out.stdout.startswith("# Launch scorecard: Llama 4 Maverick")
    bad = run_cli("scorecard", "no-such-model", db=snapshot_db)
    assert bad.returncode == 2 and "no model named" in bad.stderr


@pytest.mark.parametrize("page,key,query", [("app_pages/overview.py", "landscape_table", {"table": "1"}),
                                            ("app_pages/deployment_fit.py", "fit_table", None),
                                            ("app_pages/licences.py", "lic_matrix", None),
                                            ("app_pages/context.py", "ctx_summary", None)])
def test_model_names_in_tables_link_to_the_model_page(app_db, page, key, query):
    at = run_page(page, query)
    assert not at.exception, [e.value for e in at.exception]
    tables = [d.value for d in at.dataframe if "page" in d.value.columns]
    assert tables, f"{page}: no table links to the model page"
    df = tables[0]
    for mid, url in zip(df["model_id"], df["page"]):
        assert url == model_page.page_url(mid)
    cols = list(df.columns)
    assert cols.index("page") == cols.index("name") + 1


def test_scorecard_benchmark_order_puts_headline_scores_first():
    keys = ["livebench_2025_05_30:coding", "mcbench", "livebench_2024_11_25", "lmarena_text", "livebench_2025_05_30",
            "gpqa_diamond"]
    assert sorted(keys, key=scorecard._bench_rank) == ["lmarena_text", "gpqa_diamond", "livebench_2025_05_30",
                                                       "livebench_2024_11_25", "mcbench", "livebench_2025_05_30:coding"]


def test_md_escape_leaves_no_markup():
    from ui import md_escape
    out = md_escape("[x](javascript:alert(1)) **b** <img src=x> `c` # h\nnext")
    assert "](" not in out.replace("\\](", "").replace("\\]\\(", "") and "\n" not in out
    assert out.count("\\*") == 4 and "\\<img" in out and "\\`" in out


def test_hub_metadata_shows_when_a_live_refresh_recorded_it(fixture_db):
    db = fixture_db()
    rep = model_page.report(MAVERICK, db)
    ident = dict(zip(rep.identity["attribute"], rep.identity["value"]))
    assert ident["Hugging Face downloads"] is None  # unknown offline, never 0
    # a refresh publishes a new file (written beside, then os.replace: readers never see it in place)
    import os
    import shutil
    new = db.with_name("next-" + db.name)
    shutil.copy(db, new)
    con = duckdb.connect(str(new))
    con.execute("INSERT INTO hub_metadata (model_id, source, repo, downloads, likes, gated, licence_tag, as_of, source_url) "
                "VALUES (?, 'hf_hub', ?, 123456, 789, 'manual', 'other', DATE '2025-09-01', 'https://huggingface.co/api/x')",
                [MAVERICK, MAVERICK])
    con.close()
    os.replace(new, db)
    rep = model_page.report(MAVERICK, db)
    rows_ = rep.identity.set_index("attribute")
    assert rows_.loc["Hugging Face downloads", "value"] == "123,456" and rows_.loc["Hugging Face likes", "value"] == "789"
    assert rows_.loc["Hugging Face downloads", "source"] == "hf_hub, as of 2025-09-01"
    assert rows_.loc["reasoning (no / always / hybrid)", "value"] == "no"


def test_a_link_into_a_visited_page_wins_but_the_widget_keeps_user_choices(app_db):
    at = run_page("app_pages/model.py", {"id": MAVERICK})
    assert at.selectbox(key="mp_model").value == MAVERICK
    at.query_params["id"] = EXPERIMENTAL  # a page link / back button carrying another model
    at.run()
    assert not at.exception and at.selectbox(key="mp_model").value == EXPERIMENTAL
    at.selectbox(key="mp_model").set_value("meta-llama/Llama-4-Scout-17B-16E-Instruct").run()
    assert at.selectbox(key="mp_model").value == "meta-llama/Llama-4-Scout-17B-16E-Instruct"  # user choice kept
    assert at.query_params["id"] in (["meta-llama/Llama-4-Scout-17B-16E-Instruct"],
                                     "meta-llama/Llama-4-Scout-17B-16E-Instruct")


def test_model_page_shows_ranges_and_derivatives(tmp_path):
    """Deployment figures carry the fit's p10-p90 range; quantised copies found by discovery are
    listed as derivatives of the model, never as models."""
    import duckdb

    from etl import snapshot
    db = tmp_path / "d.duckdb"
    snapshot.build(db)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO derivatives VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [MAVERICK, "unsloth/Llama-4-Maverick-17B-128E-Instruct-GGUF", "unsloth", "GGUF", False, 1234,
                 None, None, "https://huggingface.co/unsloth/Llama-4-Maverick-17B-128E-Instruct-GGUF"])
    con.close()
    rep = model_page.report(MAVERICK, db)
    d = rep.derivatives
    assert d["repo"].tolist() == ["unsloth/Llama-4-Maverick-17B-128E-Instruct-GGUF"] and d["downloads"].iloc[0] == 1234
    assert "derivatives" in set(rep.sources["section"])
    fp8 = rep.deployment.set_index("format").loc["FP8"]
    assert fp8["memory_gib_low"] < fp8["memory_gib"] < fp8["memory_gib_high"]
    assert fp8["decode_tokens_per_s_low"] <= fp8["decode_tokens_per_s"] <= fp8["decode_tokens_per_s_high"]


def test_compare_links_each_compared_model_to_its_page(app_db):
    """Compare's models are columns, so their names link from one line under the table."""
    from urllib.parse import quote_plus

    from tests.conftest import run_page
    at = run_page("app_pages/compare.py", {"models": f"llama-4-scout,{MAVERICK}"})
    assert not at.exception, [e.value for e in at.exception]
    line = next(m.value for m in at.markdown if m.value.startswith("Model pages: "))
    assert f"(model?id={quote_plus(MAVERICK)})" in line and "Maverick" in line
    assert "(model?id=meta-llama%2FLlama-4-Scout-17B-16E-Instruct)" in line


def test_every_chart_offers_a_picker_to_open_a_plotted_models_page(app_db):
    """The picker under the Landscape chart links to the chosen model's page (beside clicking a point)."""
    from tests.conftest import run_page
    at = run_page("app_pages/overview.py", {"y": "lmarena_text:lmarena"})
    pick = at.selectbox(key="model_pick_overview_1")
    assert MAVERICK in pick.options or "Llama 4 Maverick" in pick.options
    pick.set_value(MAVERICK).run()
    assert not at.exception, [e.value for e in at.exception]
    links = [el for el in at.get("page_link") if "Model page:" in el.proto.label]
    assert links and "Llama 4 Maverick" in links[0].proto.label
    assert links[0].proto.query_string == "id=" + quote(MAVERICK, safe="")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(min_size=1, max_size=60), st.from_regex(r"[A-Za-z0-9_.~/-]{1,40}", fullmatch=True)))
def test_page_url_is_urlencode_of_the_id(mid):
    from urllib.parse import urlencode
    assert model_page.page_url(mid) == f"{model_page.PAGE_PATH}?{urlencode({'id': mid})}"


def test_text_table_shows_unknown_for_missing_text_of_any_string_dtype():
    import pandas as pd
    from landscape.model_page import text_table
    df = pd.DataFrame({"a": pd.Series(["x", None], dtype="str"), "b": pd.Series(["y", None], dtype=object),
                       "n": [1.0, None]})
    out = text_table(df)
    assert out["a"].tolist() == ["x", "unknown"] and out["b"].tolist() == ["y", "unknown"]
    assert pd.isna(out["n"].iloc[1])  # numbers stay numbers


def test_picker_labels_are_built_once_from_the_registry(snapshot_db):
    opts = model_page.model_options(snapshot_db)
    labels = model_page.option_labels(snapshot_db)
    assert list(labels) == opts["model_id"].tolist()  # the registry's order, every model
    unreleased = opts[~opts["released"].astype(bool)]
    assert len(unreleased) and all(labels[m].endswith(", unreleased)") for m in unreleased["model_id"])
    maverick = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"
    row = opts.set_index("model_id").loc[maverick]
    assert labels[maverick] == f"{row['name']} ({row['family']})"


def _sources_by_groupby(parts: dict):
    """The straightforward form of ``model_page._sources``: one frame of every section's rows, a
    pandas groupby with the newest day per group (what the page used before; kept as the check)."""
    import pandas as pd
    frames = []
    for section, part, src, asof, url in model_page.SOURCE_COLUMNS:
        df = parts[part]
        if df is None or not len(df) or src not in df:
            continue
        frames.append(pd.DataFrame({"section": section, "source": df[src].astype("string"),
                                    "as_of": df[asof].map(model_page._day) if asof and asof in df else None,
                                    "source_url": df[url] if url in df else None}))
    frames.append(pd.DataFrame([{"section": "deployment", "source": model_page._DEPLOY_SOURCE, "as_of": None,
                                 "source_url": None}]))
    out = (pd.concat(frames, ignore_index=True)
           .groupby(["section", "source", "source_url"], dropna=False, as_index=False)
           .agg(as_of=("as_of", lambda s: s.dropna().max() if s.notna().any() else None), rows=("section", "size")))
    return out[["section", "source", "as_of", "rows", "source_url"]]


def _cells(df) -> list[tuple]:
    import pandas as pd
    return [tuple(None if pd.isna(v) else v for v in row) for row in df.itertuples(index=False)]


def test_sources_table_is_the_groupby_of_every_sections_rows(snapshot_db):
    """For a spread of registry models (every seventh in picker order, and Maverick, whose page has
    every section): the same rows, order and counts as a groupby over the sections."""
    ids = model_page.model_options(snapshot_db)["model_id"].tolist()
    checked = 0
    for mid in [MAVERICK, *ids[::7]]:
        rep = model_page.report(mid, snapshot_db)
        parts = dict(identity=rep.identity, size=rep.size, evals=rep.evals, claims=rep.claims,
                     variant_scores=rep.variant_scores, licence=rep.licence, providers=rep.providers,
                     derivatives=rep.derivatives)
        want = _sources_by_groupby(parts)
        assert list(rep.sources.columns) == list(want.columns)
        assert _cells(rep.sources) == _cells(want), mid
        checked += len(want) > 3
    assert checked > 20  # most models have several sources


def test_text_table_leaves_complete_columns_and_the_callers_frame_alone():
    import pandas as pd
    from landscape.model_page import text_table
    df = pd.DataFrame({"full": ["a", "b"], "gap": pd.Series(["c", None], dtype="str"), "n": [1, 2]})
    out = text_table(df)
    assert out["full"].tolist() == ["a", "b"] and out["gap"].tolist() == ["c", "unknown"]
    assert df["gap"].isna().iloc[1]  # the caller's frame is unchanged


def test_unreleased_and_reference_models_pages_show_the_claims_made_about_them(snapshot_db):
    """A claim about GPT-4o in Meta's Llama 4 table belongs on GPT-4o's page, though the default
    filters of the other pages leave reference and unreleased models out."""
    from landscape import evals
    from landscape.filters import EVERY_MODEL
    ids = [m for (m,) in rows(snapshot_db, "SELECT DISTINCT s.model_id FROM scores s JOIN models m USING (model_id) "
                              "WHERE s.vendor_claimed AND (m.reference OR NOT m.released) ORDER BY 1")]
    assert ids  # the snapshot has such claims (GPT-4o, Claude 3 in vendors' tables)
    for mid in ids:
        got = model_page.report(mid, snapshot_db).claims
        want = evals.compute_claims_vs_independent(EVERY_MODEL, snapshot_db, model_id=mid)
        assert len(got) and got["claimed"].tolist() == want["claimed"].tolist(), mid
