"""The "New" view: models first seen since the previous refresh, or released / first seen in the last
N days, with what is known about each (scores, offerings, architecture) and a "discovered" badge
where the facts come from a catalogue rather than our curated registry."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from landscape.db import query_df

DISCOVERED_BADGE = "discovered"
CURATED_BADGE = "curated"


def reference_day(path: Path | None = None) -> date:
    """The day the data describes: the latest refresh in ``sources`` (not the clock), else today."""
    df = query_df("SELECT max(refreshed_at) AS t FROM sources", None, path)
    t = df["t"].iloc[0] if not df.empty else None
    return pd.Timestamp(t).date() if t is not None and pd.notna(t) else date.today()


def new_models(days: int = 30, since_previous_refresh: bool = False, today: date | None = None,
               path: Path | None = None) -> pd.DataFrame:
    """Models first seen (or released) within ``days`` of ``today`` (default: the latest refresh);
    with ``since_previous_refresh`` only those first seen after the database's earliest first-seen
    day, i.e. added by a later refresh than the one that built the registry."""
    today = today or reference_day(path)
    since = today - timedelta(days=int(days))
    sql = """
        WITH s AS (SELECT model_id, count(*) AS scores, count(DISTINCT source) AS score_sources
                   FROM scores WHERE NOT vendor_claimed GROUP BY model_id),
             o AS (SELECT model_id, count(DISTINCT provider) AS providers FROM offerings GROUP BY model_id),
             a AS (SELECT DISTINCT model_id FROM architectures),
             first AS (SELECT min(first_seen) AS d FROM models)
        SELECT m.model_id, m.name, m.family, m.vendor, m.release_date, m.first_seen, m.open_weights,
               m.total_params_b, m.active_params_b,
               CASE WHEN coalesce(m.discovered, false) THEN ? ELSE ? END AS facts,
               coalesce(s.scores, 0) AS independent_scores, coalesce(s.score_sources, 0) AS score_sources,
               coalesce(o.providers, 0) AS providers, a.model_id IS NOT NULL AS architecture_known,
               m.source_url
        FROM models m LEFT JOIN s USING (model_id) LEFT JOIN o USING (model_id)
             LEFT JOIN a USING (model_id), first
        WHERE CASE WHEN ? THEN m.first_seen > first.d
                   ELSE (m.first_seen >= ? AND m.first_seen > first.d) OR m.release_date >= ? END
        ORDER BY coalesce(m.release_date, m.first_seen) DESC NULLS LAST, m.name"""
    return query_df(sql, [DISCOVERED_BADGE, CURATED_BADGE, bool(since_previous_refresh), since, since], path)
