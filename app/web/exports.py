"""Downloads for the pages: any file as an attachment, and tables as CSV, XLSX or JSON
(see app.formats.tables)."""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

import pandas as pd
from flask import Response, abort, send_file

from app.formats.tables import FORMATS, MIME, table_bytes
from app.messages import render_cells
from app.web.formatting import reader_zone_name


def attachment(data: bytes | str, filename: str, mimetype: str) -> Response:
    """`data` (text is sent as UTF-8) as a download saved under `filename`."""
    body = data.encode() if isinstance(data, str) else data
    return send_file(BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=filename)


def download(
    tables: dict[str, pd.DataFrame],
    basename: str,
    fmt: str,
    formats: Mapping[str, Mapping[str, str]] | None = None,
) -> Response:
    """One table (CSV) or several (XLSX sheets, JSON object) as an attachment; `formats`:
    sheet → column → XLSX number format (see app.formats.tables.xlsx_bytes). Times are on
    the reader's clocks (CSV: ISO 8601 with the offset; XLSX: the zone in the header);
    JSON keeps them in UTC."""
    if fmt not in FORMATS:
        abort(404)
    spoken = {name: render_cells(table) for name, table in tables.items()}
    data = table_bytes(spoken, fmt, formats, zone=reader_zone_name())
    return attachment(data, f"{basename}.{fmt}", MIME[fmt])
