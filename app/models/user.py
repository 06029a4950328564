"""Accounts, their roles and API tokens."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.messages import N_
from app.domain.time_zones import DEFAULT as DEFAULT_ZONE
from app.extensions import Model
from app.models.base import UTCDateTime, utcnow

WEEKLY_GOAL_MOST = 500  # the most questions a learner may set as their weekly goal


class Role(enum.StrEnum):
    """What a user may do; a user holds one or more roles."""

    LEARNER = "learner"
    TRAINER = "trainer"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's English name (a catalogue message id), translated where shown."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.LEARNER: N_("Learner"),
    Role.TRAINER: N_("Trainer"),
    Role.MANAGER: N_("Manager"),
    Role.ADMIN: N_("Administrator"),
}


class User(UserMixin, Model):
    """A person who signs in; e-mail is unique without regard to case."""

    __tablename__ = "users"
    is_system = False  # see SystemActor

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # The interface language the user chose (a locale id of app/languages.py), or "" for
    # none: then the browser's session choice, else its Accept-Language, decides.
    language: Mapped[str] = mapped_column(String(8), default="")
    # An IANA name (app.domain.time_zones): times are shown on this zone's clocks and
    # deadlines the user types are read in it. A new account takes the organization's.
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_ZONE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of the id kept in sessions and remember-me cookies: raising it signs the user
    # out everywhere (a new password, deactivation, other roles).
    session_version: Mapped[int] = mapped_column(default=1)
    # Questions the learner means to answer each ISO week (UTC); 0 sets no goal.
    weekly_goal: Mapped[int] = mapped_column(default=0)
    # Whether the learner is e-mailed when a drill is assigned to one of their teams.
    drill_emails: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The name of the learner's account in learning records sent out (xAPI): opaque, so
    # that a Learning Record Store learns neither the e-mail nor the row number. Accounts
    # older than the column get one when their first statement is sent.
    xapi_id: Mapped[str | None] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        """The roles this user holds."""
        return {Role(row.role) for row in self.role_rows}

    def set_roles(self, roles: set[Role]) -> None:
        """Replace the user's roles with exactly `roles`."""
        wanted = {Role(r) for r in roles}
        self.role_rows = [row for row in self.role_rows if Role(row.role) in wanted]
        held = {Role(row.role) for row in self.role_rows}
        self.role_rows.extend(UserRole(role=r.value) for r in sorted(wanted - held))

    def has_any_role(self, *roles: Role) -> bool:
        """True if the user holds at least one of `roles`."""
        return bool(self.roles & set(roles))

    def get_id(self) -> str:
        """The id Flask-Login stores in the session and the remember cookie."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot sign in (Flask-Login checks this)."""
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


# E-mail addresses are unique whatever their case ("Ann@x.org" is "ann@x.org").
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class UserRole(Model):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class SystemActor:
    """The operator: the command line, setup and background work acting on no one's behalf.

    Services take an explicit actor; this one holds every role and is recorded in the
    audit log as nobody (`id` None). It never signs in and no request can become it.
    """

    id = None
    is_system = True
    time_zone = DEFAULT_ZONE  # deadlines the operator types are read in UTC
    roles: frozenset[Role] = frozenset(Role)

    def has_any_role(self, *roles: Role) -> bool:
        """The operator may do what any role may."""
        return True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()
# Who performs a service call: a signed-in user, or the operator.
Actor = User | SystemActor
