"""Signing in and out, redirects, the profile page and CSRF."""

import re

import pytest

from app.models import SYSTEM, Role
from tests.factories import PASSWORD

GENERIC = b"The e-mail address or password is not correct."


def test_login_page_is_public_and_has_labelled_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert b'<label class="form-label" for="email">' in page.data
    assert b'<label class="form-label" for="password">' in page.data


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.LEARNER, "/learn/"),
        (Role.TRAINER, "/train/"),
        (Role.MANAGER, "/manage/"),
        (Role.ADMIN, "/admin/"),
    ],
)
def test_each_role_lands_on_its_home_page(client, make_user, role, home):
    user = make_user(role=role)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_failed_sign_in_says_the_same_thing_whatever_failed(client, make_user):
    user = make_user()
    wrong_password = client.post("/login", data={"email": user.email, "password": "nope-nope-1"})
    unknown = client.post("/login", data={"email": "ghost@example.org", "password": PASSWORD})
    assert wrong_password.status_code == unknown.status_code == 200
    assert GENERIC in wrong_password.data and GENERIC in unknown.data


def test_deactivated_account_gets_the_generic_message(client, make_user):
    from app.services import users

    user = make_user()
    users.update_account(SYSTEM, user.id, {Role.LEARNER}, active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert GENERIC in response.data


def test_local_next_is_followed_and_foreign_next_is_ignored(client, make_user):
    user = make_user(role={Role.LEARNER, Role.ADMIN})
    data = {"email": user.email, "password": PASSWORD}
    local = client.post("/login", data={**data, "next": "/profile"})
    assert local.headers["Location"] == "/profile"
    client.post("/logout")
    foreign = client.post("/login", data={**data, "next": "https://evil.example/"})
    assert foreign.headers["Location"] == "/admin/"


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client):
    response = client.get("/learn/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/learn/")


def test_logout_needs_post(client, login_as):
    login_as(Role.LEARNER)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/learn/").status_code == 302


def test_profile_changes_password_and_shows_rule_breaks(client, login_as):
    user = login_as(Role.LEARNER)
    weak = client.post("/profile", data={"current": PASSWORD, "new": "short", "confirm": "short"})
    assert b"Use at least 10 characters." in weak.data
    ok = client.post(
        "/profile",
        data={"current": PASSWORD, "new": "brand-new-phrase-7", "confirm": "brand-new-phrase-7"},
    )
    assert ok.status_code == 302
    client.post("/logout")
    again = client.post("/login", data={"email": user.email, "password": "brand-new-phrase-7"})
    assert again.status_code == 302


def test_forms_carry_csrf_tokens_and_posts_without_one_are_refused(make_app):
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    with strict.app_context():
        page = client.get("/login")
        assert re.search(rb'name="csrf_token" type="hidden" value="[^"]+"', page.data)
        refused = client.post("/login", data={"email": "a@example.org", "password": "x"})
        assert refused.status_code == 400
        assert b"Form expired" in refused.data
