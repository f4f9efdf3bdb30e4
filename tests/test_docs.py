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
