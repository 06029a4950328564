"""An unsaved question as a learner would see it, for the trainer's editor preview.

The views are built by the very function that builds an attempt's items
(`attempts.item_view`), under fresh opaque answer ids, so the preview cannot differ from
what a learner is shown: before answering (no key), and after checking an answer that
gives the key (the key, feedback and explanation).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.domain import question_types
from app.domain.records import QuestionRecord, ScenarioRecord
from app.models import Response
from app.queries.attempts import ItemView, NewItem, item_view


@dataclass
class Preview:
    """The item before answering and, when the question is complete, after checking."""

    before: ItemView
    after: ItemView | None


def preview(record: QuestionRecord, scenario: ScenarioRecord | None, complete: bool) -> Preview:
    """The learner's views of `record` in position 1; `complete` when it validates (only a
    complete question has a key to show)."""
    secret = secrets.token_hex(16)
    item = NewItem(position=1, version_id=0, section="", display_order=None)
    before = item_view(secret, item, record, None, scenario, False, [])
    if not complete:
        return Preview(before, None)
    kind = question_types.get(record.type)
    key = kind.correct_response(record)
    # A transient row, never added to the session: the answer that gives the key.
    answer = Response(value=key, score=kind.grade(record, key) if key is not None else None)
    after = item_view(secret, item, record, answer, scenario, True, list(record.clauses))
    return Preview(before, after)
