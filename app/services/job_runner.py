"""Running one job in a worker: claim its row, run its task, record the outcome.

RQ calls `run_job(job_id)`. The claim is a conditional UPDATE, so a job sent twice (the
sweeper resends what looks lost) runs once at a time, and only when it is due. A failed
try waits for the next of JOB_RETRY_DELAYS; after the last one the job is `failed`.
While a task runs, `current()` tells it which job it is: its input files, and where to
put its progress, its output file and its result.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import select, update

from app.extensions import db
from app.models import Job, JobFile, JobState
from app.models.base import utcnow
from app.services import job_queue
from app.services.jobs import registered

log = logging.getLogger(__name__)
_APP: list[Flask] = []  # the worker's app (bound by `flask jobs worker`)


@dataclass(frozen=True)
class RunningJob:
    """The job a task is running as."""

    id: int
    public_id: str

    def progress(self, done: int, total: int, step: str = "") -> None:
        """Tell the job's page how far the work is (`step` in the owner's language); a
        job run again without a queue has no page following it."""
        if current_app.config.get("JOB_QUEUE_URL"):
            job_queue.set_progress(self.id, done, total, step)

    def input_files(self) -> list[tuple[str, bytes]]:
        """The files the job was given, in order: (name, bytes)."""
        rows = db.session.scalars(
            select(JobFile)
            .where(JobFile.job_id == self.id, JobFile.role == "input")
            .order_by(JobFile.id)
        )
        return [(row.name, row.data) for row in rows]

    def save_output(self, name: str, media_type: str, data: bytes) -> None:
        """Keep the file the job made (committed with the job's done mark)."""
        db.session.add(
            JobFile(job_id=self.id, role="output", name=name, media_type=media_type, data=data)
        )

    def set_result(self, result: dict[str, Any]) -> None:
        """Keep what the job's page shows at the end (JSON; committed when done)."""
        db.session.execute(update(Job).where(Job.id == self.id).values(result=result))


_CURRENT: ContextVar[RunningJob | None] = ContextVar("clausewise_job", default=None)


def current() -> RunningJob | None:
    """The job this code runs as, or None (inline, or outside any task)."""
    return _CURRENT.get()


def bind(app: Flask) -> None:
    """Use this app to run jobs in this process (the worker command binds its own)."""
    _APP[:] = [app]


def run_job(job_id: int) -> None:
    """RQ's entry point: run one job in an app context of its own."""
    if not _APP:
        from app import create_app

        bind(create_app())
    with _APP[0].app_context():
        run(job_id)


def run(job_id: int) -> bool:
    """Claim the job if it is due and run it; False when another run has it or it is
    not due (a duplicate sent by the sweeper)."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.state.in_([JobState.QUEUED, JobState.RETRYING]),
            Job.run_after <= now,
        )
        .values(state=JobState.RUNNING, tries=Job.tries + 1, started_at=now)
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get_one(Job, job_id)
    name, kwargs, locale = job.name, dict(job.kwargs), job.locale
    token = _CURRENT.set(RunningJob(job.id, job.public_id))
    try:
        with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            registered(name)(**kwargs)
    except Exception as err:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, name)
        record_failure(job_id, f"{type(err).__name__}: {err}")
    else:
        _record_success(job_id)
    finally:
        _CURRENT.reset(token)
    return True


def _record_success(job_id: int) -> None:
    """Mark the job done, with whatever the task left to commit (its output, its
    result). Its files stay until the sweeper forgets the job (a clean dry run's
    uploads are what its confirmed import reads)."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=JobState.DONE, finished_at=utcnow(), last_error="")
    )
    db.session.commit()


def record_failure(job_id: int, error: str) -> None:
    """Keep the error; wait for the next try, or mark the job failed after the last (or
    at once without a queue: no sweeper would ever retry it)."""
    job = db.session.get_one(Job, job_id)
    delays: list[int] = current_app.config["JOB_RETRY_DELAYS"]
    now = utcnow()
    job.last_error = error[:4000]
    if job.tries < job.max_tries and current_app.config.get("JOB_QUEUE_URL"):
        job.state = JobState.RETRYING
        job.run_after = now + timedelta(seconds=delays[min(job.tries, len(delays)) - 1])
        job.dispatched_at = None  # the sweeper sends it when it is due
    else:
        job.state = JobState.FAILED
        job.finished_at = now
        log.error("job %s (%s) failed for good after %s tries", job.id, job.name, job.tries)
    db.session.commit()
