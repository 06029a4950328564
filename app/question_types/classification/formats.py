"""Classification in the file formats: native YAML/JSON only.

GIFT, Aiken, Moodle XML, QTI and the spreadsheet columns have no hook here, so their
writers list classification questions as skipped ("cannot express") and their readers
never produce one.

Native shape::

    categories: [{id: inc, text: Incident}, {id: req, text: Service request}]
    items: [{id: i1, text: Printer is down, category: inc}, ...]
"""

from __future__ import annotations

from typing import Any

from app.domain.records import QuestionRecord
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.type_formats import TypeFormats

CATEGORY_KEYS = ("id", "text")
ITEM_KEYS = ("id", "text", "category")


def read_native(reader: FieldReader, item: dict, path: Path) -> dict[str, Any]:
    """The categories and items of a native question, reporting what is wrong."""
    data: dict[str, Any] = {}
    for key, allowed in (("categories", CATEGORY_KEYS), ("items", ITEM_KEYS)):
        rows = []
        for row, row_path in reader.records(item, path, key):
            reader.check_keys(row, row_path, allowed)
            rows.append({k: reader.text(row, row_path, k, required=True) or "" for k in allowed})
        if rows:
            data[key] = rows
    return data


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The categories and items, in the native key order."""
    out: dict[str, Any] = {}
    for key, allowed in (("categories", CATEGORY_KEYS), ("items", ITEM_KEYS)):
        rows = q.data.get(key) or []
        if rows:
            out[key] = [{k: row.get(k, "") for k in allowed} for row in rows]
    return out


FORMATS = TypeFormats(
    native_keys=("categories", "items"),
    read_native=read_native,
    write_native=write_native,
)
