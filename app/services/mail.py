"""E-mail from Clausewise: letters composed in the recipient's language, sent once the
transaction that caused them commits.

A `Letter` holds what a message says (translated sentences, one button, small print);
`render` turns it into the JSON-able arguments of the "mail.send" task (app/jobs/mail.py):
the plain text, the HTML (app/templates/mail/letter.html) and the headers, including a
Message-ID and Date fixed now, so that a retried task sends the same message.

`send_after_commit` keeps rendered letters with the database session and hands them to
the job queue only when the session commits (a rolled-back invitation mails nobody).
Without MAIL_SERVER mail is off: a letter is logged instead of sent (its whole text in
development, where that is the way to follow a link; only who and what in production).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app import languages
from app.extensions import db
from app.integrations import mail as smtp
from app.models.base import utcnow
from app.services import jobs

log = logging.getLogger(__name__)
OUTBOX = "mail_outbox"


@dataclass(frozen=True)
class Letter:
    """One e-mail to one person, already in their language."""

    to: str
    name: str
    language: str
    subject: str
    paragraphs: tuple[str, ...]
    action: tuple[str, str] | None = None  # (button label, absolute URL)
    small_print: tuple[str, ...] = ()
    unsubscribe_url: str | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)


def mail_is_on() -> bool:
    """True when MAIL_SERVER is configured (mail is sent, not just logged)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def language_of(language: str | None) -> str:
    """A language the app offers: the one asked for, else the default."""
    if language and language in current_app.config["LANGUAGES"]:
        return language
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


@contextmanager
def in_language(language: str | None) -> Iterator[str]:
    """Translate everything inside into `language` (one the app offers)."""
    chosen = language_of(language)
    with force_locale(chosen):
        yield chosen


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL under BASE_URL (never the Host header a request claims)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _plain_text(letter: Letter) -> str:
    """The plain-text part: the same sentences, the link written out."""
    parts = [_("Hello %(name)s,", name=letter.name), *letter.paragraphs]
    if letter.action:
        parts.append(f"{letter.action[0]}:\n{letter.action[1]}")
    parts.extend(letter.small_print)
    if letter.unsubscribe_url:
        parts.append(_("Unsubscribe: %(url)s", url=letter.unsubscribe_url))
    return "\n\n".join(parts) + "\n"


def render(letter: Letter) -> dict[str, Any]:
    """The "mail.send" task's arguments for this letter (rendered in its language)."""
    sender = current_app.config.get("MAIL_FROM") or "Clausewise <noreply@localhost>"
    headers = {
        # Short enough that the header is never folded onto a second line.
        "Message-ID": f"<{secrets.token_hex(12)}@{smtp.sender_domain(sender)}>",
        "Date": format_datetime(utcnow()),
        # RFC 3834: written by a program, so out-of-office robots do not answer it.
        "Auto-Submitted": "auto-generated",
        "Content-Language": languages.html_tag(letter.language),  # BCP 47: zh-Hans
        **letter.extra_headers,
    }
    if letter.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    with force_locale(letter.language):
        text = _plain_text(letter)
        html = render_template(
            "mail/letter.html", letter=letter, lang=languages.html_tag(letter.language)
        )
    return {
        "to": letter.to,
        "to_name": letter.name,
        "subject": letter.subject,
        "text": text,
        "html": html,
        "headers": headers,
    }


# Top-level domains reserved for tests and examples (RFC 2606, RFC 6761): nothing is
# sent there, so demo accounts (…@clausewise.test) never reach a real mail server.
RESERVED_TLDS = (".test", ".example", ".invalid", ".localhost")


def dispatch(message: dict[str, Any]) -> None:
    """Queue one rendered letter for sending, or log it when mail is off."""
    domain = message["to"].rpartition("@")[2].lower().rstrip(".")
    if mail_is_on() and ("." + domain).endswith(RESERVED_TLDS):
        log.info("not mailing %s: its domain is reserved for tests", message["to"])
        return
    if mail_is_on():
        jobs.enqueue("mail.send", **message)
        return
    if current_app.config.get("APP_ENV") == "production":
        log.warning(
            "mail is off (no MAIL_SERVER): %r to %s not sent", message["subject"], message["to"]
        )
    else:
        log.info(
            "mail is off (no MAIL_SERVER): %r to %s not sent; it reads:\n%s",
            message["subject"],
            message["to"],
            message["text"],
        )


def send_after_commit(letter: Letter) -> None:
    """Render the letter now and send it once the current transaction commits."""
    db.session.info.setdefault(OUTBOX, []).append(render(letter))


def _send_outbox(session: Session) -> None:
    """After a commit: hand every letter the transaction wrote to the queue."""
    waiting = session.info.pop(OUTBOX, [])
    for message in waiting:
        try:
            dispatch(message)
        except Exception:  # the change is committed: a letter that cannot be queued is logged
            log.exception("could not queue %r to %s", message["subject"], message["to"])


def _drop_outbox(session: Session, transaction: SessionTransaction) -> None:
    """When a transaction ends without a commit (a rollback, a closed session): the
    letters it wrote describe changes that never happened."""
    if transaction.parent is None:
        session.info.pop(OUTBOX, None)


def register() -> None:
    """Listen to every session's commits and transaction ends (once per process)."""
    if not event.contains(Session, "after_commit", _send_outbox):
        event.listen(Session, "after_commit", _send_outbox)
        event.listen(Session, "after_transaction_end", _drop_outbox)
