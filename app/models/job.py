"""Background jobs: the outbox rows that say what work is due, and the files it uses.

A row is written in the caller's transaction (so work is queued exactly when the change
that asks for it commits) and is the truth about the job: Redis only carries its id to
a worker. See app/services/jobs.py.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.states import StrEnumColumn


class JobState(enum.StrEnum):
    """Where a job is: waiting, being run, waiting to be tried again, or finished."""

    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    FAILED = "failed"  # every try failed; an admin may run it again
    DONE = "done"


def new_public_id() -> str:
    """An opaque id for a job's pages (its number would tell how busy the site is)."""
    return uuid.uuid4().hex


class Job(Model):
    """One piece of background work: a registered task name and its JSON arguments."""

    __tablename__ = "jobs"
    # The sweeper's question, "what is due?", is answered from this index.
    __table_args__ = (Index("ix_jobs_due", "state", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), default=new_public_id, unique=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(StrEnumColumn(JobState), default=JobState.QUEUED)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    max_tries: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the id last went to Redis: a queued job sent long ago and never started (Redis
    # lost it) is sent again.
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Who asked for it, when a person waits for its outcome (an import, an export), and
    # the language its report is written in.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    files: Mapped[list[JobFile]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="JobFile.id"
    )


class JobFile(Model):
    """A file a job reads (an uploaded bank) or makes (an export to download).

    Kept in the database, not on one machine's disk, so that any worker can read an
    upload and any web process can serve the result.
    """

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # "input" or "output"
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    data: Mapped[bytes] = mapped_column(LargeBinary)

    job: Mapped[Job] = relationship(back_populates="files")
