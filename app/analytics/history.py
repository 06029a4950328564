"""A learner's own answer history: what they saw recently, what is due, where they are weak."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, not_, or_, select

from app.domain import time_zones
from app.domain.scheduling import Answer, Review, is_due, schedule
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    AttemptMode,
    AttemptStatus,
    Question,
    QuestionVersion,
    Response,
    Scheme,
    User,
)
from app.models.base import utcnow
from app.queries.attempts import review_closed
from app.queries.banks import mapped_clauses

RECENT_DAYS = 30


def _graded_answers(user_id: int, since: datetime | None = None) -> list[tuple[Any, ...]]:
    """(question key, version id, answered at, score fraction, confidence, recall
    rating) of graded answers.

    Answers of exams whose review is still closed are left out: a review set of exactly
    the questions missed would say which ones they were.
    """
    stmt = (
        select(
            Question.key,
            AttemptItem.version_id,
            Response.answered_at,
            Response.score,
            Response.confidence,
            Response.recall,
        )
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
    return seen_and_embargoed(user_id, now)[0]


def seen_and_embargoed(
    user_id: int, now: datetime | None = None
) -> tuple[dict[str, float], set[str]]:
    """`recently_seen` and `embargoed_questions` (queries.attempts) in one query: what a
    new attempt's draw needs to know of the learner's past attempts."""
    now = now or utcnow()
    since = now - timedelta(days=RECENT_DAYS)
    embargo = and_(
        Attempt.mode == AttemptMode.MOCK,
        or_(Attempt.status == AttemptStatus.OPEN, review_closed(now)),
    )
    stmt = (  # one row per question, at its latest showing: the freshest decides
        select(
            Question.key,
            func.max(Attempt.started_at),
            func.max(case((embargo, 1), else_=0)),
        )
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Scheme, Scheme.id == Attempt.scheme_id)
        .where(Attempt.user_id == user_id, or_(Attempt.started_at >= since, embargo))
        .group_by(Question.key)
    )
    seen: dict[str, float] = {}
    embargoed: set[str] = set()
    for key, started, held in db.session.execute(stmt):
        age = (now - started).total_seconds() / 86400
        if age <= RECENT_DAYS:
            seen[key] = max(0.0, 1 - age / RECENT_DAYS)
        if held:
            embargoed.add(key)
    return seen, embargoed


def review_schedule(user_id: int) -> dict[str, Review]:
    """Question key → where it stands under FSRS, replayed from the learner's answers."""
    answers: dict[str, list[Answer]] = defaultdict(list)
    for key, _vid, answered_at, score, confidence, recall in _graded_answers(user_id):
        answers[key].append(Answer(answered_at, score, confidence, recall))
    reviews = {key: schedule(runs) for key, runs in answers.items()}
    return {key: review for key, review in reviews.items() if review is not None}


def learner_zone(user_id: int) -> ZoneInfo:
    """The learner's time zone: their days are the days reviews fall due on."""
    return time_zones.zone(db.session.scalar(select(User.time_zone).where(User.id == user_id)))


def due_for_review(user_id: int, now: datetime | None = None) -> list[str]:
    """Keys of questions due for review today (the learner's day) or earlier under FSRS."""
    now = now or utcnow()
    zone = learner_zone(user_id)
    reviews = review_schedule(user_id)
    return sorted(key for key, review in reviews.items() if is_due(review, now, zone))


def weakness_weights(user_id: int) -> dict[str, float]:
    """Second-level clause → drill weight: 1 − mean score + 0.1 (unanswered clauses: 1)."""
    rows = _graded_answers(user_id)
    clauses = mapped_clauses(sorted({row[1] for row in rows}))
    totals: dict[str, list[float]] = defaultdict(list)
    for _key, vid, _at, score, *_given in rows:
        for clause in {".".join(c.split(".")[:2]) for c in clauses.get(vid, [])}:
            totals[clause].append(score)
    return {c: 1.1 - sum(s) / len(s) for c, s in totals.items()}


def missed_last_time(user_id: int) -> set[str]:
    """Keys of the questions whose latest outcome was not fully right: a graded answer
    below full marks, or the question left unanswered in a submitted attempt (as the
    result page's "wrong" filter and a retry count it)."""
    last: dict[str, tuple[datetime, float]] = {}
    outcomes = [(key, at, score) for key, _vid, at, score, *_rating in _graded_answers(user_id)]
    outcomes += [(key, at, 0.0) for key, at in _left_unanswered(user_id)]
    for key, at, score in outcomes:
        if key not in last or at > last[key][0]:
            last[key] = (at, score)
    return {key for key, (_at, score) in last.items() if score < 0.999}


def _left_unanswered(user_id: int) -> list[tuple[str, datetime]]:
    """(question key, submitted at) of questions a submitted or expired attempt left
    without an answer; mocks whose review is closed are left out, as above."""
    stmt = (
        select(Question.key, Attempt.submitted_at)
        .select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Scheme, Scheme.id == Attempt.scheme_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.status.in_(AttemptStatus.closed()),
            Attempt.submitted_at.is_not(None),
            Response.id.is_(None),
            not_(review_closed(utcnow())),
        )
    )
    return [(key, at) for key, at in db.session.execute(stmt) if at is not None]
