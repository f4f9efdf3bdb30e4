"""End-to-end: the real ETL on the real captures in ../shared/mirror."""
import json
import subprocess
import sys


from tests.conftest import MIRROR, ROOT, need_mirror
from tests.conftest import rows as q




def score(db, model_id, benchmark, **where):
    extra = "".join(f" AND {k} = ?" for k in where)
    return q(db, f"SELECT value FROM scores WHERE model_id = ? AND benchmark = ?{extra} ORDER BY value DESC",
             [model_id, benchmark, *where.values()])


MAV = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"
EXP = "meta-llama/Llama-4-Maverick-03-26-Experimental"


def test_lmarena_experimental_maverick_is_separate(mirror_db):
    import datetime as dt
    assert score(mirror_db, EXP, "lmarena_text", as_of=dt.date(2025, 4, 6)) == [(1417.0,)]
    assert (1292.0,) in score(mirror_db, MAV, "lmarena_text", as_of=dt.date(2025, 8, 6))  # INDEX.csv captured_at of release 2025.08.04
    assert (1416.0,) in score(mirror_db, EXP, "lmarena_text", as_of=dt.date(2025, 8, 6))  # INDEX.csv captured_at of release 2025.08.04
    assert not q(mirror_db, "SELECT 1 FROM scores WHERE model_id = ? AND value = 1417", [MAV])


def test_aider_maverick_polyglot(mirror_db):
    assert score(mirror_db, MAV, "aider_polyglot")[0][0] == 15.6


def test_architectures_from_real_configs(mirror_db):
    rows = q(mirror_db, "SELECT num_layers, num_kv_heads, head_dim, num_experts, attention_chunk_size "
                        "FROM architectures WHERE model_id = ?", ["meta-llama/Llama-4-Scout-17B-16E-Instruct"])
    assert set(rows) == {(48, 8, 128, 16, 8192)}  # hf_config and maxtext rows agree
    rows = q(mirror_db, "SELECT kv_lora_rank, qk_rope_head_dim FROM architectures WHERE model_id = ?",
             ["deepseek-ai/DeepSeek-V3"])
    assert set(rows) == {(512, 64)}


def test_sources_and_unmatched_recorded(mirror_db):
    st = dict(q(mirror_db, "SELECT name, status FROM sources"))
    assert st["aider"] == "ok" and st["lmarena"] == "ok"
    assert q(mirror_db, "SELECT count(*) FROM unmatched WHERE source = 'lmarena'")[0][0] > 0
    assert q(mirror_db, "SELECT count(*) FROM unmatched WHERE raw_name = 'gpt-3.5-turbo-0125'")[0][0] >= 1


def test_cli_refresh_and_match(tmp_path):
    need_mirror()
    db = tmp_path / "x.duckdb"
    out = subprocess.run([sys.executable, "-m", "etl", "refresh", "--mirror", str(MIRROR), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "published:" in out.stdout and "lmarena" in out.stdout
    out = subprocess.run([sys.executable, "-m", "etl", "match", "Llama 4 Maverick", "DeepSeek-R1-Distill-Qwen-32B"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert lines[0]["model_id"] == MAV
    assert lines[1]["model_id"] == "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"


def test_bundled_snapshot_matches_a_fresh_replay(mirror_db, snapshot_db):
    """The shipped snapshot is the normalised output of replaying the mirror (regenerate with
    make snapshot): every row of every source-owned table, not only the counts."""
    import duckdb

    from etl.schema import SOURCE_OWNED, TABLES
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS fresh (READ_ONLY)", [str(mirror_db)])
        con.execute("ATTACH ? AS shipped (READ_ONLY)", [str(snapshot_db)])
        for table in SOURCE_OWNED:
            cols = ", ".join(f'"{c}"' for c, _, _ in TABLES[table] if c != "quarantined_at")  # a timestamp
            for a, b in (("fresh", "shipped"), ("shipped", "fresh")):
                n = con.execute(f'SELECT count(*) FROM (SELECT {cols} FROM {a}."{table}" EXCEPT ALL '
                                f'SELECT {cols} FROM {b}."{table}")').fetchone()[0]
                assert n == 0, f"{table}: {n} rows in {a} not in {b}; the snapshot is stale, run `make snapshot`"
    finally:
        con.close()
