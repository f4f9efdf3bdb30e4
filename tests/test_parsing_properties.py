"""Property-based tests (hypothesis): parsers and normalisers raise only their documented errors.

etl/parsing.py: any input -> a value or ValidationError; format/parse round-trips. Every source's
``parse``: any bytes -> records or ParseError. The contract checker and the query-parameter parser:
any input -> no exception.
"""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from etl import parsing
from etl.contracts import check_records, kind_ok, record_problems, row_problems, ContractError
from etl.fetch import Fetched
from etl.parsing import ValidationError
from etl.sources import all_sources
from etl.sources.base import ParseError, Source

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                     st.text(max_size=300), st.binary(max_size=50))
sizeish = st.from_regex(r"\A[AaxX0-9.,+\-eE ]{0,4}[0-9]{0,4}(\.[0-9]{0,3})?\s?[KMBTkmbtE]?(-A?[0-9]{1,3}[BE])?\Z")


@pytest.mark.parametrize("fn", [parsing.parse_params_b, parsing.parse_size_spec, parsing.parse_context_tokens,
                                parsing.parse_percent, parsing.parse_ci])
@FAST
@given(value=st.one_of(anything, sizeish))
def test_parsers_raise_only_validation_error(fn, value):
    try:
        fn(value)
    except ValidationError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 200


@pytest.mark.parametrize("text, expected", [
    ("1.5B", 1.5), ("7b", 7.0), ("560M", 0.56), ("1.2T", 1200.0), ("405B", 405.0), (70, 70.0)])
def test_params_examples(text, expected):
    assert parsing.parse_params_b(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, spec", [
    ("17B-16E", parsing.SizeSpec(active_b=17.0, experts=16)),
    ("8x7B", parsing.SizeSpec(experts=8, expert_b=7.0)),
    ("A22B", parsing.SizeSpec(active_b=22.0)),
    ("235B-A22B", parsing.SizeSpec(total_b=235.0, active_b=22.0)),
    ("1.5B", parsing.SizeSpec(total_b=1.5)),
])
def test_size_spec_examples(text, spec):
    assert parsing.parse_size_spec(text) == spec


@pytest.mark.parametrize("bad", ["", "B", "-7B", "0B", "22B-A235B", "7 bananas", "nanB", "1e999B", "0x16E", "x" * 500])
def test_size_and_params_reject(bad):
    with pytest.raises(ValidationError):
        parsing.parse_size_spec(bad)


@pytest.mark.parametrize("text, n", [("128K", 131072), ("10M", 10485760), ("1,048,576", 1048576),
                                     ("32768", 32768), ("1M tokens", 1048576), (8192, 8192)])
def test_context_examples(text, n):
    assert parsing.parse_context_tokens(text) == n


@pytest.mark.parametrize("bad", ["", "-128K", "0", "1.5", "128KB", "1,04,8576", "∞", True, None, 10 ** 20])
def test_context_rejects(bad):
    with pytest.raises(ValidationError):
        parsing.parse_context_tokens(bad)


@pytest.mark.parametrize("text, x", [("27.7%", 27.7), ("27.7", 27.7), (" 100 % ", 100.0), (0, 0.0)])
def test_percent_examples(text, x):
    assert parsing.parse_percent(text) == x


@pytest.mark.parametrize("bad", ["101%", "-1%", "27.7%%", "abc", "nan", "inf", float("nan"), True])
def test_percent_rejects(bad):
    with pytest.raises(ValidationError):
        parsing.parse_percent(bad)


@pytest.mark.parametrize("text, ci", [("+4/-4", (4.0, 4.0)), (" +13 / -12 ", (13.0, 12.0)),
                                      ("+13.5/-12", (13.5, 12.0)), ("±4", (4.0, 4.0))])
def test_ci_examples(text, ci):
    assert parsing.parse_ci(text) == ci


@FAST
@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))
def test_params_round_trip(x):
    assert parsing.parse_params_b(parsing.format_params_b(x)) == x


@FAST
@given(st.integers(min_value=1, max_value=parsing.MAX_CONTEXT))
@example(131072)
@example(10 * 1024 * 1024)
def test_context_round_trip(n):
    assert parsing.parse_context_tokens(parsing.format_context_tokens(n)) == n


@FAST
@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_percent_round_trip(x):
    assert parsing.parse_percent(parsing.format_percent(x)) == x


@FAST
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_ci_round_trip(plus, minus):
    assert parsing.parse_ci(parsing.format_ci(plus, minus)) == (plus, minus)


# ---------------------------------------------------------------- every source's parse

def _fetched(url: str, body: bytes) -> Fetched:
    return Fetched(url, body, datetime.now(timezone.utc), "mirror:test")


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                     st.text(max_size=20)),
                           lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                  st.dictionaries(st.text(max_size=10), kids, max_size=4)),
                           max_leaves=20)
bodies = st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode),
                   json_values.map(lambda v: json.dumps(v).encode()),
                   st.lists(st.lists(st.text(alphabet="ab1,.%\"\n -", max_size=8), max_size=5), max_size=5)
                   .map(lambda rows: "\n".join(",".join(r) for r in rows).encode()))


@pytest.mark.parametrize("source", [s.name for s in all_sources()])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies)
def test_every_source_parse_raises_only_parse_error(source, body):
    src = next(s for s in all_sources() if s.name == source)
    if type(src).parse is Source.parse:
        pytest.skip(f"{source}: reads local curated files, it has no upstream parser")
    urls = src.urls(_models())
    assume(urls)
    try:
        src.parse_safely(_fetched(urls[0], body))
    except ParseError as exc:
        assert "\n" not in str(exc)


_MODELS = []


def _models():
    if not _MODELS:
        from etl.registry import load_registry
        _MODELS.extend(load_registry())
    return _MODELS


# ---------------------------------------------------------------- contracts and query params

@FAST
@given(rec=st.dictionaries(st.sampled_from(["model", "score", "date", "votes", "x"]), anything, max_size=5))
def test_contract_checker_never_raises_on_records(rec):
    expect = {"model": "str", "score": "number?", "date": "date?", "votes": "count?"}
    problems = record_problems(rec, expect)
    assert isinstance(problems, list)
    try:
        good, bad = check_records([rec], expect, "s")
        assert len(good) + len(bad) == 1
    except ContractError:
        pass


def test_percent_string_is_not_a_number():
    assert not kind_ok("number", "27.7%") and kind_ok("number", "27.7") and not kind_ok("number", "nan")
    assert kind_ok("count", "26,604") and not kind_ok("count", "-3") and not kind_ok("int", True)


@FAST
@given(value=st.floats(allow_nan=True, allow_infinity=True), unit=st.sampled_from(["percent", "elo", "x"]))
def test_row_validation_is_total(value, unit):
    problems = row_problems("scores", {"value": value, "unit": unit})
    if unit == "percent" and not (math.isfinite(value) and 0 <= value <= 100):
        assert problems
    if unit == "elo" and math.isfinite(value) and 100 <= value <= 4000:
        assert not problems


@FAST
@given(params=st.dictionaries(st.sampled_from(["families", "vendors", "weights", "tiers", "released_only",
                                               "include_reference", "zz"]),
                              st.one_of(st.text(max_size=3000), st.lists(st.text(max_size=50), max_size=5)),
                              max_size=7))
def test_query_params_never_raise(params):
    from landscape.filters import from_query_params
    f, notices = from_query_params(params, ["Llama 4"], ["Meta"])
    assert set(f.families) <= {"Llama 4"} and set(f.vendors) <= {"Meta"}
    assert all(isinstance(n, str) and len(n) < 400 for n in notices)


# ---------------------------------------------------------------- the sources' own small parsers

@FAST
@given(value=st.one_of(anything, sizeish, st.from_regex(r"\A-?[0-9]{0,400}(\.[0-9]*)?(e[0-9]{1,4})?%?\Z")))
def test_source_helpers_never_raise(value):
    from etl.matcher import normalise
    from etl.sources import evalcommon, lmarena
    v, pct = evalcommon.number(value)
    assert v is None or isinstance(v, float) and isinstance(pct, bool)
    n = lmarena.parse_votes(value)
    assert n is None or n >= 0
    assert isinstance(normalise(value), str)


@FAST
@given(cfg=st.dictionaries(st.sampled_from(["hidden_size", "num_attention_heads", "num_hidden_layers", "head_dim",
                                            "text_config", "rope_scaling", "num_local_experts", "kv_lora_rank",
                                            "sliding_window", "layer_types", "quantization_config"]),
                           json_values, max_size=8))
def test_hf_config_extract_never_raises_and_never_invents(cfg):
    from etl.sources.hf_config import extract_architecture
    try:
        arch = extract_architecture(cfg)
    except ParseError:
        return
    for k in ("num_layers", "hidden_size", "num_attention_heads"):
        assert arch[k] is None or isinstance(arch[k], int)


# ---------------------------------------------------------------- every source's normalise

_REAL: dict = {}


def _real_records(source: str):
    """Real parsed records of the source from the mirror (cached), or None: the records of small
    files (e.g. LiveBench's categories) plus up to 30 records that normalise to rows."""
    if source not in _REAL:
        from etl.fetch import Fetcher
        from etl.matcher import Matcher
        from etl.sources.base import Context
        from etl.fetch import mirror_relpath
        from tests.conftest import served_file
        src = next(s for s in all_sources() if s.name == source)
        files = []
        for url in src.urls(_models()):
            try:
                where = served_file(mirror_relpath(url))
                if where is None:
                    continue
                root = str(where)[: -len(mirror_relpath(url))]
                f = Fetcher(mirror=root).get(url)
                recs = src.parse_safely(f)
            except Exception:  # noqa: BLE001  not in the mirror / live-only: try the next URL
                continue
            for r in recs:
                if isinstance(r, dict):
                    r.setdefault("_url", f.url)
                    r.setdefault("_fetched", f)
            files.append((f, recs))
            if len(files) == 3:
                break
        if not files:
            _REAL[source] = None
            return None
        small = [r for _, recs in files if len(recs) <= 2 for r in recs]
        productive = []
        for r in [r for _, recs in files if len(recs) > 2 for r in recs][:2000]:
            out = src.normalise_safely(small + [r], Context(_models(), Matcher(_models())))
            if any(out.values()):
                productive.append(r)
                if len(productive) == 30:
                    break
        _REAL[source] = (files[0][0], small + productive)
    return _REAL[source]


@pytest.mark.parametrize("source", [s.name for s in all_sources()])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_source_normalise_raises_only_parse_error(source, data):
    """Real records with random fields overwritten by random values: contract + normalise either
    produce rows or fail with one documented error -- never an arbitrary exception."""
    import copy

    from etl.contracts import validate_rows
    from etl.matcher import Matcher
    from etl.sources.base import Context
    src = next(s for s in all_sources() if s.name == source)
    real = _real_records(source)
    if real is None:
        if src.urls(_models()) and all(u.startswith("file://") for u in src.urls(_models())):
            pytest.skip(f"{source}: reads local curated files, no upstream record to mutate")
        pytest.fail(f"{source}: none of its URLs is in the mirror or tests/fixtures/hub_api")
    f, recs = real
    fetched = [r.get("_fetched") for r in recs]
    recs = copy.deepcopy([{k: v for k, v in r.items() if k != "_fetched"} for r in recs])
    for r, fr in zip(recs, fetched):
        r["_fetched"] = fr
    for _ in range(data.draw(st.integers(0, 6))):
        r = recs[data.draw(st.integers(0, len(recs) - 1))]
        keys = [k for k in r if not str(k).startswith("_")]
        if keys:
            r[data.draw(st.sampled_from(keys))] = data.draw(st.one_of(anything, json_values))
    try:
        good = []
        for fr in {id(x): x for x in fetched}.values():  # each file against its own contract
            mine = [r for r in recs if r["_fetched"] is fr]
            good += check_records(mine, src.expect_for(fr), src.name, fr.url)[0]
        tables = src.normalise_safely(good, Context(_models(), Matcher(_models())))
        validate_rows(src.name, tables)
    except (ParseError, ContractError):
        pass


def test_fit_context_strings_agree_with_the_documented_parser():
    # landscape.fit never imports the ETL: its own parser must read token counts as etl.parsing does
    from etl.parsing import parse_context_tokens
    from landscape.fit import parse_context
    assert parse_context("1,048,576") == parse_context("1M") == 1048576 and parse_context("128K") == 131072
    for s in ("1M", "10M", "128K", "32768", "1,048,576", "0.5M", "1.5K", "200k tokens"):
        assert parse_context(s) == parse_context_tokens(s), s
    for bad in ("128 kilobytes", "0", "1.3K", "-5", "", "2,00"):
        with pytest.raises(ValueError):
            parse_context(bad)
        with pytest.raises(ValidationError):
            parse_context_tokens(bad)
