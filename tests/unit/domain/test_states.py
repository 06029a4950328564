"""The core states are enums that equal their stored strings and carry labels."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.domain import review
from app.domain.states import AttemptMode, AttemptStatus, QuestionStatus
from app.extensions import db
from app.models import Question
from app.models.states import StrEnumColumn


@pytest.mark.parametrize("kind", [AttemptMode, AttemptStatus, QuestionStatus])
def test_every_member_has_a_label(kind):
    labels = [member.label for member in kind]
    assert all(labels) and len(set(labels)) == len(labels)


def test_members_equal_their_stored_strings():
    assert AttemptStatus.OPEN == "open" and AttemptMode("mock") is AttemptMode.MOCK
    assert set(AttemptStatus.closed()) == {"submitted", "expired"}


def test_workflow_transitions_are_keyed_on_question_statuses():
    assert set(review.TRANSITIONS) == set(QuestionStatus)
    targets = {status for moves in review.TRANSITIONS.values() for status in moves.values()}
    assert all(isinstance(status, QuestionStatus) for status in targets)


def test_column_reads_members_and_refuses_unknown_strings():
    column = StrEnumColumn(AttemptMode)
    assert column.process_result_value("drill", None) is AttemptMode.DRILL
    assert column.process_bind_param(AttemptMode.MOCK, None) == "mock"
    with pytest.raises(ValueError):
        column.process_bind_param("exam", None)


def test_statuses_round_trip_through_the_database(app, banks):
    with app.app_context():
        status = db.session.scalars(select(Question.status)).first()
        stored = db.session.execute(text("SELECT status FROM questions LIMIT 1")).scalar()
        assert isinstance(status, QuestionStatus) and status == stored
        assert isinstance(stored, str) and not isinstance(stored, QuestionStatus)
