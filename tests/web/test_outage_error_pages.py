"""An error page never needs the database to answer an outage: a signed-in visitor who
meets a 404, a 405 or an expired form while the database is down gets the outage's 503
with Retry-After, like every other request; the health check says when to retry; and
SQLite's "database is locked" counts as a temporary outage."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Role
from app.web.database_errors import RETRY_AFTER_SECONDS
from tests.conftest import TEST_DATABASE_URL
from tests.factories import PASSWORD


@pytest.fixture
def offline_url() -> Iterator[str]:
    """A PostgreSQL URL on a local port that refuses connections (bound, never listening)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"postgresql+psycopg://clausewise@127.0.0.1:{sock.getsockname()[1]}/clausewise"


def _assert_outage(response, *, json: bool = False) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    if json:
        assert response.json["error"]["status"] == 503
    else:
        assert response.mimetype == "text/html"
        assert "Temporarily unavailable" in response.get_data(as_text=True)


def test_signed_in_error_pages_answer_503_during_an_outage(
    client, login_as, make_app, offline_url, caplog
):
    login_as(Role.LEARNER)
    offline = make_app(SQLALCHEMY_DATABASE_URI=offline_url, WTF_CSRF_ENABLED=True)
    signed_in = offline.test_client()
    signed_in.set_cookie("session", client.get_cookie("session").value)

    _assert_outage(signed_in.get("/no-such-page"))  # 404 from routing
    _assert_outage(signed_in.post("/learn/"))  # 405: the page only answers GET
    _assert_outage(signed_in.post("/logout"))  # no CSRF token
    _assert_outage(signed_in.get("/api/v1/no-such-thing"), json=True)
    assert "unhandled error" not in caplog.text

    # Anonymous visitors need no database for an error page: they still get the real one.
    anonymous = offline.test_client().get("/no-such-page")
    assert anonymous.status_code == 404 and b"Page not found" in anonymous.data


def test_every_error_handler_is_guarded_against_outages(flask_app):
    handlers = [
        handler
        for by_code in flask_app.error_handler_spec.values()
        for by_class in by_code.values()
        for handler in by_class.values()
    ]
    assert len(handlers) >= 6
    assert all(getattr(handler, "outage_safe", False) for handler in handlers)


def test_health_check_says_when_to_retry(make_app, offline_url):
    response = make_app(SQLALCHEMY_DATABASE_URI=offline_url).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json["database"] == "unreachable"


sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's file locking")


@sqlite_only
def test_a_locked_sqlite_database_is_a_temporary_outage(make_app, make_user, db_url, caplog):
    learner = make_user(role=Role.LEARNER)
    fresh = make_app()
    with fresh.app_context():
        engine = db.engine

    def short_wait(dbapi_connection, _record, _proxy) -> None:
        # The app waits 5 s for a lock; the test need not.
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    event.listen(engine.pool, "checkout", short_wait)
    writer = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        # Signing in records the time of the sign-in: a write that cannot get the lock.
        form = {"email": learner.email, "password": PASSWORD}
        response = fresh.test_client().post("/login", data=form)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        event.remove(engine.pool, "checkout", short_wait)
    _assert_outage(response)
    assert "database unavailable on POST /login" in caplog.text
    assert "unhandled error" not in caplog.text
