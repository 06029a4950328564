"""Which language a page speaks, and what the language switcher on every page needs.

The locale of a request is, in order: the signed-in user's saved choice; the choice made
in this browser's session (a visitor who is not signed in, or a user who saved none);
the best offered match of the browser's Accept-Language; English.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, refresh
from flask_login import current_user

from app import languages
from app.security import safe_next_url

SESSION_KEY = "language"
log = logging.getLogger(__name__)


def select_locale() -> str | None:
    """Flask-Babel's locale selector: the request's language (see the module's docstring)."""
    if not has_request_context():
        return None  # CLI and services outside a request speak the default language
    if current_user.is_authenticated:
        saved = getattr(current_user, "language", None)
        if languages.is_offered(saved):
            return saved
    chosen = session.get(SESSION_KEY)
    if languages.is_offered(chosen):
        return chosen
    return languages.from_accept_language(request.accept_languages) or languages.DEFAULT


def return_path() -> str:
    """Where the switcher sends the browser back to: this page when it was fetched with GET,
    else the page that sent the form (when it is on this site), else the home page."""
    if request.method == "GET":
        return request.full_path.removesuffix("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host:
        path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        return safe_next_url(path) or "/"
    return "/"


def install(app: Flask) -> None:
    """Template globals: `page_lang` (the BCP 47 tag of the page), `offered_languages`,
    `current_language` (a locale id) and `language_return_path()`."""

    _warn_of_uncompiled_catalogues(Path(app.root_path) / "translations")
    # Flask-Babel keeps the locale it chose on `g`, which lives as long as the app context:
    # where one context serves several requests (tests, a shell), each request chooses anew.
    app.before_request(refresh)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        locale = str(get_locale() or languages.DEFAULT)
        return {
            "page_lang": languages.html_tag(locale),
            "current_language": locale,
            "offered_languages": languages.OFFERED,
            "language_return_path": return_path,
        }


def _warn_of_uncompiled_catalogues(translations: Path) -> None:
    """Log each offered language whose catalogue is not compiled, or older than its .po:
    its pages would show English (or old words) without any other sign."""
    for locale in languages.LOCALES:
        source = translations / locale / "LC_MESSAGES" / "messages.po"
        compiled = source.with_suffix(".mo")
        if not source.exists():
            continue  # the source language has no catalogue
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            log.warning(
                "%s is missing or older than %s: pages in %s show English or old words until "
                "`pybabel compile -d app/translations` (make catalogues) compiles it",
                compiled,
                source.name,
                locale,
            )
