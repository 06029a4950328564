"""Learning records for the organization's LRS: the services that start and close
attempts call these before they commit, so a statement is queued exactly when the
change it reports is stored (see app/jobs/xapi.py for what is sent)."""

from __future__ import annotations

from flask import current_app, has_app_context

from app.services import jobs


def _on() -> bool:
    return has_app_context() and bool(current_app.config.get("XAPI_ENDPOINT"))


def attempt_started(attempt_id: int) -> None:
    """Queue the `launched` statement of a new attempt (when xAPI is configured)."""
    if _on():
        jobs.enqueue("xapi.attempt_started", attempt_id=attempt_id)


def attempt_closed(attempt_id: int) -> None:
    """Queue the statements of a submitted or expired attempt (when xAPI is configured)."""
    if _on():
        jobs.enqueue("xapi.attempt_closed", attempt_id=attempt_id)
