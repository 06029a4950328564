"""A response records whether its learner had answered the question before (the key is
shown after every answer, so readiness weighs a repeat less), and the migration that
fills the flag for existing responses agrees with the services."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from app.analytics.answers import answer_frame, day_end, day_of, grouped_answers
from app.analytics.readiness import HALF_LIFE_DAYS
from app.extensions import db
from app.models import Attempt, QuestionVersion, Response, Scheme
from app.models.base import utcnow
from app.services import answering, attempts
from tests.factories import answer_items

BACKFILL = importlib.import_module("migrations.versions.e5a1c7d3b9f2_responses_record_repeats")


def _practice(learner, seed: int) -> Attempt:
    # Clause 8.6 holds few questions, so two sets of eight share some.
    return attempts.start_attempt(
        learner,
        "foundation",
        attempts.StartOptions(mode="practice", count=8, clauses=["8.6"], seed=seed),
    )


def _answer_and_check(learner, attempt: Attempt) -> None:
    answer_items(learner, attempt, right=True, essay=None)
    for item in attempt.items:
        answering.check_practice_answer(learner, attempt.id, item.position)


def _questions(attempt: Attempt) -> dict[int, int]:
    """Attempt item id → question id."""
    return {
        item.id: db.session.get_one(QuestionVersion, item.version_id).question_id
        for item in attempt.items
    }


def _flags() -> dict[int, bool]:
    return dict(db.session.execute(select(Response.item_id, Response.seen_before)).all())


def test_answers_to_questions_met_before_are_marked_and_the_migration_agrees(banks, make_user):
    learner, other = make_user(), make_user()
    first = _practice(learner, seed=1)
    _answer_and_check(learner, first)
    second = _practice(learner, seed=2)
    _answer_and_check(learner, second)
    # Submitted without checking: the answers become final when the attempt closes.
    third = _practice(learner, seed=3)
    answer_items(learner, third, right=True, essay=None)
    answering.submit_attempt(learner, third.id)
    _answer_and_check(other, _practice(other, seed=2))  # someone else's answers are theirs

    met = set(_questions(first).values())
    flags = _flags()
    assert not any(flags[item_id] for item_id in _questions(first))
    repeats = {i for i, q in _questions(second).items() if q in met}
    assert repeats and len(repeats) < len(second.items)  # the test needs both kinds
    for item_id in _questions(second):
        assert flags[item_id] is (item_id in repeats)
    met |= set(_questions(second).values())
    in_third = {i: q in met for i, q in _questions(third).items()}
    assert any(in_third.values())
    assert all(flags[i] is seen for i, seen in in_third.items())
    assert not any(v for k, v in flags.items() if k not in in_third and k not in repeats)

    # The migration's fill, run on the same rows, marks the same answers.
    db.session.execute(update(Response).values(seen_before=False))
    db.session.execute(text(BACKFILL.EARLIER))
    db.session.commit()
    assert _flags() == flags


def test_readiness_sums_weigh_repeats_as_the_calibration_says(banks, make_user):
    learner = make_user()
    _answer_and_check(learner, _practice(learner, seed=1))
    _answer_and_check(learner, _practice(learner, seed=2))
    frame = answer_frame([learner.id])
    assert frame["seen"].any() and not frame["seen"].all()
    foundation = db.session.scalars(select(Scheme).where(Scheme.code == "foundation")).one()
    now = utcnow() + timedelta(minutes=1)

    def summed(weight: float) -> float:
        rows = grouped_answers([learner.id], [foundation], now, weeks=0, repeat_weight=weight)
        return float(rows.rows["weight"].sum())

    full, none, half = summed(1.0), summed(0.0), summed(0.5)
    # Weights are as of the end of the day (`day_end`), at the default 30-day half-life.
    ages = day_of(day_end(now)) - frame.loc[~frame["seen"], "answered_at"].map(day_of)
    fresh = float((0.5 ** (ages / HALF_LIFE_DAYS)).sum())
    assert full > none > 0
    assert half == pytest.approx((full + none) / 2)
    assert none == pytest.approx(fresh, rel=1e-6)
