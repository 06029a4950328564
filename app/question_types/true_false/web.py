"""Web parts of true/false: the editor's key and the feedback for each answer.

The learner's answer is the one `response` field (the default reader).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs

from app.domain.records import QuestionRecord
from app.web.question_type_parts import TypeWeb

FIELDS = {
    "answer": SelectField(
        _l("Is the statement true or false?"),
        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
        default="true",
    ),
    "feedback_true": TextAreaField(_l("Feedback for “true”")),
    "feedback_false": TextAreaField(_l("Feedback for “false”")),
}


def read_record(form: Any, _data: MultiDict, record: QuestionRecord) -> None:
    """The key and the feedback for each answer."""
    record.answer = form.answer.data == "true"
    record.feedback_true = (form.feedback_true.data or "").strip()
    record.feedback_false = (form.feedback_false.data or "").strip()


def fill_form(form: Any, record: QuestionRecord) -> None:
    """A stored question's key and feedback."""
    form.answer.data = "true" if record.answer else "false"
    form.feedback_true.data = record.feedback_true
    form.feedback_false.data = record.feedback_false


WEB = TypeWeb(editor_fields=FIELDS, read_record=read_record, fill_form=fill_form)
