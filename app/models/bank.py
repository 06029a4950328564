"""Question banks, scenarios, questions and their immutable versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.states import QuestionStatus, StrEnumColumn


class Bank(Model):
    """A named collection of questions in one language, owned by trainers."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    licence: Mapped[str] = mapped_column(String(64), default="")
    edition: Mapped[str] = mapped_column(String(8), default="2018")
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(back_populates="bank")
    scenarios: Mapped[list[Scenario]] = relationship(back_populates="bank")


class BankAsset(Model):
    """A file of a bank (an image or a sound) its texts refer to as `asset:<name>`.

    Written by imports in the same transaction as the questions. The media type was
    told from the bytes (app/domain/assets.py), never taken from the file's name."""

    __tablename__ = "bank_assets"
    __table_args__ = (UniqueConstraint("bank_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Scenario(Model):
    """One revision of a case text shared by several questions of a bank.

    Rows are never changed: a changed case text is a new row with the same key, and the
    old one is marked superseded. Question versions point at the revision they were
    written with, so an exam shows, and a review keeps, the text that was approved.
    At most one revision per key is current (superseded_at NULL)."""

    __tablename__ = "scenarios"
    __table_args__ = (
        Index(
            "uq_scenarios_current_key",
            "bank_id",
            "key",
            unique=True,
            sqlite_where=sql_text("superseded_at IS NULL"),
            postgresql_where=sql_text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    bank: Mapped[Bank] = relationship(back_populates="scenarios")


class Question(Model):
    """A question's identity and workflow state; its content lives in versions.

    `current_version` is the newest version, the one the workflow status describes and
    the editor shows. `live_version` is the approved version exams and practice draw:
    None until a version is first approved and after retirement. While a change to a
    published question waits for review, the two differ and the old version stays live.
    """

    __tablename__ = "questions"
    # The question list: a bank's questions by last change (see question_search's migration).
    __table_args__ = (Index("ix_questions_bank_id_updated_at", "bank_id", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[QuestionStatus] = mapped_column(
        StrEnumColumn(QuestionStatus), default=QuestionStatus.DRAFT, index=True
    )
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True)
    )
    live_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True)
    )
    # Who sent the question for review: under four eyes, someone else must approve.
    review_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    bank: Mapped[Bank] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question",
        foreign_keys="QuestionVersion.question_id",
        order_by="QuestionVersion.number",
    )
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    live_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[live_version_id], post_update=True
    )

    @property
    def has_pending_change(self) -> bool:
        """True when a newer version waits for review beside the live one."""
        return self.live_version_id is not None and self.live_version_id != self.current_version_id


class QuestionVersion(Model):
    """One immutable state of a question; attempts point at the version they showed.

    Type-specific content (pairs, steps, accepted answers, rubric, true/false key) is
    kept in `body` as the question-type registry describes it; choice options have
    rows of their own so that distractor statistics can refer to them.

    `source_hash` is the hash of the version's translatable texts
    (app.domain.translation.source_hash of its record): a translation whose own
    `source_hash` equals it is current for the version, so queries can tell current
    translations from stale ones without rebuilding any record.
    """

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_hash: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    edition: Mapped[str] = mapped_column(String(8), default="2018")
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    cognitive: Mapped[str | None] = mapped_column(String(12), index=True)
    marks: Mapped[float] = mapped_column(Float, default=1.0)
    title: Mapped[str] = mapped_column(String(200), default="")
    stem: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions", foreign_keys=[question_id])
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="version", order_by="QuestionOption.position", cascade="all"
    )
    clause_links: Mapped[list[QuestionClause]] = relationship(cascade="all")
    scenario: Mapped[Scenario | None] = relationship()


class QuestionOption(Model):
    """An answer option of a choice question version."""

    __tablename__ = "question_options"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[QuestionVersion] = relationship(back_populates="options")


class QuestionClause(Model):
    """A clause a question version is tagged with."""

    __tablename__ = "question_clauses"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), primary_key=True
    )
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), primary_key=True, index=True)


def current_scenarios(*columns: Any) -> Select:
    """A select of the current revision of every case text (of `columns`, or rows)."""
    return select(*(columns or (Scenario,))).where(Scenario.superseded_at.is_(None))
