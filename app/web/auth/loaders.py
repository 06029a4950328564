"""How Flask-Login finds the signed-in user from the session."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from app.models import User
from app.services import users


def install_loaders(manager: LoginManager) -> None:
    """Register the session user loader and where anonymous visitors are sent."""
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        return users.load_session_user(session_id)

    @manager.unauthorized_handler
    def unauthorized():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
