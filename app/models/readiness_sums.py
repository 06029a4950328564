"""Readiness sums kept per learner and answer class, so that readiness reads a few rows
per learner instead of every answer (`app.services.readiness_sums` writes them,
`app.analytics.answers` reads them).

The sums are kept under one basis: the half-life and repeat weight the answers are
weighed with, the question versions' difficulties (which, with the blueprints, decide
the answer classes) and a base moment. An answer given at day t (days since 1970) adds
w₀ = f · 2^((t − base)/h) to `weight` (f: the repeat weight for a question answered
before, else 1), w₀ · score to `right` and w₀ · (base − t) to `aged`; as of `now` the
recency weights are these times 2^(−(now − base)/h), exactly (no rounding beyond
floating point). A new basis rebuilds every row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime


class ReadinessBasis(Model):
    """The one basis the kept sums are under (at most one row)."""

    __tablename__ = "readiness_basis"

    id: Mapped[int] = mapped_column(primary_key=True)
    half_life_days: Mapped[float | None] = mapped_column(Float)  # None: no forgetting
    repeat_weight: Mapped[float] = mapped_column(Float)
    base_day: Mapped[float] = mapped_column(Float)  # days since 1970-01-01T00:00Z
    oldest_week: Mapped[int] = mapped_column(Integer)  # its rows hold all earlier weeks too
    # question version id (as text: JSON keys) → difficulty, where learnt from answers
    difficulties: Mapped[dict[str, Any]] = mapped_column(JSON)
    classes_hash: Mapped[str] = mapped_column(String(64))  # of the version → class map
    built_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # scheme code → the calibration learnt with the basis (`app.analytics.calibration`):
    # every process forecasts with it until the next rebuild
    calibration: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReadinessClass(Model):
    """The answer class of each question version under the basis (versions in no
    blueprint section have none)."""

    __tablename__ = "readiness_classes"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), primary_key=True
    )
    class_id: Mapped[int] = mapped_column(Integer)


class ReadinessSum(Model):
    """One learner's final answers in one answer class and calendar week (Monday 00:00
    UTC, `app.analytics.answers.week_index`), summed under the basis. A rebuild puts the
    answers of weeks older than the trend's reach in one row, at the oldest week kept."""

    __tablename__ = "readiness_sums"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    class_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week: Mapped[int] = mapped_column(Integer, primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float)
    right: Mapped[float] = mapped_column(Float)
    aged: Mapped[float] = mapped_column(Float)
    latest_day: Mapped[float] = mapped_column(Float)


class ReadinessRevision(Model):
    """How often a learner's final answers have changed since they were first kept: a
    kept result names the revision it was computed at, and is stale once it moves."""

    __tablename__ = "readiness_revisions"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer)


class ReadinessResult(Model):
    """One learner's readiness for one scheme, kept (`app.services.readiness_results`):
    as of the end of `day` (days since 1970, UTC) and at the trend's earlier week ends,
    computed from the kept sums under the basis and calibration that `key` names, at the
    learner's `revision`. Readers use it only while all three still hold."""

    __tablename__ = "readiness_results"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("schemes.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    p_pass: Mapped[float | None] = mapped_column(Float)
    p_low: Mapped[float | None] = mapped_column(Float)
    p_high: Mapped[float | None] = mapped_column(Float)
    answers: Mapped[int] = mapped_column(Integer)
    last_answered: Mapped[float | None] = mapped_column(Float)  # days since 1970
    # Numbers per blueprint section (in its order) and per earlier week end of the trend
    # (oldest first), as comma-separated text ("nan": none), which a page splits for
    # thousands of rows at once far faster than it could decode as many JSON documents.
    mastery: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    earlier: Mapped[str] = mapped_column(Text)  # p_pass at the week ends
    # section id (or "overall") → answers still needed; null when nothing is missing
    needed: Mapped[dict[str, int] | None] = mapped_column(JSON)
