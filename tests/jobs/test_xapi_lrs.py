"""xAPI end to end: a learner's mock exam becomes statements that a real worker sends
to a real LRS (Ralph), read back through the LRS's own xAPI resource and checked."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Attempt, Job, JobState, User
from app.models.base import utcnow
from app.services import answering, attempts
from tests.factories import answer_items
from tests.jobs.conftest import HOME_PAGE

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {ADL + v for v in ("launched", "answered", "completed", "passed", "failed")}
INTERACTION_TYPES = {
    "true-false", "choice", "fill-in", "long-fill-in", "matching",
    "performance", "sequencing", "likert", "numeric", "other",
}  # fmt: skip
NEEDS_CHOICES = {"choice", "sequencing"}


def _sit_mock(learner: User) -> Attempt:
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=5))
    answer_items(learner, attempt, right=True, essay="An answer a trainer will mark.")
    answering.submit_attempt(learner, attempt.id)
    return attempt


def _check_common(statement: dict, registration: str) -> None:
    """What every statement must carry, per xAPI 1.0.3."""
    uuid.UUID(statement["id"])
    assert statement["verb"]["id"] in VERBS
    assert statement["object"]["objectType"] == "Activity"
    assert statement["object"]["id"].startswith(f"{HOME_PAGE}/xapi/activities/")
    assert statement["context"]["registration"] == registration
    moment = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0


def _check_answered(statement: dict) -> None:
    definition = statement["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    kind = definition["interactionType"]
    assert kind in INTERACTION_TYPES
    if kind in NEEDS_CHOICES:
        ids = {c["id"] for c in definition["choices"]}
        for pattern in definition["correctResponsesPattern"]:
            assert set(pattern.split("[,]")) <= ids
    if kind == "matching":
        assert definition["source"] and definition["target"]
    result = statement["result"]
    assert isinstance(result["response"], str)
    if "score" in result:
        assert 0 <= result["score"]["scaled"] <= 1 and isinstance(result["success"], bool)
    parents = statement["context"]["contextActivities"]["parent"]
    assert parents[0]["id"].startswith(f"{HOME_PAGE}/xapi/activities/schemes/foundation/")


def test_a_mock_exam_reaches_the_lrs_as_well_formed_statements(
    banks, xapi_app, ralph, xapi_env, run_worker, make_user
):
    ralph.start()
    learner = make_user(email="lena@example.org")
    attempt = _sit_mock(learner)
    run_worker(**xapi_env)
    assert [(j.name, j.state, j.last_error) for j in db.session.scalars(select(Job))] == [
        ("xapi.attempt_started", JobState.DONE, ""),
        ("xapi.attempt_closed", JobState.DONE, ""),
    ]
    stored = ralph.statements()
    registration = db.session.get_one(Attempt, attempt.id).registration
    assert registration
    by_verb: dict[str, list[dict]] = {}
    for statement in stored:
        _check_common(statement, registration)
        by_verb.setdefault(statement["verb"]["id"].removeprefix(ADL), []).append(statement)
        actor = statement["actor"]
        assert actor["account"] == {"homePage": HOME_PAGE, "name": learner.xapi_id}
        assert "lena" not in str(actor)  # opaque: neither the e-mail nor the row id
    answered = sum(1 for i in attempt.items if i.response and i.response.value is not None)
    assert {k: len(v) for k, v in by_verb.items()} == {
        "launched": 1, "answered": answered, "completed": 1, "passed": 1,
    }  # fmt: skip
    for statement in by_verb["answered"]:
        _check_answered(statement)
    completed = by_verb["completed"][0]["result"]
    assert completed["completion"] is True and completed["duration"].startswith("PT")
    assert by_verb["passed"][0]["result"]["success"] is True


def test_statements_wait_while_the_lrs_is_down_and_are_sent_later(
    banks, xapi_app, ralph, xapi_env, run_worker, make_user
):
    learner = make_user(email="omar@example.org")
    attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=9))
    env = {**xapi_env, "XAPI_ACTOR": "mbox", "JOB_RETRY_DELAYS": "2,2"}
    run_worker(**env)  # the LRS is not running yet
    job = db.session.scalars(select(Job)).one()
    assert job.state == JobState.RETRYING and "cannot be reached" in job.last_error
    ralph.start()
    time.sleep(max((job.run_after - utcnow()).total_seconds(), 0) + 0.2)
    run_worker(**env)
    db.session.expire_all()
    assert db.session.scalars(select(Job)).one().state == JobState.DONE
    (launched,) = ralph.statements()
    assert launched["verb"]["id"] == ADL + "launched"
    assert launched["actor"]["mbox"] == "mailto:omar@example.org"
    sent_at = datetime.fromisoformat(launched["timestamp"].replace("Z", "+00:00"))
    assert sent_at.tzinfo is not None and sent_at < datetime.now(UTC)
