"""Exports: any table as CSV, XLSX, Parquet or JSON, with provenance, and charts as SVG/PNG.

Pure functions of DataFrames (no database, no streamlit). Every export carries

- the table's own provenance columns where it has them (``source``, ``as_of``, ``source_url``,
  ``vendor_claimed``, ``estimated`` ...), untouched;
- ``data_snapshot`` (the id of the data the numbers come from) and ``exported_at`` (when the
  file was made) as two trailing columns, plus the same facts in the file's metadata (XLSX
  second sheet, Parquet schema metadata, JSON ``meta`` object), so a file found later says
  where its numbers came from.

Spreadsheet safety: in CSV and XLSX a text cell that a spreadsheet would evaluate (starting
with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with a single quote
(OWASP "CSV injection"). Numbers stay numbers: a negative number is not a formula, and a text
cell that is a plain number ("-3.5") is left alone. Parquet and JSON are data formats, not
spreadsheets, and keep every value verbatim.
"""
from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd

FORMATS = ("csv", "xlsx", "parquet", "json")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
}
BINARY = {"xlsx", "parquet", "png"}
PROVENANCE_COLUMNS = ("source", "as_of", "source_url", "vendor_claimed", "estimated", "setting", "raw_name",
                      "assumptions", "origin", "fetched_at", "refreshed_at")
META_COLUMNS = ("data_snapshot", "exported_at")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
XLSX_MAX_WIDTH = 60
NOTES_SHEET = "sources & notes"


@dataclass(frozen=True)
class ExportMeta:
    """What every exported file says about itself."""
    title: str
    snapshot_id: str = "unknown"
    refreshed_at: str | None = None
    exported_at: str = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0)
                             .isoformat().replace("+00:00", "Z"))
    notes: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict:
        return {"title": self.title, "data_snapshot": self.snapshot_id, "data_refreshed_at": self.refreshed_at,
                "exported_at": self.exported_at, "notes": list(self.notes),
                "view": dict(self.filters), "generator": "Open-Model Landscape"}


def meta_from_snapshot(title: str, snapshot: dict | None, notes=(), filters: dict | None = None) -> ExportMeta:
    """Build ExportMeta from ``queries.data_snapshot()``'s dict."""
    snapshot = snapshot or {}
    ref = snapshot.get("refreshed_at")
    return ExportMeta(title=title, snapshot_id=str(snapshot.get("snapshot_id") or "unknown"),
                      refreshed_at=_iso(ref) if ref is not None else None,
                      notes=tuple(str(n) for n in notes),
                      filters=tuple((str(k), str(v)) for k, v in (filters or {}).items()))


def _iso(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


# ---------------------------------------------------------------- cell safety

def neutralise_cell(v):
    """A text cell a spreadsheet would evaluate gets a leading single quote; anything else as is."""
    if isinstance(v, str) and v.startswith(DANGEROUS_PREFIXES) and not _PLAIN_NUMBER.match(v):
        return "'" + v
    return v


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` with dangerous text cells neutralised (and dangerous column names too)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if _is_text_column(s):
            out[col] = s.astype(object).map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _is_text_column(s: pd.Series) -> bool:
    """Columns that can hold text: object, string and category (whose categories may be text)."""
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype)


def unneutralise_cell(v):
    """Inverse of ``neutralise_cell`` (for tests and for users re-importing our CSVs)."""
    if isinstance(v, str) and v.startswith("'") and v[1:].startswith(DANGEROUS_PREFIXES):
        return v[1:]
    return v


# ---------------------------------------------------------------- table preparation

def provenance_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c in PROVENANCE_COLUMNS]


def with_meta(df: pd.DataFrame, meta: ExportMeta) -> pd.DataFrame:
    """The table plus the two trailing columns every export carries."""
    out = df.copy()
    out.columns = [str(c) for c in out.columns]
    out["data_snapshot"] = meta.snapshot_id
    out["exported_at"] = meta.exported_at
    return out


def _arrow_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet needs one type per column: object columns mixing types become text (nulls kept)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype != object:
            continue
        kinds = {type(v) for v in s if not _is_null(v)}
        if len(kinds) > 1 or (kinds and not kinds <= {str, bool, int, float, date, datetime, pd.Timestamp}):
            out[col] = s.map(lambda v: None if _is_null(v) else str(v)).astype(object)
    return out


def _is_null(v) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    return isinstance(v, float) and math.isnan(v)


# ---------------------------------------------------------------- writers

def to_csv_bytes(df: pd.DataFrame, meta: ExportMeta, bom: bool = True) -> bytes:
    """UTF-8 CSV, injection-safe; with a BOM by default so Excel reads unicode names right
    (``bom=False`` for pipes)."""
    # RFC 4180 line ends: fields holding a bare CR or LF get quoted instead of splitting rows
    text = _calendar_dates(neutralise(with_meta(df, meta))).to_csv(
        index=False, date_format="%Y-%m-%dT%H:%M:%S", lineterminator="\r\n")
    return text.encode("utf-8-sig" if bom else "utf-8")


def _calendar_dates(df: pd.DataFrame) -> pd.DataFrame:
    """Datetime columns whose every value is a midnight (DuckDB DATEs: release dates, as-of dates)
    are written as plain ``YYYY-MM-DD``, not ``YYYY-MM-DDT00:00:00``."""
    out = df
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s) and s.notna().any():
            v = s.dropna()
            if (v.dt.normalize() == v).all():
                out = out.copy() if out is df else out
                out[col] = s.dt.strftime("%Y-%m-%d").where(s.notna(), None)
    return out


def to_json_bytes(df: pd.DataFrame, meta: ExportMeta) -> bytes:
    """``{"meta": {...}, "columns": [...], "rows": [{...}, ...]}``; dates as ISO strings, unknown as null."""
    table = with_meta(df, meta)
    cols = list(table.columns)
    rows = [dict(zip(cols, (_json_value(v) for v in r))) for r in table.astype(object).itertuples(index=False, name=None)]
    doc = {"meta": meta.as_dict(), "columns": list(table.columns), "rows": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _json_value(v):
    if _is_null(v):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (AttributeError, ValueError):
            return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (str, int, float, bool, list, dict)):
        return v
    return str(v)


def to_parquet_bytes(df: pd.DataFrame, meta: ExportMeta) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.Table.from_pandas(_arrow_safe(with_meta(df, meta)), preserve_index=False)
    md = dict(table.schema.metadata or {})
    md[b"landscape"] = json.dumps(meta.as_dict()).encode()
    table = table.replace_schema_metadata(md)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def _xlsx_value(v):
    if _is_null(v):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, datetime) and v.tzinfo is not None:
        v = v.astimezone(timezone.utc).replace(tzinfo=None)
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        try:
            v = v.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(v, (list, tuple, dict, set)):
        v = json.dumps(v if not isinstance(v, set) else sorted(v), default=str)
    if not isinstance(v, (str, int, float, bool, date, datetime)):
        v = str(v)
    if isinstance(v, str):
        v = _strip_illegal_xml(v)
    return neutralise_cell(v)


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _strip_illegal_xml(s: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", s)


def _display_len(v) -> int:
    if v is None:
        return 0
    if isinstance(v, datetime):
        return 19
    if isinstance(v, date):
        return 10
    if isinstance(v, float):
        return len(f"{v:g}")
    return max((len(line) for line in str(v).splitlines()), default=0)


def to_xlsx_bytes(df: pd.DataFrame, meta: ExportMeta) -> bytes:
    """Sheet 1: the table (bold header, frozen header row and first column, widths fitted to the
    content, capped at 60). Sheet 2 "sources & notes": snapshot id, dates, notes, the filters of
    the view, and the distinct sources/URLs/as-of dates behind the numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table = with_meta(df, meta)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(meta.title)
    headers = [neutralise_cell(_strip_illegal_xml(str(c))) for c in table.columns]
    ws.append(headers)
    widths = [len(h) for h in headers]
    for row in table.itertuples(index=False, name=None):
        vals = [_xlsx_value(v) for v in row]
        ws.append(vals)
        for i, v in enumerate(vals):
            widths[i] = max(widths[i], _display_len(v))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = min(widths[i - 1] + 2, XLSX_MAX_WIDTH)
        kind = table[col].dtype
        if pd.api.types.is_datetime64_any_dtype(kind):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd hh:mm"
    ws.freeze_panes = "B2" if len(table.columns) > 1 else "A2"
    if len(table):
        ws.auto_filter.ref = ws.dimensions

    notes = wb.create_sheet(NOTES_SHEET)
    for row in notes_rows(df, meta):
        notes.append([_xlsx_value(v) for v in row])
    for cell in notes[1]:
        cell.font = bold
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 70
    notes.column_dimensions["C"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(title: str) -> str:
    t = re.sub(r"[\[\]:*?/\\']", " ", title or "table").strip() or "table"
    return t[:31]


def notes_rows(df: pd.DataFrame, meta: ExportMeta) -> list[list]:
    """The rows of the "sources & notes" sheet (also useful for a README beside a CSV)."""
    rows: list[list] = [["field", "value", ""],
                        ["table", meta.title, ""],
                        ["data snapshot", meta.snapshot_id, ""],
                        ["data refreshed at (UTC)", meta.refreshed_at or "unknown", ""],
                        ["exported at (UTC)", meta.exported_at, ""],
                        ["rows", len(df), ""],
                        ["generator", "Open-Model Landscape (python -m landscape / Streamlit app)", ""]]
    for k, v in meta.filters:
        rows.append([f"view: {k}", v, ""])
    for n in meta.notes:
        rows.append(["note", n, ""])
    rows.append(["note", "Empty cells are unknown, not zero. Vendor-claimed numbers are flagged in "
                         "'vendor_claimed'; estimates in 'estimated' (with their assumptions).", ""])
    rows.append(["note", "Text cells starting with = + - @ tab or CR were prefixed with ' so no "
                         "spreadsheet evaluates them.", ""])
    prov = provenance_columns(df)
    if prov:
        rows.append(["provenance columns", ", ".join(prov), ""])
    if "source" in df.columns or "source_url" in df.columns:
        rows.append(["", "", ""])
        rows.append(["source", "source URL", "as of"])
        cols = [c for c in ("source", "source_url", "as_of") if c in df.columns]
        if cols:
            sub = df[cols].copy()
            for c in cols:
                sub[c] = sub[c].map(lambda v: None if _is_null(v) else (_iso(v) if isinstance(v, (date, datetime)) else str(v)))
            seen = sub.dropna(how="all").drop_duplicates().sort_values(cols, na_position="last")
            for r in seen.itertuples(index=False):
                d = dict(zip(cols, r))
                rows.append([d.get("source"), d.get("source_url"), d.get("as_of")])
    return rows


WRITERS = {"csv": to_csv_bytes, "xlsx": to_xlsx_bytes, "parquet": to_parquet_bytes, "json": to_json_bytes}


def export_bytes(df: pd.DataFrame, fmt: str, meta: ExportMeta, bom: bool = True) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return to_csv_bytes(df, meta, bom=bom)
    return WRITERS[fmt](df, meta)


def file_name(name: str, fmt: str, snapshot_id: str | None = None) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "table"
    snap = re.sub(r"[^A-Za-z0-9]+", "", snapshot_id or "")[:12]
    return f"{stem}{'-' + snap if snap and snap != 'unknown' else ''}.{fmt}"


# ---------------------------------------------------------------- read back (tests, notebooks)

def read_back(data: bytes, fmt: str) -> pd.DataFrame:
    """Parse an export back into a DataFrame (CSV/XLSX cells un-neutralised)."""
    if fmt == "csv":
        df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                         dtype=str)
    elif fmt == "xlsx":
        # dtype=object keeps each cell as written: a boolean column with unknown (empty) cells is not read as 0.0/1.0
        df = pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl", dtype=object)
    elif fmt == "parquet":
        return pd.read_parquet(io.BytesIO(data))
    elif fmt == "json":
        doc = json.loads(data.decode("utf-8"))
        return pd.DataFrame(doc["rows"], columns=doc["columns"])
    else:
        raise ValueError(fmt)
    df.columns = [unneutralise_cell(c) for c in df.columns]
    for c in df.columns:
        if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype):
            df[c] = df[c].astype(object).map(unneutralise_cell)
    return df


# ---------------------------------------------------------------- charts

class StaticExportUnavailable(RuntimeError):
    """Static image export needs kaleido and a Chromium; the message says what is missing."""


def figure_bytes(fig, fmt: str = "svg", width: int = 1200, height: int | None = None, scale: float = 1.0) -> bytes:
    """SVG or PNG of a Plotly figure via kaleido (which drives /usr/bin/chromium)."""
    if fmt not in ("svg", "png"):
        raise ValueError("static chart export supports svg and png")
    try:
        import kaleido  # noqa: F401
    except ImportError as exc:
        raise StaticExportUnavailable("static chart export needs the 'kaleido' package "
                                      "(pip install -r requirements.txt); use the chart toolbar's camera "
                                      "button for a PNG") from exc
    try:
        return fig.to_image(format=fmt, width=width, height=height or fig.layout.height or 560, scale=scale)
    except Exception as exc:  # kaleido raises several types when Chromium is missing or crashes
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise StaticExportUnavailable(f"static chart export failed ({first}); kaleido needs a Chromium "
                                      "(Debian: apt-get install chromium). The chart toolbar's camera "
                                      "button still saves a PNG.") from exc
