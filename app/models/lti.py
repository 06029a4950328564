"""LTI 1.3: the tool's signing keys, the platforms (LMSs) registered by administrators,
the people, courses and links they launch from, and the nonces already used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.team import Team
from app.models.user import User

URL = 500  # the longest URL a registration or a launch may name


class LtiKey(Model):
    """One RSA key pair of the tool; the newest unretired one signs, and the JWKS
    endpoint publishes it and the keys retired lately (a platform may still hold a token
    the old key signed). The private key is a PEM kept in the database."""

    __tablename__ = "lti_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LtiPlatform(Model):
    """A platform registration: what the LMS told us (issuer, client id, deployments, its
    endpoints and keys) and how its people become Clausewise users."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    auth_login_url: Mapped[str] = mapped_column(String(URL))
    auth_token_url: Mapped[str] = mapped_column(String(URL))
    # The `aud` of our client assertions when the platform wants other than its token URL.
    auth_audience: Mapped[str] = mapped_column(String(URL), default="")
    jwks_url: Mapped[str] = mapped_column(String(URL), default="")
    public_key: Mapped[str] = mapped_column(Text, default="")  # PEM or JWK, without a URL
    # Clausewise roles given to the course's instructors (trainer, manager or both).
    instructor_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whether the platform's administrators become Clausewise administrators.
    admins_are_admins: Mapped[bool] = mapped_column(default=False)
    # Whether a launch with an e-mail that an account has signs in as that account.
    link_by_email: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class LtiAccount(Model):
    """A person at a platform (its `sub`), signing in as one Clausewise user."""

    __tablename__ = "lti_accounts"
    __table_args__ = (UniqueConstraint("platform_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_launch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    platform: Mapped[LtiPlatform] = relationship()
    user: Mapped[User] = relationship()


class LtiContext(Model):
    """A course at a platform, its roster service and the team its members fill."""

    __tablename__ = "lti_contexts"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    deployment_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    label: Mapped[str] = mapped_column(String(255), default="")
    memberships_url: Mapped[str] = mapped_column(String(URL), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    platform: Mapped[LtiPlatform] = relationship()
    team: Mapped[Team | None] = relationship()


class LtiLink(Model):
    """A resource link placed in a course: the activity it opens (chosen at deep linking,
    carried in its custom parameters) and the grade book column (line item) it fills."""

    __tablename__ = "lti_links"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    deployment_id: Mapped[str] = mapped_column(String(255))
    resource_link_id: Mapped[str] = mapped_column(String(255))
    context_ref: Mapped[int | None] = mapped_column(
        ForeignKey("lti_contexts.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(255), default="")
    # {"kind": "mock" | "drill" | "practice", "scheme": code, "clauses": [...], "count": n}
    activity: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    lineitem_url: Mapped[str] = mapped_column(String(URL), default="")
    may_score: Mapped[bool] = mapped_column(default=False)  # the AGS score scope was granted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    platform: Mapped[LtiPlatform] = relationship()
    context: Mapped[LtiContext | None] = relationship()


class LtiNonce(Model):
    """A launch nonce already used (its digest), kept until its token has expired, so a
    captured launch cannot be replayed."""

    __tablename__ = "lti_nonces"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
