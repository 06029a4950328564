"""GIFT reading and writing: every answer form, round trips, and located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.records import (
    BankRecord,
    Location,
    OptionRecord,
    PairRecord,
    ParseResult,
    QuestionRecord,
    ScenarioRecord,
    Unsupported,
)
from app.formats import gift
from app.messages import render
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).parents[2] / "data" / "gift"


def parse(text: str, source: str = "bank.gift") -> ParseResult:
    return gift.read(text.encode("utf-8"), source)


def only(text: str) -> QuestionRecord:
    """The one question of a snippet that must read without errors."""
    result = parse(text)
    assert result.errors == [], result.errors
    assert len(result.bank.questions) == 1
    return result.bank.questions[0]


def test_round_trip_keeps_every_field_of_every_gift_type() -> None:
    bank = every_type_bank()
    back = gift.read(gift.write(bank).data, "elsewhere.gift")
    assert back.problems == []
    assert back.unsupported == []
    expected = bank.questions  # ordering too, in Moodle 4.3's `{>n …}` block
    assert [q.id for q in back.bank.questions] == [q.id for q in expected]
    for read_back, original in zip(back.bank.questions, expected, strict=True):
        assert read_back == original  # every field; location is excluded from comparison
    assert back.bank.scenarios == bank.scenarios
    assert (back.bank.id, back.bank.title, back.bank.licence, back.bank.description) == (
        "sample",
        "Sample bank",
        "CC-BY-SA-4.0",
        "Every type once.",
    )


def test_ordering_is_written_as_moodle_reads_it_and_unsafe_steps_are_skipped() -> None:
    bank = every_type_bank()
    result = gift.write(bank)
    assert result.skipped == []
    order = next(q for q in bank.questions if q.type == "ordering")
    text = result.data.decode()
    header = f"{{\n\t>{len(order.steps)} ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW none\n"
    assert header in text
    assert "\n".join(f"\t{s.text}" for s in order.steps) in text
    order.steps[0].text = "Open {the} record"  # Moodle would not undo an escape here
    result = gift.write(bank)
    assert result.skipped == [Unsupported("ordering", order.id, Location(file="", path=order.id))]


def test_a_moodle_ordering_block_reads_with_warnings_for_what_differs() -> None:
    result = parse(
        "::Steps::Put them in order.{>3 RANDOM HORIZONTAL ABSOLUTE_POSITION SHOW 123\n"
        "Record\nClassify\nResolve\nClose\n}"
    )
    assert result.errors == []
    (q,) = result.bank.questions
    assert q.type == "ordering" and [s.text for s in q.steps] == [
        "Record",
        "Classify",
        "Resolve",
        "Close",
    ]
    codes = sorted(p.message.code for p in result.problems)
    assert codes == ["gift.ordering_rule", "gift.ordering_subset"]
    bad = parse("::Steps::Order them.{>\nOnly one\n}")
    assert [p.message.code for p in bad.errors] == ["gift.ordering_header"]


def test_writer_emits_category_metadata_scenario_and_escapes() -> None:
    text = gift.write(every_type_bank()).data.decode("utf-8")
    lines = text.split("\n")
    assert "$CATEGORY: clausewise/foundation/8.6.1" in lines
    assert "$CATEGORY: clausewise/auditor/10.1" in lines
    scenario = lines.index(
        '// clausewise-scenario: {"id": "sc-desk", "title": "A service desk", '
        '"text": "A desk with **30** agents."}'
    )
    # The case rides at the top of its item's stem too, so Moodle shows it with the item.
    item = "[markdown]**A service desk**\\n\\nA desk with **30** agents.\\n\\n---\\n\\n"
    item += "Match each activity to its clause.{"
    assert scenario < lines.index(item)
    assert "\t=Record, classify and prioritise it#Yes\\: 8.6.1." in lines
    assert "\t~%50%Scope statement" in lines and "\t~%-50%Staff canteen menu" in lines
    assert lines[
        lines.index("::Incident first step::[markdown]What happens **first** to a new incident?{")
        - 1
    ].startswith('// clausewise: {"id": "q-single"')


def awkward_bank() -> BankRecord:
    """Texts full of GIFT syntax, odd ids and non-default fields."""
    nasty = "a~b=c#d{e}f:g\\h \\n {x} %50% -> ::t:: ####"
    questions = [
        QuestionRecord(
            id="odd.ids_1",
            type="single_choice",
            stem="Line one\nline two: = ~ # { } \\\n",
            title="Title :: with {braces}",
            explanation="Why?\n\nBecause #1 ~ = {}.",
            options=[
                OptionRecord("x", "%50% off", True, "[html] is text here"),
                OptionRecord("y", "[plain] looks like a marker", False, nasty),
            ],
            edition="2011",
            marks=0.0,
            tags=["clause:8.5.1", "8.6"],
        ),
        QuestionRecord(
            id="m2",
            type="matching",
            stem=nasty,
            pairs=[
                PairRecord("k1", nasty.replace("->", ">"), "Match -> with arrow"),
                PairRecord("k2", "B", "b"),
            ],
            extra_matches=["unused = match"],
        ),
        QuestionRecord(id="tf", type="true_false", stem="T?", answer=True, feedback_true=nasty),
        QuestionRecord(id="tf2", type="true_false", stem="F?", answer=False, feedback_false="ok"),
        QuestionRecord(id="sa", type="short_answer", stem="Say T", answers=["T", "x:y"]),
    ]
    scenarios = [ScenarioRecord("sc-unused", "Unused", "Kept\nanyway: {}")]
    return BankRecord("awkward", "Awkward", scenarios=scenarios, questions=questions)


def test_round_trip_survives_special_characters_and_odd_fields() -> None:
    bank = awkward_bank()
    written = gift.write(bank)
    assert written.skipped == []
    back = gift.read(written.data)
    assert back.problems == []
    assert back.bank.questions == bank.questions
    assert back.bank.scenarios == bank.scenarios


def test_writer_skips_what_gift_cannot_hold_unambiguously() -> None:
    bank = BankRecord(
        "b",
        "B",
        questions=[
            QuestionRecord("m", "matching", "Match", pairs=[PairRecord("p1", "a -> b", "c")]),
            QuestionRecord("s", "short_answer", "Say", answers=["x -> y"]),
            QuestionRecord("n", "numerical", "How many?"),
        ],
    )
    assert [s.name for s in gift.write(bank).skipped] == ["m", "s", "n"]


def test_single_choice_with_option_and_general_feedback() -> None:
    q = only("::First::What first?{=Record it#Yes ~Escalate#No ~Close ####Record first.}")
    assert (q.type, q.title, q.stem, q.explanation) == (
        "single_choice",
        "First",
        "What first?",
        "Record first.",
    )
    assert q.options == [
        OptionRecord("a", "Record it", True, "Yes"),
        OptionRecord("b", "Escalate", False, "No"),
        OptionRecord("c", "Close", False, ""),
    ]


def test_weighted_answers_make_a_multiple_response_question() -> None:
    q = only("Which TWO?{~%50%Scope ~%50%Policy ~%-100%Menu#No ~%-33.3%Brochure}")
    assert q.type == "multiple_response"
    assert [(o.text, o.correct) for o in q.options] == [
        ("Scope", True),
        ("Policy", True),
        ("Menu", False),
        ("Brochure", False),
    ]
    assert q.options[2].feedback == "No"


def test_a_single_positive_weight_without_equals_is_single_choice() -> None:
    q = only("Pick one.{~%100%Right ~%-50%Wrong ~Other}")
    assert q.type == "single_choice"
    assert [o.correct for o in q.options] == [True, False, False]


def test_partial_credit_on_a_single_choice_is_a_warning_not_an_error() -> None:
    result = parse("Pick one.{=Right ~%50%Half ~Wrong}")
    assert result.errors == []
    assert [p.severity for p in result.problems] == ["warning"]
    assert "partial credit on 'Half'" in render(result.problems[0].message)
    assert [o.correct for o in result.bank.questions[0].options] == [True, False, False]


@pytest.mark.parametrize(
    ("block", "answer", "if_true", "if_false"),
    [
        ("{T}", True, "", ""),
        ("{TRUE}", True, "", ""),
        ("{F}", False, "", ""),
        ("{false}", False, "", ""),
        ("{T#You chose false#Right}", True, "Right", "You chose false"),
        ("{FALSE#You chose true#Right}", False, "You chose true", "Right"),
        ("{F##Only right}", False, "", "Only right"),
        ("{TRUE#Only wrong####General}", True, "", "Only wrong"),
    ],
)
def test_true_false_forms_and_their_feedback(
    block: str, answer: bool, if_true: str, if_false: str
) -> None:
    q = only(f"The policy is documented.{block}")
    assert (q.type, q.answer, q.feedback_true, q.feedback_false) == (
        "true_false",
        answer,
        if_true,
        if_false,
    )


@pytest.mark.parametrize(
    ("block", "answers"),
    [("{=8.6.3}", ["8.6.3"]), ("{=8.6.3 =clause 8.6.3}", ["8.6.3", "clause 8.6.3"])],
)
def test_short_answer_forms(block: str, answers: list[str]) -> None:
    q = only(f"Problem management clause?{block}")
    assert (q.type, q.answers) == ("short_answer", answers)


def test_short_answer_drops_partly_right_answers_with_a_warning() -> None:
    result = parse("Clause?{=%100%8.6.3 =%50%8.6}")
    assert result.bank.questions[0].answers == ["8.6.3"]
    assert [p.severity for p in result.problems] == ["warning"]


def test_matching_with_an_extra_match() -> None:
    q = only("Match them.{=Incident -> 8.6.1 =Problem -> 8.6.3 = -> 9.2}")
    assert q.type == "matching"
    assert q.pairs == [PairRecord("p1", "Incident", "8.6.1"), PairRecord("p2", "Problem", "8.6.3")]
    assert q.extra_matches == ["9.2"]


@pytest.mark.parametrize(("block", "explanation"), [("{}", ""), ("{####Cite 10.1}", "Cite 10.1")])
def test_essay_forms(block: str, explanation: str) -> None:
    q = only(f"Write a finding.{block}")
    assert (q.type, q.explanation, q.rubric) == ("essay", explanation, [])


def test_escapes_are_read_as_text() -> None:
    q = only(r"::A\: B::Use \~ \= \# \{ \} \: \\ and\na break{=x\=1\#2#fb \{ok\} ~y}")
    assert q.title == "A: B"
    assert q.stem == "Use ~ = # { } : \\ and\na break"
    assert (q.options[0].text, q.options[0].feedback) == ("x=1#2", "fb {ok}")


def test_multiline_question_with_comments_inside() -> None:
    text = (
        "// a comment before\n"
        "::Multi::What happens\n"
        "  first to an incident?\n"
        "{\n"
        "  // a comment inside the answers\n"
        "  =Record it\n"
        "  ~Escalate it\n"
        "}\n"
    )
    q = only(text)
    assert q.stem == "What happens\n  first to an incident?"
    assert [o.text for o in q.options] == ["Record it", "Escalate it"]
    assert q.location == Location("bank.gift", 2)


def test_category_gives_clauses_to_the_questions_that_follow() -> None:
    text = (
        "$CATEGORY: iso/8.5.1 Change\n\n"
        "First?{T}\n\n"
        "Second?{F}\n\n"
        "$CATEGORY: clausewise/practitioner/8.6.3\n\n"
        "Third?{T}\n"
    )
    questions = parse(text).bank.questions
    assert [q.clauses for q in questions] == [["8.5.1"], ["8.5.1"], ["8.6.3"]]
    assert [q.level for q in questions] == ["foundation", "foundation", "practitioner"]


@pytest.mark.parametrize(
    ("marker", "stem"),
    [
        ("[html]", "<p>Is <b>this</b> kept?</p>"),
        ("[plain]", "Keep **stars** and <b> literally"),
        ("[markdown]", "Is **this** kept?"),
        ("[moodle]", "Is this kept?"),
    ],
)
def test_text_formats_keep_the_text_as_written(marker: str, stem: str) -> None:
    q = only(f"::Fmt::{marker}{stem}{{T}}")
    assert q.stem == stem


def test_numerical_missing_word_and_description_are_reported_not_errors() -> None:
    text = (
        "::Good::Is it documented?{T}\n\n"
        "::Count::How many clauses?{#10:0}\n\n"
        "// a missing-word item\n"
        "The SMS {=scope ~menu} must be documented.\n\n"
        "::Intro::Read the case before answering.\n"
    )
    result = parse(text)
    assert result.problems == []
    assert [q.title for q in result.bank.questions] == ["Good"]
    assert result.unsupported == [
        Unsupported("numerical", "Count", Location("bank.gift", 3)),
        Unsupported("missing_word", "The SMS", Location("bank.gift", 6)),
        Unsupported("description", "Intro", Location("bank.gift", 8)),
    ]


def test_metadata_comment_fills_the_record() -> None:
    text = (
        '// clausewise: {"id": "q-42", "level": "auditor", "clauses": ["9.2"], "difficulty": 3,'
        ' "tags": ["audit"], "marks": 2, "edition": "2011",'
        ' "rubric": [{"criterion": "Cites", "marks": 2}], "model_answer": "9.2 says"}\n'
        "::Audit::Describe an audit finding.{}\n"
    )
    q = only(text)
    assert (q.id, q.level, q.clauses, q.difficulty, q.tags, q.marks, q.edition) == (
        "q-42",
        "auditor",
        ["9.2"],
        3,
        ["audit"],
        2.0,
        "2011",
    )
    assert (q.rubric[0].criterion, q.rubric[0].marks, q.model_answer) == ("Cites", 2.0, "9.2 says")


def test_without_metadata_ids_come_from_titles_or_lines() -> None:
    text = "::Incident Step 1!::A?{T}\n\n::Incident step 1::B?{T}\n\nC?{T}\n"
    questions = parse(text).bank.questions
    assert [q.id for q in questions] == ["incident-step-1", "incident-step-1-2", "q5"]
    assert {q.level for q in questions} == {"foundation"}


def test_unknown_or_unused_metadata_is_a_warning() -> None:
    text = '// clausewise: {"colour": "red"}\nA?{T}\n\n// clausewise: {"id": "lost"}\n'
    result = parse(text)
    assert result.errors == []
    assert [(p.location.line, p.severity) for p in result.problems] == [
        (1, "warning"),
        (4, "warning"),
    ]


def test_every_problem_in_a_file_is_reported() -> None:
    text = "::A::One?{~x ~y}\n\n::B::Two?{=x ~%abc%y ~%500%z}\n\n::C::Three?{=x ~y\n"
    problems = parse(text).errors
    assert [(p.location.line, render(p.message).split(":")[0]) for p in problems] == [
        (1, "question 'A'"),
        (3, "question 'B'"),
        (3, "question 'B'"),
        (5, "question 'C'"),
    ]


def test_bank_is_named_after_the_source_file_and_accepts_bom_and_text() -> None:
    result = gift.read(b"\xef\xbb\xbfA?{T}\n", "banks/My Change Bank.gift")
    assert (result.bank.id, result.bank.title) == ("my-change-bank", "My Change Bank")
    assert result.bank.questions[0].stem == "A?"
    assert gift.read("\ufeffA?{T}\n").bank.questions[0].answer is True


def test_a_moodle_export_reads_cleanly() -> None:
    result = gift.read((DATA / "valid" / "moodle_export.gift").read_bytes(), "moodle.gift")
    assert result.problems == []
    types = [(q.title, q.type, q.clauses) for q in result.bank.questions]
    assert types == [
        ("Incident first step", "single_choice", ["8.6.1"]),
        ("Short clause", "short_answer", ["8.6.1"]),
        ("Delegation", "true_false", ["5.1"]),
        ("Documents", "multiple_response", ["5.1"]),
        ("Essay", "essay", ["5.1"]),
    ]
    assert result.bank.questions[0].stem == "<p>What happens <b>first</b> to a new incident?</p>"


MALFORMED = [
    ("unclosed_answer_block.gift", 4, "'Open': the answer block opened with { is never closed"),
    ("no_right_answer.gift", 4, "'Q3': the answer block has no right answer (=)"),
    ("two_right_answers.gift", 6, "has 2 right answers (=)"),
    ("weight_not_a_number.gift", 4, "the weight '%abc%' is not a number"),
    ("weight_out_of_range.gift", 4, "the weight 150% is outside -100..100"),
    ("matching_without_arrow.gift", 3, "pair 2 has no '->'"),
    ("unclosed_title.gift", 3, "the title starts with :: but has no closing ::"),
    ("stray_closing_brace.gift", 3, "closing } with no opening {"),
    ("two_answer_blocks.gift", 4, "more than one answer block"),
    ("bad_metadata_json.gift", 3, "the clausewise comment is not valid JSON"),
    ("bad_metadata_level.gift", 1, "the metadata field 'level' must be one of"),
    ("text_before_answers.gift", 4, "'9.2' comes before the first answer"),
    ("answer_block_not_understood.gift", 4, "the answer block is not understood"),
    ("unknown_scenario.gift", 7, "the scenario 'sc-missing' is not defined"),
    ("no_question_text.gift", 4, "there is no question text"),
    ("duplicate_id.gift", 5, "the id 'q-audit' is already used"),
    ("true_false_extra_feedback.gift", 1, "at most two feedback texts"),
    ("invalid_utf8.gift", 3, "line 3 is not valid UTF-8"),
]


@pytest.mark.parametrize(("name", "line", "message"), MALFORMED)
def test_malformed_file_gives_a_located_error(name: str, line: int, message: str) -> None:
    path = DATA / "malformed" / name
    errors = gift.read(path.read_bytes(), str(path)).errors
    assert len(errors) == 1, errors
    assert errors[0].location == Location(str(path), line)
    assert message in render(errors[0].message)


def test_every_malformed_corpus_file_is_checked() -> None:
    on_disk = sorted(p.name for p in (DATA / "malformed").iterdir())
    assert on_disk == sorted(name for name, _, _ in MALFORMED)
    assert len(on_disk) >= 8


def test_moodle_id_numbers_and_tags_are_read() -> None:
    result = gift.read((DATA / "valid" / "moodle_ids_and_tags.gift").read_bytes(), "sd.gift")
    assert [p for p in result.problems if p.severity == "error"] == []
    first, second, third = result.bank.questions
    assert first.id == "SD-01" and first.clauses == ["8.6.1"] and first.level == "foundation"
    assert first.tags == ["first line"]
    assert second.id == "sd-02-draft"  # not a Clausewise id as it stands: made one
    assert second.difficulty == 3 and second.tags == ["ring ] bell"]
    assert third.id != "LOST-ID" and third.id == "no-id"


def test_the_gift_export_writes_moodle_ids_and_tags_moodle_reads_alone() -> None:
    bank = every_type_bank()
    written = gift.write(bank).data.decode()
    # Moodle ignores the Clausewise comments: read the export without them.
    bare = "\n".join(line for line in written.split("\n") if not line.startswith("// clausewise"))
    again = gift.read(bare, "bare.gift").bank
    for before, after in zip(
        [q for q in bank.questions if f"[id:{q.id}]" in written], again.questions, strict=True
    ):
        assert after.id == before.id
        assert after.clauses == before.clauses and after.level == before.level
        assert after.difficulty == before.difficulty


def test_names_and_matches_are_plain_text_as_moodle_reads_them() -> None:
    """Moodle reads no format marker in a question's name or after `->`: they are text."""
    q = only("::[html] Name 100%::Match{=[html] a -> [html] b =c -> %50% d}")
    assert q.title == "[html] Name 100%"
    assert [(p.prompt, p.match) for p in q.pairs] == [("a", "[html] b"), ("c", "%50% d")]
    written = gift.write(BankRecord(id="b", title="B", questions=[q])).data.decode()
    assert "::[html] Name 100%::" in written and "-> [html] b" in written
    assert gift.read(written.encode(), "again.gift").bank.questions == [q]


def test_tags_moodle_cannot_read_stay_in_the_clausewise_comment() -> None:
    q = QuestionRecord(id="q", type="essay", stem="Why?", tags=["a<b", "back`quote", "fine"])
    written = gift.write(BankRecord(id="b", title="B", questions=[q])).data.decode()
    marks = next(line for line in written.split("\n") if line.startswith("// [id:"))
    assert "[tag:fine]" in marks and "quote" not in marks and "a<b" not in marks
    assert gift.read(written.encode(), "again.gift").bank.questions[0].tags == q.tags


@pytest.mark.parametrize(("right", "wrong"), [(3, 1), (2, 2), (4, 3), (2, 5)])
def test_moodle_scores_every_set_of_ticks_of_a_gift_export_as_clausewise(right, wrong) -> None:
    """Moodle adds the weights of the ticked answers and keeps the sum within 0..100."""
    import itertools
    import re

    from app.domain import question_types

    options = [OptionRecord(f"o{i}", f"Option {i}", i < right, "") for i in range(right + wrong)]
    q = QuestionRecord(
        id="mr", type="multiple_response", stem="Which apply?", options=options, clauses=["8.1"]
    )
    block = gift.write(BankRecord(id="b", title="B", questions=[q])).data.decode()
    weights = [float(w) / 100 for w in re.findall(r"~%(-?[\d.]+)%", block)]
    assert len(weights) == len(options)
    kind = question_types.get("multiple_response")
    for n in range(1, len(options) + 1):
        for ticked in itertools.combinations(range(len(options)), n):
            moodle = min(1.0, max(0.0, sum(weights[i] for i in ticked)))
            ours = kind.grade(q, [options[i].id for i in ticked])
            assert moodle == pytest.approx(ours, abs=1e-4), ticked


def test_a_numerical_block_inside_the_text_is_numerical_not_missing_word() -> None:
    result = parse("::Year::The 2018 edition replaced the one of {#2011} in full.")
    assert [u.kind for u in result.unsupported] == ["numerical"]
    result = parse("::Gap::Incidents are {=restored ~ignored} as fast as possible.")
    assert [u.kind for u in result.unsupported] == ["missing_word"]
