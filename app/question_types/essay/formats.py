"""The essay type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from typing import Any

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats import native_records, sheet_types
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.sheet_model import plain
from app.formats.sheet_types import SheetHooks, SheetRow
from app.formats.type_formats import TypeFormats

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

GIFT = None


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------

MOODLE = None


# --- QTI 2.1 ------------------------------------------------------------------------

QTI = None


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
