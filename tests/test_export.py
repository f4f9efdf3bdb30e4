"""Exports: every format reads back to the table on screen, provenance and snapshot id travel with
the file, and spreadsheet formula injection is neutralised in CSV and XLSX (hostile fixture names)."""
import io
import json
import math
from datetime import date, datetime

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from landscape import compare, export, queries
from landscape.filters import Filters

HOSTILE = ('=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tTAB", "\rCR")


def canon(v):
    """One comparable form for a cell across formats (CSV gives text, JSON ISO dates...)."""
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str) and v == "":
        return None
    if isinstance(v, (bool,)) or (isinstance(v, str) and v in ("True", "False", "true", "false")):
        return str(v).lower()
    if isinstance(v, (datetime, date, pd.Timestamp)):
        return pd.Timestamp(v).isoformat()
    if isinstance(v, str):
        try:
            return round(float(v), 6)
        except ValueError:
            pass
        if len(v) >= 10 and v[4] == "-" and v[7] == "-":
            try:
                return pd.Timestamp(v).isoformat()
            except ValueError:
                pass
        return v
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, (int, float)):
        return round(float(v), 6)
    return str(v)


def cells(df: pd.DataFrame) -> list[list]:
    return [[canon(v) for v in row] for row in df.astype(object).itertuples(index=False, name=None)]


def meta(title="t", snap="abc123def456"):
    return export.ExportMeta(title=title, snapshot_id=snap, refreshed_at="2026-11-01T00:00:00",
                             notes=("a note",))


@pytest.fixture
def hostile_models(fixture_db):
    db = fixture_db()
    return db, queries.models(Filters(released_only=False), path=db)


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_landscape_points_read_back_equal_the_table(snapshot_db, fmt):
    points = queries.landscape_points(Filters(), "lmarena_text", "lmarena", path=snapshot_db)
    cols = ["name", "family", "tier", "total_params_b", "active_params_b", "open_weights", "licence_id",
            "score", "unit", "ci_low", "ci_high", "votes", "setting", "source", "as_of", "source_url"]
    table = points[cols]
    snap = queries.data_snapshot(snapshot_db)
    m = export.meta_from_snapshot("landscape", snap)
    back = export.read_back(export.export_bytes(table, fmt, m), fmt)
    assert list(back.columns) == cols + ["data_snapshot", "exported_at"]
    assert set(back["data_snapshot"]) == {snap["snapshot_id"]}
    assert cells(back[cols]) == cells(table)
    assert len(back) == len(table) > 20


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_hostile_models_read_back_verbatim(hostile_models, fmt):
    _, df = hostile_models
    back = export.read_back(export.export_bytes(df, fmt, meta()), fmt)
    assert cells(back[list(df.columns)]) == cells(df)
    assert 'evil/<script>alert(1)</script>' in set(back["model_id"])


def test_csv_neutralises_formulas_but_keeps_numbers(hostile_models):
    _, df = hostile_models
    df = df.assign(delta=[-1.5] * len(df), text_num=["-3"] * len(df))
    raw = export.to_csv_bytes(df, meta()).decode("utf-8-sig")
    parsed = pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)
    every = [v for col in parsed.columns for v in parsed[col]] + list(parsed.columns)
    assert not [v for v in every if v.startswith(export.DANGEROUS_PREFIXES) and v not in ("-1.5", "-3")]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in set(parsed["vendor"])
    assert "'@SUM(1+1)" in set(parsed["licence_id"])
    assert set(parsed["delta"]) == {"-1.5"} and set(parsed["text_num"]) == {"-3"}


def test_every_dangerous_prefix_is_neutralised_in_csv_and_xlsx():
    df = pd.DataFrame({"name": list(HOSTILE), "value": [-1.0, 2.0, -3.0, 4.0, -5.5, 6.0]})
    csv_cells = pd.read_csv(io.BytesIO(export.to_csv_bytes(df, meta())), encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)["name"].tolist()
    assert csv_cells == ["'" + h for h in HOSTILE]
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(df, meta())))
    ws = wb.worksheets[0]
    names = [ws.cell(row=r, column=1) for r in range(2, len(HOSTILE) + 2)]
    values = [ws.cell(row=r, column=2) for r in range(2, len(HOSTILE) + 2)]
    # XML parsers normalise a bare CR to LF when reading; the neutralising quote is what matters
    assert [c.value for c in names] == ["'" + h.replace("\r", "\n") for h in HOSTILE]
    assert all(c.data_type == "s" for c in names)
    assert [c.value for c in values] == [-1.0, 2.0, -3.0, 4.0, -5.5, 6.0]
    assert all(c.data_type == "n" for c in values)  # a negative number is not a formula


def test_xlsx_has_no_formula_cells_and_a_sources_sheet(hostile_models):
    _, df = hostile_models
    data = export.to_xlsx_bytes(df, meta(title="models"))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["models", export.NOTES_SHEET]
    ws = wb["models"]
    assert ws.freeze_panes == "B2"
    assert all(c.font.bold for c in ws[1])
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)
    header = [c.value for c in ws[1]]
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(header.index("model_id") + 1)].width
    assert 20 < width <= export.XLSX_MAX_WIDTH
    assert ws.column_dimensions["A"].width >= len("model_id")
    notes = {r[0]: r[1] for r in wb[export.NOTES_SHEET].iter_rows(values_only=True)}
    assert notes["data snapshot"] == "abc123def456"
    assert notes["exported at (UTC)"].endswith("Z")
    assert "source_url" in notes["provenance columns"]


def test_xlsx_notes_list_sources_of_scores(snapshot_db):
    points = queries.landscape_points(Filters(), "aider_polyglot", "aider", path=snapshot_db)
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(points, meta())))
    rows = list(wb[export.NOTES_SHEET].iter_rows(values_only=True))
    i = rows.index(("source", "source URL", "as of"))
    listed = rows[i + 1:]
    assert listed and all(r[0] == "aider" and r[1].startswith("https://") for r in listed)


def test_parquet_and_json_carry_meta(snapshot_db):
    df = queries.models(Filters(), path=snapshot_db)
    m = export.meta_from_snapshot("models", queries.data_snapshot(snapshot_db), notes=["n1"], filters={"weights": "open"})
    md = json.loads(pq.read_schema(io.BytesIO(export.to_parquet_bytes(df, m))).metadata[b"landscape"])
    assert md["data_snapshot"] == m.snapshot_id and md["view"] == {"weights": "open"} and md["notes"] == ["n1"]
    doc = json.loads(export.to_json_bytes(df, m))
    assert doc["meta"]["data_snapshot"] == m.snapshot_id and len(doc["rows"]) == len(df)
    assert doc["rows"][0]["data_snapshot"] == m.snapshot_id


def test_snapshot_id_from_snapshot_info_or_derived_from_sources(snapshot_db, fixture_db):
    from etl.snapshot import read_manifest
    assert queries.data_snapshot(snapshot_db)["snapshot_id"] == read_manifest()["snapshot_id"]
    db = fixture_db()
    a = queries.data_snapshot(db)
    assert a["kind"] == "refresh" and a["snapshot_id"].startswith("r") and len(a["snapshot_id"]) == 12
    assert a["refreshed_at"] == datetime(2026, 11, 1)
    assert queries.data_snapshot(db) == a  # stable


def test_compare_wide_mixed_types_read_back(fixture_db):
    db = fixture_db()
    ids = ["meta-llama/Llama-4-Maverick-17B-128E-Instruct", "evil/<script>alert(1)</script>", "google/gemini-2.5-pro"]
    table = compare.compare_table(ids, path=db)
    for fmt in export.FORMATS:
        back = export.read_back(export.export_bytes(table, fmt, meta()), fmt)
        assert cells(back[list(table.columns)]) == cells(table), fmt


def test_file_names_are_safe():
    assert export.file_name("landscape/../x y", "csv", "10a6eaf753bc") == "landscape-..-x-y-10a6eaf753bc.csv"
    assert export.file_name("", "json") == "table.json"


def test_static_chart_export_svg_or_clear_message():
    import plotly.graph_objects as go
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="<b>x</b>"))
    try:
        svg = export.figure_bytes(fig, "svg", width=300, height=200)
    except export.StaticExportUnavailable as exc:
        assert "kaleido" in str(exc) or "Chromium" in str(exc)
    else:
        assert svg.lstrip().startswith(b"<svg")
    with pytest.raises(ValueError):
        export.figure_bytes(fig, "gif")


def test_csv_writes_calendar_dates_without_a_time():
    import pandas as pd

    from landscape import export
    df = pd.DataFrame({"release_date": pd.to_datetime(["2025-04-05", None]),
                       "fetched_at": pd.to_datetime(["2026-11-01 13:02:41", "2026-11-02 00:00:00"])})
    text = export.to_csv_bytes(df, export.ExportMeta(title="t"), bom=False).decode()
    assert "2025-04-05," in text and "2025-04-05T00" not in text
    assert "2026-11-01T13:02:41" in text  # real timestamps keep their time


# ---------------------------------------------------------------- hostile headers and category columns

def _hostile_frame() -> pd.DataFrame:
    df = pd.DataFrame({"name": list(HOSTILE), "plain": ["ok"] * len(HOSTILE), "n": range(len(HOSTILE))})
    df["family"] = pd.Categorical(list(HOSTILE))          # category dtype: its cells are text too
    df[HOSTILE[0]] = list(HOSTILE)                         # a hostile header
    df["@cmd"] = pd.Categorical(["x"] * len(HOSTILE))      # a hostile header on a category column
    return df


def _raw_cells(data: bytes, fmt: str) -> tuple[list[str], list[list]]:
    """Header and body exactly as a spreadsheet would see them (no un-neutralising)."""
    if fmt == "csv":
        import csv
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return rows[0], rows[1:]
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return [str(h) for h in rows[0]], rows[1:]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_formats_neutralise_hostile_headers_and_category_cells(fmt):
    df = _hostile_frame()
    data = export.export_bytes(df, fmt, meta())
    header, body = _raw_cells(data, fmt)
    assert header[:6] == ["name", "plain", "n", "family", "'" + HOSTILE[0], "'@cmd"]
    for col in (0, 3, 4):  # object, category, under a hostile header
        for cell, original in zip([r[col] for r in body], HOSTILE):
            # "-2+3" is a formula, not a number; XML turns a lone CR into LF when read back
            assert cell.startswith("'") and cell[1:] in (original, original.replace("\r", "\n")), (fmt, col, cell)
    back = export.read_back(data, fmt)
    assert list(back.columns[:6]) == ["name", "plain", "n", "family", HOSTILE[0], "@cmd"]
    same = [i for i, v in enumerate(HOSTILE) if fmt == "csv" or "\r" not in v]  # XLSX stores a lone CR as LF
    for col in ("family", HOSTILE[0]):
        assert [back[col][i] for i in same] == [HOSTILE[i] for i in same], col


@pytest.mark.parametrize("fmt", ["parquet", "json"])
def test_data_formats_keep_hostile_headers_and_category_cells_verbatim(fmt):
    df = _hostile_frame()
    back = export.read_back(export.export_bytes(df, fmt, meta()), fmt)
    assert list(back.columns[:6]) == ["name", "plain", "n", "family", HOSTILE[0], "@cmd"]
    assert [str(v) for v in back["family"]] == list(HOSTILE) and list(back[HOSTILE[0]]) == list(HOSTILE)
