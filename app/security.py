"""Role checks for routes, safe redirects after login, and the password rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.common_passwords import is_common
from app.models.user import Role
from app.password_strength import estimate, normalise

F = TypeVar("F", bound=Callable[..., Any])

MIN_PASSWORD_LENGTH = 10


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
    """Plain-words reasons a new password is not acceptable (empty list: it is fine).

    Judged as NFKC-normalised: the length, the breached list, zxcvbn's estimate of the
    guesses it needs (app.password_strength) and the account's own e-mail and name.
    """
    text = normalise(password)
    problems: list[str] = []
    if len(text) < MIN_PASSWORD_LENGTH:
        problems.append(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if is_common(text):
        problems.append(
            _("This password is on a list of common or breached passwords; choose another.")
        )
    local = email.split("@", 1)[0].lower()
    lowered = text.lower()
    personal = (local and len(local) >= 4 and local in lowered) or (
        name and name.lower() == lowered
    )
    if personal:
        problems.append(_("Do not use your e-mail address or name as the password."))
    if not problems:
        strength = estimate(text, _personal_words(email, name))
        if not strength.strong_enough:
            problems.append(_weakness_message(strength.reason or "guessable"))
    return problems


def _personal_words(email: str, name: str) -> list[str]:
    """The account's own words, which zxcvbn tries first (an attacker would too)."""
    local = email.split("@", 1)[0]
    words = [email, local, *re.split(r"[\W_]+", local), name, *name.split(), "".join(name.split())]
    return [word for word in dict.fromkeys(words) if word]  # in a fixed order: zxcvbn ranks them


def _weakness_message(reason: str) -> str:
    """One translated sentence for why zxcvbn finds a password easy to guess."""
    messages = {
        "repeat": _(
            "Repeated characters or words (such as “aaaa” or “abcabc”) are easy to guess. "
            "Choose a few unrelated words instead."
        ),
        "sequence": _(
            "Runs such as “abcdef” or “123456” are easy to guess. "
            "Choose a few unrelated words instead."
        ),
        "keyboard": _(
            "Keyboard patterns such as “qwerty” or “zaq12wsx” are easy to guess. "
            "Choose a few unrelated words instead."
        ),
        "date": _("Dates and years are easy to guess. Choose a few unrelated words instead."),
        "common_password": _(
            "This password is built from a common password; "
            "adding digits, symbols or a second copy does not make it safe. Choose another."
        ),
        "words": _(
            "A common word or name with a few characters added is easy to guess. "
            "Use more words, or less common ones."
        ),
        "personal": _("Do not build the password from your e-mail address or name."),
    }
    return messages.get(
        reason,
        _("This password is too easy to guess. Choose a few unrelated words, or a longer phrase."),
    )
