"""Teams, who belongs to them, who manages them, and their readiness targets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class Team(Model):
    """A group of learners with one or more managers."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )
    targets: Mapped[list[TeamTarget]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMembership(Model):
    """A user's place in a team: `member` (a learner) or `manager`."""

    __tablename__ = "team_memberships"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class TeamInvitation(Model):
    """A manager's invitation to join a team, by e-mail; no membership until it is accepted.

    Stored for whatever e-mail was typed (lower-cased), whether or not an account has it,
    so that inviting tells the manager nothing about which accounts exist.
    """

    __tablename__ = "team_invitations"
    __table_args__ = (UniqueConstraint("team_id", "email", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    team: Mapped[Team] = relationship()
    invited_by: Mapped[User | None] = relationship()


class TeamTarget(Model):
    """A readiness goal: a share of members (or named members) ready for a scheme by a
    deadline (a moment in UTC, typed on the manager's clocks)."""

    __tablename__ = "team_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"), index=True)
    required_share: Mapped[float] = mapped_column(Float, default=1.0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    team: Mapped[Team] = relationship(back_populates="targets")
    named_members: Mapped[list[TeamTargetMember]] = relationship(cascade="all, delete-orphan")


class TeamTargetMember(Model):
    """A member named by a target ("both auditors ready"), instead of a share."""

    __tablename__ = "team_target_members"

    target_id: Mapped[int] = mapped_column(
        ForeignKey("team_targets.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class DrillAssignment(Model):
    """A clause drill a manager asked a team's members to do; shown on their home pages."""

    __tablename__ = "drill_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    clause: Mapped[str] = mapped_column(String(16))
    questions: Mapped[int] = mapped_column(default=10)
    note: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
