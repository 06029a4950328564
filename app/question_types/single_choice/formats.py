"""The single choice type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord
from app.formats import native_records, sheet_types
from app.formats.aiken import AikenHooks
from app.formats.gift_answers import GiftHooks, read_choice
from app.formats.gift_write import feedback, text
from app.formats.moodle_types import (
    MoodleHooks,
    MoodleItem,
    choice_answers,
    choice_options,
    is_full,
    is_single,
    write_choices,
)
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import (
    ItemParts,
    QtiHooks,
    choice_interaction,
    correct,
    is_true_false,
    max_choices,
)
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, simple_choice
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import format_number

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ("options",)


def read_native(reader: FieldReader, item: dict[str, Any], path: Path) -> dict[str, Any]:
    """The options, with their correct flags and feedback."""
    return {"options": native_records.read_options(reader, item, path)}


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The options, leaving out false flags and empty feedback."""
    return native_records.non_empty({"options": native_records.options_data(q.options)})


READ_NATIVE = read_native
WRITE_NATIVE = write_native


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


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """A multichoice with <single>true</single>: the key has fraction 100, the others 0."""
    write_choices(el, q, single=True)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """A multichoice with <single>true</single>: exactly one answer with fraction 100."""
    answers = choice_answers(item)
    full = [a for a in answers if is_full(a.fraction)]
    if len(full) != 1:
        item.error(Message("moodle.single_full", {"question": item.label, "count": len(full)}))
    for a in answers:
        if 0 < a.fraction < 100 and not is_full(a.fraction):
            params = {
                "question": item.label,
                "answer": a.number,
                "fraction": format_number(a.fraction),
            }
            item.warn(Message("moodle.single_partial", params), a.path)
    q.options = choice_options(answers, lambda a: is_full(a.fraction))


MOODLE = MoodleHooks(kind="multichoice", write=write_moodle, read=read_moodle, accepts=is_single)


# --- QTI 2.1 ------------------------------------------------------------------------

# A choiceInteraction with maxChoices 1 whose choices are not just True and False; all
# marks when the key is picked.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The options as simpleChoices, the key as the correct response."""
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxChoices", "1")
    for option in q.options:
        simple_choice(el, option.id, option.text, option.feedback)
    keys = [o.id for o in q.options if o.correct]
    return ItemParts([el], declaration("single", "identifier", keys), "match")


def claims_qti(interaction: Element) -> bool:
    """One answer allowed, among choices that are not just True and False."""
    return max_choices(interaction) == 1 and not is_true_false(interaction)


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The options, with exactly one correct."""
    decl, found = choice_interaction(reader, el, path)
    keys = correct(reader, decl, {c[0] for c in found}, el) if decl else None
    if decl is None or keys is None:
        return
    q.options = [OptionRecord(i, text, i in keys, fb) for i, text, fb, _ in found]
    q.type = "single_choice"
    if len(set(keys)) != 1:
        reader.error(Message("qti.single_correct_count", count=len(set(keys))), decl.path)


QTI = QtiHooks("choiceInteraction", write_qti, read_qti, claims=claims_qti, feedback="single")


# --- CSV/XLSX -----------------------------------------------------------------------


def read_sheet(row: SheetRow, q: QuestionRecord) -> None:
    """The options in option_a…option_h, the letters in correct, the feedback."""
    q.options = sheet_types.read_choice_options(row)


def sheet_cannot_write(q: QuestionRecord) -> Message | None:
    """More options than columns."""
    return sheet_types.too_many(len(q.options))


SHEET = SheetHooks(
    columns=sheet_types.CHOICE_COLUMNS,
    read=read_sheet,
    write=sheet_types.choice_cells,
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
