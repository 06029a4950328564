"""What every "your job" page needs, whichever blueprint serves it: the status JSON the
page polls (static/job_progress.js), the words for a job's state, and the download of
its file. Ownership is checked by the service: anyone else's job is not found."""

from __future__ import annotations

from typing import Any

from flask import Response, abort
from flask_babel import gettext as _
from flask_login import current_user

from app.models import Job, JobState
from app.services import job_admin
from app.services.job_admin import Outcome
from app.web import formatting
from app.web.exports import attachment


def state_message(job: Job) -> str:
    """The job's state in a sentence for the person waiting for it."""
    if job.state == JobState.QUEUED:
        return _("Waiting for a worker to start it…")
    if job.state == JobState.RUNNING:
        return _("Working on it…")
    if job.state == JobState.RETRYING:
        return _(
            "A try failed; it will be tried again at %(time)s.",
            time=formatting.clock(job.run_after),
        )
    if job.state == JobState.FAILED:
        return _("This job failed. An administrator can see why and run it again.")
    return _("Done.")


def outcome(public_id: str) -> Outcome:
    """The signed-in person's job (404 for anyone else's)."""
    return job_admin.outcome(current_user, public_id)


def status(public_id: str) -> dict[str, Any]:
    """The JSON the job page polls: state, progress and whether it has finished."""
    found = outcome(public_id)
    job = found.job
    finished = job.state in (JobState.DONE, JobState.FAILED)
    total = found.progress.get("total", 0)
    done = found.progress.get("done", 0)
    if job.state == JobState.DONE:  # the last step shared may be the last one begun
        total = done = max(total, 1)
    return {
        "state": job.state.value,
        "finished": finished,
        "message": state_message(job),
        "done": done,
        "total": total,
        "step": "" if job.state == JobState.DONE else found.progress.get("step", ""),
    }


def download(public_id: str) -> Response:
    """The file the job made, as an attachment (404 until it exists)."""
    found = outcome(public_id)
    if found.output is None:
        abort(404)
    return attachment(found.output.data, found.output.name, found.output.media_type)
