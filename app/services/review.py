"""The review rule shared by the editor and imports: who may publish without a second
trainer, and moving a question row to the state `app.domain.review` decides.

Four eyes (the default): a trainer's new or changed questions are published only when
another trainer approves them. Single-trainer mode (set by an administrator) lets the
author approve their own, so an author may also publish their imports at once. The
operator (no actor: the command line and the bundled-bank loader) is trusted with the
server and may publish imports at once; each import is recorded in the audit log.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.domain.review import ReviewState
from app.errors import PermissionDenied
from app.extensions import db
from app.models import Question, Setting, User
from app.models.base import utcnow

SINGLE_TRAINER = "single_trainer_mode"


def single_trainer_mode() -> bool:
    """True when one trainer may approve their own questions."""
    setting = db.session.get(Setting, SINGLE_TRAINER)
    return bool(setting and setting.value)


def may_publish_own_work(actor: User | None) -> bool:
    """True when `actor` may publish what they wrote without a second trainer."""
    return actor is None or single_trainer_mode()


def import_route(actor: User | None, publish: bool, review: bool) -> str:
    """The route of imported new and changed questions: "publish", "review" or "draft".

    Refuses to publish for a trainer under four eyes: another trainer must approve.
    """
    if publish:
        if not may_publish_own_work(actor):
            raise PermissionDenied(
                _(
                    "Four eyes: another trainer must approve imported questions. "
                    "Send them for review instead of publishing them at once."
                )
            )
        return "publish"
    return "review" if review else "draft"


def state_of(question: Question) -> ReviewState:
    """A question row's review state."""
    return ReviewState(
        question.status,
        question.current_version_id,
        question.live_version_id,
        question.review_requested_by_id,
    )


def apply_state(question: Question, state: ReviewState) -> None:
    """Write a review state onto a question row (the caller commits)."""
    question.status = state.status
    question.current_version_id = state.current
    question.live_version_id = state.live
    question.review_requested_by_id = state.requested_by
    question.updated_at = utcnow()
