"""Workbooks a person opens: bold frozen headers, widths, numbers and dates as such."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd

from app.formats import spreadsheet
from app.formats.tables import table_bytes, xlsx_bytes
from tests.unit.formats.sample import every_type_bank


def read_back(data: bytes) -> openpyxl.Workbook:
    """The workbook as a spreadsheet program opens it."""
    return openpyxl.load_workbook(io.BytesIO(data))


def column(sheet, header: str) -> list:
    """The cells under a header."""
    names = [c.value for c in sheet[1]]
    return [row[names.index(header)] for row in sheet.iter_rows(min_row=2)]


def test_a_staff_table_keeps_numbers_and_dates_with_their_formats():
    submitted = pd.to_datetime(["2026-11-02 09:30", "2026-11-03 17:05"]).tz_localize("UTC")
    table = pd.DataFrame(
        {
            "learner": ["Ana", "=cmd"],
            "submitted_at": submitted,
            "due": [date(2026, 12, 1), date(2026, 12, 2)],
            "marked_at": [datetime(2026, 11, 4, 8, 0, tzinfo=UTC), None],
            "answers": [40, 38],
            "score": [0.725, 0.5],
            "facility": [0.8123, float("nan")],
        }
    )
    book = read_back(xlsx_bytes({"mock exams": table}, {"mock exams": {"score": "0%"}}))
    sheet = book["mock exams"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G3"
    assert all(cell.font.b for cell in sheet[1])
    first = column(sheet, "submitted_at")[0]
    assert first.value == datetime(2026, 11, 2, 9, 30) and first.number_format == "yyyy-mm-dd hh:mm"
    due = column(sheet, "due")[0]
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    marked = column(sheet, "marked_at")
    assert marked[0].value == datetime(2026, 11, 4, 8, 0) and marked[1].value is None
    answers = column(sheet, "answers")[0]
    assert answers.value == 40 and answers.data_type == "n" and answers.number_format == "0"
    assert [c.number_format for c in column(sheet, "score")] == ["0%", "0%"]
    facility = column(sheet, "facility")
    assert facility[0].value == 0.8123 and facility[0].number_format == "0.00"
    assert facility[1].value is None  # NaN is a blank cell, not the text "nan"
    assert column(sheet, "learner")[1].value == "'=cmd"
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFG"}
    assert widths["B"] >= 16 and all(8 <= w <= 60 for w in widths.values())


def test_every_table_download_goes_through_the_same_styling():
    table = pd.DataFrame({"team": ["Desk"], "members": [3], "note": ["x" * 500]})
    sheet = read_back(table_bytes({"teams": table}, "xlsx"))["teams"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.column_dimensions["C"].width == 60  # long text is capped, not 500 wide
    assert sheet["B2"].number_format == "0"


def test_the_bank_export_has_readable_headers_and_numbers():
    book = read_back(spreadsheet.write_xlsx(every_type_bank()).data)
    sheet = book["questions"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width >= 8
    names = [c.value for c in sheet[1]]
    stem = openpyxl.utils.get_column_letter(names.index("stem") + 1)
    assert sheet.column_dimensions[stem].width == 60
    difficulty = [c for c in column(sheet, "difficulty") if c.value not in (None, "")]
    assert difficulty and all(c.data_type == "n" and c.number_format == "0" for c in difficulty)
    meta = book["bank"]
    assert meta.freeze_panes == "A2" and meta["A1"].font.b
