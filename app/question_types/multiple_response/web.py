"""Web parts of multiple response: the ticked options arrive as repeated `response`;
the editor's option rows each have their own `correct` box."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from app.domain.records import QuestionRecord
from app.web.question_type_parts import Rows, TypeWeb
from app.web.trainer.editor import option_rows, read_options

BLANK_OPTIONS = 5


def read_answer(form: MultiDict) -> list[str]:
    """The public ids of every ticked option."""
    return form.getlist("response")


def read_record(_form: Any, data: MultiDict, record: QuestionRecord) -> None:
    """The options, each ticked correct or not."""
    record.options = read_options(data, one_correct=False)


def editor_rows(record: QuestionRecord | None, posted: MultiDict | None) -> Rows:
    """The option rows to show."""
    return option_rows(record, posted, BLANK_OPTIONS)


WEB = TypeWeb(read_answer=read_answer, read_record=read_record, editor_rows=editor_rows)
