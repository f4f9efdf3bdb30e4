"""The suite fails, in seconds and with one clear message, when its ground is missing."""
import os
import subprocess
import sys

from tests.conftest import ROOT


def _pytest(env_extra: dict, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_ALLOW_")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_missing_mirror_stops_the_suite_with_one_message():
    out = _pytest({"LANDSCAPE_MIRROR": "/nonexistent/mirror"}, "tests/test_docs.py")
    assert out.returncode == 4, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert "no mirror at /nonexistent/mirror" in text and "LANDSCAPE_ALLOW_NO_MIRROR=1" in text
    assert " passed" not in text


def test_opting_out_of_the_mirror_skips_what_needs_it():
    out = _pytest({"LANDSCAPE_MIRROR": "/nonexistent/mirror", "LANDSCAPE_ALLOW_NO_MIRROR": "1"},
                  "tests/test_etl_replay.py", "-k", "cli_refresh")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 skipped" in out.stdout and "LANDSCAPE_ALLOW_NO_MIRROR=1" in out.stdout


def test_ci_never_opts_out():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "unset LANDSCAPE_ALLOW_NO_MIRROR LANDSCAPE_ALLOW_NO_BROWSER LANDSCAPE_ALLOW_NO_NGINX" in ci and "make test" in ci


def test_an_unexpected_skip_fails_the_session(tmp_path):
    probe = ROOT / "tests" / "test_zz_probe_unexpected_skip.py"
    probe.write_text("import pytest\n\ndef test_quietly_gone():\n    pytest.skip('not today')\n")
    try:
        out = _pytest({}, str(probe))
    finally:
        probe.unlink()
    assert out.returncode == 1, out.stdout
    assert "unexpected skips" in out.stdout and "not today" in out.stdout
