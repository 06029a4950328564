"""Read-only views for essay marking: the queue of answers awaiting a trainer, and one answer.

An answer waits for marking when it is an essay response of a closed (submitted or expired)
attempt that has no score yet and no trainer's mark. Unanswered essays are not listed: they
score 0 when the attempt closes. Trainers see the learner's display name, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from app.domain.markdown import excerpt
from app.domain.records import QuestionRecord, ScenarioRecord
from app.domain.wording import wording
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Bank,
    Question,
    QuestionVersion,
    Response,
    Scheme,
    User,
)
from app.queries import banks as bank_queries

EXCERPT_LENGTH = 160
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class QueueRow:
    """One answer waiting for a trainer, as the queue page lists it."""

    response_id: int
    attempt_id: int
    position: int
    learner: str
    title: str
    excerpt: str
    marks: float
    scheme: str  # a Wording, "" without a scheme
    bank: str
    submitted_at: datetime


@dataclass(frozen=True)
class AnswerToMark:
    """One essay answer with everything a trainer needs beside it to mark it."""

    response_id: int
    attempt_id: int
    position: int
    learner: str
    scheme: str  # a Wording, "" without a scheme
    mode: str
    submitted_at: datetime
    text: str
    record: QuestionRecord
    scenario: ScenarioRecord | None
    awarded: float | None
    comment: str
    graded_at: datetime | None
    language: str | None = None  # the language the question was shown in (None: its source)

    @property
    def marked(self) -> bool:
        """Has a trainer marked this answer already?"""
        return self.awarded is not None


def _essays_of_closed_attempts(stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """Join a statement over responses to their essay items of closed attempts."""
    return (
        stmt.join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .where(QuestionVersion.type == "essay", Attempt.status.in_(AttemptStatus.closed()))
    )


def _waiting(
    stmt: Select[*tuple[Any, ...]], bank: str | None, scheme: str | None
) -> Select[*tuple[Any, ...]]:
    """Narrow a statement over responses to unmarked essays, optionally of a bank or scheme."""
    stmt = _essays_of_closed_attempts(stmt).where(
        Response.score.is_(None), Response.graded_by_id.is_(None)
    )
    if bank:
        in_bank = (
            select(Question.id).join(Bank, Bank.id == Question.bank_id).where(Bank.code == bank)
        )
        stmt = stmt.where(QuestionVersion.question_id.in_(in_bank))
    if scheme:
        stmt = stmt.where(Attempt.scheme_id.in_(select(Scheme.id).where(Scheme.code == scheme)))
    return stmt


def _excerpt(text: str) -> str:
    """The start of a stem as plain words (Markdown dropped), cut at a word when longer."""
    return excerpt(text, EXCERPT_LENGTH)


def queue(
    bank: str | None = None, scheme: str | None = None, limit: int = QUEUE_LIMIT
) -> list[QueueRow]:
    """Answers waiting for marking, oldest submission first; filter by bank or scheme code."""
    columns = select(
        Response.id,
        AttemptItem.attempt_id,
        AttemptItem.position,
        User.display_name,
        QuestionVersion.title,
        func.substr(QuestionVersion.stem, 1, EXCERPT_LENGTH * 2),
        QuestionVersion.marks,
        Scheme.title,
        Scheme.translations,
        Bank.code,
        Attempt.submitted_at,
    ).select_from(Response)
    stmt = (
        _waiting(columns, bank, scheme)
        .join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .outerjoin(Scheme, Scheme.id == Attempt.scheme_id)
        .order_by(Attempt.submitted_at, Attempt.id, AttemptItem.position)
        .limit(limit)
    )
    return [
        QueueRow(rid, aid, pos, name, title, _excerpt(stem), marks, _title(scheme, words), code, at)
        for rid, aid, pos, name, title, stem, marks, scheme, words, code, at in db.session.execute(
            stmt
        )
    ]


def _title(title: str | None, translations: dict[str, Any] | None) -> str:
    """A scheme's title as a Wording; "" for an attempt without a scheme."""
    return wording(title, translations) if title else ""


def waiting_count(bank: str | None = None, scheme: str | None = None) -> int:
    """How many answers wait for marking (optionally of a bank or scheme code)."""
    stmt = _waiting(select(func.count(Response.id)).select_from(Response), bank, scheme)
    return int(db.session.scalar(stmt) or 0)


def next_waiting(bank: str | None = None, scheme: str | None = None) -> int | None:
    """The response id of the oldest answer waiting for marking, or None."""
    rows = queue(bank, scheme, limit=1)
    return rows[0].response_id if rows else None


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """(code, title) of every bank and active scheme (its title a Wording), for the
    queue's filters."""
    banks = select(Bank.code, Bank.title).order_by(Bank.title)
    schemes = select(Scheme.code, Scheme.title, Scheme.translations).where(Scheme.active.is_(True))
    return {
        "banks": [(code, title) for code, title in db.session.execute(banks)],
        "schemes": [
            (code, wording(title, translations))
            for code, title, translations in db.session.execute(schemes.order_by(Scheme.title))
        ],
    }


def answer_to_mark(response_id: int) -> AnswerToMark | None:
    """An essay answer of a closed attempt, marked or not, with its question; else None."""
    columns = select(
        Response.value,
        Response.score,
        Response.graded_by_id,
        Response.graded_at,
        Response.grader_comment,
        Response.language,
        AttemptItem.attempt_id,
        AttemptItem.position,
        AttemptItem.version_id,
        QuestionVersion.content_hash,
        QuestionVersion.scenario_id,
        User.display_name,
        Attempt.mode,
        Attempt.submitted_at,
        Scheme.title,
        Scheme.translations,
    ).select_from(Response)
    stmt = (
        _essays_of_closed_attempts(columns)
        .join(User, User.id == Attempt.user_id)
        .outerjoin(Scheme, Scheme.id == Attempt.scheme_id)
        .where(Response.id == response_id)
    )
    row = db.session.execute(stmt).first()
    if row is None:
        return None
    record = bank_queries.record_for_version(row.version_id, row.content_hash)
    return AnswerToMark(
        response_id=response_id,
        attempt_id=row.attempt_id,
        position=row.position,
        learner=row.display_name,
        scheme=_title(row.title, row.translations),
        mode=row.mode,
        submitted_at=row.submitted_at,
        text=_plain(row.value),
        record=record,
        scenario=_scenario(row.scenario_id),
        awarded=row.score * record.marks
        if row.graded_by_id is not None and row.score is not None
        else None,
        comment=row.grader_comment or "",
        graded_at=row.graded_at,
        language=row.language,
    )


def _plain(value: Any) -> str:
    """The learner's answer as text (an essay response is a string or nothing)."""
    return value if isinstance(value, str) else ""


def _scenario(scenario_id: int | None) -> ScenarioRecord | None:
    """The case text a question refers to, if any."""
    if scenario_id is None:
        return None
    return bank_queries.scenarios_by_id([scenario_id]).get(scenario_id)
