"""Reading the translation rows of a spreadsheet bank.

A row whose `language` names a language other than the bank's is a translation of the
question (or case text, type `scenario`) with the same id: its text columns
(`TEXT_COLUMNS`: stem, options, feedback, answers, rubric, …) hold the texts in that
language, and every other column comes from the source's row. The row is read as its
question would be, with those texts, and the result becomes the question's
translation (app.formats.translated), current and made from the source as it stands.
Translation rows are read after all the others, wherever they stand in the sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.domain.messages import Message
from app.domain.records import BankRecord, QuestionRecord, ScenarioRecord
from app.formats.sheet_model import COLUMNS, TEXT_COLUMNS
from app.formats.translated import (
    case_misfits,
    case_read_back,
    keeps,
    misfits,
    read_back,
)

if TYPE_CHECKING:
    from app.formats.sheet_read import SheetReader

_OWN = frozenset({"id", "type", "language", *TEXT_COLUMNS})


def read_translations(sheet: SheetReader, bank: BankRecord) -> None:
    """Add the translation rows of a sheet to their questions and case texts."""
    questions: dict[str, QuestionRecord] = {}
    for q in bank.questions:
        questions.setdefault(q.id, q)
    cases: dict[str, ScenarioRecord] = {}
    for s in bank.scenarios:
        cases.setdefault(s.id, s)
    for row, values, tag in sheet.translation_rows:
        ident = sheet.cell(values, "id").strip()
        kind = sheet.cell(values, "type").strip().lower()
        _other_cells(sheet, row, values)
        if kind == "scenario" or (not kind and ident not in questions and ident in cases):
            case = cases.get(ident)
            if case is None:
                _unknown(sheet, row, ident, "scenario")
            else:
                _case(sheet, row, values, tag, case, bank.language)
            continue
        question = questions.get(ident)
        if question is None:
            _unknown(sheet, row, ident, kind)
        elif kind and kind != question.type:
            said = {"id": ident, "type": kind, "source": question.type}
            sheet.report(row, "type", Message("sheet.translation_type", said))
        else:
            _question(sheet, row, values, tag, question, bank)


def _other_cells(sheet: SheetReader, row: int, values: Sequence[object]) -> None:
    """A warning for each cell of a translation row outside the text columns."""
    for name in COLUMNS:
        if name not in _OWN and sheet.cell(values, name).strip():
            sheet.report(row, name, Message("sheet.translation_cell", {"column": name}), "warning")


def _unknown(sheet: SheetReader, row: int, ident: str, kind: str) -> None:
    """An error for a translation row of an item the sheet does not have."""
    if not ident:
        sheet.report(row, "id", Message("sheet.question_id"))
        return
    if kind == "scenario":
        sheet.report(row, "id", Message("sheet.translation_unknown_case", {"id": ident}))
    else:
        sheet.report(row, "id", Message("sheet.translation_unknown", {"id": ident}))


def _question(
    sheet: SheetReader,
    row: int,
    values: Sequence[object],
    tag: str,
    q: QuestionRecord,
    bank: BankRecord,
) -> None:
    """Read one translation row of a question, as the question with the row's texts."""
    if tag in q.translations:
        sheet.report(
            row, "language", Message("sheet.translation_twice", {"id": q.id, "language": tag})
        )
        return
    _source_row, source = sheet.question_rows[q.id]
    merged = list(source) + [None] * max(0, len(values) - len(source))
    for name in TEXT_COLUMNS:
        position = sheet.index.get(name)
        if position is not None:
            merged[position] = values[position] if position < len(values) else None
    start = len(sheet.problems)
    shown = sheet.question(row, merged, q.id, q.type, bank.edition)
    texts = {sheet.labels[name] for name in TEXT_COLUMNS if name in sheet.labels}
    # Problems of the other columns are the source row's, reported there already.
    sheet.problems[start:] = [p for p in sheet.problems[start:] if p.location.column in texts]
    t = read_back(q, shown, tag, bank.language)
    found, severity = misfits(q, t)
    for message in found:
        sheet.report(row, None, message, severity)
    if keeps(found, severity):
        q.translations[tag] = t


def _case(
    sheet: SheetReader,
    row: int,
    values: Sequence[object],
    tag: str,
    case: ScenarioRecord,
    language: str,
) -> None:
    """Read one translation row of a case text: its title and its text (`stem`)."""
    if tag in case.translations:
        said = {"id": case.id, "language": tag}
        sheet.report(row, "language", Message("sheet.translation_twice", said))
        return
    shown = ScenarioRecord(case.id, sheet.cell(values, "title").strip(), sheet.cell(values, "stem"))
    t = case_read_back(case, shown, tag, language)
    found = case_misfits(case, t)
    for message in found:
        sheet.report(row, None, message)
    if not found:
        case.translations[tag] = t
