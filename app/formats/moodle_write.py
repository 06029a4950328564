"""Writing a bank as a Moodle XML export that Moodle imports and Clausewise reads back.

Texts are written in Moodle's `markdown` format, so they round-trip unchanged. Metadata
travels as tags (`clause:…`, `level:…`, `difficulty:…`, `scenario:<id>`). Each bank has
its own category `$course$/clausewise/<bank id>` (holding its description), and a
category `…/<level>` starts wherever the level changes. Questions are named by id and
title (or the start of the stem). Scenarios become `description` questions tagged
`clausewise-scenario` with the scenario id as idnumber, and each item of a case carries
the case text at the top of its stem, so a Moodle quiz drawing items at random still
shows the case; the reader takes it off again.
Essay rubrics and model answers go to the grader information as an HTML table and a
`<pre>` block: `responsetemplate` is shown to learners, so it never holds the answer.
Each type's own elements are written by its Moodle hooks (`MoodleHooks.write`, in the
type's `formats.py`); a type without them is listed as skipped. A translated question
(or case) is written once per language and the copies merged into one element whose
differing texts are multilang spans (app.formats.moodle_lang).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, indent, tostring

from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    Problem,
    QuestionRecord,
    ScenarioRecord,
    TranslationRecord,
    Unsupported,
)
from app.formats import export_notes, type_formats
from app.formats.moodle_files import attach_files
from app.formats.moodle_lang import merge
from app.formats.moodle_read import (
    SCENARIO_PREFIX,
    SCENARIO_TAG,
    TOP_CATEGORY,
    question_name,
)
from app.formats.moodle_types import COMBINED, MoodleHooks, holder, write_hints
from app.formats.tags import write_tags
from app.formats.texts_cases import with_case
from app.formats.translated import case_in, fitting, fitting_cases, question_in
from app.formats.xml_support import format_number, sub

# Kinds whose import in Moodle (qformat_xml) reads no hints.
_NO_HINTS = frozenset({"essay"})
# Elements a kind compares with a learner's answer as written: never multilang runs, but
# one set per language (see app.formats.moodle_lang).
_APART = {"shortanswer": frozenset({"answer"})}


def write(bank: BankRecord) -> ExportResult:
    """A Moodle XML export of a bank; questions of other types are listed as skipped."""
    quiz = Element("quiz")
    top = f"$course$/{TOP_CATEGORY}/{bank.id}"  # one category per bank, with its details
    quiz.append(_category(top, bank))
    quiz.extend(_in_languages(s, bank.language) for s in bank.scenarios)
    cases = {s.id: s for s in bank.scenarios}
    skipped: list[Unsupported] = []
    warnings: list[Problem] = []
    level = None
    for q in bank.questions:
        hooks = type_formats.hooks(q.type).moodle
        if hooks is None:
            skipped.append(Unsupported(q.type, q.id, Location(path=q.id)))
            continue
        if q.level != level:
            quiz.append(_category(f"{top}/{q.level}"))
            level = q.level
        el = _question_in_languages(q, hooks, cases.get(q.scenario or ""), bank.language)
        if el.find(COMBINED[0][0]) is None:  # a kind without combined feedback (essay, …)
            warnings += export_notes.lost_feedback(q, "Moodle XML")
        if hooks.kind in _NO_HINTS:  # written, and read back by Clausewise, all the same
            warnings += export_notes.hints_ignored_by_moodle(q, hooks.kind)
        quiz.append(el)
    attach_files(quiz, bank.assets)
    indent(quiz, space="  ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode") + "\n"
    return ExportResult(text.encode("utf-8"), skipped, warnings)


def _tags(parent: Element, tags: list[str]) -> None:
    if tags:
        box = sub(parent, "tags")
        for tag in tags:
            sub(sub(box, "tag"), "text", tag)


def _category(path: str, bank: BankRecord | None = None) -> Element:
    el = Element("question", type="category")
    sub(sub(el, "category"), "text", path)
    if bank is not None:
        holder(el, "info", bank.description)
        sub(el, "idnumber", bank.id)
    return el


def _scenario(scenario: ScenarioRecord) -> Element:
    el = Element("question", type="description")
    sub(sub(el, "name"), "text", scenario.title or scenario.id)
    holder(el, "questiontext", scenario.text)
    holder(el, "generalfeedback", "")
    for tag, value in (("defaultgrade", "0"), ("penalty", "0"), ("hidden", "0")):
        sub(el, tag, value)
    sub(el, "idnumber", scenario.id)
    _tags(el, [SCENARIO_TAG])
    return el


def _in_languages(case: ScenarioRecord, source: str) -> Element:
    """A case text's `description` question, with its translations as multilang runs."""
    el = _scenario(case)
    current = fitting_cases(case, current_only=True)
    copies = {tag: _scenario(case_in(case, t) or case) for tag, t in current.items()}
    merge(el, copies, source, frozenset())
    return el


def _question_in_languages(
    q: QuestionRecord, hooks: MoodleHooks, case: ScenarioRecord | None, source: str
) -> Element:
    """A question's element, with its translations as multilang runs (and accepted
    answers of their own, for the kinds that compare answers as written)."""
    el = _question(q, hooks, case)
    copies = {
        tag: _question(question_in(q, t), hooks, case_in(case, _case_translation(case, tag)))
        for tag, t in fitting(q, current_only=True).items()
    }
    merge(el, copies, source, _APART.get(hooks.kind, frozenset()))
    return el


def _case_translation(case: ScenarioRecord | None, tag: str) -> TranslationRecord | None:
    """The current translation of a case text into `tag` that fits it, if any."""
    return fitting_cases(case, current_only=True).get(tag) if case is not None else None


def _question(q: QuestionRecord, hooks: MoodleHooks, case: ScenarioRecord | None) -> Element:
    el = Element("question", type=hooks.kind)
    sub(sub(el, "name"), "text", question_name(q.id, q.title, q.stem))
    holder(el, "questiontext", with_case(case, q.stem) if case else q.stem)
    holder(el, "generalfeedback", q.explanation)
    sub(el, "defaultgrade", format_number(q.marks))
    sub(el, "penalty", "0.3333333")
    sub(el, "hidden", "0")
    sub(el, "idnumber", q.id)
    hooks.write(el, q)
    write_hints(el, q)
    _tags(el, write_tags(q) + ([f"{SCENARIO_PREFIX}{q.scenario}"] if q.scenario else []))
    return el
