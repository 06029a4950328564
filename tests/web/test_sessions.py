"""A new password, a deactivation or other roles end every other session and every
remember-me cookie of that user; the browser that changed its own password stays in.

The browsers talk to an app of their own (`web`): each request then gets its own app
context, so no signed-in user is carried over from one request to the next in `g`.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models import SYSTEM, Role
from app.services import tokens, users
from tests.factories import PASSWORD

NEW = "violet-harbour-lantern-31"
REMEMBER = "remember_token"


@pytest.fixture
def web(make_app) -> Flask:
    """A second app on the test database, whose requests each push a fresh app context."""
    return make_app()


def signed_in(app: Flask, user, remember: bool = False) -> FlaskClient:
    """A fresh browser signed in as `user`, with or without "keep me signed in"."""
    browser = app.test_client()
    data = {"email": user.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    assert browser.post("/login", data=data).status_code == 302
    return browser


def is_signed_in(browser: FlaskClient) -> bool:
    return browser.get("/profile").status_code == 200


def with_only_cookie(app: Flask, value: str) -> FlaskClient:
    """A browser that carries nothing but a remember-me cookie."""
    browser = app.test_client()
    browser.set_cookie(REMEMBER, value)
    return browser


def test_a_password_change_signs_out_every_other_session_and_remember_cookie(web, make_user):
    user = make_user(role=Role.LEARNER)
    here, elsewhere = signed_in(web, user, remember=True), signed_in(web, user, remember=True)
    old_cookie = elsewhere.get_cookie(REMEMBER).value
    assert with_only_cookie(web, old_cookie).get("/learn/").status_code == 200

    reply = here.post("/profile", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert reply.status_code == 302

    assert is_signed_in(here)  # the browser that changed it stays signed in…
    assert not is_signed_in(elsewhere)  # …every other one is signed out,
    assert with_only_cookie(web, old_cookie).get("/learn/").status_code == 302  # old cookie too
    fresh_cookie = here.get_cookie(REMEMBER).value  # …and this browser's cookie is reissued
    assert fresh_cookie != old_cookie
    assert with_only_cookie(web, fresh_cookie).get("/learn/").status_code == 200


def test_a_failed_password_change_ends_nothing(web, make_user):
    user = make_user(role=Role.LEARNER)
    here, elsewhere = signed_in(web, user), signed_in(web, user)
    here.post("/profile", data={"current": "not-the-password", "new": NEW, "confirm": NEW})
    assert is_signed_in(here) and is_signed_in(elsewhere)


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(web, make_user):
    user = make_user(role=Role.LEARNER)
    browser = signed_in(web, user, remember=True)
    cookie = browser.get_cookie(REMEMBER).value
    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=False)
    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=True)
    assert not is_signed_in(browser)
    assert with_only_cookie(web, cookie).get("/learn/").status_code == 302


def test_a_role_change_ends_sessions_but_saving_the_same_roles_does_not(web, make_user):
    user = make_user(role={Role.LEARNER, Role.TRAINER})
    browser = signed_in(web, user)
    users.update_account(SYSTEM, user.id, {Role.LEARNER, Role.TRAINER}, active=True)
    assert is_signed_in(browser)
    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=True)
    assert not is_signed_in(browser)


def test_an_admin_setting_a_password_on_the_command_line_ends_sessions(app, web, make_user):
    user = make_user(role=Role.LEARNER)
    _made, plain = tokens.create_token(user, "made by whoever had the account")
    browser = signed_in(web, user, remember=True)
    cookie = browser.get_cookie(REMEMBER).value
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", "--email", user.email, "--password-stdin"], input=NEW + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "1 API token revoked" in result.output
    assert tokens.user_for_token(plain) is None
    assert not is_signed_in(browser)
    assert with_only_cookie(web, cookie).get("/learn/").status_code == 302


def test_an_admin_who_changes_their_own_roles_stays_signed_in_there(web, make_user):
    admin = make_user(role=Role.ADMIN)
    make_user(role=Role.ADMIN)  # another admin, so this one may give the role up
    here, elsewhere = signed_in(web, admin), signed_in(web, admin)
    data = {"roles": ["admin", "trainer"], "active": "y"}
    assert here.post(f"/admin/users/{admin.id}", data=data).status_code == 302
    assert is_signed_in(here) and not is_signed_in(elsewhere)


def test_a_session_from_before_session_versions_is_signed_out(web, make_user):
    user = make_user(role=Role.LEARNER)
    browser = web.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(user.id)  # the plain id older releases stored
        session["_fresh"] = True
    assert not is_signed_in(browser)
