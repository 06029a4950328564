"""Turning question records into database rows and back.

A question's content is hashed so that re-importing an unchanged question is a no-op
and a changed one gets a new immutable version; its translatable texts are hashed too
(`source_hash`), so that queries can tell which translations are current for it.
"""

from __future__ import annotations

from typing import Any

from app.domain import translation
from app.domain.content import BODY_FIELDS, body_of, content_hash, content_of
from app.domain.records import QuestionRecord
from app.models import QuestionOption, QuestionVersion
from app.models.base import utcnow

__all__ = ["BODY_FIELDS", "body_of", "content_hash", "content_of", "new_version", "version_row"]


def version_row(
    q: QuestionRecord, question_id: int, number: int, scenario_id: int | None, author: int | None
) -> dict[str, Any]:
    """The column values of a new version row (for bulk inserts)."""
    content = content_of(q)
    return {
        "question_id": question_id,
        "number": number,
        "content_hash": content_hash(q, content),
        "source_hash": translation.source_hash(q),
        "type": q.type,
        "level": q.level,
        "edition": q.edition,
        "difficulty": q.difficulty,
        "cognitive": q.cognitive,
        "marks": q.marks,
        "title": q.title,
        "stem": q.stem,
        "explanation": q.explanation,
        "body": body_of(q, content),
        "tags": list(q.tags),
        "scenario_id": scenario_id,
        "created_by_id": author,
        "created_at": utcnow(),
    }


def new_version(q: QuestionRecord, number: int, scenario_id: int | None) -> QuestionVersion:
    """An unsaved version row (with its option rows) holding the record's content."""
    version = QuestionVersion(
        number=number,
        content_hash=content_hash(q),
        source_hash=translation.source_hash(q),
        type=q.type,
        level=q.level,
        edition=q.edition,
        difficulty=q.difficulty,
        cognitive=q.cognitive,
        marks=q.marks,
        title=q.title,
        stem=q.stem,
        explanation=q.explanation,
        body=body_of(q),
        tags=list(q.tags),
        scenario_id=scenario_id,
    )
    version.options = [
        QuestionOption(key=o.id, position=i, text=o.text, correct=o.correct, feedback=o.feedback)
        for i, o in enumerate(q.options)
    ]
    return version
