"""The ordering type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.question_types.base import normalise_text
from app.domain.records import QuestionRecord, StepRecord
from app.formats import native_records, sheet_types
from app.formats.gift_answers import GiftHooks, Reporter, leaf
from app.formats.moodle_types import (
    MoodleHooks,
    MoodleItem,
    answer,
    combined_feedback,
    settings,
)
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import ItemParts, QtiHooks, choices, correct
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, set_inline
from app.formats.sheet_model import OPTION_COLUMNS
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import sub

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ("steps",)


def read_native(reader: FieldReader, item: dict[str, Any], path: Path) -> dict[str, Any]:
    """The steps in the correct order."""
    return {"steps": native_records.read_steps(reader, item, path)}


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The steps in the correct order."""
    return native_records.non_empty({"steps": [vars(s).copy() for s in q.steps]})


READ_NATIVE = read_native
WRITE_NATIVE = write_native


# --- GIFT ---------------------------------------------------------------------------

# Moodle 4.3+ (qtype_ordering in core) reads `{>n ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST
# SHOW none` followed by one step per line, in the correct order. Its reader takes the
# step lines as they are, without undoing GIFT escapes: a step that would need one is
# not written (the question is listed as skipped).
_HEADER = re.compile(
    r">\s*(\d+)\s*(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*"
    r"(HORIZONTAL|HORI|H|VERTICAL|VERT|V|[01])?\s*"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|"
    r"RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|"
    r"RELATIVE_ALL_PREVIOUS_AND_NEXT|RELATIVE_TO_CORRECT|LONGEST_ORDERED_SUBSET|"
    r"LONGEST_CONTIGUOUS_SUBSET|RELATIVE|REL)?\s*"
    r"(SHOW|TRUE|YES|HIDE|FALSE|NO|[01])?[ \t]*(none|123|abc|ABCD|iii|IIII)?[ \t]*(?:\n|$)"
)
_SAME_RULE = {None, "RELATIVE_NEXT_EXCLUDE_LAST", "RELATIVE", "REL"}
_UNSAFE_STEP = re.compile(r"[{}\\\n]|####|^\s|\s$")


def _gift_expressible(q: QuestionRecord) -> bool:
    """Two or more steps, none empty or needing a GIFT escape."""
    return len(q.steps) >= 2 and all(s.text and not _UNSAFE_STEP.search(s.text) for s in q.steps)


def write_gift(q: QuestionRecord) -> list[str]:
    """The header Moodle's ordering type reads, then the steps in the correct order."""
    header = f"\t>{len(q.steps)} ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW none"
    return [header, *(f"\t{step.text}" for step in q.steps)]


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Steps one per line after the header; a subset or another scoring rule is a warning."""
    stripped = body.lstrip()
    found = _HEADER.match(stripped)
    if found is None:
        ctx.error(base, Message("gift.ordering_header", {"question": ctx.label}))
        return
    lines = [leaf(line) for line in stripped[found.end() :].split("\n")]
    q.steps = [StepRecord(f"s{i}", text) for i, text in enumerate(filter(None, lines), start=1)]
    if len(q.steps) < 2:
        ctx.error(base, Message("gift.ordering_steps", {"question": ctx.label}))
        return
    count, select, grading = int(found.group(1)), found.group(2), found.group(4)
    if select not in (None, "ALL", "EXACT") and count < len(q.steps):
        ctx.error(base, Message("gift.ordering_subset", {"question": ctx.label}), "warning")
    if grading not in _SAME_RULE:
        params = {"question": ctx.label, "rule": grading}
        ctx.error(base, Message("gift.ordering_rule", params), "warning")


GIFT = GiftHooks(
    kinds=("ordering",), read=read_gift, write=write_gift, expressible=_gift_expressible
)


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """Moodle's ordering type (qtype_ordering), with every element its own export writes.

    Scored by RELATIVE_NEXT_EXCLUDE_LAST, the share of the key's adjacent successions
    kept: Clausewise's rule. `shownumcorrect` must be there: without it Moodle builds
    hints with no format and its import fails.
    """
    settings(
        el,
        (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", str(len(q.steps))),
            ("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ),
    )
    combined_feedback(el, q)
    sub(el, "shownumcorrect", "1")
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

# An orderInteraction: the steps as simpleChoices, the right order as an ordered correct
# response; scored like Clausewise, by the share of neighbouring steps kept in order.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The steps, and their order as the correct response. The choices are listed, and
    numbered, in the alphabetical order of their texts: written in the key's order with
    the ids s1…sn, a player that ignores `shuffle` (or a learner reading the page's
    identifiers) would be shown the answer."""
    el = Element("orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    ranked = sorted(range(len(q.steps)), key=lambda i: (normalise_text(q.steps[i].text), i))
    numbers = {index: f"c{n}" for n, index in enumerate(ranked, start=1)}
    for index in ranked:
        set_inline(sub(el, "simpleChoice", identifier=numbers[index]), q.steps[index].text)
    steps = [numbers[i] for i in range(len(q.steps))]
    return ItemParts([el], declaration("ordered", "identifier", steps), "successions")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The steps in the order correctResponse gives."""
    q.type = "ordering"
    decl = reader.declaration(el, path)
    texts = {ident: text for ident, text, _, _ in choices(el, path, "simpleChoice")}
    keys = correct(reader, decl, set(texts), el) if decl else None
    if decl is None or keys is None or reader.failed:
        return
    if sorted(keys) != sorted(texts):
        params = {"listed": len(keys), "choices": len(texts)}
        reader.error(Message("qti.order_count", params), decl.path)
        return
    # Renumbered s1…sn in the key's order, as authored banks number them: the file's
    # identifiers are the player's business (ours are numbered alphabetically).
    q.steps = [StepRecord(f"s{n}", texts[ident]) for n, ident in enumerate(keys, start=1)]


QTI = QtiHooks("orderInteraction", write_qti, read_qti)


# --- CSV/XLSX -----------------------------------------------------------------------


def read_sheet(row: SheetRow, q: QuestionRecord) -> None:
    """The steps in option_a…option_h, in the correct order."""
    q.steps = [StepRecord(f"s{n}", t) for n, (_, t) in enumerate(row.filled(), start=1)]


def write_sheet(q: QuestionRecord) -> dict[str, object]:
    """One step per option column."""
    return dict(zip(OPTION_COLUMNS, [s.text for s in q.steps], strict=False))


def sheet_cannot_write(q: QuestionRecord) -> Message | None:
    """More steps than columns."""
    return sheet_types.too_many(len(q.steps))


SHEET = SheetHooks(
    columns=frozenset(OPTION_COLUMNS),
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
