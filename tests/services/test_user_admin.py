"""Administrators' account list: search and pages; bulk deactivation, all or none."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.models import SYSTEM, ApiToken, AuditEvent, Role, User
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


def _blocked_on_a_lock() -> bool:
    """Whether a connection of this database waits for a row lock (PostgreSQL)."""
    if db.engine.dialect.name != "postgresql":
        return False  # SQLite takes no row locks: a second writer waits for the commit
    with db.engine.connect() as connection:
        waiting = connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


def test_two_admins_deactivating_each_other_at_once_leave_one_active(app, make_user, monkeypatch):
    """Each change sees the other administrator still active when it checks; the one
    that comes second must be refused all the same."""
    ada, bea = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    ada_id, bea_id = ada.id, bea.id
    outcomes: list[object] = []

    def other_request() -> None:
        with app.app_context():
            try:
                outcomes.append(user_admin.deactivate_users(db.session.get(User, bea_id), [ada_id]))
            except Conflict as err:
                outcomes.append(err)
            finally:
                db.session.remove()

    thread = threading.Thread(target=other_request)
    real = users._active_admins_besides

    def racing(user: User) -> int:
        found = real(user)  # Bea is still active: the check passes
        if not thread.is_alive() and not outcomes:  # Bea deactivates Ada meanwhile
            thread.start()
            deadline = time.monotonic() + 30
            while thread.is_alive() and not _blocked_on_a_lock():
                assert time.monotonic() < deadline, "the other request never got anywhere"
                thread.join(0.01)
        return found

    monkeypatch.setattr(users, "_active_admins_besides", racing)
    try:
        users.update_account(ada, bea_id, {Role.ADMIN}, active=False)
    except Conflict as err:
        outcomes.append(err)
    thread.join(timeout=30)
    assert not thread.is_alive()
    db.session.expire_all()
    active_admins = [u for u in User.query.filter_by(active=True) if Role.ADMIN in u.roles]
    assert len(active_admins) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
