"""The scheduled refresher's (or snapshot sync's) last round, from ``<db>.refresh.json``.

Written by ``etl.scheduled`` / ``etl.sync`` beside the database; read here for the Data quality
page and ``/healthz``. A failed round publishes nothing new (or only last-good rows), so the
database alone cannot tell that the data are older than planned: this file can.
"""
from __future__ import annotations

from dataclasses import dataclass

from etl.status_file import read, status_path  # noqa: F401  (the file format is the ETL's)


@dataclass(frozen=True)
class Notice:
    level: str  # "error" | "warning" | "info"
    text: str   # plain words; ``error`` (may quote upstream text) is kept apart for literal display
    error: str | None = None


def notice(status: dict | None) -> Notice | None:
    if not status:
        return None
    what = "snapshot sync" if status.get("mode") == "snapshot sync" else "scheduled refresh"
    when = status.get("last_attempt") or "unknown time"
    nxt = f" Next attempt: {status['next_run']}." if status.get("next_run") else ""
    good = status.get("last_success") or "never"
    st = status.get("status")
    if st == "failed" or st == "unreadable":
        return Notice("error", f"The last {what} ({when}) failed: the data shown are the last good data "
                               f"(last successful round: {good}).{nxt}", status.get("error"))
    if st == "partial":
        names = ", ".join(s.get("name", "?") for s in status.get("failed_sources", []))
        return Notice("warning", f"The last {what} ({when}) was partial: {names} kept their last good data.{nxt}")
    snap = (status.get("snapshot") or {}).get("snapshot_id")
    return Notice("info", f"Last {what}: {when}, ok" + (f" (snapshot {snap})" if snap else "") + f".{nxt}",
                  status.get("error"))
