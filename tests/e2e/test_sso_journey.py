"""Signing in with OpenID Connect in Chromium, against a certified provider
(oidc-provider, run with Node): the first sign-in creates the account with the roles its
groups map to, the next reuses it, a verified e-mail links an existing account, an
unverified one is refused, and SSO-only mode shows no password form."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import Role, User, UserIdentity
from app.services import users
from tests.conftest import app_config, dispose_engines
from tests.e2e.conftest import screenshot
from tests.oidc_provider import SECRET, account, running_provider, settings

ACCOUNTS = {
    "ada": account("ada@example.org", name="Ada Byron", groups=["cw-trainers"]),
    "ann": account("ann@example.org", name="Ann Other"),
    "eve": account("victim@example.org", verified=False, name="Eve"),
}


@dataclass
class Servers:
    """The app with the test provider configured, and the same in SSO-only mode."""

    sso: str
    sso_only: str


def _placeholder(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@pytest.fixture(scope="module")
def servers(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Two live servers on free ports, and the provider that knows their callbacks.

    The servers start first (their ports name the redirect URIs the provider's client
    accepts), then the provider (its port names the issuer the apps are built with).
    """
    made = [make_server("127.0.0.1", 0, _placeholder, threaded=True) for _ in range(2)]
    bases = [f"http://127.0.0.1:{server.server_port}" for server in made]
    apps: list[Flask] = []
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in made]
    for thread in threads:
        thread.start()
    try:
        with running_provider(
            [f"{base}/login/sso/test/callback" for base in bases],
            ACCOUNTS,
            [f"{base}/login" for base in bases],
        ) as issuer:
            for server, sso_only in zip(made, (False, True), strict=True):
                config = app_config(
                    db_url,
                    WTF_CSRF_ENABLED=True,
                    INSTANCE_PATH=str(tmp_path_factory.mktemp("instance")),
                    OIDC_PROVIDERS=(settings(issuer, logout=True),),
                    SSO_ONLY=sso_only,
                )
                apps.append(create_app(config))
                server.app = apps[-1]  # type: ignore[attr-defined]
            yield Servers(*bases)
    finally:
        for server, thread in zip(made, threads, strict=True):
            server.shutdown()
            thread.join(timeout=5)
        for application in apps:
            dispose_engines(application)


def sign_in_with_provider(page, base: str, login: str) -> None:
    """From the sign-in page: the provider's button, then its login form as `login`."""
    page.goto(f"{base}/login")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    page.get_by_label("User name").fill(login)
    page.get_by_label("Secret").fill(SECRET)
    page.get_by_role("button", name="Continue").click()


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_first_sign_in_creates_the_account_and_the_next_reuses_it(page, servers):
    page.goto(f"{servers.sso}/login")
    page.get_by_role("link", name="Sign in with Test IdP").wait_for()
    assert page.get_by_label("Password").is_visible()  # passwords stay on
    screenshot(page, "sso-sign-in-page")

    sign_in_with_provider(page, servers.sso, "ada")
    page.wait_for_url(f"{servers.sso}/train/")
    assert "Question banks" in page.locator("h1").first.inner_text()
    ada = users.find_by_email("ada@example.org")
    assert ada is not None and ada.roles == {Role.TRAINER} and ada.display_name == "Ada Byron"
    screenshot(page, "sso-first-sign-in-trainer-home")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="You have signed out of Clausewise.").wait_for()
    screenshot(page, "sso-signed-out")
    page.get_by_role("link", name="Sign out of Test IdP too").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page
    page.wait_for_url(f"{servers.sso}/login?**")  # back, with the state we sent

    sign_in_with_provider(page, servers.sso, "ada")
    page.wait_for_url(f"{servers.sso}/train/")
    assert count(User) == 1 and count(UserIdentity) == 1


def test_a_verified_e_mail_links_the_account_an_unverified_one_is_refused(page, servers, make_user):
    ann = make_user(role=Role.MANAGER, email="ann@example.org", name="Ann")
    victim = make_user(role=Role.ADMIN, email="victim@example.org")
    sign_in_with_provider(page, servers.sso, "ann")
    page.wait_for_url(f"{servers.sso}/manage/")
    page.goto(f"{servers.sso}/profile")
    assert "You can sign in with Test IdP." in page.locator("main").inner_text()
    assert page.get_by_text(ann.email).first.is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign out of Test IdP too").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{servers.sso}/login?**")

    sign_in_with_provider(page, servers.sso, "eve")
    page.wait_for_url(f"{servers.sso}/login")
    alert = page.get_by_role("alert").inner_text()
    assert "Test IdP has not confirmed that victim@example.org is your e-mail address" in alert
    screenshot(page, "sso-unverified-e-mail-refused")
    page.goto(f"{servers.sso}/admin/")
    page.wait_for_url(f"{servers.sso}/login**")  # not signed in as the victim
    identities = db.session.scalars(select(UserIdentity.user_id)).all()
    assert identities == [ann.id] and victim.id not in identities


def test_sso_only_mode_shows_no_password_form(page, servers, make_user):
    make_user(role=Role.LEARNER, email="ann@example.org")
    page.goto(f"{servers.sso_only}/login")
    page.get_by_role("link", name="Sign in with Test IdP").wait_for()
    assert page.get_by_label("Password").count() == 0
    assert page.get_by_label("E-mail").count() == 0
    screenshot(page, "sso-only-sign-in-page")
    sign_in_with_provider(page, servers.sso_only, "ann")
    page.wait_for_url(f"{servers.sso_only}/learn/")
    page.goto(f"{servers.sso_only}/profile")
    assert page.get_by_label("Current password").count() == 0
    assert "change it there" in page.locator("main").inner_text()
    screenshot(page, "sso-only-profile")
