"""Table downloads for the pages: CSV, XLSX or JSON attachments (see app.formats.tables)."""

from __future__ import annotations

import pandas as pd
from flask import Response, abort

from app.formats.tables import FORMATS, MIME, table_bytes


def download(tables: dict[str, pd.DataFrame], basename: str, fmt: str) -> Response:
    """One table (CSV) or several (XLSX sheets, JSON object) as an attachment."""
    if fmt not in FORMATS:
        abort(404)
    headers = {"Content-Disposition": f'attachment; filename="{basename}.{fmt}"'}
    return Response(table_bytes(tables, fmt), mimetype=MIME[fmt], headers=headers)
