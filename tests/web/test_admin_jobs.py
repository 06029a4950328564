"""The admin's background jobs page: jobs by state with their last error, "run again"
for a failed one (audited), and the count on the admin home."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Job, JobState, Role
from app.models.base import utcnow


def _job(state: JobState, error: str = "", name: str = "mail.send") -> Job:
    job = Job(
        name=name,
        kwargs={"to": 1},
        state=state,
        tries=5 if state == JobState.FAILED else 1,
        max_tries=5,
        last_error=error,
        finished_at=utcnow() if state in (JobState.FAILED, JobState.DONE) else None,
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_admins_see_failed_jobs_with_their_error_and_the_count_on_home(client, login_as):
    _job(JobState.FAILED, "LrsError: the LRS at http://lrs/xAPI cannot be reached")
    _job(JobState.RETRYING, "SMTPServerDisconnected")
    _job(JobState.DONE)
    login_as(Role.ADMIN)
    home = client.get("/admin/").get_data(as_text=True)
    assert "Background jobs" in home and "1 failed" in home and "1 waiting" in home
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "mail.send" in page and "cannot be reached" in page and "5 of 5" in page
    assert "/run-again" in page and "SMTPServerDisconnected" not in page
    retrying = client.get("/admin/jobs?state=retrying").get_data(as_text=True)
    assert "SMTPServerDisconnected" in retrying and "/run-again" not in retrying
    assert client.get("/admin/jobs?state=nonsense").status_code == 404


def test_without_a_queue_run_again_runs_a_failed_job_at_once_and_is_audited(
    client, login_as, reference
):
    admin = login_as(Role.ADMIN)
    job = _job(JobState.FAILED, "RuntimeError: down", name="organization.export")
    job.owner_id = admin.id
    job.kwargs = {
        "actor_id": admin.id,
        "name": "teams",
        "fmt": "csv",
        "filters": {},
        "basename": "o",
    }
    db.session.commit()
    reply = client.post(f"/admin/jobs/{job.public_id}/run-again", follow_redirects=True)
    assert "The job organization.export ran again and is done." in reply.get_data(as_text=True)
    db.session.expire_all()
    again = db.session.get_one(Job, job.id)
    assert (again.state, again.tries, again.last_error) == (JobState.DONE, 1, "")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.run_again")).one()
    assert event.actor_id == admin.id and event.detail["error"] == "RuntimeError: down"
    twice = client.post(f"/admin/jobs/{job.public_id}/run-again", follow_redirects=True)
    assert "Only a failed job can be run again." in twice.get_data(as_text=True)


def test_a_job_run_again_without_a_queue_that_fails_is_failed_at_once(client, login_as):
    login_as(Role.ADMIN)
    job = _job(JobState.FAILED, "x", name="test.no_such_task")  # no such task is registered
    reply = client.post(f"/admin/jobs/{job.public_id}/run-again", follow_redirects=True)
    assert "ran again and failed again" in reply.get_data(as_text=True)
    db.session.expire_all()
    again = db.session.get_one(Job, job.id)
    assert (again.state, again.tries) == (JobState.FAILED, 1)
    assert again.last_error == "KeyError: \"no task is registered as 'test.no_such_task'\""


def test_only_admins_see_or_rerun_jobs(client, login_as):
    job = _job(JobState.FAILED, "x")
    login_as(Role.TRAINER)
    assert client.get("/admin/jobs").status_code == 403
    assert client.post(f"/admin/jobs/{job.public_id}/run-again").status_code == 403
    db.session.expire_all()
    assert db.session.get_one(Job, job.id).state == JobState.FAILED


def test_run_again_without_the_csrf_token_is_refused(make_app):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        job = _job(JobState.FAILED, "x")
        reply = guarded.test_client().post(f"/admin/jobs/{job.public_id}/run-again")
        assert reply.status_code == 400
        assert db.session.scalars(select(Job.state)).one() == JobState.FAILED
