"""Work done after the answer has gone out: the visitor waits for none of it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Response, after_this_request, current_app

log = logging.getLogger(__name__)

_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


def after_response(function: Callable[..., Any], *args: Any) -> None:
    """Run `function(*args)` in a fresh app context beside the sending of this response.

    A page whose answer must not depend on what the work finds (a password reset that
    must take as long whether or not the address has an account) answers first. A
    failure is logged, never shown: the visitor has had their answer.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        try:
            with app.app_context():
                try:
                    function(*args)
                except Exception:
                    log.exception("work after the response failed: %s", function.__qualname__)
        finally:
            with _running_lock:
                _running.discard(threading.current_thread())

    @after_this_request
    def schedule(response: Response) -> Response:
        # A thread of its own, not the response's close: Werkzeug's development server
        # closes a response only once it has drained the client's side of the
        # connection, which a browser may keep open for seconds or more.
        thread = threading.Thread(target=run, name="after-response", daemon=True)
        with _running_lock:
            _running.add(thread)
        thread.start()
        return response


def wait_for_pending(timeout: float = 30.0) -> bool:
    """Wait for the work still running after earlier responses; False if some outlasted
    `timeout`. Whoever closes the database's sessions and connections (a test's teardown,
    a shutdown) calls this first, so that no work is cut off in the middle of a commit."""
    with _running_lock:
        pending = list(_running)
    for thread in pending:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in pending)
