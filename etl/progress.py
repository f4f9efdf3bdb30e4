"""Live refresh display: one progress bar per source (URLs fetched / planned, failures, outcome).

``python -m etl refresh`` shows it on a terminal (rich, pinned at the bottom while the plain
summary table is still printed at the end); in logs (stderr not a terminal) and with ``--quiet``
or ``--json`` the plain-text lines / summary are kept. Fed by ``etl.fetch.FETCH_EVENTS``:
the loader reports "source_start"/"source_done", ``fetch_many`` "fetch_planned"/"fetch_done".
"""
from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from etl.fetch import FETCH_EVENTS

STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "red", "kept": "dim"}


class SourceBars:
    def __init__(self, console: Console | None = None):
        self.progress = Progress(
            TextColumn("{task.description:<22}"), BarColumn(bar_width=30), MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]}[/red]"), TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(), console=console or Console(stderr=True), transient=False)
        self.tasks: dict[str, int] = {}
        self.current: str | None = None
        self.failed: dict[str, int] = {}

    def event(self, kind: str, **kw) -> None:
        p = self.progress
        if kind == "source_start":
            self.current = kw["source"]
            self.failed[self.current] = 0
            self.tasks[self.current] = p.add_task(self.current, total=None, failed="", status="fetching")
        elif self.current is None:
            return
        elif kind == "fetch_planned":
            task = p.tasks[self.tasks[self.current]]
            p.update(task.id, total=(task.total or 0) + kw["n"])
        elif kind == "fetch_done":
            if not kw["ok"]:
                self.failed[self.current] += 1
            n = self.failed[self.current]
            p.update(self.tasks[self.current], advance=1, failed=f"{n} failed" if n else "")
        elif kind == "source_done":
            rep = kw["report"]
            tid = self.tasks[self.current]
            task = p.tasks[tid]
            style = STATUS_STYLE.get(rep.status, "")
            text = f"[{style}]{rep.status}[/{style}] {rep.rows} rows"
            p.update(tid, total=task.total or 1, completed=task.total or 1, status=text)
            self.current = None


@contextmanager
def source_bars(console: Console | None = None):
    """Show the bars while the block runs a refresh."""
    bars = SourceBars(console)
    token = FETCH_EVENTS.set(bars.event)
    try:
        with bars.progress:
            yield bars
    finally:
        FETCH_EVENTS.reset(token)
