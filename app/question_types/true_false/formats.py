"""The true false type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.qti_interactions import (
    ItemParts,
    QtiHooks,
    choice_interaction,
    correct,
    is_true_false,
)
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, simple_choice
from app.formats.type_formats import TypeFormats

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

# A choiceInteraction with maxChoices 1 and two choices, True and False (a foreign item
# with just those two choices reads as true/false too).


def write_qti(q: QuestionRecord) -> ItemParts:
    """True and False in that order, each with its feedback."""
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="false")
    el.set("maxChoices", "1")
    simple_choice(el, "true", "True", q.feedback_true)
    simple_choice(el, "false", "False", q.feedback_false)
    keys = ["true" if q.answer else "false"]
    return ItemParts([el], declaration("single", "identifier", keys), "match")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The answer is whether the True choice is the correct one."""
    decl, found = choice_interaction(reader, el, path)
    keys = correct(reader, decl, {c[0] for c in found}, el) if decl else None
    if keys is None:
        return
    by_text = {text.strip().lower(): (ident, feedback) for ident, text, feedback, _ in found}
    q.type = "true_false"
    q.answer = by_text["true"][0] in keys
    q.feedback_true, q.feedback_false = by_text["true"][1], by_text["false"][1]
    if len(set(keys)) != 1:
        reader.error(Message("qti.true_false_correct"))


QTI = QtiHooks("choiceInteraction", write_qti, read_qti, claims=is_true_false, feedback="single")


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
