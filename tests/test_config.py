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
