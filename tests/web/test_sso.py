"""Signing in with OpenID Connect against a real provider (oidc-provider, run with Node):
accounts created on first sign-in with mapped roles, reused after, linked by verified
e-mail only; refusals that change nothing; SSO-only mode; signing out."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Role, User, UserIdentity
from app.services import users
from tests.factories import PASSWORD
from tests.oidc_provider import account, running_provider, settings, sign_in_at_provider

HERE = "http://localhost"
ACCOUNTS = {
    "ada": account("ada@example.org", name="Ada Byron", groups=["cw-trainers"], locale="en-GB"),
    "li": account("li.wei@example.org", name="李伟", locale="zh-CN"),
    "ann": account("ann@example.org", name="Ann at the provider"),
    "eve": account("victim@example.org", verified=False, name="Eve"),
    "boss": account("boss@example.org", name="The Boss", groups=["cw-admins", "other"]),
}


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    """The provider, for the whole module; its client answers to the test client's host."""
    with running_provider([f"{HERE}/login/sso/test/callback"], ACCOUNTS, [f"{HERE}/login"]) as url:
        yield url


@pytest.fixture
def sso_app(app, make_app, issuer):
    """An app with the test provider configured (and RP-initiated logout on)."""
    return make_app(OIDC_PROVIDERS=(settings(issuer, logout=True),))


def sso_sign_in(client, login: str, next_page: str | None = None):
    """Press "Sign in with Test IdP", sign in there as `login`, come back: the reply."""
    start = client.get("/login/sso/test" + (f"?next={next_page}" if next_page else ""))
    assert start.status_code == 302, start.get_data(as_text=True)
    back = sign_in_at_provider(start.headers["Location"], login, stop_at=HERE)
    return client.get(back.removeprefix(HERE))


def signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


def by_email(email: str) -> User | None:
    db.session.expire_all()
    return users.find_by_email(email)


def test_the_sign_in_page_offers_each_configured_provider(sso_app):
    page = sso_app.test_client().get("/login").get_data(as_text=True)
    assert "Sign in with Test IdP" in page and 'href="/login/sso/test"' in page
    assert 'name="password"' in page  # passwords stay on unless SSO_ONLY


def test_the_redirect_uses_pkce_state_and_nonce(sso_app, issuer):
    start = sso_app.test_client().get("/login/sso/test")
    url = urlsplit(start.headers["Location"])
    params = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}" == issuer
    assert params["code_challenge_method"] == ["S256"] and params["code_challenge"]
    assert params["state"] and params["nonce"] and params["response_type"] == ["code"]
    assert params["scope"] == ["openid email profile groups"]


def test_first_sign_in_creates_the_account_with_mapped_roles(sso_app, issuer):
    client = sso_app.test_client()
    landed = sso_sign_in(client, "ada")
    assert landed.status_code == 302 and landed.headers["Location"] == "/train/"
    ada = by_email("ada@example.org")
    assert ada is not None and ada.roles == {Role.TRAINER}
    assert ada.display_name == "Ada Byron" and ada.language == ""
    assert not users.has_password(ada) and users.authenticate(ada.email, "") is None
    identity = db.session.scalars(select(UserIdentity)).one()
    assert (identity.user_id, identity.issuer, identity.subject) == (ada.id, issuer, "ada")
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert created.one().detail == {"roles": ["trainer"], "issuer": issuer, "time_zone": "UTC"}
    assert signed_in(client)


def test_a_second_sign_in_reuses_the_account(sso_app):
    sso_sign_in(sso_app.test_client(), "boss")
    first = by_email("boss@example.org")
    assert first is not None and first.roles == {Role.ADMIN, Role.MANAGER}
    again = sso_app.test_client()
    assert sso_sign_in(again, "boss").headers["Location"] == "/admin/"
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(func.count()).select_from(UserIdentity)) == 1
    assert signed_in(again)


def test_a_chinese_locale_gives_a_chinese_account_and_no_group_the_default_role(sso_app):
    sso_sign_in(sso_app.test_client(), "li")
    li = by_email("li.wei@example.org")
    assert li is not None and li.language == "zh_Hans" and li.roles == {Role.LEARNER}
    assert li.display_name == "李伟"


def test_a_verified_e_mail_links_the_existing_account(sso_app, make_user):
    ann = make_user(role=Role.MANAGER, email="Ann@Example.org", name="Ann")
    client = sso_app.test_client()
    assert sso_sign_in(client, "ann").headers["Location"] == "/manage/"
    linked = by_email("ann@example.org")
    assert linked is not None and linked.id == ann.id
    assert linked.roles == {Role.MANAGER} and linked.display_name == "Ann"  # kept as it was
    assert db.session.scalars(select(UserIdentity.user_id)).one() == ann.id
    assert users.authenticate("ann@example.org", PASSWORD) is not None  # her password still works
    page = client.get("/profile").get_data(as_text=True)
    assert "You can sign in with Test IdP." in page and "Change password" in page


def test_a_verified_e_mail_of_an_administrators_account_is_refused(sso_app, make_user):
    boss = make_user(role=Role.ADMIN, email="boss@example.org")
    client = sso_app.test_client()
    refused = sso_sign_in(client, "boss")  # the provider even maps the person to admin
    assert refused.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "belongs to an administrator" in page and "Test IdP" in page
    assert not signed_in(client)
    assert db.session.scalar(select(func.count()).select_from(UserIdentity)) == 0
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.identity_link_refused")
    ).one()
    assert event.object_id == str(boss.id)
    password = client.post("/login", data={"email": boss.email, "password": PASSWORD})
    assert password.headers["Location"] == "/admin/" and signed_in(client)


def test_an_unverified_e_mail_of_an_existing_account_is_refused(sso_app, make_user):
    victim = make_user(role=Role.ADMIN, email="victim@example.org")
    client = sso_app.test_client()
    refused = sso_sign_in(client, "eve")
    assert refused.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Test IdP has not confirmed that victim@example.org is your e-mail address" in page
    assert not signed_in(client)
    assert db.session.scalar(select(func.count()).select_from(UserIdentity)) == 0
    assert by_email("victim@example.org").id == victim.id


def test_an_unverified_e_mail_creates_no_account_either(sso_app):
    client = sso_app.test_client()
    sso_sign_in(client, "eve")
    assert "has not confirmed" in client.get("/login").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_deactivated_account_cannot_sign_in_by_its_identity(sso_app, make_user):
    admin = make_user(role=Role.ADMIN)
    sso_sign_in(sso_app.test_client(), "ada")
    ada = by_email("ada@example.org")
    users.update_account(admin, ada.id, {Role.TRAINER}, active=False)
    client = sso_app.test_client()
    sso_sign_in(client, "ada")
    assert "Your Clausewise account is deactivated" in client.get("/login").get_data(as_text=True)
    assert not signed_in(client)


def test_sign_in_returns_to_the_page_asked_for(sso_app):
    client = sso_app.test_client()
    assert sso_sign_in(client, "ada", next_page="/profile").headers["Location"] == "/profile"


def test_a_forged_state_is_refused(sso_app):
    client = sso_app.test_client()
    start = client.get("/login/sso/test")
    back = sign_in_at_provider(start.headers["Location"], "ada", stop_at=HERE)
    parts = urlsplit(back)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    params["state"] = "forged-" + params["state"]
    assert client.get(f"{parts.path}?{urlencode(params)}").headers["Location"] == "/login"
    assert "its answer could not be checked" in client.get("/login").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_an_answer_meant_for_another_browser_is_refused(sso_app):
    start = sso_app.test_client().get("/login/sso/test")
    back = sign_in_at_provider(start.headers["Location"], "ada", stop_at=HERE)
    victim = sso_app.test_client()  # login CSRF: the attacker's code in the victim's browser
    assert victim.get(back.removeprefix(HERE)).headers["Location"] == "/login"
    assert not signed_in(victim)


def test_a_code_is_used_once(sso_app):
    client = sso_app.test_client()
    start = client.get("/login/sso/test")
    back = sign_in_at_provider(start.headers["Location"], "ada", stop_at=HERE).removeprefix(HERE)
    assert client.get(back).headers["Location"] == "/train/"
    client.post("/logout")
    assert client.get(back).headers["Location"] == "/login"
    assert not signed_in(client)


def test_a_cancelled_sign_in_says_so(sso_app):
    client = sso_app.test_client()
    state = parse_qs(urlsplit(client.get("/login/sso/test").headers["Location"]).query)["state"]
    client.get(f"/login/sso/test/callback?error=access_denied&state={state[0]}")
    assert "Signing in with Test IdP was cancelled." in client.get("/login").get_data(as_text=True)


def test_a_discovery_document_naming_another_issuer_is_refused(app, make_app, issuer):
    elsewhere = issuer.replace("127.0.0.1", "localhost")
    client = make_app(OIDC_PROVIDERS=(settings(elsewhere),)).test_client()
    assert client.get("/login/sso/test").headers["Location"] == "/login"
    assert "its answer could not be checked" in client.get("/login").get_data(as_text=True)


def test_an_unreachable_provider_is_reported(app, make_app):
    client = make_app(OIDC_PROVIDERS=(settings("http://127.0.0.1:9"),)).test_client()
    assert client.get("/login/sso/test").headers["Location"] == "/login"
    assert "Test IdP could not be reached" in client.get("/login").get_data(as_text=True)


def test_an_unknown_provider_is_not_found(sso_app):
    assert sso_app.test_client().get("/login/sso/nobody").status_code == 404


def test_signing_out_ends_the_session_and_offers_the_providers_sign_out(sso_app, issuer):
    client = sso_app.test_client()
    sso_sign_in(client, "ada")
    page = client.post("/logout")
    assert page.status_code == 200 and not signed_in(client)
    text = page.get_data(as_text=True)
    link = text.split('class="btn btn-primary" href="', 1)[1].split('"', 1)[0]
    link = link.replace("&amp;", "&")
    assert link.startswith(f"{issuer}/session/end?")
    params = parse_qs(urlsplit(link).query)
    assert params["id_token_hint"] and params["post_logout_redirect_uri"] == [f"{HERE}/login"]


def test_without_provider_logout_signing_out_goes_to_the_sign_in_page(app, make_app, issuer):
    client = make_app(OIDC_PROVIDERS=(settings(issuer),)).test_client()
    sso_sign_in(client, "ada")
    assert client.post("/logout").headers["Location"] == "/login"
    assert not signed_in(client)


# SSO-only mode


@pytest.fixture
def sso_only(app, make_app, issuer):
    def build(**extra):
        return make_app(SSO_ONLY=True, OIDC_PROVIDERS=(settings(issuer),), **extra)

    return build


def test_sso_only_hides_the_password_form_and_refuses_passwords(sso_only, make_user):
    learner = make_user(role=Role.LEARNER)
    client = sso_only().test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with Test IdP" in page and 'name="password"' not in page
    assert "Emergency administrator" not in page
    refused = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert refused.status_code == 403 and "Passwords are turned off" in refused.get_data(True)
    assert not signed_in(client)
    assert client.get("/login/emergency").status_code == 404


def test_sso_only_turns_the_password_change_off(sso_only, make_user):
    ann = make_user(role=Role.LEARNER, email="ann@example.org")
    client = sso_only().test_client()
    sso_sign_in(client, "ann")
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="current"' not in page and "change it there" in page
    data = {
        "current": PASSWORD,
        "new": "violet-harbour-lantern-31",
        "confirm": "violet-harbour-lantern-31",
    }
    assert client.post("/profile", data=data).headers["Location"] == "/profile"
    assert users.authenticate(ann.email, PASSWORD) is not None  # unchanged


def test_the_emergency_administrator_may_sign_in_with_a_password(sso_only, make_user):
    admin = make_user(role=Role.ADMIN, email="root@example.org")
    learner = make_user(role=Role.LEARNER, email="someone@example.org")
    client = sso_only(SSO_EMERGENCY_ADMIN="Root@example.org").test_client()
    assert "Emergency administrator sign-in" in client.get("/login").get_data(as_text=True)
    form = client.get("/login/emergency").get_data(as_text=True)
    assert 'name="password"' in form and "Sign in with Test IdP" not in form
    other = client.post("/login/emergency", data={"email": learner.email, "password": PASSWORD})
    assert "is not correct" in other.get_data(as_text=True) and not signed_in(client)
    wrong = client.post("/login/emergency", data={"email": admin.email, "password": "nope-nope"})
    assert "is not correct" in wrong.get_data(as_text=True) and not signed_in(client)
    right = client.post("/login/emergency", data={"email": admin.email, "password": PASSWORD})
    assert right.headers["Location"] == "/admin/" and signed_in(client)
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == admin.id))
    assert "user.emergency_sign_in" in list(events)
    assert (
        client.post("/login", data={"email": admin.email, "password": PASSWORD}).status_code == 403
    )


def test_the_emergency_address_must_belong_to_an_administrator(sso_only, make_user):
    learner = make_user(role=Role.LEARNER, email="someone@example.org")
    client = sso_only(SSO_EMERGENCY_ADMIN=learner.email).test_client()
    client.post("/login/emergency", data={"email": learner.email, "password": PASSWORD})
    assert not signed_in(client)
