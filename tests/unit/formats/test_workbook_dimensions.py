"""A workbook costs what it holds, not what it claims: a sheet may declare A1:XFD20000 and
hold one cell, and reading it must not pad 20,000 rows to 16,384 columns. Rows and columns
past the caps are refused at their cell."""

from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl

from app.formats import spreadsheet
from app.formats.sheet_model import COLUMNS, column_letter
from app.formats.sheet_read import MAX_COLUMNS, MAX_ROWS
from app.formats.xlsx_format import MAX_META_ROWS
from app.messages import render

QUICK = 0.5  # seconds; before the fix the first workbook below took about 19 s


def workbook(cells: dict[str, dict[str, object]]) -> bytes:
    """A workbook with the given sheets, each a mapping of cell references to values."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, values in cells.items():
        sheet = book.create_sheet(title)
        for ref, value in values.items():
            sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def declaring(data: bytes, dimension: str) -> bytes:
    """The workbook with every sheet claiming to span `dimension`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                new = f'<dimension ref="{dimension}"/>'.encode()
                part, count = re.subn(rb'<dimension ref="[^"]*" ?/>', new, part)
                assert count == 1
            archive.writestr(info, part)
    return out.getvalue()


def timed_read(data: bytes, name: str):
    """Read a workbook; the result and the seconds it took."""
    start = time.perf_counter()
    result = spreadsheet.read_xlsx(data, name)
    return result, time.perf_counter() - start


def test_a_sheet_claiming_a_huge_size_is_read_by_its_real_cells():
    data = declaring(workbook({"questions": {f"A{MAX_ROWS}": "x"}}), f"A1:XFD{MAX_ROWS}")
    assert len(data) < 6_000
    result, seconds = timed_read(data, "claims.xlsx")
    assert seconds < QUICK
    # The one cell is read where it is: as a header row that lacks the required columns.
    assert {(p.location.row, render(p.message)) for p in result.errors} >= {
        (MAX_ROWS, "the header row has no id column"),
        (MAX_ROWS, "the header row has no type column"),
    }


def test_a_real_bank_in_a_sheet_claiming_a_huge_size_still_imports():
    header = {f"{column_letter(i)}1": name for i, name in enumerate(COLUMNS)}
    at = {name: column_letter(i) for i, name in enumerate(COLUMNS)}
    row = {"id": "q1", "type": "true_false", "stem": "Changes are assessed.", "correct": "true"}
    cells = {**header, **{f"{at[name]}2": value for name, value in row.items()}}
    cells[f"{at['clauses']}2"] = "8.5.1"
    data = declaring(workbook({"questions": cells}), "A1:XFD1048576")
    result, seconds = timed_read(data, "bank.xlsx")
    assert seconds < QUICK
    assert result.problems == []
    (question,) = result.bank.questions
    assert (question.id, question.answer, question.clauses) == ("q1", True, ["8.5.1"])


def test_rows_past_the_cap_are_refused_at_the_first_one_quickly():
    cells = {"A1": "id", "B1": "type", "C1": "stem", "A1048576": "far"}
    data = declaring(workbook({"questions": cells}), "A1:XFD1048576")
    result, seconds = timed_read(data, "long.xlsx")
    assert seconds < QUICK
    (problem,) = result.errors
    assert problem.location.row == MAX_ROWS + 1
    assert render(problem.message) == f"a sheet may have at most {MAX_ROWS:,} rows; split the bank"


def test_a_value_past_the_column_cap_is_refused_at_its_cell():
    beyond = column_letter(MAX_COLUMNS)
    cells = {"A1": "id", "B1": "type", "C1": "stem", "A3": "q1", f"{beyond}3": "a note"}
    result, seconds = timed_read(workbook({"questions": cells}), "wide.xlsx")
    assert seconds < QUICK
    (problem,) = result.errors
    assert (problem.location.row, problem.location.column) == (3, beyond)
    assert f"at most {MAX_COLUMNS} columns (A to {column_letter(MAX_COLUMNS - 1)})" in (
        render(problem.message)
    )


def test_a_csv_row_past_the_column_cap_is_refused_at_its_cell():
    wide = ",".join(["q1", "true_false", "A stem", *[""] * 70, "stray"])
    result = spreadsheet.read_csv(f"id,type,stem\n{wide}\n".encode(), "wide.csv")
    (problem,) = result.errors
    assert (problem.location.row, problem.location.column) == (2, column_letter(73))


def test_the_bank_sheet_is_read_by_its_real_cells_and_capped():
    meta = {"A1": "title", "B1": "Claims", "B1048576": "far"}
    data = declaring(workbook({"questions": {"A1": "id"}, "bank": meta}), "A1:XFD1048576")
    result, seconds = timed_read(data, "meta.xlsx")
    assert seconds < QUICK
    assert result.bank.title == "Claims"
    first = result.errors[0]
    assert (first.location.row, first.location.path) == (MAX_META_ROWS + 1, "bank")
    assert (
        render(first.message)
        == f"the bank sheet may have at most {MAX_META_ROWS} rows of key and value"
    )
