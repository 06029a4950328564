"""The multiple response type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord
from app.formats import native_records, sheet_types
from app.formats.gift_answers import GiftHooks, read_choice
from app.formats.gift_write import feedback, percent, text
from app.formats.moodle_types import (
    MoodleHooks,
    MoodleItem,
    choice_answers,
    choice_options,
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
    max_choices,
)
from app.formats.qti_model import ItemReader, attr
from app.formats.qti_write import declaration, simple_choice
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats

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
    """Two or more options, each with text, two or more of them right."""
    options = len(q.options) >= 2 and all(o.text.strip() for o in q.options)
    return options and sum(o.correct for o in q.options) >= 2


def write_gift(q: QuestionRecord) -> list[str]:
    """`~%w%` answers: the k right ones earn 100/k each, the w wrong ones cost 100/w each.

    Moodle adds the weights of the ticked answers and keeps the sum within 0..100: the
    share Clausewise gives (`partial_credit`), for every set of ticks. Ticking
    everything earns nothing.
    """
    right = sum(o.correct for o in q.options)
    wrong = len(q.options) - right
    return [
        f"\t~%{percent(100 / right if o.correct else -100 / max(wrong, 1))}%"
        f"{text(o.text)}{feedback(o.feedback)}"
        for o in q.options
    ]


# A choice block whose positive weights make two or more answers right.
GIFT = GiftHooks(
    kinds=("weighted_choice",), read=read_choice, write=write_gift, expressible=_gift_expressible
)


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """A multichoice with <single>false</single>; wrong picks cost marks."""
    write_choices(el, q, single=False)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """A multichoice with <single>false</single>: the answers with a positive fraction.

    With only one such answer it is read as single choice, with a warning.
    """
    answers = choice_answers(item)
    right = [a for a in answers if a.fraction > 0]
    if not right:
        item.error(Message("moodle.multiple_none_right", {"question": item.label}))
    elif len(right) == len(answers):
        item.error(Message("moodle.multiple_all_right", {"question": item.label}))
    elif len(right) == 1:
        q.type = "single_choice"
        item.warn(Message("moodle.multiple_one_right", {"question": item.label}))
    q.options = choice_options(answers, lambda a: a.fraction > 0)


def _moodle_multiple(el: Element) -> bool:
    return not is_single(el)


MOODLE = MoodleHooks(
    kind="multichoice", write=write_moodle, read=read_moodle, accepts=_moodle_multiple
)


# --- QTI 2.1 ------------------------------------------------------------------------

# A choiceInteraction with maxChoices 0 (any number); the fallback for choiceInteractions
# the other choice types do not claim. Scored by mapResponse: each key earns its share of
# the marks and each wrong pick costs its share, so ticking every choice never earns all.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The options, the keys as correct responses, and a mapping that prices each pick."""
    el = Element("choiceInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxChoices", "0")
    for option in q.options:
        simple_choice(el, option.id, option.text, option.feedback)
    keys = [o.id for o in q.options if o.correct]
    # Wrong picks cost marks so that ticking every choice never earns full marks.
    right, wrong = len(keys) or 1, (len(q.options) - len(keys)) or 1
    mapping = [(o.id, q.marks / right if o.correct else -q.marks / wrong) for o in q.options]
    return ItemParts([el], declaration("multiple", "identifier", keys, mapping, q.marks), "map")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """The options; one correct choice reads as single choice, all correct is an error."""
    decl, found = choice_interaction(reader, el, path)
    if max_choices(el) is None:
        value = attr(el, "maxChoices") or "1"
        reader.error(Message("qti.max_choices", {"value": value}), path)
        return
    keys = correct(reader, decl, {c[0] for c in found}, el) if decl else None
    if keys is None:
        return
    q.options = [OptionRecord(i, text, i in keys, fb) for i, text, fb, _ in found]
    q.type = "multiple_response"
    if len(set(keys)) == 1:
        q.type = "single_choice"
        reader.warn(Message("qti.read_as_single"), path)
    elif len(set(keys)) >= len(found):
        reader.error(Message("qti.all_correct"), path)


QTI = QtiHooks("choiceInteraction", write_qti, read_qti, feedback="multiple")


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
