"""Run work as another request would: in a thread of its own, with a session of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask

from app.extensions import db


def in_other_request(app: Flask, work: Callable[[], object], commit: bool = False) -> None:
    """Run `work` to its end in another thread with its own app context (its own session),
    committing afterwards if `commit`; its failure is raised in the caller's thread."""
    failure: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                work()
                if commit:
                    db.session.commit()
            except BaseException as err:  # reported in the test's thread
                failure.append(err)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other request never finished"
    if failure:
        raise failure[0]
