"""The task that sends one e-mail."""

from __future__ import annotations

import logging

from flask import current_app

from app.integrations import mail
from app.services import jobs

log = logging.getLogger(__name__)


@jobs.task("mail.send")
def send(
    to: str, to_name: str, subject: str, text: str, html: str, headers: dict[str, str]
) -> None:
    """Send one message, as composed by app/services/mail.py, through MAIL_SERVER.

    Its Message-ID and Date were fixed when it was composed, so a retry after a failure
    sends the same message again, which mail systems recognise as one.
    """
    smtp = mail.settings(current_app.config)
    if smtp is None:
        log.info("mail is off (no MAIL_SERVER): not sending %r to %s", subject, to)
        return
    message = mail.build_message(smtp.sender, to, to_name, subject, text, html, headers)
    mail.deliver(smtp, message)
    log.info("mail sent: %r to %s (%s)", subject, to, headers.get("Message-ID", ""))
