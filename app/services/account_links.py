"""Signed links that act on an account without a sign-in: set a password (after a reset
request or an invitation) and unsubscribe from e-mails.

A password link carries the account id and a fingerprint of its password hash, session
version and active flag, signed with SECRET_KEY and a salt per purpose, and stamped with
the time it was made. It dies when it is older than its purpose allows, and as soon as
any of those change: once used (the password hash changes), when the password is changed
some other way, when the account is signed out everywhere or deactivated. Nothing is
stored: the account's own state is the single-use record.

An unsubscribe link names the account and what it stops; it does not expire, and a new
password does not break it.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Literal

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from app.models import User

Purpose = Literal["reset", "invite", "unsubscribe"]


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    """The signer of one purpose: a reset link cannot stand in for an unsubscribe link."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"clausewise.{purpose}")


def fingerprint(user: User) -> str:
    """What a password link is bound to: it changes whenever the link must die."""
    state = f"{user.id}:{user.password_hash}:{user.session_version}:{user.active}"
    return hashlib.sha256(state.encode("utf-8")).hexdigest()[:32]


def max_age(purpose: Purpose) -> int | None:
    """How long a link of this purpose lives, in seconds (None: for ever)."""
    if purpose == "reset":
        return int(current_app.config["PASSWORD_RESET_HOURS"]) * 3600
    if purpose == "invite":
        return int(current_app.config["INVITATION_DAYS"]) * 86400
    return None


def make_token(user: User, purpose: Purpose) -> str:
    """A signed token for this account and purpose."""
    payload: dict[str, Any] = {"u": user.id}
    if purpose != "unsubscribe":
        payload["f"] = fingerprint(user)
    return _serializer(purpose).dumps(payload)


def user_for_token(token: str, purpose: Purpose) -> User | None:
    """The active account a live token of this purpose names, else None (for any reason)."""
    if not token or len(token) > 512:
        return None
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except BadSignature:  # also SignatureExpired
        return None
    user_id = payload.get("u") if isinstance(payload, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    if purpose != "unsubscribe" and not hmac.compare_digest(
        str(payload.get("f", "")), fingerprint(user)
    ):
        return None
    return user
