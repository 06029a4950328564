"""Which of a bank's files a question's texts show (every format's writers ask)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.domain.assets import references
from app.domain.content import content_of
from app.domain.records import QuestionRecord


def question_references(q: QuestionRecord) -> list[str]:
    """The asset names any text of a question refers to, in order of first use."""
    found: list[str] = []
    for text in _strings(content_of(q)):
        found.extend(n for n in references(text) if n not in found)
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
