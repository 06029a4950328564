"""The essay type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from app.domain.messages import Message
from app.domain.records import QuestionRecord, RubricCriterion
from app.formats.grader_notes import grader_notes_html, read_grader_notes
from app.formats.html_markdown import element_node
from app.formats.qti_interactions import ItemParts, QtiHooks
from app.formats.qti_model import ItemReader, attr, descendants, kind
from app.formats.qti_write import XML_INVALID, declaration
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import format_number

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------

GIFT = None


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------

MOODLE = None


# --- QTI 2.1 ------------------------------------------------------------------------

# An extendedTextInteraction, scored by a person: no response processing. The rubric and
# model answer go to a `rubricBlock view="scorer"` before it, and also to the manifest's
# `<cw:question>` metadata.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The scorer's rubricBlock, then the text box."""
    block = Element("rubricBlock", view="scorer")
    notes = grader_notes_html(q.rubric, XML_INVALID.sub("", q.model_answer))
    block.extend(list(SafeET.fromstring(f"<div>{notes}</div>")))
    el = Element("extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="10")
    return ItemParts([block, el], declaration("single", "string", []), None)


def qti_metadata(q: QuestionRecord) -> dict[str, Any]:
    """The rubric and model answer, for the manifest."""
    rubric = [
        {"criterion": c.criterion, "marks": c.marks, "guidance": c.guidance} for c in q.rubric
    ]
    return {"rubric": rubric, "model_answer": q.model_answer}


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Rubric and model answer from a scorer rubricBlock written by Clausewise."""
    q.type = "essay"
    body = next(e for e in reader.root if kind(e) == "itemBody")
    blocks = [e for e, _ in descendants(body, "") if kind(e) == "rubricBlock"]
    scorer = [b for b in blocks if "scorer" in (attr(b, "view") or "").split()]
    decl = reader.declarations.get(attr(el, "responseIdentifier") or "")
    for block in scorer:
        notes = read_grader_notes(element_node(block))
        for message in notes.errors:
            reader.error(message, path)
        if notes.rubric:
            q.rubric = notes.rubric
        q.model_answer = notes.model_answer or q.model_answer
    if not q.model_answer and decl is not None and decl.correct:
        q.model_answer = "\n".join(v for v, _ in decl.correct)
    if q.rubric:
        q.marks = sum(c.marks for c in q.rubric)
        return
    q.rubric = [RubricCriterion("Overall answer", q.marks, "")]
    reader.hold_rubric_warning(Message("qti.no_rubric", {"marks": format_number(q.marks)}), path)


QTI = QtiHooks("extendedTextInteraction", write_qti, read_qti, metadata=qti_metadata)


# --- CSV/XLSX -----------------------------------------------------------------------

SHEET = None


FORMATS = TypeFormats(
    native_keys=NATIVE_KEYS,
    read_native=READ_NATIVE,
    write_native=WRITE_NATIVE,
    gift=GIFT,
    aiken=AIKEN,
    moodle=MOODLE,
    qti=QTI,
    sheet=SHEET,
)
