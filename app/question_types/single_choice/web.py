"""Web parts of single choice: the editor's option rows with one radio group for the key.

The learner's answer is the one `response` field (the default reader).
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from app.domain.records import QuestionRecord
from app.web.question_type_parts import Rows, TypeWeb
from app.web.trainer.editor import option_rows, read_options

BLANK_OPTIONS = 4


def read_record(_form: Any, data: MultiDict, record: QuestionRecord) -> None:
    """The options; `correct` holds the number of the row chosen as the key."""
    record.options = read_options(data, one_correct=True)


def editor_rows(record: QuestionRecord | None, posted: MultiDict | None) -> Rows:
    """The option rows to show."""
    return option_rows(record, posted, BLANK_OPTIONS)


WEB = TypeWeb(read_record=read_record, editor_rows=editor_rows)
