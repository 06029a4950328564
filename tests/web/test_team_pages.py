"""Manager team pages: create, people, roster with located errors, targets, permissions."""

import io

from app.models import Role, Team, TeamMembership, TeamTarget
from app.services import team_invitations


def test_a_manager_builds_a_team_in_the_pages(client, login_as, reference, make_user):
    ana = make_user(role=Role.LEARNER, email="ana@example.org")
    ben = make_user(role=Role.LEARNER, email="ben@example.org")
    login_as(Role.MANAGER)
    reply = client.post("/manage/", data={"name": "Service desk"})
    team = Team.query.filter_by(name="Service desk").one()
    assert reply.headers["Location"].endswith(f"/manage/teams/{team.id}/people")
    client.post(f"/manage/teams/{team.id}/people", data={"email": "ana@example.org"})
    bad = b"email\nben@example.org\nnobody.example.org\n"
    reply = client.post(
        f"/manage/teams/{team.id}/roster",
        data={"roster": (io.BytesIO(bad), "roster.csv")},
        content_type="multipart/form-data",
    )
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400 and "Row 3, column email:" in page
    assert "nobody.example.org" in page
    assert TeamMembership.query.filter_by(team_id=team.id, role="member").count() == 0
    good = b"email\nben@example.org\n"
    client.post(
        f"/manage/teams/{team.id}/roster",
        data={"roster": (io.BytesIO(good), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert TeamMembership.query.filter_by(team_id=team.id, role="member").count() == 0
    for learner in (ana, ben):  # each accepts the invitation on their home page
        (invitation,) = team_invitations.for_invitee(learner)
        team_invitations.accept(learner, invitation.id)
    assert TeamMembership.query.filter_by(team_id=team.id, role="member").count() == 2
    client.post(
        f"/manage/teams/{team.id}/targets",
        data={"scheme": "foundation", "share": "90", "due_on": "2027-03-31"},
    )
    page = client.get(f"/manage/teams/{team.id}/people").get_data(as_text=True)
    assert "90% of members ready" in page and "Mar 31, 2027" in page
    dashboard = client.get(f"/manage/teams/{team.id}").get_data(as_text=True)
    assert "of 2 ready, 2 needed" in dashboard and "90% of members" in dashboard
    assert TeamTarget.query.count() == 1


def test_managers_see_only_their_teams_and_learners_none(client, login_as, reference):
    owner = login_as(Role.MANAGER)
    client.post("/manage/", data={"name": "Internal review team"})
    team = Team.query.filter_by(name="Internal review team").one()
    assert owner.id in {m.user_id for m in team.memberships}
    login_as(Role.MANAGER)
    for page in ("", "/people", "/evidence", "/export/members.csv"):
        assert client.get(f"/manage/teams/{team.id}{page}").status_code == 404
    assert "Internal review team" not in client.get("/manage/").get_data(as_text=True)
    login_as(Role.LEARNER)
    assert client.get(f"/manage/teams/{team.id}").status_code == 403
