"""Team invitations: who may answer them, withdrawing, and admins' direct additions."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput, NotFound
from app.models import Role, TeamInvitation, TeamMembership
from app.services import team_invitations, team_membership, teams


@pytest.fixture
def desk(reference, make_user):
    manager = make_user(role=Role.MANAGER)
    return {"manager": manager, "team": teams.create_team(manager, "Service desk")}


def test_only_the_account_with_that_e_mail_and_role_may_answer(desk, make_user):
    manager, team = desk["manager"], desk["team"]
    ana = make_user(role=Role.LEARNER, email="ana@example.org")
    tia = make_user(role=Role.TRAINER, email="tia@example.org")
    ben = make_user(role=Role.LEARNER)
    for email in ("  ANA@Example.org ", "tia@example.org"):
        assert team_membership.add_person(manager, team.id, email) == "invited"
    (invitation,) = team_invitations.for_invitee(ana)
    assert (invitation.team_name, invitation.role) == ("Service desk", "member")
    assert team_invitations.for_invitee(tia) == []  # a trainer is no member: nothing shown
    tias = TeamInvitation.query.filter_by(email="tia@example.org").one()
    with pytest.raises(NotFound):
        team_invitations.accept(tia, tias.id)
    with pytest.raises(NotFound):
        team_invitations.accept(ben, invitation.id)  # somebody else's invitation
    team_invitations.accept(ana, invitation.id)
    assert teams.get_member(manager, team.id, ana.id) == ana
    assert team_membership.add_person(manager, team.id, "ana@example.org") == "unchanged"


def test_a_manager_invitation_is_answered_on_the_teams_page(desk, make_user, client, login_as):
    other = make_user(role=Role.MANAGER, email="olga@example.org")
    team_membership.add_person(desk["manager"], desk["team"].id, "olga@example.org", "manager")
    assert not teams.manages(other, desk["team"].id)
    login_as(user=other)
    page = client.get("/manage/").get_data(as_text=True)
    assert "Team invitations" in page and "Invited as a manager" in page
    (invitation,) = team_invitations.for_invitee(other, "manager")
    client.post(f"/invitations/{invitation.id}/accept", data={"next": "/manage/"})
    assert teams.manages(other, desk["team"].id)


def test_invitations_are_withdrawn_by_the_teams_managers_only(desk, make_user):
    manager, team = desk["manager"], desk["team"]
    team_membership.add_person(manager, team.id, "ana@example.org")
    (pending,) = team_invitations.for_team(manager, team.id)
    with pytest.raises(NotFound):
        team_invitations.withdraw(make_user(role=Role.MANAGER), pending.id)
    assert team_invitations.withdraw(manager, pending.id) == team.id
    assert team_invitations.for_team(manager, team.id) == []


def test_only_the_form_of_an_invitation_is_checked(desk):
    manager, team = desk["manager"], desk["team"]
    with pytest.raises(InvalidInput, match="not an e-mail address"):
        team_membership.add_person(manager, team.id, "ana.example.org")
    with pytest.raises(InvalidInput, match="member or manager"):
        team_membership.add_person(manager, team.id, "ana@example.org", role="owner")
    report = team_membership.import_roster(manager, team.id, b"email,role\nnot-an-email,member\n")
    assert [(row, column) for row, column, _m in report.errors] == [(2, "email")]
    assert TeamInvitation.query.count() == 0


def test_an_admin_adding_someone_directly_clears_their_pending_invitation(desk, make_user):
    ana = make_user(role=Role.LEARNER, email="ana@example.org")
    team_membership.add_person(desk["manager"], desk["team"].id, "ana@example.org")
    admin = make_user(role=Role.ADMIN)
    assert team_membership.add_person(admin, desk["team"].id, "ana@example.org") == "added"
    assert TeamInvitation.query.count() == 0
    assert TeamMembership.query.filter_by(user_id=ana.id, role="member").count() == 1
