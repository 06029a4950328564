"""Holding a session is not a licence to guess its password: wrong current passwords on
the profile page are limited per account. And a deactivated account's API tokens are
revoked for good, so reactivating it does not bring them back."""

from __future__ import annotations

import pytest

from app.models import SYSTEM, Role
from app.services import tokens, users
from tests.factories import PASSWORD, bearer

NEW = "violet-harbour-lantern-31"
WRONG = "not-my-password-42"
REFUSAL = "Too many wrong current passwords for this account."


@pytest.fixture
def limited(make_app):
    """An app that throttles, allowing three wrong current passwords a minute."""
    return make_app(
        RATELIMIT_ENABLED=True,
        PASSWORD_CHECK_LIMIT="3 per minute",
        LOGIN_LIMIT_PER_ADDRESS="100 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100 per minute",
    )


def browser_of(app, user):
    """A browser signed in as `user`."""
    browser = app.test_client()
    reply = browser.post("/login", data={"email": user.email, "password": PASSWORD})
    assert reply.status_code == 302
    return browser


def change(browser, current: str, new: str = NEW):
    return browser.post("/profile", data={"current": current, "new": new, "confirm": new})


def test_wrong_current_passwords_are_limited_per_account(limited, make_user):
    victim, other = make_user(role=Role.LEARNER), make_user(role=Role.LEARNER)
    stolen = browser_of(limited, victim)
    for _guess in range(3):
        wrong = change(stolen, WRONG)
        assert wrong.status_code == 200
        assert "The current password is not correct." in wrong.get_data(as_text=True)

    right = change(stolen, PASSWORD)  # even the right password is refused now
    assert right.status_code == 429 and REFUSAL in right.get_data(as_text=True)
    assert int(right.headers["Retry-After"]) > 0
    # The count belongs to the account: its owner's other browser is held back too…
    assert change(browser_of(limited, victim), PASSWORD).status_code == 429
    # …the password did not change, and other accounts are not affected.
    assert browser_of(limited, victim).get("/profile").status_code == 200
    assert change(browser_of(limited, other), PASSWORD).status_code == 302


def test_only_wrong_current_passwords_count(limited, make_user):
    user = make_user(role=Role.LEARNER)
    browser = browser_of(limited, user)
    for _attempt in range(5):  # the right current password, but a new one that is refused
        weak = change(browser, PASSWORD, new="short")
        assert weak.status_code == 200 and "Use at least 10 characters." in weak.get_data(
            as_text=True
        )
    assert browser.get("/profile").status_code == 200  # looking at the page costs nothing
    assert change(browser, PASSWORD).status_code == 302


def test_deactivation_revokes_api_tokens_for_good(app, client, make_user):
    user = make_user(role=Role.LEARNER)
    headers = bearer(user, "laptop")
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=False)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=True)
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # not revived
    (listed,) = tokens.list_tokens(user)
    assert listed.revoked_at is not None

    # A role change alone leaves tokens alone; a fresh token works after reactivation.
    fresh = bearer(user, "new laptop")
    users.update_account(SYSTEM, user.id, {Role.LEARNER, Role.TRAINER}, active=True)
    assert client.get("/api/v1/me", headers=fresh).status_code == 200


def test_the_admin_page_says_deactivation_revokes_tokens(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user(role=Role.LEARNER)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "revokes its API tokens for good" in page
