"""The short answer type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats import native_records, sheet_types
from app.formats.gift_answers import GiftHooks, Reporter, answers
from app.formats.gift_write import text
from app.formats.moodle_types import (
    MoodleHooks,
    MoodleItem,
    answer,
    flag,
    is_full,
)
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import ItemParts, QtiHooks
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import format_number, sub

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ("answers",)


def read_native(reader: FieldReader, item: dict[str, Any], path: Path) -> dict[str, Any]:
    """The accepted answers."""
    return {"answers": reader.texts(item, path, "answers")}


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The accepted answers."""
    return native_records.non_empty({"answers": list(q.answers)})


READ_NATIVE = read_native
WRITE_NATIVE = write_native


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

# A textEntryInteraction in a paragraph of its own; every accepted answer is a mapping
# entry worth all the marks (case-insensitive), the first is also the correct response.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The text entry, and the accepted answers as a mapping."""
    el = Element("textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="30")
    paragraph = Element("p")
    paragraph.append(el)
    mapping = [(answer, q.marks) for answer in q.answers]
    answers = declaration("single", "string", q.answers[:1], mapping, q.marks)
    return ItemParts([paragraph], answers, "map")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """correctResponse values and positively mapped keys are accepted."""
    q.type = "short_answer"
    decl = reader.declaration(el, path)
    if decl is None:
        return
    found = [v for v, _ in decl.correct] + [k for k, mapped, _ in decl.mapping if mapped > 0]
    q.answers = list(dict.fromkeys(a for a in found if a))
    if not q.answers:
        reader.error(Message("qti.no_accepted_answer", {"declaration": decl.identifier}), decl.path)


QTI = QtiHooks("textEntryInteraction", write_qti, read_qti)


# --- CSV/XLSX -----------------------------------------------------------------------


def read_sheet(row: SheetRow, q: QuestionRecord) -> None:
    """The accepted answers, split by |."""
    q.answers = sheet_types.split_bars(row.cell("answers"))


def write_sheet(q: QuestionRecord) -> dict[str, object]:
    """The accepted answers joined by |."""
    return {"answers": "|".join(q.answers)}


def sheet_cannot_write(q: QuestionRecord) -> Message | None:
    """An answer that holds the separator."""
    return Message("sheet.bar_in_answer") if any("|" in t for t in q.answers) else None


SHEET = SheetHooks(
    columns=frozenset({"answers"}),
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
