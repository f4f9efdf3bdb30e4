import csv
import io
import subprocess
import sys

from tests.conftest import ROOT


def run_cli(*args, db):
    return subprocess.run([sys.executable, "-m", "landscape", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_models_cli_filters(snapshot_db):
    out = run_cli("models", "--family", "Llama 4", db=snapshot_db)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and {r["family"] for r in rows} == {"Llama 4"}
    assert "meta-llama/Llama-4-Behemoth" not in {r["model_id"] for r in rows}


def test_cli_missing_db_is_a_clear_error(tmp_path):
    out = run_cli("models", db=tmp_path / "none.duckdb")
    assert out.returncode == 2 and "no database at" in out.stderr
