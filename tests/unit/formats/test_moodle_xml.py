"""Moodle XML: round trips, realistic exports and a corpus of broken files."""

from __future__ import annotations

import random
from dataclasses import fields, replace
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from app.domain.messages import Message
from app.domain.records import BankRecord, Location, ParseResult, QuestionRecord
from app.domain.validation import validate_bank
from app.formats import moodle_xml, texts, type_formats
from app.formats.html_markdown import html_to_markdown
from app.formats.moodle_types import MoodleHooks, sub
from app.messages import render
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).parents[2] / "data" / "moodlexml"


def assert_same_questions(expected: list[QuestionRecord], actual: list[QuestionRecord]) -> None:
    """Every field of every question equal, except where it was read from."""
    assert [q.id for q in actual] == [q.id for q in expected]
    for want, got in zip(expected, actual, strict=True):
        for f in fields(QuestionRecord):
            if f.name != "location":
                assert getattr(got, f.name) == getattr(want, f.name), f"{want.id}.{f.name}"


def read_corpus(name: str) -> ParseResult:
    return moodle_xml.read((DATA / name).read_bytes(), name)


def test_every_type_round_trips_field_by_field():
    bank = every_type_bank()
    exported = moodle_xml.write(bank)
    result = moodle_xml.read(exported.data, "sample.xml")
    assert exported.skipped == []
    assert result.problems == []
    assert result.unsupported == []
    assert_same_questions(bank.questions, result.bank.questions)
    assert result.bank.scenarios == bank.scenarios
    assert (result.bank.id, result.bank.description) == (bank.id, bank.description)


def test_round_tripped_bank_is_a_valid_bank():
    result = moodle_xml.read(moodle_xml.write(every_type_bank()).data, "sample.xml")
    assert [p for p in validate_bank(result.bank) if p.severity == "error"] == []


def test_every_read_question_knows_where_it_came_from():
    result = moodle_xml.read(moodle_xml.write(every_type_bank()).data, "sample.xml")
    paths = [q.location.path for q in result.bank.questions if q.location]
    assert len(paths) == len(result.bank.questions)
    assert all(p.startswith("quiz/question[") for p in paths)
    assert {q.location.file for q in result.bank.questions if q.location} == {"sample.xml"}


def test_writer_lists_types_moodle_cannot_hold_as_skipped():
    bank = BankRecord("b", "B", questions=[QuestionRecord("q-num", "numerical", "How many?")])
    exported = moodle_xml.write(bank)
    assert [(s.kind, s.name, s.location.path) for s in exported.skipped] == [
        ("numerical", "q-num", "q-num")
    ]
    assert b"How many?" not in exported.data


def test_writer_starts_a_category_per_level_and_writes_scenarios_as_descriptions():
    quiz = SafeET.fromstring(moodle_xml.write(every_type_bank()).data)
    categories = [q.findtext("category/text") for q in quiz if q.get("type") == "category"]
    assert categories == [  # one category per bank, so banks never share one
        "$course$/clausewise/sample",
        "$course$/clausewise/sample/foundation",
        "$course$/clausewise/sample/practitioner",
        "$course$/clausewise/sample/foundation",
        "$course$/clausewise/sample/auditor",
    ]
    (scenario,) = [q for q in quiz if q.get("type") == "description"]
    assert scenario.findtext("idnumber") == "sc-desk"
    assert [t.findtext("text") for t in scenario.iter("tag")] == ["clausewise-scenario"]
    matching = next(q for q in quiz if q.findtext("idnumber") == "q-match")
    assert "scenario:sc-desk" in [t.findtext("text") for t in matching.iter("tag")]
    # The case travels in the item's own text, so a random Moodle quiz still shows it.
    stem = matching.findtext("questiontext/text")
    assert stem.startswith("**A service desk**\n\nA desk with **30** agents.\n\n---\n\n")


def test_moodle_lists_questions_by_id_and_title_or_the_start_of_the_stem():
    bank = every_type_bank()
    quiz = SafeET.fromstring(moodle_xml.write(bank).data)
    names = {q.findtext("idnumber"): q.findtext("name/text") for q in quiz}
    for q in bank.questions:
        if q.id in names:
            assert names[q.id].startswith(f"{q.id} — ")
            assert names[q.id] != q.id
    untitled = QuestionRecord(
        "q-long",
        "true_false",
        "Top management shall *demonstrate* leadership and commitment with respect to the "
        "service management system in several named ways.",
        answer=True,
        clauses=["5.1"],
    )
    xml = moodle_xml.write(BankRecord("b", "B", questions=[untitled])).data
    name = SafeET.fromstring(xml).find("question[@type='truefalse']").findtext("name/text")
    assert name == "q-long — Top management shall demonstrate leadership and commitment…"
    (back,) = moodle_xml.read(xml, "b.xml").bank.questions
    assert back.title == "" and back.stem == untitled.stem


def test_multiple_response_wrong_answers_cost_marks_so_ticking_all_earns_nothing():
    quiz = SafeET.fromstring(moodle_xml.write(every_type_bank()).data)
    multi = next(q for q in quiz if q.findtext("idnumber") == "q-multi")
    fractions = [float(a.get("fraction")) for a in multi.iter("answer")]
    assert fractions == [50.0, 50.0, -50.0, -50.0]
    assert sum(fractions) <= 0


def test_essay_model_answer_goes_to_graders_never_to_the_learners_template():
    quiz = SafeET.fromstring(moodle_xml.write(every_type_bank()).data)
    essay = next(q for q in quiz if q.findtext("idnumber") == "q-essay")
    assert "Clause 10.1 requires" in essay.findtext("graderinfo/text")
    assert not essay.findtext("responsetemplate/text")
    assert essay.findtext("defaultgrade") == "4"


def test_realistic_export_imports_types_texts_feedback_and_metadata():
    result = read_corpus("realistic_export.xml")
    assert result.errors == []
    by_id = {q.id: q for q in result.bank.questions}
    assert list(by_id) == [
        "CHG-001",
        "cab-inputs",
        "LEAD-TF-1",
        "problem-clause",
        "match-the-practices",
        "AUD-ESSAY-3",
        "change-steps",
    ]
    single = by_id["CHG-001"]
    assert single.type == "single_choice"
    assert single.title == "Change basics"
    assert single.stem == "Which activity comes **first** when a request for change is received?"
    assert single.explanation == "A request is recorded and classified before anyone assesses it."
    assert single.options[0].feedback == "Yes \u2013 nothing happens to an unrecorded request."
    assert [o.correct for o in single.options] == [True, False, False]
    assert single.clauses == ["8.5.1"]  # from the category path
    assert single.tags == ["change-management"]


def test_realistic_export_reads_fractions_tags_and_grades():
    by_id = {q.id: q for q in read_corpus("realistic_export.xml").bank.questions}
    multi = by_id["cab-inputs"]
    assert multi.type == "multiple_response"
    assert [o.correct for o in multi.options] == [True, True, False]
    assert (multi.clauses, multi.difficulty, multi.marks) == (["8.5.1.3"], 3, 2.0)
    assert multi.stem == "Which *two* inputs does the change advisory board need?\n\n- Select two."
    tf = by_id["LEAD-TF-1"]
    assert (tf.answer, tf.feedback_false, tf.clauses) == (False, "Right.", ["5.1"])
    assert by_id["problem-clause"].answers == ["8.6.3", "clause 8.6.3"]
    assert by_id["problem-clause"].clauses == ["8.6.3"]


def test_realistic_export_reads_matching_ordering_and_essay():
    by_id = {q.id: q for q in read_corpus("realistic_export.xml").bank.questions}
    matching = by_id["match-the-practices"]
    assert [(p.id, p.prompt, p.match) for p in matching.pairs] == [
        ("p1", "Restore service quickly", "Incident management"),
        ("p2", "Find the root cause", "Problem management"),
    ]
    assert matching.extra_matches == ["Capacity management"]
    assert [s.text for s in by_id["change-steps"].steps] == ["Assess", "Approve", "Deploy"]
    essay = by_id["AUD-ESSAY-3"]
    assert (essay.level, essay.marks, len(essay.rubric)) == ("auditor", 5.0, 1)
    assert essay.rubric[0].guidance == "Look for the **requirement**, the evidence and the gap."


def test_realistic_export_lists_unsupported_kinds_with_element_paths():
    result = read_corpus("realistic_export.xml")
    assert [(u.kind, u.name, u.location.path) for u in result.unsupported] == [
        ("numerical", "Review interval", "quiz/question[11]"),
        ("cloze", "Fill the gaps", "quiz/question[12]"),
        ("description", "Section intro", "quiz/question[13]"),
    ]
    assert all(u.location.file == "realistic_export.xml" for u in result.unsupported)


def test_realistic_export_warns_about_what_it_had_to_change():
    warnings = [p for p in read_corpus("realistic_export.xml").problems]
    assert [(p.severity, p.location.path) for p in warnings] == [
        ("warning", "quiz/question[6]/answer[3]"),
        ("warning", "quiz/question[9]"),
    ]
    assert "answer '8.6' has fraction 50" in render(warnings[0].message)
    assert "no Clausewise rubric" in render(warnings[1].message)


MALFORMED = [
    ("bad_xml.xml", None, 5, "not well-formed XML (line 5, column 49): mismatched tag"),
    ("billion_laughs.xml", None, None, "declares XML entities"),
    ("wrong_root.xml", "questions", None, "root element is <questions>"),
    (
        "single_two_correct.xml",
        "quiz/question[2]",
        None,
        "question 'Change basics': multichoice with <single>true</single> has 2 answers "
        "with fraction 100; exactly one is needed",
    ),
    ("bad_fraction.xml", "quiz/question[1]/answer[2]", None, "fraction 'lots', which is not"),
    ("truefalse_without_false.xml", "quiz/question[1]", None, "one answer 'true' and one"),
    (
        "matching_subquestion_without_answer.xml",
        "quiz/question[1]/subquestion[2]",
        None,
        "subquestion 2 has no answer text",
    ),
    ("shortanswer_without_full_answer.xml", "quiz/question[1]", None, "no answer with fraction"),
    ("missing_type.xml", "quiz/question[1]", None, "has no type attribute"),
    ("bad_defaultgrade.xml", "quiz/question[1]/defaultgrade", None, "'one' is not a number"),
    ("essay_bad_rubric.xml", "quiz/question[1]/graderinfo", None, "'Requirement' and 'two'"),
    ("missing_questiontext.xml", "quiz/question[1]/questiontext", None, "no question text"),
    ("multiple_all_positive.xml", "quiz/question[1]", None, "at least one wrong answer"),
]


@pytest.mark.parametrize(("name", "path", "line", "words"), MALFORMED)
def test_malformed_file_gives_a_located_error_saying_what_is_wrong(name, path, line, words):
    result = read_corpus(f"malformed/{name}")
    assert result.bank.questions == []
    (error,) = result.errors
    assert error.location == Location(
        file=f"malformed/{name}", line=line, column=error.location.column, path=path
    )
    assert words in render(error.message)


def test_billion_laughs_is_refused_before_any_expansion():
    result = read_corpus("malformed/billion_laughs.xml")
    assert "billion laughs" in render(result.errors[0].message)
    assert result.bank.questions == []


def test_every_problem_of_a_file_is_reported_and_good_questions_still_listed():
    result = read_corpus("malformed/several_problems.xml")
    assert [q.title for q in result.bank.questions] == ["Fine"]
    assert [(e.location.path, render(e.message)) for e in result.errors] == [
        (
            "quiz/question[2]",
            "question 'No answers': multichoice needs at least two answers; it has 1",
        ),
        ("quiz/question[4]", "question 'Empty': shortanswer has no answer with fraction 100"),
    ]
    assert [u.kind for u in result.unsupported] == ["numerical"]


@pytest.mark.parametrize("garbage", [b"", b"\xff\xfe\x00<", b"<quiz><question", b"not xml"])
def test_read_never_raises_on_garbage(garbage):
    result = moodle_xml.read(garbage, "junk.xml")
    assert len(result.errors) == 1
    assert result.errors[0].location.file == "junk.xml"


def test_repeated_ids_are_renamed_with_a_warning():
    question = (
        '<question type="truefalse"><name><text>Same</text></name><questiontext>'
        "<text>Audits are planned.</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
    )
    result = moodle_xml.read(f"<quiz>{question}{question}</quiz>".encode(), "dup.xml")
    assert [q.id for q in result.bank.questions] == ["same", "same-2"]
    assert "renamed to 'same-2'" in render(result.problems[0].message)
    assert result.problems[0].severity == "warning"


def test_a_description_tagged_as_scenario_links_its_questions():
    xml = (
        '<quiz><question type="description"><name><text>Nimbus</text></name>'
        '<questiontext format="html"><text><![CDATA[<p>A <b>cloud</b> provider.</p>]]></text>'
        "</questiontext><idnumber>sc-nimbus</idnumber><tags><tag><text>clausewise-scenario"
        '</text></tag></tags></question><question type="truefalse"><name><text>Q</text></name>'
        "<questiontext><text>Nimbus has an SMS.</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false'
        "</text></answer><tags><tag><text>scenario:sc-nimbus</text></tag></tags></question></quiz>"
    )
    result = moodle_xml.read(xml.encode(), "scenario.xml")
    (scenario,) = result.bank.scenarios
    assert (scenario.id, scenario.title, scenario.text) == (
        "sc-nimbus",
        "Nimbus",
        "A **cloud** provider.",
    )
    assert result.bank.questions[0].scenario == "sc-nimbus"
    assert result.bank.questions[0].tags == []


def test_imported_html_keeps_structure_and_drops_active_content():
    html = (
        '<p>See <a href="https://example.org/x">the guide</a>.</p><script>alert(1)</script>'
        "<ul><li>one</li><li>two</li></ul><p>&lt;b&gt;literal&lt;/b&gt; a*b</p>"
        '<p><a href="javascript:alert(1)">click</a><br>next</p>'
    )
    assert html_to_markdown(html) == (
        "See [the guide](https://example.org/x).\n\n- one\n- two\n\n"
        "&lt;b>literal&lt;/b> a\\*b\n\nclick\\\nnext"
    )


def test_read_never_raises_on_hundreds_of_damaged_exports():
    rng = random.Random(20)
    original = moodle_xml.write(every_type_bank()).data
    for _ in range(300):
        damaged = bytearray(original[: rng.randrange(len(original) + 1)])
        for _ in range(rng.randint(0, 4)):
            if damaged:
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        result = moodle_xml.read(bytes(damaged), "damaged.xml")
        assert result.errors or result.bank.questions


ORIGINAL_KINDS = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "matching": "matching",
    "ordering": "ordering",
    "essay": "essay",
}


def test_each_original_type_brings_its_own_moodle_hooks():
    kinds = {}
    for key in ORIGINAL_KINDS:
        hooks = type_formats.hooks(key).moodle
        assert isinstance(hooks, MoodleHooks), key
        assert hooks.write.__module__ == f"app.question_types.{key}.formats"
        assert hooks.read.__module__ == f"app.question_types.{key}.formats"
        kinds[key] = hooks.kind
    assert kinds == ORIGINAL_KINDS
    assert type_formats.hooks("classification").moodle is None


def test_a_type_without_moodle_hooks_is_skipped_and_never_read():
    bank = BankRecord("b", "B", questions=[QuestionRecord("cl-1", "classification", "Sort")])
    exported = moodle_xml.write(bank)
    assert [(s.kind, s.name) for s in exported.skipped] == [("classification", "cl-1")]
    result = moodle_xml.read(
        b'<quiz><question type="classification"><name><text>Sort</text></name>'
        b"<questiontext><text>Sort them</text></questiontext></question></quiz>",
        "cls.xml",
    )
    assert result.bank.questions == []
    assert [(u.kind, u.name) for u in result.unsupported] == [("classification", "Sort")]


def test_writer_and_reader_go_through_a_type_s_hooks(monkeypatch):
    def write(el, q):
        sub(el, "verdict", q.data["verdict"])

    def read(item, q):
        q.data = {"verdict": item.el.findtext("verdict")}

    plugged = MoodleHooks(kind="verdict", write=write, read=read)
    real = type_formats.hooks

    def hooks(key):
        return replace(real(key), moodle=plugged) if key == "classification" else real(key)

    monkeypatch.setattr(type_formats, "hooks", hooks)
    question = QuestionRecord("cl-1", "classification", "Sort", data={"verdict": "fine"})
    exported = moodle_xml.write(BankRecord("b", "B", questions=[question]))
    assert exported.skipped == []
    assert b'<question type="verdict">' in exported.data
    (back,) = moodle_xml.read(exported.data, "b.xml").bank.questions
    assert (back.id, back.type, back.data) == ("cl-1", "classification", {"verdict": "fine"})


def test_multichoice_goes_to_single_choice_or_multiple_response_by_its_single_flag():
    answers = (
        '<answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text>'
        '</answer><answer fraction="-100"><text>c</text></answer>'
    )
    found = []
    for single in ("", "<single>true</single>", "<single>false</single>", "<single>0</single>"):
        xml = (
            f'<quiz><question type="multichoice"><name><text>M</text></name><questiontext>'
            f"<text>Pick</text></questiontext>{single}{answers}</question></quiz>"
        )
        result = moodle_xml.read(xml.encode(), "m.xml")
        codes = [p.message.code for p in result.problems]
        found.append(([q.type for q in result.bank.questions], codes))
    as_single = ([], ["moodle.single_full", "moodle.single_partial", "moodle.single_partial"])
    as_multiple = (["multiple_response"], [])
    assert found == [as_single, as_single, as_multiple, as_multiple]


def test_problems_are_message_codes_with_their_sentence_in_the_moodle_table():
    unnamed = (
        '<question type="ordering"><questiontext><text>Order</text></questiontext>'
        '<answer fraction="1"><text>only</text></answer></question>'
    )
    result = moodle_xml.read(f"<quiz>{unnamed}</quiz>".encode(), "o.xml")
    (problem,) = result.problems
    assert problem.message == Message("moodle.ordering_steps", {"question": "1", "count": 1})
    assert render(problem.message) == (
        "question 1: ordering needs at least two answers to put in order; it has 1"
    )
    for name, *_ in MALFORMED[2:]:
        for p in read_corpus(f"malformed/{name}").problems:
            assert isinstance(p.message, Message), name
            assert p.message.code in texts.MOODLE, name
    assert all(code.startswith("moodle.") for code in texts.MOODLE)


# The elements Moodle 4.x's own exporter writes for each type, in its order (read from
# its question types' export_to_xml and qformat_xml::writequestion).
MOODLE_WRITES = {
    "multichoice": [
        "single",
        "shuffleanswers",
        "answernumbering",
        "showstandardinstruction",
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
        "shownumcorrect",
    ],
    "matching": [
        "shuffleanswers",
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
        "shownumcorrect",
    ],
    "ordering": [
        "layouttype",
        "selecttype",
        "selectcount",
        "gradingtype",
        "showgrading",
        "numberingstyle",
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
        "shownumcorrect",
    ],
}


def test_each_export_writes_the_elements_moodles_exporter_writes() -> None:
    root = SafeET.fromstring(moodle_xml.write(every_type_bank()).data)
    seen = set()
    for question in root.iter("question"):
        kind = question.get("type")
        if kind not in MOODLE_WRITES:
            continue
        seen.add(kind)
        tags = [child.tag for child in question]
        present = [tag for tag in tags if tag in MOODLE_WRITES[kind]]
        assert present == MOODLE_WRITES[kind], kind
    assert seen == set(MOODLE_WRITES)
    ordering = next(q for q in root.iter("question") if q.get("type") == "ordering")
    assert ordering.findtext("gradingtype") == "RELATIVE_NEXT_EXCLUDE_LAST"
    assert ordering.findtext("shownumcorrect") == "1"  # without it Moodle's import fails
