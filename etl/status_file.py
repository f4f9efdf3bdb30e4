"""Where and how a scheduled refresh (or snapshot sync) records its last round: ``<db>.refresh.json``.

Written by ``etl.scheduled`` / ``etl.sync`` beside the database; read by ``landscape.refresh_status``
for the Data quality page and ``/healthz`` (the core reads the ETL's file format, never the reverse).
"""
from __future__ import annotations

import json
from pathlib import Path


def status_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".refresh.json")


def read(db_path: Path | str) -> dict | None:
    """The last round's status, None when no scheduled refresh or sync ever ran for this database."""
    try:
        data = json.loads(status_path(db_path).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return {"status": "unreadable", "error": f"{type(exc).__name__}: {exc}"[:200]}
    return data if isinstance(data, dict) else {"status": "unreadable", "error": "not a JSON object"}
