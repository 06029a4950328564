"""Journeys through e-mail: a learner resets a forgotten password with the link a real SMTP
server (aiosmtpd) received; an administrator imports accounts from a CSV, and an invited
person chooses a password from their e-mail; then the administrator deactivates in bulk."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app.models import Role
from tests.conftest import app_config, dispose_engines
from tests.e2e.conftest import screenshot, sign_in
from tests.mail_server import Inbox

NEW_PASSWORD = "violet-harbour-lantern-31"


@pytest.fixture
def mail_site(db_url: str, tmp_path, smtp_inbox: Inbox) -> Iterator[str]:
    """The app with CSRF on and mail sent to the test's SMTP server, served on a free
    port; links in its e-mails point at that address (BASE_URL)."""
    from app import create_app

    application = create_app(
        app_config(
            db_url,
            WTF_CSRF_ENABLED=True,
            INSTANCE_PATH=str(tmp_path),
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp_inbox.port,
            MAIL_SECURITY="none",
            MAIL_FROM="Clausewise <noreply@clausewise.test>",
        )
    )
    server = make_server("127.0.0.1", 0, application, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    application.config["BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=5)
    dispose_engines(application)


def test_a_learner_resets_a_forgotten_password_from_the_e_mail(
    page, browser, mail_site, smtp_inbox, make_user
):
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="Ana Lima")
    elsewhere = browser.new_context()
    other = elsewhere.new_page()
    sign_in(other, mail_site, ana.email, lands_on="/learn/")

    page.goto(f"{mail_site}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill("ana@example.org")
    screenshot(page, "reset-1-ask")
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(f"{mail_site}/login")
    assert "If an account has the address ana@example.org" in page.get_by_role("alert").inner_text()
    screenshot(page, "reset-2-asked")

    (got,) = smtp_inbox.wait_for(1, timeout=30)  # sent after the answer, by another thread
    assert got.rcpt_tos == ["ana@example.org"]
    assert got.message["Subject"] == "Reset your Clausewise password"
    (link,) = got.links()
    assert link.startswith(f"{mail_site}/reset-password/")

    page.goto(link)
    assert "ana@example.org" in page.locator("main").inner_text()
    page.get_by_label("New password", exact=True).fill("password123")
    page.get_by_label("Repeat the new password").fill("password123")
    page.get_by_role("button", name="Save password").click()
    page.locator(".invalid-feedback").first.wait_for()
    screenshot(page, "reset-3-weak-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    page.wait_for_url(f"{mail_site}/login")
    assert "Your password is saved" in page.get_by_role("alert").inner_text()
    sign_in(page, mail_site, ana.email, NEW_PASSWORD, lands_on="/learn/", open_login=False)

    other.goto(f"{mail_site}/learn/")  # the other browser was signed out
    other.wait_for_url(f"{mail_site}/login**")
    elsewhere.close()

    page.goto(link)  # used once: dead
    assert "This link does not work" in page.locator("h1").inner_text()
    screenshot(page, "reset-4-used-link")


ACCOUNTS_CSV = (
    "\ufeffemail,name,roles,language,teams\n"
    "li.wei@example.org,李伟,learner,zh,\n"
    "omar@example.org,Omar Haddad,learner;trainer,en,\n"
).encode()


def test_an_admin_imports_accounts_and_an_invited_person_joins(
    page, mail_site, smtp_inbox, make_user, reference
):
    admin = make_user(role=Role.ADMIN, email="root@example.org")
    sign_in(page, mail_site, admin.email, lands_on="/admin/")
    page.get_by_role("link", name="Import accounts (CSV)").click()
    page.get_by_label("Accounts (CSV)").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": ACCOUNTS_CSV}]
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="What the import will do").wait_for()
    assert "2 accounts to create" in page.locator("main").inner_text()
    screenshot(page, "import-1-dry-run")
    assert smtp_inbox.received == []
    page.get_by_role("button", name="Import these accounts").click()
    page.get_by_text("The new accounts have been sent their invitations.").wait_for()
    screenshot(page, "import-2-done")

    smtp_inbox.wait_for(2)
    (omar_mail,) = smtp_inbox.to("omar@example.org")
    assert omar_mail.message["Subject"] == "You are invited to Clausewise"
    (li_mail,) = smtp_inbox.to("li.wei@example.org")
    assert li_mail.message["Content-Language"] == "zh-Hans"

    visitor = page.context.browser.new_context().new_page()
    visitor.goto(omar_mail.links()[0])
    assert "Welcome to Clausewise, Omar Haddad" in visitor.locator("main").inner_text()
    screenshot(visitor, "invite-1-choose-password")
    visitor.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    visitor.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    visitor.get_by_role("button", name="Save password").click()
    visitor.wait_for_url(f"{mail_site}/login")
    sign_in(
        visitor, mail_site, "omar@example.org", NEW_PASSWORD, lands_on="/train/", open_login=False
    )
    visitor.context.close()

    page.goto(f"{mail_site}/admin/?q=example.org")
    page.get_by_label("Select li.wei@example.org").check()
    page.get_by_label("Select omar@example.org").check()
    screenshot(page, "deactivate-1-list")
    page.get_by_role("button", name="Deactivate selected accounts…").click()
    page.get_by_role("button", name="Deactivate 2 accounts").wait_for()
    screenshot(page, "deactivate-2-confirm")
    page.get_by_role("button", name="Deactivate 2 accounts").click()
    page.wait_for_url(f"{mail_site}/admin/")
    assert "2 accounts were deactivated" in page.get_by_role("alert").inner_text()
    screenshot(page, "deactivate-3-done")


def test_the_pages_reached_from_e_mail_and_the_account_pages_pass_axe(
    browser, mail_site, make_user, reference
):
    from app.services import account_links
    from tests.e2e.test_accessibility_journey import Audit, _context

    audit = Audit()
    ana = make_user(role=Role.LEARNER, email="ana@example.org")
    admin = make_user(role=Role.ADMIN, email="root@example.org")
    page = _context(browser).new_page()
    pages = {
        "forgot-password": "/forgot-password",
        "choose-password": f"/reset-password/{account_links.make_token(ana, 'reset')}",
        "dead-link": "/reset-password/expired",
        "unsubscribe": f"/unsubscribe/{account_links.make_token(ana, 'unsubscribe')}",
    }
    for name, path in pages.items():
        page.goto(f"{mail_site}{path}")
        audit.check(page, name)
    sign_in(page, mail_site, ana.email, lands_on="/learn/")
    page.goto(f"{mail_site}/profile")
    audit.check(page, "profile-e-mails")
    page.context.clear_cookies()
    sign_in(page, mail_site, admin.email, lands_on="/admin/")
    audit.check(page, "admin-accounts")
    page.goto(f"{mail_site}/admin/users/new")
    audit.check(page, "admin-new-account")
    page.goto(f"{mail_site}/admin/users/import")
    page.get_by_label("Accounts (CSV)").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"email,name,roles\n,X,x\n"}]
    )
    page.get_by_role("button", name="Check the file").click()
    page.locator("#import-errors").wait_for()
    audit.check(page, "admin-import-errors")
    page.goto(f"{mail_site}/admin/")
    page.get_by_label(f"Select {ana.email}").check()
    page.get_by_role("button", name="Deactivate selected accounts…").click()
    page.get_by_role("button", name="Deactivate 1 account").wait_for()
    audit.check(page, "admin-deactivate-confirm")
    page.context.close()
    audit.assert_clean()
