"""The Redis side of the job queue: sending job ids to RQ, the sweeper that sends again
what is due, and the progress figures a running job shares with the pages.

Redis carries only ids and progress; the `jobs` rows are the truth (app/services/jobs.py).
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import delete, or_, select, update

from app.extensions import db
from app.models import Job, JobState
from app.models.base import utcnow

log = logging.getLogger(__name__)

RUNNER = "app.services.job_runner.run_job"  # what RQ calls with a job id
RESEND_AFTER = timedelta(minutes=5)  # a queued job sent this long ago and not started
STALE_GRACE = timedelta(minutes=2)  # past JOB_TIMEOUT, a running job's worker is gone
PROGRESS_TTL = 24 * 3600


def redis() -> Redis:
    """This process's client of the queue's Redis (one connection pool per app)."""
    state = current_app.extensions.setdefault("clausewise.jobs", {})
    if "redis" not in state:
        state["redis"] = Redis.from_url(current_app.config["JOB_QUEUE_URL"])
    client: Redis = state["redis"]
    return client


def queue() -> Queue:
    """The RQ queue the workers listen on."""
    return Queue(current_app.config["JOB_QUEUE_NAME"], connection=redis())


def send(job_ids: list[int]) -> None:
    """Put job ids on the RQ queue; if Redis is down the sweeper sends them later."""
    if not current_app.config.get("JOB_QUEUE_URL"):
        log.warning("jobs %s wait: no JOB_QUEUE_URL is configured to send them to", job_ids)
        return
    try:
        q = queue()
        for job_id in job_ids:
            q.enqueue(
                RUNNER,
                job_id,
                job_timeout=current_app.config["JOB_TIMEOUT"],
                result_ttl=0,
                failure_ttl=7 * 24 * 3600,
            )
    except RedisError as err:
        log.warning("jobs %s wait for the sweeper: Redis refused them (%s)", job_ids, err)
        _mark_unsent(job_ids)


def _mark_unsent(job_ids: list[int]) -> None:
    """Let the next sweep send these jobs (on a connection of its own: this runs after
    the caller's commit, when its session may not run SQL)."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id.in_(job_ids)).values(dispatched_at=None))
    except Exception:  # the database is down too: they are resent after RESEND_AFTER
        log.exception("jobs %s could not be marked unsent", job_ids)


def sweep() -> dict[str, int]:
    """Send the jobs that are due and not on their way, retry those whose worker died,
    and forget finished ones kept long enough; returns how many of each (cron-safe)."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["JOB_TIMEOUT"]) - STALE_GRACE
    from app.services.job_runner import record_failure

    dead = list(
        db.session.scalars(
            select(Job.id).where(Job.state == JobState.RUNNING, Job.started_at < stale)
        )
    )
    for job_id in dead:
        record_failure(job_id, "the worker stopped while running this job (killed or timed out)")
    due = list(
        db.session.scalars(
            select(Job.id).where(
                Job.state.in_([JobState.QUEUED, JobState.RETRYING]),
                Job.run_after <= now,
                or_(Job.dispatched_at.is_(None), Job.dispatched_at < now - RESEND_AFTER),
            )
        )
    )
    if due:
        db.session.execute(update(Job).where(Job.id.in_(due)).values(dispatched_at=now))
    kept = now - timedelta(days=current_app.config["JOB_KEEP_DAYS"])
    forgotten = db.session.execute(
        delete(Job).where(Job.state == JobState.DONE, Job.finished_at < kept)
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()  # the ids go to Redis after this commit (jobs._send_after_commit)
    if due:
        send(due)
    return {"sent": len(due), "stale": len(dead), "forgotten": forgotten or 0}


def _progress_key(job_id: int) -> str:
    return f"{current_app.config['JOB_QUEUE_NAME']}:progress:{job_id}"


def set_progress(job_id: int, done: int, total: int, step: str) -> None:
    """Share how far a running job is (best effort: a Redis hiccup costs only the bar)."""
    value = json.dumps({"done": done, "total": total, "step": step})
    try:
        redis().set(_progress_key(job_id), value, ex=PROGRESS_TTL)
    except RedisError as err:
        log.info("progress of job %s not shared: %s", job_id, err)


def progress(job_id: int) -> dict[str, Any]:
    """The last progress a job shared: done, total and the step's words."""
    try:
        raw = cast("bytes | None", redis().get(_progress_key(job_id)))
    except RedisError:
        raw = None
    if not raw:
        return {"done": 0, "total": 0, "step": ""}
    value: dict[str, Any] = json.loads(raw)
    return value
