"""SMTP: one message (plain text and HTML, UTF-8) built and handed to the configured server.

Protocol only: who may be mailed, and what the message says, is decided by the services
(app/services/mail.py). Without MAIL_SERVER mail is off and `settings` returns None.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from typing import Any


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: the MAIL_* settings."""

    server: str
    port: int
    security: str  # none | starttls | ssl
    username: str
    password: str
    sender: str
    timeout: int
    ca_file: str = ""


def settings(config: Mapping[str, Any]) -> SmtpSettings | None:
    """The SMTP settings of this configuration, or None when mail is off."""
    if not config.get("MAIL_SERVER"):
        return None
    return SmtpSettings(
        server=config["MAIL_SERVER"],
        port=int(config["MAIL_PORT"]),
        security=config["MAIL_SECURITY"],
        username=config.get("MAIL_USERNAME", ""),
        password=config.get("MAIL_PASSWORD", ""),
        sender=config["MAIL_FROM"],
        timeout=int(config.get("MAIL_TIMEOUT", 20)),
        ca_file=config.get("MAIL_CA_FILE", ""),
    )


def sender_problem(sender: str) -> str | None:
    """Why MAIL_FROM cannot be a From address (in English, for operators), or None."""
    if not sender:
        return (
            "MAIL_FROM is not set: mail needs a From address such as "
            "'Clausewise <noreply@example.org>'."
        )
    _name, address = parseaddr(sender)
    if "@" not in address or any(ch in sender for ch in "\r\n"):
        return (
            f"MAIL_FROM is not an address such as 'Clausewise <noreply@example.org>': {sender!r}."
        )
    return None


def sender_domain(sender: str) -> str:
    """The domain of the From address: Message-IDs are made in it."""
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def build_message(
    sender: str,
    to: str,
    to_name: str,
    subject: str,
    text: str,
    html: str,
    headers: Mapping[str, str],
) -> EmailMessage:
    """A multipart/alternative message, plain text first, both parts UTF-8.

    Headers are encoded as RFC 2047 says (a Chinese subject travels as =?utf-8?…?=); a
    value holding a line break is refused, so no header can be injected.
    """
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = Address(display_name=" ".join(to_name.split()), addr_spec=to.strip())
    message["Subject"] = " ".join(subject.split())
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    # After the parts exist: making the message multipart moves Content-* headers set
    # earlier (Content-Language) into its first part.
    for name, value in headers.items():
        message[name] = value
    return message


def _tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Certificates are checked against the system's CAs, or MAIL_CA_FILE's."""
    return ssl.create_default_context(cafile=smtp.ca_file or None)


def deliver(smtp: SmtpSettings, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; raises when it is refused or unreachable."""
    client: smtplib.SMTP
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(
            smtp.server, smtp.port, timeout=smtp.timeout, context=_tls_context(smtp)
        )
    else:
        client = smtplib.SMTP(smtp.server, smtp.port, timeout=smtp.timeout)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=_tls_context(smtp))
        if smtp.username:
            client.login(smtp.username, smtp.password)
        client.send_message(message)
