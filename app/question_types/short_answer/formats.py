"""The short answer type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.qti_interactions import ItemParts, QtiHooks
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration
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

# A textEntryInteraction in a paragraph of its own; every accepted answer is a mapping
# entry worth all the marks (case-insensitive), the first is also the correct response.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The text entry, and the accepted answers as a mapping."""
    el = Element("textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="30")
    paragraph = Element("p")
    paragraph.append(el)
    mapping = [(answer, q.marks) for answer in q.answers]
    answers = declaration("single", "string", q.answers[:1], mapping, q.marks)
    return ItemParts([paragraph], answers, "map")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """correctResponse values and positively mapped keys are accepted."""
    q.type = "short_answer"
    decl = reader.declaration(el, path)
    if decl is None:
        return
    found = [v for v, _ in decl.correct] + [k for k, mapped, _ in decl.mapping if mapped > 0]
    q.answers = list(dict.fromkeys(a for a in found if a))
    if not q.answers:
        reader.error(Message("qti.no_accepted_answer", {"declaration": decl.identifier}), decl.path)


QTI = QtiHooks("textEntryInteraction", write_qti, read_qti)


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
