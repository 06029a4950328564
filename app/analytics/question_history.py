"""Read-only views of a question's versions: its history with the fields each version
changed (word by word), a pending change against the live version, and its workflow
events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.domain.content import content_of
from app.domain.records import QuestionRecord
from app.domain.version_diff import FieldChange, field_changes
from app.extensions import db
from app.models import AuditEvent, Question, QuestionVersion, User
from app.queries.banks import current_version_id, version_records


@dataclass
class VersionView:
    """One version in a question's history, with the fields it changed (none for the
    first version, which changed nothing: it began the question)."""

    number: int
    author: str | None  # None: no person wrote it (the bank import did)
    created_at: datetime
    changes: list[FieldChange]
    used: int  # attempts that showed this version


def _content(record: QuestionRecord) -> dict[str, Any]:
    """A version's content as compared: what `content_of` gives, empty fields left out."""
    return {k: v for k, v in content_of(record).items() if v not in ("", [], None)}


def changes_against_live(questions: list[Question]) -> dict[int, list[FieldChange]]:
    """Question id → the fields its pending version changed against its live version, for
    questions with a change under review (two batched reads)."""
    pending = [q for q in questions if q.has_pending_change]
    pairs = {q.id: (_live_id(q), current_version_id(q)) for q in pending}
    ids = [v for pair in pairs.values() for v in pair]
    records = version_records(ids) if ids else {}
    return {
        qid: field_changes(_content(records[live]), _content(records[pending_id]))
        for qid, (live, pending_id) in pairs.items()
    }


def _live_id(question: Question) -> int:
    """The live version id of a question with a pending change (it has one)."""
    assert question.live_version_id is not None
    return question.live_version_id


def history(question: Question) -> list[VersionView]:
    """Every version, newest first, each with the fields it changed from the one before."""
    from app.models import AttemptItem

    author = aliased(User)
    stmt = (
        select(QuestionVersion.id, QuestionVersion.number, QuestionVersion.created_at, author)
        .outerjoin(author, author.id == QuestionVersion.created_by_id)
        .where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.number)
    )
    rows = list(db.session.execute(stmt))
    records = version_records([vid for vid, *_ in rows])
    used = dict(
        db.session.execute(
            select(AttemptItem.version_id, func.count())
            .where(AttemptItem.version_id.in_([vid for vid, *_ in rows]))
            .group_by(AttemptItem.version_id)
        ).all()
    )
    views: list[VersionView] = []
    previous: dict[str, Any] | None = None
    for vid, number, created_at, user in rows:
        content = _content(records[vid])
        changes = field_changes(previous, content) if previous is not None else []
        views.append(
            VersionView(
                number,
                user.display_name if user else None,
                created_at,
                changes,
                used.get(vid, 0),
            )
        )
        previous = content
    return list(reversed(views))


def workflow_events(question: Question, limit: int = 30) -> list[tuple[AuditEvent, str]]:
    """The question's audit events, newest first, with the actor's name."""
    stmt = (
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "question", AuditEvent.object_id == str(question.id))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return [(event, name or "system") for event, name in db.session.execute(stmt)]
