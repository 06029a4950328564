"""The matching type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from app.domain.messages import Message
from app.domain.records import PairRecord, QuestionRecord
from app.formats.gift_answers import GiftHooks, Reporter, answers, leaf
from app.formats.gift_meta import pair_id
from app.formats.gift_write import text
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Pairs `=item -> match`; an empty item gives a match that fits no item."""
    for n, a in enumerate(answers(ctx, body, base), start=1):
        prompt, arrow, match = a.raw.partition("->")
        if not arrow:
            ctx.error(a.offset, Message("gift.pair_no_arrow", {"question": ctx.label, "pair": n}))
        elif not leaf(match):
            ctx.error(a.offset, Message("gift.pair_no_match", {"question": ctx.label, "pair": n}))
        elif leaf(prompt):
            q.pairs.append(PairRecord(pair_id(len(q.pairs)), leaf(prompt), leaf(match)))
        else:
            q.extra_matches.append(leaf(match))
    if len(q.pairs) < 2:
        ctx.error(base, Message("gift.matching_too_few", {"question": ctx.label}))


def write_gift(q: QuestionRecord) -> list[str]:
    """`=item -> match` per pair and `= -> match` per extra match."""
    pairs = [f"\t={text(p.prompt)} -> {text(p.match)}" for p in q.pairs]
    return pairs + [f"\t= -> {text(match)}" for match in q.extra_matches]


def _gift_expressible(q: QuestionRecord) -> bool:
    """Two or more pairs, none with "->" in its item (GIFT cannot escape it) or an empty
    text (an empty item means "a match for no item")."""
    matches = [p.match for p in q.pairs] + q.extra_matches
    return (
        len(q.pairs) >= 2
        and all(p.prompt.strip() and "->" not in p.prompt for p in q.pairs)
        and all(m.strip() for m in matches)
    )


GIFT = GiftHooks(
    kinds=("matching",), read=read_gift, write=write_gift, expressible=_gift_expressible
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
