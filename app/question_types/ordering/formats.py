"""The ordering type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord, StepRecord
from app.formats.moodle_types import MoodleHooks, MoodleItem, answer, settings
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
    """Moodle's ordering plug-in (qtype_ordering): the steps in order, fractions 1, 2, …"""
    settings(
        el,
        (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "ABSOLUTE_POSITION"),
            ("showgrading", "SHOW"),
        ),
    )
    for position, step in enumerate(q.steps, start=1):
        answer(el, float(position), step.text)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """Ordering (qtype_ordering): answers in the correct order, or sorted by fraction."""
    answers = item.answers()
    if len({a.fraction for a in answers}) == len(answers):
        answers.sort(key=lambda a: a.fraction)
    for a in answers:
        if not a.text:
            item.error(
                Message("moodle.answer_text", {"question": item.label, "answer": a.number}), a.path
            )
    q.steps = [StepRecord(f"s{i}", a.text) for i, a in enumerate(answers, start=1)]
    if len(q.steps) < 2:
        item.error(
            Message("moodle.ordering_steps", {"question": item.label, "count": len(q.steps)})
        )


MOODLE = MoodleHooks(kind="ordering", write=write_moodle, read=read_moodle)


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
