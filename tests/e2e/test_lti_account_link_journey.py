"""LTI 1.3 in the browser: a first launch whose e-mail is a Clausewise account with a
password waits on the account-link page until its owner signs in to that account; then
the link is made and the launch opens. Signing in to another account links nothing.

The page is checked with axe-core (its context bypasses the CSP, as the accessibility
journey's do) and screenshotted on a desktop in English and on a phone in Chinese
(tests/e2e/screenshots/lti-account-link-*)."""

from __future__ import annotations

from app.extensions import db
from app.models import LtiAccount, Role, User
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_accessibility_journey import DESKTOP, PHONE, _context, violations
from tests.e2e.test_lti_journey import course, lti_server  # noqa: F401  (fixtures)
from tests.factories import make_user

MOCK = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
LINK_PAGE = "/lti/account-link"


def _launch(page, course, lti_server) -> None:  # noqa: F811
    """Ann opens the course's mock exam link; the launch waits on the account-link page."""
    page.goto(f"{course.url}/start/mock-1?user=ann")
    page.wait_for_url(f"{lti_server}{LINK_PAGE}")


def _only_link() -> LtiAccount:
    db.session.expire_all()
    return db.session.query(LtiAccount).one()


def test_ann_signs_in_to_her_account_and_the_launch_opens(browser, lti_server, course, banks):  # noqa: F811
    ann = make_user(role=Role.LEARNER, email="ann@college.example", name="Ann Archer")
    course.add_link("mock-1", "itsm-101", "Foundation mock exam", MOCK)
    context = _context(browser, DESKTOP, locale="en-GB")
    page = context.new_page()
    try:
        _launch(page, course, lti_server)
        main = page.locator("main")
        assert page.locator("h1").inner_text() == "Link your course account"
        text = main.inner_text()
        assert "An account with the e-mail address ann@college.example exists already" in text
        assert "Nothing is linked until you do. The link waits for 15 minutes." in text
        assert db.session.query(LtiAccount).count() == 0
        assert violations(page) == []
        screenshot(page, "lti-account-link-desktop")

        # The same page in Simplified Chinese, chosen with the language switcher, on a phone.
        page.get_by_role("button", name="简体中文").click()
        page.locator("html[lang='zh-Hans']").wait_for()
        assert page.url == f"{lti_server}{LINK_PAGE}"  # the waiting link survives the switch
        assert page.locator("h1").inner_text() == "关联课程账户"
        page.set_viewport_size(PHONE)
        assert violations(page) == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
        screenshot(page, "lti-account-link-phone-zh")

        page.get_by_role("button", name="English").click()
        page.locator("html[lang='en']").wait_for()
        page.set_viewport_size(DESKTOP)
        page.get_by_role("link", name="Sign in to link").click()
        page.wait_for_url(f"{lti_server}/login?next=**")
        assert "Sign in to the account with your course's e-mail address" in page.content()
        screenshot(page, "lti-account-link-sign-in", full_page=False)
        sign_in(page, lti_server, ann.email, open_login=False, lands_on="/lti/links/*")
        assert page.locator("h1").inner_text() == "Foundation mock exam"
        assert "Your course account is now linked" in page.locator("main").inner_text()
        screenshot(page, "lti-account-link-linked", full_page=False)
        account = _only_link()
        assert account.user_id == ann.id and account.subject == "sub-ann"
        assert account.platform.issuer == course.issuer

        context.clear_cookies()  # a new visit: the next launch goes straight in
        page.goto(f"{course.url}/start/mock-1?user=ann")
        page.wait_for_url(f"{lti_server}/lti/links/*")
        assert page.locator("h1").inner_text() == "Foundation mock exam"
        assert _only_link().user_id == ann.id
    finally:
        context.close()


def test_signing_in_to_another_account_links_nothing(browser, lti_server, course, banks):  # noqa: F811
    ann = make_user(role=Role.LEARNER, email="ann@college.example")
    other = make_user(role=Role.LEARNER, email="bob@example.org")
    course.add_link("mock-1", "itsm-101", "Foundation mock exam", MOCK)
    context = _context(browser, DESKTOP, locale="en-GB")
    page = context.new_page()
    try:
        _launch(page, course, lti_server)
        page.get_by_role("link", name="Sign in to link").click()
        page.wait_for_url(f"{lti_server}/login?next=**")
        sign_in(page, lti_server, other.email, open_login=False, lands_on="/learn/")
        alert = page.locator(".alert-danger")
        assert "You signed in to a different account" in alert.inner_text()
        assert "so nothing was linked" in alert.inner_text()
        screenshot(page, "lti-account-link-other-account", full_page=False)
        db.session.expire_all()
        assert db.session.query(LtiAccount).count() == 0
        assert db.session.get(User, ann.id).roles == {Role.LEARNER}
    finally:
        context.close()
