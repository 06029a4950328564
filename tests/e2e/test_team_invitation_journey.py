"""A manager invites a learner by e-mail in the browser; the learner accepts on her home
page; only then does she appear on the team's pages."""

from app.models import Role
from app.services import teams
from tests.e2e.conftest import screenshot, sign_in


def test_a_learner_joins_a_team_only_by_accepting_its_invitation(
    page, live_server, make_user, reference
):
    manager = make_user(role=Role.MANAGER, email="mei@example.org")
    make_user(role=Role.LEARNER, email="lena@example.org", name="Lena Learner")
    team = teams.create_team(manager, "Service desk")

    sign_in(page, live_server, "mei@example.org")
    page.goto(f"{live_server}/manage/teams/{team.id}/people")
    page.get_by_label("E-mail", exact=True).fill("lena@example.org")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_load_state()
    assert "Invitation recorded for lena@example.org." in page.get_by_role("alert").inner_text()
    assert "Lena Learner" not in page.content()  # invited: her name and results stay hers
    screenshot(page, "team-invitation-pending")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "lena@example.org")
    invitations = page.locator("section.cw-invitations")
    assert "Service desk" in invitations.inner_text()
    screenshot(page, "learner-team-invitation")
    invitations.get_by_role("button", name="Accept the invitation to Service desk").click()
    page.wait_for_url(f"{live_server}/learn/")
    assert "You joined Service desk." in page.get_by_role("alert").inner_text()
    assert page.locator("section.cw-invitations").count() == 0
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "mei@example.org")
    page.goto(f"{live_server}/manage/teams/{team.id}/people")
    assert "Lena Learner" in page.content() and "No pending invitations." in page.content()
