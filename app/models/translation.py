"""Translations of questions and case texts, kept beside them rather than as versions.

A question's translation belongs to the question, not to a version: adding or
correcting one never makes a new version, so an item's statistics stay in one piece
across languages. Each row records the source language and `source_hash`, the hash of
the source texts it was made from (app.domain.translation); a version whose texts hash
differently shows the translation as stale, so editing the source marks every
translation of it stale without touching them. A case text's translation is keyed by
the case text's key in its bank, so it outlives the case text's revisions the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class QuestionTranslation(Model):
    """A question's texts in one other language (`fields`: the native format's shape)."""

    __tablename__ = "question_translations"
    __table_args__ = (UniqueConstraint("question_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(16), index=True)
    source_language: Mapped[str] = mapped_column(String(16))
    source_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ScenarioTranslation(Model):
    """A case text's title and text in one other language, by the case text's key."""

    __tablename__ = "scenario_translations"
    __table_args__ = (UniqueConstraint("bank_id", "scenario_key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    scenario_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    source_language: Mapped[str] = mapped_column(String(16))
    source_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
