"""Writing one Clausewise question as a QTI 2.1 assessmentItem.

Markdown is rendered to XHTML for the item body. A question's scenario is repeated at
the top of its item body as `<div class="clausewise-scenario">`, so each item reads on
its own; an essay's rubric and model answer go to a `rubricBlock view="scorer"`. The
explanation is a modalFeedback shown after every submission.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

import defusedxml.ElementTree as SafeET

from app.domain.records import QuestionRecord, ScenarioRecord
from app.formats.grader_notes import grader_notes_html
from app.formats.html_markdown import markdown_to_html
from app.formats.qti_model import SCENARIO_CLASS
from app.formats.xml_support import format_number

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RP = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"

Parts = tuple[Element, Element | None, str | None]


def identifier(text: str) -> str:
    """A QTI identifier for an id: ids that do not start with a letter get a 'Q-' prefix."""
    return text if re.match(r"^[A-Za-z_]", text) else f"Q-{text}"


def _sub(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    el = SubElement(parent, tag, attrs)
    el.text = text
    return el


def _xhtml(markdown: str, inline: bool) -> Element:
    html = markdown_to_html(_XML_INVALID.sub("", markdown), inline=inline)
    try:
        return SafeET.fromstring(f"<div>{html}</div>")
    except ParseError:  # markdown-it's output is well-formed; this is belt and braces
        wrapper = Element("div")
        _sub(wrapper, "p", markdown)
        return wrapper


def add_blocks(parent: Element, markdown: str) -> None:
    """Append the block XHTML of some Markdown to an element."""
    parent.extend(list(_xhtml(markdown, inline=False)))


def set_inline(el: Element, markdown: str) -> None:
    """Fill an element with the inline XHTML of some Markdown."""
    wrapper = _xhtml(markdown, inline=True)
    el.text = wrapper.text
    el.extend(list(wrapper))


def item_xml(q: QuestionRecord, scenario: ScenarioRecord | None) -> bytes:
    """The assessmentItem file of one question of a type QTI can hold."""
    root = _root(q)
    interaction, declaration, processing = WRITERS[q.type](q)
    if declaration is not None:
        root.append(declaration)
    _outcomes(root, q, feedback=q.type in _CHOICE_TYPES)
    _body(root, q, scenario, interaction)
    if processing is not None:
        root.append(_processing(processing, q.marks, q.type in _CHOICE_TYPES))
    if q.explanation:
        # FEEDBACK never takes this identifier, so "hide" means: always shown.
        outcome = {"outcomeIdentifier": "FEEDBACK", "showHide": "hide"}
        feedback = _sub(root, "modalFeedback", identifier="explanation", **outcome)
        add_blocks(feedback, q.explanation)
    _indent(root, 0)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
    return text.encode("utf-8")


def _root(q: QuestionRecord) -> Element:
    return Element(
        "assessmentItem",
        {
            "xmlns": QTI_NS,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{QTI_NS} {XSD}",
            "identifier": identifier(q.id),
            "title": q.title or q.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )


def _body(
    root: Element, q: QuestionRecord, scenario: ScenarioRecord | None, interaction: Element
) -> None:
    body = _sub(root, "itemBody")
    if scenario is not None:
        block = _sub(body, "div", **{"class": SCENARIO_CLASS, "id": f"scenario-{scenario.id}"})
        _sub(block, "h2", scenario.title)
        add_blocks(block, scenario.text)
    add_blocks(body, q.stem)
    if q.type == "essay":
        block = _sub(body, "rubricBlock", view="scorer")
        block.extend(list(SafeET.fromstring(f"<div>{_notes(q)}</div>")))
    body.append(interaction if q.type != "short_answer" else _paragraph(interaction))


_STRUCTURE = frozenset(
    {"assessmentItem", "responseDeclaration", "correctResponse", "mapping", "itemBody"}
    | {"outcomeDeclaration", "defaultValue", "responseProcessing", "responseCondition"}
    | {"responseIf", "responseElse", "setOutcomeValue", "match", "choiceInteraction"}
    | {"orderInteraction", "matchInteraction", "simpleMatchSet", "rubricBlock"}
)


def _indent(el: Element, level: int) -> None:
    """Indent structural elements only: whitespace inside mixed content would be text."""
    if el.tag not in _STRUCTURE or len(el) == 0:
        return
    inner = "\n" + "  " * (level + 1)
    if not (el.text or "").strip():
        el.text = inner
    for child in el:
        if not (child.tail or "").strip():
            child.tail = inner
        _indent(child, level + 1)
    if not (el[-1].tail or "").strip():
        el[-1].tail = "\n" + "  " * level


def _notes(q: QuestionRecord) -> str:
    return grader_notes_html(q.rubric, _XML_INVALID.sub("", q.model_answer))


def _paragraph(child: Element) -> Element:
    p = Element("p")
    p.append(child)
    return p


def _outcomes(root: Element, q: QuestionRecord, feedback: bool) -> None:
    float_single = {"cardinality": "single", "baseType": "float"}
    _sub(root, "outcomeDeclaration", identifier="SCORE", normalMaximum=_n(q.marks), **float_single)
    maximum = _sub(root, "outcomeDeclaration", identifier="MAXSCORE", **float_single)
    _sub(_sub(maximum, "defaultValue"), "value", _n(q.marks))
    if feedback or q.explanation:
        cardinality = "multiple" if q.type == "multiple_response" else "single"
        kind = {"cardinality": cardinality, "baseType": "identifier"}
        _sub(root, "outcomeDeclaration", identifier="FEEDBACK", **kind)


def _n(value: float) -> str:
    return format_number(value)


def _declaration(
    cardinality: str,
    base: str,
    correct: list[str],
    mapping: list[tuple[str, float]] | None = None,
    marks: float = 0.0,
) -> Element:
    el = Element("responseDeclaration", identifier="RESPONSE", cardinality=cardinality)
    el.set("baseType", base)
    if correct:
        holder = _sub(el, "correctResponse")
        for value in correct:
            _sub(holder, "value", value)
    if mapping is not None:
        bounds = {"lowerBound": "0", "upperBound": _n(marks), "defaultValue": "0"}
        holder = _sub(el, "mapping", **bounds)
        for key, points in mapping:
            _sub(holder, "mapEntry", mapKey=key, mappedValue=_n(points), caseSensitive="false")
    return el


def _processing(kind: str, marks: float, feedback: bool) -> Element:
    """Explicit response rules: a template cannot also copy the response to FEEDBACK."""
    rp = Element("responseProcessing")
    if kind == "match":
        condition = _sub(rp, "responseCondition")
        test = _sub(condition, "responseIf")
        match = _sub(test, "match")
        _sub(match, "variable", identifier="RESPONSE")
        _sub(match, "correct", identifier="RESPONSE")
        _score(test, _n(marks))
        _score(_sub(condition, "responseElse"), "0")
    else:
        _sub(_sub(rp, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    if feedback:
        _sub(_sub(rp, "setOutcomeValue", identifier="FEEDBACK"), "variable", identifier="RESPONSE")
    return rp


def _score(parent: Element, value: str) -> None:
    _sub(_sub(parent, "setOutcomeValue", identifier="SCORE"), "baseValue", value, baseType="float")


def _choice(q: QuestionRecord) -> Parts:
    single = q.type != "multiple_response"
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxChoices", "1" if single else "0")
    for option in q.options:
        _simple_choice(el, option.id, option.text, option.feedback)
    correct = [o.id for o in q.options if o.correct]
    if single:
        return el, _declaration("single", "identifier", correct), "match"
    # Wrong picks cost marks so that ticking every choice never earns full marks.
    right, wrong = len(correct) or 1, (len(q.options) - len(correct)) or 1
    mapping = [(o.id, q.marks / right if o.correct else -q.marks / wrong) for o in q.options]
    return el, _declaration("multiple", "identifier", correct, mapping, q.marks), "map"


def _simple_choice(parent: Element, ident: str, text: str, feedback: str) -> None:
    choice = _sub(parent, "simpleChoice", identifier=ident)
    set_inline(choice, text)
    if feedback:
        shown = {"outcomeIdentifier": "FEEDBACK", "identifier": ident, "showHide": "show"}
        set_inline(_sub(choice, "feedbackInline", **shown), feedback)


def _true_false(q: QuestionRecord) -> Parts:
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="false")
    el.set("maxChoices", "1")
    _simple_choice(el, "true", "True", q.feedback_true)
    _simple_choice(el, "false", "False", q.feedback_false)
    return el, _declaration("single", "identifier", ["true" if q.answer else "false"]), "match"


def _ordering(q: QuestionRecord) -> Parts:
    el = Element("orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    for step in q.steps:
        set_inline(_sub(el, "simpleChoice", identifier=step.id), step.text)
    return el, _declaration("ordered", "identifier", [s.id for s in q.steps]), "match"


def _matching(q: QuestionRecord) -> Parts:
    el = Element("matchInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxAssociations", str(len(q.pairs)))
    prompts, responses = _sub(el, "simpleMatchSet"), _sub(el, "simpleMatchSet")
    targets = [p.match for p in q.pairs] + list(q.extra_matches)
    for pair in q.pairs:
        set_inline(
            _sub(prompts, "simpleAssociableChoice", identifier=pair.id, matchMax="1"), pair.prompt
        )
    for number, text in enumerate(targets, start=1):
        set_inline(
            _sub(responses, "simpleAssociableChoice", identifier=f"m{number}", matchMax="1"), text
        )
    correct = [f"{pair.id} m{number}" for number, pair in enumerate(q.pairs, start=1)]
    mapping = [(value, q.marks / max(len(correct), 1)) for value in correct]
    return el, _declaration("multiple", "directedPair", correct, mapping, q.marks), "map"


def _short_answer(q: QuestionRecord) -> Parts:
    el = Element("textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="30")
    mapping = [(answer, q.marks) for answer in q.answers]
    return el, _declaration("single", "string", q.answers[:1], mapping, q.marks), "map"


def _essay(q: QuestionRecord) -> Parts:
    el = Element("extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="10")
    return el, _declaration("single", "string", []), None


_CHOICE_TYPES = frozenset({"single_choice", "multiple_response", "true_false"})
WRITERS: dict[str, Callable[[QuestionRecord], Parts]] = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _true_false,
    "ordering": _ordering,
    "matching": _matching,
    "short_answer": _short_answer,
    "essay": _essay,
}
