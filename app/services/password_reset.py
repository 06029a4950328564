"""Forgotten passwords: a link by e-mail, then a new password chosen through it.

Asking says nothing about which addresses have accounts: the caller shows one message
whatever happens here, and does this work after its answer has been sent, so that the
answer takes as long either way. The link (app/services/account_links.py) is signed,
expires after PASSWORD_RESET_HOURS, and dies once used or when the account's password or
sessions change. Choosing the new password signs the account out everywhere and revokes
every API token of the account: whoever had it may have made one.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.security import generate_password_hash

from app.errors import InvalidInput
from app.extensions import db
from app.models import SYSTEM, User
from app.security import password_problems
from app.services import account_links, audit, mail, tokens, users
from app.services.account_links import Purpose

log = logging.getLogger(__name__)


class DeadLink(InvalidInput):
    """The link is malformed, expired, already used or superseded."""


def request_reset(email: str) -> None:
    """Mail a reset link if an active account has this e-mail; otherwise do nothing."""
    user = users.find_by_email(email)
    if user is None or not user.active:
        log.info("password reset asked for an address with no active account")
        return
    link = mail.external_url("auth.reset_password", token=account_links.make_token(user, "reset"))
    hours = account_links.max_age("reset") or 3600
    with mail.in_language(user.language) as language:
        letter = mail.Letter(
            to=user.email,
            name=user.display_name,
            language=language,
            subject=_("Reset your Clausewise password"),
            paragraphs=(
                _("Someone, probably you, asked to reset the password of your Clausewise account."),
                ngettext(
                    "The link below lets you choose a new one. It works once, for %(num)d "
                    "hour; choosing a new password signs you out on every other device.",
                    "The link below lets you choose a new one. It works once, for %(num)d "
                    "hours; choosing a new password signs you out on every other device.",
                    hours // 3600,
                ),
            ),
            action=(_("Choose a new password"), link),
            small_print=(
                _("If you did not ask for this, ignore this e-mail: your password stays as it is."),
            ),
        )
    mail.send_after_commit(letter)
    audit.record(SYSTEM, "user.password_reset_requested", "user", user.id)
    db.session.commit()


def user_for_link(token: str, purpose: Purpose) -> User:
    """The account a live reset or invitation link is for; DeadLink otherwise."""
    user = account_links.user_for_token(token, purpose)
    if user is None:
        raise DeadLink(
            _(
                "This link has expired or has already been used. Ask for a new one: on the "
                "sign-in page choose “Forgot your password?”, or ask an administrator."
            )
        )
    return user


def set_password_by_link(token: str, purpose: Purpose, new_password: str) -> int:
    """Set the password of the account a live link is for; the link dies, every session
    of the account ends and every API token of it is revoked (how many: the answer).
    Nothing changes if the link or the password is refused."""
    user = user_for_link(token, purpose)
    problems = password_problems(new_password, user.email, user.display_name)
    if problems:
        raise InvalidInput(" ".join(problems))
    first_password = not users.has_password(user)
    user.password_hash = generate_password_hash(new_password)
    users.end_sessions(user)
    revoked = tokens.revoke_all_tokens(user, user, reason="password set through an e-mailed link")
    action = "user.invitation_accepted" if first_password else "user.password_reset"
    audit.record(user, action, "user", user.id)
    db.session.commit()
    return revoked
