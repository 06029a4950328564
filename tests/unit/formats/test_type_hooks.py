"""CSV/XLSX and native YAML/JSON know the question types only through their plug-in hooks."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.records import BankRecord, QuestionRecord
from app.formats import native, spreadsheet, type_formats
from app.formats.native_fields import FIELD_KEYS
from app.formats.sheet_types import SheetHooks
from app.messages import render
from tests.unit.formats.sample import every_type_bank

ORIGINAL = (
    *("single_choice", "multiple_response", "true_false", "matching", "ordering"),
    *("short_answer", "essay"),
)


@pytest.mark.parametrize("key", ORIGINAL)
def test_every_original_type_gives_its_sheet_and_native_hooks(key: str):
    hooks = type_formats.hooks(key)
    assert isinstance(hooks.sheet, SheetHooks)
    assert hooks.native_keys and set(hooks.native_keys) <= set(FIELD_KEYS)
    assert hooks.read_native is not None and hooks.write_native is not None


def test_every_type_field_of_a_record_has_a_native_owner():
    assert all(type_formats.native_owner(key) is not None for key in FIELD_KEYS)


def _without(monkeypatch: pytest.MonkeyPatch, key: str, **changes: object) -> None:
    """Replace some of the type's hooks for one test."""
    registry = type_formats._registry()
    monkeypatch.setitem(registry, key, dataclasses.replace(registry[key], **changes))


def test_the_sheet_writer_asks_the_types_hook(monkeypatch: pytest.MonkeyPatch):
    hooks = type_formats.hooks("short_answer").sheet
    assert hooks is not None
    changed = dataclasses.replace(hooks, write=lambda q: {"answers": "from the hook"})
    _without(monkeypatch, "short_answer", sheet=changed)
    data = spreadsheet.write_csv(every_type_bank()).data.decode("utf-8-sig")
    assert "from the hook" in data


def test_a_type_without_a_sheet_hook_is_skipped_and_refused(monkeypatch: pytest.MonkeyPatch):
    _without(monkeypatch, "ordering", sheet=None)
    bank = every_type_bank()
    written = spreadsheet.write_csv(bank)
    ordering = [q.id for q in bank.questions if q.type == "ordering"]
    assert [s.name for s in written.skipped] == ordering
    assert render(written.skipped[0].reason) == "CSV/XLSX cannot express a ordering question"
    csv = "id,type,stem,option_a,option_b\nq1,ordering,Put in order,first,second\n"
    (problem,) = spreadsheet.read_csv(csv, "o.csv").problems
    assert "'ordering' is not a question type" in render(problem.message)
    assert "ordering" not in render(problem.message).split("use one of ")[1]


def test_the_native_reader_and_writer_ask_the_types_hooks(monkeypatch: pytest.MonkeyPatch):
    _without(
        monkeypatch,
        "short_answer",
        write_native=lambda q: {"answers": [a.upper() for a in q.answers]},
    )
    question = QuestionRecord("q1", "short_answer", "Which?", answers=["sla"])
    text = native.write_yaml(BankRecord("b", "B", questions=[question])).data.decode()
    assert "answers: [SLA]" in text


def test_the_sheet_reports_the_reason_a_question_does_not_fit():
    bank = every_type_bank()
    essay = next(q for q in bank.questions if q.type == "essay")
    essay.rubric[0].guidance = "two\nlines"
    (skipped,) = spreadsheet.write_xlsx(bank).skipped
    assert (skipped.kind, skipped.name) == ("essay", essay.id)
    assert render(skipped.reason) == "a rubric line contains | or a line break"


def test_a_field_of_another_type_is_kept_so_validation_can_name_it():
    text = (
        "bank: {id: b, title: B}\nquestions:\n"
        "- {id: q1, type: single_choice, stem: S, answers: [x], rubric: [{criterion: c, marks: 2}],"
        " options: [{id: a, text: A, correct: true}]}\n"
    )
    result = native.read_yaml(text, "b.yaml")
    (q,) = result.bank.questions
    assert (q.answers, q.rubric[0].criterion, q.marks) == (["x"], "c", 1.0)
    assert result.problems == []
    again = native.write_yaml(result.bank).data.decode()
    assert "answers: [x]" in again and "criterion: c" in again
