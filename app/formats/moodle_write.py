"""Writing a bank as a Moodle XML export that Moodle imports and Clausewise reads back.

Texts are written in Moodle's `markdown` format, so they round-trip unchanged. Metadata
travels as tags (`clause:…`, `level:…`, `difficulty:…`, `scenario:<id>`); a category
`$course$/clausewise/<level>` starts wherever the level changes. Scenarios become
`description` questions tagged `clausewise-scenario` with the scenario id as idnumber.
Essay rubrics and model answers go to the grader information as an HTML table and a
`<pre>` block: `responsetemplate` is shown to learners, so it never holds the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    QuestionRecord,
    ScenarioRecord,
    Unsupported,
)
from app.formats.grader_notes import grader_notes_html
from app.formats.moodle_read import SCENARIO_PREFIX, SCENARIO_TAG, TOP_CATEGORY
from app.formats.tags import write_tags
from app.formats.xml_support import format_number

MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "matching": "matching",
    "ordering": "ordering",
    "essay": "essay",
}


def write(bank: BankRecord) -> ExportResult:
    """A Moodle XML export of a bank; questions of other types are listed as skipped."""
    quiz = Element("quiz")
    quiz.append(_category(f"$course$/{TOP_CATEGORY}", bank))
    quiz.extend(_scenario(s) for s in bank.scenarios)
    skipped: list[Unsupported] = []
    level = None
    for q in bank.questions:
        if q.type not in MOODLE_TYPES:
            skipped.append(Unsupported(q.type, q.id, Location(path=q.id)))
            continue
        if q.level != level:
            quiz.append(_category(f"$course$/{TOP_CATEGORY}/{q.level}"))
            level = q.level
        quiz.append(_question(q))
    indent(quiz, space="  ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode") + "\n"
    return ExportResult(text.encode("utf-8"), skipped)


def _sub(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    el = SubElement(parent, tag, attrs)
    el.text = text
    return el


def _holder(parent: Element, tag: str, text: str, fmt: str = "markdown") -> Element:
    el = _sub(parent, tag, format=fmt)
    _sub(el, "text", text)
    return el


def _tags(parent: Element, tags: list[str]) -> None:
    if tags:
        holder = _sub(parent, "tags")
        for tag in tags:
            _sub(_sub(holder, "tag"), "text", tag)


def _category(path: str, bank: BankRecord | None = None) -> Element:
    el = Element("question", type="category")
    _sub(_sub(el, "category"), "text", path)
    if bank is not None:
        _holder(el, "info", bank.description)
        _sub(el, "idnumber", bank.id)
    return el


def _scenario(scenario: ScenarioRecord) -> Element:
    el = Element("question", type="description")
    _sub(_sub(el, "name"), "text", scenario.title or scenario.id)
    _holder(el, "questiontext", scenario.text)
    _holder(el, "generalfeedback", "")
    for tag, value in (("defaultgrade", "0"), ("penalty", "0"), ("hidden", "0")):
        _sub(el, tag, value)
    _sub(el, "idnumber", scenario.id)
    _tags(el, [SCENARIO_TAG])
    return el


def _question(q: QuestionRecord) -> Element:
    el = Element("question", type=MOODLE_TYPES[q.type])
    _sub(_sub(el, "name"), "text", q.title or q.id)
    _holder(el, "questiontext", q.stem)
    _holder(el, "generalfeedback", q.explanation)
    _sub(el, "defaultgrade", format_number(q.marks))
    _sub(el, "penalty", "0.3333333")
    _sub(el, "hidden", "0")
    _sub(el, "idnumber", q.id)
    _BODIES[q.type](el, q)
    _tags(el, write_tags(q) + ([f"{SCENARIO_PREFIX}{q.scenario}"] if q.scenario else []))
    return el


def _answer(parent: Element, fraction: float, text: str, feedback: str = "", fmt: str = "") -> None:
    el = _sub(parent, "answer", fraction=format_number(fraction, 5), format=fmt or "markdown")
    _sub(el, "text", text)
    _holder(el, "feedback", feedback)


def _choice(el: Element, q: QuestionRecord) -> None:
    single = q.type == "single_choice"
    _sub(el, "single", "true" if single else "false")
    _sub(el, "shuffleanswers", "true")
    _sub(el, "answernumbering", "abc")
    right = sum(1 for o in q.options if o.correct) or 1
    wrong = sum(1 for o in q.options if not o.correct) or 1
    for option in q.options:
        # Wrong picks cost marks so that ticking every box never earns full marks.
        if option.correct:
            fraction = 100.0 if single else 100.0 / right
        else:
            fraction = 0.0 if single else -100.0 / wrong
        _answer(el, fraction, option.text, option.feedback)


def _true_false(el: Element, q: QuestionRecord) -> None:
    _answer(el, 100.0 if q.answer else 0.0, "true", q.feedback_true, "moodle_auto_format")
    _answer(el, 0.0 if q.answer else 100.0, "false", q.feedback_false, "moodle_auto_format")


def _short_answer(el: Element, q: QuestionRecord) -> None:
    _sub(el, "usecase", "0")
    for accepted in q.answers:
        _answer(el, 100.0, accepted, "", "moodle_auto_format")


def _matching(el: Element, q: QuestionRecord) -> None:
    _sub(el, "shuffleanswers", "true")
    rows = [(p.prompt, p.match) for p in q.pairs] + [("", m) for m in q.extra_matches]
    for prompt, match in rows:
        sub = _sub(el, "subquestion", format="markdown")
        _sub(sub, "text", prompt)
        _sub(_sub(sub, "answer"), "text", match)


def _ordering(el: Element, q: QuestionRecord) -> None:
    for tag, value in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", "ABSOLUTE_POSITION"),
        ("showgrading", "SHOW"),
    ):
        _sub(el, tag, value)
    for position, step in enumerate(q.steps, start=1):
        _answer(el, float(position), step.text)


def _essay(el: Element, q: QuestionRecord) -> None:
    for tag, value in (
        ("responseformat", "editor"),
        ("responserequired", "1"),
        ("responsefieldlines", "15"),
        ("attachments", "0"),
        ("attachmentsrequired", "0"),
    ):
        _sub(el, tag, value)
    _holder(el, "graderinfo", grader_notes_html(q.rubric, q.model_answer), "html")
    _holder(el, "responsetemplate", "", "html")


_BODIES: dict[str, Callable[[Element, QuestionRecord], None]] = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _true_false,
    "short_answer": _short_answer,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}
