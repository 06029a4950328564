"""A question's content as plain data: what is hashed, and what goes into a version's body.

A question's content is hashed so that re-importing an unchanged question is a no-op
and a changed one gets a new immutable version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.domain.records import COMBINED_FEEDBACK, QuestionRecord, clause_sort_key

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
    "data",
    "correct_feedback",
    "partial_feedback",
    "incorrect_feedback",
    "hints",
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
    # A plug-in type's own fields; left out when empty so that the hashes of questions
    # written before plug-ins had fields of their own stay the same.
    if q.data:
        data["data"] = dict(q.data)
    # Likewise the cognitive level, which questions written before it existed lack.
    if q.cognitive is not None:
        data["cognitive"] = q.cognitive
    # Likewise combined feedback and hints: each only when the question has it.
    for name in COMBINED_FEEDBACK:
        if getattr(q, name):
            data[name] = getattr(q, name)
    if q.hints:
        data["hints"] = [dict(vars(hint)) for hint in q.hints]
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
    return {k: data[k] for k in BODY_FIELDS if data.get(k) not in _EMPTY}
