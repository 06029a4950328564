"""The single choice type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord
from app.formats.qti_interactions import (
    ItemParts,
    QtiHooks,
    choice_interaction,
    correct,
    is_true_false,
    max_choices,
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

# A choiceInteraction with maxChoices 1 whose choices are not just True and False; all
# marks when the key is picked.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The options as simpleChoices, the key as the correct response."""
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxChoices", "1")
    for option in q.options:
        simple_choice(el, option.id, option.text, option.feedback)
    keys = [o.id for o in q.options if o.correct]
    return ItemParts([el], declaration("single", "identifier", keys), "match")


def claims_qti(interaction: Element) -> bool:
    """One answer allowed, among choices that are not just True and False."""
    return max_choices(interaction) == 1 and not is_true_false(interaction)


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The options, with exactly one correct."""
    decl, found = choice_interaction(reader, el, path)
    keys = correct(reader, decl, {c[0] for c in found}, el) if decl else None
    if decl is None or keys is None:
        return
    q.options = [OptionRecord(i, text, i in keys, fb) for i, text, fb, _ in found]
    q.type = "single_choice"
    if len(set(keys)) != 1:
        reader.error(Message("qti.single_correct_count", count=len(set(keys))), decl.path)


QTI = QtiHooks("choiceInteraction", write_qti, read_qti, claims=claims_qti, feedback="single")


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
