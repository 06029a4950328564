"""Shared fixtures: a real database (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
the app, a client, and `login_as(role)`.

The schema is built once per run by the real migrations; after each test every table
is emptied, so tests never see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.orm import close_all_sessions

from app import create_app
from app.extensions import db, limiter
from app.models import User
from app.security import Role
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def _reset_postgres(url: str) -> None:
    """Give the PostgreSQL test database an empty public schema."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_url(tmp_dir: str) -> str:
    """The database every test of this run uses."""
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_dir}/clausewise-test.sqlite"


def app_config(url: str, **extra: object) -> dict[str, object]:
    """Configuration for a test app: real database, fixed secret, no rate limits."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        **extra,
    }


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh database, migrated to the latest schema."""
    url = database_url(str(tmp_path_factory.mktemp("db")))
    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def dispose_engines(application: Flask) -> None:
    """Close an app's pooled connections (PostgreSQL warns about ones left open).

    Sessions are closed first, so that no connection is still checked out of the pool
    (and later collected unclosed) when the engine is disposed.
    """
    close_all_sessions()
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def flask_app(db_url: str) -> Iterator[Flask]:
    """The application under test, bound to the migrated test database."""
    application = create_app(app_config(db_url))
    yield application
    dispose_engines(application)


@pytest.fixture
def make_app(db_url: str, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Build extra apps on the test database with other settings; closed afterwards."""
    made: list[Flask] = []
    # Flask-Limiter keeps `enabled` on the shared extension object: put it back afterwards.
    limits_were_enabled = limiter.enabled

    def build(**extra: object) -> Flask:
        made.append(create_app(app_config(db_url, INSTANCE_PATH=str(tmp_path), **extra)))
        return made[-1]

    yield build
    limiter.enabled = limits_were_enabled
    for application in made:
        dispose_engines(application)


@pytest.fixture
def app(flask_app: Flask) -> Iterator[Flask]:
    """The application inside a fresh app context; every table is emptied afterwards."""
    with flask_app.app_context():
        yield flask_app
        _empty_all_tables()
        db.session.remove()


def _empty_all_tables() -> None:
    """Delete every row, children first; PostgreSQL also restarts its sequences."""
    db.session.rollback()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # questions and question_versions point at each other: break that cycle first.
        db.session.execute(
            text("UPDATE questions SET current_version_id = NULL, live_version_id = NULL")
        )
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client with its own cookie jar."""
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create an account: make_user(role="trainer", email=..., password=...)."""
    return factories.make_user


@pytest.fixture
def login_as(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Sign the client in as a new user holding `role` (or an existing user)."""

    def sign_in(role: str | Role = Role.LEARNER, user: User | None = None) -> User:
        user = user or make_user(role=role)
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 302, "sign-in failed"
        return user

    return sign_in


BANKS_ROOT = Path(__file__).resolve().parents[1] / "question_banks"


@pytest.fixture
def reference(app: Flask) -> None:
    """Reference data only: editions, clause trees, mapping, schemes."""
    from app.services.reference import load_reference_data

    load_reference_data(BANKS_ROOT)


@pytest.fixture
def banks(reference: None) -> None:
    """Reference data and the bundled banks, imported and published."""
    from app.services.bank_import import ImportOptions, import_files

    root = BANKS_ROOT
    files = [(str(p), p.read_bytes()) for p in sorted((root / "banks").glob("*.yaml"))]
    assert import_files(None, files, ImportOptions(publish=True)).ok
