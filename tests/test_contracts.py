"""Layering: the core never imports the UI; pages hold no SQL and no duckdb."""
import re
import subprocess
import sys

from tests.conftest import ROOT

UI_IMPORT = re.compile(r"^\s*(import streamlit|from streamlit)", re.M)
SQL = re.compile(r"\b(SELECT|select)\s+[^\"]*\bfrom\b|^\s*(import duckdb|from duckdb)", re.M)


def py_files(*dirs):
    for d in dirs:
        yield from (ROOT / d).rglob("*.py")


def test_core_and_etl_never_import_streamlit():
    bad = [str(p) for p in py_files("landscape", "etl") if UI_IMPORT.search(p.read_text())]
    assert not bad


def test_core_imports_without_streamlit_installed_in_module_table():
    code = ("import sys, importlib, pkgutil, landscape, etl\n"
            "for m in pkgutil.walk_packages(landscape.__path__, 'landscape.'): importlib.import_module(m.name)\n"
            "for m in pkgutil.walk_packages(etl.__path__, 'etl.'): importlib.import_module(m.name)\n"
            "assert 'streamlit' not in sys.modules, 'core pulled in streamlit'\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_pages_hold_no_sql():
    bad = [str(p) for p in [ROOT / "app.py", *py_files("app_pages")] if SQL.search(p.read_text())]
    assert not bad


def test_no_unsafe_html_anywhere():
    bad = [str(p) for p in [ROOT / "app.py", *py_files("app_pages", "landscape")]
           if "unsafe_allow_html=True" in p.read_text()]
    assert not bad
