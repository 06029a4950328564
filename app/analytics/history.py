"""A learner's own answer history: what they saw recently, what is due, where they are weak."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, not_, select

from app.domain.scheduling import is_due, schedule
from app.extensions import db
from app.models import Attempt, AttemptItem, Question, QuestionVersion, Response, Scheme
from app.models.base import utcnow
from app.queries.attempts import review_closed
from app.queries.banks import mapped_clauses

RECENT_DAYS = 30


def _graded_answers(user_id: int, since: datetime | None = None) -> list[tuple[Any, ...]]:
    """(question key, version id, answered at, score fraction) of graded answers.

    Answers of exams whose review is still closed are left out: a review set of exactly
    the questions missed would say which ones they were.
    """
    stmt = (
        select(Question.key, AttemptItem.version_id, Response.answered_at, Response.score)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Scheme, Scheme.id == Attempt.scheme_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(
            Attempt.user_id == user_id,
            Response.score.is_not(None),
            not_(review_closed(utcnow())),
        )
    )
    if since is not None:
        stmt = stmt.where(Response.answered_at >= since)
    return list(db.session.execute(stmt))


def recently_seen(user_id: int, now: datetime | None = None) -> dict[str, float]:
    """Question key → 1.0 if shown today, fading to 0 over 30 days."""
    now = now or utcnow()
    since = now - timedelta(days=RECENT_DAYS)
    stmt = (  # one row per question, at its latest showing: the freshest decides
        select(Question.key, func.max(Attempt.started_at))
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id, Attempt.started_at >= since)
        .group_by(Question.key)
    )
    seen: dict[str, float] = {}
    for key, started in db.session.execute(stmt):
        age = (now - started).total_seconds() / 86400
        seen[key] = max(0.0, 1 - age / RECENT_DAYS)
    return seen


def due_for_review(user_id: int, now: datetime | None = None) -> list[str]:
    """Keys of questions answered wrongly last time or due again under SM-2."""
    now = now or utcnow()
    answers: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for key, _vid, answered_at, score in _graded_answers(user_id):
        answers[key].append((answered_at, score))
    due = []
    for key, runs in answers.items():
        last = max(runs)
        if last[1] < 0.999 or is_due(schedule(runs), now):
            due.append(key)
    return sorted(due)


def weakness_weights(user_id: int) -> dict[str, float]:
    """Second-level clause → drill weight: 1 − mean score + 0.1 (unanswered clauses: 1)."""
    rows = _graded_answers(user_id)
    clauses = mapped_clauses(sorted({vid for _k, vid, _a, _s in rows}))
    totals: dict[str, list[float]] = defaultdict(list)
    for _key, vid, _at, score in rows:
        for clause in {".".join(c.split(".")[:2]) for c in clauses.get(vid, [])}:
            totals[clause].append(score)
    return {c: 1.1 - sum(s) / len(s) for c, s in totals.items()}
