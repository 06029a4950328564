"""Writing one Clausewise question as a QTI 2.1 assessmentItem.

Markdown is rendered to XHTML for the item body. A question's scenario is repeated at
the top of its item body as `<div class="clausewise-scenario">`, so each item reads on
its own. The explanation is a modalFeedback shown after every submission. What is
particular to a type (its interaction, response declaration and scoring, and anything
else in the body, such as an essay's rubricBlock) comes from its `QtiHooks`; the
helpers below (`sub`, `set_inline`, `declaration`, ...) are what those hooks build with.
"""

from __future__ import annotations

import re
from itertools import pairwise
from xml.etree.ElementTree import Element, ParseError, tostring

import defusedxml.ElementTree as SafeET

from app.domain.assets import ASSET_SCHEME
from app.domain.records import QuestionRecord, ScenarioRecord
from app.formats.html_markdown import markdown_to_html
from app.formats.html_media import with_kept_markup
from app.formats.qti_feedback import OUTCOME, WRITTEN, has_combined, outcome_rules
from app.formats.qti_files import ASSET_FOLDER
from app.formats.qti_interactions import QtiHooks
from app.formats.qti_model import SCENARIO_CLASS
from app.formats.xml_support import format_number, sub

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_RP = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"


def identifier(text: str) -> str:
    """A QTI identifier for an id: ids that do not start with a letter get a 'Q-' prefix."""
    return text if re.match(r"^[A-Za-z_]", text) else f"Q-{text}"


def _xhtml(markdown: str, inline: bool) -> Element:
    html = markdown_to_html(XML_INVALID.sub("", markdown), inline=inline)
    if "&lt;" in html:
        html = with_kept_markup(html)
    try:
        wrapper = SafeET.fromstring(f"<div>{html}</div>")
    except ParseError:  # markdown-it's output is well-formed; this is belt and braces
        wrapper = Element("div")
        sub(wrapper, "p", markdown)
        return wrapper
    _package_links(wrapper)
    return wrapper


def _package_links(wrapper: Element) -> None:
    """Point `asset:` references at the package's files (items sit one folder down) and
    give MathML its namespace."""
    for el in wrapper.iter():
        for attribute in ("src", "href"):
            value = el.get(attribute) or ""
            if value.startswith(ASSET_SCHEME):
                el.set(attribute, f"../{ASSET_FOLDER}/{value[len(ASSET_SCHEME) :]}")
        if el.tag == "math":
            el.set("xmlns", MATHML_NS)


def add_blocks(parent: Element, markdown: str) -> None:
    """Append the block XHTML of some Markdown to an element."""
    parent.extend(list(_xhtml(markdown, inline=False)))


def set_inline(el: Element, markdown: str) -> None:
    """Fill an element with the inline XHTML of some Markdown."""
    wrapper = _xhtml(markdown, inline=True)
    el.text = wrapper.text
    el.extend(list(wrapper))


def item_xml(
    q: QuestionRecord, scenario: ScenarioRecord | None, hooks: QtiHooks, language: str
) -> bytes:
    """The assessmentItem file of one question in one language (its `xml:lang`), written
    through its type's hooks."""
    root = _root(q)
    root.set("xml:lang", language)
    parts = hooks.write(q)
    if parts.declaration is not None:
        root.append(parts.declaration)
    combined = parts.processing is not None and has_combined(q)
    _outcomes(root, q, hooks.feedback, combined)
    _body(root, q, scenario, parts.body)
    if parts.processing is not None:
        steps = [s.id for s in q.steps]
        rp = _processing(parts.processing, q.marks, hooks.feedback is not None, steps)
        if combined:
            outcome_rules(rp, q.marks)
        root.append(rp)
    if q.explanation:
        # FEEDBACK never takes this identifier, so "hide" means: always shown.
        outcome = {"outcomeIdentifier": "FEEDBACK", "showHide": "hide"}
        feedback = sub(root, "modalFeedback", identifier="explanation", **outcome)
        add_blocks(feedback, q.explanation)
    for name, ident in WRITTEN.items():
        if combined and getattr(q, name):
            shown = {"outcomeIdentifier": OUTCOME, "showHide": "show"}
            add_blocks(sub(root, "modalFeedback", identifier=ident, **shown), getattr(q, name))
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
    root: Element, q: QuestionRecord, scenario: ScenarioRecord | None, parts: list[Element]
) -> None:
    body = sub(root, "itemBody")
    if scenario is not None:
        block = sub(body, "div", **{"class": SCENARIO_CLASS, "id": f"scenario-{scenario.id}"})
        sub(block, "h2", scenario.title)
        add_blocks(block, scenario.text)
    add_blocks(body, q.stem)
    body.extend(parts)


_STRUCTURE = frozenset(
    {"assessmentItem", "responseDeclaration", "correctResponse", "mapping", "itemBody"}
    | {"outcomeDeclaration", "defaultValue", "responseProcessing", "responseCondition"}
    | {"responseIf", "responseElse", "setOutcomeValue", "match", "choiceInteraction"}
    | {"orderInteraction", "matchInteraction", "simpleMatchSet", "rubricBlock"}
    | {"or", "and", "index", "sum", "product", "divide", "responseElseIf", "gte", "gt"}
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


def _outcomes(root: Element, q: QuestionRecord, feedback: str | None, combined: bool) -> None:
    float_single = {"cardinality": "single", "baseType": "float"}
    sub(root, "outcomeDeclaration", identifier="SCORE", normalMaximum=_n(q.marks), **float_single)
    maximum = sub(root, "outcomeDeclaration", identifier="MAXSCORE", **float_single)
    sub(sub(maximum, "defaultValue"), "value", _n(q.marks))
    if feedback or q.explanation:
        kind = {"cardinality": feedback or "single", "baseType": "identifier"}
        sub(root, "outcomeDeclaration", identifier="FEEDBACK", **kind)
    if combined:
        basic = {"cardinality": "single", "baseType": "identifier"}
        sub(root, "outcomeDeclaration", identifier=OUTCOME, **basic)


def _n(value: float) -> str:
    return format_number(value)


def declaration(
    cardinality: str,
    base: str,
    correct: list[str],
    mapping: list[tuple[str, float]] | None = None,
    marks: float = 0.0,
) -> Element:
    """The responseDeclaration RESPONSE: correct values and an optional mapping."""
    el = Element("responseDeclaration", identifier="RESPONSE", cardinality=cardinality)
    el.set("baseType", base)
    if correct:
        holder = sub(el, "correctResponse")
        for value in correct:
            sub(holder, "value", value)
    if mapping is not None:
        bounds = {"lowerBound": "0", "upperBound": _n(marks), "defaultValue": "0"}
        holder = sub(el, "mapping", **bounds)
        for key, points in mapping:
            sub(holder, "mapEntry", mapKey=key, mappedValue=_n(points), caseSensitive="false")
    return el


def _processing(kind: str, marks: float, feedback: bool, steps: list[str]) -> Element:
    """Explicit response rules: a template cannot also copy the response to FEEDBACK."""
    rp = Element("responseProcessing")
    if kind == "successions":
        _successions(rp, steps, marks)
    elif kind == "match":
        condition = sub(rp, "responseCondition")
        test = sub(condition, "responseIf")
        match = sub(test, "match")
        sub(match, "variable", identifier="RESPONSE")
        sub(match, "correct", identifier="RESPONSE")
        _score(test, _n(marks))
        _score(sub(condition, "responseElse"), "0")
    else:
        sub(sub(rp, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    if feedback:
        sub(sub(rp, "setOutcomeValue", identifier="FEEDBACK"), "variable", identifier="RESPONSE")
    return rp


def _successions(rp: Element, steps: list[str], marks: float) -> None:
    """SCORE = marks × (neighbouring pairs of the key kept) / (steps − 1): Clausewise's
    rule for ordering. SCORE first counts, for each place i of the response, whether the
    steps at i and i + 1 are a pair of neighbours in the key; then it is scaled."""
    _score(rp, "0")
    pairs = list(pairwise(steps))
    for place in range(1, len(steps)):
        test = sub(sub(rp, "responseCondition"), "responseIf")
        either = sub(test, "or")
        for first, then in pairs:
            both = sub(either, "and")
            for offset, ident in ((0, first), (1, then)):
                found = sub(both, "match")
                sub(sub(found, "index", n=str(place + offset)), "variable", identifier="RESPONSE")
                sub(found, "baseValue", ident, baseType="identifier")
        added = sub(sub(test, "setOutcomeValue", identifier="SCORE"), "sum")
        sub(added, "variable", identifier="SCORE")
        sub(added, "baseValue", "1", baseType="float")
    scaled = sub(sub(rp, "setOutcomeValue", identifier="SCORE"), "divide")
    product = sub(scaled, "product")
    sub(product, "variable", identifier="SCORE")
    sub(product, "baseValue", _n(marks), baseType="float")
    sub(scaled, "baseValue", str(max(len(steps) - 1, 1)), baseType="float")


def _score(parent: Element, value: str) -> None:
    sub(sub(parent, "setOutcomeValue", identifier="SCORE"), "baseValue", value, baseType="float")


def simple_choice(parent: Element, ident: str, text: str, feedback: str) -> None:
    """A simpleChoice, with a feedbackInline shown when it is picked."""
    choice = sub(parent, "simpleChoice", identifier=ident)
    set_inline(choice, text)
    if feedback:
        shown = {"outcomeIdentifier": "FEEDBACK", "identifier": ident, "showHide": "show"}
        set_inline(sub(choice, "feedbackInline", **shown), feedback)
