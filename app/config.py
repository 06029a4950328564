"""Settings read from the environment, with safe local defaults for development."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from app import languages
from app.integrations.oidc_settings import SettingsError, providers_from_env, sso_only_from_env


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app may start with."""


def _secret_key(instance: Path, production: bool) -> str:
    """SECRET_KEY from the environment; in development, one generated once and kept."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. With APP_ENV=production Clausewise refuses to start "
            "without one: set SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url(instance: Path) -> str:
    """DATABASE_URL, defaulting to an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{instance / 'clausewise.sqlite'}"


PROXY_HEADERS = ("for", "proto", "host", "port", "prefix")


def _proxy_counts() -> dict[str, int]:
    """PROXY_FIX_X_FOR etc.: how many proxies in front set each X-Forwarded-* header."""
    counts: dict[str, int] = {}
    for header in PROXY_HEADERS:
        name = f"PROXY_FIX_X_{header.upper()}"
        raw = os.environ.get(name, "0").strip() or "0"
        if not raw.isdigit():
            raise ConfigError(
                f"{name} must be a whole number of trusted proxies (0 = off), not {raw!r}."
            )
        counts[name] = int(raw)
    return counts


def _sign_in_settings(production: bool) -> dict[str, Any]:
    """OpenID Connect issuers, SSO-only mode and its emergency administrator."""
    try:
        providers = providers_from_env(os.environ, production)
        sso_only = sso_only_from_env(os.environ)
    except SettingsError as err:
        raise ConfigError(str(err)) from None
    if sso_only and not providers:
        raise ConfigError(
            "SSO_ONLY=1 turns passwords off, but OIDC_PROVIDERS names no issuer to sign in "
            "with: configure one, or leave SSO_ONLY unset."
        )
    return {
        "OIDC_PROVIDERS": providers,
        "SSO_ONLY": sso_only,
        "SSO_EMERGENCY_ADMIN": os.environ.get("SSO_EMERGENCY_ADMIN", "").strip(),
    }


MAIL_SECURITIES = ("none", "starttls", "ssl")
MAIL_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


def _whole_number(name: str, default: int) -> int:
    """A positive whole number from the environment variable `name`."""
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) == 0:
        raise ConfigError(f"{name} must be a positive whole number, not {raw!r}.")
    return int(raw)


def _mail_settings() -> dict[str, Any]:
    """MAIL_*: the SMTP server mail is sent through; without MAIL_SERVER mail is off."""
    security = os.environ.get("MAIL_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in MAIL_SECURITIES:
        raise ConfigError(f"MAIL_SECURITY must be none, starttls or ssl, not {security!r}.")
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "").strip(),
        "MAIL_PORT": _whole_number("MAIL_PORT", MAIL_DEFAULT_PORTS[security]),
        "MAIL_SECURITY": security,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "").strip(),
        "MAIL_TIMEOUT": _whole_number("MAIL_TIMEOUT", 20),
        "MAIL_CA_FILE": os.environ.get("MAIL_CA_FILE", "").strip(),
        # Links in e-mails point here (never at the Host header a request claims).
        "BASE_URL": os.environ.get("BASE_URL", "").strip().rstrip("/")
        or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}",
        "BASE_URL_SET": bool(os.environ.get("BASE_URL", "").strip()),
        "PASSWORD_RESET_HOURS": _whole_number("PASSWORD_RESET_HOURS", 1),
        "INVITATION_DAYS": _whole_number("INVITATION_DAYS", 7),
        "PASSWORD_RESET_LIMIT_PER_ADDRESS": os.environ.get(
            "PASSWORD_RESET_LIMIT_PER_ADDRESS", "5 per minute; 20 per hour"
        ),
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT": os.environ.get(
            "PASSWORD_RESET_LIMIT_PER_ACCOUNT", "3 per hour"
        ),
    }


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping; `overrides` (tests) win over the environment."""
    overrides = overrides or {}
    instance = Path(instance_path)
    env = overrides.get("APP_ENV", os.environ.get("APP_ENV", "development"))
    production = env == "production"
    config: dict[str, Any] = {
        "APP_ENV": env,
        "SQLALCHEMY_DATABASE_URI": overrides.get("SQLALCHEMY_DATABASE_URI")
        or database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": languages.DEFAULT,
        "LANGUAGES": list(languages.LOCALES),  # Babel locale ids (app/languages.py)
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "10 per minute"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 30 per hour"
        ),
        "PASSWORD_CHECK_LIMIT": os.environ.get("PASSWORD_CHECK_LIMIT", "5 per minute; 30 per hour"),
        **_proxy_counts(),
        **_sign_in_settings(production),
        **_mail_settings(),
        "QUESTION_BANKS_DIR": os.environ.get(
            "QUESTION_BANKS_DIR", str(Path(__file__).resolve().parent.parent / "question_banks")
        ),
        # A stale readiness calibration is learnt again in a thread while the kept one
        # serves (app/analytics/calibration.py); tests turn it off to stay deterministic.
        "READINESS_CALIBRATE_IN_BACKGROUND": not overrides.get("TESTING", False),
    }
    if "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = _secret_key(instance, production)
    config.update(overrides)
    return config
