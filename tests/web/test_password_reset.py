"""Password reset and invitation links in the browser: the same answer for every address,
given before any work is done; links that work once; rate limits; unsubscribing."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Role
from app.services import account_links, users
from tests.conftest import BASE_URL
from tests.factories import PASSWORD

NEW_PASSWORD = "violet-harbour-lantern-31"
SENT = "If an account has the address"


@pytest.fixture
def web(make_app, smtp_inbox):
    """An app of its own with mail on: each request gets its own app context (so no user
    is carried over in `g`), as does the work done after a response."""
    return make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_inbox.port,
        MAIL_SECURITY="none",
        MAIL_FROM="Clausewise <noreply@clausewise.test>",
        BASE_URL=BASE_URL,
    )


def _path(link: str) -> str:
    assert link.startswith(BASE_URL)
    return link.removeprefix(BASE_URL)


def test_the_sign_in_page_offers_a_reset_only_when_mail_is_on(client, app, smtp_inbox):
    assert b"Forgot your password?" not in client.get("/login").data
    page = client.get("/forgot-password").get_data(as_text=True)
    assert "passwords cannot be reset here" in page and "<form" not in page.split("<main")[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_inbox.port, MAIL_SECURITY="none")
    try:
        assert b'href="/forgot-password"' in client.get("/login").data
    finally:
        app.config["MAIL_SERVER"] = ""


def test_known_and_unknown_addresses_get_the_same_answer_before_any_mail(
    web, smtp_inbox, make_user
):
    make_user(email="ana@example.org")
    client = web.test_client()
    answers = {}
    for email in ("ghost@example.org", "ana@example.org"):
        response = client.post("/forgot-password", data={"email": email})
        # The answer is complete before the work starts: nothing is sent yet.
        assert smtp_inbox.received == []
        answers[email] = (response.status_code, response.location, response.get_data())
        response.close()  # a server closes it once sent: then the work runs
        page = client.get("/login").get_data(as_text=True)
        assert SENT in page and email in page
    assert answers["ana@example.org"] == answers["ghost@example.org"]
    (got,) = smtp_inbox.wait_for(1)
    assert got.rcpt_tos == ["ana@example.org"] and len(smtp_inbox.received) == 1


def test_a_reset_link_sets_a_new_password_and_signs_out_other_sessions(web, smtp_inbox, make_user):
    ana = make_user(email="ana@example.org")
    client, other_browser = web.test_client(), web.test_client()
    other_browser.post("/login", data={"email": ana.email, "password": PASSWORD})
    assert other_browser.get("/profile").status_code == 200
    client.post("/forgot-password", data={"email": ana.email}).close()
    (got,) = smtp_inbox.wait_for(1)
    path = _path(got.links()[0])
    page = client.get(path).get_data(as_text=True)
    assert "Choose a new password" in page and "ana@example.org" in page
    refused = client.post(path, data={"new": "short", "confirm": "short"})
    assert refused.status_code == 200 and b"at least 10 characters" in refused.data
    done = client.post(path, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/login"
    db.session.expire_all()  # the page's own app context wrote it
    assert users.authenticate(ana.email, NEW_PASSWORD) is not None
    assert other_browser.get("/profile").status_code == 302  # signed out there
    again = client.get(path)
    assert again.status_code == 410 and b"expired or has already been used" in again.data


def test_a_reset_revokes_the_api_tokens_and_says_how_many(client, app, make_user):
    from app.services import tokens

    ana = make_user(email="ana@example.org")
    plains = [tokens.create_token(ana, name)[1] for name in ("ci", "made by an intruder")]
    me = [{"Authorization": f"Bearer {plain}"} for plain in plains]
    assert client.get("/api/v1/me", headers=me[0]).status_code == 200
    path = f"/reset-password/{account_links.make_token(ana, 'reset')}"
    done = client.post(path, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Your password is saved." in page
    assert "2 API tokens of this account have been revoked" in page
    assert [client.get("/api/v1/me", headers=h).status_code for h in me] == [401, 401]
    # Without tokens to revoke, the page says nothing about them.
    again = f"/reset-password/{account_links.make_token(ana, 'reset')}"
    client.post(again, data={"new": "amber-meadow-kettle-42", "confirm": "amber-meadow-kettle-42"})
    page = client.get("/login").get_data(as_text=True)
    assert "Your password is saved." in page and "API token" not in page


def test_a_broken_link_is_a_clear_dead_end(client, app):
    response = client.get("/reset-password/not-a-token")
    assert response.status_code == 410 and b"Forgot your password?" in response.data
    assert client.post("/welcome/not-a-token", data={"new": NEW_PASSWORD}).status_code == 410


def test_an_invitation_link_sets_the_first_password(client, app, make_user):
    from app.models import SYSTEM
    from app.services import account_invitations

    invited = account_invitations.invite_user(SYSTEM, "li@example.org", "Li Wei", {Role.LEARNER})
    path = invited.link.removeprefix(app.config["BASE_URL"])
    assert path.startswith("/welcome/")
    assert b"Welcome to Clausewise, Li Wei" in client.get(path).data
    client.post(path, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    signed_in = client.post("/login", data={"email": "li@example.org", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(path).status_code == 410


def test_reset_requests_are_limited_alike_for_every_address(make_app, make_user):
    limited = make_app(
        RATELIMIT_ENABLED=True,
        PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour",
        PASSWORD_RESET_LIMIT_PER_ADDRESS="100 per hour",
    )
    make_user(email="ana@example.org")
    client = limited.test_client()
    codes = {}
    for email in ("ana@example.org", "ghost@example.org"):
        replies = []
        for n, spelling in enumerate([email, email.upper(), f" {email} "]):
            response = client.post(
                "/forgot-password",
                data={"email": spelling},
                environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
            )
            replies.append(response)
            response.close()
        codes[email] = [r.status_code for r in replies]
        assert b"Too many password reset requests" in replies[-1].data
    assert codes["ana@example.org"] == codes["ghost@example.org"] == [302, 302, 429]


def test_unsubscribing_asks_first_then_works_with_one_click(make_app, make_user, app):
    strict = make_app(WTF_CSRF_ENABLED=True)  # as in production: CSRF on
    ana = make_user(role=Role.LEARNER)
    token = account_links.make_token(ana, "unsubscribe")
    client = strict.test_client()
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and b"Stop the e-mails" in page.data
    db.session.expire_all()
    assert ana.drill_emails  # a GET changes nothing
    # RFC 8058: the mail program POSTs this body, with no form token and no cookie.
    done = client.post(
        f"/unsubscribe/{token}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200 and b"will no longer get an e-mail" in done.data
    db.session.expire_all()
    assert not ana.drill_emails
    assert client.get("/unsubscribe/x" + token).status_code == 404


def test_learners_turn_drill_emails_off_and_on_on_their_profile(client, login_as):
    ana = login_as(Role.LEARNER)
    page = client.get("/profile").get_data(as_text=True)
    assert re.search(r'id="drill_emails"[^>]*checked', page)
    client.post("/profile/e-mails", data={})
    assert not ana.drill_emails
    page = client.get("/profile").get_data(as_text=True)
    assert "no longer get e-mails about drills" in page
    assert not re.search(r'id="drill_emails"[^>]*checked', page)
    client.post("/profile/e-mails", data={"drill_emails": "y"})
    assert ana.drill_emails


def test_a_trainer_sees_no_drill_choice(client, login_as):
    login_as(Role.TRAINER)
    assert b'id="drill_emails"' not in client.get("/profile").data


@pytest.mark.parametrize("path", ["/forgot-password", "/reset-password/x", "/unsubscribe/x"])
def test_the_public_pages_need_no_sign_in(client, app, path):
    assert client.get(path).status_code in (200, 404, 410)


def test_sign_in_records_the_time_by_any_password(client, make_user, app):
    ana = make_user()
    assert ana.last_login_at is None
    client.post("/login", data={"email": ana.email, "password": PASSWORD})
    assert ana.last_login_at is not None


def test_sso_only_mode_takes_no_reset_request_and_no_link(make_app, make_user, smtp_inbox):
    """With passwords off, neither a reset request nor a live reset or invitation link
    (made before the mode was turned on) sets a password."""
    from tests.oidc_provider import settings

    ann = make_user(email="ann@example.org")
    links = [
        f"/reset-password/{account_links.make_token(ann, 'reset')}",
        f"/welcome/{account_links.make_token(ann, 'invite')}",
    ]
    sso_only = make_app(
        SSO_ONLY=True,
        OIDC_PROVIDERS=(settings("https://sso.example.org"),),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_inbox.port,
        MAIL_SECURITY="none",
        MAIL_FROM="Clausewise <noreply@clausewise.test>",
        BASE_URL=BASE_URL,
    )
    browser = sso_only.test_client()
    assert browser.post("/forgot-password", data={"email": ann.email}).status_code == 404
    for path in links:
        assert browser.get(path).status_code == 404
        data = {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert browser.post(path, data=data).status_code == 404
    db.session.expire_all()
    assert users.authenticate(ann.email, PASSWORD) is not None  # unchanged
    assert smtp_inbox.received == []
