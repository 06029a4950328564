"""The multiple response type in the file formats: one hook per format that can hold it.

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
    max_choices,
)
from app.formats.qti_model import ItemReader, attr
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

# A choiceInteraction with maxChoices 0 (any number); the fallback for choiceInteractions
# the other choice types do not claim. Scored by mapResponse: each key earns its share of
# the marks and each wrong pick costs its share, so ticking every choice never earns all.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The options, the keys as correct responses, and a mapping that prices each pick."""
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxChoices", "0")
    for option in q.options:
        simple_choice(el, option.id, option.text, option.feedback)
    keys = [o.id for o in q.options if o.correct]
    # Wrong picks cost marks so that ticking every choice never earns full marks.
    right, wrong = len(keys) or 1, (len(q.options) - len(keys)) or 1
    mapping = [(o.id, q.marks / right if o.correct else -q.marks / wrong) for o in q.options]
    return ItemParts([el], declaration("multiple", "identifier", keys, mapping, q.marks), "map")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The options; one correct choice reads as single choice, all correct is an error."""
    decl, found = choice_interaction(reader, el, path)
    if max_choices(el) is None:
        value = attr(el, "maxChoices") or "1"
        reader.error(Message("qti.max_choices", {"value": value}), path)
        return
    keys = correct(reader, decl, {c[0] for c in found}, el) if decl else None
    if keys is None:
        return
    q.options = [OptionRecord(i, text, i in keys, fb) for i, text, fb, _ in found]
    q.type = "multiple_response"
    if len(set(keys)) == 1:
        q.type = "single_choice"
        reader.warn(Message("qti.read_as_single"), path)
    elif len(set(keys)) >= len(found):
        reader.error(Message("qti.all_correct"), path)


QTI = QtiHooks("choiceInteraction", write_qti, read_qti, feedback="multiple")


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
