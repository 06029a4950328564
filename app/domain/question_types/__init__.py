"""The question-type registry: every item type, looked up by its key.

Formats, forms, scoring and statistics go through `get(key)`, so adding a type means
adding one module here and listing it below.
"""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds
from app.domain.question_types.base import QuestionType
from app.domain.question_types.essay import Essay
from app.domain.question_types.matching import Matching
from app.domain.question_types.multiple_response import MultipleResponse
from app.domain.question_types.ordering import Ordering
from app.domain.question_types.short_answer import ShortAnswer
from app.domain.question_types.single_choice import SingleChoice
from app.domain.question_types.true_false import TrueFalse
from app.domain.records import QuestionRecord

_REGISTRY: dict[str, QuestionType] = {
    t.key: t
    for t in (
        SingleChoice(),
        MultipleResponse(),
        TrueFalse(),
        Matching(),
        Ordering(),
        ShortAnswer(),
        Essay(),
    )
}

__all__ = ["QuestionType", "all_types", "answer_ids", "get", "keys"]


def get(key: str) -> QuestionType:
    """The question type registered under `key`; KeyError names the known keys."""
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise KeyError(f"unknown question type {key!r}; known types are: {known}") from None


def all_types() -> list[QuestionType]:
    """Every registered question type, in a stable order."""
    return list(_REGISTRY.values())


def keys() -> list[str]:
    """The keys of every registered question type."""
    return list(_REGISTRY)


def answer_ids(secret: str, position: int, q: QuestionRecord) -> AnswerIds:
    """The public ids of the parts of an attempt's item at `position` (see answer_ids.py)."""
    return AnswerIds.derive(secret, str(position), get(q.type).parts(q))
