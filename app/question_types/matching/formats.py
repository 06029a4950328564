"""The matching type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import PairRecord, QuestionRecord
from app.formats import native_records, sheet_types
from app.formats.moodle_types import MoodleHooks, MoodleItem, rich_text, sub
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.sheet_model import OPTION_COLUMNS, PAIR_ARROW
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats

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

GIFT = None


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """One subquestion per pair, then one without text per extra match."""
    sub(el, "shuffleanswers", "true")
    rows = [(p.prompt, p.match) for p in q.pairs] + [("", m) for m in q.extra_matches]
    for prompt, match in rows:
        subquestion = sub(el, "subquestion", format="markdown")
        sub(subquestion, "text", prompt)
        sub(sub(subquestion, "answer"), "text", match)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """Matching: subquestions with text are pairs, those without text extra matches."""
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
    if len(q.pairs) < 2:
        item.error(
            Message("moodle.matching_pairs", {"question": item.label, "count": len(q.pairs)})
        )


MOODLE = MoodleHooks(kind="matching", write=write_moodle, read=read_moodle)


# --- QTI 2.1 ------------------------------------------------------------------------

QTI = None


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
