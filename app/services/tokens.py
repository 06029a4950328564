"""API bearer tokens: created and revoked by their owner; only a digest is stored."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.models import Actor, ApiToken, User
from app.models.base import utcnow
from app.services import audit

PREFIX = "cw_"


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(owner: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `owner`; the plain token is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput(_("Give the token a name of 1 to 80 characters."))
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=owner.id, name=name, token_hash=digest(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    audit.record(owner, "token.created", "api_token", token.id, name=name)
    db.session.commit()
    return token, plain


def list_tokens(owner: User) -> list[ApiToken]:
    """The owner's tokens, newest first, revoked ones included."""
    stmt = select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(stmt))


def revoke_token(owner: User, token_id: int) -> None:
    """Revoke one of the owner's tokens (someone else's is reported as not found)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != owner.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(owner, "token.revoked", "api_token", token.id)
        db.session.commit()


def revoke_all_tokens(actor: Actor, owner: User, reason: str) -> int:
    """Revoke every live token of `owner` within the caller's transaction; how many."""
    live = select(ApiToken).where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None))
    revoked = list(db.session.scalars(live))
    for token in revoked:
        token.revoked_at = utcnow()
        audit.record(actor, "token.revoked", "api_token", token.id, reason=reason)
    return len(revoked)


# Every API request runs this: built once, one query, roles loaded only when asked for.
_TOKEN_OWNER = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None), User.active)
    # The roles in the same query: every API call checks them, one round trip fewer.
    .options(joinedload(User.role_rows))
)


def user_for_token(plain: str) -> User | None:
    """The active owner of an unrevoked token, or None."""
    return db.session.scalars(_TOKEN_OWNER, {"digest": digest(plain)}).unique().first()
