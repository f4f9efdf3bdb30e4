"""bench/load.py on a small budget: sessions through nginx survive a mid-run refresh with 0 errors."""
from __future__ import annotations

import importlib.util

import pytest

from etl.snapshot import read_manifest
from tests.conftest import ROOT
from tests.test_serve import need_nginx


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.serve
@pytest.mark.timeout(240)
def test_load_run_counts_interactions_rss_and_survives_a_mid_run_refresh(tmp_path):
    need_nginx()
    load = _load_module()
    res = load.launch_and_drive(2, sessions=3, seconds=16, workdir=tmp_path)
    assert res["errors"] == 0, res["error_samples"]
    assert {"open", "switch_page"} <= set(res["interactions"]) and res["interactions"]["open"]["n"] >= 3
    assert sum(v["n"] for v in res["interactions"].values()) >= 10
    assert res["refresh"]["published"] and res["refresh"]["exit"] in (0, 1)
    assert set(res["rss_mib"]) == {"r0", "r1"} and all(v["peak"] > 50 for v in res["rss_mib"].values())
    assert res["status_after"] == "ok" and len(res["db_versions_after"]) == 1
    assert res["db_versions_after"][0] != read_manifest()["snapshot_id"]  # the replicas read the refreshed data
    assert "p95 ms" in load.render(res)
    ratio = load.compare([res, {**res, "replicas": 1}])
    assert "replicas=1: " in ratio and "open 1.00" in ratio and "interactions 1.00x" in ratio


def test_load_refuses_non_loopback_and_unbounded_runs():
    load = _load_module()
    for argv in (["--url", "http://example.org:8501"], ["--sessions", "500"], ["--seconds", "9999"]):
        with pytest.raises(SystemExit) as exc:
            load.main(argv)
        assert exc.value.code == 2
