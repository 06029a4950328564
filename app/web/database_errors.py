"""How a request answers when the database refuses a number or cannot be reached.

- A number too large for a 64-bit column (an id typed into a URL or a form) makes the
  driver raise: SQLite's with OverflowError, PostgreSQL's with SQLSTATE 22003. An engine
  listener turns both into `ValueOutOfRange`, answered with a 400 — the backstop behind
  the bounded URL converter and `parse_id` (app/web/ids.py).
- A database that refuses connections, or a connection that drops mid-request (a restart,
  a failover, an administrator ending backends), is answered with 503 and Retry-After,
  JSON under /api/ and the error page elsewhere, after the session is rolled back. The
  pool recovers by itself: dropped connections are invalidated and `pool_pre_ping`
  replaces stale ones at checkout. SQLite's "database is locked" (a writer held the lock
  past the busy timeout) is temporary too, and answered the same way so clients retry.
- An error page never needs the database to answer an outage: every error handler is
  guarded, so one that meets an outage while rendering (loading the signed-in user for
  the navigation or the language, say) answers with the outage's 503 instead.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, make_response, request
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.errors import InvalidInput, crash_response, error_response
from app.extensions import db, login_manager

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_NUMERIC_VALUE_OUT_OF_RANGE = "22003"  # PostgreSQL's SQLSTATE
# SQLSTATE classes 08 (connection exception) and 57 (operator intervention: shutting
# down, starting up, backend ended by an administrator).
_CONNECTION_CLASSES = ("08", "57")


class ValueOutOfRange(InvalidInput):
    """A number in the request is beyond what the database column can hold."""


@event.listens_for(Engine, "handle_error")
def _number_out_of_range(ctx: ExceptionContext) -> Exception | None:
    """Turn a driver's refusal of an oversized number into ValueOutOfRange."""
    original = ctx.original_exception
    if ctx.is_pre_ping:
        return None
    if isinstance(original, OverflowError) or (
        getattr(original, "sqlstate", None) == _NUMERIC_VALUE_OUT_OF_RANGE
    ):
        return ValueOutOfRange("a number is out of range for the database")
    return None


def is_unavailable(err: BaseException) -> bool:
    """Whether an error means the database is unreachable or the connection dropped."""
    if not isinstance(err, OperationalError | InterfaceError):
        return False
    if err.connection_invalidated:  # SQLAlchemy recognised a disconnect
        return True
    sqlstate = getattr(err.orig, "sqlstate", None) or ""
    if sqlstate[:2] in _CONNECTION_CLASSES or _sqlite_busy(err.orig):
        return True
    # No statement and no server answer: connecting failed (refused, unreachable host).
    return err.statement is None and not sqlstate


def _sqlite_busy(driver_error: BaseException | None) -> bool:
    """SQLITE_BUSY (any extended code): another connection held the lock past the timeout."""
    code = getattr(driver_error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY


def install_database_error_handlers(app: Flask) -> None:
    """Answer out-of-range numbers with 400 and database outages with 503."""

    @app.errorhandler(ValueOutOfRange)
    def out_of_range(err: ValueOutOfRange):
        _rollback()
        log.info("refused an out-of-range number on %s %s", request.method, request.path)
        message = _("A number in the request is too large. Check the address or the form.")
        return error_response(400, _("Bad request"), message)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_error(err: DBAPIError):
        if not is_unavailable(err):
            return crash_response(err)
        return unavailable_response(err)


def guard_error_handlers(app: Flask) -> None:
    """Wrap every error handler registered so far so that an outage it meets answers 503."""
    for by_code in app.error_handler_spec.values():
        for handlers in by_code.values():
            for exc_class, handler in handlers.items():
                handlers[exc_class] = _outage_safe(handler)


def _outage_safe(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The handler, answering with the outage page if rendering its answer meets an outage."""
    if getattr(handler, "outage_safe", False):
        return handler

    @functools.wraps(handler)
    def guarded(err: Any) -> Any:
        try:
            return handler(err)
        except (OperationalError, InterfaceError) as failure:
            if failure is err or not is_unavailable(failure):
                raise
            return unavailable_response(failure)

    guarded.outage_safe = True  # type: ignore[attr-defined]
    return guarded


def unavailable_response(err: DBAPIError) -> Response:
    """503 with Retry-After, rendered without touching the database again."""
    _rollback()
    log.warning("database unavailable on %s %s: %s", request.method, request.path, err.orig or err)
    # The error page shows the navigation for the signed-in user: treat the visitor as
    # anonymous so that rendering it does not ask the lost database who they are.
    login_manager._update_request_context_with_user()
    message = _("The database cannot be reached just now. Please try again in a few seconds.")
    response = make_response(error_response(503, _("Temporarily unavailable"), message))
    return with_retry_after(response)


def with_retry_after(response: Response) -> Response:
    """Tell the client when to try again (a 503 for a temporary outage)."""
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _rollback() -> None:
    """Roll the request's session back; a dead connection may refuse even that."""
    try:
        db.session.rollback()
    except DBAPIError:
        log.debug("rollback failed on a lost connection", exc_info=True)
