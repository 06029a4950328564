"""The sentences of the formats' problem codes, one table per family of formats.

Readers report `Problem(location, Message(code, params))`; the web and the CLI render
the code through `app.messages`, which merges these tables into its own. Each entry is
`N_("…")` or `ngettext("…", "…")`, with `%(name)s` placeholders (a plural counts with
`%(num)d`). Codes start with the table's prefix.
"""

from __future__ import annotations

from app.domain.messages import N_, Text, ngettext

__all__ = ["N_", "TEXTS", "ngettext"]


# GIFT and Aiken (gift*.py, aiken.py): codes "gift.*" and "aiken.*".
GIFT: dict[str, Text] = {}


# Moodle XML (moodle*.py): codes "moodle.*".
MOODLE: dict[str, Text] = {}


# QTI 2.1 (qti*.py): codes "qti.*".
QTI: dict[str, Text] = {}


# Sheets, native YAML/JSON and the shared readers (sheet*, spreadsheet, csv_format,
# xlsx_format, native*, safe_zip, xml_support, tables, tags, __init__): codes "sheet.*",
# "native.*", "file.*", "zip.*", "xml.*".
FILES: dict[str, Text] = {}


TEXTS: dict[str, Text] = {**GIFT, **MOODLE, **QTI, **FILES}
