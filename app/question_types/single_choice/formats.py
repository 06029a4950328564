"""The single choice type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from app.domain.records import OptionRecord, QuestionRecord
from app.formats.aiken import AikenHooks
from app.formats.gift_answers import GiftHooks, read_choice
from app.formats.gift_write import feedback, text
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------


def _gift_expressible(q: QuestionRecord) -> bool:
    """Two or more options, each with text, exactly one of them right."""
    options = len(q.options) >= 2 and all(o.text.strip() for o in q.options)
    return options and sum(o.correct for o in q.options) == 1


def write_gift(q: QuestionRecord) -> list[str]:
    """`=right` and `~wrong` answers, each with its `#feedback`."""
    return [f"\t{'=' if o.correct else '~'}{text(o.text)}{feedback(o.feedback)}" for o in q.options]


# A choice block with one right answer (`=`, or a single positive weight).
GIFT = GiftHooks(
    kinds=("choice",), read=read_choice, write=write_gift, expressible=_gift_expressible
)


# --- Aiken --------------------------------------------------------------------------


def write_aiken(q: QuestionRecord) -> tuple[list[str], int] | None:
    """The option texts and the index of the right one; None unless exactly one is right."""
    correct = [n for n, option in enumerate(q.options) if option.correct]
    if len(correct) != 1:
        return None
    return [o.text for o in q.options], correct[0]


def read_aiken(q: QuestionRecord, options: list[tuple[str, str]], answer: str) -> None:
    """Options from the lettered lines; each option's id is its letter in lower case."""
    q.options = [OptionRecord(k.lower(), words, k == answer) for k, words in options]


AIKEN = AikenHooks(write=write_aiken, read=read_aiken)


# --- Moodle XML ---------------------------------------------------------------------

MOODLE = None


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
