"""Account rules enforced by the users service."""

import pytest

from app.errors import Conflict, InvalidInput, PermissionDenied
from app.models import SYSTEM, AuditEvent, Role
from app.services import tokens, users
from tests.factories import PASSWORD


def test_email_is_unique_whatever_its_case(make_user):
    make_user(email="Ann.Lee@Example.org")
    with pytest.raises(Conflict):
        make_user(email="ann.lee@example.ORG")


def test_sign_in_ignores_email_case_and_records_the_time(make_user):
    user = make_user(email="Bo@example.org")
    signed_in = users.authenticate("bo@EXAMPLE.org", PASSWORD)
    assert signed_in is not None and signed_in.id == user.id
    assert signed_in.last_login_at is not None
    assert signed_in.last_login_at.tzinfo is not None


def test_wrong_password_unknown_email_and_deactivated_account_all_fail(make_user):
    user = make_user()
    assert users.authenticate(user.email, "not-the-password-1") is None
    assert users.authenticate("nobody@example.org", PASSWORD) is None
    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=False)
    assert users.authenticate(user.email, PASSWORD) is None


def test_passwords_are_stored_with_a_modern_hash(make_user):
    user = make_user()
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:sha256:"))
    assert PASSWORD not in user.password_hash


def test_weak_password_is_refused_and_nothing_is_created(app):
    with pytest.raises(InvalidInput):
        users.create_user(SYSTEM, "weak@example.org", "Weak", "password", {Role.LEARNER})
    assert users.find_by_email("weak@example.org") is None


def test_only_admins_may_create_accounts(make_user):
    trainer = make_user(role=Role.TRAINER)
    with pytest.raises(PermissionDenied):
        users.create_user(trainer, "x@example.org", "X", PASSWORD, {Role.LEARNER})


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(make_user):
    admin = make_user(role=Role.ADMIN)
    with pytest.raises(Conflict):
        users.update_account(admin, admin.id, {Role.LEARNER}, active=True)
    with pytest.raises(Conflict):
        users.update_account(admin, admin.id, {Role.ADMIN}, active=False)
    other = make_user(role=Role.ADMIN)
    users.update_account(other, admin.id, {Role.LEARNER}, active=True)
    assert admin.roles == {Role.LEARNER}


def test_role_changes_are_audited(make_user, app):
    admin = make_user(role=Role.ADMIN)
    learner = make_user()
    users.update_account(admin, learner.id, {Role.LEARNER, Role.TRAINER}, active=True)
    event = AuditEvent.query.filter_by(action="user.updated").one()
    assert event.actor_id == admin.id
    assert event.detail["after"]["roles"] == ["learner", "trainer"]


def test_changing_password_needs_the_current_one(make_user):
    user = make_user()
    with pytest.raises(InvalidInput):
        users.change_password(user, "wrong-current-pw", "a-new-long-secret-9")
    users.change_password(user, PASSWORD, "a-new-long-secret-9")
    assert users.authenticate(user.email, "a-new-long-secret-9") is not None


def test_an_administrator_setting_a_password_revokes_the_accounts_api_tokens(make_user):
    admin, ann = make_user(role=Role.ADMIN), make_user()
    _made, plain = tokens.create_token(ann, "made by whoever had the account")
    assert users.set_password(admin, ann.id, "a-new-long-secret-9") == 1
    assert tokens.user_for_token(plain) is None
    event = AuditEvent.query.filter_by(action="token.revoked").one()
    assert event.actor_id == admin.id
    assert event.detail == {"reason": "password set by an administrator"}
    assert users.set_password(SYSTEM, ann.id, "another-long-secret-8") == 0


def test_changing_ones_own_password_keeps_ones_api_tokens(make_user):
    """A routine change by the signed-in owner; the profile page lists the tokens to revoke."""
    user = make_user()
    _made, plain = tokens.create_token(user, "ci")
    users.change_password(user, PASSWORD, "a-new-long-secret-9")
    assert tokens.user_for_token(plain) == user
