"""Spreadsheet banks: exact CSV/XLSX round trips, safe cells and row/column problems."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from app.domain.records import OptionRecord
from app.domain.validation import validate_bank
from app.formats import spreadsheet
from app.formats.sheet_model import COLUMNS, column_letter, neutralise, restore
from app.messages import render, render_problem
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"

FORMULA_TEXTS = ["=SUM(A1:A9)", "+1 is an option", "-x", "@cmd", "'=quoted already", "''+two"]


def risky_bank():
    """The sample bank with texts that look like formulas or trouble CSV."""
    bank = every_type_bank()
    q = bank.questions[0]
    q.stem = '=HYPERLINK("http://example.com")\nand a second line, with "quotes"; and ;'
    q.options = [OptionRecord(chr(97 + i), t, i == 0) for i, t in enumerate(FORMULA_TEXTS)]
    q.options[1].feedback = "-1 marks? no"
    bank.description = "Two lines\n@ the end"
    return bank


WRITERS = [
    (spreadsheet.write_csv, spreadsheet.read_csv, "bank.csv"),
    (spreadsheet.write_xlsx, spreadsheet.read_xlsx, "bank.xlsx"),
]


@pytest.mark.parametrize("bank_factory", [every_type_bank, risky_bank])
@pytest.mark.parametrize(("write", "read", "name"), WRITERS)
def test_banks_round_trip_exactly(bank_factory, write, read, name):
    bank = bank_factory()
    exported = write(bank)
    assert exported.skipped == []
    result = read(exported.data, name)
    assert result.problems == []
    assert result.bank == bank


def test_csv_cells_never_start_a_formula():
    data = spreadsheet.write_csv(risky_bank()).data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data, newline="")) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=SUM(A1:A9)" in cells and "''=quoted already" in cells and "'-x" in cells


def test_xlsx_cells_are_text_not_formulas():
    data = spreadsheet.write_xlsx(risky_bank()).data
    sheet = openpyxl.load_workbook(io.BytesIO(data))["questions"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert "'@cmd" in [c.value for c in cells]
    assert sheet.freeze_panes == "A2"


def test_neutralising_is_undone_exactly():
    for text in [*FORMULA_TEXTS, "plain", "'apostrophe then letter", "", "\tTabbed"]:
        assert restore(neutralise(text)) == text
    assert restore("'apostrophe then letter") == "'apostrophe then letter"


def test_templates_have_one_example_per_type_and_parse_cleanly():
    for data, read in (
        (spreadsheet.template_csv(), spreadsheet.read_csv),
        (spreadsheet.template_xlsx(), spreadsheet.read_xlsx),
    ):
        result = read(data, "template")
        assert result.problems == []
        assert result.bank == spreadsheet.template_bank()
        assert validate_bank(result.bank) == []
        types = [q.type for q in result.bank.questions]
        assert sorted(types) == sorted(set(types)) and len(types) == 7
        assert len(result.bank.scenarios) == 1
    header = spreadsheet.template_csv().decode("utf-8-sig").splitlines()[1]
    assert header.split(",") == list(COLUMNS)


def test_without_metadata_the_bank_is_named_after_the_file():
    data = b"id,type,stem,correct\nq1,true_false,Incidents are recorded.,TRUE\n"
    result = spreadsheet.read_csv(data, "uploads/Change Mgmt 2024.csv")
    assert (result.bank.id, result.bank.title) == ("change-mgmt-2024", "Change Mgmt 2024")
    assert result.bank.questions[0].answer is True


def test_semicolons_decimal_commas_and_a_byte_order_mark_are_understood():
    data = (
        "\ufeffid;type;stem;marks;answers\ns1;short_answer;Which clause?;1,5;8.6.3|clause 8.6.3\n"
    )
    [q] = spreadsheet.read_csv(data.encode(), "semi.csv").bank.questions
    assert q.marks == 1.5 and q.answers == ["8.6.3", "clause 8.6.3"]


def test_cells_of_another_type_are_ignored_with_a_warning():
    data = b"id,type,stem,correct,answers\nq1,true_false,Owned by top management.,true,yes\n"
    [problem] = spreadsheet.read_csv(data, "stray.csv").problems
    assert problem.severity == "warning"
    assert str(problem.location) == "stray.csv: row 2, column E (answers)"


def test_questions_that_do_not_fit_the_columns_are_skipped_and_named():
    bank = every_type_bank()
    bank.questions[0].options = [OptionRecord(f"o{i}", f"Option {i}") for i in range(9)]
    bank.questions[5].answers = ["a|b"]
    for write, _, _ in WRITERS:
        skipped = write(bank).skipped
        assert [s.name for s in skipped] == ["q-single", "q-short"]
        assert "more than 8" in render(skipped[0].reason)


def test_validation_problems_of_a_sheet_point_at_the_row():
    data = b"id,type,clauses,stem,option_a,option_b,correct\nq1,single_choice,9.2,Pick,Yes,No,A;B\n"
    result = spreadsheet.read_csv(data, "two.csv")
    assert result.problems == []
    [problem] = validate_bank(result.bank)
    assert render_problem(problem).startswith("two.csv: row 2: error: question q1: a single-choice")


CSV_CORPUS = {
    "unknown_type.csv": (3, "B (type)", "'multiple_choice' is not a question type"),
    "correct_letter_without_option.csv": (2, "H (correct)", "option_e is empty"),
    "difficulty_and_marks.csv": (3, "D (difficulty)", "difficulty must be 1, 2 or 3"),
    "missing_stem_column.csv": (2, None, "the header row has no stem column"),
    "pair_without_arrow.csv": (2, "E (option_b)", 'write a matching pair as "prompt => match"'),
    "rubric_marks_not_a_number.csv": (2, "E (rubric)", "rubric line 2: the marks must be"),
    "true_false_semicolons_bom.csv": (2, "D (correct)", "needs true or false; found 'maybe'"),
    "missing_id.csv": (2, "A (id)", "every question needs an id"),
    "duplicate_column.csv": (1, "D (stem)", "the column stem appears twice"),
    "not_utf8.csv": (2, None, "the file is not UTF-8"),
}


def test_the_csv_corpus_holds_every_malformed_file():
    assert sorted(p.name for p in DATA.iterdir()) == sorted(CSV_CORPUS)


@pytest.mark.parametrize("name", sorted(CSV_CORPUS))
def test_malformed_csv_files_are_reported_at_row_and_column(name: str):
    errors = spreadsheet.read_csv((DATA / name).read_bytes(), name).errors
    row, column, fragment = CSV_CORPUS[name]
    assert errors, name
    first = errors[0]
    assert (first.location.row, first.location.column) == (row, column)
    assert fragment in render(first.message)
    assert first.location.file == name


def test_difficulty_and_marks_errors_are_both_reported():
    data = (DATA / "difficulty_and_marks.csv").read_bytes()
    errors = spreadsheet.read_csv(data, "dm.csv").errors
    assert [(e.location.row, e.location.column) for e in errors] == [
        (3, "D (difficulty)"),
        (4, "E (marks)"),
    ]


def workbook_bytes(rows: list[list[object]], bank_rows: list[list[str]] | None = None) -> bytes:
    """An .xlsx file with the given questions rows and, optionally, a bank sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "questions"
    for row in rows:
        sheet.append(row)
    if bank_rows is not None:
        meta = workbook.create_sheet("bank")
        for row in bank_rows:
            meta.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_malformed_workbook_rows_are_reported_at_row_and_column():
    data = workbook_bytes(
        [
            ["id", "type", "clauses", "difficulty", "stem", "option_a", "option_b", "correct"],
            ["q1", "single_choice", "9.2", 2, "Audit?", "9.1", "9.2", "B"],
            ["q2", "single_choice", "9.2", "hard", "Audit?", "9.1", "9.2", "C"],
            ["q3", "short_answer", 8.5, 1, "Which clause?", None, None, None],
        ],
        [["key", "value"], ["id", "sheet-bank"], ["title", "From the bank sheet"]],
    )
    result = spreadsheet.read_xlsx(data, "book.xlsx")
    found = [(p.location.row, p.location.column, p.severity) for p in result.problems]
    assert found == [
        (3, "D (difficulty)", "error"),
        (3, "H (correct)", "error"),
        (4, "C (clauses)", "warning"),
    ]
    assert (result.bank.id, result.bank.title) == ("sheet-bank", "From the bank sheet")
    assert result.bank.questions[-1].clauses == ["8.5"]


def test_a_workbook_without_the_required_columns_is_refused():
    data = workbook_bytes([["id", "kind", "stem"], ["q1", "true_false", "True?"]])
    errors = spreadsheet.read_xlsx(data, "nocols.xlsx").errors
    assert [(e.location.row, render(e.message)) for e in errors] == [
        (1, "the header row has no type column")
    ]


def test_a_file_that_is_not_a_workbook_is_reported():
    [problem] = spreadsheet.read_xlsx(b"PK\x03\x04 not really a zip", "fake.xlsx").problems
    assert "not an Excel workbook" in render(problem.message)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 32)] == ["A", "Z", "AA", "AG"]
