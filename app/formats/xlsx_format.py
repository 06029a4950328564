"""Banks as Excel workbooks: a `questions` sheet in the documented columns and a `bank`
sheet of key/value rows for the bank's metadata."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any, cast

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.messages import Message
from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    ParseResult,
    Problem,
    Unsupported,
)
from app.formats.safe_zip import WORKBOOK_MAX_FILES, WORKBOOK_MAX_TOTAL, inspect_package
from app.formats.sheet_model import COLUMNS, bank_meta, bank_rows, neutralise
from app.formats.sheet_read import MAX_COLUMNS, MAX_ROWS, cell_text, default_bank, read_rows
from app.formats.sheet_style import style_sheet

MAX_CELL = 32_767  # Excel's limit on the characters of one cell
MAX_META_ROWS = 100  # the bank sheet holds a handful of keys
_WIDE = {"stem": 60, "explanation": 50, "rubric": 40, "model_answer": 40}


def read_xlsx(content: bytes, source: str = "") -> ParseResult:
    """Read a bank from an .xlsx workbook, reporting problems by row and column."""
    unsafe = _unsafe_archive(content, source)
    if unsafe:
        return ParseResult(default_bank({}, source), unsafe)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # whatever openpyxl fails on, the upload is not a usable workbook
        message = Message("sheet.not_a_workbook")
        return ParseResult(default_bank({}, source), [Problem(Location(source), message)])
    try:
        return _read_workbook(workbook, source)
    finally:
        workbook.close()


def _read_workbook(workbook: Any, source: str) -> ParseResult:
    """The bank of an opened workbook: metadata from `bank`, questions from the other sheet."""
    names = workbook.sheetnames
    meta, problems = _meta(workbook["bank"], source) if "bank" in names else ({}, [])
    chosen = "questions" if "questions" in names else next((n for n in names if n != "bank"), None)
    if chosen is None:
        problems.append(Problem(Location(source), Message("sheet.no_question_sheet")))
        return ParseResult(default_bank(meta, source), problems)
    rows = sheet_rows(workbook[chosen], MAX_ROWS + 1, MAX_COLUMNS + 1)
    result = read_rows(((n, list(values)) for n, values in rows), source, meta)
    result.problems[:0] = problems
    return result


def sheet_rows(sheet: Any, max_row: int, max_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows holding a value, numbered as Excel shows them, within `max_row` × `max_col`.

    The size a sheet declares is ignored: a file may claim A1:XFD1048576 and hold one cell,
    and openpyxl would pad every row to it. Only the cells present are read, and the last
    row (`max_row`) is always passed on so the caller can report that the sheet goes on.
    """
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number == max_row or values.count(None) != len(values):
            yield number, values


def _unsafe_archive(content: bytes, source: str) -> list[Problem]:
    """A workbook is a zip: refuse a zip bomb from its directory before openpyxl inflates it."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return []  # openpyxl refuses it below with the plain "not a workbook" message
    return inspect_package(
        content, source, max_files=WORKBOOK_MAX_FILES, max_total=WORKBOOK_MAX_TOTAL
    )


def _meta(sheet: Any, source: str) -> tuple[dict[str, str], list[Problem]]:
    """Key/value rows of the `bank` sheet (a `key | value` header row is skipped)."""
    found: dict[str, str] = {}
    for number, values in sheet_rows(sheet, MAX_META_ROWS + 1, 2):
        if number > MAX_META_ROWS:
            message = Message("sheet.too_many_meta_rows", {"limit": MAX_META_ROWS})
            return found, [Problem(Location(source, row=number, path="bank"), message)]
        key, value = (cell_text(v).strip() for v in [*values, None, None][:2])
        if key and key.lower() != "key":
            found[key.lower()] = value
    return found, []


def write_xlsx(bank: BankRecord) -> ExportResult:
    """The bank as an .xlsx workbook: a bold, frozen header row with a filter, widths
    from the content (long texts at a fixed width), numbers with a number format."""
    rows, skipped, warnings = bank_rows(bank)
    workbook = openpyxl.Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook has one worksheet
    sheet.title = "questions"
    sheet.append(list(COLUMNS))
    for row in rows:
        cells = [_cell(row.get(name, "")) for name in COLUMNS]
        if any(isinstance(c, str) and len(c) > MAX_CELL for c in cells):
            where = Location(path=f"question {row['id']}")
            reason = Message("sheet.too_long_for_excel")
            if row.get("language"):  # a translation's row: the question itself is written
                params = {"question": row["id"], "language": row["language"], "reason": reason}
                message = Message("export.translation_sheet", params)
                warnings.append(Problem(Location(path=str(row["id"])), message, "warning"))
            else:
                skipped.append(Unsupported(str(row["type"]), str(row["id"]), where, reason))
            continue
        sheet.append(cells)
    style_sheet(sheet, widths=_WIDE)
    meta_sheet = workbook.create_sheet("bank")
    meta_sheet.append(["key", "value"])
    for key, value in bank_meta(bank):
        meta_sheet.append([key, _cell(value)])
    style_sheet(meta_sheet)
    out = io.BytesIO()
    workbook.save(out)
    return ExportResult(out.getvalue(), skipped, warnings)


def _cell(value: object) -> object:
    """A cell value: numbers stay numbers, text is neutralised, empty text is a blank cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return neutralise(text) if text else None
