"""Aiken reading and writing: single choice only, malformed questions reported one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.records import BankRecord, Location, OptionRecord, QuestionRecord, Unsupported
from app.formats import aiken
from app.formats.html_markdown import markdown_to_html, plain_text
from app.messages import render
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).parents[2] / "data" / "aiken"


def test_single_choice_round_trips_and_other_types_are_skipped() -> None:
    bank = every_type_bank()
    written = aiken.write(bank)
    assert [(s.kind, s.name) for s in written.skipped] == [
        (q.type, q.id) for q in bank.questions if q.type != "single_choice"
    ]
    assert written.skipped[0] == Unsupported(
        "multiple_response", "q-multi", Location(file="", path="q-multi")
    )
    back = aiken.read(written.data, "sample.txt")
    assert back.problems == []
    [original] = [q for q in bank.questions if q.type == "single_choice"]
    [read_back] = back.bank.questions
    # Aiken is plain text: what a reader saw comes back, without the Markdown emphasis.
    assert (read_back.type, read_back.stem) == (original.type, plain_text(original.stem))
    # Aiken has no feedback, so only ids, texts and the key come back.
    assert read_back.options == [
        OptionRecord(o.id, plain_text(o.text), o.correct) for o in original.options
    ]


def test_aiken_text_is_plain_both_ways() -> None:
    question = QuestionRecord(
        "q1",
        "single_choice",
        "Which is the **first** step for a <new> incident?",
        options=[OptionRecord("a", "Record *it* & classify it", True), OptionRecord("b", "Wait")],
    )
    data = aiken.write(BankRecord("b", "B", questions=[question])).data.decode()
    assert data.startswith("Which is the first step for a <new> incident?\nA. Record it & cl")
    moodle_style = "1. Which * is _plain_ & <b>bold</b>?\nA) R&D\nB) # five\nANSWER: A\n"
    (q,) = aiken.read(moodle_style, "m.txt").bank.questions
    assert plain_text(q.stem) == "1. Which * is _plain_ & <b>bold</b>?"
    assert [plain_text(o.text) for o in q.options] == ["R&D", "# five"]
    assert "<b>" not in markdown_to_html(q.stem)  # shown as text, never as markup


def test_writer_output_is_plain_aiken() -> None:
    question = QuestionRecord(
        "q1",
        "single_choice",
        "Which clause covers\ninternal audit?\n",
        options=[OptionRecord("a", "9.2", True), OptionRecord("b", "9.3")],
    )
    data = aiken.write(BankRecord("b", "B", questions=[question, question])).data
    block = "Which clause covers internal audit?\nA. 9.2\nB. 9.3\nANSWER: A"
    assert data.decode("utf-8") == f"{block}\n\n{block}\n"


def test_writer_skips_single_choice_it_cannot_write_faithfully() -> None:
    looks_like_option = QuestionRecord(
        "odd", "single_choice", "A. is this a stem?", options=[OptionRecord("a", "x", True)] * 2
    )
    no_key = QuestionRecord("nokey", "single_choice", "Stem?", options=[OptionRecord("a", "x")] * 2)
    result = aiken.write(BankRecord("b", "B", questions=[looks_like_option, no_key]))
    assert (result.data, [s.name for s in result.skipped]) == (b"", ["odd", "nokey"])


def test_marker_styles_all_read() -> None:
    result = aiken.read((DATA / "valid" / "marker_styles.txt").read_bytes(), "styles.txt")
    assert result.problems == []
    questions = result.bank.questions
    assert [q.id for q in questions] == ["styles-1", "styles-2", "styles-3"]
    assert [[o.text for o in q.options] for q in questions][2] == ["9.2", "10.3", "10.1"]
    assert [[o.id for o in q.options if o.correct] for q in questions] == [["a"], ["b"], ["c"]]
    assert [q.location for q in questions] == [
        Location("styles.txt", 1),
        Location("styles.txt", 7),
        Location("styles.txt", 12),
    ]
    assert {q.type for q in questions} == {"single_choice"}


def test_bank_is_named_after_the_source_and_accepts_bom_and_text() -> None:
    content = "\ufeffStem?\nA. x\nB. y\nANSWER: B\n"
    result = aiken.read(content.encode("utf-8"), "banks/Week 3.aiken")
    assert (result.bank.id, result.bank.title) == ("week-3", "Week 3")
    assert result.bank.questions[0].id == "week-3-1"
    assert aiken.read(content).bank.questions[0].stem == "Stem?"


def test_good_questions_import_while_bad_ones_are_reported_one_by_one() -> None:
    text = (
        "First?\nA. x\nB. y\nANSWER: A\n\n"
        "Second?\nA. x\nANSWER: A\n\n"
        "Third?\nA. x\nB. y\nANSWER: C\n\n"
        "Fourth?\nA. x\nB. y\nANSWER: B\n\n"
        "Fifth?\nA. x\nB. y\n"
    )
    result = aiken.read(text.encode("utf-8"), "mixed.txt")
    assert [q.id for q in result.bank.questions] == ["mixed-1", "mixed-4"]
    assert [(p.location.line, render(p.message)) for p in result.errors] == [
        (6, "question 2 ('Second?'): the question has fewer than two options"),
        (13, "question 3 ('Third?'): the answer letter C has no option"),
        (20, "question 5 ('Fifth?'): there is no ANSWER line"),
    ]


MALFORMED = [
    ("no_answer_line.txt", 6, "question 2", "there is no ANSWER line"),
    ("one_option.txt", 6, "question 2", "fewer than two options"),
    ("answer_letter_without_option.txt", 5, "question 1", "the answer letter D has no option"),
    ("duplicate_letter.txt", 4, "question 1", "the option letter B is used twice"),
    ("multiline_stem.txt", 2, "question 1", "runs onto a second line"),
    ("answer_not_a_letter.txt", 4, "question 1", "gives 'AB', not one option letter"),
    ("option_before_question.txt", 1, "question 1", "option A has no question line before it"),
    ("answer_without_question.txt", 5, "", "this ANSWER line has no question before it"),
    ("invalid_utf8.txt", 3, "", "line 3 is not valid UTF-8"),
]


@pytest.mark.parametrize(("name", "line", "question", "message"), MALFORMED)
def test_malformed_file_gives_a_located_error(
    name: str, line: int, question: str, message: str
) -> None:
    path = DATA / "malformed" / name
    errors = aiken.read(path.read_bytes(), str(path)).errors
    assert len(errors) == 1, errors
    assert errors[0].location == Location(str(path), line)
    assert render(errors[0].message).startswith(question)
    assert message in render(errors[0].message)


def test_every_malformed_corpus_file_is_checked() -> None:
    on_disk = sorted(p.name for p in (DATA / "malformed").iterdir())
    assert on_disk == sorted(row[0] for row in MALFORMED)
    assert len(on_disk) >= 5
