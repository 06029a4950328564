"""The ordering type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord, StepRecord
from app.formats.qti_interactions import ItemParts, QtiHooks, choices, correct
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, set_inline, sub
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

# An orderInteraction: the steps as simpleChoices, the right order as an ordered correct
# response; all marks for the whole order.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The steps, and their order as the correct response."""
    el = Element("orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    for step in q.steps:
        set_inline(sub(el, "simpleChoice", identifier=step.id), step.text)
    return ItemParts([el], declaration("ordered", "identifier", [s.id for s in q.steps]), "match")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The steps in the order correctResponse gives."""
    q.type = "ordering"
    decl = reader.declaration(el, path)
    texts = {ident: text for ident, text, _, _ in choices(el, path, "simpleChoice")}
    keys = correct(reader, decl, set(texts), el) if decl else None
    if decl is None or keys is None or reader.failed:
        return
    if sorted(keys) != sorted(texts):
        params = {"listed": len(keys), "choices": len(texts)}
        reader.error(Message("qti.order_count", params), decl.path)
        return
    q.steps = [StepRecord(ident, texts[ident]) for ident in keys]


QTI = QtiHooks("orderInteraction", write_qti, read_qti)


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
