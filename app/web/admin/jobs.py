"""The background jobs page for admins: jobs by state, their last error, and "run
again" for the failed ones."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Conflict
from app.models import JobState, Role
from app.security import role_required
from app.services import job_admin, jobs
from app.web.admin.forms import RunAgainForm
from app.web.admin.routes import bp

SHOWN_STATES = (
    JobState.FAILED,
    JobState.RETRYING,
    JobState.QUEUED,
    JobState.RUNNING,
    JobState.DONE,
)


@bp.get("/jobs")
@role_required(Role.ADMIN)
def jobs_page():
    """Admins: background jobs in one state (failed first), with their last error."""
    raw = request.args.get("state", JobState.FAILED.value)
    if raw not in {s.value for s in SHOWN_STATES}:
        abort(404)
    state = JobState(raw)
    return render_template(
        "admin/jobs.html",
        state=state,
        states=SHOWN_STATES,
        counts=job_admin.counts(current_user),
        rows=job_admin.jobs_in_state(current_user, state),
        form=RunAgainForm(),
        queue_on=jobs.queue_configured(),
    )


@bp.post("/jobs/<public_id>/run-again")
@role_required(Role.ADMIN)
def run_job_again(public_id: str):
    """Admins: queue a failed job again (audited)."""
    if not RunAgainForm().validate_on_submit():
        abort(400)
    try:
        job = job_admin.run_again(current_user, public_id)
    except Conflict as err:
        flash(err.message, "warning")
    else:
        if job.state == JobState.QUEUED:
            flash(_("The job %(name)s is queued again.", name=job.name), "success")
        elif job.state == JobState.DONE:
            flash(_("The job %(name)s ran again and is done.", name=job.name), "success")
        else:
            flash(_("The job %(name)s ran again and failed again.", name=job.name), "warning")
    return redirect(url_for("admin.jobs_page", state=JobState.FAILED.value))
