"""The question-type registry: every item type, looked up by its key.

Formats, forms, scoring and statistics go through `get(key)`. The types themselves are
plug-in packages under app/question_types/ (see its __init__); this registry imports the
`domain` part of each, which is pure, so the domain layer stays free of frameworks.
"""

from __future__ import annotations

from functools import cache

from app import question_types as plugins
from app.domain.answer_ids import AnswerIds
from app.domain.messages import Text
from app.domain.question_types.base import QuestionType
from app.domain.records import QuestionRecord


@cache
def _registry() -> dict[str, QuestionType]:
    """Every plug-in's `domain.TYPE` by key, loaded on first use, in `sort_order`."""
    found: list[QuestionType] = []
    for package in plugins.packages():
        domain = plugins.part(package, "domain")
        if domain is None:
            raise RuntimeError(f"question-type plug-in {package!r} has no domain.py")
        kind: QuestionType = domain.TYPE
        if kind.key != package:
            raise RuntimeError(f"plug-in package {package!r} registers the key {kind.key!r}")
        found.append(kind)
    return {t.key: t for t in sorted(found, key=lambda t: (t.sort_order, t.key))}


__all__ = ["QuestionType", "all_types", "answer_ids", "get", "keys", "texts"]


def get(key: str) -> QuestionType:
    """The question type registered under `key`; KeyError names the known keys."""
    try:
        return _registry()[key]
    except KeyError:
        known = ", ".join(_registry())
        raise KeyError(f"unknown question type {key!r}; known types are: {known}") from None


def all_types() -> list[QuestionType]:
    """Every registered question type, in a stable order."""
    return list(_registry().values())


def keys() -> list[str]:
    """The keys of every registered question type."""
    return list(_registry())


def answer_ids(secret: str, position: int, q: QuestionRecord) -> AnswerIds:
    """The public ids of the parts of an attempt's item at `position` (see answer_ids.py)."""
    return AnswerIds.derive(secret, str(position), get(q.type).parts(q))


def texts() -> dict[str, Text]:
    """The sentences of every type's message codes: the shared checks' and each plug-in's.

    A plug-in's `domain.py` may define `TEXTS` (code -> `N_(...)` or `ngettext(...)`);
    its codes start with the type key, so no two plug-ins can collide.
    """
    from app.domain.question_types import base

    found: dict[str, Text] = dict(getattr(base, "TEXTS", {}))
    for package in plugins.packages():
        domain = plugins.part(package, "domain")
        found.update(getattr(domain, "TEXTS", {}))
    return found
