"""An admin finds a failed background job from the admin home, reads its last error and
runs it again (here without a queue, so it runs at once)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.models import Job, JobState, Role
from app.models.base import utcnow
from tests.e2e.conftest import screenshot, sign_in


def test_an_admin_runs_a_failed_job_again(page, live_server, make_user, reference):
    admin = make_user(role=Role.ADMIN)
    export = {"name": "teams", "fmt": "csv", "basename": "organization-readiness"}
    db.session.add(
        Job(
            name="organization.export",
            kwargs={"actor_id": admin.id, "filters": {}, **export},
            owner_id=admin.id,
            state=JobState.FAILED,
            tries=5,
            max_tries=5,
            finished_at=utcnow(),
            last_error="OperationalError: the database system is shutting down",
        )
    )
    db.session.commit()
    sign_in(page, live_server, admin.email, lands_on="/admin/")
    page.get_by_role("link", name="Background jobs").click()
    expect(page.get_by_role("link", name="Failed 1")).to_have_attribute("aria-current", "page")
    row = page.get_by_role("row", name="organization.export")
    expect(row).to_contain_text("the database system is shutting down")
    expect(row).to_contain_text("5 of 5")
    screenshot(page, "admin-jobs-failed")
    row.get_by_role("button", name="Run again").click()
    expect(page.get_by_text("The job organization.export ran again and is done.")).to_be_visible()
    expect(page.get_by_text("No jobs in this state.")).to_be_visible()
    page.get_by_role("link", name="Done in the last day 1").click()
    expect(page.get_by_role("row", name="organization.export")).to_contain_text("1 of 5")
    screenshot(page, "admin-jobs-done-again")
