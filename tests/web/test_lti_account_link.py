"""A first launch whose e-mail is a trainer's or manager's account links only once the
account's owner proves it is theirs: by signing in to it, or, already signed in, with a
button. Nothing is linked, and no role added, until then."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AuditEvent, LtiAccount, LtiLink, Role, User
from tests.factories import PASSWORD, make_user
from tests.lti_platform import INSTRUCTOR, LEARNER, launch, register_tool

MOCK = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
WAITING = "/lti/account-link"
PENDING = "lti_pending_link"


@pytest.fixture
def tool(make_app, lti_platform, app, monkeypatch):
    """Clausewise with LTI on, registered with the platform; a browser on it."""
    application = make_app(LTI_ENABLED=True)
    monkeypatch.setitem(app.config, "LTI_ENABLED", True)
    lti_platform.tool_login_url = "http://localhost/lti/login"
    lti_platform.tool_launch_urls = ["http://localhost/lti/launch"]
    register_tool(lti_platform)
    lti_platform.add_course("itsm-101", "ITSM 101", "ITSM101")
    lti_platform.add_user("ann", [LEARNER], name="Ann Archer", email="ann@college.example")
    lti_platform.add_user("ian", [INSTRUCTOR], name="Ian Instructor", email="ian@college.example")
    lti_platform.add_link("mock-1", "itsm-101", "Foundation mock", MOCK)
    return application.test_client()


@pytest.fixture
def trainer(app) -> User:
    """Ann's own Clausewise account, a trainer's, with a password."""
    return make_user(role=Role.TRAINER, email="ann@college.example")


def _signed_in_as(client) -> str | None:
    """The e-mail on the profile page of whoever the browser is signed in as."""
    page = client.get("/profile")
    if page.status_code != 200:
        return None
    found = re.search(r'<dd class="col-sm-8">([^<@]+@[^<]+)</dd>', page.get_data(as_text=True))
    return found.group(1) if found else ""


def _nothing_linked(user: User) -> bool:
    db.session.expire_all()
    actions = {e.action for e in db.session.query(AuditEvent)}
    return (
        db.session.query(LtiAccount).count() == 0
        and "lti.account_linked" not in actions
        and "lti.roles_added" not in actions
        and db.session.get(User, user.id).roles == user.roles
    )


def _sign_in(client, email: str, follow: bool = True):
    """The sign-in page reached from the waiting link's page, then the form posted."""
    asked = client.get(f"{WAITING}/sign-in")
    assert asked.status_code == 302
    target = asked.headers["Location"]
    assert target.startswith("/login?next=")
    reply = client.post(target, data={"email": email, "password": PASSWORD})
    assert reply.status_code == 302
    return client.get(reply.headers["Location"]) if follow else reply


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER])
def test_a_launch_naming_a_staff_accounts_email_asks_its_owner_to_sign_in(
    tool, lti_platform, banks, role
):
    staff = make_user(role=role, email="ann@college.example")
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 303 and response.headers["Location"] == WAITING
    page = tool.get(WAITING, headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "An account with the e-mail address ann@college.example exists already" in text
    assert f'href="{WAITING}/sign-in"' in text
    sign_in = tool.get(tool.get(f"{WAITING}/sign-in").headers["Location"]).get_data(as_text=True)
    assert 'value="ann@college.example"' in sign_in  # the address the page named, filled in
    assert _nothing_linked(staff) and _signed_in_as(tool) is None
    [asked] = db.session.query(AuditEvent).filter_by(action="lti.account_link_requested").all()
    assert asked.object_id == str(staff.id) and asked.detail["subject"] == "sub-ann"


def test_signing_in_with_the_trainers_password_links_and_continues(
    tool, lti_platform, banks, trainer
):
    launch(tool, lti_platform, "mock-1", "ann")
    landed = _sign_in(tool, trainer.email)
    link = db.session.query(LtiLink).one()
    assert landed.status_code == 302 and landed.headers["Location"] == f"/lti/links/{link.id}"
    account = db.session.query(LtiAccount).one()
    assert account.user_id == trainer.id and account.subject == "sub-ann"
    [linked] = db.session.query(AuditEvent).filter_by(action="lti.account_linked").all()
    assert linked.actor_id == trainer.id and linked.detail["confirmed"] is True
    db.session.refresh(trainer)
    assert trainer.roles == {Role.TRAINER, Role.LEARNER}  # the launch's role, added
    page = tool.get(landed.headers["Location"], headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "is now linked" in page.get_data(as_text=True)
    tool.post("/logout")
    again = launch(tool, lti_platform, "mock-1", "ann")  # from now on, straight in
    assert again.headers["Location"] == f"/lti/links/{link.id}"
    assert _signed_in_as(tool) == trainer.email


def test_signing_in_as_someone_else_links_nothing(tool, lti_platform, banks, trainer):
    other = make_user(role=Role.LEARNER)
    launch(tool, lti_platform, "mock-1", "ann")
    landed = _sign_in(tool, other.email)
    assert landed.status_code == 302 and "/lti/links/" not in landed.headers["Location"]
    page = tool.get(landed.headers["Location"], follow_redirects=True)
    assert "nothing was linked" in page.get_data(as_text=True)
    assert _nothing_linked(trainer)
    # The waiting link is gone: the trainer signing in next in this browser links nothing.
    tool.post("/logout")
    tool.post("/login", data={"email": trainer.email, "password": PASSWORD})
    assert _nothing_linked(trainer)


def test_an_expired_waiting_link_links_nothing(tool, lti_platform, banks, trainer):
    launch(tool, lti_platform, "mock-1", "ann")
    with tool.session_transaction() as session:
        session[PENDING] = {**session[PENDING], "issued": session[PENDING]["issued"] - 16 * 60}
    page = tool.get(f"{WAITING}/sign-in", follow_redirects=True)  # said before any password
    assert "has expired" in page.get_data(as_text=True)
    tool.post("/login", data={"email": trainer.email, "password": PASSWORD})
    assert _nothing_linked(trainer)


def test_a_replayed_waiting_link_links_nothing(tool, lti_platform, banks, trainer):
    launch(tool, lti_platform, "mock-1", "ann")
    captured = tool.get_cookie("session").value
    _sign_in(tool, trainer.email)
    assert db.session.query(LtiAccount).count() == 1
    tool.post("/logout")
    db.session.query(LtiAccount).delete()  # even were the link taken away meanwhile
    db.session.commit()
    tool.set_cookie("session", captured)  # the browser's copy from before the link
    landed = _sign_in(tool, trainer.email)
    page = tool.get(landed.headers["Location"], follow_redirects=True)
    assert "used already" in page.get_data(as_text=True)
    assert db.session.query(LtiAccount).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="lti.account_linked").count() == 1


def test_a_signed_in_owner_confirms_with_a_button(tool, lti_platform, banks, trainer):
    tool.post("/login", data={"email": trainer.email, "password": PASSWORD})
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.headers["Location"] == WAITING
    assert _signed_in_as(tool) == trainer.email  # still the trainer, nothing linked yet
    page = tool.get(WAITING, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Link and continue" in page and _nothing_linked(trainer)
    confirmed = tool.post(WAITING)
    link = db.session.query(LtiLink).one()
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"] == f"/lti/links/{link.id}"
    assert db.session.query(LtiAccount).one().user_id == trainer.id
    assert tool.post(WAITING).status_code == 302  # used: nothing waits any more
    assert db.session.query(LtiAccount).count() == 1


def test_cancelling_drops_the_waiting_link(tool, lti_platform, banks, trainer):
    launch(tool, lti_platform, "mock-1", "ann")
    cancelled = tool.post(f"{WAITING}/cancel")
    assert cancelled.status_code == 302
    tool.post("/login", data={"email": trainer.email, "password": PASSWORD})
    assert _nothing_linked(trainer)


def test_the_confirm_button_needs_its_csrf_token(make_app, tool, lti_platform, banks, trainer):
    strict = make_app(LTI_ENABLED=True, WTF_CSRF_ENABLED=True).test_client()
    form = strict.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    strict.post("/login", data={"email": trainer.email, "password": PASSWORD, "csrf_token": token})
    launch(strict, lti_platform, "mock-1", "ann")
    page = strict.get(WAITING).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)
    assert strict.post(WAITING).status_code == 400
    assert strict.post(f"{WAITING}/cancel").status_code == 400
    assert _nothing_linked(trainer)
    assert strict.post(WAITING, data={"csrf_token": token}).status_code == 303
    assert db.session.query(LtiAccount).one().user_id == trainer.id


def test_an_instructor_continues_to_the_picker_after_signing_in(tool, lti_platform, banks):
    manager = make_user(role=Role.MANAGER, email="ian@college.example")
    lti_platform.add_deep_linking("pick", "itsm-101")
    assert launch(tool, lti_platform, "pick", "ian").headers["Location"] == WAITING
    assert tool.get("/lti/deep-link").status_code != 200
    landed = _sign_in(tool, manager.email)
    assert landed.headers["Location"] == "/lti/deep-link"
    assert tool.get("/lti/deep-link?scheme=foundation").status_code == 200
    db.session.refresh(manager)
    assert manager.roles == {Role.MANAGER, Role.TRAINER}


def test_a_deactivated_staff_account_is_refused_at_once(tool, lti_platform, banks, trainer):
    from app.models import SYSTEM
    from app.services import users

    users.update_account(SYSTEM, trainer.id, {Role.TRAINER}, active=False)
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 403
    assert PENDING not in _session(tool)
    assert _nothing_linked(trainer)


def test_an_administrators_account_is_still_refused(tool, lti_platform, banks):
    admin = make_user(role={Role.ADMIN, Role.TRAINER}, email="ann@college.example")
    response = launch(tool, lti_platform, "mock-1", "ann")
    assert response.status_code == 409 and "never linked" in response.get_data(as_text=True)
    assert _nothing_linked(admin) and PENDING not in _session(tool)


def _session(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def test_whoever_else_was_signed_in_here_is_signed_out(tool, lti_platform, banks, trainer):
    other = make_user(role=Role.MANAGER)
    tool.post("/login", data={"email": other.email, "password": PASSWORD})
    assert launch(tool, lti_platform, "mock-1", "ann").headers["Location"] == WAITING
    assert _signed_in_as(tool) is None
    page = tool.get(WAITING, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign in to link" in page and "Link and continue" not in page
    assert _nothing_linked(trainer)
