"""Web parts of multiple response: the ticked options arrive as repeated `response`."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.web.question_type_parts import TypeWeb


def read_answer(form: MultiDict) -> list[str]:
    """The public ids of every ticked option."""
    return form.getlist("response")


WEB = TypeWeb(read_answer=read_answer)
