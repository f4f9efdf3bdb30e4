"""The one place the ETL asks what time it is.

Everything that records *when this ran* (``fetched_at``, ``refreshed_at``, ``generated_at``,
``quarantined_at``, the plausibility bound on dates, stale badges) reads :func:`now`. Nothing
that describes *when a number is from* (``as_of``) may read it for a mirror replay: a capture
is dated by the mirror's ``INDEX.csv`` (see ``etl.fetch``).

Tests and reproducible runs set the clock with :func:`frozen` (a context manager) or the
``LANDSCAPE_NOW`` environment variable (ISO date or datetime, read by the CLIs).
"""
from __future__ import annotations

import contextlib
import os
import threading
from datetime import date, datetime, timezone

ENV = "LANDSCAPE_NOW"
_lock = threading.Lock()
_fixed: datetime | None = None


def parse(text: str) -> datetime:
    """``"2027-12-01"`` or ``"2027-12-01T08:00:00"`` (naive = UTC) -> aware UTC datetime."""
    try:
        dt = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"{ENV}: not an ISO date or datetime: {text!r}") from exc
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def now() -> datetime:
    """Aware UTC now: the frozen time if one is set, else ``$LANDSCAPE_NOW``, else the system clock."""
    with _lock:
        fixed = _fixed
    if fixed is not None:
        return fixed
    env = os.environ.get(ENV)
    if env:
        return parse(env)
    return datetime.now(timezone.utc)


def today() -> date:
    return now().date()


@contextlib.contextmanager
def frozen(when: datetime | date | str):
    """Run a block with the clock fixed at ``when`` (a date means its midnight UTC)."""
    global _fixed
    if isinstance(when, str):
        when = parse(when)
    elif not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=timezone.utc)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    with _lock:
        previous, _fixed = _fixed, when
    try:
        yield when
    finally:
        with _lock:
            _fixed = previous
