"""The true false type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.moodle_types import MoodleHooks, MoodleItem, answer
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


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """The answers 'true' and 'false', the right one with fraction 100."""
    answer(el, 100.0 if q.answer else 0.0, "true", q.feedback_true, "moodle_auto_format")
    answer(el, 0.0 if q.answer else 100.0, "false", q.feedback_false, "moodle_auto_format")


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """True/false from the answers whose text is 'true' and 'false'."""
    answers = {a.plain.lower(): a for a in item.answers()}
    true, false = answers.get("true"), answers.get("false")
    if true is None or false is None:
        item.error(Message("moodle.truefalse_answers", {"question": item.label}))
        return
    if (true.fraction > 0) == (false.fraction > 0):
        item.error(Message("moodle.truefalse_key", {"question": item.label}))
    q.answer = true.fraction > 0
    q.feedback_true, q.feedback_false = true.feedback, false.feedback


MOODLE = MoodleHooks(kind="truefalse", write=write_moodle, read=read_moodle)


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
