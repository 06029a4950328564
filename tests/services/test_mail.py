"""E-mail: the "mail.send" task against a real SMTP server (aiosmtpd, started here), the
letters' two parts and headers, mail switched off, TLS and sending only after commit."""

from __future__ import annotations

import logging

import pytest

from app.extensions import db
from app.models import SYSTEM, AuditEvent, Role
from app.services import jobs, mail
from tests import mail_server
from tests.conftest import BASE_URL, MAIL_FROM


def _letter(**changes) -> mail.Letter:
    values = {
        "to": "li.wei@example.org",
        "name": "李伟",
        "language": "zh_Hans",
        "subject": "练习提醒：条款 8.6.1",
        "paragraphs": ("第一段。", "Second <paragraph> & more."),
        "action": ("打开 Clausewise", f"{BASE_URL}/learn"),
        "small_print": ("Small print.",),
    }
    return mail.Letter(**(values | changes))


def test_the_task_sends_one_message_with_both_parts_and_proper_headers(app, mail_on):
    jobs.enqueue("mail.send", **mail.render(_letter()))
    (got,) = mail_on.wait_for(1)
    message = got.message
    assert got.rcpt_tos == ["li.wei@example.org"]
    assert got.mail_from == "noreply@clausewise.test"
    assert message["From"] == MAIL_FROM
    assert message["To"].addresses[0].display_name == "李伟"
    assert message["Subject"] == "练习提醒：条款 8.6.1"
    # On the wire the subject is RFC 2047 encoded UTF-8, not raw bytes.
    raw_subject = next(line for line in got.raw.split(b"\r\n") if line.startswith(b"Subject:"))
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject.lower()
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
        "@clausewise.test>"
    )
    assert message["Date"].datetime.tzinfo is not None
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "zh-Hans"
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    assert "第一段。" in plain.get_content() and f"{BASE_URL}/learn" in plain.get_content()
    assert "Second <paragraph> & more." in plain.get_content()
    html_text = html.get_content()
    assert '<html lang="zh-Hans">' in html_text and "第一段。" in html_text
    assert "Second &lt;paragraph&gt; &amp; more." in html_text  # escaped in HTML
    assert f'href="{BASE_URL}/learn"' in html_text


def test_an_unsubscribe_link_becomes_list_unsubscribe_headers(app, mail_on):
    url = f"{BASE_URL}/unsubscribe/abc"
    jobs.enqueue("mail.send", **mail.render(_letter(unsubscribe_url=url)))
    (got,) = mail_on.wait_for(1)
    assert got.message["List-Unsubscribe"] == f"<{url}>"
    assert got.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in got.part("plain") and url in got.part("html")


def test_line_breaks_cannot_inject_headers(app, mail_on, caplog):
    message = mail.render(_letter(subject="Hi\r\nBcc: victim@example.org"))
    message["to_name"] = "Eve\r\nBcc: victim@example.org"
    jobs.enqueue("mail.send", **message)
    (got,) = mail_on.wait_for(1)
    assert got.rcpt_tos == ["li.wei@example.org"] and "Bcc" not in got.message
    assert got.message["Subject"] == "Hi Bcc: victim@example.org"  # one line, harmless
    message["headers"] = {"X-Note": "a\r\nBcc: victim@example.org"}
    with caplog.at_level(logging.ERROR):
        jobs.enqueue("mail.send", **message)
    assert "task mail.send failed" in caplog.text  # refused outright
    assert len(mail_on.received) == 1


def test_with_mail_off_letters_are_logged_not_sent(app, smtp_inbox, caplog):
    assert not mail.mail_is_on()
    with caplog.at_level(logging.INFO, logger="app.services.mail"):
        mail.dispatch(mail.render(_letter()))
    assert "mail is off" in caplog.text and "练习提醒" in caplog.text
    assert "第一段。" in caplog.text  # development logs the whole text, links and all
    assert smtp_inbox.received == []


def test_in_production_a_letter_not_sent_is_logged_without_its_text(app, caplog):
    app.config["APP_ENV"] = "production"
    try:
        with caplog.at_level(logging.INFO, logger="app.services.mail"):
            mail.dispatch(mail.render(_letter()))
    finally:
        app.config["APP_ENV"] = "development"
    assert "mail is off" in caplog.text and "第一段。" not in caplog.text


def test_a_letter_goes_out_only_when_its_transaction_commits(app, mail_on):
    mail.send_after_commit(_letter(subject="rolled back"))
    db.session.add(AuditEvent(actor_id=None, action="x", object_type="y", object_id="1"))
    db.session.rollback()
    mail.send_after_commit(_letter(subject="committed"))
    db.session.add(AuditEvent(actor_id=None, action="x", object_type="y", object_id="2"))
    assert mail_on.received == []  # nothing before the commit
    db.session.commit()
    (got,) = mail_on.wait_for(1)
    assert got.message["Subject"] == "committed"
    assert len(mail_on.received) == 1


def test_links_point_at_base_url_never_at_a_request_host(app, mail_on):
    with app.test_request_context("/", base_url="http://evil.example"):
        assert mail.external_url("auth.login") == f"{BASE_URL}/login"
    app.config["BASE_URL"] = "https://example.org/clausewise"
    assert mail.external_url("auth.login") == "https://example.org/clausewise/login"


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_a_login_reach_a_real_server(app, tmp_path, security):
    from aiosmtpd.smtp import AuthResult

    cert, key = mail_server.self_signed_certificate(tmp_path)
    tls = mail_server.server_tls(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret-relay")

    inbox = mail_server.Inbox()
    options = {"tls_context": tls} if security == "starttls" else {"ssl_context": tls}
    controller = mail_server.start_server(inbox, authenticator=authenticator, **options)
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": inbox.port,
        "MAIL_SECURITY": security,
        "MAIL_USERNAME": "relay-user",
        "MAIL_PASSWORD": "s3cret-relay",
        "MAIL_FROM": MAIL_FROM,
        "MAIL_CA_FILE": cert,
    }
    before = {k: app.config.get(k) for k in settings}
    app.config.update(settings)
    try:
        jobs.registered("mail.send")(**mail.render(_letter()))
    finally:
        app.config.update(before)
        controller.stop()
    (got,) = inbox.wait_for(1)
    assert got.message["Subject"] == "练习提醒：条款 8.6.1"
    assert logins == [(b"relay-user", b"s3cret-relay")]


def test_an_untrusted_certificate_is_refused(app, tmp_path):
    import ssl

    cert, key = mail_server.self_signed_certificate(tmp_path)
    inbox = mail_server.Inbox()
    controller = mail_server.start_server(inbox, tls_context=mail_server.server_tls(cert, key))
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": inbox.port,
        "MAIL_SECURITY": "starttls",
        "MAIL_FROM": MAIL_FROM,
        "MAIL_CA_FILE": "",
    }
    before = {k: app.config.get(k) for k in settings}
    app.config.update(settings)
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            jobs.registered("mail.send")(**mail.render(_letter()))
    finally:
        app.config.update(before)
        controller.stop()
    assert inbox.received == []


def test_a_chinese_letter_is_written_in_the_readers_language(app, mail_on, make_user):
    from app.services import account_invitations

    account_invitations.invite_user(SYSTEM, "mei@example.org", "梅", {Role.LEARNER}, "zh_Hans")
    (got,) = mail_on.wait_for(1)
    assert got.message["Content-Language"] == "zh-Hans"
    assert '<html lang="zh-Hans">' in got.part("html")


def test_nothing_is_sent_to_domains_reserved_for_tests(app, mail_on, caplog):
    with caplog.at_level(logging.INFO, logger="app.services.mail"):
        mail.dispatch(mail.render(_letter(to="learner@clausewise.test")))
        mail.dispatch(mail.render(_letter(to="x@host.invalid")))
    assert caplog.text.count("reserved for tests") == 2
    mail.dispatch(mail.render(_letter(to="ana@example.org")))
    assert [r.rcpt_tos for r in mail_on.wait_for(1)] == [["ana@example.org"]]
    assert len(mail_on.received) == 1
