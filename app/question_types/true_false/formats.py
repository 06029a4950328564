"""The true false type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats import native_records
from app.formats.gift_answers import TRUE_FALSE, GiftHooks, Reporter, leaf
from app.formats.gift_write import text
from app.formats.moodle_types import MoodleHooks, MoodleItem, answer
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import (
    ItemParts,
    QtiHooks,
    choice_interaction,
    correct,
    is_true_false,
)
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, simple_choice
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ("answer", "feedback_true", "feedback_false")


def read_native(reader: FieldReader, item: dict[str, Any], path: Path) -> dict[str, Any]:
    """The key (true or false) and the feedback for each answer."""
    return {
        "answer": reader.boolean(item, path, "answer", None),
        "feedback_true": native_records.read_text(reader, item, path, "feedback_true"),
        "feedback_false": native_records.read_text(reader, item, path, "feedback_false"),
    }


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The key and any feedback."""
    fields = {"answer": q.answer, "feedback_true": q.feedback_true}
    return native_records.non_empty(fields | {"feedback_false": q.feedback_false})


READ_NATIVE = read_native
WRITE_NATIVE = write_native


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

# A choiceInteraction with maxChoices 1 and two choices, True and False (a foreign item
# with just those two choices reads as true/false too).


def write_qti(q: QuestionRecord) -> ItemParts:
    """True and False in that order, each with its feedback."""
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="false")
    el.set("maxChoices", "1")
    simple_choice(el, "true", "True", q.feedback_true)
    simple_choice(el, "false", "False", q.feedback_false)
    keys = ["true" if q.answer else "false"]
    return ItemParts([el], declaration("single", "identifier", keys), "match")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The answer is whether the True choice is the correct one."""
    decl, found = choice_interaction(reader, el, path)
    keys = correct(reader, decl, {c[0] for c in found}, el) if decl else None
    if keys is None:
        return
    by_text = {text.strip().lower(): (ident, feedback) for ident, text, feedback, _ in found}
    q.type = "true_false"
    q.answer = by_text["true"][0] in keys
    q.feedback_true, q.feedback_false = by_text["true"][1], by_text["false"][1]
    if len(set(keys)) != 1:
        reader.error(Message("qti.true_false_correct"), decl.path if decl else path)


QTI = QtiHooks("choiceInteraction", write_qti, read_qti, claims=is_true_false, feedback="single")


# --- CSV/XLSX -----------------------------------------------------------------------

_WORDS = {"true": True, "t": True, "yes": True, "false": False, "f": False, "no": False}


def read_sheet(row: SheetRow, q: QuestionRecord) -> None:
    """The key in correct (true or false) and the feedback in feedback_a and feedback_b."""
    q.answer = _truth(row, row.cell("correct"))
    q.feedback_true = row.cell("feedback_a")
    q.feedback_false = row.cell("feedback_b")


def _truth(row: SheetRow, text: str) -> bool | None:
    """The key of a true/false question."""
    if not text.strip():
        return None
    if text.strip().lower() in _WORDS:
        return _WORDS[text.strip().lower()]
    row.report("correct", Message("sheet.true_false", {"found": repr(text.strip())}))
    return None


def write_sheet(q: QuestionRecord) -> dict[str, object]:
    """The key as true or false, and the feedback."""
    correct = "" if q.answer is None else str(q.answer).lower()
    return {"correct": correct, "feedback_a": q.feedback_true, "feedback_b": q.feedback_false}


SHEET = SheetHooks(
    columns=frozenset({"correct", "feedback_a", "feedback_b"}),
    read=read_sheet,
    write=write_sheet,
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
