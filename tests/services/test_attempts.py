"""Attempts: assembly from the bundled banks, resuming, deadlines, double submits."""

from datetime import timedelta

import pytest

from app.domain.answer_ids import secret_order
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import Attempt, Response, Role
from app.models.base import utcnow
from app.services import answering, attempts
from tests.factories import in_daytime, public_answer


def _mock(learner, seed: int = 7) -> Attempt:
    return attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=seed))


def test_mock_exam_follows_the_blueprint(banks, make_user):
    attempt = _mock(make_user())
    assert len(attempt.items) == 40
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=60)
    sections = [item.section for item in attempt.items]
    assert sections.count("operation") == 16 and sections.count("improvement") == 3
    assert len({item.version_id for item in attempt.items}) == 40


def test_same_seed_same_form_but_the_option_order_follows_the_secret(banks, make_user):
    first, second = _mock(make_user(), seed=11), _mock(make_user(), seed=11)
    assert [i.version_id for i in first.items] == [i.version_id for i in second.items]
    for item in first.items:
        expected = secret_order(first.answer_secret, str(item.position), sorted(item.display_order))
        assert item.display_order == expected
    assert [i.display_order for i in first.items] != [i.display_order for i in second.items]


def test_only_learners_start_attempts(banks, make_user):
    with pytest.raises(PermissionDenied):
        _mock(make_user(role=Role.TRAINER))


def test_answers_are_saved_and_resumed_unchanged(banks, make_user):
    learner = make_user()
    attempt = _mock(learner)
    first = attempt.items[0]
    answer = first.display_order[0] if first.version.type != "true_false" else True
    answering.record_answer(learner, attempt.id, 1, public_answer(attempt, first, answer))
    answering.record_answer(learner, attempt.id, 1, public_answer(attempt, first, answer))
    assert Response.query.count() == 1
    again = answering.own_attempt(learner, attempt.id)
    assert again.items[0].response.value == answer


def test_bad_answers_change_nothing(banks, make_user):
    learner = make_user()
    attempt = _mock(learner)
    with pytest.raises(InvalidInput):
        answering.record_answer(learner, attempt.id, 1, {"not": "an answer"})
    with pytest.raises(NotFound):
        answering.record_answer(learner, attempt.id, 99, "a")
    assert Response.query.count() == 0


def test_someone_elses_attempt_is_not_found(banks, make_user):
    attempt = _mock(make_user())
    with pytest.raises(NotFound):
        answering.record_answer(make_user(), attempt.id, 1, "a")


def test_late_answers_are_refused_and_the_attempt_is_finalised(banks, make_user):
    learner = make_user()
    attempt = _mock(learner)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    from app.extensions import db

    db.session.commit()
    with pytest.raises(Conflict, match="Time is up"):
        answering.record_answer(learner, attempt.id, 1, "a")
    assert db.session.get(Attempt, attempt.id).status == "expired"


def test_reading_an_overdue_attempt_writes_nothing_until_it_is_expired(banks, make_user):
    from app.extensions import db

    learner = make_user()
    attempt = _mock(learner)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert answering.own_attempt(learner, attempt.id).status == "open"
    assert answering.expire_if_overdue(attempt) is True
    assert answering.expire_if_overdue(attempt) is False
    assert db.session.get(Attempt, attempt.id).status == "expired"


def test_a_late_submit_closes_the_attempt_as_expired(banks, make_user):
    from app.extensions import db

    learner = make_user()
    attempt = _mock(learner)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert answering.submit_attempt(learner, attempt.id).status == "expired"


def test_expire_command_finalises_overdue_attempts_once(banks, make_user):
    from app.extensions import db

    attempt = _mock(make_user())
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert answering.expire_overdue() == 1
    assert answering.expire_overdue() == 0
    assert db.session.get(Attempt, attempt.id).score == 0


def test_submitting_twice_scores_once(banks, make_user):
    from app.models import AuditEvent

    learner = make_user()
    attempt = _mock(learner)
    for item in attempt.items:
        if item.version.type == "single_choice":
            answer = public_answer(attempt, item, item.display_order[0])
            answering.record_answer(learner, attempt.id, item.position, answer)
    first = answering.submit_attempt(learner, attempt.id)
    score = first.score
    second = answering.submit_attempt(learner, attempt.id)
    assert second.score == score and second.status == "submitted"
    assert AuditEvent.query.filter_by(action="attempt.submitted").count() == 1
    with pytest.raises(Conflict):
        answering.record_answer(learner, attempt.id, 1, "a")


def test_practice_shows_the_key_after_checking_and_locks(banks, make_user):
    learner = make_user()
    practice = attempts.start_attempt(
        learner,
        "foundation",
        attempts.StartOptions(mode="practice", count=5, clauses=["8.6"], seed=3),
    )
    assert len(practice.items) == 5
    item = next(i for i in practice.items if i.version.type == "single_choice")
    value = public_answer(practice, item, item.display_order[0])
    answering.record_answer(learner, practice.id, item.position, value)
    checked = answering.check_practice_answer(learner, practice.id, item.position)
    assert checked.response.score in (0.0, 1.0)
    with pytest.raises(Conflict):
        answering.record_answer(learner, practice.id, item.position, value)


def test_short_bank_names_the_short_clause_groups(banks, make_user):
    from app.extensions import db
    from app.models import Question

    Question.query.filter(Question.key.like("fnd-10.%") | Question.key.like("fnd2-10.%")).update(
        {"status": "draft", "live_version_id": None}, synchronize_session=False
    )
    db.session.commit()
    with pytest.raises(InvalidInput, match="Improvement"):
        _mock(make_user())


def test_review_needs_history_and_then_offers_missed_items(banks, make_user):
    learner = in_daytime(make_user())
    with pytest.raises(InvalidInput, match="Nothing is due"):
        attempts.start_attempt(learner, "foundation", attempts.StartOptions(mode="review", seed=1))
    attempt = _mock(learner)
    for item in attempt.items:
        if item.version.type == "single_choice":
            wrong = next(o.key for o in item.version.options if not o.correct)
            wrong = public_answer(attempt, item, wrong)
            answering.record_answer(learner, attempt.id, item.position, wrong)
    answering.submit_attempt(learner, attempt.id)
    review = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="review", count=10, seed=2)
    )
    assert len(review.items) == 10
    missed = {i.version_id for i in attempt.items if i.version.type == "single_choice"}
    assert {i.version_id for i in review.items} <= missed


def test_a_response_is_scored_only_once_final_and_names_its_learner_and_version(banks, make_user):
    """Readiness reads final answers as scored responses (ix_responses_final): check it."""
    learner = make_user()
    mock = _mock(learner)
    practice = attempts.start_attempt(
        learner,
        "foundation",
        attempts.StartOptions(mode="practice", count=3, clauses=["8.6"], seed=5),
    )

    def answer(attempt: Attempt, position: int) -> Response:
        item = attempt.items[position - 1]
        value = item.display_order[0] if item.display_order else True
        answering.record_answer(learner, attempt.id, position, public_answer(attempt, item, value))
        return Response.query.filter_by(item_id=item.id).one()

    saved = [answer(mock, 1), answer(mock, 2), answer(practice, 1), answer(practice, 2)]
    assert all(r.score is None for r in saved)  # open attempts, nothing checked: not final
    answering.check_practice_answer(learner, practice.id, 1)
    scored = {r.item_id for r in Response.query.filter(Response.score.is_not(None))}
    assert scored == {practice.items[0].id}  # the checked practice answer only
    answering.submit_attempt(learner, mock.id)
    scored = {r.item_id for r in Response.query.filter(Response.score.is_not(None))}
    assert scored == {practice.items[0].id, mock.items[0].id, mock.items[1].id}
    for response in Response.query:
        assert response.user_id == learner.id
        assert response.version_id == response.item.version_id


def test_warming_loads_the_pool_blueprints_and_records_that_starts_need(banks):
    from app.queries import banks as bank_queries

    attempts.warm_caches()
    pool = bank_queries.live_pool()
    assert attempts._PREPARED["foundation"][1].items is pool.items
    assert all((vid, digest) in bank_queries._RECORDS for vid, digest in pool.hashes.items())


def test_each_gunicorn_worker_warms_its_caches_and_serves_even_when_that_fails(app, monkeypatch):
    import importlib.util
    from pathlib import Path
    from types import SimpleNamespace

    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    warmed: list[bool] = []
    logged: list[str] = []
    worker = SimpleNamespace(wsgi=app, log=SimpleNamespace(exception=logged.append))
    monkeypatch.setattr(attempts, "warm_caches", lambda: warmed.append(True))
    conf.post_worker_init(worker)
    assert warmed == [True] and not logged

    def fail() -> None:
        raise RuntimeError("database not up")

    monkeypatch.setattr(attempts, "warm_caches", fail)
    conf.post_worker_init(worker)
    assert len(logged) == 1 and "warming" in logged[0]


def test_gunicorn_starts_one_worker_per_core_unless_told_otherwise(monkeypatch):
    import os
    import runpy
    from pathlib import Path

    path = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert runpy.run_path(path)["workers"] == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: two
    assert runpy.run_path(path)["workers"] == 2
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert runpy.run_path(path)["workers"] == 5


def test_one_query_tells_the_draw_what_was_seen_lately_and_what_is_held_back(banks, make_user):
    from app.analytics import history
    from app.extensions import db
    from app.models import Scheme
    from app.queries import attempts as attempt_views

    db.session.query(Scheme).filter_by(code="foundation").one().review_policy = "never"
    db.session.commit()
    learner = make_user(role=Role.LEARNER)
    practice = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=5, seed=1)
    )
    mock = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=2))
    keys = {i.version.question.key for a in (practice, mock) for i in a.items}
    in_mock = {i.version.question.key for i in mock.items}
    seen, held = history.seen_and_embargoed(learner.id)
    assert set(seen) == keys and min(seen.values()) > 0.99
    assert held == in_mock == attempt_views.embargoed_questions(learner.id)
    later = utcnow() + timedelta(days=31)  # nothing recent any more; the mock still held
    seen, held = history.seen_and_embargoed(learner.id, later)
    assert seen == {} and held == in_mock == attempt_views.embargoed_questions(learner.id, later)
    answering.submit_attempt(learner, mock.id)  # review never opens: still held back
    assert history.seen_and_embargoed(learner.id)[1] == in_mock
