"""Head-to-head claim pairs from plain records equal the pandas group-and-itertuples version they
replaced, row for row, on the real mirror and on the bundled snapshot."""
from __future__ import annotations

import pandas as pd
import pytest

from landscape import headtohead
from landscape.db import query_df
from landscape.evals import benchmark_label


def pandas_pairs(claims: pd.DataFrame) -> pd.DataFrame:
    """The straightforward version (before the rewrite)."""
    c = claims.copy()
    c["claimant"] = [(headtohead._CLAIMANT.match(s or "") or [None, None])[1] for s in c["setting"]]
    c["table"] = [headtohead.table_key(s) for s in c["setting"]]
    rows = []
    for (table, bench), g in c.groupby(["table", "benchmark"], sort=True):
        g = g.drop_duplicates("model_id")
        own = g[[headtohead.is_own(cl, v) for cl, v in zip(g["claimant"], g["vendor"])]]
        comp = g[[not headtohead.is_own(cl, v) for cl, v in zip(g["claimant"], g["vendor"])]]
        for a in own.itertuples():
            for b in comp.itertuples():
                if a.value > b.value and a.unit == b.unit:
                    rows.append({"claimant": a.claimant, "table": table, "benchmark": bench,
                                 "label": benchmark_label(bench), "a_id": a.model_id, "a": a.name, "a_claimed": a.value,
                                 "b_id": b.model_id, "b": b.name, "b_claimed": b.value, "unit": a.unit,
                                 "claimed_margin": round(float(a.value) - float(b.value), 3),
                                 "claimed_as_of": a.as_of, "claim_url": a.source_url})
    return pd.DataFrame(rows, columns=headtohead.PAIR_COLUMNS)


@pytest.mark.parametrize("which", ["mirror_db", "snapshot_db"])
def test_claim_pairs_equal_the_pandas_version(request, which):
    db = request.getfixturevalue(which)
    claims = query_df("""
        SELECT s.model_id, m.name, m.vendor, s.benchmark, s.setting, s.value, s.unit, s.as_of, s.source_url
        FROM scores s JOIN models m USING (model_id)
        WHERE s.vendor_claimed AND s.source = 'vendor_claims'""", None, db)
    want, got = pandas_pairs(claims), headtohead.claim_pairs(claims)
    assert len(want) > 100
    pd.testing.assert_frame_equal(got, want)
