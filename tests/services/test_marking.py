"""Marking essays: who may mark, what may be marked, the bounds, and the learner's result."""

import math

import pytest

from app.analytics import marking as marking_queries
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.models import Attempt, AuditEvent, Response, Role
from app.queries import banks as bank_queries
from app.services import answering, marking
from tests.factories import sit_auditor_exam


def _responses(attempt: Attempt, essay: bool = True) -> list[Response]:
    """The attempt's responses to essay items (or to every other item)."""
    return [
        item.response
        for item in attempt.items
        if item.response is not None and (item.version.type == "essay") == essay
    ]


def _marks_of(response: Response) -> float:
    """The marks available on a response's item."""
    return response.item.version.marks


def _marking_events() -> list[AuditEvent]:
    return AuditEvent.query.filter_by(action="response.marked").order_by(AuditEvent.id).all()


@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
def test_only_trainers_and_admins_may_mark(banks, make_user, role):
    attempt = sit_auditor_exam(make_user())
    essay = _responses(attempt)[0]
    with pytest.raises(PermissionDenied):
        marking.mark_response(make_user(role=role), essay.id, 1, "")
    db.session.refresh(essay)
    assert essay.score is None and essay.graded_by_id is None
    admin = make_user(role=Role.ADMIN)
    marking.mark_response(admin, essay.id, 1, "")
    assert db.session.get(Response, essay.id).graded_by_id == admin.id


def test_a_mark_is_stored_as_a_fraction_with_the_trainer_and_comment(banks, make_user):
    attempt = sit_auditor_exam(make_user())
    essay = _responses(attempt)[0]
    trainer = make_user(role=Role.TRAINER)
    available = _marks_of(essay)
    marking.mark_response(trainer, essay.id, available / 2, "  Cite the procedure too.  ")
    stored = db.session.get(Response, essay.id)
    assert stored.score == pytest.approx(0.5)
    assert stored.graded_by_id == trainer.id and stored.graded_at is not None
    assert stored.grader_comment == "Cite the procedure too."


@pytest.mark.parametrize("bad", [-0.5, 1000, math.nan, math.inf, "3"])
def test_marks_out_of_bounds_are_refused_and_nothing_changes(banks, make_user, bad):
    attempt = sit_auditor_exam(make_user())
    before = (attempt.score, dict(attempt.result))
    essay = _responses(attempt)[0]
    with pytest.raises(InvalidInput):
        marking.mark_response(make_user(role=Role.TRAINER), essay.id, bad, "comment")
    db.session.rollback()
    stored = db.session.get(Response, essay.id)
    assert stored.score is None and stored.graded_by_id is None and stored.grader_comment == ""
    again = db.session.get(Attempt, attempt.id)
    assert (again.score, again.result) == before
    assert _marking_events() == []


def test_the_full_marks_and_zero_are_both_accepted(banks, make_user):
    attempt = sit_auditor_exam(make_user())
    first, second = _responses(attempt)[:2]
    trainer = make_user(role=Role.TRAINER)
    marking.mark_response(trainer, first.id, _marks_of(first), "")
    marking.mark_response(trainer, second.id, 0, "")
    assert db.session.get(Response, first.id).score == 1.0
    assert db.session.get(Response, second.id).score == 0.0


def test_a_long_comment_is_refused(banks, make_user):
    attempt = sit_auditor_exam(make_user())
    essay = _responses(attempt)[0]
    with pytest.raises(InvalidInput, match="comment"):
        marking.mark_response(make_user(role=Role.TRAINER), essay.id, 1, "x" * 5001)
    assert db.session.get(Response, essay.id).graded_by_id is None


def test_answers_to_automatically_graded_items_are_refused(banks, make_user):
    attempt = sit_auditor_exam(make_user(), right=True)
    choice = _responses(attempt, essay=False)[0]
    score = choice.score
    with pytest.raises(InvalidInput, match="essay"):
        marking.mark_response(make_user(role=Role.TRAINER), choice.id, 0, "")
    db.session.rollback()
    stored = db.session.get(Response, choice.id)
    assert stored.score == score and stored.graded_by_id is None


def test_answers_of_an_open_attempt_are_refused(banks, make_user):
    attempt = sit_auditor_exam(make_user(), submit=False)
    essay = _responses(attempt)[0]
    with pytest.raises(Conflict, match="in progress"):
        marking.mark_response(make_user(role=Role.TRAINER), essay.id, 1, "")
    assert db.session.get(Response, essay.id).graded_by_id is None
    assert db.session.get(Attempt, attempt.id).status == "open"


def test_an_unknown_answer_is_not_found(banks, make_user):
    with pytest.raises(NotFound):
        marking.mark_response(make_user(role=Role.TRAINER), 999_999, 1, "")


def test_marking_every_essay_settles_pass_or_fail(banks, make_user):
    attempt = sit_auditor_exam(make_user(), right=True)
    essays = _responses(attempt)
    assert len(essays) == 3
    assert attempt.passed is None and attempt.result["pending"] == 3
    essay_marks = sum(_marks_of(r) for r in essays)
    score_before = attempt.score
    trainer = make_user(role=Role.TRAINER)
    for response in essays:
        marking.mark_response(trainer, response.id, _marks_of(response), "Complete.")
    attempt = db.session.get(Attempt, attempt.id)
    db.session.refresh(attempt)
    assert attempt.result["pending"] == 0
    assert attempt.score == pytest.approx(score_before + essay_marks)
    assert attempt.passed is True
    section = next(s for s in attempt.result["sections"] if s["id"] == "nonconformity-statements")
    assert section["percent"] == 100 and section["met"] is True
    # Re-marking every essay to nothing fails the essay section's minimum, and so the exam.
    for response in essays:
        marking.mark_response(trainer, response.id, 0, "Nothing usable.")
    db.session.refresh(attempt)
    assert attempt.passed is False
    assert attempt.score == pytest.approx(score_before)
    section = next(s for s in attempt.result["sections"] if s["id"] == "nonconformity-statements")
    assert section["score"] == 0 and section["met"] is False


def test_clause_subscores_follow_the_marks(banks, make_user):
    attempt = sit_auditor_exam(make_user())
    essay = _responses(attempt)[0]
    clause = bank_queries.mapped_clauses([essay.item.version_id])[essay.item.version_id][0]
    assert attempt.result["clauses"][clause]["score"] == 0
    marking.mark_response(make_user(role=Role.TRAINER), essay.id, _marks_of(essay), "")
    db.session.refresh(attempt)
    assert attempt.result["clauses"][clause]["score"] >= _marks_of(essay)


def test_every_mark_and_remark_is_audited(banks, make_user):
    learner = make_user()
    attempt = sit_auditor_exam(learner)
    essay = _responses(attempt)[0]
    trainer = make_user(role=Role.TRAINER)
    marking.mark_response(trainer, essay.id, 2, "First look.")
    marking.mark_response(trainer, essay.id, 3, "On reflection.")
    first, second = _marking_events()
    assert (first.actor_id, first.object_type, first.object_id) == (
        trainer.id,
        "response",
        str(essay.id),
    )
    assert first.detail["marks"] == 2 and first.detail["previous_marks"] is None
    assert second.detail["marks"] == 3 and second.detail["previous_marks"] == pytest.approx(2)
    assert second.detail["attempt_id"] == attempt.id and second.detail["learner_id"] == learner.id


def test_rescore_refuses_an_open_attempt(banks, make_user):
    attempt = sit_auditor_exam(make_user(), submit=False)
    with pytest.raises(Conflict):
        answering.rescore(attempt)


def test_the_queue_lists_unmarked_essays_of_closed_attempts_oldest_first(banks, make_user):
    first = sit_auditor_exam(make_user(name="Ada Early"))
    second = sit_auditor_exam(make_user(name="Bo Later"))
    sit_auditor_exam(make_user(name="Cy Unfinished"), submit=False)
    rows = marking_queries.queue()
    assert [r.learner for r in rows] == ["Ada Early"] * 3 + ["Bo Later"] * 3
    assert [r.attempt_id for r in rows] == [first.id] * 3 + [second.id] * 3
    assert {(r.bank, r.scheme) for r in rows} == {("auditor", "ISO/IEC 20000-1 Auditor mock exam")}
    assert all(r.excerpt and r.marks > 0 for r in rows)
    assert marking_queries.waiting_count(bank="auditor") == 6
    assert marking_queries.waiting_count() == 6
    assert marking_queries.waiting_count(scheme="auditor") == 6
    assert marking_queries.waiting_count(scheme="foundation") == 0
    assert marking_queries.queue(bank="no-such-bank") == []
    marking.mark_response(make_user(role=Role.TRAINER), rows[0].response_id, 1, "")
    assert marking_queries.next_waiting() == rows[1].response_id
    assert marking_queries.waiting_count() == 5
