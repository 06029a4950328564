"""Configuration from the environment, production safety and SQLite tuning."""

import pytest
from sqlalchemy import text

from app import create_app
from app.config import ConfigError, database_url
from app.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_defaults_to_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'clausewise.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/d")
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/d"


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite tuning applies to SQLite only")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_jobs_and_xapi_are_off_by_default(monkeypatch, tmp_path):
    for name in ("JOB_QUEUE_URL", "XAPI_ENDPOINT", "JOB_RETRY_DELAYS"):
        monkeypatch.delenv(name, raising=False)
    config = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"}).config
    assert config["JOB_QUEUE_URL"] is None and config["XAPI_ENDPOINT"] is None
    assert config["JOB_RETRY_DELAYS"] == [30, 120, 480, 1200]  # five tries over ~30 minutes


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"XAPI_ENDPOINT": "https://lrs.example/xAPI"}, "JOB_QUEUE_URL is not"),
        (
            {"XAPI_ENDPOINT": "https://lrs.example/xAPI", "JOB_QUEUE_URL": "redis://h:6379/0"},
            "XAPI_HOME_PAGE is not",
        ),
        ({"XAPI_ACTOR": "openid"}, "XAPI_ACTOR must be account or mbox"),
        ({"JOB_RETRY_DELAYS": "30, soon"}, "JOB_RETRY_DELAYS must be whole numbers"),
    ],
)
def test_integration_settings_that_cannot_work_are_refused_by_name(
    monkeypatch, tmp_path, env, complaint
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=complaint):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
