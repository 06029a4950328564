"""Attempts at exams, the items each attempt drew, and the learner's responses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.answer_ids import new_secret
from app.extensions import Model
from app.models.bank import QuestionVersion
from app.models.base import UTCDateTime, utcnow
from app.models.scheme import Scheme
from app.models.states import AttemptMode, AttemptStatus, StrEnumColumn
from app.models.user import User


class Attempt(Model):
    """One sitting of a learner: a mock exam, a practice set, a drill or a review."""

    __tablename__ = "attempts"
    # A team's activity (closed attempts, the latest start or submission) from the index.
    __table_args__ = (
        Index("ix_attempts_activity", "user_id", "status", "submitted_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("schemes.id"), index=True)
    mode: Mapped[AttemptMode] = mapped_column(StrEnumColumn(AttemptMode))
    status: Mapped[AttemptStatus] = mapped_column(
        StrEnumColumn(AttemptStatus), default=AttemptStatus.OPEN, index=True
    )
    seed: Mapped[int] = mapped_column(Integer, default=0)
    # Keys the opaque ids under which learners see the parts of each item; never shown.
    answer_secret: Mapped[str] = mapped_column(String(32), default=new_secret)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The exam language the learner chose (a BCP 47 tag such as "zh-Hans"); each item
    # shows in it where it has a usable translation, else in its source language. NULL
    # for attempts started before there were translations, or without a choice (API).
    language: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float, active_history=True)
    max_score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column()
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The xAPI registration of the attempt's statements (attempts older than the column
    # get one when their first statement is sent).
    registration: Mapped[str | None] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))

    user: Mapped[User] = relationship()
    scheme: Mapped[Scheme | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )


class AttemptItem(Model):
    """One slot of an attempt: the exact question version shown and its option order."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"), index=True)
    section: Mapped[str] = mapped_column(String(64), default="")
    display_order: Mapped[list[str]] = mapped_column(JSON, default=list)
    flagged: Mapped[bool] = mapped_column(default=False)
    # The language the item is shown in now (its source language or a translation's);
    # practice may switch it. NULL: the source language (attempts from before).
    language: Mapped[str | None] = mapped_column(String(16))
    # Practice shows the key once an answer is checked; the answer is then locked.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()
    response: Mapped[Response | None] = relationship(
        back_populates="item", uselist=False, cascade="all, delete-orphan"
    )


class Response(Model):
    """The learner's latest answer to one attempt item, and its grading."""

    __tablename__ = "responses"
    # A response has a score only once it is final (its attempt closed, or a practice answer
    # checked): the final answers, by learner, with all that readiness reads of them.
    __table_args__ = (
        Index(
            "ix_responses_final",
            "user_id",
            "version_id",
            "answered_at",
            "score",
            "seen_before",
            sqlite_where=text("score IS NOT NULL"),
            postgresql_where=text("score IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="CASCADE"), unique=True
    )
    # Copies of the item's attempt owner and question version (neither ever changes), so
    # that readiness reads final answers from this table's partial index alone.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    value: Mapped[Any] = mapped_column(JSON)
    confidence: Mapped[int | None] = mapped_column(Integer)
    # The language the item was shown in when the answer was given (item statistics
    # break facility down by it; short answers accept that language's answers). NULL:
    # the source language (answers from before).
    language: Mapped[str | None] = mapped_column(String(16))
    # The learner's own recall rating of a checked review answer (1 Again … 4 Easy);
    # review scheduling uses it in place of the rating derived from the marks.
    recall: Mapped[int | None] = mapped_column(Integer)
    # The old values of these three stay in the history (readiness sums add differences).
    answered_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, active_history=True
    )
    score: Mapped[float | None] = mapped_column(Float, active_history=True)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    grader_comment: Mapped[str] = mapped_column(Text, default="")
    # Set when the response becomes final: the learner had a final answer to the same
    # question (any version) before this one, so may remember its key (readiness weighs
    # such an answer less).
    seen_before: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), active_history=True
    )

    item: Mapped[AttemptItem] = relationship(back_populates="response")
