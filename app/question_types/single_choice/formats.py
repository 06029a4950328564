"""The single choice type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.moodle_types import (
    MoodleHooks,
    MoodleItem,
    choice_answers,
    choice_options,
    is_full,
    is_single,
    write_choices,
)
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


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """A multichoice with <single>true</single>: the key has fraction 100, the others 0."""
    write_choices(el, q, single=True)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """A multichoice with <single>true</single>: exactly one answer with fraction 100."""
    answers = choice_answers(item)
    full = [a for a in answers if is_full(a.fraction)]
    if len(full) != 1:
        item.error(Message("moodle.single_full", {"question": item.label, "count": len(full)}))
    for a in answers:
        if 0 < a.fraction < 100 and not is_full(a.fraction):
            params = {
                "question": item.label,
                "answer": a.number,
                "fraction": format_number(a.fraction),
            }
            item.warn(Message("moodle.single_partial", params), a.path)
    q.options = choice_options(answers, lambda a: is_full(a.fraction))


MOODLE = MoodleHooks(kind="multichoice", write=write_moodle, read=read_moodle, accepts=is_single)


# --- QTI 2.1 ------------------------------------------------------------------------

QTI = None


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
