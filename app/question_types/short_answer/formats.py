"""The short answer type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.gift_answers import GiftHooks, Reporter, answers
from app.formats.gift_write import text
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Accepted answers `=a =b`; partly-right answers cannot be kept."""
    for a in answers(ctx, body, base):
        if not a.text:
            ctx.error(a.offset, Message("gift.accepted_empty", {"question": ctx.label}))
        elif a.weight is not None and a.weight < 100:
            ctx.error(
                a.offset,
                Message("gift.partly_right", {"question": ctx.label, "text": a.text}),
                "warning",
            )
        else:
            q.answers.append(a.text)
        if a.feedback:
            ctx.error(
                a.offset,
                Message("gift.answer_feedback", {"question": ctx.label, "text": a.text}),
                "warning",
            )
    if not q.answers:
        ctx.error(base, Message("gift.no_fully_right", {"question": ctx.label}))


def write_gift(q: QuestionRecord) -> list[str]:
    """One `=answer` per accepted answer."""
    return [f"\t={text(answer)}" for answer in q.answers]


def _gift_expressible(q: QuestionRecord) -> bool:
    """Some answers, none empty; GIFT cannot escape "->"."""
    return bool(q.answers) and all(a.strip() and "->" not in a for a in q.answers)


GIFT = GiftHooks(
    kinds=("short_answer",), read=read_gift, write=write_gift, expressible=_gift_expressible
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
