"""Sign-in throttling: per address, and per account named in the form.

The account key is the submitted e-mail, normalised as accounts are looked up (trimmed,
any case) and hashed, whether or not such an account exists: an attacker who rotates
addresses is still limited, and the limit says nothing about which e-mails exist.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from flask_babel import gettext as _


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
