"""Administrators' account list: search and pages; bulk deactivation, all or none."""

from __future__ import annotations

import pytest

from app.errors import Conflict, InvalidInput, PermissionDenied
from app.models import SYSTEM, ApiToken, AuditEvent, Role
from app.services import tokens, user_admin, users
from tests.factories import PASSWORD


def test_search_finds_names_and_e_mails_in_any_case_a_page_at_a_time(make_user):
    admin = make_user(role=Role.ADMIN, email="root@example.org", name="Root")
    for n in range(7):
        make_user(email=f"desk{n}@example.org", name=f"Desk Person {n}")
    make_user(email="li@example.org", name="李伟")
    make_user(email="pct@example.org", name="100% sure_thing")
    page = user_admin.search_users(admin, "DESK", page=2, per_page=3)
    assert (page.total, page.pages, page.page) == (7, 3, 2)
    assert [u.email for u in page.users] == [f"desk{n}@example.org" for n in (3, 4, 5)]
    assert [u.email for u in user_admin.search_users(admin, "李").users] == ["li@example.org"]
    assert [u.email for u in user_admin.search_users(admin, "0% s").users] == ["pct@example.org"]
    assert user_admin.search_users(admin, "_").total == 1  # wildcards are literal
    assert user_admin.search_users(admin, "desk", page=99, per_page=3).page == 3
    assert user_admin.search_users(admin, "nobody").total == 0
    assert user_admin.search_users(admin).total == 10


def test_only_administrators_list_accounts(make_user):
    with pytest.raises(PermissionDenied):
        user_admin.search_users(make_user(role=Role.MANAGER))


def test_bulk_deactivation_ends_sessions_and_tokens_and_is_audited(make_user):
    admin = make_user(role=Role.ADMIN)
    ana, ben = make_user(), make_user()
    tokens.create_token(ana, "laptop")
    versions = (ana.session_version, ben.session_version)
    assert user_admin.deactivate_users(admin, [ana.id, ben.id]) == 2
    assert not ana.active and not ben.active
    assert (ana.session_version, ben.session_version) == (versions[0] + 1, versions[1] + 1)
    assert ApiToken.query.filter(ApiToken.revoked_at.is_(None)).count() == 0
    assert users.authenticate(ana.email, PASSWORD) is None
    bulk = AuditEvent.query.filter_by(action="user.bulk_deactivated").one()
    assert bulk.actor_id == admin.id and sorted(bulk.detail["ids"]) == sorted([ana.id, ben.id])
    assert AuditEvent.query.filter_by(action="user.deactivated").count() == 2
    assert user_admin.deactivate_users(admin, [ana.id]) == 0  # already deactivated


def test_bulk_deactivation_is_all_or_none(make_user):
    admin = make_user(role=Role.ADMIN)
    other_admin = make_user(role=Role.ADMIN)
    ana = make_user()
    with pytest.raises(Conflict, match="your own account"):
        user_admin.deactivate_users(admin, [ana.id, admin.id])
    with pytest.raises(InvalidInput, match="No account has the id 999999"):
        user_admin.deactivate_users(admin, [ana.id, 999999])
    with pytest.raises(InvalidInput, match="Select at least one"):
        user_admin.deactivate_users(admin, [])
    assert ana.active
    user_admin.deactivate_users(admin, [other_admin.id])  # another admin remains: admin
    with pytest.raises(Conflict, match="no active administrator"):
        user_admin.deactivate_users(SYSTEM, [admin.id, ana.id])
    assert admin.active and ana.active
