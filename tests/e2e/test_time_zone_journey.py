"""Time zones in the browser: an administrator sets the organization's zone, a manager
chooses hers on the profile and types a deadline on her clocks, and a learner in another
zone reads it on his. axe checks the new controls (its script needs the CSP bypassed)."""

from __future__ import annotations

from datetime import UTC, datetime

from axe_playwright_python.sync_playwright import Axe

from app.extensions import db
from app.models import Role, TeamTarget, User
from app.services import time_zones
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_team

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _violations(page) -> list[str]:
    page.wait_for_load_state("load")
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{rule['id']}: {rule['help']}" for rule in found]


def test_zones_are_chosen_in_the_pages_and_a_deadline_reads_on_each_readers_clocks(
    browser, live_server, make_user, banks
):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: dict[str, list[str]] = {}

    make_user(role=Role.ADMIN, email="admin@clausewise.test", name="Ada Admin")
    sign_in(page, live_server, "admin@clausewise.test")
    page.goto(f"{live_server}/admin/")
    page.get_by_role("link", name="Organization settings").click()
    page.get_by_label("Organization time zone").select_option("Asia/Shanghai")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("The organization's time zone is now Asia/Shanghai.").wait_for()
    found["settings"] = _violations(page)
    screenshot(page, "tz-organization-settings")
    page.get_by_role("button", name="Sign out").click()

    manager = make_user(role=Role.MANAGER, email="mei@clausewise.test", name="Mei Manager")
    learner = make_user(role=Role.LEARNER, email="leo@clausewise.test", name="Leo Learner")
    assert manager.time_zone == learner.time_zone == "Asia/Shanghai"  # the organization's
    team = make_team(manager, "Service desk", [learner])

    sign_in(page, live_server, "mei@clausewise.test")
    page.goto(f"{live_server}/profile")
    zone = page.get_by_role("combobox", name="Time zone")
    assert zone.input_value() == "Asia/Shanghai"
    found["profile"] = _violations(page)
    screenshot(page, "tz-profile")

    page.goto(f"{live_server}/manage/teams/{team.id}/people")
    page.get_by_label("Due date", exact=True).fill("2026-12-12")
    page.get_by_label("Time (optional)").fill("23:59")
    page.get_by_role("button", name="Add target").click()
    page.get_by_text("Target added.").wait_for()
    assert "Due by Dec 12, 2026" in page.content()
    found["people"] = _violations(page)
    screenshot(page, "tz-target-deadline")
    page.get_by_role("button", name="Sign out").click()

    db.session.expire_all()
    target = db.session.query(TeamTarget).one()
    assert target.due_at == datetime(2026, 12, 12, 15, 59, tzinfo=UTC)

    time_zones.set_own_zone(db.session.get(User, manager.id), "Europe/London")
    sign_in(page, live_server, "mei@clausewise.test")
    page.goto(f"{live_server}/manage/teams/{team.id}/people")
    assert "by Dec 12, 2026, 15:59" in page.content()  # London is on GMT in December
    context.close()

    assert not any(found.values()), found
