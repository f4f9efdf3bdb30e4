"""Docs that tests keep honest: the README's table list and the two commands."""
import re

from etl.schema import TABLES, VIEWS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_every_warehouse_table_is_documented():
    section = README.split("## Tables", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, re.M))
    assert set(TABLES) | set(VIEWS) <= documented, f"undocumented: {sorted(set(TABLES) | set(VIEWS) - documented)}"


def test_first_screen_has_the_two_commands_and_ci_calls_the_test_one():
    first_screen = "\n".join(README.splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_page_is_described():
    from ui import PAGES
    for p in PAGES:
        assert f"**{p.title}**" in README, f"README does not describe the {p.title} page"


def _layout() -> str:
    return README.split("## Layout", 1)[1].split("\n## ", 1)[0]


def test_layout_names_every_top_level_folder():
    untracked = {"var", "test-output", "__pycache__", "node_modules"}  # .gitignore'd run output
    for folder in sorted(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")
                         and p.name not in untracked):
        assert f"`{folder}/" in _layout(), f"the README Layout does not describe {folder}/"


def test_layout_names_every_core_module_that_holds_sql_and_pages_hold_none():
    row = next(line for line in _layout().splitlines() if line.startswith("| `landscape/` |"))
    sql = re.compile(r"\bSELECT\b")
    for path in sorted((ROOT / "landscape").rglob("*.py")):
        if sql.search(path.read_text()):
            name = path.relative_to(ROOT / "landscape").parts[0].removesuffix(".py")
            assert f"`{name}`" in row, f"landscape/{path.name} holds SQL but the Layout row does not name it"
    for path in [*sorted((ROOT / "app_pages").glob("*.py")), ROOT / "app.py", ROOT / "ui.py", ROOT / "ui_data.py"]:
        assert not sql.search(path.read_text()), f"{path.name} holds SQL (queries belong in landscape/)"
