"""Which questions a custom practice set may draw: those a learner has not seen, missed
last time or flagged.

Nothing here says more than the learner may already see: missed answers of a mock exam
whose review is still closed are left out, as they are from review sets.
"""

from __future__ import annotations

from sqlalchemy import select

from app.analytics.history import missed_last_time
from app.extensions import db
from app.models import Attempt, AttemptItem, Question, QuestionVersion

ONLY = ("unseen", "missed", "flagged")  # the filters a custom set offers ("" = all)


def _keys(user_id: int, *, flagged: bool = False) -> set[str]:
    """Keys of the questions shown to the learner in any attempt (only flagged ones)."""
    stmt = (
        select(Question.key)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id)
    )
    if flagged:
        stmt = stmt.where(AttemptItem.flagged.is_(True))
    return set(db.session.scalars(stmt))


def filter_keys(user_id: int, only: str, pool: set[str]) -> set[str]:
    """The keys of `pool` that pass the filter `only` (one of ONLY)."""
    if only == "unseen":
        return pool - _keys(user_id)
    if only == "missed":
        return pool & missed_last_time(user_id)
    if only == "flagged":
        return pool & _keys(user_id, flagged=True)
    raise ValueError(f"unknown filter {only!r}")


def filter_counts(user_id: int, pool: set[str]) -> dict[str, int]:
    """How many questions of `pool` each filter leaves."""
    return {only: len(filter_keys(user_id, only, pool)) for only in ONLY}
