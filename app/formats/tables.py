"""Tables as files: CSV, XLSX (one sheet per table) and JSON from pandas DataFrames.

CSV starts with a UTF-8 byte order mark, so Excel opens it as UTF-8. Text cells of CSV
and XLSX files are neutralised so a spreadsheet never runs them as
formulas; JSON keeps the values as they are. Times are written in ISO 8601 UTC (CSV,
JSON) or as UTC date-times (XLSX, which has no time zones).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from app.formats.sheet_model import neutralise
from app.formats.sheet_style import style_sheet

FORMATS = ("csv", "xlsx", "json")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _cell(value: Any) -> Any:
    """A JSON-ready value: times in ISO 8601, NaN and NaT as null, containers as they are."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | pd.Timedelta):
        return None if pd.isna(value) else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple | set):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return value


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a table as JSON-ready dicts."""
    return [{str(k): _cell(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def _sheet_ready(table: pd.DataFrame, *, excel: bool) -> pd.DataFrame:
    """Neutralised text; times as UTC (naive for Excel, ISO text for CSV)."""
    out = table.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            utc = column.dt.tz_convert("UTC")
            out[name] = utc.dt.tz_localize(None) if excel else utc.map(_iso)
        elif column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.astype(object).map(_excel_cell if excel else _text_cell)
    return out


def _excel_cell(value: Any) -> Any:
    """A cell of a text column for XLSX: dates and date-times stay so (naive UTC)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        return (
            stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp
        ).to_pydatetime()
    return _text_cell(value)


def _iso(value: Any) -> str:
    return "" if value is None or value is pd.NaT or pd.isna(value) else value.isoformat()


def _text_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list | tuple | set | dict):
        return neutralise(json.dumps(_cell(value) if not isinstance(value, dict) else value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def table_bytes(
    tables: dict[str, pd.DataFrame],
    fmt: str,
    formats: Mapping[str, Mapping[str, str]] | None = None,
) -> bytes:
    """One table (CSV: the first) or several (XLSX sheets, JSON object keyed by name);
    `formats` as for `xlsx_bytes`."""
    if fmt == "json":
        body: Any = {key: records(table) for key, table in tables.items()}
        if len(body) == 1:
            body = next(iter(body.values()))
        return json.dumps(body, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        first = next(iter(tables.values()))
        text: str = _sheet_ready(first, excel=False).to_csv(index=False)
        # A byte order mark: Excel then reads the file as UTF-8 (Chinese names intact)
        # rather than in the computer's legacy code page.
        return ("\ufeff" + text).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    return xlsx_bytes(tables, formats)


def xlsx_bytes(
    tables: dict[str, pd.DataFrame], formats: Mapping[str, Mapping[str, str]] | None = None
) -> bytes:
    """Tables as sheets of one workbook, styled by `app.formats.sheet_style`.

    `formats`: sheet name → {column → number format} for columns that need one other
    than the defaults ("0" for integers, "0.00" for other numbers).
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, table in tables.items():
            _sheet_ready(table, excel=True).to_excel(writer, index=False, sheet_name=key[:31])
            style_sheet(writer.sheets[key[:31]], (formats or {}).get(key))
    return buffer.getvalue()
