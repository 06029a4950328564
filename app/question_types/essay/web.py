"""Web parts of essay: the editor's marking rubric and model answer.

The learner's answer is the one `response` field (the default reader).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField

from app.domain.records import QuestionRecord, RubricCriterion
from app.web.question_type_parts import Rows, TypeWeb
from app.web.trainer.editor import rows_of, shown_rows

BLANK_CRITERIA = 3
FIELDS = {"model_answer": TextAreaField(_l("Model answer"))}


def _marks(value: str) -> float:
    """A rubric line's marks; 0 when not a number (validation then says so)."""
    try:
        return float(value)
    except ValueError:
        return 0.0


def read_record(form: Any, data: MultiDict, record: QuestionRecord) -> None:
    """The rubric (rows `rubric-<n>-criterion`, `-marks`, `-guidance`), whose total
    becomes the question's marks, and the model answer."""
    record.rubric = [
        RubricCriterion(r.get("criterion", ""), _marks(r.get("marks", "")), r.get("guidance", ""))
        for r in rows_of(data, "rubric")
    ]
    record.model_answer = (form.model_answer.data or "").strip()
    if record.rubric:
        record.marks = sum(c.marks for c in record.rubric)


def fill_form(form: Any, record: QuestionRecord) -> None:
    """A stored question's model answer."""
    form.model_answer.data = record.model_answer


def _criterion(c: RubricCriterion) -> dict[str, Any]:
    return {"criterion": c.criterion, "marks": c.marks, "guidance": c.guidance}


def editor_rows(record: QuestionRecord | None, posted: MultiDict | None) -> Rows:
    """The rubric rows to show."""
    found = rows_of(posted, "rubric") if posted is not None else None
    return {
        "rubric": shown_rows(record.rubric if record else None, found, BLANK_CRITERIA, _criterion)
    }


WEB = TypeWeb(
    editor_fields=FIELDS,
    read_record=read_record,
    fill_form=fill_form,
    editor_rows=editor_rows,
    marks_help=_l("Essays: the rubric total."),
)
