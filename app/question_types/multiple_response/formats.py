"""The multiple response type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from app.domain.records import QuestionRecord
from app.formats.gift_answers import GiftHooks, read_choice
from app.formats.gift_write import feedback, percent, text
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------


def _gift_expressible(q: QuestionRecord) -> bool:
    """Two or more options, each with text, two or more of them right."""
    options = len(q.options) >= 2 and all(o.text.strip() for o in q.options)
    return options and sum(o.correct for o in q.options) >= 2


def write_gift(q: QuestionRecord) -> list[str]:
    """`~%w%` answers: the right ones share +100, each wrong one costs as much as one earns.

    So ticking everything earns nothing.
    """
    share = 100 / sum(o.correct for o in q.options)
    return [
        f"\t~%{percent(share if o.correct else -share)}%{text(o.text)}{feedback(o.feedback)}"
        for o in q.options
    ]


# A choice block whose positive weights make two or more answers right.
GIFT = GiftHooks(
    kinds=("weighted_choice",), read=read_choice, write=write_gift, expressible=_gift_expressible
)


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


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
