"""Shared fixtures: a real database (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
the app, a client, and `login_as(role)`.

The schema is built once per run by the real migrations; after each test every table
is emptied, so tests never see each other's rows. The reference data and the bundled
banks are loaded and imported once per run by the real services; the `reference` and
`banks` fixtures then copy the rows those services wrote into each test's database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Column, Table, bindparam, create_engine, select, text, update
from sqlalchemy.orm import close_all_sessions

from app import create_app
from app.analytics import backtest_report, calibration, organization
from app.extensions import db, limiter
from app.models import SYSTEM, Role, User
from app.queries import question_search
from app.web import after_response
from tests import factories, mail_server

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
        # Tests publish and start in one breath: look at the pool's fingerprint every time.
        "POOL_RECHECK_SECONDS": 0,
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
    # Work still running after a response (a reset letter) has a session of its own: let
    # it finish before every session is closed under it.
    assert after_response.wait_for_pending(), "work after a response never finished"
    for application in made:
        dispose_engines(application)


@pytest.fixture
def app(flask_app: Flask) -> Iterator[Flask]:
    """The application inside a fresh app context; every table is emptied afterwards."""
    with flask_app.app_context():
        yield flask_app
        assert after_response.wait_for_pending(), "work after a response never finished"
        _empty_all_tables()
        db.session.remove()
        calibration.forget()  # its fingerprint cannot tell one test's emptied tables from the next
        backtest_report.forget()  # nor can the backtest's
        organization.forget()  # nor the organization report's


def _empty_all_tables() -> None:
    """Delete every row, children first, and restart the numbering (SQLite numbers from
    the largest id there is, so from 1 again; PostgreSQL's sequences are reset).

    PostgreSQL truncates only the tables that hold rows: TRUNCATE makes new files for
    every table and index it names (most of a second for all of them, even empty), and
    DELETE would fire the search index's row triggers (seconds after the banks' copy)."""
    db.session.rollback()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        probe = " UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})"  # noqa: S608 (our tables)
            for t in tables
        )
        filled = list(db.session.execute(text(probe)).scalars())
        if filled:
            db.session.execute(text(f"TRUNCATE {', '.join(filled)} CASCADE"))
        db.session.execute(
            text("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'")
        )
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

Rows = dict[str, tuple[Mapping[str, object], ...]]


@dataclass(frozen=True)
class BundledRows:
    """The rows the real services write for the reference data, then for the bundled banks.

    Read once per run. Each row is a read-only mapping, and its JSON values are only ever
    read (serialised on insert), never handed to a test: no test can change what the
    next one restores.
    """

    reference: Rows
    banks: Rows  # only the rows the bank import added on top of the reference data


def _copy_rows() -> Rows:
    """Every row of every table, parents first, each table in primary-key order."""
    copied: Rows = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns))
        found = tuple(MappingProxyType(dict(row._mapping)) for row in rows)
        if found:
            copied[table.name] = found
    return copied


def _rows_added(after: Rows, before: Rows) -> Rows:
    """The rows of `after` that `before` lacks; a row both hold must not have changed."""
    added: Rows = {}
    for name, rows in after.items():
        key_columns = [c.name for c in db.metadata.tables[name].primary_key.columns]
        earlier = {tuple(r[c] for c in key_columns): r for r in before.get(name, ())}
        new = []
        for row in rows:
            old = earlier.get(tuple(row[c] for c in key_columns))
            assert old is None or old == row, f"the bank import changed a row of {name}"
            if old is None:
                new.append(row)
        if new:
            added[name] = tuple(new)
    return added


IdMap = dict[str, dict[object, object]]


def _restore_rows(copied: Rows, earlier: IdMap | None = None) -> IdMap:
    """Insert copied rows as new rows, as the services would, and commit.

    The database numbers them afresh (a test may already have written rows of its
    own), so references follow the new ids, also into the rows of an `earlier` restore.
    Columns of a foreign-key cycle (a question's current version) or naming their own
    table (a clause's parent) are filled in once every table is written.
    """
    new_ids: IdMap = {name: dict(ids) for name, ids in (earlier or {}).items()}
    cycles: list[tuple[Table, list[str], tuple[Mapping[str, object], ...]]] = []
    # The search index's triggers would build a question's entry again on each of its
    # rows (the question, each translation, its current version filled in): seconds per
    # restore of the banks, for the few tests that search them. The triggers are off
    # while the rows go in and the copied questions stay out of the index: a test that
    # searches them asks for `searchable_banks`. (Questions a test wrote before keep theirs.)
    searched = "questions" in copied and not _any_question()
    if searched:
        question_search.drop_index(db.session.connection())
    for table in db.metadata.sorted_tables:
        rows = copied.get(table.name)
        if not rows:
            continue
        later = _cycle_columns(table)
        key = _numbered_key(table)
        values = [_linked(table, row, new_ids, skip=later) for row in rows]
        for value in values:
            value.update(dict.fromkeys(later))
            if key is not None:
                del value[key.name]
        if key is None:
            db.session.execute(table.insert(), values)
        else:
            statement = table.insert().returning(key, sort_by_parameter_order=True)
            fresh = db.session.execute(statement, values).scalars().all()
            new_ids[table.name] = {row[key.name]: n for row, n in zip(rows, fresh, strict=True)}
        if later:
            cycles.append((table, later, rows))
    for table, later, rows in cycles:
        _fill_in(table, later, rows, new_ids)
    if searched:
        question_search.create_index(db.session.connection(), fill=False)
    db.session.commit()
    if searched:
        # Other pooled connections (a test's threads, a live server's) still hold the
        # schema from before: SQLite has had them fail with "no such table" afterwards.
        db.engine.dispose()
    return new_ids


def _any_question() -> bool:
    """Whether the database holds a question (one the search index may hold)."""
    return db.session.execute(text("SELECT 1 FROM questions LIMIT 1")).first() is not None


def _numbered_key(table: Table) -> Column | None:
    """The table's integer `id` that the database numbers, if it has one."""
    columns = list(table.primary_key.columns)
    if len(columns) == 1 and columns[0].name == "id" and columns[0].autoincrement in (True, "auto"):
        return columns[0] if columns[0].type.python_type is int else None
    return None


def _cycle_columns(table: Table) -> list[str]:
    """Columns naming a row that may not be written yet when this row is."""
    return [
        c.name
        for c in table.columns
        if any(fk.use_alter or fk.column.table is table for fk in c.foreign_keys)
    ]


def _linked(
    table: Table, row: Mapping[str, object], new_ids: IdMap, skip: Sequence[str] = ()
) -> dict[str, object]:
    """A copy of `row` whose references (but those in `skip`) point at the new ids of the
    rows they name."""
    values = dict(row)
    for column in table.columns:
        if column.name in skip:
            continue
        for fk in column.foreign_keys:
            renumbered = new_ids.get(fk.column.table.name)
            if renumbered is not None and values[column.name] is not None:
                values[column.name] = renumbered[values[column.name]]
    return values


def _fill_in(
    table: Table, later: list[str], rows: tuple[Mapping[str, object], ...], new_ids: IdMap
) -> None:
    """Write the deferred cycle columns of restored rows, by their new ids.

    Columns the update would stamp (`onupdate`, such as `updated_at`) keep their copied
    values.
    """
    key = _numbered_key(table)
    assert key is not None, f"{table.name}: a cycle column needs a numbered key"
    columns = later + [c.name for c in table.columns if c.onupdate is not None]
    statement = (
        update(table)
        .where(key == bindparam("row_key"))
        .values({c: bindparam(f"new_{c}") for c in columns})
    )
    renumbered = new_ids[table.name]
    params = []
    for row in rows:
        linked = _linked(table, row, new_ids)
        params.append(
            {"row_key": renumbered[row[key.name]], **{f"new_{c}": linked[c] for c in columns}}
        )
    db.session.execute(statement, params)


@pytest.fixture(scope="session")
def bundled_rows(flask_app: Flask) -> BundledRows:
    """Load the reference data and import the bundled banks once per run, through the real
    services, and keep the rows they wrote (a session fixture: set up before any
    function-scoped fixture of the test that first asks for it)."""
    from app.services.bank_import import ImportOptions, import_files
    from app.services.reference import load_reference_data

    with flask_app.app_context():
        _empty_all_tables()
        load_reference_data(BANKS_ROOT)
        reference_rows = _copy_rows()
        paths = sorted((BANKS_ROOT / "banks").glob("*.yaml"))
        files = [(str(p), p.read_bytes()) for p in paths]
        assert import_files(SYSTEM, files, ImportOptions(publish=True)).ok
        bank_rows = _rows_added(_copy_rows(), reference_rows)
        _empty_all_tables()
        db.session.remove()
    return BundledRows(reference=reference_rows, banks=bank_rows)


@pytest.fixture
def reference_ids(app: Flask, bundled_rows: BundledRows) -> IdMap:
    """The reference data restored; its new ids by table and old id."""
    return _restore_rows(bundled_rows.reference)


@pytest.fixture
def reference(reference_ids: IdMap) -> None:
    """Reference data only: editions, clause trees, mapping, schemes."""


@pytest.fixture
def banks(reference_ids: IdMap, bundled_rows: BundledRows) -> None:
    """Reference data and the bundled banks, imported and published."""
    _restore_rows(bundled_rows.banks, reference_ids)


@pytest.fixture
def searchable_banks(banks: None) -> None:
    """The bundled banks, with their questions in the search index (`banks` leaves them out)."""
    question_search.fill_index(db.session.connection())
    db.session.commit()


MAIL_FROM = "Clausewise <noreply@clausewise.test>"
BASE_URL = "https://clausewise.test"


@pytest.fixture
def smtp_inbox() -> Iterator[mail_server.Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; what it receives."""
    inbox = mail_server.Inbox()
    controller = mail_server.start_server(inbox)
    yield inbox
    controller.stop()


@pytest.fixture
def mail_on(app: Flask, smtp_inbox: mail_server.Inbox) -> Iterator[mail_server.Inbox]:
    """Mail switched on for the test app, sent to the `smtp_inbox` server; the inbox."""
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_inbox.port,
        "MAIL_SECURITY": "none",
        "MAIL_USERNAME": "",
        "MAIL_FROM": MAIL_FROM,
        "MAIL_TIMEOUT": 10,
        "BASE_URL": BASE_URL,
    }
    before = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    yield smtp_inbox
    app.config.update(before)


@pytest.fixture(scope="session")
def lti_platform_server():
    """The LTI 1.3 platform of the tests (tests/lti_platform.py), on a free local port."""
    from tests.lti_platform import Platform

    platform = Platform()
    platform.start()
    yield platform
    platform.stop()


@pytest.fixture
def lti_platform(lti_platform_server, app):
    """The platform with no courses, people or records, and the tool's HTTP caches empty."""
    from app.integrations import lti_http

    lti_platform_server.reset()
    lti_http.forget()
    yield lti_platform_server
    lti_platform_server.reset()
    lti_http.forget()
