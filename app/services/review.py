"""The review rule shared by the editor and imports: who may publish without a second
trainer, and moving a question row to the state `app.domain.review` decides.

Four eyes (the default): a trainer's new or changed questions are published only when
another trainer approves them. Single-trainer mode (set by an administrator) lets the
author approve their own, so an author may also publish their imports at once. The
operator (no actor: the command line and the bundled-bank loader) is trusted with the
server and may publish imports at once; each import is recorded in the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import bindparam, update

if TYPE_CHECKING:
    from sqlalchemy import CursorResult, Table

from app.domain.review import ReviewState
from app.errors import Conflict, PermissionDenied
from app.extensions import db
from app.models import Actor, Question, Setting
from app.models.base import utcnow

SINGLE_TRAINER = "single_trainer_mode"


def single_trainer_mode() -> bool:
    """True when one trainer may approve their own questions."""
    setting = db.session.get(Setting, SINGLE_TRAINER)
    return bool(setting and setting.value)


def may_publish_own_work(actor: Actor) -> bool:
    """True when `actor` may publish what they wrote without a second trainer (the
    operator, SYSTEM, may: loading the bundled banks at setup publishes them)."""
    return actor.is_system or single_trainer_mode()


def import_route(actor: Actor, publish: bool, review: bool) -> str:
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


def write_states(changes: list[tuple[int, ReviewState, ReviewState]]) -> None:
    """Move question rows (by id) from the state they were read in to a new one, in one
    statement, each only if the row is still in the state that was read (status, current
    and live version): compare-and-set. When another save or workflow action changed one
    first, nothing is written and Conflict is raised (the caller's transaction is rolled
    back), so a decision is never applied to a version its maker did not see."""
    if not changes:
        return
    table = cast("Table", Question.__table__)
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("qid"),
            table.c.status == bindparam("was_status"),
            table.c.current_version_id.is_not_distinct_from(bindparam("was_current")),
            table.c.live_version_id.is_not_distinct_from(bindparam("was_live")),
        )
        .values(
            status=bindparam("status"),
            current_version_id=bindparam("vid"),
            live_version_id=bindparam("live"),
            review_requested_by_id=bindparam("asked"),
            updated_at=bindparam("now"),
        )
    )
    now = utcnow()
    rows = [
        {
            "qid": qid,
            "was_status": before.status,
            "was_current": before.current,
            "was_live": before.live,
            "status": after.status,
            "vid": after.current,
            "live": after.live,
            "asked": after.requested_by,
            "now": now,
        }
        for qid, before, after in changes
    ]
    written = cast("CursorResult[Any]", db.session.execute(statement, rows)).rowcount
    if written != len(rows):
        db.session.rollback()
        raise Conflict(
            _(
                "Someone else changed this question a moment ago, so nothing was saved. "
                "Open it again to see the change."
            )
        )
    db.session.expire_all()
