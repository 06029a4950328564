"""E-mails about teams, through a real SMTP server: team invitations reach the invitee,
a new drill reaches the team's learners who want it, and an unsubscribe link works."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import InvalidInput
from app.models import SYSTEM, AuditEvent, Role
from app.services import account_links, notifications, team_membership, teams, users
from tests.conftest import BASE_URL
from tests.factories import make_team


@pytest.fixture
def desk(reference, make_user):
    manager = make_user(role=Role.MANAGER, name="Maria Manager")
    return {"manager": manager, "team": teams.create_team(manager, "Service desk")}


def test_a_managers_invitation_is_mailed_to_the_invitee(mail_on, desk, make_user):
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="Ana Lima")
    team_membership.add_person(desk["manager"], desk["team"].id, "ANA@example.org")
    (got,) = mail_on.wait_for(1)
    assert got.rcpt_tos == ["ana@example.org"]
    assert got.message["Subject"] == "Invitation to the team Service desk"
    text = got.part("plain")
    assert "Hello Ana Lima," in text and "Maria Manager invited you to join" in text
    assert "Sign in with this e-mail address" in text and f"{BASE_URL}/login" in got.links()
    # The same invitation again is "unchanged": no second e-mail.
    assert team_membership.add_person(desk["manager"], desk["team"].id, ana.email) == "unchanged"
    assert len(mail_on.received) == 1


def test_an_address_without_an_account_is_told_how_to_get_one(mail_on, desk):
    outcome = team_membership.add_person(desk["manager"], desk["team"].id, "new@example.org")
    assert outcome == "invited"  # the manager hears the same as for an account
    (got,) = mail_on.wait_for(1)
    assert "has no account for this e-mail address yet" in got.part("plain")


def test_a_roster_mails_each_invitee_once_and_a_failed_one_mails_nobody(mail_on, desk):
    manager, team = desk["manager"], desk["team"]
    bad = b"email\nana@example.org\nnot-an-address\n"
    assert team_membership.import_roster(manager, team.id, bad).errors
    assert mail_on.received == []
    good = b"email,role\nana@example.org,member\nben@example.org,member\n"
    assert team_membership.import_roster(manager, team.id, good).invited == 2
    got = mail_on.wait_for(2)
    assert sorted(r.rcpt_tos[0] for r in got) == ["ana@example.org", "ben@example.org"]


def test_an_admins_direct_addition_sends_no_invitation(mail_on, desk, make_user):
    admin = make_user(role=Role.ADMIN)
    ana = make_user(role=Role.LEARNER)
    assert team_membership.add_person(admin, desk["team"].id, ana.email) == "added"
    assert mail_on.received == []


@pytest.fixture
def drill_team(banks, make_user):
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="Ana")
    ben = make_user(role=Role.LEARNER, email="ben@example.org", name="Ben")
    cy = make_user(role=Role.LEARNER, email="cy@example.org", name="Cy")
    team = make_team(manager, "Service desk", [ana, ben, cy])
    return {"manager": manager, "team": team, "ana": ana, "ben": ben, "cy": cy}


def test_a_drill_is_mailed_to_learners_who_want_it(mail_on, drill_team):
    ana, ben, cy = drill_team["ana"], drill_team["ben"], drill_team["cy"]
    notifications.set_drill_emails(ben, False)
    users.update_account(SYSTEM, cy.id, {Role.LEARNER}, active=False)
    mail_on.received.clear()
    teams.assign_drill(
        drill_team["manager"],
        drill_team["team"].id,
        "foundation",
        "8.2",
        10,
        note="Before the audit",
        due_on=date(2027, 3, 31),
    )
    (got,) = mail_on.wait_for(1)
    assert got.rcpt_tos == [ana.email] and len(mail_on.received) == 1
    assert got.message["Subject"] == "New drill on clause 8.2"
    text = got.part("plain")
    assert "10 questions on clause 8.2" in text and "Mar 31, 2027" in text
    assert "Before the audit" in text and f"{BASE_URL}/learn/" in text
    unsubscribe = got.message["List-Unsubscribe"].strip("<>")
    assert got.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.startswith(f"{BASE_URL}/unsubscribe/")
    token = unsubscribe.rsplit("/", 1)[1]
    assert notifications.unsubscribe(token) == ana and not ana.drill_emails
    assert notifications.unsubscribe(token) == ana  # twice is harmless
    events = AuditEvent.query.filter_by(action="user.drill_emails_changed").all()
    assert [(e.object_id, e.detail["on"]) for e in events] == [
        (str(ben.id), False),
        (str(ana.id), False),
    ]


def test_a_drill_e_mail_gives_the_deadline_on_each_learners_clocks(mail_on, drill_team):
    """The manager types a day on their clocks (UTC: it ends at 23:59 UTC); a learner in
    Shanghai reads the moment on theirs, with the time and the zone, as it is not the end
    of their day; a learner in UTC reads the day alone."""
    ana, ben, cy = drill_team["ana"], drill_team["ben"], drill_team["cy"]
    for learner, zone in ((ana, "Asia/Shanghai"), (ben, "UTC")):
        users.update_account(SYSTEM, learner.id, {Role.LEARNER}, True, time_zone=zone)
    notifications.set_drill_emails(cy, False)
    mail_on.received.clear()
    teams.assign_drill(
        drill_team["manager"],
        drill_team["team"].id,
        "foundation",
        "8.2",
        5,
        due_on=date(2027, 3, 31),
    )
    got = {r.rcpt_tos[0]: r.part("plain") for r in mail_on.wait_for(2)}
    assert "Please finish it by 07:59 on Apr 1, 2027 (Asia/Shanghai time)." in got[ana.email]
    assert "Please finish it by Mar 31, 2027." in got[ben.email]


def test_an_unsubscribe_link_survives_a_new_password_but_not_tampering(drill_team):
    ana = drill_team["ana"]
    token = account_links.make_token(ana, "unsubscribe")
    users.set_password(SYSTEM, ana.id, "violet-harbour-lantern-31")
    assert notifications.unsubscribe_user(token) == ana
    with pytest.raises(InvalidInput):
        notifications.unsubscribe(token[:-3] + "abc")
    assert account_links.user_for_token(token, "reset") is None


def test_with_mail_off_a_drill_is_assigned_and_nothing_is_sent(drill_team, smtp_inbox, caplog):
    with caplog.at_level("INFO", logger="app.services.mail"):
        teams.assign_drill(drill_team["manager"], drill_team["team"].id, "foundation", "8.2")
    assert caplog.text.count("mail is off") == 3
    assert smtp_inbox.received == []
