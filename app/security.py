"""Role checks for routes, safe redirects after login, and the password rules."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.common_passwords import is_common

F = TypeVar("F", bound=Callable[..., Any])

MIN_PASSWORD_LENGTH = 10


class Role(enum.StrEnum):
    """What a user may do; a user holds one or more roles."""

    LEARNER = "learner"
    TRAINER = "trainer"
    MANAGER = "manager"
    ADMIN = "admin"


def role_required(*roles: Role) -> Callable[[F], F]:
    """Allow signed-in users holding any of `roles`; others get 401 (anonymous) or 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a local path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Plain-words reasons a new password is not acceptable (empty list: it is fine)."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        )
    lowered = password.lower()
    if is_common(password):
        problems.append(
            _("This password is on a list of common or breached passwords; choose another.")
        )
    elif len(set(lowered)) < 4:
        problems.append(_("This password is too easy to guess."))
    local = email.split("@", 1)[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (name and name.lower() == lowered):
        problems.append(_("Do not use your e-mail address or name as the password."))
    return problems
