"""``scores.reported_by`` (issue 11): who measured a score -- the model's developer, another vendor
(a competitor's number inside its own report) or an independent evaluator -- so "Meta says Maverick
scores X" is told apart from "Qwen says Maverick scores X"."""
import pandas as pd
import pytest

from etl.fetch import Fetcher
from etl.matcher import Matcher
from etl.registry import load_registry
from etl.sources.evalcommon import REPORTED_BY, publisher_of, reported_by_vendor, score_row
from landscape.evals import claims_by_reporter, claimant
from tests.conftest import MIRROR, need_mirror

REG = load_registry()
MAV = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


@pytest.mark.parametrize("vendor,publisher,want", [
    ("Meta", "Meta", "developer"),
    ("Alibaba Qwen", "Qwen", "developer"),
    ("Meta", "Qwen", "other vendor"),
    ("Meta", "DeepSeek-V3 Technical Report", "other vendor"),
    ("DeepSeek", "DeepSeek-V3 Technical Report", "developer"),
    ("Google", "Phi-3 Technical Report: A Highly Capable Language Model Locally on Your Phone", "other vendor"),
    ("Meta", "The Llama 3 Herd of Models", "developer"),
    ("Google", "Decker: Double Check with Heterogeneous Knowledge", None),  # publisher unknown: unknown
])
def test_reported_by_vendor(vendor, publisher, want):
    assert reported_by_vendor(vendor, publisher) == want


def test_score_row_defaults_and_refuses_other_values():
    assert score_row("a/b", "x", 1, "percent", "b", "u", None)["reported_by"] == "independent"
    assert score_row("a/b", "x", 1, "percent", "b", "u", None, vendor_claimed=True)["reported_by"] is None
    with pytest.raises(ValueError):
        score_row("a/b", "x", 1, "percent", "b", "u", None, reported_by="vendor")
    assert set(REPORTED_BY) == {"developer", "other vendor", "independent"}
    assert publisher_of("GPT-4 Technical Report") == "OpenAI"


def test_vendor_claims_tell_the_developer_from_a_competitor():
    from etl.sources.vendor_claims import SOURCE
    rows = SOURCE.run(Fetcher(), REG, Matcher(REG)).tables["scores"]
    mav = {(r["reported_by"], r["setting"].split(";")[0]) for r in rows if r["model_id"] == MAV}
    assert ("developer", "claimed by Meta") in mav and ("other vendor", "claimed by Qwen") in mav
    assert not {(w, c) for w, c in mav if (w == "developer") != (c == "claimed by Meta")}
    assert all(r["reported_by"] in ("developer", "other vendor") for r in rows)


def test_epoch_developer_reports_on_the_real_mirror():
    need_mirror()
    from etl.sources import epoch
    rows = epoch.SOURCE.run(Fetcher(mirror=str(MIRROR)), REG, Matcher(REG)).tables["scores"]
    assert all(r["reported_by"] == "independent" for r in rows if not r["vendor_claimed"])
    claims = [r for r in rows if r["vendor_claimed"]]
    assert claims and all(r["reported_by"] in ("developer", "other vendor") for r in claims)
    ds = {r["model_id"]: r["reported_by"] for r in claims if "DeepSeek-V3 Technical Report" in r["setting"]}
    assert ds["deepseek-ai/DeepSeek-V3-Base"] == "developer" and ds["meta-llama/Llama-3.1-405B"] == "other vendor"
    phi = {r["reported_by"] for r in claims if "Phi-3 Technical Report" in r["setting"]}
    assert phi == {"other vendor"}  # Microsoft scoring Gemma / Llama


def test_claims_by_reporter_and_claimant():
    df = pd.DataFrame({"reported_by": ["developer", "other vendor", "unknown"], "x": [1, 2, 3]})
    assert claims_by_reporter(df, "the model's developer")["x"].tolist() == [1]
    assert claims_by_reporter(df, "another vendor")["x"].tolist() == [2]
    assert claims_by_reporter(df, "all")["x"].tolist() == [1, 2, 3]
    assert claimant("claimed by Qwen; 5-shot") == "Qwen"
    assert claimant("Shots: 5; original source: DeepSeek-V3 Technical Report (model developer's report)") == \
        "DeepSeek-V3 Technical Report"
