"""The job queue end to end: rows written with the caller's transaction, run by a real
RQ worker process (`flask jobs worker --burst`), retried, failed, and run again."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update

from app.errors import Conflict
from app.extensions import db
from app.models import AuditEvent, Job, JobState, Role, User
from app.models.base import utcnow
from app.services import job_admin, job_runner, jobs
from tests.jobs.conftest import close_redis


def _only_job() -> Job:
    db.session.expire_all()
    return db.session.scalars(select(Job)).one()


def test_a_job_enqueued_with_a_change_runs_in_the_worker_after_the_commit(
    queued_app, run_worker, make_user, tmp_path
):
    out = tmp_path / "out.txt"
    make_user(role=Role.LEARNER, email="ann@example.org")
    db.session.execute(update(User).values(weekly_goal=5))  # the caller's own change…
    jobs.enqueue("test.write", path=str(out), text="hello")
    assert not out.exists()  # queued, not run inline
    db.session.commit()
    assert _only_job().state == JobState.QUEUED
    run_worker()
    job = _only_job()
    assert out.read_text() == "hello\n"
    assert (job.state, job.tries, job.last_error) == (JobState.DONE, 1, "")


def test_a_job_of_a_rolled_back_change_never_exists(queued_app, run_worker, tmp_path):
    out = tmp_path / "out.txt"
    db.session.execute(update(User).values(weekly_goal=1))  # the caller writes
    jobs.enqueue("test.write", path=str(out), text="never")
    db.session.rollback()
    assert db.session.scalars(select(Job)).all() == []
    run_worker()
    assert not out.exists()


def test_a_job_enqueued_after_the_callers_commit_is_committed_by_itself(
    queued_app, run_worker, tmp_path
):
    out = tmp_path / "out.txt"
    jobs.enqueue("test.write", path=str(out), text="alone")
    db.session.rollback()  # nothing of the caller's to keep; the job is already stored
    run_worker()
    assert out.read_text() == "alone\n"


def test_a_failing_job_is_retried_then_failed_and_an_admin_runs_it_again(
    queued_app, run_worker, make_user, tmp_path
):
    switch, log = tmp_path / "down", tmp_path / "tries.log"
    switch.touch()
    jobs.enqueue("test.fails_while", switch=str(switch), log=str(log))
    run_worker(JOB_RETRY_DELAYS="4,1")
    job = _only_job()
    assert (job.state, job.tries) == (JobState.RETRYING, 1)
    assert job.last_error == "RuntimeError: the outside system is down"
    assert job.run_after > utcnow()
    assert job_runner.run(job.id) is False  # not due yet: a resent id is not run early
    time.sleep((job.run_after - utcnow()).total_seconds() + 0.1)
    run_worker()
    time.sleep(1.1)
    run_worker()
    job = _only_job()
    assert (job.state, job.tries, log.read_text().count("try")) == (JobState.FAILED, 3, 3)
    admin = make_user(role=Role.ADMIN, email="root@example.org")
    assert job_admin.counts(admin)["failed"] == 1
    switch.unlink()  # the outside system is back
    job_admin.run_again(admin, job.public_id)
    with pytest.raises(Conflict):
        job_admin.run_again(admin, job.public_id)  # queued now, not failed
    run_worker()
    job = _only_job()
    assert (job.state, job.tries) == (JobState.DONE, 1)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.run_again")).one()
    assert event.actor_id == admin.id and event.detail["name"] == "test.fails_while"


def test_jobs_redis_refused_wait_in_the_database_and_the_sweep_sends_them(
    app, make_app, queue_name, run_worker, tmp_path
):
    out = tmp_path / "out.txt"
    down = make_app(JOB_QUEUE_URL="redis://127.0.0.1:1/0", JOB_QUEUE_NAME=queue_name)
    with down.app_context():
        jobs.enqueue("test.write", path=str(out), text="late")  # Redis refuses it
        job = _only_job()
        assert job.state == JobState.QUEUED and job.dispatched_at is None
    close_redis(down)
    run_worker()  # its sweep sends what Redis never got
    assert out.read_text() == "late\n"
