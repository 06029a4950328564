"""Bulk CSV user import: located errors, all or nothing, a dry run, BOM or not, invitations."""

from __future__ import annotations

import pytest

from app.errors import PermissionDenied
from app.models import SYSTEM, AuditEvent, Role, User
from app.services import teams, user_import, users
from tests.conftest import BASE_URL


@pytest.fixture
def admin(reference, make_user):
    admin = make_user(role=Role.ADMIN, email="root@example.org", name="Root")
    teams.create_team(admin, "Service desk")
    teams.create_team(admin, "Auditors")
    return admin


GOOD = (
    "email,name,roles,language,teams\n"
    "ana@example.org,Ana Lima,learner,en,Service desk\n"
    "li.wei@example.org,李伟,learner;manager,zh,Service desk|auditors\n"
    "ben@example.org,Ben Berg,trainer,,\n"
)


def test_a_dry_run_says_what_would_happen_and_writes_nothing(admin, make_user):
    make_user(role=Role.LEARNER, email="ben@example.org", name="Ben Old")
    report = user_import.import_users(admin, GOOD.encode(), dry_run=True)
    assert report.errors == [] and not report.applied
    assert [(r.row, r.email, r.action) for r in report.rows] == [
        (2, "ana@example.org", "create"),
        (3, "li.wei@example.org", "create"),
        (4, "ben@example.org", "update"),
    ]
    assert report.rows[1].changes == [
        "roles: learner, manager",
        "language: zh_Hans",
        "joins the team Service desk",
        "joins the team Auditors",
    ]
    assert report.rows[2].changes == ["name: Ben Old → Ben Berg", "roles: learner → trainer"]
    assert users.find_by_email("ana@example.org") is None
    assert User.query.count() == 2


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_an_import_creates_invites_and_changes_accounts(admin, make_user, mail_on, bom):
    ben = make_user(role=Role.LEARNER, email="ben@example.org", name="Ben Old")
    version = ben.session_version
    report = user_import.import_users(admin, bom + GOOD.encode())
    assert report.errors == [] and report.applied and report.links == []
    li = users.find_by_email("li.wei@example.org")
    assert li.display_name == "李伟" and li.language == "zh_Hans"
    assert li.roles == {Role.LEARNER, Role.MANAGER} and not users.has_password(li)
    assert {t.name for t in teams_of(li)} == {"Service desk", "Auditors"}
    assert ben.display_name == "Ben Berg" and ben.roles == {Role.TRAINER}
    assert ben.session_version == version + 1  # new roles sign the account out
    got = mail_on.wait_for(2)
    assert sorted(r.rcpt_tos[0] for r in got) == ["ana@example.org", "li.wei@example.org"]
    li_mail = mail_on.to("li.wei@example.org")[0]
    assert li_mail.message["Content-Language"] == "zh-Hans"
    assert li_mail.links()[0].startswith(f"{BASE_URL}/welcome/")
    event = AuditEvent.query.filter_by(action="user.imported").one()
    assert event.detail == {"created": 2, "updated": 1}


def teams_of(user):
    from app.models import Team, TeamMembership

    return Team.query.join(TeamMembership).filter(TeamMembership.user_id == user.id).all()


def test_without_mail_the_import_hands_over_the_links(admin, smtp_inbox):
    report = user_import.import_users(admin, GOOD.encode())
    emails = [email for email, _link in report.links]
    assert emails == ["ana@example.org", "li.wei@example.org", "ben@example.org"]
    assert all("/welcome/" in link for _email, link in report.links)
    assert smtp_inbox.received == []


def test_every_error_is_located_and_nothing_is_written(admin, make_user):
    make_user(role=Role.TRAINER, email="tia@example.org")
    bad = (
        "email,name,roles,language,teams\n"
        "ana@example.org,Ana,learner,en,Service desk\n"  # fine
        ",Nobody,learner,,\n"
        "not-an-address,X,learner,,\n"
        "ana@example.org,Ana Again,learner,,\n"
        "cy@example.org,,,,\n"
        "dee@example.org,Dee,learner;wizard,,\n"
        "eve@example.org,Eve,learner,fr,\n"
        "fay@example.org,Fay,learner,,Night shift\n"
        "tia@example.org,,,,Service desk\n"
        f"gus@example.org,{'G' * 121},learner,,\n"
        "hal@example.org,Hal,learner,,,extra\n"
    )
    report = user_import.import_users(admin, bad.encode())
    located = [(row, column) for row, column, _why in report.errors]
    assert located == [
        (3, "email"),
        (4, "email"),
        (5, "email"),
        (6, "name"),
        (6, "roles"),
        (7, "roles"),
        (8, "language"),
        (9, "teams"),
        (10, "teams"),
        (11, "name"),
        (12, ""),
    ]
    whys = dict(((row, column), why) for row, column, why in report.errors)
    assert whys[(5, "email")] == "the same e-mail as row 2"
    assert "wizard" in whys[(7, "roles")] and "Night shift" in whys[(9, "teams")]
    assert "only learners" in whys[(10, "teams")]
    assert not report.applied and users.find_by_email("ana@example.org") is None


@pytest.mark.parametrize(
    ("content", "location"),
    [
        (b"mail,name,roles\nx@example.org,X,learner\n", [(1, "mail"), (1, "email")]),
        (b"email,name,roles\n", [(0, "")]),
        (b"email,name,roles\nx@example.org,Caf\xe9,learner\n", [(2, "")]),
        (b"", [(1, "email"), (1, "name"), (1, "roles")]),
    ],
)
def test_file_level_problems_are_located_too(admin, content, location):
    report = user_import.import_users(admin, content)
    assert [(row, column) for row, column, _why in report.errors] == location


def test_semicolon_separated_files_are_read(admin):
    content = b"email;name;roles\nana@example.org;Ana;learner\n"
    report = user_import.import_users(admin, content)
    assert report.applied and users.find_by_email("ana@example.org") is not None


def test_an_import_cannot_remove_the_last_administrator(admin):
    report = user_import.import_users(admin, b"email,name,roles\nroot@example.org,Root,learner\n")
    assert [(r, c) for r, c, _w in report.errors] == [(0, "roles")]
    assert Role.ADMIN in admin.roles


def test_only_administrators_import(reference, make_user):
    with pytest.raises(PermissionDenied):
        user_import.import_users(make_user(role=Role.MANAGER), GOOD.encode())
    assert user_import.import_users(SYSTEM, b"email,name,roles\na@example.org,A,learner\n").applied


def test_one_reading_lists_every_problem_of_a_row(admin):
    report = user_import.import_users(
        admin, b"email,name,roles,language,teams\n,X,wizard,fr,Nowhere\n"
    )
    assert [(r, c) for r, c, _w in report.errors] == [
        (2, "email"),
        (2, "roles"),
        (2, "language"),
        (2, "teams"),
    ]
