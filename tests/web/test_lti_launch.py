"""LTI 1.3 launches from the test platform: login initiation, launch, sign-in, and every
refusal (state, nonce, signature, audience, deployment, issuer, expiry, replay)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading

import pytest
from joserfc.jwk import RSAKey
from sqlalchemy import event

from app.extensions import db
from app.models import (
    Attempt,
    AttemptMode,
    AuditEvent,
    LtiAccount,
    LtiContext,
    LtiLink,
    Role,
    User,
)
from app.services import lti_identity, lti_keys
from tests.factories import PASSWORD, make_user
from tests.lti_platform import INSTRUCTOR, LEARNER, MENTOR, launch, register_tool

MOCK = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}


@pytest.fixture
def tool(make_app, lti_platform, app, monkeypatch):
    """Clausewise with LTI on, registered with the platform; a browser on it."""
    application = make_app(LTI_ENABLED=True)
    monkeypatch.setitem(app.config, "LTI_ENABLED", True)  # services called by the tests
    lti_platform.tool_login_url = "http://localhost/lti/login"
    lti_platform.tool_launch_urls = ["http://localhost/lti/launch"]
    register_tool(lti_platform)
    lti_platform.add_course("itsm-101", "ITSM 101", "ITSM101")
    lti_platform.add_user(
        "ann", [LEARNER], name="Ann Archer", email="ann@college.example", locale="zh-CN"
    )
    lti_platform.add_user("ian", [INSTRUCTOR], name="Ian Instructor", email="ian@college.example")
    lti_platform.add_link("mock-1", "itsm-101", "Foundation mock", MOCK)
    return application.test_client()


def _signed_in(client) -> bool:
    return client.get("/learn/").status_code == 200


def test_lti_is_off_by_default(client):
    assert client.get("/lti/jwks").status_code == 404
    assert client.get("/lti/login?iss=x").status_code == 404
    assert client.post("/lti/launch").status_code == 404


def test_the_jwks_endpoint_publishes_the_tool_key_with_its_kid(tool):
    keys = tool.get("/lti/jwks").get_json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert key["kid"] == lti_keys.signing_key().kid
    assert "d" not in key and "p" not in key  # never the private parts
    RSAKey.import_key(key)  # a usable public key


def test_a_learner_launch_signs_in_and_opens_the_linked_mock_exam(tool, lti_platform, banks):
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 303
    link = db.session.query(LtiLink).one()
    assert response.headers["Location"] == f"/lti/links/{link.id}"
    assert link.activity == {"kind": "mock", "scheme": "foundation", "clauses": [], "count": 0}
    assert link.lineitem_url == lti_platform.lineitem_url("li-1") and link.may_score
    user = db.session.query(User).filter_by(email="ann@college.example").one()
    assert user.roles == {Role.LEARNER} and user.display_name == "Ann Archer"
    assert user.language.startswith("zh")  # from the launch's locale, zh-CN
    assert db.session.query(LtiAccount).one().subject == "sub-ann"
    page = tool.get(response.headers["Location"], headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    started = tool.post(f"/lti/links/{link.id}/start")
    assert started.status_code == 302
    attempt = db.session.query(Attempt).one()
    assert started.headers["Location"] == f"/learn/attempts/{attempt.id}"
    assert attempt.mode == AttemptMode.MOCK and attempt.user_id == user.id
    assert attempt.settings["lti"] == {
        "link": link.id,
        "account": db.session.query(LtiAccount).one().id,
    }
    again = tool.post(f"/lti/links/{link.id}/start")  # resumes, starts nothing new
    assert again.headers["Location"] == f"/learn/attempts/{attempt.id}"
    assert db.session.query(Attempt).count() == 1
    assert "Foundation" in text


def test_a_second_launch_finds_the_same_account(tool, lti_platform, banks):
    launch(tool, lti_platform, "mock-1", "ann")
    tool.post("/logout")
    assert launch(tool, lti_platform, "mock-1", "ann").status_code == 303
    assert db.session.query(User).count() == 1 and db.session.query(LtiAccount).count() == 1


def test_a_first_launch_links_the_account_with_the_same_email(tool, lti_platform, banks):
    existing = make_user(email="Ann@College.example", password=None)  # invited, not taken up
    launch(tool, lti_platform, "mock-1", "ann")
    assert db.session.query(LtiAccount).one().user_id == existing.id
    actions = {e.action for e in db.session.query(AuditEvent)}
    assert "lti.account_linked" in actions and "lti.account_created" not in actions


def test_an_administrators_account_is_never_linked_by_email(tool, lti_platform, banks):
    make_user(role=Role.ADMIN, email="ann@college.example")
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 409
    assert "never linked" in response.get_data(as_text=True)
    assert db.session.query(LtiAccount).count() == 0 and not _signed_in(tool)


@pytest.mark.parametrize("linked", [True, False])
def test_a_platform_never_signs_in_to_an_account_made_administrator_later(
    tool, lti_platform, banks, linked
):
    """The platform vouched for an e-mail once (linked to an account, or made one with
    it); promoting that account later must not let the platform sign in as an admin."""
    from app.models import SYSTEM
    from app.services import users

    if linked:
        make_user(email="ann@college.example", password=None)
    assert launch(tool, lti_platform, "mock-1", "ann").status_code == 303
    tool.post("/logout")
    ann = db.session.query(User).filter_by(email="ann@college.example").one()
    users.update_account(SYSTEM, ann.id, {Role.ADMIN, Role.LEARNER}, active=True)
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 403
    assert "administrator" in response.get_data(as_text=True)
    assert tool.get("/admin/").status_code != 200 and not _signed_in(tool)


def test_the_platforms_administrators_sign_in_as_administrators_when_registered_so(
    make_app, lti_platform, app, monkeypatch
):
    from tests.lti_platform import ADMINISTRATOR

    application = make_app(LTI_ENABLED=True)
    monkeypatch.setitem(app.config, "LTI_ENABLED", True)
    lti_platform.tool_login_url = "http://localhost/lti/login"
    lti_platform.tool_launch_urls = ["http://localhost/lti/launch"]
    register_tool(lti_platform, admins_are_admins=True)
    lti_platform.add_course("itsm-101", "ITSM 101")
    lti_platform.add_user("ada", [ADMINISTRATOR], email="ada@college.example")
    lti_platform.add_link("mock-1", "itsm-101", "Foundation mock", MOCK)
    browser = application.test_client()
    for _time in range(2):  # made an administrator, then signed in again as one
        assert launch(browser, lti_platform, "mock-1", "ada").status_code == 303
        assert browser.get("/admin/").status_code == 200
        browser.post("/logout")


def test_an_instructor_gets_the_registrations_roles(tool, lti_platform, banks):
    response = launch(tool, lti_platform, "mock-1", "ian")
    assert response.status_code == 303
    user = db.session.query(User).filter_by(email="ian@college.example").one()
    assert user.roles == {Role.TRAINER, Role.MANAGER}
    page = tool.get(response.headers["Location"]).get_data(as_text=True)
    assert "learners start the activity here" in page
    assert "Fill the team from the course" in page


def test_a_mentor_gets_no_access(tool, lti_platform, banks):
    lti_platform.add_user("meg", [MENTOR], email="meg@college.example")
    response = launch(tool, lti_platform, "mock-1", "meg")
    assert response.status_code == 403
    assert db.session.query(User).count() == 0


def test_a_launch_replaces_whoever_was_signed_in(tool, lti_platform, banks):
    other = make_user(role=Role.ADMIN)
    tool.post("/login", data={"email": other.email, "password": PASSWORD})
    launch(tool, lti_platform, "mock-1", "ann")
    assert tool.get("/admin/").status_code == 403  # now Ann, a learner


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda c: c.update(nonce="not-the-nonce"), "nonce"),
        (lambda c: c.update(aud="another-tool"), "audience"),
        (
            lambda c: c.update(aud=["clausewise-tool", "another-tool"], azp="another-tool"),
            "audience",
        ),
        (lambda c: c.update(iss="https://impostor.example"), "issuer"),
        (lambda c: c.update(exp=c["iat"] - 3600), "expired"),
        (
            lambda c: c.update(
                {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "other"}
            ),
            "deployment",
        ),
        (
            lambda c: c.update({"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"}),
            "version",
        ),
        (
            lambda c: c.update({"https://purl.imsglobal.org/spec/lti/claim/message_type": "Other"}),
            "message_type",
        ),
        (lambda c: c.pop("sub"), "anonymous"),
    ],
)
def test_a_tampered_token_is_refused_and_signs_nobody_in(
    tool, lti_platform, banks, tamper, reason, caplog
):
    lti_platform.tamper = tamper
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 400
    assert "The launch was refused" in response.get_data(as_text=True)
    assert f"LTI launch refused: {reason}" in caplog.text
    assert db.session.query(User).count() == 0 and not _signed_in(tool)


def _forged(token: str, header: dict, key) -> str:
    """The token's claims under another header: unsigned, or signed with `key`."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    if key is None:
        return f"{part(header)}.{part(claims)}."
    signing_input = f"{part(header)}.{part(claims)}".encode()
    mac = hmac.new(key, signing_input, hashlib.sha256).digest()
    return signing_input.decode() + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_an_unsigned_or_symmetric_token_is_refused(tool, lti_platform, banks, caplog, alg):
    """`alg: none`, and HS256 keyed with the platform's public key (key confusion)."""
    login = tool.get("/lti/login", query_string=lti_platform.login_params("mock-1", "ann"))
    _action, fields = lti_platform.authorize(login.headers["Location"])
    public_pem = lti_platform.key.as_pem(private=False)
    key = None if alg == "none" else public_pem
    forged = _forged(fields["id_token"], {"alg": alg, "kid": "platform-key-1"}, key)
    response = tool.post("/lti/launch", data={**fields, "id_token": forged})
    assert response.status_code == 400
    assert "LTI launch refused: signature" in caplog.text
    assert db.session.query(User).count() == 0 and not _signed_in(tool)


@pytest.mark.parametrize("claim", ["exp", "iat", "nonce"])
def test_a_token_without_exp_iat_or_nonce_is_refused(tool, lti_platform, banks, claim):
    lti_platform.tamper = lambda c: c.pop(claim)
    assert launch(tool, lti_platform, "mock-1", "ann").status_code == 400
    assert db.session.query(User).count() == 0 and not _signed_in(tool)


def test_a_login_naming_an_unregistered_deployment_is_refused(tool, lti_platform):
    params = {**lti_platform.login_params("mock-1", "ann"), "lti_deployment_id": "other"}
    response = tool.get("/lti/login", query_string=params)
    assert response.status_code == 400
    assert "cw_lti_" not in response.headers.get("Set-Cookie", "")  # no state cookie


def test_a_token_signed_by_another_key_is_refused(tool, lti_platform, banks, caplog):
    lti_platform.sign_with = RSAKey.generate_key(
        2048, private=True, parameters={"kid": "platform-key-1"}
    )
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 400
    assert "LTI launch refused: signature" in caplog.text
    assert not _signed_in(tool)


def test_a_wrong_state_is_refused(tool, lti_platform, banks):
    login = tool.get("/lti/login", query_string=lti_platform.login_params("mock-1", "ann"))
    _action, fields = lti_platform.authorize(login.headers["Location"])
    response = tool.post("/lti/launch", data={**fields, "state": "x" * 32})
    assert response.status_code == 400
    assert "could not be matched to the login" in response.get_data(as_text=True)
    assert not _signed_in(tool)


def test_a_launch_without_the_state_cookie_is_refused(tool, lti_platform, banks):
    login = tool.get("/lti/login", query_string=lti_platform.login_params("mock-1", "ann"))
    _action, fields = lti_platform.authorize(login.headers["Location"])
    tool.delete_cookie(f"cw_lti_{fields['state']}", path="/lti/launch")
    assert tool.post("/lti/launch", data=fields).status_code == 400
    assert not _signed_in(tool)


def test_a_replayed_launch_is_refused(tool, lti_platform, banks, caplog):
    login = tool.get("/lti/login", query_string=lti_platform.login_params("mock-1", "ann"))
    cookie = tool.get_cookie(f"cw_lti_{_state_of(login)}", path="/lti/launch")
    _action, fields = lti_platform.authorize(login.headers["Location"])
    assert tool.post("/lti/launch", data=fields).status_code == 303
    tool.post("/logout")
    tool.set_cookie(cookie.key, cookie.value, path="/lti/launch")  # a captured cookie, too
    assert tool.post("/lti/launch", data=fields).status_code == 400
    assert "LTI launch refused: replayed" in caplog.text
    assert not _signed_in(tool)


def _state_of(login) -> str:
    from tests.lti_platform import query

    return query(login.headers["Location"])["state"]


def test_the_login_redirect_carries_what_the_platform_needs(tool, lti_platform):
    login = tool.get("/lti/login", query_string=lti_platform.login_params("mock-1", "ann"))
    from tests.lti_platform import query

    params = query(login.headers["Location"])
    assert login.headers["Location"].startswith(f"{lti_platform.url}/auth?")
    assert params["scope"] == "openid" and params["response_type"] == "id_token"
    assert params["response_mode"] == "form_post" and params["prompt"] == "none"
    assert params["client_id"] == "clausewise-tool" and params["login_hint"] == "ann"
    assert params["redirect_uri"] == "http://localhost/lti/launch"
    assert params["lti_message_hint"] == "mock-1" and params["nonce"] and params["state"]
    cookie = login.headers["Set-Cookie"]
    assert f"cw_lti_{params['state']}=" in cookie and "HttpOnly" in cookie
    assert "Path=/lti/launch" in cookie and "SameSite=Lax" in cookie
    assert params["nonce"] not in cookie  # sealed, not readable


def test_a_login_from_an_unknown_platform_is_refused(tool):
    response = tool.get(
        "/lti/login",
        query_string={"iss": "https://unknown.example", "login_hint": "x", "target_link_uri": "y"},
    )
    assert response.status_code == 400
    assert "not registered with Clausewise" in response.get_data(as_text=True)


def test_secure_cookies_are_samesite_none(make_app, lti_platform):
    application = make_app(LTI_ENABLED=True, LTI_COOKIE_SECURE=True)
    lti_platform.tool_launch_urls = ["http://localhost/lti/launch"]
    register_tool(lti_platform)
    lti_platform.add_course("c", "C")
    client = application.test_client()
    login = client.get("/lti/login", query_string=lti_platform.login_params("x", "y"))
    cookie = login.headers["Set-Cookie"]
    assert "SameSite=None" in cookie and "Secure" in cookie


def test_a_deactivated_account_is_refused(tool, lti_platform, banks):
    from app.models import SYSTEM
    from app.services import users

    launch(tool, lti_platform, "mock-1", "ann")
    tool.post("/logout")
    ann = db.session.query(User).one()
    users.update_account(SYSTEM, ann.id, {Role.LEARNER}, active=False)
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 403
    assert "Your Clausewise account is deactivated." in response.get_data(as_text=True)
    assert not _signed_in(tool)


def test_roles_are_added_never_taken_away(tool, lti_platform, banks):
    launch(tool, lti_platform, "mock-1", "ian")  # trainer and manager
    tool.post("/logout")
    lti_platform.users["ian"]["roles"] = [LEARNER]  # now enrolled as a student
    launch(tool, lti_platform, "mock-1", "ian")
    ian = db.session.query(User).one()
    db.session.refresh(ian)
    assert ian.roles == {Role.LEARNER, Role.TRAINER, Role.MANAGER}
    [added, more] = [e for e in db.session.query(AuditEvent) if e.action == "lti.roles_added"]
    assert added.detail["roles"] == ["manager", "trainer"] and more.detail["roles"] == ["learner"]


# --- first launches at the same moment ------------------------------------------------


class _Meanwhile:
    """Another launch that lands while this one is between reading and writing a row.

    PostgreSQL lets it run to its commit there (the worst interleaving). SQLite lets one
    writer at a time, and this launch already holds the write lock (it spent its nonce),
    so there the other one runs at once but waits for this one's commit.
    """

    def __init__(self, post) -> None:
        self.post = post
        self.replies: list = []
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is not None:  # once; and never from the other launch itself
            return
        self.thread = threading.Thread(target=lambda: self.replies.append(self.post()))
        self.thread.start()
        if db.engine.dialect.name == "postgresql":
            self.thread.join(timeout=30)

    def reply(self):
        assert self.thread is not None, "the other launch never started"
        self.thread.join(timeout=30)
        assert not self.thread.is_alive() and self.replies, "the other launch never finished"
        return self.replies[0]


def _ready_to_post(client, platform, hint: str, user: str) -> dict[str, str]:
    """A launch up to the platform's answer: the form its page would post to the tool."""
    login = client.get("/lti/login", query_string=platform.login_params(hint, user))
    _action, fields = platform.authorize(login.headers["Location"])
    return fields


@pytest.mark.parametrize("email", ["ann@college.example", None])
def test_two_first_launches_of_one_person_at_once_make_one_account(
    tool, lti_platform, monkeypatch, email
):
    if email is None:  # no e-mail shared: both would make the same placeholder address
        del lti_platform.users["ann"]["email"]
    other_browser = tool.application.test_client()
    first = _ready_to_post(tool, lti_platform, "mock-1", "ann")
    second = _ready_to_post(other_browser, lti_platform, "mock-1", "ann")
    other = _Meanwhile(lambda: other_browser.post("/lti/launch", data=second))
    real = lti_identity.account_of

    def racing(platform_id: int, subject: str):
        found = real(platform_id, subject)  # none yet: this launch will add it
        other.start()
        return found

    monkeypatch.setattr(lti_identity, "account_of", racing)
    replies = [tool.post("/lti/launch", data=first), other.reply()]
    assert [r.status_code for r in replies] == [303, 303]
    db.session.expire_all()
    assert db.session.query(User).count() == 1 and db.session.query(LtiAccount).count() == 1
    assert db.session.query(LtiLink).count() == 1
    assert _signed_in(tool) and _signed_in(other_browser)


@pytest.mark.parametrize("model", [LtiContext, LtiLink])
def test_two_learners_first_launching_a_new_link_at_once_share_it(tool, lti_platform, model):
    lti_platform.add_user("bob", [LEARNER], name="Bob Baker", email="bob@college.example")
    if model is LtiLink:  # the course is known already; only the link is new
        lti_platform.add_link("intro", "itsm-101", "Introduction", MOCK)
        assert launch(tool, lti_platform, "intro", "ian").status_code == 303
        tool.post("/logout")
    other_browser = tool.application.test_client()
    first = _ready_to_post(tool, lti_platform, "mock-1", "ann")
    second = _ready_to_post(other_browser, lti_platform, "mock-1", "bob")
    other = _Meanwhile(lambda: other_browser.post("/lti/launch", data=second))

    def racing(_target, _args, _kwargs) -> None:  # this launch found none and makes one
        other.start()

    event.listen(model, "init", racing)
    try:
        replies = [tool.post("/lti/launch", data=first), other.reply()]
    finally:
        event.remove(model, "init", racing)
    assert [r.status_code for r in replies] == [303, 303]
    db.session.expire_all()
    assert db.session.query(LtiContext).count() == 1
    assert db.session.query(LtiLink).filter_by(resource_link_id="rl-mock-1").count() == 1
    assert _signed_in(tool) and _signed_in(other_browser)
