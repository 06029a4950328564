"""The essay type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord, RubricCriterion
from app.formats.grader_notes import grader_notes_html, read_grader_notes
from app.formats.html_markdown import Node, html_to_markdown, parse_html
from app.formats.moodle_types import MoodleHooks, MoodleItem, holder, settings
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import format_number

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------

GIFT = None


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
    for problem in notes.errors:
        item.error(
            Message("moodle.grader_notes", {"question": item.label, "problem": problem}),
            f"{item.path}/graderinfo",
        )
    q.model_answer = notes.model_answer
    if notes.has_rubric and not notes.rubric and not notes.errors:
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
