"""Units come from the label, the metric note and the data (issue 11): WritingBench is a 0-10 judge
score and MTOB is chrF, never percent; a percent above 100 or a 0-10 benchmark labelled percent is
quarantined, not stored."""
from collections import Counter
from datetime import date

from etl.contracts import validate_rows
from etl.fetch import Fetcher
from etl.matcher import Matcher
from etl.registry import load_registry
from etl.sources.vendor_claims import SOURCE as CLAIMS, claim_unit


def _claims():
    reg = load_registry()
    return CLAIMS.run(Fetcher(), reg, Matcher(reg))


def test_claim_unit_reads_label_and_metric_note():
    assert claim_unit("WritingBench", "thinking mode; Qwen3 Technical Report Table 11") == "score (0-10)"
    assert claim_unit("MTOB (half book) eng->kgv", "chrF; instruct") == "chrF"
    assert claim_unit("MT-Bench", "") == "score (0-10)"
    assert claim_unit("Some judge eval", "GPT-4 judge, 1-10") == "score (0-10)"
    assert claim_unit("MMLU", "5-shot") == "percent"            # negative: an ordinary accuracy
    assert claim_unit("GPQA-Diamond (Pass@1)", "pass@1; top 10") == "percent"


def test_writingbench_and_mtob_rows_carry_their_real_units():
    out = _claims()
    units = Counter((r["benchmark"].split("_")[0], r["unit"]) for r in out.tables["scores"]
                    if r["benchmark"].startswith(("writingbench", "mtob")))
    assert units == Counter({("writingbench", "score (0-10)"): 19, ("mtob", "chrF"): 8})
    assert all(0 <= r["value"] <= 10 for r in out.tables["scores"] if r["unit"] == "score (0-10)")


def _row(benchmark, value, unit):
    return {"model_id": "m/x", "source": "s", "benchmark": benchmark, "setting": "", "value": value, "unit": unit,
            "ci_low": None, "ci_high": None, "votes": None, "vendor_claimed": True, "raw_name": "x",
            "as_of": date(2025, 5, 1), "source_url": "https://example.org"}


def test_unit_slips_are_quarantined():
    rows = [_row("writingbench", 7.7, "percent"), _row("mmlu", 120.0, "percent"), _row("writingbench", 70.0, "score (0-10)"),
            _row("writingbench", 7.7, "score (0-10)"), _row("mmlu", 88.0, "percent"), _row("mtob", 42.2, "chrF")]
    kept, bad = validate_rows("s", {"scores": rows})
    assert [(r["benchmark"], r["value"]) for r in kept["scores"]] == [("writingbench", 7.7), ("mmlu", 88.0), ("mtob", 42.2)]
    reasons = [q["reason"] for q in bad]
    assert any("0-10 scale" in r for r in reasons) and any("outside percent range" in r for r in reasons)
    assert any("outside score (0-10) range" in r for r in reasons)
