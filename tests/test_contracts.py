"""Layering: the core never imports the UI, etl never imports the core, pages import only the core
and the UI helpers and hold no SQL."""
import ast
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


def imports(path) -> set[str]:
    """Top-level package of every module ``path`` imports, at any depth (function-level too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_import_contract():
    """core (landscape) -/-> streamlit or the UI; etl -/-> landscape, streamlit or the UI; pages ->
    only streamlit, the core and the UI helpers (no pandas/duckdb/etl: data comes through the core)."""
    ui_layer = {"streamlit", "ui", "ui_data", "app_pages"}
    problems = []
    for p in py_files("landscape"):
        problems += [f"{p.name} imports {m}" for m in imports(p) & ui_layer]
    for p in py_files("etl"):
        problems += [f"{p.name} imports {m}" for m in imports(p) & (ui_layer | {"landscape"})]
    page_allowed = {"__future__", "streamlit", "landscape", "ui", "ui_data"}
    for p in [ROOT / "app.py", *py_files("app_pages")]:
        problems += [f"{p.name} imports {m}" for m in imports(p) - page_allowed]
    for p in (ROOT / "ui.py", ROOT / "ui_data.py"):
        problems += [f"{p.name} imports {m}" for m in imports(p) & {"duckdb", "etl"}]
    assert not problems


def test_import_contract_sees_function_level_imports(tmp_path):
    f = tmp_path / "x.py"
    f.write_text("def g():\n    from landscape.fit import fit_table\n    import etl.parsing\n")
    assert imports(f) == {"landscape", "etl"}


KEPT_BY_SESSION = {"format_func", "on_click", "on_change", "data"}  # a widget keeps these until the next run


def page_held_callables(source: str) -> list[str]:
    """Widget arguments of a page script that a session keeps (format_func, callbacks, lazy download
    data) given as a lambda or a function the page defines: either keeps the page's globals, every
    frame it made (31,600-model dicts at 100x), alive per session."""
    tree = ast.parse(source)
    page_defs = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in KEPT_BY_SESSION and (isinstance(kw.value, ast.Lambda) or
                                                  (isinstance(kw.value, ast.Name) and kw.value.id in page_defs)):
                    bad.append(f"line {kw.value.lineno}: {kw.arg}=")
    return bad


def test_pages_pass_widgets_no_callable_that_keeps_the_page_alive():
    bad = {p.name: page_held_callables(p.read_text()) for p in py_files("app_pages")}
    assert not {k: v for k, v in bad.items() if v}, "use ui/ui_data functions, functools.partial or dict.get"


def test_the_page_callable_check_can_fail():
    src = ("import streamlit as st\ndef cb():\n    pass\nst.button('b', on_click=cb)\n"
           "st.selectbox('s', [1], format_func=lambda v: str(v))\nst.selectbox('t', [1], format_func={1: 'a'}.get)\n")
    assert page_held_callables(src) == ["line 4: on_click=", "line 5: format_func="]
