"""Jobs as people see them: admins list them by state and run failed ones again; the
person who started an import or an export follows it and fetches its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.errors import Conflict, NotFound, PermissionDenied
from app.extensions import db
from app.models import Job, JobFile, JobState, Role, User
from app.models.base import utcnow
from app.services import audit, job_queue
from app.services.jobs import _PENDING, queue_configured

RECENT = timedelta(days=1)  # "done recently" on the admin page
SHOWN = 100  # rows per state on the admin page


def _admin(actor: User) -> None:
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators may see the background jobs."))


def counts(actor: User) -> dict[str, int]:
    """How many jobs are in each state (done: in the last day)."""
    _admin(actor)
    rows = db.session.execute(
        select(Job.state, func.count())
        .where((Job.state != JobState.DONE) | (Job.finished_at >= utcnow() - RECENT))
        .group_by(Job.state)
    ).all()
    found = {str(state): n for state, n in rows}
    return {state.value: found.get(state.value, 0) for state in JobState}


def jobs_in_state(actor: User, state: JobState) -> list[Job]:
    """The jobs in one state, newest first (done ones: of the last day only)."""
    _admin(actor)
    stmt = select(Job).where(Job.state == state)
    if state == JobState.DONE:
        stmt = stmt.where(Job.finished_at >= utcnow() - RECENT)
    return list(db.session.scalars(stmt.order_by(Job.id.desc()).limit(SHOWN)))


def run_again(actor: User, public_id: str) -> Job:
    """Queue a failed job again with a fresh set of tries; audited. Without a queue (it
    was turned off since), the job runs at once, in this request, as inline tasks do."""
    _admin(actor)
    job = db.session.scalar(select(Job).where(Job.public_id == public_id))
    if job is None:
        raise NotFound(_("There is no such job."))
    won = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.state == JobState.FAILED)
        .values(
            state=JobState.QUEUED,
            tries=0,
            run_after=utcnow(),
            dispatched_at=utcnow(),
            finished_at=None,
        )
    ).rowcount  # type: ignore[attr-defined]
    if not won:
        db.session.rollback()
        raise Conflict(_("Only a failed job can be run again."))
    audit.record(actor, "job.run_again", "job", job.id, name=job.name, error=job.last_error)
    if queue_configured():
        db.session.info.setdefault(_PENDING, []).append(job.id)  # to Redis after the commit
    db.session.commit()
    if not queue_configured():  # queued once, now without a queue: run it here, as inline
        from app.services import job_runner

        job_runner.run(job.id)
    db.session.refresh(job)
    return job


@dataclass(frozen=True)
class Outcome:
    """What the owner's page shows of a job."""

    job: Job
    progress: dict[str, Any]
    output: JobFile | None


def _owned(actor: User, public_id: str) -> Job:
    """The actor's own job (anyone else's is not found)."""
    job = db.session.scalar(select(Job).where(Job.public_id == public_id))
    if job is None or job.owner_id != actor.id:
        raise NotFound(_("There is no such job."))
    return job


def outcome(actor: User, public_id: str) -> Outcome:
    """The actor's job with its progress and, once done, its output file."""
    job = _owned(actor, public_id)
    shared = job_queue.progress(job.id) if queue_configured() else {}
    output = db.session.scalar(
        select(JobFile).where(JobFile.job_id == job.id, JobFile.role == "output")
    )
    return Outcome(job, shared or {"done": 0, "total": 0, "step": ""}, output)
