"""Settings read from the environment, with safe local defaults for development."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


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
        "WTF_CSRF_TIME_LIMIT": None,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ["en", "zh"],
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "10 per minute"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT", "5 per minute; 30 per hour"
        ),
        "PASSWORD_CHECK_LIMIT": os.environ.get("PASSWORD_CHECK_LIMIT", "5 per minute; 30 per hour"),
        **_proxy_counts(),
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
