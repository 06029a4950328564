"""Grade passback (LTI Assignment and Grade Services 2.0): the score of an attempt
started from a graded link goes to the link's line item at the platform.

When an attempt is scored (submitted, expired, or re-scored after a trainer marks an
essay), `scored` queues the `lti.send_score` job, so a platform that is down delays the
grade instead of losing it. Sending is safe to repeat: the score is read afresh and its
timestamp is the moment the result last changed, so a late retry never overwrites a
newer score (platforms keep the latest timestamp). The grade book shows the attempt
most recently submitted or re-marked.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.integrations import lti_http
from app.models import Attempt, AttemptItem, AttemptStatus, LtiAccount, LtiLink, Response
from app.services import jobs, lti_keys
from app.services.lti_platforms import as_protocol

log = logging.getLogger(__name__)


def scored(attempt: Attempt) -> None:
    """Queue the attempt's score for its LMS, if it was started from a link (call after
    the commit that scored it)."""
    if (attempt.settings or {}).get("lti") and current_app.config.get("LTI_ENABLED"):
        jobs.enqueue("lti.send_score", attempt_id=attempt.id)


def changed_at(attempt: Attempt) -> datetime:
    """When the attempt's result last changed: its closing, or a later trainer's mark."""
    stmt = (
        select(func.max(Response.graded_at))
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .where(AttemptItem.attempt_id == attempt.id)
    )
    marked = db.session.scalar(stmt)  # max() keeps the column's type: aware UTC
    closed = attempt.submitted_at or attempt.started_at
    return max(closed, marked) if marked is not None else closed


def score_payload(attempt: Attempt, subject: str, when: datetime) -> dict[str, Any]:
    """The AGS score of a closed attempt: points given of points available, completed,
    and fully graded unless essays still await a trainer's mark."""
    pending = int((attempt.result or {}).get("pending") or 0)
    return {
        "userId": subject,
        "scoreGiven": round(float(attempt.score or 0.0), 4),
        "scoreMaximum": round(float(attempt.max_score or 0.0), 4),
        "activityProgress": "Completed",
        "gradingProgress": "PendingManual" if pending else "FullyGraded",
        "timestamp": when.isoformat(timespec="milliseconds"),
    }


def send_score(attempt_id: int) -> str:
    """Send an attempt's current score to its link's line item; says what it did (sent,
    or why not: nothing is sent while LTI is off). Raises lti_http.ServiceFailed when the
    platform fails, to be retried."""
    if not current_app.config.get("LTI_ENABLED"):
        return "off"
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return "gone"
    ref = attempt.settings.get("lti") or {}
    link = db.session.get(LtiLink, ref.get("link"))
    account = db.session.get(LtiAccount, ref.get("account"))
    if link is None or account is None or not link.platform.active:
        return "unlinked"
    if not link.lineitem_url or not link.may_score:
        return "ungraded"
    if attempt.status not in AttemptStatus.closed() or not attempt.max_score:
        return "unscored"
    payload = score_payload(attempt, account.subject, changed_at(attempt))
    lti_http.post_score(
        as_protocol(link.platform),
        lti_keys.signing_key(),
        link.lineitem_url,
        payload,
        current_app.config["LTI_HTTP_TIMEOUT"],
    )
    log.info("score of attempt %s sent to %s", attempt.id, link.lineitem_url)
    return "sent"
