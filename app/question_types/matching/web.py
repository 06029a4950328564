"""Web parts of matching: one `match-<prompt id>` select per prompt."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.web.question_type_parts import TypeWeb


def read_answer(form: MultiDict) -> dict[str, str]:
    """Public prompt id -> chosen public match id, for the prompts given a match."""
    return {
        name.removeprefix("match-"): value
        for name, value in form.items()
        if name.startswith("match-") and value
    }


WEB = TypeWeb(read_answer=read_answer)
