"""SSO-only mode (SSO_ONLY=1): passwords are off, but for one emergency administrator.

Password sign-in, change and reset ask `passwords_off()` before they show a form or act
on one; the emergency administrator (SSO_EMERGENCY_ADMIN) signs in at /login/emergency,
for when the issuers cannot be reached or are misconfigured.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

SIGNED_IN_WITH = "sso"  # session key: the issuer signed in with, and its ID token for logout


def passwords_off() -> bool:
    """True in SSO-only mode: no password sign-in, change or reset (but the emergency one)."""
    return bool(current_app.config.get("SSO_ONLY"))


def emergency_admin() -> str:
    """The e-mail of the administrator who may still sign in with a password, if any."""
    return str(current_app.config.get("SSO_EMERGENCY_ADMIN") or "") if passwords_off() else ""


def refusal() -> str:
    """What a password form posted in SSO-only mode answers."""
    return _(
        "Passwords are turned off here: sign in with your organization’s account, "
        "using a button on the sign-in page."
    )
