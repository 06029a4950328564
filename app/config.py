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


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting: 1, true, yes or on (any case) mean yes; unset keeps `default`."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (yes or no), not {raw!r}.")


def _lti_settings(production: bool) -> dict[str, Any]:
    """LTI 1.3 (docs/lti-moodle.md): off unless LTI_ENABLED; platforms are registered by
    administrators on the LTI page, not here."""
    timeout = os.environ.get("LTI_HTTP_TIMEOUT", "10").strip()
    if not timeout.isdigit() or not 1 <= int(timeout) <= 120:
        raise ConfigError(f"LTI_HTTP_TIMEOUT must be whole seconds from 1 to 120, not {timeout!r}.")
    return {
        "LTI_ENABLED": _flag("LTI_ENABLED", False),
        # The launch's state cookie must cross from the platform's site: SameSite=None,
        # which browsers accept only with Secure (HTTPS). Without it (local HTTP) it is Lax.
        "LTI_COOKIE_SECURE": _flag("LTI_COOKIE_SECURE", production),
        "LTI_HTTP_TIMEOUT": int(timeout),
        "LTI_LAUNCH_LIMIT": os.environ.get("LTI_LAUNCH_LIMIT", "120 per minute"),
    }


def _delays(raw: str) -> list[int]:
    """JOB_RETRY_DELAYS: the waits in seconds before each retry, comma-separated."""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise ConfigError(
            "JOB_RETRY_DELAYS must be whole numbers of seconds separated by commas "
            f"(for example 30,120,480,1200), not {raw!r}."
        )
    return [int(part) for part in parts]


def _jobs_and_xapi() -> dict[str, Any]:
    """The job queue (off: tasks run inline) and the xAPI statements (off: none sent)."""
    config: dict[str, Any] = {
        "JOB_QUEUE_URL": os.environ.get("JOB_QUEUE_URL", "").strip() or None,
        "JOB_QUEUE_NAME": os.environ.get("JOB_QUEUE_NAME", "clausewise"),
        "JOB_RETRY_DELAYS": _delays(os.environ.get("JOB_RETRY_DELAYS", "30,120,480,1200")),
        "JOB_TIMEOUT": int(os.environ.get("JOB_TIMEOUT", "1800")),
        "JOB_KEEP_DAYS": int(os.environ.get("JOB_KEEP_DAYS", "7")),
        "XAPI_ENDPOINT": os.environ.get("XAPI_ENDPOINT", "").strip().rstrip("/") or None,
        "XAPI_USERNAME": os.environ.get("XAPI_USERNAME", ""),
        "XAPI_PASSWORD": os.environ.get("XAPI_PASSWORD", ""),
        "XAPI_AUTH": os.environ.get("XAPI_AUTH", ""),
        "XAPI_ACTOR": os.environ.get("XAPI_ACTOR", "account"),
        "XAPI_HOME_PAGE": os.environ.get("XAPI_HOME_PAGE", "").strip().rstrip("/") or None,
    }
    return config


def check_integrations(config: dict[str, Any]) -> None:
    """Refuse settings that cannot work together, naming the variable to change."""
    if config.get("XAPI_ACTOR") not in ("account", "mbox"):
        raise ConfigError(f"XAPI_ACTOR must be account or mbox, not {config['XAPI_ACTOR']!r}.")
    if not config.get("XAPI_ENDPOINT"):
        return
    if not config.get("JOB_QUEUE_URL"):
        raise ConfigError(
            "XAPI_ENDPOINT is set but JOB_QUEUE_URL is not. Statements are sent by the job "
            "workers, so that an LRS that is down delays them and never loses them: set "
            "JOB_QUEUE_URL (redis://…) and run `flask --app wsgi jobs worker`."
        )
    if not config.get("XAPI_HOME_PAGE"):
        raise ConfigError(
            "XAPI_ENDPOINT is set but XAPI_HOME_PAGE is not: set it to this site's public "
            "address (https://…), the root of the activity ids and of the learners' accounts."
        )


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
        # How long a worker trusts its last look at whether the published pool changed
        # (app/queries/banks.live_pool): a change reaches new attempts within this time.
        "POOL_RECHECK_SECONDS": float(os.environ.get("POOL_RECHECK_SECONDS", "1")),
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
        **_lti_settings(production),
        **_jobs_and_xapi(),
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
    check_integrations(config)
    return config
