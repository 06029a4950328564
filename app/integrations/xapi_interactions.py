"""xAPI interaction activities: each question type as the xAPI specification's
cmi.interaction definition (interactionType, choices, correctResponsesPattern …) and a
learner's stored answer in that interaction's response format.

The definitions carry the key: they go to the organization's own Learning Record Store,
read by its analysts, never to the learner (see docs/deployment.md, "xAPI").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from app.domain.records import QuestionRecord
from app.question_types.classification.domain import categories, items
from app.question_types.matching.domain import match_ids

INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
Definition = dict[str, Any]


def _text(lang: str, value: str) -> dict[str, str]:
    return {lang: value}


def _components(lang: str, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"id": i, "description": _text(lang, text)} for i, text in pairs]


def _choice(q: QuestionRecord, lang: str) -> Definition:
    right = [o.id for o in q.options if o.correct]
    return {
        "interactionType": "choice",
        "choices": _components(lang, [(o.id, o.text) for o in q.options]),
        "correctResponsesPattern": ["[,]".join(right)],
    }


def _true_false(q: QuestionRecord, lang: str) -> Definition:
    return {
        "interactionType": "true-false",
        "correctResponsesPattern": [str(bool(q.answer)).lower()],
    }


def _matching(q: QuestionRecord, lang: str) -> Definition:
    targets = match_ids(q)
    return {
        "interactionType": "matching",
        "source": _components(lang, [(p.id, p.prompt) for p in q.pairs]),
        "target": _components(lang, [(i, text) for text, i in targets.items()]),
        "correctResponsesPattern": ["[,]".join(f"{p.id}[.]{targets[p.match]}" for p in q.pairs)],
    }


def _classification(q: QuestionRecord, lang: str) -> Definition:
    its, cats = items(q), categories(q)
    pattern = "[,]".join(f"{i['id']}[.]{i['category']}" for i in its)
    return {
        "interactionType": "matching",
        "source": _components(lang, [(str(i["id"]), str(i["text"])) for i in its]),
        "target": _components(lang, [(str(c["id"]), str(c["text"])) for c in cats]),
        "correctResponsesPattern": [pattern],
    }


def _sequencing(q: QuestionRecord, lang: str) -> Definition:
    return {
        "interactionType": "sequencing",
        "choices": _components(lang, [(s.id, s.text) for s in q.steps]),
        "correctResponsesPattern": ["[,]".join(s.id for s in q.steps)],
    }


def _fill_in(q: QuestionRecord, lang: str) -> Definition:
    # Each accepted answer is one pattern; case does not matter (nor spacing, which
    # the pattern syntax cannot say).
    return {
        "interactionType": "fill-in",
        "correctResponsesPattern": [f"{{case_matters=false}}{a}" for a in q.answers],
    }


def _long_fill_in(q: QuestionRecord, lang: str) -> Definition:
    return {"interactionType": "long-fill-in"}  # marked by a trainer: no pattern


DEFINITIONS: dict[str, Callable[[QuestionRecord, str], Definition]] = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _true_false,
    "matching": _matching,
    "classification": _classification,
    "ordering": _sequencing,
    "short_answer": _fill_in,
    "essay": _long_fill_in,
}


def definition(q: QuestionRecord, lang: str, name: str) -> Definition:
    """The activity definition of a question: its stem, and its interaction (a type
    this module does not know is an `other` interaction)."""
    build = DEFINITIONS.get(q.type)
    interaction = build(q, lang) if build else {"interactionType": "other"}
    return {
        "type": INTERACTION,
        "name": _text(lang, name),
        "description": _text(lang, q.stem),
        **interaction,
    }


def response(q: QuestionRecord, value: Any) -> str:
    """A stored answer in the interaction's response format ('' when unanswered)."""
    if value is None:
        return ""
    if q.type == "single_choice":
        return str(value)
    if q.type in ("multiple_response", "ordering"):
        return "[,]".join(str(v) for v in value)
    if q.type == "true_false":
        return str(bool(value)).lower()
    if q.type == "matching":
        targets = match_ids(q)
        return "[,]".join(f"{p}[.]{targets.get(m, m)}" for p, m in value.items())
    if q.type == "classification":
        return "[,]".join(f"{i}[.]{c}" for i, c in value.items())
    if q.type in ("short_answer", "essay"):
        return str(value)
    return json.dumps(value, sort_keys=True)
