"""A database that cannot be reached, or a connection that drops mid-request, is answered
with 503 and Retry-After (JSON under /api/, the error page elsewhere), and the app recovers
by itself once the database is back. Nothing here stops or restarts a server: one test
points an app at a closed local port, the other ends the app's own PostgreSQL backends."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import Role
from app.services import tokens
from app.web.database_errors import is_unavailable
from tests.conftest import TEST_DATABASE_URL
from tests.factories import PASSWORD

APP_NAME = "clausewise-outage-test"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local TCP port that refuses connections (bound, never listening) for the test."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Temporarily unavailable" in page and "try again in a few seconds" in page


def _assert_unavailable_json(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["error"]["status"] == 503
    assert "cannot be reached" in response.json["error"]["message"]


def test_an_unreachable_database_gives_503_with_retry_after(
    client, login_as, make_app, closed_port, caplog
):
    login_as(Role.LEARNER)  # a signed-in visitor: loading them is the request's first query
    url = f"postgresql+psycopg://clausewise@127.0.0.1:{closed_port}/clausewise"
    offline = make_app(SQLALCHEMY_DATABASE_URI=url)
    signed_in = offline.test_client()
    signed_in.set_cookie("session", client.get_cookie("session").value)
    _assert_unavailable_page(signed_in.get("/learn/"))
    _assert_unavailable_page(
        offline.test_client().post("/login", data={"email": "a@b.org", "password": "x" * 12})
    )
    api = offline.test_client().get("/api/v1/me", headers={"Authorization": "Bearer cw_x"})
    _assert_unavailable_json(api)
    assert "database unavailable on GET /learn/" in caplog.text
    assert "unhandled error" not in caplog.text


def test_other_database_errors_are_still_500s(make_app, caplog):
    from sqlalchemy import text

    fresh = make_app()

    def broken():
        db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    fresh.add_url_rule("/__broken", "broken", broken)
    with fresh.app_context():
        response = fresh.test_client().get("/__broken")
        db.session.remove()
    assert response.status_code == 500 and "Retry-After" not in response.headers
    assert "unhandled error on GET /__broken" in caplog.text


postgres_only = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="ends PostgreSQL backends; set TEST_DATABASE_URL"
)


def _terminate(pid: int) -> None:
    """End one backend from a connection of our own, waiting until it is gone."""
    with psycopg.connect(TEST_DATABASE_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def _terminate_all() -> int:
    """End every backend the outage test's app holds; the number ended."""
    with psycopg.connect(TEST_DATABASE_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
            "WHERE application_name = %s",
            [APP_NAME],
        ).fetchall()
    return len(rows)


class BackendKiller:
    """Ends the connection's backend just before the n-th statement of the next request."""

    def __init__(self, engine, at_statement: int) -> None:
        self.engine, self.at, self.seen, self.killed = engine, at_statement, 0, False
        event.listen(engine, "before_cursor_execute", self.before)

    def before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        self.seen += 1
        if self.seen == self.at and not self.killed:
            self.killed = True
            _terminate(conn.connection.dbapi_connection.info.backend_pid)

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self.before)


@pytest.fixture
def outage_app(make_app, db_url):
    """An app on the test database whose connections carry a name we can find them by."""
    options = {"pool_pre_ping": True, "connect_args": {"application_name": APP_NAME}}
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=options)


@postgres_only
def test_dropped_connections_give_503_and_the_pool_recovers(app, outage_app, make_user, caplog):
    learner = make_user(role=Role.LEARNER)
    _token, bearer = tokens.create_token(learner, "outage")
    with outage_app.app_context():
        engine = db.engine
    client = outage_app.test_client()
    sign_in = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert sign_in.status_code == 302
    assert client.get("/learn/").status_code == 200

    # Backends ended between requests: pool_pre_ping notices and reconnects unseen.
    assert _terminate_all() >= 1
    assert client.get("/learn/").status_code == 200

    # A backend ended in the middle of a request: that request gets a 503 page...
    killer = BackendKiller(engine, at_statement=2)
    _assert_unavailable_page(client.get("/learn/"))
    killer.remove()
    assert killer.killed
    # ...and the next one is served on a fresh connection, still signed in.
    again = client.get("/learn/")
    assert again.status_code == 200 and learner.display_name in again.get_data(as_text=True)

    # The same under /api/: JSON, then recovery.
    headers = {"Authorization": f"Bearer {bearer}"}
    killer = BackendKiller(engine, at_statement=1)
    _assert_unavailable_json(client.get("/api/v1/me", headers=headers))
    killer.remove()
    assert client.get("/api/v1/me", headers=headers).json["email"] == learner.email
    assert caplog.text.count("database unavailable on GET") == 2


class _DriverError(Exception):
    """A stand-in for a driver error carrying a PostgreSQL SQLSTATE."""

    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("statement", "sqlstate", "invalidated", "unavailable"),
    [
        (None, None, False, True),  # connection refused: no server answer at all
        (None, "57P03", False, True),  # the database system is starting up
        ("SELECT 1", "57P01", False, True),  # terminated by an administrator
        ("SELECT 1", "08006", False, True),  # connection failure
        ("SELECT 1", None, True, True),  # SQLAlchemy saw a disconnect
        (None, "40001", False, False),  # a serialization failure at commit is our problem
        ("SELECT 1", "40P01", False, False),  # a deadlock
        ("SELECT x", None, False, False),  # SQLite: no such column
    ],
)
def test_which_database_errors_count_as_an_outage(statement, sqlstate, invalidated, unavailable):
    driver_error = _DriverError(sqlstate)
    err = OperationalError(statement, {}, driver_error, connection_invalidated=invalidated)
    assert is_unavailable(err) is unavailable
