"""What depends on how the app is deployed: the reverse proxy in front of it, and whether
the rate-limit counts are shared by all workers."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask
from limits import parse_many
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import PROXY_HEADERS, ConfigError
from app.integrations import mail

log = logging.getLogger(__name__)
LOGIN_LIMITS = (
    "LOGIN_LIMIT_PER_ADDRESS",
    "LOGIN_LIMIT_PER_ACCOUNT",
    "PASSWORD_CHECK_LIMIT",
    "PASSWORD_RESET_LIMIT_PER_ADDRESS",
    "PASSWORD_RESET_LIMIT_PER_ACCOUNT",
)


def configure_deployment(app: Flask) -> None:
    """Trust the configured proxies' X-Forwarded-* headers and check the sign-in limits."""
    counts = {h: int(app.config.get(f"PROXY_FIX_X_{h.upper()}", 0)) for h in PROXY_HEADERS}
    if any(counts.values()):
        # Only as many hops as there are proxies are trusted: a client cannot forge its
        # address by sending X-Forwarded-For itself.
        # Wrapping wsgi_app is Flask's documented way to add WSGI middleware.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, **{f"x_{h}": n for h, n in counts.items()}
        )
    for name in LOGIN_LIMITS:
        try:
            parse_many(app.config[name])
        except ValueError as err:
            raise ConfigError(
                f"{name} is not a rate limit such as '5 per minute; 30 per hour': "
                f"{app.config[name]!r}."
            ) from err
    check_mail(app)
    if app.config.get("APP_ENV") == "production" and str(
        app.config.get("RATELIMIT_STORAGE_URI", "")
    ).startswith("memory://"):
        log.warning(
            "RATELIMIT_STORAGE_URI is memory://: each worker counts sign-in attempts on its "
            "own. Set it to redis://… so that the limits hold across workers."
        )


def check_mail(app: Flask) -> None:
    """With MAIL_SERVER set: a usable MAIL_FROM, and in production a BASE_URL for links."""
    if not app.config.get("MAIL_SERVER"):
        return
    problem = mail.sender_problem(app.config.get("MAIL_FROM", ""))
    if problem:
        raise ConfigError(problem)
    base = urlsplit(app.config.get("BASE_URL", ""))
    if base.scheme not in ("http", "https") or not base.netloc:
        raise ConfigError(
            "BASE_URL must be the site's address, such as https://clausewise.example.org, "
            f"not {app.config.get('BASE_URL')!r}."
        )
    if app.config.get("APP_ENV") == "production" and not app.config.get("BASE_URL_SET"):
        raise ConfigError(
            "MAIL_SERVER is set but BASE_URL is not: links in e-mails (password resets, "
            "invitations) need the site's public address, such as "
            "https://clausewise.example.org."
        )
