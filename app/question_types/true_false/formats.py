"""The true false type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.gift_answers import TRUE_FALSE, GiftHooks, Reporter, leaf
from app.formats.gift_write import text
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """`{T#wrong#right}`: GIFT gives feedback for a wrong, then for a right choice."""
    parts = body.strip().split("#")
    if len(parts) > 3:
        ctx.error(base, Message("gift.true_false_feedback", {"question": ctx.label}))
    value = TRUE_FALSE[parts[0].strip().upper()]
    wrong = leaf(parts[1]) if len(parts) > 1 else ""
    right = leaf(parts[2]) if len(parts) > 2 else ""
    q.answer = value
    q.feedback_true, q.feedback_false = (right, wrong) if value else (wrong, right)


def write_gift(q: QuestionRecord) -> list[str]:
    """`TRUE#feedback if wrong#feedback if right`, leaving out empty trailing parts."""
    right, wrong = (
        (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
    )
    line = "\tTRUE" if q.answer else "\tFALSE"
    if wrong or right:
        line += f"#{text(wrong)}"
    if right:
        line += f"#{text(right)}"
    return [line]


def _gift_expressible(q: QuestionRecord) -> bool:
    return isinstance(q.answer, bool)


GIFT = GiftHooks(
    kinds=("true_false",), read=read_gift, write=write_gift, expressible=_gift_expressible
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
