"""Web parts of short answer: the editor's accepted answers, one per line.

The learner's answer is the one `response` field (the default reader).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField

from app.domain.records import QuestionRecord
from app.web.question_type_parts import TypeWeb
from app.web.trainer.editor import lines

FIELDS = {
    "answers": TextAreaField(_l("Accepted answers (one per line; case and spacing are ignored)"))
}


def read_record(form: Any, _data: MultiDict, record: QuestionRecord) -> None:
    """The accepted answers."""
    record.answers = lines(form.answers.data)


def fill_form(form: Any, record: QuestionRecord) -> None:
    """A stored question's accepted answers."""
    form.answers.data = "\n".join(record.answers)


WEB = TypeWeb(editor_fields=FIELDS, read_record=read_record, fill_form=fill_form)
