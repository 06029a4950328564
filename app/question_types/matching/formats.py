"""The matching type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.question_types.base import display_ids
from app.domain.records import PairRecord, QuestionRecord
from app.formats import native_records, sheet_types
from app.formats.gift_answers import GiftHooks, Reporter, answers, leaf, plain
from app.formats.gift_meta import pair_id
from app.formats.gift_write import escape, text
from app.formats.moodle_types import MoodleHooks, MoodleItem, combined_feedback, rich_text
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import (
    ItemParts,
    PairMessages,
    QtiHooks,
    match_sets,
    read_pairs,
)
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, set_inline
from app.formats.sheet_model import OPTION_COLUMNS, PAIR_ARROW
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import sub
from app.question_types.matching.domain import offered_matches

# --- what the GIFT, Moodle XML and QTI readers share -----------------------------------


def distinct_extras(q: QuestionRecord) -> list[str]:
    """The extra matches that add a choice: Moodle offers each answer text once, so an
    empty subquestion (or `= -> text`) repeating a pair's match, or another empty one,
    adds nothing and is dropped, as Moodle does."""
    taken = {p.match for p in q.pairs}
    return [m for m in dict.fromkeys(q.extra_matches) if m not in taken]


# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ("pairs", "extra_matches")


def read_native(reader: FieldReader, item: dict[str, Any], path: Path) -> dict[str, Any]:
    """The prompts with their matches, and the matches that belong to no prompt."""
    return {
        "pairs": native_records.read_pairs(reader, item, path),
        "extra_matches": reader.texts(item, path, "extra_matches"),
    }


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The pairs and any extra matches."""
    pairs = [vars(p).copy() for p in q.pairs]
    return native_records.non_empty({"pairs": pairs, "extra_matches": list(q.extra_matches)})


READ_NATIVE = read_native
WRITE_NATIVE = write_native


# --- GIFT ---------------------------------------------------------------------------


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Pairs `=item -> match` (items may share a match, like `=frog -> amphibian` and
    `=newt -> amphibian`); an empty item gives a match that fits no item."""
    for n, a in enumerate(answers(ctx, body, base), start=1):
        prompt, arrow, match = a.raw.partition("->")
        if not arrow:
            ctx.error(a.offset, Message("gift.pair_no_arrow", {"question": ctx.label, "pair": n}))
        elif not plain(match):
            ctx.error(a.offset, Message("gift.pair_no_match", {"question": ctx.label, "pair": n}))
        elif leaf(prompt):
            q.pairs.append(PairRecord(pair_id(len(q.pairs)), leaf(prompt), plain(match)))
        else:
            q.extra_matches.append(plain(match))
    q.extra_matches = distinct_extras(q)
    if len(q.pairs) < 2:
        ctx.error(base, Message("gift.matching_too_few", {"question": ctx.label}))


def write_gift(q: QuestionRecord) -> list[str]:
    """`=item -> match` per pair and `= -> match` per extra match. Moodle reads a match
    as plain text (no format marker, no weight), so it is only escaped."""
    pairs = [f"\t={text(p.prompt)} -> {escape(p.match)}" for p in q.pairs]
    return pairs + [f"\t= -> {escape(match)}" for match in q.extra_matches]


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


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """One subquestion per pair (a shared match repeats its answer text, as Moodle's own
    export does), then one without text per extra match."""
    sub(el, "shuffleanswers", "true")
    combined_feedback(el, q)
    sub(el, "shownumcorrect", "1")
    rows = [(p.prompt, p.match) for p in q.pairs] + [("", m) for m in q.extra_matches]
    for prompt, match in rows:
        subquestion = sub(el, "subquestion", format="markdown")
        sub(subquestion, "text", prompt)
        sub(sub(subquestion, "answer"), "text", match)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """Matching: subquestions with text are pairs (several may repeat one answer text:
    they share that match), those without text extra matches."""
    for number, (subquestion, path) in enumerate(item.children("subquestion"), start=1):
        prompt = rich_text(subquestion)
        match = (subquestion.findtext("answer/text") or "").strip()
        if not match:
            if prompt:
                item.error(
                    Message(
                        "moodle.subquestion_answer", {"question": item.label, "subquestion": number}
                    ),
                    path,
                )
        elif prompt:
            q.pairs.append(PairRecord(f"p{len(q.pairs) + 1}", prompt, match))
        else:
            q.extra_matches.append(match)
    q.extra_matches = distinct_extras(q)
    if len(q.pairs) < 2:
        item.error(
            Message("moodle.matching_pairs", {"question": item.label, "count": len(q.pairs)})
        )


MOODLE = MoodleHooks(kind="matching", write=write_moodle, read=read_moodle)


# --- QTI 2.1 ------------------------------------------------------------------------

# A matchInteraction: the prompts in the first simpleMatchSet, each distinct match (the
# pairs' and the extra ones) once in the second, the pairs as directedPair correct
# responses, each worth its share of the marks. Prompts sharing a match pair with the
# same target ("p1 m1", "p3 m1"). Each prompt takes one match (matchMax 1); each match
# may be taken once (matchMax 1) when no two prompts share one, else by as many prompts
# as there are: the same matchMax on every match, so a QTI player's limits do not tell
# which match is shared. The fallback for matchInteractions classification does not
# claim, so a foreign matchInteraction (1EdTech's Shakespeare example among them, whose
# plays take several characters) reads as matching.

_PAIRS = PairMessages(
    unknown=lambda value: Message("qti.pair_unknown", {"value": value}),
    repeated=lambda choice: Message("qti.prompt_paired_twice", {"choice": choice}),
    missing=lambda choice: Message("qti.prompt_unpaired", {"choice": choice}),
)


def write_qti(q: QuestionRecord) -> ItemParts:
    """Prompts and distinct matches as two sets; matches get the identifiers m1, m2, ...
    in the alphabetical order of their texts."""
    el = Element("matchInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxAssociations", str(len(q.pairs)))
    prompts, responses = sub(el, "simpleMatchSet"), sub(el, "simpleMatchSet")
    # Numbered in the order of the texts, as the learner view's ids are: numbered in the
    # order of the prompts, m1 would always be the first prompt's match. No identifier
    # may be a prompt's as well.
    offered = offered_matches(q)
    numbers = display_ids(offered, "m", set(offered) | {p.id for p in q.pairs})
    targets = {text: numbers[text] for text in offered}
    shared = len({p.match for p in q.pairs}) < len(q.pairs)
    match_max = str(len(q.pairs)) if shared else "1"
    for pair in q.pairs:
        set_inline(
            sub(prompts, "simpleAssociableChoice", identifier=pair.id, matchMax="1"), pair.prompt
        )
    for target, ident in targets.items():
        set_inline(
            sub(responses, "simpleAssociableChoice", identifier=ident, matchMax=match_max), target
        )
    keys = [f"{pair.id} {targets[pair.match]}" for pair in q.pairs]
    mapping = [(value, q.marks / max(len(keys), 1)) for value in keys]
    return ItemParts([el], declaration("multiple", "directedPair", keys, mapping, q.marks), "map")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """directedPair values pair a prompt of the first set with a response of the second;
    several prompts may pair with one response (a shared match)."""
    q.type = "matching"
    decl = reader.declaration(el, path)
    sets = match_sets(reader, el, path)
    if sets is None:
        return
    prompts = {i: t for i, t, _, _ in sets[0]}
    targets = {i: t for i, t, _, _ in sets[1]}
    paired = read_pairs(reader, decl, prompts, targets, _PAIRS) if decl else None
    if paired is None:
        return
    q.pairs = [PairRecord(s, prompts[s], targets[paired[s]]) for s in prompts if s in paired]
    used = set(paired.values())
    q.extra_matches = [text for ident, text in targets.items() if ident not in used]
    q.extra_matches = distinct_extras(q)


QTI = QtiHooks("matchInteraction", write_qti, read_qti)


# --- CSV/XLSX -----------------------------------------------------------------------


def read_sheet(row: SheetRow, q: QuestionRecord) -> None:
    """Pairs as `prompt => match` in option_a…option_h; extra matches split by |."""
    filled = enumerate(row.filled())
    q.pairs = [p for n, (name, t) in filled if (p := sheet_types.read_pair(row, name, t, n))]
    q.extra_matches = sheet_types.split_bars(row.cell("extra_matches"))


def write_sheet(q: QuestionRecord) -> dict[str, object]:
    """One pair per option column, and the extra matches joined by |."""
    texts = [f"{p.prompt} {PAIR_ARROW} {p.match}" for p in q.pairs]
    cells: dict[str, object] = dict(zip(OPTION_COLUMNS, texts, strict=False))
    return cells | {"extra_matches": "|".join(q.extra_matches)}


def sheet_cannot_write(q: QuestionRecord) -> Message | None:
    """More pairs than columns, or a text the cells could not tell apart."""
    if len(q.pairs) > len(OPTION_COLUMNS):
        return sheet_types.too_many(len(q.pairs))
    if any(PAIR_ARROW in p.prompt for p in q.pairs):
        return Message("sheet.arrow_in_prompt", {"arrow": PAIR_ARROW})
    if any("|" in t for t in q.extra_matches):
        return Message("sheet.bar_in_answer")
    return None


SHEET = SheetHooks(
    columns=frozenset({*OPTION_COLUMNS, "extra_matches"}),
    read=read_sheet,
    write=write_sheet,
    cannot_write=sheet_cannot_write,
)


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
