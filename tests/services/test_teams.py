"""Teams: who may manage which team, members and managers added by admins, atomic
rosters, targets. (Managers' invitations: test_team_invitations.py.)"""

from datetime import date

import pytest

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import Role, TeamMembership, TeamTarget
from app.services import team_membership, teams
from tests.factories import make_team


@pytest.fixture
def people(reference, make_user):
    return {
        "manager": make_user(role=Role.MANAGER),
        "other_manager": make_user(role=Role.MANAGER),
        "admin": make_user(role=Role.ADMIN),
        "ana": make_user(role=Role.LEARNER, email="ana@example.org"),
        "ben": make_user(role=Role.LEARNER, email="ben@example.org"),
        "trainer": make_user(role=Role.TRAINER, email="tia@example.org"),
    }


def test_a_manager_creates_a_team_and_manages_only_their_own(people):
    desk = teams.create_team(people["manager"], "Service desk")
    assert teams.manages(people["manager"], desk.id)
    assert not teams.manages(people["other_manager"], desk.id)
    assert teams.manages(people["admin"], desk.id)
    with pytest.raises(NotFound):
        team_membership.add_person(people["other_manager"], desk.id, "ana@example.org")
    with pytest.raises(PermissionDenied):
        teams.create_team(people["ana"], "Learners' club")
    with pytest.raises(InvalidInput):
        teams.create_team(people["admin"], "service DESK")


def test_an_admin_adds_learners_and_managers_directly_from_the_directory(people):
    admin = people["admin"]
    desk = teams.create_team(people["manager"], "Service desk")
    assert team_membership.add_person(admin, desk.id, "ANA@example.org") == "added"
    assert team_membership.add_person(admin, desk.id, "ana@example.org") == "unchanged"
    with pytest.raises(InvalidInput, match="is not a learner"):
        team_membership.add_person(admin, desk.id, "tia@example.org")
    with pytest.raises(InvalidInput, match="does not hold the manager role"):
        team_membership.add_person(admin, desk.id, "ben@example.org", role="manager")
    with pytest.raises(InvalidInput, match="No active account"):
        team_membership.add_person(admin, desk.id, "nobody@example.org")
    team_membership.add_person(admin, desk.id, people["other_manager"].email, "manager")
    assert teams.manages(people["other_manager"], desk.id)
    assert teams.get_member(people["manager"], desk.id, people["ana"].id) == people["ana"]


def test_the_last_manager_stays_unless_an_admin_removes_them(people):
    desk = teams.create_team(people["manager"], "Service desk")
    with pytest.raises(Conflict):
        team_membership.remove_person(people["manager"], desk.id, people["manager"].id, "manager")
    team_membership.remove_person(people["admin"], desk.id, people["manager"].id, "manager")
    assert not teams.manages(people["manager"], desk.id)


def test_an_admins_roster_with_an_error_writes_nothing_and_says_where(people):
    admin = people["admin"]
    desk = teams.create_team(people["manager"], "Service desk")
    roster = b"email,role\nana@example.org,member\nnobody@example.org,member\n,member\n"
    report = team_membership.import_roster(admin, desk.id, roster)
    assert [(row, column) for row, column, _m in report.errors] == [(3, "email"), (4, "email")]
    assert TeamMembership.query.filter_by(team_id=desk.id, role="member").count() == 0
    good = b"\xef\xbb\xbfEmail\nana@example.org\nben@example.org\nana@example.org\n"
    report = team_membership.import_roster(admin, desk.id, good)
    assert not report.errors and (report.added, report.unchanged) == (2, 1)
    assert team_membership.import_roster(admin, desk.id, b"name\nAna\n").errors[0][:2] == (
        1,
        "email",
    )


def test_targets_by_share_or_named_members(people):
    desk = make_team(people["manager"], "Service desk", [people["ana"]])
    share = teams.add_target(people["manager"], desk.id, "foundation", date(2027, 3, 31), 0.9)
    assert share.required_share == 0.9 and not share.named_members
    named = teams.add_target(
        people["manager"], desk.id, "auditor", date(2027, 6, 30), named_emails=["ana@example.org"]
    )
    assert [m.user_id for m in named.named_members] == [people["ana"].id]
    with pytest.raises(InvalidInput):
        teams.add_target(
            people["manager"],
            desk.id,
            "auditor",
            date(2027, 6, 30),
            named_emails=["ben@example.org"],
        )
    with pytest.raises(InvalidInput):
        teams.add_target(people["manager"], desk.id, "foundation", date(2027, 3, 31), 1.5)
    with pytest.raises(NotFound):
        teams.remove_target(people["other_manager"], share.id)
    teams.remove_target(people["manager"], share.id)
    assert TeamTarget.query.count() == 1
