"""Password links: reset by e-mail and invitations to choose a first password. Signed,
expiring, single-use, dead once superseded; mailed through a real SMTP server."""

from __future__ import annotations

import time

import pytest

from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.models import SYSTEM, ApiToken, AuditEvent, Role
from app.services import account_invitations, account_links, password_reset, tokens, users
from tests.conftest import BASE_URL
from tests.factories import PASSWORD

NEW_PASSWORD = "violet-harbour-lantern-31"


def _token(link: str, prefix: str) -> str:
    assert link.startswith(f"{BASE_URL}/{prefix}/"), link
    return link.rsplit("/", 1)[1]


def _actions(user_id: int) -> list[str]:
    events = AuditEvent.query.filter_by(object_type="user", object_id=str(user_id))
    return [e.action for e in events.order_by(AuditEvent.id)]


def test_a_reset_link_is_mailed_and_sets_a_new_password_once(mail_on, make_user):
    ana = make_user(email="ana@example.org", name="Ana Lima")
    version = ana.session_version
    password_reset.request_reset("  ANA@example.org ")
    (got,) = mail_on.wait_for(1)
    assert got.rcpt_tos == ["ana@example.org"]
    assert got.message["Subject"] == "Reset your Clausewise password"
    (link,) = got.links()
    assert link in got.part("html")
    token = _token(link, "reset-password")
    assert password_reset.user_for_link(token, "reset") == ana
    password_reset.set_password_by_link(token, "reset", NEW_PASSWORD)
    assert users.authenticate("ana@example.org", NEW_PASSWORD) == ana
    assert users.authenticate("ana@example.org", PASSWORD) is None
    assert ana.session_version == version + 1  # every other session has ended
    with pytest.raises(password_reset.DeadLink):  # single use
        password_reset.set_password_by_link(token, "reset", "another-fine-phrase-77")
    assert _actions(ana.id)[-2:] == ["user.password_reset_requested", "user.password_reset"]


def test_a_reset_by_link_revokes_every_api_token_of_the_account(make_user):
    """Whoever had the account may have made a token: a reset must not leave it working."""
    ana = make_user()
    old, _plain = tokens.create_token(ana, "old")
    tokens.revoke_token(ana, old.id)
    _made, plain = tokens.create_token(ana, "made by whoever had the account")
    _ci, ci_plain = tokens.create_token(ana, "ci")
    token = account_links.make_token(ana, "reset")
    assert password_reset.set_password_by_link(token, "reset", NEW_PASSWORD) == 2
    assert tokens.user_for_token(plain) is None and tokens.user_for_token(ci_plain) is None
    db.session.rollback()  # committed, with the password
    assert users.authenticate(ana.email, NEW_PASSWORD) == ana
    assert all(t.revoked_at is not None for t in ApiToken.query.filter_by(user_id=ana.id))
    revoked = AuditEvent.query.filter_by(action="token.revoked", actor_id=ana.id)
    reasons = [e.detail.get("reason") for e in revoked.order_by(AuditEvent.id)]
    assert reasons == [None] + ["password set through an e-mailed link"] * 2


def test_a_refused_new_password_revokes_no_token(make_user):
    ana = make_user()
    _made, plain = tokens.create_token(ana, "scripts")
    with pytest.raises(InvalidInput):
        password_reset.set_password_by_link(account_links.make_token(ana, "reset"), "reset", "x")
    db.session.rollback()
    assert tokens.user_for_token(plain) == ana


def test_unknown_and_deactivated_addresses_get_nothing(mail_on, make_user):
    gone = make_user(email="gone@example.org")
    users.update_account(SYSTEM, gone.id, {Role.LEARNER}, active=False)
    password_reset.request_reset("nobody@example.org")
    password_reset.request_reset("gone@example.org")
    password_reset.request_reset("not an address")
    assert mail_on.received == []


def test_a_link_expires(app, make_user, monkeypatch):
    ana = make_user()
    token = account_links.make_token(ana, "reset")
    later = time.time() + 3600 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(password_reset.DeadLink):
        password_reset.user_for_link(token, "reset")
    monkeypatch.undo()
    assert password_reset.user_for_link(token, "reset") == ana


@pytest.mark.parametrize(
    "supersede",
    ["password changed", "signed out everywhere", "deactivated", "new password set by admin"],
)
def test_a_link_dies_when_the_account_changes(make_user, supersede):
    ana = make_user()
    token = account_links.make_token(ana, "reset")
    if supersede == "password changed":
        users.change_password(ana, PASSWORD, NEW_PASSWORD)
    elif supersede == "signed out everywhere":
        users.update_account(SYSTEM, ana.id, {Role.LEARNER, Role.TRAINER}, active=True)
    elif supersede == "deactivated":
        users.update_account(SYSTEM, ana.id, {Role.LEARNER}, active=False)
    else:
        users.set_password(SYSTEM, ana.id, NEW_PASSWORD)
    assert account_links.user_for_token(token, "reset") is None


def test_tampered_and_misdirected_tokens_are_dead(make_user):
    ana = make_user()
    token = account_links.make_token(ana, "reset")
    assert account_links.user_for_token(token[:-2] + "xx", "reset") is None
    assert account_links.user_for_token(token, "invite") is None  # another purpose's salt
    assert account_links.user_for_token("", "reset") is None
    assert account_links.user_for_token("a" * 600, "reset") is None


def test_a_weak_new_password_is_refused_and_the_link_still_works(make_user):
    ana = make_user()
    token = account_links.make_token(ana, "reset")
    before = ana.password_hash
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        password_reset.set_password_by_link(token, "reset", "short")
    assert ana.password_hash == before
    assert password_reset.user_for_link(token, "reset") == ana


def test_an_invited_account_cannot_sign_in_until_it_chooses_a_password(mail_on, app):
    invited = account_invitations.invite_user(SYSTEM, "li@example.org", "Li Wei", {Role.LEARNER})
    assert invited.mailed and not users.has_password(invited.user)
    assert users.authenticate("li@example.org", "") is None
    assert users.authenticate("li@example.org", invited.user.password_hash) is None
    (got,) = mail_on.wait_for(1)
    assert got.message["Subject"] == "You are invited to Clausewise"
    assert got.message["Auto-Submitted"] == "auto-generated"
    (link,) = got.links()
    assert link == invited.link
    token = _token(link, "welcome")
    assert account_links.user_for_token(token, "reset") is None  # an invitation only
    password_reset.set_password_by_link(token, "invite", NEW_PASSWORD)
    assert users.authenticate("li@example.org", NEW_PASSWORD) == invited.user
    assert _actions(invited.user.id) == [
        "user.created",
        "user.invited",
        "user.invitation_accepted",
    ]
    with pytest.raises(password_reset.DeadLink):
        password_reset.user_for_link(token, "invite")


def test_a_new_invitation_kills_the_old_link_and_a_chosen_password_ends_them(mail_on, app):
    first = account_invitations.invite_user(SYSTEM, "li@example.org", "Li Wei", {Role.LEARNER})
    second = account_invitations.resend_invitation(SYSTEM, first.user.id)
    assert account_links.user_for_token(_token(first.link, "welcome"), "invite") is None
    assert account_links.user_for_token(_token(second.link, "welcome"), "invite") == first.user
    assert len(mail_on.wait_for(2)) == 2
    password_reset.set_password_by_link(_token(second.link, "welcome"), "invite", NEW_PASSWORD)
    with pytest.raises(Conflict, match="has chosen a password already"):
        account_invitations.resend_invitation(SYSTEM, first.user.id)


def test_with_mail_off_the_administrator_gets_the_link(app, smtp_inbox):
    invited = account_invitations.invite_user(SYSTEM, "li@example.org", "Li Wei", {Role.LEARNER})
    assert not invited.mailed and "/welcome/" in invited.link
    event = AuditEvent.query.filter_by(action="user.invited").one()
    assert event.detail == {"mailed": False}
    assert smtp_inbox.received == []


def test_an_invitation_refuses_a_language_the_app_does_not_offer(app):
    with pytest.raises(InvalidInput, match="Choose one of the languages offered"):
        account_invitations.invite_user(SYSTEM, "li@example.org", "Li", {Role.LEARNER}, "xx")
    assert users.find_by_email("li@example.org") is None
    db.session.rollback()
