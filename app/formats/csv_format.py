"""Banks as CSV: UTF-8 (with or without a byte-order mark), comma or semicolon separated.

The first row may be `#bank: id=…, title=…` (one `key=value` per cell); then comes the
header row and one row per scenario or question, as in docs/formats/spreadsheet.md.
"""

from __future__ import annotations

import csv
import io

from app.domain.messages import Message
from app.domain.records import BankRecord, ExportResult, Location, ParseResult, Problem
from app.formats.sheet_model import COLUMNS, bank_meta, bank_rows, neutralise
from app.formats.sheet_read import default_bank, read_rows


def read_csv(content: bytes | str, source: str = "") -> ParseResult:
    """Read a bank from CSV, reporting problems by row and column."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            row = error.object[: error.start].count(b"\n") + 1
            message = Message("sheet.csv_not_utf8")
            return ParseResult(
                default_bank({}, source), [Problem(Location(source, row=row), message)]
            )
    text = content.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            rows.append((len(rows) + 1, values))
    except csv.Error as error:
        message = Message("sheet.csv_unreadable", {"error": str(error)})
        problem = Problem(Location(source, row=len(rows) + 1), message)
        return ParseResult(default_bank({}, source), [problem])
    return read_rows(rows, source)


def _delimiter(text: str) -> str:
    """`;` when the header row uses it more than commas, as European Excel writes."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return ";" if line.count(";") > line.count(",") else ","
    return ","


def write_csv(bank: BankRecord) -> ExportResult:
    """The bank as CSV with a byte-order mark, so that Excel reads it as UTF-8."""
    rows, skipped, warnings = bank_rows(bank)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    meta = [f"{key}={value}" for key, value in bank_meta(bank)]
    writer.writerow([f"#bank: {meta[0]}", *meta[1:]] if meta else ["#bank:"])
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(str(row.get(name, ""))) for name in COLUMNS])
    return ExportResult(("\ufeff" + out.getvalue()).encode("utf-8"), skipped, warnings)
