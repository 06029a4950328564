"""The essay type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from app.domain.messages import Message
from app.domain.records import QuestionRecord, RubricCriterion
from app.formats import native_records, sheet_types
from app.formats.gift_answers import GiftHooks, Reporter
from app.formats.grader_notes import grader_notes_html, read_grader_notes
from app.formats.html_markdown import html_to_markdown
from app.formats.html_tree import Node, element_node, parse_html
from app.formats.moodle_types import MoodleHooks, MoodleItem, holder, settings
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import ItemParts, QtiHooks
from app.formats.qti_model import ItemReader, attr, descendants, kind
from app.formats.qti_write import XML_INVALID, declaration
from app.formats.sheet_model import plain
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import format_number

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ("rubric", "model_answer")


def read_native(reader: FieldReader, item: dict[str, Any], path: Path) -> dict[str, Any]:
    """The rubric lines, the model answer, and the rubric's total as the default marks."""
    rubric = native_records.read_rubric(reader, item, path)
    return {
        "rubric": rubric,
        "model_answer": native_records.read_text(reader, item, path, "model_answer"),
        "marks": sum(c.marks for c in rubric) if rubric else 1.0,
    }


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The marks (always: they are the rubric's total), the rubric and the model answer."""
    fields = {"marks": native_records.plain_number(q.marks)}
    rubric = native_records.rubric_data(q.rubric)
    return fields | native_records.non_empty({"rubric": rubric, "model_answer": q.model_answer})


READ_NATIVE = read_native
WRITE_NATIVE = write_native


# --- GIFT ---------------------------------------------------------------------------


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """An empty answer block: rubric and model answer come from the metadata comment."""


def write_gift(q: QuestionRecord) -> list[str]:
    """Nothing between the braces."""
    return []


GIFT = GiftHooks(kinds=("essay",), read=read_gift, write=write_gift)


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """An editor response; rubric and model answer in the grader information only."""
    settings(
        el,
        (
            ("responseformat", "editor"),
            ("responserequired", "1"),
            ("responsefieldlines", "15"),
            ("attachments", "0"),
            ("attachmentsrequired", "0"),
        ),
    )
    holder(el, "graderinfo", grader_notes_html(q.rubric, q.model_answer), "html")
    holder(el, "responsetemplate", "", "html")


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """Essay: rubric and model answer from the grader information."""
    info = item.el.find("graderinfo")
    raw = "" if info is None else info.findtext("text") or ""
    is_html = info is not None and (info.get("format") or "html").lower() == "html"
    notes = read_grader_notes(parse_html(raw) if is_html else Node("#root"))
    for problem in notes.problems:
        item.error(
            Message("moodle.grader_notes", {"question": item.label, "problem": problem}),
            f"{item.path}/graderinfo",
        )
    q.model_answer = notes.model_answer
    if notes.has_rubric and not notes.rubric and not notes.problems:
        item.error(
            Message("moodle.rubric_empty", {"question": item.label}), f"{item.path}/graderinfo"
        )
    if notes.rubric:
        total = sum(c.marks for c in notes.rubric)
        if item.el.find("defaultgrade") is not None and abs(total - q.marks) > 1e-6:
            params = {
                "question": item.label,
                "grade": format_number(q.marks),
                "total": format_number(total),
            }
            item.warn(Message("moodle.rubric_total", params))
        q.rubric, q.marks = notes.rubric, total
        return
    if not notes.has_rubric:
        guidance = html_to_markdown(raw) if is_html else raw.strip()
        q.rubric = [RubricCriterion("Overall answer", q.marks, guidance)]
        item.warn(
            Message("moodle.rubric_made", {"question": item.label, "marks": format_number(q.marks)})
        )


MOODLE = MoodleHooks(kind="essay", write=write_moodle, read=read_moodle)


# --- QTI 2.1 ------------------------------------------------------------------------

# An extendedTextInteraction, scored by a person: no response processing. The rubric and
# model answer go to a `rubricBlock view="scorer"` before it, and also to the manifest's
# `<cw:question>` metadata.


def write_qti(q: QuestionRecord) -> ItemParts:
    """The scorer's rubricBlock, then the text box."""
    block = Element("rubricBlock", view="scorer")
    notes = grader_notes_html(q.rubric, XML_INVALID.sub("", q.model_answer))
    block.extend(list(SafeET.fromstring(f"<div>{notes}</div>")))
    el = Element("extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="10")
    return ItemParts([block, el], declaration("single", "string", []), None)


def qti_metadata(q: QuestionRecord) -> dict[str, Any]:
    """The rubric and model answer, for the manifest."""
    rubric = [
        {"criterion": c.criterion, "marks": c.marks, "guidance": c.guidance} for c in q.rubric
    ]
    return {"rubric": rubric, "model_answer": q.model_answer}


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Rubric and model answer from a scorer rubricBlock written by Clausewise."""
    q.type = "essay"
    body = next(e for e in reader.root if kind(e) == "itemBody")
    blocks = [e for e, _ in descendants(body, "") if kind(e) == "rubricBlock"]
    scorer = [b for b in blocks if "scorer" in (attr(b, "view") or "").split()]
    decl = reader.declarations.get(attr(el, "responseIdentifier") or "")
    for block in scorer:
        notes = read_grader_notes(element_node(block))
        for message in notes.problems:
            reader.error(message, path)
        if notes.rubric:
            q.rubric = notes.rubric
        q.model_answer = notes.model_answer or q.model_answer
    if not q.model_answer and decl is not None and decl.correct:
        q.model_answer = "\n".join(v for v, _ in decl.correct)
    if q.rubric:
        q.marks = sum(c.marks for c in q.rubric)
        return
    q.rubric = [RubricCriterion("Overall answer", q.marks, "")]
    reader.hold_rubric_warning(Message("qti.no_rubric", {"marks": format_number(q.marks)}), path)


QTI = QtiHooks("extendedTextInteraction", write_qti, read_qti, metadata=qti_metadata)


# --- CSV/XLSX -----------------------------------------------------------------------


def read_sheet(row: SheetRow, q: QuestionRecord) -> None:
    """Rubric lines `criterion | marks | guidance`, and the model answer."""
    q.rubric = sheet_types.read_rubric(row, row.cell("rubric"))
    q.model_answer = row.cell("model_answer")


def write_sheet(q: QuestionRecord) -> dict[str, object]:
    """The marks (always), the rubric one line per criterion, and the model answer."""
    rubric = "\n".join(sheet_types.rubric_line(c) for c in q.rubric)
    return {"marks": plain(q.marks), "rubric": rubric, "model_answer": q.model_answer}


def sheet_cannot_write(q: QuestionRecord) -> Message | None:
    """A rubric line the cell could not hold."""
    if any("|" in c.criterion or "\n" in c.criterion + c.guidance for c in q.rubric):
        return Message("sheet.rubric_breaks")
    return None


SHEET = SheetHooks(
    columns=frozenset({"rubric", "model_answer"}),
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
