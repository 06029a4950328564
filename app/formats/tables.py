"""Tables as files: CSV, XLSX (one sheet per table) and JSON from pandas DataFrames.

CSV starts with a UTF-8 byte order mark, so Excel opens it as UTF-8. Text cells of CSV
and XLSX files are neutralised so a spreadsheet never runs them as
formulas; JSON keeps the values as they are.

Times are shown on the clocks of the reader's `zone` (an IANA name; UTC when none is
given): CSV writes them in ISO 8601 with their offset ("2026-12-08T07:30:00+08:00"),
XLSX, which has no time zones, as date-times with the zone named in the column's header
("submitted_at (Asia/Shanghai)"). JSON, a machine format, keeps ISO 8601 in UTC.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

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


def _sheet_ready(table: pd.DataFrame, *, excel: bool, zone: str | None = None) -> pd.DataFrame:
    """Neutralised text; times on the clocks of `zone` (naive for Excel, with the zone in
    the header; ISO text with the offset for CSV)."""
    out = table.copy()
    clocks: tzinfo = ZoneInfo(zone) if zone else UTC
    timed: list[str] = []
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            local = column.dt.tz_convert(clocks)
            out[name] = local.dt.tz_localize(None) if excel else local.map(_iso)
            timed.append(str(name))
        elif column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            cells = column.astype(object)
            if any(isinstance(v, datetime) and v.tzinfo is not None for v in cells):
                timed.append(str(name))
            out[name] = cells.map(
                lambda v: _excel_cell(v, clocks) if excel else _text_cell(v, clocks)
            )
    if excel and zone:
        out = out.rename(columns={name: zoned_header(name, zone) for name in timed})
    return out


def zoned_header(name: str, zone: str) -> str:
    """The XLSX header of a column of times shown on `zone`'s clocks."""
    return f"{name} ({zone})"


def _excel_cell(value: Any, clocks: tzinfo = UTC) -> Any:
    """A cell of a text column for XLSX: dates and date-times stay so (naive, local)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        return (
            stamp.tz_convert(clocks).tz_localize(None) if stamp.tzinfo else stamp
        ).to_pydatetime()
    return _text_cell(value)


def _iso(value: Any) -> str:
    return "" if value is None or value is pd.NaT or pd.isna(value) else value.isoformat()


def _text_cell(value: Any, clocks: tzinfo = UTC) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list | tuple | set | dict):
        return neutralise(json.dumps(_cell(value) if not isinstance(value, dict) else value))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(clocks).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def table_bytes(
    tables: dict[str, pd.DataFrame],
    fmt: str,
    formats: Mapping[str, Mapping[str, str]] | None = None,
    zone: str | None = None,
) -> bytes:
    """One table (CSV: the first) or several (XLSX sheets, JSON object keyed by name);
    `formats` as for `xlsx_bytes`; times on `zone`'s clocks (module docstring)."""
    if fmt == "json":
        body: Any = {key: records(table) for key, table in tables.items()}
        if len(body) == 1:
            body = next(iter(body.values()))
        return json.dumps(body, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        first = next(iter(tables.values()))
        text: str = _sheet_ready(first, excel=False, zone=zone).to_csv(index=False)
        # A byte order mark: Excel then reads the file as UTF-8 (Chinese names intact)
        # rather than in the computer's legacy code page.
        return ("\ufeff" + text).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    return xlsx_bytes(tables, formats, zone)


def xlsx_bytes(
    tables: dict[str, pd.DataFrame],
    formats: Mapping[str, Mapping[str, str]] | None = None,
    zone: str | None = None,
) -> bytes:
    """Tables as sheets of one workbook, styled by `app.formats.sheet_style`.

    `formats`: sheet name → {column → number format} for columns that need one other
    than the defaults ("0" for integers, "0.00" for other numbers). Times are shown on
    `zone`'s clocks, named in their headers (module docstring).
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, table in tables.items():
            ready = _sheet_ready(table, excel=True, zone=zone)
            ready.to_excel(writer, index=False, sheet_name=key[:31])
            chosen = dict((formats or {}).get(key) or {})
            if zone:  # a format given for a column of times follows its new header
                chosen = {
                    zoned_header(c, zone) if zoned_header(c, zone) in ready.columns else c: f
                    for c, f in chosen.items()
                }
            style_sheet(writer.sheets[key[:31]], chosen or None)
    return buffer.getvalue()
