"""The tool's RSA key pairs: generated once, kept in the database, rotated by an admin.

The newest key that is not retired signs deep linking responses and client assertions.
Rotating makes a new key the signing one and retires the old, which the JWKS endpoint
still publishes for a day: a platform may hold a message it signed, or a cached key set.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.errors import PermissionDenied
from app.extensions import db
from app.integrations import lti
from app.models import SYSTEM, Actor, LtiKey, Role
from app.models.base import utcnow
from app.services import audit

PUBLISHED_AFTER_RETIREMENT = timedelta(days=1)


def _current() -> LtiKey | None:
    """The signing key, if there is one."""
    stmt = select(LtiKey).where(LtiKey.retired_at.is_(None)).order_by(LtiKey.id.desc())
    return db.session.scalars(stmt).first()


def _as_tool_key(row: LtiKey) -> lti.ToolKey:
    """The stored key as the protocol module takes it."""
    return lti.ToolKey(kid=row.kid, private_pem=row.private_pem, public_jwk=row.public_jwk)


def _store_new() -> LtiKey:
    """Generate a key pair and add it (the caller commits)."""
    fresh = lti.new_tool_key()
    row = LtiKey(kid=fresh.kid, private_pem=fresh.private_pem, public_jwk=fresh.public_jwk)
    db.session.add(row)
    db.session.flush()
    return row


def ensure_key() -> None:
    """Add the first key pair when there is none (the caller commits)."""
    if _current() is None:
        row = _store_new()
        audit.record(SYSTEM, "lti.key_created", "lti_key", row.kid)


def signing_key() -> lti.ToolKey:
    """The key that signs now; the first one is generated and committed on first use."""
    row = _current()
    if row is None:
        ensure_key()
        db.session.commit()
        row = _current()
        assert row is not None
    return _as_tool_key(row)


def rotate(actor: Actor) -> LtiKey:
    """Admins: make a new key the signing one and retire the others (still published for
    a day)."""
    if Role.ADMIN not in actor.roles:
        raise PermissionDenied(_("Only administrators manage the LTI keys."))
    now = utcnow()
    retired = db.session.scalars(select(LtiKey).where(LtiKey.retired_at.is_(None))).all()
    for row in retired:
        row.retired_at = now
    row = _store_new()
    audit.record(actor, "lti.key_rotated", "lti_key", row.kid, retired=[r.kid for r in retired])
    db.session.commit()
    return row


def published() -> list[LtiKey]:
    """The keys the JWKS endpoint publishes: the signing one and those retired lately."""
    since = utcnow() - PUBLISHED_AFTER_RETIREMENT
    stmt = (
        select(LtiKey)
        .where(or_(LtiKey.retired_at.is_(None), LtiKey.retired_at > since))
        .order_by(LtiKey.id.desc())
    )
    return list(db.session.scalars(stmt))


def jwks() -> dict[str, Any]:
    """The tool's public key set (RFC 7517), as /lti/jwks serves it."""
    return {"keys": [row.public_jwk for row in published()]}
