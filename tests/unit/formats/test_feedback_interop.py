"""Combined feedback and hints survive every format that can hold them, and the ones
that cannot say so, located at the question (issue 18, points 6 and 9)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields, replace
from pathlib import Path

import pytest

from app.domain.content import body_of, content_hash, content_of
from app.domain.records import (
    BankRecord,
    HintRecord,
    QuestionRecord,
    outcome_feedback,
)
from app.domain.validation import validate_bank
from app.formats import moodle_xml, qti, read_file, write_bank
from app.formats.qti_read import read_item
from app.formats.sheet_model import hints_cell, read_hints_cell
from app.messages import render, render_location
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).resolve().parents[2] / "data"
HINTS = [
    HintRecord("Which clause covers it?"),
    HintRecord("Two of the parts are right.\n\nLook again at **8.6**.", True, True),
]


def _with_extras(bank: BankRecord) -> BankRecord:
    """The sample bank, its scored questions given combined feedback and hints."""
    for q in bank.questions:
        if q.type == "essay":
            continue
        q.correct_feedback = f"Well done on {q.id}."
        q.partial_feedback = "Part of it is right." if q.type != "true_false" else ""
        q.incorrect_feedback = "Read the clause again, then try once more."
        q.hints = [replace(h) for h in HINTS]
    return bank


def _same(expected: list[QuestionRecord], actual: list[QuestionRecord], only=None) -> None:
    assert [q.id for q in actual] == [q.id for q in expected]
    for want, got in zip(expected, actual, strict=True):
        for f in fields(QuestionRecord):
            if f.name != "location" and (only is None or f.name in only):
                assert getattr(got, f.name) == getattr(want, f.name), f"{want.id}.{f.name}"


EXTRAS = ("correct_feedback", "partial_feedback", "incorrect_feedback", "hints")


# --- the record and its hash -------------------------------------------------------------


def test_a_question_without_extras_keeps_its_hash_and_body():
    q = every_type_bank().questions[0]
    before = content_of(q)
    assert not set(EXTRAS) & set(before)
    assert not set(EXTRAS) & set(body_of(q))
    q.hints = [HintRecord("Look at 8.6.1.")]
    assert content_hash(q) != content_hash(every_type_bank().questions[0])
    assert body_of(q)["hints"] == [
        {"text": "Look at 8.6.1.", "show_num_correct": False, "clear_wrong": False}
    ]


def test_the_outcome_chooses_the_feedback():
    q = QuestionRecord("q", "single_choice", "?", correct_feedback="yes", incorrect_feedback="no")
    q.partial_feedback = "some"
    assert [outcome_feedback(q, f) for f in (1.0, 0.5, 0.0, None)] == ["yes", "some", "no", ""]


# --- Moodle XML ----------------------------------------------------------------------


def test_moodle_combined_feedback_and_hints_are_read_from_a_moodle_export():
    result = moodle_xml.read(
        (DATA / "moodlexml" / "feedback_and_hints.xml").read_bytes(), "feedback_and_hints.xml"
    )
    assert result.errors == []
    by_id = {q.id: q for q in result.bank.questions}
    major = by_id["INC-MAJ-01"]
    assert major.correct_feedback == (
        "Right: a major incident follows the *major incident* procedure."
    )
    assert major.partial_feedback == ""
    assert major.incorrect_feedback.startswith("Not quite.")
    assert major.hints == [
        HintRecord("Look at what 8.6.1 says about **major** incidents."),
        HintRecord("Only one answer keeps the incident under a documented procedure.", True, True),
    ]
    assert by_id["REQ-REC-02"].partial_feedback == "One of your choices is right."
    assert by_id["MATCH-86"].hints == [
        HintRecord("Incidents, requests, problems: in that order.", clear_wrong=True)
    ]
    assert by_id["ORD-CHG"].incorrect_feedback == "The order is wrong."
    assert by_id["SA-PRB"].hints[0].text == "It sits beside incident management, under 8.6."
    # The blank third hint of the first question is left out, and said so where it is.
    (warning,) = result.problems
    assert warning.severity == "warning"
    assert warning.location.path == "quiz/question[2]/hint[3]"
    assert "no text" in render(warning.message)


def test_moodle_export_writes_combined_feedback_and_hints_back():
    bank = _with_extras(every_type_bank())
    exported = write_bank(bank, "moodlexml")
    text = exported.data.decode()
    assert "<text>Well done on q-single.</text>" in text
    assert "<shownumcorrect />" in text and "<clearwrong />" in text
    again = moodle_xml.read(exported.data, "again.xml")
    assert again.errors == []
    scored = [q for q in bank.questions if q.type in ("single_choice", "multiple_response")]
    scored += [q for q in bank.questions if q.type in ("matching", "ordering")]
    read_back = {q.id: q for q in again.bank.questions}
    _same(scored, [read_back[q.id] for q in scored], EXTRAS)


def test_moodle_kinds_without_combined_feedback_report_it_lost_but_keep_hints():
    bank = _with_extras(every_type_bank())
    exported = write_bank(bank, "moodlexml")
    lost = {w.location.path for w in exported.warnings}
    assert lost == {q.id for q in bank.questions if q.type in ("true_false", "short_answer")}
    again = {q.id: q for q in moodle_xml.read(exported.data, "again.xml").bank.questions}
    for q in bank.questions:
        if q.type in ("true_false", "short_answer"):
            assert again[q.id].hints == HINTS
            assert again[q.id].correct_feedback == ""


def test_moodle_xml_says_moodle_reads_no_hints_for_an_essay_but_keeps_them():
    bank = every_type_bank()
    essay = next(q for q in bank.questions if q.type == "essay")
    essay.hints = [HintRecord("Cover both the policy and the plan.")]
    exported = write_bank(bank, "moodlexml")
    (warning,) = exported.warnings
    assert warning.location.path == essay.id
    assert "reads no hints for its kind (essay)" in render(warning.message)
    again = {q.id: q for q in moodle_xml.read(exported.data, "again.xml").bank.questions}
    assert again[essay.id].hints == essay.hints


def test_an_export_of_a_bank_without_extras_has_no_warnings_and_empty_feedback():
    exported = write_bank(every_type_bank(), "moodlexml")
    assert exported.warnings == []
    assert '<correctfeedback format="html">\n      <text />' in exported.data.decode()
    assert "<hint" not in exported.data.decode()


# --- native, CSV and XLSX -------------------------------------------------------------


@pytest.mark.parametrize("fmt,name", [("yaml", "b.yaml"), ("json", "b.json"), ("csv", "b.csv")])
def test_text_formats_round_trip_combined_feedback_and_hints(fmt, name):
    bank = _with_extras(every_type_bank())
    exported = write_bank(bank, fmt)
    assert exported.warnings == [] and exported.skipped == []
    again = read_file(exported.data, name)
    assert again.errors == []
    _same(bank.questions, again.bank.questions, EXTRAS)
    assert validate_bank(again.bank) == []


def test_xlsx_round_trips_combined_feedback_and_hints():
    bank = _with_extras(every_type_bank())
    again = read_file(write_bank(bank, "xlsx").data, "b.xlsx")
    assert again.errors == []
    _same(bank.questions, again.bank.questions, EXTRAS)


def test_a_hints_cell_keeps_options_and_line_breaks():
    assert read_hints_cell(hints_cell(HINTS)) == HINTS
    assert read_hints_cell("First hint\n---\n\n---\nSecond\n[clear_wrong]") == [
        HintRecord("First hint"),
        HintRecord("Second", clear_wrong=True),
    ]


def test_a_hint_the_cell_cannot_hold_skips_its_question_with_the_reason():
    bank = every_type_bank()
    bank.questions[0].hints = [HintRecord("Before\n---\nafter")]
    exported = write_bank(bank, "csv")
    (skipped,) = exported.skipped
    assert skipped.name == bank.questions[0].id
    assert "---" in render(skipped.reason)


def test_native_yaml_names_a_bad_hint_by_its_place():
    text = (
        "format: clausewise-bank/1\nbank: {id: b, title: B}\nquestions:\n"
        "  - id: q1\n    type: short_answer\n    stem: Which clause?\n    answers: ['8.6']\n"
        "    hints:\n      - text: Look at 8.\n        clear_wrong: maybe\n"
    )
    result = read_file(text.encode(), "b.yaml")
    (error,) = result.errors
    assert error.location.line == 10
    assert "hint 1" in render(error.message)


# --- GIFT and Aiken ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt,name", [("gift", "GIFT"), ("aiken", "Aiken")])
def test_formats_without_feedback_or_hints_list_them_as_located_warnings(fmt, name):
    bank = _with_extras(every_type_bank())
    exported = write_bank(bank, fmt)
    written = {q.id for q in bank.questions} - {s.name for s in exported.skipped}
    said = [(w.location.path, render(w.message)) for w in exported.warnings]
    for q in bank.questions:
        if q.id in written and q.type != "essay":
            hints = f"question '{q.id}': {name} cannot hold its 2 hints, so they are left out"
            assert (q.id, hints) in said
            assert any(p == q.id and "right, partly right and wrong" in m for p, m in said)
    assert all(w.severity == "warning" for w in exported.warnings)


def test_gift_essay_export_says_the_rubric_is_not_gift():
    bank = every_type_bank()
    essay = next(q for q in bank.questions if q.type == "essay")
    exported = write_bank(bank, "gift")
    (warning,) = exported.warnings
    assert warning.location.path == essay.id
    assert "without marks per criterion" in render(warning.message)
    # Moodle's graders get the rubric and the model answer in the general feedback ...
    text = exported.data.decode()
    general = text.split(f'"id": "{essay.id}"')[1].split("####", 1)[1].split("\n}")[0]
    assert "**Marking rubric**" in general and essay.rubric[0].criterion in general
    assert "**Model answer**" in general
    # ... and Clausewise reads the question back as it was, the rubric from its comment.
    again = {q.id: q for q in read_file(exported.data, "b.gift").bank.questions}
    assert again[essay.id].rubric == essay.rubric
    assert again[essay.id].explanation == essay.explanation
    assert again[essay.id].model_answer == essay.model_answer


def test_a_rubric_block_edited_in_moodle_stays_in_the_explanation():
    bank = every_type_bank()
    essay = next(q for q in bank.questions if q.type == "essay")
    text = write_bank(bank, "gift").data.decode()
    criterion = essay.rubric[0].criterion
    edited = text.replace(f"- {criterion} (", f"- {criterion} (graded by the tutor, ", 1)
    again = {q.id: q for q in read_file(edited.encode(), "b.gift").bank.questions}
    assert "graded by the tutor" in again[essay.id].explanation


# --- QTI -----------------------------------------------------------------------------


def _item(name: str):
    return read_item((DATA / "qti" / name).read_bytes(), name)


def test_qti_correct_and_incorrect_modal_feedback_become_combined_feedback():
    read = _item("feedback21_outcome_modal.xml")
    assert read.problems == []
    q = read.question
    assert q.correct_feedback == "Yes: suppliers are monitored at planned intervals."
    assert q.incorrect_feedback == "No: monitoring does not wait for an event."
    assert q.explanation == "See clause 8.3.4.1 on the management of external suppliers."
    assert all(o.feedback == "" for o in q.options)


def test_qti_modal_feedback_keyed_on_a_choice_becomes_that_options_feedback():
    read = _item("feedback21_choice_modal.xml")
    assert read.problems == []
    q = read.question
    assert [(o.id, o.feedback) for o in q.options] == [
        ("CP_A", "Forecasts matter too: demand changes."),
        ("CP_B", "Right: clause 8.4.3 plans for current and forecast demand."),
        ("CP_C", "Budget is one input, not the whole plan."),
    ]
    assert (q.explanation, q.correct_feedback, q.incorrect_feedback) == ("", "", "")


def test_qti3_feedback_blocks_become_combined_feedback():
    read = _item("feedback30_blocks.xml")
    assert read.problems == []
    assert read.question.correct_feedback.startswith("Right: clause 5.2")
    assert read.question.incorrect_feedback == "Clause 5.2 places the policy with top management."
    assert "Right" not in read.question.stem


def test_qti_feedback_on_an_outcome_clausewise_cannot_follow_is_kept_with_a_warning():
    read = _item("feedback21_other_condition.xml")
    (warning,) = read.problems
    assert warning.severity == "warning"
    assert warning.location.path == "assessmentItem/modalFeedback[1]"
    assert "TRIES" in render(warning.message)
    assert read.question.explanation == "Read clause 9.2 again before your next try."


def test_qti_package_round_trips_combined_feedback_hints_and_option_feedback():
    bank = _with_extras(every_type_bank())
    exported = qti.write(bank)
    said = {(w.location.path, w.message.code) for w in exported.warnings}
    assert all(code == "export.hints_qti" for _, code in said)
    again = qti.read(exported.data, "b.zip")
    assert again.errors == []
    _same(bank.questions, again.bank.questions)


def test_qti_items_show_combined_feedback_by_the_score_outcome():
    bank = _with_extras(every_type_bank())
    exported = qti.write(bank)
    with zipfile.ZipFile(io.BytesIO(exported.data)) as archive:
        item = archive.read("items/q-single.xml").decode()
    assert 'identifier="FEEDBACKBASIC"' in item
    assert 'outcomeIdentifier="FEEDBACKBASIC" showHide="show" identifier="correct"' in item or (
        'identifier="correct" outcomeIdentifier="FEEDBACKBASIC" showHide="show"' in item
    )
    assert "<responseElseIf>" in item


def test_qti_location_of_a_warning_renders_with_its_file():
    read = _item("feedback21_other_condition.xml")
    assert render_location(read.problems[0].location).startswith("feedback21_other_condition.xml")


def test_qti_true_false_feedback_keyed_on_its_choices_is_kept_per_answer():
    read = _item("feedback21_true_false_modal.xml")
    assert read.problems == []
    q = read.question
    assert (q.type, q.answer) == ("true_false", True)
    assert q.feedback_true == "Yes: clause 4.3 asks for the scope to be determined and documented."
    assert q.feedback_false == "The scope is documented information; see clause 4.3."
    assert q.explanation == ""


def test_qti_feedback_keyed_on_a_choice_without_feedback_of_its_own_goes_to_the_explanation():
    # A matching item keeps no feedback per prompt: feedback keyed on a prompt's choice
    # is shown to all rather than lost.
    bank = every_type_bank()
    matching = next(q for q in bank.questions if q.type == "matching")
    exported = qti.write(BankRecord("b", "B", questions=[matching]))
    with zipfile.ZipFile(io.BytesIO(exported.data)) as archive:
        item = archive.read("items/" + matching.id + ".xml").decode()
    first_pair = matching.pairs[0].id
    keyed = item.replace(
        "</assessmentItem>",
        f'<modalFeedback outcomeIdentifier="PICKED" identifier="{first_pair}" showHide="show">'
        "<p>About the first prompt.</p></modalFeedback></assessmentItem>",
    )
    read = read_item(keyed.encode(), "keyed.xml")
    assert read.problems == []
    assert read.question.explanation == f"{matching.explanation}\n\nAbout the first prompt."
