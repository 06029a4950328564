"""Keeping the browser that changed its own credentials signed in."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user, login_user
from flask_login.config import COOKIE_NAME


def keep_this_session() -> None:
    """Move this browser to the signed-in user's current session version.

    Services raise the version to sign a user out everywhere (a new password, other
    roles); the session that made the change stays signed in, and keeps its remember-me
    cookie, reissued under the new version.
    """
    if not current_user.is_authenticated:
        return
    user = current_user._get_current_object()
    if session.get("_user_id") == user.get_id():
        return
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    login_user(user, remember=cookie in request.cookies, fresh=bool(session.get("_fresh")))
