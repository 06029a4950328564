"""A manager invites by e-mail: nothing of a learner reaches the manager until the learner
accepts on their home page, and every reply reads the same whatever the e-mail."""

from __future__ import annotations

import io
import re

import pytest

from app.models import SYSTEM, Role
from app.services import teams, users
from tests.factories import bearer, sit_exam

NAME = "Ana Invitee"


def alerts(page: str) -> list[str]:
    """The flashed messages of a page, as plain text."""
    found = re.findall(r'role="alert">\s*(.*?)\s*<button', page, flags=re.S)
    return [re.sub(r"\s+", " ", text) for text in found]


@pytest.fixture
def desk(banks, make_user):
    """A manager's team and a learner of the organisation with a mock exam behind her."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name=NAME)
    team = teams.create_team(manager, "Service desk")
    sit_exam(ana, right=True)
    return {"manager": manager, "ana": ana, "team": team}


def manager_views(client, team_id: int, learner_id: int) -> dict[str, object]:
    """Every way a manager reads a team's members: pages, exports, evidence."""
    base = f"/manage/teams/{team_id}"
    return {
        "learner page": client.get(f"{base}/learners/{learner_id}").status_code,
        "dashboard": NAME in client.get(base).get_data(as_text=True),
        "members.csv": NAME in client.get(f"{base}/export/members.csv").get_data(as_text=True),
        "evidence": NAME in client.get(f"{base}/evidence").get_data(as_text=True),
        "evidence.json": NAME in client.get(f"{base}/evidence.json").get_data(as_text=True),
    }


def test_an_invited_learner_is_hidden_from_the_manager_until_she_accepts(client, login_as, desk):
    manager, ana, team = desk["manager"], desk["ana"], desk["team"]
    login_as(user=manager)
    client.post(f"/manage/teams/{team.id}/people", data={"email": "ana@example.org"})
    assert "ana@example.org" in client.get(f"/manage/teams/{team.id}/people").get_data(
        as_text=True
    )  # listed as invited…
    assert manager_views(client, team.id, ana.id) == {  # …and nothing of hers is shown
        "learner page": 404,
        "dashboard": False,
        "members.csv": False,
        "evidence": False,
        "evidence.json": False,
    }
    api = client.get(f"/api/v1/teams/{team.id}/readiness", headers=bearer(manager, "hr"))
    assert api.status_code == 200 and NAME not in api.get_data(as_text=True)

    login_as(user=ana)
    home = client.get("/learn/").get_data(as_text=True)
    assert "Team invitations" in home and "Service desk" in home
    (invitation_id,) = re.findall(r'action="/invitations/(\d+)/accept"', home)
    reply = client.post(
        f"/invitations/{invitation_id}/accept", data={"next": "/learn/"}, follow_redirects=True
    )
    assert "You joined Service desk." in alerts(reply.get_data(as_text=True))
    assert "Team invitations" not in client.get("/learn/").get_data(as_text=True)

    login_as(user=manager)
    assert manager_views(client, team.id, ana.id) == {
        "learner page": 200,
        "dashboard": True,
        "members.csv": True,
        "evidence": True,
        "evidence.json": True,
    }


def test_a_learner_who_declines_never_joins(client, login_as, desk):
    manager, ana, team = desk["manager"], desk["ana"], desk["team"]
    login_as(user=manager)
    client.post(f"/manage/teams/{team.id}/people", data={"email": "ana@example.org"})
    login_as(user=ana)
    (invitation_id,) = re.findall(
        r'action="/invitations/(\d+)/decline"', client.get("/learn/").get_data(as_text=True)
    )
    client.post(f"/invitations/{invitation_id}/decline", data={"next": "/learn/"})
    assert client.post(f"/invitations/{invitation_id}/accept").status_code == 404
    login_as(user=manager)
    assert manager_views(client, team.id, ana.id)["learner page"] == 404


@pytest.mark.parametrize("role", ["member", "manager"])
def test_the_reply_to_a_manager_is_the_same_whatever_the_e_mail(
    client, login_as, make_user, reference, role
):
    manager = login_as(Role.MANAGER)
    team = teams.create_team(manager, "Service desk")
    gone = make_user(role=Role.LEARNER)
    users.update_account(SYSTEM, gone.id, {Role.LEARNER}, active=False)
    emails = [
        make_user(role=Role.LEARNER).email,
        make_user(role=Role.TRAINER).email,
        make_user(role=Role.MANAGER).email,
        make_user(role=Role.ADMIN).email,
        gone.email,
        "nobody-at-all@example.org",
    ]
    replies = set()
    for email in emails:
        reply = client.post(
            f"/manage/teams/{team.id}/people",
            data={"email": email, "role": role},
            follow_redirects=True,
        )
        assert reply.status_code == 200
        replies.add(
            tuple(m.replace(email, "<e-mail>") for m in alerts(reply.get_data(as_text=True)))
        )
    assert len(replies) == 1, replies
    roster = "email,role\n" + "".join(f"{e},{role}\n" for e in ["ghost@example.org", *emails])
    reply = client.post(
        f"/manage/teams/{team.id}/roster",
        data={"roster": (io.BytesIO(roster.encode()), "roster.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert alerts(reply.get_data(as_text=True)) == [
        "Roster imported: 0 added, 1 invited, 6 already invited or in the team."
    ]


def test_an_admin_adds_a_learner_at_once_and_is_told_plainly_about_unknown_e_mails(
    client, login_as, desk
):
    login_as(Role.ADMIN)
    team, ana = desk["team"], desk["ana"]
    reply = client.post(
        f"/manage/teams/{team.id}/people", data={"email": "ana@example.org"}, follow_redirects=True
    )
    assert alerts(reply.get_data(as_text=True)) == ["ana@example.org was added to the team."]
    assert client.get(f"/manage/teams/{team.id}/learners/{ana.id}").status_code == 200
    unknown = client.post(f"/manage/teams/{team.id}/people", data={"email": "x@example.org"})
    assert unknown.status_code == 400
    assert "No active account has the e-mail x@example.org." in unknown.get_data(as_text=True)
