"""Turning question records into database rows and back.

A question's content is hashed so that re-importing an unchanged question is a no-op
and a changed one gets a new immutable version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.domain.records import (
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
    clause_sort_key,
)
from app.models import QuestionOption, QuestionVersion
from app.models.base import utcnow

# Type-specific fields kept in QuestionVersion.body.
BODY_FIELDS = (
    "answer",
    "feedback_true",
    "feedback_false",
    "pairs",
    "extra_matches",
    "steps",
    "answers",
    "rubric",
    "model_answer",
)
_EMPTY: tuple[Any, ...] = (None, "", [], {})


_SCALARS = (
    "type",
    "stem",
    "level",
    "edition",
    "difficulty",
    "marks",
    "title",
    "explanation",
    "scenario",
    "answer",
    "feedback_true",
    "feedback_false",
    "model_answer",
)
_LISTS = ("clauses", "tags", "extra_matches", "answers")
_RECORD_LISTS = ("options", "pairs", "steps", "rubric")


def content_of(q: QuestionRecord) -> dict[str, Any]:
    """Everything that makes up a question's content, as plain JSON-ready data.

    Built by hand rather than with dataclasses.asdict: imports call this for every
    question and asdict's deep copies cost more than the database writes.
    """
    data: dict[str, Any] = {name: getattr(q, name) for name in _SCALARS}
    for name in _LISTS:
        data[name] = list(getattr(q, name))
    for name in _RECORD_LISTS:
        data[name] = [dict(vars(item)) for item in getattr(q, name)]
    return data


def content_hash(q: QuestionRecord, content: dict[str, Any] | None = None) -> str:
    """A stable digest of a question's content (same content, same hash).

    Clause tags are a set: their order does not make a new version.
    """
    content = dict(content or content_of(q))
    content["clauses"] = sorted(set(q.clauses), key=clause_sort_key)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def body_of(q: QuestionRecord, content: dict[str, Any] | None = None) -> dict[str, Any]:
    """The type-specific part of a question, without empty fields."""
    data = content or content_of(q)
    return {k: data[k] for k in BODY_FIELDS if data[k] not in _EMPTY}


def version_row(
    q: QuestionRecord, question_id: int, number: int, scenario_id: int | None, author: int | None
) -> dict[str, Any]:
    """The column values of a new version row (for bulk inserts)."""
    content = content_of(q)
    return {
        "question_id": question_id,
        "number": number,
        "content_hash": content_hash(q, content),
        "type": q.type,
        "level": q.level,
        "edition": q.edition,
        "difficulty": q.difficulty,
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
        type=q.type,
        level=q.level,
        edition=q.edition,
        difficulty=q.difficulty,
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


def record_of(
    key: str, version: QuestionVersion, clauses: list[str], scenario_key: str | None
) -> QuestionRecord:
    """Rebuild the question record a version stores (for export and grading)."""
    body = version.body or {}
    return QuestionRecord(
        id=key,
        type=version.type,
        stem=version.stem,
        level=version.level,
        clauses=clauses,
        edition=version.edition,
        difficulty=version.difficulty,
        marks=version.marks,
        title=version.title,
        explanation=version.explanation,
        tags=list(version.tags or []),
        scenario=scenario_key,
        options=[OptionRecord(o.key, o.text, o.correct, o.feedback) for o in version.options],
        answer=body.get("answer"),
        feedback_true=body.get("feedback_true", ""),
        feedback_false=body.get("feedback_false", ""),
        pairs=[PairRecord(**p) for p in body.get("pairs", [])],
        extra_matches=list(body.get("extra_matches", [])),
        steps=[StepRecord(**s) for s in body.get("steps", [])],
        answers=list(body.get("answers", [])),
        rubric=[RubricCriterion(**r) for r in body.get("rubric", [])],
        model_answer=body.get("model_answer", ""),
    )
