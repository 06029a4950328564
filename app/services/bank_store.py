"""Turning question records into database rows and back.

A question's content is hashed so that re-importing an unchanged question is a no-op
and a changed one gets a new immutable version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from app.domain.records import (
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)
from app.models import QuestionOption, QuestionVersion

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


def content_of(q: QuestionRecord) -> dict[str, Any]:
    """Everything that makes up a question's content, as plain JSON-ready data."""
    data = asdict(q)
    data.pop("location", None)
    data.pop("id", None)
    return data


def content_hash(q: QuestionRecord) -> str:
    """A stable digest of a question's content (same content, same hash).

    Clause tags are a set: their order does not make a new version.
    """
    content = content_of(q)
    content["clauses"] = sorted(set(q.clauses), key=_clause_order)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _clause_order(number: str) -> list[int]:
    """Sort clause numbers numerically ("8.10" after "8.9")."""
    return [int(part) if part.isdigit() else 0 for part in number.split(".")]


def body_of(q: QuestionRecord) -> dict[str, Any]:
    """The type-specific part of a question, without empty fields."""
    data = content_of(q)
    return {k: data[k] for k in BODY_FIELDS if data[k] not in _EMPTY}


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
