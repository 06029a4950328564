"""The short answer type in the file formats: one hook per format that can hold it.

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
    answer,
    flag,
    is_full,
    sub,
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
    """Case-insensitive, every accepted answer with fraction 100."""
    sub(el, "usecase", "0")
    for accepted in q.answers:
        answer(el, 100.0, accepted, "", "moodle_auto_format")


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """Short answer: the answers with fraction 100 are accepted."""
    for a in item.answers():
        if not is_full(a.fraction):
            if a.fraction > 0:
                params = {
                    "question": item.label,
                    "answer": a.plain,
                    "fraction": format_number(a.fraction),
                }
                item.warn(Message("moodle.short_partial", params), a.path)
            continue
        if not a.plain:
            item.error(
                Message("moodle.short_empty", {"question": item.label, "answer": a.number}), a.path
            )
        elif "*" in a.plain:
            item.warn(
                Message("moodle.short_wildcard", {"question": item.label, "answer": a.plain}),
                a.path,
            )
        if a.plain and a.plain not in q.answers:
            q.answers.append(a.plain)
    if not q.answers:
        item.error(Message("moodle.short_none", {"question": item.label}))
    if flag(item.el.findtext("usecase"), False):
        item.warn(Message("moodle.short_case", {"question": item.label}))


MOODLE = MoodleHooks(kind="shortanswer", write=write_moodle, read=read_moodle)


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
