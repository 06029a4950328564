"""Password guessing is throttled: sign-in per address and per account named in the form,
and wrong current passwords on the profile page per signed-in account.

The account key is the submitted e-mail, normalised as accounts are looked up (trimmed,
any case) and hashed, whether or not such an account exists: an attacker who rotates
addresses is still limited, and the limit says nothing about which e-mails exist.

The profile page counts only wrong current passwords (a stolen session cookie must not
let its holder try passwords without end), keyed by the signed-in account, in the same
store as the sign-in counts.
"""

from __future__ import annotations

import hashlib

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user


def per_address() -> str:
    """The sign-in limit for one client address (LOGIN_LIMIT_PER_ADDRESS)."""
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def per_account() -> str:
    """The sign-in limit for one e-mail address, from any address (LOGIN_LIMIT_PER_ACCOUNT)."""
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def account_key() -> str:
    """The rate-limit key of the e-mail submitted: normalised, then hashed."""
    email = (request.form.get("email") or "").strip().lower()
    return "sign-in:" + hashlib.sha256(email.encode("utf-8")).hexdigest()


def refusal() -> str:
    """What a throttled visitor reads; the same for both limits and for every e-mail."""
    return _(
        "Too many sign-in attempts for this address or account. Wait a few minutes, then "
        "try again; if you have forgotten your password, ask an administrator to set a new one."
    )


def password_checks() -> str:
    """The limit on wrong current passwords for one account (PASSWORD_CHECK_LIMIT)."""
    return current_app.config["PASSWORD_CHECK_LIMIT"]


def signed_in_account_key() -> str:
    """The rate-limit key of the signed-in account (checked before the sign-in requirement)."""
    if not current_user.is_authenticated:
        return "password-check:anonymous"  # refused by login_required; never counted
    return f"password-check:{current_user.id}"


def note_wrong_password() -> None:
    """Mark this request as a wrong current password, to be counted once it is answered."""
    g.wrong_current_password = True


def wrong_password_given(_response: Response) -> bool:
    """Whether the request being answered gave a wrong current password."""
    return bool(g.get("wrong_current_password"))


def password_refusal() -> str:
    """What the holder of a session reads after too many wrong current passwords."""
    return _(
        "Too many wrong current passwords for this account. Wait a few minutes, then try "
        "again; if you have forgotten your password, sign out and ask an administrator."
    )


def reset_per_address() -> str:
    """The limit on reset requests from one client address (PASSWORD_RESET_LIMIT_PER_ADDRESS)."""
    return current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"]


def reset_per_account() -> str:
    """The limit on reset requests for one e-mail (PASSWORD_RESET_LIMIT_PER_ACCOUNT)."""
    return current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"]


def reset_account_key() -> str:
    """The rate-limit key of the e-mail a reset is asked for: normalised, then hashed."""
    email = (request.form.get("email") or "").strip().lower()
    return "password-reset:" + hashlib.sha256(email.encode("utf-8")).hexdigest()


def reset_refusal() -> str:
    """What a throttled reset request reads; the same for every e-mail and both limits."""
    return _(
        "Too many password reset requests for this address or account. Wait a while, then "
        "try again; a link already sent stays valid until it expires."
    )
