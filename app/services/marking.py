"""Marking essay answers: a trainer's marks and comment, and the learner's result re-scored.

Rules: only trainers and admins mark; only essay answers of closed attempts are marked;
marks run from 0 to the item's marks. A mark may be changed later; every mark, first or
changed, is audited. Bad input raises before anything is written.
"""

from __future__ import annotations

import math

from flask_babel import gettext as _

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.models import AttemptStatus, Response, Role, User
from app.models.base import utcnow
from app.queries import banks as bank_queries
from app.services import answering, audit, lti_grades

MAX_COMMENT_LENGTH = 5000


def _number(value: float) -> str:
    """A mark as people write it: 6, 2.5."""
    return f"{value:g}"


def _check_marks(marks: float, available: float) -> None:
    """Refuse marks that are not a number between 0 and the item's marks."""
    if isinstance(marks, bool) or not isinstance(marks, int | float) or not math.isfinite(marks):
        raise InvalidInput(_("Marks must be a number."))
    if not 0 <= marks <= available:
        raise InvalidInput(
            _("Give between 0 and %(max)s marks for this answer.", max=_number(available))
        )


def _clean_comment(comment: str | None) -> str:
    """The comment trimmed; refused when longer than the page accepts."""
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT_LENGTH:
        raise InvalidInput(_("Keep the comment under %(n)d characters.", n=MAX_COMMENT_LENGTH))
    return text


def mark_response(actor: User, response_id: int, marks: float, comment: str | None) -> Response:
    """Store a trainer's marks and comment for an essay answer and re-score the attempt."""
    if not actor.has_any_role(Role.TRAINER, Role.ADMIN):
        raise PermissionDenied(_("Only trainers mark essay answers."))
    response = db.session.get(Response, response_id)
    if response is None:
        raise NotFound(_("No such answer."))
    item = response.item
    attempt = item.attempt
    record = bank_queries.record_for_version(item.version_id, item.version.content_hash)
    if record.type != "essay":
        raise InvalidInput(
            _("Only essay answers are marked by a trainer; this one is graded automatically.")
        )
    if attempt.status not in AttemptStatus.closed():
        raise Conflict(
            _("This attempt is still in progress; mark its answers once it is submitted.")
        )
    if not isinstance(response.value, str) or not response.value.strip():
        raise Conflict(_("This essay was left unanswered, so there is nothing to mark."))
    _check_marks(marks, record.marks)
    text = _clean_comment(comment)
    previous = (
        response.score * record.marks
        if response.graded_by_id is not None and response.score is not None
        else None
    )
    response.score = marks / record.marks if record.marks else 0.0
    response.graded_by_id = actor.id
    response.graded_at = utcnow()
    response.grader_comment = text
    answering.rescore(attempt)
    audit.record(
        actor,
        "response.marked",
        "response",
        response.id,
        attempt_id=attempt.id,
        learner_id=attempt.user_id,
        marks=float(marks),
        max_marks=record.marks,
        previous_marks=previous,
        attempt_score=attempt.score,
        passed=attempt.passed,
    )
    db.session.commit()
    lti_grades.scored(attempt)  # the LMS's grade book follows the new mark
    return response
