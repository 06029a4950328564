"""The question types' definition checks speak in message codes, each a whole sentence.

Broken definitions of every type drive every check; each problem must be a `Message`
whose code has a sentence, render as the English the checks wrote before they returned
codes, and no sentence may be glued together from a noun and a frame.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app import question_types as plugins
from app.domain import question_types
from app.domain.messages import Message
from app.domain.question_types import base
from app.domain.records import (
    BankRecord,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)
from app.domain.validation import validate_bank
from app.messages import TEXTS, render, render_problem
from tests.unit.formats.sample import every_type_bank

APP = Path(__file__).resolve().parents[3] / "app"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def broken(kind: str, **fields: object) -> QuestionRecord:
    """A question of `kind` with some fields set wrong."""
    return QuestionRecord(**({"id": f"{kind}-broken", "type": kind, "stem": "Which?"} | fields))


OPTIONS = [
    OptionRecord("a", "Raise  a change", True),
    OptionRecord("a", "raise a change", True),
    OptionRecord(" ", "", False),
    OptionRecord("d", " ", False),
]

# Each broken definition and the problems its checks wrote as English before they
# returned codes: the rendered messages must say exactly that, in the same order.
CASES: list[tuple[QuestionRecord, list[str]]] = [
    (
        broken("single_choice", options=OPTIONS),
        [
            "every option needs an id",
            "option ids must be unique; repeated: a",
            "2 option(s) have no text",
            "each option needs a different text; repeated: raise a change",
            "a single-choice question needs exactly one correct option; it has 2",
        ],
    ),
    (
        broken(
            "single_choice", options=[OptionRecord("a", "Only")], stem=" ", marks=0.0, answers=["x"]
        ),
        [
            "the stem is empty",
            "marks must be more than 0; it has 0",
            "a single-choice question does not use answers; remove it",
            "a single-choice question needs at least 2 options; it has 1",
            "a single-choice question needs exactly one correct option; it has 0",
        ],
    ),
    (
        broken("multiple_response", options=OPTIONS[:2], marks=-1.5),
        [
            "marks must be more than 0; it has -1.5",
            "option ids must be unique; repeated: a",
            "each option needs a different text; repeated: raise a change",
            "a multiple-response question needs at least 3 options; it has 2",
            "a multiple-response question needs at least one wrong option; all are correct",
        ],
    ),
    (
        broken(
            "multiple_response",
            options=[OptionRecord("a", "A"), OptionRecord("b", "B")],
            answer=True,
        ),
        [
            "a multiple-response question does not use answer; remove it",
            "a multiple-response question needs at least 3 options; it has 2",
            "a multiple-response question needs at least one correct option; it has none",
        ],
    ),
    (
        broken("true_false", options=[OptionRecord("a", "A", True)], answers=["y"]),
        [
            "a true/false question does not use options; remove it",
            "a true/false question does not use answers; remove it",
            "a true/false question needs its answer set to true or false",
        ],
    ),
    (
        broken(
            "matching",
            pairs=[PairRecord("p1", "A", "B"), PairRecord("p1", "a", "b"), PairRecord(" ", "", "")],
            extra_matches=["", "B"],
        ),
        [
            "every pair needs an id",
            "pair ids must be unique; repeated: p1",
            "1 prompt(s) have no text",
            "each prompt needs a different text; repeated: a",
            "2 match(s) have no text",
            "prompts may share a match, but it must be written the same way in each pair; "
            "written differently: B / b",
            "each extra match needs a text no other match has (prompts may share a match, "
            "extra matches may not repeat one); repeated: b",
        ],
    ),
    (
        broken(
            "matching",
            pairs=[PairRecord("p1", "Frog", "Amphibian"), PairRecord("p2", "Newt", "Amphibian")],
        ),
        ["a matching question needs at least 2 different matches to choose from; it has 1"],
    ),
    (
        broken("matching", pairs=[PairRecord("p1", "A", "B")], steps=[StepRecord("s1", "x")]),
        [
            "a matching question does not use steps; remove it",
            "a matching question needs at least 2 pairs; it has 1",
        ],
    ),
    (
        broken(
            "ordering",
            steps=[
                StepRecord("s1", "A"),
                StepRecord("s1", "a"),
                StepRecord("", " "),
                StepRecord("s4", ""),
            ],
        ),
        [
            "every step needs an id",
            "step ids must be unique; repeated: s1",
            "2 step(s) have no text",
            "each step needs a different text; repeated: a",
        ],
    ),
    (
        broken("ordering", steps=[StepRecord("s1", "A")], rubric=[RubricCriterion("x", 1)]),
        [
            "an ordering question does not use rubric; remove it",
            "an ordering question needs at least 2 steps; it has 1",
        ],
    ),
    (
        broken("short_answer", answers=[], model_answer="m"),
        [
            "a short-answer question does not use model_answer; remove it",
            "a short-answer question needs at least one accepted answer",
        ],
    ),
    (broken("short_answer", answers=["x", " "]), ["accepted answers must not be empty"]),
    (
        broken(
            "essay",
            marks=4.0,
            rubric=[
                RubricCriterion("", 0),
                RubricCriterion("Requirement", -1),
                RubricCriterion("  ", 0),
                RubricCriterion("Ok", 2.25),
            ],
        ),
        [
            "every rubric criterion needs a name",
            "rubric criterion 'a criterion' needs marks above 0",
            "rubric criterion 'Requirement' needs marks above 0",
            "rubric criterion '  ' needs marks above 0",
            "an essay's marks must equal the sum of its rubric marks (1.25); it has 4",
        ],
    ),
    (
        broken("essay", marks=5.0, rubric=[RubricCriterion("A", 2)], data={"x": 1}),
        [
            "an essay question does not use data; remove it",
            "an essay's marks must equal the sum of its rubric marks (2); it has 5",
        ],
    ),
    (
        broken(
            "classification",
            data={
                "categories": [
                    {"id": "c", "text": "A"},
                    {"id": "c", "text": "a"},
                    {"id": " ", "text": ""},
                ],
                "items": [
                    {"id": "i", "text": "X", "category": "c"},
                    {"id": "i", "text": "x", "category": "zz"},
                    {"id": "", "text": " ", "category": "c"},
                    {"text": "", "category": "c"},
                ],
                "extra": 1,
                "another": [],
            },
        ),
        [
            "every category needs an id",
            "category ids must be unique; repeated: c",
            "1 category(s) have no text",
            "each category needs a different text; repeated: a",
            "every item needs an id",
            "item ids must be unique; repeated: i",
            "2 item(s) have no text",
            "each item needs a different text; repeated: x",
            "these items name no category of the question: i",
            "a classification question does not use another, extra; remove it",
        ],
    ),
    (
        broken(
            "classification",
            data={
                "categories": [{"id": "c", "text": "A"}],
                "items": [{"id": "i", "text": "X", "category": "nope"}],
            },
            pairs=[PairRecord("p", "a", "b")],
        ),
        [
            "a classification question does not use pairs; remove it",
            "a classification question needs at least 2 categories; it has 1",
            "a classification question needs at least 2 items; it has 1",
            "these items name no category of the question: i",
        ],
    ),
]


def problems(q: QuestionRecord) -> list[Message]:
    return question_types.get(q.type).validate(q)


@pytest.mark.parametrize("q, english", CASES, ids=lambda v: getattr(v, "type", ""))
def test_broken_definitions_render_as_the_english_they_replace(q, english):
    found = problems(q)
    assert all(isinstance(m, Message) for m in found)
    assert [render(m) for m in found] == english


def test_every_code_a_type_can_emit_has_a_sentence_and_every_sentence_is_reached():
    emitted = {m.code for q, _ in CASES for m in problems(q)}
    emitted |= {t.unused_field("options").code for t in question_types.all_types()}
    emitted |= {refusal(key, raw).message.code for key, raw, _ in RESPONSE_CASES}
    type_texts = question_types.texts()
    assert emitted <= set(TEXTS), "codes without a sentence in app.messages.TEXTS"
    assert emitted == set(type_texts), "sentences no broken definition here reaches"
    for q, _ in CASES:
        for m in problems(q):
            assert render(m)  # no KeyError, no missing parameter


def test_every_type_is_driven_and_names_itself_when_a_field_is_not_its_own():
    assert {q.type for q, _ in CASES} == set(question_types.keys())
    for kind in question_types.all_types():
        said = kind.unused_field("steps")
        assert said.code == f"{kind.key}.unused_field"
        assert render(said).endswith(" does not use steps; remove it")


def test_each_plugin_keeps_codes_of_its_own_key_and_the_shared_ones_are_type_codes():
    assert all(code.startswith("type.") for code in base.TEXTS)
    for kind in question_types.all_types():
        domain = plugins.part(kind.key, "domain")
        assert domain is not None and domain.TEXTS, kind.key
        assert all(code.startswith(f"{kind.key}.") for code in domain.TEXTS), kind.key


def test_the_bank_check_words_a_definition_problem_inside_its_question_line():
    q = broken("true_false", clauses=["8.6"])
    [problem] = validate_bank(BankRecord(id="b", title="B", questions=[q]))
    assert isinstance(problem.message.params["problem"], Message)
    assert render_problem(problem) == (
        "<input>: question true_false-broken: error: question true_false-broken: "
        "a true/false question needs its answer set to true or false"
    )


# --- no glued fragments -------------------------------------------------------------------

# Placeholders a type's sentence may hold: counts, numbers, ids, texts and field names
# as typed, never a word or phrase of the sentence itself.
DATA_PLACEHOLDERS = {
    "num",
    "marks",
    "total",
    "options",
    "correct",
    "pairs",
    "matches",
    "steps",
    "categories",
    "items",
    "ids",
    "texts",
    "criterion",
    "field",
    "id",
    "limit",
    "length",
}


@pytest.mark.parametrize("code", sorted(question_types.texts()))
def test_type_sentences_are_whole(code):
    text = question_types.texts()[code]
    for form in text if isinstance(text, tuple) else (text,):
        assert set(PLACEHOLDER.findall(form)) <= DATA_PLACEHOLDERS, code
        words = PLACEHOLDER.sub("", form).split()
        assert len(words) >= 3, f"{code}: {form!r} is a fragment, not a sentence"
        assert form == form.strip() and "  " not in form, code


def test_no_problem_carries_words_of_a_sentence_as_a_parameter():
    for q, _ in CASES:
        for m in problems(q):
            for name, value in m.params.items():
                assert not isinstance(value, Message | tuple), (m.code, name)
                assert isinstance(value, str | int), (m.code, name)


def _checks() -> list[tuple[str, ast.FunctionDef]]:
    """The functions that say what is wrong with a definition, in base.py and plug-ins."""
    files = [APP / "domain/question_types/base.py", *sorted(APP.glob("question_types/*/domain.py"))]
    names = {
        "validate",
        "check",
        "check_options",
        "unused_field",
        "id_problems",
        "text_problems",
        "option_problems",
    }
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in names:
                found.append((str(path.relative_to(APP)), node))
    return found


def test_the_checks_build_no_sentences_in_code():
    checks = _checks()
    assert len(checks) >= 2 * len(question_types.keys())
    for where, function in checks:
        for node in ast.walk(function):
            assert not isinstance(node, ast.JoinedStr), f"{where}: {function.name} f-string"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr != "format", f"{where}: {function.name} str.format"
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
                sides = (node.left, node.right)
                assert not any(
                    isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides
                ), f"{where}: {function.name} joins strings"
            if isinstance(node, ast.Return) and isinstance(node.value, ast.List):
                assert not any(
                    isinstance(e, ast.Constant) and isinstance(e.value, str)
                    for e in node.value.elts
                ), f"{where}: {function.name} returns a sentence"


def test_the_response_checks_build_no_sentences_in_code():
    files = [APP / "domain/question_types/base.py", *sorted(APP.glob("question_types/*/domain.py"))]
    names = {"parse_response", "id_list", "bounded_text", "real_ids", "real_pairs"}
    found = 0
    for path in files:
        where = str(path.relative_to(APP))
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(function, ast.FunctionDef) and function.name in names):
                continue
            found += 1
            for node in ast.walk(function):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    assert getattr(node.exc.func, "id", None) == "ResponseError", (
                        f"{where}: {function.name} raises something other than ResponseError"
                    )
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    assert node.func.attr != "format", f"{where}: {function.name} str.format"
                assert not isinstance(node, ast.JoinedStr), f"{where}: {function.name} f-string"
    assert found >= len(question_types.keys()) + 4


def test_a_type_has_no_english_noun_to_glue_into_sentences():
    for kind in question_types.all_types():
        assert not hasattr(kind, "noun"), kind.key


# --- a learner's malformed response ---------------------------------------------------------

RESPONSE_QUESTIONS = {q.type: q for q in every_type_bank().questions} | {
    "classification": broken(
        "classification",
        data={
            "categories": [{"id": "c1", "text": "Service"}, {"id": "c2", "text": "Process"}],
            "items": [
                {"id": "i1", "text": "Service desk", "category": "c1"},
                {"id": "i2", "text": "Change management", "category": "c2"},
            ],
        },
    )
}

# Each malformed response and the English `parse_response` refused it with before it
# raised codes: the rendered message must say exactly that.
RESPONSE_CASES: list[tuple[str, object, str]] = [
    ("single_choice", 3, "a single-choice answer is the id of one option"),
    ("single_choice", "z", "there is no option 'z' in this question"),
    ("multiple_response", 7, "the answer must be a list of option ids"),
    ("multiple_response", ["a", 2], "every chosen option must be given by its id"),
    ("multiple_response", ["a", "x"], "there is no option 'x' in this question"),
    ("true_false", "maybe", "a true/false answer must be true or false"),
    ("matching", ["p1"], "a matching answer pairs prompt ids with chosen match ids"),
    ("matching", {"p9": "Problem management"}, "there is no prompt 'p9' in this question"),
    ("matching", {"p1": 3}, "each chosen match must be given by its id"),
    (
        "matching",
        {"p1": "Change management"},
        "'Change management' is not one of the offered matches",
    ),
    ("ordering", 7, "the answer must be a list of step ids"),
    ("ordering", ["s1", 2], "every chosen step must be given by its id"),
    ("ordering", ["s1", "s2", "s3", "s9"], "there is no step 's9' in this question"),
    ("ordering", ["s1", "s2", "s3"], "an ordering answer must list every step exactly once"),
    ("short_answer", ["8.6.3"], "a short answer must be text"),
    ("short_answer", "x" * 501, "a short answer may be at most 500 characters; it has 501"),
    ("essay", 5, "an essay must be text"),
    ("essay", "x" * 20_001, "an essay may be at most 20,000 characters; it has 20,001"),
    ("classification", ["i1"], "a classification answer pairs item ids with category ids"),
    ("classification", {"i9": "c1"}, "there is no item 'i9' in this question"),
    ("classification", {"i1": 3}, "each chosen category must be given by its id"),
    ("classification", {"i1": "c9"}, "'c9' is not one of the categories"),
]


def refusal(key: str, raw: object) -> base.ResponseError:
    """The error `parse_response` raises for a malformed response to the type's question."""
    with pytest.raises(base.ResponseError) as caught:
        question_types.get(key).parse_response(RESPONSE_QUESTIONS[key], raw)
    return caught.value


@pytest.mark.parametrize(("key", "raw", "english"), RESPONSE_CASES, ids=lambda v: str(v)[:30])
def test_malformed_responses_are_refused_with_a_code_that_renders_as_before(key, raw, english):
    error = refusal(key, raw)
    assert isinstance(error, ValueError) and isinstance(error.message, Message)
    assert error.message.code in TEXTS
    assert render(error.message) == english
    assert str(error) == english  # the readable fallback is the same sentence
    for name, value in error.message.params.items():
        assert isinstance(value, str), (error.message.code, name)


def test_every_type_is_driven_with_malformed_responses_and_every_response_code_renders():
    assert {key for key, _, _ in RESPONSE_CASES} == set(question_types.keys())
    codes = {refusal(key, raw).message.code for key, raw, _ in RESPONSE_CASES}
    assert codes <= set(question_types.texts())
    for code in codes:
        owner = code.split(".")[0]
        assert owner == "type" or owner in set(question_types.keys()), code
