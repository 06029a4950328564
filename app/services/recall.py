"""The learner's own recall rating of a checked answer in a review set."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.scheduling import RECALL_RATINGS
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import AttemptItem, AttemptMode, AttemptStatus, User
from app.services.answering import own_attempt


def rate_recall(actor: User, attempt_id: int, position: int, recall: str) -> int:
    """Store how well the learner recalled a checked answer of their open review set
    (again, hard, good or easy); returns the rating stored (1–4). Anything else is
    refused and nothing is written."""
    attempt = own_attempt(actor, attempt_id)  # NotFound for anyone else's
    if attempt.mode != AttemptMode.REVIEW:
        raise Conflict(_("Recall ratings are given in review sets only."))
    if attempt.status != AttemptStatus.OPEN:
        raise Conflict(_("This review set is closed: its ratings can no longer change."))
    value = RECALL_RATINGS.get(recall)
    if value is None:
        raise InvalidInput(_("Choose how well you recalled it: Again, Hard, Good or Easy."))
    item = db.session.scalars(
        select(AttemptItem).where(
            AttemptItem.attempt_id == attempt.id, AttemptItem.position == position
        )
    ).first()
    if item is None:
        raise NotFound(_("This attempt has no question %(n)d.", n=position))
    if item.checked_at is None or item.response is None:
        raise Conflict(_("Check your answer before you rate how well you recalled it."))
    item.response.recall = value
    db.session.commit()
    return value
