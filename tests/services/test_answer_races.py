"""An answer is stored and scored, or refused: never acknowledged and then left unscored.

Saves race a submit, the deadline and a practice check. The first tests force the worst
interleaving (the other request lands while the save is between its checks and its
write); the last one races real threads against each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask

from app.errors import Conflict
from app.extensions import db
from app.models import Attempt, AttemptItem, Response, User
from app.queries import banks as bank_queries
from app.services import answering, attempts
from tests.concurrency import in_other_request
from tests.factories import public_answer


def _choice_items(attempt: Attempt) -> list[AttemptItem]:
    return [i for i in attempt.items if i.version.type == "single_choice"]


def _when_the_save_has_checked(monkeypatch, work: Callable[[], None]) -> None:
    """Make `work` happen right after the next save has read the item, before it writes."""
    real = bank_queries.record_for_version
    done = []

    def record_then_race(version_id: int, content_hash: str):
        if not done:
            done.append(True)
            work()
        return real(version_id, content_hash)

    monkeypatch.setattr(bank_queries, "record_for_version", record_then_race)


def test_a_save_overtaken_by_the_submit_is_refused_not_left_unscored(
    app, banks, make_user, monkeypatch
):
    learner = make_user()
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=4))
    first, second = _choice_items(attempt)[:2]
    answering.record_answer(
        learner, attempt.id, first.position, public_answer(attempt, first, first.display_order[0])
    )
    user_id, attempt_id = learner.id, attempt.id

    def submit() -> None:
        answering.submit_attempt(db.session.get(User, user_id), attempt_id)

    late = public_answer(attempt, second, second.display_order[0])
    _when_the_save_has_checked(monkeypatch, lambda: in_other_request(app, submit))
    with pytest.raises(Conflict, match="closed"):
        answering.record_answer(learner, attempt_id, second.position, late)
    db.session.expire_all()
    responses = Response.query.all()
    assert [r.item_id for r in responses] == [first.id]
    assert all(r.score is not None for r in responses)
    assert db.session.get(Attempt, attempt_id).status == "submitted"


def test_a_save_overtaken_by_the_practice_check_is_refused(app, banks, make_user, monkeypatch):
    learner = make_user()
    practice = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=10, seed=8)
    )
    item = _choice_items(practice)[0]
    right, wrong = item.display_order[0], item.display_order[1]
    answering.record_answer(
        learner, practice.id, item.position, public_answer(practice, item, right)
    )
    user_id, practice_id, position = learner.id, practice.id, item.position

    def check() -> None:
        answering.check_practice_answer(db.session.get(User, user_id), practice_id, position)

    changed = public_answer(practice, item, wrong)
    _when_the_save_has_checked(monkeypatch, lambda: in_other_request(app, check))
    with pytest.raises(Conflict, match="already checked"):
        answering.record_answer(learner, practice_id, position, changed)
    db.session.expire_all()
    response = Response.query.filter_by(item_id=item.id).one()
    assert response.value == right and response.score is not None


def test_many_saves_racing_one_submit_leave_no_acknowledged_answer_unscored(app, banks, make_user):
    """40 saves against one submit, five times: every acknowledged answer is scored."""
    learner = make_user()
    unscored = acknowledged = refused = 0
    for round_ in range(5):
        attempt = attempts.start_attempt(
            learner, "foundation", attempts.StartOptions(seed=100 + round_)
        )
        items = _choice_items(attempt)
        answers = [(i.position, public_answer(attempt, i, i.display_order[0])) for i in items]
        outcome = _race(app, learner.id, attempt.id, answers)
        acknowledged += len(outcome["saved"])
        refused += outcome["refused"]
        db.session.expire_all()
        scores = {
            r.item.position: r.score
            for r in Response.query.join(AttemptItem).filter(AttemptItem.attempt_id == attempt.id)
        }
        unscored += sum(1 for position in outcome["saved"] if scores.get(position) is None)
    assert acknowledged > 0
    assert unscored == 0, f"{unscored} of {acknowledged} acknowledged answers were never scored"


def _race(app: Flask, user_id: int, attempt_id: int, answers: list) -> dict:
    """Start every save and the submit at once; which saves were acknowledged."""
    start = threading.Barrier(len(answers) * 2 + 1, timeout=30)
    saved: list[int] = []
    refused = [0]

    def request(work: Callable[[User], None]) -> None:
        with app.app_context():
            learner = db.session.get(User, user_id)
            db.session.expunge(learner)
            db.session.remove()  # hold no connection while waiting for the others
            start.wait()
            try:
                work(learner)
            finally:
                db.session.remove()

    def save(position: int, value: object) -> Callable[[User], None]:
        def work(learner: User) -> None:
            try:
                answering.record_answer(learner, attempt_id, position, value)
                saved.append(position)
            except Conflict:
                refused[0] += 1

        return work

    def submit(learner: User) -> None:
        answering.submit_attempt(learner, attempt_id)

    works = [save(*a) for a in answers * 2] + [submit]
    threads = [threading.Thread(target=request, args=(w,)) for w in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request never finished"
    return {"saved": saved, "refused": refused[0]}
