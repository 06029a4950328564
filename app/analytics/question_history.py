"""Read-only views of a question's versions: its history with diffs, a pending change
against the live version, and its workflow events."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.domain.content import content_of
from app.domain.records import QuestionRecord
from app.extensions import db
from app.models import AuditEvent, Question, QuestionVersion, User
from app.queries.banks import current_version_id, version_records


@dataclass
class VersionView:
    """One version in a question's history, with the change from the one before."""

    number: int
    author: str
    created_at: datetime
    diff: list[tuple[str, str]]  # (kind: same/added/removed, line)
    used: int  # attempts that showed this version


def _lines(record: QuestionRecord) -> list[str]:
    """A version's content as readable YAML lines, for diffs."""
    data = {k: v for k, v in content_of(record).items() if v not in ("", [], None)}
    data.pop("id", None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=90).splitlines()


def _diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """(kind: same/added/removed, line) for a line diff of two versions."""
    return [
        ({"+": "added", "-": "removed", " ": "same"}[d[0]], d[2:])
        for d in difflib.ndiff(before, after)
        if d[0] in "+- "
    ]


def changes_against_live(questions: list[Question]) -> dict[int, list[tuple[str, str]]]:
    """Question id → line diff of its pending version against its live version, for
    questions with a change under review (two batched reads)."""
    pending = [q for q in questions if q.has_pending_change]
    pairs = {q.id: (_live_id(q), current_version_id(q)) for q in pending}
    ids = [v for pair in pairs.values() for v in pair]
    records = version_records(ids) if ids else {}
    return {
        qid: _diff(_lines(records[live]), _lines(records[pending_id]))
        for qid, (live, pending_id) in pairs.items()
    }


def _live_id(question: Question) -> int:
    """The live version id of a question with a pending change (it has one)."""
    assert question.live_version_id is not None
    return question.live_version_id


def history(question: Question) -> list[VersionView]:
    """Every version, newest first, each with a line diff against the previous one."""
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
    previous: list[str] = []
    for vid, number, created_at, user in rows:
        lines = _lines(records[vid])
        diff = _diff(previous, lines)
        views.append(
            VersionView(
                number, user.display_name if user else "import", created_at, diff, used.get(vid, 0)
            )
        )
        previous = lines
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
